"""Data files that rules refer to by name (rules/<name>.yaml without a `rules:` key)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@lru_cache(maxsize=32)
def load_data(name: str) -> dict:
    path = RULES_DIR / f"{name}.yaml"
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}
