"""Never hang on a hostile input (issue 13): the package's own patterns are linear in the text,
rule files cannot bring a pattern that backtracks super-linearly, a YAML alias bomb is refused,
and a rules directory without rules is an error.

No test here measures time. The package's patterns are checked by construction (the rewritten
pattern gives the same matches as the old one) and run on long hostile strings in a child process
whose generous time-out (minutes, for work of a fraction of a second) only stops a hang.
"""

from __future__ import annotations

import functools
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


# --------------------------------------------------------------------------- the package's patterns
# Each rewritten pattern against the one it replaced, on every line of the sample and real reports
# and on random strings made of the characters these patterns care about: the same matches.

def _old_and_new():
    from auditor import layout
    from auditor.checks import claim
    from auditor.nlp import quantities, sentences
    from auditor.nlp.claims import lists, negations, phrases
    from auditor.read import html, pdf
    from auditor.similarity import passages
    from auditor.structure import sections as sections_module
    from auditor.structure.tables import cells, legacy, split

    measure = sentences.MEASURE_WORDS
    cjk = pdf._CJK
    number_row = r"\d+(?:[ \u3000]+-?\d+(?:\.\d+)?){2,}"
    return [
        ("LAYOUT_TABLE_LINE", rf"\S[ \u3000]{{3,}}\S|{number_row}", sentences.LAYOUT_TABLE_LINE, "search"),
        ("TABULAR_SENTENCE", rf"[\t|｜]|{number_row}", sentences.TABULAR_SENTENCE, "search"),
        ("GLUED_CELL", rf"\d+(?=[\u4e00-\u9fff（(]|[.．][\u4e00-\u9fff])(?![{measure}])", sentences.GLUED_CELL,
         "finditer"),
        ("PRINTED_PERCENT", r"(\d+(?:\.(\d+))?)\s*%$", claim.PRINTED_PERCENT, "search"),
        ("_ITEM_END", r"\d+\s*(?:条|件|篇|个|项|次|份)\s*[、，,；;]?", claim._ITEM_END, "finditer"),
        ("FORMULA", layout.FORMULA.pattern.replace("(?<!\\d)", ""), layout.FORMULA, "finditer"),
        ("_FORMULA_PIECE", layout._FORMULA_PIECE.pattern.replace("(?<!\\d)", ""), layout._FORMULA_PIECE, "finditer"),
        ("KIND_OF_INFORMATION", lists.KIND_OF_INFORMATION.pattern.replace("(?<![^，。；])", ""),
         lists.KIND_OF_INFORMATION, "search"),
        ("ITEM_COUNT", r"[\u4e00-\u9fff、]{2,}(?<![计合总累])共\s*$", lists.ITEM_COUNT, "search"),
        ("ONE_PART_OF_PUBLISHED", phrases.ONE_PART_OF_PUBLISHED.pattern.replace("(?<![^，。；])", ""),
         phrases.ONE_PART_OF_PUBLISHED, "search"),
        ("QUANTITY", quantities.QUANTITY.pattern.replace(
            rf"(?:(?<![{quantities._CN_NUMERAL}])|(?<=[\dA-Za-z.．\-/_:：〔\[第][{quantities._CN_NUMERAL}]))", ""),
         quantities.QUANTITY, "finditer"),
        ("_TITLE_SEPARATOR", r"\s*[-_|｜—–－]+\s*", html._TITLE_SEPARATOR, "finditer"),
        ("_SPACE_NEXT_TO_CJK", rf"(?<=[{cjk}])\s+|\s+(?=[{cjk}])", pdf._SPACE_NEXT_TO_CJK, "finditer"),
        ("_CN_NUMBER", passages._CN_NUMBER.pattern.replace("(?<![〇零一二三四五六七八九十百千两])", ""),
         passages._CN_NUMBER, "finditer"),
        ("_STATISTIC", r"0[0.]*\s*(?:%|％|条|件|个|项|次|篇|人次|人|场|期|份|家|万元|元|亿元)$", passages._STATISTIC,
         "bool"),
        ("_UNNUMBERED_PROBLEMS", sections_module._UNNUMBERED_PROBLEMS.pattern.replace(
            r"(?:[（(]一[）)][ \t]*)?", r"(?:[（(]一[）)])?[ \t]*"), sections_module._UNNUMBERED_PROBLEMS, "finditer"),
        ("_COUNTED_FIGURE", cells._COUNTED_FIGURE.pattern.replace("(?<!\\d)", ""), cells._COUNTED_FIGURE, "finditer"),
        ("_UNIT", r"^\s*[：:]?\s*(?:万元|条|件|元|个|次)", legacy._UNIT, "finditer"),
        ("_NEXT_ORDINAL", r"(?:其中\s*[：:])?\s*\d\s*[.、．]\s*$|其中\s*[：:]\s*$", legacy._NEXT_ORDINAL, "finditer"),
        ("_END", r"附件下载|附件\s*\d|\n\s*[一二三四五六七八九十]+、", legacy._END, "finditer"),
        ("_SCIENTIFIC", r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$", split._SCIENTIFIC, "finditer"),
        ("with_share", r"\s*[，,、]?\s*(?:约)?占", re.compile(r"\s*(?:[，,、]\s*)?(?:约)?占"), "match"),
        ("STATED_NONE", r"(?P<subject>[^，。；：:\n]{2,40}?)(?:的数量|数量|的情况|情况)?\s*[:：]\s*(?:无|没有)"
         r"(?=\s*[。；，,]|\s*$)", negations.STATED_NONE, "corpus-finditer"),
    ]


ALPHABET = list("0123456789  \u3000\t\n一二三十百两第共计各类件条个项占约无情况：:，,。；、.%（）()-|市省x甲") + ["数量", "政府", "其他"]


def _random_strings(count: int = 4000) -> list[str]:
    import random

    rng = random.Random(13)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(count)]


