"""The corpus index of narrative passages: copied spans, their sources, relations and ratios."""

from __future__ import annotations

import numpy as np
import pytest

from auditor.model import SourceText, TextBlock
from auditor.rules.data import load_data
from auditor.similarity.index import CorpusIndex, normalize_agency, same_body
from auditor.similarity.passages import mask_numbers, narrative_passages
from auditor.similarity.template import blank_template
from auditor.structure import build_document, parse_file

# A paragraph written for these tests (three sentences, one line).
PARAGRAPH = ("全县各单位严格落实信息发布审核制度，坚持先审后发、分级把关，确保公开内容准确规范。"
             "县政府办公室每月抽查各乡镇公开专栏，对更新滞后、链接失效等问题逐一登记并限期整改。"
             "年内组织政务公开业务培训两期，参训人员覆盖全部县直部门和乡镇。")

PREAMBLE = ("本报告由{agency}办公室根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）编制，"
            "包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
            "存在的主要问题及改进情况、其他需要报告的事项六个部分。\n"
            "本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。\n"
            "本报告电子版可在{agency}门户网站“政府信息公开”专栏查阅下载。\n"
            "如对本报告有疑问，请与{agency}办公室联系（地址：{agency}府前路8号；邮编：000001；电话：0000-5550001）。\n")


def report(agency: str, year: int, overview: str, problems: str = "", path: str | None = None,
           other: str = ""):
    """A small report; its own words in 五 and 六 unless `problems`/`other` are given."""
    problems = problems or f"{agency}{year}年的专栏更新记录需要补齐。"
    other = other or f"{agency}{year}年无其他事项。"
    text = (f"{agency}{year}年政府信息公开工作年度报告\n" + PREAMBLE.format(agency=agency, year=year)
            + f"一、总体情况\n{overview}\n"
            + "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
            + f"五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n{other}\n")
    source = SourceText(path=path or f"{agency}-{year}.txt", format="txt", encoding="utf-8", blocks=(TextBlock(text),))
    return build_document(source)


OWN_A = "2023年，青山县围绕营商环境优化调整公开目录，新增惠企政策专题栏目，集中发布涉企收费清单。"
OWN_B = "2024年，绿水县以乡村振兴为重点，把村级财务、低保评议结果逐月张贴到村务公开栏。"
OWN_B2 = "绿水县融媒体中心开设“政策一点通”短视频专栏，全年制作解读视频四十余条。"


def covered(matches, doc, phrase: str) -> float:
    """Share of `phrase` (found in doc.text) inside the spans of `matches`."""
    at = doc.text.find(phrase)
    assert at >= 0, phrase
    mark = np.zeros(len(doc.text), dtype=bool)
    for m in matches:
        mark[m.start:m.end] = True
    return float(mark[at:at + len(phrase)].mean())


# --------------------------------------------------------------------------- passages


def test_passages_mask_numbers_one_for_one_and_drop_template():
    doc = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    passages = narrative_passages(doc)
    assert passages
    for p in passages:
        assert len(p.masked) == len(p.text) == p.end - p.start
        assert doc.text[p.start:p.end] == p.text
        assert not any(ch.isdigit() and ch != "0" for ch in p.masked)
    texts = " ".join(p.text for p in passages)
    for template in ("本报告由", "统计期限", "电子版", "如对本报告有疑问", "一、总体情况"):
        assert template not in texts
    assert mask_numbers("二〇二三年收到申请12件，三是") == "0000年收到申请00件，0是"


def test_template_rules_are_data():
    data = load_data("template_text")
    assert "rules" not in data
    for key in ("preamble", "statistics_period", "electronic_version", "contact"):
        assert data["sentences"][key]
    assert data["headings"] and data["table_labels"]
    assert blank_template("电话：0000-5550001。").strip() == ""
    sentence = "（一）主动公开。本年制发规范性文件5件。"
    assert blank_template(sentence).startswith(" " * len("（一）主动公开。"))


# --------------------------------------------------------------------------- spans


def test_verbatim_copy_found_with_offsets_on_both_sides_as_one_span():
    source = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH + "\n" + OWN_B2)
    matches = CorpusIndex.build([source]).query(audited)
    assert len(matches) == 1
    m = matches[0]
    assert m.text == PARAGRAPH == audited.text[m.start:m.end]
    assert m.source_text == PARAGRAPH == source.text[m.source_start:m.source_end]
    assert m.source_path == source.path and m.source_agency == "青山县人民政府" and m.source_year == 2023
    assert m.relation == "other_body" and m.section == "overview" and m.similarity == 1.0


