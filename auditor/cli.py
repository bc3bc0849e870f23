"""The `auditor` command line. Thin: every command calls into a stage and prints its result."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from auditor import __version__
from auditor.errors import InputError, unwritable_cause, write_error_cause
from auditor.usage import Command, Group, memory_size, one_of, positive_int, positive_number

# -h as well as --help, on the app and (inherited through the context) on every command.
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

# Help and usage errors in Chinese (auditor/usage.py): every command is a usage.Command, the
# app and its groups usage.Group.
app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings=HELP_OPTIONS,
                  cls=Group, help="政府信息公开工作年度报告审核工具（离线、确定性、每条结论都有证据）。")

PARSE_FORMATS = ("json", "text")
AUDIT_FORMATS = ("text", "json", "sarif", "html")  # the names of report/formats.py's FORMATTERS
FAIL_ON_CHOICES = ("error", "warning", "never")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="显示版本号并退出")) -> None:
    """政府信息公开工作年度报告审核工具。"""


@app.command(cls=Command)
def parse(file: str = typer.Argument(..., metavar="文件", help="报告文件：.txt/.md、.html/.htm、.docx/.doc/.wps、.pdf、.ofd、扫描图片 .png/.jpg/.tif"),
          format: str = typer.Option("json", "--format", "-f", metavar="格式", parser=one_of(*PARSE_FORMATS),
                                     help="json：文档结构（contract.md）；text：可读的大纲")) -> None:
    """读取一份报告，输出其结构：章节、元数据和三张统计表。"""
    from auditor.filenames import shown
    from auditor.structure import parse_file

    try:
        doc = parse_file(file)
    except InputError as exc:
        _fail(_unreadable(exc))
    if format == "json":
        sys.stdout.write(shown(json.dumps(doc.to_json(), ensure_ascii=False, indent=1), json=True) + "\n")
    else:
        from auditor.report.outline import render_outline

        sys.stdout.write(shown(render_outline(doc)))


# --------------------------------------------------------------------------- audit


FAIL_THRESHOLDS = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}


def _fail(lines: str, status: int = 2) -> None:
    """Print a Chinese error (one line per problem) on stderr and stop with `status`."""
    from auditor.filenames import shown

    for line in str(lines).splitlines():
        typer.echo(f"错误：{shown(line)}", err=True)  # a file name that is not UTF-8, escaped
    raise typer.Exit(status)


def _unreadable(exc: InputError) -> str:
    """An unreadable file's message, naming a file whose name is not UTF-8 legibly."""
    from auditor.filenames import legible

    return str(InputError(legible(exc.path), exc.cause))


