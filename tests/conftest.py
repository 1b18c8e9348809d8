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
