"""Aggregation and ranking of the review (art. 7(三)): scores → ranking → proposed list.

Pure functions (``aggregate``, ``spread``, ``rank_rows``, ``cut``) do the arithmetic on
plain values; :func:`build_ranking` reads a round in a fixed number of queries and
:func:`apply_proposed_list` turns the cut into 拟入选 / 未入选 through the workflow.

- A submission's score is the mean of its submitted experts' totals, trimmed (one
  highest and one lowest dropped) when five or more experts scored it.
- Ties (equal score): a 县级工匠 first (art. 6), then the higher 技能 score, then the
  bureau's recorded decision (:class:`TieBreak`); the submission id only keeps the
  order stable.
- The quota cuts the ranking; the bureau moves someone across the line only with a
  recorded reason (:class:`QuotaOverride`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from craftsman.models import (
    Honour,
    QuotaOverride,
    ReviewAssignment,
    ScoreSheet,
    ScoringCriterion,
    SelectionRound,
    Status,
    Submission,
    TieBreak,
)
from craftsman.review import ReviewError, _require_bureau
from craftsman.workflow import perform

TRIM_FROM = 5  # experts; from this many the highest and the lowest total are dropped
CENT = Decimal("0.01")
RANKED_STATES = (Status.REVIEWING, Status.SHORTLISTED, Status.NOT_SELECTED)


# --- pure functions ------------------------------------------------------------


def mean(values):
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT)


def aggregate(totals):
    """``(score, trimmed)`` from the experts' totals; ``(None, False)`` when nobody scored."""
    totals = sorted(totals)
    if len(totals) >= TRIM_FROM:
        return mean(totals[1:-1]), True
    return mean(totals), False


def spread(values):
    """``(min, max, mean)`` of one criterion's points, or ``None`` without values."""
    values = list(values)
    if not values:
        return None
    return min(values), max(values), mean(values)


@dataclass
class Row:
    submission_id: int
    name: str
    employer: str = ""
    unit: str = ""
    status: str = ""
    is_county_craftsman: bool = False
    totals: list = field(default_factory=list)
    score: Decimal | None = None
    trimmed: bool = False
    skill: Decimal | None = None
    spreads: list = field(default_factory=list)  # one (min, max, mean) or None per criterion
    pending: int = 0  # current assignments whose sheet is not submitted
    tie_position: int | None = None
    tie_reason: str = ""
    override: str = ""  # QuotaOverride.Kind or ""
    override_reason: str = ""
    rank: int = 0
    tied: bool = False
    in_quota: bool = False
    proposed: bool = False

    def tie_key(self):
        """What the rules compare; equal keys are a tie only the bureau can break."""
        return (self.score, self.is_county_craftsman, self.skill)

    def sort_key(self):
        return (
            self.score is None,
            -(self.score or 0),
            not self.is_county_craftsman,
            -(self.skill or 0),
            self.tie_position if self.tie_position is not None else 10**6,
            self.submission_id,
        )


def rank_rows(rows):
    """Sort ``rows`` by the rules, number them and flag ties; return the sorted list."""
    rows = sorted(rows, key=Row.sort_key)
    groups = {}
    for row in rows:
        if row.score is not None:
            groups.setdefault(row.tie_key(), []).append(row)
    for members in groups.values():
        if len(members) > 1:
            for row in members:
                row.tied = True
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def cut(rows, quota):
    """Mark ``in_quota`` (rank ≤ quota, with a score) and ``proposed`` (after overrides)."""
    for row in rows:
        row.in_quota = row.score is not None and row.rank <= quota
        if row.override == QuotaOverride.Kind.INCLUDE:
            row.proposed = True
        elif row.override == QuotaOverride.Kind.EXCLUDE:
            row.proposed = False
        else:
            row.proposed = row.in_quota
    return rows


