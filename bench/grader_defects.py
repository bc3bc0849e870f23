"""Do the findings cover what the expert graders found, and never contradict what they call correct?

Reads a graded-defects file (corpus/grader_defects/*.jsonl, schema in its README): one row per
distinct defect the graders list for a report (category, the quotes and cells it is about, the
rule ids that stand for it, and a verdict where we judge it out of scope or the grader wrong), and
one row per checkable strength ("Table 三 holds", "'受理…21件' matches").

Audits every report of the corpus directory as `auditor batch` does (corpus checks on, each
report with its body's previous-year report when the corpus has it: the same audit as
bench/score_calibration.py), then says for every defect row

- found: by which finding (rule, severity, and how it is tied to the defect: its span overlaps a
  quote, its cells meet the cells named, it sits in the quote's section, or it is a
  whole-document finding of the named rule),
- or missed;

and for every strength row whether an error-level finding contradicts it (an error of one of the
row's rules, or any error whose span overlaps its quotes or whose cells meet its cells).
Prints coverage per category (rows with a verdict apart) and the list of misses.

    python bench/grader_defects.py [--grades corpus/grader_defects/real_full.jsonl]
                                   [--corpus ../shared/corpus/real] [--no-corpus] [--misses]

--grades: the graded-defects JSONL; report paths in it are relative to the corpus directory's
parent (shared: "real/full/001.txt") or to the corpus directory itself.
Every defect row is printed, found or MISSED, with the finding that found it; --misses prints
only the summary and the misses.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from score_calibration import audit_corpus  # noqa: E402

CATEGORIES = ("table", "contradiction", "structure", "vague", "boilerplate", "clarity", "other")
_WS = re.compile(r"\s+")


def load_rows(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = n
            rows.append(row)
    return rows


def locate(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` occurs in `text`, ignoring whitespace on both sides (reports break
    lines and pad digits with spaces: "受理政府信息公开申请 21 件")."""
    flat_chars, index = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            flat_chars.append(ch)
            index.append(i)
    flat = "".join(flat_chars)
    needle = _WS.sub("", quote)
    spans, start = [], flat.find(needle)
    while needle and start >= 0:
        spans.append((index[start], index[start + len(needle) - 1] + 1))
        start = flat.find(needle, start + 1)
    return spans


def rule_matches(rule: str, patterns: list[str]) -> bool:
    """'TBL-I5' names one rule; 'SIM-PREV-*' a family (a prefix)."""
    return any(rule.startswith(p[:-1]) if p.endswith("*") else rule == p for p in patterns)


def cells_meet(finding_cells, patterns: list[str]) -> bool:
    """A finding's cells meet the row's cells: 'appeals.review.total' names one cell,
    'applications.*' every cell of a table or row."""
    for cell in finding_cells:
        for p in patterns:
            if (cell.startswith(p[:-1]) if p.endswith("*") else cell == p):
                return True
    return False


def section_of(doc, offset: int) -> str | None:
    for s in doc.sections:
        if s.start <= offset < s.end:
            return s.key
    return None


def tie(row: dict, finding, doc, spans: list[tuple[int, int]]) -> str | None:
    """How `finding` is tied to the defect `row`, or None when it is not."""
    if not rule_matches(finding.rule, row["rules"]):
        return None
    span = (finding.span.start, finding.span.end) if finding.span else None
    if span and any(span[0] < b and a < span[1] for a, b in spans):
        return "span"
    if row.get("cells") and finding.cells and cells_meet(finding.cells, row["cells"]):
        return "cells"
    if row.get("cells") and finding.cells:
        return None  # about other cells of the table: not this defect
    if spans and span:
        # A section-wide finding (VAG-UNSPECIFIC quotes one example sentence of 五): the
        # same section as the defect's quote is the same defect, but only for a rule the row
        # names exactly; a family ('TXT-*') names findings about one place, which must overlap.
        if finding.rule not in row["rules"]:
            return None
        quote_sections = {section_of(doc, a) for a, _ in spans}
        if section_of(doc, span[0]) in quote_sections or finding.section in quote_sections:
            return "section"
        return None
    if spans and finding.rule not in row["rules"]:
        # A whole-document finding of a rule family (CLM-*) says nothing about the quoted place.
        return None
    return "document"


