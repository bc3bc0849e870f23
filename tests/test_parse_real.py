"""Parsing the real reports of the shared corpus against their ground truth."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from auditor.structure import parse_file
from conftest import SHARED, load_truth

TRUTHS = sorted(glob.glob(str(SHARED / "real" / "full" / "*.truth.json"))) + sorted(
    glob.glob(str(SHARED / "seed" / "*.truth.json")))


def _report_for(truth: str) -> str:
    base = truth[: -len(".truth.json")]
    for suffix in (".txt", ".html", ".md"):
        if Path(base + suffix).exists():
            return base + suffix
    raise AssertionError(f"no report for {truth}")


def _ambiguous_cells(doc) -> set[str]:
    return {c for d in doc.diagnostics if d.kind == "split_ambiguous" for c in d.cells}


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: Path(p).name.split(".")[0])
def test_every_cell_is_exact_or_reported_ambiguous(shared, truth_path):
    truth = load_truth(Path(truth_path))
    report = _report_for(truth_path)
    if report.endswith(".html"):
        pytest.importorskip("auditor.read.html")
    doc = parse_file(report)
    ambiguous = _ambiguous_cells(doc)
    wrong = []
    for table, rows in truth["tables"].items():
        for row, cols in rows.items():
            for col, want in cols.items():
                got = doc.tables.get(table, {}).get(row, {}).get(col, "missing")
                path = f"{table}.{row}.{col}"
                if got == want and (got is None) == (want is None):
                    continue
                if got is None and path in ambiguous:
                    continue  # reported as ambiguous: acceptable, a guess would not be
                wrong.append(f"{path}: truth {want!r}, read {got!r}")
    assert not wrong, "\n".join(wrong)
    # A table the truth lacks is {} (2008 layout); one it has is never empty.
    for table, rows in truth["tables"].items():
        assert bool(doc.tables.get(table)) == bool(rows), table


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: Path(p).name.split(".")[0])
def test_sections_template_and_meta(shared, truth_path):
    truth = load_truth(Path(truth_path))
    report = _report_for(truth_path)
    if report.endswith(".html"):
        pytest.importorskip("auditor.read.html")
    doc = parse_file(report)
    assert {s.key for s in doc.sections} == set(truth["sections_present"])
    assert doc.meta.template == truth["meta"]["template"]
    assert doc.meta.year == truth["meta"]["year"]
    assert doc.meta.title == truth["meta"]["title"]
    # Sections are ordered, disjoint and index the normalized text.
    last_end = 0
    for s in doc.sections:
        assert last_end <= s.start < s.end <= len(doc.text)
        assert doc.text[s.start:s.start + len(s.title)] == s.title
        last_end = s.end


def test_ambiguous_runs_are_reported_not_guessed(shared):
    """平潭 2020 prints table 二 as glued digits ("396442278"); no identity decides them."""
    doc = parse_file(str(shared / "real" / "full" / "013.txt"))
    licensing = doc.tables["active"]["licensing"]
    assert licensing == {"previous": None, "change": None, "decisions": None}
    diags = [d for d in doc.diagnostics if "active.licensing.previous" in d.cells]
    assert diags and diags[0].kind == "split_ambiguous"
    assert ["396", "442", "278"] in diags[0].detail["readings"]


def test_glued_rows_split_by_column_identities(shared):
    """"220000022" alone reads 22/0/…/22 or 2/20/…/22; only the column sums decide (平潭 2023)."""
    doc = parse_file(str(shared / "real" / "full" / "009.txt"))
    assert doc.tables["applications"]["granted"]["natural_person"] == 22
    assert doc.tables["applications"]["granted"]["commercial"] == 0
    assert doc.tables["applications"]["partly_granted"]["commercial"] == 1
    assert not [d for d in doc.diagnostics if d.kind == "split_ambiguous"]


def test_seed_blank_applicant_cells_are_null_not_zero(shared):
    doc = parse_file(str(shared / "seed" / "000_04e17e8ef65a0743.txt"))
    row = doc.tables["applications"]["new_received"]
    assert row["total"] == 0
    assert all(row[c] is None for c in ("natural_person", "commercial", "research", "social_org",
                                        "legal_service", "other_org"))
    assert doc.tables["appeals"]["review"]["total"] == 0
    assert doc.tables["appeals"]["litigation_direct"]["total"] is None


@pytest.mark.parametrize("path", sorted(glob.glob(str(SHARED / "real" / "partial" / "*.txt"))),
                         ids=lambda p: Path(p).stem)
def test_every_partial_report_parses(shared, path):
    doc = parse_file(path)
    assert doc.text
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(doc.text)
    for table in doc.tables.values():
        for row in table.values():
            for v in row.values():
                assert v is None or isinstance(v, (int, float))


def test_one_cell_per_line_with_padding_cells(shared):
    # real/partial/022 prints each cell on its own line ("0 |"), some lines padded with empty
    # cells ("0 | ||"): the rows must still gather their cells, not stop after the first one.
    doc = parse_file(str(shared / "real" / "partial" / "022.txt"))
    active = doc.tables["active"]
    assert active["normative_documents"] == {"issued": 5, "repealed": 12, "in_force": 8}
    assert active["regulations"] == {"issued": 0, "repealed": 0, "in_force": None}
