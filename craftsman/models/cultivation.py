"""培养 (《办法》第十条、第十一条): the employer's annual cultivation records.

- :class:`EmployerAccount` ties a 用人单位 account to the employer named on its
  craftsmen's submissions (exact name, ``Submission.employer``);
- :class:`CultivationRecord` is one year's report (第1至3年) of one craftsman, with
  :class:`CultivationAttachment` files in private storage;
- :class:`CultivationReminder` remembers each reminder e-mail, at most one a day.

Year *n* of a craftsman conferred in year *Y* is calendar year *Y + n*, reported by
``CULTIVATION_DUE_MONTH_DAY`` (default 31 January) of the year after.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.models.conferral import CULTIVATION_YEARS, Craftsman
from craftsman.storage import private_storage

DEFAULT_DUE_MONTH_DAY = (1, 31)


def due_month_day():
    return tuple(getattr(settings, "CULTIVATION_DUE_MONTH_DAY", DEFAULT_DUE_MONTH_DAY))


def calendar_year(craftsman, year_index):
    """The calendar year that cultivation year ``year_index`` (1..3) of ``craftsman`` covers."""
    return craftsman.conferred_on.year + year_index


def due_date(craftsman, year_index):
    """When the report of ``year_index`` is due: 31 January (by default) of the year after."""
    month, day = due_month_day()
    return datetime.date(calendar_year(craftsman, year_index) + 1, month, day)


class EmployerAccount(models.Model):
    """A 用人单位 account and the employer it reports for (matched by exact name)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="craftsman_employer_accounts",
    )
    employer_name = models.CharField(
        _("用人单位名称"), max_length=200, help_text=_("与申报表“工作单位”完全一致。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用人单位账号")
        verbose_name_plural = _("用人单位账号")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "employer_name"], name="craftsman_employer_account_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.employer_name}"

    def save(self, *args, **kwargs):
        self.employer_name = (self.employer_name or "").strip()
        super().save(*args, **kwargs)


def employer_names_for(user):
    """The employer names the user reports for (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_craftsman_employer_names", None)
    if cached is None:
        cached = frozenset(user.craftsman_employer_accounts.values_list("employer_name", flat=True))
        user._craftsman_employer_names = cached
    return cached


class CultivationRecordQuerySet(models.QuerySet):
    def for_user(self, user):
        """The bureau sees every record; an employer account only its own craftsmen's."""
        from craftsman.roles import is_bureau

        if is_bureau(user):
            return self.all()
        names = employer_names_for(user)
        if not names or not user.has_perm("craftsman.view_cultivationrecord"):
            return self.none()
        return self.filter(craftsman__submission__employer__in=names)


class CultivationRecord(models.Model):
    """One year's cultivation report of one craftsman, by the employer (art. 11)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        CONFIRMED = "confirmed", _("已确认")

    craftsman = models.ForeignKey(
        Craftsman,
        verbose_name=_("赣州工匠"),
        on_delete=models.CASCADE,
        related_name="cultivation_records",
    )
    year_index = models.PositiveSmallIntegerField(
        _("培养年度"), choices=[(n, f"第{n}年") for n in range(1, CULTIVATION_YEARS + 1)]
    )
    due_on = models.DateField(_("报送截止日期"))
    training = models.TextField(_("培训学习情况"), blank=True)
    apprentice_names = models.TextField(
        _("所带徒弟"), blank=True, help_text=_("名师带徒：徒弟姓名，每行一人。")
    )
    apprentice_count = models.PositiveSmallIntegerField(_("带徒人数"), default=0)
    skills_transmission = models.TextField(_("技能传承活动"), blank=True)
    public_welfare = models.TextField(_("公益活动"), blank=True)
    innovations = models.TextField(_("技术创新与成果"), blank=True)
    employer_assessment = models.TextField(_("单位考核评价"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # The version token of the edit form (website.concurrency): changes on every save.
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)

    objects = CultivationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度培养情况")
        verbose_name_plural = _("年度培养情况")
        ordering = ["craftsman__title_year", "craftsman__sequence", "year_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["craftsman", "year_index"], name="craftsman_cultivation_year_unique"
            )
        ]

    def __str__(self):
        return f"{self.craftsman.name} 第{self.year_index}年培养情况"

    @property
    def calendar_year(self):
        return calendar_year(self.craftsman, self.year_index)

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class CultivationAttachment(models.Model):
    """A file attached to a cultivation record (PDF/JPG/PNG, checked by ``clean_upload``)."""

    record = models.ForeignKey(
        CultivationRecord,
        verbose_name=_("年度培养情况"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to="craftsman/cultivation/", max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("培养情况附件")
        verbose_name_plural = _("培养情况附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or self.file.name


class CultivationReminder(models.Model):
    """A reminder e-mail about one craftsman's report of one year: at most one a day."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("截止前30天提醒")
        DUE = "due", _("截止当日提醒")
        OVERDUE = "overdue", _("逾期提醒")

    craftsman = models.ForeignKey(
        Craftsman,
        verbose_name=_("赣州工匠"),
        on_delete=models.CASCADE,
        related_name="cultivation_reminders",
    )
    year_index = models.PositiveSmallIntegerField(_("培养年度"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("发送日期"))
    recipients = models.TextField(_("收件人"), blank=True)

    class Meta:
        verbose_name = _("培养情况报送提醒")
        verbose_name_plural = _("培养情况报送提醒")
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["craftsman", "year_index", "sent_on"],
                name="craftsman_cultivation_reminder_daily_unique",
            )
        ]

    def __str__(self):
        return f"{self.craftsman_id} 第{self.year_index}年 {self.get_kind_display()} {self.sent_on}"
