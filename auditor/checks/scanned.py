"""Findings on a report read by OCR (a scanned PDF, an image): where on the scan, and whether
the report is to blame or the reading.

Run by run_checks after every rule, only for documents whose source map is a "scan" map
(auditor/sourcemap.py). Two things:

- Provenance: a finding on OCR'd text gets evidence["ocr"] = {"page", "box", "score", "dpi"}: the
  page and the box on the page image the text was read from, so a reviewer can look at the
  scan ("识别自扫描件第N页"). For a span the boxes its characters came from; for table cells the
  box around them, and each cell's own place in evidence["ocr_cells"] (cell_location): the box
  that printed its figure, the ink it could not read, or, read blank, where its row and its
  column lie.
- Lost cells: a cell read blank that TBL-OCR-UNREAD names as possibly lost (scanned_unread.py) is
  no blank of the report (the blank-cells rules leave it out, checks/identity.py); another
  finding through it says so, and an error there becomes a possible reading error
  (_on_lost_cells).
- Reading errors: an identity that fails (left ≠ right) where one misread digit of one cell (a
  digit changed, dropped or added) makes it hold, and the box that cell was read from has low
  confidence or was scanned coarser than COARSE_DPI (where confidence means nothing), is most
  likely a misread, not a wrong report. The finding becomes a warning that
  says 识别可能有误 and names the page, the box and the figure that would make the identity hold
  (evidence["ocr_misread"]). A misread breaks every identity its cell is in, so the cell that
  explains the most failed identities is named first; every other cell whose one-digit misread
  would explain the failure is named too (a poor scan misreads with confidence now and then).
- Text read doubtfully: a finding on a short span of text (a heading, a word, a sentence) whose
  characters came from a box read with low confidence (or scanned coarser than COARSE_DPI) may
  be about the recogniser's mistake, not the report's (a speck read into a heading's character):
  it says 识别可能有误 with the box (evidence["ocr_doubtful_text"]) and is never an error, for
  every rule alike (_doubtful_text).
- Identities through unread cells (checks/scanned_blanks.py): one that fails whatever its
  blank or unreadable cells hold, and the identity of read cells left when two lines that
  each fix one unread cell to a different figure are taken one from the other, are weighed
  the same way and kept only as possible reading errors. Where no zero read as a figure (or
  exact misread) explains a failure through unread cells, the misreads other findings name
  are taken back and the cells whose one-digit misread would leave the unread cells a figure
  of 0 or more are named with that bound (`bound`). Table 二, which no identity checks, has
  its doubtful figures named by the rule TBL-OCR-ACTIVE (checks/scanned_active.py).

Every evidence key written here is documented in docs/ocr-evidence.md (a test holds it so).
"""

from __future__ import annotations

import dataclasses
import re

from auditor.checks.scanned_unread import said_lost, unread_cells
from auditor.model import UNREADABLE_CELL, Document, Finding, ScanBox

# Below this recogniser confidence a figure is a doubtful reading (after its second reading,
# auditor/read/scan.py); auditor/read/ocr.py imports nothing heavy at module level.
from auditor.read.ocr import COARSE_DPI  # noqa: E402
from auditor.read.ocr import DOUBTFUL as LOW_CONFIDENCE  # noqa: E402
# A figure as a cell prints it; an amount may carry its unit in the cell ("1286.45万元").
_NUMBER_TEXT = re.compile(r"^-?\d+(?:\.\d+)?(?:万元|元)?$")
_UNIT = re.compile(r"(?:万元|元)$")
_UNREADABLE = UNREADABLE_CELL


def is_scan(doc: Document) -> bool:
    return doc.source_map is not None and getattr(doc.source_map, "kind", None) == "scan"


def review(doc: Document, findings: list[Finding], identities: list = ()) -> list[Finding]:
    """The findings with OCR provenance, identity failures explained by a misread downgraded;
    and the identities (rules) that fail whatever their unread cells hold
    (checks/scanned_blanks.py), where a misread explains the failure, as possible reading errors."""
    if not is_scan(doc):
        return findings
    from auditor.checks.scanned_blanks import derived_failures, implied_failures

    implied = implied_failures(doc, list(identities)) + derived_failures(doc, list(identities))
    # A derived failure is two identity lines taken together; a line that fails alone counts
    # already, so the derived ones do not weigh again in which cell explains the most failures.
    explains = _explanations(doc, findings + [f for f in implied if "derived_through" not in f.evidence])
    reviewed = [_reviewed(doc, f, explains) for f in findings]
    through_unread = [_reviewed(doc, f, explains) for f in implied]
    # Weighed again with what the other possible reading errors name (_named_readings): of
    # readings that explain as many failures, one another failure names too comes first (a
    # column of two zeros read "9" and "6" names the "6" with its pair; the row of that "6",
    # failing by 6, is the "6"'s, not its total's read one digit short).
    first = reviewed + through_unread
    hints = [_named_readings([r for r in first if r is not mine]) for mine in first]
    reviewed = [_reviewed(doc, f, explains, hints=h) for f, h in zip(findings, hints)]
    through_unread = [_reviewed(doc, f, explains, hints=h) for f, h in zip(implied, hints[len(findings):])]
    # What no exact reading explains is weighed by bounds, once the misreads that the other
    # failures name are taken back (_bounded_misread).
    named = _named_readings(reviewed + through_unread)
    through_unread = [r if "ocr_misread" in r.evidence else _reviewed(doc, f, explains, named)
                      for f, r in zip(implied, through_unread)]
    # A failure through unread cells is kept only as a possible misread: the text layer would
    # say nothing there either, so the report is never blamed through a cell the OCR lost.
    kept = reviewed + [r for r in through_unread if "ocr_misread" in r.evidence]
    lost = {d["cell"]: d for table in ("applications", "appeals", "active")
            for d in unread_cells(doc, table, list(identities))}
    return [with_cell_locations(doc, _on_lost_cells(f, lost)) for f in kept]


