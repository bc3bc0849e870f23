"""Faults a batch must survive without losing a result (issue 13): file names that are not UTF-8,
a report over its time or memory budget, a lost worker, two batches on one database, a full disk,
a database deleted under the run, a FIFO among the reports, a lost Dask worker.

Fast versions; bench/fault_injection.py injects them into real batches over the real corpus.
Tests that run a batch in this process fork its workers from it, so a function monkeypatched
here (a parse that hangs on one file) is what the workers run.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.batch.budget import Budgets, TaskFailure

ROOT = Path(__file__).resolve().parents[1]
GBK_NAME = "青溪县2023年报告.txt".encode("gbk")  # as a zip made on Chinese Windows names it

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork, RLIMIT_AS and /proc: Linux")


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _in_process(*args: str):
    """`auditor batch …` in this process (its workers forked from it, monkeypatches included)."""
    from auditor.cli import app

    return CliRunner().invoke(app, ["batch", *args])


@pytest.fixture
def here(tmp_path):
    """Work in tmp_path (restored after; not monkeypatch.chdir, which monkeypatch.undo() undoes)."""
    before = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


def _corpus(tmp: Path, *names: str) -> Path:
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name in names or ("qingxi-county-2023.txt", "qingxi-county-2024.html", "baisha-town-2022.txt"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


def _rows(db: Path) -> dict:
    """path → (status, error, over_budget, score, sorted (rule, fingerprint) of its findings)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        findings: dict = {}
        for path, rule, fingerprint in conn.execute("SELECT path, rule, fingerprint FROM findings"):
            findings.setdefault(path, []).append((rule, fingerprint))
        return {path: (status, error, over, score, sorted(findings.pop(path, [])))
                for path, status, error, over, score in
                conn.execute("SELECT path, status, error, over_budget, score FROM documents")}
    finally:
        conn.close()


# --------------------------------------------------------------------------- 1. file names


def test_a_gbk_file_name_is_audited_stored_escaped_and_named_legibly(tmp_path):
    corpus = _corpus(tmp_path, "qingxi-county-2024.html")
    good = os.path.join(os.fsencode(corpus), GBK_NAME)
    with open(good, "wb") as handle:
        handle.write((ROOT / "corpus" / "qingxi-county-2023.txt").read_bytes())
    with open(os.path.join(os.fsencode(corpus), "坏".encode("gbk") + b".pdf"), "wb") as handle:
        handle.write(b"not a pdf")
    done = _cli(tmp_path, "batch", "corpus", "--out", "out", "-j", "2")
    assert done.returncode == 2, done.stderr  # the broken one; nothing aborted
    assert "Traceback" not in done.stderr and "\\udc" not in done.stderr
    # named legibly: the exact bytes, and what they say read as GBK
    assert "按 GBK 读作 corpus/坏.pdf" in done.stderr and "corpus/\\xbb\\xb5.pdf" in done.stderr
    rows = _rows(tmp_path / "out" / "auditor.db")
    name = "corpus/" + os.fsdecode(GBK_NAME).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    assert rows[name][0] == "ok" and rows[name][3] > 0
    assert rows["corpus/\\xbb\\xb5.pdf"][0] == "error"
    # the CSV names it as the database does, and its page is written
    with open(tmp_path / "out" / "reports.csv", encoding="utf-8-sig", newline="") as handle:
        by_path = {row["报告"]: row for row in csv.DictReader(handle)}
    assert by_path[name]["状态"] == "已审核" and (tmp_path / "out" / by_path[name]["审核页"]).is_file()
    assert name in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    # the name is the resume key: a rerun reuses everything
    again = _cli(tmp_path, "batch", "corpus", "--out", "out", "-j", "2")
    assert "新审核 0 份" in again.stderr, again.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "html", "text"])
