import datetime
import random
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from craftsman import ranking, review
from craftsman.models import (
    Expert,
    Honour,
    QuotaOverride,
    ReviewAssignment,
    ScoreSheet,
    ScoringCriterion,
    SelectionRound,
    Status,
    Submission,
    normalize_employer,
)
from craftsman.ranking import Row, aggregate, apply_proposed_list, build_ranking
from craftsman.review import ReviewError
from craftsman.validators import make_resident_id
from tests.craftsman.conftest import make_user
from website.security.testing import verified_login

pytestmark = pytest.mark.django_db

_ids = iter(range(301, 9999, 2))


@pytest.fixture
def review_round(open_round):
    open_round.status = SelectionRound.Status.RECOMMENDATION_CLOSED
    open_round.quota = 2
    open_round.save()
    return open_round


@pytest.fixture
def candidate(review_round, units, industry):
    """Recommended submissions (made directly in that state) of the review round."""

    def factory(name="候选人", employer="赣州稀金科技有限公司", unit="zhanggong", county=False):
        submission = Submission.objects.create(
            round=review_round,
            status=Status.RECOMMENDED,
            recommending_unit=units[unit],
            name=name,
            id_number=make_resident_id("360702", datetime.date(1980, 1, 1), next(_ids)),
            mobile="13812341234",
            employer=employer,
            industry=industry,
            occupation="稀土冶炼工",
        )
        if county:
            Honour.objects.create(
                submission=submission,
                kind=Honour.Kind.COUNTY_CRAFTSMAN,
                title="章贡区县级工匠",
                level=Honour.Level.COUNTY,
                year=2024,
            )
        return submission

    return factory


@pytest.fixture
def pool(db, units, users):
    """Six experts with accounts: two conflicted for a 章贡区 / 赣州稀金 submission."""
    experts = [
        Expert.objects.create(
            user=make_user(f"t_expert{i}", "expert"),
            name=f"专家{i}",
            specialty="冶金",
            employer=f"江西理工大学{i}系",
            email=f"e{i}@example.com",
        )
        for i in range(1, 5)
    ]
    experts.append(
        Expert.objects.create(
            user=make_user("t_expert_same_employer", "expert"),
            name="同单位专家",
            specialty="冶金",
            employer="赣州稀金科技 有限公司",  # same employer, written differently
        )
    )
    experts.append(
        Expert.objects.create(
            name="同推荐单位专家",
            specialty="冶金",
            employer="章贡区某厂",
            unit=units["zhanggong"],
        )
    )
    return experts


def started(review_round, users):
    review.start_review(review_round, by=users["bureau"])
    review_round.refresh_from_db()
    return review_round


def score(assignment, points, submit=True):
    """The expert of ``assignment`` declares, scores (品德, 技能, 业绩) and submits."""
    user = assignment.expert.user
    review.declare_no_conflict(assignment, by=user)
    criteria = list(assignment.submission.round.scoring_criteria.all())
    sheet = review.save_scores(
        assignment, by=user, points={c.pk: p for c, p in zip(criteria, points, strict=True)}
    )
    if submit:
        sheet.submit(by=user)
    return sheet


def test_start_review_moves_recommended_and_creates_default_criteria(
    review_round, candidate, users
):
    submission = candidate()
    started(review_round, users)
    submission.refresh_from_db()
    assert submission.status == Status.REVIEWING
    assert review_round.status == SelectionRound.Status.REVIEWING
    criteria = list(review_round.scoring_criteria.values_list("name", "max_points"))
    assert criteria == [("品德", 20), ("技能", 40), ("业绩与贡献", 40)]
    assert sum(points for _, points in criteria) == 100


def test_employer_names_are_compared_normalised():
    assert normalize_employer("赣州稀金科技 有限公司") == normalize_employer("赣州稀金科技有限公司")
    assert normalize_employer("赣州稀金科技（股份有限公司）") == "赣州稀金科技"
    assert normalize_employer("赣州稀金科技") != normalize_employer("赣州稀土集团")


