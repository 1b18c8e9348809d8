"""Property-based fuzzing (Hypothesis) of every public form and of the applicant's forms.

Properties, for every generated submission:

- never a 5xx;
- a rejected submission saves nothing: the row counts of the models it touches are
  unchanged and no file is left in the private storage;
- an accepted one saves exactly one record (and exactly its files).

Inputs mix Chinese, control characters, NUL bytes, very long strings, HTML and script,
and uploads of random bytes with lying names and content types, empty files and huge
names.  Examples are few (``max_examples``) so that the module runs in well under two
minutes; the database is the test's own (function-scoped fixtures are shared by the
examples of one test, hence the suppressed health check).
"""

import datetime
import itertools
import os
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publications.models import (
    NoticeIndexPage,
    Objection,
    ObjectionEvidence,
    PublicityEntry,
    PublicityNoticePage,
)
from publications.workdays import SHANGHAI
from website.demo import seed_site
from website.roles import ensure_roles, group_for

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OPEN_TIME = datetime.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"

# --- strategies -------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "王海峰\x00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
    "𠀀𪚥🀄",
    "赣州" * 3000,
    "a" * 70000,
    "\r\n" * 50,
]
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=80),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=40),
)
phones = st.one_of(st.sampled_from(["139 0797 0001", "0797-8888888", "+86 13800000000"]), text)
content_types = st.sampled_from(
    ["application/pdf", "image/png", "image/jpeg", "text/html", "application/x-msdownload", ""]
)
file_names = st.one_of(
    st.sampled_from(["证明.pdf", "photo.png", "a.exe", "x.pdf.exe", ".pdf", "证" * 300 + ".pdf"]),
    # Names with no file name left after the last "/" ("0/", "..") never reach a view:
    # Django's upload parser drops them (and SimpleUploadedFile refuses to build them).
    st.text(min_size=1, max_size=60).filter(
        lambda n: "\x00" not in n and os.path.basename(n) not in ("", ".", "..")
    ),
)
file_bodies = st.one_of(
    st.just(b""),
    st.just(PDF_BYTES),
    st.binary(max_size=2048),
    st.binary(max_size=256).map(lambda b: PDF_BYTES[:9] + b),  # a PDF header, then junk
    st.binary(max_size=256).map(lambda b: PNG_HEAD + b),  # a PNG header, then junk
    st.just(PDF_BYTES.replace(b"%%EOF", b"/JavaScript (x) %%EOF")),
)
uploads = st.lists(st.tuples(file_names, file_bodies, content_types), max_size=3)


