"""The selector pack: `selectors/ausm.yaml` (and the files it names) as a validated model.

Everything the tool knows about the site lives in the pack: option lists, upload rules, scopes,
the 会计管理部门 tree. A broken pack is a PackError naming the file and the field.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autofill.errors import PackError

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "selectors" / "ausm.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionList(_Model):
    """A select's options, as the site shows them."""

    label: str
    values: list[str]
    assumed: bool = False
    open: bool = False  # a value outside the list is a warning, not an error

    def match(self, value: str) -> str | None:
        """The option equal to `value`, comparing width-insensitively (（ and ( are one), else None."""
        wanted = _fold(value)
        for option in self.values:
            if _fold(option) == wanted:
                return option
        return None

    def suggest(self, value: str) -> list[str]:
        """Options close to `value`, best first ("did you mean")."""
        folded = {_fold(v): v for v in self.values}
        close = difflib.get_close_matches(_fold(value), list(folded), n=3, cutoff=0.4)
        contains = [v for f, v in folded.items() if _fold(value) in f or (f in _fold(value) and f)]
        return list(dict.fromkeys([folded[c] for c in close] + contains))[:3]


class FileLimits(_Model):
    """Upload rules for one kind of picture."""

    label: str
    formats: list[str]  # Pillow format names: JPEG, PNG
    extensions: list[str]
    min_bytes: int = 0
    min_bytes_inclusive: bool = True
    max_bytes: int | None = None
    min_width: int = 0
    min_height: int = 0
    aspect: tuple[int, int] | None = None
    hint: str = ""


class Site(_Model):
    name: str
    base_url: str
    departments_file: str


Need = Literal["required", "if_held", "none"]


class Materials(_Model):
    id_photos: Need
    photo: Need
    work_proof: Need
    education_proof: Need
    qualification_proof: Need


class Scope(_Model):
    title: str
    materials: Materials


class Material(_Model):
    label: str
    detail: str


class Vocabulary(_Model):
    doctorate_levels: list[str]
    doctorate_degrees: list[str]
    masters_levels: list[str]
    bachelor_or_higher_levels: list[str]
    college_level: str
    below_college_levels: list[str]
    no_degree: str
    scope5_qualification_types: list[str]
    scope5_qualification_level: str
    mainland_id_type: str
    central_departments: list[str]
    bingtuan_department: str


class Department(_Model):
    name: str
    code: str | None = None
    children: list[Department] = Field(default_factory=list)

    def child(self, name: str) -> Department | None:
        return next((c for c in self.children if c.name == name), None)


class Departments(_Model):
    assumed: bool = False
    departments: list[Department]

    def top(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)


class SitePack(_Model):
    """The whole pack."""

    site: Site
    options: dict[str, OptionList]
    files: dict[Literal["photo", "attachment"], FileLimits]
    scopes: dict[int, Scope]
    vocabulary: Vocabulary
    materials: dict[str, Material]
    departments: Departments

    def option(self, key: str) -> OptionList:
        try:
            return self.options[key]
        except KeyError:
            raise PackError(f"选择器包缺少选项列表 (the pack has no option list `{key}`)", field="options") from None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
    except OSError as exc:
        raise PackError(f"无法读取选择器包 (cannot read the pack: {exc.strerror})", file=path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PackError(f"选择器包不是有效的 YAML (the pack is not valid YAML: {exc})", file=path) from None


def load_pack(path: Path | None = None) -> SitePack:
    """Load and validate a pack. `AUTOFILL_PACK` overrides the bundled `selectors/ausm.yaml`."""
    path = path or Path(os.environ.get("AUTOFILL_PACK") or DEFAULT_PACK)
    return _load_pack(path.resolve())


@cache
def _load_pack(path: Path) -> SitePack:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise PackError("选择器包必须是映射 (the pack must be a mapping)", file=path)
    site = data.get("site")
    dep_name = site.get("departments_file") if isinstance(site, dict) else None
    if isinstance(dep_name, str):
        data = {**data, "departments": _read_yaml(path.parent / dep_name)}
    try:
        return SitePack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PackError(
            f"选择器包有误 (the pack is invalid: {first['msg']}; {exc.error_count()} problem(s))",
            file=path,
            field=where,
        ) from None
