"""The NLP layer: sentence splitting, the spaCy pipeline, claim extraction."""

from __future__ import annotations

import subprocess
import sys

import pytest

from auditor.model import Document, Meta
from auditor.nlp.claims import chinese_number, extract_claims
from auditor.nlp.model import CLAIM_KINDS
from auditor.nlp.sentences import split_document, split_text
from auditor.structure import parse_file
from conftest import ROOT, SHARED

FULL = SHARED / "real" / "full"
SEED = SHARED / "seed" / "000_04e17e8ef65a0743.txt"


def texts(text: str, offset: int = 0) -> list[str]:
    sentences = split_text(text, offset=offset)
    for s in sentences:
        assert text[s.start - offset:s.end - offset] == s.text
    return [s.text for s in sentences]


def make_doc(text: str) -> Document:
    meta = Meta(title=None, agency=None, year=None, template="unknown", period=None)
    return Document(path="test.txt", format="txt", encoding=None, meta=meta, text=text, sections=(), tables={})


def claims_of(text: str):
    doc = make_doc(text)
    claims = extract_claims(doc, split_document(doc))
    for c in claims:
        assert c.kind in CLAIM_KINDS
        assert doc.text[c.start:c.end] == c.text
        assert c.sentence.start <= c.start < c.end <= c.sentence.end
    return claims


def summary(text: str) -> list[tuple]:
    """(kind, value, negated) of every claim, in text order."""
    return [(c.kind, c.value, c.negated) for c in claims_of(text)]


def one(claims, kind: str):
    found = [c for c in claims if c.kind == kind]
    assert len(found) == 1, (kind, [(c.kind, c.value, c.text) for c in claims])
    return found[0]


def real(path) -> tuple[Document, list]:
    doc = parse_file(str(path))
    return doc, extract_claims(doc, split_document(doc))


# --------------------------------------------------------------------------- sentences


def test_sentence_end_marks_split_and_colon_does_not():
    assert texts("全年收到申请5件。办结4件！是否及时？结转1件；其余已答复。") == [
        "全年收到申请5件。", "办结4件！", "是否及时？", "结转1件；", "其余已答复。"]
    assert texts("存在的问题：公开不够及时，解读不够深入。") == ["存在的问题：公开不够及时，解读不够深入。"]


def test_never_split_inside_brackets_or_quotes():
    assert texts("答复3050件（含上年度结转申请34件。另有103件顺延）。下一句。") == [
        "答复3050件（含上年度结转申请34件。另有103件顺延）。", "下一句。"]
    assert texts("坚持“先审查。后公开”原则。印发《关于做好公开工作。的通知》。") == [
        "坚持“先审查。后公开”原则。", "印发《关于做好公开工作。的通知》。"]
    assert texts("他说：“已经全部办结。”随后离开。") == ["他说：“已经全部办结。”", "随后离开。"]
    # citations are not enumerations
    assert texts("依据第二十条第（一）项和国办公开办函〔2021〕30号执行。") == [
        "依据第二十条第（一）项和国办公开办函〔2021〕30号执行。"]


def test_a_stray_bracket_does_not_swallow_the_paragraph():
    text = "（二）依申请公开（区分处理的，" + "公开工作稳步推进。" * 40
    sentences = texts(text)
    assert len(sentences) > 30


def test_enumerations_start_sentences():
    assert texts("主要表现在：一是政策解读质量仍需提升，二是队伍建设还需加强。") == [
        "主要表现在：", "一是政策解读质量仍需提升，", "二是队伍建设还需加强。"]
    assert texts("（一）主动公开情况。全年公开信息100条。（二）依申请公开情况。") == [
        "（一）主动公开情况。", "全年公开信息100条。", "（二）依申请公开情况。"]
    assert texts("主要做法如下：1.高度重视，专题部署。2.及时部署，细化分工。") == [
        "主要做法如下：", "1.高度重视，专题部署。", "2.及时部署，细化分工。"]
    assert texts("第一，加强组织领导；第二，完善工作制度。") == ["第一，加强组织领导；", "第二，完善工作制度。"]
    # not enumerations: a decimal, a list of months, 统一 + 是
    assert texts("增长3.5个百分点，1、2月份数据，标准统一是关键。") == [
        "增长3.5个百分点，1、2月份数据，标准统一是关键。"]


