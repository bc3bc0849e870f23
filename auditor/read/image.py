"""Reports as images (.png, .jpg, .tif; a multi-page TIFF is one page per frame), read by OCR.

The image is decoded with Pillow under a pixel cap (a small file that decodes to gigapixels is
refused before decoding), then each frame is OCR'd like a scanned PDF page (scan.py).
"""

from __future__ import annotations

import io
import warnings

from auditor.errors import InputError
from auditor.model import SourceText

# A page at 600 dpi on A3 is ~70 Mpx; more is not a page scan, and decoding it costs gigabytes.
MAX_DECODED_PIXELS = 100_000_000


def read_image(path: str, data: bytes) -> SourceText:
    from auditor.read import ocr, scan
    from auditor.read.pdf import _drop_running_lines, to_blocks

    ocr.engine(path)  # the hint to install the engine comes before any work
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns (on stderr) about large images before refusing huge ones; the pixel
            # cap below says it in one line instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_DECODED_PIXELS:
            raise InputError(path, f"图片过大（{image.width}×{image.height} 像素），不像一页扫描件，已拒绝处理")
        frames = getattr(image, "n_frames", 1)
        deadline = ocr.Deadline(path, frames)
        dpi = _dpi(image)
        boxes: list = []
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            deadline.check(number - 1)
            frame.load()
            pages.append(scan.ocr_page(path, frame.convert("RGB"), number, dpi, boxes))
    except InputError:
        raise
    except Image.DecompressionBombError:
        raise InputError(path, "图片过大（像素数超过上限），不像一页扫描件，已拒绝处理") from None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, EOFError, SyntaxError):
        raise InputError(path, "图片文件已损坏或格式无法识别，无法读取") from None
    scan.harmonise_page_numbers(pages)
    _drop_running_lines(pages)
    scan.settle_lone_rows(pages)  # a table's last row alone on the next page
    blocks = to_blocks(pages)
    if not blocks:
        raise InputError(path, "图片里没有识别出文字")
    return SourceText(path=path, format="image", encoding=None, blocks=tuple(blocks),
                      positions="scan", boxes=tuple(boxes))


def _dpi(image) -> float | None:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 50 <= value <= 2400 else None
