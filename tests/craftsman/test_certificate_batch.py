"""证书批量生成: a round's certificates as one ZIP, built by a django-q2 task (sync in tests)."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Site

from craftsman import certificates
from craftsman.certificates import build_batch, request_batch
from craftsman.conferral import confer_round, record_approval
from craftsman.models import CertificateBatch, Craftsman, Status
from publications.models import NoticeIndexPage
from website.models import HomePage


@pytest.fixture
def login(request, client):
    """Past two-factor sign-in when the ``verified_login`` fixture exists, else force_login."""
    try:
        verified_login = request.getfixturevalue("verified_login")
    except pytest.FixtureLookupError:
        verified_login = None

    def do_login(user):
        if verified_login is not None:
            verified_login(client, user)
        else:
            client.force_login(user)
        return client

    return do_login


@pytest.fixture
def conferred(make_submission, users):
    """A round with three title holders (certificates issued)."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="home-t"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
    if not NoticeIndexPage.objects.child_of(home).exists():
        home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    for name in ("王建国", "丁一", "李明"):
        make_submission(name=name, status=Status.AWAITING_APPROVAL, attachments=False)
    selection_round = Craftsman.round.field.related_model.objects.get()
    record_approval(
        selection_round, "赣市府字〔2030〕58号", datetime.date(2030, 12, 1), users["bureau"]
    )
    confer_round(selection_round, by=users["bureau"], notify=False)
    return selection_round


def zip_names(batch):
    with batch.result_file.open("rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


def test_button_builds_zip_with_progress_and_logged_download(
    login, users, conferred, django_capture_on_commit_callbacks
):
    client = login(users["bureau"])
    round_page = client.get(reverse("craftsman_conferral:round", args=[conferred.pk]))
    assert "批量生成本年度全部证书" in round_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("craftsman_certificates:request", args=[conferred.pk]))
    assert len(callbacks) == 1
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("craftsman_certificates:progress", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.DONE
    assert (batch.done_count, batch.total) == (3, 3)
    assert batch.requested_by == users["bureau"]
    names = zip_names(batch)
    assert len(names) == 3 and all(n.startswith("GZGJ-2030-") for n in names)
    assert any("王建国" in n for n in names)

    page = client.get(reverse("craftsman_certificates:progress", args=[batch.pk])).content.decode()
    assert "已生成 3 / 3" in page
    assert "craftsman/js/certificate-batch.js" in page
    assert reverse("craftsman_certificates:download", args=[batch.pk]) in page
    progress = client.get(reverse("craftsman_certificates:progress_json", args=[batch.pk])).json()
    assert progress["done"] == 3 and progress["total"] == 3 and progress["finished"]

    download = client.get(reverse("craftsman_certificates:download", args=[batch.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    actions = list(ModelLogEntry.objects.for_instance(conferred).values_list("action", flat=True))
    assert "craftsman.certificate_batch_request" in actions
    assert "craftsman.certificate_batch_download" in actions


def test_only_bureau_may_request_see_or_download(login, users, conferred):
    batch, _created = request_batch(conferred, by=users["bureau"])
    build_batch(batch.pk)
    client = login(users["zhanggong"])
    for url in [
        reverse("craftsman_certificates:progress", args=[batch.pk]),
        reverse("craftsman_certificates:progress_json", args=[batch.pk]),
        reverse("craftsman_certificates:download", args=[batch.pk]),
    ]:
        assert client.get(url).status_code in (302, 403, 404), url
    response = client.post(reverse("craftsman_certificates:request", args=[conferred.pk]))
    assert response.status_code in (302, 403, 404)
    assert CertificateBatch.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action="craftsman.certificate_batch_download").exists()


def test_progress_page_while_running_has_reload_link(login, users, conferred):
    batch = CertificateBatch.objects.create(
        round=conferred,
        status=CertificateBatch.Status.RUNNING,
        total=3,
        done_count=1,
        heartbeat_at=timezone.now(),
    )
    url = reverse("craftsman_certificates:progress", args=[batch.pk])
    page = login(users["bureau"]).get(url).content.decode()
    assert "已生成 1 / 3" in page
    assert f'href="{url}"' in page  # works without JavaScript
    assert 'data-finished="0"' in page
    assert reverse("craftsman_certificates:download", args=[batch.pk]) not in page
    assert (
        login(users["bureau"])
        .get(reverse("craftsman_certificates:download", args=[batch.pk]))
        .status_code
        == 404
    )


def test_second_click_while_running_starts_nothing(
    users, conferred, django_capture_on_commit_callbacks
):
    running = CertificateBatch.objects.create(
        round=conferred, status=CertificateBatch.Status.RUNNING, heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch, created = request_batch(conferred, by=users["bureau"])
    assert (batch, created) == (running, False)
    assert callbacks == []
    assert CertificateBatch.objects.count() == 1
    # The running one belongs to a live worker: a duplicate delivery of the task is a no-op.
    assert build_batch(running.pk) is None
    running.refresh_from_db()
    assert running.status == CertificateBatch.Status.RUNNING and running.done_count == 0


def test_rerunning_a_finished_batch_does_nothing(users, conferred):
    batch, _created = request_batch(conferred, by=users["bureau"])
    assert build_batch(batch.pk) == CertificateBatch.Status.DONE
    batch.refresh_from_db()
    name, finished = batch.result_file.name, batch.finished_at
    assert build_batch(batch.pk) is None
    batch.refresh_from_db()
    assert (batch.result_file.name, batch.finished_at) == (name, finished)


def test_crashed_batch_restarts_cleanly(users, conferred, django_capture_on_commit_callbacks):
    stale = timezone.now() - certificates.STALE_AFTER - datetime.timedelta(minutes=1)
    crashed = CertificateBatch.objects.create(
        round=conferred,
        status=CertificateBatch.Status.RUNNING,
        total=3,
        done_count=2,
        heartbeat_at=stale,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch, created = request_batch(conferred, by=users["bureau"])
    assert (batch, created, len(callbacks)) == (crashed, False, 1)
    crashed.refresh_from_db()
    assert crashed.status == CertificateBatch.Status.DONE
    assert crashed.done_count == 3 and len(zip_names(crashed)) == 3


def test_failure_is_recorded_and_a_retry_completes(users, conferred, monkeypatch):
    batch, _created = request_batch(conferred, by=users["bureau"])

    def broken(craftsman):
        raise OSError("磁盘已满")

    monkeypatch.setattr(certificates, "_certificate_bytes", broken)
    assert build_batch(batch.pk) == CertificateBatch.Status.FAILED
    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.FAILED and "磁盘已满" in batch.error
    assert not batch.result_file
    monkeypatch.undo()
    assert build_batch(batch.pk) == CertificateBatch.Status.DONE
    batch.refresh_from_db()
    assert batch.error == "" and len(zip_names(batch)) == 3
