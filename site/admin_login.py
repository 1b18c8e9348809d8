"""The admin's login form, in Chinese.

Wagtail's ``LoginForm`` gives its password field no label, so Django shows the field's
name, "Password", which no translation catalogue can reach.  This form names it; it is
Wagtail's form in every other respect (``WAGTAILADMIN_USER_LOGIN_FORM``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")
