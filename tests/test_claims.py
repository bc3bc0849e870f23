"""The claim model: quantities, what each counts (the lexicon rules/concepts.yaml), lists, negations,
absolutes, shares, rates and growth — on hand-made sentences and on the shared corpus."""

from __future__ import annotations

import pytest
import yaml

from auditor.model import Document, Meta
from auditor.nlp.claims import extract
from auditor.nlp.lexicon import get_lexicon
from auditor.nlp.quantities import chinese_number, find_quantities
from auditor.nlp.sentences import split_document
from auditor.structure import parse_file
from conftest import ROOT, SHARED

FULL = SHARED / "real" / "full"
PARTIAL = SHARED / "real" / "partial"
SEED = SHARED / "seed" / "000_04e17e8ef65a0743.txt"
TABLE_PREFIXES = ("applications.", "appeals.", "active.", "fees.")


def make_doc(text: str, year: int | None = None) -> Document:
    meta = Meta(title=None, agency=None, year=year, template="unknown", period=None)
    return Document(path="test.txt", format="txt", encoding=None, meta=meta, text=text, sections=(), tables={})


def extracted(text: str, year: int | None = None):
    doc = make_doc(text, year)
    claims, lists = extract(doc, split_document(doc))
    lexicon = get_lexicon()
    for c in claims:
        assert c.concept == "other" or lexicon.concept(c.concept) is not None, c.concept
        assert doc.text[c.start:c.end] == c.text
        assert c.sentence.start <= c.start < c.end <= c.sentence.end
    return claims, lists


def claims_of(text: str, year: int | None = None):
    return extracted(text, year)[0]


def table_summary(text: str) -> list[tuple]:
    """(concept, value, relation) of every claim about a table cell, in text order."""
    return [(c.concept, c.value, c.relation) for c in claims_of(text) if c.concept.startswith(TABLE_PREFIXES)]


def one(claims, concept: str, relation: str = "count"):
    found = [c for c in claims if c.concept == concept and c.relation == relation]
    assert len(found) == 1, (concept, [(c.concept, c.relation, c.value, c.text) for c in claims])
    return found[0]


def real(path) -> tuple[Document, list, list]:
    doc = parse_file(str(path))
    claims, lists = extract(doc, split_document(doc))
    return doc, claims, lists


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("numeral, value", [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十三", 23),
                                            ("一百零五", 105), ("三千", 3000), ("两万", 20000)])
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_quantities_units_and_approximations():
    found = {(q.value, q.unit, q.approx) for q in find_quantities("约300人次，3万余条，1.2万元，51.85%，是上年的1.5倍")}
    assert found == {(300, "人次", True), (30000, "条", True), (1.2, "万元", False), (51.85, "%", False),
                     (1.5, "倍", False)}
    # durations, aspects and a lone 一 used as an article are not quantities
    assert find_quantities("答复期限为15个工作日，从三个方面推进，建设一个平台。") == []
    # which item of an article, and how items are counted, are no counts
    assert [(q.value, q.unit) for q in find_quantities("第二十条第（五）项 行政许可0件。")] == [(0, "件")]
    assert [q.value for q in find_quantities("主动公开信息295条（不同渠道公开相同信息计1条），重复发布的按1条计。")] == [295]


def test_floors_among_approximate_figures():
    floors = {q.number: q.floor for q in find_quantities("公开信息1600余条，超过300件，200件以上，约50篇，近10次")}
    assert floors == {"1600": True, "300": True, "200": True, "50": False, "10": False}


def test_the_row_named_after_a_count_first_figure():
    # a reason of table 三 or a result of table 四 later in the clause after "1件"
    claims = claims_of("不予公开2件，其中1件因涉及第三方合法权益，1件属于政府内部事务信息。"
                       "被申请行政复议有3件，其中，1件被复议机关撤销答复书中部分答复内容，2件正在复议机关审理中。")
    assert [(c.concept, c.value) for c in claims if "subset" in c.scope] == [
        ("applications.withheld_third_party", 1), ("applications.withheld_internal_affairs", 1),
        ("appeals.review.corrected", 1), ("appeals.review.pending", 2)]
    results = claims_of("收到申请5条，其中2条予以公开，1条部分公开，1条因不属于本行政机关负责公开无法提供。")
    assert [(c.concept, c.value) for c in results if "subset" in c.scope] == [
        ("applications.granted", 2), ("applications.partly_granted", 1), ("applications.unable_no_info", 1)]
    # a remark in brackets does not set the row the figures after it count
    assert table_summary("接收政府信息公开申请124宗（含2021年度结转5宗），公民申请113宗，法人和其他组织申请11宗。")[2:] == [
        ("applications.received_total.natural_person", 113, "count"),
        ("applications.received_total.legal_person", 11, "count")]
    # a verb of publishing before 答复 does not make the answers published documents
    assert table_summary("共收到政府信息公开申请195件，上年结转3件，公开答复191件，转下年度办理7件。") == [
        ("applications.new_received", 195, "count"), ("applications.carried_over", 3, "count"),
        ("applications.total_processed", 191, "count"), ("applications.carried_forward", 7, "count")]


def test_chinese_numerals_and_approximate_figures_in_claims():
    assert table_summary("全年收到政府信息公开申请十二件。") == [("applications.new_received", 12, "count")]
    approx = one(claims_of("全市受理政府信息公开申请3万余件。"), "applications.new_received")
    assert approx.value == 30000 and "approx" in approx.scope
    fee = one(claims_of("全年收取信息处理费1.2万元。"), "fees.collected")
    assert (fee.value, fee.unit) == (1.2, "万元")


