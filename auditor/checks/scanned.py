"""Findings on a report read by OCR (a scanned PDF, an image): where on the scan, and whether
the report is to blame or the reading.

Run by run_checks after every rule, only for documents whose source map is a "scan" map
(auditor/sourcemap.py). Two things:

- Provenance: a finding on OCR'd text gets evidence["ocr"] = {"page", "box", "score", "dpi"}: the
  page and the box on the page image the text was read from, so a reviewer can look at the
  scan ("识别自扫描件第N页"). For a span the boxes its characters came from; for table cells the
  box that printed the cell's figure, when one box of the table's region shows that figure.
- Reading errors: an identity that fails (left ≠ right) where changing one digit of one cell makes
  it hold, and the box that cell was read from has low confidence, is most likely a misread
  digit, not a wrong report. The finding becomes a warning that says 识别可能有误 and names the
  page, the box and the figure that would make the identity hold (evidence["ocr_misread"]).
"""

from __future__ import annotations

import dataclasses
import re

from auditor.model import Document, Finding, ScanBox

# Below this recogniser confidence a figure is a doubtful reading (after its second reading,
# auditor/read/scan.py); auditor/read/ocr.py imports nothing heavy at module level.
from auditor.read.ocr import DOUBTFUL as LOW_CONFIDENCE  # noqa: E402
_NUMBER_TEXT = re.compile(r"^-?\d+(?:\.\d+)?$")


def is_scan(doc: Document) -> bool:
    return doc.source_map is not None and getattr(doc.source_map, "kind", None) == "scan"


def review(doc: Document, findings: list[Finding]) -> list[Finding]:
    """The findings with OCR provenance, identity failures explained by a misread downgraded."""
    if not is_scan(doc):
        return findings
    return [_reviewed(doc, f) for f in findings]


def _reviewed(doc: Document, finding: Finding) -> Finding:
    evidence = dict(finding.evidence) if isinstance(finding.evidence, dict) else {}
    misread = _misread(doc, finding, evidence) if finding.severity == "error" else None
    if misread is not None:
        box = misread["box"]
        evidence["ocr_misread"] = misread
        evidence["ocr"] = {k: misread[k] for k in ("page", "box", "score", "dpi")}
        message = (f"识别可能有误：{finding.message}；但扫描件第{misread['page']}页"
                   f"（框 {box[0]},{box[1]}–{box[2]},{box[3]}）读出的“{_fmt(misread['read'])}”置信度低"
                   f"（{misread['score']:.2f}），若为“{_fmt(misread['probably'])}”则等式成立，请对照扫描件核对")
        return dataclasses.replace(finding, severity="warning", message=message, evidence=evidence)
    where = _provenance(doc, finding)
    if where is None:
        return finding
    evidence["ocr"] = where
    return dataclasses.replace(finding, evidence=evidence)


# --------------------------------------------------------------------------- provenance


def _provenance(doc: Document, finding: Finding) -> dict | None:
    boxes: list[ScanBox] = []
    if finding.span is not None:
        boxes = doc.source_map.scan_boxes(finding.span.start, finding.span.end)
    if not boxes and finding.cells:
        for path in finding.cells:
            found = _cell_boxes(doc, path)
            if len(found) == 1:
                boxes.append(found[0])
    if not boxes:
        return None
    page = boxes[0].page
    on_page = [b for b in boxes if b.page == page]
    return {"page": page,
            "box": [min(b.bbox[0] for b in on_page), min(b.bbox[1] for b in on_page),
                    max(b.bbox[2] for b in on_page), max(b.bbox[3] for b in on_page)],
            "score": round(min(b.score for b in on_page if b.score is not None), 3)
            if any(b.score is not None for b in on_page) else None,
            "dpi": on_page[0].dpi}


def _cell_boxes(doc: Document, path: str, value=None) -> list[ScanBox]:
    """The box the cell's figure was read from ([] when it cannot be told)."""
    box = cell_boxes(doc).get(path)
    return [box] if box is not None else []


_CELL_BOXES: dict[int, tuple[Document, dict[str, ScanBox]]] = {}


