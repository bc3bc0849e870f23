"""The NLP layer: sentence splitting and the spaCy pipeline (claims: tests/test_claims.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    # a figure without its unit glued to the item before it, not marker 3 (no marker 2 came before);
    # marker 1 glued to a title still starts a sentence
    assert texts("其中公开栏43条，建议提案办理栏7条，意见征集3、部门预算栏1条。") == [
        "其中公开栏43条，建议提案办理栏7条，意见征集3、部门预算栏1条。"]
    assert texts("主要做法1.高度重视。2.及时部署。") == ["主要做法", "1.高度重视。", "2.及时部署。"]


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


def test_a_bar_inside_a_title_does_not_make_a_paragraph_a_table_row():
    from auditor.nlp.sentences import split_text

    text = ("截至12月31日，我局通过官方微信公众号发布365篇《我为群众办实事|食用农产品快速检测结果天天报》系列文章，"
            "累计共抽检28544批次。全年主动公开政府信息459条。")
    assert [s.text for s in split_text(text)][-1] == "全年主动公开政府信息459条。"
    # Cells with bars are a table row, with or without a full stop in a cell.
    assert split_text("规章 | 0 | 0 | 3") == [] and split_text("说明 | 见附件。 | 3") == []
