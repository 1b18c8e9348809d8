"""The printable application form (申报表) as PDF.

reportlab with its built-in CID font ``STSong-Light`` (Adobe-GB1): Chinese text
renders without embedding a font file, and the text stays extractable.
Personal data is printed in full: the form is what the applicant signs and the
unit files; only users who may see the submission can download it.
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=14, alignment=TA_CENTER)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
LABEL = ParagraphStyle("label", parent=CELL, alignment=TA_CENTER)


def _p(text, style=CELL):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _date(value, fmt="%Y年%m月%d日"):
    return value.strftime(fmt) if value else ""


def _grid(rows, widths):
    table = Table(
        [[_p(c, LABEL if i % 2 == 0 else CELL) for i, c in enumerate(row)] for row in rows],
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _section(label, content):
    table = Table([[_p(label, LABEL), _p(content)]], colWidths=[30 * mm, 150 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def application_form_pdf(submission):
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"“赣州工匠”申报表 {submission.name}",
        author="赣州市人力资源和社会保障局",
    )
    s = submission
    story = [
        _p(f"{s.round.year}年度“赣州工匠”培养选拔申报表", TITLE),
        _p(
            f"申报编号：{s.receipt_number or '（未提交）'}　　推荐单位：{s.recommending_unit or ''}",
            SUBTITLE,
        ),
        Spacer(1, 4 * mm),
    ]
    w = [30 * mm, 60 * mm, 30 * mm, 60 * mm]
    story.append(
        _grid(
            [
                ["姓名", s.name, "性别", s.get_gender_display()],
                ["民族", s.ethnicity, "出生日期", _date(s.birth_date, "%Y年%m月")],
                ["公民身份号码", s.id_number, "学历", s.get_education_display()],
                ["手机号码", s.mobile, "电子邮箱", s.email],
                [
                    "工作单位",
                    s.employer,
                    "工作地点",
                    f"{s.get_work_area_display()} {s.work_address}",
                ],
                ["所属产业", s.industry or "", "职业（工种）", s.occupation],
                [
                    "证书类别",
                    s.get_certificate_type_display(),
                    "技能等级",
                    s.get_skill_level_display() or "",
                ],
                [
                    "证书编号",
                    s.certificate_number,
                    "发证机构及日期",
                    f"{s.certificate_issuer} {_date(s.certificate_date)}",
                ],
                ["从事本职业年限", s.years_in_trade or "", "带徒人数", s.apprentices_count],
            ],
            w,
        )
    )
    conditions = "\n".join(
        f"{label}{title}：{account}" for label, title, account in s.claimed_conditions
    )
    competitions = "\n".join(str(c) for c in s.competitions.all()) or "无"
    honours = (
        "\n".join(
            f"{h.year} {h.title}（{h.get_level_display()}，{h.awarded_by}）"
            for h in s.honours.all()
        )
        or "无"
    )
    for label, content in [
        ("具备条件\n（第六条）", conditions or "—"),
        ("竞赛成绩", competitions),
        ("荣誉", honours),
        ("带徒传技", s.mentoring or "—"),
        ("专利、标准", "\n".join(filter(None, [s.patents, s.standards])) or "—"),
        ("主要业绩\n和贡献", s.achievements),
        (
            "诚信承诺",
            "本人承诺所填信息及提供的材料真实、准确、完整，如有弄虚作假，自愿承担相应责任"
            "（《办法》第十二条）。本人未入选国家级人才计划、省“双千计划”、省“双高工程”等"
            "省级以上人才工程和赣州市人才目录D类以上，无第六条所列不得参评情形。"
            f"\n签署时间：{_date(s.integrity_pledge_at and timezone.localtime(s.integrity_pledge_at))}"
            "　　申报人签名：",
        ),
        ("所在单位意见", "\n\n（盖章）　　　年　月　日"),
        (
            "推荐单位意见",
            (s.unit_comment or "")
            + (f"\n单位内推荐排序：第{s.recommendation_rank}位" if s.recommendation_rank else "")
            + "\n\n（盖章）　　　年　月　日",
        ),
    ]:
        story.append(_section(label, content))
    doc.build(story)
    return buffer.getvalue()


CERTIFICATE_TITLE = ParagraphStyle(
    "certificate_title", fontName=FONT, fontSize=30, leading=44, alignment=TA_CENTER
)
CERTIFICATE_BODY = ParagraphStyle(
    "certificate_body", fontName=FONT, fontSize=16, leading=30, wordWrap="CJK"
)
CERTIFICATE_RIGHT = ParagraphStyle(
    "certificate_right", fontName=FONT, fontSize=14, leading=24, alignment=2
)


def certificate_pdf(craftsman):
    """The certificate (art. 8: issued by 赣州市人民政府): name, number and date."""
    from craftsman.models.conferral import CERTIFICATE_ISSUER

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=40 * mm,
        bottomMargin=25 * mm,
        title=f"“赣州工匠”证书 {craftsman.certificate_number}",
        author=CERTIFICATE_ISSUER,
    )
    name = craftsman.submission.name
    story = [
        _p("荣誉证书", CERTIFICATE_TITLE),
        Spacer(1, 20 * mm),
        _p(
            f"{name}同志：\n　　经评审、公示并报市人民政府批准，授予您"
            f"{craftsman.title_year}年度“赣州工匠”称号。\n　　特发此证。",
            CERTIFICATE_BODY,
        ),
        Spacer(1, 30 * mm),
        _p(CERTIFICATE_ISSUER, CERTIFICATE_RIGHT),
        _p(_date(craftsman.conferred_on), CERTIFICATE_RIGHT),
        Spacer(1, 20 * mm),
        _p(f"证书编号：{craftsman.certificate_number}", CELL),
    ]
    doc.build(story)
    return buffer.getvalue()
