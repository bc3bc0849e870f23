"""Normalization, sections and meta on small hand-made reports."""

from __future__ import annotations

import pytest

from auditor.model import SourceText, TextBlock
from auditor.structure import build_document
from auditor.structure.normalize import normalize


def doc_of(text: str):
    return build_document(SourceText(path="t.txt", format="txt", encoding="utf-8", blocks=(TextBlock(text),)))


def test_pdf_layout_lines_join_and_page_numbers_go():
    lines = ["   一、总体情况",
             "   ２０２３年，本县坚持以人民为中心，全面推进政务公开，不断完善政府信息公开制度，",
             "建立健全保障机制，推进各项工作规范有序开展，取得了明显成效并持续巩固提升中。",
             "   （一）主动公开情况。全年通过政府门户网站主动公开政府信息一千余条，其中政策文",
             "件三十件，政策解读十五篇，重大建设项目信息二百条，均在规定时限内予以发布公开。",
             "   （二）依申请公开情况。全年受理申请人提出的政府信息公开申请，均依法按时答复，",
             "未发生逾期答复的情况，答复文书格式规范、依据充分，申请人满意度持续保持较高水平。",
             "",
             "                                -1-",
             "本年度共受理申请 21 件，均在法定期限内答复。",
             "   二、主动公开政府信息情况"]
    text = normalize(SourceText("t", "txt", "utf-8", (TextBlock("\n".join(lines)),))).text
    assert "-1-" not in text
    assert "2023年，本县" in text
    assert "制度，建立健全" in text  # the wrapped line was joined
    assert "共受理申请21件" in text  # spaces around numbers inside Chinese removed


def test_traditional_script_and_pinyin_are_normalized():
    text = normalize(SourceText("t", "txt", "utf-8", (TextBlock(
        "政府資訊公開工作年度報(bào)告\n一、總體情況\n本機關收到申請八件，辦結八件。" * 3),))).text
    assert "年度报告" in text and "一、总体情况" in text and "(bào)" not in text


def test_inline_headings_in_crawler_text():
    doc = doc_of("标题: 云岭市2022年度政府信息公开工作年度报告\n正文 本报告统计期限自2022年1月1日起至2022年12月31日止。"
                 "一、总体情况2022年，我市…。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数"
                 "现行有效件数规章000行政规范性文件3030第二十条第（五）项信息内容本年处理决定数量行政许可12"
                 "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量5000005"
                 "四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况000000000000000"
                 "五、存在的主要问题及改进情况一是…。六、其他需要报告的事项无。")
    assert [s.key for s in doc.sections] == ["overview", "active", "applications", "appeals", "problems", "other"]
    assert doc.meta.year == 2022 and doc.meta.agency == "云岭市"
    assert doc.meta.period == ("2022-01-01", "2022-12-31")
    assert doc.tables["applications"]["new_received"]["total"] == 5
    assert doc.tables["applications"]["carried_forward"]["total"] == 0
    assert doc.tables["active"]["licensing"]["decisions"] == 12


def test_a_table_run_into_the_sentences_around_it_is_still_read():
    # A scraped page that lost every line break: each section's sentences and its table are one
    # line, the sentences before the table (二, 三, 四) or after it ("…收费02025年，我局…").
    doc = doc_of("云岭市某局2025年度政府信息公开工作年度报告\n本报告统计期限自2025年1月1日起至2025年12月31日止。"
                 "一、总体情况2025年，我局…。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数"
                 "现行有效件数规章000行政规范性文件3030第二十条第（五）项信息内容本年处理决定数量行政许可12"
                 "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费02025年，我局通过门户网站主动公开"
                 "政府信息395条，其中规范性文件3条。三、收到和处理政府信息公开申请情况2025年，共收到政府信息公开申请5件。"
                 "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
                 "一、本年新收政府信息公开申请数量5000005二、上年结转政府信息公开申请数量0000000"
                 "四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况2025年，未发生行政复议、行政诉讼。"
                 "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉000000000000000"
                 "五、存在的主要问题及改进情况一是…。六、其他需要报告的事项无。")
    assert doc.tables["active"]["normative_documents"]["issued"] == 3
    assert doc.tables["active"]["licensing"]["decisions"] == 12
    assert doc.tables["active"]["admin_fees"]["amount"] == 0  # "02025年": the fee is 0, the year opens the sentence
    assert doc.tables["applications"]["new_received"]["total"] == 5
    assert doc.tables["applications"]["carried_over"]["total"] == 0
    assert doc.tables["appeals"]["review"]["total"] == 0


