"""The character-class password rule that 等保 assessors check for.

Django's validators cover length, similarity to the account, common and
all-digit passwords; this one adds "at least three of: upper-case letters,
lower-case letters, digits, symbols".  It is in ``AUTH_PASSWORD_VALIDATORS``,
so the applicant registration form, Wagtail's user forms and
``changepassword`` all apply it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CLASSES = (
    ("upper", str.isupper),
    ("lower", str.islower),
    ("digit", str.isdigit),
    ("symbol", lambda ch: not ch.isalnum() and not ch.isspace()),
)


def character_classes(password):
    """The set of class names (``upper``, ``lower``, ``digit``, ``symbol``) in ``password``."""
    return {name for name, test in CLASSES for ch in password if test(ch)}


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须至少包含大写字母、小写字母、数字、符号中的 %(count)d 类。") % {
            "count": self.min_classes
        }
