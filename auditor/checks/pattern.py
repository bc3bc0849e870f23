"""Rule kind `pattern`: a regular expression over the normalized text.

params:
  regex: what must not occur (every match is a finding)
  when: conditions on the document — min_year / max_year (report year), templates
  require: instead of `regex`, a regex that must occur at least once in the scope (one finding
           when it does not)
rule.scope: section keys (empty = whole text)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import Document, Finding
from auditor.ruleset import Rule


def _applies(doc: Document, when: dict) -> bool:
    year = doc.meta.year
    if "min_year" in when and (year is None or year < when["min_year"]):
        return False
    if "max_year" in when and (year is None or year > when["max_year"]):
        return False
    if "templates" in when and doc.meta.template not in when["templates"]:
        return False
    return True


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        p = rule.params
        if not _applies(doc, p.get("when", {})):
            continue
        if rule.scope:
            sections = [s for s in doc.sections if s.key in rule.scope]
            spans = [(s.start, s.end) for s in sections]
        else:
            sections = []
            spans = [(0, len(doc.text))]
        if "require" in p:
            if spans and not any(re.search(p["require"], doc.text[a:b]) for a, b in spans):
                # Point at the heading of the section that lacks the required content.
                heading = (sections[0].start, sections[0].start + len(sections[0].title)) if sections else None
                yield make_finding(rule, doc, rule.format(), span=heading, content=f"missing:{p['require']}",
                                   evidence={"required_pattern": p["require"],
                                             "searched": [s.key for s in sections] or ["全文"]})
            continue
        regex = re.compile(p["regex"])
        for a, b in spans:
            for m in regex.finditer(doc.text, a, b):
                yield make_finding(rule, doc, rule.format(match=m.group(0), year=doc.meta.year),
                                   span=(m.start(), m.end()))
