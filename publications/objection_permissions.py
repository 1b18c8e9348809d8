"""Who may do what with objections and the holiday calendar.

* Objections are never added nor deleted in the admin, not even by a
  superuser: they come in through the public form and stay on record.
* The 市人社局 group may view and process objections and keep the holiday
  calendar (节假日调整、节假日年度), granted after every ``migrate``.
"""

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from wagtail.permission_policies import ModelPermissionPolicy

BUREAU_PERMISSIONS = {
    "objection": ("view", "change"),
    "holidayoverride": ("view", "add", "change", "delete"),
    "holidaycalendaryear": ("view", "add", "change", "delete"),
}


class ObjectionPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody may add or delete objections here."""

    refused_actions = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.refused_actions]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


def grant_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Give the 市人社局 group the publications permissions listed above (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    from website.roles import group_for

    # The auth app creates permissions in its own post_migrate handler, which may
    # run after this one on the first migrate: make sure they exist.
    create_permissions(sender, verbosity=0, using=using)
    wanted = [
        f"{action}_{model}" for model, actions in BUREAU_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="publications", codename__in=wanted
    )
    group_for("bureau").permissions.add(*permissions)