@app.command(cls=Command)
def audit(files: list[str] = typer.Argument(..., metavar="文件", help="要审核的报告文件，可以有多个"),
          format: str = typer.Option("text", "--format", "-f", metavar="格式", parser=one_of(*AUDIT_FORMATS),
                                     help="text：给人看；json：contract.md 的审核 JSON；sarif：SARIF 2.1.0；"
                                          "html：可交互的审核网页"),
          output: Optional[str] = typer.Option(None, "--output", "-o", metavar="文件",
                                               help="写入此文件而不是标准输出"),
          previous: Optional[str] = typer.Option(None, "--previous", metavar="文件",
                                                 help="同一机关上一年度的报告，用于连续性检查"),
          corpus: Optional[str] = typer.Option(None, "--corpus", metavar="目录",
                                               help="其他报告所在目录：找出从其他报告、本机关往年报告照抄的段落"),
          fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="程度", parser=one_of(*FAIL_ON_CHOICES),
                                                help="error、warning 或 never：达到该严重程度的发现使退出码为 1"
                                                     "（默认 error，never 为从不）"),
          select: Optional[str] = typer.Option(None, "--select", metavar="规则",
                                               help="只用这些规则（编号或前缀，逗号分隔，如 TBL,CLM-RECEIVED）"),
          ignore: Optional[str] = typer.Option(None, "--ignore", metavar="规则",
                                               help="不用这些规则（编号或前缀，逗号分隔）"),
          config: Optional[str] = typer.Option(None, "--config", metavar="文件", help="配置文件（不再向上查找）"),
          baseline: Optional[str] = typer.Option(None, "--baseline", metavar="文件",
                                                 help="基线文件：隐藏其中已忽略的发现"),
          model: Optional[str] = typer.Option(None, "--model", metavar="文件",
                                              help="模板句分类模型文件（.skops），代替随包发布的模型"),
          write_baseline: Optional[str] = typer.Option(None, "--write-baseline", metavar="文件",
                                                       help="把本次全部发现作为已忽略写入此基线文件")) -> None:
    """审核报告：表格勾稽、叙述与表格矛盾、空泛表述、雷同、连续性。

    退出码：0 没有达到 --fail-on 的发现；1 有；2 用法错误、文件读不了、配置或规则文件有误。
    """
    from auditor import baseline as baselines
    from auditor.atomic import write_atomic
    from auditor.checks import run_checks
    from auditor.config import ConfigError, load_config, rules_for
    from auditor.filenames import legible, shown
    from auditor.report.formats import FORMATTERS
    from auditor.layout import output_width
    from auditor.rules.loader import RuleFileError
    from auditor.structure import parse_file

    # Where the result goes is checked before the work that produces it.
    for path, what in ((output, "输出文件"), (write_baseline, "基线文件")):
        if path and (cause := unwritable_cause(path)):
            _fail(f"无法写入{what} {legible(path)}：{cause}")
    try:
        settings = load_config(start=files[0], config_path=config, overrides={
            "select": select, "ignore": ignore, "baseline": baseline, "model": model,
            "fail_on": fail_on})
        rules = rules_for(settings)
        # With --write-baseline the configured baseline is about to be superseded (and may not
        # exist yet on a first run), so it is not read.
        baseline_decisions = None
        if settings.baseline and not write_baseline:
            baseline_decisions = baselines.load_baseline(settings.baseline)
    except (ConfigError, RuleFileError, baselines.BaselineError) as exc:
        _fail(str(exc))

    documents, unreadable = [], []
    for file in files:
        try:
            documents.append(parse_file(file))
        except InputError as exc:
            unreadable.append(_unreadable(exc))
    try:
        previous_doc = parse_file(previous) if previous else None
    except InputError as exc:
        unreadable.append(_unreadable(exc))
    if unreadable:
        _fail("\n".join(unreadable))

    corpus_index, corpus_docs = (_corpus_index(corpus, extra=[previous_doc] if previous_doc else [])
                                 if corpus else (None, {}))
    from auditor.batch.run import last_year

    results = [run_checks(doc, rules, previous=previous_doc or last_year(doc, corpus_index, corpus_docs),
                          corpus=corpus_index) for doc in documents]
    if write_baseline:
        try:
            count = baselines.write_baseline(results, write_baseline)
            baseline_decisions = baselines.load_baseline(write_baseline)
        except baselines.BaselineError as exc:
            _fail(str(exc))
        typer.echo(f"已写入基线 {write_baseline}：{count} 条发现记为已忽略", err=True)
    results, hidden = baselines.apply_baseline_to_results(results, baseline_decisions)
    if hidden:
        typer.echo(f"基线隐藏了 {hidden} 条已忽略的发现", err=True)

    # Text is laid out for the terminal it goes to, else for 80 columns (or COLUMNS; see layout.py).
    layout = {"width": output_width(None if output else sys.stdout)} if format == "text" else {}
    rendered = FORMATTERS[format](results, rules=rules, color=output is None and sys.stdout.isatty(),
                                  **layout)
    # A report whose file name is not UTF-8 is named by its shown form (auditor/filenames.py):
    # the output is valid UTF-8 whatever the name.
    rendered = shown(rendered, json=format in ("json", "sarif"))
    if output:
        try:
            write_atomic(output, rendered)  # whole or not at all: no half file on a full disk
        except OSError as exc:
            _fail(f"无法写入输出文件 {legible(output)}：{write_error_cause(exc)}")
    else:
        sys.stdout.write(rendered)

    failing = FAIL_THRESHOLDS[settings.fail_on]
    if any(f.severity in failing for result in results for f in result.findings):
        raise typer.Exit(1)


