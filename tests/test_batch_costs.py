"""Work a batch does once, not again per rule, per character or per worker (issue 14: the CPU a report costs in the parse and check stages).

Each shortcut must give exactly what the longer way gave; these tests pin both that and that the
work is not repeated.
"""

from __future__ import annotations

from auditor.checks import CheckContext
from auditor.model import Document, Meta
from auditor.nlp.claims.text import bracket_depths
from auditor.nlp.model import Sentence


def _walk_depths(text: str) -> list[int]:
    """bracket_depths as it was: a walk over every character."""
    depth, out = 0, []
    for ch in text:
        if ch in "）)】〕":
            depth = max(0, depth - 1)
        out.append(depth)
        if ch in "（(【〔":
            depth += 1
    return out


def test_bracket_depths_without_a_bracket_and_with_unbalanced_ones():
    for text in ("", "本年度新收政府信息公开申请12件。", "共12件（其中结转3件）。", "）)多关了（（开了", "【〔嵌套（(x)）〕】",
                 "全角）在前" + "字" * 50):
        assert bracket_depths(text) == _walk_depths(text), text


def _sentences(texts: list[str]) -> list[Sentence]:
    out, at = [], 0
    for text in texts:
        out.append(Sentence(start=at, end=at + len(text), text=text, section="problems"))
        at += len(text) + 1
    return out


def test_section_five_is_classed_once_per_report_for_the_same_cues(monkeypatch):
    from auditor.checks import metric
    from auditor.rules.data import load_data

    texts = ["存在的问题是信息公开的及时性还不够高，部分栏目更新较慢。",
             "下一步将于2024年6月前完成目录梳理，由办公室负责落实。"]
    doc = Document(path="hand.txt", format="txt", encoding="utf-8", meta=Meta(title=None, agency=None, year=None, template=None, period=None),
                   text="\n".join(texts), sections=(), tables={})
    ctx = CheckContext(doc=doc)
    calls = []
    real = metric.classify
    monkeypatch.setattr(metric, "classify", lambda *a, **k: calls.append(1) or real(*a, **k))
    params = load_data("specificity")
    first = metric._classified(ctx, _sentences(texts), params)
    first.clear()  # a caller's list is its own: the memo is not emptied with it
    again = metric._classified(ctx, _sentences(texts), dict(params))
    assert len(calls) == 1
    assert again == real(_sentences(texts), params, ctx.words) and len(again) == 2
    # Other cues class the sentences again, and may class them otherwise.
    other = {**params, "problem_cues": ["目录"]}
    assert [s.role for s in metric._classified(ctx, _sentences(texts), other)] == \
        [s.role for s in real(_sentences(texts), other, ctx.words)]
    assert len(calls) == 2
    # Another report (another context) is classed for itself.
    metric._classified(CheckContext(doc=doc), _sentences(texts), params)
    assert len(calls) == 3


def test_a_batch_warms_the_boilerplate_classifier_before_forking_even_with_a_corpus():
    """The score's concreteness of 五 runs the classifier with corpus checks too: loading it in
    each check worker instead costs seconds per worker."""
    from auditor.batch.tasks import warm_up
    from auditor.rules.loader import load_rules
    from auditor.similarity import classifier

    classifier._load.cache_clear()
    warm_up(load_rules(), classifier=False, pages=False)
    assert classifier._load.cache_info().currsize == 1


def _walk_runs(origins: list[int]) -> tuple:
    """SourceMap.build's runs as they were found: a walk over every character."""
    UNKNOWN = -1
    starts, firsts, steps = [], [], []
    for i, origin in enumerate(origins):
        if starts:
            count, first, step = i - starts[-1], firsts[-1], steps[-1]
            if first == UNKNOWN:
                if origin == UNKNOWN:
                    continue
            elif origin != UNKNOWN:
                if count == 1 and origin - first in (0, 1):
                    steps[-1] = origin - first
                    continue
                if count > 1 and origin == first + step * count:
                    continue
        starts.append(i)
        firsts.append(origin)
        steps.append(0)
    return tuple(starts), tuple(firsts), tuple(steps)


def test_source_map_runs_are_the_ones_a_walk_finds():
    import random

    from auditor.sourcemap import SourceMap

    rng = random.Random(7)
    cases = [[5], [-1, 3], [3, -1], [0, 0, 0, 1, 2, 3, 3, 3], [1, 2, 2, 3, 4], [0, 2, 4, 6], [-1, -1, 0, 1, -1, -1],
             [7, 7, 8, 9, 9, 9, 10], [0, 1, 2, -1, 3, 4, 4]]
    for _ in range(300):  # copied stretches, repeated origins, made-up characters, jumps back
        out, at = [], rng.randint(0, 5)
        for _ in range(rng.randint(1, 12)):
            kind = rng.random()
            length = rng.randint(1, 6)
            if kind < 0.4:
                out += range(at, at + length)
                at += length
            elif kind < 0.6:
                out += [at] * length
            elif kind < 0.8:
                out += [-1] * length
            else:
                at = max(0, at + rng.randint(-8, 8))
                out.append(at)
        cases.append(out)
    for origins in cases:
        built = SourceMap.build("text", origins)
        if all(o == -1 for o in origins):
            assert built is None
            continue
        assert (built.starts, built.origins, built.steps) == _walk_runs(origins), origins
        assert all(type(x) is int for x in built.starts + built.origins + built.steps)
        assert [built.origin(k) for k in range(len(origins))] == origins
    assert SourceMap.build("text", [-1, -1]) is None and SourceMap.build("text", []) is None


