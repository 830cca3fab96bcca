"""Synthetic clients for the batch tests and the batch benchmark.

Every person here is made up: a name from a fixed list, a 居民身份证 number with a valid GB 11643 check
digit computed by python-stdnum, a mobile number in a range no example uses, and the example profiles'
own (drawn) pictures. Profiles are written into a folder of the caller's, beside a copy of the pictures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from stdnum.cn import ric, uscc

from autofill.mock.accounts import account_body
from autofill.profile.load import load_profile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "profiles" / "examples"
NAMES = "子丑寅卯辰巳午未申酉戌亥"


@dataclass(frozen=True)
class Identity:
    """Who a synthetic client is on the site."""

    name: str
    id_number: str
    mobile: str


def identity(n: int) -> Identity:
    """The n-th synthetic person (0 ≤ n < 120): 云南省昆明市五华区, born in 1988, mobile 1378800xxxx."""
    body = f"530102198803{1 + n % 28:02d}{300 + n:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return Identity(name=f"测试{NAMES[n % len(NAMES)]}{'甲乙丙丁戊己庚辛壬癸'[n // len(NAMES) % 10]}",
                    id_number=number, mobile=f"1378800{n:04d}")  # fmt: skip


def valid_uscc(body17: str) -> str:
    """A 统一社会信用代码 with the right check character."""
    return body17 + uscc.calc_check_digit(body17)


def with_pictures(folder: Path) -> Path:
    """`folder` with a copy of the example pictures in `folder/files` (profiles name them relatively)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES / "files", folder / "files", dirs_exist_ok=True)
    return folder


def example_data(name: str) -> dict[str, Any]:
    """An example profile (`scope1` … `student`) as a YAML mapping."""
    loaded = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def write_profile(folder: Path, stem: str, data: dict[str, Any]) -> Path:
    """Write `data` as `folder/<stem>.yaml` (pictures must already be in `folder/files`)."""
    target = folder / f"{stem}.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def clone(
    example: str, folder: Path, n: int, change: Callable[[dict[str, Any]], None] | None = None, stem: str = ""
) -> Path:
    """The example `example` as synthetic person `n` (same record, another account), in `folder`."""
    data = example_data(example)
    who = identity(n)
    data["account"].update(name=who.name, id_number=who.id_number, mobile=who.mobile)
    if change is not None:
        change(data)
    return write_profile(with_pictures(folder), stem or f"{example}-{n:03d}", data)


def copy_examples(folder: Path) -> list[Path]:
    """The six example profiles copied into `folder` (with their pictures)."""
    with_pictures(folder)
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy2(path, folder / path.name)
        out.append(folder / path.name)
    return out


def _rich(data: dict[str, Any]) -> None:
    """Scope (一) with two rows in every table, both qualification tables and 线上实名认证 pictures:
    every kind of row the wizard has, so a resumed run has something to duplicate or lose."""
    scope4 = example_data("scope4")
    data["realname"] = {
        "id_front": "files/id_front.jpg",
        "id_back": "files/id_back.png",
        "handheld": "files/handheld.jpg",
        "location": "云南省/昆明市",
    }
    data["education"] = [dict(row) for row in scope4["education"][:2]]
    first = {
        "start": "2013-07",
        "end": "2016-12",
        "employer": "昆明示例审计事务所有限公司",
        "uscc": valid_uscc("91530102MA6K4YR2T"),
        "employer_type": "企业",
        "industry": "租赁和商务服务业",
        "address": "云南省昆明市五华区示例路5号",
        "phone": "0871-65550001",
        "accounting": {
            "start": "2013-07",
            "work_types": ["出纳"],
            "proof": "files/work_certificate.jpg",
        },
    }
    current = data["work"][0]
    current["start"] = "2017-01"
    current["accounting"]["start"] = "2017-01"
    data["work"] = [first, current]
    data["qualifications"]["other"] = [dict(row) for row in example_data("scope5")["qualifications"]["other"]]


def rich(folder: Path, n: int) -> Path:
    """Synthetic person `n` with the richest record (see `_rich`), unverified (needs 实名认证)."""
    return clone("scope1", folder, n, _rich, stem=f"rich-{n:03d}")


def account_json(profile: Path, password: str, verified: bool | None = None) -> dict[str, Any]:
    """The body of `POST /__mock__/accounts` for a profile: registered; verified (unless told) when it
    brings no 线上实名认证 pictures — otherwise the run must verify it."""
    person = load_profile(profile).profile
    assert person is not None, profile
    return account_body(person.account, password, verified=person.realname is None if verified is None else verified)
