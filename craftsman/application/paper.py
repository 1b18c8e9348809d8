"""代录纸质申报: unit staff enter a paper application on the applicant's behalf (admin).

One page with the same step forms the applicant uses.  The submission is created with
``entered_by`` = the staff member and no applicant account, addressed to the staff
member's own unit (the bureau may choose any unit).  "保存并提交" submits it through
the state machine in the same transaction: a refusal (window, eligibility,
duplicate ID) saves nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from craftsman.application.forms import (
    APPLICANT_KINDS,
    DUPLICATE_ID_MESSAGE,
    AttachmentsForm,
    CompetitionFormSet,
    ConditionsForm,
    HonourFormSet,
    PersonForm,
    PledgeForm,
    WorkForm,
)
from craftsman.application.views import round_for_new_application
from craftsman.models import RecommendingUnit, Submission, SubmissionAttachment
from craftsman.roles import is_bureau, unit_ids_for
from craftsman.workflow import TransitionNotAllowed

URL_NAME = "craftsman_paper_entry"


def units_for_entry(user):
    """The units ``user`` may enter paper applications for (none: not allowed)."""
    if is_bureau(user):
        return RecommendingUnit.objects.filter(active=True)
    if not user.has_perm("craftsman.recommend_submission"):
        return RecommendingUnit.objects.none()
    return RecommendingUnit.objects.filter(active=True, pk__in=unit_ids_for(user))


def can_enter_paper(user):
    return units_for_entry(user).exists()


def _forms(request, submission, selection_round, units):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    person = PersonForm(data, instance=submission, prefix="person", selection_round=selection_round)
    work = WorkForm(data, instance=submission, prefix="work")
    conditions = ConditionsForm(data, instance=submission, prefix="conditions")
    competitions = CompetitionFormSet(data, instance=Submission(), prefix="competitions")
    competitions.heading = _("职业技能大赛成绩")
    honours = HonourFormSet(data, instance=Submission(), prefix="honours")
    honours.heading = _("荣誉")
    attachments = AttachmentsForm(data, files, submission=submission, prefix="files")
    pledge = PledgeForm(data, submission=submission, prefix="pledge")
    pledge.fields["recommending_unit"].queryset = units
    if units.count() == 1:
        pledge.fields["recommending_unit"].initial = units.first().pk
    pledge.fields["declarations_confirmed"].label = _(
        "申报人已在纸质申报表上确认以上声明属实（签字）。"
    )
    pledge.fields["integrity_pledge"].label = _("申报人已在纸质申报表上签署诚信承诺。")
    pledge.fields["publication_consent"].label = _(
        "申报人已在纸质申报表上单独签字同意在公示、公布中公开姓名、工作单位和职业（工种）。"
    )
    pledge.fields["recommending_unit"].label = _("推荐单位（本单位）")
    return {
        "person": person,
        "work": work,
        "conditions": conditions,
        "formsets": [competitions, honours],
        "attachments": attachments,
        "pledge": pledge,
    }


def paper_entry(request):
    if not can_enter_paper(request.user):
        raise PermissionDenied
    units = units_for_entry(request.user)
    selection_round = round_for_new_application()
    if selection_round is None:
        messages.error(request, _("当前没有正在接受申报的选拔年度，不能代录纸质申报。"))
        return redirect("wagtailadmin_home")
    submission = Submission(round=selection_round, entered_by=request.user)
    forms_ = _forms(request, submission, selection_round, units)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        single = [
            forms_["person"],
            forms_["work"],
            forms_["conditions"],
            forms_["attachments"],
            forms_["pledge"],
        ]
        valid = all([form.is_valid() for form in single + forms_["formsets"]])
        if valid:
            saved = _save(request, submission, forms_, action)
            if saved is not None:
                return redirect(reverse("craftsman_submissions:inspect", args=[saved.pk]))
    all_forms = [
        forms_["person"],
        forms_["work"],
        forms_["conditions"],
        forms_["attachments"],
        forms_["pledge"],
        *forms_["formsets"],
    ]
    return TemplateResponse(
        request,
        "craftsman/admin/paper_entry.html",
        {
            **forms_,
            "selection_round": selection_round,
            "has_errors": request.method == "POST"
            and any(
                f.errors if isinstance(f, forms.BaseForm) else f.total_error_count()
                for f in all_forms
            ),
            "attachment_fields": [forms_["attachments"][kind] for kind, *_rest in APPLICANT_KINDS],
        },
    )


def _save(request, submission, forms_, action):
    now = timezone.now()
    try:
        with transaction.atomic():
            forms_["pledge"].apply(submission, now=now)
            submission.save()
            for formset in forms_["formsets"]:
                formset.instance = submission
                formset.save()
            for kind, uploaded in forms_["attachments"].uploads():
                SubmissionAttachment.create_from_upload(submission, kind, uploaded, by=request.user)
            log(
                instance=submission,
                action="wagtail.create",
                user=request.user,
                data={"paper_entry": True},
            )
            if action == "submit":
                submission.submit(by=request.user, now=now)
            else:
                submission.refresh_eligibility()
    except TransitionNotAllowed as refusal:
        submission.pk = None
        messages.error(request, _("未保存：") + refusal.message)
        return None
    except (IntegrityError, ValidationError):
        submission.pk = None
        messages.error(request, _("未保存：") + str(DUPLICATE_ID_MESSAGE))
        return None
    if action == "submit":
        messages.success(
            request,
            _("纸质申报已录入并提交，申报编号 %(receipt)s。")
            % {"receipt": submission.receipt_number},
        )
    else:
        messages.success(request, _("纸质申报已录入为草稿：核对无误后在详情页提交。"))
    return submission
