"""PDF reports with a text layer, read with pdfplumber.

Each page becomes text lines and table grids in vertical order. Two habits of the real reports
shape this module:

- Word-made PDFs put running text into invisible boxes (white, unstroked rectangles, one per
  line), so pdfplumber also "finds tables" that are only text. A table row counts as real only
  when a visible vertical rule crosses it; runs of such rows with at least 2 rows and 2 columns
  are tables, everything else is read as text.
- Tables 三 and 四 break across pages. A table that opens a page and has as many columns as the
  table that closed the previous page is its continuation and is appended to it.

Pages without a text layer that show an image (a scan; a stamped last page) are rendered and read
by OCR (ocr.py, scan.py) when the optional OCR engine is installed; their lines and grids join the
others here, and every character then knows its page and OCR box (SourceText.positions "scan").
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.table import merge_edges
from pdfplumber.utils import obj_to_edges
from pdfplumber.utils.exceptions import PdfminerException

from auditor.errors import InputError
from auditor.model import Block, Diagnostic, SourceText, TableBlock, TextBlock
from auditor.read import pdf_limits

# pdfminer logs a warning for every malformed operator it skips; on a damaged file that is
# hundreds of lines on stderr that tell people nothing. Errors still show.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_PAGES = 200  # annual reports run 5–30 pages; more is a wrong file and costs minutes
MIN_TEXT_CHARS = 20  # fewer non-blank characters in the whole file means no real text layer
# A page with fewer characters than this whose images cover SCAN_IMAGE_SHARE of it is a scan
# (a signature page with only "2024年1月" in text and a stamped image counts as one).
MIN_PAGE_TEXT_CHARS = 10
SCAN_IMAGE_SHARE = 0.2

# How far (in points) a rule may miss a cell border and still count as that border.
RULE_TOLERANCE = 3
# Running headers and footers are short; a long line repeated on pages is content.
MAX_RUNNING_LINE_CHARS = 40
MIN_RUNNING_PAGES = 3

# Han characters plus CJK and full-width punctuation. Whitespace next to one of these inside a
# table cell comes from line wrapping or justified spacing, never from the author.
_CJK = "\u2014\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# (?<!\s): the second branch starts where a run of spaces starts; from inside the run it can only
# fail, after scanning the rest of it (time quadratic in the run).
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|(?<!\s)\s+(?=[{_CJK}])")
_WRAPPED_NUMBER = re.compile(r"(?<=\d)\n(?=\d)")
_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


@dataclass
class _Line:
    top: float
    text: str
    origins: tuple[int, ...] | None = None  # per character; None: the page number


@dataclass
class _Grid:
    top: float
    rows: list[list[str | None]]
    origins: list[list[tuple[int, ...] | None]] | None = None  # per cell; None: the page number


def read_pdf(path: str, data: bytes) -> SourceText:
    # Every stream pdfminer decodes while this file is read counts against one budget
    # (pdf_limits.py): a Flate bomb is refused after MAX_PAGE_BYTES, not inflated to gigabytes.
    with pdf_limits.limits() as budget:
        pdf = None
        try:
            pdf = _open(path, data)
            notes = _decrypted_notes(pdf)
            pages, title, scanned = _read_pages(path, pdf, budget)
        except InputError:
            raise
        except Exception:  # noqa: BLE001
            if budget.exceeded:
                raise InputError(path, budget.exceeded) from None
            # pdfminer and pdfplumber fail on malformed files with many kinds of error (TypeError
            # on a missing MediaBox, ValueError on a broken stream …); all mean the same to people.
            raise InputError(path, "PDF 文件已损坏或结构异常，无法读取") from None
        finally:
            if pdf is not None:
                _close(pdf)
        if budget.exceeded:
            # pdfminer swallows some errors (a font it cannot load): the text read is incomplete.
            raise InputError(path, budget.exceeded)

    boxes: tuple = ()
    if scanned:
        from auditor.read import scan

        # Only now, with the PDF parser's files closed: pdfium renders the pages without a text
        # layer, OCR reads them (bounded by ocr.Deadline), the text pages keep what they read.
        missing = scan.missing_engine_note(path, scanned) if len(scanned) < len(pages) else None
        if missing is not None:
            notes = (*notes, missing)
        else:
            boxes = scan.ocr_pdf_pages(path, data, pages, scanned)
    _drop_running_lines(pages)
    if boxes:
        scan.settle_lone_rows(pages)  # a scanned table's last row alone on the next page
    blocks = to_blocks(pages)
    if not blocks:
        raise InputError(path, "PDF 里没有读到文字")
    return SourceText(path=path, format="pdf", encoding=None, blocks=tuple(blocks), title=title,
                      positions="scan" if boxes else "page", boxes=boxes, notes=notes)


def _open(path: str, data: bytes) -> pdfplumber.PDF:
    # pdfplumber opens with the empty user password: a file encrypted only against changes
    # (anyone may open it) is decrypted and read.
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(path, "PDF 已加密，需要密码才能打开，无法读取") from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError(path, "PDF 已加密，使用了不支持的加密方式，无法读取") from None
        if isinstance(cause, pdf_limits.LimitExceeded):
            raise InputError(path, str(cause)) from None
        raise InputError(path, "PDF 文件已损坏或不是有效的 PDF") from None


def _decrypted_notes(pdf: pdfplumber.PDF) -> tuple[Diagnostic, ...]:
    """For an encrypted file opened with the empty password: a note, after repairing the fonts
    whose character collection was garbled by decryption (see _repair_collections)."""
    if pdf.doc.encryption is None:
        return ()
    repaired = _repair_collections(pdf)
    message = "PDF 已加密，但打开不需要密码（空密码），已解密读取"
    if repaired:
        message += f"；{repaired} 个字体的字符集说明没有加密（解密后成了乱码），已按字体的编码名补上"
    return (Diagnostic("pdf_decrypted", message, detail={"fonts_repaired": repaired}),)


# The predefined CMaps (PDF 1.7, 9.7.5.2) name the character collection they index: "UniGB-UCS2-H"
# and "GBK-EUC-H" Adobe-GB1, "UniCNS-UTF16-H" and "ETenms-B5-H" Adobe-CNS1, and so on.
_COLLECTIONS = ((("GB",), b"GB1"), (("CNS", "B5", "ETen", "HKscs", "HKm"), b"CNS1"),
                (("JIS", "RKSJ", "90m", "90p", "83pv", "EUC-", "Ext-", "Add-", "NWP"), b"Japan1"),
                (("KS", "UHC"), b"Korea1"))


def _repair_collections(pdf: pdfplumber.PDF) -> int:
    """Restore the CIDSystemInfo of CJK fonts that decryption garbled; how many were repaired.

    Some writers (reportlab among them) encrypt a file's streams but leave the strings of a CID
    font's CIDSystemInfo ("Adobe", "GB1") in clear; pdfminer decrypts them like every string and
    gets bytes that name no collection, so no glyph maps to a character ("(cid:1234)"). The
    font's Encoding, a name that is never encrypted, says which collection it is.
    """
    repaired = 0
    seen: set[int] = set()
    for page in pdf.pages:
        fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
        if not isinstance(fonts, dict):
            continue
        for ref in fonts.values():
            font = resolve1(ref)
            if not isinstance(font, dict) or id(font) in seen:
                continue
            seen.add(id(font))
            if _name(font.get("Subtype")) != "Type0":
                continue
            collection = _collection_of(_name(font.get("Encoding")))
            descendants = resolve1(font.get("DescendantFonts")) or []
            for descendant in descendants if isinstance(descendants, list) else []:
                descendant = resolve1(descendant)
                info = resolve1(descendant.get("CIDSystemInfo")) if isinstance(descendant, dict) else None
                if not isinstance(info, dict) or collection is None:
                    continue
                if all(_is_clear(resolve1(info.get(key))) for key in ("Registry", "Ordering")):
                    continue
                info["Registry"], info["Ordering"] = b"Adobe", collection
                repaired += 1
    return repaired


def _name(value) -> str | None:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else None


def _collection_of(cmap: str | None) -> bytes | None:
    if not cmap:
        return None
    for prefixes, ordering in _COLLECTIONS:
        if any(cmap.startswith(p) or cmap.startswith("Uni" + p) for p in prefixes):
            return ordering
    return None


def _is_clear(value) -> bool:
    return isinstance(value, bytes) and bool(value) and all(0x20 <= b < 0x7f for b in value)


def _read_pages(path: str, pdf: pdfplumber.PDF,
                budget: pdf_limits.Budget) -> tuple[list[list[_Line | _Grid]], str | None, list[int]]:
    """The text pages read, the title, and the numbers of the pages that are scans (left empty
    here, for OCR)."""
    page_count = len(pdf.pages)
    if page_count > MAX_PAGES:
        raise InputError(path, f"PDF 有 {page_count} 页，超过 {MAX_PAGES} 页的上限，"
                               f"不像一份年度报告，已拒绝处理")
    scanned = _require_text_layer(path, pdf, budget)
    pages = []
    for page in pdf.pages:
        if page.page_number in scanned:
            pages.append([])
            continue
        try:
            with pdf_limits.page(budget, page.page_number):
                pages.append(_read_page(page))
        except PdfminerException:
            if budget.exceeded:
                raise InputError(path, budget.exceeded) from None
            raise InputError(path, f"PDF 第 {page.page_number} 页已损坏，无法读取") from None
    return pages, _title(pdf.metadata), scanned


def _close(pdf: pdfplumber.PDF) -> None:
    try:
        pdf.close()
    except Exception:  # noqa: BLE001
        # close() walks the page list again, which fails on the file that made us give up;
        # there is nothing left to free then, and the InputError already raised must win.
        pass


def _require_text_layer(path: str, pdf: pdfplumber.PDF, budget: pdf_limits.Budget) -> list[int]:
    """The numbers of the pages that are scans (to OCR); InputError when the file has no usable
    text at all and no page image either, or when its text is unmapped glyphs."""
    chars = 0
    unmapped = 0
    scanned = []
    for page in pdf.pages:
        page_text = 0
        try:
            # A page's streams are decoded here, when its characters are first asked for.
            with pdf_limits.page(budget, page.page_number):
                page_chars = page.chars
        except PdfminerException:
            if budget.exceeded:
                raise InputError(path, budget.exceeded) from None
            raise InputError(path, f"PDF 第 {page.page_number} 页已损坏，无法读取") from None
        for char in page_chars:
            text = char["text"]
            if text.strip():
                chars += 1
                page_text += 1
                # pdfminer writes "(cid:123)" for a glyph the font does not map to a character.
                if text.startswith("(cid:"):
                    unmapped += 1
        if page_text < MIN_PAGE_TEXT_CHARS and _image_share(page) >= SCAN_IMAGE_SHARE:
            scanned.append(page.page_number)
    if chars < MIN_TEXT_CHARS and not scanned:
        raise InputError(path, "PDF 没有文字层（可能是扫描件），无法读取文字")
    if unmapped > chars / 2:
        encrypted = "PDF 已加密，解密后" if pdf.doc.encryption is not None else "PDF 的"
        raise InputError(path, f"{encrypted}字体缺少文字编码映射，提取出来的是乱码，无法读取文字")
    return scanned


def _image_share(page) -> float:
    """The share of the page its images cover (overlaps counted twice; capped at 1)."""
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for image in page.images:
        width = max(0.0, min(image["x1"], page.width) - max(image["x0"], 0))
        height = max(0.0, min(image["bottom"], page.height) - max(image["top"], 0))
        covered += width * height
    return min(1.0, covered / area)


def _title(metadata: dict) -> str | None:
    title = metadata.get("Title")
    if isinstance(title, str) and "报告" in title:
        return title.strip()
    return None


# --------------------------------------------------------------------------- one page


def _read_page(page) -> list[_Line | _Grid]:
    rules = _visible_vertical_rules(page)
    grids: list[tuple[tuple[float, float, float, float], _Grid]] = []
    for table in page.find_tables():
        grids.extend(_real_tables(page, table, rules))

    boxes = [bbox for bbox, _ in grids]
    outside = page.filter(lambda obj: obj.get("object_type") != "char"
                          or not _centre_inside_any(obj, boxes))
    lines = [_Line(line["top"], line["text"])
             for line in outside.extract_text_lines(layout=False, strip=True, return_chars=False)
             if line["text"].strip()]
    items: list[_Line | _Grid] = [*lines, *(grid for _, grid in grids)]
    items.sort(key=lambda item: item.top)
    return items


def _visible_vertical_rules(page) -> list[dict]:
    """Vertical edges a reader can see: stroked or coloured-in paths, not white boxes."""
    edges = []
    for obj in (*page.lines, *page.rects, *page.curves):
        if _is_visible(obj):
            edges.extend(edge for edge in obj_to_edges(obj) if edge["orientation"] == "v")
    # Word draws a border as one segment per cell; joining them gives whole rules.
    return merge_edges(edges, RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE)


def _is_visible(obj: dict) -> bool:
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))


def _is_white(color) -> bool:
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(c, (int, float)) for c in color):
        return False  # a pattern or named colour space: assume it shows
    if len(color) == 4:  # CMYK: white is no ink
        return all(c <= 0.05 for c in color)
    return all(c >= 0.95 for c in color)  # grey or RGB


def _row_is_ruled(bbox, rules: list[dict]) -> bool:
    x0, top, x1, bottom = bbox
    return any(x0 - RULE_TOLERANCE <= rule["x0"] <= x1 + RULE_TOLERANCE
               and rule["top"] <= top + RULE_TOLERANCE
               and rule["bottom"] >= bottom - RULE_TOLERANCE
               for rule in rules)


def _real_tables(page, table, rules: list[dict]):
    """Split a pdfplumber table into its ruled runs of rows; keep runs that are real grids."""
    grid = [[_clean_cell(cell) for cell in row] for row in table.extract()]
    _fill_cells_without_borders(page, table, grid)
    ruled = [_row_is_ruled(row.bbox, rules) for row in table.rows]

    for is_ruled, run in itertools.groupby(range(len(grid)), key=lambda i: ruled[i]):
        run = list(run)
        rows = [grid[i] for i in run]
        if is_ruled and _is_real_grid(rows):
            bboxes = [table.rows[i].bbox for i in run]
            bbox = (min(b[0] for b in bboxes), min(b[1] for b in bboxes),
                    max(b[2] for b in bboxes), max(b[3] for b in bboxes))
            yield bbox, _Grid(bbox[1], _drop_empty_columns(rows))


def _is_real_grid(rows: list[list[str | None]]) -> bool:
    """At least 2 rows and 2 columns that hold text; a one-column box is a frame around text."""
    filled_rows = [row for row in rows if any(cell for cell in row)]
    filled_columns = {j for row in rows for j, cell in enumerate(row) if cell}
    return len(filled_rows) >= 2 and len(filled_columns) >= 2


def _drop_empty_columns(rows: list[list[str | None]]) -> list[list[str | None]]:
    # A run cut out of a wider frame keeps the frame's columns; ones with no cell at all go.
    keep = [j for j in range(len(rows[0])) if any(row[j] is not None for row in rows)]
    return [[row[j] for j in keep] for row in rows]


def _fill_cells_without_borders(page, table, grid: list[list[str | None]]) -> None:
    """Put text that lies in the table but in no cell (a border is missing) at its grid position.

    pdfplumber only makes a cell where four borders meet; a missing border would otherwise lose
    the text inside, e.g. the header "信息内容" of 001.pdf page 3.
    """
    cells = table.cells
    orphans = [char for char in page.crop(table.bbox, strict=False).chars
               if char["text"].strip() and not _centre_inside_any(char, cells)]
    if not orphans:
        return
    row_tops = sorted({cell[1] for cell in cells})
    column_lefts = sorted({cell[0] for cell in cells})
    found: dict[tuple[int, int], list[dict]] = {}
    for char in orphans:
        y = (char["top"] + char["bottom"]) / 2
        x = (char["x0"] + char["x1"]) / 2
        i = max((k for k, top in enumerate(row_tops) if top <= y), default=None)
        j = max((k for k, left in enumerate(column_lefts) if left <= x), default=None)
        if i is not None and j is not None and i < len(grid) and j < len(grid[i]):
            found.setdefault((i, j), []).append(char)
    for (i, j), chars in found.items():
        if grid[i][j] is None:
            chars.sort(key=lambda c: (round(c["top"]), c["x0"]))
            grid[i][j] = _clean_cell("".join(c["text"] for c in chars))


def _centre_inside_any(obj: dict, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _clean_cell(text: str | None) -> str | None:
    """Undo wrapping inside a cell: "本年新收政府信息\\n公开申请数量" -> one label, numbers intact."""
    if text is None:
        return None
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    text = _WRAPPED_NUMBER.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


# --------------------------------------------------------------------------- whole document


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub("", text))


def _drop_running_lines(pages: list[list[_Line | _Grid]]) -> None:
    """Remove headers and footers: one short line (digits aside) opening or closing ≥3 pages."""
    if len(pages) < MIN_RUNNING_PAGES:
        return
    for position in (0, -1):
        edge_lines = [page[position] for page in pages
                      if page and isinstance(page[position], _Line)
                      and len(page[position].text) <= MAX_RUNNING_LINE_CHARS]
        counts = Counter(_running_key(line.text) for line in edge_lines)
        running = {key for key, count in counts.items() if count >= MIN_RUNNING_PAGES}
        for page in pages:
            if (page and isinstance(page[position], _Line)
                    and _running_key(page[position].text) in running):
                del page[position]


def to_blocks(pages: list[list[_Line | _Grid]]) -> list[Block]:
    """Lines between tables become one TextBlock; a table opening a page may continue the last.

    A character's origin is its item's (an OCR box), else its page (auditor/sourcemap.py)."""
    pieces: list[_Piece] = []
    for number, items in enumerate(pages, start=1):
        for position, item in enumerate(items):
            last = pieces[-1] if pieces else None
            if isinstance(item, _Line):
                origins = item.origins if item.origins is not None else (number,) * len(item.text)
                if last is not None and last.lines is not None and last.end_page == number:
                    last.lines.append(item.text)
                    last.line_origins.append(origins)
                else:
                    pieces.append(_Piece(number, number, lines=[item.text], line_origins=[origins]))
                continue
            cell_origins = item.origins if item.origins is not None else [
                [None if cell is None else (number,) * len(cell) for cell in row] for row in item.rows]
            if (position == 0 and last is not None and last.rows is not None
                    and last.end_page == number - 1 and len(last.rows[0]) == len(item.rows[0])):
                _continue_grid(last.rows, item.rows)
                last.cell_origins.extend(cell_origins)
                last.end_page = number
            else:
                pieces.append(_Piece(number, number, rows=item.rows, cell_origins=list(cell_origins)))
    return [_block(piece) for piece in pieces]


def _block(piece: _Piece) -> Block:
    """The piece as a block whose every character has its origin (auditor/sourcemap.py)."""
    if piece.lines is not None:
        text = "\n".join(piece.lines)
        origins: list[int] = []
        for n, line_origins in enumerate(piece.line_origins):
            if n:
                origins.append(line_origins[0] if line_origins else piece.page)  # the line break
            origins.extend(line_origins)
        return TextBlock(text, page=piece.page, origins=tuple(origins))
    return TableBlock(tuple(tuple(row) for row in piece.rows), page=piece.page,
                      origins=tuple(tuple(None if cell is None else
                                          (cell_origins if cell_origins is not None else (-1,) * len(cell))
                                          for cell, cell_origins in zip(row, row_origins))
                                    for row, row_origins in zip(piece.rows, piece.cell_origins)))


@dataclass
class _Piece:
    """A block under construction: text lines or a grid; `end_page` is where it last grew."""

    page: int
    end_page: int
    lines: list[str] | None = None
    line_origins: list[tuple[int, ...]] = field(default_factory=list)
    rows: list[list[str | None]] | None = None
    cell_origins: list[list[tuple[int, ...] | None]] = field(default_factory=list)


def _continue_grid(grid: list[list[str | None]], continuation: list[list[str | None]]) -> None:
    # An empty cell at the top of the continuation under a position the previous page already
    # covered is the rest of a cell that spans the page break.
    first = continuation[0]
    last = grid[-1]
    for j, cell in enumerate(first):
        if cell == "" and last[j] is None:
            first[j] = None
    grid.extend(continuation)
