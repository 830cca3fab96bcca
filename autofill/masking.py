"""Mask personal data the way the site shows it, for logs, reports and file names.

`530102199005121235` → `530*****1235`, `13912345678` → `139****5678`, `测试甲` → `测**`.
`redact()` removes every full ID number, mobile number and known secret from free text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_id(number: str) -> str:
    """First 3 and last 4 characters, five stars between (as the site's 基本信息 shows it)."""
    number = number.strip()
    if len(number) <= 7:
        return "*" * len(number)
    return f"{number[:3]}*****{number[-4:]}"


def mask_mobile(mobile: str) -> str:
    mobile = mobile.strip()
    if len(mobile) < 8:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else name


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with full ID and mobile numbers masked and every secret replaced by `******`.

    A secret that is itself an ID or mobile number is masked the site's way instead (`530*****1235`),
    wherever it appears, even run together with other characters.
    """
    for secret in sorted({s.strip() for s in secrets if s and s.strip()}, key=len, reverse=True):
        if _ID.fullmatch(secret):
            for variant in {secret, secret.upper(), secret.lower()}:
                text = text.replace(variant, mask_id(secret.upper()))
        elif _MOBILE.fullmatch(secret):
            text = text.replace(secret, mask_mobile(secret))
        else:
            text = text.replace(secret, "******")
    text = _ID.sub(lambda m: mask_id(m.group(0)) if _is_id(m.group(0)) else m.group(0), text)
    return _MOBILE.sub(lambda m: mask_mobile(m.group(0)), text)


def id_like(text: str) -> list[str]:
    """Every 18-character number in `text` that looks like an ID number, valid or not (as in a file name
    such as `530102198803093086.yaml`): pass them to `redact` as secrets and they are masked too."""
    return _ID_LIKE.findall(text)


def _is_id(number: str) -> bool:
    """An 18-character number that is a real 居民身份证 number (check digit, birth date), not e.g. a
    diploma number that happens to have 18 digits. The person's own numbers are masked as secrets."""
    from stdnum.cn import ric

    return bool(ric.is_valid(number.upper()))