# --------------------------------------------------------------------------- what a number counts


@pytest.mark.parametrize("text, expected", [
    ("共收到政府信息公开申请81件。", [("applications.new_received", 81, "count")]),
    ("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件。", [("applications.new_received", 81, "count")]),
    ("全年共受理依申请公开4件。", [("applications.new_received", 4, "count")]),
    ("共收到依申请信息公开26件。", [("applications.new_received", 26, "count")]),
    ("区政府办公室共收到8份政府信息公开申请。", [("applications.new_received", 8, "count")]),
    ("全市全年共收办政府信息公开申请案件3607件。", [("applications.received_total", 3607, "count")]),
    ("全年收到政府信息公开申请41件（含上年度结转3件）。",
     [("applications.received_total", 41, "count"), ("applications.carried_over", 3, "count")]),
    ("上年结转政府信息公开申请2件。", [("applications.carried_over", 2, "count")]),
    ("全年新收申请25件，上年无结转，办结24件。", [("applications.new_received", 25, "count"),
                                               ("applications.carried_over", 0, "none"),
                                               ("applications.total_processed", 24, "count")]),
    ("全年办理政府信息公开申请218件。", [("applications.total_processed", 218, "count")]),
    ("收到申请308件，法定期限内予以答复306件，结转下年3件。",
     [("applications.new_received", 308, "count"), ("applications.total_processed", 306, "count"),
      ("applications.carried_forward", 3, "count")]),
    ("共收到政府信息公开申请154件，共办结148件，结转至2026年6件。",
     [("applications.new_received", 154, "count"), ("applications.total_processed", 148, "count"),
      ("applications.carried_forward", 6, "count")]),
    # 办结 counts applications only where the passage is about them
    ("全年办结群众来信148件。", []),
    ("另有3件结转下年度办理。", [("applications.carried_forward", 3, "count")]),
    ("1件因需征求第三方意见结转至2024年继续办理。", [("applications.carried_forward", 1, "count")]),
    ("转下一年度办理答复的有1件。", [("applications.carried_forward", 1, "count")]),
    ("予以公开及部分公开42件。", [("applications.granted_or_partly", 42, "count")]),
    ("予以公开或部分公开59件。", [("applications.granted_or_partly", 59, "count")]),
    ("同意公开答复9件，部分公开答复0件，不予公开答复2件，无法提供的10件，不予处理0件，其他处理14件。",
     [("applications.granted", 9, "count"), ("applications.partly_granted", 0, "count"),
      ("applications.withheld", 2, "count"), ("applications.unable", 10, "count"),
      ("applications.declined", 0, "count"), ("applications.other", 14, "count")]),
    ("作其他处理（含申请人主动撤回申请）341件。", [("applications.other", 341, "count")]),
    # the item of a group, and the group named after one of its items ("不掌握等原因无法提供")
    ("属于四类过程性信息1件，本机关不掌握相关政府信息2件。",
     [("applications.withheld_process_info", 1, "count"), ("applications.unable_no_info", 2, "count")]),
    ("因本机关不掌握等原因无法提供564件。", [("applications.unable", 564, "count")]),
    ("新收申请中自然人42件，商业企业13件，法人或其他组织申请114件。",
     [("applications.new_received.natural_person", 42, "count"), ("applications.new_received.commercial", 13, "count"),
      ("applications.new_received.legal_person", 114, "count")]),
    # "公民、法人和其他组织" is every applicant, not one column
    ("受理公民、法人和其他组织提出的政府信息公开申请5件。", [("applications.new_received", 5, "count")]),
    ("行政复议2件、行政诉讼7件。", [("appeals.review", 2, "count"), ("appeals.litigation", 7, "count")]),
    ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。",
     [("appeals.review", 36, "count"), ("appeals.litigation", 9, "count")]),
    ("本年度被申请行政复议1件，被直接提起行政诉讼1件。",
     [("appeals.review", 1, "count"), ("appeals.litigation_direct", 1, "count")]),
    ("2024年市科委有1件涉及政府信息公开工作的行政复议。", [("appeals.review", 1, "count")]),
    ("涉及的行政诉讼数为0件。", [("appeals.litigation", 0, "count")]),
    ("行政复议纠正1件。", [("appeals.review.corrected", 1, "count")]),
    ("行政复议和行政诉讼案件共5件。", [("appeals.all", 5, "count")]),
    ("制发行政规范性文件77件。", [("active.normative_documents.issued", 77, "count")]),
    ("动态更新本年度制发的规范性文件88件。", [("active.normative_documents.issued", 88, "count")]),
    ("本年新制作并公开规范性文件3件。", [("active.normative_documents.issued", 3, "count")]),
    ("全年新增公开市政府规章1件。", [("active.regulations.issued", 1, "count")]),
    ("本年度制发规范性文件5件，废止3件。", [("active.normative_documents.issued", 5, "count"),
                                           ("active.normative_documents.repealed", 3, "count")]),
    ("全年收取信息处理费2950元。", [("fees.collected", 2950, "count")]),
    ("2025年全市实际收取信息处理费共计400元。", [("fees.collected", 400, "count")]),
])
def test_concepts(text, expected):
    assert table_summary(text) == expected


