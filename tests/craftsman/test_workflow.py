import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from craftsman.models import SelectionRound, Status, Submission, SubmissionAttachment
from craftsman.workflow import TRANSITIONS, TransitionNotAllowed, find_transition
from tests.craftsman.conftest import PDF_BYTES, pdf_file  # noqa: F401

pytestmark = pytest.mark.django_db

CHECKLIST = {"verified_skills": True, "verified_achievements": True, "verified_authenticity": True}


def recommend(submission, user, rank=1, **kwargs):
    return submission.recommend(
        by=user, rank=rank, letter=pdf_file(), checklist=CHECKLIST, **kwargs
    )


def test_the_transitions_table_is_explicit_data():
    assert find_transition(Status.SUBMITTED, "recommend").to_state == Status.RECOMMENDED
    assert find_transition(Status.DRAFT, "recommend") is None
    # The review (issue 5): 已推荐 → 评审中 → 拟入选 / 未入选.
    assert find_transition(Status.RECOMMENDED, "start_review").to_state == Status.REVIEWING
    assert {t.to_state for t in TRANSITIONS if t.from_state == Status.REVIEWING} == {
        Status.SHORTLISTED,
        Status.NOT_SELECTED,
    }


# --- submit ------------------------------------------------------------------


def test_applicant_submits_and_gets_a_receipt_and_an_email(
    make_submission, users, django_capture_on_commit_callbacks
):
    submission = make_submission()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = submission.submit(by=users["applicant"])
    assert callbacks  # the mail is handed to the worker only after commit
    assert submission.status == Status.SUBMITTED
    assert submission.receipt_number == f"GZGJ2030{submission.pk:06d}"
    assert submission.submitted_at is not None
    assert event.from_status == Status.DRAFT and event.to_status == Status.SUBMITTED
    assert len(mail.outbox) == 1
    assert submission.receipt_number in mail.outbox[0].subject
    entry = ModelLogEntry.objects.for_instance(submission).get(action="craftsman.submit")
    assert entry.user == users["applicant"] and entry.data["to"] == Status.SUBMITTED


def test_another_user_cannot_submit_someones_draft(make_submission, users):
    submission = make_submission()
    for user in (users["other_applicant"], users["ruijin"], users["expert"]):
        with pytest.raises(TransitionNotAllowed, match="无权"):
            submission.submit(by=user)
    # 章贡区 staff may only submit paper applications they entered.
    with pytest.raises(TransitionNotAllowed, match="纸质申报"):
        submission.submit(by=users["zhanggong"])
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT and not submission.receipt_number


def test_unit_staff_submit_a_paper_application_they_entered(make_submission, users):
    submission = make_submission(applicant=None, entered_by=users["zhanggong"])
    submission.submit(by=users["zhanggong"])
    assert submission.status == Status.SUBMITTED


def test_hard_failures_block_submission(make_submission, users, django_capture_on_commit_callbacks):
    submission = make_submission(in_double_thousand_plan=True)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionNotAllowed, match="双千计划"),
    ):
        submission.submit(by=users["applicant"])
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT
    assert not submission.events.exists() and not mail.outbox


def test_warnings_do_not_block_submission(make_submission, users):
    submission = make_submission(skill_level=2)
    submission.submit(by=users["applicant"])
    assert submission.status == Status.SUBMITTED and submission.eligibility == "warning"


@pytest.mark.parametrize(
    ("opens", "closes", "status", "message"),
    [
        (1, 10, SelectionRound.Status.OPEN, "尚未开始"),
        (-10, -1, SelectionRound.Status.OPEN, "截止"),
        (-10, 10, SelectionRound.Status.DRAFT, "不接受申报"),
    ],
)
def test_submitting_outside_the_window_is_refused_and_nothing_saved(
    make_submission, users, open_round, opens, closes, status, message
):
    submission = make_submission()
    now = timezone.now()
    open_round.opens_at = now + datetime.timedelta(days=opens)
    open_round.closes_at = now + datetime.timedelta(days=closes)
    open_round.status = status
    open_round.save()
    with pytest.raises(TransitionNotAllowed, match=message):
        submission.submit(by=users["applicant"])
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT and submission.submitted_at is None
    assert not submission.events.exists()


def test_one_submission_per_person_per_round(make_submission, users, open_round):
    first = make_submission()
    duplicate = Submission(
        round=open_round, name="王建国", id_number=first.id_number.lower(), mobile="13900000000"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()
    assert "每人每个年度只能申报一次" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            round=open_round, name="王建国", id_number=first.id_number, mobile="13900000000"
        )


def test_the_same_person_may_apply_in_another_round(make_submission, open_round):
    first = make_submission()
    other = SelectionRound.objects.create(
        year=2031, title="2031", opens_at=open_round.opens_at, closes_at=open_round.closes_at
    )
    make_submission(round=other, id_number=first.id_number)


def test_withdraw_and_resubmit(submitted, users):
    with pytest.raises(TransitionNotAllowed):
        submitted.withdraw(by=users["zhanggong"])
    submitted.withdraw(by=users["applicant"])
    assert submitted.status == Status.DRAFT
    submitted.submit(by=users["applicant"])
    assert submitted.status == Status.SUBMITTED


# --- unit actions ----------------------------------------------------------------


