"""`auditor batch`: a whole corpus into SQLite + CSV + HTML index, resumable."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _batch(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", "batch", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=600,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def batch_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    (tmp / "corpus" / "broken.pdf").write_bytes(b"this is not a pdf at all")
    first = _batch(tmp, "corpus", "--out", "out", "--workers", "2")
    first_csv = _csv(tmp / "out" / "reports.csv")
    first_rows = _db_rows(tmp / "out" / "auditor.db")
    second = _batch(tmp, "corpus", "--out", "out", "--workers", "2")
    return tmp, first, first_csv, first_rows, second


def _db_rows(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {row[0]: row[1:] for row in conn.execute(
            "SELECT path, run_id, status, score, sha256 FROM documents")}
    finally:
        conn.close()


def test_first_run_scores_everything_and_records_broken_file(batch_runs):
    tmp, first, rows, _, _ = batch_runs
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""  # progress and summary only on stderr
    assert "解析" in first.stderr and "份/秒" in first.stderr
    reports = [p for p in (tmp / "corpus").iterdir()
               if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"} and p.name.lower() != "readme.md"]
    assert len(rows) == len(reports)  # one CSV row per report
    by_path = {Path(r["path"]).name: r for r in rows}
    broken = by_path["broken.pdf"]
    assert broken["status"] == "error" and "broken.pdf" in broken["error"] and broken["score"] == ""
    for name, row in by_path.items():
        if name != "broken.pdf":
            assert row["status"] == "ok", row
            assert 0 <= float(row["score"]) <= 100
            assert row["agency"] and row["year"]
    assert {"category_table", "severity_error"} <= set(rows[0])


def test_database_is_wal_schema_v1_and_findings_match_csv(batch_runs):
    tmp, _, rows, _, _ = batch_runs
    conn = sqlite3.connect(tmp / "out" / "auditor.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        counts = dict(conn.execute("SELECT path, COUNT(*) FROM findings GROUP BY path"))
    finally:
        conn.close()
    for row in rows:
        assert int(row["findings"]) == counts.get(row["path"], 0)


def test_second_run_skips_unchanged_files_with_identical_results(batch_runs):
    tmp, _, first_csv, first_rows, second = batch_runs
    assert second.returncode == 0, second.stderr
    assert "新审核 0 份" in second.stderr
    rows = _db_rows(tmp / "out" / "auditor.db")
    for path, (run_id, status, score, sha) in rows.items():
        if status == "ok":
            assert run_id == first_rows[path][0] == 1  # not re-scored by run 2
        assert (status, score, sha) == first_rows[path][1:]
    assert _csv(tmp / "out" / "reports.csv") == first_csv
    conn = sqlite3.connect(tmp / "out" / "auditor.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0] == 2
    finally:
        conn.close()


def test_changed_file_is_rescored(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assert _batch(tmp_path, "corpus", "--out", "out", "--workers", "1").returncode == 0
    target = tmp_path / "corpus" / "qingxi-county-2023.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = _batch(tmp_path, "corpus", "--out", "out", "--workers", "1")
    assert again.returncode == 0 and "新审核 1 份" in again.stderr
    rows = _db_rows(tmp_path / "out" / "auditor.db")
    assert rows["corpus/qingxi-county-2023.txt"][0] == 2
    assert {r[0] for p, r in rows.items() if p != "corpus/qingxi-county-2023.txt"} == {1}


def test_index_links_every_page_and_is_offline(batch_runs):
    tmp, _, rows, _, _ = batch_runs
    index = (tmp / "out" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(reports/\d+\.html)"', index))
    ok = [r for r in rows if r["status"] == "ok"]
    assert len(links) == len(ok)
    for link in links:
        page = (tmp / "out" / link).read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://|//[a-z]", index, re.I)
    assert "<svg" in index and "<script>" in index
    assert "broken.pdf" in index


def test_bad_usage_exits_2(tmp_path):
    missing = _batch(tmp_path, "nope", "--out", "out")
    assert missing.returncode == 2 and "nope" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = _batch(tmp_path, "empty", "--out", "out")
    assert empty.returncode == 2 and "没有报告" in empty.stderr
