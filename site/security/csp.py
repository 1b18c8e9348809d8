"""Content-Security-Policy: the strict policy everywhere, relaxed directives in the admin.

The public site's policy is ``CONTENT_SECURITY_POLICY`` (no inline script, nothing
from other origins).  Wagtail's admin needs a little more (``ADMIN_CSP_REPLACE``,
see the comment there); this middleware applies those directives to every
response under the admin URL, unless a view set its own with ``@csp_replace``.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from website.security.sessions import is_admin_path


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.replace is None and is_admin_path(request.path):
            parts.replace = settings.ADMIN_CSP_REPLACE
        return parts