def test_edited_copy_is_found_with_lower_similarity():
    edited = (PARAGRAPH.replace("严格落实", "认真执行").replace("每月抽查", "每季度检查")
              .replace("逐一登记", "建立台账"))
    source = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + edited + "\n" + OWN_B2)
    matches = CorpusIndex.build([source]).query(audited)
    assert len(matches) == 1
    assert covered(matches, audited, edited) >= 0.9
    assert 0.6 <= matches[0].similarity < 1.0
    assert covered(matches, audited, OWN_B) == 0.0


def test_numbers_changed_is_still_a_copy():
    original = "全年共收到政府信息公开申请38件，其中通过网络提交的31件，当面提交的7件，均在法定期限内作出答复，未发生逾期情况。"
    changed = "全年共收到政府信息公开申请52件，其中通过网络提交的40件，当面提交的12件，均在法定期限内作出答复，未发生逾期情况。"
    source = report("青山县人民政府", 2023, OWN_A + "\n" + original)
    audited = report("青山县人民政府", 2024, OWN_B + "\n" + changed)
    matches = CorpusIndex.build([source]).query(audited)
    assert len(matches) == 1
    assert covered(matches, audited, changed) >= 0.95
    # "7件" → "12件": one digit more, so not every masked character lines up
    assert matches[0].similarity >= 0.95


def test_template_text_is_never_reported():
    # Same body, consecutive years, identical preamble, period, e-version, contact lines and
    # headings; the narrative is different.
    a = report("青山县人民政府", 2023, OWN_A, problems="一是部分乡镇专栏更新滞后，栏目内容以转载上级文件为主。",
               other="信息处理费全年收取三笔。")
    b = report("青山县人民政府", 2024, OWN_B, problems="一是政策解读形式单一，图解和视频解读数量偏少。",
               other="本年度没有需要说明的其他情况。")
    assert CorpusIndex.build([a]).query(b, min_chars=1) == []


def test_relation_same_body_earlier_later_and_other_body():
    earlier = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    later = report("淮安市青山县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)  # the same body, qualified
    other = report("绿水县人民政府", 2022, OWN_B2 + "\n" + PARAGRAPH)
    index = CorpusIndex.build([earlier, later, other])
    relations = {(m.source_path, m.relation) for m in index.query(later)}
    assert relations == {(earlier.path, "same_body_earlier"), (other.path, "other_body")}
    relations = {(m.source_path, m.relation) for m in index.query(earlier)}
    assert relations == {(later.path, "same_body_later_or_same_year"), (other.path, "other_body")}
    # 绿水县 2022 cannot have copied 青山县 2023: a later report of another body is not a source.
    relations = {(m.source_path, m.relation) for m in index.query(other)}
    assert relations and {relation for _, relation in relations} == {"other_body_later"}


def test_the_report_itself_and_its_twin_are_not_sources():
    doc = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH, path="qingshan-2023.txt")
    twin = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH, path="qingshan-2023.pdf")
    assert CorpusIndex.build([doc, twin]).query(doc, min_chars=1) == []


def test_reuse_ratios_against_previous_year_and_corpus():
    y2022 = report("青山县人民政府", 2022, OWN_B2 + "\n" + OWN_B)
    y2023 = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    y2024 = report("青山县人民政府", 2024, PARAGRAPH + "\n" + OWN_B2)
    index = CorpusIndex.build([y2022, y2023, y2024])
    assert index.previous_reports(y2024) == [y2023.path]
    ratios = index.reuse_ratios(y2024, index.query(y2024))
    overview = ratios["overview"]
    share = len(PARAGRAPH) / (len(PARAGRAPH) + len(OWN_B2))
    assert overview["previous_year"] == pytest.approx(share, abs=0.05)
    assert overview["corpus"] == pytest.approx(1.0, abs=0.05)  # OWN_B2 is in the 2022 report
    assert overview["chars"] > 0
    assert set(ratios) == {s.key for s in y2024.sections}


def test_candidate_generation_agrees_with_exact_search():
    source = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    other = report("白石镇人民政府", 2023, OWN_B2)
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    exact = CorpusIndex.build([source, other], exact=True).query(audited)
    fast = CorpusIndex.build([source, other], exact=False).query(audited)
    assert [(m.start, m.end, m.source_path) for m in fast] == [(m.start, m.end, m.source_path) for m in exact]


