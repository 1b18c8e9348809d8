from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks

from publications import admin_views, demo
from publications.objection_actions import ACTION_DOWNLOAD, ACTION_RECEIVE, ACTION_VERIFY


@hooks.register("seed_demo", order=10)
def seed_publications_demo(home, stdout):
    demo.seed_demo(home, stdout)


# --- 公示与异议 (publicity and objections) ---------------------------------------


@hooks.register("register_admin_viewset")
def register_objection_viewset():
    return admin_views.ObjectionViewSet()


@hooks.register("register_admin_viewset")
def register_holiday_override_viewset():
    return admin_views.HolidayOverrideViewSet()


@hooks.register("register_admin_viewset")
def register_holiday_year_viewset():
    return admin_views.HolidayCalendarYearViewSet()


@hooks.register("register_admin_urls")
def register_objection_evidence_url():
    return [
        path(
            "publications/objection-evidence/<int:pk>/",
            admin_views.evidence_download,
            name=admin_views.EVIDENCE_URL_NAME,
        )
    ]


@hooks.register("register_log_actions")
def register_objection_log_actions(actions):
    actions.register_action(ACTION_RECEIVE, "收到异议", "收到异议")
    actions.register_action(ACTION_VERIFY, "核查异议", "记录了异议核查情况和答复")
    actions.register_action(ACTION_DOWNLOAD, "下载异议佐证材料", "下载了异议佐证材料")


@hooks.register("before_delete_page")
def keep_publicity_notices_with_objections(request, page):
    """A 公示 that received objections stays: the objections refer to it."""
    from publications.models import Objection, PublicityNoticePage

    if isinstance(page.specific_deferred, PublicityNoticePage) and (
        Objection.objects.filter(notice_id=page.pk).exists()
    ):
        messages.error(
            request,
            f"“{page.get_admin_display_title()}”已收到异议，不能删除；如不再公开，请取消发布。",
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


# --- 首页 (home page) ---------------------------------------------------------


@hooks.register("home_page_panels")
def latest_notices_panel(request, page):
    """The six newest notices of the first 通知公告 section, with a link to the rest."""
    from publications.models import NoticeIndexPage

    section = _home_sections(request, page).get(NoticeIndexPage)
    if section is None:
        return None
    return {
        "template": "publications/includes/home_notices_panel.html",
        "section": section,
        "notices": section.notices().only("title", "url_path", "publish_date", "notice_type")[:6],
    }


@hooks.register("seed_scale", order=10)
def seed_publications_scale(home, factor, progress):
    from publications import scale

    scale.seed_scale(home, factor, progress)


def _home_sections(request, page):
    """{model: first live section of that kind below ``page``} for the home page's panel and
    quick links: one query per request, shared by both (fields deferred, never read)."""
    cached = getattr(request, "_publications_home_sections", None)
    if cached is None:
        from wagtail.models import Page

        from publications.models import NoticeIndexPage, PolicyIndexPage

        cached = {}
        for section in (
            Page.objects.live()
            .descendant_of(page)
            .type(NoticeIndexPage, PolicyIndexPage)
            .order_by("path")
            .specific(defer=True)
        ):
            cached.setdefault(type(section), section)
        request._publications_home_sections = cached
    return cached


@hooks.register("home_quick_links")
def publications_quick_links(request, page):
    """快捷入口: 政策文件, 通知公告 and 名单公示 (the notices filtered to 公示)."""
    from publications.models import NoticeIndexPage, PolicyIndexPage

    sections = _home_sections(request, page)
    links = []
    if policies := sections.get(PolicyIndexPage):
        links.append({"title": "政策文件", "url": policies.get_url(request), "order": 10})
    if notices := sections.get(NoticeIndexPage):
        url = notices.get_url(request)
        links.append({"title": "通知公告", "url": url, "order": 20})
        links.append({"title": "名单公示", "url": f"{url}?type=publicity", "order": 30})
    return links


# --- the anonymous page cache (website.page_cache) ------------------------------------


@hooks.register("page_cache_models")
def publications_page_cache_models():
    """Rows shown on public pages outside a page revision: objections, the holiday calendar."""
    from publications.models import HolidayCalendarYear, HolidayOverride, Objection

    return [Objection, HolidayCalendarYear, HolidayOverride]


@hooks.register("page_cache_boundaries")
def publications_page_cache_boundaries(now):
    """A publicity list opens and closes at midnight in Beijing; an open call at its times."""
    import datetime

    from publications.models import OpenCallPage
    from publications.workdays import SHANGHAI

    tomorrow = now.astimezone(SHANGHAI).date() + datetime.timedelta(days=1)
    yield datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=SHANGHAI)
    windows = OpenCallPage.objects.live().filter(window_end__gt=now)
    for start, end in windows.values_list("window_start", "window_end"):
        yield start
        yield end


# --- 待办结的异议 on the admin home (publications/dashboard.py) ------------------------


@hooks.register("construct_homepage_panels")
def open_objections_panel(request, panels):
    """待办结的异议 on the admin home, for those who process objections."""
    from publications.dashboard import OpenObjectionsPanel, can_see_objections

    if can_see_objections(request.user):
        panels.append(OpenObjectionsPanel(request))
