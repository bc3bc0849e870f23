"""Which regular expressions from rule files may run: those that cannot backtrack super-linearly.

A rule's pattern runs (re.finditer / re.search) over the whole report. Python's engine backtracks:
`(a+)+$` takes exponential time on "aaaa…!", and even `\\d+号` takes time quadratic in the length
of a digit run, because the search retries the run from each of its digits. A rules directory is
configuration a person writes, so such a pattern must be refused when the rules are loaded
(`auditor rules check` and every audit), with the file and line, not found by a hung audit.

Why not another engine: RE2 (google-re2) runs in linear time, but it has no lookarounds and no
backreferences, and the shipped rules use both (LEG-711 `(?!711\\s*号)`, TXT-MISSING-NUMBER's
lookbehind, TXT-REPEAT's `(…)\\1`). A time limit would make findings depend on the machine's load.
So patterns keep Python's syntax and engine, and only a shape that is linear by construction is
accepted:

1. A repeat without an upper bound (`*`, `+`, `{n,}`) repeats a single character or character
   class (`\\s*`, `[^。]+`), never a group (`(a+)+`, `(?:ab)*`: give those a bound, `{0,20}`).
2. Such a repeat is fenced: every character that can come just before it, and every character
   that can come just after it, is one it cannot match (`国令\\s*第`: 令 and 第 are not spaces; a
   lookbehind `(?<!\\d)\\d+` fences too: the run is entered where it starts; so does such a character
   up to MAX_LEAD single characters earlier, `令\\d[1-9]*`: the run is entered at most that many
   places), or
   it ends the pattern (then the match succeeds the first time it is reached). Then each run of its characters is entered at one place
   and left at one place: the search cannot restart inside the run, and backtracking into the run
   fails at once at every position. At the start of a pattern it is fenced only by `^`/`\\A`.
3. Everything else is bounded, and the number of ways the pattern can match from one position —
   the product of the bounded repeats' counts, the sum over alternatives that can start with the
   same character — is at most MAX_PATHS. That bounds the work per position of the text by a
   constant, so the time is linear in the text's length.

The check is sufficient, not necessary: it refuses some patterns that happen to be fast, and the
message says how to write them (a bound, a fence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # Python 3.11+: the parser is re._parser (sre_parse is its deprecated alias)
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# Ways to match from one position; the shipped rules need at most ~5,000 (STR-RECTIFICATION).
MAX_PATHS = 10_000
# Single characters that may stand between a repeat and the character that fences it.
MAX_LEAD = 4
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
_UNBOUNDED = C.MAXREPEAT


@dataclass(frozen=True)
class CharSet:
    """The characters one single-character item (a literal, `.`, a class) matches."""

    items: tuple  # the parser's (op, av) for the item
    dotall: bool = False
    ignorecase: bool = False

    def __contains__(self, ch: str) -> bool:
        variants = {ch, ch.lower(), ch.upper()} if self.ignorecase else {ch}
        return any(self._matches(c) for c in variants)

    def _matches(self, ch: str) -> bool:
        op, av = self.items
        if op is C.LITERAL:
            return ch == chr(av)
        if op is C.NOT_LITERAL:
            return ch != chr(av)
        if op is C.ANY:
            return self.dotall or ch != "\n"
        negate = bool(av) and av[0][0] is C.NEGATE
        hit = any(_class_item(sub_op, sub_av, ch) for sub_op, sub_av in (av[1:] if negate else av))
        return hit != negate

    def finite(self) -> frozenset[str] | None:
        """The characters, when they are few enough to list; None for a negated or broad class."""
        op, av = self.items
        if op is C.LITERAL:
            return frozenset({chr(av)})
        if op is not C.IN or (av and av[0][0] is C.NEGATE):
            return None
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 30_000:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            elif sub_op is C.CATEGORY and sub_av in _SMALL_CATEGORIES:
                chars.update(_category_chars(sub_av))
            else:
                return None
        return frozenset(chars)


_SMALL_CATEGORIES = {C.CATEGORY_DIGIT, C.CATEGORY_SPACE}
_CATEGORY_TESTS = {
    C.CATEGORY_DIGIT: str.isdecimal, C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
}
_CATEGORY_BY_NAME = {str(category): test for category, test in _CATEGORY_TESTS.items()}


def _class_item(op, av, ch: str) -> bool:
    if op is C.LITERAL:
        return ch == chr(av)
    if op is C.RANGE:
        return av[0] <= ord(ch) <= av[1]
    if op is C.CATEGORY:
        name = str(av)
        test = _CATEGORY_BY_NAME.get(name.replace("NOT_", ""))
        return True if test is None else test(ch) != ("NOT_" in name)
    return True  # anything unforeseen: assume it may match (the check stays on the safe side)


_CATEGORY_CACHE: dict = {}


def _category_chars(category) -> frozenset[str]:
    """Every character of \\d or \\s (a few hundred), listed once."""
    if category not in _CATEGORY_CACHE:
        test = _CATEGORY_TESTS[category]
        _CATEGORY_CACHE[category] = frozenset(ch for ch in map(chr, range(0x110000)) if test(ch))
    return _CATEGORY_CACHE[category]


def _disjoint(a: CharSet, b: CharSet) -> bool:
    for one, other in ((a, b), (b, a)):
        listed = one.finite()
        if listed is not None:
            return not any(ch in other for ch in listed)
    return False  # two broad classes: cannot tell cheaply, so not fenced


# --------------------------------------------------------------------------- the walk

# Markers in "what can come before / after" sets besides CharSets.
START = "start"  # the search may begin here: anything can come before
ANCHOR = "anchor"  # ^ or \A (not multiline): nothing comes before
END = "end"  # the pattern (or a lookaround) ends here: the match succeeds


class Unsafe(Exception):
    pass


class _Analysis:
    def __init__(self, flags: int):
        self.dotall = bool(flags & re.DOTALL)
        self.ignorecase = bool(flags & re.IGNORECASE)
        self.multiline = bool(flags & re.MULTILINE)

    def charset(self, item) -> CharSet | None:
        op, av = item
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            hashable = (op, tuple(av) if isinstance(av, list) else av)
            return CharSet(hashable, self.dotall, self.ignorecase)
        return None

    # first / last / nullable of a sequence of items ------------------------------------------

    def first(self, items, after: frozenset) -> frozenset:
        """What the first character matched by `items` can be (CharSets), plus `after` when the
        items can match nothing."""
        found: set = set()
        for item in items:
            here, nullable = self._edge(item, first=True)
            found |= here
            if not nullable:
                return frozenset(found)
        return frozenset(found) | after

    def last(self, items, before: frozenset) -> frozenset:
        found: set = set()
        for item in reversed(items):
            here, nullable = self._edge(item, first=False)
            found |= here
            if not nullable:
                return frozenset(found)
        return frozenset(found) | before

    def _edge(self, item, first: bool) -> tuple[set, bool]:
        op, av = item
        single = self.charset(item)
        if single is not None:
            return {single}, False
        edge = self.first if first else self.last
        if op is C.SUBPATTERN:
            inner = edge(av[-1], frozenset({END}))
            return set(inner - {END}), END in inner
        if op is getattr(C, "ATOMIC_GROUP", None):
            inner = edge(av, frozenset({END}))
            return set(inner - {END}), END in inner
        if op is C.BRANCH:
            found, nullable = set(), False
            for branch in av[1]:
                inner = edge(branch, frozenset({END}))
                found |= inner - {END}
                nullable |= END in inner
            return found, nullable
        if op in _REPEATS:
            low, _, body = av
            inner = edge(body, frozenset({END}))
            return set(inner - {END}), low == 0 or END in inner
        if op is C.AT:
            # Seen from a repeat after it, ^ (\A) means nothing comes before — or, multiline, a
            # line break. Anywhere else an anchor is zero-width.
            if not first and (av is C.AT_BEGINNING_STRING or av is C.AT_BEGINNING):
                if av is C.AT_BEGINNING and self.multiline:
                    return {ANCHOR, CharSet((C.LITERAL, ord("\n")))}, False
                return {ANCHOR}, False
            return set(), True
        if op is C.ASSERT_NOT and av[0] == -1 and not first and len(av[1]) == 1 \
                and self.charset(av[1][0]) is not None:
            # (?<![\d]): whatever came before is not one of these characters — a fence, as a
            # character the repeat cannot match would be ((?<!\d)\d+ starts where a run starts).
            return {NotAfter(self.charset(av[1][0]))}, False
        if op in (C.ASSERT, C.ASSERT_NOT):
            return set(), True  # zero-width: looking through it can only add characters
        # A backreference (or anything unforeseen) may be any text, also empty.
        return {CharSet((C.ANY, None), dotall=True)}, True

    # the check -------------------------------------------------------------------------------

    def sequence(self, items, before: frozenset, after: frozenset) -> int:
        """Ways `items` can match from one position; raises Unsafe for an unfenced repeat."""
        items = list(items)
        paths = 1
        for index, item in enumerate(items):
            item_before = self.last(items[:index], before)
            item_after = self.first(items[index + 1:], after)
            # A few single characters just before a repeat may overlap it ("\\d[1-9]*"): the run is
            # still entered at most that many places, if what comes before them fences it.
            singles = 0
            while singles < MAX_LEAD and index - singles > 0 and self.charset(items[index - singles - 1]):
                singles += 1
            far_befores = [self.last(items[:index - lead], before) for lead in range(1, singles + 1)]
            paths = _capped(paths * self.item(item, item_before, item_after, far_befores))
        return paths

    def item(self, item, before: frozenset, after: frozenset, far_befores: list | None = None) -> int:
        op, av = item
        if self.charset(item) is not None or op in (C.AT, C.GROUPREF):
            return 1
        if op is C.SUBPATTERN:
            return self.sequence(av[-1], before, after)
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.sequence(av, before, after)
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, body = av
            # A lookahead's body is matched from here to wherever it ends; a lookbehind's ends here.
            if direction == 1:
                return self.sequence(body, before, frozenset({END}))
            return self.sequence(body, frozenset({START}), after)
        if op is C.BRANCH:
            branches = av[1]
            counts = [self.sequence(branch, before, after) for branch in branches]
            firsts = [self.first(branch, frozenset()) for branch in branches]
            # Alternatives that start with different characters: at most one gets past its first.
            if all(_all_disjoint(firsts[i], firsts[j])
                   for i in range(len(firsts)) for j in range(i + 1, len(firsts))):
                return max(counts)
            return _capped(sum(counts))
        if op in _REPEATS:
            low, high, body = av
            single = self.charset(body[0]) if len(body) == 1 else None
            if high is _UNBOUNDED or high == _UNBOUNDED:
                if single is None:
                    raise Unsafe("nested")
                try:
                    self._fenced(single, before, after)
                except Unsafe as unsafe:
                    if str(unsafe) != "before" or not any(self._is_fenced(single, far, after)
                                                          for far in far_befores or ()):
                        raise
                return 1
            if single is not None:
                return high - low + 1
            inner_before = before | self.last(body, frozenset())
            inner_after = after | self.first(body, frozenset())
            per_round = self.sequence(body, inner_before, inner_after)
            return _capped(sum(per_round ** k for k in range(low, min(high, 64) + 1)) if per_round > 1
                           else high - low + 1)
        raise Unsafe("unknown")

    def _is_fenced(self, single: CharSet, before: frozenset, after: frozenset) -> bool:
        try:
            self._fenced(single, before, after)
        except Unsafe:
            return False
        return True

    def _fenced(self, single: CharSet, before: frozenset, after: frozenset) -> None:
        if after <= {END}:
            return  # nothing after it can fail: the first time it is reached, the match succeeds
        for neighbour in before:
            if neighbour == START:
                raise Unsafe("start")
            if isinstance(neighbour, CharSet) and not _disjoint(single, neighbour):
                raise Unsafe("before")
            if isinstance(neighbour, NotAfter) and not _within(single, neighbour.chars):
                raise Unsafe("before")
        for neighbour in after:
            if isinstance(neighbour, CharSet) and not _disjoint(single, neighbour):
                raise Unsafe("after")


@dataclass(frozen=True)
class NotAfter:
    """A negative lookbehind of one character class: the character before is none of `chars`."""

    chars: CharSet


def _within(a: CharSet, b: CharSet) -> bool:
    """Every character of `a` is in `b` (only decided when `a` can be listed)."""
    listed = a.finite()
    return listed is not None and all(ch in b for ch in listed)


def _all_disjoint(a: frozenset, b: frozenset) -> bool:
    return all(isinstance(x, CharSet) and isinstance(y, CharSet) and _disjoint(x, y) for x in a for y in b)


def _capped(n: int) -> int:
    return min(n, MAX_PATHS + 1)


_MESSAGES = {
    "nested": "无上限的重复（*、+、{n,}）只能用于单个字符或字符类；对分组的无上限重复（如 (a+)+、(?:ab)*）"
              "在不匹配的长文本上回溯次数会成倍增长，请写出上限，如 {0,20}",
    "start": "正则以无上限的重复开头（如 \\s*、.*、\\d+），在长串上会从每个位置重新扫描整段，耗时随长度平方增长；"
             "请在它前面加上它不能匹配的字符或后顾（如 (?<!\\d)\\d+），或写出上限，如 {0,20}",
    "before": "无上限的重复（如 .*、\\d+）前面的字符也能被它匹配，在长串上会从每个位置重新扫描，"
              "耗时随长度平方增长；请让它前面是它不能匹配的字符（如 《[^《》]*、(?<!\\d)\\d+），或写出上限，如 {0,20}",
    "after": "无上限的重复（如 .*、\\d+）后面的字符也能被它匹配，回溯时要逐个位置重试，"
             "耗时随长度成倍增长；请让它后面是它不能匹配的字符，或写出上限，如 {0,20}",
    "paths": f"分支和有上限的重复组合起来，从一个位置出发的匹配方式超过 {MAX_PATHS} 种，在长文本上会非常慢；"
             "请减小重复的上限或合并重叠的分支",
    "unknown": "用了无法确认运行时间的写法",
}


def backtracking_problem(pattern: str, flags: int = 0) -> str | None:
    """None when `pattern` runs in time linear in the text under search/finditer; else the Chinese
    reason (a syntax error included), to be shown after the rule's file:line."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error as exc:
        return f"正则表达式有误：{exc.msg}（第 {exc.pos + 1 if exc.pos is not None else '?'} 个字符）"
    except (RecursionError, OverflowError):
        return "正则表达式嵌套太深或数值太大"
    analysis = _Analysis(parsed.state.flags)
    try:
        paths = analysis.sequence(list(parsed), frozenset({START}), frozenset({END}))
    except Unsafe as unsafe:
        return _MESSAGES[str(unsafe)]
    except RecursionError:
        return "正则表达式嵌套太深"
    if paths > MAX_PATHS:
        return _MESSAGES["paths"]
    return None
