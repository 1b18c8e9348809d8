"""申报材料: one person's application in one round, its parts, its attachments and its timeline.

State changes go through :mod:`craftsman.workflow` only; the methods here
(``submit``, ``withdraw``, ``return_for_correction``, ``decline``,
``recommend``) are thin wrappers that read like the domain.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from craftsman.models.reference import Industry, RecommendingUnit, SelectionRound
from craftsman.roles import is_bureau, unit_ids_for
from craftsman.storage import private_storage
from craftsman.validators import (
    GANZHOU_AREAS,
    birth_date_from_id,
    gender_from_id,
    normalize_resident_id,
    validate_mobile,
    validate_resident_id,
)
from website.privacy import mask_id_number, mask_phone

ACHIEVEMENTS_MAX_LENGTH = 2000


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    DECLINED = "declined", _("不予推荐")
    RECOMMENDED = "recommended", _("已推荐")
    # Review states: their transitions come with the review (issue 5).
    REVIEWING = "reviewing", _("评审中")
    SHORTLISTED = "shortlisted", _("拟入选")
    IN_PUBLICITY = "in_publicity", _("公示中")
    AWAITING_APPROVAL = "awaiting_approval", _("待批准")
    CONFERRED = "conferred", _("已认定")
    NOT_SELECTED = "not_selected", _("未入选")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    JUNIOR = "junior", _("初中及以下")
    SENIOR = "senior", _("高中、中专、技校")
    COLLEGE = "college", _("大专、高职")
    BACHELOR = "bachelor", _("大学本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class CertificateType(models.TextChoices):
    QUALIFICATION = "qualification", _("职业资格证书")
    SKILL_LEVEL = "skill_level", _("职业技能等级证书")
    FARMER_TITLE = "farmer_title", _("职业农民职称证书")


class SkillLevel(models.IntegerChoices):
    """The 2022 eight-level ladder; the values order the levels."""

    APPRENTICE = 1, _("学徒工")
    LEVEL_5 = 2, _("五级/初级工")
    LEVEL_4 = 3, _("四级/中级工")
    LEVEL_3 = 4, _("三级/高级工")
    LEVEL_2 = 5, _("二级/技师")
    LEVEL_1 = 6, _("一级/高级技师")
    MASTER = 7, _("特级技师")
    CHIEF = 8, _("首席技师")


# The applicant's answers, in the order of the application form's steps: the online
# form's steps (craftsman.application.forms) and the admin's edit form
# (craftsman.views.viewsets) are both built from these lists.
PERSON_FIELDS = ["name", "id_number", "gender", "ethnicity", "mobile", "email", "education"]
WORK_FIELDS = [
    "employer",
    "work_area",
    "work_address",
    "industry",
    "occupation",
    "years_in_trade",
    "certificate_type",
    "skill_level",
    "certificate_number",
    "certificate_issuer",
    "certificate_date",
]
ACHIEVEMENT_FIELDS = [
    "condition_1",
    "condition_2",
    "condition_3",
    "condition_4",
    "condition_5",
    "condition_6",
    "condition_7",
    "apprentices_count",
    "mentoring",
    "patents",
    "standards",
    "achievements",
]

# Conditions (一)–(六) of article 6 are claimed with an account each; (七) is
# decided from the competition results.
CONDITION_FIELDS = [
    ("condition_1", "（一）", _("具有工艺专长")),
    ("condition_2", "（二）", _("掌握高超技能")),
    ("condition_3", "（三）", _("体现领军作用")),
    ("condition_4", "（四）", _("具有出色的传承技艺")),
    ("condition_5", "（五）", _("创新业绩突出")),
    ("condition_6", "（六）", _("解决关键技术难题")),
]
# Art. 6: already in one of these talent programmes → not eligible.
EXCLUSION_FIELDS = [
    ("in_national_talent_programme", _("已入选国家级人才计划")),
    ("in_double_thousand_plan", _("已入选江西省“双千计划”")),
    ("in_double_high_project", _("已入选江西省“双高工程”高技能领军人才等省级以上人才工程")),
    ("in_talent_directory_d", _("已入选赣州市人才目录 D 类以上")),
]
# Art. 6: disqualifications.
DISQUALIFICATION_FIELDS = [
    ("has_criminal_record", "1", _("有刑事犯罪记录")),
    ("ip_infringement_investigated", "2", _("侵犯知识产权或涉嫌侵犯知识产权正在接受调查")),
    (
        "serious_misconduct",
        "3",
        _("有其他严重违反法律法规或职业道德行为，对工作和社会造成恶劣影响"),
    ),
]

WORK_AREA_CHOICES = [
    *GANZHOU_AREAS.items(),
    ("gzjk", "赣州经济技术开发区"),
    ("rjxq", "赣州蓉江新区"),
    ("gzgx", "赣州高新技术产业开发区"),
    ("zhbq", "赣州综合保税区"),
    ("outside", "赣州市以外"),
]


class SubmissionQuerySet(models.QuerySet):
    def for_user(self, user):
        """What ``user`` may see in the admin: the one scoping rule for every view, export,
        download and count.

        The bureau sees everything; unit staff see the submissions addressed to their own
        units (not applicants' unsent drafts, but paper drafts entered by staff); everyone
        else sees nothing.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        if is_bureau(user):
            return self.all()
        unit_ids = unit_ids_for(user)
        if not unit_ids or not user.has_perm("craftsman.view_submission"):
            return self.none()
        return self.filter(recommending_unit_id__in=unit_ids).exclude(
            status=Status.DRAFT, entered_by__isnull=True
        )

    def for_applicant(self, user):
        """The applicant's own submissions (the public side)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(applicant=user)

    def in_round(self, selection_round):
        return self.filter(round=selection_round)

    def with_related(self):
        return self.select_related("round", "recommending_unit", "industry")


class Submission(ClusterableModel):
    Status = Status

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    receipt_number = models.CharField(
        _("申报编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="craftsman_submissions",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("推荐单位代为录入纸质申报时填写。"),
    )
    recommending_unit = models.ForeignKey(
        RecommendingUnit,
        verbose_name=_("推荐单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )

    # Person
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    id_number = models.CharField(
        _("公民身份号码"), max_length=18, validators=[validate_resident_id]
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, editable=False)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[validate_mobile])
    email = models.EmailField(_("电子邮箱"), blank=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)

    # Work
    employer = models.CharField(_("工作单位"), max_length=200)
    work_area = models.CharField(
        _("工作地点所在县（市、区）"), max_length=10, choices=WORK_AREA_CHOICES, blank=True
    )
    work_address = models.CharField(_("工作地点"), max_length=200, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属产业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    occupation = models.CharField(_("职业（工种）"), max_length=100)
    years_in_trade = models.PositiveSmallIntegerField(
        _("从事本职业年限"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )

    # Qualification
    certificate_type = models.CharField(
        _("证书类别"), max_length=20, choices=CertificateType.choices, blank=True
    )
    skill_level = models.PositiveSmallIntegerField(
        _("技能等级"), choices=SkillLevel.choices, null=True, blank=True, db_index=True
    )
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)
    certificate_issuer = models.CharField(_("发证机构"), max_length=100, blank=True)
    certificate_date = models.DateField(_("发证日期"), null=True, blank=True)

    # Conditions (一)–(六) of article 6: a non-empty account claims the condition.
    condition_1 = models.TextField(_("条件（一）具有工艺专长"), blank=True)
    condition_2 = models.TextField(_("条件（二）掌握高超技能"), blank=True)
    condition_3 = models.TextField(_("条件（三）体现领军作用"), blank=True)
    condition_4 = models.TextField(_("条件（四）具有出色的传承技艺"), blank=True)
    condition_5 = models.TextField(_("条件（五）创新业绩突出"), blank=True)
    condition_6 = models.TextField(_("条件（六）解决关键技术难题"), blank=True)
    condition_7 = models.TextField(
        _("条件（七）职业技能大赛获奖情况说明"),
        blank=True,
        help_text=_("条件（七）按下方填写的竞赛成绩判定，此处可补充说明。"),
    )

    # Mentoring, patents, standards, achievements
    apprentices_count = models.PositiveSmallIntegerField(_("带徒人数"), default=0)
    mentoring = models.TextField(_("带徒传技情况"), blank=True)
    patents = models.TextField(_("专利情况"), blank=True)
    standards = models.TextField(_("参与制定标准情况"), blank=True)
    achievements = models.TextField(
        _("主要业绩和贡献"),
        blank=True,
        validators=[MaxLengthValidator(ACHIEVEMENTS_MAX_LENGTH)],
        help_text=_("不超过 2000 字。"),
    )

    # Declarations (art. 6): True means "this applies to me".
    in_national_talent_programme = models.BooleanField(_("已入选国家级人才计划"), default=False)
    in_double_thousand_plan = models.BooleanField(_("已入选省“双千计划”"), default=False)
    in_double_high_project = models.BooleanField(
        _("已入选省“双高工程”等省级以上人才工程"), default=False
    )
    in_talent_directory_d = models.BooleanField(_("已入选赣州市人才目录 D 类以上"), default=False)
    has_criminal_record = models.BooleanField(_("有刑事犯罪记录"), default=False)
    ip_infringement_investigated = models.BooleanField(
        _("侵犯知识产权或涉嫌侵犯知识产权正在接受调查"), default=False
    )
    serious_misconduct = models.BooleanField(
        _("有其他严重违反法律法规或职业道德行为"), default=False
    )
    declarations_confirmed_at = models.DateTimeField(
        _("声明确认时间"), null=True, blank=True, help_text=_("申报人确认以上声明属实的时间。")
    )
    integrity_pledge_at = models.DateTimeField(_("签署诚信承诺时间"), null=True, blank=True)
    publication_consent_at = models.DateTimeField(
        _("同意公开姓名、单位、职业的时间"),
        null=True,
        blank=True,
        help_text=_("个人信息保护法：公示、公布时公开姓名、工作单位和职业（工种）须单独同意。"),
    )

    # Recommendation (art. 7(二))
    verified_skills = models.BooleanField(_("技能水平已核实"), default=False)
    verified_achievements = models.BooleanField(_("业绩贡献已核实"), default=False)
    verified_authenticity = models.BooleanField(_("材料真实性已核实"), default=False)
    recommendation_rank = models.PositiveSmallIntegerField(
        _("单位内推荐排序"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    unit_comment = models.TextField(_("推荐单位意见"), blank=True)

    class Eligibility(models.TextChoices):
        PASSED = "passed", _("符合条件")
        WARNING = "warning", _("需关注")
        FAILED = "failed", _("不符合条件")

    eligibility = models.CharField(
        _("资格审查"), max_length=10, choices=Eligibility.choices, blank=True, db_index=True
    )

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("推荐单位处理时间"), null=True, blank=True)
    # Set by the retention job (craftsman.retention) when personal data was removed.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("view_all_submissions", _("查看全部申报（市人社局）")),
            ("recommend_submission", _("审核推荐本单位收到的申报")),
            ("view_personal_data", _("查看完整身份证号和手机号")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "id_number"],
                name="craftsman_one_submission_per_person_per_round",
                violation_error_message=_(
                    "该身份证号在本年度已有申报：每人每个年度只能申报一次。"
                    "如需修改，请在原申报中操作。"
                ),
            ),
            models.UniqueConstraint(
                fields=["round", "recommending_unit", "recommendation_rank"],
                condition=Q(recommendation_rank__isnull=False),
                name="craftsman_unique_rank_in_unit",
                violation_error_message=_("本单位已有相同推荐排序的申报，请调整排序。"),
            ),
        ]

    def __str__(self):
        if self.receipt_number:
            return f"{self.name}（{self.receipt_number}）"
        return self.name

    # --- data ------------------------------------------------------------
    def save(self, *args, **kwargs):
        self.id_number = normalize_resident_id(self.id_number)
        self.birth_date = birth_date_from_id(self.id_number) if len(self.id_number) == 18 else None
        if not self.gender and self.birth_date:
            self.gender = gender_from_id(self.id_number)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.id_number = normalize_resident_id(self.id_number)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self):
        return mask_phone(self.mobile)

    def age_on(self, day=None):
        if not self.birth_date:
            return None
        day = day or datetime.date.today()
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def claimed_conditions(self):
        """(label, title, account) for each of conditions (一)–(六) the applicant claims."""
        return [
            (label, title, getattr(self, field))
            for field, label, title in CONDITION_FIELDS
            if getattr(self, field).strip()
        ]

    @property
    def is_county_craftsman(self):
        return any(h.kind == Honour.Kind.COUNTY_CRAFTSMAN for h in self.honours.all())

    def duplicate(self):
        """Another submission by the same ID number in the same round, or None."""
        return (
            Submission.objects.filter(
                round_id=self.round_id, id_number=normalize_resident_id(self.id_number)
            )
            .exclude(pk=self.pk)
            .first()
        )

    # --- eligibility -----------------------------------------------------
    def eligibility_report(self):
        from craftsman.eligibility import evaluate

        return evaluate(self)

    def refresh_eligibility(self, save=True):
        report = self.eligibility_report()
        self.eligibility = report.outcome
        if save and self.pk:
            Submission.objects.filter(pk=self.pk).update(eligibility=self.eligibility)
        return report

    # --- workflow (see craftsman.workflow) ---------------------------------
    def allowed_actions(self, user):
        from craftsman.workflow import allowed_actions

        return allowed_actions(self, user)

    def submit(self, by, **kwargs):
        from craftsman.workflow import perform

        return perform(self, "submit", by=by, **kwargs)

    def withdraw(self, by, comment="", **kwargs):
        from craftsman.workflow import perform

        return perform(self, "withdraw", by=by, comment=comment, **kwargs)

    def return_for_correction(self, by, comment, **kwargs):
        from craftsman.workflow import perform

        return perform(self, "return", by=by, comment=comment, **kwargs)

    def decline(self, by, reason, **kwargs):
        from craftsman.workflow import perform

        return perform(self, "decline", by=by, comment=reason, **kwargs)

    def recommend(self, by, rank, letter, checklist=None, comment="", **kwargs):
        from craftsman.workflow import perform

        return perform(
            self,
            "recommend",
            by=by,
            comment=comment,
            rank=rank,
            letter=letter,
            checklist=checklist,
            **kwargs,
        )

    def reopen(self, by, comment, **kwargs):
        from craftsman.workflow import perform

        return perform(self, "reopen", by=by, comment=comment, **kwargs)


class CompetitionResult(models.Model):
    """A vocational skills competition result (art. 6 (七))."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL_1 = "provincial_1", _("省级一类")
        PROVINCIAL_2 = "provincial_2", _("省级二类")
        CITY_1 = "city_1", _("市级一类")
        OTHER = "other", _("其他")

    submission = ParentalKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="competitions"
    )
    name = models.CharField(_("竞赛名称"), max_length=200)
    level = models.CharField(_("竞赛级别"), max_length=20, choices=Level.choices)
    rank = models.PositiveSmallIntegerField(_("名次"), validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField(_("年份"))

    class Meta:
        verbose_name = _("竞赛成绩")
        verbose_name_plural = _("竞赛成绩")
        ordering = ["-year", "pk"]

    def __str__(self):
        return f"{self.year} {self.name} {self.get_level_display()} 第{self.rank}名"


class Honour(models.Model):
    """An honour (荣誉); 县级工匠 gives priority at equal merit (art. 6)."""

    class Kind(models.TextChoices):
        COUNTY_CRAFTSMAN = "county_craftsman", _("县级工匠")
        MODEL_WORKER = "model_worker", _("劳动模范")
        MAY_DAY_MEDAL = "may_day_medal", _("五一劳动奖章")
        TECHNICAL_EXPERT = "technical_expert", _("技术能手")
        OTHER = "other", _("其他荣誉")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        OTHER = "other", _("其他")

    submission = ParentalKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="honours"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("荣誉名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    awarded_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"))

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-year", "pk"]

    def __str__(self):
        return f"{self.year} {self.title}"


