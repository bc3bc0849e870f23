"""Worker processes on this machine that never let one report stop the batch.

concurrent.futures' process pool cannot do this: a worker killed for its time breaks the whole
pool (BrokenProcessPool fails every pending task), it cannot say which task a worker is running,
and its map yields in submission order, so one slow report holds back every later result. Here:

- each worker runs one task at a time, sent over its own pipe, so the parent always knows which
  report a worker has and since when;
- a task over its wall-time budget: the worker is killed, the report recorded as over budget,
  a new worker started; the others go on untouched. A scan's task announces its OCR pages
  ("extend" on its result pipe) and gets budget.ocr_page_seconds more for each;
- with several workers, each runs ONNX Runtime (the OCR) on its share of the cores;
- the memory budget is an address-space limit set in each worker (budget.limit_memory): a task
  allocating beyond it gets MemoryError, recorded as over budget; the worker goes on;
- a worker that dies under a task (killed from outside, the kernel's OOM killer, a crash in a C
  library): a new worker is started and the task retried, up to budget.ATTEMPTS times, then
  recorded as an infrastructure failure (a rerun retries it);
- results are yielded as they complete, so each is saved at once; a worker that gave one has its
  next job before the caller saves it, so the workers never wait for the saving;
- with `ahead`, the files of the next few jobs are read ahead of the workers (readahead.py);
- with an `affinity` (item → group), an idle worker takes the next job of the group it ran last,
  and leaves another worker's group to it: the check of a report reads its previous-year report,
  which the worker that checked that report still holds with what it computed from it (its
  sentences and claims: batch/tasks.py `_RECENT`). Handed out in turn, each year of a body went to
  the other worker, which read and analysed it again.

Workers are forked after the context exists, so they inherit it (the rules, the corpus index of
hundreds of MB) without copying; a replacement is forked the same way. Workers ignore Ctrl-C (the
parent stops them) and die with the parent (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from itertools import islice
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait

from auditor.batch import budget as budgets
from auditor.batch.budget import Budgets, TaskFailure


# Jobs an idle worker looks ahead at for one of its group (affinity): a body's reports follow
# each other in a batch, so the next of a group is near the head.
AFFINITY_WINDOW = 16
# Jobs whose files are read ahead (map's `ahead`) before a worker takes one.
READ_AHEAD = 8


class PoolError(Exception):
    """No worker process could be started; str() is one Chinese line."""


def _die_with_parent(parent: int) -> None:
    """A killed batch must not leave its workers running (they hold its terminal and pipes):
    on Linux the kernel kills them when the parent dies."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request was in place
        os._exit(1)


def _worker(tasks, results, task: Callable, context, parent: int, memory: int, ocr_threads: int | None,
            ocr_page_seconds: float) -> None:
    # Ctrl-C goes to the whole process group: only the parent reacts (it stops the workers), so
    # workers don't each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    # What a task allocates is freed by reference counting, nearly all of it: the collector's
    # default cadence (a pass every 700 allocations) cost a check of a 20,000-report batch ~1%
    # of its CPU for no memory back.
    gc.set_threshold(100_000, 10, 10)
    budgets.limit_memory(memory)
    from auditor.read import ocr  # its hooks only: the engine is loaded by the first scan

    ocr.threads = ocr_threads
    # A scan's pages, announced before its OCR, tell the parent to give the task more time.
    grant = lambda pages: results.send(("extend", pages * ocr_page_seconds))  # noqa: E731
    try:
        while True:
            item = tasks.recv()
            try:
                with budgets.granting(grant):
                    message = ("done", task(context, item))
            except MemoryError:
                message = ("memory", None)
            except Exception as exc:  # tasks return a report's errors; this is a bug, still this report's
                message = ("raised", budgets.raised(exc))
            try:
                results.send(message)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an outcome that cannot be sent
                results.send(("raised", budgets.raised(exc)))
    except EOFError:  # the parent closed the pipe: no more work
        os._exit(0)
    except BaseException:  # anything else is a lost worker to the parent, which retries the task
        os._exit(70)


