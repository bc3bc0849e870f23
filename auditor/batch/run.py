"""The batch pipeline: discover → hash → parse (workers) → corpus index → check (workers) → store
→ outputs.

With corpus checks (the default), every report is parsed first, in parallel, with its entry for
the corpus index; the index of the whole batch is built once; then each report is checked in a
worker against that index and the same body's previous-year report. Parsed reports travel
through the parse cache (cache.py), not through this process: the workers write them, the index
is streamed from their entries, and a check task reads its two Documents there, so what this
process holds grows with the index alone (_run_with_corpus). Without corpus checks (or when
`--no-corpus` is given), parse and check are one task per report.

Outcomes are saved as they complete (a page written whole, then the database row in one
transaction), so an interruption or a failure loses at most the reports in flight. A task over
its time or memory budget is that report's error; a task whose worker was lost is retried, then
recorded as an infrastructure failure (budget.py). A full disk or another failure to write the
outputs or the database stops the run with one Chinese line (BatchOutputError, StoreError): what
was saved stays, and a rerun goes on from there.

Resume: a file whose bytes (sha256) are unchanged and that was scored 'ok' under the same
configuration key (rules, data lists, model, baseline, corpus checks or not), and whose page
still exists, is not re-scored (nor one that failed, except as store.reusable says).

Incremental corpus checks: with them, a result also depends on the other reports of the batch.
Each result records which corpus index it was checked against (documents.corpus_key, members in
`corpora`) and its query plan against it (documents.corpus_plan, CorpusIndex.query_plan: the
reports it was compared with in detail, the passage pairs aligned, its body's previous-year
reports — each report by path, body, year and a hash of its text). Its copy, reuse and
continuity findings are a function of the plan and of the report itself, whatever else of the
corpus moved (a report added anywhere shifts every idf, so every cosine, a little). When the
corpus changed (reports added, changed, removed), the index is built again from every report —
parsed only when new or changed: the others come from the parse cache (cache.py), so the index
is the one a full run builds — and each kept result is planned against it in the workers
(tasks.recheck_task: the candidate steps of a query, no alignment, no other check); it is
checked again only when its plan moved, else kept and marked as valid against the new index.
The end state is the one a clean full run gives (tests/test_batch_incremental.py,
bench/batch_scale.py --incremental). After an interrupted run the rest is done, without parsing
again what was parsed.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import stat
import sys
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from auditor.atomic import atomic_open, write_atomic
from auditor.batch.budget import Budgets
from auditor.batch.engine import BatchEngineError, DaskEngine, LocalEngine  # noqa: F401 (re-exported)
from auditor.batch.csv_cells import csv_row
from auditor.batch.progress import Progress
from auditor.batch.readahead import read_ahead
from auditor.errors import write_error_cause
from auditor.filenames import legible, shown
from auditor.model import CATEGORIES, SEVERITIES
from auditor.report.text import CATEGORY_LABELS, SEVERITY_LABELS


class BatchUsageError(Exception):
    """Bad usage (no such directory, no reports); str() is one Chinese line."""


class BatchOutputError(Exception):
    """An output file (a report page, the CSV, the index) could not be written; str() is one
    Chinese line. What was saved before stays saved."""


class BatchInterrupted(Exception):
    """Ctrl-C: what was saved stays saved; `summary` says how far the run got."""

    def __init__(self, summary: "BatchSummary"):
        super().__init__("interrupted")
        self.summary = summary


@dataclass
class BatchSummary:
    run_id: int
    total: int
    scored: int = 0
    skipped: int = 0
    failed: int = 0  # failed in this run (including infrastructure failures)
    outputs: dict = field(default_factory=dict)
    # (path, Chinese reason) of every report of the batch that could not be read or audited,
    # this run or an earlier one whose result was reused: the batch's results lack them all.
    failures: list[tuple[str, str]] = field(default_factory=list)
    # (path, Chinese reason) of the reports whose worker or cluster was lost every time they were
    # tried (status 'infrastructure'): not the reports' problem; the next run retries them.
    lost: list[tuple[str, str]] = field(default_factory=list)


def last_year(doc, index, docs_by_path):
    """The same body's report of the year before, when the corpus has it (for continuity rules).

    Only the immediately previous year: across a gap the carried-over and in-force chains do not
    hold, so comparing would raise false alarms.
    """
    if index is None or doc.meta.year is None:
        return None
    for path in index.previous_reports(doc):
        candidate = docs_by_path.get(path)
        if candidate is not None and candidate.meta.year == doc.meta.year - 1:
            return candidate
    return None


def config_key(rules, baseline_path: str | None, corpus: bool = False) -> str:
    """What a stored result depends on besides the file itself and (with corpus checks) the
    other reports of the batch: the rules, the data lists and the model in effect, the baseline,
    and whether corpus checks ran. Which other reports a result was checked against is its
    corpus_key (see the module's docstring)."""
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(json.dumps([rule.id, rule.kind, rule.category, rule.severity, rule.message,
                                  getattr(rule, "params", None)], ensure_ascii=False, sort_keys=True,
                                 default=str).encode())
    from auditor import resources
    from auditor.rules.data import data_files

    # A changed data list (the rubric of rules/score.yaml, the lexicon, …) or another model (the
    # `rules_dir` and `model` settings) can change every result.
    for name, path in data_files().items():
        digest.update(f"{name}\0".encode() + path.read_bytes())
    model = resources.model_path()
    digest.update(model.read_bytes() if model.is_file() else b"no-model")
    if baseline_path:
        digest.update(Path(baseline_path).read_bytes())
    digest.update(b"corpus-checks/2" if corpus else b"no-corpus")
    return digest.hexdigest()


def file_sha256(path: str) -> str | None:
    """None for a file that cannot be read (it is then recorded as failed by its task), or that
    is no regular file: a FIFO named .txt would block the read forever, a device never end it.
    Opened without blocking, then checked, then read."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _write_page(path: Path, text: str) -> None:
    """A report's page, whole or not at all (a killed run or a full disk never leaves half a page)."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise BatchOutputError(f"无法写入审核页 {legible(str(path))}：{write_error_cause(exc)}；"
                               "已保存的结果保留，排除后重新运行即可继续") from None


