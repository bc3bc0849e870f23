"""What the command line says about itself, in Chinese: help pages and usage errors.

typer (with the click it carries) writes help and usage errors in English, in boxes drawn for
a wide terminal. Everything a person reads from `auditor` is Chinese, so the app and each command
use the classes below (`cls=` in cli.py):

- help (`-h`/`--help`) is laid out here from the command's parameters: usage line, description,
  arguments, options with Chinese value names (metavar=), defaults and “必填”, wrapped at the
  output width (auditor/layout.py) without cutting any text off;
- a usage error (missing argument, unknown option or command, an option without its value, a bad
  value) becomes one line on stderr, “错误：…（auditor audit -h 查看用法）”, exit status 2 — the
  style of every other error of the tool (InputError, ConfigError). Option values are checked by
  the parsers below (`one_of`, `positive_int`, `positive_number`, `memory_size`) rather than by typer's Enum/int conversion, whose
  messages are English.

Only click's documented surface is used (parameters' opts/help/default/required/metavar, the
exception classes and their attributes), and it is reached through the module that raises
typer.BadParameter, whichever click typer is built on. The rare click message that carries no
structured detail (extra arguments) is recognised by its wording, with a generic Chinese line as
the fallback: English never reaches the user.
"""

from __future__ import annotations

import re
import sys
from enum import Enum

import typer
import typer.core

from auditor.layout import output_width, pad, text_width, wrap_text

# The exception classes of the click typer uses (its own copy in recent typer versions).
_click_errors = sys.modules[typer.BadParameter.__module__]
ClickException = _click_errors.ClickException
UsageError = _click_errors.UsageError
BadParameter = _click_errors.BadParameter
MissingParameter = _click_errors.MissingParameter
NoSuchOption = _click_errors.NoSuchOption
BadOptionUsage = _click_errors.BadOptionUsage
NoArgsIsHelpError = getattr(_click_errors, "NoArgsIsHelpError", None)

TERM_COLUMN_MAX = 26  # an option longer than this gets its help on the next line
HELP_OPTION_HELP = "显示此帮助并退出"


class BadValue(BadParameter):
    """An option value our parsers reject; click adds which option it was."""

    def __init__(self, value: str, expected: str):
        super().__init__(expected)
        self.value = value
        self.expected = expected


class ChineseUsageError(UsageError):
    """A usage error whose message is already the Chinese line to show."""


# --------------------------------------------------------------------------- option values


def one_of(*choices: str):
    """A parser (typer.Option(parser=…)) accepting exactly one of `choices`."""
    def parse(value):
        if value not in choices:
            raise BadValue(str(value), f"只能是 {'、'.join(choices)} 之一")
        return value
    return parse


def positive_int(value):
    """A parser for a count of at least 1."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise BadValue(str(value), "应为正整数")
    return int(text)


def positive_number(value):
    """A parser for a positive number (seconds); the text as given, for the configuration."""
    try:
        ok = float(str(value)) > 0
    except ValueError:
        ok = False
    if not ok:
        raise BadValue(str(value), "应为正数")
    return str(value)


def memory_size(value):
    """A parser for an amount of memory ("2GB", "512MB", a number of MB); the text as given."""
    from auditor.batch.budget import parse_size

    if parse_size(str(value)) is None:
        raise BadValue(str(value), "应为内存大小，如 2GB、512MB（只写数字时单位为 MB）")
    return str(value)


# --------------------------------------------------------------------------- help pages


def _is_help_option(param, ctx) -> bool:
    return bool(set(param.opts) & set(ctx.help_option_names))


def _metavar(param) -> str:
    name = param.metavar or param.name or "值"
    return f"{name}..." if getattr(param, "nargs", 1) == -1 else name


def _usage_line(command, ctx) -> str:
    pieces = [ctx.command_path]
    if any(p.param_type_name == "option" for p in command.get_params(ctx)):
        pieces.append("[选项]")
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            pieces.append(_metavar(param) if param.required else f"[{_metavar(param)}]")
    if isinstance(command, typer.core.TyperGroup):
        pieces.append("命令 [参数]...")
    return "用法：" + " ".join(pieces)


def _option_term(param) -> str:
    names = sorted(param.opts, key=lambda o: (o.startswith("--"), o))  # -f before --format
    term = ", ".join(names)
    if param.secondary_opts:
        term += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False):
        term += f" {_metavar(param)}"
    return term


def _default_text(param) -> str | None:
    default = param.default
    if getattr(param, "is_flag", False):
        if param.secondary_opts and isinstance(default, bool):
            return param.opts[0] if default else param.secondary_opts[0]
        return None
    if default is None or default == () or callable(default):
        return None
    return str(default.value if isinstance(default, Enum) else default)


def _param_help(param, ctx) -> str:
    if _is_help_option(param, ctx):
        return HELP_OPTION_HELP
    text = (param.help or "").strip()
    default = _default_text(param)
    if default is not None:
        text += f"（默认：{default}）"
    if param.required:
        text += "（必填）"
    return text


def _paragraphs(text: str) -> list[str]:
    """A docstring's paragraphs, each joined into one line (Chinese joins without a space)."""
    paragraphs = []
    for block in (text or "").strip().split("\n\n"):
        joined = ""
        for line in (part.strip() for part in block.splitlines()):
            if not line:
                continue
            if joined and not (text_width(joined[-1]) == 2 or text_width(line[0]) == 2):
                joined += " "
            joined += line
        if joined:
            paragraphs.append(joined)
    return paragraphs