def contradicts(row: dict, finding, spans: list[tuple[int, int]]) -> bool:
    """An error-level finding that says what the graders call correct is wrong."""
    if finding.severity != "error":
        return False
    span = (finding.span.start, finding.span.end) if finding.span else None
    if span and any(span[0] < b and a < span[1] for a, b in spans):
        return True
    if row.get("cells") and finding.cells and cells_meet(finding.cells, row["cells"]):
        return True
    if rule_matches(finding.rule, row.get("rules", [])) and not row.get("cells") and not spans:
        return True
    return False


def resolve(corpus: Path, key: str) -> Path | None:
    for base in (corpus.parent, corpus):
        if (base / key).is_file():
            return (base / key).resolve()
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grades", default=str(ROOT / "corpus" / "grader_defects" / "real_full.jsonl"))
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    parser.add_argument("--no-corpus", action="store_true", help="audit each report alone (no copy or previous-year checks)")
    parser.add_argument("--misses", action="store_true", help="print only the summary and the misses, not every row")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    rows = load_rows(Path(args.grades))
    results = {str(Path(p).resolve()): r for p, r in audit_corpus(corpus, not args.no_corpus, []).items()}
    # run_checks results do not keep the document; re-parse once per graded report for the spans.
    from auditor.structure import parse_file

    docs: dict[str, object] = {}
    bad_data: list[str] = []
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # found, total (rows without verdict)
    verdict_rows: list[tuple[dict, str | None]] = []
    misses: list[dict] = []
    strengths_bad: list[tuple[dict, object]] = []
    n_strengths = 0
    lines: list[str] = []
    for row in rows:
        path = resolve(corpus, row["report"])
        if path is None or str(path) not in results:
            bad_data.append(f"line {row['_line']}: {row['report']} is not a report of {corpus}")
            continue
        if str(path) not in docs:
            docs[str(path)] = parse_file(str(path))
        doc, result = docs[str(path)], results[str(path)]
        spans: list[tuple[int, int]] = []
        for q in row.get("quotes", []):
            found_at = locate(doc.text, q)
            if not found_at:
                bad_data.append(f"{row['id']}: quote not in the report text: {q!r}")
            spans += found_at
        if row["kind"] == "strength":
            n_strengths += 1
            for f in result.findings:
                if contradicts(row, f, spans):
                    strengths_bad.append((row, f))
            continue
        ties = [(t, f) for f in result.findings if (t := tie(row, f, doc, spans))]
        order = {"span": 0, "cells": 1, "section": 2, "document": 3}
        ties.sort(key=lambda tf: (order[tf[0]], {"error": 0, "warning": 1, "info": 2}[tf[1].severity]))
        how = f"{ties[0][1].rule} ({ties[0][1].severity}, {ties[0][0]})" if ties else None
        if row.get("verdict"):
            verdict_rows.append((row, how))
        else:
            per_cat[row["category"]][1] += 1
            per_cat[row["category"]][0] += bool(ties)
            if not ties:
                misses.append(row)
        if not args.misses:
            lines.append(f"  {'found ' if ties else 'MISSED'} {row['id']:9s} [{row['category']}] "
                         f"{how or '—'}  {(row.get('grader_a') or row.get('grader_b'))[:70]}")

    if bad_data:
        print("data errors (fix the graded-defects file):")
        for b in bad_data:
            print("   " + b)
    if lines:
        print("\n".join(lines))
    found = sum(v[0] for v in per_cat.values())
    total = sum(v[1] for v in per_cat.values())
    print(f"\ngrader defects found (rows without a verdict): {found}/{total}")
    for cat in CATEGORIES:
        if cat in per_cat:
            f_, t_ = per_cat[cat]
            print(f"   {cat:14s} {f_:3d}/{t_:<3d}")
    print(f"rows with a verdict (out of scope, grader wrong, not assessable): {len(verdict_rows)}")
    for row, how in verdict_rows:
        print(f"   {row['id']:9s} {row['verdict']['status']:14s} {'(a finding: ' + how + ')' if how else ''}")
    print(f"\nstrengths contradicted by an error-level finding: {len(strengths_bad)} (of {n_strengths} strength rows)")
    for row, f in strengths_bad:
        print(f"   {row['id']} {f.rule}: {f.message[:100]}")
    print(f"\nmisses ({len(misses)}):")
    for row in misses:
        text = row.get("grader_a") or row.get("grader_b")
        print(f"   {row['id']:9s} [{row['category']}] rules {','.join(row['rules'])}: {text[:100]}")
    return 1 if bad_data else 0


if __name__ == "__main__":
    raise SystemExit(main())