def _items_with_bytes(names, real, engine, *extra):
    """Task items: (real path, bytes-or-None, *extra) of the reports `names`. A local worker
    reads the file itself; a Dask worker may be on another machine, so it gets the bytes — at
    most SEND_LIMIT of them: a larger file is refused by the reader as too large anyway, and a
    10 GB one must not be read into this process."""
    remote = isinstance(engine, DaskEngine)
    for name, *rest in zip(names, *extra):
        data = None
        if remote and _regular(real[name]):  # a FIFO would block here: its worker reports it
            try:
                with open(real[name], "rb") as handle:
                    data = handle.read(SEND_LIMIT + 1)
            except OSError:
                data = None  # the worker reports the cause
        yield (real[name], data, *rest)


# More than any format's size limit (auditor/read.MAX_BYTES).
SEND_LIMIT = 64 << 20
# Index entries sent back by the parse workers that wait for the index at most (_run_with_corpus):
# a few MB, however far one slow report holds the others back.
HELD_ENTRIES = 64


# --------------------------------------------------------------------------- the run


def run_batch(directory: str, rules, *, out_dir: str, db_path: str | None = None,
              workers: int | None = None, baseline_path: str | None = None,
              corpus_checks: bool = True, scheduler: str | None = None, pages: bool = True,
              budgets: Budgets = Budgets(), stream=None) -> BatchSummary:
    from auditor import baseline as baselines
    from auditor.batch.cache import ParseCache
    from auditor.batch.store import Store
    from auditor.similarity.discover import discover_reports

    stream = stream or sys.stderr
    if not os.path.isdir(directory):
        raise BatchUsageError(f"目录 {legible(directory)} 不存在或不是目录")
    # Each report by its shown name (filenames.py) — what the database, the outputs and the
    # messages use — and its real path, to open it by.
    real: dict[str, str] = {}
    for path in discover_reports(directory):
        name = shown(path)
        if name in real:  # a name with \xNN written literally beside the undecodable one
            raise BatchUsageError(f"两个文件的名称无法区分：{legible(real[name])} 与 {legible(path)}；请给其中一个改名")
        real[name] = path
    paths = list(real)
    if not paths:
        raise BatchUsageError(f"目录 {legible(directory)} 中没有报告文件（.txt/.md/.html/.htm/.docx/.doc/.wps/.pdf/.ofd、扫描图片 .png/.jpg/.tif）")
    decisions = baselines.load_baseline(baseline_path) if baseline_path else None
    hashes = {name: file_sha256(real[name]) or "unreadable" for name in paths}
    key = config_key(rules, baseline_path, corpus_checks)

    out = Path(out_dir)
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchUsageError(f"无法创建输出目录 {legible(str(out))}：{write_error_cause(exc)}") from None
    store = Store(db_path or str(out / "auditor.db"))
    engine = None
    summary = None
    progress = None
    try:
        run_id = store.start_run(shown(directory), len(rules), key, budgets.seconds, budgets.memory)
        summary = BatchSummary(run_id=run_id, total=len(paths))
        pages_of = store.assign_pages(paths)
        todo, unchanged_but_stale = [], 0
        for path in paths:
            row = store.reusable(path, hashes[path], len(rules), key, budgets.seconds, budgets.memory)
            if row is not None and (not pages or row["status"] != "ok"
                                    or (out / "reports" / f"{row['page']}.html").is_file()):
                summary.skipped += 1
            else:
                todo.append(path)
                unchanged_but_stale += store.same_bytes(path, hashes[path])
        # With corpus checks, a report's result also depends on which reports the index held
        # when it was checked (a report added, changed or removed since, or one that failed to
        # parse then and parses now): unless every kept result was checked against exactly the
        # reports of the batch as they are, the corpus stage finds out which to check again.
        reused_keys = ({p: k for p, k in store.corpus_keys(paths).items() if p not in todo}
                       if corpus_checks else {})
        corpus_stage = corpus_checks and (todo or not _same_corpus(store, paths, hashes, reused_keys))
        if unchanged_but_stale:
            print(f"{unchanged_but_stale} 份报告内容未变，但规则、基线与上次不同，或上次未能完成，重新审核",
                  file=stream, flush=True)
        engine = DaskEngine(scheduler, budgets) if scheduler else LocalEngine(workers, budgets)
        print(f"共 {len(paths)} 份报告：{summary.skipped} 份未变、沿用上次结果，{len(todo)} 份需要审核"
              f"（{engine.description}{'，含跨报告检查' if corpus_checks else '，不做跨报告检查'}）",
              file=stream, flush=True)
        progress = Progress(stream)

        def save(outcome, corpus_key: str | None = None) -> None:
            if outcome.error is None and outcome.html is not None:
                _write_page(out / "reports" / f"{outcome.page}.html", outcome.html)
            store.save_outcome(outcome, hashes[outcome.path], run_id, corpus_key)
            if outcome.error is None:
                summary.scored += 1
            else:
                summary.failed += 1
                lost = getattr(outcome, "failure", None) == "infrastructure"
                progress.note(f"{'未能完成（工作进程或集群故障）' if lost else '无法读取或审核'}：{outcome.error}")

        pages_for = {"store_key": decision_store_key(out), "index_href": "../index.html"} if pages else None
        if corpus_stage:
            again = _run_with_corpus(engine, paths, real, hashes, todo, reused_keys, pages_of, rules, decisions,
                                     pages_for, save, progress, store, ParseCache(out / "cache" / "parsed"))
            summary.skipped -= again
        elif todo and not corpus_checks:
            _run_without_corpus(engine, real, todo, pages_of, rules, decisions, pages_for, save, progress)

        progress.status("写出索引和 CSV")
        copy_rules = [r.id for r in rules if r.kind == "similarity" and r.params.get("mode") == "other_body"]
        summary.outputs, rows = write_outputs(store, paths, out, shown(directory), run_id, copy_rules,
                                              baseline_path=baseline_path)
        summary.failures = [(row["path"], row["error"] or "") for row in rows if row["status"] == "error"]
        summary.lost = [(row["path"], row["error"] or "") for row in rows if row["status"] == "infrastructure"]
        store.finish_run(run_id)
    except KeyboardInterrupt:
        if summary is None:
            raise
        raise BatchInterrupted(summary) from None
    finally:
        if progress is not None:
            progress.close()
        if engine is not None:
            engine.close()
        store.close()
    return summary


