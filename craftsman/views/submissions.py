"""Admin views of submissions: list (filters, search, masked export), inspect, actions,
attachment download, logged reveal of personal data, printable application form.

Every view reads through ``Submission.objects.for_user(request.user)``: another
unit's submission is a 404, whatever the URL.
"""

from urllib.parse import quote

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from craftsman.models import (
    Industry,
    RecommendingUnit,
    SelectionRound,
    SkillLevel,
    Status,
    Submission,
    SubmissionAttachment,
)
from craftsman.roles import is_bureau, unit_ids_for
from craftsman.views.export import StreamingSpreadsheetExportMixin
from craftsman.workflow import (
    ACTION_LABELS,
    VERIFICATION_ITEMS,
    TransitionNotAllowed,
    allowed_actions,
    perform,
)


def scoped_submissions(user):
    return Submission.objects.for_user(user)


def get_scoped_submission(request, pk):
    """The submission, if this user may see it; 404 otherwise (never 403: no hint it exists)."""
    return get_object_or_404(
        scoped_submissions(request.user).select_related(
            "round", "recommending_unit", "industry", "applicant", "entered_by"
        ),
        pk=pk,
    )


class SubmissionFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("选拔年度"), queryset=SelectionRound.objects.all()
    )
    recommending_unit = django_filters.ModelChoiceFilter(
        label=_("推荐单位"), queryset=RecommendingUnit.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("所属产业"), queryset=Industry.objects.all()
    )
    skill_level = django_filters.ChoiceFilter(label=_("技能等级"), choices=SkillLevel.choices)
    eligibility = django_filters.ChoiceFilter(
        label=_("资格审查"), choices=Submission.Eligibility.choices
    )

    class Meta:
        model = Submission
        fields = ["round", "recommending_unit", "status", "industry", "skill_level", "eligibility"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not is_bureau(request.user):
            # Unit staff choose among their own units only.
            self.filters["recommending_unit"].queryset = RecommendingUnit.objects.filter(
                pk__in=unit_ids_for(request.user)
            )


class SubmissionIndexView(StreamingSpreadsheetExportMixin, generic.IndexView):
    filterset_class = SubmissionFilterSet
    search_fields = ["name", "receipt_number"]
    search_backend_name = None
    default_ordering = "-submitted_at"
    export_filename = "craftsman-submissions"
    # Masked: the export never carries a full ID or mobile number. Streamed (50,000 rows in
    # well under 200 MB): see craftsman.views.export.
    list_export = [
        "receipt_number",
        "round.year",
        "name",
        "get_gender_display",
        "masked_id_number",
        "masked_mobile",
        "employer",
        "occupation",
        "industry",
        "get_skill_level_display",
        "recommending_unit",
        "get_status_display",
        "get_eligibility_display",
        "recommendation_rank",
        "submitted_at",
    ]
    export_headings = {
        "receipt_number": _("申报编号"),
        "round.year": _("年度"),
        "name": _("姓名"),
        "get_gender_display": _("性别"),
        "masked_id_number": _("身份证号（脱敏）"),
        "masked_mobile": _("手机号码（脱敏）"),
        "employer": _("工作单位"),
        "occupation": _("职业（工种）"),
        "industry": _("所属产业"),
        "get_skill_level_display": _("技能等级"),
        "recommending_unit": _("推荐单位"),
        "get_status_display": _("状态"),
        "get_eligibility_display": _("资格审查"),
        "recommendation_rank": _("推荐排序"),
        "submitted_at": _("提交时间"),
    }

    def get_base_queryset(self):
        return scoped_submissions(self.request.user).select_related(
            "round", "recommending_unit", "industry"
        )

    def get_valid_orderings(self):
        return [
            *super().get_valid_orderings(),
            "submitted_at",
            "-submitted_at",
            "name",
            "-name",
            "receipt_number",
            "-receipt_number",
        ]

    @property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("姓名"),
                sort_key="name",
                get_url=lambda instance: reverse(self.inspect_url_name, args=[instance.pk]),
            ),
            Column("receipt_number", label=_("申报编号"), sort_key="receipt_number"),
            Column("masked_id_number", label=_("身份证号")),
            Column("masked_mobile", label=_("手机号码")),
            Column("recommending_unit", label=_("推荐单位")),
            Column("employer", label=_("工作单位")),
            Column("get_skill_level_display", label=_("技能等级")),
            Column("get_status_display", label=_("状态")),
            Column("get_eligibility_display", label=_("资格审查")),
            DateColumn("submitted_at", label=_("提交时间"), sort_key="submitted_at"),
        ]


