"""``manage.py restore ARCHIVE --yes``: put back a backup made by ``manage.py backup``.

Destroys the current data, so it refuses without ``--yes``; verifies every checksum in
the archive before it touches anything (:mod:`website.backups`).
"""

from django.core.management.base import BaseCommand, CommandError

from website.backups import BackupError, describe_created, restore_backup, unapplied_after_restore


class Command(BaseCommand):
    help = "从 manage.py backup 生成的备份文件恢复数据库和全部上传文件（会覆盖当前数据）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库和全部上传文件")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError(
                "恢复会用备份覆盖当前数据库、公开上传文件和私有文件，当前数据将全部丢失。"
                "请先停止网站和后台任务（qcluster），确认无误后加 --yes 重新运行。"
            )
        try:
            report = restore_backup(options["archive"], alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{report.archive}（备份时间 {describe_created(report.created)}）\n"
                f"  数据库：{report.vendor}，已恢复（含 {report.migrations} 个已应用迁移）\n"
                f"  公开文件 {report.files['media']} 个，私有文件 {report.files['private']} 个，"
                "原有文件已替换"
            )
        )
        pending = unapplied_after_restore(options["database"])
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"备份早于当前代码：还有 {len(pending)} 个迁移未应用，请运行 manage.py migrate。"
                )
            )
