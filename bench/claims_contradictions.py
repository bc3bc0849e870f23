"""Narrative contradictions found by the audit, against an evaluator's list.

    python bench/claims_contradictions.py [--contradictions FILE --texts DIR] [--split dev|heldout|all] [--show]
                                          [--all-rules]

The list (corpus/claims/contradictions.jsonl by default: the visible corpus's narrative
contradictions and controls) has one statement per line: {"file", "quote", "kind",
"is_contradiction", "arithmetic", "severity_you_would_give"}. Each report is audited with the claim
rules and PROSE_RULES (the parts an outline names against their number, the year the preamble names), and the continuity rules
with its previous report when the list names one in "previous";
a finding is counted for a statement when its span meets the sentence that holds the quote.

- recall: contradictions with a finding (at any severity, and at warning or above);
- controls: correct statements that drew a finding above info (false alarms);
- findings above info that meet no listed statement: listed for a reviewer (the list may be
  incomplete), and counted as unconfirmed.

--all-rules audits with every rule, as `auditor audit` does (without a corpus): an evaluator's list
also holds figures left blank, numbers without units and words left from another body's report,
which structure and boilerplate rules find. Unconfirmed findings are still counted for the claim
rules only (the other rules' findings are about other things than the listed statements).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.checks import run_checks  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402
from bench.claims_accuracy import load_split, locate  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
CLAIMS = ROOT / "corpus" / "claims"
ABOVE_INFO = ("error", "warning")
# Which kinds of listed statement a rule's finding is about.
RULE_KINDS = {"CLM-PARTS-SUM": ("parts_sum",), "CLM-PERCENT": ("share",), "CLM-STATED-TWICE": ("stated_twice",),
              "CLM-CHANNEL-TWICE": ("stated_twice",),
              "CLM-BALANCE": ("balance",), "CLM-RATE": ("rate",), "CLM-GROWTH": ("growth",),
              "CON-GROWTH": ("growth",), "CLM-ALL-UPHELD": ("absolute",), "CLM-ALL-DECIDED": ("absolute",),
              "CLM-ALL-PROCESSED": ("absolute",), "CLM-ALL-GRANTED": ("absolute",),
              "CLM-KINDS-PAST-WHOLE": ("parts_sum",), "CLM-PERIODIC-COUNT": ("periodic",),
              "STR-OUTLINE-COUNT": ("parts_sum",), "STR-PREAMBLE-YEAR": ("self",)}
# Rules of other kinds that check the prose against itself (the parts an outline names against their
# number; the year the preamble names against the report's).
PROSE_RULES = ("STR-OUTLINE-COUNT", "STR-PREAMBLE-YEAR")


def sentence_span(doc, start: int, end: int) -> tuple[int, int]:
    for s in split_document(doc):
        if s.start <= start < s.end:
            return s.start, max(s.end, end)
    return start, end


# What follows the total of a list nested in another: "法定主动公开35条（其中…）".
NESTED_LIST_AFTER = re.compile(r"\s*(?:[（(]|[，,]?\s*(?:其中|包含|包括))")


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _named_in_evidence(evidence) -> list[str]:
    """The statements a claim finding's evidence names: a list's total, the shares it found wrong."""
    if not isinstance(evidence, dict):
        return []
    named = [evidence["total"].get("text", "")] if isinstance(evidence.get("total"), dict) else []
    named += [s.get("text", "") for s in evidence.get("shares", ()) if isinstance(s, dict)]
    return [_plain(t) for t in named if t]


def judge(items: list[dict], base: Path, by_name: bool = False,
          all_rules: bool = False) -> tuple[list[tuple[dict, list]], list]:
    """Audit each listed report with the claim rules (or all rules); (statement, findings credited to
    it) for every statement found in its text, and the claim findings above info that meet no statement."""
    rules = [r for r in load_rules() if all_rules or r.kind == "claim" or r.id in PROSE_RULES]
    claim_rules = {r.id for r in rules if r.kind == "claim"}
    by_file = collections.defaultdict(list)
    for item in items:
        by_file[item["file"]].append(item)
    judged, unconfirmed = [], []
    for file, file_items in sorted(by_file.items()):
        def path_of(name: str) -> str:
            return str(base / (Path(name).name if by_name else name))

        doc = parse_file(path_of(file), gate=False)
        previous_name = next((i.get("previous") for i in file_items if i.get("previous")), None)
        previous = parse_file(path_of(previous_name), gate=False) if previous_name else None
        findings = [f for f in run_checks(doc, rules, previous=previous).findings if f.span is not None]
        spans, quotes = {}, {}
        for item in file_items:
            where = locate(doc.text, {"quote": item["quote"], "number": None})
            if where is not None:
                spans[id(item)] = sentence_span(doc, where[0], where[1])
                quotes[id(item)] = (where[0], where[1])
            else:
                judged.append((item, None))
        # A finding counts for the statements whose sentence it meets; where several do, for those of
        # its own kind (a list's sum finding spans the shares inside the list too), and of those for
        # the ones whose quote it meets itself (one wrong share of a long sentence of shares).
        credited = collections.defaultdict(list)
        for f in findings:
            met = [i for i in file_items if id(i) in spans
                   and f.span.start < spans[id(i)][1] and spans[id(i)][0] < f.span.end]
            own = [i for i in met if i["kind"] in RULE_KINDS.get(f.rule, ())] or met
            direct = [i for i in own if f.span.start < quotes[id(i)][1] and quotes[id(i)][0] < f.span.end]
            # a finding whose span covers correct statements too (a list's sum finding spans a nested
            # list's total; one finding on two wrong shares spans a right one between them) is about
            # the statements its evidence names
            named = _named_in_evidence(f.evidence)
            about = [i for i in direct if any(t in _plain(i["quote"]) or _plain(i["quote"]) in t for t in named)]
            if about and isinstance(f.evidence, dict) and f.evidence.get("shares"):
                direct = about
            elif about:  # not the total of a list nested in this one: it is checked on its own
                direct = about + [i for i in direct if i not in about
                                  and not NESTED_LIST_AFTER.match(doc.text, quotes[id(i)][1])]
            for i in direct or own:
                credited[id(i)].append(f)
        used = {id(f) for fs in credited.values() for f in fs}
        judged += [(item, credited[id(item)]) for item in file_items if id(item) in spans]
        unconfirmed += [(file, f) for f in findings
                        if id(f) not in used and f.severity in ABOVE_INFO and f.rule in claim_rules]
    return judged, unconfirmed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contradictions", type=Path, default=CLAIMS / "contradictions.jsonl")
    parser.add_argument("--texts", type=Path, default=None, help="directory of the files (default: ../shared/corpus)")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--show", action="store_true", help="list every statement and unconfirmed finding")
    parser.add_argument("--all-rules", action="store_true", help="audit with every rule, not only the claim rules")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.contradictions.read_text(encoding="utf-8").splitlines() if line.strip()]
    split_of = {f: s for f, (_b, s) in load_split(args.contradictions.parent / "split.tsv").items()}
    if args.split != "all":
        items = [i for i in items if split_of.get(i["file"], "dev") == args.split]
    judged, unconfirmed = judge(items, args.texts or SHARED, by_name=args.texts is not None,
                                 all_rules=args.all_rules)
    counts = collections.Counter()
    lines = []
    for item, hits in judged:
        if hits is None:
            counts["unlocated"] += 1
            lines.append(f"  ? {item['file']} [{item['quote']}] quote not found")
            continue
        strong = [f for f in hits if f.severity in ABOVE_INFO]
        if item["is_contradiction"]:
            counts["contradictions"] += 1
            counts["found"] += bool(hits)
            counts["found_above_info"] += bool(strong)
            mark = "found" if strong else "info " if hits else "MISS "
        else:
            counts["controls"] += 1
            counts["false_alarms"] += bool(strong)
            mark = "ALARM" if strong else "ok   "
        lines.append(f"  {mark} {item['file']} {item['kind']:12s} [{item['quote'][:40]}] "
                     + ("; ".join(f"{f.rule}/{f.severity}" for f in hits) or "-"))
    c = counts
    print(f"{len(items)} statements in {len({i['file'] for i in items})} reports: "
          f"{c['contradictions']} contradictions, {c['controls']} controls")
    if c["contradictions"]:
        print(f"  contradictions found: {c['found']}/{c['contradictions']} ({c['found'] / c['contradictions']:.0%}),"
              f" above info {c['found_above_info']}/{c['contradictions']}"
              f" ({c['found_above_info'] / c['contradictions']:.0%})")
    if c["controls"]:
        print(f"  controls with a finding above info: {c['false_alarms']}/{c['controls']}")
    print(f"  findings above info meeting no listed statement: {len(unconfirmed)}; quotes not found: {c['unlocated']}")
    if args.show:
        print("\n".join(lines))
        if unconfirmed:
            print("unconfirmed findings:")
            print("\n".join(f"  {file} {f.rule}/{f.severity}: {f.message[:120]}" for file, f in unconfirmed))


if __name__ == "__main__":
    main()
