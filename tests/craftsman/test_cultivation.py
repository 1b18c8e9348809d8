"""培养 (issue 6): employer scoping, record transitions, reminders, period end, overview."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from craftsman import cultivation
from craftsman.cultivation import (
    complete_due_periods,
    get_or_create_record,
    overview_rows,
    perform,
    save_record,
    send_reminders,
)
from craftsman.models import (
    Craftsman,
    CultivationAttachment,
    CultivationRecord,
    CultivationReminder,
    EmployerAccount,
    SelectionRound,
    Status,
)
from craftsman.workflow import TransitionNotAllowed
from publications.workdays import SHANGHAI
from tests.craftsman.conftest import PDF_BYTES, make_user
from website.security.testing import verified_login

UTC = datetime.UTC


def shanghai(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def round_2024(db):
    return SelectionRound.objects.create(
        year=2024,
        title="2024年度“赣州工匠”培养选拔",
        opens_at=shanghai(2024, 8, 1, 8),
        closes_at=shanghai(2024, 9, 15, 17),
        status=SelectionRound.Status.PUBLICITY,
    )


@pytest.fixture
def craftsmen(make_submission, round_2024):
    """Two craftsmen conferred 2024-12-16: one at 稀金, one at 章源."""
    made = {}
    for sequence, (key, employer) in enumerate(
        [("xijin", "赣州稀金科技有限公司"), ("zhangyuan", "崇义章源钨业股份有限公司")], start=1
    ):
        submission = make_submission(
            attachments=False, round=round_2024, employer=employer, status=Status.CONFERRED
        )
        made[key] = Craftsman.objects.create(
            submission=submission,
            round=round_2024,
            title_year=2024,
            sequence=sequence,
            certificate_number=f"GZGJ-2024-{sequence:03d}",
            conferred_on=datetime.date(2024, 12, 16),
            cultivation_ends_on=datetime.date(2027, 12, 16),
        )
    return made


@pytest.fixture
def employers(users, db):
    xijin = make_user("t_employer", "employer")
    EmployerAccount.objects.create(user=xijin, employer_name="赣州稀金科技有限公司")
    zhangyuan = make_user("t_employer2", "employer")
    EmployerAccount.objects.create(user=zhangyuan, employer_name="崇义章源钨业股份有限公司")
    return {"xijin": xijin, "zhangyuan": zhangyuan}


def fresh(user):
    """The user as a new request would see it (no cached permissions or names)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def record(craftsmen, employers):
    record = get_or_create_record(craftsmen["xijin"], 1, by=employers["xijin"])
    return save_record(
        record, {"training": "研修班", "apprentice_count": 2}, fresh(employers["xijin"])
    )


# --- model and scoping ---------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_is_31_january_after_the_year(craftsmen, settings):
    craftsman = craftsmen["xijin"]
    record = get_or_create_record(craftsman, 1)
    assert record.due_on == datetime.date(2026, 1, 31) and record.calendar_year == 2025
    assert get_or_create_record(craftsman, 3).due_on == datetime.date(2028, 1, 31)
    settings.CULTIVATION_DUE_MONTH_DAY = (3, 31)
    assert get_or_create_record(craftsman, 2).due_on == datetime.date(2027, 3, 31)
    with pytest.raises(TransitionNotAllowed):
        get_or_create_record(craftsman, 4)


@pytest.mark.django_db
def test_for_user_scopes_records(record, craftsmen, employers, users):
    other = get_or_create_record(craftsmen["zhangyuan"], 1)
    assert list(CultivationRecord.objects.for_user(fresh(employers["xijin"]))) == [record]
    assert list(CultivationRecord.objects.for_user(fresh(employers["zhangyuan"]))) == [other]
    assert CultivationRecord.objects.for_user(users["bureau"]).count() == 2
    assert not CultivationRecord.objects.for_user(users["zhanggong"]).exists()
    assert not CultivationRecord.objects.for_user(users["applicant"]).exists()


