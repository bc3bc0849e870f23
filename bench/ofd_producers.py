"""OFD files written by another producer than the project's own: are the cells and the text the PDF's?

The project's OFD samples come from its own writer (corpus/formats/make_samples.py), so its reading
of GB/T 33190 is on both sides. Here each PDF is turned into an OFD by easyofd (a third-party
writer on PyPI, text mode: positioned text objects, no ruling lines, runs spread over the line,
``size`` spelt in lower case), the OFD is read by the auditor, and its three statistical tables and
its text are compared with the PDF's:

- cells: the PDF's cells with a figure that the OFD gives the same figure;
- text: difflib's similarity of the two texts, whitespace removed (the order of a table read
  without its rules differs, so about 0.95 is the ceiling);
- sections: whether the OFD's sections are the PDF's.

easyofd is no dependency of the auditor (it pulls PyMuPDF and reportlab): install it in any
Python and name that interpreter. Both figures are against the PDF as read, not against truth.

    python -m venv /tmp/ofdw && /tmp/ofdw/bin/pip install easyofd
    python bench/ofd_producers.py --writer-python /tmp/ofdw/bin/python [PDF ...]
        (default: ../shared/corpus/real/pdf/*.pdf and the sample PDFs in corpus/)
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ocr_accuracy import cells_of  # noqa: E402

from auditor.structure import parse_file  # noqa: E402

# Run by the writer's interpreter: PDF path, OFD path.
WRITE_WITH_EASYOFD = """
import os, sys, tempfile
from easyofd.ofd import OFD
src, out = sys.argv[1], os.path.abspath(sys.argv[2])
data = open(src, "rb").read()
os.chdir(tempfile.mkdtemp())  # easyofd leaves its work files in the current directory
open(out, "wb").write(OFD().pdf2ofd(data, optional_text=True))
"""


def compare(pdf: Path, ofd: Path) -> tuple[int, int, float, bool]:
    a, b = parse_file(str(ofd), gate=False), parse_file(str(pdf), gate=False)
    truth = {k: v for k, v in cells_of(b).items() if v is not None}
    read = cells_of(a)
    same = sum(1 for k, v in truth.items() if read.get(k) == v)
    text = difflib.SequenceMatcher(None, "".join(a.text.split()), "".join(b.text.split()), autojunk=False).ratio()
    sections = sorted(s.key for s in a.sections) == sorted(s.key for s in b.sections)
    return same, len(truth), text, sections


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--writer-python", default=sys.executable, help="a Python with easyofd installed")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT.parent / "shared" / "corpus" / "real" / "pdf").glob("*.pdf")) \
        + sorted((ROOT / "corpus").glob("*.pdf"))
    total_same = total = 0
    with tempfile.TemporaryDirectory() as work:
        for pdf in pdfs:
            ofd = Path(work) / (pdf.stem + ".ofd")
            made = subprocess.run([args.writer_python, "-c", WRITE_WITH_EASYOFD, str(pdf), str(ofd)],
                                  capture_output=True, text=True, timeout=600)
            if made.returncode != 0 or not ofd.exists():
                print(f"{pdf.name}: easyofd could not write it ({made.stderr.strip().splitlines()[-1:]})")
                continue
            same, of, text, sections = compare(pdf, ofd)
            total_same, total = total_same + same, total + of
            print(f"{pdf.name:28s} cells {same}/{of}  text {text:.3f}  sections {'same' if sections else 'differ'}",
                  flush=True)
    if total:
        print(f"cells: {total_same}/{total} = {total_same / total:.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
