"""异议: the online form on a publicity notice, evidence files, rate limit, staff verification.

Time is fixed with ``now`` so that the notice (29 September – 11 October 2025,
5 working days across National Day) is open or closed as each test needs.
"""

import io
import re
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from publications.models import (
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    PublicityEntry,
    PublicityNoticePage,
)
from publications.objection_actions import RATE_LIMIT, ObjectionRefused, record_verification
from publications.signals import objection_received, objection_resolved
from publications.workdays import SHANGHAI
from website.demo import seed_accounts, seed_site
from website.roles import ensure_roles
from website.security.testing import verified_login

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OPEN_TIME = datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)
AFTER_CLOSE = datetime(2025, 10, 12, 0, 0, 1, tzinfo=SHANGHAI)
BEFORE_OPEN = datetime(2025, 9, 28, 23, 0, tzinfo=SHANGHAI)
URL = "/publicity/objection/"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings, monkeypatch):
    """Evidence files go to a temporary private folder; MEDIA_ROOT is another one."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(ObjectionEvidence._meta.get_field("file"), "storage", storage)
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield storage
    cache.clear()


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def home():
    ensure_roles()
    home = seed_site()
    seed_accounts()
    return home


@pytest.fixture
def notice(home):
    page = PublicityNoticePage(
        title="2025年度拟入选人员名单公示",
        slug="publicity",
        body="<p>现予以公示。</p>",
        start_date=date(2025, 9, 29),
        working_days=5,
        objection_phone="0797-8888888",
        objection_address="江西省赣州市章贡区长征大道1号",
        entries=[
            PublicityEntry(name="王海峰", employer="龙南市和利稀土冶炼有限公司", sort_order=0),
            PublicityEntry(name="李红英", employer="瑞金市客家风味食品有限公司", sort_order=1),
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return PublicityNoticePage.objects.get(pk=page.pk)


def valid_data(notice, **changes):
    data = {
        "objector_type": "person",
        "real_name": "林晓东",
        "work_unit": "",
        "phone": "139 0797 0001",
        "entry": str(notice.entries.get(name="王海峰").pk),
        "content": "王海峰同志申报材料所列获奖情况与实际不符，请予核实。",
        "pledge": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def stored_files(storage):
    root = storage.location
    import os

    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


# --- while the notice is open ---------------------------------------------------------


def test_the_list_links_to_the_form_page_while_open(client, notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    html = client.get("/publicity/").content.decode()
    # The list itself carries no form and no CSRF token, so it can be cached for everyone.
    assert 'href="/publicity/objection/"' in html
    assert "csrfmiddlewaretoken" not in html
    html = client.get(URL).content.decode()
    assert 'action="/publicity/objection/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_real_name">' in html
    assert 'aria-describedby="id_phone_helptext"' in html


def test_an_objection_with_evidence_is_received(
    client, notice, monkeypatch, private_storage, django_capture_on_commit_callbacks
):
    freeze(monkeypatch, OPEN_TIME)
    received = []
    objection_received.connect(
        lambda sender, objection, **kw: received.append(objection), weak=False, dispatch_uid="t1"
    )
    try:
        data = valid_data(notice)
        data["evidence"] = [
            upload("获奖证书.pdf", PDF_BYTES),
            upload("现场照片.png", png_bytes()),
        ]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, data, REMOTE_ADDR="10.0.0.8")
    finally:
        objection_received.disconnect(dispatch_uid="t1")
    assert response.status_code == 303
    assert response["Location"] == "/publicity/objection/received/"

    objection = Objection.objects.get()
    assert objection.status == ObjectionStatus.RECEIVED
    assert objection.phone == "13907970001"  # normalised
    assert objection.entry.name == "王海峰" and objection.entry_name == "王海峰"
    assert objection.submitted_ip == "10.0.0.8"
    assert objection.created_at == OPEN_TIME
    assert re.fullmatch(r"YY20250930-\d{4}", objection.receipt_number)
    assert received == [objection]

    files = list(objection.evidence.order_by("pk"))
    assert [f.original_name for f in files] == ["获奖证书.pdf", "现场照片.png"]
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert "获奖" not in files[0].file.name  # the stored name is generated
    assert len(stored_files(private_storage)) == 2

    log = ModelLogEntry.objects.get(action="publications.objection.receive")
    assert log.object_id == str(objection.pk)

    page = client.get(response["Location"]).content.decode()
    assert objection.receipt_number in page
    assert "您的异议已受理" in page


def test_the_receipt_page_needs_a_submission(client, notice):
    assert client.get("/publicity/objection/received/").status_code == 404


def test_the_form_page_outside_the_period_offers_no_form(client, notice, monkeypatch):
    freeze(monkeypatch, AFTER_CLOSE)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "公示期已结束" in html and "<form" not in html.split("<main", 1)[1]


def test_a_unit_must_name_itself_and_send_a_sealed_letter(client, notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    response = client.post(URL, valid_data(notice, objector_type="unit", real_name="陈立新"))
    assert response.status_code == 400
    form = response.context["objection_form"]
    assert "work_unit" in form.errors and "evidence" in form.errors
    assert not Objection.objects.exists()

    data = valid_data(notice, objector_type="unit", work_unit="南康区家具行业协会")
    data["evidence"] = [upload("异议函.pdf", PDF_BYTES)]
    assert client.post(URL, data).status_code == 303
    assert Objection.objects.get().objector_label() == "南康区家具行业协会（经办人：林晓东）"


# --- refused, nothing saved ------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "message"), [(AFTER_CLOSE, "公示期已结束"), (BEFORE_OPEN, "公示尚未开始")]
)
def test_outside_the_period_a_post_is_refused(
    client, notice, monkeypatch, private_storage, moment, message
):
    freeze(monkeypatch, moment)
    html = client.get("/publicity/").content.decode()
    assert 'action="/publicity/objection/' not in html  # the form is not offered
    data = valid_data(notice)
    data["evidence"] = [upload("a.pdf", PDF_BYTES)]
    response = client.post(URL, data)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"real_name": ""}, "real_name", "请填写真实姓名"),
        ({"real_name": "匿名"}, "real_name", "匿名异议不予受理"),
        ({"phone": ""}, "phone", "请填写联系电话"),
        ({"phone": "12345"}, "phone", "正确的联系电话"),
        ({"phone": "0797-1234"}, "phone", "正确的联系电话"),
        ({"content": ""}, "content", "请填写异议内容"),
        ({"content": "x" * 2001}, "content", "2000"),
        ({"pledge": None}, "pledge", "请阅读并勾选承诺"),
    ],
)
def test_incomplete_objections_are_refused_field_by_field(
    client, notice, monkeypatch, changes, field, message
):
    freeze(monkeypatch, OPEN_TIME)
    response = client.post(URL, valid_data(notice, **changes))
    assert response.status_code == 400
    errors = response.context["objection_form"].errors
    assert field in errors and message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # the error sits next to its field
    assert "aria-invalid" in html
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    "phone",
    ["13907970001", "+86 139-0797-0001", "0797-8123456", "(0797)8123456", "010-62345678-801"],
)
def test_mobile_and_landline_numbers_are_accepted(client, notice, monkeypatch, phone):
    freeze(monkeypatch, OPEN_TIME)
    assert client.post(URL, valid_data(notice, phone=phone)).status_code == 303


def test_an_oversized_file_is_refused_and_nothing_is_saved(
    client, notice, monkeypatch, private_storage
):
    freeze(monkeypatch, OPEN_TIME)
    data = valid_data(notice)
    data["evidence"] = [
        upload("ok.pdf", PDF_BYTES),
        upload("big.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024)),
    ]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "文件过大" in " ".join(response.context["objection_form"].errors["evidence"])
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert stored_files(private_storage) == []


def test_a_disguised_file_is_refused_and_nothing_is_saved(
    client, notice, monkeypatch, private_storage
):
    freeze(monkeypatch, OPEN_TIME)
    data = valid_data(notice)
    data["evidence"] = [
        upload("photo.png", png_bytes()),
        upload("证明.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ]
    response = client.post(URL, data)
    assert response.status_code == 400
    errors = " ".join(response.context["objection_form"].errors["evidence"])
    assert "证明.pdf" in errors and "文件类型不符" in errors
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert stored_files(private_storage) == []


def test_more_than_five_files_are_refused(client, notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    data = valid_data(notice)
    data["evidence"] = [upload(f"{i}.pdf", PDF_BYTES) for i in range(6)]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "最多上传5个文件" in " ".join(response.context["objection_form"].errors["evidence"])
    assert not Objection.objects.exists()


def test_a_failing_file_write_leaves_nothing_behind(client, notice, monkeypatch, private_storage):
    freeze(monkeypatch, OPEN_TIME)
    calls = {"n": 0}
    original = private_storage._save

    def flaky_save(name, content):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(name, content)

    monkeypatch.setattr(private_storage, "_save", flaky_save)
    data = valid_data(notice)
    data["evidence"] = [upload("a.pdf", PDF_BYTES), upload("b.pdf", PDF_BYTES)]
    client.raise_request_exception = False
    response = client.post(URL, data)
    assert response.status_code == 500
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert stored_files(private_storage) == []  # the first file was removed again


@pytest.mark.parametrize(
    "junk",
    [
        {"entry": "abc"},
        {"entry": "999999"},
        {"objector_type": "robot"},
        {"real_name": "王\x00五"},
        {"evidence": "not-a-file"},
        {"content": ["a", "b"]},
    ],
)
def test_junk_input_is_a_form_error_not_a_server_error(client, notice, monkeypatch, junk):
    freeze(monkeypatch, OPEN_TIME)
    response = client.post(URL, valid_data(notice, **junk))
    assert response.status_code in (303, 400)
    if response.status_code == 303:  # e.g. a text value for a file field is just ignored
        assert Objection.objects.count() == 1
    else:
        assert not Objection.objects.exists()


def test_an_entry_of_another_notice_is_refused(client, notice, home, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    other = PublicityNoticePage(
        title="另一个公示",
        slug="other",
        body="<p>x</p>",
        start_date=date(2025, 9, 29),
        objection_phone="0797-8888888",
        objection_address="地址",
        entries=[PublicityEntry(name="张三")],
    )
    home.add_child(instance=other)
    foreign = other.entries.get()
    response = client.post(URL, valid_data(notice, entry=str(foreign.pk)))
    assert response.status_code == 400
    assert "entry" in response.context["objection_form"].errors


def test_the_form_is_csrf_protected(notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, valid_data(notice))
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_a_burst_from_one_address_is_rate_limited(client, notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    for i in range(RATE_LIMIT):
        data = valid_data(notice, content=f"第{i + 1}条异议：具体情况如下，请核实。")
        assert client.post(URL, data, REMOTE_ADDR="10.0.0.9").status_code == 303
    response = client.post(URL, valid_data(notice), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert Objection.objects.count() == RATE_LIMIT
    # Another address is not affected.
    assert client.post(URL, valid_data(notice), REMOTE_ADDR="10.0.0.10").status_code == 303


# --- evidence files are never public ---------------------------------------------------


@pytest.fixture
def objection_with_file(client, notice, monkeypatch):
    freeze(monkeypatch, OPEN_TIME)
    data = valid_data(notice)
    data["evidence"] = [upload("获奖证书.pdf", PDF_BYTES)]
    assert client.post(URL, data).status_code == 303
    return Objection.objects.get()


def test_evidence_download_needs_the_objection_permission(client, objection_with_file):
    evidence = objection_with_file.evidence.get()
    url = f"/admin/publications/objection-evidence/{evidence.pk}/"

    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    editor = Client()
    verified_login(editor, get_user_model().objects.get(username="editor"))
    assert editor.get(url).status_code in (302, 403)

    bureau = Client()
    verified_login(bureau, get_user_model().objects.get(username="bureau"))
    response = bureau.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert ModelLogEntry.objects.filter(action="publications.objection.evidence_download").exists()


def test_evidence_has_no_public_url(client, objection_with_file, settings):
    evidence = objection_with_file.evidence.get()
    name = evidence.file.name
    assert not (settings.MEDIA_ROOT / name).exists()
    assert (evidence.file.storage.path(name)).startswith(
        str(settings.MEDIA_ROOT.parent / "private")
    )
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(evidence.file.url).status_code == 404


# --- staff: verification, reply, audit log --------------------------------------------


@pytest.fixture
def bureau_client(home):
    c = Client()
    verified_login(c, get_user_model().objects.get(username="bureau"))
    return c


def make_objection(notice, **fields):
    defaults = {
        "real_name": "林晓东",
        "phone": "13907970001",
        "content": "反映的具体情况",
        "receipt_number": f"YY20250930-{Objection.objects.count():04d}",
    }
    return Objection.objects.create(notice=notice, **{**defaults, **fields})


def test_bureau_sees_objections_filtered_by_notice_and_status(bureau_client, notice):
    first = make_objection(notice)
    second = make_objection(notice, status=ObjectionStatus.CHECKING)
    response = bureau_client.get("/admin/objections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert first.receipt_number in html and second.receipt_number in html
    assert "13907970001" not in html  # no phone in the list
    html = bureau_client.get(
        f"/admin/objections/?status=checking&notice={notice.pk}"
    ).content.decode()
    assert second.receipt_number in html and first.receipt_number not in html


def test_the_menu_item_and_no_add_or_delete(bureau_client, home, notice):
    admin_home = bureau_client.get("/admin/").content.decode()
    # The sidebar menu is JSON with escaped characters.
    assert "/admin/objections/" in admin_home and "\\u5f02\\u8bae\\u5904\\u7406" in admin_home
    objection = make_objection(notice)
    assert bureau_client.get(f"/admin/objections/delete/{objection.pk}/").status_code in (302, 403)
    superuser = Client()
    verified_login(superuser, get_user_model().objects.get(username="admin"))
    assert superuser.get(f"/admin/objections/delete/{objection.pk}/").status_code in (302, 403)
    assert superuser.post(f"/admin/objections/delete/{objection.pk}/").status_code in (302, 403)
    assert superuser.get("/admin/objections/new/").status_code in (302, 403)
    assert Objection.objects.filter(pk=objection.pk).exists()


def test_users_without_permission_see_no_objections(home, notice):
    make_objection(notice)
    editor = Client()
    verified_login(editor, get_user_model().objects.get(username="editor"))
    assert editor.get("/admin/objections/").status_code in (302, 403)
    assert not Objection.objects.for_user(get_user_model().objects.get(username="editor")).exists()


def test_verification_is_recorded_in_the_audit_log(
    bureau_client, notice, django_capture_on_commit_callbacks
):
    objection = make_objection(notice)
    url = f"/admin/objections/edit/{objection.pk}/"
    page = bureau_client.get(url)
    assert page.status_code == 200
    assert "13907970001" in page.content.decode()  # staff can call the objector back

    response = bureau_client.post(
        url, {"status": "checking", "verification_notes": "已函请南康区人社局核实。", "reply": ""}
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.CHECKING
    assert objection.handled_by.username == "bureau" and objection.handled_at
    entry = ModelLogEntry.objects.get(action="publications.objection.verify")
    assert entry.user.username == "bureau"
    assert entry.data["status_from"] == "received" and entry.data["status_to"] == "checking"

    # A conclusion needs notes and a reply.
    response = bureau_client.post(url, {"status": "upheld", "verification_notes": "", "reply": ""})
    assert response.status_code == 200
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.CHECKING

    resolved = []
    objection_resolved.connect(
        lambda sender, objection, upheld, **kw: resolved.append((objection.pk, upheld)),
        weak=False,
        dispatch_uid="t2",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = bureau_client.post(
                url,
                {
                    "status": "upheld",
                    "verification_notes": "经核实，获奖情况不实。",
                    "reply": "经核实，反映情况属实，已取消其拟入选资格。",
                },
            )
    finally:
        objection_resolved.disconnect(dispatch_uid="t2")
    assert response.status_code == 302
    assert resolved == [(objection.pk, True)]
    assert ModelLogEntry.objects.filter(action="publications.objection.verify").count() == 2

    # The conclusion is final.
    bureau_client.post(url, {"status": "rejected", "verification_notes": "x", "reply": "y"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD


def test_a_conclusion_cannot_be_changed_even_directly(notice, home):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="bureau")
    objection = make_objection(notice, status=ObjectionStatus.REJECTED)
    with pytest.raises(ObjectionRefused):
        record_verification(objection.pk, user=staff, status="upheld", notes="n", reply="r")


def test_bureau_group_has_the_objection_and_holiday_permissions(home):
    from website.roles import group_for

    codenames = set(group_for("bureau").permissions.values_list("codename", flat=True))
    assert {"view_objection", "change_objection"} <= codenames
    assert {"add_holidayoverride", "change_holidaycalendaryear"} <= codenames
    assert "delete_objection" not in codenames


def test_holiday_calendar_screens_are_in_the_settings_menu(bureau_client):
    for url, label in (
        ("/admin/holiday_overrides/", "节假日调整"),
        ("/admin/holiday_years/", "节假日年度"),
    ):
        response = bureau_client.get(url)
        assert response.status_code == 200
        assert label in response.content.decode()


def test_a_notice_with_objections_cannot_be_deleted(home, notice):
    make_objection(notice)
    superuser = Client()
    verified_login(superuser, get_user_model().objects.get(username="admin"))
    response = superuser.post(f"/admin/pages/{notice.pk}/delete/")
    assert response.status_code == 302
    assert PublicityNoticePage.objects.filter(pk=notice.pk).exists()


def test_the_admin_list_is_not_n_plus_one(bureau_client, notice, django_assert_max_num_queries):
    for _ in range(3):
        make_objection(notice)
    bureau_client.get("/admin/objections/")
    with django_assert_max_num_queries(40) as few:
        bureau_client.get("/admin/objections/")
    for _ in range(10):
        make_objection(notice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        bureau_client.get("/admin/objections/")
