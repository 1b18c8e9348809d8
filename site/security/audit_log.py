"""The audit log as the 审计管理员 reads it: Wagtail's site history report, every entry.

Wagtail shows each user only the log entries of content they may edit
(``viewable_by_user``), which would show an auditor, who may edit nothing,
nothing at all.  This report is Wagtail's own (same URL, filters by user,
action, type and date, CSV/XLSX export), except that a holder of
``AUDIT_PERMISSION`` reads every entry.  The report only reads: no view
anywhere edits or deletes a log entry, and the platform never purges them
(网络安全法: at least six months).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Value
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.log_actions import registry as log_action_registry

# Wagtail creates the permission with the model and never checks it itself.
AUDIT_PERMISSION = "wagtailcore.view_modellogentry"


def reads_whole_audit_log(user):
    return user.is_active and (user.is_superuser or user.has_perm(AUDIT_PERMISSION))


def visible_entries(log_model, user):
    if reads_whole_audit_log(user):
        return log_model.objects.all()
    return log_model.objects.viewable_by_user(user)


def log_models():
    return list(log_action_registry.get_log_entry_models())


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(
        label=SiteHistoryReportFilterSet.base_filters["object_type"].label,
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in={
                pk
                for model in log_models()
                for pk in visible_entries(model, request.user).get_content_type_ids()
            }
        ).order_by("model"),
    )

    def get_action_choices(self):
        actions = {
            action
            for model in log_models()
            for action in visible_entries(model, self.request.user).get_actions()
        }
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_user_choices(self):
        user_ids = {
            pk
            for model in log_models()
            for pk in visible_entries(model, self.request.user).get_user_ids()
        }
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)


class AuditLogReportView(LogEntriesView):
    filterset_class = AuditLogFilterSet

    def get_filtered_queryset(self):
        # As LogEntriesView.get_filtered_queryset, with visible_entries() as the source.
        self.log_models = log_models()
        queryset = None
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                visible_entries(log_model, self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")


def site_history_urls():
    """URL patterns that put this report at Wagtail's own site-history URLs.

    site/urls.py lists them before Wagtail's admin URLs so that they match
    first; ``reverse("wagtailadmin_reports:site_history")`` keeps working.
    """
    from django.urls import path
    from django.views.decorators.cache import never_cache
    from wagtail.admin.auth import require_admin_access

    def admin_view(view):
        return require_admin_access(never_cache(view))

    return [
        path("admin/reports/site-history/", admin_view(AuditLogReportView.as_view())),
        path(
            "admin/reports/site-history/results/",
            admin_view(AuditLogReportView.as_view(results_only=True)),
        ),
    ]
