"""The outbox: every e-mail the platform sends goes through here.

Why: mail used to be a django-q2 task enqueued after commit.  When the broker (Redis,
or the database queue) was down at that moment, the task — and the mail — was lost,
although the state change it announced had been saved.  Now:

1. :func:`queue_mail` writes an :class:`~website.models.OutgoingMail` row in the
   caller's transaction (it commits or rolls back with the state change), and after
   commit enqueues :func:`deliver` for it.  If enqueueing fails, a warning is logged
   and nothing else happens: the row stays pending.
2. :func:`deliver` locks the row and sends only while it is still pending, so a
   duplicated or retried task never sends twice.
3. :func:`retry_pending`, a scheduled job (``website.schedules``), delivers pending
   mail older than a minute: whatever the broker lost.
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger("website.mail")

# After this many failed sends a mail is marked failed and left for the staff to see.
MAX_ATTEMPTS = 5
# Pending mail younger than this is still expected to be delivered by its own task.
RETRY_AFTER = datetime.timedelta(minutes=1)
RETRY_BATCH = 100
DELIVER_TASK = "website.mail.deliver"


def _broker_errors():
    """Exceptions that mean "the broker is unreachable" for the brokers we deploy on."""
    errors = [OSError, DatabaseError]  # ConnectionError/TimeoutError are OSErrors
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # redis is optional (the ORM broker needs none)
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


BROKER_ERRORS = _broker_errors()


def queue_mail(recipients, subject, body):
    """Put one mail in the outbox, in the current transaction; deliver it after commit.

    ``recipients`` is an address or a list of addresses.  Returns the
    :class:`~website.models.OutgoingMail`, or ``None`` when there is nobody to send to.
    """
    from website.models import OutgoingMail

    if isinstance(recipients, str):
        recipients = [recipients]
    recipients = [address.strip() for address in recipients if address and address.strip()]
    if not recipients:
        return None
    outgoing = OutgoingMail.objects.create(
        recipients="\n".join(recipients), subject=subject[:255], body=body
    )
    pk = outgoing.pk
    transaction.on_commit(lambda: enqueue(pk))
    return outgoing


def enqueue(pk):
    """Hand the delivery of mail ``pk`` to the task broker; never raise.

    A failure here loses nothing: the row is pending and :func:`retry_pending` sends it.
    """
    from django_q.tasks import async_task

    try:
        async_task(DELIVER_TASK, pk)
    except BROKER_ERRORS as error:
        logger.warning("任务队列不可用，邮件 %s 留待定时任务重发：%s", pk, error)
    except Exception:
        logger.exception("邮件 %s 入队失败，留待定时任务重发", pk)


def deliver(pk):
    """Send mail ``pk`` if it is still pending (a django-q2 task).  Returns 1 if sent.

    The row stays locked while sending, so a second task for the same mail waits and
    then finds it sent.  A failed send is counted; after ``MAX_ATTEMPTS`` the mail is
    marked failed.
    """
    from website.models import OutgoingMail

    with transaction.atomic():
        outgoing = OutgoingMail.objects.select_for_update().filter(pk=pk).first()
        if outgoing is None or outgoing.status != OutgoingMail.Status.PENDING:
            return 0
        outgoing.attempts += 1
        try:
            EmailMessage(outgoing.subject, outgoing.body, None, outgoing.recipient_list).send()
        except Exception as error:
            outgoing.last_error = f"{type(error).__name__}: {error}"[:2000]
            if outgoing.attempts >= MAX_ATTEMPTS:
                outgoing.status = OutgoingMail.Status.FAILED
            outgoing.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("邮件 %s 第 %s 次发送失败：%s", pk, outgoing.attempts, error)
            return 0
        outgoing.status = OutgoingMail.Status.SENT
        outgoing.sent_at = timezone.now()
        outgoing.last_error = ""
        outgoing.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return 1


def retry_pending(now=None, batch=RETRY_BATCH):
    """Scheduled: deliver pending mail older than a minute.  Returns how many were sent."""
    from website.models import OutgoingMail

    cutoff = (now or timezone.now()) - RETRY_AFTER
    due = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING, created__lte=cutoff)
    sent = 0
    for pk in due.order_by("created", "pk").values_list("pk", flat=True)[:batch]:
        sent += deliver(pk)
    if sent:
        logger.info("定时重发邮件 %s 封", sent)
    return sent
