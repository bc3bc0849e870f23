"""Fault injection into real batches: does `auditor batch` survive each fault with nothing lost?

Every fault runs against a fresh copy of ../shared/corpus/real/full plus hostile files (an empty
report, a PDF that is not one, a zip that is no Word document, a binary web page, a report whose
file name is GBK as a Windows zip leaves it), with `-j 2`, and is then judged against a clean run
of the same corpus:

- the database passes `PRAGMA integrity_check`, has no finding without its report;
- no `.tmp` file is left in the output directory;
- what the fault should do happened (one Chinese line and exit 2 where the run had to stop, the
  right status where a report had to be given up on, no traceback ever);
- after the fault, rerunning the same command (the fault removed) completes, and then every report
  has an ok/error row whose status, score and findings equal the clean run's.

Faults: a GBK file name; a FIFO and /dev/zero among the reports (the time and memory budgets);
a parse that hangs, one that allocates without end, a worker killed under one report every time
(injected into the batch process, whose workers fork from it); SIGKILL of a worker mid-run; Ctrl-C
of the batch mid-run; the database deleted mid-run; the database locked by another program for a
few seconds; a second batch on the same database; the disk full, simulated (a page write or an
SQLite write fails with ENOSPC / "database or disk is full") and, as root, real (the output
directory, or the database alone, on a small tmpfs); the output directory made read-only mid-run (as root: a read-only
bind mount, since root ignores permissions); a Dask worker killed mid-run, and one killed by a
report every time it is tried.

    python bench/fault_injection.py [--only NAME,...] [--keep DIR]

Internal: `python bench/fault_injection.py --inject KIND:FILE -- batch ARGS` runs `auditor batch`
with a fault installed in this process (its workers fork from it and inherit it).
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "real" / "full"
GBK_NAME = "青溪县2023年报告.txt".encode("gbk")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
sys.path.insert(0, str(ROOT))

from auditor.batch.store import saved_count  # noqa: E402


# --------------------------------------------------------------------------- the injected process


def _inject(spec: str) -> None:
    """Install a fault in this process before the batch starts: KIND:FILE, where KIND is hang
    (parsing FILE sleeps), hog (allocates without end), die (kills its worker), enospc-page
    (the 3rd page write finds the disk full), enospc-db (the 3rd document's SQLite write)."""
    kind, _, target = spec.partition(":")
    from auditor.batch import tasks

    real_parse = tasks._parse

    def parse(path, data):
        if Path(path).name == target:
            if kind == "hang":
                time.sleep(3600)
            if kind == "hog":
                hoard = []
                while True:
                    hoard.append(bytearray(16 << 20))
            if kind == "die":
                os.kill(os.getpid(), signal.SIGKILL)
        return real_parse(path, data)

    tasks._parse = parse
    if kind == "enospc-page":
        from auditor import atomic

        count = [0]
        real_open = open

        def filling(path, *args, **kwargs):
            if str(path).endswith(".html.tmp"):
                count[0] += 1
                if count[0] == 3:
                    raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return real_open(path, *args, **kwargs)

        atomic.open = filling
    if kind == "enospc-db":
        from auditor.batch import store

        real_save = store.Store._save
        count = [0]

        def full(self, *args, **kwargs):
            count[0] += 1
            if count[0] == 3:
                real_execute = self.conn.execute

                class Full:  # the INSERT of the document fails as SQLite fails on a full disk
                    def __getattr__(self, name):
                        return getattr(real_execute.__self__, name)

                    def execute(self, sql, *a):
                        if sql.startswith("INSERT INTO documents"):
                            raise sqlite3.OperationalError("database or disk is full")
                        return real_execute(sql, *a)

                conn, self.conn = self.conn, Full()
                try:
                    return real_save(self, *args, **kwargs)
                finally:
                    self.conn = conn
            return real_save(self, *args, **kwargs)

        store.Store._save = full


if len(sys.argv) > 2 and sys.argv[1] == "--inject":
    sys.path.insert(0, str(ROOT))
    _inject(sys.argv[2])
    from auditor.cli import app

    app(sys.argv[sys.argv.index("--") + 1:], prog_name="auditor")
    sys.exit(0)


# --------------------------------------------------------------------------- the workspace


def build_corpus(target: Path) -> None:
    shutil.copytree(SHARED, target, ignore=shutil.ignore_patterns("*.truth.json"))
    (target / "empty.txt").write_bytes(b"")
    (target / "broken.pdf").write_bytes(b"this is not a pdf at all")
    (target / "junk.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (target / "binary.html").write_bytes(bytes(range(256)) * 64)
    first = sorted(target.glob("*.txt"))[0]
    with open(os.path.join(os.fsencode(target), GBK_NAME), "wb") as handle:
        handle.write(first.read_bytes())


def results(db: Path) -> dict:
    """path → (status, score, sorted findings (rule, fingerprint, quote)); checks integrity."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check"
        orphans = conn.execute("SELECT COUNT(*) FROM findings f LEFT JOIN documents d ON d.path = f.path"
                               " WHERE d.path IS NULL OR d.status != 'ok'").fetchone()[0]
        assert orphans == 0, f"{orphans} findings without an ok report"
        out = {path: (status, score, []) for path, status, score in
               conn.execute("SELECT path, status, score FROM documents")}
        for path, rule, fingerprint, quote in conn.execute("SELECT path, rule, fingerprint, quote FROM findings"):
            out[path][2].append((rule, fingerprint, quote))
    finally:
        conn.close()
    return {path: (status, score, sorted(found)) for path, (status, score, found) in out.items()}


def status_of(db: Path, path: str) -> tuple[str, str | None, str | None]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT status, error, over_budget FROM documents WHERE path = ?", (path,)).fetchone()
    finally:
        conn.close()
    return tuple(row) if row else (None, None, None)


class Workspace:
    def __init__(self, base: Path, name: str):
        self.dir = base / name
        self.dir.mkdir(parents=True)
        build_corpus(self.dir / "corpus")
        self.out = self.dir / "out"
        self.db = self.out / "auditor.db"

    def command(self, *args: str, inject: str | None = None) -> list[str]:
        if inject:
            return [sys.executable, str(Path(__file__).resolve()), "--inject", inject, "--", "batch", *args]
        return [sys.executable, "-m", "auditor.cli", "batch", *args]

    def run(self, *args: str, inject: str | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args, inject=inject), cwd=self.dir, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout, env=ENV)

    def start(self, *args: str, inject: str | None = None) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args, inject=inject), cwd=self.dir, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                                env=ENV, start_new_session=True)

    def batch(self, *extra: str, inject: str | None = None) -> subprocess.CompletedProcess:
        return self.run("corpus", "--out", "out", "-j", "2", *extra, inject=inject)

    def wait_saved(self, proc: subprocess.Popen, at_least: int, db: Path | None = None) -> bool:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if saved_count(db or self.db) >= at_least:
                return True
            time.sleep(0.02)
        return False

    def leftovers(self) -> list[str]:
        return [str(p.relative_to(self.dir)) for p in self.out.rglob("*.tmp")] if self.out.exists() else []


def one_chinese_line(result) -> str | None:
    """The problem with a run that had to stop: None when it stopped as it should."""
    err = result.stderr
    if "Traceback" in err or "\\udc" in err:
        return "traceback or raw file name"
    errors = [line for line in err.splitlines() if line.startswith("错误：")]
    if result.returncode != 2 or len(errors) != 1:
        return f"exit {result.returncode}, {len(errors)} error lines"
    return None


# --------------------------------------------------------------------------- the faults


@dataclass
class Outcome:
    survived: bool
    note: str


def said(stderr: str) -> str:
    """The error line a stopped run printed, for the table."""
    errors = [line for line in stderr.splitlines() if line.startswith("错误：")]
    return errors[-1] if errors else ""


def judge(ws: Workspace, reference: dict, notes: list[str], *, expect: dict | None = None,
          extra_ok: set = frozenset(), told: str = "") -> Outcome:
    """After the fault and the rerun: integrity, no .tmp, and the clean run's results (files in
    `extra_ok` are the fault's own; `expect` path → status they must have)."""
    problems = list(notes)
    if ws.leftovers():
        problems.append(f".tmp left: {ws.leftovers()[:3]}")
    try:
        got = results(ws.db)
    except AssertionError as exc:
        return Outcome(False, "; ".join(problems + [str(exc)]))
    for path, result in reference.items():
        if got.get(path) != result:
            problems.append(f"{path}: {got.get(path, ('missing',))[0]} ≠ clean {result[0]}")
    for path, status in (expect or {}).items():
        if got.get(path, (None,))[0] != status:
            problems.append(f"{path}: {got.get(path, (None,))[0]}, expected {status}")
    unexpected = set(got) - set(reference) - set(extra_ok) - set(expect or {})
    if unexpected:
        problems.append(f"unexpected rows {sorted(unexpected)[:3]}")
    return Outcome(not problems, "; ".join(problems) or ("nothing lost" + (f"; said {told}" if told else "")))


def fault_gbk_name(ws, reference):
    """The corpus always has the GBK-named report; here it must be audited and stored by its
    shown name (and a broken one named legibly)."""
    with open(os.path.join(os.fsencode(ws.dir / "corpus"), "坏".encode("gbk") + b".pdf"), "wb") as handle:
        handle.write(b"not a pdf")
    done = ws.batch()
    notes = [] if done.returncode == 2 and "Traceback" not in done.stderr else [f"exit {done.returncode}"]
    if "按 GBK 读作 corpus/坏.pdf" not in done.stderr:
        notes.append("the broken GBK name not named legibly")
    name = "corpus/" + os.fsdecode(GBK_NAME).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if status_of(ws.db, name)[0] != "ok":
        notes.append("the GBK-named report not audited")
    return judge(ws, reference, notes, expect={"corpus/\\xbb\\xb5.pdf": "error"})


def fault_fifo(ws, reference):
    os.mkfifo(ws.dir / "corpus" / "pipe.txt")
    done = ws.batch("--time-budget", "10")
    notes = [] if done.returncode == 2 and "Traceback" not in done.stderr else [f"exit {done.returncode}"]
    return judge(ws, reference, notes, expect={"corpus/pipe.txt": "error"})


def fault_dev_zero(ws, reference):
    os.symlink("/dev/zero", ws.dir / "corpus" / "zero.txt")
    done = ws.batch("--memory-budget", "256MB", "--time-budget", "60")
    notes = [] if done.returncode == 2 and "Traceback" not in done.stderr else [f"exit {done.returncode}"]
    return judge(ws, reference, notes, expect={"corpus/zero.txt": "error"})


def _budget_fault(ws, reference, kind: str, flags: tuple, over: str):
    target = "003.txt"
    done = ws.batch(*flags, inject=f"{kind}:{target}")
    notes = [] if done.returncode == 2 and "Traceback" not in done.stderr else [f"exit {done.returncode}"]
    status, error, over_budget = status_of(ws.db, f"corpus/{target}")
    if (status, over_budget) != ("error", over):
        notes.append(f"{target}: {status}/{over_budget}, expected error/{over}")
    # the rest was saved; a larger budget (and the fault gone) redoes it
    ws.batch("--time-budget", "300", "--memory-budget", "4GB")
    return judge(ws, reference, notes)


def fault_hang(ws, reference):
    return _budget_fault(ws, reference, "hang", ("--time-budget", "15"), "time")


def fault_hog(ws, reference):
    return _budget_fault(ws, reference, "hog", ("--memory-budget", "300MB"), "memory")


def fault_always_dies(ws, reference):
    done = ws.batch(inject="die:004.txt")
    notes = [] if done.returncode == 2 and "未能完成 1 份" in done.stderr else [f"exit {done.returncode}"]
    if status_of(ws.db, "corpus/004.txt")[0] != "infrastructure":
        notes.append("004.txt not infrastructure")
    ws.batch()  # retries it (and, as the corpus index gains it, re-checks the others)
    return judge(ws, reference, notes)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def fault_kill_worker(ws, reference):
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes = []
    if ws.wait_saved(proc, 3):
        for child in _children(proc.pid)[:1]:
            os.kill(child, signal.SIGKILL)
    else:
        notes.append("finished before the kill")
    _, err = proc.communicate(timeout=900)
    if proc.returncode != 2 or "Traceback" in err:  # 2: the hostile files
        notes.append(f"exit {proc.returncode}")
    return judge(ws, reference, notes)


def fault_ctrl_c(ws, reference):
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes = []
    if ws.wait_saved(proc, 3):
        os.killpg(proc.pid, signal.SIGINT)
    else:
        notes.append("finished before Ctrl-C")
    _, err = proc.communicate(timeout=300)
    if proc.returncode != 130 or "Traceback" in err:
        notes.append(f"exit {proc.returncode}")
    ws.batch()
    return judge(ws, reference, notes)


def fault_db_deleted(ws, reference):
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes = []
    if ws.wait_saved(proc, 3):
        ws.db.unlink()
    else:
        notes.append("finished before the delete")
    out, err = proc.communicate(timeout=300)
    if one_chinese_line(subprocess.CompletedProcess([], proc.returncode, out, err)):
        notes.append(one_chinese_line(subprocess.CompletedProcess([], proc.returncode, out, err)))
    ws.batch()
    return judge(ws, reference, notes, told=said(err))


def fault_db_locked(ws, reference):
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes = []
    if ws.wait_saved(proc, 3):
        holder = sqlite3.connect(ws.db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        time.sleep(4)  # another program holding the database (under the 30 s the batch waits)
        holder.execute("ROLLBACK")
        holder.close()
    else:
        notes.append("finished before the lock")
    _, err = proc.communicate(timeout=900)
    if proc.returncode != 2 or "Traceback" in err:
        notes.append(f"exit {proc.returncode}: {err.strip().splitlines()[-1:]}")
    return judge(ws, reference, notes)


def fault_second_batch(ws, reference):
    other = ws.dir / "other"
    other.mkdir()
    shutil.copy(SHARED / "001.txt", other / "x.txt")
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes, told = [], ""
    if ws.wait_saved(proc, 1):
        second = ws.run("other", "--db", "out/auditor.db", "--out", "out2", "-j", "1")
        if one_chinese_line(second) or "数据库正被另一个批量审核使用" not in second.stderr:
            notes.append(f"second batch: exit {second.returncode} {second.stderr.strip().splitlines()[-1:]}")
        told = said(second.stderr)
    else:
        notes.append("first finished too soon")
    _, err = proc.communicate(timeout=900)
    if proc.returncode != 2 or "Traceback" in err:
        notes.append(f"first: exit {proc.returncode}")
    return judge(ws, reference, notes, told=told)


def _stopped_then_rerun(ws, reference, done) -> Outcome:
    notes = [p for p in [one_chinese_line(done)] if p]
    ws.batch()
    return judge(ws, reference, notes, told=said(done.stderr))


def fault_enospc_page(ws, reference):
    return _stopped_then_rerun(ws, reference, ws.batch(inject="enospc-page:"))


def fault_enospc_db(ws, reference):
    return _stopped_then_rerun(ws, reference, ws.batch(inject="enospc-db:"))


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def fault_tmpfs_full(ws, reference):
    ws.out.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=1000k", "tmpfs", str(ws.out)):
        return None
    try:
        done = ws.batch()
        notes = [p for p in [one_chinese_line(done)] if p]
        if "磁盘空间不足" not in done.stderr:
            notes.append("not reported as a full disk")
        _mount("-o", "remount,size=64m", str(ws.out))
        ws.batch()
        return judge(ws, reference, notes, told=said(done.stderr))
    finally:
        subprocess.run(["umount", str(ws.out)], capture_output=True)


def fault_tmpfs_db_full(ws, reference):
    """The database alone on a small tmpfs: SQLite itself finds the disk full (SQLITE_FULL)."""
    place = ws.dir / "db"
    place.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=200k", "tmpfs", str(place)):
        return None
    ws.db = place / "auditor.db"
    try:
        done = ws.batch("--db", str(ws.db))
        notes = [p for p in [one_chinese_line(done)] if p]
        if "磁盘空间不足" not in done.stderr:
            notes.append("not reported as a full disk")
        _mount("-o", "remount,size=64m", str(place))
        ws.batch("--db", str(ws.db))
        return judge(ws, reference, notes, told=said(done.stderr))
    finally:
        subprocess.run(["umount", str(place)], capture_output=True)


def fault_out_read_only(ws, reference):
    if os.geteuid() != 0:
        return None
    proc = ws.start("corpus", "--out", "out", "-j", "2")
    notes = []
    mounted = False
    if ws.wait_saved(proc, 3):
        mounted = _mount("--bind", str(ws.out), str(ws.out)) and _mount("-o", "remount,bind,ro", str(ws.out))
        if not mounted:
            proc.kill()
            proc.communicate()
            return None
    else:
        notes.append("finished before the remount")
    out, err = proc.communicate(timeout=300)
    if one_chinese_line(subprocess.CompletedProcess([], proc.returncode, out, err)):
        notes.append(one_chinese_line(subprocess.CompletedProcess([], proc.returncode, out, err)))
    if mounted:
        subprocess.run(["umount", str(ws.out)], capture_output=True)
    ws.batch()
    return judge(ws, reference, notes, told=said(err))


def _cluster(preload: str | None = None):
    from distributed import LocalCluster

    kwargs = {"preload": [preload]} if preload else {}
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, **kwargs)


def fault_dask_worker_killed(ws, reference):
    try:
        from distributed import Client
    except ImportError:
        return None
    with _cluster() as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        proc = ws.start("corpus", "--out", "out", "--scheduler", cluster.scheduler_address)
        notes = []
        if ws.wait_saved(proc, 3):
            os.kill(sorted(pids.values())[0], signal.SIGKILL)
        else:
            notes.append("finished before the kill")
        _, err = proc.communicate(timeout=900)
        if proc.returncode != 2 or "Traceback" in err:
            notes.append(f"exit {proc.returncode}")
    return judge(ws, reference, notes)


PRELOAD = '''
import os, signal, time
from pathlib import Path
from auditor.batch import tasks

def _install(real):  # Dask may run a preload twice: wrap the real parse once
    def parse(path, data):
        if Path(path).name == "004.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        if Path(path).name == "003.txt":  # Python code that never ends: Watch stops it
            while True:
                pass
        if Path(path).name == "002.txt":  # one C call that never ends: the client finds it
            time.sleep(3600)
        return real(path, data)
    parse.fault = True
    return parse

if not getattr(tasks._parse, "fault", False):
    tasks._parse = _install(tasks._parse)
'''


def fault_dask_reports(ws, reference):
    """On the cluster: 004 kills its worker every time, 003 spins in Python, 002 sleeps in C."""
    try:
        import dask
    except ImportError:
        return None
    preload = ws.dir / "faults_preload.py"
    preload.write_text(PRELOAD, encoding="utf-8")
    notes = []
    # The scheduler gives up on a task after one lost worker (KilledWorker); the batch retries.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with _cluster(str(preload)) as cluster:
            done = ws.run("corpus", "--out", "out", "--scheduler", cluster.scheduler_address, "--time-budget", "5")
    if done.returncode != 2 or "未能完成 1 份" not in done.stderr or "Traceback" in done.stderr:
        notes.append(f"exit {done.returncode}: {done.stderr.strip().splitlines()[-3:]}")
    for name, status, over in (("004.txt", "infrastructure", None), ("003.txt", "error", "time"),
                               ("002.txt", "error", "time")):
        got = status_of(ws.db, f"corpus/{name}")
        if (got[0], got[2]) != (status, over):
            notes.append(f"{name}: {got[0]}/{got[2]}, expected {status}/{over}")
    ws.batch("--time-budget", "120")  # the local pool, the faults gone, a budget they fit in
    return judge(ws, reference, notes)


FAULTS = {
    "gbk-name": ("a file name in GBK (Windows zip)", fault_gbk_name),
    "fifo": ("a FIFO named .txt (time budget 10 s)", fault_fifo),
    "dev-zero": ("/dev/zero named .txt (memory budget 256 MB)", fault_dev_zero),
    "hang": ("parse hangs on one report (time budget 15 s)", fault_hang),
    "hog": ("parse allocates without end (memory budget 300 MB)", fault_hog),
    "always-dies": ("a report kills its worker every time", fault_always_dies),
    "kill-worker": ("SIGKILL of a worker mid-run", fault_kill_worker),
    "ctrl-c": ("Ctrl-C of the batch mid-run, then resume", fault_ctrl_c),
    "db-deleted": ("database file deleted mid-run", fault_db_deleted),
    "db-locked": ("database locked by another program for 4 s", fault_db_locked),
    "second-batch": ("a second batch on the same database", fault_second_batch),
    "enospc-page": ("disk full writing a page (simulated)", fault_enospc_page),
    "enospc-db": ("disk full writing the database (simulated)", fault_enospc_db),
    "tmpfs-full": ("disk full: output on a 1 MB tmpfs (root)", fault_tmpfs_full),
    "tmpfs-db-full": ("disk full: the database on a 200 KB tmpfs (root)", fault_tmpfs_db_full),
    "out-read-only": ("output made read-only mid-run (root: ro bind mount)", fault_out_read_only),
    "dask-worker-killed": ("a Dask worker SIGKILLed mid-run", fault_dask_worker_killed),
    "dask-reports": ("Dask: a report kills its worker every time, one spins, one sleeps in C (5 s)",
                     fault_dask_reports),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated fault names")
    parser.add_argument("--keep", help="keep the workspaces in this directory")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"shared corpus not found at {SHARED}", file=sys.stderr)
        return 2
    chosen = args.only.split(",") if args.only else list(FAULTS)
    base = Path(args.keep or tempfile.mkdtemp(prefix="faults-"))
    base.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    clean = Workspace(base, "clean")
    first = clean.batch()
    reference = results(clean.db)
    print(f"clean run: exit {first.returncode}, {len(reference)} reports "
          f"({sum(1 for r in reference.values() if r[0] == 'ok')} ok), {time.monotonic() - started:.0f} s")
    rows, survived, injected = [], 0, 0
    for name in chosen:
        what, function = FAULTS[name]
        ws = Workspace(base, name)
        began = time.monotonic()
        try:
            outcome = function(ws, reference)
        except Exception as exc:  # noqa: BLE001 — a fault the bench itself could not run counts as lost
            outcome = Outcome(False, f"bench error: {type(exc).__name__}: {exc}")
        seconds = time.monotonic() - began
        if outcome is None:
            rows.append((name, what, "skipped", "needs root / mount / distributed", seconds))
            continue
        injected += 1
        survived += outcome.survived
        rows.append((name, what, "survived" if outcome.survived else "LOST", outcome.note, seconds))
        print(f"  {name}: {'survived' if outcome.survived else 'LOST'} ({seconds:.0f} s)", flush=True)
    print()
    print(f"{'fault':20} {'what':55} {'result':9} {'s':>4}  note")
    for name, what, result, note, seconds in rows:
        print(f"{name:20} {what:55} {result:9} {seconds:4.0f}  {note}")
    print(f"\nfaults injected: {injected}; survived with nothing lost: {survived}; "
          f"total {time.monotonic() - started:.0f} s")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if survived == injected else 1


if __name__ == "__main__":
    sys.exit(main())
