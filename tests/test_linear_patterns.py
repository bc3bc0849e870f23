"""Never hang on a hostile input (issue 13): the package's own patterns are linear in the text,
rule files cannot bring a pattern that backtracks super-linearly, a YAML alias bomb is refused,
and a rules directory without rules is an error.

No test here measures time. The package's patterns are checked by construction (the rewritten
pattern gives the same matches as the old one) and run on long hostile strings in a child process
whose generous time-out (minutes, for work of a fraction of a second) only stops a hang.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from auditor.rules.loader import RuleFileError, collect_rules, load_rules
from auditor.rules.regex_safety import backtracking_problem
from auditor.rules.yaml_files import MAX_ALIAS_NODES, YamlLimitError, load_yaml

ROOT = Path(__file__).resolve().parents[1]


def run_cli(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def rule_file(regex: str, kind_params: str | None = None) -> str:
    params = kind_params or f"params: {{regex: {regex!r}}}".replace("'", '"')
    return textwrap.dedent(f"""\
        rules:
          - id: TST-P1
            kind: pattern
            category: vague
            severity: warning
            message: "m"
            rationale: r
            {params}
        """)


# --------------------------------------------------------------------------- rule patterns


@pytest.mark.parametrize("pattern", [
    r"(a+)+$",  # exponential: nested unbounded repeats
    r"(a|a)*b",  # exponential: overlapping alternatives repeated
    r"(?:ab)*c",  # a repeated group without a bound
    r"\d+号",  # quadratic: the search restarts inside every digit run
    r"《.*政府信息公开.*》",  # quadratic: .* can match the 《 before it
    r"x[^y]*y",
    r"日\s*(?:起)?\s*至",  # quadratic in a run of spaces: two \s* side by side
    r"(?m)^\s*x",  # \s matches the line break before a multiline ^
    r"(a{0,30}){0,30}",  # bounded, but 31^30 ways to match from one position
])
def test_patterns_that_backtrack_super_linearly_are_refused(pattern):
    assert backtracking_problem(pattern)


@pytest.mark.parametrize("pattern", [
    r"(?:国务院令|国令)\s*第\s*(?!711\s*号)(?:7\d\d|17\d)\s*号",  # rules/citations.yaml
    r"([\u4e00-\u9fff]{2,6})\1|([的和是对与及将把被并或其该于向从])\2",  # backreferences
    r"(?<![\d一二三])[\u4e00-\u9fff]条(?=[，。；、])",  # lookarounds
    r"《[^《》]*》", r"^\s*x", r"x\s*$", r"国令\s*", r"(?:ab){0,20}", r"条例|《[^\n]{0,80}政府信息公开[^\n]{0,80}》",
])
def test_linear_patterns_in_our_syntax_are_accepted(pattern):
    assert backtracking_problem(pattern) is None


def test_every_shipped_rule_pattern_is_accepted():
    """The shipped rules load with the check in place (a refused pattern is a problem)."""
    loaded = collect_rules()
    assert loaded.problems == [] and len(loaded.rules) > 90


def test_catastrophic_rule_pattern_is_refused_at_load_with_file_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad.yaml").write_text(rule_file("(a+)+$"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules(["rules"])
    [problem] = caught.value.problems
    assert problem.startswith("rules/bad.yaml:8:") and "TST-P1" in problem and "params.regex" in problem
    assert "上限" in problem


def test_refused_pattern_in_another_kind_is_found_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    text = textwrap.dedent("""\
        rules:
          - id: TST-S1
            kind: section
            category: structure
            severity: warning
            message: "m"
            rationale: r
            params:
              check: content
              where: head
              items:
                - {name: "a", pattern: "ok"}
                - {name: "b", pattern: "(x+)+y"}
        """)
    (tmp_path / "rules" / "sec.yaml").write_text(text, encoding="utf-8")
    [problem] = collect_rules(["rules"]).problems
    assert problem.startswith("rules/sec.yaml:13:") and "params.items[2].pattern" in problem


def test_audit_with_a_catastrophic_rule_exits_2_at_once(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad.yaml").write_text(rule_file("(a+)+$"), encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('rules_dir = "rules"\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("a" * 5000 + "!", encoding="utf-8")
    done = run_cli(tmp_path, "audit", "r.txt")
    assert done.returncode == 2 and "rules/bad.yaml:8" in done.stderr and "Traceback" not in done.stderr
    check = run_cli(tmp_path, "rules", "check", "rules")
    assert check.returncode == 1 and "rules/bad.yaml:8" in check.stdout


def test_syntax_error_in_a_rule_pattern_is_a_load_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad.yaml").write_text(rule_file("(unclosed"), encoding="utf-8")
    [problem] = collect_rules(["rules"]).problems
    assert "正则表达式有误" in problem and problem.startswith("rules/bad.yaml:8:")


# --------------------------------------------------------------------------- YAML aliases


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_without_walking_it():
    with pytest.raises(YamlLimitError, match="别名"):
        load_yaml(billion_laughs())


def test_recursive_alias_and_deep_nesting_are_refused():
    with pytest.raises(YamlLimitError, match="递归"):
        load_yaml("a: &a [1, *a]\n")
    with pytest.raises(YamlLimitError, match="嵌套"):
        load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")


def test_aliases_that_stay_small_are_allowed():
    """rules/structure.yaml shares a pattern with an anchor; a modest expansion is fine."""
    root, data = load_yaml(billion_laughs(levels=3) + "b: *a3\n")
    assert root is not None and len(data["b"]) == 9 and 9 ** 4 * 2 < MAX_ALIAS_NODES


def test_alias_bomb_in_a_rules_directory_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bomb.yaml").write_text(billion_laughs() + rule_file("x"), encoding="utf-8")
    done = run_cli(tmp_path, "rules", "check", "rules")
    assert "rules/bomb.yaml: YAML 别名展开后" in done.stdout and done.returncode == 1
    (tmp_path / "auditor.toml").write_text('rules_dir = "rules"\n', encoding="utf-8")
    (tmp_path / "r.txt").write_text("报告", encoding="utf-8")
    done = run_cli(tmp_path, "audit", "r.txt")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "rules/bomb.yaml" in done.stderr


# --------------------------------------------------------------------------- no rules


@pytest.mark.parametrize("directory", ["empty", "/etc"])
def test_rules_dir_without_rules_is_an_error_not_a_pass(tmp_path, directory):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.yaml").write_text("words: [a, b]\n", encoding="utf-8")  # a data list only
    (tmp_path / "auditor.toml").write_text(f'rules_dir = "{directory}"\n', encoding="utf-8")
    (tmp_path / "r.txt").write_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    done = run_cli(tmp_path, "audit", "r.txt")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "没有任何规则" in done.stderr and directory in done.stderr
    check = run_cli(tmp_path, "rules", "check", directory)
    assert check.returncode == 2 and "没有任何规则" in check.stderr
