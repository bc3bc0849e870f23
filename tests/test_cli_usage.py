"""The command line as people meet it, run as a subprocess at 80 columns on real reports:
rule selections that name no rule, usage errors, help pages, `rules list` and the text report.

Every run has COLUMNS=80 and stdout/stderr captured (not a terminal), as in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.layout import text_width

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT.parent / "shared" / "corpus" / "real" / "full"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def full() -> Path:
    if not FULL.is_dir():
        pytest.skip(f"shared corpus not found at {FULL} (CI places it beside the checkout)")
    return FULL


def auditor(*args: str, cwd: Path | None = None, columns: str | None = "80") -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


def one_chinese_error_line(done: subprocess.CompletedProcess) -> str:
    """The run failed with exit status 2, saying so in one Chinese line on stderr and nothing on stdout."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("错误：") and CJK.search(lines[0][3:]), lines[0]
    # no English words of click/typer, no boxes
    assert not re.search(r"\b(Usage|Error|Invalid|Missing|Try|option|argument|such)\b", lines[0]), lines[0]
    assert not set("╭╰│─") & set(lines[0])
    return lines[0]


# --------------------------------------------------------------------------- --select / --ignore


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("typo, nearest", [("NOPE-XYZ", None), ("TLB", "TBL"), ("clm-recieved", "CLM-RECEIVED")])
def test_a_selection_naming_no_rule_is_an_error_naming_the_nearest(full, option, typo, nearest):
    line = one_chinese_error_line(auditor("audit", str(full / "001.txt"), option, typo))
    assert f"{option} 中的“{typo.upper()}”不是任何规则的编号或前缀" in line
    named = line.split("最接近的：")[1].split("（")[0].split("、")
    assert len(named) == 3
    if nearest:
        assert named[0] == nearest


def test_family_prefixes_and_ids_select_as_before(full):
    report = str(full / "001.txt")
    # 001 has two TBL-I5 errors (表四 totals of 0)
    only_tables = auditor("audit", report, "--select", "TBL", "--format", "json")
    assert only_tables.returncode == 1
    assert {f for f in re.findall(r'"rule": "([^"]+)"', only_tables.stdout)} == {"TBL-I5"}
    with_dash = auditor("audit", report, "--select", "tbl-", "--format", "json")
    assert with_dash.stdout == only_tables.stdout  # a family with its dash, in any case
    without = auditor("audit", report, "--ignore", "TBL-I5,CLM-", "--format", "json")
    assert without.returncode == 0 and "TBL-I5" not in without.stdout


def test_a_configuration_file_naming_no_rule_is_an_error_too(full, tmp_path):
    (tmp_path / "auditor.toml").write_text('select = ["TBL", "STR-NUMBERNIG"]\n', encoding="utf-8")
    (tmp_path / "001.txt").write_bytes((full / "001.txt").read_bytes())
    line = one_chinese_error_line(auditor("audit", "001.txt", cwd=tmp_path))
    assert line.startswith(f"错误：配置文件 {tmp_path / 'auditor.toml'} 的 select 中的“STR-NUMBERNIG”")
    assert "最接近的：STR-NUMBERING" in line
