"""The formatter registry behind `auditor audit --format`.

Every formatter is a module with `render(results, rules=(), color=False) -> str`: `results`
is the list of AuditResult (one per input file, in input order), `rules` the rules the run
selected (SARIF lists them even when they did not fire), `color` whether the text is meant for
a colour terminal (only the text format uses it). Adding a format is one module and one line
here.
"""

from __future__ import annotations

from auditor.report import html, json_format, sarif, text

FORMATTERS = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "html": html.render,
}
