"""公示、异议暂缓、公示期满、批准与认定 (issue 5)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page, Site

from craftsman.conferral import confer_round, mark_reward_paid, record_approval
from craftsman.models import (
    Craftsman,
    CraftsmanProfilePage,
    PublicityHold,
    Reward,
    Status,
    Submission,
)
from craftsman.publicity import close_due_publicity, generate_publicity_notice
from craftsman.workflow import TransitionNotAllowed
from publications.models import NoticeIndexPage, PublicityNoticePage, ResultAnnouncementPage
from publications.models.objections import ObjectionStatus
from publications.objection_actions import record_verification, submit_objection
from publications.workdays import SHANGHAI
from website.models import HomePage
from website.search import search_pages
from website.security.testing import verified_login

# Period over National Day 2025: 9-29, 9-30, 10-9, 10-10, 10-11 (an adjusted working Saturday).
TODAY = datetime.date(2025, 9, 28)


def beijing(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def site_home(db):
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="首页", slug="home-test"))
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
    if not NoticeIndexPage.objects.child_of(home).exists():
        home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    return home


@pytest.fixture
def proposed(make_submission, site_home):
    """Three candidates on the proposed list (拟入选), one without consent to publish."""
    return [
        make_submission(name="王建国", status=Status.SHORTLISTED),
        make_submission(name="丁一", status=Status.SHORTLISTED, gender="F"),
        make_submission(
            name="李明", status=Status.SHORTLISTED, publication_consent_at=None, employer="保密单位"
        ),
    ]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


def object_to(notice, name, capture):
    entry = notice.entries.get(name=name)
    with capture(execute=True):
        return submit_objection(
            notice,
            {
                "objector_type": "person",
                "real_name": "张三",
                "phone": "13900000000",
                "entry": entry,
                "content": "材料不实。",
            },
            ip="127.0.0.1",
            now=beijing(2025, 9, 30, 10),
        )


def conclude(objection, upheld, user, capture):
    with capture(execute=True):
        record_verification(
            objection.pk,
            user=user,
            status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED,
            notes="已核查。",
            reply="已答复。",
        )


@pytest.mark.django_db
def test_generate_publicity_notice(proposed, users):
    bureau = users["bureau"]
    notice = generate_publicity_notice(proposed[0].round, by=bureau, today=TODAY)
    assert isinstance(notice, PublicityNoticePage)
    assert not notice.live and notice.has_unpublished_changes
    assert notice.get_latest_revision() is not None
    assert isinstance(notice.get_parent().specific, NoticeIndexPage)
    assert notice.start_date == datetime.date(2025, 9, 29) and notice.working_days == 5
    assert notice.last_day == datetime.date(2025, 10, 11)
    # Surname-stroke order: 丁 (2) 王 (4) 李 (7).
    assert [e.name for e in notice.ordered_entries()] == ["丁一", "王建国", "李明"]
    entries = {e.name: e for e in notice.entries.all()}
    assert entries["王建国"].source_key == f"craftsman.submission:{proposed[0].pk}"
    assert entries["王建国"].employer == "赣州稀金科技有限公司"
    assert entries["王建国"].occupation == "稀土冶炼工"
    assert entries["丁一"].gender == "女"
    # No consent: neither employer nor occupation.
    assert entries["李明"].employer == "" and entries["李明"].occupation == ""
    text = " ".join(str(getattr(e, f)) for e in entries.values() for f in ("name", *e.TEXT_FIELDS))
    for s in proposed:
        assert s.id_number not in text and s.mobile not in text
        assert s.birth_date.strftime("%Y") not in text
    for s in proposed:
        s.refresh_from_db()
        assert s.status == Status.IN_PUBLICITY
    # Idempotent.
    assert generate_publicity_notice(proposed[0].round, by=bureau, today=TODAY).pk == notice.pk
    assert PublicityNoticePage.objects.count() == 1


@pytest.mark.django_db
def test_generate_refused_without_proposed_list(open_round, site_home, users):
    with pytest.raises(TransitionNotAllowed, match="没有拟入选人员"):
        generate_publicity_notice(open_round, by=users["bureau"], today=TODAY)


@pytest.mark.django_db
def test_objections_hold_and_resolve(
    proposed, users, django_capture_on_commit_callbacks, mailoutbox
):
    notice = generate_publicity_notice(proposed[0].round, by=users["bureau"], today=TODAY)
    publish(notice)
    wang, ding = proposed[0], proposed[1]
    first = object_to(notice, "王建国", django_capture_on_commit_callbacks)
    second = object_to(notice, "丁一", django_capture_on_commit_callbacks)
    assert PublicityHold.objects.get(objection=first).submission == wang
    assert PublicityHold.objects.get(objection=second).is_open
    # 属实: off the list, told by e-mail.
    conclude(first, True, users["bureau"], django_capture_on_commit_callbacks)
    wang.refresh_from_db()
    assert wang.status == Status.NOT_SELECTED
    assert wang.events.filter(action="objection_upheld").exists()
    assert any("未入选" in m.body for m in mailoutbox)
    # 不属实: hold released, still in publicity.
    conclude(second, False, users["bureau"], django_capture_on_commit_callbacks)
    hold = PublicityHold.objects.get(objection=second)
    assert not hold.is_open and hold.upheld is False
    ding.refresh_from_db()
    assert ding.status == Status.IN_PUBLICITY


@pytest.mark.django_db
def test_closing_job_across_national_day(proposed, users, django_capture_on_commit_callbacks):
    notice = generate_publicity_notice(proposed[0].round, by=users["bureau"], today=TODAY)
    assert close_due_publicity(now=beijing(2025, 10, 12, 9)) == 0  # a draft is not public
    publish(notice)
    objection = object_to(notice, "丁一", django_capture_on_commit_callbacks)
    assert close_due_publicity(now=beijing(2025, 10, 10, 23)) == 0
    assert close_due_publicity(now=beijing(2025, 10, 11, 23, 59)) == 0
    assert set(Submission.objects.values_list("status", flat=True)) == {Status.IN_PUBLICITY}
    assert close_due_publicity(now=beijing(2025, 10, 12, 0, 15)) == 2
    statuses = dict(Submission.objects.values_list("name", "status"))
    assert statuses == {
        "王建国": Status.AWAITING_APPROVAL,
        "李明": Status.AWAITING_APPROVAL,
        "丁一": Status.IN_PUBLICITY,  # objection open: nothing decided
    }
    assert close_due_publicity(now=beijing(2025, 10, 12, 0, 30)) == 0  # idempotent
    conclude(objection, False, users["bureau"], django_capture_on_commit_callbacks)
    assert close_due_publicity(now=beijing(2025, 10, 13, 9)) == 1
    assert Submission.objects.get(name="丁一").status == Status.AWAITING_APPROVAL


@pytest.fixture
def awaiting(make_submission, site_home):
    return [
        make_submission(name=name, status=Status.AWAITING_APPROVAL)
        for name in ("王建国", "丁一", "李明")
    ]


@pytest.mark.django_db
def test_conferral_needs_approval_and_is_idempotent(
    awaiting, users, django_capture_on_commit_callbacks, mailoutbox
):
    selection_round = awaiting[0].round
    bureau = users["bureau"]
    with pytest.raises(TransitionNotAllowed, match="尚未录入市政府批准"):
        confer_round(selection_round, by=bureau)
    assert not Craftsman.objects.exists()
    assert set(Submission.objects.values_list("status", flat=True)) == {Status.AWAITING_APPROVAL}

    record_approval(selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), by=bureau)
    now = beijing(2030, 12, 5, 10)
    with django_capture_on_commit_callbacks(execute=True):
        created = confer_round(selection_round, by=bureau, now=now)
    year = selection_round.year
    assert [c.certificate_number for c in created] == [
        f"GZGJ-{year}-001",
        f"GZGJ-{year}-002",
        f"GZGJ-{year}-003",
    ]
    assert [c.submission.name for c in created] == ["丁一", "王建国", "李明"]
    assert confer_round(selection_round, by=bureau) == []
    assert Craftsman.objects.count() == 3 and Reward.objects.count() == 3
    craftsman = created[1]
    assert craftsman.conferred_on == datetime.date(2030, 12, 5)
    assert craftsman.cultivation_ends_on == datetime.date(2033, 12, 5)
    assert craftsman.in_talent_directory and craftsman.status == Craftsman.Status.ACTIVE
    assert craftsman.reward.amount == Decimal("30000.00")
    assert craftsman.reward.status == Reward.PaymentStatus.PENDING
    assert set(Submission.objects.values_list("status", flat=True)) == {Status.CONFERRED}
    assert sum("已认定" in m.body for m in mailoutbox) == 3
    result = ResultAnnouncementPage.objects.get()
    assert not result.live
    assert [e.name for e in result.entries.all()] == ["丁一", "王建国", "李明"]
    assert result.approval_document_number == "赣市府字〔2030〕58号"

    mark_reward_paid(craftsman.reward, datetime.date(2030, 12, 20), "PZ-001", by=bureau)
    craftsman.reward.refresh_from_db()
    assert craftsman.reward.status == Reward.PaymentStatus.PAID
    with pytest.raises(TransitionNotAllowed):
        mark_reward_paid(craftsman.reward, datetime.date(2030, 12, 21), "PZ-002", by=bureau)


@pytest.mark.django_db
def test_certificate_text(awaiting, users):
    selection_round = awaiting[0].round
    record_approval(
        selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), users["bureau"]
    )
    created = confer_round(selection_round, by=users["bureau"], now=beijing(2030, 12, 5, 10))
    craftsman = next(c for c in created if c.submission.name == "王建国")
    with craftsman.certificate_file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    compact = "".join(text.split())
    assert "赣州市人民政府" in compact
    assert "王建国" in compact
    assert craftsman.certificate_number in compact
    assert "2030年12月05日" in compact


@pytest.mark.django_db
def test_certificate_download_only_for_bureau(awaiting, users, client):
    selection_round = awaiting[0].round
    record_approval(
        selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), users["bureau"]
    )
    craftsman = confer_round(selection_round, by=users["bureau"])[0]
    url = f"/admin/craftsman/conferral/certificate/{craftsman.pk}/"
    verified_login(client, users["zhanggong"])
    assert client.get(url).status_code in (302, 403, 404)
    verified_login(client, users["bureau"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/admin/craftsman/conferral/{selection_round.pk}/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_profile_page_private_data_and_search(awaiting, users, client):
    selection_round = awaiting[0].round
    record_approval(
        selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), users["bureau"]
    )
    created = confer_round(selection_round, by=users["bureau"])
    craftsman = next(c for c in created if c.submission.name == "王建国")
    profile = craftsman.profile_page
    assert isinstance(profile, CraftsmanProfilePage) and not profile.live
    assert profile.photo is not None
    assert profile.title_year == selection_round.year
    publish(profile)
    profile.get_parent().specific.save_revision().publish()
    response = client.get(profile.url)
    assert response.status_code == 200
    html = response.content.decode()
    submission = craftsman.submission
    assert "王建国" in html and "赣州稀金科技有限公司" in html
    assert submission.id_number not in html
    assert submission.mobile not in html
    assert submission.birth_date.strftime("%Y-%m-%d") not in html
    assert f"{submission.birth_date:%Y年}" not in html
    hits = [page.pk for page in search_pages("稀金科技")]
    assert profile.pk in hits


@pytest.mark.django_db
def test_no_profile_without_consent(make_submission, site_home, users):
    submission = make_submission(status=Status.AWAITING_APPROVAL, publication_consent_at=None)
    record_approval(submission.round, "赣市府字〔2030〕1号", timezone.localdate(), users["bureau"])
    craftsman = confer_round(submission.round, by=users["bureau"])[0]
    assert craftsman.profile_page is None
    assert not CraftsmanProfilePage.objects.exists()


@pytest.mark.django_db
def test_demo_publicity_2025(make_submission, site_home, users):
    from craftsman.demo_conferral import seed_publicity_2025
    from craftsman.models import SelectionRound

    open_round = SelectionRound.objects.get(year=2030)
    open_round.year = 2025
    open_round.save()
    for name in ("王建国", "丁一"):
        make_submission(name=name, status=Status.SHORTLISTED)
    notice = seed_publicity_2025(users["bureau"])
    assert notice.live and notice.is_open(beijing(2026, 11, 25, 12))
    assert notice.objections.get().status == ObjectionStatus.CHECKING
    assert seed_publicity_2025(users["bureau"]).pk == notice.pk
    assert notice.objections.count() == 1
