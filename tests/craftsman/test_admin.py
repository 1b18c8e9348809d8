import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from craftsman.models import Status, Submission, SubmissionAttachment
from tests.craftsman.conftest import PDF_BYTES, make_user
from website.security.testing import verified_login

pytestmark = pytest.mark.django_db

INDEX = "craftsman_submissions:index"
INSPECT = "craftsman_submissions:inspect"


@pytest.fixture
def two_units(make_submission, users, units):
    """Two submitted applications to 章贡区 and one to 瑞金市."""
    ours = [make_submission(name="章贡甲"), make_submission(name="章贡乙")]
    theirs = make_submission(name="瑞金丙", recommending_unit=units["ruijin"])
    draft = make_submission(name="章贡草稿")  # the applicant's unsent draft
    for submission in [*ours, theirs]:
        submission.submit(by=users["applicant"])
    return {"ours": ours, "theirs": theirs, "draft": draft}


def login(client, user):
    verified_login(client, user)
    return client


def test_unit_staff_list_only_their_units_submissions(client, users, two_units):
    response = login(client, users["zhanggong"]).get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    assert "章贡甲" in html and "章贡乙" in html
    assert "瑞金丙" not in html and "章贡草稿" not in html


def test_scoping_rule_and_counts(users, two_units):
    assert Submission.objects.for_user(users["zhanggong"]).count() == 2
    assert Submission.objects.for_user(users["ruijin"]).count() == 1
    assert Submission.objects.for_user(users["bureau"]).count() == 4
    assert Submission.objects.for_user(users["expert"]).count() == 0


def test_search_and_filters_stay_scoped(client, users, two_units):
    client = login(client, users["zhanggong"])
    html = client.get(reverse(INDEX), {"q": "瑞金"}).content.decode()
    assert "瑞金丙" not in html
    receipt = two_units["ours"][0].receipt_number
    html = client.get(reverse(INDEX), {"q": receipt}).content.decode()
    assert "章贡甲" in html and "章贡乙" not in html
    ruijin_unit = two_units["theirs"].recommending_unit_id
    response = client.get(reverse(INDEX), {"recommending_unit": ruijin_unit})
    assert "瑞金丙" not in response.content.decode()


def test_list_masks_personal_data(client, users, two_units):
    submission = two_units["ours"][0]
    html = login(client, users["bureau"]).get(reverse(INDEX)).content.decode()
    assert submission.masked_id_number in html and "138****1234" in html
    assert submission.id_number not in html and "13812341234" not in html


def test_list_query_count_does_not_grow(
    client, users, make_submission, django_assert_max_num_queries
):
    client = login(client, users["bureau"])
    make_submission()
    client.get(reverse(INDEX))  # warm caches (content types, site)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse(INDEX))
    for _ in range(10):
        make_submission()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(INDEX)).status_code == 200


