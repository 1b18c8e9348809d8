"""The online application (申报): accounts, steps with drafts, attachments, eligibility,
submission inside the window, status timeline, correction and resubmission, file access."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from craftsman.models import (
    CompetitionResult,
    Honour,
    Status,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)
from craftsman.validators import make_resident_id
from website.roles import group_for
from website.security.testing import password_login

PASSWORD = "Gz-craft-2026!"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NO_FEE = "“赣州工匠”培养选拔不收取任何费用"


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (12, 16), "white").save(out, format="PNG")
    return out.getvalue()


# --- helpers -------------------------------------------------------------------------


def _id(sequence=301):
    return make_resident_id("360702", datetime.date(1982, 3, 9), sequence)


def step_url(submission, number):
    return reverse("apply:step", args=[submission.pk, number])


def person_data(**overrides):
    data = {
        "name": "赖春生",
        "id_number": _id(),
        "gender": "",
        "ethnicity": "汉族",
        "mobile": "13907970001",
        "email": "lai@example.com",
        "education": "college",
    }
    data.update(overrides)
    return data


def work_data(industry, **overrides):
    data = {
        "employer": "赣州稀金科技有限公司",
        "work_area": "360702",
        "work_address": "章贡区工业园",
        "industry": str(industry.pk),
        "occupation": "稀土冶炼工",
        "years_in_trade": "18",
        "certificate_type": "skill_level",
        "skill_level": "5",
        "certificate_number": "S2021360700123",
        "certificate_issuer": "赣州市职业技能鉴定中心",
        "certificate_date": "2021-06-01",
    }
    data.update(overrides)
    return data


def formset_management(prefix, total=1, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }


def conditions_data(**overrides):
    year = timezone.localdate().year
    data = {
        "condition_1": "掌握稀土萃取分离关键工序，在本单位工艺实施中处于不可替代的地位。",
        "condition_3": "带领班组攻克萃取槽结晶难题，近三年带徒 6 人。",
        "apprentices_count": "6",
        "mentoring": "参加“名师带徒”活动。",
        "patents": "实用新型专利 1 项。",
        "standards": "",
        "achievements": "长期扎根生产一线，改进萃取工艺，使产品合格率提高 3 个百分点。",
        **formset_management("competitions"),
        "competitions-0-name": "江西省职业技能大赛",
        "competitions-0-level": "provincial_1",
        "competitions-0-rank": "4",
        "competitions-0-year": str(year - 1),
        **formset_management("honours"),
        "honours-0-kind": "county_craftsman",
        "honours-0-title": "章贡工匠",
        "honours-0-level": "county",
        "honours-0-awarded_by": "章贡区人民政府",
        "honours-0-year": str(year - 1),
    }
    data.update(overrides)
    return data


def attachment_files():
    return {
        "id_copy": SimpleUploadedFile("身份证.pdf", PDF_BYTES),
        "certificate": SimpleUploadedFile("证书.pdf", PDF_BYTES),
        "award_proof": SimpleUploadedFile("获奖.png", png_bytes()),
        "photo": SimpleUploadedFile("照片.png", png_bytes()),
        "employer_opinion": SimpleUploadedFile("单位意见.pdf", PDF_BYTES),
    }


def pledge_data(unit, **overrides):
    data = {
        "in_national_talent_programme": "no",
        "in_double_thousand_plan": "no",
        "in_double_high_project": "no",
        "in_talent_directory_d": "no",
        "has_criminal_record": "no",
        "ip_infringement_investigated": "no",
        "serious_misconduct": "no",
        "declarations_confirmed": "on",
        "integrity_pledge": "on",
        "publication_consent": "on",
        "recommending_unit": str(unit.pk),
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.fixture
def applicant(users, client):
    client.force_login(users["applicant"])
    return users["applicant"]


@pytest.fixture
def draft(make_submission, users):
    """A complete, eligible draft of ``users['applicant']`` (declarations not yet made)."""
    return make_submission(
        declarations_confirmed_at=None, integrity_pledge_at=None, publication_consent_at=None
    )


def submit(client, submission, unit, **overrides):
    return client.post(step_url(submission, 5), pledge_data(unit, **overrides), follow=True)


def page_text(response):
    return response.content.decode()


# --- accounts --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["bureau", "zhanggong", "expert"])
def test_staff_accounts_cannot_apply_online(client, users, role):
    client.force_login(users[role])
    for url in (reverse("apply:dashboard"), reverse("apply:new")):
        response = client.get(url)
        assert response.status_code == 403
        assert "工作人员账号不能用于个人申报" in page_text(response)
        assert 'href="/apply/">我的申报' not in page_text(response)  # it would lead back here
    before = Submission.objects.count()
    assert client.post(reverse("apply:new")).status_code == 403
    assert Submission.objects.count() == before


def test_an_applicant_sees_the_link_to_their_applications(client, applicant):
    assert 'href="/apply/">我的申报' in page_text(client.get(reverse("apply:dashboard")))


def test_applicant_login_refuses_a_staff_account_with_a_pointer_to_the_admin(client, users):
    users["zhanggong"].set_password(PASSWORD)
    users["zhanggong"].save()
    response = client.post(
        reverse("apply:login"), {"username": "t_zhanggong", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "这是工作人员账号，请从管理后台登录" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_register_with_mobile_number_logs_in_as_applicant(client, db):
    response = client.post(
        reverse("apply:register"),
        {"identifier": "139 0797 0002", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("apply:dashboard")
    user = get_user_model().objects.get(username="13907970002")
    assert user.groups.filter(pk=group_for("applicant").pk).exists()
    assert not user.is_staff and not user.has_perm("wagtailadmin.access_admin")
    assert client.get(reverse("apply:dashboard")).status_code == 200
    # No admin access for an applicant.
    assert client.get("/admin/").status_code == 302


def test_register_with_email(client, db):
    response = client.post(
        reverse("apply:register"),
        {"identifier": "Worker@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="worker@example.com")
    assert user.email == "worker@example.com"


@pytest.mark.parametrize(
    ("password", "message"),
    [("12345678", "密码"), ("abc", "密码"), ("password", "密码")],
)
def test_register_refuses_a_weak_password(client, db, password, message):
    response = client.post(
        reverse("apply:register"),
        {"identifier": "13907970003", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="13907970003").exists()
    html = page_text(response)
    assert "注册未成功" in html
    assert 'aria-invalid="true"' in html


def test_register_refuses_mismatched_passwords_and_bad_identifiers(client, db):
    response = client.post(
        reverse("apply:register"),
        {"identifier": "12345", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    html = page_text(response)
    assert "请输入 11 位手机号码或有效的电子邮箱地址" in html
    assert "两次输入的密码不一致" in html
    assert get_user_model().objects.count() == 0


def test_register_refuses_a_duplicate_mobile_number(client, db):
    get_user_model().objects.create_user("13907970004", password=PASSWORD)
    response = client.post(
        reverse("apply:register"),
        {"identifier": "+86 13907970004", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "已注册，请直接登录" in page_text(response)
    assert get_user_model().objects.filter(username="13907970004").count() == 1


def test_login_and_logout(client, db):
    get_user_model().objects.create_user("13907970005", password=PASSWORD)
    page = client.get(reverse("apply:login"))
    assert "申报人登录" in page_text(page)
    bad = client.post(reverse("apply:login"), {"username": "13907970005", "password": "wrong"})
    assert "手机号码（邮箱）或密码不正确" in page_text(bad)
    good = client.post(reverse("apply:login"), {"username": "13907970005", "password": PASSWORD})
    assert good.status_code == 302 and good.url == reverse("apply:dashboard")
    out = client.post(reverse("apply:logout"))
    assert out.status_code == 302
    assert client.get(reverse("apply:dashboard")).status_code == 302


def test_pages_need_login(client, db):
    response = client.get(reverse("apply:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("apply:login"))


# --- the whole journey -------------------------------------------------------------------


def test_full_journey_to_submission(
    client, applicant, open_round, units, industry, mailoutbox, django_capture_on_commit_callbacks
):
    dashboard = client.get(reverse("apply:dashboard"))
    assert "开始填写申报" in page_text(dashboard)
    assert NO_FEE in page_text(dashboard)

    # Step 1 creates the draft.
    response = client.post(reverse("apply:new"), {**person_data(), "action": "next"})
    submission = Submission.objects.get(applicant=applicant)
    assert response.status_code == 302 and response.url == step_url(submission, 2)
    assert submission.status == Status.DRAFT and submission.round == open_round
    assert submission.gender == "M"  # from the ID number

    response = client.post(step_url(submission, 2), {**work_data(industry), "action": "next"})
    assert response.url == step_url(submission, 3)

    step3 = client.get(step_url(submission, 3))
    assert "competitions-TOTAL_FORMS" in page_text(step3)
    response = client.post(step_url(submission, 3), {**conditions_data(), "action": "next"})
    assert response.status_code == 302, page_text(response)
    assert response.url == step_url(submission, 4)
    assert CompetitionResult.objects.filter(submission=submission, rank=4).exists()
    assert Honour.objects.filter(submission=submission, kind="county_craftsman").exists()

    response = client.post(step_url(submission, 4), {**attachment_files(), "action": "next"})
    assert response.status_code == 302, page_text(response)
    assert response.url == step_url(submission, 5)
    assert submission.attachments.count() == 5

    preview = page_text(client.get(step_url(submission, 5)))
    assert "资格自查" in preview
    assert "赖春生" in preview and "章贡工匠" in preview
    assert NO_FEE in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, submission, units["zhanggong"])
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert submission.recommending_unit == units["zhanggong"]
    assert submission.receipt_number == f"GZGJ{open_round.year}{submission.pk:06d}"
    assert submission.integrity_pledge_at and submission.publication_consent_at
    html = page_text(response)
    assert response.redirect_chain[-1][0] == reverse("apply:status", args=[submission.pk])
    assert submission.receipt_number in html
    assert "已提交" in html
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lai@example.com"]
    assert submission.receipt_number in mailoutbox[0].subject
    # Submitted: no more editing.
    refused = client.get(step_url(submission, 1), follow=True)
    assert "不能修改" in page_text(refused)


def test_draft_is_saved_and_resumed(client, applicant, open_round, industry):
    # 保存草稿 lets required fields stay empty.
    client.post(reverse("apply:new"), {**person_data(mobile="", email=""), "action": "save"})
    submission = Submission.objects.get(applicant=applicant)
    response = client.post(
        step_url(submission, 2), {"employer": "赣州稀金科技有限公司", "action": "save"}
    )
    assert response.status_code == 302 and response.url == step_url(submission, 2)
    # Logging out and in again: the draft is still there, with what was typed.
    client.logout()
    client.force_login(applicant)
    dashboard = page_text(client.get(reverse("apply:dashboard")))
    assert "继续填写" in dashboard and "草稿" in dashboard
    page = page_text(client.get(step_url(submission, 2)))
    assert 'value="赣州稀金科技有限公司"' in page
    # 下一步 asks for the step's required fields.
    response = client.post(
        step_url(submission, 2), {"employer": "赣州稀金科技有限公司", "action": "next"}
    )
    assert response.status_code == 200
    assert "请填写职业（工种）。" in page_text(response)
    # Starting again goes to the existing application.
    again = client.get(reverse("apply:new"))
    assert again.status_code == 302
    assert Submission.objects.filter(applicant=applicant).count() == 1


def test_a_second_application_by_the_same_id_number_gets_a_clear_message(
    client, make_submission, users, open_round
):
    first = make_submission(applicant=users["other_applicant"])
    client.force_login(users["applicant"])
    response = client.post(
        reverse("apply:new"), {**person_data(id_number=first.id_number), "action": "save"}
    )
    assert response.status_code == 200
    assert "该身份证号在本年度已有申报" in page_text(response)
    assert Submission.objects.filter(round=open_round).count() == 1


def test_lowercase_x_in_the_id_number_is_the_same_person(
    client, make_submission, users, open_round
):
    id_number = make_resident_id("360702", datetime.date(1990, 1, 1), 12)
    while not id_number.endswith("X"):
        id_number = make_resident_id("360702", datetime.date(1990, 1, 1), int(id_number[14:17]) + 1)
    make_submission(applicant=users["other_applicant"], id_number=id_number)
    client.force_login(users["applicant"])
    response = client.post(
        reverse("apply:new"),
        {**person_data(id_number=id_number.lower()), "action": "save"},
    )
    assert "该身份证号在本年度已有申报" in page_text(response)


# --- the window ---------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["before", "after"])
def test_submitting_outside_the_window_is_refused_and_nothing_changes(
    client, applicant, draft, units, open_round, mailoutbox, when
):
    now = timezone.now()
    if when == "before":
        open_round.opens_at = now + datetime.timedelta(days=1)
        open_round.closes_at = now + datetime.timedelta(days=30)
    else:
        open_round.opens_at = now - datetime.timedelta(days=30)
        open_round.closes_at = now - datetime.timedelta(minutes=1)
    open_round.save()
    before = Submission.objects.filter(pk=draft.pk).values().get()
    response = submit(client, draft, units["ruijin"])
    html = page_text(response)
    assert "申报尚未开始" in html if when == "before" else "截止" in html
    after = Submission.objects.filter(pk=draft.pk).values().get()
    assert after == before
    assert after["recommending_unit_id"] == units["zhanggong"].pk
    assert after["integrity_pledge_at"] is None
    assert not SubmissionEvent.objects.filter(submission=draft).exists()
    assert mailoutbox == []


def test_round_not_open_means_no_new_application(client, applicant, open_round):
    open_round.status = open_round.Status.REVIEWING
    open_round.save()
    response = client.get(reverse("apply:new"), follow=True)
    assert "当前没有正在接受申报的选拔年度" in page_text(response)
    response = client.post(reverse("apply:new"), {**person_data(), "action": "save"})
    assert not Submission.objects.exists()


# --- eligibility ------------------------------------------------------------------------------


def test_hard_eligibility_failure_blocks_submission(client, applicant, draft, units):
    # Declaring an article 6 exclusion is a hard failure: refused, nothing saved.
    response = submit(client, draft, units["zhanggong"], in_national_talent_programme="yes")
    html = page_text(response)
    assert "不符合申报条件，不能提交" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.in_national_talent_programme is False
    assert draft.receipt_number is None


def test_missing_achievements_are_shown_before_submitting_and_block_it(
    client, applicant, make_submission, units
):
    submission = make_submission(achievements="", declarations_confirmed_at=None)
    preview = page_text(client.get(step_url(submission, 5)))
    assert "请填写主要业绩和贡献" in preview
    assert "暂不能提交" in preview
    assert 'value="submit"' not in preview
    response = submit(client, submission, units["zhanggong"])
    assert "不符合申报条件，不能提交" in page_text(response)
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT


def test_pledge_and_consent_are_required_to_submit(client, applicant, draft, units):
    response = client.post(
        step_url(draft, 5),
        pledge_data(units["zhanggong"], integrity_pledge="", publication_consent=""),
    )
    html = page_text(response)
    assert "请阅读并签署诚信承诺" in html
    assert "须单独同意后才能提交" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- attachments ---------------------------------------------------------------------------------


def test_a_disguised_file_is_refused_and_nothing_is_saved(client, applicant, make_submission):
    submission = make_submission(attachments=False)
    files = attachment_files()
    files["certificate"] = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 this is an exe")
    response = client.post(step_url(submission, 4), {**files, "action": "save"})
    assert response.status_code == 200
    assert "文件类型不符" in page_text(response)
    assert not SubmissionAttachment.objects.filter(submission=submission).exists()


def test_photo_must_be_an_image(client, applicant, make_submission):
    submission = make_submission(attachments=False)
    response = client.post(
        step_url(submission, 4),
        {"photo": SimpleUploadedFile("照片.pdf", PDF_BYTES), "action": "save"},
    )
    assert "只接受 JPG、PNG 文件" in page_text(response)
    assert not submission.attachments.exists()


def test_a_new_photo_replaces_the_old_one(client, applicant, make_submission):
    submission = make_submission()
    old = submission.attachments.get(kind="photo")
    client.post(
        step_url(submission, 4),
        {"photo": SimpleUploadedFile("新照片.png", png_bytes()), "action": "save"},
    )
    photos = list(submission.attachments.filter(kind="photo"))
    assert len(photos) == 1 and photos[0].pk != old.pk
    assert photos[0].original_name == "新照片.png"


def test_next_needs_the_required_attachments(client, applicant, make_submission):
    submission = make_submission(attachments=False)
    response = client.post(step_url(submission, 4), {"action": "next"})
    assert response.status_code == 200
    assert "请上传身份证复印件" in page_text(response)


def test_attachment_download_is_permission_checked(client, make_submission, users):
    own = make_submission()
    other = make_submission(
        applicant=users["other_applicant"],
        id_number=make_resident_id("360781", datetime.date(1979, 2, 2), 555),
    )
    own_file = own.attachments.first()
    other_file = other.attachments.first()
    url = reverse("apply:attachment", args=[own_file.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("apply:login"))

    client.force_login(users["applicant"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("apply:attachment", args=[other_file.pk])).status_code == 404
    # Not deletable by someone else either.
    response = client.post(reverse("apply:delete_attachment", args=[other_file.pk]))
    assert response.status_code == 404
    assert SubmissionAttachment.objects.filter(pk=other_file.pk).exists()
    # Private storage has no public URL.
    with pytest.raises(NotImplementedError):
        own_file.file.url  # noqa: B018


def test_delete_own_attachment_in_a_draft(client, applicant, make_submission):
    submission = make_submission()
    item = submission.attachments.get(kind="certificate")
    response = client.post(reverse("apply:delete_attachment", args=[item.pk]))
    assert response.status_code == 302
    assert not SubmissionAttachment.objects.filter(pk=item.pk).exists()


# --- status, return, resubmit -----------------------------------------------------------------------


def test_returned_submission_is_edited_and_resubmitted(
    client, applicant, submitted, users, units, mailoutbox, django_capture_on_commit_callbacks
):
    comment = "请补充近三年主要业绩证明材料（加盖单位公章）。"
    submitted.return_for_correction(by=users["zhanggong"], comment=comment)
    status = page_text(client.get(reverse("apply:status", args=[submitted.pk])))
    assert "退回补正" in status
    assert comment in status
    assert "章贡区人社局" in status
    assert "t_zhanggong" not in status  # the unit, never the staff member's name
    assert "修改并重新提交" in status

    response = client.post(
        step_url(submitted, 3),
        {
            **conditions_data(achievements="补充：2024 年主持萃取线改造，年节约成本 80 万元。"),
            **formset_management("competitions", total=1),
            **{f"competitions-0-{k}": "" for k in ("name", "level", "rank", "year")},
            **formset_management("honours", total=1),
            **{f"honours-0-{k}": "" for k in ("title", "level", "awarded_by", "year")},
            "honours-0-kind": "other",  # the select's default: an untouched empty row
            "action": "save",
        },
    )
    assert response.status_code == 302, page_text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, submitted, units["zhanggong"])
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert "80 万元" in submitted.achievements
    html = page_text(response)
    actions = list(submitted.events.values_list("action", flat=True))
    assert actions == ["submit", "return", "submit"]
    assert html.count("提交申报") >= 2
    assert mailoutbox and submitted.receipt_number in mailoutbox[-1].subject


def test_withdraw_inside_the_window(client, applicant, submitted):
    response = client.post(reverse("apply:withdraw", args=[submitted.pk]), follow=True)
    assert "申报已撤回" in page_text(response)
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT


def test_another_applicants_submission_is_404(client, make_submission, users):
    other = make_submission(applicant=users["other_applicant"])
    client.force_login(users["applicant"])
    for url in [
        reverse("apply:status", args=[other.pk]),
        step_url(other, 1),
        step_url(other, 5),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(step_url(other, 1), person_data()).status_code == 404
    assert client.post(reverse("apply:withdraw", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.name == "王建国"


def test_dashboard_lists_only_own_submissions(client, make_submission, users):
    make_submission(applicant=users["other_applicant"], name="李丽萍")
    make_submission(
        name="王建国", id_number=make_resident_id("360702", datetime.date(1975, 7, 7), 777)
    )
    client.force_login(users["applicant"])
    html = page_text(client.get(reverse("apply:dashboard")))
    assert "王建国" in html and "李丽萍" not in html


# --- robustness ------------------------------------------------------------------------------------


def test_no_fee_statement_on_every_application_page(client, applicant, draft):
    for url in [
        reverse("apply:dashboard"),
        reverse("apply:status", args=[draft.pk]),
        *[step_url(draft, n) for n in range(1, 6)],
    ]:
        html = page_text(client.get(url))
        assert NO_FEE in html, url
        assert "第十三条" in html
        assert not re.search(r"(缴费|报名费|评审费|支付宝|微信支付)", html), url
    client.logout()
    for url in [reverse("apply:register"), reverse("apply:login")]:
        assert NO_FEE in page_text(client.get(url))


def test_junk_posts_never_cause_a_server_error(client, applicant, draft, units):
    junk = [
        {},
        {"action": "next"},
        {"action": "submit"},
        {"action": "bogus", "name": "x" * 5000, "id_number": "1" * 300},
        {"name": "张三", "id_number": "abc", "mobile": "not-a-number", "action": "next"},
        {"years_in_trade": "many", "certificate_date": "2099-99-99", "industry": "999999"},
        {"apprentices_count": "-5", "achievements": "字" * 2500, "action": "next"},
        {"competitions-TOTAL_FORMS": "9999", "competitions-INITIAL_FORMS": "x"},
        {"recommending_unit": "not-a-pk", "has_criminal_record": "maybe", "action": "submit"},
        {"photo": "not a file", "action": "next"},
    ]
    for number in range(1, 6):
        for data in junk:
            response = client.post(step_url(draft, number), data)
            assert response.status_code in (200, 302), (number, data)
    for data in junk:
        assert client.post(reverse("apply:new"), data).status_code in (200, 302)
    client.logout()
    for data in junk:
        assert client.post(reverse("apply:register"), data).status_code == 200
        assert client.post(reverse("apply:login"), data).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_overlong_achievements_get_a_message(client, applicant, draft):
    response = client.post(
        step_url(draft, 3), {**conditions_data(achievements="字" * 2001), "action": "save"}
    )
    assert response.status_code == 200
    assert "2000" in page_text(response)
    draft.refresh_from_db()
    assert len(draft.achievements) < 2000


def test_forms_are_accessible(client, applicant, draft):
    response = client.post(step_url(draft, 1), {"name": "", "id_number": "123", "action": "next"})
    html = page_text(response)
    assert 'role="alert"' in html
    assert 'aria-describedby="id_id_number_helptext id_id_number_error"' in html
    assert 'aria-current="step"' in html
    assert '<label for="id_name"' in html
    assert 'name="csrfmiddlewaretoken"' in html


# --- the public site's hooks ---------------------------------------------------------------------


def test_nav_home_panel_and_open_call_link(client, home):
    html = page_text(client.get("/"))
    assert '<a href="/apply/">在线申报</a>' in html
    assert "home-round-panel" in html
    assert "2026年度“赣州工匠”培养选拔" in html
    from publications.models.open_calls import OpenCallPage

    call = OpenCallPage.objects.live().get(year=2026)
    assert {"title": "在线申报", "url": "/apply/"} in call.actions(None)
    call_html = page_text(client.get(call.url))
    assert '<a class="button" href="/apply/">在线申报</a>' in call_html
    closed = OpenCallPage.objects.live().get(year=2025)
    assert closed.actions(None) == []


def test_demo_applicant_can_log_in_and_see_the_open_round(client, demo):
    assert password_login(client, "applicant1", "Gzgj@2025demo")
    html = page_text(client.get(reverse("apply:dashboard")))
    assert "我的申报" in html


# --- 代录纸质申报 (paper entry by unit staff) -----------------------------------------------------


def paper_data(industry, unit, **overrides):
    data = {}
    for prefix, values in [
        ("person", person_data(email="paper@example.com")),
        ("work", work_data(industry)),
    ]:
        data.update({f"{prefix}-{key}": value for key, value in values.items()})
    conditions = conditions_data()
    for key, value in conditions.items():
        if key.startswith(("competitions-", "honours-")):
            data[key] = value
        else:
            data[f"conditions-{key}"] = value
    pledge = pledge_data(unit)
    pledge.pop("action")
    data.update({f"pledge-{key}": value for key, value in pledge.items()})
    files = {f"files-{key}": value for key, value in attachment_files().items()}
    data.update(files)
    data.update(overrides)
    return data


def test_unit_staff_enter_a_paper_application(
    client, users, units, industry, open_round, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(users["zhanggong"])
    url = reverse("craftsman_paper_entry")
    page = client.get(url)
    assert page.status_code == 200
    assert "代录纸质申报" in page_text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {**paper_data(industry, units["zhanggong"]), "action": "submit"}
        )
    assert response.status_code == 302, page_text(response)
    submission = Submission.objects.get(name="赖春生")
    assert submission.entered_by == users["zhanggong"]
    assert submission.applicant is None
    assert submission.recommending_unit == units["zhanggong"]
    assert submission.status == Status.SUBMITTED and submission.receipt_number
    assert submission.attachments.count() == 5
    assert submission.honours.count() == 1
    assert mailoutbox and mailoutbox[0].to == ["paper@example.com"]
    # The staff member sees it in the admin.
    inspect = client.get(reverse("craftsman_submissions:inspect", args=[submission.pk]))
    assert inspect.status_code == 200


def test_paper_entry_is_limited_to_the_staff_members_unit(
    client, users, units, industry, open_round
):
    client.force_login(users["zhanggong"])
    response = client.post(
        reverse("craftsman_paper_entry"),
        {**paper_data(industry, units["ruijin"]), "action": "save"},
    )
    assert response.status_code == 200
    assert "所选推荐单位不存在或已停用" in page_text(response)
    assert not Submission.objects.exists()


def test_paper_entry_is_not_for_applicants_or_experts(client, users, open_round):
    url = reverse("craftsman_paper_entry")
    client.force_login(users["applicant"])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(users["expert"])
    response = client.get(url)  # Wagtail turns PermissionDenied into a redirect home
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.post(url, {"action": "submit"}).status_code == 302
    assert not Submission.objects.exists()


def test_dashboard_and_status_pages_make_few_queries(
    client, applicant, make_submission, django_assert_max_num_queries
):
    submissions = [
        make_submission(
            id_number=make_resident_id("360702", datetime.date(1970 + n, 1, 1), 101 + 2 * n)
        )
        for n in range(3)
    ]
    with django_assert_max_num_queries(12):
        assert client.get(reverse("apply:dashboard")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("apply:status", args=[submissions[0].pk])).status_code == 200
