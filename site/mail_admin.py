"""系统设置 → 邮件发送记录: the outbox (``website.mail``) as a read-only admin list.

The bureau sees what was sent, what is waiting and what failed (with the last error),
to answer "I never got the mail" without a database console.  Nobody adds, edits or
deletes rows here: the outbox is written by the code only.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from website.models import OutgoingMail


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """View only, for everyone including superusers: the outbox is written by code."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class OutgoingMailViewSet(ModelViewSet):
    model = OutgoingMail
    icon = "mail"
    menu_label = _("邮件发送记录")
    add_to_settings_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["status"]
    search_fields = ["subject", "recipients"]
    list_display = [
        "subject",
        Column("recipients", label=_("收件人")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("created", label=_("创建时间")),
        DateColumn("sent_at", label=_("发送时间")),
        "attempts",
    ]
    inspect_view_fields = [
        "subject",
        "recipients",
        "status",
        "created",
        "sent_at",
        "attempts",
        "last_error",
        "body",
    ]
    form_fields = ["subject"]  # required by ModelViewSet; the policy forbids every edit


register_permission_policy(OutgoingMail, ReadOnlyPermissionPolicy(OutgoingMail))
outgoing_mail_viewset = OutgoingMailViewSet("outgoing_mail")


def grant_outbox_permissions():
    """The bureau may view the outbox (``view_outgoingmail``); nobody may change it here."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from website.roles import group_for

    content_type, _created = ContentType.objects.get_or_create(
        app_label="website", model="outgoingmail"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_outgoingmail",
        defaults={"name": "Can view 邮件发送记录"},
    )
    group_for("bureau").permissions.add(permission)
