"""Word 97–2003 (.doc) and WPS (.wps) reports: converted to .docx by LibreOffice, read as .docx.

No well-kept pure-Python reader of the Word binary format reads tables (antiword and the like give
text only, and the three statistical tables must come out as rows and cells), so LibreOffice
headless (Debian: libreoffice-writer-nogui) converts the file to .docx and the .docx reader does the
rest: merged cells, document order and the caps on what a zip unpacks to are the same as for a
.docx. A .wps written by Kingsoft WPS 2005 or later is a Word 97 compound file under another name
(its text is in a "WordDocument" stream, as Word's is) and goes through the Word 97 filter; a
Microsoft Works .wps is a compound file of another kind (its text in "CONTENTS", or "MN0" for
Works 4), recognised by its stream names, and goes through LibreOffice's Works filter (libwps).
The filter is always named: left to guess, LibreOffice reads a broken compound file as plain text.

The converter is untrusted work on untrusted input, so it runs
- in a child process group with a wall-clock timeout (killed as a group: soffice forks), under
  coreutils `timeout`, which the kernel sends SIGTERM when the process that started it dies (a
  batch worker killed over its time budget) and which then ends the whole group;
- with a private, throw-away profile (-env:UserInstallation) in a private temporary directory, so
  that concurrent conversions (a batch's workers) never share or lock a profile, and HOME there;
- without network where the system allows it (a new network namespace via `unshare -rn`), and
  with updating of linked content switched off in the profile in any case;
- with a cap on the size of every file it writes (RLIMIT_FSIZE) and on its CPU seconds; the .docx
  it writes is read only up to the .docx size cap.
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from auditor.errors import InputError
from auditor.model import SourceText
from auditor.read.files import FileTooLarge, read_regular_file

CONVERT_TIMEOUT = 60  # seconds; a real report converts in 2–5 s
MAX_OUTPUT_BYTES = 32 << 20  # the .docx size cap (read/__init__.py MAX_BYTES["docx"])
MAX_WRITTEN_BYTES = 64 << 20  # any one file the converter writes (profile, temporary files, output)
MAX_CPU_SECONDS = 120
# Address space of the converter (LibreOffice converts a report within 1 GB). Its own limit, not
# the batch worker's memory budget that it would otherwise inherit: a small budget must not
# turn into "the file is broken".
CONVERTER_MEMORY = 2 << 30

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Word 97–2003, WPS 2005+, Works
RTF_MAGIC = b"{\\rtf"  # many sites serve RTF under a .doc name; LibreOffice reads it the same way
ZIP_MAGIC = b"PK\x03\x04"  # a .docx renamed to .doc
# (and HTML: see _is_html)

INSTALL_HINT = ("读取{kind}文档需要 LibreOffice，但没有找到它：请安装（Debian/Ubuntu：apt-get install "
                "libreoffice-writer-nogui），或把文件另存为 .docx")
KIND = {"doc": "旧版 Word（.doc）", "wps": "WPS 文字（.wps）"}

# The profile's settings: never update links to other files or to the web (Writer's link
# update mode 0 = never), never run macros (security level 3 = very high, macros off).
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def read_legacy_word(path: str, fmt: str, data: bytes) -> SourceText:
    """A .doc or .wps report (fmt "doc" or "wps") as the .docx reader reads its conversion."""
    from auditor.read.docx import read_docx

    if data.startswith(ZIP_MAGIC):
        source = read_docx(path, data)  # already a .docx under an old name: nothing to convert
    elif _is_html(data):
        # Word's "Web page" export and many sites' "download as Word" serve HTML under .doc.
        from auditor.read import MAX_BYTES, _too_large
        from auditor.read.html import read_html

        if len(data) > MAX_BYTES["html"]:  # the web page cap, not the Word one
            raise InputError(path, _too_large(len(data), "html"))
        return read_html(path, data)
    elif data.startswith((OLE_MAGIC, RTF_MAGIC)):
        # The import filter is named: left to guess, LibreOffice reads a broken compound file
        # as plain text and "converts" its garbage.
        in_filter = "Rich Text Format" if data.startswith(RTF_MAGIC) else compound_filter(data)
        source = read_docx(path, convert_to_docx(path, fmt, data, in_filter))
    else:
        raise InputError(path, f"扩展名是 .{fmt}，但内容不是{KIND[fmt]}文档")
    return SourceText(path=source.path, format=fmt, encoding=None, blocks=source.blocks,
                      title=source.title, positions=source.positions, elements=source.elements,
                      notes=source.notes)


# Streams that only a Microsoft Works word-processor file has: "CONTENTS" (Works 5–9, begins
# "CHNKWKS") and "MN0" (Works 4). Word and Kingsoft WPS keep their text in "WordDocument".
WORKS_STREAMS = frozenset({"CONTENTS", "MN0"})
WORKS_FILTER = "MS_Works"  # LibreOffice's filter for Works documents (libwps)
WORD97_FILTER = "MS Word 97"


def compound_filter(data: bytes) -> str:
    """The LibreOffice import filter for a compound file: the Works filter when its streams are a
    Works document's and none is Word's; otherwise the Word 97 filter (Word, Kingsoft WPS, and a
    file whose directory cannot be read, which the Word filter then refuses as broken)."""
    names = compound_stream_names(data)
    if names and "WordDocument" not in names and names & WORKS_STREAMS:
        return WORKS_FILTER
    return WORD97_FILTER


# The directory of a compound file is read no further than this many sectors (a Word or Works
# file has a handful: 4 entries per 512-byte sector).
MAX_DIRECTORY_SECTORS = 256


def compound_stream_names(data: bytes) -> set[str]:
    """The names of the entries in a compound file's directory (MS-CFB): the header gives the
    sector size, the first directory sector and the first 109 sectors of the allocation table,
    which chains the directory's sectors. Empty when the file is not one or its directory lies
    beyond what the header's table covers (a file of more than 7 MB of 512-byte sectors)."""
    if not data.startswith(OLE_MAGIC) or len(data) < 512:
        return set()
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    first_directory = struct.unpack_from("<I", data, 0x30)[0]
    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]

    def sector(n: int) -> bytes:
        return data[(n + 1) * size:(n + 2) * size]

    fat = b"".join(sector(n) for n in fat_sectors)
    names: set[str] = set()
    n, seen = first_directory, 0
    while n < 0xFFFFFFFA and seen < MAX_DIRECTORY_SECTORS:  # 0xFFFFFFFE: end of the chain
        block = sector(n)
        if len(block) < size:
            break
        for offset in range(0, size, 128):
            length = struct.unpack_from("<H", block, offset + 0x40)[0]
            kind = block[offset + 0x42]
            if kind in (1, 2) and 2 <= length <= 64:  # a storage or a stream
                names.add(block[offset:offset + length - 2].decode("utf-16-le", "replace"))
        seen += 1
        if (n + 1) * 4 > len(fat):
            break
        n = struct.unpack_from("<I", fat, n * 4)[0]
    return names


