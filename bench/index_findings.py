"""Dump what the corpus index finds, to compare two versions of it (findings must not change).

For the real reports of ../shared (auto mode, and candidate search forced) and for N generated
reports (bench/reuse_scale.py's generator, candidate search): every report queried against the
index of all, its copy matches and reuse ratios written as JSON lines. Run it on two checkouts
and `cmp` the outputs.

    python bench/index_findings.py OUT.jsonl [--generated 2000] [--shared PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuse_pan import load_corpus  # noqa: E402
from reuse_scale import synthetic_corpus  # noqa: E402

from auditor.similarity.index import CorpusIndex  # noqa: E402


def dump(out, label: str, docs, exact) -> None:
    index = CorpusIndex.build(docs, exact=exact)
    for d in docs:
        matches = index.query(d)
        ratios = index.reuse_ratios(d, matches)
        out.write(json.dumps({"set": label, "path": d.path, "matches": [m.to_json() for m in matches],
                              "ratios": ratios, "previous": index.previous_reports(d)},
                             ensure_ascii=False, sort_keys=True) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--generated", type=int, default=2000)
    args = parser.parse_args()
    real = load_corpus(args.shared)
    with open(args.out, "w", encoding="utf-8") as out:
        dump(out, "real-auto", real, None)
        dump(out, "real-candidates", real, False)
        if args.generated:
            dump(out, "generated", synthetic_corpus(real, args.generated, 3), False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
