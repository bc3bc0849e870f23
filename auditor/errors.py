"""Errors that reach people: one Chinese line naming the file and the cause."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class InputError(Exception):
    """A file the auditor cannot read. `str()` is the one-line Chinese message shown to people."""

    def __init__(self, path: str, cause: str):
        self.path = path
        self.cause = cause
        super().__init__(f"无法读取文件 {path}：{cause}")


def read_error_cause(exc: Exception) -> str:
    """The Chinese cause of a failed read of a settings file (configuration, baseline)."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return f"读取失败（系统错误号 {getattr(exc, 'errno', None)}）"


# --------------------------------------------------------------------------- writing

_WRITE_CAUSES = {
    errno.ENOENT: "所在目录不存在",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EISDIR: "这是一个目录",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名太长",
}


def write_error_cause(exc: OSError) -> str:
    """The Chinese cause of a failed write (the system's own text is English)."""
    return _WRITE_CAUSES.get(exc.errno, f"写入失败（系统错误号 {exc.errno}）")


def unwritable_cause(path: str | os.PathLike) -> str | None:
    """Why a file could not be written at `path`, checked before the work that produces it (so
    a run does not end with nowhere to put its result); None when it looks writable.

    Looks only, creates nothing: the write itself may still fail, and is reported the same way.
    """
    target = Path(path)
    if target.is_dir():
        return "这是一个目录"
    if target.exists():
        return None if os.access(target, os.W_OK) else "没有写入权限"
    parent = target.parent
    if not parent.exists():
        existing = next((p for p in parent.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            return f"{existing} 不是目录"
        return f"目录 {parent} 不存在"
    if not parent.is_dir():
        return f"{parent} 不是目录"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"没有在目录 {parent} 中写入的权限"
    return None
