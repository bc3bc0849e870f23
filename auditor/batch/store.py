"""The batch database (stdlib sqlite3, WAL journal, ``PRAGMA user_version`` = SCHEMA_VERSION).

Schema, version 3::

    runs(id INTEGER PRIMARY KEY, started TEXT, finished TEXT NULL, directory TEXT,
         rules_count INTEGER, config_key TEXT)
        -- one row per `auditor batch` invocation; `finished` stays NULL if it was interrupted.
        -- config_key: hash of the rules used, the baseline file, whether corpus checks ran and,
        -- when they did, of every file of the batch (path + sha256): a changed rule set,
        -- baseline or corpus re-scores every report (a new or changed report can change the
        -- copy and continuity findings of the others).
    documents(path TEXT PRIMARY KEY, sha256 TEXT, run_id INTEGER REFERENCES runs(id),
              status TEXT CHECK (status IN ('ok','error')), error TEXT NULL,
              agency TEXT NULL, year INTEGER NULL, template TEXT NULL, score REAL NULL,
              parts TEXT NULL,          -- JSON: {category: 0..100}
              page INTEGER UNIQUE,      -- stable number of the page reports/<page>.html
              assessed REAL NULL)       -- share of the score's points that could be assessed, 0..1
                                        -- (since version 3)
    findings(id INTEGER PRIMARY KEY, path TEXT REFERENCES documents(path), rule TEXT,
             category TEXT, severity TEXT, message TEXT, section TEXT NULL,
             span_start INTEGER NULL, span_end INTEGER NULL,
             cells TEXT,                -- JSON list of table.row.column
             evidence TEXT,             -- JSON object
             fingerprint TEXT,
             quote TEXT NULL)           -- the text of the span (since version 2)

Versions: 1 had no findings.quote, 2 no documents.assessed; an older database is migrated in
place when opened (the columns are added, empty for old rows, filled when a document is
re-scored). A database of a newer
version is refused, never guessed at.

`documents.run_id` is the run that last (re)scored the file; a resumed run that skips an
unchanged file leaves it alone. Each document is written in one transaction (its old findings
deleted, the new row and findings inserted), so an interrupted run leaves every document either
wholly old or wholly new.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, directory TEXT NOT NULL,
    rules_count INTEGER NOT NULL, config_key TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id),
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')), error TEXT,
    agency TEXT, year INTEGER, template TEXT, score REAL, parts TEXT, page INTEGER UNIQUE, assessed REAL);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES documents(path), rule TEXT NOT NULL,
    category TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, section TEXT,
    span_start INTEGER, span_end INTEGER, cells TEXT NOT NULL, evidence TEXT NOT NULL,
    fingerprint TEXT NOT NULL, quote TEXT);
CREATE INDEX IF NOT EXISTS findings_path ON findings(path);
"""


class StoreError(Exception):
    """A database that cannot be used (other schema version, unreadable); str() is Chinese."""


# SQLite's messages are English; the ones opening a database can meet, in Chinese.
_SQLITE_CAUSES = {"file is not a database": "不是 SQLite 数据库文件",
                  "database is locked": "数据库正被另一个进程使用",
                  "attempt to write a readonly database": "数据库是只读的",
                  "disk I/O error": "磁盘读写出错"}


