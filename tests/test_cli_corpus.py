"""`auditor audit --corpus` and `--previous` end to end: copied passages with their source."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def _audit(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", *args, "--format", "json",
                             "--select", "SIM,CON"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_corpus_names_the_source_of_copied_passages():
    report = _audit("corpus/qingxi-county-2024.html", "--corpus", "corpus")
    copied = [f for f in report["findings"] if f["category"] == "boilerplate"]
    assert copied, report
    for f in copied:
        source = f["evidence"]["source"]
        assert source["path"].endswith("qingxi-county-2023.txt") and source["year"] == 2023
        assert f["span"]["text"] and source["text"]
    assert report["reuse"]["overview"]["previous_year"] > 0.3


def test_previous_alone_gives_same_body_reuse_and_continuity():
    report = _audit("corpus/qingxi-county-2024.html", "--previous", "corpus/qingxi-county-2023.txt")
    rules = {f["rule"] for f in report["findings"]}
    assert "SIM-PREV-PASSAGE" in rules
    assert not any(r.startswith("CON-") for r in rules)  # the two years chain correctly


def test_train_refuses_a_missing_directory(tmp_path):
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "train", str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2 and "不存在" in result.stderr and "Traceback" not in result.stderr
