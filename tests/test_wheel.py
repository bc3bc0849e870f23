"""The wheel on its own: built from this checkout, installed into a fresh virtual environment
outside it and run from an empty directory — `--version`, `audit`, `batch`, `rules list`,
`rules check`, `config`, and a `rules_dir` of one's own (which used to crash an installed copy).

Kept fast enough for the normal suite (about 40 s, marked `slow`): the wheel is built from a copy
of the files the build reads (a checkout's stale build/ directory would otherwise leak into it),
the fresh environment gets the wheel alone (`pip install --no-deps`) and borrows auditor's
dependencies from the environment running the tests through a .pth file — nothing is
downloaded, and nothing of the checkout is on its path (checked: auditor is imported from the
wheel). `.ci/run` also installs the wheel with its dependencies the ordinary way, into a venv of
its own, and audits a sample outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import OWN_RULE, ROOT
SAMPLES = ["qingxi-county-2024.html", "qingxi-county-2023.txt"]
# What the build reads: pyproject.toml maps rules/ and models/ into the package.
BUILD_INPUTS = ["pyproject.toml", "README.md", "auditor", "rules", "models"]

pytestmark = pytest.mark.slow


def _run(args: list, cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the fresh environment's bin directory, an empty working directory outside the checkout)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in BUILD_INPUTS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=ignore)
        else:
            shutil.copy2(item, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", source, "-w", base / "dist", "--no-deps", "-q"], cwd=base)
    assert built.returncode == 0, built.stderr
    [wheel] = (base / "dist").glob("auditor-*.whl")

    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    done = _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                 wheel], cwd=base)
    assert done.returncode == 0, done.stderr
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base)
    # Dependencies from the environment running the tests; its auditor is an editable install, whose
    # finder a .pth-added directory never loads, so `import auditor` can only find the wheel's copy.
    ours = {sysconfig.get_paths()["purelib"], *(p for p in sys.path if p.endswith("site-packages"))}
    Path(purelib.stdout.strip(), "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")

    work = base / "work"
    (work / "reports").mkdir(parents=True)
    for name in SAMPLES:
        shutil.copy(ROOT / "corpus" / name, work / "reports" / name)
    return venv / "bin", work


def env_without_checkout() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def auditor(installed, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    bin_dir, work = installed
    return _run([bin_dir / "auditor", *args], cwd=cwd or work, env=env_without_checkout())


def test_the_wheel_is_what_runs(installed):
    bin_dir, work = installed
    where = _run([bin_dir / "python", "-c", "import auditor; print(auditor.__file__)"], cwd=work,
                 env=env_without_checkout())
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout + where.stderr
    version = auditor(installed, "--version")
    assert version.returncode == 0 and version.stdout.startswith("auditor ")
    assert auditor(installed, "-h").returncode == 0


def test_audit_from_anywhere_gives_what_the_checkout_gives(installed):
    done = auditor(installed, "audit", "reports/qingxi-county-2024.html", "--format", "json")
    assert done.returncode == 0, done.stderr
    wheel = json.loads(done.stdout)
    here = _run([sys.executable, "-m", "auditor.cli", "audit", ROOT / "corpus" / "qingxi-county-2024.html",
                 "--format", "json"], cwd=ROOT)
    checkout = json.loads(here.stdout)
    assert wheel["score"] == checkout["score"]
    assert [(f["rule"], f["fingerprint"]) for f in wheel["findings"]] == \
        [(f["rule"], f["fingerprint"]) for f in checkout["findings"]]
    text = auditor(installed, "audit", "reports/qingxi-county-2023.txt")
    assert text.returncode in (0, 1) and "得分" in text.stdout and "Traceback" not in text.stderr


def test_batch_rules_and_config_from_anywhere(installed):
    batch = auditor(installed, "batch", "reports", "--out", "out", "-j", "2")
    assert batch.returncode == 0, batch.stderr
    assert "无法读取或审核 0 份" in batch.stderr
    _, work = installed
    assert (work / "out" / "index.html").is_file() and len((work / "out" / "reports.csv").read_text(
        encoding="utf-8-sig").strip().splitlines()) == 1 + len(SAMPLES)

    listed = auditor(installed, "rules", "list")
    assert listed.returncode == 0 and "TBL-I1" in listed.stdout
    checked = auditor(installed, "rules", "check")
    assert checked.returncode == 0, checked.stdout[-2000:]
    assert "失败 0" in checked.stdout and "site-packages" in checked.stdout

    config = auditor(installed, "config")
    assert "auditor/rules/shipped" in config.stdout and "auditor/similarity/shipped/boilerplate.skops" in config.stdout


def test_an_installed_copy_takes_rules_dir_and_model(installed, tmp_path):
    (tmp_path / "myrules").mkdir()
    (tmp_path / "myrules" / "own.yaml").write_text(OWN_RULE, encoding="utf-8")
    bin_dir, work = installed
    shutil.copy(work / "reports" / "qingxi-county-2023.txt", tmp_path / "qingxi.txt")
    (tmp_path / "auditor.toml").write_text('rules_dir = "myrules"\nmodel = "none.skops"\n', encoding="utf-8")
    missing = auditor(installed, "audit", "qingxi.txt", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("错误：设置项 model："), missing.stderr

    model = tmp_path / "shipped-copy.skops"
    found = _run([bin_dir / "python", "-c", "from auditor import resources; print(resources.shipped_model())"],
                 cwd=tmp_path, env=env_without_checkout())
    shutil.copy(found.stdout.strip(), model)
    (tmp_path / "auditor.toml").write_text('rules_dir = "myrules"\nmodel = "shipped-copy.skops"\n', encoding="utf-8")
    done = auditor(installed, "audit", "qingxi.txt", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert {f["rule"] for f in json.loads(done.stdout)["findings"]} == {"TST-P1"}
