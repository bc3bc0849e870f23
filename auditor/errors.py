"""Errors that reach people: one Chinese line naming the file and the cause."""

from __future__ import annotations


class InputError(Exception):
    """A file the auditor cannot read. `str()` is the one-line Chinese message shown to people."""

    def __init__(self, path: str, cause: str):
        self.path = path
        self.cause = cause
        super().__init__(f"无法读取文件 {path}：{cause}")
