"""Read a profile: YAML → data with a line for every field → the validated Profile, or findings.

Nothing here raises for a bad profile: every problem becomes a Finding with the file, the YAML line
and the field path, so a user sees all of them in one run.
"""

from __future__ import annotations

import difflib
import errno
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from autofill.findings import Finding, error
from autofill.profile.model import Profile

Loc = tuple[str | int, ...]
FORBIDDEN_KEYS = ("password", "passwd", "密码")
MAX_BYTES = 1_000_000  # a profile is a few KB
MAX_DEPTH = 50  # a profile nests about 5 levels; libyaml's composer overflows the C stack near 100 000
MAX_VALUES = 10_000  # values once aliases are expanded; a profile has a few hundred
MAX_DIGITS = 100  # Python refuses to read integers of more than 4300 digits
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

if TYPE_CHECKING:
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    """A problem found while reading the YAML, with its line; `read_yaml` turns it into a finding."""

    def __init__(self, finding: Finding, mark: Any) -> None:  # a yaml Mark (C or Python), or None
        super().__init__(finding.message_en)
        self.finding = finding.at(line=mark.line + 1) if mark is not None else finding


class _Loader(_Base):
    """Safe YAML, with unquoted dates left as text (dates.py reads them, so `2008-02-30` is a finding
    just like `"2008-02-30"`) and a value that cannot be built reported at its line, not raised."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except ValueError as exc:
            problem = error("无法读取这个值", f"cannot read this value: {exc}", code="yaml.value")
            raise _Refused(problem, node.start_mark) from None

    def construct_int(self, node: yaml.ScalarNode) -> int:
        if sum(c.isdigit() for c in str(node.value)) > MAX_DIGITS:
            raise _Refused(
                error(
                    f"数字太长（超过 {MAX_DIGITS} 位）；编号请加引号写成文字",
                    f"number too long (more than {MAX_DIGITS} digits); write an ID number in quotes, as text",
                    code="yaml.value",
                ),
                node.start_mark,
            )
        return self.construct_yaml_int(node)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_int)


def path_text(loc: Loc) -> str:
    """`("work", 0, "accounting", "start")` → `work[0].accounting.start`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def in_sections(path: str, sections: Collection[str]) -> bool:
    """Whether the field `path` (`account.mobile`, `education[0].end`) lies in one of the top-level
    `sections`. A finding about the whole file (no path: unreadable, not YAML) lies in every one."""
    return not path or re.split(r"[.\[]", path, maxsplit=1)[0] in sections


@dataclass
class Loaded:
    """A profile file as read: the model (None when invalid), its lines, and the problems found.

    `partial` marks a profile read for some sections only (`load_profile(…, sections=…)`) whose other
    sections are invalid: `profile` then holds those sections and blank stand-ins for the rest.
    `parts` holds the top-level sections named in `valid`, as validated, and blank stand-ins for the
    rest: the whole profile when it is valid, those `sections` when partial, else every section that
    validated on its own (for the checker, which judges every part it can).
    """

    file: Path
    profile: Profile | None
    lines: dict[Loc, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    partial: bool = False
    valid: frozenset[str] = frozenset()
    parts: Profile | None = None

    def line_of(self, loc: Loc) -> int | None:
        """The YAML line of a field, or of its nearest parent that is written in the file."""
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]

    def place(self, finding: Finding, loc: Loc) -> Finding:
        line = finding.line if finding.line is not None else self.line_of(loc)
        return finding.at(path=path_text(loc), file=str(self.file), line=line)

    @property
    def base_dir(self) -> Path:
        return self.file.parent


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], out: list[tuple[Finding, Loc]]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*loc, key)
            if key_node.tag not in (_STR_TAG, _MERGE_TAG):
                out.append((error(f"键必须是文字：{key}", f"a key must be text, not `{key}`", code="yaml.key"), child))
            if key in seen:
                out.append((error(f"重复的键 {key}", f"duplicate key `{key}`", code="yaml.duplicate"), child))
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines, out)


