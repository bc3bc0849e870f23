"""Shortcuts taken for speed give what the long way gives: the lexicon's character gate never turns
away a phrase one of its words matches, the page's evidence writer writes json.dumps's text, and
the parse cache gives back a text with lone surrogates as it was."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from auditor.nlp.lexicon import _needed_chars, get_lexicon
from auditor.report.html import evidence_dump
from conftest import ROOT, SHARED


@pytest.mark.parametrize("pattern, needed", [
    ("申请|依申请", {"申", "依"}),
    ("公开(?:信息)?", {"公"}),
    ("[甲乙]丙", {"甲", "乙"}),
    (".{0,3}数", {"数"}),  # the first item every match consumes need not be the first one
    ("(?:甲|)乙", {"乙"}),  # a branch that may match nothing tells nothing
    ("(?=甲)乙", {"乙"}),  # a lookahead consumes nothing
])
def test_needed_chars_are_those_every_match_holds(pattern, needed):
    assert _needed_chars(re.compile(pattern)) == needed


@pytest.mark.parametrize("pattern", ["x?", "(?i:app)", "(?i)app", "[^甲]", "\\d+", "(?:甲|乙?)"])
def test_needed_chars_are_unknown_where_no_character_is_certain(pattern):
    assert _needed_chars(re.compile(pattern)) is None


def _phrases() -> list[str]:
    """Every sentence-ish piece of the real reports, and their clauses."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "real" / "full").glob("*.txt"))]
    pieces = [piece for text in texts for piece in re.split(r"[。；\n]", text) if piece.strip()]
    return pieces + [clause for piece in pieces for clause in re.split(r"[，、]", piece)]


def test_the_lexicon_gate_never_turns_away_a_phrase_a_word_matches():
    lexicon = get_lexicon()
    scans = [h.scan for h in (*lexicon.heads, *lexicon.narrative)]
    scans += [f.scan for facets in (*lexicon.rows.values(), *lexicon.columns.values()) for f in facets]
    assert sum(s.needed is not None for s in scans) > len(scans) // 2  # the gate is in use
    found = 0
    for phrase in _phrases():
        chars = set(phrase)
        for scan in scans:
            gated = scan.spans(phrase, chars)
            assert gated == scan.spans(phrase), (phrase, scan.any_word.pattern)
            found += bool(gated)
    assert found > 1000  # the phrases do meet the lexicon's words


EVIDENCE = [
    {"cells": ["applications.new_received.total"], "values": [12, 0], "sum": 12.5, "ok": True, "none": None},
    {"nested": {"a": [1, [2, {"b": "引号\"与\\反斜杠\n换行"}]], "empty": [], "blank": {}}, "t": (1, 2)},
    {"float": 1e-7, "big": 10 ** 30, "neg": -0.0, "uni": "\u2028\ud800", "ctrl": "\x00\x1f"},
    {"nan": float("nan")},  # json's own spelling of a non-finite float
    {1: "a non-string key", "x": 1},
    {"flag": False, "enum": __import__("enum").IntEnum("E", "A B").B},
    [],
    "just a string",
]


@pytest.mark.parametrize("evidence", EVIDENCE)
def test_evidence_is_written_as_json_writes_it(evidence):
    assert evidence_dump(evidence) == json.dumps(evidence, ensure_ascii=False, indent=1)


def test_the_evidence_of_real_findings_is_written_as_json_writes_it():
    from auditor.checks import run_checks
    from auditor.rules.loader import load_rules
    from auditor.structure import parse_file

    rules = load_rules(None)
    seen = 0
    for path in sorted((SHARED / "real" / "full").glob("*.txt"))[:6]:
        for finding in run_checks(parse_file(str(path)), rules).findings:
            if finding.evidence:
                assert evidence_dump(finding.evidence) == json.dumps(finding.evidence, ensure_ascii=False, indent=1)
                seen += 1
    assert seen > 20


def test_the_parse_cache_gives_back_a_text_with_lone_surrogates(tmp_path):
    from auditor.batch.cache import ParseCache
    from auditor.nlp.sentences import split_document
    from auditor.similarity.index import index_entry
    from auditor.structure import parse_file

    doc = parse_file(str(ROOT / "corpus" / "qingxi-county-2023.txt"))
    sentences = [(s.start, s.end, s.section) for s in split_document(doc)]
    entry = index_entry(doc)
    # A file name or text decoded with surrogateescape carries lone surrogates; same length, so
    # every offset of the document still holds.
    odd = dataclasses.replace(doc, text="\udc80" + doc.text[1:-1] + "\ud800")
    cache = ParseCache(tmp_path, key="k")
    assert cache.put(odd.path, "sha", odd, sentences, entry)
    assert cache.document(odd.path, "sha") == (odd, sentences)
