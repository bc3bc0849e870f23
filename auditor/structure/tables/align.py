"""Align segments to the canonical rows, in printed order.

Labels are the evidence: a segment whose label names a row goes there; a segment without a
readable label (OCR markdown that tore labels from numbers) fills the next free row; a segment
that fits nowhere is skipped. A dynamic program over (segments × rows) finds the cheapest
monotone alignment, so one misread label cannot shift every later row.
"""

from __future__ import annotations

import math

from auditor.model import Diagnostic
from auditor.structure.tables import schema
from auditor.structure.tables.cells import Segment

SKIP_SEGMENT = 3.0
SKIP_ROW = 0.5
MATCH = 0.0
MATCH_OTHER_LABEL = 0.2  # the label also names this row, though another name comes later
UNLABELED = 1.0
UNLABELED_OPTIONAL = 2.5
MISMATCH = 6.0
# An OCR'd label that names its row with a character misread, or by its number alone
# (schema.near_keys): weaker evidence than a label read right, stronger than none; and against
# the rows it does not name, weaker than a label read right.
NEAR = 0.3
NEAR_MISMATCH = 3.0


def segment_keys(seg: Segment, specs) -> tuple[str | None, set[str]]:
    """The row a segment's label names (latest mention wins) and every row it mentions."""
    own = [k for _, k in schema.match_keys(seg.own_label, specs)]
    if own:
        return own[0], set(own)
    found = [k for _, k in schema.match_keys(seg.label, specs)]
    if found:
        return found[0], set(found)
    return None, set()


def near_keys(seg: Segment, specs) -> set[str]:
    """For an OCR'd row: the rows its own label names with a character misread, or by its
    group number (schema.near_keys); empty when none, or when it names a row as printed."""
    return schema.near_keys(seg.own_label, specs)


def label_keys(seg: Segment, specs, ocr: bool) -> tuple[str | None, set[str], set[str]]:
    """segment_keys, and for an OCR'd label the rows it names only approximately (near_keys).
    Those come after any row named as printed (a group label "（三）不予公开" before a misread
    "1.属于国家秘蜜"), so they are what the row is, and the rows named before are no longer."""
    if ocr and not seg.own_label and schema.HEADER_WORDS.search(seg.label):
        # An OCR'd row whose label was not read, under the table's column header: the words
        # before it are the header's ("总计" is a column's), and name no row.
        return None, set(), set()
    primary, mentioned = segment_keys(seg, specs)
    near = near_keys(seg, specs) if ocr else set()
    if near:
        return None, set(), near
    return primary, mentioned, set()


def align_segments(segments: list[Segment], specs, unlabeled_allowed: bool = True,
                   ocr: bool = False) -> dict[str, Segment]:
    """Segment per row key. `ocr`: the labels were read by OCR, and one read with a character
    wrong still names its row (label_keys), at a cost between a label read right and none."""
    keys = [label_keys(s, specs, ocr) for s in segments]
    exact = _exact_alignment(segments, specs, keys)
    return exact if exact is not None else _cheapest_alignment(segments, specs, keys, unlabeled_allowed)


def _cheapest_alignment(segments: list[Segment], specs, keys, unlabeled_allowed: bool) -> dict[str, Segment]:
    """align_segments by the dynamic program, the segments' label_keys given."""
    n, m = len(segments), len(specs)
    # The cost of matching each segment to each row (None: not allowed) and of skipping each
    # row, looked up once: the loop below runs for every (segment, row) pair.
    match_steps = [[_match_step(key, spec, unlabeled_allowed) for spec in specs] for key in keys]
    skip_row = [0.0 if spec.optional else SKIP_ROW for spec in specs]
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        row_cost, row_back = cost[i], back[i]
        if i < n:
            next_cost, next_back, steps = cost[i + 1], back[i + 1], match_steps[i]
        for j in range(m + 1):
            here = row_cost[j]
            if here == inf:
                continue
            if i < n and here + SKIP_SEGMENT < next_cost[j]:
                next_cost[j] = here + SKIP_SEGMENT
                next_back[j] = (i, j, "skip_segment")
            if j < m:
                c = here + skip_row[j]
                if c < row_cost[j + 1]:
                    row_cost[j + 1] = c
                    row_back[j + 1] = (i, j, "skip_row")
            if i < n and j < m:
                step = steps[j]
                if step is not None and here + step < next_cost[j + 1]:
                    next_cost[j + 1] = here + step
                    next_back[j + 1] = (i, j, "match")
    assigned: dict[str, Segment] = {}
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        if step is None:
            break
        pi, pj, kind = step
        if kind == "match":
            assigned[specs[pj].key] = segments[pi]
        i, j = pi, pj
    return assigned


