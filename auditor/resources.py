"""The files a run reads besides its reports: shipped with auditor, or chosen by the configuration.

Shipped with auditor, found through importlib.resources:
- the rules and their data lists — the repository's top-level `rules/`;
- the boilerplate model and its card — the repository's `models/`;
- jieba's user dictionary — `auditor/nlp/userdict.txt`.
`rules/` and `models/` stay at the top of the repository (the project's layout); pyproject.toml
maps them into the wheel as package data at `auditor/rules/shipped/` and
`auditor/similarity/shipped/`. In a checkout — an editable install (`pip install -e .`) or code
run straight from the source tree — the package holds no such copies, and the repository's own
`rules/` and `models/` beside the package are read, so an edit there takes effect at once.

Chosen by the configuration (`rules_dir`, `model`; `config.rules_for` calls use()):
- `rules_dir` replaces the shipped rules: its rule files are the only rules, and a data list it
  holds (`concepts.yaml`, `specificity.yaml`, …) replaces the shipped one of the same name; a
  data list it does not hold is the shipped one, so a rules directory of one's own needs only
  the rule files and the lists it changes;
- `model` replaces the shipped boilerplate model.
The choice holds for the whole process (the checks read data lists and the model by name, deep
down); a batch hands it to its workers together with the rules (in_effect() → use()).
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

MODEL_FILE = "boilerplate.skops"
MODEL_CARD_FILE = "MODEL_CARD.md"
# How evidence names the shipped model, wherever it is installed.
SHIPPED_MODEL_LABEL = f"models/{MODEL_FILE}"

_CHECKOUT = Path(__file__).resolve().parents[1]  # the directory holding the package


def _shipped(packaged: Traversable, checkout_name: str) -> Path:
    """The packaged copy in a wheel install, else the repository's own directory."""
    if _is_dir(packaged):
        return packaged
    return _CHECKOUT / checkout_name


def _is_dir(packaged: Traversable) -> bool:
    # A wheel is installed unpacked, so its package data are plain files with a Path.
    return isinstance(packaged, Path) and packaged.is_dir()


@lru_cache(maxsize=1)  # where the package is does not change: the checks ask often
def shipped_rules_dir() -> Path:
    """The rules (and data lists) that come with auditor."""
    return _shipped(files("auditor") / "rules" / "shipped", "rules")


@lru_cache(maxsize=1)
def shipped_models_dir() -> Path:
    """The directory of the boilerplate model that comes with auditor, and of its model card."""
    return _shipped(files("auditor") / "similarity" / "shipped", "models")


def shipped_model() -> Path:
    return shipped_models_dir() / MODEL_FILE


def user_dictionary() -> Traversable:
    """jieba's domain dictionary (open it with .open("rb"))."""
    return files("auditor") / "nlp" / "userdict.txt"


def checkout_root() -> Path | None:
    """The repository the package runs from, or None when it is installed from a wheel."""
    return None if _is_dir(files("auditor") / "rules" / "shipped") else _CHECKOUT


# --------------------------------------------------------------------------- the configured choice

_rules_dir: Path | None = None  # None: the shipped rules
_model: Path | None = None  # None: the shipped model


def use(rules_dir: str | os.PathLike | None = None, model: str | os.PathLike | None = None) -> None:
    """Read data lists from `rules_dir` and the boilerplate model from `model` from now on in this
    process (None: the shipped ones)."""
    global _rules_dir, _model
    _rules_dir = Path(os.path.abspath(rules_dir)) if rules_dir else None
    _model = Path(os.path.abspath(model)) if model else None


def in_effect() -> tuple[str | None, str | None]:
    """(rules_dir, model) as use() was last given them, to repeat in another process."""
    return (str(_rules_dir) if _rules_dir else None, str(_model) if _model else None)


def rules_dir() -> Path:
    """The rules directory in effect."""
    return _rules_dir or shipped_rules_dir()


def model_path() -> Path:
    """The boilerplate model in effect."""
    return _model or shipped_model()


def model_label() -> str:
    """The model in effect as evidence names it."""
    return str(_model) if _model else SHIPPED_MODEL_LABEL