def cell_boxes(doc: Document) -> dict[str, ScanBox]:
    """Table cell path → the OCR box its figure was read from, for the rows whose printed label
    names one canonical row and whose figures fill its columns exactly (so the k-th figure is
    the k-th column). Each table section's lines are read again as printed: cells are
    tab-separated in a grid, space-separated in an unruled table. A figure is kept only when it
    is the value the table recovery found for that cell."""
    cached = _CELL_BOXES.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    found: dict[str, ScanBox] = {}
    for table in ("applications", "appeals", "active"):
        section = doc.section(table)
        start, end = (section.start, section.end) if section else (0, len(doc.text))
        offset = start
        for line in doc.text[start:end].split("\n"):
            for path, (s, e) in _line_cells(table, line, doc.meta.template):
                boxes = doc.source_map.scan_boxes(offset + s, offset + e)
                if len(boxes) == 1 and path not in found and doc.cell(path) is not None \
                        and _fmt_text(doc.text[offset + s:offset + e]) == _fmt(doc.cell(path)):
                    found[path] = boxes[0]
            offset += len(line) + 1
    _CELL_BOXES.clear()  # one document at a time: a batch worker must not keep them all
    _CELL_BOXES[id(doc)] = (doc, found)
    return found


_TOKEN = re.compile(r"[^\t ]+")


def _line_cells(table: str, line: str, template: str) -> list[tuple[str, tuple[int, int]]]:
    from auditor.structure.tables import schema

    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]
    numbers = [(s, e) for text, s, e in tokens if _NUMBER_TEXT.match(text)]
    label = "".join(text for text, _, _ in tokens if not _NUMBER_TEXT.match(text))
    if not numbers:
        return []
    if table == "appeals":
        if len(numbers) != len(schema.APPEAL_GROUPS) * len(schema.APPEAL_COLUMNS):
            return []
        width = len(schema.APPEAL_COLUMNS)
        return [(f"appeals.{schema.APPEAL_GROUPS[k // width]}.{schema.APPEAL_COLUMNS[k % width]}", span)
                for k, span in enumerate(numbers)]
    if table == "applications":
        keys = schema.match_keys(label, schema.APPLICATION_ROWS)
        columns = schema.APPLICANT_COLUMNS
    else:
        specs = schema.ACTIVE_ROWS_2019 if template == "2019" else schema.ACTIVE_ROWS_2021
        keys = schema.match_keys(label, [spec for spec, _ in specs])
        columns = dict((spec.key, cols) for spec, cols in specs).get(keys[0][1], ()) if keys else ()
    if not keys or len(numbers) != len(columns):
        return []
    return [(f"{table}.{keys[0][1]}.{column}", span) for column, span in zip(columns, numbers)]


# --------------------------------------------------------------------------- misreads


def _misread(doc: Document, finding: Finding, evidence: dict) -> dict | None:
    """For a failed identity: the doubtful cell whose one-digit change makes it hold."""
    left, right, values = evidence.get("left"), evidence.get("right"), evidence.get("values")
    if not isinstance(values, dict) or not _is_number(left) or not _is_number(right) or left == right:
        return None
    difference = left - right
    best = None
    for path, value in values.items():
        if path.startswith("previous") or not _is_number(value):
            continue
        # The cell may be on either side; the sign that gives a one-digit change is the reading.
        for probably in (value - difference, value + difference):
            if probably < 0 or not _one_digit_apart(value, probably):
                continue
            for box in _cell_boxes(doc, path):
                if box.score is None or box.score >= LOW_CONFIDENCE:
                    continue
                if best is None or box.score < best["score"]:
                    best = {"cell": path, "read": value, "probably": probably, "page": box.page,
                            "box": list(box.bbox), "score": round(box.score, 3), "dpi": box.dpi,
                            "text": box.text}
    return best


def _one_digit_apart(a, b) -> bool:
    """Same number of digits, exactly one position different (a misread digit)."""
    sa, sb = _fmt(a), _fmt(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb)) == 1


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _fmt_text(text: str) -> str:
    text = text.replace(",", "").strip()
    try:
        return _fmt(float(text)) if "." in text else str(int(text))
    except ValueError:
        return text
