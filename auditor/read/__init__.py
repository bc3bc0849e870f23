"""Read stage: one module per input format, each turning a file into a SourceText.

`read_file` is the entry point (`read_bytes` when the bytes were read elsewhere). It refuses what it cannot read with an InputError whose
message is one Chinese line naming the file and the cause.
"""

from __future__ import annotations

import os

from auditor.errors import InputError
from auditor.model import SourceText
from auditor.read.files import open_regular_file, read_bounded, read_regular_file

# Reports are tens of KB; a few MB already means scanned images or a wrong file. The limits keep
# time and memory bounded on hostile input (a 50 MB text file is refused at once, not parsed);
# what a docx or pdf unpacks to has its own caps (docx.py, pdf_limits.py).
MAX_BYTES = {"txt": 8 << 20, "md": 8 << 20, "html": 8 << 20, "docx": 32 << 20, "pdf": 32 << 20,
             "doc": 32 << 20, "wps": 32 << 20, "ofd": 32 << 20, "image": 32 << 20}

SUFFIX_FORMAT = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                 ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
                 ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".wps": "wps", ".ofd": "ofd",
                 # Page images, read by OCR (image.py; the optional engine, ocr.py).
                 ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image"}
# What the first bytes of an image file of each kind are.
_IMAGE_MAGIC = {".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8",), ".jpeg": (b"\xff\xd8",),
                ".tif": (b"II*\x00", b"MM\x00*"), ".tiff": (b"II*\x00", b"MM\x00*")}

SUPPORTED = "支持 .txt/.md、.html/.htm、.docx/.doc/.wps、.pdf、.ofd，以及扫描图片 .png/.jpg/.tif"


def format_of(path: str) -> str:
    """The format the file's suffix names; InputError for a suffix that is not supported."""
    suffix = os.path.splitext(path)[1].lower()
    fmt = SUFFIX_FORMAT.get(suffix)
    if fmt is None:
        raise InputError(path, f"不支持的文件类型“{suffix or '无扩展名'}”（{SUPPORTED}）")
    return fmt


def detect_format(path: str, head: bytes) -> str:
    """Format from the suffix, checked against the file's first bytes."""
    fmt = format_of(path)
    if fmt == "pdf" and not head.startswith(b"%PDF"):
        raise InputError(path, "扩展名是 .pdf，但内容不是 PDF 文件")
    if fmt == "docx" and not head.startswith(b"PK"):
        raise InputError(path, "扩展名是 .docx，但内容不是 Word 文档（不是 zip 容器）")
    if fmt == "image":
        suffix = os.path.splitext(path)[1].lower()
        if not head.startswith(_IMAGE_MAGIC[suffix]):
            raise InputError(path, f"扩展名是 {suffix}，但内容不是这种图片")
    return fmt


def read_file(path: str) -> SourceText:
    # A symlink to /dev/zero, a FIFO or a file that grows is refused or cut off at the cap by
    # read_regular_file, whatever stat says about its size (files.py).
    with open_regular_file(path) as handle:
        # "文件不存在", "这是一个目录", a device … are said before "unsupported type".
        fmt = format_of(path)
        data = read_bounded(handle, path, MAX_BYTES[fmt], too_large=lambda size: _too_large(size, fmt))
    return read_bytes(path, data)


def read_report_bytes(path: str) -> bytes:
    """The bytes of the report at `path`, bounded by its format's cap, for a caller that reads
    them here and parses them elsewhere (a batch sending a file to a remote worker)."""
    fmt = format_of(path)
    return read_regular_file(path, MAX_BYTES[fmt], too_large=lambda size: _too_large(size, fmt))


def _too_large(size: int, fmt: str) -> str:
    return (f"文件过大（{size / (1 << 20):.1f} MB，{fmt} 上限 {MAX_BYTES[fmt] >> 20} MB），"
            "不像一份年度报告，已拒绝处理")


def read_bytes(path: str, data: bytes) -> SourceText:
    """A report's bytes (read elsewhere: a batch worker on another machine) as if read from `path`,
    whose suffix gives the format."""
    fmt = detect_format(path, data[:8])
    if not data:
        raise InputError(path, "文件是空的")
    if len(data) > MAX_BYTES[fmt]:
        raise InputError(path, _too_large(len(data), fmt))
    if fmt in ("txt", "md"):
        from auditor.read.text import read_text
        return read_text(path, fmt, data)
    if fmt == "html":
        from auditor.read.html import read_html
        return read_html(path, data)
    if fmt == "docx":
        from auditor.read.docx import read_docx
        return read_docx(path, data)
    if fmt in ("doc", "wps"):
        from auditor.read.legacy_word import read_legacy_word
        return read_legacy_word(path, fmt, data)
    if fmt == "ofd":
        from auditor.read.ofd import read_ofd
        return read_ofd(path, data)
    if fmt == "image":
        from auditor.read.image import read_image
        return read_image(path, data)
    from auditor.read.pdf import read_pdf
    return read_pdf(path, data)


def source_text(path: str) -> str | None:
    """The decoded text of a txt/md/html file, decoded as its reader decoded it: the text the
    "text" origins of its SourceMap index into (auditor/sourcemap.py). None when the file cannot
    be read (any more) or is not a text format."""
    try:
        fmt = format_of(path)
        data = read_regular_file(path, MAX_BYTES[fmt])
        fmt = detect_format(path, data[:8])
        if fmt not in ("txt", "md", "html"):
            return None
        from auditor.read.encoding import decode_bytes

        declared = None
        if fmt == "html":
            from auditor.read.html import declared_charset

            declared = declared_charset(data)
        return decode_bytes(path, data, declared=declared)[0]
    except (OSError, InputError):
        return None
