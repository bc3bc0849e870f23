"""Progress of a batch stage on stderr: a live bar with rate and ETA on a terminal, one line per
5% otherwise (logs and CI keep a readable record instead of a screenful of redraws)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, what: str, total: int, stream=None):
        self.what, self.total, self.done = what, total, 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.every = max(1, total // 20)
        self._bar = None
        if total > 0 and getattr(self.stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                       TimeRemainingColumn)

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} 份/秒"), TextColumn("预计还需"), TimeRemainingColumn(),
                            console=Console(file=self.stream), transient=False)
            self._task = self._bar.add_task(what, total=total, rate="0.0")
            self._bar.start()

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.start, 1e-9)

    def step(self) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1, rate=f"{self.rate:.1f}")
            if self.done >= self.total:
                self.close()
            return
        if self.done % self.every and self.done != self.total:
            return
        rate = self.rate
        eta = (self.total - self.done) / rate if rate else 0
        print(f"{self.what}：{self.done}/{self.total}，{rate:.1f} 份/秒，预计还需 {eta:.0f} 秒",
              file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
