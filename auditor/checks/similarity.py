"""Rule kind `similarity`: text copied from other reports, from the same body's earlier years, or
generic template sentences.

params.mode:
  previous_section — per narrative section, the share of characters copied from the same body's
      immediately previous report; a finding when it exceeds params.max_share (evaluators deduct
      when more than half repeats last year), or params.max_share_by_section[key] for a section
      held to a stricter limit
  earlier_passage — each span copied from the same body's earlier reports (one finding per span)
  other_body — each span copied from another body's report (one finding per span)
  (both with params.min_chars and params.min_similarity: a 55% resemblance is shared phrasing,
  not a copy; min_chars counts free prose only — statistic clauses and stock "nothing happened"
  sentences are left out, auditor/similarity/passages.stock_flags)
  same_figures — a passage copied from the same body's previous report whose figures are the
      same too (params.min_figure: at least one figure that large, not a year): the counts were
      probably not updated
  template_sentences — without a corpus: the shipped classifier's share of template sentences
      in a section (params.min_probability, params.max_share, params.min_sentences)
Sources come from the corpus index (`audit --corpus DIR`), or from the previous report alone
(`--previous FILE`) for the same-body modes. Every finding names its source in evidence.source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule

SECTION_NAMES = {"overview": "总体情况", "active": "主动公开", "applications": "依申请公开",
                 "appeals": "复议诉讼", "problems": "存在的主要问题及改进情况", "other": "其他需要报告的事项"}


def _source(match) -> dict:
    return {"path": match.source_path, "agency": match.source_agency, "year": match.source_year,
            "span": {"start": match.source_start, "end": match.source_end}, "text": match.source_text,
            "similarity": round(match.similarity, 3)}


def _who(match) -> str:
    """"淮安市洪泽区人民政府2024年报告"; with the body unknown, the file set apart from the year:
    "报告 reports/053.txt（2024年）" (a path run into a year reads as one number)."""
    year = f"{match.source_year}年" if match.source_year else ""
    if match.source_agency:
        return f"{match.source_agency}{year}报告"
    return f"报告 {match.source_path}" + (f"（{year}）" if year else "")


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        mode = rule.params["mode"]
        if mode == "template_sentences":
            if ctx.corpus is None:
                yield from _template_sentences(doc, rule, ctx)
            continue
        if mode == "previous_measure":
            yield from _previous_measures(doc, rule, ctx)
            continue
        matches = ctx.reuse
        if matches is None:
            continue
        if mode == "previous_section":
            yield from _previous_section(doc, rule, ctx, matches)
        elif mode in PASSAGE_RELATION:
            yield from _passages(doc, rule, matches, PASSAGE_RELATION[mode])
        elif mode == "same_figures":
            yield from _same_figures(doc, rule, matches)


PASSAGE_RELATION = {"earlier_passage": "same_body_earlier", "other_body": "other_body"}


def _passages(doc: Document, rule: Rule, matches, relation: str) -> Iterable[Finding]:
    """One finding per copied span of the given relation, long and similar enough to be a copy."""
    from auditor.similarity.passages import free_prose_chars, mask_numbers

    min_chars = rule.params.get("min_chars", 30)
    for m in matches:
        if (m.relation == relation and m.end - m.start >= min_chars
                and m.similarity >= rule.params.get("min_similarity", 0.0)
                # a list of category counts or a stock "nothing happened" sentence is not copying
                and free_prose_chars(mask_numbers(doc.text[m.start:m.end])) >= min_chars):
            yield make_finding(rule, doc, rule.format(source=_who(m), chars=m.end - m.start,
                                                      similarity=f"{m.similarity:.0%}"),
                               span=(m.start, m.end), evidence={"source": _source(m)})


# A whole figure, not a year ("2023年" is not the figure "202").
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]|\s*年)")


def _same_figures(doc: Document, rule: Rule, matches) -> Iterable[Finding]:
    for m in matches:
        if m.relation != "same_body_earlier" or m.source_year is None or m.source_year != (doc.meta.year or 0) - 1:
            continue
        figures = _FIGURE.findall(doc.text[m.start:m.end])
        if not figures or figures != _FIGURE.findall(m.source_text):
            continue
        telling = [f for f in figures if float(f) >= rule.params.get("min_figure", 10)]
        if not telling:
            continue
        yield make_finding(rule, doc, rule.format(source=_who(m), figures="、".join(figures[:6])),
                           span=(m.start, m.end), content="same-figures:" + doc.text[m.start:m.end],
                           evidence={"figures": figures, "source": _source(m)})


def _previous_section(doc: Document, rule: Rule, ctx, matches) -> Iterable[Finding]:
    ratios = ctx.reuse_ratios
    for key, figures in ratios.items():
        share = figures.get("previous_year", 0.0)
        limit = rule.params.get("max_share_by_section", {}).get(key, rule.params.get("max_share", 0.5))
        if share <= limit or figures.get("chars", 0) < rule.params.get("min_chars", 100):
            continue
        section = doc.section(key)
        spans = [m for m in matches if m.section == key and m.relation == "same_body_earlier"]
        source = spans[0] if spans else None
        yield make_finding(rule, doc, rule.format(section=SECTION_NAMES.get(key, key), share=f"{share:.0%}",
                                                  source=_who(source) if source else "上年报告"),
                           span=(section.start, section.start + len(section.title)) if section else None,
                           section=key, content=f"reuse:{key}",
                           evidence={"share": round(share, 3), "section_chars": figures.get("chars"),
                                     "source": _source(source) if source else None,
                                     "spans": [{"start": m.start, "end": m.end, "source": _source(m)} for m in spans]})


# A clause: between punctuation.
_CLAUSE = re.compile(r"[^，,。；;！!？?：:\n]+")


def _body_clauses(doc: Document, section) -> Iterable[tuple[int, int, str]]:
    """(start, end, key) of each clause of the section after its title (headings are alike every
    year), less the enumeration marker opening it; the key as the template classifier sees text:
    no spaces, no marker, every figure 0."""
    from auditor.similarity.classifier import LEADING_MARKER, mask

    body_start = section.start + len(section.title)
    for m in _CLAUSE.finditer(doc.text, body_start, section.end):
        text = m.group()
        lead = len(text) - len(text.lstrip())
        marker = LEADING_MARKER.match(text[lead:])
        key = mask(text)
        if key:
            yield m.start() + lead + (marker.end() if marker else 0), m.end(), key


def _previous_measures(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    """Clauses of this year's 五 written word for word in the same body's previous 五: a measure
    promised last year and promised again (was it carried out?), or a problem still there in the
    same words. Those inside a passage already reported as copied (SIM-PREV-PASSAGE) are left to it."""
    from auditor.similarity.classifier import HAN

    previous = ctx.previous
    here = doc.section("problems")
    there = previous.section("problems") if previous is not None else None
    if here is None or there is None:
        return
    min_chars = rule.params.get("min_chars", 12)
    last_year = {key: (a, b) for a, b, key in _body_clauses(previous, there) if len(HAN.findall(key)) >= min_chars}
    copied = [(m.start, m.end) for m in (ctx.reuse or []) if m.relation == "same_body_earlier"]
    # the section's own words about itself ("我区将采取以下措施加以改进", "工作取得了一定成绩，但离…期望…")
    # are alike every year
    about_itself = re.compile(rule.params.get("about_the_section", r"以下|如下"))
    source = f"{previous.meta.year}年报告" if previous.meta.year else "上年报告"
    seen: set[str] = set()
    for a, b, key in _body_clauses(doc, here):
        # (a clause of several figures is a line of a table printed in the section, not a measure)
        if key not in last_year or key in seen or about_itself.search(key) or key.count("0") > 1 \
                or any(s <= a and b <= e for s, e in copied):
            continue
        seen.add(key)
        a0, b0 = last_year[key]
        yield make_finding(rule, doc, rule.format(source=source, clause=doc.text[a:b].strip()),
                           span=(a, b), section="problems", content=f"measure:{key}",
                           evidence={"source": {"path": previous.path, "year": previous.meta.year,
                                                "start": a0, "end": b0, "text": previous.text[a0:b0]}})


def _template_sentences(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    from auditor import resources
    from auditor.similarity.classifier import is_narrative, score_sentences

    p = rule.params
    keys = rule.scope or ("overview", "problems", "other")
    for key in keys:
        # Headings and fragments were never in the training data; only running sentences are scored.
        sentences = [s for s in ctx.sentences if s.section == key and is_narrative(s.text)]
        if len(sentences) < p.get("min_sentences", 4):
            continue
        try:
            scores = score_sentences([s.text for s in sentences])
        except ValueError as exc:  # the model file is missing or refused: say so, don't crash
            yield make_finding(rule, doc, f"无法评估模板句：{exc}", severity="info", content="model-unavailable",
                               evidence={"error": str(exc)})
            return
        flagged = [(s, sc) for s, sc in zip(sentences, scores) if sc >= p.get("min_probability", 0.8)]
        share = len(flagged) / len(sentences)
        if share < p.get("max_share", 0.6):
            continue
        top = sorted(flagged, key=lambda x: -x[1])[:5]
        first = top[0][0]
        yield make_finding(rule, doc, rule.format(section=SECTION_NAMES.get(key, key), share=f"{share:.0%}",
                                                  flagged=len(flagged), total=len(sentences), example="".join(first.text.split())[:40]),
                           span=(first.start, first.end), section=key, content=f"template:{key}",
                           evidence={"share": round(share, 3), "model": resources.model_label(),
                                     "sentences": [{"start": s.start, "end": s.end, "text": s.text,
                                                    "probability": round(sc, 3)} for s, sc in top]})