def decision_store_key(out: Path) -> str:
    """What the report pages and the index of one output directory file their reviewer's
    decisions under in the browser, so the index exports the decisions of its own pages only."""
    return hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _run_without_corpus(engine, real, todo, pages_of, rules, decisions, pages, save, progress) -> None:
    """`pages`: the options of each report's page (None: no pages)."""
    from auditor.batch.tasks import BatchContext, audit_task, failed_task, warm_up

    context = BatchContext(rules=rules, decisions=decisions, pages=bool(pages), page_options=pages or {})
    if isinstance(engine, LocalEngine):
        progress.status(LOADING)
        warm_up(rules, classifier=True, pages=bool(pages))  # before the fork: workers start warm
    progress.stage("审核", len(todo))
    items = _items_with_bytes(todo, real, engine, [pages_of[p] for p in todo])
    with closing(engine.map(audit_task, context, items, on_error=failed_task,
                            ahead=lambda item: read_ahead([item[0]]))) as outcomes:
        for outcome in outcomes:
            save(outcome)
            progress.step()


LOADING = "加载模型：spaCy、jieba 词典、分类模型"


def corpus_key(names: list[str], hashes: dict[str, str]) -> str:
    """Which reports (and which bytes of them) a corpus index holds."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(f"{name}\0{hashes[name]}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _same_corpus(store, paths, hashes, reused_keys) -> bool:
    """Whether every kept ok result was checked against one index, which held exactly the
    batch's reports with their current bytes, apart from ones whose stored result is a failure."""
    keys = set(reused_keys.values())
    if len(keys) != 1 or None in keys:
        return not reused_keys  # nothing checked: nothing to compare
    members = store.corpus_members(keys.pop())
    if members is None or any(members.get(p, hashes[p]) != hashes[p] for p in paths):
        return False
    # A member no longer in the batch (removed), or a report outside the index that is ok now.
    return set(members) <= set(paths) and set(reused_keys) <= set(members)


