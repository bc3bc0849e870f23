"""Which of two code trees audits faster, measured so that the machine's drift cancels out: both
run `auditor batch` with corpus checks on the same generated corpus at the same time, each pinned
to a core of its own (one worker each), and the cores are swapped from round to round.

On a shared VM a core's speed drifts by up to 20% from one minute to the next (issue 14: the same
code gave 47.0 and 39.4 reports/s within two hours), so runs made one after the other compare the
machine's phases more than the code. Two runs at the same time meet the same phase, and swapping
the cores cancels what differs between them. Each round gives each tree's CPU seconds (user and
system, of the batch and its worker) and the ratio new / old; the summary gives the geometric
mean of the ratios and their range. The two trees' results must be identical (every document row
and finding: store.comparable_results), checked on every round.

    python bench/code_ab.py OLD_TREE NEW_TREE [--reports 2000] [--rounds 4] [--keep DIR]
                            [--old-python PY] [--new-python PY]

With --old-python/--new-python (each a Python with the project's dependencies; default this one)
it compares interpreters as well: one tree given twice with two Pythons measures what a build of
Python (say, one compiled with profile-guided optimisation) changes for the same code.

A tree is a checkout, or a `git archive` of one, with ../shared beside it as usual. The corpus is
batch_scale.py's generator (the same seed gives the same reports). Linux only: the cores are set
with sched_setaffinity, and two are needed.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_scale import ROOT, generate  # noqa: E402

from auditor.batch.store import comparable_results  # noqa: E402


def run_pinned(python: str, tree: Path, corpus: Path, out: Path, core: int, result: dict) -> None:
    """`auditor batch` of `tree` run by `python` on `corpus`, pinned to `core`; fills `result` with its CPU and
    wall seconds (from os.wait4: the batch and the worker it reaped) and its exit status."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [python, "-m", "auditor.cli", "batch", str(corpus), "--out", str(out), "-j", "1", "--corpus"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                                stdout=subprocess.DEVNULL, stderr=errors,
                                preexec_fn=lambda: os.sched_setaffinity(0, {core}))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        result.update(wall=time.perf_counter() - start, cpu=usage.ru_utime + usage.ru_stime,
                      code=proc.returncode)
        if proc.returncode != 0:
            errors.seek(0)
            result["error"] = errors.read()[-2000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", help="generate into (and keep) this directory")
    parser.add_argument("--old-python", default=sys.executable, help="the Python that runs the old tree")
    parser.add_argument("--new-python", default=sys.executable, help="the Python that runs the new tree")
    args = parser.parse_args()
    if not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        print("code_ab.py needs Linux and two cores it may use", file=sys.stderr)
        return 2
    cores = sorted(os.sched_getaffinity(0))[:2]
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    for name, tree in trees.items():
        if not (tree / "auditor" / "cli.py").is_file():
            print(f"{name}: {tree} holds no auditor package", file=sys.stderr)
            return 2

    pythons = {"old": args.old_python, "new": args.new_python}
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="code_ab_"))
    corpus = work / f"gen{args.reports}"
    if not corpus.is_dir() or len(list(corpus.iterdir())) != args.reports:
        shutil.rmtree(corpus, ignore_errors=True)
        generate(Path(args.shared), corpus, args.reports, args.seed)
    print(f"{args.reports} generated reports; old {trees['old']} ({pythons['old']}), new {trees['new']} "
          f"({pythons['new']}); cores {cores[0]} and "
          f"{cores[1]}, one worker each; load average {os.getloadavg()[0]:.1f}", flush=True)

    ratios = []
    per_second = {"old": [], "new": []}
    for round_ in range(args.rounds):
        placed = dict(zip(("old", "new"), cores if round_ % 2 == 0 else cores[::-1]))
        results = {name: {} for name in trees}
        threads = [threading.Thread(target=run_pinned,
                                    args=(pythons[name], trees[name], corpus, work / f"out-{name}", placed[name], results[name]))
                   for name in trees]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for name, result in results.items():
            if result["code"] != 0:
                print(f"{name} failed (exit {result['code']}):\n{result.get('error', '')}", file=sys.stderr)
                return 1
            per_second[name].append(args.reports / result["wall"])
        same = comparable_results(work / "out-old" / "auditor.db") == comparable_results(work / "out-new" / "auditor.db")
        ratio = results["new"]["cpu"] / results["old"]["cpu"]
        ratios.append(ratio)
        print(f"round {round_ + 1}: " + "; ".join(
            f"{name} on core {placed[name]}: CPU {r['cpu']:.1f} s, wall {r['wall']:.1f} s" for name, r in results.items())
            + f"; CPU new/old {ratio:.3f}; results identical: {'yes' if same else 'NO'}", flush=True)
        if not same:
            return 1
    mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"CPU new/old: geometric mean {mean:.3f} over {len(ratios)} rounds (from {min(ratios):.3f} to "
          f"{max(ratios):.3f}); reports/s on one core each, mean: old {sum(per_second['old']) / len(ratios):.1f}, "
          f"new {sum(per_second['new']) / len(ratios):.1f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
