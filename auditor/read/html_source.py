"""Where the text nodes of a parsed page lie in its HTML source.

lxml gives an element's line at most, never the position of a text node, and its text is
decoded (entities, "\\r\\n"). So the page source is scanned once more with the standard library's
tokenizer, which reports where each piece of text starts: that gives the page's visible text (the
text outside tags, comments, scripts and styles, entities decoded) with the source offset of every
character. The text nodes of the lxml tree, taken in document order, are found in it one after the
other: each where the previous one ended, or a little further on, where lxml dropped something
(the elements the reader removes: buttons, form fields …).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from auditor.traced import UNKNOWN

# How far past the last match a text node may start (text lxml dropped lies in between).
WINDOW = 4000
_RAW_TEXT = ("script", "style")


class _Scanner(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.raw_text_depth = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in _RAW_TEXT:
            self.raw_text_depth += 1

    def handle_endtag(self, tag):
        if tag in _RAW_TEXT and self.raw_text_depth:
            self.raw_text_depth -= 1

    def handle_data(self, data):
        if self.raw_text_depth:
            return
        start = self._offset()
        if "\r" not in data:
            self.chars.append(data)
            self.offsets.extend(range(start, start + len(data)))
            return
        # lxml reads "\r\n" and a lone "\r" as "\n".
        for i, ch in enumerate(data):
            if ch == "\r":
                if i + 1 < len(data) and data[i + 1] == "\n":
                    continue
                ch = "\n"
            self.chars.append(ch)
            self.offsets.append(start + i)

    def _reference(self, name: str, prefix: str) -> None:
        if self.raw_text_depth:
            return
        start = self._offset()
        raw = prefix + name
        if self.source.startswith(";", start + len(raw)):
            raw += ";"
        text = html.unescape(raw)
        self.chars.append(text)
        # A known reference becomes its character(s), all from the "&"; an unknown one stays as written.
        self.offsets.extend(range(start, start + len(text)) if text == raw else [start] * len(text))

    def handle_entityref(self, name):
        self._reference(name, "&")

    def handle_charref(self, name):
        self._reference(name, "&#")


class TextLocator:
    """Source offsets for the text nodes of one page, asked for in document order."""

    def __init__(self, source: str):
        scanner = _Scanner(source)
        scanner.feed(source)
        scanner.close()
        self.stream = "".join(scanner.chars)
        self.offsets = scanner.offsets
        self.cursor = 0

    def locate(self, text: str) -> list[int]:
        """The source offset of each character of `text`, the next text node of the page
        (UNKNOWN for a character not found)."""
        if not text:
            return []
        found = self.stream.find(text, self.cursor, self.cursor + WINDOW + len(text))
        if found >= 0:
            self.cursor = found + len(text)
            return self.offsets[found:self.cursor]
        # Not in one piece: lxml joined text around an element the reader removed. Character by
        # character; whitespace only where the page has whitespace.
        positions = []
        for ch in text:
            if ch.isspace():
                if self.cursor < len(self.stream) and self.stream[self.cursor].isspace():
                    positions.append(self.offsets[self.cursor])
                    self.cursor += 1
                else:
                    positions.append(UNKNOWN)
                continue
            at = self.stream.find(ch, self.cursor, self.cursor + WINDOW)
            if at < 0:
                positions.append(UNKNOWN)
                continue
            positions.append(self.offsets[at])
            self.cursor = at + 1
        return positions