def _on_lost_cells(finding: Finding, lost: dict[str, dict]) -> Finding:
    """A finding that rests on cells the OCR may have lost (`lost`: scanned_unread.unread_cells
    by cell) says so, naming them with their page and box (evidence["ocr_unread"]); an error
    becomes a possible reading error: that a line cannot be checked, or fails, through a cell
    the recogniser could not read is no proof against the report. The rules that name such
    cells themselves (TBL-OCR-UNREAD*, and the blank-cells rules, which leave them out) are
    left as they are."""
    if not isinstance(finding.evidence, dict) or "ocr_unread" in finding.evidence:
        return finding
    on = [lost[path] for path in finding.cells if path in lost]
    if not on:
        return finding
    evidence = {**finding.evidence, "ocr_unread": on}
    if finding.severity == "error":
        return _possible_reading_error(finding, evidence, f"{said_lost(on)}可能是扫描件漏识别的数字")
    return dataclasses.replace(finding, evidence=evidence,
                               message=f"{finding.message}；其中{said_lost(on)}可能是扫描件漏识别的数字，请对照扫描件核对")


def _named_readings(findings: list[Finding]) -> dict[str, float]:
    """Cell → the figure possible reading errors name for it: the one reading that explains a
    failure alone, named first, and every 0 among the others named (a zero read as a figure is
    what a poor copy misreads most). A pair read together is a weaker guess ("5" and "0" as 8
    and 20): only its zeros count. A cell named as two different figures is left out: which one
    is not known."""
    named: dict[str, set] = {}
    for finding in findings:
        misread = finding.evidence.get("ocr_misread") if isinstance(finding.evidence, dict) else None
        if not misread or "bound" in misread:
            continue
        for m in [misread] + misread["alternatives"]:
            if m["probably"] == 0 or (m is misread and not misread.get("together")):
                named.setdefault(m["cell"], set()).add(m["probably"])
    return {cell: next(iter(figures)) for cell, figures in named.items() if len(figures) == 1}


def _reviewed(doc: Document, finding: Finding, explains: dict, named: dict | None = None,
              hints: dict | None = None) -> Finding:
    """`named`: for a failure through unread cells, weighed again by bounds (_bounded_misread)
    with these cells taken back to the figures other findings name (_named_readings); None on
    the first weighing. `hints`: the readings the other findings name, for _misread's order."""
    evidence = dict(finding.evidence) if isinstance(finding.evidence, dict) else {}
    misread = _misread(doc, finding, evidence, explains, hints) if finding.severity == "error" else None
    if misread is None and finding.severity == "error":
        misread = _two_misreads(doc, evidence, explains)
    if misread is None and finding.severity == "error" and named is not None and _zeros_only(evidence):
        misread = _bounded_misread(doc, evidence, explains, named)
    if misread is not None and misread.get("together"):
        second = misread["alternatives"][0]
        evidence["ocr_misread"] = misread
        evidence["ocr"] = {k: misread[k] for k in ("page", "box", "score", "dpi")}
        return _possible_reading_error(finding, evidence, (
            f"扫描件第{misread['page']}页读出的"
            f"{_cell_name(misread['cell'])}“{_fmt(misread['read'])}”（置信度{misread['score']:.2f}）和"
            f"{_cell_name(second['cell'])}“{_fmt(second['read'])}”（置信度{second['score']:.2f}）都不可靠，"
            f"若分别为“{_fmt(misread['probably'])}”和“{_fmt(second['probably'])}”则等式成立"))
    if misread is not None:
        box = misread["box"]
        evidence["ocr_misread"] = misread
        evidence["ocr"] = {k: misread[k] for k in ("page", "box", "score", "dpi")}
        others = "".join(f"；或框 {a['box'][0]},{a['box'][1]}–{a['box'][2]},{a['box'][3]} 的“{_fmt(a['read'])}”"
                         f"（置信度{a['score']:.2f}）{_would_be(a)}" for a in misread["alternatives"])
        why = f"置信度低（{misread['score']:.2f}）" if misread["score"] < LOW_CONFIDENCE else \
            f"不可靠（扫描分辨率仅{misread['scan_dpi']}dpi，置信度{misread['score']:.2f}）" \
            if misread["scan_dpi"] is not None and misread["scan_dpi"] < COARSE_DPI else \
            f"不可靠（所在行的行名识别有误，置信度{misread['score']:.2f}）"
        return _possible_reading_error(finding, evidence, (
            f"扫描件第{misread['page']}页（框 {box[0]},{box[1]}–{box[2]},{box[3]}）读出的“{_fmt(misread['read'])}”{why}"
            f"，若{_would_be(misread)}则等式{'可以' if 'bound' in misread else ''}成立{others}"))
    guessed = _through_guessed_rows(doc, evidence) if finding.severity == "error" else []
    if guessed:
        evidence["ocr_label_guessed"] = guessed
        finding = _possible_reading_error(finding, evidence, f"{_cell_names(guessed)}所在行的行名识别有误（按行号、相近字样和前后行认定），"
                                                             f"该行的数字也可能识别有误或错行")
    coarse = _coarse_table_scan(doc, finding.section) \
        if finding.severity == "error" and "blank_cells" in evidence else None
    if coarse is not None:
        evidence["ocr_coarse_blanks"] = {"scan_dpi": coarse}
        finding = _possible_reading_error(finding, evidence, f"该表的扫描分辨率仅{coarse}dpi，空白格可能是没有识别出的数字")
    unsure = _unsure_cells(doc, finding, evidence) if finding.severity == "error" else []
    if unsure:
        evidence["ocr_unsure"] = unsure
        names = _cell_names(unsure, lambda path: f"{_cell_name(path)}（“{_fmt(doc.cell(path))}”）")
        finding = _possible_reading_error(finding, evidence, f"{names}是从扫描件中识别出的不可靠读数"
                                                             f"（置信度低或扫描分辨率不足{COARSE_DPI}dpi）")
    unlocated = _unlocated(doc, evidence) if finding.severity == "error" else []
    if unlocated:
        evidence["ocr_unlocated"] = unlocated
        finding = _possible_reading_error(finding, evidence, f"{_cell_names(unlocated)}的数字未能在扫描件中对应到所在的格"
                                                             f"（该行识别出的格与表格的列对不齐，数字可能错列）")
    doubtful = _doubtful_text(doc, finding)
    if doubtful:
        evidence["ocr_doubtful_text"] = doubtful
        finding = _possible_text_misread(finding, evidence, doubtful)
    where = _provenance(doc, finding)
    if where is None:
        return finding
    evidence["ocr"] = where
    return dataclasses.replace(finding, evidence=evidence)


