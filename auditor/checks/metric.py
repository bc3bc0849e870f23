"""Rule kind `metric`: a measure computed over a section's sentences, with a threshold.

params.metric:
  specificity — sentences of the scope are classed as problem (params.problem_cues) or measure
      (params.measure_cues) and graded by the signals they carry (params.specific_signals: a
      number with a unit, a date or deadline, a named document or system, an owner). The section
      is flagged when its concreteness (below) is under params.min_concreteness, however few
      sentences it has — a short 五 of stock phrases is the worst 五, never exempt — or, with
      params.stock_problems {min, detail}, when at least `min` problem sentences are named and
      none carries a signal (stock problems, however concrete the measures). The evidence lists
      every sentence with its signals and level.
  problems_without_measures — the scope names problems but no sentence is a measure.
  too_short — the scope has fewer than params.min_chars characters of text (or says only "无").
  recurring_problems — a problem topic (the problem_topics of the data file params.topics_from)
      named in a problem sentence of this 五 was already named as a problem in the same body's
      previous report (`--previous`, or the corpus), and this 五 says nothing of what was done
      about it (params.unless).
  unanswered_problems — a problem topic (as above) named in a problem sentence of 五 that
      no measure sentence of the same 五 names.
All cue and signal lists are regular expressions in the rule file, never in code.

Concreteness grades a 五 in steps, as evaluators do: each problem or measure sentence earns its
highest signal level (params.signal_levels: a named document or system 1 — a named gap or
method; a number, a deadline, an owner or a named deliverable 2; params.own_wording: a long
sentence the boilerplate classifier finds unlike template text 1), and the section's
concreteness is the earned share of 2 per sentence over at least params.min_sentences sentences
(so two stock sentences score 0, and a 五 too short to name problems and measures cannot score
high).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.rules.rule import Rule


@dataclass(frozen=True)
class ScoredSentence:
    start: int
    end: int
    text: str
    role: str  # problem | measure | other
    signals: tuple[str, ...]


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# A sentence this long or longer always has four words or more: it is never a fragment.
FRAGMENT_MAX_CHARS = 16


def classify(sentences, params: dict, words=None) -> list[ScoredSentence]:
    """words: a function giving a sentence's words (CheckContext.words), to skip fragments."""
    plan = _compile(params["plan_cues"]) if params.get("plan_cues") else None
    problem = _compile(params["problem_cues"])
    measure = _compile(params["measure_cues"])
    signals = {name: re.compile(rx) for name, rx in params["specific_signals"].items()}
    out = []
    for s in sentences:
        text = s.text
        if len(text) < params.get("min_sentence_chars", 8):
            continue
        # A fragment of two or three words ("改进情况如下：") is not a problem or a measure. Only
        # short sentences can be one: segmenting the long ones too would cost more than the check.
        if (words is not None and len(text) < FRAGMENT_MAX_CHARS
                and len([w for w in words(s) if w[2].strip("，。；：、")]) < params.get("min_words", 4)):
            continue
        if plan is not None and plan.search(text):
            role = "measure"
        elif problem.search(text):
            role = "problem"
        elif measure.search(text):
            role = "measure"
        else:
            role = "other"
        found = tuple(name for name, rx in signals.items() if rx.search(text))
        out.append(ScoredSentence(s.start, s.end, text, role, found))
    return _list_items_share_a_role(out)


# What classify reads of its params: sentences classed with the same of these are classed the same.
_CLASSIFY_PARAMS = ("plan_cues", "problem_cues", "measure_cues", "min_sentence_chars", "min_words")


def _classified(ctx, sentences, params: dict) -> list[ScoredSentence]:
    """classify(sentences, params, ctx.words), once per report for the same sentences and cue
    lists: the rules VAG-NO-MEASURE, VAG-UNSPECIFIC (twice), VAG-RECURRING, VAG-UNANSWERED and the
    score's concreteness all class section 五's sentences, with the cues of specificity.yaml."""
    key = (tuple((s.start, s.end, s.text) for s in sentences),
           tuple(_frozen(params.get(name)) for name in _CLASSIFY_PARAMS),
           tuple(params["specific_signals"].items()))
    memo = ctx.classified
    if key not in memo:
        memo[key] = classify(sentences, params, ctx.words)
    return list(memo[key])


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


_LIST_ITEM = re.compile(r"^\s*([一二三四五六七八九十])是")


