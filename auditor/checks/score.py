"""The report score: the rubric of rules/score.yaml applied to one report's findings.

Two steps, so that a baseline that hides findings can re-score without the document:
`measure` looks at the document once (what could be assessed, the concreteness of section 五)
and `score_findings` turns measures + findings into the score. The score dict:

    total     0–100 over the categories that apply to the layout
    parts     per category, 0–100 of its points
    assessed  the share of the applicable points the checks could look at (0–1)
    rubric    per category: points, assessed, quality, deducted, earned
    measures  what `measure` found (kept for re-scoring)
"""

from __future__ import annotations

import math

from auditor.model import CATEGORIES, Document, Finding
from auditor.structure.sections import SECTION_ORDER

TABLE_KEYS = ("active", "applications", "appeals")
# A narrative shorter than this says too little to check against the tables or for copying.
MIN_NARRATIVE_CHARS = 200


def rubric() -> dict:
    from auditor.rules.data import load_data

    return load_data("score")


def _checkable_share(key: str, table: dict | None, identities: list) -> float:
    """The share of a table's cells whose figure is known — printed, or fixed by the table's
    identities (identity.checkable_cells) — so that a blank no identity can check is unassessed."""
    from auditor.checks.identity import checkable_cells

    cells = [(r, c) for r, row in (table or {}).items() if isinstance(row, dict) for c in row]
    if not cells:
        return 0.0
    return len(checkable_cells(key, table, identities) & set(cells)) / len(cells)


def _originality(ctx) -> float:
    """1 − the share of the narrative's free prose found in other reports of the corpus (any body,
    any year: text that many reports share is template text, whoever wrote it first); 1 when
    there is no corpus to compare with."""
    ratios = ctx.reuse_ratios if ctx.corpus is not None else {}
    chars = sum(v.get("chars", 0) for v in ratios.values())
    if not chars:
        return 1.0
    return 1.0 - sum(v.get("corpus", 0.0) * v.get("chars", 0) for v in ratios.values()) / chars


def _substance(ctx) -> int:
    """How many different things the narrative gives a figure for (checks/claim.py
    figure_concepts: 主动公开 and its kinds, applications and their results, 复议, 政策解读, 发布会,
    training…). Evaluators mark a report down for saying little; this counts what it says, not how
    long it takes to say it. The rule STR-THIN shows the same count to the reviewer."""
    from auditor.checks.claim import figure_concepts

    return len(figure_concepts(ctx.claims))


def measure(doc: Document, coverage, ctx, has_previous: bool, identities: list = ()) -> dict:
    """What of each category could be assessed (0–1; None: the category does not apply to the
    layout), and the measured quality of the categories that have one."""
    from auditor.checks.assess import expected_sections
    from auditor.checks.metric import concreteness
    from auditor.checks.section import tables_absent

    filled = {key: _checkable_share(key, doc.tables.get(key), list(identities)) for key in TABLE_KEYS}
    # The 2008 layout has none of the three tables: the table category does not apply (its own
    # statistics table of a few indicators earns evaluators' credit no more than the prose does;
    # its defects deduct elsewhere, rubric `when_absent`).
    # Nor are they in a text whose sections 二/三/四 hold no table at all (images on the page): the
    # tables could not be assessed, so they earn nothing and deduct nothing, and the prose's own
    # figures are what agreement is judged on, as for the 2008 layout; `assessed` shows the gap.
    absent = tables_absent(doc)
    no_tables = doc.meta.template == "2008" or absent
    tables = None if no_tables else sum(filled.values()) / len(TABLE_KEYS)
    narrative = sum(len(s.text) for s in ctx.sentences if s.section in SECTION_ORDER)
    narrative_ok = narrative >= MIN_NARRATIVE_CHARS
    stated = ctx.stated_topics if no_tables else {}
    stated_share = sum(stated.values()) / len(stated) if stated else 1.0
    expected = expected_sections(doc)
    seen = 1.0 if not coverage.truncated else sum(k not in coverage.unseen for k in expected) / len(expected)
    grade = concreteness(doc, ctx)
    if grade is not None:
        problems, quality = 1.0, grade.value
    elif coverage.truncated and "problems" in coverage.unseen:
        problems, quality = 0.0, 0.0  # past the cut: not assessed
    else:
        problems, quality = 1.0, 0.0  # a complete report without a section 五
    return {
        "quality": {"concreteness": round(quality, 3), "originality": round(_originality(ctx), 3),
                    # What a cut text states, at the rate of the part that was seen.
                    "substance": round(_substance(ctx) / max(seen, 0.25), 1)},
        "assessed": {
            "tables": tables,
            # Prose past the end of an excerpt was never checked, for agreement or for copying.
            # Without tables, the figures the prose gives are all there is to check: a 2008-layout
            # report that states none of the required figures has nothing to agree or disagree.
            "narrative_and_tables": seen * ((stated_share if narrative_ok else 0.0) if no_tables else
                                            (1.0 if narrative_ok and filled["applications"] else 0.0)),
            "sections_seen": seen,
            "problems_section": problems,
            "narrative": seen * (1.0 if narrative_ok else 0.0),
        },
        "tables_absent": absent,
        "previous_year": has_previous,
        "truncated": coverage.truncated,
    }


def _graded(measured: float, cat: dict) -> float:
    """A measured quality on the category's scale: linear up to `full_at`, or, with `none_at`, on a
    log scale from `none_at` (0) to `full_at` (1) — for counts, where the first few figures a report
    gives say more about it than the twentieth."""
    full = cat.get("full_at", 1.0)
    if "none_at" not in cat:
        return min(1.0, measured / full)
    low = math.log1p(cat["none_at"])
    return max(0.0, min(1.0, (math.log1p(measured) - low) / (math.log1p(full) - low)))


