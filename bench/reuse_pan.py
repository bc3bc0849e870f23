"""Copied-passage detection scored the way the PAN text-reuse task scores it.

Cases are built from the shared corpus (../shared/corpus) and the samples in corpus/:

- whole    a narrative paragraph of report X inserted, as its own paragraph, into report Y;
- edited   the same, with 10–20% of its characters changed (runs of 1–3 characters replaced,
           deleted or inserted);
- split    a paragraph of X cut in two at a random character, the parts inserted at two
           different places of Y (two cases);
- control  a paragraph of a held-out report (not in the index, sharing no 15-character run with
           any indexed report) inserted into Y: copied from nowhere, any detection is false.

Every report is indexed (CorpusIndex.build), and each modified Y' is queried under Y's own path,
so the original Y is never its source. X is always another body than Y (bodies by
`same_body`), and only `other_body` detections are scored.

Ground truth must stay clean although real reports already share text — the 平潭 reports copy
their own earlier years, and reports of different bodies share boilerplate. Two rules keep it
clean: (1) the same body's other years are never a case (X ≠ Y's body; same-body detections
are not scored); (2) characters of Y' outside the inserted cases that share a 15-character run
(numbers masked) with another body's indexed report are "pre-existing reuse": real, but not
labelled, so they are excluded from scoring on both sides, and a detection lying mostly (≥ 50%)
on them is not scored. That criterion is independent of the detector (plain shared substrings),
so it cannot flatter it. Their count is printed.

Scores (PAN-PC, Potthast et al. 2010), characters of the audited report, cases ≥ --min-chars:
precision = mean over detections of |detection ∩ cases| / |detection|, recall = mean over cases
of |case ∩ detections| / |case| (a detection counts for a case when it names X or its source
text has the case's wording), granularity = mean number of detections per detected case;
plagdet = F1 / log2(1 + granularity). Micro (character-pooled) figures are printed too.

    python bench/reuse_pan.py [--shared PATH] [--rounds N] [--seed S] [--min-chars 30]
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.errors import InputError  # noqa: E402
from auditor.model import Document, SourceText, TextBlock  # noqa: E402
from auditor.nlp.sentences import split_document  # noqa: E402
from auditor.similarity.index import CorpusIndex, normalize_agency, same_body  # noqa: E402
from auditor.similarity.passages import mask_numbers, narrative_passages  # noqa: E402
from auditor.similarity.template import blank_template, wording_chars  # noqa: E402
from auditor.structure import build_document, parse_file  # noqa: E402

SHARED_RUN = 15  # characters in common that make text "pre-existing reuse"
MIN_PARAGRAPH, MAX_PARAGRAPH = 30, 320
MIN_APART = 60
READABLE = (".txt", ".md", ".html", ".docx", ".pdf")


# --------------------------------------------------------------------------- corpus


def corpus_files(shared: str) -> list[str]:
    files = []
    for pattern in ("corpus/real/full/*.*", "corpus/real/partial/*.*", "corpus/real/pdf/*.pdf",
                    "corpus/seed/*.txt"):
        files += sorted(glob.glob(os.path.join(shared, pattern)))
    files += sorted(str(p) for p in (ROOT / "corpus").glob("*.*"))
    return [f for f in files if f.endswith(READABLE) and not os.path.basename(f).lower().startswith("readme")]


def load_corpus(shared: str) -> list[Document]:
    docs = []
    for path in corpus_files(shared):
        try:
            docs.append(parse_file(path))
        except InputError as exc:
            print(f"skipped {path}: {exc}", file=sys.stderr)
    return docs


def body_ids(docs: list[Document]) -> list[int]:
    """A body number per document (same_body is not transitive: first match wins)."""
    ids, heads = [], []
    for d in docs:
        for k, head in enumerate(heads):
            if same_body(d.meta.agency, head):
                ids.append(k)
                break
        else:
            ids.append(len(heads))
            # an anonymous report is a body of its own
            heads.append(d.meta.agency if normalize_agency(d.meta.agency) else None)
    return ids


def masked_stream(text: str) -> tuple[str, list[int]]:
    """Numbers masked, whitespace removed, with the offset of every kept character."""
    masked = mask_numbers(text)
    positions = [i for i, ch in enumerate(masked) if not ch.isspace()]
    return "".join(masked[i] for i in positions), positions


def shared_runs(docs: list[Document], bodies: list[int]) -> dict[str, set[int]]:
    """Every SHARED_RUN-character run of every report → the bodies that have it."""
    runs: dict[str, set[int]] = defaultdict(set)
    for d, b in zip(docs, bodies):
        stream, _ = masked_stream(d.text)
        for i in range(len(stream) - SHARED_RUN + 1):
            runs[stream[i:i + SHARED_RUN]].add(b)
    return runs


# --------------------------------------------------------------------------- paragraphs


def paragraphs(doc: Document) -> list[str]:
    """Runs of consecutive narrative sentences of one line (a paragraph), 30–320 characters,
    with no template sentence inside and not starting like a section heading."""
    passages = {p.start for p in narrative_passages(doc)}
    out = []
    by_line: dict[int, list] = defaultdict(list)
    for s in split_document(doc):
        by_line[doc.text.count("\n", 0, s.start)].append(s)
    for sentences in by_line.values():
        ok = all(s.start in passages or wording_chars(mask_numbers(blank_template(s.text))) < 8
                 and not blank_template(s.text).isspace() for s in sentences)
        if not ok or not any(s.start in passages for s in sentences):
            continue
        text = doc.text[sentences[0].start:sentences[-1].end]
        if MIN_PARAGRAPH <= len(text) <= MAX_PARAGRAPH and not re.match(r"\s*[一二三四五六七八九十]+、", text):
            out.append(text)
    return out


def edit(text: str, rng: random.Random, pool: str) -> str:
    """Change 10–20% of the characters: runs of 1–3 replaced, deleted or inserted."""
    chars = list(text)
    target = rng.uniform(0.10, 0.20) * len(text)
    changed = 0
    while changed < target:
        i = rng.randrange(len(chars))
        run = rng.randint(1, 3)
        op = rng.random()
        if op < 0.6:
            chars[i:i + run] = rng.choices(pool, k=run)
        elif op < 0.8 and len(chars) > run + 10:
            del chars[i:i + run]
        else:
            chars[i:i] = rng.choices(pool, k=run)
        changed += run
    return "".join(chars)


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    kind: str  # whole | edited | split | control
    text: str
    source_path: str | None  # None for a control
    source_text: str
    start: int = -1  # in Y'.text once placed
    end: int = -1


def insertion_points(doc: Document) -> list[int]:
    """Where a pasted paragraph can go inside the narrative sections: a line start after a line
    that ends a sentence, or right after a sentence end inside a long line (the paragraph is
    then put on a line of its own). Never inside brackets, never in a wrapped sentence."""
    points = []
    for s in doc.sections:
        if s.key not in ("overview", "active", "problems", "other"):
            continue
        for m in re.finditer(r"[。！？；]", doc.text[s.start:s.end]):
            pos = s.start + m.end()
            after = doc.text[pos:pos + 1]
            if after in ("\n", "") or not after.strip():
                nl = doc.text.find("\n", pos - 1)
                if nl >= 0 and nl + 1 < s.end and not doc.text[pos:nl].strip() and doc.text[nl + 1:nl + 2].strip():
                    points.append(nl + 1)
            elif after not in "”’）)》」』】":
                points.append(pos)
    return sorted(set(points))


def build_host(doc: Document, cases: list[Case], rng: random.Random) -> tuple[Document, list[Case]] | None:
    # Places at least MIN_APART characters apart: two cases pasted side by side would be one
    # copied passage for any detector.
    points = insertion_points(doc)
    rng.shuffle(points)
    chosen: list[int] = []
    for p in points:
        if all(abs(p - c) >= MIN_APART for c in chosen):
            chosen.append(p)
        if len(chosen) == len(cases):
            break
    if len(chosen) < len(cases):
        return None
    chosen.sort()
    pieces, last = [], 0
    for point, case in zip(chosen, cases):
        pieces.append(doc.text[last:point])
        at_line_start = point == 0 or doc.text[point - 1] == "\n"
        pieces.append(("" if at_line_start else "\n") + case.text + "\n")
        last = point
    pieces.append(doc.text[last:])
    text = "".join(pieces)
    host = build_document(SourceText(path=doc.path, format="txt", encoding="utf-8",
                                     blocks=(TextBlock(text),), title=doc.meta.title))
    # Locate every case in the parsed text (normalization may move offsets a little).
    cursor = 0
    for case in cases:
        at = host.text.find(case.text, cursor)
        if at < 0:
            return None
        case.start, case.end = at, at + len(case.text)
        cursor = case.end
    return host, cases


# --------------------------------------------------------------------------- scoring


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def detects(det, case: Case) -> bool:
    if overlap((det.start, det.end), (case.start, case.end)) == 0:
        return False
    if det.source_path == case.source_path:
        return True
    # Another report with the same wording (boilerplate shared by several bodies) is a fair source.
    a, b = mask_numbers(det.source_text), mask_numbers(case.source_text)
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size >= 15


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--rounds", type=int, default=3, help="modified copies of every host report")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-chars", type=int, default=30)
    parser.add_argument("--exact", choices=("auto", "yes", "no"), default="auto")
    parser.add_argument("--verbose", action="store_true", help="print misses and false detections")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    docs = load_corpus(args.shared)
    bodies = body_ids(docs)
    # Held out for controls: one report of every fifth single-report body.
    counts = defaultdict(int)
    for b in bodies:
        counts[b] += 1
    singles = [i for i, b in enumerate(bodies) if counts[b] == 1]
    held = set(singles[::5])
    indexed = [i for i in range(len(docs)) if i not in held]
    runs = shared_runs([docs[i] for i in indexed], [bodies[i] for i in indexed])
    pool = "".join(sorted({ch for d in docs for ch in d.text if "\u4e00" <= ch <= "\u9fff"}))
    para = {i: paragraphs(docs[i]) for i in range(len(docs))}
    controls = []
    for i in held:
        for p in para[i]:
            stream, _ = masked_stream(p)
            if not any(stream[k:k + SHARED_RUN] in runs for k in range(len(stream) - SHARED_RUN + 1)):
                controls.append((docs[i].path, p))

    exact = {"auto": None, "yes": True, "no": False}[args.exact]
    t0 = time.perf_counter()
    index = CorpusIndex.build([docs[i] for i in indexed], exact=exact)
    build_s = time.perf_counter() - t0
    print(f"index: {len(indexed)} reports, {index.passage_count} passages, exact={index.exact}, "
          f"built in {build_s:.2f} s; held out {len(held)} reports, {len(controls)} control paragraphs")

    hosts = [i for i in indexed if docs[i].format != "pdf" and len(insertion_points(docs[i])) >= 8]
    cases_all: list[Case] = []
    dets_all = []  # (detection, excluded mask, cases of its host)
    per_kind = defaultdict(lambda: [0, 0])  # kind -> [case chars, detected chars]
    excluded_chars = 0
    query_ms = []
    for round_ in range(args.rounds):
        for h in hosts:
            others = [i for i in indexed if bodies[i] != bodies[h] and para[i]]
            x1, x2, x3 = (rng.choice(others) for _ in range(3))
            p_whole = rng.choice(para[x1])
            p_edit = rng.choice(para[x2])
            p_split = rng.choice(para[x3])
            cut = rng.randint(int(len(p_split) * 0.35), int(len(p_split) * 0.65))
            cases = [Case("whole", p_whole, docs[x1].path, p_whole),
                     Case("edited", edit(p_edit, rng, pool), docs[x2].path, p_edit),
                     Case("split", p_split[:cut], docs[x3].path, p_split[:cut]),
                     Case("split", p_split[cut:], docs[x3].path, p_split[cut:])]
            if controls:
                path, text = rng.choice(controls)
                cases.append(Case("control", text, None, text))
            rng.shuffle(cases)
            built = build_host(docs[h], cases, rng)
            if built is None:
                continue
            host, cases = built
            t = time.perf_counter()
            detections = [m for m in index.query(host, min_chars=args.min_chars) if m.relation == "other_body"]
            query_ms.append((time.perf_counter() - t) * 1000)

            # Characters not scored: pre-existing reuse outside the cases, and short cases.
            excluded = bytearray(len(host.text))
            inside = bytearray(len(host.text))
            for c in cases:
                inside[c.start:c.end] = b"\x01" * (c.end - c.start)
                if c.kind != "control" and c.end - c.start < args.min_chars:
                    excluded[c.start:c.end] = b"\x01" * (c.end - c.start)
            stream, pos = masked_stream(host.text)
            for k in range(len(stream) - SHARED_RUN + 1):
                owners = runs.get(stream[k:k + SHARED_RUN])
                if owners and owners - {bodies[h]}:
                    a, b = pos[k], pos[k + SHARED_RUN - 1] + 1
                    if not any(inside[a:b]):
                        excluded[a:b] = b"\x01" * (b - a)
            excluded_chars += sum(excluded)
            scored = [c for c in cases if c.kind != "control" and c.end - c.start >= args.min_chars]
            for c in scored:
                cases_all.append(c)
                hit = bytearray(c.end - c.start)
                for d in detections:
                    if detects(d, c):
                        a, b = max(d.start, c.start), min(d.end, c.end)
                        hit[a - c.start:b - c.start] = b"\x01" * (b - a)
                per_kind[c.kind][0] += len(hit)
                per_kind[c.kind][1] += sum(hit)
                c.detected = sum(hit)  # type: ignore[attr-defined]
                c.detections = sum(1 for d in detections if detects(d, c))  # type: ignore[attr-defined]
                if args.verbose and sum(hit) < 0.9 * len(hit):
                    print(f"MISS {c.kind} {sum(hit)}/{len(hit)} in {host.path}: {c.text[:80]!r} <- {c.source_path}")
            for d in detections:
                true = bytearray(d.end - d.start)
                for c in scored:
                    if detects(d, c):
                        a, b = max(d.start, c.start), min(d.end, c.end)
                        true[a - d.start:b - d.start] = b"\x01" * (b - a)
                counted = [k for k in range(d.start, d.end) if not excluded[k]]
                if len(counted) < 0.5 * (d.end - d.start):
                    continue  # a detection of pre-existing reuse: not labelled, not scored
                good = sum(1 for k in counted if true[k - d.start])
                dets_all.append((len(counted), good))
                if args.verbose and good < 0.9 * len(counted):
                    print(f"FALSE {good}/{len(counted)} in {host.path} [{d.start},{d.end}) {d.text[:60]!r} "
                          f"<- {d.source_path} {d.source_text[:60]!r} sim={d.similarity}")

    recall = sum(c.detected / (c.end - c.start) for c in cases_all) / max(1, len(cases_all))
    precision = sum(g / n for n, g in dets_all) / max(1, len(dets_all))
    detected_cases = [c for c in cases_all if c.detected]
    granularity = sum(c.detections for c in detected_cases) / max(1, len(detected_cases))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    plagdet = f1 / math.log2(1 + granularity) if granularity else 0.0
    micro_r = sum(c.detected for c in cases_all) / max(1, sum(c.end - c.start for c in cases_all))
    micro_p = sum(g for _, g in dets_all) / max(1, sum(n for n, _ in dets_all))
    query_ms.sort()
    print(f"cases ≥ {args.min_chars} chars: {len(cases_all)} "
          f"({', '.join(f'{k} {sum(1 for c in cases_all if c.kind == k)}' for k in ('whole', 'edited', 'split'))}); "
          f"detections scored: {len(dets_all)}; pre-existing reuse excluded: {excluded_chars} chars")
    print(f"precision {precision:.4f}  recall {recall:.4f}  granularity {granularity:.4f}  plagdet {plagdet:.4f}")
    print(f"micro precision {micro_p:.4f}  micro recall {micro_r:.4f}")
    for kind, (total, hit) in sorted(per_kind.items()):
        print(f"  recall {kind:<7} {hit / max(1, total):.4f}  ({total} chars)")
    print(f"query ms: median {query_ms[len(query_ms) // 2]:.1f}, p95 {query_ms[int(len(query_ms) * 0.95)]:.1f}")
    ok = precision >= 0.95 and recall >= 0.95 and granularity <= 1.1
    print("targets P ≥ 0.95, R ≥ 0.95, granularity ≤ 1.1:", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
