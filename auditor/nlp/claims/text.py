"""Character-level helpers over one sentence: quotes, brackets, clauses, what surrounds a number."""

from __future__ import annotations

import re

from auditor.nlp.model import SCOPE_WORDS

# What joins the names of several things: "A、B和C各1条", "网站、微信共965条".
ITEM_SEPARATOR = re.compile(r"[、和及与]|以及")


CLAUSE_END = "，,；;。！？!?："

PAREN_OPENERS = "（(【〔"

PAREN_CLOSERS = "）)】〕"

QUOTES = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}

QUOTE_MARKS = re.compile("[" + "".join(QUOTES) + "".join(QUOTES.values()) + "]")

# Before a negation or absolute: a goal, a condition or a question, not a statement of fact.
NOT_A_FACT = re.compile(r"力争|争取|确保|努力|避免|防止|杜绝|减少|降低|力求|目标|以免|防范|如果|若|是否|如有|一旦")

# Fixed phrases that contain a scope word without being a scope hint (a table 三 row label).
NOT_SCOPE_PHRASES = ("本机关不掌握",)


def quote_mask(text: str) -> bytearray:
    """1 inside quotes and book titles: numbers there are names and slogans, not figures."""
    inside = bytearray(len(text))
    stack: list[tuple[str, int]] = []
    for m in QUOTE_MARKS.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in QUOTES:
            stack.append((ch, pos))
        elif stack and ch == QUOTES[stack[-1][0]]:
            opener, start = stack.pop()
            if opener == "“" and QUOTED_FIGURE.fullmatch(text, start + 1, pos):
                continue  # "“双随机一公开5条”": an item's name and figure quoted together by mistake
            inside[start:pos + 1] = b"\x01" * (pos + 1 - start)
    return inside


# A quote holding a name and then its count in Arabic digits with a unit, nothing after: a figure
# (slogans count in words: “办结一件申请、解决一个问题”).
QUOTED_FIGURE = re.compile(r"[^\d“”]{2,16}?\d+(?:\.\d+)?(?:余|多)?(?:条|件|篇|项|个|次|期)")


_BRACKET = re.compile("[" + re.escape(PAREN_OPENERS + PAREN_CLOSERS) + "]")


# A figure filled into a template's brackets: "(1386)条" (the digits and the closer). From the
# first digit of a run only: tried again from each digit of a long run, it was quadratic.
TEMPLATE_BLANK = re.compile(r"(?<!\d)\d+(?:\.\d+)?[)）]")


def bracket_depths(text: str) -> list[int]:
    """Bracket depth of every character. A bracket left open whose one closer went to a bracket
    nested in it ("发布专题专栏1条(某目录(2024年版),预算决算公开2条") lost its own closer: what
    follows is not inside it, nor is what follows one left open in a sentence that ends. One left open
    at a cut-off text ("共2件(其中:第一季度1件,…") is."""
    if not _BRACKET.search(text):
        return [0] * len(text)  # most sentences: no bracket, no per-character walk
    stack: list[int] = []
    matched: set[int] = set()
    filled = list(TEMPLATE_BLANK.finditer(text))  # (the pattern's lookbehind is tried at every position: once)
    blanks = {m.start() - 1 for m in filled if m.start() and text[m.start() - 1] in PAREN_OPENERS}
    blanks |= {m.end() - 1 for m in filled if m.start() - 1 in blanks}
    for i, ch in enumerate(text):
        if i in blanks:
            continue  # "(1386)条": a template's blank filled in, no bracket around a remark
        if ch in PAREN_OPENERS:
            stack.append(i)
        elif ch in PAREN_CLOSERS and stack:
            matched.add(stack.pop())
            matched.add(i)
    last_closed_opener = max((j for j in matched if text[j] in PAREN_OPENERS), default=-1)
    # a sentence that ends (。！？) with a bracket still open lost its closer to a typo ("其他业务信息（如
    # 市场体系建设…等15条。"): the rest is not inside it
    ended = text.rstrip().endswith(("。", "！", "？"))
    lost_closer = {i for i in stack if i < last_closed_opener or ended}
    depth = 0
    out = []
    for i, ch in enumerate(text):
        if ch in PAREN_CLOSERS and i not in blanks:
            depth = max(0, depth - 1) if i in matched else depth
        out.append(depth)
        if ch in PAREN_OPENERS and i not in lost_closer and i not in blanks:
            depth += 1
    return out


