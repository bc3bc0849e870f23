"""`index.html` of a batch: what a reviewer opens first.

On the first screen: the files that could not be read (named, with the reason), the batch's
decisions (the 确认/忽略 made on the report pages, exported here once as one baseline for
`auditor batch --baseline`) and the sortable table of every report. After it, the charts: the
score distribution, findings per rule, and the passages copied by the most bodies.

The bar charts are HTML (a label, a bar, a figure per row), so labels wrap and are never clipped
the way text in a fixed-size SVG is; only the histogram, whose labels are numbers, is SVG.

Self-contained and offline: inline CSS/JS, a Content-Security-Policy forbidding network access,
every value from a report escaped, and no URL other than the relative links to reports/<n>.html.
The script reads a JSON block (escaped for <script>) and writes with textContent only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from auditor.atomic import write_atomic
from auditor.model import CATEGORIES, SEVERITIES
from auditor.report.html import CSP, FONT_STACK, SAVE_BASELINE_JS, json_for_script
from auditor.report.text import CATEGORY_LABELS, SEVERITY_LABELS

CSS = """*{box-sizing:border-box}
body{font:15px/1.6 %s;margin:0;color:#222;background:#fff}
header.page-head{padding:12px 24px 8px;background:#24313f;color:#fff}
header.page-head h1{margin:0;font-size:21px}header.page-head p{margin:2px 0}
header.page-head a{color:#ffe08a}
main{padding:8px 24px 24px}
h2{font-size:17px;margin:14px 0 6px}
.failures{margin:6px 0;background:#fff0f0;color:#222;border-left:4px solid #c62828;padding:4px 10px;border-radius:3px}
.failures summary{cursor:pointer;font-weight:bold;color:#c62828}
.failures ul{margin:4px 0;padding-left:20px;max-height:9em;overflow:auto;font-size:14px}
.failures code{word-break:break-all}
.decisions{margin:6px 0 2px}
button{font:inherit;cursor:pointer;border:1px solid #d6b24a;background:#ffe08a;border-radius:4px;padding:1px 10px;font-weight:bold}
.hint{opacity:.8;font-size:13px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f0f0f0;cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}
th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
td.n{text-align:right}td.path{word-break:break-all;min-width:12em}td.why{max-width:24em}
tr.error td{background:#fff0f0}
figure{margin:0 0 1.5em}figcaption{color:#555;font-size:13px;margin:.3em 0}
.hist .bar{fill:#4a7ab0}.hist text{font-size:11px;fill:#444}
.bars{display:grid;grid-template-columns:max-content minmax(160px,1fr) max-content;gap:3px 10px;
 align-items:center;max-width:1000px;font-size:13px}
.track{display:block;height:14px;background:#eef1f5;border-radius:2px}
.fill{display:block;height:100%%;background:#4a7ab0;border-radius:2px}
.copies{padding-left:1.6em;max-width:1000px}.copies li{margin-bottom:10px}
.copies .fill{background:#c0504d}.copy-head{display:flex;gap:10px;align-items:center}
.copy-head .track{width:300px;flex:none}
.passage{margin:2px 0;white-space:pre-wrap;word-break:break-word}
.who{margin:0;font-size:13px;color:#555}""" % FONT_STACK

JS = SAVE_BASELINE_JS + r"""
(function () {
  'use strict';
  var data;
  try { data = JSON.parse(document.getElementById('batch-data').textContent); }
  catch (err) { data = {store: '', paths: [], baseline: []}; }
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // ---- click a header to sort by it (numbers numerically via data-v); click again to reverse
  var table = document.getElementById('reports-table');
  all('th', table).forEach(function (th, i) {
    th.addEventListener('click', function () {
      var tb = table.tBodies[0], rows = Array.prototype.slice.call(tb.rows), asc = th.dataset.dir !== 'asc';
      all('th', table).forEach(function (other) { delete other.dataset.dir; });
      th.dataset.dir = asc ? 'asc' : 'desc';
      rows.sort(function (a, b) {
        var x = a.cells[i].dataset.v || '', y = b.cells[i].dataset.v || '';
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function (r) { tb.appendChild(r); });
    });
  });

  // ---- the decisions made on this batch's report pages (kept by the browser under one key
  // per page: 'auditor.decisions:' + store + '|' + path), plus those of the baseline the batch
  // ran with, so an exported file keeps everything dismissed before.
  var PREFIX = 'auditor.decisions:' + data.store + '|';
  var known = {};
  data.paths.forEach(function (p) { known[p] = true; });
  function collect() {
    var merged = {}, order = [];
    function put(entry) {
      var k = entry.fingerprint + '\u0000' + (entry.path || '');
      if (!(k in merged)) order.push(k);
      merged[k] = entry;
    }
    (data.baseline || []).forEach(put);
    var storage;
    try { storage = window.localStorage; } catch (err) { storage = null; }
    for (var i = 0; storage && i < storage.length; i++) {
      var key = storage.key(i);
      if (key.indexOf(PREFIX) !== 0) continue;
      var path = key.slice(PREFIX.length);
      if (!known[path]) continue;
      var stored;
      try { stored = JSON.parse(storage.getItem(key)) || {}; } catch (err) { continue; }
      Object.keys(stored).sort().forEach(function (fp) {
        var v = stored[fp], d = typeof v === 'string' ? v : (v && v.decision);
        if (d !== 'dismissed' && d !== 'confirmed') return;
        put({fingerprint: fp, rule: String((v && v.rule) || ''), decision: d,
             message: String((v && v.message) || ''), path: path});
      });
    }
    return order.map(function (k) { return merged[k]; });
  }
  function show() {
    var decisions = collect(), per = {};
    decisions.forEach(function (d) {
      var p = per[d.path] || (per[d.path] = {confirmed: 0, dismissed: 0});
      p[d.decision] += 1;
    });
    var n = decisions.length, reports = Object.keys(per).length;
    document.getElementById('decision-count').textContent =
      n ? '共 ' + n + ' 项决定，涉及 ' + reports + ' 份报告' : '尚未作出决定';
    all('tr[data-path]', table).forEach(function (row) {
      var p = per[row.getAttribute('data-path')], cell = row.querySelector('td.decided');
      cell.textContent = p ? '确认 ' + p.confirmed + '，忽略 ' + p.dismissed : '';
      cell.dataset.v = p ? String(p.confirmed + p.dismissed) : '0';
    });
    return decisions;
  }
  show();
  window.addEventListener('focus', show);  // decisions made in another tab since
  window.addEventListener('storage', show);
  document.getElementById('export-decisions').addEventListener('click', function () {
    saveBaseline(show());
  });
})();
"""


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


# --------------------------------------------------------------------------- charts


def histogram_svg(scores: list[float], bins: int = 10) -> str:
    """Reports per score band. Margins leave room for the count above the tallest bar and for
    the last tick label ("100") at the right edge."""
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score // (100 / bins))))] += 1
    left, top, step, bar, height = 20, 20, 40, 36, 160
    width, full_height = left + bins * step + 30, top + height + 28
    peak = max(counts) or 1
    parts = [f'<svg class="hist" width="{width}" height="{full_height}" viewBox="0 0 {width} {full_height}" '
             'role="img" aria-label="得分分布">']
    for i, count in enumerate(counts):
        h = round(height * count / peak)
        x = left + i * step
        parts.append(f'<rect class="bar" x="{x}" y="{top + height - h}" width="{bar}" height="{h}">'
                     f'<title>{i * 100 // bins}–{(i + 1) * 100 // bins}：{count} 份</title></rect>'
                     f'<text x="{x + bar / 2}" y="{top + height - h - 4}" text-anchor="middle">{count}</text>'
                     f'<text x="{x}" y="{top + height + 18}" text-anchor="middle">{i * 100 // bins}</text>')
    parts.append(f'<text x="{left + bins * step}" y="{top + height + 18}" text-anchor="middle">100</text></svg>')
    return "".join(parts)


def _bar(share: float) -> str:
    return f'<span class="track"><span class="fill" style="width:{max(0.5, 100 * share):.1f}%"></span></span>'


def rules_chart(rule_counts: list[dict], limit: int = 20) -> str:
    """Horizontal bars: findings per rule (the `limit` most frequent), with the reports hit."""
    shown = rule_counts[:limit]
    if not shown:
        return "<p>没有发现。</p>"
    top = max(r["findings"] for r in shown) or 1
    rows = []
    for r in shown:
        category = CATEGORY_LABELS.get(r["category"], r["category"])
        tip = e(f"{r['rule']}：{r['findings']} 条，{r['reports']} 份报告")
        rows.append(f'<span class="bar-label" title="{tip}">{e(r["rule"])}（{e(category)}）</span>'
                    f'{_bar(r["findings"] / top)}'
                    f'<span class="bar-value">{r["findings"]} 条 / {r["reports"]} 份</span>')
    return f'<div class="bars rules" role="img" aria-label="各规则发现数">{"".join(rows)}</div>'


@dataclass
class CopiedPassage:
    text: str  # the most frequent legible wording of the passage
    reports: int
    bodies: int
    members: list[tuple[str, str | None]] = field(default_factory=list)  # (path, agency) sharing it


_NOT_WORDING = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
# What a damaged source leaves in its text: U+FFFD where bytes could not be decoded (the shared
# corpus has a report whose narrative was UTF-8 read as GBK and reversed with characters lost),
# private-use and control characters.
_GARBLED = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def copied_key(text: str) -> str:
    """The same passage whatever its numbers, spacing and punctuation: its first 40 characters of
    wording (copies of one passage differ mostly in where the copied stretch ends)."""
    return _NOT_WORDING.sub("", text)[:40]


def legible(text: str) -> bool:
    return not _GARBLED.search(text)


def _count_bodies(members) -> int:
    """Distinct bodies among (path, agency): names that name the same body count once; a report
    whose body is unknown counts as its own."""
    from auditor.similarity.index import count_bodies

    # each name once, in the members' order (same_body need not be transitive: the first name
    # met stands for its body)
    named = dict.fromkeys(agency for _path, agency in members if agency)
    unnamed = {path for path, agency in members if not agency}
    return count_bodies(named) + len(unnamed)


def most_copied(copies: list[tuple], limit: int = 10) -> list[CopiedPassage]:
    """The passages shared by the most reports of two or more bodies.

    `copies`: one row per cross-body copy finding, (path, agency, quote) and, when known, the
    source's (path, agency, text). Both sides share the passage, and a finding links their
    wordings: passages linked by any finding are one passage, even when one side's text is
    damaged (so it cannot be matched by its wording). The wording shown is a legible one."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    sides = []  # (key, path, agency, text)
    for row in copies:
        path, agency, quote, source_path, source_agency, source_text = (tuple(row) + (None,) * 6)[:6]
        pair = [(path, agency, quote or "")]
        if source_path and source_text:
            pair.append((source_path, source_agency, source_text))
        keys = []
        for side_path, side_agency, text in pair:
            key = copied_key(text)
            if len(key) >= 10:
                keys.append(key)
                sides.append((key, side_path, side_agency, text))
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
    groups: dict[str, dict] = {}
    for key, path, agency, text in sides:
        group = groups.setdefault(find(key), {"members": {}, "texts": {}})
        group["members"].setdefault(path, agency)
        wording = " ".join(text.split())
        group["texts"][wording] = group["texts"].get(wording, 0) + 1
    passages = []
    for root, group in groups.items():
        texts = {t: n for t, n in group["texts"].items() if legible(t)}
        members = sorted(group["members"].items())
        bodies = _count_bodies(members)
        if not texts or bodies < 2:
            continue
        text = max(texts.items(), key=lambda t: (t[1], -len(t[0]), t[0]))[0]
        passages.append(CopiedPassage(text=text, reports=len(members), bodies=bodies, members=members))
    passages.sort(key=lambda p: (-p.reports, -p.bodies, p.text))
    return passages[:limit]


def copies_chart(passages: list[CopiedPassage], pages: dict[str, str]) -> str:
    """`pages`: path → link to its report page."""
    if not passages:
        return "<p>没有两个以上机关共有的复制段落。</p>"
    top = max(p.reports for p in passages) or 1
    items = []
    for p in passages:
        who = []
        for path, agency in p.members[:8]:
            name = e(agency or Path(path).name)
            who.append(f'<a href="{e(pages[path])}" title="{e(path)}">{name}</a>'
                       if path in pages else f'<span title="{e(path)}">{name}</span>')
        more = f"等 {len(p.members)} 份" if len(p.members) > 8 else ""
        text = p.text if len(p.text) <= 300 else p.text[:299] + "…"
        items.append(f'<li><div class="copy-head">{_bar(p.reports / top)}'
                     f'<b>{p.reports} 份报告 / {p.bodies} 个机关</b></div>'
                     f'<p class="passage" title="{e(p.text[:1000])}">{e(text)}</p>'
                     f'<p class="who">{"、".join(who)}{more}</p></li>')
    return f'<ol class="copies">{"".join(items)}</ol>'


# --------------------------------------------------------------------------- page


HEAD = (["#", "报告", "机关", "年度", "格式", "得分", "可评估", "状态"]
        + [CATEGORY_LABELS.get(c, c) for c in CATEGORIES] + [SEVERITY_LABELS.get(s, s) for s in SEVERITIES]
        + ["决定"])


# What a row that is not 'ok' says: the report's own problem, or its worker lost (retried next run).
FAILED = {"error": "无法读取或审核", "infrastructure": "未能完成（工作进程或集群故障，重新运行会重试）"}


def _row(row: dict) -> str:
    ok = row["status"] == "ok"
    link = f'<a href="{e(row["href"])}">{e(row["path"])}</a>' if row.get("href") else e(row["path"])
    status = "已审核" if ok else f"{FAILED[row['status']]}：{row['error'] or ''}"
    assessed = row.get("assessed")
    cells = [(row["page"], e(row["page"]), "n"), (row["path"], link, "path"),
             (row["agency"], e(row["agency"]), ""), (row["year"], e(row["year"]), "n"),
             (row["template"], e(row["template"]), ""),
             ("" if row["score"] is None else row["score"], e(row["score"]), "n"),
             ("" if assessed is None else assessed, "" if assessed is None else e(f"{assessed:.0%}"), "n"),
             (row["status"], e(status), "" if ok else "why")]
    cells += [(row["categories"].get(c, 0), e(row["categories"].get(c, 0)), "n") for c in CATEGORIES]
    cells += [(row["severities"].get(s, 0), e(row["severities"].get(s, 0)), "n") for s in SEVERITIES]
    cells.append(("0", "", "decided"))
    path_attr = f' data-path="{e(row["path"])}"' if ok else ""
    return (f'<tr class="{"ok" if ok else "error"}"{path_attr}>'
            + "".join(f'<td data-v="{e(v)}"{f" class={c}" if c else ""}>{html}</td>' for v, html, c in cells)
            + "</tr>")


def write_index(rows: list[dict], path: Path, directory: str, run_id: int, rules: list[dict] = (),
                copies: list[tuple] = (), store_key: str = "", baseline: list[dict] = ()) -> Path:
    """`store_key`: the key the report pages keep decisions under (run.decision_store_key);
    `baseline`: the decisions of the baseline file the batch ran with."""
    scores = [row["score"] for row in rows if row["score"] is not None]
    failed = [row for row in rows if row["status"] != "ok"]
    pages = {row["path"]: row["href"] for row in rows if row.get("href")}
    failures = ""
    if failed:
        items = "".join(f"<li><code>{e(row['path'])}</code>：{e(row['error'] or '原因不明')}</li>" for row in failed)
        lost = sum(1 for row in failed if row["status"] == "infrastructure")
        retried = f"，其中 {lost} 份因工作进程或集群故障未能完成、重新运行会重试" if lost else ""
        failures = (f'<details class="failures" id="failures" open><summary>{len(failed)} 份无法读取或审核'
                    f'（不计入得分和图表{retried}）</summary><ul>{items}</ul></details>')
    data = {"store": store_key, "paths": sorted(row["path"] for row in rows if row["status"] == "ok"),
            "baseline": list(baseline)}
    page = ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>批量审核：{e(directory)}</title><style>{CSS}</style></head><body>"
            '<header class="page-head"><h1>政府信息公开工作年度报告批量审核</h1>'
            f"<p>目录 {e(directory)}：{len(rows)} 份报告，{len(scores)} 份已评分，"
            f"{len(failed)} 份无法读取或审核（第 {run_id} 次运行）。"
            '<a href="#charts">图表</a>：得分分布、各规则发现数、被最多机关复制的段落。</p>'
            '<div class="decisions"><button type="button" id="export-decisions">导出全部决定</button> '
            '<span id="decision-count">尚未作出决定</span> <span class="hint">（各报告审核页上的“确认”“忽略”，'
            '导出为一个基线文件，可用于 <code>auditor batch --baseline</code>）</span></div></header>'
            f"<main>{failures}"
            '<h2 id="reports">报告 <span class="hint">点击表头排序，点击路径打开审核页</span></h2>'
            f'<div class="table-wrap"><table id="reports-table"><thead><tr>{"".join(f"<th>{e(h)}</th>" for h in HEAD)}'
            f'</tr></thead><tbody>{"".join(_row(row) for row in rows)}</tbody></table></div>'
            '<section id="charts">'
            f'<h2>得分分布</h2><figure>{histogram_svg(scores)}'
            "<figcaption>横轴为得分区间，柱上数字为报告份数。</figcaption></figure>"
            f"<h2>各规则发现数</h2><figure>{rules_chart(list(rules))}"
            "<figcaption>最常见的 20 条规则；条数 / 涉及报告份数。</figcaption></figure>"
            f"<h2>被最多机关复制的段落</h2><figure>{copies_chart(most_copied(list(copies)), pages)}"
            "<figcaption>跨机关复制（SIM-OTHER-BODY）的段落，只列两个以上机关的报告共有的；"
            "复制方和来源都计入，数字、空白和标点不计。</figcaption></figure></section></main>"
            f'<script type="application/json" id="batch-data">{json_for_script(data)}</script>'
            f"<script>{JS}</script></body></html>\n")
    write_atomic(path, page)
    return path