def _list_items_share_a_role(scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """The items of one "一是…二是…三是…" list are all problems or all measures, as its first item
    is: "二是围绕…申请、复议、诉讼案件中遇到的复杂疑难问题，收集典型案例…" in a list of measures
    names a problem only to say what the measure is about (real/full/004)."""
    from dataclasses import replace

    out, list_role = [], None
    for s in scored:
        item = _LIST_ITEM.match(s.text)
        if item and item.group(1) == "一":
            list_role = s.role if s.role in ("problem", "measure") else None
        elif item and list_role is not None and s.role in ("problem", "measure") and s.role != list_role:
            s = replace(s, role=list_role)
        out.append(s)
    return out


@dataclass(frozen=True)
class Concreteness:
    value: float  # 0..1
    sentences: tuple[ScoredSentence, ...]  # the sentences judged
    levels: tuple[int, ...]

    def to_json(self) -> dict:
        return {"value": round(self.value, 3), "sentences": [
            {"start": s.start, "end": s.end, "role": s.role, "signals": list(s.signals), "level": level,
             "text": s.text} for s, level in zip(self.sentences, self.levels)]}


def grade_concreteness(scored: list[ScoredSentence], params: dict) -> Concreteness:
    levels_of = params.get("signal_levels", {})
    # Every sentence of the section counts: a concrete problem stated as a plain fact ("有4个村
    # 未按季度更新") carries no problem cue, and is the best kind.
    judged = list(scored)
    own_level = (params.get("own_wording") or {}).get("level", 1)
    signal_levels = [max((levels_of.get(name, 2) for name in s.signals), default=0) for s in judged]
    # The classifier is asked only about the sentences whose signals earn less than its level:
    # the others keep their level whatever its verdict (each sentence is scored on its own).
    own = _own_wording([s for s, level in zip(judged, signal_levels) if level < own_level], params.get("own_wording"))
    levels = tuple(own_level if s.start in own else level for s, level in zip(judged, signal_levels))
    top = max(levels_of.values(), default=2) or 2
    denominator = top * max(len(judged), params.get("min_sentences", 1))
    return Concreteness(sum(levels) / denominator if denominator else 0.0, tuple(judged), levels)


def _own_wording(sentences: list[ScoredSentence], spec: dict | None) -> set[int]:
    """Starts of the sentences the boilerplate classifier finds unlike template text (a named gap
    or method in the body's own words, with no number to show for it), long enough for the
    classifier's verdict to mean something."""
    if not spec:
        return set()
    long_enough = [s for s in sentences if len("".join(s.text.split())) >= spec.get("min_chars", 25)]
    if not long_enough:
        return set()
    from auditor import resources

    probabilities = _template_probabilities(str(resources.model_path()), tuple(s.text for s in long_enough))
    return {s.start for s, p in zip(long_enough, probabilities) if p < spec.get("max_probability", 0.4)}


# The classifier's verdict on each sentence, kept per model object (load_model gives a new one
# when the model in effect changes): stock sentences recur from report to report. A sentence is
# scored on its own (a row of its own in every step), so a kept verdict is the one a call with
# other sentences would give.
_VERDICTS_KEPT = 20_000  # sentences per model; emptied when full
_verdicts: "weakref.WeakKeyDictionary[object, dict[str, float]]" = weakref.WeakKeyDictionary()
_verdicts_lock = threading.Lock()  # Dask workers may run several threads


def _template_probabilities(model_path: str, texts: tuple[str, ...]) -> tuple[float, ...]:
    """score_sentences(texts, model_path), each sentence's verdict kept (a 五 is graded twice: for
    VAG-UNSPECIFIC and for the score)."""
    from auditor.similarity.classifier import load_model

    model = load_model(model_path)
    with _verdicts_lock:
        kept = _verdicts.setdefault(model, {})
        new = [t for t in dict.fromkeys(texts) if t not in kept]
    scores = dict(zip(new, _score_sentences(new, model))) if new else {}
    with _verdicts_lock:
        found = tuple(scores[t] if t in scores else kept[t] for t in texts)
        if len(kept) + len(scores) > _VERDICTS_KEPT:
            kept.clear()
        kept.update(scores)
    return found


def _score_sentences(texts: list[str], model) -> list[float]:
    """score_sentences(texts, model). For the shipped kind of model (hashed character n-grams →
    tf-idf → a logistic regression of two classes) the Pipeline's steps are applied by hand as
    their transform and predict_proba apply them — the hashing step's own transform, then in place
    the same numpy operations and the same compiled kernels (sklearn's row normalization, scipy's
    sparse product) on the same arrays — without sklearn's validation and dispatch around each,
    which cost half a call on a few sentences. The same floats: tests/test_classifier.py compares
    them with score_sentences on every narrative sentence of the corpora."""
    from auditor.similarity.classifier import mask, score_sentences

    steps = _linear_steps(model)
    if steps is None:
        return score_sentences(texts, model)
    import numpy as np
    from scipy.special import expit
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    hashing, tfidf, classifier = steps
    weights = hashing.transform([mask(t) for t in texts])  # CSR, counts; indices sorted per row
    if tfidf.sublinear_tf:
        np.log(weights.data, weights.data)
        weights.data += 1.0
    weights.data *= tfidf.idf_[weights.indices]
    inplace_csr_row_normalize_l2(weights)
    # LogisticRegression.predict_proba of two classes: the second's is expit of the decision.
    decision = (weights @ classifier.coef_.T + classifier.intercept_).reshape(-1)
    return [float(p) for p in expit(decision)]


def _linear_steps(model):
    """(hashing, tfidf, classifier) of a Pipeline of exactly those kinds, hashing into float64,
    whose tf-idf step uses idf and the l2 norm and whose classifier's classes are (specific,
    template); else None (score_sentences scores it)."""
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    from auditor.similarity.classifier import SPECIFIC, TEMPLATE

    steps = [step for _, step in getattr(model, "steps", ())]
    if [type(step) for step in steps] != [HashingVectorizer, TfidfTransformer, LogisticRegression]:
        return None
    hashing, tfidf, classifier = steps
    if not (np.dtype(hashing.dtype) == np.float64 and tfidf.use_idf and tfidf.norm == "l2"
            and list(classifier.classes_) == [SPECIFIC, TEMPLATE]):
        return None
    return hashing, tfidf, classifier


def concreteness(doc: Document, ctx, params: dict | None = None) -> Concreteness | None:
    """The concreteness of section 五 (None when the report has none), with the cue lists of
    rules/specificity.yaml unless params are given."""
    if doc.section("problems") is None:
        return None
    from auditor.rules.data import load_data

    params = {**load_data("specificity"), **(params or {})}
    return grade_concreteness(_scored_problems(doc, ctx, params), params)


# A page number left by a PDF between two lines ("-5-", "— 5 —", "第5页"): not a sentence, and it
# must not glue itself to the sentence it interrupts.
_PAGE_NUMBER = re.compile(r"[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?")

_SUBHEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]*[）)、.．]?\s*(?:存在的?)?(?:主要)?(?:问题|不足|改进(?:情况|措施)?|整改(?:情况|措施)?|下一步(?:工作)?(?:打算|计划)?)"
                         r"(?:及改进(?:情况|措施)?)?[：:。]?$")


