from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from craftsman.workflow import ACTION_LABELS


@hooks.register("register_log_actions")
def register_craftsman_log_actions(actions):
    for action, label in ACTION_LABELS.items():
        actions.register_action(f"craftsman.{action}", label, _("申报：%s") % label)
    actions.register_action(
        "craftsman.reveal_personal_data", _("查看完整个人信息"), _("查看完整身份证号和手机号")
    )
    from craftsman.review import LOG_ACTIONS as REVIEW_LOG_ACTIONS

    for action, label in REVIEW_LOG_ACTIONS.items():
        actions.register_action(action, label, _("评审：%s") % label)


@hooks.register("register_admin_viewset")
def register_craftsman_viewsets():
    from craftsman.views.viewsets import CraftsmanViewSetGroup

    return CraftsmanViewSetGroup()


@hooks.register("seed_demo", order=20)
def seed_craftsman_demo(home, stdout):
    from craftsman import demo

    demo.seed_demo(home, stdout)


# --- the online application (申报) on the public site ---------------------------


@hooks.register("public_nav_items")
def craftsman_public_nav_items(request):
    from craftsman.application.public_hooks import nav_items

    return nav_items(request)


@hooks.register("open_call_actions")
def craftsman_open_call_actions(request, page):
    from craftsman.application.public_hooks import open_call_actions

    return open_call_actions(request, page)


@hooks.register("home_page_panels")
def craftsman_home_round_panel(request, page):
    from craftsman.home_stage import home_round_panel

    return home_round_panel(request, page)


@hooks.register("home_page_panels")
def craftsman_home_featured_panel(request, page):
    from craftsman.directory import featured_panel

    return featured_panel(request, page)


@hooks.register("api_listing_pages")
def craftsman_api_listing_pages(pages):
    """The open-data API's listing: the profiles' photos and title holders (for
    ``cultivation_status``) in one query each, not one per profile."""
    from django.db.models import prefetch_related_objects

    from craftsman.directory import attach_title_holders
    from craftsman.models import CraftsmanProfilePage

    profiles = [page for page in pages if isinstance(page, CraftsmanProfilePage)]
    prefetch_related_objects(profiles, "photo")
    attach_title_holders(profiles)


@hooks.register("home_quick_links")
def craftsman_home_quick_links(request, page):
    from craftsman.directory import quick_links

    return quick_links(request, page)


# --- 代录纸质申报 (unit staff enter a paper application) ---------------------------


@hooks.register("register_admin_urls")
def craftsman_paper_entry_urls():
    from django.urls import path

    from craftsman.application import paper

    return [path("craftsman/paper-entry/", paper.paper_entry, name=paper.URL_NAME)]


@hooks.register("register_admin_menu_item")
def craftsman_paper_entry_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from craftsman.application import paper

    class PaperEntryMenuItem(MenuItem):
        def is_shown(self, request):
            return paper.can_enter_paper(request.user)

    return PaperEntryMenuItem(
        _("代录纸质申报"), reverse(paper.URL_NAME), icon_name="doc-full", order=260
    )


# --- 评审 (expert review, ranking) ------------------------------------------------


@hooks.register("register_admin_urls")
def craftsman_review_urls():
    from django.urls import include, path

    from craftsman.views import review

    return [path("craftsman/review/", include((review.urlpatterns, review.APP_NAME)))]


@hooks.register("register_admin_viewset")
def craftsman_expert_viewset():
    from craftsman.views.review import ExpertViewSet

    return ExpertViewSet("craftsman_experts")


@hooks.register("register_admin_viewset")
def craftsman_criterion_viewset():
    from craftsman.views.review import ScoringCriterionViewSet

    return ScoringCriterionViewSet("craftsman_criteria")


@hooks.register("register_admin_viewset")
def craftsman_panel_viewset():
    from craftsman.views.review import ReviewPanelViewSet

    return ReviewPanelViewSet("craftsman_panels")


