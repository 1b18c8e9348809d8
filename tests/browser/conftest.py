"""Fixtures of the browser checks: one headless Chromium per test session (Debian's, since
Playwright cannot download its own here), Django's live server with the demo content, log-in
helpers, and screenshots of every journey step at a phone and a desktop width.

Every test in this folder is skipped, with the reason printed at the end of the run, when
Chromium or the Playwright package is absent; the accessibility and HTML checks are also
skipped when ``node_modules`` (axe-core, vnu-jar) or Java is missing."""

import importlib.util
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
# from a thread with a running loop unless told the calls are safe (they are: the loop only
# waits for the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Gzgj@2025demo"
WIDTHS = {"phone": (375, 800), "desktop": (1280, 900)}


def browser_missing():
    """Why the browser cannot run here, or ``None`` when it can."""
    if not CHROMIUM.exists():
        return f"未找到 {CHROMIUM}：跳过浏览器测试（Debian 上 apt-get install chromium）"
    if importlib.util.find_spec("playwright") is None:
        return "未安装 Python 包 playwright：跳过浏览器测试"
    return None


def node_modules_missing():
    if not AXE_JS.exists() or not VNU_JAR.exists():
        return "未找到 node_modules（axe-core、vnu-jar）：跳过无障碍与 HTML 校验测试（运行 npm ci）"
    return None


def java_missing():
    if shutil.which("java") is None:
        return (
            "未找到 java：跳过 HTML 校验（Nu checker）测试（apt-get install default-jre-headless）"
        )
    return None


_skipped_reasons = []


def pytest_collection_modifyitems(config, items):
    """Skip what cannot run, with a reason that the end of the run repeats."""
    here = Path(__file__).parent
    for item in items:
        if here not in Path(str(item.fspath)).parents:
            continue
        reason = browser_missing()
        if reason is None and item.get_closest_marker("needs_node_modules"):
            reason = node_modules_missing()
        if reason is None and item.get_closest_marker("needs_java"):
            reason = java_missing()
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
            if reason not in _skipped_reasons:
                _skipped_reasons.append(reason)


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_node_modules: needs axe-core / vnu-jar from npm")
    config.addinivalue_line("markers", "needs_java: needs a Java runtime for the Nu checker")


def pytest_terminal_summary(terminalreporter):
    """Say plainly which browser checks did not run (the final count line follows)."""
    for reason in _skipped_reasons:
        terminalreporter.write_line(f"浏览器测试：{reason}", yellow=True)


# --- browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


def private_storages(location):
    from django.conf import settings

    return {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }


@pytest.fixture(scope="session")
def private_root(tmp_path_factory):
    """Applicants' and objectors' files, the demo's among them, for the whole session."""
    return tmp_path_factory.mktemp("private")


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, private_root):
    """The demo content (``make run``'s), seeded once and kept as serialized rows.

    Each browser test runs on a flushed database (the live server needs real commits);
    restoring these rows takes a fraction of the time ``seed_demo`` does. The seeding itself
    is rolled back, so no other test sees it."""
    from django.db import connection, transaction
    from django.test.utils import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=private_storages(private_root)),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        snapshot = connection.creation.serialize_db_to_string()
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def site(transactional_db, demo_snapshot, private_root, live_server, settings):
    """The live server with the demo content restored and e-mail kept in memory."""
    from django.core.cache import caches
    from django.db import connection
    from wagtail.models import Page

    settings.STORAGES = private_storages(private_root)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Wagtail's placeholder page from its migrations; the demo replaced it with the home page.
    Page.objects.filter(depth=2).delete()
    connection.creation.deserialize_db_from_string(demo_snapshot)
    for cache in caches.all():
        cache.clear()
    return live_server


@pytest.fixture
def new_page(browser, site):
    """A factory of fresh pages, each in its own context (its own cookies: one user each)."""
    contexts = []

    def factory(width="desktop"):
        w, h = WIDTHS[width]
        context = browser.new_context(
            viewport={"width": w, "height": h}, locale="zh-CN", base_url=site.url
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shoot(request):
    """``shoot(page, "step")``: screenshots of the current page at 375 px and 1280 px wide,
    in ``$ARTIFACTS_DIR`` (default ``artifacts/browser/``), named after the test."""
    folder = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "artifacts" / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)
    counter = iter(range(1, 100))

    def take(page, step):
        number = next(counter)
        original = page.viewport_size
        for label, (w, h) in WIDTHS.items():
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=folder / f"{test_name}-{number:02d}-{step}-{label}.png")
        page.set_viewport_size(original)

    return take


# --- log-in ----------------------------------------------------------------------------


def submit_otp_if_asked(page, username):
    """Bureau staff have a second step (TOTP); answer it from the user's confirmed device."""
    if not page.locator("input[name=otp_token]").count():
        return
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    assert device is not None, f"{username} 需要双因素验证，但没有已确认的 TOTP 设备"
    otp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if otp.t() <= device.last_t:
        # This step's code was used already (django-otp refuses a replay): the next step's
        # code is inside the server's tolerance.
        otp.time = otp.time + device.step
    token_field = page.locator("input[name=otp_token]").first
    token_field.fill(f"{otp.token():0{device.digits}d}")
    token_field.press("Enter")
    page.wait_for_load_state()
    assert not page.locator("input[name=otp_token]").count(), f"{username} 的双因素验证未通过"


def admin_login(page, username, password=DEMO_PASSWORD):
    """Log in to the admin (/admin/) as a demo account."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    submit_otp_if_asked(page, username)
    assert "/admin/login/" not in page.url, f"{username} 未能登录后台：{page.url}"
    page.gzgj_username = username
    return page


def visit(page, url):
    """``page.goto(url)``, answering the two-factor step if the admin asks for it there."""
    response = page.goto(url)
    if "/two-factor/" in page.url:
        submit_otp_if_asked(page, page.gzgj_username)
        if page.url.split("?")[0] != url.split("?")[0]:
            response = page.goto(url)
    return response


# --- the public pages every check visits -------------------------------------------------


def public_pages():
    """``(label, path)`` of one page of every public page type in the demo content."""
    from craftsman.models import CraftsmanIndexPage, CraftsmanProfilePage
    from publications.models import (
        NoticeIndexPage,
        NoticePage,
        OpenCallPage,
        PolicyIndexPage,
        PolicyPage,
        PublicityNoticePage,
        ResultAnnouncementPage,
    )

    def first(model, **filters):
        return model.objects.live().filter(**filters).exact_type(model).first().url

    open_publicity = next(
        page for page in PublicityNoticePage.objects.live().order_by("pk") if page.is_open()
    )
    return [
        ("首页", "/"),
        ("政策文件", first(PolicyIndexPage)),
        ("政策正文", first(PolicyPage)),
        ("通知公告", first(NoticeIndexPage)),
        ("通知", first(NoticePage)),
        ("申报通知", first(OpenCallPage)),
        ("公示（进行中）", open_publicity.url),
        ("结果公布", first(ResultAnnouncementPage)),
        ("工匠风采", first(CraftsmanIndexPage)),
        ("工匠个人", first(CraftsmanProfilePage)),
        ("搜索结果", "/search/?q=工匠"),
        ("申报人登录", "/apply/login/"),
        ("申报人注册", "/apply/register/"),
        ("404", "/no-such-page-for-the-test/"),
    ]
