"""How the check stage of a batch grows with the corpus: CPU per report of checking reports (corpus
checks and pages included) against an index of the first N reports of one generated corpus, in one
process, for each N — and how much of it is the corpus query.

The corpus is one that bench/batch_scale.py generated and kept (`--keep DIR`: DIR/n20000, or
DIR/all). Parsed reports come from a parse cache of this code's parser key; reports missing from it
are parsed first (with --workers processes) and stored, so a second run reads them back. Each size
indexes the first N reports, warms up on 20 of its reports and then times `--check` more, drawn
at random (the same seed at every size): the memos of the index (alignments, keys, pair cosines)
warm as they do in a batch worker, which checks its share of the corpus one report after another.

    python bench/check_growth.py --corpus DIR/n20000 [--sizes 2000,20000] [--check 1500] [--workers 2]

Issue 14's question: the batch with corpus checks reads 2,000 reports faster per report than 20,000
(bench/batch_scale.py); this says which part of the check grows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.batch.cache import ParseCache, parser_key  # noqa: E402
from auditor.batch.run import _last_year, file_sha256  # noqa: E402
from auditor.batch.tasks import BatchContext, Cached, _parse, recheck_task, warm_up  # noqa: E402
from auditor.filenames import shown  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.similarity.discover import discover_reports  # noqa: E402
from auditor.similarity.index import CorpusIndex, IndexBuilder  # noqa: E402

WARM_UP = 20


def _fill(job: tuple[str, str, str, str]) -> bool:
    """Parse one report into the cache (a worker process)."""
    from auditor.nlp.sentences import split_document
    from auditor.similarity.index import index_entry

    path, sha, directory, key = job
    doc = _parse(path, None)
    sentences = [(s.start, s.end, s.section) for s in split_document(doc)]
    return ParseCache(directory, key).put(doc.path, sha, doc, sentences, index_entry(doc))


def fill_cache(cache: ParseCache, paths: list[str], sha: dict[str, str], workers: int) -> None:
    missing = [p for p in paths if not cache.has(shown(p), sha[p])]
    if not missing:
        return
    t = time.perf_counter()
    jobs = [(p, sha[p], str(cache.directory), cache.key) for p in missing]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        stored = sum(pool.imap_unordered(_fill, jobs, chunksize=16))
    print(f"parsed {len(missing)} reports into the cache in {time.perf_counter() - t:.0f} s ({stored} stored)",
          flush=True)


class QueryClock:
    """CPU time spent in CorpusIndex.query, summed while it is installed."""

    def __init__(self):
        self.seconds = 0.0
        self._query = CorpusIndex.query

    def __enter__(self):
        clock, query = self, self._query

        def timed(index, *args, **kwargs):
            start = time.process_time()
            try:
                return query(index, *args, **kwargs)
            finally:
                clock.seconds += time.process_time() - start

        CorpusIndex.query = timed
        return self

    def __exit__(self, *exc):
        CorpusIndex.query = self._query


def measure(paths: list[str], sha: dict[str, str], cache: ParseCache, rules, check: int, seed: int) -> dict:
    t = time.perf_counter()
    builder = IndexBuilder()
    for p in paths:
        builder.add(cache.entry(shown(p), sha[p]))
    index = builder.finish()
    build = time.perf_counter() - t
    records = {r.path: r for r in index.reports}
    ctx = BatchContext(rules=rules, corpus=index, pages=True, page_options={},
                       cache=(str(cache.directory), cache.key))
    by_name = {shown(p): p for p in paths}
    sample = random.Random(seed).sample(sorted(by_name), min(check + WARM_UP, len(by_name)))
    items = []
    for name in sample:
        last = _last_year(name, index, records)
        items.append((by_name[name], 0, Cached(name, sha[by_name[name]], by_name[name]),
                      Cached(last, sha[by_name[last]], by_name[last]) if last else None, None))
    for item in items[:WARM_UP]:
        recheck_task(ctx, item)
    timed = items[WARM_UP:]
    with QueryClock() as clock:
        start = time.process_time()
        for item in timed:
            recheck_task(ctx, item)
        cpu = time.process_time() - start
    return {"reports": len(paths), "build": build, "checked": len(timed),
            "check_ms": cpu / len(timed) * 1000, "query_ms": clock.seconds / len(timed) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="a corpus bench/batch_scale.py generated and kept")
    parser.add_argument("--cache", help="parse cache directory (default: beside the corpus)")
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--check", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    found = discover_reports(args.corpus)
    if len(found) < sizes[-1]:
        print(f"{args.corpus}: {len(found)} reports, fewer than {sizes[-1]}", file=sys.stderr)
        return 2
    paths = found[:sizes[-1]]
    sha = {p: file_sha256(p) for p in paths}
    cache = ParseCache(args.cache or Path(args.corpus).parent / "check-growth-cache", parser_key())
    fill_cache(cache, paths, sha, args.workers)
    rules = load_rules(None)
    warm_up(rules, classifier=False, pages=True)
    print(f"{'reports':>7} {'index s':>7} {'checked':>7} {'check ms/report':>15} {'of it query ms':>14}")
    rows = []
    for size in sizes:
        row = measure(paths[:size], sha, cache, rules, args.check, args.seed)
        rows.append(row)
        print(f"{row['reports']:>7} {row['build']:>7.1f} {row['checked']:>7} {row['check_ms']:>15.2f} "
              f"{row['query_ms']:>14.2f}", flush=True)
    first, last = rows[0], rows[-1]
    print(f"growth {first['reports']} → {last['reports']}: check ×{last['check_ms'] / first['check_ms']:.2f} "
          f"({last['check_ms'] - first['check_ms']:+.1f} ms), of which the query "
          f"{last['query_ms'] - first['query_ms']:+.1f} ms (CPU of one process; one run — the machine is noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
