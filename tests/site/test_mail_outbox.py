"""The outbox (website.mail): mail is saved with the change, survives a broker outage,
and is sent exactly once however often delivery is attempted."""

import datetime
import logging
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from website.mail import deliver, queue_mail, retry_pending
from website.models import OutgoingMail
from website.schedules import all_jobs

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=2)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def broker_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_mail_is_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = queue_mail(["a@example.com", " b@example.com "], "主题", "正文")
        assert not mail.outbox  # nothing leaves before the transaction commits
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT and outgoing.attempts == 1
    assert outgoing.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.com", "b@example.com"]
    assert mail.outbox[0].subject == "主题"


def test_no_recipient_means_no_mail():
    assert queue_mail(["", "  "], "主题", "正文") is None
    assert not OutgoingMail.objects.exists()


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue_mail("a@example.com", "主题", "正文")
                raise RuntimeError("the state change failed")
        except RuntimeError:
            pass
    assert not OutgoingMail.objects.exists() and not mail.outbox


def test_broker_down_keeps_the_mail_pending_and_the_retry_job_sends_it_once(
    django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch("django_q.tasks.async_task", broker_down),
        caplog.at_level(logging.WARNING, logger="website.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outgoing = queue_mail("a@example.com", "主题", "正文")
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.PENDING and not mail.outbox
    assert any("任务队列不可用" in r.getMessage() for r in caplog.records)
    # Younger than a minute: still left to its own task.
    assert retry_pending() == 0
    assert retry_pending(now=timezone.now() + LATER) == 1
    assert len(mail.outbox) == 1
    assert retry_pending(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT


def test_a_duplicated_task_sends_nothing_twice():
    outgoing = queue_mail("a@example.com", "主题", "正文")
    assert deliver(outgoing.pk) == 1
    assert deliver(outgoing.pk) == 0
    assert deliver(outgoing.pk + 1000) == 0  # a row that does not exist
    assert len(mail.outbox) == 1


def test_a_failing_smtp_server_is_retried_then_marked_failed(settings):
    outgoing = queue_mail("a@example.com", "主题", "正文")
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=OSError("SMTP connection refused")
    ):
        for _attempt in range(4):
            assert retry_pending(now=timezone.now() + LATER) == 0
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingMail.Status.PENDING and outgoing.attempts == 4
        assert "SMTP connection refused" in outgoing.last_error
        retry_pending(now=timezone.now() + LATER)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED and outgoing.attempts == 5
    assert retry_pending(now=timezone.now() + LATER) == 0 and not mail.outbox


def test_the_retry_job_is_scheduled():
    jobs = {job.func: job for job in all_jobs()}
    assert jobs["website.mail.retry_pending"].minutes <= 5


def test_the_bureau_sees_the_outbox_read_only(client):
    from django.contrib.auth import get_user_model

    from website.roles import ensure_roles, group_for
    from website.security.testing import verified_login

    ensure_roles()
    user = get_user_model().objects.create_user("t_bureau_mail", password="x-Test-pass-123")
    user.groups.add(group_for("bureau"))
    outgoing = queue_mail("someone@example.com", "【赣州工匠】测试邮件", "正文")
    verified_login(client, user)
    listing = client.get("/admin/outgoing_mail/")
    assert listing.status_code == 200
    assert "【赣州工匠】测试邮件" in listing.content.decode()
    assert client.get(f"/admin/outgoing_mail/inspect/{outgoing.pk}/").status_code == 200
    for url in (f"/admin/outgoing_mail/edit/{outgoing.pk}/", "/admin/outgoing_mail/new/"):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/admin/outgoing_mail/delete/{outgoing.pk}/").status_code in (302, 403)
    assert OutgoingMail.objects.filter(pk=outgoing.pk).exists()
