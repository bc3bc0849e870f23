"""Batch throughput and memory: `auditor batch` end to end on generated corpora of 500, 1,000
and 2,000 text/HTML reports, with and without the corpus-level checks, on this machine's cores.

The corpus is generated from the real reports (../shared/corpus, whole reports of at least 6 KB)
and the project's own text/markdown/HTML samples, keeping each file's format and encoding:
- each invented body (a place and a department) takes one base report and publishes one to four
  consecutive years of it, so continuity and year-over-year reuse are exercised;
- the base's agency name and years are replaced by the body's;
- per body, 60% of the narrative lines are rewritten (40% of their Chinese characters changed,
  drawn from the report's own characters): different bodies of one base still share the other
  40%, as real reports share template paragraphs — a corpus with much cross-body copying;
- per year, another 15% of the lines are rewritten (the body's new text of that year).
Tables are kept verbatim, so the table identities and claims are checked as in real reports.

Each size is a prefix of one generated corpus (the last body may lose its later years), hard-linked into its own
directory. Every run is a fresh process `python -m auditor.cli batch DIR --out OUT -j N` with an
empty output directory; figures are wall time from start to exit (start-up, discovery, hashing,
parsing, index, checks, pages, database, CSV, index.html) and the peak memory of the parent
process (RSS) and of the whole process tree (sum of PSS, so pages the forked workers share with
the parent count once), from /proc: RSS every 50 ms, PSS every 0.5 s or, once a sweep of the
tree costs more than 5 ms, less often, so that it never takes more than 1% of a core.

    python bench/batch_scale.py [--sizes 500,1000,2000] [--workers 2] [--keep DIR [--keep-outputs]] [--corpus-only]

Each run's stages are timed by the lines the batch prints (start-up and hashing, parse, index,
check, outputs); at the end, the per-report cost of each stage at the largest size and, from
them, a projection for 100,000 and 1,000,000 reports on N workers (parse and check divide by N,
the parent's stages do not). Issue 14's end-to-end measure:

    python bench/batch_scale.py --sizes 2000,20000 --workers 2 --corpus-only

Incremental corpus checks (`--incremental N`, default added 10): a full run with corpus checks on
N generated reports, then `--added` more reports of the same generated corpus (new bodies, and
later years of the last body) appear and the same output directory is audited again; its wall
time is compared with a clean full run on the final corpus into an empty directory, and the two
databases must hold the same results (every document row and every finding, run ids aside).
Then an unchanged rerun (nothing to parse or check).

    python bench/batch_scale.py --incremental 2000 [--added 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.batch.store import comparable_results  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

PLACES = "青云岭溪白沙石桥东西南北安宁平和永兴长乐新华金山玉泉临江丰源松柏清河"
LEVELS = ("县", "区", "市", "镇")
DEPARTMENTS = ("人民政府", "自然资源局", "生态环境局", "卫生健康局", "教育局", "财政局", "民政局",
               "交通运输局", "住房和城乡建设局", "人力资源和社会保障局")
SUFFIXES = {".txt", ".md", ".html", ".htm"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TABLE_LINE = re.compile(r"\||\t|<t[dhr]\b|^\s*[\d.]+\s*$", re.I)


def bases(shared: Path) -> list[dict]:
    """Whole text/HTML reports with their raw text, encoding, agency name and year."""
    files = [p for d in ("real/full", "real/partial") for p in sorted((shared / "corpus" / d).iterdir())]
    files += sorted((ROOT / "corpus").iterdir())
    out = []
    for path in files:
        if path.suffix.lower() not in SUFFIXES or path.name.lower() == "readme.md" or path.stat().st_size < 6000:
            continue
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            continue
        doc = parse_file(str(path))
        if not doc.meta.year or not doc.tables:
            continue
        names = sorted({n for n in (doc.meta.agency, doc.meta.agency and doc.meta.agency.split("（")[0]) if n},
                       key=len, reverse=True)
        out.append({"suffix": path.suffix.lower(), "encoding": encoding, "text": text, "year": doc.meta.year,
                    "names": names, "pool": "".join(sorted(set(_CJK.findall(text))))})
    return out


def narrative_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines)
            if len(line) >= 20 and not _TABLE_LINE.search(line) and len(_CJK.findall(line)) > len(line) // 2]


def rewrite(line: str, rng: random.Random, pool: str, share: float) -> str:
    chars = list(line)
    cjk = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]
    for i in rng.sample(cjk, int(len(cjk) * share)):
        chars[i] = rng.choice(pool)
    return "".join(chars)


def generate(shared: Path, target: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    pool = bases(shared)
    target.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    body = 0
    while len(files) < n:
        body += 1
        base = rng.choice(pool)
        agency = "".join(rng.sample(PLACES, 2)) + rng.choice(LEVELS) + rng.choice(DEPARTMENTS)
        lines = base["text"].split("\n")
        candidates = narrative_lines(lines)
        body_lines = list(lines)
        for i in rng.sample(candidates, int(len(candidates) * 0.6)):
            body_lines[i] = rewrite(lines[i], rng, base["pool"], 0.4)
        first = rng.randint(2019, 2023)
        years = rng.randint(1, 4)
        for year in range(first, first + years):
            if len(files) >= n and year == first:
                break
            year_lines = list(body_lines)
            for i in rng.sample(candidates, int(len(candidates) * 0.15)):
                year_lines[i] = rewrite(body_lines[i], rng, base["pool"], 0.4)
            text = "\n".join(year_lines)
            for name in base["names"]:
                text = text.replace(name, agency)
            text = re.sub(rf"(?<!\d){base['year']}(?!\d)", str(year), text)
            text = re.sub(rf"(?<!\d){base['year'] - 1}(?!\d)", str(year - 1), text)
            path = target / f"{len(files):05d}-{body:04d}-{year}{base['suffix']}"
            try:
                path.write_bytes(text.encode(base["encoding"].replace("-sig", "")))
            except UnicodeEncodeError:
                path.write_bytes(text.encode("utf-8"))
            files.append(path)
    return files


# The tree's PSS is swept at most every PSS_EVERY seconds, and so that the sweeps take at most
# PSS_SHARE of one core (TreeMemory.run).
PSS_EVERY = 0.5
PSS_SHARE = 0.01


class TreeMemory(threading.Thread):
    """Peak resident memory of a process (RSS) and of it plus all its descendants (the sum of
    their PSS: forked workers share the parent's pages, which RSS would count once per process)."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.parent_peak = self.tree_peak = 0
        self.stop = threading.Event()

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    out += [int(c) for c in fh.read().split()]
        except OSError:
            pass
        return out

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def run(self) -> None:
        # PSS makes the kernel walk every page table, at a cost that grows with the tree's memory:
        # at 20,000 reports one sweep of the three processes took 54 ms of CPU, so a sweep every
        # 0.5 s took 5% of the two cores from the batch it measures (its check stage ran at 92% of
        # the cores under the sampler, 97% without). So a sweep waits at least PSS_EVERY, and
        # longer as it gets dearer: the sampler's CPU stays under PSS_SHARE of one core.
        next_pss = 0.0
        while not self.stop.is_set():
            self.parent_peak = max(self.parent_peak, self._rss(self.pid))
            if time.monotonic() >= next_pss:
                spent = time.thread_time()
                self.tree_peak = max(self.tree_peak, self._tree_pss())
                spent = time.thread_time() - spent
                next_pss = time.monotonic() + max(PSS_EVERY, spent / PSS_SHARE)
            time.sleep(self.every)

    def _tree_pss(self) -> int:
        total, todo = self._pss(self.pid), self._children(self.pid)
        while todo:
            child = todo.pop()
            total += self._pss(child)
            todo += self._children(child)
        return total


def run_batch(directory: Path, out: Path, workers: int, corpus: bool, fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "auditor.cli", "batch", str(directory), "--out", str(out), "-j", str(workers),
           "--corpus" if corpus else "--no-corpus"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
                            encoding="utf-8")
    memory = TreeMemory(proc.pid)
    memory.start()
    lines, cpu = [], []
    for line in proc.stderr:  # not a terminal: plain lines, echoed as they come (a run cut short still tells)
        lines.append((time.perf_counter() - t0, line.rstrip("\n")))
        cpu.append(tree_cpu(proc.pid))
        print(f"    [{lines[-1][0]:7.1f} s, CPU parent {cpu[-1][0]:6.1f} s workers {cpu[-1][1]:7.1f} s] {lines[-1][1]}",
              file=sys.stderr, flush=True)
    _, status, usage = os.wait4(proc.pid, 0)  # the batch and every worker it reaped
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    # The parent's own share: what it had at its last line, plus its tail (outputs) up to exit,
    # taken as the rest of the whole once the workers' last reading is known.
    total_cpu = usage.ru_utime + usage.ru_stime
    workers_cpu = max(c[1] for c in cpu) if cpu else 0.0
    memory.stop.set()
    memory.join()
    err = "\n".join(line for _, line in lines)
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{err[-2000:]}")
    done = re.search(r"新审核 (\d+) 份.*?无法读取或审核 (\d+) 份", err)
    parsed = re.search(r"解析：共 (\d+) 份", err)
    rechecked = re.search(r"语料有变：(\d+) 份已审核的报告重新比对，其中 (\d+) 份", err)
    return {"wall": wall, "scored": int(done.group(1)), "failed": int(done.group(2)),
            "parsed": int(parsed.group(1)) if parsed else 0,
            "replanned": int(rechecked.group(1)) if rechecked else 0,
            "rechecked": int(rechecked.group(2)) if rechecked else 0,
            "stages": stages(lines, wall), "cpu": total_cpu,
            "parent_cpu": stages([(c[0], line) for c, (_, line) in zip(cpu, lines)], total_cpu - workers_cpu),
            "worker_cpu": stages([(c[1], line) for c, (_, line) in zip(cpu, lines)], workers_cpu),
            "parent_mb": memory.parent_peak / 2**20, "tree_mb": memory.tree_peak / 2**20}


def tree_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by a process itself, and by its reaped children
    and live descendants (the workers): what a stage costs whatever else shares the cores."""
    tick = os.sysconf("SC_CLK_TCK")
    own = rest = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: utime, stime, cutime, cstime are fields 14–17 of stat(5)
        mine, reaped = (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick
        if p == pid:
            own, rest = own + mine, rest + reaped
        else:
            rest += mine + reaped
        todo += TreeMemory._children(p)
    return own, rest


# Where each stage of a batch starts, by the line it prints first (progress.py).
STAGE_MARKS = (("start-up, discovery, hashing", None), ("parse", "解析：共"), ("index", "建立语料索引"),
               ("check", "审核：共"), ("outputs", "写出索引和 CSV"))


def stages(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Wall seconds of each stage, from the time each stage's first line was read."""
    starts = [(name, 0.0 if mark is None else next((t for t, line in lines if line.startswith(mark)), None))
              for name, mark in STAGE_MARKS]
    starts = [(name, t) for name, t in starts if t is not None] + [("end", wall)]
    return {name: starts[k + 1][1] - t for k, (name, t) in enumerate(starts[:-1])}


def projection(size: int, r: dict, workers: int, small: tuple[int, dict] | None = None,
               targets=(100_000, 1_000_000), cluster=(2, 8, 32, 128)) -> None:
    """Per-report CPU measured on `size` reports, and what it gives for `targets` reports on
    clusters of N workers: the workers' CPU divides by N, the parent's does not (one process
    reads, indexes, saves and writes the outputs). On paper: it assumes costs
    per report stay as measured (see the growth line between sizes) and a worker per core.
    Memory: a straight line through the two sizes measured (`small`), else through zero."""
    # CPU seconds, not wall: the cores are shared with other processes, and what a projection
    # needs is the work a report costs — the parent's (one process, never parallel: reading,
    # the index, saving results and pages, outputs) and the workers' (parse, check).
    parent = {name: cpu / size for name, cpu in r["parent_cpu"].items()}
    worker = {name: cpu / size for name, cpu in r["worker_cpu"].items()}
    print(f"\nper-report CPU at {size} reports (ms of one core; wall {r['wall']:.0f} s, CPU {r['cpu']:.0f} s "
          f"on {workers} workers):")
    print("  parent:  " + ", ".join(f"{name} {1000 * cost:.1f}" for name, cost in parent.items()))
    print("  workers: " + ", ".join(f"{name} {1000 * cost:.1f}" for name, cost in worker.items()))
    serial, parallel = sum(parent.values()), sum(worker.values())
    print(f"  parent stages {1000 * serial:.1f} ms/report, worker stages {1000 * parallel:.1f} ms/report; "
          f"tree memory {r['tree_mb'] / size * 1024:.0f} KB/report (peak {r['tree_mb']:.0f} MB)")
    def line(key: str) -> tuple[float, float]:  # (MB at 0 reports, MB per report)
        if small is None:
            return 0.0, r[key] / size
        n0, r0 = small
        slope = (r[key] - r0[key]) / (size - n0)
        return r[key] - slope * size, slope

    (tree0, tree_slope), (parent0, parent_slope) = line("tree_mb"), line("parent_mb")
    print(f"  memory line{' through ' + str(small[0]) + ' and ' + str(size) if small else ''}: "
          f"tree PSS {tree0:.0f} MB + {tree_slope * 1024:.0f} KB/report, "
          f"parent RSS {parent0:.0f} MB + {parent_slope * 1024:.0f} KB/report")
    print(f"projection (same costs per report; the parent's share never parallelises):")
    print(f"  {'reports':>9} {'workers':>7} {'hours':>7} {'reports/s':>9} {'parent GB':>9} {'tree GB (2 workers)':>19}")
    for n in targets:
        for w in cluster:
            seconds = n * (serial + parallel / w)
            print(f"  {n:>9} {w:>7} {seconds / 3600:>7.2f} {n / seconds:>9.1f} "
                  f"{(parent0 + parent_slope * n) / 1024:>9.1f} {(tree0 + tree_slope * n) / 1024:>19.1f}")
    print(f"  ceiling: {1 / serial:.0f} reports/s whatever the workers (the parent's serial stages)")


def incremental(files: list[Path], work: Path, size: int, added: int, workers: int) -> int:
    corpus = work / f"inc{size}"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    for f in files[:size]:
        os.link(f, corpus / f.name)
    out = work / f"out-inc{size}"
    first = run_batch(corpus, out, workers, True)
    print(f"full run, {size} reports: {first['wall']:.1f} s ({size / first['wall']:.1f} reports/s), "
          f"tree PSS {first['tree_mb']:.0f} MB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)
    for f in files[size:size + added]:
        os.link(f, corpus / f.name)
    inc = run_batch(corpus, out, workers, True, fresh=False)
    clean = run_batch(corpus, work / f"out-clean{size}", workers, True)
    same = comparable_results(out / "auditor.db") == comparable_results(work / f"out-clean{size}" / "auditor.db")
    print(f"+{added} reports, incremental: {inc['wall']:.1f} s, parsed {inc['parsed']}, checked {inc['scored']} "
          f"({added} new, {inc['rechecked']} of {inc['replanned']} kept results re-checked: their plan moved; "
          f"stages {', '.join(f'{k} {v:.1f} s' for k, v in inc['stages'].items())}); "
          f"clean full run: {clean['wall']:.1f} s (×{clean['wall'] / inc['wall']:.1f}; "
          f"stages {', '.join(f'{k} {v:.1f} s' for k, v in clean['stages'].items())}); "
          f"results identical: {'yes' if same else 'NO'}", flush=True)
    again = run_batch(corpus, out, workers, True, fresh=False)
    print(f"unchanged rerun: {again['wall']:.1f} s, parsed {again['parsed']}, checked {again['scored']}")
    return 0 if same else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", help="generate into (and keep) this directory")
    parser.add_argument("--incremental", type=int, metavar="N", help="the incremental measure on N reports")
    parser.add_argument("--added", type=int, default=10)
    parser.add_argument("--keep-outputs", action="store_true",
                        help="with --keep: keep each run's output directory (its database, to compare two "
                             "versions with store.comparable_results; its parse cache is big)")
    parser.add_argument("--corpus-only", action="store_true",
                        help="only the runs with corpus checks (and the projection from them)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.incremental:
        work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="auditor-batch-bench-"))
        try:
            files = generate(Path(args.shared), work / "all", args.incremental + args.added, args.seed)
            return incremental(files, work, args.incremental, args.added, args.workers)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="auditor-batch-bench-"))
    try:
        t0 = time.perf_counter()
        files = generate(Path(args.shared), work / "all", max(sizes), args.seed)
        sizes_kb = [f.stat().st_size / 1024 for f in files]
        kinds = {s: sum(1 for f in files if f.suffix == s) for s in sorted({f.suffix for f in files})}
        print(f"generated {len(files)} reports in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{k} {v}" for k, v in kinds.items())
              + f"; mean {sum(sizes_kb) / len(sizes_kb):.1f} KB; {args.workers} workers, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f} (other processes share the cores)")
        print(f"{'reports':>7} {'corpus checks':>13} {'wall s':>7} {'reports/s':>9} {'failed':>6} "
              f"{'parent RSS MB':>13} {'tree PSS MB':>11}")
        results = {}
        for size in sizes:
            subset = work / f"n{size}"
            if not subset.exists():
                subset.mkdir()
                for f in files[:size]:
                    os.link(f, subset / f.name)
            for corpus in ((True,) if args.corpus_only else (False, True)):
                r = run_batch(subset, work / f"out-{size}-{corpus}", args.workers, corpus)
                results[(size, corpus)] = r
                print(f"{size:>7} {'yes' if corpus else 'no':>13} {r['wall']:>7.1f} {size / r['wall']:>9.1f} "
                      f"{r['failed']:>6} {r['parent_mb']:>13.0f} {r['tree_mb']:>11.0f}   "
                      + ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
                      + f"; load average {os.getloadavg()[0]:.1f}", flush=True)
                if not (args.keep and args.keep_outputs):
                    shutil.rmtree(work / f"out-{size}-{corpus}", ignore_errors=True)  # its parse cache is big
        small, large = sizes[0], sizes[-1]
        if small != large:
            print(f"\ngrowth {small} → {large} reports (×{large / small:.1f}):")
            for corpus in ((True,) if args.corpus_only else (False, True)):
                a, b = results[(small, corpus)], results[(large, corpus)]
                print(f"  corpus checks {'yes' if corpus else 'no '}: wall ×{b['wall'] / a['wall']:.2f}, "
                      f"throughput ×{(large / b['wall']) / (small / a['wall']):.2f}, "
                      f"parent memory ×{b['parent_mb'] / a['parent_mb']:.2f}, tree memory ×{b['tree_mb'] / a['tree_mb']:.2f}")
            a, b = results[(small, True)], results[(large, True)]
            print(f"  corpus checks, marginal: {(b['tree_mb'] - a['tree_mb']) / (large - small) * 1024:.0f} KB of tree "
                  f"memory per added report, {(b['wall'] - a['wall']) / (large - small) * 1000:.1f} ms of wall per added report")
        projection(large, results[(large, True)], args.workers,
                   (small, results[(small, True)]) if small != large else None)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