def _run_with_corpus(engine, paths, real, hashes, todo, reused_keys, pages_of, rules, decisions, pages, save,
                     progress, store, cache) -> int:
    """Parse the reports not in the parse cache, index them all, check `todo` and every reused
    result whose query plan the change of the corpus since it was checked moved (`reused_keys`:
    path → corpus key of the ok results kept); how many of the latter there were.

    This process never holds every parsed Document (at national scale they would not fit): the
    workers write each parse to the cache (cache.py), the index is built from the entries read
    back one at a time, and a check task reads its report and the previous-year one from the
    cache by reference (tasks.Cached). What grows with the corpus here is the index alone. On a
    Dask cluster, whose workers may not share this filesystem, this process writes the cache and
    sends each check task its Documents, a window of tasks at a time (engine.py)."""
    from auditor.batch.tasks import (BatchContext, Cached, CheckOutcome, ParseItem, failed_task, parse_task,
                                     recheck_task, warm_up)
    from auditor.similarity.index import CorpusIndex

    local = isinstance(engine, LocalEngine)
    shared_cache = (str(cache.directory), cache.key) if local else None
    sha = {p: (None if hashes[p] == "unreadable" else hashes[p]) for p in paths}
    # 1. every report parsed (and analysed for the index): in the cache already, else by a worker
    progress.status("读取解析缓存")
    to_parse = [p for p in paths if sha[p] is None or not cache.has(p, sha[p])]
    parsed = set(paths) - set(to_parse)
    errors = {}
    uncached = {}  # index entries the cache could not take (a full disk), until the index is built
    # Entries a local worker sent back with its outcome, until the index takes them (in discovery
    # order, so one parsed ahead of a slower one waits here): reading each back from the cache
    # cost this process ~0.7 ms a report, unpickling it ~0.1. At most HELD_ENTRIES wait; past
    # that an entry is read back from the cache after all, so memory stays bounded.
    held: dict = {}
    progress.stage("解析", len(to_parse), waiting="同时加载模型" if local else None)
    items = (ParseItem(*item) for item in _items_with_bytes(to_parse, real, engine, [sha[p] for p in to_parse]))
    # Locally, the index is built while the workers parse: each report is added in discovery
    # order (the same whatever finished first) as soon as it and every report before it are
    # parsed. This process is otherwise idle then; built after the parse, reading the entries
    # back and adding them was a stage of its own that one core ran while the workers waited.
    building = _InOrder(paths, parsed, errors, lambda p: _entry_of(p, real, sha, cache, uncached, held)) if local else None
    # While the workers parse, this process loads the models the check workers will inherit.
    with closing(engine.map(parse_task, BatchContext(rules=[], index_entries=True, cache=shared_cache), items,
                            on_error=failed_task,
                            meanwhile=lambda: warm_up(rules, classifier=False, pages=bool(pages)),
                            ahead=lambda item: read_ahead([item.path]))) as outcomes:
        for outcome in outcomes:
            if outcome.error is not None:
                errors[outcome.path] = outcome
            else:
                parsed.add(outcome.path)
                if not outcome.cached and not (outcome.doc is not None and sha[outcome.path] is not None and
                                               cache.put(outcome.path, sha[outcome.path], outcome.doc,
                                                         outcome.sentences, outcome.entry)):
                    uncached[outcome.path] = outcome.entry
                elif outcome.cached and outcome.entry is not None and building is not None \
                        and len(held) < HELD_ENTRIES:
                    held[outcome.path] = outcome.entry
            progress.step()
            if building is not None:
                _index_error(building.advance)
    # 2. one index of the whole batch, in discovery order (the same whatever finished first),
    # streamed from the cache
    progress.status("建立语料索引")
    names = [p for p in paths if p in parsed]
    entries = _Entries(names, lambda p: _entry_of(p, real, sha, cache, uncached, held))
    try:
        if names and isinstance(engine, DaskEngine):  # one shard per worker (batch/shards.py)
            from auditor.batch.shards import build_on_cluster

            index = build_on_cluster(engine.client, entries)
        elif building is not None:
            building.advance()
            index = building.builder.finish() if names else None
        else:
            index = CorpusIndex.from_entries(entries[k] for k in range(len(entries))) if names else None
    except OSError as exc:  # the build's temporary file (similarity/index.py _Spill): a full disk
        raise _index_failed(exc) from None
    del entries, uncached, held, building
    key = corpus_key(names, hashes)
    members = {p: hashes[p] for p in names}
    store.save_corpus(key, members)
    # 3. the kept results checked against another index: planned against this one, re-checked
    # where the plan moved (recheck_task); `todo` checked in any case
    for path in todo:
        if path in errors:
            failed = errors[path]
            save(CheckOutcome(path, pages_of[path], error=failed.error, failure=failed.failure))
    stale = {p for p, old_key in reused_keys.items() if old_key != key and p in members}
    plans = store.corpus_plans(sorted(stale)) if stale and index is not None else {}
    checked = [p for p in paths if (p in stale or p in todo) and p in members]
    context = BatchContext(rules=rules, decisions=decisions, corpus=index, pages=bool(pages),
                           page_options=pages or {}, cache=shared_cache)
    records = {r.path: r for r in index.reports} if index is not None else {}

    def source(path: str) -> Cached:
        return Cached(path, hashes[path], real[path])

    last_of = {p: _last_year(p, index, records) for p in checked}

    def previous(path: str) -> Cached | None:
        last = last_of[path]
        return source(last) if last is not None else None

    # A report and its previous years are checked by one worker where it can (pool.py affinity):
    # each check reads the year before, which that worker has read and analysed already.
    first_year: dict[str, str] = {}
    for p in checked:
        chain = [p]
        while last_of.get(chain[-1]) is not None and chain[-1] not in first_year and len(chain) <= len(checked):
            chain.append(last_of[chain[-1]])
        root = first_year.get(chain[-1], chain[-1])
        first_year.update((q, root) for q in chain)
    group_of = {real[p]: first_year[p] for p in checked}

    items = ((real[p], pages_of[p], source(p), previous(p), plans.get(p)) for p in checked)
    if not local:  # Dask workers may not see this filesystem: they get the Documents
        items = ((path, page, _sent(doc, cache, engine), _sent(prev, cache, engine) if prev else None, plan)
                 for path, page, doc, prev, plan in items)

    def entries_of(item) -> list:  # the parse-cache entries the check of `item` reads (recheck_task)
        return [cache.file_of(ref.name, ref.sha256) for ref in item[2:4] if isinstance(ref, Cached)]

    progress.stage("审核", len(checked))
    again = kept = 0
    confirmed: list[str] = []
    with closing(engine.map(recheck_task, context, items, on_error=failed_task,
                            affinity=lambda item: group_of.get(item[0]),
                            ahead=lambda item: read_ahead(entries_of(item)))) as outcomes:
        for outcome in outcomes:
            if outcome.kept:
                confirmed.append(outcome.path)
                kept += 1
                if len(confirmed) >= 500:  # one transaction per few hundred, not per report
                    store.set_corpus_key(confirmed, key)
                    confirmed = []
            else:
                save(outcome, key)
                again += outcome.path in stale
            progress.step()
    store.set_corpus_key(confirmed, key)
    if stale:
        progress.note(f"语料有变：{len(stale)} 份已审核的报告重新比对，其中 {again} 份的比对对象改变，重新审核，"
                      f"{kept} 份不变，沿用")
    # Every result now refers to this index: older ones and the cache of old versions can go.
    store.prune_corpora()
    cache.keep_only(set(members.items()))
    return again


