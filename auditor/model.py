"""The few plain objects the stages hand each other.

read  ->  SourceText (blocks of text and table grids, as found in the file)
structure  ->  Document (normalized text, sections, meta, canonical tables, diagnostics)

Everything here is immutable once built; later stages only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# --------------------------------------------------------------------------- read stage


@dataclass(frozen=True)
class TextBlock:
    """Running text as the file gives it; line breaks are kept as in the source layout."""

    text: str
    page: int | None = None
    # Where each character of `text` is in the file (see SourceText.positions); None when the
    # block was not read from a file. Not part of equality: two readings of a text are the same text.
    origins: tuple[int, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class TableBlock:
    """A table grid with row/col spans expanded.

    `rows` is rectangular. A cell is the cell's text ("" for an empty cell), or None where the
    position is covered by a spanning cell whose text sits at its top-left position, so a merged
    cell is counted once.
    """

    rows: tuple[tuple[str | None, ...], ...]
    page: int | None = None
    # Per cell, where each character of its text is in the file (None for a covered position).
    origins: tuple[tuple[tuple[int, ...] | None, ...], ...] | None = field(default=None, compare=False,
                                                                          repr=False)


Block = Union[TextBlock, TableBlock]

# The text of a table cell that has ink a reader could not read (a figure cell of a poor scan):
# the table layer keeps it as an unreadable position of its row, not a blank and not a label.
UNREADABLE_CELL = "\ufffd"


@dataclass(frozen=True)
class ScanBox:
    """Where OCR read a piece of text: the page (1-based; an image file's frame) and the box in
    pixels of the page image at `dpi`, with the recogniser's confidence (0–1). A box of None is
    the text layer of a page that was not OCR'd (a PDF whose other pages are scans)."""

    page: int
    bbox: tuple[int, int, int, int] | None  # x0, y0, x1, y1
    text: str = ""
    score: float | None = None
    dpi: int | None = None
    # The resolution the page was scanned at (a PDF page's image, an image file), when known:
    # the page may be read at a higher `dpi`, but a coarse scan's detail is lost for good.
    scan_dpi: int | None = None

    def to_json(self) -> dict:
        return {"page": self.page, "box": list(self.bbox) if self.bbox else None,
                "text": self.text, "score": None if self.score is None else round(self.score, 3),
                "dpi": self.dpi, "scan_dpi": self.scan_dpi}


@dataclass(frozen=True)
class SourceText:
    """What a reader extracted from one file, before any normalization."""

    path: str
    format: str  # txt | md | html | docx | pdf | image
    encoding: str | None
    blocks: tuple[Block, ...]
    title: str | None = None  # a title the container itself states (HTML <title>, docx core properties)
    # What the blocks' origins are (auditor/sourcemap.py): "text" character offsets into the decoded
    # file (txt/md/html), "page" PDF page numbers, "element" indexes into `elements`, the Word
    # body's paragraphs and tables in order ("paragraph"/"table"), "scan" indexes into `boxes`
    # (a scanned PDF or an image: every character knows its page and OCR box); None when nothing
    # was traced.
    positions: str | None = None
    elements: tuple[str, ...] = ()
    boxes: tuple[ScanBox, ...] = ()
    # Notes from reading for the reviewer (bytes replaced in decoding, a declared charset ignored,
    # an encrypted PDF opened with the empty password …): they open Document.diagnostics.
    notes: tuple[Diagnostic, ...] = ()


# --------------------------------------------------------------------------- structure stage

Number = Union[int, float]
TableData = dict[str, dict[str, Union[Number, None]]]


@dataclass(frozen=True)
class Section:
    key: str  # overview | active | applications | appeals | problems | other
    number: str | None  # the printed numeral ("一") or None when the heading has none
    title: str
    start: int  # character offsets into Document.text, end exclusive
    end: int

    def to_json(self) -> dict:
        return {"key": self.key, "number": self.number, "title": self.title,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Meta:
    title: str | None
    agency: str | None
    year: int | None
    template: str  # "2021" | "2019" | "2008" | "unknown"
    period: tuple[str, str] | None

    def to_json(self) -> dict:
        return {"title": self.title, "agency": self.agency, "year": self.year,
                "template": self.template, "period": list(self.period) if self.period else None}


@dataclass(frozen=True)
class Diagnostic:
    """A note from parsing that a reviewer (and later checks) must know about.

    kind: e.g. "split_ambiguous" (a run of digits has several readings the identities cannot
    decide; the cells are null), "split_inferred" (no identity applies; the reading was chosen on
    stated evidence), "row_aligned" (a row had fewer values than columns), "table_missing".
    """

    kind: str
    message: str  # Chinese, for people
    cells: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "cells": list(self.cells),
                "detail": self.detail}


@dataclass(frozen=True)
class Document:
    path: str
    format: str
    encoding: str | None
    meta: Meta
    text: str
    sections: tuple[Section, ...]
    tables: dict[str, TableData]
    diagnostics: tuple[Diagnostic, ...] = ()
    # Normalized-text offsets back to the file (auditor/sourcemap.SourceMap); None when the
    # document was not read from a file.
    source_map: object | None = field(default=None, compare=False, repr=False)

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def section_text(self, key: str) -> str:
        s = self.section(key)
        return self.text[s.start:s.end] if s else ""

    def cell(self, path: str):
        """The value of the table cell "table.row.column" (None when absent or not such a path)."""
        parts = path.split(".")
        if len(parts) != 3:
            return None
        table, row, column = parts
        return (self.tables.get(table) or {}).get(row, {}).get(column)

    def to_json(self) -> dict:
        return {
            "schema": "auditor.document/1",
            "source": {"path": self.path, "format": self.format, "encoding": self.encoding},
            "meta": self.meta.to_json(),
            "text": self.text,
            "sections": [s.to_json() for s in self.sections],
            "tables": self.tables,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


# --------------------------------------------------------------------------- check stage

# The Chinese numerals of headings and enumerations ("一、", "（三）", "二是").
CN_NUMERALS = "一二三四五六七八九十"

CATEGORIES = ("structure", "table", "contradiction", "vague", "boilerplate", "continuity")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Span:
    """Character offsets into Document.text, end exclusive, with the text they cover."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    message: str  # Chinese, with the numbers compared
    section: str | None
    span: Span | None
    cells: tuple[str, ...]
    evidence: dict
    fingerprint: str  # stable hash of rule + normalized content, never of offsets

    def to_json(self) -> dict:
        return {"rule": self.rule, "category": self.category, "severity": self.severity,
                "message": self.message, "section": self.section,
                "span": self.span.to_json() if self.span else None, "cells": list(self.cells),
                "evidence": self.evidence, "fingerprint": self.fingerprint}