# How a finding that may rest on the recogniser's mistake begins.
_MAYBE_MISREAD = "识别可能有误"
# A finding on a span longer than this (a passage: a section's wording, a paragraph said twice)
# rests on more than how a few characters were read; one doubtful line in it proves nothing.
MAX_DOUBTFUL_SPAN = 120


def _doubtful_text(doc: Document, finding: Finding) -> list[dict]:
    """The OCR boxes the finding's text span was read from that are doubtful (confidence below
    LOW_CONFIDENCE, or scanned coarser than COARSE_DPI, where confidence means nothing), as
    {page, box, text, score}: the words a rule found wrong may be the recogniser's (a speck read
    as a stroke of a heading's character). Empty for a finding without a span, on a long span,
    or already said to be a possible reading error."""
    if finding.span is None or finding.message.startswith(_MAYBE_MISREAD) \
            or finding.span.end - finding.span.start > MAX_DOUBTFUL_SPAN:
        return []
    out = []
    for box in doc.source_map.scan_boxes(finding.span.start, finding.span.end):
        coarse = box.scan_dpi is not None and box.scan_dpi < COARSE_DPI
        if box.score is not None and (box.score < LOW_CONFIDENCE or coarse):
            out.append({"page": box.page, "box": list(box.bbox), "text": box.text,
                        "score": round(box.score, 3)})
    return out


def _possible_text_misread(finding: Finding, evidence: dict, doubtful: list[dict]) -> Finding:
    """The finding said to rest on a doubtful reading: never an error (that the report is
    wrong is not certain), a warning or info staying what it was."""
    first = doubtful[0]
    box = first["box"]
    why = "置信度低" if first["score"] < LOW_CONFIDENCE else "扫描分辨率不足，读数不可靠"
    message = (f"{_MAYBE_MISREAD}：{finding.message}；但这段文字是从扫描件第{first['page']}页"
               f"（框 {box[0]},{box[1]}–{box[2]},{box[3]}）识别出的“{first['text']}”，{why}"
               f"（置信度{first['score']:.2f}），请对照扫描件核对")
    severity = "warning" if finding.severity == "error" else finding.severity
    return dataclasses.replace(finding, severity=severity, message=message, evidence=evidence)


def _would_be(candidate: dict) -> str:
    """“为“26””, or for a bound (_bounded_candidates) “不超过“758”（空白格填入其差）”."""
    bound = candidate.get("bound")
    if bound is None:
        return f"为“{_fmt(candidate['probably'])}”"
    return f"{'不超过' if bound == 'at_most' else '不少于'}“{_fmt(candidate['probably'])}”（空白格填入其差）"


def _possible_reading_error(finding: Finding, evidence: dict, why: str) -> Finding:
    """The finding as a warning that the scan may have been misread: `why` says what makes the
    reading doubtful."""
    message = f"{_MAYBE_MISREAD}：{finding.message}；但{why}，请对照扫描件核对"
    return dataclasses.replace(finding, severity="warning", message=message, evidence=evidence)


def _cell_names(paths: list[str], name=None) -> str:
    """The first three cells by name ("…等" when there are more)."""
    return _first_said(paths, name or _cell_name, 3)


def _first_said(items: list, say, limit: int) -> str:
    """The first `limit` items as `say` puts each, joined by 、 ("…等" when there are more)."""
    return "、".join(say(item) for item in items[:limit]) + ("等" if len(items) > limit else "")


def _coarse_table_scan(doc: Document, section: str | None) -> int | None:
    """The scan resolution of a table read from a page scanned coarser than COARSE_DPI (None
    when it was not, or not OCR'd). There a faint or broken "0" leaves no ink a character tall
    for the second look (auditor/read/scan.py) to find, so a blank cell is no proof that the
    report left it blank, as a confident reading there is no proof of its figure."""
    where = doc.section(section) if section else None
    if where is None:
        return None
    dpis = [b.scan_dpi for b in doc.source_map.scan_boxes(where.start, where.end)
            if b.bbox is not None and b.scan_dpi is not None]
    return min(dpis) if dpis and min(dpis) < COARSE_DPI else None


def _unsure_cells(doc: Document, finding: Finding, evidence: dict) -> list[str]:
    """For an error that is no identity of the table (a claim of the text against a cell, a
    cell out of range): the table cells it rests on read doubtfully (below LOW_CONFIDENCE, or
    on a scan coarser than COARSE_DPI). Identities weigh their cells' readings themselves
    (_misread, _two_misreads): one failing with every reading sure is the report's."""
    if "left" in evidence or "blank_cells" in evidence:
        return []
    unsure = []
    for path in finding.cells:
        for box in _cell_boxes(doc, path):
            coarse = box.scan_dpi is not None and box.scan_dpi < COARSE_DPI
            if box.score is not None and (box.score < LOW_CONFIDENCE or coarse):
                unsure.append(path)
    return unsure


def _through_guessed_rows(doc: Document, evidence: dict) -> list[str]:
    """The cells of a failed identity read in a row placed under a misread label (structure's
    "row_label_guessed" notes): that row is placed by its number and its neighbours, and its
    figures were read on a line the OCR got wrong, so the failure is no proof against the
    report, whether the figures or the row's place are wrong."""
    values = evidence.get("values")
    if not isinstance(values, dict) or not _is_number(evidence.get("left")) or not _is_number(evidence.get("right")):
        return []
    rows = guessed_rows(doc)
    return [path for path in values if path in rows]


