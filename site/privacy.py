"""Personal data on screen: the one masking function for the whole site.

ID numbers show the first 4 and last 4 characters (``3607**********123X``),
mobile numbers the first 3 and last 4 (``138****1234``).  Public pages never
show either, nor a date of birth.
"""


def mask_id_number(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三丰 → 张**: for lists that need a hint of who, not the name."""
    value = (value or "").strip()
    return value[:1] + "*" * (len(value) - 1) if value else ""
