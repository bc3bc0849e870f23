"""File names that are not valid UTF-8, and how they are stored and shown.

A zip archive made on Chinese Windows stores its names in GBK; unpacked on Linux, a report is
called b"\\xc7\\xe0\\xcf\\xaa\\xcf\\xd82023.txt". Python hands such a name over with each byte it
could not decode as a lone surrogate (U+DC80–U+DCFF, os.fsdecode's "surrogateescape"): the string
opens the file, but it cannot be written to a UTF-8 file, a database or a web page.

So a name has two forms:
- the real one (the str from os.walk or the command line), used only to open the file;
- the shown one, `shown(path)`: each undecodable byte written as \\xNN. It is plain UTF-8 text,
  names the exact bytes, and is the name itself for every UTF-8 name, so nothing changes for
  them. It is what the database stores (the resume key), and what the CSV, the index, the
  report pages and the JSON/SARIF/HTML/text output show. Not a guessed GBK reading: a UTF-8
  copy of the same file (unpacked again with another tool) would then have the same key.

Messages for people add the GBK reading (`legible`), which is usually what the name says.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile(r"\\x([0-9a-f]{2})")


def _escape(char: str, backslash: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"{backslash}x{code - 0xDC00:02x}"
    return f"{backslash}u{code:04x}"  # any other lone surrogate (not from a file name)


def shown(text: str, *, json: bool = False) -> str:
    """`text` (a path, or a message or a rendered output naming one) as valid UTF-8 text: each
    undecodable byte of a file name written as \\xNN. Unchanged when there is none.

    `json`: `text` is JSON (a surrogate can only be inside a JSON string), so the backslash is
    escaped and the string's value is the shown name."""
    if not _SURROGATE.search(text):
        return text
    backslash = "\\\\" if json else "\\"
    return _SURROGATE.sub(lambda m: _escape(m.group(), backslash), text)


def legible(path: str) -> str:
    """A file name for a message: its shown form and, when its bytes are not UTF-8 but read as
    GBK (GB18030) Chinese, that reading too. `path` is the real name or its shown form."""
    name = shown(path)
    if not _ESCAPED_BYTE.search(name):
        return name
    raw = b"".join(bytes([int(piece, 16)]) if i % 2 else piece.encode("utf-8")
                   for i, piece in enumerate(_ESCAPED_BYTE.split(name)))
    try:
        reading = raw.decode("gb18030")
    except UnicodeDecodeError:
        return name
    if not any("\u4e00" <= char <= "\u9fff" for char in reading):
        return name  # bytes that decode but are not Chinese: a reading would mislead
    return f"{name}（文件名不是 UTF-8 编码，按 GBK 读作 {reading}）"

