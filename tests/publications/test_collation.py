"""姓氏笔画排序 (publications.collation): plain tests, no database.

Stroke sequences quoted below (1 横 2 竖 3 撇 4 点 5 折) are those of the bundled table,
checked by hand against the GB 13000.1 stroke order of each character.
"""

import logging
import random
import time

import pytest

from publications.collation import (
    sort_by_surname_strokes,
    stroke_sequence,
    stroke_sort_key,
    stroke_table,
)


def stroke_order(names):
    return sorted(names, key=stroke_sort_key)


@pytest.mark.parametrize(
    ("char", "sequence"),
    [
        ("一", "1"),
        ("乙", "5"),
        ("丁", "12"),  # 竖钩 counts as 竖
        ("小", "234"),
        ("王", "1121"),
        ("方", "4153"),
        ("刘", "413422"),
        ("李", "1234521"),  # 子: 横撇 5, 竖钩 2, 横 1
        ("张", "5153154"),
        ("陈", "5215234"),  # 阝 52 + 东 15234
        ("写", "45151"),
        ("达", "134454"),  # 6 strokes: 辶 is 点 横折折撇 捺
        ("德", "332122522114544"),  # corrected from the upstream data
        ("皙", "1234331232511"),  # corrected from the upstream data
        ("扌", "121"),  # radical added by hand
    ],
)
def test_known_stroke_sequences(char, sequence):
    assert stroke_sequence(char) == sequence


def test_table_covers_all_of_gb2312_and_uses_five_classes():
    table = stroke_table()
    gb2312 = []
    for high in range(0xB0, 0xF8):  # rows 16-87: levels 1 and 2
        for low in range(0xA1, 0xFF):
            try:
                gb2312.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(gb2312) == 6763
    assert [char for char in gb2312 if char not in table] == []
    assert all(sequence and set(sequence) <= set("12345") for sequence in table.values())


def test_fewer_strokes_first():
    # 丁 2, 于 3, 王 4, 白 5, 刘 6, 李 7, 林 8, 赵 9, 高 10
    names = ["高明", "李明", "赵明", "丁明", "林明", "王明", "白明", "于明", "刘明"]
    assert stroke_order(names) == [
        "丁明",
        "于明",
        "王明",
        "白明",
        "刘明",
        "李明",
        "林明",
        "赵明",
        "高明",
    ]


def test_equal_stroke_counts_broken_by_stroke_sequence():
    # 4 strokes: 王 1121 < 方 4153.
    assert stroke_order(["方", "王"]) == ["王", "方"]
    # 7 strokes: 李 1234521 < 杨 1234533 < 吴 2511134 < 何 3212512 < 张 5153154
    # < 阿 5212512 < 陈 5215234 (李 and 杨 agree on four strokes, 张 阿 陈 on the first).
    names = ["陈", "阿", "张", "何", "吴", "杨", "李"]
    assert stroke_order(names) == ["李", "杨", "吴", "何", "张", "阿", "陈"]


def test_same_surname_broken_by_following_characters():
    # 伟 6 strokes < 芳 7; 伟 321152 < 华 323512 (both 6); 红 6 < 明 8 in third place.
    assert stroke_order(["王芳", "王伟"]) == ["王伟", "王芳"]
    assert stroke_order(["张华", "张伟"]) == ["张伟", "张华"]
    assert stroke_order(["李小明", "李小红"]) == ["李小红", "李小明"]
    # A name that is a prefix of another comes first.
    assert stroke_order(["王芳芳", "王芳"]) == ["王芳", "王芳芳"]
    # The surname decides before anything else: 丁 (2) beats a much shorter given name.
    assert stroke_order(["王一", "丁鑫鑫"]) == ["丁鑫鑫", "王一"]


def test_pinyin_order_is_not_used():
    # Pinyin order would be chén 陈, lǐ 李, liú 刘, wáng 王, zhāng 张.
    names = ["陈", "李", "刘", "王", "张"]
    assert stroke_order(names) == ["王", "刘", "李", "张", "陈"]
    # Same stroke count, pinyin and stroke sequence disagree: 张 (zhāng) before 陈 (chén).
    assert stroke_order(["陈", "张"]) == ["张", "陈"]
    # A character without data is not placed by its pinyin (𠮷 jí would come before 王 wáng).
    assert stroke_order(["𠮷", "王"]) == ["王", "𠮷"]


def test_character_without_data_sorts_last_and_logs_a_warning(caplog):
    assert stroke_sequence("𠮷") is None  # U+20BB7, 6 strokes, not in the table
    assert stroke_sequence("齉") is not None  # 36 strokes
    with caplog.at_level(logging.WARNING, logger="publications.collation"):
        ordered = stroke_order(["𠮷田", "齉", "王𠮷", "王齉", "一"])
    assert ordered == ["一", "王齉", "王𠮷", "齉", "𠮷田"]
    warnings = [r for r in caplog.records if r.name == "publications.collation"]
    assert warnings
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert all("𠮷" in r.getMessage() for r in warnings)


def test_whitespace_middle_dot_and_other_non_han_characters_are_ignored():
    assert stroke_sort_key("  阿卜杜·热合曼 ") == stroke_sort_key("阿卜杜热合曼")
    assert stroke_sort_key("买买提・艾力") == stroke_sort_key("买买提艾力")  # katakana dot
    assert stroke_sort_key("王 芳（女）") == stroke_sort_key("王芳女")
    assert stroke_sort_key("") == ()


def test_latin_letters_sort_after_han_characters():
    names = ["smith", "齉", "Adams", "王Bob", "王伟", "éric"]
    assert stroke_order(names) == ["王伟", "王Bob", "齉", "Adams", "éric", "smith"]


def test_sort_by_surname_strokes_with_key_returns_new_list():
    people = [{"name": "李四"}, {"name": "王五"}, {"name": "丁一"}]
    ordered = sort_by_surname_strokes(people, key=lambda person: person["name"])
    assert [person["name"] for person in ordered] == ["丁一", "王五", "李四"]
    assert [person["name"] for person in people] == ["李四", "王五", "丁一"]
    assert sort_by_surname_strokes(iter(["李", "王"])) == ["王", "李"]


def test_sorting_five_thousand_names_is_fast():
    chars = sorted(stroke_table())
    rng = random.Random(2024)
    names = ["".join(rng.choices(chars, k=rng.randint(2, 3))) for _ in range(5000)]
    start = time.perf_counter()
    ordered = sort_by_surname_strokes(names)
    assert time.perf_counter() - start < 2
    first = [stroke_sequence(name[0]) for name in ordered]
    assert [len(seq) for seq in first] == sorted(len(seq) for seq in first)
