"""Shared fixtures: the demo county in the test database and one user per role."""

import pytest
from django.test import Client

from sozialplanung.demo.loader import load_demo
from sozialplanung.web import memo
from sozialplanung.web.accounts.roles import Role
from sozialplanung.web.accounts.services import user_create_or_update

ROLES = [None, *Role]  # None: an anonymous visitor


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real Saale-Orla-Kreis once per run; each test rolls its own changes back."""
    with django_db_blocker.unblock():
        load_demo(report=lambda _line: None)


@pytest.fixture(autouse=True)
def fresh_memo():
    """Each test reads its own database state: rolled-back rows must not linger in web.memo."""
    memo.forget()
    yield
    memo.forget()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Templates resolve static files without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def client_for(role: Role | None) -> Client:
    client = Client()
    if role is not None:
        user = user_create_or_update(
            username=f"test-{role.value}", password="x", role=role, check_password=False
        )
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def planner_client(db) -> Client:
    return client_for(Role.PLANNER)


@pytest.fixture
def leader_client(db) -> Client:
    return client_for(Role.LEADER)


@pytest.fixture
def provider_client(db) -> Client:
    return client_for(Role.PROVIDER)


def pytest_configure():
    """Fast password hashing (the demo creates four accounts each time it loads), instant jobs."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run at once inside the test instead of waiting for a worker process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
