"""Government web pages: find the report inside the page and read it as paragraphs and tables.

A report page wraps the report in site chrome: navigation, breadcrumbs, the publication info
line, share buttons, related links, the footer. The report is the smallest container (div, td,
article, section, main) that holds every report word the page holds (总体情况, 本年新收,
行政复议 …), most of the page's non-link Chinese text, and not mostly links. Containers are
measured in one pass over the page and every element's text is read once, so the cost stays
linear however the markup is nested; nothing recurses in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import numpy as np
from lxml import etree

from auditor.errors import InputError
from auditor.model import Block, SourceText, TableBlock, TextBlock
from auditor.read.encoding import decode_report
from auditor.read.html_source import TextLocator
from auditor.traced import Traced, join

# Containers that may hold the report.
CANDIDATE_TAGS = {"div", "td", "article", "section", "main", "body"}
# Never content: code, styles, embedded documents and pictures.
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed",
                "canvas", "select", "button", "input", "textarea")
# Elements that start a new line when rendered.
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
              "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "section",
              "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre",
              "address", "figure", "figcaption", "center", "form", "fieldset", "hr", "body"}

# Words of the report itself that page chrome (menus, breadcrumbs, titles of other reports)
# seldom has as plain text. The report container must hold every one the page holds: a container
# that misses one has cut part of the report off.
REPORT_SIGNALS = ("总体情况", "概述", "主动公开政府信息情况", "收到和处理", "本年新收", "上年结转",
                  "结转下年度", "予以公开", "不予公开", "行政复议", "行政诉讼", "存在的主要问题",
                  "改进情况", "其他需要报告的事项", "信息处理费", "第二十条")
MIN_TEXT_SHARE = 0.5  # … and at least half of the page's non-link Chinese text,
MIN_TEXT_SHARE_UNSIGNALLED = 0.8  # most of it when the page has no report words to go by
MAX_LINK_DENSITY = 0.5  # a container mostly made of links is navigation

# A hostile page must not make us allocate huge grids; real report tables are ~30 x 15.
MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_TABLE_POSITIONS = 200_000

_CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHARSET_XML = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WHITESPACE = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
# Never started inside a run of spaces ((?!\s)|(?<!\s)): from there it can only fail, after
# scanning the rest of the run — once per space, time quadratic in the run.
_TITLE_SEPARATOR = re.compile(r"(?:(?!\s)|(?<!\s))\s*[-_|｜—–－]+\s*")
# The Chinese characters a container's text is measured in (code point ranges, both ends in).
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_SPAN = re.compile(r"\s*(\d+)")


def read_html(path: str, data: bytes) -> SourceText:
    decoded = decode_report(path, data, declared=declared_charset(data))
    text, encoding = decoded.text, decoded.encoding
    root = _parse(path, text)
    etree.strip_elements(root, *DROPPED_TAGS, with_tail=False)
    title = _page_title(root)
    body = root.find("body")
    if body is None:
        body = root
    container = find_report_container(body)
    blocks = _read_blocks(path, container, _TextNodes(root, text))
    if not any(isinstance(b, TableBlock) or b.text.strip() for b in blocks):
        raise InputError(path, "网页里没有找到报告正文")
    return SourceText(path=path, format="html", encoding=encoding, blocks=tuple(blocks),
                      title=title, positions="text", notes=decoded.notes)


class _TextNodes:
    """Every text node of the page with the offset of each of its characters in the page source,
    found once for the whole page in document order (auditor/read/html_source.py)."""

    def __init__(self, root, source: str):
        locator = TextLocator(source)
        # Keyed by the element objects themselves: holding them keeps lxml from making new
        # proxy objects for the same elements later, so the reader's lookups find them.
        self.text: dict = {}
        self.tail: dict = {}
        for event, el in etree.iterwalk(root, events=("start", "end")):
            slot, value = (self.text, el.text) if event == "start" else (self.tail, el.tail)
            if value:
                slot[el] = Traced._made(value, locator.locate(value))  # one origin per character

    def of(self, el, tail: bool = False) -> Traced:
        value = el.tail if tail else el.text
        traced = (self.tail if tail else self.text).get(el)
        if traced is not None and traced.text == value:
            return traced
        return Traced.constant(value or "")

    def content(self, el) -> Traced:
        """el.text_content() with origins."""
        parts = []
        for event, node in etree.iterwalk(el, events=("start", "end")):
            if event == "start":
                parts.append(self.of(node))
            elif node is not el:
                parts.append(self.of(node, tail=True))
        return join("", parts)


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB (meta charset, http-equiv, XML)."""
    head = data[:4096]
    match = _CHARSET_META.search(head) or _CHARSET_XML.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def _parse(path: str, text: str):
    # lxml refuses str input that carries an XML encoding declaration; the text is decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise InputError(path, "网页里没有找到报告正文")
    # libxml2's HTML parser recovers from broken markup, never fetches anything and stops
    # nesting at 256 levels, which bounds the tree whatever the page does.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError(path, "网页里没有找到报告正文") from None


