"""Synthetic people and pictures for the replica's UI tests: made-up names, ID numbers with a
valid GB 11643 check digit, pictures drawn with Pillow at test time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import ric, uscc

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@dataclass(frozen=True)
class Person:
    """Someone who registers on the replica."""

    name: str
    id_number: str
    mobile: str
    password: str = "Qa#Replica2025"
    id_type: str = "内地居民身份证"

    @property
    def masked_id(self) -> str:
        """As the site shows it: first 3, five stars, last 4."""
        return f"{self.id_number[:3]}*****{self.id_number[-4:]}"

    @property
    def masked_name(self) -> str:
        """As the site shows it: the first character, a star for each of the others."""
        return self.name[0] + "*" * (len(self.name) - 1)


def id_number(region: str, birth: str, sequence: int, *, male: bool) -> str:
    """An 18-character mainland ID number with a correct check digit (sex in the 17th digit)."""
    seq = sequence * 10 + (1 if male else 2) % 10
    body = f"{region}{birth}{seq:03d}"[:17]
    return body + ric.calc_check_digit(body + "0")  # the argument includes a check position


def credit_code(body: str) -> str:
    """An 18-character 统一社会信用代码 from its first 17 characters (GB 32100 check character)."""
    return body + uscc.calc_check_digit(body)


def person(seed: int) -> Person:
    """A made-up person; `seed` keeps ID numbers and mobiles apart between tests."""
    surnames = "赵钱孙李周吴郑王"
    given = ("测试", "样例", "演示", "仿真")
    return Person(
        name=surnames[seed % len(surnames)] + given[seed % len(given)],
        id_number=id_number("530102", f"199{seed % 10}0307", 10 + seed, male=seed % 2 == 0),
        mobile=f"139{seed:04d}{(seed * 7919) % 10000:04d}",
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default()


def _grain(image: Image.Image, rng: random.Random, amount: int) -> None:
    """Sprinkle small dots so JPEG/PNG files have a realistic size."""
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for _ in range(amount):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randrange(150, 250)
        draw.point((x, y), fill=(shade, shade, rng.randrange(150, 250)))


def draw_photo(path: Path, seed: int = 1) -> Path:
    """A standard ID photo: white background, 295×413 px, JPEG ≥ 10 KB."""
    rng = random.Random(seed)
    image = Image.new("RGB", (295, 413), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((85, 80, 210, 240), fill=(232, 200, 170))
    draw.ellipse((85, 60, 210, 150), fill=(40, 30, 30))
    draw.polygon([(40, 413), (70, 300), (147, 270), (224, 300), (255, 413)], fill=(30, 50, 90))
    _grain(image, rng, 9000)
    image.save(path, "JPEG", quality=92)
    return path


def draw_document(path: Path, title: str, *, seed: int = 2, size: tuple[int, int] = (640, 420)) -> Path:
    """A proof picture (card or certificate) with its title written on it; > 20 KB and ≤ 500 KB."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (246, 243, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, size[0] - 12, size[1] - 12), outline=(170, 40, 40), width=4)
    draw.text((40, 40), title, fill=(20, 20, 20), font=_font(36))
    for row in range(6):
        y = 120 + row * 42
        draw.line((40, y, size[0] - 40, y), fill=(160, 160, 160), width=2)
    _grain(image, rng, size[0] * size[1] // 4)
    fmt = "PNG" if path.suffix.lower() == ".png" else "JPEG"
    image.save(path, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return path


def draw_tiny(path: Path) -> Path:
    """A picture far below the 20 KB attachment minimum."""
    Image.new("RGB", (60, 40), (200, 200, 200)).save(path, "JPEG", quality=80)
    return path


def compact_png(path: Path) -> None:
    """Rewrite a screenshot with a 256-colour palette (text stays crisp; the file shrinks ~3×)."""
    with Image.open(path) as shot:
        palette = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
