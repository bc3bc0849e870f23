"""CSV injection: no cell the tool writes from a report may run as a formula in a spreadsheet
(OWASP: = + - @, tab, carriage return; here also the full-width forms and leading blanks), while
numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from auditor.batch.csv_cells import csv_cell
from auditor.batch.run import write_csv

HOSTILE = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠A1", " =1", "\u3000=1",
           "\n@x"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_gets_a_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["某县人民政府", "2023年报告.txt", "1-2", "a=b", "", "（一）"])
def test_plain_text_is_unchanged(text):
    assert csv_cell(text) == text


def test_numbers_stay_numbers():
    assert csv_cell(-1.5) == -1.5 and csv_cell(0) == 0 and csv_cell(None) == ""


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_reports_csv_neutralises_every_text_cell(tmp_path):
    """Every text column from a report (file name, body, template, cause) is made inert; the numeric
    columns are written as plain numbers."""
    row = {"path": "@cmd.txt", "page": 1, "href": "reports/1.html", "agency": "－SUM(1)",
           "year": 2023, "template": "=2021", "score": -1.5, "assessed": 0.5, "status": "error",
           "error": "\t=HYPERLINK(\"http://x\")", "categories": {"table": 2}, "severities": {"error": 2}}
    [out] = _read(write_csv([row], tmp_path / "r.csv"))
    assert out["报告"] == "'@cmd.txt" and out["机关"] == "'－SUM(1)" and out["格式"] == "'=2021"
    assert out["原因"] == "'\t=HYPERLINK(\"http://x\")"
    assert out["得分"] == "-1.5" and out["可评估比例"] == "0.5" and out["年度"] == "2023"
    assert out["发现数"] == "2" and out["审核页"] == "reports/1.html"
