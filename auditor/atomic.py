"""Output files written whole or not at all.

A write that fails halfway (a full disk, Ctrl-C, a killed process) must not leave half a page, an
index cut off in the middle or a truncated CSV where the last good one was: each file is written
beside its target (`<name>.tmp`) and renamed over it only when complete. On any failure the .tmp
file is removed and the target is as it was; the error is the caller's to report.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_open(path: str | os.PathLike, *, encoding: str = "utf-8", newline: str | None = None):
    """A text file handle that becomes `path` when the block ends without an error."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open(tmp, "w", encoding=encoding, newline=newline) as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:  # Ctrl-C in the middle of the write leaves no half file behind either
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the error that got us here is the one to report
        raise


def write_atomic(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> None:
    with atomic_open(path, encoding=encoding) as handle:
        handle.write(text)
