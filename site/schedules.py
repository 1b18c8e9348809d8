"""Scheduled jobs, registered by name so that repeated ``migrate`` runs never
duplicate them.  Plugins add theirs with the ``register_schedules`` hook: each
hook function returns a list of :class:`Job`.
"""

from dataclasses import dataclass

from django_q.models import Schedule
from wagtail import hooks


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    schedule_type: str = Schedule.MINUTES
    minutes: int | None = None
    cron: str | None = None
    kwargs: str = ""  # django-q2 stores kwargs as the text of a dict, e.g. "{'days': 30}"


SITE_JOBS = [
    # Wagtail's scheduled publishing (go_live_at / expire_at).
    Job("发布定时页面", "website.tasks.publish_scheduled", Schedule.MINUTES, minutes=5),
    # The outbox (website.mail): pending mail the task broker did not deliver.
    Job("重发待发送邮件", "website.mail.retry_pending", Schedule.MINUTES, minutes=2),
]


def all_jobs():
    jobs = list(SITE_JOBS)
    for hook in hooks.get_hooks("register_schedules"):
        jobs.extend(hook())
    return jobs


def ensure_schedules():
    """Create or update each job by name; remove none of the staff's own."""
    for job in all_jobs():
        Schedule.objects.update_or_create(
            name=job.name,
            defaults={
                "func": job.func,
                "schedule_type": job.schedule_type,
                "minutes": job.minutes,
                "cron": job.cron,
                "kwargs": job.kwargs,
                "repeats": -1,
            },
        )


def ensure_schedules_after_migrate(sender, **kwargs):
    ensure_schedules()
