"""The batch pipeline: discover → hash → (parse in worker processes) → index → check → store → outputs.

Resume: a file whose bytes (sha256), rules and baseline match a stored 'ok' row, and whose page
still exists in the output directory, is not re-scored; its stored row is reused for the CSV and
the index. When any file must be (re)scored, every report is parsed so the corpus index (copying
across bodies, year-over-year continuity) is the same as in a full run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from auditor.model import CATEGORIES, SEVERITIES


class BatchUsageError(Exception):
    """Bad usage (no such directory, no reports); str() is one Chinese line."""


@dataclass
class BatchSummary:
    run_id: int
    total: int
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    outputs: dict = field(default_factory=dict)


def last_year(doc, index, docs_by_path):
    """The same body's report of the year before, when the corpus has it (for continuity rules).

    Only the immediately previous year: across a gap the carried-over and in-force chains do not
    hold, so comparing would raise false alarms.
    """
    if index is None or doc.meta.year is None:
        return None
    for path in index.previous_reports(doc):
        candidate = docs_by_path.get(path)
        if candidate is not None and candidate.meta.year == doc.meta.year - 1:
            return candidate
    return None


def config_key(rules, baseline_path: str | None) -> str:
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(json.dumps([rule.id, rule.kind, rule.category, rule.severity, rule.message,
                                  getattr(rule, "params", None)], ensure_ascii=False, sort_keys=True,
                                 default=str).encode())
    if baseline_path:
        digest.update(Path(baseline_path).read_bytes())
    return digest.hexdigest()


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- parse workers


def _init_worker() -> None:
    """Load the reader and structure stage (and what they pull in) once per worker process."""
    import auditor.structure  # noqa: F401


def _parse_one(path: str):
    """(path, Document or None, Chinese error or None) — never raises for a bad file."""
    from auditor.errors import InputError
    from auditor.structure import parse_file

    try:
        return path, parse_file(path), None
    except InputError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a reader crash must not stop the batch
        return path, None, f"{path}：读取失败（{type(exc).__name__}: {exc}）"


class Progress:
    """One stderr line every `every` items: done/total, rate and ETA."""

    def __init__(self, what: str, total: int, stream=None):
        self.what, self.total, self.done = what, total, 0
        self.every = max(1, total // 20)
        self.start = time.monotonic()
        self.stream = stream or sys.stderr

    def step(self) -> None:
        self.done += 1
        if self.done % self.every and self.done != self.total:
            return
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0
        print(f"{self.what}：{self.done}/{self.total}，{rate:.1f} 份/秒，预计还需 {eta:.0f} 秒",
              file=self.stream, flush=True)


def parse_all(paths: list[str], workers: int) -> list[tuple]:
    progress = Progress("解析", len(paths))
    out = []
    if workers <= 1 or len(paths) <= 1:
        _init_worker()
        for path in paths:
            out.append(_parse_one(path))
            progress.step()
        return out
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        for item in pool.map(_parse_one, paths, chunksize=max(1, len(paths) // (workers * 8))):
            out.append(item)
            progress.step()
    return out


# --------------------------------------------------------------------------- the run


def run_batch(directory: str, rules, *, out_dir: str, db_path: str | None = None,
              workers: int | None = None, baseline_path: str | None = None) -> BatchSummary:
    from auditor import baseline as baselines
    from auditor.batch.index_html import write_index
    from auditor.batch.store import Store
    from auditor.checks import run_checks
    from auditor.report.html import render
    from auditor.similarity.discover import discover_reports
    from auditor.similarity.index import CorpusIndex

    if not os.path.isdir(directory):
        raise BatchUsageError(f"目录 {directory} 不存在或不是目录")
    paths = discover_reports(directory)
    if not paths:
        raise BatchUsageError(f"目录 {directory} 中没有报告文件（.txt/.md/.html/.htm/.docx/.pdf）")
    workers = workers or os.cpu_count() or 1
    decisions = baselines.load_baseline(baseline_path) if baseline_path else None
    key = config_key(rules, baseline_path)

    out = Path(out_dir)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    store = Store(db_path or str(out / "auditor.db"))
    try:
        run_id = store.start_run(directory, len(rules), key)
        summary = BatchSummary(run_id=run_id, total=len(paths))
        hashes = {path: file_sha256(path) for path in paths}
        todo = []
        for path in paths:
            row = store.reusable(path, hashes[path], len(rules), key)
            if row is not None and (out / "reports" / f"{row['page']}.html").is_file():
                summary.skipped += 1
            else:
                todo.append(path)
        print(f"共 {len(paths)} 份报告：{summary.skipped} 份未变、沿用上次结果，{len(todo)} 份需要审核",
              file=sys.stderr, flush=True)

        if todo:
            parsed = parse_all(todo, workers)
            if any(doc is not None for _, doc, _ in parsed):
                # Something will be checked: the index needs every report, as in a full run.
                pending = set(todo)
                parsed += parse_all([p for p in paths if p not in pending], workers)
            docs = {path: doc for path, doc, _ in parsed if doc is not None}
            docs = {path: docs[path] for path in paths if path in docs}  # discovery order
            errors = {path: error for path, _, error in parsed if error is not None}
            index = CorpusIndex.build(list(docs.values())) if docs else None
            progress = Progress("审核", len(todo))
            for path in todo:
                if path in errors:
                    store.save_error(path, hashes[path], run_id, errors[path])
                    summary.failed += 1
                else:
                    doc = docs[path]
                    result = run_checks(doc, rules, previous=last_year(doc, index, docs), corpus=index)
                    (result,), _ = baselines.apply_baseline_to_results([result], decisions)
                    page = store.save_result(path, hashes[path], run_id, result)
                    (out / "reports" / f"{page}.html").write_text(render([result], rules=rules),
                                                                  encoding="utf-8")
                    summary.scored += 1
                progress.step()

        rows = store.rows(paths)
        summary.outputs["csv"] = str(write_csv(rows, out / "reports.csv"))
        summary.outputs["index"] = str(write_index(rows, out / "index.html", directory, run_id))
        store.finish_run(run_id)
    finally:
        store.close()
    return summary


CSV_FIELDS = (["path", "agency", "year", "template", "score", "status", "error", "findings"]
              + [f"category_{c}" for c in CATEGORIES] + [f"severity_{s}" for s in SEVERITIES])


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for row in rows:
            writer.writerow([row["path"], row["agency"] or "", row["year"] or "", row["template"] or "",
                             "" if row["score"] is None else row["score"], row["status"], row["error"] or "",
                             sum(row["severities"].values())]
                            + [row["categories"].get(c, 0) for c in CATEGORIES]
                            + [row["severities"].get(s, 0) for s in SEVERITIES])
    return path
