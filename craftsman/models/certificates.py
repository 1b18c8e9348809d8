"""证书批量生成: one request to build every certificate PDF of a round into one ZIP.

A :class:`CertificateBatch` is created by :func:`craftsman.certificates.request_batch`
and filled by the django-q2 task :func:`craftsman.certificates.build_batch`, which
reports its progress on the row (``done_count`` of ``total``) so that the admin can
show "已生成 N / M".  At most one batch per round is queued or running at a time
(a partial unique constraint, so that even two simultaneous clicks cannot start two).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.models.reference import SelectionRound
from craftsman.storage import private_storage


class CertificateBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("证书总数"), default=0)
    done_count = models.PositiveIntegerField(_("已生成"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    # Written by the running task after each certificate: a run whose heartbeat stops
    # (the worker died) is taken over by the next run instead of blocking the round.
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    result_file = models.FileField(
        _("证书压缩包"),
        storage=private_storage,
        upload_to="craftsman/certificate-batches/",
        max_length=200,
        blank=True,
    )

    class Meta:
        verbose_name = _("证书批量生成")
        verbose_name_plural = _("证书批量生成")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=["queued", "running"]),
                name="craftsman_one_active_certificate_batch_per_round",
            )
        ]

    def __str__(self):
        return f"{self.round} 证书批量生成（{self.get_status_display()}）"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def last_activity(self):
        return self.heartbeat_at or self.created