def _last_year(path: str, index, records: dict) -> str | None:
    """The same body's report of the year before in the index (last_year), by the index's
    record of the report at `path`."""
    record = records.get(path)
    if record is None or record.year is None:
        return None
    for candidate in index.previous_paths(record.path, record.agency, record.year):
        if candidate in records and records[candidate].year == record.year - 1:
            return candidate
    return None


class _InOrder:
    """An index built while its reports are parsed: `advance` adds, in the order of `paths`, every
    report parsed (in `parsed`) up to the first one not done yet (neither parsed nor in `errors`),
    its entry read by `read`. The same index as IndexBuilder over the parsed reports in order."""

    def __init__(self, paths: list[str], parsed: set, errors: dict, read):
        from auditor.similarity.index import IndexBuilder

        self.builder = IndexBuilder()
        self.paths, self.parsed, self.errors, self.read = paths, parsed, errors, read
        self.next = 0

    def advance(self) -> None:
        while self.next < len(self.paths):
            path = self.paths[self.next]
            if path in self.parsed:
                self.builder.add(self.read(path))
            elif path not in self.errors:
                return  # not parsed yet
            self.next += 1


def _index_error(step) -> None:
    """`step` of the index build; its temporary file on a full disk is the batch's error."""
    try:
        step()
    except OSError as exc:  # similarity/index.py _Spill
        raise _index_failed(exc) from None


