"""The anonymous page cache (website.page_cache): fast, and never stale.

After every event that changes what the public sees, the next anonymous request shows the
change; a signed-in user never gets a cached page nor puts one in the cache; a page with a
CSRF form is never cached, so no visitor gets another's token.
"""

import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from wagtail.models import Page

from publications.models import NoticePage, Objection, PublicityNoticePage
from publications.workdays import SHANGHAI
from website import page_cache
from website.models import SiteContact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def get(url, client=None):
    response = (client or Client()).get(url)
    return response, response.get(page_cache.HEADER)


def first_notice():
    return (
        NoticePage.objects.live()
        .filter(notice_type="notice", opencallpage__isnull=True)
        .order_by("pk")
        .first()
    )


def test_second_anonymous_request_is_a_hit_with_the_same_page(home):
    first, first_state = get("/")
    second, second_state = get("/")
    assert (first_state, second_state) == ("miss", "hit")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # headers are stored with the body


def test_head_is_answered_from_the_cache(home):
    get("/")
    response = Client().head("/")
    assert response.status_code == 200 and response[page_cache.HEADER] == "hit"


def test_publishing_a_page_shows_at_once(home):
    notice = first_notice()
    index_url = notice.get_parent().url
    get(index_url)
    assert get(index_url)[1] == "hit"
    notice.title = "缓存测试：修改后的标题"
    notice.save_revision().publish()
    response, state = get(index_url)
    assert state == "miss" and "缓存测试：修改后的标题" in response.content.decode()
    response, state = get(notice.url)
    assert "缓存测试：修改后的标题" in response.content.decode()


def test_unpublishing_moving_and_deleting_pages_show_at_once(home):
    notice = first_notice()
    url = notice.url
    get(url)
    assert get(url)[1] == "hit"
    notice.unpublish()
    assert get(url)[0].status_code == 404

    other = NoticePage.objects.live().exclude(pk=notice.pk).filter(notice_type="notice").first()
    url = other.url
    get(url)
    other.move(home, pos="last-child")
    assert get(url)[0].status_code in (301, 302, 404)  # Wagtail may leave a redirect
    moved_url = Page.objects.get(pk=other.pk).url
    get(moved_url)
    Page.objects.get(pk=other.pk).delete()
    assert get(moved_url)[0].status_code == 404


def test_a_revoked_profile_leaves_the_directory_at_once(home):
    from craftsman.models import Craftsman, Revocation
    from craftsman.revocation import open_case, verify

    craftsman = (
        Craftsman.objects.filter(status=Craftsman.Status.ACTIVE, profile_page__live=True)
        .select_related("profile_page", "submission")
        .first()
    )
    profile_url = craftsman.profile_page.url
    directory_url = craftsman.profile_page.get_parent().url
    for url in (profile_url, directory_url, profile_url, directory_url):
        get(url)
    assert get(directory_url)[1] == "hit"
    assert craftsman.submission.name in get(directory_url)[0].content.decode()
    users = get_user_model().objects
    reason = Revocation.Reason.choices[0][0]
    case = open_case(craftsman, reason, "经查实。", by=users.get(username="bureau"))
    verify(case, by=users.get(username="bureau2"))
    assert get(profile_url)[0].status_code == 404
    response, state = get(directory_url)
    assert state == "miss" and f"/{craftsman.profile_page.slug}/" not in response.content.decode()


def test_site_contact_change_shows_on_every_page(home):
    get("/")
    assert get("/")[1] == "hit"
    contact = SiteContact.load()
    contact.phone = "0797-1234567"
    contact.save()
    response, state = get("/")
    assert state == "miss" and "0797-1234567" in response.content.decode()


def test_an_objection_drops_the_cached_pages(home):
    notice = PublicityNoticePage.objects.live().order_by("pk").first()
    get("/")
    assert get("/")[1] == "hit"
    objection = Objection.objects.filter(notice=notice).first() or Objection.objects.first()
    objection.reply = "已答复。"
    objection.save()
    assert get("/")[1] == "miss"


def test_a_page_carrying_a_csrf_form_is_never_cached(home):
    """The objection form page: every visitor gets their own token."""
    notice = next(page for page in PublicityNoticePage.objects.live() if page.is_open())
    url = notice.url + "objection/"
    first, first_state = get(url)
    second, second_state = get(url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert (first_state, second_state) == ("miss", "miss")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_an_open_publicity_list_is_cached_and_links_to_the_form(home):
    """The list itself, opened by thousands on its first day, carries no form: it is cached."""
    notice = next(page for page in PublicityNoticePage.objects.live() if page.is_open())
    _first, first_state = get(notice.url)
    second, second_state = get(notice.url)
    assert (first_state, second_state) == ("miss", "hit")
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert 'href="' + notice.url + 'objection/"' in second.content.decode()


def test_signed_in_users_neither_get_nor_fill_the_cache(home):
    bureau = get_user_model().objects.get(username="bureau")
    signed_in = Client()
    signed_in.force_login(bureau)
    get("/")  # an anonymous visitor fills the cache
    response, state = get("/", signed_in)
    assert state is None and response.status_code == 200  # not even looked up
    cache.clear()
    get("/", signed_in)  # a signed-in render
    assert get("/")[1] == "miss"  # … was not stored


def test_errors_and_the_admin_are_not_cached(home):
    assert get("/no-such-page/")[0].status_code == 404
    assert get("/no-such-page/")[1] == "miss"
    assert get("/admin/login/")[1] is None


def test_page_cache_seconds_zero_turns_it_off(home, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert get("/")[1] is None and get("/")[1] is None


def test_an_entry_expires_at_the_next_publicity_boundary(home, monkeypatch):
    """Publicity lists open and close at midnight in Beijing: no entry outlives it."""
    just_before_midnight = datetime(2026, 11, 25, 23, 59, 58, 500_000, tzinfo=SHANGHAI)
    assert page_cache.timeout_for(just_before_midnight) == 1
    assert page_cache.timeout_for(datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)) == 300
    monkeypatch.setattr(page_cache.timezone, "now", lambda: just_before_midnight)
    get("/")
    assert get("/")[1] == "hit"
    time.sleep(1.1)
    assert get("/")[1] == "miss"


def test_an_application_window_boundary_caps_the_timeout(home):
    from craftsman.models import SelectionRound

    noon = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)
    selection_round = SelectionRound.objects.order_by("-year").first()
    selection_round.opens_at = noon - timedelta(days=10)
    selection_round.closes_at = noon + timedelta(seconds=90)
    selection_round.save()
    assert page_cache.timeout_for(noon) == 90


