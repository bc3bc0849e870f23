#!/usr/bin/env python3
"""Build the project's own sample 政府信息公开工作年度报告 and their ground truth.

Run:  /work/venv/bin/python corpus/make_samples.py

Every sample is ONE data model (meta, narrative, table values, deliberate defects);
the report files in several formats and corpus/truth/*.truth.json are both rendered
from it, so the truth can never disagree with what a file prints.  All bodies,
people, figures, addresses and phone numbers are invented.  Real reports live in
/work/shared/corpus as data; no sentence of theirs is used here.

The script is deterministic (fixed zip and PDF timestamps), overwrites its outputs,
then reads every output back (python-docx, pdfplumber, lxml, codecs) and checks it
against the model before printing a summary.
"""
from __future__ import annotations

import html
import io
import json
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
TRUTH_DIR = HERE / "truth"

# ---------------------------------------------------------------------------
# Table layouts (keys follow docs/contract.md; labels follow the official forms)
# ---------------------------------------------------------------------------

APPLICANTS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org"]
APP_COLUMNS = APPLICANTS + ["total"]
APPLICANT_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (group label, [(row key, leaf label)]) for the rows under 三、本年度办理结果.
RESULT_GROUPS_2021 = [
    (None, [("granted", "（一）予以公开")]),
    (None, [("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]),
    ("（三）不予公开", [
        ("withheld_state_secret", "1.属于国家秘密"),
        ("withheld_law_forbidden", "2.其他法律行政法规禁止公开"),
        ("withheld_security_stability", "3.危及“三安全一稳定”"),
        ("withheld_third_party", "4.保护第三方合法权益"),
        ("withheld_internal_affairs", "5.属于三类内部事务信息"),
        ("withheld_process_info", "6.属于四类过程性信息"),
        ("withheld_enforcement_file", "7.属于行政执法案卷"),
        ("withheld_query_item", "8.属于行政查询事项"),
    ]),
    ("（四）无法提供", [
        ("unable_no_info", "1.本机关不掌握相关政府信息"),
        ("unable_needs_creation", "2.没有现成信息需要另行制作"),
        ("unable_unclear", "3.补正后申请内容仍不明确"),
    ]),
    ("（五）不予处理", [
        ("declined_petition", "1.信访举报投诉类申请"),
        ("declined_repeat", "2.重复申请"),
        ("declined_publication", "3.要求提供公开出版物"),
        ("declined_excessive", "4.无正当理由大量反复申请"),
        ("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ]),
    ("（六）其他处理", [
        ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_misc", "3.其他"),
    ]),
]
# The 2019 form (and a 2021+ report that still uses it) prints （六） as one row.
RESULT_GROUPS_SINGLE_OTHER = RESULT_GROUPS_2021[:-1] + [(None, [("other_subtotal", "（六）其他处理")])]


def result_groups(single_other_row: bool):
    return RESULT_GROUPS_SINGLE_OTHER if single_other_row else RESULT_GROUPS_2021


def result_keys(single_other_row: bool) -> list[str]:
    return [key for _, rows in result_groups(single_other_row) for key, _ in rows]


def application_row_keys(single_other_row: bool) -> list[str]:
    return ["new_received", "carried_over", *result_keys(single_other_row),
            "total_processed", "carried_forward"]


APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
APPEAL_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# ---------------------------------------------------------------------------
# Data-model builders: totals are computed, so a clean sample is clean by
# construction; deliberate misprints go through `printed=` and nothing else.
# ---------------------------------------------------------------------------


def make_applications(*, new, carried, results, single_other_row=False,
                      printed=None, blank_applicants=False):
    """Table 三 as {row: {column: value}}.

    new, carried and every results[key] are six per-applicant counts; totals,
    （七）总计 and 结转下年度 are derived from them.  `printed` overrides cells
    with what the (defective) report prints instead."""
    keys = result_keys(single_other_row)
    unknown = set(results) - set(keys)
    assert not unknown, f"result rows not in this layout: {unknown}"
    zeros = [0] * 6
    leaves = {key: results.get(key, zeros) for key in keys}
    processed = [sum(leaves[k][i] for k in keys) for i in range(6)]
    forward = [new[i] + carried[i] - processed[i] for i in range(6)]
    assert min(forward) >= 0, f"more results than applications: {forward}"

    def row(values):
        return dict(zip(APPLICANTS, values)) | {"total": sum(values)}

    table = {"new_received": row(new), "carried_over": row(carried)}
    table |= {key: row(values) for key, values in leaves.items()}
    table |= {"total_processed": row(processed), "carried_forward": row(forward)}
    for (row_key, column), value in (printed or {}).items():
        assert column in table[row_key]
        table[row_key][column] = value
    if blank_applicants:
        for values in table.values():
            for column in APPLICANTS:
                values[column] = None
    return table


def make_appeals(*, review, direct, after, printed=None):
    """Table 四: each group is [upheld, corrected, other, pending]; total derived."""
    table = {}
    for group, parts in zip(APPEAL_GROUPS, (review, direct, after)):
        table[group] = dict(zip(APPEAL_COLUMNS, [*parts, sum(parts)]))
    for (group, column), value in (printed or {}).items():
        table[group][column] = value
    return table


def make_active_2021(*, regulations, normative, licensing, punishment, coercion, fees):
    """regulations/normative are (issued, repealed, in_force)."""
    def docs(t):
        return dict(zip(["issued", "repealed", "in_force"], t))
    return {
        "regulations": docs(regulations),
        "normative_documents": docs(normative),
        "licensing": {"decisions": licensing},
        "punishment": {"decisions": punishment},
        "coercion": {"decisions": coercion},
        "admin_fees": {"amount": fees},
    }


def make_active_2019(*, regulations, normative, licensing, other_services, punishment,
                     coercion, fees, procurement):
    """regulations/normative: (made, published, total_published); the four item rows:
    (previous, change, decisions); fees: (previous, change); procurement: (projects, amount)."""
    def docs(t):
        return dict(zip(["made", "published", "total_published"], t))

    def items(t):
        return dict(zip(["previous", "change", "decisions"], t))
    return {
        "regulations": docs(regulations),
        "normative_documents": docs(normative),
        "licensing": items(licensing),
        "other_services": items(other_services),
        "punishment": items(punishment),
        "coercion": items(coercion),
        "admin_fees": dict(zip(["previous", "change"], fees)),
        "procurement": dict(zip(["projects", "amount"], procurement)),
    }


def applicant_values(row: dict) -> list[int]:
    return [row[c] for c in APPLICANTS]


# ---------------------------------------------------------------------------
# The sample model
# ---------------------------------------------------------------------------

SECTION_HEADINGS = {
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
TABLE_SECTIONS = ("active", "applications", "appeals")

FORMATS = {
    # fmt: (extension, human description for README)
    "txt-tab": ("txt", "纯文本，表格以制表符分隔（类似种子文件）"),
    "txt-space": ("txt", "纯文本，仿 pdftotext -layout：空格对齐、硬换行、页码和换页符"),
    "md": ("md", "Markdown，管道表格（合并单元格展开为空格子）"),
    "html-qingxi": ("html", "政府网站页面（新式模板），表格用 rowspan/colspan"),
    "html-yunling": ("html", "政府网站页面（旧式表格布局，Word 导出的表格），rowspan/colspan"),
    "docx": ("docx", "Word 文档，表格含真实合并单元格"),
    "pdf": ("pdf", "PDF（reportlab，STSong-Light 字体，有文字层），带框线表格"),
}


@dataclass
class Section:
    key: str
    paragraphs: list[str] = field(default_factory=list)
    heading: str | None = None  # None: the standard heading

    @property
    def title(self) -> str:
        return self.heading or SECTION_HEADINGS[self.key]


@dataclass
class Sample:
    name: str           # file stem, also the truth file stem
    fmt: str            # key of FORMATS
    encoding: str       # python codec the file is written in
    agency: str
    year: int
    template: str       # "2021" or "2019": which table headings are printed
    title: str
    preamble: list[str]
    sections: list[Section]
    closing: list[str]  # signature and date lines
    published: str      # date shown on web pages
    active: dict
    applications: dict
    appeals: dict
    defects: list[dict] = field(default_factory=list)
    notes: str = ""
    procurement_unit_in_cell: bool = False  # 2019 form: "1286.45万元" inside the cell

    @property
    def filename(self) -> str:
        return f"{self.name}.{FORMATS[self.fmt][0]}"

    @property
    def single_other_row(self) -> bool:
        return "other_subtotal" in self.applications


def defect(category, rule_hint, description, severity, cells=()):
    return {"category": category, "rule_hint": rule_hint, "description": description,
            "cells": list(cells), "severity": severity}


def t(table: dict, row: str, column: str = "total"):
    """Shorthand for narrative f-strings: a cell of a table."""
    return table[row][column]


def appeals_count(appeals: dict, *groups) -> int:
    return sum(appeals[g]["total"] for g in groups)


def preamble_sentence_period(year: int) -> str:
    return f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"


# ---------------------------------------------------------------------------
# The samples.  Narrative figures are taken from the tables, so the only places
# where text and tables disagree are the deliberate, documented defects.
# ---------------------------------------------------------------------------

# Paragraphs the 2024 青溪县 report re-uses verbatim from 2023 (a boilerplate defect).
QINGXI_MGMT = ("（三）政府信息管理。严格执行政府信息公开前保密审查和“三审三校”制度，拟公开信息由承办股室初审、"
               "分管领导复审、办公室主要负责人终审，未经审查的信息不得上网。每季度对已公开的行政规范性文件开展"
               "一次清理，对失效、废止文件在原文位置加注标识，避免群众误用。")
QINGXI_OVERSIGHT = ("（五）监督保障。将政务公开纳入县直部门和乡镇年度绩效考核，分值占比不低于3%。县政府办公室每月"
                    "对各单位公开专栏进行巡查并通报问题，督促限期整改，全年未发生因政府信息公开引发的失泄密事件。")
QINGXI_PROBLEM_NOT_HELD = "依申请公开中“本机关不掌握”答复占比较高，告知申请人向有关机关申请的说明还不够具体。"


def qingxi_contact() -> str:
    return ("如对本报告有疑问，请与青溪县人民政府办公室联系（地址：青溪县城关镇府前街18号；邮编：000118；"
            "电话：0000-5550118；电子邮箱：qxzwgk@example.cn）。")


def qingxi_county_2023() -> Sample:
    apps = make_applications(
        new=[31, 4, 0, 0, 2, 1],
        carried=[2, 0, 0, 0, 0, 0],
        results={
            "granted": [12, 2, 0, 0, 1, 0],
            "partly_granted": [4, 1, 0, 0, 0, 0],
            "withheld_third_party": [1, 0, 0, 0, 0, 0],
            "withheld_process_info": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [7, 1, 0, 0, 0, 1],
            "unable_needs_creation": [1, 0, 0, 0, 0, 0],
            "declined_petition": [2, 0, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 0, 0, 0],
            "other_overdue_correction": [1, 0, 0, 0, 0, 0],
            "other_overdue_fee": [1, 0, 0, 0, 0, 0],
        })
    appeals = make_appeals(review=[2, 1, 0, 0], direct=[1, 0, 0, 1], after=[1, 0, 0, 0])
    active = make_active_2021(regulations=(0, 0, 0), normative=(6, 2, 41), licensing=3862,
                              punishment=1275, coercion=46, fees=2316.58)
    a, p, ac = apps, appeals, active
    lit = appeals_count(p, "litigation_direct", "litigation_after_review")
    sections = [
        Section("overview", [
            "2023年，青溪县人民政府以《条例》为遵循，把政务公开与优化营商环境、乡村振兴和民生实事结合起来推进，"
            f"全年通过县政府门户网站主动公开各类政府信息1486条，办理政府信息公开申请{t(a, 'total_processed')}件，"
            "公开工作总体平稳有序。",
            "（一）主动公开。全年在县政府门户网站发布政府文件、通知公告、人事信息、财政预决算等信息1486条，其中"
            f"县政府及县政府办公室文件63件。县政府本年制发行政规范性文件{ac['normative_documents']['issued']}件，"
            f"废止{ac['normative_documents']['repealed']}件，现行有效{ac['normative_documents']['in_force']}件，"
            "全部在“行政规范性文件”栏目集中公开，并同步发布文字解读和图解17篇。围绕义务教育招生、城乡居民医保缴费、"
            "耕地地力保护补贴等群众关注事项，编印政策问答4期。",
            "（二）依申请公开。县政府办公室作为依申请公开受理机构，统一登记、统一转办、统一答复。全年新收政府信息"
            f"公开申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，办结{t(a, 'total_processed')}件，"
            f"结转下年度继续办理{t(a, 'carried_forward')}件。申请内容主要集中在征地拆迁补偿、房屋权属和项目审批"
            f"三类。办结的申请中，予以公开{t(a, 'granted')}件，部分公开{t(a, 'partly_granted')}件。全年因政府"
            f"信息公开被申请行政复议{t(p, 'review')}件，其中结果维持{t(p, 'review', 'upheld')}件、结果纠正"
            f"{t(p, 'review', 'corrected')}件；被提起行政诉讼{lit}件，其中"
            f"{t(p, 'litigation_direct', 'pending') + t(p, 'litigation_after_review', 'pending')}件尚未审结。",
            QINGXI_MGMT,
            "（四）政府信息公开平台建设。完成县政府门户网站集约化迁移，关停更新不及时的政务新媒体账号3个，保留"
            "“青溪发布”微信公众号和视频号2个账号。政府信息公开专栏按照省级标准目录调整为12个一级栏目，县政务"
            "服务中心设置政府信息公开查阅点1处。",
            QINGXI_OVERSIGHT,
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。针对上年度报告提出的“依申请公开答复文书不够规范”问题，县政府办公室于"
            "2023年4月修订《青溪县政府信息公开申请办理规程》，统一了7类答复文书模板，全年答复文书复核无退回。",
            "（二）存在的主要问题。一是部分乡镇政府信息公开专栏更新滞后，年内巡查发现超过30日未更新的专栏5个；"
            "二是政策解读形式较为单一，以文字解读为主，图解、视频解读占比不足两成；三是" + QINGXI_PROBLEM_NOT_HELD,
            "（三）改进措施。一是2024年6月底前建立乡镇专栏更新月报制度，由县政府办公室每月通报；二是由县融媒体"
            "中心负责，对年度重点政策至少配发1件图解或短视频解读；三是修订答复文书模板，对“本机关不掌握”答复"
            "逐件写明负责公开该信息的机关名称和联系方式。",
        ]),
        Section("other", [
            "（一）信息处理费收取情况。本年度依据《政府信息公开信息处理费管理办法》向"
            f"{t(a, 'other_overdue_fee')}名申请人发出收费通知，申请人逾期未缴纳费用，相关申请依规不再处理，"
            "全年实际收取信息处理费0元。",
            "（二）人大代表建议和政协提案办理情况。全年承办县人大代表建议42件、县政协提案57件，均已按期办结，"
            "答复内容经提出人同意后依法公开。",
            "（三）政务公开工作考核和责任追究情况。县政府对上年度政务公开工作考核排名后三位的单位进行了约谈，"
            "本年度未发生需要追究责任的情形。",
        ]),
    ]
    return Sample(
        name="qingxi-county-2023", fmt="txt-tab", encoding="utf-8",
        agency="青溪县人民政府", year=2023, template="2021",
        title="青溪县人民政府2023年政府信息公开工作年度报告",
        preamble=[
            "本报告由青溪县人民政府办公室根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称"
            "《条例》）和政府信息公开工作年度报告格式要求编制，包括总体情况、主动公开政府信息情况、收到和处理"
            "政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的"
            "事项六个部分。" + preamble_sentence_period(2023) + "本报告电子版可在青溪县人民政府门户网站"
            "“政府信息公开”专栏查阅下载。" + qingxi_contact(),
        ],
        sections=sections, closing=["青溪县人民政府办公室", "2024年3月15日"], published="2024-03-15",
        active=active, applications=apps, appeals=appeals,
        notes="县政府本级报告，各项勾稽关系均成立；（六）2逾期未缴费1件，第六部分相应说明了发出收费通知、"
              "实际收费0元。是青溪县人民政府2024年报告（qingxi-county-2024.html）的上年报告。",
    )


def qingxi_county_2024(prev: Sample) -> Sample:
    carried = applicant_values(prev.applications["carried_forward"])  # X1 holds by construction
    apps = make_applications(
        new=[23, 3, 1, 0, 0, 1],
        carried=carried,
        results={
            "granted": [10, 1, 1, 0, 1, 0],
            "partly_granted": [3, 1, 0, 0, 0, 0],
            "withheld_security_stability": [1, 0, 0, 0, 0, 0],
            "withheld_internal_affairs": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [5, 1, 0, 0, 0, 1],
            "unable_unclear": [1, 0, 0, 0, 0, 0],
            "declined_publication": [1, 0, 0, 0, 0, 0],
        })
    appeals = make_appeals(review=[1, 0, 1, 0], direct=[0, 0, 0, 1], after=[0, 0, 0, 0])
    prev_nd = prev.active["normative_documents"]
    issued, repealed = 5, 3
    active = make_active_2021(regulations=(0, 0, 0),
                              normative=(issued, repealed, prev_nd["in_force"] + issued - repealed),
                              licensing=4105, punishment=1190, coercion=38, fees=2208.4)
    a, p, ac = apps, appeals, active
    claimed_received = 30  # deliberately not the table's new_received (28)
    claim = f"全年共收到政府信息公开申请{claimed_received}件"
    assert claimed_received not in (t(a, "new_received"), t(a, "new_received") + t(a, "carried_over"))
    sections = [
        Section("overview", [
            "2024年，青溪县人民政府围绕“高效办成一件事”和基层政务公开标准化规范化建设，持续优化公开内容和"
            "渠道，全年主动公开政府信息1523条。",
            f"（一）主动公开。本年制发行政规范性文件{ac['normative_documents']['issued']}件，废止"
            f"{ac['normative_documents']['repealed']}件，截至年底现行有效{ac['normative_documents']['in_force']}件，"
            "均在县政府门户网站集中公开。全年发布政策解读21篇，其中图解和短视频解读8篇。财政预决算、“三公”"
            "经费、政府债务等信息均在规定时限内公开。",
            f"（二）依申请公开。{claim}，办结{t(a, 'total_processed')}件，另有{t(a, 'carried_forward')}件"
            "结转下年度办理。申请内容集中在土地征收补偿、不动产登记和城市更新项目。全年因政府信息公开被申请"
            f"行政复议{t(p, 'review')}件，被提起行政诉讼{t(p, 'litigation_direct')}件，尚未审结。",
            QINGXI_MGMT,
            "（四）政府信息公开平台建设。完成政府信息公开专栏适老化和无障碍改造，上线依申请公开在线办理系统，"
            "申请人可在线提交申请、查询办理进度。“青溪发布”微信公众号全年推送政务信息640条。",
            QINGXI_OVERSIGHT,
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。乡镇专栏更新月报制度已于2024年5月建立，全年通报8次，超过30日未更新的"
            "乡镇专栏由5个减少到1个；年度重点政策均配发了图解或短视频解读。",
            "（二）存在的主要问题。一是" + QINGXI_PROBLEM_NOT_HELD + "二是县直部门政策解读与文件同步发布率不高，"
            "全年有9件文件的解读晚于文件发布3日以上。",
            "（三）改进措施。一是2025年3月底前将“本机关不掌握”答复的告知内容纳入答复文书复核清单，由县政府"
            "办公室法制审核人员逐件把关；二是将解读同步发布率纳入2025年度绩效考核，对晚于文件发布的解读逐件通报。",
        ]),
        Section("other", [
            "（一）信息处理费收取情况。本年度未收取政府信息公开信息处理费。",
            "（二）政务公开工作考核情况。2024年度政务公开考核结果已在县政府门户网站公布，考核结果为“较差”的"
            "单位0个。",
        ]),
    ]
    defects = [
        defect("contradiction", "contradiction.narrative_vs_table.applications",
               f"叙述写“{claim}”，表三本年新收为{t(a, 'new_received')}件；加上年结转{t(a, 'carried_over')}件"
               f"为{t(a, 'new_received') + t(a, 'carried_over')}件，也不是{claimed_received}件。",
               "warning", ["applications.new_received.total"]),
        defect("boilerplate", "boilerplate.previous_year",
               "总体情况中“（三）政府信息管理”“（五）监督保障”两段与2023年报告逐字相同；第五部分问题“"
               + QINGXI_PROBLEM_NOT_HELD + "”也与2023年报告相同（2023年为“三是”，本年为“一是”）。"
               "（对照：qingxi-county-2023.txt）",
               "info"),
    ]
    return Sample(
        name="qingxi-county-2024", fmt="html-qingxi", encoding="utf-8",
        agency="青溪县人民政府", year=2024, template="2021",
        title="青溪县人民政府2024年政府信息公开工作年度报告",
        preamble=[
            "本报告由青溪县人民政府办公室根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称"
            "《条例》）编制。" + preamble_sentence_period(2024) + "本报告电子版可在青溪县人民政府门户网站"
            "“政府信息公开”专栏查阅下载。" + qingxi_contact(),
        ],
        sections=sections, closing=["青溪县人民政府办公室", "2025年3月20日"], published="2025-03-20",
        active=active, applications=apps, appeals=appeals, defects=defects,
        notes="与2023年报告（qingxi-county-2023.txt）衔接：表三上年结转逐列等于2023年结转下年度"
              f"（总计{t(a, 'carried_over')}）；行政规范性文件现行有效 {prev_nd['in_force']}+{issued}−{repealed}"
              f"={ac['normative_documents']['in_force']}。表内各项勾稽关系均成立。报告标题在页面 h1 和 title 中，"
              "正文 div#zoom 从编制说明开始，不重复标题。",
    )


def qingxi_natres_2022() -> Sample:
    apps = make_applications(
        new=[14, 3, 0, 0, 1, 0],
        carried=[1, 0, 0, 0, 0, 0],
        single_other_row=True,  # layout defect: 2021 headings, 2019-style （六） row
        results={
            "granted": [6, 2, 0, 0, 0, 0],
            "partly_granted": [2, 0, 0, 0, 1, 0],
            "withheld_third_party": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [4, 1, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 0, 0, 0],
            "other_subtotal": [1, 0, 0, 0, 0, 0],
        })
    appeals = make_appeals(review=[1, 0, 0, 0], direct=[0, 0, 0, 0], after=[0, 0, 0, 0])
    active = make_active_2021(regulations=(0, 0, 0), normative=(2, 1, 9), licensing=412,
                              punishment=57, coercion=3, fees=186.52)
    a, p, ac = apps, appeals, active
    assert t(a, "carried_forward") == 0  # the text says everything was handled
    wrong_period = preamble_sentence_period(2021)  # left over from last year's report
    sections = [
        Section("overview", [
            "2022年，青溪县自然资源局围绕国土空间规划编制、耕地保护和不动产登记便民改革等重点工作，依法做好"
            "政府信息公开。",
            "（一）主动公开。全年在县政府门户网站部门专栏发布信息318条，主要包括土地征收启动公告、征地补偿安置"
            "方案、建设用地批准结果、国有建设用地使用权出让公告和矿业权出让信息等。本年制发行政规范性文件"
            f"{ac['normative_documents']['issued']}件、废止{ac['normative_documents']['repealed']}件，现行有效"
            f"{ac['normative_documents']['in_force']}件。",
            f"（二）依申请公开。本年度新收政府信息公开申请{t(a, 'new_received')}件，上年结转"
            f"{t(a, 'carried_over')}件，全部办结。申请人以被征收土地农户为主，内容多涉及征地批复文件和补偿标准。",
            "（三）政府信息管理。对以往发布的征地信息逐条核对，补齐缺失的征地告知书扫描件26份；涉及个人信息的"
            "补偿名册一律在公开前去除身份证号码和银行账号。",
            "（四）政府信息公开平台建设。在部门专栏新增“征地信息公开”子栏目，按项目归集征地各环节信息，群众可"
            "按乡镇和年份检索。",
            "（五）监督保障。局办公室明确1名专职人员负责信息发布审核，局主要负责人每半年听取一次公开工作汇报。"
            f"本年度被申请行政复议{t(p, 'review')}件，结果维持，未发生行政诉讼。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "存在的主要问题：一是征地信息公开的及时性不够，个别项目补偿安置方案公告晚于规定时间发布；二是不动产"
            "登记业务咨询多通过电话答复，网上常见问题解答更新不及时。",
            "改进措施：一是建立征地项目信息公开台账，由耕地保护股在批复下达后5个工作日内发布；二是2023年第一"
            "季度完成不动产登记常见问题解答修订，此后每季度更新一次。",
        ]),
        Section("other", ["本年度未收取政府信息公开信息处理费，无其他需要报告的事项。"]),
    ]
    defects = [
        defect("structure", "structure.layout_mismatch",
               "2022年报告按2021版格式制表（表二为“本年制发件数/本年废止件数/现行有效件数”），但表三“（六）"
               "其他处理”只印一行（2019版格式），没有分1–3项。", "warning",
               [f"applications.other_subtotal.{c}" for c in APP_COLUMNS]),
        defect("structure", "structure.title_year",
               f"标题和正文的报告年度是2022年，统计期限却写作“{wrong_period}”，与报告年度不符（沿用了上年的句子）。",
               "warning"),
    ]
    return Sample(
        name="qingxi-natres-2022", fmt="md", encoding="utf-8",
        agency="青溪县自然资源局", year=2022, template="2021",
        title="青溪县自然资源局2022年政府信息公开工作年度报告",
        preamble=[
            "根据《中华人民共和国政府信息公开条例》（国务院令第711号）规定，现公布青溪县自然资源局2022年政府"
            "信息公开工作年度报告。" + wrong_period + "本报告可在青溪县人民政府门户网站“部门信息公开—青溪县"
            "自然资源局”栏目查阅。如对本报告有疑问，请与青溪县自然资源局办公室联系（电话：0000-5552306）。",
        ],
        sections=sections, closing=["青溪县自然资源局", "2023年1月16日"], published="2023-01-16",
        active=active, applications=apps, appeals=appeals, defects=defects,
        notes="县政府部门报告。表三（六）按2019版只印一行，记为 other_subtotal；各列勾稽关系成立"
              f"（新收{t(a, 'new_received')}+结转{t(a, 'carried_over')}=办结{t(a, 'total_processed')}+0）。"
              "Markdown 表格由合并单元格展开而来：被合并的位置是空格子，表头占前几行。"
              "是 qingxi-natres-2023.docx 的上年报告。",
    )


def qingxi_natres_2023(prev: Sample) -> Sample:
    carried = applicant_values(prev.applications["carried_forward"])
    apps = make_applications(
        new=[19, 4, 0, 1, 1, 0],
        carried=carried,
        results={
            "granted": [6, 2, 0, 1, 0, 0],
            "partly_granted": [3, 1, 0, 0, 0, 0],
            "withheld_law_forbidden": [1, 0, 0, 0, 0, 0],
            "withheld_query_item": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [4, 1, 0, 0, 0, 0],
            "unable_needs_creation": [1, 0, 0, 0, 0, 0],
            "declined_confirmation": [1, 0, 0, 0, 0, 0],
            "other_overdue_correction": [1, 0, 0, 0, 0, 0],
            "other_misc": [0, 0, 0, 0, 1, 0],
        })
    appeals = make_appeals(review=[0, 1, 0, 0], direct=[1, 0, 0, 0], after=[0, 0, 0, 0])
    prev_nd = prev.active["normative_documents"]
    issued, repealed = 3, 1
    active = make_active_2021(regulations=(0, 0, 0),
                              normative=(issued, repealed, prev_nd["in_force"] + issued - repealed),
                              licensing=455, punishment=61, coercion=2, fees=173.95)
    a, p, ac = apps, appeals, active
    assert t(a, "carried_over") == 0
    sections = [
        Section("overview", [
            "2023年，青溪县自然资源局在县政府办公室指导下，重点做好国土空间总体规划公示、征地信息公开和"
            "不动产登记办事指南更新，主动公开与依申请公开工作有序开展。",
            "（一）主动公开。全年发布各类信息342条。县级国土空间总体规划草案于2023年8月公示30日，收到书面意见"
            "37条，意见采纳情况已随规划批复一并公开。本年制发行政规范性文件"
            f"{ac['normative_documents']['issued']}件，废止{ac['normative_documents']['repealed']}件，现行有效"
            f"{ac['normative_documents']['in_force']}件。",
            f"（二）依申请公开。全年新收申请{t(a, 'new_received')}件，上年无结转，办结{t(a, 'total_processed')}件，"
            f"{t(a, 'carried_forward')}件因需征求第三方意见结转至2024年继续办理。予以公开和部分公开合计"
            f"{t(a, 'granted') + t(a, 'partly_granted')}件，因本机关不掌握相关信息告知申请人的"
            f"{t(a, 'unable_no_info')}件。",
            "（三）政府信息管理。征地补偿名册等含个人信息的材料，公开前由承办股室和局法制股双人核对脱敏，全年"
            "未发生个人信息泄露。",
            "（四）政府信息公开平台建设。“征地信息公开”子栏目全年新增项目14个；不动产登记常见问题解答于"
            "2023年3月完成修订，共收录问答86条。",
            f"（五）监督保障。本年度被申请行政复议{t(p, 'review')}件，结果纠正{t(p, 'review', 'corrected')}件，"
            "系一件申请的答复告知不完整，已按复议决定重新答复；被直接提起行政诉讼"
            f"{t(p, 'litigation_direct')}件，法院判决维持。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。征地项目信息公开台账已于2023年2月建立，全年14个征地项目的补偿安置方案"
            "均在批复下达后5个工作日内公告；不动产登记常见问题解答已按季度更新。",
            "（二）存在的问题。一是行政复议纠正1件，反映出答复前的法制审核不够严格；二是规划类信息专业性强，"
            "公开后群众理解困难。",
            "（三）改进措施。一是自2024年1月起所有依申请公开答复书经局法制股审核后出具；二是规划公示时同步发布"
            "通俗版说明和示意图，由国土空间规划股负责。",
        ]),
        Section("other", ["本年度未收取政府信息公开信息处理费。"]),
    ]
    return Sample(
        name="qingxi-natres-2023", fmt="docx", encoding="binary",
        agency="青溪县自然资源局", year=2023, template="2021",
        title="青溪县自然资源局2023年政府信息公开工作年度报告",
        preamble=[
            "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制，由青溪县自然资源局办公室"
            "负责整理。" + preamble_sentence_period(2023) + "如对本报告有疑问，请与青溪县自然资源局办公室联系"
            "（地址：青溪县城关镇河滨路66号，电话：0000-5552306）。",
        ],
        sections=sections, closing=["青溪县自然资源局", "2024年1月18日"], published="2024-01-18",
        active=active, applications=apps, appeals=appeals,
        notes="与2022年报告（qingxi-natres-2022.md）衔接：上年结转0等于2022年结转下年度0；行政规范性文件现行"
              f"有效 {prev_nd['in_force']}+{issued}−{repealed}={ac['normative_documents']['in_force']}。"
              "表内各项勾稽关系均成立。",
    )


def yunling_contact() -> str:
    return "如对本报告有疑问，请与云岭市生态环境局办公室联系（地址：云岭市青年路208号；电话：0000-5553120）。"


def yunling_eco_2019() -> Sample:
    apps = make_applications(
        new=[26, 9, 2, 3, 1, 0],
        carried=[1, 1, 0, 0, 0, 0],
        single_other_row=True,  # the 2019 form
        results={
            "granted": [11, 4, 1, 2, 0, 0],
            "partly_granted": [5, 2, 0, 1, 0, 0],
            "withheld_third_party": [0, 1, 0, 0, 0, 0],
            "withheld_process_info": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [6, 2, 1, 0, 1, 0],
            "declined_petition": [2, 0, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 0, 0, 0],
            "other_subtotal": [1, 0, 0, 0, 0, 0],
        })
    appeals = make_appeals(review=[2, 0, 0, 0], direct=[1, 0, 0, 0], after=[0, 0, 0, 0])
    active = make_active_2019(regulations=(0, 0, 0), normative=(3, 3, 17),
                              licensing=(12, -1, 386), other_services=(8, 0, 214),
                              punishment=(95, 4, 268), coercion=(6, 0, 21), fees=(2, 0),
                              procurement=(14, 1286.45))
    a, p, ac = apps, appeals, active
    sections = [
        Section("overview", [
            "2019年是新修订《条例》施行的第一年。云岭市生态环境局按照新《条例》要求，重新编制了本局政府信息公开"
            "指南和主动公开目录，调整依申请公开受理流程，将答复期限由15个工作日调整为20个工作日，并在局门户网站"
            "醒目位置公示。",
            "（一）主动公开。全年主动公开信息1062条，其中环境质量月报12期、重点排污单位名录1批、建设项目环境"
            f"影响评价受理和审批公示233条、行政处罚决定{ac['punishment']['decisions']}件。本年新制作并公开规范性"
            f"文件{ac['normative_documents']['made']}件，截至年底对外公开规范性文件共"
            f"{ac['normative_documents']['total_published']}件。",
            f"（二）依申请公开。全年新收申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，办结"
            f"{t(a, 'total_processed')}件，结转2020年继续办理{t(a, 'carried_forward')}件。申请主要涉及建设项目"
            "环评文件、企业排污许可执行报告和信访投诉处理结果。",
            "（三）政府信息管理。建立公开属性源头认定制度，公文拟稿时同步标注“主动公开”“依申请公开”或“不予"
            "公开”，全年认定主动公开公文148件。",
            "（四）政府信息公开平台建设。局门户网站设立“环境信息公开”专栏，下设环境质量、污染源监管、建设项目"
            "环评、行政执法等9个子栏目。",
            f"（五）监督保障。局政务公开领导小组全年召开专题会议2次。被申请行政复议{t(p, 'review')}件，均维持"
            f"原答复；被提起行政诉讼{t(p, 'litigation_direct')}件，法院判决驳回原告诉讼请求。",
        ]),
        Section("active"),
        Section("applications"),
        # A heading wording seen in practice; still section 四.
        Section("appeals", heading="四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        Section("problems", [
            "主要问题：一是新《条例》施行后，部分科室对“不予公开”情形的把握不准；二是环评公示信息分散在多个"
            "栏目，查找不便。",
            "改进措施：一是2020年上半年组织全局业务科室开展新《条例》专题培训不少于2次；二是2020年9月底前将"
            "环评受理、拟审批和审批结果三个环节的公示合并到同一项目页面。",
        ]),
        Section("other", ["本年度未收取政府信息公开检索、复制、邮寄等费用。"]),
    ]
    return Sample(
        name="yunling-eco-2019", fmt="pdf", encoding="binary",
        agency="云岭市生态环境局", year=2019, template="2019",
        title="云岭市生态环境局2019年政府信息公开工作年度报告",
        preamble=[
            "本报告根据新修订的《中华人民共和国政府信息公开条例》（国务院令第711号）和政府信息公开工作年度报告"
            "格式（国办公开办函〔2019〕60号）要求编制。" + preamble_sentence_period(2019) + yunling_contact(),
        ],
        sections=sections, closing=["云岭市生态环境局", "2020年1月20日"], published="2020-01-20",
        active=active, applications=apps, appeals=appeals, procurement_unit_in_cell=True,
        notes="2019版格式：表二五个子表（含“其他对外管理服务事项”和第二十条第（九）项政府集中采购），"
              "表三（六）其他处理只有一行（other_subtotal）。政府集中采购的采购总金额单元格写作“1286.45万元”"
              "（单位在格内），记为 1286.45。行政许可“本年增/减”为 -1，是合法的负数，不是错误。第四部分标题写作"
              "“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”，仍是 appeals。各项勾稽关系均成立。",
    )


def yunling_eco_2020(prev: Sample) -> Sample:
    carried = applicant_values(prev.applications["carried_forward"])
    apps = make_applications(
        new=[33, 11, 1, 2, 2, 1],
        carried=carried,
        single_other_row=True,
        results={
            "granted": [14, 5, 1, 1, 0, 0],
            "partly_granted": [6, 3, 0, 0, 0, 0],
            "withheld_security_stability": [1, 0, 0, 0, 0, 0],
            "withheld_third_party": [1, 1, 0, 0, 0, 0],
            "withheld_enforcement_file": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [7, 2, 0, 1, 1, 0],
            "unable_unclear": [1, 0, 0, 0, 0, 0],
            "declined_petition": [1, 0, 0, 0, 0, 0],
            "other_subtotal": [1, 0, 0, 0, 1, 0],
        })
    appeals = make_appeals(review=[1, 1, 0, 0], direct=[0, 0, 1, 0], after=[1, 0, 0, 0])
    pa = prev.active

    def carry(row, change, decisions):
        # 上一年项目数量 continues last year's count plus last year's change.
        return (pa[row]["previous"] + pa[row]["change"], change, decisions)
    made = 2
    active = make_active_2019(
        regulations=(0, 0, 0),
        normative=(made, made, pa["normative_documents"]["total_published"] + made),
        licensing=carry("licensing", 0, 402), other_services=carry("other_services", 1, 236),
        punishment=carry("punishment", -3, 231), coercion=carry("coercion", 1, 17),
        fees=(pa["admin_fees"]["previous"] + pa["admin_fees"]["change"], -1),
        procurement=(11, 964.37))
    a, p, ac = apps, appeals, active
    sections = [
        Section("overview", [
            "2020年，云岭市生态环境局在做好疫情防控期间医疗废物和医疗废水监管信息发布的同时，按计划推进环评"
            "审批、排污许可和环境执法信息公开。",
            "（一）主动公开。全年主动公开信息1145条，发布医疗废物处置情况专报36期，建设项目环评审批公示251条。"
            f"本年新制作并公开规范性文件{ac['normative_documents']['made']}件，对外公开规范性文件累计"
            f"{ac['normative_documents']['total_published']}件。",
            f"（二）依申请公开。全年新收申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，办结"
            f"{t(a, 'total_processed')}件，结转下年度{t(a, 'carried_forward')}件。与上年相比，商业企业申请增加，"
            "主要涉及排污许可证核发和环评批复。",
            "（三）政府信息管理。对2015年以来发布的规范性文件开展一次全面清理，公布继续有效、失效和废止目录。",
            "（四）政府信息公开平台建设。2020年9月完成环评公示页面整合，每个建设项目的受理、拟审批和审批结果"
            "公示在同一页面展示。",
            f"（五）监督保障。全年被申请行政复议{t(p, 'review')}件，其中结果纠正{t(p, 'review', 'corrected')}件；"
            f"被提起行政诉讼{appeals_count(p, 'litigation_direct', 'litigation_after_review')}件，其中复议后起诉"
            f"{t(p, 'litigation_after_review')}件。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。2020年4月和10月分两次开展新《条例》培训，覆盖全部业务科室；环评公示页面"
            "整合已于2020年9月完成。",
            "（二）存在的问题。一是依申请公开答复中对第三方意见征询的记录不完整；二是县级分局信息公开工作人员"
            "变动频繁。",
            "（三）改进措施。一是2021年起使用统一的第三方意见征询函模板并留存回执；二是各县级分局确定信息公开"
            "联络员，人员变动时须在10个工作日内报局办公室备案。",
        ]),
        Section("other", [
            "本年度未收取政府信息公开相关费用。按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
            "自2021年1月1日起依规收取信息处理费。",
        ]),
    ]
    return Sample(
        name="yunling-eco-2020", fmt="txt-tab", encoding="utf-8-sig",
        agency="云岭市生态环境局", year=2020, template="2019",
        title="云岭市生态环境局2020年政府信息公开工作年度报告",
        preamble=[
            "本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号）要求编制。"
            + preamble_sentence_period(2020) + yunling_contact(),
        ],
        sections=sections, closing=["云岭市生态环境局", "2021年1月25日"], published="2021-01-25",
        active=active, applications=apps, appeals=appeals,
        notes="2019版格式，UTF-8 带 BOM。与2019年报告（yunling-eco-2019.pdf）衔接：表三上年结转逐列等于2019年"
              "结转下年度；表二“上一年项目数量”等于2019年的上一年项目数量加本年增/减；规范性文件对外公开总数量"
              f" {prev.active['normative_documents']['total_published']}+{made}="
              f"{ac['normative_documents']['total_published']}。行政处罚、行政事业性收费“本年增/减”为负数，"
              "属正常。各项勾稽关系均成立。",
    )


def yunling_eco_2022() -> Sample:
    apps = make_applications(
        new=[29, 12, 1, 2, 3, 0],
        carried=[1, 0, 0, 0, 0, 0],
        results={
            "granted": [12, 6, 0, 1, 0, 0],
            "partly_granted": [5, 2, 0, 0, 1, 0],
            "withheld_law_forbidden": [1, 0, 0, 0, 0, 0],
            "withheld_third_party": [0, 1, 0, 0, 0, 0],
            "withheld_process_info": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [6, 2, 1, 0, 1, 0],
            "unable_needs_creation": [1, 0, 0, 0, 0, 0],
            "declined_petition": [2, 0, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 0, 0, 0],
            "other_overdue_correction": [1, 0, 0, 1, 0, 0],
            "other_misc": [0, 0, 0, 0, 1, 0],
        },
        # Deliberate I2 defect: 予以公开 printed 2 too high (row stays internally summed).
        printed={("granted", "natural_person"): 14, ("granted", "total"): 21})
    # Deliberate I5 defect: 行政复议 parts 2+1+0+1=4, 总计 printed 3.
    appeals = make_appeals(review=[2, 1, 0, 1], direct=[1, 0, 0, 0], after=[0, 0, 0, 1],
                           printed={("review", "total"): 3})
    active = make_active_2021(regulations=(0, 0, 0), normative=(2, 4, 15), licensing=433,
                              punishment=187, coercion=12, fees=0)
    a, p, ac = apps, appeals, active
    leaves = result_keys(False)
    np_sum = sum(a[k]["natural_person"] for k in leaves)
    total_sum = sum(a[k]["total"] for k in leaves)
    review_parts = [p["review"][c] for c in ("upheld", "corrected", "other", "pending")]
    lit = appeals_count(p, "litigation_direct", "litigation_after_review")
    sections = [
        Section("overview", [
            "2022年，云岭市生态环境局聚焦污染防治攻坚和环评审批制度改革，持续做好环境信息公开。",
            "（一）主动公开。全年主动公开信息1207条，其中环境质量信息318条、环境执法信息402条。本年制发行政规范性"
            f"文件{ac['normative_documents']['issued']}件，废止{ac['normative_documents']['repealed']}件，现行有效"
            f"{ac['normative_documents']['in_force']}件。全年作出行政许可决定{ac['licensing']['decisions']}件、"
            f"行政处罚决定{ac['punishment']['decisions']}件。",
            f"（二）依申请公开。全年新收申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，办结"
            f"{t(a, 'total_processed')}件，结转下年度{t(a, 'carried_forward')}件。",
            "（三）政府信息管理。修订《云岭市生态环境局政府信息公开工作规程》，明确依申请公开登记、承办、审核、"
            "答复各环节的时限。",
            "（四）政府信息公开平台建设。环境信息公开专栏新增“排污许可”子栏目，集中公开全市1284家持证单位的"
            "许可信息。",
            f"（五）监督保障。全年被提起行政诉讼{lit}件，其中"
            f"{t(p, 'litigation_after_review', 'pending')}件尚未审结。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "主要问题：一是县级分局公开的执法信息格式不统一；二是依申请公开答复文书中法律依据引用不够准确。",
            "改进措施：一是2023年3月底前印发执法信息公开格式规范；二是由局法规科在答复前逐件审核引用条款。",
        ]),
        Section("other", ["本年度未收取政府信息公开信息处理费。"]),
    ]
    defects = [
        defect("table", "table.applications.result_sum",
               f"表三“自然人”列各项办理结果之和为{np_sum}，（七）总计为{t(a, 'total_processed', 'natural_person')}；"
               f"“总计”列各项之和为{total_sum}，（七）总计为{t(a, 'total_processed')}。多出的2件在“（一）予以公开”"
               f"一行（自然人{t(a, 'granted', 'natural_person')}、总计{t(a, 'granted')}）；本年新收+上年结转="
               "办理结果总计+结转下年度 仍成立，可见出错的是予以公开一行。", "error",
               ["applications.granted.natural_person", "applications.granted.total",
                "applications.total_processed.natural_person", "applications.total_processed.total"]),
        defect("table", "table.appeals.group_sum",
               "表四行政复议：结果维持{}+结果纠正{}+其他结果{}+尚未审结{}={}，总计印为{}。".format(
                   *review_parts, sum(review_parts), p["review"]["total"]), "error",
               [f"appeals.review.{c}" for c in APPEAL_COLUMNS]),
    ]
    return Sample(
        name="yunling-eco-2022", fmt="docx", encoding="binary",
        agency="云岭市生态环境局", year=2022, template="2021",
        title="云岭市生态环境局2022年政府信息公开工作年度报告",
        preamble=[
            "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"
            + preamble_sentence_period(2022) + yunling_contact(),
        ],
        sections=sections, closing=["云岭市生态环境局", "2023年1月19日"], published="2023-01-19",
        active=active, applications=apps, appeals=appeals, defects=defects,
        notes="市政府部门报告。叙述只复述新收、办结、结转和行政诉讼数，均与表一致；叙述没有给出行政复议件数。"
              "行政事业性收费为0（排污费已改征环境保护税）。是 yunling-eco-2023.pdf 的上年报告。",
    )


def yunling_eco_2023(prev: Sample) -> Sample:
    carried = applicant_values(prev.applications["carried_forward"])
    apps = make_applications(
        new=[35, 10, 2, 1, 2, 1],
        carried=carried,
        results={
            "granted": [15, 5, 1, 0, 0, 0],
            "partly_granted": [6, 3, 1, 0, 0, 0],
            "withheld_security_stability": [1, 0, 0, 0, 0, 0],
            "withheld_third_party": [1, 1, 0, 0, 0, 0],
            "withheld_internal_affairs": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [7, 1, 0, 1, 1, 0],
            "unable_needs_creation": [1, 0, 0, 0, 0, 0],
            "declined_petition": [1, 0, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 0, 0, 0],
            "other_overdue_correction": [1, 0, 0, 0, 0, 0],
            "other_misc": [0, 0, 0, 0, 1, 0],
        })
    appeals = make_appeals(review=[3, 1, 0, 1], direct=[1, 0, 1, 0], after=[1, 0, 0, 0])
    prev_nd = prev.active["normative_documents"]
    issued, repealed = 3, 1
    active = make_active_2021(regulations=(0, 0, 0),
                              normative=(issued, repealed, prev_nd["in_force"] + issued - repealed),
                              licensing=461, punishment=203, coercion=9, fees=0)
    a, p, ac = apps, appeals, active
    sections = [
        Section("overview", [
            "2023年，云岭市生态环境局以环境信息依法披露制度改革为抓手，推动企业和政府两端的环境信息公开。",
            "（一）主动公开。全年主动公开信息1239条。组织全市176家重点排污单位在企业环境信息依法披露系统填报"
            f"年度报告，按期填报率100%。本年制发行政规范性文件{ac['normative_documents']['issued']}件，废止"
            f"{ac['normative_documents']['repealed']}件，现行有效{ac['normative_documents']['in_force']}件。",
            f"（二）依申请公开。全年新收政府信息公开申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，"
            f"办结{t(a, 'total_processed')}件，结转下年度{t(a, 'carried_forward')}件。其中予以公开"
            f"{t(a, 'granted')}件，部分公开{t(a, 'partly_granted')}件。",
            "（三）政府信息管理。《执法信息公开格式规范》于2023年3月印发，统一了行政处罚决定书公开版本的删减"
            "规则。",
            "（四）政府信息公开平台建设。在局门户网站开设“企业环境信息依法披露”专题，链接省级披露系统。",
            f"（五）监督保障。全年被申请行政复议{t(p, 'review')}件，其中结果维持{t(p, 'review', 'upheld')}件、"
            f"结果纠正{t(p, 'review', 'corrected')}件、尚未审结{t(p, 'review', 'pending')}件；被提起行政诉讼"
            f"{appeals_count(p, 'litigation_direct', 'litigation_after_review')}件。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。《执法信息公开格式规范》已于2023年3月印发；答复文书由局法规科逐件审核，"
            f"全年审核{t(a, 'total_processed')}件。",
            "（二）存在的问题。一是行政复议纠正1件，原因是征询第三方意见后未在答复中说明不予公开的理由；二是企业"
            "环境信息依法披露系统与局门户网站数据未实现自动同步。",
            "（三）改进措施。一是在答复文书模板中增加“第三方意见及处理理由”栏目，2024年1月起执行；二是2024年"
            "第三季度前完成披露系统与门户网站的数据接口对接，由局信息中心负责。",
        ]),
        Section("other", ["本年度未收取政府信息公开信息处理费。"]),
    ]
    return Sample(
        name="yunling-eco-2023", fmt="pdf", encoding="binary",
        agency="云岭市生态环境局", year=2023, template="2021",
        title="云岭市生态环境局2023年政府信息公开工作年度报告",
        preamble=[
            "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"
            + preamble_sentence_period(2023) + yunling_contact(),
        ],
        sections=sections, closing=["云岭市生态环境局", "2024年1月22日"], published="2024-01-22",
        active=active, applications=apps, appeals=appeals,
        notes="与2022年报告（yunling-eco-2022.docx）衔接：表三上年结转逐列等于2022年结转下年度；行政规范性文件"
              f"现行有效 {prev_nd['in_force']}+{issued}−{repealed}={ac['normative_documents']['in_force']}。"
              "表内各项勾稽关系均成立。",
    )


def yunling_eco_2024(prev: Sample) -> Sample:
    carried = applicant_values(prev.applications["carried_forward"])
    apps = make_applications(
        new=[42, 13, 1, 2, 4, 0],
        carried=carried,
        results={
            "granted": [17, 6, 0, 1, 0, 1],
            "partly_granted": [7, 3, 0, 0, 1, 0],
            "withheld_third_party": [2, 1, 0, 0, 0, 0],
            "withheld_process_info": [1, 0, 0, 0, 0, 0],
            "withheld_enforcement_file": [1, 0, 0, 0, 0, 0],
            "unable_no_info": [8, 2, 1, 0, 2, 0],
            "unable_unclear": [1, 0, 0, 0, 0, 0],
            "declined_petition": [2, 0, 0, 0, 0, 0],
            "declined_repeat": [1, 0, 0, 1, 0, 0],
            "other_overdue_correction": [1, 0, 0, 0, 0, 0],
            "other_overdue_fee": [1, 0, 0, 0, 0, 0],
            "other_misc": [0, 0, 0, 0, 1, 0],
        })
    appeals = make_appeals(review=[2, 0, 1, 0], direct=[0, 0, 0, 0], after=[1, 0, 0, 1])
    prev_nd = prev.active["normative_documents"]
    issued, repealed = 1, 2
    active = make_active_2021(regulations=(0, 0, 0),
                              normative=(issued, repealed, prev_nd["in_force"] + issued - repealed),
                              licensing=497, punishment=176, coercion=7, fees=0)
    a, p, ac = apps, appeals, active
    fee_collected = 300  # one applicant, 13 applications in a month: the 11th–13th at 100元 each
    sections = [
        Section("overview", [
            "2024年，云岭市生态环境局围绕美丽云岭建设，持续推进生态环境领域基层政务公开标准化，全年主动公开"
            "信息1288条。",
            f"（一）主动公开。本年制发行政规范性文件{ac['normative_documents']['issued']}件，废止"
            f"{ac['normative_documents']['repealed']}件，现行有效{ac['normative_documents']['in_force']}件；全年作出"
            f"行政许可决定{ac['licensing']['decisions']}件，行政处罚决定{ac['punishment']['decisions']}件，实施行政"
            f"强制措施{ac['coercion']['decisions']}件。",
            f"（二）依申请公开。全年新收申请{t(a, 'new_received')}件，上年结转{t(a, 'carried_over')}件，办结"
            f"{t(a, 'total_processed')}件，结转下年度{t(a, 'carried_forward')}件。新收申请中自然人"
            f"{t(a, 'new_received', 'natural_person')}件，商业企业{t(a, 'new_received', 'commercial')}件。",
            "（三）政府信息管理。对现行有效的行政规范性文件开展年度评估，废止不再适用的文件"
            f"{ac['normative_documents']['repealed']}件。",
            "（四）政府信息公开平台建设。企业环境信息依法披露系统与局门户网站的数据接口于2024年8月完成对接，"
            "披露信息每日自动同步。",
            f"（五）监督保障。全年被申请行政复议{t(p, 'review')}件；被提起行政诉讼"
            f"{appeals_count(p, 'litigation_direct', 'litigation_after_review')}件，均为复议后起诉，其中"
            f"{t(p, 'litigation_after_review', 'pending')}件尚未审结。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "（一）上年度问题整改情况。答复文书“第三方意见及处理理由”栏目自2024年1月起启用；披露系统数据接口"
            "已于2024年8月完成对接。",
            f"（二）存在的问题。一是依申请公开中“本机关不掌握”答复{t(a, 'unable_no_info')}件，部分申请人反映"
            "告知的有权机关不够明确；二是县级分局环境执法信息公开仍有迟滞，最长的一件晚于规定时限12个工作日。",
            "（三）改进措施。一是2025年起在答复书中写明有权机关的名称、地址和电话；二是将执法信息公开时限纳入"
            "对县级分局的月度调度，由局执法监督科每月通报。",
        ]),
        Section("other", [
            f"本年度收取信息处理费{fee_collected}元（1名申请人在一个月内提交申请13件，按件计收）；另有"
            f"{t(a, 'other_overdue_fee')}件申请因申请人逾期未缴纳信息处理费，依规不再处理。",
        ]),
    ]
    return Sample(
        name="yunling-eco-2024", fmt="html-yunling", encoding="gbk",
        agency="云岭市生态环境局", year=2024, template="2021",
        title="云岭市生态环境局2024年政府信息公开工作年度报告",
        preamble=[
            "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"
            + preamble_sentence_period(2024) + yunling_contact(),
        ],
        sections=sections, closing=["云岭市生态环境局", "2025年1月20日"], published="2025-01-20",
        active=active, applications=apps, appeals=appeals,
        notes="网页以 GBK 字节保存，页面声明 <meta charset=\"gb2312\">。与2023年报告（yunling-eco-2023.pdf）衔接："
              "表三上年结转逐列等于2023年结转下年度；行政规范性文件现行有效 "
              f"{prev_nd['in_force']}+{issued}−{repealed}={ac['normative_documents']['in_force']}。（六）2逾期未缴费"
              f"{t(a, 'other_overdue_fee')}件，第六部分作了说明；收取信息处理费{fee_collected}元，是10元的整数倍，"
              "按件计收的算法也对得上。表内各项勾稽关系均成立。",
    )


def baisha_contact() -> str:
    return "如对本报告有疑问，请与白沙镇党政办公室联系（电话：0000-5557712）。"


def baisha_town_2020() -> Sample:
    apps = make_applications(
        new=[2, 0, 0, 0, 0, 0], carried=[0] * 6, single_other_row=True,
        results={"granted": [1, 0, 0, 0, 0, 0], "unable_no_info": [1, 0, 0, 0, 0, 0]},
        blank_applicants=True)  # only 总计 is filled in
    appeals = make_appeals(review=[0, 0, 0, 0], direct=[0, 0, 0, 0], after=[0, 0, 0, 0])
    active = make_active_2019(regulations=(0, 0, 0), normative=(0, 0, 0),
                              licensing=(2, 0, 15), other_services=(3, 0, 0),
                              punishment=(0, 0, 0), coercion=(0, 0, 0), fees=(0, 0),
                              procurement=(2, 36.8))
    a = apps
    vague_problem = ("2020年，我镇政府信息公开工作取得了一定成效，但还存在一些不足：一是公开意识有待进一步增强；"
                     "二是公开内容还不够全面、及时；三是工作人员业务水平仍需提升。")
    vague_measure = ("下一步，我镇将进一步加强组织领导，持续深化公开内容，不断规范公开程序，着力提升工作人员业务"
                     "能力，推动政府信息公开工作再上新台阶。")
    sections = [
        Section("overview", [
            "2020年，白沙镇在县政府办公室的指导下，依托县政府门户网站乡镇专栏和村务公开栏开展政府信息公开工作。",
            "（一）主动公开。全年在乡镇专栏发布信息96条，内容包括镇人民政府工作动态、惠农补贴发放、低保和特困"
            "供养对象公示、疫情防控通告等；在11个村（社区）公开栏张贴公示材料44期。",
            f"（二）依申请公开。全年收到政府信息公开申请{t(a, 'new_received')}件，已全部办结。",
            "（三）政府信息管理。镇党政办公室负责信息发布前审核。",
            "（四）政府信息公开平台建设。使用县政府门户网站乡镇专栏发布信息。",
            "（五）监督保障。本年度未发生因政府信息公开引起的行政复议、行政诉讼。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [vague_problem, vague_measure]),
        Section("other", ["本年度未收取政府信息公开相关费用。"]),
    ]
    defects = [
        defect("table", "table.blank_cells",
               "表三只在“总计”列填数，六个申请人列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）"
               f"在所有行都空白；总计列本身能加平（{t(a, 'new_received')}+{t(a, 'carried_over')}="
               f"{t(a, 'total_processed')}+{t(a, 'carried_forward')}）。", "warning",
               [f"applications.{row}.{c}" for row in ("new_received", "total_processed") for c in APPLICANTS]),
        defect("vague", "vague.unspecific_section",
               f"第五部分问题和措施都是套话：“{vague_problem}”“{vague_measure}”没有数字、时限、具体制度或责任"
               "单位，问题和措施也对不上。", "warning"),
    ]
    return Sample(
        name="baisha-town-2020", fmt="pdf", encoding="binary",
        agency="白沙镇人民政府", year=2020, template="2019",
        title="白沙镇人民政府2020年政府信息公开工作年度报告",
        preamble=[
            "根据《中华人民共和国政府信息公开条例》（国务院令第711号）要求，白沙镇人民政府编制了2020年政府信息"
            "公开工作年度报告。" + preamble_sentence_period(2020) + baisha_contact(),
        ],
        sections=sections, closing=["白沙镇人民政府", "2021年1月28日"], published="2021-01-28",
        active=active, applications=apps, appeals=appeals, defects=defects,
        notes="乡镇报告，2019版格式（表二含政府集中采购，表头“采购总金额（万元）”，格内只写数字；表三（六）一行）。"
              "表三申请人列空白记为 null，只有“总计”列有数；表四全为0，与叙述“未发生行政复议、行政诉讼”一致。",
    )


def baisha_town_2022() -> Sample:
    apps = make_applications(
        new=[3, 0, 0, 0, 0, 0], carried=[0] * 6,
        results={"granted": [1, 0, 0, 0, 0, 0], "unable_no_info": [1, 0, 0, 0, 0, 0],
                 "declined_petition": [1, 0, 0, 0, 0, 0]})
    appeals = make_appeals(review=[0, 0, 0, 0], direct=[0, 0, 0, 0], after=[0, 0, 0, 0])
    active = make_active_2021(regulations=(0, 0, 0), normative=(0, 0, 0), licensing=21,
                              punishment=4, coercion=0, fees=0)
    a = apps
    false_claim = "本年度，我镇未收到政府信息公开申请"
    assert t(a, "new_received") > 0
    sections = [
        Section("overview", [
            "2022年，白沙镇人民政府围绕乡村振兴、基层治理和民生保障做好镇级政府信息公开，主动公开的重点放在惠农"
            "补贴、社会救助和项目建设三个方面。",
            "（一）主动公开。全年在县政府门户网站白沙镇专栏发布信息131条，其中惠农补贴发放公示9批次、社会救助"
            "对象公示12批次；在镇便民服务中心设置政府信息查阅点，摆放政策资料23种。",
            f"（二）依申请公开。{false_claim}，也未发生因政府信息公开引起的行政复议、行政诉讼。",
            "（三）政府信息管理。建立镇级信息发布登记簿，发布前由党政办公室审核、分管领导签字。",
            "（四）政府信息公开平台建设。镇级专栏按照县级标准目录设置了机构职能、法规文件、财政信息、社会救助、"
            "乡村振兴等8个栏目。",
            "（五）监督保障。镇纪委对惠农补贴公示开展专项监督检查2次，发现公示期不足等问题3个，均已整改。",
        ]),
        Section("active"),
        Section("applications"),
        Section("appeals"),
        Section("problems", [
            "主要问题：一是村（社区）公开栏内容更新不及时，2个村的公开栏连续2个月未更新；二是专栏中的部分历史"
            "信息缺少发布日期。",
            "改进措施：一是由镇党政办公室每月5日前检查各村（社区）公开栏，检查结果纳入村干部考核；二是2023年"
            "6月底前完成专栏历史信息的补录核对。",
        ]),
        # no section 六: a deliberate defect
    ]
    defects = [
        defect("contradiction", "contradiction.narrative_vs_table.applications",
               f"叙述写“{false_claim}”，表三本年新收{t(a, 'new_received')}件（均为自然人），办理结果总计"
               f"{t(a, 'total_processed')}件。", "error",
               ["applications.new_received.total", "applications.new_received.natural_person",
                "applications.total_processed.total"]),
        defect("structure", "structure.missing_section",
               "缺少第六部分“六、其他需要报告的事项”，正文在第五部分后结束，没有说明信息处理费收取情况。",
               "warning"),
    ]
    return Sample(
        name="baisha-town-2022", fmt="txt-space", encoding="gb18030",
        agency="白沙镇人民政府", year=2022, template="2021",
        title="白沙镇人民政府2022年政府信息公开工作年度报告",
        preamble=[
            "本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"
            + preamble_sentence_period(2022) + baisha_contact(),
        ],
        sections=sections, closing=["白沙镇人民政府", "2023年2月10日"], published="2023-02-10",
        active=active, applications=apps, appeals=appeals, defects=defects,
        notes="GB18030 编码的纯文本，仿 pdftotext -layout：正文按约34个汉字硬换行，约每50行一个页码行“-N-”和换页符"
              "（\\f），表格可能被页码行截断；表格按列空格对齐，过长的行标签和表头折成多行，续行上没有数字。"
              "表内各项勾稽关系均成立，表四全为0。",
    )


def build_samples() -> list[Sample]:
    qc23 = qingxi_county_2023()
    qn22 = qingxi_natres_2022()
    ye19 = yunling_eco_2019()
    ye22 = yunling_eco_2022()
    ye23 = yunling_eco_2023(ye22)
    return [
        qc23, qingxi_county_2024(qc23),
        qn22, qingxi_natres_2023(qn22),
        ye19, yunling_eco_2020(ye19), ye22, ye23, yunling_eco_2024(ye23),
        baisha_town_2020(), baisha_town_2022(),
    ]


# ---------------------------------------------------------------------------
# Tables as grids of (possibly merged) cells, the one shape every renderer reads
# ---------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    numeric: bool = False


class Grid:
    """Rows of cells in HTML order; `placements` resolves where each cell sits."""

    def __init__(self, rows: list[list[Cell]]):
        self.rows = rows
        self.placements: list[tuple[int, int, Cell]] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                self.placements.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        self.nrows = len(rows)
        self.ncols = max(c + 1 for _, c in taken)
        assert taken == {(r, c) for r in range(self.nrows) for c in range(self.ncols)}, "ragged grid"

    def matrix(self, covered="") -> list[list]:
        """Expanded grid: text at each cell's top-left; `covered` elsewhere, or the
        cell's own text when covered == 'repeat' (how python-docx reports merges)."""
        out = [[None] * self.ncols for _ in range(self.nrows)]
        for r, c, cell in self.placements:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    first = dr == 0 and dc == 0
                    out[r + dr][c + dc] = cell.text if first or covered == "repeat" else covered
        return out


def fmt_number(value) -> str:
    if value is None:
        return ""
    return str(value)


def num(value, colspan=1) -> Cell:
    return Cell(fmt_number(value), colspan=colspan, numeric=True)


def active_grid(s: Sample) -> Grid:
    ac = s.active
    rows: list[list[Cell]] = []

    def item(title):
        rows.append([Cell(title, colspan=4)])

    if s.template == "2021":
        item("第二十条第（一）项")
        rows.append([Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数"), Cell("现行有效件数")])
        for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            rows.append([Cell(label), *(num(ac[key][c]) for c in ("issued", "repealed", "in_force"))])
        for title, keys in (("第二十条第（五）项", [("licensing", "行政许可")]),
                            ("第二十条第（六）项", [("punishment", "行政处罚"), ("coercion", "行政强制")])):
            item(title)
            rows.append([Cell("信息内容"), Cell("本年处理决定数量", colspan=3)])
            for key, label in keys:
                rows.append([Cell(label), num(ac[key]["decisions"], colspan=3)])
        item("第二十条第（八）项")
        rows.append([Cell("信息内容"), Cell("本年收费金额（单位：万元）", colspan=3)])
        rows.append([Cell("行政事业性收费"), num(ac["admin_fees"]["amount"], colspan=3)])
        return Grid(rows)

    # 2019 form (国办公开办函〔2019〕60号)
    item("第二十条第（一）项")
    rows.append([Cell("信息内容"), Cell("本年新制作数量"), Cell("本年新公开数量"), Cell("对外公开总数量")])
    for key, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        rows.append([Cell(label), *(num(ac[key][c]) for c in ("made", "published", "total_published"))])
    for title, keys in (("第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
                        ("第二十条第（六）项", [("punishment", "行政处罚"), ("coercion", "行政强制")])):
        item(title)
        rows.append([Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减"), Cell("处理决定数量")])
        for key, label in keys:
            rows.append([Cell(label), *(num(ac[key][c]) for c in ("previous", "change", "decisions"))])
    item("第二十条第（八）项")
    rows.append([Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减", colspan=2)])
    rows.append([Cell("行政事业性收费"), num(ac["admin_fees"]["previous"]), num(ac["admin_fees"]["change"], colspan=2)])
    item("第二十条第（九）项")
    amount = ac["procurement"]["amount"]
    if s.procurement_unit_in_cell:
        rows.append([Cell("信息内容"), Cell("采购项目数量"), Cell("采购总金额", colspan=2)])
        amount_cell = Cell(f"{fmt_number(amount)}万元", colspan=2, numeric=True)
    else:
        rows.append([Cell("信息内容"), Cell("采购项目数量"), Cell("采购总金额（万元）", colspan=2)])
        amount_cell = num(amount, colspan=2)
    rows.append([Cell("政府集中采购"), num(ac["procurement"]["projects"]), amount_cell])
    return Grid(rows)


def applications_grid(s: Sample) -> Grid:
    a = s.applications

    def numbers(key):
        return [num(a[key][c]) for c in APP_COLUMNS]

    rows = [
        [Cell(TABLE3_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(label) for label in APPLICANT_LABELS[1:]],
        [Cell("一、本年新收政府信息公开申请数量", colspan=3), *numbers("new_received")],
        [Cell("二、上年结转政府信息公开申请数量", colspan=3), *numbers("carried_over")],
    ]
    groups = result_groups(s.single_other_row)
    n_result_rows = sum(len(leaves) for _, leaves in groups) + 1  # + （七）总计
    first = True
    for group, leaves in groups:
        for i, (key, label) in enumerate(leaves):
            row = [Cell("三、本年度办理结果", rowspan=n_result_rows)] if first else []
            first = False
            if group is None:
                row.append(Cell(label, colspan=2))
            else:
                if i == 0:
                    row.append(Cell(group, rowspan=len(leaves)))
                row.append(Cell(label))
            rows.append(row + numbers(key))
    rows.append([Cell("（七）总计", colspan=2), *numbers("total_processed")])
    rows.append([Cell("四、结转下年度继续办理", colspan=3), *numbers("carried_forward")])
    return Grid(rows)


def appeals_grid(s: Sample) -> Grid:
    p = s.appeals
    return Grid([
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [*(Cell(label, rowspan=2) for label in APPEAL_LABELS),
         Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(label) for label in APPEAL_LABELS * 2],
        [num(p[g][c]) for g in APPEAL_GROUPS for c in APPEAL_COLUMNS],
    ])


GRID_BUILDERS = {"active": active_grid, "applications": applications_grid, "appeals": appeals_grid}


def blocks(s: Sample):
    """The report as a flat sequence every renderer walks."""
    yield "title", s.title
    for text in s.preamble:
        yield "para", text
    for section in s.sections:
        yield "heading", section.title
        for text in section.paragraphs:
            yield "para", text
        if section.key in GRID_BUILDERS:
            yield "table", (section.key, GRID_BUILDERS[section.key](s))
    for line in s.closing:
        yield "sign", line


# ---------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------


def render_txt_tab(s: Sample) -> str:
    """Like the seed: plain lines, one table row per line, cells joined by tabs."""
    lines = []
    for kind, value in blocks(s):
        if kind == "table":
            lines.extend("\t".join(row) for row in value[1].matrix())
        else:
            lines.append(value)
        lines.append("")
    return "\n".join(lines)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Punctuation a typesetter never puts at the start of a line (避头).
NO_LINE_START = set("，。、；：？！）》」』”’")


def wrap_display(text: str, width: int) -> list[str]:
    """Hard-wrap to a display width, never splitting a run of digits or Latin letters
    (a PDF line break does not split "2023" either) and never starting a line with
    closing punctuation (it hangs past the margin instead)."""
    lines, line, used = [], "", 0
    for token in re.findall(r"[A-Za-z0-9.@:/_%+-]+|.", text):
        w = display_width(token)
        if used + w > width and line and token not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0
        line += token
        used += w
    if line or not lines:
        lines.append(line)
    return lines


# Column widths (display cells) for the space-aligned tables, chosen so that long
# labels fold the way pdftotext folds them.
SPACE_WIDTHS = {
    "active": [16, 14, 14, 14],
    "applications": [10, 16, 30] + [6] * 7,
    "appeals": [4] * 15,
}
SPACE_GAP = 2


def grid_to_space_lines(grid: Grid, widths: list[int]) -> list[str]:
    starts = [sum(widths[:c]) + SPACE_GAP * c for c in range(len(widths))]
    out = []
    for r in range(grid.nrows):
        pieces = []  # (x, width, wrapped lines, alignment)
        for pr, c, cell in grid.placements:
            if pr != r:
                continue
            width = sum(widths[c:c + cell.colspan]) + SPACE_GAP * (cell.colspan - 1)
            # Numbers sit right in their column, or mid-way in a merged one, as in a PDF.
            align = ("right" if cell.colspan == 1 else "centre") if cell.numeric else "left"
            pieces.append((starts[c], width, wrap_display(cell.text, width), align))
        height = max((len(p[2]) for p in pieces), default=1)
        for i in range(height):
            line, used = "", 0
            for x, width, wrapped, align in sorted(pieces):
                text = wrapped[i] if i < len(wrapped) else ""
                if not text:
                    continue
                spare = max(width - display_width(text), 0)
                pad = {"left": 0, "right": spare, "centre": spare // 2}[align]
                line += " " * max(x + pad - used, 1 if line else 0) + text
                used = x + pad + display_width(text)
            out.append(line.rstrip())
    return out


def render_txt_space(s: Sample) -> str:
    """Imitates `pdftotext -layout`: centred title, hard-wrapped paragraphs, aligned
    tables, page numbers and form feeds every PAGE_LINES lines."""
    text_width, page_lines = 68, 50
    lines: list[str] = []
    for kind, value in blocks(s):
        if kind == "title":
            lines.append(" " * ((text_width - display_width(value)) // 2) + value)
        elif kind == "heading":
            lines.append("    " + value)
        elif kind == "para":
            wrapped = wrap_display(value, text_width - 4)
            lines.append("    " + wrapped[0])
            lines.extend(wrapped[1:])
        elif kind == "sign":
            lines.append(" " * (text_width - display_width(value)) + value)
        else:
            lines.append("")
            lines.extend(grid_to_space_lines(value[1], SPACE_WIDTHS[value[0]]))
            lines.append("")
    pages = [lines[i:i + page_lines] for i in range(0, len(lines), page_lines)]
    out = []
    for number, page in enumerate(pages, 1):
        out.extend(page)
        out.extend(["", " " * (text_width // 2 - 2) + f"-{number}-", "\f"])
    return "\n".join(out)


def render_md(s: Sample) -> str:
    """Markdown as a docx-to-markdown converter would give it: merged cells are
    spread out as empty cells and the first header row becomes the pipe header."""
    out = []
    for kind, value in blocks(s):
        if kind == "title":
            out.append(f"# {value}")
        elif kind == "heading":
            out.append(f"## {value}")
        elif kind == "table":
            matrix = value[1].matrix()
            out.append("| " + " | ".join(matrix[0]) + " |")
            out.append("|" + "---|" * len(matrix[0]))
            out.extend("| " + " | ".join(row) + " |" for row in matrix[1:])
        else:
            out.append(value)
        out.append("")
    return "\n".join(out)


def grid_to_html(grid: Grid, word_style: bool) -> str:
    """word_style imitates tables pasted from Word into a CMS editor."""
    rows = []
    for row in grid.rows:
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            text = html.escape(cell.text) if cell.text else "&nbsp;"
            if word_style:
                text = (f'<p class="MsoNormal" align="center" style="text-align:center">'
                        f'<span style="font-family:宋体;font-size:10.5pt">{text}</span></p>')
                cells.append(f'<td valign="middle" style="border:solid windowtext 1.0pt;padding:0 5.4pt"{attrs}>'
                             f'{text}</td>')
            else:
                cells.append(f"<td{attrs}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if word_style:
        head = ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
                'style="border-collapse:collapse;border:none" width="100%">')
    else:
        head = '<table class="gk-table" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">'
    return head + "\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def report_body_html(s: Sample, word_style: bool, include_title: bool) -> str:
    parts = []
    for kind, value in blocks(s):
        if kind == "title":
            if include_title:
                parts.append(f'<p align="center" style="text-align:center"><b><span style="font-size:16pt">'
                             f'{html.escape(value)}</span></b></p>')
        elif kind == "heading":
            parts.append(f'<p style="text-indent:2em"><strong>{html.escape(value)}</strong></p>')
        elif kind == "para":
            parts.append(f'<p style="text-indent:2em">{html.escape(value)}</p>')
        elif kind == "sign":
            parts.append(f'<p style="text-align:right">{html.escape(value)}</p>')
        else:
            parts.append(grid_to_html(value[1], word_style))
    return "\n".join(parts)


def render_html_qingxi(s: Sample) -> str:
    """A present-day county portal page: the report is only the div#zoom."""
    nav = {
        "首页": [], "走进青溪": ["青溪概况", "历史沿革", "自然地理", "人口民族"],
        "政务动态": ["青溪要闻", "部门动态", "乡镇动态", "通知公告"],
        "政府信息公开": ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
                   "依申请公开"],
        "政务服务": ["个人办事", "法人办事", "便民服务"], "互动交流": ["县长信箱", "在线访谈", "征集调查"],
        "专题专栏": ["优化营商环境", "乡村振兴", "安全生产"],
    }
    nav_html = "\n".join(
        f'<li class="nav-item"><a href="/{i}/">{html.escape(k)}</a>'
        + ("<ul class=\"sub\">" + "".join(f'<li><a href="/{i}/{j}/">{html.escape(v)}</a></li>'
                                          for j, v in enumerate(vs)) + "</ul>" if vs else "")
        + "</li>"
        for i, (k, vs) in enumerate(nav.items()))
    related = ["青溪县人民政府2023年政府信息公开工作年度报告", "青溪县人民政府2022年政府信息公开工作年度报告",
               "青溪县政府信息公开指南", "青溪县政府信息公开申请表"]
    related_html = "".join(f'<li><a href="/zwgk/nb/{i}.html">{html.escape(x)}</a></li>' for i, x in enumerate(related))
    body = report_body_html(s, word_style=False, include_title=False)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="青溪县人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{html.escape(s.title)}">
<meta name="PubDate" content="{s.published} 09:30">
<title>{html.escape(s.title)}_青溪县人民政府</title>
<link rel="stylesheet" href="/static/css/common.css">
<script>var siteConfig = {{siteName: "青溪县人民政府", column: "政府信息公开年报"}};</script>
</head>
<body>
<div class="topbar"><div class="w1200">
<span class="welcome">欢迎访问青溪县人民政府门户网站</span>
<a href="javascript:void(0)" class="wza">无障碍浏览</a><a href="javascript:void(0)" class="zzms">长者模式</a>
<a href="/login/person">个人登录</a><a href="/login/corp">法人登录</a><a href="/m/">手机版</a>
</div></div>
<div class="header w1200">
<a class="logo" href="/"><img src="/static/images/logo.png" alt="青溪县人民政府"></a>
<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>
</div>
<div class="nav"><ul class="w1200">
{nav_html}
</ul></div>
<div class="main w1200">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/3/">政府信息公开</a> &gt; <a href="/3/3/">政府信息公开年报</a></div>
<div class="article">
<h1 class="article-title">{html.escape(s.title)}</h1>
<div class="article-info"><span>发布时间：{s.published}</span><span>来源：青溪县人民政府办公室</span><span>浏览次数：<em id="hits">--</em></span><span>字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
<div class="article-content" id="zoom">
{body}
</div>
<div class="article-tools"><a href="javascript:window.print()">打印本页</a><a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="side"><h3>相关链接</h3><ul>{related_html}</ul></div>
</div>
<div class="footer"><div class="w1200">
<p><a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a> | <a href="/privacy/">隐私声明</a></p>
<p>主办单位：青溪县人民政府办公室　承办单位：青溪县融媒体中心</p>
<p>网站标识码：0000000000　ICP备案号：ICP备00000000号　公安机关备案号：00000000000000</p>
<p>本站由虚构机关示例生成，仅供测试</p>
</div></div>
<script>document.getElementById("hits").innerHTML = "1024";</script>
</body>
</html>
"""


def render_html_yunling(s: Sample) -> str:
    """An older bureau site built from layout tables, saved in GBK as gb2312."""
    menu = ["首页", "机构概况", "环境质量", "政策法规", "环评审批", "执法监管", "信息公开", "公众参与", "在线办事"]
    menu_html = "".join(f'<td class="menu-item"><a href="/col{i}/">{m}</a></td>' for i, m in enumerate(menu))
    links = ["生态环境部", "省生态环境厅", "云岭市人民政府", "云岭市政务服务网"]
    links_html = "".join(f'<option value="{i}">{x}</option>' for i, x in enumerate(links))
    body = report_body_html(s, word_style=True, include_title=True)
    return f"""<html>
<head>
<meta charset="gb2312">
<title>{html.escape(s.title)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
</head>
<body topmargin="0" leftmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="/images/banner.jpg" width="1000" height="160" alt="云岭市生态环境局"></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="menu"><tr>{menu_html}</tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="dqwz">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/col6/">信息公开</a> &gt;&gt; <a href="/col6/nb/">年度报告</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="content">
<tr><td class="title" align="center">{html.escape(s.title)}</td></tr>
<tr><td class="info" align="center">发布时间：{s.published}　来源：局办公室　【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</td></tr>
<tr><td>
<div id="zoom" class="TRS_Editor">
{body}
</div>
</td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
<tr><td align="center">友情链接：<select onchange="window.open(this.value)">{links_html}</select></td></tr>
<tr><td align="center">版权所有：云岭市生态环境局　地址：云岭市青年路208号　电话：0000-5553120</td></tr>
<tr><td align="center">ICP备00000000号　网站标识码：0000000001　（虚构机关示例，仅供测试）</td></tr>
</table>
</body>
</html>
"""


def render_docx(s: Sample, path: Path) -> None:
    import docx
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def set_font(run, east_asian, size, bold=False):
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(30)
    section.left_margin = section.right_margin = Mm(25)

    # Page number "-N-" in the footer, as official documents print it.
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("-")
    field_run = footer.add_run()
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if attr:
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        field_run._r.append(el)
    footer.add_run("-")

    for kind, value in blocks(s):
        if kind == "table":
            grid = value[1]
            table = document.add_table(rows=grid.nrows, cols=grid.ncols)
            table.style = "Table Grid"
            for r, c, cell in grid.placements:
                target = table.cell(r, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                # merge() may leave one empty paragraph per merged cell; keep one.
                for extra in target.paragraphs[1:]:
                    extra._element.getparent().remove(extra._element)
                paragraph = target.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                set_font(paragraph.add_run(cell.text), "宋体", 9)
                target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            document.add_paragraph()
            continue
        paragraph = document.add_paragraph()
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(paragraph.add_run(value), "方正小标宋简体", 18)
        elif kind == "heading":
            paragraph.paragraph_format.first_line_indent = Pt(24)
            set_font(paragraph.add_run(value), "黑体", 14)
        elif kind == "sign":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_font(paragraph.add_run(value), "仿宋_GB2312", 14)
        else:
            paragraph.paragraph_format.first_line_indent = Pt(28)
            set_font(paragraph.add_run(value), "仿宋_GB2312", 14)

    # Fixed document properties keep the output byte-identical between runs.
    import datetime
    fixed = datetime.datetime(2024, 1, 1, 0, 0, 0)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = s.title, s.agency, s.agency
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(normalize_zip(buffer.getvalue()))


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps (python-docx stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


PDF_FONT = "STSong-Light"
PDF_COL_WIDTHS = {
    "active": [150, 110, 110, 110],
    "applications": [30, 62, 150] + [34] * 7,
    "appeals": [32] * 15,
}


def render_pdf(s: Sample, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1  # fixed creation date and document id: reproducible bytes
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    # CID fonts are not embedded; the text layer maps through UniGB-UCS2-H.
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=12, leading=20, firstLineIndent=24,
                          wordWrap="CJK", spaceAfter=2)
    styles = {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=12),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, spaceBefore=6, keepWithNext=1),
        "para": body,
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
    }
    cell_style = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=7.5, leading=9.5, alignment=TA_CENTER,
                                wordWrap="CJK")
    label_style = ParagraphStyle("label", parent=cell_style, alignment=0)

    def pdf_table(key: str, grid: Grid) -> Table:
        data = grid.matrix()
        for r, c, cell in grid.placements:
            if cell.numeric:
                data[r][c] = cell.text
            else:
                style = label_style if (key == "applications" and r >= 3) or (key == "active" and c == 0) \
                    else cell_style
                data[r][c] = Paragraph(xml_escape(cell.text), style)
        commands = [
            ("FONT", (0, 0), (-1, -1), PDF_FONT, 7.5),
            ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        for r, c, cell in grid.placements:
            if cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        table = Table(data, colWidths=PDF_COL_WIDTHS[key])
        table.setStyle(TableStyle(commands))
        return table

    story = []
    for kind, value in blocks(s):
        if kind == "table":
            # Kept on one page (with its heading when nothing stands between them) so
            # each ruled table is one pdfplumber table and no heading is orphaned.
            group = [pdf_table(*value)]
            if story and getattr(story[-1], "style", None) is styles["heading"]:
                group.insert(0, story.pop())
            story.append(KeepTogether(group))
            story.append(Spacer(1, 8))
        else:
            story.append(Paragraph(xml_escape(value), styles[kind]))

    def page_number(canvas, doc):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 11)
        canvas.drawCentredString(A4[0] / 2, 15 * mm, f"-{doc.page}-")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=s.title, author=s.agency)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)


def write_sample(s: Sample) -> Path:
    path = HERE / s.filename
    if s.fmt == "txt-tab":
        path.write_bytes(render_txt_tab(s).encode(s.encoding))
    elif s.fmt == "txt-space":
        path.write_bytes(render_txt_space(s).encode(s.encoding))
    elif s.fmt == "md":
        path.write_bytes(render_md(s).encode(s.encoding))
    elif s.fmt == "html-qingxi":
        path.write_bytes(render_html_qingxi(s).encode(s.encoding))
    elif s.fmt == "html-yunling":
        path.write_bytes(render_html_yunling(s).encode(s.encoding))  # strict: fails on a non-GBK char
    elif s.fmt == "docx":
        render_docx(s, path)
    elif s.fmt == "pdf":
        render_pdf(s, path)
    else:
        raise ValueError(s.fmt)
    return path


# ---------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------

FORMAT_NOTES = {
    "txt-tab": "纯文本，表格每行一行、单元格以制表符分隔，合并单元格展开为空格子。",
    "txt-space": "纯文本，仿 pdftotext -layout 输出。",
    "md": "Markdown，标题用 #/##，表格为管道表格。",
    "html-qingxi": "政府网站页面：页头导航、面包屑、页脚和脚本都不是报告内容，报告正文在 div#zoom 中；表格用 rowspan/colspan，与官方表样一致。",
    "html-yunling": "旧式政府网站页面（表格布局），报告正文在 div#zoom.TRS_Editor 中，正文开头重复了标题；表格为 Word 粘贴样式（td 内套 p/span），rowspan/colspan 与官方表样一致。",
    "docx": "Word 文档，三张表都有真实合并单元格（gridSpan/vMerge），页脚有 PAGE 域页码“-N-”。",
    "pdf": "PDF（A4，reportlab，STSong-Light 字体未嵌入，文字层经 UniGB-UCS2-H 映射），三张表为带框线表格，合并单元格用 SPAN，每张表不跨页；页脚页码“-N-”。",
}


def truth_of(s: Sample) -> dict:
    return {
        "schema": "auditor.document/1",
        "meta": {"title": s.title, "agency": s.agency, "year": s.year, "template": s.template},
        "sections_present": [section.key for section in s.sections],
        "tables": {"active": s.active, "applications": s.applications, "appeals": s.appeals},
        "known_defects": s.defects,
        "notes": (f"样例文件：{s.filename}（编码：{s.encoding if s.encoding != 'binary' else '二进制'}）。"
                  "由 corpus/make_samples.py 从同一数据模型生成的虚构报告，机关、数字、地址、电话均为虚构。"
                  + FORMAT_NOTES[s.fmt] + s.notes),
    }


def write_truth(s: Sample) -> Path:
    TRUTH_DIR.mkdir(exist_ok=True)
    path = TRUTH_DIR / f"{s.name}.truth.json"
    path.write_text(json.dumps(truth_of(s), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Checks: the model's own arithmetic, then every file read back
# ---------------------------------------------------------------------------

# Rule hints this script can decide from the tables alone; each must be declared
# as a defect exactly when the tables violate it.
TABLE_RULES = {"table.applications.balance", "table.applications.result_sum", "table.applications.row_sum",
               "table.applications.impossible", "table.appeals.group_sum", "table.blank_cells",
               "structure.layout_mismatch"}


def table_violations(s: Sample) -> set[str]:
    a, found = s.applications, set()
    leaves = [k for k in a if k not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    for column in APP_COLUMNS:
        values = {row: a[row][column] for row in a}
        if any(v is None for v in values.values()):
            found.add("table.blank_cells")
            continue
        if values["new_received"] + values["carried_over"] != values["total_processed"] + values["carried_forward"]:
            found.add("table.applications.balance")
        if values["total_processed"] != sum(values[k] for k in leaves):
            found.add("table.applications.result_sum")
        if min(values.values()) < 0 or \
                values["carried_forward"] > values["new_received"] + values["carried_over"]:
            found.add("table.applications.impossible")
    for row in a.values():
        parts = [row[c] for c in APPLICANTS]
        if None not in parts and row["total"] != sum(parts):
            found.add("table.applications.row_sum")
    for group in s.appeals.values():
        parts = [group[c] for c in APPEAL_COLUMNS[:4]]
        if None in parts or group["total"] is None:
            found.add("table.blank_cells")
        elif group["total"] != sum(parts):
            found.add("table.appeals.group_sum")
    if s.template == "2021" and s.single_other_row:
        found.add("structure.layout_mismatch")
    return found


def check_model(samples: list[Sample]) -> None:
    for s in samples:
        declared = {d["rule_hint"] for d in s.defects} & TABLE_RULES
        found = table_violations(s)
        assert declared == found, f"{s.name}: declared {declared}, tables show {found}"
        assert len(s.defects) <= 3, f"{s.name}: too many defects for one sample"
        keys = application_row_keys(s.single_other_row)
        assert list(s.applications) == keys, s.name
        assert s.template == ("2019" if "procurement" in s.active else "2021")
    # Cross-year continuity (X1, X2) for consecutive reports of one body.
    by_body = {(s.agency, s.year): s for s in samples}
    pairs = 0
    for (agency, year), s in by_body.items():
        prev = by_body.get((agency, year - 1))
        if not prev:
            continue
        pairs += 1
        assert s.applications["carried_over"] == prev.applications["carried_forward"], s.name
        if s.template == prev.template == "2021":
            for key in ("regulations", "normative_documents"):
                now, before = s.active[key], prev.active[key]
                assert now["in_force"] == before["in_force"] + now["issued"] - now["repealed"], s.name
    assert pairs >= 3


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def expected_text_checks(s: Sample, text: str) -> None:
    """Title, present and absent headings, and the statistics period are in the text."""
    flat = squash(text)
    assert squash(s.title) in flat, f"{s.name}: title missing"
    for section in s.sections:
        assert squash(section.title) in flat, f"{s.name}: heading {section.title} missing"
    present = {section.key for section in s.sections}
    for key, heading in SECTION_HEADINGS.items():
        if key not in present:
            assert heading[:2] + heading[2:6] not in flat, f"{s.name}: {heading} should be absent"
    assert "统计期限" in flat and "国务院令第711号" in flat


def verify_text_file(s: Sample, path: Path) -> str:
    data = path.read_bytes()
    if s.encoding in ("gb18030", "gbk"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError(f"{s.name}: expected non-UTF-8 bytes")
    if s.encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode(s.encoding)
    expected_text_checks(s, text)
    return text


def html_table_matrix(table) -> list[list]:
    """Expand rowspan/colspan of an lxml <table> the way a browser lays it out."""
    taken: dict[tuple[int, int], str | None] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr.findall("td"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            text = squash(td.text_content().replace("\xa0", ""))
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = text if dr == dc == 0 else None
            c += cs
    nrows = max(r for r, _ in taken) + 1
    ncols = max(c for _, c in taken) + 1
    return [[taken.get((r, c)) for c in range(ncols)] for r in range(nrows)]


def squash_matrix(matrix):
    return [[None if v is None else squash(v) for v in row] for row in matrix]


def expected_grids(s: Sample) -> list[Grid]:
    return [value[1] for kind, value in blocks(s) if kind == "table"]


def verify_html(s: Sample, path: Path) -> str:
    import lxml.html
    text = verify_text_file(s, path)
    if s.encoding == "gbk":
        assert 'charset="gb2312"' in text
    doc = lxml.html.document_fromstring(path.read_bytes())  # lxml reads the meta charset itself
    zoom = doc.get_element_by_id("zoom")
    content = zoom.text_content()
    assert squash(s.preamble[0][:30]) in squash(content), f"{s.name}: preamble not inside div#zoom"
    tables = zoom.findall(".//table")
    grids = expected_grids(s)
    assert len(tables) == len(grids) == 3
    for table, grid in zip(tables, grids):
        assert html_table_matrix(table) == squash_matrix(grid.matrix(covered=None)), f"{s.name}: html table"
    return f"3 tables, {len(content)} chars in div#zoom"


def verify_docx(s: Sample, path: Path) -> str:
    import docx
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    expected_text_checks(s, text)
    grids = expected_grids(s)
    assert len(document.tables) == len(grids) == 3
    merges = 0
    for table, grid in zip(document.tables, grids):
        got = [[cell.text for cell in row.cells] for row in table.rows]
        assert got == grid.matrix(covered="repeat"), f"{s.name}: docx table differs"
        xml = table._tbl.xml
        merges += xml.count("<w:gridSpan") + xml.count("<w:vMerge")
    assert merges > 0
    return f"3 tables, {merges} merge marks"


def verify_pdf(s: Sample, path: Path) -> str:
    import pdfplumber
    grids = expected_grids(s)
    found = []
    with pdfplumber.open(str(path)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            assert f"-{number}-" in (page.extract_text() or ""), f"{s.name}: page number {number}"
            found.extend(table.extract() for table in page.find_tables())
        pages = len(pdf.pages)
    expected_text_checks(s, text)
    assert len(found) == len(grids) == 3, f"{s.name}: pdfplumber found {len(found)} tables"
    for got, grid in zip(found, grids):
        # pdfplumber reports a merged region once (top-left) and None for the rest.
        assert squash_matrix(got) == squash_matrix(grid.matrix(covered=None)), f"{s.name}: pdf table differs"
    return f"{pages} pages, 3 ruled tables match cell by cell"


def verify(s: Sample, path: Path) -> str:
    if s.fmt.startswith("html"):
        return verify_html(s, path)
    if s.fmt == "docx":
        return verify_docx(s, path)
    if s.fmt == "pdf":
        return verify_pdf(s, path)
    text = verify_text_file(s, path)
    if s.fmt == "txt-tab":
        # Every table-三 data row is present as one tab-separated line.
        grid = applications_grid(s)
        lines = set(text.splitlines())
        assert all("\t".join(row) in lines for row in grid.matrix()[3:]), f"{s.name}: tab table"
    if s.fmt == "txt-space":
        assert "\f" in text and "-1-" in text
    if s.fmt == "md":
        assert text.count("\n|---") == 3
    return f"{len(text)} chars"


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030", "gbk": "GBK (meta gb2312)",
                  "binary": "—"}


def write_readme(samples: list[Sample]) -> Path:
    rows_zh, rows_en = [], []
    for s in samples:
        defects_zh = "；".join(f"{d['rule_hint']}（{d['severity']}）" for d in s.defects) or "无（干净样例）"
        rows_zh.append(f"| `{s.filename}` | {s.agency} | {s.year} | {s.template} | {FORMATS[s.fmt][1]} | "
                       f"{ENCODING_NAMES[s.encoding]} | {defects_zh} |")
        defects_en = "; ".join(f"{d['rule_hint']} ({d['severity']})" for d in s.defects) or "none (clean)"
        rows_en.append(f"| `{s.filename}` | {s.agency} | {s.year} | {s.template} | {s.fmt} | "
                       f"{ENCODING_NAMES[s.encoding]} | {defects_en} |")
    details = "\n".join(
        f"- `{s.filename}`" + "".join(f"\n  - `{d['rule_hint']}`（{d['severity']}）：{d['description']}"
                                      for d in s.defects)
        for s in samples if s.defects)
    text = f"""# 样例年报（项目自带）

本目录下的报告全部由 `make_samples.py` 生成（`/work/venv/bin/python corpus/make_samples.py`），
机关名称、数字、地址、电话都是虚构的，文字是为本项目新写的，没有抄录任何真实报告。每份样例
只有一个数据模型（基本信息、各部分文字、三张表的数值、故意设置的缺陷），报告文件和
`truth/<文件名>.truth.json` 都从它生成，两者不会不一致。脚本可重复运行，输出逐字节相同，
运行结束时会用 python-docx、pdfplumber、lxml 和编码解码把每个文件读回来核对，并打印汇总。

真值文件的格式与 `/work/shared/corpus/real/full/*.truth.json` 相同：`meta`、`sections_present`、
三张表的每个格子（空白为 null；2019 版表三的单行“（六）其他处理”记为 `other_subtotal`）、
`known_defects`（类别、规则提示、中文说明、涉及格子、严重程度）和 `notes`。

## 样例一览

| 文件 | 机关 | 年度 | 表样 | 格式 | 编码 | 故意设置的缺陷 |
|---|---|---|---|---|---|---|
{chr(10).join(rows_zh)}

同一机关的连续年度（可做跨年核对：上年结转=上年结转下年度，现行有效件数链）：
青溪县人民政府 2023→2024，青溪县自然资源局 2022→2023，云岭市生态环境局 2019→2020、2022→2023→2024。
青溪县人民政府2024年报告逐字沿用了2023年的两段文字和一个问题句子。

## 缺陷说明

{details}

其余样例没有故意设置的缺陷，各项勾稽关系（I1–I6）和跨年衔接（X1、X2）都成立。

## 其他值得注意的地方（不是缺陷）

- `yunling-eco-2019.pdf` 第四部分标题写作“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”；
  政府集中采购的采购总金额写在格内为“1286.45万元”（真值记 1286.45），`baisha-town-2020.pdf`
  则是表头“采购总金额（万元）”、格内只有数字。
- 2019 版表二“本年增/减”有负数（如 -1、-3），是合法值。
- `yunling-eco-2020.txt` 是 UTF-8 带 BOM。
- 信息处理费：`qingxi-county-2023.txt` 表三（六）2 为1件，第六部分说明发出收费通知、实收0元；
  `yunling-eco-2024.html` 收费300元（一个月13件，按件计收），（六）2 为1件并有说明。
- `qingxi-natres-2022.md` 表三只有单行（六），真值记为 `other_subtotal`，没有 `other_overdue_*` 行。

## 给解析器作者的提示

- `.txt` 制表符版：合并单元格展开成空格子（和种子文件一样），一行一个表格行。
- `.txt` GB18030 版：仿 pdftotext，正文硬换行，每约50行有页码行“-N-”和换页符；表格空格对齐，
  长标签和表头会折行，续行没有数字；表格可能被页码行截断。
- `.md`：管道表格由合并单元格展开，表头占前2–3行，被合并的位置是空格子。
- `.html`：报告在 `div#zoom` 中，页头、导航、页脚、脚本都不是报告内容；一个页面用 GBK 字节、
  声明 `<meta charset="gb2312">`。
- `.docx`：python-docx 的 `row.cells` 对合并区域（横向 gridSpan、纵向 vMerge）会重复返回同一个格子的文字。
- `.pdf`：pdfplumber 的 `find_tables()` 能找到三张带框线的表，合并区域只在左上角给出文字，其余位置为 `None`；
  窄格里的文字会折成多行（带 `\\n`）。字体 STSong-Light 未嵌入，但文字层可以正常提取。

---

# Bundled sample reports (English)

Every report here is generated by `make_samples.py`; bodies, figures, addresses and phone
numbers are invented and the text was written for this project (no sentence is copied from a
real report). Each sample is one data model rendered into the report file and into
`truth/<stem>.truth.json`, so the two cannot disagree. The script is deterministic
(byte-identical output), reads every file back with python-docx, pdfplumber, lxml and the
codecs, and prints a summary.

| file | body | year | layout | format | encoding | deliberate defects |
|---|---|---|---|---|---|---|
{chr(10).join(rows_en)}

Consecutive years of one body (for cross-year checks X1/X2): 青溪县人民政府 2023→2024,
青溪县自然资源局 2022→2023, 云岭市生态环境局 2019→2020 and 2022→2023→2024. The 2024
青溪县人民政府 report reuses two paragraphs and one problem sentence of 2023 verbatim.

Notes for parser authors:

- tab `.txt`: merged cells become empty tab-separated cells, one table row per line.
- GB18030 `.txt`: pdftotext-like; hard-wrapped paragraphs, a "-N-" page-number line and a form
  feed about every 50 lines (tables may be cut by them); space-aligned tables whose long labels
  and headers fold onto continuation lines without numbers.
- `.md`: pipe tables with merged cells spread out as empty cells; the header takes 2–3 rows.
- `.html`: the report is the `div#zoom`; header, navigation, footer and scripts are page chrome.
  One page is GBK bytes with `<meta charset="gb2312">`.
- `.docx`: python-docx `row.cells` repeats a merged cell's text across its gridSpan/vMerge area.
- `.pdf`: pdfplumber `find_tables()` finds the three ruled tables; a merged region gives its text
  at the top-left position and `None` elsewhere; text in narrow cells comes with `\\n` line
  breaks. STSong-Light is not embedded, the text layer still extracts.
"""
    path = HERE / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    samples = build_samples()
    check_model(samples)
    names = [s.filename for s in samples]
    assert len(set(names)) == len(names)
    print(f"{'file':28} {'bytes':>7}  {'layout':6} {'encoding':18} check / defects")
    total = 0
    for s in samples:
        path = write_sample(s)
        write_truth(s)
        result = verify(s, path)
        size = path.stat().st_size
        total += size
        defects = ", ".join(d["rule_hint"] for d in s.defects) or "clean"
        print(f"{s.filename:28} {size:7d}  {s.template:6} {ENCODING_NAMES[s.encoding]:18} {result}")
        print(f"{'':28} {'':7}  defects: {defects}")
    write_readme(samples)
    corpus_bytes = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"{len(samples)} samples, {total} bytes of reports; corpus/ total {corpus_bytes} bytes")
    assert corpus_bytes < 2_000_000
    return 0


if __name__ == "__main__":
    sys.exit(main())
