"""Title, agency, year and statistics period of a report; the template is decided by tables.py."""

from __future__ import annotations

import re

from auditor.model import Section

_TITLE_LINE = re.compile(r"^\s*(?:标题|题名|名称)\s*[:：]\s*(.+?)\s*$", re.M)
_CHROME_LINE = re.compile(r"^(?:正文|当前位置|首页|发布时间|来源|索引号|字号|【|分享|打印|关闭)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(
    r"(?:统计|数据)[^。]{0,16}?(?:自|为|从|是)?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*"
    r"(?:至|到|—|-|－|~)\s*(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A date alone on its line ("2021年1月14日", "2021-01-14"): a cover letter's or a signature's, never
# part of a title.
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})$")
_EDITOR_NOTE = re.compile(r"[（(][^（）()]*(?:整理|标题|注)[^（）()]*[）)]\s*$")
_TITLE_IN_PREAMBLE = re.compile(r"(?:现公布|现将|特编制|编制(?:完成)?了?|发布)\s*([^，。；,;《》\n]{2,40}?(?:19|20)\d{2}\s*年度?"
                                r"政府信息公开工作年度报告)")
_AGENCY_FROM_PREAMBLE = re.compile(r"本报告由(.{2,30}?)(?:根据|依据|按照|编制)")


def find_title(text: str, first_section: Section | None, container_title: str | None) -> str | None:
    m = _TITLE_LINE.search(text[:2000])
    if m and "报告" in m.group(1):
        return _clean_title(m.group(1))
    head_end = first_section.start if first_section else min(len(text), 1500)
    lines = [ln.strip() for ln in text[:head_end].split("\n")]
    # The title is a block of short lines ending in "…报告", possibly wrapped over two lines.
    # A page's column name ("乡镇政府信息公开年度报告") can come first; a report's own title names its
    # year, so a later candidate with a year wins over an earlier one without.
    block: list[str] = []
    candidates: list[str] = []
    for ln in lines[:25]:
        ln = _EDITOR_NOTE.sub("", ln)
        if not ln or _CHROME_LINE.match(ln) or _DATE_LINE.match(ln):
            block = []  # ("…现予报送。\n专此函达\n某中心\n2021年1月14日\n某中心2020年…报告": the letter's date)
            continue
        if len(ln) > 60 or re.search(r"[。；]", ln):
            block = []
            continue
        block.append(ln)
        joined = "".join(block)
        if re.search(r"(?:报告|公开年报)(?:[（(][^）)]*[）)])?$", joined):
            candidates.append(_clean_title(joined[-80:] if len(joined) > 80 else joined))
            block = []
            if _YEAR.search(candidates[-1]) or len(candidates) == 3:
                break
    if candidates:
        return next((c for c in candidates if _YEAR.search(c)), candidates[0])
    if container_title and "报告" in container_title:
        return _clean_title(container_title)
    # "现公布某某2021年政府信息公开工作年度报告", "特编制某某…年度报告": the title inside the preamble.
    m = _TITLE_IN_PREAMBLE.search(text[:800])
    if m:
        return _clean_title(m.group(1))
    return None


_BREADCRUMB = re.compile(r"^.*[>›»]")
_PAGE_FIELDS = re.compile(r"^(?:.*?(?:成文日期|发布日期|发布时间|文件编号|索引号|发布机构|主题分类|文号|字号)[:：][^:：]*?)*"
                          r"(?:有效性[:：](?:有效|失效|废止))?")
_ALIAS_NOTE = re.compile(r"[（(]以下简称[^）)]*[）)]")


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", "", title)
    title = _EDITOR_NOTE.sub("", title)
    title = _ALIAS_NOTE.sub("", title)
    # Page chrome glued in front of the title: breadcrumbs and metadata fields.
    title = _BREADCRUMB.sub("", title)
    # Page fields run together with bars or bullets ("发布机构|…|发布日期|…|某局2020…报告",
    # "…•标题：某镇2011年…报告"): the title is the last field.
    if re.search(r"[|•]", title):
        title = re.split(r"[|•]", title)[-1]
    title = re.sub(r"^.*?(?:标题|题名)[:：]", "", title)
    title = re.sub(r"^(?:朗读|打印|字号|分享)+", "", title)  # page buttons before the title
    # The last breadcrumb is often the column name glued to the title ("政府信息公开年报铜陵市…").
    title = re.sub(r"^(?:政府信息公开|政务公开)(?:工作)?(?:年度报告|年报)(?=.{6,})", "", title)
    if re.search(r"(?:成文日期|发布日期|文件编号|索引号|有效性)[:：]", title):
        title = _PAGE_FIELDS.sub("", title, count=1)
    # "公文生成日期：2019-01-04某区…报告", "2025-01-16某局…报告": a page's date before the title
    title = re.sub(r"^(?:[^：:]{0,8}[:：])?\d{4}-\d{1,2}-\d{1,2}(?:\d{1,2}:\d{2}(?::\d{2})?)?(?=\D)", "", title)
    # "…发布机构：某镇生成日期：称：某镇人民政府2025年…报告": the last field is the title
    last_field = re.split(r"[:：]", title)[-1]
    if last_field != title and len(last_field) >= 8 and re.search(r"(?:报告|年报)$", last_field):
        title = last_field
    return title.strip("：:# ")


def find_agency(title: str | None, text: str) -> str | None:
    if title:
        rest = re.sub(r"(?:19|20)\d{2}\s*(?:年度?)?", "", title)
        m = re.match(r"(.+?)(?:关于)?(?:政府信息公开|政务公开|信息公开)", rest)
        if m and len(m.group(1)) >= 2:
            return m.group(1).strip("（）()：: ")
    m = _AGENCY_FROM_PREAMBLE.search(text[:1500])
    if m:
        return m.group(1)
    return None


def find_period(text: str) -> tuple[str, str] | None:
    m = _PERIOD.search(text[:6000])
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    y2 = y2 or y1
    try:
        return (f"{int(y1):04d}-{int(m1):02d}-{int(d1):02d}", f"{int(y2):04d}-{int(m2):02d}-{int(d2):02d}")
    except ValueError:
        return None


_DATE_REST = re.compile(r"\s*(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")


def find_year(title: str | None, period: tuple[str, str] | None, text: str) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    if period:
        return int(period[0][:4])
    # The first year the text names, but not in a full date ("2026年1月8日" is when it was
    # published, after the year it reports on), nor a year relative to another ("2019年以来").
    dated = None
    for m in _YEAR.finditer(text[:3000]):
        year = int(m.group(1))
        if not 2007 <= year <= 2100:
            continue
        date = _DATE_REST.match(text, m.end())
        if date:
            month = date.group("month")
            month = int(month) if month.isdigit() else {"一": 1, "二": 2, "三": 3}.get(month, 12)
            # published in the first months of the next year; "截至2023年12月31日" is the year itself
            dated = dated or (year - 1 if month <= 4 else year)
            continue
        return year
    return dated