def _unlocated(doc: Document, evidence: dict) -> list[str]:
    """The cells of a failed identity (its evidence: left ≠ right and the cells' values) whose
    figure cannot be traced to one box of the scan: the row they were read in does not line up
    with the table's columns (a cell more or less than the columns, a figure under another
    column). Where the figures sit in such a row is the OCR's guess, not the report's print,
    so the failure is no proof against the report."""
    values = evidence.get("values")
    if not isinstance(values, dict) or not _is_number(evidence.get("left")) or not _is_number(evidence.get("right")):
        return []
    return [path for path, value in values.items()
            if not path.startswith("previous") and _is_number(value) and not _cell_boxes(doc, path)]


def _cell_name(path: str) -> str:
    """A cell as the report prints it: “（一）予以公开/自然人”."""
    from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

    parts = path.split(".")
    row = ROW_LABELS.get(parts[1], parts[1]).strip() if len(parts) > 1 else path
    column = COLUMN_LABELS.get(parts[2], parts[2]).strip() if len(parts) > 2 else ""
    return f"“{row}/{column}”" if column else f"“{row}”"


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


def cell_location(doc: Document, path: str) -> dict | None:
    """Where on the scan a table cell is: {"cell", "page", "box", "score", "dpi", "box_of"}, or None
    when the reading does not tell. `box_of` says what the box is, so a reviewer knows what to look
    for there: "figure" (the box its figure was read from, `score` its confidence), "ink" (ink in
    the cell that reads as no figure), "row_column" (a cell read blank: where its row's read
    figures and its column's meet) or "row" (a cell read blank in a column with no figure read
    on that page: its row's printed line, the column named by the finding)."""
    box = cell_boxes(doc).get(path)
    if box is not None:
        return {"cell": path, "page": box.page, "box": list(box.bbox), "score": round(box.score, 3)
                if box.score is not None else None, "dpi": box.dpi, "box_of": "figure"}
    box = unreadable_boxes(doc).get(path)
    if box is not None:
        return {"cell": path, "page": box.page, "box": list(box.bbox), "score": None, "dpi": box.dpi, "box_of": "ink"}
    if doc.cell(path) is not None or path.count(".") != 2:
        return None  # a figure no one box shows (a row out of line with its columns): not known
    return blank_location(doc, path)


def blank_location(doc: Document, path: str) -> dict | None:
    """Where a cell read blank lies (cell_location's "row_column" or "row"): the top and bottom of
    its row's read figures (of its row's printed line when none was read, a township table's
    row with its only figure lost), the left and right of its column's read figures in other
    lines of that page; the row's line from end to end when that column has none there (the
    applicants' columns a township leaves blank; table 四, whose groups share one printed line)."""
    table, row, column = path.split(".")
    boxes = cell_boxes(doc)
    band = [b for p, b in boxes.items() if b.bbox is not None and p.startswith(f"{table}.{row}.")]
    line = row_lines(doc).get(f"{table}.{row}")
    printed = doc.source_map.scan_boxes(*line) if line else []
    if not band:
        band = printed
    if not band:
        return None
    page = band[0].page
    band = [b for b in band if b.page == page]
    top, bottom = min(b.bbox[1] for b in band), max(b.bbox[3] for b in band)
    in_column = [b for p, b in boxes.items() if b.bbox is not None and b.page == page
                 and p.startswith(f"{table}.") and p.endswith(f".{column}") and p.count(".") == 2
                 and not top <= (b.bbox[1] + b.bbox[3]) / 2 <= bottom]
    across = in_column or [b for b in printed if b.page == page] or band
    return {"cell": path, "page": page,
            "box": [min(b.bbox[0] for b in across), top, max(b.bbox[2] for b in across), bottom],
            "score": None, "dpi": band[0].dpi, "box_of": "row_column" if in_column else "row"}


def with_cell_locations(doc: Document, finding: Finding) -> Finding:
    """The finding with the place on the scan of each of its table cells (evidence["ocr_cells"],
    cell_location's form) and, when it has no `ocr` yet, the box around those on the first one's
    page: a finding on table cells says where on the scan to look, whether the cells were read as
    figures, as ink, or blank."""
    if not finding.cells or not isinstance(finding.evidence, dict) or "ocr_cells" in finding.evidence:
        return finding
    located = [where for where in (cell_location(doc, path) for path in finding.cells) if where is not None]
    if not located:
        return finding
    evidence = {**finding.evidence, "ocr_cells": located}
    if "ocr" not in evidence:
        on_page = [w for w in located if w["page"] == located[0]["page"]]
        scores = [w["score"] for w in on_page if w["score"] is not None]
        evidence["ocr"] = {"page": on_page[0]["page"],
                           "box": [min(w["box"][0] for w in on_page), min(w["box"][1] for w in on_page),
                                   max(w["box"][2] for w in on_page), max(w["box"][3] for w in on_page)],
                           "score": min(scores) if scores else None, "dpi": on_page[0]["dpi"]}
    return dataclasses.replace(finding, evidence=evidence)


def _cell_boxes(doc: Document, path: str, value=None) -> list[ScanBox]:
    """The box the cell's figure was read from ([] when it cannot be told)."""
    box = cell_boxes(doc).get(path)
    return [box] if box is not None else []


_CELL_BOXES: dict[int, tuple[Document, dict[str, ScanBox], dict[str, tuple[int, int]], dict[str, ScanBox]]] = {}


