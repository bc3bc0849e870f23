"""Load and validate rule files (rules/*.yaml) into Rule objects, with file:line:column errors.

A rule file is a YAML mapping `{rules: [...]}`; every entry is checked against RULE_SCHEMA
(auditor/rules/schema.py, validated by jsonschema). YAML files in the same directory without a
`rules:` key are data lists read by the checks themselves (auditor/rules/data.py) and are
skipped here.

Errors must point to the place a person has to edit, so the file is composed once (the node tree
keeps the line/column marks of every node) and each jsonschema error's path is walked down that
node tree. Files are read through auditor/rules/yaml_files.py, which refuses alias bombs before
anything walks the data.

Where the rules come from: the rules directory in effect (auditor/resources.py) — the shipped
rules (the repository's top-level rules/, package data in a wheel) unless the configuration sets
`rules_dir`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from auditor import resources
from auditor.rules.rule import Rule
from auditor.rules.regex_safety import backtracking_problem
from auditor.rules.schema import REGEX_PARAMS, RULE_FILE_SCHEMA, RULE_ID_PATTERN, TABLE_KEYS
from auditor.rules.yaml_files import YamlLimitError, load_yaml

_FIELD_NAMES_ZH = {"string": "字符串", "integer": "整数", "number": "数字", "object": "映射",
                   "array": "列表", "null": "空值", "boolean": "布尔值"}


class RuleFileError(Exception):
    """One or more problems in rule files; str() is one Chinese line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadedRules:
    rules: list[Rule]
    problems: list[str]  # "file:line:column: message", in file order
    empty: bool = False  # no rule at all and nothing wrong: the only problem says so


def default_rules_dir() -> Path:
    """The rules directory in effect: the shipped rules unless `rules_dir` is set."""
    return resources.rules_dir()  # missing: reported by the loader with its path


def load_rules(paths: list[str] | None = None) -> list[Rule]:
    """Every rule of the given rule files or directories (default: the rules directory in effect).

    Raises RuleFileError listing every problem found, so one run shows all of them.
    """
    loaded = collect_rules(paths)
    if loaded.problems:
        raise RuleFileError(loaded.problems)
    return loaded.rules


def collect_rules(paths: list[str] | None = None) -> LoadedRules:
    """Like load_rules, but returns the valid rules together with the problems (for `rules check`)."""
    files, problems = _rule_files(paths)
    rules: list[Rule] = []
    seen: dict[str, str] = {}  # id or alias -> "file:line" where it was first defined
    for file in files:
        entries, file_problems = _load_file(file)
        problems.extend(file_problems)
        # Names are checked even on entries with schema errors: a clash is worth knowing
        # about while the other problems are being fixed.
        for entry in entries:
            clashes = [(name, node) for name, node in entry.names if name in seen]
            for name, node in clashes:
                what = "编号" if node is entry.names[0][1] and entry.has_id else "别名"
                problems.append(f"{_where(file, node)}: 规则{what} {name} 重复（已在 {seen[name]} 定义）")
            for name, _ in entry.names:
                seen.setdefault(name, entry.source)
            if entry.rule is not None and not clashes:
                rules.append(entry.rule)
    if not rules and not problems:
        # A rules directory without rules (an empty folder, a typo'd rules_dir pointing at /etc)
        # would audit nothing and pass every report with full marks.
        where = "、".join(display_path(Path(p)) for p in paths) if paths else display_path(default_rules_dir())
        return LoadedRules(rules=[], problems=[f"{where}: 没有任何规则（其中没有含 rules: 列表的 .yaml "
                                               f"规则文件），无法审核"], empty=True)
    return LoadedRules(rules=rules, problems=list(dict.fromkeys(problems)))


@dataclass(frozen=True)
class _Entry:
    """One item of a file's `rules:` list: its rule when valid, and the names it claims."""

    rule: Rule | None
    names: list[tuple[str, yaml.Node]]  # the id first (when it has one), then the aliases
    has_id: bool
    source: str