def test_audit_output_of_a_report_with_a_gbk_name(tmp_path, here, fmt):
    target = os.path.join(os.fsencode(tmp_path), GBK_NAME)
    with open(target, "wb") as handle:
        handle.write((ROOT / "corpus" / "qingxi-county-2023.txt").read_bytes())
    from auditor.cli import app

    out = tmp_path / f"out.{fmt}"
    done = CliRunner().invoke(app, ["audit", os.fsdecode(GBK_NAME), "-f", fmt, "-o", str(out), "--fail-on", "never"])
    assert done.exit_code == 0, done.output
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    shown = os.fsdecode(GBK_NAME).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if fmt == "json":
        assert json.loads(text)["document"]["path"] == shown
    elif fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(text)["runs"][0]["results"]}
        assert uris == {"%C7%E0%CF%AA%CF%D82023%C4%EA%B1%A8%B8%E6.txt"}  # the file's own bytes
    else:
        assert shown in text


def test_a_baseline_of_a_report_with_a_gbk_name_is_written_and_hides_its_findings(tmp_path, here):
    from auditor.cli import app

    with open(GBK_NAME, "wb") as handle:
        handle.write((ROOT / "corpus" / "qingxi-county-2023.txt").read_bytes())
    name = os.fsdecode(GBK_NAME)
    written = CliRunner().invoke(app, ["audit", name, "--write-baseline", "base.json", "-o", "a.json", "-f", "json"])
    assert written.exit_code in (0, 1), written.output
    decisions = json.loads(Path("base.json").read_text(encoding="utf-8"))["decisions"]
    assert decisions and {d["path"] for d in decisions} == {"\\xc7\\xe0Ϫ\\xcf\\xd82023\\xc4걨\\xb8\\xe6.txt"}
    again = CliRunner().invoke(app, ["audit", name, "--baseline", "base.json", "-o", "b.json", "-f", "json"])
    assert again.exit_code == 0 and f"基线隐藏了 {len(decisions)} 条" in again.output
    assert json.loads(Path("b.json").read_text(encoding="utf-8"))["findings"] == []


def test_unreadable_file_with_a_gbk_name_is_one_legible_line(tmp_path):
    (tmp_path / "x").mkdir()
    with open(os.path.join(os.fsencode(tmp_path / "x"), GBK_NAME), "wb"):
        pass  # empty
    done = _cli(tmp_path, "audit", "x/" + os.fsdecode(GBK_NAME))
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("错误：无法读取文件 x/\\xc7\\xe0") and "按 GBK 读作 x/青溪县2023年报告.txt" in line
    assert line.endswith("文件是空的")


# --------------------------------------------------------------------------- 2. budgets (the pool)


