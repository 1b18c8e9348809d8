"""公示 pages: the period in working days, its state in Beijing time, the list and its order.

National Day 2025 (10月1日至8日放假，9月28日、10月11日调休上班) is the
reference: 5 working days from Monday 29 September end on Saturday 11 October.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from publications.models import (
    HolidayCalendarYear,
    HolidayOverride,
    NoticeIndexPage,
    Objection,
    PublicityColumn,
    PublicityEntry,
    PublicityNoticePage,
    PublicityOrder,
    PublicityState,
)
from publications.workdays import SHANGHAI
from website.demo import seed_accounts, seed_site
from website.roles import ensure_roles
from website.security.testing import verified_login

pytestmark = pytest.mark.django_db

# Given in the order the units sent them; 王(4) 毛(4) 方(4) share a count, and so
# do 刘(6) 朱(6) and 李(7) 杨(7).
PEOPLE = [
    ("李红英", "女", "瑞金市客家风味食品有限公司", "中式面点师", "技师", "瑞金市人社局"),
    ("王海峰", "男", "龙南市和利稀土冶炼有限公司", "稀土冶炼工", "高级技师", "龙南市人社局"),
    ("刘春华", "女", "于都县锦隆服饰有限公司", "服装制版师", "高级工", "于都县人社局"),
    ("方丽娟", "女", "赣州虔东新材料有限公司", "化学检验员", "高级技师", "章贡区人社局"),
    ("杨志明", "男", "赣县区金钨新材料有限公司", "硬质合金成型工", "高级技师", "赣县区人社局"),
    ("毛建国", "男", "南康区宏宇家具有限公司", "家具制作工", "技师", "南康区人社局"),
    ("朱国强", "男", "赣州华联重工机械有限公司", "焊工", "高级技师", "章贡区人社局"),
    ("丁一", "男", "章贡区通达精密机械有限公司", "数控车工", "技师", "章贡区人社局"),
]
STROKE_ORDER = ["丁一", "王海峰", "毛建国", "方丽娟", "朱国强", "刘春华", "李红英", "杨志明"]


def beijing(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def home():
    """The home page and the demo accounts, without the other plugins' demo content."""
    ensure_roles()
    home = seed_site()
    seed_accounts()
    return home


def entries(rows=PEOPLE):
    return [
        PublicityEntry(
            sort_order=i,
            name=name,
            gender=gender,
            employer=employer,
            occupation=occupation,
            skill_level=level,
            recommending_unit=unit,
        )
        for i, (name, gender, employer, occupation, level, unit) in enumerate(rows)
    ]


def make_notice(parent, start=date(2025, 9, 29), days=5, slug="publicity", **fields):
    fields.setdefault("entries", entries())
    page = PublicityNoticePage(
        title=fields.pop("title", "2025年度拟入选人员名单公示"),
        slug=slug,
        body="<p>现将拟入选人员名单予以公示。</p>",
        start_date=start,
        working_days=days,
        objection_phone="0797-8888888",
        objection_address="江西省赣州市章贡区长征大道1号",
        **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return PublicityNoticePage.objects.get(pk=page.pk)


# --- the period --------------------------------------------------------------------


def test_period_across_national_day_2025(home):
    page = make_notice(home)
    assert (page.first_day, page.last_day) == (date(2025, 9, 29), date(2025, 10, 11))
    assert page.period_text == "2025年9月29日至10月11日，共5个工作日"
    assert page.period_start == beijing(2025, 9, 29, 0, 0)
    assert page.period_end == datetime.combine(date(2025, 10, 11), time.max, tzinfo=SHANGHAI)


def test_period_is_stated_on_the_page(client, home):
    make_notice(home)
    html = client.get("/publicity/").content.decode()
    assert "2025年9月29日至10月11日，共5个工作日" in html
    assert "逾期提出的不予受理" in html
    assert "匿名反映不予受理" in html


def test_fewer_than_five_working_days_are_refused(home):
    page = PublicityNoticePage(
        title="t", slug="t", body="<p>x</p>", start_date=date(2025, 9, 29), working_days=4
    )
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "不少于5个工作日" in " ".join(caught.value.message_dict["working_days"])


def test_a_period_into_a_year_without_calendar_is_refused(home):
    # 5 working days from 28 December 2026 end in January 2027, which
    # chinese-calendar does not cover and nobody has entered.
    page = PublicityNoticePage(
        title="t", slug="t", body="<p>x</p>", start_date=date(2026, 12, 28), working_days=5
    )
    with pytest.raises(ValidationError) as caught:
        page.clean()
    message = " ".join(caught.value.message_dict["start_date"])
    assert "2027年" in message
    assert "设置 → 节假日调整" in message and "设置 → 节假日年度" in message


def test_the_same_period_is_accepted_once_2027_is_entered(home):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦放假")
    HolidayCalendarYear.objects.create(year=2027, complete=True)
    page = make_notice(home, start=date(2026, 12, 28))
    # 28-31 December 2026, then 1 January 2027 is a holiday: the 5th is Monday 4 January.
    assert page.last_day == date(2027, 1, 4)
    assert page.period_text == "2026年12月28日至2027年1月4日，共5个工作日"


BODY = rich_text("<p>现将拟入选人员名单予以公示。</p>")


def _post_new_notice(client, home, **changes):
    """Fill in the admin's 公示 form as an editor would, then submit it with ``changes``."""
    # The admin offers 公示 under the 通知公告 section (HomePage only takes plain pages).
    parent = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    verified_login(client, get_user_model().objects.get(username="admin"))
    url = f"/admin/pages/add/publications/publicitynoticepage/{parent.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    fields = {
        "title": "有效公示",
        "slug": "valid",
        "body": BODY,
        "start_date": "2025-09-29",
        "working_days": "5",
        "objection_phone": "0797-8888888",
        "objection_address": "江西省赣州市章贡区长征大道1号",
        "attachments-count": "0",  # the StreamField's JavaScript would add it
        **changes,
    }
    for key, value in fields.items():
        data[key] = value  # replaces, unlike QueryDict.update()
    # The test client would send only the last value of each key of a QueryDict.
    return client.post(url, dict(data.lists()))


