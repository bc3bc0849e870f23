"""From offsets into the normalized text back to the file on disk.

Findings point into Document.text, the normalized text; a reviewer's viewer (a SARIF code-scanning
page, an editor) shows the file. The readers record an origin for every character they extract
(auditor/traced.py) and normalization carries those origins along, so each character of
Document.text has one. What an origin is depends on the format (SourceText.positions):

- "text" (txt/md/html): the character offset in the decoded file, the text `source_text` returns
  (for html the page source with its markup, so an offset is a line and column of the HTML);
- "page" (pdf): the page number;
- "element" (docx): the index of a paragraph or table of the document body, in order;
- "scan" (a scanned PDF or an image read by OCR): an index into `boxes`, the page and the box
  on the page image each character was read from.

Origins are stored as runs (a run's origins either count up one per character or stay the same),
so a document's map is a few hundred numbers, not one per character.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from auditor.traced import UNKNOWN


@dataclass(frozen=True)
class SourceMap:
    kind: str  # "text" | "page" | "element"
    starts: tuple[int, ...]  # offset in the normalized text where each run begins
    origins: tuple[int, ...]  # origin of each run's first character (UNKNOWN: made up)
    steps: tuple[int, ...]  # 1: origins count up with the offset; 0: the whole run has one origin
    length: int  # of the normalized text
    elements: tuple[str, ...] = ()  # "element" maps: "paragraph" or "table" for each index
    boxes: tuple = ()  # "scan" maps: the ScanBox of each index (auditor/model.py)

    @classmethod
    def build(cls, kind: str | None, origins: Sequence[int],
              elements: tuple[str, ...] = (), boxes: tuple = ()) -> SourceMap | None:
        """The map of a normalized text whose character i came from origins[i]; None when
        nothing was traced (a document built in memory)."""
        if kind is None or not len(origins):
            return None
        o = np.asarray(origins, dtype=np.int64)
        unknown = o == UNKNOWN
        if unknown.all():
            return None
        # Runs are found greedily, one after the other (a character that cannot continue the
        # current run starts the next one), but each run's end is looked up, not walked to: a
        # run of step s goes on while each origin is the one before plus s. The walk reads
        # `origins` itself: indexing a numpy array makes an object per character read.
        n = len(o)
        d = np.zeros(n, dtype=np.int64)
        d[1:] = o[1:] - o[:-1]
        # where a run of made-up characters ends: at a character with an origin after one without
        unknown_ends = (np.flatnonzero(unknown[:-1] & ~unknown[1:]) + 1).tolist()
        # where a run of step s ends, for each step met (a text has few of step 0, if any:
        # their list, one entry for nearly every character, is made only when needed)
        step_ends: dict[int, list[int]] = {}
        starts: list[int] = []
        firsts: list[int] = []
        steps: list[int] = []
        i = 0
        while i < n:
            first = origins[i]
            starts.append(i)
            firsts.append(int(first))
            if first == UNKNOWN:
                steps.append(0)
                k = bisect_right(unknown_ends, i)
                i = unknown_ends[k] if k < len(unknown_ends) else n
            elif i + 1 < n and origins[i + 1] != UNKNOWN and origins[i + 1] - first in (0, 1):
                # the second character decides the step
                step = int(origins[i + 1] - first)
                steps.append(step)
                if step not in step_ends:
                    step_ends[step] = np.flatnonzero((d != step) | unknown).tolist()
                ends = step_ends[step]
                k = bisect_right(ends, i + 1)
                i = ends[k] if k < len(ends) else n
            else:
                steps.append(0)
                i += 1
        return cls(kind, tuple(starts), tuple(firsts), tuple(steps), len(origins), elements, boxes)

    def origin(self, offset: int) -> int:
        """The origin of character `offset` of the normalized text (UNKNOWN if made up)."""
        run = bisect_right(self.starts, offset) - 1
        if run < 0 or offset >= self.length or self.origins[run] == UNKNOWN:
            return UNKNOWN
        return self.origins[run] + self.steps[run] * (offset - self.starts[run])

    def bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """Origins of the first and the last character of [start, end) that have one."""
        first = last = None
        run = max(bisect_right(self.starts, start) - 1, 0)
        while run < len(self.starts) and self.starts[run] < end:
            if self.origins[run] != UNKNOWN:
                run_end = self.starts[run + 1] if run + 1 < len(self.starts) else self.length
                lo, hi = max(start, self.starts[run]), min(end, run_end) - 1
                if lo <= hi:
                    if first is None:
                        first = self.origin(lo)
                    last = self.origin(hi)
            run += 1
        return None if first is None else (first, last)

    def page(self, origin: int) -> int | None:
        """The page of an origin of a "page" or "scan" map (None for other kinds)."""
        if self.kind == "page":
            return origin
        if self.kind == "scan" and 0 <= origin < len(self.boxes):
            return self.boxes[origin].page
        return None

    def scan_boxes(self, start: int, end: int) -> list:
        """The OCR boxes (ScanBox with a bbox) the characters of [start, end) were read from, in
        order, each once; [] for other kinds of map."""
        if self.kind != "scan":
            return []
        seen: dict[int, None] = {}
        run = max(bisect_right(self.starts, start) - 1, 0)
        while run < len(self.starts) and self.starts[run] < end:
            if self.origins[run] != UNKNOWN:
                run_end = self.starts[run + 1] if run + 1 < len(self.starts) else self.length
                lo, hi = max(start, self.starts[run]), min(end, run_end)
                for offset in range(lo, hi) if self.steps[run] else range(lo, min(lo + 1, hi)):
                    seen.setdefault(self.origin(offset), None)
            run += 1
        return [self.boxes[i] for i in seen if 0 <= i < len(self.boxes) and self.boxes[i].bbox is not None]

    def element(self, index: int) -> tuple[str, int]:
        """An "element" origin as ("paragraph" | "table", 1-based number among its kind)."""
        kind = self.elements[index]
        return kind, self.elements[:index + 1].count(kind)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of character `offset` of `text`.

    Lines end at "\\n" (a "\\r" before it is the last character of its line), as SARIF's default
    newline sequences ("\\r\\n", "\\n") count them."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1