def test_draw_never_takes_own_employer_or_own_unit(
    review_round, candidate, users, pool, django_capture_on_commit_callbacks
):
    submission = candidate()
    started(review_round, users)
    for seed in range(10):
        ReviewAssignment.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            created, avoided = review.draw(
                submission, 4, by=users["bureau"], rng=random.Random(seed)
            )
        assert {a.expert.name for a in created} == {"专家1", "专家2", "专家3", "专家4"}
        assert {e.name for e, _why in avoided} == {"同单位专家", "同推荐单位专家"}
    # Experts are told by e-mail (those with an address).
    assert any("评审任务" in m.subject for m in mail.outbox)
    with pytest.raises(ReviewError, match="须回避"):
        review.assign(submission, pool[4], by=users["bureau"])


def test_draw_refuses_when_not_enough_eligible_experts(review_round, candidate, users, pool):
    submission = candidate()
    started(review_round, users)
    with pytest.raises(ReviewError, match=r"可抽取的专家不足.*还需 5 名.*只有 4 名"):
        review.draw(submission, 5, by=users["bureau"])
    assert not ReviewAssignment.objects.exists()
    with pytest.raises(ReviewError, match="市人社局"):
        review.draw(submission, 1, by=users["zhanggong"])


def test_recusal_draws_a_replacement_and_is_logged(review_round, candidate, users, pool):
    submission = candidate()
    started(review_round, users)
    created, _ = review.draw(submission, 3, by=users["bureau"], rng=random.Random(1))
    recusing = created[0]
    with pytest.raises(ReviewError, match="理由"):
        review.recuse(recusing, by=recusing.expert.user, reason=" ")
    replacement = review.recuse(recusing, by=recusing.expert.user, reason="曾指导过申报人")
    recusing.refresh_from_db()
    assert recusing.is_recused and recusing.recusal_reason == "曾指导过申报人"
    assert replacement is not None
    assert replacement.expert not in {a.expert for a in created}
    assert replacement.expert.name.startswith("专家")
    assert ReviewAssignment.objects.filter(submission=submission).current().count() == 3
    actions = set(ModelLogEntry.objects.for_instance(submission).values_list("action", flat=True))
    assert {"craftsman.review.recuse", "craftsman.review.replace"} <= actions


def test_experts_see_only_their_own_sheets(client, review_round, candidate, users, pool):
    submission = candidate()
    started(review_round, users)
    one = review.assign(submission, pool[0], by=users["bureau"])
    two = review.assign(submission, pool[1], by=users["bureau"])
    sheet = score(one, [18, 35, 36])
    expert2 = two.expert.user
    assert list(ScoreSheet.objects.for_user(expert2)) == []
    assert list(ReviewAssignment.objects.for_user(expert2)) == [two]
    assert ScoreSheet.objects.for_user(users["bureau"]).count() == 1
    verified_login(client, expert2)
    response = client.get(reverse("craftsman_review:sheet", args=[one.pk]))
    assert response.status_code == 404
    response = client.get(reverse("craftsman_review:my_tasks"))
    assert response.status_code == 200
    assert str(sheet.total) not in response.content.decode()


def test_scores_need_a_declaration_and_compute_the_total(review_round, candidate, users, pool):
    submission = candidate()
    started(review_round, users)
    assignment = review.assign(submission, pool[0], by=users["bureau"])
    user = assignment.expert.user
    criteria = list(review_round.scoring_criteria.all())
    with pytest.raises(ReviewError, match="声明"):
        review.save_scores(assignment, by=user, points={criteria[0].pk: 10})
    review.declare_no_conflict(assignment, by=user)
    with pytest.raises(ReviewError, match="0 至 20"):
        review.save_scores(assignment, by=user, points={criteria[0].pk: 21})
    sheet = review.save_scores(
        assignment, by=user, points={str(criteria[0].pk): "18.5", criteria[1].pk: 30}
    )
    assert sheet.total == Decimal("48.50")  # the running total, computed on the server
    with pytest.raises(ReviewError, match="尚未评分：业绩与贡献"):
        sheet.submit(by=user)
    # Another expert cannot touch this sheet.
    with pytest.raises(ReviewError, match="不是您的"):
        review.save_scores(assignment, by=pool[1].user, points={criteria[0].pk: 1})


