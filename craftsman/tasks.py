"""Background tasks of the craftsman plugin (django-q2)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from craftsman.models import SubmissionEvent


def notify_status_change(event_id):
    """E-mail the applicant about one step of their submission's timeline."""
    event = (
        SubmissionEvent.objects.select_related(
            "submission__round", "submission__recommending_unit", "submission__applicant"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    submission = event.submission
    recipient = submission.email or (submission.applicant.email if submission.applicant else "")
    if not recipient:
        return 0
    context = {
        "event": event,
        "submission": submission,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
    }
    subject = f"【赣州工匠】您的申报（{submission.receipt_number or submission.name}）：{event.get_to_status_display()}"
    body = render_to_string("craftsman/email/status_change.txt", context)
    return send_mail(subject, body, None, [recipient])


def close_due_publicity():
    """Scheduled: candidates of notices whose period has ended move on (craftsman.publicity)."""
    from craftsman.publicity import close_due_publicity as close

    return close()
