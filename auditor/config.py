"""The effective configuration of a run, and how it narrows and adjusts the rules.

Sources, later wins:
  1. defaults (DEFAULTS below);
  2. a configuration file found by walking up from the first audited file's directory: the
     nearest directory holding an `auditor.toml` (top-level keys) or a `pyproject.toml` with a
     `[tool.auditor]` table; when both are there, auditor.toml wins (it exists only for us,
     pyproject.toml is shared with other tools). A pyproject.toml without `[tool.auditor]`
     does not stop the walk, so an unrelated project file never hides ours;
  3. `--config PATH`, which replaces discovery;
  4. command-line flags.

`time_budget` (seconds) and `memory_budget` ("2GB", "512MB" or a number of MB) bound what one
report may cost a batch (auditor/batch/budget.py); they do not change any result, only which
reports are given up on.

Paths in a configuration file (`baseline`, `rules_dir`, `model`) are relative to that file's
directory, so the file means the same thing wherever the command is run from.

`rules_dir` and `model` replace what auditor ships (auditor/resources.py): the rules directory
(its rule files, and the data lists it holds) and the boilerplate model. rules_for() puts both
into effect together, so a run's rules, data lists and model always come from one configuration.

`select`/`ignore` resolve by specificity like flake8: each rule takes the decision of the most
specific entry that matches its id or one of its aliases — an exact id beats any prefix, a
longer prefix beats a shorter one, and on a tie `ignore` wins. An empty `select` selects all.
Entries are upper-cased (rule ids always are). An entry that matches no rule id or alias, even as
a prefix, is an error naming the nearest ids: a typo such as `--select TLB` would otherwise select
nothing, and a CI gate would pass every report.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from auditor.batch.budget import DEFAULT_MEMORY, DEFAULT_SECONDS, format_size, parse_size
from auditor.errors import read_error_cause
from auditor.model import SEVERITIES
from auditor.rules.rule import Rule

FAIL_ON = ("error", "warning", "never")
OPTION_NAMES = ("select", "ignore", "fail_on", "baseline", "rules_dir", "model", "time_budget", "memory_budget",
                "severity")
PATH_OPTIONS = ("baseline", "rules_dir", "model")


class ConfigError(Exception):
    """A configuration problem; str() is one Chinese line naming the file and the key."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    baseline: str | None = None
    rules_dir: str | None = None
    model: str | None = None  # a boilerplate model file (.skops) in place of the shipped one
    time_budget: float = DEFAULT_SECONDS  # seconds one batch task may take
    memory_budget: int = DEFAULT_MEMORY  # bytes one batch task may add to its worker
    severity: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the configuration file used, None = defaults only
    # Where each option was set ("--select", "配置文件 x.toml"), for messages about its value.
    origins: dict[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name, value in ((n, getattr(self, n)) for n in OPTION_NAMES)}


    def to_toml(self) -> str:
        """The configuration as a TOML file would set it; unset paths become comments."""
        lines = []
        for name in OPTION_NAMES:
            value = getattr(self, name)
            if name == "severity":
                continue
            if value is None:
                lines.append(f"# {name} 未设置")
            elif name == "time_budget":
                lines.append(f"{name} = {value:g}")
            elif name == "memory_budget":
                lines.append(f"{name} = {_toml_string(format_size(value))}")
            elif isinstance(value, tuple):
                lines.append(f"{name} = [{', '.join(_toml_string(v) for v in value)}]")
            else:
                lines.append(f"{name} = {_toml_string(value)}")
        lines.append("")
        lines.append("[severity]")
        lines.extend(f"{_toml_string(k)} = {_toml_string(v)}" for k, v in sorted(self.severity.items()))
        return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


DEFAULTS = Config()


# --------------------------------------------------------------------------- discovery


def discover_config_file(start: str | Path | None) -> tuple[Path, str] | None:
    """The nearest configuration file above `start` (a file or a directory), and its kind.

    kind is "auditor.toml" or "pyproject.toml".
    """
    try:
        here = Path(start or ".").resolve()
    except (OSError, RuntimeError):
        # A symlink loop (RuntimeError) or an unreadable link: search from where the path is
        # written; reading the file itself then says what is wrong with it.
        here = Path(start or ".").absolute()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        own = directory / "auditor.toml"
        if own.is_file():
            return own, "auditor.toml"
        # An auditor.toml that is a directory (or a pipe, a dangling link…) was meant as our
        # configuration: skipping it would run with other rules than the person set up, silently.
        # (A pyproject.toml that is no file is someone else's business and is skipped.)
        if cause := _not_a_file_cause(own):
            raise ConfigError(f"配置文件 {own}：{cause}，无法读取")
        shared = directory / "pyproject.toml"
        if shared.is_file() and _has_tool_table(shared):
            return shared, "pyproject.toml"
    return None


