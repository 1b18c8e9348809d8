"""The Chinese working-day calendar used for publicity periods (公示期).

A publicity notice must stay up for "不少于5个工作日"; this module answers
which days are working days in mainland China and where such a period ends.

Where the answer comes from
---------------------------
1. A :class:`~publications.models.HolidayOverride` row for the date, if there
   is one, always wins.  Staff edit these in the admin (设置 → 节假日调整).
2. Otherwise, for a year the ``chinese-calendar`` package covers (it follows
   the State Council's annual 国务院办公厅关于某年部分节假日安排的通知, and
   version 1.11.0 covers 2004–2026), the package's answer: statutory holidays
   are rest days, adjusted working weekends (调休上班) are working days, other
   days follow the Monday–Friday rule.
3. Otherwise, for a year staff have marked as entered in full
   (:class:`~publications.models.HolidayCalendarYear` with ``complete``
   ticked, 设置 → 节假日年度): Monday to Friday are working days and
   Saturday and Sunday rest days.  The year's holidays and adjusted working
   weekends are expected to be in ``HolidayOverride`` (rule 1).
4. Otherwise the year's calendar is unknown and :class:`HolidayCalendarMissing`
   (a ``ValueError``) is raised, naming the year and where to enter it.  The
   calendar never guesses: a year with a few stray override rows but no
   ``complete`` mark is still unknown, because a missing holiday would move
   the end of every publicity period that crosses it.

The explicit ``complete`` mark is what separates "staff entered the 2027
arrangement" from "someone entered one day of 2027".  It is ignored for years
the package covers, where overrides only correct or pin single days.

When entering a new year, mind that its notice can move days of the year
before: New Year's Day arrangements have put adjusted working days in late
December (2018-12-29 for 2019, for example).  Those dates belong to a year the
package already covers, and rule 1 lets an override fix them there too.
Upgrading ``chinese-calendar`` once it includes the new year does the same.

Queries
-------
Each public function builds a fresh :class:`WorkdayCalendar`, which loads a
year's overrides in one query the first time it needs that year, and the set
of ``complete`` years in one query the first time it meets a year the package
does not cover.  A period therefore costs one query per calendar year it
touches, however long it is, and no answer is cached between calls, so an
edit in the admin takes effect at once.  Code that asks many questions at
once (an admin list, a report) can share one ``WorkdayCalendar``.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from publications.models.holidays import HolidayCalendarYear, HolidayOverride

__all__ = [
    "CALENDAR_YEAR_ADMIN_PATH",
    "OVERRIDE_ADMIN_PATH",
    "SHANGHAI",
    "HolidayCalendarMissing",
    "WorkdayCalendar",
    "format_period",
    "is_workday",
    "nth_workday",
    "package_covers",
    "publicity_period_end",
    "uncovered_years",
    "workday_span",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Where the admin shows the two tables; quoted in the error message, so keep
# them in step with the admin menu.
OVERRIDE_ADMIN_PATH = "设置 → 节假日调整"
CALENDAR_YEAR_ADMIN_PATH = "设置 → 节假日年度"

_ONE_DAY = timedelta(days=1)


class HolidayCalendarMissing(ValueError):
    """The holiday arrangement of ``year`` is neither in the package nor entered by staff."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入：请在管理后台“{OVERRIDE_ADMIN_PATH}”中"
            f"录入该年度的放假和调休日期，再在“{CALENDAR_YEAR_ADMIN_PATH}”中添加{year}年"
            "并勾选“本年度节假日安排已完整录入”。"
        )


