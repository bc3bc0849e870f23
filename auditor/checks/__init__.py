"""Check stage: a Document and the rules → findings and a score.

One module per rule kind (identity, claim, section, phrase, pattern, metric); each exposes
`run(doc, rules, ctx) -> Iterable[Finding]` and only reads the Document. The context gives lazy,
per-document access to heavy things (sentences, claims) so kinds that don't need them never
pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from auditor.checks.assess import coverage, judges_whole_section
from auditor.checks.score import score_report
from auditor.memo import per_document
from auditor.model import Document, Finding
from auditor.rules.rule import Rule

@dataclass
class CheckContext:
    doc: Document
    previous: Document | None = None  # the same body's previous report, when given
    corpus: object | None = None  # a CorpusIndex of other reports (`audit --corpus DIR`)

    @cached_property
    def _index(self):
        """The corpus index, or one made of the previous report alone when only that is given."""
        if self.corpus is not None:
            return self.corpus
        if self.previous is not None:
            from auditor.similarity.index import CorpusIndex

            return CorpusIndex.build([self.previous])
        return None

    @cached_property
    def reuse(self):
        """Spans of this report copied from the indexed reports (None without corpus or previous)."""
        index = self._index
        if index is None:
            return None
        matches = index.query(self.doc)
        if self.previous is not None:
            # `--previous` says it is this body's last report, however its name is written.
            from dataclasses import replace

            matches = [replace(m, relation="same_body_earlier") if m.source_path == self.previous.path else m
                       for m in matches]
        return matches

    @cached_property
    def reuse_ratios(self) -> dict:
        index = self._index
        if index is None:
            return {}
        ratios = index.reuse_ratios(self.doc, self.reuse or [])
        if self.previous is not None:
            # `--previous` is this body's last report whatever its name: measure against it directly.
            for key, figures in ratios.items():
                chars = figures.get("chars", 0)
                copied = sum(m.end - m.start for m in self.reuse or []
                             if m.section == key and m.source_path == self.previous.path)
                if chars and copied and not figures.get("previous_year"):
                    figures["previous_year"] = min(1.0, copied / chars)
        return ratios

    @cached_property
    def sentences(self):
        from auditor.nlp.sentences import split_document

        return split_document(self.doc)

    @cached_property
    def _words(self) -> dict[int, list[tuple[int, int, str]]]:
        return {}

    @cached_property
    def classified(self) -> dict:
        """Sentences already classed as problem or measure (checks/metric.py _classified)."""
        return {}

    @cached_property
    def section_sentences(self) -> dict:
        """The prose sentences of sections, by the set of their keys (checks/metric.py
        _section_sentences): five rules and the score read section 五's."""
        return {}

    def words(self, sentence) -> list[tuple[int, int, str]]:
        """Words of one narrative sentence (jieba, the pipeline's tokenizer), tokenized on first
        use and kept: only the sentences a rule looks at are segmented.

        Each word is (start, end, text) with offsets into Document.text.
        """
        cached = self._words.get(sentence.start)
        if cached is None:
            cached = [(sentence.start + a, sentence.start + b, word) for a, b, word in _sentence_words(sentence.text)]
            self._words[sentence.start] = cached
        return cached

    def sentence_at(self, offset: int):
        """The narrative sentence containing a character offset, or None."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    @cached_property
    def _claims_and_lists(self):
        return _extracted(self.doc)  # on split_document's sentences, the ones self.sentences gives

    @property
    def claims(self):
        """The quantity statements of the narrative (auditor/nlp/claims.py), in text order."""
        return self._claims_and_lists[0]

    @property
    def claim_lists(self):
        """The lists of a total and its parts the narrative states."""
        return self._claims_and_lists[1]

    @cached_property
    def stated_topics(self) -> dict[str, bool]:
        """Which of the figures every report must give (rules/topics.yaml) it states; read by the
        rule STR-FIGURES and by the score."""
        from auditor.checks.topics import stated_topics

        return stated_topics(self.doc, self.claims)

    @cached_property
    def previous_claims(self):
        """The claims of the same body's previous report, when it is given."""
        if self.previous is None:
            return None
        return _extracted(self.previous)[0]


