"""The one place a Finding is built, so evidence, fingerprint and severity are uniform."""

from __future__ import annotations

import hashlib
import re

from auditor.model import Document, Finding, Span

_WS = re.compile(r"\s+")


def section_at(doc: Document, offset: int) -> str | None:
    for s in doc.sections:
        if s.start <= offset < s.end:
            return s.key
    return None


def fingerprint(rule_id: str, content: str) -> str:
    """Rule + normalized content: survives edits elsewhere in the report and shifted offsets."""
    normalized = _WS.sub("", content)
    return hashlib.sha256(f"{rule_id}\x1f{normalized}".encode("utf-8")).hexdigest()[:24]


def make_finding(rule, doc: Document, message: str, *, span: tuple[int, int] | None = None,
                 cells: tuple[str, ...] | list[str] = (), evidence: dict | None = None,
                 section: str | None = None, severity: str | None = None,
                 content: str | None = None) -> Finding:
    """Build a finding for `rule` (a Rule) about `doc`.

    span: (start, end) into doc.text; the section defaults to the one containing the span.
    content: what the fingerprint is computed from; defaults to the span text, else the cells
    with their values, else the message.
    """
    span_obj = None
    if span is not None:
        start, end = span
        span_obj = Span(start, end, doc.text[start:end])
        if section is None:
            section = section_at(doc, start)
    cells = tuple(cells)
    if content is None:
        if span_obj is not None:
            content = span_obj.text
        elif cells:
            content = ";".join(f"{c}={doc.cell(c)}" for c in cells)
        else:
            content = message
    return Finding(rule=rule.id, category=rule.category, severity=severity or rule.severity,
                   message=message, section=section, span=span_obj, cells=cells,
                   evidence=evidence or {}, fingerprint=fingerprint(rule.id, content))

