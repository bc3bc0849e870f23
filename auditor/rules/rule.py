"""Rules as data: the Rule object every check kind receives.

Rules live in rules/*.yaml. Python implements rule *kinds* (auditor/checks/<kind>.py); a rule
file only chooses a kind and gives it parameters, a message, a severity and examples. Loading
and validation (with file:line errors) are in auditor/rules/loader.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RULE_KINDS = ("phrase", "pattern", "metric", "identity", "claim", "section", "similarity", "typo")


@dataclass(frozen=True)
class Rule:
    id: str  # stable, e.g. "TBL-I1"; never reused or renamed (aliases keep old ids working)
    kind: str  # one of RULE_KINDS
    category: str  # a category of contract.md
    severity: str  # error | warning | info
    message: str  # Chinese message template, str.format() with the check's named values
    rationale: str  # why the rule exists, with the source (law, format notice, report-format.md)
    params: dict = field(default_factory=dict)  # kind-specific
    scope: tuple[str, ...] = ()  # section keys the rule looks at; empty = whole document
    examples: tuple[dict, ...] = ()  # {"text"|"tables": …, "expect": n findings} run as tests
    aliases: tuple[str, ...] = ()
    source: str = ""  # "rules/tables.yaml:12"

    def format(self, **values) -> str:
        return self.message.format(**values)
