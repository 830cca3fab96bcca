"""Logging in: a wrong captcha is tried again with a fresh one; wrong credentials are sent once only
(the same wrong password again and again locks an account on the real site), with a hint where the
password came from and that an account not registered yet needs `autofill register`."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import EXAMPLES, Site, leaks, secrets_of

pytestmark = pytest.mark.e2e

PROFILE = EXAMPLES / "scope2.yaml"


def logins(site: Site) -> int:
    return sum(1 for method, path in site.hooks.seen if (method, path) == ("POST", "/api/login"))


def test_wrong_credentials_are_sent_once_and_say_where_the_password_came_from(site: Site) -> None:
    person = site.seed(PROFILE)
    wrong = "Wr0ng#Passw0rd"

    ran = site.cli("status", PROFILE, password=wrong)

    assert ran.exit_code == 1, ran.output
    assert logins(site) == 1, ran.output
    error = ran.output[ran.output.index("错误 (error):") :]
    assert "账号或密码错误" in error and "未重试" in error and "Not tried again" in error, error
    for source in ("AUTOFILL_PASSWORD", "autofill password set", "autofill register"):
        assert source in error, error
    assert "Traceback" not in ran.output
    assert leaks(ran.output, secrets_of(person, wrong)) == []


def test_a_wrong_captcha_is_tried_again_and_wrong_credentials_then_stop_it(site: Site) -> None:
    site.seed(PROFILE)
    refused = site.hooks.once("POST", "/api/login", lambda: (400, {"message": "验证码错误", "field": "captcha"}))

    ran = site.cli("status", PROFILE, password="Wr0ng#Passw0rd")

    assert ran.exit_code == 1, ran.output
    assert refused == [1]
    assert logins(site) == 2, ran.output  # the captcha once more, the password not again
    assert "账号或密码错误" in ran.output and "autofill register" in ran.output, ran.output
