"""Formatters (text, json, sarif) on hand-made findings, so they do not depend on the checks."""

from __future__ import annotations

import json

import pytest

from auditor.checks import AuditResult
from auditor.checks.score import score_findings
from auditor.model import Finding, SourceText, Span, TextBlock
from auditor.report import sarif
from auditor.report.formats import FORMATTERS
from auditor.rules.rule import Rule
from auditor.structure import build_document

REPORT = """某县人民政府2023年政府信息公开工作年度报告
一、总体情况
本年度我县持续推进政务公开，各项工作取得新成效。
二、主动公开政府信息情况
主动公开政府信息1200条。
五、存在的主要问题及改进情况
一是公开内容还不够全面；下一步将进一步加强。
"""


@pytest.fixture(scope="module")
def doc():
    source = SourceText(path="reports/某县.txt", format="txt", encoding="utf-8",
                        blocks=(TextBlock(REPORT),))
    document = build_document(source)
    tables = dict(document.tables)
    tables["applications"] = {"new_received": {"total": 38}, "carried_over": {"total": 2}}
    from dataclasses import replace

    return replace(document, tables=tables)


def finding(doc, rule, phrase=None, *, severity="warning", category="vague", cells=(), evidence=None,
            section=None) -> Finding:
    span = None
    if phrase is not None:
        start = doc.text.index(phrase)
        span = Span(start, start + len(phrase), phrase)
        section = next((s.key for s in doc.sections if s.start <= start < s.end), None)
    return Finding(rule=rule, category=category, severity=severity, message=f"{rule} 的说明",
                   section=section, span=span, cells=tuple(cells), evidence=evidence or {},
                   fingerprint=f"fp-{rule}")


@pytest.fixture(scope="module")
def findings(doc):
    return [
        finding(doc, "VAG-PHRASES", "进一步加强", severity="info"),
        finding(doc, "CLM-RECEIVED", "主动公开政府信息1200条", severity="error", category="contradiction"),
        finding(doc, "TBL-I1", severity="error", category="table", section="applications",
                cells=["applications.new_received.total", "applications.carried_over.total"],
                evidence={"expression": "一、本年新收(38) = 38 ≠ 2 = 二、上年结转(2)"}),
        finding(doc, "STR-FEE", severity="warning", category="structure"),
    ]


@pytest.fixture(scope="module")
def result(doc, findings):
    return AuditResult(doc=doc, findings=findings, score=score_findings(findings))


RULES = [
    Rule(id="TBL-I1", kind="identity", category="table", severity="error",
         message="表三“{line}”列：{expression}", rationale="勾稽关系。", aliases=("TBL-01",)),
    Rule(id="VAG-PHRASES", kind="phrase", category="vague", severity="info",
         message="套话密集：{count}处", rationale="空话。"),
    Rule(id="STR-SECTION", kind="section", category="structure", severity="warning",
         message="缺少“{section}”部分", rationale="六部分。"),
]


def test_registry_has_the_four_formats():
    assert set(FORMATTERS) == {"text", "json", "sarif", "html"}


# --------------------------------------------------------------------------- json


def test_json_one_file_is_one_object(result):
    data = json.loads(FORMATTERS["json"]([result]))
    assert data == json.loads(json.dumps(result.to_json()))
    assert data["schema"] == "auditor.audit/1"
    assert "某县" in FORMATTERS["json"]([result])  # not \u-escaped


def test_json_several_files_is_an_array(result):
    data = json.loads(FORMATTERS["json"]([result, result]))
    assert isinstance(data, list) and len(data) == 2


# --------------------------------------------------------------------------- sarif


