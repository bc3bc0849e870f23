"""Rule kind `section`: the report's structure and required content.

params.check selects what is checked:
  required      — the sections of params.sections exist (severity per template via
                  params.severity_by_template: one severity, or one per section key with a
                  "default", e.g. the 2008 layout had no section 六 but did require 问题和改进)
  layout        — a 2021-layout report prints table 三's （六）其他处理 as the single 2019 row,
                  or a report of params.min_year or later uses the 2019 table headings
  title_year    — the title states the year, and it agrees with the statistics period
  preamble_year — the preamble names the report it introduces with another year than the title's
  content       — params.patterns must occur in params.where (a section key, or "head": the
                  text before section 一); one finding listing what is missing
  fee_statement — section 六 states the information-processing fee (params.patterns)
  numbering     — enumerations "一是…二是…" / "（一）…（二）…" inside a section run in order
  heading_text  — a heading differs from the official wording by a typo (edit distance 1–2)
  numerals      — a section's numeral differs from the official one, or it has no heading
  table_unexplained — cells of params.cells hold more than 0, but section params.where gives no
                  account of them (params.pattern): 逾期未缴费 > 0 and 六 says nothing of the fees
                  demanded; cases corrected on appeal and 五 does not analyse them
  tables_absent — a report of the 2019/2021 layout whose sections 二/三/四 are there but whose text
                  holds none of the three tables: printed as images, or never published
  excerpt       — the text is cut short (auditor/checks/assess.py): what lies past the cut could
                  not be assessed; one finding says where the text stops and what is unseen
  measure_year  — section 五 dates its measures in the report's own year ("2016年，我们将…" in a
                  2016 report): the plan is for the year ahead
  signature_date — the date under the body's name at the end: before the report year ended
                  (error), or after the statutory deadline (warning)
  foreign_body_name — the body says it compiled a guide, catalogue or rules titled with another
                  body's name, or its preamble publishes another body's report
  foreign_province — the body forwards, applies or follows (params.adopting) a document titled
                  with another province (params.province) than the one its own text names
  parts_named   — the preamble says the report has N parts and names another number of them
  foreign_self_reference — the body calls itself by another kind of body (a town's report says
                  "我局"): words left from the report it was copied from
A rule with params.applies_to {agency: REGEX, except_templates: [...]} runs only for bodies whose
name matches (e.g. the people's governments, which article 50 of the regulation asks for more)
and not for reports of those layouts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.checks.finding import make_finding
from auditor.model import CN_NUMERALS, Document, Finding
from auditor.rules.rule import Rule
from auditor.structure.sections import EXPECTED_NUMERAL, TITLE_PATTERNS

# The official headings, "一、总体情况" …, from the canonical wording the section finder uses.
SECTION_NAMES = {key: f"{EXPECTED_NUMERAL[key]}、{canonical}" for key, (canonical, _) in TITLE_PATTERNS.items()}


def run(doc: Document, rules: list[Rule], ctx) -> Iterable[Finding]:
    for rule in rules:
        if not _applies(doc, rule):
            continue
        check = rule.params.get("check")
        yield from CHECKS[check](doc, rule)


def _applies(doc: Document, rule: Rule) -> bool:
    applies_to = rule.params.get("applies_to") or {}
    if doc.meta.template in applies_to.get("except_templates", ()):
        return False
    pattern = applies_to.get("agency")
    if pattern is None:
        return True
    # A bounded note: `[^）)]*` would rescan the rest of the name from every unclosed bracket.
    agency = re.sub(r"[（(][^）)]{0,100}[）)]$", "", doc.meta.agency or "").strip()
    return bool(agency) and re.search(pattern, agency) is not None


def _required(doc: Document, rule: Rule) -> Iterable[Finding]:
    if doc.meta.template in rule.params.get("skip_templates", []):
        return
    present = {s.key for s in doc.sections}
    severity = rule.params.get("severity_by_template", {}).get(doc.meta.template)
    for key in rule.params["sections"]:
        if key in present:
            continue
        own = severity.get(key, severity.get("default")) if isinstance(severity, dict) else severity
        yield make_finding(rule, doc, rule.format(section=SECTION_NAMES[key]), severity=own,
                           content=f"missing:{key}", evidence={"missing": key,
                                                               "present": sorted(present)})


def _layout(doc: Document, rule: Rule) -> Iterable[Finding]:
    apps = doc.tables.get("applications") or {}
    year = doc.meta.year
    if doc.meta.template == "2021" and "other_subtotal" in apps and not any(
            k in apps for k in ("other_overdue_correction", "other_overdue_fee", "other_misc")):
        cells = [f"applications.other_subtotal.{c}" for c in apps["other_subtotal"]]
        yield make_finding(rule, doc, rule.format(year=year or "本", detail="表三“（六）其他处理”只印一行（2019版格式），"
                                                  "2021版应分“1.逾期不补正 2.逾期未缴费 3.其他”三行"),
                           cells=cells, section="applications", content="single-other-row")
    min_year = rule.params.get("min_year", 2021)
    if doc.meta.template == "2019" and year and year >= min_year:
        heading = re.search(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量", doc.text)
        yield make_finding(rule, doc, rule.format(year=year, detail="表二、表三仍用2019版表头"
                                                  "（本年新制作数量/上一年项目数量等），应使用国办公开办函〔2021〕30号的格式"),
                           span=(heading.start(), heading.end()) if heading else None,
                           section="active", content="2019-headings",
                           evidence={"year": year, "template": "2019"})


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _title_year(doc: Document, rule: Rule) -> Iterable[Finding]:
    title = doc.meta.title
    if not title:
        return
    m = _YEAR.search(title)
    period = doc.meta.period
    if not m:
        if rule.params.get("mode") == "missing":
            yield make_finding(rule, doc, rule.format(title=title, detail="标题未写报告年度"),
                               content=f"title-no-year:{title}",
                               evidence={"title": title, "year_from": "正文" if doc.meta.year else None,
                                         "year": doc.meta.year})
        return
    if rule.params.get("mode") == "period" and period:
        title_year = int(m.group(1))
        period_year = int(period[0][:4])
        if title_year != period_year or int(period[1][:4]) != title_year:
            yield make_finding(rule, doc, rule.format(title=title, detail=f"标题年度为{title_year}年，"
                                                      f"统计期限却是{period[0]}至{period[1]}"),
                               content=f"period:{title_year}:{period[0]}",
                               evidence={"title_year": title_year, "period": list(period)})


# The preamble naming the report it introduces: "编制完成2023年度政府信息公开工作年度报告".
# "现公布…2023年度政府信息公开工作年度报告", "特向社会公布2008年度卫生局信息公开工作年度报告" (the
# body's name may stand between the year and the report's name).
_OWN_REPORT = re.compile(r"(?:公布|现将|编制(?:完成|并公布)?了?|发布|形成)[^，。；\d\n]{0,20}?"
                         r"((?:19|20)\d{2})\s*年度?[^，。；\d\n《》“”]{0,12}?(?:政府信息公开|政务公开|信息公开)"
                         r"(?:工作)?(?:年度)?(?:报告|年报)")


def _inside_title_marks(text: str, pos: int) -> bool:
    opened = text.rfind("《", 0, pos)
    return opened >= 0 and text.rfind("》", opened, pos) < 0


def _preamble_year(doc: Document, rule: Rule) -> Iterable[Finding]:
    """The preamble names the report with another year than its title and statistics period say:
    a sentence kept from another year's report."""
    year = doc.meta.year
    title_year = _YEAR.search(doc.meta.title or "")
    period = doc.meta.period
    # Which year the report is for must be clear from its title, or (an excerpt without one) from
    # its statistics period; otherwise STR-PERIOD-YEAR says so.
    if not year or (int(title_year.group(1)) != year if title_year else
                    not (period and period[0][:4] == period[1][:4] == str(year))):
        return
    head_end = doc.sections[0].start if doc.sections else min(len(doc.text), 1500)
    for m in _OWN_REPORT.finditer(doc.text, 0, max(head_end, 0)):
        named = int(m.group(1))
        if _inside_title_marks(doc.text, m.start()) and not doc.text.startswith("》", m.end()):
            continue  # 《…关于编制公布2021年政府信息公开工作年度报告的通知》: a notice it cites, not itself
            # (but "编制了《田黄镇2020年政府信息公开工作年度报告》" names the report itself)
        if named != year:
            yield make_finding(rule, doc, rule.format(text=m.group(0), named=named, year=year),
                               span=(m.start(), m.end()), content=f"preamble-year:{named}",
                               evidence={"named_year": named, "report_year": year, "title": doc.meta.title})
            return