def _index_failed(exc: OSError) -> BatchOutputError:
    return BatchOutputError(f"无法建立语料索引（临时文件 {legible(tempfile.gettempdir())}）：{write_error_cause(exc)}；"
                            "已保存的结果保留，腾出空间后重新运行即可继续")


class _Entries:
    """The index entries of `names`, in order, each read when asked for (from the parse cache):
    what building the index needs (len, items and slices), without holding them all."""

    def __init__(self, names: list[str], read):
        self.names = names
        self.read = read

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self.read(name) for name in self.names[k]]
        return self.read(self.names[k])


def _entry_of(path: str, real: dict, sha: dict, cache, uncached: dict, held: dict):
    """The index entry of a parsed report: held (not cached, or sent back by its worker), or from
    the cache; an entry damaged since the cache was looked at is parsed again here."""
    from auditor.batch.tasks import BatchContext, ParseItem, parse_task

    entry = uncached.pop(path, None)
    if entry is None:
        entry = held.pop(path, None)
    if entry is None and sha[path] is not None:
        entry = cache.entry(path, sha[path])
    if entry is None:
        outcome = parse_task(BatchContext(rules=[], index_entries=True), ParseItem(real[path]))
        if outcome.error is not None:
            raise BatchOutputError(f"{outcome.error}；它的解析缓存已损坏，重新运行即可")
        entry = outcome.entry
    return entry


