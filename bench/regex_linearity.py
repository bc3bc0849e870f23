"""Every regular expression the package applies to report text, timed on hostile strings: flags
the ones whose time grows faster than the length of the text.

    python bench/regex_linearity.py [--sizes 10000,20000,40000] [--timeout 120] [--only SUBSTRING]

How the patterns are found: `re._compile` (which every re.compile/search/match/sub/… goes
through) is wrapped before the package is imported, and every pattern compiled from a file under
auditor/ is recorded with the place it was compiled at. Then every module of the package is
imported (module-level patterns) and one parse + audit runs on each sample report under corpus/
(patterns built inside functions, from rule files and data lists), so the list is what a real
audit uses.

How each pattern is timed: on strings made by repeating a short unit (digits, spaces, CJK,
punctuation, brackets, enumeration markers, …, and every literal character of the pattern itself),
with and without a final character nothing matches, `len(list(p.finditer(s)))` — finditer scans
every start position, like search/findall/sub do. A first pass at 2,000 and 8,000 characters
screens; a pattern whose time grows more than 6× there (4× is linear) is timed at the --sizes
(default 10k/20k/40k). It is flagged when the time at the largest size is over 8× the time at the
smallest (linear: 4×, quadratic: 16×) and over 50 ms — or when its measurements do not finish
within --timeout seconds (they run in a child process that is killed then).

A few patterns are only ever applied at one position (re.match / fullmatch from a given start), so
a search's restart at every position never happens to them: those (ANCHORED, with where they are
used) are timed with .match at the start of the hostile string instead; a pattern applied only to
a bounded prefix of the text (BOUNDED) is listed and not timed.

Exit code 1 when a pattern is flagged.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "auditor"

# --------------------------------------------------------------------------- collecting

_SEEN: dict[tuple[str, int], str] = {}  # (pattern, flags) -> "file:line" of the first compile


def _install_recorder() -> None:
    original = re._compile

    def recording(pattern, flags):
        if isinstance(pattern, str):
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename.endswith(("/re/__init__.py", "/re.py")):
                frame = frame.f_back
            if frame is not None and frame.f_code.co_filename.startswith(str(PACKAGE)):
                key = (pattern, int(flags))
                if key not in _SEEN:
                    where = os.path.relpath(frame.f_code.co_filename, ROOT)
                    _SEEN[key] = f"{where}:{frame.f_lineno}"
        return original(pattern, flags)

    re._compile = recording


def collect() -> dict[tuple[str, int], str]:
    """(pattern, flags) -> where it was compiled, for every pattern the package uses."""
    _install_recorder()
    sys.path.insert(0, str(ROOT))
    import importlib
    import pkgutil

    import auditor

    for info in pkgutil.walk_packages(auditor.__path__, "auditor."):
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 — an optional dependency missing: its patterns are skipped
            print(f"(could not import {info.name})", file=sys.stderr)

    from auditor.checks import run_checks
    from auditor.rules.loader import load_rules
    from auditor.structure import parse_file

    rules = load_rules()
    for path in sorted((ROOT / "corpus").iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".docx", ".pdf") and path.name != "README.md":
            try:
                doc = parse_file(str(path))
                run_checks(doc, rules)
            except Exception:  # noqa: BLE001 — a sample that fails is reported, the rest go on
                traceback.print_exc()
    # The sentence splitter and claim finder also run on text shaped unlike the samples.
    from auditor.nlp.sentences import split_text

    split_text("一、总体情况\n1 2 3\n（一）主动公开方面。1.规章\t2\n")
    return dict(_SEEN)


# Patterns used only anchored at one position: timed with .match, as they are used.
ANCHORED_PREFIXES = {
    r"\s*(?:其中|具体(?:包括|为|是|如下)|包括|分别(?:为|是)": "CONTINUES_PARAGRAPH.match — nlp/claims/__init__.py",
    r"\s*(?:含|包含|包括|内含)": "re.fullmatch of the text after a part — nlp/claims/lists.py",
    r"\s*[，,]\s*(?:历年|以往|往年|至今|截至目前|截止目前)": "STOCK_OF_THE_PART.fullmatch — nlp/claims/lists.py",
    r"\s*(?:[，,、]\s*)?(?:约)?占": "re.match in with_share — nlp/claims/lists.py",
    r"\s*[、，,；;和及与][^，。；：！？]{0,12}": "re.fullmatch of the text between two figures — nlp/claims/phrases.py",
    r"\s*(\d+)": "re.match of a colspan/rowspan value — read/html.py",
    r"[ \t]?[，,]?\s*其中": "PARTS_FOLLOW.match where a figure ends — nlp/quantities.py",
    r"\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?": "OPENS_WITH_ABSOLUTE.match of a sentence's start — nlp/claims/negations.py",
    r"\s*(?:申请人|当事人|群众|人员|市民|居民|企业)": "PEOPLE_AFTER.match where a figure ends — nlp/claims/phrases.py",
    r"\s*(?:年|月|日|号|届|次会议|个工作日)": "DATE_OR_TERM_AFTER.match where a bare number ends — nlp/claims/lists.py",
    r"\s*[“\"「]([^”\"」\n]{1,16})[”\"」](?:的)?\s?\d": "QUOTED_ITEM.match of a sentence — nlp/claims/lists.py",
    r"(.+?)(?:关于)?(?:政府信息公开|政务公开|信息公开)": "re.match of the title — structure/meta.py",
    r".*[，,；;。！？!\?：": "_THROUGH_LAST_STOP / _THROUGH_LAST_CLAUSE_END.match up to a position — nlp/claims/text.py",
    r"\s*((?:\d+(?:\.\d+)?|[-—/])(?:\s+": "_FIGURES.match — structure/tables/legacy.py",
    r"(?:[^，。；：！？\d]{0,16}?的|[^，。；：！？\d]{0,10}?)?": "re.match(RIGHT_GAP_TABLE + …) — nlp/claims/phrases.py",
    r"[^，。；：！？]*\d": "re.match after an absolute (已办结4件) — nlp/claims/negations.py",
    r"\s*(?P<month>\d{1,2}|": "_DATE_REST.match after a year — structure/meta.py",
    r"\s*([+-]?\d[0-9.]*[A-Za-z]": "_NOT_A_FIGURE.match of a row's figures — structure/tables/legacy.py",
    r"\s*(?:共|共计|合计|计)\s*": "re.fullmatch of the text between a part and the next figure — nlp/claims/lists.py",
    r"^\s*(?:[，,]\s*)?(?:(?:其中|包括": "COLON_CLOSES.match of the rest of a sentence — nlp/claims/lists.py",
    r"(?:[，,：:\s]*其中)?[，,：:\s]*(?:19|20)": "YEARS_ITEM.fullmatch of an item's words — nlp/claims/lists.py",
    r"\s*[^，。；：！？\d的]{0,4}?(?:单位|部门": "BODIES_AFTER.match where a figure ends — nlp/claims/phrases.py",
    r"\s*[（(](?P<inside>[^（）()\n]{0,40})": "BRACKET_AFTER.match where a figure ends — nlp/quantities.py",
    r"\s*(?:[，,]\s*)?(?:较|比|同比|与)": "BASE_IN_BRACKETS.fullmatch of the text before a growth rate — nlp/claims/rates.py",
    r"\s*[、，,；;]\s*[^。！？：:，,；;]{1,24}": "ENUMERATED_ITEM.fullmatch of the text between two items — nlp/claims/lists.py",
    r"[，,：:\s]*重点[^，,；;：:\d]{0,6}方面": "SELECTED_AREAS.match right after a list's intro — nlp/claims/lists.py",
    r"\s*[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[）)]": "_SUB_NUMERAL.match of a heading line's title — structure/sections.py",
    r"(\d+(?:\.(\d+))?)\s*%": "LEADING_PERCENT.match of a topic share's text — checks/claim.py",
    r"\s*[，,]\s*(?:其中)?(?:实现)?全文电子化": "ELECTRONIC_OF_THE_PART.fullmatch of the text after a part — nlp/claims/lists.py",
    r"\s*(?:是|属于?|为|系)(?:涉及|关于|有关)?": "TOPIC_AFTER.match where a percent ends — nlp/claims/rates.py",
}
# Patterns applied only to a bounded prefix of the text: not timed.
BOUNDED = {
    r"^\s*(?:标题|题名|名称)\s*[:：]\s*(.+?)\s*$": "_TITLE_LINE.search(text[:2000]) — structure/meta.py",
    r"(?<=\S)(?:[·・'`‘]+|(?<=[\u3400-\u9fff）)\]】」-])\.+)$": "_TRAILING_SPECKS.sub of one OCR box's text — read/scan_layout.py",
}


def anchored_use(pattern: str) -> str | None:
    return next((why for prefix, why in ANCHORED_PREFIXES.items() if pattern.startswith(prefix)), None)


# --------------------------------------------------------------------------- hostile strings

UNITS = ["1", "12 ", "1 ", "1.", "1,", "1.5 ", "-1 ", "１", " ", "\u3000", "\t", "\n", " \n", "中", "一", "是",
         "一是", "（", "）", "（一）", "(1)", "1、", "一、", "第", "第一，", "《", "》", "“", "。", "，", "、", "；",
         "：", "-", ".", "%", "|", "a", "ab", "年", "件", "1件", "中1", "1\n", "中\n", "。\n", "<", "&", "#"]
STOP = "\x01"  # a character no pattern matches: makes anchored and backtracking patterns fail


def _literals(pattern: str, flags: int) -> list[str]:
    """Each literal character of the pattern (the units a hostile string for it is made of)."""
    try:
        tree = re._parser.parse(pattern, flags)
    except re.error:
        return []
    found: list[str] = []

    def walk(items):
        for op, av in items:
            if op is re._constants.LITERAL:
                found.append(chr(av))
            elif op is re._constants.IN:
                for sub_op, sub_av in av:
                    if sub_op is re._constants.LITERAL:
                        found.append(chr(sub_av))
                    elif sub_op is re._constants.RANGE:
                        found.append(chr(sub_av[0]))
            elif op in (re._constants.MAX_REPEAT, re._constants.MIN_REPEAT,
                        getattr(re._constants, "POSSESSIVE_REPEAT", None)):
                walk(av[2])
            elif op is re._constants.SUBPATTERN:
                walk(av[-1])
            elif op is re._constants.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (re._constants.ASSERT, re._constants.ASSERT_NOT):
                walk(av[1])
            elif op is getattr(re._constants, "ATOMIC_GROUP", None):
                walk(av)

    walk(tree)
    return list(dict.fromkeys(found))[:40]


def families(pattern: str, flags: int) -> list[str]:
    units = list(dict.fromkeys(UNITS + _literals(pattern, flags)))
    return [u for u in units]


def hostile(unit: str, size: int, stop: bool) -> str:
    text = (unit * (size // len(unit) + 1))[:size]
    return text + STOP if stop else text


# --------------------------------------------------------------------------- timing (child process)


def _time_one(pattern: str, flags: int, unit: str, stop: bool, size: int) -> float:
    compiled = re.compile(pattern, flags)
    text = hostile(unit, size, stop)
    anchored = anchored_use(pattern) is not None
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        if anchored:
            compiled.match(text)
        else:
            for _ in compiled.finditer(text):
                pass
        best = min(best, time.perf_counter() - started)
        if best > 0.5:
            break
    return best


def _measure_pattern(pattern: str, flags: int, sizes: list[int]) -> tuple[str, bool, list[float]] | None:
    """(unit, stop, times at sizes) of the first family on which the pattern grows faster than
    linearly, or None."""
    for unit in families(pattern, flags):
        for stop in (False, True):
            small, large = _time_one(pattern, flags, unit, stop, 2000), _time_one(pattern, flags, unit, stop, 8000)
            if large > 0.002 and large > 6 * max(small, 1e-5):
                times = [_time_one(pattern, flags, unit, stop, n) for n in sizes]
                if times[-1] / max(times[0], 1e-6) > 8 and times[-1] > 0.05:
                    return unit, stop, times
    return None


def _worker(jobs, results, sizes):
    for index, pattern, flags in iter(jobs.get, None):
        try:
            results.put((index, _measure_pattern(pattern, flags, sizes), None))
        except Exception as exc:  # noqa: BLE001
            results.put((index, None, repr(exc)))


def run(patterns: list[tuple[str, int, str]], sizes: list[int], timeout: float) -> list[tuple]:
    """Times every pattern in a child process; a pattern that does not finish within `timeout`
    seconds kills its child and is flagged."""
    flagged = []
    ctx = mp.get_context("fork")
    index = 0
    while index < len(patterns):
        jobs, results = ctx.Queue(), ctx.Queue()
        # A killed child leaves the jobs it never read in the pipe: without this the parent's feeder
        # thread waits at exit to flush them into a pipe nobody reads, and the run never ends.
        jobs.cancel_join_thread()
        child = ctx.Process(target=_worker, args=(jobs, results, sizes), daemon=True)
        child.start()
        for i in range(index, len(patterns)):
            jobs.put((i, patterns[i][0], patterns[i][1]))
        jobs.put(None)
        while index < len(patterns):
            pattern, flags, where = patterns[index]
            budget = timeout
            try:
                got, slow, error = results.get(timeout=budget)
            except Exception:  # queue.Empty: the pattern hangs
                child.kill()
                child.join()
                flagged.append((where, pattern, f"did not finish in {budget:.0f} s", []))
                print(f"HANG  {where}  {pattern[:100]!r}", flush=True)
                index += 1
                break
            assert got == index
            if error:
                print(f"error {where}: {error}", file=sys.stderr)
            if slow:
                unit, stop, times = slow
                flagged.append((where, pattern, f"unit {unit!r}{' + stop' if stop else ''}", times))
                print(f"SLOW  {where}  {pattern[:100]!r}  unit {unit!r}{' +stop' if stop else ''}  "
                      + "  ".join(f"{n}:{t:.3f}s" for n, t in zip(sizes, times)), flush=True)
            index += 1
        else:
            child.join()
    return flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per pattern")
    parser.add_argument("--only", default="", help="only patterns compiled in files containing this")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    found = collect()
    patterns = sorted(((p, f, where) for (p, f), where in found.items() if args.only in where),
                      key=lambda item: item[2])
    print(f"{len(patterns)} patterns compiled under auditor/ (imports + parse/audit of corpus/)", flush=True)
    for pattern, _, where in patterns:
        if pattern in BOUNDED:
            print(f"not timed  {where}  {pattern[:60]!r}: {BOUNDED[pattern]}")
        elif anchored_use(pattern):
            print(f"anchored   {where}  {pattern[:60]!r}: timed with .match ({anchored_use(pattern)})")
    patterns = [item for item in patterns if item[0] not in BOUNDED]
    started = time.perf_counter()
    flagged = run(patterns, sizes, args.timeout)
    print(f"{len(flagged)} of {len(patterns)} patterns grow faster than linearly "
          f"({time.perf_counter() - started:.0f} s)")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