@dataclass
class AuditResult:
    doc: Document
    findings: list[Finding]
    score: dict = field(default_factory=dict)
    reuse: dict | None = None  # per-section reuse ratios, when compared with a corpus or last year

    def to_json(self) -> dict:
        out = {"schema": "auditor.audit/1",
               "document": {"path": self.doc.path, "meta": self.doc.meta.to_json()},
               "score": self.score, "findings": [f.to_json() for f in self.findings]}
        if self.reuse is not None:
            out["reuse"] = {key: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in figures.items()}
                            for key, figures in self.reuse.items()}
        return out


def run_checks(doc: Document, rules: list[Rule], previous: Document | None = None,
               corpus=None, withhold_unseen: bool = True) -> AuditResult:
    """withhold_unseen=False keeps findings about parts past the end of a text cut short: for the
    rules' own examples, which are fragments by design."""
    from importlib import import_module

    ctx = CheckContext(doc=doc, previous=previous, corpus=corpus)
    findings: list[Finding] = []
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    for kind, kind_rules in by_kind.items():
        module = import_module(f"auditor.checks.{kind}")
        findings.extend(module.run(doc, kind_rules, ctx))
    # A text cut short says nothing of what lies past the cut: findings about those parts are
    # withheld (STR-EXCERPT says what could not be assessed) and score no points either way.
    seen = coverage(doc)
    if withhold_unseen and seen.truncated:  # (a whole text has nothing unseen: no rule need be asked)
        whole = {rule.id for rule in rules if judges_whole_section(rule)}
        findings = [f for f in findings if not seen.concerns_unseen(f, f.rule in whole, doc)]
    # A report read by OCR: each finding says where on the scan, and a failed identity that a
    # doubtful digit explains is a reading error, not the report's (checks/scanned.py).
    from auditor.checks.scanned import review

    findings = review(doc, findings, by_kind.get("identity", []))
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.span.start if f.span else -1, order[f.severity], f.rule))
    reuse = ctx.reuse_ratios if (corpus is not None or previous is not None) and any(
        r.kind == "similarity" for r in rules) else None
    return AuditResult(doc=doc, findings=findings,
                       score=score_report(doc, findings, seen, ctx, has_previous=previous is not None,
                                          identities=by_kind.get("identity", [])),
                       reuse=reuse)


@lru_cache(maxsize=4096)
def _sentence_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """The words of a sentence's text (offsets into it), remembered: the short sentences the
    rules segment ("改进措施如下：", "一是加强培训。") recur from report to report.

    The sentence is already split: only the tokenizer is needed, and jieba itself is the
    pipeline's tokenizer (auditor.nlp.pipeline): its words cover the text in order, so each
    word's offset is the length of those before it. The words are the spaCy tokens that were read
    here before (make_doc), without the Doc spaCy builds of them; whitespace is no word, as
    spaCy's is_space tokens were not."""
    from auditor.nlp.pipeline import get_jieba

    words = []
    start = 0
    for word in get_jieba().cut(text):
        end = start + len(word)
        if word.strip():
            words.append((start, end, word))
        start = end
    return tuple(words)


def _extracted(doc: Document):
    """extract(doc, its sentences), kept for the few documents in use: a batch worker checks a
    report, then often the next year's, whose continuity rules read this one's claims again
    (auditor.batch.tasks.resolve gives the same Document). Kept with the lexicon it was read
    with: another rules directory reads the claims again."""
    from auditor.nlp.lexicon import get_lexicon

    lexicon = get_lexicon()
    held = _extracted_with(doc)
    if held[0] is not lexicon:
        held = _extract(doc, lexicon)
        _extracted_with.remember(doc, held)
    return held[1]


@per_document
def _extracted_with(doc: Document):
    from auditor.nlp.lexicon import get_lexicon

    return _extract(doc, get_lexicon())


def _extract(doc: Document, lexicon) -> tuple:
    from auditor.nlp.claims import extract
    from auditor.nlp.sentences import split_document

    return lexicon, extract(doc, split_document(doc))
