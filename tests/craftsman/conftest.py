"""Fixtures of the craftsman tests: a round open now, units, staff of two units, and a
complete, eligible submission factory."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from craftsman.models import (
    CertificateType,
    Industry,
    RecommendingUnit,
    SelectionRound,
    SkillLevel,
    Submission,
    SubmissionAttachment,
    UnitMembership,
)
from craftsman.permissions import grant_permissions
from craftsman.validators import make_resident_id
from website.roles import group_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(out, format="PNG")
    return out.getvalue()


def pdf_file(name="推荐函.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def units(db):
    zhanggong = RecommendingUnit.objects.create(
        kind=RecommendingUnit.Kind.COUNTY, name="章贡区人社局", area="章贡区", code="360702"
    )
    ruijin = RecommendingUnit.objects.create(
        kind=RecommendingUnit.Kind.COUNTY, name="瑞金市人社局", area="瑞金市", code="360781"
    )
    return {"zhanggong": zhanggong, "ruijin": ruijin}


@pytest.fixture
def industry(db):
    return Industry.objects.create(name="有色金属（稀土、钨）新材料", group=Industry.Group.LEADING)


@pytest.fixture
def open_round(db):
    now = timezone.now()
    return SelectionRound.objects.create(
        year=2030,
        title="2030年度“赣州工匠”培养选拔",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
        status=SelectionRound.Status.OPEN,
    )


def make_user(username, role=None, unit=None, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", "x-Test-pass-123", **extra
    )
    if role:
        user.groups.add(group_for(role))
    if unit:
        UnitMembership.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def users(db, units):
    grant_permissions()
    return {
        "bureau": make_user("t_bureau", "bureau"),
        "zhanggong": make_user("t_zhanggong", "unit_staff", units["zhanggong"]),
        "ruijin": make_user("t_ruijin", "unit_staff", units["ruijin"]),
        "expert": make_user("t_expert", "expert"),
        "applicant": make_user("t_applicant", "applicant"),
        "other_applicant": make_user("t_other", "applicant"),
    }


_sequence = iter(range(101, 999, 2))


def _next_id_number():
    """A fresh male ID number ending in a digit (tests compare lower-cased numbers)."""
    while True:
        number = make_resident_id("360702", datetime.date(1980, 5, 17), next(_sequence))
        if number[-1].isdigit():
            return number


@pytest.fixture
def make_submission(db, open_round, units, industry, users):
    """A complete, eligible draft by ``users['applicant']`` to 章贡区 (override with kwargs)."""

    def factory(attachments=True, **overrides):
        now = timezone.now()
        fields = {
            "round": open_round,
            "recommending_unit": units["zhanggong"],
            "applicant": users["applicant"],
            "name": "王建国",
            "id_number": _next_id_number(),
            "mobile": "13812341234",
            "email": "wang@example.com",
            "employer": "赣州稀金科技有限公司",
            "work_area": "360702",
            "industry": industry,
            "occupation": "稀土冶炼工",
            "years_in_trade": 15,
            "certificate_type": CertificateType.SKILL_LEVEL,
            "skill_level": SkillLevel.LEVEL_2,
            "certificate_number": "S2020360700001",
            "condition_1": "掌握稀土萃取关键工序。",
            "achievements": "长期扎根一线，改进工艺，提高合格率。",
            "declarations_confirmed_at": now,
            "integrity_pledge_at": now,
            "publication_consent_at": now,
        }
        fields.update(overrides)
        submission = Submission.objects.create(**fields)
        if attachments:
            for kind in SubmissionAttachment.REQUIRED_KINDS:
                content = png_bytes() if kind == SubmissionAttachment.Kind.PHOTO else PDF_BYTES
                SubmissionAttachment.create_from_upload(
                    submission, kind, SimpleUploadedFile("f.bin", content)
                )
        return submission

    return factory


@pytest.fixture
def submitted(make_submission, users):
    submission = make_submission()
    submission.submit(by=users["applicant"])
    return submission
