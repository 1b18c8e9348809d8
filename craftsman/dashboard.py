"""The 赣州工匠 panels on the Wagtail admin home (``construct_homepage_panels``).

Each role sees its own work and nothing else:

- 市人社局: the chosen round's funnel and quota, the programme total against its target,
  the round's submissions by recommending unit (county) and by industry as bar charts,
  and the overdue annual cultivation reports;
- 推荐单位: its own units' submissions waiting to be recommended or returned;
- 评审专家: their own assignments still to be scored;
- 用人单位: their own craftsmen's cultivation reports due soon, returned or overdue.

Every figure comes from a fixed number of aggregate queries (``values().annotate(Count)``),
however many submissions, craftsmen or records there are, and every panel links to the
admin list that explains its numbers.  Charts are server-rendered (table + inline SVG
bars, the number always as text): the admin runs on a closed network, and screen readers
and printouts need the figures.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from craftsman import cultivation
from craftsman.models import (
    Craftsman,
    CultivationRecord,
    Industry,
    RecommendingUnit,
    ReviewAssignment,
    ScoreSheet,
    SelectionRound,
    Status,
    Submission,
    programme_target,
)
from craftsman.models.conferral import CULTIVATION_YEARS
from craftsman.models.cultivation import due_date
from craftsman.roles import is_bureau, unit_ids_for

ROUND_PARAM = "dashboard_round"  # ?dashboard_round=2025 on the admin home picks a round

# The funnel (《办法》第七条): how many submissions of the round reached at least each
# stage.  Each stage also names the status of those still *at* that stage, so the panel
# can link to the submission list filtered by it.
FUNNEL_STAGES = [
    (
        _("已提交"),
        Status.SUBMITTED,
        {
            Status.SUBMITTED,
            Status.RETURNED,
            Status.DECLINED,
            Status.RECOMMENDED,
            Status.REVIEWING,
            Status.SHORTLISTED,
            Status.IN_PUBLICITY,
            Status.AWAITING_APPROVAL,
            Status.CONFERRED,
            Status.NOT_SELECTED,
        },
    ),
    (
        _("已推荐"),
        Status.RECOMMENDED,
        {
            Status.RECOMMENDED,
            Status.REVIEWING,
            Status.SHORTLISTED,
            Status.IN_PUBLICITY,
            Status.AWAITING_APPROVAL,
            Status.CONFERRED,
            Status.NOT_SELECTED,
        },
    ),
    (
        _("评审拟入选"),
        Status.SHORTLISTED,
        {Status.SHORTLISTED, Status.IN_PUBLICITY, Status.AWAITING_APPROVAL, Status.CONFERRED},
    ),
    (
        _("进入公示"),
        Status.IN_PUBLICITY,
        {Status.IN_PUBLICITY, Status.AWAITING_APPROVAL, Status.CONFERRED},
    ),
    (_("公示期满报批"), Status.AWAITING_APPROVAL, {Status.AWAITING_APPROVAL, Status.CONFERRED}),
    (_("已认定"), Status.CONFERRED, {Status.CONFERRED}),
]

# Candidates who hold a place of the round's quota without being conferred yet.
QUOTA_PENDING = {Status.SHORTLISTED, Status.IN_PUBLICITY, Status.AWAITING_APPROVAL}


# --- helpers ------------------------------------------------------------------------


def submissions_url(**filters):
    """The admin submission list filtered by ``filters`` (round=…, status=…, …)."""
    url = reverse("craftsman_submissions:index")
    return f"{url}?{urlencode(filters)}" if filters else url


def percent(part, whole):
    """0..100, for a bar's width; a bar of a non-zero value is never invisible."""
    if not whole or not part:
        return 0
    return max(2, min(100, round(100 * part / whole)))


def bar_rows(items, total_label=None):
    """Chart rows from ``(label, count, url)``: the bar width is relative to the largest."""
    items = list(items)
    largest = max((count for _label, count, _url in items), default=0)
    return [
        {"label": label, "count": count, "url": url, "width": percent(count, largest)}
        for label, count, url in items
    ]


