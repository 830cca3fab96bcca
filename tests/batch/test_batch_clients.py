"""A batch of several clients: each on its own, a failure stops only its client, the summary tells
which, the secrets file is honoured only when private, and nothing the batch writes holds a password,
a full ID number or a mobile number."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
import uuid
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import yaml

from autofill.batch import default_workers
from autofill.masking import mask_id, mask_name
from tests.batch import people
from tests.batch.conftest import BatchRun, Site, load, wait_until_gone

FILED_PASSWORD = "Wenjian-Mima#5"  # only in the secrets file
WRONG_PASSWORD = "Cuowu-Mima#404"  # in the secrets file for an account that has another one
REAL_PASSWORD = "Zhende-Mima#200"  # that account's real password: never given to the tool
REFUSAL = "该证书编号已被他人使用"  # the site's words for a value it will not take


def _wrong_check_digit(data: dict[str, object]) -> None:
    account = data["account"]
    assert isinstance(account, dict)
    number = str(account["id_number"])
    account["id_number"] = number[:-1] + ("1" if number[-1] != "1" else "2")


def write_secrets(path: Path, passwords: dict[str, str], mode: int) -> Path:
    path.write_text(yaml.safe_dump(passwords), encoding="utf-8")
    path.chmod(mode)
    return path


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if tag == "a" and k == "href" and v]


def written(run: BatchRun, *roots: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the batch wrote: stdout, stderr, and under each root every file's
    and folder's name, every file's content and every member of a zip (read as Latin-1: the secrets
    are ASCII, so they are found in text and binary alike)."""
    yield "stdout", run.text
    yield "stderr", "".join(run.stderr)
    for root in roots:
        for path in sorted(root.rglob("*")):
            yield f"name of {path}", str(path.relative_to(root))
            if not path.is_file():
                continue
            yield str(path), path.read_bytes().decode("latin-1")
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        yield f"{path}:{member}", member + archive.read(member).decode("latin-1")


def concurrency(lines: list[str], labels: list[str]) -> int:
    """The most clients in progress at once: from a client's first progress line to its result line."""
    running: set[str] = set()
    most = 0
    for line in lines:
        for label in labels:
            if f"[{label}]" not in line:
                continue
            if "✓" in line or "✗" in line:
                running.discard(label)
            else:
                running.add(label)
        most = max(most, len(running))
    return most


