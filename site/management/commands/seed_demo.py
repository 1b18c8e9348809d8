"""``manage.py seed_demo``: load the demo content, idempotently.

The site seeds its own part (Site, home page, accounts); each plugin seeds its
part through the ``seed_demo`` hook, in hook order (publications before
craftsman).  Running it twice leaves the same rows.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks

from website.demo import seed_accounts, seed_site, seed_two_factor
from website.editorial import ensure_editorial_workflow
from website.roles import ensure_roles


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG 关闭（生产）时仍然载入演示数据。",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not settings.TESTING and not force:
            raise CommandError(
                "DEBUG 已关闭：这可能是生产环境，拒绝载入演示数据（含公开的演示密码）。"
                "确需载入请加 --force。"
            )
        ensure_roles()
        home = seed_site()
        seed_accounts()
        ensure_editorial_workflow(home)
        for seed in hooks.get_hooks("seed_demo"):
            seed(home=home, stdout=self.stdout)
        seed_two_factor()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
