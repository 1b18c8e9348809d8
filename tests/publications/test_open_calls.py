"""申报通知: the application window, its state, the no-fee statement and other plugins' buttons."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail import hooks

from publications.models import NoticeType, OpenCallPage, WindowState
from website.security.testing import verified_login

# Page instances look up their content type: keep these tests in the database group, so a
# transactional test elsewhere that flushes (and empties the content-type cache) cannot
# leave them without one.
pytestmark = pytest.mark.django_db


def beijing(*args):
    return timezone.make_aware(datetime(*args))


def open_call(**fields):
    fields.setdefault("window_start", beijing(2026, 11, 10, 8, 30))
    fields.setdefault("window_end", beijing(2026, 12, 10, 17, 30))
    return OpenCallPage(title="关于开展2026年度“赣州工匠”培养选拔工作的通知", **fields)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (beijing(2026, 11, 10, 8, 29, 59), WindowState.NOT_STARTED),
        (beijing(2026, 11, 10, 8, 30), WindowState.OPEN),
        (beijing(2026, 11, 25, 12, 0), WindowState.OPEN),
        (beijing(2026, 12, 10, 17, 30), WindowState.OPEN),
        (beijing(2026, 12, 10, 17, 30, 1), WindowState.CLOSED),
        (beijing(2027, 1, 1), WindowState.CLOSED),
    ],
)
def test_window_state_at_a_given_moment(now, state):
    assert open_call().window_state(now) == state


def test_window_state_compares_instants_not_wall_clocks():
    # 09:29 UTC is 17:29 in Beijing: still open; 09:31 UTC is 17:31: closed.
    page = open_call()
    assert page.window_state(datetime(2026, 12, 10, 9, 29, tzinfo=UTC)) == WindowState.OPEN
    assert page.window_state(datetime(2026, 12, 10, 9, 31, tzinfo=UTC)) == WindowState.CLOSED


def test_window_state_defaults_to_now():
    now = timezone.now()
    page = open_call(window_start=now - timedelta(days=1), window_end=now + timedelta(days=1))
    assert page.window_state() == WindowState.OPEN
    assert WindowState.OPEN.label == "申报中"
    assert WindowState.NOT_STARTED.label == "未开始"
    assert WindowState.CLOSED.label == "已截止"


@pytest.mark.parametrize("hours", [0, -1])
def test_the_window_must_end_after_it_starts(hours):
    start = beijing(2026, 11, 10, 8, 30)
    page = open_call(window_start=start, window_end=start + timedelta(hours=hours))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert error.value.message_dict == {"window_end": ["申报截止时间必须晚于申报开始时间。"]}


@pytest.fixture
def section(db):
    """The demo 通知公告 section alone (faster than the whole demo)."""
    from publications.demo_notices import seed_notices
    from website.demo import seed_site

    return seed_notices(seed_site())


@pytest.fixture
def demo_call(section):
    return OpenCallPage.objects.get(slug="open-call-2026")


def test_quota_defaults_to_fifteen_and_the_type_is_always_a_notice(section):
    page = section.add_child(
        instance=open_call(slug="call-x", body="<p>正文</p>", notice_type=NoticeType.PUBLICITY)
    )
    assert page.quota == 15
    assert page.notice_type == NoticeType.NOTICE


def test_open_call_page_shows_window_quota_materials_forms_and_contact(client, demo_call):
    response = client.get(demo_call.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time datetime="2026-11-10T08:30:00+08:00">2026年11月10日 08:30</time>' in html
    assert '<time datetime="2026-12-10T17:30:00+08:00">2026年12月10日 17:30</time>' in html
    assert "（北京时间）" in html
    assert "2026年度选拔名额：15名左右。" in html
    assert '<h2 id="eligibility-heading">申报对象和条件</h2>' in html
    assert '<h2 id="materials-heading">申报材料清单</h2>' in html
    assert "“赣州工匠”培养选拔申报表" in html
    assert '<h2 id="attachments-heading">表格下载</h2>' in html
    assert "<dt>文号</dt><dd>赣市人社字〔2026〕71号</dd>" in html
    assert "职业能力建设科" in html


def test_open_call_page_states_that_no_fee_is_charged(client, demo_call):
    html = client.get(demo_call.url).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]  # not just the footer
    assert "不收取任何费用" in main
    assert "第十三条" in main


def test_open_call_page_shows_the_window_state_of_this_moment(client, demo_call):
    cases = {
        demo_call.window_start - timedelta(days=3): "未开始",
        demo_call.window_start + timedelta(days=3): "申报中",
        demo_call.window_end + timedelta(seconds=1): "已截止",
    }
    for now, label in cases.items():
        with _frozen_now(now):
            html = client.get(demo_call.url).content.decode()
        assert f'<span class="window-state">{label}</span>' in html


def _frozen_now(moment):
    """Patch ``timezone.now`` as the open-call module sees it (no sleeping, no clock)."""
    from unittest import mock

    return mock.patch("publications.models.open_calls.timezone.now", return_value=moment)


def test_the_2025_demo_call_is_closed(section):
    call = OpenCallPage.objects.get(slug="open-call-2025")
    assert call.window_state(beijing(2026, 11, 25)) == WindowState.CLOSED
    assert call.year == 2025


def test_demo_2026_call_is_open_on_the_demo_date(demo_call):
    assert demo_call.window_state(beijing(2026, 11, 25, 10, 0)) == WindowState.OPEN


def test_registered_actions_are_rendered_as_buttons(client, demo_call):
    seen = []

    def apply_online(request, page):
        seen.append(page)
        return [{"title": "在线申报", "url": f"/apply/{page.year}/"}]

    def guide(request, page):
        return [{"title": "申报指南", "url": "/guide/"}]

    with hooks.register_temporarily("open_call_actions", apply_online):
        with hooks.register_temporarily("open_call_actions", guide):
            html = client.get(demo_call.url).content.decode()
    assert '<a class="button" href="/apply/2026/">在线申报</a>' in html
    assert '<a class="button" href="/guide/">申报指南</a>' in html
    assert seen[0].pk == demo_call.pk
    assert isinstance(seen[0], OpenCallPage)


def test_a_hook_returning_nothing_adds_no_button(demo_call, rf):
    request = rf.get(demo_call.url)
    others = demo_call.actions(request)  # whatever the installed plugins register
    with hooks.register_temporarily("open_call_actions", lambda request, page: None):
        assert demo_call.actions(request) == others
    with hooks.register_temporarily("open_call_actions", lambda request, page: []):
        assert demo_call.actions(request) == others


def test_registered_action_text_is_escaped(client, demo_call):
    def evil(request, page):
        return [{"title": "<b>申报</b>", "url": '/x/"onmouseover="alert(1)'}]

    with hooks.register_temporarily("open_call_actions", evil):
        html = client.get(demo_call.url).content.decode()
    assert "<b>申报</b>" not in html
    assert 'onmouseover="alert(1)' not in html


def test_admin_refuses_a_window_that_ends_before_it_starts(client, section):
    from django.contrib.auth import get_user_model
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    admin = get_user_model().objects.create_superuser("root", "root@example.gov.cn", "x")
    verified_login(client, admin)
    data = nested_form_data(
        {
            "title": "关于开展2027年度“赣州工匠”培养选拔工作的通知",
            "slug": "open-call-2027",
            "document_number": "",
            "issuing_body": "赣州市人力资源和社会保障局",
            "publish_date": "2027-03-01",
            "year": "2027",
            "window_start": "2027-03-10 08:30",
            "window_end": "2027-03-01 17:30",
            "quota": "15",
            "body": rich_text("<p>正文</p>"),
            "eligibility": rich_text(""),
            "materials": streamfield([]),
            "attachments": streamfield([]),
            "contact": "",
        }
    )
    url = f"/admin/pages/add/publications/opencallpage/{section.pk}/"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "申报截止时间必须晚于申报开始时间。" in response.content.decode()
    assert not OpenCallPage.objects.filter(slug="open-call-2027").exists()

    data["window_end"] = "2027-04-10 17:30"
    response = client.post(url, data)
    assert response.status_code == 302
    page = OpenCallPage.objects.get(slug="open-call-2027")
    assert page.window_end == beijing(2027, 4, 10, 17, 30)
    assert page.notice_type == NoticeType.NOTICE
