"""Read a profile: YAML → data with a line for every field → the validated Profile, or findings.

Nothing here raises for a bad profile: every problem becomes a Finding with the file, the YAML line
and the field path, so a user sees all of them in one run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from autofill.findings import Finding, error
from autofill.profile.model import Profile

Loc = tuple[str | int, ...]
FORBIDDEN_KEYS = ("password", "passwd", "密码")
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def path_text(loc: Loc) -> str:
    """`("work", 0, "accounting", "start")` → `work[0].accounting.start`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Loaded:
    """A profile file as read: the model (None when invalid), its lines, and the problems found."""

    file: Path
    profile: Profile | None
    lines: dict[Loc, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

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
            if str(key).lower() in FORBIDDEN_KEYS:
                out.append(
                    (
                        error(
                            "档案里不能写密码：密码放在系统钥匙串（keyring）、环境变量 AUTOFILL_PASSWORD，或运行时输入",
                            "a password never goes in a profile: keep it in the system keyring, the "
                            "AUTOFILL_PASSWORD environment variable, or type it when asked",
                            code="profile.password",
                        ),
                        (*loc, str(key)),
                    )
                )
            else:
                kept[key] = _strip_passwords(value, (*loc, str(key)), out)
        return kept
    if isinstance(data, list):
        return [_strip_passwords(v, (*loc, i), out) for i, v in enumerate(data)]
    return data


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, str, int | None]:
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
    return f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}", line


def read_yaml(file: Path) -> tuple[Any, dict[Loc, int], list[tuple[Finding, Loc]]]:
    """Parse the file. Problems are returned (with their locations), never raised."""
    problems: list[tuple[Finding, Loc]] = []
    lines: dict[Loc, int] = {}
    try:
        raw = file.read_bytes()
    except IsADirectoryError:
        return (
            None,
            lines,
            [(error("这是一个目录，不是档案文件", "this is a directory, not a profile file"), ())],
        )
    except FileNotFoundError:
        return None, lines, [(error("文件不存在", "no such file"), ())]
    except OSError as exc:
        return (
            None,
            lines,
            [(error(f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"), ())],
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = error("文件不是 UTF-8 编码，请另存为 UTF-8", "the file is not UTF-8: save it as UTF-8")
        return None, lines, [(problem.at(line=line), ())]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        zh, en, where = _yaml_problem(exc, text)
        return None, lines, [(error(zh, en, code="yaml.syntax").at(line=where), ())]
    finally:
        loader.dispose()
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


def load_profile(file: Path) -> Loaded:
    """Read and validate one profile file. Problems come back in `.findings`, never as exceptions."""
    loaded = Loaded(file=file, profile=None)
    data, loaded.lines, problems = read_yaml(file)
    if data is not None and not isinstance(data, dict):
        problems.append((error("档案的顶层应为映射（键: 值）", "the top level must be a mapping (key: value)"), ()))
    elif isinstance(data, dict):
        data = _strip_passwords(data, (), problems)
        try:
            loaded.profile = Profile.model_validate(data)
        except ValidationError as exc:
            problems.extend(_finding_for(err) for err in exc.errors(include_url=False))
    loaded.findings = [loaded.place(f, loc) for f, loc in problems]
    return loaded
