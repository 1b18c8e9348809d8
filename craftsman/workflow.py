"""The submission state machine: an explicit transitions table and one ``perform``.

``perform(submission, action, by, comment=..., **data)``:

1. locks the row (``select_for_update`` inside ``transaction.atomic``; on SQLite
   the settings' ``IMMEDIATE`` transactions serialise writers instead);
2. re-reads the state and refuses an action the table does not allow in it,
   or that the caller's role may not take, with :class:`TransitionNotAllowed`
   carrying a Chinese message, changing nothing;
3. runs the action's own checks (window, eligibility, comment, letter, rank…);
4. writes the change, a :class:`SubmissionEvent` (the timeline) and a Wagtail
   log entry (``craftsman.<action>``);
5. puts the applicant's e-mail in the site's outbox, in the same transaction
   (``website.mail``: delivered after commit, retried if the broker is down).

Two staff acting at once: the second finds the state changed and is told so.
The review adds 已推荐 → 评审中 → 拟入选 / 未入选 (bureau only).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from craftsman.models import Submission, SubmissionAttachment, SubmissionEvent
from craftsman.models.submissions import Status
from craftsman.roles import APPLICANT, BUREAU, ROLE_LABELS, UNIT, roles_for
from craftsman.tasks import queue_status_change_mail


class TransitionNotAllowed(Exception):
    """An action refused; ``message`` says why, in Chinese. Nothing was changed."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Transition:
    from_state: str
    action: str
    to_state: str
    roles: frozenset


ACTION_LABELS = {
    "submit": _("提交申报"),
    "withdraw": _("撤回申报"),
    "return": _("退回补正"),
    "decline": _("不予推荐"),
    "recommend": _("推荐"),
    "reopen": _("重新审核"),
    "start_review": _("进入评审"),
    "propose": _("列入拟入选名单"),
    "not_selected": _("未入选"),
    # Publicity and conferral (art. 7(四)(五)): see craftsman.publicity and craftsman.conferral.
    "start_publicity": _("进入公示"),
    "publicity_passed": _("公示期满无异议"),
    "objection_upheld": _("异议属实，取消拟入选资格"),
    "confer": _("认定为“赣州工匠”"),
}

# (from state, action, to state, who may do it)
TRANSITIONS = [
    Transition(Status.DRAFT, "submit", Status.SUBMITTED, frozenset({APPLICANT, UNIT, BUREAU})),
    Transition(Status.RETURNED, "submit", Status.SUBMITTED, frozenset({APPLICANT, UNIT, BUREAU})),
    Transition(Status.SUBMITTED, "withdraw", Status.DRAFT, frozenset({APPLICANT})),
    Transition(Status.SUBMITTED, "return", Status.RETURNED, frozenset({UNIT, BUREAU})),
    Transition(Status.SUBMITTED, "decline", Status.DECLINED, frozenset({UNIT, BUREAU})),
    Transition(Status.SUBMITTED, "recommend", Status.RECOMMENDED, frozenset({UNIT, BUREAU})),
    Transition(Status.DECLINED, "reopen", Status.SUBMITTED, frozenset({BUREAU})),
    Transition(Status.RECOMMENDED, "reopen", Status.SUBMITTED, frozenset({BUREAU})),
    # Review (art. 7(三)): see craftsman.review and craftsman.ranking.
    Transition(Status.RECOMMENDED, "start_review", Status.REVIEWING, frozenset({BUREAU})),
    Transition(Status.REVIEWING, "propose", Status.SHORTLISTED, frozenset({BUREAU})),
    Transition(Status.REVIEWING, "not_selected", Status.NOT_SELECTED, frozenset({BUREAU})),
    # Publicity and conferral (art. 7(四)(五)).
    Transition(Status.SHORTLISTED, "start_publicity", Status.IN_PUBLICITY, frozenset({BUREAU})),
    Transition(
        Status.IN_PUBLICITY, "publicity_passed", Status.AWAITING_APPROVAL, frozenset({BUREAU})
    ),
    Transition(Status.IN_PUBLICITY, "objection_upheld", Status.NOT_SELECTED, frozenset({BUREAU})),
    Transition(Status.AWAITING_APPROVAL, "confer", Status.CONFERRED, frozenset({BUREAU})),
]

VERIFICATION_ITEMS = [
    ("verified_skills", _("技能水平已核实")),
    ("verified_achievements", _("业绩贡献已核实")),
    ("verified_authenticity", _("材料真实性已核实")),
]


def find_transition(state, action):
    for transition in TRANSITIONS:
        if transition.from_state == state and transition.action == action:
            return transition
    return None


def allowed_actions(submission, user):
    """The actions the table lets ``user`` take on ``submission`` now (for buttons)."""
    roles = roles_for(user, submission)
    return [
        t.action
        for t in TRANSITIONS
        if t.from_state == submission.status
        and roles & t.roles
        and not (
            t.action == "submit" and roles & t.roles == {UNIT} and not submission.entered_by_id
        )
    ]


