"""The six sections, found by numeral plus keywords.

Headings vary ("一、概述", "五、存在问题及改进情况", "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
markdown "##", numbers missing, renumbered parts) and in crawler text they run straight into
the next sentence ("二、主动公开政府信息情况第二十条…"). So a heading is a numeral and "、" followed
by a title pattern for one section key, wherever it stands; the key decides, not the numeral.
Table row labels that look like headings ("三、本年度办理结果", "四、结转下年度继续办理") match no
title pattern and are never taken for sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import Section

SECTION_ORDER = ("overview", "active", "applications", "appeals", "problems", "other")
EXPECTED_NUMERAL = dict(zip(SECTION_ORDER, "一二三四五六"))

# Title patterns per key. The first alternative of each is the wording of the official format;
# matching it exactly scores higher than the looser variants.
TITLE_PATTERNS: dict[str, tuple[str, str]] = {
    "overview": (
        r"总体情况",
        # "一、年度信息公开总体情况", "一、总体公开情况" too
        r"概述|工作概况|概况|(?:年度)?(?:政府)?(?:信息公开|政务公开)?(?:工作)?(?:的)?(?:总体|基本)(?:公开|工作)?情况",
    ),
    "active": (
        r"主动公开政府信息情况",
        r"主动公开政府信息的情况|主动公开(?:政府信息)?(?:工作)?(?:的)?情况",
    ),
    "applications": (
        r"收到和处理政府信息公开申请情况",
        r"收到和处理政府信息公开申请的情况|收到和处理.{0,10}?申请.{0,4}?情况"
        r"|(?:政府信息)?依申请公开(?:政府信息)?(?:工作)?(?:的)?(?:办理)?情况"
        r"|政府信息公开申请(?:的)?(?:办理)?情况",
    ),
    "appeals": (
        r"政府信息公开行政复议、行政诉讼情况",
        r"(?:因)?政府信息公开(?:申请)?(?:而)?(?:被申请|引起的?|提起)?(?:的)?行政法?复议.{0,16}?情况"
        r"|.{0,14}?行政复议.{0,14}?行政诉讼.{0,8}?情况"
        # "四、复议、诉讼和申诉办理情况" (2008 layout): the title itself, not a line that merely
        # names both ("（三）复议、诉讼和申诉情况" under 一 is no section)
        r"|复议、诉讼.{0,8}?情况",
    ),
    "problems": (
        r"存在的主要问题及改进情况",
        r"(?:(?:政府)?信息公开)?(?:工作)?存在(?:的)?(?:主要)?问题(?:及|和|与|以及)(?:其)?改进(?:的)?(?:情况|措施)"
        r"|(?:主要)?问题(?:及|和|与)改进(?:情况|措施)|存在(?:的)?(?:主要)?问题",
    ),
    "other": (
        r"其他需要报告的事项",
        r"其他需要(?:报告|说明)的事项|需要(?:报告|说明)的(?:其他)?事项|其他事项",
    ),
}

_NUMERAL = r"(?P<num>[一二三四五六七八九十]{1,2})\s*[、.．]\s*"
_COMPILED = {key: (re.compile(canon), re.compile(loose)) for key, (canon, loose) in TITLE_PATTERNS.items()}
_NUMBERED = re.compile(_NUMERAL)
# A line that is a title of its own, per key, and of any key.
_TITLE_LINE = r"(?m)^[ \t]*(?:#{{1,6}}\s*)?({})[：:]?[ \t]*$"
_TITLE_LINES = {key: re.compile(_TITLE_LINE.format(f"{canon}|{loose}"))
                for key, (canon, loose) in TITLE_PATTERNS.items()}
_ANY_TITLE_LINE = re.compile(_TITLE_LINE.format("|".join(f"{canon}|{loose}" for canon, loose in TITLE_PATTERNS.values())))
# A sub-heading's numeral in brackets: "（三）", "(3)"
_SUB_NUMERAL = re.compile(r"\s*[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[）)]")
# A 五 whose heading was lost (a PDF's text layer): its first sub-heading still says what it is
# ("（一）主要问题", "（一）2024年工作中存在问题的改进情况"). Scored below every real heading.
# The blanks after （一） belong to it: `[ \t]*(?:…)?(?:（一）)?[ \t]*` put two blank-runs side by
# side, and a line of blanks was split every way (time quadratic in its length). Same lines match.
_UNNUMBERED_PROBLEMS = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]*)?(?:[（(]一[）)][ \t]*)?(?:(?:19|20)\d{2}[ \t]*年度?)?"
                                  r"[^\n，。；：:]{0,8}?(?:存在的?(?:主要)?问题(?:的|及|和)?(?:改进|整改)?(?:情况|措施)?"
                                  r"|主要问题)[：:]?[ \t]*$")


@dataclass(frozen=True)
class _Candidate:
    key: str
    number: str | None
    start: int
    title_end: int
    score: float


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _NUMBERED.finditer(text):
        after = m.end()
        line_start, line_end = _line_bounds(text, m.start())
        prefix = text[line_start:m.start()].strip(" \t#*")
        at_line_start = prefix == ""
        for key, (canon, loose) in _COMPILED.items():
            cm = canon.match(text, after, min(line_end, after + 40))
            lm = cm or loose.match(text, after, min(line_end, after + 40))
            if not lm:
                continue
            score = 3.0 if cm else 1.0
            if EXPECTED_NUMERAL[key] == m.group("num"):
                score += 1.0
            if at_line_start:
                score += 1.0
            # A heading is short: on its own line it is the whole line.
            if at_line_start and line_end - lm.end() <= 2:
                title_end = line_end
                score += 0.5
            else:
                title_end = lm.end()
            found.append(_Candidate(key, m.group("num"), m.start() if at_line_start else m.start(),
                                    title_end, score))
    # Unnumbered headings on a line of their own ("存在的主要问题及改进情况", "（一）主要问题").
    # Each key's lines match where some key's do: the keys' scans start at the first of those
    # (none in most reports), found by one scan for all.
    first = _ANY_TITLE_LINE.search(text)
    for key, line_pattern in _TITLE_LINES.items() if first is not None else ():
        for m in line_pattern.finditer(text, first.start()):
            if _SUB_NUMERAL.match(m.group(1)):
                continue  # "（三）信息公开申请行政复议、提起行政诉讼的情况" under 一: a part of a section
            found.append(_Candidate(key, None, m.start(1), m.end(1), 0.5))
    for m in _UNNUMBERED_PROBLEMS.finditer(text):
        found.append(_Candidate("problems", None, m.start(), m.end(), 0.25))
    return found


def _drop_table_of_contents(cands: list[_Candidate], text: str) -> list[_Candidate]:
    """A heading title followed by a comma is an entry of a table of contents ("二、主动公开…情况,"):
    in the report itself a heading ends its line or runs into the section's text."""
    return [c for c in cands if not text.startswith((",", "，"), c.title_end)]


def find_sections(text: str) -> tuple[Section, ...]:
    best: dict[str, _Candidate] = {}
    for cand in _drop_table_of_contents(_candidates(text), text):
        cur = best.get(cand.key)
        if cur is None or cand.score > cur.score:
            best[cand.key] = cand
    chosen = sorted(best.values(), key=lambda c: c.start)
    # Two keys claiming the same heading position: keep the better-scored one.
    deduped: list[_Candidate] = []
    for cand in chosen:
        if deduped and deduped[-1].start == cand.start:
            if cand.score > deduped[-1].score:
                deduped[-1] = cand
            continue
        deduped.append(cand)
    sections = []
    for i, cand in enumerate(deduped):
        end = deduped[i + 1].start if i + 1 < len(deduped) else len(text)
        title = text[cand.start:cand.title_end].strip().lstrip("#").strip()
        sections.append(Section(key=cand.key, number=cand.number, title=title,
                                start=cand.start, end=end))
    return tuple(sections)
