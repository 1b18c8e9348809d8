"""Settings fail early and clearly on bad configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG", "SECRET_KEY"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_names_the_variable():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "缺少环境变量 SECRET_KEY" in result.stderr


def test_malformed_database_url_fails_with_a_clear_message():
    result = run_check(DEBUG="1", DATABASE_URL="notadatabase://")
    assert result.returncode != 0
    assert "DATABASE_URL 格式错误" in result.stderr


def test_unrecognised_boolean_is_refused():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.parametrize("flag", ["1", "0"])
def test_check_passes_with_a_secret_key(flag):
    result = run_check(DEBUG=flag, SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_site_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_the_embedded_cache_is_shared_by_every_process(tmp_path):
    """Without Redis the web processes and the django-q2 worker share one file cache, so a
    page published by the worker drops what the web processes cached."""
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "REDIS_URL"}}
    env.update(DEBUG="1", VAR_DIR=str(tmp_path))
    script = (
        "import django; django.setup();"
        "from django.core.cache import cache; from django.conf import settings;"
        "cache.set('shared', 42); print(settings.CACHES['default']['BACKEND'])"
    )
    command = [sys.executable, "-c", script]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("FileBasedCache")
    read = "import django; django.setup(); from django.core.cache import cache; print(cache.get('shared'))"
    second = subprocess.run(
        [sys.executable, "-c", read], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert second.stdout.strip() == "42", second.stderr
