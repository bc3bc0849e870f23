"""Scanned PDFs and page images (issue 15): OCR offline, tables from the boxes by the same table
recovery, provenance (page and box) on every finding, probable misreads flagged as such, and
bad scans refused in one Chinese line within bounds.

The scans are made here, small (a page or two of the project's sample PDFs, degraded by
corpus/scans/make_scans.py); accuracy and speed on whole reports are bench/ocr_accuracy.py's.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "corpus" / "scans"))
from make_scans import Degradation, degrade, image_pdf, render_pages, stamped  # noqa: E402

from auditor.checks import run_checks  # noqa: E402
from auditor.errors import InputError  # noqa: E402
from auditor.model import ScanBox, SourceText, TableBlock, TextBlock  # noqa: E402
from auditor.read import ocr, read_file  # noqa: E402
from auditor.report.html import render as render_html  # noqa: E402
from auditor.structure import build_document  # noqa: E402

from conftest import one_chinese_line  # noqa: E402

SAMPLE_PDF = ROOT / "corpus" / "yunling-eco-2023.pdf"  # 3 pages; tables 三 and 四 on page 2
SAMPLE_TXT = ROOT / "corpus" / "qingxi-county-2023.txt"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed (pip install '.[ocr]')")


def _cli(*args: str, cwd: Path, prelude: str = "") -> subprocess.CompletedProcess:
    code = (f"import sys; {prelude}\nfrom auditor.cli import app\nsys.argv = ['auditor', *{list(args)!r}]\napp()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _blank_page(size=(600, 800), specks: int = 40):
    from PIL import Image

    import random

    page = Image.new("RGB", size, (255, 255, 255))
    return degrade(page, Degradation(dpi=72, noise=4, specks=specks), random.Random("blank"))


# --------------------------------------------------------------------------- loaded only when needed


def test_importing_auditor_and_auditing_a_txt_never_loads_the_ocr_engine(tmp_path):
    code = ("import json, sys\n"
            "import auditor, auditor.cli, auditor.read, auditor.checks, auditor.report.html\n"
            f"sys.argv = ['auditor', 'audit', {str(SAMPLE_TXT)!r}, '--format', 'json', '-o', 'out.json',"
            " '--fail-on', 'never']\n"
            "try:\n    auditor.cli.app()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in ('onnxruntime', 'rapidocr', 'cv2') if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "out.json").stat().st_size > 0


@needs_ocr
def test_the_engine_is_made_once_per_process():
    assert ocr.engine("a.png") is ocr.engine("b.png")


def test_a_mistyped_time_budget_in_the_environment_falls_back_to_the_default(monkeypatch):
    monkeypatch.setenv("AUDITOR_OCR_SECONDS", "ten minutes")
    assert ocr._seconds_from_environment() == 900.0
    monkeypatch.setenv("AUDITOR_OCR_SECONDS", "30")
    assert ocr._seconds_from_environment() == 30.0


def test_without_the_engine_a_scan_is_one_line_naming_what_to_install(tmp_path):
    (tmp_path / "page.png").write_bytes(_png(_blank_page()))
    result = _cli("audit", "page.png", cwd=tmp_path,
                  prelude="import auditor.read.ocr as ocr; ocr.available = lambda: False")
    one_chinese_line(result, "page.png", "pip install 'auditor[ocr]'")


def test_without_the_engine_a_stamped_last_page_is_a_note_and_the_text_pages_are_read(monkeypatch):
    from auditor.read.pdf import read_pdf

    pdf = SAMPLE_PDF.read_bytes()
    images = render_pages(pdf, 100)
    mixed = stamped(pdf, image_pdf(images[-1:], 100))
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr(ocr, "_engine", None)
    source = read_pdf("stamped.pdf", mixed)
    assert source.positions == "page"
    assert [n.kind for n in source.notes] == ["scan_not_read"]
    assert "第 3 页" in source.notes[0].message and "auditor[ocr]" in source.notes[0].message
    assert {b.page for b in source.blocks} == {1, 2}


@needs_ocr
@pytest.mark.parametrize("side", [10_500, 14_000])  # past our cap; past Pillow's own refusal too
def test_an_image_that_decodes_to_too_many_pixels_is_refused_unread(tmp_path, side):
    from PIL import Image

    Image.new("1", (side, side), 1).save(tmp_path / "huge.png")
    assert (tmp_path / "huge.png").stat().st_size < 1 << 20
    one_chinese_line(_cli("audit", "huge.png", cwd=tmp_path), "huge.png", "图片过大")


def test_an_image_with_the_wrong_content_is_refused_before_any_ocr(tmp_path):
    (tmp_path / "page.jpg").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    one_chinese_line(_cli("audit", "page.jpg", cwd=tmp_path), "page.jpg", "不是这种图片")


# --------------------------------------------------------------------------- misreads and provenance


def _as_scan(source: SourceText, misread: dict[tuple[int, int, int], tuple[str, float]],
             scan_dpi: int | None = None) -> SourceText:
    """The text-layer reading of a PDF as if it were OCR'd: every table cell its own box
    (score 1.0 unless `misread` gives (block, row, column) → (text read, score)), the running text
    one box per block. What OCR would hand the structure layer, without running OCR."""
    boxes: list[ScanBox] = []
    blocks = []
    for n, block in enumerate(source.blocks):
        if isinstance(block, TextBlock):
            boxes.append(ScanBox(block.page, (0, n, 100, n + 1), block.text[:20], 1.0, 200))
            blocks.append(TextBlock(block.text, block.page, origins=(len(boxes) - 1,) * len(block.text)))
            continue
        rows, origins = [], []
        for i, row in enumerate(block.rows):
            new_row, row_origins = [], []
            for j, cell in enumerate(row):
                if cell is None:
                    new_row.append(None)
                    row_origins.append(None)
                    continue
                text, score = misread.get((n, i, j), (cell, 1.0))
                boxes.append(ScanBox(block.page, (100 * j, 40 * i, 100 * j + 30, 40 * i + 30), text, score, 200,
                                     scan_dpi))
                new_row.append(text)
                row_origins.append((len(boxes) - 1,) * len(text))
            rows.append(tuple(new_row))
            origins.append(tuple(row_origins))
        blocks.append(TableBlock(tuple(rows), block.page, origins=tuple(origins)))
    return dataclasses.replace(source, blocks=tuple(blocks), positions="scan", boxes=tuple(boxes))


def _granted_total(source: SourceText) -> tuple[int, int, int]:
    """(block, row, column) of table 三's 予以公开/总计 in the sample."""
    for n, block in enumerate(source.blocks):
        if isinstance(block, TableBlock):
            for i, row in enumerate(block.rows):
                if any(c and "予以公开" in c for c in row):
                    return n, i, len(row) - 1
    raise AssertionError("no 予以公开 row")


@pytest.fixture(scope="module")
def sample_source() -> SourceText:
    return read_file(str(SAMPLE_PDF))


def _lines_as_scan(source: SourceText, changed: dict[str, tuple[str, float]]) -> SourceText:
    """The text-layer reading as if OCR'd line by line: every line of running text its own box
    (score 0.99), a line in `changed` read as the text and score given; tables as _as_scan."""
    scanned = _as_scan(source, {})
    boxes = list(scanned.boxes)
    blocks = []
    for block in scanned.blocks:
        if not isinstance(block, TextBlock):
            blocks.append(block)
            continue
        texts, origins = [], []
        for k, line in enumerate(block.text.split("\n")):
            text, score = changed.get(line, (line, 0.99))
            boxes.append(ScanBox(block.page, (10, 30 * k, 500, 30 * k + 20), text, score, 200))
            texts.append(text)
            origins.extend([len(boxes) - 1] * (len(text) + 1))  # the line and its line break
        text = "\n".join(texts)
        blocks.append(TextBlock(text, block.page, origins=tuple(origins[:len(text)])))
    return dataclasses.replace(scanned, blocks=tuple(blocks), boxes=tuple(boxes))


HEADING = "四、政府信息公开行政复议、行政诉讼情况"
MISREAD_HEADING = "四、政府信息公开行政法复议、行政诉讼情况"  # a speck read as a character


def test_a_text_finding_on_a_doubtful_reading_says_it_may_be_the_reading(sample_source, rules):
    from auditor.checks import scanned

    doc = build_document(_lines_as_scan(sample_source, {HEADING: (MISREAD_HEADING, 0.61)}))
    heading = [f for f in run_checks(doc, rules).findings if f.rule == "STR-HEADING"]
    assert len(heading) == 1
    finding = heading[0]
    assert finding.message.startswith("识别可能有误：") and "行政法复议" in finding.message
    assert "第2页" in finding.message and "置信度0.61" in finding.message
    assert finding.severity == "info"  # a hint stays a hint; it is never raised
    [box] = finding.evidence["ocr_doubtful_text"]
    assert box["text"] == MISREAD_HEADING and box["score"] == 0.61 and box["page"] == 2
    assert finding.evidence["ocr"]["box"] == box["box"]
    # Any rule's finding on that text, an error too, is no error: rule by rule nothing differs.
    as_error = dataclasses.replace(finding, severity="error", message="标题有错字",
                                   evidence={k: v for k, v in finding.evidence.items() if not k.startswith("ocr")})
    [reviewed] = scanned.review(doc, [as_error])
    assert reviewed.severity == "warning" and reviewed.message.startswith("识别可能有误：标题有错字")
    # Read with confidence, the same heading is the report's.
    doc = build_document(_lines_as_scan(sample_source, {HEADING: (MISREAD_HEADING, 0.99)}))
    [finding] = [f for f in run_checks(doc, rules).findings if f.rule == "STR-HEADING"]
    assert not finding.message.startswith("识别可能有误") and "ocr_doubtful_text" not in finding.evidence


def test_an_identity_broken_by_a_doubtful_digit_is_a_probable_misread_with_page_and_box(sample_source, rules):
    where = _granted_total(sample_source)
    assert sample_source.blocks[where[0]].rows[where[1]][where[2]] == "21"
    doc = build_document(_as_scan(sample_source, {where: ("27", 0.62)}))
    assert doc.cell("applications.granted.total") == 27
    findings = run_checks(doc, rules).findings
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert flagged, [f.message for f in findings if f.severity == "error"]
    for f in flagged:
        assert f.severity == "warning" and f.message.startswith("识别可能有误")
        assert f.evidence["ocr_misread"]["cell"] == "applications.granted.total"
        assert f.evidence["ocr_misread"]["probably"] == 21 and f.evidence["ocr_misread"]["page"] == 2
        doubtful = next(b for b in doc.source_map.boxes if b.score == 0.62)
        assert f.evidence["ocr"]["box"] == list(doubtful.bbox) == f.evidence["ocr_misread"]["box"]
        assert "第2页" in f.message
    # The same wrong figure read with confidence blames the report, as on any other layout.
    doc = build_document(_as_scan(sample_source, {where: ("27", 0.999)}))
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if "ocr_misread" in f.evidence]
    assert [f for f in findings if f.severity == "error" and "applications.granted.total" in f.cells]


def test_a_difference_no_single_digit_explains_stays_the_reports(sample_source, rules):
    where = _granted_total(sample_source)
    doc = build_document(_as_scan(sample_source, {where: ("40", 0.5)}))  # 21 → 40: two digits apart
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if "ocr_misread" in f.evidence]
    assert [f for f in findings if f.severity == "error" and "applications.granted.total" in f.cells]


def _granted(source: SourceText, column: int) -> tuple[int, int, int]:
    """(block, row, column) of table 三's 予以公开 row, its `column`-th figure (0: 自然人)."""
    block, row, last = _granted_total(source)
    return block, row, last - 6 + column


def test_a_misread_breaking_its_row_and_its_column_is_named_before_a_doubtful_cell_that_explains_one(
        sample_source, rules):
    """自然人 15 read 16 (0.9) breaks the 予以公开 row's sum and the 自然人 column's; 商业企业 5, read
    right but doubtful (0.6), would explain the row alone (5 → 4). The cell named is the one
    that explains both failures; the others that could explain the row are named after it."""
    natural, commercial = _granted(sample_source, 0), _granted(sample_source, 1)
    assert sample_source.blocks[natural[0]].rows[natural[1]][natural[2]] == "15"
    assert sample_source.blocks[commercial[0]].rows[commercial[1]][commercial[2]] == "5"
    doc = build_document(_as_scan(sample_source, {natural: ("16", 0.9), commercial: ("5", 0.6)}))
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert len(flagged) >= 2  # the row's identity and the column's
    for f in flagged:
        misread = f.evidence["ocr_misread"]
        assert (misread["cell"], misread["read"], misread["probably"]) == ("applications.granted.natural_person", 16, 15)
        assert misread["explains"] >= 2
    row = next(f for f in flagged if "applications.granted.commercial" in f.cells)
    assert "applications.granted.commercial" in {a["cell"] for a in row.evidence["ocr_misread"]["alternatives"]}
    assert "“5”（置信度0.60）为“4”" in row.message


def test_on_a_coarse_scan_a_confident_reading_is_no_proof_of_the_report(sample_source, rules):
    """Scanned at 100 dpi, 21 read as 27 with 0.999: below ocr.COARSE_DPI the recogniser's
    confidence says nothing, so the failed identities are probable misreads, saying why."""
    where = _granted_total(sample_source)
    doc = build_document(_as_scan(sample_source, {where: ("27", 0.999)}, scan_dpi=100))
    findings = run_checks(doc, rules).findings
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert flagged and not [f for f in findings if f.severity == "error"]
    assert all("扫描分辨率仅100dpi" in f.message and f.evidence["ocr_misread"]["probably"] == 21 for f in flagged)


def test_a_dropped_digit_is_a_probable_misread(sample_source, rules):
    """予以公开/总计 21 read as "2" (the 1 too faint to read): a digit lost, not changed."""
    where = _granted_total(sample_source)
    doc = build_document(_as_scan(sample_source, {where: ("2", 0.7)}))
    findings = run_checks(doc, rules).findings
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert flagged and not [f for f in findings if f.severity == "error"]
    assert {(f.evidence["ocr_misread"]["cell"], f.evidence["ocr_misread"]["probably"]) for f in flagged} \
        == {("applications.granted.total", 21)}


def test_a_row_read_out_of_line_with_the_columns_is_no_proof_against_the_report(sample_source, rules):
    """Two figures read in one cell ("0 0": a row rule lost, the next row's figure joined this
    one's) give the row a figure more than its columns: where its figures sit is the OCR's
    guess, so every identity through it is a possible reading error naming the cells it could
    not place, never an error blamed on the report, however confident each reading."""
    where = _granted(sample_source, 4)  # 法律服务机构 of 予以公开 (0)
    doc = build_document(_as_scan(sample_source, {where: ("0 0", 0.999)}))
    assert doc.cell("applications.granted.natural_person") != 15  # the row's figures moved
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error" and any(c.startswith("applications.granted.")
                                                                       for c in f.cells)]
    flagged = [f for f in findings if "ocr_unlocated" in f.evidence]
    assert flagged and all(f.severity == "warning" and f.message.startswith("识别可能有误") for f in flagged)
    assert any("applications.granted.natural_person" in f.evidence["ocr_unlocated"] for f in flagged)
    assert any("“（一）予以公开/自然人”" in f.message for f in flagged)


