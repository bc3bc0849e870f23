"""The corpus index partitioned across the workers of a Dask cluster (`auditor batch --scheduler`).

Each worker holds one shard — the CorpusIndex of a contiguous block of the batch's reports, with the
corpus-wide idf — in a Dask actor (ShardActor), and answers its part of every query there; the
check tasks get a ShardedIndex (auditor.similarity.shards), which keeps only the catalog of the
reports and the idf, and fans each query out to the actors. No worker holds the whole index, and
the findings are those of one index of the batch (see auditor.similarity.shards for why).

Built in three rounds from the index entries the parse tasks returned, in discovery order: the
entries of shard k are sent to its actor (in batches, so the parent never sends more than a batch
at once), the actors' df are summed into the corpus-wide df, and each actor finishes its shard
with it. A worker lost after that loses its shard: the queries that needed it fail and their
reports are recorded as infrastructure failures (a rerun builds the shards again).
"""

from __future__ import annotations

import numpy as np

from auditor.batch.engine import BatchEngineError
from auditor.similarity.index import EXACT_MAX_PASSAGES, IndexBuilder, corpus_idf
from auditor.similarity.shards import ShardedIndex, _catalog, _wait, shard_bounds

SEND = 64  # entries per call to an actor while building


class ShardActor:
    """One shard on a worker: built from entries, then queried (CorpusIndex.shard_* methods)."""

    def __init__(self) -> None:
        self._builder: IndexBuilder | None = IndexBuilder()
        self._index = None

    def add(self, entries: list) -> int:
        for entry in entries:
            self._builder.add(entry)
        return len(self._builder.reports)

    def totals(self) -> tuple[np.ndarray, int]:
        """This shard's part of the corpus-wide df, and its passage count."""
        return self._builder.df, self._builder.passage_count

    def finish(self, df: np.ndarray, passages: int, offset: int, exact: bool) -> list:
        """Build the shard; the catalog of its reports (no text)."""
        self._index = self._builder.finish(exact, corpus_df=df, corpus_passages=passages, offset=offset)
        self._builder = None
        return _catalog(self._index.reports)

    def shard_own_ngrams(self, excluded):
        return self._index.shard_own_ngrams(excluded)

    def shard_best_pairs(self, probe):
        return self._index.shard_best_pairs(probe)

    def shard_spans(self, probe, chosen):
        return self._index.shard_spans(probe, chosen)

    def shard_plan(self, probe, chosen, previous):
        return self._index.shard_plan(probe, chosen, previous)

    def shard_text(self, r: int) -> str:
        return self._index.shard_text(r)


def build_on_cluster(client, entries: list, exact: bool | None = None) -> ShardedIndex:
    """A ShardedIndex of `entries` (in order) with one shard per worker of `client`'s cluster.
    Any failure on the way (a worker lost, its disk full) is a BatchEngineError."""
    try:
        with client.as_current():  # an actor's handle finds its client as the current one
            return _build(client, entries, exact)
    except Exception as exc:  # noqa: BLE001 — whatever the cluster raised, the batch stops on one line
        raise BatchEngineError(f"无法在 Dask 集群上建立语料索引分片（{type(exc).__name__}）；"
                               "已完成的报告已保存，重新运行可续跑") from None


def _build(client, entries: list, exact: bool | None) -> ShardedIndex:
    workers = sorted(client.scheduler_info()["workers"])
    bounds = shard_bounds(len(entries), len(workers))
    ends = bounds[1:] + [len(entries)]
    actors = [client.submit(ShardActor, actor=True, workers=[workers[k]], allow_other_workers=False,
                            pure=False).result()
              for k in range(len(bounds))]
    # Batch b of every shard at once, each shard's batches in order.
    for b in range(0, max((end - start for start, end in zip(bounds, ends)), default=0), SEND):
        _wait([actor.add(entries[start + b:min(start + b + SEND, end)])
               for actor, start, end in zip(actors, bounds, ends) if start + b < end])
    totals = _wait([actor.totals() for actor in actors])
    df = sum(t[0] for t in totals)
    passages = sum(t[1] for t in totals)
    if exact is None:
        exact = passages <= EXACT_MAX_PASSAGES
    catalogs = _wait([actor.finish(df, passages, start, exact) for actor, start in zip(actors, bounds)])
    return ShardedIndex([r for part in catalogs for r in part], corpus_idf(df, passages), exact, actors, bounds)
