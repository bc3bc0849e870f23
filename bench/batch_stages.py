"""CPU per report of each stage of a batch with corpus checks, in one process, with a profile.

The batch's own tasks (auditor.batch.tasks) run here in turn on N generated reports (the
generator of bench/batch_scale.py): parse_task writing each report to a parse cache, the corpus
index built from the cached entries, then recheck_task for every report (its Document and its
previous-year report read from the cache by reference, as a local worker does). Each stage's
CPU time (time.process_time) per report is printed, the check stage split by a cProfile of it
into: reading the cache, the corpus query (candidates, spans, alignment), the narrative claims,
the other rule kinds, the score, the HTML page, the query plan; and the size and time of
pickling what goes between the parent and a worker (the check item and the outcome).

    python bench/batch_stages.py [--reports 500] [--keep DIR] [--profile OUT.prof] [--top 30]
                                 [--check-only K] [--parse-cache DIR [--parse-cache-key KEY]] [--files DIR]

How the check grows with the corpus: `--check-only K` checks K consecutive reports from the middle
of the corpus (the index still holds all N), so the check stage of 2,000 and of 20,000 reports is
profiled on the same number of queries. `--parse-cache DIR` keeps the parse stage's cache in DIR
and reuses what is there (under a fixed key, not the code's: valid only while the parsing code
and data lists are unchanged, which is the caller's to know), so a second profile of the check
stage at 20,000 reports does not parse them all again; the parse figures are then of the
reports parsed in this run only. A batch's own cache (OUT/cache of `auditor batch DIR`) is read
with `--files DIR` (the same paths, so the same names) and `--parse-cache-key` the key of the
code that wrote it (auditor.batch.cache.parser_key() there).

Ratios within one run are what to compare (the cores are shared). The generated reports are
kept in --keep DIR (reused when present), so two versions of the code profile the same files.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch_scale import generate  # noqa: E402

from auditor.batch.cache import ParseCache  # noqa: E402
from auditor.batch.run import _last_year, file_sha256  # noqa: E402
from auditor.batch.tasks import BatchContext, Cached, ParseItem, parse_task, recheck_task, warm_up  # noqa: E402
from auditor.filenames import shown  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.similarity.index import CorpusIndex  # noqa: E402

# Parts of the check stage: cumulative time of these functions in the profile (file suffix,
# function name). They nest as the code does (the query inside the similarity rule), so the
# rule kinds are reported without the query's share.
PARTS = (
    ("cache read", "batch/cache.py", "document"),
    ("corpus query", "similarity/index.py", "query"),
    ("  candidates", "similarity/index.py", "_best_pairs"),
    ("  spans", "similarity/index.py", "_spans_of"),
    ("  alignment", "similarity/index.py", "_align"),
    ("reuse ratios", "similarity/index.py", "reuse_ratios"),
    ("claims extract", "nlp/claims/__init__.py", "extract"),
    ("sentences", "nlp/sentences.py", "split_document"),
    ("score", "checks/score.py", "score_report"),
    ("html page", "report/html.py", "render"),
    ("query plan", "batch/tasks.py", "corpus_plan"),
    ("baseline", "auditor/baseline.py", "apply_baseline_to_results"),
)
KINDS = ("identity", "claim", "section", "phrase", "pattern", "metric", "similarity", "topics")


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    return sum(v[3] for (path, _, func), v in stats.stats.items()
               if func == name and path.endswith(suffix))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", help="generate into (and reuse) this directory")
    parser.add_argument("--profile", help="write the check stage's cProfile here")
    parser.add_argument("--top", type=int, default=0, help="print the check stage's N costliest functions")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--check-only", type=int, metavar="K",
                        help="check only K consecutive reports from the middle of the corpus")
    parser.add_argument("--parse-cache", metavar="DIR",
                        help="keep the parse cache in DIR and reuse its entries (fixed key: see above)")
    parser.add_argument("--parse-cache-key", default="bench-stages",
                        help="the key of the entries in --parse-cache (default: this script's own)")
    parser.add_argument("--files", metavar="DIR", help="the reports of DIR (sorted) instead of generated ones")
    parser.add_argument("--dump", help="write every check outcome (findings, score, quotes, page, plan) here as "
                                       "JSON lines, to compare two versions of the code with cmp")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="auditor-stages-"))
    files = sorted((work / "reports").glob("*")) if (work / "reports").is_dir() else []
    if args.files:
        files = sorted(Path(args.files).glob("*"))
    elif len(files) < args.reports:
        shutil.rmtree(work / "reports", ignore_errors=True)
        files = generate(Path(args.shared), work / "reports", args.reports, args.seed)
    files = [str(f) for f in files[:args.reports]]
    if args.parse_cache:
        cache_dir = Path(args.parse_cache)
        cache_dir.mkdir(parents=True, exist_ok=True)
    else:
        cache_dir = Path(tempfile.mkdtemp(prefix="auditor-stages-cache-"))
    try:
        rules = load_rules()
        warm_up(rules, classifier=False, pages=not args.no_pages)
        cache = ParseCache(cache_dir, args.parse_cache_key if args.parse_cache else None)
        names = [shown(f) for f in files]
        real = dict(zip(names, files))
        sha = {n: file_sha256(real[n]) for n in names}
        n = len(files)

        # 1. parse (a worker's parse_task, writing to the cache)
        parse_context = BatchContext(rules=[], index_entries=True, cache=(str(cache_dir), cache.key))
        t0 = time.process_time()
        parse_profile = cProfile.Profile()
        parse_profile.enable()
        to_parse = [name for name in names if not (args.parse_cache and cache.has(name, sha[name]))]
        outcomes = [parse_task(parse_context, ParseItem(real[name], None, sha[name])) for name in to_parse]
        parse_profile.disable()
        parse_cpu = time.process_time() - t0
        assert all(o.cached for o in outcomes), [o.error for o in outcomes if not o.cached][:3]
        outcome_bytes = sum(len(pickle.dumps(o)) for o in outcomes)
        parsed = max(1, len(to_parse))

        # 2. the index (the parent, from the cached entries)
        t0 = time.process_time()
        index = CorpusIndex.from_entries(cache.entry(name, sha[name]) for name in names)
        index_cpu = time.process_time() - t0

        # 3. check (a worker's recheck_task, by reference)
        context = BatchContext(rules=rules, corpus=index, pages=not args.no_pages,
                               cache=(str(cache_dir), cache.key))
        records = {r.path: r for r in index.reports}
        items = []
        checked = range(n)
        if args.check_only and args.check_only < n:
            start = (n - args.check_only) // 2
            checked = range(start, start + args.check_only)
        for k in checked:
            name = names[k]
            last = _last_year(name, index, records)
            items.append((real[name], k + 1, Cached(name, sha[name], real[name]),
                          Cached(last, sha[last], real[last]) if last else None, None))
        checks = len(items)
        t0 = time.perf_counter()
        item_bytes = sum(len(pickle.dumps(item)) for item in items)
        profile = cProfile.Profile()
        t0 = time.process_time()
        profile.enable()
        results = [recheck_task(context, item) for item in items]
        profile.disable()
        check_cpu = time.process_time() - t0
        errors = [r.error for r in results if r.error]
        t0 = time.process_time()
        result_bytes = sum(len(pickle.dumps(r)) for r in results)
        for r in results:
            pickle.loads(pickle.dumps(r))
        pickle_cpu = time.process_time() - t0

        print(f"{n} reports, {len(to_parse)} parsed here, {checks} checked ({len(errors)} check errors), "
              f"load average {os.getloadavg()[0]:.1f}; CPU ms per report:")
        print(f"  parse  {1000 * parse_cpu / parsed:7.1f}   (outcome to the parent {outcome_bytes / parsed:.0f} B)")
        print(f"  index  {1000 * index_cpu / n:7.1f}")
        print(f"  check  {1000 * check_cpu / checks:7.1f}   (item {item_bytes / checks:.0f} B, outcome "
              f"{result_bytes / checks / 1024:.1f} KB; pickling the outcome there and back {1000 * pickle_cpu / checks:.2f})")
        # The profiler's own overhead inflates the parts: scale them to the measured CPU.
        stats = pstats.Stats(profile)
        scale = check_cpu / stats.total_tt
        for label, suffix, name in PARTS:
            print(f"    {label:<16} {1000 * scale * cumulative(stats, suffix, name) / checks:7.1f}")
        query = cumulative(stats, "similarity/index.py", "query")
        for kind in KINDS:
            own = cumulative(stats, f"checks/{kind}.py", "run")
            if kind == "similarity":
                own -= query
            print(f"    rules: {kind:<8} {1000 * scale * own / checks:7.1f}")
        pstats_parse = pstats.Stats(parse_profile)
        pscale = parse_cpu / max(pstats_parse.total_tt, 1e-9)
        print("  parse parts:")
        for label, suffix, name in (("read+structure", "structure/__init__.py", "parse_file"),
                                    ("index entry", "similarity/index.py", "index_entry"),
                                    ("sentences", "nlp/sentences.py", "split_document"),
                                    ("cache write", "batch/cache.py", "put")):
            print(f"    {label:<16} {1000 * pscale * cumulative(pstats_parse, suffix, name) / parsed:7.1f}")
        if args.dump:
            import hashlib
            import json

            with open(args.dump, "w", encoding="utf-8") as out:
                for r in results:
                    out.write(json.dumps({"path": r.path, "error": r.error, "score": r.score, "quotes": r.quotes,
                                          "findings": [f.to_json() for f in r.findings], "plan": r.plan,
                                          "page": hashlib.sha256((r.html or "").encode()).hexdigest()},
                                         ensure_ascii=False, sort_keys=True, default=str) + "\n")
        if args.profile:
            profile.dump_stats(args.profile)
            parse_profile.dump_stats(args.profile + ".parse")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)
    finally:
        if not args.parse_cache:
            shutil.rmtree(cache_dir, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
