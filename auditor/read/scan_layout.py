"""A page image and its OCR boxes → text lines and table grids, as pdf.py makes from a text layer.

- The page is deskewed first (scanners and phones tilt pages by a degree or two): the angle whose
  rotation gives the sharpest horizontal projection of the ink.
- Ruled tables: the long horizontal and vertical strokes of the image (morphological opening)
  give the row and column boundaries; a boundary missing over a cell (a merged cell) joins the
  cells, so the grid has the same shape pdfplumber gives a ruled PDF table (None where a merged
  cell covers a position). Each box goes to the cell its centre lies in.
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


@dataclass
class ScanGrid:
    top: float
    rows: list[list[str | None]]
    origins: list[list[tuple[int, ...] | None]]
    # Per position: its own band of the image (x0, y0, x1, y1), for a second look at an empty cell.
    cells: list[list[tuple[int, int, int, int]]]


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
    inside the margins). axis 1: horizontal strokes spanning the width; 0: vertical ones."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=8)
    size = mask.shape[axis]
    start, length = (cv2.CC_STAT_LEFT, cv2.CC_STAT_WIDTH) if axis == 1 else (cv2.CC_STAT_TOP, cv2.CC_STAT_HEIGHT)
    edge = EDGE_SHARE * size
    across = [k for k in range(1, count)
              if stats[k][start] <= edge and stats[k][start] + stats[k][length] >= size - edge]
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
        if len(ys) < 3 or len(xs) < 3:
            continue  # a frame or an underline, not a grid of at least 2×2 cells
        regions.append(_Region(x, y, x + w, y + h, [y + v for v in ys], [x + v for v in xs]))
    return regions


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
    """Row boundaries the image lost (a faint rule broken by noise): inside one band, figures on
    two or more baselines, each baseline with figures in two or more columns, are two rows."""
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
        if len(baselines) >= 2 and all(len(line) >= 2 for line in baselines):
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

    for i in range(n_rows):
        for j in range(n_cols):
            if i + 1 < n_rows and ys[i + 1] not in virtual \
                    and not _boundary(horizontal, True, ys[i + 1], xs[j], xs[j + 1]):
                union(i * n_cols + j, (i + 1) * n_cols + j)
            if j + 1 < n_cols and not _boundary(vertical, False, xs[j + 1], ys[i], ys[i + 1]):
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
    rows = [[row[j] for j in keep_cols] for row in rows]
    origins = [[row[j] for j in keep_cols] for row in origins]
    cells = [[row[j] for j in keep_cols] for row in cells]
    filled_rows = sum(1 for row in rows if any(row))
    filled_cols = len({j for row in rows for j, c in enumerate(row) if c})
    if filled_rows < 2 or filled_cols < 2:
        return None
    return ScanGrid(region.y0, rows, origins, cells)


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
            overlaps = any(boxes[k].x0 < box.x1 - 2 and box.x0 < boxes[k].x1 - 2 for k in line)
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


def layout(image, boxes: list[Box]) -> list[ScanLine | ScanGrid]:
    """The page's lines and grids in vertical order (the image deskewed as the boxes were read)."""
    horizontal, vertical, h_len, v_len = _rule_masks(image)
    items: list[ScanLine | ScanGrid] = []
    used: set[int] = set()
    for region in _regions(horizontal, vertical, h_len, v_len):
        inside = [k for k, b in enumerate(boxes) if k not in used
                  and region.x0 <= b.cx <= region.x1 and region.y0 <= b.cy <= region.y1]
        grid = _grid(region, horizontal, vertical, boxes, inside)
        if grid is not None:
            items.append(grid)
            used.update(inside)
    rest = [k for k in range(len(boxes)) if k not in used]
    for line in _lines_of(rest, boxes):
        text, origins = _join([line], boxes, cell=False)
        items.append(ScanLine(min(boxes[k].y0 for k in line), text, origins))
    items.sort(key=lambda item: item.top)
    return items