def test_inspect_another_units_submission_is_404(client, users, two_units):
    client = login(client, users["zhanggong"])
    theirs = two_units["theirs"]
    assert client.get(reverse(INSPECT, args=[theirs.pk])).status_code == 404
    ours = two_units["ours"][0]
    response = client.get(reverse(INSPECT, args=[ours.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "资格审查" in html and "办理记录" in html and "退回补正" in html
    assert ours.id_number not in html


def test_actions_through_the_admin(client, users, two_units):
    client = login(client, users["zhanggong"])
    ours, theirs = two_units["ours"][0], two_units["theirs"]
    url = reverse("craftsman_submissions:action", args=[theirs.pk, "decline"])
    assert client.post(url, {"comment": "x"}).status_code == 404
    url = reverse("craftsman_submissions:action", args=[ours.pk, "return"])
    response = client.post(url, {"comment": "", "expected_state": "submitted"}, follow=True)
    assert "必须填写意见" in response.content.decode()
    client.post(url, {"comment": "补充证书", "expected_state": "submitted"})
    ours.refresh_from_db()
    assert ours.status == Status.RETURNED
    # A second click on a stale page is told, and nothing changes.
    response = client.post(url, {"comment": "再次退回", "expected_state": "submitted"}, follow=True)
    assert "已被他人处理" in response.content.decode()
    second = two_units["ours"][1]
    url = reverse("craftsman_submissions:action", args=[second.pk, "recommend"])
    response = client.post(
        url,
        {
            "rank": 1,
            "letter": SimpleUploadedFile("推荐函.pdf", PDF_BYTES),
            "verified_skills": "on",
            "verified_achievements": "on",
            "verified_authenticity": "on",
            "expected_state": "submitted",
        },
    )
    second.refresh_from_db()
    assert second.status == Status.RECOMMENDED


def test_attachment_download_is_scoped(client, users, two_units):
    ours = two_units["ours"][0].attachments.first()
    theirs = two_units["theirs"].attachments.first()
    client = login(client, users["zhanggong"])
    url = reverse("craftsman_submissions:attachment", args=[ours.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith((b"%PDF", b"\x89PNG"))
    assert "no-store" in response["Cache-Control"]
    url = reverse("craftsman_submissions:attachment", args=[theirs.pk])
    assert client.get(url).status_code == 404
    login(client, users["expert"])
    assert client.get(url).status_code in (302, 403, 404)


def test_attachments_are_not_on_public_storage(two_units, settings):
    attachment = two_units["ours"][0].attachments.first()
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    with pytest.raises(NotImplementedError):
        attachment.file.url  # noqa: B018


def test_disguised_files_are_refused(make_submission):
    submission = make_submission(attachments=False)
    disguised = SimpleUploadedFile("证书.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="文件类型不符"):
        SubmissionAttachment.create_from_upload(
            submission, SubmissionAttachment.Kind.CERTIFICATE, disguised
        )
    pdf_as_photo = SimpleUploadedFile("photo.png", PDF_BYTES)
    with pytest.raises(ValidationError, match="文件类型不符"):
        SubmissionAttachment.create_from_upload(
            submission, SubmissionAttachment.Kind.PHOTO, pdf_as_photo
        )
    too_big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError, match="过大"):
        SubmissionAttachment.create_from_upload(
            submission, SubmissionAttachment.Kind.CERTIFICATE, too_big
        )
    assert not submission.attachments.exists()


def export(client, **params):
    response = client.get(reverse(INDEX), {"export": "xlsx", **params})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def test_export_is_scoped_filtered_and_masked(client, users, two_units):
    rows = export(login(client, users["zhanggong"]))
    header, body = rows[0], rows[1:]
    assert "身份证号（脱敏）" in header
    names = {row[header.index("姓名")] for row in body}
    assert names == {"章贡甲", "章贡乙"}
    flat = " ".join(str(value) for row in body for value in row)
    assert two_units["ours"][0].id_number not in flat and "13812341234" not in flat
    assert two_units["ours"][0].masked_id_number in flat
    rows = export(login(client, users["bureau"]), status="submitted")
    assert len(rows) == 4


def test_full_id_reveal_needs_permission_and_is_logged(client, users, two_units):
    ours = two_units["ours"][0]
    url = reverse("craftsman_submissions:reveal", args=[ours.pk])
    assert login(client, users["zhanggong"]).post(url).status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="craftsman.reveal_personal_data").exists()
    response = login(client, users["bureau"]).post(url)
    assert response.status_code == 200
    assert ours.id_number in response.content.decode()
    entry = ModelLogEntry.objects.for_instance(ours).get(action="craftsman.reveal_personal_data")
    assert entry.user == users["bureau"]
    assert login(client, users["bureau"]).get(url).status_code == 405


def test_unit_staff_may_reveal_only_their_own_units_with_the_permission(
    client, users, two_units, units
):
    from django.contrib.auth.models import Permission

    privileged = make_user("t_zg_privileged", "unit_staff", units["zhanggong"])
    privileged.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    theirs = two_units["theirs"]
    url = reverse("craftsman_submissions:reveal", args=[theirs.pk])
    assert login(client, privileged).post(url).status_code == 404


def test_experts_and_applicants_see_no_submissions(client, users, two_units):
    assert login(client, users["expert"]).get(reverse(INDEX)).status_code in (302, 403)
    assert login(client, users["applicant"]).get(reverse(INDEX)).status_code in (302, 403)


def test_reference_data_is_for_the_bureau(client, users):
    for name in ("craftsman_units", "craftsman_industries", "craftsman_rounds"):
        url = reverse(f"{name}:index")
        assert login(client, users["bureau"]).get(url).status_code == 200
        assert login(client, users["zhanggong"]).get(url).status_code in (302, 403)
