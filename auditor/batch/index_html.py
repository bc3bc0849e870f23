"""`index.html` of a batch: a sortable table of every report and inline-SVG charts — the score
distribution, findings per rule, and the passages copied by the most reports.

Self-contained and offline: inline CSS/JS, a Content-Security-Policy forbidding network access,
every value from a report escaped, and no URL other than the relative links to reports/<n>.html.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

from auditor.model import CATEGORIES, SEVERITIES
from auditor.report.html import CSP
from auditor.report.text import CATEGORY_LABELS, SEVERITY_LABELS

CSS = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f0f0f0;cursor:pointer;user-select:none}td.n{text-align:right}
tr.error td{background:#fff0f0}.bar{fill:#4a7ab0}.axis{font-size:11px;fill:#444}
.label{font-size:12px;fill:#222}.copy{fill:#c0504d}figure{margin:0 0 1.5em}
figcaption{color:#555;font-size:13px;margin:.3em 0}"""

# Click a header to sort by it (numbers numerically via data-v); click again to reverse.
JS = """document.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
var tb=document.querySelector('tbody'),rows=Array.from(tb.rows),asc=th.dataset.dir!=='asc';
th.dataset.dir=asc?'asc':'desc';rows.sort(function(a,b){var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v;
var nx=parseFloat(x),ny=parseFloat(y),c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');
return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});"""


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def histogram_svg(scores: list[float], bins: int = 10) -> str:
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score // (100 / bins))))] += 1
    width, height, bar = 40 * bins + 40, 180, 36
    top = max(counts) or 1
    parts = [f'<svg width="{width}" height="{height + 40}" role="img" aria-label="得分分布">']
    for i, count in enumerate(counts):
        h = round(height * count / top)
        x = 30 + i * 40
        parts.append(f'<rect class="bar" x="{x}" y="{height - h + 10}" width="{bar}" height="{h}">'
                     f'<title>{i * 100 // bins}–{(i + 1) * 100 // bins}：{count} 份</title></rect>')
        parts.append(f'<text class="axis" x="{x + bar / 2}" y="{height - h + 6}" text-anchor="middle">{count}</text>')
        parts.append(f'<text class="axis" x="{x}" y="{height + 25}">{i * 100 // bins}</text>')
    parts.append(f'<text class="axis" x="{30 + bins * 40}" y="{height + 25}">100</text></svg>')
    return "".join(parts)


def rules_svg(rule_counts: list[dict], limit: int = 20) -> str:
    """Horizontal bars: findings per rule (the `limit` most frequent), with the reports hit."""
    shown = rule_counts[:limit]
    if not shown:
        return "<p>没有发现。</p>"
    top = max(r["findings"] for r in shown) or 1
    row, label_w, bar_w = 22, 230, 420
    parts = [f'<svg width="{label_w + bar_w + 120}" height="{row * len(shown) + 10}" role="img" '
             'aria-label="各规则发现数">']
    for i, r in enumerate(shown):
        y = 5 + i * row
        w = max(1, round(bar_w * r["findings"] / top))
        category = CATEGORY_LABELS.get(r["category"], r["category"])
        parts.append(f'<text class="label" x="0" y="{y + 14}">{e(r["rule"])}（{e(category)}）</text>'
                     f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{row - 6}">'
                     f'<title>{e(r["rule"])}：{r["findings"]} 条，{r["reports"]} 份报告</title></rect>'
                     f'<text class="axis" x="{label_w + w + 4}" y="{y + 13}">{r["findings"]} 条 / {r["reports"]} 份</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class CopiedPassage:
    text: str  # the most frequent wording of the passage
    reports: int
    bodies: int


_NOT_WORDING = re.compile(r"[^\u4e00-\u9fffA-Za-z]")


def copied_key(text: str) -> str:
    """The same passage whatever its numbers, spacing and punctuation: its first 40 characters of
    wording (copies of one passage differ mostly in where the copied stretch ends)."""
    return _NOT_WORDING.sub("", text)[:40]


def most_copied(copies: list[tuple[str, str | None, str]], limit: int = 10) -> list[CopiedPassage]:
    """Passages found copied across bodies in the most reports. `copies`: (path, agency, quote) of
    each cross-body copy finding."""
    groups: dict[str, dict] = defaultdict(lambda: {"paths": set(), "bodies": set(), "texts": defaultdict(int)})
    for path, agency, quote in copies:
        key = copied_key(quote or "")
        if len(key) < 10:
            continue
        group = groups[key]
        group["paths"].add(path)
        group["bodies"].add(agency or path)
        group["texts"][" ".join(quote.split())] += 1
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]["paths"]), kv[0]))[:limit]
    return [CopiedPassage(text=max(g["texts"].items(), key=lambda t: (t[1], -len(t[0]), t[0]))[0],
                          reports=len(g["paths"]), bodies=len(g["bodies"])) for _, g in ranked]


