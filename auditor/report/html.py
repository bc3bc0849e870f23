"""`--format html`: one self-contained page for a reviewer.

One <article> per report: a header (title, body, year, template, score and its parts, counts by
severity and category that filter the list), the report text section by section with every
finding's span marked in place, the three statistics tables as grids (cells named by findings
highlighted, blank cells distinct from zeros, identities written out), and the findings grouped
by rule with severity/category filters and 确认 / 忽略 buttons whose decisions export as an
`auditor.baseline/1` file that `audit --baseline` accepts.

Safety: every piece of report text is untrusted. All HTML is built here with html.escape; the
script only reads a JSON block (with <, >, & escaped as \\u003c…) and writes with textContent.
A Content-Security-Policy meta forbids any network access. CSS and JS are inline, so the file
opens from disk and needs nothing else.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from html import escape

from auditor.model import CATEGORIES, SEVERITIES
from auditor.report.text import CATEGORY_LABELS, SECTION_LABELS, SEVERITY_LABELS, TABLE_LABELS, cell_label
from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
# Chinese text needs a CJK font: the usual ones of macOS, Windows and Linux, by name. A Linux
# machine without any (no fonts-noto-cjk or similar) shows boxes instead of characters.
FONT_STACK = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
              '"WenQuanYi Micro Hei","WenQuanYi Zen Hei",sans-serif')
MONO_STACK = '"Noto Sans Mono CJK SC","Sarasa Mono SC",Consolas,"DejaVu Sans Mono",monospace'
TABLE_TITLES = {"active": "主动公开政府信息情况", "applications": "收到和处理政府信息公开申请情况",
                "appeals": "政府信息公开行政复议、行政诉讼情况",
                "statistics_2008": "政府信息公开情况统计表（2008版格式）"}
TABLE_ORDER = ("active", "applications", "appeals")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
CONTEXT_CHARS = 60
EVIDENCE_CHARS = 4000


def e(value) -> str:
    """Escape anything for text and attribute positions."""
    return escape("" if value is None else str(value), quote=True)


def json_for_script(data) -> str:
    """JSON safe inside <script type="application/json">: no <, >, & that could close the block."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "空" if value is None else str(value)


def _sev(severity: str) -> str:
    return severity if severity in SEVERITIES else "info"


def _worst(severities) -> str:
    return min((_sev(s) for s in severities), key=SEVERITY_RANK.__getitem__, default="info")


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


# --------------------------------------------------------------------------- page


def render(results: Sequence, rules: Sequence = (), color: bool = False, *,
           store_key: str | None = None, index_href: str | None = None) -> str:
    """`store_key`: the batch the page belongs to — its decisions are kept in the browser under
    that key and the report's path, where the batch's index finds them; `index_href`: a link
    back to that index."""
    ids = _finding_ids(results)
    key = "|".join(r.doc.path for r in results)
    data = {"key": f"{store_key}|{key}" if store_key else key, "findings": {}}
    articles = []
    for number, result in enumerate(results):
        fids = ids[number]
        for finding, fid in zip(result.findings, fids):
            data["findings"][fid] = {"fingerprint": finding.fingerprint, "rule": finding.rule,
                                     "message": finding.message, "path": result.doc.path,
                                     "severity": finding.severity, "category": finding.category}
        articles.append(_article(result, fids, number))
    total = sum(len(r.findings) for r in results)
    toc = ""
    if len(results) > 1:
        toc = ('<nav class="toc controls"><h2>报告</h2><ol>'
               + "".join(f'<li><a href="#report-{i}">{e(r.doc.meta.title or r.doc.path)}</a>'
                         f'（{len(r.findings)} 条）</li>' for i, r in enumerate(results))
               + "</ol></nav>")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(_page_title(results))}</title><style>{CSS}</style></head><body>"
        '<header class="page-head"><div class="head-row">'
        + (f'<a class="back controls" href="{e(index_href)}">← 返回批量审核索引</a>' if index_href else "")
        + '<h1>政府信息公开工作年度报告审核结果</h1>'
        f'<p>{len(results)} 份报告，共 <span id="total-count">{total}</span> 条发现。'
        '<span class="controls">按 <kbd>j</kbd>/<kbd>k</kbd> 切换下一条/上一条发现。</span></p>'
        '<div class="controls decisions-bar"><button type="button" id="export-decisions">导出决定</button> '
        '<span id="decision-count">尚未作出决定</span>'
        + ('<span class="hint">（本页的决定也会出现在索引页，在那里可一次导出整批的决定）</span></div>' if store_key else
           '<span class="hint">（导出的文件可用于 <code>auditor audit --baseline</code>）</span></div>')
        + '</div>'
        +         f"</header>{toc}<main>{''.join(articles)}</main>"
        f'<script type="application/json" id="auditor-data">{json_for_script(data)}</script>'
        f"<script>{JS}</script></body></html>\n")


def _page_title(results) -> str:
    if len(results) == 1:
        meta = results[0].doc.meta
        return f"审核：{meta.title or results[0].doc.path}"
    return f"审核：{len(results)} 份报告"