@pytest.mark.django_db
def test_employer_list_form_and_download(client, record, craftsmen, employers):
    verified_login(client, employers["xijin"])
    response = client.get(reverse("craftsman_cultivation:mine"))
    assert response.status_code == 200
    content = response.content.decode()
    assert craftsmen["xijin"].certificate_number in content
    assert craftsmen["zhangyuan"].certificate_number not in content

    url = reverse("craftsman_cultivation:edit", args=[craftsmen["xijin"].pk, 1])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "training": "参加研修班",
            "apprentice_names": "钟小明",
            "apprentice_count": "1",
            "action": "submit",
            "attachments": [SimpleUploadedFile("带徒协议.pdf", PDF_BYTES)],
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == CultivationRecord.Status.SUBMITTED
    assert record.submitted_by == employers["xijin"] and record.apprentice_count == 1
    attachment = record.attachments.get()
    assert attachment.original_name == "带徒协议.pdf"
    response = client.get(reverse("craftsman_cultivation:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    # Submitted: the form sends the employer to the record, read-only.
    assert client.get(url).status_code == 302
    assert client.get(reverse("craftsman_cultivation:record", args=[record.pk])).status_code == 200

    # Another employer: 404 on everything of this record; bureau-only pages are refused.
    verified_login(client, employers["zhangyuan"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("craftsman_cultivation:record", args=[record.pk])).status_code == 404
    download = reverse("craftsman_cultivation:attachment", args=[attachment.pk])
    assert client.get(download).status_code == 404
    assert client.get(reverse("craftsman_cultivation:overview")).status_code in (302, 403)


@pytest.mark.django_db
def test_upload_checked_by_content(client, record, craftsmen, employers):
    verified_login(client, employers["xijin"])
    url = reverse("craftsman_cultivation:edit", args=[craftsmen["xijin"].pk, 1])
    response = client.post(
        url,
        {
            "apprentice_count": "0",
            "action": "save",
            "attachments": [SimpleUploadedFile("x.pdf", b"MZ not a pdf")],
        },
    )
    assert response.status_code == 200
    assert "文件类型不符" in response.content.decode()
    assert not CultivationAttachment.objects.exists()


# --- transitions -----------------------------------------------------------------------


@pytest.mark.django_db
def test_transitions(record, employers, users):
    employer, bureau = fresh(employers["xijin"]), users["bureau"]
    with pytest.raises(TransitionNotAllowed):
        perform(record, "confirm", bureau)  # still a draft
    with pytest.raises(TransitionNotAllowed):
        perform(record, "submit", fresh(employers["zhangyuan"]))  # not theirs
    perform(record, "submit", employer)
    assert record.status == CultivationRecord.Status.SUBMITTED and record.submitted_at
    with pytest.raises(TransitionNotAllowed):
        save_record(record, {"training": "改"}, employer)
    with pytest.raises(TransitionNotAllowed, match="退回意见"):
        perform(record, "return", bureau, comment="  ")
    with pytest.raises(TransitionNotAllowed):
        perform(record, "return", employer, comment="x")  # the bureau's action
    record.refresh_from_db()
    assert record.status == CultivationRecord.Status.SUBMITTED
    perform(record, "return", bureau, comment="请补充带徒协议。")
    assert record.status == CultivationRecord.Status.RETURNED
    assert record.review_comment == "请补充带徒协议。" and record.reviewed_by == bureau
    save_record(record, {"training": "已补充"}, employer)
    perform(record, "submit", employer)
    perform(record, "confirm", bureau)
    record.refresh_from_db()
    assert record.status == CultivationRecord.Status.CONFIRMED and record.training == "已补充"
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(record.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions.count("craftsman.cultivation_submit") == 2
    assert "craftsman.cultivation_return" in actions and "craftsman.cultivation_confirm" in actions


@pytest.mark.django_db
def test_bureau_confirms_and_returns_in_the_admin(client, record, employers, users):
    perform(record, "submit", fresh(employers["xijin"]))
    verified_login(client, users["bureau"])
    url = reverse("craftsman_cultivation:record", args=[record.pk])
    assert "退回" in client.get(url).content.decode()
    client.post(url, {"action": "return", "comment": ""})
    record.refresh_from_db()
    assert record.status == CultivationRecord.Status.SUBMITTED
    client.post(url, {"action": "return", "comment": "请补充。"})
    record.refresh_from_db()
    assert record.status == CultivationRecord.Status.RETURNED


# --- reminders ---------------------------------------------------------------------------


def run(when, mailoutbox):
    before = len(mailoutbox)
    # Reminders go through the outbox (website.mail) and are delivered after commit.
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_reminders(now=when)
    return mailoutbox[before:]


@pytest.mark.django_db
def test_reminder_schedule(craftsmen, employers, mailoutbox):
    Craftsman.objects.filter(pk=craftsmen["zhangyuan"].pk).update(status="revoked")
    # Year 1 of the 稀金 craftsman is due 2026-01-31.
    assert run(shanghai(2025, 12, 31, 9), mailoutbox) == []  # 31 days before
    sent = run(shanghai(2026, 1, 1, 9), mailoutbox)  # 30 days before
    assert len(sent) == 1 and sent[0].to == ["t_employer@example.com"]
    assert "2026年1月31日" in sent[0].subject
    assert run(shanghai(2026, 1, 1, 18), mailoutbox) == []  # same day
    assert run(shanghai(2026, 1, 2, 9), mailoutbox) == []  # only once before
    assert len(run(shanghai(2026, 1, 31, 9), mailoutbox)) == 1  # on the day
    assert run(shanghai(2026, 2, 1, 9), mailoutbox) == []
    assert run(shanghai(2026, 2, 6, 9), mailoutbox) == []
    overdue = run(shanghai(2026, 2, 7, 9), mailoutbox)  # a week later
    assert len(overdue) == 1 and "逾期" in overdue[0].subject
    assert run(shanghai(2026, 2, 8, 9), mailoutbox) == []
    assert len(run(shanghai(2026, 2, 14, 9), mailoutbox)) == 1
    kinds = list(CultivationReminder.objects.order_by("sent_on").values_list("kind", flat=True))
    assert kinds == ["upcoming", "due", "overdue", "overdue"]
    # Submitted: no more reminders for that year.
    record = get_or_create_record(craftsmen["xijin"], 1)
    perform(record, "submit", fresh(employers["xijin"]))
    assert run(shanghai(2026, 2, 21, 9), mailoutbox) == []


@pytest.mark.django_db
def test_reminder_uses_shanghai_date(craftsmen, employers, mailoutbox):
    Craftsman.objects.filter(pk=craftsmen["zhangyuan"].pk).update(status="revoked")
    CultivationReminder.objects.create(
        craftsman=craftsmen["xijin"], year_index=1, kind="upcoming", sent_on="2026-01-01"
    )
    # 23:30 UTC on 30 January is 07:30 on 31 January in Shanghai: the due-day reminder.
    sent = run(datetime.datetime(2026, 1, 30, 23, 30, tzinfo=UTC), mailoutbox)
    assert len(sent) == 1 and "今日截止" in sent[0].subject
    reminder = CultivationReminder.objects.get(kind="due")
    assert reminder.sent_on == datetime.date(2026, 1, 31)


@pytest.mark.django_db
def test_reminders_go_to_each_employer(craftsmen, employers, mailoutbox):
    sent = run(shanghai(2026, 1, 31, 9), mailoutbox)
    assert sorted(m.to[0] for m in sent) == ["t_employer2@example.com", "t_employer@example.com"]


# --- period end and public profile -----------------------------------------------------------


@pytest.mark.django_db
def test_period_end_job(craftsmen):
    xijin, zhangyuan = craftsmen["xijin"], craftsmen["zhangyuan"]
    Craftsman.objects.filter(pk=zhangyuan.pk).update(status="revoked")
    assert complete_due_periods(now=shanghai(2027, 12, 16, 12)) == 0  # the last day
    # 16:30 UTC on 16 December is 17 December in Shanghai.
    assert complete_due_periods(now=datetime.datetime(2027, 12, 16, 16, 30, tzinfo=UTC)) == 1
    xijin.refresh_from_db()
    zhangyuan.refresh_from_db()
    assert xijin.status == Craftsman.Status.COMPLETED
    assert zhangyuan.status == Craftsman.Status.REVOKED
    assert cultivation.public_status(xijin) == "培养期满（2027年12月16日）"
    assert cultivation.public_status(zhangyuan) == ""
    assert complete_due_periods(now=shanghai(2028, 1, 1)) == 0


# --- overview and export ---------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_and_export(
    client, record, craftsmen, employers, users, django_assert_max_num_queries
):
    perform(record, "submit", fresh(employers["xijin"]))
    today = datetime.date(2026, 11, 25)
    rows = overview_rows(users["bureau"], 2025, today=today)
    states = {row["craftsman"].pk: row["state"] for row in rows}
    assert states == {craftsmen["xijin"].pk: "submitted", craftsmen["zhangyuan"].pk: "overdue"}
    rows = overview_rows(users["bureau"], 2026, today=today)
    assert {row["state"] for row in rows} == {"pending"}
    assert overview_rows(users["bureau"], 2024, today=today) == []

    verified_login(client, users["bureau"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("craftsman_cultivation:overview"), {"year": 2025})
    assert response.status_code == 200
    content = response.content.decode()
    assert "逾期未报" in content and "已报送" in content

    response = client.get(reverse("craftsman_cultivation:export"), {"year": 2025})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "证书编号"
    by_number = {row[0]: row for row in values[1:]}
    assert by_number["GZGJ-2024-001"][6] == "已报送"
    assert by_number["GZGJ-2024-001"][5] == "2026-01-31"
    assert by_number["GZGJ-2024-002"][6] in ("逾期未报", "未到期")

    verified_login(client, employers["xijin"])
    assert client.get(reverse("craftsman_cultivation:export")).status_code in (302, 403)


@pytest.mark.django_db
def test_overview_filters_by_state_and_pages(
    client, record, craftsmen, employers, users, monkeypatch
):
    from craftsman.views import cultivation as views

    perform(record, "submit", fresh(employers["xijin"]))
    verified_login(client, users["bureau"])
    url = reverse("craftsman_cultivation:overview")
    states = {row["state"] for row in overview_rows(users["bureau"], 2025)}
    assert "submitted" in states and len(states) == 2  # the other is overdue or pending

    content = client.get(url, {"year": 2025, "state": "submitted"}).content.decode()
    assert "GZGJ-2024-001" in content and "GZGJ-2024-002" not in content
    assert "全部 2" in content  # the counts still cover every row
    # An unknown state is no filter; a bad page number shows the last page.
    content = client.get(url, {"year": 2025, "state": "nonsense"}).content.decode()
    assert "GZGJ-2024-001" in content and "GZGJ-2024-002" in content

    monkeypatch.setattr(views, "OVERVIEW_PER_PAGE", 1)
    first = client.get(url, {"year": 2025}).content.decode()
    last = client.get(url, {"year": 2025, "p": "99"}).content.decode()
    assert 'class="pagination"' in first
    assert ("GZGJ-2024-001" in first) != ("GZGJ-2024-001" in last)


# --- demo ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_cultivation(demo, client):
    from django.contrib.auth import get_user_model

    from craftsman.demo_cultivation import seed_demo

    employer1 = get_user_model().objects.get(username="employer1")
    bureau = get_user_model().objects.get(username="bureau")
    mine = CultivationRecord.objects.for_user(employer1)
    assert [r.status for r in mine] == [CultivationRecord.Status.RETURNED]
    assert mine.get().review_comment
    rows = overview_rows(bureau, 2025, today=datetime.date(2026, 11, 25))
    states = [row["state"] for row in rows]
    assert states.count("confirmed") == 1 and states.count("returned") == 1
    assert states.count("overdue") == len(rows) - 2 >= 1
    seed_demo(open("/dev/null", "w"))  # idempotent
    assert CultivationRecord.objects.count() == 2
    verified_login(client, employer1)
    content = client.get(reverse("craftsman_cultivation:mine")).content.decode()
    assert "已退回" in content and "修改并报送" in content
    craftsman = Craftsman.objects.filter(title_year=2024, profile_page__live=True).first()
    response = client.get(craftsman.profile_page.url)
    assert "培养情况" in response.content.decode() and "2027年12月16日" in response.content.decode()
    verified_login(client, bureau)
    with_year = reverse("craftsman_cultivation:overview") + "?year=2025"
    assert "逾期未报" in client.get(with_year).content.decode()
