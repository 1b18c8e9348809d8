from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftsmanConfig(AppConfig):
    name = "craftsman"
    label = "craftsman"
    verbose_name = _("赣州工匠")
