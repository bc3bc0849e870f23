"""Figures read from a scan that no identity checks, read doubtfully: table 二's, and those of
tables 三 and 四 whose every identity has an unread cell.

Tables 三 and 四 check their own figures: a misread breaks a sum, and checks/scanned.py names it.
Table 二 has no sum — its rows are counts of unrelated things (规章, 行政许可, 行政处罚 …), and
本年制发/本年废止/现行有效 are related only through last year's report — so a misread there
("201" for 203, a "-1" whose minus the copy lost) breaks nothing and would pass silently. What
is left to go on is the recogniser's own doubt: a figure of table 二 read with low confidence
(below ocr.DOUBTFUL, after its second reading, auditor/read/scan.py) is noted as a reading to
check against the scan (evidence["ocr_doubtful"]), never as a fault of the report. Confidence
only: on a coarse copy every reading is unsure (checks/scanned.py), and naming every cell of
the table would say nothing about which to look at. A "0" read with low confidence is not
named: it is what a faint zero gives, and a poor copy misreads zeros as other figures (6, 8,
9), not other figures as a zero (of the misreads on bench/ocr_accuracy.py's poor copies, none
is a figure read as 0, while the doubtful zeros of table 二 were all read right).

Two readings are doubtful whatever the recogniser's confidence (evidence "why"):
- a figure that is no box's own text (`piece`): the structure cut it from a run of digits one
  box printed across columns ("17" under 现行有效 read as 1 and 7 for a row short of a figure:
  the 1 of 本年废止 was lost), or found it nowhere on the row's line;
- an amount read without a decimal point on a scan coarser than ocr.COARSE_DPI (`coarse_amount`):
  a point is a dot of a pixel or two there, lost in the noise ("1286.45万元" read "128645万元"
  with 0.996 confidence). Amounts are table 二's only figures with decimals (万元); a count has
  none to lose.

Tables 三 and 四 have identities, but on a poor copy a figure can sit where none of them checks it:
every identity through it (its row's, its columns') has a blank or unreadable cell that can take
up a difference (one that fails whatever those cells hold, checks/scanned_blanks.py, fails by a
misread of any of its cells, and says nothing of this one). Such a figure is as unchecked as
table 二's, and is named the same way (rules
TBL-OCR-UNCHECKED, -APPEALS) when read with low confidence (`low_confidence`), or when its figure
cannot be traced to a box of its own in the row (`unlocated`: the row's cells did not line up
with the table's columns, so where it sits is the structure's guess) — "1" read for 3 beside two
unread cells of its row, its column holding three; a total "2" read for 62 in a row whose four
other figures were lost.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding, ScanBox
from auditor.rules.rule import Rule


def doubtful_cells(doc: Document, table_key: str, identities: list[Rule] = ()) -> list[dict]:
    """The cells of the table whose figure (not 0) was read from the scan doubtfully: with low
    confidence, as a piece of a box, or as an amount without its point on a coarse scan — cell,
    figure read, page, box, confidence and why, in the table's order. For a table that the
    `identities` check, only its figures none of them can check (`unchecked`), read with low
    confidence or not traced to a box of their own."""
    from auditor.checks.scanned import LOW_CONFIDENCE, cell_boxes, is_scan

    if not is_scan(doc):
        return []
    boxes = cell_boxes(doc)
    checked_table = table_key != "active"
    unchecked_cells = unchecked(doc, table_key, identities) if checked_table else set()
    out = []
    for row, columns in (doc.tables.get(table_key) or {}).items():
        for column, value in columns.items():
            path = f"{table_key}.{row}.{column}"
            if value is None or value == 0 or isinstance(value, bool):
                continue
            if checked_table and path not in unchecked_cells:
                continue
            box, why = boxes.get(path), None
            if box is None and checked_table:
                box, why = _line_box(doc, f"{table_key}.{row}", value), "unlocated"
            elif box is None:
                box, why = _piece_box(doc, f"{table_key}.{row}", value), "piece"
            elif box.bbox is not None and box.score is not None and box.score < LOW_CONFIDENCE:
                why = "low_confidence"
            elif box.bbox is not None and not checked_table and _coarse_amount(column, value, box):
                why = "coarse_amount"
            if why is None or box is None or box.bbox is None:
                continue
            out.append({"cell": path, "read": value, "page": box.page, "box": list(box.bbox),
                        "score": round(box.score, 3) if box.score is not None else None, "why": why,
                        **({"box_text": box.text} if why in ("piece", "unlocated") else {})})
    return out


def unchecked(doc: Document, table_key: str, identities: list[Rule]) -> set[str]:
    """The read cells of the table that no identity checks on its own: no identity line through
    the cell (at least one) checks its figures (_checks)."""
    from auditor.checks.scanned_blanks import _lines

    through: dict[str, list] = {}
    for line in _lines(doc, [r for r in identities if r.params.get("table") == table_key]):
        for path, _ in line.left + line.right:
            through.setdefault(path, []).append(line)
    return {path for path, lines in through.items() if not any(_checks(line) for line in lines)}


def _checks(line) -> bool:
    """Whether an identity line checks the figures read in it: it has no blank or unreadable
    cell, or it is an equality that holds with those cells as 0. A line with an unread cell is
    otherwise decided only when it fails whatever that cell holds (checks/scanned_blanks.py),
    and then by a misread of any of its cells: it does not say one was read right. But one that
    holds with its unread cells as 0 says what a poor copy loses most, faint zeros, were lost
    there; for a misread to hide in it, a lost figure would have to make up for it exactly (a
    row “6 空 6” is a 6 and a lost 0, checked as “6 0 6” is)."""
    if not line.unread:
        return True
    if line.op != "=":
        return False
    left = sum(v for _, v in line.left if v is not None)
    right = sum(v for _, v in line.right if v is not None)
    return abs(left - right) < 1e-6


def _line_box(doc: Document, row: str, value) -> ScanBox | None:
    """For a figure of table 三/四 not traced to a box of its own: the box on the row's printed
    line that prints exactly it (only its column is unsure), or the line's figures taken
    together; None when the row's line is unknown."""
    from auditor.checks.scanned import _fmt, _fmt_text, row_lines

    span = row_lines(doc).get(row)
    if span is None:
        return None
    on_line = [b for b in doc.source_map.scan_boxes(*span) if b.bbox is not None and any(ch.isdigit() for ch in b.text)]
    if not on_line:
        return None
    exact = [b for b in on_line if _fmt_text(b.text) == _fmt(value)]
    if len(exact) == 1:
        return exact[0]
    return _union(on_line)