def cell_boxes(doc: Document) -> dict[str, ScanBox]:
    """Table cell path → the OCR box its figure was read from, for the rows whose figures fill
    its columns exactly (so the k-th figure is the k-th column). Each table section's lines
    are read again as printed: cells are tab-separated in a grid (blank and unreadable cells in
    place), space-separated in an unruled table. A row is known by its printed label naming
    one canonical row, or, when OCR garbled the label ("第三万合法权益"), by its figures being
    those of a row no label named (the first such, in print order). A figure is kept only when
    it is the value the table recovery found for that cell."""
    return _located(doc)[0]


def unreadable_boxes(doc: Document) -> dict[str, ScanBox]:
    """Table cell path → the box of the ink the OCR found in the cell but could not read as a
    figure (the cell is unreadable: None, with a "cell_unreadable" note), for the rows
    cell_boxes places."""
    return _located(doc)[2]


def row_lines(doc: Document) -> dict[str, tuple[int, int]]:
    """Table row ("active.normative_documents") → the span in doc.text of the printed line its
    label names (the first such line with a figure, else the first such line), for the rows
    cell_boxes finds by their label."""
    return _located(doc)[1]


def _located(doc: Document) -> tuple[dict[str, ScanBox], dict[str, tuple[int, int]], dict[str, ScanBox]]:
    cached = _CELL_BOXES.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1], cached[2], cached[3]
    found: dict[str, ScanBox] = {}
    lines: dict[str, tuple[int, int]] = {}

    unread: dict[str, ScanBox] = {}

    def keep(path: str, offset: int, span: tuple[int, int]) -> None:
        s, e = span
        boxes = doc.source_map.scan_boxes(offset + s, offset + e)
        if len(boxes) == 1 and path not in found and doc.cell(path) is not None \
                and _fmt_text(doc.text[offset + s:offset + e]) == _fmt(doc.cell(path)):
            found[path] = boxes[0]
        elif len(boxes) == 1 and boxes[0].bbox is not None and path not in unread and doc.cell(path) is None \
                and doc.text[offset + s:offset + e].strip() == _UNREADABLE:
            unread[path] = boxes[0]

    for table in ("applications", "appeals", "active"):
        section = doc.section(table)
        start, end = (section.start, section.end) if section else (0, len(doc.text))
        offset = start
        named: set[str] = set()
        unnamed: list[tuple[int, list]] = []
        bare: dict[str, tuple[int, int]] = {}
        guessed = _guessed_labels(doc)
        for line in doc.text[start:end].split("\n"):
            label, slots = _line_slots(line)
            paths = _row_paths(table, label, doc.meta.template, guessed)
            if paths:
                named.add(paths[0].rsplit(".", 1)[0])
                if slots:
                    lines.setdefault(paths[0].rsplit(".", 1)[0], (offset, offset + len(line)))
                else:
                    # A row whose figures were all lost still has its line: where to look for them.
                    bare.setdefault(paths[0].rsplit(".", 1)[0], (offset, offset + len(line)))
                for path, span in _fit(paths, slots, unreadable=True):
                    keep(path, offset, span)
            elif slots and table == "applications":
                unnamed.append((offset, slots))
            offset += len(line) + 1
        rows = [(f"applications.{key}", [f"applications.{key}.{c}" for c in _applicant_columns()])
                for key in (doc.tables.get("applications") or {})] if table == "applications" else []
        for offset, slots in unnamed:
            for row, paths in rows:
                fitted = _fit(paths, slots)
                if row in named or not fitted or len(fitted) != sum(1 for p in paths if doc.cell(p) is not None):
                    continue
                if all(_fmt_text(doc.text[offset + s:offset + e]) == _fmt(doc.cell(p)) for p, (s, e) in fitted):
                    named.add(row)
                    for path, span in _fit(paths, slots, unreadable=True):
                        keep(path, offset, span)
                    break
        for row, span in bare.items():
            lines.setdefault(row, span)
    _CELL_BOXES.clear()  # one document at a time: a batch worker must not keep them all
    _CELL_BOXES[id(doc)] = (doc, found, lines, unread)
    return found, lines, unread


_TOKEN = re.compile(r"[^\t ]+")


def _applicant_columns() -> tuple[str, ...]:
    from auditor.structure.tables import schema

    return tuple(schema.APPLICANT_COLUMNS)


def guessed_rows(doc: Document) -> set[str]:
    """The cells of the rows placed under a label the OCR misread (structure's
    "row_label_guessed" notes): a reading beside a misread label is no sure reading."""
    return {c for d in doc.diagnostics if d.kind == "row_label_guessed" for c in d.cells}


def _guessed_labels(doc: Document) -> dict[tuple[str, str], str]:
    """(table, printed label by its Chinese characters) → the row the structure took it for, from
    the same notes."""
    return {(d.cells[0].split(".")[0], _label_key(d.detail["printed"])): d.detail["row"]
            for d in doc.diagnostics if d.kind == "row_label_guessed" and d.detail.get("printed") and d.cells}


def _label_key(label: str) -> str:
    """A misread label as the notes and the printed line both give it: its Chinese characters
    only — the structure joins a label's cells with their numbering ("1. ") and noise ("•0")
    otherwise than a line of the text shows them."""
    return "".join(re.findall(r"[\u4e00-\u9fff]", label))


def _line_slots(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    """A printed table row: its label text and its cells (text, start, end). A grid row is
    tab-separated, with its empty and unreadable cells in place; an unruled row has only its
    figures, space-separated. No slots when the line holds no figure."""
    if "\t" in line:
        cells, pos = [], 0
        for text in line.split("\t"):
            cells.append((text.strip(), pos, pos + len(text)))
            pos += len(text) + 1
        label = "".join(text for text, _, _ in cells if text and not _NUMBER_TEXT.match(text) and text != _UNREADABLE)
        slots = cells
    else:
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]
        label = "".join(text for text, _, _ in tokens if not _NUMBER_TEXT.match(text))
        slots = [t for t in tokens if _NUMBER_TEXT.match(t[0])]
    if not any(_NUMBER_TEXT.match(text) for text, _, _ in slots):
        return label, []
    return label, slots


