"""Forms of the online application: the account, the five steps and their formsets.

Every step form has two modes: a *draft* save (保存草稿) checks the format of what
was typed but lets required fields stay empty; *next* (下一步) also asks for the
fields the step needs.  Whatever is missing at the end is reported by the
eligibility engine before submission, and submission refuses hard failures.
"""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.models import (
    CompetitionResult,
    Honour,
    Industry,
    RecommendingUnit,
    Submission,
    SubmissionAttachment,
)
from craftsman.models.submissions import (
    ACHIEVEMENT_FIELDS,
    ACHIEVEMENTS_MAX_LENGTH,
    DISQUALIFICATION_FIELDS,
    EXCLUSION_FIELDS,
    PERSON_FIELDS,
    WORK_FIELDS,
)
from craftsman.roles import is_staff_account
from craftsman.validators import MOBILE_PATTERN, normalize_resident_id, validate_resident_id
from website.concurrency import VersionCheckedFormMixin
from website.uploads import DOCUMENT_KINDS, IMAGE_KINDS, clean_upload

TEXT_MAX_LENGTH = 2000
DUPLICATE_ID_MESSAGE = _(
    "该身份证号在本年度已有申报：每人每个年度只能申报一次。"
    "如是本人此前的申报，请登录原账号继续办理；如有疑问，请联系推荐单位。"
)


def normalize_mobile(value):
    """13812345678 from "138 1234 5678", "138-1234-5678" or "+86 13812345678"."""
    compact = re.sub(r"[\s\-]", "", value or "")
    return re.sub(r"^(?:\+86|0086)(?=1\d{10}$)", "", compact)


def friendly_required(field):
    """ "请填写姓名。" instead of Django's bare "必需字段"."""
    verb = _("请选择") if isinstance(field, forms.ChoiceField) else _("请填写")
    field.error_messages["required"] = f"{verb}{field.label}。"


