"""Table 二 (主动公开政府信息情况), 2021 and 2019 layouts."""

from __future__ import annotations

import re

from auditor.model import Diagnostic
from auditor.structure.tables.labels import ROW_LABELS
from auditor.structure.tables import schema
from auditor.structure.tables.align import guessed_label_notes, label_keys
from auditor.structure.tables.cells import segments_from_rows
from auditor.structure.tables.split import active_prior, cell_value, readings

# Words that name a row in the narrative, for reading glued figures against the prose.
_NARRATIVE_WORDS = {"regulations": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
                    "other_services": "对外管理服务", "punishment": "行政处罚", "coercion": "行政强制",
                    "admin_fees": "收费", "procurement": "采购"}


def _mentioned_numbers(narrative: str, key: str) -> set[str]:
    word = _NARRATIVE_WORDS.get(key)
    if not word:
        return set()
    found: set[str] = set()
    for sentence in re.split(r"[。；;\n]", narrative):
        if word in sentence:
            found.update(m.group(1) for m in re.finditer(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:件|条|个|项|万元|元)", sentence))
    return found


def _place_between(segments, specs, columns: dict, assigned: dict) -> None:
    """An OCR'd row whose label names no row takes the free row printed just before the next
    row's: a label of two characters (规章 read 规意, 概章, 规草) is too short to be named one
    character off (schema.near_keys), and the row's figures would be lost. Only the segment
    right before the next row's, after the previous row's, with a figure for each of the row's
    columns; guessed_label_notes then notes the row as placed by its neighbours."""
    position = {id(seg): n for n, seg in enumerate(segments)}
    taken = {id(seg) for seg in assigned.values()}
    for k, spec in enumerate(specs[:-1]):
        following = assigned.get(specs[k + 1].key)
        if spec.key in assigned or following is None:
            continue
        n = position[id(following)] - 1
        previous = assigned.get(specs[k - 1].key) if k else None
        if n < 0 or id(segments[n]) in taken or (previous is not None and position[id(previous)] >= n):
            continue
        seg = segments[n]
        primary, mentioned, near = label_keys(seg, specs, True)
        figures = [t for t in seg.values if t.kind == "num"]
        if primary is None and not mentioned and not near and len(figures) == len(columns[spec.key]) \
                and len(seg.values) == len(figures):
            assigned[spec.key] = seg
            taken.add(id(seg))


def recover_active(rows, template: str, narrative: str, ocr: bool = False) -> tuple[dict, list[Diagnostic]]:
    """`ocr`: the rows were read by OCR (a label read with a character wrong still names its
    row when it names one row only, and a row so named is noted)."""
    layout = schema.ACTIVE_ROWS_2019 if template == "2019" else schema.ACTIVE_ROWS_2021
    specs = tuple(spec for spec, _ in layout)
    columns = {spec.key: cols for spec, cols in layout}
    segments = segments_from_rows(rows)
    # Table 二 rows are named unambiguously and some reports print them out of order (OCR
    # markdown puts 规章 last), so each row takes the first segment whose label names it.
    assigned = {}
    for seg in segments:
        primary, _, near = label_keys(seg, specs, ocr)
        if primary is None and len(near) == 1:
            primary = next(iter(near))
        if primary is not None and primary not in assigned:
            assigned[primary] = seg
    if ocr:
        _place_between(segments, specs, columns, assigned)
    table: dict = {}
    diagnostics: list[Diagnostic] = guessed_label_notes("active", assigned, specs, columns) if ocr else []
    for spec in specs:
        seg = assigned.get(spec.key)
        if seg is None:
            continue
        cols = columns[spec.key]
        found, how = readings(seg.values, len(cols), seg.explicit, None)
        cells = tuple(f"active.{spec.key}.{c}" for c in cols)
        if len(found) > 1:
            mentioned = _mentioned_numbers(narrative, spec.key)
            scored = sorted(((sum(2.0 for p in cand if p in mentioned) + active_prior(cols, cand), cand)
                             for cand in found), reverse=True)
            best_score, best = scored[0]
            ties = [c for s, c in scored if abs(s - best_score) < 1e-9]
            if len(ties) > 1:
                reading = tuple(None for _ in cols)
                diagnostics.append(Diagnostic(
                    "split_ambiguous", f"表二“{ROW_LABELS.get(spec.key, spec.key).strip()}”行连写数字“{''.join(t.text for t in seg.values)}”"
                    f"有多种同样可能的拆法，无法确定，记为空", cells,
                    {"best": [list(c) for c in ties], "readings": [list(c) for _, c in scored[:30]]}))
            else:
                reading = best
                basis = "叙述中出现的数字" if any(p in mentioned for p in best) else "常见取值"
                diagnostics.append(Diagnostic(
                    "split_inferred", f"表二“{ROW_LABELS.get(spec.key, spec.key).strip()}”行连写数字“{''.join(t.text for t in seg.values)}”"
                    f"没有勾稽关系可用，按{basis}读作 {' / '.join(best)}（共{len(found)}种拆法）",
                    cells, {"reading": list(best), "alternatives": [list(c) for _, c in scored[1:6]]}))
        else:
            reading = found[0]
        table[spec.key] = {c: cell_value(f"active.{spec.key}.{c}", v, diagnostics) for c, v in zip(cols, reading)}
    return table, diagnostics
