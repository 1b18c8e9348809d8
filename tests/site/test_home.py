import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from website.demo import DEMO_ACCOUNTS
from website.roles import ROLES


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
        assert client.login(username=username, password=DEMO_PASSWORD), username
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
