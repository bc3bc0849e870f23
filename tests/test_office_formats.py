"""Old Word (.doc), WPS (.wps) and OFD reports: read, equal to the .docx/.pdf they were made from,
and refused in one Chinese line when broken.

The .doc/.wps/.ofd files are made in tmp_path by corpus/formats/make_samples.py (LibreOffice for
.doc/.wps, the script's own GB/T 33190 writer for .ofd); no binary is committed. Tests that need
LibreOffice skip where it is not installed; .ci/run installs it, so nothing skips there.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from auditor.errors import InputError
from auditor.model import TableBlock
from auditor.read import read_file
from auditor.read.docx import read_docx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

_spec = importlib.util.spec_from_file_location("format_samples", ROOT / "corpus" / "formats" / "make_samples.py")
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)

needs_libreoffice = pytest.mark.skipif(samples.soffice() is None,
                                       reason="LibreOffice (soffice) is not installed: "
                                              "apt-get install libreoffice-writer-nogui")


def tables(source) -> list[TableBlock]:
    return [block for block in source.blocks if isinstance(block, TableBlock)]


# --------------------------------------------------------------------------- .docx grid slivers


def _docx_with_sliver_column() -> bytes:
    """A 3-row table whose grid has a 1-twip column 2 that the cells beside it span, as
    LibreOffice writes when it saves a .doc as .docx."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), (600, 600, 1, 600)):
        column.set(qn("w:w"), str(width))

    def span(cell_index: int, row_index: int, value: int) -> None:
        tc = table.rows[row_index]._tr.findall(qn("w:tc"))[cell_index]
        tc_pr = tc.get_or_add_tcPr()
        element = etree.SubElement(tc_pr, qn("w:gridSpan"))
        element.set(qn("w:val"), str(value))

    def drop(cell_index: int, row_index: int) -> None:
        tr = table.rows[row_index]._tr
        tr.remove(tr.findall(qn("w:tc"))[cell_index])

    # Row 0: "复议" over columns 0-1, "诉讼" over the sliver and column 3.
    # Rows 1-2: three cells; the middle one spans column 1 and the sliver.
    texts = [["复议", "诉讼"], ["维持", "总计", "起诉"], ["1", "2", "3"]]
    drop(3, 0), drop(2, 0)
    span(0, 0, 2), span(1, 0, 2)
    for row_index in (1, 2):
        drop(3, row_index)
        span(1, row_index, 2)
    for row_index, row_texts in enumerate(texts):
        for tc, text in zip(table.rows[row_index]._tr.findall(qn("w:tc")), row_texts):
            tc.findall(qn("w:p"))[0].append(_run(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(text: str):
    run = etree.Element(qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    return run


def test_docx_sliver_grid_column_spanned_by_its_neighbours_is_dropped():
    grid = tables(read_docx("sliver.docx", _docx_with_sliver_column()))[0]
    # Without the sliver the grid is 3 columns wide; "诉讼" begins over "起诉", as printed.
    assert grid.rows == (("复议", None, "诉讼"), ("维持", "总计", "起诉"), ("1", "2", "3"))


def test_docx_narrow_column_that_holds_its_own_cell_is_kept():
    data = _docx_with_sliver_column()
    # The same grid, but row 2 has a cell of its own in the narrow column: it is a real column.
    document = docx.Document(io.BytesIO(data))
    tr = document.tables[0].rows[2]._tr
    middle = tr.findall(qn("w:tc"))[1]
    middle.tcPr.remove(middle.tcPr.find(qn("w:gridSpan")))
    new = etree.SubElement(tr, qn("w:tc"))
    etree.SubElement(new, qn("w:p")).append(_run("9"))
    tr.remove(new)
    tr.insert(list(tr).index(middle) + 1, new)
    out = io.BytesIO()
    document.save(out)
    grid = tables(read_docx("narrow.docx", out.getvalue()))[0]
    assert len(grid.rows[0]) == 4
    assert grid.rows[2] == ("1", "2", "9", "3")