def _status_label(state):
    return Status(state).label


# --- per-action checks and effects -------------------------------------------


def _check_submit(submission, roles, now, data):
    if roles == {UNIT} and not submission.entered_by_id:
        raise TransitionNotAllowed(
            _("推荐单位只能提交本单位代为录入的纸质申报，网上申报须由申报人本人提交。")
        )
    selection_round = submission.round
    if submission.status == Status.DRAFT:
        refusal = selection_round.window_refusal(now)
        if refusal:
            raise TransitionNotAllowed(refusal)
    elif not selection_round.is_recommending:
        raise TransitionNotAllowed(
            _("%(round)s 已进入“%(status)s”阶段，不能再提交补正材料。")
            % {"round": selection_round, "status": selection_round.get_status_display()}
        )
    if submission.recommending_unit_id and not submission.recommending_unit.active:
        raise TransitionNotAllowed(_("所选推荐单位已停用，请另选推荐单位。"))
    duplicate = submission.duplicate()
    if duplicate is not None:
        raise TransitionNotAllowed(duplicate_message(duplicate))
    report = submission.refresh_eligibility(save=False)
    if report.has_failures:
        raise TransitionNotAllowed(
            _("不符合申报条件，不能提交：%(reasons)s") % {"reasons": report.summary()}
        )
    submission.submitted_at = now
    if not submission.receipt_number:
        submission.receipt_number = f"GZGJ{selection_round.year}{submission.pk:06d}"


def _check_withdraw(submission, roles, now, data):
    refusal = submission.round.window_refusal(now)
    if refusal:
        raise TransitionNotAllowed(
            _("申报期已过，不能撤回（撤回后将无法再次提交）。") + " " + str(refusal)
        )


def _require_recommending_round(submission):
    selection_round = submission.round
    if not selection_round.is_recommending:
        raise TransitionNotAllowed(
            _("%(round)s 已进入“%(status)s”阶段，推荐单位的审核结果不能再更改。")
            % {"round": selection_round, "status": selection_round.get_status_display()}
        )


def _require_comment(comment, message):
    if not (comment or "").strip():
        raise TransitionNotAllowed(message)


def _check_return(submission, roles, now, data):
    _require_recommending_round(submission)
    _require_comment(data["comment"], _("退回补正必须填写意见，告诉申报人需要补正什么。"))


def _check_decline(submission, roles, now, data):
    _require_recommending_round(submission)
    _require_comment(data["comment"], _("不予推荐必须填写理由。"))
    submission.decided_at = now


def _check_recommend(submission, roles, now, data):
    _require_recommending_round(submission)
    checklist = data.get("checklist") or {}
    missing = [str(label) for name, label in VERIFICATION_ITEMS if not checklist.get(name)]
    if missing:
        raise TransitionNotAllowed(
            _("推荐前须完成审核：%(missing)s。") % {"missing": "、".join(missing)}
        )
    rank = data.get("rank")
    try:
        rank = int(rank)
    except (TypeError, ValueError):
        rank = 0
    if rank < 1:
        raise TransitionNotAllowed(_("请填写本单位内的推荐排序（从 1 开始的整数）。"))
    taken = (
        Submission.objects.filter(
            round_id=submission.round_id,
            recommending_unit_id=submission.recommending_unit_id,
            recommendation_rank=rank,
        )
        .exclude(pk=submission.pk)
        .first()
    )
    if taken is not None:
        raise TransitionNotAllowed(
            _("本单位推荐排序第 %(rank)d 位已是 %(name)s，请调整排序。")
            % {"rank": rank, "name": taken.name}
        )
    letter = data.get("letter")
    if letter is None:
        raise TransitionNotAllowed(_("推荐必须上传推荐函。"))
    from website.uploads import clean_upload

    try:
        clean_upload(letter, max_size=SubmissionAttachment.MAX_SIZE)
    except ValidationError as error:
        raise TransitionNotAllowed(_("推荐函：") + " ".join(error.messages)) from error
    for name, _label in VERIFICATION_ITEMS:
        setattr(submission, name, True)
    submission.recommendation_rank = rank
    submission.decided_at = now
    if data.get("comment"):
        submission.unit_comment = data["comment"]


def _check_reopen(submission, roles, now, data):
    _require_recommending_round(submission)
    _require_comment(data["comment"], _("重新审核必须填写原因。"))
    submission.recommendation_rank = None
    submission.decided_at = None


def _check_start_review(submission, roles, now, data):
    if submission.round.status not in (
        submission.round.Status.RECOMMENDATION_CLOSED,
        submission.round.Status.REVIEWING,
    ):
        raise TransitionNotAllowed(
            _("%(round)s 当前状态为“%(status)s”，推荐截止后才能进入评审。")
            % {"round": submission.round, "status": submission.round.get_status_display()}
        )


