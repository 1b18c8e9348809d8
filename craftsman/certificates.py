"""证书批量生成: every certificate PDF of a round in one ZIP, built by a django-q2 task.

:func:`request_batch` (the bureau's button) creates a :class:`CertificateBatch` and
enqueues :func:`build_batch` after commit; a second request while one is queued or
running for the round returns that one instead of starting another.

:func:`build_batch` is idempotent: a finished batch is left alone; a running batch
whose heartbeat is recent belongs to another worker and is left alone; anything else
(queued, failed, or running with a stale heartbeat because its worker died) is
(re)built from the start into a fresh temporary file, which replaces the result only
when complete — a crash never leaves half a ZIP behind.
"""

import datetime
import logging
import tempfile
import zipfile

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task
from wagtail.log_actions import log

from craftsman.models import CertificateBatch, Craftsman, SelectionRound

logger = logging.getLogger(__name__)

LOG_ACTIONS = {
    "craftsman.certificate_batch_request": _("申请批量生成证书"),
    "craftsman.certificate_batch_download": _("下载证书压缩包"),
}

# A run that has reported no progress for this long is presumed dead (the django-q2
# timeout is 300 s; one certificate takes well under a second).
STALE_AFTER = datetime.timedelta(minutes=10)
TASK = "craftsman.certificates.build_batch"


def certificates_of(selection_round):
    """The certificates a batch contains: the round's title holders, revoked ones excepted."""
    return (
        Craftsman.objects.filter(round=selection_round)
        .exclude(status=Craftsman.Status.REVOKED)
        .select_related("submission")
        .order_by("sequence")
    )


def is_stale(batch, now=None):
    return batch.last_activity < (now or timezone.now()) - STALE_AFTER


def request_batch(selection_round, by):
    """Create and enqueue a batch; returns ``(batch, created)``.

    While a batch of the round is queued or running, that batch is returned and nothing
    starts; if its worker died (stale), it is enqueued again to resume.
    """
    with transaction.atomic():
        selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        active = CertificateBatch.objects.filter(
            round=selection_round, status__in=CertificateBatch.ACTIVE
        ).first()
        if active is not None:
            if is_stale(active):
                transaction.on_commit(lambda: async_task(TASK, active.pk))
            return active, False
        try:
            with transaction.atomic():
                batch = CertificateBatch.objects.create(
                    round=selection_round,
                    requested_by=by,
                    total=certificates_of(selection_round).count(),
                )
        except IntegrityError:  # a simultaneous request won the race
            return CertificateBatch.objects.get(
                round=selection_round, status__in=CertificateBatch.ACTIVE
            ), False
        log(
            instance=selection_round,
            action="craftsman.certificate_batch_request",
            user=by,
            data={"batch": batch.pk, "total": batch.total},
        )
        transaction.on_commit(lambda: async_task(TASK, batch.pk))
    return batch, True


def _claim(batch_id):
    """Mark the batch running for this run, or return None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status == CertificateBatch.Status.DONE:
            return None
        if batch.status == CertificateBatch.Status.RUNNING and not is_stale(batch, now):
            return None
        if batch.status == CertificateBatch.Status.FAILED:
            # Retried after a failure: the batch becomes active again, unless another
            # batch of the round has been requested meanwhile.
            if (
                CertificateBatch.objects.filter(
                    round_id=batch.round_id, status__in=CertificateBatch.ACTIVE
                )
                .exclude(pk=batch.pk)
                .exists()
            ):
                return None
        batch.status = CertificateBatch.Status.RUNNING
        batch.done_count = 0
        batch.error = ""
        batch.heartbeat_at = now
        batch.total = certificates_of(batch.round).count()
        batch.save(update_fields=["status", "done_count", "error", "heartbeat_at", "total"])
        return batch


def _certificate_bytes(craftsman):
    """The issued certificate as stored; rendered again only if the file is missing."""
    from craftsman.pdf import certificate_pdf

    if craftsman.certificate_file:
        try:
            with craftsman.certificate_file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            logger.warning("证书文件缺失，重新生成：%s", craftsman.certificate_number)
    return certificate_pdf(craftsman)


def build_batch(batch_id):
    """The django-q2 task: build the ZIP, reporting progress; returns the batch's status."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    progress = CertificateBatch.objects.filter(pk=batch.pk)
    try:
        with tempfile.TemporaryFile(suffix=".zip") as output:
            with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                done = 0
                for craftsman in certificates_of(batch.round).iterator(chunk_size=200):
                    archive.writestr(
                        f"{craftsman.certificate_number}-{craftsman.submission.name}.pdf",
                        _certificate_bytes(craftsman),
                    )
                    done += 1
                    progress.update(done_count=done, heartbeat_at=timezone.now())
            output.seek(0)
            old_name = batch.result_file.name
            batch.result_file.save(
                f"{batch.round.year}-certificates-{batch.pk}.zip", File(output), save=False
            )
        if old_name:
            batch.result_file.storage.delete(old_name)
        progress.update(
            status=CertificateBatch.Status.DONE,
            done_count=done,
            total=done,
            result_file=batch.result_file.name,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    except Exception as failure:
        logger.exception("证书批量生成失败：batch %s", batch.pk)
        progress.update(
            status=CertificateBatch.Status.FAILED,
            error=f"{type(failure).__name__}: {failure}",
            finished_at=timezone.now(),
        )
        return CertificateBatch.Status.FAILED
    return CertificateBatch.Status.DONE
