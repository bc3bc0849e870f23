"""Hostile input files (issue 13, the read layer): refused cleanly or read with a note, never a hang,
a crash or a silent misreading. Every input is made here, small; the limits are lowered where
the real ones would need big files. Time and memory are measured in bench/hostile_inputs.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from hostile_inputs import pdf_with_pages  # noqa: E402  (the bench's hostile PDFs, made small here)

from auditor.errors import InputError
from auditor.read import docx as docx_reader
from auditor.read import pdf_limits, read_file
from auditor.read.encoding import decode_report
from auditor.read.files import FileTooLarge, read_regular_file
from auditor.structure import parse_file
from auditor.structure.gate import NotAReport

from conftest import one_chinese_line

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "qingxi-county-2023.txt"  # a complete 2021-layout report of our own


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


# --------------------------------------------------------------------------- docx: what it unpacks to


def _docx(paragraphs: int = 3, padding: int = 0) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("青溪县人民政府2023年政府信息公开工作年度报告")
    for _ in range(paragraphs):
        document.add_paragraph("一、总体情况。本机关依法主动公开政府信息。")
    buffer = io.BytesIO()
    document.save(buffer)
    if not padding:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + b"<w:p/>" * (padding // 6) + data[at:]
            dst.writestr(info.filename, data)
    return out.getvalue()


def _lie_about_size(data: bytes, member: str, stated: int) -> bytes:
    """The zip with the uncompressed size of `member` set to `stated` in both of its headers."""
    data = bytearray(data)
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            if data[at + name_at:at + name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = stated.to_bytes(4, "little")
            at += 4
    return bytes(data)


def test_docx_part_inflating_past_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_XML_PART_BYTES", 64 << 10)
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx(padding=200 << 10))  # document.xml ~200 KB, the file ~2 KB
    assert path.stat().st_size < 64 << 10
    with pytest.raises(InputError, match="word/document.xml 解压后超过"):
        read_file(str(path))


def test_docx_whose_headers_understate_a_part_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_XML_PART_BYTES", 64 << 10)
    data = _docx(padding=200 << 10)
    path = tmp_path / "liar.docx"
    path.write_bytes(_lie_about_size(data, "word/document.xml", 1024))
    with zipfile.ZipFile(path) as archive:  # the headers do say 1 KB …
        assert archive.getinfo("word/document.xml").file_size == 1024
    with pytest.raises(InputError, match="Word 文档"):  # … and the part is not read past them
        read_file(str(path))


def test_docx_parts_together_past_the_total_cap_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 40 << 10)
    path = tmp_path / "many.docx"
    path.write_bytes(_docx(padding=30 << 10))  # each part under its own cap, together over 40 KB
    with pytest.raises(InputError, match="解压后超过"):
        read_file(str(path))


def test_docx_within_the_caps_is_read(tmp_path):
    path = tmp_path / "ok.docx"
    path.write_bytes(_docx(padding=10 << 10))
    assert "总体情况" in read_file(str(path)).blocks[0].text


# --------------------------------------------------------------------------- pdf: what it decodes to


_TEXT = b"BT /F1 12 Tf 72 720 Td (Government information disclosure annual report) Tj ET\n"


def test_pdf_page_inflating_past_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_PAGE_BYTES", 100 << 10)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_pages(_TEXT + b" " * (1 << 20)))  # a 1 MB content stream in a ~2 KB file
    with pytest.raises(InputError, match="第 1 页的内容解压后超过"):
        read_file(str(path))


def test_pdf_pages_together_past_the_document_cap_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_DOCUMENT_BYTES", 150 << 10)
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf_with_pages(*[_TEXT + b" " * (60 << 10)] * 3))  # each page well under the page cap
    with pytest.raises(InputError, match="PDF 的内容解压后超过"):
        read_file(str(path))


def test_pdf_runlength_past_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_PAGE_BYTES", 100 << 10)
    path = tmp_path / "rl.pdf"
    path.write_bytes(pdf_with_pages(b"\x81 " * 10_000 + b"\x80", filter_name="RunLengthDecode", encoded=True))  # 1.28 MB
    with pytest.raises(InputError, match="解压后超过"):
        read_file(str(path))


def test_pdf_page_with_too_many_characters_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_PAGE_OBJECTS", 1000)
    path = tmp_path / "chars.pdf"
    path.write_bytes(pdf_with_pages(b"BT /F1 1 Tf 0 0 Td (" + b"A" * 5000 + b") Tj ET"))
    with pytest.raises(InputError, match="文字和图形超过 1000 个"):
        read_file(str(path))


def test_bounded_decoders_decode_as_pdfminer_does():
    pdf_limits._install()
    original = pdf_limits.ORIGINALS["decompress_corrupted"]
    data = os.urandom(3000) + b"report " * 500
    packed = zlib.compress(data)
    assert pdf_limits.inflate(packed) == zlib.decompress(packed)
    for damaged in (packed[:-2] + b"xx", packed[:-4], packed[:len(packed) // 2]):
        assert pdf_limits.inflate_damaged(damaged) == original(damaged)
    runs = bytes([2]) + b"abc" + bytes([200]) + b"z" + bytes([0]) + b"q" + bytes([128])
    assert pdf_limits.run_length(runs) == pdf_limits.ORIGINALS["rldecode"](runs)


def test_budget_outside_a_read_is_unlimited():
    data = b"\0" * (3 << 20)
    assert pdf_limits.inflate(zlib.compress(data)) == data


# --------------------------------------------------------------------------- special files


def test_symlink_to_dev_zero_is_refused_without_reading(tmp_path):
    link = tmp_path / "report.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="字符设备"):
        read_file(str(link))
    one_chinese_line(_cli("audit", "report.txt", cwd=tmp_path), "report.txt", "不是普通文件")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="命名管道"):
        read_file(str(fifo))


def test_symlink_loop_is_one_line(tmp_path):
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    one_chinese_line(_cli("audit", "a.txt", cwd=tmp_path), "a.txt", "符号链接循环")


def test_bounded_read_stops_past_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    assert read_regular_file(str(path), 5000) == b"x" * 5000
    with pytest.raises(FileTooLarge):
        read_regular_file(str(path), 4999)
    link = tmp_path / "link.txt"
    link.symlink_to(path)  # a symlink to a regular file is read as the file
    assert len(read_regular_file(str(link), 5000)) == 5000


def test_file_with_no_stated_size_is_still_bounded():
    # /proc files are regular with st_size 0, and as long as their content.
    with pytest.raises(FileTooLarge):
        read_regular_file("/proc/self/maps", 10)


# --------------------------------------------------------------------------- charsets and broken text

BAD_CHARSETS = ["rot13", "base64", "zlib", "hex", "uu", "quopri", "punycode", "idna", "no-such-charset"]


@pytest.mark.parametrize("charset", BAD_CHARSETS)
def test_declared_charset_that_is_not_a_text_encoding_is_ignored(tmp_path, charset):
    page = (f'<html><head><meta charset="{charset}"></head><body><p>一、总体情况</p>'
            f"<p>本机关全年主动公开政府信息1486条。</p></body></html>").encode("gbk")
    path = tmp_path / "page.html"
    path.write_bytes(page)
    source = read_file(str(path))
    assert source.encoding == "gb18030"
    assert "主动公开政府信息" in "".join(b.text for b in source.blocks)
    [note] = source.notes
    assert note.kind == "charset_ignored" and charset in note.message


def test_utf8_cut_mid_character_is_read_with_a_note(tmp_path):
    data = SAMPLE.read_bytes()
    lead = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xE0)
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:lead + 2])  # the lead byte and one continuation byte of a character
    doc = parse_file(str(path))
    assert doc.encoding == "utf-8"
    [note] = [d for d in doc.diagnostics if d.kind == "bytes_replaced"]
    assert note.detail["bytes"] == 2 and note.detail["truncated"]
    assert f"第 {lead + 1} 字节" in note.message and "截断" in note.message


def test_utf8_with_bom_cut_mid_character_is_read(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "一、总体情况\n政府信息公开".encode() + "开".encode()[:1])
    source = read_file(str(path))
    assert source.encoding == "utf-8-sig" and source.notes[0].detail["bytes"] == 1


def test_many_broken_bytes_are_still_refused():
    with pytest.raises(InputError):
        decode_report("x.txt", bytes(range(128, 256)) * 50)


# --------------------------------------------------------------------------- encrypted PDF


def _encrypted_reportlab_pdf(user_password: str | None) -> bytes:
    """Our sample's first lines in STSong-Light; RC4-encrypted by reportlab unless the password is None."""
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    encrypt = None if user_password is None else pdfencrypt.StandardEncryption(user_password, ownerPassword="owner")
    pdf = canvas.Canvas(out, encrypt=encrypt)
    pdf.setFont("STSong-Light", 12)
    for i, line in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines()[:12]):
        pdf.drawString(30, 800 - 20 * i, line[:40])
    pdf.save()
    return out.getvalue()


