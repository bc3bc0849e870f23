"""Table findings on a scan say where on the page image their cells are, and a blank the OCR may
have lost is not blamed on the report (checks/scanned.py: cell_location, with_cell_locations,
_on_lost_cells; checks/identity.py: the blank-cells rules leave such cells out).

The township sample (corpus/baisha-town-2020.pdf) fills only its 总计 column: the applicants'
columns are the report's blanks, an error (TBL-BLANK). Read as a scan with its （七）总计 total
(2) lost, two identities (TBL-I1, TBL-I2) say that cell holds 2: TBL-OCR-UNREAD names it as
possibly lost, so TBL-BLANK must not blame it, and the lines that cannot be checked through it
say that it may be a lost reading. The reading is the text layer's, handed to the structure
as OCR would hand it (tests/test_ocr.py's _as_scan), so no OCR runs here but in the last test.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_ocr import _as_scan, needs_ocr  # noqa: E402

from auditor.checks import run_checks  # noqa: E402
from auditor.checks.scanned import cell_boxes  # noqa: E402
from auditor.checks.finding import make_finding  # noqa: E402
from auditor.model import SourceText, TableBlock  # noqa: E402
from auditor.read import read_file  # noqa: E402
from auditor.report.html import render as render_html  # noqa: E402
from auditor.structure import build_document  # noqa: E402

TOWNSHIP = ROOT / "corpus" / "baisha-town-2020.pdf"
LOST = "applications.total_processed.total"


@pytest.fixture(scope="module")
def township() -> SourceText:
    return read_file(str(TOWNSHIP))


def _total_of(source: SourceText, label: str) -> tuple[int, int, int]:
    """(block, row, column) of the 总计 cell of the table 三 row labelled `label`."""
    for n, block in enumerate(source.blocks):
        if isinstance(block, TableBlock):
            for i, row in enumerate(block.rows):
                if any(c and label in c for c in row):
                    return n, i, len(row) - 1
    raise AssertionError(f"no {label} row")


def _blanked(source: SourceText, where: tuple[int, int, int]) -> SourceText:
    """The text layer with one cell left blank: what the report would print without that figure."""
    n, i, j = where
    block = source.blocks[n]
    rows = [list(row) for row in block.rows]
    rows[i][j] = ""
    origins = block.origins
    if origins is not None:
        origins = [list(row) for row in origins]
        origins[i][j] = ()
        origins = tuple(tuple(row) for row in origins)
    blocks = list(source.blocks)
    blocks[n] = dataclasses.replace(block, rows=tuple(tuple(row) for row in rows), origins=origins)
    return dataclasses.replace(source, blocks=tuple(blocks))


def test_a_total_the_ocr_lost_is_no_blank_of_the_report_and_its_lines_say_it_may_be_lost(township, rules):
    where = _total_of(township, "（七）总计")
    assert township.blocks[where[0]].rows[where[1]][where[2]] == "2"
    doc = build_document(_as_scan(township, {where: ("", 1.0)}))
    assert doc.cell(LOST) is None
    findings = {f.rule: f for f in run_checks(doc, rules).findings}

    [lost] = findings["TBL-OCR-UNREAD"].evidence["ocr_unread"]
    assert lost["cell"] == LOST and lost["why"] == "implied" and lost["implied"] == 2
    page, box = lost["page"], lost["box"]
    # Where its row's line and its column's figures meet: the column of the other totals.
    other_total = cell_boxes(doc)["applications.carried_over.total"]
    assert (box[0], box[2]) == (other_total.bbox[0], other_total.bbox[2]) and box[1] < box[3]

    blank = findings["TBL-BLANK"]
    assert blank.severity == "error"  # the applicants' columns are still the report's blanks
    assert LOST not in blank.cells and LOST not in blank.evidence["blank_cells"]
    assert len(blank.cells) == 138
    assert [d["cell"] for d in blank.evidence["ocr_unread"]] == [LOST]
    assert "可能是扫描件漏识别，未计入" in blank.message and f"第{page}页" in blank.message

    for rule in ("TBL-I1", "TBL-I2"):  # 总计 column: undecidable through the lost total
        line = findings[rule]
        assert line.severity == "info" and LOST in line.cells
        assert [d["cell"] for d in line.evidence["ocr_unread"]] == [LOST]
        assert "可能是扫描件漏识别的数字" in line.message
        assert line.evidence["ocr"]["page"] == page and line.evidence["ocr"]["box"] == box

    # The report printing that total blank, read from its text layer: the report's blank, and
    # nothing about a scan.
    text_layer = build_document(_blanked(township, where))
    assert text_layer.cell(LOST) is None
    plain = {f.rule: f for f in run_checks(text_layer, rules).findings}
    assert LOST in plain["TBL-BLANK"].cells and plain["TBL-BLANK"].severity == "error"
    assert "TBL-OCR-UNREAD" not in plain
    assert not [f for f in plain.values() if any(k.startswith("ocr") for k in f.evidence)]


def test_every_table_finding_on_a_scan_gives_the_page_and_box_of_each_of_its_cells(township, rules):
    """TBL-BLANK and TBL-I3 (undecidable through blanks) name cells read blank; a failed identity
    names cells read as figures: each cell has its place (evidence["ocr_cells"]), the finding the
    box around them (evidence["ocr"]), and the HTML shows both."""
    granted = _total_of(township, "（一）予以公开")
    # 予以公开's total read "7" with confidence: the report's error as printed (TBL-I2 fails).
    doc = build_document(_as_scan(township, {granted: ("7", 0.999)}))
    result = run_checks(doc, rules)
    findings = {f.rule: f for f in result.findings}
    figure_boxes = {b.text: b for b in doc.source_map.boxes if b.bbox is not None}
    for rule in ("TBL-BLANK", "TBL-I2", "TBL-I3"):
        finding = findings[rule]
        located = {w["cell"]: w for w in finding.evidence["ocr_cells"]}
        assert set(located) == set(finding.cells), rule
        for cell, w in located.items():
            assert isinstance(w["page"], int) and len(w["box"]) == 4 and w["box"][0] < w["box"][2], (rule, cell)
            assert w["box_of"] == ("figure" if doc.cell(cell) is not None else "row"), (rule, cell)
        ocr = finding.evidence["ocr"]
        assert ocr["page"] == 2 and all(ocr["box"][k] <= w["box"][k] for w in located.values() for k in (0, 1))
    i2 = findings["TBL-I2"]
    assert i2.severity == "error" and i2.evidence["ocr_cells"][0]["cell"] == "applications.total_processed.total"
    seven = next(w for w in i2.evidence["ocr_cells"] if w["cell"] == "applications.granted.total")
    assert seven["box"] == list(figure_boxes["7"].bbox) and seven["score"] == 0.999
    page = render_html([result])
    box = seven["box"]
    assert f"扫描件第2页 框 {box[0]},{box[1]}–{box[2]},{box[3]}" in page
    # The text layer: no place on a scan.
    plain = run_checks(build_document(township), rules).findings
    assert not [f for f in plain if "ocr_cells" in f.evidence or "ocr" in f.evidence]


def test_an_error_resting_on_a_cell_the_ocr_may_have_lost_is_a_possible_reading_error(township, rules):
    """Any error whose cells include a cell named as possibly lost (a hand-made finding here: no
    rule of today blames a blank cell but the blank-cells rules, which leave it out) becomes a
    warning saying so; a finding on other cells is left as it is."""
    from auditor.checks.scanned import _on_lost_cells
    from auditor.checks.scanned_unread import unread_cells

    where = _total_of(township, "（七）总计")
    doc = build_document(_as_scan(township, {where: ("", 1.0)}))
    lost = {d["cell"]: d for d in unread_cells(doc, "applications", [r for r in rules if r.kind == "identity"])}
    assert set(lost) == {LOST}
    rule = next(r for r in rules if r.id == "TBL-I2")
    error = make_finding(rule, doc, "总计列不平", cells=[LOST, "applications.granted.total"], section="applications")
    reviewed = _on_lost_cells(error, lost)
    assert reviewed.severity == "warning" and reviewed.message.startswith("识别可能有误：总计列不平；但")
    assert "可能是扫描件漏识别的数字" in reviewed.message and reviewed.evidence["ocr_unread"] == [lost[LOST]]
    other = make_finding(rule, doc, "总计列不平", cells=["applications.granted.total"], section="applications")
    assert _on_lost_cells(other, lost) is other


@needs_ocr
def test_a_scanned_township_tables_findings_point_at_their_cells_on_the_page(tmp_path, rules):
    """The township report scanned (its table page, as corpus/scans/make_scans.py degrades a page)
    and read by OCR: TBL-BLANK and TBL-I3 name the blank applicants' cells, each placed on the
    page of the table; the totals they are read beside are the boxes OCR read them from."""
    import random

    from make_scans import Degradation, degrade, image_pdf, render_pages

    pages = render_pages(TOWNSHIP.read_bytes(), 200)
    text_layer = build_document(read_file(str(TOWNSHIP)))
    table_page = 2
    scanned = degrade(pages[table_page - 1], Degradation(dpi=200, skew=0.6, noise=4, specks=60, jpeg_quality=80),
                      random.Random("township"))
    path = tmp_path / "table.pdf"
    path.write_bytes(image_pdf([scanned], 200))
    doc = build_document(read_file(str(path)))
    assert doc.tables["applications"] == text_layer.tables["applications"]
    findings = {f.rule: f for f in run_checks(doc, rules).findings}
    blank = findings["TBL-BLANK"]
    assert blank.severity == "error" and "ocr_unread" not in blank.evidence
    located = {w["cell"]: w for w in blank.evidence["ocr_cells"]}
    assert set(located) == set(blank.cells)
    assert all(w["page"] == 1 and w["box_of"] == "row" for w in located.values())
    granted = located["applications.granted.natural_person"]["box"]
    total = cell_boxes(doc)["applications.granted.total"].bbox
    # The blank's row band is the row of the total read beside it.
    assert granted[1] <= total[1] and total[3] <= granted[3]
    assert blank.evidence["ocr"]["page"] == 1
