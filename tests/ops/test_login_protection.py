"""Failed-login throttling, session expiry, and the admin for staff only."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_after_repeated_failures_even_the_right_password_is_refused(client, analyst, settings):
    statuses = [login(client, "analyst", "wrong-guess").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # The form again with an error, until the limit locks the account for this address.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = login(client, "analyst", "analyst-pass-123")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_still_works_below_the_limit(client, analyst):
    login(client, "analyst", "wrong-guess")
    response = login(client, "analyst", "analyst-pass-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(analyst.pk)


def test_the_session_cookie_ends_with_the_browser(client, analyst):
    response = login(client, "analyst", "analyst-pass-123")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_an_expired_session_is_sent_back_to_the_login_page(analyst_client):
    assert analyst_client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = analyst_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", ["/admin/", "/admin/tracker/actor/", "/admin/tracker/source/"])
def test_an_analyst_who_is_not_staff_cannot_reach_the_admin(analyst_client, path):
    response = analyst_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_reach_the_admin(admin_client_logged):
    assert admin_client_logged.get("/admin/tracker/actor/").status_code == 200
