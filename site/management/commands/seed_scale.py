"""``manage.py seed_scale --factor N``: volume on top of the demo, for performance work.

At ``--factor 100``: about 5,000 title holders with profile pages and photos, 50,000
submissions over ten rounds, 2,000 notices and 20,000 objections (per unit of factor: 50,
500, 20 and 200).  The site knows nothing of what the plugins store: each plugin adds its
part through the ``seed_scale(home, factor, progress)`` hook, in hook order, with
deterministic keys, so running the command twice with the same factor adds nothing.
``progress(label, done, total)`` draws a plain-text bar on stdout.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks

from website import page_cache
from website.models import HomePage

BAR_WIDTH = 30


class ProgressBar:
    """One line per update: ``[#####     ]  50% 申报 25000/50000``."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.last = None

    def __call__(self, label, done, total):
        if (label, done) == self.last:
            return
        self.last = (label, done)
        share = done / total if total else 1
        filled = round(BAR_WIDTH * share)
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        self.stdout.write(f"[{bar}] {share:4.0%} {label} {done}/{total}")


class Command(BaseCommand):
    help = "在演示数据之上生成大量数据，用于性能测试（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=int, default=1, help="数据量倍数：1 倍约为 500 份申报。"
        )
        parser.add_argument(
            "--force", action="store_true", help="在 DEBUG 关闭（生产）时仍然生成。"
        )

    def handle(self, *args, factor=1, force=False, **options):
        if factor < 1 or factor > 1000:
            raise CommandError("--factor 必须是 1 到 1000 之间的整数。")
        if not settings.DEBUG and not settings.TESTING and not force:
            raise CommandError(
                "DEBUG 已关闭：这可能是生产环境，拒绝生成测试数据。确需生成请加 --force。"
            )
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("尚无首页：请先运行 manage.py seed_demo。")
        started = time.monotonic()
        progress = ProgressBar(self.stdout)
        # Wagtail logs every created page at INFO: thousands of lines that hide the bar.
        wagtail_logger = logging.getLogger("wagtail")
        level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            for seed in hooks.get_hooks("seed_scale"):
                seed(home=home, factor=factor, progress=progress)
        finally:
            wagtail_logger.setLevel(level)
        # The pages were saved live without Wagtail's publish signal: drop cached pages.
        page_cache.invalidate()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"规模数据已就绪（{factor} 倍，用时 {elapsed:.1f} 秒）。")
        )
