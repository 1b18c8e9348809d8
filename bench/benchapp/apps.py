from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "bench.benchapp"
    label = "benchapp"
    verbose_name = "性能基准（仅基准测试）"
    default_auto_field = "django.db.models.BigAutoField"
