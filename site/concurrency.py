"""Optimistic concurrency for long edit forms: never silently overwrite a newer change.

Why: an applicant, a unit's staff member and the bureau can have the same record open
for many minutes.  Without a check, the last to press 保存 wins and the other's work
is lost without anyone noticing.  Each versioned form carries a hidden token — the
row's ``updated_at`` (an ``auto_now`` field) when the form was rendered — and saving
is refused with a clear Chinese message when the row has changed since; nothing is
written.

Use :class:`VersionCheckedFormMixin` on a ``ModelForm`` (checked in ``clean()`` and
again, with the row locked, in ``save()``), or :func:`check_version` where a service
function saves the row itself.  A POST without a token (an old client, a script) is
not checked: the guard is for people in browsers, not an access control.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version_token"
DEFAULT_VERSION_ATTR = "updated_at"


class StaleEdit(ValidationError):
    """The record changed after the form was opened; nothing was saved."""


def version_token(value):
    """The text form of a version value (a datetime or a number); "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.strftime("%Y%m%dT%H%M%S.%f")
    return str(value)


def instance_token(instance, attr=DEFAULT_VERSION_ATTR):
    return version_token(getattr(instance, attr, None)) if instance.pk else ""


def _last_editor(instance, since):
    """Who changed ``instance`` after ``since``, from Wagtail's audit log, or None."""
    from wagtail.models import ModelLogEntry

    entry = (
        ModelLogEntry.objects.for_instance(instance)
        .filter(timestamp__gte=since)
        .select_related("user")
        .order_by("-timestamp")
        .first()
    )
    if entry is None or entry.user is None:
        return None
    user = entry.user
    return user.get_full_name() or user.get_username()


def stale_message(instance, current_value):
    """The Chinese refusal, naming when (and who, when the audit log knows)."""
    if isinstance(current_value, datetime.datetime):
        when = timezone.localtime(current_value).strftime("%Y年%-m月%-d日 %H:%M")
        who = _last_editor(instance, current_value - datetime.timedelta(seconds=5))
        if who:
            return _(
                "未保存：该记录已于 %(when)s 被 %(who)s 修改。请刷新页面查看最新内容后重试"
                "（您本次填写的内容尚未保存，可先复制留存）。"
            ) % {"when": when, "who": who}
        return _(
            "未保存：该记录已于 %(when)s 被他人修改。请刷新页面查看最新内容后重试"
            "（您本次填写的内容尚未保存，可先复制留存）。"
        ) % {"when": when}
    return _(
        "未保存：该记录已被他人修改。请刷新页面查看最新内容后重试"
        "（您本次填写的内容尚未保存，可先复制留存）。"
    )


def check_version(instance, token, attr=DEFAULT_VERSION_ATTR, lock=False):
    """Raise :class:`StaleEdit` if ``instance``'s row changed since ``token``.

    ``lock=True`` (inside ``transaction.atomic``) locks the row so that nobody can
    change it between this check and the caller's save.  An empty token is not checked.
    """
    if not token or not instance.pk:
        return
    manager = type(instance)._default_manager
    queryset = manager.select_for_update() if lock else manager.all()
    rows = list(queryset.filter(pk=instance.pk).values_list(attr, flat=True))
    if not rows:
        raise StaleEdit(_("未保存：该记录已被删除。"), code="stale")
    if version_token(rows[0]) != token:
        raise StaleEdit(stale_message(instance, rows[0]), code="stale")


class VersionCheckedFormMixin:
    """A ``ModelForm`` mixin: a hidden version token, checked before saving."""

    version_attr = DEFAULT_VERSION_ATTR

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            label="",
            initial=instance_token(self.instance, self.version_attr),
        )

    def submitted_version(self):
        if not self.is_bound:
            return ""
        return (self.data.get(self.add_prefix(VERSION_FIELD)) or "").strip()

    def check_version(self, lock=False):
        check_version(self.instance, self.submitted_version(), self.version_attr, lock=lock)

    def clean(self):
        cleaned_data = super().clean()
        self.check_version()
        return cleaned_data

    def save(self, commit=True):
        if commit:
            self.check_version(lock=True)  # again, with the row locked, just before writing
        return super().save(commit=commit)


def with_version_check(form_class, attr=DEFAULT_VERSION_ATTR):
    """``form_class`` with :class:`VersionCheckedFormMixin` (for generated admin forms)."""
    return type(
        f"VersionChecked{form_class.__name__}",
        (VersionCheckedFormMixin, form_class),
        {"version_attr": attr, "__module__": form_class.__module__},
    )
