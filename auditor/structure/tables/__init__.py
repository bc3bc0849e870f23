"""Recover the three canonical tables (contract.md) from wherever the report prints them.

Flow: table region (the section, or grids classified by their content) → printed rows → segments
(label + values, cells.py) → segments aligned to the canonical rows in printed order (align.py)
→ each row's values read as exactly its cells (split.py), glued digit runs decided by the
table's identities → cells as numbers, null for blank/unreadable, with diagnostics.
"""

from __future__ import annotations

import re

from auditor.model import Diagnostic, Section
from auditor.structure.normalize import GridTable
from auditor.structure.tables import schema
from auditor.structure.tables.align import align_segments
from auditor.structure.tables.appeals import recover_appeals
from auditor.structure.tables.active import recover_active
from auditor.structure.tables.applications import recover_applications
from auditor.structure.tables.cells import grid_items, is_prose_line, line_items
from auditor.structure.tables.legacy import TABLE_KEY as STATISTICS_2008, recover_statistics_2008


def detect_template(text: str, sections: dict[str, Section]) -> str:
    active = sections.get("active")
    scope = text[active.start:active.end] if active else text
    scope_compact = re.sub(r"\s+", "", scope)
    n2021 = sum(scope_compact.count(s) for s in schema.TEMPLATE_2021_SIGNALS)
    n2019 = sum(scope_compact.count(s) for s in schema.TEMPLATE_2019_SIGNALS if s != "处理决定数量")
    if n2021 or n2019:
        return "2021" if n2021 >= n2019 else "2019"
    compact = re.sub(r"\s+", "", text)
    n2021 = sum(compact.count(s) for s in schema.TEMPLATE_2021_SIGNALS)
    n2019 = sum(compact.count(s) for s in schema.TEMPLATE_2019_SIGNALS if s != "处理决定数量")
    if n2021 or n2019:
        return "2021" if n2021 >= n2019 else "2019"
    if any(s in compact for s in schema.TEMPLATE_2008_SIGNALS) or "统计表" in compact:
        return "2008"
    if "本年新收" in compact and "上年结转" in compact:
        # Table 三 without table 二 headings: the split of （六） tells the layout.
        return "2021" if ("逾期不补正" in compact or "逾期未按收费" in compact) else "2019"
    return "unknown"


def _classify_grid(grid: GridTable) -> str | None:
    flat = "".join(c or "" for row in grid.rows for c in row)
    if "本年新收" in flat or "上年结转" in flat or "予以公开" in flat:
        return "applications"
    if "结果维持" in flat or ("行政复议" in flat and "行政诉讼" in flat):
        return "appeals"
    if any(k in flat for k in ("行政许可", "规范性文件", "规章", "事业性收费", "行政处罚", "第二十条")):
        return "active"
    return None


def _region_rows(text: str, start: int, end: int, grids: tuple[GridTable, ...]):
    """Printed rows between two offsets: text lines, or grid rows where a grid sits."""
    rows = []
    pos = start
    for grid in grids:
        if grid.end <= start or grid.start >= end:
            continue
        rows.extend(_text_rows(text, pos, max(pos, grid.start)))
        for row in grid.rows:
            rows.append((grid_items(row), True, "\t".join(c or "" for c in row)))
        pos = grid.end
    rows.extend(_text_rows(text, pos, end))
    return rows


# Words that open a printed table (its header), never a sentence of the narrative.
_TABLE_OPENINGS = re.compile(r"第二十条第|申请人情况|本年新收|行政复议\s*行政诉讼|结果维持")


def _text_rows(text: str, start: int, end: int):
    rows = []
    for line in text[start:end].split("\n"):
        for part in _table_after_prose(line):
            if not part.strip():
                continue
            items, explicit = line_items(part)
            rows.append((items, explicit, part))
    return rows


def _table_after_prose(line: str) -> list[str]:
    """A scraped page that lost its line breaks runs the section's sentences and its table into
    one line ("…共收到政府信息公开申请3条。申请人情况自然人…3000003二、上年结转…", or the table first
    and then "…行政事业性收费02025年，我局…"): the line is prose and would be skipped whole. Cut
    the table out — from its header to the first sentence after it — so that it is read as every
    other table is, and the sentences around it stay prose."""
    if not is_prose_line(line):
        return [line]
    opening = _TABLE_OPENINGS.search(line)
    if opening is None:
        return [line]
    before = max(line.rfind("。", 0, opening.start()), line.rfind("；", 0, opening.start()))
    start = before + 1 if before >= 0 else opening.start()
    end = _prose_after_table(line, opening.end())
    return [line[:start], line[start:end], line[end:]]


