"""Real and sample PDF reports through .docx → .doc (and .ofd): are the cells still the same?

LibreOffice cannot turn a PDF into a Word table (its PDF import gives positioned text boxes), so
the .docx of a PDF is built here from what the PDF reader reads: every text line a paragraph,
every grid a Word table whose merged cells (None in the grid) are real gridSpan/vMerge merges.
LibreOffice then saves that .docx as a Word 97 .doc, and the .doc is read by the auditor
(LibreOffice again, then the .docx reader). Each PDF is also written as an OFD by
corpus/formats/make_samples.py. Printed per file: whether the table grids (every cell) and the
three statistical tables of the document JSON equal the PDF's, and the seconds each read took.

    python bench/office_roundtrip.py [PDF ...]   (default: ../shared/corpus/real/pdf/*.pdf and
                                                  the sample PDFs in corpus/)
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.model import TableBlock  # noqa: E402
from auditor.read import read_file  # noqa: E402
from auditor.structure import build_document  # noqa: E402

_spec = importlib.util.spec_from_file_location("format_samples", ROOT / "corpus" / "formats" / "make_samples.py")
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)


def docx_of(source) -> bytes:
    """A .docx holding the blocks the PDF reader read: text lines as paragraphs, grids as tables."""
    document = docx.Document()
    for block in source.blocks:
        if not isinstance(block, TableBlock):
            for line in block.text.splitlines():
                document.add_paragraph(line)
            continue
        width = len(block.rows[0])
        table = document.add_table(rows=len(block.rows), cols=width)
        for column in table._tbl.tblGrid.findall(qn("w:gridCol")):
            column.set(qn("w:w"), "600")
        starts: list[dict[int, object]] = []  # per row: grid column -> the <w:tc> starting there
        for tr, row in zip(table._tbl.findall(qn("w:tr")), block.rows):
            for tc in tr.findall(qn("w:tc")):
                tr.remove(tc)
            starts.append(_fill_row(tr, row, starts[-1] if starts else {}))
        # Word starts a table right after the one before unless a paragraph parts them.
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill_row(tr, row, above: dict) -> dict:
    """One table row: a None either widens the cell before it (gridSpan) or continues the cell
    above (vMerge over the same span, the cell above restarting it). Either way the grid read
    back has None there, as the PDF's has. Returns the row's cells by the column they start at."""
    last = None
    remaining = 0  # columns the vertical continuation just begun still covers
    starts = {}
    for column, cell in enumerate(row):
        if cell is None and remaining > 0:
            _widen(last)
            remaining -= 1
            continue
        # After a cell begun in this row, a None widens it (a header over several columns);
        # after a continuation, or opening the row, it continues the cell above, if one starts
        # there. The grid alone cannot say which; this reading fits the report tables.
        over = above.get(column) if cell is None else None
        begun_here = last is not None and last.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is None
        if cell is None and last is not None and (begun_here or over is None):
            _widen(last)
            continue
        tc = etree.SubElement(tr, qn("w:tc"))
        tc_pr = etree.SubElement(tc, qn("w:tcPr"))
        width = etree.SubElement(tc_pr, qn("w:tcW"))
        width.set(qn("w:w"), "600")
        width.set(qn("w:type"), "dxa")
        paragraph = etree.SubElement(tc, qn("w:p"))
        remaining = 0
        if cell is None:
            etree.SubElement(tc_pr, qn("w:vMerge"))  # continues the cell above
            if over is not None:
                over_pr = over.find(qn("w:tcPr"))
                if over_pr.find(qn("w:vMerge")) is None:
                    etree.SubElement(over_pr, qn("w:vMerge")).set(qn("w:val"), "restart")
                remaining = _span(over) - 1
                width.set(qn("w:w"), str(600 * _span(over)))
        elif cell:
            run = etree.SubElement(paragraph, qn("w:r"))
            text = etree.SubElement(run, qn("w:t"))
            text.text = cell
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        last = tc
        starts[column] = tc
    return starts


def _span(tc) -> int:
    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return 1 if span is None else int(span.get(qn("w:val")))


def _widen(tc) -> None:
    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    if span is None:
        span = etree.SubElement(tc.find(qn("w:tcPr")), qn("w:gridSpan"))
        span.set(qn("w:val"), "1")
    span.set(qn("w:val"), str(int(span.get(qn("w:val"))) + 1))
    # The .doc format keeps cell widths, not a grid: the width must say the span too.
    width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    width.set(qn("w:w"), str(600 * int(span.get(qn("w:val")))))


def grids(source) -> list:
    return [block.rows for block in source.blocks if isinstance(block, TableBlock)]


def statistical_tables(source) -> str:
    return json.dumps(build_document(source).to_json()["tables"], sort_keys=True, ensure_ascii=False)


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main(pdfs: list[Path]) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="office-roundtrip-") as work:
        work_dir = Path(work)
        print(f"{'file':40} {'via':5} {'grids':6} {'tables':6} {'cells':>6} {'read s':>7}")
        for pdf in pdfs:
            original, pdf_seconds = timed(read_file, str(pdf))
            cells = sum(len(row) for grid in grids(original) for row in grid)
            print(f"{pdf.name:40} {'pdf':5} {'':6} {'':6} {cells:6} {pdf_seconds:7.2f}")
            made = []
            if samples.soffice() is not None:
                made_docx = work_dir / f"{pdf.stem}.docx"
                made_docx.write_bytes(docx_of(original))
                made.append(("doc", samples.write_word97(made_docx, work_dir / f"{pdf.stem}.doc")))
            made.append(("ofd", samples.write_ofd(pdf, work_dir / f"{pdf.stem}.ofd")))
            for via, path in made:
                read, seconds = timed(read_file, str(path))
                same_grids = grids(read) == grids(original)
                same_tables = statistical_tables(read) == statistical_tables(original)
                failures += not (same_grids and same_tables)
                print(f"{'':40} {via:5} {str(same_grids):6} {str(same_tables):6} {'':6} {seconds:7.2f}")
    print(f"\n{failures} conversions whose cells differ from the PDF's")
    return 1 if failures else 0


if __name__ == "__main__":
    arguments = [Path(p) for p in sys.argv[1:]]
    if not arguments:
        arguments = sorted((ROOT.parent / "shared" / "corpus" / "real" / "pdf").glob("*.pdf"))
        arguments += sorted((ROOT / "corpus").glob("*.pdf"))
    sys.exit(main(arguments))