@pytest.mark.parametrize("text", [
    "努力做到“办结一件申请、解决一个问题”。",  # a slogan in quotes
    "清理并集中发布现行有效行政规范性文件393件。",  # the stock at a clean-up: hedged, never a plain count
    "宿迁市公安局6件，收取600元。",  # a per-unit breakdown of a fee total
    "全年办理人大建议和政协提案35件。",
    "将答复期限由15个工作日调整为20个工作日。",
    "对25件政府信息公开申请案件收取了信息处理费。",  # the applications a fee was charged for
    "今年我局共受理审批事项117件，办结171件。",  # administrative approvals, not disclosure applications
])
def test_unclear_numbers_give_no_plain_table_claim(text):
    assert not [c for c in claims_of(text) if c.concept.startswith(TABLE_PREFIXES)
                and c.relation == "count" and not {"inferred", "published"} & set(c.scope)], claims_of(text)


@pytest.mark.parametrize("text, concept", [
    ("全年共举办191场新闻发布活动。", "narrative.press_conference"),
    ("全年共制作119期政策简明问答。", "narrative.interpretation"),
    ("注销2个无人维护的政务新媒体。", "narrative.platform"),
    ("全年主动公开政府信息1136条。", "narrative.published"),
    # after the section's total, one kind or channel of published information is a part of it
    ("全年主动公开政府信息5000条。在征地拆迁方面，全年共发布信息291条。", "narrative.published_part"),
    ("收到公众意见382条。", "narrative.consultation"),
    ("全年主动公开政府信息5000条。通过新浪微博发布信息1288条。", "narrative.published_part"),
])
def test_narrative_concepts(text, concept):
    assert claims_of(text)[-1].concept == concept


def test_an_unnamed_number_gets_other():
    assert [c.concept for c in claims_of("完成20项数据同源问题优化调整。")] == ["other"]


# --------------------------------------------------------------------------- lists


def summary_of_lists(text: str):
    _, lists = extracted(text, year=2014)
    return [(lst.total.value if lst.total else None, [p.value for p in lst.parts], lst.dimension, lst.partial)
            for lst in lists]


