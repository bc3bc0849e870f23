"""Hostile inputs (issue 13: never hang, never crash, never lose a result), each run in a bounded child.

Every case of the registry below is generated into its own temp dir and run as `auditor audit` or
`auditor batch` in a subprocess with a wall-time limit (60 s, the process group is killed past
it) and an address-space limit (RLIMIT_AS 4 GB in the child). The peak memory of the child tree
is measured two ways: ru_maxrss from os.wait4 (the largest single process of the tree, reaped
children included) and the sum of RSS over the tree, sampled with psutil every 50 ms.

A case is handled cleanly when the command exits with one of the statuses the case expects (all
within 0/1/2), with no traceback on stderr, with exactly one Chinese line on stderr when
`audit` exits 2 (every stderr line Chinese for `batch`), within the limits, and the case's own
check (if any) passes — e.g. the CSV cell of a title starting with "=" is neutralised.

The cases cover every input class of issue 13. Part A (the read layer: decompression caps,
special files, charsets, truncated UTF-8, encrypted PDF, numbers in cells, non-reports), part B
(regex linearity, rule patterns, YAML aliases, empty rules_dir, auditor.toml directory, CSV
injection) and part C (batch: GBK file names, /dev/zero in a batch) are fixed on separate
branches: until all three are merged, the other parts' cases are expected to fail. Part D holds
the formats of issue 15 (.doc/.wps through LibreOffice, .ofd): a corrupt .doc, zip, XML, entity,
page and path bombs in .ofd.

    python bench/hostile_inputs.py [--only SUBSTRING] [--part A|B|C|D] [--timeout 60] [--keep] [--list]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "qingxi-county-2023.txt"  # a complete 2021-layout report of our own
SAMPLE_DOCX = ROOT / "corpus" / "qingxi-natres-2023.docx"
MEMORY_LIMIT = 4 << 30
_CJK = re.compile(r"[\u3400-\u9fff]")


# --------------------------------------------------------------------------- the registry


@dataclass
class Case:
    name: str
    part: str  # "A", "B" or "C": the part of issue 13 that fixes this class; "D": issue 15's formats
    what: str
    build: Callable[[Path], list[str]]  # writes the inputs into the dir, returns the auditor arguments
    expect: frozenset = frozenset({0, 1, 2})
    # Extra condition on the result: a problem (in words) or None.
    check: Callable[[Path, str, str], str | None] | None = None
    needs: tuple[str, ...] = ()  # modules the builder imports (the case is skipped without them)


CASES: list[Case] = []


def case(name: str, part: str, what: str, expect=(0, 1, 2), check=None, needs=()):
    def register(build):
        CASES.append(Case(name, part, what, build, frozenset(expect), check, tuple(needs)))
        return build
    return register


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def write(directory: Path, name: str, data: bytes | str) -> Path:
    path = directory / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ------------------------------------------------------------- control


@case("control-real-report", "A", "a complete report of our own: the baseline time and memory", expect=(0, 1))
def _(d):
    shutil.copy(SAMPLE, d / "report.txt")
    return ["audit", "report.txt"]


# ------------------------------------------------------------- part A: decompression caps


@case("docx-xml-bomb", "A", "a ~0.9 MB .docx whose document.xml inflates to 240 MB", expect=(2,))
def _(d):
    write(d, "bomb.docx", docx_with_body_padding(240_000_000))
    return ["audit", "bomb.docx"]


@case("docx-lying-header", "A", "a .docx whose zip headers state 1 KB for a part that inflates to 100 MB", expect=(2,))
def _(d):
    write(d, "liar.docx", docx_lying_about_sizes(100_000_000))
    return ["audit", "liar.docx"]


@case("pdf-flate-bomb", "A", "a ~2 MB PDF whose page content inflates to 2 GB", expect=(2,))
def _(d):
    write(d, "bomb.pdf", pdf_with_pages(b" " * 2_000_000_000))
    return ["audit", "bomb.pdf"]


@case("pdf-runlength-bomb", "A", "a 2 MB PDF whose RunLength content decodes to 128 MB", expect=(2,))
def _(d):
    write(d, "rl.pdf", pdf_with_pages(b"\x81 " * 1_000_000 + b"\x80", encoded=True, filter_name="RunLengthDecode"))
    return ["audit", "rl.pdf"]


@case("pdf-many-characters", "A", "a 1 KB PDF whose one page shows 300,000 characters", expect=(2,))
def _(d):
    write(d, "chars.pdf", pdf_with_pages(b"BT /F1 1 Tf 0 0 Td (" + b"A" * 300_000 + b") Tj ET"))
    return ["audit", "chars.pdf"]


# ------------------------------------------------------------- part A: special files


@case("symlink-to-dev-zero", "A", "report.txt -> /dev/zero (stat size 0, endless content)", expect=(2,))
def _(d):
    os.symlink("/dev/zero", d / "report.txt")
    return ["audit", "report.txt"]


@case("fifo", "A", "report.txt is a FIFO nobody writes to (open would block)", expect=(2,))
def _(d):
    os.mkfifo(d / "report.txt")
    return ["audit", "report.txt"]


@case("symlink-to-proc", "A", "status.txt -> /proc/self/status (regular, size 0, not a report)", expect=(2,))
def _(d):
    os.symlink("/proc/self/status", d / "status.txt")
    return ["audit", "status.txt"]


@case("symlink-loop", "A", "a.txt -> b.txt -> a.txt", expect=(2,))
def _(d):
    os.symlink("b.txt", d / "a.txt")
    os.symlink("a.txt", d / "b.txt")
    return ["audit", "a.txt"]


# ------------------------------------------------------------- part A: charsets and broken text


for _charset in ("rot13", "base64", "zlib", "hex", "uu", "quopri", "punycode", "idna", "bogus-charset"):
    def _build(d, charset=_charset):
        write(d, "page.html", report_page(charset))
        return ["audit", "page.html"]
    case(f"html-charset-{_charset}", "A", f"a GBK page declaring charset={_charset}", expect=(0, 1))(_build)


@case("utf8-truncated-mid-character", "A", "a UTF-8 report cut in the middle of a character", expect=(0, 1))
def _(d):
    data = sample_text().encode("utf-8")
    lead = next(i for i in range(len(data) * 2 // 3, len(data)) if data[i] >= 0xE0)  # a 3-byte character
    write(d, "cut.txt", data[:lead + 2])  # its lead byte and one of its two continuation bytes
    return ["audit", "cut.txt"]


@case("pdf-encrypted-empty-password", "A", "a PDF encrypted with an empty user password (reportlab)",
      expect=(0, 1), needs=("reportlab",))
def _(d):
    write(d, "open.pdf", encrypted_pdf(""))
    return ["audit", "open.pdf"]


@case("pdf-encrypted-with-password", "A", "a PDF that needs a password", expect=(2,), needs=("reportlab",),
      check=lambda d, out, err: None if "需要密码" in err else "the message does not say a password is needed")
def _(d):
    write(d, "locked.pdf", encrypted_pdf("secret"))
    return ["audit", "locked.pdf"]


# ------------------------------------------------------------- part A: numbers in cells


def _cell_check(rule_or_note: str):
    def check(d, out, err):
        return None if rule_or_note in out else f"{rule_or_note} not reported"
    return check


@case("cell-1e5", "A", "\"1e5\" in a cell of table 三", expect=(0, 1), check=_cell_check("1e5"))
def _(d):
    write(d, "r.txt", sample_text().replace("申请数量\t\t\t31\t", "申请数量\t\t\t1e5\t", 1))
    return ["audit", "r.txt", "--format", "json"]


@case("cell-1e308", "A", "\"1e308\" in a cell of table 二", expect=(0, 1), check=_cell_check("1e308"))
def _(d):
    write(d, "r.txt", sample_text().replace("行政许可\t3862", "行政许可\t1e308", 1))
    return ["audit", "r.txt", "--format", "json"]


@case("cell-negative-table-2", "A", "a negative count in table 二", expect=(1,), check=_cell_check("TBL-NEG-ACTIVE"))
def _(d):
    write(d, "r.txt", sample_text().replace("行政处罚\t1275", "行政处罚\t-1275", 1))
    return ["audit", "r.txt", "--format", "json"]


@case("table-2008-digit-run", "A", "a 2008-layout statistics table with a 5,000-digit figure (int() limit)", expect=(0, 1))
def _(d):
    write(d, "r.txt", "某县人民政府2012年政府信息公开工作年度报告\n一、概述\n本县2012年政府信息公开工作情况如下。\n"
                      "政府信息公开情况统计表\n指标名称 计量单位 2012年度 历年累计\n主动公开文件数 条 " + "7" * 5000 +
                      "\n其中：1、政府网站公开数 条 5 6\n2、政府公报公开数 条 1 0\n行政复议数 件 0 0\n")
    return ["audit", "r.txt"]


# ------------------------------------------------------------- part A: not a report


@case("one-byte-file", "A", "a file holding one byte", expect=(2,))
def _(d):
    write(d, "x.txt", b"x")
    return ["audit", "x.txt"]


@case("etc-passwd", "A", "passwd.txt -> /etc/passwd", expect=(2,))
def _(d):
    os.symlink("/etc/passwd", d / "passwd.txt")
    return ["audit", "passwd.txt"]


# ------------------------------------------------------------- part B


@case("digit-run-40000", "B", "a 106 KB report holding a run of 40,000 digits", expect=(0, 1))
def _(d):
    text = sample_text()
    at = text.index("二、主动公开政府信息情况")
    write(d, "digits.txt", text[:at] + "7" * 40_000 + "\n" + text[at:] + "政务公开。" * ((106_000 - 40_000 - len(text.encode())) // 15))
    return ["audit", "digits.txt"]


@case("rule-pattern-catastrophic", "B", "a rules_dir with a pattern rule (a+)+$ and a report that triggers it")
def _(d):
    rules = d / "rules"
    rules.mkdir()
    write(rules, "mine.yaml", 'rules:\n  - id: TST-REDOS\n    kind: pattern\n    category: vague\n    severity: warning\n'
                              '    message: "“{match}”"\n    rationale: 测试。\n    params: {regex: "(a+)+$"}\n'
                              '    examples:\n      - text: "aaa"\n        expect: 1\n')
    write(d, "auditor.toml", 'rules_dir = "rules"\n')
    write(d, "r.txt", sample_text().replace("一、总体情况", "一、总体情况\n" + "a" * 40 + "!", 1))
    return ["audit", "r.txt"]


@case("rule-yaml-alias-bomb", "B", "a rules file that is a YAML alias bomb (billion laughs)", expect=(2,))
def _(d):
    rules = d / "rules"
    rules.mkdir()
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    lines.append("rules: *i")
    write(rules, "bomb.yaml", "\n".join(lines) + "\n")
    write(d, "auditor.toml", 'rules_dir = "rules"\n')
    shutil.copy(SAMPLE, d / "r.txt")
    return ["audit", "r.txt"]


@case("rules-dir-empty", "B", "rules_dir names an empty directory (no rules: nothing would be checked)", expect=(2,))
def _(d):
    (d / "rules").mkdir()
    write(d, "auditor.toml", 'rules_dir = "rules"\n')
    shutil.copy(SAMPLE, d / "r.txt")
    return ["audit", "r.txt"]


@case("auditor-toml-directory", "B", "auditor.toml beside the report is a directory",
      check=lambda d, out, err: None if "auditor.toml" in err else "auditor.toml is silently ignored")
def _(d):
    (d / "auditor.toml").mkdir()
    shutil.copy(SAMPLE, d / "r.txt")
    return ["audit", "r.txt"]


def _csv_neutralised(d, out, err):
    csv_path = d / "out" / "reports.csv"
    if not csv_path.exists():
        return "no reports.csv"
    import csv

    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(?:\.\d+)?", cell):
                    return f"formula-like CSV cell {cell[:30]!r}"
    return None


@case("csv-formula-title", "B", "batch: a report whose title starts with \"=\" written to reports.csv", expect=(0,),
      check=_csv_neutralised)
def _(d):
    reports = d / "reports"
    reports.mkdir()
    text = sample_text()
    write(reports, "r.txt", '=HYPERLINK("http://example.invalid")' + text)
    return ["batch", "reports", "--out", "out", "--workers", "1", "--no-pages"]


# ------------------------------------------------------------- part C


@case("batch-gbk-file-name", "C", "batch: a report whose file name is GBK bytes, not UTF-8", expect=(0,))
def _(d):
    reports = d / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE, os.path.join(os.fsencode(reports), "报告".encode("gbk") + b".txt"))
    return ["batch", "reports", "--out", "out", "--workers", "1", "--no-pages"]


def _other_report_kept(d, out, err):
    csv_path = d / "out" / "reports.csv"
    if not csv_path.exists():
        return "no reports.csv"
    return None if "good." in csv_path.read_text(encoding="utf-8-sig") else "the readable report was lost"


@case("batch-dev-zero", "C", "batch: a symlink to /dev/zero beside a good report", expect=(2,), check=_other_report_kept)
def _(d):
    reports = d / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE, reports / "good.txt")
    os.symlink("/dev/zero", reports / "zero.txt")
    return ["batch", "reports", "--out", "out", "--workers", "1", "--no-pages"]


# ------------------------------------------------------------- formats of issue 15 (.doc/.wps/.ofd)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@case("doc-garbage", "D", "a .doc: the compound-file signature, then 64 KB of noise (LibreOffice converts)", expect=(2,))
def _(d):
    write(d, "broken.doc", OLE_MAGIC + bytes((i * 7919) % 251 for i in range(65536)))
    return ["audit", "broken.doc"]


@case("doc-truncated", "D", "a real Word 97 .doc (LibreOffice-made) cut to a third", expect=(2,))
def _(d):
    made = _word97(d)
    write(d, "cut.doc", made.read_bytes()[:made.stat().st_size // 3])
    return ["audit", "cut.doc"]


@case("wps-not-word", "D", "a .wps that is plain text", expect=(2,))
def _(d):
    write(d, "r.wps", sample_text())
    return ["audit", "r.wps"]


@case("batch-corrupt-doc", "D", "batch: a truncated .doc beside a good .doc", expect=(2,), check=_other_report_kept)
def _(d):
    reports = d / "reports"
    reports.mkdir()
    made = _word97(d)
    shutil.copy(made, reports / "good.doc")
    write(reports, "broken.doc", made.read_bytes()[:4000])
    return ["batch", "reports", "--out", "out", "--workers", "1", "--no-pages"]


@case("ofd-xml-bomb", "D", "a ~0.3 MB .ofd whose page inflates to 240 MB", expect=(2,))
def _(d):
    write(d, "bomb.ofd", ofd_package('<ofd:TextObject ID="1" Boundary="0 0 10 10" Size="4"><ofd:TextCode X="0" Y="3">'
                                      "正文</ofd:TextCode></ofd:TextObject><!--" + " " * 240_000_000 + "-->"))
    return ["audit", "bomb.ofd"]


@case("ofd-many-rules", "D", "a .ofd page with one path of 300,000 segments", expect=(2,))
def _(d):
    write(d, "rules.ofd", ofd_package('<ofd:PathObject ID="1" Boundary="0 0 200 200"><ofd:AbbreviatedData>'
                                      + " ".join(f"M 0 {i % 200} L 200 {i % 200}" for i in range(300_000))
                                      + "</ofd:AbbreviatedData></ofd:PathObject>"))
    return ["audit", "rules.ofd"]


@case("ofd-deltax-run", "D", 'a .ofd TextCode with DeltaX "g 1000000000 1"', expect=(2,))
def _(d):
    write(d, "g.ofd", ofd_package('<ofd:TextObject ID="1" Boundary="0 0 10 10" Size="4"><ofd:TextCode X="0" Y="3" '
                                  'DeltaX="g 1000000000 1">正文</ofd:TextCode></ofd:TextObject>'))
    return ["audit", "g.ofd"]


@case("ofd-long-textcode", "D", "a .ofd page with one TextCode of 3 million characters", expect=(2,))
def _(d):
    write(d, "long.ofd", ofd_package('<ofd:TextObject ID="1" Boundary="0 0 10 10" Size="4"><ofd:TextCode X="0" Y="3">'
                                     + "字" * 3_000_000 + "</ofd:TextCode></ofd:TextObject>"))
    return ["audit", "long.ofd"]


@case("ofd-many-pages", "D", "a .ofd whose Document.xml lists 100,000 pages", expect=(2,))
def _(d):
    write(d, "pages.ofd", ofd_package("", pages=100_000))
    return ["audit", "pages.ofd"]


@case("ofd-entity-bomb", "D", "a .ofd page with nested XML entities (a billion characters if expanded)", expect=(2,))
def _(d):
    entities = '<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    write(d, "lol.ofd", ofd_package('<ofd:TextObject ID="1" Boundary="0 0 10 10" Size="4"><ofd:TextCode X="0" Y="3">'
                                    "&i;</ofd:TextCode></ofd:TextObject>", doctype=f"<!DOCTYPE p [{entities}]>"))
    return ["audit", "lol.ofd"]


def _word97(d: Path) -> Path:
    """The sample .docx saved as a Word 97 .doc by LibreOffice (corpus/formats/make_samples.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("format_samples", ROOT / "corpus" / "formats" / "make_samples.py")
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    return samples.write_word97(SAMPLE_DOCX, d / "made" / "sample.doc")


def ofd_package(layer: str, pages: int = 1, doctype: str = "") -> bytes:
    """An OFD package whose first page's layer holds `layer`; `pages` pages listed in Document.xml."""
    import io

    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                                    '</ofd:DocBody></ofd:OFD>')
        archive.writestr("Doc_0/Document.xml", f"<ofd:Document {ns}><ofd:Pages>"
                         + '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>' * pages
                         + "</ofd:Pages></ofd:Document>")
        archive.writestr("Doc_0/Pages/Page_0/Content.xml",
                         f'<?xml version="1.0"?>{doctype}<ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{layer}'
                         "</ofd:Layer></ofd:Content></ofd:Page>")
    return out.getvalue()


