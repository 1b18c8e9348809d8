"""Demo content of the craftsman plugin: units, industries, unit staff, rounds, submissions.

Idempotent: everything is found or created by natural keys (units by name,
industries by name, rounds by year, submissions by (round, ID number)).
Submissions go through the real workflow (``craftsman.workflow.perform``),
so their timelines and audit entries are what the running system writes.
"""

import datetime
import io
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from craftsman.models import (
    CertificateType,
    CompetitionResult,
    Honour,
    Industry,
    RecommendingUnit,
    SelectionRound,
    SkillLevel,
    Submission,
    SubmissionAttachment,
    UnitMembership,
)
from craftsman.validators import GANZHOU_AREAS, make_resident_id
from craftsman.workflow import perform
from website.roles import group_for

TZ = ZoneInfo("Asia/Shanghai")
DEMO_PASSWORD = "Gzgj@2025demo"  # the same as website.demo's, printed in README.md

DEPARTMENTS = [
    "市工业和信息化局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
]
STATIONED = ["国网赣州供电公司", "赣州市烟草专卖局"]
ZONES = [("赣州经开区", "赣州经济技术开发区"), ("蓉江新区", "赣州蓉江新区")]

INDUSTRIES = [
    ("有色金属（稀土、钨）新材料", Industry.Group.LEADING, "首位产业"),
    ("电子信息", Industry.Group.PILLAR, ""),
    ("新能源及新能源汽车", Industry.Group.PILLAR, ""),
    ("现代家居", Industry.Group.PILLAR, "以南康家具为代表"),
    ("纺织服装", Industry.Group.PILLAR, ""),
    ("医药食品", Industry.Group.PILLAR, ""),
    ("赣南脐橙等特色农业", Industry.Group.COUNTY, "县域特色产业"),
    ("文化旅游", Industry.Group.COUNTY, "县域特色产业"),
    ("建筑建材", Industry.Group.COUNTY, "县域特色产业"),
    ("其他行业", Industry.Group.OTHER, "不属于“1+5+N”产业体系"),
]

MEMBERSHIPS = [("zhanggong", "章贡区人社局"), ("ruijin", "瑞金市人社局")]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何罗钟曾谢赖邱肖温廖"
GIVEN = [
    "建国",
    "丽萍",
    "志强",
    "海燕",
    "明华",
    "秀英",
    "国平",
    "小军",
    "春生",
    "桂兰",
    "伟东",
    "红梅",
    "德胜",
    "玉珍",
    "永清",
    "晓峰",
    "金凤",
    "光辉",
    "淑芬",
    "文斌",
    "宏伟",
    "美玲",
    "家兴",
    "少华",
    "冬梅",
]
TRADES = [
    # occupation, employer, industry, area code
    ("稀土冶炼工", "赣州稀金科技有限公司", "有色金属（稀土、钨）新材料"),
    ("钨钼制品烧结工", "崇义章源钨业股份有限公司", "有色金属（稀土、钨）新材料"),
    ("电子设备装接工", "赣州市创新电子有限公司", "电子信息"),
    ("电池制造工", "赣州锂能新能源有限公司", "新能源及新能源汽车"),
    ("汽车装调工", "赣州新能源汽车制造有限公司", "新能源及新能源汽车"),
    ("家具制作工（木工）", "南康区匠心家具有限公司", "现代家居"),
    ("缝纫工", "于都县红都服装有限公司", "纺织服装"),
    ("中药炮制工", "赣州本草制药有限公司", "医药食品"),
    ("果树园艺工", "信丰县脐橙专业合作社", "赣南脐橙等特色农业"),
    ("客家菜烹调师", "瑞金市红都客家酒楼", "文化旅游"),
    ("砌筑工", "赣州建工集团有限公司", "建筑建材"),
    ("电工", "国网赣州供电公司", "其他行业"),
]
COMPETITIONS = [
    ("全国行业职业技能竞赛", CompetitionResult.Level.NATIONAL),
    ("江西省职业技能大赛", CompetitionResult.Level.PROVINCIAL_1),
    ("江西省行业职业技能竞赛", CompetitionResult.Level.PROVINCIAL_2),
    ("赣州市职业技能大赛", CompetitionResult.Level.CITY_1),
]