def _task(context, item):
    """A worker task for the pool tests: `item` says what it does."""
    if item == "hang":
        time.sleep(3600)
    if item == "big":
        return len(bytearray(1 << 30))  # over a 64 MB budget: MemoryError
    if item == "raise":
        raise ValueError("a bug")
    if item.startswith("die"):  # "die-once:<marker>" dies the first time only, "die" always
        marker = item.partition(":")[2]
        if not marker or not os.path.exists(marker):
            if marker:
                Path(marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return f"ok {item}"


def _failed(item, failure: TaskFailure):
    return f"{failure.kind} {item}"


def test_pool_stops_a_task_over_its_time_and_goes_on(tmp_path):
    from auditor.batch.pool import Pool

    pool = Pool(2, Budgets(seconds=1, memory=1 << 30))
    outcomes = list(pool.map(_task, None, ["a", "hang", "b", "c", "d"], _failed))
    assert sorted(outcomes) == ["ok a", "ok b", "ok c", "ok d", "time hang"]
    # as they complete: the hung report does not hold back the ones after it
    assert outcomes[-1] == "time hang"


def test_pool_records_a_task_over_its_memory_and_the_worker_goes_on(tmp_path):
    from auditor.batch.pool import Pool

    pool = Pool(1, Budgets(seconds=60, memory=64 << 20))
    assert list(pool.map(_task, None, ["a", "big", "b"], _failed)) == ["ok a", "memory big", "ok b"]


def test_pool_records_a_task_that_raises_as_that_reports_error_not_a_lost_worker():
    from auditor.batch.pool import Pool

    failures = []
    pool = Pool(1, Budgets(seconds=60, memory=1 << 30))
    outcomes = list(pool.map(_task, None, ["raise", "a"], lambda item, f: failures.append(f) or f"{f.kind} {item}"))
    assert outcomes == ["error raise", "ok a"]
    assert failures[0].cause == "处理失败（ValueError: a bug）"


def test_pool_retries_a_lost_worker_then_records_infrastructure(tmp_path):
    from auditor.batch.pool import Pool

    pool = Pool(2, Budgets(seconds=60, memory=1 << 30))
    once = f"die-once:{tmp_path / 'marker'}"
    outcomes = list(pool.map(_task, None, ["a", once, "die", "b"], _failed))
    assert sorted(outcomes) == sorted(["ok a", f"ok {once}", "infrastructure die", "ok b"])


def _started_task(context, item):
    """When the task began (CLOCK_MONOTONIC is one clock for every process of the machine)."""
    return item, time.monotonic()


def test_pool_starts_a_workers_next_job_before_the_caller_handles_its_outcome():
    """The caller saves each outcome (the database, the page, the index) while the pool runs on:
    a worker that gave an outcome does not wait for that before it gets its next job."""
    from auditor.batch.pool import Pool

    pool = Pool(1, Budgets(seconds=60, memory=1 << 30))
    handled = {}
    started = {}
    for item, at in pool.map(_started_task, None, ["a", "b"], _failed):
        started[item] = at
        time.sleep(0.5)  # the caller's handling of the outcome
        handled[item] = time.monotonic()
    assert started["b"] < handled["a"]


def test_pool_reads_each_jobs_files_ahead_once_before_a_worker_takes_it():
    from auditor.batch.pool import READ_AHEAD, Pool

    items = [f"r{k}" for k in range(READ_AHEAD * 3)]
    announced, taken = [], []
    pool = Pool(2, Budgets(seconds=60, memory=1 << 30))
    # `ahead` runs in this process: every announcement precedes the outcome of its item
    outcomes = pool.map(_task, None, items, _failed, ahead=lambda item: announced.append((item, len(taken))))
    for outcome in outcomes:
        taken.append(outcome.removeprefix("ok "))
    assert [item for item, _ in announced] == items
    assert all(item not in taken[:seen] for item, seen in announced)


def test_read_ahead_takes_only_regular_files_and_never_waits(tmp_path):
    from auditor.batch.readahead import read_ahead

    report = tmp_path / "a.txt"
    report.write_text("报告", encoding="utf-8")
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)  # opened for reading without a writer, a plain open would wait for ever
    read_ahead([report, fifo, tmp_path / "missing.txt", tmp_path])
    assert report.read_text(encoding="utf-8") == "报告"


def test_ctrl_c_while_a_worker_is_forked_is_not_lost():
    """A Ctrl-C landing in fork's own handlers was printed as ignored and the batch ran on."""
    from auditor.batch.pool import _interrupt_after

    # Ctrl-C as a terminal delivers it, whatever this run inherited (a job started in the
    # background by a non-interactive shell ignores SIGINT, and then so does Python)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with _interrupt_after():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.1)  # the handler has run: the interrupt is held, not raised here
                held = True
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert held


def test_budget_failure_messages_are_chinese_and_name_the_flag():
    from auditor.batch import budget

    assert "120 秒" in budget.over_time(120).cause and "--time-budget" in budget.over_time(120).cause
    assert "2GB" in budget.over_memory(2 << 30).cause
    assert budget.parse_size("512MB") == 512 << 20 and budget.parse_size(2048) == 2 << 30
    assert budget.parse_size("lots") is None and budget.parse_size("0") is None


# --------------------------------------------------------------------------- 2. budgets (a batch)


def _hang_on(monkeypatch, name: str, how: str = "hang"):
    """Parsing `name` hangs (or kills its worker) — in this process and the workers it forks."""
    from auditor.batch import tasks

    real = tasks._parse

    def parse(path, data):
        if Path(path).name == name:
            if how == "hang":
                time.sleep(3600)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, data)

    monkeypatch.setattr(tasks, "_parse", parse)


