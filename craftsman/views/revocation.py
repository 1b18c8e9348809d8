"""撤销称号、激励待遇 (bureau), 奖励发放 (市财政局) and 结果统计 (市委人才办、市总工会)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from craftsman import revocation as actions
from craftsman.conferral import mark_reward_paid
from craftsman.models import Benefit, Craftsman, Revocation, RevocationEvidence, Reward
from craftsman.roles import is_bureau, is_finance, is_observer
from craftsman.workflow import TransitionNotAllowed

APP_NAME = "craftsman_revocation"


def _require(check, request):
    if not check(request.user):
        raise PermissionDenied


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def cases(request):
    """撤销称号: the list of cases and the form opening one."""
    _require(is_bureau, request)
    if request.method == "POST":
        craftsman = get_object_or_404(
            Craftsman.objects.for_user(request.user), pk=request.POST.get("craftsman")
        )
        try:
            case = actions.open_case(
                craftsman,
                request.POST.get("reason"),
                request.POST.get("facts"),
                by=request.user,
                files=request.FILES.getlist("evidence"),
            )
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("撤销案件已提出，请由另一名工作人员核实。"))
            return redirect("craftsman_revocation:case", pk=case.pk)
        return redirect("craftsman_revocation:cases")
    context = {
        "cases": Revocation.objects.for_user(request.user).select_related(
            "craftsman__submission", "proposed_by", "decided_by"
        ),
        "craftsmen": Craftsman.objects.for_user(request.user)
        .select_related("submission")
        .order_by("-title_year", "sequence"),
        "reasons": Revocation.Reason.choices,
    }
    return TemplateResponse(request, "craftsman/admin/revocation_cases.html", context)


def case(request, pk):
    _require(is_bureau, request)
    revocation = get_object_or_404(
        Revocation.objects.for_user(request.user).select_related(
            "craftsman__submission", "craftsman__reward", "proposed_by", "decided_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        post = request.POST
        try:
            if action == "verify":
                actions.verify(revocation, by=request.user)
                messages.success(request, _("已核实：称号已撤销，风采页面已下线，相关待遇已停止。"))
            elif action == "reject":
                actions.reject(revocation, by=request.user, reason=post.get("reason"))
                messages.success(request, _("已核实不属实，案件办结。"))
            elif action == "evidence":
                actions.add_evidence(revocation, request.FILES.get("evidence"), by=request.user)
                messages.success(request, _("证据已上传。"))
            elif action == "certificate":
                actions.record_certificate_recall(
                    revocation,
                    post.get("returned") == "yes",
                    _date(post.get("returned_on")),
                    request.user,
                )
                messages.success(request, _("证书收回情况已登记。"))
            elif action == "payment":
                actions.record_clawback_payment(
                    revocation,
                    post.get("amount"),
                    _date(post.get("paid_on")),
                    request.user,
                    post.get("note"),
                )
                messages.success(request, _("追回款项已登记。"))
            elif action == "referral":
                actions.refer_to_judiciary(
                    revocation, _date(post.get("referred_on")), post.get("note"), request.user
                )
                messages.success(request, _("已登记移交司法机关。"))
            elif action == "reinstate":
                actions.reinstate(revocation.craftsman, post.get("reason"), by=request.user)
                messages.success(
                    request,
                    _("称号已恢复。风采页面不会自动重新发布，如需公开请另行审核发布。"),
                )
            else:
                raise Http404
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("craftsman_revocation:case", pk=revocation.pk)
    clawback = getattr(revocation, "clawback", None)
    context = {
        "case": revocation,
        "evidence": revocation.evidence.all(),
        "clawback": clawback,
        "payments": clawback.payments.all() if clawback else [],
    }
    return TemplateResponse(request, "craftsman/admin/revocation_case.html", context)


def evidence(request, pk):
    """One evidence file, for bureau staff only (private storage)."""
    item = get_object_or_404(
        RevocationEvidence.objects.filter(revocation__in=Revocation.objects.for_user(request.user)),
        pk=pk,
    )
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.file.name.rsplit("/", 1)[-1],
        content_type=item.content_type,
    )


def benefits(request):
    """激励待遇 (art. 9): the records, a form, and the holders not yet offered any."""
    _require(is_bureau, request)
    if request.method == "POST":
        craftsman = get_object_or_404(
            Craftsman.objects.for_user(request.user), pk=request.POST.get("craftsman")
        )
        try:
            actions.record_benefit(
                craftsman,
                request.POST.get("kind"),
                _date(request.POST.get("date")),
                by=request.user,
                outcome=request.POST.get("outcome"),
                note=request.POST.get("note"),
            )
            messages.success(request, _("激励待遇已登记。"))
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        return redirect("craftsman_revocation:benefits")
    pending = request.GET.get("pending") == "1"
    context = {
        "pending": pending,
        "without": actions.without_benefit() if pending else None,
        "benefits": Benefit.objects.select_related("craftsman__submission"),
        "holders": Craftsman.objects.filter(
            status__in=actions.TITLE_HOLDER_STATUSES
        ).select_related("submission"),
        "kinds": Benefit.Kind.choices,
    }
    return TemplateResponse(request, "craftsman/admin/benefits.html", context)


def rewards(request):
    """奖励发放 (市财政局): reward records only, and the payment form."""
    _require(lambda user: is_finance(user) or is_bureau(user), request)
    if request.method == "POST":
        reward = get_object_or_404(Reward, pk=request.POST.get("reward"))
        try:
            mark_reward_paid(
                reward,
                _date(request.POST.get("paid_on")),
                request.POST.get("voucher_number"),
                by=request.user,
            )
            messages.success(request, _("奖励发放已登记。"))
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        return redirect("craftsman_revocation:rewards")
    rows = (
        Reward.objects.select_related("craftsman__submission")
        .only(
            "amount",
            "status",
            "paid_on",
            "voucher_number",
            "craftsman__certificate_number",
            "craftsman__title_year",
            "craftsman__sequence",
            "craftsman__submission__name",
        )
        .order_by("-craftsman__title_year", "craftsman__sequence")
    )
    return TemplateResponse(request, "craftsman/admin/rewards.html", {"rewards": rows})


def results(request):
    """结果统计 (市委人才办、市总工会): counts and the list, no personal data."""
    _require(lambda user: is_observer(user) or is_bureau(user), request)
    holders = Craftsman.objects.exclude(status=Craftsman.Status.REVOKED)
    context = {
        "per_round": holders.values("title_year").annotate(n=Count("pk")).order_by("-title_year"),
        "per_county": holders.values("submission__recommending_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "submission__recommending_unit__name"),
        "per_industry": holders.values("submission__industry__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "submission__industry__name"),
        "craftsmen": Craftsman.objects.select_related("submission").only(
            "title_year",
            "sequence",
            "status",
            "submission__name",
            "submission__employer",
            "submission__occupation",
        ),
        "total": holders.count(),
    }
    return TemplateResponse(request, "craftsman/admin/results.html", context)


urlpatterns = [
    path("revocation/", cases, name="cases"),
    path("revocation/<int:pk>/", case, name="case"),
    path("revocation/evidence/<int:pk>/", evidence, name="evidence"),
    path("benefits/", benefits, name="benefits"),
    path("rewards/", rewards, name="rewards"),
    path("results/", results, name="results"),
]
