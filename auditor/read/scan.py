"""OCR of scanned pages into the page items pdf.py builds blocks from: the pages of a PDF that
have no text layer, and the frames of an image file.

Each page is fitted to the pixel budget, deskewed, read by the OCR engine (ocr.py) and laid out
into lines and grids (scan_layout.py). Every box read becomes a ScanBox (page, box, confidence);
the characters of the items point at their box, so a finding on OCR text can say where on which
page it was read (识别自扫描件第N页).
"""

from __future__ import annotations

import dataclasses
import re

from auditor.errors import InputError
from auditor.model import Diagnostic, ScanBox
from auditor.read import ocr, scan_layout
from auditor.read.pdf import _Grid, _Line


def missing_engine_note(path: str, scanned: list[int]) -> Diagnostic | None:
    """For a PDF whose other pages have text: a note that its scanned pages were not read
    because the OCR engine is not installed (None when it is)."""
    if ocr.available():
        return None
    pages = "、".join(str(n) for n in scanned)
    return Diagnostic("scan_not_read", f"第 {pages} 页是图片（扫描件），没有识别其中的文字；{ocr.INSTALL_HINT}",
                      detail={"pages": list(scanned)})


def ocr_page(path: str, image, page: int, dpi: float | None, boxes: list[ScanBox]) -> list[_Line | _Grid]:
    """The lines and grids of one page image; its boxes are appended to `boxes`."""
    image, scale = ocr.fit(image)
    image, _ = scan_layout.deskew(image)
    found = [box for box in (dataclasses.replace(b, text=scan_layout.clean_text(b.text))
                             for b in ocr.recognize(path, image)) if box.text]
    laid_out = scan_layout.layout(image, found)
    for item in laid_out:
        if isinstance(item, scan_layout.ScanGrid):
            _second_look(path, image, item, found)
    base = len(boxes)
    page_dpi = round(dpi * scale) if dpi else None
    boxes.extend(ScanBox(page, (round(b.x0), round(b.y0), round(b.x1), round(b.y1)), b.text, b.score, page_dpi)
                 for b in found)
    items: list[_Line | _Grid] = []
    for item in laid_out:
        if isinstance(item, scan_layout.ScanLine):
            items.append(_Line(item.top, item.text, tuple(base + k for k in item.origins)))
        else:
            items.append(_Grid(item.top, item.rows,
                               [[None if cell is None else tuple(base + k for k in cell) for cell in row]
                                for row in item.origins]))
    return items


# A cell whose inset crop has fewer dark pixels than this is empty paper (specks aside).
MIN_INK_PIXELS = 25
_FIGURE = re.compile(r"^\d+(?:\.\d+)?$")


def _second_look(path: str, image, grid: scan_layout.ScanGrid, found: list[ocr.Box]) -> None:
    """Read again, alone, each empty cell that sits among figures (its row and its column hold
    figures elsewhere) and has ink: the detector misses a lone "0" in a noisy cell now and then,
    and a blank there would make the table's identities undecidable."""
    import numpy as np

    def figures(cells) -> int:
        return sum(1 for c in cells if c and _FIGURE.match(c))

    for i, row in enumerate(grid.rows):
        if figures(row) < 2:
            continue
        for j, cell in enumerate(row):
            if cell != "" or figures(r[j] for r in grid.rows) < 2:
                continue
            x0, y0, x1, y1 = grid.cells[i][j]
            inset = 5  # keep the rules out of the crop
            if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
                continue
            crop = image.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset))
            if int((np.asarray(crop.convert("L")) < 128).sum()) < MIN_INK_PIXELS:
                continue
            read = ocr.read_crop(path, crop)
            if read is None:
                continue
            text = scan_layout.clean_text(read[0])
            if not _FIGURE.match(text):
                continue
            found.append(ocr.Box(x0 + inset, y0 + inset, x1 - inset, y1 - inset, text, read[1]))
            grid.rows[i][j] = text
            grid.origins[i][j] = (len(found) - 1,) * len(text)


def ocr_pdf_pages(path: str, data: bytes, pages: list[list], scanned: list[int]) -> tuple[ScanBox, ...]:
    """OCR the `scanned` pages of the PDF into `pages` (1-based numbers; their lists are empty);
    the characters of the other pages are pointed at one text-layer ScanBox per page."""
    import pypdfium2

    deadline = ocr.Deadline(path, len(scanned))
    boxes: list[ScanBox] = []
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfium refuses what pdfminer read: the file is damaged
        raise InputError(path, "PDF 文件已损坏，无法渲染扫描页") from None
    try:
        for done, number in enumerate(scanned):
            deadline.check(done)
            page = document[number - 1]
            width, height = page.get_size()
            # Render at RENDER_DPI unless the page is so large that the pixel budget binds.
            scale = min(ocr.RENDER_DPI / 72, (ocr.MAX_PIXELS / max(1.0, width * height)) ** 0.5)
            image = page.render(scale=scale).to_pil()
            pages[number - 1] = ocr_page(path, image, number, scale * 72, boxes)
    finally:
        document.close()
    for number, items in enumerate(pages, start=1):
        if number in scanned:
            continue
        index = len(boxes)
        boxes.append(ScanBox(number, None))
        for item in items:
            if isinstance(item, _Line):
                item.origins = (index,) * len(item.text)
            else:
                item.origins = [[None if cell is None else (index,) * len(cell) for cell in row]
                                for row in item.rows]
    return tuple(boxes)
