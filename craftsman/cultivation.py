"""培养 (《办法》第十条、第十一条): record workflow, reminders, period end, overview.

Transitions of a :class:`~craftsman.models.CultivationRecord` (explicit table below):

    草稿 ──submit──▶ 已报送 ──confirm──▶ 已确认
                      │  ▲
                return│  │submit
                      ▼  │
                     已退回

``submit`` is the employer's, ``return`` (comment required) and ``confirm`` the
bureau's.  Each runs in a transaction with the record locked, refuses an action
not allowed in the current state with :class:`TransitionNotAllowed` (nothing
changed) and writes a Wagtail log entry ``craftsman.cultivation_<action>``.

Dates are the Shanghai calendar day (``Asia/Shanghai``), whatever the server's clock zone.
"""

import datetime
import io
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from craftsman.models import (
    Craftsman,
    CultivationAttachment,
    CultivationRecord,
    CultivationReminder,
    EmployerAccount,
)
from craftsman.models.conferral import CULTIVATION_YEARS
from craftsman.models.cultivation import calendar_year, due_date, employer_names_for
from craftsman.roles import is_bureau
from craftsman.workflow import TransitionNotAllowed
from website.concurrency import VERSION_FIELD, check_version
from website.mail import queue_mail
from website.uploads import DOCUMENT_KINDS, clean_upload

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UPCOMING_DAYS = 30
OVERDUE_INTERVAL_DAYS = 7

EMPLOYER = "employer"
BUREAU = "bureau"

RecordStatus = CultivationRecord.Status

LOG_ACTIONS = {
    "craftsman.cultivation_save": _("保存年度培养情况"),
    "craftsman.cultivation_submit": _("报送年度培养情况"),
    "craftsman.cultivation_return": _("退回年度培养情况"),
    "craftsman.cultivation_confirm": _("确认年度培养情况"),
    "craftsman.cultivation_completed": _("培养期满"),
}


@dataclass(frozen=True)
class Transition:
    from_state: str
    action: str
    to_state: str
    role: str


TRANSITIONS = [
    Transition(RecordStatus.DRAFT, "submit", RecordStatus.SUBMITTED, EMPLOYER),
    Transition(RecordStatus.RETURNED, "submit", RecordStatus.SUBMITTED, EMPLOYER),
    Transition(RecordStatus.SUBMITTED, "return", RecordStatus.RETURNED, BUREAU),
    Transition(RecordStatus.SUBMITTED, "confirm", RecordStatus.CONFIRMED, BUREAU),
]


def shanghai_today(now=None):
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


# --- who sees what ------------------------------------------------------------------


def is_employer(user):
    return bool(employer_names_for(user)) and user.has_perm("craftsman.change_cultivationrecord")


def craftsmen_for(user):
    """Craftsmen whose cultivation the user follows: all for the bureau, an employer's own."""
    queryset = Craftsman.objects.select_related("submission")
    if is_bureau(user):
        return queryset.all()
    if not is_employer(user):
        return queryset.none()
    return queryset.filter(submission__employer__in=employer_names_for(user))


def roles_for(user, record):
    roles = set()
    if is_bureau(user):
        roles.add(BUREAU)
    if is_employer(user) and record.craftsman.submission.employer in employer_names_for(user):
        roles.add(EMPLOYER)
    return roles


def allowed_actions(record, user):
    roles = roles_for(user, record)
    return [t.action for t in TRANSITIONS if t.from_state == record.status and t.role in roles]


LOG_ACTIONS_SHORT = {"submit": _("报送"), "return": _("退回"), "confirm": _("确认")}


def find_transition(state, action):
    for transition in TRANSITIONS:
        if transition.from_state == state and transition.action == action:
            return transition
    return None


# --- writing records ---------------------------------------------------------------

RECORD_FIELDS = [
    "training",
    "apprentice_names",
    "apprentice_count",
    "skills_transmission",
    "public_welfare",
    "innovations",
    "employer_assessment",
]


def get_or_create_record(craftsman, year_index, by=None):
    """The record of ``year_index`` (1..3), created as a draft when missing."""
    if not 1 <= year_index <= CULTIVATION_YEARS:
        raise TransitionNotAllowed(_("培养年度只能是第1至3年。"))
    if craftsman.status == Craftsman.Status.REVOKED:
        raise TransitionNotAllowed(_("该“赣州工匠”称号已撤销，不再报送培养情况。"))
    record, _created = CultivationRecord.objects.get_or_create(
        craftsman=craftsman,
        year_index=year_index,
        defaults={"due_on": due_date(craftsman, year_index), "created_by": by},
    )
    return record