def _row_paths(table: str, label: str, template: str, guessed: dict[tuple[str, str], str]) -> list[str]:
    """The cell paths of the row the label names, in column order ([] when it names none): a
    label the structure took for a row though misread (`guessed`) names that row."""
    from auditor.structure.tables import schema

    if table == "appeals":
        return [f"appeals.{g}.{c}" for g in schema.APPEAL_GROUPS for c in schema.APPEAL_COLUMNS]
    taken_for = guessed.get((table, _label_key(label)))
    if table == "applications":
        keys = [(0, taken_for)] if taken_for else schema.match_keys(label, schema.APPLICATION_ROWS)
        columns = schema.APPLICANT_COLUMNS
    else:
        specs = schema.ACTIVE_ROWS_2019 if template == "2019" else schema.ACTIVE_ROWS_2021
        keys = [(0, taken_for)] if taken_for else schema.match_keys(label, [spec for spec, _ in specs])
        columns = dict((spec.key, cols) for spec, cols in specs).get(keys[0][1], ()) if keys else ()
    if not keys or not columns:
        return []
    return [f"{table}.{keys[0][1]}.{column}" for column in columns]


def _fit(paths: list[str], slots: list[tuple[str, int, int]],
         unreadable: bool = False) -> list[tuple[str, tuple[int, int]]]:
    """(path, span of its figure) when the row's last cells are its columns: as many cells as
    paths, nothing but figures, blanks and unreadable cells among them, no figure before them.
    `unreadable`: the spans of the unreadable cells too."""
    fitted = _fit_last(paths, slots, unreadable)
    # An empty band at the row's end (a border drawn twice, a fold beside the table) is no
    # column of the table: the row's last figures are still its last columns. Only when the
    # row does not fit as read: its last cell blank is most often its last column left blank
    # (a faint "0" lost), and stripping it would push its figures one column left.
    while not fitted and len(slots) > len(paths) and not slots[-1][0]:
        slots = slots[:-1]
        fitted = _fit_last(paths, slots, unreadable)
    return fitted


def _fit_last(paths: list[str], slots: list[tuple[str, int, int]],
              unreadable: bool = False) -> list[tuple[str, tuple[int, int]]]:
    """_fit without the empty band: the row's last len(paths) cells are its columns."""
    if not slots or len(slots) < len(paths):
        return []
    values, before = slots[len(slots) - len(paths):], slots[:len(slots) - len(paths)]
    if any(_NUMBER_TEXT.match(text) or text == _UNREADABLE for text, _, _ in before) \
            or any(text and not _NUMBER_TEXT.match(text) and text != _UNREADABLE for text, _, _ in values):
        return []
    return [(path, (s, e)) for path, (text, s, e) in zip(paths, values)
            if _NUMBER_TEXT.match(text) or (unreadable and text == _UNREADABLE)]


# --------------------------------------------------------------------------- misreads


def _candidates(doc: Document, evidence: dict) -> list[dict]:
    """For a failed identity (its evidence: left ≠ right and the cells' values): every cell read
    from a box whose misread of one digit (one changed, dropped or added) would make it hold,
    doubtful or not."""
    left, right, values = evidence.get("left"), evidence.get("right"), evidence.get("values")
    if not isinstance(values, dict) or not _is_number(left) or not _is_number(right) or left == right:
        return []
    difference = left - right
    left_cells = evidence.get("left_cells")
    zeros_only = _zeros_only(evidence)
    out = []
    for path, value in values.items():
        if path.startswith("previous") or not _is_number(value):
            continue
        # The figure that would make the sums equal: less by the difference on the left side,
        # more on the right (either, when the finding does not say which side the cell is on).
        if isinstance(left_cells, list):
            figures = {value - difference} if path in left_cells else {value + difference}
        else:
            figures = {value - difference, value + difference}
        # A figure read beside a row label the OCR misread is no sure reading either.
        guessed = path in guessed_rows(doc)
        for probably in figures:
            if probably < 0 or not _one_digit_apart(value, probably) or (zeros_only and probably != 0):
                continue
            for box in _cell_boxes(doc, path):
                if box.score is None:
                    continue
                coarse = box.scan_dpi is not None and box.scan_dpi < COARSE_DPI
                out.append({"cell": path, "read": value, "probably": probably, "page": box.page,
                            "box": list(box.bbox), "score": round(box.score, 3), "dpi": box.dpi,
                            "text": box.text, "doubtful": box.score < LOW_CONFIDENCE or coarse or guessed,
                            "scan_dpi": box.scan_dpi, "label_guessed": guessed})
    return out


def _bounded_misread(doc: Document, evidence: dict, explains: dict, named: dict) -> dict | None:
    """For an identity failed through its unread cells that neither one zero read as a figure
    nor two explain: the cells whose one-digit misread would leave the unread cells a figure of
    0 or more (_bounded_candidates), as _misread names them — the cell whose readings within the
    bound also explain other failed identities first, then the least confident. The failure is
    certain (counts are never negative) and the report is not blamed for it: it is a reading to
    check, whichever cell it is."""
    # The misreads other possible reading errors name (a row's misread "8" breaks its column too)
    # are taken back first: a column with three zeros read as figures fails by their sum, and no
    # cell of it needs another reading.
    values, left_cells = evidence.get("values"), evidence.get("left_cells")
    if not isinstance(values, dict) or not isinstance(left_cells, list):
        return None
    zeroed = {path for path, value in values.items()
              if _is_number(value) and path in named and named[path] != value}
    if zeroed:
        values = {path: named[path] if path in zeroed else value for path, value in values.items()}
        left = sum(v for p, v in values.items() if p in left_cells and v is not None)
        right = sum(v for p, v in values.items() if p not in left_cells and v is not None)
        unread_left = any(values[p] is None for p in left_cells if p in values)
        if (left - right if unread_left else right - left) <= 1e-6:
            return None  # those misreads leave the unread cells a figure of 0 or more
        evidence = {**evidence, "values": {p: v for p, v in values.items() if p not in zeroed},
                    "left": left, "right": right}
    candidates = _bounded_candidates(doc, evidence)
    if not any(c["doubtful"] for c in candidates):
        return None

    def explained(c: dict) -> int:
        within = [p for p in _one_digit_readings(c["read"])
                  if (p <= c["probably"] if c["bound"] == "at_most" else p >= c["probably"])]
        return max((explains.get((c["cell"], p), 0) for p in within), default=0)

    ranked = sorted(candidates, key=lambda c: (not c["doubtful"], -explained(c), c["score"]))
    best = ranked[0]
    alternatives = [{k: c[k] for k in ("cell", "read", "probably", "page", "box", "score", "bound")}
                    for c in ranked[1:]]
    return {**best, "explains": max(1, explained(best)), "alternatives": alternatives}


