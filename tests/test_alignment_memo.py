"""CorpusIndex._aligned: alignments remembered across queries are the ones _align makes, keyed
by both wordings and their formula characters, and the memory they take is bounded."""

from __future__ import annotations

import numpy as np

import auditor.similarity.index as I
from auditor.similarity.index import CorpusIndex, _align, _key

from test_similarity_index import OWN_A, OWN_B, PARAGRAPH, report


def _index() -> CorpusIndex:
    return CorpusIndex.build([report("白石镇人民政府", 2021, PARAGRAPH + "\n" + OWN_A)], exact=False)


def test_a_remembered_alignment_is_the_one_align_makes_and_formulas_are_part_of_the_key():
    index = _index()
    copied = "全县各单位严格落实信息发布审核制度，坚持先审后发、分级把关，确保公开内容准确规范。"
    source = _key(copied, np.zeros(len(copied), np.uint8))
    plain = _key(copied, np.zeros(len(copied), np.uint8))
    # the same wording, every character of it formula: no evidence of copying at all
    formula = _key(copied, np.ones(len(copied), np.uint8))
    assert index._aligned(plain, source) == _align(plain, source) is not None
    assert index._aligned(formula, source) == _align(formula, source) is None
    assert index._aligned(plain, source) is not None  # the first answer is not overwritten
    assert len(index._alignments) == 2


def test_the_remembered_alignments_are_bounded(monkeypatch):
    monkeypatch.setattr(I, "ALIGNMENTS_KEPT", 3)
    index = _index()
    texts = [f"第{k}句：{OWN_B}" for k in range(10)]
    source = _key(OWN_B, np.zeros(len(OWN_B), np.uint8))
    for text in texts:
        index._aligned(_key(text, np.zeros(len(text), np.uint8)), source)
        assert len(index._alignments) <= 3
