"""`index.html` of a batch: a sortable table of every report and an inline-SVG score histogram.

Self-contained and offline: inline CSS/JS, a Content-Security-Policy forbidding network access,
every value from a report escaped, and no URL other than the relative links to reports/<n>.html.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from auditor.model import CATEGORIES, SEVERITIES
from auditor.report.html import CSP
from auditor.report.text import CATEGORY_LABELS, SEVERITY_LABELS

CSS = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f0f0f0;cursor:pointer;user-select:none}td.n{text-align:right}
tr.error td{background:#fff0f0}.bar{fill:#4a7ab0}.axis{font-size:11px;fill:#444}"""

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


def write_index(rows: list[dict], path: Path, directory: str, run_id: int) -> Path:
    head = (["#", "报告", "机关", "年度", "模板", "得分", "状态"]
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
            f"<h2>得分分布</h2>{histogram_svg(scores)}"
            f"<h2>报告</h2><table><thead><tr>{''.join(f'<th>{e(h)}</th>' for h in head)}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><script>{JS}</script></body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
