"""The claim checks: every narrative contradiction the visible corpus shows is found on its real
file, with evidence; the controls (correct lists, shares, totals) raise nothing above info; and
hand-made cases for each way the prose can contradict the tables or itself."""

from __future__ import annotations

import json
import sys

import pytest

from auditor.checks import run_checks
from auditor.nlp.claims import extract_claims
from auditor.nlp.sentences import split_document
from auditor.rules.examples import text_document, with_tables
from auditor.rules.loader import load_rules
from auditor.structure import parse_file
from conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))
from claims_contradictions import ABOVE_INFO, RULE_KINDS, judge  # noqa: E402

# The rules that judge what a statement says; those that judge the report as a whole (a table's cases
# the prose never mentions, how few things it gives figures for) have tests of their own.
CLAIM_RULES = [r for r in load_rules() if r.kind == "claim"
               and r.params.get("mode") not in ("unmentioned", "substance")]
LISTED = [json.loads(line) for line in
          (ROOT / "corpus" / "claims" / "contradictions.jsonl").read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def judged(shared):
    results, unconfirmed = judge(LISTED, SHARED)
    return {(item["file"], item["quote"]): hits for item, hits in results}, unconfirmed


@pytest.mark.parametrize("item", [i for i in LISTED if i["is_contradiction"]], ids=lambda i: i["quote"][:20])
def test_every_visible_contradiction_is_found(judged, item):
    hits = judged[0][(item["file"], item["quote"])]
    assert hits, item
    # found by a rule of its kind (a list sum by CLM-PARTS-SUM …), with the numbers in its evidence
    kinds = {k for f in hits for k in RULE_KINDS.get(f.rule, ("vs_table",))}
    assert item["kind"] in kinds, [f.rule for f in hits]
    assert all(f.evidence for f in hits)


@pytest.mark.parametrize("item", [i for i in LISTED if not i["is_contradiction"]], ids=lambda i: i["quote"][:20])
def test_controls_raise_nothing_above_info(judged, item):
    hits = judged[0][(item["file"], item["quote"])]
    assert not [f for f in hits if f.severity in ABOVE_INFO], [f.message for f in hits]


def test_no_unlisted_claim_finding_above_info(judged):
    """Every claim finding above info on these reports is one of the listed contradictions."""
    assert not judged[1], [(file, f.message) for file, f in judged[1]]


def test_the_growth_rate_against_last_years_report(shared):
    current = parse_file(str(SHARED / "real" / "full" / "004.txt"))
    previous = parse_file(str(SHARED / "real" / "full" / "003.txt"))
    findings = [f for f in run_checks(current, load_rules(), previous=previous).findings if f.rule == "CON-GROWTH"]
    assert len(findings) == 1
    growth = findings[0]
    assert (growth.category, growth.severity) == ("continuity", "info")  # 1.05% against 1.08%: a small slip
    assert growth.evidence["previous"] == 3607 and growth.evidence["current"] == 3646
    assert "3607" in growth.message and "1.08" in growth.message
    # without last year's report there is nothing to compare the rate with
    assert not [f for f in run_checks(current, load_rules()).findings if f.rule == "CON-GROWTH"]


def test_the_2008_layout_is_checked_in_prose_and_never_read_as_tables(shared):
    """Reports of the 2008 layout state their figures in prose: the prose checks run there too, and
    no table identity is read out of years and unrelated numbers."""
    for name in ("039.txt", "100.txt"):
        doc = parse_file(str(SHARED / "real" / "full" / name))
        # None of the three tables of the later layouts; the layout's own statistics table.
        assert {k: v for k, v in doc.tables.items() if k != "statistics_2008"} == \
            {"active": {}, "applications": {}, "appeals": {}}
        assert doc.tables["statistics_2008"]["review"] == {"year": 0, "cumulative": 0}
        findings = run_checks(doc, load_rules()).findings
        assert not [f for f in findings if f.category == "table" and f.severity == "error"]
    # "主动公开文件数条206912106其中：1.政府网站公开数条2069121062.…": run together, the next
    # row's ordinal glued on; split by the total = 网站 + 公报 in both columns.
    statistics = parse_file(str(SHARED / "real" / "full" / "039.txt")).tables["statistics_2008"]
    assert statistics["active_total"] == statistics["active_website"] == {"year": 2069, "cumulative": 12106}


def test_the_2008_statistics_table_against_its_sums_and_the_prose():
    text = ("某区2013年政府信息公开工作年度报告\n一、概述\n2013年主动公开政府信息2026条，"
            "收到1份有关政府信息公开行政复议申请已及时处理。\n五、存在的主要问题和改进措施\n一是人员不足。下一步将加强培训。\n"
            "附件：统计表 指标名称 计量单位 2013年度 历年累计 主动公开信息数 条 2026 3542 其中：1、网站公开 条 1795 3304 "
            "2、政府公报公开 条 0 7 受理依申请公开信息总数 条 0 0 行政复议数 件 0 0 行政诉讼数 件 0 0")
    doc = text_document(text)
    assert doc.meta.template == "2008"
    findings = run_checks(doc, load_rules()).findings
    sums = [f for f in findings if f.rule == "TBL-2008-SUM"]
    assert [f.evidence["left"] for f in sums] == [2026, 3542]  # 1795 + 0 and 3304 + 7 in the two columns
    review = [f for f in findings if f.rule == "CLM-APPEALS-REVIEW"]
    assert review and "统计表行政复议（0）" in review[0].message
    assert not [f for f in findings if f.rule == "CLM-PUBLISHED-2008"]  # 2026 as the table says
    # The layout has no table category: the table's defects deduct from the narrative agreement.
    score = run_checks(doc, load_rules()).score
    assert "table" not in score["rubric"] and score["rubric"]["contradiction"]["deducted"] >= 12


# --------------------------------------------------------------------------- hand-made cases


def test_prose_with_a_word_of_a_table_is_no_table():
    # "行政复议（结果维持）1件" in a report without table 四 or headings: one figure of a sentence, not
    # the table's last cell — "未发生行政诉讼" beside it contradicts nothing
    from auditor.structure import parse_bytes

    text = ("某县城管局2025年政府信息公开工作年度报告\n（三）依申请公开办理情况\n"
            "2025年，县城管局收到政府信息公开申请件10件，行政复议（结果维持）1件，未发生行政诉讼。\n")
    doc = parse_bytes("q.txt", text.encode("utf-8"))
    assert not any(v is not None for group in doc.tables.get("appeals", {}).values() for v in group.values())
    assert not [f for f in run_checks(doc, CLAIM_RULES).findings if f.severity == "error"]
    # nor "本年新收723件" table 三, with a telephone number after it for its 结转下年度 cell
    text = ("西城区某局2020年政府信息公开工作年度报告\n共收到政府信息公开申请723件，本年新收723件，无上年结转数。\n"
            "通过我局办公室查询，每天上午9:00—11:30；联系电话010-66218006。\n")
    doc = parse_bytes("q.txt", text.encode("utf-8"))
    assert not any(v is not None for group in doc.tables.get("applications", {}).values()
                   if isinstance(group, dict) for v in group.values())
    assert not [f for f in run_checks(doc, load_rules()).findings if f.severity == "error"]


def audit(text: str, tables: dict | None = None, rules=None):
    doc = with_tables(text_document("某县2023年政府信息公开工作年度报告\n一、总体情况\n" + text), tables)
    return run_checks(doc, rules or CLAIM_RULES).findings


def rules_of(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity) for f in findings)