@hooks.register("register_admin_menu_item")
def craftsman_review_menu():
    from django.urls import reverse
    from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

    from craftsman.roles import is_bureau

    class BureauItem(MenuItem):
        def is_shown(self, request):
            return is_bureau(request.user)

    class ExpertItem(MenuItem):
        def is_shown(self, request):
            return hasattr(request.user, "craftsman_expert")

    class ReviewMenu(SubmenuMenuItem):
        def is_shown(self, request):
            return is_bureau(request.user) or hasattr(request.user, "craftsman_expert")

    menu = Menu(
        items=[
            ExpertItem(_("我的评审任务"), reverse("craftsman_review:my_tasks"), icon_name="tasks"),
            BureauItem(_("评审管理"), reverse("craftsman_review:rounds"), icon_name="list-ol"),
            BureauItem(
                _("评审专家库"), reverse("craftsman_experts:index"), icon_name="user", order=300
            ),
            BureauItem(
                _("评审专家组"), reverse("craftsman_panels:index"), icon_name="group", order=310
            ),
            BureauItem(
                _("评分项设置"), reverse("craftsman_criteria:index"), icon_name="list-ol", order=320
            ),
        ]
    )
    return ReviewMenu(_("评审"), menu, icon_name="tasks", order=255)


# --- 公示与认定 (publicity, approval, conferral) ---------------------------------------


@hooks.register("register_log_actions")
def register_conferral_log_actions(actions):
    from craftsman.views.conferral import LOG_ACTIONS

    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, _("公示与认定：%s") % label)


@hooks.register("register_schedules")
def craftsman_schedules():
    from django_q.models import Schedule

    from website.schedules import Job

    return [
        Job(
            "赣州工匠：公示期满处理",
            "craftsman.tasks.close_due_publicity",
            Schedule.MINUTES,
            minutes=15,
        )
    ]


@hooks.register("register_admin_urls")
def craftsman_conferral_urls():
    from django.urls import include, path

    from craftsman.views import conferral

    return [path("craftsman/conferral/", include((conferral.urlpatterns, conferral.APP_NAME)))]


# --- 证书批量生成 (a round's certificates as one ZIP, built in the background) -----------


@hooks.register("register_log_actions")
def register_certificate_batch_log_actions(actions):
    from craftsman.certificates import LOG_ACTIONS

    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, _("证书：%s") % label)


@hooks.register("register_admin_urls")
def craftsman_certificate_batch_urls():
    from django.urls import include, path

    from craftsman.views import certificates

    return [
        path(
            "craftsman/certificates/",
            include((certificates.urlpatterns, certificates.APP_NAME)),
        )
    ]


@hooks.register("register_admin_menu_item")
def craftsman_conferral_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from craftsman.roles import is_bureau

    class BureauItem(MenuItem):
        def is_shown(self, request):
            return is_bureau(request.user)

    return BureauItem(
        _("公示与认定"), reverse("craftsman_conferral:rounds"), icon_name="success", order=257
    )


@hooks.register("construct_homepage_panels")
def craftsman_dashboard_panels(request, panels):
    """Each role's own panels on the admin home (see craftsman/dashboard.py)."""
    from craftsman.dashboard import panels_for

    panels.extend(panels_for(request))


# --- 撤销称号、激励待遇、奖励发放、结果统计 (《办法》第四条、第九条、第十二条) ---------------


@hooks.register("register_log_actions")
def register_revocation_log_actions(actions):
    from craftsman.revocation import LOG_ACTIONS

    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, _("退出与待遇：%s") % label)


@hooks.register("register_admin_urls")
def craftsman_revocation_urls():
    from django.urls import include, path

    from craftsman.views import revocation

    return [path("craftsman/", include((revocation.urlpatterns, revocation.APP_NAME)))]


@hooks.register("register_admin_menu_item")
def craftsman_revocation_menu():
    from django.urls import reverse
    from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

    from craftsman.roles import is_bureau, is_finance, is_observer

    def item(check, label, url_name, icon, order):
        class Item(MenuItem):
            def is_shown(self, request):
                return check(request.user)

        return Item(label, reverse(url_name), icon_name=icon, order=order)

    def any_role(user):
        return is_bureau(user) or is_finance(user) or is_observer(user)

    class OrganisersMenu(SubmenuMenuItem):
        def is_shown(self, request):
            return any_role(request.user)

    menu = Menu(
        items=[
            item(is_bureau, _("撤销称号"), "craftsman_revocation:cases", "warning", 10),
            item(is_bureau, _("激励待遇"), "craftsman_revocation:benefits", "pick", 20),
            item(
                lambda u: is_bureau(u) or is_finance(u),
                _("奖励发放"),
                "craftsman_revocation:rewards",
                "doc-full",
                30,
            ),
            item(
                lambda u: is_bureau(u) or is_observer(u),
                _("结果统计"),
                "craftsman_revocation:results",
                "table",
                40,
            ),
        ]
    )
    return OrganisersMenu(_("退出与待遇"), menu, icon_name="warning", order=258)