def _prose_after_table(line: str, pos: int) -> int:
    """Where the first sentence after a table begins: before the sentence holding the first
    prose punctuation outside brackets (table labels hold commas only inside brackets: "（区分
    处理的，只计这一情形，不计其他情形）"). The sentence starts at a year ("…收费02025年，我局":
    the year is the last four digits) or else after the last figure of the table."""
    depth = 0
    for i in range(pos, len(line)):
        ch = line[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，。；！？":
            head = line[pos:i]
            year = None
            for m in _YEAR_AT.finditer(head):
                year = m
            if year is not None:
                return pos + year.start("year")
            digits = None
            for m in _DIGIT_RUN.finditer(head):
                digits = m
            return pos + digits.end() if digits is not None else len(line)
    return len(line)


_YEAR_AT = re.compile(r"(?P<year>(?:19|20)\d\d)年")
_DIGIT_RUN = re.compile(r"\d+")



def _table_span(key: str, text: str, sections: dict[str, Section], grids) -> tuple[int, int] | None:
    sec = sections.get(key)
    if sec is not None:
        title_end = sec.start + len(sec.title)
        return title_end, sec.end
    # No heading: fall back to the grids of that kind, or an anchor in the text.
    kind_grids = [g for g in grids if _classify_grid(g) == key]
    if kind_grids:
        return kind_grids[0].start, kind_grids[-1].end
    # Each anchor is the table's own label, not words prose uses as well: "行政复议（结果维持）1件",
    # "本年新收723件", "按照《条例》第二十条" hold one figure of a sentence, or none — and the region
    # after them, read as a table, took a year or a telephone number for a cell.
    # (a label may be broken across lines: any blank between its characters)
    anchors = {"active": r"第\s*二\s*十\s*条\s*第\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*项",
               "applications": r"本\s*年\s*新\s*收\s*(?:政\s*府\s*信\s*息\s*公\s*开\s*)?申\s*请\s*数\s*量",
               "appeals": r"结\s*果\s*维\s*持[\s|｜]{0,6}结\s*果\s*纠\s*正"}
    m = re.search(anchors[key], text)
    if not m:
        return None
    start = text.rfind("\n", 0, max(0, m.start() - 300)) + 1
    ends = [s.start for s in sections.values() if s.start > m.start()]
    return start, (min(ends) if ends else len(text))


def recover_tables(text: str, sections: tuple[Section, ...], grids: tuple[GridTable, ...],
                   template: str, ocr_read=None) -> tuple[dict, list[Diagnostic]]:
    """`ocr_read(start, end)`: whether text in that span was read by OCR (None: none was). A
    table read by OCR has its row labels matched with a misread character allowed
    (schema.near_keys); a text layer's labels are matched as printed."""
    by_key = {s.key: s for s in sections}
    tables: dict = {"active": {}, "applications": {}, "appeals": {}}
    diagnostics: list[Diagnostic] = []
    if template == "2008":
        # The pre-2019 layout has none of the three tables; its statistics table is its own.
        statistics, diagnostics = recover_statistics_2008(text)
        if statistics:
            tables[STATISTICS_2008] = statistics
        return tables, diagnostics
    narrative = _narrative_text(text, by_key)
    for key in ("active", "applications", "appeals"):
        span = _table_span(key, text, by_key, grids)
        if span is None:
            continue
        start, end = span
        kind_grids = tuple(g for g in grids if _classify_grid(g) == key)
        if kind_grids:
            # Grids of this kind anywhere in the document (attachments after the text count too).
            rows = []
            for g in kind_grids:
                rows.extend(_region_rows(text, g.start, g.end, (g,)))
            ocr = ocr_read is not None and any(ocr_read(g.start, g.end) for g in kind_grids)
        else:
            rows = _region_rows(text, start, end, ())
            ocr = ocr_read is not None and ocr_read(start, end)
        if key == "applications":
            table, diags = recover_applications(rows, ocr)
        elif key == "appeals":
            table, diags = recover_appeals(rows)
        else:
            table, diags = recover_active(rows, template, narrative, ocr)
        tables[key] = table
        diagnostics.extend(diags)
    return tables, diagnostics


def _narrative_text(text: str, by_key: dict[str, Section]) -> str:
    """Text outside the three table sections: where reports restate table figures in prose."""
    spans = sorted((s.start, s.end) for k, s in by_key.items() if k in ("active", "applications", "appeals"))
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        pos = max(pos, e)
    out.append(text[pos:])
    return "".join(out)


__all__ = ["recover_tables", "detect_template", "align_segments"]