# --------------------------------------------------------------------------- generators


def docx_with_body_padding(size: int) -> bytes:
    """Our sample .docx with `size` bytes of small paragraphs added to word/document.xml."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(SAMPLE_DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                paragraph = b"<w:p><w:r><w:t>" + "政务公开".encode() * 50 + b"</w:t></w:r></w:p>"
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + paragraph * (size // len(paragraph)) + data[at:]
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def docx_lying_about_sizes(size: int) -> bytes:
    """A .docx whose document.xml holds `size` bytes but whose zip headers say 1,024."""
    data = bytearray(docx_with_body_padding(size))
    name = b"word/document.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            if data[at + name_at:at + name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (1024).to_bytes(4, "little")
            at += 4
    return bytes(data)


def pdf_with_pages(*contents: bytes, encoded: bool = False, filter_name: str = "FlateDecode") -> bytes:
    """A PDF (Helvetica) with one page per content stream, each Flate-compressed unless `encoded`
    (then written as is under `filter_name`). tests/test_hostile_inputs.py uses it too."""
    pages = len(contents)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)).encode()
    font = 3 + 2 * pages
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    for i, content in enumerate(contents):
        stream = content if encoded else zlib.compress(content, 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >>"
                       b" /Contents %d 0 R >>" % (font, 4 + 2 * i))
        objects.append(b"<< /Length %d /Filter /%s >>\nstream\n" % (len(stream), filter_name.encode())
                       + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf(user_password: str) -> bytes:
    """Our sample report's first lines as a reportlab PDF (STSong-Light), RC4-128 encrypted."""
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner"))
    y = 800
    for line in sample_text().splitlines()[:40]:
        if y < 40:
            pdf.showPage()
            y = 800
        pdf.setFont("STSong-Light", 11)
        pdf.drawString(30, y, line[:48])
        y -= 18
    pdf.save()
    return out.getvalue()


