"""Admin screens of the review: the expert pool, a round's assignments, an expert's tasks
and score sheet, the bureau's ranking with the quota line.

Bureau screens answer 404 to anyone else; an expert's screens read through
``ReviewAssignment.objects.for_user`` restricted to their own assignments, so another
expert's sheet is a 404 whatever the URL.  Personal data is never shown here: only name,
employer, unit and scores.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from craftsman import ranking, review
from craftsman.models import (
    Expert,
    QuotaOverride,
    ReviewAssignment,
    ReviewPanel,
    ScoreSheet,
    ScoringCriterion,
    SelectionRound,
    Status,
    Submission,
)
from craftsman.review import ReviewError
from craftsman.roles import is_bureau

APP_NAME = "craftsman_review"


class ExpertViewSet(ModelViewSet):
    model = Expert
    icon = "user"
    menu_label = _("评审专家库")
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["name", "specialty", "employer", "phone", "email", "unit", "user", "active"]
    list_display = ["name", "specialty", "employer", "unit", "active"]
    list_filter = ["active", "unit"]
    search_fields = ["name", "specialty", "employer"]


class ScoringCriterionViewSet(ModelViewSet):
    """评分项 per round (article 3's default is created with the round's review)."""

    model = ScoringCriterion
    icon = "list-ol"
    menu_label = _("评分项设置")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["round", "name", "code", "max_points", "weight", "sort_order"]
    list_display = ["name", "round", "max_points", "weight", "sort_order"]
    list_filter = ["round"]


class ReviewPanelViewSet(ModelViewSet):
    """评审专家组: which experts a round's random draw picks from, and how many per submission."""

    model = ReviewPanel
    icon = "group"
    menu_label = _("评审专家组")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["round", "experts", "experts_per_submission"]
    list_display = ["round", "experts_per_submission"]


def _require_bureau(request):
    if not is_bureau(request.user):
        raise Http404


def _own_assignments(user):
    return ReviewAssignment.objects.for_user(user).filter(expert__user=user)


def rounds_view(request):
    """The rounds with their review progress; links to assignments and ranking."""
    _require_bureau(request)
    rounds = SelectionRound.objects.annotate(
        recommended=Count("submissions", filter=Q(submissions__status=Status.RECOMMENDED)),
        in_review=Count("submissions", filter=Q(submissions__status=Status.REVIEWING)),
        shortlisted=Count("submissions", filter=Q(submissions__status=Status.SHORTLISTED)),
    )
    return TemplateResponse(request, "craftsman/admin/review_rounds.html", {"rounds": rounds})


def assignments_view(request, round_id):
    """Assign experts to each submission in review: by hand or a random draw of N."""
    _require_bureau(request)
    selection_round = get_object_or_404(SelectionRound, pk=round_id)
    panel = review.panel_for(selection_round)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                moved = review.start_review(selection_round, by=request.user)
                messages.success(request, _("已启动评审：%(n)d 份申报进入评审中。") % {"n": moved})
            elif action == "draw":
                count = int(request.POST.get("count") or panel.experts_per_submission)
                drawn = avoided = 0
                for submission in Submission.objects.filter(
                    round=selection_round, status=Status.REVIEWING
                ):
                    created, skipped = review.draw(submission, count, by=request.user)
                    drawn += len(created)
                    avoided += len(skipped)
                messages.success(
                    request,
                    _("随机抽取 %(drawn)d 人次；因回避排除 %(avoided)d 人次。")
                    % {"drawn": drawn, "avoided": avoided},
                )
            elif action == "assign":
                submission = get_object_or_404(
                    Submission, pk=request.POST.get("submission"), round=selection_round
                )
                expert = get_object_or_404(Expert, pk=request.POST.get("expert"))
                review.assign(submission, expert, by=request.user)
                messages.success(request, _("已分配。"))
            elif action == "reopen":
                sheet = get_object_or_404(
                    ScoreSheet,
                    pk=request.POST.get("sheet"),
                    assignment__submission__round=selection_round,
                )
                sheet.reopen(by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("评分表已退回专家重新评分。"))
        except (ReviewError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("请输入正确的人数。")))
        return redirect(f"{APP_NAME}:assignments", round_id=selection_round.pk)
    submissions = (
        Submission.objects.filter(round=selection_round, status__in=ranking.RANKED_STATES)
        .select_related("recommending_unit")
        .prefetch_related("review_assignments__expert", "review_assignments__sheet")
        .order_by("recommending_unit__sort_order", "recommendation_rank", "pk")
    )
    rows = []
    experts = list(Expert.objects.active().select_related("unit"))
    for submission in submissions:
        conflicts = [(e, e.conflict_with(submission)) for e in experts]
        rows.append(
            {
                "submission": submission,
                "assignments": list(submission.review_assignments.all()),
                "candidates": [e for e, why in conflicts if not why],
                "avoided": [(e, why) for e, why in conflicts if why],
            }
        )
    context = {
        "round": selection_round,
        "panel": panel,
        "rows": rows,
        "recommended": Submission.objects.filter(
            round=selection_round, status=Status.RECOMMENDED
        ).count(),
        "can_start": selection_round.status
        in (SelectionRound.Status.RECOMMENDATION_CLOSED, SelectionRound.Status.REVIEWING),
    }
    return TemplateResponse(request, "craftsman/admin/review_assignments.html", context)


