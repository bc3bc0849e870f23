"""The batch database (stdlib sqlite3, WAL journal, ``PRAGMA user_version`` = SCHEMA_VERSION).

Schema, version 5::

    runs(id INTEGER PRIMARY KEY, started TEXT, finished TEXT NULL, directory TEXT,
         rules_count INTEGER, config_key TEXT,
         time_budget REAL NULL, memory_budget INTEGER NULL)   -- seconds, bytes (since version 4)
        -- one row per `auditor batch` invocation; `finished` stays NULL if it was interrupted.
        -- config_key: hash of the rules used, the data lists and model, the baseline file and
        -- whether corpus checks ran: a changed rule set or baseline re-scores every report.
        -- (Until version 4 it also hashed every file of the batch: any change of the corpus
        -- re-scored everything; now corpus_key and `corpora` say what a result was checked
        -- against, and run.py re-checks only the results a change can alter.)
    documents(path TEXT PRIMARY KEY, sha256 TEXT, run_id INTEGER REFERENCES runs(id),
              status TEXT CHECK (status IN ('ok','error','infrastructure')), error TEXT NULL,
              agency TEXT NULL, year INTEGER NULL, template TEXT NULL, score REAL NULL,
              parts TEXT NULL,          -- JSON: {category: 0..100}
              page INTEGER UNIQUE,      -- stable number of the page reports/<page>.html
              assessed REAL NULL,       -- share of the score's points that could be assessed, 0..1
                                        -- (since version 3)
              over_budget TEXT NULL,    -- 'time' or 'memory': the error is that handling the
                                        -- report went over that budget of its run (since version 4)
              corpus_key TEXT NULL,     -- with corpus checks: which reports the corpus index it
                                        -- was checked against held (since version 4)
              corpus_plan TEXT NULL)    -- with corpus checks: CorpusIndex.query_plan of the
                                        -- report, what its copy findings depend on in the
                                        -- corpus (since version 5)
    findings(id INTEGER PRIMARY KEY, path TEXT REFERENCES documents(path), rule TEXT,
             category TEXT, severity TEXT, message TEXT, section TEXT NULL,
             span_start INTEGER NULL, span_end INTEGER NULL,
             cells TEXT,                -- JSON list of table.row.column
             evidence TEXT,             -- JSON object
             fingerprint TEXT,
             quote TEXT NULL)           -- the text of the span (since version 2)
    corpora(key TEXT, path TEXT, sha256 TEXT, PRIMARY KEY (key, path))   -- since version 5
        -- the members of each corpus index that a stored result (documents.corpus_key) was
        -- checked against; keys no document refers to any more are deleted after a run.

`path` is the file's shown name (auditor/filenames.py): the path itself, except that the bytes
of a name that is not UTF-8 are written as \\xNN.

Status: 'ok' (audited), 'error' (the report could not be read or audited, or went over a budget:
its own problem, kept for the same bytes), 'infrastructure' (its worker or the cluster was lost
every time it was tried: not the report's problem, retried by the next run).

Versions: 1 had no findings.quote, 2 no documents.assessed, 3 neither the status
'infrastructure' nor the budgets, 4 no corpora (its configuration keys also hashed the corpus:
its results are re-scored once); an older database is migrated in place when opened (columns
added, empty for old rows; the documents table rebuilt for its new CHECK). A database of a newer
version is refused, never guessed at.

`documents.run_id` is the run that last (re)scored the file; a resumed run that skips an
unchanged file leaves it alone. Each document is written in one transaction (its old findings
deleted, the new row and findings inserted), so an interrupted run leaves every document either
wholly old or wholly new. One batch at a time holds the database (lock.py).

Every SQLite failure (a full disk, a lock held by another program, a database deleted under the
run) is a StoreError: one Chinese line; what was committed stays committed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone

from auditor.filenames import legible

SCHEMA_VERSION = 5

DOCUMENTS = """
CREATE TABLE IF NOT EXISTS {name} (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id),
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'infrastructure')), error TEXT,
    agency TEXT, year INTEGER, template TEXT, score REAL, parts TEXT, page INTEGER UNIQUE, assessed REAL,
    over_budget TEXT, corpus_key TEXT, corpus_plan TEXT)"""
DOCUMENT_COLUMNS = ("path, sha256, run_id, status, error, agency, year, template, score, parts, page,"
                    " assessed, over_budget, corpus_key, corpus_plan")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, directory TEXT NOT NULL,
    rules_count INTEGER NOT NULL, config_key TEXT NOT NULL DEFAULT '', time_budget REAL, memory_budget INTEGER);
""" + DOCUMENTS.format(name="documents") + """;
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES documents(path), rule TEXT NOT NULL,
    category TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, section TEXT,
    span_start INTEGER, span_end INTEGER, cells TEXT NOT NULL, evidence TEXT NOT NULL,
    fingerprint TEXT NOT NULL, quote TEXT);
CREATE INDEX IF NOT EXISTS findings_path ON findings(path);
CREATE TABLE IF NOT EXISTS corpora (
    key TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (key, path));
"""

