"""A page image and its OCR boxes → text lines and table grids, as pdf.py makes from a text layer.

- The page is deskewed first (scanners and phones tilt pages by a degree or two): the angle whose
  rotation gives the sharpest horizontal projection of the ink.
- Ruled tables: the long horizontal and vertical strokes of the image (morphological opening)
  give the row and column boundaries; a boundary missing over a cell (a merged cell) joins the
  cells, so the grid has the same shape pdfplumber gives a ruled PDF table (None where a merged
  cell covers a position). Each box goes to the cell its centre lies in.
- Unruled tables (no rules in the image; many reports print tables without borders): runs of
  lines with two or more figures; columns from clustering the figures' x centres across those
  lines; each figure line becomes a row of tab-separated cells, with an explicit blank where a
  column has no figure (and a second look at that cell's ink, scan.py), so a figure the
  detector missed does not shift the figures after it into other columns.
- Everything else is text: boxes on one baseline form a line, in x order, numbers kept apart by
  a space like the text layer of an unruled PDF table, so the same table recovery reads them.

Every character of a line or cell knows the box it came from (an index into the page's boxes).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from auditor.read.ocr import Box

# Deskew: angles tried, in degrees (scans are tilted by a few degrees at most).
MAX_SKEW = 3.0
# A stroke counts as a table rule when it is this fraction of the page width (height) long.
RULE_FRACTION_H = 1 / 30
RULE_FRACTION_V = 1 / 80
# A boundary is present over a cell when rule ink covers this share of the cell's side.
BOUNDARY_COVER = 0.5
MIN_BAND = 8  # px: thinner bands between two rules are one rule drawn twice
# A column rule covers this share of a row's height at least (a glyph's stroke does not).
ROW_SPAN = 0.8
# Red ink (a seal) is this much redder than green and blue (0–255); black and grey rules are not.
RED_MARGIN = 35
# A stroke that comes this close (share of the page) to both edges runs edge to edge: a fold.
EDGE_SHARE = 0.03

_CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、]")


@dataclass
class ScanLine:
    top: float
    text: str
    origins: tuple[int, ...]  # per character: index of its box in the page's boxes
    # The last row of an unruled table: its figure columns (left, right), for a row of the same
    # table alone at the top of the next page (scan.settle_lone_rows).
    columns: list[tuple[float, float]] | None = None
    # A line of figures opening the page (nothing but the top margin above it): its label
    # (box indices) and its figures, which may be a row of the table the previous page ended.
    lone: tuple[list[int], list[_Figure]] | None = None


@dataclass
class ScanGrid:
    top: float
    rows: list[list[str | None]]
    origins: list[list[tuple[int, ...] | None]]
    # Per position: its own band of the image (x0, y0, x1, y1), for a second look at an empty cell.
    cells: list[list[tuple[int, int, int, int]]]
    # An unruled table's figure rows (no rules in the image): each row is a line of the page of
    # its own (tops: per row), given back as tab-separated cells after the second look, so the
    # label lines between them stay where they are.
    tops: list[float] | None = None
    # A ruled row alone at the top of the page (lone_row_regions): the last row of a table the
    # previous page began, or nothing of the kind; `lines` are what its text reads as when it
    # continues no table (scan.settle_lone_rows decides, once every page is read).
    lines: list[ScanLine] | None = None
    # An unruled table's figure columns (left, right).
    columns: list[tuple[float, float]] | None = None


# A figure with specks read around it: ".0", "1.", "·3", "12," (noise and JPEG artefacts next to
# a digit come back as dots and commas). Only whole space-separated tokens; "1.属于…" is a label.
_STRAY = ".·・,，。:：;；'‘’`´\"“”°º˚~_"
_SPECKLED_NUMBER = re.compile(rf"^[{_STRAY}]*(\d+(?:\.\d+)?)[{_STRAY}]*$")


# Specks read at the edge of a box: a dot, a middle dot, a tick. Chinese text never starts with
# one, nor ends with "·"; a "." ends it only after a figure ("3." an enumerator), never after a
# Han character, a bracket or a dash ("- 3 -." is a page number and a speck).
_LEADING_SPECKS = re.compile(r"^[.·・'`‘’]+(?=\S)")
_ONLY_SPECKS = re.compile(r"^[.·・'`‘’,，:：;；°º˚\s]+$")
_TRAILING_SPECKS = re.compile(r"(?<=\S)(?:[·・'`‘]+|(?<=[\u3400-\u9fff）)\]】」-])\.+)$")


def clean_text(text: str) -> str:
    """The OCR text with the specks around it and around lone figures removed. "3. 其他" keeps
    its dot: a figure followed by words is an enumerator."""
    text = _TRAILING_SPECKS.sub("", _LEADING_SPECKS.sub("", text.strip()))
    if _ONLY_SPECKS.match(text):
        return ""  # a box that is a speck and nothing else
    tokens = [t for t in text.split(" ") if not _ONLY_SPECKS.match(t)]  # ". 0": a speck, then 0
    out = []
    for n, token in enumerate(tokens):
        m = _SPECKLED_NUMBER.match(token)
        following = next((t for t in tokens[n + 1:] if t), "")
        if m and (not following or _SPECKLED_NUMBER.match(following)):
            token = m.group(1)
        out.append(token)
    return " ".join(out).strip()


# --------------------------------------------------------------------------- deskew


def deskew(image):
    """The page (PIL RGB) rotated so its lines are horizontal, and the angle applied (degrees)."""
    import numpy as np

    small = image.convert("L")
    scale = 800 / max(small.size)
    if scale < 1:
        small = small.resize((max(1, int(small.width * scale)), max(1, int(small.height * scale))))
    ink = np.asarray(small) < 128
    if ink.sum() < 50:
        return image, 0.0
    best = (_sharpness(ink, 0.0), 0.0)
    for step, span in ((0.5, MAX_SKEW), (0.1, 0.5)):
        centre = best[1]
        for k in range(-int(span / step), int(span / step) + 1):
            angle = centre + k * step
            if abs(angle) > MAX_SKEW or k == 0:
                continue
            best = max(best, (_sharpness(ink, angle), angle))
    angle = best[1]
    if abs(angle) < 0.05:
        return image, 0.0
    from PIL import Image

    return image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255)), angle


def _sharpness(ink, angle: float) -> float:
    """How concentrated the ink's rows are after rotating by `angle`: text lines and rules are
    sharpest when horizontal. Rotation by shearing row indices (small angles)."""
    import numpy as np

    ys, xs = np.nonzero(ink)
    shifted = np.round(ys + xs * np.tan(np.radians(-angle))).astype(np.int64)
    shifted -= shifted.min()
    profile = np.bincount(shifted)
    return float((profile.astype(np.float64) ** 2).sum())


# --------------------------------------------------------------------------- rules and grids


@dataclass
class _Region:
    x0: int
    y0: int
    x1: int
    y1: int
    ys: list[int]  # row boundaries
    xs: list[int]  # column boundaries

    @property
    def one_row(self) -> bool:
        return len(self.ys) == 2


def _rule_masks(image):
    import cv2
    import numpy as np

    # A seal is red ink, and its ring's arcs are long strokes that would be taken for column
    # rules where it lies over a table: red pixels are paper for the rules. Black rules stay
    # black under the seal (ink on ink). The margin is low because JPEG's halved colour
    # resolution leaves a thin red stroke only half as red as it was printed.
    gray = np.asarray(image.convert("L")).copy()
    rgb = np.asarray(image).astype(np.int16)
    gray[(rgb[:, :, 0] - np.maximum(rgb[:, :, 1], rgb[:, :, 2])) > RED_MARGIN] = 255
    # Dark strokes on light paper; adaptive so a grey scan background or noise does not count.
    bw = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10)
    height, width = bw.shape
    h_len = max(20, int(width * RULE_FRACTION_H))
    v_len = max(15, int(height * RULE_FRACTION_V))
    horizontal = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vertical = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    # Close small gaps (noise, JPEG) along a rule so that coverage is measured on whole rules.
    horizontal = cv2.dilate(horizontal, np.ones((3, 5), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((5, 3), np.uint8))
    horizontal = _without_edge_to_edge(horizontal, axis=1)
    vertical = _without_edge_to_edge(vertical, axis=0)
    return horizontal > 0, vertical > 0, h_len, v_len


def _without_edge_to_edge(mask, axis: int):
    """The mask without the strokes that run from one edge of the page to the other: a fold of
    the paper, a scanner's lid shadow or a book's gutter, never a table (tables are printed
    inside the margins). axis 1: horizontal strokes spanning the width; 0: vertical ones. On a
    whole page (A4-shaped) a long stroke that reaches one edge is one too: a fold comes out
    of a poor copy in pieces, and the margins hold no table."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=8)
    size = mask.shape[axis]
    start, length = (cv2.CC_STAT_LEFT, cv2.CC_STAT_WIDTH) if axis == 1 else (cv2.CC_STAT_TOP, cv2.CC_STAT_HEIGHT)
    edge = EDGE_SHARE * size
    long_side, short_side = max(mask.shape), min(mask.shape)
    page = 1.3 <= long_side / max(1, short_side) <= 1.5

    def reaches(k: int) -> tuple[bool, bool]:
        return stats[k][start] <= edge, stats[k][start] + stats[k][length] >= size - edge

    across = [k for k in range(1, count)
              if all(reaches(k)) or (page and any(reaches(k)) and stats[k][length] >= 0.25 * size)]
    if not across:
        return mask
    out = mask.copy()
    out[np.isin(labels, across)] = 0
    return out


