"""The public read-only JSON API (/api/v2/): public fields only, GET only, paginated."""

import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageViewRestriction

API = "/api/v2/pages/"

ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9]{3}[0-9Xx]")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PRIVATE_FILE = re.compile(r"private|/certificates/|/cultivation/|/revocation/|/objections/")
PRIVATE_KEYS = {"id_number", "mobile", "phone", "email", "birth_date", "certificate_file"}

TYPES = [
    "publications.NoticePage",
    "publications.OpenCallPage",
    "publications.PublicityNoticePage",
    "publications.ResultAnnouncementPage",
    "wagtailcore.Page",
]
if apps.is_installed("craftsman"):
    TYPES.append("craftsman.CraftsmanProfilePage")


def get_json(client, path, params=None, status=200):
    response = client.get(path, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def every_response(client):
    """Every listing page of every type (with all fields) and every item's detail."""
    for page_type in TYPES:
        offset = 0
        while True:
            listing = get_json(
                client,
                API,
                {
                    "type": page_type,
                    "fields": "*",
                    "limit": settings.WAGTAILAPI_LIMIT_MAX,
                    "offset": offset,
                },
            )
            yield listing
            for item in listing["items"]:
                yield get_json(client, item["meta"]["detail_url"])
            offset += len(listing["items"])
            if not listing["items"] or offset >= listing["meta"]["total_count"]:
                break


def private_values():
    """The demo's actual personal data: none of it may appear in any response."""
    values = set()
    if apps.is_installed("craftsman"):
        from craftsman.models import Submission

        for id_number, mobile, email, birth_date in Submission.objects.values_list(
            "id_number", "mobile", "email", "birth_date"
        ):
            values |= {id_number, mobile, email}
            if birth_date:
                values.add(birth_date.isoformat())
    from publications.models import Objection

    for phone, real_name in Objection.objects.values_list("phone", "real_name"):
        values |= {phone, real_name}
    values |= set(get_user_model().objects.values_list("email", flat=True))
    return {value for value in values if value}


def keys_in(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from keys_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from keys_in(value)


def test_no_response_carries_personal_data_or_hidden_pages(client, demo):
    hidden = set(Page.objects.filter(live=False).values_list("pk", flat=True))
    restricted = Page.objects.get(slug="measures")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    hidden |= set(
        Page.objects.descendant_of(restricted, inclusive=True).values_list("pk", flat=True)
    )
    if apps.is_installed("craftsman"):
        from craftsman.models import Craftsman

        revoked = Craftsman.objects.filter(status=Craftsman.Status.REVOKED)
        hidden |= set(revoked.values_list("profile_page_id", flat=True))
        assert revoked.exists()
    secrets = private_values()
    seen = set()
    for data in every_response(client):
        text = json.dumps(data, ensure_ascii=False)
        assert not ID_NUMBER.search(text), ID_NUMBER.search(text).group(0)
        assert not MOBILE.search(text), MOBILE.search(text).group(0)
        assert not EMAIL.search(text), EMAIL.search(text).group(0)
        assert not PRIVATE_FILE.search(text), PRIVATE_FILE.search(text).group(0)
        assert not PRIVATE_KEYS & set(keys_in(data))
        for secret in secrets:
            assert secret not in text, secret
        items = data.get("items", [data])
        seen |= {item["id"] for item in items}
    assert seen, "the walk saw no page at all"
    assert not seen & hidden


@pytest.mark.skipif(not apps.is_installed("craftsman"), reason="craftsman 插件已移除")
def test_profiles_listing_has_public_fields_and_photos(client, demo):
    data = get_json(
        client, API, {"type": "craftsman.CraftsmanProfilePage", "fields": "*", "limit": 20}
    )
    assert data["meta"]["total_count"] == len(data["items"]) > 0
    item = next(i for i in data["items"] if i["title"] == "王建国")
    assert item["title_year"] == 2024
    assert item["occupation"] and item["employer"]
    assert item["photo"]["url"].startswith("/media/images/")
    assert item["photo"]["width"] <= 480
    assert item["cultivation_status"].startswith("培养期")
    assert "黄光辉" not in json.dumps(data, ensure_ascii=False)


@pytest.mark.skipif(not apps.is_installed("craftsman"), reason="craftsman 插件已移除")
def test_profiles_listing_costs_the_same_queries_for_2_or_10_profiles(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(limit):
        query = {"type": "craftsman.CraftsmanProfilePage", "fields": "*", "limit": limit}
        get_json(client, API, query)  # warm: renditions, content types
        with CaptureQueriesContext(connection) as captured:
            data = get_json(client, API, query)
        assert len(data["items"]) == min(limit, data["meta"]["total_count"])
        return len(captured.captured_queries)

    from craftsman.models import CraftsmanProfilePage

    assert CraftsmanProfilePage.objects.live().count() >= 3
    assert queries(2) == queries(10)


def test_publicity_list_shows_only_the_visible_columns(client, demo):
    from publications.models import PublicityNoticePage

    notice = PublicityNoticePage.objects.live().first()
    notice.visible_columns = ["seq", "name", "employer"]
    notice.save_revision().publish()
    data = get_json(client, f"{API}{notice.pk}/")
    assert [c["key"] for c in data["public_list"]["columns"]] == ["seq", "name", "employer"]
    assert data["public_list"]["rows"]
    for row in data["public_list"]["rows"]:
        assert set(row) == {"seq", "name", "employer"}
    assert "objection_email" not in data
    assert data["publicity_state"] in {"upcoming", "open", "closed", "unknown"}


def test_notices_include_open_calls_and_results(client, demo):
    data = get_json(client, API, {"type": "publications.NoticePage", "fields": "notice_type"})
    kinds = {item["notice_type"] for item in data["items"]}
    assert {"notice", "publicity", "result"} <= kinds
    results = get_json(client, API, {"type": "publications.ResultAnnouncementPage", "fields": "*"})
    for item in results["items"]:
        for row in item["public_list"]:
            assert set(row) == {"seq", "name", "gender", "employer", "occupation"}
    calls = get_json(client, API, {"type": "publications.OpenCallPage", "fields": "*"})
    assert calls["items"] and "window_end" in calls["items"][0]


def test_pagination_limit_offset_and_the_maximum(client, demo):
    first = get_json(client, API, {"limit": 2})
    assert len(first["items"]) == 2
    second = get_json(client, API, {"limit": 2, "offset": 2})
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    too_many = get_json(client, API, {"limit": settings.WAGTAILAPI_LIMIT_MAX + 1}, status=400)
    assert too_many["message"] == f"每页条数（limit）不能大于 {settings.WAGTAILAPI_LIMIT_MAX}。"
    assert "正整数" in get_json(client, API, {"limit": "abc"}, status=400)["message"]


def test_errors_are_in_chinese(client, demo):
    assert get_json(client, API, {"type": "no.Such"}, status=400)["message"] == (
        "页面类型（type）不存在。"
    )
    assert "无法识别的查询参数" in get_json(client, API, {"bogus": 1}, status=400)["message"]
    assert get_json(client, f"{API}999999/", status=404)["message"] == "未找到该页面。"


def test_the_api_is_read_only(client, demo):
    page = Page.objects.live().exclude(depth=1).first()
    for method in ("post", "put", "patch", "delete"):
        for path in (API, f"{API}{page.pk}/"):
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code == 405
            assert response.json()["message"] == "本接口只读，只接受 GET 请求。"


def test_a_logged_in_editor_sees_no_more_than_anyone(client, demo):
    restricted = Page.objects.get(slug="measures")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    client.force_login(get_user_model().objects.get(username="admin"))
    ids = {item["id"] for item in get_json(client, API, {"limit": 50})["items"]}
    assert restricted.pk not in ids
