from craftsman.models.reference import (
    Industry,
    RecommendingUnit,
    SelectionRound,
    UnitMembership,
    programme_target,
)
from craftsman.models.submissions import (
    CertificateType,
    CompetitionResult,
    Education,
    Gender,
    Honour,
    SkillLevel,
    Status,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)

__all__ = [
    "CertificateType",
    "CompetitionResult",
    "Education",
    "Gender",
    "Honour",
    "Industry",
    "RecommendingUnit",
    "SelectionRound",
    "SkillLevel",
    "Status",
    "Submission",
    "SubmissionAttachment",
    "SubmissionEvent",
    "UnitMembership",
    "programme_target",
]
