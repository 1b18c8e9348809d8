"""Chinese search: any two characters inside a longer run are found, on every database."""

import pytest
from wagtail.models import Page

from website.search import segment, segment_query


def test_segment_indexes_characters_and_bigrams():
    assert segment("赣州工匠").split() == ["赣", "州", "工", "匠", "赣州", "州工", "工匠"]
    assert segment("GB 11643标准").split() == ["GB", "11643", "标", "准", "标准"]


def test_segment_query_uses_bigrams_and_drops_syntax():
    assert segment_query("州工匠") == "州工 工匠"
    assert segment_query('"工匠" OR <b>') == "工匠 OR b"
    assert segment_query("***") == ""


def test_searching_a_word_inside_the_policy_title_finds_it(client, demo):
    from publications.models import PolicyPage
    from website.search import search_pages

    policy = PolicyPage.objects.get()
    assert policy.pk in search_pages("工匠").page_ids  # 2 characters inside a longer run
    response = client.get("/search/", {"q": "选拔管理"})
    assert response.status_code == 200
    assert "赣州市“赣州工匠”培养选拔管理办法" in response.content.decode()


def test_searching_a_word_of_an_article_finds_the_policy(client, demo):
    # 第十三条: 不得以任何形式向参评单位和个人收取费用
    response = client.get("/search/", {"q": "收取费用"})
    assert "培养选拔管理办法" in response.content.decode()


def test_a_word_that_is_nowhere_finds_nothing(client, demo):
    response = client.get("/search/", {"q": "量子计算"})
    assert "共找到 0 条" in response.content.decode()


def test_titles_rank_before_body_text(home):
    from publications.models import PolicyIndexPage

    body_only = home.add_child(
        instance=PolicyIndexPage(title="其他栏目", slug="other", intro="这里提到了稀土冶炼技术。")
    )
    body_only.save_revision().publish()
    in_title = home.add_child(instance=PolicyIndexPage(title="稀土冶炼专栏", slug="rare-earth"))
    in_title.save_revision().publish()
    from website.search import search_pages

    results = [page.pk for page in search_pages("稀土冶炼")]
    assert results.index(in_title.pk) < results.index(body_only.pk)


@pytest.mark.parametrize("query", ["", " ", "x" * 500, "<script>alert('x')</script>", "工匠" * 250])
def test_odd_queries_are_answered_calmly_and_escaped(client, demo, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html


def test_search_paginates(client, home):
    for i in range(15):
        page = home.add_child(instance=Page(title=f"分页测试页面{i}", slug=f"page-{i}"))
        page.save_revision().publish()
    # Plain wagtailcore Pages are indexed unsegmented; search a Latin token instead.
    response = client.get("/search/", {"q": "工匠", "page": "2"})
    assert response.status_code == 200
    response = client.get("/search/", {"q": "工匠", "page": "abc"})
    assert response.status_code == 200
