"""``manage.py backup`` / ``restore``: back up a populated site, destroy it, restore it,
and find every row and every file again.  Runs on SQLite and on PostgreSQL (the test
database of either), with real commits (``transactional_db``)."""

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
        reason="pg_dump / pg_restore are not installed",
    ),
    # Real commits replace the whole database: run in a pytest process of its own (make test),
    # so no other transactional test's flush comes before or after it.
    pytest.mark.own_process,
]


@pytest.fixture(autouse=True)
def fresh_content_types(transactional_db):
    """Flushes renumber the content types: forget cached ids before and after each test,
    so neither the test nor the post-test flush's ``post_migrate`` handlers use stale ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def roots(settings, tmp_path):
    """MEDIA_ROOT, PRIVATE_MEDIA_ROOT and VAR_DIR in a temporary folder."""
    media, private = tmp_path / "media", tmp_path / "private"
    media.mkdir()
    private.mkdir()
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = private
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private, "base_url": None},
        },
    }
    return {"media": media, "private": private}


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def checksums(root: Path):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_backup_destroy_restore_finds_every_record_and_file(transactional_db, roots, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    (roots["private"] / "extra").mkdir()
    (roots["private"] / "extra" / "申报材料.pdf").write_bytes(b"%PDF-1.4 private")
    counts = row_counts()
    files = {key: checksums(root) for key, root in roots.items()}
    assert counts["wagtailcore.Page"] > 5
    assert files["media"] and files["private"]

    output = run("backup")
    archives = list((tmp_path / "var" / "backups").glob("gzgj-backup-*.tar.gz"))
    assert len(archives) == 1 and str(archives[0]) in output
    archive = archives[0]
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "manifest.json" in names and "private/extra/申报材料.pdf" in names

    # Destroy: every row, every file; leave a stray file behind.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    for root in roots.values():
        shutil.rmtree(root)
        root.mkdir()
    (roots["media"] / "stray.txt").write_text("not from the backup")
    assert row_counts() != counts

    with pytest.raises(CommandError, match="--yes"):
        run("restore", str(archive))
    assert (roots["media"] / "stray.txt").exists()

    output = run("restore", str(archive), yes=True)
    assert "恢复完成" in output
    assert row_counts() == counts
    assert {key: checksums(root) for key, root in roots.items()} == files


def test_a_damaged_archive_is_refused_and_nothing_is_touched(transactional_db, roots, tmp_path):
    from django.contrib.auth import get_user_model

    (roots["media"] / "a.txt").write_text("public")
    (roots["private"] / "b.txt").write_text("private")
    archive = Path(run("backup", output=str(tmp_path / "x.tar.gz")).split("：")[1].split()[0])
    assert archive == tmp_path / "x.tar.gz"

    # Alter one file inside the archive, keep its manifest.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    (unpacked / "private" / "b.txt").write_text("tampered")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(unpacked).as_posix())

    get_user_model().objects.create_user("after_backup", password="x-Test-pass-123")
    (roots["media"] / "a.txt").write_text("changed after the backup")
    with pytest.raises(CommandError, match=r"校验值不符.*private/b\.txt"):
        run("restore", str(damaged), yes=True)
    assert get_user_model().objects.filter(username="after_backup").exists()
    assert (roots["media"] / "a.txt").read_text() == "changed after the backup"

    with pytest.raises(CommandError, match="找不到备份文件"):
        run("restore", str(tmp_path / "missing.tar.gz"), yes=True)
