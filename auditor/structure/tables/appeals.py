"""Table 四 (行政复议、行政诉讼情况): fifteen cells in one printed row, three groups of five."""

from __future__ import annotations

from auditor.model import Diagnostic
from auditor.structure.tables import schema
from auditor.structure.tables.cells import Token, _split_pipes, ends_with_empty_cell, is_not_a_count
from auditor.structure.tables.split import appeal_row_checks, cell_value, readings, to_number

WIDTH = len(schema.APPEAL_GROUPS) * len(schema.APPEAL_COLUMNS)


def _positions(items, explicit: bool, printed: str) -> list[Token]:
    """Explicit rows keep one position per cell (header remnants in a data row count as blank)."""
    if explicit:
        if "|" in printed:
            cells = _split_pipes(printed)
        elif "\t" in printed:
            cells = printed.split("\t")
        else:
            cells = None
        if cells is not None and ends_with_empty_cell(printed):
            cells = cells + [""]
        if cells is not None:
            out = []
            for c in cells:
                c = c.strip()
                num = c.replace(",", "")
                if to_number(num) is not None:
                    out.append(Token(num, "num"))
                elif is_not_a_count(c):
                    out.append(Token(c, "bad"))  # "1e5": a position whose value is unreadable
                else:
                    out.append(Token("", "blank"))
            return out
    out = []
    for kind, text, glued in items:
        if kind == "num":
            out.append(Token(text, "num", glued))
        elif kind == "bad":
            out.append(Token(text, "bad"))
        elif kind == "blank" or explicit:
            out.append(Token("", "blank"))
    return out


def recover_appeals(rows) -> tuple[dict, list[Diagnostic]]:
    data = []
    for items, explicit, printed in rows:
        if any(k == "num" for k, _, _ in items):
            data.append(_positions(items, explicit, printed))
    if not data:
        return {}, []
    digits = lambda toks: sum(len(t.text.lstrip("-")) for t in toks if t.kind == "num")
    nums = lambda toks: sum(1 for t in toks if t.kind == "num")
    # The data row is the one with the most printed numbers; rows of five are read together.
    full = [d for d in data if nums(d) >= WIDTH or digits(d) >= WIDTH]
    if full:
        tokens = max(full, key=nums)
    else:
        tokens = [t for d in data if nums(d) >= 3 for t in d] or max(data, key=nums)
    # Separators printed as blank lines around a data row are not cells.
    while tokens and tokens[-1].kind == "blank" and len(tokens) > WIDTH:
        tokens.pop()
    found, how = readings(tokens, WIDTH, False, appeal_row_checks())
    diagnostics: list[Diagnostic] = []
    cells = tuple(f"appeals.{g}.{c}" for g in schema.APPEAL_GROUPS for c in schema.APPEAL_COLUMNS)
    if len(found) > 1:
        options = sorted(set(found))
        merged = tuple(options[0][i] if all(o[i] == options[0][i] for o in options) else None for i in range(WIDTH))
        diagnostics.append(Diagnostic("split_ambiguous", f"表四的连写数字有{len(options)}种拆法都满足各组合计，无法确定",
                                      cells, {"readings": [list(o) for o in options[:10]]}))
        reading = merged
    else:
        reading = found[0]
        if how == "aligned" and nums(tokens) < WIDTH:
            diagnostics.append(Diagnostic("row_aligned", f"表四只读到{nums(tokens)}个数，少于{WIDTH}格，已靠右对齐",
                                          cells, {}))
    table: dict = {}
    for gi, group in enumerate(schema.APPEAL_GROUPS):
        table[group] = {col: cell_value(f"appeals.{group}.{col}", reading[gi * 5 + ci], diagnostics)
                        for ci, col in enumerate(schema.APPEAL_COLUMNS)}
    return table, diagnostics