def test_previous_year_share_does_not_depend_on_which_year_won_the_passage():
    # 2022 has PARAGRAPH and OWN_B2 together, 2023 only PARAGRAPH: 2022's longer span wins the
    # same-body source of 2024's text, yet last year's share is still PARAGRAPH's.
    y2022 = report("青山县人民政府", 2022, PARAGRAPH + OWN_B2)
    y2023 = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    y2024 = report("青山县人民政府", 2024, PARAGRAPH + OWN_B2)
    index = CorpusIndex.build([y2022, y2023, y2024])
    matches = index.query(y2024)
    earlier = [m for m in matches if m.relation == "same_body_earlier"]
    assert [m.source_path for m in earlier] == [y2022.path]
    overview = index.reuse_ratios(y2024, matches)["overview"]
    assert overview["previous_year"] == pytest.approx(len(PARAGRAPH) / (len(PARAGRAPH) + len(OWN_B2)), abs=0.05)
    assert overview["corpus"] == pytest.approx(1.0, abs=0.05)


def test_candidate_search_scores_each_wording_once_and_agrees_with_exact_search():
    # The same paragraph (its numbers changed) in several bodies' reports, an edited copy in
    # another: passages with the same wording share one vector, and every copy stays a source.
    edited = PARAGRAPH.replace("先审后发", "三审三校").replace("逐一登记", "建立台账")
    sources = [report(f"{place}人民政府", year, PARAGRAPH.replace("两期", count) + "\n" + OWN_A)
               for place, year, count in (("白石镇", 2021, "三期"), ("东河乡", 2023, "两期"), ("西山镇", 2023, "五期"))]
    sources += [report("南岭县人民政府", 2022, edited), report("北坡乡人民政府", 2023, OWN_B2)]
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    fast_index = CorpusIndex.build(sources, exact=False)
    # one vector per wording: fewer vectors than passages, and passages share one only when
    # their wording (numbers masked, spaces aside) is the same
    assert fast_index.vectors.shape[0] == len(set(fast_index.p_vector.tolist())) < fast_index.passage_count
    wording = {}
    for masked, v in zip(fast_index.p_masked, fast_index.p_vector.tolist()):
        assert wording.setdefault(v, masked.replace(" ", "")) == masked.replace(" ", "")
    assert len(set(wording.values())) == len(wording)
    exact = CorpusIndex.build(sources, exact=True).query(audited)
    fast = fast_index.query(audited)
    assert fast and [m.to_json() for m in fast] == [m.to_json() for m in exact]
    # among identical copies the most recent year, then the path, is the source
    assert {m.source_path for m in fast if m.text.startswith("全县各单位")} == {"东河乡人民政府-2023.txt"}


def test_save_and_load_without_pickle(tmp_path):
    source = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    index = CorpusIndex.build([source])
    path = tmp_path / "index.npz"
    index.save(str(path))
    with np.load(path, allow_pickle=False) as z:  # loads without pickle: plain arrays only
        assert z["meta"].dtype == np.uint8
    loaded = CorpusIndex.load(str(path))
    assert loaded.query(audited) == index.query(audited)


