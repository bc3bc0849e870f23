"""One normalized text from the reader's blocks; every later span indexes into it.

What changes, and why:
- full-width letters/digits become ASCII and ASCII punctuation next to Chinese becomes the
  full-width form, so rules match one spelling ("（一）" never "(一)", "2023" never "２０２３");
- traditional script is mapped to simplified character by character (offsets stay 1:1);
- inline pinyin annotations some mirror sites add ("報(bào)告") are dropped;
- page numbers ("-3-", "第 3 页") go, running text broken across lines (PDF layouts) is joined
  into paragraphs and the spaces PDF extraction puts between Chinese characters are removed;
- table lines keep their layout (column gaps, tabs, pipes): the table parser needs them.
Grid tables from HTML/docx/PDF are written into the text as tab-separated rows and also kept as
grids with their offsets.

Every step works on Traced strings (auditor/traced.py), so each character of the result still
knows where in the file it came from: `NormalizedText.origins` is what auditor/sourcemap.py makes
the document's SourceMap of.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from statistics import median

from auditor.model import SourceText, TableBlock, TextBlock
from auditor.traced import UNKNOWN, Traced, join

CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
# Chinese characters and the full-width punctuation that sits between them.
_CJKP = f"{CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’…—"

_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_FULL_TO_ASCII = {0x3000: " ", 0xFF0E: ".", 0xFF0D: "-", 0xFF0B: "+", 0xFF05: "%", 0xFF20: "@",
                  0xFF0F: "/", 0xFF03: "#", 0xFF06: "&", 0xFF1D: "=", 0xFF3F: "_", 0xFF5E: "~",
                  0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: None, 0x200C: None,
                  0x200D: None, 0xFEFF: None, 0x2028: "\n", 0x2029: "\n"}
for _cp in range(0xFF10, 0xFF1A):  # ０-９
    _FULL_TO_ASCII[_cp] = chr(_cp - 0xFEE0)
for _cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _FULL_TO_ASCII[_cp] = chr(_cp - 0xFEE0)
# Any character _FULL_TO_ASCII changes. str.translate looks every character of a text up in the
# table one by one (a fifth of normalizing); a regex search skips them in one pass, and most
# texts have none.
_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULL_TO_ASCII)) + "]")

# These three start with the character every match starts with, the lookbehind after it (the
# same matches): a pattern that starts with a lookbehind runs it at every position of the text,
# and normalizing spent a tenth of its time there.
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?=[ ,:;()?!])(?:(?<=[{_CJKP}]) *([,:;()?!])|([,:;()?!]) *(?=[{_CJKP}]))")
_PINYIN = re.compile(rf"\((?<=[{CJK}]\()(?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}})\)")
_SPACE_IN_CJK = re.compile(rf"[ \t](?:(?<=[{_CJKP}][ \t])[ \t]*(?=[{_CJKP}0-9A-Za-z])"
                           rf"|(?<=[0-9A-Za-z%][ \t])[ \t]*(?=[{_CJKP}]))")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3}|—\s*\d{1,3}\s*—)\s*$")
_HEADING_START = re.compile(r"^\s*(?:#{1,6}\s*)?(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]"
                            r"|\d{1,2}\s*[、.．](?!\d)|[一二三四五六七八九十]是)")
_SENTENCE_END = "。！？；：…」』”）"
_TAIWAN_INFORMATION = re.compile(r"资讯")
# A table line holds a tab, a bar, figures apart ("12  3") or a column gap ("合计   12"). Tested one
# by one, the literals by str methods: as one alternation, whose gap's \S matches nearly anywhere,
# the four were tried at every position of every line.
_FIGURES_APART = re.compile(r"\d\s+-?\d")
_COLUMN_GAP = re.compile(r"\S {3,}\S")


@lru_cache(maxsize=1)
def _traditional_map() -> dict[int, str]:
    """Traditional → simplified, one character for one character (OpenCC's character table)."""
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[ord(parts[0])] = parts[1]
    return table


def simplified(text: str) -> str:
    """Traditional script as the reader turns it to simplified (for a quote copied from such a file)."""
    return _TAIWAN_INFORMATION.sub("信息", text.translate(_traditional_map()))


def normalize_chars(text: str, traditional: bool = False) -> str:
    """Character-level normalization of one piece of text (no line joining)."""
    return _normalize_chars(Traced.constant(text), traditional).text


def _normalize_chars(text: Traced, traditional: bool) -> Traced:
    text = text.nfc()
    if _TO_TRANSLATE.search(text.text):
        text = text.translate(_FULL_TO_ASCII)
    if traditional:
        text = text.translate(_traditional_map())
        # a repost converted with Taiwan phrasing writes 資訊 for 信息 ("主動公開政府資訊606條"); the
        # other phrases of that table (互動→交互 …) are mainland words too, so only this one is undone
        text = text.sub(_TAIWAN_INFORMATION, "信息")
        text = text.sub(_PINYIN, "")
    return text.sub(_ASCII_PUNCT_NEAR_CJK, lambda m: _ASCII_TO_FULL[m.group(1) or m.group(2)])


@lru_cache(maxsize=1)
def _not_wide_bmp() -> re.Pattern:
    """One character class of every character but the wide and fullwidth ones of the BMP (built
    once, ~20 ms): counting with it runs in C, where a per-character unicodedata call was a fifth
    of parsing. The characters that are not wide are counted, not the wide ones: a line of
    Chinese has few of them, and findall makes a string of every match."""
    ranges, start = [], None
    for code in range(0x10001):
        wide = code < 0x10000 and unicodedata.east_asian_width(chr(code)) in "WF"
        if wide and start is None:
            start = code
        elif not wide and start is not None:
            ranges.append((start, code - 1))
            start = None
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^{body}]")


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def display_width(s: str) -> int:
    """Columns `s` takes in a monospace layout: wide and fullwidth characters count two."""
    if s.isascii():
        return len(s)
    wide = len(s) - len(_not_wide_bmp().findall(s))  # of the BMP (the class holds astral characters)
    wide += sum(1 for ch in _ASTRAL.findall(s) if unicodedata.east_asian_width(ch) in "WF")
    return len(s) + wide


