"""Shared by the performance tests: a signed-in 市人社局 client past two-factor sign-in."""

import pytest
from django.test import Client


@pytest.fixture(scope="session")
def bureau_client():
    """A function: a new client signed in as ``bureau``, past two-factor sign-in."""

    def make():
        from django.contrib.auth import get_user_model

        from website.security.testing import verified_login

        client = Client()
        verified_login(client, get_user_model().objects.get(username="bureau"))
        return client

    return make


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo content, loaded once per module inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the ``db`` fixture), so what one test
    changes is gone before the next; loading the demo once saves a minute per test.
    """
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def home(demo_module, db):
    """The demo's home page (the module's demo, this test's savepoint)."""
    from website.models import HomePage

    return HomePage.objects.get()
