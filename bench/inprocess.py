"""In-process measurements with Django's test ``Client`` (run by bench/run.py).

``python bench/inprocess.py setup``   creates the floor page, prints the URLs as JSON.
``python bench/inprocess.py measure N`` times every page N times, prints JSON:
``{name: {"url", "status", "median_ms", "p90_ms", "queries"}}``.

The environment (VAR_DIR, DEBUG=0, PAGE_CACHE_SECONDS=0, BENCH=1) is set by run.py.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

HOST = "127.0.0.1"


def first_live(model, **filters):
    return model.objects.live().filter(**filters).order_by("-first_published_at", "pk").first()


def floor_page():
    from bench.benchapp.models import BenchFloorPage
    from website.models import HomePage

    page = BenchFloorPage.objects.first()
    if page is None:
        home = HomePage.objects.get()
        page = home.add_child(instance=BenchFloorPage(title="基准页面", slug="bench-floor"))
        page.save_revision().publish()
    return page


def public_urls():
    """One URL per public page type, from the demo content (None when a type is missing)."""
    from craftsman.models import CraftsmanIndexPage, CraftsmanProfilePage
    from publications.models import (
        NoticeIndexPage,
        NoticePage,
        OpenCallPage,
        PublicityNoticePage,
        ResultAnnouncementPage,
    )
    from publications.models.policy import PolicyPage

    def url(page):
        return page.url if page is not None else None

    notice = NoticePage.objects.live().exact_type(NoticePage).order_by("pk").first()
    return {
        "home": "/",
        "policy": url(first_live(PolicyPage)),
        "notice_index": url(first_live(NoticeIndexPage)),
        "notice": url(notice),
        "open_call": url(first_live(OpenCallPage)),
        "publicity_list": url(first_live(PublicityNoticePage)),
        "result": url(first_live(ResultAnnouncementPage)),
        "directory": url(first_live(CraftsmanIndexPage)),
        "profile": url(first_live(CraftsmanProfilePage)),
        "search": "/search/?q=%E5%B7%A5%E5%8C%A0",  # 工匠
        "floor": url(floor_page()),
        "floor_in_site": url(floor_page()) + "?chrome=1",
    }


def admin_urls():
    from django.db.models import Count
    from django.urls import reverse

    from craftsman.models import SelectionRound, Submission

    submission = Submission.objects.exclude(status="draft").order_by("-pk").first()
    ranking_round = (
        SelectionRound.objects.annotate(n=Count("submissions")).order_by("-n", "-year").first()
    )
    return {
        "admin_submission_list": reverse("craftsman_submissions:index"),
        "admin_submission_inspect": (
            reverse("craftsman_submissions:inspect", args=[submission.pk]) if submission else None
        ),
        "admin_ranking": (
            reverse("craftsman_review:ranking", args=[ranking_round.pk]) if ranking_round else None
        ),
        "admin_cultivation_overview": reverse("craftsman_cultivation:overview"),
    }


def bureau_client():
    """A client signed in as the demo bureau user, past two-factor sign-in if it exists."""
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST=HOST)
    user = get_user_model().objects.get(username="bureau")
    try:
        from website.security.testing import verified_login
    except ImportError:
        client.force_login(user)
    else:
        verified_login(client, user)
    return client


class QueryCounter:
    """Counts queries through an execute wrapper (CaptureQueriesContext reads
    ``queries_log``, which every request clears, so its count goes wrong in a loop)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def time_url(client, url, repeat):
    # The first request warms per-process caches and makes any missing image renditions;
    # the queries are counted on the second, as the query-budget tests count them.
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    status = response.status_code
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[int(0.9 * (len(timings) - 1))], 2),
        "queries": counter.count,
    }


def measure(repeat):
    results = {}
    anonymous = Client(HTTP_HOST=HOST)
    for name, url in public_urls().items():
        results[name] = time_url(anonymous, url, repeat) if url else None
    staff = bureau_client()
    for name, url in admin_urls().items():
        results[name] = time_url(staff, url, repeat) if url else None
    return results


def main(argv):
    if argv[1:2] == ["setup"]:
        print(json.dumps({"public": public_urls(), "admin": admin_urls()}))
    elif argv[1:2] == ["measure"]:
        print(json.dumps(measure(int(argv[2]))))
    else:
        sys.exit("用法：inprocess.py setup | measure N")


if __name__ == "__main__":
    main(sys.argv)
