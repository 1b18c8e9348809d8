"""公示与认定: the bureau's per-round screen, the certificate download and the funnel panel."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from craftsman.conferral import confer_round, mark_reward_paid, record_approval
from craftsman.models import (
    CertificateBatch,
    Craftsman,
    GovernmentApproval,
    PublicityHold,
    Reward,
    RoundPublicity,
    SelectionRound,
    Status,
    Submission,
)
from craftsman.publicity import generate_publicity_notice
from craftsman.roles import is_bureau
from craftsman.workflow import TransitionNotAllowed

APP_NAME = "craftsman_conferral"

LOG_ACTIONS = {
    "craftsman.generate_publicity": _("生成公示"),
    "craftsman.publicity_hold": _("因异议暂缓"),
    "craftsman.publicity_release": _("异议办结"),
    "craftsman.record_approval": _("录入市政府批准"),
    "craftsman.issue_certificate": _("颁发证书"),
    "craftsman.reward_paid": _("发放奖励"),
}


def _require_bureau(request):
    if not is_bureau(request.user):
        raise PermissionDenied


def rounds(request):
    _require_bureau(request)
    return TemplateResponse(
        request,
        "craftsman/admin/conferral_rounds.html",
        {"rounds": funnel_rows()},
    )


def _parse_date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def round_detail(request, round_id):
    _require_bureau(request)
    selection_round = get_object_or_404(SelectionRound, pk=round_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "generate":
                notice = generate_publicity_notice(selection_round, by=request.user)
                messages.success(request, _("公示草稿已生成：%(title)s") % {"title": notice.title})
            elif action == "approval":
                record_approval(
                    selection_round,
                    request.POST.get("document_number"),
                    _parse_date(request.POST.get("approved_on")),
                    by=request.user,
                )
                messages.success(request, _("市政府批准已录入。"))
            elif action == "confer":
                created = confer_round(selection_round, by=request.user)
                if created:
                    messages.success(
                        request, _("已认定 %(n)d 名“赣州工匠”。") % {"n": len(created)}
                    )
                else:
                    messages.warning(request, _("没有待批准的人员，未认定任何人。"))
            elif action == "paid":
                reward = get_object_or_404(
                    Reward, pk=request.POST.get("reward"), craftsman__round=selection_round
                )
                mark_reward_paid(
                    reward,
                    _parse_date(request.POST.get("paid_on")),
                    request.POST.get("voucher_number"),
                    by=request.user,
                )
                messages.success(request, _("奖励发放已登记。"))
            else:
                raise Http404
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        return redirect("craftsman_conferral:round", round_id=selection_round.pk)

    submissions = Submission.objects.for_user(request.user).filter(round=selection_round)
    publicity = (
        RoundPublicity.objects.filter(round=selection_round).select_related("notice").first()
    )
    context = {
        "round": selection_round,
        "publicity": publicity,
        "proposed": submissions.filter(status=Status.SHORTLISTED).count(),
        "in_publicity": submissions.filter(status=Status.IN_PUBLICITY).order_by("name"),
        "awaiting": submissions.filter(status=Status.AWAITING_APPROVAL).order_by("name"),
        "holds": PublicityHold.objects.filter(submission__round=selection_round)
        .select_related("submission", "objection")
        .order_by("-opened_at"),
        "approval": GovernmentApproval.objects.filter(round=selection_round).first(),
        "certificate_batch": CertificateBatch.objects.filter(round=selection_round).first(),
        "craftsmen": Craftsman.objects.for_user(request.user)
        .filter(round=selection_round)
        .select_related("submission", "reward", "profile_page"),
    }
    return TemplateResponse(request, "craftsman/admin/conferral_round.html", context)


def certificate(request, craftsman_id):
    """The certificate PDF, for bureau staff only (private storage, never a public URL)."""
    craftsman = get_object_or_404(
        Craftsman.objects.for_user(request.user).select_related("submission"), pk=craftsman_id
    )
    if not craftsman.certificate_file:
        raise Http404
    return FileResponse(
        craftsman.certificate_file.open("rb"),
        as_attachment=True,
        filename=f"{craftsman.certificate_number}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("", rounds, name="rounds"),
    path("<int:round_id>/", round_detail, name="round"),
    path("certificate/<int:craftsman_id>/", certificate, name="certificate"),
]


# --- the dashboard funnel ---------------------------------------------------------------

FUNNEL = [
    ("submitted", _("已申报"), ~Q(status__in=[Status.DRAFT])),
    (
        "recommended",
        _("已推荐"),
        Q(
            status__in=[
                Status.RECOMMENDED,
                Status.REVIEWING,
                Status.SHORTLISTED,
                Status.IN_PUBLICITY,
                Status.AWAITING_APPROVAL,
                Status.CONFERRED,
                Status.NOT_SELECTED,
            ]
        ),
    ),
    (
        "reviewed",
        _("已评审"),
        Q(
            status__in=[
                Status.SHORTLISTED,
                Status.IN_PUBLICITY,
                Status.AWAITING_APPROVAL,
                Status.CONFERRED,
                Status.NOT_SELECTED,
            ]
        ),
    ),
    (
        "proposed",
        _("拟入选"),
        Q(
            status__in=[
                Status.SHORTLISTED,
                Status.IN_PUBLICITY,
                Status.AWAITING_APPROVAL,
                Status.CONFERRED,
            ]
        ),
    ),
    ("in_publicity", _("公示中"), Q(status=Status.IN_PUBLICITY)),
    ("conferred", _("已认定"), Q(status=Status.CONFERRED)),
]


def funnel_rows():
    """One row per round: the funnel's counts in one query."""
    annotations = {key: Count("submissions", filter=_prefix(q)) for key, _l, q in FUNNEL}
    rows = []
    for selection_round in SelectionRound.objects.annotate(**annotations).order_by("-year"):
        rows.append(
            {
                "round": selection_round,
                "counts": [(label, getattr(selection_round, key)) for key, label, _q in FUNNEL],
                "quota_used": selection_round.conferred,
            }
        )
    return rows


def _prefix(q):
    """Q(status=…) on submissions → Q(submissions__status=…) on rounds."""
    prefixed = Q()
    prefixed.connector, prefixed.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            prefixed.children.append(_prefix(child))
        else:
            prefixed.children.append((f"submissions__{child[0]}", child[1]))
    return prefixed
