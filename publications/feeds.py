"""RSS 2.0 and Atom feeds of a 通知公告 section (Django's syndication framework).

Served by the section page itself (``NoticeIndexPage``): ``<section>/feed/rss/``
and ``<section>/feed/atom/``, the newest ``FEED_ITEMS`` notices.  They honour the
list's ``type`` and ``year`` filters, so ``feed/rss/?type=publicity`` carries only
the 公示.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

FEED_ITEMS = 20


class NoticeRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def __init__(self, section):
        super().__init__()
        self.section = section
        self.request = None

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.section

    def title(self, section):
        return f"{section.title} - 赣州工匠"

    def link(self, section):
        return section.get_url(self.request)

    def feed_url(self, section):
        return self.request.path

    def description(self, section):
        return section.intro or f"{section.title}：“赣州工匠”培养选拔的通知、公告、公示和公布。"

    def items(self, section):
        _form, _selection, notices = section.filtered_notices(self.request)
        return notices[:FEED_ITEMS]

    def item_title(self, notice):
        if notice.document_number:
            return f"{notice.title}（{notice.document_number}）"
        return notice.title

    def item_description(self, notice):
        return notice.summary(200)

    def item_link(self, notice):
        return notice.get_url(self.request)

    def item_pubdate(self, notice):
        return notice.published_at()

    def item_updateddate(self, notice):
        return notice.last_published_at or notice.published_at()

    def item_author_name(self, notice):
        return notice.issuing_body

    def item_categories(self, notice):
        return [notice.get_notice_type_display()]


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, section):
        return self.description(section)
