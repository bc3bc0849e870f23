"""Lists of a total and its parts, as the claim extractor reads them, against the annotated corpus.

    python bench/claims_lists.py [--show] [--annotations FILE --texts DIR]

The annotations (corpus/claims/, schema in corpus/claims/README.md) say which statements make one
list (`list`, `role` total/part). For every annotated list with one total and at least one part,
the extractor's list whose total is the annotated total's claim (matched as bench/claims_accuracy.py
matches statements) is looked up:

- lists read: annotated lists the extractor reads a list for, with that total;
- part recall: annotated parts that are parts of that list;
- part precision: of the parts of those lists, the share the annotation puts in the list.

Parts are what the parts-sum check adds up, so a part missed or one too many is a sum that may be
wrong either way. `--show` lists every annotated list read otherwise, with the parts missed and the
parts taken in error. `--annotations/--texts` measure another annotated set (e.g. a blind set kept
out of the repository), as in bench/claims_accuracy.py.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from claims_accuracy import CLAIMS, SHARED, locate, match  # noqa: E402

from auditor.nlp.claims import extract  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.structure import parse_file  # noqa: E402


def annotated_lists(annotations: list[dict]) -> dict[tuple[str, str], tuple[dict, list[dict]]]:
    """(file, list label) → (the total's annotation, the parts' annotations), for lists with one total."""
    groups: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    for a in annotations:
        if a.get("list"):
            groups[(a["file"], a["list"])].append(a)
    out = {}
    for key, members in groups.items():
        totals = [a for a in members if a.get("role") == "total"]
        parts = [a for a in members if a.get("role") == "part"]
        if len(totals) == 1 and parts:
            out[key] = (totals[0], parts)
    return out


def evaluate(annotations: list[dict], texts: Path, flat: bool):
    stats = collections.Counter()
    misread = []
    by_file: dict[str, list] = collections.defaultdict(list)
    for key, value in annotated_lists(annotations).items():
        by_file[key[0]].append((key[1], *value))
    for file, lists in sorted(by_file.items()):
        doc = parse_file(str(texts / (Path(file).name if flat else file)), gate=False)
        claims, extracted = extract(doc, split_document(doc))

        def claim_of(a: dict):
            where = locate(doc.text, a)
            return match(claims, where, a) if where else None

        for label, total, parts in lists:
            stats["lists"] += 1
            stats["parts_annotated"] += len(parts)
            total_claim = claim_of(total)
            ours = next((lst for lst in extracted if total_claim is not None and lst.total is total_claim), None)
            if ours is None:
                misread.append(("no list", file, total["quote"], [p["quote"] for p in parts], []))
                continue
            stats["lists_read"] += 1
            gold = {id(c) for c in map(claim_of, parts) if c is not None}
            read = {id(p) for p in ours.parts}
            stats["parts_read"] += len(read)
            stats["parts_right"] += len(gold & read)
            if gold != read:
                missed = [p["quote"] for p in parts if id(claim_of(p)) not in read]
                extra = [p.text for p in ours.parts if id(p) not in gold]
                misread.append(("parts", file, total["quote"], missed, extra))
    return stats, misread


def ratio(hit: int, total: int) -> str:
    return f"{100.0 * hit / total:5.1f}% ({hit}/{total})" if total else "     — (0/0)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--annotations", type=Path, default=CLAIMS / "annotations.jsonl")
    parser.add_argument("--texts", type=Path, default=None, help="directory of the annotated files (default: ../shared/corpus)")
    parser.add_argument("--show", action="store_true", help="list every annotated list read otherwise")
    args = parser.parse_args()
    annotations = [json.loads(line) for line in args.annotations.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats, misread = evaluate(annotations, args.texts or SHARED, flat=args.texts is not None)
    print(f"{stats['lists']} annotated lists, {stats['parts_annotated']} parts")
    print(f"  lists read with their total  {ratio(stats['lists_read'], stats['lists'])}")
    print(f"  part recall                  {ratio(stats['parts_right'], stats['parts_annotated'])}")
    print(f"  part precision               {ratio(stats['parts_right'], stats['parts_read'])}")
    if args.show:
        for kind, file, total, missed, extra in misread:
            print(f"  {kind:7s} {file}  [{total}]  missed {missed}  extra {extra}")


if __name__ == "__main__":
    main()