def _sqlite_cause(path: str, exc: sqlite3.Error) -> str:
    from auditor.errors import unwritable_cause

    message = str(exc)
    if message in _SQLITE_CAUSES:
        return _SQLITE_CAUSES[message]
    if "unable to open" in message:
        return unwritable_cause(path) or "无法打开"
    return f"SQLite 出错（{getattr(exc, 'sqlite_errorname', type(exc).__name__)}）"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str):
        try:
            self.conn = sqlite3.connect(path, isolation_level=None)  # explicit transactions
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database (a killed process loses nothing
            # committed; only a power cut may lose the last transactions, never half of one).
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("BEGIN IMMEDIATE")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"数据库 {path} 的结构版本是 {version}，本工具只认识到版本 {SCHEMA_VERSION}，"
                                 "请升级本工具或换一个数据库文件")
            if version == 1:
                self.conn.execute("ALTER TABLE findings ADD COLUMN quote TEXT")
            if version in (1, 2):
                self.conn.execute("ALTER TABLE documents ADD COLUMN assessed REAL")
            for statement in filter(str.strip, SCHEMA.split(";")):
                self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开数据库 {path}：{_sqlite_cause(path, exc)}") from exc

    def close(self) -> None:
        self.conn.close()

    # ----------------------------------------------------------------- runs

    def start_run(self, directory: str, rules_count: int, config_key: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (started, directory, rules_count, config_key) VALUES (?, ?, ?, ?)",
            (_now(), directory, rules_count, config_key))
        return cur.lastrowid

    def finish_run(self, run_id: int) -> None:
        self.conn.execute("UPDATE runs SET finished = ? WHERE id = ?", (_now(), run_id))

    # ----------------------------------------------------------------- documents

    def reusable(self, path: str, sha256: str, rules_count: int, config_key: str) -> sqlite3.Row | None:
        """The stored row of `path` when it can be reused as is: same bytes, handled under the
        same rules, baseline and corpus. A file that failed stays failed for the same bytes
        (reading is deterministic), except one that could not be read at all (sha256
        'unreadable': a permission may have been fixed since)."""
        return self.conn.execute(
            "SELECT d.* FROM documents d JOIN runs r ON r.id = d.run_id WHERE d.path = ? AND d.sha256 = ?"
            " AND d.sha256 != 'unreadable' AND r.rules_count = ? AND r.config_key = ?",
            (path, sha256, rules_count, config_key)).fetchone()

    def same_bytes(self, path: str, sha256: str) -> bool:
        """Whether `path` is stored with these bytes (reusable or not)."""
        return self.conn.execute("SELECT 1 FROM documents WHERE path = ? AND sha256 = ?",
                                 (path, sha256)).fetchone() is not None

    def assign_pages(self, paths: list[str]) -> dict[str, int]:
        """A page number per path: the stored one, else the next free numbers in `paths` order
        (stable across runs, so links into reports/<n>.html keep working)."""
        stored = dict(self.conn.execute("SELECT path, page FROM documents WHERE page IS NOT NULL").fetchall())
        following = max(stored.values(), default=0) + 1
        pages = {}
        for path in paths:
            if path in stored:
                pages[path] = stored[path]
            else:
                pages[path] = following
                following += 1
        return pages

    def save_outcome(self, outcome, sha256: str, run_id: int) -> None:
        """Replace the row and findings of a CheckOutcome's file in one transaction."""
        if outcome.error is not None:
            self._save(outcome.path, outcome.page, sha256, run_id, "error", outcome.error, None, None, [], [])
        else:
            self._save(outcome.path, outcome.page, sha256, run_id, "ok", None, outcome.meta, outcome.score,
                       outcome.findings, outcome.quotes)

    def _save(self, path, page, sha256, run_id, status, error, meta, score, findings, quotes) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM findings WHERE path = ?", (path,))
            self.conn.execute(
                "INSERT OR REPLACE INTO documents (path, sha256, run_id, status, error, agency, year,"
                " template, score, parts, page, assessed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, sha256, run_id, status, error,
                 meta.agency if meta else None, meta.year if meta else None,
                 meta.template if meta else None,
                 score["total"] if score else None,
                 json.dumps(score["parts"], ensure_ascii=False) if score else None, page,
                 score.get("assessed") if score else None))
            self.conn.executemany(
                "INSERT INTO findings (path, rule, category, severity, message, section, span_start,"
                " span_end, cells, evidence, fingerprint, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(path, f.rule, f.category, f.severity, f.message, f.section,
                  f.span.start if f.span else None, f.span.end if f.span else None,
                  json.dumps(list(f.cells), ensure_ascii=False),
                  json.dumps(f.evidence, ensure_ascii=False, default=str), f.fingerprint, quote)
                 for f, quote in zip(findings, quotes)])
            self.conn.execute("COMMIT")
        except BaseException:
            # Ctrl-C can land after COMMIT went through (or before BEGIN took): then there is
            # nothing to roll back, and trying would replace the interrupt with an error.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # ----------------------------------------------------------------- reading back

    def _current(self, paths: list[str]) -> None:
        """A temporary table of the batch's paths: the database may hold other directories' or
        since-deleted files, which the outputs of this run must not count."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS current (path TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM current")
        self.conn.executemany("INSERT OR IGNORE INTO current (path) VALUES (?)", [(p,) for p in paths])

    def rows(self, paths: list[str]) -> list[dict]:
        """The stored rows of `paths` (in that order), each with counts per category and severity."""
        self._current(paths)
        docs = {row["path"]: dict(row) for row in self.conn.execute(
            "SELECT d.* FROM documents d JOIN current c ON c.path = d.path")}
        for item in docs.values():
            item["categories"], item["severities"] = {}, {}
        for path, category, severity, count in self.conn.execute(
                "SELECT f.path, f.category, f.severity, COUNT(*) FROM findings f JOIN current c ON c.path = f.path"
                " GROUP BY f.path, f.category, f.severity"):
            item = docs[path]
            item["categories"][category] = item["categories"].get(category, 0) + count
            item["severities"][severity] = item["severities"].get(severity, 0) + count
        return [docs[p] for p in paths if p in docs]

    def rule_counts(self, paths: list[str]) -> list[dict]:
        """Per rule: its category, findings and reports with at least one, most first."""
        self._current(paths)
        return [dict(row) for row in self.conn.execute(
            "SELECT f.rule, f.category, COUNT(*) AS findings, COUNT(DISTINCT f.path) AS reports"
            " FROM findings f JOIN current c ON c.path = f.path"
            " GROUP BY f.rule, f.category ORDER BY findings DESC, f.rule")]

    def copies(self, paths: list[str], rules: list[str]) -> list[tuple]:
        """Both sides of every finding of `rules` (copies from another body) in the batch:
        (path, agency, quoted text, source path, source agency, source text)."""
        if not rules:
            return []
        self._current(paths)
        marks = ",".join("?" * len(rules))
        return [tuple(row) for row in self.conn.execute(
            "SELECT f.path, d.agency, f.quote, json_extract(f.evidence, '$.source.path'),"
            " json_extract(f.evidence, '$.source.agency'), json_extract(f.evidence, '$.source.text')"
            " FROM findings f JOIN current c ON c.path = f.path"
            f" JOIN documents d ON d.path = f.path WHERE f.rule IN ({marks}) AND f.quote IS NOT NULL"
            " ORDER BY f.path, f.span_start", rules)]
