"""The public side of objections: the POST of the form on a publicity notice page."""

from __future__ import annotations

import logging

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone

from publications.models.publicity import RECEIPT_SESSION_KEY, PublicityState
from publications.objection_actions import count_submission, rate_limited, submit_objection
from publications.objection_forms import ObjectionForm
from publications.workdays import SHANGHAI

logger = logging.getLogger(__name__)

REFUSALS = {
    PublicityState.UPCOMING: "公示尚未开始，暂不受理异议。请在公示期内提出。",
    PublicityState.CLOSED: "公示期已结束，不再受理异议（逾期提出的异议不予受理）。您的异议未被保存。",
    PublicityState.UNKNOWN: "公示期限暂无法确认，在线提交暂停。请通过电话、来信或来访方式反映。",
}
RATE_LIMITED = (
    "同一网络地址短时间内提交次数过多，请10分钟后再试；"
    "也可以通过电话、来信或来访方式反映。您本次的异议未被保存。"
)


def _beijing_time(moment) -> str:
    moment = moment.astimezone(SHANGHAI)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _render(page, request, status, **context):
    """The objection form page (never the cacheable list page) with ``context``."""
    state = page.state()
    return TemplateResponse(
        request,
        "publications/objection_form.html",
        {"page": page, "self": page, "state": state, "states": PublicityState, **context},
        status=status,
    )


def objection_form_page(page, request):
    """GET: the empty form while the notice is open, otherwise the reason it is closed."""
    if page.state() != PublicityState.OPEN:
        return _render(page, request, 200, objection_form=None)
    return _render(
        page,
        request,
        200,
        objection_form=ObjectionForm(notice=page, entries=page.ordered_entries()),
    )


def handle_objection(page, request):
    """Validate and save an objection; the page again with errors, or a redirect to the receipt."""
    now = timezone.now()
    state = page.state(now)
    if state != PublicityState.OPEN:
        return _render(page, request, 403, objection_form=None, objection_refused=REFUSALS[state])

    ip = request.META.get("REMOTE_ADDR", "")
    entries = page.ordered_entries()
    if rate_limited(ip):
        form = ObjectionForm(initial=request.POST.dict(), notice=page, entries=entries)
        return _render(page, request, 429, objection_form=form, objection_refused=RATE_LIMITED)

    form = ObjectionForm(request.POST, request.FILES, notice=page, entries=entries)
    if not form.is_valid():
        return _render(page, request, 400, objection_form=form)

    objection = submit_objection(page, form.cleaned_data, ip=ip or None, now=now)
    count_submission(ip)
    request.session[RECEIPT_SESSION_KEY] = {
        "notice": page.pk,
        "receipt_number": objection.receipt_number,
        "received_at": _beijing_time(objection.created_at),
        "evidence_count": len(form.cleaned_data.get("evidence") or []),
    }
    logger.info("异议已受理：%s（公示 %s）", objection.receipt_number, page.pk)
    url = page.get_url(request) + page.reverse_subpage("objection_received")
    return HttpResponseRedirect(url, status=303)
