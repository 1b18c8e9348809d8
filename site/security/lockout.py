"""Login lockouts (django-axes): which are in force, and lifting one with an audit entry.

django-axes counts failed logins per username *and* client address
(``AXES_LOCKOUT_PARAMETERS``); after ``AXES_FAILURE_LIMIT`` failures that pair
is refused for ``AXES_COOLOFF_TIME``.  Wagtail's admin login and the
applicant login both go through ``authenticate(request=...)``, so both are
counted.  Staff holding ``axes.delete_accessattempt`` (系统管理员, superusers)
lift a lockout from the admin; every lift is written to Wagtail's audit log.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

UNLOCK_PERMISSION = "axes.delete_accessattempt"
UNLOCK_ACTION = "website.unlock_login"


def can_unlock(user):
    return user.is_active and user.has_perm(UNLOCK_PERMISSION)


def current_lockouts():
    """Username/address pairs refused right now, most recent first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


@transaction.atomic
def unlock(attempt_pk, user):
    """Lift one lockout, logging who lifted it.  Returns the pair, or None if already gone."""
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.select_for_update().filter(pk=attempt_pk).first()
    if attempt is None:
        return None
    pair = {"username": attempt.username, "ip_address": attempt.ip_address}
    log(
        instance=attempt,
        action=UNLOCK_ACTION,
        user=user,
        data={**pair, "failures": attempt.failures_since_start},
    )
    AccessAttempt.objects.filter(username=attempt.username, ip_address=attempt.ip_address).delete()
    return pair