def test_a_report_over_its_time_is_its_error_and_the_batch_saves_the_rest(tmp_path, here, monkeypatch):
    _corpus(tmp_path)
    _hang_on(monkeypatch, "baisha-town-2022.txt")
    # --no-corpus: the workers are forked warm, so 5 s is far more than a sample report needs
    # (with corpus checks a parse worker loads jieba on its first report).
    run = ("corpus", "--out", "out", "-j", "2", "--no-corpus")
    done = _in_process(*run, "--time-budget", "5")
    assert done.exit_code == 2, done.output
    assert "corpus/baisha-town-2022.txt：处理超过时间预算（5 秒）" in done.output
    rows = _rows(tmp_path / "out" / "auditor.db")
    status, _, over_budget, _, _ = rows["corpus/baisha-town-2022.txt"]
    assert (status, over_budget) == ("error", "time")
    assert [rows[p][0] for p in ("corpus/qingxi-county-2023.txt", "corpus/qingxi-county-2024.html")] == ["ok", "ok"]

    # a rerun under the same budget does not spend it again; a larger budget tries again
    again = _in_process(*run, "--time-budget", "5")
    assert "新审核 0 份" in again.output and "无法读取或审核 1 份" in again.output
    monkeypatch.undo()
    larger = _in_process(*run, "--time-budget", "60")
    assert larger.exit_code == 0 and "新审核 1 份" in larger.output, larger.output
    assert _rows(tmp_path / "out" / "auditor.db")["corpus/baisha-town-2022.txt"][0] == "ok"


def test_a_report_whose_worker_is_always_lost_is_infrastructure_and_retried(tmp_path, here, monkeypatch):
    _corpus(tmp_path)
    _hang_on(monkeypatch, "qingxi-county-2024.html", how="kill")
    done = _in_process("corpus", "--out", "out", "-j", "2", "--no-corpus")
    assert done.exit_code == 2, done.output
    assert "未能完成 1 份" in done.output and "重新运行会重试" in done.output
    rows = _rows(tmp_path / "out" / "auditor.db")
    assert rows["corpus/qingxi-county-2024.html"][0] == "infrastructure"
    assert "SIGKILL" in rows["corpus/qingxi-county-2024.html"][1]
    monkeypatch.undo()
    again = _in_process("corpus", "--out", "out", "-j", "2", "--no-corpus")
    assert again.exit_code == 0 and "新审核 1 份" in again.output, again.output
    assert _rows(tmp_path / "out" / "auditor.db")["corpus/qingxi-county-2024.html"][0] == "ok"


def test_with_corpus_checks_a_retried_report_rechecks_the_others_as_a_clean_run(tmp_path, here, monkeypatch):
    """Checked while qingxi-county-2023 was lost, qingxi-county-2024 had no previous year to
    compare with; once it is retried, the others are checked again against the full corpus."""
    _corpus(tmp_path)
    reference = _clean_results(tmp_path)
    _hang_on(monkeypatch, "qingxi-county-2023.txt", how="kill")
    done = _in_process("corpus", "--out", "out", "-j", "2")
    assert done.exit_code == 2, done.output
    partial = _rows(tmp_path / "out" / "auditor.db")
    assert partial["corpus/qingxi-county-2023.txt"][0] == "infrastructure"
    assert partial["corpus/qingxi-county-2024.html"] != reference["corpus/qingxi-county-2024.html"]
    monkeypatch.undo()
    again = _in_process("corpus", "--out", "out", "-j", "2")
    assert again.exit_code == 0, again.output
    # Both kept results compare with it now: its body's next year (continuity, earlier passages)
    # and baisha-town-2022, which shares passages with it.
    assert "2 份已审核的报告重新比对，其中 2 份的比对对象改变" in again.output, again.output
    assert _rows(tmp_path / "out" / "auditor.db") == reference


