"""The ceiling: the same gunicorn serving one static file from memory, before Django.

whitenoise is not a dependency and Django's staticfiles only serves files with
DEBUG on, so the reference for "static file throughput" is this WSGI wrapper:
``/bench-static/site.css`` is answered from bytes read once at start-up (as a
static-file server with a warm page cache would); every other path goes to the
site's own WSGI application unchanged.
"""

from pathlib import Path

from website.wsgi import application as site_application

STATIC_PATH = "/bench-static/site.css"
BODY = (Path(__file__).resolve().parent.parent / "site/static/website/css/site.css").read_bytes()
HEADERS = [
    ("Content-Type", "text/css; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
    ("Cache-Control", "public, max-age=31536000, immutable"),
]


def application(environ, start_response):
    if environ.get("PATH_INFO") == STATIC_PATH:
        start_response("200 OK", HEADERS)
        return [BODY]
    return site_application(environ, start_response)