def test_submitted_sheet_is_locked_and_only_the_bureau_reopens_with_a_reason(
    client, review_round, candidate, users, pool
):
    submission = candidate()
    started(review_round, users)
    assignment = review.assign(submission, pool[0], by=users["bureau"])
    sheet = score(assignment, [18, 35, 36])
    assert sheet.is_submitted and sheet.total == Decimal("89.00")
    user = assignment.expert.user
    criteria = list(review_round.scoring_criteria.all())
    with pytest.raises(ReviewError, match="已提交"):
        review.save_scores(assignment, by=user, points={criteria[0].pk: 1})
    with pytest.raises(ReviewError, match="不能重复"):
        sheet.submit(by=user)
    with pytest.raises(ReviewError, match="市人社局"):
        sheet.reopen(by=user, reason="改分")
    with pytest.raises(ReviewError, match="原因"):
        sheet.reopen(by=users["bureau"], reason="")
    sheet.reopen(by=users["bureau"], reason="技能项与材料不符，请复核")
    assert sheet.status == ScoreSheet.State.DRAFT
    entry = ModelLogEntry.objects.for_instance(submission).get(
        action="craftsman.review.reopen_sheet"
    )
    assert entry.data["reason"] == "技能项与材料不符，请复核"
    review.save_scores(
        assignment, by=user, points={c.pk: p for c, p in zip(criteria, [18, 30, 36], strict=True)}
    )
    sheet.submit(by=user)
    # Through the admin form too: a POST after submission changes nothing.
    verified_login(client, user)
    url = reverse("craftsman_review:sheet", args=[assignment.pk])
    response = client.post(url, {f"c{criteria[0].pk}": "1", "action": "save"})
    sheet.refresh_from_db()
    assert sheet.total == Decimal("84.00")
    assert response.status_code in (200, 302)


def test_trimmed_mean_from_five_experts():
    assert aggregate([Decimal(v) for v in (80, 90, 70, 100)]) == (Decimal("85.00"), False)
    assert aggregate([Decimal(v) for v in (80, 90, 70, 100, 60)]) == (Decimal("80.00"), True)
    assert aggregate([]) == (None, False)


def _row(pk, score, county=False, skill=30, tie=None, override=""):
    return Row(
        submission_id=pk,
        name=f"s{pk}",
        score=Decimal(score),
        is_county_craftsman=county,
        skill=Decimal(skill),
        tie_position=tie,
        override=override,
    )


def test_ties_county_craftsman_first():
    rows = ranking.rank_rows([_row(1, 85), _row(2, 85, county=True), _row(3, 90)])
    assert [r.submission_id for r in rows] == [3, 2, 1]
    assert not rows[1].tied  # county craftsman decides, no bureau decision needed


def test_ties_then_higher_skill_score():
    rows = ranking.rank_rows([_row(1, 85, skill=30), _row(2, 85, skill=35)])
    assert [r.submission_id for r in rows] == [2, 1]


def test_ties_then_the_recorded_decision():
    rows = ranking.rank_rows([_row(1, 85), _row(2, 85)])
    assert all(r.tied for r in rows)
    assert ranking.unresolved_line_tie(ranking.cut(rows, 1), 1) is not None
    rows = ranking.rank_rows([_row(1, 85, tie=2), _row(2, 85, tie=1)])
    assert [r.submission_id for r in rows] == [2, 1]
    assert ranking.unresolved_line_tie(ranking.cut(rows, 1), 1) is None


def test_quota_line_and_overrides():
    rows = ranking.cut(
        ranking.rank_rows([_row(1, 90), _row(2, 80), _row(3, 70, override="include")]), 1
    )
    assert [(r.in_quota, r.proposed) for r in rows] == [(True, True), (False, False), (False, True)]
    rows = ranking.cut(ranking.rank_rows([_row(1, 90, override="exclude"), _row(2, 80)]), 1)
    assert [r.proposed for r in rows] == [False, False]


