"""异议: objections raised against a publicity notice, and the files that back them.

An objection is received online while the notice is open (or, later, entered
by staff), checked by the bureau and answered: 已受理 → 核查中 → 属实 / 不属实.
The outcome is final once reached.  Evidence files live on the private storage
and are served only through a permission-checked admin view.

Other plugins follow objections through the signals in
:mod:`publications.signals`; this module knows nothing of them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publications.workdays import SHANGHAI

CONTENT_MAX_LENGTH = 2000
MAX_EVIDENCE_FILES = 5
RECEIPT_PREFIX = "YY"  # 异议


def private_storage():
    """Objectors' files: ``storages["private"]``, never served from MEDIA_URL."""
    return storages["private"]


class ObjectorType(models.TextChoices):
    PERSON = "person", _("个人")
    UNIT = "unit", _("单位")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    CHECKING = "checking", _("核查中")
    UPHELD = "upheld", _("属实")
    REJECTED = "rejected", _("不属实")


RESOLVED_STATUSES = frozenset({ObjectionStatus.UPHELD, ObjectionStatus.REJECTED})

# Which status may follow which.  A conclusion (属实/不属实) is final.
ALLOWED_TRANSITIONS = {
    ObjectionStatus.RECEIVED: {
        ObjectionStatus.CHECKING,
        ObjectionStatus.UPHELD,
        ObjectionStatus.REJECTED,
    },
    ObjectionStatus.CHECKING: {ObjectionStatus.UPHELD, ObjectionStatus.REJECTED},
    ObjectionStatus.UPHELD: set(),
    ObjectionStatus.REJECTED: set(),
}

OBJECTION_PERMISSIONS = ("publications.view_objection", "publications.change_objection")


class ObjectionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The objections ``user`` may see: all of them with the objection permission, else none.

        Every admin list, form, count and evidence download goes through here.
        """
        if (
            user is not None
            and user.is_authenticated
            and user.is_active
            and any(user.has_perm(perm) for perm in OBJECTION_PERMISSIONS)
        ):
            return self
        return self.none()


def new_receipt_number(when=None) -> str:
    """A receipt number such as ``YY20250929-4821``: the Beijing date and four random digits.

    Random rather than sequential so that a receipt tells nobody how many
    objections a notice received; the caller retries on the rare clash.
    """
    when = (when or timezone.now()).astimezone(SHANGHAI)
    return f"{RECEIPT_PREFIX}{when:%Y%m%d}-{secrets.randbelow(10_000):04d}"


class Objection(models.Model):
    notice = models.ForeignKey(
        "publications.PublicityNoticePage",
        verbose_name=_("公示"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    entry = models.ForeignKey(
        "publications.PublicityEntry",
        verbose_name=_("公示对象"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        help_text=_("不选表示对公示名单或程序整体提出异议。"),
    )
    # The entry's name when the objection was received: the list may change later.
    entry_name = models.CharField(
        _("公示对象姓名"),
        max_length=50,
        blank=True,
        help_text=_("为空表示对公示名单整体提出异议。"),
    )
    objector_type = models.CharField(
        _("异议人类型"), max_length=10, choices=ObjectorType.choices, default=ObjectorType.PERSON
    )
    real_name = models.CharField(
        _("姓名"), max_length=50, help_text=_("以单位名义提出的，填写经办人姓名。")
    )
    phone = models.CharField(_("联系电话"), max_length=30)
    work_unit = models.CharField(
        _("工作单位"), max_length=200, blank=True, help_text=_("以单位名义提出的，填写单位全称。")
    )
    content = models.TextField(_("异议内容"), max_length=CONTENT_MAX_LENGTH)
    status = models.CharField(
        _("办理状态"),
        max_length=20,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.RECEIVED,
        db_index=True,
    )
    verification_notes = models.TextField(_("核查情况"), blank=True)
    reply = models.TextField(_("答复意见"), blank=True, help_text=_("向异议人反馈的答复。"))
    receipt_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    submitted_ip = models.GenericIPAddressField(_("提交地址"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.receipt_number or "异议"

    @property
    def is_resolved(self) -> bool:
        return self.status in RESOLVED_STATUSES

    @property
    def upheld(self) -> bool | None:
        """True (属实), False (不属实), or None while unresolved."""
        if not self.is_resolved:
            return None
        return self.status == ObjectionStatus.UPHELD

    def can_become(self, status: str) -> bool:
        return status == self.status or status in ALLOWED_TRANSITIONS.get(self.status, set())

    def objector_label(self) -> str:
        if self.objector_type == ObjectorType.UNIT and self.work_unit:
            return f"{self.work_unit}（经办人：{self.real_name}）"
        return self.real_name

    objector_label.short_description = _("异议人")

    def subject_label(self) -> str:
        return self.entry_name or "公示名单整体"

    subject_label.short_description = _("针对")


class ObjectionEvidence(models.Model):
    """A file backing an objection: PDF, JPG or PNG, at most 5 MB, at most 5 per objection."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("异议"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to="objections/%Y/%m/", max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("异议佐证材料")
        verbose_name_plural = _("异议佐证材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def display_name(self) -> str:
        return self.original_name or f"材料{self.pk}"
