"""Plain text and markdown reports (pdftotext layouts, crawler page text, OCR markdown)."""

from __future__ import annotations

from auditor.model import SourceText, TextBlock
from auditor.read.encoding import decode_bytes


def read_text(path: str, fmt: str, data: bytes) -> SourceText:
    text, encoding = decode_bytes(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    blocks = tuple(TextBlock(page_text, page=i + 1 if len(pages) > 1 else None)
                   for i, page_text in enumerate(pages) if page_text.strip())
    if not blocks:
        from auditor.errors import InputError
        raise InputError(path, "文件里没有文字内容")
    return SourceText(path=path, format=fmt, encoding=encoding, blocks=blocks)
