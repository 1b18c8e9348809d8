"""撤销称号、激励待遇、奖励发放与结果统计 (issue 6: 《办法》第四条、第九条、第十二条)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Site

from craftsman.conferral import confer_round, mark_reward_paid, record_approval
from craftsman.models import (
    Benefit,
    Craftsman,
    Revocation,
    Reward,
    SelectionRound,
    Status,
    SubmissionAttachment,
)
from craftsman.revocation import (
    open_case,
    record_benefit,
    record_certificate_recall,
    record_clawback_payment,
    refer_to_judiciary,
    reinstate,
    reject,
    verify,
    without_benefit,
)
from craftsman.workflow import TransitionNotAllowed
from publications.models import NoticeIndexPage
from tests.craftsman.conftest import PDF_BYTES, make_user, pdf_file
from website.models import HomePage
from website.search import search_pages
from website.security.testing import verified_login

R = Revocation.Reason


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
def staff(users):
    return {
        "a": users["bureau"],
        "b": make_user("t_bureau2", "bureau"),
        "finance": make_user("t_finance", "finance"),
        "observer": make_user("t_observer", "observer"),
    }


@pytest.fixture
def craftsmen(make_submission, site_home, users):
    """Three title holders with published profiles; 王建国's reward is paid."""
    for name in ("王建国", "丁一", "李明"):
        make_submission(name=name, status=Status.AWAITING_APPROVAL)
    selection_round = SelectionRound.objects.get()
    bureau = users["bureau"]
    record_approval(selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), bureau)
    created = confer_round(selection_round, by=bureau, notify=False)
    for craftsman in created:
        craftsman.profile_page.save_revision().publish()
    created[0].profile_page.get_parent().specific.save_revision().publish()
    by_name = {c.submission.name: c for c in created}
    reward = by_name["王建国"].reward
    reward.status, reward.paid_on, reward.voucher_number = (
        "paid",
        datetime.date(2030, 12, 20),
        "PZ-1",
    )
    reward.save()
    return by_name


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [value for value, _label in R.choices])
def test_each_reason_opens_and_verifies(reason, craftsmen, staff):
    craftsman = craftsmen["丁一"]
    case = open_case(craftsman, reason, "经查实。", by=staff["a"], files=[pdf_file("决定书.pdf")])
    assert case.status == Revocation.CaseStatus.PROPOSED and case.evidence.count() == 1
    craftsman.refresh_from_db()
    assert craftsman.status == Craftsman.Status.ACTIVE  # nothing changes before verification
    verify(case, by=staff["b"])
    craftsman.refresh_from_db()
    assert case.status == Revocation.CaseStatus.VERIFIED
    assert craftsman.status == Craftsman.Status.REVOKED and craftsman.revoked_on is not None
    assert not craftsman.in_talent_directory
    assert not craftsman.profile_page.live
    assert craftsman.reward.status == Reward.PaymentStatus.CANCELLED  # unpaid: cancelled
    with pytest.raises(TransitionNotAllowed, match="已取消"):
        mark_reward_paid(craftsman.reward, datetime.date(2031, 1, 2), "PZ-9", staff["a"])
    assert ModelLogEntry.objects.filter(action="craftsman.revocation_verify").exists()
    assert PageLogEntry.objects.filter(action="wagtail.unpublish").exists()


@pytest.mark.django_db
def test_two_person_rule(craftsmen, staff):
    case = open_case(craftsmen["李明"], R.RELOCATED, "已调离赣州。", by=staff["a"])
    with pytest.raises(TransitionNotAllowed, match="两名不同的工作人员"):
        verify(case, by=staff["a"])
    with pytest.raises(TransitionNotAllowed, match="两名不同的工作人员"):
        reject(case, by=staff["a"], reason="不属实")
    craftsmen["李明"].refresh_from_db()
    assert craftsmen["李明"].status == Craftsman.Status.ACTIVE
    case.refresh_from_db()
    assert case.status == Revocation.CaseStatus.PROPOSED
    with pytest.raises(TransitionNotAllowed, match="理由"):
        reject(case, by=staff["b"], reason=" ")
    reject(case, by=staff["b"], reason="经核实，当事人仍在赣州工作。")
    assert case.status == Revocation.CaseStatus.REJECTED
    craftsmen["李明"].refresh_from_db()
    assert craftsmen["李明"].status == Craftsman.Status.ACTIVE


