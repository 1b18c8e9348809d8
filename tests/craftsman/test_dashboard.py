"""The 赣州工匠 panels on the admin home: who sees which panel, with which numbers.

Expected numbers are computed from the database here, never hard-coded, so that the
tests follow the demo data when it changes.
"""

import datetime
import html
import re

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test.client import RequestFactory

from craftsman import cultivation, dashboard
from craftsman.models import (
    Craftsman,
    Expert,
    Industry,
    RecommendingUnit,
    ReviewAssignment,
    SelectionRound,
    Status,
    Submission,
    programme_target,
)
from craftsman.models.conferral import CULTIVATION_YEARS

HOME = "/admin/"
BUREAU_PANELS = {
    "craftsman-dashboard-round",
    "craftsman-dashboard-charts",
    "craftsman-dashboard-cultivation",
    "publications-dashboard-objections",
}
ALL_PANELS = BUREAU_PANELS | {
    "craftsman-dashboard-unit-tasks",
    "craftsman-dashboard-expert-tasks",
    "craftsman-dashboard-employer",
}


def login(client, username):
    """Sign in, with the second factor passed when the user has (or needs) a device."""
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # two-factor sign-in not installed
        return user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and (user.is_superuser or dashboard.is_bureau(user)):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user


def home(client, **params):
    response = client.get(HOME, params)
    assert response.status_code == 200
    return response.content.decode()


def panel_ids(page):
    found = re.findall(r'id="((?:craftsman|publications)-dashboard[-\w]*)-section"', page)
    return set(found)


def panel(page, panel_id):
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', page, re.S)
    assert match, f"panel {panel_id} missing"
    return match.group(0)


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def chart_pairs(fragment):
    """(label, number) of every row of the panel's tables (label = the row header)."""
    pattern = (
        r'<th scope="row" class="gzgj-chart__label">(.*?)</th>\s*'
        r'<td class="gzgj-chart__count">\s*(?:<a [^>]*>)?\s*(\d+)'
    )
    return [(html.unescape(label).strip(), int(n)) for label, n in re.findall(pattern, fragment)]


def chart_rows(fragment):
    return dict(chart_pairs(fragment))


def links(fragment):
    return [html.unescape(href) for href in re.findall(r'href="([^"#]+)"', fragment)]


def current_round():
    """The round shown by default: the newest started round not closed, else the newest."""
    rounds = SelectionRound.objects.exclude(status=SelectionRound.Status.DRAFT).order_by("-year")
    return rounds.exclude(status=SelectionRound.Status.CLOSED).first() or rounds.first()


def busiest_round():
    """The demo round with most submissions (the one in publicity): a richer funnel."""
    return SelectionRound.objects.annotate(n=Count("submissions")).order_by("-n", "-year").first()


def non_draft(selection_round):
    return Submission.objects.filter(round=selection_round).exclude(status=Status.DRAFT)


# --- who sees what ----------------------------------------------------------------------

PANELS_BY_ROLE = {
    "bureau": BUREAU_PANELS,
    "zhanggong": {"craftsman-dashboard-unit-tasks"},
    "ruijin": {"craftsman-dashboard-unit-tasks"},
    "expert1": {"craftsman-dashboard-expert-tasks"},
    "employer1": {"craftsman-dashboard-employer"},
    "finance1": set(),
    "talent1": set(),
    "auditor": set(),
    "editor": set(),
    "reviewer": set(),
}


def test_each_role_sees_exactly_its_panels(demo):
    # One demo load for every role (seeding takes long): a fresh client per role.
    from django.test import Client

    for username, expected in PANELS_BY_ROLE.items():
        if not get_user_model().objects.filter(username=username).exists():
            continue
        client = Client()
        login(client, username)
        assert panel_ids(home(client)) == expected, username


# --- 市人社局 ---------------------------------------------------------------------------


