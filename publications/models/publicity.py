"""公示: a publicity notice with its list of names, its period and its objection channel.

The plugin knows nothing of craftsmen: a publicity list is a generic table of
people (姓名、性别、工作单位、职业（工种）、技能等级、推荐单位 and two spare
columns) that any programme of the bureau can publish.  Another plugin links
an entry to its own record through :attr:`PublicityEntry.source_key`.

The period is computed, never typed: the editor gives the start date and the
number of working days (at least 5, 办法第七条（四）), and
:mod:`publications.workdays` finds the last working day.  Whether the notice is
upcoming, open or closed follows from the dates in Beijing time, so there is no
job that "closes" a notice; a scheduled job elsewhere just asks
:meth:`PublicityNoticePage.state`.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from publications.api import PublicityListField, RichTextHTMLField
from publications.collation import stroke_sort_key
from publications.models.notices import NoticePage, NoticeType
from publications.workdays import (
    SHANGHAI,
    HolidayCalendarMissing,
    WorkdayCalendar,
    format_span,
)

logger = logging.getLogger(__name__)

# 办法第七条（四）：公示期不少于5个工作日.
MIN_WORKING_DAYS = 5
MAX_WORKING_DAYS = 60  # catches a mistyped 50 for 5 … or 500

# The session key under which the objection form leaves the receipt for the success page.
RECEIPT_SESSION_KEY = "publications_objection_receipt"


class PublicityColumn(models.TextChoices):
    SEQUENCE = "seq", _("序号")
    NAME = "name", _("姓名")
    GENDER = "gender", _("性别")
    EMPLOYER = "employer", _("工作单位")
    OCCUPATION = "occupation", _("职业（工种）")
    SKILL_LEVEL = "skill_level", _("技能等级")
    RECOMMENDING_UNIT = "recommending_unit", _("推荐单位")
    EXTRA_1 = "extra_1", _("备用栏一（标题自定）")
    EXTRA_2 = "extra_2", _("备用栏二（标题自定）")


DEFAULT_COLUMNS = [
    PublicityColumn.SEQUENCE,
    PublicityColumn.NAME,
    PublicityColumn.GENDER,
    PublicityColumn.EMPLOYER,
    PublicityColumn.OCCUPATION,
    PublicityColumn.SKILL_LEVEL,
    PublicityColumn.RECOMMENDING_UNIT,
]


def default_columns():
    return [str(column) for column in DEFAULT_COLUMNS]


def default_issuer():
    return getattr(settings, "BUREAU_NAME", "")


class PublicityOrder(models.TextChoices):
    STROKES = "strokes", _("按姓氏笔画排序")
    UNIT = "unit", _("按推荐单位排列，同一推荐单位内按姓氏笔画排序")
    ENTRY = "entry", _("按录入顺序排列")


class PublicityState(models.TextChoices):
    UPCOMING = "upcoming", _("公示尚未开始")
    OPEN = "open", _("公示中")
    CLOSED = "closed", _("公示已结束")
    # Only if holiday data was removed after the page was saved: never guess.
    UNKNOWN = "unknown", _("公示期待确认")


class Gender(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")


# --- Personal data that must never reach a public list ------------------------

_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9]{4}[0-9Xx]")
_ID_NUMBER_15 = re.compile(r"(?<![0-9])[1-9][0-9]{14}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}[- ]?[0-9]{7,8}(?![0-9])")
_FORBIDDEN_LABEL_WORDS = ("身份证", "证件号", "出生", "生日", "年龄", "电话", "手机", "联系方式")


def personal_data_in(value: str) -> str | None:
    """What kind of personal data ``value`` seems to hold ("身份证号码", "电话号码"), or None."""
    value = value or ""
    if _ID_NUMBER.search(value) or _ID_NUMBER_15.search(value):
        return "身份证号码"
    if _MOBILE.search(value) or _LANDLINE.search(value):
        return "电话号码"
    return None


class PublicityEntry(Orderable):
    """One row of a publicity list.  Generic fields; another plugin links it by ``source_key``."""

    page = ParentalKey(
        "publications.PublicityNoticePage", verbose_name=_("名单公示"), related_name="entries"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    occupation = models.CharField(_("职业（工种）"), max_length=100, blank=True)
    skill_level = models.CharField(_("技能等级"), max_length=100, blank=True)
    recommending_unit = models.CharField(_("推荐单位"), max_length=200, blank=True)
    extra_1 = models.CharField(_("备用栏一"), max_length=200, blank=True)
    extra_2 = models.CharField(_("备用栏二"), max_length=200, blank=True)
    source_key = models.CharField(
        _("来源记录"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("由其他模块填写，用于关联其记录，例如 craftsman.submission:42。"),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("gender")]),
        FieldRowPanel([FieldPanel("employer"), FieldPanel("recommending_unit")]),
        FieldRowPanel([FieldPanel("occupation"), FieldPanel("skill_level")]),
        FieldRowPanel([FieldPanel("extra_1"), FieldPanel("extra_2")]),
        FieldPanel("source_key", read_only=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")

    def __str__(self):
        return self.name

    TEXT_FIELDS = (
        "name",
        "employer",
        "occupation",
        "skill_level",
        "recommending_unit",
        "extra_1",
        "extra_2",
    )

    def clean(self):
        super().clean()
        errors = {}
        for field in self.TEXT_FIELDS:
            value = (getattr(self, field) or "").strip()
            setattr(self, field, value)
            kind = personal_data_in(value)
            if kind:
                errors[field] = _("公示名单不得出现%(kind)s等个人敏感信息，请删除。") % {
                    "kind": kind
                }
        if errors:
            raise ValidationError(errors)

    def column_value(self, column: str) -> str:
        if column == PublicityColumn.GENDER:
            return self.get_gender_display()
        return getattr(self, column, "") or ""


class PublicityNoticeForm(WagtailAdminPageForm):
    """Adds the column checkboxes (stored as a JSON list on the page)."""

    visible_columns = forms.MultipleChoiceField(
        label=_("显示的栏目"),
        choices=PublicityColumn.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=default_columns,
        help_text=_("“姓名”必须显示。选用备用栏时，请在下方填写该栏的标题。"),
    )


class PublicityNoticePage(RoutablePageMixin, NoticePage):
    """公示: a list of names on public view for a number of working days, with objections."""

    fixed_notice_type = NoticeType.PUBLICITY

    start_date = models.DateField(
        _("公示开始日期"),
        help_text=_("如当天不是工作日，公示期从其后的第一个工作日算起。"),
    )
    working_days = models.PositiveSmallIntegerField(
        _("公示工作日数"),
        default=MIN_WORKING_DAYS,
        validators=[MaxValueValidator(MAX_WORKING_DAYS)],
        help_text=_(
            "不少于5个工作日（《办法》第七条第四项）。结束日期按法定节假日和调休自动计算。"
        ),
    )
    list_caption = models.CharField(
        _("名单标题"), max_length=100, default="拟入选人员名单", blank=True
    )
    order = models.CharField(
        _("排列顺序"),
        max_length=20,
        choices=PublicityOrder.choices,
        default=PublicityOrder.STROKES,
    )
    visible_columns = models.JSONField(_("显示的栏目"), default=default_columns)
    extra_1_label = models.CharField(_("备用栏一标题"), max_length=30, blank=True)
    extra_2_label = models.CharField(_("备用栏二标题"), max_length=30, blank=True)

    objection_unit = models.CharField(_("异议受理单位"), max_length=100, default=default_issuer)
    objection_phone = models.CharField(_("受理电话"), max_length=100)
    objection_address = models.CharField(
        _("来信来访地址"), max_length=200, help_text=_("含邮政编码。")
    )
    objection_email = models.EmailField(_("受理电子邮箱"), blank=True)
    office_hours = models.CharField(
        _("受理时间"), max_length=100, default="工作日 上午8:00-12:00，下午14:30-17:30"
    )
    objection_notes = RichTextField(
        _("其他异议受理说明"),
        blank=True,
        features=["bold", "ol", "ul", "link"],
        help_text=_("实名要求和逾期不予受理的说明已自动列出，此处只填补充说明。"),
    )

    base_form_class = PublicityNoticeForm
    content_panels = [
        *NoticePage.content_panels[:1],  # title
        MultiFieldPanel(NoticePage.doc_panels, heading=_("文件信息")),
        FieldPanel("body", heading=_("公示说明")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("working_days")]),
            ],
            heading=_("公示期"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("list_caption"),
                FieldPanel("order"),
                FieldPanel("visible_columns"),
                FieldRowPanel([FieldPanel("extra_1_label"), FieldPanel("extra_2_label")]),
            ],
            heading=_("名单设置"),
        ),
        InlinePanel("entries", heading=_("公示名单"), label=_("公示对象")),
        MultiFieldPanel(
            [
                FieldPanel("objection_unit"),
                FieldRowPanel([FieldPanel("objection_phone"), FieldPanel("objection_email")]),
                FieldPanel("objection_address"),
                FieldPanel("office_hours"),
                FieldPanel("objection_notes"),
            ],
            heading=_("异议受理"),
        ),
        FieldPanel("attachments"),
    ]
    # The public API: the list with its visible columns only; no e-mail address.
    api_fields = [
        *NoticePage.api_fields,
        APIField("start_date"),
        APIField("working_days"),
        APIField("first_day", serializer=serializers.DateField(read_only=True)),
        APIField("last_day", serializer=serializers.DateField(read_only=True)),
        APIField("period_text", serializer=serializers.CharField(read_only=True)),
        APIField("publicity_state", serializer=serializers.CharField(source="state")),
        APIField("list_caption"),
        APIField("order_statement", serializer=serializers.CharField(read_only=True)),
        APIField("public_list", serializer=PublicityListField()),
        APIField("objection_unit"),
        APIField("objection_phone"),
        APIField("objection_address"),
        APIField("office_hours"),
        APIField("objection_notes", serializer=RichTextHTMLField()),
    ]
    parent_page_types = ["publications.NoticeIndexPage", "website.HomePage"]
    subpage_types = []
    template = "publications/publicity_notice_page.html"

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    # --- validation ------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.working_days is not None and self.working_days < MIN_WORKING_DAYS:
            errors["working_days"] = _(
                "公示期不少于%(min)d个工作日（《办法》第七条第四项），当前为%(n)d个工作日。"
            ) % {"min": MIN_WORKING_DAYS, "n": self.working_days}
        elif self.start_date and self.working_days:
            try:
                WorkdayCalendar().workday_span(self.start_date, self.working_days)
            except HolidayCalendarMissing as exc:
                errors["start_date"] = _("无法计算公示结束日期：%(reason)s") % {"reason": exc}
        columns = list(self.visible_columns or [])
        valid = set(PublicityColumn.values)
        unknown = [column for column in columns if column not in valid]
        if unknown or not isinstance(self.visible_columns, list):
            errors["visible_columns"] = _("栏目设置无效。")
        elif PublicityColumn.NAME not in columns:
            errors["visible_columns"] = _("“姓名”栏必须显示。")
        for column, label_field in (
            (PublicityColumn.EXTRA_1, "extra_1_label"),
            (PublicityColumn.EXTRA_2, "extra_2_label"),
        ):
            label = (getattr(self, label_field) or "").strip()
            setattr(self, label_field, label)
            if column in columns and not label:
                errors[label_field] = _("已选用该备用栏，请填写栏目标题。")
            if any(word in label for word in _FORBIDDEN_LABEL_WORDS):
                errors[label_field] = _(
                    "公示名单不得公开身份证号码、出生日期、电话号码等个人信息。"
                )
        if errors:
            raise ValidationError(errors)

    # --- the period --------------------------------------------------------------

    def _span(self) -> tuple[date, date] | None:
        """(first working day, last working day), or None when a year's calendar is unknown."""
        key = (self.start_date, self.working_days)
        cache = self.__dict__.setdefault("_publicity_span_cache", {})
        if key not in cache:
            try:
                cache[key] = WorkdayCalendar().workday_span(*key)
            except HolidayCalendarMissing:
                logger.error(
                    "公示 %s（id=%s）的公示期无法计算：节假日数据缺失。", self.title, self.pk
                )
                cache[key] = None
        return cache[key]

    @property
    def first_day(self) -> date | None:
        span = self._span()
        return span[0] if span else None

    @property
    def last_day(self) -> date | None:
        span = self._span()
        return span[1] if span else None

    @property
    def period_start(self) -> datetime | None:
        """00:00 Beijing time of the first working day."""
        first = self.first_day
        return datetime.combine(first, time.min, tzinfo=SHANGHAI) if first else None

    @property
    def period_end(self) -> datetime | None:
        """The last instant of the last working day, Beijing time (``publicity_period_end``)."""
        if self._span() is None:
            return None
        key = ("end", self.start_date, self.working_days)
        cache = self.__dict__.setdefault("_publicity_span_cache", {})
        if key not in cache:
            # From the span already loaded (the same day publicity_period_end finds),
            # rather than a second calendar and its query.
            cache[key] = datetime.combine(self.last_day, time.max, tzinfo=SHANGHAI)
        return cache[key]

    @property
    def period_text(self) -> str:
        """ "2025年9月29日至10月11日，共5个工作日" (``format_period``)."""
        if self._span() is None:
            return "公示期限待确认"
        key = ("text", self.start_date, self.working_days)
        cache = self.__dict__.setdefault("_publicity_span_cache", {})
        if key not in cache:
            cache[key] = format_span(self.first_day, self.last_day, self.working_days)
        return cache[key]

    def state(self, now: datetime | None = None) -> PublicityState:
        """Upcoming, open or closed at ``now`` (default: the current time)."""
        start, end = self.period_start, self.period_end
        if start is None or end is None:
            return PublicityState.UNKNOWN
        now = now or timezone.now()
        if timezone.is_naive(now):
            raise ValueError("state() needs an aware datetime")
        if now < start:
            return PublicityState.UPCOMING
        if now <= end:
            return PublicityState.OPEN
        return PublicityState.CLOSED

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == PublicityState.OPEN

    # --- the list ------------------------------------------------------------------

    def columns(self) -> list[tuple[str, str]]:
        """[(column key, heading), ...] in the order of the choices."""
        chosen = set(self.visible_columns or default_columns())
        labels = {
            PublicityColumn.EXTRA_1: self.extra_1_label,
            PublicityColumn.EXTRA_2: self.extra_2_label,
        }
        return [
            (str(column), labels.get(column) or str(column.label))
            for column in PublicityColumn
            if column in chosen
        ]

    def ordered_entries(self, entries=None) -> list[PublicityEntry]:
        """The entries in the order the editor chose (surname strokes unless told otherwise)."""
        entries = list(self.entries.all() if entries is None else entries)
        if self.order == PublicityOrder.ENTRY:
            return entries
        by_strokes = sorted(entries, key=lambda entry: stroke_sort_key(entry.name))
        if self.order == PublicityOrder.UNIT:
            # Units in the order they first appear in the list as entered.
            unit_rank = {}
            for entry in entries:
                unit_rank.setdefault(entry.recommending_unit, len(unit_rank))
            return sorted(by_strokes, key=lambda entry: unit_rank[entry.recommending_unit])
        return by_strokes

    def order_statement(self) -> str:
        return str(PublicityOrder(self.order).label) if self.order else ""

    def rows(self, entries=None) -> list[tuple[PublicityEntry, list[tuple[str, str]]]]:
        """[(entry, [(column key, cell text), ...]), ...]; 序号 counts from 1."""
        columns = [key for key, _label in self.columns()]
        rows = []
        for number, entry in enumerate(self.ordered_entries(entries), start=1):
            cells = [
                (
                    column,
                    str(number)
                    if column == PublicityColumn.SEQUENCE
                    else entry.column_value(column),
                )
                for column in columns
            ]
            rows.append((entry, cells))
        return rows

    # --- public views --------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        # The list page carries no form (and so no CSRF token): it is the page thousands
        # open on the day a list goes up, and it must be cacheable.  The objection form
        # has a page of its own (``objection/``).
        context = super().get_context(request, *args, **kwargs)
        entries = self.ordered_entries()
        context.update(
            entries=entries,
            rows=self.rows(entries),
            columns=self.columns(),
            state=self.state(),
            states=PublicityState,
        )
        return context

    @path("")
    def notice(self, request):
        return self.render(request)

    @path("objection/", name="objection")
    def objection(self, request):
        from publications.objection_views import handle_objection, objection_form_page

        if request.method == "POST":
            return handle_objection(self, request)
        return objection_form_page(self, request)

    @path("objection/received/", name="objection_received")
    def objection_received(self, request):
        receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
        if receipt.get("notice") != self.pk:
            raise Http404("没有可显示的受理回执")
        return TemplateResponse(
            request,
            "publications/objection_received.html",
            {"page": self, "self": self, "receipt": receipt},
        )
