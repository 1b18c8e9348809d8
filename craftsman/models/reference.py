"""Reference data of the programme: recommending units, industries, unit staff, rounds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecommendingUnit(models.Model):
    """推荐单位 (art. 7(一)): a county bureau, a city department or a unit stationed in the city."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("县（市、区）人社局")
        DEPARTMENT = "department", _("市直行业主管部门")
        STATIONED = "stationed", _("驻市单位")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    area = models.CharField(
        _("所辖区域"), max_length=50, blank=True, help_text=_("县（市、区）或功能区名称。")
    )
    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        blank=True,
        help_text=_("GB/T 2260 代码；功能区和市直部门没有代码，留空。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("推荐单位")
        verbose_name_plural = _("推荐单位")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="craftsman_unit_code_unique",
                violation_error_message=_("已有使用该行政区划代码的推荐单位。"),
            )
        ]

    def __str__(self):
        return self.name


class Industry(models.Model):
    """An industry of the city's "1+5+N" system, editable by the bureau."""

    class Group(models.TextChoices):
        LEADING = "1", _("1：首位产业")
        PILLAR = "5", _("5：主导产业")
        COUNTY = "N", _("N：县域特色产业")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    group = models.CharField(_("类别"), max_length=10, choices=Group.choices)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业（1+5+N）")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    """A user working for a recommending unit (unit staff; later also employers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="craftsman_memberships",
    )
    unit = models.ForeignKey(
        RecommendingUnit,
        verbose_name=_("推荐单位"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐单位工作人员")
        verbose_name_plural = _("推荐单位工作人员")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="craftsman_membership_unique")
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}"


def programme_target():
    """The programme-wide target (art. 5: 50 by 2025); a setting, shown beside the totals."""
    return getattr(settings, "CRAFTSMAN_PROGRAMME_TARGET", 50)


class SelectionRound(models.Model):
    """年度批次: one year's selection, with its application window and quota (art. 5, 7)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("申报中")
        RECOMMENDATION_CLOSED = "recommendation_closed", _("推荐截止")
        REVIEWING = "reviewing", _("评审中")
        PUBLICITY = "publicity", _("公示中")
        CLOSED = "closed", _("已结束")

    # While a round is in one of these, units may still verify and recommend
    # and returned submissions may be corrected and resubmitted.
    RECOMMENDING_STATUSES = (Status.OPEN, Status.RECOMMENDATION_CLOSED)

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    open_call_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("申报通知页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("申报开始时间"))
    closes_at = models.DateTimeField(_("申报截止时间"))
    recommendation_deadline = models.DateTimeField(
        _("推荐截止时间"), null=True, blank=True, help_text=_("推荐单位报送推荐函的截止时间。")
    )
    quota = models.PositiveSmallIntegerField(
        _("选拔名额"), default=15, help_text=_("《办法》第五条：每次选拔 15 名左右。")
    )
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        verbose_name = _("选拔年度")
        verbose_name_plural = _("选拔年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="craftsman_round_window_order",
                violation_error_message=_("申报截止时间必须晚于开始时间。"),
            )
        ]

    def __str__(self):
        return self.title or f"{self.year}年度"

    def is_accepting_submissions(self, now=None):
        """True inside the application window of a round that is 申报中."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now <= self.closes_at

    def window_refusal(self, now=None):
        """Why a first submission is refused now, in Chinese, or "" when it is accepted."""
        now = now or timezone.now()
        local = timezone.localtime
        if self.status != self.Status.OPEN:
            return _("%(round)s 当前状态为“%(status)s”，不接受申报。") % {
                "round": self,
                "status": self.get_status_display(),
            }
        if now < self.opens_at:
            return _("%(round)s 申报尚未开始：申报时间为 %(start)s 至 %(end)s。") % {
                "round": self,
                "start": f"{local(self.opens_at):%Y-%m-%d %H:%M}",
                "end": f"{local(self.closes_at):%Y-%m-%d %H:%M}",
            }
        if now > self.closes_at:
            return _("%(round)s 申报已于 %(end)s 截止，不再接受申报。") % {
                "round": self,
                "end": f"{local(self.closes_at):%Y-%m-%d %H:%M}",
            }
        return ""

    @property
    def is_recommending(self):
        return self.status in self.RECOMMENDING_STATUSES

    @classmethod
    def current_open(cls, now=None):
        """The round accepting submissions now, if any."""
        now = now or timezone.now()
        return (
            cls.objects.filter(status=cls.Status.OPEN, opens_at__lte=now, closes_at__gte=now)
            .order_by("-year")
            .first()
        )
