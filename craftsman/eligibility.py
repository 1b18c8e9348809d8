"""The eligibility engine: article 6 of the measures as a list of rules.

Each rule cites its article and clause and returns a :class:`Result`
(passed / failed / warning / not applicable) with a Chinese explanation.
``evaluate(submission)`` runs every rule into a :class:`Report`.  Hard
failures block submission (``craftsman.workflow``); warnings are shown to the
applicant and to reviewers ("原则上" in the measures means a warning, not a
refusal).  Rules read the child rows through ``.all()`` so that a prefetched
queryset costs no extra queries.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from craftsman.models.submissions import (
    ACHIEVEMENTS_MAX_LENGTH,
    DISQUALIFICATION_FIELDS,
    EXCLUSION_FIELDS,
    CertificateType,
    CompetitionResult,
    Honour,
    SkillLevel,
    SubmissionAttachment,
)
from craftsman.validators import (
    GANZHOU_AREAS,
    gender_from_id,
    resident_id_warnings,
    validate_resident_id,
)

PASSED = "passed"
FAILED = "failed"
WARNING = "warning"
NOT_APPLICABLE = "n/a"
STATUS_LABELS = {
    PASSED: _("符合"),
    FAILED: _("不符合"),
    WARNING: _("需关注"),
    NOT_APPLICABLE: _("不适用"),
}

# Article 6 (七): the best rank that still qualifies, by competition level.
CONDITION_7_THRESHOLDS = {
    CompetitionResult.Level.NATIONAL: 10,
    CompetitionResult.Level.PROVINCIAL_1: 6,
    CompetitionResult.Level.PROVINCIAL_2: 3,
    CompetitionResult.Level.CITY_1: 3,
}
# Art. 6: 原则上取得高级工及以上.
MINIMUM_LEVEL = SkillLevel.LEVEL_3


def meets_condition_7(result):
    limit = CONDITION_7_THRESHOLDS.get(result.level)
    return limit is not None and result.rank <= limit


@dataclass
class Result:
    status: str
    message: str
    rule: "Rule" = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def passed(message):
    return Result(PASSED, message)


def failed(message):
    return Result(FAILED, message)


def warning(message):
    return Result(WARNING, message)


def not_applicable(message):
    return Result(NOT_APPLICABLE, message)


@dataclass(frozen=True)
class Rule:
    key: str
    article: str
    clause: str
    title: str
    check_function: object

    @property
    def citation(self):
        return f"{self.article}{self.clause}"

    def check(self, submission):
        result = self.check_function(submission)
        result.rule = self
        return result


@dataclass
class Report:
    items: list = field(default_factory=list)

    @property
    def failures(self):
        return [item for item in self.items if item.status == FAILED]

    @property
    def warnings(self):
        return [item for item in self.items if item.status == WARNING]

    @property
    def has_failures(self):
        return bool(self.failures)

    @property
    def outcome(self):
        if self.failures:
            return FAILED
        if self.warnings:
            return WARNING
        return PASSED

    @property
    def outcome_label(self):
        return {
            FAILED: _("不符合申报条件"),
            WARNING: _("基本符合，有需关注事项"),
            PASSED: _("符合申报条件"),
        }[self.outcome]

    def get(self, key):
        return next(item for item in self.items if item.rule.key == key)

    def summary(self):
        """The failures as one Chinese sentence, for a refusal message."""
        return "；".join(f"{item.rule.title}：{item.message}" for item in self.failures)


# --- the rules -------------------------------------------------------------


def check_identity(submission):
    try:
        validate_resident_id(submission.id_number)
    except ValidationError as error:
        return failed(" ".join(str(m) for m in error.messages))
    notes = resident_id_warnings(submission.id_number)
    if notes:
        return warning(" ".join(str(n) for n in notes))
    return passed(_("公民身份号码有效。"))


def check_basic_information(submission):
    missing = [
        str(label)
        for value, label in [
            (submission.name, _("姓名")),
            (submission.mobile, _("手机号码")),
            (submission.employer, _("工作单位")),
            (submission.occupation, _("职业（工种）")),
        ]
        if not (value or "").strip()
    ]
    if missing:
        return failed(_("请填写：%(fields)s。") % {"fields": "、".join(missing)})
    return passed(_("基本信息已填写。"))


def check_gender_matches_id(submission):
    if len(submission.id_number or "") != 18 or not submission.gender:
        return not_applicable(_("未填写性别或身份证号。"))
    try:
        expected = gender_from_id(submission.id_number)
    except ValueError:
        return not_applicable(_("身份证号无效。"))
    if expected != submission.gender:
        return warning(_("所填性别与身份证号不一致，请核对。"))
    return passed(_("性别与身份证号一致。"))


def check_works_in_ganzhou(submission):
    area = submission.work_area
    if not area:
        return failed(_("请填写工作地点所在县（市、区）：须在赣州市行政区域内工作（居住）。"))
    if area == "outside":
        return failed(
            _("工作地点不在赣州市行政区域内，不符合第六条“在赣州市行政区域内工作（居住）”的要求。")
        )
    name = GANZHOU_AREAS.get(area) or submission.get_work_area_display()
    return passed(_("在赣州市行政区域内工作：%(area)s。") % {"area": name})


def check_industry(submission):
    industry = submission.industry
    if industry is None:
        return warning(_("未选择所属产业：第六条要求从事生产服务一线，特别是服务“1+5+N”产业。"))
    if industry.group == industry.Group.OTHER:
        return warning(
            _("所属产业“%(name)s”不在“1+5+N”产业体系内：第六条优先服务“1+5+N”产业发展。")
            % {"name": industry.name}
        )
    return passed(_("服务“1+5+N”产业：%(name)s。") % {"name": industry.name})


def check_qualification(submission):
    if not submission.certificate_type:
        return warning(
            _("未填写职业资格或技能等级证书：第六条原则上要求取得高级工及以上等级证书。")
        )
    if submission.certificate_type == CertificateType.FARMER_TITLE:
        return passed(_("持有职业农民职称证书。"))
    level = submission.skill_level
    if level is None:
        return warning(_("未填写技能等级：第六条原则上要求高级工及以上。"))
    label = SkillLevel(level).label
    if level < MINIMUM_LEVEL:
        return warning(
            _(
                "技能等级为%(level)s，低于高级工：第六条“原则上”要求高级工及以上，请推荐单位重点审核。"
            )
            % {"level": label}
        )
    if not submission.certificate_number.strip():
        return warning(_("技能等级为%(level)s，但未填写证书编号。") % {"level": label})
    return passed(_("技能等级为%(level)s，达到高级工及以上。") % {"level": label})


def check_conditions(submission):
    claimed = [label for label, _title, _account in submission.claimed_conditions]
    if any(meets_condition_7(result) for result in submission.competitions.all()):
        claimed.append("（七）")
    if not claimed:
        return failed(
            _(
                "未具备第六条（一）至（七）中的任何一项条件：请至少选择一项条件并说明具体情况，"
                "或填写达到条件（七）名次要求的竞赛成绩。"
            )
        )
    return passed(_("具备条件%(conditions)s。") % {"conditions": "、".join(claimed)})


def check_condition_7(submission):
    results = list(submission.competitions.all())
    if not results:
        return not_applicable(_("未填写职业技能大赛成绩。"))
    qualifying = [result for result in results if meets_condition_7(result)]
    if qualifying:
        return passed(
            _("%(results)s，达到条件（七）的名次要求。")
            % {"results": "；".join(str(result) for result in qualifying)}
        )
    return warning(
        _(
            "所填竞赛成绩未达到条件（七）的名次要求（全国前10名、省级一类前6名、省级二类前3名、市级一类前3名）。"
        )
    )


def check_exclusions(submission):
    found = [str(label) for name, label in EXCLUSION_FIELDS if getattr(submission, name)]
    if found:
        return failed(
            _("%(found)s：已入选省级以上人才工程或市人才目录 D 类以上的人才不再参与培养选拔。")
            % {"found": "、".join(found)}
        )
    return passed(_("未入选国家级、省级人才工程或市人才目录 D 类以上。"))


def check_disqualifications(submission):
    found = [
        f"{number}. {label}"
        for name, number, label in DISQUALIFICATION_FIELDS
        if getattr(submission, name)
    ]
    if found:
        return failed(_("有不得参加评选的情形：%(found)s。") % {"found": "；".join(found)})
    return passed(_("无不得参加评选的情形。"))


def check_county_craftsman(submission):
    if any(h.kind == Honour.Kind.COUNTY_CRAFTSMAN for h in submission.honours.all()):
        return passed(_("已获评县级工匠：同等条件下优先培养选拔。"))
    return not_applicable(_("未获评县级工匠。"))


def check_achievements(submission):
    text = (submission.achievements or "").strip()
    if not text:
        return failed(_("请填写主要业绩和贡献。"))
    if len(text) > ACHIEVEMENTS_MAX_LENGTH:
        return failed(
            _("主要业绩和贡献不能超过 %(limit)d 字（当前 %(length)d 字）。")
            % {"limit": ACHIEVEMENTS_MAX_LENGTH, "length": len(text)}
        )
    return passed(_("已填写主要业绩和贡献（%(length)d 字）。") % {"length": len(text)})


def check_declarations(submission):
    missing = []
    if not submission.declarations_confirmed_at:
        missing.append(str(_("确认人才工程和不得参评情形的声明")))
    if not submission.integrity_pledge_at:
        missing.append(str(_("签署诚信承诺")))
    if not submission.publication_consent_at:
        missing.append(str(_("单独同意在公示、公布中公开姓名、工作单位和职业（工种）")))
    if missing:
        return failed(_("尚未%(missing)s。") % {"missing": "、".join(missing)})
    return passed(_("已确认声明、签署诚信承诺并同意公开。"))


def check_attachments(submission):
    present = {attachment.kind for attachment in submission.attachments.all()}
    missing = [
        str(SubmissionAttachment.Kind(kind).label)
        for kind in SubmissionAttachment.REQUIRED_KINDS
        if kind not in present
    ]
    if missing:
        return failed(_("缺少附件：%(missing)s。") % {"missing": "、".join(missing)})
    return passed(_("必需附件齐全。"))


def check_recommending_unit(submission):
    if not submission.recommending_unit_id:
        return failed(
            _("请选择推荐单位：向县（市、区）人社局、市直有关行业主管部门（含驻市有关单位）申报。")
        )
    return passed(_("向%(unit)s申报。") % {"unit": submission.recommending_unit})


RULES = [
    Rule("identity", "第六条", "", _("中华人民共和国公民（身份证号）"), check_identity),
    Rule("basic", "第七条", "（一）", _("按规定填写申报材料"), check_basic_information),
    Rule("gender", "第七条", "（一）", _("性别与身份证号一致"), check_gender_matches_id),
    Rule("location", "第六条", "", _("在赣州市行政区域内工作（居住）"), check_works_in_ganzhou),
    Rule("industry", "第六条", "", _("服务“1+5+N”产业发展"), check_industry),
    Rule("qualification", "第六条", "", _("高级工及以上等级证书（原则上）"), check_qualification),
    Rule("conditions", "第六条", "（一）至（七）", _("具备条件之一"), check_conditions),
    Rule("condition_7", "第六条", "（七）", _("职业技能大赛名次"), check_condition_7),
    Rule("exclusions", "第六条", "", _("未入选国家级、省级人才工程"), check_exclusions),
    Rule("disqualifications", "第六条", "1至3", _("无不得参评情形"), check_disqualifications),
    Rule("county_craftsman", "第六条", "", _("县级工匠优先"), check_county_craftsman),
    Rule("achievements", "第三条", "", _("主要业绩和贡献"), check_achievements),
    Rule("declarations", "第七条", "（一）", _("声明、诚信承诺和公开同意"), check_declarations),
    Rule("attachments", "第七条", "（一）", _("申报附件"), check_attachments),
    Rule("unit", "第七条", "（一）", _("推荐单位"), check_recommending_unit),
]


def evaluate(submission, rules=None):
    """Run every rule over ``submission`` and return the :class:`Report`."""
    return Report(items=[rule.check(submission) for rule in rules or RULES])
