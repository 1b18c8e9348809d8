"""Mail through the outbox (website.mail) in the craftsman flows: with the task broker
down, the applicant's submission and an objection still succeed, the mail waits as
pending, and the retry job sends it exactly once."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from craftsman.models import Status
from craftsman.publicity import generate_publicity_notice
from publications.models.objections import Objection, ObjectionStatus
from publications.objection_actions import record_verification
from tests.craftsman.conftest import PDF_BYTES  # noqa: F401
from tests.craftsman.test_application import submit
from tests.craftsman.test_conferral import TODAY, beijing, proposed, publish, site_home  # noqa: F401
from website.mail import retry_pending
from website.models import OutgoingMail

pytestmark = pytest.mark.django_db


def broker_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def retry_later():
    return retry_pending(now=timezone.now() + datetime.timedelta(minutes=2))


def test_applicant_submits_while_the_broker_is_down(
    client, make_submission, users, units, django_capture_on_commit_callbacks
):
    draft = make_submission(
        declarations_confirmed_at=None, integrity_pledge_at=None, publication_consent_at=None
    )
    client.force_login(users["applicant"])
    with (
        mock.patch("django_q.tasks.async_task", broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = submit(client, draft, units["zhanggong"])
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/apply/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.receipt_number
    outgoing = OutgoingMail.objects.get()
    assert outgoing.status == OutgoingMail.Status.PENDING
    assert outgoing.recipient_list == ["wang@example.com"]
    assert draft.receipt_number in outgoing.subject
    assert not mail.outbox

    assert retry_later() == 1
    assert len(mail.outbox) == 1 and draft.receipt_number in mail.outbox[0].subject
    assert retry_later() == 0
    assert len(mail.outbox) == 1


def test_a_refused_submission_leaves_no_mail(
    client, make_submission, users, units, django_capture_on_commit_callbacks
):
    draft = make_submission(declarations_confirmed_at=None)
    client.force_login(users["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, draft, units["zhanggong"], integrity_pledge="")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not OutgoingMail.objects.exists() and not mail.outbox


def test_an_objection_is_filed_and_upheld_while_the_broker_is_down(
    client,
    proposed,  # noqa: F811  (the fixture imported above)
    users,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    notice = generate_publicity_notice(proposed[0].round, by=users["bureau"], today=TODAY)
    publish(notice)
    wang = proposed[0]
    monkeypatch.setattr(timezone, "now", lambda: beijing(2025, 9, 30, 10))
    with (
        mock.patch("django_q.tasks.async_task", broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            notice.url + "objection/",
            {
                "objector_type": "person",
                "real_name": "林晓东",
                "phone": "13907970001",
                "entry": str(notice.entries.get(name="王建国").pk),
                "content": "王建国同志申报材料所列获奖情况与实际不符，请予核实。",
                "pledge": "on",
            },
        )
    assert response.status_code == 303, response.content.decode()[:2000]
    objection = Objection.objects.get()
    assert objection.status == ObjectionStatus.RECEIVED
    monkeypatch.undo()

    with (
        mock.patch("django_q.tasks.async_task", broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        record_verification(
            objection.pk,
            user=users["bureau"],
            status=ObjectionStatus.UPHELD,
            notes="已核查。",
            reply="已答复。",
        )
    wang.refresh_from_db()
    assert wang.status == Status.NOT_SELECTED
    pending = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
    assert pending.count() == 1 and "未入选" in pending.get().body
    assert not mail.outbox

    assert retry_later() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.com"]
    assert retry_later() == 0 and len(mail.outbox) == 1
