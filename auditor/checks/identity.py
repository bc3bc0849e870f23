"""Rule kind `identity`: an arithmetic identity over table cells (勾稽关系 I1–I6).

params:
  table: applications | appeals | active
  expression: "new_received + carried_over = total_processed + carried_forward"
      Terms are row keys (when iterating over columns) or column keys (when iterating over
      rows), joined by "+", one "=" between the sides. `@results` stands for the result rows of
      table 三: 予以公开, 部分公开 and, per group, its leaf rows (or its subtotal when the report
      prints no leaves). `@applicants` stands for the six applicant columns. `@active_total` (and
      the other totals of the 2008 statistics table, legacy.GROUPS) stands for the 其中 rows of
      that total the report prints.
  over: columns | rows      which way the expression is applied
  only: [keys]              restrict the iteration (e.g. only the total column)
  compare: "=" (default) | "<="   for inequalities (I6: carried_forward <= new + carried)
  mode: expression (default) | blank | integer | nonnegative | parse_ambiguity | ocr_doubtful | ocr_unread
  signed: [columns]         with mode nonnegative: columns that may be below zero
  A term "previous.<key>" names the cell of the same body's previous report (X1, X2: given with
  `audit --previous FILE`); rules with such terms are skipped when there is no previous report.

A side is evaluated only when every cell in it is known; if some are blank, the identity is
undecidable for that line and the rule reports that once per table (with the blank cells),
unless the whole line is blank (that is the blank-cells rule's business).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.checks.scanned_unread import said_lost, unread_cells
from auditor.model import Document, Finding
from auditor.rules.rule import Rule
from auditor.structure.tables import schema
from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS
from auditor.structure.tables.legacy import GROUPS as LEGACY_GROUPS

_TERM = re.compile(r"^(?:previous\.)?@?[a-z_]+$")


def parse_expression(expression: str) -> tuple[list[str], list[str], str]:
    for op in ("<=", "="):
        if op in expression:
            left, right = expression.split(op, 1)
            break
    else:
        raise ValueError(f"identity expression without '=' or '<=': {expression!r}")
    sides = []
    for side in (left, right):
        terms = [t.strip() for t in side.split("+") if t.strip()]
        if not terms or not all(_TERM.match(t) for t in terms):
            raise ValueError(f"bad identity side {side!r}")
        sides.append(terms)
    return sides[0], sides[1], op


def _expand(terms: list[str], table: dict, over: str) -> list[str]:
    out: list[str] = []
    for t in terms:
        if t == "@results":
            out.extend(schema.result_rows(table))
        elif t == "@applicants":
            out.extend(schema.APPLICANT_COLUMNS[:-1])
        elif t[1:] in LEGACY_GROUPS:
            out.extend(k for k in LEGACY_GROUPS[t[1:]] if k in table)
        else:
            out.append(t)
    return out


def _label(key: str) -> str:
    if key.startswith("previous."):
        return "上年" + _label(key[len("previous."):])
    return (ROW_LABELS.get(key) or COLUMN_LABELS.get(key) or key).strip()


def _fmt(v) -> str:
    return "空" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        uses_previous = "previous." in rule.params.get("expression", "")
        if uses_previous and ctx.previous is None:
            continue
        yield from _run_rule(doc, rule, ctx.previous if uses_previous else None, rules)


def _lines(table: dict, over: str, only) -> list[str]:
    if over == "columns":
        columns: list[str] = []
        for row in table.values():
            for c in row:
                if c not in columns:
                    columns.append(c)
        return [c for c in columns if not only or c in only]
    return [r for r in table if not only or r in only]


def _run_rule(doc: Document, rule: Rule, previous: Document | None = None,
              identities: list[Rule] = ()) -> Iterable[Finding]:
    p = rule.params
    table_key = p["table"]
    table = doc.tables.get(table_key) or {}
    if not table:
        return
    mode = p.get("mode", "expression")
    if mode == "parse_ambiguity":
        yield from _parse_ambiguity(doc, rule, table_key)
        return
    if mode == "blank":
        yield from _blank_cells(doc, rule, table_key, table, identities)
        return
    if mode == "integer":
        yield from _non_integer_cells(doc, rule, table_key, table)
        return
    if mode == "nonnegative":
        yield from _negative_cells(doc, rule, table_key, table)
        return
    if mode == "ocr_doubtful":  # figures no identity checks, read from a scan
        from auditor.checks import scanned_active

        yield from scanned_active.run_rule(doc, rule, table_key, list(identities))
        return
    if mode == "ocr_unread":  # cells a scan shows a figure in that the OCR did not read
        from auditor.checks import scanned_unread

        yield from scanned_unread.run_rule(doc, rule, table_key, list(identities))
        return
    left_terms, right_terms, op = parse_expression(p["expression"])
    op = p.get("compare", op)
    over = p.get("over", "columns")
    undecidable: list[tuple[str, list[str]]] = []
    unreadable = _ambiguous_cells(doc)
    # The terms name the same rows (columns) whatever the line: expanded once per rule.
    left = _expand(left_terms, table, over)
    right = _expand(right_terms, table, over)
    # Where each term's cells are read — this table or the previous report's, under which key —
    # is the same on every line; a cell's path is only written out when a line needs it.
    sources = [_term_source(term, table, previous, table_key) for term in left + right]
    rows = [source.get(key, {}) for source, key, _ in sources] if over == "columns" else None

    def path(i: int, line: str) -> str:
        _, key, prefix = sources[i]
        return f"{prefix}{table_key}.{key}.{line}" if over == "columns" else f"{prefix}{table_key}.{line}.{key}"

    for line in _lines(table, over, p.get("only")):
        if over == "columns":
            values = [row.get(line, "absent") for row in rows]
        else:
            values = [source.get(line, {}).get(key, "absent") for source, key, _ in sources]
        if any(v == "absent" for v in values):
            continue  # a row or column the report does not print: nothing to compare
        blanks = [path(i, line) for i, v in enumerate(values) if v is None]
        if blanks and any(b in unreadable for b in blanks):
            continue  # unreadable digits, not a blank in the report: the parse note says so
        if blanks:
            if len(blanks) < len(values):
                undecidable.append((line, blanks))
            continue
        lsum = sum(values[:len(left)])
        rsum = sum(values[len(left):])
        holds = abs(lsum - rsum) < 1e-6 if op == "=" else lsum <= rsum + 1e-6
        if holds:
            continue
        involved = [(path(i, line), v) for i, v in enumerate(values)]
        left_cells, right_cells = involved[:len(left)], involved[len(left):]
        def side_text(cells, terms):
            parts = [(t, v) for t, (_, v) in zip(terms, cells)]
            if len(parts) > 6:  # long sums: the non-zero terms say it all
                nonzero = [(t, v) for t, v in parts if v]
                return "+".join(f"{_label(t)}({_fmt(v)})" for t, v in nonzero) + "（其余各项为0）"
            return "+".join(f"{_label(t)}({_fmt(v)})" for t, v in parts)
        expression = (f"{side_text(left_cells, left)} = {_fmt(lsum)} "
                      f"{'≠' if op == '=' else '>'} {_fmt(rsum)} = {side_text(right_cells, right)}")
        yield make_finding(rule, doc, rule.format(line=_label(line), left=_fmt(lsum), right=_fmt(rsum),
                                                   expression=expression),
                           cells=[path for path, _ in involved if not path.startswith("previous:")],
                           section=table_key,
                           evidence={"expression": expression, "left": lsum, "right": rsum,
                                     "values": {path: v for path, v in involved},
                                     # Which cells are summed on the left: the side a cell is on
                                     # says which way a misread of it would move the sums.
                                     "left_cells": [path for path, _ in left_cells],
                                     **({"source": {"path": previous.path, "year": previous.meta.year}}
                                        if previous is not None else {})})
    if undecidable and p.get("report_undecidable", True):
        lines = "、".join(_label(line) for line, _ in undecidable[:10])
        cells = [c for _, blanks in undecidable for c in blanks]
        yield make_finding(rule, doc, f"{lines}有空白格，勾稽关系 {rule.id} 无法核对",
                           cells=cells, section=table_key, severity="info",
                           content=f"undecidable:{lines}",
                           evidence={"undecidable": [{"line": line, "blank_cells": blanks}
                                                     for line, blanks in undecidable]})


def _term_source(term: str, table: dict, previous: Document | None, table_key: str) -> tuple[dict, str, str]:
    """(the table a term's cells are in, the term's key there, the prefix of their paths)."""
    if term.startswith("previous."):
        return ((previous.tables.get(table_key) or {}) if previous else {}), term[len("previous."):], "previous:"
    return table, term, ""


def _blank_cells(doc: Document, rule: Rule, table_key: str, table: dict,
                 identities: list[Rule] = ()) -> Iterable[Finding]:
    """Blank, "/" or "—" in a mandatory cell is not 0: report it (one finding per table), saying
    how many of the blanks the table's own totals prove to be zeros left blank."""
    only_rows = rule.params.get("rows")
    unreadable = _ambiguous_cells(doc)
    # On a scan, a cell read blank where the table's own identities say a figure is printed may
    # be a figure the OCR lost (TBL-OCR-UNREAD names it, with its page and box): not the report's
    # blank. It is left out here and said so; a text layer has no such cells.
    lost = [d for d in unread_cells(doc, table_key, list(identities))
            if d["cell"] not in unreadable and (not only_rows or d["cell"].split(".")[1] in only_rows)]
    lost_cells = {d["cell"] for d in lost}
    blanks = [f"{table_key}.{r}.{c}" for r, row in table.items() if not only_rows or r in only_rows
              for c, v in row.items() if v is None and f"{table_key}.{r}.{c}" not in unreadable
              and f"{table_key}.{r}.{c}" not in lost_cells]
    if not blanks:
        return
    total = sum(len(row) for r, row in table.items() if not only_rows or r in only_rows)
    rows = sorted({b.split(".")[1] for b in blanks}, key=list(table).index)
    where = "、".join(_label(r) for r in rows[:6]) + ("等" if len(rows) > 6 else "")
    # A few blanks may be cells lost in reading the file (a PDF's empty-looking cell): the rule's
    # severity holds from params.min_share of the table on, below it they need a human look.
    severity = None
    if len(blanks) < rule.params.get("min_share", 0) * total:
        severity = "warning" if rule.severity == "error" else rule.severity
    known = known_values(table_key, table, list(identities))
    zeros = [b for b in blanks if known.get(tuple(b.split(".")[1:])) == 0]
    fixed = f"（其中{len(zeros)}格由表内合计可知为0）" if zeros else ""
    message = rule.format(count=len(blanks), total=total, where=where, fixed=fixed)
    evidence = {"blank_cells": blanks, "cells_in_table": total, "zeros_by_identity": zeros}
    if lost:
        message += f"；另有{len(lost)}格读为空白，而表内等式表明印有数字，可能是扫描件漏识别，未计入：{said_lost(lost)}"
        evidence["ocr_unread"] = lost
    yield make_finding(rule, doc, message, cells=blanks, section=table_key, severity=severity, evidence=evidence)


