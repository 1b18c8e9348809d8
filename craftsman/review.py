"""评审 (art. 7(三)): starting the review, assigning experts with 回避, recusal and
replacement, scoring, submitting and reopening score sheets.

Every change: ``transaction.atomic()``, the row locked, the state checked (refused
with :class:`ReviewError` carrying a Chinese message, nothing changed), a Wagtail log
entry (``craftsman.review.*``).  Experts are told of assignments by e-mail, a django-q2
task enqueued on commit.
"""

import random
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from craftsman.models import (
    ReviewAssignment,
    ReviewPanel,
    ScoreItem,
    ScoreSheet,
    ScoringCriterion,
    SelectionRound,
    Status,
    Submission,
)
from craftsman.roles import is_bureau
from craftsman.workflow import perform
from website.mail import queue_mail

# Art. 3: 品德、技能、业绩（突出业绩和贡献）.
DEFAULT_CRITERIA = [
    ("morality", "品德", Decimal("20")),
    (ScoringCriterion.SKILL, "技能", Decimal("40")),
    ("performance", "业绩与贡献", Decimal("40")),
]

LOG_ACTIONS = {
    "craftsman.review.start": _("启动评审"),
    "craftsman.review.assign": _("分配评审专家"),
    "craftsman.review.declare": _("专家声明无需回避"),
    "craftsman.review.recuse": _("专家回避"),
    "craftsman.review.replace": _("回避后补抽专家"),
    "craftsman.review.submit_sheet": _("提交评分表"),
    "craftsman.review.reopen_sheet": _("退回评分表重新评分"),
    "craftsman.review.tie_break": _("记录并列处理决定"),
    "craftsman.review.override": _("调整名额线"),
    "craftsman.review.apply_list": _("确定拟入选名单"),
}


class ReviewError(Exception):
    """A review action refused; ``message`` says why, in Chinese. Nothing was changed."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def _require_bureau(user):
    if not is_bureau(user):
        raise ReviewError(_("只有市人社局可以执行此操作。"))


def ensure_default_criteria(selection_round):
    """The round's criteria; the defaults of art. 3 (20 + 40 + 40) when it has none."""
    if not selection_round.scoring_criteria.exists():
        ScoringCriterion.objects.bulk_create(
            ScoringCriterion(
                round=selection_round, code=code, name=name, max_points=points, sort_order=i * 10
            )
            for i, (code, name, points) in enumerate(DEFAULT_CRITERIA, start=1)
        )
    return list(selection_round.scoring_criteria.all())


def panel_for(selection_round):
    panel, _created = ReviewPanel.objects.get_or_create(round=selection_round)
    return panel


