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
    # Plain ints and floats: numpy's would not survive json.dumps of a finding's evidence.
    boxes.extend(ScanBox(page, (int(round(float(b.x0))), int(round(float(b.y0))), int(round(float(b.x1))),
                                int(round(float(b.y1)))), b.text, float(b.score), page_dpi)
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


# Ink in a cell is a character when it is this share of the cell's height tall (specks are not).
MIN_GLYPH_SHARE = 0.18
_FIGURE = re.compile(r"^\d+(?:\.\d+)?$")


def _second_look(path: str, image, grid: scan_layout.ScanGrid, found: list[ocr.Box]) -> None:
    """Read again, alone, each empty cell of a row of figures (most of its cells hold figures)
    that has ink the size of a character: the detector misses a lone "0" in a noisy cell now and
    then, and a blank there would make the table's identities undecidable."""

    def figures(cells) -> int:
        return sum(1 for c in cells if c and _FIGURE.match(c))

    for i, row in enumerate(grid.rows):
        own = [c for c in row if c is not None]
        if figures(own) < max(2, len(own) // 2):
            continue
        for j, cell in enumerate(row):
            if cell and _FIGURE.match(cell):
                _reread_if_doubtful(path, image, grid.origins[i][j], found)
                continue
            if cell != "":
                continue
            x0, y0, x1, y1 = grid.cells[i][j]
            inset = 5  # keep the rules out of the crop
            if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
                continue
            ink = _glyph_box(image.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset)))
            if ink is None:
                continue
            # Recognition wants a line of text, not a character lost in a cell: crop to the ink.
            pad = 6
            box = (max(x0 + inset + ink[0] - pad, x0), max(y0 + inset + ink[1] - pad, y0),
                   min(x0 + inset + ink[2] + pad, x1), min(y0 + inset + ink[3] + pad, y1))
            read = ocr.read_crop(path, image.crop(box))
            if read is None:
                continue
            text = scan_layout.clean_text(read[0])
            if not _FIGURE.match(text):
                continue
            found.append(ocr.Box(*(float(v) for v in box), text, read[1]))
            grid.rows[i][j] = text
            grid.origins[i][j] = (len(found) - 1,) * len(text)


def _reread_if_doubtful(path: str, image, origins: tuple[int, ...] | None, found: list[ocr.Box]) -> None:
    """A figure read with low confidence is read again from its own box alone: the same figure
    again is a sure reading (its confidence becomes the better of the two), another figure
    leaves it doubtful (the worse of the two), for checks/scanned.py to weigh."""
    indices = set(origins or ())
    if len(indices) != 1:
        return
    k = indices.pop()
    box = found[k]
    if box.score >= ocr.DOUBTFUL:
        return
    pad = 6
    crop = image.crop((max(0, int(box.x0) - pad), max(0, int(box.y0) - pad),
                       min(image.width, int(box.x1) + pad), min(image.height, int(box.y1) + pad)))
    read = ocr.read_crop(path, crop)
    if read is None:
        return
    same = scan_layout.clean_text(read[0]) == box.text
    found[k] = dataclasses.replace(box, score=max(box.score, read[1]) if same else min(box.score, read[1]))


def _glyph_box(crop) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink in the crop that is as tall as a character (specks and
    scraps of rules left out); None for an empty cell."""
    import cv2
    import numpy as np

    # Light grey strokes count: JPEG and thin fonts leave a figure broken at a darker threshold.
    dark = (np.asarray(crop.convert("L")) < 170).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    tall = max(8, MIN_GLYPH_SHARE * dark.shape[0])
    glyphs = [stats[k] for k in range(1, count) if stats[k][3] >= tall and stats[k][2] < 0.9 * dark.shape[1]]
    if not glyphs:
        return None
    return (min(g[0] for g in glyphs), min(g[1] for g in glyphs),
            max(g[0] + g[2] for g in glyphs), max(g[1] + g[3] for g in glyphs))


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
