"""The statistics table of the pre-2019 layout (政府信息公开情况统计表, the 2008 format).

Reports of 2008–2018 end with a table of indicators, one per row: a label, a unit and the
year's figure, often with the cumulative figure since 2008 beside it:

    指标名称 计量单位 2014年度 历年累计 主动公开文件数 条 2543 78967 其中：1、政府网站公开数 条 2543 78967 …

Scraped pages run it together ("主动公开文件数条206912106其中：1.政府网站公开数条2069121062.政府公报公开数条00"):
the row labels are found by their wording, the unit is dropped, the next row's ordinal ("2.") is
cut off the end of the figures, and a run of digits holding two figures is split where the
table's own sums (a total and its 其中 rows, in both columns) and year ≤ cumulative allow; when
they leave several readings, the one with figures of the most similar length is taken and a
diagnostic says so. The table is `tables.statistics_2008`, `{row: {"year": n, "cumulative": n}}`.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from auditor.model import Diagnostic
from auditor.structure.tables.labels import STATISTICS_2008_ROW_LABELS
from auditor.structure.tables.split import MAX_DIGITS, not_a_number_cause, to_number

TABLE_KEY = "statistics_2008"
# Readings of a total and its rows tried together at most: bounded time for any input.
MAX_COMBINATIONS = 20000
# Rows by wording, in the order they are tried (the more specific first: "接受行政诉讼、举报数" is
# a complaint row, not the 行政诉讼 row).
ROWS: tuple[tuple[str, str], ...] = (
    ("active_total", r"主动公开(?:政府)?(?:信息|文件)(?:总)?数"),
    ("active_website", r"(?:政府)?网站公开(?:数)?"),
    ("active_gazette", r"(?:政府)?公报公开(?:数)?"),
    ("requests_total", r"(?:受理)?(?:政府信息)?依申请公开(?:信息)?总数|受理(?:政府信息公开)?申请(?:总)?数"),
    ("requests_in_person", r"当面申请数"),
    ("requests_mail_fax", r"信函、传真申请数"),
    ("requests_fax", r"传真申请数"),
    ("requests_email", r"电子邮件申请数"),
    ("requests_online", r"网[上络]申请数"),
    ("requests_mail", r"信函申请数"),
    ("requests_other", r"其[它他]形式申请数"),
    ("answers_partly", r"同意部分公开答复数"),
    ("answers_granted", r"同意公开答复数"),
    ("answers_refused", r"(?:否决|不予)公开答复(?:总)?数"),
    ("answers_other", r"其他类型答复数"),
    ("answers_total", r"(?:对申请的)?答复(?:总)?数"),
    ("fees", r"收费(?:减免)?金额|收费及减免"),
    ("complaints", r"(?:接受)?行政(?:申诉|诉讼)、举报数|行政申诉数|申诉、举报数"),
    ("review", r"行政复[议试]数"),
    ("litigation", r"行政诉讼数"),
)
# A total and the rows it is the sum of, in both columns.
GROUPS = {
    "active_total": ("active_website", "active_gazette"),
    "requests_total": ("requests_in_person", "requests_mail_fax", "requests_fax", "requests_email",
                       "requests_online", "requests_mail", "requests_other"),
    "answers_total": ("answers_granted", "answers_partly", "answers_refused", "answers_other"),
}
LABELS = STATISTICS_2008_ROW_LABELS

_HEADER = re.compile(r"指标名称|计量单位")
_LABEL = re.compile("|".join(f"(?P<{key}>{rx})" for key, rx in ROWS))
# One blank-run on each side of the colon: `\s*[：:]?\s*` split a long run of blanks every way.
_UNIT = re.compile(r"^\s*(?:[：:]\s*)?(?:万元|条|件|元|个|次)")
# The next row's ordinal glued to this row's figures: one digit ("…20691210" + "62." is 206912106 and
# row 2), as the tables have fewer than ten rows under one 其中.
# Never started inside a run of blanks ((?!\s)|(?<!\s)): from there it could only fail after
# scanning the rest of the run, once per blank.
_NEXT_ORDINAL = re.compile(r"(?:(?!\s)|(?<!\s))(?:其中\s*[：:])?\s*\d\s*[.、．]\s*$|其中\s*[：:]\s*$")
# The figures: right after the unit, up to the first word (a signature or a note may follow the
# last row).
_FIGURES = re.compile(r"\s*((?:\d+(?:\.\d+)?|[-—/])(?:\s+(?:\d+(?:\.\d+)?|[-—/]))*)")
# The blanks between a line break and the next heading are bounded: with \s*, every line break of a
# long run of blank lines started a scan of the rest of the run (time quadratic in the run).
_END = re.compile(r"附件下载|附件\s*\d|\n\s{0,500}[一二三四五六七八九十]+、")
# A figure glued to Latin letters ("1e5", "0x1F"): its first digits are not the figure.
_NOT_A_FIGURE = re.compile(r"\s*([+-]?\d[0-9.]*[A-Za-z][0-9A-Za-z.+-]*)")


@dataclass(frozen=True)
class _Row:
    key: str
    figures: tuple  # explicit figures (numbers or None)
    run: str | None  # a run of digits holding every figure of the row, undivided
    unreadable: str | None = None  # printed like a figure but not one ("1e5"): the row is unknown


def recover_statistics_2008(text: str) -> tuple[dict, list[Diagnostic]]:
    header = _HEADER.search(text)
    if header is None:
        return {}, []
    end = _END.search(text, header.end())
    region_end = end.start() if end else len(text)
    head = text[header.start():header.start() + 40]
    columns = ("year", "cumulative") if "累计" in head else ("year",)
    rows = _rows(text, header.end(), region_end)
    if len({r.key for r in rows}) < 3:
        return {}, []  # a few indicator words in prose, not the table
    table: dict = {}
    diagnostics: list[Diagnostic] = []
    readings = {r.key: _readings(r, len(columns)) for r in rows}
    chosen: dict[str, tuple] = {}
    for total, parts in GROUPS.items():
        members = [k for k in (total, *parts) if k in readings]
        if total not in readings or len(members) < 2:
            continue
        if math.prod(len(readings[k]) for k in members) > MAX_COMBINATIONS:
            continue  # long runs of digits in many rows: each row is read on its own
        fits = [combo for combo in itertools.product(*(readings[k] for k in members))
                if _sums_hold(combo, len(columns))]
        if len(fits) == 1:
            chosen.update(zip(members, fits[0]))
        elif len(fits) > 1:
            best = min(fits, key=lambda combo: sum(_imbalance(c) for c in combo))
            chosen.update(zip(members, best))
            _note_inferred(diagnostics, members, readings, columns)
    for r in rows:
        cells = tuple(f"{TABLE_KEY}.{r.key}.{c}" for c in columns)
        if r.key in chosen and r.unreadable is None:
            table[r.key] = dict(zip(columns, chosen[r.key]))
            continue
        if r.unreadable is not None:
            table[r.key] = {c: None for c in columns}
            cause = not_a_number_cause(r.unreadable) or "不是数字"
            diagnostics.append(Diagnostic("cell_unreadable", f"统计表“{LABELS[r.key].strip()}”印的是“{r.unreadable[:40]}”："
                                          f"{cause}，无法读取，记为空", cells, {"printed": r.unreadable[:200], "cause": cause}))
            continue
        options = readings[r.key]
        if not options:
            table[r.key] = {c: None for c in columns}
            printed = r.run if len(r.run or "") <= 40 else r.run[:40] + "…"
            diagnostics.append(Diagnostic("split_ambiguous", f"统计表“{LABELS[r.key].strip()}”的数字“{printed}”无法拆分",
                                          cells, {"printed": (r.run or "")[:200]}))
            continue
        best = min(options, key=_imbalance)
        table[r.key] = dict(zip(columns, best))
        if len(options) > 1:
            _note_inferred(diagnostics, [r.key], readings, columns)
    return table, diagnostics


def _rows(text: str, start: int, end: int) -> list[_Row]:
    labels = [m for m in _LABEL.finditer(text, start, end)]
    rows: list[_Row] = []
    seen: set[str] = set()
    for i, m in enumerate(labels):
        key = m.lastgroup
        if key in seen:
            continue  # a label repeated in a note under the table
        seen.add(key)
        value_end = labels[i + 1].start() if i + 1 < len(labels) else end
        value = _NEXT_ORDINAL.sub("", _UNIT.sub("", text[m.end():value_end], count=1).rstrip())
        not_figure = _NOT_A_FIGURE.match(value)
        if not_figure:
            rows.append(_Row(key, (), None, unreadable=not_figure.group(1)))
            continue
        figures = _FIGURES.match(value)
        value = figures.group(1) if figures else ""
        tokens = re.findall(r"\d+(?:\.\d+)?|[-—/]", value)
        if not tokens:
            rows.append(_Row(key, (), None))
            continue
        spaced = len(tokens) > 1 or not re.fullmatch(r"\s*\d{2,}\s*", value)
        if spaced:
            too_long = next((t for t in tokens if not_a_number_cause(t)), None)
            rows.append(_Row(key, (), None, unreadable=too_long) if too_long
                        else _Row(key, tuple(to_number(t) for t in tokens), None))
        else:
            rows.append(_Row(key, (), tokens[0]))
    return rows


def _readings(row: _Row, width: int) -> list[tuple]:
    """The possible figures of a row: as printed, or every split of its run of digits into
    `width` figures without leading zeros and with the year's figure ≤ the cumulative one."""
    if row.run is None:
        figures = row.figures[:width] + (None,) * (width - len(row.figures[:width]))
        return [figures]
    run = row.run
    if len(run) > MAX_DIGITS * width:
        return []  # no split gives figures of at most MAX_DIGITS digits: the row is unreadable
    if width == 1:
        return [(int(run),)]
    out = []
    for cut in range(1, len(run)):
        a, b = run[:cut], run[cut:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(a) <= int(b):
            out.append((int(a), int(b)))
    return out


def _sums_hold(combo: tuple, width: int) -> bool:
    total, parts = combo[0], combo[1:]
    for c in range(width):
        if total[c] is None or any(p[c] is None for p in parts):
            continue
        if abs(sum(p[c] for p in parts) - total[c]) > 1e-6:
            return False
    return True


def _imbalance(figures: tuple) -> int:
    """How unlike in length the figures are: a year's figure and the cumulative one since 2008
    are seldom more than a digit apart."""
    lengths = [len(str(f)) for f in figures if f is not None]
    return max(lengths) - min(lengths) if lengths else 0


def _note_inferred(diagnostics: list[Diagnostic], keys, readings, columns) -> None:
    split = [k for k in keys if len(readings[k]) > 1]
    if not split:
        return
    names = "、".join(LABELS[k].strip() for k in split)
    diagnostics.append(Diagnostic("split_inferred", f"统计表“{names}”的连写数字有多种拆法，取本年与累计位数最接近的一种",
                                  tuple(f"{TABLE_KEY}.{k}.{c}" for k in split for c in columns),
                                  {"readings": {k: [list(r) for r in readings[k][:10]] for k in split}}))
