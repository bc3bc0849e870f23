from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED} (CI places it beside the checkout)")
    return SHARED


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