def _squeeze(s: Traced) -> Traced:
    """Remove the spaces PDF extraction puts between Chinese characters and around numbers."""
    return s.sub(_SPACE_IN_CJK, "")


def is_table_line(line: str) -> bool:
    line = line.strip()
    return ("\t" in line or "|" in line or _FIGURES_APART.search(line) is not None
            or ("   " in line and _COLUMN_GAP.search(line) is not None))


@dataclass(frozen=True)
class GridTable:
    rows: tuple[tuple[str | None, ...], ...]
    start: int
    end: int


@dataclass(frozen=True)
class NormalizedText:
    text: str
    grids: tuple[GridTable, ...]
    traditional: bool
    origins: tuple[int, ...] = ()  # where each character of `text` came from (-1: made up here)


def _drop_page_numbers(lines: list[Traced]) -> list[Traced]:
    """Remove page-number lines and the blank lines of the page break around them."""
    out: list[Traced] = []
    skip_blank = False
    for ln in lines:
        if _PAGE_NUMBER.match(ln.text):
            while out and not out[-1].text.strip():
                out.pop()
            skip_blank = True
            continue
        if skip_blank and not ln.text.strip():
            continue
        skip_blank = False
        out.append(ln)
    return out


def _paragraphs(lines: list[Traced]) -> list[Traced]:
    """Join prose lines broken by the page layout back into paragraphs; keep table lines."""
    kept = _drop_page_numbers([ln.rstrip() for ln in lines])
    # Each line's kind and width, measured once for both passes below (blank lines need neither).
    tables = [bool(ln.text.strip()) and is_table_line(ln.text) for ln in kept]
    # (A table line's width is never asked for: it is no prose, and never wrapped.)
    widths = [display_width(ln.text) if ln.text.strip() and not table else 0 for ln, table in zip(kept, tables)]
    prose_widths = [width for ln, table, width in zip(kept, tables, widths)
                    if ln.text.strip() and not table and len(ln.text.strip()) > 8]
    # A layout line that reaches (nearly) the right margin was wrapped; a shorter one ends its
    # paragraph. Files with one paragraph per line have widely varying widths and never join.
    full_width = sorted(prose_widths)[int(len(prose_widths) * 0.9)] if len(prose_widths) >= 5 else None
    base_indent = median([len(ln.text) - len(ln.text.lstrip()) for ln in kept if ln.text.strip()] or [0])
    out: list[Traced] = []
    current: Traced | None = None
    current_full = False
    blank = Traced("", ())
    for ln, table, width in zip(kept, tables, widths):
        stripped = ln.strip()
        if not stripped:
            if current is not None:
                out.append(current)
            current, current_full = None, False
            out.append(blank)
            continue
        indent = len(ln.text) - len(ln.text.lstrip())
        starts_new = (table or _HEADING_START.match(stripped.text) is not None or indent > base_indent + 1)
        if current is not None and current_full and not starts_new:
            current = current + _squeeze(stripped)
        else:
            if current is not None:
                out.append(current)
            # Leading tabs of a table line are empty cells; leading spaces are only layout.
            current = ln.strip(" \u3000") if table else _squeeze(stripped)
        current_full = (not table and full_width is not None and width >= 0.85 * full_width
                        and not (stripped.text.endswith(tuple(_SENTENCE_END)) and width < 0.97 * full_width))
        if table:
            out.append(current)
            current, current_full = None, False
    if current is not None:
        out.append(current)
    # Collapse runs of blank lines; they carry no meaning once paragraphs are rebuilt.
    result: list[Traced] = []
    for p in out:
        if not p and (not result or not result[-1]):
            continue
        result.append(p)
    while result and not result[-1]:
        result.pop()
    return result


