"""What one batch task may spend — wall time and memory — and what becomes of a task that gives
no outcome.

A pathological report (a table whose digits take forever to split, a decompression bomb) must
cost the batch that one report, not the run: a task over its budget is stopped and recorded as
that report's error (in Chinese), and the batch goes on. How a task is stopped depends on where
it runs:
- in a local worker process (pool.py): the parent kills a worker whose task is over its time and
  starts another;
- a scan gets more time: before OCR, a task announces its pages (ocr.on_pages → `granting`), and
  its budget grows by `ocr_page_seconds` for each (30 s; the base of 120 s stops a scan of more
  than about 5 pages on a loaded machine); the memory budget is an address-space limit (RLIMIT_AS) set in the worker, the
  memory it had when it started plus the budget, so an allocation beyond it fails with
  MemoryError inside the task instead of the machine running out;
- on a Dask worker (engine.py), which runs tasks in threads that cannot be killed: `Watch` raises
  an exception in the task's thread when it is over its time, or when the worker's resident
  memory grew by more than the budget since the task began. That exception lands only when the
  thread runs Python code; a task stuck inside one C call is found by the client (engine.py)
  and its worker restarted. A worker that the cluster itself kills for memory is lost, not over
  budget (see TaskFailure).

A lost worker (killed, crashed, a broken connection to the cluster) says nothing about the report
it was running: such a task is retried a few times and, if it still fails, recorded with the
status "infrastructure", which a rerun retries and the summary counts — never as the report's own
error.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_SECONDS = 120.0
# More time for each page a task OCRs (a scan), on top of the base: a page takes 10–30 s on one
# core of a loaded machine, and a 5-page scan would overrun the base alone.
OCR_PAGE_SECONDS = 30.0
DEFAULT_MEMORY = 2 << 30  # bytes
# Attempts of a task whose worker was lost before it is recorded as an infrastructure failure.
ATTEMPTS = 3


@dataclass(frozen=True)
class Budgets:
    seconds: float = DEFAULT_SECONDS  # wall time of one task
    memory: int = DEFAULT_MEMORY  # bytes one task may add to its worker
    ocr_page_seconds: float = OCR_PAGE_SECONDS  # more wall time for each page the task OCRs


# --------------------------------------------------------------------------- scans: more time

_granting = threading.local()


def _grant_pages(pages: int) -> None:
    """ocr.on_pages: a task about to OCR `pages` pages asks the budget of its thread for more time."""
    grant = getattr(_granting, "grant", None)
    if grant is not None:
        grant(pages)


@contextmanager
def granting(grant: Callable[[int], None]):
    """While the block runs a task in this thread, OCR it announces calls grant(pages): the one
    running the task (pool.py's worker, Watch on Dask) extends its time budget by the pages'
    allowance. The OCR module is imported for its hook only (it loads no engine)."""
    from auditor.read import ocr

    ocr.on_pages = _grant_pages
    previous = getattr(_granting, "grant", None)
    _granting.grant = grant
    try:
        yield
    finally:
        _granting.grant = previous


@dataclass(frozen=True)
class TaskFailure:
    """A task that gave no outcome. kind: "time" or "memory" (over its budget: the report's own
    error, kept until the budget is raised), "error" (the task raised — a bug, but this
    report's: kept like any error) or "infrastructure" (its worker was lost)."""

    kind: str
    cause: str  # one Chinese clause, without the file name


def over_time(seconds: float) -> TaskFailure:
    return TaskFailure("time", f"处理超过时间预算（{seconds:g} 秒），已停止；可用 --time-budget 放宽")


def over_memory(memory: int) -> TaskFailure:
    return TaskFailure("memory", f"处理超过内存预算（{format_size(memory)}），已停止；可用 --memory-budget 放宽")


def raised(exc: BaseException) -> TaskFailure:
    from auditor.filenames import shown

    return TaskFailure("error", f"处理失败（{type(exc).__name__}: {shown(str(exc))}）")


def lost(what: str, attempts: int = ATTEMPTS) -> TaskFailure:
    return TaskFailure("infrastructure", f"{what}，尝试 {attempts} 次仍未完成；不是报告本身的问题，重新运行会重试")


# --------------------------------------------------------------------------- sizes

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)I?B?\s*$", re.I)
_UNITS = {"": 1 << 20, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(value) -> int | None:
    """Bytes of "2GB", "512MB", "1.5G" or a number of MB (2048); None when it is not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    match = _SIZE.match(str(value))
    if not match:
        return None
    size = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    return size if size > 0 else None


def format_size(size: int) -> str:
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20)):
        if size >= factor:
            return f"{size / factor:g}{unit}" if size % (factor // 1024) == 0 else f"{size / factor:.1f}{unit}"
    return f"{max(1, size >> 10)}KB"


# --------------------------------------------------------------------------- local workers


def _vm_size() -> int | None:
    """This process's address space, bytes (Linux); None elsewhere."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def limit_memory(memory: int) -> None:
    """In a worker: allocations beyond what it has now plus `memory` fail with MemoryError.

    The address space rather than resident memory, because only it can be limited before the
    memory is taken; it counts what the forked worker shares with its parent (the models),
    hence "what it has now plus". Where it cannot be read (not Linux) there is no limit.
    """
    size = _vm_size()
    if size is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + memory if hard == resource.RLIM_INFINITY else min(hard, size + memory)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# --------------------------------------------------------------------------- Dask workers


class OverBudget(BaseException):
    """Raised into a task's thread by Watch. A BaseException: the tasks catch Exception to
    record a bad report, and must not catch this."""


def _resident() -> int | None:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class Watch:
    """Watch the task running in this thread: over `budgets`, raise OverBudget in it.

        with Watch(budgets) as watch:
            outcome = task(...)
        ... watch.failure: the TaskFailure when it was stopped
    """

    POLL = 0.25  # seconds between looks at the memory

    def __init__(self, budgets: Budgets, on_grant: Callable[[float], None] | None = None):
        self.budgets = budgets
        self.on_grant = on_grant  # told the seconds a scan added (the client's own watch)
        self.extra = 0.0  # seconds granted for OCR pages
        self.failure: TaskFailure | None = None
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True, name="auditor-budget")

    def __enter__(self) -> "Watch":
        self._started = time.monotonic()
        self._baseline = _resident()
        self._granting = granting(self._grant)
        self._granting.__enter__()
        self._watcher.start()
        return self

    def _grant(self, pages: int) -> None:
        seconds = pages * self.budgets.ocr_page_seconds
        with self._lock:
            self.extra += seconds
        if self.on_grant is not None:
            self.on_grant(seconds)

    def _watch(self) -> None:
        while not self._done.wait(self.POLL):
            failure = None
            with self._lock:
                allowed = self.budgets.seconds + self.extra
            if time.monotonic() - self._started > allowed:
                failure = over_time(allowed)
            elif self._baseline is not None:
                now = _resident()
                if now is not None and now - self._baseline > self.budgets.memory:
                    failure = over_memory(self.budgets.memory)
            if failure is not None:
                with self._lock:
                    if not self._done.is_set():
                        self.failure = failure
                        _raise_in(self._thread, OverBudget)
                return

    def __exit__(self, kind, value, traceback) -> bool:
        self._granting.__exit__(None, None, None)
        with self._lock:
            self._done.set()
            if self.failure is not None:
                _raise_in(self._thread, None)  # not raised yet (the task just ended): cancel it
        if kind is MemoryError and self.failure is None:
            self.failure = over_memory(self.budgets.memory)
        return kind is OverBudget or kind is MemoryError


def _raise_in(thread: int, exception) -> None:
    """Make `exception` (None: cancel a pending one) raised in `thread` at its next Python step."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                               ctypes.py_object(exception) if exception else None)
