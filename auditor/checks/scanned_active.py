"""Table 二 read from a scan: the figures no identity checks, read doubtfully.

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
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding, ScanBox
from auditor.rules.rule import Rule


def doubtful_cells(doc: Document, table_key: str) -> list[dict]:
    """The cells of the table whose figure (not 0) was read from the scan doubtfully: with low
    confidence, as a piece of a box, or as an amount without its point on a coarse scan — cell,
    figure read, page, box, confidence and why, in the table's order."""
    from auditor.checks.scanned import LOW_CONFIDENCE, cell_boxes, is_scan

    if not is_scan(doc):
        return []
    boxes = cell_boxes(doc)
    out = []
    for row, columns in (doc.tables.get(table_key) or {}).items():
        for column, value in columns.items():
            path = f"{table_key}.{row}.{column}"
            if value is None or value == 0 or isinstance(value, bool):
                continue
            box, why = boxes.get(path), None
            if box is None:
                box, why = _piece_box(doc, f"{table_key}.{row}", value), "piece"
            elif box.bbox is not None and box.score is not None and box.score < LOW_CONFIDENCE:
                why = "low_confidence"
            elif box.bbox is not None and _coarse_amount(column, value, box):
                why = "coarse_amount"
            if why is None or box is None or box.bbox is None:
                continue
            out.append({"cell": path, "read": value, "page": box.page, "box": list(box.bbox),
                        "score": round(box.score, 3) if box.score is not None else None, "why": why,
                        **({"box_text": box.text} if why == "piece" else {})})
    return out


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
    return dataclasses.replace(on_line[0], bbox=(min(b.bbox[0] for b in on_line), min(b.bbox[1] for b in on_line),
                                                 max(b.bbox[2] for b in on_line), max(b.bbox[3] for b in on_line)),
                               score=min((b.score for b in on_line if b.score is not None), default=None),
                               text=" ".join(b.text for b in on_line))


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
}


def run_rule(doc: Document, rule: Rule, table_key: str) -> Iterable[Finding]:
    """One finding naming the doubtful readings of the table (none when there are none)."""
    from auditor.checks.scanned import _cell_name, _fmt

    doubtful = doubtful_cells(doc, table_key)
    if not doubtful:
        return
    cells = "、".join(f"{_cell_name(d['cell'])}“{_fmt(d['read'])}”（第{d['page']}页，{_WHY[d['why']](d)}）"
                      for d in doubtful[:5]) + ("等" if len(doubtful) > 5 else "")
    yield make_finding(rule, doc, rule.format(cells=cells, count=len(doubtful)),
                       cells=[d["cell"] for d in doubtful], section=table_key,
                       evidence={"ocr_doubtful": doubtful})