@functools.lru_cache(maxsize=1)
def _report_lines() -> list[str]:
    """Every line of the normalized text of the sample and real reports (as the patterns see it)."""
    from auditor.structure import parse_file

    folders = [ROOT / "corpus", ROOT.parent / "shared" / "corpus" / "real" / "full",
               ROOT.parent / "shared" / "corpus" / "real" / "partial"]
    lines: list[str] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.txt")):
                lines.extend(parse_file(str(path)).text.splitlines())
    return lines


def _outcome(pattern: re.Pattern, text: str, mode: str):
    if mode == "search":
        m = pattern.search(text)
        return m and (m.span(), m.groups())
    if mode == "match":
        return bool(pattern.match(text))
    if mode == "bool":
        return bool(pattern.search(text))
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name,old,new,mode", _old_and_new(), ids=[case[0] for case in _old_and_new()])
def test_rewritten_pattern_matches_as_before(name, old, new, mode):
    old = re.compile(old, new.flags)
    texts = _report_lines() + ([] if mode.startswith("corpus") else _random_strings())
    mode = mode.replace("corpus-", "")
    differing = [t for t in texts if _outcome(old, t, mode) != _outcome(new, t, mode)]
    assert not differing, differing[:3]


def test_qualifier_without_backtracking_decides_as_the_regex_did():
    from auditor.similarity.index import _is_qualifier

    old = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟))+$")
    import random

    rng = random.Random(5)
    alphabet = list("省自治区特别行政市州地盟江苏淮安x")
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert _is_qualifier(text) == bool(old.match(text)), text
    assert _is_qualifier("江苏省淮安市") and not _is_qualifier("上海市科委")


