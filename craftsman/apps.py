from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CraftsmanConfig(AppConfig):
    name = "craftsman"
    label = "craftsman"
    verbose_name = _("赣州工匠")

    def ready(self):
        from craftsman import permissions

        post_migrate.connect(permissions.grant_after_migrate, sender=self)

        from craftsman import publicity
        from publications.signals import objection_received, objection_resolved

        objection_received.connect(publicity.on_objection_received, dispatch_uid="craftsman_hold")
        objection_resolved.connect(
            publicity.on_objection_resolved, dispatch_uid="craftsman_release"
        )
