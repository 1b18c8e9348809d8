"""Demo content of 公示 and 异议: one notice open now, one closed in 2025, two objections.

Everything is fictitious: names, companies, phone numbers.  ``seed_publicity(home)``
is idempotent: pages are found by slug, objections by notice, name and content.

The open notice starts on Monday 23 November 2026 and runs 5 working days, to
Friday 27 November (``chinese-calendar`` covers 2026 but not 2027, so a demo
period must end within 2026).  It is a 市级技术能手 list rather than a 赣州工匠
one, which also shows that the publicity machinery is not tied to one programme
(the 2026 赣州工匠 call is still open for applications in the demo).
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from publications.demo import _child
from publications.models import (
    NoticeIndexPage,
    Objection,
    ObjectionStatus,
    ObjectorType,
    PublicityEntry,
    PublicityNoticePage,
)
from publications.objection_actions import record_verification, submit_objection
from publications.workdays import SHANGHAI
from website.uploads import clean_upload

BUREAU = "赣州市人力资源和社会保障局"
OBJECTION_CONTACT = {
    "objection_unit": "赣州市人力资源和社会保障局职业能力建设科",
    "objection_phone": "0797-8888888",
    "objection_email": "gzgj@example.gov.cn",
    "objection_address": "江西省赣州市章贡区长征大道1号 市人社局职业能力建设科（邮编341000）",
    "office_hours": "工作日 上午8:00-12:00，下午14:30-17:30",
}

# name, gender, employer, occupation, skill level, recommending unit — in the order
# the units sent them, not in stroke order: the page sorts them.
OPEN_2026 = [
    ("许文斌", "男", "南康区鑫龙木业有限公司", "家具制作工", "高级技师", "南康区人社局"),
    ("毛建国", "男", "南康区宏宇家具有限公司", "家具制作工", "技师", "南康区人社局"),
    ("方丽娟", "女", "赣州虔东新材料有限公司", "化学检验员", "高级技师", "章贡区人社局"),
    ("朱国强", "男", "赣州华联重工机械有限公司", "焊工", "高级技师", "章贡区人社局"),
    ("王海峰", "男", "龙南市和利稀土冶炼有限公司", "稀土冶炼工", "高级技师", "龙南市人社局"),
    ("钟建平", "男", "龙南市精工机械制造有限公司", "数控车工", "技师", "龙南市人社局"),
    ("刘春华", "女", "于都县锦隆服饰有限公司", "服装制版师", "高级工", "于都县人社局"),
    ("李红英", "女", "瑞金市客家风味食品有限公司", "中式面点师", "技师", "瑞金市人社局"),
    ("杨志明", "男", "赣县区金钨新材料有限公司", "硬质合金成型工", "高级技师", "赣县区人社局"),
    ("江涛", "男", "信丰县鑫盛电子科技有限公司", "电子设备装接工", "技师", "信丰县人社局"),
    ("何小平", "男", "兴国县永丰汽车维修有限公司", "汽车维修工", "技师", "兴国县人社局"),
    ("赖小军", "男", "宁都县宏发焊接工程有限公司", "焊工", "技师", "宁都县人社局"),
    ("尹志华", "男", "赣州经开区佳瑞精密机械有限公司", "数控车工", "技师", "赣州经开区人社局"),
    ("邱美玲", "女", "赣州康馨医药有限公司", "药物制剂工", "高级工", "市工业和信息化局"),
    ("温志坚", "男", "赣州恒安电力安装有限公司", "电工", "高级技师", "市国资委"),
]

CLOSED_2025 = [
    ("叶国华", "男", "章贡区通达精密机械有限公司", "数控车工", "高级技师", "章贡区人社局"),
    ("孙丽华", "女", "于都县华鑫服装有限公司", "服装制版师", "高级技师", "于都县人社局"),
    ("严志勇", "男", "赣州稀金新材料有限公司", "稀土冶炼工", "高级技师", "赣州经开区人社局"),
    ("汤振宇", "男", "南康区华森家具有限公司", "家具制作工", "高级技师", "南康区人社局"),
    ("宋春燕", "女", "瑞金市绿源食品有限公司", "中式烹调师", "技师", "瑞金市人社局"),
    ("林海东", "男", "龙南市南方稀土有限公司", "稀土冶炼工", "高级技师", "龙南市人社局"),
    ("周建新", "男", "信丰县鸿达电子有限公司", "电子设备装接工", "技师", "信丰县人社局"),
    ("胡家平", "男", "赣州宏远电力建设有限公司", "电工", "高级技师", "市国资委"),
    ("袁晓明", "男", "赣县区金泰硬质合金有限公司", "硬质合金成型工", "高级技师", "赣县区人社局"),
    ("郭红梅", "女", "赣州仁和药业有限公司", "药物制剂工", "技师", "市工业和信息化局"),
    ("廖文华", "男", "兴国县华兴焊接工程有限公司", "焊工", "高级技师", "兴国县人社局"),
    ("蓝建春", "男", "全南县鑫达模具有限公司", "模具工", "技师", "全南县人社局"),
]


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _entries(rows):
    return [
        PublicityEntry(
            sort_order=order,
            name=name,
            gender=gender,
            employer=employer,
            occupation=occupation,
            skill_level=level,
            recommending_unit=unit,
        )
        for order, (name, gender, employer, occupation, level, unit) in enumerate(rows)
    ]


def _section(home):
    """The 通知公告 section if there is one, else the home page."""
    return NoticeIndexPage.objects.child_of(home).filter(slug="notices").first() or (
        NoticeIndexPage.objects.child_of(home).first() or home
    )


def _demo_pdf(text: str) -> bytes:
    """A tiny valid PDF showing one line of ASCII text."""
    stream = f"BT /F1 14 Tf 40 100 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _beijing(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def _seed_objection(
    notice,
    *,
    entry_name,
    objector_type,
    real_name,
    phone,
    work_unit,
    content,
    received,
    evidence=None,
):
    existing = Objection.objects.filter(notice=notice, real_name=real_name, content=content).first()
    if existing:
        return existing
    entry = notice.entries.filter(name=entry_name).first()
    files = [
        clean_upload(SimpleUploadedFile(name, data, content_type="application/pdf"))
        for name, data in (evidence or [])
    ]
    cleaned = {
        "objector_type": objector_type,
        "real_name": real_name,
        "phone": phone,
        "work_unit": work_unit,
        "entry": entry,
        "content": content,
        "evidence": files,
    }
    return submit_objection(notice, cleaned, ip="127.0.0.1", now=received)


@transaction.atomic
def seed_publicity(home):
    section = _section(home)
    closed = _child(
        section,
        PublicityNoticePage,
        "publicity-2025-gzgj",
        title="2025年度“赣州工匠”拟入选人员名单公示",
        document_number="",
        issuing_body=BUREAU,
        publish_date=date(2025, 9, 28),
        body=_p(
            "根据《赣州市“赣州工匠”培养选拔管理办法》，经个人申报、单位推荐和专家评审，"
            "拟确定叶国华等12名同志为2025年度“赣州工匠”入选人员，现予以公示。",
        ),
        start_date=date(2025, 9, 29),
        working_days=5,
        list_caption="2025年度“赣州工匠”拟入选人员名单",
        entries=_entries(CLOSED_2025),
        **OBJECTION_CONTACT,
    )
    open_notice = _child(
        section,
        PublicityNoticePage,
        "publicity-2026-technical-experts",
        title="2026年度赣州市技术能手拟表彰人员名单公示",
        issuing_body=BUREAU,
        publish_date=date(2026, 11, 20),
        body=_p(
            "为大力弘扬劳模精神、劳动精神、工匠精神，经各县（市、区）人社局和市直有关部门推荐、"
            "专家评审，拟授予王海峰等15名同志“赣州市技术能手”称号，现予以公示。",
        ),
        start_date=date(2026, 11, 23),
        working_days=5,
        list_caption="2026年度赣州市技术能手拟表彰人员名单",
        entries=_entries(OPEN_2026),
        **OBJECTION_CONTACT,
    )

    _seed_objection(
        open_notice,
        entry_name="许文斌",
        objector_type=ObjectorType.PERSON,
        real_name="林晓东",
        phone="13907970001",
        work_unit="南康区某家具企业",
        content=(
            "公示名单中许文斌同志申报材料所列“2024年全省家具制作职业技能竞赛第二名”，"
            "据本人了解该届竞赛家具制作项目第二名另有其人，请予核实。"
        ),
        received=_beijing(2026, 11, 24, 9, 42),
    )
    checking = _seed_objection(
        open_notice,
        entry_name="毛建国",
        objector_type=ObjectorType.UNIT,
        real_name="陈立新",
        phone="0797-6688123",
        work_unit="南康区家具行业协会",
        content=(
            "我会收到会员单位反映：毛建国同志所在单位2025年曾因安全生产问题被责令停产整顿，"
            "其本人作为车间负责人是否负有责任，请予核查。附我会加盖公章的书面材料。"
        ),
        received=_beijing(2026, 11, 24, 15, 10),
        evidence=[("南康区家具行业协会异议函.pdf", _demo_pdf("Demo objection letter (sealed)"))],
    )
    if checking.status == ObjectionStatus.RECEIVED:
        staff = get_user_model().objects.filter(username="bureau").first()
        record_verification(
            checking.pk,
            user=staff,
            status=ObjectionStatus.CHECKING,
            notes="已函请南康区人社局和区应急管理局核实，待书面回复。",
            reply="",
            now=_beijing(2026, 11, 25, 10, 0),
        )
    return open_notice, closed
