"""Decode report bytes without assuming an encoding.

Chinese reports come as UTF-8 (with or without BOM), GB18030/GBK/GB2312, UTF-16 and Big5. Every
candidate that decodes cleanly is scored by how much of the text is common Chinese characters
and report vocabulary; the best one wins. Declared charsets (HTML meta) are only a hint: a page
labelled gb2312 often holds GBK characters, so GB2312 is always read as GB18030.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

import numpy as np

from auditor.errors import InputError
from auditor.model import Diagnostic

# Characters frequent in these reports, in simplified and traditional script. A wrong decoding
# produces rare characters and symbols instead, so the share of these is a strong signal.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
    "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入"
    "常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西"
    "被干做必战先回则任取据处府研县报告申请信息复议诉讼况施改进级市镇局办委政策规范性文件务收费处理结转"
    "況務資關於與開發處進規範門會級計區縣報請訊復議訟結轉費義從實體當學對應這個們說時來過還現種點動國"
)
_COMMON_SIMPLIFIED_ONLY = set("这个们说时来过还现种点动国门会级计区县报请复议讼结转费义从实体当学对应开发处进规范关与于务资况")
_COMMON_TRADITIONAL_ONLY = set("這個們說時來過還現種點動國門會級計區縣報請復議訟結轉費義從實體當學對應開發處進規範關與於務資況")


_MARKUP = re.compile(r"<[^>]{0,2000}>|&[#\w]{1,10};|\s+")


_COMMON_CODES = np.array(sorted(map(ord, _COMMON)), dtype=np.uint32)
_LAYOUT_CONTROLS = np.array([ord(ch) for ch in "\t\r\n\f"], dtype=np.uint32)


def _score(text: str) -> float:
    """Share of common Chinese characters in the visible text (markup and spaces removed)."""
    sample = _MARKUP.sub("", text[:200000])[:20000]
    if not sample:
        return 0.0
    # Counted over the code points in numpy: a Python loop over each character was most of
    # decoding a file that is not UTF-8.
    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    common = int(np.isin(codes, _COMMON_CODES).sum())
    cjk = int(((codes >= 0x4E00) & (codes <= 0x9FFF)).sum())
    bad = int(((codes == 0xFFFD) | ((codes >= 0xE000) & (codes <= 0xF8FF))
               | ((codes < 32) & ~np.isin(codes, _LAYOUT_CONTROLS))).sum())
    # Reward common characters, tolerate rare ones, punish replacement/private-use/control chars.
    return (2.0 * common + 0.2 * cjk - 5.0 * bad) / len(sample)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: many NULs in one byte lane (ASCII) or CJK-range high bytes."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sum(1 for b in sample[0::2] if b == 0)
    odd_nul = sum(1 for b in sample[1::2] if b == 0)
    half = len(sample) / 2
    if odd_nul > 0.2 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.2 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # Parse notes for people: bytes that were not text and were replaced, a declared charset
    # that was not used (auditor.model.Diagnostic; kinds "bytes_replaced", "charset_ignored").
    notes: tuple[Diagnostic, ...] = ()


# Codecs that Python counts as text encodings but that no document is written in: decoding a
# page with them fails in ways other than UnicodeDecodeError, or turns bytes into escapes.
_NOT_CHARSETS = {"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape"}
_GB = ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn")


def decode_bytes(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for binary or undecodable data."""
    decoded = decode_report(path, data, declared)
    return decoded.text, decoded.encoding


def decode_report(path: str, data: bytes, declared: str | None = None) -> Decoded:
    """The text of a report's bytes, its encoding and notes on what could not be read as text.

    A few broken bytes (a download cut off in the middle of a character) are replaced with
    U+FFFD and said in a note; text with many is refused, as is binary data.
    """
    notes: list[Diagnostic] = []
    charset = _usable_charset(declared, notes)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            lenient = _decode_lenient(body, name.replace("-sig", ""))
            if lenient is None:
                raise InputError(path, f"文件以 {name} 标记开头，但内容无法按 {name} 解码")
            text, broken = lenient
            return Decoded(text, name, tuple(notes) + _broken_note(broken, name, len(bom), len(data)))
    has_nul = b"\x00" in data[:8192]
    if not has_nul:
        try:
            return Decoded(data.decode("utf-8"), "utf-8", tuple(notes))
        except UnicodeDecodeError:
            pass
    names = ["gb18030", "big5"]
    if not has_nul:
        # Not clean UTF-8, but maybe UTF-8 with a few broken bytes (a truncated download).
        names.append("utf-8")
    if len(data) % 2 == 0:
        # UTF-16 without a BOM: Chinese text has few NUL bytes, so only the scores can tell.
        names += ["utf-16-le", "utf-16-be"]
    if has_nul and _looks_utf16(data):
        names.insert(0, _looks_utf16(data))
    if charset and charset not in names:
        names.insert(0, charset)
    candidates: list[tuple[float, str, str, list[tuple[int, int]]]] = []
    for name in dict.fromkeys(names):
        lenient = _decode_lenient(data, name)
        if lenient is None:
            continue
        text, broken = lenient
        # A declared charset that decodes cleanly is believed unless another one reads far better.
        bonus = 0.3 if charset and name == names[0] and not broken else 0.0
        candidates.append((_score(text) + bonus, name, text, broken))
    if not candidates:
        if has_nul:
            raise InputError(path, "看起来是二进制文件，不是文本")
        raise InputError(path, "无法识别文字编码（不是 UTF-8、UTF-16、GB18030/GBK 或 Big5）")
    candidates.sort(key=lambda c: c[0], reverse=True)
    score, name, text, broken = candidates[0]
    if score <= 0.3:
        if has_nul:
            raise InputError(path, "看起来是二进制文件，不是文本")
        raise InputError(path, "内容不像中文文本（可能是二进制文件或编码损坏）")
    return Decoded(text, name, tuple(notes) + _broken_note(broken, name, 0, len(data)))


