"""`--format sarif`: SARIF 2.1.0 for code-scanning dashboards and editors.

One run for all files. `tool.driver.rules` lists every selected rule and every rule that
fired, sorted by id, and each result points to its rule by `ruleIndex`.

Locations point into the file on disk, not into the normalized text the checks read (the
document's SourceMap, auditor/sourcemap.py, leads back):
- txt/md and html: `region` with line and column of the file (for html, of the page source),
  counted in Unicode code points (`columnKind: unicodeCodePoints`), `charOffset`/`charLength`
  in the decoded file, and `snippet` the file's text there (for html, with its markup);
- docx and pdf, where lines mean nothing: no region (SARIF requires a region to start at a line
  or an offset); the location's `message` carries the finding's text, and the physical
  location's `properties` the PDF `page` or the Word `paragraph`/`table` (1-based, in body order);
  a PDF page is also a logical location.
A finding about a section names it as a logical location (kind "section"; the official heading
when the report lacks the section). The finding's span in the normalized text (offsets and text)
stays in the result's `properties.span`, as in the audit JSON.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from auditor import __version__
from auditor.read import source_text
from auditor.sourcemap import line_column
from auditor.structure.sections import EXPECTED_NUMERAL, TITLE_PATTERNS

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "auditorFingerprint/v1"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def render(results: Sequence, rules: Sequence = (), color: bool = False) -> str:
    return json.dumps(build_log(results, rules), ensure_ascii=False, indent=2, default=str) + "\n"


def build_log(results: Sequence, rules: Sequence = ()) -> dict:
    descriptors = _descriptors(results, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results = []
    for result in results:
        source = _source(result.doc)
        sarif_results.extend(_result(result, finding, index[finding.rule], source)
                             for finding in result.findings)
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


def _source(doc) -> str | None:
    """The decoded file a "text" source map indexes into, read again from disk (documents do
    not carry their file: a batch keeps thousands of them)."""
    if doc.source_map is None or doc.source_map.kind != "text":
        return None
    return source_text(doc.path)


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
    """A URI reference for a report path: relative paths stay relative, absolute become file:.
    Percent-encodes the name's bytes, so a name that is not UTF-8 (GBK from a Windows zip) gets
    the URI of the file it is."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(os.fsencode(p.as_posix()), safe="/")


def _result(audit_result, finding, rule_index: int, source: str | None) -> dict:
    doc = audit_result.doc
    properties = {"category": finding.category, "section": finding.section,
                  "cells": list(finding.cells), "evidence": finding.evidence}
    if finding.span is not None:
        properties["span"] = finding.span.to_json()
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(doc, finding, source)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }


def _location(doc, finding, source: str | None) -> dict:
    physical: dict = {"artifactLocation": {"uri": artifact_uri(doc.path)}}
    location: dict = {"physicalLocation": physical}
    logical = []
    if finding.section:
        logical.append({"name": _section_title(doc, finding.section), "kind": "section",
                        "fullyQualifiedName": finding.section})
    span = finding.span
    bounds = doc.source_map.bounds(span.start, span.end) if span and doc.source_map else None
    if bounds is not None and doc.source_map.kind == "text" and source is not None \
            and bounds[1] < len(source):
        start, end = bounds[0], bounds[1] + 1
        start_line, start_column = line_column(source, start)
        end_line, end_column = line_column(source, end)
        physical["region"] = {
            "startLine": start_line, "startColumn": start_column,
            "endLine": end_line, "endColumn": end_column,
            "charOffset": start, "charLength": end - start,
            "snippet": {"text": source[start:end]},
        }
    elif span is not None:
        # No line to point at: the finding's own text lets a reader find the place.
        location["message"] = {"text": span.text}
        if bounds is not None and doc.source_map.kind in ("page", "scan"):
            # A scan map's origins are OCR boxes: their pages (the box itself is in the evidence).
            first, last = (doc.source_map.page(origin) for origin in bounds)
            physical["properties"] = {"page": first, **({"endPage": last} if last != first else {})}
            logical.append({"name": f"第{first}页" if last == first else f"第{first}–{last}页",
                            "kind": "page"})
        elif bounds is not None and doc.source_map.kind == "element":
            kind, number = doc.source_map.element(bounds[0])
            physical["properties"] = {kind: number}
            if bounds[1] != bounds[0]:
                end_kind, end_number = doc.source_map.element(bounds[1])
                physical["properties"]["end"] = {end_kind: end_number}
    if logical:
        location["logicalLocations"] = logical
    return location


def _section_title(doc, key: str) -> str:
    """The heading the report prints, or the official one for a section it lacks."""
    section = doc.section(key)
    if section is not None:
        return section.title
    if key in TITLE_PATTERNS:
        return f"{EXPECTED_NUMERAL[key]}、{TITLE_PATTERNS[key][0]}"
    return key
