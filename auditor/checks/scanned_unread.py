"""Cells of a scanned table that the OCR read blank or could not read, where the scan or the
table's own identities say a figure is printed: possible lost readings (可能漏识别).

A blank cell on a text layer is the report's. On a scan it may be a figure the copy printed too
faint, broken or stamped over for the recogniser: the reading lost it, and every identity
through it becomes undecidable, so nothing else would say so. Two kinds of evidence name such a
cell (evidence["ocr_unread"], rules TBL-OCR-UNREAD-ACTIVE, TBL-OCR-UNREAD, -APPEALS, info):

- `ink`: the second look at the cell (auditor/read/scan.py) found ink the size of a character
  in it, and no reading of it, enlarged or not, is a figure: the cell is recorded unreadable
  ("cell_unreadable"), and its box on the page is where the ink is;
- `implied`: the cell is read blank, and two identity lines through it, each with no other
  unread cell, say the same figure for it, not 0 (its row's sum and its column's: "二、上年结转"
  row says 3, the 公益组织 column says 3). A figure two sums agree on is printed there, or the
  report left out a figure its own totals count. Lines that say different figures are
  checks/scanned_blanks.py's (derived_failures); a 0 that they agree on is what a blank most
  often is, and names nothing.

The box of a blank cell is where its row's figures and its column's meet (the boxes of the
row's other figures give its top and bottom, those of the column's its left and right), or its
row's printed line when the row or the column has no other figure read
(checks/scanned.py, blank_location).
Nothing here is a fault of the report: a reviewer looks at the scan.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


def unread_cells(doc: Document, table_key: str, identities: list[Rule] = ()) -> list[dict]:
    """The table's cells read blank or unreadable that the scan shows ink in, or that two of the
    table's identities agree hold a figure other than 0: cell, page, box, why (and the figure
    implied), in the table's order."""
    from auditor.checks.identity import _ambiguous_cells
    from auditor.checks.scanned import blank_location, is_scan, unreadable_boxes

    if not is_scan(doc):
        return []
    table = doc.tables.get(table_key) or {}
    ink = unreadable_boxes(doc)
    unreadable = _ambiguous_cells(doc)
    implied = _implied(doc, table_key, identities)
    out = []
    for row, columns in table.items():
        for column, value in columns.items():
            path = f"{table_key}.{row}.{column}"
            if value is not None:
                continue
            if path in ink:
                box = ink[path]
                out.append({"cell": path, "page": box.page, "box": list(box.bbox), "dpi": box.dpi, "why": "ink"})
            elif path in implied and path not in unreadable:
                where = blank_location(doc, path)
                if where is None:
                    continue
                out.append({"cell": path, "page": where["page"], "box": where["box"], "dpi": where["dpi"],
                            "why": "implied", "implied": implied[path]})
    return out


def _implied(doc: Document, table_key: str, identities: list[Rule]) -> dict[str, float]:
    """Unread cell → the figure two or more identity lines say it holds, each line with it as its
    only unread cell, all of them the same figure, not 0."""
    from auditor.checks.scanned_blanks import _lines

    says: dict[str, list[float]] = {}
    for ln in _lines(doc, [r for r in identities if r.params.get("table") == table_key]):
        unread = ln.unread
        if ln.op != "=" or len(unread) != 1:
            continue
        u = unread[0]
        own, other = (ln.left, ln.right) if any(path == u for path, _ in ln.left) else (ln.right, ln.left)
        says.setdefault(u, []).append(sum(v for _, v in other) - sum(v for p, v in own if p != u))
    return {u: figures[0] for u, figures in says.items()
            if len(figures) >= 2 and figures[0] > 0 and all(abs(f - figures[0]) < 1e-6 for f in figures)}


_WHY = {
    "ink": lambda d: "此格有字迹，未能识别为数字",
    "implied": lambda d: f"读为空白，而经过它的两个等式都推出它为{d['implied']:g}",
}


def said_lost(unread: list[dict]) -> str:
    """The first five of unread_cells' cells as a message names them: the cell, its page and box,
    and why a figure is thought printed there."""
    from auditor.checks.scanned import _cell_name, _first_said

    return _first_said(unread, lambda d: f"{_cell_name(d['cell'])}（第{d['page']}页，框 {d['box'][0]},{d['box'][1]}–"
                                         f"{d['box'][2]},{d['box'][3]}，{_WHY[d['why']](d)}）", 5)


def run_rule(doc: Document, rule: Rule, table_key: str, identities: list[Rule] = ()) -> Iterable[Finding]:
    """One finding naming the table's possibly lost readings (none when there are none)."""
    unread = unread_cells(doc, table_key, identities)
    if not unread:
        return
    cells = said_lost(unread)
    first = unread[0]
    yield make_finding(rule, doc, rule.format(cells=cells, count=len(unread)),
                       cells=[d["cell"] for d in unread], section=table_key,
                       evidence={"ocr_unread": unread,
                                 "ocr": {"page": first["page"], "box": first["box"], "score": None,
                                         "dpi": first["dpi"]}})