# --------------------------------------------------------------------------- title


def _page_title(root) -> str | None:
    title = _clean(root.findtext(".//title") or "")
    if title:
        title = _strip_site_suffix(title)
        if "报告" in title:
            return title
    headings = [_clean(h.text_content()) for h in root.iter("h1")]
    for heading in headings:
        if "报告" in heading:
            return heading
    return title or next((h for h in headings if h), None)


def _strip_site_suffix(title: str) -> str:
    """'XX区2023年政府信息公开工作年度报告-XX区人民政府' -> the part before the site name."""
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        head = title[:separators[-1].start()]
        if "报告" not in head:
            return title
        title = head


# --------------------------------------------------------------------------- finding the report


@dataclass
class _Candidate:
    element: object
    start: int  # offsets into the page's non-link text stream
    end: int
    text_chars: int  # Chinese characters outside links
    link_chars: int  # Chinese characters inside links
    signals: int = 0

    @property
    def link_density(self) -> float:
        total = self.text_chars + self.link_chars
        return self.link_chars / total if total else 1.0


def find_report_container(body):
    """The smallest container holding all report signals and most text of the page."""
    candidates, stream = _measure_candidates(body)
    _count_signals(candidates, stream)
    whole_page = candidates[-1]  # the body closes last
    share = MIN_TEXT_SHARE if whole_page.signals else MIN_TEXT_SHARE_UNSIGNALLED
    fitting = [c for c in candidates
               if c.signals == whole_page.signals and c.text_chars > 0
               and c.text_chars >= share * whole_page.text_chars
               and c.link_density <= MAX_LINK_DENSITY]
    if not fitting:
        return body
    # Fewest characters wins; among equals (a wrapper around the same content) the innermost,
    # which closes first.
    smallest = min(c.text_chars for c in fitting)
    return next(c for c in fitting if c.text_chars == smallest).element