@pytest.mark.parametrize("text, expected", [
    # brackets, with and without 其中, and a comma before the bracket
    ("全年共公布政府信息100条，（其中机构职能类信息10条，规划计划类信息20条，其他信息60条）。",
     [(100, [10, 20, 60], "category", False)]),
    ("全市共收办申请3607件（市政府349件、沭阳县477件）。", [(3607, [349, 477], "category", False)]),
    # 其中 in a plain clause; a colon; 其中 opening the next sentence
    ("受理政府信息公开申请5件，其中规划许可类3件；生态修复类1件；其它类1件。", [(5, [3, 1, 1], "category", False)]),
    ("主动公开信息844条：政策文件51条，计划规划40条。", [(844, [51, 40], "category", False)]),
    ("全年主动公开政府信息2069条。其中，区直部门1592条，各乡镇477条。", [(2069, [1592, 477], "category", False)]),
    # a bracket after the sentence ends, as a sentence of its own, remarks on the sentence before
    ("我县主动公开政府信息12917条。（其中概况类信息100条，政务动态信息1785条，信息公开目录信息4438条）",
     [(12917, [100, 1785, 4438], "category", False)]),
    # 分别 gives its own clause's figure to its own names, after a 分别为 that opens the list
    ("在公开的35条信息中，规范性文件类信息为3条，占9%；规划计划类信息为2条，占6%；其他类信息分别为19条，占54%。",
     [(35, [3, 2, 19], "category", False)]),
    ("及时准确公开信息53条，分别为生活饮用水卫生监测情况8条；行政处罚公示14条；部门决算公开2条。",
     [(53, [8, 14, 2], "category", False)]),
    # bare names right after the total, its clause closed by a comma: its breakdown
    ("全年在政府网站公布各类信息共52条，镇办会议20条，财政信息4条，民生实事进展情况24条。",
     [(52, [20, 4, 24], "category", False)]),
    # a later sentence opening with the total's own verb is its sibling, not one more part
    ("发布部门动态38条，其中采用5条；发布工作动态32条，统计数据26条。", [(38, [5], "category", False)]),
    # …but not after a total that is itself an item of an enumeration ("…业务工作类85条，人事信息5条，财政信息2条…")
    ("公开信息公开年报1条，规划计划类2条，业务工作类85条，人事信息5条，财政信息2条，规划计划1条、法规文件及解读2条、政府概况1条。",
     []),
    # the key areas picked out of the total: not all of it
    ("全区通过政府网站全年公开信息2080条。其中，重点领域方面，区政府文件5条，财政类信息46条；民生领域方面，稳岗就业114条。",
     [(2080, [5, 46, 114], "category", True)]),
    # the parts first, 共计 last; last year's figure is not a part
    ("累计公开政策文件51条，计划规划40条，部门事项196条，其他类信息共计844条。",
     [(844, [51, 40, 196], "category", False)]),
    ("信息发布量由2013年的1128条增加到1887条，在省政府网站发布信息514条，总计2401条。",
     [(2401, [1887, 514], "category", False)]),
    # columns and results of table 三, appeal results of table 四
    ("收到申请75件，涉及自然人72件、商业企业3件。", [(75, [72, 3], "column", False)]),
    ("办结申请81件，其中予以公开42件，不予公开5件，无法提供34件。", [(81, [42, 5, 34], "result", False)]),
    ("行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件。",
     [(351, [72, 64, 178, 37], "column", False)]),
    # a list that says it is not complete; 主要 inside an item's name does not
    ("全年主动公开信息300条，主要有政策文件51条、计划规划40条等。", [(300, [51, 40], "category", True)]),
    ("在网站主动公开的1913条政府信息中，机构职能、主要职能信息133条；规划计划类信息12条。",
     [(1913, [133, 12], "category", False)]),
    # a detail in another unit does not end the list ("微博29个，共发布信息1992条")
    ("开设新媒体70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条。",
     [(70, [29, 41], "category", False)]),
    # a change and its parts: the parts are the change, not the new level
    ("功能版块由原来的8个增加到现在的16个。其中，新增政务信息类栏目4个，服务类栏目2个。", []),
    # kinds or channels beside a first one are its siblings even when the rest make it exactly (41+7+1 =
    # 49, 88+48 = 136); only a channel breaks down into kinds
    ("主动公开政府信息386条，其中，通知公告类49条、工作动态类41条、执法检查类7条、全清单1条。",
     [(386, [49, 41, 7, 1], "category", False)]),
    ("主动公开政府信息351条。按主动公开形式分，通过政府网站主动公开136条，政务微信公开88条，其他方式公开48条。",
     [(351, [136, 88, 48], "category", False)]),
    ("公开信息900条，其中通过县政府门户网站发布信息300条，政策解读200条，要闻100条。",
     [(300, [200, 100], "category", False)]),
    # the kinds of what was published, in a sentence of their own after the total
    ("累计公开政务信息1165条。全年主动公开政府信息的内容有：政策解读信息4条；财政资金信息145条；回应关切251条。",
     [(1165, [4, 145, 251], "category", False)]),
    # 因涉及 is a cause, not an intro
    ("受理申请1192件，其中，同意公开1000件；部分公开25件；因涉及国家秘密而不予公开53件；非政府信息114件。",
     [(1192, [1000, 25, 53, 114], "category", False)]),
    # the website and another channel right after the total of everything published, more than it: its
    # breakdown, to be checked; fewer: no list (other channels may be unnamed)
    ("区共主动公开政府信息8000条，各类文件111件，官方网站发布政府信息5953条，官方微信公众号发布信息2200条。",
     [(8000, [5953, 2200], "category", False)]),
    ("区共主动公开政府信息8000条，官方网站发布政府信息5000条，官方微信公众号发布信息2000条。", []),
    # a part counting kinds together, then those kinds one by one: the group and its members
    ("主动公开信息168条，其中政策法规信息7条，重大决策预公开、规划计划、决策部署落实情况信息共2条，规划计划1条，"
     "决策部署落实情况6条，机构领导信息4条。",
     [(168, [7, 2, 4], "category", False), (2, [1, 6], "category", False)]),
    # after a figure in another unit, the channels beside the website go on with the list
    ("累计主动公开政府信息2195条，其中政务要闻450条、通知公告120条、其他182条，调整栏目3个，微信公众号：600条，微博391条。",
     [(2195, [450, 120, 182, 600, 391], "category", False)]),
    # "主动公开信息中" breaks down the count of what it names, not the last count before it
    ("共制作信息18条，其中主动公开信息数16条；依申请公开数0条；不予公开信息数2条。主动公开信息中，机构职能类信息6条；规划计划类信息2条。",
     [(18, [16, 0, 2], "category", False), (16, [6, 2], "category", False)]),
    # kinds with bare names right after the total, the rest named: its breakdown (等 after 其他 leaves nothing out);
    # without the rest, or when the total is itself an item of an enumeration, no list
    ("我单位全年主动公开信息40条。决策部署落实情况9条、部门文件2条、机构领导1条、招标采购5条、其他信息16条等。",
     [(40, [9, 2, 1, 5, 16], "category", False)]),
    ("我单位全年主动公开信息40条。决策部署落实情况9条、部门文件2条、机构领导1条、招标采购5条。", []),
    ("及时发布政务动态160条，各类统计信息59条、月度数据11条、年度数据2条，其他信息30余条。", []),
    # the kinds named with the total one by one outnumber the parts: only some of them counted
    ("主动公开机构职能、规章档案、行政许可、便民服务、公告公示、工作动态等信息474条，其中，政策法规40条，便民服务信息145条，公告公示90条，工作动态信息181条。",
     [(474, [40, 145, 90, 181], "category", True)]),
    # parts on numbered lines after "…，包括：" (a counting rule in brackets is no figure); the next
    # number closes the list of the item before it
    # a bracket left open in a sentence that ends (a typo) holds nothing after it
    ("累计发布各类政府信息23条。其中：机构职能与领导信息1条；规划计划信息3条；其他业务信息（如市场体系建设、对外贸易数据等15条。",
     [(23, [1, 3, 15], "category", False)]),
    # the largest items only, one of them counted in another unit too
    ("通过官网等平台主动公开发布信息650条，其中信息发布量居前的有“环评受理公示”90条，“夜间作业许可”73条共443份，"
     "“行政处罚信息公开”17条共77份。",
     [(650, [90, 73, 17], "category", True)]),
    ("2019年，我局主动公开政府信息295条（不同渠道和方式公开相同信息计1条），包括：\n1.政务网公开120条，其中：省局网站22篇，"
     "鹰潭市局网站57篇，其它媒体60篇；\n2.微信公众号发布33条。",
     [(295, [120, 33], "category", False), (120, [22, 57, 60], "category", False)]),
])
def test_lists(text, expected):
    assert summary_of_lists(text) == expected


