"""Draw the example profiles' pictures: synthetic, deterministic, meeting the upload rules.

Run `python profiles/examples/draw_files.py` to redraw `profiles/examples/files/`. Nothing here is
a real person or a real document: shapes, noise and the word 样例 (sample).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parent / "files"
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONT_FILES:
        if Path(name).is_file():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def _noise(img: Image.Image, rng: random.Random, amount: int) -> Image.Image:
    """Paper grain / skin texture: small random dots, so the picture carries real detail."""
    draw = ImageDraw.Draw(img)
    w, h = img.size
    for _ in range(w * h // 12):
        x, y = rng.randrange(w), rng.randrange(h)
        r, g, b = img.getpixel((x, y))  # type: ignore[misc]
        d = rng.randint(-amount, amount)
        draw.point((x, y), fill=(max(0, min(255, r + d)), max(0, min(255, g + d)), max(0, min(255, b + d))))
    return img


def photo(path: Path, rng: random.Random) -> None:
    """A 413×579 white-background head-and-shoulders silhouette (standard photo proportions)."""
    w, h = 413, 579
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.ellipse((40, 400, w - 40, h + 260), fill=(38, 52, 92))  # shoulders
    d.rectangle((175, 330, 238, 420), fill=(226, 190, 160))  # neck
    d.ellipse((120, 110, 293, 350), fill=(232, 196, 166))  # face
    d.ellipse((112, 80, 301, 200), fill=(30, 26, 24))  # hair
    for x in (165, 238):
        d.ellipse((x, 215, x + 16, 227), fill=(40, 30, 30))
    d.arc((175, 270, 238, 305), 20, 160, fill=(150, 70, 70), width=3)
    face = _noise(img.crop((40, 80, w - 40, h)), rng, 14)
    img.paste(face, (40, 80))
    img = img.filter(ImageFilter.SMOOTH)
    img.save(path, "JPEG", quality=92)


def document(path: Path, rng: random.Random, title: str, lines: list[str], fmt: str = "JPEG") -> None:
    """A sample document: a titled page of text lines on light paper, marked 样例 (sample)."""
    w, h = 1000, 700
    img = Image.new("RGB", (w, h), (250, 248, 240))
    d = ImageDraw.Draw(img)
    d.rectangle((20, 20, w - 20, h - 20), outline=(170, 40, 40), width=4)
    d.text((w // 2, 80), title, font=_font(48), fill=(20, 20, 20), anchor="mm")
    body = _font(30)
    for i, line in enumerate(lines):
        d.text((80, 170 + i * 60), line, font=body, fill=(40, 40, 40))
    d.ellipse((w - 300, h - 260, w - 80, h - 40), outline=(200, 30, 30), width=6)
    d.text((w - 190, h - 150), "样例", font=_font(44), fill=(200, 30, 30), anchor="mm")
    img = _noise(img, rng, 10)
    if fmt == "PNG":
        img = img.resize((800, 560)).quantize(64).convert("RGB")
        img.save(path, "PNG", optimize=True)
    else:
        img.save(path, "JPEG", quality=80)


DOCUMENTS: dict[str, tuple[str, list[str]]] = {
    "id_front.jpg": (
        "居民身份证（样例）",
        ["姓名 测试", "性别 男  民族 汉", "住址 示例路1号", "公民身份号码 样例"],
    ),
    "id_back.png": ("居民身份证国徽面（样例）", ["签发机关 示例公安局", "有效期限 2020.01.01-2040.01.01"]),
    "handheld.jpg": ("手持证件照（样例）", ["本人手持身份证人像面", "仅为示例图片"]),
    "licence.jpg": ("营业执照（样例）", ["统一社会信用代码 样例", "名称 示例有限公司", "类型 有限责任公司"]),
    "appointment.jpg": ("聘任证明（样例）", ["兹聘任 测试 为 会计师", "聘任时间 示例"]),
    "work_certificate.jpg": (
        "会计工作（经历）证明（样例）",
        ["兹有 测试 系我单位正式职工", "从事会计工作", "单位（盖章）"],
    ),
    "diploma.jpg": ("毕业证书（样例）", ["学生 测试", "修业期满 成绩合格 准予毕业", "证书编号 样例"]),
    "degree.jpg": ("学位证书（样例）", ["授予 测试 学位", "证书编号 样例"]),
    "study_proof.jpg": ("学籍在线验证报告（样例）", ["姓名 测试", "学籍状态 在籍", "仅为示例"]),
    "qualification.jpg": ("专业技术资格证书（样例）", ["姓名 测试", "资格名称 示例", "管理号 样例"]),
}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(20261123)
    photo(OUT / "photo.jpg", rng)
    for name, (title, lines) in DOCUMENTS.items():
        document(OUT / name, rng, title, lines, "PNG" if name.endswith(".png") else "JPEG")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
