import pytest

from craftsman.eligibility import FAILED, NOT_APPLICABLE, PASSED, RULES, WARNING
from craftsman.models import (
    CertificateType,
    CompetitionResult,
    Honour,
    Industry,
    SkillLevel,
    SubmissionAttachment,
)

pytestmark = pytest.mark.django_db


def report_for(submission):
    return submission.eligibility_report()


def test_every_rule_cites_its_article():
    assert len({rule.key for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.article.startswith("第") and rule.article.endswith("条")
        assert str(rule.title)


def test_a_complete_submission_passes(make_submission):
    report = report_for(make_submission())
    assert report.outcome == PASSED, [(i.rule.key, i.message) for i in report.failures]
    assert not report.has_failures


def test_identity_rule(make_submission):
    submission = make_submission()
    submission.id_number = submission.id_number[:17] + (
        "0" if submission.id_number[17] != "0" else "1"
    )
    assert report_for(submission).get("identity").status == FAILED


def test_basic_information_rule(make_submission):
    submission = make_submission(occupation="")
    item = report_for(submission).get("basic")
    assert item.status == FAILED and "职业（工种）" in item.message


def test_gender_rule(make_submission):
    submission = make_submission()
    submission.gender = "F" if submission.gender == "M" else "M"
    assert report_for(submission).get("gender").status == WARNING


@pytest.mark.parametrize(
    ("area", "status"), [("360781", PASSED), ("gzjk", PASSED), ("outside", FAILED), ("", FAILED)]
)
def test_location_rule(make_submission, area, status):
    assert report_for(make_submission(work_area=area)).get("location").status == status


def test_industry_rule(make_submission):
    other = Industry.objects.create(name="其他行业", group=Industry.Group.OTHER)
    assert report_for(make_submission()).get("industry").status == PASSED
    assert report_for(make_submission(industry=other)).get("industry").status == WARNING
    assert report_for(make_submission(industry=None)).get("industry").status == WARNING


def test_qualification_below_senior_worker_is_a_warning_not_a_failure(make_submission):
    submission = make_submission(skill_level=SkillLevel.LEVEL_4)
    report = report_for(submission)
    item = report.get("qualification")
    assert item.status == WARNING and "原则上" in item.message
    assert report.outcome == WARNING and not report.has_failures


def test_qualification_rule_levels(make_submission):
    assert (
        report_for(make_submission(skill_level=SkillLevel.LEVEL_3)).get("qualification").status
        == PASSED
    )
    assert report_for(make_submission(certificate_type="")).get("qualification").status == WARNING
    farmer = make_submission(certificate_type=CertificateType.FARMER_TITLE, skill_level=None)
    assert report_for(farmer).get("qualification").status == PASSED


def test_conditions_rule_needs_one_condition(make_submission):
    submission = make_submission(condition_1="")
    item = report_for(submission).get("conditions")
    assert item.status == FAILED


@pytest.mark.parametrize(
    ("level", "rank", "meets"),
    [
        (CompetitionResult.Level.NATIONAL, 10, True),
        (CompetitionResult.Level.NATIONAL, 11, False),
        (CompetitionResult.Level.PROVINCIAL_1, 6, True),
        (CompetitionResult.Level.PROVINCIAL_1, 7, False),
        (CompetitionResult.Level.PROVINCIAL_2, 3, True),
        (CompetitionResult.Level.PROVINCIAL_2, 4, False),
        (CompetitionResult.Level.CITY_1, 3, True),
        (CompetitionResult.Level.CITY_1, 4, False),
        (CompetitionResult.Level.OTHER, 1, False),
    ],
)
def test_condition_7_thresholds(make_submission, level, rank, meets):
    submission = make_submission(condition_1="")
    CompetitionResult.objects.create(
        submission=submission, name="职业技能大赛", level=level, rank=rank, year=2024
    )
    report = report_for(submission)
    assert report.get("condition_7").status == (PASSED if meets else WARNING)
    # With no other condition claimed, (七) alone decides eligibility.
    assert report.get("conditions").status == (PASSED if meets else FAILED)


def test_condition_7_not_applicable_without_results(make_submission):
    assert report_for(make_submission()).get("condition_7").status == NOT_APPLICABLE


@pytest.mark.parametrize(
    "field",
    [
        "in_national_talent_programme",
        "in_double_thousand_plan",
        "in_double_high_project",
        "in_talent_directory_d",
    ],
)
def test_exclusions_fail(make_submission, field):
    report = report_for(make_submission(**{field: True}))
    assert report.get("exclusions").status == FAILED
    assert report.has_failures


@pytest.mark.parametrize(
    "field", ["has_criminal_record", "ip_infringement_investigated", "serious_misconduct"]
)
def test_disqualifications_fail(make_submission, field):
    assert report_for(make_submission(**{field: True})).get("disqualifications").status == FAILED


def test_county_craftsman_priority(make_submission):
    submission = make_submission()
    assert report_for(submission).get("county_craftsman").status == NOT_APPLICABLE
    Honour.objects.create(
        submission=submission,
        kind=Honour.Kind.COUNTY_CRAFTSMAN,
        title="章贡区县级工匠",
        level=Honour.Level.COUNTY,
        year=2024,
    )
    item = report_for(submission).get("county_craftsman")
    assert item.status == PASSED and "优先" in item.message


def test_achievements_rule(make_submission):
    assert report_for(make_submission(achievements="")).get("achievements").status == FAILED
    assert (
        report_for(make_submission(achievements="字" * 2001)).get("achievements").status == FAILED
    )
    assert (
        report_for(make_submission(achievements="字" * 2000)).get("achievements").status == PASSED
    )


@pytest.mark.parametrize(
    "field", ["declarations_confirmed_at", "integrity_pledge_at", "publication_consent_at"]
)
def test_declarations_rule(make_submission, field):
    assert report_for(make_submission(**{field: None})).get("declarations").status == FAILED


def test_attachments_rule(make_submission):
    submission = make_submission()
    assert report_for(submission).get("attachments").status == PASSED
    submission.attachments.filter(kind=SubmissionAttachment.Kind.PHOTO).delete()
    item = report_for(submission).get("attachments")
    assert item.status == FAILED and "近期免冠照片" in item.message


def test_unit_rule(make_submission):
    assert report_for(make_submission(recommending_unit=None)).get("unit").status == FAILED


def test_report_is_cached_on_the_submission(make_submission):
    submission = make_submission(skill_level=SkillLevel.LEVEL_4)
    submission.refresh_eligibility()
    submission.refresh_from_db()
    assert submission.eligibility == WARNING
