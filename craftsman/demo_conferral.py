"""Demo content of publicity and conferral: a concluded 2024 round (``seed_demo``), and
``seed_publicity_2025``: the 2025 round's proposed list in publicity now, with one objection
under verification.  ``seed_demo`` does not call the latter yet: the review demo's tests
expect the 2025 round to stay at its proposed list (拟入选).

Everything is fictitious.  Idempotent: the 2024 round is found by year, the notice through
:class:`~craftsman.models.RoundPublicity`, the objection by notice and objector.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from craftsman.conferral import confer_round, craftsman_index, mark_reward_paid, record_approval
from craftsman.demo import TZ, _build_submission, _png_bytes
from craftsman.models import (
    Industry,
    RecommendingUnit,
    Reward,
    SelectionRound,
    Status,
    Submission,
    SubmissionAttachment,
)
from craftsman.publicity import generate_publicity_notice
from publications.models import Objection, ObjectionStatus
from publications.objection_actions import record_verification, submit_objection

CONFERRED_2024 = 10
# The 2025 notice: generated on Friday 2026-11-20, so it runs Monday 23 to Friday 27
# November 2026 (chinese-calendar covers 2026, not 2027) and is open on 2026-11-25.
PUBLICITY_DAY = datetime.date(2026, 11, 20)


def _bureau():
    User = get_user_model()
    return (
        User.objects.filter(username="bureau").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def seed_round_2024(bureau):
    selection_round, created = SelectionRound.objects.get_or_create(
        year=2024,
        defaults={
            "title": "2024年度“赣州工匠”培养选拔",
            "opens_at": datetime.datetime(2024, 8, 1, 8, 0, tzinfo=TZ),
            "closes_at": datetime.datetime(2024, 9, 15, 17, 30, tzinfo=TZ),
            "recommendation_deadline": datetime.datetime(2024, 9, 30, 17, 30, tzinfo=TZ),
            "quota": 15,
            "status": SelectionRound.Status.PUBLICITY,
        },
    )
    if not created:
        return selection_round
    units = list(RecommendingUnit.objects.filter(kind=RecommendingUnit.Kind.COUNTY)[:10])
    industries = {industry.name: industry for industry in Industry.objects.all()}
    for number in range(CONFERRED_2024):
        submission = _build_submission(
            selection_round, units[number % len(units)], industries, 300 + number, "R"
        )
        submission.status = Status.AWAITING_APPROVAL
        submission.receipt_number = f"GZGJ2024{number + 1:06d}"
        submission.save()
        SubmissionAttachment.create_from_upload(
            submission,
            SubmissionAttachment.Kind.PHOTO,
            SimpleUploadedFile("photo.png", _png_bytes()),
        )
    record_approval(selection_round, "赣市府字〔2024〕58号", datetime.date(2024, 12, 10), bureau)
    craftsmen = confer_round(
        selection_round,
        by=bureau,
        now=datetime.datetime(2024, 12, 16, 10, 0, tzinfo=TZ),
        notify=False,
    )
    index = craftsman_index()
    for craftsman in craftsmen:
        if craftsman.profile_page is not None:
            craftsman.profile_page.save_revision(user=bureau).publish()
    index.refresh_from_db()
    approval = selection_round.approval
    if approval.result_page is not None:
        approval.result_page.save_revision(user=bureau).publish()
    for number, craftsman in enumerate(craftsmen[:6], start=1):
        mark_reward_paid(
            craftsman.reward, datetime.date(2025, 1, 20), f"GZCZ-2025-01-{number:03d}", bureau
        )
    return selection_round


def seed_publicity_2025(bureau):
    selection_round = SelectionRound.objects.filter(year=2025).first()
    if selection_round is None:
        return None
    has_notice = hasattr(selection_round, "publicity")
    if (
        not has_notice
        and not Submission.objects.filter(round=selection_round, status=Status.SHORTLISTED).exists()
    ):
        return None
    notice = generate_publicity_notice(selection_round, by=bureau, today=PUBLICITY_DAY)
    if not notice.live:
        # The demo stands in for the reviewer: finish the moderation it was submitted to.
        if notice.current_workflow_state is not None:
            notice.current_workflow_state.cancel(user=bureau)
        notice.save_revision(user=bureau).publish()
        notice.refresh_from_db()
    entry = notice.entries.order_by("sort_order").first()
    if entry is None or Objection.objects.filter(notice=notice, real_name="郭振华").exists():
        return notice
    objection = submit_objection(
        notice,
        {
            "objector_type": "person",
            "real_name": "郭振华",
            "phone": "13907970002",
            "work_unit": "",
            "entry": entry,
            "content": f"公示名单中{entry.name}同志申报材料所列的专利情况与实际不符，请予核实。",
            "evidence": [],
        },
        ip="127.0.0.1",
        now=datetime.datetime(2026, 11, 24, 10, 5, tzinfo=TZ),
    )
    record_verification(
        objection.pk,
        user=bureau,
        status=ObjectionStatus.CHECKING,
        notes="已函请推荐单位核实专利证书原件，待书面回复。",
        reply="",
        now=datetime.datetime(2026, 11, 25, 9, 30, tzinfo=TZ),
    )
    return notice


def seed_demo(home, stdout):
    bureau = _bureau()
    with transaction.atomic():
        seed_round_2024(bureau)
    with transaction.atomic():
        seed_publicity_2025(bureau)  # the 2025 proposed list, in publicity now
    paid = Reward.objects.filter(status=Reward.PaymentStatus.PAID).count()
    stdout.write(
        "赣州工匠：2024年度已认定 "
        f"{SelectionRound.objects.get(year=2024).craftsmen.count()} 名（奖励已发放 {paid} 笔）"
        + "。"
    )