def test_parts_in_parallel_across_sentences():
    """"其中，A 1397条，占73%。B 534条，占27%。": each part with its share, one sentence each."""
    text = "全年主动公开政府信息1913条。其中，区直单位主动公开政府信息1397条，占73%。各乡镇主动公开政府信息534条，占27%。"
    assert summary_of_lists(text) == [(1913, [1397, 534], "category", False)]


def test_results_stated_without_an_intro_are_the_breakdown_of_the_processed_count():
    text = ("答复政府信息公开申请805件。予以公开及部分公开258件，不予公开35件，无法提供265件，"
            "不予处理158件，其他处理0件。")
    assert summary_of_lists(text) == [(805, [258, 35, 265, 158, 0], "result", False)]


def test_a_part_by_office_is_a_split_of_the_total():
    claims = claims_of("全市受理政府信息公开申请100件，其中市政府办受理20件、区政府办受理30件。")
    total, *parts = [c for c in claims if c.concept == "applications.new_received"]
    assert "split" not in total.scope
    assert all({"subset", "split"} <= set(c.scope) for c in parts)


def test_a_count_by_how_applications_came_is_a_split_of_those_received():
    """互联网, 快递, a platform, 当面受理: each a way in, never the year's whole count of applications."""
    claims = claims_of("全年收到申请2件，受理当面申请0件，信函申请2件，互联网申请0件。"
                       "其中快递邮寄申请12件，通过信息公开平台申请0件，机关当面受理2件。")
    total, *by_channel = [c for c in claims if c.concept == "applications.new_received"]
    assert total.value == 2 and "split" not in total.scope
    assert [c.value for c in by_channel] == [0, 2, 0, 12, 0, 2]
    assert all("split" in c.scope for c in by_channel), [(c.text, c.scope) for c in by_channel]


def test_included_parts_are_marked():
    claims = claims_of("其他处理319件（26.78%，含申请人主动撤回157件）。")
    withdrawn = one(claims, "applications.other_misc")
    assert "included" in withdrawn.scope


# --------------------------------------------------------------------------- negations and absolutes


@pytest.mark.parametrize("text, expected", [
    ("本年度，我镇未收到政府信息公开申请。", [("applications.new_received", 0, "none")]),
    ("全年没有收到政府信息公开申请。", [("applications.new_received", 0, "none")]),
    ("全年无依申请公开事项。", [("applications.new_received", 0, "none")]),
    ("本单位不涉及依申请公开。", [("applications.new_received", 0, "none")]),
    ("本年度未收到个人、法人或者其他组织向本机关申请公开政府信息。", [("applications.new_received", 0, "none")]),
    ("未发生行政复议、行政诉讼。", [("appeals.all", 0, "none")]),
    ("也未发生因政府信息公开引起的行政复议、行政诉讼。", [("appeals.all", 0, "none")]),
    ("2017年未收到有关政府信息公开行政复议、提起行政诉讼的申请。", [("appeals.all", 0, "none")]),
    ("被申请行政复议1件，未发生行政诉讼。", [("appeals.review", 1, "count"), ("appeals.litigation", 0, "none")]),
    ("本年度未发生行政复议。", [("appeals.review", 0, "none")]),
    ("全年实现零败诉。", [("appeals.litigation.corrected", 0, "none")]),
    ("行政复议、行政诉讼零败诉。", [("appeals.all.corrected", 0, "none")]),
    ("该行政复议件未被复议审查机关纠错。", [("appeals.review.corrected", 0, "none")]),
    ("被申请行政复议2件，均获维持。", [("appeals.review", 2, "count"), ("appeals.review", None, "all")]),
    ("行政复议7件，诉讼9件，均获维持。", [("appeals.review", 7, "count"), ("appeals.litigation", 9, "count"),
                                       ("appeals.all", None, "all")]),
    ("被提起行政诉讼2件，均已审结。", [("appeals.litigation", 2, "count"), ("appeals.litigation", None, "all")]),
    ("全年收到申请5件，所有申请均已办结。", [("applications.new_received", 5, "count"),
                                          ("applications.new_received", None, "all")]),
    # 已 right after the count: said of all of them; "已办结4件" is a count of its own
    ("本年度，我办收到信息公开申请1件，已按规定办结。", [("applications.new_received", 1, "count"),
                                                ("applications.new_received", None, "all")]),
    ("收到申请5件，已全部办结。", [("applications.new_received", 5, "count"),
                                  ("applications.new_received", None, "all")]),
    # 办理 is handling: understood as said of all of them, never read as "all finished"
    ("2020年收到102宗政府信息公开申请，全部按规定时限办理。", [("applications.new_received", 102, "count"),
                                                    ("applications.new_received", None, "all")]),
    # 新收 and 结转 counted together before 均: all of both
    ("新收到政府信息公开申请12件，上年结转2件，均已依法按期办结。", [("applications.new_received", 12, "count"),
                                                      ("applications.carried_over", 2, "count"),
                                                      ("applications.received_total", None, "all")]),
    # a sentence that opens with its absolute is said of the one flow the sentence before counted
    ("共收到政府信息公开申请5件。均已按期办结。", [("applications.new_received", 5, "count"),
                                       ("applications.new_received", None, "all")]),
    ("收到依申请公开9件次，均在法定期限内予以答复。", [("applications.new_received", 9, "count"),
                                         ("applications.new_received", None, "all")]),
    # …but not when that sentence counted several rows (which of them 均 means is not said)
    ("收到申请16项，办理15项，结转下年度继续办理1项。均按时按规进行有效答复。",
     [("applications.new_received", 16, "count"), ("applications.total_processed", 15, "count"),
      ("applications.carried_forward", 1, "count")]),
    # …nor carry a figure of the whole 区 over to the body's own table
    ("全区共收到申请85件。均已依法答复。", [("applications.new_received", 85, "count")]),
    ("收到申请5件，已办结4件，结转下年1件。", [("applications.new_received", 5, "count"),
                                          ("applications.total_processed", 4, "count"),
                                          ("applications.carried_forward", 1, "count")]),
    ("本年度未收取政府信息公开信息处理费。", [("fees.collected", 0, "none")]),
    ("2023年，无收取信息处理费情况。", [("fees.collected", 0, "none")]),
    ("本年度无收费。", [("fees.collected", 0, "none")]),
    ("均严格执行《条例》和相关规定，未向申请人收费。", [("fees.collected", 0, "none")]),
    ("无下年度结转。", [("applications.carried_forward", 0, "none")]),
    ("本年度未出台规范性文件。", [("active.normative_documents.issued", 0, "none")]),
])
def test_negations_and_absolutes(text, expected):
    assert table_summary(text) == expected