def report_page(charset: str) -> bytes:
    """Our sample report as a GBK web page declaring `charset`."""
    body = "".join(f"<p>{line}</p>\n" for line in sample_text().splitlines() if line.strip())
    return (f'<html><head><meta charset="{charset}"><title>青溪县人民政府2023年政府信息公开工作年度报告</title>'
            f"</head><body><div>{body}</div></body></html>").encode("gbk")


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    case: Case
    command: str = ""  # audit | batch
    status: int | None = None  # exit status; None when killed at the time limit
    seconds: float = 0.0
    peak_kb: int = 0  # ru_maxrss of the child tree (largest process)
    tree_kb: int = 0  # sampled sum of RSS over the child tree
    stderr: str = ""
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def clean(self) -> bool:
        return self.skipped is None and not self.problems


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case(case: Case, timeout: float, keep: bool) -> Outcome:
    outcome = Outcome(case)
    for module in case.needs:
        try:
            __import__(module)
        except ImportError:
            outcome.skipped = f"needs {module}"
            return outcome
    work = Path(tempfile.mkdtemp(prefix=f"hostile-{case.name}-"))
    try:
        args = case.build(work)
        outcome.command = args[0]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
        with open(work / ".stdout", "wb") as out, open(work / ".stderr", "wb") as err:
            started = time.monotonic()
            child = subprocess.Popen([sys.executable, "-m", "auditor.cli", *args], cwd=work, stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, env=env, preexec_fn=_limit_child,
                                     start_new_session=True)
            outcome.status, outcome.peak_kb, outcome.tree_kb = _wait(child.pid, started, timeout)
            outcome.seconds = time.monotonic() - started
        stdout = (work / ".stdout").read_bytes().decode("utf-8", "replace")
        outcome.stderr = (work / ".stderr").read_bytes().decode("utf-8", "replace")
        outcome.problems = _judge(case, outcome, stdout, work, timeout)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"  (kept {work})", file=sys.stderr)
    return outcome