# --- accounts --------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """An applicant's account: a mobile number or an e-mail address is the username."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    identifier = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=150,
        help_text=_("用于登录。填写手机号码（11 位）或电子邮箱。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全是数字，不能过于常见，不能与手机号码或邮箱相似。"),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_identifier(self):
        value = (self.cleaned_data.get("identifier") or "").strip()
        if "@" in value:
            value = value.lower()
            try:
                validate_email(value)
            except ValidationError as error:
                raise ValidationError(_("请输入有效的电子邮箱地址。"), code="email") from error
            self.identifier_kind = "email"
        else:
            value = normalize_mobile(value)
            if not MOBILE_PATTERN.match(value):
                raise ValidationError(
                    _("请输入 11 位手机号码或有效的电子邮箱地址。"), code="identifier"
                )
            self.identifier_kind = "mobile"
        if get_user_model().objects.filter(username__iexact=value).exists():
            raise ValidationError(
                _("该手机号码或电子邮箱已注册，请直接登录；忘记密码请联系推荐单位或市人社局。"),
                code="duplicate",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        identifier = cleaned.get("identifier") or ""
        if password1:
            User = get_user_model()
            probe = User(username=identifier)
            if getattr(self, "identifier_kind", "") == "email":
                probe.email = identifier
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        from website.roles import group_for

        identifier = self.cleaned_data["identifier"]
        email = identifier if self.identifier_kind == "email" else ""
        user = get_user_model().objects.create_user(
            username=identifier, email=email, password=self.cleaned_data["password1"]
        )
        user.groups.add(group_for("applicant"))
        return user


class ApplicantLoginForm(AuthenticationForm):
    """Django's login form, with the applicant's words and e-mail addresses in lower case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("手机号码（邮箱）或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("手机号码或电子邮箱")
        self.fields["password"].label = _("密码")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_staff_account(user):
            raise ValidationError(
                _("这是工作人员账号，请从管理后台登录；个人申报请注册申报账号。"),
                code="staff_account",
            )

    def clean_username(self):
        value = (self.cleaned_data.get("username") or "").strip()
        # Django's form sets max_length only as a browser attribute; check it here.
        limit = self.fields["username"].max_length
        if limit and len(value) > limit:
            raise ValidationError(
                _("手机号码或电子邮箱不能超过%(limit)d个字符。"), params={"limit": limit}
            )
        return value.lower() if "@" in value else normalize_mobile(value) or value


# --- the steps ---------------------------------------------------------------------


class StepForm(VersionCheckedFormMixin, forms.ModelForm):
    """A step of the application.  ``draft=True`` lets required fields stay empty.

    Saving over a newer change (another tab, or the unit returning the submission
    meanwhile) is refused: ``website.concurrency``.
    """

    required_css_class = "required"
    # Fields needed to leave the step with 下一步 (besides the model's own).
    next_required = ()
    # Fields needed even for a draft.
    always_required = ()

    def __init__(self, *args, draft=False, selection_round=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.selection_round = selection_round or getattr(self.instance, "round", None)
        for name, field in self.fields.items():
            friendly_required(field)
            if name in self.always_required:
                field.required = True
            elif draft:
                field.required = False
            elif name in self.next_required:
                field.required = True
            if isinstance(field, forms.CharField) and not field.max_length:
                field.max_length = TEXT_MAX_LENGTH
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))


class PersonForm(StepForm):
    """Step 1: 个人信息."""

    always_required = ("name", "id_number")
    next_required = ("name", "id_number", "mobile")

    class Meta:
        model = Submission
        fields = PERSON_FIELDS
        labels = {"id_number": _("公民身份号码（18 位）")}
        help_texts = {
            "id_number": _("每人每个年度只能申报一次，以身份证号为准。"),
            "gender": _("可不选：按身份证号自动识别。"),
            "email": _("申报回执和办理进度将发送到此邮箱，建议填写。"),
        }
        widgets = {
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "mobile": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_id_number(self):
        value = normalize_resident_id(self.cleaned_data.get("id_number"))
        if not value:
            return value
        validate_resident_id(value)
        if self.selection_round is not None:
            others = Submission.objects.filter(round=self.selection_round, id_number=value)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise ValidationError(DUPLICATE_ID_MESSAGE, code="duplicate")
        return value

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data.get("mobile"))

    def clean_name(self):
        return (self.cleaned_data.get("name") or "").strip()


class WorkForm(StepForm):
    """Step 2: 工作与资格."""

    next_required = ("employer", "work_area", "occupation")

    class Meta:
        model = Submission
        fields = WORK_FIELDS
        help_texts = {
            "work_area": _("《办法》第六条：须在赣州市行政区域内工作（居住）。"),
            "industry": _("“1+5+N”产业体系；不在其中的选“其他行业”。"),
            "certificate_type": _("原则上须取得高级工及以上等级的证书，或职业农民职称证书。"),
        }
        widgets = {"certificate_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(active=True)
        self.fields["certificate_date"].widget.format = "%Y-%m-%d"
        self.fields["years_in_trade"].min_value = 0

    def clean_certificate_date(self):
        value = self.cleaned_data.get("certificate_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("发证日期不能晚于今天。"), code="future")
        return value


class ConditionsForm(StepForm):
    """Step 3: 申报条件与业绩 (conditions (一)–(七), mentoring, patents, achievements)."""

    next_required = ("achievements",)

    class Meta:
        model = Submission
        fields = ACHIEVEMENT_FIELDS
        help_texts = {
            "condition_1": _(
                "在从事的岗位和职业中拥有一技之长或绝技高招……具备的，请说明具体情况。"
            ),
            "condition_2": _("技能、技艺在本单位、本行业、本领域处于领先水平……"),
            "condition_3": _("善于攻坚克难，带领团队解决实际问题；热心带教徒弟……"),
            "condition_4": _("在挖掘、整理、保护、发展传统技艺上做出显著贡献……"),
            "condition_5": _("总结出独特的操作工艺或操作方法，取得显著经济效益和社会效益……"),
            "condition_6": _("在技术改造、高新技术设备使用中解决关键技术难题……"),
            "achievements": _("不超过 2000 字。"),
        }
        widgets = {
            **{f"condition_{n}": forms.Textarea(attrs={"rows": 3}) for n in range(1, 8)},
            "mentoring": forms.Textarea(attrs={"rows": 3}),
            "patents": forms.Textarea(attrs={"rows": 2}),
            "standards": forms.Textarea(attrs={"rows": 2}),
            "achievements": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievements"].max_length = ACHIEVEMENTS_MAX_LENGTH
        self.fields["achievements"].widget.attrs["maxlength"] = str(ACHIEVEMENTS_MAX_LENGTH)
        self.fields["apprentices_count"].min_value = 0
        self.fields["apprentices_count"].max_value = 10000
        if self.draft:
            self.fields["apprentices_count"].required = False

    def clean_apprentices_count(self):
        return self.cleaned_data.get("apprentices_count") or 0

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("achievements") or "").strip()
        if len(text) > ACHIEVEMENTS_MAX_LENGTH:
            self.add_error(
                "achievements",
                _("主要业绩和贡献不能超过 %(limit)d 字（当前 %(length)d 字）。")
                % {"limit": ACHIEVEMENTS_MAX_LENGTH, "length": len(text)},
            )
        return cleaned


def _year_field():
    return forms.IntegerField(
        label=_("年份"),
        min_value=1950,
        max_value=timezone.localdate().year,
        error_messages={"max_value": _("年份不能晚于今年。")},
    )


class CompetitionForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = CompetitionResult
        fields = ["name", "level", "rank", "year"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field()
        self.fields["rank"].min_value = 1
        self.fields["rank"].max_value = 10000
        for field in self.fields.values():
            friendly_required(field)


class HonourForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Honour
        fields = ["kind", "title", "level", "awarded_by", "year"]
        help_texts = {"kind": _("已获评县级工匠的，同等条件下优先培养选拔（第六条）。")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field()
        for field in self.fields.values():
            friendly_required(field)


CompetitionFormSet = inlineformset_factory(
    Submission,
    CompetitionResult,
    form=CompetitionForm,
    extra=1,
    max_num=10,
    absolute_max=20,
    validate_max=True,
    can_delete=True,
)
HonourFormSet = inlineformset_factory(
    Submission,
    Honour,
    form=HonourForm,
    extra=1,
    max_num=10,
    absolute_max=20,
    validate_max=True,
    can_delete=True,
)


# --- attachments -------------------------------------------------------------------

Kind = SubmissionAttachment.Kind
# Kinds the applicant uploads, with how many files each may hold; a one-file kind is
# replaced by a new upload.
APPLICANT_KINDS = [
    (Kind.ID_COPY, 1, _("身份证正反面，PDF 或图片。")),
    (Kind.CERTIFICATE, 5, _("职业资格证书、职业技能等级证书或职业农民职称证书。")),
    (Kind.AWARD_PROOF, 10, _("竞赛获奖证书、荣誉证书、专利证书等，可多次上传。")),
    (Kind.PHOTO, 1, _("近期免冠正面照片，只接受 JPG 或 PNG 图片。")),
    (Kind.EMPLOYER_OPINION, 1, _("所在单位意见（加盖公章）的扫描件。")),
    (Kind.OTHER, 5, _("其他能证明业绩和贡献的材料（如有）。")),
]
MAX_BY_KIND = {kind: limit for kind, limit, _help in APPLICANT_KINDS}


class AttachmentsForm(forms.Form):
    """Step 4: one file field per kind; every file is checked from its bytes."""

    required_css_class = "required"

    def __init__(self, *args, submission, draft=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.draft = draft
        self.existing = {}
        for attachment in submission.attachments.all() if submission.pk else []:
            self.existing.setdefault(attachment.kind, []).append(attachment)
        for kind, limit, help_text in APPLICANT_KINDS:
            photo = kind == Kind.PHOTO
            required = kind in SubmissionAttachment.REQUIRED_KINDS
            self.fields[kind] = forms.FileField(
                label=Kind(kind).label,
                required=False,
                help_text=help_text
                + " "
                + (_("必须上传。") if required else _("选填。"))
                + " "
                + _("每个文件不超过 5 MB。"),
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".jpg,.jpeg,.png" if photo else ".pdf,.jpg,.jpeg,.png"}
                ),
            )
            self.fields[kind].required_kind = required
            self.fields[kind].limit = limit

    def _clean_file(self, kind, uploaded):
        kinds = IMAGE_KINDS if kind == Kind.PHOTO else DOCUMENT_KINDS
        clean_upload(uploaded, kinds=kinds, max_size=SubmissionAttachment.MAX_SIZE)
        limit = MAX_BY_KIND[kind]
        if limit > 1 and len(self.existing.get(kind, [])) >= limit:
            raise ValidationError(
                _("%(kind)s最多上传 %(limit)d 个文件，请先删除不需要的文件。")
                % {"kind": Kind(kind).label, "limit": limit}
            )

    def clean(self):
        cleaned = super().clean()
        for kind, _limit, _help in APPLICANT_KINDS:
            uploaded = cleaned.get(kind)
            if uploaded in (None, False):
                cleaned[kind] = None
                continue
            try:
                self._clean_file(kind, uploaded)
            except ValidationError as error:
                self.add_error(kind, error)
        if not self.draft:
            for kind in SubmissionAttachment.REQUIRED_KINDS:
                if kind in self.errors:
                    continue
                if not self.existing.get(kind) and not cleaned.get(kind):
                    self.add_error(kind, _("请上传%(kind)s。") % {"kind": Kind(kind).label})
        return cleaned

    def uploads(self):
        """(kind, file) for each file chosen in this form."""
        return [
            (kind, self.cleaned_data[kind])
            for kind, _limit, _help in APPLICANT_KINDS
            if self.cleaned_data.get(kind)
        ]


# --- preview, declarations, pledge ---------------------------------------------------

YES_NO = [("no", _("否")), ("yes", _("是"))]

INTEGRITY_PLEDGE = _(
    "本人承诺：所填信息和提交的材料真实、准确、完整，无弄虚作假。"
    "如有不实，本人自愿承担被撤销“赣州工匠”称号、收回证书及奖励资金等责任；"
    "涉嫌犯罪的，依法移交司法机关处理（《办法》第十二条）。"
)
PUBLICATION_CONSENT = _(
    "本人单独同意：如被列为拟入选人员或最终入选，在公示和公布中向社会公开本人的姓名、性别、"
    "工作单位、职业（工种）和技能等级（《个人信息保护法》第十四条、第二十五条）。"
    "身份证号、手机号码和出生日期不会公开。"
)
DECLARATIONS_CONFIRMATION = _("本人确认以上关于人才工程和不得参评情形的声明真实、准确。")


class PledgeForm(forms.Form):
    """Step 5: declarations of article 6, integrity pledge, separate consent, unit."""

    required_css_class = "required"

    def __init__(self, *args, submission, draft=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.draft = draft
        declared = bool(submission.declarations_confirmed_at)
        self.declaration_names = []
        for name, label in EXCLUSION_FIELDS:
            self._declaration(name, _("是否%(label)s") % {"label": label}, declared)
        for name, _number, label in DISQUALIFICATION_FIELDS:
            self._declaration(name, _("是否%(label)s") % {"label": label}, declared)
        self.fields["declarations_confirmed"] = forms.BooleanField(
            label=DECLARATIONS_CONFIRMATION,
            required=not draft,
            initial=declared,
            error_messages={"required": _("请确认声明属实。")},
        )
        self.fields["integrity_pledge"] = forms.BooleanField(
            label=INTEGRITY_PLEDGE,
            required=not draft,
            initial=bool(submission.integrity_pledge_at),
            error_messages={"required": _("请阅读并签署诚信承诺。")},
        )
        self.fields["publication_consent"] = forms.BooleanField(
            label=PUBLICATION_CONSENT,
            required=not draft,
            initial=bool(submission.publication_consent_at),
            error_messages={
                "required": _(
                    "公示、公布是选拔的法定程序（《办法》第七条），须单独同意后才能提交。"
                )
            },
        )
        self.fields["recommending_unit"] = forms.ModelChoiceField(
            label=_("推荐单位"),
            queryset=RecommendingUnit.objects.filter(active=True),
            required=not draft,
            initial=submission.recommending_unit_id,
            empty_label=_("请选择"),
            help_text=_(
                "向工作地所在县（市、区）人社局申报，或向市直有关行业主管部门（含驻市有关单位）申报"
                "（《办法》第七条（一））。"
            ),
            error_messages={
                "required": _("请选择推荐单位。"),
                "invalid_choice": _("所选推荐单位不存在或已停用，请重新选择。"),
            },
        )

    def _declaration(self, name, label, declared):
        initial = None
        if declared:
            initial = "yes" if getattr(self.submission, name) else "no"
        self.fields[name] = forms.ChoiceField(
            label=label,
            choices=YES_NO,
            widget=forms.RadioSelect,
            required=not self.draft,
            initial=initial,
            error_messages={"required": _("请选择“是”或“否”。")},
        )
        self.declaration_names.append(name)

    def declaration_fields(self):
        return [self[name] for name in self.declaration_names]

    def apply(self, submission, now=None):
        """Copy the answers onto ``submission`` (not saved)."""
        now = now or timezone.now()
        data = self.cleaned_data
        for name in self.declaration_names:
            if data.get(name) in ("yes", "no"):
                setattr(submission, name, data[name] == "yes")
        submission.declarations_confirmed_at = (
            (submission.declarations_confirmed_at or now)
            if data.get("declarations_confirmed")
            else None
        )
        submission.integrity_pledge_at = (
            (submission.integrity_pledge_at or now) if data.get("integrity_pledge") else None
        )
        submission.publication_consent_at = (
            (submission.publication_consent_at or now) if data.get("publication_consent") else None
        )
        if data.get("recommending_unit") is not None or not self.draft:
            submission.recommending_unit = data.get("recommending_unit")
        return submission
