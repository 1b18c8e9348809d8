"""政策文件: a policy as chapters (章) of articles (条), with its published versions."""

from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from publications.blocks import AttachmentBlock, ChapterBlock
from website.search import chinese_search_fields


class PolicyStatus(models.TextChoices):
    DRAFT_FOR_COMMENT = "draft", _("征求意见稿")
    IN_FORCE = "in_force", _("现行有效")
    REPEALED = "repealed", _("已废止")


class PolicyPage(RoutablePageMixin, Page):
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuing_body = models.CharField(
        _("发布机关"), max_length=100, default="赣州市人力资源和社会保障局"
    )
    status = models.CharField(
        _("效力状态"), max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE
    )
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    preamble = models.TextField(
        _("题注"), blank=True, help_text=_("标题下的说明，如“（征求意见稿）”")
    )
    body = StreamField([("chapter", ChapterBlock())], verbose_name=_("正文"), use_json_field=True)
    attachments = StreamField(
        [("attachment", AttachmentBlock())], verbose_name=_("附件"), blank=True, use_json_field=True
    )
    interpretation = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("政策解读"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("issuing_body"),
                FieldPanel("status"),
                FieldPanel("effective_date"),
                FieldPanel("interpretation"),
            ],
            heading=_("文件信息"),
        ),
        FieldPanel("preamble"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = chinese_search_fields(
        [
            *Page.search_fields,
            index.SearchField("document_number"),
            index.SearchField("preamble"),
            index.SearchField("body"),
        ]
    )
    parent_page_types = ["website.HomePage", "publications.PolicyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def table_of_contents(self):
        """[(chapter, [article, ...]), ...] for the contents list at the top."""
        return [
            (chapter.value, list(chapter.value["articles"]))
            for chapter in self.body
            if chapter.block_type == "chapter"
        ]

    def published_versions(self):
        """Every revision that was published, newest first (what readers could see, and when)."""
        return (
            self.revisions.filter(id__in=self._published_revision_ids())
            .order_by("-created_at")
            .only("id", "created_at")
        )

    def _published_revision_ids(self):
        from wagtail.models import PageLogEntry

        return PageLogEntry.objects.filter(page=self, action="wagtail.publish").values(
            "revision_id"
        )

    @path("")
    def current(self, request):
        return self.render(request, context_overrides={"versions": self.published_versions()})

    @path("versions/<int:revision_id>/")
    def version(self, request, revision_id):
        revision = self.published_versions().filter(id=revision_id).first()
        if revision is None:
            raise Http404("没有这个历史版本")
        old = revision.as_object()
        return TemplateResponse(
            request,
            "publications/policy_page.html",
            {
                "page": old,
                "self": old,
                "revision": revision,
                "versions": self.published_versions(),
                "live_page": self,
            },
        )


class PolicyIndexPage(Page):
    """政策文件 section: lists the policies below it."""

    intro = models.TextField(_("导语"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = chinese_search_fields([*Page.search_fields, index.SearchField("intro")])
    subpage_types = ["publications.PolicyPage"]
    parent_page_types = ["website.HomePage"]

    class Meta:
        verbose_name = _("政策文件栏目")
        verbose_name_plural = _("政策文件栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policies"] = (
            self.get_children().live().public().specific().order_by("-first_published_at")
        )
        return context
