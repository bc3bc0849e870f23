"""OCR of scanned pages into the page items pdf.py builds blocks from: the pages of a PDF that
have no text layer, and the frames of an image file.

Each page is fitted to the pixel budget, deskewed, read by the OCR engine (ocr.py) and laid out
into lines and grids (scan_layout.py). Every box read becomes a ScanBox (page, box, confidence),
its box taken back to the page image as given (on_page_image: the deskew's turn and the fit's
scale undone), where a reviewer looks;
the characters of the items point at their box, so a finding on OCR text can say where on which
page it was read (识别自扫描件第N页).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from auditor.errors import InputError
from auditor.model import UNREADABLE_CELL, Diagnostic, ScanBox
from auditor.read import ocr, scan_layout, seal
from auditor.read.pdf import _Grid, _Line


def missing_engine_note(path: str, scanned: list[int]) -> Diagnostic | None:
    """For a PDF whose other pages have text: a note that its scanned pages were not read
    because the OCR engine is not installed (None when it is)."""
    if ocr.available():
        return None
    pages = "、".join(str(n) for n in scanned)
    return Diagnostic("scan_not_read", f"第 {pages} 页是图片（扫描件），没有识别其中的文字；{ocr.INSTALL_HINT}",
                      detail={"pages": list(scanned)})


def ocr_page(path: str, image, page: int, dpi: float | None, boxes: list[ScanBox],
             scan_dpi: float | None = None) -> list[_Line | _Grid]:
    """The lines and grids of one page image; its boxes are appended to `boxes`. `scan_dpi`:
    the resolution the page was scanned at, when it is known to differ from `dpi`."""
    scan_dpi = scan_dpi or dpi or scan_resolution(image)
    given = image.size
    image, scale = ocr.fit(image)
    # Read straightened; the boxes are taken back to the page as given (on_page_image): a box
    # in the straightened image is off by tens of pixels on a page scanned 2° askew.
    image, angle = scan_layout.deskew(image)
    # A red seal over the signature and the date: its arcs would be read as strokes (seal.py).
    image = seal.without_seal(image)
    found = [box for box in (dataclasses.replace(b, text=scan_layout.clean_text(b.text))
                             for b in ocr.recognize(path, image)) if box.text]
    laid_out = scan_layout.layout(image, found, lambda box: ocr.read_crop(path, image.crop(box)))
    for item in laid_out:
        if isinstance(item, scan_layout.ScanGrid):
            _second_look(path, image, item, found)
    base = len(boxes)
    page_dpi = round(dpi) if dpi else None
    # Plain ints and floats: numpy's would not survive json.dumps of a finding's evidence.
    boxes.extend(ScanBox(page, on_page_image((float(b.x0), float(b.y0), float(b.x1), float(b.y1)), angle,
                                             image.size, scale, given),
                         b.text, float(b.score), page_dpi, round(scan_dpi) if scan_dpi else None)
                 for b in found)
    # An unruled table's rows go back to being the page's lines, its blanks now in place.
    laid_out = sorted([item for item in laid_out if not (isinstance(item, scan_layout.ScanGrid) and item.tops)]
                      + [line for item in laid_out if isinstance(item, scan_layout.ScanGrid) and item.tops
                         for line in scan_layout.unruled_lines(item)], key=lambda item: item.top)
    items: list[_Line | _Grid] = []
    for item in (_page_number(item, image.height) for item in laid_out):
        if isinstance(item, PageNumberLine):
            items.append(PageNumberLine(item.top, item.text, tuple(base + k for k in item.origins)))
        elif isinstance(item, scan_layout.ScanLine) and item.columns is not None:
            items.append(UnruledRow(item.top, item.text, tuple(base + k for k in item.origins), item.columns))
        elif isinstance(item, scan_layout.ScanLine) and item.lone is not None:
            label, figures = item.lone
            label_text, label_origins = scan_layout._join([label], found, cell=True) if label else ("", ())
            items.append(LoneFigures(item.top, item.text, tuple(base + k for k in item.origins),
                                     (label_text, tuple(base + k for k in label_origins)),
                                     [(f.cx, f.text, (base + f.box,) * len(f.text)) for f in figures]))
        elif isinstance(item, scan_layout.ScanLine):
            items.append(_Line(item.top, item.text, tuple(base + k for k in item.origins)))
        else:
            grid = ScannedGrid(item.top, item.rows,
                               [[None if cell is None else tuple(base + k for k in cell) for cell in row]
                                for row in item.origins], columns=[(x0, x1) for x0, _, x1, _ in item.cells[-1]])
            if item.lines is not None:
                grid = LoneRow(grid.top, grid.rows, grid.origins, grid.columns,
                               lines=[_Line(line.top, line.text, tuple(base + k for k in line.origins))
                                      for line in item.lines])
            items.append(grid)
    return items


def on_page_image(box: tuple[float, float, float, float], angle: float, size: tuple[int, int], scale: float,
                  given: tuple[int, int]) -> tuple[int, int, int, int]:
    """A box read on the straightened page (`size`: that image, turned `angle` degrees
    counter-clockwise about its centre by scan_layout.deskew, after ocr.fit scaled the page by
    `scale`) as a box on the page image as given (`given`: its size), where a reviewer looks:
    its corners turned back about the centre, the box around them (a line of text on a page 2°
    askew is that much taller), divided by the scale, within the page."""
    import math

    x0, y0, x1, y1 = box
    if angle:
        cx, cy = size[0] / 2, size[1] / 2
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        corners = [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c)
                   for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
        y0, y1 = min(y for _, y in corners), max(y for _, y in corners)
    width, height = given
    return (int(round(min(max(x0 / scale, 0), width))), int(round(min(max(y0 / scale, 0), height))),
            int(round(min(max(x1 / scale, 0), width))), int(round(min(max(y1 / scale, 0), height))))


@dataclasses.dataclass
class ScannedGrid(_Grid):
    """A grid read from a page image, with its columns' left and right x in the image."""

    columns: list[tuple[int, int]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class LoneRow(ScannedGrid):
    """A ruled row of cells alone at the top of a scanned page (scan_layout: a grid of one
    row); `lines`: what it reads as when it continues no table."""

    lines: list[_Line] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class UnruledRow(_Line):
    """The last row of a table printed without rules: its figure columns' (left, right)."""

    columns: list[tuple[float, float]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class LoneFigures(_Line):
    """A line of figures opening a scanned page: its label (text, origins) and its figures
    (x centre, text, origins), for settle_lone_rows to put under the columns of an unruled
    table the previous page ended with."""

    label: tuple[str, tuple[int, ...]] = ("", ())
    figures: list[tuple[float, str, tuple[int, ...]]] = dataclasses.field(default_factory=list)


def _as_unruled_row(line: LoneFigures, columns: list[tuple[float, float]]) -> _Line | None:
    """The line as a row of the unruled table whose columns are given: its figures in their
    columns, tab-separated, a blank where a column has none (as scan_layout.unruled_lines
    writes a row); None when a figure falls in no column or two in one."""
    cells: list[tuple[str, tuple[int, ...]]] = [("", ())] * len(columns)
    for cx, text, origins in line.figures:
        j = next((j for j, (left, right) in enumerate(columns) if left <= cx < right), None)
        if j is None or cells[j][0]:
            return None
        cells[j] = (text, origins)
    cells = ([line.label] if line.label[0] else []) + cells
    anchor = next(o[0] for _, o in cells if o)
    return _Line(line.top, *scan_layout.tab_joined(cells, anchor))


def settle_lone_rows(pages: list[list]) -> None:
    """Each lone row opening a page (after its running lines are dropped) that lines up with
    the columns of the grid closing the previous page becomes that grid's last row: the last
    row of a table is often all a page break leaves for the next page, and the row's rules
    are drawn only where its own cells part (a label over three columns has none between
    them), so it has fewer columns than the table, which pdf.to_blocks needs to join the two;
    read as a line of text, its figures were lost to the table. Its cells go under the
    table's columns by their rules; a row that does not line up, or opens no page, or follows
    no grid, is read as the lines of text it holds."""
    for number, page in enumerate(pages):
        previous = pages[number - 1][-1] if number and pages[number - 1] else None
        # Unruled: a line of figures opening the page under an unruled table's last row, its
        # figures in that table's columns, is its next row (blanks in place, not its figures
        # shifted left over a figure the detector missed).
        if page and isinstance(page[0], LoneFigures) and isinstance(previous, UnruledRow):
            page[0] = _as_unruled_row(page[0], previous.columns) or page[0]
        for position in range(len(page) - 1, -1, -1):
            row = page[position]
            if not isinstance(row, LoneRow):
                continue
            previous = pages[number - 1][-1] if number and pages[number - 1] and position == 0 else None
            placed = _under_columns(row, previous.columns) if isinstance(previous, ScannedGrid) else None
            page[position:position + 1] = [placed] if placed is not None else row.lines


def _under_columns(row: LoneRow, columns: list[tuple[int, int]]) -> ScannedGrid | None:
    """The lone row with its cells under the given columns: a cell whose left and right rules
    are two of the columns' (within a third of the narrowest column) covers those columns, its
    text in the first; None when a rule of the row is none of the columns'."""
    if not columns:
        return None
    tolerance = min(x1 - x0 for x0, x1 in columns) / 3
    lefts = [x0 for x0, _ in columns]
    rights = [x1 for _, x1 in columns]

    def nearest(x: float, edges: list[int]) -> int | None:
        k = min(range(len(edges)), key=lambda k: abs(edges[k] - x))
        return k if abs(edges[k] - x) <= tolerance else None

    cells: list[str | None] = [""] * len(columns)
    origins: list[tuple[int, ...] | None] = [()] * len(columns)
    covered: set[int] = set()
    # The row's own cells: a position covered by the one before it (no rule between) widens it.
    spans = []
    for (x0, x1), text, cell_origins in zip(row.columns, row.rows[0], row.origins[0]):
        if text is None and spans:
            spans[-1][1] = x1
        elif text is not None:
            spans.append([x0, x1, text, cell_origins])
    for x0, x1, text, cell_origins in spans:
        first, last = nearest(x0, lefts), nearest(x1, rights)
        if first is None or last is None or last < first or covered & set(range(first, last + 1)):
            return None
        cells[first:last + 1] = [text] + [None] * (last - first)
        origins[first:last + 1] = [cell_origins] + [None] * (last - first)
        covered.update(range(first, last + 1))
    return ScannedGrid(row.top, [cells], [origins], columns=list(columns))


# A page number as OCR reads it: "-3-", "— 3 —", "第3页", "3", with at most one speck read on
# either side ("i -3-": a dot of noise beside the dash).
_PAGE_NUMBER = re.compile(r"^(?:[^\s\d\u3400-\u9fff\-—–－~]\s+)?([-—–－~]*\s*(?:第\s*)?\d{1,3}\s*(?:页)?\s*[-—–－~]*)"
                          r"(?:\s+[^\s\d\u3400-\u9fff\-—–－~])?$")
# Page numbers sit in the top or bottom margin: this share of the page height.
MARGIN_SHARE = scan_layout.MARGIN_SHARE


@dataclasses.dataclass
class PageNumberLine(_Line):
    """The line of an OCR'd page that is its page number (in the top or bottom margin)."""


def _page_number(item, height: int):
    """The item as a PageNumberLine without the speck read beside it ("i -3-" → "-3-") when it
    is the page's number; else as it is."""
    if not isinstance(item, scan_layout.ScanLine) or (MARGIN_SHARE * height < item.top < (1 - MARGIN_SHARE) * height):
        return item
    m = _PAGE_NUMBER.match(item.text)
    if m is None:
        return item
    return PageNumberLine(item.top, m.group(1), item.origins[m.start(1):m.end(1)])


def harmonise_page_numbers(pages: list[list]) -> None:
    """The page numbers of the OCR'd pages written in the form most pages print them ("-4-" for
    a "4" whose dashes the scan lost). The reader drops the running lines that recur on three
    pages or more (pdf._drop_running_lines), page numbers among them, by their text with the
    digits aside: a speck or a lost dash made one page's number another line, which was kept,
    and a line kept between a table's last row on one page and its continuation on the next
    keeps the two parts apart (pdf.to_blocks joins a grid that opens a page to the one that
    closed the previous page), so every row of the second part was lost."""
    from collections import Counter

    from auditor.read.pdf import _running_key

    edges = [item for page in pages if page for item in (page[0], page[-1])
             if isinstance(item, _Line) and _PAGE_NUMBER.match(item.text)
             and (isinstance(item, PageNumberLine) or item.origins is None)]  # OCR'd, or a text layer's
    forms = Counter(_running_key(item.text) for item in edges)
    if not forms:
        return
    form = forms.most_common(1)[0][0]
    for item in edges:
        if isinstance(item, PageNumberLine) and _running_key(item.text) != form:
            digits = re.search(r"\d+", item.text)
            item.text = form.replace("#", digits.group(), 1)
            anchor = item.origins[digits.start()] if item.origins else 0
            item.origins = (anchor,) * len(item.text)


# The short side of an A4 page, inches: a page image's width over it is its resolution when the
# file does not say (most scans are A4 portrait or landscape).
A4_SHORT_SIDE = 8.27


def scan_resolution(image) -> float:
    """The resolution of a page image that does not state one, taken as an A4 page."""
    return min(image.width, image.height) / A4_SHORT_SIDE


def pdf_scan_resolution(page) -> float | None:
    """The resolution of the largest image on a PDF page (a scanned page is one image): its
    pixels over the page's width; None when it has no image."""
    import pypdfium2.raw as pdfium_c

    best = None
    width_pt, height_pt = page.get_size()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_width, px_height = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # noqa: BLE001 - an image pdfium cannot measure says nothing
            continue
        if right - left < 0.5 * width_pt or px_width <= 0:
            continue  # a logo or a seal, not the page
        dpi = px_width / ((right - left) / 72)
        if best is None or px_width * px_height > best[0]:
            best = (px_width * px_height, dpi)
    return best[1] if best else None


# Ink in a cell is a character when it is this share of the cell's height tall (specks are not).
MIN_GLYPH_SHARE = 0.18
# Ink: a pixel darker than this grey, or this much darker than the paper of its cell.
INK_GREY = 170
FAINT_INK = 40
# A faint figure, found at the faint threshold, is this share of its row's figures' box height
# tall at least (a poor copy's "0" measures 14 px in a box of 30).
FAINT_GLYPH_SHARE = 0.4
# A cell whose ink reads as no figure is read once more this many times larger (_enhanced).
ENHANCE_SCALE = 2
_FIGURE = re.compile(r"^\d+(?:\.\d+)?$")
# The text a figure cell holds when its ink could not be read as a figure: the table layer keeps
# the cell's position and records it as unreadable (a "cell_unreadable" note), never as a blank
# the report left, and never as a label that would shift the row's figures into other columns.
UNREADABLE = UNREADABLE_CELL
# What a figure cell of a poor scan is read as instead of its digit: letters and signs that look
# like digits. Only ever a guess, kept at GUESSED confidence so that a failed identity through it
# is flagged as a probable misread (checks/scanned.py).
LOOKALIKES = str.maketrans({**dict.fromkeys("OoDQUCcGeθ○〇", "0"), **dict.fromkeys("iIlL|!rjJ[]", "1"),
                            **dict.fromkeys("Zz", "2"), **dict.fromkeys("Ss", "5"), "b": "6", "B": "8",
                            **dict.fromkeys("gq", "9")})
GUESSED = 0.3
# A figure cell's text that is no figure but read noise: a few signs, at most one Han character
# ("G", "sa.", "2 V", "日1"); words are a label, and these are what a report writes for a blank.
_CJK = re.compile(r"[\u3400-\u9fff]")
# What reports print in a cell for "none" (structure/tables/cells.py reads them as blanks).
_BLANK_MARKS = {"/", "／", "-", "－", "—", "——", "–", "\\", "无", "空"}


def _is_noise(text: str) -> bool:
    compact = "".join(text.split())
    return 0 < len(compact) <= 4 and len(_CJK.findall(compact)) <= 1 and compact not in _BLANK_MARKS \
        and not _FIGURE.match(compact)


def _as_figure(text: str) -> str | None:
    """The figure a noisy reading of a figure cell most likely is: its one run of digits when
    the rest is a sign or two ("日1", "2 V"), else every character a digit's look-alike ("G" → 0,
    "!" → 1, "é" as "e"); None when neither."""
    compact = "".join(text.split()).strip(".,·")
    runs = re.findall(r"\d+", compact)
    if len(runs) == 1 and len(compact) - len(runs[0]) <= 2:
        return runs[0]
    # A letter with an accent is the letter: a speck above a faint "0" reads "é" as readily as "e".
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", compact) if not unicodedata.combining(ch))
    mapped = bare.translate(LOOKALIKES)
    return mapped if mapped.isdigit() else None


def _second_look(path: str, image, grid: scan_layout.ScanGrid, found: list[ocr.Box]) -> None:
    """Read again, alone, each cell of a row of figures (most of its cells hold figures) that
    should hold a figure and does not: an empty cell with ink the size of a character (the
    detector misses a lone "0" in a noisy cell now and then, and a blank there would make the
    table's identities undecidable), or a cell read as noise ("G", "!", "sa."). What the second
    reading cannot make a figure of is guessed from look-alike characters at GUESSED confidence,
    or marked UNREADABLE in its place. Cells left of the row's first figure are its label's."""

    def figures(cells) -> int:
        return sum(1 for c in cells if c and _FIGURE.match(c))

    def figure_row(row) -> bool:
        own = [c for c in row if c is not None]
        return figures(own) >= max(2, len(own) // 2)

    def first_figure(row) -> int | None:
        return next((j for j, c in enumerate(row) if c and _FIGURE.match(c)), None)

    def last_words(row) -> int:
        return max((j for j, c in enumerate(row) if c and not _FIGURE.match(c) and not _is_noise(c)), default=-1)

    # Where the figure columns begin: the column most rows of figures have their first figure
    # in. Noise read in a row's first figure column ("e" for a faint 0) is no part of its label
    # though the row's own first figure comes after it.
    from collections import Counter

    starts = Counter(first_figure(row) for row in grid.rows if figure_row(row))
    if not starts:
        # No row is mostly figures (a township's table 三 fills only its total column, the
        # applicants' columns left blank): the figure columns begin after the label's, the
        # column after the last that holds words in most rows with a figure.
        starts = Counter(last_words(row) + 1 for row in grid.rows if first_figure(row) is not None)
    columns_from = starts.most_common(1)[0][0] if starts else None
    # The table's body: from its first row with a figure in the figure columns to its last.
    body = [i for i, row in enumerate(grid.rows)
            if columns_from is not None and first_figure(row[columns_from:]) is not None]
    every = sorted(found[k].height for i, row in enumerate(grid.rows) for j, c in enumerate(row)
                   if c and _FIGURE.match(c) for k in set(grid.origins[i][j] or ()))
    table_height = every[len(every) // 2] if every else None
    for i, row in enumerate(grid.rows):
        plain = False
        # An unruled table's rows are rows of figures by construction (scan_layout), however
        # many of their zeros the detector missed; its first column after the label is figures.
        if grid.tops:
            first = 1
        elif figure_row(row):
            first = first_figure(row)
            # Noise read in a row's first figure columns ("e" for a faint 0), and cells read
            # blank there (a faint or stamped-over figure the detector did not see), are no part
            # of its label though the row's own first figure comes after them.
            while columns_from is not None and columns_from <= first - 1 and row[first - 1] is not None \
                    and (row[first - 1] == "" or _is_noise(row[first - 1])):
                first -= 1
        elif columns_from is not None and _lost_figures(row[columns_from:]):
            first = columns_from
        elif body and body[0] < i < body[-1] and all(not c for c in row[columns_from:]):
            # A row of the body read blank in every figure column (a township's row whose one
            # figure, its total, the detector missed): looked at for ink printed as dark as the
            # table's figures only. Faint ink in a row that shows no sign of a figure is more
            # likely a crease or a smudge than a figure.
            first, plain = columns_from, True
        else:
            # No cell of the row is looked at for a lost figure (a row of words, table 二's row
            # of one amount), but a figure it holds read with low confidence is read again as
            # any other (a lone "36.8" at 0.94, alone at 0.97).
            for j, cell in enumerate(row):
                if cell and _FIGURE.match(cell):
                    _reread_if_doubtful(path, image, grid.origins[i][j], found)
            continue
        # How tall the row's figures were read: a cell of a row made tall by its wrapped label
        # holds a figure no taller than the others (a share of the cell's height is too tall).
        heights = sorted(found[k].height for j, c in enumerate(row) if c and _FIGURE.match(c)
                         for k in set(grid.origins[i][j] or ()))
        # A row none of whose figures was read (a wrapped label makes it three lines tall, and
        # its faint figures are a fifth of that): the table's figures are as tall as its own.
        figure_height = heights[len(heights) // 2] if heights else table_height
        for j, cell in enumerate(row):
            if j < first or cell is None:
                continue
            if _FIGURE.match(cell):
                indices = set(grid.origins[i][j] or ())
                if len(indices) == 1 and found[min(indices)].text != cell:
                    _reread_piece(path, image, grid, i, j, found)
                else:
                    _reread_if_doubtful(path, image, grid.origins[i][j], found)
                continue
            if cell != "" and not _is_noise(cell):
                continue
            ink = _ink_box(image, grid.cells[i][j], figure_height=figure_height)
            # A poor copy's faint "0": ink only a little darker than the paper. Read, it is a
            # figure the detector did not see at all: a doubtful reading, whatever its score.
            faint = ink is None and cell == "" and not plain and \
                (ink := _ink_box(image, grid.cells[i][j], faint=True, figure_height=figure_height)) is not None
            if ink is None and cell == "":
                continue
            if ink is None and _as_figure(cell) is None and \
                    _ink_box(image, grid.cells[i][j], faint=True, figure_height=figure_height) is None:
                # Noise that looks like no figure ("量") where the cell holds no ink the size of a
                # character, even faint: specks the detector boxed and read. The cell is blank.
                grid.rows[i][j], grid.origins[i][j] = "", ()
                continue
            text, score, box = None, 0.0, grid.cells[i][j]
            if ink is not None:
                box = ink
                read = ocr.read_crop(path, image.crop(box))
                if read is not None and _FIGURE.match(scan_layout.clean_text(read[0])):
                    text = scan_layout.clean_text(read[0])
                    # A figure where the first reading saw noise: two readings that disagree.
                    score = read[1] if cell == "" and not faint else min(read[1], GUESSED)
                elif read is not None and cell == "":
                    again = scan_layout.clean_text(read[0])
                    if again in _BLANK_MARKS:  # a dash or a slash: the report's own blank
                        text, score = again, read[1]
                    cell = again
                if text is None:
                    # Ink the size of a character that reads as no figure: read once more,
                    # its contrast stretched and at twice the scale (a faint, broken figure
                    # the recogniser sees at last); a doubtful reading whatever its score.
                    read = ocr.read_crop(path, _enhanced(image.crop(box)))
                    if read is not None and _FIGURE.match(scan_layout.clean_text(read[0])):
                        text, score = scan_layout.clean_text(read[0]), min(read[1], GUESSED)
            if text is None and cell:
                text, score = _as_figure(cell), GUESSED
            if text is None:
                text, score = UNREADABLE, 0.0
            found.append(ocr.Box(*(float(v) for v in box), text, score))
            grid.rows[i][j] = text
            grid.origins[i][j] = (len(found) - 1,) * len(text)


def _lost_figures(cells: list[str | None]) -> bool:
    """Whether a row's cells in the table's figure columns are a row of figures most of which
    the detector lost: nothing there but figures, noise and blanks, and one figure or noise at
    least (a heading or a row of words has words there; a merged band has nothing)."""
    own = [c for c in cells if c is not None]
    return any(c and (_FIGURE.match(c) or _is_noise(c)) for c in own) \
        and all(not c or _FIGURE.match(c) or _is_noise(c) for c in own)


def _ink_box(image, cell: tuple[int, int, int, int], faint: bool = False,
             figure_height: float | None = None) -> tuple[int, int, int, int] | None:
    """The box of the character-sized ink inside a cell, padded (recognition wants a line of
    text, not a character lost in a cell); None when the cell has none. `faint`: ink also where
    it is only clearly darker than the cell's paper; `figure_height`: how tall the row's figures
    were read (_glyph_box)."""
    x0, y0, x1, y1 = cell
    inset = 5  # keep the rules out of the crop
    if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
        return None
    ink = _glyph_box(image.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset)), faint, figure_height)
    if ink is None:
        return None
    pad = 6
    return (max(x0 + inset + ink[0] - pad, x0), max(y0 + inset + ink[1] - pad, y0),
            min(x0 + inset + ink[2] + pad, x1), min(y0 + inset + ink[3] + pad, y1))


def _reread_piece(path: str, image, grid: scan_layout.ScanGrid, i: int, j: int, found: list[ocr.Box]) -> None:
    """A figure cut from a box that spans several cells (a poor scan's row of figures is often
    one box) has no confidence of its own, only the line's: it is read again alone from its
    cell. The same figure again keeps the line's confidence; another one makes it doubtful
    (GUESSED at best), for checks/scanned.py to weigh. Either way the cell gets a box of its own,
    so a finding on it points at the cell, not at the whole row."""
    cell = grid.rows[i][j]
    line = found[min(grid.origins[i][j])]
    box = _ink_box(image, grid.cells[i][j])
    read = ocr.read_crop(path, image.crop(box)) if box is not None else None
    if box is None or read is None:
        return
    same = scan_layout.clean_text(read[0]) == cell
    score = line.score if same else min(line.score, read[1], GUESSED)
    found.append(ocr.Box(*(float(v) for v in box), cell, score))
    grid.origins[i][j] = (len(found) - 1,) * len(cell)


def _reread_if_doubtful(path: str, image, origins: tuple[int, ...] | None, found: list[ocr.Box]) -> None:
    """A figure read with low confidence is read again from its own box alone, the specks beside
    its characters taken off (_without_side_specks): the same figure again is a sure reading
    (its confidence becomes the better of the two), another figure leaves it doubtful (the
    worse of the two), for checks/scanned.py to weigh."""
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
    read = ocr.read_crop(path, _without_side_specks(crop, box.height))
    text = scan_layout.clean_text(read[0]) if read is not None else ""
    if not text:
        return  # nothing read the second time says nothing of the first (its confidence stays)
    same = text == box.text
    found[k] = dataclasses.replace(box, score=max(box.score, read[1]) if same else min(box.score, read[1]))


def _without_side_specks(crop, box_height: float):
    """The crop with the dots left and right of its characters painted over with its paper. A
    speck the detector boxed with a figure is read as a point or a stroke of it (“.2”) and takes
    the whole reading's confidence down (0.8 for a clean 2); the text is cleaned of it
    (scan_layout.clean_text), the confidence is not. A dot between characters stays: it is an
    amount's decimal point."""
    import cv2
    import numpy as np
    from PIL import Image

    grey = np.asarray(crop.convert("L"))
    count, labels, stats, _ = cv2.connectedComponentsWithStats((grey < INK_GREY).astype(np.uint8), connectivity=8)
    # The detector's box is twice as tall as the characters it holds, or more.
    tall = max(8, 0.3 * box_height)
    characters = [stats[k] for k in range(1, count) if stats[k][3] >= tall]
    if not characters:
        return crop
    left, right = min(c[0] for c in characters), max(c[0] + c[2] for c in characters)
    height = sorted(c[3] for c in characters)[len(characters) // 2]
    # Set apart from the characters by a third of a character's height: a scrap of a stroke a
    # poor copy broke off lies against its character.
    gap = height / 3
    specks = [k for k in range(1, count) if _side_speck(stats[k], height)
              and (stats[k][0] + stats[k][2] <= left - gap or stats[k][0] >= right + gap)]
    if not specks:
        return crop
    # With its rim: JPEG leaves a grey halo a pixel or two around a dark dot.
    mask = cv2.dilate(np.isin(labels, specks).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    pixels = np.asarray(crop.convert("RGB")).copy()
    pixels[mask] = np.median(pixels.reshape(-1, 3), axis=0).astype(np.uint8)
    return Image.fromarray(pixels)


def _side_speck(stat, height: float) -> bool:
    """Whether a blob beside a figure whose characters are `height` tall is a speck: solid,
    about as wide as tall (a minus sign is flat), half a character's height at most."""
    _, _, w, h, area = stat
    return max(w, h) <= height / 2 and 0.5 <= w / h <= 2 and area >= SPECK_FILL * w * h


def _glyph_box(crop, faint: bool = False, figure_height: float | None = None) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink in the crop that is as tall as a character (specks and
    scraps of rules left out): MIN_GLYPH_SHARE of the cell's height, or half the height of the
    row's figures' boxes when that is less (a row made tall by a wrapped label); None for an
    empty cell."""
    import cv2
    import numpy as np

    # Light grey strokes count: JPEG and thin fonts leave a figure broken at a darker threshold.
    # `faint`: a poor copy prints a "0" so faint (grey 190–210 on paper 245) that none of it is
    # darker than that: ink is then what is clearly darker than the cell's paper.
    grey = np.asarray(crop.convert("L"))
    if faint:
        # Darker than the paper of its own pixel row: a fold's grey band across the cell darkens
        # whole rows of it (and would join its figures into one band as wide as the cell),
        # where a figure is darker than its row.
        paper = np.median(grey, axis=1, keepdims=True).astype(np.float32)
        dark = (grey < paper - FAINT_INK).astype(np.uint8)
    else:
        dark = (grey < INK_GREY).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    tall = MIN_GLYPH_SHARE * dark.shape[0]
    if figure_height:
        # A faint figure's strokes are thinner than the printed ones (the copy lost their
        # edges): it measures less of its box's height than a figure read.
        tall = min(tall, (FAINT_GLYPH_SHARE if faint else 0.5) * figure_height)
    tall = max(8, tall)
    glyphs = [stats[k] for k in range(1, count) if stats[k][3] >= tall and stats[k][2] < 0.9 * dark.shape[1]
              and not (_dot(stats[k]) if not faint else _speck(grey, labels == k))]
    if not glyphs:
        return None
    return (min(g[0] for g in glyphs), min(g[1] for g in glyphs),
            max(g[0] + g[2] for g in glyphs), max(g[1] + g[3] for g in glyphs))


def _enhanced(crop):
    """A cell's crop for a last reading: grey, its darkest ink stretched to black and its paper
    to white, at ENHANCE_SCALE times the size (the recogniser reads a faint figure of a dozen
    pixels better large and dark)."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(crop.convert("L")).astype(np.float32)
    ink, paper = float(np.percentile(grey, 1)), float(np.median(grey))
    if paper - ink < 10:
        stretched = grey
    else:
        stretched = np.clip((grey - ink) / (paper - ink) * 255.0, 0, 255)
    image = Image.fromarray(stretched.astype(np.uint8)).convert("RGB")
    return image.resize((image.width * ENHANCE_SCALE, image.height * ENHANCE_SCALE), Image.BICUBIC)


# A blob of dark ink about as wide as tall (width over height within these) whose ink fills this
# share of its box at least is a dot: a speck of toner or dust, solid. Printed digits are taller
# than wide (their width is 0.5–0.7 of their height). Only at the plain threshold: a poor copy's
# faint "0", blurred, fills its box as a speck does, and faint blobs are told from specks by
# their dark core (_speck).
DOT_SHAPE = (0.8, 1.25)
# A speck beside a figure fills this share of its box at least: a blob of toner, not a scrap of
# a stroke (_side_speck). Tiny specks are a few pixels, too coarse for DOT_SHAPE's proportions.
SPECK_FILL = 0.6
DOT_FILL = 0.85


def _dot(stat) -> bool:
    """Whether a blob (its connected-component stats: x, y, width, height, area) is a dot."""
    _, _, width, height, area = stat
    return DOT_SHAPE[0] <= width / height <= DOT_SHAPE[1] and area >= DOT_FILL * width * height


def _speck(grey, blob) -> bool:
    """Whether a blob found only at the faint threshold is a speck with its blurred rim: its
    core is dark ink. A figure that dark and that tall the plain threshold would have found;
    a faint figure has no dark core."""
    import numpy as np

    return float(np.median(grey[blob])) < INK_GREY


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
            pages[number - 1] = ocr_page(path, image, number, scale * 72, boxes, pdf_scan_resolution(page))
    finally:
        document.close()
    harmonise_page_numbers(pages)
    point_text_pages(pages, scanned, boxes)
    return tuple(boxes)


def point_text_pages(pages: list[list], scanned: list[int], boxes: list[ScanBox]) -> None:
    """The characters of the pages that were not OCR'd (they have a text layer) pointed at one
    box of their own per page (a ScanBox without a box): every character of a document that
    has scanned pages knows where it came from."""
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