def test_headings_are_sentences():
    assert texts("（三）政府信息管理情况\n加强信息发布审核。") == ["（三）政府信息管理情况", "加强信息发布审核。"]
    assert texts("（三）政府信息管理情况。\n加强信息发布审核。") == ["（三）政府信息管理情况。", "加强信息发布审核。"]
    # crawled text runs the heading into its paragraph
    assert texts("（一）主动公开方面平潭综合实验区持续推进信息公开。") == [
        "（一）主动公开方面", "平潭综合实验区持续推进信息公开。"]


def test_line_breaks_end_sentences_except_layout_wraps():
    assert texts("淮安市人民政府\n2024年政府信息公开工作年度报告") == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    wrapped = "对照上级新要求和公众新期待，还有一些需要加强和改进的\n地方。主要表现在：一是解读不足。"
    assert texts(wrapped) == ["对照上级新要求和公众新期待，还有一些需要加强和改进的\n地方。", "主要表现在：",
                              "一是解读不足。"]


def test_table_lines_are_not_sentences():
    text = ("三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n"
            "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 |\n"
            "规章            1          0        11\n"
            "（六）其\n"
            "他处理\n"
            "结果 结果 其他 尚未 总计\n"
            "0     0     0     0     0\n"
            "全年共收到申请3件。")
    assert texts(text) == ["三、收到和处理政府信息公开申请情况", "全年共收到申请3件。"]
    # a crawled page runs a table into one line with the prose
    glued = "行政复议2件。总计 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0 五、存在的主要问题及改进情况"
    assert texts(glued) == ["行政复议2件。", "五、存在的主要问题及改进情况"]


def test_offsets_are_exact_with_an_offset():
    prefix = "前言。\n"
    body = "一、总体情况\n2024年，全市共受理政府信息公开申请3119件；答复3050件。\n"
    sentences = split_text(body, offset=len(prefix))
    full = prefix + body
    assert [full[s.start:s.end] for s in sentences] == [s.text for s in sentences]
    assert sentences[0].text == "一、总体情况"


def test_split_document_on_a_real_report(shared):
    doc = parse_file(str(FULL / "008.txt"))
    sentences = split_document(doc)
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)
    assert all("\t" not in s.text and "   " not in s.text for s in sentences)
    by_section = {}
    for s in sentences:
        by_section.setdefault(s.section, []).append(s.text)
    assert by_section["overview"][0] == "一、总体情况"
    assert "（三）政府信息管理情况。" in by_section["overview"]
    assert by_section["other"] == ["六、其他需要报告的事项",
                                   "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"]
    assert by_section["applications"] == ["三、收到和处理政府信息公开申请情况"]  # only table below the heading
    # the wrapped line of section 五 is one sentence
    assert "对照上级新要求和公众新期待，还有一些需要加强和改进的\n地方。" in by_section["problems"]
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)


def test_crawled_heading_glued_to_text_is_a_sentence(shared):
    doc = parse_file(str(FULL / "009.txt"))
    sentences = [s.text for s in split_document(doc)]
    assert "一、总体情况" in sentences
    assert "（一）主动公开方面" in sentences
    assert "六、其他需要报告的事项" in sentences


# --------------------------------------------------------------------------- spaCy pipeline


def test_pipeline_is_cached_and_sentences_agree():
    from auditor.nlp.pipeline import get_nlp

    nlp = get_nlp()
    assert get_nlp() is nlp
    assert nlp.pipe_names == ["auditor_sentencizer"]
    text = ("一、总体情况\n2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件。另有103件）。"
            "主要表现在：一是政策解读质量仍需提升；二是队伍建设还需加强。\n（三）政府信息管理情况\n加强信息发布审核。")
    expected = [s.text for s in split_text(text)]
    assert [s.text.strip() for s in nlp(text).sents] == expected


