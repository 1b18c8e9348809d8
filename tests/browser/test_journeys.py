"""The platform's main journeys, driven in headless Chromium through the real pages, with a
screenshot of every step at 375 px and 1280 px (``artifacts/browser/``).

Preconditions a journey does not itself walk through (a submission already waiting at the
county, say) come from the demo content or are set up through the models."""

import datetime
import io
import re

import pytest
from PIL import Image

from tests.browser.conftest import admin_login, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The live server's request threads close the shared in-memory SQLite connection on
    # the way out, which Django refuses (harmlessly) from another thread.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]

PASSWORD = "Gz-craft-2026!"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (12, 16), "white").save(out, format="PNG")
    return out.getvalue()


def upload(name, content, mime):
    return {"name": name, "mimeType": mime, "buffer": content}


def pdf(name):
    return upload(name, PDF_BYTES, "application/pdf")


def png(name):
    return upload(name, png_bytes(), "image/png")


# --- 1. a reader ---------------------------------------------------------------------------


def test_reader_reads_the_policy_searches_and_opens_a_notice(page, shoot):
    page.goto("/")
    shoot(page, "home")
    page.goto("/policy/measures/")
    shoot(page, "policy")
    page.locator(".toc a[href='#article-6']").click()
    assert page.url.endswith("#article-6")
    heading = page.locator("#article-6 h3")
    assert heading.inner_text() == "第六条"
    assert heading.is_visible() and heading.evaluate(
        "h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    shoot(page, "article-6")

    page.fill("#site-search", "不收取任何费用")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/search/" in page.url
    result = page.get_by_role("link", name=re.compile("不收取任何费用的公告"))
    assert result.count() >= 1
    shoot(page, "search")
    result.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/notices/no-fees/")
    assert "不收取任何费用" in page.locator("h1").inner_text()
    shoot(page, "notice")


# --- 2. a citizen ----------------------------------------------------------------------------


def open_and_closed_publicity():
    from publications.models import PublicityNoticePage

    pages = list(PublicityNoticePage.objects.live().order_by("pk"))
    return (
        next(p for p in pages if p.is_open() and p.entries.exists()),
        next(p for p in pages if not p.is_open() and p.state() == "closed"),
    )


def test_citizen_objects_on_an_open_publicity_list_and_not_on_a_closed_one(page, shoot):
    open_notice, closed_notice = open_and_closed_publicity()
    page.goto(open_notice.url)
    shoot(page, "open-publicity")
    page.get_by_role("link", name="在线提交异议").click()
    page.wait_for_load_state()
    form = page.locator("form.objection-form")
    form.locator("input[name=objector_type][value=person]").check()
    form.locator("[name=real_name]").fill("林晓东")
    form.locator("[name=phone]").fill("139 0797 0001")
    form.locator("[name=entry]").select_option(index=1)
    form.locator("[name=content]").fill("该同志申报材料所列获奖情况与实际不符，请予核实。")
    form.locator("[name=pledge]").check()
    shoot(page, "objection-filled")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    receipt = page.locator(".receipt-number")
    assert re.fullmatch(r"\S{6,}", receipt.inner_text().strip())
    shoot(page, "objection-receipt")

    page.goto(closed_notice.url)
    assert not page.locator("form.objection-form").count()
    assert "公示期已结束，在线提交已关闭" in page.locator("#objection").inner_text()
    shoot(page, "closed-publicity")


# --- 3. an applicant ---------------------------------------------------------------------------


def choose(form, name, value=None):
    """Select by value in a <select>, or check the radio button with that value."""
    field = form.locator(f"[name={name}]").first
    if field.evaluate("e => e.tagName") == "SELECT":
        if value is None:
            field.select_option(index=1)
        else:
            field.select_option(value)
    else:
        form.locator(f"[name={name}][value='{value}']").check()


def press(page, action):
    page.locator(f"button[name=action][value={action}]").click()
    page.wait_for_load_state()


def test_applicant_registers_applies_with_attachments_and_sees_the_status(page, shoot):
    from craftsman.models import RecommendingUnit
    from craftsman.validators import make_resident_id

    page.goto("/apply/register/")
    page.fill("[name=identifier]", "13907970088")
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    shoot(page, "register")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/apply/")
    shoot(page, "dashboard")
    page.get_by_role("link", name="开始填写申报").click()
    page.wait_for_load_state()

    page.fill("[name=name]", "赖春生")
    page.fill("[name=id_number]", make_resident_id("360702", datetime.date(1982, 3, 9), 301))
    page.fill("[name=ethnicity]", "汉族")
    page.fill("[name=mobile]", "13907970088")
    page.fill("[name=email]", "lai@example.com")
    choose(page, "education", "college")
    shoot(page, "step-1")
    press(page, "next")

    page.fill("[name=employer]", "赣州稀金科技有限公司")
    choose(page, "work_area", "360702")
    page.fill("[name=work_address]", "章贡区工业园")
    choose(page, "industry")
    page.fill("[name=occupation]", "稀土冶炼工")
    page.fill("[name=years_in_trade]", "18")
    choose(page, "certificate_type", "skill_level")
    choose(page, "skill_level", "5")
    page.fill("[name=certificate_number]", "S2021360700123")
    page.fill("[name=certificate_issuer]", "赣州市职业技能鉴定中心")
    page.fill("[name=certificate_date]", "2021-06-01")
    shoot(page, "step-2")
    press(page, "next")

    page.fill(
        "[name=condition_1]", "掌握稀土萃取分离关键工序，在本单位工艺实施中处于不可替代的地位。"
    )
    page.fill(
        "[name=achievements]", "长期扎根生产一线，改进萃取工艺，使产品合格率提高 3 个百分点。"
    )
    shoot(page, "step-3")
    press(page, "next")
    assert "/step/4/" in page.url, page.locator("main").inner_text()[:500]

    files = {
        "id_copy": pdf("身份证.pdf"),
        "certificate": pdf("证书.pdf"),
        "photo": png("照片.png"),
        "employer_opinion": pdf("单位意见.pdf"),
        "award_proof": png("获奖.png"),
    }
    for name, payload in files.items():
        field = page.locator(f"input[type=file][name={name}]")
        if field.count():
            field.set_input_files(payload)
    shoot(page, "step-4")
    press(page, "next")
    assert "/step/5/" in page.url, page.locator("main").inner_text()[:500]

    for name in (
        "in_national_talent_programme",
        "in_double_thousand_plan",
        "in_double_high_project",
        "in_talent_directory_d",
        "has_criminal_record",
        "ip_infringement_investigated",
        "serious_misconduct",
    ):
        choose(page, name, "no")
    for name in ("declarations_confirmed", "integrity_pledge", "publication_consent"):
        page.check(f"[name={name}]")
    unit = RecommendingUnit.objects.get(name="章贡区人社局")
    choose(page, "recommending_unit", str(unit.pk))
    shoot(page, "step-5-preview")
    press(page, "submit")

    assert re.search(r"/apply/\d+/$", page.url), page.locator("main").inner_text()[:500]
    assert page.locator(".status-badge").inner_text() == "已提交"
    assert page.locator(".receipt-number").inner_text().startswith("GZGJ")
    shoot(page, "status")


# --- 4. county staff ------------------------------------------------------------------------


def test_county_staff_recommend_and_cannot_open_another_countys_record(page, shoot):
    from craftsman.models import SelectionRound, Status, Submission

    current = SelectionRound.objects.get(status=SelectionRound.Status.OPEN)
    ours = Submission.objects.filter(
        round=current, status=Status.SUBMITTED, recommending_unit__name="章贡区人社局"
    ).first()
    theirs = Submission.objects.filter(recommending_unit__name="瑞金市人社局").first()

    admin_login(page, "zhanggong")
    shoot(page, "admin-home")
    visit(page, "/admin/craftsman_submissions/")
    assert page.get_by_text(ours.name).count()
    shoot(page, "submissions")
    visit(page, f"/admin/craftsman_submissions/inspect/{ours.pk}/")
    shoot(page, "inspect")
    form = page.locator("form[action$='/recommend/']")
    for checkbox in form.locator("input[type=checkbox]").all():
        checkbox.check()
    used = set(
        Submission.objects.filter(
            round=current, recommending_unit=ours.recommending_unit
        ).values_list("recommendation_rank", flat=True)
    )
    form.locator("[name=rank]").fill(str(next(n for n in range(1, 99) if n not in used)))
    form.locator("[name=letter]").set_input_files(pdf("推荐函.pdf"))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    ours.refresh_from_db()
    assert ours.status == Status.RECOMMENDED, page.locator("main, body").first.inner_text()[:500]
    shoot(page, "recommended")

    response = visit(page, f"/admin/craftsman_submissions/inspect/{theirs.pk}/")
    assert response.status == 404
    shoot(page, "other-county-404")


# --- 5. review, ranking, publicity (先审后发) ---------------------------------------------------


CHECKLIST = {"verified_skills": True, "verified_achievements": True, "verified_authenticity": True}


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def current_round():
    from craftsman.models import SelectionRound

    return SelectionRound.objects.get(status=SelectionRound.Status.OPEN)


def click_footer_action(page, selector):
    """Click an action of Wagtail's page editor footer, opening its drop-down when needed."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()
    page.wait_for_load_state()


@pytest.fixture
def assigned_to_expert1(site):
    """A 章贡区 submission of the current round, recommended, the round in review, and one
    sheet assigned to the demo expert ``expert1`` (steps journeys 3 and 4 walk through)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from craftsman import review
    from craftsman.models import Expert, SelectionRound, Status, Submission

    selection_round = current_round()
    submission = Submission.objects.filter(
        round=selection_round, status=Status.SUBMITTED, recommending_unit__name="章贡区人社局"
    ).first()
    submission.recommend(
        by=user("zhanggong"),
        rank=9,
        letter=SimpleUploadedFile("推荐函.pdf", PDF_BYTES),
        checklist=CHECKLIST,
    )
    selection_round.status = SelectionRound.Status.RECOMMENDATION_CLOSED
    selection_round.quota = 1
    selection_round.save()
    review.start_review(selection_round, by=user("bureau"))
    expert = Expert.objects.get(user__username="expert1")
    return review.assign(submission, expert, by=user("bureau"), notify=False)


def test_expert_scores_bureau_ranks_and_publicises_reviewer_publishes(
    new_page, shoot, assigned_to_expert1
):
    from craftsman.models import RoundPublicity, Status

    assignment = assigned_to_expert1
    submission = assignment.submission
    selection_round = submission.round

    expert = admin_login(new_page(), "expert1")
    expert.on("dialog", lambda dialog: dialog.accept())
    visit(expert, "/admin/craftsman/review/mine/")
    shoot(expert, "expert-tasks")
    visit(expert, f"/admin/craftsman/review/sheet/{assignment.pk}/")
    expert.locator("form:has(input[name=action][value=declare]) button[type=submit]").click()
    expert.wait_for_load_state()
    for criterion in selection_round.scoring_criteria.all():
        expert.fill(f"#c{criterion.pk}", str(criterion.max_points * 9 // 10))
    shoot(expert, "expert-sheet")
    expert.locator("button[name=action][value=submit]").click()
    expert.wait_for_load_state()
    assignment.refresh_from_db()
    assert assignment.sheet.is_submitted
    shoot(expert, "expert-submitted")

    bureau = admin_login(new_page(), "bureau")
    bureau.on("dialog", lambda dialog: dialog.accept())
    visit(bureau, f"/admin/craftsman/review/round/{selection_round.pk}/ranking/")
    assert bureau.get_by_text(submission.name).count()
    shoot(bureau, "ranking")
    bureau.locator("form:has(input[name=action][value=apply]) button[type=submit]").click()
    bureau.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == Status.SHORTLISTED, bureau.locator("main").inner_text()[:800]

    visit(bureau, f"/admin/craftsman/conferral/{selection_round.pk}/")
    bureau.locator("form:has(input[name=action][value=generate]) button[type=submit]").click()
    bureau.wait_for_load_state()
    assert "公示草稿已生成" in bureau.locator("body").inner_text()
    shoot(bureau, "publicity-generated")
    notice = RoundPublicity.objects.get(round=selection_round).notice
    assert not notice.live

    reviewer = admin_login(new_page(), "reviewer")
    visit(reviewer, f"/admin/pages/{notice.pk}/edit/")
    shoot(reviewer, "reviewer-editor")
    click_footer_action(reviewer, "button[data-workflow-action-name=approve]")
    notice.refresh_from_db()
    assert notice.live, reviewer.locator("body").inner_text()[:800]
    shoot(reviewer, "reviewer-approved")

    visit(reviewer, notice.url)
    assert submission.name in reviewer.locator("main").inner_text()
    shoot(reviewer, "publicity-public")


# --- 6. approval, conferral, directory, cultivation --------------------------------------------


@pytest.fixture
def awaiting_approval(site):
    """Two submissions of the current round whose publicity ended without objection."""
    from craftsman.models import Status, Submission

    selection_round = current_round()
    chosen = list(
        Submission.objects.filter(round=selection_round, status=Status.SUBMITTED).order_by("pk")[:2]
    )
    Submission.objects.filter(pk__in=[s.pk for s in chosen]).update(status=Status.AWAITING_APPROVAL)
    return chosen


def test_bureau_confers_profile_appears_and_employer_reports_cultivation(
    new_page, shoot, awaiting_approval
):
    from craftsman.models import Craftsman, CultivationRecord

    selection_round = awaiting_approval[0].round
    bureau = admin_login(new_page(), "bureau")
    bureau.on("dialog", lambda dialog: dialog.accept())
    visit(bureau, f"/admin/craftsman/conferral/{selection_round.pk}/")
    shoot(bureau, "conferral-round")
    approval = bureau.locator("form:has(input[name=action][value=approval])")
    approval.locator("[name=document_number]").fill(f"赣市府字〔{selection_round.year}〕58号")
    approval.locator("[name=approved_on]").fill(datetime.date.today().isoformat())
    approval.locator("button[type=submit]").click()
    bureau.wait_for_load_state()
    assert "市政府批准已录入" in bureau.locator("body").inner_text()
    bureau.locator("form:has(input[name=action][value=confer]) button[type=submit]").click()
    bureau.wait_for_load_state()
    assert "已认定 2 名" in bureau.locator("body").inner_text()
    shoot(bureau, "conferred")

    craftsman = Craftsman.objects.filter(round=selection_round).order_by("pk").first()
    profile = craftsman.profile_page
    reviewer = admin_login(new_page(), "reviewer")
    visit(reviewer, f"/admin/pages/{profile.pk}/edit/")
    click_footer_action(reviewer, "button[name=action-publish]")
    profile.refresh_from_db()
    assert profile.live, reviewer.locator("body").inner_text()[:800]

    reader = new_page("phone")
    reader.goto(profile.get_parent().url)
    shoot(reader, "directory")
    reader.get_by_role("link", name=re.compile(profile.title)).first.click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text().strip().startswith(profile.title)
    shoot(reader, "profile")

    employer = admin_login(new_page(), "employer1")
    visit(employer, "/admin/craftsman/cultivation/")
    shoot(employer, "cultivation-list")
    employer.get_by_role("link", name="填报").first.click()
    employer.wait_for_load_state()
    employer.fill("[name=training]", "参加省级高技能人才研修班。")
    employer.fill("[name=apprentice_names]", "钟小明")
    employer.fill("[name=apprentice_count]", "1")
    employer.locator("input[name=attachments]").set_input_files(pdf("带徒协议.pdf"))
    shoot(employer, "cultivation-form")
    employer.locator("button[name=action][value=submit]").click()
    employer.wait_for_load_state()
    record = CultivationRecord.objects.filter(submitted_by__username="employer1").latest("pk")
    assert record.status == CultivationRecord.Status.SUBMITTED
    shoot(employer, "cultivation-submitted")