def test_a_list_without_brackets_that_does_not_add_up():
    findings = audit("其他类累计信息共计300条：政策文件51条，计划规划40条，部门事项196条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    evidence = findings[0].evidence
    assert (evidence["total"]["value"], evidence["parts_sum"]) == (300, 287)
    assert "51+40+196 = 287" in findings[0].message


def test_a_list_more_than_its_total_is_wrong_even_with_two_parts():
    findings = audit("全年主动公开政府信息1913条。其中，区直单位1397条，各乡镇534条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]


def test_two_parts_short_of_the_total_are_only_a_note():
    findings = audit("全年主动公开政府信息300条，其中政策文件51条，计划规划40条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "info")]


def test_a_kind_listed_with_none_of_it_makes_the_list_complete():
    # highlights are not listed at 0: a list that names a kind with none of it names every kind
    findings = audit("全年累计公开信息85条。其中政策文件4条，工作动态37条，履职依据0条，权责清单1条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    assert findings[0].evidence["parts_sum"] == 42
    highlights = audit("全年累计公开信息85条。其中政策文件4条，工作动态37条，权责清单1条。")
    assert rules_of(highlights) == [("CLM-PARTS-SUM", "info")]


def test_what_became_of_the_information_made_is_all_of_it():
    # published, open on request, withheld: the dispositions are the whole, even two of them
    findings = audit("全年制作、获取政府信息总数32条，其中主动公开政府信息26条，作为依申请公开信息数0条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    kinds = audit("全年发布政府信息总数32条，其中政策文件26条，工作动态0条。")
    assert rules_of(kinds) == [("CLM-PARTS-SUM", "info")]


def test_a_detail_after_a_part_ends_the_list_at_a_semicolon(shared):
    # real/full/037: "文章1640篇，其中原创文章294篇，…关注人数达1016823人；视频号…短视频584条" — the
    # followers are a detail of the account; after the ；the video channel is no part of the 1640
    doc = parse_file(str(SHARED / "real" / "full" / "037.txt"))
    sums = [f for f in run_checks(doc, CLAIM_RULES).findings if f.rule == "CLM-PARTS-SUM"]
    assert not [f for f in sums if f.evidence["total"]["value"] == 1640]
    # the same detail followed by a comma leaves the list open: 2464 + 270 + 480 + 130 > 2918
    findings = audit("政府信息主动公开数为2918条。其中：通过微信公众平台公开信息数为2464条，年度阅读量为29.4万次，"
                     "通过微信小程序公开信息数为270条，通过政府网站公开信息数为480条，其他方式公开信息数为130条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]


def test_what_a_total_includes_short_of_it_is_only_a_note():
    # "121条，含…": what is included, maybe not all of it — an under-sum is a note, an over-sum wrong
    short = audit("全年发布信息121条，含规范性文件2件、工作计划1条、政务动态51条、人事任免2条、财政预决算10条、执法动态30条。")
    assert rules_of(short) == [("CLM-PARTS-SUM", "info")]
    over = audit("全年发布信息121条，含规范性文件2件、工作计划1条、政务动态51条、人事任免2条、财政预决算10条、执法动态80条。")
    assert rules_of(over) == [("CLM-PARTS-SUM", "warning")]


def test_a_group_that_is_really_its_first_row():
    tables = {"applications": {"declined_petition": {"total": 2}, "declined_repeat": {"total": 3},
                               "declined_publication": {"total": 0}, "declined_excessive": {"total": 0},
                               "declined_confirmation": {"total": 0}, "total_processed": {"total": 20}}}
    findings = audit("全年办结申请20件，其中不予处理2件。", tables)
    assert rules_of(findings) == [("CLM-TABLE", "warning")]
    assert "信访举报投诉" in findings[0].message and "（2）" in findings[0].message
    # and the other way round: a group named after one of its items is the whole group
    assert audit("全年办结申请20件，其中因信访、重复申请等不予处理5件。", tables) == []


def test_a_merged_figure_of_two_results():
    tables = {"applications": {"granted": {"total": 30}, "partly_granted": {"total": 12}, "unable_no_info": {"total": 5},
                               "unable_needs_creation": {"total": 1}, "unable_unclear": {"total": 0}}}
    assert audit("予以公开及部分公开42件，无法提供6件。", tables) == []
    assert rules_of(audit("予以公开和部分公开40件。", tables)) == [("CLM-RESULTS-GRANTED-OR-PARTLY", "warning")]
    # any two groups counted together are their cells summed
    tables["applications"].update({"withheld_subtotal": {"total": 2}})
    assert audit("不予公开和无法提供共8件。", tables) == []
    wrong = audit("不予公开和无法提供共9件。", tables)
    assert rules_of(wrong) == [("CLM-TABLE", "warning")] and "（8）" in wrong[0].message


def test_absolutes_are_compared_with_their_own_group_only():
    tables = {"appeals": {"review": {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2},
                          "litigation_direct": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
                          "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}}}
    assert audit("被申请行政复议2件，均获维持；被提起行政诉讼1件。", tables) == []
    wrong = audit("被申请行政复议2件，被提起行政诉讼1件，均获维持。", tables)
    assert rules_of(wrong) == [("CLM-ALL-UPHELD", "error")]
    assert wrong[0].cells and "纠正" in wrong[0].message


def test_an_absolute_about_one_applicant_column_is_compared_with_that_column():
    tables = {"applications": {"new_received": {"natural_person": 2, "commercial": 1, "total": 3},
                               "granted": {"natural_person": 2, "commercial": 0, "total": 2},
                               "withheld_subtotal": {"natural_person": 0, "commercial": 1, "total": 1}}}
    # the company's refusal is not the natural persons'
    assert audit("收到自然人信息公开申请2件，均予以公开。", tables) == []
    tables["applications"]["withheld_subtotal"].update(natural_person=1, total=2)
    tables["applications"]["granted"].update(natural_person=1, total=1)
    wrong = audit("收到自然人信息公开申请2件，均予以公开。", tables)
    assert rules_of(wrong) == [("CLM-ALL-GRANTED", "warning")]
    assert "applications.withheld_subtotal.natural_person" in wrong[0].cells
    # two columns before 均: whose all it is, unclear; nothing said
    assert audit("收到自然人申请2件；商业企业申请1件，均予以公开。", tables) == []


def test_all_upheld_while_cases_are_pending():
    tables = {"appeals": {"review": {"upheld": 5, "corrected": 0, "other": 0, "pending": 2, "total": 7}}}
    assert rules_of(audit("行政复议7件，均获维持。", tables)) == [("CLM-ALL-UPHELD", "warning")]


def test_a_negation_with_a_blank_group_beside_a_filled_one():
    tables = {"appeals": {"review": {"total": 2}, "litigation_direct": {"total": None},
                          "litigation_after_review": {"total": None}}}
    assert rules_of(audit("本年度未发生行政复议、行政诉讼。", tables)) == [("CLM-APPEALS-NONE", "error")]


def test_one_figure_stated_twice():
    findings = audit("全年共收到政府信息公开申请30件。\n三、收到和处理政府信息公开申请情况\n本年度收到政府信息公开申请32件。")
    assert rules_of(findings) == [("CLM-STATED-TWICE", "warning")]


def test_the_balance_stated_in_prose():
    assert rules_of(audit("全年新收申请30件，上年结转2件，办结28件，结转下年度3件。")) == [("CLM-BALANCE", "warning")]
    assert audit("全年新收申请30件，上年结转2件，办结29件，结转下年度3件。") == []
    assert audit("全年收办申请32件，办结29件，结转下年度3件。") == []


def test_a_rate_of_100_percent_next_to_counts_that_differ():
    # (and 30 received cannot be 28 processed with none carried forward, whatever last year left)
    assert rules_of(audit("全年收到申请30件，办结28件，无结转下年度，办结率100%。")) == [("CLM-BALANCE", "warning"),
                                                                                 ("CLM-RATE", "warning")]
    assert audit("全年收到申请30件，办结28件，结转下年度2件，办结率100%。") == []
    assert rules_of(audit("共受理审批事项117件，办结171件，办结率100%。")) == [("CLM-RATE", "warning")]


def test_shares_of_one_denominator():
    assert rules_of(audit("办结申请81件，其中予以公开42件，占55.1%。")) == [("CLM-PERCENT", "warning")]
    # printed cut rather than rounded (45.38% as 45.3%) is not an error
    assert audit("办结申请130件，其中予以公开59件，占45.3%；不予公开71件，占54.6%。") == []


def test_growth_against_a_figure_stated_beside_it():
    assert rules_of(audit("全年收到申请30件，比上年的20件增长30%。")) == [("CLM-GROWTH", "warning")]
    assert rules_of(audit("2022年发布信息1128条。2023年总计发布信息2401条，是2022年的1.5倍。")) == [("CLM-GROWTH", "warning")]
    assert audit("2022年发布信息1128条。2023年总计发布信息2401条，是2022年的2.1倍。") == []


def test_scope_words_soften_and_parts_by_office_are_skipped():
    tables = {"applications": {"new_received": {"total": 95}}}
    agency = audit("区政府办代表区政府受理政府信息公开申请17件。", tables)
    assert rules_of(agency) == [("CLM-RECEIVED", "warning")] and "口径" in agency[0].message
    assert audit("全区受理政府信息公开申请95件，其中区政府办受理17件。", tables) == []


def test_every_finding_shows_its_sentence_and_numbers():
    tables = {"applications": {"new_received": {"total": 28}, "carried_over": {"total": 2}}}
    finding = audit("全年共收到政府信息公开申请30件。", tables)[0]
    assert finding.span.text == "收到政府信息公开申请30件"
    assert finding.evidence["claim"]["sentence"].startswith("全年共收到")
    assert finding.evidence["table_value"] == 28 and finding.cells == ("applications.new_received.total",)
    assert "新收与上年结转之和（30）" in finding.message  # the figure equals a related concept


def test_prose_under_the_appeals_heading_is_never_read_as_table_four(tmp_path):
    """A report of the old layout states its appeals in prose; years and counts there are not cells."""
    report = tmp_path / "report.txt"
    report.write_text(
        "某市2012年政府信息公开工作年度报告\n一、概述\n2012年，我市政府信息公开工作稳步推进。\n"
        "三、依申请公开政府信息情况\n2012年，全市共受理政府信息公开申请236件，已答复230件。\n"
        "四、因政府信息公开申请行政复议、提起行政诉讼的情况\n"
        "2012年，全市共发生政府信息公开行政复议案件12件，其中维持原具体行政行为10件，被依法纠错2件；"
        "发生行政诉讼案件5件，2011年结转3件，2013年1月审结2件。\n", encoding="utf-8")
    doc = parse_file(str(report))
    assert doc.tables["appeals"] == {}
    findings = run_checks(doc, load_rules()).findings
    assert not [f for f in findings if f.rule.startswith("TBL")], [f.message for f in findings]


def test_one_kind_listed_twice_with_two_numbers():
    findings = audit("通过政府网站公开信息520条，其中规划计划类信息134条，财政类信息200条，规划计划类信息166条。")
    assert sorted(f.rule for f in findings if f.severity == "warning") == ["CLM-PARTS-SUM", "CLM-STATED-TWICE"]
    assert "规划计划类信息" in next(f for f in findings if f.rule == "CLM-STATED-TWICE").message
    # parts that make the total exactly are two kinds with one name: only a note
    exact = audit("通过政府网站公开信息500条，其中规划计划类信息134条，财政类信息200条，规划计划类信息166条。")
    assert rules_of(exact) == [("CLM-STATED-TWICE", "info")]


def test_lists_in_lists_and_lists_that_are_done():
    # a list on a part of another nests in it; each adds up
    assert audit("公开各类政务信息8223条，其中门户网站发布信息7287条，包括概况类信息12条、政务动态信息5940条、"
                 "信息公开目录信息1335条；微信公众号推送信息936条。") == []
    # once its parts make the total, the list is done: later figures are something else
    assert audit("主动公开政府信息25214条，其中概况类147条、政务信息6379条、微博13970条、微信4718条；"
                 "人大代表建议及政协提案办理信息4条、财政预决算信息65条。") == []
    # the rest of a list, though it says 合计
    assert audit("公开信息1764条，其中行政许可类信息137条，工作动态类信息392条，财政信息1096条，"
                 "其他栏目以及热点专题信息合计139条。") == []
    # the list belongs to the count its parts make, not to the last one before it
    findings = audit("全年共接收政府信息公开申请101件，上年结转1件，其中自然人申请100件、法人或其他组织申请1件。",
                     {"applications": {"new_received": {"natural_person": 100, "commercial": 1, "research": 0,
                                                        "social_org": 0, "legal_service": 0, "other_org": 0,
                                                        "total": 101}, "carried_over": {"total": 1}}})
    assert findings == []


def test_highlights_of_a_total_are_only_a_note():
    findings = audit("全年网站发布信息总数为3.5万条，其中发布省政府常务会议62条、省政府文件45条、政策解读81条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "info")]
    # two of the website form's three columns are highlights; all three are the whole of what the
    # site published (four annotators of held-out bodies, and real/partial/040)
    two = audit("全年通过局门户网站主动公开信息共计1103条，涵盖概况类信息34条、政务动态323条。")
    assert rules_of(two) == [("CLM-PARTS-SUM", "info")]
    columns = audit("全年通过局门户网站主动公开信息共计1103条，涵盖信息公开目录103条、概况类信息34条、政务动态323条。")
    assert rules_of(columns) == [("CLM-PARTS-SUM", "warning")]


def test_a_result_list_with_an_item_the_reader_cannot_place():
    tables = {"applications": {"new_received": {"total": 69}, "total_processed": {"total": 68}}}
    # "不属于政府信息1件" is a result the lexicon has no row for: the list is not known to be whole
    assert audit("办理依申请公开69件。办理结果如下：予以公开35件；部分予以公开1件；不予公开2件；无法提供29件；"
                 "不属于政府信息1件；结转下年度继续办理1件。", tables) == []
    # a table 三 figure after the list is no item of it: the shortfall stands
    findings = audit("答复申请69件，其中予以公开35件，部分公开1件，不予公开2件，无法提供29件；另收到申请70件。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]


def test_a_paragraph_that_lists_what_the_one_before_counted():
    findings = audit("通过县政府门户网站主动公开信息83条。\n具体包括履职依据1条，法规文件1条，通知公告3条，机构职能1条，"
                     "建议提案10条，行政执法公示18条，优化营商环境23条，法定主动公开内容等其他信息20条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    # a new paragraph that does not open with a list word is a statement of its own
    assert audit("通过县政府门户网站主动公开信息83条。\n全年发布通知公告3条，建议提案10条，行政执法公示18条。") == []


def test_a_breakdown_that_names_the_rest():
    # no 其中, but the last item is the rest: the items are the whole
    findings = audit("2023年我局主动公开信息共373条，通过政府门户网站发布信息93条、通过微信公众号发布信息323条、其他方式公开13条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    # 公共 is no 共: an item among kinds of information, not their total
    assert audit("主要类别有：机构职能类信息211条，环保、公共卫生、安全生产类信息281条，城乡建设类信息23条，"
                 "征收土地类信息89条，其他信息1029条。") == []
    # the first of a run of items is no total, though it names information in general
    assert audit("2023年，利用门户网站主动公开政府信息88条、规范性文件2条、人事信息13条、政务动态类信息421条，其他信息70条。") == []


def test_a_split_of_the_new_and_the_carried_over_applications():
    # 5 + 5 is the 9 new and the 1 carried over: no count states it, and it is no second 新收 figure
    tables = {"applications": {"new_received": {"total": 9}, "carried_over": {"total": 1}}}
    assert audit("2023年，我县收到政府信息依申请公开9件，上年转结1件，其中网络申请数5件，信函申请数5件，已按程序按时办理。",
                 tables) == []


def test_handled_in_time_is_not_finished():
    # "均按法定时限办理" holds for an application carried forward, still being handled
    assert audit("共收到政府信息依申请公开事项52件，其中办结51件，转结下年度继续办理1件，所有事项均严格按照法定时限和程序办理。") == []
    assert rules_of(audit("共收到政府信息依申请公开事项52件，其中办结51件，转结下年度继续办理1件，均已按时办结。")) == [
        ("CLM-ALL-PROCESSED", "warning")]


def test_shares_nudged_to_make_a_whole_are_a_note():
    # 382/2720 = 14.04%: 14.1% is neither rounded nor cut
    findings = audit("热线共受理2720件，其中求助类2252件，占82.8%；咨询类77件，占2.8%；投诉类382件，占14.1%；建议类9件，占0.3%。")
    assert rules_of(findings) == [("CLM-PERCENT", "info")]
    assert "14.0%" in findings[0].message
    # 33/92 = 35.87% cut to 35.8% where the others are rounded, and the six make exactly 100%
    nudged = audit("发布信息92条，其中A类信息3条，占3.3%；B类信息7条，占7.6%；C类信息40条，占43.5%；"
                   "D类信息7条，占7.6%；E类信息2条，占2.2%；F类信息33条，占35.8%。")
    assert rules_of(nudged) == [("CLM-PERCENT", "info")]
    # a share cut like the others, or cut where the shares do not make 100%, is a way of printing
    cut = audit("发布信息2026条，其中A类信息60条，占2.9%；B类信息34条，占1.7%；C类信息221条，占10.9%。")
    assert "CLM-PERCENT" not in {f.rule for f in cut}


def test_a_long_enumeration_is_a_breakdown():
    # six kinds or more, none marked 主要/等: the writer lists them all, so a shortfall is wrong
    findings = audit("主动公开的1913条政府信息中，机构职能类信息133条，政策文件类信息403条，规划计划类信息12条，"
                     "行政许可类信息145条，重大建设项目类信息41条，民政扶贫类信息57条，科教文体类信息12条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    # the same six as the main ones (主要…等) are a selection
    assert rules_of(audit("主动公开政府信息1913条，主要有机构职能类信息133条，政策文件类信息403条，规划计划类信息12条，"
                          "行政许可类信息145条，重大建设项目类信息41条，民政扶贫类信息57条等。")) == []


def parts_sum_message(text: str) -> str:
    """The message of the one finding the text raises, which must be a CLM-PARTS-SUM warning."""
    findings = audit(text)
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    return findings[0].message


def test_kinds_of_information_counted_in_documents():
    # published information in 条, some of its kinds in 件: evaluators add them up
    assert "7+9+13+14+115" in parts_sum_message(
        "全年主动公开各类政府信息70条。其中，公开行政规范性文件7件、医疗卫生服务信息9条、健康科普信息13条、"
        "检查结果14条，在微信公众号上主动公开各类信息115条。")
    # what is not published information is no kind of it, whatever its unit
    assert audit("全年公开环境信息131条，为群众解答环境保护问题，其中热线电话11通，网络诉求3件。") == []


def test_parts_that_are_at_least_a_figure():
    # "1600余条" is more than 1600: parts that already pass the total are wrong however much more
    findings = audit("主动公开政府信息8769条。其中，通过市政府网站公开信息2100条，通过县政府门户网站发布政府信息5469条，"
                     "通过新闻媒体公开信息1600余条、通过其他形式公开信息600余条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    assert "1600余+600余" in findings[0].message
    # "约1600条" may be less
    assert audit("主动公开政府信息8769条。其中，通过市政府网站公开信息2100条，通过县政府门户网站发布政府信息5469条，"
                 "通过新闻媒体公开信息约1600条、通过其他形式公开信息约600条。") == []


def test_a_part_restated_and_broken_down():
    # "其中通过门户网站发布5469条，…": the first figure is restated, the rest are its breakdown
    assert audit("主动公开政府信息7569条，其中通过市政府网站公开信息2100条，通过县政府门户网站发布政府信息5469条。"
                 "其中通过县政府门户网站发布政府信息5469条，政策解读2620条，要闻1360条，重点领域995条，"
                 "政策文件85条，互动回应98条，其他信息311条。") == []


def test_a_breakdown_of_a_figure_of_the_sentence_before():
    # the parts make the 2720 received, not the 2680 closed named last; their shares are of 2720
    assert audit("热线共受理2720件，日均受理7.5件，办结2680件。其中，按办件性质分：求助类2252件，占82.8%；"
                 "咨询类77件，占2.8%；投诉类382件，占14.0%；建议类9件，占0.3%。") == []
    findings = audit("热线共受理2720件，办结2680件。其中，求助类2252件，占84.8%；咨询类77件，占2.8%；"
                     "投诉类382件，占14.0%；建议类9件，占0.3%。")
    assert rules_of(findings) == [("CLM-PERCENT", "warning")]  # the share (the shares' sum is off for it)
    assert "2252/2720" in findings[0].message


def test_words_that_are_not_what_they_look_like():
    tables = {"applications": {"new_received": {"total": 13}, "total_processed": {"total": 13}}}
    # an approval window's applications are not disclosure applications
    assert audit("区行政服务中心开设窗口26个，共受理申请121510件。", tables) == []
    # complaints about how applications were handled are not applications
    assert audit("全年未发生因依申请公开办理不当引发的投诉举报情况。", tables) == []
    # 办理 may be the whole workload (new and carried over)
    assert audit("办理政府信息公开申请61件，办结54件，结转下一年办理7件。") == []
    # processed in time and late are parts of the processed ones
    assert audit("我办按时办结数517件，延期办结8件。") == []
    # answered in two ways: the rate is of both
    assert audit("受理网民留言111条，公开答复41条、电话答复70条，办结率100%。") == []


def test_kinds_of_information_listed_under_an_earlier_total():
    # 2008-layout reports state the year's total, then "（二）主要类别" in a paragraph of its own.
    message = parts_sum_message("2023年主动公开政府信息2543条。\n"
                                "2023年，我区主动公开政府信息的主要类别有：机构职能类信息594条，政策文件类信息281条，"
                                "规划计划类信息29条，其他应主动公开的信息1739条。")
    assert "2543" in message and "2643" in message
    # the same list adding up to its total (平潭 2018, real/full/039) raises nothing, and a "主要"
    # list falling short of it is open-ended
    assert audit("2023年全区主动公开政府信息2069条。\n2023年，我区主动公开政府信息的主要类别有："
                 "机构职能类信息211条，政策文件类信息82条，其他信息1776条。") == []
    assert audit("2023年全区主动公开政府信息2069条。\n2023年，我区主动公开政府信息的主要类别有："
                 "机构职能类信息211条，政策文件类信息82条，规划计划类信息15条。") == []


def test_an_item_that_says_gong_before_its_own_count_stays_in_its_list():
    # "其中：…解读共1条；…其他文件共51条等": 共 before an item's count does not start a new total.
    assert "5+1+7+12+51 = 76" in parts_sum_message(
        "2023年，全文电子化的主动公开信息数共61条，其中：减税降费5条，财税金融等政策及解读共1条；"
        "财政预算、决算报告共7条；财政资金直达基层12条；其他文件共51条等。")
    # a real total after the list (共计) still is one
    assert audit("2023年主动公开信息61条，其中：减税降费5条，政策解读1条，其他文件55条，共计61条。") == []


def test_a_2008_statistics_table_with_one_column_and_a_signature_after_it():
    from auditor.structure.tables.legacy import recover_statistics_2008

    table, _ = recover_statistics_2008(
        "附表： 指标名称 计量单位 年末统计 主动公开信息数 条 6 其中：1．网站公开 条 6 2．政府公报公开 条 0 "
        "受理依申请公开信息总数 条 0 行政复议数 件 0 行政诉讼数 件 0 某县交通局 2010年4月10日")
    assert table["active_total"] == {"year": 6} and table["litigation"] == {"year": 0}
    table, _ = recover_statistics_2008(  # run together: "2121" is 21 and 21, "1818" 18 and 18
        "指标名称计量单位2012年度历年累计受理依申请公开信息总数条2121其中：1.当面申请数条18182.传真申请数条003.电子邮件申请数条33"
        "对申请的答复数条2121行政复议数条00")
    assert table["requests_total"] == {"year": 21, "cumulative": 21}
    assert table["requests_in_person"] == {"year": 18, "cumulative": 18}
    assert table["requests_email"] == {"year": 3, "cumulative": 3}


def test_a_2008_statistics_table_of_long_digit_runs_is_read_in_bounded_work(monkeypatch):
    from auditor.structure.tables import legacy

    tried = []

    def counted(combo, width):
        tried.append(1)
        if len(tried) > legacy.MAX_COMBINATIONS:
            raise AssertionError("more readings tried than the bound")  # fail fast, never hang
        return original(combo, width)

    original = legacy._sums_hold
    monkeypatch.setattr(legacy, "_sums_hold", counted)
    rows = "".join(f"{i}.{name}条{'1234567890' * 3}" for i, name in enumerate(
        ("当面申请数", "传真申请数", "电子邮件申请数", "网上申请数", "信函申请数", "其它形式申请数"), 1))
    text = "指标名称计量单位2012年度历年累计受理依申请公开信息总数条" + "9" * 30 + "其中：" + rows + "行政复议数条00"
    # 29 readings a row over 7 rows would be 17 billion combinations: each row is read alone.
    table, _ = legacy.recover_statistics_2008(text)
    assert len(table) == 8 and not tried


def test_a_list_with_one_item_per_paragraph_and_shares_of_the_wrong_base():
    # the 2008 style: each result category in a paragraph of its own, opening with its quoted name;
    # "主要涉及…行政审批等信息" says what was asked for, not that these are other applications
    text = ("本局共受理信息公开申请10件。\n"
            "在已经答复的9件申请中，“同意公开”的7件，占总数的70%，主要涉及文物保护、行政审批等信息。\n"
            "“同意部分公开”1件，占总数的10%。\n“不予公开”的1件，占总数的10%。\n"
            "“信息不存在”的1件，占总数的10%。\n“申请内容不明确”的1件，占总数的10%。")
    findings = audit(text)
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning"), ("CLM-PERCENT", "warning")]
    parts = next(f for f in findings if f.rule == "CLM-PARTS-SUM")
    assert "7+1+1+1+1 = 11" in parts.message
    shares = next(f for f in findings if f.rule == "CLM-PERCENT")
    # five shares that are all of 10, not of the 9 answered: one defect, said once
    assert shares.evidence["implied"] == 10 and len(shares.evidence["shares"]) == 5


def test_applications_of_another_kind_only_where_the_figure_is():
    assert rules_of(audit("政务服务窗口共受理申请121510件。", {"applications": {"new_received": {"total": 3}}})) == []


def test_handled_is_not_finished():
    # "全部按规定时限办理" holds with one carried forward: no finding, unlike "均已办结"
    carried = {"applications": {"carried_forward": {"total": 1}}}
    assert audit("收到申请5件，全部按规定时限办理。", carried) == []
    assert rules_of(audit("收到申请5件，均已办结。", carried)) == [("CLM-ALL-PROCESSED", "warning")]


def test_kinds_listed_in_the_next_item_break_down_the_total_of_the_one_before():
    # heldout8 Q012: "(一)…数量共192条。(二)…主要类别情况:党政信息类147条,文件类47条,制度类4条。"
    findings = audit("（一）主动公开政府信息的数量共192条。\n（二）主动公开政府信息的主要类别情况：党政信息类147条，"
                     "文件类47条，制度类4条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    assert findings[0].evidence["parts_sum"] == 198
    assert audit("（一）主动公开政府信息的数量共198条。\n（二）主动公开政府信息的主要类别情况：党政信息类147条，"
                 "文件类47条，制度类4条。") == []


def test_a_part_larger_than_a_total_the_tables_do_not_count():
    # heldout8 Q015: "公布网上服务事项108项，其中行政许可191项"
    findings = audit("公布网上服务事项108项，其中行政许可191项。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]
    assert "其中一项191 > 总数108" in findings[0].message
    assert audit("公布网上服务事项108项，其中行政许可91项。") == []


def test_a_bare_yishenqing_count_is_not_a_second_statement_of_the_received():
    # heldout3 K042: "收到和处理政府信息公开申请情况19件。依申请公开16件" — the 16 may be the ones disclosed
    assert audit("2023年，收到和处理政府信息公开申请19件。依申请公开16件，行政复议2件。") == []
    findings = audit("全年共收到政府信息公开申请30件。本年度共受理政府信息公开申请32件。")
    assert rules_of(findings) == [("CLM-STATED-TWICE", "warning")]


def test_the_years_whole_published_count_stated_twice():
    findings = audit("2023年，我中心主动公开信息数72条。2023年1月1日至2023年12月31日，中心累计主动公开政府信息84条。")
    assert rules_of(findings) == [("CLM-STATED-TWICE", "warning")]
    assert (findings[0].evidence["first"]["value"], findings[0].evidence["second"]["value"]) == (72, 84)
    # a channel's count, the stock since the first year, and a part are other counts
    assert audit("全年主动公开政府信息120条。通过门户网站主动公开政府信息95条。") == []
    assert audit("截至12月31日，新增主动公开政府信息311条，累计主动公开政府信息达3174条。") == []
    assert audit("全年主动公开政府信息141条，其中主动公开政府信息17条涉及重点领域。") == []


def test_all_applicants_natural_persons_against_the_organisation_columns():
    received = {"natural_person": 6, "commercial": 2, "research": 0, "social_org": 0, "legal_service": 0,
                "other_org": 0, "total": 8}
    findings = audit("区政府办公室共收到8份政府信息公开申请，均为自然人申请。",
                     {"applications": {"new_received": received}})
    assert rules_of(findings) == [("CLM-ALL-NATURAL-PERSON", "warning")]
    assert any(v == 2 for v in findings[0].evidence["cells"].values())
    received = dict(received, natural_person=8, commercial=0)
    assert audit("区政府办公室共收到8份政府信息公开申请，均为自然人申请。",
                 {"applications": {"new_received": received}}) == []


def test_all_natural_persons_on_a_real_report_whose_table_agrees():
    # real/partial/022: "共收到8份政府信息公开申请，均为自然人申请" and table 三's eight are all 自然人
    doc = parse_file(str(SHARED / "real" / "partial" / "022.txt"))
    claims = extract_claims(doc, split_document(doc))
    absolutes = [c for c in claims if c.relation == "all" and c.outcome == "natural_person"]
    assert [c.text for c in absolutes] == ["均为自然人"]
    assert doc.tables["applications"]["new_received"]["natural_person"] == 8
    assert not [f for f in run_checks(doc, CLAIM_RULES).findings if f.rule == "CLM-ALL-NATURAL-PERSON"]


def test_a_share_after_a_sub_list_is_of_its_category_and_the_outer_total():
    # "政策法规类的信息31条，其中政策法规15条，规范性文件16条，占总体的比例为1%": 31/3320, not 16/31
    text = ("在主动公开的3320条信息中，政策法规类的信息31条，其中政策法规15条，规范性文件16条，占总体的比例为1%；"
            "规划计划类的信息4条，其中年度工作计划2条，其它2条，占总体的比例为0.1%；业务类信息3285条，占总体的比例为98.9%。")
    assert [f for f in audit(text) if f.severity in ABOVE_INFO] == []
    wrong = text.replace("占总体的比例为1%", "占总体的比例为7%")
    assert ("CLM-PERCENT", "warning") in rules_of(audit(wrong))


def test_appeals_unmentioned_where_the_printed_total_is_zero_but_its_row_is_not():
    # real/full/001: table 四 prints 总计 0 beside 行政复议 维持10、纠正1 and 复议后起诉 维持5; the prose never
    # mentions an appeal (both graders: "11 复议 and 5 lawsuits never mentioned")
    doc = parse_file(str(SHARED / "real" / "full" / "001.txt"))
    found = [f for f in run_checks(doc, load_rules()).findings if f.rule == "CLM-APPEALS-UNMENTIONED"]
    assert len(found) == 1 and "行政复议11件" in found[0].message and "5件" in found[0].message
    assert found[0].evidence["table"]["appeals.review.corrected"] == 1


def test_the_last_item_of_a_list_after_a_full_stop():
    # six channels, then the seventh after a "。" typed for "；": exactly the shortfall, so it closes the list
    text = ("2023年共主动公开各类政府信息308条。其中：通过县政府网站发布预算信息1条，决算信息1条；通过公众号发布通知公告34条；"
            "通过日报等平台公开发布工作信息动态16条；通过县政府网站等平台公开发布工作信息动态80条，通过公众号公开发布工作信息动态105条。"
            "通过公示栏张贴公开信息71条。")
    assert audit(text) == []
    # a next sentence whose figure does not close the list is something else: the six fall short
    assert "237" in parts_sum_message(text.replace("71条", "70条"))


def test_a_detail_in_another_unit_inside_an_item():
    # "269次<天>1189条": the days are a detail of the WeChat item, whose own figure follows
    assert audit("全年通过门户网站、微信、微博共发布各类信息数量17249条（其中：政府网站公开15631条，"
                 "县政府公报公开59条，政务微博公开370条，政务微信公开269次<天>1189条）。") == []


def test_items_taken_down_are_no_part_and_explain_an_excess():
    text = "本机关共主动公开政府信息174条，其中形势分析类20条（同时撤销2条），工作动态类156条。"
    assert audit(text) == []  # 20 + 156 = 176 = 174 + the 2 taken down
    assert "176" in parts_sum_message(text.replace("同时撤销2条", "同时撤销3条"))


def test_shares_of_the_whole_their_own_list_makes():
    # the kinds of one channel's 82678 (printed later), read under the year's 311003: their shares
    # make 100% of the kinds' own sum, so none is wrong
    text = ("我市主动公开政府信息311003条。其中，市政府及其组成部门主动公开政府信息200739条，占64.5%；"
            "区市县政府及其组成部门主动公开政府信息110264条，占35.5%。"
            "依托政府门户网站发布政府信息的主要类别包括：重点领域类信息18435条，占22.3%；办事服务类信息22318条，占27%；"
            "政策法规类信息1910条，占2.3%；其他类信息40015条，占48.4%。")
    assert audit(text) == []
    # shares that are right against neither whole are still wrong
    assert any(rule == "CLM-PERCENT" for rule, _ in rules_of(audit(text.replace("占27%", "占37%"))))


def test_a_rest_as_large_as_the_whole_leaves_nothing_for_the_kinds_named():
    assert "5+11+28+260 = 304" in parts_sum_message(
        "全年主动公开政府信息260条，其中机构设置信息5条，领导类信息11条，安全生产类信息28条，其他260条。")
    # one part that is all of them is not a breakdown at all ("3件…，3件属于网络平台申请")
    assert audit("全年主动公开政府信息260条，其中通过网站公开260条，通过公众号公开40条。") == []


def test_what_others_took_up_or_entries_not_published_are_no_kinds_of_what_was_published():
    # taken up by the media: not a breakdown of the 500 published (their 721 would exceed it)
    assert audit("全年发布信息500条，其中被中央级媒体采用41条，省级媒体采用379条，市级媒体采用301条。") == []
    # but a total of what was made or obtained holds the entries not published (2026+46+1854 ≠ 3978)
    assert "3926" in parts_sum_message("全年制作、获取政府信息总数3978条，其中主动公开政府信息2026条，"
                                       "作为依申请公开信息数46条，不予公开信息数1854条。")


def test_kinds_of_one_channel_need_not_make_the_whole():
    text = ("全年主动公开信息总数4702条。其中，通过县政府门户网站公布政务要闻672条，视频新闻259条，镇街动态455条，"
            "部门动态798条，公示公告346条，重要会议12条。")
    assert rules_of(audit(text)) == [("CLM-PARTS-SUM", "info")]
    # the same kinds with no channel named break the whole down: a shortfall needs a look
    assert rules_of(audit(text.replace("通过县政府门户网站公布", ""))) == [("CLM-PARTS-SUM", "warning")]


def test_items_that_each_open_with_the_same_word_are_siblings():
    # "涉及…15条，涉及…6条": the 6 is the next kind, not a part of the 15
    assert audit("全年主动公开政府信息1786条。在主动公开政府信息中，涉及政策法规方面的信息38条，涉及各类规划、计划的信息17条，"
                 "涉及重大事项的信息1705条，涉及公共资金使用的信息15条，涉及机构职能调整的信息6条，其他信息5条。") == []


def test_all_of_a_part_is_said_of_that_part():
    tables = {"applications": {"new_received": {"total": 16}, "total_processed": {"total": 14},
                               "carried_forward": {"total": 2}}}
    # "其中14件均…答复": the 14, not the 16 (2 carried forward)
    assert audit("全年共收到依申请公开16件，其中14件均按照工作流程规范给予了答复。2件结转下年办理。", tables) == []
    assert [r for r, _ in rules_of(audit("全年共收到依申请公开16件，均按照工作流程规范给予了答复。2件结转下年办理。", tables))] \
        == ["CLM-ALL-PROCESSED"]


def test_an_item_that_lists_what_it_holds_and_sums_it():
    # "…政府信息公开含指南、年报等合计14条": an item of the list, not a new total (31+15+3+14 = 63)
    text = "全年政府门户网站公开信息63条。其中：政务活动31条，公示公告15条，政策文件3条，政府信息公开含政府信息公开指南、政府信息公开年报等合计{}条。"
    assert audit(text.format(14)) == []
    # one that does not fit in what the total leaves is not taken for an item: the list still fails
    assert "31+15+3 = 49" in parts_sum_message(text.format(15))


def test_a_bracket_that_lost_its_closer_and_a_description_after_the_verb():
    # the first "(" never closes (its closer went to the nested one); "涉及…等信息，" describes the 20
    assert audit("全年中心公开发布部门动态20条，涉及烟、糖、茶产业发展工作动态、会议等信息，发布专题专栏1条(某中心执法事项目录"
                 "(2024年版)，预算决算公开2条，领导简介变动2条。") == []
    # a bracket left open at the end of a cut-off text still holds its list
    doc = text_document("某县2023年政府信息公开工作年度报告\n一、总体情况\n全年收到依申请公开共3件(其中:第一季度1件,第二季度0件,第三季度1件,第四")
    claims = extract_claims(doc, split_document(doc))
    assert [c.concept for c in claims if c.value == 1] == ["applications.new_received"] * 2


def test_a_total_of_at_least_a_figure():
    text = "全年主动公开政府信息{}条，其中政策文件74条，工作动态12条，通知公告91条。"
    # exact parts short of "180余" are short of at least 180; "约180" may be 177
    assert "74+12+91 = 177" in parts_sum_message(text.format("180余"))
    assert audit(text.format("约180")) == []
    # "300余" holds 370 but not 420
    over = "全年主动公开政府信息300余条，其中政策文件{}条，工作动态60条，其他信息300条。"
    assert audit(over.format(10)) == []
    assert "60+60+300 = 420" in parts_sum_message(over.format(60))


def test_kinds_under_a_count_of_kinds_belong_to_the_total_of_the_same_publisher():
    text = ("截至12月31日，市政府主动公开政府信息共{}条，市直各部门主动公开政府信息3666条，镇（区）主动公开政府信息2064条。\n"
            "市政府主动公开的政府信息类别共有4类，其中，机构信息类26条，政府决策类232条，政策文件类905条，其他类8条。")
    assert audit(text.format(1171)) == []  # 26+232+905+8 = 1171: the 市政府's, not the 镇（区）'s 2064
    assert "1171" in parts_sum_message(text.format(1200))


def test_an_item_on_proposals_taken_up_is_an_item_published():
    # "吸收采纳情况" is the report on proposals, published; information 采纳 by others is not
    text = ("通过区政府网站主动公开信息174条，其中行政许可信息143条、行政执法结果公示12条、建议提案办理总体情况和吸收采纳情况1条、"
            "部门财政决算7条、部门政府信息公开指南1条、行政执法统计年报1条、部门政府信息公开年报1条。")
    assert "143+12+1+7+1+1+1 = 166" in parts_sum_message(text)


def test_every_result_group_named_is_what_was_processed():
    text = ("全县共收到申请163件，上年结转7件，结转至下年9件。其中予以公开或部分公开96件；不予公开2件；无法提供40件；"
            "不予处理1件；其他处理{}件。")
    assert audit(text.format(22)) == []  # 96+2+40+1+22 = 161 = 163+7-9
    findings = audit(text.format(21))
    assert rules_of(findings) == [("CLM-BALANCE", "warning")]
    assert findings[0].evidence["left"] == 170 and findings[0].evidence["right"] == 169
    assert "96+2+40+1+21" in findings[0].message


def test_table_two_decisions_recited_under_the_published_total_are_no_breakdown():
    text = ("我局共主动公开政府信息154条。其中涉及到行政许可类处理决定数4条，行政其他对外管理服务事项处理决定数0条，"
            "行政处罚类处理决定数0条，行政强制处理决定数0条。")
    assert audit(text) == []
    doc = text_document("某县2020年政府信息公开工作年度报告\n一、总体情况\n" + text)
    concepts = [c.concept for c in extract_claims(doc, split_document(doc))]
    assert concepts == ["narrative.published", "active.licensing.decisions", "active.other_services.decisions",
                        "active.punishment.decisions", "active.coercion.decisions"]


def test_a_growth_rate_no_whole_number_of_cases_gives():
    findings = audit("全年累计受理政府信息公开申请57件，同比增长71.9%；完成答复54件。")
    assert rules_of(findings) == [("CLM-GROWTH", "info")]
    assert set(findings[0].evidence["previous_candidates"]) == {"33", "34"}
    assert audit("全年累计受理政府信息公开申请57件，同比增长72.7%；完成答复54件。") == []  # 33 last year
    assert audit("全年收到申请12件，同比下降20%。") == []  # 15 last year
    assert rules_of(audit("全年收到申请12件，同比下降22%。")) == [("CLM-GROWTH", "info")]


def test_an_applicant_kind_said_of_the_whole_row_is_a_note():
    tables = {"applications": {"new_received": {"natural_person": 1, "commercial": 1, "total": 2}}}
    # 自然人 for every applicant: the figure is the row's total, only a note
    assert rules_of(audit("全年共收到自然人提出的政府信息公开申请2份。", tables)) == [("CLM-TABLE", "info")]
    # 公民 alone is the public at large: the row's total, and it agrees
    assert rules_of(audit("全年共收到公民提出的政府信息公开申请2份。", tables)) == []
    # neither the column nor the total: a warning
    assert rules_of(audit("全年共收到公民提出的政府信息公开申请3份。", tables)) == [("CLM-RECEIVED", "warning")]


def test_an_item_printed_without_its_unit_is_counted_with_its_enumeration():
    # "其他类170包括…": 1+1+36+11+170 = 219, and 127+36+5+2 = 170 under it
    assert audit("全年主动公开政府信息219条。其中：机构职能类1条，领导简介及分工类1条，公示公告类36条，财政类信息11条，"
                 "其他类170包括社会保障类127条，就业创业类36条，农民工服务保障类5条，人才人事类2条。") == []
    assert audit("主动公开政府信息102条，其中重点领域信息公开栏43条，公共资源配置栏3条，公示公告5条，专题专栏39条，"
                 "建议提案办理栏7条，意见征集3、部门预算栏1条、部门决算栏1条。") == []
    # and a unit after a note in brackets: "部门预决算3(45个单位在3个总表中公示)条"
    assert audit("主动公开政府信息108条。其中，政府信息公开指南1条，组织机构信息1条；规范性文件信息4条；其他文件信息4条；"
                 "其他信息93条；办事指南信息1条，政府信息公开工作年度报告1条，部门预决算3(45个单位在3个总表中公示)条。") == []
    # a wrong total is still wrong with the bare item counted
    assert "43+3+5+39+7+3+1+1 = 102" in parts_sum_message(
        "主动公开政府信息110条，其中重点领域信息公开栏43条，公共资源配置栏3条，公示公告5条，专题专栏39条，"
        "建议提案办理栏7条，意见征集3、部门预算栏1条、部门决算栏1条。")


def test_subtotals_each_followed_by_their_items():
    text = ("门户网站发布信息{}条，其中新闻栏目全年发布信息5条，今日要闻发布信息2条，政务动态栏目发布信息3条；"
            "政策栏目全年发布信息14条，人事任免栏目发布信息3条，规划计划发布信息1条，计划规划发布信息1条，重点领域发布信息9条；"
            "信息公开栏目全年发布信息85条，政策发布信息2条，制度信息发布1条，法定主动公开内容82条。")
    assert audit(text.format(104)) == []  # 5+14+85 = 104, each with its items
    assert rules_of(audit(text.format(110))) == [("CLM-PARTS-SUM", "warning")]


def test_when_applications_were_answered_is_no_result():
    text = "全年收到政府信息公开申请15件，均按时答复，其中依法延期1件，予以公开10件，本机关不掌握相关信息3件，属于四类过程性信息{}件。"
    assert audit(text.format(2)) == []
    assert rules_of(audit(text.format(3))) == [("CLM-PARTS-SUM", "warning")]


def test_the_received_ones_said_answered_are_the_answered_ones():
    text = "我办受理依申请公开38件，其中网上申请16件，信函申请22件；1件结转下年度办理。2023年受理的37件申请件已按规定在法定期限内予以答复。"
    assert audit(text) == []
    assert rules_of(audit("我办受理依申请公开38件。全年受理依申请公开37件。")) == [("CLM-STATED-TWICE", "warning")]


def test_an_absolute_is_about_the_count_it_follows():
    text = "全县受理线上信息公开申请65件，办结62件，结转下年度办理3件，受理线下信息公开申请9件，已全部依法办结。"
    assert audit(text) == []
    assert rules_of(audit("全县受理信息公开申请65件，已全部依法办结，结转下年度办理3件。")) == [("CLM-ALL-PROCESSED", "warning")]
    # "在法定期内": when they were answered, not that all were
    assert audit("共受理申请95件，另有5件申请转结下年度继续办理，均按规定在法定期内予以答复。") == []


def test_the_item_an_enumeration_marker_opens_names_the_channel():
    text = ("本年度共主动公开政府信息460条，一是通过门户网站进行网络信息公开，向社会主动公开各类信息271条，保证各栏目按要求更新。"
            "二是通过微信公众号公布信息189条。")
    assert audit(text) == []


def test_the_rest_of_a_kind_a_sibling_names_is_not_the_rest_of_the_total():
    # "其他政策文件35件" beside 规范性文件: the rest of the documents, a note only
    findings = audit("通过政府网站主动公开信息总数773条，印发并公开的行政规范性文件17件，其他政策文件35件。")
    assert all(f.severity == "info" for f in findings)


def test_a_lone_kind_after_the_stop_ends_the_list():
    text = "全年共发布212条，其中财政决算(部门)2条，行政处罚信息51条，对外宣传类信息97条(基层动态)。通知公告类46条。"
    assert "2+51+97+46 = 196" in parts_sum_message(text)


def test_outlets_of_the_press_named_one_by_one_are_highlights():
    text = ("全年共通过各级媒体刊登（播出）新闻144条，其中《中国税务报》7条、《羊城晚报》2条、广州市电视台1条、"
            "人民网4条、新华网14条、学习强国2条、南方网4条、南方+3条。")
    assert rules_of(audit(text)) == [("CLM-PARTS-SUM", "info")]
    # more than the total is wrong whoever ran them
    assert rules_of(audit(text.replace("144条", "36条"))) == [("CLM-PARTS-SUM", "warning")]


def test_one_part_as_large_as_the_whole_is_a_note_unless_a_channel():
    findings = audit("全年通过门户网站发布各类信息4条，其中财政预决算信息4条、年度报告1条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "info")]
    assert "可能相互交叉" in findings[0].message


def test_a_long_rest_after_parts_that_make_the_total_is_a_note():
    findings = audit("全县政府网站共发布信息4034条，其中政务信息2657条，县直及各乡镇1377条，政策解读24条，人事和招聘信息92条，"
                     "基层政务公开专栏745条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "info")]
    assert "前2项之和恰好等于总数" in findings[0].message


def test_two_owners_said_alike_are_not_one_figure_twice():
    text = ("政府新收依申请公开数量为2件，办理结果为予以公开2件；部门新收依申请公开数量为4件，办理结果为予以公开1件，"
            "无法提供2件，不予处理1件。")
    assert audit(text) == []
    text = "共承办议提案57件，其中人大主办件14件（议案7件，建议7件），协办件11件；政协主办件11件，协办件21件。"
    assert audit(text) == []
    # the same words with no owner at the head: one figure stated twice
    assert rules_of(audit("全年新收依申请公开数量为2件。全年新收依申请公开数量为4件。")) == [("CLM-STATED-TWICE", "warning")]


def test_a_figure_larger_than_its_list_that_says_something_of_its_own():
    # after the list adds up, 121 > 12 is no part of it
    assert audit("持续公开推进中医管理信息12条，其中试验区建设6条，打造特色街区3条，普惠托育服务3条，"
                 "开展医疗质量管理相关工作信息121条，其中组织培训检查督导78条，质控15条，评审8条，其他20条。") == []
    # parts that each say where they were published: the larger one is still a part
    assert "46+56+34 = 136" in parts_sum_message(
        "全年主动公开政府信息50条。其中，通过区政府门户网站公开发布政府信息46条；通过公开栏发布政府信息56条；"
        "通过宣传资料等方式公开政府信息34条。")


def test_messages_received_are_no_kind_of_what_was_published():
    findings = audit("县政府网站累计发布各类政务信息10300条，其中发布概况类信息32条，政务动态信息3129条，信息公开目录发布4282条，"
                     "重点领域信息152条，微信公众号发布信息75条，收到留言56条，已全部办理。")
    assert "56" not in " ".join(f.message for f in findings)


def test_a_list_of_the_two_counts_before_it():
    assert audit("办理简易案件28件，办理一般案件16件，其中行政处罚案件39件，行政案件5件。") == []


def test_the_figure_right_after_the_list_is_what_it_lacks():
    assert audit("全年主动公开政府信息1464条，其中政府发文6条，网站信息516条，微信信息626条，上报政府信息316条。") == []


def test_a_clause_of_its_own_after_a_semicolon_in_another_unit():
    findings = audit("主动公开政府信息2848条。其中，依法公开行政许可决定635条，其他管理对外服务事项672条，行政处罚决定1条，"
                     "执法检查结果248条；制发政策解读31篇，其中负责人解读4篇、部门解读27篇。")
    assert "635+672+1+248 = 1556" in findings[0].message and findings[0].severity == "info"


def test_items_that_each_say_their_verb_are_one_enumeration():
    # the first item opens with 发布 too: the later 发布…件 is one more item, not a new statement
    findings = audit("主动公开各类政府信息537条，其中，发布重大建设项目批准和实施领域371条，发布行政规范性文件1件，"
                     "政策解读2条，发布民生价格和服务价格信息11件，发布财政信息6件。")
    assert "371+1+2+11+6 = 391" in findings[0].message
    # a first item without one: the verb opens a statement of its own
    findings = audit("主动公开政府信息2848条。其中，概况类信息数9条，政务动态10条，发布政策解读稿件5篇。")
    assert all("5 = " not in f.message for f in findings)


def test_kinds_of_everything_published_so_far_are_not_the_years():
    text = ("（一）主动公开政府信息的数量。本年度主动公开政府信息9条。\n（二）主动公开政府信息的主要类别。{}主动公开的政府信息中，"
            "机构职能类信息12条，规划计划类信息6条，行政许可类信息5条，其他信息类信息48条。")
    assert audit(text.format("历年")) == []  # 71 is of the stock, which the report does not state
    assert "12+6+5+48 = 71" in audit(text.format("本年度"))[0].message


def test_the_kinds_of_the_proactive_part_of_what_was_made():
    text = ("本年度共计制作、获取政府信息总数148条，其中主动公开信息有103条，涉及国家秘密的公文类信息0条。\n"
            "在主动公开的信息中，政策法规类的信息14条，占总体的比例为13.59%；规划计划类的信息6条，占总体的比例为5.83%；"
            "工作动态类信息81条，占总体比例的78.64%。")
    assert [f for f in audit(text) if f.severity != "info"] == []  # shares of the 103, not of the 148


def test_shares_say_which_figure_their_parts_break_down():
    # 79/99 = 79.80%, 8/99 = 8.08%: the parts are of the 99 answered, not the 98 they happen to make
    text = ("本年度全区共处理依申请公开件98件，办结99件，1件为上年度结转办理件，其中予以公开79件，占79.8%；部分公开8件，占8.08%；"
            "不予公开8件，占8.08%；无法提供3件占3.03%。")
    assert [f for f in audit(text) if f.rule == "CLM-PERCENT"] == []


def test_two_breakdowns_whose_first_items_open_alike():
    # 涉及…涉及…: two items of the first breakdown (506+4), then the channels (389+58+33+30), each whole
    assert audit("主动公开政府信息数510条，其中涉及公共服务内容的信息506条，涉及管理的信息4条；通过政府网站公开信息数389条，"
                 "通过微信公众平台发布信息58条，通过信息报刊登信息33条，通过媒体机构公开信息30条。") == []


def test_how_many_of_a_part_are_in_full_text_is_no_part_of_its_own():
    assert audit("本机关制作、获取的政府信息2196条，其中主动公开文件753条，全文电子化主动公开753条，作为可依申请公开文件518条，"
                 "不予公开文件925条。") == []


def test_a_balance_without_last_years_carry_over():
    # more received than processed and carried forward: a carry-over could only add to what came in
    findings = audit("受理政府信息依申请公开11件，其中网络申请11件，申请办结数8件，结转下一年办理1件。")
    assert rules_of(findings) == [("CLM-BALANCE", "warning")]
    assert "未写上年结转" in findings[0].message
    # fewer: last year's may make up the rest
    assert audit("受理政府信息依申请公开8件，申请办结数8件，结转下一年办理1件。") == []


def test_the_same_total_broken_down_another_way():
    text = ("全年主动公开各类政府信息{}条，其中政府网站293条、微信公众号109条、其他渠道132条；按类别划分，政务信息类137条、"
            "法定主动公开内容268条、基层政务公开124条、其他信息公开5条。")
    assert audit(text.format(534)) == []  # 293+109+132 = 534 = 137+268+124+5
    findings = audit(text.format(540))
    assert len(findings) == 2 and all(f.rule == "CLM-PARTS-SUM" for f in findings)
    assert any("137+268+124+5 = 534" in f.message for f in findings)


def test_groups_each_closed_by_their_own_sum_are_a_note():
    text = ("我局专题专栏共188条。其中政府信息公开目录中公开年度报告1条，组织机构4条、部门文件22条、工作动态53条、"
            "财政预决算4条、其他18条，共发布102条；专题专栏包括组织机构4条、价格收费52条、投资管理18条、重点项目12条，共发布86条。")
    findings = audit(text)
    assert findings and all(f.severity == "info" for f in findings)
    assert all("是前面各项之和" in f.message for f in findings)


def test_two_denials_in_one_clause_are_each_checked_against_their_own_table():
    tables = {"applications": {"new_received": {"total": 3}},
              "appeals": {"review": {"total": 0}, "litigation_direct": {"total": 0}, "litigation_after_review": {"total": 0}}}
    findings = audit("2023年未接到政府信息公开申请且未出现政府信息公开申请行政复议、提起行政诉讼。", tables)
    assert rules_of(findings) == [("CLM-RECEIVED-NONE", "error")]
    assert findings[0].evidence["claim"]["text"] == "未接到政府信息公开申请"


def test_no_documents_published_is_only_a_note_against_documents_issued():
    tables = {"active": {"normative_documents": {"issued": 3, "repealed": 0, "in_force": 20}}}
    assert rules_of(audit("2022年未发布行政规范性文件。", tables)) == [("CLM-NONE", "info")]
    assert rules_of(audit("2022年未制定发布行政规范性文件。", tables)) == [("CLM-NONE", "warning")]


def test_a_result_said_of_information_is_never_compared_with_the_table():
    tables = {"applications": {"new_received": {"total": 60}, "withheld": {"total": 2}}}
    assert rules_of(audit("本年度制作信息11条，其中主动公开信息6条，不予公开信息5条。", tables)) == []


def test_the_website_forms_three_columns_are_the_whole_of_what_it_published():
    findings = audit("2023年区政府网站共发布信息23117条，其中概况类信息更新量1条，政务动态信息更新量7279条，"
                     "信息公开目录信息更新量38条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")]


def test_the_rest_of_a_list_said_in_the_next_sentence_makes_the_shortfall():
    text = ("及时公开各类信息共175条。其中：部门动态120条，主动公开信息21条，执法决定文书4条，事故分析13条。"
            "在重点工作栏发布预算信息3条、决算信息1条、三公经费信息12条及年度报告信息1条。")
    assert rules_of(audit(text)) == []
    # but not the parts of another breakdown of the same total
    other = ("全年主动公开各类政府信息827条，其中政府网站293条、微信公众号109条、其他渠道132条；"
             "按类别划分，政务信息类137条、法定主动公开内容27条、基层政务公开124条、其他信息公开5条。")
    assert ("CLM-PARTS-SUM", "warning") in rules_of(audit(other))


def test_an_item_in_another_unit_inside_an_enumeration():
    text = ("2023年主动公开政府信息820条。其中，信息公开平台298条；发展规划3条；教育新闻130条；"
            "行政发文7条；民意调查4次；公示公告122条；政策解读9条；其他信息251条。")
    assert rules_of(audit(text)) == []


def test_a_numbered_session_is_no_count():
    findings = audit("办理市人大七届二次会议代表建议15件。市人大七届二次会议代表建议均已办结。")
    assert not [f for f in findings if f.rule == "CLM-STATED-TWICE"]


def test_a_share_of_results_may_be_of_the_received():
    text = ("共受理政府信息公开申请44件，顺延到下年度2件。答复政府信息公开申请42件。"
            "予以公开及部分公开17件，占38.6%。")
    assert rules_of(audit(text)) == []


def test_a_later_sentence_breaks_down_the_year_not_the_stock():
    text = "2023年主动公开政府信息155条，历年累计公开3930条。2023年主动公开的政府信息中：行政许可类信息83条，占53.5%。"
    assert rules_of(audit(text)) == []


def test_parts_that_are_floors_still_overrun_a_total():
    text = "在网站累计发布各类政府信息642余条。其中，发布政策文件29条，工作要闻90条，政务信息485条，互动交流26条，其他信息120余条。"
    assert rules_of(audit(text)) == [("CLM-PARTS-SUM", "warning")]
    # a total rounded in words ("6.7万余") has a loose 余
    loose = "全旗主动公开政府信息6.7万余条，其中政府网站公开信息5636条；政务新媒体公开信息9500余条；其他媒体公开信息51800余条，公开重点领域信息4300余条。"
    assert [f for f in audit(loose) if f.severity != "info"] == []


def test_a_total_printed_without_its_unit_before_its_parts():
    text = "主动公开各类政府信息64，其中，机构职责3条；包含安全教育等信息的部门文件28条；工作动态10条；总结和计划2条；通知公告21条。"
    findings = audit(text)
    assert rules_of(findings) == []  # 3+28+10+2+21 = 64: one list, the 包含 clause describes its item


def test_the_received_broken_into_carried_over_and_new():
    tables = {"applications": {"new_received": {"total": 2}, "carried_over": {"total": 1}}}
    assert rules_of(audit("共收到政府信息公开申请3件。其中，上年结转申请1件，本年新收申请2件。", tables)) == []


def test_kinds_each_with_its_share_of_the_total_are_highlights():
    text = ("主动公开政府信息56条。其中，机构职能类信息1条，占总数的1.79%；法规文件类信息20条，占总数的35.71%；"
            "规划计划类信息2条，占总数的3.57%；行政职责类信息0条，占总数的0%。")
    assert rules_of(audit(text)) == [("CLM-PARTS-SUM", "info")]


def test_the_next_channel_closes_the_list_nested_in_the_one_before():
    text = ("主动公开政府信息1045条，其中，通过政府网站公开政府信息数846条，包括机构信息4条、政策文件及解读8条，"
            "规划计划2条，人事信息5条，重点工作14条，财务信息2条；通过政务微信发布信息199条。")
    findings = audit(text)
    assert [f for f in findings if f.severity != "info"] == []
    assert any("846" in f.message and "35" in f.message for f in findings)  # the six kinds, a tenth short: a note


def test_what_was_included_then_the_next_row():
    text = "全年共办理政府信息公开申请69件，含2022年转至今年办理的3件，办结68件，剩余1件结转下一年度处理。"
    assert [f for f in audit(text) if f.rule == "CLM-PARTS-SUM"] == []
    # issues of a gazette are no sum of the documents in them
    assert rules_of(audit("编制《政府公报》4期，其中数字化政府公报2期、文件45件。")) == []


def test_kinds_of_nothing_and_items_in_another_unit():
    # a disclosure attribute of none does not make a list of highlights complete
    text = "全年累计主动公开政府信息数量46条，其中主动公开公文14条，依申请公开0条，公开会议信息数量3条，政策解读数量7条。"
    assert [f for f in audit(text) if f.severity != "info"] == []
    # an item in another unit the list left out makes the shortfall
    text = ("主动公开政府信息716条，其中通过平台发布信息43条，通过政务新媒体公开政府信息68条，公开政策文件3件，"
            "公开行政权力和公共服务事项85项，基层政务公开信息106条，通过宣传栏公开政府信息411条。")
    assert [f for f in audit(text) if f.rule == "CLM-PARTS-SUM"] == []
    # a part that is the whole beside a little more: the parts may overlap
    text = "共制作获取政府信息总数为304条，其中主动公开信息数为304条，年度报告为1条，依申请公开信息数为0条，不予公开信息数为0条。"
    assert rules_of(audit(text)) == [("CLM-PARTS-SUM", "info")]


def test_shares_that_name_another_base_and_lists_that_run_off_the_page():
    # each share implies the 1852 received: the count the reader took for the list's total is not theirs
    text = ("新收政府信息公开申请1852件、上年度结转101件；年度办结1799件、结转下一年度154件。从涉及市来看，"
            "申请数量占比前三的为成都591件（占31.91%）、眉山132件（占7.13%）、宜宾124件（占6.70%）。")
    assert [f for f in audit(text) if f.rule == "CLM-PARTS-SUM"] == []
    # 各1条 of three things is three
    text = "主动公开信息610条。其中，工作动态600条，通知公告7条，更新信息公开指南、非公开目录、信息公开年报各1条。"
    assert rules_of(audit(text)) == []


def test_no_applications_said_without_a_unit_or_without_the_word_application():
    tables = {"applications": {"new_received": {"total": 12}, "carried_over": {"total": 0},
                               "total_processed": {"total": 12}}}
    for text in ("2023年收到和处理政府信息公开申请数量为0。",
                 "本年度未收到任何要求公开政府信息的申请。",
                 "管理区未收到群众以当场申请、信件等书面形式提出的政府信息公开申请。"):
        findings = audit(text, tables)
        assert [f.rule for f in findings if f.severity != "info"], text
        assert any("12" in f.message for f in findings), text
    assert audit("未收到上级要求公开的文件。", tables) == []


def test_lists_that_name_only_some_of_their_total_raise_nothing_above_info():
    cases = [
        # the total spans more kinds than are listed
        "乌沙镇共发布信息379条，涉及社会救助、安全生产等53个栏目，其中：发布本级政府文件1条，重大决策预公开4条，"
        "财政资金23条，社会保障23条，公共资源交易148条，政策解读11条，回应关切10条。",
        # kinds, then channels: two breakdowns mixed
        "我局主动公开政府信息总数为815条。其中主动公开规范性文件24条，通过政府公报公开审计情况报告2条，"
        "通过腾讯微博公开政府信息42条，通过政务微信公开政府信息42条。",
        # an item glued to the words after it, its unit left out
        "全年主动公开政府信息105条，其中：政策文件4个、文件解读2条、工作动态73条、公示公告23条、预决算公开2依申请公开1无行政复议。",
        # the rest of the shortfall said right after, some of it in 篇
        "年内公开政府信息2715条。其中，政务类信息672条，机构职能类43条，公示公告类289条，制发政策解读16篇，规范性文件10篇，"
        "主动公开重点领域信息1685条。",
    ]
    for text in cases:
        assert [f for f in audit(text) if f.severity != "info"] == [], text


def test_an_item_named_with_a_year_and_a_nested_list_closed_by_a_semicolon():
    # the year dates the document counted ("2022年度…年度报告1条"): still an item of this year's list
    wrong = audit("2023年我局在门户网站主动公开政府信息154条。其中，行政规范性文件1条、重大事项14条、工作信息126条、"
                  "其他信息5条、人事任免8条、本局2022年度政府信息公开工作年度报告1条。")
    assert rules_of(wrong) == [("CLM-PARTS-SUM", "warning")] and "155" in wrong[0].message
    # after a ；the next part of the outer list, said as the nested list's total was said
    findings = audit("总共公开政府信息352条，其中：政策文件类公开207条，包含事故调查类11条，安全生产类95条，森林防灭火23条，"
                     "疫情防控类4条，其他类文件74条；工作动态公开145条。")
    assert findings == []


def test_a_rough_extra_channel_a_detail_inside_a_part_and_the_channels_the_total_names():
    # exact parts make the total; the rough figure after them is counted some other way: a note
    findings = audit("主动公开政府信息共计6535条，通过政府门户网站公开3593条，政务微信2942条，"
                     "其他电视台、微信公众号等方式公开1000余条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "info")]
    # what a part holds ("33条含207条处理决定") is no further part
    assert audit("2023年主动公开信息101条。其中政府公文类信息20条、党政混合公文类信息8条；行政处罚信息33条含207条处理决定；"
                 "政府工作计划1条；部门预决算3条；财政专项资金使用33条；人大代表建议回复2条；法治政府建设情况报告1条。") == []
    # two parts, one for each channel the total names: the list is whole, one short is a warning
    wrong = audit("2023年，我厅通过省政府网站信息公开专栏和厅网站主动公开各类信息15329条，其中，省政府网站信息公开专栏"
                  "信息更新4288条，厅网站公开各类政务动态信息11040条。")
    assert rules_of(wrong) == [("CLM-PARTS-SUM", "warning")]


def test_the_applications_meant_under_their_heading():
    tables = {"applications": {"new_received": {"total": 3}, "carried_over": {"total": 0},
                               "total_processed": {"total": 3}}}
    doc_text = "三、收到和处理政府信息公开申请情况\n本年度我镇未接到相关申请。"
    doc = with_tables(text_document("某镇2023年政府信息公开工作年度报告\n一、总体情况\n我镇依法公开政府信息。\n" + doc_text),
                      tables)
    findings = run_checks(doc, CLAIM_RULES).findings
    assert [f.rule for f in findings] == ["CLM-RECEIVED-NONE"] and "3" in findings[0].message
    # outside that heading "相关申请" may be anything: nothing is read
    assert audit("本年度未接到相关申请。", tables) == []


def test_the_total_of_a_list_is_the_figure_in_its_own_sentence_whatever_its_word():
    # "…1条；…1691项，…，其中…399条…": not the 1条 before the ；
    findings = audit("发布年度报告1条；全年共完成公共资源交易项目1691项，所有交易项目均通过中心网站公开发布，其中房建市政399条、"
                     "交通工程80条、国土项目94条、水利工程101条、政府采购1017条。")
    assert findings == []
    # items of what was published counted in 次 after the list make its shortfall exactly
    assert audit("全年发布政府信息共99条。其中，政府信息公开指南1条，发布文件通知8条，价格分析54条，提案办理复函17条，"
                 "公开征求意见3次、征求意见反馈3次，项目资金使用情况公示3条，评审结果公示3条，预决算公开说明2条，"
                 "更新领导信息5条。") == []


def test_a_passage_joined_by_semicolons_goes_on_about_the_same_owner():
    findings = audit("2023年，全区各行政机关共收到政府信息公开申请2076件（含2022年结转67件），申请数量明显增长；"
                     "作出答复2062件，结转至下一年再行办理81件。")
    assert rules_of(findings) == [("CLM-BALANCE", "warning")] and "2143" in findings[0].message


def test_two_kinds_counted_together_are_one_part_of_the_list():
    findings = audit("2023年全年，我厅政府网站共发布各类信息3833条，其中行政许可类信息234条；公示公告、项目公告合计719条；"
                     "要闻、动态信息2189条；预算决算信息34条；人大建议、政协提案办理信息7条。")
    assert rules_of(findings) == [("CLM-PARTS-SUM", "warning")] and "3183" in findings[0].message


def test_the_stock_said_right_after_a_part_is_no_part():
    assert audit("截止12月31日，我局制作、获取的政府信息总数119条，其中：2023年主动公开政府信息共18条，历年累计66条；"
                 "不予公开文件101条。") == []


def test_two_owners_each_at_the_head_of_its_clause_are_two_figures():
    text = ("2023年，省政府及其部门受理政府信息公开申请617件，同意公开381件；市、县政府及其部门和乡镇政府受理政府信息公开申请"
            "3493件，同意公开2748件。2023年，省政府及其部门、机构未收到也未发生行政诉讼案件，收到复议申请40件；市、县政府及其部门"
            "发生行政诉讼案件5件，收到复议申请23件。")
    assert [f for f in audit(text) if f.rule == "CLM-STATED-TWICE"] == []
    # one owner, two numbers: still stated twice
    assert [f.rule for f in audit("2023年，我局受理政府信息公开申请617件。全年我局受理政府信息公开申请600件。")] \
        == ["CLM-STATED-TWICE"]


def test_each_after_one_name_and_a_new_statement_after_an_item_in_another_unit():
    # "预决算各1条": one name for several things, how many unknown — a sum with it is not exact
    findings = audit("主动公开各类政府信息28条，其中：更新领导信息1条、部门文件3条、计划总结5条、本部门年度预决算各1条、"
                     "审计结果1条、审计信息3条、审计整改1条、行政执法统计年报1条、其他业务公告3条、依申请公开情况统计8条。")
    assert [f for f in findings if f.severity != "info"] == []
    # "新开设专栏6个" says something new: the figure after it is no further part
    assert [f for f in audit("主动公开政府信息10220条，其中政务动态信息更新量为4792条，信息公开目录信息更新量为5403条，"
                             "新开设专栏6个，发布解读信息44条。") if f.severity != "info"] == []


def test_a_list_after_two_parallel_totals_one_a_channel_is_only_a_note(shared):
    # real/partial/046: "通过门户网站…主动公开政府信息348条，通过政务微信公众号发布信息919条。其中…": of
    # either figure or both — the WeChat count is a part, yet still one of the two totals
    doc = parse_file(str(shared / "real/partial/046.txt"), gate=False)
    findings = [f for f in run_checks(doc, CLAIM_RULES).findings if f.rule == "CLM-PARTS-SUM"]
    assert [f.severity for f in findings] == ["info"]
    assert "两个并列的总数" in findings[0].message


def test_two_parts_that_make_nearly_the_whole_are_a_slip():
    # 419+958 = 1377 of 1387: the whole mistyped, not two highlights
    assert "419+958 = 1377" in parts_sum_message("全区累计公开政府信息1387条，其中政府网站公开信息419条，政务新媒体发布信息958条。")
    # two parts that make half of it may be highlights: only a note
    assert rules_of(audit("全区累计公开政府信息1387条，其中政府网站公开信息419条，政务新媒体发布信息258条。")) == [
        ("CLM-PARTS-SUM", "info")]


def test_an_open_list_that_counts_its_rest_is_whole():
    # "主要包括…，…等其它信息132条": the rest counted makes the list whole, 1070 ≠ 1071; the figure
    # said besides (另…1期) is no part of the rest
    assert "= 1070" in parts_sum_message(
        "全年公开信息1071条，公开内容主要包括行政许可类信息219条，行政处罚类信息309条，行政检查类信息328条，"
        "重点领域信息77条，行政强制类信息5条，工作动态、部门决算等其它信息132条，另全年共开展公众意见征集1期。")
    # the rest named after the last figure, with no count of its own: the list stays open
    assert [f for f in audit("2019年主动公开政府信息数696条，其中全文电子化率达100%。主要包括部门动态477条、重点领域202条、"
                             "开财政预算决算2条以及主动公开其他信息等。") if f.severity != "info"] == []


def test_an_open_list_whose_rest_is_named_but_uncounted_stays_open(shared):
    # real/partial/048: "696条…主要包括部门动态477条、重点领域202条、开财政预算决算2条以及主动公开其他信息等" —
    # the rest is named after the last figure with no count: 681 of 696 is no slip
    doc = parse_file(str(shared / "real/partial/048.txt"), gate=False)
    findings = [f for f in run_checks(doc, CLAIM_RULES).findings if f.rule == "CLM-PARTS-SUM"]
    assert [f.severity for f in findings if f.severity != "info"] == []
