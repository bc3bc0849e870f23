"""Reading a row's printed numbers as exactly `width` cells.

Crawler text prints a row of table 三 as "21710000218": seven cells with no separators. The
readings are every way to cut the digits into `width` numbers (no leading zeros, a "-" only at
the start of a cell, a decimal point inside one cell, every printed separator kept as a cut).
The table's own identities choose among them: a row's 总计 is the sum of its six applicant
cells, a group of table 四 sums to its 总计, and (in resolve.py) the columns of table 三 add up.
Runs that remain ambiguous are reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from auditor.model import UNREADABLE_CELL
from auditor.structure.tables.cells import Token

MAX_NODES = 200_000  # search budget per row; beyond it the row is reported unreadable
# Counts and amounts in 万元 have far fewer digits; past 15 a float is no longer exact either.
MAX_DIGITS = 15

_VALID = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
# \d+(?:\.\d*)? rather than \d+\.?\d*: the same numbers, but a long run of digits is no longer split
# every way between the two repeats before failing (time quadratic in the run).
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$")


def to_number(text: str | None):
    """The value of a printed cell: plain decimal digits only ("1e5" is not 100000, nor 1)."""
    if text is None or not _PLAIN.match(text):
        return None
    if len(text) - text.count("-") - text.count(".") > MAX_DIGITS:
        return None
    return float(text) if "." in text else int(text)


def not_a_number_cause(text: str | None) -> str | None:
    """Why a printed cell has no value (in Chinese); None when it has one or is blank."""
    if not text or to_number(text) is not None:
        return None
    if text == UNREADABLE_CELL:
        return "扫描件此格有字迹但未能识别"
    if _SCIENTIFIC.match(text):
        return "科学计数法不是件数或金额"
    if _PLAIN.match(text):
        return f"超过 {MAX_DIGITS} 位数字"
    return "不是数字"


def cell_value(path: str, text: str | None, diagnostics: list) -> int | float | None:
    """The value of the printed cell at `path` ("applications.granted.total"); a cell printed but
    unreadable ("1e5") is None with a "cell_unreadable" note, so checks neither read it as a
    number nor report it as a blank the report left."""
    value = to_number(text)
    cause = not_a_number_cause(text) if value is None else None
    if cause:
        from auditor.model import Diagnostic
        from auditor.structure.tables.labels import cell_label

        printed = "：" if text == UNREADABLE_CELL else f"印的是“{text[:40]}”："
        diagnostics.append(Diagnostic("cell_unreadable", f"{cell_label(path)}{printed}{cause}，无法读取，记为空",
                                      (path,), {"printed": text[:200], "cause": cause}))
    return value


def _flatten(tokens: list[Token]) -> tuple[str, set[int], set[int]]:
    """Concatenated digits, positions where a cut is required, positions where one is forbidden."""
    s = ""
    required: set[int] = set()
    forbidden: set[int] = set()
    for i, tok in enumerate(tokens):
        if i > 0:
            required.add(len(s))
        start = len(s)
        s += tok.text
        if tok.text.startswith("-"):
            forbidden.add(start + 1)  # never separate a sign from its digits
        dot = tok.text.find(".")
        if dot >= 0:
            # The decimal part runs to the end of its printed token.
            forbidden.update(range(start + dot, start + len(tok.text) + 1))
            forbidden.discard(start + len(tok.text))
    return s, required, forbidden


def cuts(tokens: list[Token], width: int,
         checkpoints: dict[int, Callable[[list[str]], bool]] | None = None,
         budget: list[int] | None = None) -> Iterator[list[str]]:
    """All readings of the tokens as `width` cells passing the checkpoint predicates.

    checkpoints[k](parts) is called when k parts have been chosen and may reject the prefix.
    """
    s, required, forbidden = _flatten(tokens)
    checkpoints = checkpoints or {}
    budget = budget if budget is not None else [MAX_NODES]
    req_sorted = sorted(required)

    def next_required(pos: int) -> int:
        for r in req_sorted:
            if r > pos:
                return r
        return len(s)

    def rec(pos: int, parts: list[str]) -> Iterator[list[str]]:
        budget[0] -= 1
        if budget[0] < 0:
            return
        left = width - len(parts)
        if left == 1:
            part = s[pos:]
            if part and _VALID.match(part) and next_required(pos) == len(s):
                full = parts + [part]
                check = checkpoints.get(width)
                if check is None or check(full):
                    yield full
            return
        limit = next_required(pos)
        for end in range(pos + 1, min(limit, len(s) - (left - 1)) + 1):
            if end in forbidden:
                continue
            part = s[pos:end]
            if not _VALID.match(part):
                if part.startswith("0") and len(part) > 1:
                    break  # a longer part with a leading zero is never valid
                continue
            chosen = parts + [part]
            check = checkpoints.get(len(chosen))
            if check is not None and not check(chosen):
                continue
            yield from rec(end, chosen)

    if not s:
        return
    yield from rec(0, [])


def _sum_check(lo: int, hi: int) -> Callable[[list[str]], bool]:
    """parts[hi] must equal the sum of parts[lo:hi]."""

    def check(parts: list[str]) -> bool:
        values = [to_number(p) for p in parts[lo:hi + 1]]
        if any(v is None for v in values):
            return True
        return abs(sum(values[:-1]) - values[-1]) < 1e-9

    return check


def application_row_checks() -> dict[int, Callable[[list[str]], bool]]:
    return {7: _sum_check(0, 6)}


def appeal_row_checks() -> dict[int, Callable[[list[str]], bool]]:
    return {5: _sum_check(0, 4), 10: _sum_check(5, 9), 15: _sum_check(10, 14)}


def readings(tokens: list[Token], width: int, explicit: bool,
             checks: dict[int, Callable[[list[str]], bool]] | None) -> tuple[list[tuple], str]:
    """Candidate rows (tuples of printed cell texts or None) and how they were obtained.

    how: "exact" (one cell per printed value), "trimmed" (padding blanks dropped), "split" (a run
    of digits cut under the identities), "split_unchecked" (cut without an identity holding),
    "aligned" (too few values: right-aligned, the missing cells left blank), "none".
    """
    toks = list(tokens)
    if len(toks) > width:
        while len(toks) > width and toks[-1].kind == "blank":
            toks.pop()
        while len(toks) > width and toks[0].kind == "blank":
            toks.pop(0)
        if len(toks) > width:
            toks = toks[-width:]
        return [tuple(_printed(t) for t in toks)], "trimmed"
    if len(toks) == width:
        return [tuple(_printed(t) for t in toks)], "exact"
    nums = [t for t in toks if t.kind == "num"]
    if not nums:
        return [tuple(None for _ in range(width))], "blank"
    digits = sum(len(t.text.lstrip("-").replace(".", "")) for t in nums)
    if len(nums) == len(toks) and digits >= width:
        found = [tuple(c) for c in cuts(nums, width, checks)]
        if found:
            return found, "split"
        if checks:
            unchecked = []
            for c in cuts(nums, width, None, [5000]):
                unchecked.append(tuple(c))
                if len(unchecked) > 1:
                    break
            if len(unchecked) == 1:
                return unchecked, "split_unchecked"
    padded = [None] * (width - len(toks)) + [_printed(t) for t in toks]
    return [tuple(padded)], "aligned"


def _printed(token: Token) -> str | None:
    """A cell's printed text: digits, or what a "bad" cell holds (to_number gives it no value)."""
    return token.text if token.kind != "blank" else None