# \w is what str.isalnum() accepts, and "_".
_NOT_ID_CHAR = re.compile(r"[^\w-]")


def _finding_ids(results) -> list[list[str]]:
    """"f-" + fingerprint, with "-2", "-3"… when a fingerprint repeats on the page."""
    seen: Counter = Counter()
    out = []
    for result in results:
        ids = []
        for finding in result.findings:
            base = "f-" + _NOT_ID_CHAR.sub("_", finding.fingerprint)
            seen[base] += 1
            ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
        out.append(ids)
    return out


def _article(result, fids: list[str], number: int) -> str:
    findings = list(zip(result.findings, fids))
    return (f'<article class="report" id="report-{number}" data-path="{e(result.doc.path)}">'
            + _header(result, findings)
            + '<div class="layout"><div class="col-doc">'
            + _text_view(result.doc, findings)
            + _tables_view(result.doc, findings)
            + '</div><div class="col-findings">'
            + _findings_view(result.doc, findings)
            + "</div></div></article>")


# --------------------------------------------------------------------------- header


def _header(result, findings) -> str:
    doc, meta, score = result.doc, result.doc.meta, result.score or {}
    details = [("机关", meta.agency), ("年度", f"{meta.year} 年" if meta.year else None),
               ("格式", meta.template), ("文件", doc.path)]
    facts = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in details if v)
    parts = score.get("parts", {})
    rubric = score.get("rubric", {})
    part_html = "".join(
        f'<li><span class="part-name">{e(rubric[c]["label"] if c in rubric else CATEGORY_LABELS.get(c, c))}</span> '
        f'<span class="part-score">{e(_number(rubric[c]["earned"]) + "/" + _number(rubric[c]["points"]) if c in rubric else _number(parts[c]))}</span></li>'
        for c in sorted(rubric or parts, key=_category_rank))
    total = _number(score.get("total")) if score else "—"
    assessed = score.get("assessed")
    assessed_html = (f'<span class="assessed" title="只有能评估的部分计分">可评估 {e(f"{assessed:.0%}")}</span>'
                     if isinstance(assessed, (int, float)) else "")
    by_sev = Counter(f.severity for f, _ in findings)
    by_cat = Counter(f.category for f, _ in findings)
    sev_buttons = "".join(
        f'<button type="button" class="count sev-{e(_sev(s))}" data-kind="severity" data-value="{e(s)}" '
        f'title="只看{e(SEVERITY_LABELS.get(s, s))}">{e(SEVERITY_LABELS.get(s, s))} '
        f'<b class="n">{by_sev[s]}</b></button>'
        for s in list(SEVERITIES) + sorted(set(by_sev) - set(SEVERITIES)) if s in SEVERITIES or by_sev[s])
    cat_buttons = "".join(
        f'<button type="button" class="count cat" data-kind="category" data-value="{e(c)}" '
        f'title="只看{e(CATEGORY_LABELS.get(c, c))}">{e(CATEGORY_LABELS.get(c, c))} '
        f'<b class="n">{by_cat[c]}</b></button>'
        for c in sorted(set(CATEGORIES) | set(by_cat), key=_category_rank))
    reuse = ""
    if result.reuse:
        rows = []
        for key, figures in result.reuse.items():
            shares = [f"{label} {figures[k]:.0%}" for k, label in (("previous_year", "与上年"), ("corpus", "与语料"))
                      if isinstance(figures.get(k), (int, float))]
            if shares:
                rows.append(f"<li>{e(SECTION_LABELS.get(key, key))} {e('，'.join(shares))}</li>")
        if rows:
            # One wrapped line, not a list: the findings must stay on the first screen.
            reuse = f'<div class="reuse"><span class="label">重复比例</span><ul>{"".join(rows)}</ul></div>'
    return (f'<header class="report-head"><h2>{e(meta.title or doc.path)}</h2><dl class="facts">{facts}</dl>'
            # The score beside its parts and the counts, not above them: the findings below must
            # start on the first screen of a 1366×768 laptop.
            f'<div class="score"><div class="total"><span>得分</span><strong>{e(total)}</strong>{assessed_html}</div>'
            f'<div class="score-side"><ul class="parts">{part_html}</ul>'
            f'<div class="counts"><div class="count-row"><span class="label">严重程度</span>{sev_buttons}</div>'
            f'<div class="count-row"><span class="label">类别</span>{cat_buttons}</div>'
            f'<div class="count-row"><span class="label">共</span><b class="n total-findings">{len(findings)}</b> 条'
            f'<button type="button" class="reset controls">显示全部</button></div></div></div></div>{reuse}</header>')


# --------------------------------------------------------------------------- text


def _chunks(doc) -> list[tuple[str, str | None, int, int]]:
    """(heading, section key, start, end) covering the whole text: 前言, sections, gaps."""
    out, pos = [], 0
    for section in sorted(doc.sections, key=lambda s: s.start):
        if section.start > pos and doc.text[pos:section.start].strip():
            out.append(("前言" if pos == 0 else "（未归入章节的文字）", None, pos, section.start))
        start = max(section.start, pos)
        if section.end > start:
            out.append((section.title or SECTION_LABELS.get(section.key, section.key), section.key, start, section.end))
            pos = section.end
    if pos < len(doc.text) and doc.text[pos:].strip():
        out.append(("前言" if pos == 0 else "（章节之后的文字）", None, pos, len(doc.text)))
    return out


