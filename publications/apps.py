from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    label = "publications"
    verbose_name = _("信息发布")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from publications import objection_permissions
        from publications.models import Objection

        # Objections are never added or deleted in the admin (before any
        # viewset asks for the default policy).
        register_permission_policy(
            Objection, objection_permissions.ObjectionPermissionPolicy(Objection)
        )
        post_migrate.connect(objection_permissions.grant_after_migrate, sender=self)
