"""Rule kind `metric`: a measure computed over a section's sentences, with a threshold.

params.metric:
  specificity — sentences of the scope are classed as problem (params.problem_cues) or measure
      (params.measure_cues); a sentence is specific when it carries one of
      params.specific_signals (a number with a unit, a date or deadline, a named document,
      system or unit, an owner). The section is flagged when the share of unspecific problem
      and measure sentences reaches params.max_unspecific_share (with at least
      params.min_sentences of them); the evidence lists every sentence with its signals.
  problems_without_measures — the scope names problems but no sentence is a measure.
  too_short — the scope has fewer than params.min_chars characters of text (or says only "无").
All cue and signal lists are regular expressions in the rule file, never in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.ruleset import Rule


@dataclass(frozen=True)
class ScoredSentence:
    start: int
    end: int
    text: str
    role: str  # problem | measure | other
    signals: tuple[str, ...]


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def classify(sentences, params: dict, words=None) -> list[ScoredSentence]:
    """words: a function giving a sentence's words (CheckContext.words), to skip fragments."""
    problem = _compile(params["problem_cues"])
    measure = _compile(params["measure_cues"])
    signals = {name: re.compile(rx) for name, rx in params["specific_signals"].items()}
    out = []
    for s in sentences:
        text = s.text
        if len(text) < params.get("min_sentence_chars", 8):
            continue
        # A fragment of two or three words ("改进情况如下：") is not a problem or a measure.
        if words is not None and len([w for w in words(s) if w[2].strip("，。；：、")]) < params.get("min_words", 4):
            continue
        if problem.search(text):
            role = "problem"
        elif measure.search(text):
            role = "measure"
        else:
            role = "other"
        found = tuple(name for name, rx in signals.items() if rx.search(text))
        out.append(ScoredSentence(s.start, s.end, text, role, found))
    return out


_SUBHEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]*[）)、.．]?\s*(?:存在的?)?(?:主要)?(?:问题|不足|改进(?:情况|措施)?|整改(?:情况|措施)?|下一步(?:工作)?(?:打算|计划)?)"
                         r"(?:及改进(?:情况|措施)?)?[：:。]?$")


def _scope_sentences(doc: Document, rule: Rule, ctx):
    """Sentences of the scope, without the section heading and sub-headings ("改进情况：")."""
    keys = set(rule.scope or ("problems",))
    titles = [(s.start, s.start + len(s.title)) for s in doc.sections if s.key in keys]
    out = []
    for s in ctx.sentences:
        if s.section not in keys:
            continue
        if any(a <= s.start < b for a, b in titles):
            continue
        if _SUBHEADING.match(s.text.strip()):
            continue
        out.append(s)
    return out


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        metric = rule.params["metric"]
        keys = rule.scope or ("problems",)
        sections = [s for s in doc.sections if s.key in keys]
        if not sections:
            continue  # a missing section is the structure rules' business
        if metric == "too_short":
            for sec in sections:
                body = doc.text[sec.start + len(sec.title):sec.end].strip()
                compact = re.sub(r"\s+", "", body)
                if len(compact) < rule.params["min_chars"] or re.fullmatch(r"[：:]?(?:无|暂无|没有)[。.]?", compact):
                    yield make_finding(rule, doc, rule.format(chars=len(compact), text=compact[:40] or "（空）"),
                                       span=(sec.start, sec.start + len(sec.title)), section=sec.key,
                                       content=f"short:{compact[:60]}")
            continue
        params = dict(rule.params)
        if "cues" in params:
            from auditor.ruledata import load_data

            params = {**load_data(params["cues"]), **params}
        scored = classify(_scope_sentences(doc, rule, ctx), params, ctx.words)
        problems = [s for s in scored if s.role == "problem"]
        measures = [s for s in scored if s.role == "measure"]
        if metric == "problems_without_measures":
            if problems and not measures:
                first = problems[0]
                yield make_finding(rule, doc, rule.format(problems=len(problems), first=first.text[:40]),
                                   span=(first.start, first.end), content="no-measures:" + first.text,
                                   evidence={"problems": [p.text for p in problems]})
        elif metric == "specificity":
            judged = problems + measures
            if len(judged) < params.get("min_sentences", 2):
                continue
            vague = [s for s in judged if not s.signals]
            share = len(vague) / len(judged)
            if share < params["max_unspecific_share"]:
                continue
            first = vague[0]
            yield make_finding(
                rule, doc, rule.format(vague=len(vague), total=len(judged), share=f"{share:.0%}",
                                       example="".join(first.text.split())[:50]),
                span=(first.start, first.end), content="vague:" + "|".join(s.text for s in vague[:5]),
                evidence={"share": round(share, 3), "sentences": [
                    {"start": s.start, "end": s.end, "role": s.role, "signals": list(s.signals),
                     "text": s.text} for s in judged]})
