"""Splitting runs of digits printed without separators, under the tables' identities."""

from __future__ import annotations

from auditor.structure.tables.cells import Token, lex_inline
from auditor.structure.tables.split import appeal_row_checks, application_row_checks, cuts, readings


def toks(*texts: str) -> list[Token]:
    return [Token(t, "num") for t in texts]


def test_row_sum_decides_a_glued_row():
    found, how = readings(toks("21710000218"), 7, False, application_row_checks())
    assert how == "split"
    assert found == [("217", "1", "0", "0", "0", "0", "218")]


def test_row_sum_alone_leaves_ambiguity():
    found, _ = readings(toks("220000022"), 7, False, application_row_checks())
    assert set(found) == {("22", "0", "0", "0", "0", "0", "22"), ("2", "20", "0", "0", "0", "0", "22")}


def test_printed_spaces_are_cell_boundaries():
    found, _ = readings(toks("230", "000023"), 7, False, application_row_checks())
    assert found == [("23", "0", "0", "0", "0", "0", "23")]


def test_no_leading_zeros():
    assert all(not (p.startswith("0") and len(p) > 1) for c in cuts(toks("100153"), 3) for p in c)


def test_appeal_groups_sum_to_their_totals():
    found, _ = readings(toks("21317000001324019"), 15, False, appeal_row_checks())
    assert found == [tuple("2 1 3 1 7 0 0 0 0 0 13 2 4 0 19".split())]


def test_negative_change_keeps_its_sign():
    items = lex_inline("行政处罚2648-18538")
    nums = [Token(t, "num", g) for k, t, g in items if k == "num"]
    assert [t.text for t in nums] == ["2648", "-18538"]
    readings_ = list(cuts(nums, 3))
    assert ("2648", "-18", "538") in {tuple(c) for c in readings_}
    # A sign never stands alone or inside a cell.
    assert all(p.count("-") <= 1 and (not "-" in p or p.startswith("-")) and p != "-" for c in readings_ for p in c)


def test_enumerator_glued_to_a_run_is_a_label():
    items = lex_inline("国家秘密00000002.其他法律行政法规禁止公开")
    assert [(k, t) for k, t, _ in items][:3] == [("label", "国家秘密"), ("num", "0000000"), ("label", "2.")]


def test_too_few_values_are_right_aligned_as_blanks():
    found, how = readings([Token("", "blank"), Token("0", "num")], 7, True, application_row_checks())
    assert how == "aligned"
    assert found == [(None, None, None, None, None, None, "0")]


def test_a_row_ending_with_a_dangling_separator_has_an_empty_last_cell():
    from auditor.structure import build_document
    from auditor.model import SourceText, TextBlock

    text = ("某局2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量 | 821 | 35 |  |  | 2 | 1 | 859\n"
            "三、本年度办理结果 | （一）予以公开 | 258 | 12 |  |  | 1 | 1 | \n"
            "四、政府信息公开行政复议、行政诉讼情况\n"
            "5 |  |  | 2 | 7 | 8 |  |  | 1 | 9 |  |  |  |  | \n"
            "五、存在的主要问题及改进情况\n无。\n")
    doc = build_document(SourceText(path="<t>", format="txt", encoding="utf-8", blocks=(TextBlock(text),)))
    granted = doc.tables["applications"]["granted"]
    assert (granted["natural_person"], granted["commercial"], granted["total"]) == (258, 12, None)
    review = doc.tables["appeals"]["review"]
    assert (review["upheld"], review["pending"], review["total"]) == (5, 2, 7)
    assert doc.tables["appeals"]["litigation_direct"]["total"] == 9
