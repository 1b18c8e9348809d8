"""Statutory holidays and adjusted working days entered by staff.

``publications.workdays`` combines these tables with the ``chinese-calendar``
package; its module docstring explains the rule.  In short: a
:class:`HolidayOverride` row always wins for its date, and a year that the
package does not cover is only usable once staff have entered its whole
State Council arrangement and ticked :attr:`HolidayCalendarYear.complete`.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Years staff may enter.  Wide enough for any real publicity period, narrow
# enough to catch a mistyped year ("225", "20266").
MIN_YEAR = 2000
MAX_YEAR = 2100


class HolidayOverride(models.Model):
    """One day whose status differs from, or must be pinned against, the default."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"),
        default=False,
        help_text=_("勾选表示当天上班（如周末调休上班）；不勾选表示当天放假。"),
    )
    note = models.CharField(
        _("说明"),
        max_length=100,
        help_text=_("例如“国庆节放假”“国庆节调休上班”。"),
    )

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        status = "上班" if self.is_workday else "放假"
        day = f"{self.date:%Y-%m-%d}" if self.date else "?"
        return f"{day} {status}（{self.note}）" if self.note else f"{day} {status}"

    def clean(self):
        super().clean()
        self.note = (self.note or "").strip()
        if self.date and not MIN_YEAR <= self.date.year <= MAX_YEAR:
            raise ValidationError(
                {
                    "date": _("日期须在%(min)s年至%(max)s年之间。")
                    % {"min": MIN_YEAR, "max": MAX_YEAR}
                }
            )


class HolidayCalendarYear(models.Model):
    """A year whose holiday arrangement staff have entered in full as overrides.

    Only needed for years the ``chinese-calendar`` package does not know yet:
    ticking :attr:`complete` tells the working-day calendar that every
    statutory holiday and every adjusted working weekend of the year is in
    :class:`HolidayOverride`, so any other day follows the weekday rule.
    """

    year = models.PositiveSmallIntegerField(
        _("年度"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    complete = models.BooleanField(
        _("本年度节假日安排已完整录入"),
        default=False,
        help_text=_(
            "按国务院办公厅当年的节假日安排通知，把全部放假日期和调休上班日期"
            "录入“节假日调整”后再勾选。未勾选时，系统不会计算涉及该年度的工作日。"
        ),
    )
    note = models.CharField(
        _("说明"),
        max_length=200,
        blank=True,
        help_text=_("例如通知的文号：国办发明电〔2026〕×号。"),
    )

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]

    def __str__(self):
        status = "已完整录入" if self.complete else "未完整录入"
        return f"{self.year}年（{status}）"

    def clean(self):
        super().clean()
        self.note = (self.note or "").strip()
        if (
            self.complete
            and self.year
            and not HolidayOverride.objects.filter(date__year=self.year).exists()
        ):
            # Every year has statutory holidays on weekdays (the Spring
            # Festival at least), so an empty year cannot be complete.
            raise ValidationError(
                {
                    "complete": _(
                        "尚未录入%(year)s年的任何节假日调整：请先在“节假日调整”中"
                        "录入该年度的放假和调休日期，再勾选“已完整录入”。"
                    )
                    % {"year": self.year}
                }
            )
