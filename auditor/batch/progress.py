"""What a batch tells the person waiting for it, on stderr.

On a terminal: one line, redrawn in place for the whole run — a spinner and a status while
something without steps runs (loading the models takes seconds before the first report is
done), then for each stage (解析, 审核) a bar with the count, the rate and the time left. A
stage takes over the same line instead of adding one, and messages (a file that could not be
read) are printed above it.

Anywhere else (a log file, CI): plain lines, sparse — a stage's start, at most one line per
tenth of it and never two within `interval` seconds, and its end with the rate and the time it
took. A redrawn bar or a line per few files would bury everything else in the log.
"""

from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    def __init__(self, stream=None, *, interval: float = 30.0, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.interval = interval
        if live is None:
            live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.what, self.total, self.done = "", 0, 0
        self.started = time.monotonic()
        self._printed_at, self._printed_done = self.started, 0
        self._bar = self._task = None
        if live:
            self._start_bar()

    # ----------------------------------------------------------------- the terminal line

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, ProgressColumn, SpinnerColumn, TextColumn
        from rich.text import Text

        owner = self

        class Numbers(ProgressColumn):
            # Rendered by rich's refresh thread: elapsed time, rate and ETA keep moving while
            # the main thread is busy (loading models) between steps.
            def render(self, task):
                return Text(owner._numbers())

        # A narrow bar: the whole line fits 80 columns (a wrapped line cannot be redrawn in place).
        self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=24), Numbers(),
                        console=Console(file=self.stream, highlight=False), transient=True,
                        redirect_stdout=False, redirect_stderr=False)
        self._bar.start()

    def _show(self, description: str, total: int | None) -> None:
        """The one line now shows this phase: its task replaces the previous one."""
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(description, total=total)

    def _numbers(self) -> str:
        elapsed = f"已用 {_clock(time.monotonic() - self.started)}"
        if not self.total:
            return elapsed
        if not self.done:  # no rate yet to tell the time left from
            return f"0/{self.total}  {elapsed}"
        rate = self.rate
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "--:--"
        return f"{self.done}/{self.total}  {rate:.1f} 份/秒  预计还需 {eta}"

    # ----------------------------------------------------------------- what the batch calls

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def status(self, text: str) -> None:
        """A phase without steps (loading models): shown until the next status or stage."""
        self.what, self.total, self.done, self.started = text, 0, 0, time.monotonic()
        if self._bar is not None:
            self._show(text, None)
        else:
            self._line(text)

    def stage(self, what: str, total: int, waiting: str | None = None) -> None:
        """A phase of `total` steps. `waiting`: what holds up its first step (shown until then)."""
        self.what, self.total, self.done = what, total, 0
        self.started = self._printed_at = time.monotonic()
        self._printed_done = 0
        if self._bar is not None:
            self._show(f"{what}（{waiting}）" if waiting else what, total)
        else:
            self._line(f"{what}：共 {total} 份" + (f"（{waiting}）" if waiting else ""))

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.done == self.total:  # a stage's totals stay on screen (and in the log)
            self.note(f"{self.what}：完成 {self.done} 份，{self.rate:.1f} 份/秒，用时 {_clock(now - self.started)}")
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, description=self.what)
        elif (self.done < self.total and self.done - self._printed_done >= max(1, self.total / 10)
              and now - self._printed_at >= self.interval):
            self._line(f"{self.what}：{self.done}/{self.total}，{self.rate:.1f} 份/秒，"
                       f"预计还需 {_clock((self.total - self.done) / self.rate)}")
            self._printed_at, self._printed_done = now, self.done

    def note(self, text: str) -> None:
        """A message that stays (above the bar on a terminal)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self._line(text)

    def close(self) -> None:
        """Take the line away (each stage's totals were printed above it) and give the terminal
        back."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