def _per_request(request, key, compute):
    """Compute once per request: several panels read the same aggregate."""
    cache = request.__dict__.setdefault("_craftsman_dashboard", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# --- 市人社局: the round --------------------------------------------------------------


def choose_round(request):
    """The round the bureau's panels show, and the other rounds one may switch to.

    By default the newest round that has started and is not closed (the one being
    worked on), else the newest one; ``?dashboard_round=<year>`` picks another.
    """
    rounds = list(
        SelectionRound.objects.exclude(status=SelectionRound.Status.DRAFT).order_by("-year")
    )
    if not rounds:
        return None, []
    wanted = request.GET.get(ROUND_PARAM, "")
    chosen = next((r for r in rounds if str(r.year) == wanted), None)
    if chosen is None:
        chosen = next((r for r in rounds if r.status != SelectionRound.Status.CLOSED), rounds[0])
    return chosen, rounds


def round_cube(selection_round):
    """The round's submissions (drafts excluded) counted by status, unit and industry:
    one query, at most (statuses × units × industries) rows whatever the number of
    submissions."""
    return list(
        Submission.objects.filter(round=selection_round)
        .exclude(status=Status.DRAFT)
        .values("status", "recommending_unit_id", "industry_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _bureau_data(request):
    def compute():
        selection_round, rounds = choose_round(request)
        cube = round_cube(selection_round) if selection_round else []
        return {"round": selection_round, "rounds": rounds, "cube": cube}

    return _per_request(request, "bureau", compute)


def funnel(selection_round, cube):
    by_status = defaultdict(int)
    for row in cube:
        by_status[row["status"]] += row["n"]
    stages = []
    for label, status, reached in FUNNEL_STAGES:
        stages.append(
            {
                "label": label,
                "count": sum(by_status[s] for s in reached),
                "current": by_status[status],
                "current_label": Status(status).label,
                "current_url": submissions_url(round=selection_round.pk, status=status),
            }
        )
    widest = stages[0]["count"] if stages else 0
    for stage in stages:
        stage["width"] = percent(stage["count"], widest)
    conferred = by_status[Status.CONFERRED]
    pending = sum(by_status[s] for s in QUOTA_PENDING)
    quota = selection_round.quota or 0
    return {
        "stages": stages,
        "exits": [
            {
                "label": Status(status).label,
                "count": by_status[status],
                "url": submissions_url(round=selection_round.pk, status=status),
            }
            for status in (Status.RETURNED, Status.DECLINED, Status.NOT_SELECTED)
        ],
        "quota": {
            "quota": quota,
            "conferred": conferred,
            "pending": pending,
            "used": conferred + pending,
            "remaining": max(0, quota - conferred - pending),
            "over": max(0, conferred + pending - quota),
            "conferred_width": percent(conferred, max(quota, conferred + pending)),
            "pending_width": percent(pending, max(quota, conferred + pending)),
        },
    }


class DashboardPanel(Component):
    """A panel of the admin home, built for one request (the user's own figures)."""

    class Media:
        css = {"all": ["craftsman/css/dashboard.css"]}

    def __init__(self, request):
        self.request = request


class BureauRoundPanel(DashboardPanel):
    """The round's funnel, its quota and the programme total against the target."""

    name = "craftsman_dashboard_round"
    order = 50
    template_name = "craftsman/admin/dashboard/round.html"

    def get_context_data(self, parent_context=None):
        data = _bureau_data(self.request)
        selection_round = data["round"]
        holders = len(title_holders(self.request))  # the bureau's: every title holder
        target = programme_target()
        context = {
            "round": selection_round,
            "other_rounds": [
                {"round": r, "url": f"{reverse('wagtailadmin_home')}?{ROUND_PARAM}={r.year}"}
                for r in data["rounds"]
                if r != selection_round
            ],
            "programme": {
                "holders": holders,
                "target": target,
                "width": percent(holders, max(target, holders)),
                "url": reverse("craftsman_revocation:results"),
            },
        }
        if selection_round is not None:
            context.update(funnel(selection_round, data["cube"]))
            context["round_url"] = submissions_url(round=selection_round.pk)
            context["conferral_url"] = reverse(
                "craftsman_conferral:round", args=[selection_round.pk]
            )
        return context


class BureauChartsPanel(DashboardPanel):
    """The round's submissions by recommending unit (county first) and by industry."""

    name = "craftsman_dashboard_charts"
    order = 51
    template_name = "craftsman/admin/dashboard/charts.html"

    def get_context_data(self, parent_context=None):
        data = _bureau_data(self.request)
        selection_round = data["round"]
        if selection_round is None:
            return {"round": None}
        per_unit, per_industry = defaultdict(int), defaultdict(int)
        for row in data["cube"]:
            per_unit[row["recommending_unit_id"]] += row["n"]
            per_industry[row["industry_id"]] += row["n"]
        units = RecommendingUnit.objects.values("pk", "name", "area", "kind", "active")
        industries = Industry.objects.values("pk", "name", "active")
        round_pk = selection_round.pk
        # Every active county appears (a zero says "nothing from here yet"); other units
        # and inactive ones only when they sent something.
        county_rows = bar_rows(
            (
                unit["area"] or unit["name"],
                per_unit[unit["pk"]],
                submissions_url(round=round_pk, recommending_unit=unit["pk"]),
            )
            for unit in units
            if (unit["kind"] == RecommendingUnit.Kind.COUNTY and unit["active"])
            or per_unit[unit["pk"]]
        )
        industry_rows = bar_rows(
            (
                industry["name"],
                per_industry[industry["pk"]],
                submissions_url(round=round_pk, industry=industry["pk"]),
            )
            for industry in industries
            if industry["active"] or per_industry[industry["pk"]]
        )
        return {
            "round": selection_round,
            "total": sum(per_unit.values()),
            "by_unit": county_rows,
            "unassigned_unit": per_unit[None],
            "by_industry": industry_rows,
            "unassigned_industry": per_industry[None],
            "round_url": submissions_url(round=round_pk),
        }


# --- cultivation reports (bureau: overdue; employer: due, returned, overdue) ------------


def title_holders(request):
    """The user's craftsmen holding the title (not revoked), as dicts: one query a request."""

    def compute():
        return list(
            cultivation.craftsmen_for(request.user)
            .exclude(status=Craftsman.Status.REVOKED)
            .values(
                "pk",
                "conferred_on",
                "title_year",
                "sequence",
                "submission__name",
                "submission__employer",
            )
            .order_by("title_year", "sequence")
        )

    return _per_request(request, "holders", compute)


def outstanding_reports(request, today):
    """Every cultivation report of the user's craftsmen with its state, in two queries.

    A report is outstanding unless submitted or confirmed; its state follows the
    bureau's overview (:func:`craftsman.cultivation.overview_state`).
    """
    user = request.user
    craftsmen = title_holders(request)
    records = {
        (r["craftsman_id"], r["year_index"]): r
        for r in CultivationRecord.objects.for_user(user).values(
            "pk", "craftsman_id", "year_index", "status", "due_on"
        )
    }
    reports = []
    for craftsman in craftsmen:
        shell = Craftsman(conferred_on=craftsman["conferred_on"])
        for year_index in range(1, CULTIVATION_YEARS + 1):
            record = records.get((craftsman["pk"], year_index))
            due_on = record["due_on"] if record else due_date(shell, year_index)
            if record and record["status"] != CultivationRecord.Status.DRAFT:
                state = record["status"]
            else:
                state = "overdue" if today > due_on else "pending"
            reports.append(
                {
                    "craftsman": craftsman,
                    "year_index": year_index,
                    "calendar_year": craftsman["conferred_on"].year + year_index,
                    "due_on": due_on,
                    "record_id": record["pk"] if record else None,
                    "state": state,
                    "state_label": cultivation.OVERVIEW_STATES[state],
                }
            )
    return reports


def overdue_reports(request, today):
    return [r for r in outstanding_reports(request, today) if r["state"] == "overdue"]


class CultivationOverduePanel(DashboardPanel):
    """市人社局: employers who have not filed a year's report by its due date."""

    name = "craftsman_dashboard_cultivation_overdue"
    order = 52
    template_name = "craftsman/admin/dashboard/cultivation_overdue.html"
    max_employers = 10

    def get_context_data(self, parent_context=None):
        overdue = overdue_reports(self.request, cultivation.shanghai_today())
        per_year, per_employer = defaultdict(int), defaultdict(int)
        for report in overdue:
            per_year[report["calendar_year"]] += 1
            per_employer[report["craftsman"]["submission__employer"]] += 1
        overview = reverse("craftsman_cultivation:overview")
        employers = sorted(per_employer.items(), key=lambda item: (-item[1], item[0]))
        return {
            "total": len(overdue),
            "by_year": [
                {"year": year, "count": n, "url": f"{overview}?{urlencode({'year': year})}"}
                for year, n in sorted(per_year.items(), reverse=True)
            ],
            "employers": employers[: self.max_employers],
            "more_employers": max(0, len(employers) - self.max_employers),
            "overview_url": overview,
        }


class EmployerCultivationPanel(DashboardPanel):
    """用人单位: their own craftsmen's reports due within 30 days, returned or overdue."""

    name = "craftsman_dashboard_employer"
    order = 50
    template_name = "craftsman/admin/dashboard/employer_cultivation.html"

    def get_context_data(self, parent_context=None):
        today = cultivation.shanghai_today()
        soon = today + datetime.timedelta(days=cultivation.UPCOMING_DAYS)
        reports = []
        for report in outstanding_reports(self.request, today):
            due = report["state"] == "pending" and report["due_on"] <= soon
            if report["state"] in ("overdue", "returned") or due:
                report["url"] = (
                    reverse("craftsman_cultivation:record", args=[report["record_id"]])
                    if report["state"] == "returned"
                    else reverse(
                        "craftsman_cultivation:edit",
                        args=[report["craftsman"]["pk"], report["year_index"]],
                    )
                )
                if due:
                    report["state_label"] = _("即将到期")
                reports.append(report)
        reports.sort(key=lambda r: r["due_on"])
        return {
            "reports": reports,
            "overdue": sum(r["state"] == "overdue" for r in reports),
            "mine_url": reverse("craftsman_cultivation:mine"),
        }


# --- 推荐单位 and 评审专家 -------------------------------------------------------------


class UnitTasksPanel(DashboardPanel):
    """推荐单位: its own units' submissions waiting for a decision (recommend or return),
    and paper applications the staff entered but have not submitted yet."""

    name = "craftsman_dashboard_unit_tasks"
    order = 50
    template_name = "craftsman/admin/dashboard/unit_tasks.html"

    def get_context_data(self, parent_context=None):
        rows = (
            Submission.objects.for_user(self.request.user)
            .filter(status__in=[Status.SUBMITTED, Status.DRAFT])
            # Only while the round still takes recommendations: afterwards nothing is to do.
            .filter(round__status__in=SelectionRound.RECOMMENDING_STATUSES)
            .values(
                "round_id",
                "round__year",
                "round__recommendation_deadline",
                "recommending_unit_id",
                "recommending_unit__name",
            )
            .annotate(
                waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
                drafts=Count("pk", filter=Q(status=Status.DRAFT)),
            )
            .order_by("-round__year", "recommending_unit__name")
        )
        tasks = [
            {
                **row,
                "waiting_url": submissions_url(
                    round=row["round_id"],
                    recommending_unit=row["recommending_unit_id"],
                    status=Status.SUBMITTED,
                ),
                "drafts_url": submissions_url(
                    round=row["round_id"],
                    recommending_unit=row["recommending_unit_id"],
                    status=Status.DRAFT,
                ),
            }
            for row in rows
        ]
        return {
            "tasks": tasks,
            "waiting": sum(t["waiting"] for t in tasks),
            # The newest round still taking recommendations (the figures above).
            "list_url": submissions_url(round=tasks[0]["round_id"], status=Status.SUBMITTED)
            if tasks
            else submissions_url(status=Status.SUBMITTED),
        }


class ExpertTasksPanel(DashboardPanel):
    """评审专家: their own assignments still to score (submission under review, not
    recused, no submitted sheet)."""

    name = "craftsman_dashboard_expert_tasks"
    order = 50
    template_name = "craftsman/admin/dashboard/expert_tasks.html"

    def get_context_data(self, parent_context=None):
        user = self.request.user
        rows = (
            ReviewAssignment.objects.for_user(user)
            .filter(expert__user=user, recused_at__isnull=True)
            .filter(submission__status=Status.REVIEWING)
            .filter(Q(sheet__isnull=True) | Q(sheet__status=ScoreSheet.State.DRAFT))
            .values("submission__round__year", "submission__round__title")
            .annotate(
                to_score=Count("pk"),
                undeclared=Count("pk", filter=Q(declared_no_conflict_at__isnull=True)),
            )
            .order_by("-submission__round__year")
        )
        rows = list(rows)
        return {
            "rows": rows,
            "to_score": sum(r["to_score"] for r in rows),
            "tasks_url": reverse("craftsman_review:my_tasks"),
        }


# --- which panels for whom -----------------------------------------------------------


def panels_for(request):
    """The craftsman panels of this user's admin home (an empty list for other roles)."""
    user = request.user
    panels = []
    if is_bureau(user):
        panels += [
            BureauRoundPanel(request),
            BureauChartsPanel(request),
            CultivationOverduePanel(request),
        ]
        return panels
    if unit_ids_for(user) and user.has_perm("craftsman.view_submission"):
        panels.append(UnitTasksPanel(request))
    if hasattr(user, "craftsman_expert"):
        panels.append(ExpertTasksPanel(request))
    if cultivation.is_employer(user):
        panels.append(EmployerCultivationPanel(request))
    return panels
