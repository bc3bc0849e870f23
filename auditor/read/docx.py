"""Word (.docx) reports, read with python-docx and its XML.

The body's paragraphs and tables are read in document order. Table grids come from the XML,
not from python-docx's `row.cells` (which repeats a merged cell at every position it covers):
w:gridSpan (horizontal merge) and w:vMerge (vertical merge) mark covered positions, which
become None so that a merged cell is counted once.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import docx
from docx.oxml.ns import qn

from auditor.errors import InputError
from auditor.model import Block, SourceText, TableBlock, TextBlock
from auditor.traced import Traced, join

# A zip of at most 32 MB could expand to gigabytes (a 767 KB file to 240 MB of XML, which takes
# python-docx and lxml over 4 GB). A real report's document.xml is a few MB and all its parts
# together rarely reach the file cap. XML parts are parsed into trees ~15 times their size, so
# they have the tighter cap; pictures and fonts are kept as bytes.
MAX_XML_PART_BYTES = 16 << 20
MAX_PART_BYTES = 32 << 20
MAX_UNPACKED_BYTES = 64 << 20
MAX_PARTS = 2000  # a report has 15–100 parts (pictures included)
_CHUNK = 1 << 16
# Word allows 63 columns; the caps keep a hostile gridSpan from allocating huge rows.
MAX_COLUMN_SPAN = 100
MAX_COLUMNS = 1000
MAX_TABLE_POSITIONS = 200_000  # real report tables are ~30 x 15
SLIVER_TWIPS = 30  # half a millimetre: no character fits in a grid column this narrow

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx and old .doc are OLE files
_WHITESPACE = re.compile(r"\s+")
# Narrow cells often break a label into paragraphs ("商业" / "企业"); between two Han characters
# or CJK punctuation that break is not a word gap, so it is dropped instead of becoming a space.
_CJK = "\u2014\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")

W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_SDT, W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_TXBX, W_DEL, W_MOVE_FROM = qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom")
W_CUSTOM_XML = qn("w:customXml")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W_VAL = qn("w:val")


def read_docx(path: str, data: bytes) -> SourceText:
    document = _open(path, data)
    blocks: list[Block] = []
    lines: list[Traced] = []
    # The origin of every character is the index of its paragraph or table in the body
    # (auditor/sourcemap.py); `elements` says which of the two each index is.
    elements: list[str] = []
    for index, element in enumerate(_children(document.element.body, (W_P, W_TBL))):
        elements.append("paragraph" if element.tag == W_P else "table")
        if element.tag == W_P:
            text = _paragraph_text(element).strip()
            if text:
                lines.append(Traced.constant(text, index))
            continue
        rows = _table_rows(path, element)
        if len(rows) < 2 or len(rows[0]) < 2:
            # A one-row or one-column table is a frame around text, not a grid.
            lines.extend(Traced.constant(cell, index) for row in rows for cell in row if cell)
            continue
        if lines:
            blocks.append(_text_block(lines))
            lines = []
        blocks.append(TableBlock(tuple(tuple(row) for row in rows),
                                 origins=tuple(tuple(None if cell is None else (index,) * len(cell)
                                                     for cell in row) for row in rows)))
    if lines:
        blocks.append(_text_block(lines))
    if not blocks:
        raise InputError(path, "Word 文档里没有文字内容")
    title = document.core_properties.title
    return SourceText(path=path, format="docx", encoding=None, blocks=tuple(blocks),
                      title=title.strip() if title and "报告" in title else None,
                      positions="element", elements=tuple(elements))


def _text_block(lines: list[Traced]) -> TextBlock:
    text = join("\n", lines)
    return TextBlock(text.text, origins=tuple(text.pos))


def _open(path: str, data: bytes):
    if data.startswith(_OLE_MAGIC):
        raise InputError(path, "Word 文档已加密或是旧版 .doc 格式，无法读取（请另存为未加密的 .docx）")
    _check_unpacked_size(path, data)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:
        # python-docx surfaces broken input as KeyError, ValueError, zip and XML errors and
        # more; whatever the kind, the file is unusable and people need one line, not a trace.
        raise InputError(path, "Word 文档已损坏或不是 .docx 格式") from None


def _check_unpacked_size(path: str, data: bytes) -> None:
    """Refuse a docx whose parts unpack beyond the caps, before python-docx unpacks them.

    Every part is inflated here in small chunks and counted, without keeping it: the sizes the
    zip headers state are not trusted (zipfile stops at the stated size and then fails the CRC,
    but counting what really comes out costs little and needs no such reasoning).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                raise InputError(path, f"Word 文档有 {len(members)} 个部件（上限 {MAX_PARTS}），"
                                       "不像一份年度报告，已拒绝处理")
            total = 0
            for info in members:
                cap = MAX_XML_PART_BYTES if _is_xml_part(info.filename) else MAX_PART_BYTES
                size = 0
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > cap:
                            raise InputError(path, f"Word 文档的部件 {info.filename} 解压后超过 {cap >> 20} MB，"
                                                   "不像一份年度报告，已拒绝处理")
                        if total > MAX_UNPACKED_BYTES:
                            raise InputError(path, f"Word 文档解压后超过 {MAX_UNPACKED_BYTES >> 20} MB，"
                                                   "不像一份年度报告，已拒绝处理")
    except InputError:
        raise
    except RuntimeError:
        # zipfile's "File is encrypted, password required for extraction"
        raise InputError(path, "Word 文档的部件已加密，无法读取（请另存为未加密的 .docx）") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
            OSError, zlib.error):
        raise InputError(path, "Word 文档已损坏或不是 .docx 格式") from None


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _paragraph_text(paragraph) -> str:
    """The visible text of a paragraph: runs, including those in hyperlinks and insertions.

    Text boxes are skipped (Word stores each twice, as DrawingML and as a VML fallback), and so
    is text that change tracking keeps as deleted or moved away.
    """
    parts: list[str] = []
    for run in paragraph.iter(W_R):
        if _has_ancestor(run, paragraph, (W_TXBX, MC_FALLBACK, W_DEL, W_MOVE_FROM)):
            continue
        for child in run:
            if child.tag == W_T:
                parts.append(child.text or "")
            elif child.tag == W_TAB:
                parts.append("\t")
            elif child.tag in (W_BR, W_CR):
                parts.append("\n")
    return "".join(parts)


