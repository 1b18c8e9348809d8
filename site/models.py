"""The site's own content: the home page and site-wide contact settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from website.search import chinese_search_fields


class HomePage(Page):
    """The front page.  Plugins add panels to it through the ``home_page_panels`` hook."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = chinese_search_fields([*Page.search_fields, index.SearchField("intro")])
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = [
            panel
            for hook in hooks.get_hooks("home_page_panels")
            if (panel := hook(request, self)) is not None
        ]
        context["quick_links"] = self.quick_links(request)
        return context

    def quick_links(self, request):
        """The row of 快捷入口: each plugin names its own through ``home_quick_links``.

        A hook returns ``[{"title", "url", "order"}]``; the links are shown by ``order``
        so that 政策文件、通知公告、名单公示、工匠风采、在线申报 keep their place
        whichever plugins are installed.
        """
        links = [
            link
            for hook in hooks.get_hooks("home_quick_links")
            for link in hook(request, self) or []
            if link.get("url")
        ]
        return sorted(links, key=lambda link: link.get("order", 100))


@register_setting(icon="site")
class SiteContact(BaseGenericSetting):
    """The bureau's contact details, shown in the footer of every page."""

    bureau_name = models.CharField(
        _("主办单位"), max_length=100, default="赣州市人力资源和社会保障局"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    icp_record = models.CharField(_("备案号"), max_length=50, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bureau_name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("office_hours"),
            ],
            heading=_("联系方式"),
        ),
        FieldPanel("icp_record"),
    ]

    class Meta:
        verbose_name = _("网站联系信息")
        verbose_name_plural = _("网站联系信息")


class OutgoingMail(models.Model):
    """One e-mail in the outbox (``website.mail``).

    Written in the same transaction as the state change that causes it, so a mail is
    never lost when the task broker is down and never sent for a change that was rolled
    back.  ``website.mail.deliver`` sends it once; the retry job picks up what is left.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipients = models.TextField(_("收件人"), help_text=_("每行一个电子邮箱。"))
    subject = models.CharField(_("主题"), max_length=255)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)

    class Meta:
        verbose_name = _("邮件发送记录")
        verbose_name_plural = _("邮件发送记录")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def recipient_list(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
