"""The current round's public stage on the home page, computed from the data.

The round's ``status`` is what the bureau last set; the public wants to know where the
selection actually stands, so the stage is read from the facts, latest first:

- 已公布: the approved list is live (``GovernmentApproval.result_page``, or a live 公布
  page with the approval's document number);
- 公示中 (or 公示尚未开始 / 公示期满，待市政府批准): the round's publicity notice is live,
  with its period from the working-day calendar;
- 评审中: the application window has closed, or submissions are being reviewed;
- 申报中 / 即将开始申报: inside / before the application window of an open round.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from craftsman.models import SelectionRound, Submission
from publications.models import ResultAnnouncementPage

REVIEW_STATES = (
    Submission.Status.RECOMMENDED,
    Submission.Status.REVIEWING,
    Submission.Status.SHORTLISTED,
)


@dataclass
class RoundStage:
    label: str
    key: str  # upcoming, applying, reviewing, publicity, published
    dates: list = field(default_factory=list)  # [(label, text)]
    link_title: str = ""
    link_page: object = None


def current_round():
    """The newest round that is not a draft, with its publicity notice and approval joined."""
    return (
        SelectionRound.objects.exclude(status=SelectionRound.Status.DRAFT)
        .select_related("publicity__notice", "approval__result_page")
        .order_by("-year")
        .first()
    )


def _date(value):
    local = timezone.localtime(value) if hasattr(value, "hour") else value
    return f"{local.year}年{local.month}月{local.day}日"


def _window(selection_round):
    return (
        "申报时间",
        f"{_date(selection_round.opens_at)}至{_date(selection_round.closes_at)}",
    )


def _related(selection_round, name):
    """A reverse one-to-one or None (its DoesNotExist is also an AttributeError)."""
    return getattr(selection_round, name, None)


def published_result(approval):
    """The live 公布 page of an approved list: the one the conferral linked, else a live one
    bearing the approval's document number (an editor may have published their own)."""
    if approval is None:
        return None
    if approval.result_page is not None and approval.result_page.live:
        return approval.result_page
    return (
        ResultAnnouncementPage.objects.live()
        .filter(approval_document_number=approval.document_number)
        .order_by("-publish_date", "-pk")
        .first()
    )


def round_stage(selection_round, now=None):
    """The :class:`RoundStage` of ``selection_round`` at ``now``."""
    now = now or timezone.now()
    approval = _related(selection_round, "approval")
    result = published_result(approval)
    if result is not None:
        dates = [("公布日期", _date(result.publish_date))]
        if approval.document_number:
            dates.append(("批准文号", approval.document_number))
        return RoundStage("已公布", "published", dates, "查看公布名单", result)

    publicity = _related(selection_round, "publicity")
    notice = publicity.notice if publicity is not None else None
    if notice is not None and notice.live:
        state = notice.state(now)
        label = {
            "upcoming": "公示尚未开始",
            "open": "公示中",
            "closed": "公示期满，待市政府批准",
        }.get(str(state), "公示中")
        return RoundStage(
            label, "publicity", [("公示期", notice.period_text)], "查看公示名单", notice
        )

    window = _window(selection_round)
    status = selection_round.status
    if status == SelectionRound.Status.OPEN and now < selection_round.opens_at:
        return RoundStage("即将开始申报", "upcoming", [window], "查看申报通知")
    if status == SelectionRound.Status.OPEN and now <= selection_round.closes_at:
        dates = [window]
        if selection_round.recommendation_deadline:
            dates.append(("推荐截止", _date(selection_round.recommendation_deadline)))
        return RoundStage("申报中", "applying", dates, "查看申报通知")
    if status == SelectionRound.Status.CLOSED:
        return RoundStage("已结束", "closed", [window])
    reviewing = (
        status
        in (
            SelectionRound.Status.RECOMMENDATION_CLOSED,
            SelectionRound.Status.REVIEWING,
            SelectionRound.Status.PUBLICITY,
        )
        or selection_round.submissions.filter(status__in=REVIEW_STATES).exists()
    )
    if reviewing or now > selection_round.closes_at:
        return RoundStage("评审中", "reviewing", [window], "查看申报通知")
    return RoundStage(selection_round.get_status_display(), "other", [window])


def home_round_panel(request, page):
    """``home_page_panels``: the current round, its computed stage and the dates behind it."""
    from django.urls import reverse

    selection_round = current_round()
    if selection_round is None:
        return None
    now = timezone.now()
    stage = round_stage(selection_round, now)
    link_page = stage.link_page or (selection_round.open_call_page if stage.link_title else None)
    return {
        "template": "craftsman/includes/home_round_panel.html",
        "round": selection_round,
        "stage": stage,
        "link_page": link_page,
        "accepting": selection_round.is_accepting_submissions(now),
        "apply_url": reverse("apply:dashboard"),
    }
