"""A string whose every character remembers where in the file it came from.

Readers and normalization change the text (decoding, markup removed, full-width digits made
ASCII, spaces squeezed, lines joined, page numbers dropped), but a finding must point into the
file on disk. So they work on Traced strings: each operation here does the same to `text` as the
str method of that name and keeps `pos` parallel to it, `pos[i]` being the origin of `text[i]`.

What an origin means is up to the reader (a character offset in the decoded file, a PDF page, a
Word paragraph, see auditor/sourcemap.py); -1 marks a character the pipeline made up (the tab
between two table cells, the line break between two blocks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

UNKNOWN = -1


class Traced:
    __slots__ = ("text", "pos")

    def __init__(self, text: str, pos: Sequence[int]):
        if len(pos) != len(text):
            raise ValueError("one origin per character")
        self.text = text
        self.pos = list(pos)

    @classmethod
    def _made(cls, text: str, pos: list[int]) -> Traced:
        """A Traced on a list of origins made for it here, one per character: taken as it is, not
        checked nor copied (a Traced is never changed in place, so it may share its list with
        the one it was made from). Normalizing makes hundreds per report."""
        traced = object.__new__(cls)
        traced.text = text
        traced.pos = pos
        return traced

    @classmethod
    def at(cls, text: str, start: int) -> Traced:
        """`text` found at offset `start` of the source, character for character."""
        return cls._made(text, list(range(start, start + len(text))))

    @classmethod
    def constant(cls, text: str, origin: int = UNKNOWN) -> Traced:
        """Every character from the same place (a PDF page, a Word paragraph) or made up."""
        return cls._made(text, [origin] * len(text))

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __repr__(self) -> str:
        return f"Traced({self.text!r})"

    def __add__(self, other: Traced) -> Traced:
        return Traced._made(self.text + other.text, self.pos + other.pos)

    def __getitem__(self, index: slice) -> Traced:
        return Traced._made(self.text[index], self.pos[index])

    # ------------------------------------------------------------------ str methods

    def strip(self, chars: str | None = None) -> Traced:
        return self.lstrip(chars).rstrip(chars)

    def lstrip(self, chars: str | None = None) -> Traced:
        cut = len(self.text) - len(self.text.lstrip(chars))
        return self[cut:] if cut else self

    def rstrip(self, chars: str | None = None) -> Traced:
        kept = len(self.text.rstrip(chars))
        return self[:kept] if kept != len(self.text) else self

    def split(self, sep: str) -> list[Traced]:
        parts, start = [], 0
        for piece in self.text.split(sep):
            parts.append(self[start:start + len(piece)])
            start += len(piece) + len(sep)
        return parts

    def translate(self, table: dict) -> Traced:
        text = self.text.translate(table)
        if len(text) == len(self.text):  # one character for one (the common case): origins stay
            return Traced._made(text, self.pos)
        pos = []
        for ch, origin in zip(self.text, self.pos):
            pos.extend([origin] * len(ch.translate(table)))
        return Traced(text, pos)

    def replace(self, old: str, new: str) -> Traced:
        return self.sub(re.compile(re.escape(old)), new)

    def sub(self, pattern: re.Pattern, repl: str | Callable[[re.Match], str]) -> Traced:
        """pattern.sub(repl, text). A replacement as long as its match keeps the match's origins
        one for one; one as long as the match without its spaces (" ," → "，") takes the origins of
        those characters; any other takes the origin where the match starts."""
        text, pos, last = [], [], 0
        # A replacement without a backslash is taken as it is (what m.expand gives it, without
        # parsing it as a template again for every match: most replacements are " " or "").
        literal = None if callable(repl) or "\\" in repl else repl
        for m in pattern.finditer(self.text):
            start, end = m.span()
            new = literal if literal is not None else repl(m) if callable(repl) else m.expand(repl)
            if new == m.group():
                continue  # replaced by itself (a lone space by a space): nothing changes here
            text.append(self.text[last:start])
            pos.extend(self.pos[last:start])
            text.append(new)
            if len(new) == end - start:
                pos.extend(self.pos[start:end])
            elif new:
                solid = [p for ch, p in zip(m.group(), self.pos[start:end]) if not ch.isspace()]
                pos.extend(solid if len(solid) == len(new) else [self.pos[start]] * len(new))
            last = end
        if not text:
            return self
        text.append(self.text[last:])
        pos.extend(self.pos[last:])
        return Traced._made("".join(text), pos)

    def nfc(self) -> Traced:
        if unicodedata.is_normalized("NFC", self.text):
            return self
        text = unicodedata.normalize("NFC", self.text)
        if len(text) == len(self.text):  # compatibility ideographs and the like: one for one
            return Traced(text, self.pos)
        # Combining sequences composed: each output character takes the origin of the sequence.
        out = Traced("", [])
        start = 0
        for i in range(1, len(self.text) + 1):
            if i == len(self.text) or unicodedata.combining(self.text[i]) == 0:
                piece = unicodedata.normalize("NFC", self.text[start:i])
                out += Traced.constant(piece, self.pos[start])
                start = i
        if out.text != text:  # composition across sequences (Hangul jamo): one origin for all
            return Traced.constant(text, self.pos[0])
        return out


def join(sep: str, parts: Iterable[Traced]) -> Traced:
    """sep.join(parts); the separator is made up (origin -1)."""
    text, pos = [], []
    for i, part in enumerate(parts):
        if i:
            text.append(sep)
            pos.extend([UNKNOWN] * len(sep))
        text.append(part.text)
        pos.extend(part.pos)
    return Traced._made("".join(text), pos)
