"""Claim extractor against the annotated claims corpus (corpus/claims/), by body split.

    python bench/claims_accuracy.py [--split dev|heldout|all] [--show-errors] [--annotations FILE --texts DIR]

For every annotated quantity statement (corpus/claims/annotations.jsonl, schema in
corpus/claims/README.md) the extractor's claim at the same place is looked up: the claim whose
span holds the annotated number with the same value (a negation or absolute: whose span overlaps
the quote with the same relation). Figures, per split of bodies (corpus/claims/split.tsv):

- concept precision: of the claims the extractor gives a concept (not "other"; for a table concept,
  a plain figure — not a share of its total by office, area or channel, not guessed from context —
  as the checks compare those with the tables), the share that an annotation at that place
  confirms (a claim at a place nobody annotated counts as wrong);
- concept recall: of the annotated statements with a concept (not "other"), the share the
  extractor found with that concept;
- both for table concepts alone (those the checks compare with the tables) and for all concepts,
  and the relation (count/none/all/share/rate/growth) agreement on matched statements.

`--annotations/--texts` measure another annotated set (the same schema; texts are plain files named
as the annotation's `file`, a split.tsv beside the annotations), e.g. reports kept out of the
repository altogether. Quotes are found with whitespace removed, punctuation widths folded and
traditional characters simplified, as the normalized text has them.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.nlp.claims import extract  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.structure import parse_file  # noqa: E402
from auditor.structure.normalize import simplified  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
CLAIMS = ROOT / "corpus" / "claims"
TABLE_PREFIXES = ("applications.", "appeals.", "active.", "fees.")


def is_table(concept: str) -> bool:
    return concept.startswith(TABLE_PREFIXES)


def asserts(claim) -> bool:
    """The claim states its concept's figure, as the checks read it: a part of its total by office,
    area or channel ("split") or a concept guessed from context ("inferred") states none."""
    if claim.concept == "other":
        return False
    return not (is_table(claim.concept) and {"split", "inferred"} & set(claim.scope))


def same_concept(a: str, b: str) -> bool:
    """Equal concepts; a statement about 行政复议 and 行政诉讼 together is appeals.all, which some
    annotators split into its two groups."""
    if a == b:
        return True
    if not (a.startswith("appeals.") and b.startswith("appeals.")):
        return False
    (ga, _, ca), (gb, _, cb) = a[8:].partition("."), b[8:].partition(".")
    groups = {"review", "litigation"}
    return ca == cb and ((ga == "all" and gb in groups) or (gb == "all" and ga in groups))


def load_split(path: Path) -> dict[str, tuple[str, str]]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {row["file"]: (row["body"], row["split"]) for row in csv.DictReader(fh, delimiter="\t")}


PINYIN = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+[)）]")
_FOLD = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?",
                       "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "％": "%"})


def _folded(text: str) -> tuple[str, list[int]]:
    """Text with whitespace removed and punctuation folded to one width, with each kept character's
    offset: a quote copied from the raw file still finds its place in the normalized text."""
    out, where = [], []
    text = PINYIN.sub(lambda m: "\0" * len(m.group()), text)  # mirrors' inline pinyin, as parsing drops it
    for i, ch in enumerate(text):
        if ch == "\0":
            continue
        if ch.isspace():
            continue
        if "０" <= ch <= "９":
            ch = chr(ord(ch) - 0xFEE0)
        out.append(ch.translate(_FOLD))
        where.append(i)
    return "".join(out), where


@lru_cache(maxsize=8)
def _folded_document(text: str) -> tuple[str, list[int]]:
    return _folded(text)


def locate(text: str, annotation: dict) -> tuple[int, int, int | None] | None:
    """(quote start, quote end, number offset) in the document text, or None when not found."""
    folded, where = _folded_document(text)
    quote, _ = _folded(annotation["quote"])
    if not quote:
        return None
    quote = simplified(quote)
    pos = -1
    for _ in range(annotation.get("occurrence", 0) + 1):
        pos = folded.find(quote, pos + 1)
        if pos < 0:
            return None
    start, end = where[pos], where[pos + len(quote) - 1] + 1
    number = annotation.get("number")
    if number is None:
        return start, end, None
    number = _folded(str(number))[0]
    hits = [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d.])", quote)]
    if not hits:
        found = quote.rfind(number)
        if found < 0:
            return start, end, None
        hits = [found]
    return start, end, where[pos + hits[-1]]


def relation_family(relation: str, value) -> str:
    return "count" if relation == "none" and value == 0 else relation


def match(claims, where, annotation):
    start, end, number_at = where
    relation = annotation["relation"]
    if number_at is not None:
        value = annotation.get("value")
        found = [c for c in claims if c.start <= number_at < c.end + 1 and c.value is not None
                 and (value is None or abs(c.value - float(value)) < 1e-6 or c.relation in ("share", "rate", "growth"))]
        found = [c for c in found if c.relation not in ("share", "rate", "growth")
                 or relation in ("share", "rate", "growth")] or found
        # the claim whose own number is the annotated one (a share's span also covers its numerator)
        found.sort(key=lambda c: (c.relation in ("share", "rate", "growth")) != (relation in ("share", "rate", "growth")))
        return found[0] if found else None
    found = [c for c in claims if c.start < end and start < c.end and c.relation in ("none", "all")]
    same = [c for c in found if c.relation == relation and c.concept == annotation["concept"]]
    return (same or found or [None])[0]


def evaluate(annotations: list[dict], documents: dict[str, tuple], splits: dict[str, str]):
    stats = collections.defaultdict(collections.Counter)
    errors = collections.defaultdict(list)
    matched_claims: dict[str, set[int]] = collections.defaultdict(set)
    for a in annotations:
        doc, claims = documents[a["file"]]
        split = splits.get(a["file"], "dev")
        where = locate(doc.text, a)
        if where is None:
            stats[split]["unlocated"] += 1
            errors[split].append(("unlocated", a["file"], a["quote"], a["concept"], ""))
            continue
        claim = match(claims, where, a)
        gold = a["concept"]
        for scope in ("all", "table") if is_table(gold) else ("all",):
            if gold == "other":
                continue
            stats[split][f"{scope}.gold"] += 1
            if claim is not None and same_concept(claim.concept, gold):
                stats[split][f"{scope}.recall_hit"] += 1
        if claim is not None:
            matched_claims[a["file"]].add(id(claim))
            stats[split]["relation.matched"] += 1
            if relation_family(claim.relation, claim.value) == relation_family(a["relation"], a.get("value")):
                stats[split]["relation.agree"] += 1
            if asserts(claim):
                for scope in ("all", "table") if is_table(claim.concept) else ("all",):
                    stats[split][f"{scope}.predicted"] += 1
                    if same_concept(claim.concept, gold):
                        stats[split][f"{scope}.precision_hit"] += 1
        if claim is None or not same_concept(claim.concept, gold):
            if gold != "other" or (claim is not None and claim.concept != "other"):
                errors[split].append(("wrong" if claim is not None else "missed", a["file"], a["quote"], gold,
                                      f"{claim.concept}/{claim.relation} [{claim.text}]" if claim else ""))
    # Claims at places nobody annotated: wrong when they assert a concept.
    for file, (doc, claims) in documents.items():
        split = splits.get(file, "dev")
        for c in claims:
            if id(c) in matched_claims[file] or not asserts(c) or c.relation in ("share", "rate", "growth"):
                continue
            for scope in ("all", "table") if is_table(c.concept) else ("all",):
                stats[split][f"{scope}.predicted"] += 1
            errors[split].append(("unannotated", file, c.text, "", f"{c.concept}/{c.relation}"))
    return stats, errors


def ratio(hit: int, total: int) -> str:
    return f"{hit / total:6.1%} ({hit}/{total})" if total else "     — (0/0)"


def report(name: str, counter: collections.Counter) -> None:
    print(f"{name}:")
    for scope in ("table", "all"):
        print(f"  {scope:5s} concepts  precision {ratio(counter[f'{scope}.precision_hit'], counter[f'{scope}.predicted'])}"
              f"   recall {ratio(counter[f'{scope}.recall_hit'], counter[f'{scope}.gold'])}")
    print(f"  relation agreement on matched statements {ratio(counter['relation.agree'], counter['relation.matched'])};"
          f" quotes not found in the text: {counter['unlocated']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--annotations", type=Path, default=CLAIMS / "annotations.jsonl")
    parser.add_argument("--texts", type=Path, default=None, help="directory of the annotated files (default: ../shared/corpus)")
    args = parser.parse_args()
    annotations = [json.loads(line) for line in args.annotations.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = args.texts or SHARED
    split_table = load_split(args.annotations.parent / "split.tsv")
    split_of = {f: s for f, (_b, s) in split_table.items()}
    bodies = {f: b for f, (b, _s) in split_table.items()}
    documents = {}
    for file in sorted({a["file"] for a in annotations}):
        path = base / (Path(file).name if args.texts else file)
        doc = parse_file(str(path), gate=False)
        claims, _lists = extract(doc, split_document(doc))
        documents[file] = (doc, claims)
    stats, errors = evaluate(annotations, documents, split_of)
    splits = ("dev", "heldout")
    total = collections.Counter()
    for s in splits:
        total.update(stats[s])
    n_bodies = collections.Counter(split_of.get(f, "dev") for f in {bodies.get(f, f) for f in documents})
    print(f"{len(annotations)} annotated statements in {len(documents)} reports"
          + (f" of {len(set(bodies.get(f, f) for f in documents))} bodies" if bodies else ""))
    for s in splits:
        if args.split in (s, "all"):
            files = [f for f in documents if split_of.get(f, "dev") == s]
            report(f"{s} ({len(files)} reports, "
                   f"{len({bodies.get(f, f) for f in files})} bodies)", stats[s])
    if args.split == "all":
        report("all", total)
    if args.show_errors:
        for s in splits:
            if args.split not in (s, "all"):
                continue
            print(f"\nerrors ({s}):")
            for kind, file, quote, gold, got in errors[s]:
                print(f"  {kind:11s} {file}  [{quote}]  gold={gold}  got={got}")
    _ = n_bodies


if __name__ == "__main__":
    main()
