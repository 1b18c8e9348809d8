"""Demo content of the 通知公告 section: notices of the four types, two open calls, a result.

Everything here is fictitious: names, companies and document numbers only look
like the real thing.  ``seed_notices(home)`` is idempotent (pages are found by
slug; the demo forms are written once to fixed file names).
"""

from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from publications.collation import sort_by_surname_strokes
from publications.demo import _child
from publications.models import (
    NoticeIndexPage,
    NoticePage,
    NoticeType,
    OpenCallPage,
    ResultAnnouncementPage,
    ResultListEntry,
)

BUREAU = "赣州市人力资源和社会保障局"
CONTACT = (
    "受理科室：赣州市人力资源和社会保障局职业能力建设科\n"
    "办公电话：0797-8888888\n"
    "办公地址：江西省赣州市章贡区长征大道1号 市人社局\n"
    "办公时间：工作日 上午8:00-12:00，下午14:30-17:30"
)


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ol(*items):
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def _local(*args):
    return timezone.make_aware(datetime(*args))


# slug, type, document number, publish date, title, body
NOTICES = [
    (
        "2024-skills-competition",
        NoticeType.NOTICE,
        "赣市人社字〔2024〕21号",
        date(2024, 4, 8),
        "关于举办2024年赣州市职业技能大赛的通知",
        _p(
            "各县（市、区）人社局，市直有关单位：",
            "为深入实施技能强市战略，营造“崇尚技能、尊才用才”的社会氛围，经研究，决定举办2024年赣州市职业技能大赛。现将有关事项通知如下：",
            "一、竞赛项目。本届大赛设数控车工、电工、焊工、汽车维修工、中式烹调师、电子设备装接工等12个竞赛项目，分职工组和学生组。",
            "二、参赛对象。在我市行政区域内工作或就读、从事相关职业（工种）的人员均可报名；已获得“赣州工匠”称号的人员不再参赛。",
            "三、时间安排。各县（市、区）选拔赛于2024年6月30日前完成，市级决赛于2024年9月举行，具体时间、地点另行通知。",
            "四、奖励办法。各项目职工组获得前3名的选手，按规定申报晋升相应职业技能等级，并可作为“赣州工匠”培养选拔的推荐依据。",
        ),
    ),
    (
        "2024-consultation",
        NoticeType.ANNOUNCEMENT,
        "",
        date(2024, 9, 2),
        "关于调整“赣州工匠”申报咨询受理地点的公告",
        _p(
            "因办公场所调整，自2024年9月9日起，“赣州工匠”培养选拔申报咨询及纸质材料受理地点调整为：江西省赣州市章贡区长征大道1号市人社局一楼服务大厅3号窗口。",
            "咨询电话：0797-8888888（工作日 上午8:00-12:00，下午14:30-17:30）。",
            "原受理地点同日起不再接收申报材料。特此公告。",
        ),
    ),
    (
        "2024-master-studios-publicity",
        NoticeType.PUBLICITY,
        "",
        date(2024, 10, 21),
        "2024年度赣州市技能大师工作室拟认定名单公示",
        _p(
            "根据《赣州市技能大师工作室建设管理办法》，经单位申报、县（市、区）人社局推荐、专家评审，拟认定以下8个工作室为2024年度赣州市技能大师工作室，现予以公示。",
        )
        + _ol(
            "稀土冶炼技能大师工作室（赣州稀金科技有限公司）",
            "精密模具技能大师工作室（章贡区恒通精密模具厂）",
            "实木家具制作技能大师工作室（南康区木匠坊家具有限公司）",
            "服装制版技能大师工作室（于都县锦绣服装有限公司）",
            "客家菜烹饪技能大师工作室（瑞金市红都食品有限公司）",
            "电子装联技能大师工作室（信丰县鑫源电子有限公司）",
            "新能源汽车维修技能大师工作室（赣州经开区驰远汽车服务有限公司）",
            "脐橙种植技能大师工作室（寻乌县绿野果业专业合作社）",
        )
        + _p(
            "公示时间：2024年10月21日至2024年10月25日（5个工作日）。",
            "对公示对象有异议的，请在公示期内以书面形式实名向市人社局职业能力建设科反映，单位反映意见须加盖公章。联系电话：0797-8888888。",
        ),
    ),
    (
        "2024-master-studios",
        NoticeType.RESULT,
        "赣市人社字〔2024〕88号",
        date(2024, 11, 28),
        "关于公布2024年度赣州市技能大师工作室认定名单的通知",
        _p(
            "各县（市、区）人社局，市直有关单位：",
            "经单位申报、县（市、区）人社局推荐、专家评审和社会公示，认定稀土冶炼技能大师工作室等8个工作室为2024年度赣州市技能大师工作室，现予以公布。",
            "各工作室所在单位要为工作室开展技术攻关、技艺传承和带徒传技提供必要的场地、设备和经费保障，每年12月底前将工作室年度工作情况报送所在县（市、区）人社局。",
        ),
    ),
    (
        "platform-launch",
        NoticeType.ANNOUNCEMENT,
        "",
        date(2025, 1, 10),
        "“赣州工匠”培养选拔服务平台上线试运行公告",
        _p(
            "为方便申报人和推荐单位办事，“赣州工匠”培养选拔服务平台自2025年1月10日起上线试运行。",
            "申报人可通过平台在线填写申报表、上传证明材料、查询办理进度；推荐单位可在线审核、推荐。试运行期间，纸质材料受理渠道同步保留。",
            "平台使用中遇到问题，请在工作日拨打0797-8888888咨询。",
        ),
    ),
    (
        "2024-competition-results",
        NoticeType.RESULT,
        "赣市人社字〔2025〕5号",
        date(2025, 2, 20),
        "关于公布2024年赣州市职业技能大赛获奖名单的通知",
        _p(
            "各县（市、区）人社局，市直有关单位：",
            "2024年赣州市职业技能大赛于2024年9月至10月举行，经各项目裁判组评定、组委会审核并公示无异议，现将获奖名单予以公布（见附件）。",
            "希望获奖选手珍惜荣誉、再接再厉，在本职岗位上发挥示范引领作用。各单位要以大赛为契机，大力弘扬劳模精神、劳动精神、工匠精神。",
        ),
    ),
    (
        "2025-training-survey",
        NoticeType.NOTICE,
        "赣市人社字〔2025〕12号",
        date(2025, 3, 18),
        "关于做好2025年度“赣州工匠”培养选拔前期摸底工作的通知",
        _p(
            "各县（市、区）人社局，市直有关行业主管部门：",
            "为做好2025年度“赣州工匠”培养选拔工作，请各单位对本地区、本行业生产服务一线高技能人才情况进行摸底，重点关注服务我市“1+5+N”产业发展的技术技能人才。",
            "摸底对象原则上应取得高级工及以上等级的职业资格证书或职业技能等级证书、职业农民职称证书。",
            "请于2025年4月15日前将摸底情况报送市人社局职业能力建设科。",
        ),
    ),
    (
        "no-fees",
        NoticeType.ANNOUNCEMENT,
        "",
        date(2025, 5, 6),
        "关于“赣州工匠”培养选拔不收取任何费用的公告",
        _p(
            "根据《赣州市“赣州工匠”培养选拔管理办法》第十三条，开展“赣州工匠”培养选拔活动，不得以任何形式向参评单位和个人收取费用或变相收费。",
            "培养选拔不收取任何费用，也从未委托任何机构代理申报。凡以“代办申报”“包过评审”等名义收取费用的，均与本次培养选拔无关。",
            "如发现以培养选拔名义收费的，请向市人社局反映，联系电话：0797-8888888。",
        ),
    ),
    (
        "2025-competition-awards-publicity",
        NoticeType.PUBLICITY,
        "",
        date(2025, 8, 15),
        "2025年赣州市职业技能大赛拟表彰选手名单公示",
        _p(
            "2025年赣州市职业技能大赛已圆满结束。经各项目裁判组评定、组委会审核，拟对各项目职工组前3名、学生组前3名共72名选手予以表彰，现将名单予以公示（见附件）。",
            "公示时间：2025年8月15日至2025年8月21日（5个工作日）。",
            "对公示对象有异议的，请在公示期内以书面形式实名向大赛组委会办公室（设在市人社局职业能力建设科）反映，逾期不予受理。",
        ),
    ),
    (
        "2025-cultivation-report",
        NoticeType.NOTICE,
        "赣市人社字〔2025〕86号",
        date(2025, 10, 9),
        "关于报送2025年度“赣州工匠”培养情况的通知",
        _p(
            "各“赣州工匠”所在单位：",
            "根据《赣州市“赣州工匠”培养选拔管理办法》第十一条，“赣州工匠”获得者所在单位负责日常培养和管理，每年将年度培养情况报送至市人社局。",
            "请各单位于2025年11月30日前，通过“赣州工匠”培养选拔服务平台报送本单位“赣州工匠”2025年度培养情况，内容包括带徒传技、技术攻关、技能研修培训和参加公益活动等。",
        ),
    ),
]