def test_pdf_encrypted_with_empty_password_is_read(tmp_path):
    path = tmp_path / "open.pdf"
    path.write_bytes(_encrypted_reportlab_pdf(""))
    source = read_file(str(path))
    assert "政府信息公开工作年度报告" in source.blocks[0].text
    [note] = source.notes
    assert note.kind == "pdf_decrypted" and note.detail["fonts_repaired"] == 1


def test_pdf_encrypted_with_empty_password_by_pypdf_is_read(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_encrypted_reportlab_pdf(None))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "open.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert "政府信息公开" in read_file(str(path)).blocks[0].text


def test_pdf_that_needs_a_password_says_so(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_reportlab_pdf("secret"))
    with pytest.raises(InputError, match="PDF 已加密，需要密码"):
        read_file(str(path))


# --------------------------------------------------------------------------- numbers in table cells


def _audit_tables(text: str, tmp_path):
    from auditor.checks import run_checks
    from auditor.rules.loader import load_rules

    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_file(str(path))
    rules = [r for r in load_rules() if r.kind == "identity"]
    return doc, run_checks(doc, rules).findings


def test_scientific_notation_in_a_cell_is_unreadable_not_one(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("申请数量\t\t\t31\t", "申请数量\t\t\t1e5\t", 1)
    doc, findings = _audit_tables(text, tmp_path)
    assert doc.tables["applications"]["new_received"]["natural_person"] is None
    assert doc.tables["applications"]["new_received"]["commercial"] == 4  # the row is not shifted
    [note] = [d for d in doc.diagnostics if d.kind == "cell_unreadable"]
    assert note.cells == ("applications.new_received.natural_person",) and "1e5" in note.message
    assert [f.rule for f in findings if "1e5" in f.message] == ["TBL-SPLIT-APPLICATIONS"]
    # An unreadable cell is not a blank the report left, nor a term of an identity.
    assert not any(f.rule == "TBL-BLANK" or "applications.new_received.natural_person" in f.cells
                   for f in findings if f.rule != "TBL-SPLIT-APPLICATIONS")


def test_huge_exponent_in_table_2_is_unreadable(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("行政许可\t3862", "行政许可\t1e308", 1)
    doc, findings = _audit_tables(text, tmp_path)
    assert doc.tables["active"]["licensing"]["decisions"] is None
    assert any(f.rule == "TBL-SPLIT" and "1e308" in f.message for f in findings)


@pytest.mark.parametrize("printed", ["1E+5", "0x1F", "12abc", "3.5e-2"])
def test_cells_printed_like_numbers_are_not_numbers(printed):
    from auditor.structure.tables.cells import grid_items
    from auditor.structure.tables.split import to_number

    assert grid_items(("行政许可", printed)) == [("label", "行政许可", False), ("bad", printed, False)]
    assert to_number(printed) is None


def test_negative_figure_in_table_2_is_an_error(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("行政处罚\t1275", "行政处罚\t-1275", 1)
    doc, findings = _audit_tables(text, tmp_path)
    [finding] = [f for f in findings if f.rule == "TBL-NEG-ACTIVE"]
    assert finding.severity == "error"
    assert finding.cells == ("active.punishment.decisions",) and finding.evidence == {"value": -1275}


def test_2008_table_with_a_huge_figure_does_not_crash(tmp_path):
    text = ("某县人民政府2012年政府信息公开工作年度报告\n一、概述\n本县2012年政府信息公开工作情况如下。\n"
            "政府信息公开情况统计表\n指标名称 计量单位 2012年度 历年累计\n主动公开文件数 条 " + "7" * 5000 +
            "\n其中：1、政府网站公开数 条 5 6\n2、政府公报公开数 条 1e5 0\n行政复议数 件 0 0\n")
    doc, _ = _audit_tables(text, tmp_path)
    table = doc.tables["statistics_2008"]
    assert table["active_total"] == {"year": None, "cumulative": None}
    assert table["active_gazette"] == {"year": None, "cumulative": None}  # "1e5" is not 1
    assert table["active_website"] == {"year": 5, "cumulative": 6}


# --------------------------------------------------------------------------- not a report at all


def test_one_byte_file_is_not_a_report(tmp_path):
    (tmp_path / "x.txt").write_bytes(b"x")
    with pytest.raises(NotAReport, match="不像政府信息公开工作年度报告"):
        parse_file(str(tmp_path / "x.txt"))
    one_chinese_line(_cli("audit", "x.txt", cwd=tmp_path), "x.txt", "不像政府信息公开工作年度报告")


def test_etc_passwd_is_not_a_report(tmp_path):
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd")
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    with pytest.raises(NotAReport, match="没有中文文字"):
        parse_file(str(tmp_path / "passwd.txt"))


def test_unrelated_chinese_text_is_not_a_report(tmp_path):
    (tmp_path / "novel.txt").write_text("今天天气很好，我们去公园散步，看到很多花。" * 20, encoding="utf-8")
    with pytest.raises(NotAReport):
        parse_file(str(tmp_path / "novel.txt"))


def test_a_short_excerpt_of_a_report_is_a_report(tmp_path):
    (tmp_path / "excerpt.txt").write_text("本机关依法做好政府信息公开工作。", encoding="utf-8")
    assert parse_file(str(tmp_path / "excerpt.txt")).text


def test_every_shared_report_and_excerpt_is_a_report(shared):
    files = sorted(p for folder in ("full", "partial", "pdf", "docx") for p in (shared / "real" / folder).iterdir()
                   if p.suffix in (".txt", ".html", ".pdf", ".docx", ".md"))
    files += sorted((shared / "seed").glob("*.txt"))
    files += sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx", ".md"))
    assert len(files) > 90
    for path in files:
        parse_file(str(path))  # raises NotAReport (an InputError) if refused
