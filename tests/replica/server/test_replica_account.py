"""注册, SMS codes, 登录 and 实名认证 over HTTP: each rule refused with the site's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from ausm_replica.clock import FakeClock
from ausm_replica.testing import ReplicaServer

from .helpers import PASSWORD, Person, attachment, make_id, make_mobile, refused


def _form(**changes: Any) -> dict[str, Any]:
    form = {
        "id_type": "内地居民身份证",
        "id_number": make_id(),
        "name": "李四",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "mobile": make_mobile(),
        "sms_code": None,
        "agree": True,
    }
    form.update(changes)
    return form


def _send_sms(client: httpx.Client, server: ReplicaServer, mobile: str) -> str:
    assert client.post("/api/sms", json={"mobile": mobile}).json() == {"ok": True}
    code: str = server.qa("GET", f"/__mock__/sms/{mobile}")["code"]
    return code


def test_register_then_login_with_id_number_or_mobile(server: ReplicaServer) -> None:
    with server.client() as client:
        form = _form()
        form["sms_code"] = _send_sms(client, server, form["mobile"])
        assert client.post("/api/register", json=form).json() == {"ok": True}
        stored = server.qa("GET", f"/__mock__/records/{form['id_number']}")["account"]
        assert stored == {
            "id_type": "内地居民身份证",
            "id_number": form["id_number"],
            "name": "李四",
            "mobile": form["mobile"],
            "verified": False,
        }
        # the same code cannot register twice
        again = _form(mobile=form["mobile"], sms_code=form["sms_code"])
        refused(client.post("/api/register", json=again), 400, "该手机号已注册", "mobile")
    for account in (form["id_number"], form["mobile"]):
        someone = Person(server, form["id_number"], form["mobile"])
        someone.login(account)
        me = someone.client.get("/api/me").json()
        assert me["name_masked"] == "李*" and me["verified"] is False
        someone.close()


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"id_type": None}, "请选择证件类型", "id_type"),
        ({"id_type": "身份证"}, "证件类型选项不存在", "id_type"),
        ({"id_number": ""}, "请输入证件号码", "id_number"),
        ({"id_number": "530102199003070031"}, "请输入正确的证件号码", "id_number"),  # wrong check digit
        ({"id_number": "53010219900230003X"}, "请输入正确的证件号码", "id_number"),  # 30 February
        ({"id_number": "53010219900307"}, "请输入正确的证件号码", "id_number"),
        ({"name": "  "}, "请输入真实姓名", "name"),
        ({"password": "abc12345!", "confirm": "abc12345!"}, "密码为8-16位字符", "password"),  # no capital
        ({"password": "Abc12345", "confirm": "Abc12345"}, "密码为8-16位字符", "password"),  # no symbol
        ({"password": "Ab1!", "confirm": "Ab1!"}, "密码为8-16位字符", "password"),
        ({"password": "Abcdefgh12345678!", "confirm": "Abcdefgh12345678!"}, "密码为8-16位字符", "password"),
        ({"confirm": "Abc12345?"}, "两次输入的密码不一致", "confirm"),
        ({"mobile": "12345678901"}, "请输入正确的手机号", "mobile"),
        ({"sms_code": ""}, "请输入手机验证码", "sms_code"),
        ({"sms_code": "000000x"}, "手机验证码错误或已失效", "sms_code"),
        ({"agree": False}, "请阅读并同意《服务平台服务协议》", "agree"),
    ],
)
def test_register_refusals(server: ReplicaServer, changes: dict[str, Any], message: str, field: str) -> None:
    with server.client() as client:
        form = _form()
        code = _send_sms(client, server, form["mobile"])
        form["sms_code"] = code
        form.update(changes)
        refused(client.post("/api/register", json=form), 400, message, field)


def test_register_refuses_a_taken_id_number(server: ReplicaServer, person: Callable[..., Person]) -> None:
    existing = person(login=False)
    with server.client() as client:
        form = _form(id_number=existing.id_number)
        form["sms_code"] = _send_sms(client, server, form["mobile"])
        refused(client.post("/api/register", json=form), 400, "该证件号码已注册", "id_number")


def test_sms_once_per_three_minutes_and_valid_three_minutes(server: ReplicaServer, clock: FakeClock) -> None:
    with server.client() as client:
        form = _form()
        first = _send_sms(client, server, form["mobile"])
        clock.advance(179)
        refused(client.post("/api/sms", json={"mobile": form["mobile"]}), 400, "验证码发送过于频繁，请3分钟后再试")
        clock.advance(2)  # 181 s after sending: expired, and a new one may be sent
        refused(client.post("/api/register", json={**form, "sms_code": first}), 400, "手机验证码错误或已失效")
        second = _send_sms(client, server, form["mobile"])
        assert client.post("/api/register", json={**form, "sms_code": second}).status_code == 200
        refused(client.post("/api/sms", json={"mobile": "1390000"}), 400, "请输入正确的手机号", "mobile")


def test_login_captcha_is_case_insensitive_and_used_up(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person(login=False)
    client = someone.client
    text = someone.captcha()
    wrong_password = {"account": someone.id_number, "password": "Wrong123!", "captcha": text.swapcase()}
    refused(client.post("/api/login", json=wrong_password), 400, "账号或密码错误")
    # the captcha was used by that attempt: the right password with the same captcha fails
    same = {"account": someone.id_number, "password": PASSWORD, "captcha": text}
    refused(client.post("/api/login", json=same), 400, "验证码已失效", "captcha")
    text = someone.captcha()
    refused(
        client.post("/api/login", json={**same, "captcha": "zzzz" if text != "zzzz" else "yyyy"}), 400, "验证码错误"
    )
    refused(client.post("/api/login", json={**same, "captcha": ""}), 400, "请输入验证码", "captcha")
    refused(client.post("/api/login", json={"password": PASSWORD, "captcha": "x"}), 400, "请输入证件号码或手机号")
    anonymous = client.cookies["AUSMSESSION"]
    someone.login()
    assert client.cookies["AUSMSESSION"] != anonymous, "login starts a new session id"
    assert client.get("/api/me").status_code == 200
    assert client.post("/api/logout").json() == {"ok": True}
    refused(client.get("/api/me"), 401, "登录已过期，请重新登录")


def test_me_masks_as_the_site_shows(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person(name="欧阳娜娜")
    me = someone.client.get("/api/me").json()
    assert me["id_number_masked"] == someone.id_number[:3] + "*****" + someone.id_number[-4:]
    assert me["mobile_masked"] == someone.mobile[:3] + "****" + someone.mobile[-4:]
    assert me["name_masked"] == "欧***"
    assert (me["gender"], me["birth"]) == ("男", "1990-03-07")


def test_realname_by_qr_and_online(server: ReplicaServer, person: Callable[..., Person]) -> None:
    scanner = person(verified=False)
    assert scanner.client.get("/api/realname/status").json() == {"verified": False}
    refused(scanner.client.put("/api/record/scope", json={"scope": 1}), 400, "请先完成实名认证")
    server.qa("POST", f"/__mock__/realname/{scanner.id_number}")
    assert scanner.client.get("/api/realname/status").json() == {"verified": True}
    assert scanner.client.put("/api/record/scope", json={"scope": 1}).status_code == 200

    online = person(verified=False)
    files = {
        "front": ("front.png", attachment(), "image/png"),
        "back": ("back.jpg", attachment("JPEG"), "image/jpeg"),
    }
    refused(
        online.client.post("/api/realname/online", files=files, data={"location": "云南省/昆明市"}),
        400,
        "请上传手持证件人像面",
        "handheld",
    )
    files["handheld"] = ("hand.png", attachment(size=20480), "image/png")
    refused(
        online.client.post("/api/realname/online", files=files, data={"location": "云南省/昆明市"}),
        400,
        "附件大小须大于20KB",
        "handheld",
    )
    files["handheld"] = ("hand.png", attachment(size=20481), "image/png")
    refused(
        online.client.post("/api/realname/online", files=files, data={"location": "火星"}),
        400,
        "所在省市选项不存在",
        "location",
    )
    response = online.client.post("/api/realname/online", files=files, data={"location": "云南省/昆明市"})
    assert response.json() == {"verified": True}
    stored = server.qa("GET", f"/__mock__/records/{online.id_number}")
    assert stored["account"]["verified"] is True
    assert stored["realname"]["location"] == "云南省/昆明市"
    assert stored["realname"]["handheld"]["bytes"] == 20481
