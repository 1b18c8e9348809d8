"""The anonymous page cache: public pages served from ``CACHES["default"]`` to visitors without
a session.

Why not Django's per-site cache middleware: it keys on the URL and the ``Vary`` headers and
expires entries only by time, so a published page, a revoked profile or a publicity list
that closes at midnight would stay stale for the whole timeout.  Here:

- **What is cached**: a ``GET`` of the public site (not ``/admin/``, not a preview) by a
  visitor who sends no session or messages cookie, answered ``200`` with ``text/html``, that
  set no cookie (a rendered CSRF token always sets the CSRF cookie, so a page carrying a
  form — the objection form — is never cached), said nothing against caching
  (``Cache-Control: private/no-cache/no-store``) and was not rendered for a signed-in user.
  ``HEAD`` is answered from a cached ``GET``.
- **Key**: the scheme, the host, the path and the query string, under a *generation* number.
  :func:`invalidate` bumps the generation: every entry is dropped at once, in one cache
  write, whichever process wrote it (with Redis; the local-memory cache is per process,
  see README "缓存").
- **When it is invalidated**: a page is published, unpublished, moved or deleted (Wagtail's
  signals), and any save or delete of a model whose rows show on public pages: snippets,
  site settings (SiteContact), images, documents, plus the models each plugin lists
  through the ``page_cache_models()`` hook (objections, title holders, rounds …).
- **Time**: an entry never outlives the next moment at which a public page changes by
  itself — the next state boundary any plugin reports through the
  ``page_cache_boundaries(now)`` hook (midnight in Beijing, when publicity lists open and
  close; a round's application window) — nor ``PAGE_CACHE_SECONDS`` (0 turns the cache off).

- **Where a hit is answered**: :class:`PageCacheApplication` wraps the WSGI application
  (``website.wsgi``) and answers a hit before Django builds its handler, middleware and
  signals — what a caching proxy in front would do, and why a hit costs about as much as a
  static file (``runserver`` goes through it too: ``WSGI_APPLICATION``).
  :class:`PageCacheMiddleware` stores misses, reusing the wrapper's lookup, and answers
  hits reached without the wrapper (Django's test client).  It is the outermost middleware,
  so the stored headers include SecurityMiddleware's (HSTS, nosniff, Referrer-Policy) and
  CSP/X-Frame-Options: a hit carries every header the page had.  The scheme in the key
  keeps HTTPS pages from being served over HTTP (where SecurityMiddleware redirects).

Every response the middleware or the wrapper considered says ``X-Page-Cache: hit`` or
``miss``.
"""

import logging
import math
import time
from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
DEFAULT_SECONDS = 300
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")
UNCACHEABLE_CONTROLS = ("private", "no-cache", "no-store")
HEADER = "X-Page-Cache"
# Where the WSGI wrapper leaves its lookup of a request it did not answer.
LOOKUP_ENVIRON_KEY = "website.page_cache.lookup"


def cache_seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh (or flushed) cache: start from the clock, so that a generation reused
        # after a flush can never meet entries written before it, and forget this
        # process's copies (their generations came from the old count).
        _recent.clear()
        value = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate(**kwargs):
    """Drop every cached page (a signal receiver, hence ``**kwargs``).

    Bumped now and again after the transaction commits: a request that rendered the old
    rows stored them under the generation it read *before* rendering, so once the
    committed bump is visible nothing stale can be found.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under a known one
        generation()
    except Exception:  # a cache outage must never break a publish
        logger.exception("页面缓存失效失败")


def _key(request, generation_number):
    host = request.get_host()  # DisallowedHost for a host not in ALLOWED_HOSTS
    return f"page-cache:{generation_number}:{request.scheme}://{host}{request.get_full_path()}"


def lookup(request):
    """``(key, entry)`` for a cacheable request: ``entry`` is the stored page or None.

    ``(None, None)`` when the cache is off, the request is not one we cache, its host is
    not allowed, or the cache cannot be read (the page is then rendered, never an error).
    """
    if cache_seconds() <= 0 or not request_is_cacheable(request):
        return None, None
    try:
        key = _key(request, generation())
        return key, _recent_entry(key) or _remember(key, cache.get(key))
    except DisallowedHost:
        return None, None
    except Exception:
        logger.exception("页面缓存不可用，直接生成页面")
        return None, None


def request_is_cacheable(request):
    """Only anonymous visitors' reads of the public site: decided from the request alone."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return True


def response_is_cacheable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNCACHEABLE_CONTROLS):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # Belt and braces: a form's token must never reach another visitor.
    return b"csrfmiddlewaretoken" not in response.content