def test_absolutes_name_their_outcome():
    claims = claims_of("被申请行政复议2件，均维持原答复。")
    assert one(claims, "appeals.review", "all").outcome == "upheld"
    in_time = [c for c in claims_of("收到申请30件，均在法定期限内予以答复。") if c.relation == "all"]
    assert [c.outcome for c in in_time] == ["in_time"]  # timeliness, not that nothing is carried forward


@pytest.mark.parametrize("text", [
    "力争全年零败诉。",  # a goal
    "确保不发生因信息公开引起的行政复议。",
    "2023年，我办全年未收到行政许可申请。",  # not a disclosure application
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请。",
    "申请人逾期未缴纳信息处理费，依规不再处理。",
    "行政事业性收费无变化。",
    "群众满意度均维持在98%以上。",  # 维持 not about appeals
    "未因信息公开发生泄密事件。",
])
def test_no_negation_claim(text):
    assert [c for c in claims_of(text) if c.relation in ("none", "all")] == []


# --------------------------------------------------------------------------- scope


def test_scope_words():
    claims = claims_of("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。")
    received = one(claims, "applications.new_received")
    processed = one(claims, "applications.total_processed")
    assert "jurisdiction" in received.scope and "including_carried" not in received.scope
    assert {"jurisdiction", "including_carried"} <= set(processed.scope)
    assert one(claims, "applications.carried_over").value == 34
    assert one(claims, "applications.carried_forward").value == 103
    agency = one(claims_of("2024年，区政府办代表区政府受理政府信息公开申请17件。"), "applications.new_received")
    assert agency.scope == ("agency",)
    filing = claims_of("全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。")
    assert [c.concept for c in filing] == ["appeals.review", "appeals.litigation"]
    assert all("filing" in c.scope for c in filing)


def test_another_years_figure_is_marked():
    claims = claims_of("全年收到申请30件，比上年的20件增长50%。", year=2023)
    last_year = [c for c in claims if "other_year" in c.scope]
    assert [(c.concept, c.value) for c in last_year] == [("applications.new_received", 20)]
    carried = one(claims_of("办结177件（含2022年结转的3件）。", year=2023), "applications.carried_over")
    assert "other_year" not in carried.scope  # the year names the row, not the figure's year
    carried_back = one(claims_of("收到申请6件，结转上年9件。", year=2023), "applications.carried_over")
    assert "other_year" not in carried_back.scope  # 结转上年: this year's row of what came from last year
    forward = one(claims_of("予以公开23件，结转2026年度继续办理2件。", year=2025), "applications.carried_forward")
    assert "other_year" not in forward.scope  # 结转 + next year: this year's carried-forward row
    stock = claims_of("本单位到目前累计主动公开政府信息100条。2019年公开政府信息60条。", year=2019)
    assert [c.value for c in stock if "other_year" in c.scope] == [100]  # the stock so far, not the year's


# --------------------------------------------------------------------------- shares, rates and growth


def test_shares_take_their_denominator():
    claims = claims_of("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。")
    shares = [c for c in claims if c.relation == "share"]
    assert [(c.value, c.about.value, c.base.value) for c in shares] == [(51.85, 42, 81), (6.17, 5, 81)]
    # without a list, a result's share is of the processed count the paragraph states
    claims = claims_of("答复申请805件。予以公开及部分公开258件，占33.9%。")
    assert [(c.about.value, c.base.value) for c in claims if c.relation == "share"] == [(258, 805)]
    # a kind of what was published, in no list the prose makes plain: a share of the overall total
    claims = claims_of("全年主动公开政府信息482条。在主动公开的信息中，公开的内容主要有文件、法规标准等。"
                       "其中，政策法规类的信息25条，占总体的比例为6%。")
    assert [(c.about.value, c.base.value) for c in claims if c.relation == "share"] == [(25, 482)]
    # …stated in words that say it is the whole: not one kind read as a total
    claims = claims_of("其中，政务动态信息217条，占59.5%；规划信息12条，占3.3%；重要会议信息11条，占3%。")
    assert [c for c in claims if c.relation == "share" and c.base is not None and c.base.value == 12] == []