def test_the_admin_names_the_missing_year_and_refuses_to_save(client, home):
    response = _post_new_notice(client, home, slug="cross-year", start_date="2026-12-28")
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "2027年的法定节假日安排尚未录入" in html
    assert "设置 → 节假日调整" in html
    assert not PublicityNoticePage.objects.filter(slug="cross-year").exists()


def test_the_admin_refuses_four_working_days(client, home):
    response = _post_new_notice(client, home, slug="four-days", working_days="4")
    assert response.status_code == 200
    assert "不少于5个工作日" in response.content.decode()
    assert not PublicityNoticePage.objects.filter(slug="four-days").exists()


def test_the_admin_saves_a_valid_notice(client, home):
    response = _post_new_notice(client, home)
    assert response.status_code == 302, response.context["form"].errors
    page = PublicityNoticePage.objects.get(slug="valid")
    assert page.visible_columns == [str(c) for c in PublicityColumn if "extra" not in c]
    assert page.notice_type == "publicity"


# --- state in Beijing time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (beijing(2025, 9, 28, 23, 59, 59), PublicityState.UPCOMING),
        (beijing(2025, 9, 29, 0, 0, 0), PublicityState.OPEN),
        (beijing(2025, 10, 5, 12, 0), PublicityState.OPEN),  # a holiday inside the period
        (beijing(2025, 10, 11, 23, 59, 59), PublicityState.OPEN),
        (beijing(2025, 10, 12, 0, 0, 0), PublicityState.CLOSED),
        (beijing(2025, 10, 12, 0, 0) - timedelta(microseconds=1), PublicityState.OPEN),
    ],
)
def test_state_at_the_boundaries(home, moment, expected):
    page = make_notice(home)
    assert page.state(moment) == expected


def test_state_uses_beijing_time_not_utc(home):
    from datetime import UTC

    page = make_notice(home)
    assert page.state(datetime(2025, 10, 11, 15, 59, 59, tzinfo=UTC)) == PublicityState.OPEN
    assert page.state(datetime(2025, 10, 11, 16, 0, 0, tzinfo=UTC)) == PublicityState.CLOSED
    assert page.state(datetime(2025, 9, 28, 15, 59, 59, tzinfo=UTC)) == PublicityState.UPCOMING
    assert page.state(datetime(2025, 9, 28, 16, 0, 0, tzinfo=UTC)) == PublicityState.OPEN


def test_a_start_on_a_holiday_opens_on_the_next_working_day(home):
    page = make_notice(home, start=date(2025, 10, 1))
    assert page.first_day == date(2025, 10, 9)
    assert page.state(beijing(2025, 10, 8, 23, 59)) == PublicityState.UPCOMING
    assert page.state(beijing(2025, 10, 9, 0, 0)) == PublicityState.OPEN


def test_state_is_unknown_rather_than_guessed_when_the_calendar_goes_missing(home):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦放假")
    year = HolidayCalendarYear.objects.create(year=2027, complete=True)
    page = make_notice(home, start=date(2026, 12, 28))
    year.delete()
    page = PublicityNoticePage.objects.get(pk=page.pk)
    assert page.state(beijing(2026, 12, 29, 10, 0)) == PublicityState.UNKNOWN
    assert page.period_end is None


# --- the list -----------------------------------------------------------------------


def _names_in_table(html):
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row" class="col-name">([^<]+)</th>', body)


