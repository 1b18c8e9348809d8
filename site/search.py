"""Chinese full-text search on Wagtail's database backend, on SQLite and PostgreSQL alike.

Chinese is written without spaces, so both databases' full-text engines see
a whole run such as 赣州市赣州工匠培养选拔管理办法 as a single word, and a
reader searching 工匠 finds nothing.  We index each run of Chinese characters
as its single characters and its overlapping pairs (bigrams), and search for
the bigrams of the reader's words, all of which must match:

    index:  赣州工匠 → 赣 州 工 匠 赣州 州工 工匠
    query:  工匠     → 工匠
    query:  州工匠   → 州工 工匠

Any two characters inside a longer run are found, on either database, using
the backend's own full-text index (FTS5 on SQLite, tsvector on PostgreSQL),
so it stays fast as content grows.  Other scripts pass through unchanged.

Page models declare their fields with :func:`chinese_search_fields`.
"""

import re

from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
# What a query may contain: letters, digits and Han characters.  Everything
# else (quotes, operators of the FTS syntaxes, HTML) becomes a space.
QUERY_NOISE = re.compile(rf"[^\w{HAN}]+")


def _grams(run: str, unigrams: bool) -> list[str]:
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    if len(run) == 1:
        return [run]
    return (list(run) if unigrams else []) + pairs


def segment(text: str) -> str:
    """Text as the index stores it: each Han run as characters and bigrams."""
    if not text:
        return ""
    return HAN_RUN.sub(lambda m: " " + " ".join(_grams(m.group(), unigrams=True)) + " ", text)


def segment_query(query: str) -> str:
    """A reader's query as index terms: the bigrams of each Han run, other words as typed."""
    query = QUERY_NOISE.sub(" ", query or "")
    terms = HAN_RUN.sub(lambda m: " " + " ".join(_grams(m.group(), unigrams=False)) + " ", query)
    return " ".join(terms.split())


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_as_text(item) for item in value.values())
    return str(value)


class ChineseSearchField(index.SearchField):
    """A SearchField whose indexed text is segmented for Chinese."""

    def get_value(self, obj):
        return segment(strip_tags(_as_text(super().get_value(obj))))


def chinese_search_fields(fields):
    """The same search fields, with every SearchField segmented for Chinese.

    Wagtail's own Page fields are kept as they are as well (its system check
    looks for them), so a page's title is indexed both whole and segmented.
    """
    converted = []
    for field in fields:
        if type(field) is index.SearchField:
            if field in Page.search_fields:
                converted.append(field)
            converted.append(
                ChineseSearchField(field.field_name, boost=field.boost, **field.kwargs)
            )
        else:
            converted.append(field)
    return converted


MAX_RESULTS = 500


class SearchHits:
    """Matching pages in rank order, for Django's Paginator.

    Holds only page ids; the pages of one screen are loaded (as their
    specific types) when that slice is taken.
    """

    def __init__(self, page_ids):
        self.page_ids = page_ids

    def __len__(self):
        return len(self.page_ids)

    def count(self):
        return len(self.page_ids)

    def __getitem__(self, key):
        ids = self.page_ids[key]
        if isinstance(key, int):
            return Page.objects.filter(pk=ids).specific().get()
        pages = Page.objects.filter(pk__in=ids).specific().in_bulk()
        return [pages[pk] for pk in ids if pk in pages]


def search_pages(query):
    """Live, public pages matching every word of ``query``: title matches first.

    Both groups keep the backend's relevance order.  At most ``MAX_RESULTS``.
    """
    terms = segment_query(query)
    if not terms:
        return SearchHits([])
    pages = Page.objects.live().public().only("pk")
    in_title = [
        page.pk for page in pages.search(terms, fields=["title"], operator="and")[:MAX_RESULTS]
    ]
    anywhere = [page.pk for page in pages.search(terms, operator="and")[:MAX_RESULTS]]
    title_set = set(in_title)
    others = [pk for pk in anywhere if pk not in title_set]
    return SearchHits((in_title + others)[:MAX_RESULTS])
