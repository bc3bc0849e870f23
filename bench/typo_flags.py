"""How often the typo rules (kind `typo`, TXT-TYPO-*) flag real reports, what they flag, and
what the check costs.

For every report under the given directories: parse it, run only the typo rules, print each flag
(report, rule, suspect → correction, its sentence) and count flags per report. Then, on the
shared corpus's full reports, time the typo check alone (sentences already split) against the
whole warm audit of the same report.

    python bench/typo_flags.py [DIR ...] [--shared PATH] [--sample N --seed S] [--no-timing]

Without DIR: shared/corpus/real/full and shared/corpus/real/partial. The held-out sets
(/work/heldout*/texts) are for measuring only: nothing of the check is built from them.
--sample N prints a seeded random sample of N flags again at the end, for review by eye.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.checks import CheckContext, run_checks  # noqa: E402
from auditor.checks import typo  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def _files(dirs: list[str]) -> list[str]:
    out = []
    for d in dirs:
        out += sorted(p for p in glob.glob(os.path.join(d, "*")) if p.endswith(SUFFIXES))
    return out


def _context(doc, start: int, end: int, chars: int = 14) -> str:
    a, b = max(0, start - chars), min(len(doc.text), end + chars)
    return (doc.text[a:start] + "【" + doc.text[start:end] + "】" + doc.text[end:b]).replace("\n", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    real = os.path.join(args.shared, "corpus", "real")
    dirs = args.dirs or [os.path.join(real, "full"), os.path.join(real, "partial")]
    rules = load_rules()
    typo_rules = [r for r in rules if r.kind == "typo"]
    files = _files(dirs)
    flags, per_rule, unreadable = [], Counter(), 0
    for path in files:
        try:
            doc = parse_file(path)
        except Exception:  # noqa: BLE001 — an unreadable file is counted, not fatal
            unreadable += 1
            continue
        for f in run_checks(doc, typo_rules).findings:
            per_rule[f.rule] += 1
            line = (f"{os.path.relpath(path, ROOT.parent)}\t{f.rule}\t{f.evidence['suspect']}→"
                    f"{f.evidence['suggestion']}\t{_context(doc, f.span.start, f.span.end)}")
            flags.append(line)
            print(line)
    n = len(files) - unreadable
    print(f"\n{n} reports ({unreadable} unreadable), {len(flags)} flags: "
          f"{len(flags) / max(n, 1):.4f} per report (1 per {n / max(len(flags), 1):.0f} reports)")
    for rule in sorted(per_rule):
        print(f"  {rule:<16} {per_rule[rule]}")
    if args.sample and flags:
        print(f"\nrandom sample of {min(args.sample, len(flags))} flags (seed {args.seed}):")
        for line in random.Random(args.seed).sample(flags, min(args.sample, len(flags))):
            print("  " + line)
    if args.no_timing:
        return 0
    shared = _files([os.path.join(real, "full")])
    check_ms, audit_ms = [], []
    for path in shared:
        doc = parse_file(path)
        run_checks(doc, rules)  # warm: the NLP pipeline, the dictionary index, the caches
        ctx = CheckContext(doc=doc)
        ctx.sentences  # split once, as the audit does for every rule kind
        best = min(_timed(lambda: list(typo.run(doc, typo_rules, ctx))) for _ in range(3))
        whole = min(_timed(lambda: run_checks(parse_file(path), rules)) for _ in range(3))
        check_ms.append(best)
        audit_ms.append(whole)
    print(f"\ntiming over {len(shared)} shared reports: typo check median {statistics.median(check_ms):.2f} ms "
          f"(max {max(check_ms):.2f}), whole warm audit median {statistics.median(audit_ms):.1f} ms; "
          f"check / audit {sum(check_ms) / sum(audit_ms):.1%} of the total")
    return 0


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - t)


if __name__ == "__main__":
    sys.exit(main())
