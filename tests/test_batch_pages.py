"""The pages a batch reviewer reads, in a real browser (Debian's Chromium through Playwright).

A small batch of real reports from the shared corpus: 002 (洪泽区, its years moved back to 2022 so
that it can be the source: a report never copies a later one) and 005 (金湖县 2023, whose
narrative reached the corpus as mojibake — U+FFFD where characters were lost — and which shares
a passage with 002), three reports sharing a passage (043's body unknown, its years moved back to
2021 for the same reason), and a file that cannot
be read. On a 1366×768 screen: the index shows the failures and the table first and clips no chart
label; the copied-passages chart lists only passages of two or more bodies, in legible wording;
a report page links back and shows its first finding; decisions made on several report pages are
exported once from the index and accepted by `batch --baseline`; printing puts the findings first.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAPTOP = {"width": 1366, "height": 768}
REPORTS = ("full/002.txt", "partial/005.txt", "partial/043.txt", "partial/083.txt", "partial/095.txt")


def _batch(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", "batch", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def batch(tmp_path_factory, shared):
    tmp = tmp_path_factory.mktemp("pages")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name in REPORTS:
        shutil.copy(shared / "real" / name, corpus / Path(name).name)
    # Years moved back so that these two can be the sources of the others' shared passages.
    for name, years in (("002.txt", {"2024": "2022", "2025": "2023"}), ("043.txt", {"2024": "2021", "2025": "2022"})):
        text = (corpus / name).read_text(encoding="utf-8")
        for old, new in years.items():
            text = text.replace(old, new)
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    done = _batch(tmp, "corpus", "--out", "out", "--workers", "1")
    assert done.returncode == 2, done.stderr  # broken.pdf
    return tmp


def _pages(tmp: Path) -> dict[str, str]:
    """report path → its page's href (from the index)."""
    index = (tmp / "out" / "index.html").read_text(encoding="utf-8")
    return {path: href for href, path in re.findall(r'<a href="(reports/\d+\.html)">([^<]+)</a></td>', index)}


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


# --------------------------------------------------------------------------- index


def test_index_first_screen_has_the_failures_and_the_table(batch, laptop):
    laptop.goto((batch / "out" / "index.html").as_uri())
    failures = laptop.locator("#failures")
    assert failures.is_visible() and "corpus/broken.pdf" in failures.text_content()
    assert "不是 PDF" in failures.text_content()
    table = _box(laptop, "#reports-table")
    first_row = _box(laptop, "#reports-table tbody tr")
    assert first_row["y"] + first_row["height"] <= LAPTOP["height"]
    assert _box(laptop, "#charts")["y"] > table["y"] + table["height"] - 1  # the charts come after it
    # the failed file is in the table too, marked, without a link
    row = laptop.locator("#reports-table tr.error")
    assert row.count() == 1 and "corpus/broken.pdf" in row.text_content() and row.locator("a").count() == 0


def test_index_chart_labels_are_not_cut_off(batch, laptop):
    laptop.goto((batch / "out" / "index.html").as_uri())
    # SVG text (the histogram's numbers) lies inside its SVG
    outside = laptop.evaluate("""() => {
      const bad = [];
      document.querySelectorAll('svg').forEach(svg => {
        const w = svg.width.baseVal.value, h = svg.height.baseVal.value;
        svg.querySelectorAll('text').forEach(t => {
          const b = t.getBBox();
          if (b.x < 0 || b.y < 0 || b.x + b.width > w + 0.5 || b.y + b.height > h + 0.5) bad.push(t.textContent);
        });
      });
      return bad;
    }""")
    assert outside == []
    assert laptop.locator("svg text").count() >= 11
    # the HTML bar charts: every label and figure shows whole, inside the page's width
    clipped = laptop.evaluate("""() => Array.from(document.querySelectorAll(
        '.bar-label, .bar-value, .copy-head b, .passage, .who')).filter(el => {
      const r = el.getBoundingClientRect();
      return el.scrollWidth > el.clientWidth + 1 || r.right > document.documentElement.clientWidth || r.width === 0;
    }).map(el => el.textContent)""")
    assert clipped == []
    assert laptop.locator(".bar-label").count() >= 3