def test_a_fifo_among_the_reports_does_not_hang_the_batch(tmp_path):
    _corpus(tmp_path, "qingxi-county-2023.txt")
    os.mkfifo(tmp_path / "corpus" / "pipe.txt")  # nothing ever writes to it
    # Refused for what it is, before anything opens it — not stopped by a time budget (a short budget
    # here made the test fail whenever the machine was busy enough to slow the real report too).
    done = _cli(tmp_path, "batch", "corpus", "--out", "out", "-j", "2")
    assert done.returncode == 2, done.stderr
    assert "命名管道（FIFO），不是普通文件" in done.stderr
    rows = _rows(tmp_path / "out" / "auditor.db")
    assert rows["corpus/pipe.txt"][0] == "error" and rows["corpus/qingxi-county-2023.txt"][0] == "ok"


def test_budgets_are_settings(tmp_path):
    from auditor.config import load_config

    (tmp_path / "auditor.toml").write_text('time_budget = 30\nmemory_budget = "1.5GB"\n', encoding="utf-8")
    settings = load_config(start=tmp_path)
    assert (settings.time_budget, settings.memory_budget) == (30.0, 3 << 29)
    assert 'memory_budget = "1.5GB"' in settings.to_toml()
    (tmp_path / "auditor.toml").write_text('memory_budget = "lots"\n', encoding="utf-8")
    from auditor.config import ConfigError

    with pytest.raises(ConfigError, match="memory_budget 应为内存大小"):
        load_config(start=tmp_path)
    bad = _cli(tmp_path, "batch", ".", "--time-budget", "-1")
    assert bad.returncode == 2 and "--time-budget 的值“-1”无效：应为正数" in bad.stderr


# --------------------------------------------------------------------------- 3. one database, two batches


def test_a_second_batch_on_a_database_in_use_stops_at_once(tmp_path):
    from auditor.batch.lock import RunLock

    _corpus(tmp_path)
    first = _cli(tmp_path, "batch", "corpus", "--out", "out", "-j", "2")
    assert first.returncode == 0, first.stderr
    before = _rows(tmp_path / "out" / "auditor.db")
    held = RunLock(str(tmp_path / "out" / "auditor.db"))  # as a running batch holds it
    try:
        other = tmp_path / "other"
        other.mkdir()
        shutil.copy(ROOT / "corpus" / "baisha-town-2022.txt", other / "b.txt")
        second = _cli(tmp_path, "batch", "other", "--db", "out/auditor.db", "--out", "out2")
    finally:
        held.release()
    assert second.returncode == 2
    assert second.stderr.strip().splitlines()[-1] == (
        f"错误：数据库正被另一个批量审核使用：out/auditor.db（进程 {os.getpid()}）；"
        "等它结束后再运行，或用 --db 指定另一个数据库")
    assert _rows(tmp_path / "out" / "auditor.db") == before


