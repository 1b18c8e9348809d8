"""公示、批准与认定 (《办法》第七条（四）（五）、第八条至第十条).

- :class:`RoundPublicity` links a round to the publicity notice generated from its
  proposed list (the notice itself lives in the publications plugin);
- :class:`PublicityHold` puts a candidate on hold while an objection against their
  entry is open;
- :class:`GovernmentApproval` records the city government's approval of the list;
- :class:`Craftsman` is the title holder, with their certificate and :class:`Reward`;
- :class:`CraftsmanIndexPage` / :class:`CraftsmanProfilePage` are the public profiles
  (工匠风采).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from craftsman.models.reference import SelectionRound
from craftsman.models.submissions import Submission
from craftsman.storage import private_storage
from website.search import chinese_search_fields

REWARD_AMOUNT = Decimal("30000.00")  # 《办法》第八条：一次性奖励人民币3万元
CULTIVATION_YEARS = 3  # 《办法》第十条：培养期为三年
CERTIFICATE_ISSUER = "赣州市人民政府"  # 《办法》第八条：由市人民政府颁发证书


class RoundPublicity(models.Model):
    """The publicity notice generated from a round's proposed list."""

    round = models.OneToOneField(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="publicity",
    )
    notice = models.ForeignKey(
        "publications.PublicityNoticePage",
        verbose_name=_("公示"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("公示办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度公示")
        verbose_name_plural = _("年度公示")

    def __str__(self):
        return f"{self.round} 公示"


class PublicityHold(models.Model):
    """A candidate on hold because of one objection against their entry."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="holds"
    )
    objection = models.OneToOneField(
        "publications.Objection",
        verbose_name=_("异议"),
        on_delete=models.CASCADE,
        related_name="craftsman_hold",
    )
    opened_at = models.DateTimeField(_("暂缓时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    upheld = models.BooleanField(_("异议属实"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示暂缓")
        verbose_name_plural = _("公示暂缓")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.submission.name}：{self.objection}"

    @property
    def is_open(self):
        return self.resolved_at is None


class GovernmentApproval(models.Model):
    """市政府批准 (art. 7(五)): the approval of the whole list, required before conferral."""

    round = models.OneToOneField(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.PROTECT,
        related_name="approval",
    )
    document_number = models.CharField(
        _("批准文号"), max_length=100, help_text=_("例如：赣市府字〔2025〕58号")
    )
    approved_on = models.DateField(_("批准日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    result_page = models.ForeignKey(
        "publications.ResultAnnouncementPage",
        verbose_name=_("公布名单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("市政府批准")
        verbose_name_plural = _("市政府批准")

    def __str__(self):
        return f"{self.round}：{self.document_number}"


class CraftsmanQuerySet(models.QuerySet):
    def for_user(self, user):
        """Title holders: the bureau sees all of them, nobody else does (in the admin)."""
        from craftsman.roles import is_bureau

        return self.all() if is_bureau(user) else self.none()


class Craftsman(models.Model):
    """赣州工匠: the title holder, made by :func:`craftsman.conferral.confer_round`."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        COMPLETED = "completed", _("培养期满")
        REVOKED = "revoked", _("已撤销")

    submission = models.OneToOneField(
        Submission, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="craftsman"
    )
    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.PROTECT,
        related_name="craftsmen",
    )
    title_year = models.PositiveSmallIntegerField(_("称号年度"))
    sequence = models.PositiveSmallIntegerField(_("年度序号"))
    certificate_number = models.CharField(_("证书编号"), max_length=30, unique=True)
    conferred_on = models.DateField(_("认定日期"))
    cultivation_ends_on = models.DateField(_("培养期截止日期"))
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    in_talent_directory = models.BooleanField(
        _("已纳入市人才目录"), default=True, help_text=_("《办法》第九条。")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    certificate_file = models.FileField(
        _("证书"), storage=private_storage, upload_to="craftsman/certificates/", max_length=200
    )
    profile_page = models.ForeignKey(
        "craftsman.CraftsmanProfilePage",
        verbose_name=_("风采页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CraftsmanQuerySet.as_manager()

    class Meta:
        verbose_name = _("赣州工匠")
        verbose_name_plural = _("赣州工匠")
        ordering = ["-title_year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["title_year", "sequence"], name="craftsman_certificate_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.submission.name}（{self.certificate_number}）"

    @property
    def name(self):
        return self.submission.name


class Reward(models.Model):
    """一次性奖励 (art. 8): 30,000 CNY, paid once."""

    class PaymentStatus(models.TextChoices):
        PENDING = "pending", _("待发放")
        PAID = "paid", _("已发放")
        CANCELLED = "cancelled", _("已取消")

    craftsman = models.OneToOneField(
        Craftsman, verbose_name=_("赣州工匠"), on_delete=models.CASCADE, related_name="reward"
    )
    amount = models.DecimalField(
        _("金额（元）"), max_digits=10, decimal_places=2, default=REWARD_AMOUNT
    )
    status = models.CharField(
        _("发放状态"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    voucher_number = models.CharField(_("凭证号"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("一次性奖励")
        verbose_name_plural = _("一次性奖励")

    def __str__(self):
        return f"{self.craftsman.name} {self.amount} {self.get_status_display()}"


class CraftsmanIndexPage(Page):
    """工匠风采: the section listing the published profiles."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["craftsman.CraftsmanProfilePage"]
    max_count = 1
    template = "craftsman/pages/craftsman_index_page.html"

    class Meta:
        verbose_name = _("工匠风采")
        verbose_name_plural = _("工匠风采")

    def get_context(self, request, *args, **kwargs):
        from craftsman.directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(self, request))
        return context


class CraftsmanProfilePage(Page):
    """One title holder's public profile: never an ID number, phone number or birth date."""

    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Indexed: the home page's featured craftsmen are the newest year's, found by walking
    # this index backwards instead of sorting every profile.
    title_year = models.PositiveSmallIntegerField(_("称号年度"), db_index=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    occupation = models.CharField(_("职业（工种）"), max_length=100, blank=True)
    speciality = models.CharField(_("技能专长"), max_length=200, blank=True)
    achievements = models.TextField(_("主要业绩"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("photo"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("title_year"), FieldPanel("occupation")]),
                FieldPanel("employer"),
                FieldPanel("speciality"),
            ],
            heading=_("基本情况"),
        ),
        FieldPanel("achievements"),
    ]
    search_fields = chinese_search_fields(
        [
            *Page.search_fields,
            index.SearchField("employer"),
            index.SearchField("occupation"),
            index.SearchField("speciality"),
            index.SearchField("achievements"),
            index.FilterField("title_year"),
        ]
    )
    # The public read-only API (/api/v2/pages/?type=craftsman.CraftsmanProfilePage):
    # the page's own public fields only, never anything from the submission.
    api_fields = [
        APIField("title_year"),
        APIField("employer"),
        APIField("occupation"),
        APIField("speciality"),
        APIField("achievements"),
        APIField("photo", serializer=ImageRenditionField("max-480x600")),
        APIField("photo_thumbnail", serializer=ImageRenditionField("fill-160x200", source="photo")),
        APIField("cultivation_status"),
    ]
    parent_page_types = ["craftsman.CraftsmanIndexPage"]
    subpage_types = []
    template = "craftsman/pages/craftsman_profile_page.html"

    class Meta:
        verbose_name = _("工匠风采页面")
        verbose_name_plural = _("工匠风采页面")

    @property
    def cultivation_status(self):
        """The public one-line cultivation summary (e.g. “培养期第2年，年度记录已提交”)."""
        from craftsman.directory import cultivation_summary, title_holder

        return cultivation_summary(title_holder(self))

    def serve(self, request, *args, **kwargs):
        """A revoked title's profile is never shown, even if it was republished by mistake."""
        from craftsman.directory import title_holder

        holder = self._title_holder = title_holder(self)
        if holder is not None and holder.status == Craftsman.Status.REVOKED:
            raise Http404("该页面不存在")
        if holder is not None and holder.profile_page.photo_id == self.photo_id:
            self.photo = holder.profile_page.photo  # joined in the same query
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from craftsman.directory import profile_context, title_holder

        context = super().get_context(request, *args, **kwargs)
        holder = title_holder(self)  # the one serve() looked up
        context.update(profile_context(self, holder))
        return context