class SubmissionInspectView(generic.InspectView):
    template_name = "craftsman/admin/submission_inspect.html"

    def get_object(self, queryset=None):
        submission = get_scoped_submission(self.request, self.pk)
        # The eligibility report and the page both read these: load each once.
        prefetch_related_objects([submission], "competitions", "honours", "attachments")
        return submission

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        report = submission.eligibility_report()
        user = self.request.user
        actions = allowed_actions(submission, user)
        context.update(
            {
                "submission": submission,
                "report": report,
                "competitions": submission.competitions.all(),
                "honours": submission.honours.all(),
                "attachments": submission.attachments.all(),
                "events": submission.events.select_related("actor"),
                "log_entries": ModelLogEntry.objects.for_instance(submission).select_related(
                    "user"
                ),
                "actions": actions,
                "action_labels": ACTION_LABELS,
                "verification_items": VERIFICATION_ITEMS,
                "can_reveal": user.has_perm("craftsman.view_personal_data"),
                "action_url_name": self.action_url_name,
                "attachment_url_name": self.attachment_url_name,
                "reveal_url_name": self.reveal_url_name,
                "pdf_url_name": self.pdf_url_name,
                "recommend_form": RecommendForm(),
            }
        )
        return context

    action_url_name = None
    attachment_url_name = None
    reveal_url_name = None
    pdf_url_name = None


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea, required=False)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class RecommendForm(CommentForm):
    rank = forms.IntegerField(label=_("单位内推荐排序"), min_value=1)
    letter = forms.FileField(label=_("推荐函（PDF/JPG/PNG）"))
    verified_skills = forms.BooleanField(label=_("技能水平已核实"), required=False)
    verified_achievements = forms.BooleanField(label=_("业绩贡献已核实"), required=False)
    verified_authenticity = forms.BooleanField(label=_("材料真实性已核实"), required=False)


@require_POST
def action_view(request, pk, action, inspect_url_name):
    submission = get_scoped_submission(request, pk)
    inspect_url = reverse(inspect_url_name, args=[submission.pk])
    form_class = RecommendForm if action == "recommend" else CommentForm
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(inspect_url)
    data = dict(form.cleaned_data)
    kwargs = {"comment": data.get("comment", ""), "expected_state": data.get("expected_state")}
    if action == "recommend":
        kwargs.update(
            rank=data["rank"],
            letter=data["letter"],
            checklist={name: data.get(name) for name, _label in VERIFICATION_ITEMS},
        )
    try:
        perform(submission, action, by=request.user, **kwargs)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("已%(action)s：%(submission)s。")
            % {"action": ACTION_LABELS[action], "submission": submission},
        )
    return redirect(inspect_url)


def attachment_view(request, pk):
    """Stream an attachment from private storage, if the user may see its submission."""
    attachment = get_object_or_404(
        SubmissionAttachment.objects.select_related("submission"),
        pk=pk,
        submission__in=scoped_submissions(request.user),
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("附件文件不存在") from missing
    filename = attachment.original_name or attachment.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("craftsman.view_personal_data", raise_exception=True)
def reveal_view(request, pk, inspect_url_name):
    """Show the full ID and mobile number, once, and log that this user saw them."""
    submission = get_scoped_submission(request, pk)
    if not request.user.has_perm("craftsman.view_personal_data"):
        raise PermissionDenied
    log(
        instance=submission,
        action="craftsman.reveal_personal_data",
        user=request.user,
        data={"fields": ["id_number", "mobile"]},
    )
    return TemplateResponse(
        request,
        "craftsman/admin/reveal.html",
        {
            "submission": submission,
            "inspect_url": reverse(inspect_url_name, args=[submission.pk]),
            "page_title": _("完整个人信息"),
            "header_title": _("完整个人信息"),
        },
    )


def pdf_view(request, pk):
    """The printable application form (申报表), as PDF."""
    from craftsman.pdf import application_form_pdf

    submission = get_object_or_404(
        scoped_submissions(request.user)
        .select_related("round", "recommending_unit", "industry")
        .prefetch_related("competitions", "honours", "attachments"),
        pk=pk,
    )
    response = HttpResponse(application_form_pdf(submission), content_type="application/pdf")
    filename = quote(f"申报表-{submission.receipt_number or submission.pk}.pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response
