"""Where the text nodes of a parsed page lie in its HTML source.

lxml gives an element's line at most, never the position of a text node, and its text is
decoded (entities, "\\r\\n"). So the page source is scanned once more with the standard library's
tokenizer, which reports where each piece of text starts: that gives the page's visible text (the
text outside tags, comments, scripts and styles, entities decoded) with the source offset of every
character. The text nodes of the lxml tree, taken in document order, are found in it one after the
other: each where the previous one ended, or a little further on, where lxml dropped something
(the elements the reader removes: buttons, form fields …).

Pages are mostly plain markup, which a single pattern reads at a fraction of the tokenizer's
cost (_plain_scan); a page with anything else is read by the tokenizer, from its start.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from auditor.traced import UNKNOWN

# How far past the last match a text node may start (text lxml dropped lies in between).
WINDOW = 4000
_RAW_TEXT = ("script", "style")

# The spaces that end a tag name in HTMLParser's patterns, all of them \s in its others (not
# every \s ends a name: a vertical tab or a no-break space is part of it).
_WS = r"[ \t\n\r\f]"
_NAME = r"[a-zA-Z][-.:_a-zA-Z0-9]*"
# The markup _plain_scan reads itself, each form read by HTMLParser (convert_charrefs off) as
# written here — its tag patterns (locatestarttagend_tolerant, tagfind_tolerant,
# attrfind_tolerant, endtagfind) end each name and value where these do and leave nothing of
# the tag as text:
#   a start tag: its name, attributes separated by spaces, with a quoted value or a bare one
#     (no space or quote in it: it ends at a space or at the tag's end, as HTMLParser's does);
#   an end tag with a name alone; a comment up to the first "--" and ">" after it; a doctype
#     or a processing instruction up to its first ">";
#   a character reference closed by ";", a named one closed by ";" or by a character that
#     cannot go on its name (so not the page's end).
# Anything else that opens with "<" or "&" is `other`: the page is read by HTMLParser.
_PLAIN_MARKUP = re.compile(rf"""
    (?P<start> <(?P<name>{_NAME})
        (?: {_WS}+ [a-zA-Z_:][-.:_a-zA-Z0-9]*
            (?: {_WS}* = {_WS}* (?: "[^"]*" | '[^']*' | [^\s"'=<>`]+ ) )? )*
        {_WS}* /?> )
  | </{_NAME}{_WS}*>
  | (?P<comment> <!-- )
  | <![dD][oO][cC][tT][yY][pP][eE][^>]*>
  | <\?[^>]*>
  | (?P<charref> &\#(?P<number> [0-9]+ | [xX][0-9a-fA-F]+ ); )
  | (?P<entityref> &(?P<entity> [a-zA-Z][-.a-zA-Z0-9]* ) (?: ; | (?=[^-.a-zA-Z0-9;]) ) )
  | (?P<other> [<&] )
""", re.VERBOSE)
_COMMENT_CLOSE = re.compile(r"--\s*>")  # _markupbase's, which HTMLParser reads comments with
# The end of a script or style's text, as HTMLParser looks for it (set_cdata_mode); what it
# finds must be the end tag its endtagfind reads, or the page goes to HTMLParser.
_RAW_TEXT_END = {tag: re.compile(r"</\s*%s\s*>" % tag, re.I) for tag in _RAW_TEXT}
_END_TAG = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")


def _add_data(data: str, start: int, chars: list[str], offsets: list[int]) -> None:
    """Text of the page at offset `start`, as lxml reads it."""
    if "\r" not in data:
        chars.append(data)
        offsets.extend(range(start, start + len(data)))
        return
    # lxml reads "\r\n" and a lone "\r" as "\n".
    for i, ch in enumerate(data):
        if ch == "\r":
            if i + 1 < len(data) and data[i + 1] == "\n":
                continue
            ch = "\n"
        chars.append(ch)
        offsets.append(start + i)


def _add_reference(source: str, start: int, name: str, prefix: str, chars: list[str],
                   offsets: list[int]) -> None:
    """The reference `prefix` + `name` at offset `start`, as HTMLParser reports it."""
    raw = prefix + name
    if source.startswith(";", start + len(raw)):
        raw += ";"
    text = html.unescape(raw)
    chars.append(text)
    # A known reference becomes its character(s), all from the "&"; an unknown one stays as written.
    offsets.extend(range(start, start + len(text)) if text == raw else [start] * len(text))


def _plain_scan(source: str) -> tuple[str, list[int]] | None:
    """The visible text of a page and the offset of each of its characters, as _Scanner reads
    them; None when the page holds markup other than _PLAIN_MARKUP's plain forms."""
    chars: list[str] = []
    offsets: list[int] = []
    search = _PLAIN_MARKUP.search
    at = 0
    while (markup := search(source, at)) is not None:
        start = markup.start()
        if start > at:
            _add_data(source[at:start], at, chars, offsets)
        at = markup.end()
        kind = markup.lastgroup
        if kind == "start":
            tag = markup.group("name").lower()
            if tag in _RAW_TEXT:
                if markup.group().endswith("/>"):
                    return None  # HTMLParser may read "/" as part of a bare value
                end = _RAW_TEXT_END[tag].search(source, at)
                if end is None:
                    return None
                end_tag = _END_TAG.match(source, end.start())
                if end_tag is None or end_tag.group(1).lower() != tag:
                    return None
                at = end.end()
        elif kind == "comment":
            close = _COMMENT_CLOSE.search(source, start + 4)
            if close is None:
                return None
            at = close.end()
        elif kind == "entityref":
            _add_reference(source, start, markup.group("entity"), "&", chars, offsets)
        elif kind == "charref":
            _add_reference(source, start, markup.group("number"), "&#", chars, offsets)
        elif kind == "other":
            return None
    if at < len(source):
        _add_data(source[at:], at, chars, offsets)
    return "".join(chars), offsets


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
        if not self.raw_text_depth:
            _add_data(data, self._offset(), self.chars, self.offsets)

    def _reference(self, name: str, prefix: str) -> None:
        if not self.raw_text_depth:
            _add_reference(self.source, self._offset(), name, prefix, self.chars, self.offsets)

    def handle_entityref(self, name):
        self._reference(name, "&")

    def handle_charref(self, name):
        self._reference(name, "&#")


class TextLocator:
    """Source offsets for the text nodes of one page, asked for in document order."""

    def __init__(self, source: str):
        scanned = _plain_scan(source)
        if scanned is None:
            scanner = _Scanner(source)
            scanner.feed(source)
            scanner.close()
            scanned = "".join(scanner.chars), scanner.offsets
        self.stream, self.offsets = scanned
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