# --- 培养 (annual cultivation records, arts. 10-11) -----------------------------------


@hooks.register("register_log_actions")
def register_cultivation_log_actions(actions):
    from craftsman.cultivation import LOG_ACTIONS

    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, _("培养：%s") % label)


@hooks.register("register_admin_urls")
def craftsman_cultivation_urls():
    from django.urls import include, path

    from craftsman.views import cultivation

    return [
        path("craftsman/cultivation/", include((cultivation.urlpatterns, cultivation.APP_NAME)))
    ]


@hooks.register("register_admin_menu_item")
def craftsman_cultivation_menu():
    from django.urls import reverse
    from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

    from craftsman.cultivation import is_employer
    from craftsman.roles import is_bureau

    class EmployerItem(MenuItem):
        def is_shown(self, request):
            return is_employer(request.user) or is_bureau(request.user)

    class BureauItem(MenuItem):
        def is_shown(self, request):
            return is_bureau(request.user)

    class CultivationMenu(SubmenuMenuItem):
        def is_shown(self, request):
            return is_employer(request.user) or is_bureau(request.user)

    menu = Menu(
        items=[
            EmployerItem(
                _("我的工匠 / 年度培养情况"),
                reverse("craftsman_cultivation:mine"),
                icon_name="user",
                order=10,
            ),
            BureauItem(
                _("年度培养情况总览"),
                reverse("craftsman_cultivation:overview"),
                icon_name="list-ul",
                order=20,
            ),
        ]
    )
    return CultivationMenu(_("培养"), menu, icon_name="group", order=256)


@hooks.register("register_schedules")
def craftsman_cultivation_schedules():
    from django_q.models import Schedule

    from website.schedules import Job

    return [
        Job(
            "赣州工匠：年度培养情况报送提醒", "craftsman.cultivation.send_reminders", Schedule.DAILY
        ),
        Job("赣州工匠：培养期满处理", "craftsman.cultivation.complete_due_periods", Schedule.DAILY),
    ]


@hooks.register("seed_scale", order=20)
def seed_craftsman_scale(home, factor, progress):
    from craftsman import scale

    scale.seed_scale(home, factor, progress)


# --- the anonymous page cache (website.page_cache) ------------------------------------


@hooks.register("page_cache_models")
def craftsman_page_cache_models():
    """Rows behind the public pages: the home page's round stage, profiles, result lists."""
    from craftsman.models import (
        Craftsman,
        GovernmentApproval,
        RoundPublicity,
        SelectionRound,
        Submission,
    )

    return [Craftsman, GovernmentApproval, RoundPublicity, SelectionRound, Submission]


@hooks.register("page_cache_boundaries")
def craftsman_page_cache_boundaries(now):
    """A round's application window opens and closes at its own times (申报中 / 评审中)."""
    from django.db.models import Q

    from craftsman.models import SelectionRound

    rows = SelectionRound.objects.filter(
        Q(closes_at__gt=now) | Q(recommendation_deadline__gt=now)
    ).values_list("opens_at", "closes_at", "recommendation_deadline")
    for moments in rows:
        yield from moments


@hooks.register("register_log_actions")
def register_retention_log_actions(actions):
    from craftsman.retention import ACTION, ACTION_LABEL

    actions.register_action(ACTION, ACTION_LABEL, _("申报：%s") % ACTION_LABEL)


@hooks.register("register_schedules")
def craftsman_retention_schedules():
    from django_q.models import Schedule

    from website.schedules import Job

    return [
        Job(
            "赣州工匠：未成功申报到期匿名化",
            "craftsman.retention.anonymise_unsuccessful",
            Schedule.DAILY,
        )
    ]