def _check_funnel_and_quota(client, selection_round, params):
    fragment = panel(home(client, **params), "craftsman-dashboard-round")
    assert f"{selection_round.year}年度选拔进度" in text(fragment)

    rows = chart_rows(fragment)
    submissions = non_draft(selection_round)
    for label, status, reached in dashboard.FUNNEL_STAGES:
        assert rows[str(label)] == submissions.filter(status__in=reached).count(), label
        current = submissions.filter(status=status).count()
        assert f"{Status(status).label} {current}" in text(fragment)

    conferred = submissions.filter(status=Status.CONFERRED).count()
    pending = submissions.filter(
        status__in=[Status.SHORTLISTED, Status.IN_PUBLICITY, Status.AWAITING_APPROVAL]
    ).count()
    assert f"{conferred + pending} / {selection_round.quota}" in text(fragment)
    assert f"已认定 {conferred} 名，拟入选待认定 {pending} 名" in text(fragment)

    holders = Craftsman.objects.exclude(status=Craftsman.Status.REVOKED).count()
    assert f"{holders} / {programme_target()}" in text(fragment)
    return fragment


def _check_charts(client, selection_round):
    fragment = panel(
        home(client, **{dashboard.ROUND_PARAM: selection_round.year}), "craftsman-dashboard-charts"
    )
    rows = chart_rows(fragment)
    submissions = non_draft(selection_round)

    per_unit = dict(submissions.values_list("recommending_unit").annotate(n=Count("pk")).order_by())
    assert sum(per_unit.values()) > 0
    for unit in RecommendingUnit.objects.all():
        label = unit.area or unit.name
        count = per_unit.get(unit.pk, 0)
        if (unit.kind == RecommendingUnit.Kind.COUNTY and unit.active) or count:
            assert rows[label] == count, label

    per_industry = dict(submissions.values_list("industry").annotate(n=Count("pk")).order_by())
    for industry in Industry.objects.all():
        count = per_industry.get(industry.pk, 0)
        if industry.active or count:
            assert rows[industry.name] == count, industry.name

    # The bars are decoration: every figure is text, and each link names its figure.
    assert 'aria-hidden="true"' in fragment and "<caption" in fragment
    zhanggong = RecommendingUnit.objects.get(name="章贡区人社局")
    assert f'aria-label="章贡区：{per_unit.get(zhanggong.pk, 0)}份，查看列表"' in fragment

    # The county's link opens the list of exactly those submissions.
    url = dashboard.submissions_url(round=selection_round.pk, recommending_unit=zhanggong.pk)
    assert url in links(fragment)
    response = client.get(url)
    assert response.status_code == 200
    listed = [s for s in response.context["object_list"] if s.status != Status.DRAFT]
    assert len(listed) == per_unit.get(zhanggong.pk, 0)


def _all_reports():
    """Every cultivation report with its state, through the bureau's overview (existing,
    independent code)."""
    bureau = get_user_model().objects.get(username="bureau")
    years = Craftsman.objects.values_list("conferred_on__year", flat=True)
    rows = []
    for year in range(min(years) + 1, max(years) + CULTIVATION_YEARS + 1):
        rows += cultivation.overview_rows(bureau, year)
    return rows


def _check_overdue_cultivation(client):
    fragment = panel(home(client), "craftsman-dashboard-cultivation")
    overdue = [row for row in _all_reports() if row["state"] == "overdue"]
    assert overdue, "the demo data has overdue reports"
    assert f"共 {len(overdue)} 份" in text(fragment)
    per_employer = {}
    for row in overdue:
        employer = row["craftsman"].submission.employer
        per_employer[employer] = per_employer.get(employer, 0) + 1
    rows = chart_rows(fragment)
    for employer, count in sorted(per_employer.items(), key=lambda i: -i[1])[:10]:
        assert rows[employer] == count


