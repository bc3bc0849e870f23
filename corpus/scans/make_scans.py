"""Make scanned copies of PDF reports, for OCR tests and bench/ocr_accuracy.py.

    python corpus/scans/make_scans.py OUT_DIR [PDF ...]

Without PDFs: the project's sample PDFs (corpus/*.pdf) and ../shared/corpus/real/pdf/*.pdf. For
each report NAME.pdf, OUT_DIR gets:

- NAME.scan.pdf    every page an image only (no text layer), as a scanner makes it;
- NAME.p1.jpg …    the pages as images (JPEG; the first source also as NAME.tif, all pages);
- NAME.stamped.pdf the text pages of the original with the last page replaced by its scan
                   (a signed and stamped last page), when the report has 2 pages or more;
- NAME.heavy.pdf   every page an image, degraded until the OCR misreads some figures (below);
- NAME.unruled.pdf every page an image with the table rules erased (many reports print their
                   tables without borders), otherwise degraded as NAME.scan.pdf;
- NAME.truth.pdf   a copy of the original: its text layer is the truth the bench compares with.

Every page is rendered at 150–300 dpi, tilted by up to ±2°, given sensor noise and specks, JPEG
compressed (quality 60–85) and, on the last page, stamped with a red round seal over the text.
The heavy scan is what a poor office copier or a fax gives: 100–120 dpi, blurred, strokes broken
(ink pixels lost), noisier, JPEG quality 30–45, a fold across every page (a grey crease with
its shadow) and the seal on the last page. It is there to make the OCR misread
digits for real, so that the identity checks' misread flag (checks/scanned.py) is measured on
misreads of the image, not on edited OCR output.
The choices are drawn from a generator seeded by the file name: the same input gives the same
scans. Nothing made here is committed (OUT_DIR is wherever you say).
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Degradation:
    dpi: int = 200
    skew: float = 0.0  # degrees, counter-clockwise
    noise: float = 0.0  # standard deviation of the grey noise (0–255)
    specks: int = 0  # dark dots per page
    jpeg_quality: int | None = None
    seal: bool = False
    blur: float = 0.0  # Gaussian blur radius, pixels (a soft lens, toner spread)
    broken: float = 0.0  # share of ink pixels lost (worn toner: strokes broken)
    fold: bool = False  # a crease across the page: a grey line and its shadow

    @classmethod
    def drawn(cls, rng: random.Random, last_page: bool) -> Degradation:
        return cls(dpi=rng.choice((150, 200, 250, 300)), skew=round(rng.uniform(-2, 2), 2),
                   noise=rng.uniform(3, 10), specks=rng.randint(50, 300),
                   jpeg_quality=rng.randint(60, 85), seal=last_page)

    @classmethod
    def heavy(cls, rng: random.Random) -> Degradation:
        """A poor copy: low resolution, soft, broken strokes, heavy JPEG, a fold."""
        return cls(dpi=rng.choice((100, 110, 120)), skew=round(rng.uniform(-1.5, 1.5), 2),
                   noise=rng.uniform(8, 14), specks=rng.randint(100, 300), jpeg_quality=rng.randint(30, 45),
                   blur=rng.uniform(0.4, 0.8), broken=rng.uniform(0.03, 0.10), fold=True)


def render_pages(pdf: bytes, dpi: int) -> list:
    """The PDF's pages as PIL RGB images at `dpi`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def degrade(image, d: Degradation, rng: random.Random):
    """The page image as a scanner or a phone gives it back."""
    import numpy as np
    from PIL import Image

    if d.seal:
        image = stamp(image, rng)
    if d.blur:
        from PIL import ImageFilter

        image = image.filter(ImageFilter.GaussianBlur(d.blur))
    if d.broken:
        # Ink lost at random, stroke pixels only (the paper stays white): a worn toner.
        ink = np.asarray(image.convert("L")) < 160
        lost = ink & (np.random.default_rng(rng.randrange(1 << 30)).random(ink.shape) < d.broken)
        pixels = np.asarray(image).copy()
        pixels[lost] = 255
        image = Image.fromarray(pixels)
    if d.fold:
        image = fold(image, rng)
    if d.skew:
        image = image.rotate(d.skew, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    pixels = np.asarray(image).astype(np.float32)
    if d.noise:
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, d.noise, pixels.shape[:2])
        pixels += noise[:, :, None]
    height, width = pixels.shape[:2]
    for _ in range(d.specks):
        y, x = rng.randrange(height), rng.randrange(width)
        r = rng.choice((1, 1, 2))
        pixels[max(0, y - r):y + r, max(0, x - r):x + r] = rng.uniform(0, 120)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if d.jpeg_quality:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=d.jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def erase_rules(image):
    """The page without its table rules: long thin dark strokes, horizontal or vertical, painted
    white (text strokes are short, so the characters stay)."""
    import cv2
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image).copy()
    dark = (np.asarray(image.convert("L")) < 160).astype(np.uint8)
    height, width = dark.shape
    horizontal = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, max(20, width // 25)), np.uint8))
    vertical = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((max(20, height // 40), 1), np.uint8))
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8)) > 0
    pixels[rules] = 255
    return Image.fromarray(pixels)


def fold(image, rng: random.Random):
    """A crease across the page at a random height: a dark grey line with a soft shadow below it
    (a page folded for an envelope, then scanned), crossing whatever cells lie there."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image).astype(np.float32)
    height, width = pixels.shape[:2]
    y = int(height * rng.uniform(0.3, 0.7))
    slope = rng.uniform(-0.01, 0.01)
    shade = np.ones((height, width), np.float32)
    rows = np.arange(height, dtype=np.float32)[:, None] - (y + slope * np.arange(width, dtype=np.float32)[None, :])
    shade -= 0.45 * (np.abs(rows) < 1.5)  # the crease itself
    shade -= 0.18 * np.exp(-np.clip(rows, 0, None) / 6) * (rows >= 1.5)  # its shadow
    return Image.fromarray(np.clip(pixels * shade[:, :, None], 0, 255).astype(np.uint8))


def stamp(image, rng: random.Random):
    """A red round seal (ring, star, inner ring) multiplied over the lowest text of the page."""
    import numpy as np
    from PIL import Image, ImageDraw

    gray = np.asarray(image.convert("L"))
    width, height = image.size
    # The last text above the footer (a page number is no place for a seal).
    rows = np.nonzero((gray[:int(height * 0.88)] < 128).sum(axis=1) > 3)[0]
    radius = int(min(width, height) * 0.1)
    cy = int(rows[-1]) if len(rows) else height // 2
    cy = min(max(cy, radius), height - radius - 1)
    cx = int(width * rng.uniform(0.55, 0.7))
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    ring = max(3, radius // 14)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(220, 30, 40), width=ring)
    draw.ellipse((cx - radius + 3 * ring, cy - radius + 3 * ring, cx + radius - 3 * ring, cy + radius - 3 * ring),
                 outline=(225, 60, 60), width=max(1, ring // 3))
    star = []
    for k in range(10):
        r = radius * (0.28 if k % 2 == 0 else 0.11)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(star, fill=(220, 30, 40))
    # Ink on ink: the darker of paper+text and seal, channel by channel.
    return Image.fromarray(np.minimum(np.asarray(image), np.asarray(layer)))


def image_pdf(images: list, dpi: int) -> bytes:
    """A PDF whose pages are only these images (JPEG inside, as scanners write)."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=85)
    return buffer.getvalue()


def scan(pdf: bytes, name: str, degradation: Degradation | None = None) -> tuple[list, int]:
    """The pages of `pdf` as degraded images, and the dpi. The degradation is drawn from `name`
    unless given (then the seal goes on the last page only if the given one says so)."""
    rng = random.Random(name)
    first = degradation or Degradation.drawn(rng, last_page=False)
    pages = render_pages(pdf, first.dpi)
    images = []
    for number, page in enumerate(pages, start=1):
        last = number == len(pages)
        d = degradation or Degradation.drawn(rng, last_page=last)
        d = dataclasses.replace(d, dpi=first.dpi, seal=d.seal if degradation else last)
        images.append(degrade(page, d, rng))
    return images, first.dpi


def unruled_scan(pdf: bytes, name: str) -> tuple[list, int]:
    """The pages of `pdf` with their table rules erased, then degraded as a scan (drawn from
    `name`, as scan() does, without the seal), and the dpi."""
    rng = random.Random(f"{name}:unruled")
    first = Degradation.drawn(rng, last_page=False)
    pages = render_pages(pdf, first.dpi)
    return [degrade(erase_rules(page), dataclasses.replace(Degradation.drawn(rng, last_page=False), dpi=first.dpi),
                    rng) for page in pages], first.dpi


def heavy_scan(pdf: bytes, name: str) -> tuple[list, int]:
    """The pages of `pdf` as a poor copy (Degradation.heavy, the seal on the last page), and the
    dpi."""
    rng = random.Random(f"{name}:heavy")
    first = Degradation.heavy(rng)
    pages = render_pages(pdf, first.dpi)
    return [degrade(page, dataclasses.replace(Degradation.heavy(rng), dpi=first.dpi, seal=n == len(pages) - 1),
                    rng) for n, page in enumerate(pages)], first.dpi


def stamped(pdf: bytes, last_scan: bytes) -> bytes:
    """The original's pages but the last, then the scanned last page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    original = PdfReader(io.BytesIO(pdf))
    for page in original.pages[:-1]:
        writer.add_page(page)
    writer.add_page(PdfReader(io.BytesIO(last_scan)).pages[-1])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make(source: Path, out: Path, tiff: bool = False) -> list[Path]:
    pdf = source.read_bytes()
    name = source.stem if source.parent.name != "pdf" else f"real-{source.stem}"
    images, dpi = scan(pdf, name)
    made = []
    target = out / f"{name}.scan.pdf"
    target.write_bytes(image_pdf(images, dpi))
    made.append(target)
    for number, image in enumerate(images, start=1):
        target = out / f"{name}.p{number}.jpg"
        image.save(target, "JPEG", quality=90, dpi=(dpi, dpi))
        made.append(target)
    if tiff:
        target = out / f"{name}.tif"
        # Fresh images: the decoded JPEGs carry their quality, which TIFF's deflate refuses.
        frames = [image.copy() for image in images]
        for frame in frames:
            frame.info.clear()
        frames[0].save(target, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate",
                       dpi=(dpi, dpi))
        made.append(target)
    if len(images) >= 2:
        target = out / f"{name}.stamped.pdf"
        target.write_bytes(stamped(pdf, image_pdf(images[-1:], dpi)))
        made.append(target)
    unruled, unruled_dpi = unruled_scan(pdf, name)
    target = out / f"{name}.unruled.pdf"
    target.write_bytes(image_pdf(unruled, unruled_dpi))
    made.append(target)
    heavy, heavy_dpi = heavy_scan(pdf, name)
    target = out / f"{name}.heavy.pdf"
    target.write_bytes(image_pdf(heavy, heavy_dpi))
    made.append(target)
    shutil.copyfile(source, out / f"{name}.truth.pdf")
    return made


def default_sources() -> list[Path]:
    return sorted(ROOT.glob("corpus/*.pdf")) + sorted((ROOT.parent / "shared/corpus/real/pdf").glob("*.pdf"))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    sources = [Path(a) for a in argv[1:]] or default_sources()
    for n, source in enumerate(sources):
        made = make(source, out, tiff=n == 0)
        print(f"{source} -> {len(made)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
