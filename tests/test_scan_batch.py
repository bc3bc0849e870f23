"""Scans in a batch (issue 15): a scan's time budget grows with the pages it OCRs, and with
several local workers each runs the OCR on its share of the cores instead of every core.

No timed asserts: the tests check the configured values, and that a scan whose (fake, slow) OCR
takes longer than the base budget completes, where the same work unannounced is stopped.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.batch.budget import Budgets, TaskFailure

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TXT = ROOT / "corpus" / "qingxi-county-2023.txt"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork and the pool's budgets: Linux")


def _failed(item, failure: TaskFailure):
    return f"{failure.kind} {item[0]}: {failure.cause}"


def _threads_task(context, item):
    from auditor.read import ocr

    return ocr.intra_op_threads()


def test_each_worker_of_a_pool_runs_the_ocr_on_its_share_of_the_cores():
    from auditor.batch.pool import Pool

    cores = os.cpu_count() or 1
    several = Pool(2, Budgets(seconds=60, memory=1 << 30))
    assert set(several.map(_threads_task, None, range(4), _failed)) == {max(1, cores // 2)}
    # One worker alone has every core.
    assert list(Pool(1, Budgets(seconds=60, memory=1 << 30)).map(_threads_task, None, [0], _failed)) == [cores]


def test_the_engine_is_made_with_the_configured_threads(monkeypatch):
    """What the worker sets is what ONNX Runtime gets (a fake rapidocr records the params)."""
    import types

    from auditor.read import ocr

    made = {}
    fake = types.ModuleType("rapidocr")
    fake.RapidOCR = lambda params: made.update(params) or object()
    monkeypatch.setitem(sys.modules, "rapidocr", fake)
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setattr(ocr, "threads", 1)
    ocr.engine("x.png")
    assert made["EngineConfig.onnxruntime.intra_op_num_threads"] == 1
    assert made["EngineConfig.onnxruntime.inter_op_num_threads"] == 1


def _slow_scan_task(context, item):
    """A fake scan: `pages` pages of 0.7 s of OCR each, announced (as ocr.Deadline does before a
    scan's OCR) or not."""
    from auditor.read import ocr

    kind, pages = item
    if kind == "announced":
        ocr.Deadline("scan.pdf", pages)
    time.sleep(0.7 * pages)
    return f"ok {kind}"


def test_a_scan_gets_its_pages_allowance_on_top_of_the_base_budget():
    from auditor.batch.pool import Pool

    pool = Pool(2, Budgets(seconds=1, memory=1 << 30, ocr_page_seconds=5))
    outcomes = sorted(pool.map(_slow_scan_task, None, [("announced", 3), ("unannounced", 3)], _failed))
    # 2.1 s of OCR: within 1 s + 3 pages × 5 s when announced; over the base 1 s when not.
    assert outcomes[0] == "ok announced"
    assert outcomes[1].startswith("time unannounced") and "（1 秒）" in outcomes[1]


def test_a_scan_over_its_grown_budget_is_stopped_and_the_message_says_the_budget_it_had():
    from auditor.batch.pool import Pool

    pool = Pool(1, Budgets(seconds=0.5, memory=1 << 30, ocr_page_seconds=0.1))
    [outcome] = pool.map(_slow_scan_task, None, [("announced", 3)], _failed)
    assert outcome.startswith("time announced") and "（0.8 秒）" in outcome


def test_the_default_allowance_is_30_seconds_a_page_and_the_help_says_so():
    from auditor.batch import budget
    from auditor.cli import app

    assert Budgets().ocr_page_seconds == budget.OCR_PAGE_SECONDS == 30
    shown = CliRunner().invoke(app, ["batch", "--help"], terminal_width=200).output
    assert "扫描件每识别一页再加30秒" in "".join(shown.split())


def _blank_pages_pdf(pages: int) -> bytes:
    sys.path.insert(0, str(ROOT / "corpus" / "scans"))
    from make_scans import image_pdf
    from PIL import Image

    return image_pdf([Image.new("RGB", (827, 1170), (255, 255, 255)) for _ in range(pages)], 100)


def test_a_batch_finishes_a_multi_page_scan_whose_ocr_outlasts_the_base_budget(tmp_path, monkeypatch):
    """A 3-page scan whose (fake) OCR takes 0.8 s a page, in a batch of 2 workers with a 1 s
    budget: it is audited, not stopped (the pages' allowance); a text report beside it too."""
    pytest.importorskip("pypdfium2")
    pytest.importorskip("cv2")
    from auditor.read import ocr

    lines = [line for line in SAMPLE_TXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_page = -(-len(lines) // 3)
    calls = []

    def recognize(path, image):  # the sample's text, a third a page, one box a line
        time.sleep(0.8)
        page = len(calls)
        calls.append(page)
        return [ocr.Box(50, 40 + 30 * i, 50 + 12 * len(text), 64 + 30 * i, text, 0.99)
                for i, text in enumerate(lines[page * per_page:(page + 1) * per_page])]

    monkeypatch.setattr(ocr, "engine", lambda path: None)
    monkeypatch.setattr(ocr, "recognize", recognize)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "scan.pdf").write_bytes(_blank_pages_pdf(3))
    (corpus / "qingxi-county-2023.txt").write_bytes(SAMPLE_TXT.read_bytes())
    from auditor.cli import app

    before = os.getcwd()
    os.chdir(tmp_path)
    try:
        done = CliRunner().invoke(app, ["batch", "corpus", "--out", "out", "-j", "2", "--no-corpus",
                                        "--no-pages", "--time-budget", "1"])
    finally:
        os.chdir(before)
    conn = sqlite3.connect(tmp_path / "out" / "auditor.db")
    try:
        rows = dict(((path, (status, error)) for path, status, error in
                     conn.execute("SELECT path, status, error FROM documents")))
    finally:
        conn.close()
    assert rows["corpus/scan.pdf"] == ("ok", None), (rows, done.output)
    assert rows["corpus/qingxi-county-2023.txt"][0] == "ok"


def test_on_a_dask_worker_the_watch_gives_a_scan_its_pages_allowance():
    """Dask runs tasks in threads under budget.Watch: the pages a scan announces extend it, and
    the client's own check (_RUNNING) hears of it through on_grant."""
    from auditor.batch import budget
    from auditor.read import ocr

    granted = []
    watch = budget.Watch(Budgets(seconds=0.5, memory=1 << 40, ocr_page_seconds=3), on_grant=granted.append)
    with watch:
        ocr.Deadline("scan.pdf", 2)
        time.sleep(1.0)
    assert watch.failure is None and granted == [6]
    unannounced = budget.Watch(Budgets(seconds=0.5, memory=1 << 40, ocr_page_seconds=3))
    with unannounced:
        time.sleep(1.0)
    assert unannounced.failure is not None and unannounced.failure.kind == "time"
