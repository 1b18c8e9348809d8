"""What the online application adds to the public site, through the site's hooks.

Registered in ``craftsman/wagtail_hooks.py``: the 在线申报 navigation link, the
call-to-action on the open call page, and the home page panel with the
current round's stage and dates.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.models import SelectionRound

# Rounds worth a home page panel: under way, not drafts and not finished.
ACTIVE_STATUSES = (
    SelectionRound.Status.OPEN,
    SelectionRound.Status.RECOMMENDATION_CLOSED,
    SelectionRound.Status.REVIEWING,
    SelectionRound.Status.PUBLICITY,
)


def nav_items(request):
    return [{"title": _("在线申报"), "url": reverse("apply:dashboard")}]


def open_call_actions(request, page):
    """ "在线申报" on the open call of a round that is accepting (or about to accept)."""
    year = getattr(page, "year", None)
    if year is None:
        return []
    selection_round = SelectionRound.objects.filter(year=year).first()
    if selection_round is None or selection_round.status != SelectionRound.Status.OPEN:
        return []
    if timezone.now() > selection_round.closes_at:
        return []
    return [{"title": _("在线申报"), "url": reverse("apply:dashboard")}]


def round_stage(selection_round, now=None):
    """The stage the public sees: 即将开始申报 / 申报中 / 申报已截止 / 评审中 / 公示中 …"""
    now = now or timezone.now()
    if selection_round.status == SelectionRound.Status.OPEN:
        if now < selection_round.opens_at:
            return _("即将开始申报")
        if now > selection_round.closes_at:
            return _("申报已截止")
        return _("申报中")
    return selection_round.get_status_display()


def home_round_panel(request, page):
    selection_round = (
        SelectionRound.objects.filter(status__in=ACTIVE_STATUSES).order_by("-year").first()
    )
    if selection_round is None:
        return None
    now = timezone.now()
    accepting = (
        selection_round.status == SelectionRound.Status.OPEN and now <= selection_round.closes_at
    )
    return {
        "template": "craftsman/includes/home_round_panel.html",
        "round": selection_round,
        "stage": round_stage(selection_round, now),
        "accepting": accepting,
        "apply_url": reverse("apply:dashboard"),
    }
