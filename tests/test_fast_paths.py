"""Shortcuts taken for speed give what the long way gives: the lexicon's character gate never turns
away a phrase one of its words matches, the parse cache writes its members as numpy does and gives
back a text with lone surrogates as it was."""

from __future__ import annotations

import dataclasses
import re

import pytest

from auditor.nlp.lexicon import _needed_chars, get_lexicon
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
            turned_away = scan.needed is not None and scan.needed.isdisjoint(chars)
            gated = [] if turned_away else scan.spans(phrase)
            assert gated == scan.spans(phrase), (phrase, scan.any_word.pattern)
            found += bool(gated)
    assert found > 1000  # the phrases do meet the lexicon's words


def test_the_entries_a_phrase_calls_for_are_those_its_gates_let_through_in_order():
    lexicon = get_lexicon()
    entries = lexicon.entries.all
    assert [e.scan for e in entries] == [h.scan for h in (*lexicon.heads, *lexicon.narrative)] + [
        f.scan for facets in (*lexicon.rows.values(), *lexicon.columns.values()) for f in facets]
    for phrase in _phrases()[:20_000] + ["", "x"]:
        chars = set(phrase)
        gated = [e for e in entries if e.scan.needed is None or not e.scan.needed.isdisjoint(chars)]
        assert lexicon.entries.called_for(phrase) == gated, phrase


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "float32"])
def test_the_parse_cache_writes_each_member_as_np_save_does(dtype):
    """cache._npy writes a member's .npy bytes itself: they must be np.save's, header padding
    included, at every size where the header's length changes."""
    import io

    import numpy as np

    from auditor.batch.cache import _npy

    for size in (0, 1, 9, 10, 99, 100, 12_345, 10**6):
        array = np.arange(size).astype(dtype)
        saved = io.BytesIO()
        np.save(saved, array)
        assert _npy(array) == saved.getvalue(), (dtype, size)


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


@pytest.mark.parametrize("pattern", ["(?i:a)b", "(?i)ab", "(?:(?i:x)|y)z"])
def test_template_prefilters_give_up_where_case_is_ignored(pattern):
    # Under (?i) "a" matches "A" too: no set of characters read off the pattern would be right.
    from re import _parser

    from auditor.similarity.template import _label_bound, _match_chars, _start_chars

    assert _start_chars([pattern], re.S) is None
    if "(?i)" in pattern:
        assert _label_bound([pattern], re.S) == (None, ())
    else:  # a label that takes what a case-blind group matches still needs its own literal
        assert _match_chars(_parser.parse(pattern, re.S)) is None
        assert _label_bound([pattern], re.S)[1] == (pattern[-1],)
