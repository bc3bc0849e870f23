"""Rules on the real reports that show their case (beyond the acceptance tests' known defects)."""

from __future__ import annotations

from auditor.checks import run_checks
from auditor.rules.loader import load_rules
from auditor.structure import parse_file

RULES = load_rules()


def _rules_fired(path, **kwargs) -> dict[str, list]:
    fired: dict[str, list] = {}
    for f in run_checks(parse_file(str(path)), RULES, **kwargs).findings:
        fired.setdefault(f.rule, []).append(f)
    return fired


def test_outdated_format_notice_cited_by_a_2021_report(shared):
    fired = _rules_fired(shared / "real" / "partial" / "052.txt")  # 山西外事办 2021 cites 〔2019〕60号
    assert "国办公开办函〔2019〕60号" in fired["LEG-FORMAT-2019"][0].span.text


def test_2019_headings_in_a_2023_report(shared):
    fired = _rules_fired(shared / "real" / "partial" / "020.txt")
    assert [f.evidence["template"] for f in fired["STR-LAYOUT"]] == ["2019"]


def test_problems_without_measures_and_unspecific_quantity(shared):
    fired = _rules_fired(shared / "real" / "full" / "007.html")  # 测试市 2025
    assert "VAG-NO-MEASURE" in fired
    assert fired["VAG-QUANTITY"][0].span.text == "若干"


def test_generic_problems_section(shared):
    fired = _rules_fired(shared / "seed" / "000_04e17e8ef65a0743.txt")
    grade = fired["VAG-UNSPECIFIC"][0].evidence["concreteness"]
    # Stock throughout: no number, deadline, owner or named deliverable; at most a gap named in
    # passing ("热点问题还未能做到全部公开", level 1).
    assert grade["value"] < 0.2 and all(s["level"] < 2 for s in grade["sentences"])
    assert "VAG-UNSPECIFIC" not in _rules_fired(shared / "real" / "full" / "037.txt")


def test_paragraphs_copied_from_last_year(shared):
    full = shared / "real" / "full"
    fired = _rules_fired(full / "039.txt", previous=parse_file(str(full / "100.txt")))  # 平潭 2018 vs 2017
    passages = fired["SIM-PREV-PASSAGE"]
    assert any("公众查阅" in f.span.text for f in passages)
    assert all(f.evidence["source"]["year"] == 2017 for f in passages)
    assert [f.section for f in fired["SIM-PREV-SECTION"]] == ["active"]


def test_unsplittable_digits_are_reported(shared):
    fired = _rules_fired(shared / "real" / "full" / "013.txt")
    assert len(fired["TBL-SPLIT"]) == 3


def test_correct_percentages_raise_nothing(shared):
    assert "CLM-PERCENT" not in _rules_fired(shared / "real" / "full" / "009.txt")  # 51.85% … of 81


def test_typos_and_a_lost_number_in_real_reports(shared):
    full = shared / "real" / "full"
    assert [f.span.text for f in _rules_fired(full / "004.txt")["TXT-REPEAT"]] == ["的的"]
    assert [f.span.text for f in _rules_fired(full / "037.txt")["TXT-REPEAT"]] == ["资金资金"]
    assert [f.span.text for f in _rules_fired(full / "012.txt")["TXT-MISSING-NUMBER"]] == ["质条"]
    # Table header lines ("结果结果其他尚未") and the graded reports without typos raise nothing.
    for name in ("001.txt", "003.txt", "008.txt", "010.txt", "011.txt"):
        fired = _rules_fired(full / name)
        assert "TXT-REPEAT" not in fired and "TXT-MISSING-NUMBER" not in fired, name


def test_an_overview_of_principles_only_is_vague_one_with_figures_is_not(shared):
    full = shared / "real" / "full"
    grade = _rules_fired(full / "002.txt")["VAG-OVERVIEW"][0].evidence["concreteness"]
    assert grade["value"] < 0.15
    for name in ("003.txt", "008.txt", "015.txt"):  # 一 rich in counts and named measures
        assert "VAG-OVERVIEW" not in _rules_fired(full / name), name