def _non_integer_cells(doc: Document, rule: Rule, table_key: str, table: dict) -> Iterable[Finding]:
    for r, row in table.items():
        for c, v in row.items():
            if v is None or (isinstance(v, int) and v >= 0):
                continue
            if isinstance(v, float) and v.is_integer() and v >= 0:
                continue
            path = f"{table_key}.{r}.{c}"
            yield make_finding(rule, doc, rule.format(cell=f"{_label(r)}/{_label(c)}", value=_fmt(v)),
                               cells=[path], section=table_key, evidence={"value": v})


def _negative_cells(doc: Document, rule: Rule, table_key: str, table: dict) -> Iterable[Finding]:
    """Cells below zero, where no figure can be (table 二's counts and amounts); the columns in
    params.signed may be negative (2019's 本年增/减)."""
    signed = set(rule.params.get("signed", ()))
    for r, row in table.items():
        for c, v in row.items():
            if c in signed or not isinstance(v, (int, float)) or v >= 0:
                continue
            path = f"{table_key}.{r}.{c}"
            yield make_finding(rule, doc, rule.format(cell=f"{_label(r)}/{_label(c)}", value=_fmt(v)),
                               cells=[path], section=table_key, evidence={"value": v})


# Reading notes (Diagnostic.kind) that make cells unknown: run-together digits with several
# splits, and cells printed but not as a number ("1e5"). (A row with fewer figures than columns,
# right-aligned, is read as printed: its blanks are the report's — the seed's squeezed table 四
# prints 2 figures for 15 cells.)
UNREADABLE_NOTES = ("split_ambiguous", "cell_unreadable")


