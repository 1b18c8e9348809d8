"""先审后发: editors draft and submit, reviewers approve and publish.

The rule is data in Wagtail: page permissions for the 编辑 and 审核发布
groups on the site's home page (inherited by every page below it), and a
workflow whose single task is approval by the 审核发布 group, assigned to
the home page.  Editors have no publish permission, so Wagtail offers them
"submit for moderation" and never "publish".
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from website.roles import group_for

WORKFLOW_NAME = "先审后发"
TASK_NAME = "审核发布"

PAGE_PERMISSIONS = {
    "editor": ["add_page", "change_page", "lock_page"],
    "reviewer": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "bureau": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    key: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ]
    for key in ("editor", "reviewer", "bureau")
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_editorial_workflow(root_page):
    """Grant the page permissions and assign the review workflow to ``root_page``."""
    for role_key, codenames in PAGE_PERMISSIONS.items():
        group = group_for(role_key)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission("wagtailcore", codename)
            )
    collection = Collection.get_first_root_node()
    for role_key, permissions in COLLECTION_PERMISSIONS.items():
        group = group_for(role_key)
        for app_label, codename in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(group_for("reviewer"))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    _retire_wagtail_defaults()
    return workflow


def _retire_wagtail_defaults():
    """Wagtail's first migrations leave English-named defaults that our roles replace."""
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    Task.objects.filter(name="Moderators approval").update(active=False)
    for name in ("Moderators", "Editors"):
        Group.objects.filter(name=name, user__isnull=True).delete()
    Collection.objects.filter(depth=1, name="Root").update(name="全部文件")