def test_free_prose_chars_counts_what_stock_flags_leaves():
    from auditor.similarity.passages import free_prose_chars, mask_numbers, stock_flags
    from auditor.similarity.template import WORD_CHAR as _WORD_CHAR

    for text in ("", "未收到行政复议申请。", "本机关主动公开政府信息120条，其中机构职能类信息30条，占25%；规范性文件5件。",
                 "依申请公开办理结果：予以公开12件，部分公开3件，不予公开0件；我们深入推进政务公开标准化规范化建设。",
                 "Open Data 平台上线，发布数据集12个，接口3项", "，，；；。。", "收到申请" * 20 + "未收到行政诉讼"):
        masked = mask_numbers(text)
        flags = stock_flags(masked)
        walk = sum(1 for ch, stock in zip(masked, flags) if not stock and _WORD_CHAR.match(ch))
        assert free_prose_chars(masked) == walk, text


def test_a_check_task_takes_both_reports_sentences_from_the_parse_cache(tmp_path, monkeypatch):
    """The previous-year report's sentence boundaries come from its parse too, not a new split.
    Shown by caching boundaries no split would give (one sentence per report)."""
    import hashlib

    from auditor.batch import tasks
    from auditor.batch.cache import ParseCache
    from auditor.nlp.sentences import split_document
    from auditor.similarity.index import index_entry
    from auditor.structure import parse_file

    cache = ParseCache(tmp_path / "cache")
    sources = {}
    for name, year in (("a.txt", 2022), ("b.txt", 2023)):
        path = tmp_path / name
        path.write_text(f"某县人民政府{year}年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息12条。全面推进政务公开。\n",
                        encoding="utf-8")
        doc = parse_file(str(path))
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        assert cache.put(doc.path, sha, doc, [(0, len(doc.text), None)], index_entry(doc))
        sources[name] = tasks.Cached(doc.path, sha, str(path))
    seen = {}

    def check(context, item):
        _, _, doc, previous, _ = item
        seen["previous"] = split_document(previous)  # the report's own: check_task remembers them
        return tasks.CheckOutcome(item[0], item[1])

    monkeypatch.setattr(tasks, "check_task", check)
    context = tasks.BatchContext(rules=[], cache=(str(cache.directory), cache.key))
    tasks.recheck_task(context, (str(tmp_path / "b.txt"), 1, sources["b.txt"], sources["a.txt"], None))
    assert [(s.start, s.section) for s in seen["previous"]] == [(0, None)]


def test_the_columns_of_index_rows_are_those_of_their_weighted_vectors():
    """A query's own n-grams are read as columns alone (shard_own_ngrams), not weighed first."""
    import numpy as np

    from auditor.similarity.vectors import WordingVectors

    rng = np.random.default_rng(3)
    lengths = rng.integers(0, 6, size=30)  # empty rows too
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    cols = np.concatenate([np.sort(rng.choice(50, size=n, replace=False)) for n in lengths]).astype(np.int32)
    tf = rng.integers(1, 4, size=len(cols)).astype(np.uint8)
    vectors = WordingVectors.from_counts(indptr, cols, tf, rng.random(50).astype(np.float32), 50)
    for rows in ([], [0], [3, 3, 1], list(range(30)), list(rng.integers(0, 30, size=40))):
        rows = np.asarray(rows, dtype=np.int64)
        assert np.array_equal(vectors.columns(rows), vectors.rows(rows).indices)


def test_traced_sub_takes_a_plain_replacement_as_it_is_and_expands_a_template():
    import re

    from auditor.traced import Traced

    text = "a  b\u3000\u3000c \\1 d"
    traced = Traced(text, list(range(len(text))))
    for pattern, repl in ((r"\s+", " "), (r"\s+", ""), (r"(b)", r"[\1]"), (r"(b)", "\\g<1>\\g<1>"), (r"c", "\\\\"),
                          (r"\s", "x")):
        out = traced.sub(re.compile(pattern), repl)
        assert out.text == re.sub(pattern, repl, text), (pattern, repl)
        assert len(out.pos) == len(out.text)


