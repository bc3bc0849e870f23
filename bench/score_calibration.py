"""How the audit score ranks reports against expert graders.

Audits every report of a corpus directory as `auditor batch` does (corpus checks on, each
report with its body's previous-year report when the corpus has it), then compares the score
with the mean expert grade of every graded report (`grades.json`, auditor.grades/1):

- Spearman rank correlation of score vs mean grade (and between the two graders);
- the range of scores and of grades;
- the reports that move most against the experts (rank difference), each with the findings
  that cost it most;
- the scores of reports that must land low whatever anyone grades them: the blank template
  and the seed, when present.

    python bench/score_calibration.py [--corpus ../shared/corpus/real] [--grades FILE]
                                      [--extra FILE ...] [--show N] [--no-corpus] [--perturb N]

--perturb N re-scores the same findings under N rubrics whose points and deductions are each
scaled by a random factor in ±30% (seeded), and prints the spread of the rank correlation: a
rubric fitted to a few reports would fall apart; one that follows what evaluators weigh holds.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.batch.run import last_year  # noqa: E402
from auditor.checks import run_checks  # noqa: E402
from auditor.errors import InputError  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.similarity.discover import discover_reports  # noqa: E402
from auditor.structure import parse_file  # noqa: E402


def ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), as Spearman's rho needs."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else float("nan")


def audit_corpus(directory: Path, use_corpus: bool, extra: list[Path]):
    from auditor.similarity.index import CorpusIndex

    rules = load_rules([ROOT / "rules"])
    docs = {}
    for path in list(discover_reports(str(directory))) + [str(p) for p in extra]:
        try:
            docs[path] = parse_file(path)
        except InputError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
    index = CorpusIndex.build(list(docs.values())) if use_corpus else None
    results = {}
    for path, doc in docs.items():
        previous = last_year(doc, index, docs) if index is not None else None
        results[path] = run_checks(doc, rules, previous=previous, corpus=index)
    return results


def costliest(result, n: int = 4) -> list[str]:
    """The findings that cost the report most, as 'severity rule: message'."""
    weights = {"error": 3, "warning": 2, "info": 1}
    findings = sorted(result.findings, key=lambda f: -weights[f.severity])
    return [f"{f.severity} {f.rule}: {f.message[:90]}" for f in findings[:n]]


def perturbed_spread(rows, means: list[float], draws: int, seed: int = 1) -> str:
    """Spearman under `draws` rubrics with every category's points and deductions scaled by a
    random factor in [0.7, 1.3]."""
    from auditor.checks.score import rubric, score_findings

    rng = random.Random(seed)
    base = rubric()
    found = []
    for _ in range(draws):
        spec = copy.deepcopy(base)
        for cat in spec["categories"].values():
            cat["points"] *= rng.uniform(0.7, 1.3)
            cat["deduct"] = {k: v * rng.uniform(0.7, 1.3) for k, v in cat["deduct"].items()}
        scores = [score_findings(r[5].findings, r[5].score.get("measures"), spec)["total"] for r in rows]
        found.append(spearman(scores, means))
    found.sort()
    at = lambda q: found[min(len(found) - 1, int(q * len(found)))]
    return (f"perturbed rubrics ({draws}, ±30%): spearman min {found[0]:.3f}, p10 {at(0.1):.3f}, "
            f"median {at(0.5):.3f}, p90 {at(0.9):.3f}, max {found[-1]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    parser.add_argument("--grades", default=None, help="grades.json (default: CORPUS/grades.json)")
    parser.add_argument("--extra", nargs="*", default=None,
                        help="more files scored alongside (default: the seed, beside the corpus)")
    parser.add_argument("--show", type=int, default=6, help="how many movers to show")
    parser.add_argument("--no-corpus", action="store_true", help="audit each report alone")
    parser.add_argument("--perturb", type=int, default=0, help="rubrics perturbed by ±30%% to try")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    grades = json.loads(Path(args.grades or corpus / "grades.json").read_text(encoding="utf-8"))["reports"]
    extra = [Path(p) for p in args.extra] if args.extra is not None else [
        p for p in sorted((corpus.parent / "seed").glob("*.txt"))]
    results = audit_corpus(corpus, not args.no_corpus, extra)

    def key_of(path: str) -> str:
        return str(Path(path).relative_to(corpus.parent)) if Path(path).is_relative_to(corpus.parent) else path

    by_key = {key_of(p): r for p, r in results.items()}
    rows = []
    for key, entry in sorted(grades.items()):
        # Keys are relative to the corpus's parent (shared: "real/full/001.txt") or to the corpus itself.
        result = by_key.get(key) or by_key.get(str(Path(corpus.name) / key))
        if result is None:
            print(f"not audited: {key}", file=sys.stderr)
            continue
        a, b = entry["grader_a"]["score"], entry["grader_b"]["score"]
        rows.append((key, (a + b) / 2, a, b, result.score["total"], result))

    scores = [r[4] for r in rows]
    means = [r[1] for r in rows]
    print(f"graded reports: {len(rows)}")
    print(f"spearman(score, mean grade) = {spearman(scores, means):.3f}")
    print(f"spearman(grader a, grader b) = {spearman([r[2] for r in rows], [r[3] for r in rows]):.3f}")
    print(f"score range {min(scores):.1f}–{max(scores):.1f}; grade range {min(means):.1f}–{max(means):.1f}")
    all_scores = sorted(r.score["total"] for r in results.values())
    print(f"all {len(all_scores)} reports: min {all_scores[0]:.1f}, median {all_scores[len(all_scores) // 2]:.1f},"
          f" max {all_scores[-1]:.1f}; ≥90: {sum(s >= 90 for s in all_scores)}")
    print()
    score_rank, grade_rank = ranks(scores), ranks(means)
    print(f"{'report':24} {'grade':>6} {'score':>6} {'assessed':>8}  rank(g→s)  parts")
    for (key, mean, _a, _b, score, result), rg, rs in sorted(zip(rows, grade_rank, score_rank), key=lambda t: -t[0][1]):
        parts = " ".join(f"{k[:4]}={v:.0f}" for k, v in result.score.get("parts", {}).items())
        assessed = result.score.get("assessed")
        assessed = f"{assessed:.0%}" if isinstance(assessed, (int, float)) else "-"
        print(f"{key:24} {mean:6.1f} {score:6.1f} {assessed:>8}  {rg:4.1f}→{rs:4.1f}  {parts}")
    print()
    movers = sorted(zip(rows, grade_rank, score_rank), key=lambda t: -abs(t[1] - t[2]))[:args.show]
    for (key, mean, _a, _b, score, result), rg, rs in movers:
        print(f"{key}: grade {mean:.1f} (rank {rg:.1f}), score {score:.1f} (rank {rs:.1f})")
        for line in costliest(result):
            print(f"    {line}")
    if args.perturb:
        print()
        print(perturbed_spread(rows, means, args.perturb))
    others = {key_of(p): r for p, r in results.items() if key_of(p) not in grades}
    musts = [k for k in others if "seed" in k or "template" in k]
    if musts:
        print()
        for key in musts:
            print(f"must land low: {key}: {others[key].score['total']:.1f}")


if __name__ == "__main__":
    main()