def attachment_path(instance, filename):
    return f"craftsman/{instance.submission.round.year}/{instance.submission_id}/{filename}"


class SubmissionAttachment(models.Model):
    """A file of the submission, on private storage, served only through a checked view."""

    class Kind(models.TextChoices):
        ID_COPY = "id_copy", _("身份证复印件")
        CERTIFICATE = "certificate", _("证书")
        AWARD_PROOF = "award_proof", _("获奖证明")
        PHOTO = "photo", _("近期免冠照片")
        EMPLOYER_OPINION = "employer_opinion", _("所在单位意见")
        RECOMMENDATION_LETTER = "recommendation_letter", _("推荐函")
        OTHER = "other", _("其他材料")

    # Needed before a submission can be sent (checked by the eligibility engine).
    REQUIRED_KINDS = (Kind.ID_COPY, Kind.CERTIFICATE, Kind.PHOTO, Kind.EMPLOYER_OPINION)
    MAX_SIZE = 5 * 1024 * 1024

    submission = models.ForeignKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("材料类别"), max_length=30, choices=Kind.choices)
    file = models.FileField(
        _("文件"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name or self.file.name}"

    @classmethod
    def create_from_upload(cls, submission, kind, uploaded, by=None):
        """Check ``uploaded`` from the bytes (``website.uploads.clean_upload``) and store it.

        Raises ``ValidationError`` (Chinese message) for a disguised, oversized, empty or
        active-content file; nothing is stored then.
        """
        from website.uploads import DOCUMENT_KINDS, IMAGE_KINDS, clean_upload

        kinds = IMAGE_KINDS if kind == cls.Kind.PHOTO else DOCUMENT_KINDS
        safe = clean_upload(uploaded, kinds=kinds, max_size=cls.MAX_SIZE)
        attachment = cls(
            submission=submission,
            kind=kind,
            original_name=safe.original_name,
            content_type=safe.kind.content_type,
            size=safe.size,
            uploaded_by=by,
        )
        attachment.file.save(safe.name, safe, save=False)
        attachment.save()
        return attachment

    def delete(self, *args, **kwargs):
        storage, name = self.file.storage, self.file.name
        result = super().delete(*args, **kwargs)
        if name:
            storage.delete(name)
        return result


class SubmissionEvent(models.Model):
    """One step of the submission's timeline (also written to Wagtail's log)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("操作人身份"), max_length=20, blank=True)
    actor_unit = models.CharField(
        _("操作单位"),
        max_length=100,
        blank=True,
        help_text=_("申报人看到的是单位，不是工作人员姓名。"),
    )
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.submission} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self):
        from craftsman.workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)
