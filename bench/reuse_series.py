"""Year-over-year reuse in the 平潭综合实验区 series (2017–2025, 2021 missing from the corpus).

Every report of the series is indexed; each one is compared with the same body's immediately
previous report available (CorpusIndex.reuse_ratios, "previous_year"): the share of each
section's narrative characters (template text removed) inside spans of ≥ 30 characters copied
from that report, and the overall share over all sections. "all years" is the share copied from
any earlier or later report of the series.

    python bench/reuse_series.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.similarity.index import CorpusIndex  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

SERIES = ("100", "039", "012", "013", "015", "009", "010", "011")  # 2017, 2018, 2019, 2020, 2022–2025
SECTIONS = ("overview", "active", "applications", "appeals", "problems", "other")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    docs = [parse_file(str(Path(args.shared) / "corpus" / "real" / "full" / f"{n}.txt")) for n in SERIES]
    docs.sort(key=lambda d: d.meta.year or 0)
    index = CorpusIndex.build(docs)
    print(f"{'report':<10} {'vs':<6} " + " ".join(f"{s:>12}" for s in SECTIONS)
          + f" {'overall':>8} {'all years':>9}")
    for doc in docs:
        matches = index.query(doc)
        ratios = index.reuse_ratios(doc, matches)
        previous = index.previous_reports(doc)
        prev_year = next((d.meta.year for d in docs if d.path in previous), None)
        cells = []
        for key in SECTIONS:
            r = ratios.get(key)
            cells.append(f"{r['previous_year']:>6.0%} {r['chars']:>5}" if r else f"{'—':>12}")
        chars = sum(r["chars"] for r in ratios.values())
        overall = sum(r["previous_year"] * r["chars"] for r in ratios.values()) / chars if chars else 0.0
        any_year = sum(r["corpus"] * r["chars"] for r in ratios.values()) / chars if chars else 0.0
        name = f"{Path(doc.path).stem}/{doc.meta.year}"
        print(f"{name:<10} {prev_year or '—'!s:<6} " + " ".join(cells) + f" {overall:>8.0%} {any_year:>9.0%}")
    print("cells: share copied from the previous report, and the section's narrative characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