def unresolved_line_tie(rows, quota):
    """The two rows either side of the quota line when they are tied and neither a tie
    decision nor an override separates them; else ``None``."""
    if len(rows) <= quota or quota < 1:
        return None
    last, first_out = rows[quota - 1], rows[quota]
    if last.score is None or last.tie_key() != first_out.tie_key():
        return None
    if last.override or first_out.override:
        return None
    if (
        last.tie_position is not None
        and first_out.tie_position is not None
        and last.tie_position != first_out.tie_position
    ):
        return None
    return last, first_out


# --- reading a round -------------------------------------------------------------


@dataclass
class Ranking:
    round: SelectionRound
    criteria: list
    rows: list

    @property
    def quota(self):
        return self.round.quota

    @property
    def proposed(self):
        return [row for row in self.rows if row.proposed]

    @property
    def pending(self):
        return sum(row.pending for row in self.rows)

    @property
    def line_tie(self):
        return unresolved_line_tie(self.rows, self.quota)

    @property
    def is_applied(self):
        return bool(self.rows) and all(row.status != Status.REVIEWING for row in self.rows)


def build_ranking(selection_round):
    """The round's ranking, in a fixed number of queries whatever the number of rows."""
    criteria = list(selection_round.scoring_criteria.all())
    skill = next((c for c in criteria if c.code == ScoringCriterion.SKILL), None)
    submissions = (
        Submission.objects.filter(round=selection_round, status__in=RANKED_STATES)
        .select_related("recommending_unit")
        .only("pk", "name", "employer", "status", "recommending_unit__name")
        .prefetch_related(
            # Into lists (to_attr): a related manager's .all() builds a queryset per row,
            # which was most of the time for a round of thousands.
            Prefetch(
                "honours",
                queryset=Honour.objects.filter(kind=Honour.Kind.COUNTY_CRAFTSMAN),
                to_attr="county_honours",
            ),
            Prefetch(
                "review_assignments",
                queryset=ReviewAssignment.objects.current()
                .select_related("sheet")
                .prefetch_related(Prefetch("sheet__items", to_attr="item_list")),
                to_attr="current_assignments",
            ),
        )
    )
    tie_breaks = {t.submission_id: t for t in TieBreak.objects.filter(round=selection_round)}
    overrides = {o.submission_id: o for o in QuotaOverride.objects.filter(round=selection_round)}
    rows = []
    for submission in submissions:
        sheets = []
        pending = 0
        for assignment in submission.current_assignments:
            sheet = getattr(assignment, "sheet", None)
            if sheet is not None and sheet.status == ScoreSheet.State.SUBMITTED:
                sheets.append(sheet)
            else:
                pending += 1
        by_criterion = {c.pk: [] for c in criteria}
        for sheet in sheets:
            for item in sheet.item_list:
                by_criterion.setdefault(item.criterion_id, []).append(item.points)
        score, trimmed = aggregate(sheet.total for sheet in sheets)
        tie = tie_breaks.get(submission.pk)
        override = overrides.get(submission.pk)
        rows.append(
            Row(
                submission_id=submission.pk,
                name=submission.name,
                employer=submission.employer,
                unit=submission.recommending_unit.name if submission.recommending_unit else "",
                status=submission.status,
                is_county_craftsman=bool(submission.county_honours),
                totals=[sheet.total for sheet in sheets],
                score=score,
                trimmed=trimmed,
                skill=mean(by_criterion[skill.pk]) if skill else None,
                spreads=[spread(by_criterion[c.pk]) for c in criteria],
                pending=pending,
                tie_position=tie.position if tie else None,
                tie_reason=tie.reason if tie else "",
                override=override.kind if override else "",
                override_reason=override.reason if override else "",
            )
        )
    rows = cut(rank_rows(rows), selection_round.quota)
    return Ranking(round=selection_round, criteria=criteria, rows=rows)


# --- the bureau's decisions ----------------------------------------------------------