# --------------------------------------------------------------------------- table 二 priors
# Table 二 has no identity, so a glued run such as "77132470" (本年制发/废止/现行有效) is read with
# stated evidence instead: the same figures restated in the narrative, then plain priors about
# these counts. The choice is always reported with its alternatives.

def _balance(parts: tuple) -> float:
    lengths = [len(str(p).lstrip("-").split(".")[0]) for p in parts]
    mean = sum(lengths) / len(lengths)
    return -0.5 * sum((x - mean) ** 2 for x in lengths) / len(lengths)


def active_prior(columns: tuple[str, ...], parts: tuple) -> float:
    v = [to_number(p) for p in parts]
    if any(x is None for x in v):
        return -100.0
    score = 0.0
    if columns == ("issued", "repealed", "in_force"):
        score += 1.0 if v[2] >= v[0] else 0.0
        score += _balance(parts)
    elif columns == ("made", "published", "total_published"):
        score += 2.0 if v[0] == v[1] else 0.0
        score += 1.0 if v[2] >= v[1] else 0.0
        score += _balance(parts)
    elif columns == ("previous", "change", "decisions"):
        score += 1.0 if v[1] == 0 else 0.0
        score += 1.0 if abs(v[1]) <= v[0] else 0.0
        score += _balance(parts)
    elif columns == ("previous", "change"):
        score += 1.0 if v[1] == 0 else 0.0
        score += 1.0 if abs(v[1]) <= v[0] else 0.0
    elif columns == ("projects", "amount"):
        import math
        if v[0] <= 0 or v[1] <= 0:
            return -50.0
        # Central procurement projects are typically worth some hundreds of thousands of 元 each.
        score -= abs(math.log10(v[1] / v[0]) - 5.5)
    return score