# Where the 2025 submissions go and what happens to them there (≥40, most in 章贡区 and
# 瑞金市 so that the demo unit accounts have work).  Plan codes: D draft, S submitted,
# T returned, X declined, R recommended.
PLAN_2025 = [
    ("章贡区人社局", "RRRRSSSSTXDS"),
    ("瑞金市人社局", "RRRSSSTXDS"),
    ("南康区人社局", "RRSX"),
    ("于都县人社局", "RRT"),
    ("兴国县人社局", "RS"),
    ("龙南市人社局", "RR"),
    ("信丰县人社局", "RS"),
    ("赣州经开区", "RR"),
    ("市工业和信息化局", "RRS"),
    ("国网赣州供电公司", "RX"),
]
PLAN_2026 = [("章贡区人社局", "SSD"), ("瑞金市人社局", "SD")]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def _png_bytes():
    """A neutral portrait placeholder (head and shoulders): demo data has no real photos.

    480×640, large enough for every width of the directory's and profiles' srcset.
    """
    from PIL import ImageDraw

    image = Image.new("RGB", (480, 640), (226, 230, 236))
    draw = ImageDraw.Draw(image)
    figure = (150, 160, 176)
    draw.ellipse((160, 150, 320, 330), fill=figure)  # head
    draw.ellipse((70, 370, 410, 760), fill=figure)  # shoulders, cut by the frame
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_units():
    units = {}
    order = 10
    for code, area in GANZHOU_AREAS.items():
        unit, _ = RecommendingUnit.objects.get_or_create(
            name=f"{area}人社局",
            defaults={
                "kind": RecommendingUnit.Kind.COUNTY,
                "area": area,
                "code": code,
                "sort_order": order,
            },
        )
        units[unit.name] = unit
        order += 10
    for name, area in ZONES:
        unit, _ = RecommendingUnit.objects.get_or_create(
            name=name,
            defaults={"kind": RecommendingUnit.Kind.COUNTY, "area": area, "sort_order": order},
        )
        units[unit.name] = unit
        order += 10
    for kind, names in [
        (RecommendingUnit.Kind.DEPARTMENT, DEPARTMENTS),
        (RecommendingUnit.Kind.STATIONED, STATIONED),
    ]:
        for name in names:
            unit, _ = RecommendingUnit.objects.get_or_create(
                name=name, defaults={"kind": kind, "sort_order": order}
            )
            units[unit.name] = unit
            order += 10
    return units


def seed_industries():
    industries = {}
    for order, (name, group, description) in enumerate(INDUSTRIES, start=1):
        industry, _ = Industry.objects.get_or_create(
            name=name,
            defaults={"group": group, "description": description, "sort_order": order * 10},
        )
        industries[name] = industry
    return industries


def seed_memberships(units):
    User = get_user_model()
    for username, unit_name in MEMBERSHIPS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            UnitMembership.objects.get_or_create(user=user, unit=units[unit_name])


def seed_rounds():
    round_2025, _ = SelectionRound.objects.get_or_create(
        year=2025,
        defaults={
            "title": "2025年度“赣州工匠”培养选拔",
            "opens_at": datetime.datetime(2025, 8, 1, 8, 0, tzinfo=TZ),
            "closes_at": datetime.datetime(2025, 9, 15, 17, 30, tzinfo=TZ),
            "recommendation_deadline": datetime.datetime(2025, 9, 30, 17, 30, tzinfo=TZ),
            "quota": 15,
            "status": SelectionRound.Status.OPEN,  # set to 推荐截止 once seeded
        },
    )
    round_2026, _ = SelectionRound.objects.get_or_create(
        year=2026,
        defaults={
            "title": "2026年度“赣州工匠”培养选拔",
            "opens_at": datetime.datetime(2026, 11, 1, 8, 0, tzinfo=TZ),
            "closes_at": datetime.datetime(2026, 12, 31, 17, 30, tzinfo=TZ),
            "recommendation_deadline": datetime.datetime(2027, 1, 15, 17, 30, tzinfo=TZ),
            "quota": 15,
            "status": SelectionRound.Status.OPEN,
        },
    )
    return round_2025, round_2026


def _applicant(username, name):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": name, "email": f"{username}@example.com"},
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(group_for("applicant"))
    return user


