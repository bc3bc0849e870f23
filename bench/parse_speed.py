"""Read + structure time per report (no NLP model is loaded by parse).

Each file is parsed once to warm caches (regexes, the traditional-script table when needed),
then `--repeat` times; the median is reported per file and over the typical text reports
(10–20 KB .txt/.md), the figure the parse target is stated for. Figures are ratios and medians
from one run: the machine is shared and noisy.

    python bench/parse_speed.py [--shared PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.read import read_file  # noqa: E402
from auditor.structure import build_document  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.shared, "corpus", "real", "full", "*.*")))
    files += sorted(glob.glob(os.path.join(args.shared, "corpus", "real", "pdf", "*.pdf")))
    files += sorted(glob.glob(os.path.join(args.shared, "corpus", "seed", "*.txt")))
    files += sorted(str(p) for p in (ROOT / "corpus").glob("*.*") if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf") and p.name != "README.md")
    files = [f for f in files if not f.endswith(".json")]
    assert "spacy" not in sys.modules and "jieba" not in sys.modules
    typical: list[float] = []
    print(f"{'file':<48} {'KB':>6} {'read ms':>8} {'structure ms':>12} {'total ms':>9}")
    for path in files:
        read_file(path) and build_document(read_file(path))  # warm-up
        reads, structs = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            source = read_file(path)
            t1 = time.perf_counter()
            build_document(source)
            t2 = time.perf_counter()
            reads.append((t1 - t0) * 1000)
            structs.append((t2 - t1) * 1000)
        total = statistics.median(r + s for r, s in zip(reads, structs))
        size = os.path.getsize(path) / 1024
        name = os.path.relpath(path, ROOT.parent)
        print(f"{name:<48} {size:6.1f} {statistics.median(reads):8.2f} {statistics.median(structs):12.2f} {total:9.2f}")
        if path.endswith((".txt", ".md")) and 10 <= size <= 20:
            typical.append(total)
    assert "spacy" not in sys.modules and "jieba" not in sys.modules, "parse must not load NLP models"
    if typical:
        print(f"\ntypical 10–20 KB text reports: {len(typical)} files, median {statistics.median(typical):.2f} ms "
              f"(target < 20 ms), max {max(typical):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
