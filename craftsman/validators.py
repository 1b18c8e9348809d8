"""Checks on what applicants type in: the national ID number (GB 11643-1999) and mobile numbers.

``validate_resident_id`` enforces the check character and a real date of birth
and raises ``ValidationError`` otherwise.  The area code is never a reason to
refuse: old codes (3621xx, 360721, 360727, 360782) stay valid for life, so a
non-Ganzhou or retired code is reported by ``resident_id_warnings`` only.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")

# GB/T 2260 codes of Ganzhou's current county-level units (see GLOSSARY.md).
GANZHOU_AREAS = {
    "360702": "章贡区",
    "360703": "南康区",
    "360704": "赣县区",
    "360722": "信丰县",
    "360723": "大余县",
    "360724": "上犹县",
    "360725": "崇义县",
    "360726": "安远县",
    "360728": "定南县",
    "360729": "全南县",
    "360730": "宁都县",
    "360731": "于都县",
    "360732": "兴国县",
    "360733": "会昌县",
    "360734": "寻乌县",
    "360735": "石城县",
    "360781": "瑞金市",
    "360783": "龙南市",
}
# Codes that no longer exist but still appear in valid ID numbers.
RETIRED_GANZHOU_PREFIXES = ("3621", "360721", "360727", "360782")


def normalize_resident_id(value):
    """Strip spaces and upper-case the check character (x → X)."""
    return re.sub(r"\s+", "", value or "").upper()


def check_character(first17):
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def birth_date_from_id(value):
    """The date of birth in an 18-character ID number, or None if it is not a real date."""
    value = normalize_resident_id(value)
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def gender_from_id(value):
    """ "M" for an odd sequence number, "F" for an even one."""
    value = normalize_resident_id(value)
    return "M" if int(value[16]) % 2 else "F"


def validate_resident_id(value):
    """Raise ``ValidationError`` unless ``value`` is a well-formed 18-character ID number.

    A lower-case ``x`` is accepted (and normalised by the model); spaces are ignored.
    """
    value = normalize_resident_id(value)
    if len(value) != 18:
        raise ValidationError(
            _("身份证号应为 18 位（当前 %(length)d 位）。") % {"length": len(value)},
            code="length",
        )
    if not ID_PATTERN.match(value):
        raise ValidationError(
            _("身份证号格式不正确：前 17 位应为数字，最后一位为数字或 X。"), code="format"
        )
    birth = birth_date_from_id(value)
    if birth is None:
        raise ValidationError(
            _("身份证号中的出生日期 %(date)s 不是有效日期。") % {"date": value[6:14]},
            code="birth_date",
        )
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("身份证号中的出生日期 %(date)s 不合理。") % {"date": value[6:14]},
            code="birth_date",
        )
    if check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("身份证号校验位不正确，请核对后重新输入。"),
            code="checksum",
        )


def resident_id_warnings(value):
    """Notes on an ID number that are not errors (the area code)."""
    value = normalize_resident_id(value)
    area = value[:6]
    if area in GANZHOU_AREAS:
        return []
    if value.startswith(RETIRED_GANZHOU_PREFIXES):
        return [
            _(
                "身份证号地区码 %(area)s 为赣州已撤销或调整的旧区划代码，身份证仍然有效，请注意核对户籍信息。"
            )
            % {"area": area}
        ]
    return [
        _("身份证号地区码 %(area)s 不属于赣州市，请确认申报人在赣州市行政区域内工作（居住）。")
        % {"area": area}
    ]


def validate_mobile(value):
    if not MOBILE_PATTERN.match(value or ""):
        raise ValidationError(_("请输入 11 位手机号码。"), code="mobile")


def make_resident_id(area, birth_date, sequence):
    """A valid ID number (used by the demo and the tests): area + YYYYMMDD + 3-digit sequence."""
    first17 = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
