"""Parse accuracy against ground truth.

Compares `auditor parse` output with every ../shared/corpus/**/*.truth.json (a real/pdf/NNN.pdf
shares the truth of real/full/NNN) and with the project's own samples (corpus/truth/*.truth.json).
Prints, per file and overall: truth cells read exactly / truth cells, nulls right, sections right,
template right; then every missed cell with what was read.

    python bench/parse_accuracy.py [--shared PATH] [--quiet]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.errors import InputError  # noqa: E402
from auditor.structure import parse_file  # noqa: E402

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def truth_pairs(shared: Path) -> list[tuple[str, Path, str]]:
    """(group, truth file, report file) for every report that has ground truth."""
    pairs = []
    for truth in sorted(glob.glob(str(shared / "corpus" / "**" / "*.truth.json"), recursive=True)):
        base = truth[: -len(".truth.json")]
        group = "seed" if "/seed/" in truth else "real"
        for suffix in REPORT_SUFFIXES:
            if os.path.exists(base + suffix):
                pairs.append((group, Path(truth), base + suffix))
        pdf = Path(base).parent.parent / "pdf" / (Path(base).name + ".pdf")
        if pdf.exists():
            pairs.append((group, Path(truth), str(pdf)))
    for truth in sorted(glob.glob(str(ROOT / "corpus" / "truth" / "*.truth.json"))):
        name = Path(truth).name[: -len(".truth.json")]
        for suffix in REPORT_SUFFIXES:
            report = ROOT / "corpus" / (name + suffix)
            if report.exists():
                pairs.append(("sample", Path(truth), str(report)))
    return pairs


def compare(truth: dict, doc: dict) -> dict:
    cells = exact = nulls = nulls_right = 0
    misses = []
    for table, rows in truth.get("tables", {}).items():
        got_rows = doc["tables"].get(table, {})
        for row, cols in rows.items():
            for col, want in cols.items():
                got = got_rows.get(row, {}).get(col, "∅") if isinstance(got_rows.get(row), dict) else "∅"
                cells += 1
                ok = (got is None and want is None) or (
                    isinstance(got, (int, float)) and isinstance(want, (int, float)) and abs(got - want) < 1e-9)
                exact += ok
                if want is None:
                    nulls += 1
                    nulls_right += ok
                if not ok:
                    misses.append(f"{table}.{row}.{col}: truth {want!r}, read {got!r}")
    want_sections = set(truth.get("sections_present", []))
    got_sections = {s["key"] for s in doc["sections"]}
    want_template = truth.get("meta", {}).get("template")
    return {"cells": cells, "exact": exact, "nulls": nulls, "nulls_right": nulls_right,
            "sections_right": want_sections == got_sections,
            "sections_detail": (sorted(want_sections - got_sections), sorted(got_sections - want_sections)),
            "template_right": want_template == doc["meta"]["template"],
            "template_detail": (want_template, doc["meta"]["template"]), "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args()
    pairs = truth_pairs(Path(args.shared))
    totals: dict[str, dict] = {}
    all_misses = []
    print(f"{'file':<44} {'cells':>11} {'nulls':>9} {'sections':>8} {'template':>8}")
    for group, truth_path, report in pairs:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            doc = parse_file(report).to_json()
        except InputError as exc:
            print(f"{report}: {exc}")
            continue
        except Exception as exc:  # a crash is a result to report, not a reason to stop measuring
            print(f"{report}: CRASH {type(exc).__name__}: {exc}")
            all_misses.append(f"{report}: crashed ({type(exc).__name__}: {exc})")
            continue
        r = compare(truth, doc)
        name = os.path.relpath(report, ROOT.parent)
        print(f"{name:<44} {r['exact']:>5}/{r['cells']:<5} {r['nulls_right']:>4}/{r['nulls']:<4} "
              f"{'ok' if r['sections_right'] else 'WRONG':>8} {'ok' if r['template_right'] else 'WRONG':>8}")
        if not r["sections_right"]:
            all_misses.append(f"{name}: sections missing {r['sections_detail'][0]}, extra {r['sections_detail'][1]}")
        if not r["template_right"]:
            all_misses.append(f"{name}: template truth {r['template_detail'][0]}, read {r['template_detail'][1]}")
        all_misses.extend(f"{name}: {m}" for m in r["misses"])
        kind = "pdf" if report.endswith(".pdf") else ("html" if report.endswith((".html", ".htm")) else
                                                      "docx" if report.endswith(".docx") else "text")
        for key in (group, f"{group}/{kind}", "all"):
            t = totals.setdefault(key, {"files": 0, "cells": 0, "exact": 0, "nulls": 0, "nulls_right": 0,
                                        "sections": 0, "templates": 0})
            t["files"] += 1
            for k in ("cells", "exact", "nulls", "nulls_right"):
                t[k] += r[k]
            t["sections"] += r["sections_right"]
            t["templates"] += r["template_right"]
    print()
    for key in sorted(totals):
        t = totals[key]
        pct = 100.0 * t["exact"] / t["cells"] if t["cells"] else 100.0
        print(f"{key:<14} files {t['files']:>3}  cells {t['exact']}/{t['cells']} = {pct:6.2f}%  "
              f"nulls {t['nulls_right']}/{t['nulls']}  sections {t['sections']}/{t['files']}  "
              f"template {t['templates']}/{t['files']}")
    if all_misses and not args.quiet:
        print("\nmisses:")
        for m in all_misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
