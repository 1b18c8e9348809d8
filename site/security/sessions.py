"""Idle sessions end: 30 minutes in the admin, 2 hours on the public site.

等保 asks that an unattended administrative session ends by itself.  The
session remembers when it was last used, separately for the admin (paths under
Wagtail's admin) and for the rest of the site (the applicant's 在线申报), so an
applicant may take two hours over a form while staff are signed out after half
an hour.  Background requests that Wagtail's editor sends by itself (the
editing-session ping) do not count as activity, or an open tab would keep the
session alive forever; they still end an idle session.

The limits are ``ADMIN_IDLE_TIMEOUT`` and ``SITE_IDLE_TIMEOUT`` in settings.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

ADMIN_KEY = "security.admin_last_seen"
SITE_KEY = "security.site_last_seen"
# URL names Wagtail's admin requests without the user doing anything.
BACKGROUND_URL_NAMES = {"ping", "release"}
BACKGROUND_NAMESPACE = "wagtailadmin_editing_sessions"
WRITE_INTERVAL_SECONDS = 60


def admin_prefix():
    return reverse("wagtailadmin_home")


def is_admin_path(path):
    return path.startswith(admin_prefix())


def is_background_request(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return match.namespace == BACKGROUND_NAMESPACE and match.url_name in BACKGROUND_URL_NAMES


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        in_admin = is_admin_path(request.path)
        key, limit = (
            (ADMIN_KEY, settings.ADMIN_IDLE_TIMEOUT)
            if in_admin
            else (SITE_KEY, settings.SITE_IDLE_TIMEOUT)
        )
        now = time.time()
        last_seen = request.session.get(key)
        if last_seen is not None and now - last_seen > limit.total_seconds():
            return self.end_session(request, in_admin, limit)
        # Saving the session on every request costs a write; a minute's precision is enough.
        fresh = last_seen is not None and now - last_seen < WRITE_INTERVAL_SECONDS
        if not fresh and not (in_admin and is_background_request(request)):
            request.session[key] = now
        return self.get_response(request)

    def end_session(self, request, in_admin, limit):
        logout(request)
        minutes = int(limit.total_seconds() // 60)
        messages.warning(
            request,
            _("您已 %(minutes)d 分钟未操作，为保护账号安全已自动退出，请重新登录。")
            % {"minutes": minutes},
        )
        if in_admin:
            login_url = reverse("wagtailadmin_login")
            if request.method == "GET":
                login_url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(login_url)
        return redirect(request.get_full_path() if request.method == "GET" else "/")
