"""Retention (craftsman.retention): unsuccessful applications are anonymised N years
after their round closed; the record, its timeline and the audit log stay."""

import datetime

import pytest
from django.core.files.storage import storages
from django.db.models import F
from wagtail.models import ModelLogEntry

from craftsman.models import SelectionRound, Submission, SubmissionAttachment
from craftsman.retention import (
    ACTION,
    UNSUCCESSFUL_STATUSES,
    anonymise_unsuccessful,
    due_for_anonymisation,
)
from website.schedules import all_jobs

pytestmark = pytest.mark.django_db

UNSUCCESSFUL = set(UNSUCCESSFUL_STATUSES)


def move_round_back(year, years):
    SelectionRound.objects.filter(year=year).update(
        opens_at=F("opens_at") - datetime.timedelta(days=365 * years + 2),
        closes_at=F("closes_at") - datetime.timedelta(days=365 * years + 2),
    )


def test_only_unsuccessful_submissions_past_retention_are_anonymised(demo, settings):
    settings.RETENTION_YEARS_UNSUCCESSFUL = 3
    assert anonymise_unsuccessful() == 0  # the demo's rounds are recent
    move_round_back(2025, 3)
    round_2025 = Submission.objects.filter(round__year=2025)
    targets = {s.pk: s for s in round_2025.filter(status__in=UNSUCCESSFUL)}
    kept = {s.pk: s for s in Submission.objects.exclude(pk__in=targets)}
    assert len(targets) >= 10 and kept
    files = {
        a.file.name for a in SubmissionAttachment.objects.filter(submission__in=targets.keys())
    }
    assert files
    private = storages["private"]
    assert all(private.exists(name) for name in files)
    events_before = {pk: s.events.count() for pk, s in targets.items()}
    log_before = {pk: ModelLogEntry.objects.for_instance(s).count() for pk, s in targets.items()}

    with TestCaseCommit():
        assert anonymise_unsuccessful() == len(targets)

    for pk, before in targets.items():
        after = Submission.objects.get(pk=pk)
        assert after.name == "已匿名"
        assert after.id_number != before.id_number and before.id_number[:6] not in after.id_number
        assert after.mobile == "" and after.email == "" and after.work_address == ""
        assert after.birth_date is None and after.anonymised_at is not None
        # The record itself, its timeline and its audit log stay.
        assert after.status == before.status and after.round_id == before.round_id
        assert after.events.count() == events_before[pk]
        entries = ModelLogEntry.objects.for_instance(after)
        assert entries.count() == log_before[pk] + 1
        assert not entries.filter(label__contains=before.name).exists()
        entry = entries.get(action=ACTION)
        assert before.name not in str(entry.data) and before.id_number not in str(entry.data)
        assert not after.attachments.exists()
    assert not any(private.exists(name) for name in files)
    # Everything else is untouched.
    for pk, before in kept.items():
        after = Submission.objects.get(pk=pk)
        assert (after.name, after.id_number, after.anonymised_at) == (
            before.name,
            before.id_number,
            None,
        )
    # Idempotent.
    assert anonymise_unsuccessful() == 0
    assert ModelLogEntry.objects.filter(action=ACTION).count() == len(targets)


def test_not_yet_past_retention_and_batches(demo, settings):
    settings.RETENTION_YEARS_UNSUCCESSFUL = 5
    move_round_back(2025, 3)
    assert not due_for_anonymisation().exists()
    settings.RETENTION_YEARS_UNSUCCESSFUL = 2
    due = due_for_anonymisation().count()
    assert due >= 10
    with TestCaseCommit():
        assert anonymise_unsuccessful(batch=4) == 4
        assert due_for_anonymisation().count() == due - 4
        assert anonymise_unsuccessful() == due - 4
    assert not due_for_anonymisation().exists()


def test_retention_job_is_scheduled_and_the_setting_defaults_to_three_years(settings):
    assert "craftsman.retention.anonymise_unsuccessful" in {job.func for job in all_jobs()}
    assert settings.RETENTION_YEARS_UNSUCCESSFUL == 3


class TestCaseCommit:
    """Run the on-commit callbacks (file deletion) registered inside the block."""

    def __enter__(self):
        from django.test import TestCase

        self._context = TestCase.captureOnCommitCallbacks(execute=True)
        return self._context.__enter__()

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)
