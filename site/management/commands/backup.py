"""``manage.py backup``: one .tar.gz with the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT.

See :mod:`website.backups` for what the archive holds and why.
"""

from django.core.management.base import BaseCommand, CommandError

from website.backups import BackupError, create_backup, default_folder


class Command(BaseCommand):
    help = "备份数据库、公开上传文件（MEDIA_ROOT）和私有文件（PRIVATE_MEDIA_ROOT）到一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=f"备份文件夹，或以 .tar.gz 结尾的文件路径（默认 {default_folder()}）",
        )
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, **options):
        try:
            path, manifest = create_backup(options["output"], alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["file_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{path}\n"
                f"  数据库：{manifest['database']['vendor']}，已应用迁移 {len(manifest['migrations'])} 个\n"
                f"  公开文件 {counts['media']} 个，私有文件 {counts['private']} 个\n"
                "  备份含个人信息，请妥善保管（文件权限已设为仅所有者可读写）。"
            )
        )
