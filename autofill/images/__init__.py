"""Pictures: check every file against its upload slot's rules, fix it, merge several proofs into one.

One concept per module: `read` (open and decode, every failure a clear reason), `check` (the rules
and warnings), `heuristics` (white background, enlarged or blurred photo), `normalize` (upright 8-bit
sRGB, crops), `encode` (JPEG quality search inside the byte window, atomic write), `fix` (`fix` and
`merge`). The limits come from the pack (`load_pack().files[kind]`), never from Python constants.
Pillow is imported inside functions only, so importing this package is cheap.
"""

from autofill.images.check import Inspection, Kind, check_image, inspect
from autofill.images.fix import FixReport, fix_image, merge_images
from autofill.images.normalize import Note
from autofill.images.read import Summary

__all__ = [
    "FixReport",
    "Inspection",
    "Kind",
    "Note",
    "Summary",
    "check_image",
    "fix_image",
    "inspect",
    "merge_images",
]
