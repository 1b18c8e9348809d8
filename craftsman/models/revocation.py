"""退出与待遇 (《办法》第九条、第十二条).

- :class:`Revocation` is a case of 撤销称号: proposed by one bureau member, verified
  (核实) or rejected by another;
- :class:`RevocationEvidence` is one evidence file of a case (private storage);
- :class:`Clawback` / :class:`ClawbackPayment`: recovering a paid reward after fraud;
- :class:`Benefit` records an article 9 benefit offered to a title holder.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.models.conferral import Craftsman
from craftsman.storage import private_storage


class RevocationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Revocation cases: the bureau sees all of them, nobody else does."""
        from craftsman.roles import is_bureau

        return self.all() if is_bureau(user) else self.none()


class Revocation(models.Model):
    """撤销“赣州工匠”称号 (art. 12), or 徇私舞弊、弄虚作假 (fraud)."""

    class Reason(models.TextChoices):
        PENALTY = "penalty", _("（一）受到行政处罚或刑事处罚")
        DISMISSAL = "dismissal", _("（二）受到撤职或留党察看以上处分")
        MORALITY = "morality", _("（三）严重违反社会公德")
        SPEECH = "speech", _("（四）发表不当网络言论或受到知识产权处罚")
        RELOCATED = "relocated", _("（五）调离赣州")
        OTHER = "other", _("（六）其他违法违纪行为")
        FRAUD = "fraud", _("徇私舞弊、弄虚作假")

    class CaseStatus(models.TextChoices):
        PROPOSED = "proposed", _("待核实")
        VERIFIED = "verified", _("已核实，称号已撤销")
        REJECTED = "rejected", _("核实不属实")
        REINSTATED = "reinstated", _("已恢复称号")

    craftsman = models.ForeignKey(
        Craftsman,
        verbose_name=_("赣州工匠"),
        on_delete=models.PROTECT,
        related_name="revocations",
    )
    reason = models.CharField(_("撤销情形"), max_length=20, choices=Reason.choices)
    facts = models.TextField(_("事实"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("不属实理由"), blank=True)
    certificate_returned = models.BooleanField(_("证书已收回"), null=True, blank=True)
    certificate_returned_on = models.DateField(_("证书收回日期"), null=True, blank=True)
    referred_on = models.DateField(_("移交司法机关日期"), null=True, blank=True)
    referral_note = models.TextField(_("移交说明"), blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reinstated_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    reinstatement_reason = models.TextField(_("恢复理由"), blank=True)

    objects = RevocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("撤销称号")
        verbose_name_plural = _("撤销称号")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return f"{self.craftsman.name}：{self.get_reason_display()}"

    @property
    def is_fraud(self):
        return self.reason == self.Reason.FRAUD


class RevocationEvidence(models.Model):
    """One evidence file of a case (PDF/JPG/PNG, checked by ``website.uploads``)."""

    revocation = models.ForeignKey(
        Revocation, verbose_name=_("撤销案件"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to="craftsman/revocation/", max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    content_type = models.CharField(_("类型"), max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("撤销证据")
        verbose_name_plural = _("撤销证据")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name or self.file.name


class Clawback(models.Model):
    """追回奖励: due = the amount paid; the balance is due minus the payments."""

    revocation = models.OneToOneField(
        Revocation, verbose_name=_("撤销案件"), on_delete=models.CASCADE, related_name="clawback"
    )
    amount_due = models.DecimalField(_("应追回金额（元）"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("追回奖励")
        verbose_name_plural = _("追回奖励")

    def __str__(self):
        return f"{self.revocation.craftsman.name} 应追回 {self.amount_due}"

    @property
    def repaid(self):
        total = self.payments.aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0.00")

    @property
    def outstanding(self):
        return max(self.amount_due - self.repaid, Decimal("0.00"))


class ClawbackPayment(models.Model):
    clawback = models.ForeignKey(
        Clawback, verbose_name=_("追回奖励"), on_delete=models.CASCADE, related_name="payments"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("缴回日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("追回款项")
        verbose_name_plural = _("追回款项")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.paid_on} {self.amount}"


class Benefit(models.Model):
    """激励待遇 (art. 9): one benefit offered to a title holder."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("技能研修培训")
        EXCHANGE = "exchange", _("技术技艺交流")
        TALENT_PROGRAMME = "talent", _("推荐省级以上人才工程")
        MODEL_WORKER = "model_worker", _("推荐市级劳动模范")
        MAY_DAY = "may_day", _("推荐五一劳动奖章")
        MASTER_STUDIO = "studio", _("技能大师工作室认定")
        OTHER = "other", _("其他")

    craftsman = models.ForeignKey(
        Craftsman, verbose_name=_("赣州工匠"), on_delete=models.CASCADE, related_name="benefits"
    )
    kind = models.CharField(_("待遇类别"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    outcome = models.CharField(_("结果"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("激励待遇")
        verbose_name_plural = _("激励待遇")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.craftsman.name}：{self.get_kind_display()}"