def test_refused_clients_fail_alone_with_the_sites_words_and_nothing_written_leaks(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    plain = people.clone("scope1", folder, 40)  # password from AUTOFILL_PASSWORD
    filed = people.clone("scope2", folder, 41)  # password from the secrets file only
    wrong = people.clone("scope4", folder, 42)  # the secrets file's password is not the account's
    refused = people.clone("scope5", folder, 43)  # the site refuses its 其他专业技术资格 row
    broken = people.clone("student", folder, 44, _wrong_check_digit)  # refused by the checker
    site.seed(plain, refused)
    site.seed(filed, password=FILED_PASSWORD)
    site.seed(wrong, password=REAL_PASSWORD)
    ids = {p: load(p).account.id_number for p in (plain, filed, wrong, refused)}
    secrets_file = write_secrets(
        tmp_path / "secrets.yaml", {ids[filed]: FILED_PASSWORD, ids[wrong]: WRONG_PASSWORD}, 0o600
    )
    refusals = site.tap.refuse("POST", "/api/record/qualifications/other", 400, REFUSAL, "cert_no")

    code, run = site.batch(folder, "--submit", "--yes", "--secrets", secrets_file)  # --workers: the default

    assert code == 1, run.output
    summary = run.summary()
    clients = {c["profile"]: c for c in summary["clients"]}
    assert list(clients) == [p.name for p in (plain, filed, wrong, refused, broken)]
    assert (summary["ok"], summary["failed"]) == (2, 3)
    for done in (plain, filed):
        assert clients[done.name]["ok"] is True, clients[done.name]
        assert clients[done.name]["outcome"] == "submitted"
        assert site.mismatches(done) == []
    # the site's own words, and no retry: neither a wrong password nor a refused value goes away
    assert len(refusals) == 1
    for failed, words in ((wrong, "账号或密码错误"), (refused, REFUSAL)):
        assert clients[failed.name]["ok"] is False
        assert words in (clients[failed.name]["error"] or ""), clients[failed.name]
        assert clients[failed.name]["attempts"] == 1, clients[failed.name]
    assert site.record(ids[wrong])["department"] is None
    assert site.record(ids[refused])["status"] == "未提交审核"
    # a profile with errors never opens a browser, and says why
    assert clients[broken.name]["attempts"] == 0
    assert "校验位" in (clients[broken.name]["error"] or ""), clients[broken.name]

    # the failed ones are listed, by masked name and ID
    listing = "".join(run.stderr)
    assert "3 位客户未完成" in listing and broken.name in listing, listing
    for failed in (wrong, refused):
        label = clients[failed.name]["label"]
        assert re.fullmatch(r"\S\*+ \d{3}\*{5}\d{3}[\dX]", label), label
        assert label in listing, listing

    # each client its own login state; by default as many at once as the machine suits
    assert len(list((site.home / "state").glob("*.json"))) == 3
    labels = [clients[p.name]["label"] for p in (plain, filed, wrong, refused)]
    assert concurrency(run.stdout, labels) == min(default_workers(), 4), run.text

    # summary.html links every report
    html = next(site.out.glob("batch-*/summary.html"))
    links = _Links()
    links.feed(html.read_text(encoding="utf-8"))
    assert len(links.hrefs) == 4, links.hrefs
    for href in links.hrefs:
        assert (html.parent / href).resolve().is_file(), href

    secrets = {
        "password": site.password,
        "password from the file": FILED_PASSWORD,
        "wrong password": WRONG_PASSWORD,
        **{f"ID of {p.name}": load(p).account.id_number for p in (plain, filed, wrong, refused, broken)},
        **{f"mobile of {p.name}": load(p).account.mobile for p in (plain, filed, wrong, refused, broken)},
    }
    scanned = list(written(run, site.out, site.home))
    assert any(where.endswith("trace.zip") for where, _ in scanned), "the failed run left no trace to scan"
    leaks = [
        f"{what} in {where}"
        for where, text in scanned
        for what, value in secrets.items()
        if value.upper() in text.upper()
    ]
    assert leaks == []


def test_a_secrets_file_others_can_read_is_refused_before_anything_runs(site: Site, tmp_path: Path) -> None:
    profile = people.clone("scope1", tmp_path / "profiles", 44)
    site.seed(profile)
    secrets_file = write_secrets(tmp_path / "secrets.yaml", {load(profile).account.id_number: site.password}, 0o644)

    code, run = site.batch(profile, "--secrets", secrets_file)

    assert code == 1
    message = "".join(run.stderr)
    assert "chmod 600" in message and "0600" in message and "secrets.yaml" in message, message
    assert "Traceback" not in run.output
    assert not site.out.exists() or not any(site.out.iterdir()), "the batch ran although the file was refused"
    assert site.record(load(profile).account.id_number)["department"] is None


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def test_on_a_terminal_a_live_table_shows_each_client_on_one_line(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    good = people.clone("scope2", folder, 46)
    broken = people.clone("student", folder, 47, _wrong_check_digit)
    site.seed(good)
    account = load(good).account
    label = f"{mask_name(account.name)} {mask_id(account.id_number)}"
    mark = uuid.uuid4().hex
    env = site.env(mark) | {"TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"}
    master, terminal = pty.openpty()
    proc = subprocess.Popen(
        site.command(folder), env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    shown = bytearray()
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            try:
                chunk = os.read(master, 65536) if ready else b""
            except OSError:  # the batch has closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        code = proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert wait_until_gone(mark) == []
    screen = ANSI.sub("", shown.decode("utf-8", "replace"))

    assert code == 1, screen
    assert all(column in screen for column in ("客户 (client)", "步骤 (step)", "结果 (result)")), screen
    rows = [line for line in screen.splitlines() if label in line]
    steps = {
        step
        for step in ("会计管理部门", "采集须知", "基本信息", "教育经历", "工作经历")
        if any(step in r for r in rows)
    }
    assert len(steps) >= 3, rows  # the client's line shows the step it is on as it moves
    assert any("✓" in r and "已提交审核" not in r for r in rows), rows  # stopped for review: not submitted
    assert any(broken.name in line and "失败" in line for line in screen.splitlines()), screen


def test_a_client_named_twice_or_by_two_profiles_is_filed_once(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    profile = people.clone("scope1", folder, 45)
    again = tmp_path / "elsewhere" / "same-person.yaml"  # another file, the same 证件号码
    again.parent.mkdir()
    again.write_text(profile.read_text(encoding="utf-8"), encoding="utf-8")
    (again.parent / "files").symlink_to(folder / "files")
    site.seed(profile)

    code, run = site.batch(profile, folder, again, "--submit", "--yes")

    assert code == 1, run.output
    clients = {c["profile"]: c for c in run.summary()["clients"]}
    assert sorted(clients) == ["same-person.yaml", profile.name]  # the file named twice is one client
    assert clients[profile.name]["outcome"] == "submitted"
    assert clients["same-person.yaml"]["outcome"] == "failed"
    assert f"the same person as {profile.name}" in clients["same-person.yaml"]["error"]
    assert site.mismatches(profile) == []  # every row once