def test_copied_passages_are_shared_by_bodies_and_legible(batch, laptop):
    laptop.goto((batch / "out" / "index.html").as_uri())
    items = laptop.locator(".copies li")
    assert items.count() >= 2
    for i in range(items.count()):
        head = items.nth(i).locator(".copy-head b").text_content()
        reports, bodies = map(int, re.fullmatch(r"(\d+) 份报告 / (\d+) 个机关", head).groups())
        assert bodies >= 2 and reports >= bodies
        text = items.nth(i).locator(".passage").text_content()
        assert "\ufffd" not in text and "�" not in text, text
    chart = laptop.locator(".copies").text_content()
    # 005 copied 002's passage: shown in 002's legible wording, both reports named
    assert "强化组织领导、规范办理流程" in chart
    shared = laptop.locator(".copies li", has_text="强化组织领导")
    assert shared.locator(".copy-head b").text_content() == "2 份报告 / 2 个机关"
    assert "005.txt" in shared.locator(".who").text_content()
    # the passage three reports share (one body unknown), each linked to its page
    three = laptop.locator(".copies li").first
    assert three.locator(".copy-head b").text_content() == "3 份报告 / 3 个机关"
    assert three.locator(".who a").count() == 3


def test_the_damaged_source_is_the_cause_not_the_output(shared):
    """The mojibake came from the report itself, not from cutting text by bytes: 005.txt holds
    U+FFFD where the crawler lost characters, and every quote the batch stores is whole text."""
    raw = (shared / "real" / "partial" / "005.txt").read_text(encoding="utf-8")
    assert "强化组织\ufffd" in raw
    from auditor.batch.index_html import legible, most_copied

    clean = "根据《条例》和上级部门关于依申请办理的规范要求，强化组织领导、规范办理流程，指导各部门采取自行办理"
    garbled = "\ufffd和上级部门关于依申请办理的规范要求，强化组织\ufffd？导\ufffd?\ufffd\ufffd？范办理流程，指\ufffd？各部门采取"
    assert not legible(garbled) and legible(clean)
    [passage] = most_copied([("b.txt", "金湖县", garbled, "a.txt", "淮安市洪泽区人民政府", clean)])
    assert passage.text == clean and (passage.reports, passage.bodies) == (2, 2)
    # only damaged wordings: nothing legible to show, so the passage is left out
    assert most_copied([("b.txt", "金湖县", garbled, "a.txt", "洪泽区", garbled + "又")]) == []


def test_message_names_a_source_of_unknown_body_apart_from_its_year(batch):
    conn = sqlite3.connect(batch / "out" / "auditor.db")
    try:
        messages = [m for (m,) in conn.execute(
            "SELECT message FROM findings WHERE rule = 'SIM-OTHER-BODY' AND path = 'corpus/083.txt'")]
    finally:
        conn.close()
    assert messages and all("与另一机关的报告 corpus/043.txt（2021年）相同" in m for m in messages), messages


# --------------------------------------------------------------------------- report pages


def test_report_page_links_back_and_shows_its_first_finding(batch, laptop):
    pages = _pages(batch)
    laptop.goto((batch / "out" / pages["corpus/002.txt"]).as_uri())
    first = laptop.locator(".finding").first
    box = first.bounding_box()
    assert box["y"] >= 0 and box["y"] + 60 <= LAPTOP["height"], box  # its head and message
    assert first.locator(".message").is_visible()
    laptop.locator("a.back").click()
    assert laptop.url.endswith("/out/index.html")
    assert laptop.locator("#reports-table").is_visible()


def test_decisions_from_many_pages_export_once_from_the_index(batch, browser, tmp_path):
    """确认/忽略 on two report pages, one export from the index: a baseline that `batch --baseline`
    accepts; run again with it, the dismissed finding is gone and the export still has it."""
    from auditor.baseline import load_baseline

    pages = _pages(batch)
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    try:
        page = context.new_page()
        decided = {}
        for path, decision in (("corpus/002.txt", "dismissed"), ("corpus/083.txt", "confirmed")):
            page.goto((batch / "out" / pages[path]).as_uri())
            item = page.locator(".finding").first
            decided[path] = (item.get_attribute("data-fingerprint"), decision)
            item.locator(".finding-head").click()
            item.locator(f"button[data-decision={decision}]").click()
        page.goto((batch / "out" / "index.html").as_uri())
        assert page.locator("#decision-count").text_content() == "共 2 项决定，涉及 2 份报告"
        assert "忽略 1" in page.locator('tr[data-path="corpus/002.txt"] td.decided').text_content()
        with page.expect_download() as info:
            page.locator("#export-decisions").click()
        exported = tmp_path / "baseline.json"
        info.value.save_as(exported)
    finally:
        context.close()
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["schema"] == "auditor.baseline/1"
    assert {(d["path"], d["fingerprint"], d["decision"]) for d in data["decisions"]} == {
        (path, fp, d) for path, (fp, d) in decided.items()}
    for entry in data["decisions"]:
        assert entry["rule"] and entry["message"]
    load_baseline(exported)

    again = _batch(batch, "corpus", "--out", "out", "--workers", "1", "--baseline", str(exported))
    assert again.returncode == 2, again.stderr
    conn = sqlite3.connect(batch / "out" / "auditor.db")
    try:
        fingerprints = {(p, f) for p, f in conn.execute("SELECT path, fingerprint FROM findings")}
    finally:
        conn.close()
    dismissed_fp, confirmed_fp = decided["corpus/002.txt"][0], decided["corpus/083.txt"][0]
    assert ("corpus/002.txt", dismissed_fp) not in fingerprints
    assert ("corpus/083.txt", confirmed_fp) in fingerprints

    # A browser that never saw those pages: the index still exports the baseline it ran with.
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto((batch / "out" / "index.html").as_uri())
        with page.expect_download() as info:
            page.locator("#export-decisions").click()
        second = tmp_path / "second.json"
        info.value.save_as(second)
    finally:
        context.close()
    entries = json.loads(second.read_text(encoding="utf-8"))["decisions"]
    assert {(d["path"], d["fingerprint"], d["decision"]) for d in entries} == {
        (path, fp, d) for path, (fp, d) in decided.items()}


