"""Laying out Chinese text for a terminal: display widths, the output width, line breaking.

Used by every place that prints prose for people at a fixed width: the text report of
`audit`, the help pages and `rules list`.

- Width: East Asian wide and fullwidth characters take two columns (unicodedata), combining
  marks none, everything else one (ambiguous characters such as “…” count one, as in most
  terminals outside CJK locales).
- The output width (`output_width`): `COLUMNS` when set, else the terminal's width when the
  stream is a terminal, else 80 — so a file or a pipe always gets the same layout.
- Breaking (`wrap`): between two characters where either is Chinese, and at spaces; never
  inside a run of Latin letters and digits (a rule id, a path, a number), never before closing
  punctuation (，。）” …) or after opening punctuation (（“ …), never between a digit and the
  Chinese unit after it (“2602条”). Continuation lines start with a hanging indent.
- Formulas: an arithmetic expression in a message — terms such as “维持(10)”, “（一）予以公开(6)”,
  “21（收到申请21件）”, “办结12件” or a bare number, joined by + / = ≠ < > ≤ ≥ — is kept on one
  line whenever it fits on a line by itself. Only a formula wider than a whole line is broken,
  and then only before one of its operators (the space before “=”/“≠” is dropped at the break);
  never inside a term, so a label never leaves its value.
- A line with no break opportunity at all (a path longer than the width) is cut where it
  overflows: better than running past the edge.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

DEFAULT_WIDTH = 80
MIN_WIDTH = 40  # below this nothing reads well; a tiny COLUMNS is treated as this

NO_LINE_START = set("，。、；：！？）】」』”’》〉〕｝…—·%‰,.;:!?)]}⟧")
NO_LINE_END = set("（【「『“‘《〈〔｛([{⟦")

# A formula: terms joined by operators (see the module docstring).
# A number or enumerator starts where its digit run starts ((?<!\d)): inside a term one never
# follows a digit, and without it the search restarted at every digit of a long run (quadratic).
_NUMBER = r"-?(?<!\d)\d+(?:\.\d+)?%?"
_ENUMERATOR = r"(?:（[一二三四五六七八九十]+）|(?<!\d)\d+\.)"  # （七） or 1. before a table label
_LABEL = rf"(?:{_ENUMERATOR}?[\u4e00-\u9fff]{{1,12}})"
_NOTE = r"(?:（[^（）\s]{1,30}）)"  # 21（收到申请21件）, （六）其他处理(4)（其余各项为0）
_TERM = rf"(?:{_LABEL}?\({_NUMBER}\)|{_LABEL}?{_NUMBER}[件条份个项次万元]?){_NOTE}?"
_OPERATOR = r"[+=≠<>≤≥/×÷＋＝]"
FORMULA = re.compile(rf"{_TERM}(?:[ \t]*{_OPERATOR}[ \t]*{_TERM})+")
_FORMULA_PIECE = re.compile(rf"{_TERM}|{_OPERATOR}|[ \t]+")


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def output_width(stream=None) -> int:
    """The columns to lay out for: COLUMNS, else the terminal's width, else 80 (see above)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    try:
        if stream is not None and stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, MIN_WIDTH)
    except (AttributeError, OSError, ValueError):
        pass  # not a real terminal (a test's capture, a closed stream)
    return DEFAULT_WIDTH


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` columns."""
    return text + " " * max(0, width - text_width(text))


# --------------------------------------------------------------------------- breaking


@dataclass
class _Unit:
    """The smallest piece a line is built from: one character, or a whole formula term."""
    text: str
    style: str | None
    width: int
    space: bool
    break_before: bool = False


def _is_wide(char: str) -> bool:
    return char_width(char) == 2


def _may_break(before: str, after: str) -> bool:
    """May a line end after the character `before` and the next start with `after`?"""
    if after.isspace():
        return False  # the break comes after the spaces, which are then dropped
    if before.isspace():
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isascii() and before.isalnum() and _is_wide(after):
        return False  # “2602条”, “TBL-I2表”: a number keeps its unit
    return _is_wide(before) or _is_wide(after)


def _units(runs, available: int) -> list[_Unit]:
    units: list[_Unit] = []

    def add(text: str, style, breakable: bool | None, space: bool | None = None) -> None:
        """breakable None: decide by the characters on each side (ordinary text). space False:
        a space that is part of a formula, never a place to break."""
        unit = _Unit(text, style, text_width(text), text.isspace() if space is None else space)
        if units:
            unit.break_before = (_may_break(units[-1].text[-1], text[0]) if breakable is None
                                 else breakable)
        units.append(unit)

    for text, style in runs:
        at = 0
        for match in FORMULA.finditer(text):
            for char in text[at:match.start()]:
                add(char, style, None)
            formula = match.group()
            # Broken inside only when it cannot fit on a line of its own.
            inner = text_width(formula) > available
            pieces = _FORMULA_PIECE.findall(formula)
            for number, piece in enumerate(pieces):
                if number == 0:
                    add(piece, style, None)
                elif piece.isspace():
                    # Only the space before an operator may become a break (and be dropped).
                    before_operator = re.fullmatch(_OPERATOR, pieces[number + 1]) is not None
                    add(piece, style, False, space=inner and before_operator)
                elif re.fullmatch(_OPERATOR, piece):
                    add(piece, style, inner)
                else:
                    add(piece, style, False)
            at = match.end()
        for char in text[at:]:
            add(char, style, None)
    return units


def wrap(runs, width: int, indent: str = "", hanging: str = "") -> list[list[tuple[str, str | None]]]:
    """Break styled text into lines of at most `width` columns.

    `runs` is a sequence of (text, style) — a style is whatever the caller renders (a rich style
    name, None for plain). The first line starts with `indent`, the others with `hanging`.
    Returns the lines as lists of (text, style), indents included (with style None).
    """
    available = max(width - text_width(hanging), 1)
    units = _units([(t.replace("\n", " "), s) for t, s in runs if t], available)
    lines: list[list[_Unit]] = []
    line: list[_Unit] = []
    used = text_width(indent)
    prefix = indent

    def finish(content: list[_Unit]) -> None:
        while content and content[-1].space:
            content.pop()
        lines.append(content)

    for unit in units:
        if not line and unit.space and lines:
            continue  # a continuation line does not start with the space it was broken at
        if line and used + unit.width > width:
            cut = next((i for i in range(len(line) - 1, 0, -1) if line[i].break_before), None)
            if unit.break_before or unit.space:
                cut = len(line)  # right here is a break opportunity
            if cut is None:
                cut = len(line)  # nowhere to break: cut where it overflows
            rest = line[cut:]
            finish(line[:cut])
            while rest and rest[0].space:
                rest.pop(0)
            line = rest
            prefix = hanging
            used = text_width(hanging) + sum(u.width for u in line)
            if unit.space and not line:
                continue
        line.append(unit)
        used += unit.width
    finish(line)

    out = []
    for number, content in enumerate(lines):
        merged: list[tuple[str, str | None]] = [(indent if number == 0 else hanging, None)]
        for unit in content:
            if merged and merged[-1][1] == unit.style and len(merged) > 1:
                merged[-1] = (merged[-1][0] + unit.text, unit.style)
            else:
                merged.append((unit.text, unit.style))
        out.append([(text, style) for text, style in merged if text])
    return out


def wrap_text(text: str, width: int, indent: str = "", hanging: str = "") -> list[str]:
    """`wrap` for plain text: the lines as strings."""
    return ["".join(t for t, _ in line) for line in wrap([(text, None)], width, indent, hanging)]
