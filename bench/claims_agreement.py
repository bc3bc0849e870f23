"""How far two annotators agree on the claims corpus, and the extractor beside them.

    python bench/claims_agreement.py [--split dev|heldout|all] [--show]
    python bench/claims_agreement.py --set DIR [--set DIR …] [--show]

The concept precision of bench/claims_accuracy.py is measured against one annotator's labels. A
second annotator, working alone from the same guide (corpus/claims/README.md), labels some of the
same statements again (`second-annotation.jsonl`, the schema of annotations.jsonl; a statement is
the same when its file, quote and occurrence are). This bench reports, on those statements:

- how often the two annotators give the same concept (and relation): what a second careful reader
  makes of the first one's labels;
- of the statements where the extractor states a concept (as claims_accuracy counts them), how
  often it agrees with the first annotator, with the second, with either — and how often the
  second annotator agrees with the first on those very statements. That last figure is the
  ceiling a precision measured against one annotator can be read against: an extractor that
  agrees with the first annotator as often as a second annotator does is as good as the labels
  can tell.

By default the repository's corpus (corpus/claims/, texts in ../shared/corpus, the split of
split.tsv). `--set DIR` reads DIR/annotations.jsonl, DIR/second-annotation.jsonl and the texts in
DIR/texts (files named as the annotations' `file`), e.g. the blind sets kept outside the
repository; several sets are summed.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from claims_accuracy import CLAIMS, SHARED, asserts, load_split, locate, match, same_concept  # noqa: E402

from auditor.nlp.claims import extract  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.structure import parse_file  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def statement_key(annotation: dict) -> tuple[str, str, int]:
    return annotation["file"], annotation["quote"], annotation.get("occurrence", 0)


def pairs_of(first: list[dict], second: list[dict]) -> list[tuple[dict, dict]]:
    """Each statement of the second annotation with the first annotation of the same statement."""
    by_key = {statement_key(a): a for a in first}
    return [(by_key[statement_key(b)], b) for b in second if statement_key(b) in by_key]


def compare(pairs: list[tuple[dict, dict]], text_path, tally: collections.Counter,
            disagreements: collections.Counter, shown: list) -> None:
    documents: dict[str, tuple] = {}
    for first, second in pairs:
        file = first["file"]
        if file not in documents:
            doc = parse_file(str(text_path(file)), gate=False)
            documents[file] = (doc, extract(doc, split_document(doc))[0])
        doc, claims = documents[file]
        where = locate(doc.text, first)
        if where is None:
            tally["unlocated"] += 1
            continue
        tally["statements"] += 1
        agree = same_concept(first["concept"], second["concept"])
        tally["concept_agree"] += agree
        tally["relation_agree"] += first["relation"] == second["relation"]
        if not agree:
            disagreements[(first["concept"], second["concept"])] += 1
        claim = match(claims, where, first)
        if claim is None or not asserts(claim):
            continue
        tally["asserted"] += 1
        with_first = same_concept(claim.concept, first["concept"])
        with_second = same_concept(claim.concept, second["concept"])
        tally["extractor_first"] += with_first
        tally["extractor_second"] += with_second
        tally["extractor_either"] += with_first or with_second
        tally["second_first"] += agree
        if not agree or not with_first:
            shown.append((file, first["quote"], first["concept"], second["concept"], claim.concept))


def ratio(hit: int, total: int) -> str:
    return f"{hit / total:6.1%} ({hit}/{total})" if total else "     — (0/0)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--set", dest="sets", type=Path, action="append", default=[],
                        help="a directory with annotations.jsonl, second-annotation.jsonl and texts/")
    parser.add_argument("--show", action="store_true", help="list the statements where anyone disagrees")
    args = parser.parse_args()

    tally: collections.Counter = collections.Counter()
    disagreements: collections.Counter = collections.Counter()
    shown: list = []
    reports: set = set()
    if args.sets:
        for directory in args.sets:
            pairs = pairs_of(read_jsonl(directory / "annotations.jsonl"),
                             read_jsonl(directory / "second-annotation.jsonl"))
            reports |= {(str(directory), a["file"]) for a, _ in pairs}
            compare(pairs, lambda f, d=directory: d / "texts" / Path(f).name, tally, disagreements, shown)
        where = f"{len(args.sets)} sets"
    else:
        split_of = {f: s for f, (_body, s) in load_split(CLAIMS / "split.tsv").items()}
        pairs = [(a, b) for a, b in pairs_of(read_jsonl(CLAIMS / "annotations.jsonl"),
                                              read_jsonl(CLAIMS / "second-annotation.jsonl"))
                 if args.split == "all" or split_of.get(a["file"], "dev") == args.split]
        reports |= {a["file"] for a, _ in pairs}
        compare(pairs, lambda f: SHARED / f, tally, disagreements, shown)
        where = f"split {args.split}"

    n, k = tally["statements"], tally["asserted"]
    print(f"{n} statements annotated twice, in {len(reports)} reports ({where}); quotes not found: {tally['unlocated']}")
    print(f"  annotators agree on the concept   {ratio(tally['concept_agree'], n)}")
    print(f"  annotators agree on the relation  {ratio(tally['relation_agree'], n)}")
    print(f"where the extractor states a concept ({k}):")
    print(f"  extractor = first annotator       {ratio(tally['extractor_first'], k)}   (claims_accuracy's precision, on these statements)")
    print(f"  extractor = second annotator      {ratio(tally['extractor_second'], k)}")
    print(f"  extractor = either annotator      {ratio(tally['extractor_either'], k)}")
    print(f"  second annotator = first          {ratio(tally['second_first'], k)}   (the ceiling of the first line)")
    print("disagreements between the annotators (first → second):")
    for (a, b), m in disagreements.most_common(12):
        print(f"  {m:4d}  {a} → {b}")
    if args.show:
        print("\nstatements where the annotators disagree or the extractor differs from the first:")
        for file, quote, first, second, got in shown:
            print(f"  {file}  [{quote}]  first={first}  second={second}  extractor={got}")


if __name__ == "__main__":
    main()
