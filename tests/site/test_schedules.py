from django.core.management import call_command
from django_q.models import Schedule

from website.schedules import ensure_schedules


def test_publish_scheduled_is_registered_once_after_repeated_migrate(db):
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    ensure_schedules()
    schedules = Schedule.objects.filter(func="website.tasks.publish_scheduled")
    assert schedules.count() == 1
    assert schedules.get().schedule_type == Schedule.MINUTES


def test_publish_scheduled_task_publishes_a_page_whose_time_has_come(home):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page

    from website.tasks import publish_scheduled

    page = home.add_child(instance=Page(title="定时发布的页面", slug="later", live=False))
    revision = page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    page.refresh_from_db()
    assert not page.live
    assert revision.approved_go_live_at is not None
    publish_scheduled()
    page.refresh_from_db()
    assert page.live
