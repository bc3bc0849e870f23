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
from functools import lru_cache

from auditor.rules.data import data_file, read_data

BLANK = " "
# Punctuation and symbols that carry no wording; a table residue is labels + numbers + these.
_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
# A table residue may keep a stray character or two of a cut label; a sentence restating the
# table ("全年新收申请0件，上年结转0件，办结0件") keeps a few words of its own.
MAX_RESIDUE_CHARS = 2
MAX_RESIDUE_SHARE = 0.2
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class TemplateRules:
    sentences: tuple[re.Pattern, ...]
    headings: tuple[re.Pattern, ...]
    fragments: tuple[re.Pattern, ...]
    formulas: re.Pattern | None  # all formulas in one alternation: one scan per passage
    table_labels: tuple[re.Pattern, ...]


def _first_chars(parsed) -> tuple[set[str], bool] | None:
    """(characters a match can start with, whether it can match empty) of a parsed pattern;
    None when that cannot be told simply (any character, classes like \\w, negations…)."""
    from re import _constants as c

    chars: set[str] = set()
    for op, arg in parsed:
        if op is c.LITERAL:
            return chars | {chr(arg)}, False
        if op is c.IN:
            if any(o not in (c.LITERAL, c.RANGE) for o, _ in arg):
                return None
            for o, a in arg:
                if o is c.LITERAL:
                    chars.add(chr(a))
                elif a[1] - a[0] > 512:
                    return None
                else:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
            return chars, False
        if op is c.SUBPATTERN:
            inner = _first_chars(arg[-1])
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


def _guarded(source: str, flags: int = 0) -> re.Pattern:
    """`source` compiled behind a lookahead on the characters a match can start with. A pattern
    opening with optional groups ("(?:深入|全面)?(?:学习)?…") gets no such prefilter from the re
    engine, which then tries every alternative at every position: 5–10× slower on running text.
    (A pattern that opens with literals already gets the engine's own prefilter, which a
    lookahead would defeat: only the formulas are compiled this way.)"""
    from re import _parser

    try:
        first = _first_chars(_parser.parse(source, flags))
    except Exception:  # private parser API: without it, just no prefilter
        first = None
    if first is None or first[1] or not first[0]:
        return re.compile(source, flags)
    charset = "".join(re.escape(ch) for ch in sorted(first[0]))
    return re.compile(f"(?=[{charset}])(?:{source})", flags)


def template_rules() -> TemplateRules:
    """The template-text patterns of the rules directory in effect (rules/template_text.yaml)."""
    return _compiled_template_rules(data_file("template_text"))


@lru_cache(maxsize=4)
def _compiled_template_rules(path) -> TemplateRules:
    data = read_data(path)
    sentence_patterns = [p for group in (data.get("sentences") or {}).values() for p in (group or [])]
    return TemplateRules(
        # DOTALL: a sentence a PDF layout wrapped keeps its line break.
        sentences=tuple(re.compile(p, re.S) for p in sentence_patterns),
        headings=tuple(re.compile(p, re.S) for p in data.get("headings") or []),
        fragments=tuple(re.compile(p, re.S) for p in data.get("fragments") or []),
        formulas=_guarded("|".join(f"(?:{p})" for p in data["formulas"]), re.S) if data.get("formulas") else None,
        table_labels=tuple(re.compile(p, re.S) for p in data.get("table_labels") or []),
    )


def is_template_sentence(text: str, rules: TemplateRules | None = None) -> bool:
    """True when the sentence as a whole is template (preamble, period, contact, table residue…)."""
    rules = rules or template_rules()
    probe = text.translate(_FULLWIDTH_DIGITS)
    for pattern in rules.sentences:  # a loop, not any(genexpr): called for every sentence
        if pattern.search(probe):
            return True
    if rules.table_labels:
        # In the file's order, so "其他结果" goes before "其他" can leave "结果" behind.
        rest = probe
        for label in rules.table_labels:
            rest = label.sub("", rest)
        residue = len(_NON_WORD.sub("", rest))
        if residue <= MAX_RESIDUE_CHARS or residue <= MAX_RESIDUE_SHARE * len(_NON_WORD.sub("", probe)):
            return True
    return False


def blank_template(text: str, rules: TemplateRules | None = None) -> str:
    """`text` with template characters replaced by spaces (same length); all blank when the
    whole sentence is template."""
    rules = rules or template_rules()
    if is_template_sentence(text, rules):
        return BLANK * len(text)
    probe = text.translate(_FULLWIDTH_DIGITS)
    chars = list(text)
    # A heading glued to its paragraph: blank the longest heading prefix, keep the paragraph.
    prefix = max((m.end() for p in rules.headings if (m := p.match(probe))), default=0)
    chars[:prefix] = BLANK * prefix
    for pattern in rules.fragments:
        for m in pattern.finditer(probe):
            chars[m.start():m.end()] = BLANK * (m.end() - m.start())
    return "".join(chars)


def formula_flags(text: str, rules: TemplateRules | None = None) -> bytearray:
    """1 for every character of `text` inside a formula (rules/template_text.yaml `formulas`)."""
    rules = rules or template_rules()
    probe = text.translate(_FULLWIDTH_DIGITS)
    flags = bytearray(len(text))
    if rules.formulas is not None:
        for m in rules.formulas.finditer(probe):
            flags[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return flags
