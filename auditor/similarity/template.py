"""Mandated template text: recognise it in a sentence so the similarity index can ignore it.

Every report carries the same headings, table labels, statutory preamble, statistics-period
sentence, e-version sentence and contact lines; two reports sharing them have not copied each
other (report-format.md "Copy-paste and boilerplate"). The patterns are data, in
rules/template_text.yaml; this module only compiles and applies them.

`blank_template(sentence)` returns the sentence with every template character replaced by a
space, so the result has the same length and offsets still map 1:1 onto the document.
`formula_flags(sentence)` marks the characters of political formulas and of the tables restated
in words: the index aligns them (a copied paragraph containing one is copied whole) but never
counts them as shared wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from auditor.rules.data import data_file, read_data

BLANK = " "
# A character of wording: a table residue is labels + numbers + punctuation and symbols, which
# carry none.
WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_WORDING = re.compile(WORD_CHAR.pattern + "+")
# A table residue may keep a stray character or two of a cut label; a sentence restating the
# table ("全年新收申请0件，上年结转0件，办结0件") keeps a few words of its own.
MAX_RESIDUE_CHARS = 2
MAX_RESIDUE_SHARE = 0.2
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT = re.compile("[０-９]")
# Sentences whose blanked text is remembered, per rules: a corpus repeats its template and stock
# sentences from report to report (a third of the sentences of 200 generated reports are
# distinct). About 0.5 KB an entry.
BLANKED_KEPT = 16384


def _probe(text: str) -> str:
    """`text` with full-width digits made ASCII, as the patterns expect. str.translate looks up
    every character of a Chinese sentence one by one; a regex search skips them in one pass, and
    almost no sentence has a full-width digit."""
    return text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH_DIGIT.search(text) else text


# eq=False: a rules object is its own identity (hashed by id), so the cache below costs no hash
# of every compiled pattern.
@dataclass(frozen=True, eq=False)
class TemplateRules:
    sentences: tuple[re.Pattern, ...]
    headings: tuple[re.Pattern, ...]
    fragments: tuple[re.Pattern, ...]
    formulas: re.Pattern | None  # all formulas in one alternation: one scan per passage
    table_labels: tuple[re.Pattern, ...]
    # The characters a heading can start with; None when that cannot be told (every heading is
    # then tried on every sentence).
    heading_starts: frozenset[str] | None = None
    # `sentences` as they are tried: those opening with "^" in one alternation matched at the
    # sentence's start (one call instead of a search each), then the others one by one.
    opening_sentences: re.Pattern | None = None
    inner_sentences: tuple[re.Pattern, ...] = ()
    # Runs of the wording characters no table label can take away (_label_bound); None when that
    # cannot be told.
    kept_by_labels: re.Pattern | None = None
    # Of each label that may take any character, the characters it cannot match without: where
    # a sentence lacks one, that label never matches it, however the others cut it.
    wildcard_label_needs: tuple[str, ...] = ()

    @cached_property
    def blanked(self):
        """blank_template with these rules, remembering the last BLANKED_KEPT sentences."""
        return lru_cache(maxsize=BLANKED_KEPT)(lambda text: blank_sentence(text, self))


def _first_chars(parsed) -> tuple[set[str], bool] | None:
    """(characters a match can start with, whether it can match empty) of a parsed pattern;
    None when that cannot be told simply (any character, classes like \\w, negations…)."""
    from re import _constants as c

    chars: set[str] = set()
    for op, arg in parsed:
        if op is c.AT:  # "^" and the like take no character: look past them
            continue
        if op is c.LITERAL:
            return chars | {chr(arg)}, False
        if op is c.IN:
            members = _class_chars(arg)
            return None if members is None else (chars | members, False)
        if op is c.SUBPATTERN:
            # "(?i:…)": a character stands for its other cases too
            inner = None if arg[1] & re.IGNORECASE else _first_chars(arg[-1])
        elif op is c.BRANCH:
            parts = [_first_chars(branch) for branch in arg[1]]
            if any(part is None for part in parts):
                return None
            inner = set().union(*(part[0] for part in parts)), any(part[1] for part in parts)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            inner = _first_chars(arg[2])
            if inner is not None and arg[0] == 0:
                inner = inner[0], True
        else:
            return None
        if inner is None:
            return None
        chars |= inner[0]
        if not inner[1]:
            return chars, False
    return chars, True


def _pattern_first_chars(source: str, flags: int) -> tuple[set[str], bool] | None:
    """_first_chars of a pattern's source; None under "(?i)", where a character stands for its
    other cases too."""
    from re import _parser

    parsed = _parser.parse(source, flags)
    return None if parsed.state.flags & re.IGNORECASE else _first_chars(parsed)


def _class_chars(items) -> set[str] | None:
    """The characters of a parsed character class: its literals and short ranges; None for
    anything else (a negation, a category like \\w, a range of more than 512)."""
    from re import _constants as c

    chars: set[str] = set()
    for op, arg in items:
        if op is c.LITERAL:
            chars.add(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] <= 512:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        else:
            return None
    return chars


def _guarded(source: str, flags: int = 0) -> re.Pattern:
    """`source` compiled behind a lookahead on the characters a match can start with. A pattern
    opening with optional groups ("(?:深入|全面)?(?:学习)?…") gets no such prefilter from the re
    engine, which then tries every alternative at every position: 5–10× slower on running text.
    (A pattern that opens with literals already gets the engine's own prefilter, which a
    lookahead would defeat: only the formulas and fragments are compiled this way.)"""
    try:
        first = _pattern_first_chars(source, flags)
    except Exception:  # private parser API: without it, just no prefilter
        first = None
    if first is None or first[1] or not first[0] or _opens_with_literal(source, flags):
        return re.compile(source, flags)
    charset = "".join(re.escape(ch) for ch in sorted(first[0]))
    return re.compile(f"(?=[{charset}])(?:{source})", flags)


def _match_chars(parsed) -> set[str] | None:
    """Every character a match of a parsed pattern can hold; None when that cannot be told
    simply (any character, classes like \\w, negations…)."""
    from re import _constants as c

    chars: set[str] = set()
    for op, arg in parsed:
        if op is c.LITERAL:
            chars.add(chr(arg))
            continue
        if op is c.AT:
            continue
        if op is c.IN:
            members = _class_chars(arg)
            if members is None:
                return None
            chars |= members
            continue
        if op is c.SUBPATTERN:
            if arg[1] & re.IGNORECASE:  # "(?i:…)": a character stands for its other cases too
                return None
            parts = [arg[-1]]
        elif op is c.BRANCH:
            parts = arg[1]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            parts = [arg[2]]
        else:
            return None
        for part in parts:
            inner = _match_chars(part)
            if inner is None:
                return None
            chars |= inner
    return chars


def _label_bound(labels: list[str], flags: int) -> tuple[re.Pattern | None, tuple[str, ...]]:
    """(kept_by_labels, wildcard_label_needs) of TemplateRules for these table labels.

    A label deletes only characters it can match, and what is left after each label is a
    subsequence of the sentence: a wording character no label can match is never deleted, and a
    label needing a character the sentence lacks never matches. So the wording characters of a
    sentence that no label can take (of the labels that may match it) are a floor under its
    residue, found in one scan without the labels' substitutions."""
    from re import _constants as c, _parser

    takeable: set[str] = set()
    needs: list[str] = []
    try:
        for source in labels:
            parsed = _parser.parse(source, flags)
            if parsed.state.flags & re.IGNORECASE:  # "(?i)": its literals stand for other cases too
                return None, ()
            chars = _match_chars(parsed)
            if chars is None:
                # Its literals outside any repeat or alternative, all of them needed.
                needed = "".join(chr(arg) for op, arg in parsed if op is c.LITERAL)
                if not needed:
                    return None, ()
                needs.append(needed)
            else:
                takeable |= chars
        # The kept characters: those of WORD_CHAR's class but the takeable ones, as ranges.
        (op, items), = _parser.parse(WORD_CHAR.pattern)
        if op is not c.IN:
            return None, ()
        ranges = []
        for o, a in items:
            low, high = (a, a) if o is c.LITERAL else a
            start = low
            for code in sorted(ord(ch) for ch in takeable if low <= ord(ch) <= high) + [high + 1]:
                if code > start:
                    ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
                start = code + 1
    except Exception:  # private parser API: without it, the labels are always applied
        return None, ()
    return (re.compile("[" + "".join(ranges) + "]+") if ranges else None), tuple(needs)


