"""Separation of duties (三员分立): what the 系统管理员 and the 审计管理员 may do.

- 系统管理员 (``sysadmin``) manages accounts and role groups and lifts login
  lockouts; nothing in the programme's business, and not the audit log.
- 审计管理员 (``auditor``) reads the audit log (``AUDIT_PERMISSION``) and nothing else.
- No other role holds any permission on users or groups: the test
  tests/site/test_roles_separation.py checks every role group.

Permissions are created here if their app's post-migrate handler has not run
yet (the site's handler runs first on a fresh database).
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from website.roles import group_for

DUTY_PERMISSIONS = {
    "sysadmin": [
        ("auth", "user", ["add", "change", "delete", "view"]),
        ("auth", "group", ["add", "change", "delete", "view"]),
        ("axes", "accessattempt", ["view", "delete"]),
    ],
    "auditor": [
        ("wagtailcore", "modellogentry", ["view"]),
    ],
}


def permission(app_label, model, action):
    from django.apps import apps

    content_type = ContentType.objects.get_for_model(apps.get_model(app_label, model))
    codename = f"{action}_{model}"
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {action} {model}"},
    )
    return perm


def grant_duty_permissions():
    # After a flush (and every transactional test) the content types are recreated with
    # new ids while the cache still holds the old ones: look them up afresh.
    ContentType.objects.clear_cache()
    for role_key, grants in DUTY_PERMISSIONS.items():
        group = group_for(role_key)
        group.permissions.add(
            *[
                permission(app_label, model, action)
                for app_label, model, actions in grants
                for action in actions
            ]
        )
