"""Audit acceptance on the shared corpus and the samples.

For every report with ground truth (../shared/corpus/**/*.truth.json, corpus/truth/): each
known defect of the categories table, contradiction and structure must be found by a finding
of the same category (and, where the truth's rule_hint names a family, by a rule of that
family). Prints found/missed per file, then every finding that matches no known defect — the
false-alarm candidates — by severity, and the totals.

    python bench/audit_acceptance.py [--shared PATH] [--all-categories]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from parse_accuracy import truth_pairs  # noqa: E402

from auditor.checks import run_checks  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

ACCEPTANCE_CATEGORIES = ("table", "contradiction", "structure")
# The truth files' rule_hint → the rule ids that stand for it.
HINT_RULES = {
    "table.appeals.group_sum": ("TBL-I5",),
    "table.applications.result_sum": ("TBL-I2", "TBL-I1"),
    "table.blank_cells": ("TBL-BLANK",),
    "structure.layout_mismatch": ("STR-LAYOUT",),
    "structure.missing_section": ("STR-SECTION",),
    "structure.title_year": ("STR-TITLE-YEAR", "STR-PERIOD-YEAR"),
    "structure.required_content": ("STR-PREAMBLE",),
    "structure.numbering": ("STR-NUMBERING",),
    "structure.heading_text": ("STR-HEADING",),
    "structure.nonstandard_sections": ("STR-NUMERALS",),
    "contradiction.narrative_vs_table.applications": ("CLM-",),
    "contradiction.narrative_vs_table.appeals": ("CLM-APPEALS", "CLM-LITIGATION", "CLM-CORRECTED", "CLM-ALL-UPHELD"),
    "contradiction.narrative_internal": ("CLM-PARTS-SUM", "CLM-ALL-PROCESSED"),
    "boilerplate.previous_year": ("SIM-PREV",),
    "vague.problem_without_measure": ("VAG-NO-MEASURE",),
    "vague.unspecific_quantity": ("VAG-QUANTITY",),
    "vague.unspecific_section": ("VAG-UNSPECIFIC", "VAG-PHRASES"),
}


def matches(defect: dict, finding) -> bool:
    if finding.category != defect["category"]:
        return False
    family = HINT_RULES.get(defect.get("rule_hint", ""))
    if family and not finding.rule.startswith(family):
        return False
    cells = set(defect.get("cells") or [])
    if cells and finding.cells and not (cells & set(finding.cells)) and defect["category"] == "table":
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--all-categories", action="store_true", help="also score vague/boilerplate/continuity defects")
    parser.add_argument("--corpus", action="store_true",
                        help="index every report with ground truth and audit each against the others (boilerplate)")
    args = parser.parse_args()
    categories = None if args.all_categories else ACCEPTANCE_CATEGORIES
    rules = load_rules()
    pairs = truth_pairs(Path(args.shared))
    corpus = None
    if args.corpus:
        from auditor.similarity.index import CorpusIndex

        corpus_docs = {report: parse_file(report) for _, _, report in pairs}
        corpus = CorpusIndex.build(list(corpus_docs.values()))
    found_total = missed_total = 0
    unmatched: list[tuple[str, object]] = []
    errors_on_clean: list[tuple[str, object]] = []
    seen_truth: set[str] = set()
    for group, truth_path, report in pairs:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        name = os.path.relpath(report, ROOT.parent)
        doc = parse_file(report)
        previous = None
        if corpus is not None and doc.meta.year:
            # The same body's report of the year before, as `audit --corpus` picks it.
            for path in corpus.previous_reports(doc):
                candidate = corpus_docs.get(path)
                if candidate is not None and candidate.meta.year == doc.meta.year - 1:
                    previous = candidate
                    break
        result = run_checks(doc, rules, corpus=corpus, previous=previous)
        defects = [d for d in truth.get("known_defects", []) if categories is None or d["category"] in categories]
        status = []
        for d in defects:
            ok = any(matches(d, f) for f in result.findings)
            found_total += ok
            missed_total += not ok
            status.append(("found " if ok else "MISSED") + f" [{d['category']}/{d.get('rule_hint')}] {d['description'][:70]}")
        defect_categories = {d["category"] for d in truth.get("known_defects", [])}
        for f in result.findings:
            if not any(matches(d, f) for d in truth.get("known_defects", [])):
                unmatched.append((name, f))
                if f.severity == "error" and f.category not in defect_categories:
                    errors_on_clean.append((name, f))
        print(f"{name}: {len(result.findings)} findings, score {result.score['total']}")
        for line in status:
            print("   " + line)
        seen_truth.add(str(truth_path))
    print(f"\nknown defects ({'/'.join(categories) if categories else 'all categories'}): "
          f"found {found_total}, missed {missed_total}")
    by_sev = Counter(f.severity for _, f in unmatched)
    print(f"findings matching no known defect: {dict(by_sev)}")
    print(f"error-level findings in a category the truth lists no defect for: {len(errors_on_clean)}")
    for name, f in errors_on_clean:
        print(f"   ERROR {name} {f.rule}: {f.message[:110]}")
    print("\nwarnings matching no known defect:")
    for name, f in unmatched:
        if f.severity == "warning":
            print(f"   {name} {f.rule}: {f.message[:110]}")
    print("\ninfo findings matching no known defect:")
    for name, f in unmatched:
        if f.severity == "info":
            print(f"   {name} {f.rule}: {f.message[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