def _opens_with_literal(source: str, flags: int) -> bool:
    from re import _constants as c, _parser

    parsed = _parser.parse(source, flags)
    return len(parsed) > 0 and parsed[0][0] is c.LITERAL


def template_rules() -> TemplateRules:
    """The template-text patterns of the rules directory in effect (rules/template_text.yaml)."""
    return _compiled_template_rules(data_file("template_text"))


@lru_cache(maxsize=4)
def _compiled_template_rules(path) -> TemplateRules:
    data = read_data(path)
    sentence_patterns = [p for group in (data.get("sentences") or {}).values() for p in (group or [])]
    headings = data.get("headings") or []
    opening = [p for p in sentence_patterns if _opens_with_start(p, re.S)]
    kept_by_labels, wildcard_label_needs = _label_bound(data.get("table_labels") or [], re.S)
    return TemplateRules(
        # DOTALL: a sentence a PDF layout wrapped keeps its line break.
        sentences=tuple(re.compile(p, re.S) for p in sentence_patterns),
        headings=tuple(re.compile(p, re.S) for p in headings),
        fragments=tuple(_guarded(p, re.S) for p in data.get("fragments") or []),
        formulas=_guarded("|".join(f"(?:{p})" for p in data["formulas"]), re.S) if data.get("formulas") else None,
        table_labels=tuple(re.compile(p, re.S) for p in data.get("table_labels") or []),
        heading_starts=_start_chars(headings, re.S),
        opening_sentences=re.compile("|".join(f"(?:{p})" for p in opening), re.S) if opening else None,
        inner_sentences=tuple(re.compile(p, re.S) for p in sentence_patterns if p not in opening),
        kept_by_labels=kept_by_labels,
        wildcard_label_needs=wildcard_label_needs,
    )


