"""`--format html`: a self-contained, safe review page.

Unit tests check the page offline (no external URLs, everything from the report escaped). The
browser tests drive Debian's Chromium through Playwright against a page made from a real report:
counts, filters, j/k navigation, decisions exported as a baseline that `audit --baseline`
accepts, and that injected markup in a report executes nothing. They are skipped (with the
reason) where /usr/bin/chromium or playwright is missing; CI installs both.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.baseline import load_baseline
from auditor.checks import AuditResult
from auditor.checks.score import score_findings
from auditor.cli import app
from auditor.model import Finding, SourceText, Span, TextBlock
from auditor.report import html as html_report
from auditor.report.formats import FORMATTERS
from auditor.structure import build_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "corpus" / "real" / "full" / "001.txt"

EVIL_SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
EVIL_IMG = '<img src=x onerror="window.__pwned = 2; alert(2)">'
EVIL_LINK = '<a href="javascript:window.__pwned=3;alert(3)">点我</a>'
EVIL_CLOSE = "</script><script>window.__pwned = 4</script>"

EVIL_REPORT = f"""某县人民政府2023年政府信息公开工作年度报告{EVIL_SCRIPT}
一、总体情况
本年度我县持续推进政务公开{EVIL_IMG}，各项工作取得新成效。
二、主动公开政府信息情况
主动公开政府信息1200条。{EVIL_LINK}
五、存在的主要问题及改进情况
一是公开内容还不够全面；下一步将进一步加强。{EVIL_CLOSE}
"""


def _span(doc, phrase: str) -> Span:
    start = doc.text.index(phrase)
    return Span(start, start + len(phrase), phrase)


@pytest.fixture(scope="module")
def evil_result() -> AuditResult:
    source = SourceText(path=f"reports/{EVIL_IMG}.txt", format="txt", encoding="utf-8",
                        blocks=(TextBlock(EVIL_REPORT),))
    doc = build_document(source)
    tables = dict(doc.tables)
    tables["applications"] = {"new_received": {"total": 38, "natural_person": None},
                              "carried_over": {"total": 0, "natural_person": 2}}
    doc = replace(doc, tables=tables)
    findings = [
        Finding(rule="VAG-PHRASES", category="vague", severity="info", message=f"套话{EVIL_SCRIPT}",
                section="overview", span=_span(doc, "持续推进政务公开"), cells=(),
                evidence={"note": EVIL_CLOSE}, fingerprint="fp-vague"),
        Finding(rule="TBL-I1", category="table", severity="error", message=f"表三不平{EVIL_IMG}",
                section="applications", span=None,
                cells=("applications.new_received.total", "applications.carried_over.total",
                       "applications.new_received.natural_person"),
                evidence={"expression": f"一、本年新收(38) = 38 ≠ 0 {EVIL_LINK}"}, fingerprint="fp-table"),
        Finding(rule="SIM-COPY", category="boilerplate", severity="warning", message="照抄其他机关",
                section="problems", span=_span(doc, "一是公开内容还不够全面"), cells=(),
                evidence={"source": {"path": f"other/{EVIL_SCRIPT}.txt", "agency": f"某市{EVIL_IMG}",
                                     "year": 2022, "span": {"start": 0, "end": 12},
                                     "text": f"一是公开内容还不够全面{EVIL_LINK}", "similarity": 0.93}},
                fingerprint="fp-copy"),
        # the same fingerprint twice: the second anchor gets a suffix
        Finding(rule="VAG-PHRASES", category="vague", severity="info", message="套话",
                section="problems", span=_span(doc, "进一步加强"), cells=(), evidence={},
                fingerprint="fp-vague"),
    ]
    return AuditResult(doc=doc, findings=findings, score=score_findings(findings))


@pytest.fixture(scope="module")
def evil_page(evil_result) -> str:
    return FORMATTERS["html"]([evil_result])


# --------------------------------------------------------------------------- unit

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "h5", "p",
                "span", "kbd", "div", "button", "code", "main", "article", "dl", "dt", "dd", "strong", "ul",
                "ol", "li", "b", "section", "mark", "table", "thead", "tbody", "tr", "th", "td", "a", "label",
                "input", "details", "summary", "pre", "script", "nav"}


def _tags(page: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect(convert_charrefs=True).feed(page)
    return found



def test_registered_and_cli_choice():
    from auditor.cli import AUDIT_FORMATS

    assert FORMATTERS["html"] is html_report.render
    assert "html" in AUDIT_FORMATS


def test_no_external_urls_or_resources(evil_page):
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in evil_page
    # nothing is loaded or linked from outside the file
    assert not re.search(r"""(?:src|href|action|data)\s*=\s*["']?\s*(?:https?:|//|ftp:)""", evil_page, re.I)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?(?:https?:|//)", evil_page, re.I)
    assert "https://" not in evil_page and "http://" not in evil_page


def test_report_text_is_escaped(evil_page):
    for evil in (EVIL_SCRIPT, EVIL_IMG, EVIL_LINK, EVIL_CLOSE):
        assert evil not in evil_page
    # exactly our two script elements (the data block and the code), no injected ones
    assert len(re.findall(r"<script\b", evil_page, re.I)) == 2
    assert "<img" not in evil_page.lower()
    # parsed as a browser would: no event-handler attributes, no javascript: URLs, only our tags
    tags = _tags(evil_page)
    assert not [(t, a) for t, attrs in tags for a, _ in attrs if a.startswith("on")]
    assert not [(t, v) for t, attrs in tags for _, v in attrs if v and v.strip().lower().startswith("javascript:")]
    assert {t for t, _ in tags} <= ALLOWED_TAGS
    # the escaped text is there to read
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in evil_page
    # and the data block cannot be closed from inside
    block = re.search(r'<script type="application/json" id="auditor-data">(.*?)</script>', evil_page, re.S)
    assert block and "<" not in block.group(1) and ">" not in block.group(1)
    data = json.loads(block.group(1))
    assert {f["fingerprint"] for f in data["findings"].values()} == {"fp-vague", "fp-table", "fp-copy"}


def test_anchors_cells_and_side_by_side(evil_page):
    assert 'id="f-fp-vague"' in evil_page and 'id="f-fp-vague-2"' in evil_page
    assert 'id="f-fp-table"' in evil_page and 'id="f-fp-copy"' in evil_page
    # flagged cells, a blank cell distinct from zero, the identity under the table
    assert re.search(r'<td class="cell flagged sev-error" data-cell="applications.new_received.total"', evil_page)
    assert re.search(r'<td class="cell blank flagged sev-error"[^>]*>空</td>', evil_page)
    assert 'data-cell="applications.carried_over.total" data-finding="f-fp-table">0</td>' in evil_page
    assert "一、本年新收(38) = 38 ≠ 0" in evil_page
    # the copied passage beside its source, with the source's body and year
    assert 'class="side-by-side"' in evil_page and "2022 年" in evil_page and "相似度 93%" in evil_page
    assert 'data-finding="f-fp-copy"' in evil_page  # the span is marked in the text


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def real_page(tmp_path_factory) -> Path:
    if not REAL.is_file():
        pytest.skip(f"shared corpus not found at {REAL} (CI places it beside the checkout)")
    out = tmp_path_factory.mktemp("html") / "001.html"
    result = CliRunner().invoke(app, ["audit", str(REAL), "--format", "html", "--output", str(out),
                                      "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return out




def _real_findings() -> list[dict]:
    runner = CliRunner()
    result = runner.invoke(app, ["audit", str(REAL), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]


def test_real_report_counts_filters_keys_decisions(page, real_page, tmp_path):
    findings = _real_findings()
    assert findings, "001.txt should have findings"
    page.goto(real_page.as_uri())
    items = page.locator(".finding")
    assert items.count() == len(findings)
    assert page.locator("#total-count").text_content() == str(len(findings))

    # counts shown equal the findings, by severity and by category
    by_sev, by_cat = Counter(f["severity"] for f in findings), Counter(f["category"] for f in findings)
    for sev, n in by_sev.items():
        assert page.locator(f'button.count[data-kind="severity"][data-value="{sev}"] .n').text_content() == str(n)
    for cat, n in by_cat.items():
        assert page.locator(f'button.count[data-kind="category"][data-value="{cat}"] .n').text_content() == str(n)
    assert page.locator(".shown-count").text_content() == f"{len(findings)} / {len(findings)}"
    # every finding with a span is marked in the text, every table cell a finding names is highlighted
    for f in findings:
        if f["span"]:
            assert page.locator(f'mark[data-finding~="f-{f["fingerprint"]}"]').count() >= 1
        for cell in f["cells"]:
            assert page.locator(f'td.flagged[data-cell="{cell}"]').count() == 1

    # a severity checkbox really hides those findings and the count follows
    sev = next(iter(by_sev))
    page.locator(f'input[data-filter="severity"][value="{sev}"]').uncheck()
    hidden = page.locator(f'.finding[data-severity="{sev}"]')
    for i in range(hidden.count()):
        assert hidden.nth(i).is_hidden()
    visible = len(findings) - by_sev[sev]
    assert page.locator(".finding:visible").count() == visible
    assert page.locator(".shown-count").text_content() == f"{visible} / {len(findings)}"
    page.locator(f'input[data-filter="severity"][value="{sev}"]').check()
    assert page.locator(".finding:visible").count() == len(findings)

    # clicking a count filters to it (and marks the button), clicking again shows all
    cat = next(iter(by_cat))
    button = page.locator(f'button.count[data-kind="category"][data-value="{cat}"]')
    button.click()
    assert "selected" in button.get_attribute("class")
    assert page.locator(".finding:visible").count() == by_cat[cat]
    assert all(page.locator(".finding:visible").nth(i).get_attribute("data-category") == cat
               for i in range(by_cat[cat]))
    button.click()
    assert page.locator(".finding:visible").count() == len(findings)

    # j / k move the active finding
    page.locator("h1").click()
    page.keyboard.press("j")
    first = page.locator(".finding.active").get_attribute("id")
    page.keyboard.press("j")
    second = page.locator(".finding.active").get_attribute("id")
    assert first and second and first != second
    assert page.evaluate("document.activeElement.id") == second
    assert "open" in page.locator(f"#{second}").get_attribute("class")
    page.keyboard.press("k")
    assert page.locator(".finding.active").get_attribute("id") == first
    assert page.locator(".finding.active").count() == 1

    # clicking a highlight opens its finding
    marked = next(f for f in findings if f["span"])
    page.locator(f'mark[data-finding~="f-{marked["fingerprint"]}"]').first.click()
    assert page.locator(".finding.active").get_attribute("id") == f"f-{marked['fingerprint']}"

    # 忽略 one, 确认 another, export: a baseline that load_baseline and `audit --baseline` accept
    dismissed, confirmed = findings[0], findings[-1]
    page.locator(f"#f-{dismissed['fingerprint']} .finding-head").click()
    page.locator(f"#f-{dismissed['fingerprint']} button[data-decision=dismissed]").click()
    assert page.locator(f"#f-{dismissed['fingerprint']} .status").text_content() == "已忽略"
    page.locator(f"#f-{confirmed['fingerprint']} .finding-head").click()
    page.locator(f"#f-{confirmed['fingerprint']} button[data-decision=confirmed]").click()
    with page.expect_download() as info:
        page.locator("#export-decisions").click()
    saved = tmp_path / "baseline.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["schema"] == "auditor.baseline/1"
    assert {(d["fingerprint"], d["decision"]) for d in data["decisions"]} == {
        (dismissed["fingerprint"], "dismissed"), (confirmed["fingerprint"], "confirmed")}
    for entry in data["decisions"]:
        assert set(entry) == {"fingerprint", "rule", "decision", "message", "path"}
        assert entry["path"] == str(REAL)
    baseline = load_baseline(saved)
    assert baseline.decisions == {dismissed["fingerprint"]: [(str(REAL), "dismissed")],
                                  confirmed["fingerprint"]: [(str(REAL), "confirmed")]}
    rerun = CliRunner().invoke(app, ["audit", str(REAL), "--format", "json", "--fail-on", "never",
                                     "--baseline", str(saved)])
    assert rerun.exit_code == 0, rerun.output
    kept = {f["fingerprint"] for f in json.loads(rerun.stdout)["findings"]}
    assert dismissed["fingerprint"] not in kept and confirmed["fingerprint"] in kept

    # decisions survive a reload (kept in the page's storage)
    page.reload()
    assert page.locator(f"#f-{dismissed['fingerprint']} .status").text_content() == "已忽略"

    png = tmp_path / "page.png"
    page.screenshot(path=str(png), full_page=True)
    assert png.stat().st_size > 10_000


def test_print_shows_every_finding_expanded(page, real_page):
    page.goto(real_page.as_uri())
    page.locator('input[data-filter="severity"][value="error"]').uncheck()
    page.emulate_media(media="print")
    bodies = page.locator(".finding .body")
    assert all(bodies.nth(i).is_visible() for i in range(bodies.count()))
    assert page.locator("#export-decisions").is_hidden()
    assert page.locator(".filters").first.is_hidden()


def _assert_inert(page, url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_timeout(300)
    # clicking everything clickable (links, marks, cells, findings) still runs nothing injected
    for selector in ("mark", "td.flagged", ".finding-head", ".side-by-side", ".identities a"):
        loc = page.locator(selector)
        for i in range(min(loc.count(), 5)):
            loc.nth(i).click()
    page.keyboard.press("j")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator("script").count() == 2


def test_injected_markup_executes_nothing(page, evil_page, tmp_path):
    path = tmp_path / "evil.html"
    path.write_text(evil_page, encoding="utf-8")
    _assert_inert(page, path.as_uri())
    # shown as text
    assert EVIL_SCRIPT in page.locator(".doc-text").text_content()
    assert EVIL_LINK in page.locator(".side-by-side").text_content()


def test_injected_report_through_the_cli_executes_nothing(page, tmp_path):
    report = tmp_path / "evil.txt"
    report.write_text(EVIL_REPORT * 3, encoding="utf-8")
    out = tmp_path / "evil.html"
    result = CliRunner().invoke(app, ["audit", str(report), "--format", "html", "--output", str(out),
                                      "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    _assert_inert(page, out.as_uri())
    assert EVIL_IMG in page.locator(".doc-text").text_content()