def start_review(selection_round, by, now=None):
    """Move the round to 评审中 and every 已推荐 submission of it to 评审中; return their count."""
    _require_bureau(by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        if locked.status not in (
            SelectionRound.Status.RECOMMENDATION_CLOSED,
            SelectionRound.Status.REVIEWING,
        ):
            raise ReviewError(
                _("%(round)s 当前状态为“%(status)s”，推荐截止后才能启动评审。")
                % {"round": locked, "status": locked.get_status_display()}
            )
        locked.status = SelectionRound.Status.REVIEWING
        locked.save(update_fields=["status"])
        ensure_default_criteria(locked)
        panel_for(locked)
        moved = 0
        for submission in Submission.objects.filter(round=locked, status=Status.RECOMMENDED):
            perform(submission, "start_review", by=by, now=now, notify=False)
            moved += 1
        log(instance=locked, action="craftsman.review.start", user=by, data={"moved": moved})
    selection_round.refresh_from_db()
    return moved


def _lock_submission_in_review(submission):
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=submission.pk)
    )
    if locked.status != Status.REVIEWING:
        raise ReviewError(
            _("“%(name)s”当前状态为“%(status)s”，不在评审中。")
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    return locked


def _notify(assignment):
    """Put the expert's mail in the outbox, in the assignment's transaction."""
    mail = assignment_mail(assignment)
    if mail:
        queue_mail(*mail)


def assign(submission, expert, by, method=ReviewAssignment.Method.MANUAL, notify=True):
    """Assign ``expert`` to ``submission`` by hand; refused on a conflict of interest (回避)."""
    _require_bureau(by)
    with transaction.atomic():
        locked = _lock_submission_in_review(submission)
        if not expert.active:
            raise ReviewError(_("专家 %(name)s 已停用。") % {"name": expert.name})
        conflict = expert.conflict_with(locked)
        if conflict:
            raise ReviewError(
                _("专家 %(expert)s 须回避“%(name)s”：%(why)s。")
                % {"expert": expert.name, "name": locked.name, "why": conflict}
            )
        if ReviewAssignment.objects.filter(submission=locked, expert=expert).exists():
            raise ReviewError(_("该专家已分配评审这份申报（含已回避的）。"))
        assignment = ReviewAssignment.objects.create(
            submission=locked, expert=expert, method=method, assigned_by=by
        )
        log(
            instance=locked,
            action="craftsman.review.assign",
            user=by,
            data={"expert": expert.pk, "expert_name": expert.name, "method": method},
        )
        if notify:
            _notify(assignment)
    return assignment


def draw(submission, count, by, rng=None, notify=True):
    """Randomly draw experts until ``submission`` has ``count`` current assignments.

    Never draws an expert already assigned (or recused) or one with a conflict.  Returns
    ``(new assignments, avoided)`` where ``avoided`` lists ``(expert, reason)`` of the
    experts left out for 回避.  Refused when there are not enough eligible experts.
    """
    _require_bureau(by)
    return _draw(submission, count, by, rng=rng, notify=notify)


def _draw(submission, count, by, rng=None, notify=True):
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        locked = _lock_submission_in_review(submission)
        panel = panel_for(locked.round)
        taken = set(
            ReviewAssignment.objects.filter(submission=locked).values_list("expert_id", flat=True)
        )
        current = ReviewAssignment.objects.filter(submission=locked).current().count()
        needed = count - current
        if needed <= 0:
            return [], []
        eligible, avoided = [], []
        for expert in panel.pool().exclude(pk__in=taken).select_related("unit"):
            conflict = expert.conflict_with(locked)
            if conflict:
                avoided.append((expert, conflict))
            else:
                eligible.append(expert)
        if len(eligible) < needed:
            raise ReviewError(
                _(
                    "可抽取的专家不足：“%(name)s”还需 %(needed)d 名，符合回避要求的只有 "
                    "%(eligible)d 名（%(avoided)d 名因回避排除）。请扩充专家库或手动指定。"
                )
                % {
                    "name": locked.name,
                    "needed": needed,
                    "eligible": len(eligible),
                    "avoided": len(avoided),
                }
            )
        chosen = rng.sample(sorted(eligible, key=lambda e: e.pk), needed)
        created = []
        for expert in chosen:
            assignment = ReviewAssignment.objects.create(
                submission=locked,
                expert=expert,
                method=ReviewAssignment.Method.RANDOM,
                assigned_by=by,
            )
            created.append(assignment)
            if notify:
                _notify(assignment)
        log(
            instance=locked,
            action="craftsman.review.assign",
            user=by,
            data={
                "method": ReviewAssignment.Method.RANDOM,
                "experts": [e.pk for e in chosen],
                "avoided": [[e.pk, str(why)] for e, why in avoided],
            },
        )
    return created, avoided


def _lock_own_assignment(assignment, by):
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("expert", "submission")
        .get(pk=assignment.pk)
    )
    if locked.expert.user_id is None or locked.expert.user_id != by.pk:
        raise ReviewError(_("这不是您的评审任务。"))
    if locked.is_recused:
        raise ReviewError(_("您已回避这份申报。"))
    if locked.submission.status != Status.REVIEWING:
        raise ReviewError(_("这份申报已不在评审中。"))
    return locked


