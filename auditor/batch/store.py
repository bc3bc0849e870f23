"""The batch database (stdlib sqlite3, WAL journal, ``PRAGMA user_version`` = SCHEMA_VERSION).

Schema, version 1::

    runs(id INTEGER PRIMARY KEY, started TEXT, finished TEXT NULL, directory TEXT,
         rules_count INTEGER, config_key TEXT)
        -- one row per `auditor batch` invocation; `finished` stays NULL if it was interrupted.
        -- config_key: hash of the rules used (id, kind, severity) and of the baseline file,
        -- so a changed rule set or baseline re-scores every report.
    documents(path TEXT PRIMARY KEY, sha256 TEXT, run_id INTEGER REFERENCES runs(id),
              status TEXT CHECK (status IN ('ok','error')), error TEXT NULL,
              agency TEXT NULL, year INTEGER NULL, template TEXT NULL, score REAL NULL,
              parts TEXT NULL,          -- JSON: {category: 0..100}
              page INTEGER UNIQUE)      -- stable number of the page reports/<page>.html
    findings(id INTEGER PRIMARY KEY, path TEXT REFERENCES documents(path), rule TEXT,
             category TEXT, severity TEXT, message TEXT, section TEXT NULL,
             span_start INTEGER NULL, span_end INTEGER NULL,
             cells TEXT,                -- JSON list of table.row.column
             evidence TEXT,             -- JSON object
             fingerprint TEXT)

`documents.run_id` is the run that last (re)scored the file; a resumed run that skips an
unchanged file leaves it alone. Each document is written in one transaction (its old findings
deleted, the new row and findings inserted), so an interrupted run leaves every document either
wholly old or wholly new.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, directory TEXT NOT NULL,
    rules_count INTEGER NOT NULL, config_key TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id),
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')), error TEXT,
    agency TEXT, year INTEGER, template TEXT, score REAL, parts TEXT, page INTEGER UNIQUE);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES documents(path), rule TEXT NOT NULL,
    category TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, section TEXT,
    span_start INTEGER, span_end INTEGER, cells TEXT NOT NULL, evidence TEXT NOT NULL,
    fingerprint TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_path ON findings(path);
"""


class StoreError(Exception):
    """A database that cannot be used (other schema version, unreadable); str() is Chinese."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str):
        try:
            self.conn = sqlite3.connect(path, isolation_level=None)  # explicit transactions
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(f"数据库 {path} 的结构版本是 {version}，本工具只认识版本 {SCHEMA_VERSION}")
            self.conn.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, SCHEMA.split(";")):
                self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开数据库 {path}：{exc}") from exc

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
        """The stored row of `path` when it can be reused as is: same bytes, scored 'ok' with the
        same rules and baseline."""
        return self.conn.execute(
            "SELECT d.* FROM documents d JOIN runs r ON r.id = d.run_id WHERE d.path = ? AND d.sha256 = ?"
            " AND d.status = 'ok' AND r.rules_count = ? AND r.config_key = ?",
            (path, sha256, rules_count, config_key)).fetchone()

    def _page(self, path: str) -> int:
        row = self.conn.execute("SELECT page FROM documents WHERE path = ?", (path,)).fetchone()
        if row is not None and row["page"] is not None:
            return row["page"]
        return self.conn.execute("SELECT COALESCE(MAX(page), 0) + 1 FROM documents").fetchone()[0]

    def save_error(self, path: str, sha256: str, run_id: int, error: str) -> int:
        return self._save(path, sha256, run_id, "error", error, None, None, [])

    def save_result(self, path: str, sha256: str, run_id: int, result) -> int:
        return self._save(path, sha256, run_id, "ok", None, result.doc.meta, result.score, result.findings)

    def _save(self, path, sha256, run_id, status, error, meta, score, findings) -> int:
        """Replace the row and findings of `path` in one transaction; returns its page number."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            page = self._page(path)
            self.conn.execute("DELETE FROM findings WHERE path = ?", (path,))
            self.conn.execute(
                "INSERT OR REPLACE INTO documents (path, sha256, run_id, status, error, agency, year,"
                " template, score, parts, page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, sha256, run_id, status, error,
                 meta.agency if meta else None, meta.year if meta else None,
                 meta.template if meta else None,
                 score["total"] if score else None,
                 json.dumps(score["parts"], ensure_ascii=False) if score else None, page))
            self.conn.executemany(
                "INSERT INTO findings (path, rule, category, severity, message, section, span_start,"
                " span_end, cells, evidence, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(path, f.rule, f.category, f.severity, f.message, f.section,
                  f.span.start if f.span else None, f.span.end if f.span else None,
                  json.dumps(list(f.cells), ensure_ascii=False),
                  json.dumps(f.evidence, ensure_ascii=False, default=str), f.fingerprint)
                 for f in findings])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return page

    def rows(self, paths: list[str]) -> list[dict]:
        """The stored rows of `paths` (in that order), each with counts per category and severity."""
        out = []
        for path in paths:
            row = self.conn.execute("SELECT * FROM documents WHERE path = ?", (path,)).fetchone()
            if row is None:
                continue
            item = dict(row)
            item["categories"] = dict(self.conn.execute(
                "SELECT category, COUNT(*) FROM findings WHERE path = ? GROUP BY category", (path,)).fetchall())
            item["severities"] = dict(self.conn.execute(
                "SELECT severity, COUNT(*) FROM findings WHERE path = ? GROUP BY severity", (path,)).fetchall())
            out.append(item)
        return out