def test_user_dictionary_keeps_domain_terms_whole():
    from auditor.nlp.pipeline import get_nlp

    words = [t.text for t in get_nlp()("全年收到政府信息公开申请，上年结转2件，结转下年度1件，收取信息处理费0元。")]
    for term in ("政府信息公开", "上年结转", "结转下年度", "信息处理费"):
        assert term in words, words


def test_pipeline_sentences_agree_on_a_real_report(shared):
    from auditor.nlp.pipeline import get_nlp

    doc = parse_file(str(FULL / "009.txt"))
    spacy_starts = {s.start_char for s in get_nlp()(doc.text).sents}
    ours = split_text(doc.text)
    assert ours and all(s.start in spacy_starts for s in ours)


def test_parsing_loads_no_nlp_model(shared):
    code = ("import sys; from auditor.structure import parse_file; "
            f"parse_file({str(FULL / '008.txt')!r}); "
            "loaded = [m for m in ('spacy', 'jieba') if m in sys.modules]; "
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("numeral, value", [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十三", 23),
                                            ("一百零五", 105), ("三千", 3000), ("两万", 20000)])
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_chinese_numerals_and_approximate_figures_in_claims():
    assert summary("全年收到政府信息公开申请十二件。") == [("applications.received", 12, False)]
    assert summary("全年收到政府信息公开申请二十三件。") == [("applications.received", 23, False)]
    approx = one(claims_of("全市受理政府信息公开申请3万余件。"), "applications.received")
    assert approx.value == 30000 and "approx" in approx.scope
    fee = one(claims_of("全年收取信息处理费1.2万元。"), "fees.collected")
    assert (fee.value, fee.unit) == (1.2, "万元")


# --------------------------------------------------------------------------- claims: counts


@pytest.mark.parametrize("text, expected", [
    ("共收到政府信息公开申请81件。", [("applications.received", 81, False)]),
    ("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件。", [("applications.received", 81, False)]),
    ("全年共受理依申请公开4件。", [("applications.received", 4, False)]),
    ("区政府办公室共收到8份政府信息公开申请。", [("applications.received", 8, False)]),
    ("全市全年共收办政府信息公开申请案件3607件。", [("applications.received_total", 3607, False)]),
    ("全年收到政府信息公开申请41件（含上年度结转3件）。",
     [("applications.received_total", 41, False), ("applications.carried_over", 3, False)]),
    ("上年结转政府信息公开申请2件。", [("applications.carried_over", 2, False)]),
    ("全年新收申请25件，上年无结转，办结24件。", [("applications.received", 25, False),
                                               ("applications.carried_over", 0, True),
                                               ("applications.processed", 24, False)]),
    ("全年办理政府信息公开申请218件。", [("applications.processed", 218, False)]),
    ("收到申请308件，法定期限内予以答复306件，结转下年3件。",
     [("applications.received", 308, False), ("applications.processed", 306, False),
      ("applications.carried_forward", 3, False)]),
    ("共收到政府信息公开申请154件，共办结148件，结转至2026年6件。",
     [("applications.received", 154, False), ("applications.processed", 148, False),
      ("applications.carried_forward", 6, False)]),
    # 办结 counts applications only where the sentence is about them
    ("全年办结群众来信148件。", []),
    ("另有3件结转下年度办理。", [("applications.carried_forward", 3, False)]),
    ("1件因需征求第三方意见结转至2024年继续办理。", [("applications.carried_forward", 1, False)]),
    ("转下一年度办理答复的有1件。", [("applications.carried_forward", 1, False)]),
    ("予以公开及部分公开42件。", [("applications.granted_or_partly", 42, False)]),
    ("予以公开和部分公开合计13件。", [("applications.granted_or_partly", 13, False)]),
    ("同意公开答复9件，部分公开答复0件，不予公开答复2件，无法提供的10件，不予处理0件，其他处理14件。",
     [("applications.granted", 9, False), ("applications.partly_granted", 0, False),
      ("applications.withheld", 2, False), ("applications.unable", 10, False),
      ("applications.declined", 0, False), ("applications.other", 14, False)]),
    ("作其他处理（含申请人主动撤回申请）341件。", [("applications.other", 341, False)]),
    ("新收申请中自然人42件，商业企业13件，法人或其他组织申请114件。",
     [("applications.natural_person", 42, False), ("applications.commercial", 13, False),
      ("applications.legal_person", 114, False)]),
    ("行政复议2件、行政诉讼7件。", [("appeals.review", 2, False), ("appeals.litigation", 7, False)]),
    ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。",
     [("appeals.review", 36, False), ("appeals.litigation", 9, False)]),
    ("本年度被申请行政复议1件，被直接提起行政诉讼1件。", [("appeals.review", 1, False), ("appeals.litigation", 1, False)]),
    ("2024年市科委有1件涉及政府信息公开工作的行政复议。", [("appeals.review", 1, False)]),
    ("涉及的行政诉讼数为0件。", [("appeals.litigation", 0, False)]),
    ("行政复议纠正1件。", [("appeals.corrected", 1, False)]),
    ("制发行政规范性文件77件。", [("active.normative_documents.issued", 77, False)]),
    ("动态更新本年度制发的规范性文件88件。", [("active.normative_documents.issued", 88, False)]),
    ("本年新制作并公开规范性文件3件。", [("active.normative_documents.issued", 3, False)]),
    ("全年新增公开市政府规章1件。", [("active.regulations.issued", 1, False)]),
    ("全年收取信息处理费2950元。", [("fees.collected", 2950, False)]),
    ("全年收取政府信息公开信息处理费0元。", [("fees.collected", 0, False)]),
    ("2025年全市实际收取信息处理费共计400元。", [("fees.collected", 400, False)]),
])
def test_count_claims(text, expected):
    assert summary(text) == expected