@pytest.mark.django_db
def test_profile_leaves_directory_and_search(craftsmen, staff, client):
    craftsman = craftsmen["王建国"]
    profile = craftsman.profile_page
    index_url = profile.get_parent().url
    assert "王建国" in client.get(index_url).content.decode()
    assert profile.pk in [p.pk for p in search_pages("王建国")]
    verify(open_case(craftsman, R.PENALTY, "受到刑事处罚。", by=staff["a"]), by=staff["b"])
    assert "王建国" not in client.get(index_url).content.decode()
    assert client.get(profile.url or f"/craftsmen/{profile.slug}/").status_code == 404
    assert profile.pk not in [p.pk for p in search_pages("王建国")]


@pytest.mark.django_db
def test_fraud_clawback_recall_and_referral(craftsmen, staff):
    craftsman = craftsmen["王建国"]
    case = verify(open_case(craftsman, R.FRAUD, "申报材料造假。", by=staff["a"]), by=staff["b"])
    clawback = case.clawback
    assert clawback.amount_due == Decimal("30000.00") and clawback.outstanding == Decimal("30000")
    craftsman.reward.refresh_from_db()
    assert craftsman.reward.status == Reward.PaymentStatus.PAID  # paid: recovered, not cancelled
    record_clawback_payment(case, "10000", datetime.date(2031, 1, 5), staff["a"], note="第一笔")
    record_clawback_payment(case, "5000.50", datetime.date(2031, 2, 5), staff["a"])
    assert clawback.outstanding == Decimal("14999.50")
    with pytest.raises(TransitionNotAllowed, match="超过"):
        record_clawback_payment(case, "15000", datetime.date(2031, 3, 5), staff["a"])
    with pytest.raises(TransitionNotAllowed):
        record_clawback_payment(case, "-1", datetime.date(2031, 3, 5), staff["a"])
    assert clawback.payments.count() == 2
    record_clawback_payment(case, "14999.50", datetime.date(2031, 3, 5), staff["a"])
    assert clawback.outstanding == Decimal("0.00")

    with pytest.raises(TransitionNotAllowed, match="收回日期"):
        record_certificate_recall(case, True, None, staff["a"])
    record_certificate_recall(case, True, datetime.date(2031, 1, 10), staff["a"])
    case.refresh_from_db()
    assert case.certificate_returned and case.certificate_returned_on == datetime.date(2031, 1, 10)

    refer_to_judiciary(case, datetime.date(2031, 1, 15), "移交公安机关。", staff["a"])
    assert case.referred_on == datetime.date(2031, 1, 15)
    with pytest.raises(TransitionNotAllowed, match="已于"):
        refer_to_judiciary(case, datetime.date(2031, 1, 16), "", staff["a"])


@pytest.mark.django_db
def test_recall_and_referral_only_for_fraud(craftsmen, staff):
    case = verify(
        open_case(craftsmen["丁一"], R.MORALITY, "经查实。", by=staff["a"]), by=staff["b"]
    )
    with pytest.raises(TransitionNotAllowed, match="弄虚作假"):
        refer_to_judiciary(case, datetime.date(2031, 1, 15), "", staff["a"])
    with pytest.raises(TransitionNotAllowed, match="弄虚作假"):
        record_certificate_recall(case, True, datetime.date(2031, 1, 15), staff["a"])


@pytest.mark.django_db
def test_reinstatement_needs_a_reason_and_does_not_republish(craftsmen, staff, client):
    craftsman = craftsmen["丁一"]
    case = verify(open_case(craftsman, R.SPEECH, "不当言论。", by=staff["a"]), by=staff["b"])
    with pytest.raises(TransitionNotAllowed, match="理由"):
        reinstate(craftsman, "", by=staff["a"])
    craftsman.refresh_from_db()
    assert craftsman.status == Craftsman.Status.REVOKED
    verified_login(client, staff["a"])
    response = client.post(
        reverse("craftsman_revocation:case", args=[case.pk]),
        {"action": "reinstate", "reason": "处罚决定已被依法撤销。"},
        follow=True,
    )
    assert "不会自动重新发布" in response.content.decode()
    craftsman.refresh_from_db()
    assert craftsman.status == Craftsman.Status.ACTIVE and craftsman.in_talent_directory
    assert not craftsman.profile_page.live
    case.refresh_from_db()
    assert case.status == Revocation.CaseStatus.REINSTATED
    assert case.reinstatement_reason == "处罚决定已被依法撤销。"
    assert ModelLogEntry.objects.filter(action="craftsman.reinstate").exists()