def _bounded_candidates(doc: Document, evidence: dict) -> list[dict]:
    """For an identity failed through its unread cells (checks/scanned_blanks.py) that no zero
    read as a figure explains: every read cell whose one-digit misread would leave the unread
    cells a figure of 0 or more — a cell on their side read larger than it is by at least the
    excess ("766" for 746 beside two unread cells, the row's total 769), one on the other side
    read smaller by at least it ("252" for 2932). Which figure it is the unread cells do not
    say, only its bound: `probably` is that bound, `bound` says which ("at_most", "at_least")."""
    left, right, values = evidence.get("left"), evidence.get("right"), evidence.get("values")
    left_cells = evidence.get("left_cells")
    if not isinstance(values, dict) or not isinstance(left_cells, list) or not _is_number(left) \
            or not _is_number(right) or left == right:
        return []
    over_by, excess_left = abs(left - right), left > right
    out = []
    for path, value in values.items():
        if path.startswith("previous") or not isinstance(value, int) or isinstance(value, bool) or value < 0:
            continue
        lower = (path in left_cells) == excess_left  # on the unread cells' side: read too large
        bound = value - over_by if lower else value + over_by
        if not any(p <= bound if lower else p >= bound for p in _one_digit_readings(value) if p >= 0):
            continue
        guessed = path in guessed_rows(doc)
        for box in _cell_boxes(doc, path):
            if box.score is None:
                continue
            coarse = box.scan_dpi is not None and box.scan_dpi < COARSE_DPI
            out.append({"cell": path, "read": value, "probably": bound, "bound": "at_most" if lower else "at_least",
                        "page": box.page, "box": list(box.bbox), "score": round(box.score, 3), "dpi": box.dpi,
                        "text": box.text, "doubtful": box.score < LOW_CONFIDENCE or coarse or guessed,
                        "scan_dpi": box.scan_dpi, "label_guessed": guessed})
    return out


def _explanations(doc: Document, findings: list[Finding]) -> dict[tuple, int]:
    """(cell, figure it probably is) → how many failed identities that one reading explains. A
    misread cell breaks every identity it is in (its row's and its column's); of two cells that
    each explain one failure, the one that explains the others too is the misread."""
    counts: dict[tuple, int] = {}
    for finding in findings:
        if finding.severity != "error" or not isinstance(finding.evidence, dict):
            continue
        for key in {(c["cell"], c["probably"]) for c in _candidates(doc, finding.evidence)}:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _misread(doc: Document, finding: Finding, evidence: dict, explains: dict, hints: dict | None = None) -> dict | None:
    """For a failed identity that a doubtful cell's one-digit misread explains: that reading,
    the one that explains the most failed identities first, then the least confident; with
    every other one-digit reading that would explain it too (`alternatives`), doubtful or not:
    on a poor scan a misread is sometimes read with confidence, and the reviewer is shown every
    cell that can be the one."""
    candidates = _candidates(doc, evidence)
    if not any(c["doubtful"] for c in candidates):
        return None  # only sure readings: the report's figures, as on any other layout
    # A "0" taken for a printed figure comes after the other readings that explain as much: a
    # poor copy reads faint zeros as figures, it does not print a figure as 0 (_weak).
    # Then one another failure names as the same figure (`hints`, _named_readings), if any.
    hints = hints or {}
    ranked = sorted(candidates, key=lambda c: (not c["doubtful"], -explains.get((c["cell"], c["probably"]), 0),
                                               hints.get(c["cell"]) != c["probably"],
                                               _zero_for_figure(c), c["score"]))
    best = ranked[0]
    alternatives = [{k: c[k] for k in ("cell", "read", "probably", "page", "box", "score")} for c in ranked[1:]]
    if _weak(best):
        # No better than two misreads together: every cell of the pairs that explain the
        # failure can be the one too (_two_misreads).
        pairs = _two_misreads(doc, evidence, explains)
        if pairs and _zero_for_figure(best) and not any(_zero_for_figure(m) for m in (pairs, pairs["alternatives"][0])):
            # Two figures read for zeros explain it as well, and that is what a poor copy does,
            # where it does not print a figure as 0: the pair first, the one readings after it.
            named = {(m["cell"], m["probably"]) for m in [pairs] + pairs["alternatives"]}
            ones = [{k: c[k] for k in ("cell", "read", "probably", "page", "box", "score")} for c in ranked
                    if (c["cell"], c["probably"]) not in named]
            return {**pairs, "alternatives": pairs["alternatives"] + ones}
        named = {(best["cell"], best["probably"])} | {(a["cell"], a["probably"]) for a in alternatives}
        for pair in ([{k: pairs[k] for k in ("cell", "read", "probably", "page", "box", "score")}]
                     + pairs["alternatives"]) if pairs else []:
            if (pair["cell"], pair["probably"]) not in named:
                named.add((pair["cell"], pair["probably"]))
                alternatives.append(pair)
    return {**best, "explains": explains.get((best["cell"], best["probably"]), 1), "alternatives": alternatives}


