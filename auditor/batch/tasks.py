"""The work a batch sends to workers, and what comes back.

- parse_task: one file → its Document and, when corpus checks are on, its entry for the corpus
  index (passages and n-gram counts: the costly part of indexing, done in parallel) and its
  sentence boundaries (split once: the check stage reuses them). With the batch's parse cache
  in the context, the worker writes them there and returns nothing of them (cache.py);
- check_task: one parsed Document (+ the same body's previous-year report) → findings, score and
  its HTML findings page, against the corpus index in the context;
- recheck_task: the check of a report of a batch with corpus checks, whose Document and
  previous-year report come by reference (`Cached`: read from the parse cache here, so the batch
  process never holds them all); a kept result whose corpus changed is checked again only when
  its query plan against the new index differs from the one it was checked with;
- audit_task: parse + check in one go, when no corpus-level check needs every report first.

Tasks never raise for a bad report: the outcome carries a one-line Chinese error instead, so one
broken file is recorded and the batch goes on. The exception is MemoryError: the engine records
it as the report being over its memory budget (budget.py). Outcomes are small and picklable; the
HTML page is returned as a string because a Dask worker may not share our filesystem.

An item's path is the real name, to open the file; the outcome's `path`, the document's and every
message name the file by its shown form (filenames.py), which is what the database stores.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from auditor import resources
from auditor.filenames import legible, shown
from auditor.model import Document, Finding, Meta


@dataclass
class BatchContext:
    """Sent once to each worker."""

    rules: list
    decisions: object | None = None  # a loaded baseline
    corpus: object | None = None  # the CorpusIndex of the whole batch (check stage)
    index_entries: bool = False  # parse stage: also compute each report's index entry
    # The batch's parse cache (directory, cache.parser_key()) when the workers share this
    # filesystem: parse tasks write their report's entry there, check tasks read theirs.
    cache: tuple[str, str] | None = None
    pages: bool = True  # render each report's HTML findings page
    page_options: dict = field(default_factory=dict)  # keyword arguments of report.html.render
    # The configured rules directory (for its data lists) and model, as in effect where the
    # context was made: a forked worker has them already, a Dask worker has to be told.
    resources: tuple[str | None, str | None] = field(default_factory=resources.in_effect)

    def apply(self) -> None:
        """Read the same data lists and model as the process that made the context. On a Dask
        worker of another machine the configured paths must exist there too."""
        if resources.in_effect() == self.resources:
            return
        rules_dir, model = self.resources
        if rules_dir and not os.path.isdir(rules_dir):
            raise FileNotFoundError(f"本机没有规则目录 {rules_dir}")
        if model and not os.path.isfile(model):
            raise FileNotFoundError(f"本机没有模型文件 {model}")
        resources.use(rules_dir, model)


class ParseItem(NamedTuple):
    path: str  # the real path
    data: bytes | None = None  # the file's bytes (a Dask worker), or None to read the path here
    sha256: str | None = None  # of the bytes: the parse cache's key (None: not cached)


@dataclass
class ParseOutcome:
    """With the parse cache in the context and the entry written there, `path`, `cached` and the
    entry for the index (the batch process takes it from here, not from the cache); when it could
    not be written (a full disk), the entry and not `cached` (the check task parses the file
    again). Without it (a Dask worker), everything."""

    path: str  # the shown name (filenames.shown)
    doc: Document | None = None
    entry: object | None = None  # similarity.index.IndexEntry
    sentences: list[tuple[int, int, str | None]] | None = None  # (start, end, section) of each sentence
    error: str | None = None
    failure: str | None = None  # with error, when no task outcome: budget.TaskFailure.kind
    cached: bool = False  # written to the parse cache by the worker


@dataclass(frozen=True)
class Cached:
    """A parsed report by reference: its entry in the batch's parse cache (name and bytes' sha256,
    as ParseCache keys it), resolved by the task that needs it. When the entry is missing (it
    could not be written, or was damaged since), the file is parsed again: from `data` when
    given (a Dask worker), else from `path`."""

    name: str  # the shown name
    sha256: str
    path: str  # the real path
    data: bytes | None = None


@dataclass
class CheckOutcome:
    path: str  # the shown name (filenames.shown)
    page: int
    error: str | None = None
    failure: str | None = None  # with error, when no task outcome: budget.TaskFailure.kind
    meta: Meta | None = None
    score: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    quotes: list[str | None] = field(default_factory=list)  # the text of each finding's span
    html: str | None = None
    # With corpus checks: CorpusIndex.query_plan of the report, what its result depends on in the
    # corpus; `kept`: a recheck_task found it unchanged, so the stored result stands.
    plan: str | None = None
    kept: bool = False


def warm_up(rules: list, *, classifier: bool, pages: bool) -> None:
    """Load what checking with `rules` needs in this process: the check modules of their kinds,
    the NLP pipeline with jieba's dictionary, the boilerplate classifier, the page renderer.
    Called in the parent before the check workers are forked, so each starts warm (and shares
    those pages with the others) instead of loading them all again.

    The classifier is needed by the template-sentence similarity rules (`classifier`: they run
    only without a corpus) and, with or without a corpus, by the concreteness of section 五
    (rules/specificity.yaml `own_wording`, read by the score and the metric rules): loading it
    takes seconds (skops checks every type it holds), once per worker when not done here."""
    from importlib import import_module

    for kind in sorted({rule.kind for rule in rules}):
        import_module(f"auditor.checks.{kind}")
    import auditor.nlp.claims  # noqa: F401
    from auditor.nlp.pipeline import get_jieba, get_nlp

    get_nlp()
    get_jieba()
    if _needs_classifier(rules, classifier):
        from auditor.similarity.classifier import load_model

        try:
            load_model()
        except ValueError:
            pass  # the rule reports an unusable model itself, per report
    if pages:
        import auditor.report.html  # noqa: F401


def _needs_classifier(rules: list, template_rules: bool) -> bool:
    """Whether checking with `rules` may run the boilerplate classifier (see warm_up)."""
    from auditor.rules.data import load_data

    if template_rules and any(rule.kind == "similarity" and rule.params.get("mode") == "template_sentences"
                              for rule in rules):
        return True
    return bool(load_data("specificity").get("own_wording")) or any(
        rule.kind == "metric" and rule.params.get("own_wording") for rule in rules)


def _parse(path: str, data: bytes | None) -> Document:
    """The report at `path` (or its bytes), named by its shown name."""
    from auditor.structure import parse_bytes, parse_file

    doc = parse_file(path) if data is None else parse_bytes(path, data)
    name = shown(path)
    return doc if doc.path == name else dataclasses.replace(doc, path=name)


def _read_error(path: str, exc: Exception) -> str:
    from auditor.errors import InputError

    if isinstance(exc, InputError):
        return str(InputError(legible(path), shown(exc.cause)))
    return f"{legible(path)}：读取失败（{type(exc).__name__}: {shown(str(exc))}）"


def parse_task(context: BatchContext, item: ParseItem | tuple[str, bytes | None]) -> ParseOutcome:
    """item: a ParseItem, or (path, bytes or None to read the path here)."""
    path, data, sha256 = ParseItem(*item)
    try:
        context.apply()
        doc = _parse(path, data)
    except MemoryError:  # over the memory budget: the engine records it
        raise
    except Exception as exc:  # a reader crash must not stop the batch
        return ParseOutcome(shown(path), error=_read_error(path, exc))
    entry = sentences = None
    if context.index_entries:
        from auditor.nlp.sentences import split_document
        from auditor.similarity.index import index_entry

        entry = index_entry(doc)
        # Already split for the entry (memoised): the boundaries cost nothing to ship.
        sentences = [(s.start, s.end, s.section) for s in split_document(doc)]
        if context.cache is not None and sha256 is not None:
            from auditor.batch.cache import ParseCache

            if ParseCache(*context.cache).put(doc.path, sha256, doc, sentences, entry):
                # The entry comes along: the batch process adds it to the index as it is
                # (reading it back from the cache cost it far more than unpickling it).
                return ParseOutcome(doc.path, entry=entry, cached=True)
            return ParseOutcome(doc.path, entry=entry)  # the check parses it again
    return ParseOutcome(doc.path, doc=doc, entry=entry, sentences=sentences)


# The documents this process read from the parse cache last, by (name, sha256, cache): a report
# checked here is often the previous-year report of the next one it checks (the same body's
# years follow each other in a batch), which then is the same Document — read once, and what
# was computed from it (sentences, claims: auditor.memo) is found again.
_RECENT: OrderedDict[tuple, tuple[Document, list | None]] = OrderedDict()
RECENT_KEPT = 4
_RECENT_LOCK = threading.Lock()  # Dask workers may run several threads


def resolve(context: BatchContext, source) -> tuple[Document, list | None]:
    """(Document, sentence boundaries or None) of a check item's report: given as such, or by
    reference (Cached). Raises what parsing a file raises."""
    if not isinstance(source, Cached):
        return source
    if context.cache is not None:
        from auditor.batch.cache import ParseCache

        key = (source.name, source.sha256, tuple(context.cache))
        with _RECENT_LOCK:
            hit = _RECENT.get(key)
            if hit is not None:
                _RECENT.move_to_end(key)
                return hit
        hit = ParseCache(*context.cache).document(source.name, source.sha256)
        if hit is not None:
            with _RECENT_LOCK:
                _RECENT[key] = hit
                while len(_RECENT) > RECENT_KEPT:
                    _RECENT.popitem(last=False)
            return hit
    return _parse(source.path, source.data), None


def check_task(context: BatchContext,
               item: tuple[str, int, Document, Document | None, list | None]) -> CheckOutcome:
    """item: (path, page number, document, the same body's previous-year document or None,
    the document's sentence boundaries from parse_task or None)."""
    path, page, doc, previous, sentences = item
    name = shown(path)
    from auditor.baseline import apply_baseline_to_results
    from auditor.checks import run_checks

    _remember_sentences(doc, sentences)
    try:
        context.apply()
        result = run_checks(doc, context.rules, previous=previous, corpus=context.corpus)
        (result,), _ = apply_baseline_to_results([result], context.decisions)
        html = None
        if context.pages:
            from auditor.report.html import render

            html = render([result], rules=context.rules, **context.page_options)
    except MemoryError:  # over the memory budget: the engine records it
        raise
    except Exception as exc:  # a rule failing on an odd report is recorded, not fatal
        return CheckOutcome(name, page, error=f"{legible(path)}：审核失败（{type(exc).__name__}: {shown(str(exc))}）")
    quotes = [doc.text[f.span.start:f.span.end] if f.span else None for f in result.findings]
    return CheckOutcome(name, page, meta=doc.meta, score=result.score, findings=result.findings,
                        quotes=quotes, html=html, plan=corpus_plan(context, doc, previous))


def _remember_sentences(doc: Document, sentences: list | None) -> None:
    """The document's sentence boundaries from its parse (None: not known), so that checking it
    does not split it again."""
    if sentences is not None:
        from auditor.nlp.model import Sentence
        from auditor.nlp.sentences import split_document

        split_document.remember(doc, [Sentence(start=a, end=b, text=doc.text[a:b], section=key)
                                      for a, b, key in sentences])


def corpus_plan(context: BatchContext, doc: Document, previous: Document | None) -> str | None:
    """What a report's result depends on in the corpus: the index's query plan (which names the
    previous-year reports by their text), and the whole previous-year document the continuity
    checks read — its tables too, whatever its text. None without corpus checks."""
    if context.corpus is None:
        return None
    import hashlib
    import json

    # After run_checks the query has planned `doc` already: the plan costs nothing more.
    digest = hashlib.sha256(context.corpus.query_plan(doc).encode("ascii"))
    if previous is not None:
        digest.update(json.dumps(previous.to_json(), ensure_ascii=True, sort_keys=True, default=str).encode("ascii"))
    return digest.hexdigest()


def recheck_task(context: BatchContext, item: tuple[str, int, object, object | None, str | None]) -> CheckOutcome:
    """item: (path, page number, the report, the same body's previous-year report or None, the
    plan the stored result was checked with or None), each report a Cached reference or a
    (Document, sentence boundaries or None) pair. With a plan (a kept result whose corpus
    changed since): the same plan against the new index means the same result (see
    CorpusIndex.query_plan), so only the plan is computed; another plan, and it is checked again."""
    path, page, source, previous_source, plan = item
    try:
        context.apply()
        doc, sentences = resolve(context, source)
        previous, previous_sentences = (resolve(context, previous_source) if previous_source is not None
                                        else (None, None))
        # The continuity checks read the previous year's sentences too (its claims, its 五).
        _remember_sentences(previous, previous_sentences)
    except MemoryError:  # over the memory budget: the engine records it
        raise
    except Exception as exc:  # its entry gone and the file unreadable since: this report's error
        return CheckOutcome(shown(path), page, error=_read_error(path, exc))
    if plan is not None:
        try:
            context.apply()
            if corpus_plan(context, doc, previous) == plan:
                return CheckOutcome(shown(path), page, plan=plan, kept=True)
        except MemoryError:  # over the memory budget: the engine records it
            raise
        except Exception:  # noqa: BLE001 — check_task records what goes wrong, once
            pass
    return check_task(context, (path, page, doc, previous, sentences))


def audit_task(context: BatchContext, item: tuple[str, bytes | None, int]) -> CheckOutcome:
    """item: (path, bytes or None, page number); no corpus, no previous year."""
    path, data, page = item
    try:
        doc = _parse(path, data)
    except MemoryError:
        raise
    except Exception as exc:
        return CheckOutcome(shown(path), page, error=_read_error(path, exc))
    return check_task(context, (path, page, doc, None, None))


def failed_task(item, failure) -> CheckOutcome | ParseOutcome:
    """The outcome of a task that gave none (budget.TaskFailure: over its time or memory budget,
    or its worker lost): the file is recorded with the failure's cause and kind."""
    path = item[0]
    message = f"{legible(path)}：{failure.cause}"
    if isinstance(item, ParseItem) or len(item) == 2:  # parse_task's item
        return ParseOutcome(shown(path), error=message, failure=failure.kind)
    page = item[2] if len(item) == 3 else item[1]  # audit_task's item, or check_task's
    return CheckOutcome(shown(path), page, error=message, failure=failure.kind)