def normalize(source: SourceText) -> NormalizedText:
    from auditor.read.encoding import is_traditional

    sample = "".join(b.text if isinstance(b, TextBlock) else
                     "".join(c or "" for row in b.rows for c in row) for b in source.blocks[:50])
    traditional = is_traditional(sample)
    parts: list[Traced] = []
    grids: list[GridTable] = []
    pos = 0
    for block in source.blocks:
        if isinstance(block, TextBlock):
            text = _normalize_chars(_traced(block.text, block.origins), traditional)
            chunk = join("\n", _paragraphs(text.split("\n")))
            if not chunk.text.strip():
                continue
        elif isinstance(block, TableBlock):
            # Each cell trimmed, then its whitespace runs made one space (trimmed first, the
            # same: the runs at its ends go either way, and there are fewer to replace).
            rows = tuple(tuple(None if c is None else _squeeze(_normalize_chars(
                _traced(c, _cell_origins(block, i, j)).strip().sub(_WHITESPACE, " "), traditional))
                for j, c in enumerate(row)) for i, row in enumerate(block.rows))
            rows = tuple(r for r in rows if any(c for c in r))
            if not rows:
                continue
            chunk = join("\n", (join("\t", (c or Traced("", ()) for c in row)) for row in rows))
            grids.append(GridTable(rows=tuple(tuple(None if c is None else c.text for c in row) for row in rows),
                                   start=pos, end=pos + len(chunk)))
        else:  # pragma: no cover - the model has two block kinds
            continue
        parts.append(chunk)
        pos += len(chunk) + 1
    text = join("\n", parts)
    return NormalizedText(text=text.text, grids=tuple(grids), traditional=traditional,
                          origins=tuple(text.pos))


_WHITESPACE = re.compile(r"\s+")


def _traced(text: str, origins) -> Traced:
    return Traced(text, origins) if origins is not None else Traced.constant(text, UNKNOWN)


def _cell_origins(block: TableBlock, i: int, j: int):
    return block.origins[i][j] if block.origins is not None else None