def _has_ancestor(element, stop, tags) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _cell_text(cell) -> str:
    # Paragraphs of nested tables are descendants too, so their text is flattened into the cell.
    texts = (_paragraph_text(p) for p in cell.iter(W_P)
             if not _has_ancestor(p, cell, (W_TXBX, MC_FALLBACK)))
    text = _BREAK_BETWEEN_CJK.sub("", "\n".join(texts).strip())
    return _WHITESPACE.sub(" ", text)


def _int_attribute(element, child_tag: str, default: int) -> int:
    child = element.find(child_tag) if element is not None else None
    if child is None:
        return default
    try:
        return int(child.get(W_VAL, default))
    except ValueError:
        return default


def _table_rows(path: str, table) -> list[list[str | None]]:
    """The table as a rectangular grid; positions covered by a merged cell are None."""
    rows: list[list[str | None]] = []
    # For each position, a number naming the <w:tc> that covers it (see _drop_shared_columns).
    owners: list[list[int]] = []
    cell_number = 0
    positions = 0
    for tr in _children(table, (W_TR,)):
        tr_pr = tr.find(qn("w:trPr"))
        # Skipped grid columns before/after a row's cells: no cell there, so empty text.
        skipped = min(_int_attribute(tr_pr, qn("w:gridBefore"), 0), MAX_COLUMNS)
        row: list[str | None] = [""] * skipped
        owner = list(range(cell_number, cell_number + skipped))
        cell_number += skipped
        for tc in _children(tr, (W_TC,)):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(1, min(_int_attribute(tc_pr, qn("w:gridSpan"), 1), MAX_COLUMN_SPAN))
            if _continues_merge(tc_pr, row, rows):
                row.extend([None] * span)
            else:
                row.append(_cell_text(tc))
                row.extend([None] * (span - 1))
            owner.extend([cell_number] * span)
            cell_number += 1
            if len(row) >= MAX_COLUMNS:
                break
        rows.append(row[:MAX_COLUMNS])
        owners.append(owner[:MAX_COLUMNS])
        positions += len(rows[-1])
        if positions > MAX_TABLE_POSITIONS:
            raise InputError(path, "Word 文档里的表格大得异常，不像年度报告，已拒绝处理")
    width = max((len(row) for row in rows), default=0)
    if len(rows) * width > MAX_TABLE_POSITIONS:
        raise InputError(path, "Word 文档里的表格大得异常，不像年度报告，已拒绝处理")
    for row, owner in zip(rows, owners):
        owner.extend(range(cell_number, cell_number + width - len(row)))
        cell_number += width - len(row)
        row.extend([""] * (width - len(row)))
    return _drop_slivers(rows, owners, _grid_widths(table))


