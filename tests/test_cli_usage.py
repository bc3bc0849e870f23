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


# The installed console script (pip install -e .), else the same entry point under its name.
SCRIPT = Path(sys.executable).parent / "auditor"
AUDITOR = ([str(SCRIPT)] if SCRIPT.is_file()
           else [sys.executable, "-c", "from auditor.cli import app; app(prog_name='auditor')"])


def auditor(*args: str, cwd: Path | None = None, columns: str | None = "80") -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([*AUDITOR, *args], cwd=cwd or ROOT, env=env,
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


# --------------------------------------------------------------------------- usage errors


def usage_errors(full: Path) -> list[tuple[list[str], str, list[str]]]:
    """(arguments, the command whose help the line points to, words the line must contain)."""
    report = str(full / "001.txt")
    return [
        (["audit", report, "--format", "xml"], "auditor audit", ["--format", "“xml”", "text、json、sarif、html"]),
        (["audit", report, "--format=xml"], "auditor audit", ["--format", "“xml”"]),
        (["audit", report, "--fail-on", "sometimes"], "auditor audit", ["--fail-on", "error、warning、never"]),
        (["parse", report, "--format", "xml"], "auditor parse", ["--format", "json、text"]),
        (["audit"], "auditor audit", ["缺少参数 文件..."]),
        (["audit", report, "--bogus"], "auditor audit", ["没有选项 --bogus"]),
        (["audit", report, "--formt", "json"], "auditor audit", ["没有选项 --formt", "--format"]),
        (["audit", report, "--format"], "auditor audit", ["选项 --format 后面缺少取值"]),
        (["batch", str(full), "-j", "abc"], "auditor batch", ["--workers", "“abc”", "正整数"]),
        (["batch", str(full), "--workers", "0"], "auditor batch", ["--workers", "“0”"]),
        (["batch"], "auditor batch", ["缺少参数 目录"]),
        (["parse", report, "extra"], "auditor parse", ["多余的参数：extra"]),
        (["config", "a", "b"], "auditor config", ["多余的参数：b"]),
        (["train"], "auditor train", ["缺少参数 目录"]),
        (["rules", "show"], "auditor rules show", ["缺少参数 编号"]),
        (["rules", "shwo"], "auditor rules", ["没有命令“shwo”", "show"]),
        (["rules", "list", "--config"], "auditor rules list", ["--config"]),
        (["audti", report], "auditor", ["没有命令“audti”", "audit"]),
        (["--version=3"], "auditor", ["--version 不接受取值"]),
    ]


def test_usage_errors_are_one_chinese_line_pointing_to_the_help(full):
    for args, command, words in usage_errors(full):
        line = one_chinese_error_line(auditor(*args))
        assert line.endswith(f"（{command} -h 查看用法）"), (args, line)
        for word in words:
            assert word in line, (args, line)


def test_nothing_asked_for_shows_the_chinese_help(full):
    done = auditor("rules")
    assert done.returncode == 2 and done.stderr.startswith("用法：auditor rules [选项] 命令 [参数]...")


# --------------------------------------------------------------------------- help pages

COMMANDS = [[], ["parse"], ["audit"], ["batch"], ["train"], ["config"],
            ["rules"], ["rules", "list"], ["rules", "show"], ["rules", "check"]]
ENGLISH = re.compile(r"Usage|Options|Arguments|Commands|Show this message|default|required|"
                     r"<[a-z_\[\]]+>|int range|x>=|\[x|TEXT|INTEGER|BOOLEAN")


def _click_command(path: list[str]):
    import typer.main

    from auditor.cli import app

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "auditor")
def test_help_is_chinese_and_whole_at_80_columns(command):
    done = auditor(*command, "-h")
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("用法：" + " ".join(["auditor", *command]))
    assert max(text_width(line) for line in lines) <= 80
    assert not ENGLISH.search(done.stdout), ENGLISH.search(done.stdout)
    assert not set("╭╰│…") & set(done.stdout)  # no boxes, nothing cut off with “…”
    # Every parameter's help text is there in full (wrapping only drops the space it breaks at).
    joined = re.sub(r"\s+", "", done.stdout)
    for param in _click_command(command).params:
        if param.help:
            assert re.sub(r"\s+", "", param.help) in joined, param.help
    assert "显示此帮助并退出" in done.stdout


