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
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


def doubtful_cells(doc: Document, table_key: str) -> list[dict]:
    """The cells of the table whose figure (not 0) was read from the scan with low confidence:
    cell, figure read, page, box and confidence, in the table's order."""
    from auditor.checks.scanned import LOW_CONFIDENCE, cell_boxes, is_scan

    if not is_scan(doc):
        return []
    boxes = cell_boxes(doc)
    out = []
    for row, columns in (doc.tables.get(table_key) or {}).items():
        for column, value in columns.items():
            path = f"{table_key}.{row}.{column}"
            box = boxes.get(path)
            if value is None or value == 0 or box is None or box.bbox is None or box.score is None \
                    or box.score >= LOW_CONFIDENCE:
                continue
            out.append({"cell": path, "read": value, "page": box.page, "box": list(box.bbox),
                        "score": round(box.score, 3)})
    return out


def run_rule(doc: Document, rule: Rule, table_key: str) -> Iterable[Finding]:
    """One finding naming the doubtful readings of the table (none when there are none)."""
    from auditor.checks.scanned import _cell_name, _fmt

    doubtful = doubtful_cells(doc, table_key)
    if not doubtful:
        return
    cells = "、".join(f"{_cell_name(d['cell'])}“{_fmt(d['read'])}”（第{d['page']}页，置信度{d['score']:.2f}）"
                      for d in doubtful[:5]) + ("等" if len(doubtful) > 5 else "")
    yield make_finding(rule, doc, rule.format(cells=cells, count=len(doubtful)),
                       cells=[d["cell"] for d in doubtful], section=table_key,
                       evidence={"ocr_doubtful": doubtful})