def _measure_candidates(body) -> tuple[list[_Candidate], str]:
    """Walk the page once, building the non-link text stream and each candidate's share of it.

    Link text is written to the stream as blanks so that offsets stay simple while report
    signals are only found in text that is not a link (menus say 政府信息公开 too).
    """
    # The walk only lists the page's pieces of text, whether each is in a link, and the pieces
    # each candidate spans; the characters are counted after it, for all pieces at once.
    parts: list[str] = []
    in_link: list[bool] = []
    link_depth = 0
    open_candidates: dict[int, tuple[object, int]] = {}
    spans: list[tuple[object, int, int]] = []  # (element, first piece, piece after its last)

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n")
                in_link.append(link_depth > 0)
            if tag == "a":
                link_depth += 1
            if tag in CANDIDATE_TAGS or el is body:
                open_candidates[id(el)] = (el, len(parts))
            if el.text:
                parts.append(el.text)
                in_link.append(link_depth > 0)
        else:
            opened = open_candidates.pop(id(el), None)
            if opened is not None:
                spans.append((opened[0], opened[1], len(parts)))
            if tag == "a":
                link_depth -= 1
            if tag in BLOCK_TAGS:
                parts.append("\n")
                in_link.append(link_depth > 0)
            if el is not body and el.tail:
                parts.append(el.tail)
                in_link.append(link_depth > 0)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    codes = np.frombuffer("".join(parts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    is_cjk = np.zeros(len(codes), dtype=bool)
    for low, high in _CJK_RANGES:
        is_cjk |= (codes >= low) & (codes <= high)
    cjk = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(is_cjk, out=cjk[1:])
    cjk_of_part = np.diff(cjk[offsets])  # Chinese characters in each piece
    linked = np.fromiter(in_link, dtype=bool, count=len(in_link))
    text_before = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(np.where(linked, 0, cjk_of_part), out=text_before[1:])
    link_before = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(np.where(linked, cjk_of_part, 0), out=link_before[1:])
    offsets, text_before, link_before = offsets.tolist(), text_before.tolist(), link_before.tolist()
    candidates = [_Candidate(el, offsets[a], offsets[b], text_before[b] - text_before[a],
                             link_before[b] - link_before[a]) for el, a, b in spans]
    stream = "".join(" " * len(part) if link else part for part, link in zip(parts, in_link))
    return candidates, stream


def _count_signals(candidates: list[_Candidate], stream: str) -> None:
    # Every candidate at once per signal, in numpy: a page's table cells are candidates too,
    # hundreds of them.
    starts = np.fromiter((c.start for c in candidates), dtype=np.int64, count=len(candidates))
    ends = np.fromiter((c.end for c in candidates), dtype=np.int64, count=len(candidates))
    signals = np.zeros(len(candidates), dtype=np.int64)
    for signal in REPORT_SIGNALS:
        found = np.array([m.start() for m in re.finditer(re.escape(signal), stream)], dtype=np.int64)
        if not len(found):
            continue
        # The first occurrence at or after the candidate's start, and whether it ends inside it.
        first = np.searchsorted(found, starts)
        inside = first < len(found)
        signals[inside] += found[first[inside]] + len(signal) <= ends[inside]
    for candidate, count in zip(candidates, signals.tolist()):
        candidate.signals += count


# --------------------------------------------------------------------------- reading blocks


def _read_blocks(path: str, container, nodes: _TextNodes) -> list[Block]:
    """Paragraphs and tables of the container in document order.

    Paragraphs (one per line) are gathered into one TextBlock until a table interrupts them.
    A table with one column or one row is a frame around text, not a grid: it is read as
    paragraphs.
    """
    blocks: list[Block] = []
    paragraphs: list[Traced] = []
    line: list[Traced] = []

    def end_line() -> None:
        text = _clean(join("", line))
        line.clear()
        if text:
            paragraphs.append(text)

    def end_paragraphs() -> None:
        end_line()
        if paragraphs:
            blocks.append(_text_block(join("\n", paragraphs)))
            paragraphs.clear()

    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "table" and _is_grid(el):
                rows = _table_grid(path, el, nodes)
                if rows:
                    end_paragraphs()
                    caption = el.find("caption")
                    if caption is not None and _clean(nodes.content(caption)):
                        blocks.append(_text_block(_clean(nodes.content(caption))))
                    blocks.append(TableBlock(
                        tuple(tuple(None if c is None else c.text for c in row) for row in rows),
                        origins=tuple(tuple(None if c is None else tuple(c.pos) for c in row)
                                      for row in rows)))
                    walker.skip_subtree()
                    continue
            if tag == "br" or tag in BLOCK_TAGS:
                end_line()
            if el.text:
                line.append(nodes.of(el))
        else:
            if tag in BLOCK_TAGS:
                end_line()
            if el is not container and el.tail:
                line.append(nodes.of(el, tail=True))
    end_paragraphs()
    return blocks


def _text_block(text: Traced) -> TextBlock:
    return TextBlock(text.text, origins=tuple(text.pos))


def _is_grid(table) -> bool:
    """At least 2 rows and 2 columns; decided before any cell text is read."""
    rows = list(_own_rows(table))
    widths = (sum(_span(cell.get("colspan"), MAX_COLSPAN) for cell in tr
                  if cell.tag in ("td", "th")) for tr in rows)
    return len(rows) >= 2 and max(widths, default=0) >= 2


def _table_grid(path: str, table, nodes: _TextNodes) -> tuple[tuple[Traced | None, ...], ...]:
    """The table's own rows (not those of nested tables) with row and column spans expanded."""
    rows = list(_own_rows(table))
    placed: dict[tuple[int, int], Traced | None] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in placed:
                c += 1
            colspan = _span(cell.get("colspan"), MAX_COLSPAN)
            # A rowspan never reaches past the table's last row (as in browsers).
            rowspan = min(_span(cell.get("rowspan"), MAX_ROWSPAN), len(rows) - r)
            if len(placed) + colspan * rowspan > MAX_TABLE_POSITIONS:
                raise InputError(path, "网页里的表格大得异常，不像年度报告，已拒绝处理")
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed[(r + dr, c + dc)] = None
            placed[(r, c)] = _cell_text(cell, nodes)
            c += colspan
            width = max(width, c)
    if len(rows) * width > MAX_TABLE_POSITIONS:
        raise InputError(path, "网页里的表格大得异常，不像年度报告，已拒绝处理")
    empty = Traced("", ())
    return tuple(tuple(placed.get((r, c), empty) for c in range(width)) for r in range(len(rows)))


def _own_rows(table):
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def _span(value: str | None, cap: int) -> int:
    if not value:  # most cells span one row and one column, and say nothing of it
        return 1
    digits = _SPAN.match(value)
    return max(1, min(int(digits.group(1)), cap)) if digits else 1


def _cell_text(cell, nodes: _TextNodes) -> Traced:
    """A cell's text on one line; breaks and blocks inside it (nested tables too) become spaces."""
    if len(cell) == 0:
        # Most cells hold their text alone: the spaces the cell's own ends would add (a cell is
        # a block) are trimmed off by _clean again.
        return _clean(nodes.of(cell))
    space = Traced.constant(" ")
    parts: list[Traced] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "br" or tag in BLOCK_TAGS:
                parts.append(space)
            parts.append(nodes.of(el))
        else:
            if tag in BLOCK_TAGS:
                parts.append(space)
            if el is not cell:
                parts.append(nodes.of(el, tail=True))
    return _clean(join("", parts))


def _clean(text):
    """Whitespace runs become one space, ends trimmed (str or Traced alike)."""
    # Python's \s covers &nbsp; and the full-width space pages use for indentation.
    if isinstance(text, Traced):
        if not _SPACE.search(text.text):
            return text  # nothing to trim or collapse: most cells hold a single word or figure
        # Trimmed first, the same: a run at an end is dropped either way (\s and strip() agree
        # on what is whitespace), and a cell's text is mostly layout around a single word.
        return text.strip().sub(_WHITESPACE, " ")
    return _WHITESPACE.sub(" ", text).strip()
