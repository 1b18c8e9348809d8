from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutgoingMail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "recipients",
                    models.TextField(help_text="每行一个电子邮箱。", verbose_name="收件人"),
                ),
                ("subject", models.CharField(max_length=255, verbose_name="主题")),
                ("body", models.TextField(verbose_name="正文")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待发送"), ("sent", "已发送"), ("failed", "发送失败")],
                        db_index=True,
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "created",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                (
                    "attempts",
                    models.PositiveSmallIntegerField(default=0, verbose_name="尝试次数"),
                ),
                ("last_error", models.TextField(blank=True, verbose_name="最近一次错误")),
            ],
            options={
                "verbose_name": "邮件发送记录",
                "verbose_name_plural": "邮件发送记录",
                "ordering": ["-created", "-pk"],
            },
        ),
    ]
