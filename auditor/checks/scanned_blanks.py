"""Identities of an OCR'd table decided through their unread cells.

An identity with a blank or unreadable cell is undecidable (checks/identity.py says so once per
table, as info): on a text layer that is all one can say. On a scan it hides misreads: a poor
copy loses faint zeros (the blank) and reads others as 6, 8 or 9 (the misread), and the misread
breaks no identity because every identity it is in has a lost zero in it.

Yet counts are never negative: an unread cell holds 0 or more. When the known cells on the side
with the unread ones already exceed the other side, no figure of the unread cells makes the
identity hold: it fails whatever they are, and least when they are 0. Such a line is a failed
identity with its unread cells taken as 0 (`implied_failures`); checks/scanned.py weighs it as it
weighs any failed identity of a scan (a doubtful cell whose one-digit misread, or two doubtful
cells whose misreads, make it hold are named as a possible reading error) and keeps it only so:
one that no doubtful reading explains is dropped, as the text layer reports nothing there
either — the report is never blamed through a cell the OCR could not read.
"""

from __future__ import annotations

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


def implied_failures(doc: Document, identities: list[Rule]) -> list[Finding]:
    """For each line of an identity (`=`, or `<=` with the unread cells on the left) whose unread
    cells (blank, or unreadable: None) all sit on one side and whose known cells on that side
    already exceed the other side: a failed identity with those cells as 0, as checks/identity.py
    words a failure ("空" for the unread cells), with evidence["implied_blanks"] naming them."""
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

            left_cells, right_cells = [cell(t) for t in left], [cell(t) for t in right]
            involved = left_cells + right_cells
            if any(v == "absent" for _, v in involved) or any(isinstance(v, bool) for _, v in involved):
                continue
            unread_left = [path for path, v in left_cells if v is None]
            unread_right = [path for path, v in right_cells if v is None]
            if not (unread_left or unread_right) or (unread_left and unread_right):
                continue  # decided by the identity check itself, or no bound either way
            if op == "<=" and unread_right:
                continue  # the right side can be as large as it likes
            lsum = sum(v for _, v in left_cells if v is not None)
            rsum = sum(v for _, v in right_cells if v is not None)
            # The side with the unread cells is already past the other (or, for "<=", the left is).
            over_by = lsum - rsum if unread_left else rsum - lsum
            if over_by <= 1e-6:
                continue

            def side_text(cells, terms):
                parts = [(t, v) for t, (_, v) in zip(terms, cells)]
                if len(parts) > 6:  # long sums: the non-zero terms and the unread ones say it all
                    shown = [(t, v) for t, v in parts if v is None or v]
                    return "+".join(f"{identity._label(t)}({identity._fmt(v)})" for t, v in shown) + "（其余各项为0）"
                return "+".join(f"{identity._label(t)}({identity._fmt(v)})" for t, v in parts)

            unread = unread_left or unread_right
            expression = (f"{side_text(left_cells, left)} = {identity._fmt(lsum)} "
                          f"{'≠' if op == '=' else '>'} {identity._fmt(rsum)} = {side_text(right_cells, right)}")
            message = rule.format(line=identity._label(line), left=identity._fmt(lsum), right=identity._fmt(rsum),
                                  expression=expression) + "（空白或未能识别的格按0计：填入任何非负数都不平）"
            out.append(make_finding(
                rule, doc, message, cells=[path for path, _ in involved], section=table_key, severity="error",
                content=f"implied:{line}",
                evidence={"expression": expression, "left": lsum, "right": rsum,
                          "values": {path: v for path, v in involved},
                          "left_cells": [path for path, _ in left_cells], "implied_blanks": unread}))
    return out
