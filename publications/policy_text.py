"""Read a policy from its plain-text form into chapters and articles.

The measures are kept in ``publications/data/`` as the bureau published them:
a title line, an optional note in brackets, then lines ``第一章 总则`` and
``第一条 ……`` with the following paragraphs belonging to the article above.
"""

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from publications.numerals import parse_chinese_number

DATA_DIR = Path(__file__).resolve().parent / "data"
MEASURES_FILE = DATA_DIR / "ganzhou-craftsman-measures.zh.txt"

CHAPTER_RE = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.+)$")
ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十百]+)条\s*(.*)$")


@dataclass
class Article:
    number: int
    paragraphs: list[str] = field(default_factory=list)

    def html(self):
        return "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)


@dataclass
class Chapter:
    number: int
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class PolicyText:
    title: str
    preamble: str
    chapters: list[Chapter]

    def stream_data(self):
        """The ``body`` StreamField value of a PolicyPage."""
        return [
            {
                "type": "chapter",
                "value": {
                    "number": chapter.number,
                    "title": chapter.title,
                    "articles": [
                        {"number": article.number, "body": article.html()}
                        for article in chapter.articles
                    ],
                },
            }
            for chapter in self.chapters
        ]


def parse_policy(text: str) -> PolicyText:
    lines = [line.strip().replace("\u3000", " ") for line in text.splitlines()]
    lines = [line for line in lines if line]
    title = lines.pop(0)
    preamble = ""
    if lines and lines[0].startswith(("（", "(")):
        preamble = lines.pop(0)
    chapters: list[Chapter] = []
    for line in lines:
        if match := CHAPTER_RE.match(line):
            chapter_title = re.sub(r"\s+", "", match.group(2))
            chapters.append(Chapter(parse_chinese_number(match.group(1)), chapter_title))
        elif match := ARTICLE_RE.match(line):
            if not chapters:
                raise ValueError(f"条文出现在第一章之前：{line[:20]}")
            article = Article(parse_chinese_number(match.group(1)))
            if match.group(2).strip():
                article.paragraphs.append(match.group(2).strip())
            chapters[-1].articles.append(article)
        else:
            if not chapters or not chapters[-1].articles:
                raise ValueError(f"无法归属的段落：{line[:20]}")
            chapters[-1].articles[-1].paragraphs.append(line)
    return PolicyText(title=title, preamble=preamble, chapters=chapters)


def load_measures() -> PolicyText:
    return parse_policy(MEASURES_FILE.read_text(encoding="utf-8"))
