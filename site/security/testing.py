"""Test helpers for signing in past the security layer (used by tests/, never by the site).

``client.force_login(user)`` leaves the session without a second factor, so a
superuser or 市人社局 account is sent to the verify page; ``client.login()``
has no request for django-axes to count failures against.  These two helpers
do what a person does through the login and verify pages.
"""

import time

from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY

from website.security.sessions import ADMIN_KEY, SITE_KEY


def verified_login(client, user):
    """``client.force_login(user)`` with the session past two-factor sign-in.

    Gives the user a confirmed TOTP device if they have none and marks the
    session verified with it, as ``django_otp.login(request, device)`` does
    after a correct code.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # Just active, as after a real sign-in: the first request writes no timestamp,
    # so query counts are the same from the first request on.
    session[ADMIN_KEY] = session[SITE_KEY] = time.time()
    session.save()


def password_login(client, username, password):
    """``client.login()`` with a request, as django-axes requires to count failures."""
    request = RequestFactory().post("/admin/login/")
    return client.login(request=request, username=username, password=password)