def _not_a_file_cause(path: Path) -> str | None:
    """Why `path`, which is there, is not a configuration file to read; None when it is a regular
    file or is not there at all. Reading a pipe would wait forever, so it is refused unread."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        if not path.exists():
            return "这是一个失效的符号链接"
        mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道，不是普通文件"
    return "这不是普通文件（设备或套接字）"


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # someone else's broken file: not ours to complain about during discovery
    return isinstance(data.get("tool"), dict) and "auditor" in data["tool"]


def read_config_file(path: str | Path, kind: str | None = None) -> dict:
    """The options a file sets, validated and with paths made absolute.

    kind "pyproject.toml" reads `[tool.auditor]`; anything else reads the top level. Without a
    kind, a file named pyproject.toml is read as one.
    """
    path = Path(path)
    if kind is None:
        kind = "pyproject.toml" if path.name == "pyproject.toml" else "auditor.toml"
    if cause := _not_a_file_cause(path):
        raise ConfigError(f"配置文件 {path}：{cause}，无法读取")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"配置文件 {path}：文件不存在")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {path}：无法读取（{read_error_cause(exc)}）")
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message is English; its position is what a person needs.
        at = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = (f"第 {at.group(1)} 行第 {at.group(2)} 列" if at
                 else "在文件末尾" if "end of document" in str(exc) else "语法错误")
        raise ConfigError(f"配置文件 {path}：TOML 格式错误（{where}）")
    if kind == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
        where = f"配置文件 {path} [tool.auditor]"
    else:
        where = f"配置文件 {path}"
    options = validate_options(data, where)
    for name in PATH_OPTIONS:
        if options.get(name):
            options[name] = str((path.parent / options[name]).resolve())
    return options


def validate_options(data: dict, where: str) -> dict:
    """Check names and types of configuration options; `where` ("配置文件 x.toml") starts errors."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}：应为键值表")
    options: dict = {}
    for key, value in data.items():
        name = key.replace("-", "_")  # fail-on and fail_on both read naturally in TOML
        if name not in OPTION_NAMES:
            raise ConfigError(f"{where}：未知的配置项 “{key}”（可用：{'、'.join(OPTION_NAMES)}）")
        options[name] = _check_value(name, value, where, key)
    return options


