"""Wagtail hooks of ``website.security``: admin URLs, menu items and log action labels.

Imported by ``website/wagtail_hooks.py`` (Wagtail discovers hooks only in an
app's top-level ``wagtail_hooks`` module).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website.security import lockout_views, two_factor_views
from website.security.audit_log import AUDIT_PERMISSION
from website.security.lockout import UNLOCK_ACTION, can_unlock


@hooks.register("register_admin_urls")
def security_admin_urls():
    return [
        path("two-factor/verify/", two_factor_views.verify, name="website_two_factor_verify"),
        path("two-factor/enrol/", two_factor_views.enrol, name="website_two_factor_enrol"),
        path("two-factor/reset/", two_factor_views.reset, name="website_two_factor_reset"),
        path("lockouts/", lockout_views.LockoutListView.as_view(), name="website_lockouts"),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_unlock(request.user)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return LockoutsMenuItem(
        _("登录锁定"), reverse("website_lockouts"), name="lockouts", icon_name="lock", order=900
    )


class AuditLogMenuItem(MenuItem):
    """The 审计管理员's way in; superusers find the same report under 报告 > 站点历史."""

    def is_shown(self, request):
        user = request.user
        return not user.is_superuser and user.has_perm(AUDIT_PERMISSION)


@hooks.register("register_admin_menu_item")
def audit_log_menu_item():
    return AuditLogMenuItem(
        _("审计日志"),
        reverse("wagtailadmin_reports:site_history"),
        name="audit-log",
        icon_name="history",
        order=10000,
    )


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("website_two_factor_enrol"),
        "label": _("两步验证"),
        "help_text": _("绑定或更换手机上的身份验证器，并重新生成恢复码。"),
    }


@hooks.register("register_log_actions")
def security_log_actions(actions):
    actions.register_action(UNLOCK_ACTION, _("解除登录锁定"), _("解除登录锁定"))
    actions.register_action("website.two_factor_enrol", _("绑定身份验证器"), _("绑定身份验证器"))
    actions.register_action(two_factor_views.RESET_ACTION, _("重置两步验证"), _("重置两步验证"))
