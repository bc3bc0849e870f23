"""Rules as data: everything between the YAML files of rules/ and the checks that apply them.

- rule.py      the Rule every check kind receives (and the kinds there are);
- schema.py    what a rule file may hold, as JSON Schema;
- loader.py    rule files → Rules, every problem as a Chinese `file:line:column` line;
- data.py      the data lists the checks read by name (rules/*.yaml without a `rules:` key);
- examples.py  each rule's examples run as tests (`auditor rules check`);
- shipped/     in a wheel only: the repository's top-level rules/ as package data (a checkout
               reads rules/ itself; auditor/resources.py says which directory is in effect).

Nothing is imported here, so `from auditor.rules.rule import Rule` stays as light as the
dataclass itself.
"""