def _grid_widths(table) -> list[int | None]:
    """The widths (twips) of the table's grid columns, None where not stated."""
    grid = table.find(qn("w:tblGrid"))
    widths: list[int | None] = []
    for column in grid.findall(qn("w:gridCol")) if grid is not None else []:
        try:
            widths.append(int(float(column.get(qn("w:w"), ""))))
        except ValueError:
            widths.append(None)
    return widths


def _drop_slivers(rows: list[list[str | None]], owners: list[list[int]],
                  widths: list[int | None]) -> list[list[str | None]]:
    """Drop sliver columns: narrower than any character, and no cell has one to itself (in every
    row, the cell over it also covers the column before or after it).

    A writer needs one where two borders miss each other by a twip: LibreOffice saving a .doc as
    .docx writes 604 + 1 twips for a 605-twip column, and the cell beside the 1-twip column spans
    it in every row. It holds no cell of its own, yet it would shift the columns after it in some
    rows and not in others. A cell that begins in the dropped column begins in its neighbour.
    """
    width = len(rows[0]) if rows else 0
    drop = []
    for j in range(width):
        narrow = j < len(widths) and widths[j] is not None and widths[j] < SLIVER_TWIPS
        if narrow and all((j > 0 and owner[j] == owner[j - 1])
                          or (j + 1 < width and owner[j] == owner[j + 1]) for owner in owners):
            drop.append(j)
    if not drop:
        return rows
    for j in drop:
        for row, owner in zip(rows, owners):
            if row[j] is not None and j + 1 < width and owner[j] == owner[j + 1]:
                row[j + 1], row[j] = row[j], None
    keep = [j for j in range(width) if j not in drop]
    return [[row[j] for j in keep] for row in rows]


def _continues_merge(tc_pr, row: list[str | None], rows: list[list[str | None]]) -> bool:
    """True for a cell that continues a merge begun above (w:vMerge) or to the left (w:hMerge)."""
    if tc_pr is None:
        return False
    for tag in (qn("w:vMerge"), qn("w:hMerge")):
        merge = tc_pr.find(tag)
        # <w:vMerge/> without a value continues the merge; val="restart" begins one.
        if merge is not None and merge.get(W_VAL, "continue") == "continue":
            # A continuation with nothing above it (a broken file) is kept as a cell.
            column = len(row)
            if tag == qn("w:hMerge"):
                return column > 0
            return bool(rows) and column < len(rows[-1])
    return False


def _children(element, tags: tuple[str, ...]):
    """Children with one of `tags` in document order, looking through content controls and
    custom XML wrappers (which Word puts around paragraphs, tables, rows and cells)."""
    wrappers = (W_SDT, W_SDT_CONTENT, W_CUSTOM_XML)
    stack = list(reversed(element))
    while stack:
        child = stack.pop()
        if child.tag in tags:
            yield child
        elif child.tag in wrappers:
            stack.extend(reversed(child))
