"""rules/*.yaml → Rule objects; every problem reported as file:line:column in Chinese."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from auditor.rules.examples import run_examples
from auditor.rules.loader import RuleFileError, collect_rules, default_rules_dir, load_rules

GOOD_RULE = """\
rules:
  - id: TST-P1
    kind: pattern
    category: vague
    severity: warning
    message: "套话“{match}”"
    rationale: 测试用。
    scope: [problems]
    aliases: [TST-OLD1]
    params:
      regex: "进一步加强"
    examples:
      - text: 要进一步加强。
        expect: 1
"""


def write(directory, name, text):
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def rules_dir(tmp_path, monkeypatch):
    # Errors are shown relative to the working directory, so the expected lines stay short.
    monkeypatch.chdir(tmp_path)
    return tmp_path / "rules"


def problems_of(rules_dir) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        load_rules([str(rules_dir)])
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_valid_rule_becomes_a_rule_with_its_source_line(rules_dir):
    write(rules_dir, "vague.yaml", "# comment line\n" + GOOD_RULE)
    [rule] = load_rules([str(rules_dir)])
    assert rule.id == "TST-P1" and rule.kind == "pattern" and rule.severity == "warning"
    assert rule.scope == ("problems",) and rule.aliases == ("TST-OLD1",)
    assert rule.params == {"regex": "进一步加强"}
    assert rule.examples == ({"text": "要进一步加强。", "expect": 1},)
    assert rule.source == "rules/vague.yaml:3"


def test_bad_severity_points_to_its_key(rules_dir):
    write(rules_dir, "tables.yaml", """\
        rules:
          - id: TBL-I1
            kind: identity
            category: table
            severity: fatal
            message: m
            rationale: r
        """)
    assert problems_of(rules_dir) == [
        "rules/tables.yaml:5:5: 规则 TBL-I1 的 severity 必须是 error/warning/info 之一"]


def test_every_problem_of_a_file_is_reported_in_order(rules_dir):
    write(rules_dir, "bad.yaml", """\
        rules:
          - id: tbl-1
            kind: magic
            category: table
            severity: error
            message: ""
            rationale: r
            colour: red
            scope: [overview, nowhere]
            examples:
              - expect: -1
                text: a
              - note: no input
                expect: 0
          - kind: phrase
            category: vague
            severity: info
            message: m
            rationale: r
        """)
    problems = problems_of(rules_dir)
    assert problems[0].startswith("rules/bad.yaml:2:5: 规则 tbl-1 的 id “tbl-1” 格式不对")
    assert problems[1:] == [
        "rules/bad.yaml:3:5: 规则 tbl-1 的 kind 必须是 phrase/pattern/metric/identity/claim/section/similarity/typo 之一",
        "rules/bad.yaml:6:5: 规则 tbl-1 的 message 不能为空",
        "rules/bad.yaml:8:5: 规则 tbl-1 有未知字段 colour",
        "rules/bad.yaml:9:23: 规则 tbl-1 的 scope[2] 必须是 "
        "overview/active/applications/appeals/problems/other 之一",
        "rules/bad.yaml:11:9: 规则 tbl-1 的 examples[1].expect 必须是不小于 0 的整数",
        "rules/bad.yaml:13:9: 规则 tbl-1 的 examples[2] 必须有 text、tables 或 document 之一",
        "rules/bad.yaml:15:5: 第 2 条规则 缺少必填字段 id",
    ]


def test_duplicate_ids_and_aliases_across_files(rules_dir):
    write(rules_dir, "a.yaml", GOOD_RULE)
    write(rules_dir, "b.yaml", """\
        rules:
          - id: TST-P1
            kind: pattern
            category: vague
            severity: info
            message: m
            rationale: r
          - id: TST-P2
            aliases: [TST-OLD1]
            kind: pattern
            category: vague
            severity: info
            message: m
            rationale: r
        """)
    assert problems_of(rules_dir) == [
        "rules/b.yaml:2:5: 规则编号 TST-P1 重复（已在 rules/a.yaml:2 定义）",
        "rules/b.yaml:9:15: 规则别名 TST-OLD1 重复（已在 rules/a.yaml:2 定义）",
    ]


def test_duplicate_key_and_yaml_syntax_errors(rules_dir):
    write(rules_dir, "a.yaml", GOOD_RULE.replace("    severity: warning\n",
                                                 "    severity: warning\n    severity: info\n"))
    write(rules_dir, "b.yaml", "rules:\n  - id: [unclosed\n    kind: x\n")
    problems = problems_of(rules_dir)
    assert problems[0] == "rules/a.yaml:6:5: 字段 severity 在同一映射中出现了两次"
    assert problems[1].startswith("rules/b.yaml:3:") and "YAML 语法错误" in problems[1]


def test_data_files_without_rules_key_are_ignored(rules_dir):
    write(rules_dir, "phrases.yaml", "phrases: [进一步, 持续]\n")
    write(rules_dir, "list.yaml", "- 一\n- 二\n")
    write(rules_dir, "a.yaml", GOOD_RULE)
    assert [r.id for r in load_rules([str(rules_dir)])] == ["TST-P1"]


def test_collect_rules_keeps_valid_rules_next_to_problems(rules_dir):
    write(rules_dir, "a.yaml", GOOD_RULE)
    write(rules_dir, "b.yaml", "rules:\n  - id: TST-X1\n    kind: pattern\n")
    loaded = collect_rules([str(rules_dir)])
    assert [r.id for r in loaded.rules] == ["TST-P1"]
    assert loaded.problems == ["rules/b.yaml:2:5: 规则 TST-X1 缺少必填字段 category、severity、message、rationale"]


def test_missing_directory_is_a_problem(rules_dir):
    assert problems_of(rules_dir) == ["rules: 找不到规则文件或目录"]


def test_default_rules_dir_in_a_checkout_is_the_repository_rules():
    assert default_rules_dir() == Path(__file__).resolve().parents[1] / "rules"


def test_examples_run_as_tests(rules_dir):
    pytest.importorskip("auditor.checks.identity")
    write(rules_dir, "tables.yaml", """\
        rules:
          - id: TST-I1
            kind: identity
            category: table
            severity: error
            message: "{line}：{expression}"
            rationale: 测试用。
            params: {table: applications, expression: "new_received = carried_over", only: [total]}
            examples:
              - tables: {applications: {new_received: {total: 3}, carried_over: {total: 2}}}
                expect: 1
              - tables: {applications: {new_received: {total: 2}, carried_over: {total: 2}}}
                expect: 0
              - text: 没有表格的报告。
                expect: 1
        """)
    [rule] = load_rules([str(rules_dir)])
    outcomes = run_examples(rule, rules_dir)
    assert [(o.index, o.expected, o.found, o.passed) for o in outcomes] == [
        (1, 1, 1, True), (2, 0, 0, True), (3, 1, 0, False)]