def _check_value(name: str, value, where: str, key: str):
    if name in ("select", "ignore"):
        if isinstance(value, str):
            value = list(split_rule_list(value))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}：{key} 应为规则编号或前缀的列表")
        return tuple(v.strip().upper() for v in value if v.strip())
    if name == "fail_on":
        if value not in FAIL_ON:
            raise ConfigError(f"{where}：{key} 必须是 {'/'.join(FAIL_ON)} 之一")
        return value
    if name in PATH_OPTIONS:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}：{key} 应为路径字符串")
        return value
    if name == "time_budget":
        seconds = _number(value)
        if seconds is None or seconds <= 0:
            raise ConfigError(f"{where}：{key} 应为正数（秒），如 120")
        return seconds
    if name == "memory_budget":
        size = parse_size(value)
        if size is None:
            raise ConfigError(f"{where}：{key} 应为内存大小，如 \"2GB\"、\"512MB\"（只写数字时单位为 MB）")
        return size
    # severity
    if not isinstance(value, dict):
        raise ConfigError(f"{where}：{key} 应为“规则编号 = 严重程度”的表")
    for rule_id, severity in value.items():
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}：{key}.{rule_id} 必须是 {'/'.join(SEVERITIES)} 之一")
    return dict(value)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def split_rule_list(text: str) -> tuple[str, ...]:
    """"TBL,CLM-01" → ("TBL", "CLM-01"), as --select/--ignore take them."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def load_config(start: str | Path | None = None, config_path: str | None = None,
                overrides: dict | None = None) -> Config:
    """Defaults < discovered file (or `config_path`) < `overrides` (command-line flags).

    `overrides` holds only the flags that were given (None values are ignored).
    """
    values: dict = {}
    origins: dict = {}
    source = None
    if config_path:
        values.update(read_config_file(config_path))
        source = str(Path(config_path).resolve())
    else:
        found = discover_config_file(start)
        if found:
            values.update(read_config_file(*found))
            source = str(found[0])
    origins.update({name: f"配置文件 {source} 的 {name}" for name in values})
    for name, value in (overrides or {}).items():
        if value is not None:
            flag = f"--{name.replace('_', '-')}"
            values[name] = _check_value(name, value, "命令行参数", flag)
            origins[name] = flag
    return dataclasses.replace(DEFAULTS, **values, source=source, origins=origins)


# --------------------------------------------------------------------------- rules


def _specificity(entries: tuple[str, ...], names: tuple[str, ...]) -> tuple[int, int] | None:
    """How specifically `entries` name a rule known by `names`: (exact?, length), or None."""
    best = None
    for entry in entries:
        for name in names:
            if name == entry:
                score = (1, len(entry))
            elif name.startswith(entry):
                score = (0, len(entry))
            else:
                continue
            if best is None or score > best:
                best = score
    return best


def is_selected(rule: Rule, config: Config) -> bool:
    names = (rule.id, *rule.aliases)
    ignored = _specificity(config.ignore, names)
    if not config.select:
        selected = (0, 0)  # an empty select chooses everything, as weakly as possible
    else:
        selected = _specificity(config.select, names)
    if selected is None:
        return False
    return ignored is None or selected > ignored


def filter_rules(rules: list[Rule], config: Config) -> list[Rule]:
    return [rule for rule in rules if is_selected(rule, config)]


def apply_severity(rules: list[Rule], config: Config) -> list[Rule]:
    """Rules with the configured severity overrides (keyed by id or alias) applied."""
    adjusted = []
    for rule in rules:
        override = next((config.severity[name] for name in (rule.id, *rule.aliases)
                         if name in config.severity), None)
        adjusted.append(dataclasses.replace(rule, severity=override) if override else rule)
    return adjusted


def unknown_rule_entries(rules: list[Rule], config: Config) -> list[str]:
    """One Chinese line for each select/ignore entry that matches no rule id or alias (not even as
    a prefix) and each severity key that is no rule id or alias, naming the nearest rule ids."""
    names = sorted({name for rule in rules for name in (rule.id, *rule.aliases)})
    problems = []
    for option in ("select", "ignore", "severity"):
        entries = getattr(config, option)
        for entry in dict.fromkeys(entries):
            known = (entry in names if option == "severity"
                     else any(name.startswith(entry) for name in names))
            if not known:
                where = config.origins.get(option, option)
                what = "规则的编号" if option == "severity" else "规则的编号或前缀"
                problems.append(f"{where} 中的“{entry}”不是任何{what}；最接近的："
                                f"{'、'.join(nearest_rule_ids(entry, names))}（auditor rules list 列出全部规则）")
    return problems


def nearest_rule_ids(entry: str, names: list[str], count: int = 3) -> list[str]:
    """The rule ids, aliases or families (“TBL”) most like `entry`, most alike first."""
    families = {name.split("-")[0] for name in names}
    candidates = sorted(set(names) | families)
    entry = entry.upper()
    ranked = sorted(candidates, key=lambda name: (-difflib.SequenceMatcher(None, entry, name).ratio(), name))
    return ranked[:count]


def rules_for(config: Config) -> list[Rule]:
    """The rules a run uses — loaded from `rules_dir` (or the shipped rules), selected, adjusted.

    A select/ignore/severity entry naming no loaded rule is a ConfigError (one line per entry).
    Puts the configuration's `rules_dir` and `model` into effect for this process as well (see
    auditor/resources.py), so the checks read the data lists of the same directory and the
    configured model. A configured model is loaded here (with the allow-list, as always), so a
    missing or unusable one is a ConfigError, not a failure halfway through the reports.
    """
    from auditor import resources
    from auditor.rules.loader import load_rules

    if config.model:
        from auditor.similarity.classifier import load_model

        try:
            load_model(config.model)
        except ValueError as exc:
            raise ConfigError(f"设置项 model：{exc}") from None
    resources.use(rules_dir=config.rules_dir, model=config.model)
    rules = load_rules([config.rules_dir] if config.rules_dir else None)
    problems = unknown_rule_entries(rules, config)
    if problems:
        raise ConfigError("\n".join(problems))
    return apply_severity(filter_rules(rules, config), config)
