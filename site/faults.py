"""The database going away in the middle of a request.

When PostgreSQL restarts, fails over or runs out of connections, a view raises
``OperationalError`` / ``InterfaceError``.  Left alone, Django answers with the
generic 500 page — whose context processors query the database again and fail a
second time.  This middleware turns those errors into a calm 503 with
``Retry-After``, rendered from ``templates/503.html`` *without a request* (so no
context processor, session or user lookup runs), and logs the traceback at ERROR
for the operators.  It sits early in ``MIDDLEWARE`` so that its
``process_exception`` runs after every other middleware had its chance.
"""

import logging

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template

logger = logging.getLogger("website.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(error):
    """Django's wrapped errors, and the driver's own (PEP 249) ones that escape unwrapped."""
    if isinstance(error, DATABASE_ERRORS):
        return True
    for connection in connections.all(initialized_only=True):
        driver = connection.Database
        if isinstance(error, (driver.OperationalError, driver.InterfaceError)):
            return True
    return False


RETRY_AFTER_SECONDS = 30

_FALLBACK = (
    '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8">'
    "<title>服务暂时不可用 - 赣州工匠</title>"
    "<h1>服务暂时不可用</h1><p>系统正在维护或数据库暂时无法连接，请稍后再试。</p></html>"
)


def service_unavailable_response():
    """The 503 page, built without touching the database."""
    try:
        content = get_template("503.html").render({})
    except Exception:  # a broken template must not hide the real fault
        logger.exception("503 页面模板渲染失败，改用纯文本页面")
        content = _FALLBACK
    response = HttpResponse(content, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (never a traceback) when the database fails while a view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except Exception as error:  # raised by a middleware further in
            if is_database_outage(error):
                return self._unavailable(request, error)
            raise

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error):
        logger.error(
            "数据库不可用，请求 %s %s 返回 503：%s",
            request.method,
            request.path,
            error,
            exc_info=(type(error), error, error.__traceback__),
        )
        return service_unavailable_response()
