"""The client's address as django-axes sees it (``AXES_CLIENT_IP_CALLABLE``).

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