def _sent(source, cache, engine):
    """A Cached report as a Dask worker gets it: its Document and sentences from this process's
    cache, or the file's bytes to parse again when the entry is gone."""
    hit = cache.document(source.name, source.sha256)
    if hit is not None:
        return hit
    data = next(_items_with_bytes([source.name], {source.name: source.path}, engine))[1]
    return dataclasses.replace(source, data=data)


def write_outputs(store, paths: list[str], out: Path, directory: str, run_id: int,
                  copy_rules: list[str], baseline_path: str | None = None) -> tuple[dict, list[dict]]:
    """reports.csv and index.html from what the database holds for `paths`; and those rows."""
    from auditor.batch.index_html import write_index

    rows = store.rows(paths)
    for row in rows:  # the link to the report's page, when it has one (not with --no-pages)
        page = f"reports/{int(row['page'])}.html" if row["page"] is not None else None
        row["href"] = page if row["status"] == "ok" and page and (out / page).is_file() else None
    baseline = []
    if baseline_path:
        # Already validated by load_baseline; the index exports these again with the reviewer's
        # new decisions, so nothing dismissed before comes back.
        baseline = json.loads(Path(baseline_path).read_text(encoding="utf-8"))["decisions"]
    try:
        outputs = {"csv": str(write_csv(rows, out / "reports.csv")),
                   "index": str(write_index(rows, out / "index.html", directory, run_id,
                                            rules=store.rule_counts(paths), copies=store.copies(paths, copy_rules),
                                            store_key=decision_store_key(out), baseline=baseline))}
    except OSError as exc:
        raise BatchOutputError(f"无法写入索引或 CSV（{legible(str(out))}）：{write_error_cause(exc)}；"
                               "数据库中的结果完整，排除后重新运行即可写出") from None
    return outputs, rows


# reports.csv is for people (it opens in Excel): Chinese headers, Chinese status. Scripts should
# read auditor.db, whose columns are documented in store.py and the README.
CSV_FIELDS = (["报告", "审核页", "机关", "年度", "格式", "得分", "可评估比例", "状态", "原因", "发现数"]
              + [f"{CATEGORY_LABELS[c]}类" for c in CATEGORIES] + [SEVERITY_LABELS[s] for s in SEVERITIES])
CSV_STATUS = {"ok": "已审核", "error": "无法读取或审核", "infrastructure": "未能完成（工作进程或集群故障，重新运行会重试）"}


def write_csv(rows: list[dict], path: Path) -> Path:
    """One row per report; 审核页 is the report's page relative to the CSV (reports/<n>.html).
    Written whole or not at all."""
    with atomic_open(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for row in rows:
            # Every cell goes through csv_cell: text from a report (a path, a body's name, a
            # cause) must never run as a formula in a spreadsheet; numbers stay numbers.
            writer.writerow(csv_row([row["path"], row.get("href"), row["agency"], row["year"],
                                     row["template"], row["score"], row.get("assessed"),
                                     CSV_STATUS.get(row["status"], row["status"]), row["error"],
                                     sum(row["severities"].values())]
                                    + [row["categories"].get(c, 0) for c in CATEGORIES]
                                    + [row["severities"].get(s, 0) for s in SEVERITIES]))
    return path
