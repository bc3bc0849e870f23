"""OFD reports (GB/T 33190, the national fixed-layout format): zipped XML, read here directly.

OFD.xml names the document (DocBody/DocRoot → Document.xml), which lists its pages
(Pages/Page@BaseLoc → Content.xml). A page's content is layers of TextObject (a Boundary box, a
font Size, TextCode runs with X/Y of the baseline and DeltaX advances), PathObject (vector
drawing: table rules among others) and images. Like a PDF, OFD has no tables, only text placed on
a page and lines drawn around it, so the page is rebuilt the way the PDF reader rebuilds one:
- table cells come from the drawn rules (pdfplumber's own edge → intersection → cell steps, the
  ones the PDF reader relies on), each cell's text from the characters inside it;
- the text outside tables becomes lines (glyphs whose heights overlap), in reading order (top to
  bottom, then left to right); a page without drawn rules (some writers draw none) is text only,
  its tables recovered from the lines as an unruled PDF table's are;
- then pages are joined as PDF pages are (running headers dropped, a table continued across a
  page break appended to its start), by the PDF reader's own functions.

What other writers do that the standard allows, or that a reader can still make sense of: a
page drawn on template pages (TemplatePage, under or over its content); text scaled by a CTM;
DeltaX runs compressed as "g N V"; a size attribute spelt "size", or missing (the Boundary's
height); units other than millimetres (sizes, not fixed lengths, decide what is one line); every
run of a line placed at the line's start and spread over it (easyofd): glyphs of two runs drawn
over each other, so the runs are kept whole in drawing order (_in_reading_order).

No OFD package is used: easyofd (the one kept on PyPI) unpacks the whole archive into the
current directory without size caps, needs PyMuPDF, and gives text boxes without the drawn
rules that tables are recovered from.

Hostile files are bounded like a .docx: at most MAX_PARTS members; only the parts named by the
document are inflated, in chunks, each up to MAX_XML_PART_BYTES and all together up to
MAX_UNPACKED_BYTES; XML is parsed without entities or network; pages and drawn objects are capped
like PDF pages and objects.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from auditor.errors import InputError
from auditor.model import SourceText
# The PDF reader's page model and its whole-document steps: one way of joining pages for both
# fixed-layout formats.
from auditor.read.pdf import (_clean_cell, _drop_empty_columns, _drop_running_lines, _Grid, _is_real_grid,
                              _Line, to_blocks)

MAX_XML_PART_BYTES = 16 << 20
MAX_UNPACKED_BYTES = 64 << 20
MAX_PARTS = 5000  # a page is a few parts (content, resources); reports run 5–30 pages
MAX_PAGES = 200
MAX_PAGE_OBJECTS = 50_000  # characters and drawn segments on one page (a real page: ~2000)
MAX_OBJECTS = 250_000
MAX_RULES_PER_PAGE = 3000  # drawn horizontal/vertical segments; a table page has ~200
_CHUNK = 1 << 16

# Units are millimetres. How far a rule may miss a cell border and still be that border
# (the PDF reader's 3 points).
RULE_TOLERANCE = 1.0
# Where a glyph's box lies around its baseline, as fractions of the font size.
ASCENT, DESCENT = 0.88, 0.12

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, remove_pis=True)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    # The TextCode it was drawn by (numbered in drawing order over the page): its characters are
    # one run of text, in order.
    run: int = 0


def read_ofd(path: str, data: bytes) -> SourceText:
    if not data.startswith(b"PK"):
        raise InputError(path, "扩展名是 .ofd，但内容不是 OFD 文件（不是 zip 容器）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(path, "OFD 文件已损坏（zip 容器无法打开）") from None
    with archive:
        package = _Package(path, archive)
        pages = package.pages()
        items = []
        images: dict[int, tuple[str, tuple[float, float, float, float]]] = {}
        total_objects = 0
        for number, content in enumerate(pages, start=1):
            page = package.xml(content)
            under, over = package.templates(page)
            chars, rules, page_images = _page_objects(path, number, [*under, page, *over])
            total_objects += len(chars) + len(rules)
            if total_objects > MAX_OBJECTS:
                raise InputError(path, f"OFD 排出的文字和图形超过 {MAX_OBJECTS} 个，不像一份年度报告，已拒绝处理")
            items.append(_page_items(path, number, chars, rules))
            if not chars and page_images:
                images[number] = max(page_images, key=lambda image: image[1][2] * image[1][3])
        # A scanned page (no text, a page image): OCR'd as a scanned PDF page is.
        scanned = [number for number in images if package.media(images[number][0]) is not None]
        boxes = _ocr_pages(path, package, items, {n: images[n] for n in scanned}) if scanned else ()
        title = package.title
    if sum(len(item.text) for page in items for item in page if isinstance(item, _Line)) == 0 \
            and not any(isinstance(item, _Grid) for page in items for item in page):
        raise InputError(path, "OFD 里没有文字（可能是扫描件），无法读取文字" if not scanned else
                         "OFD 的扫描页里没有识别出文字")
    _drop_running_lines(items)
    if scanned:
        from auditor.read import scan

        scan.settle_lone_rows(items)  # a scanned table's last row alone on the next page
    blocks = to_blocks(items)
    return SourceText(path=path, format="ofd", encoding=None, blocks=tuple(blocks),
                      title=title if title and "报告" in title else None,
                      positions="scan" if scanned else "page", boxes=tuple(boxes))


def _ocr_pages(path: str, package: "_Package", items: list[list], images: dict) -> tuple:
    """OCR of the OFD's scanned pages (number → (image resource, boundary in mm)) into `items`;
    the ScanBoxes of the document (its text pages pointed at one box each)."""
    import warnings

    from auditor.read import ocr, scan
    from auditor.read.image import MAX_DECODED_PIXELS

    ocr.engine(path)  # the hint to install the engine comes before any work
    from PIL import Image, UnidentifiedImageError

    deadline = ocr.Deadline(path, len(images))
    boxes: list = []
    for done, (number, (resource, boundary)) in enumerate(sorted(images.items())):
        deadline.check(done)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(package.read(package.media(resource))))
            if image.width * image.height > MAX_DECODED_PIXELS:
                raise InputError(path, f"OFD 第 {number} 页的图片过大（{image.width}×{image.height} 像素），已拒绝处理")
            image = image.convert("RGB")
        except InputError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, EOFError, SyntaxError):
            raise InputError(path, f"OFD 第 {number} 页的图片已损坏或格式无法识别") from None
        # Its resolution: its pixels over the width it is drawn at (millimetres).
        dpi = image.width / (boundary[2] / 25.4) if boundary[2] > 0 else None
        items[number - 1] = scan.ocr_page(path, image, number, dpi, boxes, dpi)
    scan.harmonise_page_numbers(items)
    scan.point_text_pages(items, sorted(images), boxes)
    return tuple(boxes)


# --------------------------------------------------------------------------- the package


class _Package:
    """The zip container: parts read by name, each bounded, all of them counted together."""

    def __init__(self, path: str, archive: zipfile.ZipFile):
        self.path = path
        self.archive = archive
        self.unpacked = 0
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise InputError(path, f"OFD 文件有 {len(members)} 个部件（上限 {MAX_PARTS}），"
                                   "不像一份年度报告，已拒绝处理")
        # Part names are case-sensitive in the standard, but writers differ in the case of
        # "OFD.xml" and in a leading "/"; a name is looked up exactly first, then without case.
        self.names = {info.filename.lstrip("/"): info.filename for info in members}
        self.folded = {name.lower(): real for name, real in self.names.items()}
        self.title: str | None = None

    def read(self, name: str) -> bytes:
        key = name.lstrip("/")
        real = self.names.get(key) or self.folded.get(key.lower())
        if real is None:
            raise InputError(self.path, f"OFD 文件缺少部件 {name}，已损坏")
        chunks, size = [], 0
        try:
            with self.archive.open(real) as part:
                while chunk := part.read(_CHUNK):
                    size += len(chunk)
                    self.unpacked += len(chunk)
                    if size > MAX_XML_PART_BYTES:
                        raise InputError(self.path, f"OFD 文件的部件 {name} 解压后超过 "
                                                    f"{MAX_XML_PART_BYTES >> 20} MB，不像一份年度报告，已拒绝处理")
                    if self.unpacked > MAX_UNPACKED_BYTES:
                        raise InputError(self.path, f"OFD 文件解压后超过 {MAX_UNPACKED_BYTES >> 20} MB，"
                                                    "不像一份年度报告，已拒绝处理")
                    chunks.append(chunk)
        except InputError:
            raise
        except RuntimeError:  # "File is encrypted, password required for extraction"
            raise InputError(self.path, "OFD 文件的部件已加密，无法读取") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
                EOFError, OSError, zlib.error):
            raise InputError(self.path, f"OFD 文件已损坏（部件 {name} 无法解压）") from None
        return b"".join(chunks)

    def xml(self, name: str):
        try:
            root = etree.fromstring(self.read(name), _PARSER)
        except etree.XMLSyntaxError:
            raise InputError(self.path, f"OFD 文件已损坏（部件 {name} 不是有效的 XML）") from None
        if root is None:
            raise InputError(self.path, f"OFD 文件已损坏（部件 {name} 是空的）")
        return root

    def pages(self) -> list[str]:
        """The Content.xml part of every page, in order."""
        root = self.xml("OFD.xml")
        doc_root = _first_text(root, "DocBody/DocRoot")
        if not doc_root:
            raise InputError(self.path, "OFD 文件已损坏（OFD.xml 没有指明文档 DocRoot）")
        self.title = _first_text(root, "DocBody/DocInfo/Title")
        document_name = _resolve("", doc_root)
        document = self.xml(document_name)
        base = posixpath.dirname(document_name)
        pages = [page for page in _children(document, "Pages") for page in _children(page, "Page")]
        if len(pages) > MAX_PAGES:
            raise InputError(self.path, f"OFD 有 {len(pages)} 页，超过 {MAX_PAGES} 页的上限，"
                                        "不像一份年度报告，已拒绝处理")
        if not pages:
            raise InputError(self.path, "OFD 文件里没有页面")
        result = []
        for page in pages:
            location = page.get("BaseLoc")
            if not location:
                raise InputError(self.path, "OFD 文件已损坏（页面没有 BaseLoc）")
            result.append(_resolve(base, location))
        self._document, self._base = document, base
        return result

    def media(self, resource: str) -> str | None:
        """The part holding the multimedia resource `resource` (an ImageObject's ResourceID),
        from the document's PublicRes and DocumentRes; None when none names it."""
        if not hasattr(self, "_media"):
            self._media: dict[str, str] = {}
            for common in _children(self._document, "CommonData"):
                for kind in ("PublicRes", "DocumentRes"):
                    for entry in _children(common, kind):
                        if not (entry.text or "").strip():
                            continue
                        res_name = _resolve(self._base, entry.text)
                        if res_name.lstrip("/") not in self.names and res_name.lower() not in self.folded:
                            continue
                        res = self.xml(res_name)
                        res_base = _resolve(posixpath.dirname(res_name), res.get("BaseLoc") or ".")
                        for group in _children(res, "MultiMedias"):
                            for medium in _children(group, "MultiMedia"):
                                file = _first_text(medium, "MediaFile")
                                if medium.get("ID") and file:
                                    self._media[medium.get("ID").strip()] = _resolve(res_base, file)
        name = self._media.get(resource)
        if name is None or (name not in self.names and name.lower() not in self.folded):
            return None
        return name

    def templates(self, page) -> tuple[list, list]:
        """The template pages a page is drawn on (GB/T 33190: Page/Template@TemplateID naming a
        CommonData/TemplatePage): those drawn under its content (ZOrder Background, the default)
        and those drawn over it (Foreground). Producers put the letterhead, the running header or
        the whole of a repeated layout there; their text is the page's text. Each template part is
        read once for the document."""
        if not hasattr(self, "_templates"):
            self._templates: dict[str, tuple[str, str]] = {}  # ID → (part name, default ZOrder)
            for common in _children(self._document, "CommonData"):
                for template in _children(common, "TemplatePage"):
                    if template.get("ID") and template.get("BaseLoc"):
                        self._templates[template.get("ID").strip()] = (
                            _resolve(self._base, template.get("BaseLoc")), template.get("ZOrder") or "Background")
            self._template_parts: dict[str, object] = {}
        under, over = [], []
        for use in _children(page, "Template"):
            found = self._templates.get((use.get("TemplateID") or "").strip())
            if found is None:
                continue  # a template the document does not have draws nothing
            name, default_order = found
            if name not in self._template_parts:
                self._template_parts[name] = self.xml(name)
            order = (use.get("ZOrder") or default_order).strip().lower()
            (over if order == "foreground" else under).append(self._template_parts[name])
        return under, over


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _first_text(element, steps: str) -> str | None:
    for step in steps.split("/"):
        found = _children(element, step)
        if not found:
            return None
        element = found[0]
    return (element.text or "").strip() or None


def _resolve(base: str, location: str) -> str:
    """A part name from a location that is absolute ("/Doc_0/…") or relative to `base`."""
    location = location.strip().replace("\\", "/")
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(joined).lstrip("/")


# --------------------------------------------------------------------------- one page


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _box(element) -> tuple[float, float, float, float] | None:
    values = _numbers(element.get("Boundary"))
    return tuple(values[:4]) if len(values) >= 4 else None


def _ctm(element):
    values = _numbers(element.get("CTM"))
    return tuple(values[:6]) if len(values) >= 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _apply(ctm, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N V" stands for N times V (GB/T 33190 11.3)."""
    tokens = (text or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < MAX_PAGE_OBJECTS:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                count, value = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([value] * max(0, min(count, MAX_PAGE_OBJECTS - len(out))))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


def _page_objects(path: str, number: int, contents: list) -> tuple[list[_Char], list[dict], list[tuple]]:
    """The page's characters, rules and images ((resource id, boundary) of each ImageObject),
    from its content parts in drawing order (templates under it, the page, templates over it)."""
    chars: list[_Char] = []
    rules: list[dict] = []
    images: list[tuple[str, tuple[float, float, float, float]]] = []
    runs = itertools.count()
    for element in itertools.chain.from_iterable(content.iter() for content in contents):
        name = _local(element.tag)
        if name == "TextObject":
            _text_object(element, chars, runs)
        elif name == "PathObject":
            _path_object(element, rules)
        elif name == "ImageObject" and element.get("ResourceID") and _box(element) is not None:
            images.append((element.get("ResourceID").strip(), _box(element)))
        if len(chars) + len(rules) > MAX_PAGE_OBJECTS:
            raise InputError(path, f"OFD 第 {number} 页排出的文字和图形超过 {MAX_PAGE_OBJECTS} 个，"
                                   "不像一份年度报告，已拒绝处理")
    return chars, rules, images


def _size(element, box) -> float:
    """The font size of a TextObject (Size, required by GB/T 33190). Some writers spell the
    attribute "size" (easyofd); without either, the height of its Boundary, the box the text is
    drawn in, is the best measure there is (a fixed size would be wrong in any other unit scale)."""
    values = _numbers(element.get("Size"))
    if not values:
        values = next((_numbers(value) for name, value in element.attrib.items()
                       if isinstance(name, str) and name.lower() == "size"), [])
    if values and values[0] > 0:
        return values[0]
    return box[3] if box[3] > 0 else 3.5


def _text_object(element, chars: list[_Char], runs: itertools.count) -> None:
    box = _box(element)
    if box is None:
        return
    ctm = _ctm(element)
    scale = max(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) ** 0.5, 1e-6)
    size = _size(element, box) * scale
    x, y = 0.0, 0.0
    for code in _children(element, "TextCode"):
        run = next(runs)
        # A TextCode without X/Y goes on from where the last one ended (GB/T 33190 11.3).
        xs, ys = _numbers(code.get("X")), _numbers(code.get("Y"))
        x = xs[0] if xs else x
        y = ys[0] if ys else y
        text = code.text or ""
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for k, char in enumerate(text):
            if len(chars) > MAX_PAGE_OBJECTS:
                return  # the page is refused by its caller; a 16 MB TextCode is not laid out first
            px, py = _apply(ctm, x, y)
            px, py = box[0] + px, box[1] + py
            advance = dx[k] if k < len(dx) else None
            width = advance * scale if advance and advance > 0 else size
            if not char.isspace():
                chars.append(_Char(char, px, px + width, py - ASCENT * size, py + DESCENT * size, py, size, run))
            if k < len(text) - 1:
                x += advance if advance is not None else size / scale
                y += dy[k] if k < len(dy) else 0.0
        if text:
            x += dx[len(text) - 1] if len(text) - 1 < len(dx) else size / scale


def _path_object(element, rules: list[dict]) -> None:
    """The horizontal and vertical segments a visible path draws (table rules)."""
    box = _box(element)
    if box is None:
        return
    stroked = element.get("Stroke", "true").strip().lower() != "false"
    filled = element.get("Fill", "false").strip().lower() == "true"
    if not stroked and not filled:
        return  # draws nothing (a clipping or hit area)
    # Edges of a stroked path show unless white, and so do those of a filled one unless white:
    # a rule drawn as a thin box, a shaded cell (the PDF reader's _is_visible). White ones still
    # close cells.
    visible = ((stroked and not _is_white(element, "StrokeColor"))
               or (filled and not _is_white(element, "FillColor")))
    ctm = _ctm(element)
    data = _first_text(element, "AbbreviatedData") or ""
    points: list[list[tuple[float, float]]] = [[]]  # sub-paths as lists of points
    tokens = data.split()
    i = 0
    count = 0
    # One path of a million segments is no table; the page's object cap counts what is kept.
    while i < len(tokens) and count <= MAX_PAGE_OBJECTS:
        count += 1
        op = tokens[i]
        args = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}.get(op)
        if args is None:
            i += 1
            continue
        values = []
        for token in tokens[i + 1:i + 1 + args]:
            try:
                values.append(float(token))
            except ValueError:
                break
        i += 1 + len(values)
        if len(values) < args:
            break
        if op in ("M", "S"):
            points.append([(values[0], values[1])])
        elif op == "C":  # close: back to the sub-path's start
            if points[-1]:
                points[-1].append(points[-1][0])
        else:  # a line or curve: its end point is enough for straight rules
            points[-1].append((values[-2], values[-1]))
    segments = [(_apply(ctm, *p), _apply(ctm, *q)) for sub in points for p, q in zip(sub, sub[1:])]
    segments = [((box[0] + a[0], box[1] + a[1]), (box[0] + b[0], box[1] + b[1])) for a, b in segments]
    for (x0, y0), (x1, y1) in segments:
        _add_rule(rules, x0, y0, x1, y1, visible)


def _add_rule(rules: list[dict], x0: float, y0: float, x1: float, y1: float, visible: bool) -> None:
    """A horizontal or vertical segment as a pdfplumber edge; slanted ones are no table rules."""
    if abs(y0 - y1) <= 0.1:
        left, right = sorted((x0, x1))
        rules.append({"x0": left, "x1": right, "top": y0, "bottom": y0, "width": right - left,
                      "height": 0.0, "orientation": "h", "visible": visible})
    elif abs(x0 - x1) <= 0.1:
        top, bottom = sorted((y0, y1))
        rules.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
                      "height": bottom - top, "orientation": "v", "visible": visible})


