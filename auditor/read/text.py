"""Plain text and markdown reports (pdftotext layouts, crawler page text, OCR markdown)."""

from __future__ import annotations

from auditor.model import SourceText, TextBlock
from auditor.read.encoding import decode_report
from auditor.traced import Traced


def read_text(path: str, fmt: str, data: bytes) -> SourceText:
    decoded = decode_report(path, data)
    # Each character keeps its offset in the decoded file: findings point at lines and columns
    # of the file, not of the normalized text.
    text = Traced.at(decoded.text, 0).replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    blocks = tuple(TextBlock(page.text, page=i + 1 if len(pages) > 1 else None, origins=tuple(page.pos))
                   for i, page in enumerate(pages) if page.text.strip())
    if not blocks:
        from auditor.errors import InputError
        raise InputError(path, "文件里没有文字内容")
    return SourceText(path=path, format=fmt, encoding=decoded.encoding, blocks=blocks, positions="text",
                      notes=decoded.notes)
