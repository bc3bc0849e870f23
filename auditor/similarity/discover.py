"""Finding the reports in a directory (for `audit --corpus`, `train`)."""

from __future__ import annotations

import os
from pathlib import Path

from auditor.read import SUFFIX_FORMAT

SKIP_NAMES = {"readme.md", "readme.txt", "license.txt", "changelog.md", "model_card.md"}


def discover_reports(directory: str) -> list[str]:
    """Every file under `directory` the reader can read, sorted; notes and ground truth skipped."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower() in SKIP_NAMES or name.endswith(".truth.json"):
                continue
            if Path(name).suffix.lower() in SUFFIX_FORMAT:
                found.append(os.path.join(root, name))
    return found