def _content(doc: Document, rule: Rule) -> Iterable[Finding]:
    where = rule.params.get("where", "head")
    if where == "head":
        first = doc.sections[0].start if doc.sections else min(len(doc.text), 1500)
        scope = doc.text[:max(first, 0)] + doc.text[: min(len(doc.text), 1500)]
    elif where == "all":
        scope = doc.text
    else:
        scope = doc.section_text(where)
        if not scope:
            return
    missing = [item["name"] for item in rule.params["items"]
               if not re.search(item["pattern"], scope)]
    if missing:
        yield make_finding(rule, doc, rule.format(missing="、".join(missing)),
                           section=None if where in ("head", "all") else where,
                           content="missing:" + ",".join(missing), evidence={"missing": missing, "where": where})


def _fee_statement(doc: Document, rule: Rule) -> Iterable[Finding]:
    other = doc.section("other")
    if other is None:
        return  # the missing section is reported by the required-sections rule
    if doc.meta.year and doc.meta.year < rule.params.get("min_year", 0):
        return
    text = doc.text[other.start:other.end]
    if re.search(rule.params["pattern"], text):
        return
    yield make_finding(rule, doc, rule.format(), span=(other.start, min(other.end, other.start + len(other.title))),
                       section="other", content="no-fee-statement")


