"""公布: the final list as an accessible table, and never any ID number, phone or birth date."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from publications.collation import stroke_sort_key
from publications.models import NoticeType, ResultAnnouncementPage, ResultListEntry
from website.security.testing import verified_login

# Page instances look up their content type: keep these tests in the database group, so a
# transactional test elsewhere that flushes (and empties the content-type cache) cannot
# leave them without one.
pytestmark = pytest.mark.django_db


@pytest.fixture
def section(db):
    """The demo 通知公告 section alone (faster than the whole demo)."""
    from publications.demo_notices import seed_notices
    from website.demo import seed_site

    return seed_notices(seed_site())


@pytest.fixture
def result(section):
    return ResultAnnouncementPage.objects.get(slug="result-2024")


def test_result_page_shows_the_approval_and_the_list_as_a_table(client, result):
    response = client.get(result.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>批准文号</dt><dd>赣市府字〔2024〕58号</dd>" in html
    assert '<time datetime="2024-12-20">2024年12月20日</time>' in html
    assert "<caption>共15名（排名不分先后，按姓氏笔画排序）</caption>" in html
    assert (
        '<tr><th scope="col">序号</th><th scope="col">姓名</th><th scope="col">性别</th>'
        '<th scope="col">工作单位</th><th scope="col">职业（工种）</th></tr>'
    ) in html
    rows = re.findall(r'<tr><td>(\d+)</td><th scope="row">([^<]+)</th><td>([男女])</td>', html)
    assert [int(number) for number, _, _ in rows] == list(range(1, 16))
    names = [name for _, name, _ in rows]
    assert names == sorted(names, key=stroke_sort_key)  # the demo list is in stroke order
    assert names[0] == "丁志强"


def test_result_page_never_shows_an_id_number_phone_or_birth_date(client, result):
    html = client.get(result.url).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert not re.search(r"\d{17}[\dXx]", main)  # national ID
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", main)  # mobile number
    for word in ("身份证", "出生", "生日", "手机", "电话"):
        assert word not in main
    field_names = {field.name for field in ResultListEntry._meta.get_fields()}
    assert field_names == {"id", "sort_order", "page", "name", "gender", "employer", "occupation"}


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("employer", "赣州稀金科技有限公司 360702198503121234", "身份证号码"),
        ("name", "张三13812345678", "电话号码"),
        ("occupation", "车工（手机 138-1234-5678）", "电话号码"),
    ],
)
def test_a_row_refuses_an_id_number_or_phone(field, value, kind):
    entry = ResultListEntry(name="张三", gender="男", employer="某厂", occupation="车工")
    setattr(entry, field, value)
    with pytest.raises(ValidationError) as error:
        entry.clean()
    assert error.value.message_dict == {
        field: [f"公布的名单不得出现{kind}等个人敏感信息，请删除。"]
    }


def test_the_body_refuses_an_id_number():
    page = ResultAnnouncementPage(
        title="公布", body="<p>张三（360702198503121234）等同志</p>", publish_date=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "body" in error.value.message_dict


def test_a_result_is_always_of_type_result_and_listed_with_the_notices(client, section, result):
    assert result.notice_type == NoticeType.RESULT
    response = client.get(section.url, {"type": "result", "year": "2024"})
    titles = [notice.title for notice in response.context["notices"]]
    assert result.title in titles


def test_site_search_finds_the_result_by_a_name_on_the_list(client, result):
    html = client.get("/search/", {"q": "丁志强"}).content.decode()
    assert result.title in html


def test_admin_refuses_a_row_with_an_id_number(client, section):
    from django.contrib.auth import get_user_model
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    verified_login(
        client, get_user_model().objects.create_superuser("root", "r@example.gov.cn", "x")
    )
    row = {"name": "张三", "gender": "男", "employer": "某厂", "occupation": "车工"}
    data = nested_form_data(
        {
            "title": "关于公布2025年度“赣州工匠”名单的通知",
            "slug": "result-2025",
            "document_number": "",
            "issuing_body": "赣州市人力资源和社会保障局",
            "publish_date": "2025-12-26",
            "approval_document_number": "",
            "approval_date": "",
            "list_note": "排名不分先后，按姓氏笔画排序",
            "body": rich_text("<p>现予以公布。</p>"),
            "entries": inline_formset([{**row, "employer": "某厂 360702198503121234"}]),
            "attachments": streamfield([]),
        }
    )
    url = f"/admin/pages/add/publications/resultannouncementpage/{section.pk}/"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "公布的名单不得出现身份证号码等个人敏感信息，请删除。" in response.content.decode()
    assert not ResultAnnouncementPage.objects.filter(slug="result-2025").exists()

    data.update(nested_form_data({"entries": inline_formset([row])}))
    assert client.post(url, data).status_code == 302
    page = ResultAnnouncementPage.objects.get(slug="result-2025")
    assert [entry.name for entry in page.entries.all()] == ["张三"]
