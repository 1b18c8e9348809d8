"""What happens to an objection: received online, then verified and answered by staff.

Each function is one transaction that either completes or changes nothing,
writes an entry in Wagtail's audit log and, after commit, sends the signal in
:mod:`publications.signals`.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from publications.models.objections import (
    RESOLVED_STATUSES,
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    new_receipt_number,
)
from publications.signals import objection_received, objection_resolved

# A burst of submissions from one address: at most this many per window.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 10 * 60
_RATE_KEY = "publications:objection-rate:{ip}"

ACTION_RECEIVE = "publications.objection.receive"
ACTION_VERIFY = "publications.objection.verify"
ACTION_DOWNLOAD = "publications.objection.evidence_download"


class ObjectionRefused(Exception):
    """The action is not allowed in the objection's current state; nothing was changed."""


# --- rate limit ------------------------------------------------------------------


def rate_limited(ip: str) -> bool:
    """Whether ``ip`` has already submitted ``RATE_LIMIT`` objections in the current window."""
    return (cache.get(_RATE_KEY.format(ip=ip or "unknown")) or 0) >= RATE_LIMIT


def count_submission(ip: str) -> None:
    key = _RATE_KEY.format(ip=ip or "unknown")
    cache.add(key, 0, RATE_WINDOW_SECONDS)  # the window starts with the first submission
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, RATE_WINDOW_SECONDS)


# --- receiving -------------------------------------------------------------------


def _save_with_receipt_number(objection: Objection, now) -> None:
    for _attempt in range(20):
        objection.receipt_number = new_receipt_number(now)
        try:
            with transaction.atomic():
                objection.save()
            return
        except IntegrityError:
            if not Objection.objects.filter(receipt_number=objection.receipt_number).exists():
                raise
    raise IntegrityError("no free receipt number")  # 20 clashes in a row: not chance


def submit_objection(notice, cleaned: dict, *, ip: str | None, now=None) -> Objection:
    """Save an objection and its (already checked) evidence files in one transaction.

    ``cleaned`` is :class:`~publications.objection_forms.ObjectionForm`'s
    ``cleaned_data``.  If anything fails, no row remains and the files written
    so far are removed from the private storage.
    """
    now = now or timezone.now()
    entry = cleaned.get("entry")
    stored = []  # (storage, name) written so far, removed again on failure
    try:
        with transaction.atomic():
            objection = Objection(
                notice=notice,
                entry=entry,
                entry_name=entry.name if entry else "",
                objector_type=cleaned["objector_type"],
                real_name=cleaned["real_name"],
                phone=cleaned["phone"],
                work_unit=cleaned.get("work_unit", ""),
                content=cleaned["content"],
                status=ObjectionStatus.RECEIVED,
                created_at=now,
                submitted_ip=ip or None,
            )
            _save_with_receipt_number(objection, now)
            for upload in cleaned.get("evidence") or []:
                evidence = ObjectionEvidence(
                    objection=objection,
                    original_name=getattr(upload, "original_name", "")[:100],
                    content_type=upload.content_type,
                    size=upload.size,
                    uploaded_at=now,
                )
                evidence.file.save(upload.name, upload, save=False)
                stored.append((evidence.file.storage, evidence.file.name))
                evidence.save()
            log(
                instance=objection,
                action=ACTION_RECEIVE,
                user=None,
                data={
                    "receipt_number": objection.receipt_number,
                    "notice_id": notice.pk,
                    "entry_id": entry.pk if entry else None,
                    "evidence_count": len(stored),
                    "channel": "online",
                },
            )
            transaction.on_commit(
                lambda: objection_received.send(sender=Objection, objection=objection)
            )
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                pass
        raise
    return objection


# --- verifying -------------------------------------------------------------------


def record_verification(
    objection_pk: int, *, user, status: str, notes: str, reply: str, now=None
) -> Objection:
    """Record the check, the conclusion and the reply.  Raises :class:`ObjectionRefused`.

    The row is locked; a conclusion (属实/不属实) needs notes and a reply and is
    final.  Sends ``objection_resolved`` after commit when a conclusion is reached.
    """
    now = now or timezone.now()
    notes, reply = (notes or "").strip(), (reply or "").strip()
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection_pk)
        old_status = objection.status
        if not objection.can_become(status):
            raise ObjectionRefused(
                f"该异议当前为“{objection.get_status_display()}”，"
                f"不能改为“{ObjectionStatus(status).label}”。"
            )
        if status in RESOLVED_STATUSES and not (notes and reply):
            raise ObjectionRefused("作出核查结论前，请填写核查情况和答复意见。")
        changes = {
            field: {"from": getattr(objection, field), "to": value}
            for field, value in (
                ("status", status),
                ("verification_notes", notes),
                ("reply", reply),
            )
            if getattr(objection, field) != value
        }
        if not changes:
            return objection
        objection.status = status
        objection.verification_notes = notes
        objection.reply = reply
        objection.handled_by = user
        objection.handled_at = now
        objection.save(
            update_fields=["status", "verification_notes", "reply", "handled_by", "handled_at"]
        )
        log(
            instance=objection,
            action=ACTION_VERIFY,
            user=user,
            data={
                "receipt_number": objection.receipt_number,
                "status_from": old_status,
                "status_to": status,
                "status_label": str(ObjectionStatus(status).label),
                "changes": changes,
            },
        )
        if status in RESOLVED_STATUSES and old_status not in RESOLVED_STATUSES:
            upheld = status == ObjectionStatus.UPHELD
            transaction.on_commit(
                lambda: objection_resolved.send(
                    sender=Objection, objection=objection, upheld=upheld, user=user
                )
            )
    return objection
