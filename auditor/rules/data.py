"""Data lists that rules and checks read by name: `<name>.yaml` without a `rules:` key in the
rules directory (concepts, specificity, template_text, score, …).

A list is read from the rules directory in effect (`rules_dir`, see auditor/resources.py) when
it holds one of that name, else from the shipped rules. Each file is read once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from auditor import resources
from auditor.rules.yaml_files import YamlLimitError, load_yaml


def data_file(name: str) -> Path:
    """The file the data list `name` is read from."""
    return _data_file(resources.rules_dir(), name)


@lru_cache(maxsize=64)
def _data_file(directory: Path, name: str) -> Path:
    own = directory / f"{name}.yaml"
    return own if own.is_file() else resources.shipped_rules_dir() / f"{name}.yaml"


def data_files() -> dict[str, Path]:
    """Every YAML file of the rules directory in effect and of the shipped rules, by name, as
    data_file() resolves it (rule files included: telling them apart would mean parsing them)."""
    names = {p.stem for directory in {resources.shipped_rules_dir(), resources.rules_dir()}
             if directory.is_dir() for p in directory.glob("*.yaml")}
    return {name: data_file(name) for name in sorted(names)}


def load_data(name: str) -> dict:
    return read_data(data_file(name))


@lru_cache(maxsize=64)
def read_data(path: Path) -> dict:
    """A data list's content. The loader has already read every YAML file of the rules directory
    in effect (refusing alias bombs there, with the file named); reading through load_yaml here too
    keeps a list that did not pass that way from hanging a check."""
    from auditor.rules.loader import RuleFileError, display_path

    try:
        _, data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except YamlLimitError as exc:
        raise RuleFileError([f"{display_path(Path(path))}: {exc}"]) from None
    return data or {}
