import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from craftsman.models import (
    Industry,
    RecommendingUnit,
    SelectionRound,
    Status,
    Submission,
    UnitMembership,
)


@pytest.mark.django_db
def test_demo_content(demo):
    assert RecommendingUnit.objects.filter(kind="county").exclude(code="").count() == 18
    assert RecommendingUnit.objects.filter(name__in=["赣州经开区", "蓉江新区"]).count() == 2
    assert Industry.objects.filter(group="1").count() == 1
    assert Industry.objects.filter(group="5").count() == 5
    round_2025 = SelectionRound.objects.get(year=2025)
    assert round_2025.status == SelectionRound.Status.PUBLICITY  # reviewed, now in publicity
    assert SelectionRound.objects.get(year=2026).status == SelectionRound.Status.OPEN
    submissions = Submission.objects.filter(round=round_2025)
    assert submissions.count() >= 40
    states = dict(submissions.values_list("status").annotate(n=Count("id")))
    for state in (Status.SUBMITTED, Status.RETURNED, Status.DECLINED, Status.NOT_SELECTED):
        assert states.get(state, 0) >= 2, state
    units = submissions.values("recommending_unit").distinct().count()
    assert units >= 8
    User = get_user_model()
    zhanggong = User.objects.get(username="zhanggong")
    assert UnitMembership.objects.get(user=zhanggong).unit.name == "章贡区人社局"
    visible = Submission.objects.for_user(zhanggong)
    assert visible.count() >= 10
    assert set(visible.values_list("recommending_unit__name", flat=True)) == {"章贡区人社局"}
    recommended = submissions.filter(status=Status.IN_PUBLICITY).first()
    # submit, recommend, start_review, propose, start_publicity
    assert recommended.events.count() == 5 and recommended.attachments.count() == 5
    # Idempotent.
    before = Submission.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Submission.objects.count() == before


@pytest.mark.django_db
def test_demo_2025_round_is_in_publicity_with_an_objection_under_verification(demo):
    from publications.models import Objection, ObjectionStatus

    round_2025 = SelectionRound.objects.get(year=2025)
    notice = round_2025.publicity.notice
    assert notice.live
    assert notice.entries.count() == 15
    assert Objection.objects.filter(notice=notice, status=ObjectionStatus.CHECKING).count() == 1