def _wait(pid: int, started: float, timeout: float) -> tuple[int | None, int, int]:
    """Wait for the child, sampling its tree's RSS; kill its process group past `timeout`.
    Returns (exit status or None when killed, ru_maxrss KB, sampled tree RSS KB)."""
    import psutil

    tree_kb = 0
    killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        try:
            parent = psutil.Process(pid)
            members = [parent, *parent.children(recursive=True)]
            tree_kb = max(tree_kb, sum(_rss(p) for p in members) // 1024)
        except psutil.Error:
            pass
        if not killed and time.monotonic() - started > timeout:
            os.killpg(pid, signal.SIGKILL)  # the group of the child we started, and only it
            killed = True
        time.sleep(0.05)
    return (None if killed else os.waitstatus_to_exitcode(status)), usage.ru_maxrss, tree_kb


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # noqa: BLE001 - a process that ended between listing and asking
        return 0


def _judge(case: Case, outcome: Outcome, stdout: str, work: Path, timeout: float) -> list[str]:
    problems = []
    err = outcome.stderr
    lines = [line for line in err.splitlines() if line.strip()]
    if outcome.status is None:
        problems.append(f"killed after {timeout:.0f} s")
    elif outcome.status < 0:
        problems.append(f"killed by signal {-outcome.status}")
    elif outcome.status not in case.expect:
        problems.append(f"exit {outcome.status}, expected {'/'.join(map(str, sorted(case.expect)))}")
    if "Traceback" in err:
        problems.append("traceback on stderr")
    if outcome.status == 2 and "Traceback" not in err:
        # `audit` says why in one line; `batch` adds its summary and the list of failed files.
        if outcome.command == "audit" and len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, expected one")
        if any(not _CJK.search(line) for line in lines):
            problems.append("a stderr line that is not Chinese")
    if max(outcome.peak_kb, outcome.tree_kb) * 1024 > MEMORY_LIMIT:
        problems.append("over 4 GB")
    if case.check is not None and outcome.status is not None:
        problem = case.check(work, stdout, err)
        if problem:
            problems.append(problem)
    return problems


# --------------------------------------------------------------------------- report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--part", choices=("A", "B", "C", "D"), help="run one part's cases")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--keep", action="store_true", help="keep each case's temp dir")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args()
    cases = [c for c in CASES if (not args.only or args.only in c.name) and (not args.part or c.part == args.part)]
    if args.list:
        for c in cases:
            print(f"{c.part}  {c.name:32} {c.what}")
        return 0
    outcomes = []
    for c in cases:
        print(f"… {c.name}", file=sys.stderr, flush=True)
        outcomes.append(run_case(c, args.timeout, args.keep))
    ran = [o for o in outcomes if o.skipped is None]
    clean = [o for o in ran if o.clean]
    print(f"{'case':32} part exit  time(s)  peak(MB)  tree(MB)  verdict")
    for o in outcomes:
        status = "-" if o.skipped else ("kill" if o.status is None else str(o.status))
        verdict = f"skipped ({o.skipped})" if o.skipped else ("clean" if o.clean else "NOT CLEAN: " + "; ".join(o.problems))
        print(f"{o.case.name:32} {o.case.part:4} {status:>4} {o.seconds:8.1f} {o.peak_kb / 1024:9.0f} "
              f"{o.tree_kb / 1024:9.0f}  {verdict}")
        first = next((line for line in o.stderr.splitlines() if line.strip()), "")
        if first:
            print(f"{'':38}stderr: {first[:110]}")
    print()
    print(f"inputs tried {len(ran)} / handled cleanly {len(clean)}"
          + (f" ({len(outcomes) - len(ran)} skipped)" if len(outcomes) > len(ran) else ""))
    if ran:
        slowest = max(ran, key=lambda o: o.seconds)
        largest = max(ran, key=lambda o: max(o.peak_kb, o.tree_kb))
        print(f"worst time: {slowest.seconds:.1f} s ({slowest.case.name}); worst peak memory: "
              f"{max(largest.peak_kb, largest.tree_kb) / 1024:.0f} MB ({largest.case.name})")
    for part in "ABC":
        failing = [o.case.name for o in ran if not o.clean and o.case.part == part]
        if failing:
            print(f"not clean, part {part}: {', '.join(failing)}")
    return 0 if len(clean) == len(ran) else 1


if __name__ == "__main__":
    sys.exit(main())
