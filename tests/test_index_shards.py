"""The corpus index in shards (auditor.similarity.shards): a query fanned out to shards finds what
one index of the same reports finds; the index build's temporary file."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from auditor.model import SourceText, TextBlock
from auditor.similarity.index import CorpusIndex, index_entry
from auditor.similarity.shards import build_sharded, shard_bounds
from auditor.structure import build_document, parse_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))


def _doc(path: str, text: str):
    return build_document(SourceText(path=path, format="txt", encoding="utf-8", blocks=(TextBlock(text),)))


def _findings(index, docs) -> list:
    out = []
    for d in docs:
        matches = index.query(d)
        out.append((d.path, [m.to_json() for m in matches], index.reuse_ratios(d, matches),
                    index.previous_reports(d)))
    return out


@pytest.fixture(scope="module")
def corpus(shared):
    """The sample reports (copies within bodies) and the first real ones (copies across bodies),
    with a report that has no narrative at all (a shard may hold only that)."""
    docs = [parse_file(str(p)) for p in SAMPLES]
    docs += [parse_file(str(p)) for p in sorted((shared / "real" / "full").glob("*.txt"))[:30]]
    docs.insert(3, _doc("empty.txt", "某县2023年政府信息公开工作年度报告\n"))
    return docs


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("shards", [1, 3, 7])
def test_a_sharded_index_finds_what_one_index_finds(corpus, exact, shards):
    entries = [index_entry(d) for d in corpus]
    one = CorpusIndex.from_entries(entries, exact=exact)
    sharded = build_sharded(entries, shards, exact=exact)
    assert len(sharded.shards) == shards and len(sharded) == len(one)
    # every shard weighs n-grams with the corpus-wide idf
    assert all((s.idf == one.idf).all() for s in sharded.shards)
    found = _findings(sharded, corpus)
    assert any(matches for _, matches, _, _ in found)
    assert found == _findings(one, corpus)


@pytest.mark.parametrize("exact", [True, False])
def test_a_sharded_index_plans_a_query_as_one_index_does(corpus, exact):
    # Incremental batches keep a result while its query plan stays the same (CorpusIndex.query_plan):
    # on Dask the plan is put together from the shards and must be the same digest.
    entries = [index_entry(d) for d in corpus]
    one, sharded = CorpusIndex.from_entries(entries, exact=exact), build_sharded(entries, 3, exact=exact)
    plans = [one.query_plan(d) for d in corpus]
    assert [sharded.query_plan(d) for d in corpus] == plans
    assert len(set(plans)) > len(corpus) // 2  # reports that copy, and reports with a previous year, differ
    # after a full query the plan is the same as without one
    fresh = CorpusIndex.from_entries(entries, exact=exact)
    for d in corpus[:5]:
        fresh.query(d)
    assert [fresh.query_plan(d) for d in corpus[:5]] == plans[:5]


def test_a_report_not_indexed_is_queried_the_same_way(corpus):
    # The audited report is in no shard (`audit --corpus`): its passages come from its text.
    entries = [index_entry(d) for d in corpus[1:]]
    one, sharded = CorpusIndex.from_entries(entries, exact=False), build_sharded(entries, 4, exact=False)
    assert _findings(sharded, corpus[:1]) == _findings(one, corpus[:1])


def test_more_shards_than_reports_and_no_reports():
    assert shard_bounds(2, 5) == [0, 1]
    assert shard_bounds(0, 3) == [0]
    assert shard_bounds(10, 3) == [0, 3, 6]
    doc = _doc("a.txt", "某县2023年政府信息公开工作年度报告\n一、总体情况\n全县各单位严格落实信息发布审核制度，坚持先审后发。\n")
    sharded = build_sharded([index_entry(doc)], 5)
    assert len(sharded.shards) == 1 and sharded.query(doc) == []
    empty = build_sharded([], 3)
    assert len(empty) == 0 and empty.query(doc) == [] and empty.previous_reports(doc) == []


def test_a_full_temporary_directory_while_indexing_is_one_line(tmp_path, monkeypatch):
    # The index build spills counts and postings to a temporary file; a full disk there stops
    # the batch with one Chinese line, not a traceback.
    import shutil

    from typer.testing import CliRunner

    from auditor.cli import app
    from auditor.similarity import index as index_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("qingxi-county-2023.txt", "qingxi-county-2024.html", "baisha-town-2022.txt"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)

    def full(self, array):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(index_module._Spill, "put", full)
    done = CliRunner().invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "out"), "-j", "1"])
    assert done.exit_code == 2, done.output
    lines = [line for line in done.output.splitlines() if line.startswith("错误")]
    assert len(lines) == 1 and "无法建立语料索引" in lines[0] and "磁盘空间不足" in lines[0], done.output
    assert "Traceback" not in done.output


# --------------------------------------------------------------------------- on a Dask cluster


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=3, threads_per_worker=2, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _held(keys, dask_worker=None) -> list:
    """Runs on a worker: the number of reports of each shard of `keys` it holds."""
    return [len(actor._index.reports) for key, actor in dask_worker.state.actors.items() if key in keys]


@pytest.mark.parametrize("exact", [True, False])
def test_shards_on_dask_workers_find_what_one_index_finds(corpus, client, exact):
    from auditor.batch.shards import build_on_cluster

    entries = [index_entry(d) for d in corpus]
    sharded = build_on_cluster(client, entries, exact=exact)
    # one shard per worker process, each holding a third of the reports, none all of them
    held = client.run(_held, [shard.key for shard in sharded.shards])
    assert sorted(n for shards in held.values() for n in shards) == sorted(
        b - a for a, b in zip(sharded.offsets, sharded.offsets[1:]))
    assert all(len(shards) == 1 and shards[0] < len(corpus) for shards in held.values()) and len(held) == 3
    # the coordinator keeps no text
    assert all(r.text == "" for r in sharded.reports)
    found = _findings(sharded, corpus)
    assert any(matches for _, matches, _, _ in found)
    assert found == _findings(CorpusIndex.from_entries(entries, exact=exact), corpus)


def test_queries_from_tasks_on_the_workers(corpus, client):
    # As in a batch: the sharded index is sent to the workers and each task queries it there.
    from auditor.batch.shards import build_on_cluster

    entries = [index_entry(d) for d in corpus]
    sharded = build_on_cluster(client, entries, exact=False)
    [shared] = client.scatter([sharded], broadcast=True)
    futures = [client.submit(_query_on_worker, shared, d, pure=False) for d in corpus]
    one = CorpusIndex.from_entries(entries, exact=False)
    assert [f.result() for f in futures] == [[m.to_json() for m in one.query(d)] for d in corpus]


def _query_on_worker(index, doc) -> list:
    return [m.to_json() for m in index.query(doc)]