def _submission_in_review(selection_round, submission_id):
    submission = Submission.objects.filter(
        round=selection_round, pk=submission_id, status=Status.REVIEWING
    ).first()
    if submission is None:
        raise ReviewError(_("该申报不在本年度的评审中。"))
    return submission


def record_tie_break(selection_round, submission, position, reason, by):
    """Record the bureau's order among tied submissions (1 = first), with its reason."""
    _require_bureau(by)
    if not (reason or "").strip():
        raise ReviewError(_("并列处理决定必须填写理由。"))
    try:
        position = int(position)
    except (TypeError, ValueError):
        position = 0
    if position < 1:
        raise ReviewError(_("并列中的顺序须为从 1 开始的整数。"))
    with transaction.atomic():
        submission = _submission_in_review(selection_round, getattr(submission, "pk", submission))
        tie, _created = TieBreak.objects.update_or_create(
            round=selection_round,
            submission=submission,
            defaults={"position": position, "reason": reason.strip(), "decided_by": by},
        )
        log(
            instance=submission,
            action="craftsman.review.tie_break",
            user=by,
            data={"position": position, "reason": tie.reason},
        )
    return tie


def record_override(selection_round, submission, kind, reason, by):
    """Move a submission across the quota line (``QuotaOverride.Kind``); reason required."""
    _require_bureau(by)
    if kind not in QuotaOverride.Kind.values:
        raise ReviewError(_("请选择列入或移出拟入选名单。"))
    if not (reason or "").strip():
        raise ReviewError(_("调整名额线必须填写理由。"))
    with transaction.atomic():
        submission = _submission_in_review(selection_round, getattr(submission, "pk", submission))
        override, _created = QuotaOverride.objects.update_or_create(
            round=selection_round,
            submission=submission,
            defaults={"kind": kind, "reason": reason.strip(), "decided_by": by},
        )
        log(
            instance=submission,
            action="craftsman.review.override",
            user=by,
            data={"kind": kind, "reason": override.reason},
        )
    return override


def apply_proposed_list(selection_round, by, now=None):
    """确定拟入选名单: proposed → 拟入选, the others → 未入选, in one transaction.

    Refused when a current assignment's sheet is not submitted, when a submission has no
    submitted score, or when the quota line falls inside an unresolved tie.
    Returns ``(proposed, not_selected)`` counts.
    """
    _require_bureau(by)
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        if locked.status != SelectionRound.Status.REVIEWING:
            raise ReviewError(_("%(round)s 不在评审阶段。") % {"round": locked})
        ranking = build_ranking(locked)
        rows = [row for row in ranking.rows if row.status == Status.REVIEWING]
        if not rows:
            raise ReviewError(_("没有评审中的申报，名单已确定或尚未启动评审。"))
        if ranking.pending:
            raise ReviewError(
                _("还有 %(n)d 份评分表未提交，全部提交后才能确定拟入选名单。")
                % {"n": ranking.pending}
            )
        unscored = [row.name for row in rows if row.score is None]
        if unscored:
            raise ReviewError(
                _("以下申报尚无专家评分：%(names)s。") % {"names": "、".join(unscored)}
            )
        tie = ranking.line_tie
        if tie:
            raise ReviewError(
                _("名额线上的 %(a)s 与 %(b)s 得分并列，请先记录并列处理决定或调整名额线。")
                % {"a": tie[0].name, "b": tie[1].name}
            )
        by_pk = Submission.objects.in_bulk([row.submission_id for row in rows])
        proposed = 0
        for row in rows:
            action = "propose" if row.proposed else "not_selected"
            perform(by_pk[row.submission_id], action, by=by, now=now, notify=False)
            proposed += row.proposed
        log(
            instance=locked,
            action="craftsman.review.apply_list",
            user=by,
            data={
                "proposed": [r.submission_id for r in rows if r.proposed],
                "quota": locked.quota,
                "overrides": [[r.submission_id, r.override] for r in rows if r.override],
            },
        )
    return proposed, len(rows) - proposed
