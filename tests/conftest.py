from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

# Fires on the sample ("三审三校"); the only rule of a project's own rules directory.
OWN_RULE = """\
rules:
  - id: TST-P1
    kind: pattern
    category: vague
    severity: warning
    message: "测试短语“{match}”"
    rationale: 测试用。
    params: {regex: "三审三校"}
    examples:
      - text: 执行“三审三校”制度。
        expect: 1
"""

def one_chinese_line(result: subprocess.CompletedProcess, *words: str) -> str:
    """The README's promise for bad input: exit 2 and one line on stderr, no traceback, naming
    `words` (the file, the cause)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _shipped_resources():
    """Every test starts and ends with the shipped rules directory and model in effect: a command
    run in-process with `rules_dir` or `model` set puts them into effect for the whole process."""
    from auditor import resources

    resources.use()
    yield
    resources.use()


@pytest.fixture(scope="session")
def rules():
    """The project's rules, loaded once: the checks only read them."""
    from auditor.rules.loader import load_rules

    return load_rules(None)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED} (CI places it beside the checkout)")
    return SHARED


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- browser
# Debian's Chromium driven by Playwright (no `playwright install`: the machine cannot download).


def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium (CI installs it in .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _playwright()
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()
    assert not errors, errors