def test_hostile_runs_finish_in_a_child_process():
    """The rewritten patterns on 200,000-character runs: each takes well under a second; before,
    the digit run alone took hours. The time-out only stops a hang (no timing is asserted)."""
    script = textwrap.dedent("""\
        from tests.test_linear_patterns import _old_and_new
        from auditor.similarity.index import _is_qualifier
        runs = ["1" * 200_000, "一" * 200_000, " " * 200_000 + "x", "《" * 200_000, "（" * 200_000,
                "1 " * 100_000 + "x", "政" * 200_000 + "共x"]
        for name, _, new, mode in _old_and_new():
            for text in runs:  # as the package uses it: a match only where it anchors at one place
                new.match(text) if mode == "match" else list(new.finditer(text))
        assert not _is_qualifier("市" * 200_000 + "x")
        from auditor.nlp.sentences import segment_spans
        segment_spans("规章\\n" * 100_000 + "1 2 3\\n")  # fragments above a table: rescanned per line
        print("done")
        """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "done", done.stderr[-2000:]


def test_audit_of_a_long_digit_run_completes(tmp_path):
    """The attacker's file: a report holding a 106,000-digit run hung `audit` (LAYOUT_TABLE_LINE)."""
    report = tmp_path / "digits.txt"
    report.write_text("某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + "1" * 106_000 + "\n", encoding="utf-8")
    done = run_cli(tmp_path, "audit", "digits.txt", "--format", "json", timeout=600)
    assert done.returncode in (0, 1) and '"schema": "auditor.audit/1"' in done.stdout


# --------------------------------------------------------------------------- quadratic scans


def test_sentence_stating_too_many_figures_yields_no_claims():
    """A 'sentence' of thousands of figures is a table run together: placing each figure against
    every earlier one took minutes; it is not read as narrative."""
    from auditor.nlp.claims import MAX_SENTENCE_FIGURES, extract
    from auditor.rules.examples import text_document
    from auditor.nlp.sentences import split_document

    def claims_of(text):
        doc = text_document("某县2023年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
        return extract(doc, split_document(doc))[0]

    assert len(claims_of("收到申请1件，" * 10)) == 10
    assert claims_of("收到申请1件，" * (MAX_SENTENCE_FIGURES + 1)) == []


def test_approximation_words_are_found_before_a_number_without_scanning_the_sentence():
    from auditor.nlp.quantities import find_quantities

    long_prefix = "说明" * 50_000
    [q] = find_quantities(long_prefix + "约5件")
    assert q.approx and not q.floor
    [q] = find_quantities(long_prefix + "超过\n5件")  # `$` stands before a final line break
    assert q.approx and q.floor
    [q] = find_quantities("约，5件")
    assert not q.approx


def _classify_lines_by_rescanning(text, lines):
    """The line classifier as it was: rescan every line until nothing changes (quadratic)."""
    from auditor.nlp.sentences import _is_table_label, _is_table_line

    kinds = ["blank" if not text[a:b].strip() else "table" if _is_table_line(text[a:b]) else "prose"
             for a, b in lines]
    changed = True
    while changed:
        changed = False
        nonblank = [i for i, k in enumerate(kinds) if k != "blank"]
        for n, i in enumerate(nonblank):
            if kinds[i] != "prose":
                continue
            before = kinds[nonblank[n - 1]] if n > 0 else None
            after = kinds[nonblank[n + 1]] if n + 1 < len(nonblank) else None
            if _is_table_label(text[lines[i][0]:lines[i][1]].strip(), before == "table", after == "table"):
                kinds[i] = "table"
                changed = True
    return kinds


def test_line_classes_are_those_of_rescanning_until_stable():
    """Looking again only at the neighbours of a line that became a table line gives the classes the
    old rescan-until-stable loop gave (on the reports, and on random stacks of lines of each kind)."""
    import random

    from auditor.nlp.sentences import _classify_lines, _lines

    pieces = ["1 2 3", "规章\t5", "（六）其", "形，不计其他情形）", "三、收到和处理政府信息公开申请情况", "规章",
              "本年主动公开信息12条。", "（一）主动公开情况", "", "  ", "收到申请（含", "其他", "2.申请人逾期未按收费"]
    rng = random.Random(3)
    texts = ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(1500)]
    texts += ["\n".join(_report_lines())]
    for text in texts:
        lines = _lines(text)
        assert _classify_lines(text, lines) == _classify_lines_by_rescanning(text, lines), text


def test_a_lookbehind_fences_a_repeat_like_a_character_it_cannot_match():
    assert backtracking_problem(r"(?<!\d)\d+件") is None
    assert backtracking_problem(r"(?<![两三四五六七八九十百千])[两三四五六七八九十百千]+(?:个|项)") is None
    assert backtracking_problem(r"(?<!a)\d+件")  # the lookbehind does not cover the digits


def test_a_fence_a_few_single_characters_back_still_fences():
    """令\\d[1-9]*: the run of [1-9] is entered right after one digit that follows 令 — at most two
    places per run; without the 令 every digit could start it."""
    assert backtracking_problem(r"令\d[1-9]*0") is None
    assert backtracking_problem(r"\d[1-9]*0")
    assert backtracking_problem(r"a\d(?:\d*0){3}")  # the shape TXT-NO-UNIT had: split every way


def test_txt_no_unit_three_zeros_reads_as_before():
    """TXT-NO-UNIT's lookahead for a table row run together (three 0s after the first digit), in
    the form the check accepts, decides as the old one on every digit string up to 8 long."""
    import itertools

    old, new = re.compile(r"\d(?:\d*0){3}"), re.compile(r"\d[1-9]*0[1-9]*0[1-9]*0")
    for length in range(1, 9):
        for digits in itertools.product("015", repeat=length):
            text = "".join(digits) + "x"
            assert bool(old.match(text)) == bool(new.match(text)), text


def test_numbered_headings_and_their_text_are_read_as_before():
    """checks/topics.py: blanks before a heading's marker stay on its line; the title and body
    groups (all that is used) are those the old \\s* gave, on the reports and on random stacks."""
    import random

    from auditor.checks.topics import _HEADING

    old = re.compile(_HEADING.pattern.replace(r"^[^\S\n]*", r"^\s*", 1), re.M)
    pieces = ["四、主动公开情况", "（二）依申请公开", "3.平台建设", "", "  ", "本年公开信息12条。", "  （一）其他", "正文"]
    rng = random.Random(7)
    texts = ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(1500)]
    texts.append("\n".join(_report_lines()))
    for text in texts:
        groups = lambda p: [(m.group("title"), m.group("body")) for m in p.finditer(text)]  # noqa: E731
        assert groups(_HEADING) == groups(old), text