def _union(boxes: list[ScanBox]) -> ScanBox:
    """The boxes of one line taken together: their outer box, lowest confidence and texts."""
    return dataclasses.replace(boxes[0], bbox=(min(b.bbox[0] for b in boxes), min(b.bbox[1] for b in boxes),
                                               max(b.bbox[2] for b in boxes), max(b.bbox[3] for b in boxes)),
                               score=min((b.score for b in boxes if b.score is not None), default=None),
                               text=" ".join(b.text for b in boxes))


def _piece_box(doc: Document, row: str, value) -> ScanBox | None:
    """For a cell of a row whose figures did not each come from a box of their own: the one box
    on the row's printed line whose digits hold the figure without being it (the run it was cut
    from), or the line's figures taken together when no box holds it; None when one box prints
    exactly this figure (read as printed, only placed by the structure) or the row's line is
    unknown."""
    from auditor.checks.scanned import _fmt, _fmt_text, row_lines

    span = row_lines(doc).get(row)
    if span is None:
        return None
    figure = _fmt(value)
    on_line = [b for b in doc.source_map.scan_boxes(*span) if b.bbox is not None and any(ch.isdigit() for ch in b.text)]
    if not on_line or any(_fmt_text(b.text) == figure for b in on_line):
        return None
    holding = [b for b in on_line if figure in re.sub(r"[^\d.]", "", b.text)]
    if len(holding) == 1:
        return holding[0]
    return _union(on_line)


def _coarse_amount(column: str, value, box: ScanBox) -> bool:
    """An amount (万元) read as a whole number of three digits or more on a scan coarser than
    COARSE_DPI: its decimal point may be lost."""
    from auditor.checks.scanned import COARSE_DPI

    return column == "amount" and isinstance(value, int) and abs(value) >= 100 \
        and box.scan_dpi is not None and box.scan_dpi < COARSE_DPI


# How each doubtful reading is said in the finding.
_WHY = {
    "low_confidence": lambda d: f"置信度{d['score']:.2f}",
    "piece": lambda d: f"由该行框中的“{d['box_text']}”拆出或推定，拆法不确定",
    "coarse_amount": lambda d: "金额没有小数点，而扫描分辨率低，小数点可能丢失",
    "unlocated": lambda d: f"该行的数字与表格的列没有对齐，所在的格是推定的（该行读出“{d['box_text']}”）",
}


def run_rule(doc: Document, rule: Rule, table_key: str, identities: list[Rule] = ()) -> Iterable[Finding]:
    """One finding naming the doubtful readings of the table (none when there are none)."""
    from auditor.checks.scanned import _cell_name, _first_said, _fmt

    doubtful = doubtful_cells(doc, table_key, identities)
    if not doubtful:
        return
    cells = _first_said(doubtful, lambda d: f"{_cell_name(d['cell'])}“{_fmt(d['read'])}”（第{d['page']}页，"
                                            f"{_WHY[d['why']](d)}）", 5)
    yield make_finding(rule, doc, rule.format(cells=cells, count=len(doubtful)),
                       cells=[d["cell"] for d in doubtful], section=table_key,
                       evidence={"ocr_doubtful": doubtful})
