"""A box read from a scan is a box on the page image as given, not on the straightened image the
OCR read (auditor/read/scan.py: on_page_image undoes scan_layout.deskew's rotation and
ocr.fit's scale): on a page scanned 2° askew the two differ by tens of pixels, and a reviewer
looks at the scan itself."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "corpus" / "scans"))
from make_scans import Degradation, degrade, render_pages  # noqa: E402

from auditor.read import ocr, read_file  # noqa: E402
from auditor.read.scan import on_page_image  # noqa: E402

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed (pip install '.[ocr]')")


def _ink_box(image) -> tuple[int, int, int, int]:
    import numpy as np

    ys, xs = np.nonzero(np.asarray(image.convert("L")) < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("angle", [2.0, -2.0, 0.7])
@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_a_box_on_the_straightened_image_is_taken_back_to_the_page_as_given(angle, scale):
    """A mark near a corner of a page askew by `angle`: straightened (as deskew turns it, after
    fit scaled it), its box taken back lands on the mark of the page as given."""
    from PIL import Image, ImageDraw

    given = Image.new("RGB", (1000, 1400), (255, 255, 255))
    ImageDraw.Draw(given).rectangle((850, 100, 870, 120), fill=(0, 0, 0))
    fitted = given.resize((int(1000 * scale), int(1400 * scale)), Image.NEAREST)
    straightened = fitted.rotate(angle, resample=Image.NEAREST, expand=False, fillcolor=(255, 255, 255))
    read = _ink_box(straightened)
    back = on_page_image(read, angle, straightened.size, scale, given.size)
    assert all(abs(a - b) <= 2 / scale for a, b in zip(back, (850, 100, 871, 121))), back
    # Without taking it back, the box is off by about 10 pixels a degree there.
    assert max(abs(a / scale - b) for a, b in zip(read, (850, 100, 871, 121))) > 5 * abs(angle)


def test_a_box_without_rotation_or_scale_is_itself_within_the_page():
    assert on_page_image((10.4, 20.6, 30.0, 40.0), 0.0, (100, 100), 1.0, (100, 100)) == (10, 21, 30, 40)
    assert on_page_image((-3.0, 5.0, 120.0, 50.0), 0.0, (100, 100), 1.0, (100, 100)) == (0, 5, 100, 50)


@needs_ocr
def test_the_boxes_of_a_page_scanned_two_degrees_askew_are_where_its_text_is_on_that_page(tmp_path):
    """Page 2 of the sample (tables 三 and 四) scanned straight and 2° askew, both read by OCR:
    each line of text read on both is, on the askew page, where turning the straight page's
    box by 2° puts it (within a few pixels), though many lie tens of pixels from their place
    on the straight page."""
    import math

    page = render_pages((ROOT / "corpus" / "yunling-eco-2023.pdf").read_bytes(), 150)[1]
    straight, askew = tmp_path / "straight.png", tmp_path / "askew.png"
    degrade(page, Degradation(dpi=150, noise=2), random.Random("s")).save(straight, dpi=(150, 150))
    angle = 2.0
    degrade(page, Degradation(dpi=150, skew=angle, noise=2), random.Random("s")).save(askew, dpi=(150, 150))
    boxes = {}
    for name, path in (("straight", straight), ("askew", askew)):
        read = read_file(str(path)).boxes
        texts = [b.text for b in read]
        # Lines of text read once on the page, long enough to be the same line on both.
        boxes[name] = {b.text: b.bbox for b in read if len(b.text) >= 6 and texts.count(b.text) == 1}
    common = sorted(set(boxes["straight"]) & set(boxes["askew"]))
    assert len(common) >= 5, common
    width, height = page.size
    cx, cy = width / 2, height / 2
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    moved = []
    for text in common:
        x0, y0, x1, y1 = boxes["straight"][text]
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        # PIL turns the page counter-clockwise about its centre (make_scans.degrade).
        want = (cx + (mx - cx) * c + (my - cy) * s, cy - (mx - cx) * s + (my - cy) * c)
        a0, b0, a1, b1 = boxes["askew"][text]
        got = ((a0 + a1) / 2, (b0 + b1) / 2)
        assert math.dist(got, want) < 6, (text, got, want)
        moved.append(math.dist(got, (mx, my)))
    assert max(moved) > 20
