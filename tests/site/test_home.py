import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from website.demo import DEMO_ACCOUNTS
from website.roles import ROLES
from website.security.testing import password_login


def test_home_page_renders_in_chinese(client, home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "赣州工匠" in html
    assert "跳到正文" in html  # skip link
    assert "不收取任何费用" in html  # article 13, in the footer of every page


def test_admin_login_page_renders_in_chinese(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html


def test_every_demo_account_can_log_in(client, demo):
    from website.demo import DEMO_PASSWORD

    for username, *_ in DEMO_ACCOUNTS:
        assert password_login(client, username, DEMO_PASSWORD), username
        client.logout()


def test_every_role_has_a_group(demo):
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {role.name for role in ROLES} <= names


def _row_counts():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    counts = {}
    for table in tables:
        if table.startswith("django_q_") or table in {"django_session"}:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = _row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    second = _row_counts()
    changed = {t: (first[t], second[t]) for t in first if first[t] != second[t]}
    assert changed == {}
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {username for username, *_ in DEMO_ACCOUNTS} <= usernames


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))


def test_home_page_query_count_is_bounded(client, home):
    client.get("/")  # warm caches that are per-process
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) <= 12


def test_sitemap_lists_the_public_pages(client, home):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<urlset" in xml
    assert "/policy/measures/</loc>" in xml


def test_home_page_shows_plugin_panels(client, home):
    html = client.get("/").content.decode()
    assert "最新通知公告" in html  # the publications plugin's panel


def test_unknown_page_answers_404_in_chinese(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# --- the public home page: quick links, featured craftsmen, the round's stage ---------

craftsman_installed = pytest.mark.skipif(
    not apps.is_installed("craftsman"), reason="the craftsman plugin is removed"
)


def quick_links(html):
    nav = re.search(r'<nav class="quick-links".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)


def test_home_page_has_quick_links(client, home):
    links = quick_links(client.get("/").content.decode())
    titles = [title for _url, title in links]
    expected = ["政策文件", "通知公告", "名单公示"]
    if apps.is_installed("craftsman"):
        expected += ["工匠风采", "在线申报"]
    assert titles == expected
    for url, _title in links:
        assert client.get(url).status_code in (200, 302), url
    assert dict((t, u) for u, t in links)["名单公示"].endswith("?type=publicity")


@craftsman_installed
def test_home_page_features_recent_craftsmen_with_photos(client, home):
    html = client.get("/").content.decode()
    panel = re.search(r'<section class="panel home-featured-panel".*?</section>', html, re.S)
    assert panel, "no featured craftsmen panel"
    images = re.findall(r"<img [^>]*>", panel.group(0))
    assert 1 <= len(images) <= 4
    for img in images:
        assert 'loading="lazy"' in img and "srcset=" in img
        assert re.search(r'alt="[^"]+的照片"', img)
    assert "黄光辉" not in panel.group(0)  # revoked


@craftsman_installed
def test_home_page_shows_the_current_round_stage(client, home):
    from craftsman.home_stage import current_round, round_stage

    html = client.get("/").content.decode()
    stage = round_stage(current_round())
    assert "当前阶段：<strong" in html
    assert stage.label in html
    for label, text in stage.dates:
        assert label in html and text in html


@craftsman_installed
def test_round_stage_is_computed_from_the_data(home):
    from craftsman.home_stage import round_stage
    from craftsman.models import SelectionRound

    rounds = {r.year: r for r in SelectionRound.objects.all()}
    published = round_stage(rounds[2024])
    assert published.label == "已公布"
    assert published.link_page.live

    publicity = round_stage(rounds[2025])
    assert publicity.key == "publicity"
    notice = rounds[2025].publicity.notice
    assert round_stage(rounds[2025], notice.period_start).label == "公示中"
    assert publicity.dates == [("公示期", notice.period_text)]

    current = rounds[2026]
    before = current.opens_at - datetime.timedelta(days=1)
    during = current.opens_at + datetime.timedelta(hours=1)
    after = current.closes_at + datetime.timedelta(days=1)
    assert round_stage(current, before).label == "即将开始申报"
    assert round_stage(current, during).label == "申报中"
    assert round_stage(current, after).label == "评审中"
    current.status = SelectionRound.Status.REVIEWING
    assert round_stage(current, during).label == "评审中"
