"""证书批量生成 in the admin (bureau only): request, progress (HTML + JSON), download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from craftsman.certificates import request_batch
from craftsman.models import CertificateBatch, SelectionRound
from craftsman.roles import is_bureau

APP_NAME = "craftsman_certificates"


def _bureau_batch(request, batch_id):
    if not is_bureau(request.user):
        raise PermissionDenied
    return get_object_or_404(CertificateBatch.objects.select_related("round"), pk=batch_id)


@require_POST
def request_view(request, round_id):
    if not is_bureau(request.user):
        raise PermissionDenied
    selection_round = get_object_or_404(SelectionRound, pk=round_id)
    batch, created = request_batch(selection_round, by=request.user)
    if created:
        messages.success(request, _("已开始批量生成证书，共 %(n)d 份。") % {"n": batch.total})
    else:
        messages.info(request, _("本年度已有一个批量生成任务在进行，请等待其完成。"))
    return redirect("craftsman_certificates:progress", batch_id=batch.pk)


def progress_payload(batch):
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "done": batch.done_count,
        "total": batch.total,
        "text": str(
            _("已生成 %(done)d / %(total)d") % {"done": batch.done_count, "total": batch.total}
        ),
        "finished": not batch.is_active,
    }


def progress_view(request, batch_id):
    batch = _bureau_batch(request, batch_id)
    return TemplateResponse(
        request,
        "craftsman/admin/certificate_batch.html",
        {
            "batch": batch,
            "progress": progress_payload(batch),
            "progress_url": reverse("craftsman_certificates:progress_json", args=[batch.pk]),
            "round_url": reverse("craftsman_conferral:round", args=[batch.round_id]),
        },
    )


def progress_json_view(request, batch_id):
    response = JsonResponse(progress_payload(_bureau_batch(request, batch_id)))
    response["Cache-Control"] = "no-store"
    return response


def download_view(request, batch_id):
    batch = _bureau_batch(request, batch_id)
    if batch.status != CertificateBatch.Status.DONE or not batch.result_file:
        raise Http404
    try:
        handle = batch.result_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    log(
        instance=batch.round,
        action="craftsman.certificate_batch_download",
        user=request.user,
        data={"batch": batch.pk, "total": batch.total},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{batch.round.year}年度赣州工匠证书.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("round/<int:round_id>/request/", request_view, name="request"),
    path("<int:batch_id>/", progress_view, name="progress"),
    path("<int:batch_id>/progress.json", progress_json_view, name="progress_json"),
    path("<int:batch_id>/download/", download_view, name="download"),
]
