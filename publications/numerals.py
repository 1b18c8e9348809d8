"""Chinese numerals as used in document structure (第十五条, 第三章)."""

DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def parse_chinese_number(text: str) -> int:
    """``"十五"`` → 15, ``"二十一"`` → 21, ``"一百零二"`` → 102 (up to 999)."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += current * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def chinese_number(n: int) -> str:
    """15 → ``"十五"``, 10 → ``"十"``, 21 → ``"二十一"`` (1 to 99)."""
    names = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return names[ones]
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")
