"""Rule kind `phrase` (Vale's vocabulary): words and phrases in the narrative.

params:
  mode: existence (every match is a finding) | substitution (a match, with the preferred form in
        params.swap[match]) | occurrence (more than params.max matches in a section) | density
        (more than params.per_thousand matches per 1,000 characters of a section, and at least
        params.min_count)
  tokens: regular expressions (matched on the normalized text; \\b never works on Chinese)
  swap: {regex: replacement} for substitution
  ignore_quoted: skip matches inside 《》 or “” (titles of documents and campaigns)
  unless_after / unless_before: a regex that, matching right after / before, excuses the match
  match: "text" (default, substring) | "words" — the match must start and end on word boundaries
        of the jieba segmentation, so "若干" in a word like "若干年" is not taken for a vague count
rule.scope: the section keys to look in (empty = the whole text)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule

_QUOTED = re.compile(r"《[^》]{0,80}》|“[^”]{0,80}”")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _scopes(doc: Document, rule: Rule) -> list[tuple[str | None, int, int]]:
    if not rule.scope:
        return [(None, 0, len(doc.text))]
    return [(s.key, s.start + len(s.title), s.end) for s in doc.sections if s.key in rule.scope]


def find_matches(doc: Document, rule: Rule, start: int, end: int, ctx=None) -> list[re.Match]:
    p = rule.params
    pattern = re.compile("|".join(f"(?:{t})" for t in p.get("tokens", list(p.get("swap", {}))) ))
    quoted = _quoted_spans(doc.text[start:end]) if p.get("ignore_quoted", True) else []
    after = re.compile(p["unless_after"]) if p.get("unless_after") else None
    before = re.compile(p["unless_before"]) if p.get("unless_before") else None
    found = []
    for m in pattern.finditer(doc.text, start, end):
        rel = m.start() - start
        if any(a <= rel < b for a, b in quoted):
            continue
        if after and after.match(doc.text, m.end()):
            continue
        if before and before.search(doc.text[max(start, m.start() - 12):m.start()]):
            continue
        if p.get("match") == "words" and ctx is not None and not _on_word_boundaries(ctx, m.start(), m.end()):
            continue
        found.append(m)
    return found


def _on_word_boundaries(ctx, start: int, end: int) -> bool:
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return False  # outside the narrative (a table line): never a word of running text
    words = ctx.words(sentence)
    return start in {a for a, _, _ in words} and end in {b for _, b, _ in words}


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        mode = rule.params.get("mode", "existence")
        for section, start, end in _scopes(doc, rule):
            matches = find_matches(doc, rule, start, end, ctx)
            if not matches:
                continue
            if mode == "existence":
                for m in matches:
                    yield make_finding(rule, doc, rule.format(match=m.group(0)), span=(m.start(), m.end()))
            elif mode == "substitution":
                swaps = [(re.compile(k), v) for k, v in rule.params["swap"].items()]
                for m in matches:
                    better = next((v for k, v in swaps if k.fullmatch(m.group(0))), "")
                    yield make_finding(rule, doc, rule.format(match=m.group(0), swap=better),
                                       span=(m.start(), m.end()), evidence={"suggestion": better})
            elif mode in ("occurrence", "density"):
                length = max(1, end - start)
                per_thousand = 1000.0 * len(matches) / length
                if mode == "occurrence" and len(matches) <= rule.params["max"]:
                    continue
                if mode == "density" and (per_thousand <= rule.params["per_thousand"]
                                          or len(matches) < rule.params.get("min_count", 1)):
                    continue
                words = "、".join(dict.fromkeys(m.group(0) for m in matches))
                first = matches[0]
                yield make_finding(rule, doc, rule.format(count=len(matches), words=words,
                                                          density=f"{per_thousand:.1f}"),
                                   span=(first.start(), first.end()), section=section,
                                   content=f"{section}:{words}",
                                   evidence={"matches": [{"start": m.start(), "end": m.end(), "text": m.group(0)}
                                                         for m in matches], "per_thousand": round(per_thousand, 2)})
