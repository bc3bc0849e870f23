"""The files of a batch's next jobs, read ahead of the workers.

At scale, a file a task reads was last touched minutes before: every input was hashed at the
start, and each report's parse-cache entry was written in the parse stage. By the time a worker
needs it the kernel may have dropped it from memory, under memory pressure, or proactively, as
virtual machines that page out file cache unused for a minute do (this project's do). The worker
then waits on the disk with its core idle. Asking the kernel for the files of the next few jobs
(posix_fadvise WILLNEED: it starts the reads and returns) overlaps that wait with the work before
them; a file still in memory costs an open and a close.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable

# No more of a file than this is asked for: more than any format's size limit (auditor/read
# MAX_BYTES), so a stray 10 GB file among the reports does not flood memory with its pages.
AHEAD_BYTES = 64 << 20


def read_ahead(paths: Iterable[str | os.PathLike]) -> None:
    """Ask the kernel to start reading these regular files into memory. Anything else (a FIFO,
    a missing file, a platform without posix_fadvise) is left alone: it is only a hint."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(handle).st_mode):
                advise(handle, 0, AHEAD_BYTES, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(handle)
