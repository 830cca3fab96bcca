"""The selector pack: `selectors/ausm.yaml` (and the files it names) as a validated model.

Everything the tool knows about the site lives in the pack: option lists, text formats, upload rules,
scopes, the 会计管理部门 tree. A broken pack is a PackError naming the file and the field.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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


class TextFormat(_Model):
    """The form of a text field the site checks with a pattern (手机号, 邮箱, 邮编, 工作单位电话)."""

    label: str
    pattern: str  # a Python regular expression matched against the whole value (blanks around it removed)
    hint: str  # the form in words, for messages
    example: str
    assumed: bool = False

    @model_validator(mode="after")
    def _compiles(self) -> TextFormat:
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern `{self.pattern}` is not a regular expression: {exc}") from None
        return self

    def matches(self, value: str) -> bool:
        """Whether `value` (blanks around it removed, as the site does) has this form."""
        return re.fullmatch(self.pattern, value.strip()) is not None


class Formats(_Model):
    mobile: TextFormat
    email: TextFormat
    postcode: TextFormat
    phone: TextFormat


class Limits(_Model):
    """Lengths the site accepts."""

    text_chars: int  # a text input holds at most this many characters
    file_name_chars: int  # an upload's file name is stored cut to this many characters
    assumed: bool = False


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
    marker: str
    title: str
    materials: Materials
    not_working: bool = False  # a scope for people not working yet (暂未工作)


class Material(_Model):
    label: str
    detail: str
    # When the site asks for the upload only in some cases: the cases, in its words (the checklist
    # prints it beside a file that this person need not upload).
    only_when: str | None = None


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
    id_proof_departments: list[str]  # under these, everyone uploads both ID sides (国管局)
    bingtuan_department: str


class Department(_Model):
    name: str
    code: str | None = None
    children: list[Department] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: object) -> object:
        """An entry written as a bare name: no code, no lower level."""
        return {"name": value} if isinstance(value, str) else value

    def child(self, name: str) -> Department | None:
        return next((c for c in self.children if c.name == name), None)


class Departments(_Model):
    assumed: bool = False
    # How many levels from the top list every entry the site offers (1: the top level only). Below
    # them the tree is partial: a name it lacks there may still be on the site.
    complete_levels: int = Field(ge=0)
    departments: list[Department]

    def top(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)


Widget = Literal["text", "select", "month", "upload", "radio", "checkbox_group", "cascade", "readonly"]
Handler = Literal["department", "scope", "basic", "education", "work", "qualifications", "review"]


class FieldSpec(_Model):
    """One field of a page or dialog: its label as the site shows it and how it is filled."""

    path: str
    label: str
    widget: Widget
    options: str | None = None  # the option list a select or checkbox group draws from
    kind: Literal["photo", "attachment"] = "attachment"  # for uploads
    deferred: bool = False  # an upload sent with its form (on 提交), not on its own
    sample: str | None = None  # an upload's example picture beside it (its alt text): not the person's
    present: str | None = None  # for month fields with an open-end checkbox (至今)
    choices: tuple[str, str] | None = None  # for yes/no radios: (yes, no)
    masked: Literal["id", "name", "mobile"] | None = None  # how a read-only value is shown
    assumed: bool = False


class TableSpec(_Model):
    """A table of rows, each added and edited through a dialog."""

    rows: str  # the profile's list of rows (e.g. `qualifications.accounting`)
    step: Handler
    noun: str
    columns: list[str]
    keys: dict[str, str]  # column title → row field that identifies a row
    # Other column sets (column title → row field) that still tell a row is the same entry when one of
    # its `keys` was corrected in the profile: such a row is edited, not added beside the old one.
    same_entry: list[dict[str, str]] = []
    fields: list[FieldSpec]

    @model_validator(mode="after")
    def _identity_columns_exist(self) -> TableSpec:
        paths = {f.path for f in self.fields}
        for where, identity in [("keys", self.keys), *(("same_entry", s) for s in self.same_entry)]:
            if not identity:
                raise ValueError(f"{where}: an empty set of columns identifies nothing")
            unknown = [c for c in identity if c not in self.columns]
            if unknown:
                raise ValueError(f"{where} names columns the table lacks: {', '.join(unknown)}")
            missing = [p for p in identity.values() if p not in paths]
            if missing:
                raise ValueError(f"{where} names row fields the table lacks: {', '.join(missing)}")
        return self


class HomePage(_Model):
    registration: str
    login: str
    collect: str


class LoginRefusals(_Model):
    """The login's refusals by their words: a wrong captcha is tried again, wrong credentials never are
    (and any other refusal stops the login too: only a captcha is worth another try)."""

    captcha: list[str] = []
    credentials: list[str] = []


class LoginPage(_Model):
    account: str
    password: str
    captcha: str
    button: str
    refusals: LoginRefusals = LoginRefusals()


class RegisterPage(_Model):
    id_type: str
    id_number: str
    name: str
    password: str
    confirm: str
    mobile: str
    sms_code: str
    sms_button: str
    agree: str
    button: str


class RealnamePage(_Model):
    title: str
    alipay_button: str
    online_link: str
    id_front: str
    id_back: str
    handheld: str
    location: str
    submit: str
    seconds: int


class Pages(_Model):
    home: HomePage
    login: LoginPage
    registration: RegisterPage
    realname: RealnamePage


class Buttons(_Model):
    save_next: str
    next: str
    prev: str
    submit: str
    add: str
    save: str
    cancel: str
    edit: str
    delete: str
    view: str
    confirm: str
    close: str


class ReviewPage(_Model):
    passed: str
    failed: str
    pending: str
    not_submitted: str
    columns: list[str]


class Wizard(_Model):
    tabs: list[str]
    buttons: Buttons
    promise: str
    upload_ok: str
    view_suffix: str
    transient_errors: list[str]
    session_expired: list[str]
    steps: dict[str, Handler]
    forms: dict[str, list[FieldSpec]]
    tables: dict[str, TableSpec]
    review: ReviewPage

    def step_named(self, title: str) -> Handler | None:
        """The handler for a step bar title such as `03 基本信息` (its number is ignored)."""
        name = _fold(title).lstrip("0123456789 .、").strip()
        return self.steps.get(name)


class SitePack(_Model):
    """The whole pack."""

    site: Site
    options: dict[str, OptionList]
    formats: Formats
    files: dict[Literal["photo", "attachment"], FileLimits]
    limits: Limits
    scopes: dict[int, Scope]
    vocabulary: Vocabulary
    materials: dict[str, Material]
    pages: Pages
    wizard: Wizard
    departments: Departments

    @model_validator(mode="after")
    def _options_exist(self) -> SitePack:
        fields = [f for group in self.wizard.forms.values() for f in group]
        fields += [f for table in self.wizard.tables.values() for f in table.fields]
        missing = sorted({f.options for f in fields if f.options and f.options not in self.options})
        if missing:
            raise ValueError(f"fields name option lists that do not exist: {', '.join(missing)}")
        return self

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
