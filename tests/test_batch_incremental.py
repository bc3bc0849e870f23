"""Incremental and resumable corpus checks: a changed corpus re-checks only what the change can
alter, parses only new or changed reports, and ends where a clean full run on it ends."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from auditor.batch.store import comparable_results, saved_count

ROOT = Path(__file__).resolve().parents[1]


def _batch(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", "batch", *args, "--workers", "1"], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=600,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def _run_ids(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT path, run_id FROM documents"))
    finally:
        conn.close()


def _copy_with_body(source: Path, target: Path, old: str, new: str) -> None:
    """Another body's report made of `source` (its name replaced): a copy across bodies."""
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    target.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def changed_corpus(tmp_path_factory):
    """A corpus audited once, then changed: one report added (another body's copy of one),
    one changed (a paragraph rewritten), one removed; audited again incrementally, and from
    scratch into another output directory."""
    tmp = tmp_path_factory.mktemp("incremental")
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    first = _batch(tmp, "corpus", "--out", "out")
    assert first.returncode == 0, first.stderr
    before = _run_ids(tmp / "out" / "auditor.db")

    _copy_with_body(tmp / "corpus" / "qingxi-natres-2022.md", tmp / "corpus" / "shiqiao-natres-2022.txt",
                    "青溪县", "石桥县")
    changed = tmp / "corpus" / "qingxi-county-2023.txt"
    text = changed.read_text(encoding="utf-8")
    line = max((ln for ln in text.splitlines() if "。" in ln), key=len)
    changed.write_text(text.replace(line, "本年度依法做好政府信息公开工作，全年未发生因信息公开引发的行政争议。" + line[40:]),
                       encoding="utf-8")
    (tmp / "corpus" / "yunling-eco-2020.txt").unlink()

    incremental = _batch(tmp, "corpus", "--out", "out")
    assert incremental.returncode == 0, incremental.stderr
    clean = _batch(tmp, "corpus", "--out", "clean")
    assert clean.returncode == 0, clean.stderr
    return tmp, before, incremental, clean


def test_incremental_run_equals_a_clean_run(changed_corpus):
    tmp, _, _, _ = changed_corpus
    incremental = comparable_results(tmp / "out" / "auditor.db")
    clean = comparable_results(tmp / "clean" / "auditor.db")
    incremental.pop("corpus/yunling-eco-2020.txt")  # removed: kept in the database, not in the outputs
    assert incremental == clean
    # The copy across bodies is found in both directions, so the test can fail.
    assert "SIM-OTHER-BODY" in {f[0] for f in clean["corpus/shiqiao-natres-2022.txt"][1]}
    assert "SIM-OTHER-BODY" in {f[0] for f in clean["corpus/qingxi-natres-2022.md"][1]}
    index = (tmp / "out" / "index.html").read_text(encoding="utf-8")
    assert "yunling-eco-2020" not in index and "shiqiao-natres-2022" in index


def test_incremental_run_parses_only_what_changed(changed_corpus):
    tmp, before, incremental, _ = changed_corpus
    # Only the new and the changed report are parsed; the others come from the cache.
    assert "解析：共 2 份" in incremental.stderr, incremental.stderr
    after = _run_ids(tmp / "out" / "auditor.db")
    rechecked = {p for p in after if after[p] != before.get(p)}
    assert {"corpus/shiqiao-natres-2022.txt", "corpus/qingxi-county-2023.txt"} <= rechecked
    # The source of the copy and the changed report's next year are re-checked.
    assert {"corpus/qingxi-natres-2022.md", "corpus/qingxi-county-2024.html"} <= rechecked


# A report in its own words: it shares no passage with the sample corpus.
OWN_WORDS = """石桥县民政局2023年政府信息公开工作年度报告

一、总体情况
2023年，石桥县民政局围绕养老服务、社会救助和婚姻登记三项重点，逐月在门户网站更新救助对象公示。
县福利院改造工程竣工后，我们把入住评估标准、收费明细和护理等级说明全部挂网，方便家属随时查询。
针对低保复核中群众反映集中的收入核算问题，编写了十二问十二答并在各村便民服务点张贴。
二、主动公开政府信息情况
婚姻登记处推行预约办理，预约规则、办理时段和所需材料在公众号置顶发布，全年回复留言三百余条。
三、收到和处理政府信息公开申请情况
两位老人来信询问宅基地上赡养协议的存档位置，档案员带他们去乡镇档案室当场翻阅了原件。
四、政府信息公开行政复议、行政诉讼情况
没有人为此去复议机关或者法院，窗口的意见簿里倒是多了几句对排队叫号的抱怨。
五、存在的主要问题及改进情况
殡葬改革政策解读仍显单薄，下一步将邀请乡镇民政助理录制短视频，用方言讲清惠民殡葬补贴的申领流程。
六、其他需要报告的事项
今年起县里把民政窗口的午休时段改成轮班，中午也能办理残疾人两项补贴。
"""