def test_an_empty_band_at_the_end_of_a_scanned_row_leaves_its_figures_their_boxes(sample_source, rules):
    """A row read with an empty cell after its last column (a border drawn twice) still has
    its figures in its last columns: a doubtful one is named as a probable misread, with its
    box, as in a row without the band."""
    where = _granted_total(sample_source)
    scan = _as_scan(sample_source, {where: ("27", 0.62)})
    blocks = list(scan.blocks)
    table = blocks[where[0]]
    blocks[where[0]] = TableBlock(tuple(row + ("",) for row in table.rows), table.page,
                                  origins=tuple(row + ((),) for row in table.origins))
    doc = build_document(dataclasses.replace(scan, blocks=tuple(blocks)))
    assert doc.cell("applications.granted.total") == 27
    flagged = [f for f in run_checks(doc, rules).findings if "ocr_misread" in f.evidence]
    assert flagged and {f.evidence["ocr_misread"]["cell"] for f in flagged} == {"applications.granted.total"}


def test_blank_cells_of_a_table_scanned_coarser_than_150_dpi_are_no_proof_against_the_report(sample_source, rules):
    """Twelve figure cells read blank (a faint "0" leaves no ink a character tall below 150
    dpi): the blanks are a possible reading error there, not the report's; on a finer scan
    they stay the report's error, as on any other layout."""
    block, row, last = _granted_total(sample_source)
    blank = {(block, row + k, last - j): ("", 1.0) for k in range(2) for j in range(6)}

    def blank_findings(scan_dpi):
        doc = build_document(_as_scan(sample_source, blank, scan_dpi=scan_dpi))
        return [f for f in run_checks(doc, rules).findings if f.rule == "TBL-BLANK"]

    [fine] = blank_findings(None)
    assert fine.severity == "error" and len(fine.evidence["blank_cells"]) >= 12
    [coarse] = blank_findings(110)
    assert coarse.severity == "warning" and coarse.message.startswith("识别可能有误")
    assert "110dpi" in coarse.message and coarse.evidence["ocr_coarse_blanks"] == {"scan_dpi": 110}


def test_an_unreadable_figure_cell_keeps_its_place_and_is_no_blank_of_the_report(sample_source, rules):
    """A figure cell with ink the OCR could not read (UNREADABLE_CELL) is an unreadable position
    of its row: the figures after it stay in their columns, and it is neither a blank the
    report left (TBL-BLANK) nor a label that shifts the row."""
    from auditor.model import UNREADABLE_CELL

    research = _granted(sample_source, 2)
    doc = build_document(_as_scan(sample_source, {research: (UNREADABLE_CELL, 0.0)}))
    assert doc.cell("applications.granted.research") is None
    assert [doc.cell(f"applications.granted.{c}") for c in ("natural_person", "commercial", "social_org",
                                                           "legal_service", "other_org", "total")] == [15, 5, 0, 0, 0, 21]
    assert any(d.kind == "cell_unreadable" and "未能识别" in d.message for d in doc.diagnostics)
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    assert not [f for f in findings if f.rule.startswith("TBL-BLANK")]


@pytest.mark.parametrize("read, figure", [
    ("G", "0"), ("!", "1"), ("日1", "1"), ("2 V", "2"), ("O", "0"), ("sa.", None), ("lO", "10"), ("ab", None),
    ("é", "0"), ("Ö", "0")])
def test_noise_read_in_a_figure_cell_is_guessed_as_its_look_alike_digit(read, figure):
    from auditor.read.scan import _as_figure, _is_noise

    assert _is_noise(read)
    assert _as_figure(read) == figure


@pytest.mark.parametrize("text", ["35", "无", "/", "—", "本年新收", "商业企业", ""])
def test_figures_words_and_blank_marks_are_no_noise(text):
    from auditor.read.scan import _is_noise

    assert not _is_noise(text)


def test_findings_on_ocr_text_carry_page_and_box_and_the_html_says_so(sample_source, rules):
    where = _granted_total(sample_source)
    doc = build_document(_as_scan(sample_source, {where: ("27", 0.62)}))
    result = run_checks(doc, rules)
    with_span = [f for f in result.findings if f.span is not None]
    assert with_span and all(isinstance(f.evidence.get("ocr", {}).get("page"), int) for f in with_span)
    page = render_html([result])
    assert "识别自扫描件第2页" in page and "识别可能有误" in page
    from auditor.report.text import render as render_text

    assert "来源：识别自扫描件第2页（框" in render_text([result])
    # A text-layer reading of the same report has no such provenance.
    plain = run_checks(build_document(sample_source), rules)
    assert not [f for f in plain.findings if "ocr" in f.evidence]


# --------------------------------------------------------------------------- row labels OCR misread


def _cell_at(source: SourceText, text: str) -> tuple[int, int, int]:
    """(block, row, column) of the table cell that prints `text`."""
    for n, block in enumerate(source.blocks):
        if isinstance(block, TableBlock):
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    if cell == text:
                        return n, i, j
    raise AssertionError(f"no cell {text}")


@pytest.mark.parametrize("label, key", [
    ("（六）其绝处理", "other_subtotal"), ("（三）不予公开1.属于国家秘蜜", "withheld_state_secret"),
    ("（七）总讨", "total_processed"), ("4.保护第三万合法权益", "withheld_third_party"),
    ("一、本年新牧政府信息公开申请数量", "new_received")])
def test_a_row_label_with_a_character_misread_names_its_row(label, key):
    from auditor.structure.tables import schema

    assert not schema.match_keys(label, schema.APPLICATION_ROWS) or key not in {
        k for _, k in schema.match_keys(label, schema.APPLICATION_ROWS)}
    assert schema.near_keys(label, schema.APPLICATION_ROWS) == {key}


def test_a_group_label_then_item_words_all_misread_name_the_groups_items():
    from auditor.structure.tables import schema

    assert schema.near_keys("(P）无法提供本机其不常握关政府信息", schema.APPLICATION_ROWS) == {
        "unable_no_info", "unable_needs_creation", "unable_unclear"}
    assert schema.near_keys("（四）无法提供", schema.APPLICATION_ROWS) == set()  # the subtotal row


@pytest.mark.parametrize("label", [
    "（六）其他处理",  # read right: named as printed, nothing near
    "（四）无法提供1.本机关不掌握相关政府信息",  # "信息" is one character off "信访": too short to say
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",  # "第三项": a short word, no number
    "1.补文6中请内家仍军明项"])  # an item number alone names a row in every group
def test_a_label_that_names_no_row_with_a_character_misread_names_none(label):
    from auditor.structure.tables import schema

    assert schema.near_keys(label, schema.APPLICATION_ROWS) == set()


def test_row_labels_the_ocr_misread_still_place_their_rows_and_make_their_figures_doubtful(sample_source, rules):
    """Table 三's rows "2.重复申请", "3.补正后申请…" and "（七）总计", and table 二's "行政处罚", read
    with a character wrong each: every row still gets its own figures (not the next row's,
    not lost), each is noted as placed under a misread label, and a figure of such a row read
    wrong with full confidence is a possible reading error naming that cell, not an error of
    the report: the label beside it was misread, the figure may be too."""
    garbled = {_cell_at(sample_source, "2.重复申请"): ("2.重复中请", 0.9),
               _cell_at(sample_source, "3.补正后申请内容仍不明确"): ("3.补正后中请内容仍不明碗", 0.9),
               _cell_at(sample_source, "（七）总计"): ("（七）总讨", 0.9),
               _cell_at(sample_source, "行政处罚"): ("行政处馍", 0.9)}
    truth = build_document(sample_source)
    doc = build_document(_as_scan(sample_source, garbled))
    for row in ("declined_repeat", "unable_unclear", "total_processed"):
        assert doc.tables["applications"][row] == truth.tables["applications"][row], row
    assert doc.tables["active"]["punishment"] == truth.tables["active"]["punishment"]
    noted = {d.detail["row"] for d in doc.diagnostics if d.kind == "row_label_guessed"}
    assert noted == {"declined_repeat", "unable_unclear", "total_processed", "punishment"}
    assert not [f for f in run_checks(doc, rules).findings if f.severity == "error"]

    block, row, label_column = _cell_at(sample_source, "2.重复申请")
    natural = (block, row, label_column + 1)  # 重复申请/自然人: 1
    assert sample_source.blocks[block].rows[row][label_column + 1] == "1"
    doc = build_document(_as_scan(sample_source, {**garbled, natural: ("7", 0.999)}))
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert flagged and {(f.evidence["ocr_misread"]["cell"], f.evidence["ocr_misread"]["probably"]) for f in flagged} \
        == {("applications.declined_repeat.natural_person", 1)}
    assert all("行名识别有误" in f.message for f in flagged)
    # Three figures of that row read wrong with full confidence: no misread digit or two
    # explain its failed sum, but the row sits under a misread label: no proof either.
    wrong = {(block, row, label_column + k): (text, 0.999) for k, text in ((1, "7"), (2, "9"), (3, "8"))}
    doc = build_document(_as_scan(sample_source, {**garbled, **wrong}))
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    [sum_of_row] = [f for f in findings if f.rule == "TBL-I3" and "applications.declined_repeat.total" in f.cells]
    assert "applications.declined_repeat.total" in sum_of_row.evidence["ocr_label_guessed"]
    assert "所在行的行名识别有误" in sum_of_row.message


def test_two_misreads_in_one_identity_are_a_possible_reading_error_naming_both(sample_source, rules):
    """The zeros of "2.其他法律行政法规禁止公开" under 科研机构 and 公益组织 read 6 (doubtful, 0.6)
    and 9 (0.999) on a 100-dpi copy: the row's sum, 0 ≠ 15, fails by what no one misread digit
    explains; two do, one of them read with low confidence, so the row's failure is a possible
    reading error naming both, not an error of the report. The same two figures read with
    confidence on a fine scan are the report's."""
    block, row, label = _cell_at(sample_source, "2.其他法律行政法规禁止公开")
    research, social = (block, row, label + 3), (block, row, label + 4)
    assert sample_source.blocks[block].rows[row][label + 1:] == ("0",) * 7
    doc = build_document(_as_scan(sample_source, {research: ("6", 0.6), social: ("9", 0.999)}, scan_dpi=100))
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    [sum_of_row] = [f for f in findings if f.rule == "TBL-I3" and "applications.withheld_law_forbidden.total" in f.cells]
    misread = sum_of_row.evidence["ocr_misread"]
    assert (misread["cell"], misread["probably"]) == ("applications.withheld_law_forbidden.research", 0)
    assert (misread["alternatives"][0]["cell"], misread["alternatives"][0]["probably"]) == (
        "applications.withheld_law_forbidden.social_org", 0)
    assert sum_of_row.severity == "warning" and "若分别为“0”和“0”则等式成立" in sum_of_row.message
    sure = build_document(_as_scan(sample_source, {research: ("6", 0.999), social: ("9", 0.999)}))
    assert [f for f in run_checks(sure, rules).findings if f.rule == "TBL-I3" and f.severity == "error"]


def _figure_at(source: SourceText, label: str, column: int) -> tuple[int, int, int]:
    """(block, row, column) of table 三's row whose label holds `label`, its `column`-th figure
    (0: 自然人, 6: 总计)."""
    block, _, last = _granted_total(source)
    for i, row in enumerate(source.blocks[block].rows):
        if any(c and label in c for c in row):
            return block, i, last - 6 + column
    raise AssertionError(label)


def test_a_zero_read_as_a_figure_in_identities_each_with_a_lost_zero_is_a_possible_misread(sample_source, rules):
    """国家秘密/自然人 0 read "9" (doubtful), and a faint zero lost in its row (国家秘密/科研机构)
    and in its column (法律法规禁止/自然人): every identity through the misread has an unread cell,
    so none can be decided — yet 0 ≠ 9 + 空 and 35 ≠ … + 9 + 空 whatever the blanks hold
    (counts are never negative). Each is a possible misread naming the cell, 9 → 0; read with
    confidence, nothing is said (the text layer says nothing there either): no error either way."""
    secret = _figure_at(sample_source, "国家秘密", 0)
    lost = {_figure_at(sample_source, "国家秘密", 2): ("", 1.0), _figure_at(sample_source, "禁止公开", 0): ("", 1.0)}
    doc = build_document(_as_scan(sample_source, {secret: ("9", 0.6), **lost}))
    assert doc.cell("applications.withheld_state_secret.natural_person") == 9
    assert doc.cell("applications.withheld_state_secret.research") is None
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    implied = [f for f in findings if "implied_blanks" in f.evidence]
    assert {f.rule for f in implied} == {"TBL-I2", "TBL-I3"}
    for f in implied:
        assert f.severity == "warning" and f.message.startswith("识别可能有误")
        misread = f.evidence["ocr_misread"]
        assert (misread["cell"], misread["read"], misread["probably"]) == \
            ("applications.withheld_state_secret.natural_person", 9, 0)
        assert misread["explains"] == 2
    row = next(f for f in implied if f.rule == "TBL-I3")
    assert row.evidence["implied_blanks"] == ["applications.withheld_state_secret.research"]
    sure = build_document(_as_scan(sample_source, {secret: ("9", 0.999), **lost}))
    findings = run_checks(sure, rules).findings
    assert not [f for f in findings if "implied_blanks" in f.evidence or f.severity == "error"]


def test_a_failure_through_lost_cells_that_only_another_figure_explains_names_no_cell(sample_source, rules):
    """本年新收/自然人 35 read "55" (doubtful) with 本年新收/商业企业 lost: 51 = 55 + 空 + 6 would
    hold only with the blank −10, so it fails whatever the blank holds; but only a figure other
    than 0 read wrong explains it (55 → 45, or 51 → 61), and there the blank may hold a figure as
    well as a faint zero: the failure through the blank names no cell (the 自然人 column's own
    identity, decided, still names 55 → 35, and with that reading taken back the row holds with
    the blank 10, so no bound names a cell either)."""
    natural = _figure_at(sample_source, "本年新收", 0)
    lost = {_figure_at(sample_source, "本年新收", 1): ("", 1.0), _figure_at(sample_source, "予以公开", 0): ("", 1.0)}
    doc = build_document(_as_scan(sample_source, {natural: ("55", 0.6), **lost}))
    assert doc.cell("applications.new_received.natural_person") == 55
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if "implied_blanks" in f.evidence or f.severity == "error"]


def test_a_row_whose_last_cell_was_read_blank_keeps_its_figures_in_their_columns(sample_source, rules):
    """予以公开/总计 read blank (a faint zero lost in the last column) and 予以公开/自然人 15 read
    "16" (doubtful): the row's figures are still in their columns (the blank is no empty band
    after the table), so the misread is named with its box, not left unlocated."""
    natural = _figure_at(sample_source, "予以公开", 0)
    doc = build_document(_as_scan(sample_source, {natural: ("16", 0.6), _figure_at(sample_source, "予以公开", 6): ("", 1.0)}))
    assert doc.cell("applications.granted.total") is None
    findings = run_checks(doc, rules).findings
    flagged = [f for f in findings if "ocr_misread" in f.evidence]
    assert flagged and not [f for f in findings if "ocr_unlocated" in f.evidence]
    assert {(f.evidence["ocr_misread"]["cell"], f.evidence["ocr_misread"]["probably"]) for f in flagged} \
        == {("applications.granted.natural_person", 15)}


