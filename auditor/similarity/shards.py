"""The corpus index partitioned into shards: each shard is the CorpusIndex of a contiguous block of
the reports, and a query fans out to the shards and merges what they find.

Why it equals one index: a query has five steps (auditor.similarity.index, `_Coordinator._query`).
Steps 1 (the best cosine of each audited passage against each indexed report) and 4 (the chosen
reports' passages searched exactly, aligned, merged into spans) read passages: each shard does
them over its own (CorpusIndex.shard_best_pairs, shard_spans), and their union is what one index
computes, because

- every shard weighs n-grams with the idf of the whole corpus (built from the sum of the shards'
  df, IndexBuilder.finish(corpus_df=…)), so a cosine is the same number in a shard as in one index;
- reports keep their global numbers (a shard's first report is its `offset`), so every tie-break
  by report or passage number falls the same way;
- steps 2–3 (which reports to compare in detail) and 5 (sources competing for a stretch, the reuse
  ratios) run here, over what the shards returned and the catalog of every report's path, body,
  year and fingerprint — the code CorpusIndex runs itself (`_Coordinator`).

Exact search (a corpus up to EXACT_MAX_PASSAGES) is therefore identical to one index. Candidate
search reads each n-gram's first POSTING_CAP passages *per shard* (the anchors are chosen by the
corpus-wide df, as in one index): with several shards it reads more candidates than one index
would, so it finds at least the same reports in the common case, not always the same ones.

Shards are anything with the three shard_* methods (and shard_text): a CorpusIndex in this process
(tests, the reference), or a Dask actor on a cluster worker (auditor/batch/shards.py), whose calls
return futures: the calls to every shard are made first, then waited for, so shards work in parallel.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from auditor.similarity.index import (EXACT_MAX_PASSAGES, CorpusIndex, IndexBuilder, _Coordinator, _Probe,
                                      _Span)


def _wait(results: list) -> list:
    """Values of shard calls: a Dask actor's call returns a future, a local shard the value."""
    return [r.result() if hasattr(r, "result") and callable(r.result) else r for r in results]


class ShardedIndex(_Coordinator):
    """A corpus index whose passages are in `shards` (shard k holds reports offsets[k] up to
    offsets[k+1]); it keeps the catalog of the reports (no text) and the corpus-wide idf.
    query, reuse_ratios and previous_reports as CorpusIndex's."""

    TEXTS_KEPT = 5_000  # source texts remembered between queries (bounded, like the index's caches)

    def __init__(self, reports: list, idf: np.ndarray, exact: bool, shards: list, offsets: list[int]):
        super().__init__(reports, idf, exact)
        self.shards = shards
        self.offsets = list(offsets) + [len(reports)]
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.reports)

    def _holding(self, reports) -> list[int]:
        """The shards that hold any of `reports`."""
        at = np.searchsorted(self.offsets, np.fromiter(reports, dtype=np.int64), side="right") - 1
        return sorted(set(at.tolist()))

    def _own_ngrams(self, excluded: set[int]) -> tuple[np.ndarray, np.ndarray]:
        parts = _wait([self.shards[k].shard_own_ngrams(sorted(excluded)) for k in self._holding(excluded)])
        if not parts:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        feats = np.concatenate([f for f, _ in parts])
        counts = np.concatenate([c for _, c in parts])
        uniq, inverse = np.unique(feats, return_inverse=True)
        return uniq, np.bincount(inverse, weights=counts, minlength=len(uniq)).astype(np.int64)

    def _best_pairs(self, probe: _Probe) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Shards in order of their reports: the concatenation is sorted by report, then passage.
        parts = _wait([shard.shard_best_pairs(probe) for shard in self.shards])
        return tuple(np.concatenate(column) for column in zip(*parts))

    def _spans_of(self, probe: _Probe, chosen: set[int]) -> list[_Span]:
        parts = _wait([self.shards[k].shard_spans(probe, sorted(chosen)) for k in self._holding(chosen)])
        texts = {}
        spans: list[_Span] = []
        for found, their_texts in parts:
            spans.extend(found)
            texts.update(their_texts)
        if len(self._texts) + len(texts) > self.TEXTS_KEPT:
            self._texts = {}
        self._texts.update(texts)
        return spans

    def _plan_parts(self, probe: _Probe | None, chosen: set[int], previous: list[int]) -> dict:
        reports = set(chosen) | set(previous)
        parts: dict = {}
        for found in _wait([self.shards[k].shard_plan(probe, sorted(chosen), sorted(previous))
                            for k in self._holding(reports)]):
            parts.update(found)
        return parts

    def _text(self, r: int) -> str:
        text = self._texts.get(r)
        if text is None:  # forgotten since its query (another thread's query cleared them)
            [k] = self._holding([r])
            [text] = _wait([self.shards[k].shard_text(r)])
            self._texts[r] = text
        return text


def _catalog(reports: list) -> list:
    """The reports without their text: what the coordinator keeps of each."""
    return [dataclasses.replace(r, text="", formulas=()) for r in reports]


def shard_bounds(count: int, shards: int) -> list[int]:
    """The first report of each of `shards` contiguous blocks of `count` reports (as even as can be)."""
    shards = max(1, min(shards, count)) if count else 1
    return [k * count // shards for k in range(shards)]


def build_sharded(entries: list, shards: int, exact: bool | None = None) -> ShardedIndex:
    """A ShardedIndex of `entries` (index_entry of each report, in order) in `shards` CorpusIndex
    of this process: the reference the cluster's shards are compared with, and the tests'."""
    bounds = shard_bounds(len(entries), shards)
    builders = []
    for k, start in enumerate(bounds):
        end = bounds[k + 1] if k + 1 < len(bounds) else len(entries)
        builder = IndexBuilder()
        for entry in entries[start:end]:
            builder.add(entry)
        builders.append(builder)
    df = sum(b.df for b in builders)
    passages = sum(b.passage_count for b in builders)
    if exact is None:
        exact = passages <= EXACT_MAX_PASSAGES
    reports = [r for b in builders for r in b.reports]
    indexes: list[CorpusIndex] = [b.finish(exact, corpus_df=df, corpus_passages=passages, offset=start)
                                  for b, start in zip(builders, bounds)]
    return ShardedIndex(_catalog(reports), indexes[0].idf, exact, indexes, bounds)
