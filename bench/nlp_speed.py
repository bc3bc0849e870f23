"""NLP-layer time per report, as ratios to plain jieba segmentation of the same narrative.

For every report in shared/corpus/real/full and corpus/ (the project's samples):
  (a) jieba.lcut over the narrative text (the sentences split_document keeps, joined by newlines),
  (b) split_document + extract_claims on the parsed Document,
  (c) get_nlp() (spaCy blank zh + jieba + the sentence component) over the same narrative text.
Everything is loaded and run once before timing (warm); each figure is the median of --repeat
runs. The audit budget is 3× (a); (b) is what the audit adds for sentences and claims.

    python bench/nlp_speed.py [--shared PATH] [--repeat N]
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
from auditor.nlp.claims import extract_claims  # noqa: E402
from auditor.nlp.pipeline import get_jieba, get_nlp  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

SAMPLE_SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = sorted(f for f in glob.glob(os.path.join(args.shared, "corpus", "real", "full", "*.*"))
                   if not f.endswith(".json"))
    files += sorted(str(p) for p in (ROOT / "corpus").glob("*.*")
                    if p.suffix in SAMPLE_SUFFIXES and p.name != "README.md")
    jieba = get_jieba()
    nlp = get_nlp()

    print(f"{'file':<42} {'chars':>6} {'jieba ms':>9} {'split+claims ms':>16} {'ratio':>6} "
          f"{'spaCy ms':>9} {'ratio':>6} {'claims':>6}")
    claim_ratios, spacy_ratios = [], []
    for path in files:
        doc = parse_file(path)
        narrative = "\n".join(s.text for s in split_document(doc))
        # warm-up: caches, regex compilation, jieba's lazily built structures
        jieba.lcut(narrative)
        claims = extract_claims(doc, split_document(doc))
        nlp(narrative)
        plain = median_ms(lambda: jieba.lcut(narrative), args.repeat)
        ours = median_ms(lambda: extract_claims(doc, split_document(doc)), args.repeat)
        spacy_ms = median_ms(lambda: nlp(narrative), args.repeat)
        claim_ratios.append(ours / plain)
        spacy_ratios.append(spacy_ms / plain)
        name = os.path.relpath(path, ROOT.parent)
        print(f"{name:<42} {len(narrative):6d} {plain:9.2f} {ours:16.2f} {ours / plain:6.2f} "
              f"{spacy_ms:9.2f} {spacy_ms / plain:6.2f} {len(claims):6d}")
    print(f"\nmedian ratio to plain jieba over {len(files)} files: split_document+extract_claims "
          f"{statistics.median(claim_ratios):.2f}× (max {max(claim_ratios):.2f}×), "
          f"get_nlp() {statistics.median(spacy_ratios):.2f}× (max {max(spacy_ratios):.2f}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
