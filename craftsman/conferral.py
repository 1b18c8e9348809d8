"""批准与认定 (《办法》第七条（五）、第八条至第十条).

:func:`record_approval` records the city government's approval of the list;
:func:`confer_round` then makes every 待批准 candidate of the round a 赣州工匠, in one
transaction: the :class:`~craftsman.models.Craftsman` record with a sequential
certificate number, the certificate PDF on private storage, the 30,000 CNY
:class:`~craftsman.models.Reward`, a draft profile page and a draft result
announcement.  Running it again confers nobody twice.
"""

import datetime
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.log_actions import log

from craftsman.models import (
    Craftsman,
    CraftsmanIndexPage,
    CraftsmanProfilePage,
    GovernmentApproval,
    Reward,
    SelectionRound,
    Status,
    Submission,
    SubmissionAttachment,
)
from craftsman.models.conferral import CULTIVATION_YEARS, REWARD_AMOUNT
from craftsman.publicity import home_page, notice_section
from craftsman.workflow import TransitionNotAllowed, perform
from publications.collation import stroke_sort_key
from publications.models import ResultAnnouncementPage
from publications.models.results import ResultListEntry
from publications.workdays import SHANGHAI

logger = logging.getLogger(__name__)


def certificate_number(year, sequence):
    return f"GZGJ-{year}-{sequence:03d}"


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def record_approval(selection_round, document_number, approved_on, by):
    """Record (or correct, before conferral) the government's approval of the round's list."""
    document_number = (document_number or "").strip()
    if not document_number or approved_on is None:
        raise TransitionNotAllowed(_("请填写市政府批准文号和批准日期。"))
    with transaction.atomic():
        SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        if Craftsman.objects.filter(round=selection_round).exists():
            existing = GovernmentApproval.objects.get(round=selection_round)
            if (existing.document_number, existing.approved_on) != (document_number, approved_on):
                raise TransitionNotAllowed(_("本年度已按该批准文件完成认定，批准信息不能再修改。"))
            return existing
        approval, _created = GovernmentApproval.objects.update_or_create(
            round=selection_round,
            defaults={
                "document_number": document_number,
                "approved_on": approved_on,
                "recorded_by": by,
                "recorded_at": timezone.now(),
            },
        )
        log(
            instance=selection_round,
            action="craftsman.record_approval",
            user=by,
            data={"document_number": document_number, "approved_on": str(approved_on)},
        )
    return approval


def craftsman_index():
    """The 工匠风采 section under the home page, created (published) if missing."""
    home = home_page()
    index = CraftsmanIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=CraftsmanIndexPage(
                title="工匠风采",
                slug="craftsmen",
                show_in_menus=True,
                intro="<p>历年“赣州工匠”风采展示。</p>",
            )
        )
        index.save_revision().publish()
    return index


def _photo_image(submission):
    """The applicant's photo as a Wagtail image (the upload was re-encoded when received)."""
    attachment = submission.attachments.filter(kind=SubmissionAttachment.Kind.PHOTO).last()
    if attachment is None:
        return None
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        # A missing file must not stop the conferral: the profile goes without a photo
        # (the editor can add one before publishing) and the gap is logged.
        logger.warning("申报照片文件缺失：申报 %s，附件 %s", submission.pk, attachment.pk)
        return None
    extension = "png" if attachment.content_type == "image/png" else "jpg"
    image = get_image_model()(title=f"{submission.name}（{submission.round.year}年度赣州工匠）")
    image.file = ImageFile(io.BytesIO(data), name=f"craftsman-{submission.pk}.{extension}")
    image.save()
    return image


def _profile(submission, year, by):
    """A draft profile, only with what the applicant consented to publish."""
    if submission.publication_consent_at is None:
        return None
    speciality = submission.condition_1.strip().splitlines()[0] if submission.condition_1 else ""
    page = CraftsmanProfilePage(
        title=submission.name,
        slug=f"{year}-{submission.pk}",
        live=False,
        photo=_photo_image(submission),
        title_year=year,
        employer=submission.employer,
        occupation=submission.occupation,
        speciality=speciality[:200],
        achievements=submission.achievements,
    )
    craftsman_index().add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    return page


