"""Which of the figures every report must give (rules/topics.yaml) a report states: in a claim of
its narrative (a count, a negation, an absolute) or in its statistics table."""

from __future__ import annotations

import fnmatch
import re

from auditor.model import Document
from auditor.rules.data import load_data


def required_topics() -> dict[str, dict]:
    return load_data("topics").get("topics", {})


def _cell(doc: Document, path: str):
    table, row, column = path.split(".")
    return ((doc.tables.get(table) or {}).get(row) or {}).get(column)


# A numbered heading line ("四、", "（四）", "4.") and the text under it, up to the next heading.
# Blanks before the marker stay on its line ([^\S\n]*): with \s*, every line start of a long run of
# blank lines scanned the rest of the run (time quadratic in it). Only the groups are used, and
# they are the same (blank lines before a heading belong to the body before it).
_HEADING = re.compile(r"^[^\S\n]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])(?P<title>[^\n。]{2,40})\n"
                      r"(?P<body>(?:(?![ \t]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]))[^\n]*\n?)*)", re.M)


def _heading_with_text(text: str, pattern: str) -> bool:
    return any(re.search(pattern, m.group("title")) and m.group("body").strip()
               for m in _HEADING.finditer(text))


def stated_topics(doc: Document, claims) -> dict[str, bool]:
    """Topic key → whether the report states a figure for it."""
    stated = {}
    for key, topic in required_topics().items():
        in_prose = any(any(fnmatch.fnmatchcase(c.concept, p) for p in topic["concepts"])
                       and "other_year" not in c.scope for c in claims)
        in_table = any(_cell(doc, path) is not None for path in topic.get("cells", ()))
        under_heading = "heading" in topic and _heading_with_text(doc.text, topic["heading"])
        stated[key] = in_prose or in_table or under_heading
    return stated
