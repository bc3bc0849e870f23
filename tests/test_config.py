"""Effective configuration: discovery upward, --config, flags; select/ignore by specificity."""

from __future__ import annotations

import pytest

from auditor.config import (ConfigError, apply_severity, discover_config_file, filter_rules,
                            load_config, nearest_rule_ids, unknown_rule_entries)
from auditor.rules.rule import Rule


def rule(rule_id: str, *aliases: str, severity: str = "error") -> Rule:
    return Rule(id=rule_id, kind="identity", category="table", severity=severity, message="m",
                rationale="r", aliases=aliases)


@pytest.fixture
def tree(tmp_path):
    """project/ (pyproject [tool.auditor]) > sub/ (auditor.toml) > deep/ (unrelated pyproject) > report."""
    project = tmp_path / "project"
    deep = project / "sub" / "deep"
    deep.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.auditor]\nfail_on = "warning"\nselect = ["TBL"]\n', encoding="utf-8")
    (project / "sub" / "auditor.toml").write_text(
        'ignore = ["TBL-I1"]\nbaseline = "baseline.json"\n', encoding="utf-8")
    (deep / "pyproject.toml").write_text('[project]\nname = "unrelated"\n', encoding="utf-8")
    report = deep / "report.txt"
    report.write_text("报告", encoding="utf-8")
    return project, report


def test_defaults_without_any_file(tmp_path):
    config = load_config(start=tmp_path)
    assert (config.select, config.ignore, config.fail_on, config.baseline, config.severity) == \
        ((), (), "error", None, {})
    assert config.source is None


def test_nearest_directory_wins_and_unrelated_pyproject_is_skipped(tree):
    project, report = tree
    config = load_config(start=report)
    assert config.source == str(project / "sub" / "auditor.toml")
    assert config.ignore == ("TBL-I1",)
    assert config.select == () and config.fail_on == "error"  # files are not merged
    # paths in a config file are relative to that file
    assert config.baseline == str(project / "sub" / "baseline.json")


def test_pyproject_tool_table_is_found(tree):
    project, _ = tree
    (project / "sub" / "auditor.toml").unlink()
    config = load_config(start=project / "sub" / "deep")
    assert config.source == str(project / "pyproject.toml")
    assert config.select == ("TBL",) and config.fail_on == "warning"


