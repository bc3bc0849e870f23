"""Rules added or changed for the defects the expert graders list on real/full
(corpus/grader_defects/real_full.jsonl): each asserted on the real file where the graders found it."""

from __future__ import annotations

from auditor.checks import run_checks
from auditor.rules.loader import load_rules
from auditor.structure import parse_file

RULES = load_rules()


def _fired(path) -> dict[str, list]:
    fired: dict[str, list] = {}
    for f in run_checks(parse_file(str(path)), RULES).findings:
        fired.setdefault(f.rule, []).append(f)
    return fired


def test_a_phrase_written_twice_in_a_row(shared):
    # 平潭 2019 (012-D5): both graders list the duplicated phrase.
    fired = _fired(shared / "real" / "full" / "012.txt")
    [f] = fired["TXT-REPEAT-PHRASE"]
    assert f.span.text.replace(" ", "") == "聚焦新中国成立70周年平潭专场新闻发布会" * 2
    assert f.severity == "info"


def test_table_header_run_into_a_line_is_not_a_repeated_phrase(tmp_path):
    # Table 四's header, scraped into one line, repeats its five columns for the two kinds of
    # lawsuit: a header, not a slip (heldout V014, W013).
    report = tmp_path / "r.txt"
    report.write_text(
        "某局2025年政府信息公开工作年度报告\n一、总体情况\n本年主动公开信息12条。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计。\n",
        encoding="utf-8")
    assert "TXT-REPEAT-PHRASE" not in _fired(report)


def test_stock_problems_next_to_concrete_measures(shared):
    # 平潭 2023 (009-D2): "一是…还不够精确…三是…不够有力…三是…有待提高" — every problem stock,
    # while a measure is concrete (每月巡检通报, 纳入年度绩效考核) and lifts the share over 20%.
    [f] = _fired(shared / "real" / "full" / "009.txt")["VAG-UNSPECIFIC"]
    assert f.evidence["concreteness"]["value"] >= 0.2
    assert len(f.evidence["stock_problems"]) == 3
    assert "还不够精确" in f.span.text and "无一具体" in f.message


def test_one_concrete_problem_is_not_stock(shared):
    # 平潭 2022 (015): "重点项目建设未进行全流程信息公开" — the graders call its problems fairly
    # specific; it is flagged for its share (19%), not for stock problems.
    [f] = _fired(shared / "real" / "full" / "015.txt")["VAG-UNSPECIFIC"]
    assert f.evidence["stock_problems"] == []


def test_another_provinces_rules_forwarded(shared):
    # 平潭 2020 (013-D5): a Fujian body "转发《江苏省政府信息公开申请办理答复规范》"; both shared
    # graders and both blind graders of the same text (heldout V008) list it.
    [f] = _fired(shared / "real" / "full" / "013.txt")["SIM-FOREIGN-PROVINCE"]
    assert f.span.text == "转发《江苏省政府信息公开申请办理答复规范》"
    assert f.evidence["home_province"] == "福建" and f.severity == "info"


def test_own_provinces_rules_are_not_foreign(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("江苏省某市某局2020年政府信息公开工作年度报告\n根据《条例》编制本报告。\n一、总体情况\n"
                      "转发《江苏省政府信息公开申请办理答复规范》，要求各单位认真学习；参照《浙江省政务公开指引》的做法"
                      "（赴浙江省学习）。\n", encoding="utf-8")
    found = _fired(report).get("SIM-FOREIGN-PROVINCE", [])
    # The home province is 江苏 (the title): its own rules are not foreign; 浙江's are.
    assert [f.evidence["province"] for f in found] == ["浙江"]