_ENUM = re.compile(r"([一二三四五六七八九十])是")


def _numbering(doc: Document, rule: Rule) -> Iterable[Finding]:
    for key in rule.params.get("sections", ["overview", "problems", "other"]):
        sec = doc.section(key)
        if sec is None:
            continue
        # Each paragraph restarts its own "一是…二是…" list.
        pos = sec.start
        for para in doc.text[sec.start:sec.end].split("\n"):
            marks = [(m.start() + pos, m.group(1)) for m in _ENUM.finditer(para)]
            pos += len(para) + 1
            if len(marks) < 2:
                continue
            numbers = [CN_NUMERALS.index(n) + 1 for _, n in marks]
            if numbers[0] != 1:
                continue  # a list that continues another paragraph's, or prose "二是" — not ours
            for (offset, numeral), prev, cur in zip(marks[1:], numbers, numbers[1:]):
                if cur == 1:
                    break  # a new list starts (problems, then measures): later marks are its own
                if cur != prev + 1:
                    expected = CN_NUMERALS[prev]
                    yield make_finding(rule, doc, rule.format(found=f"{numeral}是", expected=f"{expected}是",
                                                              sequence="、".join(f"{n}是" for _, n in marks)),
                                       span=(offset, offset + 2), section=key)
                    break


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _heading_text(doc: Document, rule: Rule) -> Iterable[Finding]:
    if doc.meta.template not in ("2021", "2019"):
        return
    for s in doc.sections:
        title = re.sub(r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*", "", s.title)
        canonical = TITLE_PATTERNS[s.key][0]
        if title == canonical or s.number is None:
            continue
        distance = _edit_distance(title, canonical)
        # Only a typo: one or two characters added or changed. Dropped words ("存在问题及改进情况")
        # and reworded variants are accepted wording, not defects.
        if 1 <= distance <= 2 and len(title) >= len(canonical):
            yield make_finding(rule, doc, rule.format(title=s.title, canonical=f"{s.number}、{canonical}"),
                               span=(s.start, s.start + len(s.title)), section=s.key)


def _numerals(doc: Document, rule: Rule) -> Iterable[Finding]:
    if doc.meta.template not in ("2021", "2019"):
        return
    odd = [s for s in doc.sections if s.number is not None and s.number != EXPECTED_NUMERAL[s.key]]
    unnumbered = [s for s in doc.sections if s.number is None]
    if not odd and not unnumbered:
        return
    detail = "；".join([f"“{s.title}”应为“{SECTION_NAMES[s.key][:2]}”开头" for s in odd] +
                       [f"“{s.title}”没有一级标题序号" for s in unnumbered])
    first = (odd + unnumbered)[0]
    yield make_finding(rule, doc, rule.format(detail=detail), span=(first.start, first.start + len(first.title)),
                       content="numerals:" + ",".join(f"{s.key}={s.number}" for s in odd + unnumbered))


def _table_unexplained(doc: Document, rule: Rule) -> Iterable[Finding]:
    """Table cells (params.cells, "table.row.column") that add up to more than 0 call for an
    account in a section (params.where) that does not give one (params.pattern): fees demanded
    (（六）2 逾期未缴费) and not reported in 六, cases corrected on appeal and not analysed in 五."""
    values = {}
    for path in rule.params["cells"]:
        table, row, column = path.split(".")
        value = ((doc.tables.get(table) or {}).get(row) or {}).get(column)
        if isinstance(value, (int, float)) and value > 0:
            values[path] = value
    if not values:
        return
    where = rule.params["where"]
    sec = doc.section(where)
    text = doc.text[sec.start:sec.end] if sec else ""
    if re.search(rule.params["pattern"], text):
        return
    from auditor.checks.identity import _fmt
    from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

    def label(path: str) -> str:
        _, row, column = path.split(".")
        return ROW_LABELS.get(row, row).strip() + ("" if column == "total" else COLUMN_LABELS.get(column, column))

    detail = "、".join(f"{label(path)}{_fmt(v)}" for path, v in values.items())
    count = sum(values.values())
    yield make_finding(rule, doc, rule.format(count=_fmt(count), detail=detail), cells=list(values),
                       section=where if sec else None, content=f"unexplained:{where}:{_fmt(count)}",
                       evidence={"cells": values, "where": where})


# What sections 二/三/四 may hold beyond their headings and still hold no table: a line such as
# "（见附表）" or "详见下表".
MAX_BARE_SECTION_CHARS = 20


def tables_absent(doc: Document) -> bool:
    """Sections 二, 三 and 四 are there, in a layout that has its three tables, and not one cell of
    them was read: the text holds none of the tables (images on the page, or never published)."""
    if doc.meta.template == "2008":
        return False
    table_sections = [s for s in doc.sections if s.key in ("active", "applications", "appeals")]
    if len({s.key for s in table_sections}) < 2 or any(doc.tables.get(key) for key in ("active", "applications", "appeals")):
        return False
    # Only their headings: a table whose labels are there and its figures not is a blank table
    # (TBL-BLANK's matter), not a table missing from the text.
    body = "".join(doc.text[s.start:s.end].partition("\n")[2] for s in table_sections)
    return len(re.findall(r"[\u4e00-\u9fff]", body)) <= MAX_BARE_SECTION_CHARS


def _tables_absent(doc: Document, rule: Rule) -> Iterable[Finding]:
    if not tables_absent(doc):
        return
    first = next((s for s in doc.sections if s.key in ("active", "applications", "appeals")), None)
    yield make_finding(rule, doc, rule.message, span=(first.start, first.end) if first else None,
                       section=first.key if first else None, content="tables-absent",
                       evidence={"sections": [s.key for s in doc.sections
                                              if s.key in ("active", "applications", "appeals")]})


def _excerpt(doc: Document, rule: Rule) -> Iterable[Finding]:
    from auditor.checks.assess import coverage, expected_sections

    seen = coverage(doc)
    if not seen.truncated:
        return
    unseen = [SECTION_NAMES[k] for k in expected_sections(doc) if k in seen.unseen]
    ends = " ".join(seen.ends_with.split())
    yield make_finding(rule, doc, rule.format(ends=ends, unseen="、".join(unseen)),
                       span=(max(0, len(doc.text.rstrip()) - len(seen.ends_with)), len(doc.text.rstrip())),
                       content="excerpt", evidence={"unseen": sorted(seen.unseen), "ends_with": seen.ends_with})


# "将" right before a verb is "will"; before a noun it is the object marker of a past event ("2016年
# 将政务公开纳入考核"), so only verbs count.
_FUTURE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*[，,]?[^。；，,\n]{0,12}?将(?:继续|进一步|采取|着力|着重|重点|从以下|做好|持续|以|围绕|在以下"
                     r"|加强|加大|强化|推进|完善|不断|切实|全面|积极|大力|努力|严格)")


def _measure_year(doc: Document, rule: Rule) -> Iterable[Finding]:
    sec = doc.section("problems")
    if sec is None or not doc.meta.year:
        return
    for m in _FUTURE.finditer(doc.text, sec.start, sec.end):
        if int(m.group(1)) == doc.meta.year:
            yield make_finding(rule, doc, rule.format(text=m.group(0), year=doc.meta.year),
                               span=(m.start(), m.end()), section="problems",
                               evidence={"report_year": doc.meta.year, "stated_year": int(m.group(1))})
            return


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "О": 0, "o": 0}
_DATE = r"((?:19|20)\d{2}|[一二][〇○零О九][〇○零О一二三四五六七八九]{2})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日"
# The signature: a body's name, then a date, then the end of the text, a line break, the appendix
# or the printing note ("…管理局 2022年1月7日印发"). A date inside a sentence or a range is not one.
_SIGNATURE = re.compile(r"(?:局|委员会|委|办公室|办|政府|中心|管委会|公司|院|所|厅|处|街道|镇|乡|署|会)\s*" + _DATE
                        + r"\s*(?=$|\n|附表|附件|印发)")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 三十一
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def signature_date(doc: Document):
    """(date, (start, end)) of the report's signature, or None."""
    import datetime

    found = None
    for m in _SIGNATURE.finditer(doc.text):
        found = m
    if found is None:
        return None
    try:
        date = datetime.date(*(_cn_number(found.group(i)) for i in (1, 2, 3)))
    except (ValueError, KeyError):
        return None
    start = found.start(1)
    return date, (start, found.end(3) + 1)


