"""Who is knocking, as django-axes sees it: the client's address and the username.

``client_username`` (``AXES_USERNAME_CALLABLE``): Django's login form checks the
username's length only in the browser, so a made-up username of any length reaches
``authenticate()`` and axes's failure record, whose column holds 255 characters
(PostgreSQL refuses a longer value).  No account has a longer username, so the
first 255 characters identify the attempt as well as the whole string would.

``client_ip_address`` (``AXES_CLIENT_IP_CALLABLE``):

Behind a reverse proxy every request comes from the proxy's address, so a
lockout keyed on it would lock out everyone.  ``X-Forwarded-For`` is a list a
client can start with anything it likes; only the entries appended by our own
proxies are trustworthy.  With ``TRUSTED_PROXY_COUNT = n`` the address is the
n-th entry from the right; with 0 (the default, no proxy) the header is ignored.
"""

from django.conf import settings


def client_ip_address(request):
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through them all.
        return remote_addr
    return forwarded[-proxies]


USERNAME_COLUMN_LENGTH = 255  # axes.models.AccessBase.username


def client_username(request, credentials=None):
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username)[:USERNAME_COLUMN_LENGTH]