def _is_html(data: bytes) -> bool:
    """HTML under a .doc name: "<html" (in any of the encodings a page may use) near the start."""
    head = data[:4096].lower()
    return any(tag in head for tag in (b"<html", "<html".encode("utf-16-le"), "<html".encode("utf-16-be")))


@functools.cache
def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def _network_isolation() -> tuple[str, ...]:
    """`unshare -rn` when this system lets an ordinary process make a network namespace."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        probe = subprocess.run([unshare, "-rn", "true"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (unshare, "-rn") if probe.returncode == 0 else ()


@functools.cache
def _timeout_program() -> str | None:
    return shutil.which("timeout")


def _watchdog() -> tuple[str, ...]:
    """coreutils `timeout` around the converter, so that the conversion ends with the process that
    started it (see _limit_child); its own limit is only a backstop behind CONVERT_TIMEOUT."""
    program = _timeout_program()
    return (program, "-k", "5", str(CONVERT_TIMEOUT + 5)) if program else ()


def convert_to_docx(path: str, fmt: str, data: bytes, in_filter: str) -> bytes:
    """The .docx LibreOffice writes from the bytes of a .doc/.wps; InputError when it cannot."""
    program = soffice()
    if program is None:
        raise InputError(path, INSTALL_HINT.format(kind=KIND[fmt]))
    with tempfile.TemporaryDirectory(prefix="auditor-office-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        # A fixed name: the user's file name may hold anything, the converter sees only this.
        source = work_dir / f"report.{fmt}"
        source.write_bytes(data)
        out_dir = work_dir / "out"
        command = [*_watchdog(), *_network_isolation(), program, f"-env:UserInstallation={profile.as_uri()}",
                   "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
                   "--nologo", f"--infilter={in_filter}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir),
                   str(source)]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TMPDIR": work,
               "LANG": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
        _run(path, command, env, work)
        try:
            return read_regular_file(str(out_dir / "report.docx"), MAX_OUTPUT_BYTES)
        except FileTooLarge:
            raise InputError(path, f"转换成的 .docx 超过 {MAX_OUTPUT_BYTES >> 20} MB，"
                                   "不像一份年度报告，已拒绝处理") from None
        except InputError:
            # No output: LibreOffice says nothing useful on stdout (and exits 0) for a file it
            # could not load.
            raise InputError(path, f"{KIND[fmt]}文档已损坏、已加密或无法识别，LibreOffice 无法转换") from None


def _run(path: str, command: list[str], env: dict[str, str], cwd: str) -> None:
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, cwd=cwd,
                                   start_new_session=True, preexec_fn=_limit_child)
    except OSError:
        raise InputError(path, "无法启动 LibreOffice（soffice）进行格式转换") from None
    try:
        process.wait(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise InputError(path, f"LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒仍未完成，"
                               "文件可能已损坏，已放弃") from None
    finally:
        # soffice.bin may outlive the launcher it was forked from; nothing of the group stays.
        _kill_group(process)


def _limit_child() -> None:
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_WRITTEN_BYTES, MAX_WRITTEN_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_CPU_SECONDS, MAX_CPU_SECONDS))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    memory = CONVERTER_MEMORY if hard == resource.RLIM_INFINITY else min(CONVERTER_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    if sys.platform == "linux":
        # When the process that started the conversion dies, the kernel sends the child (the
        # `timeout` watchdog) SIGTERM; timeout passes it on to the whole conversion group.
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _kill_group(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
