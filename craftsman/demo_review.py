"""Demo content of the review: an expert pool, and the 2025 round taken through review.

The 2025 round's recommended submissions go to 评审中, get three experts each
(``expert1`` / ``expert2`` among them for some, the rest drawn with 回避), submitted
score sheets with plausible scores, and the proposed list applied (15 拟入选 at
quota 15), so that publicity can start from it.  Idempotent: experts by name,
only what is missing is assigned or scored, and nothing happens once the round has
left 推荐截止 / 评审中.
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from craftsman import ranking, review
from craftsman.models import (
    Expert,
    RecommendingUnit,
    ReviewAssignment,
    ScoreSheet,
    SelectionRound,
    Status,
    Submission,
)
from website.roles import group_for

# name, specialty, employer, username (None: an account is made for scoring), unit name
EXPERTS = [
    ("黄建国", "有色金属冶炼", "江西理工大学", "expert1", None),
    ("曾丽萍", "电子信息", "赣州职业技术学院", "expert2", None),
    ("刘志远", "机械制造", "赣南科技学院", None, None),
    ("陈秀梅", "纺织服装", "赣州市职业技能鉴定中心", None, None),
    ("钟海涛", "新能源汽车", "江西环境工程职业学院", None, None),
    ("谢文华", "现代家居", "南康区家具产业促进中心", None, "南康区人社局"),
    ("赖国庆", "稀土材料", "赣州稀金科技有限公司", None, None),  # 回避 its own staff
    ("温桂芳", "医药食品", "赣南医科大学", None, None),
    ("邱明亮", "建筑建材", "赣州市建筑业协会", None, None),
    ("肖春燕", "农业技术", "赣南师范大学", None, "章贡区人社局"),  # 回避 章贡区
]
EXPERTS_PER_SUBMISSION = 3


def _demo_user(username, name):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username, first_name=f"评审专家 {name}", email=f"{username}@example.com"
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(group_for("expert"))
    return user


def seed_experts():
    units = {u.name: u for u in RecommendingUnit.objects.all()}
    experts = []
    for index, (name, specialty, employer, username, unit_name) in enumerate(EXPERTS, start=1):
        expert = Expert.objects.filter(name=name).first()
        if expert is None:
            user = _demo_user(username or f"expert_demo{index:02d}", name)
            expert = Expert.objects.create(
                user=user if not hasattr(user, "craftsman_expert") else None,
                name=name,
                specialty=specialty,
                employer=employer,
                phone=f"0797-82{index:02d}1234",
                email=user.email,
                unit=units.get(unit_name),
            )
        experts.append(expert)
    return experts


def _points(merit, offset, criteria):
    """A plausible sheet: the total ``merit + offset`` split 20 / 40 / 40 by proportion."""
    total = Decimal(merit) + Decimal(offset)
    full = sum(c.max_points for c in criteria)
    points = {}
    left = total
    for criterion in criteria[:-1]:
        value = min(
            criterion.max_points, (total * criterion.max_points / full).quantize(Decimal("0.1"))
        )
        points[criterion.pk] = value
        left -= value
    points[criteria[-1].pk] = max(Decimal("0"), min(criteria[-1].max_points, left))
    return points


def seed_review(selection_round, experts, bureau):
    statuses = (SelectionRound.Status.RECOMMENDATION_CLOSED, SelectionRound.Status.REVIEWING)
    if selection_round.status not in statuses:
        return 0
    if selection_round.status == SelectionRound.Status.RECOMMENDATION_CLOSED:
        review.start_review(selection_round, by=bureau)
    criteria = review.ensure_default_criteria(selection_round)
    panel = review.panel_for(selection_round)
    panel.experts.add(*experts)
    in_review = list(
        Submission.objects.filter(round=selection_round, status=Status.REVIEWING).order_by("pk")
    )
    named = [e for e in experts if e.user and e.user.username in ("expert1", "expert2")]
    for position, submission in enumerate(in_review):
        # expert1 and expert2 each take part in some reviews, by hand.
        for expert in named[position % 3 : position % 3 + 1]:
            if (
                not expert.conflict_with(submission)
                and not ReviewAssignment.objects.filter(
                    submission=submission, expert=expert
                ).exists()
            ):
                review.assign(submission, expert, by=bureau, notify=False)
        review.draw(
            submission,
            EXPERTS_PER_SUBMISSION,
            by=bureau,
            rng=random.Random(submission.pk),
            notify=False,
        )
    # Distinct merits (no tie on the quota line), in a shuffled but fixed order.
    order = sorted(in_review, key=lambda s: (s.pk * 7919) % 101)
    merits = {s.pk: 93 - Decimal("1.5") * i for i, s in enumerate(order)}
    offsets = [Decimal("-2"), Decimal("0"), Decimal("1.5")]
    scored = 0
    for submission in in_review:
        current = ReviewAssignment.objects.filter(submission=submission).current()
        for i, assignment in enumerate(current.select_related("expert__user").order_by("pk")):
            sheet = ScoreSheet.objects.filter(assignment=assignment).first()
            if sheet is not None and sheet.is_submitted:
                continue
            user = assignment.expert.user
            review.declare_no_conflict(assignment, by=user)
            sheet = review.save_scores(
                assignment,
                by=user,
                points=_points(merits[submission.pk], offsets[i % 3], criteria),
                comment="材料翔实，业绩突出，符合“赣州工匠”评选标准。",
            )
            sheet.submit(by=user)
            scored += 1
    if in_review:
        ranking.apply_proposed_list(selection_round, by=bureau)
    return scored


def seed_review_demo(stdout):
    User = get_user_model()
    bureau = (
        User.objects.filter(username="bureau").first()
        or User.objects.filter(is_superuser=True).first()
    )
    experts = seed_experts()
    round_2025 = SelectionRound.objects.filter(year=2025).first()
    scored = seed_review(round_2025, experts, bureau) if round_2025 and bureau else 0
    shortlisted = Submission.objects.filter(status=Status.SHORTLISTED).count()
    stdout.write(
        f"评审：{Expert.objects.count()} 名专家，新增 {scored} 份评分表，拟入选 {shortlisted} 名。"
    )
