"""Reading a file's bytes without trusting what the file system says about it.

A report path may be a symlink to /dev/zero (stat size 0, endless content), a FIFO (opening it
waits for a writer), a directory or a file under /proc (size 0, content made up as it is read).
Only regular files are read, after following symlinks, and never more than `limit` + 1 bytes
whatever their stated size: a file that turns out longer than the limit is refused, not read.

`read_regular_file` is the one way the auditor reads a report (or any input file it hashes or
compares) from disk; `open_regular_file` gives the checked, open file to callers that stream it
(a batch hashing its inputs).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from auditor.errors import InputError

CHUNK = 1 << 20

_KINDS = ((stat.S_ISDIR, "这是一个目录，不是文件"),
          (stat.S_ISCHR, "这是一个字符设备（如 /dev/zero），不是普通文件"),
          (stat.S_ISBLK, "这是一个块设备，不是普通文件"),
          (stat.S_ISFIFO, "这是一个命名管道（FIFO），不是普通文件"),
          (stat.S_ISSOCK, "这是一个套接字，不是普通文件"))


class FileTooLarge(InputError):
    """Raised by read_regular_file when the file holds more than `limit` bytes."""

    def __init__(self, path: str, cause: str, size: int):
        super().__init__(path, cause)
        self.size = size


def not_regular_cause(mode: int) -> str | None:
    """Why a file of this st_mode is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((cause for test, cause in _KINDS if test(mode)), "不是普通文件")


@contextlib.contextmanager
def open_regular_file(path: str) -> Iterator[BinaryIO]:
    """The file at `path` (symlinks followed), opened for reading, if it is a regular file.

    O_NONBLOCK keeps a FIFO from blocking the open (it is then refused by its type); the flag
    means nothing for a regular file. Errors are InputErrors with one Chinese line.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "文件不存在") from None
    except IsADirectoryError:
        raise InputError(path, "这是一个目录，不是文件") from None
    except PermissionError:
        raise InputError(path, "没有读取权限") from None
    except OSError as exc:
        raise InputError(path, _os_cause(exc)) from None
    try:
        cause = not_regular_cause(os.fstat(fd).st_mode)
    except OSError as exc:
        os.close(fd)
        raise InputError(path, _os_cause(exc)) from None
    if cause:
        os.close(fd)
        raise InputError(path, cause)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        yield handle


def read_regular_file(path: str, limit: int, too_large=None) -> bytes:
    """At most `limit` bytes of the regular file at `path`; FileTooLarge when it holds more.

    `too_large(size)` words the refusal (size is a lower bound when the file lied about it).
    """
    with open_regular_file(path) as handle:
        return read_bounded(handle, path, limit, too_large)


def read_bounded(handle: BinaryIO, path: str, limit: int, too_large=None) -> bytes:
    """The rest of an open regular file, refused (FileTooLarge) beyond `limit` bytes.

    The stated size is only a first answer (refused at once when already too large): the read
    itself stops at limit + 1 bytes, so a file that grows or lies about its size costs no more.
    """
    describe = too_large or (lambda size: f"文件过大（超过 {limit >> 20} MB 的上限），已拒绝处理")
    try:
        stated = os.fstat(handle.fileno()).st_size
        if stated > limit:
            raise FileTooLarge(path, describe(stated), stated)
        chunks, total = [], 0
        while total <= limit:
            chunk = handle.read(min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(path, _os_cause(exc)) from None
    if total > limit:
        raise FileTooLarge(path, describe(total), total)
    return b"".join(chunks)


_READ_CAUSES = {
    errno.ELOOP: "符号链接循环，找不到真正的文件",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.ENXIO: "不是普通文件（设备或套接字）",
    errno.EIO: "磁盘读取出错",
}


def _os_cause(exc: OSError) -> str:
    # The system's own text is English: the common causes in Chinese, the rest by number.
    return _READ_CAUSES.get(exc.errno, f"读取失败（系统错误号 {exc.errno}）")