def test_batches_of_two_directories_on_one_database_keep_each_others_rows(tmp_path):
    _corpus(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(ROOT / "corpus" / "qingxi-county-2023.txt", other / "copy.txt")
    assert _cli(tmp_path, "batch", "corpus", "--db", "one.db", "--out", "a", "-j", "2").returncode == 0
    assert _cli(tmp_path, "batch", "other", "--db", "one.db", "--out", "b", "-j", "2").returncode == 0
    rows = _rows(tmp_path / "one.db")
    assert set(rows) == {"corpus/qingxi-county-2023.txt", "corpus/qingxi-county-2024.html",
                         "corpus/baisha-town-2022.txt", "other/copy.txt"}


def test_a_page_number_held_by_another_report_is_never_taken_over(tmp_path):
    from auditor.batch.store import Store, StoreError
    from auditor.batch.tasks import CheckOutcome

    store = Store(str(tmp_path / "x.db"))
    try:
        run = store.start_run("d", 1, "k")
        store.save_outcome(CheckOutcome("a.txt", 1, error="坏"), "h", run)
        with pytest.raises(StoreError):  # INSERT OR REPLACE deleted a.txt's row here
            store.save_outcome(CheckOutcome("b.txt", 1, error="坏"), "h", run)
        assert [r["path"] for r in store.rows(["a.txt", "b.txt"])] == ["a.txt"]
    finally:
        store.close()


# --------------------------------------------------------------------------- 4. full disk


def _clean_results(tmp_path: Path) -> dict:
    clean = _cli(tmp_path, "batch", "corpus", "--out", "clean", "-j", "2")
    assert clean.returncode == 0, clean.stderr
    return _rows(tmp_path / "clean" / "auditor.db")


def _assert_stopped_cleanly(done, expected_line: str, out: Path) -> None:
    assert done.exit_code == 2, done.output
    errors = [line for line in done.output.splitlines() if line.startswith("错误：")]
    assert errors == [expected_line], done.output
    assert "Traceback" not in done.output and "rollback" not in done.output
    assert not list(out.rglob("*.tmp"))


def test_a_full_disk_for_the_pages_is_one_line_and_a_rerun_completes(tmp_path, here, monkeypatch):
    _corpus(tmp_path)
    reference = _clean_results(tmp_path)
    from auditor import atomic

    real_open, written = open, []

    def filling(path, *args, **kwargs):  # the second page finds the disk full, halfway through
        handle = real_open(path, *args, **kwargs)
        if str(path).endswith(".html.tmp"):
            written.append(path)
            if len(written) == 2:
                handle.write("<!DOCTYPE html><html>half a page")
                handle.close()
                raise OSError(errno.ENOSPC, "No space left on device")
        return handle

    monkeypatch.setattr(atomic, "open", filling, raising=False)
    done = _in_process("corpus", "--out", "out", "-j", "2")
    page = Path(written[1]).name[:-len(".tmp")]
    _assert_stopped_cleanly(done, f"错误：无法写入审核页 out/reports/{page}：磁盘空间不足；"
                                  "已保存的结果保留，排除后重新运行即可继续", tmp_path / "out")
    _one_saved_then_a_rerun_completes(tmp_path, reference, monkeypatch)


def _one_saved_then_a_rerun_completes(tmp_path, reference, monkeypatch) -> None:
    """What was saved before the disk filled is a clean run's; with the fault gone, a rerun ends
    equal to a clean run."""
    saved = _rows(tmp_path / "out" / "auditor.db")
    assert len(saved) == 1 and all(reference[p] == r for p, r in saved.items())
    monkeypatch.undo()
    again = _in_process("corpus", "--out", "out", "-j", "2")
    assert again.exit_code == 0, again.output
    assert _rows(tmp_path / "out" / "auditor.db") == reference


class _FullDisk:
    """A sqlite3 connection whose disk fills up at the `at`-th document: the statement fails
    and SQLite rolls the transaction back itself, as it may on SQLITE_FULL — while the
    connection still says a transaction is open, so that a ROLLBACK fails ("cannot rollback -
    no transaction is active", which hid the full disk)."""

    def __init__(self, conn, at: int):
        self._conn, self._at, self._documents, self._full = conn, at, 0, False

    @property
    def in_transaction(self):
        return self._full or self._conn.in_transaction

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._conn, name, value)

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO documents"):
            self._documents += 1
            if self._documents >= self._at:
                self._conn.execute("ROLLBACK")
                self._full = True
                raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)


def test_a_full_disk_for_the_database_is_one_line_and_a_rerun_completes(tmp_path, here, monkeypatch):
    _corpus(tmp_path)
    reference = _clean_results(tmp_path)
    from auditor.batch import store

    real_connect = sqlite3.connect
    monkeypatch.setattr(store.sqlite3, "connect", lambda *a, **k: _FullDisk(real_connect(*a, **k), at=2))
    done = _in_process("corpus", "--out", "out", "-j", "2")
    _assert_stopped_cleanly(done, "错误：无法写入数据库 out/auditor.db：磁盘空间不足；"
                                  "已保存的结果保留，排除后重新运行即可继续", tmp_path / "out")
    _one_saved_then_a_rerun_completes(tmp_path, reference, monkeypatch)


