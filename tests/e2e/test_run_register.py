"""`autofill register` on the replica: the 注册 form with the SMS code read through the QA API, and a
password that breaks the site's rule refused before anything is sent."""

from __future__ import annotations

import pytest
from ausm_replica.testing import ReplicaQAError

from tests.e2e.conftest import EXAMPLES, Site, leaks, load, secrets_of

pytestmark = pytest.mark.e2e

PROFILE = EXAMPLES / "scope2.yaml"


def test_register_creates_an_account_that_can_log_in(site: Site) -> None:
    person = load(PROFILE)

    ran = site.cli("register", PROFILE)

    assert ran.exit_code == 0, ran.output
    assert "注册成功" in ran.output
    sent = [p for m, p in site.hooks.seen if m == "POST" and p in ("/api/sms", "/api/register")]
    assert sent == ["/api/sms", "/api/register"]
    account = site.record(person.account.id_number)["account"]
    assert account == {
        "id_type": person.account.id_type,
        "id_number": person.account.id_number,
        "name": person.account.name,
        "mobile": person.account.mobile,
        "verified": False,
    }
    with site.replica.server.client() as http:  # the password registered is the one given
        http.get("/api/captcha").raise_for_status()
        text = site.qa("GET", f"/__mock__/captcha?session={http.cookies['AUSMSESSION']}")["text"]
        login = http.post(
            "/api/login", json={"account": person.account.id_number, "password": site.password, "captcha": text}
        )
        assert login.status_code == 200, login.text
    assert leaks(ran.output, secrets_of(person, site.password)) == []


@pytest.mark.parametrize(
    ("password", "rule"),
    [("Ab1!xyz", "8–16"), ("abcdefg1!", "大写字母"), ("Abcdefgh12", "特殊符号")],
    ids=["too-short", "no-upper-case", "no-symbol"],
)
def test_a_password_breaking_the_rule_is_refused_before_the_form_is_sent(site: Site, password: str, rule: str) -> None:
    person = load(PROFILE)

    ran = site.cli("register", PROFILE, password=password)

    assert ran.exit_code == 1, ran.output
    assert "密码不符合网站规则" in ran.output and rule in ran.output, ran.output
    assert "Traceback" not in ran.output
    assert site.hooks.seen == []  # no browser opened, nothing reached the site
    with pytest.raises(ReplicaQAError) as missing:
        site.record(person.account.id_number)
    assert missing.value.status == 404
    assert leaks(ran.output, secrets_of(person, password)) == []
