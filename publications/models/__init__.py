from .holidays import HolidayCalendarYear, HolidayOverride
from .policy import PolicyIndexPage, PolicyPage, PolicyStatus

__all__ = [
    "HolidayCalendarYear",
    "HolidayOverride",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyStatus",
]
