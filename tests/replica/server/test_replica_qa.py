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
        "qualifications": {"accounting": [], "other": []},
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


def _with_qualifications(server: ReplicaServer, person: Callable[..., Person]) -> Person:
    """A submitted scope-(一) record with two accounting and one other qualification rows."""
    someone = person()
    client = someone.client
    fill(someone)
    for level in ("初级", "中级"):
        body = {"level": level, "method": "考试", "cert_no": f"K{level}"}
        assert client.post("/api/record/qualifications/accounting", json=body).status_code == 200
    other = {"type": "审计", "level": "中级", "date": "2019-05", "cert_no": "S1"}
    assert client.post("/api/record/qualifications/other", json=other).status_code == 200
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}
    return someone


def test_review_judges_qualification_rows(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = _with_qualifications(server, person)
    qa = f"/__mock__/review/{someone.id_number}"
    reason = "证书编号与在线校验结果不符，请上传证书"
    verdict = {
        "basic": "pass",
        "education": ["pass"],
        "work": ["pass"],
        "qualifications": {"accounting": ["pass", "fail"], "other": ["pass"]},
        "reasons": {"qualifications.accounting[1]": reason},
    }
    for counts, part in [
        ({"accounting": ["pass"], "other": ["pass"]}, "qualifications.accounting"),
        ({"accounting": ["pass", "pass"], "other": []}, "qualifications.other"),
    ]:
        with pytest.raises(ReplicaQAError, match=f"{part}审核结果数量") as refusal:
            server.qa("POST", qa, json={**verdict, "qualifications": counts})
        assert refusal.value.status == 400
    assert someone.record()["status"] == "待审核"
    # a qualification alone decides the outcome
    assert server.qa("POST", qa, json=verdict) == {"status": "审核不通过"}
    review = someone.record()["review"]
    assert review["qualifications"] == {"accounting": ["审核通过", "审核不通过"], "other": ["审核通过"]}
    assert review["reasons"] == {"qualifications.accounting[1]": reason}
    assert server.qa("GET", f"/__mock__/records/{someone.id_number}")["review"] == review
    # verdicts follow the row, not its place: deleting the first row keeps the second one's
    first = someone.record()["qualifications"]["accounting"][0]["id"]
    assert someone.client.delete(f"/api/record/qualifications/accounting/{first}").status_code == 200
    assert someone.record()["review"]["qualifications"]["accounting"] == ["审核不通过"]


def test_review_without_qualification_verdicts_passes_those_rows(
    server: ReplicaServer, person: Callable[..., Person]
) -> None:
    # the API as before: qualifications left out (or one table left out) pass and do not decide
    someone = _with_qualifications(server, person)
    qa = f"/__mock__/review/{someone.id_number}"
    verdict = {"basic": "fail", "education": ["pass"], "work": ["pass"]}
    assert server.qa("POST", qa, json=verdict) == {"status": "审核不通过"}
    assert someone.record()["review"]["qualifications"] == {
        "accounting": ["审核通过", "审核通过"],
        "other": ["审核通过"],
    }
    assert someone.client.post("/api/record/submit", json={"promise": True}).status_code == 200
    only_other = {**verdict, "basic": "pass", "qualifications": {"other": ["fail"]}}
    assert server.qa("POST", qa, json=only_other) == {"status": "审核不通过"}
    assert someone.record()["review"]["qualifications"] == {
        "accounting": ["审核通过", "审核通过"],
        "other": ["审核不通过"],
    }
    with pytest.raises(ReplicaQAError, match="422"):
        server.qa("POST", qa, json={**verdict, "qualifications": {"accounting": ["maybe"]}})


def test_explicit_session_ttl_wins_over_a_session_ttl_fault(server: ReplicaServer) -> None:
    server.qa("POST", "/__mock__/config", json={"faults": "latency=1-2,session_ttl=120"})
    shown = server.qa("POST", "/__mock__/config", json={"session_ttl": 30})
    # the fault's lifetime is dropped, the other faults stay
    assert shown["session_ttl"] == 30 and shown["faults"] == "latency=1-2"
    assert server.qa("GET", "/api/config")["session_ttl"] == 30
    # in one call too
    shown = server.qa("POST", "/__mock__/config", json={"faults": "session_ttl=120", "session_ttl": 45})
    assert (shown["session_ttl"], shown["faults"]) == (45, "none")
    # a fault set later wins in turn (the last one set)
    assert server.qa("POST", "/__mock__/config", json={"faults": "session_ttl=90"})["session_ttl"] == 90


def test_config_restarts_the_fault_streams_only_for_faults_or_seed(
    server: ReplicaServer, person: Callable[..., Person]
) -> None:
    server.qa("POST", "/__mock__/config", json={"faults": "save_error_rate=1", "seed": 4})
    client = person().client
    refused(client.put("/api/record/scope", json={"scope": 1}), 500, "系统繁忙")
    logged = server.qa("GET", "/__mock__/faults")["log"]
    assert len(logged) == 1
    # a layout or lifetime change keeps the streams and their log
    server.qa("POST", "/__mock__/config", json={"layout": "legacy"})
    server.qa("POST", "/__mock__/config", json={"session_ttl": 600})
    assert server.qa("GET", "/__mock__/faults")["log"] == logged
    refused(client.put("/api/record/scope", json={"scope": 1}), 500, "系统繁忙")
    assert [e["draw"] for e in server.qa("GET", "/__mock__/faults")["log"]] == [1, 2]
    # faults or seed start them again
    server.qa("POST", "/__mock__/config", json={"seed": 4})
    assert server.qa("GET", "/__mock__/faults")["log"] == []


def test_reset_keeps_the_settings(server: ReplicaServer) -> None:
    # API.md: reset empties the state, never the settings (layout, faults, seed, session_ttl, clock)
    settings = {"layout": "legacy", "faults": "latency=1-2", "seed": 9, "session_ttl": 77}
    server.qa("POST", "/__mock__/config", json=settings)
    before = server.qa("POST", "/__mock__/clock", json={"advance": 0})["now"]
    server.reset()
    assert server.qa("GET", "/__mock__/config") == settings
    assert server.qa("POST", "/__mock__/clock", json={"advance": 0})["now"] == before
    assert server.qa("GET", "/__mock__/faults")["log"] == []


def test_config_names_the_levels_checked_against_xuexin(server: ReplicaServer) -> None:
    # the 审核方式 column reads them (education.js): 大专 and above, kept as data in site.json
    levels = server.qa("GET", "/api/config")["auto_check_levels"]
    assert levels == server.replica.data.rules.auto_check_levels
    assert set(levels) == {"博士研究生", "硕士研究生", "大学本科", "大学专科"}
    assert set(levels) < set(server.qa("GET", "/api/options")["education_level"])


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