def _parse_directory(directory: str, what: str) -> list:
    """Every readable report under `directory`; unreadable files are reported and skipped."""
    import os

    from auditor.similarity.discover import discover_reports
    from auditor.structure import parse_file

    if not os.path.isdir(directory):
        _fail(f"{what}目录 {directory} 不存在或不是目录")
    docs = []
    for path in discover_reports(directory):
        try:
            docs.append(parse_file(path))
        except InputError as exc:
            typer.echo(f"提示：跳过{what}中无法读取的文件：{exc}", err=True)
    if not docs:
        _fail(f"{what}目录 {directory} 中没有可读的报告")
    return docs


def _corpus_index(directory: str, extra: list):
    """Parse and index every report under `directory` (plus `extra` documents)."""
    from auditor.similarity.index import CorpusIndex

    docs = list(extra) + _parse_directory(directory, "语料")
    return CorpusIndex.build(docs), {doc.path: doc for doc in docs}


# --------------------------------------------------------------------------- batch


@app.command(cls=Command)
def batch(directory: str = typer.Argument(..., metavar="目录", help="报告目录（递归查找 .txt/.md/.html/.docx/.doc/.wps/.pdf/.ofd 和扫描图片 .png/.jpg/.tif）"),
          db: Optional[str] = typer.Option(None, "--db", metavar="文件",
                                           help="SQLite 数据库（默认为输出目录中的 auditor.db）"),
          out: str = typer.Option("auditor-out", "--out", "-o", metavar="目录",
                                  help="输出目录：reports.csv、index.html、reports/"),
          workers: Optional[int] = typer.Option(None, "--workers", "-j", metavar="数目", parser=positive_int,
                                                help="本机工作进程数（默认 CPU 核数）"),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="地址",
                                                  help="Dask 调度器地址（如 tcp://10.0.0.5:8786），在集群上运行"),
          corpus_checks: bool = typer.Option(True, "--corpus/--no-corpus",
                                             help="跨报告检查：跨机关复制、逐年重复、上下年数据衔接"),
          pages: bool = typer.Option(True, "--pages/--no-pages", help="为每份报告生成 HTML 审核页"),
          time_budget: Optional[str] = typer.Option(None, "--time-budget", metavar="秒", parser=positive_number,
                                                    help="每份报告解析或审核最多用时，超过即停止并记为该报告出错"
                                                         "（默认 120；扫描件每识别一页再加 30 秒；"
                                                         "也可在配置文件中设置 time_budget）"),
          memory_budget: Optional[str] = typer.Option(None, "--memory-budget", metavar="大小", parser=memory_size,
                                                      help="每份报告解析或审核最多再占用的内存，如 2GB、512MB"
                                                           "（默认 2GB；配置项 memory_budget）"),
          baseline: Optional[str] = typer.Option(None, "--baseline", metavar="文件",
                                                 help="基线文件：隐藏其中已忽略的发现"),
          model: Optional[str] = typer.Option(None, "--model", metavar="文件",
                                              help="模板句分类模型文件（.skops），代替随包发布的模型"),
          config: Optional[str] = typer.Option(None, "--config", metavar="文件",
                                               help="配置文件（不再向上查找）")) -> None:
    """批量审核整个目录：可中断续跑；写出数据库、CSV 和 HTML 索引。读不了的文件记为失败，其余照常审核。

    退出码：0 全部报告都已审核；2 用法或配置有误（什么也没做），或有报告无法读取或审核（其余报告的结果照常写出，
    失败的文件列在终端、index.html 和 reports.csv 中），或输出目录、数据库写不了（如磁盘已满；已保存的结果保留）；
    130 被中断（重新运行即可续跑）。
    """
    from auditor import baseline as baselines
    from auditor.batch.budget import Budgets
    from auditor.batch.run import BatchEngineError, BatchInterrupted, BatchOutputError, BatchUsageError, run_batch
    from auditor.batch.store import StoreError
    from auditor.config import ConfigError, load_config, rules_for
    from auditor.filenames import legible
    from auditor.rules.loader import RuleFileError

    if scheduler and workers:
        _fail("--scheduler 与 --workers 不能同时使用（集群的工作进程数由集群决定）")
    if db and (cause := unwritable_cause(db)):
        _fail(f"无法写入数据库 {legible(db)}：{cause}")
    try:
        settings = load_config(start=directory, config_path=config,
                               overrides={"baseline": baseline, "model": model, "time_budget": time_budget,
                                          "memory_budget": memory_budget})
        rules = rules_for(settings)
        summary = run_batch(directory, rules, out_dir=out, db_path=db, workers=workers,
                            baseline_path=settings.baseline, corpus_checks=corpus_checks,
                            scheduler=scheduler, pages=pages,
                            budgets=Budgets(settings.time_budget, settings.memory_budget))
    except (BatchUsageError, BatchEngineError, BatchOutputError, ConfigError, RuleFileError,
            baselines.BaselineError, StoreError) as exc:
        _fail(str(exc))
    except (BatchInterrupted, KeyboardInterrupt) as exc:
        done = ""
        if isinstance(exc, BatchInterrupted):
            s = exc.summary
            done = f"本次已保存 {s.scored + s.failed} 份（另有 {s.skipped} 份沿用上次结果），"
        typer.echo(f"已中断：{done}数据库保持一致；重新运行同一命令即可从中断处继续", err=True)
        raise typer.Exit(130)
    failures, lost = summary.failures, summary.lost
    unfinished = f"，因工作进程或集群故障未能完成 {len(lost)} 份（重新运行会重试）" if lost else ""
    typer.echo(f"完成：{summary.total} 份报告，新审核 {summary.scored} 份，沿用 {summary.skipped} 份，"
               f"无法读取或审核 {len(failures)} 份{unfinished}；索引 {summary.outputs['index']}", err=True)
    if failures or lost:
        # Named here as well as in the index: the files are missing from every figure of the batch.
        listed = 20
        named = [("无法读取或审核", path, error) for path, error in failures]
        named += [("未能完成", path, error) for path, error in lost]
        for what, path, error in named[:listed]:
            typer.echo(f"  {what}：{error if path in error else f'{path}：{error}'}", err=True)
        if len(named) > listed:
            typer.echo(f"  ……另有 {len(named) - listed} 份，全部列在 {summary.outputs['index']} 和 "
                       f"{summary.outputs['csv']} 中", err=True)
        # The same status as `audit` for unreadable input; the other reports' results are saved.
        raise typer.Exit(2)