def _build_submission(selection_round, unit, industries, index, plan_code):
    """Fill one deterministic submission (unsaved children are added after save)."""
    surname = SURNAMES[index % len(SURNAMES)]
    given = GIVEN[(index * 7) % len(GIVEN)]
    name = surname + given
    occupation, employer, industry_name = TRADES[index % len(TRADES)]
    area = unit.code or "360702"
    if index == 5:
        area = "362101"  # a retired code (old 赣州地区): a warning, never a refusal
    birth = datetime.date(1968 + index % 22, 1 + index % 12, 1 + (index * 3) % 28)
    sequence = 100 + index * 2 + (1 if index % 3 else 0)  # odd = male
    id_number = make_resident_id(area, birth, sequence)
    work_area = unit.code or ("gzjk" if unit.name == "赣州经开区" else "360702")
    level = [SkillLevel.LEVEL_3, SkillLevel.LEVEL_2, SkillLevel.LEVEL_1, SkillLevel.LEVEL_4][
        index % 4
    ]
    pledged = selection_round.opens_at + datetime.timedelta(days=3 + index % 20)
    return Submission(
        round=selection_round,
        recommending_unit=unit,
        applicant=_applicant(f"sq{selection_round.year}{index:03d}", name),
        name=name,
        ethnicity="汉族" if index % 9 else "畲族",
        id_number=id_number,
        mobile=f"13{(index * 7) % 10}{(index * 1234567 + 7654321) % 100000000:08d}",
        email=f"sq{selection_round.year}{index:03d}@example.com",
        education=["senior", "college", "bachelor", "junior"][index % 4],
        employer=employer,
        work_area=work_area,
        work_address=f"{unit.area or '章贡区'}{employer}",
        industry=industries[industry_name],
        occupation=occupation,
        years_in_trade=8 + index % 25,
        certificate_type=CertificateType.SKILL_LEVEL,
        skill_level=level,
        certificate_number=f"S{selection_round.year - 3}36070{index:05d}",
        certificate_issuer="赣州市职业技能鉴定中心",
        certificate_date=datetime.date(selection_round.year - 3, 6, 1),
        condition_1=(
            f"从事{occupation}工作{8 + index % 25}年，掌握关键工序的操作要领，"
            "在本单位工艺实施中处于不可替代的地位。"
        ),
        condition_3=(
            "带领班组攻克生产难题，近三年带徒 6 人，其中 3 人取得高级工证书。" if index % 2 else ""
        ),
        apprentices_count=index % 9,
        mentoring="参加“名师带徒”活动，每年带教新员工。" if index % 2 else "",
        patents="实用新型专利 1 项。" if index % 4 == 1 else "",
        achievements=(
            f"{name}同志长期扎根生产一线，爱岗敬业，精益求精。"
            f"在{employer}从事{occupation}工作以来，改进操作方法，"
            "使产品合格率提高 3 个百分点，年节约成本约 50 万元；"
            "多次承担急难险重任务，受到单位和同行的广泛认可。"
        ),
        declarations_confirmed_at=pledged,
        integrity_pledge_at=pledged,
        publication_consent_at=pledged,
        # Some unsent drafts show the eligibility engine refusing (art. 6 exclusions).
        in_talent_directory_d=plan_code == "D" and index % 2 == 0,
    )


def _add_children(submission, index, uploader):
    year = submission.round.year
    if index % 3 == 0:
        competition, level = COMPETITIONS[index % len(COMPETITIONS)]
        CompetitionResult.objects.create(
            submission=submission,
            name=f"{year - 2}年{competition}",
            level=level,
            rank=1 + index % 5,
            year=year - 2,
        )
    if index % 4 == 0:
        Honour.objects.create(
            submission=submission,
            kind=Honour.Kind.COUNTY_CRAFTSMAN,
            title=f"{submission.recommending_unit.area or '章贡区'}县级工匠",
            level=Honour.Level.COUNTY,
            awarded_by=f"{submission.recommending_unit.area or '章贡区'}人民政府",
            year=year - 1,
        )
    png = _png_bytes()
    for kind in SubmissionAttachment.REQUIRED_KINDS:
        content, filename = (
            (png, "照片.png")
            if kind == SubmissionAttachment.Kind.PHOTO
            else (PDF_BYTES, f"{SubmissionAttachment.Kind(kind).label}.pdf")
        )
        SubmissionAttachment.create_from_upload(
            submission, kind, SimpleUploadedFile(filename, content), by=uploader
        )


