"""Wagtail admin strings that Wagtail's own zh_Hans catalogues leave in English.

They are translated in site/locale/zh_Hans/LC_MESSAGES/django.po and djangojs.po
(LOCALE_PATHS, which wins over the apps' catalogues).
"""

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone, translation

from website.security.testing import verified_login

MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue(tmp_path_factory):
    """The project catalogues as they are in the working tree, compiled afresh.

    ``make test`` runs compilemessages first, but a stale .mo may already be cached
    in this process, so compile the .po files into a new locale directory instead.
    """
    if shutil.which("msgfmt") is None:
        pytest.fail("找不到 msgfmt：请安装 gettext（make test 也需要它）")
    locale_dir = tmp_path_factory.mktemp("locale")
    compiled = locale_dir / "zh_Hans" / "LC_MESSAGES"
    compiled.mkdir(parents=True)
    for po in sorted(MESSAGES.glob("*.po")):
        mo = compiled / po.with_suffix(".mo").name
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    with override_settings(LOCALE_PATHS=[str(locale_dir)]):
        yield


@pytest.fixture
def signed_in(client, demo):
    """The demo administrator, signed in."""
    verified_login(client, get_user_model().objects.get(username="admin"))
    return client


# --- The catalogue ------------------------------------------------------------

SAMPLES = {
    # workflow, moderation, tasks
    "By workflow": "按工作流",
    "By task": "按任务",
    "Show disabled": "显示已禁用",
    "Assign your workflow to snippets": "将工作流分配给片段",
    "Your pages and snippets in a workflow": "你在工作流中的页面和片段",
    "Cancelled by %(cancelled_by)s": "已由%(cancelled_by)s取消",
    # locking
    "Locked by": "锁定人",
    "Locked by workflow": "被工作流锁定",
    "Locked by <b>you</b> at <b>%(locking_date)s</b>": "由<b>你</b>锁定于<b>%(locking_date)s</b>",
    # publishing, scheduling, revisions
    "Schedule to publish": "计划发布",
    "Invalid schedule": "无效的发布计划",
    "Saving will overwrite a newer version.": "保存将覆盖一个较新的版本。",
    # log actions, users, permissions
    "API token revoked": "已撤销 API 令牌",
    "Can access Wagtail admin": "可以访问 Wagtail 管理后台",
    "Toggle all custom permissions": "切换所有自定义权限",
    # images, documents, forms, redirects
    "Image focal point": "图片焦点",
    "The document could not be created due to errors.": "由于出现错误，无法创建文档。",
    "Page type": "页面类型",
    "Imported file has a wrong encoding: %(error_message)s.": "导入文件的编码错误：%(error_message)s。",
    # a correction of Wagtail's own translation ("步进数%(step_number)s")
    "Step %(step_number)s": "第 %(step_number)s 步",
}


@pytest.mark.parametrize(("msgid", "chinese"), SAMPLES.items(), ids=list(SAMPLES))
def test_translated_msgids_resolve_to_chinese(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese


def test_placeholders_and_plurals_survive_translation():
    with translation.override("zh-hans"):
        moved = translation.ngettext("Moved up 1 place.", "Moved up %(counter)s places.", 3)
        assert moved % {"counter": 3} == "上移了 3 位。"
        locked = translation.gettext(
            "<b>'{title}' was locked</b> by <b>{user}</b> on <b>{datetime}</b>."
        )
        assert locked.format(title="首页", user="张三", datetime="今天") == (
            "<b>“首页”已被锁定</b>，锁定人：<b>张三</b>，锁定时间：<b>今天</b>。"
        )
        too_short = translation.ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        )
        assert too_short % 8 == "密码太短。密码必须包含至少 8 个字符。"


