"""Measures of a photo's content: is the background white, does it carry real detail.

These only ever produce warnings. Their thresholds are the tool's judgement (tuned on drawn and real
photographs, see tests/unit/test_images_heuristics.py), not site rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from autofill.images.read import GREY_MODES

if TYPE_CHECKING:
    from PIL import Image

# Background: the strips sampled (fractions of the picture) and what counts as near-white.
_TOP_STRIP = 0.04
_SIDE_STRIP = 0.04
_SIDE_DEPTH = 0.6  # the sides are sampled down to here: below are the shoulders
_WHITE_MIN_CHANNEL = 205  # every channel at least this bright …
_WHITE_MAX_CHROMA = 32  # … and channels this close together (not a pale blue or pink)
WHITE_FRACTION = 0.8  # this share of the sampled border must be near-white
_BRIGHT_LUT = [255 if v >= _WHITE_MIN_CHANNEL else 0 for v in range(256)]
_NEUTRAL_LUT = [255 if v <= _WHITE_MAX_CHROMA else 0 for v in range(256)]

# Detail: see detail_score.
UPSCALED_SCORE = 0.45
_DETAIL_WINDOW = 768  # the score is measured on a centred window of at most this many pixels a side
_BLANK_LEVEL = 0.15  # mean grey-level change below this at every scale: nothing is there

# Greyscale: no pixel's channels differ by more than this many levels.
_GREY_SPREAD = 10


@dataclass(frozen=True)
class Background:
    """How white the border of a picture is."""

    white_fraction: float
    mean_rgb: tuple[int, int, int]

    @property
    def is_white(self) -> bool:
        return self.white_fraction >= WHITE_FRACTION


def background(im: Image.Image) -> Background:
    """Sample the top strip and the upper part of the side strips of an upright picture."""
    from PIL import ImageChops, ImageStat

    rgb = im if im.mode == "RGB" else im.convert("RGB")
    factor = max(1, min(rgb.size) // 160)
    small = rgb.reduce(factor) if factor > 1 else rgb
    w, h = small.size
    top = max(1, round(h * _TOP_STRIP))
    side = max(1, round(w * _SIDE_STRIP))
    depth = max(top + 1, round(h * _SIDE_DEPTH))
    boxes = [(0, 0, w, top), (0, top, side, depth), (w - side, top, w, depth)]
    white = total = 0.0
    sums = [0.0, 0.0, 0.0]
    for box in boxes:
        strip = small.crop(box)
        r, g, b = strip.split()
        low = ImageChops.darker(ImageChops.darker(r, g), b)
        high = ImageChops.lighter(ImageChops.lighter(r, g), b)
        bright = low.point(_BRIGHT_LUT)
        grey = ImageChops.subtract(high, low).point(_NEUTRAL_LUT)
        count = strip.width * strip.height
        white += ImageStat.Stat(ImageChops.multiply(bright, grey)).mean[0] / 255 * count
        for i, mean in enumerate(ImageStat.Stat(strip).mean):
            sums[i] += mean * count
        total += count
    if total == 0:
        return Background(1.0, (255, 255, 255))
    mean_rgb = (round(sums[0] / total), round(sums[1] / total), round(sums[2] / total))
    return Background(white / total, mean_rgb)


@dataclass(frozen=True)
class Detail:
    """Fine detail relative to coarser detail (see detail_score)."""

    score: float
    blank: bool

    @property
    def looks_upscaled(self) -> bool:
        return not self.blank and self.score < UPSCALED_SCORE


def detail_score(im: Image.Image) -> Detail:
    """How much detail a picture carries for its pixel count.

    `f1`, `f2`, `f3` are the mean grey-level detail lost by halving (2×2 box) and restoring (bilinear)
    the picture at full, half and quarter scale: the content of the top octave of each. A picture that
    was enlarged from a smaller one has almost nothing in its top octave (f1 small) while the octaves
    below are intact, so the score f1²·f3/f2³ falls; natural and natively drawn pictures are roughly
    self-similar across octaves and score well above the threshold. Blurred pictures score low too,
    which is also a reason reviewers reject photos. Measured on a centred window (the face) of at most
    768×768 pixels.
    """
    w, h = im.size
    cw, ch = min(w, _DETAIL_WINDOW), min(h, _DETAIL_WINDOW)
    cw, ch = cw - cw % 8, ch - ch % 8
    if cw < 64 or ch < 64:
        return Detail(score=1.0, blank=False)
    left, top = (w - cw) // 2, (h - ch) // 2
    g1 = im.crop((left, top, left + cw, top + ch)).convert("L")
    g2 = g1.reduce(2)
    g3 = g2.reduce(2)
    f1, f2, f3 = _octave(g1), _octave(g2), _octave(g3)
    if max(f1, f2, f3) < _BLANK_LEVEL:
        return Detail(score=0.0, blank=True)
    score = f1 * f1 * f3 / max(f2, 1e-3) ** 3
    return Detail(score=round(score, 3), blank=False)


def _octave(grey: Image.Image) -> float:
    """Mean absolute grey-level difference between a picture and its half-size-and-back copy."""
    from PIL import Image, ImageChops, ImageStat

    back = grey.reduce(2).resize(grey.size, Image.Resampling.BILINEAR)
    return float(ImageStat.Stat(ImageChops.difference(grey, back)).mean[0])


def is_greyscale(im: Image.Image) -> bool:
    """True when the picture has no colour at all (every pixel's channels within a few levels)."""
    from PIL import ImageChops

    if im.mode in GREY_MODES:
        return True
    if im.mode == "P":  # the same test on the palette entries in use, without making RGB pixels
        palette, used = im.getpalette("RGB"), im.getcolors(256)
        if palette is not None and used is not None:
            entries = [palette[3 * i : 3 * i + 3] for _, i in used if isinstance(i, int)]
            return all(abs(r - g) <= _GREY_SPREAD and abs(g - b) <= _GREY_SPREAD for r, g, b in entries)
    rgb = im if im.mode == "RGB" else im.convert("RGB")
    factor = max(1, min(rgb.size) // 256)  # a reduced copy shows colour just as well
    small = rgb.reduce(factor) if factor > 1 else rgb
    r, g, b = small.split()
    for one, other in ((r, g), (g, b)):
        high = ImageChops.difference(one, other).getextrema()[1]
        if not isinstance(high, int | float) or high > _GREY_SPREAD:
            return False
    return True
