"""培养 in the admin: the employer's craftsmen and yearly records, the bureau's overview."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from craftsman import cultivation
from craftsman.models import CultivationAttachment, CultivationRecord
from craftsman.models.conferral import CULTIVATION_YEARS
from craftsman.models.cultivation import due_date
from craftsman.roles import is_bureau
from craftsman.workflow import TransitionNotAllowed
from website.concurrency import VersionCheckedFormMixin

APP_NAME = "craftsman_cultivation"


class RecordForm(VersionCheckedFormMixin, forms.ModelForm):
    """The year's record; saving over a newer change is refused (website.concurrency)."""

    class Meta:
        model = CultivationRecord
        fields = cultivation.RECORD_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in cultivation.RECORD_FIELDS}
        widgets["apprentice_count"] = forms.NumberInput(attrs={"min": 0})


def _require_employer_or_bureau(request):
    if not (cultivation.is_employer(request.user) or is_bureau(request.user)):
        raise PermissionDenied


def my_craftsmen(request):
    """我的工匠 / 年度培养情况: each craftsman of the user's employer, three years each."""
    _require_employer_or_bureau(request)
    today = cultivation.shanghai_today()
    craftsmen = list(
        cultivation.craftsmen_for(request.user)
        .exclude(status="revoked")
        .order_by("-title_year", "sequence")
    )
    records = {
        (r.craftsman_id, r.year_index): r
        for r in CultivationRecord.objects.for_user(request.user).filter(craftsman__in=craftsmen)
    }
    rows = []
    for craftsman in craftsmen:
        years = []
        for year_index in range(1, CULTIVATION_YEARS + 1):
            record = records.get((craftsman.pk, year_index))
            due_on = record.due_on if record else due_date(craftsman, year_index)
            state = cultivation.overview_state(record, due_on, today)
            years.append(
                {
                    "year_index": year_index,
                    "calendar_year": craftsman.conferred_on.year + year_index,
                    "due_on": due_on,
                    "record": record,
                    "state_label": cultivation.OVERVIEW_STATES[state]
                    if record is None or record.status != "draft"
                    else _("草稿"),
                }
            )
        rows.append({"craftsman": craftsman, "years": years})
    return TemplateResponse(
        request,
        "craftsman/admin/cultivation_mine.html",
        {"rows": rows, "is_employer": cultivation.is_employer(request.user)},
    )


def record_edit(request, craftsman_id, year_index):
    """Create or edit (and submit) the record of one year: the employer only."""
    if not cultivation.is_employer(request.user):
        raise PermissionDenied
    craftsman = get_object_or_404(cultivation.craftsmen_for(request.user), pk=craftsman_id)
    if not 1 <= year_index <= CULTIVATION_YEARS:
        raise Http404
    record = (
        CultivationRecord.objects.for_user(request.user)
        .filter(craftsman=craftsman, year_index=year_index)
        .first()
    )
    if record is not None and not record.is_editable:
        return redirect("craftsman_cultivation:record", record_id=record.pk)
    form = RecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                record = cultivation.get_or_create_record(craftsman, year_index, by=request.user)
            record = cultivation.save_record(
                record, form.cleaned_data, request.user, request.FILES.getlist("attachments")
            )
            if request.POST.get("action") == "submit":
                cultivation.perform(record, "submit", request.user)
                messages.success(request, _("年度培养情况已报送市人社局。"))
            else:
                messages.success(request, _("已保存草稿。"))
            return redirect("craftsman_cultivation:record", record_id=record.pk)
        except ValidationError as error:
            form.add_error(None, error)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
    return TemplateResponse(
        request,
        "craftsman/admin/cultivation_form.html",
        {
            "craftsman": craftsman,
            "year_index": year_index,
            "calendar_year": craftsman.conferred_on.year + year_index,
            "due_on": record.due_on if record else due_date(craftsman, year_index),
            "record": record,
            "form": form,
        },
    )


def record_detail(request, record_id):
    """One record: everyone who may see it; the bureau confirms or returns it here."""
    record = get_object_or_404(
        CultivationRecord.objects.for_user(request.user).select_related(
            "craftsman__submission", "submitted_by", "reviewed_by"
        ),
        pk=record_id,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("confirm", "return", "submit"):
            raise Http404
        try:
            cultivation.perform(record, action, request.user, comment=request.POST.get("comment"))
            messages.success(request, _("操作成功。"))
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        return redirect("craftsman_cultivation:record", record_id=record.pk)
    return TemplateResponse(
        request,
        "craftsman/admin/cultivation_record.html",
        {
            "record": record,
            "attachments": record.attachments.all(),
            "actions": cultivation.allowed_actions(record, request.user),
            "can_edit": record.is_editable and cultivation.is_employer(request.user),
        },
    )


def attachment_download(request, attachment_id):
    attachment = get_object_or_404(
        CultivationAttachment.objects.filter(
            record__in=CultivationRecord.objects.for_user(request.user)
        ),
        pk=attachment_id,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.content_type,
    )


def _overview_year(request):
    try:
        return int(request.GET.get("year") or cultivation.default_overview_year())
    except ValueError as error:
        raise Http404 from error


OVERVIEW_PER_PAGE = 50


def overview(request):
    """The year's cultivation reports of every title holder in the period: counts by state
    (each a filter), then 50 rows a page; the Excel export has them all."""
    if not is_bureau(request.user):
        raise PermissionDenied
    year = _overview_year(request)
    rows = cultivation.overview_rows(request.user, year)
    state = request.GET.get("state")
    if state not in cultivation.OVERVIEW_STATES:
        state = ""  # an unknown state is no filter, never an error
    counts = {key: 0 for key in cultivation.OVERVIEW_STATES}
    for row in rows:
        counts[row["state"]] += 1
    shown = [row for row in rows if row["state"] == state] if state else rows
    paginator = Paginator(shown, OVERVIEW_PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    this_year = cultivation.shanghai_today().year
    return TemplateResponse(
        request,
        "craftsman/admin/cultivation_overview.html",
        {
            "year": year,
            "state": state,
            "total": len(rows),
            "rows": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "counts": [
                (key, label, counts[key]) for key, label in cultivation.OVERVIEW_STATES.items()
            ],
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )


def overview_export(request):
    if not is_bureau(request.user):
        raise PermissionDenied
    year = _overview_year(request)
    response = HttpResponse(
        cultivation.export_xlsx(request.user, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="cultivation-{year}.xlsx"'
    return response


urlpatterns = [
    path("", my_craftsmen, name="mine"),
    path("<int:craftsman_id>/year/<int:year_index>/", record_edit, name="edit"),
    path("record/<int:record_id>/", record_detail, name="record"),
    path("attachment/<int:attachment_id>/", attachment_download, name="attachment"),
    path("overview/", overview, name="overview"),
    path("overview/export/", overview_export, name="export"),
]
