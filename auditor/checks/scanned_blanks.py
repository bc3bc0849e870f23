"""Identities of an OCR'd table decided through their unread cells.

An identity with a blank or unreadable cell is undecidable (checks/identity.py says so once per
table, as info): on a text layer that is all one can say. On a scan it hides misreads: a poor
copy loses faint zeros (the blank) and reads others as 6, 8 or 9 (the misread), and the misread
breaks no identity because every identity it is in has a lost zero in it.

Two things still decide such identities:

- Counts are never negative: an unread cell holds 0 or more. When the known cells on the side
  with the unread ones already exceed the other side, no figure of the unread cells makes the
  identity hold: it fails whatever they are, and least when they are 0. Such a line is a failed
  identity with its unread cells taken as 0 (`implied_failures`).
- An unread cell in two identities: each line whose only unread cell it is says what it holds
  (the difference of its other cells). Two lines that say different figures cannot both hold,
  whatever it holds; taking one from the other leaves an identity of read cells only, the
  unread one gone (`derived_failures`): "二、上年结转" row says its 公益组织 cell is 2 − (1+1+3),
  the 公益组织 column says it is 3 − 1; one of the read cells is wrong.

checks/scanned.py weighs these as it weighs any failed identity of a scan (a doubtful cell whose
one-digit misread, or two doubtful cells whose misreads, make it hold are named as a possible
reading error) and keeps them only so: one that no doubtful reading explains is dropped, as the
text layer reports nothing there either — the report is never blamed through a cell the OCR
could not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


@dataclass(frozen=True)
class _Line:
    """One line of an identity rule (a column of table 三 for a rule over columns): its cells
    with their values (None: blank or unreadable), by side."""

    rule: Rule
    table: str
    line: str
    op: str
    left_terms: tuple[str, ...]
    right_terms: tuple[str, ...]
    left: tuple[tuple[str, object], ...]
    right: tuple[tuple[str, object], ...]

    @property
    def unread(self) -> list[str]:
        return [path for path, v in self.left + self.right if v is None]


def _lines(doc: Document, identities: list[Rule]) -> list[_Line]:
    """Every line of the table identities (`=` or `<=`, none through the previous report) whose
    cells the report prints, none of them boolean."""
    from auditor.checks import identity

    out = []
    for rule in identities:
        p = rule.params
        if p.get("mode", "expression") != "expression" or "previous." in p.get("expression", ""):
            continue
        table_key = p["table"]
        table = doc.tables.get(table_key) or {}
        if not table:
            continue
        left_terms, right_terms, op = identity.parse_expression(p["expression"])
        op = p.get("compare", op)
        over = p.get("over", "columns")
        left, right = identity._expand(left_terms, table, over), identity._expand(right_terms, table, over)
        for line in identity._lines(table, over, p.get("only")):
            def cell(term: str) -> tuple[str, object]:
                row, column = (term, line) if over == "columns" else (line, term)
                return f"{table_key}.{row}.{column}", table.get(row, {}).get(column, "absent")

            left_cells, right_cells = tuple(cell(t) for t in left), tuple(cell(t) for t in right)
            involved = left_cells + right_cells
            if any(v == "absent" for _, v in involved) or any(isinstance(v, bool) for _, v in involved):
                continue
            out.append(_Line(rule, table_key, line, op, tuple(left), tuple(right), left_cells, right_cells))
    return out


def implied_failures(doc: Document, identities: list[Rule]) -> list[Finding]:
    """For each line of an identity (`=`, or `<=` with the unread cells on the left) whose unread
    cells (blank, or unreadable: None) all sit on one side and whose known cells on that side
    already exceed the other side: a failed identity with those cells as 0, as checks/identity.py
    words a failure ("空" for the unread cells), with evidence["implied_blanks"] naming them."""
    from auditor.checks import identity

    out = []
    for ln in _lines(doc, identities):
        unread_left = [path for path, v in ln.left if v is None]
        unread_right = [path for path, v in ln.right if v is None]
        if not (unread_left or unread_right) or (unread_left and unread_right):
            continue  # decided by the identity check itself, or no bound either way
        if ln.op == "<=" and unread_right:
            continue  # the right side can be as large as it likes
        lsum = sum(v for _, v in ln.left if v is not None)
        rsum = sum(v for _, v in ln.right if v is not None)
        # The side with the unread cells is already past the other (or, for "<=", the left is).
        over_by = lsum - rsum if unread_left else rsum - lsum
        if over_by <= 1e-6:
            continue
        unread = unread_left or unread_right
        expression = (f"{_side_text(ln.left, ln.left_terms)} = {identity._fmt(lsum)} "
                      f"{'≠' if ln.op == '=' else '>'} {identity._fmt(rsum)} = {_side_text(ln.right, ln.right_terms)}")
        message = ln.rule.format(line=identity._label(ln.line), left=identity._fmt(lsum), right=identity._fmt(rsum),
                                 expression=expression) + "（空白或未能识别的格按0计：填入任何非负数都不平）"
        involved = ln.left + ln.right
        out.append(make_finding(
            ln.rule, doc, message, cells=[path for path, _ in involved], section=ln.table, severity="error",
            content=f"implied:{ln.line}",
            evidence={"expression": expression, "left": lsum, "right": rsum,
                      "values": {path: v for path, v in involved},
                      "left_cells": [path for path, _ in ln.left], "implied_blanks": unread}))
    return out


def derived_failures(doc: Document, identities: list[Rule]) -> list[Finding]:
    """For each unread cell that is the only unread cell of two identity lines (`=`) which say
    different figures for it: the identity of read cells left when the one line is taken from
    the other (the unread cell gone), as a failed identity — evidence["derived_through"] names
    the unread cell, the two lines and what each says it holds."""
    from auditor.checks import identity
    from auditor.checks.scanned import _cell_name

    by_cell: dict[str, list[tuple[_Line, list, list, float]]] = {}
    for ln in _lines(doc, identities):
        unread = ln.unread
        if ln.op != "=" or len(unread) != 1:
            continue
        u = unread[0]
        # u = (the other side) − (the rest of its side): the cells added and the cells taken.
        own, other = (ln.left, ln.right) if any(path == u for path, _ in ln.left) else (ln.right, ln.left)
        plus = [(p, v) for p, v in other]
        minus = [(p, v) for p, v in own if p != u]
        says = sum(v for _, v in plus) - sum(v for _, v in minus)
        by_cell.setdefault(u, []).append((ln, plus, minus, says))
    out = []
    for u, lines in by_cell.items():
        for i, (a, plus_a, minus_a, says_a) in enumerate(lines):
            for b, plus_b, minus_b, says_b in lines[i + 1:]:
                if abs(says_a - says_b) < 1e-6:
                    continue  # both hold with the figure they agree on
                # plus_a − minus_a = plus_b − minus_b  ⇒  plus_a + minus_b = plus_b + minus_a;
                # a cell on both sides cancels (the total both lines go through).
                left, right = list(plus_a + minus_b), list(plus_b + minus_a)
                for path, value in list(left):
                    match = next((k for k, (p, _) in enumerate(right) if p == path), None)
                    if match is not None:
                        left.remove((path, value))
                        right.pop(match)
                if not left or not right:
                    continue
                lsum, rsum = sum(v for _, v in left), sum(v for _, v in right)
                where_a, where_b = _where(a), _where(b)
                expression = (f"{'+'.join(f'{_cell_name(p)}({identity._fmt(v)})' for p, v in left)} = "
                              f"{identity._fmt(lsum)} ≠ {identity._fmt(rsum)} = "
                              f"{'+'.join(f'{_cell_name(p)}({identity._fmt(v)})' for p, v in right)}")
                message = (f"{_cell_name(u)}空白或未能识别，但{where_a}推出它为{identity._fmt(says_a)}，"
                           f"{where_b}推出它为{identity._fmt(says_b)}，填入任何数都不能使两式同时成立"
                           f"（两式相减：{expression}）")
                involved = left + right
                out.append(make_finding(
                    a.rule, doc, message, cells=[path for path, _ in involved], section=a.table,
                    severity="error", content=f"derived:{u}:{a.rule.id}:{a.line}:{b.rule.id}:{b.line}",
                    evidence={"expression": expression, "left": lsum, "right": rsum,
                              "values": {path: v for path, v in involved},
                              "left_cells": [path for path, _ in left],
                              "derived_through": {"cell": u, "lines": [
                                  {"rule": a.rule.id, "line": a.line, "says": says_a},
                                  {"rule": b.rule.id, "line": b.line, "says": says_b}]}}))
    return out


def _where(ln: _Line) -> str:
    """A line as the report names it: “二、上年结转”行 (a rule over rows), “公益组织”列 (over columns)."""
    from auditor.checks import identity

    over_rows = ln.rule.params.get("over", "columns") == "rows"
    return f"{ln.rule.id}“{identity._label(ln.line)}”{'行' if over_rows else '列'}"


def _side_text(cells, terms) -> str:
    from auditor.checks import identity

    parts = [(t, v) for t, (_, v) in zip(terms, cells)]
    if len(parts) > 6:  # long sums: the non-zero terms and the unread ones say it all
        shown = [(t, v) for t, v in parts if v is None or v]
        return "+".join(f"{identity._label(t)}({identity._fmt(v)})" for t, v in shown) + "（其余各项为0）"
    return "+".join(f"{identity._label(t)}({identity._fmt(v)})" for t, v in parts)
