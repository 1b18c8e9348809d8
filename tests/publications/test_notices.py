"""通知公告: the section's list (filters, pagination), its RSS/Atom feeds, a notice page."""

import itertools
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from django.utils import timezone

from publications.models import (
    NoticeIndexPage,
    NoticePage,
    NoticeType,
    OpenCallPage,
    ResultAnnouncementPage,
    ResultListEntry,
)

ATOM = "{http://www.w3.org/2005/Atom}"
_slugs = itertools.count(1)


@pytest.fixture
def section(db):
    """An empty 通知公告 section under the home page (no other demo content)."""
    from website.demo import seed_site

    home = seed_site()
    section = home.add_child(
        instance=NoticeIndexPage(title="通知公告", slug="test-notices", intro="测试栏目")
    )
    section.save_revision().publish()
    return section


def add_notice(section, title, notice_type=NoticeType.NOTICE, day=date(2025, 3, 18), **fields):
    fields.setdefault("body", f"<p>{title}的正文。</p>")
    fields.setdefault("slug", f"notice-{next(_slugs)}")
    page = section.add_child(
        instance=NoticePage(title=title, notice_type=notice_type, publish_date=day, **fields)
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def four_types(section):
    add_notice(section, "二〇二四年的通知", NoticeType.NOTICE, date(2024, 4, 8))
    add_notice(section, "二〇二五年的通知", NoticeType.NOTICE, date(2025, 3, 18))
    add_notice(section, "二〇二五年的公告", NoticeType.ANNOUNCEMENT, date(2025, 1, 10))
    add_notice(section, "二〇二四年的公示", NoticeType.PUBLICITY, date(2024, 10, 21))
    add_notice(section, "二〇二五年的公布", NoticeType.RESULT, date(2025, 2, 20))
    return section


def listed_titles(response):
    return [notice.title for notice in response.context["notices"]]


def test_index_lists_every_notice_newest_first(client, four_types):
    response = client.get(four_types.url)
    assert response.status_code == 200
    assert listed_titles(response) == [
        "二〇二五年的通知",
        "二〇二五年的公布",
        "二〇二五年的公告",
        "二〇二四年的公示",
        "二〇二四年的通知",
    ]
    html = response.content.decode()
    assert "2025年3月18日" in html
    assert '<label for="notice-filter-type">类型</label>' in html
    assert '<label for="notice-filter-year">年份</label>' in html


def test_index_filters_by_type(client, four_types):
    response = client.get(four_types.url, {"type": "notice"})
    assert listed_titles(response) == ["二〇二五年的通知", "二〇二四年的通知"]
    response = client.get(four_types.url, {"type": "publicity"})
    assert listed_titles(response) == ["二〇二四年的公示"]
    assert '<option value="publicity" selected>公示</option>' in response.content.decode()


def test_index_filters_by_year(client, four_types):
    response = client.get(four_types.url, {"year": "2024"})
    assert listed_titles(response) == ["二〇二四年的公示", "二〇二四年的通知"]
    html = response.content.decode()
    assert '<option value="2024" selected>2024年</option>' in html
    assert '<option value="2025">2025年</option>' in html


def test_index_filters_by_type_and_year_together(client, four_types):
    response = client.get(four_types.url, {"type": "notice", "year": "2025"})
    assert listed_titles(response) == ["二〇二五年的通知"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "bogus"},
        {"type": "<script>alert(1)</script>"},
        {"type": "x" * 5000},
        {"year": "abc"},
        {"year": "1999"},
        {"year": "99999999999999999999999"},
        {"year": "-1"},
        {"year": "2025.5"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-3"},
        {"type": "", "year": ""},
    ],
)
def test_bad_filter_values_are_ignored(client, four_types, params):
    response = client.get(four_types.url, params)
    assert response.status_code == 200
    assert len(listed_titles(response)) == 5
    assert response.context["selection"] == {}
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_bad_value_does_not_drop_the_good_one(client, four_types):
    response = client.get(four_types.url, {"type": "publicity", "year": "abc"})
    assert listed_titles(response) == ["二〇二四年的公示"]


def test_a_valid_year_without_notices_is_not_offered_and_is_ignored(client, four_types):
    response = client.get(four_types.url, {"year": "2023"})
    assert len(listed_titles(response)) == 5