# --------------------------------------------------------------------------- train


@app.command(cls=Command)
def train(directory: str = typer.Argument(..., metavar="目录",
                                          help="训练语料目录（递归查找 .txt/.md/.html/.docx/.doc/.wps/.pdf/.ofd 报告）"),
          out: Optional[str] = typer.Option(None, "--out", "-o", metavar="文件",
                                            help="模型文件（.skops）；省略时只评估不保存")) -> None:
    """训练套话/模板句分类模型，并按机关分组交叉验证，输出精确率、召回率和混淆矩阵。"""
    from auditor.similarity.classifier import train as train_model

    if out and (cause := unwritable_cause(out)):
        _fail(f"无法写入模型文件 {out}：{cause}")
    docs = _parse_directory(directory, "训练语料")
    try:
        report = train_model(docs, out_path=out)
    except ValueError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"无法写入模型文件 {out}：{write_error_cause(exc)}")
    sys.stdout.write(report.render() + "\n")
    if out:
        typer.echo(f"模型已保存：{out}", err=True)


# --------------------------------------------------------------------------- rules

rules_app = typer.Typer(no_args_is_help=True, context_settings=HELP_OPTIONS, cls=Group,
                        help="列出、解释和校验规则文件。")
app.add_typer(rules_app, name="rules")


