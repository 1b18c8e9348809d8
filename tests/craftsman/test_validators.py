import datetime

import pytest
from django.core.exceptions import ValidationError

from craftsman.validators import (
    birth_date_from_id,
    check_character,
    make_resident_id,
    resident_id_warnings,
    validate_resident_id,
)

VALID = make_resident_id("360702", datetime.date(1990, 1, 1), 123)


def test_the_checksum_of_a_known_number():
    # GB 11643 worked example.
    assert check_character("11010519491231002") == "X"
    validate_resident_id("11010519491231002X")


def test_a_valid_ganzhou_number_passes_without_warnings():
    validate_resident_id(VALID)
    assert resident_id_warnings(VALID) == []
    assert birth_date_from_id(VALID) == datetime.date(1990, 1, 1)


def test_bad_checksum_is_refused():
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_resident_id(wrong)


def test_impossible_date_is_refused():
    first17 = "36070219900230123"
    with pytest.raises(ValidationError, match="不是有效日期"):
        validate_resident_id(first17 + check_character(first17))


def test_future_birth_date_is_refused():
    first17 = "36070221000101123"
    with pytest.raises(ValidationError, match="不合理"):
        validate_resident_id(first17 + check_character(first17))


@pytest.mark.parametrize("value", ["3607021990010112", "3607021990010112345", ""])
def test_wrong_length_is_refused(value):
    with pytest.raises(ValidationError, match="18 位"):
        validate_resident_id(value)


def test_letters_in_the_middle_are_refused():
    with pytest.raises(ValidationError, match="格式"):
        validate_resident_id("3607021990A101123X")


def test_lowercase_x_is_accepted():
    number = "11010519491231002x"
    validate_resident_id(number)


def test_retired_area_code_is_only_a_warning():
    retired = make_resident_id("362101", datetime.date(1975, 3, 3), 111)
    validate_resident_id(retired)  # no error
    warnings = resident_id_warnings(retired)
    assert len(warnings) == 1 and "旧区划代码" in str(warnings[0])


def test_non_ganzhou_area_code_is_only_a_warning():
    other = make_resident_id("110105", datetime.date(1975, 3, 3), 111)
    validate_resident_id(other)
    assert "不属于赣州市" in str(resident_id_warnings(other)[0])


@pytest.mark.django_db
def test_the_model_normalises_and_derives(make_submission):
    submission = make_submission(id_number="11010519491231002x")
    submission.refresh_from_db()
    assert submission.id_number == "11010519491231002X"
    assert submission.birth_date == datetime.date(1949, 12, 31)
    assert submission.gender == "F"  # 002: even sequence