def _play(submission, plan_code, index, staff, bureau):
    """Take the submission through the workflow to the state its plan code names."""
    if plan_code == "D":
        submission.refresh_eligibility()
        return
    start = submission.round.opens_at + datetime.timedelta(days=5 + index % 30)
    perform(submission, "submit", by=submission.applicant, now=start, notify=False)
    later = start + datetime.timedelta(days=7)
    actor = staff or bureau
    if plan_code == "T":
        perform(
            submission,
            "return",
            by=actor,
            comment="请补充近三年的主要业绩证明材料（加盖单位公章）。",
            now=later,
            notify=False,
        )
    elif plan_code == "X":
        perform(
            submission,
            "decline",
            by=actor,
            comment="经审核，业绩材料不足以体现在本行业内的领先水平，本年度不予推荐。",
            now=later,
            notify=False,
        )
    elif plan_code == "R":
        taken = Submission.objects.filter(
            round=submission.round,
            recommending_unit=submission.recommending_unit,
            recommendation_rank__isnull=False,
        ).count()
        perform(
            submission,
            "recommend",
            by=actor,
            rank=taken + 1,
            letter=SimpleUploadedFile("推荐函.pdf", PDF_BYTES),
            checklist={
                "verified_skills": True,
                "verified_achievements": True,
                "verified_authenticity": True,
            },
            comment="经审核，技能水平、业绩和申报材料属实，同意推荐。",
            now=later,
            notify=False,
        )


def seed_submissions(selection_round, plan, units, industries, first_index=0):
    User = get_user_model()
    staff_by_unit = {
        m.unit.name: m.user
        for m in UnitMembership.objects.select_related("user", "unit").filter(
            user__username__in=[username for username, _ in MEMBERSHIPS]
        )
    }
    bureau = (
        User.objects.filter(username="bureau").first()
        or User.objects.filter(is_superuser=True).first()
    )
    index = first_index
    created = 0
    for unit_name, codes in plan:
        unit = units[unit_name]
        for code in codes:
            index += 1
            draft = _build_submission(selection_round, unit, industries, index, code)
            if Submission.objects.filter(round=selection_round, id_number=draft.id_number).exists():
                continue
            with transaction.atomic():
                draft.save()
                _add_children(draft, index, draft.applicant)
                _play(draft, code, index, staff_by_unit.get(unit_name), bureau)
            created += 1
    return created


def seed_demo(home, stdout):
    units = seed_units()
    industries = seed_industries()
    seed_memberships(units)
    round_2025, round_2026 = seed_rounds()
    created = 0
    if round_2025.status == SelectionRound.Status.OPEN:
        created += seed_submissions(round_2025, PLAN_2025, units, industries)
        round_2025.status = SelectionRound.Status.RECOMMENDATION_CLOSED
        round_2025.save(update_fields=["status"])
    if round_2026.status == SelectionRound.Status.OPEN:
        created += seed_submissions(round_2026, PLAN_2026, units, industries, first_index=100)
    applicant = get_user_model().objects.filter(username="applicant1").first()
    if applicant is None:
        applicant = get_user_model().objects.create_user(
            "applicant1", "applicant1@example.com", DEMO_PASSWORD, first_name="申报人 赖春生"
        )
        applicant.groups.add(group_for("applicant"))
    stdout.write(
        f"赣州工匠：{RecommendingUnit.objects.count()} 个推荐单位，"
        f"{Industry.objects.count()} 个产业，新增 {created} 份申报"
        f"（共 {Submission.objects.count()} 份）。"
    )
    from craftsman.demo_review import seed_review_demo  # 评审: the 2025 round's proposed list

    seed_review_demo(stdout)
    from craftsman.demo_conferral import seed_demo as seed_conferral_demo  # 公示与认定

    seed_conferral_demo(home, stdout)
    from craftsman.demo_cultivation import seed_demo as seed_cultivation_demo  # 培养

    seed_cultivation_demo(stdout)
    from craftsman.demo_revocation import seed_demo as seed_revocation_demo  # 退出与待遇

    seed_revocation_demo(home, stdout)