def test_a_database_deleted_under_the_run_stops_it(tmp_path):
    from auditor.batch.store import Store, StoreError
    from auditor.batch.tasks import CheckOutcome

    db = tmp_path / "x.db"
    store = Store(str(db))
    try:
        run = store.start_run("d", 1, "k")
        store.save_outcome(CheckOutcome("a.txt", 1, error="坏"), "h", run)
        db.unlink()
        with pytest.raises(StoreError, match="在运行中被删除或替换"):
            store.save_outcome(CheckOutcome("b.txt", 2, error="坏"), "h", run)
    finally:
        store.close()


# --------------------------------------------------------------------------- 5. Dask


class _Future:
    def __init__(self, key, status, value):
        self.key, self.status, self._value = key, status, value

    def done(self):
        return True

    def result(self):
        return self._value

    def exception(self):
        return self._value


class _FlakyCluster:
    """A Dask client whose workers are lost under some tasks: `lose[item]` times, then they run;
    under `orphan`, every worker holding the scattered context is lost too, once."""

    status = "running"

    def __init__(self, lose: dict, orphan: str | None = None):
        self.lose, self.orphan = dict(lose), orphan
        self.submitted: list = []
        self.scattered: list = []

    def nthreads(self):
        return {"tcp://w1": 1}

    def scatter(self, values, **kwargs):
        self.scattered.append(_Future("context", "finished", values[0]))
        return self.scattered[-1:]

    def submit(self, function, task, shared, item, limits, pure):
        from distributed import KilledWorker

        self.submitted.append(item)
        if item == self.orphan:
            self.orphan = None
            shared.status = "cancelled"  # scattered data cannot be recomputed
            return _Future(len(self.submitted), "cancelled", None)
        if self.lose.get(item, 0) > 0:
            self.lose[item] -= 1
            return _Future(len(self.submitted), "error", KilledWorker(item, "tcp://w1", 3))
        return _Future(len(self.submitted), "finished", task(shared.result(), item))

    def cancel(self, futures):
        pass

    def close(self):
        pass


def test_dask_retries_a_lost_worker_and_never_calls_it_the_reports_error():
    pytest.importorskip("distributed")
    from auditor.batch.engine import DaskEngine

    cluster = _FlakyCluster({"flaky": 2, "doomed": 99})
    engine = DaskEngine("tcp://test", client=cluster)
    outcomes = list(engine.map(lambda shared, item: f"ok {item}", None, ["a", "flaky", "doomed", "b"], _failed))
    assert sorted(outcomes) == ["infrastructure doomed", "ok a", "ok b", "ok flaky"]
    assert cluster.submitted.count("flaky") == 3 and cluster.submitted.count("doomed") == 3


def test_dask_sends_the_context_again_when_every_worker_holding_it_was_lost():
    pytest.importorskip("distributed")
    from auditor.batch.engine import DaskEngine

    cluster = _FlakyCluster({}, orphan="b")
    engine = DaskEngine("tcp://test", client=cluster)
    outcomes = list(engine.map(lambda shared, item: f"ok {item}", None, ["a", "b", "c"], _failed))
    assert sorted(outcomes) == ["ok a", "ok b", "ok c"] and len(cluster.scattered) == 2


class _StuckCluster(_FlakyCluster):
    """A task that never finishes: stuck in one C call, where Watch cannot stop it."""

    def __init__(self):
        super().__init__({})
        self.restarted: list = []

    def submit(self, function, task, shared, item, limits, pure):
        if item == "stuck":
            self.submitted.append(item)
            return type("Pending", (_Future,), {"done": lambda self: False, "cancel": lambda self: None})(
                "stuck-key", "pending", None)
        return super().submit(function, task, shared, item, limits, pure)

    def run(self, function):
        return {"tcp://w1": {"stuck-key": 3600.0}}

    def restart_workers(self, workers, raise_for_error=True):
        self.restarted += workers


def test_dask_gives_up_on_a_task_stuck_past_its_budget_and_restarts_its_worker():
    pytest.importorskip("distributed")
    from auditor.batch.engine import DaskEngine

    cluster = _StuckCluster()
    engine = DaskEngine("tcp://test", budgets=Budgets(seconds=0.1), client=cluster)
    engine.PROBE = engine.GRACE = 0
    outcomes = list(engine.map(lambda shared, item: f"ok {item}", None, ["a", "stuck", "b"], _failed))
    assert sorted(outcomes) == ["ok a", "ok b", "time stuck"] and cluster.restarted == ["tcp://w1"]


