"""Admin screens of the publicity machinery: 异议处理, the evidence download, the holiday calendar."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from publications.models.holidays import HolidayCalendarYear, HolidayOverride
from publications.models.objections import (
    OBJECTION_PERMISSIONS,
    Objection,
    ObjectionEvidence,
)
from publications.objection_actions import (
    ACTION_DOWNLOAD,
    ObjectionRefused,
    record_verification,
)
from publications.objection_forms import ObjectionVerifyForm
from publications.workdays import CALENDAR_YEAR_ADMIN_PATH, OVERRIDE_ADMIN_PATH
from website.privacy import mask_phone

EVIDENCE_URL_NAME = "publications_objection_evidence"


# --- the evidence files --------------------------------------------------------------


def evidence_download(request, pk):
    """Stream one evidence file from private storage, as an attachment, to permitted staff."""
    user = request.user
    if not any(user.has_perm(perm) for perm in OBJECTION_PERMISSIONS):
        raise PermissionDenied
    evidence = get_object_or_404(
        ObjectionEvidence.objects.select_related("objection"),
        pk=pk,
        objection__in=Objection.objects.for_user(user),
    )
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    log(
        instance=evidence.objection,
        action=ACTION_DOWNLOAD,
        user=user,
        data={"evidence_id": evidence.pk, "file": evidence.display_name},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.display_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


class EvidencePanel(Panel):
    """The objection's files, each linked to the permission-checked download view."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publications/admin/objection_evidence_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["files"] = [
                (evidence, reverse(EVIDENCE_URL_NAME, args=[evidence.pk]))
                for evidence in self.instance.evidence.all()
            ]
            return context


# --- 异议处理 --------------------------------------------------------------------------

# Nothing about the objector is editable: it is what they submitted.
_READ_ONLY = [
    "receipt_number",
    "created_at",
    "notice",
    "entry_name",
    "objector_type",
    "real_name",
    "work_unit",
    "phone",
    "content",
]

objection_edit_handler = ObjectList(
    [
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in _READ_ONLY],
            heading=_("异议内容"),
        ),
        EvidencePanel(heading=_("佐证材料")),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("verification_notes"), FieldPanel("reply")],
            heading=_("核查与答复"),
        ),
    ],
    base_form_class=ObjectionVerifyForm,
)


class ObjectionScopeMixin:
    """Every objection screen reads through ``Objection.objects.for_user``."""

    def get_queryset(self):
        return Objection.objects.for_user(self.request.user).select_related("notice")


class ObjectionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Objection.objects.for_user(self.request.user).select_related("notice", "entry")


class ObjectionEditView(ObjectionScopeMixin, generic.EditView):
    page_title = _("核查与答复")
    success_message = _("异议“%(object)s”的核查情况已保存。")

    def save_instance(self):
        data = self.form.cleaned_data
        return record_verification(
            self.object.pk,
            user=self.request.user,
            status=data.get("status", self.object.status),
            notes=data.get("verification_notes", ""),
            reply=data.get("reply", ""),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ObjectionRefused as exc:
            form.add_error(None, str(exc))
            self.produced_error_message = str(exc)
            return self.form_invalid(form)


class ObjectionInspectView(ObjectionScopeMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=unquote(str(self.pk)))

    def get_field_display_value(self, field_name, field):
        if field_name == "phone":
            return mask_phone(self.object.phone)
        return super().get_field_display_value(field_name, field)


class ObjectionViewSet(ModelViewSet):
    model = Objection
    name = "objections"
    icon = "warning"
    menu_label = _("异议处理")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ObjectionIndexView
    edit_view_class = ObjectionEditView
    inspect_view_class = ObjectionInspectView
    edit_handler = objection_edit_handler
    list_display = [
        "receipt_number",
        Column("notice", label=_("公示"), accessor="notice"),
        Column("subject", label=_("针对"), accessor="subject_label"),
        Column("objector", label=_("异议人"), accessor="objector_label"),
        Column("status", label=_("办理状态"), accessor="get_status_display", sort_key="status"),
        DateColumn("created_at", label=_("收到时间"), sort_key="created_at"),
    ]
    list_filter = ["notice", "status"]
    search_fields = ["receipt_number", "real_name", "work_unit", "entry_name", "content"]
    search_backend_name = None
    inspect_view_fields = [
        "receipt_number",
        "created_at",
        "notice",
        "entry_name",
        "objector_type",
        "real_name",
        "work_unit",
        "phone",
        "content",
        "status",
        "verification_notes",
        "reply",
        "handled_by",
        "handled_at",
    ]


# --- the holiday calendar (设置 → 节假日调整 / 节假日年度) -------------------------------


def _settings_menu_label(admin_path: str) -> str:
    """ "设置 → 节假日调整" → "节假日调整": the error messages quote the menu, so derive it."""
    return admin_path.split("→")[-1].strip()


class HolidayOverrideViewSet(ModelViewSet):
    model = HolidayOverride
    name = "holiday_overrides"
    icon = "date"
    menu_label = _settings_menu_label(OVERRIDE_ADMIN_PATH)
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = ["date", "is_workday", "note"]
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    search_backend_name = None


class HolidayCalendarYearViewSet(ModelViewSet):
    model = HolidayCalendarYear
    name = "holiday_years"
    icon = "calendar"
    menu_label = _settings_menu_label(CALENDAR_YEAR_ADMIN_PATH)
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = ["year", "complete", "note"]
    list_display = ["year", "complete", "note"]
