"""Serializers of the public JSON API (``/api/v2/``) for the publications page types.

The page models declare their public fields in ``api_fields``; what needs shaping is
here: attachments as title and download link (only documents in public collections),
and the lists of a 公示 and a 公布 with only the columns the page shows.  A 公示's
objection e-mail address is left out on purpose: the API carries no e-mail address.
"""

from rest_framework import serializers

from website.api_fields import RichTextHTMLField

__all__ = ["AttachmentsField", "PublicityListField", "ResultListField", "RichTextHTMLField"]


class AttachmentsField(serializers.Field):
    """An attachments StreamField as ``[{"title", "url"}]``, leaving out restricted documents."""

    def to_representation(self, value):
        items = []
        for block in value:
            document = block.value.get("document")
            if document is None or document.collection.get_view_restrictions().exists():
                continue
            items.append({"title": block.value.get("title") or document.title, "url": document.url})
        return items


class PublicityListField(serializers.Field):
    """A 公示's list exactly as its page shows it: the visible columns, in the chosen order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        return {
            "columns": [{"key": key, "title": title} for key, title in page.columns()],
            "rows": [dict(cells) for _entry, cells in page.rows()],
        }


class ResultListField(serializers.Field):
    """The 公布 list: 序号, 姓名, 性别, 工作单位, 职业（工种）."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        return [
            {
                "seq": number,
                "name": entry.name,
                "gender": entry.get_gender_display(),
                "employer": entry.employer,
                "occupation": entry.occupation,
            }
            for number, entry in enumerate(page.entries.all(), start=1)
        ]