@pytest.mark.parametrize("actor", ["zhanggong", "bureau"])
def test_return_for_correction_then_resubmit(
    submitted, users, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted.return_for_correction(by=users[actor], comment="请补充业绩证明。")
    assert submitted.status == Status.RETURNED
    assert "请补充业绩证明" in mail.outbox[0].body
    event = submitted.events.last()
    assert event.comment == "请补充业绩证明。" and event.actor == users[actor]
    submitted.submit(by=users["applicant"])
    assert submitted.status == Status.SUBMITTED


def test_return_needs_a_comment(submitted, users):
    with pytest.raises(TransitionNotAllowed, match="必须填写意见"):
        submitted.return_for_correction(by=users["zhanggong"], comment="  ")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("actor", ["zhanggong", "bureau"])
def test_decline(submitted, users, actor):
    submitted.decline(by=users[actor], reason="业绩不突出。")
    assert submitted.status == Status.DECLINED
    assert submitted.events.last().comment == "业绩不突出。"


def test_decline_needs_a_reason(submitted, users):
    with pytest.raises(TransitionNotAllowed, match="理由"):
        submitted.decline(by=users["zhanggong"], reason="")


@pytest.mark.parametrize("actor", ["zhanggong", "bureau"])
def test_recommend(submitted, users, actor):
    recommend(submitted, users[actor], rank=1)
    assert submitted.status == Status.RECOMMENDED
    assert submitted.recommendation_rank == 1
    assert submitted.verified_skills and submitted.verified_authenticity
    letter = submitted.attachments.get(kind=SubmissionAttachment.Kind.RECOMMENDATION_LETTER)
    assert letter.file.read().startswith(b"%PDF")


def test_recommend_needs_checklist_letter_and_a_free_rank(submitted, make_submission, users):
    with pytest.raises(TransitionNotAllowed, match="材料真实性已核实"):
        submitted.recommend(
            by=users["zhanggong"],
            rank=1,
            letter=pdf_file(),
            checklist={"verified_skills": True, "verified_achievements": True},
        )
    with pytest.raises(TransitionNotAllowed, match="推荐函"):
        submitted.recommend(by=users["zhanggong"], rank=1, letter=None, checklist=CHECKLIST)
    with pytest.raises(TransitionNotAllowed, match="推荐函"):
        submitted.recommend(
            by=users["zhanggong"],
            rank=1,
            letter=SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"),
            checklist=CHECKLIST,
        )
    with pytest.raises(TransitionNotAllowed, match="排序"):
        submitted.recommend(by=users["zhanggong"], rank=0, letter=pdf_file(), checklist=CHECKLIST)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not submitted.attachments.filter(
        kind=SubmissionAttachment.Kind.RECOMMENDATION_LETTER
    )
    recommend(submitted, users["zhanggong"], rank=1)
    second = make_submission()
    second.submit(by=users["applicant"])
    with pytest.raises(TransitionNotAllowed, match="第 1 位已是"):
        recommend(second, users["zhanggong"], rank=1)
    recommend(second, users["zhanggong"], rank=2)


@pytest.mark.parametrize("action", ["return", "decline", "recommend"])
@pytest.mark.parametrize("actor", ["ruijin", "expert", "applicant", "other_applicant"])
def test_forbidden_roles_cannot_act(submitted, users, action, actor):
    user = users[actor]
    with pytest.raises(TransitionNotAllowed, match="无权"):
        if action == "recommend":
            recommend(submitted, user)
        elif action == "return":
            submitted.return_for_correction(by=user, comment="x")
        else:
            submitted.decline(by=user, reason="x")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.events.count() == 1


def test_reopen_is_for_the_bureau_only(submitted, users):
    recommend(submitted, users["zhanggong"])
    with pytest.raises(TransitionNotAllowed, match="无权"):
        submitted.reopen(by=users["zhanggong"], comment="改错了")
    submitted.reopen(by=users["bureau"], comment="推荐函有误，请重新审核。")
    assert submitted.status == Status.SUBMITTED and submitted.recommendation_rank is None


def test_an_action_not_allowed_in_the_state_changes_nothing(make_submission, users):
    draft = make_submission()
    with pytest.raises(TransitionNotAllowed, match="当前状态为“草稿”，不能执行“推荐”"):
        recommend(draft, users["bureau"])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.events.exists()
    assert not ModelLogEntry.objects.for_instance(draft).exists()


def test_two_staff_acting_at_once_the_second_is_told(submitted, users):
    stale = Submission.objects.get(pk=submitted.pk)  # what the second user loaded
    recommend(submitted, users["zhanggong"], rank=1)
    with pytest.raises(TransitionNotAllowed, match="已推荐"):
        stale.decline(by=users["bureau"], reason="不推荐", expected_state=Status.SUBMITTED)
    with pytest.raises(TransitionNotAllowed, match="可能已被其他工作人员处理"):
        recommend(stale, users["bureau"], rank=2)
    submitted.refresh_from_db()
    assert submitted.status == Status.RECOMMENDED and submitted.recommendation_rank == 1
    assert submitted.events.count() == 2


def test_unit_decisions_are_frozen_once_review_starts(submitted, users, open_round):
    open_round.status = SelectionRound.Status.REVIEWING
    open_round.save()
    with pytest.raises(TransitionNotAllowed, match="评审中"):
        submitted.return_for_correction(by=users["zhanggong"], comment="x")


def test_resubmission_after_return_is_allowed_after_the_window(submitted, users, open_round):
    submitted.return_for_correction(by=users["zhanggong"], comment="补正")
    open_round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_round.opens_at = open_round.closes_at - datetime.timedelta(days=20)
    open_round.status = SelectionRound.Status.RECOMMENDATION_CLOSED
    open_round.save()
    submitted.submit(by=users["applicant"])
    assert submitted.status == Status.SUBMITTED


def test_allowed_actions_for_buttons(submitted, users):
    assert set(submitted.allowed_actions(users["zhanggong"])) == {"return", "decline", "recommend"}
    assert submitted.allowed_actions(users["ruijin"]) == []
    assert submitted.allowed_actions(users["applicant"]) == ["withdraw"]