@pytest.mark.django_db
def test_admin_case_screens_and_evidence(craftsmen, staff, client):
    verified_login(client, staff["a"])
    url = reverse("craftsman_revocation:cases")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "craftsman": craftsmen["李明"].pk,
            "reason": R.RELOCATED,
            "facts": "已调离赣州。",
            "evidence": SimpleUploadedFile("调令.pdf", PDF_BYTES),
        },
    )
    case = Revocation.objects.get()
    assert response.status_code == 302
    evidence = case.evidence.get()
    download = reverse("craftsman_revocation:evidence", args=[evidence.pk])
    assert b"".join(client.get(download).streaming_content).startswith(b"%PDF")
    # The same person cannot verify: a clear message, nothing changes.
    response = client.post(
        reverse("craftsman_revocation:case", args=[case.pk]), {"action": "verify"}, follow=True
    )
    assert "两名不同的工作人员" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Revocation.CaseStatus.PROPOSED
    bad = client.post(
        url,
        {
            "craftsman": craftsmen["丁一"].pk,
            "reason": R.OTHER,
            "facts": "x",
            "evidence": SimpleUploadedFile("a.pdf", b"MZ not a pdf"),
        },
        follow=True,
    )
    assert "文件类型不符" in bad.content.decode() and Revocation.objects.count() == 1
    verified_login(client, staff["b"])
    client.post(reverse("craftsman_revocation:case", args=[case.pk]), {"action": "verify"})
    case.refresh_from_db()
    assert case.status == Revocation.CaseStatus.VERIFIED
    for user in (staff["finance"], staff["observer"]):
        verified_login(client, user)
        assert client.get(download).status_code == 404
        assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_benefits_and_not_yet_offered(craftsmen, staff, client):
    record_benefit(
        craftsmen["王建国"], Benefit.Kind.TRAINING, datetime.date(2031, 3, 1), staff["a"], "已参加"
    )
    assert set(c.submission.name for c in without_benefit()) == {"丁一", "李明"}
    verify(open_case(craftsmen["李明"], R.RELOCATED, "调离。", by=staff["a"]), by=staff["b"])
    assert [c.submission.name for c in without_benefit()] == ["丁一"]  # revoked: no benefits
    with pytest.raises(TransitionNotAllowed, match="不再享受"):
        record_benefit(craftsmen["李明"], Benefit.Kind.EXCHANGE, datetime.date(2031, 3, 1), None)
    verified_login(client, staff["a"])
    url = reverse("craftsman_revocation:benefits")
    client.post(
        url,
        {
            "craftsman": craftsmen["丁一"].pk,
            "kind": "studio",
            "date": "2031-04-01",
            "outcome": "认定",
        },
    )
    assert Benefit.objects.filter(craftsman=craftsmen["丁一"], kind="studio").exists()
    html = client.get(url + "?pending=1").content.decode()
    assert "技能大师工作室认定" in html
    verified_login(client, staff["finance"])
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_finance_sees_rewards_and_nothing_else(
    craftsmen, staff, client, django_assert_max_num_queries
):
    finance = staff["finance"]
    verified_login(client, finance)
    dashboard = client.get("/admin/").content.decode()
    # The sidebar is JSON for the admin's script: look for the menu items' URLs.
    assert reverse("craftsman_revocation:rewards") in dashboard
    assert reverse("craftsman_revocation:cases") not in dashboard
    url = reverse("craftsman_revocation:rewards")
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    wang = craftsmen["王建国"]
    assert wang.certificate_number in html and "30000.00" in html and "PZ-1" in html
    for craftsman in craftsmen.values():
        assert craftsman.submission.id_number not in html
        assert craftsman.submission.mobile not in html
    pending = craftsmen["丁一"].reward
    client.post(url, {"reward": pending.pk, "paid_on": "2031-01-02", "voucher_number": "CZ-9"})
    pending.refresh_from_db()
    assert pending.status == Reward.PaymentStatus.PAID and pending.voucher_number == "CZ-9"
    # Submissions, their inspect views and attachments stay out of reach.
    submission = wang.submission
    attachment = submission.attachments.filter(kind=SubmissionAttachment.Kind.PHOTO).first()
    assert client.get(reverse("craftsman_submissions:index")).status_code in (200, 302, 403)
    index = client.get(reverse("craftsman_submissions:index"))
    if index.status_code == 200:
        assert (
            submission.id_number not in index.content.decode()
            and "王建国" not in index.content.decode()
        )
    assert client.get(
        reverse("craftsman_submissions:inspect", args=[submission.pk])
    ).status_code in (302, 403, 404)
    if attachment is not None:
        assert client.get(
            reverse("craftsman_submissions:attachment", args=[attachment.pk])
        ).status_code in (302, 403, 404)
    assert client.get(reverse("craftsman_conferral:certificate", args=[wang.pk])).status_code == 404
    assert client.get(reverse("craftsman_revocation:results")).status_code in (302, 403)
    assert client.get(reverse("craftsman_revocation:benefits")).status_code in (302, 403)