def _check_review_result(submission, roles, now, data):
    if submission.round.status != submission.round.Status.REVIEWING:
        raise TransitionNotAllowed(
            _("%(round)s 不在评审阶段，不能确定评审结果。") % {"round": submission.round}
        )


def _check_nothing(submission, roles, now, data):
    """The caller (craftsman.publicity) has checked the notice and the objections."""


def _check_confer(submission, roles, now, data):
    from craftsman.models import GovernmentApproval

    if not GovernmentApproval.objects.filter(round_id=submission.round_id).exists():
        raise TransitionNotAllowed(
            _("%(round)s 尚未录入市政府批准文件，不能认定。") % {"round": submission.round}
        )


CHECKS = {
    "submit": _check_submit,
    "withdraw": _check_withdraw,
    "return": _check_return,
    "decline": _check_decline,
    "recommend": _check_recommend,
    "reopen": _check_reopen,
    "start_review": _check_start_review,
    "propose": _check_review_result,
    "not_selected": _check_review_result,
    "start_publicity": _check_nothing,
    "publicity_passed": _check_nothing,
    "objection_upheld": _check_nothing,
    "confer": _check_confer,
}


def duplicate_message(existing):
    return _(
        "该身份证号在%(round)s已有申报（申报编号 %(receipt)s），每人每个年度只能申报一次。"
        "如需修改，请在原申报中操作。"
    ) % {"round": existing.round, "receipt": existing.receipt_number or "尚未提交的草稿"}


def perform(submission, action, by, comment="", expected_state=None, now=None, notify=True, **data):
    """Take ``action`` on ``submission`` as user ``by``; return the new :class:`SubmissionEvent`.

    Raises :class:`TransitionNotAllowed` (nothing changed) when the action is not allowed
    in the current state, not to this user, or its own checks fail.  ``expected_state`` is
    the state the user saw (from the form): if someone else acted meanwhile the user is told.
    The caller's ``submission`` instance is refreshed afterwards.  ``now`` (default: the
    current time) is the moment the action counts as taken; ``notify=False`` sends no e-mail
    (demo data).
    """
    label = ACTION_LABELS.get(action, action)
    if action not in CHECKS:
        raise TransitionNotAllowed(_("未知操作：%(action)s。") % {"action": action})
    now = now or timezone.now()
    letter = data.get("letter")
    try:
        with transaction.atomic():
            locked = (
                Submission.objects.select_for_update(of=("self",))
                .select_related("round", "recommending_unit")
                .get(pk=submission.pk)
            )
            state = locked.status
            if expected_state and state != expected_state:
                raise TransitionNotAllowed(
                    _(
                        "该申报已被他人处理：状态已从“%(expected)s”变为“%(state)s”，"
                        "您的“%(action)s”没有执行。请刷新页面查看最新情况。"
                    )
                    % {
                        "expected": _status_label(expected_state),
                        "state": _status_label(state),
                        "action": label,
                    }
                )
            transition = find_transition(state, action)
            if transition is None:
                raise TransitionNotAllowed(
                    _(
                        "该申报当前状态为“%(state)s”，不能执行“%(action)s”"
                        "（可能已被其他工作人员处理，请刷新页面）。"
                    )
                    % {"state": _status_label(state), "action": label}
                )
            roles = roles_for(by, locked) & transition.roles
            if not roles:
                raise TransitionNotAllowed(
                    _("您无权对该申报执行“%(action)s”。") % {"action": label}
                )
            CHECKS[action](locked, roles, now, {"comment": comment, **data})
            locked.status = transition.to_state
            locked.save()
            if action == "recommend":
                SubmissionAttachment.create_from_upload(
                    locked, SubmissionAttachment.Kind.RECOMMENDATION_LETTER, letter, by=by
                )
            role = BUREAU if BUREAU in roles else (UNIT if UNIT in roles else APPLICANT)
            event = SubmissionEvent.objects.create(
                submission=locked,
                action=action,
                from_status=state,
                to_status=transition.to_state,
                actor=by,
                actor_role=ROLE_LABELS[role],
                actor_unit=(
                    locked.recommending_unit.name
                    if role == UNIT
                    else ("市人社局" if role == BUREAU else "申报人")
                ),
                comment=(comment or "").strip(),
                created_at=now,
            )
            log(
                instance=locked,
                action=f"craftsman.{action}",
                user=by,
                timestamp=now,
                data={
                    "from": state,
                    "to": transition.to_state,
                    "comment": event.comment,
                    "rank": locked.recommendation_rank,
                },
            )
            if notify:
                queue_status_change_mail(event)
    except IntegrityError as error:
        raise TransitionNotAllowed(
            _("保存失败：数据与其他申报冲突（如重复的身份证号或推荐排序），请刷新后重试。")
        ) from error
    submission.refresh_from_db()
    return event