def source_msgids(po_file):
    """(msgctxt, msgid, msgid_plural) of every entry of a gettext catalogue."""
    entries, entry, key = [], {}, None
    for line in po_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
        if keyword:
            if keyword.group(1) == "msgid" and "msgid" in entry:
                entries.append(entry)
                entry = {}
            key = keyword.group(1)
            entry[key] = ast.literal_eval(line[keyword.end() :])
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    entries.append(entry)
    return [
        (e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if e.get("msgid")
    ]


def wagtail_source_catalogues():
    for config in apps.get_app_configs():
        if config.name == "wagtail" or config.name.startswith("wagtail."):
            po = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / "django.po"
            if po.exists():
                yield config.name, po


def test_every_wagtail_admin_string_has_a_chinese_translation():
    """Guards Wagtail upgrades: new strings without a zh_Hans translation show up here."""
    same_in_chinese = {
        "URL",
        "ID",
        "Wagtail API v2",
        "Wagtail API v3",
        "%(range_start)s - %(range_end)s",
    }
    english = []
    with translation.override("zh-hans"):
        for app, po in wagtail_source_catalogues():
            for msgctxt, msgid, plural in source_msgids(po):
                if msgid in same_in_chinese:
                    continue
                if plural:
                    translated = (
                        translation.npgettext(msgctxt, msgid, plural, 2)
                        if msgctxt
                        else translation.ngettext(msgid, plural, 2)
                    )
                    untranslated = translated == plural
                else:
                    translated = (
                        translation.pgettext(msgctxt, msgid)
                        if msgctxt
                        else translation.gettext(msgid)
                    )
                    untranslated = translated == msgid
                if untranslated:
                    english.append(f"{app}: {msgid!r}")
    assert not english, (
        "缺少中文翻译（请补到 site/locale/zh_Hans/LC_MESSAGES/django.po）：\n" + "\n".join(english)
    )


# --- Real admin pages ---------------------------------------------------------


def test_workflow_list_filters_are_in_chinese(signed_in):
    content = signed_in.get("/admin/workflows/list/").content.decode()
    assert "显示已禁用" in content
    assert "Show disabled" not in content


def test_locked_pages_report_is_in_chinese(signed_in, home):
    admin = get_user_model().objects.get(username="admin")
    home.locked, home.locked_by, home.locked_at = True, admin, timezone.now()
    home.save(update_fields=["locked", "locked_by", "locked_at"])

    content = signed_in.get("/admin/reports/locked/").content.decode()
    assert home.title in content
    assert "由<b>你</b>锁定于" in content
    assert "Locked by <b>you</b>" not in content
    assert "锁定人" in content  # the filter's label
    assert '<option value="" selected>任何人</option>' in content


def test_workflow_reports_are_in_chinese(signed_in):
    by_workflow = signed_in.get("/admin/reports/workflow/").content.decode()
    by_task = signed_in.get("/admin/reports/workflow_tasks/").content.decode()
    assert "按任务" in by_workflow and "By task" not in by_workflow
    assert "按工作流" in by_task and "By workflow" not in by_task


def test_page_explorer_filters_are_in_chinese(signed_in, home):
    content = signed_in.get(f"/admin/pages/{home.pk}/").content.decode()
    for label in ("更新日期", "编辑人", "有子页面", "页面类型"):
        assert label in content
    for english in ("Date updated", "Edited by", "Has child pages"):
        assert english not in content


def test_page_editor_side_panels_are_in_chinese(signed_in, home):
    content = signed_in.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "内容指标" in content
    assert "切换检查面板" in content
    assert "此发布计划只有在你选择“计划发布”选项后才会生效" in content
    assert "Content metrics" not in content


def test_admin_javascript_catalogue_is_in_chinese(signed_in):
    content = signed_in.get("/admin/jsi18n/").content.decode()
    # JavaScriptCatalog writes non-ASCII characters as \uXXXX escapes, as json.dumps does.
    assert json.dumps("Autosave in progress…") + ": " + json.dumps("正在自动保存…") in content


def test_admin_login_page_is_in_chinese(client, db):
    # Wagtail's login form has no label for the password (Django shows "Password") and its
    # catalogue says "登录Wagtail": both are the project's now (website.admin_login, the .po).
    content = client.get("/admin/login/").content.decode()
    labels = re.findall(r"<label[^>]*>(.*?)</label>", content, re.S)
    assert labels and all(
        not re.search(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", "", label)) for label in labels
    ), labels
    assert "登录赣州工匠管理后台" in content
    assert "Password" not in re.sub(r"<[^>]+>", " ", content)


def test_every_field_of_the_project_has_a_chinese_name():
    # A field without a verbose name shows its English attribute name in admin forms,
    # filters, history and error messages.  Page's own fields and Orderable's sort order
    # are Wagtail's, translated (or never shown) by Wagtail.
    from wagtail.models import Orderable, Page

    inherited = {f.name for f in Page._meta.get_fields()} | {"sort_order"}
    english = []
    for label in ("website", "publications", "craftsman"):
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.auto_created or not field.concrete or field.primary_key:
                    continue
                if field.name in inherited and issubclass(model, (Page, Orderable)):
                    continue
                if not re.search(r"[\u4e00-\u9fff]", str(field.verbose_name)):
                    english.append(f"{model.__name__}.{field.name}")
    assert not english, english
