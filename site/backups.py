"""Backup and restore of the whole site: the database and both file stores.

Why one archive: a database without its uploaded files (or files without the rows
that point to them) is not a usable backup.  ``manage.py backup`` writes one
``.tar.gz`` holding

- ``database.sqlite3`` (SQLite, copied with the online backup API, so it is consistent
  while the site runs) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/`` (MEDIA_ROOT: public images and documents) and ``private/``
  (PRIVATE_MEDIA_ROOT: applicants' and objectors' files);
- ``manifest.json``: when, Django/Wagtail versions, the database engine, the applied
  migrations and the sha256 of every other file in the archive.

``manage.py restore`` checks every checksum before it touches anything, then replaces
the database and both folders.  The commands are thin; the work is here.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
FILE_ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says why."""


@dataclass
class RestoreReport:
    archive: Path
    created: str
    vendor: str
    migrations: int
    files: dict  # {"media": n, "private": n}


# --- helpers ----------------------------------------------------------------------------


def sha256_of(path, chunk=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def default_folder():
    return Path(settings.VAR_DIR) / "backups"


def archive_path(output=None, now=None):
    """Where to write: ``output`` as a file if it ends in .tar.gz, else a folder."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    name = f"gzgj-backup-{stamp}.tar.gz"
    if output and str(output).endswith(".tar.gz"):
        return Path(output)
    return Path(output or default_folder()) / name


def file_roots():
    return {key: Path(getattr(settings, name)) for key, name in FILE_ROOTS.items()}


def _connection(alias="default"):
    connection = connections[alias]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            f"不支持的数据库类型：{connection.vendor}（仅支持 SQLite 和 PostgreSQL）。"
        )
    return connection


def _postgres_command(tool, connection):
    """(argv prefix, env) for pg_dump / pg_restore from Django's connection settings."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"找不到 PostgreSQL 工具 {tool}：请安装与数据库服务器版本一致的 PostgreSQL "
            f"客户端（例如 apt install postgresql-client-15），并确认它在 PATH 中。"
        )
    params = connection.settings_dict
    env = dict(os.environ)
    argv = [executable, "--no-password"]
    if params.get("HOST"):
        argv += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        argv += ["--port", str(params["PORT"])]
    if params.get("USER"):
        argv += ["--username", str(params["USER"])]
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    sslmode = (params.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return argv, env, params["NAME"]


def _run(argv, env, what):
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{what}失败（退出码 {result.returncode}）：{result.stderr.strip()[:2000]}"
        )
    return result


def applied_migrations(connection):
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


# --- backup -----------------------------------------------------------------------------


def _dump_database(connection, folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API: a consistent copy even while others write.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return SQLITE_FILE
    argv, env, name = _postgres_command("pg_dump", connection)
    _run(
        [*argv, "--format=custom", "--file", str(folder / POSTGRES_FILE), name],
        env,
        "pg_dump 导出数据库",
    )
    return POSTGRES_FILE


def _copy_tree(source: Path, target: Path) -> int:
    """Copy the regular files under ``source``; returns how many."""
    count = 0
    if not source.exists():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            count += 1
    return count


def create_backup(output=None, alias="default", now=None) -> tuple[Path, dict]:
    """Write the archive; returns (its path, the manifest)."""
    connection = _connection(alias)
    now = now or timezone.now()
    target = archive_path(output, now)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gzgj-backup-") as staging:
        staging = Path(staging)
        database_file = _dump_database(connection, staging)
        counts = {key: _copy_tree(root, staging / key) for key, root in file_roots().items()}
        files = {
            path.relative_to(staging).as_posix(): sha256_of(path)
            for path in sorted(staging.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT_VERSION,
            "created": now.isoformat(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "database": {"vendor": connection.vendor, "file": database_file},
            "migrations": applied_migrations(connection),
            "file_counts": counts,
            "files": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging / MANIFEST, arcname=MANIFEST)
            for name in files:
                archive.add(staging / name, arcname=name)
        partial.replace(target)  # never a half-written archive under the final name
    os.chmod(target, 0o600)  # it holds personal data
    return target, manifest


# --- restore ----------------------------------------------------------------------------


def _extract_and_verify(archive: Path, into: Path) -> dict:
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, .., links out
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"备份文件已损坏或不是本系统的备份：{error}") from error
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError("备份文件中没有 manifest.json，不是本系统的备份。")
    try:
        manifest = json.loads(manifest_path.read_text())
        files = manifest["files"]
        database = manifest["database"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"manifest.json 无法读取：{error}") from error
    present = {path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()}
    present.discard(MANIFEST)
    missing = sorted(set(files) - present)
    extra = sorted(present - set(files))
    damaged = sorted(name for name in set(files) & present if sha256_of(into / name) != files[name])
    if missing or extra or damaged:
        details = "；".join(
            f"{label}：{'、'.join(names[:5])}{' 等' if len(names) > 5 else ''}"
            for label, names in (("缺少", missing), ("多出", extra), ("校验值不符", damaged))
            if names
        )
        raise BackupError(f"备份文件校验未通过，未做任何恢复（{details}）。")
    if database.get("file") not in files:
        raise BackupError("备份文件中没有数据库文件，未做任何恢复。")
    return manifest


def _restore_database(connection, source: Path):
    if connection.vendor == "sqlite":
        source_db = sqlite3.connect(source)
        try:
            connection.ensure_connection()
            source_db.backup(connection.connection)  # replaces every page of the live database
        finally:
            source_db.close()
        return
    argv, env, name = _postgres_command("pg_restore", connection)
    connection.close()  # nothing of ours holds a lock while tables are dropped
    _run(
        [
            *argv,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            str(source),
        ],
        env,
        "pg_restore 恢复数据库",
    )


def _replace_tree(source: Path, target: Path) -> int:
    """Make ``target`` hold exactly the files of ``source`` (the old ones kept until done)."""
    target.mkdir(parents=True, exist_ok=True)
    old = Path(tempfile.mkdtemp(prefix=".restore-old-", dir=target.parent))
    try:
        for child in list(target.iterdir()):
            shutil.move(str(child), old / child.name)
        count = _copy_tree(source, target) if source.exists() else 0
    except BaseException:
        for child in list(old.iterdir()):  # put back what was there
            if not (target / child.name).exists():
                shutil.move(str(child), target / child.name)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
    return count


def restore_backup(archive, alias="default") -> RestoreReport:
    """Verify ``archive`` completely, then replace the database and both folders."""
    archive = Path(archive)
    connection = _connection(alias)
    with tempfile.TemporaryDirectory(prefix="gzgj-restore-") as unpacked:
        unpacked = Path(unpacked)
        manifest = _extract_and_verify(archive, unpacked)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {vendor} 数据库，当前使用 {connection.vendor}，不能直接恢复，未做任何恢复。"
            )
        _restore_database(connection, unpacked / manifest["database"]["file"])
        counts = {key: _replace_tree(unpacked / key, root) for key, root in file_roots().items()}
    return RestoreReport(
        archive=archive,
        created=manifest["created"],
        vendor=vendor,
        migrations=len(manifest.get("migrations", [])),
        files=counts,
    )


def unapplied_after_restore(alias="default"):
    """Migrations in the code that the restored database lacks (run ``migrate``)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def describe_created(manifest_created: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(manifest_created)
    except ValueError:
        return manifest_created
    return timezone.localtime(moment).strftime("%Y年%-m月%-d日 %H:%M:%S")