ELIGIBILITY = (
    _p(
        "在赣州市行政区域内工作（居住）的中华人民共和国公民，从事生产服务一线特别是服务我市“1+5+N”产业发展的技术技能工作，热爱祖国、拥护党的路线方针政策、具有良好的职业道德和敬业精神，原则上取得高级工及以上等级的职业资格证书或职业技能等级证书、职业农民职称证书，并具备以下条件之一：",
    )
    + _ol(
        "具有工艺专长，在实施工艺、技术等方面拥有不可替代、至关重要的地位；",
        "掌握高超技能，技能、技艺在本单位、本行业、本领域处于领先水平；",
        "体现领军作用，善于攻坚克难，热心带教徒弟、传授技艺；",
        "具有出色的传承技艺，在传承传统工艺、技艺上做出显著贡献；",
        "在某项生产领域创新业绩突出，取得显著经济效益和社会效益；",
        "在企业技术改造、高新技术设备使用中解决关键技术难题；",
        "获得全国职业技能大赛前10名，省级一类大赛前6名、二类大赛前3名，或市级一类大赛前3名。",
    )
    + _p(
        "已入选“国家级人才计划”、省“双千计划”、省“双高工程”高技能领军人才等省级以上人才工程和入选赣州市人才目录D类以上的人才，不再参与培养选拔。有刑事犯罪记录、侵犯知识产权或涉嫌侵犯知识产权正在接受调查，或有其他严重违法违规行为的，不得参加评选。",
    )
)