def _signature_date(doc: Document, rule: Rule) -> Iterable[Finding]:
    """A report is written after its year ends and published by the statutory deadline: 3月31日
    under the 2008 regulation; since the 2019 revision (art. 49), 1月31日 for every body, 3月31日
    for the report a people's government at county level or above publishes for its area."""
    import datetime

    year = doc.meta.year
    found = signature_date(doc)
    if not year or found is None:
        return
    date, span = found
    written = f"{date.year}年{date.month}月{date.day}日"
    if date == datetime.date(year, 12, 31):
        return  # dated on the year's last day: odd for a report on the whole year, not certainly wrong
    if date < datetime.date(year + 1, 1, 1):
        yield make_finding(rule, doc, rule.format(date=written, detail=f"早于{year}年度结束：落款日期或报告年度有误"), span=span,
                           severity="error", content=f"signature-early:{date}",
                           evidence={"date": date.isoformat(), "report_year": year})
        return
    area_wide = re.search(rule.params["area_government"], doc.meta.agency or "") is not None
    month = 3 if year < 2019 or area_wide else 1
    deadline = datetime.date(year + 1, month, 31)
    if date > deadline:
        basis = "2008年《条例》第三十一条" if year < 2019 else "《条例》第四十九条"
        yield make_finding(rule, doc, rule.format(
            date=written, detail=f"晚于法定公布期限{deadline.year}年{deadline.month}月{deadline.day}日（{basis}）"),
                           span=span, severity="warning", content=f"signature-late:{date}",
                           evidence={"date": date.isoformat(), "deadline": deadline.isoformat(),
                                     "report_year": year, "area_wide_government": area_wide})


