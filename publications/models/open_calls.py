"""申报通知: the notice that opens a year's selection (《办法》第七条).

Another plugin adds buttons to it (the craftsman plugin: 在线申报) through the
Wagtail hook ``open_call_actions``::

    @hooks.register("open_call_actions")
    def apply_online(request, page):
        # page is the OpenCallPage; page.window_state() says whether it is open.
        return [{"title": "在线申报", "url": "/apply/2026/"}]

Each hook returns a list of ``{"title", "url"}``; the page renders them as
buttons, in hook order.  This plugin never imports the one that registers them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from publications.api import RichTextHTMLField
from publications.models.notices import NoticePage, NoticeType
from website.search import chinese_search_fields


def current_year():
    return timezone.localdate().year


class WindowState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("已截止")


class MaterialBlock(blocks.StructBlock):
    """One item of the materials checklist."""

    name = blocks.CharBlock(label=_("材料名称"), max_length=200)
    note = blocks.CharBlock(
        label=_("说明"), max_length=300, required=False, help_text=_("例如：原件扫描件，一式三份")
    )
    required = blocks.BooleanBlock(label=_("必须提供"), required=False, default=True)

    class Meta:
        label = _("材料")
        icon = "list-ul"


class OpenCallPage(NoticePage):
    """申报通知: the year, the application window, the quota, who may apply and with what."""

    year = models.PositiveSmallIntegerField(
        _("选拔年度"),
        default=current_year,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    window_start = models.DateTimeField(_("申报开始时间"), help_text=_("北京时间"))
    window_end = models.DateTimeField(_("申报截止时间"), help_text=_("北京时间"))
    quota = models.PositiveSmallIntegerField(
        _("选拔名额"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("《办法》第五条：每次选拔15名左右"),
    )
    eligibility = RichTextField(
        _("申报对象和条件"), features=["bold", "ol", "ul", "link"], blank=True
    )
    materials = StreamField(
        [("material", MaterialBlock())],
        verbose_name=_("申报材料清单"),
        blank=True,
        use_json_field=True,
    )
    contact = models.TextField(
        _("联系方式"),
        blank=True,
        help_text=_("受理科室、联系人、办公电话、地址；每项一行"),
    )

    fixed_notice_type = NoticeType.NOTICE

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(NoticePage.doc_panels, heading=_("文件信息")),
        MultiFieldPanel(
            [
                FieldPanel("year"),
                FieldRowPanel([FieldPanel("window_start"), FieldPanel("window_end")]),
                FieldPanel("quota"),
            ],
            heading=_("申报安排"),
        ),
        FieldPanel("body"),
        FieldPanel("eligibility"),
        FieldPanel("materials"),
        FieldPanel("attachments", heading=_("表格下载")),
        FieldPanel("contact"),
    ]
    search_fields = [
        *NoticePage.search_fields,
        *chinese_search_fields(
            [
                index.SearchField("eligibility"),
                index.SearchField("materials"),
                index.FilterField("year"),
            ]
        ),
    ]
    api_fields = [
        *NoticePage.api_fields,
        APIField("year"),
        APIField("window_start"),
        APIField("window_end"),
        APIField("quota"),
        APIField("eligibility", serializer=RichTextHTMLField()),
        APIField("materials"),
        APIField("contact"),
    ]
    parent_page_types = ["publications.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")

    def clean(self):
        super().clean()
        if self.window_start and self.window_end and self.window_end <= self.window_start:
            raise ValidationError({"window_end": _("申报截止时间必须晚于申报开始时间。")})

    def window_state(self, now=None):
        """未开始, 申报中 or 已截止 at ``now`` (default: this moment); both ends inclusive."""
        now = now or timezone.now()
        if now < self.window_start:
            return WindowState.NOT_STARTED
        if now > self.window_end:
            return WindowState.CLOSED
        return WindowState.OPEN

    def actions(self, request):
        """Buttons other plugins add through the ``open_call_actions`` hook."""
        return [
            {"title": str(action["title"]), "url": action["url"]}
            for hook in hooks.get_hooks("open_call_actions")
            for action in hook(request, self) or []
        ]

    def contact_lines(self):
        return [line.strip() for line in self.contact.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["window_state"] = self.window_state()
        context["actions"] = self.actions(request)
        return context