def test_entries_are_in_surname_stroke_order_and_the_page_says_so(client, home):
    make_notice(home)
    html = client.get("/publicity/").content.decode()
    assert _names_in_table(html) == STROKE_ORDER
    assert "按姓氏笔画排序" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_order_by_recommending_unit(home):
    page = make_notice(home, order=PublicityOrder.UNIT)
    units = [e.recommending_unit for e in page.ordered_entries()]
    # Units in the order they first appear; names within a unit by strokes.
    assert units[:4] == ["瑞金市人社局", "龙南市人社局", "于都县人社局", "章贡区人社局"]
    zhanggong = [e.name for e in page.ordered_entries() if e.recommending_unit == "章贡区人社局"]
    assert zhanggong == ["丁一", "方丽娟", "朱国强"]
    assert "按推荐单位排列" in page.order_statement()


def test_order_as_entered(client, home):
    make_notice(home, order=PublicityOrder.ENTRY)
    html = client.get("/publicity/").content.decode()
    assert _names_in_table(html) == [row[0] for row in PEOPLE]
    assert "按录入顺序排列" in html


def test_only_the_chosen_columns_are_shown(client, home):
    make_notice(
        home,
        visible_columns=["seq", "name", "employer", "extra_1"],
        extra_1_label="职称",
        entries=[
            PublicityEntry(
                name="王海峰",
                employer="龙南市和利稀土冶炼有限公司",
                extra_1="正高级工程师",
                skill_level="高级技师",
            )
        ],
    )
    html = client.get("/publicity/").content.decode()
    thead = html.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'scope="col"[^>]*>([^<]+)<', thead) == ["序号", "姓名", "工作单位", "职称"]
    assert "正高级工程师" in html and "高级技师" not in html.split("<tbody>")[1]


def test_name_column_is_required_and_extra_columns_need_a_heading(home):
    page = PublicityNoticePage(
        title="t",
        slug="t",
        body="<p>x</p>",
        start_date=date(2025, 9, 29),
        working_days=5,
        visible_columns=["seq", "employer", "extra_2"],
    )
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "姓名" in " ".join(caught.value.message_dict["visible_columns"])
    assert "extra_2_label" in caught.value.message_dict


# --- no personal data on the public page ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("extra_1", "36070219850312123X"),
        ("employer", "联系电话13812345678"),
        ("extra_2", "0797-8123456"),
        ("name", "王五 360702198503121234"),
    ],
)
def test_an_entry_holding_an_id_or_phone_number_is_refused(field, value):
    entry = PublicityEntry(name="王五")
    setattr(entry, field, value)
    with pytest.raises(ValidationError) as caught:
        entry.clean()
    assert "个人敏感信息" in " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize("label", ["出生年月", "身份证号", "联系电话"])
def test_a_column_heading_asking_for_personal_data_is_refused(home, label):
    page = PublicityNoticePage(
        title="t",
        slug="t",
        body="<p>x</p>",
        start_date=date(2025, 9, 29),
        working_days=5,
        visible_columns=["name", "extra_1"],
        extra_1_label=label,
    )
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "extra_1_label" in caught.value.message_dict


def test_the_public_page_shows_no_id_phone_or_birth_date(client, home):
    page = make_notice(home)
    Objection.objects.create(
        notice=page,
        real_name="林晓东",
        phone="13907970001",
        content="反映情况的具体内容",
        receipt_number="YY20250930-0001",
    )
    html = client.get("/publicity/").content.decode()
    assert "13907970001" not in html and "林晓东" not in html
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", html)  # no mobile number
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", html)  # no ID number
    assert "出生" not in html


def test_the_page_renders_in_a_bounded_number_of_queries(
    client, home, django_assert_max_num_queries
):
    make_notice(home)
    client.get("/publicity/")  # warm per-process caches
    with django_assert_max_num_queries(25):
        response = client.get("/publicity/")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/publicity/")
    entry_queries = [q for q in queries.captured_queries if "publicityentry" in q["sql"]]
    assert len(entry_queries) == 1  # one query for the whole list, however long


def test_notice_lists_it_as_a_publicity_notice(home):
    page = make_notice(home)
    assert page.notice_type == "publicity"
    assert page.get_notice_type_display() == "公示"


# --- the demo -------------------------------------------------------------------------


def test_demo_has_an_open_and_a_closed_notice(demo):
    open_notice = PublicityNoticePage.objects.get(slug="publicity-2026-technical-experts")
    closed = PublicityNoticePage.objects.get(slug="publicity-2025-gzgj")
    assert open_notice.entries.count() == 15
    assert open_notice.get_parent().specific.__class__.__name__ == "NoticeIndexPage"
    assert open_notice.state(beijing(2026, 11, 25, 12, 0)) == PublicityState.OPEN
    assert closed.period_text == "2025年9月29日至10月11日，共5个工作日"
    assert closed.state(beijing(2026, 11, 25, 12, 0)) == PublicityState.CLOSED
    statuses = sorted(open_notice.objections.values_list("status", flat=True))
    assert statuses == ["checking", "received"]
