"""退出机制与激励待遇 (《办法》第九条、第十二条).

A revocation case is opened by one bureau member (:func:`open_case`) and verified
(:func:`verify`) or rejected (:func:`reject`) by another.  Verification revokes the
title in one transaction: the status, the public profile (unpublished), the benefits
(out of the talent directory, an unpaid reward cancelled) and, for fraud, a
:class:`~craftsman.models.Clawback` of the paid reward.  :func:`reinstate` is the only
way back, with a recorded reason; the profile then stays unpublished.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log

from craftsman.models import (
    Benefit,
    Clawback,
    ClawbackPayment,
    Craftsman,
    Revocation,
    RevocationEvidence,
    Reward,
)
from craftsman.workflow import TransitionNotAllowed
from publications.workdays import SHANGHAI
from website.uploads import DOCUMENT_KINDS, clean_upload

LOG_ACTIONS = {
    "craftsman.revocation_open": _("提出撤销称号"),
    "craftsman.revocation_evidence": _("上传撤销证据"),
    "craftsman.revocation_verify": _("核实并撤销称号"),
    "craftsman.revocation_reject": _("核实不属实"),
    "craftsman.certificate_recall": _("收回证书"),
    "craftsman.clawback_payment": _("登记追回奖励"),
    "craftsman.judicial_referral": _("移交司法机关"),
    "craftsman.reinstate": _("恢复称号"),
    "craftsman.benefit": _("登记激励待遇"),
}

TITLE_HOLDER_STATUSES = [Craftsman.Status.ACTIVE, Craftsman.Status.COMPLETED]


def _today(now=None):
    return (now or timezone.now()).astimezone(SHANGHAI).date()


def _lock_case(revocation):
    return Revocation.objects.select_for_update().select_related("craftsman").get(pk=revocation.pk)


def add_evidence(revocation, uploaded, by):
    """Store one evidence file of the case (raises ``ValidationError`` when refused)."""
    return _store_evidence(revocation, clean_upload(uploaded, DOCUMENT_KINDS), by)


def _store_evidence(revocation, safe, by):
    evidence = RevocationEvidence(
        revocation=revocation,
        original_name=safe.original_name,
        content_type=safe.kind.content_type,
        uploaded_by=by,
    )
    evidence.file.save(safe.name, safe, save=False)
    evidence.save()
    log(
        instance=revocation,
        action="craftsman.revocation_evidence",
        user=by,
        data={"file": evidence.original_name},
    )
    return evidence


def open_case(craftsman, reason, facts, by, files=()):
    """提出: open a case against a title holder; nothing changes on the title yet."""
    facts = (facts or "").strip()
    if reason not in Revocation.Reason.values or not facts:
        raise TransitionNotAllowed(_("请选择撤销情形并填写事实。"))
    checked = [clean_upload(f, DOCUMENT_KINDS) for f in files]  # refuse before creating
    with transaction.atomic():
        locked = Craftsman.objects.select_for_update().get(pk=craftsman.pk)
        if locked.status == Craftsman.Status.REVOKED:
            raise TransitionNotAllowed(_("该“赣州工匠”称号已撤销。"))
        if locked.revocations.filter(status=Revocation.CaseStatus.PROPOSED).exists():
            raise TransitionNotAllowed(_("该“赣州工匠”已有待核实的撤销案件。"))
        revocation = Revocation.objects.create(
            craftsman=locked, reason=reason, facts=facts, proposed_by=by
        )
        log(
            instance=revocation,
            action="craftsman.revocation_open",
            user=by,
            data={"craftsman": locked.certificate_number, "reason": reason},
        )
        for safe in checked:
            _store_evidence(revocation, safe, by)
    return revocation


def _check_second_person(revocation, by):
    if revocation.status != Revocation.CaseStatus.PROPOSED:
        raise TransitionNotAllowed(
            _("该案件当前状态为“%(status)s”，不能再核实。")
            % {"status": revocation.get_status_display()}
        )
    if by is not None and revocation.proposed_by_id == by.pk:
        raise TransitionNotAllowed(
            _("提出撤销和核实必须由两名不同的工作人员办理：本案由您提出，请由其他工作人员核实。")
        )


def verify(revocation, by, now=None):
    """核实属实: revoke the title, unpublish the profile, stop the benefits, log it."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock_case(revocation)
        _check_second_person(case, by)
        craftsman = Craftsman.objects.select_for_update().get(pk=case.craftsman_id)
        if craftsman.status == Craftsman.Status.REVOKED:
            raise TransitionNotAllowed(_("该“赣州工匠”称号已撤销。"))
        craftsman.status = Craftsman.Status.REVOKED
        craftsman.revoked_on = _today(now)
        craftsman.in_talent_directory = False
        craftsman.save(update_fields=["status", "revoked_on", "in_talent_directory"])
        page = craftsman.profile_page
        if page is not None and page.live:
            # The bureau's decision, whatever page permissions the verifier holds.
            UnpublishPageAction(page.specific, user=by, log_action=True).execute(
                skip_permission_checks=True
            )
        reward = Reward.objects.select_for_update().filter(craftsman=craftsman).first()
        reward_action = ""
        if reward is not None and reward.status == Reward.PaymentStatus.PENDING:
            reward.status = Reward.PaymentStatus.CANCELLED
            reward.save(update_fields=["status"])
            reward_action = "cancelled"
        elif reward is not None and reward.status == Reward.PaymentStatus.PAID and case.is_fraud:
            Clawback.objects.create(revocation=case, amount_due=reward.amount)
            reward_action = "clawback"
        case.status = Revocation.CaseStatus.VERIFIED
        case.decided_by = by
        case.decided_at = now
        case.save(update_fields=["status", "decided_by", "decided_at"])
        log(
            instance=craftsman.submission,
            action="craftsman.revocation_verify",
            user=by,
            timestamp=now,
            data={
                "case": case.pk,
                "reason": case.reason,
                "certificate": craftsman.certificate_number,
                "reward": reward_action,
            },
        )
    revocation.refresh_from_db()
    return revocation