def _positions(counts, threshold: float) -> list[int]:
    """Centres of the runs of indices whose count reaches `threshold`."""
    out: list[int] = []
    run: list[int] = []
    for i, c in enumerate(counts):
        if c >= threshold:
            run.append(i)
        elif run:
            out.append(run[len(run) // 2])
            run = []
    if run:
        out.append(run[len(run) // 2])
    merged: list[int] = []
    for p in out:
        if merged and p - merged[-1] < MIN_BAND:
            continue
        merged.append(p)
    return merged


def _with_ends(positions: list[int], last: int) -> list[int]:
    if not positions or positions[0] >= MIN_BAND:
        positions = [0, *positions]
    if positions[-1] <= last - MIN_BAND:
        positions = [*positions, last]
    return positions


def _regions(horizontal, vertical, h_len: int, v_len: int) -> list[_Region]:
    import cv2
    import numpy as np

    both = (horizontal | vertical).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    regions = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < 3 * h_len or h < 2 * MIN_BAND:
            continue
        # The ends of the rules close the grid where no border is drawn (a table that goes on
        # over the page break has no bottom rule; its column rules end there).
        ys = _with_ends(_positions(horizontal[y:y + h, x:x + w].sum(axis=1), h_len), h - 1)
        xs = _with_ends(_positions(vertical[y:y + h, x:x + w].sum(axis=0), v_len), w - 1)
        xs = [v for k, v in enumerate(xs) if k in (0, len(xs) - 1) or _spans_a_row(vertical[y:y + h, x:x + w], v, ys)]
        if len(ys) < 2 or len(xs) < 3 or len(ys) == 2 and len(xs) < LONE_ROW_RULES:
            continue  # a frame or an underline, not a grid of 2×2 cells or a row of 3 cells
        regions.append(_Region(x, y, x + w, y + h, [y + v for v in ys], [x + v for v in xs]))
    return regions


# A ruled row of cells (a grid of one row) has this many column rules at least: three cells.
LONE_ROW_RULES = 4
# The top and bottom margins of a page, as a share of its height: a page's number, its running
# header, nothing of its body.
MARGIN_SHARE = 0.12


def _spans_a_row(vertical, at: int, ys: list[int]) -> bool:
    """Whether the vertical strokes at x = `at` run from one row rule to the next over at least
    one row: a column rule does; the strokes of a column of "1"s or of blurred characters, a
    glyph tall and short of the row's rules, do not."""
    column = vertical[:, max(0, at - 3):at + 4].any(axis=1)
    return any(bottom - top >= MIN_BAND and float(column[top:bottom].mean()) >= ROW_SPAN
               for top, bottom in zip(ys, ys[1:]))


def _boundary(mask, horizontal_side: bool, at: int, lo: int, hi: int) -> bool:
    """Whether rule ink covers the side [lo, hi) at `at` (a row y, or a column x)."""
    margin = max(2, (hi - lo) // 10)
    lo, hi = lo + margin, hi - margin
    if hi <= lo:
        return True
    if horizontal_side:
        strip = mask[max(0, at - 4):at + 5, lo:hi].any(axis=0)
    else:
        strip = mask[lo:hi, max(0, at - 4):at + 5].any(axis=1)
    return float(strip.mean()) >= BOUNDARY_COVER


_FIGURE = re.compile(r"^\d+(?:\.\d+)?$")


def _missing_row_rules(ys: list[int], boxes: list[Box], inside: list[int]) -> list[int]:
    """Row boundaries the image lost (a faint rule broken by noise, or taken away with the fold
    of the paper that runs along it): inside one band, figures on two or more baselines, each
    baseline with figures in two or more columns, are two rows. So are figures stacked one
    over the other in one column of a band twice as tall as the table's rows (a township's
    table fills only its total column: each row has one figure); a cell holds one figure."""
    bands = sorted(b - a for a, b in zip(ys, ys[1:]))
    usual = bands[len(bands) // 2] if bands else 0
    added = []
    for top, bottom in zip(ys, ys[1:]):
        figures = sorted((boxes[k] for k in inside if top <= boxes[k].cy < bottom and _FIGURE.match(boxes[k].text)),
                         key=lambda b: b.cy)
        baselines: list[list[Box]] = []
        for box in figures:
            if baselines and box.cy - baselines[-1][-1].cy <= 0.6 * max(box.height, baselines[-1][-1].height):
                baselines[-1].append(box)
            else:
                baselines.append([box])
        stacked = len(baselines) >= 2 and bottom - top >= 1.6 * usual and all(
            min(a.x1 for a in upper + lower) > max(a.x0 for a in upper + lower)
            for upper, lower in zip(baselines, baselines[1:]))
        if len(baselines) >= 2 and (all(len(line) >= 2 for line in baselines) or stacked):
            for upper, lower in zip(baselines, baselines[1:]):
                added.append(round((max(b.y1 for b in upper) + min(b.y0 for b in lower)) / 2))
    return added


def _grid(region: _Region, horizontal, vertical, boxes: list[Box], inside: list[int]) -> ScanGrid | None:
    virtual = set(_missing_row_rules(region.ys, boxes, inside))
    ys, xs = sorted({*region.ys, *virtual}), region.xs
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the top-left cell stays the root

    held = _held(ys, xs, boxes, inside)
    for i in range(n_rows):
        for j in range(n_cols):
            if i + 1 < n_rows and ys[i + 1] not in virtual \
                    and not _boundary(horizontal, True, ys[i + 1], xs[j], xs[j + 1]) \
                    and not _lost_rule(held, i * n_cols + j, (i + 1) * n_cols + j):
                union(i * n_cols + j, (i + 1) * n_cols + j)
            if j + 1 < n_cols and not _boundary(vertical, False, xs[j + 1], ys[i], ys[i + 1]) \
                    and not _lost_rule(held, i * n_cols + j, i * n_cols + j + 1):
                union(i * n_cols + j, i * n_cols + j + 1)

    # Pieces of boxes, each in one cell: the detector sometimes reads two neighbouring cells as
    # one box ("商业企业 科研机构", "0 0"); such a box is cut where a column rule crosses it.
    pieces: list[Box] = []
    piece_box: list[int] = []
    members: dict[int, list[int]] = {}
    for index in inside:
        box = boxes[index]
        i = min(max(bisect_right(ys, box.cy) - 1, 0), n_rows - 1)
        for j, piece in _cut_at_rules(box, xs, lambda j: find(i * n_cols + j) != find(i * n_cols + j + 1)):
            members.setdefault(find(i * n_cols + j), []).append(len(pieces))
            pieces.append(piece)
            piece_box.append(index)

    rows: list[list[str | None]] = []
    origins: list[list[tuple[int, ...] | None]] = []
    cells = [[(xs[j], ys[i], xs[j + 1], ys[i + 1]) for j in range(n_cols)] for i in range(n_rows)]
    for i in range(n_rows):
        row, row_origins = [], []
        for j in range(n_cols):
            k = i * n_cols + j
            if find(k) != k:
                row.append(None)
                row_origins.append(None)
                continue
            text, text_origins = _join(_lines_of(members.get(k, []), pieces), pieces, cell=True)
            row.append(text)
            row_origins.append(tuple(piece_box[o] for o in text_origins))
        rows.append(row)
        origins.append(row_origins)
    # A band with no own cell and no text (a rule drawn twice) is dropped, rows then columns.
    keep_rows = [i for i, row in enumerate(rows) if any(c for c in row)]
    rows = [rows[i] for i in keep_rows]
    origins = [origins[i] for i in keep_rows]
    cells = [cells[i] for i in keep_rows]
    if not rows:
        return None
    keep_cols = [j for j in range(n_cols) if any(row[j] is not None for row in rows)]
    # A band at the table's edge that no text is in is no column: a border drawn twice, or a
    # fold or the shadow of the paper's edge beside it. Kept, it adds an empty cell to every
    # row, and the table's columns no longer match those of its continuation on the next page
    # (pdf.to_blocks joins only grids of as many columns) nor a row's figures their columns.
    while len(keep_cols) > 2 and not any(row[keep_cols[-1]] for row in rows):
        keep_cols.pop()
    while len(keep_cols) > 2 and not any(row[keep_cols[0]] for row in rows) \
            and not any(row[keep_cols[0]] is not None and row[keep_cols[1]] is None for row in rows):
        keep_cols.pop(0)  # (unless a cell of it spans the next column: it is that cell's place)
    rows = [[row[j] for j in keep_cols] for row in rows]
    origins = [[row[j] for j in keep_cols] for row in origins]
    cells = [[row[j] for j in keep_cols] for row in cells]
    filled_rows = sum(1 for row in rows if any(row))
    filled_cols = len({j for row in rows for j, c in enumerate(row) if c})
    if filled_rows < 2 and not region.one_row or filled_cols < 2:
        return None
    if region.one_row and not any(c and all(_FIGURE.match(t) for t in c.split(" ")) for c in rows[0]):
        return None  # a row of a table holds a figure; a ruled strip of words is a heading
    return ScanGrid(region.y0, rows, origins, cells)


def _held(ys: list[int], xs: list[int], boxes: list[Box], inside: list[int]) -> dict[int, bool]:
    """Grid position (i * columns + j) → whether a figure is among the boxes whose centre lies
    in it (False: only words), for the positions that hold any box."""
    n_cols = len(xs) - 1
    held: dict[int, bool] = {}
    for index in inside:
        box = boxes[index]
        i = min(max(bisect_right(ys, box.cy) - 1, 0), len(ys) - 2)
        j = min(max(bisect_right(xs, box.cx) - 1, 0), n_cols - 1)
        figure = all(_FIGURE.match(t) for t in box.text.split(" "))
        held[i * n_cols + j] = held.get(i * n_cols + j, False) or figure
    return held


def _lost_rule(held: dict[int, bool], a: int, b: int) -> bool:
    """Whether the side between two neighbouring positions with no rule drawn is a rule the
    image lost (a poor copy breaks and fades rules), not a merged cell: both positions hold
    text, a figure among it. A merged cell holds one piece of text (a label, a heading, one
    figure over several columns); two positions each with its own text, one a figure, are
    two cells. Merged, the figure would join its neighbour's text ("科研机构0", "0 0") and
    leave its own position in the row empty, which moves the row's figures into other
    columns: a figure put under the wrong column, then an identity blamed on the report."""
    return a in held and b in held and (held[a] or held[b])


def _cut_at_rules(box: Box, xs: list[int], separate) -> list[tuple[int, Box]]:
    """The box as (column, piece) pairs: one piece per column its characters fall in, when the
    rule between those columns is drawn in its row (`separate(j)`: columns j and j+1 are apart).
    Characters are taken as evenly spread over the box (true of CJK text and of digits)."""
    n_cols = len(xs) - 1
    first = min(max(bisect_right(xs, box.x0 + 2) - 1, 0), n_cols - 1)
    last = min(max(bisect_right(xs, box.x1 - 2) - 1, 0), n_cols - 1)
    if first == last or len(box.text) < 2 or not any(separate(j) for j in range(first, last)):
        return [(min(max(bisect_right(xs, box.cx) - 1, 0), n_cols - 1), box)]
    width = (box.x1 - box.x0) / len(box.text)
    groups: list[tuple[int, list[int]]] = []
    for k, char in enumerate(box.text):
        j = min(max(bisect_right(xs, box.x0 + (k + 0.5) * width) - 1, 0), n_cols - 1)
        if groups and (groups[-1][0] == j or not separate(groups[-1][0])):
            groups[-1][1].append(k)
        else:
            groups.append((j, [k]))
    out = []
    for j, ks in groups:
        text = box.text[ks[0]:ks[-1] + 1].strip()
        if text:
            out.append((j, Box(box.x0 + ks[0] * width, box.y0, box.x0 + (ks[-1] + 1) * width, box.y1,
                               text, box.score)))
    return out


# --------------------------------------------------------------------------- lines


def _lines_of(indices: list[int], boxes: list[Box]) -> list[list[int]]:
    """Boxes grouped into lines by baseline, top to bottom, each line left to right."""
    lines: list[list[int]] = []
    for index in sorted(indices, key=lambda k: (boxes[k].cy, boxes[k].x0)):
        box = boxes[index]
        for line in reversed(lines[-3:]):
            ref = boxes[line[-1]]
            same_baseline = abs(box.cy - _line_cy(line, boxes)) <= 0.5 * max(box.height, ref.height)
            # Two boxes of one line may overlap by a part of a character (the detector cut a
            # line in two around a mark it could not read, "落实《政府", each part taking a
            # side of it); more than that is another line's box.
            slack = max(2.0, 0.5 * min(box.height, ref.height))
            overlaps = any(boxes[k].x0 < box.x1 - slack and box.x0 < boxes[k].x1 - slack for k in line)
            if same_baseline and not overlaps:
                line.append(index)
                break
        else:
            lines.append([index])
    for line in lines:
        line.sort(key=lambda k: boxes[k].x0)
    lines.sort(key=lambda line: _line_cy(line, boxes))
    return lines


def _line_cy(line: list[int], boxes: list[Box]) -> float:
    return sum(boxes[k].cy for k in line) / len(line)


def _join(lines: list[list[int]], boxes: list[Box], cell: bool) -> tuple[str, tuple[int, ...]]:
    """The text of lines of boxes, with each character's box. Inside a cell the lines of a
    wrapped label join without a break (as pdf._clean_cell undoes wrapping)."""
    text: list[str] = []
    origins: list[int] = []
    for n, line in enumerate(lines):
        if n:
            sep = "" if cell and (_CJK_END.search(text[-1]) or _CJK_START.search(boxes[line[0]].text)) else \
                (" " if cell else "\n")
            text.append(sep)
            origins.extend([line[0]] * len(sep))
        for m, k in enumerate(line):
            piece = boxes[k].text
            if m:
                sep = "" if _CJK_END.search(text[-1]) and _CJK_START.search(piece) else " "
                text.append(sep)
                origins.extend([k] * len(sep))
            text.append(piece)
            origins.extend([k] * len(piece))
    return "".join(text), tuple(origins)


# --------------------------------------------------------------------------- page


# --------------------------------------------------------------------------- unruled tables

# Figure columns of an unruled table: x centres of figures closer than this share of the page
# width are one column (columns of a report's table are 5–10% of the page apart).
COLUMN_GAP = 0.02
# Figure rows of one table are closer than this many times their usual spacing; a wider gap
# (a heading, a paragraph, another table's headers) ends the table.
ROW_GAP = 4.0
MIN_TABLE_ROWS = 3


@dataclass
class _Figure:
    cx: float
    box: int  # index of the box it was read in
    text: str
    x0: float
    x1: float


def _figures_of(box: Box, index: int) -> list[_Figure] | None:
    """The figures of a box holding only figures ("35", "0 0 1": the detector joins close
    cells), each at its share of the box; None for a box of words."""
    tokens = box.text.split(" ")
    if not tokens or not all(_FIGURE.match(t) for t in tokens):
        return None
    width = (box.x1 - box.x0) / max(1, len(box.text))
    out, pos = [], 0
    for token in tokens:
        x0 = box.x0 + pos * width
        x1 = x0 + len(token) * width
        out.append(_Figure((x0 + x1) / 2, index, token, x0, x1))
        pos += len(token) + 1
    return out


def _unruled_tables(image, lines: list[list[int]], boxes: list[Box]) -> tuple[list[ScanGrid], set[int]]:
    """Tables printed without rules, among the page's lines (lines of box indices, top to
    bottom): runs of lines with two or more figures each, close together. Their columns are
    the clusters of the figures' x centres over all the run's lines; each figure line becomes
    a row: its words left of the first column (the label), then one cell per column, "" where
    the line has no figure in that column (an explicit blank, not a shift of the figures after
    it). A run of lines with one figure each (a table with only its total column filled) has
    no clusters to find: its columns are its header's words above it (_header_columns). The
    grids, and the numbers of the lines they took."""
    grids, taken = [], set()
    several, one = {}, {}
    for n, line in enumerate(lines):
        figures = [f for k in line for f in (_figures_of(boxes[k], k) or [])]
        if len(figures) >= 2:
            several[n] = figures
        elif len(figures) == 1:
            one[n] = figures
    for run in _runs(lines, boxes, several):
        grid = _unruled_grid(image, run, lines, boxes, _columns(run, image.width))
        if grid is None and 2 <= len(run) < MIN_TABLE_ROWS:
            grid = _short_table(image, run, lines, boxes)
        if grid is not None:
            grids.append(grid)
            taken.update(n for n, _ in run)
    for run in _runs(lines, boxes, {n: f for n, f in one.items() if n not in taken}):
        if any(run[0][0] < n < run[-1][0] for n in taken) or len(run) < MIN_TABLE_ROWS:
            continue  # lines of another table between them: not rows of one table
        grid = _unruled_grid(image, run, lines, boxes, _header_columns(run, lines, boxes))
        if grid is not None:
            grids.append(grid)
            taken.update(n for n, _ in run)
    return grids, taken


def _short_table(image, run, lines: list[list[int]], boxes: list[Box]) -> ScanGrid | None:
    """A table of two rows printed without rules (table 二's 规章 and 行政规范性文件 under their
    three headings), one row short of a figure the other has (the detector missed a lone "0"):
    too few rows for the columns of figures to be clusters (the column of the missed figure has
    one figure, and makes none), so the columns are the fuller row's figures, when each figure
    of the other row lies under one of them (COLUMN_GAP), no two under one. The blank is then in
    place for the second look (scan.py), not a figure shifted into the column before it."""
    (n_first, first), (n_second, second) = run
    fuller, other = (first, second) if len(first) >= len(second) else (second, first)
    if len(fuller) == len(other):
        return None  # no figure missing: the rows read as lines lose nothing
    # Words read among the other row's figures ("-1": a signed change is no figure to the
    # layout) may be the figure it lacks: the row is read as its line, as printed.
    label_end = min(f.x0 for f in other)
    line = lines[n_second if other is second else n_first]
    if any(boxes[k].cx > label_end for k in line if not _figures_of(boxes[k], k)):
        return None
    centres = [f.cx for f in fuller]
    under = [min(range(len(centres)), key=lambda k: abs(centres[k] - f.cx)) for f in other]
    if len(set(under)) < len(under) or any(abs(centres[k] - f.cx) > COLUMN_GAP * image.width
                                           for k, f in zip(under, other)):
        return None
    half = [(b - a) / 2 for a, b in zip(centres, centres[1:])]
    columns = [(centres[k] - (half[k - 1] if k else half[0]), centres[k] + (half[k] if k < len(half) else half[-1]))
               for k in range(len(centres))]
    return _unruled_grid(image, run, lines, boxes, columns, min_rows=2)


def _runs(lines: list[list[int]], boxes: list[Box], figures_of: dict[int, list[_Figure]]):
    """The runs of lines with figures (line number → its figures) that are close together:
    a gap wider than ROW_GAP times their usual spacing, or words over the figures' columns (a
    sub-table's own header, a paragraph) end a run; a wrapped or group label left of the
    figures does not."""
    numbers = sorted(figures_of)
    pitches = [_line_cy(lines[b], boxes) - _line_cy(lines[a], boxes) for a, b in zip(numbers, numbers[1:])]
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else 0.0
    runs: list[list[tuple[int, list[_Figure]]]] = []
    open_run = False
    for n, line in enumerate(lines):
        if n in figures_of:
            previous = runs[-1][-1][0] if open_run else None
            if previous is not None and _line_cy(line, boxes) - _line_cy(lines[previous], boxes) <= ROW_GAP * pitch:
                runs[-1].append((n, figures_of[n]))
            else:
                runs.append([(n, figures_of[n])])
                open_run = True
        elif open_run:
            left = min(f.x0 for _, figures in runs[-1] for f in figures)
            if any(boxes[k].x1 > left for k in line):
                open_run = False
    return runs


# The header of a table is at most this many of its rows' spacing tall (table 三's is 3–4 lines).
HEADER_ROWS = 6
# Characters OCR reads in the gap between two header words printed close together
# ("社会公益·法律服务"): a word ends there, as at a space.
_WORD_GAP = re.compile(r"[ ·・•]+")


def _header_columns(run, lines: list[list[int]], boxes: list[Box]) -> list[tuple[float, float]] | None:
    """The columns of a run of table rows with one figure each, from the header words printed
    above its first row, right of the rows' labels: each word is a column, words stacked over
    one another ("社会公益" over "组织") one column, and a word over two or more others
    ("申请人情况", "法人或其他组织") a heading of several columns, not one. Boxes holding
    several words are cut at the gaps between them, each word at its share of the box. The
    columns as (left, right) bounds, halfway between neighbours; None without two columns."""
    row_lines = [lines[n] for n, _ in run]
    figures = {f.box for _, figures in run for f in figures}
    labels_end = max((boxes[k].x1 for line in row_lines for k in line if k not in figures), default=0.0)
    first_top = min(boxes[k].y0 for k in row_lines[0])
    pitch = (_line_cy(row_lines[-1], boxes) - _line_cy(row_lines[0], boxes)) / max(1, len(row_lines) - 1)
    words: list[tuple[float, float]] = []
    for k in (k for line in lines for k in line):  # the page's lines: not a ruled table's cells
        box = boxes[k]
        if not (first_top - HEADER_ROWS * pitch <= box.cy < first_top) or not box.text:
            continue
        width = (box.x1 - box.x0) / len(box.text)
        for m in re.finditer(r"[^ ·・•]+", box.text):
            x0, x1 = box.x0 + m.start() * width, box.x0 + m.end() * width
            if x0 >= labels_end - width and not _FIGURE.match(m.group()):
                words.append((x0, x1))
    if len(words) < 2:
        return None

    def over(a: tuple[float, float], b: tuple[float, float]) -> bool:  # b lies mostly under a
        return min(a[1], b[1]) - max(a[0], b[0]) >= 0.5 * (b[1] - b[0])

    # A heading over several columns covers two narrower words that do not overlap each other.
    spanning = {w for w in words
                if any(over(w, a) and over(w, b) and a[1] - a[0] < w[1] - w[0] and b[1] - b[0] < w[1] - w[0]
                       and min(a[1], b[1]) <= max(a[0], b[0]) for a in words for b in words)}
    columns: list[list[float]] = []
    for x0, x1 in sorted(w for w in words if w not in spanning):
        if columns and min(x1, columns[-1][1]) - max(x0, columns[-1][0]) >= 0.3 * min(x1 - x0, columns[-1][1] - columns[-1][0]):
            columns[-1] = [min(x0, columns[-1][0]), max(x1, columns[-1][1])]
        else:
            columns.append([x0, x1])
    if len(columns) < 2:
        return None
    middles = [(a + b) / 2 for a, b in columns]
    bounds = []
    for k, (x0, x1) in enumerate(columns):
        left = (middles[k - 1] + middles[k]) / 2 if k else x0 - (middles[1] - middles[0]) / 2
        right = (middles[k] + middles[k + 1]) / 2 if k + 1 < len(middles) else x1 + (middles[k] - middles[k - 1]) / 2
        bounds.append((left, right))
    return bounds


def _columns(run: list[tuple[int, list[_Figure]]], width: int) -> list[tuple[float, float]] | None:
    """The figure columns of a run of lines, left to right, each as (left, right) bounds; None
    when the figures fall in no clear columns (two of a line in one column)."""
    centres = sorted(f.cx for _, figures in run for f in figures)
    clusters: list[list[float]] = [[centres[0]]]
    for x in centres[1:]:
        if x - clusters[-1][-1] > COLUMN_GAP * width:
            clusters.append([x])
        else:
            clusters[-1].append(x)
    # A column holds figures of two rows at least (the detector misses many a lone "0" of an
    # unruled table, which the second look reads in the column's cell); a stray figure makes none.
    clusters = [c for c in clusters if len(c) >= 2]
    if len(clusters) < 2:
        return None
    middles = [sum(c) / len(c) for c in clusters]
    bounds = []
    for k, middle in enumerate(middles):
        left = (middles[k - 1] + middle) / 2 if k else clusters[k][0] - (middles[1] - middles[0]) / 2
        right = (middle + middles[k + 1]) / 2 if k + 1 < len(middles) else clusters[k][-1] + (middle - middles[k - 1]) / 2
        bounds.append((left, right))
    return bounds


def _unruled_grid(image, run, lines, boxes: list[Box], columns: list[tuple[float, float]] | None,
                  min_rows: int = MIN_TABLE_ROWS) -> ScanGrid | None:
    if len(run) < min_rows:
        return None
    if columns is None:
        return None
    rows, origins, cells, tops = [], [], [], []
    for n, figures in run:
        line = lines[n]
        top = min(boxes[k].y0 for k in line)
        bottom = max(boxes[k].y1 for k in line)
        placed: list[list[_Figure]] = [[] for _ in columns]
        for f in figures:
            j = next((j for j, (left, right) in enumerate(columns) if left <= f.cx < right), None)
            if j is None:
                return None  # a figure outside every column: not this table's row
            placed[j].append(f)
        if any(len(p) > 1 for p in placed):
            return None  # two figures of one line in one column: the columns are not right
        figure_boxes = {f.box for f in figures}
        words = [k for k in line if k not in figure_boxes]
        label = [k for k in words if boxes[k].cx < columns[0][0]]
        noise = [k for k in words if boxes[k].cx >= columns[0][0]]
        row, row_origins = [], []
        label_text, label_origins = _join([label], boxes, cell=True) if label else ("", ())
        row.append(label_text)
        row_origins.append(label_origins)
        row_cells = [(int(min((boxes[k].x0 for k in line), default=0)), int(top), int(columns[0][0]), int(bottom))]
        for j, (left, right) in enumerate(columns):
            here = [k for k in noise if left <= boxes[k].cx < right]
            if placed[j]:
                f = placed[j][0]
                row.append(f.text)
                row_origins.append((f.box,) * len(f.text))
            elif here:  # words where a figure should be: noise, for the second look to weigh
                text, text_origins = _join([here], boxes, cell=True)
                row.append(text)
                row_origins.append(text_origins)
            else:
                row.append("")
                row_origins.append(())
            pad = max(2, int((bottom - top) * 0.3))
            # A long label reaches into the first column's band: its last characters are no
            # figure for the second look to read there.
            left = max(left, max((boxes[k].x1 + 2 for k in label), default=left))
            row_cells.append((int(left), int(top) - pad, int(max(right, left + 1)), int(bottom) + pad))
        rows.append(row)
        origins.append(row_origins)
        cells.append(row_cells)
        # The row's place among the page's lines is its figures': a group label printed level
        # with it ("三、本年度办理结果（三）不予公开", centred on the group's rows) joins its line
        # and reaches above the row before it, which would put the row first.
        tops.append(min(boxes[f.box].y0 for f in figures))
    return ScanGrid(tops[0], rows, origins, cells, tops=tops, columns=columns)


def tab_joined(cells: list[tuple[str, tuple[int, ...]]], anchor: int) -> tuple[str, tuple[int, ...]]:
    """Cells joined by tabs, each character pointing at its box: a tab, and the characters of a
    cell without boxes of their own, point at `anchor`."""
    text, chars = [], []
    for n, (cell, origins) in enumerate(cells):
        if n:
            text.append("\t")
            chars.append(anchor)
        text.append(cell)
        chars.extend(origins if len(origins) == len(cell) else (anchor,) * len(cell))
    return "".join(text), tuple(chars)


def unruled_lines(grid: ScanGrid) -> list[ScanLine]:
    """An unruled table's rows as the page's lines: tab-separated cells, the blank ones in
    place (the label cell only when the row has one), each character pointing at its box."""
    out = []
    for top, row, row_origins in zip(grid.tops or [], grid.rows, grid.origins):
        cells = [(text or "", origins or ()) for text, origins in zip(row, row_origins)]
        if not cells[0][0]:
            cells = cells[1:]
        anchor = next((o[0] for _, o in cells if o), None)
        if anchor is None:
            continue
        out.append(ScanLine(top, *tab_joined(cells, anchor)))
    if out:
        out[-1].columns = grid.columns
    return out


# A line of this many figures (a table row printed without rules) is looked at again for the
# figures between them that the detector missed.
MIN_ROW_FIGURES = 4


def _missed_figures(image, line: list[int], boxes: list[Box], reread) -> None:
    """A lone row of figures (table 四 prints one): the ink between its first and last figure
    that no box covers, character by character, is read again alone (`reread(crop box)` → (text,
    score) or None); the figures found are added to `boxes` and to the line, in x order. The
    detector misses many a lone "0" of an unruled row, and a figure missing from a row read by
    its order moves every figure after it into the wrong column."""
    import numpy as np

    figures = [k for k in line if _figures_of(boxes[k], k)]
    if sum(len(boxes[k].text.split(" ")) for k in figures) < MIN_ROW_FIGURES:
        return
    top = int(min(boxes[k].y0 for k in figures))
    bottom = int(max(boxes[k].y1 for k in figures))
    left = int(min(boxes[k].x0 for k in figures))
    right = int(max(boxes[k].x1 for k in figures))
    height = bottom - top
    if height <= 4 or right - left <= height:
        return
    dark = np.asarray(image.convert("L").crop((left, top, right, bottom))) < 170
    covered = np.zeros(dark.shape[1], bool)
    for k in line:
        covered[max(0, int(boxes[k].x0) - left - 2):max(0, int(boxes[k].x1) - left + 2)] = True
    # Columns of ink a glyph tall, outside every box: runs of them (joined across a digit's
    # own gaps) are the missed characters.
    first = np.argmax(dark, axis=0)
    last = dark.shape[0] - 1 - np.argmax(dark[::-1], axis=0)
    extent = np.where(dark.any(axis=0), last - first + 1, 0)
    # The figures' own height in ink (the boxes are padded): what a missed digit measures up to.
    read = extent[covered & (extent > 0)]
    glyph = float(np.percentile(read, 75)) if len(read) else 0.5 * height
    tall = extent >= 0.6 * glyph
    runs, start, gap = [], None, 0
    for x, on in enumerate(tall & ~covered):
        if on:
            start = x if start is None else start
            gap = 0
        elif start is not None:
            gap += 1
            if gap > 0.5 * glyph:
                runs.append((start, x - gap + 1))
                start, gap = None, 0
    if start is not None:
        runs.append((start, dark.shape[1]))
    for x0, x1 in runs:
        if x1 - x0 < 0.25 * glyph:
            continue  # a speck, a stroke of a rule's remains
        pad = max(3, height // 4)
        crop = (max(0, left + x0 - pad), max(0, top - pad), min(image.width, left + x1 + pad), min(image.height, bottom + pad))
        read = reread(crop)
        if read is None or not _FIGURE.match(clean_text(read[0])):
            continue
        boxes.append(Box(*(float(v) for v in crop), clean_text(read[0]), read[1]))
        line.append(len(boxes) - 1)
    line.sort(key=lambda k: boxes[k].x0)


def layout(image, boxes: list[Box], reread=None) -> list[ScanLine | ScanGrid]:
    """The page's lines and grids in vertical order (the image deskewed as the boxes were read).
    `reread(crop box)`: the OCR of a crop alone, to look again at figures a row is missing."""
    horizontal, vertical, h_len, v_len = _rule_masks(image)
    items: list[ScanLine | ScanGrid] = []
    used: set[int] = set()
    for region in _regions(horizontal, vertical, h_len, v_len):
        inside = [k for k, b in enumerate(boxes) if k not in used
                  and region.x0 <= b.cx <= region.x1 and region.y0 <= b.cy <= region.y1]
        if region.one_row and any(MARGIN_SHARE * image.height < b.cy < region.y0 for b in boxes):
            continue  # a row of cells below text: not the rest of a table the previous page began
        grid = _grid(region, horizontal, vertical, boxes, inside)
        if grid is not None:
            if region.one_row:
                grid.lines = [ScanLine(min(boxes[k].y0 for k in line), *_join([line], boxes, cell=False))
                              for line in _lines_of(inside, boxes)]
            items.append(grid)
            used.update(inside)
    rest = [k for k in range(len(boxes)) if k not in used]
    lines = _lines_of(rest, boxes)
    unruled, taken = _unruled_tables(image, lines, boxes)
    items.extend(unruled)
    for n, line in enumerate(lines):
        if n in taken:
            continue
        if reread is not None:
            _missed_figures(image, line, boxes, reread)
        text, origins = _join([line], boxes, cell=False)
        items.append(ScanLine(min(boxes[k].y0 for k in line), text, origins))
    items.sort(key=lambda item: item.top)
    body = [item for item in items if item.top > MARGIN_SHARE * image.height]
    if body and isinstance(body[0], ScanLine) and body[0].columns is None:
        _mark_lone(body[0], lines, boxes)
    return items


def _mark_lone(item: ScanLine, lines: list[list[int]], boxes: list[Box]) -> None:
    """The line opening the page, when it holds two figures or more after its words: its label
    and figures (ScanLine.lone)."""
    line = next((line for line in lines if line and min(boxes[k].y0 for k in line) == item.top
                 and all(k in item.origins for k in line)), None)
    if line is None:
        return
    figures = [f for k in line for f in (_figures_of(boxes[k], k) or [])]
    label = [k for k in line if _figures_of(boxes[k], k) is None]
    if len(figures) >= 2 and all(boxes[k].x1 <= min(f.x0 for f in figures) for k in label):
        item.lone = (label, figures)
