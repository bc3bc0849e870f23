"""OCR accuracy and speed on scans made by corpus/scans/make_scans.py.

    python corpus/scans/make_scans.py /tmp/scans            # once: the scans and their truth
    python bench/ocr_accuracy.py /tmp/scans [--only NAME] [--kinds scan,stamped,tif,heavy,unruled]

For every NAME.truth.pdf in the directory (the original PDF: its text layer is the truth) and each
scan of it (NAME.scan.pdf: every page an image; NAME.stamped.pdf: the last page an image;
NAME.tif: the pages as one TIFF; NAME.heavy.pdf: a poor copy, degraded until figures are
misread; NAME.unruled.pdf: the tables printed without rules), the scan is read, structured and audited like any report. Per file and overall:

- cells exact: table cells whose figure equals the truth's, of the truth's cells with a figure;
- misread: cells read as another figure, each in one of three classes: caught (a finding flags
  it as a probable reading error, 识别可能有误, checks/scanned.py, naming it first or among the
  other cells that could be the misread one; in table 二, which no identity checks, a figure
  named as a doubtful reading, TBL-OCR-ACTIVE: low confidence, a piece of another box's
  figures, an amount without its point on a coarse scan; in tables 三 and 四, a figure every
  identity through which has an unread cell, named so by TBL-OCR-UNCHECKED), blamed (an error-level
  finding on that cell blames the report for it: the worst outcome, must be 0) or silent
  (neither: no identity it is in failed, or a failure stayed below error level without the
  flag); "exact + caught" is what a reviewer can trust; missed: cells left blank or unreadable,
  caught when a finding names them as possibly lost (可能漏识别, TBL-OCR-UNREAD*: ink in the
  cell, or two identities agreeing on a figure other than 0 there); false flags:
  reading-error findings that name first a cell that was read right (and figures no identity
  checks named as doubtful that were read right, and cells named as possibly lost where the
  truth has no figure);
- errors blamed on the report: error findings on the scan that the truth's audit has not;
- narrative character accuracy: 1 − edit distance / length, over the text outside the three
  table sections, whitespace removed (the edit distance from difflib's alignment);
- seconds per OCR'd page (wall time of read + structure, on this machine as loaded).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.checks import run_checks  # noqa: E402
from auditor.errors import InputError  # noqa: E402
from auditor.model import Document  # noqa: E402
from auditor.rules.loader import load_rules  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

TABLE_SECTIONS = ("active", "applications", "appeals")


def cells_of(doc: Document) -> dict[str, object]:
    return {f"{t}.{r}.{c}": v for t, rows in doc.tables.items() for r, cols in rows.items()
            for c, v in cols.items()}


def narrative(doc: Document) -> str:
    spans = sorted((s.start, s.end) for s in doc.sections if s.key in TABLE_SECTIONS)
    out, pos = [], 0
    for start, end in spans:
        out.append(doc.text[pos:start])
        pos = max(pos, end)
    out.append(doc.text[pos:])
    return "".join("".join(out).split())


def edit_distance(a: str, b: str) -> int:
    distance = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            distance += max(i2 - i1, j2 - j1)
    return distance


def ocr_pages(doc: Document) -> int:
    boxes = getattr(doc.source_map, "boxes", ()) or ()
    return len({b.page for b in boxes if b.bbox is not None}) or len({b.page for b in boxes})


def measure(scan: Path, truth_doc: Document, truth_errors: set[str], rules) -> dict:
    started = time.perf_counter()
    doc = parse_file(str(scan), gate=False)
    seconds = time.perf_counter() - started
    pages = ocr_pages(doc)
    findings = run_checks(doc, rules).findings
    # A flag names the cell it holds most likely misread and every other cell that could be;
    # table 二, which no identity checks, names each figure read doubtfully
    # (TBL-OCR-ACTIVE, evidence["ocr_doubtful"]): each is flagged, and a false flag if read right.
    flagged = {f.evidence["ocr_misread"]["cell"] for f in findings if "ocr_misread" in f.evidence} \
        | {d["cell"] for f in findings for d in f.evidence.get("ocr_doubtful", ())}
    named = flagged | {a["cell"] for f in findings if "ocr_misread" in f.evidence
                       for a in f.evidence["ocr_misread"].get("alternatives", ())}
    truth_cells = {k: v for k, v in cells_of(truth_doc).items() if v is not None}
    got = cells_of(doc)
    exact = [k for k, v in truth_cells.items() if got.get(k) == v]
    misread = [k for k, v in truth_cells.items() if got.get(k) is not None and got.get(k) != v]
    missed = [k for k, v in truth_cells.items() if got.get(k) is None]
    caught = [k for k in misread if k in named]
    # Cells read blank or unreadable that a finding names as possibly lost (可能漏识别,
    # TBL-OCR-UNREAD*, evidence["ocr_unread"]): caught when the truth has a figure there, a false
    # flag when it has none.
    unread = {d["cell"] for f in findings for d in f.evidence.get("ocr_unread", ())}
    caught_missed = [k for k in truth_cells if got.get(k) is None and k in unread]
    blamed_cells = {c for f in findings if f.severity == "error" for c in f.cells}
    blamed_misread = [k for k in misread if k not in flagged and k in blamed_cells]
    false_flags = [k for k in flagged if k in truth_cells and got.get(k) == truth_cells[k]] \
        + sorted(k for k in unread if k not in truth_cells)
    doubtful = {d["cell"] for f in findings for d in f.evidence.get("ocr_doubtful", ())}
    errors = {f.fingerprint for f in findings if f.severity == "error"}
    blamed = [f for f in findings if f.severity == "error" and f.fingerprint not in truth_errors]
    want, read = narrative(truth_doc), narrative(doc)
    distance = edit_distance(want, read)
    return {"file": scan.name, "pages": pages, "seconds": seconds, "cells": len(truth_cells),
            "exact": len(exact), "misread": misread, "caught": caught, "blamed_misread": blamed_misread, "missed": missed,
            "caught_missed": caught_missed,
            "false_flags": false_flags, "false_doubtful": [k for k in false_flags if k in doubtful],
            "blamed": blamed, "errors": len(errors),
            "chars": len(want), "distance": distance, "got": got, "truth": truth_cells,
            "flagged": sorted(flagged)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--only", help="only reports whose name contains this")
    parser.add_argument("--kinds", default="scan,stamped", help="scan,stamped,tif,heavy,unruled (default scan,stamped)")
    args = parser.parse_args()
    directory = Path(args.directory)
    kinds = {"scan": ".scan.pdf", "stamped": ".stamped.pdf", "tif": ".tif", "heavy": ".heavy.pdf",
             "unruled": ".unruled.pdf"}
    rules = load_rules(None)
    totals = {"pages": 0, "seconds": 0.0, "cells": 0, "exact": 0, "misread": 0, "caught": 0, "blamed_misread": 0, "missed": 0,
              "caught_missed": 0,
              "false_flags": 0, "false_doubtful": 0, "blamed": 0, "chars": 0, "distance": 0, "ocr_seconds": 0.0}
    print(f"{'file':34} {'pages':>5} {'s/page':>7} {'cells':>11} {'misread':>8} {'caught':>6} "
          f"{'missed':>6} {'false':>5} {'blamed':>6} {'chars':>8}")
    for truth in sorted(directory.glob("*.truth.pdf")):
        name = truth.name[: -len(".truth.pdf")]
        if args.only and args.only not in name:
            continue
        truth_doc = parse_file(str(truth), gate=False)
        truth_errors = {f.fingerprint for f in run_checks(truth_doc, rules).findings if f.severity == "error"}
        for kind in args.kinds.split(","):
            scan = directory / (name + kinds[kind])
            if not scan.exists():
                continue
            try:
                m = measure(scan, truth_doc, truth_errors, rules)
            except InputError as exc:
                print(f"{scan.name:34} 读不了：{exc}")
                continue
            per_page = m["seconds"] / m["pages"] if m["pages"] else 0.0
            char_acc = 1 - m["distance"] / m["chars"] if m["chars"] else 1.0
            print(f"{m['file']:34} {m['pages']:5d} {per_page:7.1f} {m['exact']:5d}/{m['cells']:<5d} "
                  f"{len(m['misread']):8d} {len(m['caught']):6d} {len(m['missed']):6d} "
                  f"{len(m['false_flags']):5d} {len(m['blamed']):6d} {char_acc:8.2%}")
            for cell in m["misread"]:
                mark = "caught" if cell in m["caught"] else \
                    "BLAMED on the report" if cell in m["blamed_misread"] else "silent"
                print(f"    misread {cell}: {m['got'][cell]} (truth {m['truth'][cell]}) {mark}")
            for cell in m["missed"]:
                mark = " flagged as possibly lost" if cell in m["caught_missed"] else ""
                print(f"    missed  {cell}: blank (truth {m['truth'][cell]}){mark}")
            for cell in m["false_flags"]:
                print(f"    false flag {cell}")
            for f in m["blamed"][:5]:
                print(f"    blamed {f.rule}: {f.message[:90]}")
            for key in ("pages", "seconds", "cells", "exact", "chars", "distance"):
                totals[key] += m[key]
            for key in ("misread", "caught", "blamed_misread", "missed", "caught_missed", "false_flags", "false_doubtful",
                        "blamed"):
                totals[key] += len(m[key])
    if not totals["cells"] and not totals["chars"]:
        print("no scans found: make them with corpus/scans/make_scans.py DIR")
        return 1
    t = totals
    print()
    print(f"cells exact: {t['exact']}/{t['cells']} = {t['exact'] / max(1, t['cells']):.2%}; "
          f"with the probable misreads and possibly lost cells flagged: "
          f"{(t['exact'] + t['caught'] + t['caught_missed']) / max(1, t['cells']):.2%} "
          f"(missed {t['missed']}, of which flagged as possibly lost {t['caught_missed']}; false flags {t['false_flags']}, of which figures no identity checks "
          f"named as doubtful readings {t['false_doubtful']})")
    print(f"misread cells: {t['misread']}: flagged as possible misreads {t['caught']}, "
          f"blamed on the report {t['blamed_misread']}, silent {t['misread'] - t['caught'] - t['blamed_misread']}")
    print(f"narrative character accuracy: {1 - t['distance'] / max(1, t['chars']):.2%} "
          f"({t['distance']} edits over {t['chars']} characters)")
    print(f"errors blamed on the report that the truth has not: {t['blamed']}")
    print(f"seconds per page: {t['seconds'] / max(1, t['pages']):.1f} ({t['pages']} pages, "
          f"{os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