_OWN_DOCUMENT = re.compile(
    # the first characters of the two alternatives, tried at once: most of the text is passed over
    # at half the cost of trying each opening word there
    r"(?=[编制修更完现特])(?:"
    r"(?:编制|编印|编写|制定|修订|更新|完善)了?《(?P<body>[\u4e00-\u9fff]{2,24}?(?:局|委员会|委|办公室|中心|镇|乡|街道|人民政府|政府|管委会))"
    r"(?:\d{4}年度?)?(?:政府信息公开|政务公开)[^》]{0,20}》"
    # the preamble naming the report itself: "现公布某某局2025年度政府信息公开工作年度报告"
    r"|(?:现(?:予)?公布|现将|特编制|特此公布)(?P<self>[\u4e00-\u9fff]{2,24}?(?:局|委员会|委|办公室|中心|镇|乡|街道|人民政府|政府|管委会))"
    r"(?:\d{4}年度?)(?:政府信息公开|政务公开)工作(?:年度)?报告)")


def _core_name(name: str) -> str:
    return re.sub(r"[（(][^）)]{0,100}[）)]|人民", "", name)  # bounded: see _applies


def _foreign_body_name(doc: Document, rule: Rule) -> Iterable[Finding]:
    """The report says the body compiled its own guide, catalogue or rules under another body's
    name: a copied report whose names were not all changed."""
    agency = _core_name(doc.meta.agency or "")
    if len(agency) < 3:
        return
    for m in _OWN_DOCUMENT.finditer(doc.text):
        named = m.group("body") or m.group("self")
        body = _core_name(named)
        if body in agency or agency in body or agency.endswith(body[-3:]):
            continue
        document = m.group(0)[m.group(0).index("《"):] if m.group("body") else f"《{m.group(0)[m.start('self') - m.start():]}》"
        yield make_finding(rule, doc, rule.format(document=document, body=named, agency=doc.meta.agency),
                           span=(m.start(), m.end()), content=f"foreign-name:{body}",
                           evidence={"named_body": named, "agency": doc.meta.agency})


