"""The corpus query's steps whose cost grows with the corpus (issue 14: the check of a report at
20,000 reports), each done a cheaper way that must give exactly what the longer way gave."""

from __future__ import annotations

import numpy as np

from auditor.similarity.index import _best_of_pairs, _best_of_pairs_by_lexsort, _by_passage


def _pairs(rng, n: int, passages: int, reports: int):
    i = rng.integers(0, passages, n)
    r = rng.integers(0, reports, n)
    # few distinct cosines, so that ties and repeated pairs are common
    c = rng.choice(np.float32([0.2, 0.2501, 0.33333334, 0.5, 0.755, 1.0, 0.999999]), n)
    return i.astype(np.int64), r.astype(np.int64), c.astype(np.float32)


def test_best_of_pairs_is_the_lexsorts_bit_for_bit():
    rng = np.random.default_rng(5)
    for n, passages, reports in ((0, 1, 1), (1, 1, 1), (50, 3, 4), (5000, 40, 20_000), (20_000, 700, 100)):
        i, r, c = _pairs(rng, n, passages, reports)
        got = _best_of_pairs(i, r, c, passages, reports)
        want = _best_of_pairs_by_lexsort(i, r, c)
        for a, b in zip(got, want):
            assert a.dtype == b.dtype and np.array_equal(a, b)


def test_best_of_pairs_too_wide_to_pack_takes_the_lexsort():
    rng = np.random.default_rng(6)
    i, r, c = _pairs(rng, 300, 1 << 20, 1 << 14)
    got = _best_of_pairs(i, r, c, 1 << 20, 1 << 14)  # 21 + 15 + 31 bits > 63
    for a, b in zip(got, _best_of_pairs_by_lexsort(i, r, c)):
        assert np.array_equal(a, b)


def test_by_passage_is_the_four_key_lexsort():
    rng = np.random.default_rng(7)
    for n, passages, reports in ((1, 1, 1), (60, 5, 6), (8000, 40, 3000)):
        i, r, c = _pairs(rng, n, passages, reports)
        gi, gr, gc = _best_of_pairs(i, r, c, passages, reports)
        gc = gc + rng.choice([0.0, 0.004, 0.005, 0.0051, 0.0149], len(gc))  # hundredths' edges
        reports_, start = np.unique(gr, return_index=True)
        score = np.add.reduceat(gc * rng.random(passages)[gi], start)
        score[rng.random(len(score)) < 0.3] = 1.5  # tied scores
        by_score = np.lexsort((reports_, -score))
        want = np.lexsort((gr, -score[np.searchsorted(reports_, gr)], -np.round(gc, 2), gi))
        got = _by_passage(gi, gc, np.searchsorted(reports_, gr), by_score)
        assert np.array_equal(got, want)
