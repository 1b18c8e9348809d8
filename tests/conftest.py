"""Fixtures shared by every test package."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo content, as ``make run`` loads it."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def home(demo):
    from website.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def verified_login():
    """``verified_login(client, user)``: force_login past two-factor sign-in.

    The same function test modules import from ``website.security.testing``
    (helpers inside test modules cannot take fixtures).
    """
    from website.security.testing import verified_login

    return verified_login


@pytest.fixture
def password_login():
    """``password_login(client, username, password)``: client.login() through django-axes."""
    from website.security.testing import password_login

    return password_login