def test_index_paginates_twenty_a_page_and_keeps_the_filters(client, section):
    for day in range(1, 26):
        add_notice(section, f"第{day}号通知", NoticeType.NOTICE, date(2025, 1, day))
    add_notice(section, "一则公告", NoticeType.ANNOUNCEMENT, date(2025, 2, 1))

    first = client.get(section.url, {"type": "notice", "year": "2025"})
    assert len(listed_titles(first)) == 20
    assert listed_titles(first)[0] == "第25号通知"
    html = first.content.decode()
    assert "第 1 页，共 2 页" in html
    assert 'href="?type=notice&amp;year=2025&amp;page=2" rel="next"' in html

    second = client.get(section.url, {"type": "notice", "year": "2025", "page": "2"})
    assert listed_titles(second) == [f"第{day}号通知" for day in range(5, 0, -1)]
    assert 'href="?type=notice&amp;year=2025&amp;page=1" rel="prev"' in second.content.decode()

    beyond = client.get(section.url, {"type": "notice", "page": "7"})
    assert listed_titles(beyond) == listed_titles(second)  # the last page


def test_index_lists_only_live_public_children(client, four_types):
    draft = four_types.add_child(
        instance=NoticePage(title="草稿通知", slug="draft", body="<p>未发布</p>", live=False)
    )
    draft.save_revision()
    response = client.get(four_types.url)
    assert "草稿通知" not in listed_titles(response)


def test_a_notice_with_a_view_restriction_is_left_out(client, four_types):
    from wagtail.models import PageViewRestriction

    private = add_notice(four_types, "内部通知", day=date(2025, 12, 1))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "内部通知" not in listed_titles(client.get(four_types.url))
    feed = client.get(f"{four_types.url}feed/rss/").content.decode()
    assert "内部通知" not in feed


def test_open_calls_and_results_are_listed_under_their_types(client, section):
    call = section.add_child(
        instance=OpenCallPage(
            title="关于开展2026年度培养选拔工作的通知",
            slug="open-call",
            body="<p>正文</p>",
            notice_type=NoticeType.ANNOUNCEMENT,  # ignored: an open call is a 通知
            publish_date=date(2026, 11, 3),
            window_start=timezone.make_aware(datetime(2026, 11, 10, 8, 30)),
            window_end=timezone.make_aware(datetime(2026, 12, 10, 17, 30)),
        )
    )
    call.save_revision().publish()
    result = section.add_child(
        instance=ResultAnnouncementPage(
            title="关于公布2024年度名单的通知",
            slug="result",
            body="<p>正文</p>",
            publish_date=date(2024, 12, 26),
        )
    )
    result.save_revision().publish()
    assert call.notice_type == NoticeType.NOTICE
    assert result.notice_type == NoticeType.RESULT
    assert listed_titles(client.get(section.url, {"type": "notice"})) == [call.title]
    assert listed_titles(client.get(section.url, {"type": "result"})) == [result.title]


def test_index_query_count_is_bounded(client, section, django_assert_max_num_queries):
    for day in range(1, 18):
        add_notice(section, f"第{day}号通知", NoticeType.NOTICE, date(2025, 1, day))
    for year in (2025, 2026):
        page = section.add_child(
            instance=OpenCallPage(
                title=f"{year}年度申报通知",
                slug=f"open-call-{year}",
                body="<p>正文</p>",
                publish_date=date(year, 5, 20),
                year=year,
                window_start=timezone.make_aware(datetime(year, 5, 26, 8, 30)),
                window_end=timezone.make_aware(datetime(year, 6, 25, 17, 30)),
            )
        )
        page.save_revision().publish()
    result = section.add_child(
        instance=ResultAnnouncementPage(
            title="公布名单",
            slug="result",
            body="<p>正文</p>",
            publish_date=date(2024, 12, 26),
            entries=[ResultListEntry(name="丁一", gender="男", employer="某厂", occupation="车工")],
        )
    )
    result.save_revision().publish()
    client.get(section.url)  # warm the caches a real site keeps warm (site root paths)
    with django_assert_max_num_queries(12):
        response = client.get(section.url)
    assert len(listed_titles(response)) == 20
    with django_assert_max_num_queries(12):
        client.get(section.url, {"type": "notice", "year": "2025", "page": "2"})


def test_index_head_links_its_feeds(client, four_types):
    html = client.get(four_types.url).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="通知公告（RSS）" '
        'href="/test-notices/feed/rss/">' in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="通知公告（Atom）" '
        'href="/test-notices/feed/atom/">' in html
    )


