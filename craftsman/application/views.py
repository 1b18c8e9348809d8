"""Views of the online application (申报).

Every view that touches a submission reads it through
``Submission.objects.for_applicant(request.user)``: another person's submission
is a 404, whatever the URL.  Editing is possible only in 草稿 or 退回补正;
submitting goes through the state machine (``Submission.submit``), inside the
same transaction as the last step's answers, so a refusal changes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from craftsman.application.forms import (
    APPLICANT_KINDS,
    DUPLICATE_ID_MESSAGE,
    ApplicantLoginForm,
    AttachmentsForm,
    CompetitionFormSet,
    ConditionsForm,
    HonourFormSet,
    PersonForm,
    PledgeForm,
    RegistrationForm,
    WorkForm,
)
from craftsman.models import (
    SelectionRound,
    Status,
    Submission,
    SubmissionAttachment,
)
from craftsman.roles import is_staff_account
from craftsman.workflow import TransitionNotAllowed
from website.concurrency import StaleEdit

STEPS = [
    (1, _("个人信息")),
    (2, _("工作与资格")),
    (3, _("申报条件与业绩")),
    (4, _("附件上传")),
    (5, _("预览与承诺")),
]
STEP_TITLES = dict(STEPS)
STEP_TEMPLATES = {
    1: "craftsman/apply/step_form.html",
    2: "craftsman/apply/step_form.html",
    3: "craftsman/apply/step_conditions.html",
    4: "craftsman/apply/step_attachments.html",
    5: "craftsman/apply/step_preview.html",
}
# Which step fixes what an eligibility rule reports.
RULE_STEPS = {
    "identity": 1,
    "basic": 1,
    "gender": 1,
    "location": 2,
    "industry": 2,
    "qualification": 2,
    "conditions": 3,
    "condition_7": 3,
    "county_craftsman": 3,
    "achievements": 3,
    "attachments": 4,
}
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# The recommendation letter is the unit's document, not the applicant's.
HIDDEN_KINDS = (SubmissionAttachment.Kind.RECOMMENDATION_LETTER,)
# Rules the last step itself completes: shown, but not "fix an earlier step first".
RULES_COMPLETED_ON_LAST_STEP = ("declarations", "unit", "exclusions", "disqualifications")


def applicant_required(view):
    """Signed in (else the applicant login page) with an applicant account (else 403)."""

    @wraps(view)
    @login_required(login_url="apply:login")
    def wrapped(request, *args, **kwargs):
        if is_staff_account(request.user):
            return TemplateResponse(request, "craftsman/apply/staff_account.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


# --- helpers ---------------------------------------------------------------------


def round_for_new_application(now=None):
    """The round a new application goes to: 申报中 and not yet closed (drafts may be
    started before the window opens; submitting waits for it)."""
    now = now or timezone.now()
    return (
        SelectionRound.objects.filter(status=SelectionRound.Status.OPEN, closes_at__gte=now)
        .order_by("opens_at")
        .first()
    )


def own_submissions(user):
    return Submission.objects.for_applicant(user).select_related(
        "round", "recommending_unit", "industry"
    )


def get_own_submission(request, pk):
    return get_object_or_404(own_submissions(request.user), pk=pk)


def edit_refusal(submission, now=None):
    """Why the applicant may not change ``submission`` now, or "" when they may."""
    now = now or timezone.now()
    selection_round = submission.round
    if submission.status not in EDITABLE_STATUSES:
        return _("该申报当前状态为“%(status)s”，不能修改。") % {
            "status": submission.get_status_display()
        }
    if submission.status == Status.DRAFT:
        if selection_round.status != SelectionRound.Status.OPEN or now > selection_round.closes_at:
            return selection_round.window_refusal(now) or _("申报已截止，草稿不能再修改。")
    elif not selection_round.is_recommending:
        return _("%(round)s 已进入“%(status)s”阶段，不能再补正材料。") % {
            "round": selection_round,
            "status": selection_round.get_status_display(),
        }
    return ""


def visible_attachments(submission):
    return [a for a in submission.attachments.all() if a.kind not in HIDDEN_KINDS]


def step_url(submission, step):
    return reverse("apply:step", args=[submission.pk, step])


def _action(request):
    action = request.POST.get("action", "save")
    return action if action in ("save", "next", "prev", "submit") else "save"


def _render_step(request, submission, step, context, selection_round=None):
    selection_round = selection_round or submission.round
    return TemplateResponse(
        request,
        STEP_TEMPLATES[step],
        {
            "submission": submission if submission and submission.pk else None,
            "selection_round": selection_round,
            "steps": STEPS,
            "step": step,
            "step_title": STEP_TITLES[step],
            "returned_event": _returned_event(submission),
            **context,
        },
    )


def _returned_event(submission):
    if submission is None or not submission.pk or submission.status != Status.RETURNED:
        return None
    return submission.events.filter(to_status=Status.RETURNED).order_by("-created_at").first()


def _after_save(request, submission, step, action):
    submission.refresh_eligibility()
    if action == "next" and step < len(STEPS):
        return redirect(step_url(submission, step + 1))
    if action == "prev" and step > 1:
        messages.success(request, _("草稿已保存（%(title)s）。") % {"title": STEP_TITLES[step]})
        return redirect(step_url(submission, step - 1))
    messages.success(request, _("草稿已保存（%(title)s）。") % {"title": STEP_TITLES[step]})
    return redirect(step_url(submission, step))


# --- accounts ----------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("apply:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            form.add_error("identifier", _("该手机号码或电子邮箱已注册，请直接登录。"))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用“赣州工匠”在线申报。"))
            return redirect("apply:dashboard")
    return TemplateResponse(request, "craftsman/apply/register.html", {"form": form})


class ApplicantLoginView(LoginView):
    template_name = "craftsman/apply/login.html"
    redirect_authenticated_user = True
    authentication_form = ApplicantLoginForm

    def get_default_redirect_url(self):
        return reverse("apply:dashboard")


class ApplicantLogoutView(LogoutView):
    next_page = "apply:login"

    def get_success_url(self):
        url = self.request.POST.get("next", "")
        if url and url_has_allowed_host_and_scheme(url, {self.request.get_host()}):
            return url
        return reverse("apply:login")


# --- dashboard and status ------------------------------------------------------------


@applicant_required
def dashboard(request):
    submissions = list(own_submissions(request.user).order_by("-round__year", "-pk"))
    selection_round = round_for_new_application()
    can_start = selection_round is not None and not any(
        s.round_id == selection_round.pk for s in submissions
    )
    for submission in submissions:
        submission.can_edit = not edit_refusal(submission)
    return TemplateResponse(
        request,
        "craftsman/apply/dashboard.html",
        {
            "submissions": submissions,
            "selection_round": selection_round,
            "window_refusal": selection_round.window_refusal() if selection_round else "",
            "can_start": can_start,
        },
    )


@applicant_required
def status(request, pk):
    submission = get_own_submission(request, pk)
    events = list(submission.events.all())
    refusal = edit_refusal(submission)
    return TemplateResponse(
        request,
        "craftsman/apply/status.html",
        {
            "submission": submission,
            "events": events,
            "returned_event": _returned_event(submission),
            "can_edit": not refusal,
            "can_withdraw": submission.status == Status.SUBMITTED
            and not submission.round.window_refusal(),
            "attachments": visible_attachments(submission),
            "competitions": submission.competitions.all(),
            "honours": submission.honours.all(),
        },
    )


@require_POST
@applicant_required
def withdraw(request, pk):
    submission = get_own_submission(request, pk)
    try:
        submission.withdraw(by=request.user, expected_state=Status.SUBMITTED)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("申报已撤回，现为草稿：修改后请在申报截止前重新提交。"))
    return redirect("apply:status", pk=submission.pk)


# --- the steps -----------------------------------------------------------------------


@applicant_required
def new_application(request):
    """Step 1 of a new application: the draft is created by its first save."""
    selection_round = round_for_new_application()
    if selection_round is None:
        messages.error(request, _("当前没有正在接受申报的选拔年度，请留意申报通知。"))
        return redirect("apply:dashboard")
    existing = own_submissions(request.user).filter(round=selection_round).first()
    if existing is not None:
        messages.info(
            request, _("您在%(round)s已有申报，请在原申报中继续办理。") % {"round": selection_round}
        )
        return redirect("apply:status", pk=existing.pk)
    user = request.user
    draft = Submission(
        round=selection_round,
        applicant=user,
        email=user.email,
        mobile=user.username if user.username.isdigit() else "",
    )
    return _model_step(request, draft, 1, PersonForm)


@applicant_required
def step_view(request, pk, number):
    if number not in STEP_TITLES:
        raise Http404
    submission = get_own_submission(request, pk)
    refusal = edit_refusal(submission)
    if refusal:
        messages.error(request, refusal)
        return redirect("apply:status", pk=submission.pk)
    if number == 1:
        return _model_step(request, submission, 1, PersonForm)
    if number == 2:
        return _model_step(request, submission, 2, WorkForm)
    if number == 3:
        return _model_step(request, submission, 3, ConditionsForm, formsets=True)
    if number == 4:
        return _attachments_step(request, submission)
    return _pledge_step(request, submission)


def _formsets(request, submission):
    data = request.POST if request.method == "POST" else None
    instance = submission if submission.pk else Submission()
    competitions = CompetitionFormSet(data, instance=instance, prefix="competitions")
    competitions.heading = _("职业技能大赛成绩")
    competitions.help = _("条件（七）：填写获得的职业技能大赛名次。")
    honours = HonourFormSet(data, instance=instance, prefix="honours")
    honours.heading = _("荣誉")
    honours.help = _("包括县级工匠、劳动模范、五一劳动奖章、技术能手等。")
    return [competitions, honours]


def _model_step(request, submission, step, form_class, formsets=False):
    if request.method == "POST":
        action = _action(request)
        form = form_class(
            request.POST,
            instance=submission,
            draft=action != "next",
            selection_round=submission.round,
        )
        sets = _formsets(request, submission) if formsets else []
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in sets]) and valid
        if valid:
            try:
                with transaction.atomic():
                    saved = form.save()
                    for formset in sets:
                        formset.instance = saved
                        formset.save()
            except StaleEdit as error:  # changed by someone else since the form was opened
                form.add_error(None, error)
            except IntegrityError:
                # Two drafts with the same ID number at once: the constraint decides.
                form.add_error(
                    "id_number" if "id_number" in form.fields else None, DUPLICATE_ID_MESSAGE
                )
            else:
                return _after_save(request, saved, step, action)
    else:
        form = form_class(instance=submission, selection_round=submission.round)
        sets = _formsets(request, submission) if formsets else []
    return _render_step(
        request,
        submission,
        step,
        {
            "form": form,
            "formsets": sets,
            "formsets_have_errors": any(fs.is_bound and fs.total_error_count() for fs in sets),
        },
        selection_round=submission.round,
    )


def _attachments_step(request, submission):
    if request.method == "POST":
        action = _action(request)
        form = AttachmentsForm(
            request.POST, request.FILES, submission=submission, draft=action != "next"
        )
        if form.is_valid():
            replaced = []
            try:
                with transaction.atomic():
                    for kind, uploaded in form.uploads():
                        SubmissionAttachment.create_from_upload(
                            submission, kind, uploaded, by=request.user
                        )
                        if form.fields[kind].limit == 1:
                            replaced.extend(form.existing.get(kind, []))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # A one-file kind (ID copy, photo, employer's opinion) keeps the new file only.
                for old in replaced:
                    old.delete()
                return _after_save(request, submission, 4, action)
    else:
        form = AttachmentsForm(submission=submission)
    groups = [(form[kind], form.existing.get(kind, [])) for kind, _limit, _help in APPLICANT_KINDS]
    return _render_step(request, submission, 4, {"form": form, "groups": groups})


@require_POST
@applicant_required
def delete_attachment(request, pk):
    attachment = get_object_or_404(
        SubmissionAttachment.objects.select_related("submission__round").exclude(
            kind__in=HIDDEN_KINDS
        ),
        pk=pk,
        submission__in=Submission.objects.for_applicant(request.user),
    )
    submission = attachment.submission
    refusal = edit_refusal(submission)
    if refusal:
        messages.error(request, refusal)
        return redirect("apply:status", pk=submission.pk)
    label = str(attachment)
    attachment.delete()
    submission.refresh_eligibility()
    messages.success(request, _("已删除附件：%(label)s。") % {"label": label})
    return redirect(step_url(submission, 4))


def _pledge_step(request, submission):
    action = _action(request) if request.method == "POST" else None
    if request.method == "POST":
        form = PledgeForm(request.POST, submission=submission, draft=action != "submit")
        if form.is_valid():
            if action == "submit":
                response = _submit(request, submission, form)
                if response is not None:
                    return response
            else:
                form.apply(submission)
                submission.save()
                return _after_save(request, submission, 5, action)
        else:
            if action == "submit":
                messages.error(request, _("未提交：请按提示完成本页内容。"))
    else:
        form = PledgeForm(submission=submission)
    submission = (
        Submission.objects.select_related("round", "recommending_unit", "industry")
        .prefetch_related("competitions", "honours", "attachments")
        .get(pk=submission.pk)
    )
    report = submission.eligibility_report()
    for item in report.items:
        item.fix_step = RULE_STEPS.get(item.rule.key, 5)
    blocking = [
        item for item in report.failures if item.rule.key not in RULES_COMPLETED_ON_LAST_STEP
    ]
    return _render_step(
        request,
        submission,
        5,
        {
            "form": form,
            "report": report,
            "blocking": blocking,
            "attachments": visible_attachments(submission),
            "competitions": submission.competitions.all(),
            "honours": submission.honours.all(),
            "window_refusal": (
                submission.round.window_refusal() if submission.status == Status.DRAFT else ""
            ),
        },
    )


def _submit(request, submission, form):
    """Save the last step and submit in one transaction; on refusal nothing is kept.

    Returns a redirect on success, ``None`` (with an error message) on refusal.
    """
    if submission.status == Status.DRAFT:
        refusal = submission.round.window_refusal()
        if refusal:
            messages.error(request, refusal)
            return None
    state = submission.status
    now = timezone.now()
    try:
        with transaction.atomic():
            form.apply(submission, now=now)
            submission.declarations_confirmed_at = now
            submission.integrity_pledge_at = now
            submission.publication_consent_at = now
            submission.save()
            submission.submit(by=request.user, expected_state=state, now=now)
    except TransitionNotAllowed as refusal:
        submission.refresh_from_db()
        messages.error(request, refusal.message)
        return None
    except (ValidationError, IntegrityError):
        submission.refresh_from_db()
        messages.error(request, DUPLICATE_ID_MESSAGE)
        return None
    recipient = submission.email or request.user.email
    text = _("申报已提交。申报编号：%(receipt)s，请妥善保存。") % {
        "receipt": submission.receipt_number
    }
    if recipient:
        text += " " + str(_("回执已发送至 %(email)s。") % {"email": recipient})
    messages.success(request, text)
    return redirect("apply:status", pk=submission.pk)


# --- files -----------------------------------------------------------------------------


@applicant_required
def attachment(request, pk):
    """Stream the applicant's own file from private storage (never a public URL)."""
    item = get_object_or_404(
        SubmissionAttachment.objects.exclude(kind__in=HIDDEN_KINDS),
        pk=pk,
        submission__in=Submission.objects.for_applicant(request.user),
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("附件文件不存在") from missing
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