def _settings_here(config: Optional[str]):
    """The configuration for the working directory (or `config`)."""
    from auditor.config import ConfigError, load_config

    try:
        return load_config(start=Path.cwd(), config_path=config)
    except ConfigError as exc:
        _fail(str(exc))


def _all_rules(config: Optional[str]):
    """Every rule of the configured rules directory (discovered from the working directory)."""
    from auditor.rules.loader import RuleFileError, load_rules

    settings = _settings_here(config)
    try:
        return load_rules([settings.rules_dir] if settings.rules_dir else None)
    except RuleFileError as exc:
        _fail(str(exc))


@rules_app.command("list", cls=Command)
def rules_list(config: Optional[str] = typer.Option(None, "--config", metavar="文件", help="配置文件")) -> None:
    """列出全部规则：编号、严重程度、类别、类型，下一行是提示。"""
    from auditor.layout import output_width, pad, text_width, wrap_text
    from auditor.report.sarif import summary
    from auditor.report.text import CATEGORY_LABELS, KIND_LABELS, SEVERITY_LABELS

    rules = _all_rules(config)
    width = output_width(sys.stdout)
    # Two lines a rule, so that nothing is cut at 80 columns: the id and its labels in aligned
    # columns, then the message (placeholders shown as “…”) wrapped under it.
    id_width = max([text_width("编号"), *(len(rule.id) for rule in rules)])
    lines = [f"{pad('编号', id_width)}  严重程度  类别    类型", "    提示", ""]
    for rule in rules:
        lines.append(f"{pad(rule.id, id_width)}  {pad(SEVERITY_LABELS.get(rule.severity, rule.severity), 8)}  "
                     f"{pad(CATEGORY_LABELS.get(rule.category, rule.category), 6)}  "
                     f"{KIND_LABELS.get(rule.kind, rule.kind)}".rstrip())
        lines.extend(wrap_text(summary(rule.message), width, "    ", "    "))
    lines.append("")
    lines.append(f"共 {len(rules)} 条规则；auditor rules show 编号 显示一条规则的全部内容。")
    typer.echo("\n".join(lines))


@rules_app.command("show", cls=Command)
def rules_show(rule_id: str = typer.Argument(..., metavar="编号", help="规则编号或别名"),
               config: Optional[str] = typer.Option(None, "--config", metavar="文件", help="配置文件")) -> None:
    """显示一条规则的全部内容：提示、依据、参数、示例、来源。"""
    import yaml

    from auditor.report.text import CATEGORY_LABELS, KIND_LABELS, SEVERITY_LABELS

    wanted = rule_id.strip().upper()
    rule = next((r for r in _all_rules(config) if wanted == r.id or wanted in r.aliases), None)
    if rule is None:
        _fail(f"没有编号或别名为 {rule_id} 的规则（auditor rules list 列出全部规则）")
    lines = [f"{rule.id}{'（别名：' + '、'.join(rule.aliases) + '）' if rule.aliases else ''}",
             # The Chinese label, and the value a rule file writes (rules/*.yaml).
             f"类型：{KIND_LABELS.get(rule.kind, rule.kind)}（{rule.kind}）    "
             f"类别：{CATEGORY_LABELS.get(rule.category, rule.category)}（{rule.category}）    "
             f"严重程度：{SEVERITY_LABELS.get(rule.severity, rule.severity)}（{rule.severity}）",
             f"范围：{'、'.join(rule.scope) if rule.scope else '全文'}",
             f"来源：{rule.source}", "", "提示：", rule.message, "", "依据：", rule.rationale]
    for title, data in (("参数：", rule.params), ("示例：", list(rule.examples))):
        if data:
            dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
            lines += ["", title, dumped.rstrip()]
    typer.echo("\n".join(lines))