def _zero_for_figure(candidate: dict) -> bool:
    """Whether a reading takes a "0" for a figure printed there."""
    return candidate["read"] == 0 and candidate["probably"] != 0


def _weak(candidate: dict) -> bool:
    """Whether a one-digit reading that explains a failure is a weak explanation: it rests on a
    guess (a figure the detector did not see, read from faint ink or from a look-alike
    character, GUESSED confidence at most), or it takes a "0" for a figure printed there (a poor
    copy loses figures and reads faint zeros as 6, 8 or 9; it does not print a figure as 0)."""
    from auditor.read.scan import GUESSED

    return candidate["score"] <= GUESSED or _zero_for_figure(candidate)


def _two_misreads(doc: Document, evidence: dict, explains: dict) -> dict | None:
    """For a failed identity no single misread explains: two doubtful cells whose one-digit
    misreads together make it hold ("0 ≠ 15 = 6 + 9": two faint zeros read 6 and 9), one of
    them read with low confidence (below LOW_CONFIDENCE: a figure the detector did not see and
    a faint second look read, a reading its second reading contradicted) — that one first, the
    other as its alternative. On a coarse scan every cell is doubtful, and among so many pairs
    some explains almost any difference: one low-confidence reading anchors the pair. Of
    several pairs, the one whose readings also explain other failed identities (`explains`,
    as for one misread: a misread cell breaks its row's and its column's) comes first. None
    when no such pair."""
    left, right, values = evidence.get("left"), evidence.get("right"), evidence.get("values")
    left_cells = evidence.get("left_cells")
    if not isinstance(values, dict) or not isinstance(left_cells, list) or not _is_number(left) \
            or not _is_number(right) or left == right:
        return None
    doubtful = []
    for path, value in values.items():
        if path.startswith("previous") or not isinstance(value, int) or isinstance(value, bool) or value < 0:
            continue
        for box in _cell_boxes(doc, path):
            coarse = box.scan_dpi is not None and box.scan_dpi < COARSE_DPI
            if box.score is not None and (box.score < LOW_CONFIDENCE or coarse):
                doubtful.append((box.score, path, value, box, 1 if path in left_cells else -1))
    doubtful.sort(key=lambda u: u[0])
    difference = left - right
    zeros_only = _zeros_only(evidence)
    pairs = []
    for n, (score_a, a, value_a, box_a, side_a) in enumerate(doubtful):
        if score_a >= LOW_CONFIDENCE:
            break  # one of the two is read with low confidence (the list is by confidence)
        for score_b, b, value_b, box_b, side_b in doubtful[n + 1:]:
            for probably_a in _one_digit_readings(value_a):
                # difference + side_a·(probably_a − value_a) + side_b·(probably_b − value_b) = 0
                rest = -(difference + side_a * (probably_a - value_a))
                probably_b = value_b + side_b * rest
                if zeros_only and (probably_a or probably_b):
                    continue
                if probably_b >= 0 and _one_digit_apart(value_b, probably_b):
                    pairs.append(((a, value_a, probably_a, box_a), (b, value_b, probably_b, box_b)))
    if not pairs:
        return None
    # Of pairs that explain as much, those taking fewer zeros for printed figures first (_weak).
    pairs.sort(key=lambda pair: (-sum(explains.get((cell, probably), 0) for cell, _, probably, _ in pair),
                                 sum(value == 0 and probably != 0 for _, value, probably, _ in pair)))
    (a, value_a, probably_a, box_a), _ = pairs[0]
    first = {"cell": a, "read": value_a, "probably": probably_a, "page": box_a.page, "box": list(box_a.bbox),
             "score": round(box_a.score, 3), "dpi": box_a.dpi, "text": box_a.text, "doubtful": True,
             "scan_dpi": box_a.scan_dpi}
    # The pair's other cell first, then every other cell some pair names: each can be misread.
    alternatives, named = [], {(a, probably_a)}
    for pair in pairs:
        for cell, value, probably, box in pair:
            if (cell, probably) not in named:
                named.add((cell, probably))
                alternatives.append({"cell": cell, "read": value, "probably": probably, "page": box.page,
                                     "box": list(box.bbox), "score": round(box.score, 3)})
    return {**first, "explains": 1, "alternatives": alternatives, "together": True}


def _zeros_only(evidence: dict) -> bool:
    """Whether only zeros read as figures can explain the failure: for an identity failed
    through its unread cells (checks/scanned_blanks.py), those are taken as 0, which holds when
    they are a poor copy's faint zeros; the misreads that go with them on such a copy are zeros
    read as a figure ("0" as 6, 8 or 9). An explanation needing another figure fits the unread
    cells holding figures just as well (a row whose unread cells hold 12 and 0), so it names
    no cell."""
    return "implied_blanks" in evidence


def _one_digit_readings(value: int) -> list[int]:
    """The figures one misread digit away from `value` (one changed, dropped or added)."""
    text = str(value)
    found = set()
    for k in range(len(text) + 1):
        for digit in "0123456789":
            found.add(text[:k] + digit + text[k:])  # one added
            if k < len(text):
                found.add(text[:k] + digit + text[k + 1:])  # one changed
        if k < len(text):
            found.add(text[:k] + text[k + 1:])  # one dropped
    return sorted(int(t) for t in found if t and (t == "0" or not t.startswith("0")) and int(t) != value)


def _one_digit_apart(a, b) -> bool:
    """One misread digit: the same number of digits with one position different, or one digit
    more or less ("21" read "2": a faint digit lost; "1" read "11": a speck read as a digit)."""
    sa, sb = _fmt(a), _fmt(b)
    if len(sa) == len(sb):
        return sum(x != y for x, y in zip(sa, sb)) == 1
    short, long = sorted((sa, sb), key=len)
    return len(long) == len(short) + 1 and any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _fmt_text(text: str) -> str:
    text = _UNIT.sub("", text.replace(",", "").strip())
    try:
        return _fmt(float(text)) if "." in text else str(int(text))
    except ValueError:
        return text