def _strip_passwords(data: Any, loc: Loc, out: list[tuple[Finding, Loc]]) -> Any:
    if isinstance(data, dict):
        kept = {}
        for key, value in data.items():
            if not isinstance(key, str):
                continue  # reported by _walk, at the key's own line
            if key.lower() in FORBIDDEN_KEYS:
                out.append(
                    (
                        error(
                            "档案里不能写密码：密码放在系统钥匙串（keyring）、环境变量 AUTOFILL_PASSWORD，或运行时输入",
                            "a password never goes in a profile: keep it in the system keyring, the "
                            "AUTOFILL_PASSWORD environment variable, or type it when asked",
                            code="profile.password",
                        ),
                        (*loc, key),
                    )
                )
            else:
                kept[key] = _strip_passwords(value, (*loc, key), out)
        return kept
    if isinstance(data, list):
        return [_strip_passwords(v, (*loc, i), out) for i, v in enumerate(data)]
    return data


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, str, int | None]:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML never allows; it carries no line
        code = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        return (
            f"文件里有不允许的控制字符 {code}，请删除",
            f"the file holds the control character {code}, which YAML does not allow; delete it",
            text.count("\n", 0, at) + 1 if at >= 0 else None,
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", "") or exc)
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "\t" in source[: len(source) - len(source.lstrip())] or "\\t" in problem:
        return (
            "YAML 不能用制表符（Tab）缩进，请改用空格",
            "tabs are not allowed in YAML; indent with spaces",
            line,
        )
    return "YAML 语法错误，请检查这一行附近的缩进、冒号和引号", f"YAML syntax error: {problem}", line


def _check_shape(text: str) -> None:
    """Refuse, before composing, YAML nested too deeply (it overflows the stack) or whose aliases expand
    to too many values (a "billion laughs" file of a few hundred bytes takes gigabytes). One pass over
    the parser's events: each value counts once, an alias counts as the whole value it names."""
    opened: list[tuple[str | None, int, list[int]]] = []  # (anchor, values before it, [height])
    anchors: dict[str, tuple[int, int]] = {}  # anchor → (values, height)
    values = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            values += 1
            opened.append((event.anchor, values - 1, [0]))
            height = 0
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, before, (inner,) = opened.pop()
            height = inner + 1
            if anchor is not None:
                anchors[anchor] = (values - before, height)
        elif isinstance(event, yaml.ScalarEvent):
            values, height = values + 1, 0
            if event.anchor is not None:
                anchors[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _, _ in opened):
                raise _Refused(
                    error(
                        f"别名 *{event.anchor} 引用了包含它自己的内容",
                        f"the alias *{event.anchor} refers to a value that contains it",
                        code="yaml.alias",
                    ),
                    event.start_mark,
                )
            size, height = anchors.get(str(event.anchor), (1, 0))
            values += size
        else:
            continue
        if opened:
            opened[-1][2][0] = max(opened[-1][2][0], height)
        if len(opened) + height > MAX_DEPTH:
            raise _Refused(
                error(
                    f"嵌套层数太多（超过 {MAX_DEPTH} 层）",
                    f"nested too deeply (more than {MAX_DEPTH} levels)",
                    code="yaml.depth",
                ),
                event.start_mark,
            )
        if values > MAX_VALUES:
            raise _Refused(
                error(
                    f"内容太多：展开别名（*名称）后超过 {MAX_VALUES} 个值",
                    f"too much content: more than {MAX_VALUES} values once aliases (*name) are expanded",
                    code="yaml.size",
                ),
                event.start_mark,
            )


_OS_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ELOOP: "符号链接形成了循环",
}


def _read_bytes(file: Path) -> bytes | Finding:
    """The file's bytes, or why they cannot be read. Only a regular file is opened (a pipe would block
    forever, a device never ends), and at most MAX_BYTES of it."""
    try:
        mode = file.stat().st_mode
        if stat.S_ISDIR(mode):
            return error("这是一个目录，不是档案文件", "this is a directory, not a profile file")
        if not stat.S_ISREG(mode):
            return error("这不是普通文件（是管道或设备？），不能作为档案", "not a regular file (a pipe or a device?)")
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return error("文件不存在", "no such file")
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0)
        return error(
            f"无法读取文件：{reason}" if reason else "无法读取文件",
            f"cannot read the file: {exc.strerror or exc}",
        )
    if len(raw) > MAX_BYTES:
        return error(
            f"文件太大（超过 {MAX_BYTES // 1_000_000} MB），档案通常只有几 KB",
            f"the file is larger than {MAX_BYTES // 1_000_000} MB; a profile is a few KB",
        )
    return raw


