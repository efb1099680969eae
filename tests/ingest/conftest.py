import pytest

from .servers import LocalServer


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def ingest_settings(settings):
    """Fetch from the tests' own 127.0.0.1 server only: other private ranges stay refused."""
    settings.INGEST_ALLOW_PRIVATE_NETWORKS = False
    settings.INGEST_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.INGEST_HOST_INTERVAL = 0
    settings.INGEST_DEADLINE_SECONDS = 3
    settings.INGEST_MAX_BYTES = 2 * 1024 * 1024
    return settings
