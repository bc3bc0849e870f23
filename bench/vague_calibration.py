"""Calibration of the vague-language rules on the sections 五 of the corpus.

Classes every sentence of 五 (problems and improvements) in the shared corpus and the samples
as problem / measure / other with the cues of rules/specificity.yaml, and prints: the share of
problem and measure sentences without any specificity signal (the ones VAG-UNSPECIFIC counts),
the sections that VAG-UNSPECIFIC / VAG-NO-MEASURE flag, and ten flagged and ten unflagged
example sentences with their signals.

    python bench/vague_calibration.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.checks import CheckContext, run_checks  # noqa: E402
from auditor.checks.metric import _scope_sentences, classify  # noqa: E402
from auditor.errors import InputError  # noqa: E402
from auditor.rules.data import load_data  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.shared, "corpus", "real", "**", "*.*"), recursive=True))
    files += sorted(glob.glob(os.path.join(args.shared, "corpus", "seed", "*.txt")))
    files += sorted(str(p) for p in (ROOT / "corpus").glob("*.*") if p.name != "README.md")
    files = [f for f in files if f.endswith((".txt", ".md", ".html", ".docx", ".pdf"))]
    rules = [r for r in load_rules() if r.id in ("VAG-UNSPECIFIC", "VAG-NO-MEASURE")]
    unspecific_rule = next(r for r in rules if r.id == "VAG-UNSPECIFIC")
    params = {**load_data("specificity"), **unspecific_rule.params}
    judged, flagged_sections, sections = [], [], 0
    for path in files:
        try:
            doc = parse_file(path)
        except InputError:
            continue
        if doc.section("problems") is None:
            continue
        sections += 1
        ctx = CheckContext(doc)
        scored = [s for s in classify(_scope_sentences(doc, unspecific_rule, ctx), params) if s.role != "other"]
        judged.extend((os.path.relpath(path, ROOT.parent), s) for s in scored)
        for f in run_checks(doc, rules).findings:
            flagged_sections.append((os.path.relpath(path, ROOT.parent), f.rule, f.message[:80]))
    vague = [(n, s) for n, s in judged if not s.signals]
    specific = [(n, s) for n, s in judged if s.signals]
    problems = [x for x in judged if x[1].role == "problem"]
    measures = [x for x in judged if x[1].role == "measure"]
    print(f"sections 五 read: {sections}; problem sentences {len(problems)}, measure sentences {len(measures)}")
    print(f"without any specificity signal: {len(vague)}/{len(judged)} = {len(vague) / max(1, len(judged)):.1%} "
          f"(problems {sum(1 for _, s in problems if not s.signals)}/{len(problems)}, "
          f"measures {sum(1 for _, s in measures if not s.signals)}/{len(measures)})")
    print(f"\nsections flagged ({len(flagged_sections)}):")
    for name, rule, msg in flagged_sections:
        print(f"   {name} {rule}: {msg}")
    step = max(1, len(vague) // 10)
    print("\nten sentences counted as unspecific:")
    for name, s in vague[::step][:10]:
        print(f"   [{s.role}] {s.text[:90]}  ({name})")
    step = max(1, len(specific) // 10)
    print("\nten sentences counted as specific (with their signals):")
    for name, s in specific[::step][:10]:
        print(f"   [{s.role}; {','.join(s.signals)}] {s.text[:90]}  ({name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
