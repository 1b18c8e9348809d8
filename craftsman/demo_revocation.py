"""Demo content of revocation and benefits (《办法》第四条、第九条、第十二条).

One 2024 craftsman's title revoked after moving out of Ganzhou (（五）调离赣州), proposed by
``bureau`` and verified by ``bureau2``, the profile unpublished; a few article 9 benefits;
the organisers' accounts ``finance1`` (市财政局) and ``talent1`` (市委人才办).

Everything is fictitious.  Idempotent: accounts by username, the case by craftsman,
benefits by (craftsman, kind, date).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from craftsman.demo import DEMO_PASSWORD, TZ
from craftsman.models import Benefit, Craftsman, Revocation
from craftsman.revocation import open_case, record_benefit, verify
from website.roles import group_for

ACCOUNTS = [
    ("bureau2", "bureau", "市人社局 赖科员"),
    ("finance1", "finance", "市财政局 周会计"),
    ("talent1", "observer", "市委人才办 温干事"),
]

BENEFITS = [
    (1, Benefit.Kind.TRAINING, datetime.date(2025, 4, 15), "参加2025年全省高技能人才研修班"),
    (2, Benefit.Kind.EXCHANGE, datetime.date(2025, 6, 10), "赴深圳参加稀土新材料技艺交流"),
    (3, Benefit.Kind.MAY_DAY, datetime.date(2025, 3, 20), "已推荐参评赣州市五一劳动奖章"),
]


def seed_accounts():
    User = get_user_model()
    users = {}
    for username, role, display_name in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": display_name, "email": f"{username}@example.gov.cn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group_for(role))
        users[username] = user
    return users


def seed_revocation(proposer, verifier):
    craftsmen = Craftsman.objects.filter(title_year=2024).order_by("sequence")
    target = craftsmen.last()
    if target is None or Revocation.objects.filter(craftsman__title_year=2024).exists():
        return None
    case = open_case(
        target,
        Revocation.Reason.RELOCATED,
        "本人已于2026年2月调往外省工作，劳动关系已转出赣州（原单位出具的证明附后）。",
        by=proposer,
    )
    Revocation.objects.filter(pk=case.pk).update(
        proposed_at=datetime.datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
    )
    return verify(case, by=verifier, now=datetime.datetime(2026, 3, 10, 15, 0, tzinfo=TZ))


def seed_benefits(by):
    holders = list(
        Craftsman.objects.filter(title_year=2024, status=Craftsman.Status.ACTIVE).order_by(
            "sequence"
        )
    )
    for sequence, kind, day, outcome in BENEFITS:
        craftsman = next((c for c in holders if c.sequence == sequence), None)
        if (
            craftsman is None
            or Benefit.objects.filter(craftsman=craftsman, kind=kind, date=day).exists()
        ):
            continue
        record_benefit(craftsman, kind, day, by, outcome=outcome)


def seed_demo(home, stdout):
    users = seed_accounts()
    User = get_user_model()
    bureau = User.objects.filter(username="bureau").first() or users["bureau2"]
    with transaction.atomic():
        seed_revocation(bureau, users["bureau2"])
        seed_benefits(bureau)
    stdout.write(
        f"赣州工匠：已撤销称号 {Craftsman.objects.filter(status=Craftsman.Status.REVOKED).count()} 名，"
        f"激励待遇 {Benefit.objects.count()} 条。"
    )
