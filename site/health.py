"""``GET /healthz``: is each dependency reachable?

Answers 200 with ``{"status": "ok", "checks": {...}}`` when every check
passes, and 503 naming the failing dependency otherwise.  Load balancers and
the deployment's monitoring poll it; it never touches a template or session.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_broker():
    if settings.Q_CLUSTER.get("sync"):
        return
    from django_q.brokers import get_broker

    if not get_broker().ping():
        raise RuntimeError("broker did not answer")


CHECKS = {"database": check_database, "cache": check_cache, "task_broker": check_broker}


@never_cache
@require_GET
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is reported, not raised
            results[name] = f"error: {exc.__class__.__name__}"
        else:
            results[name] = "ok"
    failing = [name for name, result in results.items() if result != "ok"]
    body = {"status": "ok" if not failing else "error", "checks": results}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