def test_a_measure_promised_again_word_for_word(shared):
    full = shared / "real" / "full"
    # 平潭 2023's 五 promises "加大重点领域公开信息整合归类力度", as its 2022 五 did ("二是加大…"); the
    # stock phrase introducing the measures ("我区将采取以下措施加以改进") is alike too, and not a measure.
    fired = _rules_fired(full / "009.txt", previous=parse_file(str(full / "015.txt")))
    [measure] = fired["SIM-PREV-MEASURE"]
    assert measure.span.text == "加大重点领域公开信息整合归类力度"
    assert measure.evidence["source"]["year"] == 2022 and "二是" not in measure.evidence["source"]["text"]
    # without last year's report there is nothing to compare
    assert "SIM-PREV-MEASURE" not in _rules_fired(full / "009.txt")


def test_a_problem_named_again_without_rectification(shared):
    full = shared / "real" / "full"
    # 宿迁 2024 lists 依申请公开 规范性 again after 2023; 平潭 2024 lists 政策解读 again after 2023.
    for name, previous, topic in (("004.txt", "003.txt", "依申请公开"), ("010.txt", "009.txt", "政策解读")):
        fired = _rules_fired(full / name, previous=parse_file(str(full / previous)))
        assert [f.evidence["topic"] for f in fired["VAG-RECURRING"]] == [topic], name
    # 平潭 2025's problems (队伍, 答复质量, 平台互动) are not 2024's (政策解读, 智能化).
    assert "VAG-RECURRING" not in _rules_fired(full / "011.txt", previous=parse_file(str(full / "010.txt")))


def test_required_content_and_omissions_on_real_reports(shared):
    full = shared / "real" / "full"
    # 宿迁 2023: table 四 holds 440 reconsiderations that the prose never mentions.
    unmentioned = _rules_fired(full / "003.txt")["CLM-APPEALS-UNMENTIONED"]
    assert "440" in unmentioned[0].message
    # 平潭 2019: section 一 says nothing of 依申请公开 (its 23 applications).
    assert "依申请公开" in _rules_fired(full / "012.txt")["STR-OVERVIEW"][0].evidence["missing"]
    # …nor anywhere else: table 三 has 23 applications the narrative never mentions.
    assert "23件" in _rules_fired(full / "012.txt")["CLM-APPLICATIONS-UNMENTIONED"][0].message
    # 宿迁 2023 states its applications: nothing to say.
    assert "CLM-APPLICATIONS-UNMENTIONED" not in _rules_fired(full / "003.txt")
    # 平潭 2025: （六）2 逾期未缴费 = 2 while 六 says only "无收取信息处理费情况"; its 五 has
    # "下一步整改措施" and "纠错整改机制" but no word of last year's problems.
    fired = _rules_fired(full / "011.txt")
    assert "STR-OVERDUE-FEE" in fired and "STR-RECTIFICATION" in fired
    # 洪泽 2024: 五 names 政务新媒体 as a problem and no measure for it.
    topics = [f.evidence["topic"] for f in _rules_fired(full / "002.txt")["VAG-UNANSWERED"]]
    assert "政务新媒体" in topics
    # 宿迁 2024 itemises the fees it collected: no STR-OVERDUE-FEE for its （六）2 = 38.
    assert "STR-OVERDUE-FEE" not in _rules_fired(full / "004.txt")


def test_problems_copied_from_last_year_are_held_to_a_stricter_share(shared):
    full = shared / "real" / "full"
    fired = _rules_fired(full / "002.txt", previous=parse_file(str(full / "001.txt")))  # 洪泽 2024 vs 2023
    by_section = {f.section: f.evidence["share"] for f in fired["SIM-PREV-SECTION"]}
    assert 0.3 < by_section["problems"] < 0.5  # under the 50% of other sections, over 五's 30%


def test_corrected_appeals_that_section_five_never_mentions(shared):
    full = shared / "real" / "full"
    corrected = _rules_fired(full / "008.txt")["VAG-APPEALS-CORRECTED"]  # 宿迁 2024: 复议纠正 64
    assert corrected[0].evidence["cells"]["appeals.review.corrected"] == 64
    # 平潭 2025: 五 names 行政复议、行政诉讼 in a measure — an account, however thin.
    assert "VAG-APPEALS-CORRECTED" not in _rules_fired(full / "011.txt")


def test_a_preamble_without_contact_details(shared):
    full = shared / "real" / "full"
    assert "联系方式" in _rules_fired(full / "010.txt")["STR-PREAMBLE"][0].evidence["missing"]
    assert "STR-PREAMBLE" not in _rules_fired(full / "001.txt")


