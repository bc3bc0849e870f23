"""Table rows as printed → segments: a label and the values that follow it.

Every layout is reduced to the same stream. Grids (HTML, docx, PDF rulings) and lines with tabs
or pipes have explicit cells, so an empty cell is a known blank position. Space-aligned PDF text
has only numbers and label fragments; crawler text glues labels and digits together
("规章000行政规范性文件77132470"). A segment keeps its numbers as printed tokens; deciding how a
glued run of digits splits into cells is split.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import UNREADABLE_CELL

CJK = "\u3400-\u9fff"
BLANK_MARKS = {"", "/", "／", "-", "－", "—", "——", "–", "\\", "无", "空"}
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_SIGNED = re.compile(r"^[+＋]\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# An enumerator glued to a label: "2.其他…", "1、申请人…". Only one digit: items run 1–8.
_INLINE = re.compile(
    rf"(?P<bad>(?<![0-9A-Za-z.])\d+(?:\.\d+)?[eE][+-]?\d+(?![0-9A-Za-z]))"
    rf"|(?P<num>\d+(?:\.\d+)?)(?P<enum>[.、．](?=[{CJK}“\"（(]))?"
    rf"|(?P<neg>-(?=\d))"
    rf"|(?P<plus>[+＋](?=\d))"
    rf"|(?P<ws>\s+)"
    rf"|(?P<text>[^\d\s-]+|-)")


# A cell printed like a number but not a plain count: "1e5", "1E+308", "0x1F", "12abc". It is a
# position of the row whose value is unreadable (never the 1 its first digit would give).
_NOT_A_COUNT = re.compile(r"^[+-]?\.?\d(?=[0-9.,+-]*[A-Za-z])[0-9A-Za-z_.,+-]*$")
VALUE_KINDS = ("num", "bad")


@dataclass
class Token:
    text: str  # the digits as printed ("" for a blank; the cell's text for "bad")
    kind: str  # "num" | "blank" | "bad" (printed like a number, but not one: "1e5")
    glued: bool = False  # printed with no separator after the previous number


@dataclass
class Segment:
    label: str  # label text since the previous segment (whitespace removed)
    own_label: str  # label text printed on the same row as the values
    values: list[Token] = field(default_factory=list)
    explicit: bool = False  # cells had separators, so blanks are real positions
    row_text: str = ""


def lex_inline(text: str) -> list[tuple[str, str, bool]]:
    """Items ('label'|'num'|'blank', text, glued) of a run of text without cell separators."""
    items: list[tuple[str, str, bool]] = []
    last_was_num = False
    pending_sign = ""
    for m in _INLINE.finditer(text):
        if m.group("bad") is not None:
            items.append(("bad", pending_sign + m.group("bad"), False))
            pending_sign = ""
            last_was_num = False
        elif m.group("num") is not None:
            digits = m.group("num")
            if m.group("enum"):
                # "00000002.其他": the last digit numbers the next label, the rest are values.
                enum_digit, digits = digits[-1], digits[:-1]
                if digits:
                    items.append(("num", pending_sign + digits, last_was_num))
                items.append(("label", enum_digit + m.group("enum"), False))
                last_was_num = False
            else:
                items.append(("num", pending_sign + digits, last_was_num or bool(pending_sign) and last_was_num))
                last_was_num = True
            pending_sign = ""
        elif m.group("neg") is not None:
            pending_sign = "-"
        elif m.group("plus") is not None:
            pass  # "+21" in 本年增/减: a change printed with its sign, the value 21
        elif m.group("ws") is not None:
            last_was_num = False
        else:
            piece = m.group("text")
            if piece.strip() in BLANK_MARKS - {""}:
                items.append(("blank", piece.strip(), False))
            else:
                items.append(("label", piece, False))
            last_was_num = False
    return items


def _cell_items(cell: str) -> list[tuple[str, str, bool]]:
    cell = cell.strip()
    if cell in BLANK_MARKS:
        # Keep the mark: "/" is a blank the author wrote, "" may be layout.
        return [("blank", cell, False)]
    if _NUMBER.match(cell):
        return [("num", cell, False)]
    if _SIGNED.match(cell):
        return [("num", cell[1:], False)]  # "+21" in 本年增/减
    if _THOUSANDS.match(cell):
        return [("num", cell.replace(",", ""), False)]
    if is_not_a_count(cell) or cell == UNREADABLE_CELL:
        return [("bad", cell, False)]
    return lex_inline(cell)


def is_not_a_count(cell: str) -> bool:
    """A cell printed like a number that is not a plain count ("1e5", "0x1F", "12abc")."""
    return bool(_NOT_A_COUNT.match(cell.strip()))


def _split_pipes(line: str) -> list[str]:
    stripped = line.strip()
    if stripped == "|":
        return [""]
    cells = stripped.split("|")
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and cells:
        cells = cells[:-1]
    return cells


_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_WHITESPACE = re.compile(r"\s+")


# A sentence of prose: clause punctuation, and a figure with its measure word ("行政复议案件12件",
# "2012年"). Table rows print bare numbers; a prose line read as a row gives cells like 2012.
_PROSE_PUNCTUATION = re.compile(r"[，。；！？]")
# (?<!\d): from the first digit of a run only (from each digit of a long run, the search rescanned
# the rest of it); a figure inside the run implies one from its start. (?=\d) asserted first: the
# engine skips to a digit.
_COUNTED_FIGURE = re.compile(r"(?=\d)(?<!\d)\d+(?:\.\d+)?\s?(?:件|条|个|次|篇|份|起|宗|项|年|月|日|元|万元|人|名|家|场|%)")


def is_prose_line(line: str) -> bool:
    """A line of running text, never a table row, whatever numbers it holds."""
    return (bool(_PROSE_PUNCTUATION.search(line)) and bool(_COUNTED_FIGURE.search(line))
            and "|" not in line and "\t" not in line)


def line_items(line: str) -> tuple[list[tuple[str, str, bool]], bool]:
    """Items of one printed line and whether its cells were explicit."""
    if is_prose_line(line):
        return [], False
    if "|" in line:
        cells = _split_pipes(line)
        if cells and all(_SEPARATOR_CELL.match(c) for c in cells if c.strip()) and any(c.strip() for c in cells):
            return [], True
        items = []
        for c in cells:
            items.extend(_cell_items(c))
        return items, True
    if "\t" in line:
        cells = line.split("\t")
        if all(_SEPARATOR_CELL.match(c) or not c.strip() for c in cells):
            return [], True
        items = []
        for c in cells:
            items.extend(_cell_items(c))
        return items, True
    return lex_inline(line), False


def grid_items(row: tuple[str | None, ...]) -> list[tuple[str, str, bool]]:
    items = []
    for c in row:
        if c is None:  # covered by a spanning cell: not a position of its own
            continue
        items.extend(_cell_items(c))
    return items


def ends_with_empty_cell(printed: str) -> bool:
    """"821 | 35 |  | 1 | " — a row that does not open with a "|" but ends with one has an empty
    last cell: a closing "|" would have an opening one to match."""
    stripped = printed.strip()
    return "|" in stripped and stripped.endswith("|") and not stripped.startswith("|")


def is_cell_per_line(rows: list[list[tuple[str, str, bool]]]) -> bool:
    """Pages that print every cell on its own line ("0 |" / "|" lines)."""
    number_lines = [r for r in rows if any(k == "num" for k, _, _ in r)]
    if len(number_lines) < 3:
        return False
    # "0 | ||" (a cell, then the page's empty padding cells) is a lone cell too.
    lone = [r for r in number_lines if sum(1 for k, text, _ in r if k != "blank" or text) == 1]
    return len(lone) >= 0.8 * len(number_lines)


def segments_from_rows(rows: list[tuple[list[tuple[str, str, bool]], bool, str]]) -> list[Segment]:
    """Rows of items (items, explicit, printed text) → segments, in order."""
    cell_per_line = is_cell_per_line([r[0] for r in rows])
    segments: list[Segment] = []
    pending = ""  # label text seen since the last segment
    current: Segment | None = None

    def close(reason_label: bool) -> None:
        nonlocal current
        if current is not None:
            # Blank cells before a label on the same row are the label area's empty cells.
            if not (reason_label and all(t.kind == "blank" and not t.text for t in current.values)):
                if any(t.kind in VALUE_KINDS for t in current.values) or current.explicit:
                    segments.append(current)
        current = None

    for items, explicit, printed in rows:
        row_label = ""
        for kind, text, glued in items:
            if kind == "label":
                if current is not None:
                    close(reason_label=True)
                clean = _WHITESPACE.sub("", text)
                pending += clean
                row_label += clean
                continue
            if current is None:
                current = Segment(label=pending, own_label=row_label, explicit=explicit, row_text=printed)
                pending = ""
            current.values.append(Token(text, kind, glued and kind == "num"))
        if not cell_per_line:
            if current is not None and ends_with_empty_cell(printed):
                current.values.append(Token("", "blank"))
            close(reason_label=False)
    close(reason_label=False)
    from auditor.structure.tables.schema import HEADER_WORDS

    # A column-header row padded with empty cells ("| 自然人 | 法人或其他组织 | 总计 | |||||") is not
    # a row of blanks.
    return [s for s in segments if any(t.kind in VALUE_KINDS for t in s.values)
            or (s.values and not HEADER_WORDS.search(s.own_label or s.label))]
