import os

import pytest
from django.conf import settings


@pytest.fixture(scope="session", autouse=True)
def _real_services_in_ci():
    """In CI the suite must run on PostgreSQL and Redis, never silently on the defaults."""
    if os.environ.get("REQUIRE_REAL_SERVICES"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", "CI must use PostgreSQL"
        assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must use Redis"


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user(username="analyst", password="analyst-pass-123")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def admin_client_logged(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="boss", password="boss-pass-123", email="b@x.test")
    client.force_login(user)
    return client