def test_appeals_parts_are_subsets_of_their_group():
    claims = claims_of("行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
                       "政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件。")
    assert [(c.kind, c.value) for c in claims] == [("appeals.review", 351), ("appeals.corrected", 64),
                                                   ("appeals.litigation", 46), ("appeals.corrected", 5)]
    review, corrected_review, litigation, corrected_litigation = claims
    assert "subset" not in review.scope and "subset" not in litigation.scope
    assert {"subset", "of:appeals.review"} <= set(corrected_review.scope)
    assert {"subset", "of:appeals.litigation"} <= set(corrected_litigation.scope)


def test_results_after_a_total_belong_to_it():
    claims = claims_of("全年新收政府信息公开申请51件，办结50件。其中予以公开21件，部分公开10件。")
    granted = one(claims, "applications.granted")
    assert {"subset", "of:applications.processed"} <= set(granted.scope)


def test_several_parts_after_one_subset_word():
    claims = claims_of("全市受理政府信息公开申请100件，其中市政府办受理20件、区政府办受理30件。")
    assert [(c.kind, c.value) for c in claims] == [("applications.received", 100), ("applications.received", 20),
                                                   ("applications.received", 30)]
    total, *parts = claims
    assert "subset" not in total.scope
    assert all({"subset", "of:applications.received"} <= set(c.scope) for c in parts)


def test_percentages_need_numerator_and_denominator():
    claims = claims_of("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。")
    percents = [c for c in claims if c.kind == "percent"]
    assert [p.value for p in percents] == [51.85, 6.17]
    assert "numerator:applications.granted_or_partly=42" in percents[0].scope
    assert "denominator:applications.processed=81" in percents[0].scope
    assert "numerator:applications.withheld=5" in percents[1].scope
    # a growth rate or a rate without a stated base is not a claim
    assert summary("共收办政府信息公开申请案件3646件，同比增长1.05%，办结率100%。") == [
        ("applications.received_total", 3646, False)]