def test_a_report_in_its_own_words_rechecks_itself_alone(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assert _batch(tmp_path, "corpus", "--out", "out").returncode == 0
    (tmp_path / "corpus" / "shiqiao-civil-2023.txt").write_text(OWN_WORDS, encoding="utf-8")
    again = _batch(tmp_path, "corpus", "--out", "out")
    assert again.returncode == 0 and "新审核 1 份" in again.stderr and "解析：共 1 份" in again.stderr, again.stderr
    assert _batch(tmp_path, "corpus", "--out", "clean").returncode == 0
    assert comparable_results(tmp_path / "out" / "auditor.db") == comparable_results(tmp_path / "clean" / "auditor.db")


def test_unchanged_corpus_is_neither_parsed_nor_checked_again(changed_corpus):
    tmp, _, _, _ = changed_corpus
    again = _batch(tmp, "corpus", "--out", "out")
    assert again.returncode == 0 and "新审核 0 份" in again.stderr and "解析" not in again.stderr, again.stderr


def test_resumed_run_parses_nothing_finished_and_ends_as_a_clean_run(tmp_path):
    """An interrupted run (some results never saved) resumes from the parse cache."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assert _batch(tmp_path, "corpus", "--out", "out").returncode == 0
    full = comparable_results(tmp_path / "out" / "auditor.db")
    conn = sqlite3.connect(tmp_path / "out" / "auditor.db")
    with conn:  # as if killed before these three were checked
        lost = ["corpus/qingxi-county-2024.html", "corpus/yunling-eco-2022.docx", "corpus/baisha-town-2020.pdf"]
        for path in lost:
            conn.execute("DELETE FROM findings WHERE path = ?", (path,))
            conn.execute("DELETE FROM documents WHERE path = ?", (path,))
    conn.close()
    resumed = _batch(tmp_path, "corpus", "--out", "out")
    assert resumed.returncode == 0 and "解析：共 0 份" in resumed.stderr and "新审核 3 份" in resumed.stderr, \
        resumed.stderr
    assert comparable_results(tmp_path / "out" / "auditor.db") == full


def test_a_damaged_cache_entry_is_parsed_again(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assert _batch(tmp_path, "corpus", "--out", "out").returncode == 0
    full = comparable_results(tmp_path / "out" / "auditor.db")
    from auditor.batch.cache import ParseCache
    from auditor.batch.run import file_sha256

    cache = ParseCache(tmp_path / "out" / "cache" / "parsed")
    entries = [cache.file_of(f"corpus/{name}", file_sha256(str(tmp_path / "corpus" / name)))
               for name in ("qingxi-county-2023.txt", "baisha-town-2020.pdf")]  # two reports that stay
    assert all(entry.is_file() for entry in entries)
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "corpus" / "yunling-eco-2024.html").unlink()  # a change: the cache is read
    again = _batch(tmp_path, "corpus", "--out", "out")
    assert again.returncode == 0 and "解析：共 2 份" in again.stderr, again.stderr
    clean = _batch(tmp_path, "corpus", "--out", "clean")
    assert clean.returncode == 0
    results = comparable_results(tmp_path / "out" / "auditor.db")
    results.pop("corpus/yunling-eco-2024.html")
    assert results == comparable_results(tmp_path / "clean" / "auditor.db")
    assert full  # the first run audited something


def test_cache_round_trips_a_document_without_pickle(tmp_path):
    from auditor.batch.cache import ParseCache
    from auditor.nlp.sentences import split_document
    from auditor.similarity.index import index_entry
    from auditor.structure import parse_file

    cache = ParseCache(tmp_path / "cache", key="k")
    for source in ("qingxi-county-2024.html", "yunling-eco-2022.docx", "baisha-town-2020.pdf"):
        doc = parse_file(str(ROOT / "corpus" / source))
        entry = index_entry(doc)
        sentences = [(s.start, s.end, s.section) for s in split_document(doc)]
        cache.put(doc.path, "sha", doc, sentences, entry)
        got_doc, got_sentences, got_entry = cache.get(doc.path, "sha")
        assert got_doc == doc and got_doc.source_map == doc.source_map and got_sentences == sentences
        assert got_entry.report == entry.report and got_entry.masked == entry.masked
        assert (got_entry.counts != entry.counts).nnz == 0
        assert cache.get(doc.path, "other-sha") is None
        # what a check task and the index build read, each alone
        assert cache.document(doc.path, "sha") == (doc, sentences) and cache.has(doc.path, "sha")
        alone = cache.entry(doc.path, "sha")
        assert alone.report == entry.report and alone.masked == entry.masked and (alone.counts != entry.counts).nnz == 0
        assert alone.counts.dtype == entry.counts.dtype and alone.counts.shape == entry.counts.shape
        assert cache.document(doc.path, "other-sha") is None and cache.entry(doc.path, "other-sha") is None
        assert not cache.has(doc.path, "other-sha")
    for path in (tmp_path / "cache").glob("*/*.npz"):
        with np.load(path, allow_pickle=False) as z:  # loads without pickle, or it raises
            for member in z.files:
                z[member]
            assert json.loads(z["head"].tobytes().decode("ascii"))["format"].startswith("auditor.parse-cache")


def test_a_cache_entry_whose_counts_do_not_add_up_is_a_miss(tmp_path):
    """The counts are one packed member (rows, columns, non-zeros, then the arrays): one cut
    short, or claiming more rows than it holds, is a cache miss, not an error or a wrong matrix."""
    from auditor.batch.cache import ParseCache
    from auditor.similarity.index import index_entry
    from auditor.structure import parse_file

    cache = ParseCache(tmp_path / "cache", key="k")
    doc = parse_file(str(ROOT / "corpus" / "qingxi-county-2024.html"))
    cache.put(doc.path, "sha", doc, [], index_entry(doc))
    path = cache.file_of(doc.path, "sha")
    with np.load(path, allow_pickle=False) as z:
        members = {name: z[name] for name in z.files}
    assert cache.entry(doc.path, "sha") is not None
    for damaged in (members["counts"][:-1], np.concatenate([[members["counts"][0] + 1], members["counts"][1:]])):
        with open(path, "wb") as handle:
            np.savez(handle, **{**members, "counts": damaged})
        assert cache.entry(doc.path, "sha") is None


def _cached(out: Path) -> int:
    """Complete parse-cache entries (a .tmp being written is not one)."""
    return len(list((out / "cache" / "parsed").glob("*/*.npz")))


@pytest.mark.parametrize("stage", ["parse", "check"])
def test_a_killed_run_resumes_without_parsing_what_it_parsed(tmp_path, stage):
    """A real kill (SIGKILL to the batch's process group) in the middle of the parse stage, or of
    the check stage; the rerun parses only the reports the killed run had not cached, and ends
    where a clean run ends."""
    import os
    import signal
    import time

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    from auditor.similarity.discover import discover_reports

    total = len(discover_reports(str(tmp_path / "corpus")))
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "batch", "corpus", "--out", "out", "--workers", "1"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if (_cached(tmp_path / "out") if stage == "parse" else saved_count(tmp_path / "out" / "auditor.db")) >= 1:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers: the group it leads
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    cached = _cached(tmp_path / "out")
    saved = saved_count(tmp_path / "out" / "auditor.db")
    assert cached >= 1 and saved < total
    if stage == "parse":
        assert cached < total and saved == 0
    resumed = _batch(tmp_path, "corpus", "--out", "out")
    assert resumed.returncode == 0, resumed.stderr
    assert f"解析：共 {total - cached} 份" in resumed.stderr, (cached, resumed.stderr)
    assert f"新审核 {total - saved} 份" in resumed.stderr, (saved, resumed.stderr)
    clean = _batch(tmp_path, "corpus", "--out", "clean")
    assert clean.returncode == 0, clean.stderr
    assert comparable_results(tmp_path / "out" / "auditor.db") == comparable_results(tmp_path / "clean" / "auditor.db")


def _sample_docs() -> dict:
    from auditor.similarity.discover import discover_reports
    from auditor.structure import parse_file

    return {Path(p).name: parse_file(p) for p in discover_reports(str(ROOT / "corpus"))}


def test_query_plan_is_what_the_query_compared_and_moves_only_with_what_it_compares():
    """query_plan after a query and alone (candidate steps only) agree; adding a report in its own
    words moves every idf but not the plan (nor the matches) of the others; adding a copy of a
    report moves the plan of the report it copies, and its matches with it."""
    import dataclasses

    from auditor.similarity.index import CorpusIndex
    from auditor.structure import build_document
    from auditor.model import SourceText, TextBlock

    docs = _sample_docs()
    names = sorted(docs)
    index = CorpusIndex.build(docs[n] for n in names)
    target = docs["qingxi-natres-2022.md"]
    matches = index.query(target)
    after_query = index.query_plan(target)
    fresh = CorpusIndex.build(docs[n] for n in names)
    assert fresh.query_plan(target) == after_query  # the candidate steps alone plan the same

    own = build_document(SourceText("corpus/shiqiao-civil-2023.txt", "txt", "utf-8",
                                    [TextBlock(OWN_WORDS)]))
    grown = CorpusIndex.build([docs[n] for n in names] + [own])
    assert not np.array_equal(grown.idf, index.idf)  # every weight moved a little
    for name in names:
        assert grown.query_plan(docs[name]) == CorpusIndex.build(docs[n] for n in names).query_plan(docs[name]), name
    assert grown.query(target) == matches

    # Another body's copy (the name replaced in the text too, same length: offsets hold).
    copy = dataclasses.replace(target, path="corpus/shiqiao-natres-2022.md", text=target.text.replace("青溪县", "石桥县"),
                               meta=dataclasses.replace(target.meta, agency="石桥县自然资源局"))
    copied = CorpusIndex.build([docs[n] for n in names] + [copy])
    assert copied.query_plan(target) != after_query
    assert any(m.source_path == copy.path for m in copied.query(target))


def _in_process_batch(corpus: Path, out: Path):
    """run_batch in this process (2 forked workers) with the shipped rules."""
    import io

    from auditor.batch.run import run_batch
    from auditor.rules.loader import load_rules

    return run_batch(str(corpus), load_rules(), out_dir=str(out), workers=2, stream=io.StringIO())


def test_entries_sent_back_or_read_back_give_the_same_results(tmp_path, monkeypatch):
    """The index is built from the entries the parse workers send back, or, past HELD_ENTRIES
    waiting for a slower report, from the parse cache: the same index, the same results."""
    from auditor.batch import run
    from auditor.batch.store import comparable_results

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    _in_process_batch(tmp_path / "corpus", tmp_path / "sent")
    monkeypatch.setattr(run, "HELD_ENTRIES", 0)
    _in_process_batch(tmp_path / "corpus", tmp_path / "read")
    assert comparable_results(tmp_path / "sent" / "auditor.db") == comparable_results(tmp_path / "read" / "auditor.db")


def test_the_batch_process_holds_no_parsed_document(tmp_path, monkeypatch):
    """With corpus checks, parse outcomes reach the batch process without their Document (the
    worker wrote it to the parse cache) and check tasks get their report and its previous-year
    report by reference: nothing that grows with the corpus but the index stays in the parent."""
    from auditor.batch.engine import LocalEngine
    from auditor.batch.tasks import CheckOutcome, ParseOutcome
    from auditor.model import Document

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    items, outcomes = [], []
    original = LocalEngine.map

    def recording(self, task, context, work, on_error, meanwhile=None, affinity=None, ahead=None):
        work = list(work)
        items.extend(work)
        for outcome in original(self, task, context, work, on_error, meanwhile, affinity, ahead):
            outcomes.append(outcome)
            yield outcome

    monkeypatch.setattr(LocalEngine, "map", recording)
    summary = _in_process_batch(tmp_path / "corpus", tmp_path / "out")
    assert summary.scored == summary.total > 5

    def documents(value) -> int:
        if isinstance(value, Document):
            return 1
        if isinstance(value, (tuple, list)):
            return sum(documents(v) for v in value)
        return 0

    parsed = [o for o in outcomes if isinstance(o, ParseOutcome)]
    # only the index entry comes back (the index takes it at once), never the Document
    assert parsed and all(o.cached and o.doc is None and o.sentences is None and o.entry is not None
                          for o in parsed)
    checks = [o for o in outcomes if isinstance(o, CheckOutcome)]
    assert len(checks) == summary.total and sum(documents(item) for item in items) == 0
    # some report was given its previous year's, by reference
    assert any(item[3] is not None for item in items if len(item) == 5)


def test_a_cache_that_takes_nothing_gives_the_same_results(tmp_path, monkeypatch):
    """A parse cache that cannot be written (a full disk), or whose entry is unreadable when the
    index is built: entries are held or parsed again, check tasks parse their report again, and
    the results are those of a normal run."""
    from auditor.batch.cache import ParseCache

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    _in_process_batch(tmp_path / "corpus", tmp_path / "normal")
    monkeypatch.setattr(ParseCache, "put", lambda self, *args: False)
    _in_process_batch(tmp_path / "corpus", tmp_path / "full-disk")
    assert not list((tmp_path / "full-disk" / "cache").rglob("*.npz"))
    monkeypatch.undo()
    monkeypatch.setattr(ParseCache, "entry", lambda self, name, sha256: None)  # damaged after has()
    _in_process_batch(tmp_path / "corpus", tmp_path / "damaged")
    normal = comparable_results(tmp_path / "normal" / "auditor.db")
    assert normal and comparable_results(tmp_path / "full-disk" / "auditor.db") == normal
    assert comparable_results(tmp_path / "damaged" / "auditor.db") == normal