def timeout_for(now=None):
    """Seconds until the earliest of ``PAGE_CACHE_SECONDS`` and the next state boundary."""
    now = now or timezone.now()
    limit = now + timedelta(seconds=cache_seconds())
    for boundaries in hooks.get_hooks("page_cache_boundaries"):
        for moment in boundaries(now):
            if moment is not None and now < moment < limit:
                limit = moment
    return max(int((limit - now).total_seconds()), 0)


def _store(key, response, expires):
    """Store ``response`` until ``expires`` (a timestamp counted from when rendering began,
    so that an entry never outlives the boundary :func:`timeout_for` found)."""
    remaining = math.ceil(expires - time.time())
    if remaining <= 0:
        return
    headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
    entry = {
        "status": response.status_code,
        "headers": headers,
        "body": response.content,
        "expires": expires,
    }
    cache.set(key, entry, remaining)
    _remember(key, entry)


# The entries this process served lately, by key.  A key holds the generation, so an
# entry under it never changes: only the generation must be read from the shared cache
# on every request (that read is what makes an invalidation visible at once), and a hit
# skips reading and unpickling the page itself.  Each entry keeps its own expiry.
RECENT_LIMIT = 128
_recent = {}


def _recent_entry(key):
    entry = _recent.get(key)
    if entry is not None and entry["expires"] > time.time():
        return entry
    return None


def _remember(key, entry):
    if entry is not None and "expires" in entry:
        if len(_recent) >= RECENT_LIMIT:
            _recent.clear()  # older generations and cold pages go; the busy ones return
        _recent[key] = entry
    return entry


def _rebuild(entry):
    response = HttpResponse(entry["body"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serves and stores anonymous public pages; the outermost middleware.

    It sits *before* the session, CSRF, auth and message middleware so that a hit costs no
    session lookup at all; which is why it decides "anonymous" from the cookies, and looks
    at the response only after every inner middleware has added its cookies and headers
    (CSP, X-Frame-Options), which are stored with the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The WSGI wrapper has already looked this request up (and read the generation
        # before anything was rendered): reuse its answer rather than read the cache twice.
        found = request.META.pop(LOOKUP_ENVIRON_KEY, None)
        key, entry = found if found is not None else lookup(request)
        if key is None:
            return self.get_response(request)
        if entry is not None:
            response = _rebuild(entry)
            response[HEADER] = "hit"
            return response
        started, started_at = timezone.now(), time.time()
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            timeout = timeout_for(started)
            if timeout > 0:
                try:
                    _store(key, response, started_at + timeout)
                except Exception:
                    logger.exception("页面缓存写入失败")
        response[HEADER] = "miss"
        return response


class PageCacheApplication:
    """WSGI wrapper: a cached page is answered here, before Django's handler runs.

    The request is looked up with the same :func:`lookup` as the middleware (a
    ``WSGIRequest`` built on the same environ, so the key cannot differ); anything but a
    hit goes to the wrapped application unchanged, and the middleware stores it.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            request = WSGIRequest(environ)
            key, entry = lookup(request)
            if entry is not None:
                status = HTTPStatus(entry["status"])
                headers = [*entry["headers"], (HEADER, "hit")]
                body = b"" if request.method == "HEAD" else entry["body"]
        except Exception:  # a request Django would refuse, or an unreadable entry
            logger.exception("页面缓存应答失败，交给 Django 处理")
            key, entry = None, None
        if entry is None:
            environ[LOOKUP_ENVIRON_KEY] = (key, None)  # for the middleware: a miss
            return self.application(environ, start_response)
        start_response(f"{status.value} {status.phrase}", headers)
        return [body]


# --- invalidation ------------------------------------------------------------------


def _site_models():
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Site
    from wagtail.snippets.models import get_snippet_models

    return {
        *get_snippet_models(),
        *settings_registry,
        Site,
        get_image_model(),
        get_document_model(),
    }


_watched = None


def watched_models():
    """Models whose rows show on public pages: the site's, and each plugin's hook's."""
    global _watched
    if _watched is None:
        models = set(_site_models())
        for listed in hooks.get_hooks("page_cache_models"):
            models.update(listed())
        _watched = frozenset(models)
    return _watched


def _on_model_change(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata
    if sender in watched_models():
        invalidate()


def connect_signals():
    """Called from ``WebsiteConfig.ready``."""
    page_published.connect(invalidate, dispatch_uid="page_cache_published")
    page_unpublished.connect(invalidate, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(invalidate, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_page_delete, dispatch_uid="page_cache_page_deleted")
    post_save.connect(_on_model_change, dispatch_uid="page_cache_model_saved")
    post_delete.connect(_on_model_change, dispatch_uid="page_cache_model_deleted")


def _on_page_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        invalidate()
