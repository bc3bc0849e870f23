"""`--format sarif`: SARIF 2.1.0 for code-scanning dashboards and editors.

One run for all files. `tool.driver.rules` lists every selected rule and every rule that
fired, sorted by id, and each result points to its rule by `ruleIndex`. Offsets and
line/column numbers refer to the normalized text of the report (Document.text, the text every
span indexes into), counted in Unicode code points — hence `columnKind: unicodeCodePoints`.
For docx/pdf/html input that text is not the bytes of the file, so a viewer's line numbers
are approximate there; `region.snippet` carries the exact text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from auditor import __version__

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "auditorFingerprint/v1"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def render(results: Sequence, rules: Sequence = (), color: bool = False) -> str:
    return json.dumps(build_log(results, rules), ensure_ascii=False, indent=2, default=str) + "\n"


def build_log(results: Sequence, rules: Sequence = ()) -> dict:
    descriptors = _descriptors(results, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results = [_result(result, finding, index[finding.rule])
                     for result in results for finding in result.findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "auditor", "version": __version__,
                                "semanticVersion": __version__, "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }


def summary(message_template: str) -> str:
    """A rule's message template as a one-line summary: placeholders become “…”."""
    first_line = message_template.strip().splitlines()[0] if message_template.strip() else ""
    return _PLACEHOLDER.sub("…", first_line)


def _descriptors(results: Sequence, rules: Sequence) -> list[dict]:
    by_id: dict[str, dict] = {}
    for rule in rules:
        by_id[rule.id] = {
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": summary(rule.message) or rule.id},
            "fullDescription": {"text": rule.rationale or summary(rule.message) or rule.id},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": {"category": rule.category, "kind": rule.kind},
        }
        if rule.aliases:
            by_id[rule.id]["deprecatedIds"] = list(rule.aliases)
    # A check may report under an id the run did not load (or under an alias); describe it
    # from its first finding so every result still has a rule to point to.
    for result in results:
        for finding in result.findings:
            if finding.rule not in by_id:
                by_id[finding.rule] = {
                    "id": finding.rule,
                    "name": finding.rule,
                    "shortDescription": {"text": finding.rule},
                    "defaultConfiguration": {"level": LEVELS[finding.severity]},
                    "properties": {"category": finding.category},
                }
    return [by_id[rule_id] for rule_id in sorted(by_id)]


def artifact_uri(path: str) -> str:
    """A URI reference for a report path: relative paths stay relative, absolute become file:."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(p.as_posix(), safe="/")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of character `offset` of `text`."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


def _result(audit_result, finding, rule_index: int) -> dict:
    doc = audit_result.doc
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(doc.path)}}}
    if finding.span is not None:
        start, end = finding.span.start, finding.span.end
        start_line, start_column = line_column(doc.text, start)
        end_line, end_column = line_column(doc.text, end)
        location["physicalLocation"]["region"] = {
            "startLine": start_line, "startColumn": start_column,
            "endLine": end_line, "endColumn": end_column,
            "charOffset": start, "charLength": end - start,
            "snippet": {"text": finding.span.text},
        }
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"category": finding.category, "section": finding.section,
                       "cells": list(finding.cells), "evidence": finding.evidence},
    }
