"""异议 on the admin home: the objections not concluded yet (已受理 / 核查中).

Registered by ``publications/wagtail_hooks.py`` and independent of the craftsman plugin.
Counts come from one aggregate query and the oldest open objections from a second,
however many objections there are; each count links to the 异议处理 list filtered by
that status.
"""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from publications.models.objections import (
    OBJECTION_PERMISSIONS,
    RESOLVED_STATUSES,
    Objection,
    ObjectionStatus,
)

OLDEST_SHOWN = 5


def can_see_objections(user):
    return any(user.has_perm(perm) for perm in OBJECTION_PERMISSIONS)


class OpenObjectionsPanel(Component):
    name = "publications_open_objections"
    order = 55
    template_name = "publications/admin/dashboard/open_objections.html"

    class Media:
        css = {"all": ["publications/css/dashboard.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        open_objections = Objection.objects.for_user(self.request.user).exclude(
            status__in=RESOLVED_STATUSES
        )
        counts = {
            row["status"]: row
            for row in open_objections.values("status")
            .annotate(n=Count("pk"), oldest=Min("created_at"))
            .order_by()
        }
        index_url = reverse("objections:index")
        by_status = [
            {
                "label": status.label,
                "count": counts.get(status, {}).get("n", 0),
                "oldest": counts.get(status, {}).get("oldest"),
                "url": f"{index_url}?{urlencode({'status': status.value})}",
            }
            for status in ObjectionStatus
            if status not in RESOLVED_STATUSES
        ]
        oldest = list(
            open_objections.select_related("notice")
            .only("receipt_number", "status", "created_at", "entry_name", "notice__title", "pk")
            .order_by("created_at")[:OLDEST_SHOWN]
        )
        return {
            "total": sum(row["count"] for row in by_status),
            "by_status": by_status,
            "oldest": [
                {"objection": o, "url": reverse("objections:edit", args=[o.pk])} for o in oldest
            ],
            "index_url": index_url,
        }