def test_words_of_a_sentence_are_the_pipelines_tokens_wherever_the_sentence_sits():
    """CheckContext.words remembers a sentence's words by its text across reports: the same text
    at another offset gets its own offsets, and the tokens are those of the whole pipeline run
    with its components disabled (as the check did before)."""
    from auditor.nlp.pipeline import get_nlp

    texts = ["改进措施如下：", "一是加强 学习培训。", "改进措施如下："]
    doc = Document(path="hand.txt", format="txt", encoding="utf-8",
                   meta=Meta(title=None, agency=None, year=None, template=None, period=None),
                   text="\n".join(texts), sections=(), tables={})
    sentences = _sentences(texts)
    nlp = get_nlp()
    for ctx in (CheckContext(doc=doc), CheckContext(doc=doc)):  # the second reads what the first kept
        for s in sentences:
            with nlp.select_pipes(disable=nlp.pipe_names):
                expected = [(s.start + t.idx, s.start + t.idx + len(t.text), t.text) for t in nlp(s.text) if not t.is_space]
            assert ctx.words(s) == expected, s.text
            assert all(doc.text[a:b] == word for a, b, word in ctx.words(s))
    assert ctx.words(sentences[0]) != ctx.words(sentences[2])  # same words, other offsets


def test_a_report_read_again_from_the_parse_cache_is_the_same_document(tmp_path, monkeypatch):
    """resolve() keeps the last few documents it read: the previous-year report of the next
    report is the one just checked, read once (and its claims found again, below)."""
    from pathlib import Path

    from auditor.batch import tasks
    from auditor.batch.cache import ParseCache
    from auditor.batch.tasks import BatchContext, Cached, resolve
    from auditor.similarity.index import index_entry
    from auditor.structure import parse_file

    monkeypatch.setattr(tasks, "_RECENT", type(tasks._RECENT)())
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    cache = ParseCache(tmp_path / "cache", key="k")
    names = ["qingxi-county-2023.txt", "qingxi-county-2024.html", "baisha-town-2022.txt", "qingxi-natres-2022.md",
             "yunling-eco-2020.txt", "yunling-eco-2024.html"]
    for name in names:
        doc = parse_file(str(corpus / name))
        cache.put(name, "sha", doc, [], index_entry(doc))
    context = BatchContext(rules=[], cache=(str(tmp_path / "cache"), "k"))
    first, _ = resolve(context, Cached(names[0], "sha", str(corpus / names[0])))
    assert resolve(context, Cached(names[0], "sha", str(corpus / names[0])))[0] is first
    for name in names[1:]:  # more than RECENT_KEPT others: the first is read again, equal
        resolve(context, Cached(name, "sha", str(corpus / name)))
    again, _ = resolve(context, Cached(names[0], "sha", str(corpus / names[0])))
    assert again is not first and again == first
    assert len(tasks._RECENT) <= tasks.RECENT_KEPT


def test_claims_kept_for_a_document_are_read_again_under_another_lexicon(tmp_path):
    from pathlib import Path

    import yaml

    from auditor import resources
    from auditor.checks import _extracted
    from auditor.nlp.claims import extract
    from auditor.nlp.sentences import split_document
    from auditor.structure import parse_file

    root = Path(__file__).resolve().parents[1]
    doc = parse_file(str(root / "corpus" / "qingxi-county-2023.txt"))
    shipped = _extracted(doc)
    assert _extracted(doc) is shipped and shipped == extract(doc, split_document(doc))
    concepts = yaml.safe_load((root / "rules" / "concepts.yaml").read_text(encoding="utf-8"))
    concepts["fill"] = concepts["fill"] + "|恰好"
    (tmp_path / "concepts.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), encoding="utf-8")
    resources.use(rules_dir=tmp_path)
    try:
        assert _extracted(doc) is not shipped
    finally:
        resources.use()
    assert _extracted(doc) == shipped


def test_the_index_built_during_the_parse_adds_reports_in_discovery_order():
    """run._InOrder: a report is added once it and every report before it are parsed (or
    failed), so the index is the one built afterwards in discovery order, whatever order the
    workers finished in."""
    from auditor.batch.run import _InOrder

    parsed, errors, added = {"a0"}, {}, []
    building = _InOrder(["a0", "b1", "c2", "d3", "e4"], parsed, errors, lambda path: f"entry of {path}")
    building.builder = type("Collect", (), {"add": staticmethod(added.append)})()
    building.advance()
    assert added == ["entry of a0"]
    parsed.add("c2")  # finished before b1: waits for it
    building.advance()
    assert added == ["entry of a0"]
    parsed.add("b1")
    errors["d3"] = "unreadable"  # a failed report is skipped, not waited for
    building.advance()
    assert added == ["entry of a0", "entry of b1", "entry of c2"]
    parsed.add("e4")
    building.advance()
    building.advance()  # nothing left: adds nothing twice
    assert added == ["entry of a0", "entry of b1", "entry of c2", "entry of e4"]
