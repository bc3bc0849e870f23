"""Align segments to the canonical rows, in printed order.

Labels are the evidence: a segment whose label names a row goes there; a segment without a
readable label (OCR markdown that tore labels from numbers) fills the next free row; a segment
that fits nowhere is skipped. A dynamic program over (segments × rows) finds the cheapest
monotone alignment, so one misread label cannot shift every later row.
"""

from __future__ import annotations

import math

from auditor.structure.tables import schema
from auditor.structure.tables.cells import Segment

SKIP_SEGMENT = 3.0
SKIP_ROW = 0.5
MATCH = 0.0
MATCH_OTHER_LABEL = 0.2  # the label also names this row, though another name comes later
UNLABELED = 1.0
UNLABELED_OPTIONAL = 2.5
MISMATCH = 6.0


def segment_keys(seg: Segment, specs) -> tuple[str | None, set[str]]:
    """The row a segment's label names (latest mention wins) and every row it mentions."""
    own = [k for _, k in schema.match_keys(seg.own_label, specs)]
    if own:
        return own[0], set(own)
    found = [k for _, k in schema.match_keys(seg.label, specs)]
    if found:
        return found[0], set(found)
    return None, set()


def align_segments(segments: list[Segment], specs, unlabeled_allowed: bool = True) -> dict[str, Segment]:
    n, m = len(segments), len(specs)
    keys = [segment_keys(s, specs) for s in segments]
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < n and here + SKIP_SEGMENT < cost[i + 1][j]:
                cost[i + 1][j] = here + SKIP_SEGMENT
                back[i + 1][j] = (i, j, "skip_segment")
            if j < m:
                c = here + (0.0 if specs[j].optional else SKIP_ROW)
                if c < cost[i][j + 1]:
                    cost[i][j + 1] = c
                    back[i][j + 1] = (i, j, "skip_row")
            if i < n and j < m:
                primary, mentioned = keys[i]
                spec = specs[j]
                if primary == spec.key:
                    step = MATCH
                elif spec.key in mentioned:
                    step = MATCH_OTHER_LABEL
                elif primary is None:
                    if not unlabeled_allowed:
                        continue
                    step = UNLABELED_OPTIONAL if spec.optional else UNLABELED
                else:
                    step = MISMATCH
                if here + step < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1] = here + step
                    back[i + 1][j + 1] = (i, j, "match")
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
