"""PairCosines: the cosines of (query wording, index wording) pairs remembered across queries
are the product's, a slot holds one pair and never answers for another, and a batch's queries
give the same matches whether they read them or multiply again."""

from __future__ import annotations

import pickle

import numpy as np

from auditor.similarity.index import CorpusIndex
from auditor.similarity.vectors import PairCosines

from test_similarity_index import OWN_A, OWN_B, OWN_B2, PARAGRAPH, report


def test_a_slot_answers_only_for_the_pair_it_holds():
    table = PairCosines(bits=2)  # four slots: pairs collide
    keys = np.arange(0, 40, dtype=np.int64) * 7919 + (3 << 32)
    cosines, known = table.get(keys)
    assert not known.any()
    values = np.linspace(0.2, 0.9, len(keys)).astype(np.float32)
    table.put(keys, values)
    cosines, known = table.get(keys)
    assert 1 <= known.sum() <= 4  # as many as there are slots
    assert np.array_equal(cosines[known], values[known])  # each key with its own cosine
    # a pair put later takes its slot over; the one it replaced is forgotten, not misread
    slot_of = table._slots(keys)
    holder = keys[known][0]
    rival = next(k for k in keys * 3 + 1 if table._slots(np.array([k]))[0] == table._slots(np.array([holder]))[0])
    table.put(np.array([rival]), np.array([0.5], np.float32))
    assert not table.get(np.array([holder]))[1][0]
    assert tuple(table.get(np.array([rival]))) == (np.float32(0.5), True)
    assert slot_of.max() < 4
    again = pickle.loads(pickle.dumps(table))  # with an index to a spawned worker: empty
    assert not again.get(keys)[1].any()


class _NoMemory(PairCosines):
    def get(self, keys):
        return np.zeros(len(keys), np.float32), np.zeros(len(keys), bool)

    def put(self, keys, cosines):
        pass


def _reports():
    return [report(f"{name}人民政府", year, PARAGRAPH + "\n" + own, path=f"{name}-{year}.txt")
            for name, own in (("白石镇", OWN_A), ("青山县", OWN_B), ("绿水县", OWN_B2), ("红河乡", OWN_A + OWN_B))
            for year in (2022, 2023)]


def test_a_batch_finds_the_same_with_remembered_cosines(monkeypatch):
    docs = _reports()
    plain = CorpusIndex.build(docs, exact=False)
    plain.pair_cosines = _NoMemory()
    expected = [[m.to_json() for m in plain.query(d)] for d in docs]
    assert any(expected)
    index = CorpusIndex.build(docs, exact=False)
    hits = []
    real_get = PairCosines.get
    monkeypatch.setattr(PairCosines, "get", lambda self, keys: hits.append(real_get(self, keys)[1].sum()) or real_get(self, keys))
    for _ in range(2):  # the second pass reads every pair from memory
        assert [[m.to_json() for m in index.query(d)] for d in docs] == expected
    assert sum(hits) > 0