def test_audit_help_names_values_defaults_and_required_in_chinese():
    text = auditor("audit", "-h").stdout
    assert "用法：auditor audit [选项] 文件..." in text
    assert "-f, --format 格式" in text and "（默认：text）" in text
    assert "要审核的报告文件，可以有多个（必填）" in text
    batch = auditor("batch", "-h").stdout
    assert "-j, --workers 数目" in batch and "--corpus / --no-corpus" in batch
    assert "（默认：--corpus）" in re.sub(r"\n\s*", "", batch)


def test_help_width_follows_columns_and_is_80_off_a_terminal():
    default = auditor("audit", "-h", columns=None)  # captured, not a terminal, no COLUMNS
    assert default.stdout == auditor("audit", "-h").stdout
    wide = auditor("audit", "-h", columns="120").stdout.splitlines()
    assert 80 < max(text_width(line) for line in wide) <= 120


# --------------------------------------------------------------------------- rules list


def test_rules_list_at_80_columns_with_chinese_labels():
    from auditor.report.sarif import summary
    from auditor.rules.loader import load_rules

    done = auditor("rules", "list")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert max(text_width(line) for line in lines) <= 80
    assert lines[0].split() == ["编号", "严重程度", "类别", "类型"]
    rules = load_rules()
    starts = {line.split()[0]: line.split()[1:] for line in lines if line and not line.startswith(" ")}
    joined = re.sub(r"\s+", "", done.stdout)
    for rule in rules:
        assert rule.id in starts, rule.id
        severity, category, kind = starts[rule.id]
        assert severity in ("错误", "警告", "提示") and CJK.match(category) and CJK.match(kind), starts[rule.id]
        assert re.sub(r"\s+", "", summary(rule.message)) in joined  # the message whole, never cut
    english = {"identity", "claim", "section", "pattern", "similarity", "metric", "phrase",
               "structure", "table", "contradiction", "vague", "boilerplate", "continuity", "error", "warning", "info"}
    assert not english & set(re.findall(r"[a-z]+", done.stdout))
    assert lines[-1].startswith(f"共 {len(rules)} 条规则")


# --------------------------------------------------------------------------- output paths


