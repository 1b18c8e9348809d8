"""通知公告: the notice section and its notices (通知、公告、公示、公布).

Every page listed in the section is a ``NoticePage`` or a subclass of it
(``OpenCallPage``, ``ResultAnnouncementPage``): the type, document number,
issuing body and publish date live in one table, so that the list filters,
orders and paginates in one query, and the RSS/Atom feeds read the same rows.
A subclass with a fixed type sets ``fixed_notice_type``.
"""

from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from publications.api import AttachmentsField, RichTextHTMLField
from publications.blocks import AttachmentBlock
from publications.feeds import NoticeAtomFeed, NoticeRssFeed
from website.search import chinese_search_fields

NOTICES_PER_PAGE = 20
BODY_FEATURES = ["h2", "h3", "bold", "ol", "ul", "link", "document-link"]


class NoticeType(models.TextChoices):
    NOTICE = "notice", _("通知")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLICITY = "publicity", _("公示")
    RESULT = "result", _("公布")


class NoticePage(Page):
    """One notice.  Its subclasses (申报通知, 公布) share these fields and the list."""

    notice_type = models.CharField(
        _("类型"), max_length=20, choices=NoticeType.choices, default=NoticeType.NOTICE
    )
    document_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("例如：赣市人社字〔2025〕12号")
    )
    issuing_body = models.CharField(
        _("发布机关"), max_length=100, default="赣州市人力资源和社会保障局"
    )
    publish_date = models.DateField(_("发布日期"), default=timezone.localdate)
    body = RichTextField(_("正文"), features=BODY_FEATURES)
    attachments = StreamField(
        [("attachment", AttachmentBlock())], verbose_name=_("附件"), blank=True, use_json_field=True
    )

    # A subclass that is always one type (申报通知 is a 通知) names it here.
    fixed_notice_type = None

    doc_panels = [
        FieldPanel("document_number"),
        FieldPanel("issuing_body"),
        FieldPanel("publish_date"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("notice_type"), *doc_panels], heading=_("文件信息")),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = chinese_search_fields(
        [
            *Page.search_fields,
            index.SearchField("document_number"),
            index.SearchField("body"),
            index.SearchField("issuing_body"),
            index.FilterField("notice_type"),
            index.FilterField("publish_date"),
        ]
    )
    # The public read-only API (/api/v2/pages/?type=publications.NoticePage).
    api_fields = [
        APIField("notice_type"),
        APIField("document_number"),
        APIField("issuing_body"),
        APIField("publish_date"),
        APIField("body", serializer=RichTextHTMLField()),
        APIField("attachments", serializer=AttachmentsField()),
    ]
    parent_page_types = ["publications.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def save(self, *args, **kwargs):
        if self.fixed_notice_type:
            self.notice_type = self.fixed_notice_type
        return super().save(*args, **kwargs)

    def summary(self, length=120):
        """Plain text for lists and feeds: the search description, else the body's start."""
        if self.search_description:
            return self.search_description
        text = " ".join(strip_tags(self.body.replace("</p>", "</p> ")).split())
        return Truncator(text).chars(length)

    def published_at(self):
        """The publish date as the start of that day in the site's time zone (for feeds)."""
        return timezone.make_aware(datetime.combine(self.publish_date, time.min))


class NoticeFilterForm(forms.Form):
    """The list's GET filters.  Invalid values are dropped, never an error page."""

    type = forms.ChoiceField(label=_("类型"), required=False)
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["type"].choices = [("", _("全部类型")), *NoticeType.choices]
        self.fields["year"].choices = [("", _("全部年份"))] + [(y, f"{y}年") for y in years]

    def selection(self):
        """``{"type": ..., "year": ...}`` holding only the values that are valid."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("type", "year")
            if name in self.cleaned_data and self.cleaned_data[name] not in ("", None)
        }


class NoticeIndexPage(RoutablePageMixin, Page):
    """通知公告 section: the filtered, paginated list, and its RSS and Atom feeds."""

    intro = models.TextField(_("导语"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = chinese_search_fields([*Page.search_fields, index.SearchField("intro")])
    parent_page_types = ["website.HomePage"]
    subpage_types = [
        "publications.NoticePage",
        "publications.OpenCallPage",
        "publications.ResultAnnouncementPage",
        "publications.PublicityNoticePage",
    ]

    class Meta:
        verbose_name = _("通知公告栏目")
        verbose_name_plural = _("通知公告栏目")

    def notices(self):
        """Live notices below this section, newest first, leaving out any with a view restriction.

        The section's own restrictions (and its ancestors') are checked before the
        list or a feed is served, so the children's own are all that is left to
        check: done in the same query, where ``.public()`` would add one.
        """
        return (
            NoticePage.objects.child_of(self)
            .live()
            .filter(view_restrictions=None)
            .order_by("-publish_date", "-pk")
        )

    def filtered_notices(self, request):
        """(form, valid selection, notices) for the GET parameters ``type`` and ``year``."""
        notices = self.notices()
        years = [d.year for d in notices.dates("publish_date", "year", order="DESC")]
        form = NoticeFilterForm(request.GET, years)
        selection = form.selection()
        if "type" in selection:
            notices = notices.filter(notice_type=selection["type"])
        if "year" in selection:
            notices = notices.filter(publish_date__year=selection["year"])
        return form, selection, notices

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form, selection, notices = self.filtered_notices(request)
        url = self.get_url(request) or ""
        page_obj = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            filter_form=form,
            selection=selection,
            notices=page_obj,
            # The pagination links keep the filters (plain ASCII values: safe in a URL).
            filter_query="&".join(f"{key}={value}" for key, value in selection.items()),
            rss_url=url + self.reverse_subpage("feed_rss"),
            atom_url=url + self.reverse_subpage("feed_atom"),
        )
        return context

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return NoticeRssFeed(self)(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return NoticeAtomFeed(self)(request)
