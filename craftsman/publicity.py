"""公示 (《办法》第七条（四）): from the proposed list to the list awaiting approval.

- :func:`generate_publicity_notice` writes the round's proposed list (拟入选) into a
  draft :class:`~publications.models.PublicityNoticePage` under the notice section,
  starting on the next working day for 5 working days; a reviewer publishes it
  (先审后发).  The candidates become 公示中.
- An objection against an entry puts that candidate on hold
  (:class:`~craftsman.models.PublicityHold`, from the publications signals); 属实 takes
  the candidate off the list (未入选), 不属实 releases the hold.
- :func:`close_due_publicity` (a scheduled job) moves the candidates of a notice whose
  period has ended to 待批准, except those with an open objection: nothing is decided
  while an objection is open.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Site

from craftsman.models import PublicityHold, RoundPublicity, SelectionRound, Status, Submission
from craftsman.models.submissions import SubmissionEvent
from craftsman.tasks import queue_status_change_mail
from craftsman.workflow import TransitionNotAllowed, find_transition, perform
from publications.models import (
    NoticeIndexPage,
    Objection,
    PublicityEntry,
    PublicityNoticePage,
    PublicityState,
)
from publications.models.objections import RESOLVED_STATUSES, ObjectionStatus
from publications.workdays import SHANGHAI, nth_workday

logger = logging.getLogger(__name__)

SOURCE_PREFIX = "craftsman.submission:"
WORKING_DAYS = 5
SYSTEM_ACTOR = "系统"
CONTACT_FIELDS = (
    "objection_unit",
    "objection_phone",
    "objection_email",
    "objection_address",
    "office_hours",
)


def source_key(submission):
    return f"{SOURCE_PREFIX}{submission.pk}"


def submission_for_entry(entry):
    """The submission a publicity entry stands for, or None (another programme's list)."""
    key = (entry.source_key or "") if entry is not None else ""
    if not key.startswith(SOURCE_PREFIX):
        return None
    try:
        pk = int(key[len(SOURCE_PREFIX) :])
    except ValueError:
        return None
    return Submission.objects.filter(pk=pk).first()


def home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site else None


def notice_section():
    home = home_page()
    if home is None:
        raise TransitionNotAllowed(_("站点尚未设置首页，无法生成公示。"))
    section = (
        NoticeIndexPage.objects.child_of(home).filter(slug="notices").first()
        or NoticeIndexPage.objects.child_of(home).first()
    )
    if section is None:
        raise TransitionNotAllowed(_("站点没有“通知公告”栏目，无法生成公示。"))
    return section


def entry_for(submission, order):
    """The public row of one candidate: no ID, phone or birth date ever; employer and
    occupation only with the applicant's consent to publish them."""
    consented = submission.publication_consent_at is not None
    return PublicityEntry(
        sort_order=order,
        name=submission.name,
        gender=submission.get_gender_display() if submission.gender else "",
        employer=submission.employer if consented else "",
        occupation=submission.occupation if consented else "",
        skill_level=submission.get_skill_level_display() if submission.skill_level else "",
        recommending_unit=(
            submission.recommending_unit.name if submission.recommending_unit_id else ""
        ),
        source_key=source_key(submission),
    )


def _contact():
    """The objection contact of the latest notice (the editor checks it in the draft)."""
    latest = PublicityNoticePage.objects.order_by("-pk").first()
    if latest is not None:
        return {field: getattr(latest, field) for field in CONTACT_FIELDS}
    return {"objection_phone": "（请填写受理电话）", "objection_address": "（请填写地址）"}


def generate_publicity_notice(selection_round, by, today=None):
    """The round's publicity notice as a draft; a second call returns the existing one.

    Refused (:class:`TransitionNotAllowed`) when the round has no proposed list.
    """
    with transaction.atomic():
        selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        existing = (
            RoundPublicity.objects.filter(round=selection_round).select_related("notice").first()
        )
        if existing is not None and existing.notice is not None:
            return existing.notice
        candidates = list(
            Submission.objects.filter(round=selection_round, status=Status.SHORTLISTED)
            .select_related("recommending_unit")
            .order_by("pk")
        )
        if not candidates:
            raise TransitionNotAllowed(
                _("%(round)s 没有拟入选人员，不能生成公示。") % {"round": selection_round}
            )
        today = today or timezone.now().astimezone(SHANGHAI).date()
        start = nth_workday(today + timedelta(days=1), 1)
        year = selection_round.year
        notice = PublicityNoticePage(
            title=f"{year}年度“赣州工匠”拟入选人员名单公示",
            slug=f"publicity-{year}-gzgj-{selection_round.pk}",
            live=False,
            publish_date=today,
            body=(
                "<p>根据《赣州市“赣州工匠”培养选拔管理办法》，经个人申报、单位推荐和专家评审，"
                f"拟确定以下{len(candidates)}名同志为{year}年度“赣州工匠”入选人员，"
                "现予以公示。公示期间，任何单位和个人均可实名提出异议。</p>"
            ),
            start_date=start,
            working_days=WORKING_DAYS,
            list_caption=f"{year}年度“赣州工匠”拟入选人员名单",
            entries=[entry_for(s, order) for order, s in enumerate(candidates)],
            **_contact(),
        )
        notice_section().add_child(instance=notice)
        revision = notice.save_revision(user=by, log_action=True)
        workflow = notice.get_workflow()
        if workflow is not None and by is not None:
            workflow.start(notice, by)
        RoundPublicity.objects.update_or_create(
            round=selection_round, defaults={"notice": notice, "created_by": by}
        )
        if selection_round.status == SelectionRound.Status.REVIEWING:
            selection_round.status = SelectionRound.Status.PUBLICITY
            selection_round.save(update_fields=["status"])
        for submission in candidates:
            perform(
                submission,
                "start_publicity",
                by=by,
                comment=f"公示期：{notice.period_text}",
                notify=False,
            )
        log(
            instance=selection_round,
            action="craftsman.generate_publicity",
            user=by,
            data={"notice": notice.pk, "revision": revision.pk, "count": len(candidates)},
        )
    return notice


# --- transitions without a staff member behind them ---------------------------------


def system_transition(submission, action, actor=None, comment="", now=None, notify=True):
    """Take ``action`` for the scheduled job or an objection's outcome.

    Same rules as :func:`craftsman.workflow.perform` (row locked, state re-read, the
    transitions table, a timeline event and a log entry) but no role check: the caller
    is the system, acting on a decision already taken (a closed period, a concluded
    objection).  Returns the event, or None when the state no longer allows it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        transition = find_transition(locked.status, action)
        if transition is None:
            return None
        state = locked.status
        locked.status = transition.to_state
        locked.save(update_fields=["status", "updated_at"])
        event = SubmissionEvent.objects.create(
            submission=locked,
            action=action,
            from_status=state,
            to_status=transition.to_state,
            actor=actor,
            actor_role=SYSTEM_ACTOR if actor is None else "市人社局",
            actor_unit="市人社局",
            comment=comment,
            created_at=now,
        )
        log(
            instance=locked,
            action=f"craftsman.{action}",
            user=actor,
            timestamp=now,
            data={"from": state, "to": transition.to_state, "comment": comment},
        )
        if notify:
            queue_status_change_mail(event)
    return event


# --- objections (publications.signals) ----------------------------------------------


def on_objection_received(sender, objection, **kwargs):
    try:
        submission = submission_for_entry(objection.entry)
        if submission is None:
            return
        _hold, created = PublicityHold.objects.get_or_create(
            objection=objection,
            defaults={"submission": submission, "opened_at": objection.created_at},
        )
        if created:
            log(
                instance=submission,
                action="craftsman.publicity_hold",
                user=None,
                data={"objection": objection.receipt_number},
            )
    except Exception:
        logger.exception("异议 %s：暂缓公示对象失败", getattr(objection, "pk", None))


def on_objection_resolved(sender, objection, upheld, user=None, **kwargs):
    try:
        submission = submission_for_entry(objection.entry)
        if submission is None:
            return
        now = timezone.now()
        with transaction.atomic():
            hold, _created = PublicityHold.objects.get_or_create(
                objection=objection,
                defaults={"submission": submission, "opened_at": objection.created_at},
            )
            if hold.resolved_at is None:
                hold.resolved_at = now
                hold.upheld = bool(upheld)
                hold.save(update_fields=["resolved_at", "upheld"])
                log(
                    instance=submission,
                    action="craftsman.publicity_release",
                    user=user,
                    data={"objection": objection.receipt_number, "upheld": bool(upheld)},
                )
            if upheld:
                system_transition(
                    submission,
                    "objection_upheld",
                    actor=user,
                    comment=f"公示期间收到的异议（受理编号 {objection.receipt_number}）经核查属实。",
                    now=now,
                )
    except Exception:
        logger.exception("异议 %s：处理公示对象失败", getattr(objection, "pk", None))


def open_holds(submission_ids):
    """{submission id: [open holds]} for these submissions."""
    result = {}
    for hold in PublicityHold.objects.filter(
        submission_id__in=submission_ids, resolved_at__isnull=True
    ).select_related("objection"):
        result.setdefault(hold.submission_id, []).append(hold)
    return result


# --- the end of the period --------------------------------------------------------------


def close_due_publicity(now=None):
    """For every notice whose period has ended: candidates with no open or upheld objection
    become 待批准; those with an open objection stay on hold.  Idempotent.

    Reads the objections themselves (not only the holds) so that a missed signal never
    lets a candidate through.  Returns the number of candidates moved.
    """
    now = now or timezone.now()
    moved = 0
    for record in RoundPublicity.objects.filter(closed_at__isnull=True, notice__isnull=False):
        notice = PublicityNoticePage.objects.filter(pk=record.notice_id).first()
        if notice is None or not notice.live or notice.state(now) != PublicityState.CLOSED:
            continue
        objections = Objection.objects.filter(notice=notice)
        if objections.filter(entry__isnull=True).exclude(status__in=RESOLVED_STATUSES).exists():
            continue  # an objection against the whole list: the bureau decides first
        open_keys, upheld_keys = set(), set()
        for key, status in objections.filter(entry__isnull=False).values_list(
            "entry__source_key", "status"
        ):
            if status == ObjectionStatus.UPHELD:
                upheld_keys.add(key)
            elif status not in RESOLVED_STATUSES:
                open_keys.add(key)
        candidates = list(
            Submission.objects.filter(round_id=record.round_id, status=Status.IN_PUBLICITY)
        )
        held = open_holds([s.pk for s in candidates])
        remaining = 0
        for submission in candidates:
            key = source_key(submission)
            if key in upheld_keys:
                system_transition(
                    submission, "objection_upheld", comment="公示期间收到的异议经核查属实。"
                )
            elif key in open_keys or submission.pk in held:
                remaining += 1
            elif system_transition(
                submission,
                "publicity_passed",
                comment=f"公示期满（{notice.period_text}），无异议。",
                now=now,
                notify=False,
            ):
                moved += 1
        if not remaining:
            record.closed_at = now
            record.save(update_fields=["closed_at"])  # a save, so the page cache hears it
    return moved
