"""Template text (auditor.similarity.template) applied fast — a prefilter on the characters a
match can start with, a probe translated only when it holds a full-width digit, remembered
sentences, formula runs without a per-character array — gives what the plain reading of
rules/template_text.yaml gives: every pattern compiled as written, tried everywhere."""

from __future__ import annotations

import re

from auditor import resources
from auditor.rules.data import load_data
from auditor.similarity.template import (
    _guarded, blank_template, formula_flags, formula_spans, is_template_sentence, template_rules,
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _plain_blank(text: str) -> str:
    """blank_template as the YAML file's header describes it, with nothing skipped."""
    data = load_data("template_text")
    probe = text.translate(_FULLWIDTH)
    if is_template_sentence(text):
        return " " * len(text)
    chars = list(text)
    prefix = max((m.end() for p in data["headings"] if (m := re.match(p, probe, re.S))), default=0)
    chars[:prefix] = " " * prefix
    for p in data["fragments"]:
        for m in re.finditer(p, probe, re.S):
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


HOSTILE = [
    "一、总体情况本机关联系电话：０５３１-８８８８８８８，邮箱：ab@c.cn，地址：某路1号电话：1234567）。",
    "（二）依申请公开情况。联系电话：12345，另联系电话：７６５４３２１联系电话：1111111。",
    "联系我们：地址电话邮箱均见网站；电子邮箱：x_y@z.org电话：",
    "办公地址：某街道（东门）电子邮箱：q@q.q）后文继续说明本机关做法。",
    "#  三、收到和处理政府信息公开申请情况：全年新收申请１２件。",
    "本机关推进政务公开标准化规范化建设，联系电话： 0000-5550001 转 8",
    "",
]


def test_blanking_equals_the_plain_reading_of_the_rules():
    for text in HOSTILE:
        assert blank_template(text) == _plain_blank(text), text
        assert len(blank_template(text)) == len(text)
    # something was blanked in each non-empty one: the test exercises headings and fragments
    assert all(blank_template(t) != t for t in HOSTILE if t)


def test_a_remembered_sentence_is_blanked_again_under_other_rules(tmp_path):
    sentence = "自定片段与正文在同一句中出现，本机关继续推进公开工作。"
    assert blank_template(sentence) == sentence  # remembered under the shipped rules
    (tmp_path / "template_text.yaml").write_text("fragments: ['(?:自定)?片段']\n", encoding="utf-8")
    resources.use(rules_dir=tmp_path)
    try:
        assert blank_template(sentence) == "    " + sentence[4:]
    finally:
        resources.use()
    assert blank_template(sentence) == sentence


def test_guard_keeps_every_match_of_a_pattern_with_optional_openings():
    source = r"(?:联系)?(?:办公)?电话[：:]\d+"
    text = "电话：1联系电话：22办公电话：333联系办公电话：4444联系：5电话:6"
    assert [m.span() for m in _guarded(source).finditer(text)] == [m.span() for m in re.finditer(source, text)]
    assert _guarded(source).pattern.startswith("(?=")
    # A pattern opening with a literal keeps the engine's own literal prefilter.
    assert _guarded("电话[：:]").pattern == "电话[：:]"


def test_formula_spans_are_the_runs_of_the_flags():
    rules = template_rules()
    text = ("坚持以习近平新时代中国特色社会主义思想为指导坚持以公开为常态、不公开为例外的原则，"
            "予以公开１２件部分公开3件，在市委、市政府的正确领导下，我们做了很多事。")
    spans = formula_spans(text, rules)
    flags = formula_flags(text, rules)
    runs = [(m.start(), m.end()) for m in re.finditer(b"\x01+", bytes(flags))]
    assert spans == runs
    # two formulas that touch make one run, and the full-width digits are read as digits
    assert spans[0] == (0, len("坚持以习近平新时代中国特色社会主义思想为指导坚持以公开为常态、不公开为例外的原则"))
    assert any(text[a:b] == "予以公开１２件部分公开3件" for a, b in spans)
    assert formula_spans("本机关没有套话。", rules) == []
