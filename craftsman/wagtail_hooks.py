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
    from craftsman.application.public_hooks import home_round_panel

    return home_round_panel(request, page)


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