MATERIALS = [
    ("“赣州工匠”培养选拔申报表", "一式三份，须经所在单位签署意见并加盖公章", True),
    ("居民身份证", "复印件，仅用于资格审核，不对外公开", True),
    ("职业资格证书、职业技能等级证书或职业农民职称证书", "复印件，验原件", True),
    ("主要业绩和贡献材料", "3000字以内，附相关证明材料", True),
    ("获奖证书、专利证书等", "复印件", False),
    ("推荐单位推荐函", "由县（市、区）人社局或市直有关行业主管部门出具", True),
]


def _open_call_body(year, window_text):
    return _p(
        "各县（市、区）人社局，市直有关行业主管部门，驻市有关单位：",
        f"根据《赣州市“赣州工匠”培养选拔管理办法》，现就开展{year}年度“赣州工匠”培养选拔工作有关事项通知如下：",
        "一、选拔名额。本年度培养选拔“赣州工匠”15名左右。",
        f"二、申报时间。{window_text}。逾期不予受理。",
        "三、工作程序。按照个人申报、单位推荐、专家评审、社会公示、市政府批准公布的程序进行。符合条件的个人自愿申请，向所在县（市、区）人社局或市直有关行业主管部门申报；推荐单位对申报材料的真实性进行审核，择优向市人社局推荐。",
        "四、激励措施。对培养选拔产生的“赣州工匠”，由市人民政府颁发证书，并给予一次性奖励人民币3万元，纳入市人才目录，享受相应人才待遇。",
        "五、工作要求。各推荐单位要严格把关，坚持公正、公平、公开原则。培养选拔活动不收取任何费用。对弄虚作假的，一经查实，取消其申报资格。",
    )


def _demo_document(title, filename, text):
    """A small PDF at a fixed name, written once; the Document found or created by title."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document:
        return document
    name = f"documents/demo/{filename}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(_pdf(text)))
    document = Document(title=title, file=name)
    document._set_document_file_metadata()
    document.save()
    return document


def _pdf(text):
    """A one-page PDF showing ``text`` (ASCII), valid enough for any reader."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _attachments(*documents):
    return [("attachment", {"title": "", "document": document}) for document in documents]


