"""Audit acceptance on the real corpus, as regression tests.

Every known defect of the categories table, contradiction and structure in the ground truth is
found by a finding of the same category (and rule family); no error-level finding appears in a
category for which the truth lists no defect.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from auditor.checks import run_checks
from auditor.rules.loader import load_rules
from auditor.structure import parse_file
from conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))
from audit_acceptance import ACCEPTANCE_CATEGORIES, matches  # noqa: E402
from parse_accuracy import truth_pairs  # noqa: E402

RULES = load_rules()
PAIRS = truth_pairs(SHARED.parent) if SHARED.is_dir() else []


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: Path(p[2]).name)
def test_known_defects_found_and_no_false_errors(shared, pair):
    _group, truth_path, report = pair
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    findings = run_checks(parse_file(report), RULES).findings
    missed = [d["description"][:80] for d in truth.get("known_defects", [])
              if d["category"] in ACCEPTANCE_CATEGORIES and not any(matches(d, f) for f in findings)]
    assert not missed, missed
    defect_categories = {d["category"] for d in truth.get("known_defects", [])}
    false_errors = [f"{f.rule}: {f.message}" for f in findings
                    if f.severity == "error" and f.category not in defect_categories]
    assert not false_errors, false_errors


def test_clean_reports_have_no_table_or_contradiction_findings(shared):
    """淮安 2024 passes every identity and its narrative figures match (report-format.md)."""
    findings = run_checks(parse_file(str(shared / "real" / "full" / "008.txt")), RULES).findings
    assert [f for f in findings if f.category in ("table", "contradiction")] == []


def test_scope_words_soften_to_warnings(shared):
    findings = run_checks(parse_file(str(shared / "real" / "full" / "004.txt")), RULES).findings
    appeals = [f for f in findings if f.rule in ("CLM-APPEALS-REVIEW", "CLM-LITIGATION")]
    assert {f.severity for f in appeals} == {"warning"}
    assert {f.evidence["claim"]["value"] for f in appeals} == {134, 57}
    assert {f.evidence["table_value"] for f in appeals} == {170, 77}


def test_continuity_with_previous_report(shared):
    full = shared / "real" / "full"
    this, last = parse_file(str(full / "010.txt")), parse_file(str(full / "009.txt"))
    found = [f for f in run_checks(this, RULES, previous=last).findings if f.category == "continuity"]
    assert [f.rule for f in found] == ["CON-X2"]
    assert found[0].evidence["source"]["year"] == 2023
    assert not [f for f in run_checks(this, RULES).findings if f.category == "continuity"]


def test_findings_carry_evidence_and_stable_fingerprints(shared):
    path = str(shared / "real" / "full" / "001.txt")
    first = run_checks(parse_file(path), RULES).findings
    again = run_checks(parse_file(path), RULES).findings
    assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
    for f in first:
        assert f.message and (f.span is not None or f.cells or f.evidence)
        if f.span is not None:
            doc_text = parse_file(path).text
            assert doc_text[f.span.start:f.span.end] == f.span.text
