"""The QA API exactly as listed in fixtures/mock_site/API.md, and state that survives a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ausm_replica.testing import ReplicaQAError, ReplicaServer

from .helpers import DEPARTMENT, Person, attachment, fill, make_id, make_mobile, refused

FILE_KEYS = {"name", "bytes", "width", "height", "sha256"}


def test_accounts_and_reset(server: ReplicaServer) -> None:
    id_number = make_id()
    account: dict[str, Any] = {
        "id_type": "内地居民身份证",
        "id_number": id_number,
        "name": "孙七",
        "mobile": make_mobile(),
        "password": "Abc12345!",
        "verified": True,
    }
    with server.client() as client:
        created = client.post("/__mock__/accounts", json=account)
        assert created.status_code == 201
        assert created.json() == {k: v for k, v in account.items() if k != "password"}
        refused(client.post("/__mock__/accounts", json=account), 400, "该证件号码已注册")
        refused(
            client.post("/__mock__/accounts", json={**account, "id_number": id_number[:-1] + "Y"}),
            400,
            "请输入正确的证件号码",
        )
        refused(client.post("/__mock__/accounts", json={**account, "verified": "maybe"}), 422, "请求格式错误")
        client.post("/api/sms", json={"mobile": "13800000000"})
        client.get("/api/captcha")
        session = client.cookies["AUSMSESSION"]
        assert set(client.get("/__mock__/captcha", params={"session": session}).json()) == {"text"}
        assert client.post("/__mock__/reset").json() == {"ok": True}
        for path in (
            f"/__mock__/records/{account['id_number']}",
            "/__mock__/sms/13800000000",
            f"/__mock__/captcha?session={session}",
        ):
            assert client.get(path).status_code == 404, path
        refused(client.post(f"/__mock__/realname/{account['id_number']}"), 404, "账号不存在")


def test_captcha_sms_and_realname(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person(verified=False, login=False)
    someone.client.post("/api/sms", json={"mobile": someone.mobile})
    code = server.qa("GET", f"/__mock__/sms/{someone.mobile}")
    assert set(code) == {"code"} and code["code"].isdigit() and len(code["code"]) == 6
    text = someone.captcha()
    assert len(text) == 4
    assert someone.captcha() != text, "a new captcha each call"
    assert server.qa("POST", f"/__mock__/realname/{someone.id_number}") == {"verified": True}
    assert server.qa("GET", f"/__mock__/records/{someone.id_number}")["account"]["verified"] is True


def test_record_shape_and_review(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    fill(someone)
    stored = server.qa("GET", f"/__mock__/records/{someone.id_number}")
    assert set(stored) == {
        "account",
        "status",
        "step",
        "department",
        "scope",
        "basic",
        "education",
        "work",
        "qualifications",
        "review",
        "realname",
    }
    assert set(stored["account"]) == {"id_type", "id_number", "name", "mobile", "verified"}
    assert set(stored["basic"]["photo"]) == FILE_KEYS and stored["basic"]["photo"]["width"] == 295
    assert set(stored["work"][0]["accounting"]["proof"]) == FILE_KEYS
    assert stored["status"] == "未提交审核"
    with pytest.raises(ReplicaQAError) as refusal:
        server.qa(
            "POST",
            f"/__mock__/review/{someone.id_number}",
            json={"basic": "pass", "education": ["pass"], "work": ["pass"]},
        )
    assert refusal.value.status == 409 and "不在待审核状态" in refusal.value.message
    someone.client.post("/api/record/submit", json={"promise": True})
    verdict = {"basic": "fail", "education": ["pass"], "work": ["pass"], "reasons": {"basic": "照片不合格"}}
    assert server.qa("POST", f"/__mock__/review/{someone.id_number}", json=verdict) == {"status": "审核不通过"}
    reviewed = server.qa("GET", f"/__mock__/records/{someone.id_number}")
    assert reviewed["review"] == {
        "basic": "审核不通过",
        "education": ["审核通过"],
        "work": ["审核通过"],
        "reasons": {"basic": "照片不合格"},
    }
    with pytest.raises(ReplicaQAError, match="422"):
        server.qa("POST", f"/__mock__/review/{someone.id_number}", json={"basic": "maybe"})


def test_config_live(server: ReplicaServer) -> None:
    shown = server.qa(
        "POST", "/__mock__/config", json={"layout": "legacy", "faults": "latency=1-2,session_ttl=99", "seed": 5}
    )
    assert shown == {"layout": "legacy", "faults": "latency=1-2,session_ttl=99", "seed": 5, "session_ttl": 99}
    assert server.qa("GET", "/__mock__/config") == shown
    for body, message in [({"layout": "mobile"}, "布局不存在：mobile"), ({"faults": "latency=x"}, "故障设置错误")]:
        with pytest.raises(ReplicaQAError, match=message):
            server.qa("POST", "/__mock__/config", json=body)


def test_state_survives_a_restart_with_a_database_file(tmp_path: Path) -> None:
    db = tmp_path / "replica.db"
    with ReplicaServer(db=db) as first:
        someone = Person.create(first).login()
        someone.client.put("/api/record/department", json=DEPARTMENT)
        data = attachment("JPEG", 40000)
        file_id = someone.upload(data, "attachment", "proof.jpg").json()["id"]
        cookie = someone.client.cookies["AUSMSESSION"]
        someone.close()
    with ReplicaServer(db=db) as second, second.client() as client:
        client.cookies.set("AUSMSESSION", cookie)
        record = client.get("/api/record").json()
        assert record["department"] == DEPARTMENT, "the session and the record survived"
        assert client.get(f"/api/files/{file_id}").content == data
        again = Person(second, someone.id_number, someone.mobile).login()
        assert again.record()["department"] == DEPARTMENT
        again.close()
