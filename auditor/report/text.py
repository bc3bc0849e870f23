"""`--format text`: findings for people, one block per report.

Per report: a header (title, agency, year, template, score), then the findings grouped by
section in the order sections appear in a report, each with its severity, rule id, message,
the sentence around its span (span highlighted) and, for table findings, the cells with their
values and the identity written out with its numbers. A count by severity and category closes
the output.

Laid out for `width` columns (the CLI passes the terminal's width, else 80 or COLUMNS; see
auditor/layout.py): every line is wrapped with a hanging indent — a finding's message continues
two columns further in than it starts, a labelled detail (单元格：, 算式：) under its label's end,
the quoted context as a block — and a formula in a message stays on one line (layout.py says
where a formula too long for any line may break). A cell list too long for one line becomes a
one-line summary (rows × columns, how many blank); the full list is in the json output.

Rendered with rich into a string. Colour only when asked for (the CLI asks when stdout is a
terminal); without colour the span is marked with ⟦ ⟧ so it stays visible in a file or a pipe.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from auditor.layout import DEFAULT_WIDTH, text_width, wrap
from auditor.model import CATEGORIES, SEVERITIES
from auditor.structure.tables.labels import TABLE_LABELS, cell_label

SECTION_ORDER = ("overview", "active", "applications", "appeals", "problems", "other")
SECTION_LABELS = {"overview": "总体情况", "active": "主动公开", "applications": "依申请公开",
                  "appeals": "复议诉讼", "problems": "问题及改进", "other": "其他事项",
                  None: "表格/全文"}
CATEGORY_LABELS = {"structure": "结构", "table": "表格", "contradiction": "矛盾", "vague": "空泛",
                   "boilerplate": "雷同", "continuity": "连续性"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# The rule kinds (auditor/checks/<kind>.py), as `rules list` and `rules show` name them.
KIND_LABELS = {"identity": "勾稽关系", "claim": "叙述数字", "section": "章节内容", "pattern": "文字模式",
               "similarity": "雷同比对", "metric": "具体程度", "phrase": "套话用语", "typo": "错别字"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "blue"}

CONTEXT_CHARS = 20  # shown on each side of a span, within its line: about half a line at 80 columns
SPAN_CHARS = 80  # longer spans are shortened in the middle
MESSAGE_INDENT, MESSAGE_HANGING = "  ", "    "
DETAIL_INDENT = "      "


def render(results: Sequence, rules: Sequence = (), color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, width=max(width, 20),
                      highlight=False, emoji=False, markup=False)

    def out(runs, indent: str = "", hanging: str = "  ") -> None:
        """Print styled runs wrapped at `width`; every line already fits, so rich never wraps."""
        for line in wrap(runs, width, indent, hanging):
            text = Text()
            for part, style in line:
                text.append(part, style=style)
            console.print(text, soft_wrap=True)

    for number, result in enumerate(results):
        if number:
            console.print()
        _render_result(out, console, result, color, width)
    console.print()
    out([(_summary(results), None)])
    return buffer.getvalue()


def _render_result(out, console: Console, result, color: bool, width: int) -> None:
    doc = result.doc
    meta = doc.meta
    details = [part for part in (meta.agency, f"{meta.year} 年度" if meta.year else None,
                                 f"格式 {meta.template}") if part]
    out([(meta.title or doc.path, "bold"), (f"  {doc.path}" if meta.title else "", None)])
    out([(" · ".join(details), None)])
    out([(_score_line(result.score), None)])
    if not result.findings:
        out([("未发现问题。", None)])
        return
    for section in _sections_in_order(result.findings):
        console.print()
        out([(f"【{SECTION_LABELS.get(section, section)}】", "bold")])
        for finding in (f for f in result.findings if f.section == section):
            _finding_lines(out, doc, finding, color, width)


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


def _finding_lines(out, doc, finding, color: bool, width: int) -> None:
    out([(SEVERITY_LABELS.get(finding.severity, finding.severity), SEVERITY_STYLES.get(finding.severity)),
         (f" {finding.rule}", "bold"), (f" {finding.message}", None)], MESSAGE_INDENT, MESSAGE_HANGING)
    if finding.span is not None:
        out(_context_runs(doc.text, finding.span.start, finding.span.end, color), DETAIL_INDENT, DETAIL_INDENT)
    if finding.cells:
        label = "单元格："
        cells = "；".join(_cell_texts(doc, finding))
        if text_width(DETAIL_INDENT + label + cells) > width:
            cells = _cells_summary(doc, finding, width - text_width(DETAIL_INDENT + label))
        out([(label + cells, "dim")], DETAIL_INDENT, DETAIL_INDENT + " " * text_width(label))
    expression = finding.evidence.get("expression") if isinstance(finding.evidence, dict) else None
    if expression and expression not in finding.message:
        label = "算式："
        out([(label + expression, None)], DETAIL_INDENT, DETAIL_INDENT + " " * text_width(label))
    ocr = finding.evidence.get("ocr") if isinstance(finding.evidence, dict) else None
    if isinstance(ocr, dict) and isinstance(ocr.get("page"), int):
        box = ocr.get("box")
        where = f"（框 {box[0]},{box[1]}–{box[2]},{box[3]} 像素）" if isinstance(box, list) and len(box) == 4 else ""
        out([(f"来源：识别自扫描件第{ocr['page']}页{where}", "dim")], DETAIL_INDENT, DETAIL_INDENT)


def _context_runs(text: str, start: int, end: int, color: bool) -> list[tuple[str, str | None]]:
    """The span with up to CONTEXT_CHARS of its line on each side, the span highlighted."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left_from = max(line_start, start - CONTEXT_CHARS)
    right_to = min(line_end, end + CONTEXT_CHARS)
    span_text = text[start:end].replace("\n", " ")
    if len(span_text) > SPAN_CHARS:
        span_text = span_text[:SPAN_CHARS * 2 // 3] + "…" + span_text[-SPAN_CHARS // 3:]
    left = ("…" if left_from > line_start else "") + text[left_from:start]
    right = text[end:right_to] + ("…" if right_to < line_end else "")
    if color:
        return [(left, None), (span_text, "bold underline"), (right, None)]
    return [(left + f"⟦{span_text}⟧" + right, None)]


def _values(doc, finding) -> dict:
    values = finding.evidence.get("values", {}) if isinstance(finding.evidence, dict) else {}
    return {path: values[path] if path in values else doc.cell(path) for path in finding.cells}


def _cell_texts(doc, finding) -> list[str]:
    return [f"{cell_label(path)}={_number(value)}" for path, value in _values(doc, finding).items()]


def _cells_summary(doc, finding, room: int) -> str:
    """A long cell list in one line of at most `room` columns: per table, its rows × columns (the
    row or column named when there is one) and how many cells are blank. The first variant that
    fits is taken, the shortest otherwise."""
    from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

    values = _values(doc, finding)
    by_table: dict[str, list[tuple[str, str]]] = {}
    for path in values:
        parts = path.split(".")
        if len(parts) == 3:
            by_table.setdefault(parts[0], []).append((parts[1], parts[2]))

    def table_text(table: str, cells: list[tuple[str, str]], named: bool) -> str:
        rows = list(dict.fromkeys(row for row, _ in cells))
        columns = list(dict.fromkeys(column for _, column in cells))
        text = f"{TABLE_LABELS.get(table, table)} {len(rows)} 行 × {len(columns)} 列"
        if named and len(rows) == 1:
            text += f"（“{ROW_LABELS.get(rows[0], rows[0]).strip()}”行）"
        elif named and len(columns) == 1:
            text += f"（“{COLUMN_LABELS.get(columns[0], columns[0])}”列）"
        if len(cells) != len(rows) * len(columns):
            text += f"中的 {len(cells)} 格"
        blank = sum(1 for row, column in cells if values[f"{table}.{row}.{column}"] is None)
        return text + (f"，空白 {blank} 格" if blank else "，无空白")

    variants = []
    for named, note in ((True, True), (False, True), (False, False)):
        text = "；".join(table_text(table, cells, named) for table, cells in by_table.items())
        variants.append(text + ("；逐格见 --format json" if note else ""))
    return next((v for v in variants if text_width(v) <= room), variants[-1])


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