def reject(revocation, by, reason, now=None):
    """核实不属实: close the case with a reason; the title is untouched."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionNotAllowed(_("请填写核实不属实的理由。"))
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock_case(revocation)
        _check_second_person(case, by)
        case.status = Revocation.CaseStatus.REJECTED
        case.decided_by = by
        case.decided_at = now
        case.rejection_reason = reason
        case.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        log(instance=case, action="craftsman.revocation_reject", user=by, data={"reason": reason})
    revocation.refresh_from_db()
    return revocation


def _verified_fraud(case):
    if case.status != Revocation.CaseStatus.VERIFIED or not case.is_fraud:
        raise TransitionNotAllowed(_("只有已核实的弄虚作假案件才能办理此项。"))


def record_certificate_recall(revocation, returned, returned_on, by):
    """收回证书: whether the certificate came back, and when."""
    if returned and not isinstance(returned_on, datetime.date):
        raise TransitionNotAllowed(_("请填写证书收回日期。"))
    with transaction.atomic():
        case = _lock_case(revocation)
        _verified_fraud(case)
        case.certificate_returned = bool(returned)
        case.certificate_returned_on = returned_on if returned else None
        case.save(update_fields=["certificate_returned", "certificate_returned_on"])
        log(
            instance=case,
            action="craftsman.certificate_recall",
            user=by,
            data={"returned": bool(returned), "on": str(returned_on or "")},
        )
    revocation.refresh_from_db()
    return revocation


def _amount(value):
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount > 0 else None


def record_clawback_payment(revocation, amount, paid_on, by, note=""):
    """登记追回: one repayment; refused when it exceeds the outstanding balance."""
    amount = _amount(amount)
    if amount is None or not isinstance(paid_on, datetime.date):
        raise TransitionNotAllowed(_("请填写大于零的金额和缴回日期。"))
    with transaction.atomic():
        case = _lock_case(revocation)
        _verified_fraud(case)
        clawback = Clawback.objects.select_for_update().filter(revocation=case).first()
        if clawback is None:
            raise TransitionNotAllowed(_("该案件没有需要追回的奖励（奖励未发放）。"))
        if amount > clawback.outstanding:
            raise TransitionNotAllowed(
                _("金额超过尚未追回的余额 %(left)s 元，不能登记。") % {"left": clawback.outstanding}
            )
        payment = ClawbackPayment.objects.create(
            clawback=clawback,
            amount=amount,
            paid_on=paid_on,
            note=(note or "")[:200],
            recorded_by=by,
        )
        log(
            instance=case,
            action="craftsman.clawback_payment",
            user=by,
            data={
                "amount": str(amount),
                "paid_on": str(paid_on),
                "outstanding": str(clawback.outstanding),
            },
        )
    return payment


def refer_to_judiciary(revocation, referred_on, note, by):
    """移交司法机关 (fraud cases)."""
    if not isinstance(referred_on, datetime.date):
        raise TransitionNotAllowed(_("请填写移交日期。"))
    with transaction.atomic():
        case = _lock_case(revocation)
        _verified_fraud(case)
        if case.referred_on is not None:
            raise TransitionNotAllowed(
                _("该案件已于 %(day)s 移交司法机关。") % {"day": case.referred_on}
            )
        case.referred_on = referred_on
        case.referral_note = (note or "").strip()
        case.save(update_fields=["referred_on", "referral_note"])
        log(
            instance=case,
            action="craftsman.judicial_referral",
            user=by,
            data={"on": str(referred_on), "note": case.referral_note},
        )
    revocation.refresh_from_db()
    return revocation


def reinstate(craftsman, reason, by, now=None):
    """恢复称号: an explicit bureau action with a reason; the profile is not republished."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionNotAllowed(_("恢复称号必须填写理由。"))
    now = now or timezone.now()
    today = _today(now)
    with transaction.atomic():
        locked = Craftsman.objects.select_for_update().get(pk=craftsman.pk)
        if locked.status != Craftsman.Status.REVOKED:
            raise TransitionNotAllowed(_("该“赣州工匠”称号未被撤销，无需恢复。"))
        locked.status = (
            Craftsman.Status.ACTIVE
            if today <= locked.cultivation_ends_on
            else Craftsman.Status.COMPLETED
        )
        locked.revoked_on = None
        locked.in_talent_directory = True
        locked.save(update_fields=["status", "revoked_on", "in_talent_directory"])
        case = (
            locked.revocations.select_for_update()
            .filter(status=Revocation.CaseStatus.VERIFIED)
            .order_by("-decided_at")
            .first()
        )
        if case is not None:
            case.status = Revocation.CaseStatus.REINSTATED
            case.reinstated_by = by
            case.reinstated_at = now
            case.reinstatement_reason = reason
            case.save(
                update_fields=["status", "reinstated_by", "reinstated_at", "reinstatement_reason"]
            )
        log(
            instance=locked.submission,
            action="craftsman.reinstate",
            user=by,
            timestamp=now,
            data={"reason": reason, "status": locked.status},
        )
    craftsman.refresh_from_db()
    return craftsman


def record_benefit(craftsman, kind, date, by, outcome="", note=""):
    """登记激励待遇 (art. 9), for a current title holder."""
    if kind not in Benefit.Kind.values or not isinstance(date, datetime.date):
        raise TransitionNotAllowed(_("请选择待遇类别并填写日期。"))
    with transaction.atomic():
        locked = Craftsman.objects.select_for_update().get(pk=craftsman.pk)
        if locked.status not in TITLE_HOLDER_STATUSES:
            raise TransitionNotAllowed(_("称号已撤销，不再享受相应待遇。"))
        benefit = Benefit.objects.create(
            craftsman=locked,
            kind=kind,
            date=date,
            outcome=(outcome or "").strip()[:200],
            note=(note or "").strip(),
            recorded_by=by,
        )
        log(
            instance=locked.submission,
            action="craftsman.benefit",
            user=by,
            data={"kind": kind, "date": str(date)},
        )
    return benefit


def without_benefit():
    """Title holders (在册/培养期满) not yet offered any benefit."""
    return (
        Craftsman.objects.filter(status__in=TITLE_HOLDER_STATUSES, benefits__isnull=True)
        .select_related("submission")
        .order_by("-title_year", "sequence")
    )