def _one_side_zero(f: Finding) -> bool:
    """An identity that fails with one side printed 0 and the other not."""
    evidence = f.evidence or {}
    left, right = evidence.get("left"), evidence.get("right")
    return isinstance(left, (int, float)) and isinstance(right, (int, float)) and (left == 0) != (right == 0)


def score_findings(findings: list[Finding], measures: dict | None = None, spec: dict | None = None) -> dict:
    """Measures (default: everything assessed, full quality) + findings → the score, under the
    rubric of rules/score.yaml (or `spec`, a rubric of the same shape: bench/score_calibration.py
    perturbs it)."""
    spec = spec or rubric()
    measures = measures or {}
    assessed_of = measures.get("assessed", {})
    quality_of = measures.get("quality", {})
    repeat = spec.get("repeat", 0.5)
    seen_rules: dict[str, int] = {}
    deducted = {c: 0.0 for c in CATEGORIES}
    own = {c: 0.0 for c in CATEGORIES}  # by the finding's own category, for `parts`
    defects: list[set] = []  # cells of the defects deducted
    lines: dict[tuple, set] = {}  # (rule, rows) of the defects deducted → their columns
    zero_columns: dict[str, set] = {}  # rule → the cells of its defect with one side printed 0
    applies = {k: assessed_of.get(c["assessed"], 1.0) is not None for k, c in spec["categories"].items()}
    for f in sorted(findings, key=lambda f: ("error", "warning", "info").index(f.severity)):
        key = spec.get("counts_as", {}).get(f.category, f.category)
        if not applies.get(key, True):
            # A category without points in this layout (the 2008 layout's table) still loses them
            # elsewhere: its defects are real.
            key = spec.get("when_absent", {}).get(key)
        cat = spec["categories"].get(key)
        if cat is None:
            continue
        # One wrong cell breaks every identity it is in (a column sum, a row sum, the balance) and
        # every statement of the prose about it, and one wrong row breaks an identity in every
        # column it is summed in (the 总计 column repeats the others): evaluators count one
        # defect, so findings that share a cell, or of one rule over the same rows where one of
        # them is the 总计 column, deduct once.
        cells = set(f.cells or ())
        rows = (f.rule, frozenset(c.rsplit(".", 1)[0] for c in cells))
        columns = {c.rsplit(".", 1)[1] for c in cells}
        same = next((d for d in defects if d & cells), None) if cells else None
        repeats_total = rows in lines and "total" in (lines[rows] | columns)
        # A column of figures left at 0 ("（七）总计" 0 in every row that has applications) breaks
        # the rule in each of those rows: one defect, as the graders count it.
        one_side_zero = _one_side_zero(f)
        zero_column = zero_columns.get(f.rule) if one_side_zero else None
        if zero_column is not None:
            zero_column |= cells  # the prose's statement of one of those totals is the same defect too
            continue
        if same is not None or repeats_total:
            if same is not None:
                same |= cells
            continue
        if cells:
            defects.append(cells)
            lines.setdefault(rows, set()).update(columns)
            if one_side_zero:
                zero_columns[f.rule] = cells
        base = cat.get("rule_deduct", {}).get(f.rule, cat["deduct"][f.severity])
        times = seen_rules.get(f.rule, 0)
        seen_rules[f.rule] = times + 1
        deducted[key] += base * repeat ** times
        own[f.category] += base * repeat ** times
    rubric_out, total, applicable, assessed_points = {}, 0.0, 0.0, 0.0
    for key, cat in spec["categories"].items():
        points = float(cat["points"])
        assessed = assessed_of.get(cat["assessed"], 1.0)
        if assessed is None:
            continue  # does not apply to this layout
        quality = 1.0
        if "quality" in cat:
            measured = quality_of.get(cat["quality"])
            quality = 1.0 if measured is None else _graded(measured, cat)
        earned = max(0.0, points * assessed * quality - deducted.get(key, 0.0))
        rubric_out[key] = {"label": cat["label"], "points": points, "assessed": round(assessed, 3),
                           "quality": round(quality, 3), "deducted": round(deducted.get(key, 0.0), 1),
                           "earned": round(earned, 1)}
        total += earned
        applicable += points
        assessed_points += points * assessed
    scale = 100.0 / applicable if applicable else 0.0
    unseen = float(spec["categories"]["table"]["points"]) if measures.get("tables_absent") else 0.0
    parts = {k: round(100.0 * v["earned"] / v["points"], 1) for k, v in rubric_out.items()}
    # A category without points of its own (continuity) still has a part, as the contract asks:
    # what is left of the points it deducts from after its own findings.
    for category, target in spec.get("counts_as", {}).items():
        if target in rubric_out:
            points = rubric_out[target]["points"]
            parts[category] = round(100.0 * max(0.0, points - own[category]) / points, 1)
    return {"total": round(total * scale, 1),
            "parts": parts,
            "assessed": round(assessed_points / (applicable + unseen), 3) if applicable else 0.0,
            "rubric": rubric_out, "measures": measures}


def score_report(doc: Document, findings: list[Finding], coverage, ctx, has_previous: bool,
                 identities: list = ()) -> dict:
    """`identities`: the table-identity rules, which tell a zero left blank from a missing figure."""
    return score_findings(findings, measure(doc, coverage, ctx, has_previous, identities))
