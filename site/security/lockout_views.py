"""The 登录锁定 admin screen: current lockouts, each with a 解除锁定 button (POST).

The 系统管理员 also resets a colleague's two-factor sign-in from here
(``two_factor_views.reset``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from website.security.lockout import can_unlock, current_lockouts, unlock
from website.security.two_factor_views import can_reset


class LockoutListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "website/security/lockouts.html"
    page_title = _("登录锁定")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_unlock(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=current_lockouts(),
            can_reset_two_factor=can_reset(self.request.user),
            **kwargs,
        )

    def post(self, request):
        try:
            attempt_pk = int(request.POST.get("attempt", ""))
        except ValueError:
            messages.error(request, _("请选择要解除的锁定。"))
            return redirect("website_lockouts")
        pair = unlock(attempt_pk, request.user)
        if pair is None:
            messages.warning(request, _("该锁定已不存在（可能已解除或已过期）。"))
        else:
            messages.success(
                request,
                _("已解除账号 %(username)s 在地址 %(ip_address)s 的登录锁定。") % pair,
            )
        return redirect("website_lockouts")
