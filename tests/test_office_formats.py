"""Old Word (.doc), WPS (.wps) and OFD reports: read, equal to the .docx/.pdf they were made from,
and refused in one Chinese line when broken.

The .doc/.wps/.ofd files are made in tmp_path by corpus/formats/make_samples.py (LibreOffice for
.doc/.wps, the script's own GB/T 33190 writer for .ofd); no binary is committed. Tests that need
LibreOffice skip where it is not installed; .ci/run installs it, so nothing skips there.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
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

from conftest import one_chinese_line

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


# --------------------------------------------------------------------------- helpers


def _cli(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "auditor.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _document_json(source) -> dict:
    from auditor.structure import build_document

    document = build_document(source).to_json()
    return {key: document[key] for key in ("meta", "text", "sections", "tables")}


def _grids(source) -> list[tuple]:
    return [block.rows for block in tables(source)]


@pytest.fixture(scope="module")
def word97(tmp_path_factory):
    """The sample .docx reports saved as .doc and .wps by LibreOffice."""
    if samples.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return samples.make(tmp_path_factory.mktemp("word97"), formats=("doc", "wps"))


@pytest.fixture(scope="module")
def ofd_samples(tmp_path_factory):
    """The sample PDF reports written as OFD by corpus/formats/make_samples.py."""
    return samples.make(tmp_path_factory.mktemp("ofd"), formats=("ofd",))


# --------------------------------------------------------------------------- .doc / .wps


def test_doc_and_wps_read_as_the_docx_they_were_saved_from(word97):
    assert {made.suffix for made, _ in word97} == {".doc", ".wps"}
    for made, source in word97:
        assert made.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real Word 97 compound file
        read, original = read_file(str(made)), read_file(str(source))
        assert read.format == made.suffix[1:]
        # The table grids, cell by cell, and what the structure layer makes of the whole report.
        assert _grids(read) == _grids(original), made.name
        assert _document_json(read) == _document_json(original), made.name


def test_doc_audits_like_its_docx(word97, tmp_path):
    made, source = next((m, s) for m, s in word97 if m.suffix == ".doc" and "yunling" in m.name)
    findings = []
    for path in (made, source):
        done = _cli(tmp_path, "audit", str(path), "--format", "json", "--fail-on", "never")
        assert done.returncode == 0, done.stderr
        findings.append(sorted((f["rule"], f["message"]) for f in json.loads(done.stdout)["findings"]))
    assert findings[0] == findings[1] and findings[0]  # the sample's known table errors, both ways


def test_without_libreoffice_doc_is_one_chinese_line_naming_what_to_install(tmp_path):
    (tmp_path / "r.doc").write_bytes(samples_ole_header() + b"\0" * 4096)
    (tmp_path / "bin").mkdir()
    done = _cli(tmp_path, "audit", "r.doc", env={"PATH": str(tmp_path / "bin")})
    one_chinese_line(done, "r.doc", "LibreOffice", "libreoffice-writer-nogui")
    done = _cli(tmp_path, "parse", "r.doc", env={"PATH": str(tmp_path / "bin")})
    one_chinese_line(done, "r.doc", "libreoffice-writer-nogui")


def samples_ole_header() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _compound_file(*streams: str) -> bytes:
    """A compound file (MS-CFB, 512-byte sectors) whose directory holds a root entry and the named
    streams (empty), four entries to a directory sector, the sectors chained by the allocation
    table in sector 0 (the directory's second sector is not the one after its first)."""
    import struct

    entries = [("Root Entry", 5)] + [(name, 2) for name in streams]
    blocks = [b"".join(entries_block) for entries_block in (
        [_directory_entry(name, kind) for name, kind in entries[i:i + 4]] for i in range(0, len(entries), 4))]
    blocks = [block.ljust(512, b"\0") for block in blocks]
    # Sector 0: the table; directory sectors at 1, 3, 5, … with a filler sector between them.
    sectors, chain = [b""], []
    for block in blocks:
        chain.append(len(sectors))
        sectors += [block, b"\0" * 512]
    fat = [0xFFFFFFFF] * 128
    fat[0] = 0xFFFFFFFD
    for here, there in zip(chain, chain[1:] + [0xFFFFFFFE]):
        fat[here] = there
    sectors[0] = struct.pack("<128I", *fat)
    header = bytearray(512)
    header[:8] = samples_ole_header()
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, chain[0], 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    return bytes(header) + b"".join(sectors)


def _directory_entry(name: str, kind: int) -> bytes:
    import struct

    encoded = name.encode("utf-16-le") + b"\0\0"
    entry = bytearray(128)
    entry[:len(encoded)] = encoded
    struct.pack_into("<HB", entry, 0x40, len(encoded), kind)
    return bytes(entry)


WORKS = ("CONTENTS", "SPELLING", "\x05SummaryInformation", "Ole", "CompObj")  # directory over 2 sectors
WORKS4 = ("MN0", "CompObj")
KINGSOFT_WPS = ("WordDocument", "1Table", "\x05SummaryInformation", "\x05DocumentSummaryInformation")


@pytest.mark.parametrize("streams, in_filter", [
    (WORKS, "MS_Works"), (WORKS4, "MS_Works"), (KINGSOFT_WPS, "MS Word 97"),
    (("WordDocument", "CONTENTS"), "MS Word 97"),  # Word's text stream decides
    ((), "MS Word 97"),  # nothing to tell: the Word filter, which refuses a broken file
], ids=["works", "works4", "kingsoft-wps", "word-with-contents", "empty"])
def test_wps_goes_through_the_filter_its_streams_call_for(tmp_path, monkeypatch, streams, in_filter):
    from auditor.read import legacy_word

    data = _compound_file(*streams)
    assert legacy_word.compound_stream_names(data) == set(streams)
    asked = []

    def convert(path, fmt, data, in_filter):
        asked.append(in_filter)
        raise InputError(path, "stop")

    monkeypatch.setattr(legacy_word, "convert_to_docx", convert)
    with pytest.raises(InputError):
        legacy_word.read_legacy_word("r.wps", "wps", data)
    assert asked == [in_filter]


def test_compound_directory_reading_is_bounded():
    from auditor.read import legacy_word

    # A directory chain that loops on itself, and a header naming sectors past the end.
    data = bytearray(_compound_file(*WORKS))
    import struct
    struct.pack_into("<I", data, 512 + 3 * 4, 1)  # sector 3 → 1 → 3 → …
    assert legacy_word.compound_stream_names(bytes(data)) == set(WORKS)
    struct.pack_into("<I", data, 0x30, 10_000)
    assert legacy_word.compound_stream_names(bytes(data)) == set()
    assert legacy_word.compound_filter(samples_ole_header()) == "MS Word 97"


def test_without_libreoffice_a_works_wps_is_one_chinese_line(tmp_path):
    (tmp_path / "r.wps").write_bytes(_compound_file(*WORKS))
    (tmp_path / "bin").mkdir()
    done = _cli(tmp_path, "audit", "r.wps", env={"PATH": str(tmp_path / "bin")})
    one_chinese_line(done, "r.wps", "WPS", "LibreOffice", "libreoffice-writer-nogui")


def test_doc_that_is_not_a_word_file_is_refused_by_its_content(tmp_path):
    (tmp_path / "r.doc").write_text("一份文本文件，扩展名却是 .doc", encoding="utf-8")
    (tmp_path / "r.wps").write_bytes(b"%PDF-1.4\n")
    one_chinese_line(_cli(tmp_path, "audit", "r.doc"), "r.doc", "内容不是", ".doc")
    one_chinese_line(_cli(tmp_path, "audit", "r.wps"), "r.wps", "内容不是", "WPS")


def test_docx_under_a_doc_name_is_read_without_converting(tmp_path, monkeypatch):
    from auditor.read import legacy_word

    monkeypatch.setattr(legacy_word, "convert_to_docx", lambda *a: pytest.fail("converted"))
    source = ROOT / "corpus" / "qingxi-natres-2023.docx"
    (tmp_path / "r.doc").write_bytes(source.read_bytes())
    assert _grids(read_file(str(tmp_path / "r.doc"))) == _grids(read_file(str(source)))


@needs_libreoffice
@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty-ole"])
def test_corrupt_doc_isone_chinese_line(word97, tmp_path, damage):
    made = next(m for m, _ in word97 if m.suffix == ".doc")
    data = made.read_bytes()
    broken = {"truncated": data[:len(data) // 3],
              "garbage": data[:512] + bytes(range(256)) * 64,
              "empty-ole": samples_ole_header()}[damage]
    (tmp_path / "broken.doc").write_bytes(broken)
    one_chinese_line(_cli(tmp_path, "audit", "broken.doc"), "broken.doc", "已损坏")


def _fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in for soffice: a shell script; $OUT is the .docx it is asked to write."""
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n"
                      'for a in "$@"; do case "$prev" in --outdir) OUT="$a/report.docx";; esac; prev="$a"; done\n'
                      'mkdir -p "$(dirname "$OUT")"\n' + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_hanging_converter_is_killed_with_its_children_after_the_timeout(tmp_path, monkeypatch):
    from auditor.read import legacy_word

    child = tmp_path / "child.pid"
    fake = _fake_soffice(tmp_path, f"sleep 600 & echo $! > {child}\nwait")
    monkeypatch.setattr(legacy_word, "soffice", lambda: fake)
    monkeypatch.setattr(legacy_word, "CONVERT_TIMEOUT", 1)
    with pytest.raises(InputError, match="转换超过 1 秒"):
        legacy_word.convert_to_docx("r.doc", "doc", samples_ole_header(), "MS Word 97")
    pid = int(child.read_text())
    # The grandchild was killed with the group (it is gone, or a zombie awaiting its reaper).
    state = Path(f"/proc/{pid}/stat")
    assert not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z"


def test_converter_cannot_write_more_than_the_cap(tmp_path, monkeypatch):
    from auditor.read import legacy_word

    written = tmp_path / "written"
    fake = _fake_soffice(tmp_path, f'head -c 5000000 /dev/zero > "$OUT"; stat -c %s "$OUT" > {written}')
    monkeypatch.setattr(legacy_word, "soffice", lambda: fake)
    monkeypatch.setattr(legacy_word, "MAX_WRITTEN_BYTES", 1 << 20)
    # The file stops growing at the cap (the writer is killed by SIGXFSZ); no more is read.
    out = legacy_word.convert_to_docx("r.doc", "doc", samples_ole_header(), "MS Word 97")
    assert int(written.read_text()) == len(out) == 1 << 20


def test_converter_runs_without_network(tmp_path, monkeypatch):
    from auditor.read import legacy_word

    if not legacy_word._network_isolation():
        pytest.skip("this system lets no ordinary process make a network namespace (unshare -rn)")
    interfaces = tmp_path / "interfaces"
    fake = _fake_soffice(tmp_path, f"cat /proc/self/net/dev > {interfaces}")
    monkeypatch.setattr(legacy_word, "soffice", lambda: fake)
    with pytest.raises(InputError):  # the fake writes no .docx
        legacy_word.convert_to_docx("r.doc", "doc", samples_ole_header(), "MS Word 97")
    names = [line.split(":")[0].strip() for line in interfaces.read_text().splitlines() if ":" in line]
    assert names == ["lo"]


@needs_libreoffice
def test_batch_records_a_corrupt_doc_and_ofd_and_goes_on(word97, ofd_samples, tmp_path):
    (tmp_path / "in").mkdir()
    made = next(m for m, _ in word97 if m.suffix == ".wps")
    ofd = ofd_samples[0][0]
    (tmp_path / "in" / made.name).write_bytes(made.read_bytes())
    (tmp_path / "in" / ofd.name).write_bytes(ofd.read_bytes())
    (tmp_path / "in" / "broken.doc").write_bytes(made.read_bytes()[:4000])
    (tmp_path / "in" / "broken.ofd").write_bytes(ofd.read_bytes()[:3000])
    done = subprocess.run([PYTHON, "-m", "auditor.cli", "batch", "in", "--out", "out", "--workers", "1",
                           "--no-pages"], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                          timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    assert "无法读取或审核 2 份" in done.stderr and "broken.doc" in done.stderr and "broken.ofd" in done.stderr
    import csv

    with open(tmp_path / "out" / "reports.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {Path(row["报告"]).name: row for row in csv.DictReader(handle)}
    assert rows["broken.doc"]["状态"] == "无法读取或审核" and "已损坏" in rows["broken.doc"]["原因"]
    assert rows["broken.ofd"]["状态"] == "无法读取或审核" and "已损坏" in rows["broken.ofd"]["原因"]
    assert {rows[made.name]["状态"], rows[ofd.name]["状态"]} == {"已审核"}
    assert rows[made.name]["得分"] and rows[ofd.name]["得分"] and rows[ofd.name]["年度"] == "2023"


# --------------------------------------------------------------------------- .ofd

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _ofd(pages: list[str], *, extra: dict[str, bytes] | None = None, doc_root: str = "Doc_0/Document.xml",
         page_locations: list[str] | None = None) -> bytes:
    """An OFD package whose pages hold the given layer contents (TextObject/PathObject XML)."""
    locations = page_locations or [f"Pages/Page_{i}/Content.xml" for i in range(len(pages))]
    parts = {
        "OFD.xml": f'<ofd:OFD {NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
                   f'<ofd:Title>测试报告</ofd:Title></ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot>'
                   '</ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID>'
                              '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                              '</ofd:CommonData><ofd:Pages>'
                              + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="{loc}"/>' for i, loc in enumerate(locations))
                              + '</ofd:Pages></ofd:Document>',
    }
    for i, content in enumerate(pages):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = (f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="9">{content}'
                                                      '</ofd:Layer></ofd:Content></ofd:Page>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _text(x: float, y: float, text: str, size: float = 4, extra: str = "", code: str | None = None) -> str:
    code = code if code is not None else f'<ofd:TextCode X="0" Y="{size * 0.8}" DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode>'
    return (f'<ofd:TextObject ID="1" Boundary="{x} {y} {size * len(text)} {size}" Font="2" Size="{size}"{extra}>'
            f'{code}</ofd:TextObject>')


def _rule(x0: float, y0: float, x1: float, y1: float) -> str:
    return (f'<ofd:PathObject ID="2" Boundary="{min(x0, x1)} {min(y0, y1)} {abs(x1 - x0)} {abs(y1 - y0)}">'
            f'<ofd:AbbreviatedData>M {x0 - min(x0, x1)} {y0 - min(y0, y1)} L {x1 - min(x0, x1)} {y1 - min(y0, y1)}'
            '</ofd:AbbreviatedData></ofd:PathObject>')


def _read_ofd(data: bytes):
    from auditor.read.ofd import read_ofd

    return read_ofd("r.ofd", data)


def test_ofd_reads_as_the_pdf_it_was_made_from(ofd_samples):
    assert len(ofd_samples) == 3
    for made, source in ofd_samples:
        read, original = read_file(str(made)), read_file(str(source))
        assert read.format == "ofd" and read.positions == "page"
        assert _grids(read) == _grids(original), made.name
        assert [b.page for b in read.blocks] == [b.page for b in original.blocks]
        assert _document_json(read) == _document_json(original), made.name


def test_ofd_text_in_reading_order_and_table_cells_from_drawn_rules():
    # Written out of order; a 2 x 2 table of rules (one drawn as a thin filled box) below.
    thin_box = ('<ofd:PathObject ID="3" Boundary="99.8 40 0.4 20" Stroke="false" Fill="true">'
                '<ofd:AbbreviatedData>M 0 0 L 0.4 0 L 0.4 20 L 0 20 C</ofd:AbbreviatedData></ofd:PathObject>')
    page = "".join([
        _text(20, 20, "第二行文字"), _text(20, 10, "标题"), _text(60, 10, "年度"),
        _rule(20, 40, 160, 40), _rule(20, 50, 160, 50), _rule(20, 60, 160, 60),
        _rule(20, 40, 20, 60), thin_box, _rule(160, 40, 160, 60),
        _text(22, 42, "行政复议"), _text(102, 42, "12"), _text(22, 52, "行政诉讼"), _text(102, 52, "3"),
        # DeltaX with a "g" run and a TextCode continuing without X: one line "本年", "新收"
        _text(20, 70, "本年新收", code='<ofd:TextCode X="0" Y="3.2" DeltaX="g 1 4">本年</ofd:TextCode>'
                                       '<ofd:TextCode DeltaX="4">新收</ofd:TextCode>'),
    ])
    source = _read_ofd(_ofd([page]))
    texts = [b.text for b in source.blocks if not isinstance(b, TableBlock)]
    assert texts[0].splitlines() == ["标题 年度", "第二行文字"]
    assert tables(source)[0].rows == (("行政复议", "12"), ("行政诉讼", "3"))
    assert texts[1] == "本年新收"


def test_ofd_ctm_scales_and_moves_text():
    # CTM "2 0 0 2 10 0": twice the size, 10 mm to the right; both lines still in order.
    page = _text(0, 30, "后", extra=' CTM="2 0 0 2 10 0"') + _text(0, 10, "先")
    source = _read_ofd(_ofd([page]))
    assert source.blocks[0].text.splitlines() == ["先", "后"]


@pytest.mark.parametrize("data, words", [
    (b"not a zip at all", ["不是 OFD 文件"]),
    (b"PK\x03\x04 broken zip", ["已损坏"]),
    (None, ["缺少部件", "OFD.xml"]),
])
def test_broken_ofd_isone_chinese_line(tmp_path, data, words):
    if data is None:  # a zip without OFD.xml
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("Doc_0/Document.xml", "<x/>")
        data = out.getvalue()
    (tmp_path / "r.ofd").write_bytes(data)
    one_chinese_line(_cli(tmp_path, "audit", "r.ofd"), "r.ofd", *words)


def test_ofd_page_location_cannot_leave_the_package():
    data = _ofd([_text(10, 10, "文字")], page_locations=["../../../../etc/passwd"])
    with pytest.raises(InputError, match="缺少部件"):
        _read_ofd(data)


def test_ofd_without_text_is_refused():
    with pytest.raises(InputError, match="没有文字"):
        _read_ofd(_ofd([_rule(0, 0, 100, 0)]))


def test_ofd_entities_are_not_expanded():
    bomb = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + f']><ofd:Page {NS}><ofd:Content><ofd:Layer ID="9">'
            + _text(10, 10, "&i;") + _text(10, 20, "正文") + "</ofd:Layer></ofd:Content></ofd:Page>")
    data = _ofd([""])
    data = _replace_part(data, "Doc_0/Pages/Page_0/Content.xml", bomb.encode("utf-8"))
    # 10^9 characters if expanded. Either the entity is left unexpanded or libxml2 refuses the
    # amplification (newer versions do, before any expansion): at once, in one line.
    try:
        source = _read_ofd(data)
    except InputError as refused:
        assert "不是有效的 XML" in str(refused)
    else:
        assert "哈" not in source.blocks[0].text and "正文" in source.blocks[0].text


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, content if info.filename == name else old.read(info))
    return out.getvalue()


def test_ofd_part_and_package_caps(monkeypatch):
    from auditor.read import ofd

    padding = " " * (200 << 10)
    big_page = _text(10, 10, "文字") + f"<!--{padding}-->"
    monkeypatch.setattr(ofd, "MAX_XML_PART_BYTES", 100 << 10)
    with pytest.raises(InputError, match="解压后超过"):
        _read_ofd(_ofd([big_page]))
    monkeypatch.setattr(ofd, "MAX_XML_PART_BYTES", 16 << 20)
    monkeypatch.setattr(ofd, "MAX_UNPACKED_BYTES", 300 << 10)
    with pytest.raises(InputError, match="OFD 文件解压后超过"):
        _read_ofd(_ofd([big_page, big_page]))
    monkeypatch.setattr(ofd, "MAX_PARTS", 10)
    with pytest.raises(InputError, match="个部件"):
        _read_ofd(_ofd([""], extra={f"Res/{i}.png": b"" for i in range(20)}))


def test_ofd_page_and_object_caps(monkeypatch):
    from auditor.read import ofd

    monkeypatch.setattr(ofd, "MAX_PAGES", 3)
    with pytest.raises(InputError, match="超过 3 页"):
        _read_ofd(_ofd([_text(10, 10, "文字")] * 4))
    monkeypatch.setattr(ofd, "MAX_PAGE_OBJECTS", 50)
    with pytest.raises(InputError, match="第 1 页排出的文字和图形超过 50 个"):
        _read_ofd(_ofd([_text(10, 10, "字" * 60)]))
    monkeypatch.setattr(ofd, "MAX_RULES_PER_PAGE", 20)
    with pytest.raises(InputError, match="条线"):
        _read_ofd(_ofd(["".join(_rule(0, y, 100, y) for y in range(30)) + _text(10, 10, "文字")]))


def test_ofd_deltax_run_is_capped():
    # "g 1000000000 1": a billion advances asked for by a few bytes.
    code = '<ofd:TextCode X="0" Y="3" DeltaX="g 1000000000 1">正文两字</ofd:TextCode>'
    source = _read_ofd(_ofd([_text(10, 10, "正文两字", code=code)]))
    assert source.blocks[0].text == "正文两字"


def test_ofd_white_rules_close_cells_but_make_no_table():
    # The same 2 x 2 grid drawn in white (Word-made layouts box text lines in white): text.
    white = '<ofd:StrokeColor Value="255 255 255"/>'
    page = "".join(rule.replace("<ofd:AbbreviatedData>", white + "<ofd:AbbreviatedData>") for rule in [
        _rule(20, 40, 160, 40), _rule(20, 50, 160, 50), _rule(20, 60, 160, 60),
        _rule(20, 40, 20, 60), _rule(100, 40, 100, 60), _rule(160, 40, 160, 60)])
    page += _text(22, 42, "行政复议") + _text(102, 42, "12") + _text(22, 52, "行政诉讼") + _text(102, 52, "3")
    source = _read_ofd(_ofd([page]))
    assert not tables(source)
    assert source.blocks[0].text.splitlines() == ["行政复议 12", "行政诉讼 3"]


# ---- OFD from other writers: what GB/T 33190 allows, and what a writer gets loosely right.
# The project's own writer (corpus/formats/make_samples.py) shares the reader's reading of the
# standard; these pages are written the way other producers write them.


def test_ofd_template_pages_are_drawn_under_and_over_the_page():
    # GB/T 33190: Document/CommonData/TemplatePage, used by Page/Template@TemplateID with a ZOrder
    # (Background unless said). A letterhead and a footer line live in templates.
    template = lambda text, y: (f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="7">{_text(20, y, text)}'
                                '</ofd:Layer></ofd:Content></ofd:Page>')
    data = _ofd([""])
    document = ('<ofd:Document ' + NS + '><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID>'
                '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                '<ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
                '<ofd:TemplatePage ID="6" BaseLoc="Tpls/Tpl_1/Content.xml" ZOrder="Foreground"/>'
                '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                '</ofd:Pages></ofd:Document>')
    page = (f'<ofd:Page {NS}><ofd:Template TemplateID="5"/><ofd:Template TemplateID="6"/>'
            f'<ofd:Content><ofd:Layer ID="9">{_text(20, 40, "正文第一行")}</ofd:Layer></ofd:Content></ofd:Page>')
    data = _replace_part(data, "Doc_0/Document.xml", document.encode("utf-8"))
    data = _replace_part(data, "Doc_0/Pages/Page_0/Content.xml", page.encode("utf-8"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr("Doc_0/Tpls/Tpl_0/Content.xml", template("某某区人民政府", 20))
        new.writestr("Doc_0/Tpls/Tpl_1/Content.xml", template("第一页", 60))
    source = _read_ofd(out.getvalue())
    assert source.blocks[0].text.splitlines() == ["某某区人民政府", "正文第一行", "第一页"]


def _loose_text(box: tuple[float, float, float, float], text: str, size: float, attribute: str = "size") -> str:
    """A run written as one writer (easyofd) writes every run: at the start of its line's box
    (X 0, Y its size), its characters spread evenly over the whole line, the size attribute in
    lower case."""
    x, y, width, height = box
    return (f'<ofd:TextObject ID="1" Font="2" {attribute}="{size}" Boundary="{x} {y} {width} {height}">'
            f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(text) - 1} {width / len(text)}">{text}'
            '</ofd:TextCode></ofd:TextObject>')


def test_ofd_size_in_any_case_sets_the_line_pitch():
    # Small units (a writer's own scale, not mm) and "size" in lower case: lines 1 unit apart in
    # a 0.8 font are two lines, not one (a size read as the 3.5 mm default would join them).
    page = (_loose_text((10, 10, 4, 0.8), "第一行字", 0.8) + _loose_text((10, 11, 4, 0.8), "第二行字", 0.8))
    assert _read_ofd(_ofd([page])).blocks[0].text.splitlines() == ["第一行字", "第二行字"]
    # Without any size, the text's box gives it.
    page = page.replace(' size="0.8"', "")
    assert _read_ofd(_ofd([page])).blocks[0].text.splitlines() == ["第一行字", "第二行字"]


def test_ofd_runs_drawn_over_each_other_keep_their_own_order():
    # Three runs of one line, each spread over the line from its start: glyphs of different runs
    # fall on one another, so positions cannot order them; each run stays whole, in drawing order.
    line = (10, 20, 60, 2.3)
    page = (_loose_text(line, "国政府信息公开条例》（国令第", 2.0) + _loose_text(line, "711", 2.0)
            + _loose_text(line, "号）（以下简称《条例》）", 2.0))
    assert _read_ofd(_ofd([page])).blocks[0].text == "国政府信息公开条例》（国令第711号）（以下简称《条例》）"
    # Runs side by side (the usual case) are still ordered by position, not by drawing order.
    page = _text(60, 20, "公开") + _text(20, 20, "政府信息")
    assert _read_ofd(_ofd([page])).blocks[0].text == "政府信息 公开"


def test_ofd_figures_in_a_larger_font_stay_on_their_label_line():
    # A label in a 1.14 font and its figures in a 1.78 font, each run's baseline set from the top
    # of its own box: baselines 0.55 apart, glyphs side by side on one line.
    page = (_loose_text((23, 15.52, 11.25, 1.40), "信访举报投诉类申请", 1.143, "Size")
            + "".join(_loose_text((40.9 + 3.8 * k, 15.43, 0.89, 1.78), figure, 1.784, "Size")
                      for k, figure in enumerate("1001")))
    assert _read_ofd(_ofd([page])).blocks[0].text == "信访举报投诉类申请 1 0 0 1"


def _loose_ofd_of(pdf: Path) -> bytes:
    """The PDF as such a writer turns it into OFD: its text only (no drawn rules, so tables are
    recovered from text positions as in an unruled PDF), a run per font within each stretch of a
    line, every run spread over its stretch (_loose_text), sizes in lower case, units points
    over 200/25.4."""
    import pdfplumber

    unit = 25.4 / 200
    pages = []
    with pdfplumber.open(str(pdf)) as document:
        for page in document.pages:
            objects = []
            for line in page.extract_text_lines(layout=False, strip=True, return_chars=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                stretches: list[list[dict]] = []
                for char in chars:  # a stretch ends at a gap wider than a glyph (a table column)
                    if stretches and char["x0"] - stretches[-1][-1]["x1"] <= char["size"]:
                        stretches[-1].append(char)
                    else:
                        stretches.append([char])
                for stretch in stretches:
                    x0, x1 = stretch[0]["x0"], max(c["x1"] for c in stretch)
                    top, bottom = min(c["top"] for c in stretch), max(c["bottom"] for c in stretch)
                    for _, run in itertools.groupby(stretch, key=lambda c: (c["fontname"], round(c["size"], 1))):
                        run = list(run)
                        objects.append(_loose_text((x0 * unit, top * unit, (x1 - x0) * unit, (bottom - top) * unit),
                                                   "".join(c["text"] for c in run), run[0]["size"] * unit))
            pages.append("".join(objects))
    return _ofd(pages)


@pytest.mark.parametrize("pdf", [ROOT / "corpus" / "yunling-eco-2019.pdf",
                                 ROOT.parent / "shared" / "corpus" / "real" / "pdf" / "001.pdf"],
                         ids=lambda p: p.name)
def test_loosely_written_ofd_of_a_pdf_reads_the_same_cells(pdf):
    original = read_file(str(pdf))
    read = _read_ofd(_loose_ofd_of(pdf))
    expected = {key: value for key, value in _cells(original).items() if value is not None}
    got = _cells(read)
    assert {key: got.get(key) for key in expected} == expected


def _cells(source) -> dict:
    from auditor.structure import build_document

    document = build_document(source)
    return {f"{t}.{r}.{c}": v for t, rows in document.tables.items() for r, cols in rows.items()
            for c, v in cols.items()}


REAL_PDFS = sorted((ROOT.parent / "shared" / "corpus" / "real" / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("pdf", REAL_PDFS, ids=lambda p: p.name)
def test_real_pdf_as_ofd_reads_the_same_cells(pdf, tmp_path):
    made = samples.write_ofd(pdf, tmp_path / f"{pdf.stem}.ofd")
    read, original = read_file(str(made)), read_file(str(pdf))
    assert _grids(read) == _grids(original)
    assert _document_json(read)["tables"] == _document_json(original)["tables"]


@needs_libreoffice
def test_real_pdf_as_doc_reads_the_same_cells(tmp_path):
    # The .docx of a PDF is built from what the PDF reader read (LibreOffice cannot make Word
    # tables from a PDF), with real merged cells; LibreOffice saves it as .doc.
    sys.path.insert(0, str(ROOT / "bench"))
    from office_roundtrip import docx_of

    pdf = REAL_PDFS[0]
    original = read_file(str(pdf))
    (tmp_path / "r.docx").write_bytes(docx_of(original))
    read = read_file(str(samples.write_word97(tmp_path / "r.docx", tmp_path / "r.doc")))
    assert _grids(read) == _grids(original)
    assert _document_json(read)["tables"] == _document_json(original)["tables"]


def test_conversion_ends_when_the_process_that_started_it_is_killed(tmp_path):
    """A batch worker killed over its time budget must not leave LibreOffice running."""
    from auditor.read import legacy_word

    if legacy_word._timeout_program() is None or not sys.platform.startswith("linux"):
        pytest.skip("needs coreutils timeout and Linux's parent-death signal")
    child = tmp_path / "child.pid"
    fake = _fake_soffice(tmp_path, f"sleep 600 & echo $! > {child}\nwait")
    starter = subprocess.Popen([PYTHON, "-c", (
        "from auditor.read import legacy_word as w\n"
        f"w.soffice = lambda: {fake!r}\n"
        "w.convert_to_docx('r.doc', 'doc', b'x', 'MS Word 97')\n")],
        # Its temporary directory stays behind when it is killed: in tmp_path.
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)})
    try:
        for _ in range(300):  # until the fake converter runs
            if child.exists() and child.read_text().strip():
                break
            starter.wait(timeout=0.1) if starter.poll() is not None else __import__("time").sleep(0.1)
        pid = int(child.read_text())
        starter.kill()
        starter.wait()
        state = Path(f"/proc/{pid}/stat")
        for _ in range(300):  # the watchdog gets SIGTERM and ends the group
            if not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z":
                break
            __import__("time").sleep(0.1)
        assert not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z"
    finally:
        if starter.poll() is None:
            starter.kill()


def test_html_under_a_doc_name_is_read_as_the_page_it_is(tmp_path, monkeypatch):
    from auditor.read import legacy_word

    monkeypatch.setattr(legacy_word, "convert_to_docx", lambda *a: pytest.fail("converted"))
    page = (ROOT / "corpus" / "qingxi-county-2024.html").read_bytes()
    (tmp_path / "r.doc").write_bytes(page)
    read = read_file(str(tmp_path / "r.doc"))
    assert read.format == "html"
    assert _document_json(read)["tables"] == _document_json(read_file(str(ROOT / "corpus" / "qingxi-county-2024.html")))["tables"]
