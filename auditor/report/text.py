"""`--format text`: findings for people, one block per report.

Per report: a header (title, agency, year, template, score), then the findings grouped by
section in the order sections appear in a report, each with its severity, rule id, message,
the sentence around its span (span highlighted) and, for table findings, the cells with their
values and the identity written out with its numbers. A count by severity and category closes
the output.

Rendered with rich into a string. Colour only when asked for (the CLI asks when stdout is a
terminal); without colour the span is marked with ⟦ ⟧ so it stays visible in a file or a pipe.
Lines are never wrapped by us (`soft_wrap`), so output to a file keeps one finding line per line.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from auditor.model import CATEGORIES, SEVERITIES

SECTION_ORDER = ("overview", "active", "applications", "appeals", "problems", "other")
SECTION_LABELS = {"overview": "总体情况", "active": "主动公开", "applications": "依申请公开",
                  "appeals": "复议诉讼", "problems": "问题及改进", "other": "其他事项",
                  None: "表格/全文"}
CATEGORY_LABELS = {"structure": "结构", "table": "表格", "contradiction": "矛盾", "vague": "空泛",
                   "boilerplate": "雷同", "continuity": "连续性"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "blue"}
TABLE_LABELS = {"active": "表二", "applications": "表三", "appeals": "表四", "statistics_2008": "统计表"}

CONTEXT_CHARS = 40  # shown on each side of a span, within its line
SPAN_CHARS = 120  # longer spans are shortened in the middle
MAX_CELLS = 12


def render(results: Sequence, rules: Sequence = (), color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, width=120,
                      highlight=False, emoji=False, markup=False)
    for number, result in enumerate(results):
        if number:
            console.print()
        _render_result(console, result, color)
    console.print()
    console.print(_summary(results), soft_wrap=True)
    return buffer.getvalue()


def _render_result(console: Console, result, color: bool) -> None:
    doc = result.doc
    meta = doc.meta
    header = Text(meta.title or doc.path, style="bold")
    details = [part for part in (meta.agency, f"{meta.year} 年度" if meta.year else None,
                                 f"格式 {meta.template}") if part]
    header.append(f"  {doc.path}" if meta.title else "")
    console.print(header, soft_wrap=True)
    console.print(" · ".join(details), soft_wrap=True)
    console.print(_score_line(result.score), soft_wrap=True)
    if not result.findings:
        console.print("未发现问题。")
        return
    for section in _sections_in_order(result.findings):
        console.print()
        console.print(Text(f"【{SECTION_LABELS.get(section, section)}】", style="bold"), soft_wrap=True)
        for finding in (f for f in result.findings if f.section == section):
            for line in _finding_lines(doc, finding, color):
                console.print(line, soft_wrap=True)


def _score_line(score: dict) -> str:
    if not score:
        return "得分：—"
    parts = score.get("parts", {})
    rubric = score.get("rubric", {})
    # The rubric's own labels (rules/score.yaml), earned of its points: "表格 35/35".
    shown = " · ".join(f"{rubric[c]['label']} {_number(rubric[c]['earned'])}/{_number(rubric[c]['points'])}"
                       if c in rubric else f"{CATEGORY_LABELS.get(c, c)} {_number(parts[c])}"
                       for c in CATEGORIES if c in (rubric or parts))
    assessed = score.get("assessed")
    # Points are only earned for what could be assessed: say how much that was.
    if isinstance(assessed, (int, float)) and assessed < 1:
        shown = f"可评估 {assessed:.0%}；{shown}"
    return f"得分 {_number(score.get('total'))}（{shown}）"


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "空" if value is None else str(value)


def _sections_in_order(findings) -> list:
    present = {f.section for f in findings}
    known = [s for s in SECTION_ORDER if s in present]
    unknown = sorted(s for s in present if s is not None and s not in SECTION_ORDER)
    return known + unknown + ([None] if None in present else [])


def _finding_lines(doc, finding, color: bool) -> list[Text]:
    first = Text("  ")
    first.append(SEVERITY_LABELS.get(finding.severity, finding.severity),
                 style=SEVERITY_STYLES.get(finding.severity))
    first.append(f" {finding.rule}", style="bold")
    first.append(f" {finding.message}")
    lines = [first]
    if finding.span is not None:
        lines.append(_context_line(doc.text, finding.span.start, finding.span.end, color))
    if finding.cells:
        lines.append(Text("      单元格：" + "；".join(_cell_texts(doc, finding)), style="dim"))
    expression = finding.evidence.get("expression") if isinstance(finding.evidence, dict) else None
    if expression and expression not in finding.message:
        lines.append(Text(f"      算式：{expression}"))
    return lines


def _context_line(text: str, start: int, end: int, color: bool) -> Text:
    """The span with up to CONTEXT_CHARS of its line on each side, the span highlighted."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left_from = max(line_start, start - CONTEXT_CHARS)
    right_to = min(line_end, end + CONTEXT_CHARS)
    span_text = text[start:end].replace("\n", " ")
    if len(span_text) > SPAN_CHARS:
        span_text = span_text[:SPAN_CHARS * 2 // 3] + "…" + span_text[-SPAN_CHARS // 3:]
    line = Text("      ")
    line.append(("…" if left_from > line_start else "") + text[left_from:start])
    if color:
        line.append(span_text, style="bold underline")
    else:
        line.append(f"⟦{span_text}⟧")
    line.append(text[end:right_to] + ("…" if right_to < line_end else ""))
    return line


def _cell_texts(doc, finding) -> list[str]:
    values = finding.evidence.get("values", {}) if isinstance(finding.evidence, dict) else {}
    shown = []
    for path in finding.cells[:MAX_CELLS]:
        value = values[path] if path in values else doc.cell(path)
        shown.append(f"{cell_label(path)}={_number(value)}")
    if len(finding.cells) > MAX_CELLS:
        shown.append(f"等共 {len(finding.cells)} 格")
    return shown


def cell_label(path: str) -> str:
    from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

    parts = path.split(".")
    if len(parts) != 3:
        return path
    table, row, column = parts
    return (f"{TABLE_LABELS.get(table, table)}"
            f"“{ROW_LABELS.get(row, row).strip()}/{COLUMN_LABELS.get(column, column)}”")


def _summary(results: Sequence) -> str:
    findings = [f for result in results for f in result.findings]
    files = f"{len(results)} 份报告，" if len(results) > 1 else ""
    if not findings:
        return f"{files}共 0 条发现。"
    by_severity = Counter(f.severity for f in findings)
    by_category = Counter(f.category for f in findings)
    severities = "，".join(f"{SEVERITY_LABELS[s]} {by_severity[s]}" for s in SEVERITIES if by_severity[s])
    categories = "，".join(f"{CATEGORY_LABELS.get(c, c)} {n}"
                          for c, n in sorted(by_category.items(), key=lambda kv: _category_rank(kv[0])))
    return f"{files}共 {len(findings)} 条发现：{severities}；按类别：{categories}。"


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