# name, gender, employer, occupation (all fictitious)
RESULT_2024 = [
    ("丁志强", "男", "赣州稀金科技有限公司", "稀土冶炼工"),
    ("王秀英", "女", "于都县锦绣服装有限公司", "服装制版师"),
    ("邓家明", "男", "章贡区恒通精密模具厂", "模具工"),
    ("刘桂香", "女", "瑞金市红都食品有限公司", "中式烹调师"),
    ("李建华", "男", "赣州经开区驰远汽车服务有限公司", "汽车维修工"),
    ("杨国平", "男", "龙南市稀土功能材料有限公司", "稀土冶炼工"),
    ("肖红梅", "女", "信丰县鑫源电子有限公司", "电子设备装接工"),
    ("吴永兴", "男", "南康区木匠坊家具有限公司", "家具制作工"),
    ("张伟东", "男", "赣州华钨硬质合金有限公司", "硬质合金成型工"),
    ("陈金生", "男", "赣县区宏达机械制造有限公司", "车工"),
    ("罗小燕", "女", "赣州康宁制药有限公司", "药物制剂工"),
    ("钟德胜", "男", "赣州恒源电力工程有限公司", "电工"),
    ("赖春生", "男", "宁都县客家米酒酿造厂", "酿酒师"),
    ("谢文军", "男", "赣州蓉江新区建工集团有限公司", "焊工"),
    ("曾庆华", "女", "寻乌县绿野果业专业合作社", "农艺工"),
]


@transaction.atomic
def seed_notices(home):
    section = _child(
        home,
        NoticeIndexPage,
        "notices",
        title="通知公告",
        show_in_menus=True,
        intro="“赣州工匠”培养选拔的通知、公告、公示和公布。",
    )
    for slug, notice_type, number, published, title, body in NOTICES:
        _child(
            section,
            NoticePage,
            slug,
            title=title,
            notice_type=notice_type,
            document_number=number,
            issuing_body=BUREAU,
            publish_date=published,
            body=body,
        )

    _child(
        section,
        OpenCallPage,
        "open-call-2025",
        title="关于开展2025年度“赣州工匠”培养选拔工作的通知",
        document_number="赣市人社字〔2025〕38号",
        publish_date=date(2025, 5, 20),
        year=2025,
        window_start=_local(2025, 5, 26, 8, 30),
        window_end=_local(2025, 6, 25, 17, 30),
        quota=15,
        body=_open_call_body(2025, "2025年5月26日至2025年6月25日"),
        eligibility=ELIGIBILITY,
        materials=[("material", {"name": n, "note": t, "required": r}) for n, t, r in MATERIALS],
        contact=CONTACT,
    )
    form = _demo_document(
        "2026年度“赣州工匠”培养选拔申报表",
        "gzgj-2026-application-form.pdf",
        "Ganzhou Craftsman 2026 - application form (demo file)",
    )
    summary = _demo_document(
        "2026年度“赣州工匠”推荐人选汇总表",
        "gzgj-2026-recommendation-summary.pdf",
        "Ganzhou Craftsman 2026 - recommendation summary (demo file)",
    )
    _child(
        section,
        OpenCallPage,
        "open-call-2026",
        title="关于开展2026年度“赣州工匠”培养选拔工作的通知",
        document_number="赣市人社字〔2026〕71号",
        publish_date=date(2026, 11, 3),
        year=2026,
        window_start=_local(2026, 11, 10, 8, 30),
        window_end=_local(2026, 12, 10, 17, 30),
        quota=15,
        body=_open_call_body(2026, "2026年11月10日8:30至2026年12月10日17:30"),
        eligibility=ELIGIBILITY,
        materials=[("material", {"name": n, "note": t, "required": r}) for n, t, r in MATERIALS],
        attachments=_attachments(form, summary),
        contact=CONTACT,
    )

    entries = sort_by_surname_strokes(RESULT_2024, key=lambda row: row[0])
    _child(
        section,
        ResultAnnouncementPage,
        "result-2024",
        title="关于公布2024年度“赣州工匠”名单的通知",
        document_number="赣市人社字〔2024〕95号",
        publish_date=date(2024, 12, 26),
        approval_document_number="赣市府字〔2024〕58号",
        approval_date=date(2024, 12, 20),
        body=_p(
            "各县（市、区）人社局，市直有关单位：",
            f"根据《赣州市“赣州工匠”培养选拔管理办法》，经个人申报、单位推荐、专家评审和社会公示，并报市人民政府批准，{entries[0][0]}等{len(entries)}名同志被确定为2024年度“赣州工匠”，现予以公布。",
            "希望受到表彰的同志珍惜荣誉，发挥示范引领作用，积极带徒传技。各单位要做好“赣州工匠”的日常培养和管理，每年将年度培养情况报送市人社局。",
        ),
        entries=[
            ResultListEntry(
                sort_order=order, name=name, gender=gender, employer=employer, occupation=occupation
            )
            for order, (name, gender, employer, occupation) in enumerate(entries)
        ],
    )
    return section