def as_files(specs):
    return [SimpleUploadedFile(name, body, content_type=ctype) for name, body, ctype in specs]


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_root(tmp_path, settings, monkeypatch):
    """Applicants' and objectors' files go to a temporary private folder."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(
        ObjectionEvidence._meta.get_field("file"),
        "storage",
        FileSystemStorage(location=root, base_url=None),
    )
    cache.clear()
    yield root
    cache.clear()


def stored_files(root):
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files)


@pytest.fixture
def home(db):
    ensure_roles()
    return seed_site()


@pytest.fixture
def notice(home, monkeypatch):
    """A publicity notice open for objections (time frozen inside its period)."""
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
    monkeypatch.setattr(timezone, "now", lambda: OPEN_TIME)
    return PublicityNoticePage.objects.get(pk=page.pk)


_addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))


# --- the objection form -----------------------------------------------------------------


def objection_counts():
    return Objection.objects.count(), ObjectionEvidence.objects.count()


@FUZZ
@given(
    objector_type=st.one_of(st.sampled_from(["person", "organisation", "unit"]), text),
    real_name=st.one_of(st.just("林晓东"), text),
    work_unit=text,
    phone=phones,
    entry=st.one_of(st.sampled_from(["first", "", "0", "-1", "99999999999999999999"]), text),
    content=st.one_of(st.just("王海峰同志申报材料所列获奖情况与实际不符，请予核实。"), text),
    pledge=st.sampled_from(["on", None, "", "false"]),
    evidence=uploads,
)
def test_objection_form(
    client,
    notice,
    private_root,
    objector_type,
    real_name,
    work_unit,
    phone,
    entry,
    content,
    pledge,
    evidence,
):
    if entry == "first":
        entry = str(notice.entries.first().pk)
    data = {
        "objector_type": objector_type,
        "real_name": real_name,
        "work_unit": work_unit,
        "phone": phone,
        "entry": entry,
        "content": content,
        "evidence": as_files(evidence),
    }
    if pledge is not None:
        data["pledge"] = pledge
    before, files_before = objection_counts(), stored_files(private_root)
    response = client.post("/publicity/objection/", data, REMOTE_ADDR=next(_addresses))
    assert response.status_code < 500
    objections, evidence_rows = objection_counts()
    if response.status_code == 303:
        assert objections == before[0] + 1
        assert evidence_rows == before[1] + len(evidence)
        assert len(stored_files(private_root)) == len(files_before) + len(evidence)
    else:
        assert response.status_code == 400
        assert (objections, evidence_rows) == before
        assert stored_files(private_root) == files_before


def test_a_valid_objection_is_saved_once(client, notice, private_root):
    """The accepting branch of the property, on a fixed example (Hypothesis may miss it)."""
    data = {
        "objector_type": "person",
        "real_name": "林晓东",
        "phone": "139 0797 0001",
        "entry": str(notice.entries.first().pk),
        "content": "<script>alert(1)</script> 获奖情况与实际不符。\x01",
        "pledge": "on",
        "evidence": [SimpleUploadedFile("证明.pdf", PDF_BYTES, "text/html")],
    }
    response = client.post("/publicity/objection/", data, REMOTE_ADDR="10.9.9.9")
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        assert objection_counts() == (1, 1)
        assert len(stored_files(private_root)) == 1


@pytest.mark.parametrize(
    "name",
    ["证" * 300 + ".pdf", "a" * 250 + ".pdf", "\u202eFDP.exe", "con.pdf", "证明\r\n.pdf"],
)
def test_evidence_with_a_strange_name_is_saved_whole_or_not_at_all(
    client, notice, private_root, name
):
    """Valid PDF bytes under a huge or odd name: a receipt with one file, or nothing."""
    data = {
        "objector_type": "person",
        "real_name": "林晓东",
        "phone": "0797-8888888",
        "entry": "",
        "content": "获奖情况与实际不符。",
        "pledge": "on",
        "evidence": [SimpleUploadedFile(name, PDF_BYTES, "application/octet-stream")],
    }
    response = client.post("/publicity/objection/", data, REMOTE_ADDR="10.8.8.8")
    assert response.status_code in (303, 400)
    saved = 1 if response.status_code == 303 else 0
    assert objection_counts() == (saved, saved)
    assert len(stored_files(private_root)) == saved


# --- search and notice filters ------------------------------------------------------------


@pytest.fixture
def notice_index(home):
    index = NoticeIndexPage(title="通知公告", slug="notices")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@FUZZ
@given(q=text, page=st.one_of(text, st.integers().map(str)))
def test_search(client, home, q, page):
    response = client.get("/search/", {"q": q, "page": page})
    assert response.status_code < 500


@FUZZ
@given(
    kind=st.one_of(st.sampled_from(["notice", "announcement", ""]), text),
    year=st.one_of(st.integers().map(str), text),
    page=st.one_of(st.integers().map(str), text),
)
def test_notice_filters(client, notice_index, kind, year, page):
    response = client.get(notice_index.url, {"type": kind, "year": year, "page": page})
    assert response.status_code < 500


# --- applicant registration and login ------------------------------------------------------


@FUZZ
@given(
    identifier=st.one_of(
        st.sampled_from(["13800000000", "a@example.com", "138 0000 0001"]),
        st.emails().map(str),
        text,
    ),
    password1=st.one_of(st.just("Gzgj@2025test"), text),
    same=st.booleans(),
    password2=text,
)
def test_registration(db, identifier, password1, same, password2):
    ensure_roles()
    client = Client()
    users = get_user_model().objects.count()
    data = {
        "identifier": identifier,
        "password1": password1,
        "password2": password1 if same else password2,
    }
    response = client.post("/apply/register/", data, REMOTE_ADDR=next(_addresses))
    assert response.status_code < 500
    if response.status_code == 302:
        assert get_user_model().objects.count() == users + 1
    else:
        assert response.status_code == 200
        assert get_user_model().objects.count() == users


@FUZZ
@given(username=text, password=text)
def test_applicant_login(db, username, password):
    client = Client()
    users = get_user_model().objects.count()
    response = client.post(
        "/apply/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=next(_addresses),
    )
    assert response.status_code < 500
    assert response.status_code != 302  # nobody can sign in with made-up credentials
    assert get_user_model().objects.count() == users


# --- the application form (five steps, drafts, uploads) ------------------------------------


@pytest.fixture
def applicant(db, home):
    from craftsman.models import Industry, RecommendingUnit, SelectionRound
    from craftsman.permissions import grant_permissions

    grant_permissions()
    RecommendingUnit.objects.create(
        kind=RecommendingUnit.Kind.COUNTY, name="章贡区人社局", area="章贡区", code="360702"
    )
    Industry.objects.create(name="电子信息", group=Industry.Group.PILLAR)
    now = timezone.now()
    SelectionRound.objects.create(
        year=2030,
        title="2030年度“赣州工匠”培养选拔",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
        status=SelectionRound.Status.OPEN,
    )
    user = get_user_model().objects.create_user(
        "13900000001", "fuzz@example.com", "x-Test-pass-123"
    )
    user.groups.add(group_for("applicant"))
    return user


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def form_fields(html):
    """{name: [option values]} of the form's inputs, selects and textareas."""
    fields = {}
    for _tag, name in re.findall(r'<(input|select|textarea)[^>]*\bname="([^"]+)"', html):
        fields.setdefault(name, [])
    for select in re.finditer(r'<select[^>]*name="([^"]+)"(.*?)</select>', html, re.S):
        fields[select.group(1)] = re.findall(r'<option[^>]*value="([^"]*)"', select.group(2))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def payload(draw, fields):
    """Random values for every field: often a valid option, otherwise fuzz."""
    data = {}
    for name, options in fields.items():
        if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
            data[name] = draw(st.sampled_from(["0", "1", "2", "-1", "1000", "x"]))
        elif options:
            data[name] = draw(st.one_of(st.sampled_from(options), text))
        else:
            data[name] = draw(text)
    data["action"] = draw(st.sampled_from(["save", "next", "prev", "submit", "x"]))
    return data


