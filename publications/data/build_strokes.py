"""Regenerate ``strokes.tsv`` (stroke sequences for 姓氏笔画排序) from cnchar-order.

Source: the npm package ``cnchar-order`` 3.2.6 (MIT licence, (c) theajack; see
STROKES-LICENSE.txt).  Its ``cnchar.order.min.js`` embeds two JSON tables:

* ``{"王": "jjfj", ...}``: for 6,939 characters, the strokes in writing order,
  one letter per stroke, each letter one of ~25 detailed stroke shapes;
* ``{"j": {"name": "横", "type": "平笔", ...}, ...}``: what each letter means.

This script folds the detailed stroke shapes into the five classes of the GB 13000.1
stroke-order standard (横 1 incl. 提; 竖 2 incl. 竖钩; 撇 3; 点 4 incl. 捺; 折 5 = every
other bent stroke), applies a few corrections found by cross-checking, adds the 31
radical-only code points of GB 2312 level 2 that cnchar-order lacks, and writes one
line per character: ``<character> TAB <digits 1-5>``, sorted by code point.

Cross-checks made when the table was built (not needed to rerun this script):

* total stroke counts against Unicode's Unihan ``kTotalStrokes`` (Unicode 15.0, first
  value = the zh-Hans count): all 6,939 agree except 皙 (fixed below) and 囍 (Unihan 21,
  cnchar 24: the glyph is drawn with shared strokes or not; not a name character);
* sequences against an independent table for all 6,763 GB 2312 characters: 4 differ;
  three are cnchar errors fixed below, and in the fourth (达) cnchar is right.

Usage (from the repository root; needs ``npm`` on PATH unless --tarball is given)::

    python publications/data/build_strokes.py [--tarball cnchar-order-3.2.6.tgz]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "cnchar-order@3.2.6"
# npm's dist.integrity for cnchar-order 3.2.6: the tarball must be exactly this one.
INTEGRITY = "sha512-xeW1MnQk9GLW9rOvgTtBLl9amyJ0MBKAuXGgbiAwC/n1MRLoxW4ZnjPL+isVsi0rV3QXlbiDQQKAnL6TsJNLhA=="
MEMBER = "package/cnchar.order.min.js"
OUTPUT = Path(__file__).with_name("strokes.tsv")

# cnchar stroke names -> GB 13000.1 five-class digit.  Every name not listed is a bent
# stroke (折笔), class 5; 竖钩 is the one cnchar "折笔" that the standard files under 竖.
CLASS_BY_NAME = {
    "横": "1",
    "提": "1",
    "竖": "2",
    "竖钩": "2",
    "撇": "3",
    "点": "4",
    "点2": "4",  # cnchar's left-falling dot (the first stroke of 心, 火, 冖 in 写)
    "捺": "4",
}
FOLD_CLASS = "5"
STRAIGHT_TYPE = "平笔"  # cnchar's type for the unbent strokes; all must be named above

# Sequences where cnchar-order 3.2.6 is wrong, with the component analysis that fixes them.
CORRECTIONS = {
    # 析 (12343312) + 白 (32511): cnchar drops 白's first 撇 and writes it as 竖.
    "皙": "1234331232511",
    # 火 (4334) + 只 (25134): the 撇 of 只's base is written as a dot in cnchar.
    "炽": "433425134",
    # 彳 (332) + 十 (12) + 罒 (25221) + 一 (1) + 心 (4544); cnchar adds a 撇 after 十.
    "德": "332122522114544",
    # 扌 (121) + 厥 (134315233534, as cnchar itself has for 厥 蹶 獗 橛 镢 噘 蕨).
    "撅": "121134315233534",
}

# GB 2312 level 2 opens with radicals that cnchar-order does not list.  Their sequences
# are those of the same component inside a character (the example after each).
RADICALS = {
    "丨": "2",  # 中
    "丿": "3",  # 乏
    "丶": "4",  # 为
    "匚": "15",  # 区 = 1 34 5
    "刂": "22",  # 到
    "亠": "41",  # 六
    "冫": "41",  # 冰
    "冖": "45",  # 写
    "讠": "45",  # 说
    "卩": "52",  # 印
    "阝": "52",  # 院
    "廴": "54",  # 建
    "艹": "122",  # 花
    "扌": "121",  # 打
    "彳": "332",  # 行
    "彡": "333",  # 形
    "犭": "353",  # 狗
    "夂": "354",  # 务
    "饣": "355",  # 饭
    "忄": "442",  # 快
    "丬": "412",  # 将
    "氵": "441",  # 江
    "宀": "445",  # 字
    "辶": "454",  # 过
    "彐": "511",  # 归
    "屮": "522",  # 出
    "纟": "551",  # 红
    "灬": "4444",  # 点
    "礻": "4524",  # 社
    "疒": "41341",  # 病
    "衤": "45234",  # 被
}


def fetch_tarball(directory: Path) -> Path:
    """``npm pack`` the pinned package into *directory* and return the tarball path."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--json", "--pack-destination", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return directory / json.loads(result.stdout)[0]["filename"]


def check_integrity(tarball: Path) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if "sha512-" + digest != INTEGRITY:
        sys.exit(f"{tarball}: not {PACKAGE} (sha512 mismatch)")


def embedded_json(script: str) -> list[dict]:
    """The ``JSON.parse('...')`` literals embedded in the minified script, in order."""
    literals = re.findall(r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)", script)
    return [json.loads(literal) for literal in literals]


def letter_classes(table: dict) -> dict[str, str]:
    classes = {}
    for letter, info in table.items():
        names = info["name"].split("|")
        if info["type"] == STRAIGHT_TYPE and not all(n in CLASS_BY_NAME for n in names):
            sys.exit(f"unmapped straight stroke {letter}: {info}")
        found = {CLASS_BY_NAME.get(name, FOLD_CLASS) for name in names}
        if len(found) != 1:
            sys.exit(f"stroke letter {letter} spans several classes: {info}")
        classes[letter] = found.pop()
    return classes


def build(tarball: Path) -> dict[str, str]:
    check_integrity(tarball)
    with tarfile.open(tarball) as archive:
        script = archive.extractfile(MEMBER).read().decode("utf-8")
    orders, table = embedded_json(script)
    classes = letter_classes(table)
    sequences = {
        char: "".join(classes[letter] for letter in letters) for char, letters in orders.items()
    }
    for char, sequence in CORRECTIONS.items():
        if sequences.get(char) == sequence:
            print(f"note: upstream now has {char} {sequence}; correction no longer needed")
        sequences[char] = sequence
    for char, sequence in RADICALS.items():
        sequences.setdefault(char, sequence)
    return sequences


def gb2312_characters() -> list[str]:
    """The 6,763 hanzi of GB 2312: rows 16-55 (level 1) and 56-87 (level 2)."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a local `npm pack {PACKAGE}` tarball")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sequences = build(args.tarball or fetch_tarball(Path(tmp)))
    missing = [c for c in gb2312_characters() if c not in sequences]
    if missing:
        sys.exit(f"GB 2312 characters without data: {''.join(missing)}")
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"# Stroke sequences (1 横 2 竖 3 撇 4 点 5 折) from npm {PACKAGE}, MIT licence;\n"
            "# see STROKES-LICENSE.txt. Generated by build_strokes.py: do not edit by hand.\n"
        )
        for char in sorted(sequences):
            out.write(f"{char}\t{sequences[char]}\n")
    print(f"wrote {len(sequences)} characters to {args.output}")


if __name__ == "__main__":
    main()
