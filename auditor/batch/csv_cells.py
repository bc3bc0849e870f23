"""Cells of the CSV files auditor writes, made safe to open in a spreadsheet (CSV injection).

Excel, LibreOffice and WPS run a cell whose text starts with = + - @ (or a tab or carriage return
before one) as a formula: a body's name or a file name from a report could then compute, link or
call out when reports.csv is opened. OWASP's advice is followed: such a cell gets a leading single
quote, which spreadsheets show as text and do not run. Chinese input methods type the full-width
forms ＝ ＋ － ＠, which some spreadsheet versions also take as the start of a formula, and leading
blanks do not stop it either, so both count too.

Numbers (int, float) are written as they are, so that numeric columns stay numeric: only text is
ever prefixed.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")


def csv_cell(value) -> str | int | float:
    """The value as a CSV writer should get it: numbers unchanged, None empty, text made inert."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    # Leading whitespace (spaces, the ideographic space, line breaks) does not stop a formula.
    first = text.lstrip(" \u3000\n")[:1]
    if text[:1] in FORMULA_STARTS or first in FORMULA_STARTS:
        return "'" + text
    return text


def csv_row(values) -> list:
    return [csv_cell(value) for value in values]
