"""Every evidence key the OCR checks write or read, and every kind of parse note the reading of
scans gives, is documented in docs/ocr-evidence.md (the shared contract does not list them).

The keys are collected from the source, so a key added to a check without a line in the docs
fails here: string keys of evidence subscripts, of `evidence.get(...)`, of `"key" in evidence`,
and of dict literals in the OCR checks (auditor/checks/scanned*.py: the nested keys of
ocr_misread and the like); the first argument of every Diagnostic(...) in the modules that read
scans; and the keys of a ScanBox in JSON.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from auditor.model import ScanBox

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ocr-evidence.md"
CHECKS = sorted((ROOT / "auditor" / "checks").glob("scanned*.py"))
READERS = [*sorted((ROOT / "auditor" / "read").glob("scan*.py")), ROOT / "auditor" / "read" / "image.py",
           ROOT / "auditor" / "read" / "ofd.py", ROOT / "auditor" / "structure" / "tables" / "align.py"]


def _is_evidence(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "evidence") or \
        (isinstance(node, ast.Attribute) and node.attr == "evidence")


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def evidence_keys(source: str) -> set[str]:
    """The evidence keys a check's source writes or reads (see the module docstring)."""
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_evidence(node.value) and _text(node.slice):
            keys.add(_text(node.slice))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and _is_evidence(node.func.value) and node.args and _text(node.args[0]):
            keys.add(_text(node.args[0]))
        elif isinstance(node, ast.Compare) and _text(node.left) and any(_is_evidence(c) for c in node.comparators):
            keys.add(_text(node.left))
        elif isinstance(node, ast.Dict):
            keys.update(_text(k) for k in node.keys if k is not None and _text(k))
    return keys


def diagnostic_kinds(source: str) -> set[str]:
    return {_text(node.args[0]) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Diagnostic"
            and node.args and _text(node.args[0])}


def documented() -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_.-]*)`", DOC.read_text(encoding="utf-8")))


def test_the_collector_finds_a_key_written_read_or_nested_and_a_note_kind():
    source = ('evidence["ocr_new"] = {"page": 1, "nested_key": 2}\n'
              'x = finding.evidence.get("ocr_read")\n'
              'y = "ocr_tested" in f.evidence\n'
              'notes.append(Diagnostic("scan_new_note", "…"))\n')
    assert evidence_keys(source) == {"ocr_new", "page", "nested_key", "ocr_read", "ocr_tested"}
    assert diagnostic_kinds(source) == {"scan_new_note"}


def test_every_evidence_key_of_the_ocr_checks_is_documented():
    keys = set().union(*(evidence_keys(path.read_text(encoding="utf-8")) for path in CHECKS))
    # The known ones are there (the collector reads what the checks write).
    assert {"ocr", "ocr_misread", "ocr_unsure", "ocr_unlocated", "ocr_coarse_blanks", "ocr_label_guessed",
            "together", "alternatives", "scan_dpi", "left_cells", "implied_blanks", "ocr_doubtful"} <= keys
    missing = sorted(keys - documented())
    assert not missing, f"docs/ocr-evidence.md does not document {missing}"


def test_every_parse_note_of_reading_a_scan_is_documented():
    kinds = set().union(*(diagnostic_kinds(path.read_text(encoding="utf-8")) for path in READERS))
    assert {"row_label_guessed", "scan_not_read"} <= kinds
    missing = sorted((kinds | {"cell_unreadable"}) - documented())
    assert not missing, f"docs/ocr-evidence.md does not document {missing}"


def test_a_scan_box_in_json_is_documented_and_scanned_ofd_is_named():
    keys = set(ScanBox(1, (0, 0, 1, 1), "0", 1.0, 200, 100).to_json())
    assert not sorted(keys - documented())
    text = DOC.read_text(encoding="utf-8")
    assert "扫描的 OFD" in text and "`ofd`" in text


def test_the_readme_links_the_evidence_keys_page():
    assert "docs/ocr-evidence.md" in (ROOT / "README.md").read_text(encoding="utf-8")