def _scope_sentences(doc: Document, rule: Rule, ctx):
    return _section_sentences(doc, tuple(rule.scope or ("problems",)), ctx)


def _section_sentences(doc: Document, keys: tuple[str, ...], ctx):
    """Sentences of the sections, without the section heading and sub-headings ("改进情况："),
    and with page numbers cut out; read once per report (ctx.section_sentences)."""
    memo, key = ctx.section_sentences, frozenset(keys)
    if key not in memo:
        memo[key] = _read_section_sentences(doc, keys, ctx)
    return memo[key]


def _read_section_sentences(doc: Document, keys: tuple[str, ...], ctx):
    from dataclasses import replace

    keys = set(keys)
    titles = [(s.start, s.start + len(s.title)) for s in doc.sections if s.key in keys]
    out = []
    for s in ctx.sentences:
        if s.section not in keys:
            continue
        if any(a <= s.start < b for a, b in titles):
            continue
        if _SUBHEADING.match(s.text.strip()):
            continue
        if _PAGE_NUMBER.search(s.text):
            s = replace(s, text=_PAGE_NUMBER.sub(lambda m: " " * len(m.group(0)), s.text))
            if not s.text.strip():
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
        if metric == "recurring_problems":
            yield from _recurring_problems(doc, rule, ctx)
            continue
        if metric == "unanswered_problems":
            yield from _unanswered_problems(doc, rule, ctx)
            continue
        params = dict(rule.params)
        if "cues" in params:
            from auditor.rules.data import load_data

            params = {**load_data(params["cues"]), **params}
        scored = _classified(ctx, _scope_sentences(doc, rule, ctx), params)
        problems = [s for s in scored if s.role == "problem"]
        measures = [s for s in scored if s.role == "measure"]
        if metric == "problems_without_measures":
            if problems and not measures:
                first = problems[0]
                yield make_finding(rule, doc, rule.format(problems=len(problems), first=first.text[:40]),
                                   span=(first.start, first.end), content="no-measures:" + first.text,
                                   evidence={"problems": [p.text for p in problems]})
        elif metric == "specificity":
            grade = grade_concreteness(scored, params)
            stock_problems = _stock_problems(grade, params.get("stock_problems"))
            if not scored or (grade.value >= params["min_concreteness"] and not stock_problems):
                # No sentence read at all is not a vague section: nothing was judged.
                continue
            stock = [s for s, level in zip(grade.sentences, grade.levels) if level == 0]
            example = (stock_problems or stock or list(grade.sentences) or [None])[0]
            sec = sections[0]
            span = (example.start, example.end) if example else (sec.start, sec.start + len(sec.title))
            detail = (params["stock_problems"]["detail"].format(count=len(stock_problems))
                      if stock_problems else "")
            yield make_finding(
                rule, doc, rule.format(total=len(grade.sentences), vague=len(stock),
                                       concreteness=f"{grade.value:.0%}", detail=detail,
                                       example="".join(example.text.split())[:50] if example else "（无）"),
                span=span, section=sec.key, content="vague:" + "|".join(s.text for s in stock[:5]),
                evidence={"concreteness": grade.to_json(),
                          "stock_problems": [s.text for s in stock_problems]})


