"""Timing figures for the picture checks and fixes (issue 4 acceptance). Prints medians.

    .venv/bin/python bench/bench_images.py [--runs N]

Draws its own pictures (a 4000×3000 camera-like JPEG and ordinary upload-sized files) in a temporary
folder, then times the CLI (`autofill image check|fix`, a fresh process each run, as a user sees it)
and the library functions (`check_image`, `fix_image`, what `autofill check` calls in-process).
Acceptance: CLI `image check` of the 4000×3000 JPEG median ≤ 0.5 s, `image fix` ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from autofill.images import check_image, fix_image, inspect
from autofill.pack import load_pack

ROOT = Path(__file__).resolve().parent.parent


def camera_photo(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """A person in front of a white wall, with sensor-like noise, as a phone would save it."""
    w, h = size
    rng = random.Random(seed)
    im = Image.new("RGB", size, (246, 246, 244))
    d = ImageDraw.Draw(im)
    cx = w // 2
    d.ellipse((cx - w * 0.3, h * 0.7, cx + w * 0.3, h * 1.4), fill=(35, 45, 95))
    d.ellipse((cx - w * 0.12, h * 0.15, cx + w * 0.12, h * 0.68), fill=(228, 188, 158))
    for _ in range(3000):
        x, y = rng.uniform(cx - w * 0.12, cx + w * 0.12), rng.uniform(h * 0.1, h * 0.25)
        d.line((x, y, x + rng.uniform(-30, 30), y + rng.uniform(10, 60)), fill=(rng.randrange(50),) * 3, width=2)
    grain = Image.merge("RGB", [Image.effect_noise(size, 35) for _ in range(3)])
    return Image.blend(im, grain, 0.15)  # about 3 MB at 4000×3000, quality 92, like a phone's file


def document(size: tuple[int, int], seed: int) -> Image.Image:
    """A photographed page: lines of 'words', a red stamp, paper grain (like an ordinary proof)."""
    w, h = size
    rng = random.Random(seed)
    im = Image.new("RGB", size, (248, 246, 238))
    d = ImageDraw.Draw(im)
    for row in range(60, h - 60, 36):
        x = 60
        while x < w - 120:
            word = rng.randrange(30, 110)
            d.rectangle((x, row, x + word, row + 14), fill=(40, 40, 40))
            x += word + rng.randrange(14, 30)
    d.ellipse((w - 420, h - 400, w - 100, h - 80), outline=(200, 30, 30), width=8)
    grain = Image.merge("RGB", [Image.effect_noise(size, 20) for _ in range(3)])
    return Image.blend(im, grain, 0.05)


def median_time(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU counts this process and its finished children)."""
    action()  # warm the caches once
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def cli(*args: str) -> Callable[[], object]:
    command = [sys.executable, "-m", "autofill", *args]

    def run() -> object:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
        return done

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median reported)")
    runs = parser.parse_args().runs
    files = load_pack().files
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / "camera.jpg"
        camera_photo((4000, 3000)).save(big, "JPEG", quality=92)
        photo = tmp / "photo.jpg"
        camera_photo((600, 840)).save(photo, "JPEG", quality=92)
        proof = tmp / "proof.jpg"
        document((1600, 1200), seed=8).save(proof, "JPEG", quality=85)
        proof_png = tmp / "proof.png"
        document((900, 675), seed=9).quantize(64).save(proof_png, "PNG")
        for ordinary in (photo, proof, proof_png):
            print(f"{ordinary.name}: {ordinary.stat().st_size / 1024:.0f} KB")
        print(f"4000×3000 camera JPEG: {big.stat().st_size / 1024:.0f} KB; runs per figure: {runs}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")

        print("\nCLI, a fresh process per run (what a user waits for):")
        rows = [
            ("image check 4000×3000 --kind photo", cli("image", "check", str(big), "--kind", "photo"), 0.5),
            ("image check 4000×3000 --kind attachment", cli("image", "check", str(big), "--kind", "attachment"), 0.5),
            (
                "image fix 4000×3000 --kind photo",
                cli("image", "fix", str(big), "-o", str(tmp / "o1.jpg"), "--kind", "photo"),
                2.0,
            ),
            (
                "image fix 4000×3000 --kind attachment",
                cli("image", "fix", str(big), "-o", str(tmp / "o2.jpg"), "--kind", "attachment"),
                2.0,
            ),
        ]
        for label, action, budget in rows:
            t, cpu = median_time(action, runs)
            verdict = "ok" if t <= budget else "OVER"
            print(f"  {label:42s} median {t:6.3f} s wall, {cpu:6.3f} s CPU  (budget {budget} s: {verdict})")

        print("\nLibrary, in-process (`check_image` = `inspect` + a cache of unchanged files):")
        lib: list[tuple[str, Callable[[], object]]] = [
            ("inspect 4000×3000 JPEG, photo", lambda: inspect(big, "photo", files["photo"])),
            ("inspect 4000×3000 JPEG, attachment", lambda: inspect(big, "attachment", files["attachment"])),
            ("inspect 600×840 JPEG photo", lambda: inspect(photo, "photo", files["photo"])),
            ("inspect 1600×1200 JPEG attachment", lambda: inspect(proof, "attachment", files["attachment"])),
            ("inspect 900×675 PNG attachment", lambda: inspect(proof_png, "attachment", files["attachment"])),
            ("check_image, an unchanged file again", lambda: check_image(photo, "photo", files["photo"])),
            ("fix_image 4000×3000 → photo", lambda: fix_image(big, tmp / "f1.jpg", "photo", files["photo"])),
            (
                "fix_image 4000×3000 → attachment",
                lambda: fix_image(big, tmp / "f2.jpg", "attachment", files["attachment"]),
            ),
        ]
        figures = {}
        for label, action in lib:
            figures[label], cpu = median_time(action, runs)
            print(f"  {label:42s} median {figures[label] * 1000:7.1f} ms wall, {cpu * 1000:7.1f} ms CPU")
        profile = (
            figures["inspect 600×840 JPEG photo"]
            + 6 * figures["inspect 1600×1200 JPEG attachment"]
            + 3 * figures["inspect 900×675 PNG attachment"]
        )
        print(
            f"\n  10 distinct ordinary pictures (1 photo, 6 JPEG + 3 PNG proofs): {profile * 1000:.1f} ms; "
            f"100 profiles of such distinct pictures: {profile * 100:.2f} s of picture checks"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
