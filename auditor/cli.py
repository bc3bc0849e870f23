"""The `auditor` command line. Thin: every command calls into a stage and prints its result."""

from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from auditor.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="政府信息公开工作年度报告审核工具（离线、确定性、每条结论都有证据）。")


class ParseFormat(str, Enum):
    json = "json"
    text = "text"


@app.callback()
def main() -> None:
    """政府信息公开工作年度报告审核工具。"""


@app.command()
def parse(file: str = typer.Argument(..., help="报告文件：.txt/.md、.html/.htm、.docx、.pdf"),
          format: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f",
                                             help="json：文档结构（contract.md）；text：可读的大纲")) -> None:
    """读取一份报告，输出其结构：章节、元数据和三张统计表。"""
    from auditor.structure import parse_file

    try:
        doc = parse_file(file)
    except InputError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(2)
    if format is ParseFormat.json:
        sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        from auditor.report.outline import render_outline

        sys.stdout.write(render_outline(doc))


if __name__ == "__main__":  # pragma: no cover
    app()
