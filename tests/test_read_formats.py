"""The binary and markup readers (HTML, Word, PDF) on real and hand-made files."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.model import TableBlock, TextBlock
from auditor.read.docx import read_docx
from auditor.read.html import read_html
from auditor.read.pdf import read_pdf

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpus" / "real"

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service",
                     "other_org", "total")
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def real_file(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"shared corpus file {path} not found (shared/ sits beside the checkout)")
    return path


def tables(source) -> list[TableBlock]:
    return [b for b in source.blocks if isinstance(b, TableBlock)]


def text_of(source) -> str:
    return "\n".join(b.text for b in source.blocks if isinstance(b, TextBlock))


def numbers(row) -> list[float]:
    return [float(cell) for cell in row if cell and NUMBER.match(cell)]


def row_starting(grid: TableBlock, label: str):
    """The first row whose first non-empty cell starts with `label`."""
    for row in grid.rows:
        first = next((cell for cell in row if cell), "")
        if first.startswith(label):
            return row
    raise AssertionError(f"no row labelled {label!r}")


def all_cells(grid: TableBlock) -> list[str]:
    return [cell for row in grid.rows for cell in row if cell]


# --------------------------------------------------------------------------- real PDFs


@pytest.mark.parametrize("number", ["001", "002", "008"])
def test_real_pdf_applications_table_matches_truth(number):
    pdf = real_file(f"pdf/{number}.pdf")
    source = read_pdf(str(pdf), pdf.read_bytes())
    truth = json.loads(real_file(f"full/{number}.truth.json").read_text(encoding="utf-8"))
    applications = truth["tables"]["applications"]

    grid = next(t for t in tables(source) if any("本年新收" in c for c in all_cells(t)))
    # Table 三 breaks across pages in all three PDFs; its continuation must be joined to it.
    for label, key in (("一、本年新收", "new_received"), ("二、上年结转", "carried_over"),
                       ("（七）总计", "total_processed"), ("四、结转下年度", "carried_forward")):
        want = [applications[key][column] for column in APPLICANT_COLUMNS]
        assert numbers(row_starting(grid, label)) == want, label
    assert all(len(row) == len(grid.rows[0]) for row in grid.rows)


@pytest.mark.parametrize("number", ["001", "002", "008"])
def test_real_pdf_appeals_table_matches_truth(number):
    pdf = real_file(f"pdf/{number}.pdf")
    source = read_pdf(str(pdf), pdf.read_bytes())
    truth = json.loads(real_file(f"full/{number}.truth.json").read_text(encoding="utf-8"))
    appeals = truth["tables"]["appeals"]
    want = [appeals[group][column] for group in APPEAL_GROUPS for column in APPEAL_COLUMNS]

    grid = next(t for t in tables(source) if any("行政复议" in c for c in all_cells(t)))
    rows_of_15 = [numbers(row) for row in grid.rows if len(numbers(row)) == 15]
    assert rows_of_15 == [want]


def test_real_pdf_text_frames_are_text_and_labels_are_unwrapped():
    path = real_file("pdf/001.pdf")
    source = read_pdf(str(path), path.read_bytes())
    text = text_of(source)
    # The narrative sits in invisible one-line boxes that pdfplumber reports as tables.
    assert "（四）政府信息公开平台建设情况" in text
    assert "五、存在的主要问题及改进情况" in text
    for grid in tables(source):
        assert len(grid.rows) >= 2 and len(grid.rows[0]) >= 2
        assert not any("（四）政府信息公开平台建设情况" in c for c in all_cells(grid))
    cells = [c for grid in tables(source) for c in all_cells(grid)]
    assert "商业企业" in cells and "三、本年度办理结果" in cells
    # Running page numbers ("-1-") are gone; blocks carry their page.
    assert not re.search(r"^-\d+-$", text, re.M)
    assert [b.page for b in source.blocks] == sorted(b.page for b in source.blocks)
    assert source.blocks[0].page == 1 and source.blocks[-1].page == 5


# --------------------------------------------------------------------------- hand-made PDFs


def _reportlab_canvas():
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    return canvas


def _pdf_with_cjk(draw) -> bytes:
    canvas = _reportlab_canvas()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595, 842))
    draw(c)
    c.save()
    return buffer.getvalue()


def test_pdf_keeps_order_drops_running_header_and_reads_ruled_table():
    def draw(c):
        for page in range(1, 4):
            c.setFont("STSong-Light", 10)
            c.drawString(72, 800, "某某区人民政府办公室文件")
            c.setFont("STSong-Light", 12)
            c.drawString(72, 740, f"第{page}页正文：本年度共收到政府信息公开申请{page}件。")
            if page == 2:
                rows = [["项目", "自然人", "总计"], ["本年新收", "21", "21"], ["结转下年度", "0", "0"]]
                xs, top = [72, 250, 350, 450], 700
                for i, row in enumerate(rows):
                    for j, cell in enumerate(row):
                        c.drawString(xs[j] + 4, top - 20 * i - 14, cell)
                for i in range(len(rows) + 1):
                    c.line(xs[0], top - 20 * i, xs[-1], top - 20 * i)
                for x in xs:
                    c.line(x, top, x, top - 20 * len(rows))
                c.drawString(72, 600, "表格下方的文字。")
            c.drawString(290, 40, f"- {page} -")
            c.showPage()

    source = read_pdf("made.pdf", _pdf_with_cjk(draw))
    assert source.format == "pdf" and source.encoding is None
    kinds = [(type(b).__name__, b.page) for b in source.blocks]
    assert kinds == [("TextBlock", 1), ("TextBlock", 2), ("TableBlock", 2), ("TextBlock", 2),
                     ("TextBlock", 3)]
    assert source.blocks[2].rows == (("项目", "自然人", "总计"), ("本年新收", "21", "21"),
                                     ("结转下年度", "0", "0"))
    assert source.blocks[3].text == "表格下方的文字。"
    text = text_of(source)
    assert "某某区人民政府办公室文件" not in text and "- 2 -" not in text


def test_pdf_without_text_layer_is_refused():
    def draw(c):
        c.rect(100, 100, 300, 400, stroke=1, fill=1)
        c.showPage()

    with pytest.raises(InputError, match="没有文字层"):
        read_pdf("scan.pdf", _pdf_with_cjk(draw))


def test_encrypted_pdf_is_refused():
    canvas = _reportlab_canvas()
    from reportlab.lib.pdfencrypt import StandardEncryption

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "annual report")
    c.showPage()
    c.save()
    with pytest.raises(InputError, match="加密"):
        read_pdf("locked.pdf", buffer.getvalue())


def test_corrupt_pdf_is_refused():
    with pytest.raises(InputError) as caught:
        read_pdf("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 20)
    assert "\n" not in str(caught.value)


def test_pdf_with_too_many_pages_is_refused():
    def draw(c):
        for _ in range(201):
            c.showPage()

    with pytest.raises(InputError, match="200"):
        read_pdf("long.pdf", _pdf_with_cjk(draw))


# --------------------------------------------------------------------------- real HTML


def test_real_html_tables_and_text():
    path = real_file("full/007.html")
    source = read_html(str(path), path.read_bytes())
    assert source.format == "html" and source.encoding == "utf-8"
    assert source.title == "测试市2025年政府信息公开工作年度报告"
    grids = tables(source)
    assert len(grids) == 3
    assert source.blocks[0].text.startswith("根据《中华人民共和国政府信息公开条例》")

    table3 = next(t for t in grids if any("本年新收" in c for c in all_cells(t)))
    width = len(table3.rows[0])
    assert width == 10 and all(len(row) == width for row in table3.rows)
    # "三、本年度办理结果" spans 22 rows: its text once, None at every covered position.
    (r, c), = [(r, c) for r, row in enumerate(table3.rows) for c, cell in enumerate(row)
               if cell == "三、本年度办理结果"]
    assert all(table3.rows[r + k][c] is None for k in range(1, 22))
    # The colspan=3 header cell of 一、本年新收 covers two positions to its right.
    new_received = row_starting(table3, "一、本年新收")
    assert new_received[:3] == ("一、本年新收政府信息公开申请数量", None, None)
    assert numbers(new_received) == [13612, 252, 0, 45, 128, 32, 14069]


# --------------------------------------------------------------------------- hand-made HTML


def _report_page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


REPORT_BODY = """
<p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>
<p>一、总体情况</p><p>2023年主动公开政府信息1136条。<br>受理政府信息公开申请21件。</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>
<table><tr><td>项目</td><td>总计</td></tr><tr><td>一、本年新收</td><td>21</td></tr>
<tr><td>四、结转下年度继续办理</td><td>0</td></tr></table>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p>未发生行政复议、行政诉讼。</p>
<p>五、存在的主要问题及改进情况</p><p>依申请公开办理还需规范。</p>
<p>六、其他需要报告的事项</p><p>未收取信息处理费。</p>
"""


def test_gb2312_labelled_page_with_gbk_only_characters_decodes():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page = _report_page(f"<div>{REPORT_BODY}<p>朱镕基、王堃同志题词。</p></div>", head=meta)
    source = read_html("gbk.html", page.encode("gbk"))
    assert source.encoding == "gb18030"
    assert "朱镕基、王堃同志题词。" in text_of(source)


def test_page_chrome_is_left_out():
    menu = "".join(f'<li><a href="/c{i}">政府信息公开栏目{i}</a></li>' for i in range(40))
    related = "".join(f'<li><a href="/r{y}">{y}年政府信息公开工作年度报告</a></li>'
                      for y in range(2015, 2023))
    body = f"""
    <div class="header"><div class="logo">某某区人民政府门户网站</div><ul class="nav">{menu}</ul></div>
    <div class="main">
      <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/g">政府信息公开</a> &gt; 年度报告</div>
      <div class="article"><h1>某某区2023年政府信息公开工作年度报告</h1>
        <div class="info">发布时间：2024-01-15 来源：区政府办公室 浏览次数：123</div>
        <div id="zoom" class="TRS_Editor"><div class="Custom_UnionStyle">{REPORT_BODY}</div></div>
        <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
        <div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>
      </div>
    </div>
    <div class="footer">主办单位：某某区人民政府办公室 地址：某某区人民路1号 网站标识码：1234567890
      备案号：苏ICP备00000000号 联系电话：0000-1234567</div>
    <script>document.write("年度报告 本年新收 行政复议")</script>"""
    source = read_html("page.html", _report_page(body, "<title>某某区2023年政府信息公开工作年度报告"
                                                       "_某某区人民政府</title>").encode())
    text = text_of(source)
    assert text.startswith("本报告根据《中华人民共和国政府信息公开条例》编制。")
    assert text.endswith("未收取信息处理费。")
    for chrome in ("栏目", "当前位置", "发布时间", "分享到", "相关阅读", "2015年", "备案号",
                   "document.write"):
        assert chrome not in text, chrome
    # <br> splits a paragraph into lines; the title loses the site name after "_".
    assert "2023年主动公开政府信息1136条。\n受理政府信息公开申请21件。" in text
    assert source.title == "某某区2023年政府信息公开工作年度报告"
    assert len(tables(source)) == 1


def test_report_in_a_layout_table_cell_is_found():
    menu = "".join(f'<p><a href="/c{i}">政府信息公开目录{i}</a></p>' for i in range(30))
    page = _report_page(f'<table width="1000"><tr><td>{menu}</td>'
                        f'<td class="con">{REPORT_BODY}</td></tr>'
                        f'<tr><td colspan="2">版权所有：某某市人民政府</td></tr></table>')
    source = read_html("layout.html", page.encode())
    assert text_of(source).startswith("本报告根据")
    assert "目录" not in text_of(source) and "版权所有" not in text_of(source)
    (grid,) = tables(source)
    assert grid.rows[1] == ("一、本年新收", "21")


def test_report_split_over_sibling_containers_is_kept_whole():
    first, last = REPORT_BODY.split("<p>六、其他需要报告的事项</p>")
    page = _report_page(f'<div class="nav"><a href="/">首页</a></div><div class="content">'
                        f'<div class="part">{first}</div>'
                        f'<div class="part"><p>六、其他需要报告的事项</p>{last}</div></div>'
                        f'<div class="footer">网站标识码：1234567890</div>')
    text = text_of(read_html("split.html", page.encode()))
    assert "一、总体情况" in text and text.endswith("未收取信息处理费。")
    assert "网站标识码" not in text


def test_rowspan_and_colspan_expand_into_a_rectangular_grid():
    table = """<table>
      <tr><td rowspan="2" colspan="2">项目</td><td colspan="2">申请人</td></tr>
      <tr><td>自然人</td><td>总计</td></tr>
      <tr><td rowspan="2">结果</td><td>予以公开</td><td>3</td><td></td></tr>
      <tr><td>部分<br>公开</td><td>1</td><td>2<table><tr><td>注</td></tr></table></td></tr>
    </table>"""
    source = read_html("t.html", _report_page(f"<p>一、总体情况</p>{table}").encode())
    assert tables(source)[0].rows == (
        ("项目", None, "申请人", None),
        (None, None, "自然人", "总计"),
        ("结果", "予以公开", "3", ""),
        (None, "部分 公开", "1", "2 注"),
    )


def test_hostile_spans_are_capped():
    table = ('<p>一、总体情况</p><table><tr><td colspan="999999999" rowspan="999999999">年度报告</td>'
             '<td>x</td></tr><tr><td>y</td></tr></table>')
    grid = tables(read_html("t.html", _report_page(table).encode()))[0]
    assert len(grid.rows) == 2 and len(grid.rows[0]) == 101


def test_deeply_nested_page_returns_quickly():
    page = "<html><body>" + "<div>" * 100_000 + "政府信息公开工作年度报告" + "</div>" * 100_000
    started = time.monotonic()
    try:
        read_html("deep.html", (page + "</body></html>").encode())
    except InputError:
        pass
    assert time.monotonic() - started < 5


def test_page_without_text_is_refused():
    for page in (b"", b"   ", b"<html><body><script>var a = 1;</script></body></html>"):
        with pytest.raises(InputError, match="没有找到报告正文"):
            read_html("empty.html", page)


# --------------------------------------------------------------------------- docx


def test_real_docx_template_counts_merged_cells_once():
    path = real_file("docx/template-2021.docx")
    source = read_docx(str(path), path.read_bytes())
    assert source.format == "docx" and source.encoding is None
    grids = tables(source)
    assert len(grids) == 3
    for grid in grids:
        assert all(len(row) == len(grid.rows[0]) for row in grid.rows)
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                if not cell:
                    continue
                # A merged cell shows its text once: never repeated to its right or below.
                assert c + 1 == len(row) or row[c + 1] != cell
                assert r + 1 == len(grid.rows) or grid.rows[r + 1][c] != cell
    table3 = next(t for t in grids if any("本年新收" in c for c in all_cells(t)))
    assert all_cells(table3).count("三、本年度办理结果") == 1
    assert all_cells(table3).count("申请人情况") == 1
    assert "商业企业" in all_cells(table3)
    text = text_of(source)
    assert "一、总体情况" in text and "六、其他需要报告的事项" in text


def _docx_bytes(build) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_merged_cells_and_document_order():
    def build(document):
        document.core_properties.title = "某某局2023年政府信息公开工作年度报告"
        document.add_paragraph("一、总体情况")
        document.add_paragraph("")
        document.add_paragraph("本年度收到申请3件。")
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向合并"
        table.cell(0, 2).text = "总计"
        for r, c, text in ((1, 0, "甲"), (1, 1, "1"), (2, 0, "乙"), (2, 1, "2")):
            table.cell(r, c).text = text
        document.add_paragraph("二、主动公开政府信息情况")

    source = read_docx("made.docx", _docx_bytes(build))
    assert source.title == "某某局2023年政府信息公开工作年度报告"
    assert [type(b).__name__ for b in source.blocks] == ["TextBlock", "TableBlock", "TextBlock"]
    assert source.blocks[0].text == "一、总体情况\n本年度收到申请3件。"
    assert source.blocks[1].rows == (("横向合并", None, "总计"),
                                     ("甲", "1", "纵向合并"),
                                     ("乙", "2", None))
    assert source.blocks[2].text == "二、主动公开政府信息情况"


def test_docx_frame_table_is_text_and_nested_table_is_flattened():
    def build(document):
        document.add_table(rows=1, cols=1).cell(0, 0).text = "框内的说明文字"
        table = document.add_table(rows=2, cols=2)
        for r, c, text in ((0, 0, "项目"), (0, 1, "数量"), (1, 0, "本年新收")):
            table.cell(r, c).text = text
        inner = table.cell(1, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "3"
        inner.cell(0, 1).text = "件"

    source = read_docx("made.docx", _docx_bytes(build))
    assert [type(b).__name__ for b in source.blocks] == ["TextBlock", "TableBlock"]
    assert source.blocks[0].text == "框内的说明文字"
    assert source.blocks[1].rows == (("项目", "数量"), ("本年新收", "3 件"))


def test_docx_title_without_report_is_ignored():
    def build(document):
        document.core_properties.title = "Microsoft Word 文档"
        document.add_paragraph("正文")

    assert read_docx("t.docx", _docx_bytes(build)).title is None


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + bytes(range(256)) * 8,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    None,  # a valid zip that is not a Word document
])
def test_broken_docx_is_refused(data):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a document")
        data = buffer.getvalue()
    with pytest.raises(InputError) as caught:
        read_docx("broken.docx", data)
    assert "Word 文档" in str(caught.value) and "\n" not in str(caught.value)