def _exact_alignment(segments: list[Segment], specs, keys) -> dict[str, Segment] | None:
    """align_segments where every segment's label names its own row (MATCH), the rows so named
    come in the rows' order, and every row left without a segment is optional: that alignment
    costs 0, and any other takes some step that costs more than 0 (another row, a segment or a
    required row skipped), so it is the one the dynamic program finds — in the same order, the
    program's trace running from the last row back. None where it does not apply (two tables
    in five: a required row missing, a label naming no row or another)."""
    row_of = {spec.key: j for j, spec in enumerate(specs)}
    if len(row_of) != len(specs):
        return None
    rows = [row_of.get(primary) for primary, _, _ in keys]
    if None in rows or any(a >= b for a, b in zip(rows, rows[1:])):
        return None
    matched = set(rows)
    if not all(spec.optional for j, spec in enumerate(specs) if j not in matched):
        return None
    return {specs[j].key: segment for j, segment in zip(reversed(rows), reversed(segments))}


def _match_step(key: tuple[str | None, set[str], set[str]], spec, unlabeled_allowed: bool) -> float | None:
    """The cost of a segment whose label_keys are `key` taking the row of `spec`; None when it
    may not (an unlabeled segment where unlabeled_allowed is False)."""
    primary, mentioned, near = key
    if primary == spec.key:
        return MATCH
    if spec.key in mentioned:
        return MATCH_OTHER_LABEL
    if near:
        return NEAR if spec.key in near else NEAR_MISMATCH
    if primary is None:
        if not unlabeled_allowed:
            return None
        return UNLABELED_OPTIONAL if spec.optional else UNLABELED
    return MISMATCH


# What the tables are called in notes.
_TABLE_NAMES = {"active": "表二", "applications": "表三"}


def guessed_label_notes(table: str, assigned: dict[str, Segment], specs,
                        columns: dict[str, tuple[str, ...]]) -> list[Diagnostic]:
    """For an OCR'd table: a "row_label_guessed" note for each row whose own label does not name
    it as printed — read with a character wrong, or unreadable, so the row was placed by its
    number, its near words and its neighbours. Its figures were read beside a label the OCR
    got wrong: checks/scanned.py weighs them as doubtful readings, and finds their boxes by
    the printed label the note keeps."""
    from auditor.structure.tables.labels import ROW_LABELS

    notes = []
    for key, seg in assigned.items():
        primary, mentioned, _ = label_keys(seg, specs, ocr=True)
        if primary == key or key in mentioned:
            continue
        printed = seg.own_label or ("" if schema.HEADER_WORDS.search(seg.label) else seg.label)
        name = ROW_LABELS.get(key, key).strip()
        how = f"行名识别为“{printed[:40]}”，与表中该行的名称不符" if printed else "行名未能识别"
        notes.append(Diagnostic(
            "row_label_guessed", f"{_TABLE_NAMES.get(table, table)}“{name}”行：{how}，按行号、相近字样和前后行认作该行，"
            f"该行数字可能识别有误", tuple(f"{table}.{key}.{c}" for c in columns.get(key, ())),
            {"printed": printed, "row": key}))
    return notes