def application_counts():
    from craftsman.models import (
        CompetitionResult,
        Honour,
        Submission,
        SubmissionAttachment,
        SubmissionEvent,
    )

    return {
        model.__name__: model.objects.count()
        for model in (Submission, CompetitionResult, Honour, SubmissionAttachment, SubmissionEvent)
    }


@FUZZ
@given(data=st.data())
def test_new_application_step_one(applicant_client, data):
    """The draft is created by step 1's first accepted save, and only then."""
    from craftsman.models import Submission

    Submission.objects.all().delete()
    html = applicant_client.get("/apply/new/").content.decode()
    before = application_counts()
    response = applicant_client.post("/apply/new/", payload(data.draw, form_fields(html)))
    assert response.status_code < 500
    after = application_counts()
    if response.status_code == 302:
        assert after["Submission"] == before["Submission"] + 1
    else:
        assert response.status_code == 200
        assert after == before


@pytest.fixture
def draft(applicant):
    from craftsman.models import Industry, RecommendingUnit, SelectionRound, Submission

    return Submission.objects.create(
        round=SelectionRound.objects.get(),
        applicant=applicant,
        name="林晓东",
        recommending_unit=RecommendingUnit.objects.get(),
        industry=Industry.objects.get(),
    )


@FUZZ
@given(step=st.sampled_from([1, 2, 3, 5]), data=st.data())
def test_application_steps(applicant_client, draft, private_root, step, data):
    """Steps 1, 2, 3 (with the competition and honour formsets) and 5 (the pledge)."""
    url = f"/apply/{draft.pk}/step/{step}/"
    html = applicant_client.get(url).content.decode()
    before, files = application_counts(), stored_files(private_root)
    response = applicant_client.post(url, payload(data.draw, form_fields(html)))
    assert response.status_code < 500
    after = application_counts()
    assert after["Submission"] == before["Submission"]  # steps update the draft
    assert after["SubmissionAttachment"] == before["SubmissionAttachment"]
    if response.status_code != 302:
        assert response.status_code == 200
        assert after == before
    assert stored_files(private_root) == files


@pytest.mark.parametrize("name", ["证" * 300 + ".pdf", "a" * 250 + ".png", "x.pdf.exe"])
def test_upload_with_a_huge_name(applicant_client, draft, private_root, name):
    """Step 4 with valid PDF bytes under a huge name: saved whole or refused, never a 500."""
    before, stored = application_counts(), stored_files(private_root)
    upload = SimpleUploadedFile(name, PDF_BYTES, "image/png")
    response = applicant_client.post(
        f"/apply/{draft.pk}/step/4/", {"action": "save", "id_copy": upload}
    )
    assert response.status_code in (200, 302)
    added = application_counts()["SubmissionAttachment"] - before["SubmissionAttachment"]
    assert added in (0, 1)
    assert len(stored_files(private_root)) - len(stored) == added


@FUZZ
@given(
    data=st.data(), files=st.lists(st.tuples(file_names, file_bodies, content_types), max_size=4)
)
def test_application_uploads(applicant_client, draft, private_root, data, files):
    """Step 4: random files in random upload fields."""
    url = f"/apply/{draft.pk}/step/4/"
    html = applicant_client.get(url).content.decode()
    file_fields = [
        name
        for name in re.findall(r'<input[^>]*type="file"[^>]*name="([^"]+)"', html)
        + re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="file"', html)
    ] or ["id_copy"]
    post = {"action": data.draw(st.sampled_from(["save", "next"]))}
    for spec in files:
        field = data.draw(st.sampled_from(file_fields))
        post.setdefault(field, []).extend(as_files([spec]))
    before, stored = application_counts(), stored_files(private_root)
    response = applicant_client.post(url, post)
    assert response.status_code < 500
    after = application_counts()
    if response.status_code == 302:
        # accepted: one row per file kept, one file each (one-file kinds replace the old one)
        added = after["SubmissionAttachment"] - before["SubmissionAttachment"]
        assert 0 <= added <= len(files)
        assert len(stored_files(private_root)) - len(stored) == added
    else:
        assert response.status_code == 200
        assert after == before
        assert stored_files(private_root) == stored
