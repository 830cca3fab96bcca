"""Human steps in a batch (`--solver person`): captcha and Alipay QR requests are queued and shown one
at a time, each naming its client by masked name and ID, while clients that need nobody keep working.

The test is the person: it types the captcha (the replica is told, through the test's tap, which text
every new captcha has — a person would read it off the picture) and scans a QR code through the QA API.
"""

from __future__ import annotations

import re
from pathlib import Path

from autofill.masking import mask_id, mask_name
from tests.batch import people
from tests.batch.conftest import Site, load, step_line, wait_for

CAPTCHA = "K7PQ"
CAPTCHA_ASKED = re.compile(r"\[([^\]]+)\] 请输入验证码，图片见 (\S+) \(captcha for ([^)]+)\): $")
# headless: the QR panel's picture is saved for the person (there is no window to scan it in)
QR_ASKED = re.compile(r"\[([^\]]+)\] 请用本人支付宝扫描图片 (\S+) 中的二维码")


def label_of(profile: Path) -> str:
    account = load(profile).account
    return f"{mask_name(account.name)} {mask_id(account.id_number)}"


def test_human_steps_come_one_at_a_time_naming_the_client_while_others_work(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    scan_a = people.clone("scope2", folder, 60)  # not yet verified: the Alipay QR
    scan_b = people.clone("scope4", folder, 61)  # likewise
    busy = people.clone("scope1", folder, 62)  # verified and logged in before: needs nobody
    site.seed(scan_a, scan_b, verified=False)
    site.seed(busy)
    labels = {label_of(p): p for p in (scan_a, scan_b, busy)}
    ids = {label: load(p).account.id_number for label, p in labels.items()}
    # `busy` logged in before (its login state is saved), so it needs nobody in the batch below
    before = site.start(busy, "--workers", "1")
    before.wait_line(step_line(label_of(busy), "会计管理部门"))
    before.kill()
    site.tap.captcha = CAPTCHA
    at_login = site.tap.sessions_asking("/api/captcha")

    run = site.start(folder, "--workers", "3", solver="person")
    captchas: list[str] = []  # clients whose captcha was asked, in order
    qr_shown: list[str] = []  # clients whose QR was shown, in order
    held: str | None = None  # the first QR, left unscanned until the client who needs nobody is done
    done_while_held: list[str] = []
    while (event := run.next_event(timeout=60)) is not None:
        kind, text = event
        if kind == "prompt" and (asked := CAPTCHA_ASKED.search(text)):
            label, picture, named = asked.groups()
            assert label == named and label in labels, text
            assert Path(picture).is_file(), f"the captcha picture {picture} is missing"
            if not captchas:  # hold the first until every client waits at its login form: one prompt shown
                wait_for(lambda: len(at_login) >= 2, "both clients at their login forms")
                assert not [e for e in run.queued() if CAPTCHA_ASKED.search(e[1])], "two captchas shown at once"
            captchas.append(label)
            run.answer(CAPTCHA)
        elif kind == "line" and (asked := QR_ASKED.search(text)):
            label, picture = asked.group(1), Path(asked.group(2))
            assert label in labels and label not in qr_shown, text
            assert picture.stat().st_mode & 0o777 == 0o600 and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert held is None, f"the QR of {label} was shown while {held}'s was waiting"
            qr_shown.append(label)
            if len(qr_shown) == 1:
                held = label
            else:
                site.qa("POST", f"/__mock__/realname/{ids[label]}")
        elif kind == "line" and held is not None and ("✓" in text or "✗" in text):
            assert label_of(busy) in text, f"{text!r} while the QR of {held} was waiting"
            done_while_held.append(text)
            site.qa("POST", f"/__mock__/realname/{ids[held]}")  # now the first person scans
            held = None
    code = run.finish()

    assert code == 0, run.output
    assert sorted(captchas) == sorted([label_of(scan_a), label_of(scan_b)]), captchas  # each once, named
    assert sorted(qr_shown) == sorted([label_of(scan_a), label_of(scan_b)]), qr_shown
    assert len(done_while_held) == 1 and label_of(busy) in done_while_held[0], done_while_held
    for profile in labels.values():
        assert site.mismatches(profile) == []
    for label, number in ids.items():
        assert number not in run.output and label in run.output


def test_with_no_terminal_a_client_that_needs_a_person_fails_at_once_and_the_batch_ends(
    site: Site, tmp_path: Path
) -> None:
    folder = tmp_path / "profiles"
    who = people.identity(63)
    needs = people.clone("scope1", folder, 63, stem=who.id_number)  # never logged in: the captcha; named by ID
    site.seed(needs)

    run = site.start(folder, solver="person")
    assert run.proc.stdin is not None
    run.proc.stdin.close()  # cron, nohup, CI: nobody to type anything
    code = run.finish(timeout=120)  # before the fix: the helper thread died and the batch never ended

    assert code == 1, run.output
    assert "no terminal to ask" in run.output and "没有终端可以询问" in run.output, run.output
    assert "Traceback" not in run.output and "EOFError" not in run.output
    assert who.id_number not in run.output
    [client] = run.summary()["clients"]
    assert client["outcome"] == "failed" and client["attempts"] == 1, client


def test_a_wrong_captcha_is_said_naming_the_client_before_the_next_picture(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    who = people.identity(64)
    profile = people.clone("scope1", folder, 64, stem=who.id_number)  # never logged in: the captcha; named by ID
    site.seed(profile)
    site.tap.captcha = CAPTCHA
    label = label_of(profile)

    run = site.start(folder, solver="person")
    asked: list[str] = []  # the captcha prompts, in order
    between = ""  # what was printed between the first prompt and the second
    while (event := run.next_event(timeout=60)) is not None:
        kind, text = event
        if kind == "prompt" and CAPTCHA_ASKED.search(text):
            asked.append(text)
            run.answer("WR0NG" if len(asked) == 1 else CAPTCHA)  # the person misreads the first picture
        elif len(asked) == 1:
            between += text + "\n"
    code = run.finish()

    assert code == 0, run.output
    assert len(asked) == 2 and all(f"[{label}]" in prompt for prompt in asked), asked
    told = f"[{label}] 上次输入的验证码不正确（验证码错误），请看新的图片重新输入 (the previous captcha for {label} "
    assert told in between and "was wrong: type the new one" in between, between  # before the new picture
    assert run.output.count("验证码不正确") == 1, run.output  # said once, for that refusal
    assert who.id_number not in run.output