def copies_svg(passages: list[CopiedPassage]) -> str:
    if not passages:
        return "<p>没有发现跨机关复制的段落。</p>"
    top = max(p.reports for p in passages) or 1
    row, bar_w = 40, 300
    parts = [f'<svg width="{bar_w + 560}" height="{row * len(passages) + 10}" role="img" '
             'aria-label="被最多报告复制的段落">']
    for i, p in enumerate(passages):
        y = 5 + i * row
        w = max(1, round(bar_w * p.reports / top))
        short = p.text if len(p.text) <= 42 else p.text[:41] + "…"
        parts.append(f'<rect class="copy" x="0" y="{y}" width="{w}" height="14">'
                     f'<title>{e(p.text[:400])}</title></rect>'
                     f'<text class="axis" x="{w + 4}" y="{y + 12}">{p.reports} 份报告 / {p.bodies} 个机关</text>'
                     f'<text class="label" x="0" y="{y + 30}">{e(short)}<title>{e(p.text[:400])}</title></text>')
    parts.append("</svg>")
    return "".join(parts)


def write_index(rows: list[dict], path: Path, directory: str, run_id: int,
                rules: list[dict] = (), copies: list[tuple] = ()) -> Path:
    head = (["#", "报告", "机关", "年度", "模板", "得分", "可评估", "状态"]
            + [CATEGORY_LABELS.get(c, c) for c in CATEGORIES] + [SEVERITY_LABELS.get(s, s) for s in SEVERITIES])
    body = []
    for row in rows:
        ok = row["status"] == "ok"
        link = (f'<a href="reports/{int(row["page"])}.html">{e(row["path"])}</a>' if ok else e(row["path"]))
        status = "已审核" if ok else f"无法读取：{row['error'] or ''}"
        cells = [(row["page"], e(row["page"]), True), (row["path"], link, False),
                 (row["agency"], e(row["agency"]), False), (row["year"], e(row["year"]), True),
                 (row["template"], e(row["template"]), False),
                 ("" if row["score"] is None else row["score"], e(row["score"]), True),
                 ("" if row.get("assessed") is None else row["assessed"],
                  "" if row.get("assessed") is None else e(f"{row['assessed']:.0%}"), True),
                 (row["status"], e(status), False)]
        cells += [(row["categories"].get(c, 0), e(row["categories"].get(c, 0)), True) for c in CATEGORIES]
        cells += [(row["severities"].get(s, 0), e(row["severities"].get(s, 0)), True) for s in SEVERITIES]
        body.append(f'<tr class="{"ok" if ok else "error"}">' + "".join(
            f'<td data-v="{e(v)}"{" class=n" if num else ""}>{html}</td>' for v, html, num in cells) + "</tr>")
    scores = [row["score"] for row in rows if row["score"] is not None]
    failed = sum(1 for row in rows if row["status"] != "ok")
    page = ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>批量审核：{e(directory)}</title><style>{CSS}</style></head><body>"
            f"<h1>政府信息公开工作年度报告批量审核</h1>"
            f"<p>目录 {e(directory)}：{len(rows)} 份报告，{len(scores)} 份已评分，{failed} 份无法读取"
            f"（第 {run_id} 次运行）。点击表头排序。</p>"
            f"<h2>得分分布</h2><figure>{histogram_svg(scores)}"
            "<figcaption>横轴为得分区间，柱上数字为报告份数。</figcaption></figure>"
            f"<h2>各规则发现数</h2><figure>{rules_svg(list(rules))}"
            "<figcaption>最常见的 20 条规则；条数 / 涉及报告份数。</figcaption></figure>"
            f"<h2>被最多报告复制的段落</h2><figure>{copies_svg(most_copied(list(copies)))}"
            "<figcaption>跨机关复制（SIM-OTHER-BODY）中出现在最多报告里的段落；数字、空白和标点不计。"
            "悬停可见全文。</figcaption></figure>"
            f"<h2>报告</h2><table><thead><tr>{''.join(f'<th>{e(h)}</th>' for h in head)}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><script>{JS}</script></body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