def test_output_paths_that_cannot_be_written_are_one_chinese_line(full, tmp_path):
    report = str(full / "001.txt")
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (["audit", report, "--output", str(tmp_path / "missing" / "out.txt")], "无法写入输出文件", "不存在"),
        (["audit", report, "--output", str(tmp_path)], "无法写入输出文件", "这是一个目录"),
        (["audit", report, "--format", "json", "-o", str(a_file / "out.json")], "无法写入输出文件", "不是目录"),
        (["audit", report, "--write-baseline", str(tmp_path / "no" / "b.json")], "无法写入基线文件", "不存在"),
        (["batch", str(full), "--out", str(a_file), "-j", "1"], "无法创建输出目录", "不是目录"),
        (["batch", str(full), "--db", str(a_file / "x.db"), "-j", "1"], "无法写入数据库", "不是目录"),
        (["train", str(full), "--out", str(tmp_path / "no" / "m.skops")], "无法写入模型文件", "不存在"),
    ]
    for args, what, cause in cases:
        line = one_chinese_error_line(auditor(*args))
        assert what in line and cause in line, (args, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file.txt"]  # nothing left behind


def test_a_write_that_fails_late_is_reported_in_chinese(tmp_path):
    from auditor.errors import write_error_cause

    for path in (tmp_path / "missing" / "x", tmp_path):
        try:
            path.write_text("x", encoding="utf-8")
        except OSError as exc:
            assert CJK.search(write_error_cause(exc)) and not re.search(r"[A-Za-z]{3}", write_error_cause(exc))


# --------------------------------------------------------------------------- audit's text at 80 columns

ANSI = re.compile(r"\x1b\[[0-9;]*m")
FINDING = re.compile(r"^  (错误|警告|提示) (\S+) ")


@pytest.fixture(scope="module")
def audited(full):
    """The text and the json of one audit of every real report of real/full, at 80 columns."""
    import json

    reports = sorted(str(p.relative_to(ROOT.parent).as_posix()) for p in full.iterdir()
                     if p.suffix in (".txt", ".html"))
    reports = [f"../{p}" for p in reports]
    text = auditor("audit", *reports, "--fail-on", "never")
    assert text.returncode == 0, text.stderr
    data = json.loads(auditor("audit", *reports, "--format", "json", "--fail-on", "never").stdout)
    return text.stdout, data, reports


def test_every_line_fits_80_columns_with_hanging_indents(audited):
    text, data, _ = audited
    lines = text.splitlines()
    assert max(text_width(line) for line in lines) <= 80
    findings = [f for result in data for f in result["findings"]]
    assert sum(1 for line in lines if FINDING.match(line)) == len(findings) > 50
    # Under a finding's first line, every line is indented further: the message continues at 4
    # columns, the quote and the details at 6.
    inside = False
    for line in lines:
        if FINDING.match(line):
            inside = True
        elif not line or line.startswith("【") or not line.startswith(" "):
            inside = False
        elif inside:
            assert line.startswith("    "), line
    # Nothing of a message is lost to the wrapping (which only drops the space it breaks at).
    joined = re.sub(r"\s+", "", text)
    for finding in findings:
        assert re.sub(r"\s+", "", finding["message"]) in joined, finding["message"]


def test_formulas_stay_on_one_line(audited):
    from auditor.layout import FORMULA

    text, data, _ = audited
    lines = text.splitlines()
    assert any("（总计(0) = 0 ≠ 11 = 维持(10)+纠正(1)+其他(0)+未审结(0)）" in line for line in lines)
    checked = 0
    for finding in (f for result in data for f in result["findings"]):
        for formula in (m.group() for m in FORMULA.finditer(finding["message"])):
            if text_width(formula) <= 80 - 4:
                assert any(formula in line for line in lines), formula
            else:  # longer than any line: broken only before an operator, never inside a term
                terms = re.split(r"\s*[+=≠<>/]\s*", formula)
                assert all(any(term in line for line in lines) for term in terms), formula
            checked += 1
    assert checked >= 5


def test_long_cell_lists_are_one_summary_line_and_whole_in_json(audited):
    text, data, reports = audited
    i2 = next(f for result in data if result["document"]["path"].endswith("013.txt")
              for f in result["findings"] if f["rule"] == "TBL-I2" and "“自然人”列" in f["message"])
    assert len(i2["cells"]) == 20  # the full list is in the json
    assert "      单元格：表三 20 行 × 1 列（“自然人”列），无空白；逐格见 --format json" in text.splitlines()
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("      单元格："):
            # one line: the next line is not a continuation under the label
            assert not lines[number + 1].startswith(" " * 14), line
    # a short list is shown cell by cell
    assert "      单元格：表四“行政复议/纠正”=1" in lines


def test_text_width_follows_columns_else_80(audited, full):
    report = str(full / "013.txt")
    at_80 = auditor("audit", report, "--fail-on", "never").stdout
    assert auditor("audit", report, "--fail-on", "never", columns=None).stdout == at_80
    wide = auditor("audit", report, "--fail-on", "never", columns="120").stdout.splitlines()
    assert 80 < max(text_width(line) for line in wide) <= 120


def test_text_on_a_terminal_takes_the_terminal_width(full):
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen([*AUDITOR, "audit", str(full / "013.txt"), "--fail-on", "never"],
                            stdout=slave, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=600)
    os.close(master)
    out = ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")
    widths = [text_width(line) for line in out.splitlines()]
    assert proc.returncode == 0 and 80 < max(widths) <= 100


def test_broken_settings_files_are_named_in_chinese_only(full, tmp_path):
    report = str(full / "001.txt")
    (tmp_path / "broken.toml").write_text('fail_on = "never"\nselect TBL\n', encoding="utf-8")
    line = one_chinese_error_line(auditor("audit", report, "--config", str(tmp_path / "broken.toml")))
    assert line == f"错误：配置文件 {tmp_path / 'broken.toml'}：TOML 格式错误（第 2 行第 8 列）"
    (tmp_path / "broken.toml").write_text("select = [\n", encoding="utf-8")
    line = one_chinese_error_line(auditor("audit", report, "--config", str(tmp_path / "broken.toml")))
    assert line == f"错误：配置文件 {tmp_path / 'broken.toml'}：TOML 格式错误（在文件末尾）"
    (tmp_path / "base.json").write_text("{oops", encoding="utf-8")
    line = one_chinese_error_line(auditor("audit", report, "--baseline", str(tmp_path / "base.json")))
    assert line == f"错误：基线文件 {tmp_path / 'base.json'} 不是有效的 JSON：第 1 行第 2 列有语法错误"
    line = one_chinese_error_line(auditor("audit", report, "--baseline", str(tmp_path)))
    assert line == f"错误：无法读取基线文件 {tmp_path}：这是一个目录"
    assert not re.search(r"[A-Za-z]{4,}", line.replace(str(tmp_path), ""))