def _ambiguous_cells(doc: Document) -> set[str]:
    return {c for d in doc.diagnostics if d.kind in UNREADABLE_NOTES for c in d.cells}


def _parse_ambiguity(doc: Document, rule: Rule, table_key: str) -> Iterable[Finding]:
    """Cells the reader could not read (UNREADABLE_NOTES): digits printed without separators that no
    identity can split. The cells stay unknown."""
    for d in doc.diagnostics:
        if d.kind not in UNREADABLE_NOTES or not any(c.startswith(table_key + ".") for c in d.cells):
            continue
        yield make_finding(rule, doc, rule.format(detail=d.message), cells=list(d.cells), section=table_key,
                           evidence={"readings": d.detail.get("readings", [])[:10]}, content=d.message)


def checkable_cells(table_key: str, table: dict, rules: list[Rule]) -> set[tuple[str, str]]:
    """The (row, column) cells of a table whose figure is known (see known_values)."""
    return set(known_values(table_key, table, rules))


def known_values(table_key: str, table: dict, rules: list[Rule]) -> dict[tuple[str, str], float]:
    """The figures of a table that are known: printed, or fixed by the table's own identities
    from printed figures (a blank whose row total already equals its filled parts is a 0 left
    blank; the one blank of an identity whose other cells are known is their difference).

    Evaluators check a table whose zeros were left blank by its totals: such a table can be
    assessed (its blanks are still reported by the blank-cells rule); a template's blanks fix
    nothing and stay unknown.
    """
    known = {(r, c): v for r, row in table.items() if isinstance(row, dict)
             for c, v in row.items() if isinstance(v, (int, float))}
    if all(isinstance(row, dict) for row in table.values()) and len(known) == sum(map(len, table.values())):
        return known  # every cell printed: no identity has a blank to fix
    equations = []
    for rule in rules:
        p = rule.params
        if (p.get("table") != table_key or p.get("mode", "expression") != "expression"
                or "previous." in p.get("expression", "")):
            continue
        left_terms, right_terms, op = parse_expression(p["expression"])
        if p.get("compare", op) != "=":
            continue
        over = p.get("over", "columns")
        # The terms name the same rows (columns) whatever the line: expanded once per rule.
        expanded = (_expand(left_terms, table, over), _expand(right_terms, table, over))
        for line in _lines(table, over, p.get("only")):
            sides = []
            for terms in expanded:
                cells = [(t, line) if over == "columns" else (line, t) for t in terms]
                sides.append(cells)
            if all(r in table and c in table[r] for side in sides for r, c in side):
                equations.append(sides)
    changed = True
    while changed:
        changed = False
        for left, right in equations:
            for full, other in ((left, right), (right, left)):
                if any(cell not in known for cell in full):
                    continue
                unknown = [cell for cell in other if cell not in known]
                if not unknown:
                    continue
                rest = sum(known[cell] for cell in full) - sum(known[cell] for cell in other if cell in known)
                if abs(rest) < 1e-9:
                    known.update({cell: 0 for cell in unknown})  # counts are never negative
                elif len(unknown) == 1 and rest > 0:
                    known[unknown[0]] = rest
                else:
                    continue
                changed = True
                break
    return known
