"""The second sign-in factor for the admin (django-otp: TOTP and recovery codes).

Who must use it: superusers and the roles that hold the most power (市人社局,
系统管理员; ``REQUIRED_ROLES``).  Everyone else with admin access may enrol; once
they have a confirmed device they are asked for a code like the others.

How it is enforced: Wagtail's own password login runs unchanged; django-otp's
``OTPMiddleware`` tells whether this session has passed a second factor
(``request.user.is_verified()``); ``TwoFactorMiddleware`` below sends every
admin request of an unverified session that needs one to the verify page (or,
with no device yet, to the enrolment page).  Only the pages needed to get
verified, and logging out, stay reachable: no admin view, JSON endpoint
included, answers before that.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from website.roles import ROLES_BY_KEY
from website.security.sessions import is_admin_path

REQUIRED_ROLES = ("bureau", "sysadmin")
VERIFY_URL_NAME = "website_two_factor_verify"
ENROL_URL_NAME = "website_two_factor_enrol"
# Reachable before the second factor: signing in and out, the two-factor pages
# themselves, and the admin's icon sprite and translation catalogue that their
# layout loads (the same for every user, no data).
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    VERIFY_URL_NAME,
    ENROL_URL_NAME,
)


def two_factor_required(user):
    """Superusers and members of the ``REQUIRED_ROLES`` groups must use two factors."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    names = {ROLES_BY_KEY[key].name for key in REQUIRED_ROLES}
    return user.groups.filter(name__in=names).exists()


def needs_second_factor(user):
    """Whether this signed-in user must pass a second factor before the admin opens."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user) or two_factor_required(user)


def open_paths():
    return {reverse(name) for name in OPEN_URL_NAMES}


def next_param(request):
    if request.method == "GET":
        return "?" + urlencode({"next": request.get_full_path()})
    return ""


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_admin_path(request.path)
            and request.path not in open_paths()
            and needs_second_factor(user)
        ):
            name = VERIFY_URL_NAME if user_has_device(user) else ENROL_URL_NAME
            return redirect(reverse(name) + next_param(request))
        return self.get_response(request)