# --- the WSGI fast path (website.wsgi: PageCacheApplication) ---------------------------------


def wsgi_get(url, **extra):
    """Request ``url`` through the site's WSGI application; (status, headers, body).

    As Django's test client does, the handler's ``close_old_connections`` is disconnected
    meanwhile: it would close the test's own connection, which is inside the test's
    transaction (on PostgreSQL the page would then be a 503).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    from website.wsgi import application

    environ = RequestFactory().get(url, **extra).environ
    seen = {}

    def start_response(status, headers):
        seen.update(status=status, headers=dict(headers))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


def test_a_hit_is_answered_before_django_with_every_header_of_the_page(home, settings):
    from django.core.signals import request_started

    settings.SECURE_HSTS_SECONDS = 3600
    status, miss_headers, miss_body = wsgi_get("/", secure=True)
    assert status == "200 OK" and miss_headers[page_cache.HEADER] == "miss"
    started = []
    request_started.connect(started.append, weak=False, dispatch_uid="test-wsgi-hit")
    try:
        status, hit_headers, hit_body = wsgi_get("/", secure=True)
    finally:
        request_started.disconnect(dispatch_uid="test-wsgi-hit")
    assert status == "200 OK" and hit_headers[page_cache.HEADER] == "hit"
    assert not started  # Django's handler never ran
    assert hit_body == miss_body
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    ):
        assert hit_headers[name] == miss_headers[name], name


def test_the_fast_path_keys_on_the_scheme_and_skips_sessions(home, settings):
    wsgi_get("/", secure=True)
    # The same page over plain HTTP is not the HTTPS page (HSTS, redirects): a miss.
    assert wsgi_get("/")[1][page_cache.HEADER] == "miss"
    # A visitor with a session cookie is never answered from the cache.
    cookie = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
    _, headers, _ = wsgi_get("/", secure=True, **cookie)
    assert page_cache.HEADER not in headers


def test_the_fast_path_lets_django_refuse_a_foreign_host(home):
    status, headers, _ = wsgi_get("/", HTTP_HOST="evil.example")
    assert status.startswith("400") and page_cache.HEADER not in headers


def test_a_process_keeps_recent_pages_but_sees_an_invalidation_at_once(home, monkeypatch):
    def drop_shared_copy():
        """Delete the home page's entry of the current generation from the shared cache."""
        current = f"page-cache:{page_cache.generation()}:"
        key = next(k for k in page_cache._recent if k.startswith(current) and k.endswith("/"))
        cache.delete(key)

    get("/")
    # The shared cache loses the page: this process still answers from its own copy...
    drop_shared_copy()
    assert get("/")[1] == "hit"
    # ...but a change of content (a new generation, read on every request) is seen at once.
    contact = SiteContact.load()
    contact.phone = "0797-7654321"
    contact.save()
    response, state = get("/")
    assert state == "miss" and "0797-7654321" in response.content.decode()
    # And the process's copy never outlives the entry's own expiry.
    drop_shared_copy()
    later = time.time() + page_cache.cache_seconds() + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert get("/")[1] == "miss"


def test_a_miss_through_the_wrapper_reads_the_cache_once(home, monkeypatch):
    # The wrapper looks the request up; the middleware reuses that lookup to store the page.
    calls = []
    real_lookup = page_cache.lookup
    monkeypatch.setattr(
        page_cache, "lookup", lambda request: calls.append(1) or real_lookup(request)
    )
    _, headers, _ = wsgi_get("/")
    assert headers[page_cache.HEADER] == "miss" and len(calls) == 1
    assert wsgi_get("/")[1][page_cache.HEADER] == "hit"


def test_an_unreadable_entry_is_rendered_afresh_not_an_error(home, monkeypatch):
    wsgi_get("/")
    broken = dict.fromkeys(["status", "headers", "body", "expires"])  # a format from elsewhere
    real_lookup = page_cache.lookup

    def lookup(request):  # the wrapper finds the broken entry; Django then renders afresh
        monkeypatch.setattr(page_cache, "lookup", real_lookup)
        return "page-cache:x", broken

    monkeypatch.setattr(page_cache, "lookup", lookup)
    status, headers, body = wsgi_get("/")
    assert status == "200 OK" and headers.get(page_cache.HEADER) != "hit"
    assert b"</html>" in body
