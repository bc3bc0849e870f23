"""Evaluation of the boilerplate classifier (template vs specific sentences).

Trains on the default corpus (the shared real reports, the seed and the project samples) with
cross-validation grouped by body and prints the figures; then scores every narrative sentence
of the real reports (sections overview/problems/other) with the shipped model and prints the
score distribution, the share of flagged sentences per section, and the 10 top-scored and 10
bottom-scored sentences.

    python bench/classifier_eval.py [--shared PATH] [--retrain]

--retrain writes models/boilerplate.skops and models/MODEL_CARD.md from the same corpus (this is
how the shipped model was made).
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.errors import InputError  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.similarity import classifier  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

FORMATS = (".txt", ".md", ".html", ".docx", ".pdf")
NOTE = ("默认模型的语料：共享语料中的真实报告（real/full 为完整报告，real/partial 多为网页开头约一千五百字，"
        "2009–2025 多个年份、六十余个机关，附 manifest.tsv 标明机关）、种子报告 seed，以及项目自带的虚构样例 corpus/。"
        "第五、六部分的句子主要来自完整报告和样例。real/pdf 是 real/full 中三份报告的 PDF 原件，作为镜像副本去重。"
        "本模型由 `python bench/classifier_eval.py --retrain` 生成。")


def real_files(shared: str) -> list[str]:
    files = sorted(glob.glob(os.path.join(shared, "corpus", "real", "**", "*.*"), recursive=True))
    files += sorted(glob.glob(os.path.join(shared, "corpus", "seed", "*.*")))
    return [f for f in files if f.endswith(FORMATS)]


def sample_files() -> list[str]:
    return sorted(str(p) for p in (ROOT / "corpus").glob("*.*") if p.suffix in FORMATS and p.name != "README.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--retrain", action="store_true", help="write models/boilerplate.skops and its card")
    args = parser.parse_args()

    real = real_files(args.shared)
    corpus = real + sample_files()
    out = classifier.DEFAULT_MODEL_PATH if args.retrain else None
    report = classifier.train(corpus, out_path=out, note=NOTE)
    print(report.render())
    print()

    model = classifier.load_model(out) if out else classifier.load_model()
    seen, texts, sections = set(), [], []
    per_section: dict[tuple[str, str], list[int]] = {}
    for path in real:
        try:
            doc = parse_file(path)
        except InputError:
            continue
        for s in split_document(doc):
            if s.section in classifier.NARRATIVE_SECTIONS and classifier.is_narrative(s.text):
                per_section.setdefault((path, s.section), []).append(len(texts))
                texts.append(s.text)
                sections.append(s.section)
    scores = np.array(classifier.score_sentences(texts, model))
    print(f"shipped model on {len(texts)} narrative sentences of {len(real)} real reports:")
    bins = [0, 0.2, 0.5, 0.8, 0.9, 1.0001]
    counts, _ = np.histogram(scores, bins=bins)
    print("  scores " + "  ".join(f"[{a:.1f},{min(b, 1):.1f}): {c}" for a, b, c in zip(bins, bins[1:], counts)))
    for key in classifier.NARRATIVE_SECTIONS:
        idx = [i for i, s in enumerate(sections) if s == key]
        if idx:
            print(f"  {key:9} {len(idx):4} sentences, mean {scores[idx].mean():.2f}, "
                  f">=0.8: {np.mean(scores[idx] >= 0.8):.0%}, >=0.5: {np.mean(scores[idx] >= 0.5):.0%}")
    shares = [np.mean(scores[idx] >= 0.8) for idx in per_section.values() if len(idx) >= 4]
    if shares:
        print(f"  sections with >= 4 sentences: {len(shares)}; share of sentences >= 0.8 per section: "
              f"median {np.median(shares):.0%}, max {max(shares):.0%}, sections >= 60%: {sum(s >= 0.6 for s in shares)}")

    order = np.argsort(-scores, kind="stable")
    unique = []
    for i in order:
        if texts[i] not in seen:
            seen.add(texts[i])
            unique.append(i)
    print("\n10 most template-like:")
    for i in unique[:10]:
        print(f"  {scores[i]:.3f}  [{sections[i]}] {texts[i][:90]}")
    print("\n10 most specific:")
    for i in unique[::-1][:10]:
        print(f"  {scores[i]:.3f}  [{sections[i]}] {texts[i][:90]}")
    if out:
        print(f"\nmodel written: {out} ({os.path.getsize(out) / 1024:.0f} KB); card: {report.card_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