@contextmanager
def _interrupt_after():
    """Hold a Ctrl-C that arrives during the block until it ends. One that lands while forking
    is raised in the fork's own handlers (logging's, in the parent), where Python only prints
    it as ignored, and the batch would run on; a worker is forked whenever one is replaced."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, caught[0])  # the default handler raises KeyboardInterrupt


def _context():
    # fork shares the context with the workers for free; where fork is unsafe or missing, the
    # default method pickles it once per worker.
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Worker:
    """One worker process and its two pipes: tasks in, results out."""

    def __init__(self, task: Callable, context, budget: Budgets, ocr_threads: int | None):
        mp = _context()
        tasks_in, self.tasks = mp.Pipe(duplex=False)  # (reader, writer)
        self.results, results_out = mp.Pipe(duplex=False)
        self.process = mp.Process(target=_worker, daemon=True,
                                  args=(tasks_in, results_out, task, context, os.getpid(), budget.memory,
                                        ocr_threads, budget.ocr_page_seconds))
        with _interrupt_after():
            self.process.start()
        # The child's ends belong to the child: closed here, so that its death reads as EOF.
        tasks_in.close()
        results_out.close()
        self.job = None  # (item, attempts) of the task it runs
        self.group = None  # the affinity group of its last job
        self.since = 0.0
        self.extra = 0.0  # seconds its task was granted on top of the budget (OCR pages)

    def give(self, job) -> bool:
        """Start `job` on it; False when it is no longer there to take it."""
        try:
            self.tasks.send(job[0])
        except OSError:  # it died idle (killed from outside): the job was not started
            return False
        self.job = job
        self.since = time.monotonic()
        self.extra = 0.0
        return True

    def exit_code(self) -> int | None:
        self.process.join(timeout=5)  # it closed its pipe: it is exiting or gone
        return self.process.exitcode

    def stop(self) -> None:
        """Kill it (it may be stuck in a task) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        for end in (self.tasks, self.results):
            end.close()