def display_path(path: Path) -> str:
    """The path as people should see it: relative to the working directory or the repository
    the package runs from."""
    path = Path(os.path.abspath(path))
    for base in (Path.cwd(), resources.checkout_root()):
        if base is None:
            continue
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _rule_files(paths: list[str] | None) -> tuple[list[Path], list[str]]:
    targets = [Path(p) for p in paths] if paths else [default_rules_dir()]
    files: list[Path] = []
    problems: list[str] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(p for p in target.iterdir()
                                if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif target.is_file():
            files.append(target)
        else:
            problems.append(f"{display_path(target)}: 找不到规则文件或目录")
    return files, problems


def _entry_names(rule_node: yaml.Node) -> tuple[list[tuple[str, yaml.Node]], bool]:
    """(name, node to point at) for the id (its `id:` key) and each alias of a rule mapping."""
    names = []
    id_value = _child(rule_node, "id")
    has_id = isinstance(id_value, yaml.ScalarNode) and bool(id_value.value)
    if has_id:
        names.append((id_value.value, _key_node(rule_node, "id")))
    aliases = _child(rule_node, "aliases")
    if isinstance(aliases, yaml.SequenceNode):
        names += [(item.value, item) for item in aliases.value if isinstance(item, yaml.ScalarNode)]
    return names, has_id


def _where(file: Path, node: yaml.Node) -> str:
    mark = node.start_mark
    return f"{display_path(file)}:{mark.line + 1}:{mark.column + 1}"


def _load_file(file: Path) -> tuple[list[_Entry], list[str]]:
    shown = display_path(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{shown}: 无法读取规则文件：{exc}"]
    try:
        root, data = load_yaml(text)
    except YamlLimitError as exc:
        return [], [f"{shown}: {exc}"]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        return [], [f"{where}: YAML 语法错误：{exc.problem or exc.context}"]
    except yaml.YAMLError as exc:
        return [], [f"{shown}: YAML 语法错误：{exc}"]
    if not isinstance(data, dict) or "rules" not in data:
        return [], []  # a data list for the checks, not a rule file

    problems = [f"{_where(file, key)}: 字段 {key.value} 在同一映射中出现了两次"
                for key in _duplicate_keys(root)]
    bad_rules: set[int] = set()
    validator = jsonschema.Draft202012Validator(RULE_FILE_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: _error_sort_key(root, e))
    for error in errors:
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "rules":
            bad_rules.add(path[1])
        node = _node_for_error(root, error)
        problems.append(f"{_where(file, node)}: {_describe(data, error)}")

    entries: list[_Entry] = []
    rules_node = _child(root, "rules")
    if not isinstance(data["rules"], list) or not isinstance(rules_node, yaml.SequenceNode):
        return entries, problems
    for index, (entry, node) in enumerate(zip(data["rules"], rules_node.value)):
        source = f"{shown}:{node.start_mark.line + 1}"
        rule = None if index in bad_rules else _rule_from_entry(entry, source)
        if rule is not None:
            slow = [f"{_where(file, at)}: 规则 {rule.id} 的 params.{label}：{reason}"
                    for label, at, reason in _unsafe_patterns(entry, node)]
            problems.extend(slow)
            rule = None if slow else rule
        names, has_id = _entry_names(node)
        entries.append(_Entry(rule, names, has_id, source))
    return entries, problems


def _unsafe_patterns(entry: dict, node: yaml.Node) -> Iterable[tuple[str, yaml.Node, str]]:
    """(params path, node, Chinese reason) for each regular expression among the rule's params
    (REGEX_PARAMS) that is invalid or could take more than linear time on a long report."""
    params, params_node = entry.get("params") or {}, _child(node, "params")
    for path in REGEX_PARAMS.get(entry["kind"], ()):
        for label, value, at in _at_path(params, params_node, path, ""):
            reason = backtracking_problem(value) if isinstance(value, str) else None
            if reason:
                yield label, at if at is not None else node, reason


def _at_path(value, node, path: tuple, label: str):
    """(label, value, node) for every value at `path` below `value` (see REGEX_PARAMS)."""
    if not path:
        yield label, value, node
        return
    step, rest = path[0], path[1:]
    if step == "*" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _at_path(item, _child(node, i) if node is not None else None, rest, f"{label}[{i + 1}]")
    elif step in ("{keys}", "{values}") and isinstance(value, dict):
        for key, item in value.items():
            if step == "{keys}":
                yield f"{label}（键 {key}）", key, _key_node(node, key) if node is not None else None
            else:
                yield from _at_path(item, _child(node, key) if node is not None else None, rest, f"{label}.{key}")
    elif isinstance(value, dict) and step in value:
        yield from _at_path(value[step], _child(node, step) if node is not None else None, rest,
                            f"{label}.{step}" if label else step)


def _rule_from_entry(entry: dict, source: str) -> Rule:
    return Rule(id=entry["id"], kind=entry["kind"], category=entry["category"],
                severity=entry["severity"], message=entry["message"].strip(),
                rationale=entry["rationale"].strip(), params=entry.get("params") or {},
                scope=tuple(entry.get("scope") or ()),
                examples=tuple(entry.get("examples") or ()),
                aliases=tuple(entry.get("aliases") or ()), source=source)


# --------------------------------------------------------------------------- node marks


def _child(node: yaml.Node, key) -> yaml.Node | None:
    """The node for `key` under `node`: a mapping's value node or a sequence's item node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _key_node(node: yaml.Node, key) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == str(key):
                return key_node
    return None


def _node_for_error(root: yaml.Node, error: jsonschema.ValidationError) -> yaml.Node:
    """The node to point at: the key of a bad mapping field, the item of a bad list entry.

    Pointing at the key (`severity:`) rather than its value reads best in an editor, and a
    missing field can only be pointed at through the mapping that lacks it.
    """
    node, parent, last = root, None, None
    for part in error.absolute_path:
        child = _child(node, part)
        if child is None:
            break
        parent, last, node = node, part, child
    if error.validator == "additionalProperties":
        unknown = _unknown_properties(error)
        key_node = _key_node(node, unknown[0]) if unknown else None
        if key_node is not None:
            return key_node
    if parent is not None and isinstance(parent, yaml.MappingNode):
        key_node = _key_node(parent, last)
        if key_node is not None:
            return key_node
    return node


def _error_sort_key(root: yaml.Node, error: jsonschema.ValidationError) -> tuple[int, int]:
    mark = _node_for_error(root, error).start_mark
    return mark.line, mark.column


def _duplicate_keys(node: yaml.Node) -> Iterable[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                yield key_node
            seen.add(key_node.value)
            yield from _duplicate_keys(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


# --------------------------------------------------------------------------- Chinese messages


def _unknown_properties(error: jsonschema.ValidationError) -> list[str]:
    allowed = set(error.schema.get("properties", {}))
    return sorted(k for k in error.instance if k not in allowed) if isinstance(error.instance, dict) else []


def _field_label(path: list) -> str:
    """`severity`, `examples[2].expect` — the path below the rule, as a person would write it."""
    label = ""
    for part in path:
        label += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label


def _describe(data: dict, error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        entry = data["rules"][path[1]]
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        owner = f"规则 {rule_id}" if isinstance(rule_id, str) and rule_id else f"第 {path[1] + 1} 条规则"
        field = _field_label(path[2:])
    else:
        owner, field = "规则文件", _field_label(path)
    subject = f"{owner} 的 {field}" if field else owner
    validator, value = error.validator, error.validator_value

    if validator == "required":
        missing = [k for k in value if k not in (error.instance or {})]
        return f"{subject} 缺少必填字段 {'、'.join(missing)}"
    if validator == "additionalProperties":
        return f"{subject} 有未知字段 {'、'.join(_unknown_properties(error))}"
    if validator == "propertyNames":
        return f"{subject} 有未知的表名 {error.instance}（应为 {'/'.join(TABLE_KEYS)}）"
    if validator == "enum":
        return f"{subject} 必须是 {'/'.join(str(v) for v in value)} 之一"
    if validator == "type":
        kinds = value if isinstance(value, list) else [value]
        return f"{subject} 必须是{'或'.join(_FIELD_NAMES_ZH.get(k, k) for k in kinds)}"
    if validator == "pattern" and value == RULE_ID_PATTERN:
        return (f"{subject} “{error.instance}” 格式不对：应为 2–5 个大写字母、连字符、"
                f"再接大写字母或数字（如 TBL-I1）")
    if validator in ("minLength", "pattern"):
        return f"{subject} 不能为空"
    if validator == "minimum":
        return f"{subject} 必须是不小于 {value} 的整数"
    if validator == "anyOf" and path[-2:-1] == ["examples"]:
        return f"{subject} 必须有 text、tables 或 document 之一"
    return f"{subject} 不符合规则文件格式：{error.message}"