@pytest.mark.parametrize("text", [
    "努力做到“办结一件申请、解决一个问题”。",  # a slogan in quotes
    "其中申请人自行撤销2件。",  # a withdrawal, not a correction
    "一是依申请公开中“本机关不掌握”答复13件。",  # a kind of answer, not all answers
    "清理并集中发布现行有效行政规范性文件393件。",  # the stock, not the year's issue
    "宿迁市公安局6件，收取600元。",  # a per-unit breakdown of a fee total
    "全年办理人大建议和政协提案35件。",
    "将答复期限由15个工作日调整为20个工作日。",
    "行政复议和行政诉讼案件共5件。",  # a combined figure
    "被提起行政诉讼2件，其中复议后起诉1件，1件尚未审结。",
])
def test_unclear_numbers_give_no_claim(text):
    kinds = summary(text)
    assert all(kind == "appeals.litigation" for kind, _, _ in kinds), kinds


def test_a_breakdown_by_unit_is_not_claimed():
    assert summary("全市全年共收办政府信息公开申请案件3607件（市政府349件、沭阳县477件）。") == [
        ("applications.received_total", 3607, False)]


# --------------------------------------------------------------------------- claims: negations


@pytest.mark.parametrize("text, expected", [
    ("本年度，我镇未收到政府信息公开申请。", [("applications.received", 0, True)]),
    ("全年没有收到政府信息公开申请。", [("applications.received", 0, True)]),
    ("全年无依申请公开事项。", [("applications.received", 0, True)]),
    ("本单位不涉及依申请公开。", [("applications.received", 0, True)]),
    ("本年度未收到个人、法人或者其他组织向本机关申请公开政府信息。", [("applications.received", 0, True)]),
    ("未发生行政复议、行政诉讼。", [("appeals.review", 0, True), ("appeals.litigation", 0, True)]),
    ("也未发生因政府信息公开引起的行政复议、行政诉讼。", [("appeals.review", 0, True), ("appeals.litigation", 0, True)]),
    ("2017年未收到有关政府信息公开行政复议、提起行政诉讼的申请。",
     [("appeals.review", 0, True), ("appeals.litigation", 0, True)]),
    ("无因政府信息公开申请提出的行政复议、行政诉讼。", [("appeals.review", 0, True), ("appeals.litigation", 0, True)]),
    ("被申请行政复议1件，未发生行政诉讼。", [("appeals.review", 1, False), ("appeals.litigation", 0, True)]),
    ("全年实现零败诉。", [("appeals.corrected", 0, True)]),
    ("该行政复议件未被复议审查机关纠错。", [("appeals.corrected", 0, True)]),
    ("行政复议案件均未被纠正。", [("appeals.corrected", 0, True)]),
    ("被申请行政复议2件，均获维持。", [("appeals.review", 2, False), ("appeals.all_upheld", None, False)]),
    ("行政诉讼结果全部维持。", [("appeals.all_upheld", None, False)]),
    ("本年度未收取政府信息公开信息处理费。", [("fees.collected", 0, True)]),
    ("2023年，无收取信息处理费情况。", [("fees.collected", 0, True)]),
    ("本年度无收费。", [("fees.collected", 0, True)]),
    ("2024年，市科委未发生政府信息公开收费事项。", [("fees.collected", 0, True)]),
])
def test_negations_and_absolutes(text, expected):
    assert summary(text) == expected


def test_all_upheld_names_its_group():
    upheld = one(claims_of("被申请行政复议2件，均维持原答复。"), "appeals.all_upheld")
    assert "of:appeals.review" in upheld.scope


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
    assert summary(text) == []


# --------------------------------------------------------------------------- claims: scope


def test_scope_words():
    claims = claims_of("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。")
    received = one(claims, "applications.received")
    processed = one(claims, "applications.processed")
    assert received.scope == ("jurisdiction",)  # 含上年度结转 belongs to 3050, not to 3119
    assert set(processed.scope) == {"jurisdiction", "including_carried"}
    agency = one(claims_of("2024年，区政府办代表区政府受理政府信息公开申请17件。"), "applications.received")
    assert agency.scope == ("agency",)
    filing = claims_of("全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。")
    assert [c.kind for c in filing] == ["appeals.review", "appeals.litigation"]
    assert all("filing" in c.scope for c in filing)
    subset = one(claims_of("收到政府信息公开申请100件，其中自然人申请80件。"), "applications.natural_person")
    assert {"subset", "of:applications.received"} <= set(subset.scope)