@pytest.fixture
def scored_round(review_round, candidate, users, pool):
    """Three candidates, each scored by 专家1–3; quota 2."""
    top = candidate(name="甲", employer="甲厂")
    middle = candidate(name="乙", employer="乙厂")
    low = candidate(name="丙", employer="丙厂")
    started(review_round, users)
    for submission, points in [(top, [19, 38, 38]), (middle, [18, 35, 35]), (low, [15, 30, 30])]:
        for expert in pool[:3]:
            score(review.assign(submission, expert, by=users["bureau"]), points)
    return {"top": top, "middle": middle, "low": low}


def test_ranking_from_the_database_with_trim_and_spread(review_round, scored_round, users, pool):
    low = scored_round["low"]
    for expert, points in [(pool[3], [20, 40, 40]), (pool[4], [0, 0, 0])]:
        expert.employer = "别的单位"
        expert.save()
        score(review.assign(low, expert, by=users["bureau"]), points)
    result = build_ranking(review_round)
    names = [(r.name, r.score, r.trimmed) for r in result.rows]
    assert names == [
        ("甲", Decimal("95.00"), False),
        ("乙", Decimal("88.00"), False),
        ("丙", Decimal("75.00"), True),  # (75, 75, 75) after dropping 100 and 0
    ]
    assert result.rows[2].spreads[0] == (Decimal("0"), Decimal("20"), Decimal("13.00"))
    assert [r.proposed for r in result.rows] == [True, True, False]


def test_override_needs_a_reason_and_is_logged(review_round, scored_round, users):
    low = scored_round["low"]
    with pytest.raises(ReviewError, match="理由"):
        ranking.record_override(review_round, low, QuotaOverride.Kind.INCLUDE, "", users["bureau"])
    ranking.record_override(
        review_round, low, QuotaOverride.Kind.INCLUDE, "技艺濒临失传，予以保护", users["bureau"]
    )
    assert [r.proposed for r in build_ranking(review_round).rows] == [True, True, True]
    assert ModelLogEntry.objects.for_instance(low).filter(action="craftsman.review.override")


def test_apply_refuses_with_unsubmitted_sheets_then_moves_states(
    review_round, scored_round, users, pool
):
    draft = review.assign(scored_round["low"], pool[3], by=users["bureau"])
    score(draft, [10, 10, 10], submit=False)
    with pytest.raises(ReviewError, match="1 份评分表未提交"):
        apply_proposed_list(review_round, by=users["bureau"])
    assert Submission.objects.filter(status=Status.REVIEWING).count() == 3
    draft.sheet.submit(by=draft.expert.user)
    with pytest.raises(ReviewError, match="市人社局"):
        apply_proposed_list(review_round, by=pool[0].user)
    assert apply_proposed_list(review_round, by=users["bureau"]) == (2, 1)
    states = dict(Submission.objects.values_list("name", "status"))
    assert states == {"甲": Status.SHORTLISTED, "乙": Status.SHORTLISTED, "丙": Status.NOT_SELECTED}
    with pytest.raises(ReviewError):
        apply_proposed_list(review_round, by=users["bureau"])


def test_apply_refuses_an_unresolved_tie_on_the_line(review_round, scored_round, users, pool):
    middle, low = scored_round["middle"], scored_round["low"]
    ScoreSheet.objects.filter(assignment__submission=low).update(total=Decimal("88"))
    ScoringCriterion.objects.filter(round=review_round).update(code="")  # no skill tie-break
    with pytest.raises(ReviewError, match="并列"):
        apply_proposed_list(review_round, by=users["bureau"])
    ranking.record_tie_break(review_round, low, 1, "业绩更突出", users["bureau"])
    ranking.record_tie_break(review_round, middle, 2, "业绩更突出", users["bureau"])
    assert apply_proposed_list(review_round, by=users["bureau"]) == (2, 1)
    assert Submission.objects.get(pk=low.pk).status == Status.SHORTLISTED


