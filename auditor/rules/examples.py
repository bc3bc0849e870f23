"""A rule's examples as tests: each example is a small report (text, tables or a file) and the
number of findings the rule must give on it. `auditor rules check` and tests/test_rule_examples.py
run them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from auditor.rules.rule import Rule
from auditor.rules.schema import TABLE_KEYS


@dataclass(frozen=True)
class ExampleOutcome:
    rule: Rule
    index: int  # 1-based, as people count
    expected: int
    found: int | None  # None when the example could not be run
    detail: str  # a finding message, or why it could not run

    @property
    def passed(self) -> bool:
        return self.found == self.expected


def run_examples(rule: Rule, base_dir: Path) -> list[ExampleOutcome]:
    """Run each example of `rule` through the checks and count that rule's findings.

    `document`/`previous` paths are relative to `base_dir` (the rule file's directory).
    """
    from auditor.checks import run_checks

    outcomes = []
    for index, example in enumerate(rule.examples, start=1):
        expected = example["expect"]
        try:
            doc = _example_document(example, base_dir)
            previous = _example_previous(example.get("previous"), base_dir)
            result = run_checks(doc, [rule], previous=previous, withhold_unseen=False)
        except Exception as exc:  # a broken example or check must not stop the other examples
            outcomes.append(ExampleOutcome(rule, index, expected, None, f"无法运行：{exc}"))
            continue
        own = [f for f in result.findings if f.rule == rule.id]
        detail = own[0].message if own else ""
        outcomes.append(ExampleOutcome(rule, index, expected, len(own), detail))
    return outcomes


def text_document(text: str, path: str = "<example>"):
    """A Document made of `text` alone, as an example's `text:` gives it."""
    from auditor.model import SourceText, TextBlock
    from auditor.structure import build_document

    return build_document(SourceText(path=path, format="txt", encoding="utf-8",
                                     blocks=(TextBlock(text),)))


def with_tables(doc, tables: dict | None):
    """`doc` with the example's `tables:` in place of its own (the other tables kept)."""
    if not tables:
        return doc
    merged = {key: {} for key in TABLE_KEYS}
    merged.update(doc.tables)
    merged.update(tables)
    return dataclasses.replace(doc, tables=merged)


def _example_document(example: dict, base_dir: Path):
    from auditor.structure import parse_file

    if "document" in example:
        doc = parse_file(str(base_dir / example["document"]))
    else:
        doc = text_document(example.get("text", ""))
    doc = with_tables(doc, example.get("tables"))
    if example.get("meta"):
        doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, **example["meta"]))
    return doc


def _example_previous(previous, base_dir: Path):
    from auditor.structure import parse_file

    if previous is None:
        return None
    if isinstance(previous, str):
        return parse_file(str(base_dir / previous))
    return with_tables(text_document(previous.get("text", ""), "<previous>"), previous.get("tables"))
