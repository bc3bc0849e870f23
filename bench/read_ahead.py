"""What reading ahead (auditor/batch/readahead.py) saves a worker that reads files the kernel has
dropped from memory: at national scale, the inputs hashed at the start and the parse-cache entries
written in the parse stage are minutes old when a worker needs them.

Writes N files of the size of a parse-cache entry (default 90 KB) in a temporary directory on the
filesystem given (default: the system's temporary directory), evicts them from memory
(fsync, then posix_fadvise DONTNEED), and reads them one by one with some CPU work between reads,
as a worker does: once plainly, once with the files READ_AHEAD places ahead hinted as the batch
hints them. Rounds alternate the two orders. Prints the wait on reads per file and the wall per file.

    python bench/read_ahead.py [--files 300] [--kb 90] [--work-ms 5] [--rounds 2] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.batch.pool import READ_AHEAD  # noqa: E402
from auditor.batch.readahead import read_ahead  # noqa: E402


def evict(paths) -> None:
    for path in paths:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(handle)
            os.posix_fadvise(handle, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(handle)


def run(paths, ahead: bool, work_s: float) -> tuple[float, float]:
    """(seconds waiting on reads, wall seconds) for reading `paths` in order."""
    evict(paths)
    time.sleep(0.5)
    if ahead:
        read_ahead(paths[:READ_AHEAD])
    waited = 0.0
    start = time.perf_counter()
    for k, path in enumerate(paths):
        if ahead and k + READ_AHEAD < len(paths):
            read_ahead([paths[k + READ_AHEAD]])
        t = time.perf_counter()
        with open(path, "rb") as handle:
            handle.read()
        waited += time.perf_counter() - t
        end = time.perf_counter() + work_s
        while time.perf_counter() < end:  # the task's own work
            pass
    return waited, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--kb", type=int, default=90)
    parser.add_argument("--work-ms", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    if not hasattr(os, "posix_fadvise"):
        sys.exit("posix_fadvise is not available here: nothing to measure")
    with tempfile.TemporaryDirectory(prefix="read-ahead-", dir=args.dir) as directory:
        sets = []
        for s in range(2 * args.rounds):  # a set of files per run: none is warm from another
            paths = []
            for k in range(args.files):
                path = Path(directory) / f"{s}-{k}.bin"
                path.write_bytes(os.urandom(args.kb * 1024))
                paths.append(str(path))
            sets.append(paths)
        print(f"{args.files} files of {args.kb} KB, {args.work_ms} ms of work between reads, "
              f"read ahead {READ_AHEAD} files; in {directory}")
        for r in range(args.rounds):
            order = (False, True) if r % 2 == 0 else (True, False)
            for k, ahead in enumerate(order):
                waited, wall = run(sets[2 * r + k], ahead, args.work_ms / 1000)
                print(f"  round {r + 1}, {'read ahead' if ahead else 'plain     '}: waiting on reads "
                      f"{waited / args.files * 1000:.3f} ms/file, wall {wall / args.files * 1000:.2f} ms/file")


if __name__ == "__main__":
    main()
