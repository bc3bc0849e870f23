"""The typo rules (kind `typo`, auditor/checks/typo.py): the graders' typos on real reports, made-up
slips, and correct text that looks close (参差 and 渠道 used rightly, names, numbers, wording)."""

from __future__ import annotations

import pytest

from auditor.checks import run_checks
from auditor.checks.typo import same_sound, standalone_share
from auditor.rules.loader import load_rules
from auditor.structure import parse_file

RULES = load_rules()
TYPO_RULES = [r for r in RULES if r.kind == "typo"]


def _typos(path, rules=TYPO_RULES) -> list[tuple[str, str, str]]:
    return [(f.rule, f.span.text, f.evidence["suggestion"])
            for f in run_checks(parse_file(str(path)), rules).findings if f.rule.startswith("TXT-TYPO")]


def _typos_in(tmp_path, body: str, heading: str = "一、总体情况") -> list[tuple[str, str, str]]:
    report = tmp_path / "r.txt"
    report.write_text(f"某区2023年政府信息公开工作年度报告\n{heading}\n{body}\n", encoding="utf-8")
    return _typos(report)


# ---- the graders' typos on the shared reports ------------------------------------------------

def test_graders_typos_found_on_real_reports(shared):
    full = shared / "real" / "full"
    # 宿迁 2024 (004-D11): "公共企事业单信息公开", written in full elsewhere in the report
    assert ("TXT-TYPO-DROP", "事业单信息", "事业单位信息") in _typos(full / "004.txt")
    # 平潭 2019 (012-D6): "规范程度残差不齐"
    assert ("TXT-TYPO-TERM", "残差不齐", "参差不齐") in _typos(full / "012.txt")
    # 平潭 2022 (015-D4): "运用图标图解" against "利用图表图解" in the same report
    assert ("TXT-TYPO-SWAP", "图标图解", "图表图解") in _typos(full / "015.txt")


def test_every_typo_flag_on_the_shared_reports(shared):
    """All the typo rules raise on the shared corpus: the three graders' typos and one abbreviation
    (建管部门, 建设管理部门) taken for 监管部门 — the known false alarm, why the rule is a hint."""
    flags = set()
    for folder in ("full", "partial"):
        for path in sorted((shared / "real" / folder).glob("*.txt")):
            flags |= {(path.name, *t) for t in _typos(path)}
    assert flags == {("004.txt", "TXT-TYPO-DROP", "事业单信息", "事业单位信息"),
                     ("004.txt", "TXT-TYPO-TERM", "建管部门", "监管部门"),
                     ("012.txt", "TXT-TYPO-TERM", "残差不齐", "参差不齐"),
                     ("015.txt", "TXT-TYPO-SWAP", "图标图解", "图表图解")}


def test_a_finding_shows_suspect_span_correction_and_why(shared):
    doc = parse_file(str(shared / "real" / "full" / "012.txt"))
    [f] = [f for f in run_checks(doc, TYPO_RULES).findings if f.rule == "TXT-TYPO-TERM"]
    assert doc.text[f.span.start:f.span.end] == "残差不齐" and f.severity == "info"
    assert f.message.startswith("“残差不齐”疑为“参差不齐”")
    assert "“残”与“参”同音" in f.message and f.evidence["suggestion"] == "参差不齐"
    assert f.evidence["changed"] == {"from": "残", "to": "参"} and f.section == "problems"


# ---- made-up slips ------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("本年共收到申请5件，其中予以部份公开1件。", ("TXT-TYPO-TERM", "部份公开", "部分公开")),
    ("各部门信息公开水平残差不齐。", ("TXT-TYPO-TERM", "残差不齐", "参差不齐")),
    ("及时回应公众关切，推进政府信息公开工作。同时推进政府息公开工作机制建设。",
     ("TXT-TYPO-DROP", "进政府息公", "进政府信息公")),
    ("在“机构职能类”栏目发布信息。更新“机构智能类”信息5条。", ("TXT-TYPO-SWAP", "构智能类", "构职能类")),
])
def test_made_up_slips(tmp_path, body, expected):
    assert _typos_in(tmp_path, body) == [expected]


# ---- correct text that looks close --------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "各部门信息公开工作规范程度参差不齐，个别单位更新不及时。",  # 参差 used rightly
    "畅通依申请公开受理渠道，规范办理流程。拓宽受理渠道，方便群众。",  # 渠道 rightly, twice
    "通过“义乌教育之声”公众号主动发布信息。",  # a place name next to 教育, not 义务教育
    "深入贯彻落实中央及北京市有关规定。",  # 北京市有 runs across 有关
    "本年共收到申请12件，办结12件。本年共收到申请13件的说法有误。",  # numbers differ, not characters
    "2023年，全州公安机关主动公开信息。2023年，州公安局办理申请3件。",  # a modifier left out
    "提升政府信息公开工作实效。进一步提高政府信息公开工作时效性。",  # both words right
    "截至2023年底，现行有效文件12件。截止2023年12月31日，共收到申请3件。",  # 截止 is the commoner word, not the right one
    "在进一步加强政府信息发布审核的基础上，再进一步优化栏目。",  # 在/再 is wording
    "公开法人和其他组织关心的信息，回应法人或其他组织的诉求。",  # 和/或 is wording
])
def test_correct_text_that_looks_close(tmp_path, body):
    assert _typos_in(tmp_path, body) == []


def test_a_table_line_is_not_read(tmp_path):
    # a line without sentence punctuation is a table row or a heading: never read for typos
    assert _typos_in(tmp_path, "本年主动公开信息12条。\n予以部份公开 1 0 0 0 0 0 1") == []


# ---- the sound test ---------------------------------------------------------------------------

def test_same_sound_uses_usual_readings_and_the_reading_in_the_phrase():
    assert same_sound("残", "参", "参差不齐", 0)  # 残 can is 参's usual reading (cen in 参差)
    assert same_sound("标", "表") and same_sound("份", "分")
    assert not same_sound("有", "立")  # pypinyin lists a rare reading wei for both
    assert not same_sound("到", "受")  # nor does 受's rare dao count
    assert not same_sound("参", "参")


def test_standalone_share_tells_bound_characters():
    assert standalone_share("单") < 0.3 < standalone_share("年")


@pytest.mark.parametrize("body, expected", [
    ("坚持依法行正，推进政务公开。", ("TXT-TYPO-TERM", "依法行正", "依法行政")),
    ("切实加强正府信息公开工作。", ("TXT-TYPO-TERM", "正府信息", "政府信息")),  # 信息公开 runs past the window
    ("我们将再接再励，推动工作。", ("TXT-TYPO-TERM", "再接再励", "再接再厉")),  # a misspelling jieba keeps (3 vs 115)
    ("设立谘询电话，方便群众。", ("TXT-TYPO-TERM", "谘询电话", "咨询电话")),
])
def test_slips_the_dictionary_or_jieba_hides(tmp_path, body, expected):
    assert _typos_in(tmp_path, body) == [expected]


def test_the_misspellings_list_is_generated_from_the_dictionary():
    """rules/typo_misspellings.yaml is what `python -m auditor.checks.typo` writes from jieba's
    dictionary and pypinyin with TXT-TYPO-TERM's params: regenerate it when they change."""
    from auditor.checks.typo import dictionary_misspellings
    from auditor.rules.data import load_data

    [rule] = [r for r in TYPO_RULES if r.params["mode"] == "idiom"]
    shipped = load_data(rule.params["misspellings"])["misspellings"]
    assert shipped == dictionary_misspellings(rule.params)
    assert shipped["再接再励"] == "再接再厉" and "参差不齐" not in shipped
