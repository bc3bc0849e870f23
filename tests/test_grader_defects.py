"""The graded-defects data (corpus/grader_defects) and the bench that reads it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import grader_defects as bench  # noqa: E402

from auditor.structure import parse_file  # noqa: E402

DATA = ROOT / "corpus" / "grader_defects" / "real_full.jsonl"
CATEGORIES = {"table", "contradiction", "structure", "vague", "boilerplate", "clarity", "other"}


def test_rows_are_well_formed():
    rows = bench.load_rows(DATA)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["kind"] in ("defect", "strength"), r["id"]
        assert r.get("grader_a") or r.get("grader_b"), r["id"]
        assert r["rules"], r["id"]
        if r["kind"] == "defect":
            assert r["category"] in CATEGORIES, r["id"]
            if "verdict" in r:
                assert r["verdict"]["status"] in ("grader_wrong", "out_of_scope", "not_assessable")
                assert len(r["verdict"]["reason"]) > 40, r["id"]


def test_every_quote_is_in_its_report(shared):
    rows = bench.load_rows(DATA)
    docs = {}
    for r in rows:
        path = shared / r["report"]
        doc = docs.setdefault(path, parse_file(str(path)))
        for q in r["quotes"]:
            assert bench.locate(doc.text, q), f"{r['id']}: {q!r}"


def test_locate_ignores_whitespace_on_both_sides():
    text = "受理政府信息公开申请 21\n件，均已答复"
    assert bench.locate(text, "申请21件") == [(8, 15)]
    assert bench.locate(text, "申请 22 件") == []


def test_section_leeway_only_for_a_rule_named_exactly():
    class F:  # a finding in 五 of a rule named exactly, and one of a family
        def __init__(self, rule):
            self.rule, self.span, self.cells, self.section, self.severity = rule, None, (), "problems", "info"

    class S:
        def __init__(self, start, end):
            self.start, self.end = start, end

    class Doc:
        sections = [type("Sec", (), {"key": "problems", "start": 0, "end": 100})()]

    exact, family = F("VAG-UNSPECIFIC"), F("TXT-REPEAT")
    exact.span = family.span = S(50, 55)
    row = {"rules": ["VAG-UNSPECIFIC", "TXT-*"], "cells": []}
    assert bench.tie(row, exact, Doc, [(10, 20)]) == "section"
    assert bench.tie(row, family, Doc, [(10, 20)]) is None
    assert bench.tie(row, family, Doc, [(52, 60)]) == "span"


def test_a_whole_document_finding_of_a_family_does_not_tie_to_a_quote():
    class F:
        rule, span, cells, section, severity = "CLM-APPLICATIONS-UNMENTIONED", None, (), None, "warning"

    class Doc:
        sections = []

    assert bench.tie({"rules": ["CLM-*"], "cells": []}, F, Doc, [(10, 20)]) is None
    assert bench.tie({"rules": ["CLM-APPLICATIONS-UNMENTIONED"], "cells": []}, F, Doc, [(10, 20)]) == "document"
    assert bench.tie({"rules": ["CLM-*"], "cells": []}, F, Doc, []) == "document"