def test_bureau_panels_show_the_databases_numbers(client, demo):
    login(client, "bureau")
    current = current_round()
    default = _check_funnel_and_quota(client, current, {})
    busiest = busiest_round()
    _check_funnel_and_quota(client, busiest, {dashboard.ROUND_PARAM: busiest.year})
    _check_charts(client, busiest)
    _check_charts(client, current)
    _check_overdue_cultivation(client)

    # Other rounds are one click away; a round that does not exist shows the default.
    other = SelectionRound.objects.exclude(pk=current.pk).exclude(status="draft").first()
    assert f"?{dashboard.ROUND_PARAM}={other.year}" in default
    fallback = panel(home(client, **{dashboard.ROUND_PARAM: "abc"}), "craftsman-dashboard-round")
    assert text(default) == text(fallback)


def test_every_bureau_panel_link_answers_200(client, demo):
    login(client, "bureau")
    urls = set()
    for params in ({}, {dashboard.ROUND_PARAM: busiest_round().year}):
        page = home(client, **params)
        for panel_id in BUREAU_PANELS:
            urls.update(links(panel(page, panel_id)))
    assert len(urls) > 20
    for url in sorted(urls):
        assert client.get(url).status_code == 200, url


# --- 推荐单位 ---------------------------------------------------------------------------


def test_unit_staff_see_only_their_own_units_tasks(demo):
    from django.test import Client

    for username in ("zhanggong", "ruijin"):
        client = Client()
        user = login(client, username)
        page = home(client)
        fragment = panel(page, "craftsman-dashboard-unit-tasks")
        own_units = RecommendingUnit.objects.filter(memberships__user=user)
        waiting = Submission.objects.filter(
            recommending_unit__in=own_units,
            status=Status.SUBMITTED,
            round__status__in=SelectionRound.RECOMMENDING_STATUSES,
        )
        assert waiting.exists(), "the demo data has submissions waiting for this unit"
        assert f"有 {waiting.count()} 份申报等待本单位审核" in text(fragment)

        shown = {}
        for name, count in chart_pairs(fragment):  # one row per round and unit
            shown[name] = shown.get(name, 0) + count
        assert set(shown) <= set(own_units.values_list("name", flat=True))
        for unit in own_units:
            assert shown.get(unit.name, 0) == waiting.filter(recommending_unit=unit).count()
        # No other unit's name (hence none of its figures) anywhere on the page.
        for other in RecommendingUnit.objects.exclude(pk__in=own_units):
            assert other.name not in page, (username, other.name)
        assert panel_ids(page) == {"craftsman-dashboard-unit-tasks"}

        for url in links(fragment):
            assert client.get(url).status_code == 200, url
        unit = own_units.first()
        open_round = waiting.filter(recommending_unit=unit).first().round
        listed = client.get(
            dashboard.submissions_url(
                round=open_round.pk, recommending_unit=unit.pk, status=Status.SUBMITTED
            )
        ).context["object_list"]
        assert {s.pk for s in listed} == set(
            waiting.filter(recommending_unit=unit, round=open_round).values_list("pk", flat=True)
        )


# --- 评审专家 ---------------------------------------------------------------------------


def test_expert_sees_only_their_assignments_still_to_score(client, demo):
    user = login(client, "expert1")
    fragment = panel(home(client), "craftsman-dashboard-expert-tasks")
    assert "目前没有等待您评分的申报" in text(fragment)

    expert = Expert.objects.get(user=user)
    other = Expert.objects.exclude(pk=expert.pk).exclude(user=None).first()
    # Put two submissions under review: one assigned to expert1, one to someone else.
    mine, theirs = Submission.objects.filter(status=Status.SUBMITTED)[:2]
    Submission.objects.filter(pk__in=[mine.pk, theirs.pk]).update(status=Status.REVIEWING)
    ReviewAssignment.objects.create(submission=mine, expert=expert, method="manual")
    ReviewAssignment.objects.create(submission=theirs, expert=other, method="manual")

    fragment = panel(home(client), "craftsman-dashboard-expert-tasks")
    expected = (
        ReviewAssignment.objects.filter(
            expert=expert, recused_at__isnull=True, submission__status=Status.REVIEWING
        )
        .exclude(sheet__status="submitted")
        .count()
    )
    assert expected == 1
    assert f"有 {expected} 份申报等待您评分" in text(fragment)
    assert chart_rows(fragment) == {mine.round.title: expected}
    assert theirs.name not in fragment
    for url in links(fragment):
        assert client.get(url).status_code == 200


