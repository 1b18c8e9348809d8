"""待办结的异议 on the admin home: publications' own panel, independent of craftsman
(this file also runs with ``CRAFTSMAN_ENABLED=0``)."""

import html
import re

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.template import Context
from django.test import Client
from django.test.client import RequestFactory

from publications.dashboard import OLDEST_SHOWN, OpenObjectionsPanel, can_see_objections
from publications.models import Objection
from publications.models.objections import RESOLVED_STATUSES, ObjectionStatus

HOME = "/admin/"
PANEL_ID = "publications-dashboard-objections"


def login(username):
    """A client signed in as ``username``, second factor passed when the user has a device."""
    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.is_superuser:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def home(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def panel(page):
    match = re.search(rf'<section[^>]*id="{PANEL_ID}-section".*?</section>', page, re.S)
    return match.group(0) if match else None


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_bureau_sees_the_open_objections_with_counts_and_links(demo):
    client = login("bureau")
    fragment = panel(home(client))
    assert fragment is not None

    open_objections = Objection.objects.exclude(status__in=RESOLVED_STATUSES)
    counts = dict(open_objections.values_list("status").annotate(n=Count("pk")).order_by())
    assert open_objections.exists(), "the demo data has open objections"
    assert f"有 {open_objections.count()} 件异议尚未办结" in text(fragment)
    for status in (ObjectionStatus.RECEIVED, ObjectionStatus.CHECKING):
        assert f"{status.label} {counts.get(status, 0)} 件" in text(fragment)
        url = f"/admin/objections/?status={status.value}"
        assert f'href="{url}"' in fragment
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["object_list"]) == counts.get(status, 0)

    for objection in open_objections.order_by("created_at")[:OLDEST_SHOWN]:
        assert objection.receipt_number in fragment
    for objection in Objection.objects.filter(status__in=RESOLVED_STATUSES):
        assert objection.receipt_number not in fragment
    for href in re.findall(r'href="([^"#]+)"', fragment):
        assert client.get(html.unescape(href)).status_code == 200, href


def test_nothing_open_says_so(demo):
    Objection.objects.update(status=ObjectionStatus.REJECTED)
    fragment = panel(home(login("bureau")))
    assert "没有未办结的异议" in text(fragment)


def test_only_those_who_process_objections_see_the_panel(demo):
    for username in ("editor", "reviewer", "zhanggong", "auditor"):
        if get_user_model().objects.filter(username=username).exists():
            assert panel(home(login(username))) is None, username


def test_the_panel_queries_do_not_grow_with_objections(demo, django_assert_max_num_queries):
    request = RequestFactory().get(HOME)
    request.user = get_user_model().objects.get(username="bureau")
    template = Objection.objects.first()
    for n in range(12):
        Objection.objects.create(
            notice=template.notice,
            entry_name=template.entry_name,
            objector_type=template.objector_type,
            real_name="测试",
            phone="13800000000",
            content="测试异议",
            receipt_number=f"YYTEST-{n:04d}",
        )
    assert can_see_objections(request.user)  # loads the permissions, as the menu does
    with django_assert_max_num_queries(2):
        OpenObjectionsPanel(request).render_html(Context({"request": request}))