def test_watch_stops_a_dask_task_over_its_time_or_memory():
    from auditor.batch.budget import Watch
    from auditor.batch.engine import _watched

    def spin(context, item):
        while True:
            pass

    def grow(context, item):
        hoard = []
        while True:
            hoard.append(bytearray(8 << 20))

    class Worker:  # what distributed.get_worker() gives a task
        address = "tcp://w"

        def get_current_task(self):
            return "key"

    import distributed

    original = distributed.get_worker
    distributed.get_worker = Worker
    try:
        Watch.POLL = 0.05
        assert _watched(spin, None, "x", Budgets(seconds=0.5, memory=1 << 30)).kind == "time"
        assert _watched(grow, None, "x", Budgets(seconds=60, memory=64 << 20)).kind == "memory"
        assert _watched(lambda c, i: "fine", None, "x", Budgets(seconds=60, memory=1 << 30)) == "fine"
    finally:
        distributed.get_worker = original
        Watch.POLL = 0.25


def test_a_result_over_a_budget_is_reused_until_the_budget_is_raised(tmp_path):
    from auditor.batch.store import Store
    from auditor.batch.tasks import CheckOutcome

    store = Store(str(tmp_path / "x.db"))
    try:
        run = store.start_run("d", 1, "k", 10.0, 100)
        store.save_outcome(CheckOutcome("slow.txt", 1, error="超时", failure="time"), "h", run)
        store.save_outcome(CheckOutcome("big.txt", 2, error="超内存", failure="memory"), "h", run)
        store.save_outcome(CheckOutcome("lost.txt", 3, error="丢失", failure="infrastructure"), "h", run)
        store.save_outcome(CheckOutcome("bad.txt", 4, error="坏"), "h", run)

        def reused(time_budget, memory_budget):
            return sorted(path for path in ("slow.txt", "big.txt", "lost.txt", "bad.txt")
                          if store.reusable(path, "h", 1, "k", time_budget, memory_budget) is not None)

        assert reused(10.0, 100) == ["bad.txt", "big.txt", "slow.txt"]  # never the lost one
        assert reused(5.0, 50) == ["bad.txt", "big.txt", "slow.txt"]
        assert reused(20.0, 100) == ["bad.txt", "big.txt"]
        assert reused(10.0, 200) == ["bad.txt", "slow.txt"]
    finally:
        store.close()


def _pid_task(context, item):
    """Which worker ran `item`: a task that takes a moment, so that both workers are busy."""
    time.sleep(0.05)
    return item, os.getpid()


def test_pool_keeps_each_group_of_items_on_one_worker():
    """A body's years on one worker (pool.py affinity): each check reads the year before, which
    that worker has analysed already. Every item still runs once; handed out in turn, the same
    items alternate between the workers."""
    from auditor.batch.pool import Pool

    items = [f"{body}-{year}" for body in "abcdef" for year in range(4)]
    pool = Pool(2, Budgets(seconds=60, memory=1 << 30))
    outcomes = list(pool.map(_pid_task, None, items, _failed, affinity=lambda item: item.split("-")[0]))
    assert sorted(item for item, _ in outcomes) == sorted(items)
    workers = {}
    for item, pid in outcomes:
        workers.setdefault(item.split("-")[0], set()).add(pid)
    assert all(len(pids) == 1 for pids in workers.values()), workers
    assert len({pid for _, pid in outcomes}) == 2  # both worked
    # a group's items in their order on its worker
    for body in "abcdef":
        assert [item for item, _ in outcomes if item.startswith(body)] == [f"{body}-{y}" for y in range(4)]

    plain = list(pool.map(_pid_task, None, items, _failed))
    spread = {}
    for item, pid in plain:
        spread.setdefault(item.split("-")[0], set()).add(pid)
    assert any(len(pids) > 1 for pids in spread.values())