def test_printing_a_report_page_puts_the_findings_first(batch, laptop, tmp_path):
    """The PDF Chromium prints: the first finding is on page 1, before the report's text."""
    import pdfplumber

    pages = _pages(batch)
    laptop.goto((batch / "out" / pages["corpus/002.txt"]).as_uri())
    rule = laptop.locator(".finding").first.locator(".rule-id").text_content()
    pdf = tmp_path / "page.pdf"
    laptop.pdf(path=str(pdf), format="A4")
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as doc:
        assert len(doc.pages) >= 2
        page_one = doc.pages[0].extract_text() or ""
    assert rule in page_one
    laptop.emulate_media(media="print")
    assert _box(laptop, ".col-findings")["y"] < _box(laptop, ".doc-text")["y"]


# --------------------------------------------------------------------------- Chinese text


def _has_cjk_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


def test_pages_name_the_common_cjk_fonts(batch):
    from auditor.report.html import FONT_STACK

    for name in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"):
        assert f'"{name}"' in FONT_STACK
    pages = _pages(batch)
    for page in ("index.html", pages["corpus/002.txt"]):
        assert FONT_STACK in (batch / "out" / page).read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in readme


def test_chinese_renders_as_characters_not_boxes(batch, laptop):
    """Two different characters look different only if a CJK font is installed (without one,
    both are the same empty box). CI installs fonts-noto-cjk; elsewhere this is skipped."""
    if not _has_cjk_font():
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    laptop.goto((batch / "out" / "index.html").as_uri())
    laptop.evaluate("""() => ['中', '国'].forEach((c, i) => {
      const s = document.createElement('span'); s.id = 'glyph' + i; s.textContent = c;
      s.style.cssText = 'font-size:40px;display:inline-block;background:#fff;color:#000';
      document.body.prepend(s); })""")
    assert laptop.locator("#glyph0").screenshot() != laptop.locator("#glyph1").screenshot()


def test_index_escapes_what_reports_and_file_names_contain(tmp_path, laptop):
    """Paths, bodies, reasons and copied passages come from untrusted files: shown as text."""
    from auditor.batch.index_html import write_index

    evil = '<img src=x onerror="window.__pwned=1">'
    script = "</script><script>window.__pwned=2</script>"
    rows = [{"path": f"a{evil}.txt", "page": 1, "href": "reports/1.html", "agency": f"甲局{script}", "year": 2023,
             "template": "2021", "score": 50.0, "assessed": 1.0, "status": "ok", "error": None,
             "categories": {"boilerplate": 1}, "severities": {"warning": 1}},
            {"path": f"b{script}.pdf", "page": 2, "href": None, "agency": None, "year": None, "template": None,
             "score": None, "assessed": None, "status": "error", "error": f"坏文件{evil}",
             "categories": {}, "severities": {}}]
    passage = f"各单位严格落实信息发布审核制度，坚持先审后发，{evil}确保信息安全准确。"
    copies = [(rows[0]["path"], rows[0]["agency"], passage, f"c{evil}.txt", f"乙局{evil}", passage)]
    path = write_index(rows, tmp_path / "index.html", f"dir{evil}", 1,
                       rules=[{"rule": f"R{evil}", "category": "boilerplate", "findings": 1, "reports": 1}],
                       copies=copies, store_key="k", baseline=[{"fingerprint": script, "decision": "dismissed"}])
    laptop.goto(path.as_uri())
    laptop.wait_for_timeout(200)
    assert laptop.evaluate("typeof window.__pwned") == "undefined"
    assert laptop.locator("img").count() == 0 and laptop.locator("script").count() == 2
    assert evil in laptop.locator("#failures").text_content()
    assert evil in laptop.locator(".copies").text_content()
    assert script in laptop.locator("#reports-table").text_content()