@functools.cache
def package_covers(year: int) -> bool:
    """Whether the installed ``chinese-calendar`` package knows ``year``'s holidays."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:  # "no available data for year ..."
        return False
    return True


def _check_day(day: object, name: str = "day") -> None:
    # A datetime is a date too, but which calendar day it falls on depends on
    # its time zone; make the caller decide rather than guess.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(day).__name__}")


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 1:
        raise ValueError(f"工作日数必须至少为1，收到 {n}。")


class WorkdayCalendar:
    """Working-day answers for one computation, loading each year's data once.

    Not meant to live long: it does not see admin edits made after it has
    loaded a year.
    """

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, bool]] = {}
        self._complete_years: frozenset[int] | None = None

    def _year_overrides(self, year: int) -> dict[date, bool]:
        if year not in self._overrides:
            rows = HolidayOverride.objects.filter(
                date__range=(date(year, 1, 1), date(year, 12, 31))
            ).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def _marked_complete(self, year: int) -> bool:
        if self._complete_years is None:
            self._complete_years = frozenset(
                HolidayCalendarYear.objects.filter(complete=True).values_list("year", flat=True)
            )
        return year in self._complete_years

    def covers(self, year: int) -> bool:
        """Whether working days of ``year`` can be computed (package or complete mark)."""
        return package_covers(year) or self._marked_complete(year)

    def is_workday(self, day: date) -> bool:
        _check_day(day)
        year = day.year
        if package_covers(year):
            default = chinese_calendar.is_workday(day)
        elif self._marked_complete(year):
            default = day.weekday() < 5
        else:
            raise HolidayCalendarMissing(year)
        return self._year_overrides(year).get(day, default)

    def nth_workday(self, start: date, n: int) -> date:
        _check_day(start, "start")
        _check_count(n)
        day, seen = start, 0
        while True:
            if self.is_workday(day):
                seen += 1
                if seen == n:
                    return day
            day += _ONE_DAY

    def workday_span(self, start: date, n: int) -> tuple[date, date]:
        first = self.nth_workday(start, 1)
        return first, self.nth_workday(first, n)

    def uncovered_years(self, start: date, end: date) -> list[int]:
        _check_day(start, "start")
        _check_day(end, "end")
        if end < start:
            raise ValueError(f"结束日期 {end} 早于开始日期 {start}。")
        return [year for year in range(start.year, end.year + 1) if not self.covers(year)]


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China.

    Raises :class:`HolidayCalendarMissing` for a year whose calendar is unknown.
    """
    return WorkdayCalendar().is_workday(day)


def nth_workday(start: date, n: int) -> date:
    """The ``n``-th working day on or after ``start`` (``start`` counts if it is one).

    ``nth_workday(d, 1)`` is the first working day on or after ``d``.  Raises
    ``ValueError`` when ``n < 1`` and :class:`HolidayCalendarMissing` when the
    count runs into a year whose calendar is unknown.
    """
    return WorkdayCalendar().nth_workday(start, n)


def workday_span(start: date, n: int) -> tuple[date, date]:
    """``(first working day on or after start, n-th working day on or after start)``."""
    return WorkdayCalendar().workday_span(start, n)


def _full_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def format_period(start: date, n: int) -> str:
    """A period as Chinese text, e.g. "2025年9月29日至10月11日，共5个工作日".

    The end date carries its year only when the period crosses into another
    year; a one-day period names its single day.
    """
    return format_span(*workday_span(start, n), n)


def format_span(first: date, last: date, n: int) -> str:
    """:func:`format_period` of an already computed ``workday_span``."""
    if first == last:
        text = _full_date(first)
    elif first.year == last.year:
        text = f"{_full_date(first)}至{last.month}月{last.day}日"
    else:
        text = f"{_full_date(first)}至{_full_date(last)}"
    return f"{text}，共{n}个工作日"


def publicity_period_end(start: date, n: int) -> datetime:
    """The last instant of the ``n``-th working day, 23:59:59.999999 Beijing time."""
    return datetime.combine(nth_workday(start, n), time.max, tzinfo=SHANGHAI)


def uncovered_years(start: date, end: date) -> list[int]:
    """Years from ``start`` to ``end`` (inclusive) whose holiday calendar is unknown.

    For the admin's warning: a publicity period touching one of these years
    cannot be computed until staff enter that year.  Empty when all is well.
    """
    return WorkdayCalendar().uncovered_years(start, end)