# --- 用人单位 ---------------------------------------------------------------------------


def test_employer_sees_their_craftsmens_reports_due_or_overdue(client, demo):
    user = login(client, "employer1")
    fragment = panel(home(client), "craftsman-dashboard-employer")
    today = cultivation.shanghai_today()
    soon = today + datetime.timedelta(days=cultivation.UPCOMING_DAYS)
    employer_names = cultivation.employer_names_for(user)
    expected = [
        row
        for row in _all_reports()
        if row["craftsman"].submission.employer in employer_names
        and (
            row["state"] in ("overdue", "returned")
            or (row["state"] == "pending" and row["due_on"] <= soon)
        )
    ]
    assert expected, "the demo employer has reports to file"
    assert f"有 {len(expected)} 份年度培养情况需要报送" in text(fragment)
    overdue = sum(row["state"] == "overdue" for row in expected)
    if overdue:
        assert f"其中 {overdue} 份已逾期" in text(fragment)
    for row in expected:
        assert row["craftsman"].name in fragment
    # Nobody else's craftsmen.
    others = Craftsman.objects.exclude(submission__employer__in=employer_names)
    for craftsman in others.select_related("submission"):
        assert craftsman.name not in fragment
    for url in links(fragment):
        assert client.get(url).status_code == 200, url


# --- query counts ---------------------------------------------------------------------

# What the panels themselves may query, whatever the amount of data: their aggregates,
# plus one ``is_bureau`` group check inside each scoped ``for_user`` of a non-bureau user.
# The bureau's objection panel (publications) adds 2.  Wagtail's own home (site summary,
# workflow, recent edits, locked pages), the menu, the session and the second factor
# take about 36 more: the whole page is checked not to grow with data below.
PANEL_BUDGETS = {"bureau": 6, "zhanggong": 2, "expert1": 2, "employer1": 4}


def test_panels_use_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    from django.template import Context

    for username, budget in PANEL_BUDGETS.items():
        request = RequestFactory().get(HOME)
        request.user = get_user_model().objects.get(username=username)
        panels = dashboard.panels_for(request)
        assert panels, username
        with django_assert_max_num_queries(budget):
            for item in panels:
                item.render_html(Context({"request": request}))


def _add_data():
    """More submissions in every round, unit and industry: the counts must not move."""
    from craftsman.validators import make_resident_id

    template = Submission.objects.filter(status=Status.SUBMITTED).first()
    units = list(RecommendingUnit.objects.all()[:6])
    industries = list(Industry.objects.all())
    sequence = iter(range(501, 999, 2))
    for n, selection_round in enumerate(SelectionRound.objects.all()):
        for m, unit in enumerate(units):
            clone = Submission.objects.get(pk=template.pk)
            clone.pk = None
            clone.receipt_number = f"T{n:02d}{m:04d}"
            clone.id_number = make_resident_id("360702", datetime.date(1981, 3, 9), next(sequence))
            clone.round = selection_round
            clone.recommending_unit = unit
            clone.industry = industries[m % len(industries)]
            clone.save()


def test_admin_home_query_count_does_not_grow_with_data(demo, django_assert_max_num_queries):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients, counts = {}, {}
    for username in ("bureau", "zhanggong", "expert1", "employer1"):
        clients[username] = client = Client()
        login(client, username)
        home(client)  # warm caches (site, menu)
        with CaptureQueriesContext(connection) as queries:
            home(client)
        counts[username] = len(queries)
    _add_data()
    for username, client in clients.items():
        with django_assert_max_num_queries(counts[username]):
            home(client)
