"""Baselines: a reviewer's decisions about findings, so a dismissed finding never comes back.

A baseline file is JSON:

    {"schema": "auditor.baseline/1",
     "decisions": [{"fingerprint": "...", "rule": "TBL-I1", "decision": "dismissed",
                    "message": "...", "path": "reports/a.txt"}]}

Decisions are keyed on the finding's fingerprint (rule + normalized content, never offsets),
so they survive edits elsewhere in the report. `dismissed` hides the finding; `confirmed`
records that a reviewer agreed with it and keeps it visible. `rule`, `message` and `path` are
there for the people reading the file; only the fingerprint is matched.

`auditor audit --write-baseline PATH` writes every current finding as dismissed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from auditor.model import Finding

SCHEMA = "auditor.baseline/1"
DECISIONS = ("dismissed", "confirmed")


class BaselineError(Exception):
    """An unreadable or invalid baseline file; str() is one Chinese line."""


@dataclass(frozen=True)
class Baseline:
    decisions: dict[str, str]  # fingerprint -> "dismissed" | "confirmed"

    def is_dismissed(self, finding: Finding) -> bool:
        return self.decisions.get(finding.fingerprint) == "dismissed"


def load_baseline(path: str | Path) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"无法读取基线文件 {path}：文件不存在")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"无法读取基线文件 {path}：{exc}")
    except json.JSONDecodeError as exc:
        raise BaselineError(f"基线文件 {path} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BaselineError(f"基线文件 {path} 格式不对：schema 应为 “{SCHEMA}”")
    entries = data.get("decisions")
    if not isinstance(entries, list):
        raise BaselineError(f"基线文件 {path} 格式不对：decisions 应为列表")
    decisions: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str) \
                or entry.get("decision") not in DECISIONS:
            raise BaselineError(f"基线文件 {path} 第 {number} 条决定格式不对："
                                f"需要 fingerprint 和 decision（{'/'.join(DECISIONS)}）")
        decisions[entry["fingerprint"]] = entry["decision"]
    return Baseline(decisions)


def apply_baseline(findings: list[Finding], baseline: Baseline | None) -> tuple[list[Finding], int]:
    """(the findings still to show, how many the baseline dismissed)."""
    if baseline is None:
        return list(findings), 0
    kept = [f for f in findings if not baseline.is_dismissed(f)]
    return kept, len(findings) - len(kept)


def write_baseline(results, path: str | Path) -> int:
    """Write every finding of `results` (AuditResults) as dismissed; returns how many.

    One entry per fingerprint, in input and document order, so the file diffs well.
    """
    decisions = []
    seen: set[str] = set()
    for result in results:
        for finding in result.findings:
            if finding.fingerprint in seen:
                continue
            seen.add(finding.fingerprint)
            decisions.append({"fingerprint": finding.fingerprint, "rule": finding.rule,
                              "decision": "dismissed", "message": finding.message,
                              "path": result.doc.path})
    text = json.dumps({"schema": SCHEMA, "decisions": decisions}, ensure_ascii=False, indent=1)
    try:
        Path(path).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"无法写入基线文件 {path}：{exc.strerror or exc}")
    return len(decisions)


def apply_baseline_to_results(results, baseline: Baseline | None) -> tuple[list, int]:
    """AuditResults without the dismissed findings, re-scored; and how many were hidden.

    Re-scoring follows from what a dismissal means: the reviewer judged it a false alarm, so it
    should not cost the report points either.
    """
    from auditor.checks import score_findings

    if baseline is None:
        return list(results), 0
    kept_results, hidden = [], 0
    for result in results:
        kept, dismissed = apply_baseline(result.findings, baseline)
        hidden += dismissed
        kept_results.append(dataclasses.replace(result, findings=kept, score=score_findings(kept)))
    return kept_results, hidden