def _is_white(element, tag: str) -> bool:
    colors = _children(element, tag)
    if not colors:
        return False
    values = _numbers(colors[0].get("Value"))
    return len(values) == 3 and all(v >= 242 for v in values)


def _page_items(path: str, number: int, chars: list[_Char], rules: list[dict]) -> list:
    grids = _tables(path, number, chars, rules)
    boxes = [bbox for bbox, _ in grids]
    outside = [c for c in chars if not _centre_inside_any(c, boxes)]
    items = [*_lines(outside), *(grid for _, grid in grids)]
    items.sort(key=lambda item: item.top)
    return items


def _tables(path: str, number: int, chars: list[_Char], rules: list[dict]):
    """Grids from the drawn rules, as the PDF reader finds them (pdf.py _real_tables): cells from
    every rule, visible or not (Word-made layouts close cells with white boxes), then only the
    rows that a visible vertical rule crosses, in runs of at least 2 rows and 2 columns."""
    if len(rules) > MAX_RULES_PER_PAGE:
        raise InputError(path, f"OFD 第 {number} 页画了 {len(rules)} 条线（上限 {MAX_RULES_PER_PAGE}），"
                               "不像一份年度报告，已拒绝处理")
    if not rules:
        return []
    edges = merge_edges(rules, RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE)
    edges = [e for e in edges if max(e["width"], e["height"]) > RULE_TOLERANCE]
    visible = merge_edges([r for r in rules if r["visible"] and r["orientation"] == "v"],
                          RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE, RULE_TOLERANCE)
    cells = intersections_to_cells(edges_to_intersections(edges, RULE_TOLERANCE, RULE_TOLERANCE))
    grids = []
    for table in cells_to_tables(cells):
        rows = _grid(table, chars)
        _fill_cells_without_borders(table, chars, rows)
        row_boxes = _row_boxes(table)
        ruled = [_row_is_ruled(box, visible) for box in row_boxes]
        for is_ruled, run in itertools.groupby(range(len(rows)), key=lambda i: ruled[i]):
            run = list(run)
            run_rows = [rows[i] for i in run]
            if is_ruled and _is_real_grid(run_rows):
                bbox = (min(row_boxes[i][0] for i in run), row_boxes[run[0]][1],
                        max(row_boxes[i][2] for i in run), max(row_boxes[i][3] for i in run))
                grids.append((bbox, _Grid(bbox[1], _drop_empty_columns(run_rows))))
    return grids