# The kinds of body that refer to themselves as 我X/本X; what a body's name ends with decides its kind.
_BODY_KINDS = {"镇": r"镇(?:人民政府)?$", "乡": r"乡(?:人民政府)?$", "街道": r"街道(?:办事处)?$",
               "局": r"局$", "委": r"委(?:员会)?$"}
# 局长/委员/镇属/乡村… are other words; only the bare self-reference counts.
_SELF_REFERENCE = re.compile(r"[我本](镇|乡|局|委|街道)(?![长属内外级区域村员会])")


def _foreign_self_reference(doc: Document, rule: Rule) -> Iterable[Finding]:
    agency = doc.meta.agency or ""
    kind = next((k for k, pattern in _BODY_KINDS.items() if re.search(pattern, agency)), None)
    if kind is None:
        return
    found = list(_SELF_REFERENCE.finditer(doc.text))
    refs = [m for m in found if m.group(1) != kind]
    own = len(found) - len(refs)
    # A body that never calls itself by its own kind may simply use a habitual word: only a
    # stray word amid the body's own usage is a leftover.
    if not refs or own < len(refs):
        return
    first = refs[0]
    words = sorted({m.group(0) for m in refs})
    yield make_finding(rule, doc, rule.format(words="、".join(words), count=len(refs), agency=agency,
                                              own=f"我{kind}/本{kind}", own_count=own),
                       span=(first.start(), first.end()), content="self-reference:" + ",".join(words),
                       evidence={"agency": agency, "kind": kind, "words": words, "times": len(refs),
                                 "own_kind_times": own})


def _foreign_province(doc: Document, rule: Rule) -> Iterable[Finding]:
    """The body forwards, applies or follows a document of another province (《江苏省…》 in a
    Fujian body's report) than its own: copied from that province's report, or a rule the body
    has no reason to apply. The body's own province is the one its name or its preamble (the
    title and the basis before section 一: "根据《福建省政府信息公开办法》") names; a report whose
    name and preamble name no province, or several, is not judged."""
    province = re.compile(rule.params["province"])  # group 1: the province's short name
    first = doc.sections[0].start if doc.sections else 0
    home = {p.group(1) for p in province.finditer(f"{doc.meta.agency or ''}\n{doc.text[:first]}")}
    if len(home) != 1:
        return
    [home_name] = home
    adopting = re.compile(rule.params["adopting"] + r"[^《。；\n]{0,12}《([^》\n]{0,80})》")
    for m in adopting.finditer(doc.text, first):
        named = province.match(m.group(1))  # the document is that province's: its title opens with it
        if named is None or named.group(1) == home_name:
            continue
        yield make_finding(rule, doc, rule.format(document=f"《{m.group(1)}》", province=named.group(0),
                                                  home=home_name),
                           span=(m.start(), m.end()), content=f"foreign-province:{m.group(1)}",
                           evidence={"document": m.group(1), "province": named.group(1), "home_province": home_name})