def test_ranking_view_query_count_does_not_grow(
    client, review_round, candidate, users, pool, django_assert_max_num_queries
):
    started(review_round, users)
    verified_login(client, users["bureau"])
    url = reverse("craftsman_review:ranking", args=[review_round.pk])

    def add_scored(n):
        for i in range(n):
            submission = candidate(name=f"候选{i}", employer=f"厂{i}")
            perform_start = Submission.objects.filter(pk=submission.pk)
            perform_start.update(status=Status.REVIEWING)
            for expert in pool[:3]:
                score(review.assign(submission, expert, by=users["bureau"]), [15, 30, 30])

    add_scored(2)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    add_scored(6)
    with django_assert_max_num_queries(25) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    html = response.content.decode()
    assert "候选5" in html and "13812341234" not in html


def test_demo_takes_2025_through_review(demo):
    from django.core.management import call_command

    round_2025 = SelectionRound.objects.get(year=2025)
    assert Expert.objects.count() >= 10
    assert Expert.objects.filter(user__username__in=["expert1", "expert2"]).count() == 2
    # The proposed list (拟入选) has since gone into publicity (公示中): see demo_conferral.
    proposed = Submission.objects.filter(
        round=round_2025, status__in=[Status.SHORTLISTED, Status.IN_PUBLICITY]
    )
    assert proposed.count() == 15
    assert not Submission.objects.filter(round=round_2025, status=Status.REVIEWING).exists()
    for submission in proposed:
        assignments = ReviewAssignment.objects.filter(submission=submission).current()
        assert assignments.count() == 3
        assert all(not a.expert.conflict_with(submission) for a in assignments)
        assert all(a.sheet.is_submitted for a in assignments)
    assert ReviewAssignment.objects.filter(expert__user__username="expert1").exists()
    assert ReviewAssignment.objects.filter(expert__user__username="expert2").exists()
    before = ScoreSheet.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert ScoreSheet.objects.count() == before


def test_expert_scores_through_the_admin_screens(client, review_round, candidate, users, pool):
    submission = candidate()
    verified_login(client, users["bureau"])
    assignments_url = reverse("craftsman_review:assignments", args=[review_round.pk])
    client.post(assignments_url, {"action": "start"})
    client.post(assignments_url, {"action": "draw", "count": "2"})
    response = client.get(assignments_url)
    html = response.content.decode()
    assert response.status_code == 200 and "同单位专家（与申报人同一工作单位）" in html
    assert client.get(reverse("craftsman_review:rounds")).status_code == 200
    assignment = ReviewAssignment.objects.filter(submission=submission).first()
    expert = assignment.expert.user
    verified_login(client, expert)
    assert (
        client.get(reverse("craftsman_review:ranking", args=[review_round.pk])).status_code == 404
    )
    url = reverse("craftsman_review:sheet", args=[assignment.pk])
    html = client.get(url).content.decode()
    assert "本人无需回避" in html and "score-sheet.js" in html and "13812341234" not in html
    client.post(url, {"action": "declare"})
    criteria = list(review_round.scoring_criteria.all())
    data = {f"c{c.pk}": v for c, v in zip(criteria, ["18", "36.5", "35"], strict=True)}
    client.post(url, {**data, "action": "save"})
    html = client.get(url).content.decode()
    assert "data-running-total" in html and "89.50" in html
    client.post(url, {**data, "action": "submit"})
    assert ScoreSheet.objects.get(assignment=assignment).is_submitted


def test_bureau_configures_criteria_and_panels_in_the_admin(client, demo):
    from django.contrib.auth import get_user_model

    from craftsman.models import ScoringCriterion

    User = get_user_model()
    verified_login(client, User.objects.get(username="bureau"))
    assert client.get("/admin/craftsman_criteria/").status_code == 200
    assert client.get("/admin/craftsman_panels/").status_code == 200
    criterion = ScoringCriterion.objects.filter(round__year=2025).first()
    response = client.get(f"/admin/craftsman_criteria/edit/{criterion.pk}/")
    assert response.status_code == 200
    assert "评分项" in response.content.decode()
    verified_login(client, User.objects.get(username="expert1"))
    assert client.get("/admin/craftsman_criteria/").status_code in (302, 403)
    verified_login(client, User.objects.get(username="zhanggong"))
    assert client.get("/admin/craftsman_panels/").status_code in (302, 403)