@pytest.mark.django_db
def test_observer_reads_results_only(craftsmen, staff, client, django_assert_max_num_queries):
    verify(open_case(craftsmen["李明"], R.RELOCATED, "调离。", by=staff["a"]), by=staff["b"])
    verified_login(client, staff["observer"])
    dashboard = client.get("/admin/").content.decode()
    assert reverse("craftsman_revocation:results") in dashboard
    assert reverse("craftsman_revocation:rewards") not in dashboard
    with django_assert_max_num_queries(26):  # +1: the session's two-factor device
        response = client.get(reverse("craftsman_revocation:results"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "现有“赣州工匠” 2 名" in html and "章贡区人社局" in html and "已撤销" in html
    assert "赣州稀金科技有限公司" in html and "稀土冶炼工" in html
    for craftsman in craftsmen.values():
        assert craftsman.submission.id_number not in html
        assert craftsman.submission.mobile not in html
    assert client.post(reverse("craftsman_revocation:results")).status_code in (200, 405)
    assert client.get(reverse("craftsman_revocation:rewards")).status_code in (302, 403)
    submission = craftsmen["王建国"].submission
    assert client.get(
        reverse("craftsman_submissions:inspect", args=[submission.pk])
    ).status_code in (302, 403, 404)
    client.post(
        reverse("craftsman_revocation:rewards"),
        {"reward": craftsmen["丁一"].reward.pk, "paid_on": "2031-01-02", "voucher_number": "X"},
    )
    assert (
        craftsmen["丁一"].reward.__class__.objects.get(pk=craftsmen["丁一"].reward.pk).status
        == "pending"
    )


@pytest.mark.django_db
def test_scoping_returns_nothing_for_organisers(craftsmen, staff):
    from craftsman.models import Submission

    for user in (staff["finance"], staff["observer"]):
        assert not Submission.objects.for_user(user).exists()
        assert not Craftsman.objects.for_user(user).exists()
        assert not Revocation.objects.for_user(user).exists()


@pytest.mark.django_db
def test_demo_revocation(demo, client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    revoked = Craftsman.objects.get(title_year=2024, status=Craftsman.Status.REVOKED)
    case = revoked.revocations.get()
    assert case.reason == R.RELOCATED and case.status == Revocation.CaseStatus.VERIFIED
    assert case.proposed_by.username == "bureau" and case.decided_by.username == "bureau2"
    assert revoked.profile_page is None or not revoked.profile_page.live
    assert Benefit.objects.count() >= 3
    User = get_user_model()
    for username in ("finance1", "talent1", "bureau2"):
        assert User.objects.get(username=username).check_password("Gzgj@2025demo")
    verified_login(client, User.objects.get(username="finance1"))
    assert client.get(reverse("craftsman_revocation:rewards")).status_code == 200
    verified_login(client, User.objects.get(username="talent1"))
    assert client.get(reverse("craftsman_revocation:results")).status_code == 200
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Revocation.objects.count() == 1 and Benefit.objects.count() == 3