def _row_boxes(cells) -> list[tuple[float, float, float, float]]:
    """The box of each grid row: the cells that begin at its top (pdfplumber's Table.rows)."""
    boxes: dict[float, list] = {}
    for cell in cells:
        boxes.setdefault(_key(cell[1]), []).append(cell)
    return [(min(c[0] for c in row), min(c[1] for c in row), max(c[2] for c in row), max(c[3] for c in row))
            for _, row in sorted(boxes.items())]


def _row_is_ruled(box, rules: list[dict]) -> bool:
    x0, top, x1, bottom = box
    return any(x0 - RULE_TOLERANCE <= rule["x0"] <= x1 + RULE_TOLERANCE
               and rule["top"] <= top + RULE_TOLERANCE and rule["bottom"] >= bottom - RULE_TOLERANCE
               for rule in rules)


def _grid(cells, chars: list[_Char]) -> list[list[str | None]]:
    """The table's cells on a grid of their distinct tops and lefts; covered positions None."""
    tops = sorted({_key(c[1]) for c in cells})
    lefts = sorted({_key(c[0]) for c in cells})
    row_of = {top: i for i, top in enumerate(tops)}
    column_of = {left: j for j, left in enumerate(lefts)}
    rows: list[list[str | None]] = [[None] * len(lefts) for _ in tops]
    for cell in cells:
        inside = [c for c in chars if _centre_inside(c, cell)]
        rows[row_of[_key(cell[1])]][column_of[_key(cell[0])]] = _clean_cell(
            "\n".join(text for _, text in _line_texts(inside)))
    return rows


