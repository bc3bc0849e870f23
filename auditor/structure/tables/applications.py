"""Table 三 (收到和处理政府信息公开申请情况)."""

from __future__ import annotations

import itertools

from auditor.model import Diagnostic
from auditor.structure.tables.labels import ROW_LABELS
from auditor.structure.tables import schema
from auditor.structure.tables.align import align_segments, guessed_label_notes
from auditor.structure.tables.cells import Segment, segments_from_rows
from auditor.structure.tables.split import application_row_checks, cell_value, readings, to_number

WIDTH = len(schema.APPLICANT_COLUMNS)
MAX_COMBINATIONS = 200_000


def _has_enough_values(seg: Segment, width: int) -> bool:
    nums = [t for t in seg.values if t.kind == "num"]
    digits = sum(len(t.text.lstrip("-").replace(".", "")) for t in nums)
    return len(seg.values) * 2 >= width or digits >= width


def column_violations(rows: dict[str, tuple]) -> int:
    """How many column identities (I1, I2) fail where every cell involved is known."""
    def cell(key: str, col: int):
        row = rows.get(key)
        return None if row is None else to_number(row[col])

    violations = 0
    for col in range(WIDTH):
        a, b, c, d = (cell(k, col) for k in ("new_received", "carried_over", "total_processed", "carried_forward"))
        if None not in (a, b, c, d) and a + b != c + d:
            violations += 1
        parts = [cell(k, col) for k in schema.result_rows(rows)]
        if c is not None and parts and None not in parts and sum(parts) != c:
            violations += 1
    return violations


def _resolve(candidates: dict[str, list[tuple]]) -> tuple[dict[str, tuple], dict[str, list[tuple]]]:
    fixed = {k: c[0] for k, c in candidates.items() if len(c) == 1}
    open_rows = {k: c for k, c in candidates.items() if len(c) > 1}
    if not open_rows:
        return fixed, {}
    keys = list(open_rows)
    total = 1
    for k in keys:
        total *= len(open_rows[k])
    if total > MAX_COMBINATIONS:
        return fixed, open_rows
    best: list[tuple] = []
    best_score = None
    for combo in itertools.product(*(open_rows[k] for k in keys)):
        trial = dict(fixed)
        trial.update(zip(keys, combo))
        score = column_violations(trial)
        if best_score is None or score < best_score:
            best, best_score = [combo], score
        elif score == best_score:
            best.append(combo)
    resolved = dict(fixed)
    still_open: dict[str, list[tuple]] = {}
    for idx, key in enumerate(keys):
        readings_of_row = {combo[idx] for combo in best}
        if len(readings_of_row) == 1:
            resolved[key] = best[0][idx]
        else:
            # Keep the cells every surviving reading agrees on; the rest stay unknown.
            options = sorted(readings_of_row)
            merged = tuple(options[0][c] if all(o[c] == options[0][c] for o in options) else None
                           for c in range(WIDTH))
            resolved[key] = merged
            still_open[key] = options
    return resolved, still_open


def recover_applications(rows, ocr: bool = False) -> tuple[dict, list[Diagnostic]]:
    """`ocr`: the rows were read by OCR (a label read with a character wrong still names its
    row, and a row so named is noted: guessed_label_notes)."""
    segments = [s for s in segments_from_rows(rows) if _has_enough_values(s, WIDTH)]
    assigned = align_segments(segments, schema.APPLICATION_ROWS, ocr=ocr)
    diagnostics: list[Diagnostic] = guessed_label_notes("applications", assigned, schema.APPLICATION_ROWS,
                                                        {s.key: schema.APPLICANT_COLUMNS for s in schema.APPLICATION_ROWS}) \
        if ocr else []
    candidates: dict[str, list[tuple]] = {}
    for key, seg in assigned.items():
        found, how = readings(seg.values, WIDTH, seg.explicit, application_row_checks())
        candidates[key] = found
        cells = tuple(f"applications.{key}.{c}" for c in schema.APPLICANT_COLUMNS)
        if how == "aligned" and not seg.explicit:
            diagnostics.append(Diagnostic(
                "row_aligned", f"表三“{ROW_LABELS.get(key, key).strip()}”行只读到{sum(t.kind == 'num' for t in seg.values)}个数，"
                f"少于{WIDTH}列，已靠右对齐，缺的格记为空", cells, {"printed": seg.row_text[:200]}))
        elif how == "split_unchecked":
            diagnostics.append(Diagnostic(
                "split_unchecked", f"表三“{ROW_LABELS.get(key, key).strip()}”行连写数字“{seg.row_text[:60]}”只有一种拆法，但拆出的数不满足行合计",
                cells, {"reading": list(found[0])}))
    resolved, still_open = _resolve(candidates)
    for key, options in still_open.items():
        diagnostics.append(Diagnostic(
            "split_ambiguous", f"表三“{ROW_LABELS.get(key, key).strip()}”行的连写数字有{len(options)}种拆法都满足勾稽关系，无法确定，"
            f"不一致的格记为空", tuple(f"applications.{key}.{c}" for c in schema.APPLICANT_COLUMNS),
            {"readings": [list(o) for o in options[:10]]}))
    table: dict = {}
    for spec in schema.APPLICATION_ROWS:
        if spec.key in resolved:
            table[spec.key] = {col: cell_value(f"applications.{spec.key}.{col}", v, diagnostics)
                               for col, v in zip(schema.APPLICANT_COLUMNS, resolved[spec.key])}
    return table, diagnostics
