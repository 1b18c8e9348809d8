"""先审后发: an editor cannot publish; a reviewer approves and publishes."""

from django.contrib.auth import get_user_model
from wagtail.models import Page

from publications.models import PolicyIndexPage


def user(username):
    return get_user_model().objects.get(username=username)


def test_editor_may_edit_but_not_publish(home):
    editor = user("editor")
    permissions = home.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_publish_subpage()


def test_reviewer_may_publish(home):
    assert home.permissions_for_user(user("reviewer")).can_publish()


def test_editor_publishing_through_the_admin_is_refused(client, home):
    client.force_login(user("editor"))
    response = client.post(
        f"/admin/pages/add/publications/policyindexpage/{home.pk}/",
        {"title": "编辑直接发布的栏目", "slug": "direct", "intro": "", "action-publish": "发布"},
    )
    page = Page.objects.filter(slug="direct").first()
    assert page is None or not page.live
    assert response.status_code in (200, 302, 403)


def test_editor_submits_and_reviewer_approves(client, home):
    editor, reviewer = user("editor"), user("reviewer")
    page = home.add_child(instance=PolicyIndexPage(title="待审核栏目", slug="pending", live=False))
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "先审后发"
    workflow_state = workflow.start(page, editor)
    page.refresh_from_db()
    assert not page.live

    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(page, reviewer)
    assert not [a for a in task.get_actions(page, editor) if a[0] == "approve"]
    assert [a for a in task.get_actions(page, reviewer) if a[0] == "approve"]
    task.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
