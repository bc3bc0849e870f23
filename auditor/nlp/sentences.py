"""Sentences of a report's prose, with exact offsets into Document.text.

Splitting works on characters (a few regexes and one pass over the interesting positions),
not on spaCy tokens: it must stay a small fraction of the audit time. The spaCy component in
`auditor.nlp.pipeline` calls `segment_spans` so that `nlp(text).sents` agree with this module.

Rules, in the order they are applied:
- table lines are not prose: a line with a tab or a pipe, or (when it has no 。！？) a column gap
  or a run of whitespace-separated numbers; short lines next to them that are cut labels of the
  same table ("（六）其", "形，不计其他情形）") go with it, and so does a sentence of a crawled page
  that runs table cells together ("规章000行政规范性文件77132470第二十条…");
- a line break ends a sentence, except where a PDF layout wrapped a long line in the middle of
  a sentence (the structure stage joins most of these; this catches the rest);
- 。！？； end a sentence (a colon does not), and so does a closing quote or bracket right after
  one of them ("……。”");
- nothing inside matched brackets or quotes （）()《》“”‘’「」 is ever split;
- an enumeration marker starts a new sentence: 一是…, （一）…, 1.…/1、…, 一、…, 第一，…; a
  heading glued to its paragraph ("（一）主动公开方面平潭综合实验区……") is cut after 方面/情况;
- a bare heading line ("（三）政府信息管理情况") is a sentence of its own, as is the section
  heading at the start of each section.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from auditor.model import CN_NUMERALS, Document
from auditor.memo import per_document
from auditor.nlp.model import Sentence

SENTENCE_END = "。！？；!?;"
BRACKET_PAIRS = {"（": "）", "(": ")", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』",
                 "【": "】", "〔": "〕", "[": "]"}
CLOSERS = {close: open_ for open_, close in BRACKET_PAIRS.items()}
# A bracket that stays open longer than this is a stray mark (OCR, a cut cell), not a pair: it
# must not swallow the rest of the paragraph.
MAX_BRACKET_SPAN = 300
# A line at least this long that stops mid-sentence was wrapped by the page layout.
MIN_WRAPPED_LINE = 20
# Lines of table residue ("（六）其", "2.申请人逾期未按收费") are short.
MAX_RESIDUE_LINE = 40

_CN = CN_NUMERALS
_BOUNDARY = r"\s，。；：！？、）)”」"  # characters after which a marker may stand
ENUMERATION = re.compile(
    # every marker starts with one of these: other positions fail at once instead of trying each
    # alternative's lookbehind (the same matches, four times faster)
    rf"(?=[{_CN}（(\d第])(?:"
    rf"(?<![^{_BOUNDARY}])[{_CN}]{{1,2}}是(?![，。；])"  # 一是…二是…
    rf"|(?<![第条款项\d])[（(](?:[{_CN}]{{1,3}}|\d{{1,2}})[）)]"  # （一）（1）, not 第（一）项
    rf"|(?<![\d.．A-Za-z第表图件款项条号版期楼层室批级类])\d{{1,2}}[.、．](?=\s?[\u4e00-\u9fff“《（])"  # 1. 1、
    rf"|(?<![^{_BOUNDARY}])[{_CN}]{{1,3}}、"  # 一、
    rf"|(?<![^{_BOUNDARY}])第[{_CN}]{{1,2}}[，、]"  # 第一，
    r")"
)
# After a bracketed or 一、 marker: a short title ending in 方面/情况 glued to the paragraph text.
GLUED_HEADING = re.compile(r"[^，。；：！？\s（(“]{2,18}?(?:方面|情况)(?=[ \t\u3000]*[^，。；：！？、）\s])")
# A line made only of a marker and a short title, without sentence punctuation.
HEADING_LINE = re.compile(
    rf"^(?:#{{1,6}}\s*)?(?:[{_CN}]{{1,3}}[、.．]|[（(](?:[{_CN}]{{1,3}}|\d{{1,2}})[）)]|\d{{1,2}}[.、．])"
    r"[^，。；！？]{1,36}$")
SECTION_HEADING_LINE = re.compile(rf"^(?:#{{1,6}}\s*)?[{_CN}]{{1,3}}、")
HEADING_TAIL = re.compile(r"(?:情况|问题|事项|方面|措施|工作|建设|管理|保障|公开|概述|总则)[。：]?$")
TABLE_LINE = re.compile(r"[\t|｜]")
# A run of whitespace-separated numbers. It starts where a digit run starts ((?<!\d)): tried from
# every digit of a long run, the search would rescan the rest of the run each time — 40,000 digits
# took 29 s. A match starting inside a run implies one starting at its first digit, so the
# matches are the same.
_NUMBER_ROW = r"(?<!\d)\d+(?:[ \u3000]+-?\d+(?:\.\d+)?){2,}"
LAYOUT_TABLE_LINE = re.compile(rf"\S[ \u3000]{{3,}}\S|{_NUMBER_ROW}")
# (?=…): what a match starts with, asserted first. The number row opens with a lookbehind, so
# without it the engine tries the whole pattern at every position of every sentence.
TABULAR_SENTENCE = re.compile(rf"(?=[\t|｜\d])(?:[\t|｜]|{_NUMBER_ROW})")
# Crawled pages run table cells together ("规章000行政规范性文件77132470第二十条"): a number
# followed by a word that is not a measure word is a cell. Three of them make a table fragment.
MEASURE_WORDS = "件条次个篇期元万亿年月日号余多人项份起宗部名家场批类页轮所户届位天时分秒岁倍米层种套台辆座处级楼"
# Whole digit runs only ((?<!\d)\d++): a shorter part of a run is followed by a digit, never a
# cell's word, so nothing is lost, and a long run is scanned once instead of once per digit.
# (?=\d) first, as in TABULAR_SENTENCE: the same matches, tried only where a digit stands.
GLUED_CELL = re.compile(rf"(?=\d)(?<!\d)\d++(?=[\u4e00-\u9fff（(]|[.．][\u4e00-\u9fff])(?![{MEASURE_WORDS}])")
MIN_GLUED_CELLS = 3
TERMINAL_IN_LINE = re.compile(r"[。！？]")
SENTENCE_PUNCT = re.compile(r"[，。；！？]")
WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
CJK_OR_OPEN = re.compile(r"[\u4e00-\u9fff\d“‘（《「]")
WRAP_END = re.compile(r"[\u4e00-\u9fff，、“”‘’（）《》]$")
# Positions the scanner must look at; everything else is plain text.
EVENTS = re.compile(r"\n|[。！？；!?;]|[”’」』）)》】〕\]]")


@dataclass(frozen=True)
class Span:
    """A piece of text between two sentence boundaries; `prose` is False for table lines."""

    start: int
    end: int
    prose: bool


# --------------------------------------------------------------------------- lines


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    bounds = []
    pos = 0
    for line in text.split("\n"):
        bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    return bounds


# A title or quotation may hold a bar ("《我为群众办实事|食用农产品快速检测结果天天报》"): not a cell border.
QUOTED = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,80}”")


def _is_table_line(line: str) -> bool:
    # (Quotations are taken out only from a line with a bar or a tab at all: most have none.)
    borders = len(TABLE_LINE.findall(QUOTED.sub("", line))) if TABLE_LINE.search(line) else 0
    terminal = TERMINAL_IN_LINE.search(line) is not None
    # A sentence (。！？) with a single bar is prose with a stray bar; a table row has cells.
    if borders >= 2 or (borders == 1 and not terminal):
        return True
    # A prose sentence may contain a gap or a list of numbers; a table row never has 。！？.
    if terminal:
        return False
    line = line.strip()
    # Either form holds two blanks (spaces or U+3000) at least, which most lines lack: only then is
    # LAYOUT_TABLE_LINE searched, whose gap's \S matches nearly anywhere (both forms are tried at
    # every position).
    return line.count(" ") + line.count("\u3000") >= 2 and LAYOUT_TABLE_LINE.search(line) is not None


def _is_heading_line(line: str) -> bool:
    stripped = line.strip()
    return bool(HEADING_LINE.match(stripped)) and bool(HEADING_TAIL.search(stripped))


def _is_table_label(line: str, table_before: bool, table_after: bool) -> bool:
    if not (table_before or table_after) or len(line) > MAX_RESIDUE_LINE or TERMINAL_IN_LINE.search(line):
        return False
    if SECTION_HEADING_LINE.match(line) and _is_heading_line(line):
        return False  # "三、收到和处理政府信息公开申请情况" between two tables is a heading
    opened = line.count("（") + line.count("(")
    closed = line.count("）") + line.count(")")
    if opened != closed:
        return True  # cut by a cell border: the bracket opens or closes on another line
    if table_before and table_after:
        return True  # a row label between two rows
    # A heading introduces prose; the same words followed by table rows are a label.
    return not SENTENCE_PUNCT.search(line) and (table_after or not _is_heading_line(line))


def _classify_lines(text: str, lines: list[tuple[int, int]]) -> list[str]:
    """'blank' | 'table' | 'prose' for every line."""
    kinds = []
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            kinds.append("blank")
        elif _is_table_line(line):
            kinds.append("table")
        else:
            kinds.append("prose")
    # Table labels the layout broke off their rows: short lines without 。！？ next to a table
    # line, so that a run of such fragments goes with its table. A line only ever turns from prose
    # to table, and a table neighbour more never makes it less of a label, so looking again only at
    # the neighbours of a line that turned gives what scanning every line until nothing changes
    # gave — which took time quadratic in a long run of fragments above a table.
    nonblank = [i for i, k in enumerate(kinds) if k != "blank"]
    waiting = deque(range(len(nonblank)))  # positions in `nonblank` to look at, in text order first
    queued = [True] * len(nonblank)
    while waiting:
        n = waiting.popleft()
        queued[n] = False
        i = nonblank[n]
        if kinds[i] != "prose":
            continue
        before = kinds[nonblank[n - 1]] if n > 0 else None
        after = kinds[nonblank[n + 1]] if n + 1 < len(nonblank) else None
        line = text[lines[i][0]:lines[i][1]].strip()
        if _is_table_label(line, before == "table", after == "table"):
            kinds[i] = "table"
            for neighbour in (n - 1, n + 1):
                if 0 <= neighbour < len(nonblank) and not queued[neighbour]:
                    waiting.append(neighbour)
                    queued[neighbour] = True
    return kinds


def _is_soft_wrap(text: str, line: tuple[int, int], next_line: tuple[int, int]) -> bool:
    """True when the break between two prose lines is a layout wrap inside a sentence."""
    current = text[line[0]:line[1]].strip()
    following = text[next_line[0]:next_line[1]].lstrip()
    if len(current) < MIN_WRAPPED_LINE or not following:
        return False
    if current[-1] in SENTENCE_END or current[-1] in "：:" or not WRAP_END.search(current):
        return False
    if current.endswith("报告") or _is_heading_line(current):
        return False  # a title line
    if not CJK_OR_OPEN.match(following) or ENUMERATION.match(following):
        return False
    return True


# --------------------------------------------------------------------------- brackets


_BRACKET = re.compile(r"[（(《“‘「『【〔\[）)》”’」』】〕\]]")


def _protected(block: str) -> bytearray:
    """1 at every position strictly inside a matched bracket or quote pair."""
    inside = bytearray(len(block))
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(block):
        ch, pos = m.group(), m.start()
        if ch in BRACKET_PAIRS:
            stack.append((ch, pos))
            continue
        opener = CLOSERS[ch]
        # Close the nearest matching opener; openers above it were strays.
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == opener:
                open_pos = stack[depth][1]
                del stack[depth:]
                if pos - open_pos <= MAX_BRACKET_SPAN:
                    inside[open_pos + 1:pos] = b"\x01" * (pos - open_pos - 1)
                break
    return inside


# --------------------------------------------------------------------------- scanning


ARABIC_MARKER = re.compile(r"(\d{1,2})([.、．])")


UNIT_AFTER_BLANK = re.compile(r"\s?(?:条|件|篇|项|个|次|期|份|宗|例|人次|家|场|部|万元|元|%)")


def _figure_not_marker(block: str, m: re.Match) -> bool:
    """"意见征集3、部门预算栏1条": a figure glued to the word before it, not marker 3 — which would
    follow a marker 2 in the same paragraph. Marker 1 glued to a title ("主动公开情况1.门户网站…")
    starts a sentence."""
    if m.group()[0] in "（(" and UNIT_AFTER_BLANK.match(block, m.end()):
        return True  # "发布政务信息（1386）条": a template's blank filled with a figure, a unit after it
    arabic = ARABIC_MARKER.fullmatch(m.group())
    if arabic is None or m.start() == 0 or not "\u4e00" <= block[m.start() - 1] <= "\u9fff":
        return False
    number = int(arabic.group(1))
    return number > 1 and f"{number - 1}{arabic.group(2)}" not in block[:m.start()]


def _block_boundaries(block: str, hard_breaks: set[int], forced: set[int]) -> list[int]:
    """Sentence start positions inside one block of prose lines (relative to the block)."""
    inside = _protected(block)
    cuts = {0} | {p for p in forced if 0 < p < len(block)}
    for m in EVENTS.finditer(block):
        pos = m.start()
        if inside[pos]:
            continue
        ch = m.group()
        if ch == "\n":
            if pos in hard_breaks:
                cuts.add(pos + 1)
        elif ch in SENTENCE_END:
            cuts.add(pos + 1)
        elif pos > 0 and block[pos - 1] in SENTENCE_END:
            cuts.add(pos + 1)  # "……。”" ends after the closing quote
    for m in ENUMERATION.finditer(block):
        pos = m.start()
        if inside[pos] or _figure_not_marker(block, m):
            continue
        cuts.add(pos)
        if m.group()[0] in "（(" or m.group().endswith("、"):
            glued = GLUED_HEADING.match(block, m.end())
            if glued and not inside[glued.end() - 1]:
                cuts.add(glued.end())
    return sorted(cuts)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment_spans(text: str, forced: tuple[int, ...] = ()) -> list[Span]:
    """Every sentence and every table chunk of `text`, in order, trimmed of whitespace.

    `forced` are extra boundaries (e.g. the end of a section heading glued to its text).
    """
    lines = _lines(text)
    kinds = _classify_lines(text, lines)
    forced_set = set(forced)
    spans: list[Span] = []
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind == "blank":
            i += 1
            continue
        if kind == "table":
            start, end = _trimmed(text, *lines[i])
            spans.append(Span(start, end, False))
            i += 1
            continue
        # A block: consecutive prose lines; a blank or table line ends it.
        j = i
        while j + 1 < len(lines) and kinds[j + 1] == "prose":
            j += 1
        block_start, block_end = lines[i][0], lines[j][1]
        block = text[block_start:block_end]
        hard_breaks = {lines[k][1] - block_start for k in range(i, j)
                       if not _is_soft_wrap(text, lines[k], lines[k + 1])}
        local_forced = {p - block_start for p in forced_set if block_start < p < block_end}
        cuts = _block_boundaries(block, hard_breaks, local_forced) + [len(block)]
        for a, b in zip(cuts, cuts[1:]):
            start, end = _trimmed(text, block_start + a, block_start + b)
            if start >= end:
                continue
            piece = text[start:end]
            prose = (bool(WORD_CHAR.search(piece)) and not TABULAR_SENTENCE.search(piece)
                     and len(GLUED_CELL.findall(piece)) < MIN_GLUED_CELLS)
            spans.append(Span(start, end, prose))
        i = j + 1
    return spans


def split_text(text: str, offset: int = 0, section: str | None = None,
               forced: tuple[int, ...] = ()) -> list[Sentence]:
    """Sentences of arbitrary text; offsets are shifted by `offset`."""
    return [Sentence(start=s.start + offset, end=s.end + offset, text=text[s.start:s.end], section=section)
            for s in segment_spans(text, forced) if s.prose]


def _regions(doc: Document) -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, section key, heading title): the front matter, each section, any tail."""
    sections = sorted(doc.sections, key=lambda s: s.start)
    regions: list[tuple[int, int, str | None, str | None]] = []
    position = 0
    for s in sections:
        if s.start > position:
            regions.append((position, s.start, None, None))
        regions.append((s.start, s.end, s.key, s.title))
        position = max(position, s.end)
    if position < len(doc.text):
        regions.append((position, len(doc.text), None, None))
    return regions


@per_document
def split_document(doc: Document) -> list[Sentence]:
    """Sentences of the front matter (section None) and of every section, table lines left out.

    A section's heading is a sentence of its own, also where crawled text runs it straight into
    the paragraph ("一、总体情况2023年，……") or a table follows it.
    """
    sentences: list[Sentence] = []
    for start, end, key, title in _regions(doc):
        if title:
            at = doc.text.find(title, start, min(end, start + len(title) + 8))
            if at >= 0:
                sentences.append(Sentence(start=at, end=at + len(title), text=title, section=key))
                start = at + len(title)
        sentences.extend(split_text(doc.text[start:end], offset=start, section=key))
    return sentences
