"""The working-day calendar behind publicity periods (公示期不少于5个工作日).

Dates for 2025 and 2026 follow the State Council's holiday notices as the
``chinese-calendar`` package records them; 2027 is not in the package, so the
tests enter a made-up 2027 arrangement by hand.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from publications.models import HolidayCalendarYear, HolidayOverride
from publications.workdays import (
    HolidayCalendarMissing,
    WorkdayCalendar,
    format_period,
    is_workday,
    nth_workday,
    package_covers,
    publicity_period_end,
    uncovered_years,
    workday_span,
)

pytestmark = pytest.mark.django_db


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def enter_2027_new_year(*, complete: bool = True) -> None:
    """A made-up 2027 arrangement: New Year's Day (Friday) off, nothing else."""
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦放假")
    HolidayCalendarYear.objects.create(year=2027, complete=complete)


# --- National Day 2025: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班 ---


def test_national_day_2025_holidays_are_rest_days():
    assert not any(is_workday(day) for day in days(date(2025, 10, 1), date(2025, 10, 8)))


def test_national_day_2025_adjusted_working_weekends():
    assert date(2025, 9, 28).weekday() == 6  # Sunday
    assert date(2025, 10, 11).weekday() == 5  # Saturday
    assert is_workday(date(2025, 9, 28))
    assert is_workday(date(2025, 10, 11))
    assert not is_workday(date(2025, 10, 12))  # the Sunday after stays a rest day


def test_five_working_days_from_29_september_2025_end_on_11_october():
    assert nth_workday(date(2025, 9, 29), 5) == date(2025, 10, 11)
    assert workday_span(date(2025, 9, 29), 5) == (date(2025, 9, 29), date(2025, 10, 11))
    assert format_period(date(2025, 9, 29), 5) == "2025年9月29日至10月11日，共5个工作日"


def test_counting_starts_at_the_next_working_day_when_start_is_a_holiday():
    assert nth_workday(date(2025, 10, 1), 1) == date(2025, 10, 9)
    assert workday_span(date(2025, 10, 1), 3) == (date(2025, 10, 9), date(2025, 10, 11))
    assert format_period(date(2025, 10, 1), 3) == "2025年10月9日至10月11日，共3个工作日"


def test_start_counts_when_it_is_a_working_day():
    assert nth_workday(date(2025, 9, 29), 1) == date(2025, 9, 29)
    assert format_period(date(2025, 9, 29), 1) == "2025年9月29日，共1个工作日"


# --- Spring Festival 2026: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班 ---


