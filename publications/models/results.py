"""公布: the final list, announced after the city government's approval (《办法》第七条（五）).

The list holds only what an official list shows: 序号 (its order), 姓名, 性别,
工作单位, 职业（工种）.  There is no column for an ID number, a phone number or a
birth date, and the row fields refuse text that looks like one (the same check
as the publicity list's), so a pasted spreadsheet cannot publish them by accident.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from publications.api import ResultListField
from publications.models.notices import NoticePage, NoticeType
from publications.models.publicity import Gender, personal_data_in
from website.search import chinese_search_fields


class ResultListEntry(Orderable):
    """One row of the final list; its order is the 序号."""

    page = ParentalKey(
        "publications.ResultAnnouncementPage",
        verbose_name=_("结果公布"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices)
    employer = models.CharField(_("工作单位"), max_length=200)
    occupation = models.CharField(_("职业（工种）"), max_length=100)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("gender")]),
        FieldPanel("employer"),
        FieldPanel("occupation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("名单行")
        verbose_name_plural = _("名单")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for field in ("name", "employer", "occupation"):
            kind = personal_data_in(getattr(self, field))
            if kind:
                errors[field] = _("公布的名单不得出现%(kind)s等个人敏感信息，请删除。") % {
                    "kind": kind
                }
        if errors:
            raise ValidationError(errors)


class ResultAnnouncementPage(NoticePage):
    """公布: the approved list of 赣州工匠, with the approval's document number and date."""

    approval_document_number = models.CharField(
        _("批准文号"), max_length=100, blank=True, help_text=_("例如：赣市府字〔2024〕58号")
    )
    approval_date = models.DateField(_("批准日期"), null=True, blank=True)
    list_note = models.CharField(
        _("名单说明"),
        max_length=100,
        blank=True,
        default="排名不分先后，按姓氏笔画排序",
        help_text=_("显示在名单标题后，例如排序规则"),
    )

    fixed_notice_type = NoticeType.RESULT

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(NoticePage.doc_panels, heading=_("文件信息")),
        MultiFieldPanel(
            [FieldPanel("approval_document_number"), FieldPanel("approval_date")],
            heading=_("市政府批准"),
        ),
        FieldPanel("body"),
        FieldPanel("list_note"),
        InlinePanel("entries", heading=_("名单"), label=_("人员")),
        FieldPanel("attachments"),
    ]
    search_fields = [
        *NoticePage.search_fields,
        *chinese_search_fields([index.SearchField("approval_document_number")]),
        index.RelatedFields(
            "entries",
            chinese_search_fields(
                [
                    index.SearchField("name"),
                    index.SearchField("employer"),
                    index.SearchField("occupation"),
                ]
            ),
        ),
    ]
    api_fields = [
        *NoticePage.api_fields,
        APIField("approval_document_number"),
        APIField("approval_date"),
        APIField("list_note"),
        APIField("public_list", serializer=ResultListField()),
    ]
    parent_page_types = ["publications.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("公布名单")
        verbose_name_plural = _("公布名单")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = list(self.entries.all())
        return context

    def clean(self):
        super().clean()
        # The body may give the office's phone number; never an ID number.
        if personal_data_in(strip_tags(self.body)) == "身份证号码":
            raise ValidationError({"body": _("公布的正文不得出现身份证号码，请删除。")})