def test_a_problem_answered_in_other_words_is_answered(shared):
    full = shared / "real" / "full"
    # 宿迁 2024: "依申请公开办理规范性" is answered by the second item of its list of measures
    # ("…政府信息公开申请、复议、诉讼案件中遇到的复杂疑难问题，收集相关典型案例…"), and
    # "政策解读精准性" by "加强政策精准公开"; 宿迁 2023's by "提升…公开申请案件办理能力".
    assert "VAG-UNANSWERED" not in _rules_fired(full / "004.txt")
    assert "VAG-UNANSWERED" not in _rules_fired(full / "003.txt")
    # 洪泽 2024 names 政策解读 and 政务新媒体 among its problems; no measure touches either.
    assert {f.evidence["topic"] for f in _rules_fired(full / "002.txt")["VAG-UNANSWERED"]} == {"政策解读", "政务新媒体"}


def test_the_signature_date_against_the_deadline_of_the_body_s_kind():
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "corpus"
    # A town reports by 31 January like a department; a county government's report is due by 31 March.
    late = _rules_fired(samples / "baisha-town-2022.txt")["STR-SIGNATURE-DATE"]
    assert late[0].evidence == {"date": "2023-02-10", "deadline": "2023-01-31", "report_year": 2022,
                                "area_wide_government": False}
    assert "STR-SIGNATURE-DATE" not in _rules_fired(samples / "qingxi-county-2023.txt")  # 2024年3月15日
    assert "STR-SIGNATURE-DATE" not in _rules_fired(samples / "yunling-eco-2024.html")  # 2025年1月20日


def test_a_kind_of_published_information_smaller_than_the_documents_it_names(shared):
    # 平潭 2019: "政策、规范性文件类信息68条" while table 二 has 89 行政规范性文件 newly published.
    found = _rules_fired(shared / "real" / "full" / "012.txt")["CLM-NORMATIVE-PUBLISHED"]
    assert [(f.evidence["claim"]["value"], f.evidence["table_value"]) for f in found] == [(68, 89)]
    # "…规章制度类2条、规范性文件类2条…" with 2 issued: the item's own name, not the list's.
    assert "CLM-NORMATIVE-PUBLISHED" not in _rules_fired(shared / "real" / "partial" / "063.txt")


def test_the_regulation_misnamed_and_a_signature_before_the_year_ended():
    from auditor.rules.examples import text_document

    text = ("平潭综合实验区公安局2014年政府信息公开工作年度报告\n一、概述\n根据《中华人民共和国政府信息公开工作条例》，"
            "现公布本局2014年度报告。\n二、主动公开政府信息情况\n全年主动公开信息360条。\n平潭综合实验区公安局\n2014年12月25日")
    fired = {f.rule: f for f in run_checks(text_document(text), RULES, withhold_unseen=False).findings}
    assert "政府信息公开工作条例" in fired["LEG-NAME"].span.text
    assert fired["STR-SIGNATURE-DATE"].severity == "error"  # the year's data cannot be complete on 25 December
    on_the_last_day = text.replace("2014年12月25日", "2014年12月31日")
    assert "STR-SIGNATURE-DATE" not in {f.rule for f in run_checks(text_document(on_the_last_day), RULES,
                                                                   withhold_unseen=False).findings}


def test_a_2008_layout_report_that_never_states_its_fees(shared):
    # 平潭综合实验区 2017: figures for publishing, applications and appeals (prose and statistics
    # table), but no word and no row on fees
    fired = _rules_fired(shared / "real" / "full" / "100.txt")
    assert [f.evidence["missing"] for f in fired["STR-FIGURES"]] == [["fees"]]


def test_a_figure_without_a_unit_in_a_real_report(shared):
    fired = _rules_fired(shared / "real" / "full" / "037.txt")
    assert [f.span.text for f in fired["TXT-NO-UNIT"]] == ["粉丝数54373"]


def test_a_narrative_that_gives_figures_for_three_things_is_thin(shared):
    full = shared / "real" / "full"
    # 洪泽 2023 (the graders' lowest): 主动公开, 新收申请 and 收费 are all the prose gives figures for.
    thin = _rules_fired(full / "001.txt")["STR-THIN"][0]
    assert thin.severity == "info" and thin.evidence["count"] == 3
    # 宿迁 2023 (among the graders' highest) gives figures for many things.
    assert "STR-THIN" not in _rules_fired(full / "003.txt")