def _result_page(approval, craftsmen, by):
    """The draft 公布 page of the round's list (rebuilt while it is still a draft)."""
    selection_round = approval.round
    rows = sorted(craftsmen, key=lambda c: stroke_sort_key(c.submission.name))
    entries = [
        ResultListEntry(
            sort_order=order,
            name=c.submission.name,
            gender=c.submission.get_gender_display() if c.submission.gender else "",
            employer=c.submission.employer if c.submission.publication_consent_at else "",
            occupation=c.submission.occupation if c.submission.publication_consent_at else "",
        )
        for order, c in enumerate(rows)
    ]
    page = approval.result_page
    if page is not None and page.live:
        return page
    if page is None:
        page = ResultAnnouncementPage(
            title=f"关于公布{selection_round.year}年度“赣州工匠”名单的通知",
            slug=f"result-{selection_round.year}-gzgj-{selection_round.pk}",
            live=False,
            document_number="",
            approval_document_number=approval.document_number,
            approval_date=approval.approved_on,
            body=(
                f"<p>经公示无异议，并报市人民政府批准（{approval.document_number}），"
                f"确定以下{len(entries)}名同志为{selection_round.year}年度“赣州工匠”。</p>"
            ),
            entries=entries,
        )
        notice_section().add_child(instance=page)
        approval.result_page = page
        approval.save(update_fields=["result_page"])
    else:
        page.entries = entries
        page.save()
    page.save_revision(user=by, log_action=True)
    return page


def confer_round(selection_round, by, now=None, notify=True):
    """Confer the title on every 待批准 candidate of the round; returns the new craftsmen.

    Refused with :class:`TransitionNotAllowed` (nothing changed) without an approval.
    Each new title holder is told by e-mail after commit (``notify=False``: demo data).
    """
    from craftsman.pdf import certificate_pdf

    now = now or timezone.now()
    today = now.astimezone(SHANGHAI).date()
    with transaction.atomic():
        # The round's row is the lock under which certificate numbers are counted.
        selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        approval = GovernmentApproval.objects.filter(round=selection_round).first()
        if approval is None:
            raise TransitionNotAllowed(
                _("%(round)s 尚未录入市政府批准文件（文号和日期），不能认定。请先录入批准。")
                % {"round": selection_round}
            )
        year = selection_round.year
        candidates = sorted(
            Submission.objects.filter(round=selection_round, status=Status.AWAITING_APPROVAL)
            .select_related("round", "recommending_unit")
            .select_for_update(of=("self",)),
            key=lambda s: stroke_sort_key(s.name),
        )
        last = Craftsman.objects.filter(title_year=year).aggregate(n=Max("sequence"))["n"] or 0
        created = []
        for sequence, submission in enumerate(candidates, start=last + 1):
            perform(
                submission,
                "confer",
                by=by,
                comment=f"经市人民政府批准（{approval.document_number}）。",
                now=now,
                notify=notify,
            )
            craftsman = Craftsman(
                submission=submission,
                round=selection_round,
                title_year=year,
                sequence=sequence,
                certificate_number=certificate_number(year, sequence),
                conferred_on=today,
                cultivation_ends_on=add_years(today, CULTIVATION_YEARS),
                conferred_by=by,
            )
            craftsman.certificate_file.save(
                f"{craftsman.certificate_number}.pdf",
                ContentFile(certificate_pdf(craftsman)),
                save=False,
            )
            craftsman.profile_page = _profile(submission, year, by)
            craftsman.save()
            Reward.objects.create(craftsman=craftsman, amount=REWARD_AMOUNT)
            log(
                instance=submission,
                action="craftsman.issue_certificate",
                user=by,
                timestamp=now,
                data={"certificate": craftsman.certificate_number},
            )
            created.append(craftsman)
        if created:
            everyone = list(
                Craftsman.objects.filter(round=selection_round).select_related("submission")
            )
            _result_page(approval, everyone, by)
            if not Submission.objects.filter(
                round=selection_round,
                status__in=[Status.IN_PUBLICITY, Status.AWAITING_APPROVAL],
            ).exists():
                selection_round.status = SelectionRound.Status.CLOSED
                selection_round.save(update_fields=["status"])
    return created


def mark_reward_paid(reward, paid_on, voucher_number, by):
    """发放奖励: record the payment date and voucher number (once)."""
    voucher_number = (voucher_number or "").strip()
    if not isinstance(paid_on, datetime.date) or not voucher_number:
        raise TransitionNotAllowed(_("请填写发放日期和凭证号。"))
    with transaction.atomic():
        locked = Reward.objects.select_for_update().get(pk=reward.pk)
        if locked.status == Reward.PaymentStatus.PAID:
            raise TransitionNotAllowed(_("该奖励已于 %(day)s 发放。") % {"day": locked.paid_on})
        if locked.status == Reward.PaymentStatus.CANCELLED:
            raise TransitionNotAllowed(_("称号已撤销，该奖励已取消，不能发放。"))
        locked.status = Reward.PaymentStatus.PAID
        locked.paid_on = paid_on
        locked.voucher_number = voucher_number
        locked.save()
        log(
            instance=locked.craftsman.submission,
            action="craftsman.reward_paid",
            user=by,
            data={"paid_on": str(paid_on), "voucher": voucher_number, "amount": str(locked.amount)},
        )
    reward.refresh_from_db()
    return reward
