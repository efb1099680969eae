"""Login throttling that applies to logins over HTTP only."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Refuse logins for a locked-out username and address (django-axes).

    Axes needs the request to know the client's address. Authentication without one
    (the shell, management commands, Django's test client) has no client to throttle,
    so it is left to the next backend instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
