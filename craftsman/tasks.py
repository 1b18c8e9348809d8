"""Background tasks of the craftsman plugin (django-q2), and the applicant's status mail.

The mail itself goes through the site's outbox (``website.mail``): it is written in the
transaction of the state change and delivered after commit, so it survives a broker
outage.
"""

from django.conf import settings
from django.template.loader import render_to_string

from craftsman.models import SubmissionEvent
from website.mail import queue_mail


def status_change_mail(event):
    """``(recipient, subject, body)`` telling the applicant about ``event``, or ``None``."""
    submission = event.submission
    recipient = submission.email or (submission.applicant.email if submission.applicant else "")
    if not recipient:
        return None
    context = {
        "event": event,
        "submission": submission,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
    }
    subject = f"【赣州工匠】您的申报（{submission.receipt_number or submission.name}）：{event.get_to_status_display()}"
    body = render_to_string("craftsman/email/status_change.txt", context)
    return recipient, subject, body


def queue_status_change_mail(event):
    """Put the applicant's mail about ``event`` in the outbox (call inside the transaction)."""
    mail = status_change_mail(event)
    return queue_mail(*mail) if mail else None


def notify_status_change(event_id):
    """Task kept for entries queued before the outbox existed: queue the mail now."""
    event = (
        SubmissionEvent.objects.select_related(
            "submission__round", "submission__recommending_unit", "submission__applicant"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    return 1 if queue_status_change_mail(event) else 0


def close_due_publicity():
    """Scheduled: candidates of notices whose period has ended move on (craftsman.publicity)."""
    from craftsman.publicity import close_due_publicity as close

    return close()