def test_a_figure_of_table_two_read_with_low_confidence_is_named_as_a_reading_to_check(sample_source, rules):
    """Table 二 has no identity: 行政处罚 203 read "201" breaks nothing. Read with low confidence,
    it is named (TBL-OCR-ACTIVE, info: a reading to check, no fault of the report) with its page
    and box; read with confidence, or from a text layer, nothing is said."""
    block = next(n for n, b in enumerate(sample_source.blocks) if isinstance(b, TableBlock)
                 and any(r[0] == "行政处罚" for r in b.rows))
    row = next(i for i, r in enumerate(sample_source.blocks[block].rows) if r[0] == "行政处罚")
    assert sample_source.blocks[block].rows[row][1] == "203"
    doc = build_document(_as_scan(sample_source, {(block, row, 1): ("201", 0.82)}))
    assert doc.cell("active.punishment.decisions") == 201
    [noted] = [f for f in run_checks(doc, rules).findings if f.rule == "TBL-OCR-ACTIVE"]
    assert noted.severity == "info" and noted.message.startswith("识别可能有误")
    [doubtful] = noted.evidence["ocr_doubtful"]
    box = next(b for b in doc.source_map.boxes if b.score == 0.82)
    assert doubtful == {"cell": "active.punishment.decisions", "read": 201, "page": box.page,
                        "box": list(box.bbox), "score": 0.82, "why": "low_confidence"}
    assert f"“行政处罚/处理决定”“201”（第{box.page}页，置信度0.82）" in noted.message
    sure = build_document(_as_scan(sample_source, {(block, row, 1): ("201", 0.999)}))
    assert not [f for f in run_checks(sure, rules).findings if f.rule == "TBL-OCR-ACTIVE"]
    # A zero read with low confidence is a faint zero: a poor copy misreads zeros, not as zeros.
    fees = next(i for i, r in enumerate(sample_source.blocks[block].rows) if r[0] == "行政事业性收费")
    assert sample_source.blocks[block].rows[fees][1] == "0"
    faint = build_document(_as_scan(sample_source, {(block, fees, 1): ("0", 0.6)}))
    assert not [f for f in run_checks(faint, rules).findings if f.rule == "TBL-OCR-ACTIVE"]
    assert not [f for f in run_checks(build_document(sample_source), rules).findings if f.rule == "TBL-OCR-ACTIVE"]


def test_a_decimal_read_in_a_count_cell_with_low_confidence_is_no_proof_against_the_report(sample_source, rules):
    """A count read "2.5" (a speck read as a point) with low confidence: the rule that counts are
    whole numbers fails on a reading, not on the report; read with confidence it is the report's."""
    where = _granted(sample_source, 1)
    doc = build_document(_as_scan(sample_source, {where: ("2.5", 0.5)}))
    [decimal] = [f for f in run_checks(doc, rules).findings if f.rule == "TBL-INT"]
    assert decimal.severity == "warning" and decimal.message.startswith("识别可能有误")
    assert decimal.evidence["ocr_unsure"] == ["applications.granted.commercial"]
    doc = build_document(_as_scan(sample_source, {where: ("2.5", 0.999)}))
    [decimal] = [f for f in run_checks(doc, rules).findings if f.rule == "TBL-INT"]
    assert decimal.severity == "error"


def test_a_first_row_whose_label_the_ocr_lost_is_not_named_by_the_column_header(sample_source):
    """The label of "一、本年新收…" not read at all: the words before the row are the column
    header, whose "总计" names the column, not the row （七）总计; the row is placed by its
    position, as table 三's first row, and noted as such."""
    where = _cell_at(sample_source, "一、本年新收政府信息公开申请数量")
    truth = build_document(sample_source)
    doc = build_document(_as_scan(sample_source, {where: ("", 1.0)}))
    assert doc.tables["applications"]["new_received"] == truth.tables["applications"]["new_received"]
    assert doc.tables["applications"]["total_processed"] == truth.tables["applications"]["total_processed"]
    [note] = [d for d in doc.diagnostics if d.kind == "row_label_guessed"]
    assert note.detail["row"] == "new_received" and "行名未能识别" in note.message


def test_a_text_layers_row_labels_are_matched_as_printed(sample_source):
    """A row label printed "（六）其绝处理" in a report's text layer is the report's own: it names
    no row there, as before; read by OCR it is （六）其他处理. (Table 三 printing （六） as one row
    with the sums of its three items, as the 2019 layout does.)"""
    block, row, _ = _cell_at(sample_source, "（六）其他处理")
    table = sample_source.blocks[block]
    rows = list(table.rows)
    sums = [str(sum(int(rows[row + k][j]) for k in range(3))) for j in range(3, 10)]
    rows[row:row + 3] = [(None, "（六）其绝处理", "", *sums)]
    origins = list(table.origins)
    origins[row:row + 3] = [tuple(None if c is None else (table.page,) * len(c) for c in rows[row])]
    blocks = list(sample_source.blocks)
    blocks[block] = TableBlock(tuple(rows), table.page, origins=tuple(origins))
    source = dataclasses.replace(sample_source, blocks=tuple(blocks))
    scanned = build_document(_as_scan(source, {}))
    assert scanned.tables["applications"]["other_subtotal"] == dict(zip(
        ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"),
        map(int, sums)))
    printed = build_document(source)
    assert "other_subtotal" not in printed.tables["applications"]
    assert not [d for d in printed.diagnostics if d.kind == "row_label_guessed"]


# --------------------------------------------------------------------------- real OCR, small scans


@pytest.fixture(scope="module")
def table_page_scan(tmp_path_factory):
    """Page 2 of the sample (tables 三 and 四) scanned at 200 dpi, tilted 1.5°, noisy, JPEG'd."""
    import random

    page = render_pages(SAMPLE_PDF.read_bytes(), 200)[1]
    image = degrade(page, Degradation(dpi=200, skew=1.5, noise=5, specks=60, jpeg_quality=75),
                    random.Random("table-page"))
    path = tmp_path_factory.mktemp("scan") / "page2.png"
    image.save(path, dpi=(200, 200))
    return read_file(str(path))


def _grid_with(source: SourceText, word: str) -> TableBlock:
    return next(b for b in source.blocks if isinstance(b, TableBlock)
                and any(word in (c or "") for row in b.rows for c in row))


@needs_ocr
def test_a_scanned_table_page_gives_the_text_layers_grid_and_tables(table_page_scan, sample_source):
    assert table_page_scan.format == "image" and table_page_scan.positions == "scan"
    truth = _grid_with(sample_source, "本年新收")
    read = _grid_with(table_page_scan, "本年新收")
    figures = [[c for c in row if c and c.isdigit()] for row in truth.rows]
    assert [[c for c in row if c and c.isdigit()] for row in read.rows] == figures
    # The same table recovery reads the same table 三 and 四.
    from auditor.structure.normalize import normalize
    from auditor.structure.tables import recover_tables
    from auditor.structure.sections import find_sections

    def tables(source):
        norm = normalize(source)
        return recover_tables(norm.text, find_sections(norm.text), norm.grids, "2021")[0]

    truth_page = dataclasses.replace(sample_source, blocks=tuple(b for b in sample_source.blocks if b.page == 2))
    assert tables(table_page_scan)["applications"] == tables(truth_page)["applications"]
    assert tables(table_page_scan)["appeals"] == tables(truth_page)["appeals"]


@pytest.fixture(scope="module")
def poor_copy(tmp_path_factory):
    """Page 2 of the sample (tables 三 and 四) as a poor copy (make_scans.Degradation.heavy: 110
    dpi, blurred, broken strokes, JPEG quality ~35, a fold across it), read by OCR."""
    from make_scans import heavy_scan

    images, dpi = heavy_scan(SAMPLE_PDF.read_bytes(), "poor-copy")
    path = tmp_path_factory.mktemp("poor") / "page2.png"
    images[1].save(path, dpi=(dpi, dpi))
    return read_file(str(path))


@needs_ocr
def test_a_poor_copy_misreads_figures_and_no_misread_is_blamed_on_the_report(poor_copy, sample_source, rules):
    """The degradation is real: the OCR misreads figures of this page (no OCR output is edited).
    Whatever it misreads, no error-level finding blames the report for a cell it misread, and
    the failed identities a misread breaks say 识别可能有误 and name the misread cell."""
    truth = build_document(dataclasses.replace(
        sample_source, blocks=tuple(b for b in sample_source.blocks if b.page == 2)))
    doc = build_document(poor_copy)
    cells = lambda d: {f"{t}.{r}.{c}": v for t in ("applications", "appeals")  # noqa: E731
                       for r, cols in d.tables.get(t, {}).items() for c, v in cols.items()}
    want, got = cells(truth), cells(doc)
    misread = {k for k, v in want.items() if v is not None and got.get(k) is not None and got[k] != v}
    assert misread, "the poor copy was read without a misread: degrade it more"
    assert sum(1 for k, v in want.items() if got.get(k) == v) >= 0.8 * len(want)
    findings = run_checks(doc, rules).findings
    blamed = [f for f in findings if f.severity == "error" and misread & set(f.cells)]
    assert not blamed, [f.message for f in blamed]
    named = {c for f in findings if "ocr_misread" in f.evidence
             for c in [f.evidence["ocr_misread"]["cell"], *(a["cell"] for a in f.evidence["ocr_misread"]["alternatives"])]}
    assert misread & named
    assert all(f.severity == "warning" and f.message.startswith("识别可能有误") for f in findings if "ocr_misread" in f.evidence)


@needs_ocr
def test_every_character_read_from_a_scan_knows_its_box(table_page_scan):
    boxes = table_page_scan.boxes
    assert boxes and all(b.page == 1 and b.bbox is not None and 0 <= b.score <= 1 for b in boxes)
    # Plain numbers (a finding's evidence is written with json.dumps).
    assert all(type(v) is int for b in boxes for v in b.bbox) and all(type(b.score) is float for b in boxes)
    json.dumps([b.to_json() for b in boxes])
    for block in table_page_scan.blocks:
        origins = [block.origins] if isinstance(block, TextBlock) else \
            [cell for row in block.origins for cell in row if cell is not None]
        for cell in origins:
            assert all(0 <= k < len(boxes) for k in cell)


@needs_ocr
def test_a_crop_reads_the_same_alone_or_beside_a_wider_one_in_either_order():
    """What a box reads depends on its own pixels only, not on the other text of its page nor on
    what was read before: a recogniser reading crops together pads each to the widest of its
    batch, and the padding changes what it reads (a poor copy's “一事一” read “一事”)."""
    import numpy as np
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    page = render_pages(SAMPLE_PDF.read_bytes(), 110)[0]
    boxes = ocr.recognize("page.png", page)
    short = min(boxes, key=lambda b: b.x1 - b.x0)
    wide = max(boxes, key=lambda b: (b.x1 - b.x0) / (b.y1 - b.y0))
    crops = [np.asarray(page.crop((int(b.x0), int(b.y0), int(b.x1) + 1, int(b.y1) + 1))) for b in (short, wide)]
    recognizer = ocr.engine("page.png").text_rec

    def read(*images) -> list[tuple[str, float]]:
        result = recognizer(TextRecInput(img=list(images)))
        return list(zip(result.txts, result.scores))

    alone = read(crops[0])[0]
    assert alone[0]
    assert read(crops[0], crops[1])[0] == alone
    assert read(crops[1], crops[0])[1] == alone
    assert read(crops[0])[0] == alone


@needs_ocr
def test_a_pdf_with_a_stamped_scanned_last_page_ocrs_only_that_page(sample_source):
    from auditor.read.pdf import read_pdf

    import random

    pdf = SAMPLE_PDF.read_bytes()
    last = render_pages(pdf, 200)[-1]
    image = degrade(last, Degradation(dpi=200, skew=-1.0, noise=4, specks=40, jpeg_quality=80, seal=True),
                    random.Random("stamped"))
    source = read_pdf("stamped.pdf", stamped(pdf, image_pdf([image], 200)))
    assert source.positions == "scan"
    read_pages = {b.page for b in source.boxes if b.bbox is not None}
    layer_pages = {b.page for b in source.boxes if b.bbox is None}
    assert read_pages == {3} and layer_pages == {1, 2}
    # Pages 1–2 are the text layer's, word for word; page 3 is read nearly as printed.
    text_of = lambda s, page: "".join("".join(b.text.split()) for b in s.blocks  # noqa: E731
                                      if isinstance(b, TextBlock) and b.page == page)
    assert text_of(source, 1) == text_of(sample_source, 1)
    import difflib

    ratio = difflib.SequenceMatcher(None, text_of(sample_source, 3), text_of(source, 3), autojunk=False).ratio()
    assert ratio > 0.9, (text_of(sample_source, 3), text_of(source, 3))


@needs_ocr
def test_an_image_with_no_text_is_one_line_exit_2(tmp_path):
    (tmp_path / "blank.png").write_bytes(_png(_blank_page()))
    one_chinese_line(_cli("audit", "blank.png", cwd=tmp_path), "blank.png", "没有识别出文字")


def _image_only_pdf(pages: int) -> bytes:
    from PIL import Image

    tiny = [Image.new("RGB", (40, 56), (255, 255, 255)) for _ in range(pages)]
    return image_pdf(tiny, 10)


def test_a_300_page_scan_is_refused_at_once(tmp_path):
    (tmp_path / "big.pdf").write_bytes(_image_only_pdf(300))
    one_chinese_line(_cli("audit", "big.pdf", cwd=tmp_path), "big.pdf", "300 页")


@needs_ocr
def test_a_scan_over_the_ocr_page_limit_is_refused_before_ocr():
    pages = ocr.MAX_PAGES + 1
    with pytest.raises(InputError, match=f"{pages} 页.*{ocr.MAX_PAGES} 页的上限"):
        read_file_bytes("many.pdf", _image_only_pdf(pages))