def _fill_cells_without_borders(cells, chars: list[_Char], rows: list[list[str | None]]) -> None:
    """Put text that lies in the table but in no cell (a border is missing) at its grid position,
    as the PDF reader does (pdf.py _fill_cells_without_borders): a cell exists only where four
    rules meet, and a missing rule would otherwise lose the text inside."""
    x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
    x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    orphans = [c for c in chars if _centre_inside(c, (x0, top, x1, bottom))
               and not _centre_inside_any(c, cells)]
    if not orphans:
        return
    tops = sorted({_key(c[1]) for c in cells})
    lefts = sorted({_key(c[0]) for c in cells})
    found: dict[tuple[int, int], list[_Char]] = {}
    for char in orphans:
        y, x = (char.top + char.bottom) / 2, (char.x0 + char.x1) / 2
        i = max((k for k, value in enumerate(tops) if value <= y), default=None)
        j = max((k for k, value in enumerate(lefts) if value <= x), default=None)
        if i is not None and j is not None:
            found.setdefault((i, j), []).append(char)
    for (i, j), found_chars in found.items():
        if rows[i][j] is None:
            rows[i][j] = _clean_cell("\n".join(text for _, text in _line_texts(found_chars)))


def _key(value: float) -> float:
    return round(value, 1)


def _centre_inside(char: _Char, box) -> bool:
    x = (char.x0 + char.x1) / 2
    y = (char.top + char.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _centre_inside_any(char: _Char, boxes) -> bool:
    return any(_centre_inside(char, box) for box in boxes)


def _line_texts(chars: list[_Char]) -> list[tuple[float, str]]:
    """Characters grouped into lines, each line left to right: (top, text). A character is on a
    line when its glyph's height overlaps the line's first glyph by half the smaller height at
    least: characters of one size share a baseline, but a figure in a larger font beside a label
    (and a writer's baseline placed from its own top) sits a little lower on the same line,
    while the next line does not overlap it."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        last = lines[-1] if lines else None
        if last is not None and _same_line(char, last[0]):
            last.append(char)
        else:
            lines.append([char])
    out = []
    for line in lines:
        line = _in_reading_order(line)
        text = line[0].text
        for before, char in zip(line, line[1:]):
            # A visible gap between two characters is a space (it is dropped later next to Han
            # characters, as in PDF text).
            if char.x0 - before.x1 > 0.3 * char.size:
                text += " "
            text += char.text
        out.append((min(c.top for c in line), text))
    return out


def _in_reading_order(line: list[_Char]) -> list[_Char]:
    """The characters of one line, left to right. When glyphs of two runs (TextCodes) are drawn
    over each other, the positions say nothing about their order (one writer places every run of
    a line at the line's start and spreads it over the whole line): those runs are kept whole,
    each in its own order, ordered by where they start and then by drawing order."""
    line = sorted(line, key=lambda c: c.x0)
    if not _runs_collide(line):
        return line
    runs: dict[int, list[_Char]] = {}
    for char in sorted(line, key=lambda c: c.run):  # stable: each run's characters in their order
        runs.setdefault(char.run, []).append(char)
    ordered = sorted(runs.values(), key=lambda run: (min(c.x0 for c in run), run[0].run))
    return [char for run in ordered for char in run]


def _runs_collide(line: list[_Char]) -> bool:
    """Whether two characters of different runs start at nearly the same place (within half a
    glyph): one is drawn over the other. `line` is sorted by x0."""
    for before, char in zip(line, line[1:]):
        if char.run != before.run and char.x0 - before.x0 < 0.5 * min(char.size, before.size):
            return True
    return False


def _same_line(char: _Char, first: _Char) -> bool:
    overlap = min(char.bottom, first.bottom) - max(char.top, first.top)
    return overlap >= 0.5 * min(char.bottom - char.top, first.bottom - first.top)


def _lines(chars: list[_Char]) -> list[_Line]:
    return [_Line(top, text) for top, text in _line_texts(chars) if text.strip()]
