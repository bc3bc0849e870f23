"""Baselines: a reviewer's decisions about findings, so a dismissed finding never comes back.

A baseline file is JSON:

    {"schema": "auditor.baseline/1",
     "decisions": [{"fingerprint": "...", "rule": "TBL-I1", "decision": "dismissed",
                    "message": "...", "path": "reports/a.txt"}]}

Decisions are keyed on the finding's fingerprint (rule + normalized content, never offsets),
so they survive edits elsewhere in the report. `dismissed` hides the finding; `confirmed`
records that a reviewer agreed with it and keeps it visible. A fingerprint does not name the
report ("六、其他需要报告的事项 is missing" reads the same in every report), so a decision that
carries the report's `path` applies to that report only — matched as the same file, or by the
trailing path components, since the reviewer and the batch may run from different directories;
a decision without `path` applies to every report. `rule` and `message` are for the people
reading the file.

`auditor audit --write-baseline PATH` writes every current finding as dismissed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from auditor.atomic import write_atomic
from auditor.errors import read_error_cause, write_error_cause
from auditor.filenames import legible, shown
from auditor.model import Finding

SCHEMA = "auditor.baseline/1"
DECISIONS = ("dismissed", "confirmed")


class BaselineError(Exception):
    """An unreadable or invalid baseline file; str() is one Chinese line."""


def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in Path(path).as_posix().split("/") if p not in ("", "."))


def _same_report(decided: str | None, report: str | None) -> bool:
    if decided is None or report is None:
        return True
    report = shown(report)  # a baseline names a report whose name is not UTF-8 by its shown form
    if Path(decided).resolve() == Path(report).resolve():
        return True
    a, b = _parts(decided), _parts(report)
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and ".." not in shorter and longer[-len(shorter):] == shorter


@dataclass(frozen=True)
class Baseline:
    # fingerprint -> [(report path or None for every report, "dismissed" | "confirmed")]
    decisions: dict[str, list[tuple[str | None, str]]]

    def is_dismissed(self, finding: Finding, report: str | None = None) -> bool:
        return any(decision == "dismissed" and _same_report(path, report)
                   for path, decision in self.decisions.get(finding.fingerprint, ()))


def load_baseline(path: str | Path) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"无法读取基线文件 {path}：文件不存在")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"无法读取基线文件 {path}：{read_error_cause(exc)}")
    except json.JSONDecodeError as exc:  # its msg is English: the position says enough
        raise BaselineError(f"基线文件 {path} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列有语法错误")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BaselineError(f"基线文件 {path} 格式不对：schema 应为 “{SCHEMA}”")
    entries = data.get("decisions")
    if not isinstance(entries, list):
        raise BaselineError(f"基线文件 {path} 格式不对：decisions 应为列表")
    decisions: dict[str, list[tuple[str | None, str]]] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str) \
                or entry.get("decision") not in DECISIONS \
                or not isinstance(entry.get("path"), (str, type(None))):
            raise BaselineError(f"基线文件 {path} 第 {number} 条决定格式不对："
                                f"需要 fingerprint 和 decision（{'/'.join(DECISIONS)}），path 须为字符串")
        decisions.setdefault(entry["fingerprint"], []).append((entry.get("path") or None, entry["decision"]))
    return Baseline(decisions)


def apply_baseline(findings: list[Finding], baseline: Baseline | None,
                   report: str | None = None) -> tuple[list[Finding], int]:
    """(the findings of the report at `report` still to show, how many the baseline dismissed)."""
    if baseline is None:
        return list(findings), 0
    kept = [f for f in findings if not baseline.is_dismissed(f, report)]
    return kept, len(findings) - len(kept)


def write_baseline(results, path: str | Path) -> int:
    """Write every finding of `results` (AuditResults) as dismissed; returns how many.

    One entry per fingerprint and report, in input and document order, so the file diffs well.
    """
    decisions = []
    seen: set[tuple[str, str]] = set()
    for result in results:
        for finding in result.findings:
            if (finding.fingerprint, result.doc.path) in seen:
                continue
            seen.add((finding.fingerprint, result.doc.path))
            decisions.append({"fingerprint": finding.fingerprint, "rule": finding.rule,
                              "decision": "dismissed", "message": finding.message,
                              "path": shown(result.doc.path)})  # a name that is not UTF-8, escaped
    text = json.dumps({"schema": SCHEMA, "decisions": decisions}, ensure_ascii=False, indent=1)
    try:
        write_atomic(path, text + "\n")
    except OSError as exc:
        raise BaselineError(f"无法写入基线文件 {legible(str(path))}：{write_error_cause(exc)}")
    return len(decisions)


def apply_baseline_to_results(results, baseline: Baseline | None) -> tuple[list, int]:
    """AuditResults without the dismissed findings, re-scored; and how many were hidden.

    Re-scoring follows from what a dismissal means: the reviewer judged it a false alarm, so it
    should not cost the report points either.
    """
    from auditor.checks.score import score_findings

    if baseline is None:
        return list(results), 0
    kept_results, hidden = [], 0
    for result in results:
        kept, dismissed = apply_baseline(result.findings, baseline, result.doc.path)
        hidden += dismissed
        kept_results.append(dataclasses.replace(result, findings=kept, score=score_findings(kept, result.score.get("measures"))))
    return kept_results, hidden
