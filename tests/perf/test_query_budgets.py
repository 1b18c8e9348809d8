"""Query budgets: every public page type and the main admin screens run a fixed number of
SQL queries, whatever the volume of data.

The data is built once for the module: the demo plus ``seed_scale --factor 1`` ("1×"); every
page is counted; then ``seed_scale --factor 10`` ("10×", ten times the scale data) and every
page is counted again.  Each page is requested once before it is counted, so that the
per-process caches (content types, site root paths) are warm both times alike; the page
cache is off (``PAGE_CACHE_SECONDS`` is 0 in tests), so every count is of a full render.

Budgets: a public page at most :data:`PUBLIC_BUDGET` queries, an admin screen at most
:data:`ADMIN_BUDGET`, and the count at 10× equal to the count at 1×.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Marks the module as using the database, which is what makes pytest-django create the
# test database before the module-scoped fixture below runs.
pytestmark = pytest.mark.django_db

PUBLIC_BUDGET = 12
ADMIN_BUDGET = 25

PUBLIC_PAGES = [
    "home",
    "policy",
    "policy_index",
    "notice_index",
    "notice",
    "open_call",
    "publicity",
    "result",
    "directory",
    "profile",
    "search",
]
ADMIN_PAGES = [
    "submission_list",
    "submission_inspect",
    "ranking",
    "ranking_scale_round",
    "cultivation_overview",
]


def _public_urls():
    from craftsman.models import CraftsmanIndexPage, CraftsmanProfilePage
    from publications.models import (
        NoticeIndexPage,
        NoticePage,
        OpenCallPage,
        PolicyIndexPage,
        PolicyPage,
        PublicityNoticePage,
        ResultAnnouncementPage,
    )
    from website.models import HomePage

    def first(model, **filters):
        page = model.objects.live().filter(**filters).exclude(slug__startswith="scale-")
        return page.order_by("pk").first().url

    return {
        "home": HomePage.objects.get().url,
        "policy_index": first(PolicyIndexPage),
        "policy": first(PolicyPage),
        "notice_index": first(NoticeIndexPage),
        "notice": first(NoticePage, notice_type="notice", opencallpage__isnull=True),
        "open_call": first(OpenCallPage),
        "publicity": first(PublicityNoticePage),
        "result": first(ResultAnnouncementPage),
        "directory": first(CraftsmanIndexPage),
        "profile": first(CraftsmanProfilePage),
        "search": "/search/?q=工匠",
    }


def _admin_urls():
    from craftsman.models import SelectionRound, Submission

    submission = Submission.objects.filter(round__year=2025).order_by("pk").first()
    return {
        "submission_list": reverse("craftsman_submissions:index"),
        "submission_inspect": reverse("craftsman_submissions:inspect", args=[submission.pk]),
        "ranking": reverse(
            "craftsman_review:ranking", args=[SelectionRound.objects.get(year=2025).pk]
        ),
        "ranking_scale_round": reverse(
            "craftsman_review:ranking", args=[SelectionRound.objects.get(year=2023).pk]
        ),
        "cultivation_overview": reverse("craftsman_cultivation:overview"),
    }


def _count(client, url):
    """Queries of the second request of ``url`` (the first warms per-process caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(queries.captured_queries)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, bureau_client):
    """{page: (queries at 1×, queries at 10×)}, measured in one rolled-back transaction."""
    null = open("/dev/null", "w")
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=null)
        call_command("seed_scale", factor=1, stdout=null)
        public, admin = _public_urls(), _admin_urls()
        anonymous, bureau = Client(), bureau_client()
        first = {name: _count(anonymous, url) for name, url in public.items()}
        first |= {name: _count(bureau, url) for name, url in admin.items()}
        call_command("seed_scale", factor=10, stdout=null)
        for name, url in public.items():
            result[name] = (first[name], _count(anonymous, url))
        for name, url in admin.items():
            result[name] = (first[name], _count(bureau, url))
        transaction.set_rollback(True)
    print("\nqueries at 1× / 10×:", {name: f"{a}/{b}" for name, (a, b) in result.items()})
    return result


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_query_budget(counts, page):
    at_1x, at_10x = counts[page]
    assert at_1x <= PUBLIC_BUDGET, f"{page}: {at_1x} queries (budget {PUBLIC_BUDGET})"
    assert at_10x == at_1x, f"{page}: {at_1x} queries at 1×, {at_10x} at 10×"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_view_query_budget(counts, page):
    at_1x, at_10x = counts[page]
    assert at_1x <= ADMIN_BUDGET, f"{page}: {at_1x} queries (budget {ADMIN_BUDGET})"
    assert at_10x == at_1x, f"{page}: {at_1x} queries at 1×, {at_10x} at 10×"