class Pool:
    """`workers` processes running `task(context, item)` under `budgets`."""

    def __init__(self, workers: int, budgets: Budgets, attempts: int = budgets.ATTEMPTS):
        self.workers = workers
        self.budgets = budgets
        self.attempts = attempts
        self._affinity: Callable | None = None  # of the map in progress
        self._ahead: Callable | None = None  # of the map in progress

    def map(self, task: Callable, context, items: Iterable, on_failure: Callable,
            meanwhile: Callable | None = None, affinity: Callable | None = None,
            ahead: Callable | None = None) -> Iterator:
        """Outcomes of `task` on `items` as they complete; `on_failure(item, TaskFailure)` gives
        the outcome of a task over its budget or lost with its worker. `meanwhile`: work for this
        process once the workers have started (so the workers do not inherit its effects).
        `affinity`: item → a group (hashable, None for none), see the module; it changes which
        worker runs a task, never what the task gives. `ahead(item)`: called in this process
        about READ_AHEAD jobs before a worker takes the item (readahead.py); a hint, it must
        neither fail nor wait."""
        self._affinity = affinity
        self._ahead = ahead
        jobs = deque((item, 0) for item in items)  # (item, attempts so far)
        if ahead is not None:
            for item, _ in islice(jobs, READ_AHEAD):
                ahead(item)
        if not jobs:
            if meanwhile is not None:
                meanwhile()
            return
        # Objects that exist at the fork (the corpus index, every parsed report) are never garbage:
        # frozen, the workers' collector neither walks them (time) nor writes their headers
        # (copy-on-write would give each worker its own copy of the pages).
        gc.freeze()
        running: list[_Worker] = []
        try:
            self._feed(task, context, running, jobs)
            if meanwhile is not None:
                meanwhile()
            while any(worker.job for worker in running):
                outcomes = self._step(running, jobs, on_failure)
                # The freed workers get their next job before the caller handles these outcomes
                # (saves them, adds them to the index): else each waits for that too.
                self._feed(task, context, running, jobs)
                yield from outcomes
        finally:
            for worker in running:
                worker.stop()
            gc.unfreeze()

    def ocr_threads(self) -> int | None:
        """ONNX Runtime threads in each worker: its share of the cores when there are several
        workers (1 each when there are as many as cores); None (every core) for one worker."""
        if self.workers < 2:
            return None
        return max(1, (os.cpu_count() or 1) // self.workers)

    def _start(self, task, context) -> _Worker:
        try:
            return _Worker(task, context, self.budgets, self.ocr_threads())
        except OSError as exc:
            raise PoolError(f"无法启动工作进程（系统错误号 {exc.errno}）") from None

    def _feed(self, task, context, running: list[_Worker], jobs: deque) -> None:
        """A job for every idle worker; a worker found dead is replaced (and as many are
        started as there are jobs for, up to the pool's size)."""
        while jobs and len(running) < min(self.workers, len(jobs) + sum(1 for w in running if w.job)):
            running.append(self._start(task, context))
        for worker in list(running):
            while worker.job is None and jobs:
                k = self._choose(worker, running, jobs)
                if worker.give(jobs[k]):
                    worker.group = self._group(jobs[k][0])
                    del jobs[k]
                    # The job that has just come READ_AHEAD places from the head (with affinity
                    # one may be skipped or hinted twice: only a hint either way).
                    if self._ahead is not None and len(jobs) >= READ_AHEAD:
                        self._ahead(jobs[READ_AHEAD - 1][0])
                else:
                    worker.stop()
                    running.remove(worker)
                    worker = self._start(task, context)
                    running.append(worker)

    def _group(self, item):
        return None if self._affinity is None else self._affinity(item)

    def _choose(self, worker: _Worker, running: list[_Worker], jobs: deque) -> int:
        """Which job (its place in `jobs`) the idle `worker` takes: the first of its own group
        among the next AFFINITY_WINDOW, else the first there of no group another worker is
        running, else the first."""
        if self._affinity is None:
            return 0
        taken = {w.group for w in running if w is not worker and w.job is not None and w.group is not None}
        fallback = None
        for k in range(min(AFFINITY_WINDOW, len(jobs))):
            group = self._group(jobs[k][0])
            if group is not None and group == worker.group:
                return k
            if fallback is None and (group is None or group not in taken):
                fallback = k
        return 0 if fallback is None else fallback

    def _step(self, running: list[_Worker], jobs: deque, on_failure) -> list:
        """Wait for the next result, death or deadline; the outcomes it gives. Workers that
        were lost or killed are removed (_feed starts others)."""
        busy = [w for w in running if w.job]
        deadline = min(w.since + self.budgets.seconds + w.extra for w in busy)
        ready = wait([w.results for w in busy] + [w.process.sentinel for w in busy],
                     timeout=max(0.0, deadline - time.monotonic()) + 0.05)
        outcomes = []
        for worker in busy:
            item, attempts = worker.job
            if worker.results in ready or worker.results.poll():
                try:
                    kind, outcome = worker.results.recv()
                except (EOFError, OSError):  # it died (before or while sending)
                    kind, outcome = "lost", None
            elif worker.process.sentinel in ready:
                kind, outcome = "lost", None
            elif time.monotonic() - worker.since > self.budgets.seconds + worker.extra:
                kind, outcome = "time", None
            else:
                continue
            if kind == "extend":  # a scan: its pages' allowance, and the task goes on
                worker.extra += outcome
                continue
            worker.job = None
            if kind == "done":
                outcomes.append(outcome)
                continue
            if kind == "memory":  # MemoryError in the task; the worker is fine
                outcomes.append(on_failure(item, budgets.over_memory(self.budgets.memory)))
                continue
            if kind == "raised":  # the task raised: this report's error, the worker is fine
                outcomes.append(on_failure(item, outcome))
                continue
            if kind == "time":
                outcomes.append(on_failure(item, budgets.over_time(self.budgets.seconds + worker.extra)))
            elif attempts + 1 < self.attempts:  # lost: says nothing about the report, retried first
                jobs.appendleft((item, attempts + 1))
            else:
                outcomes.append(on_failure(item, budgets.lost(_death(worker.exit_code()), self.attempts)))
            worker.stop()
            running.remove(worker)
        return outcomes


def _death(code: int | None) -> str:
    """How a worker died, in Chinese (multiprocessing's exit code: negative for a signal)."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        cause = "被杀死，可能是系统内存不足" if -code == signal.SIGKILL else "崩溃"
        return f"工作进程被信号 {name} 终止（{cause}）"
    return f"工作进程意外退出（退出码 {code}）"