def test_normalize_agency_and_same_body():
    assert normalize_agency("淮安市洪泽区人民政府") == "淮安市洪泽区"
    assert normalize_agency("平潭综合实验区管委会") == "平潭综合实验区"
    assert normalize_agency("我单位") == ""
    assert same_body("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert same_body("平潭综合实验区", "平潭综合实验区管委会办公室")
    assert same_body("杭州市余杭区卫生健康局", "余杭区卫生健康局")
    assert not same_body("上海市", "上海市科委")
    assert not same_body("宿迁市", "淮安市")
    assert not same_body("长春市卫生健康委员会", "济宁市卫生健康委员会")
    assert not same_body("我单位", "我单位")
    assert not same_body(None, "洪泽区人民政府")


# --------------------------------------------------------------------------- real reports


@pytest.fixture(scope="module")
def pingtan(shared):
    full = shared / "real" / "full"
    return {n: parse_file(str(full / f"{n}.txt")) for n in ("100", "039", "012")}


def test_pingtan_2019_copies_2017(pingtan):
    index = CorpusIndex.build([pingtan["100"]])
    doc = pingtan["012"]
    matches = [m for m in index.query(doc) if m.relation == "same_body_earlier"]
    assert all(m.source_path == pingtan["100"].path and m.source_year == 2017 for m in matches)
    # the truth file's boilerplate defect names these passages
    assert covered(matches, doc, "着力推进征地拆迁信息公开，重点公开农用地转用和土地征收审批结果，"
                                 "及时公开征地告知书、征收土地公告") >= 0.9
    assert covered(matches, doc, "公开的长效工作机制建设不够“全”。虽然制定了政府信息公开工作相关制度，"
                                 "但仍然有待完善。") >= 0.9


def test_pingtan_2018_copies_2017(pingtan):
    index = CorpusIndex.build([pingtan["100"]])
    doc = pingtan["039"]
    matches = [m for m in index.query(doc) if m.relation == "same_body_earlier"]
    assert covered(matches, doc, "门户网站在“平潭综合实验区管委会网站”首页页面上专门开辟了“政府信息公开”模块") >= 0.9
    assert covered(matches, doc, "通过“依申请公开”子栏目，可以向相关部门单位提出信息公开申请，并查阅申请的处理情况") >= 0.9
    assert covered(matches, doc, "公众查阅点指定区行政服务中心、县档案馆、县图书馆为全区政府公开信息公众查阅场所") >= 0.9
    # the identical preamble is mandated template text: never a copied passage
    assert covered(matches, doc, "本报告的电子版可在“中国·平潭”政府门户网站") == 0.0
    ratios = index.reuse_ratios(doc, matches)
    assert ratios["active"]["previous_year"] > 0.5


def test_qingxi_2024_copies_2023():
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    previous = parse_file(str(corpus / "qingxi-county-2023.txt"))
    doc = parse_file(str(corpus / "qingxi-county-2024.html"))
    matches = CorpusIndex.build([previous]).query(doc)
    assert matches and all(m.relation == "same_body_earlier" for m in matches)
    assert covered(matches, doc, "严格执行政府信息公开前保密审查和“三审三校”制度") == 1.0
    assert covered(matches, doc, "将政务公开纳入县直部门和乡镇年度绩效考核") == 1.0
    assert covered(matches, doc, "依申请公开中“本机关不掌握”答复占比较高，告知申请人向有关机关申请的说明还不够具体。") == 1.0
    for m in matches:
        assert previous.text[m.source_start:m.source_end] == m.source_text


def test_statistic_clauses_and_stock_sentences_are_not_free_prose():
    from auditor.similarity.passages import free_prose_chars, mask_numbers, stock_flags

    listing = mask_numbers("我区主动公开的主要类别有：机构职能类信息211条，政策、规范性文件类信息82条，占76.9%。")
    flags = stock_flags(listing)
    assert not any(flags[:len("我区主动公开的主要类别有")])
    stretch = range(listing.index("机构"), listing.index("。"))
    assert all(flags[i] for i in stretch if listing[i] not in "，、")
    assert all(stock_flags(mask_numbers("2018年未收到有关政府信息公开行政复议、提起行政诉讼的申请。")))
    own = mask_numbers("在门户网站首页开辟“政府信息公开”模块，设置了相关栏目。")
    assert free_prose_chars(own) == len([c for c in own if c not in "“”，。"])


def test_section_reuse_is_measured_over_free_prose(shared):
    from auditor.checks import CheckContext

    full = shared / "real" / "full"
    ctx = CheckContext(doc=parse_file(str(full / "039.txt")), previous=parse_file(str(full / "100.txt")))
    ratios = ctx.reuse_ratios
    # 平潭 2018's 二 repeats 2017's category list with new numbers (fixed labels, not copying) and
    # also two descriptive paragraphs word for word (copying).
    assert 0.4 < ratios["active"]["previous_year"] < 0.7
    # "2018年未收到有关政府信息公开行政复议…的申请。" is all 四 says: nothing of it is free prose.
    assert ratios["appeals"]["chars"] == 0


def test_a_copied_passage_with_a_year_in_it_is_not_a_figure_left_unchanged(shared):
    from auditor.checks import run_checks
    from auditor.rules.loader import load_rules

    rule = [r for r in load_rules() if r.id == "SIM-SAME-FIGURES"]
    full = shared / "real" / "full"
    # 宿迁 2024 copies 2023 sentences that only share the year prefix "202x年": no figure repeats.
    found = run_checks(parse_file(str(full / "004.txt")), rule, previous=parse_file(str(full / "003.txt"))).findings
    assert found == []


# --------------------------------------------------------------------------- compact index


def test_index_builds_from_a_generator_read_once():
    # A batch passes worker results as they come: the index must not need them all at once,
    # and must equal the index of the same reports given as a list.
    docs = [report(f"{place}人民政府", 2023, PARAGRAPH + "\n" + own)
            for place, own in (("白石镇", OWN_A), ("东河乡", OWN_B), ("西山镇", OWN_B2))]
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    consumed = []

    def once():
        for d in docs:
            consumed.append(d.path)
            yield d

    streamed = CorpusIndex.build(once(), exact=False)
    assert consumed == [d.path for d in docs]
    listed = CorpusIndex.build(docs, exact=False)
    assert streamed.query(audited) and streamed.query(audited) == listed.query(audited)


def test_posting_lists_are_cut_but_every_copy_of_a_wording_is_found(monkeypatch):
    # Many bodies publish the same paragraph: the posting lists keep only their first entries
    # (bounded memory), df counts them all, and later reports, beyond any posting list, are
    # still found as sources: what candidate search finds is what exact search finds.
    import auditor.similarity.index as index_module
    monkeypatch.setattr(index_module, "POSTING_CAP", 2)
    monkeypatch.setattr(index_module, "POSTING_KEEP", 3)
    places = ["白石镇", "东河乡", "西山镇", "南岭乡", "北坡镇", "青山乡", "绿水镇"]
    docs = [report(f"{place}人民政府", 2018 + k, PARAGRAPH + "\n" + OWN_A.replace("青山县", place))
            for k, place in enumerate(places)]
    index = CorpusIndex.build(docs, exact=False)
    lengths = np.diff(index._post_ptr)
    assert lengths.max() == 3 and index._df.max() > 3
    audited = report("绿水县人民政府", 2020, OWN_B + "\n" + PARAGRAPH)
    matches = index.query(audited)
    later = [m for m in matches if m.relation == "other_body_later"]
    earlier = [m for m in matches if m.relation == "other_body"]
    # sources of both relations, though the posting lists reach only the first three reports
    assert covered(later, audited, PARAGRAPH) > 0.9 and covered(earlier, audited, PARAGRAPH) > 0.9
    assert {m.source_path for m in later} <= {d.path for d in docs[3:]}
    exact = CorpusIndex.build(docs, exact=True).query(audited)

    def by_relation(found):  # what bench/reuse_scale.py's recall compares
        return {(m.relation, m.start, m.end) for m in found}

    assert by_relation(matches) == by_relation(exact)


def test_candidate_search_finds_an_earlier_source_where_a_later_report_matches_best():
    # The audited report's first sentence is copied verbatim in a later report of another body
    # (its best match) and, edited, in an earlier one; four later reports share more of the rest,
    # so the earlier one is neither a passage's best nor among the best-scoring. Candidate search
    # must still compare it: its "other_body" source is as real as the later report's.
    first, rest = PARAGRAPH.split("。", 1)
    first += "。"
    edited = first.replace("先审后发", "三审三校")
    later = report("白石镇人民政府", 2022, first + "\n" + OWN_A)
    earlier = report("东河乡人民政府", 2018, edited + "\n" + OWN_B2, path="earlier.txt")
    fillers = [report(f"{place}人民政府", 2021 + k, rest + "\n" + OWN_B.replace("绿水县", place))
               for k, place in enumerate(("西山镇", "南岭乡", "北坡镇", "青山乡"))]
    audited = report("绿水县人民政府", 2020, PARAGRAPH)
    matches = CorpusIndex.build([later, earlier, *fillers], exact=False).query(audited)
    sources = {m.source_path for m in matches if m.relation == "other_body"}
    assert sources == {"earlier.txt"}
    assert covered([m for m in matches if m.relation == "other_body"], audited, first[2:-2]) == 1.0


def test_postings_of_a_report_with_thousands_of_passages():
    # A report's postings are packed (n-gram, passage) into 32 bits while its passages fit in
    # the bits the n-gram leaves; one with more passages takes the 64-bit path: its last
    # passages must be found by candidate search as its first ones are.
    lines = [f"第{k}号事项：{''.join(chr(0x4E00 + (k * 7 + j * 131) % 20000) for j in range(12))}。" for k in range(4200)]
    huge = report("青山县人民政府", 2023, "\n".join(lines))
    index = CorpusIndex.build([huge, report("东河乡人民政府", 2022, OWN_B2)], exact=False)
    assert index.passage_count > 4096
    for line in (lines[5], lines[4190]):
        audited = report("绿水县人民政府", 2024, OWN_B + "\n" + line)
        assert covered(index.query(audited, min_chars=10), audited, line[6:-1]) == 1.0


def test_sharing_reports_are_those_with_an_aligned_passage():
    # What incremental corpus checks ask: which indexed reports a new, changed or removed report
    # can share a passage with. A similar topic is not enough: the wording must align.
    from auditor.similarity.index import index_entry

    words = iter(["档案数字化进度偏慢，明年增配扫描设备。", "依申请答复文书格式不一，已印发范本。",
                  "村级公开栏受潮损坏，汛后统一更换。", "部分链接指向旧站，正逐条迁移核对。",
                  "培训覆盖面不足，拟开设线上课程。", "意见箱回复周期长，改为专人每周处理。"])

    def own(agency, year, overview):  # 五 in words no other report has, nothing in 六
        return report(agency, year, overview, problems=next(words), other="无。")

    edited = PARAGRAPH.replace("先审后发", "三审三校")
    docs = [own("白石镇人民政府", 2022, PARAGRAPH + "\n" + OWN_A),
            own("东河乡人民政府", 2023, edited),
            own("西山镇人民政府", 2023, OWN_B2),
            own("南岭乡人民政府", 2023, "全县各单位认真落实制度，公开内容准确规范，专栏更新及时。")]
    index = CorpusIndex.build(docs, exact=False)
    new = own("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    assert index.sharing_reports(entries=[index_entry(new)]) == {0, 1}
    assert index.sharing_reports(reports=[2]) == {2}
    assert index.sharing_reports(reports=[0], entries=[index_entry(own("北坡镇人民政府", 2023, OWN_B2))]) == {0, 1, 2}
    assert index.sharing_reports() == set()


def test_a_passage_repeating_an_ngram_hundreds_of_times():
    # Counts above 255 do not fit the compact uint8 counts: they must not wrap (a wrapped count
    # would change the vector and the cosine).
    odd = "村务栏" * 300 + "。"
    source = report("青山县人民政府", 2023, OWN_A + "\n" + odd + "\n" + PARAGRAPH)
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + odd + "\n" + PARAGRAPH)
    fast = CorpusIndex.build([source, report("东河乡人民政府", 2022, OWN_B2)], exact=False)
    assert fast.vectors.tf.dtype == np.uint16 and int(fast.vectors.tf.max()) > 255
    exact = CorpusIndex.build([source, report("东河乡人民政府", 2022, OWN_B2)], exact=True)
    assert fast.query(audited) == exact.query(audited) != []


def test_load_rejects_an_index_file_whose_postings_point_nowhere(tmp_path):
    source = report("青山县人民政府", 2023, OWN_A + "\n" + PARAGRAPH)
    index = CorpusIndex.build([source], exact=False)
    path = tmp_path / "index.npz"
    index.save(str(path))
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["post_idx"] = arrays["post_idx"] + 10_000  # passages that do not exist
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(ValueError, match="inconsistent"):
        CorpusIndex.load(str(bad))
    audited = report("绿水县人民政府", 2024, OWN_B + "\n" + PARAGRAPH)
    assert CorpusIndex.load(str(path)).query(audited) == index.query(audited) != []


def test_the_compiled_alignment_finds_the_blocks_difflib_finds():
    """The alignment of copy detection runs on cydifflib (difflib compiled); its matching blocks
    must be difflib's for any pair, or findings would change: repeated characters (the ties of
    find_longest_match), a popular character over 200 times (difflib's autojunk, off here),
    masked numbers, empty and identical strings."""
    import difflib
    import random

    from auditor.similarity import index as ix

    rng = random.Random(7)
    alphabet = "政府信息公开申请办理年度报告０#，。的了和"
    pairs = [("", ""), ("公开", ""), ("信息公开" * 80, "信息公开" * 79 + "申请"), ("的" * 300, "的" * 299 + "了"),
             ("本机关共收到#件申请，办结#件。", "本机关共收到#件申请，均已办结。")]
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        b = list(a)
        for _ in range(rng.randint(0, 30)):
            b.insert(rng.randint(0, len(b)), rng.choice(alphabet))
            if b and rng.random() < 0.5:
                b.pop(rng.randrange(len(b)))
        pairs.append((a, "".join(b)))
    assert ix.SequenceMatcher is not difflib.SequenceMatcher  # the compiled one is in use
    for a, b in pairs:
        got = ix.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        assert [tuple(m) for m in got] == [tuple(m) for m in difflib.SequenceMatcher(None, a, b, autojunk=False)
                                           .get_matching_blocks()], (a, b)