@needs_ocr
def test_the_time_budget_stops_ocr_with_one_line(monkeypatch, tmp_path):
    from PIL import Image

    frames = [Image.new("RGB", (200, 280), (255, 255, 255)) for _ in range(3)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    monkeypatch.setattr(ocr, "SECONDS_PER_FILE", -1.0)
    with pytest.raises(InputError, match="时间上限（已识别 0/3 页）"):
        read_file(str(path))


def read_file_bytes(name: str, data: bytes):
    from auditor.read import read_bytes

    return read_bytes(name, data)


@needs_ocr
def test_a_batch_records_bad_scans_and_goes_on(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_bytes(SAMPLE_TXT.read_bytes())
    (reports / "blank.png").write_bytes(_png(_blank_page()))
    (reports / "big.pdf").write_bytes(_image_only_pdf(300))
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "batch", "reports", "--out", "out",
                             "--workers", "1"], capture_output=True, text=True, timeout=600, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in result.stderr
    import csv

    with open(tmp_path / "out" / "reports.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {Path(r["报告"]).name: r for r in csv.DictReader(handle)}
    assert rows["good.txt"]["得分"] != ""
    assert rows["blank.png"]["状态"] == "无法读取或审核" and "没有识别出文字" in rows["blank.png"]["原因"]
    assert rows["big.pdf"]["状态"] == "无法读取或审核" and "300 页" in rows["big.pdf"]["原因"]


# --------------------------------------------------------------------------- layout of boxes (no OCR)

needs_cv2 = pytest.mark.skipif(__import__("importlib").util.find_spec("cv2") is None,
                               reason="opencv (part of the OCR extra) not installed")


def _ruled_page(rows: list[int], cols: list[int], skip_h: set = frozenset(), skip_v: set = frozenset(),
                bottom: bool = True, size=(1000, 800)):
    """A white page with table rules at the given y (rows) and x (cols) positions; skip_h holds
    (row index, column index) sides where the horizontal rule is not drawn (a merged cell), skip_v
    (row index, column index) sides without the vertical rule."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(page)
    for i, y in enumerate(rows):
        if i == len(rows) - 1 and not bottom:
            continue
        for j in range(len(cols) - 1):
            if (i, j) not in skip_h:
                draw.line((cols[j], y, cols[j + 1], y), fill=(0, 0, 0), width=2)
    last = rows[-1] if bottom else rows[-1] + 40
    bands = [*rows[:-1], last] if not bottom else rows
    for j, x in enumerate(cols):
        for i in range(len(bands) - 1):
            if (i, j) not in skip_v:
                draw.line((x, bands[i], x, bands[i + 1]), fill=(0, 0, 0), width=2)
    return page


def _box(x0, y0, x1, y1, text, score=0.99):
    return ocr.Box(x0, y0, x1, y1, text, score)


# A ruled table of three rows (本年新收, 上年结转, 总计) and four columns, at these rules:
THREE_ROWS, FOUR_COLUMNS = [100, 160, 220, 280], [100, 300, 500, 700, 900]


def _three_row_boxes(middle: tuple[int, int], figures: list[tuple[str, str, str]]):
    """The OCR boxes of that table: each row's label and its three figures, the middle column's
    figures between x = middle[0] and middle[1]."""
    boxes = []
    for (label, first, second, third), top in zip([("本年新收", *figures[0]), ("上年结转", *figures[1]),
                                                   ("总计", *figures[2])], (115, 175, 235)):
        boxes += [_box(120, top, 280, top + 30, label), _box(380, top, 420, top + 30, first),
                  _box(middle[0], top, middle[1], top + 30, second), _box(780, top, 820, top + 30, third)]
    return boxes


def _figure_crop(blobs: list[tuple[int, int, int, int]]):
    """A 70×40 crop of paper holding these dark rectangles (x0, y0, x1, y1)."""
    from PIL import Image, ImageDraw

    crop = Image.new("RGB", (70, 40), (250, 250, 250))
    for blob in blobs:
        ImageDraw.Draw(crop).rectangle(blob, fill=(20, 20, 20))
    return crop


@needs_cv2
@pytest.mark.parametrize("speck, kept", [
    ((8, 19, 10, 21), []),  # a speck well left of a figure: taken off
    ((60, 10, 62, 12), []),  # and right of it
    ((24, 26, 26, 28), [(24, 26, 26, 28)]),  # a point between two figures: an amount's, kept
    ((4, 19, 12, 20), [(4, 19, 12, 20)]),  # a minus sign (flat): kept
    ((28, 22, 29, 23), [(28, 22, 29, 23)]),  # a scrap against its figure (a broken stroke): kept
])
def test_a_doubtful_figure_is_read_again_without_the_specks_beside_it(speck, kept):
    """A speck the detector boxed with a figure reads as a point of it (“.2”) and takes the
    reading's confidence down though the figure is clean: the figure is read again with the
    dots left and right of its characters painted over, and nothing else."""
    import numpy as np

    from auditor.read import scan

    figures = [(30, 12, 39, 28), (16, 12, 22, 28)] if speck[0] == 24 else [(30, 12, 39, 28)]
    taken = np.asarray(scan._without_side_specks(_figure_crop([*figures, speck]), 36)).astype(int)
    assert (np.abs(taken - np.asarray(_figure_crop([*figures, *kept])).astype(int)) <= 1).all()


@needs_cv2
@pytest.mark.parametrize("second, score", [(("", 0.0), 0.6), (("7", 0.95), 0.95), (("1", 0.9), 0.6)])
def test_a_second_reading_of_nothing_leaves_the_first_confidence(monkeypatch, second, score):
    """A doubtful figure read again: the same figure makes it sure (the better confidence),
    another leaves it doubtful (the worse) — and nothing read says nothing, the first confidence
    stays (it was shown as 0.00)."""
    from auditor.read import scan

    found = [_box(20, 10, 50, 40, "7", score=0.6)]
    monkeypatch.setattr(scan.ocr, "read_crop", lambda path, image: second)
    scan._reread_if_doubtful("page.png", _figure_crop([(30, 12, 39, 28)]), (0,), found)
    assert found[0].text == "7" and found[0].score == score


@needs_cv2
def test_a_faint_zero_the_detector_missed_is_read_again_and_doubtful(monkeypatch):
    """A poor copy prints a "0" so faint (grey 205 on white) that none of it is darker than the
    ink threshold, and the detector gives no box for it: the cell was left blank, so every
    identity through it was undecidable and a misread beside it went unseen. Its faint ink is
    read again, and the figure so read is a doubtful reading (a failed identity through it is
    a possible reading error); a cell with no ink at all stays blank."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    ImageDraw.Draw(page).ellipse((592, 172, 608, 200), outline=(205, 205, 205), width=3)
    boxes = [b for b in _three_row_boxes((580, 620), [("3", "0", "3"), ("0", "0", "0"), ("3", "0", "3")])
             if not (b.x0 == 580 and b.y0 in (175, 235))]  # 上年结转 and 总计 of the middle column: no box
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1][2] == "" and grid.rows[2][2] == ""
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][2] == "0" and boxes[-1].score <= scan.GUESSED
    assert grid.rows[2][2] == ""  # no ink there: the report's blank


@needs_cv2
def test_noise_read_in_a_rows_first_figure_column_is_read_again_not_taken_for_its_label(monkeypatch):
    """The 上年结转 row's first figure, a "0", read as "e": the row's own first figure comes
    after it, but the other rows' figures begin in that column, so the noise is a figure cell
    (read again) and not the end of the row's label (it was kept as label text, the cell left
    blank, and the row's figures could no longer be traced to their columns)."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    ImageDraw.Draw(page).ellipse((390, 172, 408, 202), outline=(0, 0, 0), width=3)
    boxes = _three_row_boxes((580, 620), [("3", "0", "3"), ("e", "0", "0"), ("3", "0", "3")])
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1][1] == "e"
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][1] == "0" and boxes[-1].score <= scan.GUESSED
    assert grid.rows[1][0] == "上年结转"


@needs_cv2
def test_a_figure_the_detector_missed_in_a_row_made_tall_by_its_label_is_read_again(monkeypatch):
    """A row twice as tall as the others (its label wraps over lines): a "0" in it the detector
    missed is as tall as the row's other figures, less than a share of the tall cell, and was
    taken for a speck, the cell left blank."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page([100, 160, 300, 360], FOUR_COLUMNS)
    ImageDraw.Draw(page).ellipse((592, 221, 606, 241), outline=(0, 0, 0), width=3)
    boxes = [_box(120, 115, 280, 145, "本年新收"), _box(380, 115, 420, 145, "3"), _box(580, 115, 620, 145, "0"),
             _box(780, 115, 820, 145, "3"),
             _box(120, 200, 280, 230, "（二）部分公开（区分"), _box(120, 232, 280, 262, "处理的）"),
             _box(380, 216, 420, 246, "1"), _box(780, 216, 820, 246, "1"),
             _box(120, 315, 280, 345, "总计"), _box(380, 315, 420, 345, "4"), _box(580, 315, 620, 345, "0"),
             _box(780, 315, 820, 345, "4")]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1][2] == ""
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][2] == "0"


@needs_cv2
def test_ruled_grid_cells_merged_cells_and_a_box_across_a_rule():
    from auditor.read.scan_layout import ScanGrid, layout

    # 3 rows × 4 columns; the header's first two cells are merged (no rule at x=300 in row 0).
    page = _ruled_page([100, 160, 220, 280], [100, 300, 500, 700, 900], skip_v={(0, 1)})
    boxes = [_box(150, 115, 350, 145, "申请人情况"),
             _box(520, 115, 880, 145, "商业企业 科研机构"),  # one box over the rule at x=700
             _box(120, 175, 280, 205, "本年新收"), _box(380, 175, 420, 205, "35"),
             _box(580, 175, 620, 205, "1"), _box(780, 175, 820, 205, "36"),
             _box(120, 235, 280, 265, "上年结转"), _box(380, 235, 420, 265, "0")]
    grids = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert len(grids) == 1
    assert grids[0].rows == [["申请人情况", None, "商业企业", "科研机构"],
                             ["本年新收", "35", "1", "36"],
                             ["上年结转", "0", "", ""]]
    # The cut box's halves both point at it.
    assert grids[0].origins[0][2] == (1,) * 4 and grids[0].origins[0][3] == (1,) * 4


@needs_cv2
def test_a_rule_a_poor_copy_lost_between_two_cells_that_hold_text_is_no_merged_cell():
    from auditor.read.scan_layout import ScanGrid, layout

    # Rules lost (no ink drawn) between 商业企业 and the figure under it, between the figures 35
    # and 1 of one row, and between the figures 36 and 0 of one column. Merged, the figures would
    # join their neighbours ("商业企业35", "35 1", "36 0") and leave their own positions empty:
    # the row's figures would move into other columns. The header's real merged cell (申请人情况
    # over two columns) and a figure printed over two columns (行政许可 550) stay merged.
    page = _ruled_page([100, 160, 220, 280, 340], [100, 300, 500, 700, 900],
                       skip_v={(0, 2), (2, 2), (3, 3)}, skip_h={(2, 1), (2, 3)})
    boxes = [_box(320, 115, 480, 145, "申请人情况"), _box(720, 115, 880, 145, "总计"),
             _box(120, 175, 280, 205, "本年新收"), _box(320, 175, 480, 205, "商业企业"),
             _box(520, 175, 680, 205, "科研机构"), _box(780, 175, 820, 205, "36"),
             _box(120, 235, 280, 265, "上年结转"), _box(380, 235, 420, 265, "35"),
             _box(580, 235, 620, 265, "1"), _box(780, 235, 820, 265, "0"),
             _box(120, 295, 280, 325, "行政许可"), _box(580, 295, 620, 325, "550")]
    grid = next(item for item in layout(page, boxes) if isinstance(item, ScanGrid))
    assert grid.rows == [["", "申请人情况", None, "总计"],
                         ["本年新收", "商业企业", "科研机构", "36"],
                         ["上年结转", "35", "1", "0"],
                         ["行政许可", "", "550", None]]


@needs_cv2
def test_a_lost_row_rule_and_a_missing_bottom_rule_still_give_one_row_per_line_of_figures():
    from auditor.read.scan_layout import ScanGrid, layout

    # The rule between the last two rows is not drawn, nor the bottom rule (the table goes on
    # over the page break): two lines of figures in one band, the last below the last rule.
    page = _ruled_page([100, 160, 220, 340], [100, 300, 500, 700], bottom=False)  # no rule at 280 either
    boxes = [_box(120, 115, 280, 145, "本年新收"), _box(380, 115, 420, 145, "5"), _box(580, 115, 620, 145, "5"),
             _box(120, 175, 280, 205, "1.不掌握"), _box(380, 175, 420, 205, "10"), _box(580, 175, 620, 205, "10"),
             _box(120, 230, 280, 260, "2.另行制作"), _box(380, 230, 420, 260, "3"), _box(580, 230, 620, 260, "3"),
             _box(120, 290, 280, 315, "3.不明确"), _box(380, 290, 420, 315, "0"), _box(580, 290, 620, 315, "0")]
    grid = next(item for item in layout(page, boxes) if isinstance(item, ScanGrid))
    assert grid.rows == [["本年新收", "5", "5"], ["1.不掌握", "10", "10"], ["2.另行制作", "3", "3"],
                         ["3.不明确", "0", "0"]]


@needs_cv2
def test_text_outside_rules_is_lines_by_baseline_in_reading_order():
    from PIL import Image

    from auditor.read.scan_layout import ScanLine, layout

    page = Image.new("RGB", (1000, 800), (255, 255, 255))
    boxes = [_box(500, 102, 700, 130, "第二部分"), _box(100, 100, 480, 128, "第一部分"),
             _box(100, 160, 300, 190, "一、本年新收"), _box(400, 162, 440, 190, "35"), _box(500, 161, 540, 189, "0")]
    lines = [item.text for item in layout(page, boxes) if isinstance(item, ScanLine)]
    assert lines == ["第一部分第二部分", "一、本年新收 35 0"]


def test_two_boxes_of_one_line_overlapping_by_part_of_a_character_are_one_line():
    """The detector cut a line in two around a mark it could not read ("落实《政府"), each part
    taking a side of it: the parts overlap by a third of a character and are one line, in
    reading order (they were two lines, the right part first: a box a pixel higher)."""
    from PIL import Image

    from auditor.read.scan_layout import ScanLine, layout

    page = Image.new("RGB", (1600, 1400), (255, 255, 255))
    boxes = [_box(289, 1016, 789, 1075, "六、其他需要报告的事项"), _box(301, 1092, 823, 1154, "2024年，市政府严格落实"),
             _box(802, 1091, 1443, 1153, "政府信息公开信息处理费管理"),
             _box(220, 1172, 1248, 1233, "办法》，全年收取政府信息公开信息处理费3940元。")]
    lines = [item.text for item in layout(page, boxes) if isinstance(item, ScanLine)]
    assert lines == ["六、其他需要报告的事项", "2024年，市政府严格落实政府信息公开信息处理费管理",
                     "办法》，全年收取政府信息公开信息处理费3940元。"]


@pytest.mark.parametrize("read, cleaned", [
    (".0", "0"), ("1.", "1"), ("0 .0 1", "0 0 1"), ("12,", "12"), ("·3", "3"), ("3.5", "3.5"),
    ("1.属于国家秘密", "1.属于国家秘密"), ("3. 其他", "3. 其他"), ("- 3 -.", "- 3 -"), ("（七）总计·", "（七）总计"),
    ("全年审核50件。", "全年审核50件。"), (".", ""), ("· ,", ""), ("。", "。"), (". 0", "0"), ("0 · 1", "0 1")])
def test_specks_around_figures_and_at_the_edges_of_a_box_are_dropped(read, cleaned):
    from auditor.read.scan_layout import clean_text

    assert clean_text(read) == cleaned


@needs_cv2
def test_a_red_seal_over_the_figures_and_a_fold_across_the_page_are_no_rules():
    """A seal's red ring over a table draws long arcs, and a fold of the paper a grey line
    from edge to edge: neither may add columns or rows to the grid (they did: a fold split a
    row, the seal's ring made two columns, and the figures shifted into the wrong columns)."""
    from PIL import ImageDraw

    from auditor.read.scan_layout import ScanGrid, layout

    rows, cols = THREE_ROWS, FOUR_COLUMNS
    boxes = _three_row_boxes((580, 620), [("35", "1", "36"), ("0", "2", "2"), ("35", "3", "38")])
    clean = [item.rows for item in layout(_ruled_page(rows, cols), boxes) if isinstance(item, ScanGrid)]
    page = _ruled_page(rows, cols)
    draw = ImageDraw.Draw(page)
    draw.ellipse((520, 110, 760, 350), outline=(220, 30, 40), width=8)  # the seal's ring
    draw.line((0, 190, 999, 192), fill=(120, 120, 120), width=3)  # the fold, through row 2
    assert len(clean) == 1 and clean[0][1] == ["上年结转", "0", "2", "2"]
    assert [item.rows for item in layout(page, boxes) if isinstance(item, ScanGrid)] == clean