def _definition_list(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Terms and their descriptions in two columns; a long term puts its text on the next line."""
    term_width = min(max((text_width(term) for term, _ in rows), default=0), TERM_COLUMN_MAX)
    hanging = " " * (2 + term_width + 2)
    lines = []
    for term, text in rows:
        if text_width(term) > term_width:
            lines.append("  " + term)
            lines.extend(wrap_text(text, width, hanging, hanging) if text else [])
        else:
            first = "  " + pad(term, term_width) + "  "
            lines.extend(wrap_text(text, width, first, hanging) if text else [first.rstrip()])
    return lines


def render_help(command, ctx, width: int) -> str:
    lines = wrap_text(_usage_line(command, ctx), width, "", "    ")
    for paragraph in _paragraphs(command.help):
        lines += [""] + wrap_text(paragraph, width)
    params = command.get_params(ctx)
    arguments = [(_metavar(p), _param_help(p, ctx)) for p in params
                 if p.param_type_name == "argument" and not getattr(p, "hidden", False)]
    options = [(_option_term(p), _param_help(p, ctx)) for p in params
               if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    if arguments:
        lines += ["", "参数："] + _definition_list(arguments, width)
    if isinstance(command, typer.core.TyperGroup):
        commands = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not getattr(sub, "hidden", False):
                summary = _paragraphs(sub.short_help or sub.help or "")
                commands.append((name, summary[0] if summary else ""))
        lines += ["", "命令："] + _definition_list(commands, width)
    if options:
        lines += ["", "选项："] + _definition_list(options, width)
    if isinstance(command, typer.core.TyperGroup):
        lines += ["", *wrap_text(f"用 {ctx.command_path} 命令 -h 查看各命令的用法。", width)]
    return "\n".join(lines) + "\n"


class _Chinese:
    def format_help(self, ctx, formatter) -> None:
        formatter.write(render_help(self, ctx, output_width(sys.stdout)))

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            # click's parser raises some errors (an option without its value) without saying
            # which command it was parsing; the error line points to that command's help.
            if getattr(exc, "ctx", None) is None:
                exc.ctx = ctx
            raise


class Command(_Chinese, typer.core.TyperCommand):
    """A command whose help and usage errors are Chinese (see the module docstring)."""


class Group(_Chinese, typer.core.TyperGroup):
    """A command group whose help and usage errors are Chinese (see the module docstring)."""

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if (name and not name.startswith("-") and self.get_command(ctx, name) is None
                and not ctx.resilient_parsing):
            from difflib import get_close_matches

            known = self.list_commands(ctx)
            close = get_close_matches(name, known, n=2)
            hint = f"，是不是 {'、'.join(close)}？" if close else f"（可用：{'、'.join(known)}）"
            raise ChineseUsageError(f"没有命令“{name}”{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's main, with its usage errors printed as one Chinese line (the app's entry point,
        so every command's errors pass here)."""
        try:
            status = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except ClickException as exc:
            if not standalone_mode:
                raise
            if NoArgsIsHelpError is not None and isinstance(exc, NoArgsIsHelpError):
                # Nothing asked for: the help is the answer (click's status for it, 2).
                typer.echo(exc.ctx.get_help(), err=True)
            else:
                from auditor.filenames import shown

                typer.echo(f"错误：{shown(error_line(exc))}", err=True)  # a file name that is not UTF-8, escaped
            sys.exit(getattr(exc, "exit_code", 2) or 2)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("已中止", err=True)
            sys.exit(1)
        if not standalone_mode:
            return status
        # Without standalone mode click returns the status of a typer.Exit, else the command's
        # own return value (None for ours).
        sys.exit(status if isinstance(status, int) else 0)


# --------------------------------------------------------------------------- usage errors


def _param_name(param) -> str:
    if param is None:
        return "参数"
    if param.param_type_name == "argument":
        return f"参数 {_metavar(param)}"
    longest = max(param.opts, key=len) if param.opts else param.name
    return f"选项 {longest}"


def error_line(exc) -> str:
    """One Chinese line for a click usage error, ending with where the help is."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "auditor"
    hint = f"（{where} -h 查看用法）"
    if isinstance(exc, ChineseUsageError):
        return f"{exc.message}{hint}"
    if isinstance(exc, MissingParameter):
        param = exc.param
        what = _param_name(param)
        described = f"：{param.help.strip()}" if param is not None and param.help else ""
        return f"缺少{what}{described}{hint}"
    if isinstance(exc, BadValue):
        return f"{_param_name(exc.param)} 的值“{exc.value}”无效：{exc.expected}{hint}"
    if isinstance(exc, BadParameter):
        return f"{_param_name(exc.param)} 的值无效{hint}"
    if isinstance(exc, NoSuchOption):
        close = [p for p in (exc.possibilities or ()) if p.startswith("-")]
        suggestion = f"，是不是 {'、'.join(close)}？" if close else ""
        return f"没有选项 {exc.option_name}{suggestion}{hint}"
    if isinstance(exc, BadOptionUsage):
        message = exc.message or ""
        if "does not take" in message:
            return f"选项 {exc.option_name} 不接受取值{hint}"
        if "requires" in message:
            return f"选项 {exc.option_name} 后面缺少取值{hint}"
        return f"选项 {exc.option_name} 的用法有误{hint}"
    message = getattr(exc, "message", "") or ""
    extra = re.search(r"extra arguments?(?:\(s\))? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}{hint}"
    if "Missing command" in message:
        return f"缺少命令{hint}"
    return f"命令行用法有误{hint}"