def sentence_depths(text: str) -> list[int]:
    """Bracket depth of every character as the claims read it: a sentence that is one bracket from
    end to end ("（其中概况类信息100条，…信息4438条）" after the sentence it remarks on) is read at the
    depth of what it holds — its figures are not inside anything of their own sentence."""
    depths = bracket_depths(text)
    body = text.rstrip().rstrip("。；;")
    if not depths or not body or body[0] not in PAREN_OPENERS or body[-1] not in PAREN_CLOSERS:
        return depths
    inside = depths[1:len(body) - 1]
    if not inside or min(inside) < 1:
        return depths  # "（一）…（二）": two brackets, not one around the sentence
    return [max(0, d - 1) for d in depths]


# Up to the last character before a position that left_context does more than keep: a clause end,
# a bracket, a quote mark, whitespace (\s is str.isspace). Only applied with .match, like
# _THROUGH_LAST_CLAUSE_END: a search would restart the greedy .* at every position.
_THROUGH_LAST_STOP = re.compile(
    ".*[" + re.escape(CLAUSE_END + PAREN_OPENERS + PAREN_CLOSERS + "".join(QUOTES) + "".join(QUOTES.values())) + r"\s]",
    re.DOTALL)


def left_context(text: str, pos: int, barrier: int) -> tuple[str, list[int]]:
    """The words of the clause before `pos` (not before `barrier`), without whitespace, quote marks
    and brackets closed before `pos`; with the sentence offset of every kept character."""
    # Most clauses are plain words back to a clause end or the barrier: every character is kept.
    stop = _THROUGH_LAST_STOP.match(text, barrier, pos)
    start = stop.end() if stop else barrier
    if start == barrier or (text[start - 1] in CLAUSE_END and (start < pos or text[start - 1] not in "：:")):
        return text[start:pos], list(range(start, pos))
    chars: list[str] = []
    where: list[int] = []
    depth = 0
    i = pos - 1
    while i >= barrier:
        ch = text[i]
        if ch in PAREN_CLOSERS:
            depth += 1
        elif ch in PAREN_OPENERS:
            if depth == 0 and i == pos - 1 and TEMPLATE_BLANK.match(text, pos):
                i -= 1
                continue  # "发布政务信息(1386)条": a figure filled into a template's brackets
            if depth == 0:
                break  # the number is inside this bracket: its clause starts here
            depth -= 1
        elif depth == 0:
            if ch in CLAUSE_END and not (ch in "：:" and not chars):
                break  # a colon right before the number joins a label to its figure ("申请数量：5件")
            if not ch.isspace() and not QUOTE_MARKS.match(ch):
                chars.append(ch)
                where.append(i)
        i -= 1
    chars.reverse()
    where.reverse()
    return "".join(chars), where


def right_context(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end] not in CLAUSE_END and text[end] not in "（(）)、":
        end += 1
    return re.sub(r"\s", "", text[pos:end])


# Up to the last clause end before a position (greedy: re walks back from the position in C;
# only applied with .match, anchored at the sentence's start), and the first clause end from a
# position: clause_bounds ran character by character in Python.
_THROUGH_LAST_CLAUSE_END = re.compile(f".*[{re.escape(CLAUSE_END)}]", re.DOTALL)
_CLAUSE_END_CHAR = re.compile(f"[{re.escape(CLAUSE_END)}]")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`: from just after the clause end before it (or the start) to the
    clause end at or after it (or the end)."""
    before = _THROUGH_LAST_CLAUSE_END.match(text, 0, pos)
    after = _CLAUSE_END_CHAR.search(text, pos)
    return (before.end() if before else 0), (after.start() if after else len(text))


def span_in_right(text: str, pos: int, length: int) -> int:
    """Sentence length covering `length` non-space characters from `pos`."""
    count = 0
    i = pos
    while i < len(text) and count < length:
        if not text[i].isspace():
            count += 1
        i += 1
    return i - pos


def scope_words_in(text: str) -> set[str]:
    for phrase in NOT_SCOPE_PHRASES:
        text = text.replace(phrase, "")
    return {category for category, words in SCOPE_WORDS.items()
            if category not in ("subset", "including_carried") and any(w in text for w in words)}


def is_fact(text: str, start: int) -> bool:
    clause_start, _ = clause_bounds(text, start)
    return not NOT_A_FACT.search(text, clause_start, start)


def bracket_after(text: str, pos: int) -> str:
    if pos >= len(text) or text[pos] not in "（(":
        return ""
    depth = 0
    for i in range(pos, len(text)):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return text[pos + 1:i]
    return text[pos + 1:]