def declare_no_conflict(assignment, by, now=None):
    """The expert declares they need not recuse; scoring is possible afterwards."""
    with transaction.atomic():
        locked = _lock_own_assignment(assignment, by)
        if locked.declared_no_conflict_at is None:
            locked.declared_no_conflict_at = now or timezone.now()
            locked.save(update_fields=["declared_no_conflict_at"])
            log(
                instance=locked.submission,
                action="craftsman.review.declare",
                user=by,
                data={"assignment": locked.pk},
            )
    assignment.refresh_from_db()
    return assignment


def recuse(assignment, by, reason, rng=None, now=None):
    """The expert recuses (reason required); a replacement is drawn at once.

    Returns the replacement assignment, or ``None`` when no eligible expert is left (the
    recusal stands and the bureau assigns someone by hand; both are logged).
    """
    if not (reason or "").strip():
        raise ReviewError(_("回避必须填写理由。"))
    with transaction.atomic():
        locked = _lock_own_assignment(assignment, by)
        sheet = ScoreSheet.objects.filter(assignment=locked).first()
        if sheet is not None and sheet.is_submitted:
            raise ReviewError(_("评分表已提交，不能再回避；如有问题请联系市人社局。"))
        if sheet is not None:
            sheet.delete()
        locked.recused_at = now or timezone.now()
        locked.recusal_reason = reason.strip()
        locked.save(update_fields=["recused_at", "recusal_reason"])
        log(
            instance=locked.submission,
            action="craftsman.review.recuse",
            user=by,
            data={"assignment": locked.pk, "expert": locked.expert_id, "reason": reason.strip()},
        )
        submission = locked.submission
        target = ReviewAssignment.objects.filter(submission=submission).current().count() + 1
        replacement = None
        try:
            with transaction.atomic():
                created, _avoided = _draw(submission, target, by=locked.assigned_by, rng=rng)
                replacement = created[0] if created else None
        except ReviewError as error:
            log(
                instance=submission,
                action="craftsman.review.replace",
                user=by,
                data={"replaces": locked.pk, "replacement": None, "error": error.message},
            )
        else:
            log(
                instance=submission,
                action="craftsman.review.replace",
                user=by,
                data={
                    "replaces": locked.pk,
                    "replacement": replacement.pk if replacement else None,
                },
            )
    assignment.refresh_from_db()
    return replacement


def _parse_points(value, criterion):
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ReviewError(_("“%(name)s”的得分不是数字。") % {"name": criterion.name}) from None
    if points < 0 or points > criterion.max_points:
        raise ReviewError(
            _("“%(name)s”的得分须在 0 至 %(max)s 分之间。")
            % {"name": criterion.name, "max": f"{criterion.max_points:g}"}
        )
    if points != points.quantize(Decimal("0.1")):
        raise ReviewError(_("“%(name)s”的得分最多保留一位小数。") % {"name": criterion.name})
    return points


def sheet_total(criteria, points):
    """Σ points × weight over the criteria scored (``points``: criterion id → Decimal)."""
    return sum(
        (points[c.pk] * c.weight for c in criteria if points.get(c.pk) is not None),
        Decimal("0"),
    ).quantize(Decimal("0.01"))


def save_scores(assignment, by, points, comment=None):
    """Save the expert's draft scores (``points``: criterion id → value; blanks skipped).

    Refused before the no-conflict declaration, after submission, or for a value outside
    0…max.  Returns the sheet with its server-side ``total``.
    """
    with transaction.atomic():
        locked = _lock_own_assignment(assignment, by)
        if locked.declared_no_conflict_at is None:
            raise ReviewError(_("评分前请先声明无需回避，或申请回避。"))
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(assignment=locked)
        if sheet.is_submitted:
            raise ReviewError(_("评分表已提交，不能修改。如需更正，请联系市人社局退回。"))
        criteria = list(locked.submission.round.scoring_criteria.all())
        parsed = {}
        for criterion in criteria:
            value = points.get(criterion.pk, points.get(str(criterion.pk)))
            if value is None or str(value).strip() == "":
                continue
            parsed[criterion.pk] = _parse_points(value, criterion)
        ScoreItem.objects.filter(sheet=sheet).exclude(criterion_id__in=parsed).delete()
        for criterion_id, value in parsed.items():
            ScoreItem.objects.update_or_create(
                sheet=sheet, criterion_id=criterion_id, defaults={"points": value}
            )
        sheet.total = sheet_total(criteria, parsed)
        if comment is not None:
            sheet.comment = comment.strip()
        sheet.save()
    return sheet


