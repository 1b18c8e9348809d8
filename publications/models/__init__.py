from .holidays import HolidayCalendarYear, HolidayOverride
from .notices import NoticeIndexPage, NoticePage, NoticeType
from .objections import (
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    ObjectorType,
)
from .open_calls import OpenCallPage, WindowState
from .policy import PolicyIndexPage, PolicyPage, PolicyStatus
from .publicity import (
    PublicityColumn,
    PublicityEntry,
    PublicityNoticePage,
    PublicityOrder,
    PublicityState,
)
from .results import ResultAnnouncementPage, ResultListEntry

__all__ = [
    "HolidayCalendarYear",
    "HolidayOverride",
    "NoticeIndexPage",
    "NoticePage",
    "NoticeType",
    "Objection",
    "ObjectionEvidence",
    "ObjectionStatus",
    "ObjectorType",
    "OpenCallPage",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyStatus",
    "PublicityColumn",
    "PublicityEntry",
    "PublicityNoticePage",
    "PublicityOrder",
    "PublicityState",
    "ResultAnnouncementPage",
    "ResultListEntry",
    "WindowState",
]
