"""评审 (art. 7(三)): the expert pool, a round's panel, assignments with 回避, score sheets,
the bureau's tie decisions and quota overrides.

State changes go through :mod:`craftsman.review` (assignments, sheets) and
:mod:`craftsman.ranking` (the proposed list); the methods here are thin wrappers.
"""

import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from craftsman.models.reference import RecommendingUnit, SelectionRound
from craftsman.models.submissions import Submission
from craftsman.roles import is_bureau

_EMPLOYER_NOISE = re.compile(r"[\s\"'“”‘’()（）\[\]【】《》·.,，、\-—_]+")
_EMPLOYER_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")


def normalize_employer(name):
    """An employer's name reduced for comparison: width, case, spaces, punctuation and
    company-form suffixes ignored ("赣州稀金科技有限公司" == "赣州稀金科技（有限公司）")."""
    text = _EMPLOYER_NOISE.sub("", unicodedata.normalize("NFKC", name or "").lower())
    for suffix in _EMPLOYER_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Expert(models.Model):
    """评审专家: one person in the pool; ``user`` is set when they score online."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="craftsman_expert",
    )
    name = models.CharField(_("姓名"), max_length=50)
    specialty = models.CharField(_("专业领域"), max_length=100)
    employer = models.CharField(_("工作单位"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    unit = models.ForeignKey(
        RecommendingUnit,
        verbose_name=_("所属推荐单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
        help_text=_("专家本人所在的推荐单位（如有）：该单位推荐的申报须回避。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家库")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.specialty}）"

    def conflict_with(self, submission):
        """Why this expert must not review ``submission`` (回避), or "" when they may."""
        if self.unit_id and self.unit_id == submission.recommending_unit_id:
            return _("与申报人的推荐单位相同")
        mine = normalize_employer(self.employer)
        if mine and mine == normalize_employer(submission.employer):
            return _("与申报人同一工作单位")
        return ""


class ReviewPanel(models.Model):
    """A round's expert panel; random draws take from it (or the whole active pool if empty)."""

    round = models.OneToOneField(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="review_panel",
    )
    experts = models.ManyToManyField(
        Expert, verbose_name=_("评审专家"), blank=True, related_name="review_panels"
    )
    experts_per_submission = models.PositiveSmallIntegerField(
        _("每份申报的评审专家人数"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")

    def __str__(self):
        return f"{self.round} 评审专家组"

    def pool(self):
        """The experts a draw may take: the panel's active experts, else the active pool."""
        panel = self.experts.filter(active=True)
        return panel if panel.exists() else Expert.objects.active()


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau: every assignment; an expert: only their own; anyone else: nothing."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_bureau(user):
            return self.all()
        return self.filter(expert__user=user, expert__active=True)

    def current(self):
        """Assignments not recused."""
        return self.filter(recused_at__isnull=True)


class ReviewAssignment(models.Model):
    class Method(models.TextChoices):
        MANUAL = "manual", _("手动指定")
        RANDOM = "random", _("随机抽取")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="assignments"
    )
    method = models.CharField(_("分配方式"), max_length=10, choices=Method.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    declared_no_conflict_at = models.DateTimeField(_("声明无需回避时间"), null=True, blank=True)
    recused_at = models.DateTimeField(_("回避时间"), null=True, blank=True)
    recusal_reason = models.TextField(_("回避理由"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["submission_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "expert"],
                name="craftsman_one_assignment_per_expert",
                violation_error_message=_("该专家已分配评审这份申报。"),
            )
        ]

    def __str__(self):
        return f"{self.expert.name} → {self.submission.name}"

    @property
    def is_recused(self):
        return self.recused_at is not None


class ScoringCriterion(models.Model):
    """One scoring item of a round (art. 3: 品德、技能、业绩与贡献)."""

    SKILL = "skill"

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="scoring_criteria",
    )
    code = models.CharField(
        _("代码"), max_length=20, blank=True, help_text=_("“skill”为技能项：并列时比较技能得分。")
    )
    name = models.CharField(_("评分项"), max_length=50)
    max_points = models.DecimalField(
        _("满分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    weight = models.DecimalField(
        _("权重"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=10)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["round_id", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="craftsman_criterion_unique")
        ]

    def __str__(self):
        return f"{self.name}（{self.max_points:g} 分）"


class ScoreSheetQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau: all sheets; an expert: only the sheets of their own assignments."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_bureau(user):
            return self.all()
        return self.filter(assignment__expert__user=user, assignment__expert__active=True)


class ScoreSheet(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("评审任务"),
        on_delete=models.CASCADE,
        related_name="sheet",
    )
    status = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=Decimal("0"))
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self):
        return f"评分表：{self.assignment}"

    @property
    def is_submitted(self):
        return self.status == self.State.SUBMITTED

    def submit(self, by):
        from craftsman.review import submit_sheet

        return submit_sheet(self, by=by)

    def reopen(self, by, reason):
        from craftsman.review import reopen_sheet

        return reopen_sheet(self, by=by, reason=reason)


class ScoreItem(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="items"
    )
    criterion = models.ForeignKey(
        ScoringCriterion, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="craftsman_item_unique")
        ]

    def __str__(self):
        return f"{self.criterion.name}：{self.points}"


class TieBreak(models.Model):
    """The bureau's recorded decision on the order of submissions still tied (art. 6)."""

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="tie_breaks",
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(
        _("并列中的顺序"), validators=[MinValueValidator(1)]
    )
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now=True)

    class Meta:
        verbose_name = _("并列处理决定")
        verbose_name_plural = _("并列处理决定")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="craftsman_tiebreak_unique"
            )
        ]

    def __str__(self):
        return f"{self.submission_id} 并列第 {self.position} 位"


class QuotaOverride(models.Model):
    """The bureau moving one submission across the quota line, with its reason."""

    class Kind(models.TextChoices):
        INCLUDE = "include", _("列入拟入选名单")
        EXCLUDE = "exclude", _("移出拟入选名单")

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选拔年度"),
        on_delete=models.CASCADE,
        related_name="quota_overrides",
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("调整"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now=True)

    class Meta:
        verbose_name = _("名额线调整")
        verbose_name_plural = _("名额线调整")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="craftsman_override_unique"
            )
        ]

    def __str__(self):
        return f"{self.submission_id} {self.get_kind_display()}"
