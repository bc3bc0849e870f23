"""`auditor batch`: a whole corpus into SQLite + CSV + HTML index, resumable."""

from __future__ import annotations

import csv
import re
import json
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
    # A batch with a file it could not read says so in its status (2, as `audit` does for
    # unreadable input) and by name, after writing everything else.
    assert first.returncode == 2, first.stderr
    assert first.stdout == ""  # progress and summary only on stderr
    assert "解析" in first.stderr and "份/秒" in first.stderr
    summary = first.stderr[first.stderr.index("完成："):]
    assert "无法读取或审核 1 份" in summary and "corpus/broken.pdf" in summary and "不是 PDF" in summary
    reports = [p for p in (tmp / "corpus").iterdir()
               if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"} and p.name.lower() != "readme.md"]
    assert len(rows) == len(reports)  # one CSV row per report
    by_path = {Path(r["报告"]).name: r for r in rows}
    broken = by_path["broken.pdf"]
    assert broken["状态"] == "无法读取或审核" and "broken.pdf" in broken["原因"] and broken["得分"] == ""
    assert broken["审核页"] == ""
    for name, row in by_path.items():
        if name != "broken.pdf":
            assert row["状态"] == "已审核", row
            assert 0 <= float(row["得分"]) <= 100
            assert 0 < float(row["可评估比例"]) <= 1
            assert row["机关"] and row["年度"]
            # the link to the report's page, relative to the CSV
            assert re.fullmatch(r"reports/\d+\.html", row["审核页"]) and (tmp / "out" / row["审核页"]).is_file()
    assert list(rows[0])[:10] == ["报告", "审核页", "机关", "年度", "格式", "得分", "可评估比例", "状态", "原因", "发现数"]
    assert {"表格类", "雷同类", "错误", "提示"} <= set(rows[0])


def test_database_is_wal_schema_v5_and_findings_match_csv(batch_runs):
    tmp, _, rows, _, _ = batch_runs
    conn = sqlite3.connect(tmp / "out" / "auditor.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
        counts = dict(conn.execute("SELECT path, COUNT(*) FROM findings GROUP BY path"))
    finally:
        conn.close()
    for row in rows:
        assert int(row["发现数"]) == counts.get(row["报告"], 0)


def test_second_run_skips_unchanged_files_with_identical_results(batch_runs):
    tmp, _, first_csv, first_rows, second = batch_runs
    # the broken file's result is reused, and the batch still lacks it: same status, same name
    assert second.returncode == 2, second.stderr
    assert "新审核 0 份" in second.stderr and "无法读取或审核 1 份" in second.stderr
    assert "corpus/broken.pdf" in second.stderr[second.stderr.index("完成："):]
    rows = _db_rows(tmp / "out" / "auditor.db")
    for path, (run_id, status, score, sha) in rows.items():
        assert run_id == first_rows[path][0] == 1  # not re-scored (nor re-read) by run 2
        assert (status, score, sha) == first_rows[path][1:]
    assert _csv(tmp / "out" / "reports.csv") == first_csv
    conn = sqlite3.connect(tmp / "out" / "auditor.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0] == 2
    finally:
        conn.close()


def test_changed_file_rescores_its_neighbours_with_corpus_checks_and_only_itself_without(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    for mode, out in (("--corpus", "with"), ("--no-corpus", "without")):
        assert _batch(tmp_path, "corpus", "--out", out, "--workers", "1", mode).returncode == 0
    target = tmp_path / "corpus" / "qingxi-county-2023.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    # A changed report can change the copy and continuity findings of others: each of them is
    # planned against the new index. Here the document reads the same (a newline added at the
    # end), so no other report's plan moves and only the changed file is checked again.
    again = _batch(tmp_path, "corpus", "--out", "with", "--workers", "1", "--corpus")
    assert again.returncode == 0 and "新审核 1 份" in again.stderr, again.stderr
    assert "10 份已审核的报告重新比对，其中 0 份的比对对象改变" in again.stderr, again.stderr
    assert "解析：共 1 份" in again.stderr  # the others come from the parse cache
    rows = _db_rows(tmp_path / "with" / "auditor.db")
    assert {p for p, r in rows.items() if r[0] == 2} == {"corpus/qingxi-county-2023.txt"}

    # Without corpus checks each report depends on itself alone.
    again = _batch(tmp_path, "corpus", "--out", "without", "--workers", "1", "--no-corpus")
    assert again.returncode == 0 and "新审核 1 份" in again.stderr, again.stderr
    rows = _db_rows(tmp_path / "without" / "auditor.db")
    assert rows["corpus/qingxi-county-2023.txt"][0] == 2
    assert {r[0] for p, r in rows.items() if p != "corpus/qingxi-county-2023.txt"} == {1}


def test_index_links_every_page_and_is_offline(batch_runs):
    tmp, _, rows, _, _ = batch_runs
    index = (tmp / "out" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(reports/\d+\.html)"', index))
    ok = [r for r in rows if r["状态"] == "已审核"]
    assert len(links) == len(ok) == len({r["审核页"] for r in ok})
    for link in links:
        page = (tmp / "out" / link).read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert 'href="../index.html"' in page  # each page links back to the index
    assert not re.search(r"https?://|//[a-z]", index, re.I)
    assert "<svg" in index and "<script>" in index
    # the file that could not be read is named, with its reason, before the table
    failures = index[index.index('id="failures"'):index.index('id="reports-table"')]
    assert "corpus/broken.pdf" in failures and "不是 PDF" in failures


def test_bad_usage_exits_2(tmp_path):
    missing = _batch(tmp_path, "nope", "--out", "out")
    assert missing.returncode == 2 and "nope" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = _batch(tmp_path, "empty", "--out", "out")
    assert empty.returncode == 2 and "没有报告" in empty.stderr


def test_index_charts_rules_and_the_passage_copied_across_bodies(tmp_path):
    """Two bodies publishing the same report: the copied passage heads the chart of most-copied
    passages, and the rules chart counts what the database holds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = (ROOT / "corpus" / "qingxi-county-2023.txt").read_text(encoding="utf-8")
    (corpus / "qingxi-2023.txt").write_text(original, encoding="utf-8")
    (corpus / "songbai-2023.txt").write_text(original.replace("青溪县", "松柏县"), encoding="utf-8")
    (corpus / "other-2023.html").write_bytes((ROOT / "corpus" / "qingxi-county-2024.html").read_bytes())
    done = _batch(tmp_path, "corpus", "--out", "out", "--workers", "1")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") == 1 and 'class="bars rules"' in index and 'class="copies"' in index
    conn = sqlite3.connect(tmp_path / "out" / "auditor.db")
    try:
        per_rule = dict(conn.execute("SELECT rule, COUNT(*) FROM findings GROUP BY rule"))
        quotes = [q for (q,) in conn.execute("SELECT quote FROM findings WHERE rule = 'SIM-OTHER-BODY'")]
    finally:
        conn.close()
    assert per_rule.get("SIM-OTHER-BODY", 0) >= 2
    for rule, count in per_rule.items():
        assert f'title="{rule}：{count} 条' in index
    copies = index[index.index("被最多机关复制的段落"):]
    assert "2 份报告 / 2 个机关" in copies
    assert any(" ".join(q.split())[:20] in copies for q in quotes)


def test_most_copied_groups_a_passage_whatever_its_numbers_and_ends():
    from auditor.batch.index_html import most_copied

    text = "我局严格落实政府信息公开审查机制，坚持先审查后公开，全年共审查信息12条，未发生泄密事件。"
    copies = [("a.txt", "甲局", text), ("b.txt", "乙局", text.replace("12", "340")),
              ("c.txt", "丙局", text + "并组织培训3次。"), ("c.txt", "丙局", text),
              ("d.txt", "丁局", "完全不同的一段话，讲的是门户网站栏目调整和年报编制的流程安排。")]
    top = most_copied(copies)
    assert (top[0].reports, top[0].bodies) == (3, 3)
    assert top[0].text == text
    # a passage only one body's report has is not "shared": it is not listed
    assert len(top) == 1


def test_index_sorts_in_a_real_browser(batch_runs, page):
    tmp, _, rows, _, _ = batch_runs
    page.goto((tmp / "out" / "index.html").as_uri())
    assert page.locator("tbody tr").count() == len(rows)
    header = page.locator("th", has_text="得分")

    def scores() -> list[float]:
        values = page.eval_on_selector_all("tbody tr td:nth-child(6)", "cells => cells.map(c => c.dataset.v)")
        return [float(v) for v in values if v != ""]

    header.click()
    ascending = scores()
    assert ascending == sorted(ascending) and len(ascending) == len(rows) - 1
    header.click()
    assert scores() == sorted(ascending, reverse=True)
    link = page.locator("tbody a").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator("h1").count() >= 1


def test_baseline_from_audit_hides_dismissed_findings_in_the_batch(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    target = "corpus/baisha-town-2022.txt"  # a sample with deliberate defects
    written = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", target, "--write-baseline", "base.json",
                              "--fail-on", "never", "--format", "json"], cwd=tmp_path, capture_output=True,
                             text=True, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert written.returncode == 0, written.stderr
    plain = _batch(tmp_path, "corpus", "--out", "plain", "--workers", "1", "--no-corpus")
    based = _batch(tmp_path, "corpus", "--out", "based", "--workers", "1", "--no-corpus", "--baseline", "base.json")
    assert plain.returncode == based.returncode == 0, based.stderr
    before = {r["报告"]: r for r in _csv(tmp_path / "plain" / "reports.csv")}
    after = {r["报告"]: r for r in _csv(tmp_path / "based" / "reports.csv")}
    assert int(before[target]["发现数"]) > 0
    # Nothing deducts any more: what is left is what the report measurably is (its section 五's
    # concreteness, how much it states), the score of the same measures with no findings.
    from auditor.checks.score import score_findings

    measures = json.loads(written.stdout)["score"]["measures"]
    assert after[target]["发现数"] == "0"
    assert float(after[target]["得分"]) == score_findings([], measures)["total"] > float(before[target]["得分"])
    for path, row in before.items():
        if path != target:
            assert after[path] == row  # fingerprints are per report: nothing else is hidden


def test_database_of_version_1_is_migrated_and_a_newer_one_refused(tmp_path):
    from auditor.batch.store import Store

    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript("""
        CREATE TABLE runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, directory TEXT NOT NULL,
            rules_count INTEGER NOT NULL, config_key TEXT NOT NULL DEFAULT '');
        CREATE TABLE documents (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id),
            status TEXT NOT NULL CHECK (status IN ('ok', 'error')), error TEXT, agency TEXT, year INTEGER,
            template TEXT, score REAL, parts TEXT, page INTEGER UNIQUE);
        CREATE TABLE findings (id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES documents(path),
            rule TEXT NOT NULL, category TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, section TEXT,
            span_start INTEGER, span_end INTEGER, cells TEXT NOT NULL, evidence TEXT NOT NULL, fingerprint TEXT NOT NULL);
        INSERT INTO runs VALUES (1, '2026-01-01', '2026-01-01', 'x', 62, 'k');
        INSERT INTO documents VALUES ('a.txt', 'h', 1, 'ok', NULL, '某局', 2023, '2021', 90.0, '{}', 1);
        INSERT INTO findings VALUES (1, 'a.txt', 'R', 'table', 'error', 'm', NULL, 0, 1, '[]', '{}', 'f');
        PRAGMA user_version = 1;""")
    conn.close()
    Store(str(old)).close()
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
        assert conn.execute("SELECT rule, quote FROM findings").fetchall() == [("R", None)]
        assert conn.execute("SELECT score, assessed FROM documents").fetchall() == [(90.0, None)]
    finally:
        conn.close()

    newer = tmp_path / "v9.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    refused = _batch(tmp_path, "corpus", "--db", str(newer), "--out", "out")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith("错误：数据库") and "版本是 9" in refused.stderr


def test_check_task_reuses_the_parse_stage_sentences_with_the_same_result():
    """The parse worker ships each report's sentence boundaries; the check worker, which gets a
    copy of the document, must give exactly what splitting it again would."""
    import pickle

    from auditor.batch.tasks import BatchContext, check_task, parse_task
    from auditor.nlp.sentences import split_document
    from auditor.rules.loader import load_rules
    from auditor.similarity.index import CorpusIndex

    paths = [str(ROOT / "corpus" / name) for name in ("qingxi-county-2023.txt", "qingxi-county-2024.html")]
    parsed = [parse_task(BatchContext(rules=[], index_entries=True), (p, None)) for p in paths]
    index = CorpusIndex.from_entries([o.entry for o in parsed])
    context = BatchContext(rules=load_rules(), corpus=index, pages=False)
    last, this = parsed
    assert this.sentences == [(s.start, s.end, s.section) for s in split_document(this.doc)]
    assert len(this.sentences) > 20 and {key for _, _, key in this.sentences} >= {"overview", "problems"}

    def checked(shipped):
        doc, previous = pickle.loads(pickle.dumps((this.doc, last.doc)))  # as a worker receives them
        outcome = check_task(context, (this.path, 1, doc, previous, shipped))
        assert outcome.error is None
        return [(f.rule, f.span, f.message) for f in outcome.findings], outcome.score

    findings, score = checked(None)
    assert "CLM-RECEIVED" in {rule for rule, _, _ in findings}  # "收到政府信息公开申请30件" vs 28
    assert checked(this.sentences) == (findings, score)
    # and they are what the checks read: without the sentence of the claim, no finding on it
    text = this.doc.text
    without = [(a, b, key) for a, b, key in this.sentences if "收到政府信息公开申请" not in text[a:b]]
    assert len(without) < len(this.sentences)
    assert "CLM-RECEIVED" not in {rule for rule, _, _ in checked(without)[0]}


def test_csv_cells_from_reports_are_not_formulas(tmp_path):
    """A body's name or a file name starting with = + - @ would run as a formula in Excel."""
    from auditor.batch.run import write_csv

    row = {"path": "=HYPERLINK(\"x\").txt", "page": 1, "href": "reports/1.html", "agency": "+某局", "year": 2023,
           "template": "2021", "score": 90.0, "assessed": 1.0, "status": "ok", "error": None,
           "categories": {}, "severities": {}}
    [out] = _csv(write_csv([row], tmp_path / "r.csv"))
    assert out["报告"] == "'=HYPERLINK(\"x\").txt" and out["机关"] == "'+某局" and out["审核页"] == "reports/1.html"