# "本报告由总体情况、…、其他需要报告的事项六部分组成": the outline the preamble states.
_PARTS_STATED = re.compile(r"(?<![\d一二三四五六七八九十])(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:个)?(?:部分|方面)"
                           r"(?:内容(?:组成|构成)?|组成|构成)")
_PARTS_INTRO = re.compile(r"(?:由|包括|包含|分为|分成|[：:])")
# What every match of _PARTS_STATED holds: found fast (a literal start), it spares most texts the
# slow scan that tries _PARTS_STATED at every character.
_PARTS_STATED_TAIL = re.compile(r"(?:部分|方面)(?:内容|组成|构成)")


def _outline_items(listed: str, terminal: re.Pattern) -> list[str] | None:
    """The parts a preamble names, or None when they cannot be told apart. Items are cut at 、，；
    and a piece that does not end with a part's own noun (params.terminal: 情况, 事项, 措施 …) goes
    on into the next ("政府信息公开行政复议、行政诉讼情况" is one part); an item that joins two
    such parts with 和/及/以及 ("…改进措施和政府信息公开情况统计表") is two."""
    pieces = [p.strip(" \t\n“”\"") for p in re.split(r"[、，,；;]", listed)]
    pieces = [p for p in pieces if p]
    if len(pieces) < 3 or any(len(p) > 40 for p in pieces):
        return None
    items: list[str] = []
    pending = ""
    for piece in pieces:
        if pending and len(pending) >= 4 and piece.startswith(pending):
            # "因…被申请行政复议、因…被申请行政复议和提起行政诉讼情况": the next item repeats this
            # one's words — two items (one a slip), not one cut in two
            items.append(pending)
            pending = ""
        pending = f"{pending}、{piece}" if pending else piece
        if terminal.search(pending):
            items.append(pending)
            pending = ""
    if pending:
        items.append(pending)
    split: list[str] = []
    for item in items:
        for m in re.finditer(r"和|以及|及", item):
            left, right = item[:m.start()], item[m.end():]
            if terminal.search(left) and terminal.search(right):
                split += [left, right]
                break
        else:
            split.append(item)
    return split


def _parts_named(doc: Document, rule: Rule) -> Iterable[Finding]:
    terminal = re.compile(f"(?:{rule.params['terminal']})$")
    if not _PARTS_STATED_TAIL.search(doc.text):
        return
    for m in _PARTS_STATED.finditer(doc.text):
        window = max(0, m.start() - 300)  # the sentence's start, at most 300 characters back
        start = max(doc.text.rfind("。", window, m.start()), doc.text.rfind("\n", window, m.start()), m.start() - 300) + 1
        intros = list(_PARTS_INTRO.finditer(doc.text, start, m.start()))
        if not intros:
            continue
        listed = doc.text[intros[-1].end():m.start()]
        items = _outline_items(re.sub(r"(?:等|共|计)$", "", listed.strip()), terminal)
        stated = _cn_number(m.group("n"))
        if items is None or len(items) == stated:
            continue
        yield make_finding(rule, doc, rule.format(stated=m.group("n"), count=len(items), items="；".join(items)),
                           span=(intros[-1].end(), m.end()), content=f"outline:{stated}:{len(items)}",
                           evidence={"stated": stated, "named": items})


CHECKS = {"required": _required, "layout": _layout, "title_year": _title_year, "content": _content,
          "fee_statement": _fee_statement, "numbering": _numbering, "heading_text": _heading_text,
          "numerals": _numerals, "table_unexplained": _table_unexplained,
          "excerpt": _excerpt, "tables_absent": _tables_absent, "measure_year": _measure_year, "signature_date": _signature_date,
          "foreign_body_name": _foreign_body_name, "foreign_province": _foreign_province,
          "foreign_self_reference": _foreign_self_reference, "preamble_year": _preamble_year,
          "parts_named": _parts_named}