def save_record(record, data, by, files=()):
    """Save the employer's text (and new attachments) while the record is a draft or returned.

    ``data`` may carry the edit form's version token: if the record changed since the
    form was opened, :class:`website.concurrency.StaleEdit` is raised and nothing saved.
    """
    cleaned_files = [clean_upload(f, DOCUMENT_KINDS) for f in files]
    with transaction.atomic():
        locked = CultivationRecord.objects.select_for_update().get(pk=record.pk)
        check_version(locked, data.get(VERSION_FIELD, ""))
        if not locked.is_editable:
            raise TransitionNotAllowed(
                _("该年度培养情况%(status)s，不能修改。") % {"status": locked.get_status_display()}
            )
        for field in RECORD_FIELDS:
            if field in data:
                setattr(locked, field, data[field])
        locked.save()
        for upload in cleaned_files:
            attachment = CultivationAttachment(
                record=locked,
                original_name=upload.original_name,
                content_type=upload.kind.content_type,
                uploaded_by=by,
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        log(
            instance=locked,
            action="craftsman.cultivation_save",
            user=by,
            data={"attachments": len(cleaned_files)},
        )
    return locked


def perform(record, action, by, comment="", now=None):
    """Take ``action`` (submit / return / confirm) on ``record``; see the module docstring."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = (
            CultivationRecord.objects.select_for_update()
            .select_related("craftsman__submission")
            .get(pk=record.pk)
        )
        transition = find_transition(locked.status, action)
        if transition is None:
            raise TransitionNotAllowed(
                _("该年度培养情况当前为“%(status)s”，不能%(action)s。")
                % {"status": locked.get_status_display(), "action": LOG_ACTIONS_SHORT[action]}
            )
        if transition.role not in roles_for(by, locked):
            raise TransitionNotAllowed(_("您无权对该年度培养情况执行此操作。"))
        if action == "return" and not comment:
            raise TransitionNotAllowed(_("退回时必须填写退回意见。"))
        previous = locked.status
        locked.status = transition.to_state
        if action == "submit":
            locked.submitted_at = now
            locked.submitted_by = by
        else:
            locked.reviewed_at = now
            locked.reviewed_by = by
            locked.review_comment = comment
        locked.save()
        log(
            instance=locked,
            action=f"craftsman.cultivation_{action}",
            user=by,
            data={"from": previous, "to": locked.status, "comment": comment},
        )
    record.refresh_from_db()
    return locked


# --- overview ------------------------------------------------------------------------

OVERVIEW_STATES = {
    "submitted": _("已报送"),
    "confirmed": _("已确认"),
    "returned": _("已退回"),
    "overdue": _("逾期未报"),
    "pending": _("未到期"),
}


def default_overview_year(today=None):
    """The calendar year whose reports are being collected: last year."""
    return (today or shanghai_today()).year - 1


def overview_state(record, due_on, today):
    if record is not None and record.status != RecordStatus.DRAFT:
        return record.status
    return "overdue" if today > due_on else "pending"


def overview_rows(user, year, today=None):
    """Each craftsman in their cultivation period in calendar ``year`` with that year's state."""
    today = today or shanghai_today()
    craftsmen = (
        craftsmen_for(user)
        .exclude(status=Craftsman.Status.REVOKED)
        .filter(conferred_on__year__lt=year, conferred_on__year__gte=year - CULTIVATION_YEARS)
        .order_by("title_year", "sequence")
    )
    craftsmen = list(craftsmen)
    wanted = {c.pk: year - c.conferred_on.year for c in craftsmen}
    records = {
        r.craftsman_id: r
        for r in CultivationRecord.objects.for_user(user).filter(craftsman_id__in=list(wanted))
        if wanted[r.craftsman_id] == r.year_index
    }
    rows = []
    for craftsman in craftsmen:
        year_index = year - craftsman.conferred_on.year
        record = records.get(craftsman.pk)
        due_on = record.due_on if record else due_date(craftsman, year_index)
        state = overview_state(record, due_on, today)
        rows.append(
            {
                "craftsman": craftsman,
                "year_index": year_index,
                "due_on": due_on,
                "record": record,
                "state": state,
                "state_label": OVERVIEW_STATES[state],
            }
        )
    return rows


EXPORT_HEADERS = [
    "证书编号",
    "姓名",
    "工作单位",
    "称号年度",
    "培养年度",
    "报送截止日期",
    "状态",
    "报送时间",
    "审核时间",
    "带徒人数",
    "审核意见",
]


def export_xlsx(user, year, today=None):
    """The overview of ``year`` as an .xlsx workbook (bytes)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度培养情况"
    sheet.append(EXPORT_HEADERS)

    def local(value):
        return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""

    for row in overview_rows(user, year, today=today):
        craftsman, record = row["craftsman"], row["record"]
        sheet.append(
            [
                craftsman.certificate_number,
                craftsman.name,
                craftsman.submission.employer,
                craftsman.title_year,
                f"第{row['year_index']}年（{year}年）",
                row["due_on"].isoformat(),
                str(row["state_label"]),
                local(record.submitted_at) if record else "",
                local(record.reviewed_at) if record else "",
                record.apprentice_count if record else "",
                record.review_comment if record else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- scheduled jobs -------------------------------------------------------------------


def reminder_kind(craftsman, year_index, due_on, today):
    """Which reminder (if any) is due today for this report, given those already sent."""
    sent = CultivationReminder.objects.filter(craftsman=craftsman, year_index=year_index)
    if sent.filter(sent_on=today).exists():
        return None
    if today == due_on:
        return CultivationReminder.Kind.DUE
    if due_on - datetime.timedelta(days=UPCOMING_DAYS) <= today < due_on:
        if sent.filter(kind=CultivationReminder.Kind.UPCOMING).exists():
            return None
        return CultivationReminder.Kind.UPCOMING
    if today > due_on:
        recent = today - datetime.timedelta(days=OVERDUE_INTERVAL_DAYS)
        if sent.filter(sent_on__gt=recent).exists():
            return None
        return CultivationReminder.Kind.OVERDUE
    return None


def employer_emails(employer_name):
    return sorted(
        {
            email
            for email in EmployerAccount.objects.filter(
                employer_name=employer_name, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )


REMINDER_SUBJECTS = {
    CultivationReminder.Kind.UPCOMING: "【赣州工匠】年度培养情况报送提醒：{name}第{n}年（{y}年），{due}前报送",
    CultivationReminder.Kind.DUE: "【赣州工匠】今日截止：{name}第{n}年（{y}年）培养情况",
    CultivationReminder.Kind.OVERDUE: "【赣州工匠】已逾期：{name}第{n}年（{y}年）培养情况尚未报送",
}


def send_reminders(now=None):
    """Daily: e-mail employers 30 days before the due date, on it, and weekly while overdue.

    A report already submitted (已报送 / 已确认) gets none; a returned one is
    reminded again.  Returns the number of e-mails sent.
    """
    today = shanghai_today(now)
    sent = 0
    craftsmen = Craftsman.objects.exclude(status=Craftsman.Status.REVOKED).select_related(
        "submission"
    )
    records = {
        (r.craftsman_id, r.year_index): r.status
        for r in CultivationRecord.objects.only("craftsman_id", "year_index", "status")
    }
    done = {RecordStatus.SUBMITTED, RecordStatus.CONFIRMED}
    for craftsman in craftsmen:
        for year_index in range(1, CULTIVATION_YEARS + 1):
            if records.get((craftsman.pk, year_index)) in done:
                continue
            due_on = due_date(craftsman, year_index)
            if today < due_on - datetime.timedelta(days=UPCOMING_DAYS):
                continue
            kind = reminder_kind(craftsman, year_index, due_on, today)
            if kind is None:
                continue
            recipients = employer_emails(craftsman.submission.employer)
            if not recipients:
                continue
            if _send_reminder(craftsman, year_index, due_on, kind, today, recipients):
                sent += 1
    return sent


def _send_reminder(craftsman, year_index, due_on, kind, today, recipients):
    year = calendar_year(craftsman, year_index)
    subject = REMINDER_SUBJECTS[kind].format(
        name=craftsman.name, n=year_index, y=year, due=due_on.strftime("%Y年%-m月%-d日")
    )
    body = (
        f"{craftsman.submission.employer}：\n\n"
        f"根据《赣州市“赣州工匠”培养选拔管理办法》第十一条，请于{due_on:%Y年%-m月%-d日}前"
        f"报送“赣州工匠”{craftsman.name}（证书编号 {craftsman.certificate_number}）"
        f"第{year_index}年（{year}年）培养情况。\n\n"
        f"登录管理后台报送：{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/craftsman/cultivation/\n\n"
        "赣州市人力资源和社会保障局\n"
    )
    try:
        with transaction.atomic():
            CultivationReminder.objects.create(
                craftsman=craftsman,
                year_index=year_index,
                kind=kind,
                sent_on=today,
                recipients=", ".join(recipients),
            )
            queue_mail(recipients, subject, body)  # the outbox: sent after commit
    except IntegrityError:  # another run sent it today
        return False
    return True


def complete_due_periods(now=None):
    """Daily: 在册 craftsmen whose cultivation period has ended become 培养期满."""
    today = shanghai_today(now)
    completed = 0
    due = Craftsman.objects.filter(status=Craftsman.Status.ACTIVE, cultivation_ends_on__lt=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            craftsman = Craftsman.objects.select_for_update().get(pk=pk)
            if (
                craftsman.status != Craftsman.Status.ACTIVE
                or craftsman.cultivation_ends_on >= today
            ):
                continue
            craftsman.status = Craftsman.Status.COMPLETED
            craftsman.save(update_fields=["status"])
            log(
                instance=craftsman,
                action="craftsman.cultivation_completed",
                user=None,
                data={"cultivation_ends_on": craftsman.cultivation_ends_on.isoformat()},
            )
            completed += 1
    return completed


def public_status(craftsman):
    """The 培养状态 line on a public profile, or '' (nothing shown for a revoked title)."""
    if craftsman is None or craftsman.status == Craftsman.Status.REVOKED:
        return ""
    ends = craftsman.cultivation_ends_on
    if craftsman.status == Craftsman.Status.COMPLETED:
        return f"培养期满（{ends.year}年{ends.month}月{ends.day}日）"
    start = craftsman.conferred_on
    return (
        f"培养期内（{start.year}年{start.month}月{start.day}日至"
        f"{ends.year}年{ends.month}月{ends.day}日）"
    )
