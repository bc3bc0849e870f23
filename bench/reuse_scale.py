"""Scale of the corpus index: build time, query time, memory, and the recall of candidate
generation against exact search, on synthetic corpora of 250, 500 and 1,000+ reports.

Synthetic reports are made from the real ones (../shared/corpus and corpus/): a report's
section structure and sentences, shuffled inside each section, about a third of the sentences
swapped for sentences of other reports, a third rewritten beyond recognition (70% of their
characters changed: no longer a copy), numbers changed, and the body's name replaced by an invented one. Bodies
publish one to three years, so same-body search is exercised too. Such a corpus is far more
redundant than a real one — every real sentence survives in dozens of synthetic reports — which
is the hard case for candidate generation (long posting lists).

Figures (wall time and memory on this machine; one run, the machine is shared and noisy):
- build: CorpusIndex.build over parsed Documents (parsing is not part of it; the passage analysis
  is), a streaming pass; the memory is the tracemalloc peak during the build (Python objects and
  numpy arrays), per report too, and what the index keeps;
- query: CorpusIndex.query for --queries reports of the corpus (each excluded as its own source),
  median and p95 milliseconds;
- recall: characters reported by exact search (every relation) that the candidate path also
  reports with the same relation, over the same query reports (exact search: the same index
  with `exact` set, so no second build).

Measured (issue 14, this machine shared with other jobs at load 6–14 on 2 cores, so the times
are several times what an idle machine gives; one run each):

| reports | build ms/report | peak KB/report | kept MB | query median / p95 ms | recall vs exact |
|---|---|---|---|---|---|
| 2,000 (before: main) | 6.7 | 98.0 | 110 | 55.6 / 248 | 0.969 |
| 2,000 | 6.6 | 66.4 | 110 | 164 / 707 (load 14) | 0.993 |
| 8,000 (recall only, /tmp diagnostic) | | | | | 0.987 (before: 0.911) |
| 32,000 (1,336,126 passages, 30 queries) | 30.7 (load 14; 983 s wall) | 38.8 | 1,124 | 101 / 279 | 0.986 |

(2,000 row measured before passages' masked texts became one string per report; 32,000 after.
`python bench/reuse_scale.py --sizes 32000 --queries 30`.)

    python bench/reuse_scale.py [--shared PATH] [--sizes 250,500,1000] [--queries 100]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuse_pan import load_corpus  # noqa: E402

from auditor.model import Document, SourceText, TextBlock  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.similarity.index import CorpusIndex  # noqa: E402
from auditor.structure import build_document  # noqa: E402

PLACES = "青云岭溪白沙石桥东西南北安宁平和永兴长乐新华金山玉泉临江丰源"
LEVELS = ("县", "区", "市", "镇")
DEPARTMENTS = ("人民政府", "自然资源局", "生态环境局", "卫生健康局", "教育局", "财政局", "民政局")
TITLES = {"overview": "一、总体情况", "active": "二、主动公开政府信息情况",
          "applications": "三、收到和处理政府信息公开申请情况", "appeals": "四、政府信息公开行政复议、行政诉讼情况",
          "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}


def sentence_pool(docs: list[Document]) -> tuple[dict[int, dict[str, list[str]]], dict[str, list[str]]]:
    """Sentences of every report by section, and of all reports by section."""
    per_doc: dict[int, dict[str, list[str]]] = {}
    by_section: dict[str, list[str]] = defaultdict(list)
    for k, d in enumerate(docs):
        sections: dict[str, list[str]] = defaultdict(list)
        titles = {s.title for s in d.sections}
        for s in split_document(d):
            if s.section and s.text not in titles and len(s.text) >= 8:
                sections[s.section].append(s.text.replace("\n", ""))
                by_section[s.section].append(s.text.replace("\n", ""))
        if sections:
            per_doc[k] = sections
    return per_doc, by_section


def rewrite(text: str, rng: random.Random, pool: str, share: float) -> str:
    chars = list(text)
    for i in rng.sample(range(len(chars)), int(len(chars) * share)):
        if "\u4e00" <= chars[i] <= "\u9fff":
            chars[i] = rng.choice(pool)
    return "".join(chars)


def synthetic_corpus(docs: list[Document], n: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    per_doc, by_section = sentence_pool(docs)
    # Whole reports only as the skeleton (the partial ones are page beginnings).
    bases = [k for k in sorted(per_doc) if sum(len(v) for v in per_doc[k].values()) >= 25]
    pool = "".join(sorted({ch for d in docs for ch in d.text if "\u4e00" <= ch <= "\u9fff"}))
    agencies = {d.meta.agency for d in docs if d.meta.agency}
    name_re = re.compile("|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True)))
    out: list[Document] = []
    body = 0
    while len(out) < n:
        body += 1
        place = "".join(rng.sample(PLACES, 2)) + rng.choice(LEVELS)
        agency = place + rng.choice(DEPARTMENTS)
        base = rng.choice(bases)
        first_year = rng.randint(2018, 2023)
        for year in range(first_year, first_year + rng.randint(1, 3)):
            if len(out) >= n:
                break
            lines = [f"{agency}{year}年政府信息公开工作年度报告",
                     f"本报告由{agency}根据《中华人民共和国政府信息公开条例》编制。",
                     f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"]
            for key, title in TITLES.items():
                lines.append(title)
                sentences = list(per_doc[base].get(key, []))
                rng.shuffle(sentences)
                kept = []
                for s in sentences:
                    roll = rng.random()
                    if roll < 0.33 and by_section[key]:
                        s = rng.choice(by_section[key])  # another report's sentence
                    elif roll < 0.66:
                        s = rewrite(s, rng, pool, 0.7)  # rewritten beyond recognition
                    s = re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), s)
                    kept.append(name_re.sub(agency, s))
                for k in range(0, len(kept), 3):  # paragraphs of three sentences
                    lines.append("".join(kept[k:k + 3]))
            text = "\n".join(lines) + "\n"
            source = SourceText(path=f"synthetic/{len(out):04d}.txt", format="txt", encoding="utf-8",
                                blocks=(TextBlock(text),))
            out.append(build_document(source))
    return out


def coverage(matches) -> dict[str, set[int]]:
    chars: dict[str, set[int]] = defaultdict(set)
    for m in matches:
        chars[m.relation].update(range(m.start, m.end))
    return chars


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--sizes", default="250,500,1000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    real = load_corpus(args.shared)
    t0 = time.perf_counter()
    corpus = synthetic_corpus(real, max(sizes), args.seed)
    print(f"{len(corpus)} synthetic reports from {len(real)} real ones, "
          f"{sum(len(d.text) for d in corpus) / len(corpus):.0f} characters each on average "
          f"(generated and parsed in {time.perf_counter() - t0:.1f} s)")
    print(f"{'reports':>7} {'passages':>8} {'wordings':>8} {'build s':>8} {'ms/rep':>6} {'peak MB':>8} "
          f"{'KB/rep':>6} {'kept MB':>8} {'query ms median':>15} {'p95':>6} {'exact ms median':>15} "
          f"{'recall vs exact':>15}", flush=True)
    for size in sizes:
        docs = corpus[:size]
        gc.collect()
        t0 = time.perf_counter()
        index = CorpusIndex.build(docs, exact=False)
        build_s = time.perf_counter() - t0
        del index
        gc.collect()
        tracemalloc.start()
        index = CorpusIndex.build(docs, exact=False)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        def exact_query(d):
            """The same index searched exactly (the reference): no second build."""
            index.exact = True
            try:
                return index.query(d)
            finally:
                index.exact = False

        rng = random.Random(size)
        queries = rng.sample(docs, min(args.queries, len(docs)))
        for d in queries[:5]:  # warm-up
            index.query(d)
        fast_ms, exact_ms = [], []
        found = total = 0
        for d in queries:
            t = time.perf_counter()
            fast = index.query(d)
            fast_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ref = exact_query(d)
            exact_ms.append((time.perf_counter() - t) * 1000)
            got = coverage(fast)
            for relation, chars in coverage(ref).items():
                total += len(chars)
                found += len(chars & got.get(relation, set()))
        fast_ms.sort()
        print(f"{size:>7} {index.passage_count:>8} {index.vectors.shape[0]:>8} {build_s:>8.2f} "
              f"{build_s * 1000 / size:>6.2f} {peak / 2**20:>8.1f} {peak / 1024 / size:>6.1f} {kept / 2**20:>8.1f} "
              f"{statistics.median(fast_ms):>15.1f} {fast_ms[int(len(fast_ms) * 0.95)]:>6.1f} "
              f"{statistics.median(exact_ms):>15.1f} {found / max(1, total):>15.4f}", flush=True)
        del index
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
