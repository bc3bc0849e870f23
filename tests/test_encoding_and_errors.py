"""Reading bytes: encodings detected, bad input refused with one Chinese line and exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from auditor.errors import InputError
from auditor.read import read_file
from auditor.read.encoding import decode_bytes

SAMPLE = "平潭综合实验区2023年度政府信息公开工作年度报告\n一、总体情况\n本年度收到政府信息公开申请81件，镕基。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "r.txt"
    text = SAMPLE if encoding != "gbk" else SAMPLE
    path.write_bytes(text.encode(encoding))
    source = read_file(str(path))
    assert source.blocks[0].text.replace("\r", "") == text


def test_big5_is_detected(tmp_path):
    text = "政府資訊公開工作年度報告\n一、總體情況\n本機關收到申請八十一件，均已依法辦理完畢。\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode("big5"))
    source = read_file(str(path))
    assert source.encoding == "big5"
    assert source.blocks[0].text == text


def test_declared_gb2312_with_gbk_characters():
    raw = "朱镕基同志说：政府信息公开。".encode("gbk")
    text, enc = decode_bytes("x.html", raw, declared="gb2312")
    assert text == "朱镕基同志说：政府信息公开。"
    assert enc == "gb18030"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name,content,cause", [
    ("empty.txt", b"", "空"),
    ("binary.txt", bytes(range(256)) * 20, "二进制"),
    ("report.xls", b"whatever", "不支持"),
    ("fake.pdf", b"not a pdf at all", "不是 PDF"),
    ("fake.docx", b"not a zip", "不是 Word"),
])
def test_bad_input_is_one_chinese_line_with_exit_2(tmp_path, name, content, cause):
    path = tmp_path / name
    path.write_bytes(content)
    result = _run("parse", str(path))
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and cause in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_file_and_directory(tmp_path):
    for target, cause in ((tmp_path / "nope.txt", "不存在"), (tmp_path, "目录")):
        result = _run("parse", str(target))
        assert result.returncode == 2 and cause in result.stderr and "Traceback" not in result.stderr


def test_huge_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write(("政府信息公开" * 1000 + "\n").encode("utf-8") * 3000)  # ~54 MB
    with pytest.raises(InputError) as exc:
        read_file(str(path))
    assert "过大" in str(exc.value)
