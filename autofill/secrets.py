"""The platform password: where it comes from, where it may be kept, and the site's rule for a new one.

Order of sources: in a batch, the `--secrets` file first (`autofill.batch.read_secrets`; it wins over
the keyring); then the system keyring (service `ausm-autofill`, user = the ID number), then the
`AUTOFILL_PASSWORD` environment variable, then a hidden prompt (only when a person is at the
terminal). Never from the profile, never printed: messages name the person by the masked ID only.
A keyring that is missing or broken is skipped quietly when reading (it is an optional convenience);
`autofill password set|forget` say so in one line, before asking for anything.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autofill.errors import AutofillError
from autofill.masking import mask_id

SERVICE = "ausm-autofill"
ENV_VAR = "AUTOFILL_PASSWORD"

_log = logging.getLogger(__name__)

Prompt = Callable[[str], str]


def _user(id_number: str) -> str:
    """The keyring user name: the ID number as the site stores it (trimmed, `x` → `X`)."""
    return id_number.strip().upper()


def _keyring() -> Any:
    import keyring  # lazy: its backend discovery is slow

    return keyring


def keyring_problem() -> str | None:
    """Why the system keyring cannot keep passwords here (a short bilingual sentence), or None when it can."""
    try:
        keyring = _keyring()
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or (isinstance(backend, chainer.ChainerBackend) and not backend.backends):
            why = "没有可用的系统钥匙串 (no system keyring is available on this machine)"
        else:
            return None
    except Exception as exc:
        why = f"无法访问系统钥匙串 (cannot reach the system keyring: {type(exc).__name__})"
    return f"{why}；请改用环境变量 {ENV_VAR} 或批处理的 --secrets 文件 (use {ENV_VAR}, or --secrets in a batch)"


def get_password(
    id_number: str,
    *,
    interactive: bool,
    prompt: Prompt | None = None,
    batch: bool = False,
    secrets_file: bool = False,
) -> str:
    """The login password of `id_number`: keyring → `AUTOFILL_PASSWORD` → prompt (when `interactive`).

    `prompt` reads a hidden line (default `getpass.getpass`). Raises AutofillError naming the ways
    when none gives a password (`batch`: the `--secrets` file too, first; `secrets_file`: one was
    given and lacks this person).
    """
    try:
        stored = _keyring().get_password(SERVICE, _user(id_number))
    except Exception as exc:  # any keyring failure (no backend, locked, D-Bus …) falls through quietly
        _log.debug("keyring unavailable: %s", type(exc).__name__)
        stored = None
    if stored:
        _log.debug("password for %s taken from the keyring", mask_id(id_number))
        return str(stored)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        _log.debug("password for %s taken from %s", mask_id(id_number), ENV_VAR)
        return from_env
    if not interactive:
        masked = mask_id(id_number)
        file_zh, file_en = "", ""
        if batch:
            file_zh = (
                "请在 --secrets 文件中加入“证件号码: 密码”一行"
                + ("（该文件中没有此人）" if secrets_file else "")
                + "，或"
            )
            file_en = (
                "add an `ID: password` line to the --secrets file"
                + (" (it has none for this person)" if secrets_file else "")
                + ", or "
            )
        raise AutofillError(
            f"没有找到 {masked} 的登录密码：{file_zh or '请'}用 `autofill password` 存入系统钥匙串，"
            f"或设置环境变量 {ENV_VAR}，或在终端中运行以便输入 "
            f"(no password for {masked}: {file_en}store it in the system keyring with `autofill password`, "
            f"set {ENV_VAR}, or run interactively to be asked)",
            field="password",
        )
    ask = prompt or getpass.getpass
    try:
        typed = ask(f"请输入 {mask_id(id_number)} 的平台登录密码 (platform password for {mask_id(id_number)}): ")
    except EOFError:
        typed = ""
    if not typed:
        raise AutofillError("未输入密码 (no password was entered)", field="password")
    return typed


def set_password(id_number: str, password: str) -> None:
    """Keep `password` in the system keyring for `id_number` (for `autofill password`)."""
    if not password:
        raise AutofillError("密码不能为空 (the password is empty)", field="password")
    try:
        _keyring().set_password(SERVICE, _user(id_number), password)
    except Exception as exc:
        raise AutofillError(
            f"无法写入系统钥匙串，请改用环境变量 {ENV_VAR} "
            f"(cannot store the password in the system keyring: {type(exc).__name__}; use {ENV_VAR})",
            field="password",
        ) from None


def forget_password(id_number: str) -> bool:
    """Remove the kept password of `id_number`; False when none was kept."""
    problem = keyring_problem()
    if problem is not None:
        raise AutofillError(problem, field="password")
    keyring = _keyring()
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, _user(id_number))
    except PasswordDeleteError:
        return False
    except Exception as exc:  # its message may be pages of installation advice: the type is enough
        raise AutofillError(
            f"无法访问系统钥匙串 (cannot reach the system keyring: {type(exc).__name__})", field="password"
        ) from None
    return True


class CharClass(BaseModel):
    """One kind of character a password must contain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    zh: str
    en: str


class PasswordRule(BaseModel):
    """The site's password rule (注册信息 › 密码, platform-map.md §2; the replica's `site.json` agrees).

    The defaults are the documented rule; a pack that carries a `password:` section overrides them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_length: int = 8
    max_length: int = 16
    classes: list[CharClass] = Field(
        default_factory=lambda: [
            CharClass(pattern="[A-Z]", zh="大写字母", en="an upper-case letter"),
            CharClass(pattern="[a-z]", zh="小写字母", en="a lower-case letter"),
            CharClass(pattern="[0-9]", zh="数字", en="a digit"),
            CharClass(pattern="[^A-Za-z0-9]", zh="特殊符号", en="a symbol"),
        ]
    )


def password_rule() -> PasswordRule:
    """The rule from the selector pack when it has one, else the documented rule."""
    from autofill.pack import load_pack

    found = getattr(load_pack(), "password", None)
    return found if isinstance(found, PasswordRule) else PasswordRule()


def check_password_rules(password: str, rule: PasswordRule | None = None) -> list[str]:
    """What is wrong with `password` as a new site password (empty list when it is fine).

    Each message is Chinese with the English in brackets; none repeats the password.
    """
    rule = rule or password_rule()
    problems: list[str] = []
    length = len(password)
    if not rule.min_length <= length <= rule.max_length:
        problems.append(
            f"密码须为{rule.min_length}–{rule.max_length}位，当前为{length}位 "
            f"(the password must be {rule.min_length}–{rule.max_length} characters; it has {length})"
        )
    for char_class in rule.classes:
        if not re.search(char_class.pattern, password):
            problems.append(f"密码须包含{char_class.zh} (the password needs {char_class.en})")
    return problems
