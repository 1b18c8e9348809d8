"""A bounded load test against a real server: gunicorn on loopback, production settings.

1. A temporary VAR_DIR gets a migrated SQLite database with the demo content
   (``migrate``, ``seed_demo --force``, DEBUG off) and a publicity notice that is
   open today.
2. gunicorn serves it on 127.0.0.1 at a free port (``load_wsgi``: the site's WSGI
   application with the objection rate limit raised, as all requests come from one
   address).
3. wrk: 10 s, 32 connections, the home page and the open publicity list in turn →
   no non-2xx/3xx responses and no socket errors.
4. 100 objections from 10 threads (GET the form for the CSRF token, POST with a
   unique name) → every one answered with a receipt, and exactly 100 new rows.

Loopback only, every step bounded in time, the server killed in ``finally``.
Marked ``load``; skipped when wrk or gunicorn is missing.
"""

import html
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRK = shutil.which("wrk") or "/usr/bin/wrk"
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        not os.access(WRK, os.X_OK), reason="未安装 wrk（/usr/bin/wrk），跳过压力测试"
    ),
    pytest.mark.skipif(not GUNICORN.exists(), reason="未安装 gunicorn，跳过压力测试"),
]
OBJECTIONS = 100
THREADS = 10

OPEN_NOTICE_SCRIPT = """
import datetime
import django
django.setup()
from django.utils import timezone
from publications.models import NoticeIndexPage, PublicityEntry, PublicityNoticePage
from publications.models.publicity import PublicityState

open_now = [p for p in PublicityNoticePage.objects.live() if p.state() == PublicityState.OPEN]
if not open_now:
    section = NoticeIndexPage.objects.live().first()
    today = timezone.localdate()
    page = PublicityNoticePage(
        title="压力测试公示",
        slug="load-test-publicity",
        body="<p>压力测试。</p>",
        start_date=today - datetime.timedelta(days=1),
        working_days=10,
        objection_phone="0797-8888888",
        objection_address="江西省赣州市章贡区长征大道1号",
        entries=[PublicityEntry(name="王海峰", employer="赣州稀金科技有限公司", sort_order=0)],
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    open_now = [PublicityNoticePage.objects.get(pk=page.pk)]
    assert open_now[0].state() == PublicityState.OPEN, open_now[0].state()
print(open_now[0].url)
"""

WRK_SCRIPT = """
local paths = {"/", "%s"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% 2) + 1])
end
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(args, env, timeout):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("load-var")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "TESTING", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="load-test-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(var_dir),
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="website.settings",
        LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v", "0"], env, timeout=300)
    run([*manage, "seed_demo", "--force"], env, timeout=300)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], env, timeout=120)
    notice_url = run([sys.executable, "-c", OPEN_NOTICE_SCRIPT], env, 60).strip().splitlines()[-1]
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "30",
            "--pythonpath",
            str(Path(__file__).parent),
            "load_wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        for path in ("/", urllib.parse.urlsplit(notice_url).path):  # warm up both workers
            for _worker in range(2):
                urllib.request.urlopen(base + path, timeout=60).read()
        yield {"base": base, "notice": urllib.parse.urlsplit(notice_url).path, "var": var_dir}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_pages_under_wrk(server, tmp_path):
    script = tmp_path / "paths.lua"
    script.write_text(WRK_SCRIPT % server["notice"])
    result = subprocess.run(
        [
            WRK,
            "-t",
            "2",
            "-c",
            "32",
            "-d",
            "10s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            server["base"] + "/",
        ],
        capture_output=True,
        text=True,
        timeout=40,
        check=False,
    )
    report = result.stdout
    assert result.returncode == 0, result.stderr
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    assert requests > 0, report
    assert "Non-2xx or 3xx responses" not in report, report
    assert "Socket errors" not in report, report


class Browser:
    """One visitor: keeps the cookies itself (the server marks them Secure)."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        opener = urllib.request.build_opener(NoRedirect)
        self.open = opener.open

    def request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submit_objection(base, notice_path, number):
    browser = Browser(base)
    status, _headers, page = browser.request(notice_path + "objection/")
    assert status == 200, status
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    entry = re.search(r'name="entry" value="(\d+)"', page) or re.search(
        r'<option value="(\d+)"', page
    )
    form_action = html.unescape(re.search(r'<form[^>]*action="([^"]*objection[^"]*)"', page)[1])
    name = "林" + "".join(chr(0x4E00 + int(d) * 17 + 300) for d in f"{number:03d}")
    data = {
        "csrfmiddlewaretoken": token,
        "objector_type": "person",
        "real_name": name,
        "phone": "0797-8888888",
        "entry": entry.group(1) if entry else "",
        "content": f"压力测试异议第{number}份：获奖情况与实际不符，请予核实。",
        "pledge": "on",
    }
    status, headers, body = browser.request(urllib.parse.urlsplit(form_action).path, data)
    assert status == 303, (status, body[:500])
    status, _headers, receipt = browser.request(urllib.parse.urlsplit(headers["Location"]).path)
    assert status == 200
    match = re.search(r"YY\d{8}-\d{4}", receipt)
    assert match, receipt[:500]
    return match.group(0)


def objection_count(var_dir):
    with sqlite3.connect(var_dir / "db.sqlite3", timeout=30) as db:
        return db.execute("SELECT COUNT(*) FROM publications_objection").fetchone()[0]


def test_objections_under_load(server):
    before = objection_count(server["var"])
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [
            pool.submit(submit_objection, server["base"], server["notice"], number)
            for number in range(OBJECTIONS)
        ]
        receipts = [future.result(timeout=60) for future in futures]
    assert len(receipts) == OBJECTIONS
    assert objection_count(server["var"]) == before + OBJECTIONS