def _opens_with_start(source: str, flags: int) -> bool:
    """Whether `source` opens with "^" (or "\\A"), so matches at a sentence's start or nowhere,
    and can go in an alternation as it is: no group (numbered anew there), no flag of its own."""
    from re import _constants as c, _parser

    try:
        parsed = _parser.parse(source, flags)
    except Exception:  # private parser API: without it, searched as any other
        return False
    return (len(parsed) > 0 and parsed[0][0] is c.AT
            and parsed[0][1] in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)
            and parsed.state.groups == 1 and parsed.state.flags & ~re.U == flags & ~re.M)


def _start_chars(sources: list[str], flags: int) -> frozenset[str] | None:
    """The characters a match of any of `sources` can start with; None when one of them can
    match empty or start with a character that cannot be told simply."""
    chars: set[str] = set()
    for source in sources:
        try:
            first = _pattern_first_chars(source, flags)
        except Exception:  # private parser API: without it, no prefilter
            return None
        if first is None or first[1]:
            return None
        chars |= first[0]
    return frozenset(chars)


def is_template_sentence(text: str, rules: TemplateRules | None = None) -> bool:
    """True when the sentence as a whole is template (preamble, period, contact, table residue…)."""
    return _is_template_probe(_probe(text), rules or template_rules())


def _is_template_probe(probe: str, rules: TemplateRules) -> bool:
    if rules.opening_sentences is not None and rules.opening_sentences.match(probe):
        return True
    for pattern in rules.inner_sentences:  # a loop, not any(genexpr): called for every sentence
        if pattern.search(probe):
            return True
    if rules.table_labels:
        if rules.kept_by_labels is not None and not any(
                all(ch in probe for ch in needed) for needed in rules.wildcard_label_needs):
            # Most sentences keep too much wording whatever the labels take: no need to apply them.
            kept = sum(map(len, rules.kept_by_labels.findall(probe)))
            if kept > MAX_RESIDUE_CHARS and kept > MAX_RESIDUE_SHARE * wording_chars(probe):
                return False
        # In the file's order, so "其他结果" goes before "其他" can leave "结果" behind.
        rest = probe
        for label in rules.table_labels:
            rest = label.sub("", rest)
        residue = wording_chars(rest)
        if residue <= MAX_RESIDUE_CHARS or residue <= MAX_RESIDUE_SHARE * wording_chars(probe):
            return True
    return False


def wording_chars(text: str) -> int:
    """Characters of wording in `text` (WORD_CHAR), counted run by run: a match per character
    cost three times more."""
    return sum(map(len, _WORDING.findall(text)))


def blank_template(text: str, rules: TemplateRules | None = None) -> str:
    """`text` with template characters replaced by spaces (same length); all blank when the
    whole sentence is template."""
    return (rules or template_rules()).blanked(text)


def blank_sentence(text: str, rules: TemplateRules) -> str:
    """blank_template without its memory of sentences, for a caller that remembers what it makes
    of the result (auditor.similarity.passages)."""
    probe = _probe(text)
    if _is_template_probe(probe, rules):
        return BLANK * len(text)
    # A heading glued to its paragraph: blank the longest heading prefix, keep the paragraph.
    prefix = 0
    if rules.heading_starts is None or (probe and probe[0] in rules.heading_starts):
        prefix = max((m.end() for p in rules.headings if (m := p.match(probe))), default=0)
    spans = [(0, prefix)] if prefix else []
    for pattern in rules.fragments:
        spans.extend(m.span() for m in pattern.finditer(probe))
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = BLANK * (b - a)
    return "".join(chars)


def formula_flags(text: str, rules: TemplateRules | None = None) -> bytearray:
    """1 for every character of `text` inside a formula (rules/template_text.yaml `formulas`)."""
    flags = bytearray(len(text))
    for a, b in formula_spans(text, rules):
        flags[a:b] = b"\x01" * (b - a)
    return flags


def formula_spans(text: str, rules: TemplateRules | None = None) -> list[tuple[int, int]]:
    """The runs of formula_flags(text) that are 1, as (start, end) offsets in order: the matches,
    with matches that touch joined into one run."""
    return list(_formula_runs(text, rules or template_rules()))


# A passage's formulas depend on its text alone (and the rules), and a corpus repeats its
# template and stock sentences from report to report (two in five passages of a generated
# report were met before): the last BLANKED_KEPT are remembered.
@lru_cache(maxsize=BLANKED_KEPT)
def _formula_runs(text: str, rules: TemplateRules) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    if rules.formulas is None:
        return ()
    for m in rules.formulas.finditer(_probe(text)):
        a, b = m.span()
        if a == b:
            continue
        if spans and spans[-1][1] == a:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return tuple(spans)
