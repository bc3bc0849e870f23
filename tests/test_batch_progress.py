"""What `auditor batch` shows while it runs: on a terminal one line redrawn in place (a status
while the models load, then a bar with rate and time left), elsewhere a few plain lines."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from auditor.batch.progress import Progress

ROOT = Path(__file__).resolve().parents[1]


def test_log_lines_are_sparse():
    """Not a terminal: a stage's start and end, and between them at most a line per tenth."""
    out = io.StringIO()
    progress = Progress(out, interval=0)
    progress.status("加载模型")
    progress.stage("审核", 500)
    for _ in range(500):
        progress.step()
    lines = out.getvalue().splitlines()
    assert lines[0] == "加载模型" and lines[1] == "审核：共 500 份"
    assert 3 <= len(lines) <= 13, lines
    assert re.fullmatch(r"审核：完成 500 份，[\d.]+ 份/秒，用时 \d+:\d\d", lines[-1])
    assert all("份/秒" in line and "预计还需" in line for line in lines[2:-1])

    # a quick stage in a log: only where it starts and where it ends
    out = io.StringIO()
    progress = Progress(out)  # a line at most every 30 s
    progress.stage("解析", 90)
    for _ in range(90):
        progress.step()
    assert len(out.getvalue().splitlines()) == 2


def _screen(raw: str) -> list[str]:
    """What a terminal shows after `raw`: enough of VT100 for rich's live display (carriage
    return, erase line, cursor up/down, colours ignored)."""
    lines, row, col = [""], 0, 0
    for token in re.split(r"(\x1b\[[0-9;?]*[A-Za-z]|\r|\n)", raw):
        if token == "\n":
            row, col = row + 1, 0
            while len(lines) <= row:
                lines.append("")
        elif token == "\r":
            col = 0
        elif token.startswith("\x1b["):
            arg, command = token[2:-1], token[-1]
            if command == "A":
                row = max(0, row - int(arg or 1))
            elif command == "B":
                row += int(arg or 1)
                while len(lines) <= row:
                    lines.append("")
            elif command == "K":
                lines[row] = "" if arg == "2" else lines[row][:col]
        elif token:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + token + line[col + len(token):]
            col += len(token)
    return [line.rstrip() for line in lines]


def test_terminal_shows_one_line_redrawn_in_place(tmp_path):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.pdf").write_bytes(b"not a pdf")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    env.pop("COLUMNS", None)
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "batch", "corpus", "--out", "out", "-j", "1",
                             "--no-corpus"], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks, started = [], time.monotonic()
    try:
        while time.monotonic() - started < 600:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the other end closed
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=60)
    raw = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode("utf-8", "replace"))  # colours
    assert proc.returncode == 2, raw  # broken.pdf

    # while the models load there is something to see, before any report is done
    first_count = re.search(r"\d+/12  [\d.]+ 份/秒  预计还需 \d+:\d\d", raw)
    assert first_count and 0 <= raw.find("加载模型") < first_count.start(), raw
    # one line redrawn in place (carriage return, erase line) for the whole run: the bar never
    # adds a line; what stays is the header, the failure, the stage's totals and the summary
    assert raw.count("\r\x1b[2K") > 5
    assert raw.count("\n") <= 6, raw
    screen = [line for line in _screen(raw) if line.strip()]
    assert not any("━" in line for line in screen), screen  # the bar is gone once done
    assert screen[0].startswith("共 12 份报告")
    assert "无法读取或审核" in screen[1] and "corpus/broken.pdf" in screen[1]
    assert re.fullmatch(r"审核：完成 12 份，[\d.]+ 份/秒，用时 \d+:\d\d", screen[2])
    assert screen[3].startswith("完成：12 份报告") and "无法读取或审核 1 份" in screen[3]
    assert "broken.pdf" in screen[4] and len(screen) == 5, screen