def _stock_problems(grade: Concreteness, spec: dict | None) -> list[ScoredSentence]:
    """The problem sentences of 五 when there are at least spec["min"] of them and not one carries
    a signal (a figure, a case, a named column or system): then the problems are stock whatever
    the measures say — evaluators judge the problems first ("problems vague ('还不够精确',
    '有待提高')" next to concrete measures). A lead-in ending in a colon ("存在的问题主要有以下
    几个方面：") introduces the problems and is not one. Empty when the rule has no spec."""
    if not spec:
        return []
    problems = [(s, level) for s, level in zip(grade.sentences, grade.levels)
                if s.role == "problem" and not s.text.rstrip().endswith(("：", ":"))]
    if len(problems) < spec.get("min", 2) or any(level for _, level in problems):
        return []
    return [s for s, _ in problems]


def _problem_topics(scored: list[ScoredSentence], topics: dict[str, re.Pattern]) -> dict[str, ScoredSentence]:
    """Topic → the first problem sentence of 五 naming it."""
    found: dict[str, ScoredSentence] = {}
    for s in scored:
        if s.role != "problem":
            continue
        for name, pattern in topics.items():
            if name not in found and pattern.search(s.text):
                found[name] = s
    return found


def _topic_rule(rule: Rule) -> tuple[dict, dict[str, re.Pattern]]:
    """The cue lists and the compiled problem areas a topic rule (VAG-RECURRING, VAG-UNANSWERED) uses."""
    from auditor.rules.data import data_file, load_data

    params = {**load_data(rule.params.get("cues", "specificity")), **rule.params}
    return params, _compiled_topics(data_file(rule.params["topics_from"]))


@lru_cache(maxsize=4)
def _compiled_topics(path) -> dict[str, re.Pattern]:
    from auditor.rules.data import read_data

    return {name: re.compile(rx) for name, rx in read_data(path)["problem_topics"].items()}


@lru_cache(maxsize=4)
def _compiled_measure_topics(path) -> dict[str, re.Pattern]:
    """Per area, what a measure may say instead (specificity.yaml measure_topics) — or the area itself."""
    from auditor.rules.data import read_data

    data = read_data(path)
    extra = data.get("measure_topics", {})
    return {name: re.compile(rx + (f"|{extra[name]}" if name in extra else ""))
            for name, rx in data["problem_topics"].items()}


def _scored_problems(doc: Document, ctx, params: dict) -> list[ScoredSentence]:
    return _classified(ctx, _section_sentences(doc, ("problems",), ctx), params)


def _recurring_problems(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    previous = ctx.previous
    if previous is None or previous.section("problems") is None:
        return
    sec = doc.section("problems")
    if re.search(rule.params["unless"], doc.text[sec.start:sec.end]):
        return  # the report says what became of last year's problems
    from auditor.checks import CheckContext

    params, topics = _topic_rule(rule)
    now = _problem_topics(_scored_problems(doc, ctx, params), topics)
    before = _problem_topics(_scored_problems(previous, CheckContext(doc=previous), params), topics)
    for name, sentence in now.items():
        if name not in before:
            continue
        earlier = before[name]
        yield make_finding(rule, doc, rule.format(topic=name, year=previous.meta.year or "上",
                                                  before="".join(earlier.text.split())[:40]),
                           span=(sentence.start, sentence.end), section="problems",
                           content=f"recurring:{name}",
                           evidence={"topic": name, "previous": {"path": previous.path, "year": previous.meta.year,
                                                                 "text": earlier.text}})


def _unanswered_problems(doc: Document, rule: Rule, ctx) -> Iterable[Finding]:
    from auditor.rules.data import data_file

    params, topics = _topic_rule(rule)
    scored = _scored_problems(doc, ctx, params)
    measures = [s for s in scored if s.role == "measure"]
    if not measures:
        return  # no measure at all is VAG-NO-MEASURE's finding
    for name, sentence in _problem_topics(scored, topics).items():
        answered_by = _compiled_measure_topics(data_file(rule.params["topics_from"]))[name]
        if any(answered_by.search(m.text) for m in measures):
            continue
        yield make_finding(rule, doc, rule.format(topic=name, problem="".join(sentence.text.split())[:40]),
                           span=(sentence.start, sentence.end), section="problems", content=f"unanswered:{name}",
                           evidence={"topic": name, "measures": [m.text for m in measures]})
