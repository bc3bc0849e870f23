"""`auditor parse --format text`: a readable outline of a parsed report."""

from __future__ import annotations

from auditor.model import Document
from auditor.structure.normalize import display_width
from auditor.structure.tables import schema
from auditor.structure.tables.labels import COLUMN_LABELS, ROW_LABELS

SECTION_NAMES = {"overview": "总体情况", "active": "主动公开", "applications": "依申请公开",
                 "appeals": "复议诉讼", "problems": "问题及改进", "other": "其他事项"}
TABLE_TITLES = {"active": "表二 主动公开政府信息情况", "applications": "表三 收到和处理政府信息公开申请情况",
                "appeals": "表四 行政复议、行政诉讼情况"}


def _pad(s: str, width: int, right: bool = False) -> str:
    gap = max(0, width - display_width(s))
    return (" " * gap + s) if right else (s + " " * gap)


def _cell(v) -> str:
    if v is None:
        return "·"  # blank in the report: visibly different from 0
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _grid(table: dict) -> list[str]:
    columns: list[str] = []
    for cols in table.values():
        for c in cols:
            if c not in columns:
                columns.append(c)
    label_w = max(display_width(ROW_LABELS.get(r, r)) for r in table) + 2
    widths = {c: max(display_width(COLUMN_LABELS.get(c, c)),
                     *(display_width(_cell(row.get(c))) for row in table.values() if c in row)) + 1
              for c in columns}
    lines = [_pad("", label_w) + "".join(_pad(COLUMN_LABELS.get(c, c), widths[c] + 1, right=True) for c in columns)]
    for r, row in table.items():
        cells = "".join(_pad(_cell(row[c]) if c in row else "", widths[c] + 1, right=True) for c in columns)
        lines.append(_pad(ROW_LABELS.get(r, r), label_w) + cells)
    return lines


def render_outline(doc: Document) -> str:
    m = doc.meta
    out = [f"文件：{doc.path}（{doc.format}" + (f"，{doc.encoding}" if doc.encoding else "") + "）",
           f"标题：{m.title or '（未识别）'}",
           f"机关：{m.agency or '（未识别）'}    年度：{m.year or '（未识别）'}    格式：{m.template}",
           f"统计期限：{' 至 '.join(m.period) if m.period else '（报告未写明）'}",
           f"正文：{len(doc.text)} 字", "", "章节："]
    present = {s.key for s in doc.sections}
    for s in doc.sections:
        out.append(f"  {_pad(SECTION_NAMES[s.key], 10)} {_pad(s.title[:30], 62)} "
                   f"[{s.start}–{s.end}) {s.end - s.start} 字")
    missing = [SECTION_NAMES[k] for k in SECTION_NAMES if k not in present]
    if missing:
        out.append(f"  缺少：{'、'.join(missing)}")
    for key in ("active", "applications", "appeals"):
        out.append("")
        table = doc.tables.get(key) or {}
        if not table:
            note = "（2008 版格式，不套用新表）" if m.template == "2008" else "（未找到）"
            out.append(f"{TABLE_TITLES[key]}：{note}")
            continue
        out.append(f"{TABLE_TITLES[key]}（· 表示报告中为空）：")
        out.extend("  " + line for line in _grid(table))
    if doc.diagnostics:
        out.append("")
        out.append("解析说明：")
        for d in doc.diagnostics:
            out.append(f"  [{d.kind}] {d.message}")
    return "\n".join(out) + "\n"


__all__ = ["render_outline", "schema"]