# --------------------------------------------------------------------------- claims: real reports


def test_huaian_2024(shared):
    doc, claims = real(FULL / "008.txt")
    values = [(c.kind, c.value) for c in claims]
    for expected in [("applications.received", 3119), ("applications.processed", 3050),
                     ("applications.carried_over", 34), ("applications.carried_forward", 103),
                     ("appeals.review", 351), ("appeals.corrected", 64), ("appeals.litigation", 46),
                     ("appeals.corrected", 5), ("active.regulations.issued", 1), ("fees.collected", 3940)]:
        assert expected in values, expected
    processed = one(claims, "applications.processed")
    assert "including_carried" in processed.scope
    assert "including_carried" not in one(claims, "applications.received").scope
    corrected = [c for c in claims if c.kind == "appeals.corrected"]
    assert "of:appeals.review" in corrected[0].scope and "of:appeals.litigation" in corrected[1].scope
    # 政策性文件 are not 规范性文件: no normative-document claim
    assert not [c for c in claims if c.kind == "active.normative_documents.issued"]
    assert len(claims) == 10


def test_hongze_2024_agency_scope(shared):
    _, claims = real(FULL / "002.txt")
    received = one(claims, "applications.received")
    assert (received.value, received.scope) == (17, ("agency",))
    assert received.text == "受理政府信息公开申请17件"


def test_suqian_2024_filing_scope(shared):
    _, claims = real(FULL / "004.txt")
    review = one(claims, "appeals.review")
    litigation = one(claims, "appeals.litigation")
    assert (review.value, litigation.value) == (134, 57)
    assert "filing" in review.scope and "filing" in litigation.scope
    assert one(claims, "applications.received_total").value == 3646


def test_pingtan_2022_received(shared):
    _, claims = real(FULL / "015.txt")
    assert one(claims, "applications.received").value == 75
    assert one(claims, "applications.natural_person").value == 72
    assert (one(claims, "appeals.review").value, one(claims, "appeals.litigation").value) == (2, 1)
    fee = one(claims, "fees.collected")
    assert (fee.value, fee.negated) == (0, True)


def test_pingtan_2023(shared):
    _, claims = real(FULL / "009.txt")
    values = {(c.kind, c.value) for c in claims if c.kind != "percent"}
    assert values >= {("applications.received", 81), ("applications.natural_person", 80),
                      ("applications.processed", 81), ("applications.granted_or_partly", 42),
                      ("applications.withheld", 5), ("applications.unable", 31), ("applications.declined", 1),
                      ("applications.other", 2), ("appeals.review", 2), ("appeals.litigation", 7),
                      ("active.normative_documents.issued", 77)}
    # 现行有效 393 is the consolidated stock, not a count the table states as issued
    assert ("active.normative_documents.issued", 393) not in values
    assert len([c for c in claims if c.kind == "percent"]) == 5


def test_seed_negations(shared):
    _, claims = real(SEED)
    assert sorted((c.kind, c.value, c.negated) for c in claims) == [
        ("appeals.litigation", 0, True),  # "未发生行政复议、行政诉讼的情况"
        ("appeals.review", 0, True),
        ("applications.received", 0, True),  # "不涉及申请或不予公开的任何政府信息": read as no applications
        ("fees.collected", 0, True),  # "也没有工作收费和减免情况"
    ]


@pytest.mark.parametrize("name", ["039.txt", "100.txt"])
def test_2008_layout_negations(shared, name):
    _, claims = real(FULL / name)
    assert sorted((c.kind, c.value, c.negated) for c in claims) == [
        ("appeals.litigation", 0, True), ("appeals.review", 0, True), ("applications.received", 0, True)]
    received = one(claims, "applications.received")
    assert received.sentence.section == "applications"


def test_real_reports_give_only_known_kinds_and_exact_spans(shared):
    for path in sorted(FULL.glob("*.txt")):
        doc, claims = real(path)
        for c in claims:
            assert c.kind in CLAIM_KINDS
            assert doc.text[c.start:c.end] == c.text
            assert c.sentence.start <= c.start < c.end <= c.sentence.end
