"""`auditor audit`, `auditor rules`, `auditor config` end to end, and baselines.

The checks are built alongside this command, so the end-to-end tests use test-only rules of
two kinds that exist (`identity`, `pattern`) in a project directory of their own, found through
its auditor.toml like a user's project would be.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.baseline import (Baseline, BaselineError, apply_baseline, load_baseline,
                              write_baseline)
from auditor.cli import app
from auditor.model import Finding

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "qingxi-county-2023.txt"

TEST_RULES = """\
rules:
  - id: TST-I1
    kind: identity
    category: table
    severity: error
    message: "表三“{line}”列：{expression}"
    rationale: 测试用：本年新收等于上年结转，几乎从不成立。
    params: {table: applications, expression: "new_received = carried_over", only: [total]}
    examples:
      - tables: {applications: {new_received: {total: 3}, carried_over: {total: 2}}}
        expect: 1
  - id: TST-P1
    kind: pattern
    category: vague
    severity: warning
    aliases: [TST-OLD]
    message: "测试短语“{match}”"
    rationale: 测试用。
    params: {regex: "三审三校"}
    examples:
      - text: 执行“三审三校”制度。
        expect: 1
      - text: 没有这个短语。
        expect: 0
"""


@pytest.fixture
def project(tmp_path):
    pytest.importorskip("auditor.checks.identity")
    pytest.importorskip("auditor.checks.pattern")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "test.yaml").write_text(TEST_RULES, encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('rules_dir = "rules"\n', encoding="utf-8")
    (tmp_path / "reports").mkdir()
    shutil.copy(SAMPLE, tmp_path / "reports" / "qingxi.txt")
    return tmp_path


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


# --------------------------------------------------------------------------- exit statuses


def test_exit_1_when_a_finding_reaches_fail_on(project):
    done = run(project, "audit", "reports/qingxi.txt")
    assert done.returncode == 1, done.stderr
    assert "错误 TST-I1 表三“总计”列" in done.stdout
    assert "警告 TST-P1 测试短语“三审三校”" in done.stdout
    assert "⟦三审三校⟧" in done.stdout and "\x1b[" not in done.stdout


def test_exit_0_with_fail_on_never_or_nothing_at_that_level(project):
    assert run(project, "audit", "reports/qingxi.txt", "--fail-on", "never").returncode == 0
    assert run(project, "audit", "reports/qingxi.txt", "--ignore", "TST-I1").returncode == 0
    assert run(project, "audit", "reports/qingxi.txt", "--ignore", "TST-I1",
               "--fail-on", "warning").returncode == 1


def test_exit_2_for_unreadable_input(project):
    done = run(project, "audit", "reports/missing.txt", "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("错误：无法读取文件 reports/missing.txt：")


def test_exit_2_for_bad_usage_config_and_rules(project):
    assert run(project, "audit", "reports/qingxi.txt", "--format", "xml").returncode == 2
    assert run(project, "audit").returncode == 2

    (project / "bad.toml").write_text('fail-on = "error"\nformat = "json"\n', encoding="utf-8")
    done = run(project, "audit", "reports/qingxi.txt", "--config", "bad.toml")
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：配置文件 bad.toml：未知的配置项 “format”（可用：select、ignore、fail_on、baseline、rules_dir、model、time_budget、memory_budget、severity）"

    (project / "rules" / "broken.yaml").write_text(
        "rules:\n  - id: TST-B1\n    kind: identity\n    category: table\n    severity: high\n"
        "    message: m\n    rationale: r\n", encoding="utf-8")
    done = run(project, "audit", "reports/qingxi.txt")
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：rules/broken.yaml:5:5: 规则 TST-B1 的 severity 必须是 error/warning/info 之一"


# --------------------------------------------------------------------------- machine output


def test_json_and_sarif_on_stdout_stay_machine_readable(project):
    done = run(project, "audit", "reports/qingxi.txt", "--format", "json", "--select", "TST")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    # An error goes to stderr and leaves stdout empty: nothing half-written for a JSON reader.
    typo = run(project, "audit", "reports/qingxi.txt", "--format", "json", "--select", "TST,NOPE")
    assert typo.returncode == 2 and typo.stdout == "" and "“NOPE”" in typo.stderr
    assert data["schema"] == "auditor.audit/1" and data["document"]["path"] == "reports/qingxi.txt"
    assert sorted(f["rule"] for f in data["findings"]) == ["TST-I1", "TST-P1"]

    several = json.loads(run(project, "audit", "reports/qingxi.txt", "reports/qingxi.txt",
                             "--format", "json").stdout)
    assert isinstance(several, list) and len(several) == 2

    log = json.loads(run(project, "audit", "reports/qingxi.txt", "--format", "sarif").stdout)
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    pattern_finding = next(f for f in data["findings"] if f["rule"] == "TST-P1")
    region = by_rule["TST-P1"]["locations"][0]["physicalLocation"]["region"]
    # The region is in the file; the span (into the normalized text) is kept as a property.
    source = (project / "reports" / "qingxi.txt").read_text(encoding="utf-8")
    assert source[region["charOffset"]:region["charOffset"] + region["charLength"]] == pattern_finding["span"]["text"]
    assert by_rule["TST-P1"]["properties"]["span"] == pattern_finding["span"]
    assert by_rule["TST-P1"]["partialFingerprints"]["auditorFingerprint/v1"] == pattern_finding["fingerprint"]
    assert "region" not in by_rule["TST-I1"]["locations"][0]["physicalLocation"]


def test_output_file_keeps_stdout_empty(project):
    done = run(project, "audit", "reports/qingxi.txt", "--format", "json", "--output", "out.json")
    assert done.returncode == 1 and done.stdout == ""
    assert json.loads((project / "out.json").read_text(encoding="utf-8"))["findings"]


# --------------------------------------------------------------------------- baseline


def test_write_baseline_then_audit_with_it(project):
    done = run(project, "audit", "reports/qingxi.txt", "--write-baseline", "baseline.json")
    assert done.returncode == 0 and "已写入基线 baseline.json：2 条" in done.stderr
    written = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert written["schema"] == "auditor.baseline/1"
    assert {d["rule"] for d in written["decisions"]} == {"TST-I1", "TST-P1"}
    assert all(d["decision"] == "dismissed" and d["path"] == "reports/qingxi.txt"
               for d in written["decisions"])

    done = run(project, "audit", "reports/qingxi.txt", "--baseline", "baseline.json", "--format", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    # Hidden findings deduct nothing: what is left of the score is what the report's measures
    # (what could be assessed, the concreteness of 五) give.
    assert data["findings"] == [] and all(c["deducted"] == 0 for c in data["score"]["rubric"].values())
    assert "基线隐藏了 2 条" in done.stderr

    # a reviewer confirms one finding: it shows again and fails the run again
    for decision in written["decisions"]:
        if decision["rule"] == "TST-I1":
            decision["decision"] = "confirmed"
    (project / "baseline.json").write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    (project / "auditor.toml").write_text('rules_dir = "rules"\nbaseline = "baseline.json"\n', encoding="utf-8")
    done = run(project, "audit", "reports/qingxi.txt", "--format", "json")
    assert done.returncode == 1
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["TST-I1"]


def test_bad_baseline_is_exit_2(project):
    (project / "baseline.json").write_text('{"schema": "other"}', encoding="utf-8")
    done = run(project, "audit", "reports/qingxi.txt", "--baseline", "baseline.json")
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：基线文件 baseline.json 格式不对：schema 应为 “auditor.baseline/1”"


def make_finding(rule: str, fingerprint: str) -> Finding:
    return Finding(rule=rule, category="vague", severity="warning", message="说明", section=None,
                   span=None, cells=(), evidence={}, fingerprint=fingerprint)


def test_apply_baseline_hides_only_dismissed():
    findings = [make_finding("A-1", "f1"), make_finding("A-2", "f2"), make_finding("A-3", "f3")]
    baseline = Baseline({"f1": [(None, "dismissed")], "f2": [(None, "confirmed")]})
    kept, hidden = apply_baseline(findings, baseline)
    assert [f.fingerprint for f in kept] == ["f2", "f3"] and hidden == 1
    assert apply_baseline(findings, None) == (findings, 0)


def test_a_decision_with_a_path_applies_to_that_report_only():
    # "六 is missing" has the same fingerprint in every report: dismissing it in one report
    # must not hide it in the others of a batch.
    finding = make_finding("STR-SECTION", "f1")
    baseline = Baseline({"f1": [("reports/2023/a.txt", "dismissed")]})
    assert apply_baseline([finding], baseline, "reports/2023/a.txt")[1] == 1
    assert apply_baseline([finding], baseline, "/data/review/reports/2023/a.txt")[1] == 1  # other cwd
    assert apply_baseline([finding], baseline, "2023/a.txt")[1] == 1
    assert apply_baseline([finding], baseline, "reports/2023/b.txt")[1] == 0
    assert apply_baseline([finding], baseline, "reports/2024/a.txt")[1] == 0


def test_baseline_round_trip_and_errors(tmp_path):
    class Result:  # the two attributes write_baseline reads from an AuditResult
        def __init__(self, path, findings):
            self.doc = type("Doc", (), {"path": path})()
            self.findings = findings

    path = tmp_path / "b.json"
    count = write_baseline([Result("a.txt", [make_finding("A-1", "f1"), make_finding("A-1", "f1")]),
                            Result("b.txt", [make_finding("A-2", "f2")])], path)
    assert count == 2
    assert load_baseline(path).decisions == {"f1": [("a.txt", "dismissed")], "f2": [("b.txt", "dismissed")]}

    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BaselineError, match="不是有效的 JSON"):
        load_baseline(path)
    path.write_text('{"schema": "auditor.baseline/1", "decisions": [{"fingerprint": "x"}]}', encoding="utf-8")
    with pytest.raises(BaselineError, match="第 1 条决定格式不对"):
        load_baseline(path)
    with pytest.raises(BaselineError, match="文件不存在"):
        load_baseline(tmp_path / "missing.json")


# --------------------------------------------------------------------------- rules and config commands


@pytest.fixture
def cli(project, monkeypatch):
    monkeypatch.chdir(project)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_rules_list_and_show(cli):
    listed = cli("rules", "list")
    assert listed.exit_code == 0
    assert "TST-I1" in listed.stdout and "勾稽关系" in listed.stdout and "测试短语“…”" in listed.stdout

    shown = cli("rules", "show", "tst-old")  # an alias, any case
    assert shown.exit_code == 0
    for part in ("TST-P1（别名：TST-OLD）", "来源：rules/test.yaml:12", "测试用。", "regex: 三审三校",
                 "text: 执行“三审三校”制度。"):
        assert part in shown.stdout

    unknown = cli("rules", "show", "NOPE-1")
    assert unknown.exit_code == 2 and "没有编号或别名为 NOPE-1 的规则" in unknown.stderr


def test_rules_check_runs_examples(cli, project):
    checked = cli("rules", "check", "rules")
    assert checked.exit_code == 0, checked.stdout
    assert checked.stdout.count("通过  ") == 3 and "失败" not in checked.stdout.replace("失败 0", "")

    (project / "rules" / "test.yaml").write_text(TEST_RULES.replace("expect: 0", "expect: 2"), encoding="utf-8")
    checked = cli("rules", "check", "rules")
    assert checked.exit_code == 1
    assert "失败  TST-P1 示例 2（rules/test.yaml:12）：预期 2 条，实际 0 条" in checked.stdout

    (project / "rules" / "test.yaml").write_text(TEST_RULES.replace("kind: pattern", "kind: regex"), encoding="utf-8")
    checked = cli("rules", "check", "rules")
    assert checked.exit_code == 1
    assert checked.stdout.startswith("rules/test.yaml:13:5: 规则 TST-P1 的 kind 必须是")

    assert cli("rules", "check", "nowhere").exit_code == 2


def test_config_command_shows_effective_configuration_and_source(cli, project):
    shown = cli("config", "reports/qingxi.txt")
    assert shown.exit_code == 0
    assert f"# 来源：{project / 'auditor.toml'}" in shown.stdout
    assert f'rules_dir = "{project / "rules"}"' in shown.stdout
    assert 'fail_on = "error"' in shown.stdout

    (project / "ci.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    shown = cli("config", "--config", "ci.toml")
    assert 'fail_on = "never"' in shown.stdout and "# rules_dir 未设置" in shown.stdout

    (project / "ci.toml").write_text('colour = "never"\n', encoding="utf-8")
    shown = cli("config", "--config", "ci.toml")
    assert shown.exit_code == 2 and "未知的配置项 “colour”" in shown.stderr


def test_the_repository_rules_validate():
    """The shipped rules/*.yaml must always load (their examples are `auditor rules check`'s job)."""
    from auditor.rules.loader import load_rules

    load_rules()
