"""SARIF locations point into the file on disk (issue 16): each is read back from the file and
compared with the text of its finding.

- txt/md: the region's lines and columns are cut out of the file as a viewer would (lines split at
  "\\n", columns in code points);
- html: the same in the page source, then the markup is removed;
- pdf: the text of the page(s) the location names, extracted again with pdfplumber;
- docx: the text of the paragraph or table it names.
The finding's text and what was read back are compared after the same normalization (full-width
forms, traditional script, page numbers and whitespace, which the normalized text no longer has).
Findings land where the rules fire, so every line of the normalized text is also mapped back, and
two made-up files put what normalization changes right in front of the spans: a page with chrome,
entities and markup, a text with BOM, CRLF, traditional script, full-width digits and a page break.
The log is validated against the official SARIF 2.1.0 schema.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from auditor.read.text import read_text
from auditor.sourcemap import line_column
from auditor.structure import parse_file
from auditor.structure.normalize import normalize, normalize_chars
from conftest import ROOT, SHARED

REAL = SHARED / "real"
SAMPLES = ROOT / "corpus"
FILES = {
    "txt": [REAL / "full" / name for name in ("001.txt", "003.txt", "004.txt", "010.txt", "013.txt",
                                              "037.txt", "100.txt")]
    + [REAL / "partial" / name for name in ("016.txt", "040.txt", "070.txt")]
    + [SAMPLES / "qingxi-county-2023.txt", SAMPLES / "qingxi-natres-2022.md"],
    "html": [REAL / "full" / "007.html", SAMPLES / "qingxi-county-2024.html", SAMPLES / "yunling-eco-2024.html"],
    "pdf": sorted((REAL / "pdf").glob("*.pdf")) + [SAMPLES / "yunling-eco-2023.pdf"],
    "docx": [REAL / "docx" / "template-2021.docx", SAMPLES / "qingxi-natres-2023.docx",
             SAMPLES / "yunling-eco-2022.docx"],
}


@pytest.fixture(scope="module")
def log(shared) -> dict:
    """One `auditor audit --format sarif` over every file, as a code-scanning job would run it."""
    files = [str(path) for paths in FILES.values() for path in paths]
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", *files, "--format", "sarif",
                           "--fail-on", "never"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def comparable(text: str) -> str:
    """The same normalization on both sides, then no whitespace (lines are joined differently)."""
    return re.sub(r"\s+", "", normalize_chars(text, traditional=True))


def normalized(text: str) -> str:
    """A piece of the file normalized as the reader and normalization would (page-number lines
    dropped, "\\f" and "\\r\\n" read as in a text file)."""
    text = normalize_chars(text, traditional=True)  # a short piece is not detected as traditional
    return comparable(normalize(read_text("region", "txt", text.encode("utf-8"))).text)


def region_text(lines: list[str], region: dict) -> str:
    first, last = region["startLine"] - 1, region["endLine"] - 1
    if first == last:
        return lines[first][region["startColumn"] - 1:region["endColumn"] - 1]
    return "\n".join([lines[first][region["startColumn"] - 1:], *lines[first + 1:last],
                      lines[last][:region["endColumn"] - 1]])


def visible(html_source: str) -> str:
    """What a piece of page source shows once its markup is gone (and the elements the reader
    drops: scripts, buttons, form fields …)."""
    from auditor.read.html import DROPPED_TAGS

    dropped = "|".join(DROPPED_TAGS)
    html_source = re.sub(rf"(?is)<!--.*?-->|<({dropped})\b.*?</\1\s*>", "", html_source)
    return html.unescape(re.sub(r"<[^>]*>", " ", html_source))


def decoded(path: Path) -> str:
    from auditor.read import source_text

    return source_text(str(path))


def page_texts(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def docx_elements(path: Path) -> list[str]:
    """The text of each paragraph and table of the body, in order."""
    import docx

    from auditor.read.docx import W_P, W_T, W_TBL, _children

    body = docx.Document(str(path)).element.body
    return ["".join(t.text or "" for t in element.iter(W_T)) for element in _children(body, (W_P, W_TBL))]


def results_for(log: dict, path: Path) -> list[dict]:
    # Both sides resolved: ../shared may be a symbolic link to the corpus (as in a CI checkout).
    def file_of(uri: str) -> Path:
        return Path(unquote(urlparse(uri).path)).resolve()

    return [r for r in log["runs"][0]["results"]
            if file_of(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) == path.resolve()
            and "span" in r["properties"]]


def element_index(path: Path, kind: str, number: int) -> int:
    """The body index of the `number`th (1-based) paragraph or table."""
    import docx

    from auditor.read.docx import W_P, W_TBL, _children

    body = docx.Document(str(path)).element.body
    seen = 0
    for index, element in enumerate(_children(body, (W_P, W_TBL))):
        if (element.tag == W_P) == (kind == "paragraph"):
            seen += 1
            if seen == number:
                return index
    raise AssertionError(f"{path.name}: no {kind} {number}")


# --------------------------------------------------------------------------- findings


@pytest.mark.parametrize("fmt", list(FILES))
def test_finding_regions_read_back_from_the_file(log, fmt):
    checked = 0
    for path in FILES[fmt]:
        source = decoded(path) if fmt == "txt" or fmt == "html" else None
        lines = source.split("\n") if source is not None else None
        pages = page_texts(path) if fmt == "pdf" else None
        elements = docx_elements(path) if fmt == "docx" else None
        for result in results_for(log, path):
            expected = comparable(result["properties"]["span"]["text"])
            location = result["locations"][0]
            physical = location["physicalLocation"]
            where = f"{path.name} {result['ruleId']} {result['properties']['span']}"
            if fmt in ("txt", "html"):
                region = physical["region"]
                text = region_text(lines, region)
                # The offsets and the snippet say the same as the lines and columns.
                assert source[region["charOffset"]:region["charOffset"] + region["charLength"]] == text
                assert region["snippet"]["text"] == text, where
                assert normalized(visible(text) if fmt == "html" else text) == expected, where
            elif fmt == "pdf":
                assert "region" not in physical
                first = physical["properties"]["page"]
                last = physical["properties"].get("endPage", first)
                assert comparable(location["message"]["text"]) == expected
                assert expected in normalized("\n".join(pages[first - 1:last])), where
                assert {"name": f"第{first}页" if first == last else f"第{first}–{last}页",
                        "kind": "page"} in location["logicalLocations"]
            else:
                assert "region" not in physical
                assert comparable(location["message"]["text"]) == expected
                props = physical["properties"]
                [(kind, number)] = [(k, v) for k, v in props.items() if k in ("paragraph", "table")]
                first = last = element_index(path, kind, number)
                if "end" in props:
                    [(kind, number)] = props["end"].items()
                    last = element_index(path, kind, number)
                assert expected in comparable("".join(elements[first:last + 1])), where
            checked += 1
    print(f"{fmt}: {checked} finding regions read back from {len(FILES[fmt])} files")
    assert checked >= {"txt": 30, "html": 5, "pdf": 10, "docx": 5}[fmt]


def test_heading_is_where_the_file_has_it(log):
    """The case of the issue: 001.txt has “五、存在的主要问题及改进情况” on line 151, indented."""
    path = REAL / "full" / "001.txt"
    [result] = [r for r in results_for(log, path) if r["ruleId"] == "STR-RECTIFICATION"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (151, 6, 151, 20)
    assert region["snippet"]["text"] == "五、存在的主要问题及改进情况"
    assert result["locations"][0]["logicalLocations"] == [
        {"name": "五、存在的主要问题及改进情况", "kind": "section", "fullyQualifiedName": "problems"}]


# --------------------------------------------------------------------------- every line


def lines_of(doc):
    """(start, end, text) of every non-blank line of the normalized text."""
    start = 0
    for line in doc.text.split("\n"):
        if line.strip():
            yield start, start + len(line), line
        start += len(line) + 1


def assert_every_line_reads_back(path: Path) -> int:
    """Not only where findings happen to be: every line of the normalized text maps back."""
    doc = parse_file(str(path))
    source_map = doc.source_map
    checked = 0
    if source_map.kind == "text":
        source = decoded(path)
        for start, end, line in lines_of(doc):
            first, last = source_map.bounds(start, end)
            piece = source[first:last + 1]
            got = normalized(visible(piece) if doc.format == "html" else piece)
            assert got == comparable(line), (path.name, line, piece)
            checked += 1
        return checked
    if source_map.kind == "page":
        places = [normalized(text) for text in page_texts(path)]
    else:
        places = [comparable(text) for text in docx_elements(path)]
    for start, end, line in lines_of(doc):
        first, last = source_map.bounds(start, end)
        place = "".join(places[first - 1:last] if source_map.kind == "page" else places[first:last + 1])
        for cell in line.split("\t"):
            # A table cell printed on several lines runs into its neighbours in the page's text
            # (the same characters, in another order); prose must be there as it is.
            if "\t" in line:
                assert not Counter(comparable(cell)) - Counter(place), (path.name, cell)
            else:
                assert comparable(cell) in place, (path.name, line)
        checked += 1
    return checked


@pytest.mark.parametrize("path", [p for paths in FILES.values() for p in paths], ids=lambda p: p.name)
def test_every_line_maps_back_to_the_file(shared, path):
    assert assert_every_line_reads_back(path) >= 5


HOSTILE_PAGE = """<?xml version="1.0" encoding="gb2312"?>
<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某区2023年政府信息公开工作年度报告-某区人民政府</title>
<script>var s = "一、总体情况 <p>假的</p>";</script>
<style>p { font: 12px }</style></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/gk">政务公开</a> &gt; <a href="#">某区2023年政府信息公开工作年度报告</a></div>
<!-- 一、总体情况（注释） -->
<div id="zoom">
<p align="center"><strong>某区2023年政府信息公开<br/>工作年度报告</strong></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;根据《中华人民共和国政府信息公开条例》规定编制本报告。本报告所列数据的统计期限自２０２３年１月１日起至２０２３年１２月３１日止。</p>
<p><b>一、总体情况</b></p>
<p>　　2023年，我区收到政府信息公开申请<span style="color:red">１２</span>件，&ldquo;办结&rdquo;率100%。<button>打印本页</button>本年度&#x6536;到行政复议申请2件。</p>
<p>二、主动公开政府信息情况</p>
<table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td rowspan="2">规章<br>（含草案）</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>1</td><td>1</td><td>1</td></tr>
<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>25</td></tr></table>
<p>五、存在的主要问题及改进情况</p>
<p>一是公开内容还不够全面。下一步将进一步加强。</p>
<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
</div>
<div class="footer">版权所有 某区人民政府</div>
</body></html>
"""


def test_page_source_positions_despite_chrome_entities_and_markup(tmp_path):
    """GB2312-labelled, CRLF, the report's words also in the title, breadcrumbs, a script and a
    comment before it; entities, full-width digits, a button and spans inside its paragraphs."""
    path = tmp_path / "page.html"
    path.write_bytes(HOSTILE_PAGE.replace("\n", "\r\n").encode("gb18030"))
    assert assert_every_line_reads_back(path) == 15
    doc = parse_file(str(path))
    source = decoded(path)
    lines = HOSTILE_PAGE.split("\n")
    for key, heading in (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况")):
        section = doc.section(key)
        first, last = doc.source_map.bounds(section.start, section.start + len(heading))
        line, column = line_column(source, first)
        assert lines[line - 1][column - 1:].startswith(heading)  # the report's, not the script's
        assert source[first:last + 1] == heading
    claim = doc.text.index("收到政府信息公开申请12件")
    first, last = doc.source_map.bounds(claim, claim + len("收到政府信息公开申请12件"))
    assert source[first:last + 1] == '收到政府信息公开申请<span style="color:red">１２</span>件'


TEXT_REPORT = (
    "\ufeff某縣人民政府2023年政府信息公開工作年度報告\r\n\r\n"
    "　　一、總體情況\r\n"
    "　　2023年，本縣收到申請１２件，辦結率100%，全年共公開政府信息３００條，各項工作有序推進，\r\n"
    "依申請公開工作規(guī)范。\r\n"
    "\r\n                    - 1 -\r\n\f"
    "　　五、存在的主要問題及改進情況\r\n"
    "　　一是公開內容還不夠全面。\r\n"
)


def test_text_file_positions_despite_normalization(tmp_path):
    """UTF-8 with BOM, CRLF, traditional script with pinyin, full-width digits and indentation,
    a page number and a form feed: offsets and lines are those of the file."""
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT_REPORT.encode("utf-8"))
    assert assert_every_line_reads_back(path) >= 4
    doc = parse_file(str(path))
    source = decoded(path)
    section = doc.section("problems")
    first, last = doc.source_map.bounds(section.start, section.start + len(section.title))
    assert line_column(source, first) == (8, 4)  # after "\f" and two full-width spaces
    assert source[first:last + 1] == "五、存在的主要問題及改進情況"
    claim = doc.text.index("收到申请12件")
    first, last = doc.source_map.bounds(claim, claim + len("收到申请12件"))
    assert line_column(source, first) == (4, 11) and source[first:last + 1] == "收到申請１２件"


# --------------------------------------------------------------------------- schema

# The OASIS SARIF 2.1.0 schema with its errata (Schemata/sarif-schema-2.1.0.json of the
# oasis-tcs/sarif-spec repository, the file $schema names), kept here so validation needs no network.
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def test_log_is_valid_sarif_2_1_0(log):
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert log["$schema"] == schema["id"]
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # The errata's rule that rules out a snippet-only region for docx/pdf: a region starts at a
    # line or an offset.
    snippet_only = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.pdf"}, "region": {"snippet": {"text": "t"}}}}]}]}]}
    assert list(jsonschema.Draft4Validator(schema).iter_errors(snippet_only))
