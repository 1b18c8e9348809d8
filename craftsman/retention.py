"""Retention of unsuccessful applications (《个人信息保护法》第十九条: keep personal data no
longer than the purpose needs).

A submission that ended unsuccessfully — 不予推荐 (declined), 未入选 (not selected), or a
draft / returned submission never (re)submitted — is no longer needed with the
applicant's identity ``settings.RETENTION_YEARS_UNSUCCESSFUL`` years (default 3) after
its round's application window closed.  The daily job :func:`anonymise_unsuccessful`
then, for each such submission, in its own transaction:

- replaces the name with “已匿名” and clears the ID number (a placeholder unique in the
  round, which the one-per-person constraint needs), birth date, mobile, e-mail, work
  address and certificate number;
- deletes its attachments (the rows, and the files from private storage after commit);
- keeps the record itself (round, unit, industry, status, scores…), its state timeline
  and the audit log, renames the audit log's labels (they repeat the name) and adds
  the entry ``retention.anonymise`` without personal data.

Idempotent (``anonymised_at`` marks what is done) and batch-limited, so a first run on
years of data cannot hold the database for long.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from craftsman.models import Status, Submission, SubmissionAttachment

logger = logging.getLogger("craftsman.retention")

ACTION = "retention.anonymise"
ACTION_LABEL = _("到期匿名化")
ANONYMOUS_NAME = "已匿名"
BATCH_SIZE = 200

# Ended without success.  Drafts and returned submissions are "never (re)submitted":
# once the round's window has closed they can no longer be.
UNSUCCESSFUL_STATUSES = (Status.DECLINED, Status.NOT_SELECTED, Status.DRAFT, Status.RETURNED)


def retention_years():
    return settings.RETENTION_YEARS_UNSUCCESSFUL


def cutoff(now=None, years=None):
    """Rounds whose window closed before this moment are past retention."""
    now = now or timezone.now()
    years = retention_years() if years is None else years
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due_for_anonymisation(now=None, years=None):
    return Submission.objects.filter(
        status__in=UNSUCCESSFUL_STATUSES,
        anonymised_at__isnull=True,
        round__closes_at__lt=cutoff(now, years),
    )


def anonymous_id_number(submission):
    """Not an ID number: unique per submission, so the one-per-person constraint holds."""
    return f"匿名{submission.pk}"[:18]


def _delete_files(files):
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("匿名化：删除附件文件 %s 失败", name)


def anonymise_submission(pk, now=None, years=None):
    """Anonymise one submission if it is (still) due.  Returns True when it was done."""
    now = now or timezone.now()
    years = retention_years() if years is None else years
    limit = cutoff(now, years)
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round")
            .filter(pk=pk)
            .first()
        )
        if (
            submission is None
            or submission.anonymised_at is not None
            or submission.status not in UNSUCCESSFUL_STATUSES
            or submission.round.closes_at >= limit
        ):
            return False
        attachments = SubmissionAttachment.objects.filter(submission=submission)
        files = [(a.file.storage, a.file.name) for a in attachments if a.file.name]
        deleted_attachments = attachments.count()
        attachments.delete()  # the queryset: files go only after commit, below
        changes = {
            "name": ANONYMOUS_NAME,
            "id_number": anonymous_id_number(submission),
            "birth_date": None,
            "mobile": "",
            "email": "",
            "work_address": "",
            "certificate_number": "",
            "anonymised_at": now,
        }
        Submission.objects.filter(pk=pk).update(**changes)
        for field, value in changes.items():
            setattr(submission, field, value)
        # The audit log keeps each entry, but its labels repeat the person's name.
        ModelLogEntry.objects.for_instance(submission).update(label=str(submission))
        log(
            instance=submission,
            action=ACTION,
            user=None,
            timestamp=now,
            data={
                "status": submission.status,
                "round": submission.round.year,
                "retention_years": years,
                "attachments_deleted": deleted_attachments,
            },
        )
        transaction.on_commit(lambda: _delete_files(files))
    return True


def anonymise_unsuccessful(now=None, years=None, batch=BATCH_SIZE):
    """Scheduled daily: anonymise up to ``batch`` due submissions.  Returns how many."""
    now = now or timezone.now()
    pks = list(
        due_for_anonymisation(now, years)
        .order_by("round__closes_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    done = sum(1 for pk in pks if anonymise_submission(pk, now=now, years=years))
    if done:
        logger.info("匿名化到期的未成功申报 %s 份", done)
    return done


__all__ = [
    "ACTION",
    "UNSUCCESSFUL_STATUSES",
    "anonymise_submission",
    "anonymise_unsuccessful",
    "cutoff",
    "due_for_anonymisation",
]