@rules_app.command("check", cls=Command)
def rules_check(directory: Optional[str] = typer.Argument(
                    None, metavar="目录",
                    help="规则目录（其中每个 YAML 文件；默认：配置中的 rules_dir，否则随包发布的规则）"),
                config: Optional[str] = typer.Option(None, "--config", metavar="文件", help="配置文件")) -> None:
    """校验规则文件（出错处给出 文件:行:列），再把每条规则的示例当作测试运行。有任何失败则退出码为 1。"""
    from auditor import resources
    from auditor.rules.examples import run_examples
    from auditor.rules.loader import collect_rules

    settings = _settings_here(config)
    if directory is None:
        directory = str(settings.rules_dir or resources.shipped_rules_dir())
    base_dir = Path(directory)
    if not base_dir.is_dir():
        _fail(f"规则目录 {directory} 不存在")
    # The examples read the data lists of the directory being checked, as an audit with it would.
    resources.use(rules_dir=base_dir, model=settings.model)
    loaded = collect_rules([directory])
    if loaded.empty:
        _fail(loaded.problems[0])  # like a missing directory: nothing to check at all
    for problem in loaded.problems:
        typer.echo(problem)
    passed = failed = 0
    for rule in loaded.rules:
        for outcome in run_examples(rule, base_dir):
            found = "—" if outcome.found is None else outcome.found
            status = "通过" if outcome.passed else "失败"
            line = (f"{status}  {rule.id} 示例 {outcome.index}（{rule.source}）：预期 {outcome.expected} 条，"
                    f"实际 {found} 条")
            if not outcome.passed and outcome.detail:
                line += f"；{outcome.detail}"
            typer.echo(line)
            passed, failed = passed + outcome.passed, failed + (not outcome.passed)
    problems = len(loaded.problems)
    lexicon_file = base_dir / "concepts.yaml"
    if lexicon_file.is_file():
        from auditor.nlp.lexicon import check_lexicon

        lexicon_problems, results = check_lexicon(lexicon_file)
        for problem in lexicon_problems:
            typer.echo(problem)
        problems += len(lexicon_problems)
        for result in results:
            status = "通过" if result.passed else "失败"
            line = f"{status}  词典示例（{lexicon_file}:{result.line}）：{result.text}"
            if not result.passed:
                line += f"；预期 {result.expected}，实际 {'无法运行' if result.got is None else result.got}"
            typer.echo(line)
            passed, failed = passed + result.passed, failed + (not result.passed)
    without = sum(1 for rule in loaded.rules if not rule.examples)
    typer.echo(f"{len(loaded.rules)} 条规则（{without} 条没有示例），示例通过 {passed}、失败 {failed}；"
               f"规则文件问题 {problems} 处")
    if failed or problems:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- config


@app.command("config", cls=Command)
def config_command(file: Optional[str] = typer.Argument(None, metavar="文件",
                                                        help="从此文件所在目录向上查找配置（默认：当前目录）"),
                   config: Optional[str] = typer.Option(None, "--config", metavar="文件",
                                                        help="配置文件（不再向上查找）")) -> None:
    """显示有效配置及其来源。"""
    from auditor import resources
    from auditor.config import ConfigError, load_config

    try:
        settings = load_config(start=file or Path.cwd(), config_path=config)
    except ConfigError as exc:
        _fail(str(exc))
    typer.echo(f"# 来源：{settings.source or '默认值（未找到 auditor.toml 或含 [tool.auditor] 的 pyproject.toml）'}")
    if not settings.rules_dir:
        typer.echo(f"# 规则目录：{resources.shipped_rules_dir()}（随包发布）")
    if not settings.model:
        typer.echo(f"# 模型：{resources.shipped_model()}（随包发布）")
    typer.echo(settings.to_toml(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    app()
