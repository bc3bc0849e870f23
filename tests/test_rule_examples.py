"""Every rule's examples are its tests: each must produce exactly the expected findings."""

from __future__ import annotations

import pytest

from auditor.rules.examples import run_examples
from auditor.rules.loader import default_rules_dir, load_rules

RULES = load_rules()


def test_every_rule_has_examples():
    assert [r.id for r in RULES if not r.examples] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    outcomes = run_examples(rule, default_rules_dir())
    failed = [o for o in outcomes if not o.passed]
    assert not failed, "\n".join(str(o) for o in failed)