def test_rss_feed_is_valid_xml_with_items(client, four_types):
    add_notice(
        four_types,
        "带文号的通知",
        NoticeType.NOTICE,
        date(2025, 9, 29),
        document_number="赣市人社字〔2025〕12号",
        slug="with-number",
    )
    response = client.get("/test-notices/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "通知公告 - 赣州工匠"
    assert channel.findtext("language") == "zh-cn"
    items = channel.findall("item")
    assert len(items) == 6
    first = items[0]
    assert first.findtext("title") == "带文号的通知（赣市人社字〔2025〕12号）"
    assert first.findtext("link") == "http://testserver/test-notices/with-number/"
    assert first.findtext("guid") == "http://testserver/test-notices/with-number/"
    assert first.findtext("category") == "通知"
    assert "带文号的通知的正文" in first.findtext("description")
    assert "+0800" in first.findtext("pubDate")


def test_atom_feed_is_valid_xml_with_entries(client, four_types):
    response = client.get("/test-notices/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "通知公告 - 赣州工匠"
    entries = feed.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title") == "二〇二五年的通知"
    assert len(entries) == 5
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/test-notices/")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "赣州市人力资源和社会保障局"


def test_feed_honours_the_type_filter(client, four_types):
    response = client.get("/test-notices/feed/rss/", {"type": "publicity", "year": "zzz"})
    items = ET.fromstring(response.content).find("channel").findall("item")
    assert [item.findtext("title") for item in items] == ["二〇二四年的公示"]


def test_notice_page_shows_its_particulars(client, section):
    notice = add_notice(
        section,
        "关于做好前期摸底工作的通知",
        NoticeType.NOTICE,
        date(2025, 9, 29),
        document_number="赣市人社字〔2025〕12号",
        body="<p>请各单位认真组织摸底。</p>",
    )
    response = client.get(notice.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>关于做好前期摸底工作的通知</h1>" in html
    assert "<dt>文号</dt><dd>赣市人社字〔2025〕12号</dd>" in html
    assert "<dt>类型</dt><dd>通知</dd>" in html
    assert '<time datetime="2025-09-29">2025年9月29日</time>' in html
    assert "请各单位认真组织摸底。" in html
    assert 'aria-current="page">关于做好前期摸底工作的通知</li>' in html  # breadcrumbs


def test_notice_page_lists_its_attachments(client, section, tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = tmp_path
    document = get_document_model()(title="申报表")
    document.file.save("form.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document._set_document_file_metadata()  # as the admin's upload form does
    document.save()
    notice = add_notice(
        section,
        "带附件的通知",
        attachments=[("attachment", {"title": "附件1：申报表", "document": document})],
    )
    html = client.get(notice.url).content.decode()
    assert '<h2 id="attachments-heading">附件</h2>' in html
    assert f'href="{document.url}" download>附件1：申报表</a>' in html
    assert "（PDF，13" in html


def test_site_search_finds_a_notice_by_its_body_and_document_number(client, section):
    add_notice(
        section,
        "关于举办职业技能大赛的通知",
        document_number="赣市人社字〔2024〕21号",
        body="<p>本届大赛设数控车工等竞赛项目。</p>",
    )
    by_body = client.get("/search/", {"q": "数控车工"}).content.decode()
    assert "关于举办职业技能大赛的通知" in by_body
    by_number = client.get("/search/", {"q": "赣市人社字"}).content.decode()
    assert "关于举办职业技能大赛的通知" in by_number


def test_demo_section_has_notices_of_every_type_and_seeding_again_adds_nothing(demo):
    from publications.demo_notices import seed_notices
    from website.models import HomePage

    section = NoticeIndexPage.objects.get(slug="notices")
    assert section.show_in_menus and section.live
    notices = NoticePage.objects.child_of(section).live()
    plain = notices.filter(content_type__model="noticepage")
    assert plain.count() >= 8
    assert set(plain.values_list("notice_type", flat=True)) == set(NoticeType.values)
    assert {d.year for d in plain.dates("publish_date", "year")} == {2024, 2025}
    count = NoticePage.objects.count()
    seed_notices(HomePage.objects.get())
    assert NoticePage.objects.count() == count


def test_demo_section_renders(client, demo):
    response = client.get("/notices/")
    assert response.status_code == 200
    assert response.context["notices"].paginator.count >= 11
    assert 'href="/notices/"' in response.content.decode()  # in the main navigation
