"""Warm audit time against plain jieba segmentation of the same text.

For every report in shared/corpus/real/full, the seed and corpus/: (a) jieba.lcut over the
report's normalized text (Document.text), (b) a whole warm audit of the file — read, structure,
every rule including sentences, claims and the spaCy/jieba tokens — with the NLP pipeline and
the rules already loaded. Prints per-file medians and the ratio (b)/(a); target ≤ 3× for a
typical report. Ratios, not absolute times: the machine is shared and noisy.

    python bench/audit_speed.py [--shared PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import median_ms  # noqa: E402
from auditor.checks import run_checks  # noqa: E402
from auditor.nlp.pipeline import get_jieba, get_nlp  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.shared, "corpus", "real", "full", "*.txt")))
    files += sorted(glob.glob(os.path.join(args.shared, "corpus", "real", "full", "*.html")))
    files += sorted(glob.glob(os.path.join(args.shared, "corpus", "seed", "*.txt")))
    files += sorted(str(p) for p in (ROOT / "corpus").glob("*") if p.suffix in (".txt", ".md", ".html")
                    and p.name != "README.md")
    rules = load_rules()
    jieba = get_jieba()
    get_nlp()
    ratios = []
    print(f"{'file':<46} {'chars':>6} {'jieba ms':>9} {'audit ms':>9} {'ratio':>6}")
    for path in files:
        doc = parse_file(path)
        run_checks(parse_file(path), rules)  # warm caches for this text
        jieba_ms = median_ms(lambda: jieba.lcut(doc.text), args.repeat)
        audit_ms = median_ms(lambda: run_checks(parse_file(path), rules), args.repeat)
        ratio = audit_ms / jieba_ms
        ratios.append(ratio)
        print(f"{os.path.relpath(path, ROOT.parent):<46} {len(doc.text):>6} {jieba_ms:9.2f} {audit_ms:9.2f} {ratio:6.2f}")
    print(f"\nwarm audit / jieba segmentation: median {statistics.median(ratios):.2f}×, "
          f"max {max(ratios):.2f}× over {len(ratios)} reports (target ≤ 3×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
