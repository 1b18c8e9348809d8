"""Demo content of cultivation (培养): ``employer1`` reports for 赣州稀金科技有限公司, and the
2024 craftsmen's first-year reports (calendar year 2025, due 31 January 2026): one
confirmed, one returned with a comment (employer1's own craftsman, to edit and re-submit),
the others overdue on 2026-11-25.

Everything is fictitious.  Idempotent: accounts and records are found by name and year.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from craftsman.cultivation import get_or_create_record, perform, save_record
from craftsman.demo import TZ
from craftsman.models import Craftsman, CultivationRecord, EmployerAccount

EMPLOYER_USERNAME = "employer1"
EMPLOYER_NAME = "赣州稀金科技有限公司"


def _text(craftsman):
    return {
        "training": "参加省级高技能人才研修班1期（40学时），赴外地同行企业交流学习2次。",
        "apprentice_names": "钟小明\n刘佳",
        "apprentice_count": 2,
        "skills_transmission": f"在本单位技能大师工作室开展{craftsman.submission.occupation}"
        "技能培训6场，培训职工120人次。",
        "public_welfare": "参加“技能进社区”志愿服务2次，为职业院校学生授课1次。",
        "innovations": "牵头完成工艺改进1项，年节约成本约20万元。",
        "employer_assessment": "考核合格，履行带徒和技能传承义务良好。",
    }


def seed_demo(stdout):
    User = get_user_model()
    employer = User.objects.filter(username=EMPLOYER_USERNAME).first()
    bureau = User.objects.filter(username="bureau").first()
    if employer is None or bureau is None:
        return
    EmployerAccount.objects.get_or_create(user=employer, employer_name=EMPLOYER_NAME)
    craftsmen = list(
        Craftsman.objects.filter(title_year=2024).select_related("submission").order_by("sequence")
    )
    own = next((c for c in craftsmen if c.submission.employer == EMPLOYER_NAME), None)
    other = next((c for c in craftsmen if c.submission.employer != EMPLOYER_NAME), None)
    if own is not None and not CultivationRecord.objects.filter(craftsman=own).exists():
        with transaction.atomic():
            record = get_or_create_record(own, 1, by=employer)
            save_record(record, _text(own), employer)
            perform(
                record, "submit", employer, now=datetime.datetime(2026, 1, 26, 15, 0, tzinfo=TZ)
            )
            perform(
                record,
                "return",
                bureau,
                comment="带徒情况请补充徒弟的技能等级提升情况，并附带徒协议扫描件。",
                now=datetime.datetime(2026, 2, 3, 10, 0, tzinfo=TZ),
            )
    if other is not None and not CultivationRecord.objects.filter(craftsman=other).exists():
        # Reported by the craftsman's own employer, which has no account in the demo:
        # the bureau stands in for it (the record shows no 报送人 then).
        with transaction.atomic():
            record = get_or_create_record(other, 1)
            record = CultivationRecord.objects.get(pk=record.pk)
            for field, value in _text(other).items():
                setattr(record, field, value)
            record.status = CultivationRecord.Status.SUBMITTED
            record.submitted_at = datetime.datetime(2026, 1, 20, 9, 30, tzinfo=TZ)
            record.save()
            perform(
                record,
                "confirm",
                bureau,
                comment="材料齐全，予以确认。",
                now=datetime.datetime(2026, 2, 5, 16, 0, tzinfo=TZ),
            )
    overdue = (
        len(craftsmen)
        - CultivationRecord.objects.filter(craftsman__in=craftsmen, year_index=1)
        .exclude(status=CultivationRecord.Status.DRAFT)
        .count()
    )
    stdout.write(f"赣州工匠：2024年度第1年培养情况 逾期未报 {overdue} 名。")
