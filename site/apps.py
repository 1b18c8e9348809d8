from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = _("网站")

    def ready(self):
        from . import roles, schedules

        post_migrate.connect(roles.ensure_roles_after_migrate, sender=self)
        post_migrate.connect(schedules.ensure_schedules_after_migrate, sender=self)
        from . import page_cache

        page_cache.connect_signals()
