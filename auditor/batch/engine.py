"""Where batch work runs: worker processes on this machine, or an existing Dask distributed cluster.

Both engines run `task(context, item)` for a list of items and yield the results in item order.
`context` is what every task needs and is sent once per worker, not once per task: the rules,
the baseline decisions, the corpus index. Locally the pool is forked after the context exists,
so workers inherit it without copying (elsewhere it is pickled once into each worker); on Dask it
is scattered to every worker and tasks refer to it.

Tasks never raise for a bad report (they return an outcome with the error); what an engine can
still raise is the loss of a worker, reported as BatchEngineError.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial


class BatchEngineError(Exception):
    """Workers lost or the cluster unreachable; str() is one Chinese line."""


_CONTEXT = None  # the context of the current local pool, in each worker process


def _init_local_worker(context, parent: int) -> None:
    global _CONTEXT
    _CONTEXT = context
    # Ctrl-C goes to the whole process group: only the parent reacts (it cancels the pool), so
    # workers don't each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


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


def _call_local(task: Callable, item):
    return task(_CONTEXT, item)


def _start_method():
    # fork shares the context (a corpus index of hundreds of MB) with the workers for free;
    # where fork is unsafe or missing, the default method pickles it once per worker.
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class LocalEngine:
    """A process pool on this machine; one process per core by default, 1 = in this process."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)

    @property
    def description(self) -> str:
        return f"本机 {self.workers} 个进程" if self.workers > 1 else "本机单进程"

    def map(self, task: Callable, context, items: Iterable, on_error: Callable | None = None,
            meanwhile: Callable | None = None) -> Iterator:
        """`meanwhile`: work for this process while the workers start on the items (once the
        pool is forked, so its effects are not inherited by these workers)."""
        items = list(items)
        if self.workers <= 1 or len(items) <= 1:
            if meanwhile is not None:
                meanwhile()
            for item in items:
                yield task(context, item)
            return
        # Small chunks: an interrupt waits for at most a chunk per worker.
        chunksize = max(1, min(8, len(items) // (self.workers * 16)))
        # Objects that exist at the fork (the corpus index, every parsed report) are never garbage:
        # frozen, the workers' collector neither walks them (time) nor writes their headers
        # (copy-on-write would give each worker its own copy of the pages).
        gc.freeze()
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_start_method(),
                                   initializer=_init_local_worker, initargs=(context, os.getpid()))
        try:
            results = pool.map(partial(_call_local, task), items, chunksize=chunksize)
            if meanwhile is not None:
                meanwhile()
            yield from results
        except BrokenProcessPool as exc:
            raise BatchEngineError(f"工作进程意外退出（{exc}）；已完成的报告已保存，重新运行可续跑") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()

    def close(self) -> None:
        pass


class DaskEngine:
    """A Dask distributed cluster at `address` (tcp://host:port): the scheduler spreads the
    tasks over its workers. Reports are sent as bytes, so workers need no shared filesystem."""

    def __init__(self, address: str, in_flight_per_thread: int = 4, connect_timeout: int = 10):
        try:
            from distributed import Client
        except ImportError:
            raise BatchEngineError("使用 --scheduler 需要安装 Dask distributed："
                                   "pip install 'auditor[dask]'") from None
        try:
            self.client = Client(address, timeout=f"{connect_timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise BatchEngineError(f"无法连接 Dask 调度器 {address}（{exc}）") from None
        self.address = address
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, threads * in_flight_per_thread)
        self.threads = threads

    @property
    def description(self) -> str:
        return f"Dask 集群 {self.address}（{self.threads} 个线程）"

    def map(self, task: Callable, context, items: Iterable, on_error: Callable | None = None,
            meanwhile: Callable | None = None) -> Iterator:
        # `meanwhile` is for warming local forks; the cluster's workers warm themselves.
        # A bounded window of tasks in flight: the scheduler never holds the whole corpus.
        [shared] = self.client.scatter([context], broadcast=True, hash=False)
        pending: deque = deque()
        try:
            for item in items:
                pending.append((item, self.client.submit(task, shared, item, pure=False)))
                if len(pending) >= self.window:
                    yield self._result(*pending.popleft(), on_error)
            while pending:
                yield self._result(*pending.popleft(), on_error)
        finally:
            self.client.cancel([future for _, future in pending] + [shared])

    @staticmethod
    def _result(item, future, on_error):
        try:
            return future.result()
        except Exception as exc:  # a worker died under this task (KilledWorker) or similar
            if on_error is None:
                raise BatchEngineError(f"Dask 任务失败（{type(exc).__name__}: {exc}）") from None
            return on_error(item, exc)

    def close(self) -> None:
        self.client.close()
