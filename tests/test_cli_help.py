"""`auditor --version`, and `-h` as a short form of `--help` on the app and every command."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from typer.testing import CliRunner

import auditor
from auditor.cli import app

COMMANDS = [[], ["parse"], ["audit"], ["batch"], ["train"], ["config"],
            ["rules"], ["rules", "list"], ["rules", "show"], ["rules", "check"]]


def test_version_is_the_installed_distribution_version():
    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.stdout == f"auditor {auditor.__version__}\n"
    assert version("auditor") == auditor.__version__  # pyproject.toml reads it from the package


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "auditor")
def test_dash_h_is_help(command):
    runner = CliRunner()
    short = runner.invoke(app, [*command, "-h"], prog_name="auditor")
    long = runner.invoke(app, [*command, "--help"], prog_name="auditor")
    assert short.exit_code == 0 and long.exit_code == 0
    assert short.stdout == long.stdout and "用法：auditor" in short.stdout
    assert "-h" in short.stdout  # listed as a help option