def test_sarif_structure(result, doc):
    log = json.loads(FORMATTERS["sarif"]([result], rules=RULES))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "auditor" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    # every selected rule (STR-SECTION did not fire) and every rule that fired (CLM, STR-FEE)
    assert ids == sorted({"TBL-I1", "VAG-PHRASES", "STR-SECTION", "CLM-RECEIVED", "STR-FEE"})
    for descriptor in driver["rules"]:
        assert {"id", "name", "shortDescription", "defaultConfiguration", "properties"} <= set(descriptor)
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert descriptor["properties"]["category"]
    tbl = driver["rules"][ids.index("TBL-I1")]
    assert tbl["shortDescription"]["text"] == "表三“…”列：…"
    assert tbl["fullDescription"]["text"] == "勾稽关系。" and tbl["deprecatedIds"] == ["TBL-01"]
    assert driver["rules"][ids.index("VAG-PHRASES")]["defaultConfiguration"]["level"] == "note"

    assert len(run["results"]) == len(result.findings)
    for sarif_result, f in zip(run["results"], result.findings):
        assert sarif_result["ruleId"] == f.rule
        assert ids[sarif_result["ruleIndex"]] == f.rule
        assert sarif_result["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity]
        assert sarif_result["message"]["text"] == f.message
        assert sarif_result["partialFingerprints"] == {"auditorFingerprint/v1": f.fingerprint}
        expected = {"category": f.category, "section": f.section, "cells": list(f.cells),
                    "evidence": f.evidence}
        if f.span is not None:
            expected["span"] = f.span.to_json()  # the offsets into the normalized text, as in json
        assert sarif_result["properties"] == expected
        [location] = sarif_result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "reports/%E6%9F%90%E5%8E%BF.txt"
        # A document built in memory has no file to point into: no region, the text instead.
        assert "region" not in physical
        if f.span is not None:
            assert location["message"]["text"] == f.span.text
        if f.section is not None:
            # the heading as printed, or the official one for a section the report lacks
            title = next((s.title for s in doc.sections if s.key == f.section),
                         "三、收到和处理政府信息公开申请情况")
            assert location["logicalLocations"] == [{"name": title, "kind": "section",
                                                     "fullyQualifiedName": f.section}]
        else:
            assert "logicalLocations" not in location


def test_sarif_region_points_into_the_file(tmp_path):
    """Lines and columns of the file on disk, whatever normalization did before the span."""
    from auditor.checks import AuditResult
    from auditor.structure import parse_file

    original = REPORT.replace("本年度", "\u3000\u3000本年度").replace("1200", "１２００")
    path = tmp_path / "report.txt"
    path.write_bytes(("\r\n\r\n" + original.replace("\n", "\r\n")).encode("gb18030"))
    document = parse_file(str(path))
    phrase = "主动公开政府信息1200条"
    start = document.text.index(phrase)
    found = Finding(rule="CLM-RECEIVED", category="contradiction", severity="error", message="m",
                    section="active", span=Span(start, start + len(phrase), phrase), cells=(),
                    evidence={}, fingerprint="fp")
    log = json.loads(FORMATTERS["sarif"]([AuditResult(doc=document, findings=[found], score={})]))
    [location] = log["runs"][0]["results"][0]["locations"]
    region = location["physicalLocation"]["region"]
    line = original.split("\n").index("主动公开政府信息１２００条。") + 3
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (line, 1, line, 14)
    assert region["snippet"]["text"] == "主动公开政府信息１２００条"
    source = path.read_bytes().decode("gb18030")
    assert source[region["charOffset"]:region["charOffset"] + region["charLength"]] == "主动公开政府信息１２００条"
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "active"


def test_sarif_is_deterministic(result):
    assert FORMATTERS["sarif"]([result], rules=RULES) == FORMATTERS["sarif"]([result], rules=list(reversed(RULES)))


def test_sarif_line_column_counts_code_points():
    from auditor.sourcemap import line_column

    text = "第一行\r\n第二行里的𠀀字"
    assert line_column(text, 0) == (1, 1)
    assert line_column(text, 3) == (1, 4)  # the "\r" ends line 1
    assert line_column(text, 5) == (2, 1)
    assert line_column(text, text.index("字")) == (2, 7)


def test_sarif_absolute_paths_become_file_uris(tmp_path):
    assert sarif.artifact_uri(str(tmp_path / "a.txt")).startswith("file:///")
    assert sarif.artifact_uri("corpus/a b.txt") == "corpus/a%20b.txt"


# --------------------------------------------------------------------------- text


def test_text_without_colour(result):
    out = FORMATTERS["text"]([result])
    assert "\x1b[" not in out
    assert out.startswith("某县人民政府2023年政府信息公开工作年度报告")
    assert "得分 " in out and "表格 " in out
    # sections in report order, findings without a section last
    order = [out.index(label) for label in ("【主动公开】", "【依申请公开】", "【问题及改进】", "【表格/全文】")]
    assert order == sorted(order)
    assert "错误 CLM-RECEIVED CLM-RECEIVED 的说明" in out
    assert "⟦主动公开政府信息1200条⟧" in out
    assert "下一步将⟦进一步加强⟧。" in out
    assert "单元格：表三“一、本年新收/总计”=38；表三“二、上年结转/总计”=2" in out
    assert "算式：一、本年新收(38) = 38 ≠ 2 = 二、上年结转(2)" in out
    assert out.rstrip().endswith("共 4 条发现：错误 2，警告 1，提示 1；按类别：结构 1，表格 1，矛盾 1，空泛 1。")


def test_text_context_is_cut_to_twenty_chars_within_the_line(doc):
    long_line = "甲" * 60 + "关键短语" + "乙" * 60
    source = SourceText(path="x.txt", format="txt", encoding="utf-8", blocks=(TextBlock("首行\n" + long_line + "\n末行"),))
    document = build_document(source)
    f = finding(document, "VAG-X", "关键短语")
    out = FORMATTERS["text"]([AuditResult(document, [f], score_findings([f]))])
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if "⟦" in line)
    # the quote is a block at the detail indent, wrapped at 80 columns
    quote = [line for line in lines[first:first + 2]]
    assert all(line.startswith("      ") for line in quote)
    assert "".join(line.strip() for line in quote) == "…" + "甲" * 20 + "⟦关键短语⟧" + "乙" * 20 + "…"


def test_text_with_colour_and_no_findings(doc, result):
    assert "\x1b[" in FORMATTERS["text"]([result], color=True)
    empty = AuditResult(doc, [], score_findings([]))
    out = FORMATTERS["text"]([empty, empty])
    assert "未发现问题。" in out and out.rstrip().endswith("2 份报告，共 0 条发现。")