def ranking_view(request, round_id):
    """The ranking with spread, the quota line, overrides, tie decisions and 确定名单."""
    _require_bureau(request)
    selection_round = get_object_or_404(SelectionRound, pk=round_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "override":
                ranking.record_override(
                    selection_round,
                    request.POST.get("submission"),
                    request.POST.get("kind"),
                    request.POST.get("reason", ""),
                    request.user,
                )
                messages.success(request, _("名额线调整已记录。"))
            elif action == "tie":
                ranking.record_tie_break(
                    selection_round,
                    request.POST.get("submission"),
                    request.POST.get("position"),
                    request.POST.get("reason", ""),
                    request.user,
                )
                messages.success(request, _("并列处理决定已记录。"))
            elif action == "apply":
                proposed, others = ranking.apply_proposed_list(selection_round, by=request.user)
                messages.success(
                    request,
                    _("拟入选名单已确定：拟入选 %(p)d 名，未入选 %(o)d 名。")
                    % {"p": proposed, "o": others},
                )
        except ReviewError as error:
            messages.error(request, error.message)
        return redirect(f"{APP_NAME}:ranking", round_id=selection_round.pk)
    result = ranking.build_ranking(selection_round)
    context = {
        "round": selection_round,
        "ranking": result,
        "override_kinds": QuotaOverride.Kind.choices,
    }
    return TemplateResponse(request, "craftsman/admin/review_ranking.html", context)


def my_tasks_view(request):
    """An expert's own assignments (never anyone else's, never others' scores)."""
    assignments = (
        _own_assignments(request.user)
        .select_related("submission__round", "sheet")
        .order_by("-submission__round__year", "pk")
    )
    return TemplateResponse(
        request, "craftsman/admin/review_my_tasks.html", {"assignments": assignments}
    )


def sheet_view(request, assignment_id):
    """Declare no conflict or recuse, then fill, save and submit the score sheet."""
    assignment = get_object_or_404(
        _own_assignments(request.user).select_related(
            "submission__round", "submission__recommending_unit", "submission__industry"
        ),
        pk=assignment_id,
    )
    criteria = list(assignment.submission.round.scoring_criteria.all())
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declare":
                review.declare_no_conflict(assignment, by=request.user)
            elif action == "recuse":
                review.recuse(assignment, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("已回避，系统已为这份申报补抽专家。"))
                return redirect(f"{APP_NAME}:my_tasks")
            elif action in ("save", "submit"):
                points = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
                sheet = review.save_scores(
                    assignment, by=request.user, points=points, comment=request.POST.get("comment")
                )
                if action == "submit":
                    sheet.submit(by=request.user)
                    messages.success(request, _("评分表已提交。"))
                    return redirect(f"{APP_NAME}:my_tasks")
                messages.success(request, _("已保存，总分 %(total)s。") % {"total": sheet.total})
        except ReviewError as error:
            messages.error(request, error.message)
        return redirect(f"{APP_NAME}:sheet", assignment_id=assignment.pk)
    items = {i.criterion_id: i.points for i in sheet.items.all()} if sheet else {}
    context = {
        "assignment": assignment,
        "submission": assignment.submission,
        "sheet": sheet,
        "rows": [(c, items.get(c.pk)) for c in criteria],
        "max_total": sum(c.max_points * c.weight for c in criteria),
    }
    return TemplateResponse(request, "craftsman/admin/review_sheet.html", context)


urlpatterns = [
    path("", rounds_view, name="rounds"),
    path("round/<int:round_id>/assignments/", assignments_view, name="assignments"),
    path("round/<int:round_id>/ranking/", ranking_view, name="ranking"),
    path("mine/", my_tasks_view, name="my_tasks"),
    path("sheet/<int:assignment_id>/", sheet_view, name="sheet"),
]