def test_rates_and_growth():
    claims = claims_of("共收办政府信息公开申请案件3646件，同比增长1.05%，办结率100%。")
    growth = one(claims, "applications.received_total", "growth")
    assert (growth.value, growth.about.value, growth.base) == (1.05, 3646, None)
    rate = one(claims, "applications.received_total", "rate")
    assert (rate.value, rate.outcome) == (100, "processed")
    stated = one(claims_of("全年收到申请30件，比上年的20件增长50%。", year=2023), "applications.new_received", "growth")
    assert (stated.about.value, stated.base.value) == (30, 20)
    ratio = [c for c in claims_of("2013年发布信息1128条。今年总计发布信息2401条，是2013年信息发布总量的1.5倍。", year=2014)
             if c.relation == "growth"]
    assert [(c.unit, c.about.value, c.base.value) for c in ratio] == [("倍", 2401, 1128)]


def test_a_year_before_carried_says_which_way():
    # from an earlier year into the report's: carried over; into a later one: carried forward
    claims = claims_of("2022年全区结转政府信息公开申请14件，新收到申请211件，2024年结转依申请公开事项1件。", year=2023)
    assert [(c.concept, c.value) for c in claims if c.concept.startswith("applications.")] == [
        ("applications.carried_over", 14), ("applications.new_received", 211), ("applications.carried_forward", 1)]
    assert all("inferred" not in c.scope and "other_year" not in c.scope for c in claims)


# --------------------------------------------------------------------------- the lexicon's own examples


def lexicon_examples():
    data = yaml.safe_load((ROOT / "rules" / "concepts.yaml").read_text(encoding="utf-8"))
    return [pytest.param(e["text"], e["expect"], id=e["text"][:24]) for e in data.get("examples", [])]


@pytest.mark.parametrize("text, expect", lexicon_examples())
def test_lexicon_examples(text, expect):
    """Every phrasing in rules/concepts.yaml comes with an example: a new one is a line of YAML."""
    got = [[c.concept, c.value, c.relation] for c in claims_of(text) if c.concept != "other"]
    assert got == expect


# --------------------------------------------------------------------------- real reports


def test_huaian_2024(shared):
    _, claims, lists = real(FULL / "008.txt")
    values = [(c.concept, c.value) for c in claims if c.relation == "count"]
    for expected in [("applications.new_received", 3119), ("applications.total_processed", 3050),
                     ("applications.carried_over", 34), ("applications.carried_forward", 103),
                     ("appeals.review", 351), ("appeals.review.corrected", 64), ("appeals.litigation", 46),
                     ("appeals.litigation.corrected", 5), ("active.regulations.issued", 1), ("fees.collected", 3940)]:
        assert expected in values, expected
    assert "including_carried" in one(claims, "applications.total_processed").scope
    # 政策性文件 are not 规范性文件
    assert not [c for c in claims if c.concept == "active.normative_documents.issued"]
    review = next(lst for lst in lists if lst.total.concept == "appeals.review")
    assert sum(p.value for p in review.parts) == review.total.value == 351


def test_hongze_2024_agency_scope(shared):
    _, claims, _ = real(FULL / "002.txt")
    received = one(claims, "applications.new_received")
    assert (received.value, received.scope, received.text) == (17, ("agency",), "受理政府信息公开申请17件")


def test_pingtan_2022(shared):
    _, claims, _ = real(FULL / "015.txt")
    assert one(claims, "applications.new_received").value == 75
    assert one(claims, "applications.new_received.natural_person").value == 72
    assert (one(claims, "appeals.review").value, one(claims, "appeals.litigation").value) == (2, 1)
    assert one(claims, "fees.collected", "none").value == 0


def test_pingtan_2023_shares(shared):
    _, claims, _ = real(FULL / "009.txt")
    shares = [c for c in claims if c.relation == "share"]
    assert len(shares) == 5 and all(c.base.value == 81 for c in shares)


def test_seed_negations(shared):
    _, claims, _ = real(SEED)
    negations = sorted((c.concept, c.relation) for c in claims if c.relation == "none")
    assert ("applications.new_received", "none") in negations  # "不涉及申请或不予公开的任何政府信息"
    assert ("appeals.all", "none") in negations  # "未发生行政复议、行政诉讼的情况"
    assert ("fees.collected", "none") in negations  # "也没有工作收费和减免情况"


@pytest.mark.parametrize("name", ["039.txt", "100.txt"])
def test_2008_layout_states_its_figures_in_prose(shared, name):
    _, claims, lists = real(FULL / name)
    negations = {(c.concept, c.relation) for c in claims if c.relation == "none"}
    assert {("applications.new_received", "none"), ("appeals.all", "none")} <= negations
    published = [c for c in claims if c.concept == "narrative.published"]
    assert published and lists


def test_real_reports_give_lexicon_concepts_and_exact_spans(shared):
    lexicon = get_lexicon()
    for path in sorted(FULL.glob("*.txt")) + sorted(PARTIAL.glob("*.txt")):
        doc, claims, lists = real(path)
        for c in claims:
            assert c.concept == "other" or lexicon.concept(c.concept) is not None, (path, c.concept)
            assert doc.text[c.start:c.end] == c.text
        for lst in lists:
            assert lst.parts and all(p is not lst.total for p in lst.parts)