def test_renumbered_and_old_layout_headings():
    doc = doc_of("某局2017年度政府信息公开工作年度报告\n一、概述\n…\n二、主动公开政府信息情况\n…\n"
                 "三、政府信息依申请公开工作情况\n…\n四、因政府信息公开申请行政复议、提起行政诉讼的情况\n…\n"
                 "五、存在的主要问题和改进措施\n…\n六、政府信息公开情况统计表\n指标名称 计量单位 本年 历年累计\n")
    assert [s.key for s in doc.sections] == ["overview", "active", "applications", "appeals", "problems"]
    assert doc.meta.template == "2008"
    assert doc.tables == {"active": {}, "applications": {}, "appeals": {}}


@pytest.mark.parametrize("title", ["一、年度信息公开总体情况", "一、总体公开情况", "一、政府信息公开工作基本情况"])
def test_overview_headings_in_other_words(title):
    doc = doc_of(f"某局2023年政府信息公开工作年度报告\n{title}\n本年主动公开信息12条。\n二、主动公开政府信息情况\n…\n")
    assert [(s.key, s.title) for s in doc.sections][0] == ("overview", title)


def test_a_sub_heading_under_the_overview_is_no_section():
    # "（三）信息公开申请行政复议、提起行政诉讼的情况" under 一 is a part of the overview
    doc = doc_of("某乡2021年政府信息公开工作年度报告\n一、总体情况\n本年主动公开信息29条。\n（一）主动公开政府信息情况\n…\n"
                 "（三）信息公开申请行政复议、提起行政诉讼的情况\n\n2021年我乡未发生行政复议。\n二、主动公开政府信息情况\n…\n")
    assert [s.key for s in doc.sections] == ["overview", "active"]


def test_table_row_labels_are_not_sections():
    doc = doc_of("三、收到和处理政府信息公开申请情况\n三、本年度办理结果\n四、结转下年度继续办理 0 0 0 0 0 0 0\n"
                 "四、政府信息公开行政复议、行政诉讼情况\n")
    keys = [(s.key, s.title) for s in doc.sections]
    assert keys == [("applications", "三、收到和处理政府信息公开申请情况"),
                    ("appeals", "四、政府信息公开行政复议、行政诉讼情况")]


def test_table_of_contents_is_not_taken_for_sections():
    doc = doc_of("一、概述,二、主动公开政府信息情况,三、依申请公开政府信息情况,六、主要问题和改进措施,\n"
                 "一、概述\n2012年，本市……\n")
    assert [(s.key, s.title) for s in doc.sections] == [("overview", "一、概述")]
    assert doc.sections[0].start > 0


def test_padded_header_rows_are_not_blank_rows():
    doc = doc_of("三、收到和处理政府信息公开申请情况\n"
                 "| 自然人 | 法人或其他组织 | 总计 | |||||||\n"
                 "| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||\n"
                 "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 | ||\n")
    assert list(doc.tables["applications"]) == ["new_received"]