def test_spring_festival_2026():
    assert not any(is_workday(day) for day in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert is_workday(date(2026, 2, 14))  # Saturday, adjusted working day
    assert is_workday(date(2026, 2, 28))  # Saturday, adjusted working day
    # 2/12, 2/13, 2/14 (Saturday), then 2/24, 2/25 after the holiday.
    assert nth_workday(date(2026, 2, 12), 5) == date(2026, 2, 25)
    assert format_period(date(2026, 2, 12), 5) == "2026年2月12日至2月25日，共5个工作日"


def test_ordinary_weekend_is_a_rest_day_and_weekday_a_working_day():
    assert not is_workday(date(2025, 11, 15))  # Saturday
    assert not is_workday(date(2025, 11, 16))  # Sunday
    assert is_workday(date(2025, 11, 17))  # Monday


# --- Overrides entered by staff win over the package ---


def test_override_turns_a_package_working_day_into_a_rest_day():
    HolidayOverride.objects.create(date=date(2025, 9, 30), is_workday=False, note="临时停工")
    assert not is_workday(date(2025, 9, 30))
    # 9/29, 10/9, 10/10, 10/11 (Saturday), then Monday 10/13.
    assert nth_workday(date(2025, 9, 29), 5) == date(2025, 10, 13)


def test_override_turns_a_package_rest_day_into_a_working_day():
    HolidayOverride.objects.create(date=date(2025, 10, 12), is_workday=True, note="调休上班")
    assert is_workday(date(2025, 10, 12))
    assert nth_workday(date(2025, 10, 9), 4) == date(2025, 10, 12)


def test_complete_mark_does_not_change_a_year_the_package_covers():
    HolidayCalendarYear.objects.create(year=2025, complete=True)
    HolidayOverride.objects.create(date=date(2025, 12, 1), is_workday=True, note="示例")
    assert not is_workday(date(2025, 10, 1))  # package holiday still applies
    assert is_workday(date(2025, 10, 11))  # package adjusted Saturday still applies


# --- Years the package does not cover ---


def test_package_coverage():
    assert package_covers(2025)
    assert package_covers(2026)
    assert not package_covers(2027)


def test_year_without_calendar_raises_with_year_and_where_to_enter_it():
    with pytest.raises(HolidayCalendarMissing) as excinfo:
        is_workday(date(2027, 3, 1))
    error = excinfo.value
    assert isinstance(error, ValueError)
    assert error.year == 2027
    message = str(error)
    assert "2027年" in message
    assert "节假日调整" in message
    assert "已完整录入" in message


def test_period_running_into_an_unknown_year_raises():
    with pytest.raises(HolidayCalendarMissing, match="2027年"):
        nth_workday(date(2026, 12, 28), 5)
    with pytest.raises(HolidayCalendarMissing):
        format_period(date(2026, 12, 28), 5)
    with pytest.raises(HolidayCalendarMissing):
        publicity_period_end(date(2026, 12, 28), 5)


def test_stray_overrides_do_not_make_a_year_known():
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦放假")
    with pytest.raises(HolidayCalendarMissing, match="2027年"):
        is_workday(date(2027, 1, 4))
    with pytest.raises(HolidayCalendarMissing):
        is_workday(date(2027, 1, 1))  # not even the overridden day itself


def test_year_not_ticked_complete_is_still_unknown():
    enter_2027_new_year(complete=False)
    with pytest.raises(HolidayCalendarMissing):
        is_workday(date(2027, 1, 4))


def test_year_marked_complete_uses_overrides_and_the_weekday_rule():
    enter_2027_new_year()
    HolidayOverride.objects.create(date=date(2027, 2, 20), is_workday=True, note="春节调休上班")
    assert not is_workday(date(2027, 1, 1))  # Friday, entered as a holiday
    assert not is_workday(date(2027, 1, 2))  # Saturday
    assert is_workday(date(2027, 1, 4))  # Monday
    assert is_workday(date(2027, 2, 20))  # Saturday, entered as a working day


def test_period_across_the_year_boundary_into_a_complete_year():
    enter_2027_new_year()
    # 12/30, 12/31, then 1/4, 1/5, 1/6 (1/1 is a holiday, 1/2–1/3 the weekend).
    assert nth_workday(date(2026, 12, 30), 5) == date(2027, 1, 6)
    assert format_period(date(2026, 12, 30), 5) == "2026年12月30日至2027年1月6日，共5个工作日"


def test_format_period_across_a_year_boundary_in_package_years():
    # 2026 New Year: 1月1日至3日放假，1月4日（周日）上班.
    assert format_period(date(2025, 12, 29), 4) == "2025年12月29日至2026年1月4日，共4个工作日"
    assert format_period(date(2025, 12, 29), 5) == "2025年12月29日至2026年1月5日，共5个工作日"


def test_uncovered_years():
    assert uncovered_years(date(2025, 9, 1), date(2026, 12, 31)) == []
    assert uncovered_years(date(2026, 12, 1), date(2028, 1, 31)) == [2027, 2028]
    enter_2027_new_year()
    assert uncovered_years(date(2026, 12, 1), date(2028, 1, 31)) == [2028]
    with pytest.raises(ValueError):
        uncovered_years(date(2026, 1, 2), date(2026, 1, 1))


# --- Arguments ---


@pytest.mark.parametrize("n", [0, -1])
def test_n_below_one_raises_value_error(n):
    with pytest.raises(ValueError):
        nth_workday(date(2025, 9, 29), n)
    with pytest.raises(ValueError):
        workday_span(date(2025, 9, 29), n)
    with pytest.raises(ValueError):
        format_period(date(2025, 9, 29), n)


def test_n_below_one_is_not_a_missing_calendar():
    with pytest.raises(ValueError) as excinfo:
        nth_workday(date(2027, 1, 4), 0)
    assert not isinstance(excinfo.value, HolidayCalendarMissing)


def test_datetime_is_refused_rather_than_guessing_its_day():
    with pytest.raises(TypeError):
        is_workday(datetime(2025, 10, 1, 12, 0))
    with pytest.raises(TypeError):
        nth_workday(date(2025, 9, 29), 5.0)


# --- End of the period ---


def test_publicity_period_end_is_the_last_instant_of_the_last_working_day():
    end = publicity_period_end(date(2025, 9, 29), 5)
    assert (end.year, end.month, end.day) == (2025, 10, 11)
    assert (end.hour, end.minute, end.second, end.microsecond) == (23, 59, 59, 999999)
    assert end.tzinfo is not None
    assert str(end.tzinfo) == "Asia/Shanghai"
    assert end.utcoffset() == timedelta(hours=8)


# --- Queries ---


def test_long_span_issues_one_query_per_year(django_assert_max_num_queries):
    HolidayOverride.objects.create(date=date(2025, 9, 30), is_workday=False, note="临时停工")
    HolidayOverride.objects.create(date=date(2026, 3, 2), is_workday=False, note="临时停工")
    with django_assert_max_num_queries(2):  # overrides of 2025, overrides of 2026
        end = nth_workday(date(2025, 1, 2), 400)
    # The package alone puts the 400th working day on 2026-08-13; the two
    # extra rest days push it two working days later.
    assert end == date(2026, 8, 17)


def test_long_span_into_a_complete_year_is_bounded(django_assert_max_num_queries):
    enter_2027_new_year()
    with django_assert_max_num_queries(3):  # 2026, complete years, 2027
        end = nth_workday(date(2026, 1, 5), 400)
    assert end.year == 2027


def test_shared_calendar_loads_each_year_once(django_assert_num_queries):
    calendar = WorkdayCalendar()
    with django_assert_num_queries(1):
        for day in days(date(2025, 1, 1), date(2025, 12, 31)):
            calendar.is_workday(day)


def test_admin_edits_are_seen_by_the_next_call():
    assert is_workday(date(2025, 9, 30))
    HolidayOverride.objects.create(date=date(2025, 9, 30), is_workday=False, note="临时停工")
    assert not is_workday(date(2025, 9, 30))


# --- Model validation ---


def test_complete_year_needs_at_least_one_override():
    year = HolidayCalendarYear(year=2027, complete=True)
    with pytest.raises(ValidationError) as excinfo:
        year.full_clean()
    assert "complete" in excinfo.value.message_dict
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦放假")
    year.full_clean()


def test_incomplete_year_may_be_saved_empty():
    HolidayCalendarYear(year=2027, complete=False).full_clean()


def test_override_rejects_implausible_year_and_strips_note():
    with pytest.raises(ValidationError) as excinfo:
        HolidayOverride(date=date(1999, 10, 1), is_workday=False, note="国庆节").full_clean()
    assert "date" in excinfo.value.message_dict
    override = HolidayOverride(date=date(2027, 10, 1), is_workday=False, note="  国庆节放假 ")
    override.full_clean()
    assert override.note == "国庆节放假"
    assert str(override) == "2027-10-01 放假（国庆节放假）"