# Seconds a write waits for a lock another program (a database browser) holds before giving up.
BUSY_TIMEOUT = 30


class StoreError(Exception):
    """A database that cannot be used (other schema version, unreadable, full disk, locked, another
    batch using it); str() is one Chinese line."""


# SQLite's messages are English; by error code (and by message, for errors raised without one).
_SQLITE_CAUSES = {"SQLITE_FULL": "磁盘空间不足", "database or disk is full": "磁盘空间不足",
                  "SQLITE_NOTADB": "不是 SQLite 数据库文件", "file is not a database": "不是 SQLite 数据库文件",
                  "SQLITE_CORRUPT": "数据库文件已损坏", "database disk image is malformed": "数据库文件已损坏",
                  "SQLITE_BUSY": f"数据库被另一个程序锁住，等待 {BUSY_TIMEOUT} 秒仍未释放",
                  "database is locked": f"数据库被另一个程序锁住，等待 {BUSY_TIMEOUT} 秒仍未释放",
                  "SQLITE_READONLY": "数据库是只读的", "attempt to write a readonly database": "数据库是只读的",
                  "SQLITE_IOERR": "磁盘读写出错", "disk I/O error": "磁盘读写出错"}


def _sqlite_cause(path: str, exc: sqlite3.Error) -> str:
    from auditor.errors import unwritable_cause

    name = getattr(exc, "sqlite_errorname", None) or ""
    if name == "SQLITE_READONLY_DBMOVED":
        return "数据库文件在运行中被移动或删除"
    primary = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE → SQLITE_IOERR
    for key in (primary, str(exc)):
        if key in _SQLITE_CAUSES:
            return _SQLITE_CAUSES[key]
    if "unable to open" in str(exc):
        return unwritable_cause(path) or "无法打开"
    return f"SQLite 出错（{name or type(exc).__name__}）"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def saved_count(db: str | os.PathLike) -> int:
    """How many documents a batch has saved so far, read-only while it may still be writing; 0
    before the database or its schema exists (tests and benches that interrupt a batch)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def comparable_results(db: str | os.PathLike) -> dict:
    """Every document row and its findings, by path, run ids and pages aside: what an incremental
    or resumed batch must equal of a clean run on the same corpus (tests, bench/batch_scale.py)."""
    conn = sqlite3.connect(db)
    try:
        docs = {row[0]: row[1:] for row in conn.execute(
            "SELECT path, sha256, status, error, agency, year, template, score, parts, assessed FROM documents")}
        findings: dict = {}
        for row in conn.execute("SELECT path, rule, category, severity, message, section, span_start, span_end,"
                                " cells, evidence, fingerprint, quote FROM findings ORDER BY path, rule, span_start,"
                                " fingerprint, message"):
            findings.setdefault(row[0], []).append(row[1:])
        return {path: (doc, findings.get(path, [])) for path, doc in docs.items()}
    finally:
        conn.close()


class Store:
    def __init__(self, path: str):
        from auditor.batch.lock import DatabaseBusy, RunLock

        self.path = path
        self.conn = None
        try:
            self._lock = RunLock(path)
        except DatabaseBusy as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            from auditor.errors import write_error_cause

            raise StoreError(f"无法打开数据库 {legible(path)}：{write_error_cause(exc)}") from None
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        path = self.path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)  # explicit transactions
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database (a killed process loses nothing
            # committed; only a power cut may lose the last transactions, never half of one).
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # The temporary table of a run's paths in memory, not in a file of a /tmp that may be full.
            self.conn.execute("PRAGMA temp_store=MEMORY")
            # Off while the schema may be rebuilt (a migration), on for everything after.
            self.conn.execute("PRAGMA foreign_keys=OFF")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._migrate(path)
                self.conn.execute("COMMIT")
            finally:
                self._rollback()
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开数据库 {legible(path)}：{_sqlite_cause(path, exc)}") from None
        # The file this run writes: a database deleted or replaced under the run is noticed.
        self._identity = _identity(path)

    def _migrate(self, path: str) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"数据库 {legible(path)} 的结构版本是 {version}，本工具只认识到版本 {SCHEMA_VERSION}，"
                             "请升级本工具或换一个数据库文件")
        if version == 1:
            self.conn.execute("ALTER TABLE findings ADD COLUMN quote TEXT")
        if version in (1, 2):
            self.conn.execute("ALTER TABLE documents ADD COLUMN assessed REAL")
        if version in (1, 2, 3):
            # A CHECK cannot be altered: the table is rebuilt (SQLite's documented procedure,
            # foreign keys off), then the runs get their budgets.
            self.conn.execute(DOCUMENTS.format(name="documents_new"))
            old = DOCUMENT_COLUMNS.replace(", over_budget, corpus_key, corpus_plan", "")
            self.conn.execute(f"INSERT INTO documents_new ({old}) SELECT {old} FROM documents")
            self.conn.execute("DROP TABLE documents")
            self.conn.execute("ALTER TABLE documents_new RENAME TO documents")
            self.conn.execute("ALTER TABLE runs ADD COLUMN time_budget REAL")
            self.conn.execute("ALTER TABLE runs ADD COLUMN memory_budget INTEGER")
        if version == 4:
            self.conn.execute("ALTER TABLE documents ADD COLUMN corpus_plan TEXT")
        for statement in filter(str.strip, SCHEMA.split(";")):
            self.conn.execute(statement)
        if version in (1, 2, 3) and self.conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise StoreError(f"数据库 {legible(path)} 升级失败：发现记录与报告记录对不上")
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _rollback(self) -> None:
        """Roll back what is still open. SQLite has often rolled back itself already (a full
        disk does): that is no error, and must not hide the one that got us here."""
        if self.conn is not None and self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    @contextmanager
    def _sql(self, what: str = "写入"):
        """SQLite failures as one Chinese line (what was committed stays)."""
        try:
            yield
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"无法{what}数据库 {legible(self.path)}：{_sqlite_cause(self.path, exc)}；"
                             "已保存的结果保留，排除后重新运行即可继续") from None

    def close(self) -> None:
        try:
            if self.conn is not None:
                self.conn.close()
        except sqlite3.Error:
            pass  # closing never loses what was committed
        finally:
            self.conn = None
            self._lock.release()

    # ----------------------------------------------------------------- runs

    def start_run(self, directory: str, rules_count: int, config_key: str,
                  time_budget: float | None = None, memory_budget: int | None = None) -> int:
        with self._sql():
            cur = self.conn.execute(
                "INSERT INTO runs (started, directory, rules_count, config_key, time_budget, memory_budget)"
                " VALUES (?, ?, ?, ?, ?, ?)", (_now(), directory, rules_count, config_key, time_budget, memory_budget))
        return cur.lastrowid

    def finish_run(self, run_id: int) -> None:
        self._check_file()
        with self._sql():
            self.conn.execute("UPDATE runs SET finished = ? WHERE id = ?", (_now(), run_id))

    def _check_file(self) -> None:
        """A database deleted or replaced under the run would take every later result with it
        (SQLite writes on to the deleted file): stop instead."""
        if _identity(self.path) != self._identity:
            raise StoreError(f"数据库 {legible(self.path)} 在运行中被删除或替换，之后的结果无处保存，已停止；"
                             "重新运行即可（会重新审核）")

    # ----------------------------------------------------------------- documents

    def reusable(self, path: str, sha256: str, rules_count: int, config_key: str,
                 time_budget: float | None = None, memory_budget: int | None = None) -> sqlite3.Row | None:
        """The stored row of `path` when it can be reused as is: same bytes, handled under the
        same rules, baseline and corpus. A file that failed stays failed for the same bytes
        (reading is deterministic), except one that could not be read at all (sha256
        'unreadable': a permission may have been fixed since), one whose worker was lost
        ('infrastructure': nothing to do with the file), and one that went over a budget now
        larger than the one it went over."""
        with self._sql("读取"):
            return self.conn.execute(
                "SELECT d.* FROM documents d JOIN runs r ON r.id = d.run_id WHERE d.path = ? AND d.sha256 = ?"
                " AND d.sha256 != 'unreadable' AND d.status != 'infrastructure'"
                " AND r.rules_count = ? AND r.config_key = ?"
                # IFNULL: a NULL over_budget would make the whole condition NULL, the row unusable
                " AND NOT (IFNULL(d.over_budget, '') = 'time' AND IFNULL(r.time_budget, 0) < IFNULL(?, 0))"
                " AND NOT (IFNULL(d.over_budget, '') = 'memory' AND IFNULL(r.memory_budget, 0) < IFNULL(?, 0))",
                (path, sha256, rules_count, config_key, time_budget, memory_budget)).fetchone()

    def same_bytes(self, path: str, sha256: str) -> bool:
        """Whether `path` is stored with these bytes (reusable or not)."""
        with self._sql("读取"):
            return self.conn.execute("SELECT 1 FROM documents WHERE path = ? AND sha256 = ?",
                                     (path, sha256)).fetchone() is not None

    def assign_pages(self, paths: list[str]) -> dict[str, int]:
        """A page number per path: the stored one, else the next free numbers in `paths` order
        (stable across runs, so links into reports/<n>.html keep working)."""
        with self._sql("读取"):
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

    def corpus_keys(self, paths: list[str]) -> dict[str, str | None]:
        """The corpus key of each of `paths` that was checked (status ok) — see run.py."""
        with self._sql("读取"):
            self._current(paths)
            return dict(self.conn.execute("SELECT d.path, d.corpus_key FROM documents d JOIN current c"
                                          " ON c.path = d.path WHERE d.status = 'ok'").fetchall())

    def corpus_plans(self, paths: list[str]) -> dict[str, str | None]:
        """The corpus plan (CorpusIndex.query_plan) each of `paths` was checked with (status ok)."""
        with self._sql("读取"):
            self._current(paths)
            return dict(self.conn.execute("SELECT d.path, d.corpus_plan FROM documents d JOIN current c"
                                          " ON c.path = d.path WHERE d.status = 'ok'").fetchall())

    def save_corpus(self, key: str, members: dict[str, str]) -> None:
        """Record which reports (path → sha256) the corpus index `key` holds, before any result
        checked against it is saved."""
        with self._sql():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany("INSERT OR IGNORE INTO corpora (key, path, sha256) VALUES (?, ?, ?)",
                                      [(key, p, h) for p, h in members.items()])
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def corpus_members(self, key: str) -> dict[str, str] | None:
        """path → sha256 of the corpus index `key`; None when it was not recorded (an older
        database), {} for an index of no report."""
        with self._sql("读取"):
            rows = self.conn.execute("SELECT path, sha256 FROM corpora WHERE key = ?", (key,)).fetchall()
        return dict(rows) if rows else None

    def set_corpus_key(self, paths: list[str], key: str) -> None:
        """Mark the results of `paths` as valid against the corpus index `key` too (a change of
        the corpus that cannot alter them), in one transaction."""
        self._check_file()
        with self._sql():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany("UPDATE documents SET corpus_key = ? WHERE path = ? AND status = 'ok'",
                                      [(key, p) for p in paths])
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def prune_corpora(self) -> None:
        """Forget the corpus indexes no stored result refers to any more."""
        with self._sql():
            self.conn.execute("DELETE FROM corpora WHERE key NOT IN"
                              " (SELECT corpus_key FROM documents WHERE corpus_key IS NOT NULL)")

    def save_outcome(self, outcome, sha256: str, run_id: int, corpus_key: str | None = None) -> None:
        """Replace the row and findings of a CheckOutcome's file in one transaction.
        `corpus_key`: which reports the corpus index it was checked against held."""
        if outcome.error is not None:
            failure = getattr(outcome, "failure", None)
            status = "infrastructure" if failure == "infrastructure" else "error"
            self._save(outcome.path, outcome.page, sha256, run_id, status, outcome.error, None, None, [], [],
                       over_budget=failure if failure in ("time", "memory") else None)
        else:
            self._save(outcome.path, outcome.page, sha256, run_id, "ok", None, outcome.meta, outcome.score,
                       outcome.findings, outcome.quotes, corpus_key=corpus_key,
                       corpus_plan=getattr(outcome, "plan", None) if corpus_key else None)

    def _save(self, path, page, sha256, run_id, status, error, meta, score, findings, quotes,
              over_budget=None, corpus_key=None, corpus_plan=None) -> None:
        self._check_file()
        with self._sql():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute("DELETE FROM findings WHERE path = ?", (path,))
                # An upsert on the path, never INSERT OR REPLACE: that would delete whichever
                # other report held this page number, silently.
                self.conn.execute(
                    f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, run_id = excluded.run_id,"
                    " status = excluded.status, error = excluded.error, agency = excluded.agency,"
                    " year = excluded.year, template = excluded.template, score = excluded.score,"
                    " parts = excluded.parts, page = excluded.page, assessed = excluded.assessed,"
                    " over_budget = excluded.over_budget, corpus_key = excluded.corpus_key,"
                    " corpus_plan = excluded.corpus_plan",
                    (path, sha256, run_id, status, error,
                     meta.agency if meta else None, meta.year if meta else None,
                     meta.template if meta else None,
                     score["total"] if score else None,
                     json.dumps(score["parts"], ensure_ascii=False) if score else None, page,
                     score.get("assessed") if score else None, over_budget, corpus_key, corpus_plan))
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
                self._rollback()
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
        with self._sql("读取"):
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
        with self._sql("读取"):
            self._current(paths)
            return [dict(row) for row in self.conn.execute(
                "SELECT f.rule, f.category, COUNT(*) AS findings, COUNT(DISTINCT f.path) AS reports"
                " FROM findings f JOIN current c ON c.path = f.path"
                " GROUP BY f.rule, f.category ORDER BY findings DESC, f.rule")]

    def copies(self, paths: list[str], rules: list[str]) -> list[tuple]:
        """Both sides of every finding of `rules` (copies from another body) in the batch:
        (path, agency, quoted text, source path, source agency, source text)."""
        with self._sql("读取"):
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