def test_auditor_toml_beats_pyproject_in_the_same_directory(tree):
    project, _ = tree
    (project / "auditor.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    assert discover_config_file(project) == (project / "auditor.toml", "auditor.toml")
    assert load_config(start=project).fail_on == "never"


def test_explicit_config_replaces_discovery_and_flags_win(tree, tmp_path):
    _, report = tree
    explicit = tmp_path / "ci.toml"
    explicit.write_text('fail_on = "never"\nselect = ["STR"]\n[severity]\n"STR-FEE" = "info"\n',
                        encoding="utf-8")
    config = load_config(start=report, config_path=str(explicit))
    assert config.source == str(explicit)
    assert (config.fail_on, config.select, config.ignore) == ("never", ("STR",), ())
    assert config.severity == {"STR-FEE": "info"}
    config = load_config(start=report, config_path=str(explicit),
                         overrides={"select": "TBL, CLM-01", "fail_on": "warning", "ignore": None})
    assert (config.select, config.fail_on) == (("TBL", "CLM-01"), "warning")


def test_unknown_key_is_one_chinese_line_naming_file_and_key(tmp_path):
    (tmp_path / "auditor.toml").write_text('selct = ["TBL"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(tmp_path / "auditor.toml") in message and "未知的配置项 “selct”" in message


def test_unknown_key_in_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nformat = "json"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tool.auditor\]：未知的配置项 “format”"):
        load_config(start=tmp_path)


def test_bad_values_are_rejected(tmp_path):
    (tmp_path / "auditor.toml").write_text('fail_on = "sometimes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fail_on 必须是 error/warning/never 之一"):
        load_config(start=tmp_path)
    with pytest.raises(ConfigError, match="文件不存在"):
        load_config(config_path=str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="TOML 格式错误"):
        (tmp_path / "broken.toml").write_text("select = [", encoding="utf-8")
        load_config(config_path=str(tmp_path / "broken.toml"))


RULES = [rule("TBL-I1"), rule("TBL-I10"), rule("TBL-I2"), rule("TBL-BLANK"),
         rule("STR-SECTION", "STR-01"), rule("VAG-EMPTY")]


def selected(**options) -> list[str]:
    return [r.id for r in filter_rules(RULES, load_config(start="/", overrides=options))]


def test_empty_select_means_all_and_ignore_removes():
    assert selected() == [r.id for r in RULES]
    assert selected(ignore="TBL") == ["STR-SECTION", "VAG-EMPTY"]


def test_longer_prefix_wins():
    assert selected(select="TBL", ignore="TBL-I") == ["TBL-BLANK"]
    assert selected(select="TBL-I", ignore="TBL") == ["TBL-I1", "TBL-I10", "TBL-I2"]


def test_exact_id_beats_a_prefix_and_ties_go_to_ignore():
    # TBL-I1 is an exact id for TBL-I1 and a plain prefix of TBL-I10, as in flake8
    assert selected(select="TBL-I1", ignore="TBL-I1") == []
    assert selected(select="TBL-I10,TBL", ignore="TBL-I1") == ["TBL-I10", "TBL-I2", "TBL-BLANK"]
    assert selected(select="TBL-I", ignore="TBL-I") == []


def test_aliases_match_like_ids():
    assert selected(select="STR-01") == ["STR-SECTION"]
    assert selected(ignore="STR-0") == ["TBL-I1", "TBL-I10", "TBL-I2", "TBL-BLANK", "VAG-EMPTY"]


def test_severity_overrides_by_id_or_alias():
    config = load_config(start="/", overrides={"severity": {"STR-01": "info", "TBL-I2": "warning"}})
    adjusted = {r.id: r.severity for r in apply_severity(RULES, config)}
    assert adjusted["STR-SECTION"] == "info" and adjusted["TBL-I2"] == "warning"
    assert adjusted["TBL-I1"] == "error"


def test_entries_naming_no_rule_are_errors_with_the_nearest_ids(tmp_path):
    config = load_config(start="/", overrides={"select": "TBL,xyz,TLB", "ignore": "STR-01,CLM-",
                                               "severity": {"NOPE-1": "info", "STR-01": "info"}})
    assert config.select == ("TBL", "XYZ", "TLB")  # rule ids are upper case; so are the entries
    assert unknown_rule_entries(RULES + [rule("CLM-RECEIVED")], config) == [
        "--select 中的“XYZ”不是任何规则的编号或前缀；最接近的：" + "、".join(
            nearest_rule_ids("XYZ", ["CLM-RECEIVED", "STR-01"] + [r.id for r in RULES]))
        + "（auditor rules list 列出全部规则）",
        "--select 中的“TLB”不是任何规则的编号或前缀；最接近的：TBL、TBL-BLANK、TBL-I1（auditor rules list 列出全部规则）",
        "--severity 中的“NOPE-1”不是任何规则的编号；最接近的：" + "、".join(
            nearest_rule_ids("NOPE-1", ["CLM-RECEIVED", "STR-01"] + [r.id for r in RULES]))
        + "（auditor rules list 列出全部规则）",
    ]
    # A family prefix with or without its dash is a prefix like any other; so is an alias's.
    assert unknown_rule_entries(RULES, load_config(start="/", overrides={"select": "TBL,VAG-,STR-0"})) == []
    # A configuration file is named as the place to fix.
    (tmp_path / "auditor.toml").write_text('ignore = ["TBL-I9"]\n', encoding="utf-8")
    problems = unknown_rule_entries(RULES, load_config(start=tmp_path))
    assert problems == [f"配置文件 {tmp_path / 'auditor.toml'} 的 ignore 中的“TBL-I9”不是任何规则的编号或前缀；"
                        "最接近的：TBL-I1、TBL-I2、TBL-I10（auditor rules list 列出全部规则）"]


def test_nearest_rule_ids_prefers_the_id_meant():
    names = ["CLM-RECEIVED", "CLM-REVIEW", "TBL-I1", "STR-SECTION"]
    assert nearest_rule_ids("CLM-RECIEVED", names)[0] == "CLM-RECEIVED"
    assert nearest_rule_ids("tlb", names)[0] == "TBL"
    assert len(nearest_rule_ids("NOPE-XYZ", names)) == 3  # the nearest, however far


def test_to_toml_round_trips(tmp_path):
    import tomllib

    config = load_config(start="/", overrides={"select": "TBL", "severity": {"TBL-I1": "info"}})
    parsed = tomllib.loads(config.to_toml())
    assert parsed == {"select": ["TBL"], "ignore": [], "fail_on": "error", "time_budget": 120,
                      "memory_budget": "2GB", "severity": {"TBL-I1": "info"}}
    again = load_config(overrides={"time_budget": parsed["time_budget"], "memory_budget": parsed["memory_budget"]})
    assert (again.time_budget, again.memory_budget) == (config.time_budget, config.memory_budget)


def test_auditor_toml_that_is_a_directory_is_reported_not_skipped(tree):
    """A directory named auditor.toml on the way up was meant as the configuration: ignoring it
    would audit with settings the person did not choose (here: the pyproject's above it)."""
    project, report = tree
    (project / "sub" / "auditor.toml").unlink()
    (project / "sub" / "auditor.toml").mkdir()
    with pytest.raises(ConfigError) as err:
        load_config(start=report)
    message = str(err.value)
    assert "\n" not in message and str(project / "sub" / "auditor.toml") in message and "目录" in message


def test_audit_with_a_directory_auditor_toml_exits_2_with_one_line(tree):
    import subprocess
    import sys

    project, report = tree
    (project / "sub" / "auditor.toml").unlink()
    (project / "sub" / "auditor.toml").mkdir()
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(report)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "auditor.toml" in done.stderr and "目录" in done.stderr
    assert "Traceback" not in done.stderr


def test_config_that_is_a_pipe_is_refused_unread(tmp_path):
    """Reading a named pipe would wait for a writer forever."""
    import os

    pipe = tmp_path / "auditor.toml"
    os.mkfifo(pipe)
    with pytest.raises(ConfigError, match="命名管道"):
        load_config(config_path=str(pipe))
    with pytest.raises(ConfigError, match="命名管道"):
        load_config(start=tmp_path)
