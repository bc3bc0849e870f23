#!/usr/bin/env python3
"""Make .doc, .wps and .ofd copies of the project's sample reports, with real tools where any exist.

Run:  python corpus/formats/make_samples.py OUT_DIR

Nothing is committed: the tests make these files in a temporary directory, and so can anyone.

- .doc: LibreOffice headless writes the sample .docx as "MS Word 97" (Word 97–2003 binary).
- .wps: no tool that writes Kingsoft WPS files runs here (WPS Office is not in Debian). A .wps
  saved by WPS 2005 or later is a Word 97 compound file (the WordDocument stream and the rest,
  as in a .doc) under the .wps suffix, so the .wps sample is LibreOffice's Word 97 file under
  that name: what a reviewer receives from WPS users, and what the reader must recognise by its
  content, not by its suffix.
- .ofd: no tool here writes OFD (LibreOffice does not; easyofd's pdf2ofd keeps the text but not
  the drawn table rules, and needs PyMuPDF). `write_ofd` below is a small writer of GB/T 33190
  that copies a PDF's layout: every word becomes a TextObject (Boundary, Size, TextCode with X/Y
  of its baseline and the DeltaX advance of each character), every ruled line a PathObject
  (AbbreviatedData "M … L …"), all in millimetres, with OFD.xml → Document.xml → PublicRes.xml
  and Pages/Page_N/Content.xml as the standard lays them out. The sample PDFs are the ones
  corpus/make_samples.py renders with reportlab.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

CORPUS = Path(__file__).resolve().parents[1]
# (sample, made from, formats)
SAMPLES = [
    ("qingxi-natres-2023", "docx", ("doc", "wps")),
    ("yunling-eco-2022", "docx", ("doc",)),
    ("yunling-eco-2023", "pdf", ("ofd",)),
    ("yunling-eco-2019", "pdf", ("ofd",)),
    ("baisha-town-2020", "pdf", ("ofd",)),
]
PT_TO_MM = 25.4 / 72
OFD_NS = "http://www.ofdspec.org/2016"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_word97(docx: Path, out: Path, timeout: float = 120) -> Path:
    """`out` (.doc or .wps): the .docx saved by LibreOffice as Word 97–2003."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="make-doc-") as work:
        profile = Path(work) / "profile"
        subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "doc:MS Word 97", "--outdir", work, str(docx)],
                       check=True, timeout=timeout, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        made = Path(work) / (docx.stem + ".doc")
        if not made.is_file():
            raise RuntimeError(f"LibreOffice wrote no .doc for {docx}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, out)
    return out


# --------------------------------------------------------------------------- OFD


# Characters XML 1.0 cannot hold (PDF metadata and text layers carry some: a UTF-16 title read
# as bytes, control characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _mm(value: float) -> str:
    return f"{value * PT_TO_MM:.3f}".rstrip("0").rstrip(".")


def _page_content(page, next_id) -> str:
    """One page's Content.xml: words as TextObjects, ruled segments as PathObjects."""
    objects = []
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False,
                               use_text_flow=True, return_chars=True)
    for word in words:
        chars = [c for c in word["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = chars[0]["size"]
        x0, top = chars[0]["x0"], min(c["top"] for c in chars)
        x1, bottom = max(c["x1"] for c in chars), max(c["bottom"] for c in chars)
        # The baseline: the origin of the first glyph (its text matrix), from the page's top.
        baseline = page.height - chars[0]["matrix"][5]
        deltas = [b["x0"] - a["x0"] for a, b in zip(chars, chars[1:])]
        delta_attr = f' DeltaX="{" ".join(_mm(d) for d in deltas)}"' if deltas else ""
        text = "".join(c["text"] for c in chars)
        if _NOT_XML.sub("", text) != text:
            continue  # a glyph with no character (control codes): nothing a reader would show
        objects.append(
            f'<ofd:TextObject ID="{next_id()}" Boundary="{_mm(x0)} {_mm(top)} {_mm(x1 - x0)} {_mm(bottom - top)}"'
            f' Font="2" Size="{_mm(size)}">'
            f'<ofd:TextCode X="0" Y="{_mm(baseline - top)}"{delta_attr}>{_xml_text(text)}</ofd:TextCode>'
            f'</ofd:TextObject>')
    for obj in (*page.lines, *page.rects, *page.curves):
        objects.extend(_drawing(obj, next_id))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{next_id()}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')


def _rgb(color) -> str | None:
    """A PDF colour (grey, RGB or CMYK, 0–1) as OFD's "R G B" (0–255); None for a pattern."""
    if not isinstance(color, (tuple, list)) or not all(isinstance(c, (int, float)) for c in color):
        return None
    if len(color) == 1:
        color = (color[0],) * 3
    elif len(color) == 4:
        c, m, y, k = color
        color = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    elif len(color) != 3:
        return None
    return " ".join(str(round(255 * v)) for v in color)


def _drawing(obj, next_id) -> list[str]:
    """A drawn line or rectangle as PathObjects with its stroke and fill (colours included: Word's
    PDFs draw white boxes around text lines, which a reader must see as white)."""
    stroke, fill = bool(obj.get("stroke")), bool(obj.get("fill"))
    if not stroke and not fill:
        return []
    width = max(obj.get("linewidth") or 0.5, 0.1)
    x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
    w, h = x1 - x0, bottom - top
    if obj["object_type"] == "rect":
        path = f"M 0 0 L {_mm(w)} 0 L {_mm(w)} {_mm(h)} L 0 {_mm(h)} C"
    else:  # a line, or a curve's end points (the rules that matter are straight)
        points = obj.get("pts") or [(x0, top), (x1, bottom)]
        path = " ".join(f"{'M' if i == 0 else 'L'} {_mm(px - x0)} {_mm(py - top)}"
                        for i, (px, py) in enumerate(points))
    colors = ""
    stroke_rgb, fill_rgb = _rgb(obj.get("stroking_color")), _rgb(obj.get("non_stroking_color"))
    if stroke and stroke_rgb:
        colors += f'<ofd:StrokeColor Value="{stroke_rgb}"/>'
    if fill and fill_rgb:
        colors += f'<ofd:FillColor Value="{fill_rgb}"/>'
    return [f'<ofd:PathObject ID="{next_id()}" Boundary="{_mm(x0)} {_mm(top)} {_mm(w)} {_mm(h)}"'
            f' LineWidth="{_mm(width)}" Stroke="{str(stroke).lower()}" Fill="{str(fill).lower()}">'
            f'{colors}<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>']


def write_ofd(pdf: Path, out: Path, title: str | None = None) -> Path:
    """`out`: an OFD with the text and ruled lines of `pdf`, page by page, at the same places."""
    import pdfplumber

    counter = iter(range(3, 10 ** 9))  # 1: the page ids start after the font (2)

    def next_id() -> int:
        return next(counter)

    parts: dict[str, str] = {}
    page_entries = []
    with pdfplumber.open(pdf) as document:
        first = document.pages[0]
        for index, page in enumerate(document.pages):
            parts[f"Doc_0/Pages/Page_{index}/Content.xml"] = _page_content(page, next_id)
            page_entries.append(f'<ofd:Page ID="{next_id()}" BaseLoc="Pages/Page_{index}/Content.xml"/>')
        title = title or document.metadata.get("Title") or pdf.stem
        width, height = first.width, first.height
    max_id = next_id()
    parts["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
        f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>{pdf.stem.replace("-", "")}</ofd:DocID>'
        f'<ofd:Title>{_xml_text(title)}</ofd:Title><ofd:CreationDate>2025-01-01</ofd:CreationDate>'
        f'<ofd:Creator>corpus/formats/make_samples.py</ofd:Creator></ofd:DocInfo>'
        f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        f'<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea>'
        f'<ofd:PhysicalBox>0 0 {_mm(width)} {_mm(height)}</ofd:PhysicalBox></ofd:PageArea>'
        f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
        f'<ofd:Pages>{"".join(page_entries)}</ofd:Pages></ofd:Document>')
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="2" FontName={quoteattr("宋体")} FamilyName={quoteattr("宋体")}/></ofd:Fonts></ofd:Res>')
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml",
                     *sorted(n for n in parts if n.startswith("Doc_0/Pages/"))]:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name].encode("utf-8"))
    return out


def make(out_dir: Path, formats=("doc", "wps", "ofd")) -> list[tuple[Path, Path]]:
    """Every sample in the requested formats: (made file, the sample it was made from)."""
    made = []
    for stem, source_format, targets in SAMPLES:
        source = CORPUS / f"{stem}.{source_format}"
        for target in targets:
            if target not in formats:
                continue
            out = out_dir / f"{stem}.{target}"
            if target == "ofd":
                write_ofd(source, out)
            else:
                write_word97(source, out)
            made.append((out, source))
    return made


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for made, source in make(Path(sys.argv[1])):
        print(f"{made}  <-  {source.name}")
