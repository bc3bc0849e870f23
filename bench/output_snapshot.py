"""Snapshot what `auditor parse` (JSON) and `auditor audit --format json` print for every report of
the real corpus and the samples, to prove a change keeps the tool's behaviour identical.

    python bench/output_snapshot.py OUT_DIR            # write OUT_DIR/<name>.parse.json, .audit.json
    python bench/output_snapshot.py OUT_DIR --compare BEFORE_DIR

Both commands run in this process through the CLI app (the same code path as the command line,
without paying the start-up per file). With --compare, prints each file whose output differs and
"identical on N files" (the number of reports) when none does; the exit code is 1 on a difference.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from auditor.cli import app  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def reports() -> list[Path]:
    """Paths relative to the checkout (the command runs there), so that two checkouts side by
    side print the same source paths."""
    folders = [SHARED / "real" / "full", SHARED / "real" / "partial", SHARED / "real" / "pdf",
               SHARED / "seed", ROOT / "corpus"]
    return [Path(os.path.relpath(p, ROOT)) for folder in folders if folder.is_dir()
            for p in sorted(folder.iterdir()) if p.suffix in SUFFIXES and p.is_file()]


def snapshot_name(path: Path) -> str:
    return f"{path.parent.name}__{path.name}"


def write(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    runner = CliRunner()
    files = reports()
    for path in files:
        for command, args in (("parse", ["parse", str(path), "--format", "json"]),
                              ("audit", ["audit", str(path), "--format", "json", "--fail-on", "never"])):
            result = runner.invoke(app, args)
            # The exit code and stderr belong to the behaviour too.
            text = f"exit {result.exit_code}\n{result.stdout}"
            (out / f"{snapshot_name(path)}.{command}.json").write_text(text, encoding="utf-8")
    return len(files)


def compare(after: Path, before: Path) -> int:
    names = sorted(p.name for p in before.iterdir())
    differing = [n for n in names if not (after / n).is_file()
                 or (after / n).read_text(encoding="utf-8") != (before / n).read_text(encoding="utf-8")]
    for name in differing:
        print(f"differs: {name}")
    reports_count = len({n.rsplit(".", 2)[0] for n in names})
    if differing:
        print(f"{len(differing)} outputs differ ({reports_count} files)")
        return 1
    print(f"identical on {reports_count} files (parse JSON and audit JSON of each)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=lambda p: Path(p).resolve())
    parser.add_argument("--compare", type=lambda p: Path(p).resolve(), help="a snapshot taken before the change")
    args = parser.parse_args()
    count = write(args.out)
    print(f"{count} files written to {args.out}")
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
