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

    section = NoticeIndexPage.objects.live().descendant_of(page).first()
    if section is None:
        return None
    return {
        "template": "publications/includes/home_notices_panel.html",
        "section": section,
        "notices": section.notices().only("title", "url_path", "publish_date", "notice_type")[:6],
    }
