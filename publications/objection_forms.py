"""Forms for objections: the public form on a publicity notice, and the staff's verification form."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from publications.models.objections import (
    CONTENT_MAX_LENGTH,
    MAX_EVIDENCE_FILES,
    RESOLVED_STATUSES,
    Objection,
    ObjectionStatus,
    ObjectorType,
)
from website.uploads import DEFAULT_MAX_SIZE, DOCUMENT_KINDS, MB, clean_upload

# --- Phone numbers -------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area code 0 + 2-3 digits, number 7-8 digits, optional extension.
_LANDLINE = re.compile(r"(0[0-9]{2,3})-?([2-9][0-9]{6,7})(?:-([0-9]{1,6}))?")
_PHONE_NOISE = re.compile(r"[\s()（）—–]")


def normalize_phone(value: str) -> str:
    """A Chinese mobile (13812345678) or landline (0797-8888888[-123]) number, normalised.

    Raises ``ValidationError`` for anything else.
    """
    raw = (value or "").strip()
    compact = _PHONE_NOISE.sub("", raw.replace("（", "(").replace("）", ")"))
    # "(0797)8888888" lost its parentheses above; "+86 138…" / "0086138…" lose the prefix here.
    mobile = re.sub(r"^(?:\+86|0086|86)(?=1[3-9][0-9]{9}$)", "", compact.replace("-", ""))
    if _MOBILE.fullmatch(mobile):
        return mobile
    match = _LANDLINE.fullmatch(compact)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise ValidationError(
        _("请填写正确的联系电话：手机号码（11位）或带区号的固定电话，如 0797-8888888。"),
        code="invalid_phone",
    )


# Words people type instead of a name; an objection must carry a real one.
_ANONYMOUS_NAMES = {
    "匿名",
    "无名",
    "无名氏",
    "某某",
    "某人",
    "知情人",
    "知情者",
    "群众",
    "一群众",
    "网友",
    "市民",
    "不详",
    "无",
    "保密",
}


# --- Several files in one field --------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for ``<input type=file multiple>``: cleans to a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ObjectionForm(forms.Form):
    """The online objection form on a publicity notice page (实名, 公示期内)."""

    objector_type = forms.ChoiceField(
        label=_("以何种名义提出"),
        choices=ObjectorType.choices,
        initial=ObjectorType.PERSON,
        widget=forms.RadioSelect,
    )
    real_name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请填写真实姓名。")},
        help_text=_("须填写真实姓名，匿名异议不予受理；以单位名义提出的，填写经办人姓名。"),
    )
    work_unit = forms.CharField(
        label=_("工作单位"),
        max_length=200,
        required=False,
        help_text=_("以单位名义提出的，必须填写单位全称。"),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        error_messages={"required": _("请填写联系电话。")},
        help_text=_("手机号码或带区号的固定电话，仅用于核查联系，不会公开。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    entry = forms.TypedChoiceField(
        label=_("异议针对的公示对象"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    content = forms.CharField(
        label=_("异议内容"),
        min_length=10,
        error_messages={
            "required": _("请填写异议内容。"),
            "min_length": _("异议内容过短：请写明具体事实和理由（至少%(limit_value)d个字）。"),
            "max_length": _(
                "异议内容不能超过%(limit_value)d个字（当前%(show_value)d个字），"
                "详细情况可作为佐证材料上传。"
            ),
        },
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明具体事实和理由，不超过%(max)d字。") % {"max": CONTENT_MAX_LENGTH},
    )
    evidence = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_(
            "可选，最多%(count)d个文件，每个不超过%(size)d MB，只接受 PDF、JPG、PNG。"
            "以单位名义提出的，须上传加盖单位公章的书面异议材料。"
        )
        % {"count": MAX_EVIDENCE_FILES, "size": DEFAULT_MAX_SIZE // MB},
    )
    pledge = forms.BooleanField(
        label=_("本人承诺所反映情况真实，愿意配合核查，并对反映内容负责。"),
        error_messages={"required": _("请阅读并勾选承诺。")},
    )

    def __init__(self, *args, notice, entries=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.notice = notice
        entries = list(notice.entries.all() if entries is None else entries)
        self.entries_by_pk = {entry.pk: entry for entry in entries}
        self.fields["entry"].choices = [("", _("公示名单整体（不针对某一人）"))] + [
            (entry.pk, f"{entry.name}（{entry.employer}）" if entry.employer else entry.name)
            for entry in entries
        ]
        self.fields["evidence"].error_messages["invalid"] = _("上传的不是文件，请重新选择。")

    def clean_real_name(self):
        name = " ".join(self.cleaned_data["real_name"].split())
        if name in _ANONYMOUS_NAMES or any(char.isdigit() for char in name):
            raise ValidationError(_("须填写真实姓名，匿名异议不予受理。"), code="anonymous")
        return name

    def clean_work_unit(self):
        return " ".join(self.cleaned_data["work_unit"].split())

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_content(self):
        return self.cleaned_data["content"].strip()

    def clean_entry(self):
        pk = self.cleaned_data.get("entry")
        if pk is None:
            return None
        entry = self.entries_by_pk.get(pk)
        if entry is None:  # the choices already refuse it; belt and braces
            raise ValidationError(_("请选择名单中的公示对象。"), code="invalid_choice")
        return entry

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(
                _("最多上传%(count)d个文件，您选择了%(n)d个。")
                % {"count": MAX_EVIDENCE_FILES, "n": len(files)},
                code="too_many",
            )
        cleaned, errors = [], []
        for uploaded in files:
            label = (getattr(uploaded, "name", "") or "文件")[-60:]
            try:
                cleaned.append(clean_upload(uploaded, DOCUMENT_KINDS, DEFAULT_MAX_SIZE))
            except ValidationError as exc:
                errors.extend(f"{label}：{message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def clean(self):
        data = super().clean()
        if data.get("objector_type") == ObjectorType.UNIT:
            if "work_unit" in data and not data["work_unit"]:
                self.add_error("work_unit", _("以单位名义提出异议的，须填写单位全称。"))
            if "evidence" in data and not data["evidence"]:
                self.add_error(
                    "evidence",
                    _(
                        "以单位名义提出异议的，须上传加盖单位公章的书面异议材料（PDF、JPG 或 PNG）。"
                    ),
                )
        return data


class ObjectionVerifyForm(WagtailAdminModelForm):
    """Staff record the check and the reply: status, notes and reply; a conclusion is final."""

    class Meta:
        model = Objection
        fields = ["status", "verification_notes", "reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status_field = self.fields.get("status")
        if status_field is None:
            return
        current = self.instance.status
        allowed = {current, *self._allowed_after(current)}
        status_field.choices = [
            (value, label) for value, label in ObjectionStatus.choices if value in allowed
        ]
        if self.instance.is_resolved:
            status_field.disabled = True
            status_field.help_text = _("核查结论已作出，不能更改；仍可补充核查情况和答复意见。")

    @staticmethod
    def _allowed_after(status):
        from publications.models.objections import ALLOWED_TRANSITIONS

        return ALLOWED_TRANSITIONS.get(status, set())

    def clean(self):
        data = super().clean()
        status = data.get("status")
        for field in ("verification_notes", "reply"):
            if field in data:
                data[field] = (data[field] or "").strip()
        if status in RESOLVED_STATUSES:
            if not data.get("verification_notes"):
                self.add_error("verification_notes", _("作出核查结论前，请填写核查情况。"))
            if not data.get("reply"):
                self.add_error("reply", _("作出核查结论前，请填写给异议人的答复意见。"))
        return data