def _sealed_page(drained: float):
    """The sample's first page at 110 dpi, and the same page with a red round seal (ring, inner
    ring, star) stamped over a line of its text, the colour then drained by `drained` (0: as
    stamped, 1: grey) and the whole page saved as a poor JPEG (quality 20): a seal a copier has
    left pale pink. Also the seal's ring and the page's dark text pixels under it."""
    import numpy as np
    from PIL import Image, ImageDraw

    page = render_pages(SAMPLE_PDF.read_bytes(), 110)[0]
    grey = np.asarray(page.convert("L"))
    rows = np.nonzero((grey < 128).sum(axis=1) > 20)[0]
    cy, cx, radius = int(rows[len(rows) // 2]), page.width // 2, int(page.width * 0.1)
    layer = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(220, 30, 40), width=5)
    draw.ellipse((cx - radius + 15, cy - radius + 15, cx + radius - 15, cy + radius - 15),
                 outline=(225, 60, 60), width=2)
    draw.regular_polygon((cx, cy, radius // 3), 5, fill=(220, 30, 40))
    ring = np.asarray(layer.convert("L")) < 200

    def poor_copy(image):
        pixels = np.asarray(image).astype(np.float32)
        luminance = np.asarray(image.convert("L")).astype(np.float32)[:, :, None]
        pixels = (1 - drained) * pixels + drained * luminance
        buffer = io.BytesIO()
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=20)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")

    sealed = Image.fromarray(np.minimum(np.asarray(page), np.asarray(layer)))
    return poor_copy(page), poor_copy(sealed), ring, ring & (grey < 100)


@needs_cv2
@pytest.mark.parametrize("drained", [0.0, 0.75])
def test_a_red_seal_over_text_is_taken_off_before_ocr_and_the_text_under_it_stays(drained):
    """A seal over a line of text, red or drained pale by a poor copy: its ink becomes paper
    (its arcs are no strokes for the recogniser to read), the black of the characters under
    it stays black, and nothing outside the seal changes."""
    import numpy as np

    from auditor.read.seal import without_seal

    plain, sealed, ring, text_under = _sealed_page(drained)
    taken = np.asarray(without_seal(sealed)).astype(np.int16)
    before = np.asarray(sealed).astype(np.int16)
    seal_only = ring & ~text_under & (np.asarray(plain.convert("L")) > 200)
    assert np.median(before[seal_only].min(axis=1)) < 120  # the seal is there to take off
    assert np.median(taken[seal_only].min(axis=1)) > 190  # and it is paper now
    assert np.median(taken[text_under].max(axis=1)) < 130  # the text under it is still ink
    # Nothing beyond the seal changes (its red bleeds a JPEG block, 8 pixels, past its ring).
    ys, xs = np.nonzero(ring)
    outside = np.ones(ring.shape, bool)
    outside[ys.min() - 16:ys.max() + 16, xs.min() - 16:xs.max() + 16] = False
    assert (taken[outside] == before[outside]).all()


@needs_cv2
def test_red_text_that_is_no_ring_is_left_as_printed():
    """A red-headed document's title (红头) is red ink too, but no ring: it stays."""
    import numpy as np
    from PIL import ImageDraw

    page = render_pages(SAMPLE_PDF.read_bytes(), 110)[0]
    ImageDraw.Draw(page).rectangle((100, 60, page.width - 100, 110), fill=(220, 30, 40))
    from auditor.read.seal import without_seal

    assert (np.asarray(without_seal(page)) == np.asarray(page)).all()


@needs_cv2
def test_an_unruled_table_is_columns_of_figures_with_blanks_in_place():
    """No rules in the image: the figure lines form a table whose columns are the clusters of
    their figures' x centres; a line missing a figure gets an explicit blank in that column
    (not its later figures shifted left), and label lines between the rows stay lines."""
    from PIL import Image

    from auditor.read.scan_layout import ScanGrid, layout, unruled_lines

    page = Image.new("RGB", (1000, 800), (255, 255, 255))
    columns = [500, 600, 700, 800]
    rows = [("一、本年新收", ["35", "1", "2", "38"]), ("二、上年结转", ["0", None, "1", "1"]),
            ("（一）予以公开", ["5", "0", None, "5"]), ("（二）部分公开", ["1", "1", "0", "2"])]
    boxes = [_box(100, 60, 300, 85, "三、本年度办理结果")]  # a label line above the rows
    for i, (label, figures) in enumerate(rows):
        y = 100 + 40 * i
        boxes.append(_box(100, y, 100 + 20 * len(label), y + 25, label))
        for x, figure in zip(columns, figures):
            if figure is not None:
                boxes.append(_box(x - 6 * len(figure), y, x + 6 * len(figure), y + 25, figure))
    boxes.append(_box(100, 118, 200, 132, "（续）"))  # between two rows: a line of its own
    items = layout(page, boxes)
    [grid] = [item for item in items if isinstance(item, ScanGrid)]
    assert grid.rows == [["一、本年新收", "35", "1", "2", "38"], ["二、上年结转", "0", "", "1", "1"],
                         ["（一）予以公开", "5", "0", "", "5"], ["（二）部分公开", "1", "1", "0", "2"]]
    assert [line.text for line in unruled_lines(grid)][1] == "二、上年结转\t0\t\t1\t1"
    assert "三、本年度办理结果" in [item.text for item in items if not isinstance(item, ScanGrid)]


@needs_cv2
def test_an_unruled_row_keeps_its_place_when_a_taller_group_label_joins_its_line():
    """A group label printed level with a row (centred on its group: "（三）不予公开" beside its
    3rd item), read as a taller box, joins that row's line and reaches above the row before it:
    the rows keep their printed order (the row was read before the one above it, and the
    table's rows were matched out of order: a row lost)."""
    from PIL import Image

    from auditor.read.scan_layout import ScanGrid, layout, unruled_lines

    page = Image.new("RGB", (1000, 800), (255, 255, 255))
    rows = [("1.属于国家秘密", "0"), ("2.其他法律行政法规禁止公开", "1"), ("3.危及“三安全一稳定”", "2"),
            ("4.保护第三方合法权益", "3")]
    boxes = []
    for i, (label, figure) in enumerate(rows):
        y = 100 + 40 * i
        boxes += [_box(200, y, 200 + 16 * len(label), y + 25, label), _box(594, y, 606, y + 25, figure),
                  _box(794, y, 806, y + 25, figure)]
    boxes.append(_box(40, 135, 190, 255, "（三）不予公开"))  # centred on row 3, tall, reaching row 2
    items = sorted(layout(page, boxes), key=lambda item: item.top)
    [grid] = [item for item in items if isinstance(item, ScanGrid)]
    assert [line.text.split("\t")[1] for line in unruled_lines(grid)] == ["0", "1", "2", "3"]
    assert [line.top for line in unruled_lines(grid)] == sorted(line.top for line in unruled_lines(grid))


@needs_cv2
def test_an_unruled_table_with_one_figure_a_row_takes_its_columns_from_its_header_words():
    """A table printed without rules whose only filled column is 总计: no figures to cluster
    into columns. Its header words above give them: each word a column (two words read as one
    box are cut at the gap), a heading over several words (申请人情况, 法人或其他组织) none,
    and each figure goes under the word whose band covers it, the other cells blank in place."""
    from PIL import Image

    from auditor.read.scan_layout import ScanGrid, layout

    page = Image.new("RGB", (1000, 600), (255, 255, 255))
    boxes = [_box(400, 60, 870, 90, "申请人情况"),
             _box(400, 100, 460, 130, "自然人"), _box(480, 100, 660, 130, "法人或其他组织"),
             _box(480, 140, 700, 170, "商业企业 科研机构"), _box(820, 100, 870, 130, "总计")]
    rows = [("一、本年新收", "2"), ("（二）部分公开（区分处理", "0"), ("（七）总计", "2"), ("四、结转下年度", "0")]
    for n, (label, figure) in enumerate(rows):
        top = 220 + 40 * n
        boxes += [_box(100, top, 100 + 26 * len(label), top + 30, label), _box(835, top, 850, top + 30, figure)]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows == [[label, "", "", "", figure] for label, figure in rows]
    # The long label reaches into the first column's band: the band looked at again for a
    # missed figure starts right of it (its last characters are no figure).
    assert grid.cells[1][1][0] >= 100 + 26 * len(rows[1][0]) > grid.cells[0][1][0]


@needs_cv2
def test_lines_of_prose_with_figures_are_no_unruled_table():
    from PIL import Image

    from auditor.read.scan_layout import ScanGrid, layout

    page = Image.new("RGB", (1000, 800), (255, 255, 255))
    boxes = [_box(100, 100 + 40 * i, 900, 125 + 40 * i, f"全年共受理申请{i + 3}件，办结{i + 2}件，其中公开{i}件。")
             for i in range(5)]
    assert not [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]


@needs_cv2
def test_figures_a_lone_row_is_missing_are_read_again_from_their_ink():
    """Table 四 prints one row of 15 figures, and the detector misses many a lone "0" of it:
    ink between the row's figures that no box covers is read again alone and put in its place,
    so the figures after it are not taken for the columns before."""
    from PIL import Image, ImageDraw

    from auditor.read.scan_layout import ScanLine, layout

    page = Image.new("RGB", (1000, 400), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    xs = [100, 180, 260, 340, 420, 500, 580]
    for x in xs:  # a "0" drawn at every column: a ring a glyph tall
        draw.ellipse((x - 8, 200, x + 8, 226), outline=(0, 0, 0), width=3)
    read = {100: "1", 180: "0", 420: "5", 580: "0"}  # what the detector gave: 3 columns missed
    boxes = [_box(x - 10, 196, x + 10, 230, text) for x, text in read.items()]
    reread = []

    def again(crop):
        reread.append(crop)
        return "0", 0.99

    [line] = [item for item in layout(page, boxes, again) if isinstance(item, ScanLine)]
    assert line.text == "1 0 0 0 5 0 0"
    assert sorted(round((c[0] + c[2]) / 2) for c in reread) == [260, 340, 500]
    # Without a way to read again (tests of the layout alone), the row is as read.
    [alone] = [item for item in layout(page, [_box(x - 10, 196, x + 10, 230, t) for x, t in read.items()])
               if isinstance(item, ScanLine)]
    assert alone.text == "1 0 5 0"


@needs_cv2
def test_a_table_continued_on_the_next_scanned_page_is_one_table_past_a_misread_page_number(monkeypatch):
    """Table 三 runs over the page break: the next page opens with its rows under the same
    columns. A speck read beside a page number ("i -3-") or its dashes lost ("4") made it unlike
    the other pages' numbers, so it was kept as a line of text between the two parts of the
    table, which kept them apart (every row of the second part was lost)."""
    from auditor.read.image import read_image

    columns = [50, 250, 400, 550]

    def row_boxes(top: int, label: str, first: str, second: str):
        return [_box(60, top + 15, 200, top + 45, label), _box(310, top + 15, 340, top + 45, first),
                _box(460, top + 15, 490, top + 45, second)]

    def footer(text: str):
        return _box(280, 790, 320, 815, text)

    size = (600, 850)
    pages = [_blank_page(size=size, specks=0), _ruled_page([500, 560, 620, 680], columns, size=size),
             _ruled_page([100, 160, 220, 280], columns, size=size), _ruled_page([100, 160, 220], columns, size=size)]
    read = [[_box(60, 100, 300, 130, "一、总体情况"), footer("-2-")],
            [_box(60, 420, 300, 450, "三、收到和处理政府信息公开申请情况"),
             *row_boxes(500, "申请人", "自然人", "总计"), *row_boxes(560, "本年新收", "3", "3"),
             *row_boxes(620, "上年结转", "0", "0"), footer("i -3-")],
            [*row_boxes(100, "（一）予以公开", "2", "2"), *row_boxes(160, "（二）部分公开", "1", "1"),
             *row_boxes(220, "（三）不予公开", "0", "0"), footer("4")],
            [*row_boxes(100, "（七）总计", "3", "3"), *row_boxes(160, "四、结转下年度", "0", "0"),
             _box(60, 300, 300, 330, "四、政府信息公开行政复议"),
             footer("-5-")]]
    monkeypatch.setattr(ocr, "engine", lambda path: None)
    monkeypatch.setattr(ocr, "recognize", lambda path, image: read.pop(0))
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: None)
    data = io.BytesIO()
    pages[0].save(data, "TIFF", save_all=True, append_images=pages[1:])
    source = read_image("scan.tif", data.getvalue())
    tables = [block for block in source.blocks if isinstance(block, TableBlock)]
    assert [row[0] for table in tables for row in table.rows] == \
        ["申请人", "本年新收", "上年结转", "（一）予以公开", "（二）部分公开", "（三）不予公开", "（七）总计",
         "四、结转下年度"]
    assert len(tables) == 1
    assert not any("3-" in block.text or "5-" in block.text for block in source.blocks if isinstance(block, TextBlock))


def _lone_row_scan(monkeypatch, after_table: list) -> SourceText:
    """Table 三 on page 2 (labels in two columns: a row's label over both, or a group label and
    an item), its last row alone at the top of page 3, where that row's label cell covers both
    label columns with no rule between; `after_table`: boxes read under the table on page 2."""
    from auditor.read.image import read_image

    size = (600, 850)
    table, lone = [50, 150, 250, 400, 550], [50, 250, 400, 550]
    spans = {(i, 1) for i in range(3)}  # rows 0–2: the label over both label columns

    def row(top: int, cells: list[tuple[int, int, str]]):
        return [_box(x0 + 10, top + 15, x1 - 10, top + 45, text) for x0, x1, text in cells]

    def footer(text: str):
        return _box(280, 790, 320, 815, text)

    pages = [_blank_page(size=size, specks=0),
             _ruled_page([400, 460, 520, 580, 640], table, skip_v=spans, size=size),
             _ruled_page([100, 160], lone, size=size), _blank_page(size=size, specks=0)]
    read = [[_box(60, 100, 300, 130, "一、总体情况"), footer("-1-")],
            [_box(60, 330, 300, 360, "三、收到和处理政府信息公开申请情况"),
             *row(400, [(50, 250, "申请人"), (250, 400, "自然人"), (400, 550, "总计")]),
             *row(460, [(50, 250, "本年新收"), (250, 400, "3"), (400, 550, "3")]),
             *row(520, [(50, 250, "上年结转"), (250, 400, "0"), (400, 550, "0")]),
             *row(580, [(50, 150, "三、办理结果"), (150, 250, "（七）总计"), (250, 400, "3"), (400, 550, "3")]),
             *after_table, footer("-2-")],
            [*row(100, [(50, 250, "四、结转下年度"), (250, 400, "0"), (400, 550, "0")]),
             _box(60, 300, 400, 330, "四、政府信息公开行政复议、行政诉讼情况"), footer("-3-")],
            [_box(60, 100, 300, 130, "五、存在的主要问题"), footer("-4-")]]
    monkeypatch.setattr(ocr, "engine", lambda path: None)
    monkeypatch.setattr(ocr, "recognize", lambda path, image: read.pop(0))
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: None)
    data = io.BytesIO()
    pages[0].save(data, "TIFF", save_all=True, append_images=pages[1:])
    return read_image("scan.tif", data.getvalue())


@needs_cv2
def test_a_tables_last_row_alone_at_the_top_of_the_next_scanned_page_is_its_last_row(monkeypatch):
    """The page break leaves only table 三's last row (四、结转下年度) for the next page: a ruled
    row of three cells, its label over the table's two label columns. It is the table's last
    row, its cells under the table's columns (it was a line of text, its figures lost to the
    table); the text after it stays text."""
    source = _lone_row_scan(monkeypatch, [])
    [table] = [block for block in source.blocks if isinstance(block, TableBlock)]
    assert table.rows[-1] == ("四、结转下年度", None, "0", "0")
    assert [row[0] for row in table.rows] == ["申请人", "本年新收", "上年结转", "三、办理结果", "四、结转下年度"]
    assert all(cell is None or len(origins) == len(cell) for cell, origins in zip(table.rows[-1], table.origins[-1]))
    text = "\n".join(block.text for block in source.blocks if isinstance(block, TextBlock))
    assert "四、政府信息公开行政复议" in text and "结转下年度" not in text


@needs_cv2
def test_a_ruled_row_opening_a_page_after_text_is_read_as_text(monkeypatch):
    """The same row after a page that ends with a line of text under its table continues no
    table: it is read as the line of text it holds, as before."""
    source = _lone_row_scan(monkeypatch, [_box(60, 680, 400, 710, "注：本表数据截至12月31日")])
    [table] = [block for block in source.blocks if isinstance(block, TableBlock)]
    assert table.rows[-1][0] == "三、办理结果"
    text = "\n".join(block.text for block in source.blocks if isinstance(block, TextBlock))
    assert "四、结转下年度 0 0" in text


@needs_cv2
def test_an_unruled_tables_last_row_alone_on_the_next_page_keeps_its_columns(monkeypatch):
    """A table printed without rules ends the page; its last row opens the next one, two of its
    four figures read (the detector missed the zeros between): its figures go under the table's
    columns with blanks in place ("四、结转下年度\t5\t\t\t5"), not read as the row's first and
    second figures. A line of figures that does not line up with them stays as it was."""
    from auditor.read.image import read_image

    size = (1000, 850)
    columns = [500, 600, 700, 800]

    def row(top: int, label: str, figures: list[str | None]):
        return [_box(100, top, 100 + 20 * len(label), top + 25, label)] + [
            _box(x - 6 * len(f), top, x + 6 * len(f), top + 25, f) for x, f in zip(columns, figures) if f]

    def footer(text: str):
        return _box(480, 790, 520, 815, text)

    def scan(last: list[str | None], xs: list[int]):
        read = [[_box(100, 100, 400, 130, "一、总体情况"), footer("-1-")],
                [_box(100, 300, 500, 330, "三、收到和处理政府信息公开申请情况"),
                 *row(400, "本年新收", ["3", "1", "1", "5"]), *row(440, "上年结转", ["0", "0", "0", "0"]),
                 *row(480, "（七）总计", ["3", "1", "1", "5"]), footer("-2-")],
                [_box(100, 150, 100 + 20 * 7, 175, "四、结转下年度"),
                 *[_box(x - 6, 150, x + 6, 175, f) for x, f in zip(xs, last)],
                 _box(100, 300, 500, 330, "四、政府信息公开行政复议、行政诉讼情况"), footer("-3-")],
                [_box(100, 100, 400, 130, "五、存在的主要问题"), footer("-4-")]]
        monkeypatch.setattr(ocr, "engine", lambda path: None)
        monkeypatch.setattr(ocr, "recognize", lambda path, image: read.pop(0))
        monkeypatch.setattr(ocr, "read_crop", lambda path, image: None)
        from PIL import Image

        pages = [Image.new("RGB", size, (255, 255, 255)) for _ in range(4)]
        data = io.BytesIO()
        pages[0].save(data, "TIFF", save_all=True, append_images=pages[1:])
        source = read_image("scan.tif", data.getvalue())
        return "\n".join(block.text for block in source.blocks if isinstance(block, TextBlock))

    text = scan(["5", "5"], [500, 800])
    assert "四、结转下年度\t5\t\t\t5" in text
    text = scan(["5", "5"], [300, 400])  # left of the table's first column: not its row
    assert "四、结转下年度 5 5" in text


@needs_cv2
def test_only_a_page_number_in_the_margin_is_the_pages_number():
    from auditor.read import scan
    from auditor.read.scan_layout import ScanLine

    assert isinstance(scan._page_number(ScanLine(800, "i -3-", (7,) * 5), 850), scan.PageNumberLine)
    assert scan._page_number(ScanLine(800, "i -3-", (7,) * 5), 850).text == "-3-"
    for line in (ScanLine(400, "-3-", (7,) * 3), ScanLine(800, "12 0", (7,) * 4), ScanLine(800, "2024年", (7,) * 5)):
        assert scan._page_number(line, 850) is line


# --------------------------------------------------------------------------- a scanned .ofd

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _scanned_ofd(image_bytes: bytes, text_page: str) -> bytes:
    """An OFD of two pages: a text page (one TextObject), then a page that is only an image (a
    scan placed on an A4 page), its resource named in DocumentRes.xml, as OFD writers of
    scanners do."""
    import zipfile

    parts = {
        "OFD.xml": f'<ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
                   '<ofd:Title>扫描件</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                   '</ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {_OFD_NS}><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID>'
                              '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                              '<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>'
                              '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '<ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/DocumentRes.xml": f'<ofd:Res {_OFD_NS} BaseLoc="Res"><ofd:MultiMedias>'
                                 '<ofd:MultiMedia ID="7" Type="Image"><ofd:MediaFile>scan_1.jpg</ofd:MediaFile>'
                                 '</ofd:MultiMedia></ofd:MultiMedias></ofd:Res>',
        "Doc_0/Pages/Page_0/Content.xml": (
            f'<ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="3"><ofd:TextObject ID="4" Boundary="20 20 170 6" '
            f'Font="2" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g {len(text_page) - 1} 4">{text_page}'
            '</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>'),
        "Doc_0/Pages/Page_1/Content.xml": (
            f'<ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="5"><ofd:ImageObject ID="6" ResourceID="7" '
            'Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/></ofd:Layer></ofd:Content></ofd:Page>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
        archive.writestr("Doc_0/Res/scan_1.jpg", image_bytes)
    return out.getvalue()


@needs_ocr
def test_a_scanned_ofd_page_is_read_by_ocr_like_a_scanned_pdf_page(sample_source):
    """An OFD whose page is an image (no text objects) was refused as 扫描件; its page image is
    now OCR'd like a scanned PDF page: the tables come out as from the text layer, every
    character knows its box, and the text page keeps its text."""
    import random

    from auditor.read.ofd import read_ofd

    page = render_pages(SAMPLE_PDF.read_bytes(), 150)[1]
    image = degrade(page, Degradation(dpi=150, skew=0.8, noise=4, specks=40, jpeg_quality=80), random.Random("ofd"))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    source = read_ofd("scan.ofd", _scanned_ofd(buffer.getvalue(), "一、总体情况"))
    assert source.format == "ofd" and source.positions == "scan"
    assert {b.page for b in source.boxes if b.bbox is not None} == {2}
    assert {b.page for b in source.boxes if b.bbox is None} == {1}
    assert all(b.scan_dpi == 150 for b in source.boxes if b.bbox is not None)
    truth = _grid_with(sample_source, "本年新收")
    read = _grid_with(source, "本年新收")
    assert [[c for c in row if c and c.isdigit()] for row in read.rows] == \
        [[c for c in row if c and c.isdigit()] for row in truth.rows]
    assert any(isinstance(b, TextBlock) and "一、总体情况" in b.text and b.page == 1 for b in source.blocks)


def test_an_ofd_page_image_that_is_not_an_image_is_one_line():
    from auditor.read import ofd as ofd_reader

    if not ocr.available():
        pytest.skip("OCR engine not installed")
    with pytest.raises(InputError) as caught:
        ofd_reader.read_ofd("bad.ofd", _scanned_ofd(b"not a jpeg", "一、总体情况"))
    assert "第 2 页的图片已损坏" in str(caught.value)


@needs_cv2
def test_strokes_of_glyphs_in_a_column_and_a_fold_from_one_edge_are_no_rules():
    """On a poor copy the strokes of a column of "1"s (a glyph tall, short of the row's rules)
    were taken for a column rule and cut "10" in two; and a fold that came out in pieces, one
    reaching the page's edge, for a row rule. Neither is a rule now."""
    from PIL import Image, ImageDraw

    from auditor.read.scan_layout import ScanGrid, layout

    rows, cols = THREE_ROWS, FOUR_COLUMNS
    boxes = _three_row_boxes((540, 600), [("35", "10", "45"), ("0", "11", "11"), ("35", "21", "56")])
    page = Image.new("RGB", (1000, 1414), (255, 255, 255))
    page.paste(_ruled_page(rows, cols).crop((0, 0, 1000, 800)), (0, 0))
    clean = [item.rows for item in layout(page.copy(), boxes) if isinstance(item, ScanGrid)]
    draw = ImageDraw.Draw(page)
    for y in (117, 177, 237):  # the "1"s of 10, 11, 21 in one column: strokes a glyph tall
        draw.line((566, y, 566, y + 28), fill=(0, 0, 0), width=3)
    draw.line((0, 190, 620, 191), fill=(110, 110, 110), width=3)  # a fold's piece from the left edge
    assert len(clean) == 1 and clean[0][1] == ["上年结转", "0", "11", "11"]
    assert [item.rows for item in layout(page, boxes) if isinstance(item, ScanGrid)] == clean


def test_a_misread_hidden_by_lost_cells_in_its_row_and_column_is_found_through_a_cell_both_share(sample_source, rules):
    """予以公开/自然人 15 read "13" (doubtful) beside 予以公开/商业企业 lost, and 不掌握/自然人 lost in
    its column: each identity through the misread has an unread cell that can take up the
    difference, so none fails alone. But 予以公开/商业企业 is the one unread cell of its row and of
    its column: the row says 21 − 13 − 1 = 7, the 商业企业 column 10 − 3 − 1 − 1 = 5 — both cannot
    hold. Taken one from the other they leave an identity of read cells that 13 → 15 makes
    hold: a possible reading error naming it, no error. Read with confidence on a fine scan,
    the same failure is dropped (the text layer says nothing there either)."""
    granted = _figure_at(sample_source, "予以公开", 0)
    lost = {_figure_at(sample_source, "予以公开", 1): ("", 1.0), _figure_at(sample_source, "不掌握", 0): ("", 1.0)}
    doc = build_document(_as_scan(sample_source, {granted: ("13", 0.6), **lost}))
    assert doc.cell("applications.granted.natural_person") == 13
    assert doc.cell("applications.granted.commercial") is None
    assert doc.cell("applications.unable_no_info.natural_person") is None
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    derived = [f for f in findings if "derived_through" in f.evidence]
    assert {f.evidence["derived_through"]["cell"] for f in derived} == {
        "applications.granted.commercial", "applications.unable_no_info.natural_person"}
    for f in derived:
        assert f.severity == "warning" and f.message.startswith("识别可能有误")
        misread = f.evidence["ocr_misread"]
        assert (misread["cell"], misread["read"], misread["probably"]) == ("applications.granted.natural_person", 13, 15)
    through = next(f for f in derived if f.evidence["derived_through"]["cell"] == "applications.granted.commercial")
    assert {(x["rule"], x["says"]) for x in through.evidence["derived_through"]["lines"]} == {("TBL-I3", 7), ("TBL-I2", 5)}
    assert "推出它为7" in through.message and "推出它为5" in through.message
    sure = build_document(_as_scan(sample_source, {granted: ("13", 0.999), **lost}))
    assert not [f for f in run_checks(sure, rules).findings if "derived_through" in f.evidence or f.severity == "error"]


def test_a_failure_through_lost_cells_no_zero_explains_names_the_cell_read_too_large_with_its_bound(sample_source, rules):
    """不掌握/自然人 7 read "9" (doubtful) beside two lost cells of its row (商业企业, 科研机构) and one
    of its column (三安全一稳定/自然人, whose row has its total lost too): the row, 10 ≠ 9 + 空 + 空
    + 1 + 1, and the column, 35 ≠ … + 空 + 9 + …, fail whatever the blanks hold, by 1; no zero
    read as a figure explains either (the cells read 1 are sure). What the blanks do not say is
    the figure, only its bound: "9" is at most 8. Both are possible reading errors naming it so
    (as the heavy copy's 746 read 766 beside two unread cells); no error. (Where another
    identity names the misread exactly, it is taken back first and no bound is said: the test
    above, 55 read for 35.)"""
    unable = _figure_at(sample_source, "不掌握", 0)
    lost = {_figure_at(sample_source, "不掌握", 1): ("", 1.0), _figure_at(sample_source, "不掌握", 2): ("", 1.0),
            _figure_at(sample_source, "三安全一稳定", 0): ("", 1.0), _figure_at(sample_source, "三安全一稳定", 6): ("", 1.0)}
    doc = build_document(_as_scan(sample_source, {unable: ("9", 0.6), **lost}))
    assert doc.cell("applications.unable_no_info.natural_person") == 9
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    bounded = [f for f in findings if "bound" in f.evidence.get("ocr_misread", {})]
    assert {f.rule for f in bounded} == {"TBL-I2", "TBL-I3"}
    for f in bounded:
        misread = f.evidence["ocr_misread"]
        assert (misread["cell"], misread["read"], misread["probably"], misread["bound"]) == \
            ("applications.unable_no_info.natural_person", 9, 8, "at_most")
        assert "implied_blanks" in f.evidence and "不超过“8”" in f.message and f.severity == "warning"


def _with_row(source: SourceText, label: str, row: tuple) -> SourceText:
    """The source with the table row whose first cell holds `label` printed as `row`."""
    for n, block in enumerate(source.blocks):
        if isinstance(block, TableBlock):
            for i, printed in enumerate(block.rows):
                if printed and printed[0] and label in printed[0]:
                    rows = list(block.rows)
                    rows[i] = row
                    blocks = list(source.blocks)
                    blocks[n] = dataclasses.replace(block, rows=tuple(rows))
                    return dataclasses.replace(source, blocks=tuple(blocks))
    raise AssertionError(label)


def test_a_figure_of_table_two_cut_from_another_box_is_named_however_sure(sample_source, rules):
    """行政规范性文件 3 / 1 / 17 with the 1 lost in the scan: the row reads "3" and "17", one figure
    short, and the structure cuts "17" into 1 and 7 (as a text layer's run-together figures are
    cut). On a scan each figure is a box of its own: 1 and 7 are pieces of the box "17", a guess
    whatever its confidence, named as readings to check (why: piece), with that box."""
    source = _with_row(sample_source, "规范性文件", ("行政规范性文件", "3", "17"))
    doc = build_document(_as_scan(source, {}))
    assert doc.tables["active"]["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 7}
    [noted] = [f for f in run_checks(doc, rules).findings if f.rule == "TBL-OCR-ACTIVE"]
    pieces = {d["cell"]: d for d in noted.evidence["ocr_doubtful"]}
    assert set(pieces) == {"active.normative_documents.repealed", "active.normative_documents.in_force"}
    assert all(d["why"] == "piece" and d["box_text"] == "17" and d["score"] == 1.0 for d in pieces.values())
    assert "由该行框中的“17”拆出或推定" in noted.message
    # Each figure its own box: nothing to name.
    assert not [f for f in run_checks(build_document(_as_scan(sample_source, {})), rules).findings
                if f.rule == "TBL-OCR-ACTIVE"]


def test_an_amount_without_its_point_on_a_coarse_scan_is_named(sample_source, rules):
    """行政事业性收费 read "128645" with confidence on a 100-dpi copy: a decimal point is a pixel
    or two there ("1286.45" loses it), so the amount is named (why: coarse_amount); on a 200-dpi
    scan, or read with its point, or a count (not an amount) of as many digits, it is not."""
    fees = next((n, i, 1) for n, block in enumerate(sample_source.blocks) if isinstance(block, TableBlock)
                for i, printed in enumerate(block.rows) if printed[0] and "事业性收费" in printed[0])
    coarse = build_document(_as_scan(sample_source, {fees: ("128645", 0.999)}, scan_dpi=100))
    assert coarse.cell("active.admin_fees.amount") == 128645
    [noted] = [f for f in run_checks(coarse, rules).findings if f.rule == "TBL-OCR-ACTIVE"]
    assert [(d["cell"], d["why"]) for d in noted.evidence["ocr_doubtful"]] == [("active.admin_fees.amount", "coarse_amount")]
    assert "小数点可能丢失" in noted.message
    fine = build_document(_as_scan(sample_source, {fees: ("128645", 0.999)}, scan_dpi=200))
    pointed = build_document(_as_scan(sample_source, {fees: ("1286.45", 0.999)}, scan_dpi=100))
    for doc in (fine, pointed):
        assert not [f for f in run_checks(doc, rules).findings if f.rule == "TBL-OCR-ACTIVE"]


@pytest.fixture(scope="module")
def unruled_first_page(tmp_path_factory):
    """Page 1 of the sample (table 二) as bench/ocr_accuracy.py's unruled copy of it
    (make_scans.unruled_scan, seeded by the name the bench gives it), read by OCR."""
    from make_scans import unruled_scan

    images, dpi = unruled_scan(SAMPLE_PDF.read_bytes(), "yunling-eco-2023")
    path = tmp_path_factory.mktemp("unruled") / "page1.pdf"
    path.write_bytes(image_pdf(images[:1], dpi))
    return read_file(str(path))


@needs_ocr
def test_a_figure_lost_from_an_unruled_row_of_table_two_is_read_in_its_place(unruled_first_page, rules):
    """The unruled copy of the sample loses the 1 of 行政规范性文件/本年废止 (3 / 1 / 17 read "3" and
    "17"): read as a line, the structure cut "17" into 1 and 7 and 现行有效 read 7. The two rows
    规章 and 行政规范性文件 are a table of their own; 规章's row is full, so its figures are the
    columns: the blank is in place under 本年废止, read from its ink, and 17 stays whole."""
    doc = build_document(unruled_first_page)
    assert doc.tables["active"]["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 17}
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error" and "active.normative_documents.in_force" in f.cells]


@pytest.fixture(scope="module")
def poor_copy_2019():
    """Page 3 of the 2019-layout sample (table 三) as bench/ocr_accuracy.py's poor copy of it
    (make_scans.heavy_scan, 100 dpi, seeded by the name the bench gives it), read by OCR."""
    import tempfile

    from make_scans import heavy_scan

    images, dpi = heavy_scan((ROOT / "corpus" / "yunling-eco-2019.pdf").read_bytes(), "yunling-eco-2019")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "page3.pdf"
        path.write_bytes(image_pdf(images[2:3], dpi))
        return build_document(read_file(str(path)))


@needs_ocr
def test_a_poor_copys_misread_that_another_failure_names_too_is_named_first(poor_copy_2019, rules):
    """On the poor copy 6.过程性信息/其他, a 0, reads "6": its row fails by 6, which the "6" read
    for 0 explains as well as the row's total "1" read for 7, each that one failure only. The
    其他 column fails by 15, and names the "6" as a 0 with 2.需另行制作's "9" (two zeros read as
    figures): the "6" is named first in its row, the total, read right, after it."""
    findings = run_checks(poor_copy_2019, rules).findings
    [row] = [f for f in findings if f.rule == "TBL-I3" and "applications.withheld_process_info.total" in f.cells]
    misread = row.evidence["ocr_misread"]
    assert (misread["cell"], misread["probably"]) == ("applications.withheld_process_info.other_org", 0)
    assert "applications.withheld_process_info.total" in {a["cell"] for a in misread["alternatives"]}
    assert row.severity == "warning"


@needs_ocr
def test_a_poor_copys_misread_behind_lost_cells_is_named_through_the_cell_two_identities_share(poor_copy_2019, rules):
    """On the poor copy 一、本年新收/公益组织 3 reads "1", 二、上年结转/公益组织 is lost (ink, no
    figure), and 二、上年结转/科研机构 0 reads "3". The 公益组织 column says the lost cell is 3 − 1 = 2,
    the 二、上年结转 row says 2 − (1 + 1 + 3) = −3: no figure makes both hold, and taken one from the
    other they leave read cells only — a possible reading error naming the "1" (no identity named
    it before: each through it has the lost cell). Nothing is blamed on the report."""
    doc = poor_copy_2019
    assert doc.cell("applications.new_received.social_org") == 1
    assert doc.cell("applications.carried_over.social_org") is None
    findings = run_checks(doc, rules).findings
    derived = [f for f in findings if f.evidence.get("derived_through", {}).get("cell") == "applications.carried_over.social_org"]
    assert derived and all(f.severity == "warning" for f in derived)
    named = {c for f in derived for c in [f.evidence["ocr_misread"]["cell"],
                                         *(a["cell"] for a in f.evidence["ocr_misread"]["alternatives"])]}
    assert "applications.new_received.social_org" in named
    assert not [f for f in findings if f.severity == "error" and "applications.new_received.social_org" in f.cells]


def _unable_commercial_read_as(sample_source, text: str, score: float):
    """The sample as a scan with 不掌握/商业企业 read as `text` at confidence `score`, and 不掌握/科研机构
    and 予以公开/商业企业 lost: every identity through the figure has an unread cell."""
    unable = _figure_at(sample_source, "不掌握", 1)
    lost = {_figure_at(sample_source, "不掌握", 2): ("", 1.0), _figure_at(sample_source, "予以公开", 1): ("", 1.0)}
    return build_document(_as_scan(sample_source, {unable: (text, score), **lost}))


def test_a_doubtful_figure_that_no_identity_checks_in_table_three_is_named(sample_source, rules):
    """不掌握/商业企业 1 read "4" (doubtful, 0.7) with 不掌握/科研机构 lost in its row and 予以公开/商业企业
    lost in its column: each identity through the "4" has an unread cell to take up the
    difference, and none fails (10 ≥ 7+4+1+1, 10 ≥ 3+1+4), so no identity checks it. Like a
    figure of table 二, it is named at info level by TBL-OCR-UNCHECKED (why: low_confidence);
    the figures beside it that an identity does check, and the same "4" read with confidence,
    are not."""
    doc = _unable_commercial_read_as(sample_source, "4", 0.7)
    assert doc.cell("applications.unable_no_info.commercial") == 4
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    [noted] = [f for f in findings if f.rule == "TBL-OCR-UNCHECKED"]
    assert noted.severity == "info" and noted.message.startswith("识别可能有误")
    assert [(d["cell"], d["read"], d["why"]) for d in noted.evidence["ocr_doubtful"]] == [
        ("applications.unable_no_info.commercial", 4, "low_confidence")]
    sure = _unable_commercial_read_as(sample_source, "4", 0.999)
    assert not [f for f in run_checks(sure, rules).findings if f.rule == "TBL-OCR-UNCHECKED"]


def test_a_doubtful_figure_whose_row_holds_with_its_lost_cell_as_0_is_checked(sample_source, rules):
    """The same cells lost (不掌握/科研机构, a 0, and 予以公开/商业企业), and 不掌握/商业企业 read as
    printed, “1”, with low confidence: its row holds with the lost cell as 0 (7+1+0+1+1+0 = 10),
    which is what a poor copy loses most, a faint zero. A misread would have to be made up
    for exactly by a lost figure to hide there: the row checks the “1” as a row read whole
    does, and it is not named as unchecked."""
    doc = _unable_commercial_read_as(sample_source, "1", 0.7)
    assert doc.cell("applications.unable_no_info.commercial") == 1
    assert doc.cell("applications.unable_no_info.research") is None
    findings = run_checks(doc, rules).findings
    assert not [f for f in findings if f.rule == "TBL-OCR-UNCHECKED"]
    assert not [f for f in findings if f.severity == "error"]


@needs_ocr
def test_a_poor_copys_figures_no_identity_checks_are_named_and_only_those(poor_copy_2019, rules):
    """On the 2019 sample's poor copy the figures TBL-OCR-UNCHECKED names each sit where every
    identity through them has an unread cell, and are not 0; the misread zeros among them
    ("9" for 0 under 2.需另行制作) are named, nothing of it is an error."""
    from auditor.checks.scanned_active import unchecked

    doc = poor_copy_2019
    findings = run_checks(doc, rules).findings
    [noted] = [f for f in findings if f.rule == "TBL-OCR-UNCHECKED"]
    identities = [r for r in rules if r.kind == "identity"]
    named = {d["cell"] for d in noted.evidence["ocr_doubtful"]}
    assert named <= unchecked(doc, "applications", identities)
    assert all(doc.cell(c) for c in named) and noted.severity == "info"
    # The misread zero "9" under 2.需另行制作/自然人 is named: as unchecked, or — when the second
    # look read the cells lost around it and an identity through it is decided — as a possible
    # misread of a failed identity.
    misreads = {c for f in findings if "ocr_misread" in f.evidence
                for c in [f.evidence["ocr_misread"]["cell"], *(a["cell"] for a in f.evidence["ocr_misread"]["alternatives"])]}
    assert "applications.unable_needs_creation.natural_person" in named | misreads  # 0 read "9"
    assert not [f for f in findings if f.severity == "error"]


# --------------------------------------------------------------------------- cells read blank


@needs_cv2
def test_a_row_whose_figures_the_detector_mostly_lost_is_read_again_from_the_figure_columns(monkeypatch):
    """A row of which one figure was read and the others lost (faint zeros): too few figures to
    be taken for a row of figures, it was skipped by the second look and its cells stayed blank.
    Its cells in the table's figure columns hold nothing but figures and blanks, so it is read
    again there; a row of words in those columns (a header) is not."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    for x in (592, 792):
        ImageDraw.Draw(page).ellipse((x, 178, x + 16, 200), outline=(205, 205, 205), width=3)
    boxes = [b for b in _three_row_boxes((580, 620), [("3", "0", "3"), ("2", "0", "2"), ("5", "0", "5")])
             if not (b.y0 == 175 and b.x0 in (580, 780))]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1] == ["上年结转", "2", "", ""]
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1] == ["上年结转", "2", "0", "0"]
    assert scan._lost_figures(["2", "", ""]) and scan._lost_figures(["G", "", None])
    assert not scan._lost_figures(["商业企业", "", ""]) and not scan._lost_figures(["", "", ""])


@needs_cv2
def test_a_blank_before_a_rows_first_figure_is_read_again(monkeypatch):
    """The 上年结转 row's first figure cell read blank (the detector saw nothing of a faint "2"):
    the cells before a row's first figure were taken for its label's and never looked at again."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    ImageDraw.Draw(page).ellipse((392, 178, 408, 200), outline=(205, 205, 205), width=3)
    boxes = [b for b in _three_row_boxes((580, 620), [("3", "0", "3"), ("2", "0", "2"), ("5", "0", "5")])
             if not (b.y0 == 175 and b.x0 == 380)]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1] == ["上年结转", "", "0", "2"]
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("2", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1] == ["上年结转", "2", "0", "2"] and grid.rows[1][0] == "上年结转"


@needs_cv2
def test_a_faint_figure_of_a_tall_row_with_no_figure_read_is_measured_against_the_tables_figures(monkeypatch):
    """A row three lines tall (its label wraps) none of whose figures was read: its faint zeros
    are a fifth of the cell's height, and with no figure of its own to measure them by they
    were taken for specks. The table's figures give their height. A dark speck of the same
    size found only at the faint threshold stays a speck: a figure that dark the plain
    threshold would have found."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page([100, 160, 340, 400], FOUR_COLUMNS)
    draw = ImageDraw.Draw(page)
    for x in (392, 792):
        draw.ellipse((x, 236, x + 12, 250), outline=(200, 200, 200), width=2)
    # A speck (dark core, grey rim) in the middle cell, as tall as the faint zeros.
    draw.rectangle((594, 238, 606, 250), fill=(215, 215, 215))
    draw.rectangle((597, 241, 603, 247), fill=(30, 30, 30))
    boxes = [_box(120, 115, 280, 145, "本年新收"), _box(380, 115, 420, 145, "3"), _box(580, 115, 620, 145, "0"),
             _box(780, 115, 820, 145, "3"),
             _box(120, 200, 280, 230, "（二）部分公开（区分"), _box(120, 232, 280, 262, "处理的，只计这一"),
             _box(120, 264, 280, 294, "情形）"),
             _box(120, 355, 280, 385, "总计"), _box(380, 355, 420, 385, "3"), _box(580, 355, 620, 385, "0"),
             _box(780, 355, 820, 385, "3")]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1][1:] == ["", "", ""]
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][1:] == ["", "", ""]  # the row has no figure nor noise: nothing says it is one
    grid.rows[1][1] = "e"  # noise read in its first cell: a row of figures the detector lost
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][1:] == ["0", "", "0"]


@needs_cv2
def test_ink_that_reads_as_no_figure_is_read_again_enlarged_and_darkened(monkeypatch):
    """A cell whose ink reads as no figure ("N" for a broken 8) is read once more, its contrast
    stretched and twice as large; a figure so read is a doubtful reading. When that reads as no
    figure either, the cell is unreadable (not blank)."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    ImageDraw.Draw(page).ellipse((592, 178, 608, 200), outline=(205, 205, 205), width=3)
    boxes = [b for b in _three_row_boxes((580, 620), [("3", "0", "3"), ("8", "8", "16"), ("11", "8", "19")])
             if not (b.y0 == 175 and b.x0 == 580)]
    original = list(boxes)
    sizes = []

    def read(path, image):
        sizes.append(image.size)
        return ("N", 0.4) if len(sizes) == 1 else ("8", 0.9)

    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    monkeypatch.setattr(ocr, "read_crop", read)
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][2] == "8" and boxes[-1].score <= scan.GUESSED
    assert sizes[1] == (2 * sizes[0][0], 2 * sizes[0][1])
    boxes = list(original)
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("N", 0.4))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][2] == scan.UNREADABLE


def _active_label_at(source: SourceText, label: str) -> tuple[int, int, int]:
    """(block, row, column) of table 二's row label `label` in the sample."""
    for n, block in enumerate(source.blocks):
        if isinstance(block, TableBlock):
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    if cell and cell.strip() == label:
                        return n, i, j
    raise AssertionError(f"no {label} row")


@pytest.mark.parametrize("misread", ["规意", "概章", "规草"])
def test_a_two_character_row_label_of_table_two_misread_takes_the_free_row_before_the_next(sample_source, misread):
    """规章 read 规意: two characters are too short to name a row one character off, so
    the row's figures were lost. Its segment right before 规范性文件's, after the header, with a
    figure for each column, is the 规章 row — noted as placed by its neighbours."""
    label = _active_label_at(sample_source, "规章")
    doc = build_document(_as_scan(sample_source, {label: (misread, 0.8)}))
    text_layer = build_document(sample_source)
    assert doc.tables["active"]["regulations"] == text_layer.tables["active"]["regulations"]
    assert any(d.kind == "row_label_guessed" and d.detail["row"] == "regulations" for d in doc.diagnostics)
    # A text layer's rows are named as printed: no row placed by its neighbours there.
    assert not any(d.kind == "row_label_guessed" for d in text_layer.diagnostics)


def test_a_cell_with_ink_the_ocr_could_not_read_is_named_as_possibly_lost_with_page_and_box(sample_source, rules):
    """予以公开/科研机构 holds ink that reads as no figure: unreadable, its identities undecidable.
    TBL-OCR-UNREAD names it (可能漏识别, info) with the page and the box of the ink; the report is
    not blamed."""
    from auditor.model import UNREADABLE_CELL

    research = _granted(sample_source, 2)
    doc = build_document(_as_scan(sample_source, {research: (UNREADABLE_CELL, 0.0)}))
    findings = run_checks(doc, rules).findings
    [lost] = [f for f in findings if f.rule == "TBL-OCR-UNREAD"]
    box = next(b for b in doc.source_map.boxes if b.text == UNREADABLE_CELL)
    assert lost.severity == "info" and lost.message.startswith("可能漏识别")
    assert lost.evidence["ocr_unread"] == [{"cell": "applications.granted.research", "page": box.page,
                                            "box": list(box.bbox), "dpi": box.dpi, "why": "ink"}]
    assert f"第{box.page}页" in lost.message
    assert not [f for f in findings if f.severity == "error"]


def test_a_blank_cell_two_identities_agree_holds_a_figure_is_named_as_possibly_lost(sample_source, rules):
    """予以公开/商业企业 (5) read blank: its row says 21 − (15+0+0+0+0) … = 5 and its column says the
    same, so a figure is printed there (or the report left out one its totals count): named
    (why "implied", the figure both say), at the box where its row and column meet. A blank
    the identities agree is 0 is not named; nor any blank of a text layer."""
    commercial = _granted(sample_source, 1)
    assert sample_source.blocks[commercial[0]].rows[commercial[1]][commercial[2]] == "5"
    doc = build_document(_as_scan(sample_source, {commercial: ("", 1.0)}))
    assert doc.cell("applications.granted.commercial") is None
    findings = run_checks(doc, rules).findings
    [lost] = [f for f in findings if f.rule == "TBL-OCR-UNREAD"]
    [named] = lost.evidence["ocr_unread"]
    assert named["cell"] == "applications.granted.commercial" and named["why"] == "implied" and named["implied"] == 5
    row = [b for b in doc.source_map.boxes if b.bbox is not None and b.bbox[1] == named["box"][1]]
    assert row and named["box"][3] == row[0].bbox[3]
    assert not [f for f in findings if f.severity == "error"]
    zero = _granted(sample_source, 3)  # 予以公开/社会公益组织: 0
    doc = build_document(_as_scan(sample_source, {zero: ("", 1.0)}))
    assert not [f for f in run_checks(doc, rules).findings if f.rule.startswith("TBL-OCR-UNREAD")]
    assert not [f for f in run_checks(build_document(sample_source), rules).findings
                if f.rule.startswith("TBL-OCR-UNREAD")]


@needs_cv2
def test_faint_zeros_under_a_fold_across_their_row_are_found(monkeypatch):
    """A fold's crease runs across a row of faint zeros: taken against the cell's paper, the
    crease and the zeros are one blob as wide as the cell (no character); against the paper of
    its own pixel rows, the crease is paper and each zero is ink."""
    from PIL import ImageDraw

    from auditor.read import scan

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    draw = ImageDraw.Draw(page)
    for x in (392, 592):
        draw.ellipse((x, 176, x + 12, 200), outline=(195, 195, 195), width=2)
    draw.rectangle((100, 195, 900, 197), fill=(120, 120, 120))  # the crease, through the middle row
    assert scan._ink_box(page, (300, 160, 500, 220), figure_height=30) is None
    found = scan._ink_box(page, (300, 160, 500, 220), faint=True, figure_height=30)
    assert found is not None and found[0] <= 392 and found[2] >= 404
    assert scan._ink_box(page, (700, 160, 900, 220), faint=True, figure_height=30) is None  # the crease alone


@needs_ocr
def test_a_one_digit_explanation_that_takes_a_zero_for_a_figure_names_the_pairs_too(poor_copy_2019, rules):
    """On the 2019 sample's poor copy 3.公开出版物 reads 0 | 2 | 0 | 6 | 0 | 0 and total 0 (all zeros
    printed: two faint ones read 2 and 6). The total "0" read for 8 would make the row hold by
    one digit, but a poor copy does not print a figure as 0 — it reads zeros as figures: that
    explanation is no better than two misreads together, and the pair of figures read for zeros
    ("2", "6") is named first, the total after it."""
    from auditor.checks.scanned import _weak

    assert _weak({"score": 0.3, "read": 8, "probably": 3}) and _weak({"score": 0.9, "read": 0, "probably": 8})
    assert not _weak({"score": 0.6, "read": 8, "probably": 3}) and not _weak({"score": 0.6, "read": 8, "probably": 0})
    doc = poor_copy_2019
    assert [doc.cell(f"applications.declined_publication.{c}") for c in
            ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")] \
        == [0, 2, 0, 6, 0, 0, 0]
    findings = run_checks(doc, rules).findings
    [row] = [f for f in findings if f.rule == "TBL-I3" and "applications.declined_publication.total" in f.cells]
    misread = row.evidence["ocr_misread"]
    pair = [(m["cell"], m["read"], m["probably"]) for m in (misread, misread["alternatives"][0])]
    assert sorted(pair) == [("applications.declined_publication.commercial", 2, 0),
                            ("applications.declined_publication.social_org", 6, 0)]
    assert misread["together"] and "若分别为“0”和“0”则等式成立" in row.message
    assert ("applications.declined_publication.total", 8) in {(a["cell"], a["probably"]) for a in misread["alternatives"]}
    assert row.severity == "warning"


@needs_ocr
def test_a_poor_copys_cells_with_ink_it_could_not_read_are_named_as_possibly_lost(poor_copy_2019, rules):
    """On the 2019 sample's poor copy 二、上年结转/公益组织 holds a faint 0 no reading makes a figure
    of (enlarged and darkened too): unreadable, not blank. TBL-OCR-UNREAD names it as possibly
    lost (ink) with the page and the box of its ink, at info level; every cell it names is one
    the reading left without a figure."""
    doc = poor_copy_2019
    findings = run_checks(doc, rules).findings
    [lost] = [f for f in findings if f.rule == "TBL-OCR-UNREAD"]
    assert lost.severity == "info" and lost.message.startswith("可能漏识别")
    named = {d["cell"]: d for d in lost.evidence["ocr_unread"]}
    assert named["applications.carried_over.social_org"]["why"] == "ink"
    assert named["applications.carried_over.social_org"]["page"] == 1
    assert all(doc.cell(c) is None for c in named)
    x0, y0, x1, y1 = named["applications.carried_over.social_org"]["box"]
    assert x0 < x1 and y0 < y1


# --------------------------------------------------------------------------- cells read blank (scans9)


@needs_cv2
def test_a_table_that_fills_only_its_total_column_has_its_blank_total_looked_at_again(monkeypatch):
    """A township's table 三 fills only its 总计 column, the applicants' columns left blank: no
    row is mostly figures, so the second look did not know where the figure columns begin and
    looked at none of its cells. A "0" the detector missed in the total column (a row read blank
    in every figure column) is read from its ink; the blank applicants' cells with no ink stay
    blank, and faint ink in such a row (a crease, a smudge) is not taken for a figure."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    rows, cols = [100, 160, 220, 280, 340], [100, 300, 500, 700, 900]
    page = _ruled_page(rows, cols)
    draw = ImageDraw.Draw(page)
    draw.ellipse((792, 236, 808, 264), outline=(0, 0, 0), width=3)  # 总计 of the third row: printed
    draw.ellipse((592, 296, 608, 324), outline=(215, 215, 215), width=3)  # faint ink in a blank row
    labels = ["本年新收", "上年结转", "（一）予以公开", "（二）部分公开"]
    boxes = [_box(120, y + 15, 280, y + 45, label) for y, label in zip(rows, labels)]
    boxes += [_box(790, 115, 810, 145, "2"), _box(790, 175, 810, 205, "0")]
    boxes += [_box(790, 295, 810, 325, "1")]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert [row[1:] for row in grid.rows] == [["", "", "2"], ["", "", "0"], ["", "", ""], ["", "", "1"]]
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("0", 0.99))
    scan._second_look("scan.png", page, grid, boxes)
    assert [row[1:] for row in grid.rows] == [["", "", "2"], ["", "", "0"], ["", "", "0"], ["", "", "1"]]


@needs_cv2
def test_a_speck_in_a_blank_cell_is_no_figure_and_noise_over_no_ink_is_a_blank(monkeypatch):
    """A poor copy's specks: a solid square dot of dark ink in a blank cell, as tall as a small
    character, was read ("1" from the enlarged crop) as a figure the report never printed; noise
    the detector read over specks ("量") that looks like no figure became an unreadable cell
    (可能漏识别). A dot is no character; noise over no character-sized ink is a blank."""
    from PIL import ImageDraw

    from auditor.read import scan
    from auditor.read.scan_layout import ScanGrid, layout

    page = _ruled_page(THREE_ROWS, FOUR_COLUMNS)
    draw = ImageDraw.Draw(page)
    draw.rectangle((596, 182, 607, 193), fill=(20, 20, 20))  # a speck in 上年结转's middle cell
    draw.rectangle((596, 242, 607, 253), fill=(20, 20, 20))  # and one under the noise of 总计's
    boxes = [b for b in _three_row_boxes((590, 610), [("3", "", "3"), ("2", "", "2"), ("5", "量", "5")]) if b.text]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert grid.rows[1][2] == "" and grid.rows[2][2] == "量"
    monkeypatch.setattr(ocr, "read_crop", lambda path, image: ("1", 0.6))
    scan._second_look("scan.png", page, grid, boxes)
    assert grid.rows[1][2] == "" and grid.rows[2][2] == ""
    assert scan._dot((0, 0, 12, 12, 144)) and not scan._dot((0, 0, 11, 17, 120)) and not scan._dot((0, 0, 12, 12, 80))


@needs_cv2
def test_figures_stacked_in_one_column_of_a_double_height_band_are_two_rows():
    """A township's table with one figure a row (its total): the rule between two rows was lost
    (a fold of the paper along it is taken away with it), and the two rows read as one, "1 0" in
    one cell: the second row's figure lost. Two figures stacked in one column of a band twice as
    tall as the table's rows are two rows; one figure in a tall band (a wrapped label) is one."""
    from auditor.read.scan_layout import ScanGrid, layout

    rows, cols = [100, 160, 220, 340, 400], [100, 300, 500, 700, 900]
    page = _ruled_page(rows, cols)
    boxes = [_box(120, 115, 280, 145, "本年新收"), _box(790, 115, 810, 145, "3"),
             _box(120, 175, 280, 205, "上年结转"), _box(790, 175, 810, 205, "0"),
             _box(120, 235, 280, 265, "1.本机关不掌握"), _box(790, 235, 810, 265, "1"),
             _box(120, 295, 280, 325, "2.没有现成信息"), _box(790, 295, 810, 325, "0"),
             _box(120, 355, 280, 385, "总计"), _box(790, 355, 810, 385, "4")]
    [grid] = [item for item in layout(page, boxes) if isinstance(item, ScanGrid)]
    assert [(row[0], row[-1]) for row in grid.rows] == [("本年新收", "3"), ("上年结转", "0"), ("1.本机关不掌握", "1"),
                                                       ("2.没有现成信息", "0"), ("总计", "4")]
    one = [b for b in boxes if b.text not in ("0", "2.没有现成信息") or b.y0 != 295]
    one = [b if b.text != "1" else _box(790, 265, 810, 295, "1") for b in one]
    [grid] = [item for item in layout(page, one) if isinstance(item, ScanGrid)]
    assert len(grid.rows) == 4


@needs_cv2
def test_a_two_row_unruled_table_takes_its_columns_from_its_fuller_row():
    """Table 二's 规章 and 行政规范性文件 printed without rules, two rows under three headings, the
    detector missing 规章's first "0": too few rows for columns by clusters, the rows were lines
    and "规章 0 0" put its two zeros under the first two headings. The fuller row's figures are
    the columns when the other's each lie under one: the blank is in place for the second look.
    Rows as full as each other, or with words among the figures ("-1"), stay lines."""
    from PIL import Image

    from auditor.read.scan_layout import ScanGrid, layout

    page = Image.new("RGB", (1000, 400), (255, 255, 255))

    def boxes_of(first: list, second: list):
        out = [_box(100, 60, 260, 90, "信息内容"), _box(420, 60, 900, 90, "本年制发件数本年废止件数现行有效件数")]
        for y, label, figures in ((120, "规章", first), (170, "行政规范性文件", second)):
            out.append(_box(100, y, 100 + 25 * len(label), y + 30, label))
            out += [_box(x - 8, y, x + 8, y + 30, f) for x, f in zip((500, 660, 820), figures) if f is not None]
        return out

    [grid] = [item for item in layout(page, boxes_of([None, "0", "0"], ["3", "0", "8"])) if isinstance(item, ScanGrid)]
    assert grid.rows == [["规章", "", "0", "0"], ["行政规范性文件", "3", "0", "8"]]
    assert not [item for item in layout(page, boxes_of(["0", "0", "0"], ["3", "0", "8"])) if isinstance(item, ScanGrid)]
    signed = boxes_of(["2", None, "4"], ["3", "0", "8"]) + [_box(652, 120, 668, 150, "-1")]
    assert not [item for item in layout(page, signed) if isinstance(item, ScanGrid)]


@needs_ocr
def test_a_poor_copy_of_a_township_table_filled_only_in_its_total_column_reads_every_total(tmp_path):
    """The township sample's table 三 (corpus/baisha-town-2020.pdf) fills only its 总计 column.
    On its poor copy (as corpus/scans/make_scans.py makes it for bench/ocr_accuracy.py) a fold
    runs along the rule between 1.本机关不掌握 and 2.没有现成信息 (the two rows read as one, "1 0"),
    a total "0" is read as "C", and specks in the blank applicants' cells were read as noise
    ("量") or from the enlarged crop as "1". Every total is read as printed, and the applicants'
    cells stay blank."""
    from make_scans import heavy_scan

    pdf = (ROOT / "corpus" / "baisha-town-2020.pdf").read_bytes()
    images, dpi = heavy_scan(pdf, "baisha-town-2020")
    path = tmp_path / "heavy.pdf"
    path.write_bytes(image_pdf(images, dpi))
    read = build_document(read_file(str(path))).tables["applications"]
    want = build_document(read_file(str(ROOT / "corpus" / "baisha-town-2020.pdf"))).tables["applications"]
    assert read == want
    assert all(v is None for row in read.values() for column, v in row.items() if column != "total")