def test_display_width_counts_wide_and_fullwidth_as_two_like_unicodedata():
    import unicodedata

    from auditor.structure.normalize import display_width

    for code in range(0x30000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert display_width(ch) == (2 if unicodedata.east_asian_width(ch) in "WF" else 1), hex(code)
    assert display_width("本年新收 12 件ＡＢ") == 4 * 2 + 4 + 2 + 2 * 2


def test_section_five_found_by_its_first_sub_heading_when_its_heading_was_lost():
    # A PDF's text layer lost "五、存在的主要问题及改进情况"; its first sub-heading remains.
    doc = doc_of("某市2025年政府信息公开工作年度报告\n一、总体情况\n本年主动公开信息12条。\n"
                 "四、政府信息公开行政复议、行政诉讼情况\n无。\n"
                 "（一）2024 年工作中存在问题的改进情况\n"
                 "针对 2024 年工作中存在的主要问题，重点采取如下改进措施：一是进一步提升政策公开质效，\n"
                 "以政府公报数字化改革为抓手，全年完成1400余件文件的公开属性复核。\n"
                 "六、其他需要报告的事项\n无。")
    problems = doc.section("problems")
    assert problems is not None and problems.number is None
    assert doc.text[problems.start:problems.end].startswith("（一）2024年工作中存在问题的改进情况")


def test_a_numbered_problems_heading_with_a_shorter_prefix():
    doc = doc_of("某镇2013年政府信息公开工作年度报告\n一、概述\n本年公开信息12条。\n"
                 "五、信息公开工作存在的主要问题及改进情况\n公开不及时。\n")
    assert (doc.section("problems").number, doc.section("problems").title) == ("五", "五、信息公开工作存在的主要问题及改进情况")


def test_the_2008_wording_of_section_six_is_section_six():
    from auditor.rules.examples import text_document

    doc = text_document("某局2020年政府信息公开工作年度报告\n一、概述\n本年主动公开信息12条。\n"
                        "五、政府信息公开存在的问题及改进措施\n一是解读不足。下一步将加强解读。\n"
                        "六、需要说明的其他事项与附表\n本年度无其他事项需说明。")
    assert [s.key for s in doc.sections][-1] == "other"


def test_a_page_column_name_before_the_title_does_not_become_the_title():
    # web page chrome: the column's name ends in 报告 too, but only the report's own title names a year
    doc = doc_of("登录 | 注册\n  • 乡镇政府信息公开年度报告\n  • 发布机构\n    建水县面甸镇人民政府\n\n"
                 "建水县面甸镇2025年政府信息公开工作年度报告\n\n根据《条例》规定，现公布本年度报告。\n"
                 "一、总体情况\n2025年，本镇全面推进政务公开。")
    assert doc.meta.title == "建水县面甸镇2025年政府信息公开工作年度报告"
    assert doc.meta.agency == "建水县面甸镇"


def test_a_title_without_a_year_is_kept_when_no_other_candidate_has_one():
    doc = doc_of("某某县交通运输局政府信息公开工作年度报告\n一、总体情况\n2025年，我局全面推进政务公开。")
    assert doc.meta.title == "某某县交通运输局政府信息公开工作年度报告"


def test_page_fields_run_together_before_the_title_are_dropped():
    for chrome in ("发布机构|自治区政府办公厅|发布日期|2021-04-09 17:05:00|",
                   "05-0200-2012-00001•发布机构：某镇人民政府•公文生成日期：2012-03-31•标题：",
                   "发布机构: 市气象局 成文日期: 2025-01-16\n"):
        doc = doc_of(chrome + "某某县气象局2024年度政府信息公开工作年度报告\n一、总体情况\n2024年，我局推进政务公开。")
        assert doc.meta.title == "某某县气象局2024年度政府信息公开工作年度报告", chrome
        assert doc.meta.agency == "某某县气象局"


def test_a_cover_letters_date_and_signature_are_not_part_of_the_title():
    doc = doc_of("福州市人民政府办公厅:\n根据《条例》要求，我中心编制完成了本年度报告，现予报送。\n专此函达\n福州市防震减灾中心\n"
                 "2021年1月14日\n福州市防震减灾中心2020年政府信息公开年度报告\n一、总体情况\n2020年，我中心推进政务公开。")
    assert doc.meta.title == "福州市防震减灾中心2020年政府信息公开年度报告"
    assert doc.meta.year == 2020


def test_a_title_ending_in_nianbao_is_a_title():
    doc = doc_of("朗读\n2011年谷来镇人民政府信息公开年报\n引言\n本年报是根据《条例》要求编制的。\n一、概述\n2011年，本镇推进政务公开。")
    assert doc.meta.title == "2011年谷来镇人民政府信息公开年报"


def test_a_change_printed_with_its_sign_is_a_number():
    # the 2019 layout's 本年增/减 printed "+21": the cell is 21, and the row's other cells stay in place
    rows = ("第二十条第（五）项\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政许可 | 0 | +21 | 776 |\n其他对外管理服务事项 | 0 | +57 | 0 |\n"
            "第二十条第（六）项\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政处罚 | 34 | ＋10 | 29 |\n行政强制 | 0 | -1 | 0 |\n")
    doc = doc_of("某县林业局2020年政府信息公开工作年度报告\n一、总体情况\n我局依法公开政府信息。\n"
                 "二、主动公开政府信息情况\n" + rows)
    active = doc.tables["active"]
    assert active["licensing"] == {"previous": 0, "change": 21, "decisions": 776}
    assert active["punishment"] == {"previous": 34, "change": 10, "decisions": 29}
    assert active["coercion"]["change"] == -1