def submit_sheet(sheet, by, now=None):
    """Lock the sheet: every criterion must be scored. Only the expert submits, once."""
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        assignment = _lock_own_assignment(locked.assignment, by)
        if locked.is_submitted:
            raise ReviewError(_("评分表已提交，不能重复提交。"))
        criteria = list(assignment.submission.round.scoring_criteria.all())
        scored = set(locked.items.values_list("criterion_id", flat=True))
        missing = [c.name for c in criteria if c.pk not in scored]
        if missing:
            raise ReviewError(_("尚未评分：%(items)s。") % {"items": "、".join(missing)})
        locked.status = ScoreSheet.State.SUBMITTED
        locked.submitted_at = now or timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        log(
            instance=assignment.submission,
            action="craftsman.review.submit_sheet",
            user=by,
            data={"sheet": locked.pk, "expert": assignment.expert_id, "total": str(locked.total)},
        )
    sheet.refresh_from_db()
    return sheet


def reopen_sheet(sheet, by, reason):
    """The bureau sends a submitted sheet back to the expert (reason required, logged)."""
    _require_bureau(by)
    if not (reason or "").strip():
        raise ReviewError(_("退回评分表必须填写原因。"))
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        submission = locked.assignment.submission
        if not locked.is_submitted:
            raise ReviewError(_("评分表尚未提交，无需退回。"))
        if submission.status != Status.REVIEWING:
            raise ReviewError(_("拟入选名单已确定，评分表不能再退回。"))
        locked.status = ScoreSheet.State.DRAFT
        locked.submitted_at = None
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        log(
            instance=submission,
            action="craftsman.review.reopen_sheet",
            user=by,
            data={"sheet": locked.pk, "reason": reason.strip()},
        )
    sheet.refresh_from_db()
    return sheet


def assignment_mail(assignment):
    """``(recipient, subject, body)`` telling the expert about an assignment, or ``None``."""
    if assignment.is_recused:
        return None
    expert = assignment.expert
    recipient = expert.email or (expert.user.email if expert.user_id else "")
    if not recipient:
        return None
    subject = f"【赣州工匠】{assignment.submission.round}：新的评审任务"
    body = (
        f"{expert.name}专家：\n\n"
        f"市人社局为您分配了{assignment.submission.round}的评审任务"
        f"（申报人：{assignment.submission.name}）。\n"
        "请登录管理后台，在“我的评审任务”中先声明是否需要回避，再填写评分表。\n\n"
        f"{settings.WAGTAILADMIN_BASE_URL}/admin/\n"
    )
    return recipient, subject, body


def notify_assignment(assignment_id):
    """Task kept for entries queued before the outbox existed: queue the expert's mail."""
    assignment = (
        ReviewAssignment.objects.select_related("expert__user", "submission__round")
        .filter(pk=assignment_id)
        .first()
    )
    mail = assignment_mail(assignment) if assignment else None
    return 1 if mail and queue_mail(*mail) else 0


__all__ = [
    "DEFAULT_CRITERIA",
    "ReviewError",
    "assign",
    "declare_no_conflict",
    "draw",
    "ensure_default_criteria",
    "notify_assignment",
    "panel_for",
    "recuse",
    "reopen_sheet",
    "save_scores",
    "sheet_total",
    "start_review",
    "submit_sheet",
]
