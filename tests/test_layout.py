"""auditor/layout.py: display widths, the output width, line breaking and formulas."""

from __future__ import annotations

import io

from auditor.layout import FORMULA, output_width, text_width, wrap, wrap_text

TBL_I5 = ("错误 TBL-I5 表四“行政复议”：结果维持+结果纠正+其他结果+尚未审结 ≠ 总计"
          "（总计(0) = 0 ≠ 11 = 维持(10)+纠正(1)+其他(0)+未审结(0)）")
TBL_I2 = ("错误 TBL-I2 表三“自然人”列：办理结果各项之和 ≠ （七）总计（（七）总计(20) = 20 ≠ 26 = "
          "（一）予以公开(6)+（二）部分公开(6)+1.不掌握(4)+3.补正后不明确(3)+2.重复申请(3)+（六）其他处理(4)（其余各项为0））")
TERMS = ["（七）总计(20)", "（一）予以公开(6)", "（二）部分公开(6)", "1.不掌握(4)", "3.补正后不明确(3)",
         "2.重复申请(3)", "（六）其他处理(4)（其余各项为0）"]


def test_east_asian_characters_are_two_columns():
    assert text_width("表三A") == 5
    assert text_width("（总计）") == 8
    assert text_width("e\u0301") == 1  # a combining accent takes no column
    assert text_width("…⟦x⟧") == 4  # ambiguous width counts one


def test_output_width(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert output_width(io.StringIO()) == 80  # not a terminal
    assert output_width(None) == 80
    monkeypatch.setenv("COLUMNS", "132")
    assert output_width(io.StringIO()) == 132
    monkeypatch.setenv("COLUMNS", "10")
    assert output_width(None) == 40  # too narrow to read: the minimum
    monkeypatch.setenv("COLUMNS", "wide")
    assert output_width(None) == 80


def test_formulas_are_found_as_whole_expressions():
    assert [m.group() for m in FORMULA.finditer(TBL_I5)] == ["总计(0) = 0 ≠ 11 = 维持(10)+纠正(1)+其他(0)+未审结(0)"]
    assert [m.group() for m in FORMULA.finditer("各项之和2603条不一致（82+80+21 = 183，相差1）")] == ["82+80+21 = 183"]
    balance = "新收+结转=办结+结转下年（21（收到申请21件） + 0（上年结转） = 21 ≠ 20 = 20（办结20件）+ 0（结转下年度））"
    assert FORMULA.search(balance).group().startswith("21（收到申请21件） + 0（上年结转） = 21 ≠ 20")
    assert FORMULA.search("办结率：办结12件 / 15件 = 80%，").group() == "办结12件 / 15件 = 80%"
    assert FORMULA.search("表二“行政许可/上一年”=空；表三“（七）总计/自然人”=20") is None  # cell lists are not formulas


def test_a_formula_that_fits_a_line_stays_on_one():
    lines = wrap_text(TBL_I5, 80, "  ", "    ")
    assert lines == ["  错误 TBL-I5 表四“行政复议”：结果维持+结果纠正+其他结果+尚未审结 ≠ 总计",
                     "    （总计(0) = 0 ≠ 11 = 维持(10)+纠正(1)+其他(0)+未审结(0)）"]
    for width in range(60, 120):
        assert any("总计(0) = 0 ≠ 11 = 维持(10)+纠正(1)+其他(0)+未审结(0)" in line
                   for line in wrap_text(TBL_I5, width, "  ", "    ")), width


def test_a_formula_longer_than_a_line_breaks_only_before_its_operators():
    for width in (50, 64, 80, 100):
        lines = wrap_text(TBL_I2, width, "  ", "    ")
        assert max(text_width(line) for line in lines) <= width
        for term in TERMS:
            assert any(term in line for line in lines), (width, term)
        for line in lines[1:]:
            assert line.startswith("    ") and not line.startswith("     ")
        formula_lines = [line.strip() for line in lines if "(" in line][1:]
        assert all(line[0] in "+=≠" for line in formula_lines), lines


def test_chinese_breaking_rules():
    text = "本机关收到申请2602条，办理完毕（含上年结转），“政府信息公开”工作规范TBL-I2-LONG-ID有序推进。" * 3
    for width in range(20, 60):
        lines = wrap_text(text, width)
        assert "".join(lines) == text
        assert max(text_width(line) for line in lines) <= width
        for line in lines[1:]:
            assert line[0] not in "，。）”"
        for line in lines[:-1]:
            assert line[-1] not in "（“"
        assert any("2602条" in line for line in lines)  # a number keeps its unit
        assert any("TBL-I2-LONG-ID" in line for line in lines)  # a Latin word is never split


def test_spaces_at_breaks_are_dropped_and_styles_kept():
    lines = wrap([("警告", "yellow"), (" VAG-X", "bold"), (" " + "甲" * 50, None)], 40, "  ", "    ")
    assert lines[0][:3] == [("  ", None), ("警告", "yellow"), (" VAG-X", "bold")]
    assert all(not part.endswith(" ") for line in lines for part, _ in line[-1:])
    assert [part for part, _ in lines[1]][0] == "    "


def test_a_word_longer_than_the_line_is_cut_where_it_overflows():
    path = "/very/long/" + "directory/" * 10 + "report.txt"
    lines = wrap_text(path, 40)
    assert "".join(lines) == path and max(text_width(line) for line in lines) <= 40
