"""A red round seal (公章) over the text of a scanned page, taken off before OCR.

A report's last page is signed with the body's seal, stamped over the body's name and the date.
The ring's arcs cross the characters under it and the recogniser reads them wrong or not at all
("云岭市" as "云蛤市", "2024年" as "024年"). Seal ink is red and the text's is black: where both
lie on a pixel the darker wins (ink on ink), so painting the seal's pixels as paper leaves the
characters whole.

Finding the seal: its strongly red pixels (R above G and B by RED_MARGIN) that form a ring — a
component of them about as tall as wide, of a seal's size, hollow — give its disk. Inside the
disk, every pixel of a red hue is seal ink, however faint: a poor copy's JPEG halves the colour
resolution and blurs a thin stroke to pink or grey-pink (a hue band at low saturation), which a
fixed red threshold misses and the recogniser then reads as strokes. Each such pixel becomes
the grey of its red channel, scaled so the seal's own ink is the paper's; a pixel much darker
than the seal's ink is a character's black under it and keeps its grey. Red outside a ring — a red-headed
document's title (红头), a red underline — is left as printed.
"""

from __future__ import annotations

# Seal ink: this much redder than green and blue (0–255). Lower than scan_layout.RED_MARGIN: a
# seal a copy has drained of colour is still this red, and the ring shape keeps red text out.
RED_MARGIN = 15
# Faint seal ink inside a found seal's disk: red above green and blue by this much.
FAINT_MARGIN = 5
# Under the seal, a pixel this much darker than the seal's own ink (its share) is a character's.
TEXT_UNDER = 0.6
# A seal's diameter as a share of the page's short side (a 4–5 cm seal on A4 is ~0.2).
SEAL_SIZE = (0.08, 0.45)
# A ring is hollow: its strong pixels cover at most this share of its bounding box (a seal's
# star fills a little of it; a block of red text fills much more).
RING_FILL = 0.45


def without_seal(image):
    """The page image (PIL RGB) with each red ring seal's ink painted as paper; the image itself
    when it has none."""
    import cv2
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image)
    pixels = rgb.astype(np.int16)
    redness = pixels[:, :, 0] - np.maximum(pixels[:, :, 1], pixels[:, :, 2])
    strong = (redness > RED_MARGIN).astype(np.uint8)
    if strong.sum() < 100:
        return image
    short = min(image.width, image.height)
    # Join a ring broken by JPEG and worn ink into one component.
    joined = cv2.dilate(strong, np.ones((9, 9), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = None
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if not (SEAL_SIZE[0] * short <= max(w, h) <= SEAL_SIZE[1] * short) or not 0.75 <= w / h <= 1.33:
            continue
        if strong[y:y + h, x:x + w].mean() > RING_FILL:
            continue
        # The component's box is the ring's grown by the dilation: as much again as JPEG bleeds.
        cx, cy, radius = x + w / 2, y + h / 2, max(w, h) / 2
        yy, xx = np.ogrid[:rgb.shape[0], :rgb.shape[1]]
        disk = (xx - cx) ** 2 + (yy - cy) ** 2 <= radius ** 2
        seal = disk & (redness > FAINT_MARGIN)
        if out is None:
            out = rgb.copy()
        # Seen through a red filter the seal's ink is light and a character's black under it
        # dark (where both lie on one pixel the darker wins): the red channel, scaled so the
        # seal's own ink becomes the paper, is the page without the seal. But JPEG halves the
        # colour's resolution and smears the seal's red over the black strokes it crosses,
        # lifting their red channel too; their luminance, kept at full resolution, stays dark:
        # a pixel clearly darker than the seal's ink there (TEXT_UNDER of it) keeps its grey.
        red = pixels[:, :, 0].astype(np.float32)
        luminance = np.asarray(image.convert("L")).astype(np.float32)
        core = disk & (strong > 0)
        paper = float(np.percentile(pixels[disk].max(axis=1), 90))
        # The seal's ink where it lies full (a stroke's core; its edges blur into the paper).
        ink_red = float(np.percentile(red[core], 50))
        ink_luminance = float(np.percentile(luminance[core], 25))
        grey = np.clip(red[seal] * (paper / max(ink_red, 1.0)), 0, paper)
        text = luminance[seal] < TEXT_UNDER * ink_luminance
        grey[text] = luminance[seal][text]
        out[seal] = grey.astype(np.uint8)[:, None]
    return image if out is None else Image.fromarray(out)
