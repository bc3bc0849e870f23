"""What reading one PDF may cost: bytes decoded from its streams, objects laid out on its pages.

pdfminer decodes every stream it needs (page contents, fonts, object streams) whole, with no
limit: a 2 MB file holding a Flate "bomb" inflates to gigabytes (2.1 GB measured), RunLength
repeats a byte up to 128 times, LZW expands further still. pdfminer offers no setting for this,
so the decoders its PDFStream.decode calls by name (`zlib.decompress`, `decompress_corrupted`,
`lzwdecode`, `rldecode` in pdfminer.pdftypes) are replaced with ones that stop once the output
passes what is left of the budget.

The budget is set by `limits()` around the reading of one document: at most MAX_PAGE_BYTES
decoded while a page is read (its content streams, the fonts and forms it is the first to use)
and MAX_DOCUMENT_BYTES for the whole file. Outside `limits()` (no budget) the decoders behave as
pdfminer's own, except that they are linear: pdfminer's fallback for a damaged Flate stream
concatenates bytes one input byte at a time. The budget lives in a ContextVar, so threads (a
Dask worker's) each have their own.

Real reports decode to 1–2 MB in all (1.1 MB for the largest page, fonts included).

Decoded bytes are not the whole cost: a 900-byte file whose one page shows a string of 300,000
characters takes pdfminer and pdfplumber 18 s and 730 MB (about 2.4 KB per character laid
out). So the layout objects (characters, paths, images) made are counted too, MAX_PAGE_OBJECTS
per page and MAX_DOCUMENT_OBJECTS in all, where pdfminer's layout device makes them
(PDFLayoutAnalyzer.render_char, paint_path, render_image). Real report pages have 50–1,000.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_PAGE_BYTES = 16 << 20
MAX_DOCUMENT_BYTES = 64 << 20
MAX_PAGE_OBJECTS = 50_000
MAX_DOCUMENT_OBJECTS = 250_000
_CHUNK = 1 << 16


class LimitExceeded(Exception):
    """A limit of the budget was passed; `Budget.exceeded` keeps the Chinese cause, because
    pdfminer and pdfplumber catch or wrap exceptions on their way up."""


@dataclass
class Budget:
    # The limits are read when a budget is made (not when the module is), so tests can lower them.
    document_left: int = field(default_factory=lambda: MAX_DOCUMENT_BYTES)
    page: int | None = None  # the page being read, when one is
    page_left: int = field(default_factory=lambda: MAX_PAGE_BYTES)
    document_objects_left: int = field(default_factory=lambda: MAX_DOCUMENT_OBJECTS)
    page_objects_left: int = field(default_factory=lambda: MAX_PAGE_OBJECTS)
    exceeded: str | None = None  # the cause, in Chinese, once a limit was passed

    def start_page(self, number: int) -> None:
        self.page, self.page_left, self.page_objects_left = number, MAX_PAGE_BYTES, MAX_PAGE_OBJECTS

    def end_page(self) -> None:
        self.page = None

    def left(self) -> int:
        return min(self.document_left, self.page_left) if self.page is not None else self.document_left

    def charge(self, size: int) -> None:
        self.document_left -= size
        if self.page is not None:
            self.page_left -= size
            if self.page_left < 0:
                self._exceed(f"PDF 第 {self.page} 页的内容解压后超过 {MAX_PAGE_BYTES >> 20} MB")
        if self.document_left < 0:
            self._exceed(f"PDF 的内容解压后超过 {MAX_DOCUMENT_BYTES >> 20} MB")

    def count_object(self) -> None:
        """One character, path or image laid out."""
        self.document_objects_left -= 1
        self.page_objects_left -= 1
        if self.page is not None and self.page_objects_left < 0:
            self._exceed(f"PDF 第 {self.page} 页的文字和图形超过 {MAX_PAGE_OBJECTS} 个")
        if self.document_objects_left < 0:
            self._exceed(f"PDF 的文字和图形超过 {MAX_DOCUMENT_OBJECTS} 个")

    def _exceed(self, cause: str) -> None:
        if self.exceeded is None:
            self.exceeded = cause + "，不像一份年度报告，已拒绝处理"
        raise LimitExceeded(self.exceeded)


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("auditor_pdf_budget", default=None)


@contextlib.contextmanager
def limits() -> Iterator[Budget]:
    """Decode streams within a fresh budget while the block runs."""
    _install()
    budget = Budget()
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


@contextlib.contextmanager
def page(budget: Budget, number: int) -> Iterator[None]:
    """Charge what is decoded in the block to page `number` as well."""
    budget.start_page(number)
    try:
        yield
    finally:
        budget.end_page()


class _Output:
    """Decoded bytes collected up to the budget (unbounded when there is none)."""

    def __init__(self):
        self.budget = _budget.get()
        self.parts: list[bytes] = []

    def room(self) -> int:
        """How many more bytes may come out (0 means no limit: zlib's max_length convention)."""
        return 0 if self.budget is None else max(1, self.budget.left() + 1)

    def add(self, data: bytes) -> None:
        if data:
            if self.budget is not None:
                self.budget.charge(len(data))
            self.parts.append(data)

    def value(self) -> bytes:
        return b"".join(self.parts)

    def refund(self) -> None:
        """Give back what was charged: the output is thrown away (and decoded again otherwise)."""
        if self.budget is not None:
            self.budget.document_left += sum(map(len, self.parts))
            if self.budget.page is not None:
                self.budget.page_left += sum(map(len, self.parts))


def inflate(data: bytes) -> bytes:
    """zlib.decompress, stopping at the budget; zlib.error for a damaged stream, as zlib."""
    out = _Output()
    decompressor = zlib.decompressobj()
    pending = data
    while True:
        out.add(decompressor.decompress(pending, out.room()))
        pending = decompressor.unconsumed_tail
        if decompressor.eof or not pending:
            break
    if not decompressor.eof:
        # What zlib.decompress says of a stream cut short; pdfminer then inflates it again with
        # decompress_corrupted (inflate_damaged), which is charged instead.
        out.refund()
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out.value()


def inflate_damaged(data: bytes) -> bytes:
    """pdfminer's decompress_corrupted, linear and bounded: inflate what can be, and let an error
    in the last bytes (a bad checksum) pass, keeping everything before it."""
    out = _Output()
    decompressor = zlib.decompressobj()
    step = 64
    for start in range(0, len(data), step):
        saved = decompressor.copy()
        try:
            _feed(decompressor, data[start:start + step], out)
        except zlib.error:
            # Again byte by byte from the state before this piece, to keep the output up to the
            # bad byte and to know where it is, as pdfminer's byte-by-byte loop does.
            decompressor = saved
            for i in range(start, min(start + step, len(data))):
                try:
                    _feed(decompressor, data[i:i + 1], out)
                except zlib.error:
                    if i < len(data) - 3:
                        raise
                    return out.value()
        if decompressor.eof:
            break
    return out.value()


def _feed(decompressor, piece: bytes, out: _Output) -> None:
    while piece and not decompressor.eof:
        out.add(decompressor.decompress(piece, out.room()))
        piece = decompressor.unconsumed_tail


def lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = _Output()
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out.add(chunk)
    return out.value()


def run_length(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5): a length byte n, then n+1 literal bytes (n < 128) or one
    byte repeated 257-n times (n > 128); 128 ends the data."""
    out = _Output()
    i, size = 0, len(data)
    pending = bytearray()
    while i < size:
        n = data[i]
        if n == 128:
            break
        if n < 128:
            pending += data[i + 1:i + 2 + n]
            i += 2 + n
        else:
            pending += data[i + 1:i + 2] * (257 - n)
            i += 2
        if len(pending) >= _CHUNK:
            out.add(bytes(pending))
            pending.clear()
    out.add(bytes(pending))
    return out.value()


class _BoundedZlib:
    """What pdfminer.pdftypes uses of the zlib module, with decompress bounded."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)
    decompress = staticmethod(inflate)


def _counted(method):
    """A layout device method that counts the object it makes against the budget first."""

    def counted(self, *args, **kwargs):
        budget = _budget.get()
        if budget is not None:
            budget.count_object()
        return method(self, *args, **kwargs)

    counted.__wrapped__ = method
    return counted


_installed = False
ORIGINALS: dict[str, object] = {}  # pdfminer's own decoders, as they were before _install


def _install() -> None:
    global _installed
    if _installed:
        return
    import pdfminer.pdftypes as pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    ORIGINALS.update(decompress_corrupted=pdftypes.decompress_corrupted, lzwdecode=pdftypes.lzwdecode,
                     rldecode=pdftypes.rldecode)
    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = inflate_damaged
    pdftypes.lzwdecode = lzw
    pdftypes.rldecode = run_length
    for name in ("render_char", "paint_path", "render_image"):
        setattr(PDFLayoutAnalyzer, name, _counted(getattr(PDFLayoutAnalyzer, name)))
    _installed = True
