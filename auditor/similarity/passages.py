"""Narrative passages: the units the similarity index compares.

A passage is one sentence of the narrative (auditor.nlp.sentences.split_document, which already
leaves table lines out), cut at line breaks, with mandated template text blanked
(auditor.similarity.template: a sentence that is wholly template is dropped) and numbers
masked. Masking is character by character — every digit becomes "0", a Chinese numeral that
counts or enumerates becomes "0" too — so `masked` has exactly the length of `text` and an
offset inside one is the same offset inside the other. Two years of the same report differ in
their numbers and in "二是"/"三是"; masked, the copied sentences are identical. A passage with
fewer than MIN_WORD_CHARS characters of wording left is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.model import Document
from auditor.nlp.model import Sentence
from auditor.nlp.sentences import split_document
from auditor.similarity.template import BLANKED_KEPT, TemplateRules, blank_sentence, template_rules, wording_chars

MASK = "0"
# A passage needs this much wording of its own (not masked, not blanked, not punctuation).
MIN_WORD_CHARS = 8

_DIGIT = re.compile(r"[0-9０-９]")
# Chinese numerals that count, date or enumerate: "二〇二三年", "三是", "（二）", "十二件", "一、".
# Numerals inside words ("统一", "一站式", "万物") are left alone: they are not followed by a unit
# or an enumeration mark.
# (?<![…]): a numeral is tried from the start of its run only. A shorter part of a run is followed by
# a numeral, never by the lookahead's characters, so nothing is lost, and a long run is no longer
# rescanned from each of its characters (time quadratic in the run).
# (?=…) first: every match starts with a numeral, and without it the engine tries both
# alternatives, lookbehinds first, at every position of the sentence.
_CN_NUMBER = re.compile(r"(?=[〇零一二三四五六七八九十百千两])"
                        r"(?:(?<![〇零一二三四五六七八九十百千两])[〇零一二三四五六七八九十百千两]+"
                        r"(?=[是、）)]|[年月日件条个次项人篇家期批份场余多])"
                        r"|(?<=[（(])[〇零一二三四五六七八九十]+(?=[）)]))")


@dataclass(frozen=True)
class Passage:
    start: int  # offsets into Document.text, end exclusive
    end: int
    text: str
    masked: str  # same length as text: template blanked to " ", numbers masked to "0"
    section: str | None


def mask_numbers(text: str) -> str:
    """Digits and counting Chinese numerals replaced by "0", one character for one."""
    # Numerals are found after the digits are masked: _CN_NUMBER reads no digit, nor a "0".
    return _CN_NUMBER.sub(_masked, _DIGIT.sub(MASK, text))


def _masked(match: re.Match) -> str:
    return MASK * (match.end() - match.start())


# Not free prose, even when it repeats last year word for word (issue: copying is measured over
# free prose only):
# - a statistic clause: a category label and its masked count ("机构职能类信息000条", "占00.0%") —
#   the labels are fixed categories, so two years' lists agree whatever the body writes;
# - a stock "nothing happened" sentence ("未收到…行政复议…的申请").
_CLAUSE = re.compile(r"[^，,；;。：:\n]+")
# Tried from the start of a run of 0 and . only ((?<![0.])\.*0 finds the run's first 0): from
# every 0 of a long run the search rescanned the rest of it. Only whether it matches is used.
# (?=[.0]) asserted first: the engine skips to where a match can start.
_STATISTIC = re.compile(r"(?=[.0])(?<![0.])\.*0[0.]*\s*(?:%|％|条|件|个|项|次|篇|人次|人|场|期|份|家|万元|元|亿元)$")
MAX_STATISTIC_LABEL = 24
_NOTHING_HAPPENED = re.compile(r"(?:未|没有|无)(?:收到|发生|出现|接到|产生|受理)[^。；;]{0,40}?"
                               r"(?:行政复议|行政诉讼|诉讼|申请|收费|费用|举报|投诉)")
MAX_STOCK_SENTENCE = 60


def stock_flags(masked: str) -> list[bool]:
    """True for each character of a masked passage that is a statistic clause or part of a stock
    "nothing happened" sentence: repeated, it is not copied wording."""
    flags = [False] * len(masked)
    if len(masked) <= MAX_STOCK_SENTENCE and _NOTHING_HAPPENED.search(masked):
        return [True] * len(masked)
    for m in _CLAUSE.finditer(masked):
        clause = m.group(0).strip()
        if _STATISTIC.search(clause) and wording_chars(clause) <= MAX_STATISTIC_LABEL:
            flags[m.start():m.end()] = [True] * (m.end() - m.start())
    return flags


def free_prose_chars(masked: str) -> int:
    """Characters of a masked stretch that are wording and not stock (see stock_flags)."""
    # The same clauses as stock_flags, counted by regex rather than character by character.
    if len(masked) <= MAX_STOCK_SENTENCE and _NOTHING_HAPPENED.search(masked):
        return 0
    free = wording_chars(masked)
    for m in _CLAUSE.finditer(masked):
        clause = m.group(0).strip()
        if _STATISTIC.search(clause) and wording_chars(clause) <= MAX_STATISTIC_LABEL:
            free -= wording_chars(m.group(0))
    return free


def narrative_passages(doc: Document, sentences: list[Sentence] | None = None) -> list[Passage]:
    """The narrative sentences of `doc` (cut at line breaks), template text removed and numbers
    masked, in order. `sentences`: split_document(doc), when the caller already has them."""
    rules = template_rules()
    titles = {s.title for s in doc.sections}
    passages = []
    for sentence in split_document(doc) if sentences is None else sentences:
        if sentence.text in titles:
            continue  # the section heading itself
        for start, end, masked in _sentence_passages(sentence.text, rules):
            passages.append(Passage(sentence.start + start, sentence.start + end,
                                    sentence.text[start:end], masked, sentence.section))
    return passages


# A sentence's passages depend on its text alone (and the rules), and a corpus repeats its
# template and stock sentences from report to report: the last BLANKED_KEPT are remembered.
@lru_cache(maxsize=BLANKED_KEPT)
def _sentence_passages(text: str, rules: TemplateRules) -> tuple[tuple[int, int, str], ...]:
    """(start, end, masked text) of each passage of a sentence, offsets inside it."""
    masked = mask_numbers(blank_sentence(text, rules))
    pieces = []
    # A line break inside a sentence is a layout wrap, or a paragraph the splitter joined to
    # the next one; a passage never spans one, so a pasted fragment stays a unit of its own.
    offset = 0
    for line in masked.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        while start < end and masked[start].isspace():
            start += 1
        while end > start and masked[end - 1].isspace():
            end -= 1
        if wording_chars(masked[start:end]) < MIN_WORD_CHARS:
            continue
        pieces.append((start, end, masked[start:end]))
    return tuple(pieces)
