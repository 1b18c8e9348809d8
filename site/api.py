"""The public, read-only JSON API (``/api/v2/``) for the city's portal and a mini-program.

Wagtail's own API v2, with only the ``pages`` endpoint mounted:

- only live pages without a view restriction are listed: every request is treated as
  anonymous (no authentication classes), so a logged-in editor sees the same as anyone;
- each page type exposes only the fields it declares in ``api_fields`` (the plugins
  declare their public fields on their own models; the site never imports a plugin);
- GET only: the router has no write routes, other methods answer 405;
- paginated with ``limit``/``offset``, ``limit`` at most ``WAGTAILAPI_LIMIT_MAX``;
- the images and documents endpoints are *not* mounted: they would list every image
  and document, including the photo of a revoked title holder and documents in private
  collections.  Photos reach the API as renditions of the profiles that are public.

Wagtail's error messages are English; :meth:`PublicPagesAPIViewSet.handle_exception`
answers in Chinese, since a person reads them while building a client.
"""

import re

from django.db.models import prefetch_related_objects
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail import hooks
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

# Wagtail's BadRequestError messages, in the order tried, and their Chinese.
ERROR_MESSAGES = [
    (r"^limit cannot be higher than (\d+)$", "每页条数（limit）不能大于 {0}。"),
    (r"^limit must be a positive integer$", "每页条数（limit）必须是正整数。"),
    (r"^offset must be a positive integer$", "起始位置（offset）必须是非负整数。"),
    (r"^type doesn't exist$", "页面类型（type）不存在。"),
    (
        r"^query parameter is not an operation or a recognised field: (.+)$",
        "无法识别的查询参数：{0}。",
    ),
    (r"^fields error: (.+)$", "字段参数（fields）有误：{0}。"),
    (
        r"^field filter error\. '(.+)' is not a valid value for (\S+) \((.+)\)$",
        "筛选值“{0}”对字段 {1} 无效。",
    ),
    (r"^cannot order by '(.+)' \(unknown field\)$", "无法按“{0}”排序：没有该字段。"),
    (r"^random ordering with offset is not supported$", "随机排序时不能使用 offset。"),
    (r"^search is disabled$", "本接口不提供搜索。"),
    (r"^child_of must be a positive integer$", "child_of 必须是正整数。"),
    (r"^ancestor_of must be a positive integer$", "ancestor_of 必须是正整数。"),
    (r"^descendant_of must be a positive integer$", "descendant_of 必须是正整数。"),
    (r"^parent page doesn't exist$", "上级页面不存在。"),
    (r"^ancestor page doesn't exist$", "上级页面不存在。"),
    (r"^descendant page doesn't exist$", "下级页面不存在。"),
]


def chinese_message(message):
    """Wagtail's English message in Chinese; an unknown one keeps its text after a Chinese lead."""
    for pattern, template in ERROR_MESSAGES:
        match = re.match(pattern, message)
        if match:
            return template.format(*match.groups())
    return f"请求参数有误：{message}"


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, anonymous, read-only, answering errors in Chinese."""

    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer]
    # A GET-only endpoint: HEAD and OPTIONS are harmless, everything else is 405.
    http_method_names = ["get", "head", "options"]

    def paginate_queryset(self, queryset):
        """One page of results, then each plugin's ``api_listing_pages(pages)`` hook, which
        looks up at once what its page types' API fields need (no query per page).
        Wagtail's own listing reads each page's locale with a query of its own."""
        pages = list(super().paginate_queryset(queryset))
        prefetch_related_objects(pages, "locale")  # every item's meta names its locale
        for prepare in hooks.get_hooks("api_listing_pages"):
            prepare(pages)
        return pages

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response({"message": "未找到该页面。"}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, MethodNotAllowed):
            return Response(
                {"message": "本接口只读，只接受 GET 请求。"},
                status=status.HTTP_405_METHOD_NOT_ALLOWED,
                headers={"Allow": "GET, HEAD, OPTIONS"},
            )
        if isinstance(exc, BadRequestError):
            return Response(
                {"message": chinese_message(str(exc))}, status=status.HTTP_400_BAD_REQUEST
            )
        return super().handle_exception(exc)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