def _usable_charset(declared: str | None, notes: list[Diagnostic]) -> str | None:
    """The codec a declared charset names, if it is a real text encoding; else a note says it
    was ignored (a page may declare "rot13" or "base64", which Python has codecs for)."""
    if not declared:
        return None
    name = declared.lower().strip()
    if name in _GB:
        return "gb18030"  # pages labelled gb2312 often hold GBK characters
    if name in ("big5-hkscs", "x-big5"):
        return "big5"
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is not None and info._is_text_encoding and info.name not in _NOT_CHARSETS:
        return name
    why = "无法识别" if info is None else "不是文字编码"
    notes.append(Diagnostic("charset_ignored", f"网页声明的字符集“{declared}”{why}，已忽略，改为自动识别编码",
                            detail={"declared": declared}))
    return None


def _decode_lenient(data: bytes, name: str) -> tuple[str, list[tuple[int, int]]] | None:
    """(text, byte spans replaced with U+FFFD), or None when the codec does not fit: it fails
    outright, or more than a few bytes in a thousand are not text in it."""
    broken: list[tuple[int, int]] = []
    # Tolerate a few broken bytes (truncated downloads), not a wrong codec: past this many the
    # handler gives up at once rather than replacing a whole binary file byte by byte.
    _recording.spans, _recording.limit = broken, max(3, len(data) // 500)
    try:
        text = data.decode(name, errors=_RECORD)
    except (UnicodeError, LookupError, ValueError, TypeError, _TooManyBroken):
        return None
    finally:
        _recording.spans = None
    return text, broken


# The error handler that replaces undecodable bytes and records where they were. Handlers are
# registered by name for the whole process; each decoding thread records into its own list.
_RECORD = "auditor-record-replacements"
_recording = threading.local()


class _TooManyBroken(Exception):
    pass


def _record_replacement(exc: UnicodeError):
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    spans = getattr(_recording, "spans", None)
    if spans is not None:
        spans.append((exc.start, exc.end))
        if len(spans) > _recording.limit:
            raise _TooManyBroken
    return "\ufffd", exc.end


codecs.register_error(_RECORD, _record_replacement)


def _broken_note(broken: list[tuple[int, int]], encoding: str, offset: int, size: int) -> tuple[Diagnostic, ...]:
    """A note on the bytes replaced in decoding: how many, and where in the file."""
    if not broken:
        return ()
    count = sum(end - start for start, end in broken)
    spans = [(start + offset, end + offset) for start, end in broken]
    places = "、".join(f"第 {start + 1} 字节" for start, _ in spans[:3]) + ("等" if len(spans) > 3 else "")
    at_end = spans[-1][1] == size
    tail = "；最后一处在文件末尾，文件可能被截断" if at_end else ""
    message = (f"文件中有 {count} 个字节不是有效的 {encoding} 文字，已替换为“\ufffd”（{places}{tail}）")
    return (Diagnostic("bytes_replaced", message,
                       detail={"encoding": encoding, "bytes": count, "truncated": at_end,
                               "spans": [list(span) for span in spans[:20]]}),)


_TRAD_RE = re.compile("[" + "".join(sorted(_COMMON_TRADITIONAL_ONLY)) + "]")
_SIMP_RE = re.compile("[" + "".join(sorted(_COMMON_SIMPLIFIED_ONLY)) + "]")


def is_traditional(text: str) -> bool:
    """True when the text is written mostly in traditional characters."""
    sample = text[:20000]
    trad = len(_TRAD_RE.findall(sample))
    if trad < 10:
        return False  # the simplified characters are not counted: frequent, they cost the most
    simp = len(_SIMP_RE.findall(sample))
    return trad > 2 * simp
