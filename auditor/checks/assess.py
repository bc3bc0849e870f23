"""What of a report could be assessed at all.

A page beginning or a text cut off mid-table is not a report with missing parts: what lies past
the cut was never seen, so it is "无法评估", not "缺少". This module decides, from the Document
alone, whether the text is cut short and which sections and tables that leaves unseen; the check
stage then withholds the findings about unseen parts (an excerpt's absent section 六 is no
defect) and the score does not award points for what no check could look at.

A text is cut short when the last section of its layout is absent and either it ends
mid-sentence, or at least two sections are missing after the last one present (a report that
stops after section 二 at a full stop is an excerpt; one missing only its section 六 is a report
without section 六, which is a defect).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import Document, Finding
from auditor.structure.sections import SECTION_ORDER

# The layouts' sections in order; the 2008 layout had no section 六 "其他需要报告的事项".
LAYOUT_SECTIONS = {"2008": tuple(k for k in SECTION_ORDER if k != "other")}
# Where each table is printed (its section) — an unseen section means an unseen table.
TABLE_SECTION = {"active": "active", "applications": "applications", "appeals": "appeals"}
# A sentence (or a signature or date line) ends here; anything else is a cut.
_CLEAN_END = re.compile(r"(?:[。！？!?；;…”’」』）)\]】]|[0-9〇一二三四五六七八九十]{1,4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月"
                        r"\s*[0-9一二三四五六七八九十]{1,3}\s*日|事项)\s*$")


@dataclass(frozen=True)
class Coverage:
    truncated: bool
    ends_with: str  # the last characters of the text, to show where it stops
    unseen: frozenset[str] = field(default_factory=frozenset)  # section keys past the cut (and the cut one)
    cut: str | None = None  # the section the text stops in, mid-sentence (its table may be cut through)

    def concerns_unseen(self, finding: Finding, judges_whole_section: bool, doc: Document) -> bool:
        """The finding judges a part the text does not show: a cell of the table the text stops
        in that was never read, or — for a rule that judges a whole section or the whole report
        (an absence, a grade, a share) — a section past the cut. What the text does say, and
        the rows of a table read before the cut, stand."""
        if not self.truncated:
            return False
        if self.cut and any(TABLE_SECTION.get(cell.split(".")[0]) == self.cut and doc.cell(cell) is None
                            for cell in finding.cells):
            return True
        if not judges_whole_section:
            return False
        if finding.evidence.get("where") == "all":
            return True  # "nowhere in the report" cannot be said of a text cut short
        missing = finding.evidence.get("missing")
        if isinstance(missing, str) and missing in self.unseen:
            return True
        return finding.section in self.unseen


def judges_whole_section(rule) -> bool:
    """Rules whose finding says something about a section as a whole (or its absence)."""
    params = rule.params or {}
    return (rule.kind == "metric"
            or (rule.kind == "pattern" and "require" in params)
            or (rule.kind == "section" and params.get("check") in WHOLE_SECTION_CHECKS)
            or (rule.kind == "similarity" and params.get("mode") in ("previous_section", "template_sentences"))
            or (rule.kind == "identity" and params.get("mode") == "blank")
            or (rule.kind == "claim" and params.get("mode") in ("required_figures", "substance")))


WHOLE_SECTION_CHECKS = ("required", "content", "fee_statement", "table_unexplained", "numerals")


def expected_sections(doc: Document) -> tuple[str, ...]:
    return LAYOUT_SECTIONS.get(doc.meta.template, SECTION_ORDER)


def coverage(doc: Document) -> Coverage:
    expected = expected_sections(doc)
    present = {s.key for s in doc.sections}
    text = doc.text.rstrip()
    ends_with = text[-20:]
    if expected[-1] in present:
        return Coverage(False, ends_with)
    last_line = text.splitlines()[-1] if text else ""
    mid_sentence = not _CLEAN_END.search(last_line)
    last_present = max((expected.index(k) for k in present if k in expected), default=-1)
    missing_tail = expected[last_present + 1:]
    if not (mid_sentence or len(missing_tail) >= 2):
        return Coverage(False, ends_with)
    unseen = set(missing_tail)
    cut = expected[last_present] if mid_sentence and last_present >= 0 else None
    if cut:
        unseen.add(cut)
    return Coverage(True, ends_with, frozenset(unseen), cut)
