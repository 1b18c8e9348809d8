"""StreamField blocks of the publications plugin."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class ArticleBlock(blocks.StructBlock):
    """One article (条) of a policy: its number gives it a stable anchor, ``#article-6``."""

    number = blocks.IntegerBlock(label=_("条序号"), min_value=1, help_text=_("例如第六条填 6"))
    body = blocks.RichTextBlock(label=_("条文"), features=["bold", "ol", "ul", "link"])

    class Meta:
        label = _("条")
        icon = "doc-full"
        template = "publications/blocks/article.html"

    @staticmethod
    def anchor(number):
        return f"article-{number}"


class ChapterBlock(blocks.StructBlock):
    """A chapter (章) holding its articles."""

    number = blocks.IntegerBlock(label=_("章序号"), min_value=1)
    title = blocks.CharBlock(label=_("章名"), max_length=50)
    articles = blocks.ListBlock(ArticleBlock(), label=_("条文"))

    class Meta:
        label = _("章")
        icon = "folder-open-inverse"
        template = "publications/blocks/chapter.html"


class AttachmentBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("附件名称"), max_length=200, required=False)
    document = DocumentChooserBlock(label=_("文件"))

    class Meta:
        label = _("附件")
        icon = "doc-full-inverse"
