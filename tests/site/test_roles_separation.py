"""Separation of duties (三员分立): user managers, the auditor, and everyone else.

Runs on the groups as ``migrate`` leaves them (every plugin's post-migrate grants
included), without demo data.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import get_resolver
from wagtail.admin.viewsets import viewsets
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.snippets.models import get_snippet_models

from website.demo import seed_site
from website.roles import ROLES, ensure_roles, group_for
from website.security.audit_log import AUDIT_PERMISSION
from website.security.testing import verified_login

USER_ADMIN_APPS = {"auth"}
USER_ADMIN_CODENAMES = {"add_user", "change_user", "delete_user", "view_user"}
NO_ACCOUNT_POWERS = ["unit_staff", "expert", "employer", "finance", "observer", "applicant"]


@pytest.fixture
def roles(db):
    # The test database was built by migrate, so every app's post-migrate grants ran.
    ensure_roles()


def permissions_of(role_key):
    return set(group_for(role_key).permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("role_key", NO_ACCOUNT_POWERS)
def test_business_roles_hold_no_user_or_group_permission(roles, role_key):
    held = permissions_of(role_key)
    assert not [p for p in held if p[0] in USER_ADMIN_APPS], held
    assert not [p for p in held if p[0] == "wagtailusers"], held


def test_no_role_but_sysadmin_manages_accounts(roles):
    for role in ROLES:
        held = permissions_of(role.key)
        manages = {codename for app, codename in held if app == "auth"}
        if role.key == "sysadmin":
            assert USER_ADMIN_CODENAMES <= manages
        else:
            assert not manages, (role.key, manages)


def test_auditor_holds_only_the_audit_permission(roles):
    assert permissions_of("auditor") == {
        ("wagtailadmin", "access_admin"),
        tuple(AUDIT_PERMISSION.split(".")),
    }


def test_the_user_managers_are_not_the_auditor(roles):
    app_label, codename = AUDIT_PERMISSION.split(".")
    holders = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    assert list(holders.group_set.values_list("name", flat=True)) == [group_for("auditor").name]
    assert ("wagtailcore", "view_modellogentry") not in permissions_of("sysadmin")


@pytest.fixture
def auditor(roles, client):
    seed_site()
    user = get_user_model().objects.create_user("sunli", password="Gzgj@2025test")
    user.groups.add(group_for("auditor"))
    verified_login(client, user)
    return user


def test_auditor_reads_every_entry_in_the_site_history_report(client, auditor):
    from wagtail.log_actions import log

    from website.models import HomePage

    home = HomePage.objects.get()
    root = get_user_model().objects.create_superuser("root", "r@x.cn", "x")
    log(instance=home, action="wagtail.edit", user=root)
    log(instance=root, action="wagtail.edit", user=root)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "赣州工匠" in html  # the home page's entry
    assert PageLogEntry.objects.exists() and ModelLogEntry.objects.exists()
    # Filterable by user and action, as Wagtail's report is.
    filtered = client.get(
        f"/admin/reports/site-history/results/?user={root.pk}&action=wagtail.edit"
    )
    assert filtered.status_code == 200 and "赣州工匠" in filtered.content.decode()
    # The menu shows the auditor the way in.
    dashboard = client.get("/admin/").content.decode()
    assert "\\u5ba1\\u8ba1\\u65e5\\u5fd7" in dashboard  # 审计日志, escaped in the menu's JSON


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/settings/website/sitecontact/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/lockouts/",
        "/admin/reports/locked/",
    ],
)
def test_auditor_opens_nothing_else(client, auditor, path):
    response = client.get(path, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else path
    # Refused: Wagtail redirects to the dashboard, or answers 403 / 404.
    assert final == "/admin/" or response.status_code in (403, 404), (path, final)


@pytest.mark.skipif(not django_settings.CRAFTSMAN_ENABLED, reason="craftsman 插件已移除")
def test_auditor_cannot_open_submissions(client, auditor):
    for path in ("/admin/craftsman/submissions/", "/admin/craftsman/submission/"):
        assert client.get(path).status_code in (302, 403, 404)


def test_log_entries_have_no_edit_or_delete_screen():
    log_models = {ModelLogEntry, PageLogEntry}
    assert not log_models & set(get_snippet_models())
    for viewset in viewsets.viewsets:
        assert getattr(viewset, "model", None) not in log_models, viewset
    # No URL anywhere names a log entry edit or delete view.
    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    assert not [n for n in names if "logentry" in n.lower() and ("edit" in n or "delete" in n)]


def test_posting_to_the_report_changes_nothing(client, auditor):
    from wagtail.log_actions import log

    entry = log(instance=auditor, action="wagtail.edit", user=auditor)
    before = ModelLogEntry.objects.count()
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        assert client.post(url, {"id": entry.pk, "action": "delete"}).status_code == 405
        assert client.delete(url).status_code == 405
    assert ModelLogEntry.objects.count() == before


def test_the_platform_never_purges_the_audit_log():
    """网络安全法 art. 21: logs kept at least six months; no scheduled job deletes them.

    Wagtail itself deletes log entries only with the object they describe when a
    page or model instance is deleted; it has no retention setting or purge job.
    """
    from website.schedules import all_jobs

    funcs = [job.func.lower() for job in all_jobs()]
    assert funcs  # the registry is read
    assert not [f for f in funcs if "log" in f and ("purge" in f or "delete" in f or "clean" in f)]