def _text_view(doc, findings) -> str:
    spans = [(f.span.start, f.span.end, fid, _sev(f.severity)) for f, fid in findings
             if f.span is not None and 0 <= f.span.start < f.span.end <= len(doc.text)]
    first_mark: set[str] = set()
    parts = ['<section class="doc-text"><h3>报告原文</h3>']
    for heading, key, start, end in _chunks(doc):
        parts.append(f'<section class="chunk" data-section="{e(key or "")}"><h4>{e(heading)}</h4>'
                     f'<div class="text">{_marked(doc.text, start, end, spans, first_mark)}</div></section>')
    parts.append("</section>")
    return "".join(parts)


def _marked(text: str, start: int, end: int, spans, first_mark: set) -> str:
    inside = [s for s in spans if s[0] < end and s[1] > start]
    cuts = sorted({start, end} | {max(start, min(end, p)) for s in inside for p in s[:2]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        covering = [s for s in inside if s[0] <= a and s[1] >= b]
        piece = e(text[a:b])
        if not covering:
            out.append(piece)
            continue
        ids = [s[2] for s in covering]
        anchors = "".join(f'<span class="anchor" id="m-{fid}"></span>' for fid in ids if fid not in first_mark)
        first_mark.update(ids)
        sev = _worst(s[3] for s in covering)
        layered = " layered" if len(covering) > 1 else ""
        out.append(f'{anchors}<mark class="sev-{sev}{layered}" data-finding="{" ".join(ids)}" '
                   f'title="{e("；".join(i for i in ids))}">{piece}</mark>')
    return "".join(out)


# --------------------------------------------------------------------------- tables


def _tables_view(doc, findings) -> str:
    marked: dict[str, list[tuple[str, str]]] = {}
    for finding, fid in findings:
        for path in finding.cells:
            marked.setdefault(path, []).append((fid, _sev(finding.severity)))
    keys = [k for k in TABLE_ORDER if k in doc.tables] + sorted(k for k in doc.tables if k not in TABLE_ORDER)
    out = ['<section class="doc-tables"><h3>统计表</h3>']
    if not keys:
        out.append('<p class="empty">没有读出统计表。</p>')
    for key in keys:
        out.append(_table(doc, key, doc.tables.get(key) or {}, marked, findings))
    out.append("</section>")
    return "".join(out)


@lru_cache(maxsize=1024)
def _row_head(row_key: str) -> tuple[str, str]:
    """A table row's header cell, and its key escaped: every report's tables have the same rows."""
    return f'<tr><th scope="row" title="{e(row_key)}">{e(ROW_LABELS.get(row_key, row_key))}</th>', e(row_key)


def _table(doc, key: str, table: dict, marked, findings) -> str:
    label = f"{TABLE_LABELS.get(key, key)} {TABLE_TITLES.get(key, '')}".strip()
    head = f'<div class="table-block" id="table-{e(key)}"><h4>{e(label)}</h4>'
    if not table:
        return head + '<p class="empty">报告中没有这张表。</p></div>'
    columns: list[str] = []
    for row in table.values():
        for column in (row or {}):
            if column not in columns:
                columns.append(column)
    out = [head, '<div class="grid-wrap"><table class="grid"><thead><tr><th scope="col">项目</th>']
    out += [f'<th scope="col" title="{e(c)}">{e(COLUMN_LABELS.get(c, c))}</th>' for c in columns]
    out.append("</tr></thead><tbody>")
    # A table has hundreds of cells: their paths are escaped piecewise (escaping works character
    # by character, so the pieces joined are the whole path escaped), each piece once.
    escaped_columns = {column: e(column) for column in columns}
    escaped_key = e(key)
    for row_key, row in table.items():
        row = row or {}
        row_head, escaped_row_key = _row_head(row_key)
        out.append(row_head)
        escaped_row = f"{escaped_key}.{escaped_row_key}."
        for column in columns:
            path = f"{key}.{row_key}.{column}"
            cell = f'data-cell="{escaped_row}{escaped_columns[column]}"'
            value = row.get(column)
            if isinstance(value, (int, float)) and path not in marked:
                # most cells: a printed figure no finding names (digits, sign, point: nothing to escape)
                out.append(f'<td class="cell" {cell}>{_number(value)}</td>')
                continue
            classes, attrs = ["cell"], [cell]
            if column not in row:
                classes.append("absent")
                content = ""
                attrs.append('title="报告未印出此格"')
            elif value is None:
                classes.append("blank")
                content = "空"
                attrs.append('title="空白（不是 0）"')
            elif isinstance(value, (int, float)):
                content = _number(value)  # digits, sign, point: nothing to escape
            else:
                content = e(_number(value))
            if path in marked:
                classes += ["flagged", f"sev-{_worst(s for _, s in marked[path])}"]
                attrs.append(f'data-finding="{" ".join(fid for fid, _ in marked[path])}"')
            out.append(f'<td class="{" ".join(classes)}" {" ".join(attrs)}>{content}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    identities = []
    for finding, fid in findings:
        expression = finding.evidence.get("expression") if isinstance(finding.evidence, dict) else None
        if expression and any(p.split(".")[0] == key for p in finding.cells):
            identities.append(f'<li class="sev-{_sev(finding.severity)}"><a href="#{fid}" data-goto="{fid}">'
                              f'{e(finding.rule)}</a> <span class="expr">{e(expression)}</span></li>')
    if identities:
        out.append(f'<div class="identities"><h5>勾稽关系（代入报告数字）</h5><ul>{"".join(identities)}</ul></div>')
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------- findings


def _findings_view(doc, findings) -> str:
    sev_boxes = "".join(f'<label><input type="checkbox" data-filter="severity" value="{e(s)}" checked> '
                        f'<span class="sev-dot sev-{e(s)}"></span>{e(SEVERITY_LABELS[s])}</label>'
                        for s in SEVERITIES)
    cats = sorted(set(CATEGORIES) | {f.category for f, _ in findings}, key=_category_rank)
    cat_boxes = "".join(f'<label><input type="checkbox" data-filter="category" value="{e(c)}" checked> '
                        f'{e(CATEGORY_LABELS.get(c, c))}</label>' for c in cats)
    out = ['<section class="findings"><h3>发现 <span class="shown-count">'
           f'{len(findings)} / {len(findings)}</span></h3>',
           f'<div class="filters controls"><div><span class="label">严重程度</span>{sev_boxes}</div>'
           f'<div><span class="label">类别</span>{cat_boxes}</div></div>']
    if not findings:
        out.append('<p class="empty">未发现问题。</p>')
    groups: dict[str, list] = {}
    for finding, fid in findings:
        groups.setdefault(finding.rule, []).append((finding, fid))
    order = sorted(groups, key=lambda r: (SEVERITY_RANK[_worst(f.severity for f, _ in groups[r])], r))
    for rule in order:
        items = groups[rule]
        out.append(f'<section class="rule-group" data-rule="{e(rule)}"><h4><span class="rule-id">{e(rule)}</span> '
                   f'<span class="group-count">{len(items)}</span> 条</h4>')
        out += [_finding(doc, f, fid) for f, fid in items]
        out.append("</section>")
    out.append("</section>")
    return "".join(out)


def _finding(doc, finding, fid: str) -> str:
    sev = _sev(finding.severity)
    body = []
    if finding.span is not None:
        body.append(f'<div class="context">{_context(doc.text, finding.span.start, finding.span.end, sev)}'
                    f' <a class="locate" href="#m-{fid}" data-goto-mark="{fid}">在原文中定位</a></div>')
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    if finding.cells:
        values = evidence.get("values", {}) if isinstance(evidence.get("values"), dict) else {}
        # Cells read from a scan: where each is on the page image (checks/scanned.py, ocr_cells).
        on_scan = {w.get("cell"): w for w in evidence.get("ocr_cells") or () if isinstance(w, dict)}
        cells = []
        for path in finding.cells:
            value = values[path] if path in values else doc.cell(path)
            cls = "blank" if value is None else ""
            where = on_scan.get(path)
            place = (' <span class="cell-ocr">' + e(f'扫描件第{where["page"]}页 框 {where["box"][0]},{where["box"][1]}–'
                                                   f'{where["box"][2]},{where["box"][3]}') + '</span>'
                     if where and isinstance(where.get("box"), list) and len(where["box"]) == 4 else "")
            cells.append(f'<li><span class="cell-label">{e(cell_label(path))}</span> = '
                         f'<span class="cell-value {cls}">{e(_number(value))}</span>{place}</li>')
        table = finding.cells[0].split(".")[0]
        body.append(f'<div class="cells"><span class="label">单元格</span><ul>{"".join(cells)}</ul>'
                    f'<a class="locate" href="#table-{e(table)}">查看表格</a></div>')
    if evidence.get("expression"):
        body.append(f'<div class="expression"><span class="label">算式</span> '
                    f'<code>{e(evidence["expression"])}</code></div>')
    ocr = evidence.get("ocr")
    if isinstance(ocr, dict) and isinstance(ocr.get("page"), int):
        box = ocr.get("box")
        where = f"（框 {box[0]},{box[1]}–{box[2]},{box[3]} 像素）" if isinstance(box, list) and len(box) == 4 else ""
        body.append(f'<div class="ocr-source"><span class="label">来源</span> '
                    f'识别自扫描件第{ocr["page"]}页{e(where)}</div>')
    body += _source_views(doc, finding, evidence)
    if evidence:
        dump = json.dumps(evidence, ensure_ascii=False, indent=1)
        if len(dump) > EVIDENCE_CHARS:
            dump = dump[:EVIDENCE_CHARS] + "\n…"
        body.append(f'<details class="raw"><summary>全部证据</summary><pre>{e(dump)}</pre></details>')
    section = SECTION_LABELS.get(finding.section, finding.section or "")
    return (f'<div class="finding sev-{sev}" id="{fid}" tabindex="-1" data-severity="{e(finding.severity)}" '
            f'data-category="{e(finding.category)}" data-fingerprint="{e(finding.fingerprint)}">'
            f'<div class="finding-head" role="button" aria-expanded="false">'
            f'<span class="badge sev-{sev}">{e(SEVERITY_LABELS.get(finding.severity, finding.severity))}</span> '
            f'<span class="rule-id">{e(finding.rule)}</span> '
            f'<span class="cat">{e(CATEGORY_LABELS.get(finding.category, finding.category))}</span> '
            f'<span class="sec">{e(section)}</span>'
            f'<span class="status"></span>'
            f'<div class="message">{e(finding.message)}</div></div>'
            f'<div class="body">{"".join(body)}'
            f'<div class="decide controls"><button type="button" data-decision="confirmed">确认</button>'
            f'<button type="button" data-decision="dismissed">忽略</button>'
            f'<a class="permalink" href="#{fid}">链接</a></div></div></div>')


def _context(text: str, start: int, end: int, sev: str) -> str:
    line_start = max(text.rfind("\n", 0, max(0, start - CONTEXT_CHARS)), start - CONTEXT_CHARS, 0)
    right = min(len(text), end + CONTEXT_CHARS)
    left = "…" if line_start > 0 else ""
    return (f"{left}{e(text[line_start:start])}<mark class=\"sev-{sev}\">{e(text[start:end])}</mark>"
            f"{e(text[end:right])}{'…' if right < len(text) else ''}")


def _source_views(doc, finding, evidence) -> list[str]:
    """Copied passage beside its source, for boilerplate findings that name a source."""
    pairs = []
    source = evidence.get("source")
    if isinstance(source, dict) and source.get("text") and finding.span is not None:
        pairs.append((finding.span.text, source))
    for item in evidence.get("spans", []) or []:
        if isinstance(item, dict) and isinstance(item.get("source"), dict) and item["source"].get("text"):
            s, t = item.get("start"), item.get("end")
            if isinstance(s, int) and isinstance(t, int) and (finding.span is None or (s, t) != (finding.span.start, finding.span.end)):
                pairs.append((doc.text[s:t], item["source"]))
    out = []
    for copied, src in pairs[:10]:
        who = " ".join(str(x) for x in (src.get("agency"), f"{src['year']} 年" if src.get("year") else None) if x)
        similarity = src.get("similarity")
        sim = f"相似度 {similarity:.0%}" if isinstance(similarity, (int, float)) else ""
        out.append(f'<div class="side-by-side"><div class="pane"><h5>本报告</h5><p>{e(copied)}</p></div>'
                   f'<div class="pane source"><h5>来源：{e(who or "其他报告")} <span class="sim">{e(sim)}</span></h5>'
                   f'<div class="source-path">{e(src.get("path"))}</div><p>{e(src.get("text"))}</p></div></div>')
    return out


# --------------------------------------------------------------------------- assets

CSS = r"""
:root{--err:#c62828;--err-bg:#ffd9d6;--warn:#a86b00;--warn-bg:#fff0b3;--info:#1f5fbf;--info-bg:#dbe8ff;--line:#d8d8d8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.7 FONT_STACK;color:#1d1d1d;background:#f5f5f2}
.page-head{padding:8px 24px;background:#24313f;color:#fff}
.page-head h1{margin:0;font-size:20px}
.page-head p{margin:0}
.page-head a.back{color:#ffe08a;font-size:14px}
.head-row{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 18px}
.page-head kbd{background:#fff;color:#222;border-radius:3px;padding:0 4px;font-size:12px}
.page-head code{color:#ffe08a}
.decisions-bar{margin:0}
.decisions-bar .hint{opacity:.75;font-size:13px}
button{font:inherit;cursor:pointer;border:1px solid #b8b8b8;background:#fff;border-radius:4px;padding:1px 10px}
button:hover{background:#eef3fb}
#export-decisions{background:#ffe08a;border-color:#d6b24a;font-weight:bold}
.toc{padding:8px 24px;background:#fff;border-bottom:1px solid var(--line)}
.toc h2{font-size:16px;margin:0}
main{padding:10px 24px}
.report{background:#fff;border:1px solid var(--line);border-radius:6px;margin-bottom:28px;padding:10px 20px}
.report-head h2{margin:0 0 4px;font-size:19px}
.facts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0 0 10px}
.facts div{display:flex;gap:6px}.facts dt{color:#777}.facts dd{margin:0;word-break:break-all}
.score{display:flex;align-items:center;gap:18px;margin-bottom:4px}
.score-side{display:flex;flex-direction:column;gap:2px}
.score .total{display:flex;flex-direction:column;align-items:center;border:2px solid #24313f;border-radius:8px;padding:2px 14px}
.score .total strong{font-size:28px;line-height:1.1}
.parts{list-style:none;display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0}
.parts li{background:#f0f2f5;border-radius:4px;padding:0 8px}.part-score{font-weight:bold}
.count-row{display:flex;align-items:center;flex-wrap:wrap;gap:6px;margin:2px 0}
.counts{display:flex;flex-wrap:wrap;gap:0 22px}
.label{color:#666;font-size:13px;margin-right:4px}
button.count.selected{outline:3px solid #24313f;outline-offset:1px}
button.count.sev-error{border-color:var(--err);color:var(--err)}
button.count.sev-warning{border-color:var(--warn);color:var(--warn)}
button.count.sev-info{border-color:var(--info);color:var(--info)}
.reuse{display:flex;gap:4px;align-items:baseline;font-size:13px}.reuse .label{flex:none}
.reuse ul{display:flex;flex-wrap:wrap;gap:0 14px;list-style:none;margin:0;padding:0}
.layout{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:20px;margin-top:12px}
@media (max-width:1000px){.layout{grid-template-columns:1fr}}
.col-findings .findings{position:sticky;top:0;max-height:100vh;overflow:auto}
h3{font-size:17px;border-bottom:2px solid #24313f;padding-bottom:2px;margin:10px 0}
h4{font-size:15px;margin:12px 0 4px}
.chunk .text{white-space:pre-wrap;word-break:break-word;background:#fcfcfa;border-left:3px solid #e3e3de;padding:4px 10px}
mark{border-radius:2px;cursor:pointer;padding:0 1px;color:inherit}
mark.sev-error{background:var(--err-bg);box-shadow:inset 0 -2px var(--err)}
mark.sev-warning{background:var(--warn-bg);box-shadow:inset 0 -2px var(--warn)}
mark.sev-info{background:var(--info-bg);box-shadow:inset 0 -2px var(--info)}
mark.layered{text-decoration:underline double}
mark.dim{background:transparent;box-shadow:none;cursor:default}
mark.linked,td.linked{outline:2px solid #24313f}
.grid-wrap{overflow-x:auto}
table.grid{border-collapse:collapse;font-size:13px;min-width:100%}
.grid th,.grid td{border:1px solid #bbb;padding:2px 6px;text-align:right;white-space:nowrap}
.grid thead th{background:#eceff3;text-align:center}
.grid tbody th{text-align:left;background:#f7f7f7;font-weight:normal;white-space:pre}
td.blank{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#e2e2e2 4px,#e2e2e2 8px);color:#888;text-align:center;font-style:italic}
td.absent{background:#f3f3f3}
td.flagged{cursor:pointer;font-weight:bold}
td.flagged.sev-error{background-color:var(--err-bg);outline:2px solid var(--err);outline-offset:-2px}
td.flagged.sev-warning{background-color:var(--warn-bg);outline:2px solid var(--warn);outline-offset:-2px}
td.flagged.sev-info{background-color:var(--info-bg);outline:2px solid var(--info);outline-offset:-2px}
td.blank.flagged.sev-error{background:repeating-linear-gradient(45deg,var(--err-bg),var(--err-bg) 4px,#f3b0aa 4px,#f3b0aa 8px)}
.identities h5{margin:6px 0 2px;font-size:13px}.identities ul{margin:0;padding-left:18px;font-size:13px}
.identities li.sev-error .expr{color:var(--err)}
.expr,code{font-family:MONO_STACK;font-size:13px}
.filters{background:#f4f6f8;border-radius:4px;padding:4px 8px;margin-bottom:6px;font-size:14px}
.filters label{margin-right:10px;white-space:nowrap}
.sev-dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:3px}
.sev-dot.sev-error{background:var(--err)}.sev-dot.sev-warning{background:var(--warn)}.sev-dot.sev-info{background:var(--info)}
.rule-group h4{margin:10px 0 4px;font-size:14px;color:#444}
.rule-id{font-family:MONO_STACK;font-weight:bold}
.finding{border:1px solid var(--line);border-left:5px solid var(--info);border-radius:4px;margin:4px 0;background:#fff}
.finding.sev-error{border-left-color:var(--err)}.finding.sev-warning{border-left-color:var(--warn)}
.finding.active{box-shadow:0 0 0 3px #24313f55;background:#fbfcff}
.finding:focus{outline:none}
.finding.hidden,.rule-group.hidden{display:none}
.finding.decided-dismissed{opacity:.55}
.finding-head{padding:4px 8px;cursor:pointer}
.badge{color:#fff;border-radius:3px;padding:0 5px;font-size:12px}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.cat,.sec{font-size:12px;color:#666;background:#f0f0f0;border-radius:3px;padding:0 4px}
.status{margin-left:6px;font-size:12px;font-weight:bold;color:#24313f}
.message{margin-top:2px}
.finding .body{display:none;padding:4px 10px 8px;border-top:1px dashed var(--line);font-size:14px}
.finding.open .body{display:block}
.context{white-space:pre-wrap;background:#fafafa;padding:4px 6px;border-radius:3px}
.locate,.permalink{font-size:12px;margin-left:6px}
.cells ul{margin:0;padding-left:18px}.cell-value.blank{font-style:italic;color:#888}.cell-ocr{color:#888;font-size:90%}
.side-by-side{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin:6px 0}
.pane{border:1px solid var(--line);border-radius:4px;padding:4px 8px;background:#fffdf5}
.pane.source{background:#f5f9ff}.pane h5{margin:0;font-size:13px}.pane p{margin:4px 0;white-space:pre-wrap}
.source-path{font-size:12px;color:#777;word-break:break-all}
.raw summary{font-size:12px;color:#666;cursor:pointer}
.raw pre{font-size:11px;max-height:240px;overflow:auto;background:#f6f6f6;padding:4px;white-space:pre-wrap;word-break:break-all}
.decide{margin-top:6px;display:flex;gap:6px;align-items:center}
.decide button.on[data-decision=confirmed]{background:#2e7d32;color:#fff;border-color:#2e7d32}
.decide button.on[data-decision=dismissed]{background:#616161;color:#fff;border-color:#616161}
.empty{color:#777}
.anchor{scroll-margin-top:40vh}
@media print{
 body{background:#fff;font-size:11pt}
 .controls,.decide,.locate,.permalink,.reset,.filters{display:none!important}
 .page-head{background:#fff;color:#000;border-bottom:2px solid #000}
 .layout{display:flex;flex-direction:column}
 .col-findings{order:-1}
 .col-findings .findings{position:static;max-height:none;overflow:visible}
 .finding,.finding.hidden,.rule-group.hidden{display:block!important;break-inside:avoid;opacity:1!important}
 .finding .body{display:block!important}
 .raw{display:none}
 .report{border:none;padding:0;break-after:page}
 mark.dim{background:inherit}
 .grid-wrap{overflow:visible}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

CSS = CSS.replace("FONT_STACK", FONT_STACK).replace("MONO_STACK", MONO_STACK)

# Both the report page and the batch index export decisions as one baseline file.
SAVE_BASELINE_JS = r"""
function saveBaseline(decisions) {
  var text = JSON.stringify({schema: 'auditor.baseline/1', decisions: decisions}, null, 1) + '\n';
  var url = URL.createObjectURL(new Blob([text], {type: 'application/json'}));
  var link = document.createElement('a');
  link.href = url;
  link.download = 'auditor-baseline.json';
  document.body.appendChild(link);
  link.click();
  document.body.removeChild(link);
  setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
}
"""

JS = SAVE_BASELINE_JS + r"""
(function () {
  'use strict';
  var data;
  try { data = JSON.parse(document.getElementById('auditor-data').textContent); }
  catch (err) { data = {key: '', findings: {}}; }
  var STORE = 'auditor.decisions:' + data.key;
  var LABEL = {confirmed: '已确认', dismissed: '已忽略'};
  // Stored per fingerprint with the rule, message and path, so that the batch index can export
  // the decisions of all its pages as one baseline without the pages' data. Entries of
  // findings not on this page (dismissed, so hidden since) are kept as they are.
  var stored = {};
  try { stored = JSON.parse(window.localStorage.getItem(STORE) || '{}') || {}; } catch (err) { stored = {}; }
  var decisions = {};
  Object.keys(stored).forEach(function (fp) {
    var v = stored[fp], d = typeof v === 'string' ? v : (v && v.decision);
    if (d === 'confirmed' || d === 'dismissed') decisions[fp] = d;
  });
  var byFingerprint = {};
  Object.keys(data.findings).forEach(function (id) { byFingerprint[data.findings[id].fingerprint] = data.findings[id]; });
  function decide(fp, d) {
    if (d) {
      var f = byFingerprint[fp] || {};
      decisions[fp] = d;
      stored[fp] = {decision: d, rule: f.rule, message: f.message, path: f.path};
    } else {
      delete decisions[fp];
      delete stored[fp];
    }
    try { window.localStorage.setItem(STORE, JSON.stringify(stored)); } catch (err) {}
  }
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  var items = all('.finding');
  var active = null;

  function ids(el) { return (el.getAttribute('data-finding') || '').split(' ').filter(Boolean); }
  function openItem(item, yes) {
    item.classList.toggle('open', yes);
    item.querySelector('.finding-head').setAttribute('aria-expanded', yes ? 'true' : 'false');
  }
  function activate(item, scroll) {
    if (!item) return;
    var article = item.closest('.report');
    if (item.classList.contains('hidden')) resetFilters(article);
    if (active) active.classList.remove('active');
    all('.linked').forEach(function (el) { el.classList.remove('linked'); });
    active = item;
    item.classList.add('active');
    openItem(item, true);
    all('[data-finding]', article).forEach(function (el) {
      if (ids(el).indexOf(item.id) >= 0) el.classList.add('linked');
    });
    try { item.focus({preventScroll: true}); } catch (err) { item.focus(); }
    if (scroll) item.scrollIntoView({block: 'nearest'});
    document.body.setAttribute('data-active', item.id);
  }

  // ---- filters
  function apply(article) {
    var allowed = {severity: {}, category: {}};
    all('input[data-filter]', article).forEach(function (box) {
      allowed[box.getAttribute('data-filter')][box.value] = box.checked;
    });
    var shown = 0, list = all('.finding', article);
    list.forEach(function (item) {
      var sev = item.getAttribute('data-severity'), cat = item.getAttribute('data-category');
      var visible = allowed.severity[sev] !== false && allowed.category[cat] !== false;
      item.classList.toggle('hidden', !visible);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    all('.rule-group', article).forEach(function (group) {
      var n = all('.finding:not(.hidden)', group).length;
      group.classList.toggle('hidden', n === 0);
      group.querySelector('.group-count').textContent = String(n);
    });
    article.querySelector('.shown-count').textContent = shown + ' / ' + list.length;
    all('mark[data-finding], td[data-finding]', article).forEach(function (el) {
      var any = ids(el).some(function (id) {
        var it = document.getElementById(id); return it && !it.classList.contains('hidden');
      });
      if (el.tagName === 'MARK') el.classList.toggle('dim', !any);
    });
  }
  function resetFilters(article) {
    all('input[data-filter]', article).forEach(function (box) { box.checked = true; });
    all('button.count', article).forEach(function (b) { b.classList.remove('selected'); });
    apply(article);
  }
  all('.report').forEach(function (article) {
    all('input[data-filter]', article).forEach(function (box) {
      box.addEventListener('change', function () {
        all('button.count', article).forEach(function (b) { b.classList.remove('selected'); });
        apply(article);
      });
    });
    all('button.count', article).forEach(function (button) {
      button.addEventListener('click', function () {
        if (button.classList.contains('selected')) { resetFilters(article); return; }
        var kind = button.getAttribute('data-kind'), value = button.getAttribute('data-value');
        all('input[data-filter]', article).forEach(function (box) {
          box.checked = box.getAttribute('data-filter') !== kind || box.value === value;
        });
        all('button.count', article).forEach(function (b) { b.classList.remove('selected'); });
        button.classList.add('selected');
        apply(article);
        var first = article.querySelector('.finding:not(.hidden)');
        if (first) activate(first, true);
      });
    });
    var reset = article.querySelector('button.reset');
    if (reset) reset.addEventListener('click', function () { resetFilters(article); });
    apply(article);
  });

  // ---- decisions
  function showDecision(item) {
    var fp = item.getAttribute('data-fingerprint'), d = decisions[fp];
    item.querySelector('.status').textContent = d ? LABEL[d] || '' : '';
    item.classList.toggle('decided-dismissed', d === 'dismissed');
    item.classList.toggle('decided-confirmed', d === 'confirmed');
    all('button[data-decision]', item).forEach(function (b) {
      b.classList.toggle('on', b.getAttribute('data-decision') === d);
      b.setAttribute('aria-pressed', b.getAttribute('data-decision') === d ? 'true' : 'false');
    });
  }
  function showCount() {
    var n = Object.keys(decisions).length;
    document.getElementById('decision-count').textContent = n ? '已作出 ' + n + ' 项决定' : '尚未作出决定';
  }
  items.forEach(function (item) {
    item.querySelector('.finding-head').addEventListener('click', function () {
      var close = item === active && item.classList.contains('open');
      activate(item, false);
      if (close) openItem(item, false);
    });
    all('button[data-decision]', item).forEach(function (button) {
      button.addEventListener('click', function (ev) {
        ev.stopPropagation();
        var fp = item.getAttribute('data-fingerprint'), d = button.getAttribute('data-decision');
        decide(fp, decisions[fp] === d ? null : d);
        items.forEach(function (other) {
          if (other.getAttribute('data-fingerprint') === fp) showDecision(other);
        });
        showCount();
      });
    });
    showDecision(item);
  });
  showCount();
  document.getElementById('export-decisions').addEventListener('click', function () {
    var out = [], seen = {};
    Object.keys(data.findings).forEach(function (id) {
      var f = data.findings[id], d = decisions[f.fingerprint];
      if (!d || seen[f.fingerprint]) return;
      seen[f.fingerprint] = true;
      out.push({fingerprint: f.fingerprint, rule: f.rule, decision: d, message: f.message, path: f.path});
    });
    saveBaseline(out);
  });

  // ---- highlights, cells and links go to their finding
  document.addEventListener('click', function (ev) {
    var target = ev.target.closest ? ev.target.closest('mark[data-finding], td[data-finding], [data-goto]') : null;
    if (!target) return;
    var id = target.getAttribute('data-goto') || ids(target)[0];
    var item = id && document.getElementById(id);
    if (item && item.classList.contains('finding')) { ev.preventDefault(); activate(item, true); }
  });

  // ---- keyboard: j next, k previous
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target && ev.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    if (ev.key !== 'j' && ev.key !== 'k') return;
    var visible = items.filter(function (it) { return !it.classList.contains('hidden'); });
    if (!visible.length) return;
    var at = active ? visible.indexOf(active) : -1, next;
    if (ev.key === 'j') next = at < 0 ? 0 : Math.min(visible.length - 1, at + 1);
    else next = at < 0 ? visible.length - 1 : Math.max(0, at - 1);
    ev.preventDefault();
    activate(visible[next], true);
    var mark = document.getElementById('m-' + visible[next].id);
    if (mark) mark.scrollIntoView({block: 'center'});
  });

  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains('finding')) activate(target, true);
  }
})();
"""