def test_the_annotated_corpus_is_well_formed():
    """corpus/claims/annotations.jsonl: every quote is found in its report (the bench relies on it)."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("claims_accuracy", ROOT / "bench" / "claims_accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    lines = (ROOT / "corpus" / "claims" / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    annotations = [json.loads(line) for line in lines if line.strip()]
    assert len(annotations) > 800
    docs = {}
    for a in annotations:
        if a["file"] not in docs:
            docs[a["file"]] = parse_file(str(SHARED / a["file"]))
        assert bench.locate(docs[a["file"]].text, a) is not None, a


def test_rules_check_runs_the_lexicon_examples_and_reports_a_broken_word(tmp_path):
    import shutil

    from typer.testing import CliRunner

    from auditor.cli import app

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    ok = CliRunner().invoke(app, ["rules", "check", str(rules)])
    assert ok.exit_code == 0, ok.output
    assert "通过  词典示例" in ok.output
    lexicon = rules / "concepts.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace('"收办(?!理)"', '"收办((?!理)"'), encoding="utf-8")
    broken = CliRunner().invoke(app, ["rules", "check", str(rules)])
    assert broken.exit_code == 1
    assert "concepts.yaml" in broken.output and "正则表达式有误" in broken.output


def test_the_list_bench_counts_parts_read_and_missed(tmp_path):
    """bench/claims_lists.py: an annotated list the extractor reads whole scores every part; a part
    the annotation adds that the extractor leaves out is a part missed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("claims_lists", ROOT / "bench" / "claims_lists.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    (tmp_path / "Q001.txt").write_text(
        "某局2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息100条，其中政策文件20条，工作动态30条，"
        "其他信息50条。微信公众号发布信息40条。\n", encoding="utf-8")

    def note(quote, value, role):
        return {"file": "Q001.txt", "quote": quote, "number": str(value), "value": value, "unit": "条",
                "concept": "narrative.published", "relation": "count", "list": "L1", "role": role}

    whole = [note("主动公开信息100条", 100, "total"), note("政策文件20条", 20, "part"),
             note("工作动态30条", 30, "part"), note("其他信息50条", 50, "part")]
    stats, misread = bench.evaluate(whole, tmp_path, flat=True)
    assert (stats["lists_read"], stats["parts_annotated"], stats["parts_right"], stats["parts_read"]) == (1, 3, 3, 3)
    assert misread == []
    stats, misread = bench.evaluate(whole + [note("微信公众号发布信息40条", 40, "part")], tmp_path, flat=True)
    assert (stats["parts_annotated"], stats["parts_right"]) == (4, 3)
    assert misread[0][0] == "parts" and misread[0][3] == ["微信公众号发布信息40条"]


def test_the_agreement_bench_sets_two_annotators_and_the_extractor_side_by_side(tmp_path):
    """bench/claims_agreement.py: a statement both annotators label alike counts as agreement; where
    they differ, the extractor may side with either, and the ceiling line says how often the second
    annotator matched the first on the statements the extractor states a concept for."""
    import collections
    import importlib.util

    spec = importlib.util.spec_from_file_location("claims_agreement", ROOT / "bench" / "claims_agreement.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    text = tmp_path / "Q001.txt"
    text.write_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息100条，其中政策文件20条。"
                    "全年收到政府信息公开申请5件。\n", encoding="utf-8")

    def note(quote, value, concept):
        return {"file": "Q001.txt", "quote": quote, "number": str(value), "value": value, "unit": "条",
                "concept": concept, "relation": "count"}

    first = [note("主动公开信息100条", 100, "narrative.published"), note("政策文件20条", 20, "narrative.published_part"),
             note("收到政府信息公开申请5件", 5, "applications.new_received")]
    second = [note("主动公开信息100条", 100, "narrative.published"), note("政策文件20条", 20, "other"),
              note("收到政府信息公开申请5件", 5, "applications.total_processed")]
    tally, disagreements, shown = collections.Counter(), collections.Counter(), []
    bench.compare(bench.pairs_of(first, second), lambda f: tmp_path / f, tally, disagreements, shown)
    assert (tally["statements"], tally["concept_agree"]) == (3, 1)
    assert tally["asserted"] == 3 and tally["extractor_first"] == 3 and tally["second_first"] == 1
    assert disagreements[("applications.new_received", "applications.total_processed")] == 1


def test_the_second_annotation_labels_statements_of_the_first():
    """corpus/claims/second-annotation.jsonl: every statement is one of annotations.jsonl (same file,
    quote and occurrence), so the agreement bench compares all of them."""
    import json

    def statements(name):
        lines = (ROOT / "corpus" / "claims" / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    first = {(a["file"], a["quote"], a.get("occurrence", 0)) for a in statements("annotations.jsonl")}
    second = statements("second-annotation.jsonl")
    assert len(second) >= 140
    assert all((b["file"], b["quote"], b.get("occurrence", 0)) in first for b in second)


def test_the_websites_own_list_ends_where_another_channel_is_counted():
    """A count named by the website in the words right before its number ("政务网站70余条") is the
    website's, so its 其中 list holds its kinds, not the next channels' counts after a ；."""
    _, lists = extracted("2023年，全面依法主动公开政府信息260余条。政务网站70余条，其中包括政协提案4条，政策规范性文件4条；"
                         "通过“投资陵城”微信公众号发布信息180余条；通过媒体发稿20余篇。")
    website = [lst for lst in lists if lst.total is not None and lst.total.value == 70]
    assert len(website) == 1 and [p.value for p in website[0].parts] == [4, 4]