def read_yaml(file: Path) -> tuple[Any, dict[Loc, int], list[tuple[Finding, Loc]]]:
    """Parse the file. Problems are returned (with their locations), never raised."""
    problems: list[tuple[Finding, Loc]] = []
    lines: dict[Loc, int] = {}
    raw = _read_bytes(file)
    if isinstance(raw, Finding):
        return None, lines, [(raw, ())]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = error("文件不是 UTF-8 编码，请另存为 UTF-8", "the file is not UTF-8: save it as UTF-8")
        return None, lines, [(problem.at(line=line), ())]
    try:
        _check_shape(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        zh, en, where = _yaml_problem(exc, text)
        return None, lines, [(error(zh, en, code="yaml.syntax").at(line=where), ())]
    except _Refused as exc:
        return None, lines, [(exc.finding, ())]
    if node is None:
        return None, lines, [(error("文件是空的", "the file is empty"), ())]
    _walk(node, (), lines, problems)
    return data, lines, problems


_TYPE_WORDS = {
    "string_type": ("应为文字", "expected text"),
    "int_type": ("应为整数", "expected a whole number"),
    "int_parsing": ("应为整数", "expected a whole number"),
    "bool_type": ("应为 true 或 false", "expected true or false"),
    "bool_parsing": ("应为 true 或 false", "expected true or false"),
    "list_type": ("应为列表（每项以 - 开头）", "expected a list (items starting with -)"),
    "dict_type": ("应为映射（键: 值）", "expected a mapping (key: value)"),
    "model_type": ("应为映射（键: 值）", "expected a mapping (key: value)"),
    "model_attributes_type": ("应为映射（键: 值）", "expected a mapping (key: value)"),
    "missing": ("缺少必填项", "required field missing"),
    "too_short": ("不能为空", "must not be empty"),
    "string_too_short": ("不能为空", "must not be empty"),
}


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the last key of `loc` (for "did you mean" on unknown keys)."""
    model: Any = Profile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _finding_for(err: Any) -> tuple[Finding, Loc]:
    loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc)
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint_zh = f"，是否要写 {close[0]}？" if close else ""
        hint_en = f"; did you mean `{close[0]}`?" if close else ""
        return error(f"未知字段 {loc[-1]}{hint_zh}", f"unknown key `{loc[-1]}`{hint_en}", code="profile.extra"), loc
    if kind == "value_error":
        text = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
        zh, _, en = text.partition(" (")
        return error(zh, en.rstrip(")") or text, code="profile.value"), loc
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return error(f"取值只能是 {expected}", f"must be one of {expected}", code="profile.value"), loc
    if kind == "too_short" and err.get("ctx", {}).get("min_length") == 1 and isinstance(err["input"], list):
        return error("至少要有一项", "needs at least one entry", code="profile.value"), loc
    zh, en = _TYPE_WORDS.get(kind, ("取值无效", err["msg"]))
    return error(zh, en, code=f"profile.{kind}"), loc


def _blank(annotation: Any) -> Any:
    """An empty stand-in for a field left unread: None where None is allowed, [] for a list, a model
    whose every field is blank, else None. Built without validation: nothing reads it as data."""
    if type(None) in get_args(annotation):
        return None
    if get_origin(annotation) is list:
        return []
    model = _inner_model(annotation)
    if model is None:
        return None
    return model.model_construct(**{name: _blank(info.annotation) for name, info in model.model_fields.items()})


def _sections_only(data: dict[str, Any], sections: Collection[str]) -> Profile | None:
    """A Profile holding the named top-level sections of `data`, each validated on its own (field
    validators included; one left out takes its default), and blank stand-ins for every other section;
    None when a section is invalid."""
    profile = Profile.model_construct(
        **{name: _blank(info.annotation) for name, info in Profile.model_fields.items() if name not in sections}
    )
    try:
        for name in sections:
            if name in data:
                Profile.__pydantic_validator__.validate_assignment(profile, name, data[name])
    except ValidationError:
        return None
    return profile


def load_profile(file: Path, *, sections: Collection[str] = ()) -> Loaded:
    """Read and validate one profile file. Problems come back in `.findings`, never as exceptions.

    With `sections` (top-level keys: `("account",)` for `autofill register`), a profile whose errors lie
    only outside them still comes back, `partial`: those sections validated, the rest blank, for a
    command that reads nothing else. `.findings` lists every problem either way.
    """
    loaded = Loaded(file=file, profile=None)
    data, loaded.lines, problems = read_yaml(file)
    if data is not None and not isinstance(data, dict):
        problems.append((error("档案的顶层应为映射（键: 值）", "the top level must be a mapping (key: value)"), ()))
    elif isinstance(data, dict):
        data = _strip_passwords(data, (), problems)
        try:
            loaded.profile = loaded.parts = Profile.model_validate(data)
            loaded.valid = frozenset(Profile.model_fields)
        except ValidationError as exc:
            invalid = [_finding_for(err) for err in exc.errors(include_url=False)]
            problems.extend(invalid)
            failed = {str(loc[0]) if loc else "" for _, loc in invalid}
            if sections and not any(f.is_error and in_sections(path_text(loc), sections) for f, loc in problems):
                loaded.valid = frozenset(sections)  # a command that reads only these: nothing else is judged
                loaded.profile = loaded.parts = _sections_only(data, sections)
                loaded.partial = loaded.profile is not None
            else:
                loaded.valid = frozenset() if "" in failed else frozenset(Profile.model_fields) - failed
                loaded.parts = _sections_only(data, loaded.valid)
    loaded.findings = [loaded.place(f, loc) for f, loc in problems]
    return loaded
