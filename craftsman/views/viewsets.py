"""The 赣州工匠 admin menu: submissions (scoped), rounds, units, industries, unit staff."""

from django.db import transaction
from django.db.models import Count, Q
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from craftsman.models import (
    Industry,
    RecommendingUnit,
    SelectionRound,
    Status,
    Submission,
    UnitMembership,
    programme_target,
)
from craftsman.models.submissions import (
    ACHIEVEMENT_FIELDS,
    DISQUALIFICATION_FIELDS,
    EXCLUSION_FIELDS,
    PERSON_FIELDS,
    WORK_FIELDS,
)
from craftsman.views import submissions as views
from website.concurrency import StaleEdit, with_version_check

# The applicant's answers as the online form has them, then the declarations.
SUBMISSION_FORM_FIELDS = [
    "round",
    "recommending_unit",
    *PERSON_FIELDS,
    *WORK_FIELDS,
    *ACHIEVEMENT_FIELDS,
    *(name for name, _label in EXCLUSION_FIELDS),
    *(name for name, _number, _label in DISQUALIFICATION_FIELDS),
]


class ScopedEditView(generic.EditView):
    """Edit a submission in scope; refused (nothing saved) if it changed since it was opened."""

    def get_object(self, queryset=None):
        return views.get_scoped_submission(self.request, self.kwargs[self.pk_url_kwarg])

    def get_form_class(self):
        return with_version_check(super().get_form_class())

    def form_valid(self, form):
        try:
            with transaction.atomic():  # the row stays locked from the check to the save
                return super().form_valid(form)
        except StaleEdit as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class ScopedDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        return views.get_scoped_submission(self.request, self.kwargs[self.pk_url_kwarg])


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "form"
    menu_label = _("申报")
    menu_order = 100
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = views.SubmissionIndexView
    inspect_view_class = views.SubmissionInspectView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    form_fields = SUBMISSION_FORM_FIELDS
    export_filename = "craftsman-submissions"

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            action_url_name=self.get_url_name("action"),
            attachment_url_name=self.get_url_name("attachment"),
            reveal_url_name=self.get_url_name("reveal"),
            pdf_url_name=self.get_url_name("pdf"),
            **kwargs,
        )

    def get_urlpatterns(self):
        inspect = self.get_url_name("inspect")
        return [
            *super().get_urlpatterns(),
            path(
                "action/<int:pk>/<str:action>/",
                views.action_view,
                {"inspect_url_name": inspect},
                name="action",
            ),
            path("attachment/<int:pk>/", views.attachment_view, name="attachment"),
            path(
                "reveal/<int:pk>/",
                views.reveal_view,
                {"inspect_url_name": inspect},
                name="reveal",
            ),
            path("pdf/<int:pk>/", views.pdf_view, name="pdf"),
        ]


class RoundIndexView(generic.IndexView):
    def get_base_queryset(self):
        return SelectionRound.objects.annotate(
            submission_count=Count("submissions", filter=~Q(submissions__status=Status.DRAFT)),
            recommended_count=Count(
                "submissions", filter=Q(submissions__status=Status.RECOMMENDED)
            ),
            conferred_count=Count("submissions", filter=Q(submissions__status=Status.CONFERRED)),
        )

    def get_page_subtitle(self):
        conferred = Submission.objects.filter(status=Status.CONFERRED).count()
        return _("全市累计认定 %(done)d 名 / 目标 %(target)d 名（《办法》第五条）") % {
            "done": conferred,
            "target": programme_target(),
        }


class SelectionRoundViewSet(ModelViewSet):
    model = SelectionRound
    icon = "date"
    menu_label = _("选拔年度")
    index_view_class = RoundIndexView
    copy_view_enabled = False
    form_fields = [
        "year",
        "title",
        "open_call_page",
        "opens_at",
        "closes_at",
        "recommendation_deadline",
        "quota",
        "status",
    ]
    list_display = [
        "year",
        "title",
        "get_status_display",
        "opens_at",
        "closes_at",
        "quota",
        Column("submission_count", label=_("已提交")),
        Column("recommended_count", label=_("已推荐")),
        Column("conferred_count", label=_("已认定")),
    ]


class RecommendingUnitViewSet(ModelViewSet):
    model = RecommendingUnit
    icon = "group"
    menu_label = _("推荐单位")
    copy_view_enabled = False
    form_fields = ["kind", "name", "area", "code", "sort_order", "active"]
    list_display = ["name", "get_kind_display", "area", "code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "area", "code"]


class IndustryViewSet(ModelViewSet):
    model = Industry
    icon = "tag"
    menu_label = _("产业（1+5+N）")
    copy_view_enabled = False
    form_fields = ["name", "group", "description", "sort_order", "active"]
    list_display = ["name", "get_group_display", "sort_order", "active"]
    list_filter = ["group", "active"]


class UnitMembershipViewSet(ModelViewSet):
    model = UnitMembership
    icon = "user"
    menu_label = _("推荐单位工作人员")
    copy_view_enabled = False
    form_fields = ["user", "unit"]
    list_display = ["user", "unit", "created_at"]
    list_filter = ["unit"]

    @cached_property
    def index_view_class(self):
        class MembershipIndexView(generic.IndexView):
            def get_base_queryset(self):
                return UnitMembership.objects.select_related("user", "unit")

        return MembershipIndexView


class CraftsmanViewSetGroup(ModelViewSetGroup):
    menu_label = _("赣州工匠")
    menu_icon = "trophy"
    menu_order = 250
    items = (
        SubmissionViewSet("craftsman_submissions"),
        SelectionRoundViewSet("craftsman_rounds"),
        RecommendingUnitViewSet("craftsman_units"),
        IndustryViewSet("craftsman_industries"),
        UnitMembershipViewSet("craftsman_memberships"),
    )
