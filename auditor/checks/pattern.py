"""Rule kind `pattern`: a regular expression over the normalized text.

params:
  regex: what must not occur (every match is a finding)
  when: conditions on the document — min_year / max_year (report year), templates
  require: instead of `regex`, a regex that must occur at least once in the scope (one finding
           when it does not)
  prose_only: match only inside the narrative's sentences (ctx.sentences of the six sections
           that have sentence punctuation), never in table lines or page chrome before section 一
  whole_words: the repeated unit (the regex's first non-empty group) must be a word of the
           tokenizer's dictionary (jieba with the domain dictionary): "资金资金" is a word written
           twice, "同时适时适地" is not "时适" twice
  not_word: the match itself must not be a word of that dictionary ("息条" is a count with its
           number missing, "头条" is a word)
  once: one finding for the document, at the first match, with every match in its evidence
rule.scope: section keys (empty = whole text)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


def _applies(doc: Document, when: dict) -> bool:
    year = doc.meta.year
    if "min_year" in when and (year is None or year < when["min_year"]):
        return False
    if "max_year" in when and (year is None or year > when["max_year"]):
        return False
    if "templates" in when and doc.meta.template not in when["templates"]:
        return False
    return True


_PUNCTUATION = re.compile(r"[，。；：、！？]")


def _is_word(unit: str) -> bool:
    from auditor.nlp.pipeline import get_jieba

    return bool(get_jieba().get_FREQ(unit))


def _prose_spans(doc: Document, ctx, scope: tuple[str, ...]) -> list[tuple[int, int]]:
    # a sentence with no punctuation of its own is a table line, unless it goes on from a
    # sentence before it ("…17条；应主动公开的其他信息3" ends its paragraph unpunctuated)
    return [(s.start, s.end) for s in ctx.sentences if s.section is not None
            and (_PUNCTUATION.search(s.text) or doc.text[max(0, s.start - 3):s.start].rstrip().endswith(("；", ";")))
            and (not scope or s.section in scope)]


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    prose_spans: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # by scope: the rules share them
    for rule in rules:
        p = rule.params
        if not _applies(doc, p.get("when", {})):
            continue
        if rule.scope:
            sections = [s for s in doc.sections if s.key in rule.scope]
            spans = [(s.start, s.end) for s in sections]
        else:
            sections = []
            spans = [(0, len(doc.text))]
        if "require" in p:
            if spans and not any(re.search(p["require"], doc.text[a:b]) for a, b in spans):
                # Point at the heading of the section that lacks the required content.
                heading = (sections[0].start, sections[0].start + len(sections[0].title)) if sections else None
                yield make_finding(rule, doc, rule.format(), span=heading, content=f"missing:{p['require']}",
                                   evidence={"required_pattern": p["require"],
                                             "searched": [s.key for s in sections] or ["全文"]})
            continue
        regex = re.compile(p["regex"])
        if p.get("prose_only"):
            scope = tuple(rule.scope)
            if scope not in prose_spans:
                prose_spans[scope] = _prose_spans(doc, ctx, scope)
            spans = prose_spans[scope]
        matches = []
        for a, b in spans:
            for m in regex.finditer(doc.text, a, b):
                unit = next((g for g in m.groups() if g), None)
                if p.get("whole_words") and unit and not _is_word(unit):
                    continue
                if p.get("not_word") and _is_word(m.group(0)):
                    continue
                matches.append(m)
        if p.get("once") and matches:
            first = matches[0]
            yield make_finding(rule, doc, rule.format(match=first.group(0), year=doc.meta.year),
                               span=(first.start(), first.end()),
                               evidence={"matches": [{"start": m.start(), "end": m.end(), "text": m.group(0)}
                                                     for m in matches]})
            continue
        for m in matches:
            yield make_finding(rule, doc, rule.format(match=m.group(0), year=doc.meta.year),
                               span=(m.start(), m.end()))
