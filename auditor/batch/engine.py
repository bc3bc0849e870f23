"""Where batch work runs: worker processes on this machine, or an existing Dask distributed cluster.

Both engines run `task(context, item)` for a list of items and yield the outcomes as they
complete (each is saved at once: one slow report holds back nobody). `context` is what every task
needs and is sent once per worker, not once per task: the rules, the baseline decisions, the
corpus index. Locally the workers are forked after the context exists, so they inherit it without
copying (pool.py); on Dask it is scattered to every worker and tasks refer to it.

Tasks never raise for a bad report (they return an outcome with the error). A task over its
time or memory budget, or whose worker was lost, gives no outcome: the engine passes a
budget.TaskFailure to `on_error(item, failure)`, whose outcome it yields instead — over budget is
the report's own error; a lost worker is retried first and then an infrastructure failure (see
budget.py). What an engine still raises is BatchEngineError: no worker at all, or the cluster gone.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from auditor.batch import budget as budgets
from auditor.batch.budget import Budgets, TaskFailure


class BatchEngineError(Exception):
    """Workers lost or the cluster unreachable; str() is one Chinese line."""


class LocalEngine:
    """Worker processes on this machine (pool.py); one per core by default."""

    def __init__(self, workers: int | None = None, budgets: Budgets = Budgets()):
        from auditor.batch.pool import Pool

        self.workers = max(1, workers or os.cpu_count() or 1)
        self.pool = Pool(self.workers, budgets)

    @property
    def description(self) -> str:
        return f"本机 {self.workers} 个工作进程"

    def map(self, task: Callable, context, items: Iterable, on_error: Callable,
            meanwhile: Callable | None = None, affinity: Callable | None = None,
            ahead: Callable | None = None) -> Iterator:
        """`meanwhile`: work for this process while the workers start on the items (once they
        are forked, so its effects are not inherited by these workers). `affinity`: item → group,
        the jobs of a group kept on one worker where it can; `ahead`: item → None, a job's files
        read ahead before a worker takes it (pool.py)."""
        from auditor.batch.pool import PoolError

        try:
            yield from self.pool.map(task, context, items, on_error, meanwhile=meanwhile, affinity=affinity,
                                     ahead=ahead)
        except PoolError as exc:
            raise BatchEngineError(f"{exc}；已完成的报告已保存，重新运行可续跑") from None

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- Dask

# On each Dask worker: the tasks of ours it is running, key → (worker address, start), so the
# client can find one stuck past its budget in a C call that Watch cannot interrupt.
_RUNNING: dict[str, tuple[str, float]] = {}
_RUNNING_LOCK = threading.Lock()


def _watched(task: Callable, context, item, limits: Budgets):
    """Runs on a Dask worker: the task under Watch; a TaskFailure when it was stopped."""
    from distributed import get_worker

    worker = get_worker()
    key = worker.get_current_task()
    with _RUNNING_LOCK:
        _RUNNING[key] = (worker.address, time.monotonic())
    def granted(seconds: float) -> None:  # a scan's more time, for the client's stuck check too
        with _RUNNING_LOCK:
            if key in _RUNNING:
                _RUNNING[key] = (_RUNNING[key][0], _RUNNING[key][1] + seconds)

    watch = budgets.Watch(limits, on_grant=granted)
    try:
        with watch:
            return task(context, item)
    except budgets.OverBudget:  # raised just as the task ended, past Watch's own handling
        pass
    except Exception as exc:  # tasks return a report's errors; this is a bug, still this report's
        return budgets.raised(exc)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.pop(key, None)
    return watch.failure


def _share_cores(processes_on_host: dict, dask_worker=None) -> int | None:
    """Runs on each Dask worker (Client.run): ONNX Runtime's threads for the OCR engine this
    worker process will make, its share of its machine's cores when several worker processes
    run there (every worker using every core only makes them fight over the cores, as with
    the local pool, pool.py); None (every core) for a worker alone on its machine."""
    from urllib.parse import urlparse

    from auditor.read import ocr

    host = urlparse(dask_worker.address).hostname if dask_worker is not None else None
    processes = processes_on_host.get(host, 1)
    ocr.threads = None if processes < 2 else max(1, (os.cpu_count() or 1) // processes)
    return ocr.threads


def _running_tasks(dask_worker=None) -> dict[str, float]:
    """Runs on a Dask worker (Client.run): seconds each of our tasks there has been running."""
    now = time.monotonic()
    with _RUNNING_LOCK:
        return {key: now - start for key, (address, start) in _RUNNING.items()
                if dask_worker is None or address == dask_worker.address}


class DaskEngine:
    """A Dask distributed cluster at `address` (tcp://host:port): the scheduler spreads the
    tasks over its workers. Reports are sent as bytes, so workers need no shared filesystem.

    The same budgets as locally, as far as Dask allows: Watch stops a task over its time or over
    the memory budget (the worker's growth while it ran) once it runs Python code again; one
    stuck in a C call past its time (plus GRACE) is found here, cancelled and its worker
    restarted (when it has a nanny). A worker the cluster kills for memory is a lost worker. A
    task that fails because a worker or the connection was lost (KilledWorker, CommClosedError,
    a timeout) is submitted again, up to `attempts` times, then an infrastructure failure.
    """

    POLL = 0.05  # seconds between looks at the futures
    GRACE = 10.0  # seconds past its budget before a task counts as stuck in a C call
    PROBE = 5.0  # seconds between asking the workers how long their tasks have run
    SCATTER_TIMEOUT = 120  # seconds to place the context (a corpus index of hundreds of MB)

    def __init__(self, address: str, budgets: Budgets = Budgets(), in_flight_per_thread: int = 4,
                 connect_timeout: int = 10, attempts: int = budgets.ATTEMPTS, client=None):
        if client is None:
            try:
                from distributed import Client
            except ImportError:
                raise BatchEngineError("使用 --scheduler 需要安装 Dask distributed："
                                       "pip install 'auditor[dask]'") from None
            try:
                client = Client(address, timeout=f"{connect_timeout}s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise BatchEngineError(f"无法连接 Dask 调度器 {address}（{exc}）") from None
        self.client = client
        self.address = address
        self.budgets = budgets
        self.attempts = attempts
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, threads * in_flight_per_thread)
        self.threads = threads

    @property
    def description(self) -> str:
        return f"Dask 集群 {self.address}（{self.threads} 个线程）"

    def map(self, task: Callable, context, items: Iterable, on_error: Callable,
            meanwhile: Callable | None = None, affinity: Callable | None = None,
            ahead: Callable | None = None) -> Iterator:
        # `meanwhile` is for warming local forks; the cluster's workers warm themselves.
        # `affinity` and `ahead` are for the local pool: here the scheduler places the tasks,
        # on machines whose files this process does not see.
        # A bounded window of tasks in flight: the scheduler never holds the whole corpus.
        self.share_cores()
        shared = self._scatter(context)
        items = iter(items)
        end = object()
        retry: deque = deque()  # (item, attempts) of tasks to submit again
        flying: dict = {}  # future → (item, attempts, submitted at)
        probed = time.monotonic()
        losses = 0
        try:
            while True:
                if retry and shared.status != "finished":
                    # Every worker holding the context died (scattered data cannot be
                    # recomputed): the tasks waiting for it were cancelled. Send it again.
                    losses += 1
                    if losses > self.attempts:
                        raise self._gone(None)
                    shared = self._scatter(context)
                while len(flying) < self.window:
                    if retry:
                        item, attempts = retry.popleft()
                    else:
                        item, attempts = next(items, end), 0
                        if item is end:
                            break
                    flying[self._submit(task, shared, item)] = (item, attempts, time.monotonic())
                if not flying:
                    return
                done = [future for future in flying if future.done()]
                if not done:
                    if time.monotonic() - probed > self.PROBE:
                        probed = time.monotonic()
                        yield from self._stuck(flying, on_error)
                    time.sleep(self.POLL)
                    continue
                for future in done:
                    item, attempts, _ = flying.pop(future)
                    outcome = self._outcome(future, item, attempts, shared, retry, on_error)
                    if outcome is not None:
                        yield outcome
        finally:
            try:
                self.client.cancel(list(flying) + [shared])
            except Exception:  # noqa: BLE001 — the cluster may be gone; nothing left to cancel
                pass

    def share_cores(self) -> dict:
        """Each worker's ONNX Runtime threads set to its share of its machine's cores (the
        worker processes per machine counted from the scheduler's list), before any task
        makes the OCR engine; worker address → threads. Nothing when the cluster cannot say."""
        from collections import Counter
        from urllib.parse import urlparse

        try:
            workers = self.client.scheduler_info()["workers"]
            hosts = Counter(info.get("host") or urlparse(address).hostname for address, info in workers.items())
            return self.client.run(_share_cores, dict(hosts))
        except Exception:  # noqa: BLE001 - an engine without the setting still reads every scan
            return {}

    def _scatter(self, context):
        """The context on a worker (the others fetch it from there when their first task needs
        it). Not broadcast: a broadcast to a worker that just died waits on it for minutes. A
        worker lost during the scatter is tried again."""
        cause = None
        for attempt in range(self.attempts):
            try:
                [shared] = self.client.scatter([context], hash=False, timeout=self.SCATTER_TIMEOUT)
                return shared
            except Exception as exc:  # noqa: BLE001 — any failure here is the cluster's
                cause = exc
                if self.client.status not in ("running", "connecting"):
                    break
                time.sleep(1 + attempt)
        raise self._gone(cause)

    def _submit(self, task, shared, item):
        try:
            return self.client.submit(_watched, task, shared, item, self.budgets, pure=False)
        except Exception as exc:  # noqa: BLE001
            raise self._gone(exc) from None

    def _outcome(self, future, item, attempts: int, shared, retry: deque, on_error: Callable):
        """The outcome of a finished future; None when its task is to be tried again."""
        cause = None
        if future.status == "finished":
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 — lost fetching the result
                cause = exc
            else:
                return on_error(item, result) if isinstance(result, TaskFailure) else result
        elif future.status == "error":
            cause = future.exception()  # our tasks return errors: an exception is the cluster's
        if self.client.status not in ("running", "connecting"):
            raise self._gone(cause)
        if future.status == "cancelled" and shared.status != "finished":
            retry.append((item, attempts))  # cancelled with the lost context: not this task's try
            return None
        if attempts + 1 < self.attempts:
            retry.append((item, attempts + 1))
            return None
        what = f"Dask 集群故障（{type(cause).__name__ if cause else future.status}）"
        return on_error(item, budgets.lost(what, self.attempts))

    def _stuck(self, flying: dict, on_error: Callable) -> list:
        """Tasks running past their budget plus GRACE (stuck where Watch cannot reach): each is
        recorded as over time, cancelled, and its worker restarted to free the thread."""
        limit = self.budgets.seconds + self.GRACE
        now = time.monotonic()
        if not any(now - submitted > limit for _, _, submitted in flying.values()):
            return []
        try:
            running = self.client.run(_running_tasks)
        except Exception:  # noqa: BLE001 — a worker that does not answer: try again later
            return []
        by_key = {future.key: future for future in flying}
        outcomes, restart = [], []
        for address, tasks in running.items():
            for key, seconds in tasks.items():
                future = by_key.get(key)
                if future is not None and seconds > limit:
                    item, _, _ = flying.pop(future)
                    future.cancel()
                    outcomes.append(on_error(item, budgets.over_time(self.budgets.seconds)))
                    restart.append(address)
        if restart:
            try:
                self.client.restart_workers(sorted(set(restart)), raise_for_error=False)
            except Exception:  # noqa: BLE001 — without a nanny it cannot be restarted
                pass
        return outcomes

    def _gone(self, cause) -> BatchEngineError:
        return BatchEngineError(f"与 Dask 调度器 {self.address} 的连接中断"
                                f"（{type(cause).__name__ if cause else '连接已关闭'}）；"
                                "已完成的报告已保存，重新运行可续跑")

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 — closing a connection that is already gone
            pass
