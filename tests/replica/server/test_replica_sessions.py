"""Sessions expire after the configured idle time; one account never reads or changes another's."""

from __future__ import annotations

from collections.abc import Callable

from ausm_replica.clock import FakeClock
from ausm_replica.testing import ReplicaServer

from .helpers import DEPARTMENT, Person, attachment, basic, education, fill, refused, work


def test_every_wizard_api_needs_a_session(server: ReplicaServer) -> None:
    with server.client() as client:
        for method, path in [
            ("GET", "/api/me"),
            ("GET", "/api/record"),
            ("PUT", "/api/record/scope"),
            ("POST", "/api/record/education"),
            ("PUT", "/api/record/step"),
            ("POST", "/api/record/submit"),
            ("POST", "/api/files"),
            ("GET", "/api/files/abc"),
            ("GET", "/api/realname/status"),
            ("POST", "/api/realname/online"),
            ("DELETE", "/api/record/work/abc"),
        ]:
            refused(client.request(method, path, json={}), 401, "登录已过期，请重新登录")
        # an anonymous (captcha) session is not a login
        client.get("/api/captcha")
        refused(client.get("/api/record"), 401, "登录已过期，请重新登录")


def test_session_expires_after_idle_time(
    server: ReplicaServer, clock: FakeClock, person: Callable[..., Person]
) -> None:
    someone = person()
    client = someone.client
    client.put("/api/record/department", json=DEPARTMENT)
    for _ in range(3):  # activity keeps the session alive well past one lifetime
        clock.advance(1700)
        assert client.get("/api/record").status_code == 200
    clock.advance(1801)
    refused(client.get("/api/record"), 401, "登录已过期，请重新登录")
    refused(client.put("/api/record/scope", json={"scope": 1}), 401, "登录已过期")
    # logging in again resumes the saved record
    someone.login()
    assert someone.record()["department"] == DEPARTMENT


def test_session_ttl_is_configurable(server: ReplicaServer, clock: FakeClock, person: Callable[..., Person]) -> None:
    server.qa("POST", "/__mock__/config", json={"session_ttl": 60})
    client = person().client
    assert client.get("/api/config").json()["session_ttl"] == 60
    clock.advance(59)
    assert client.get("/api/me").status_code == 200
    clock.advance(61)
    refused(client.get("/api/me"), 401, "登录已过期，请重新登录")


def test_one_account_cannot_read_or_change_another(server: ReplicaServer, person: Callable[..., Person]) -> None:
    owner, intruder = person(name="王五"), person(name="赵六")
    ids = fill(owner)
    qualification = owner.client.post(
        "/api/record/qualifications/accounting", json={"level": "初级", "method": "考试", "cert_no": "Z1"}
    ).json()
    before = server.qa("GET", f"/__mock__/records/{owner.id_number}")
    client = intruder.client
    for method, path, body in [
        ("PUT", f"/api/record/education/{ids['education']}", education(school="篡改大学")),
        ("DELETE", f"/api/record/education/{ids['education']}", None),
        ("PUT", f"/api/record/work/{ids['work']}", work(intruder.file_id())),
        ("DELETE", f"/api/record/work/{ids['work']}", None),
        (
            "PUT",
            f"/api/record/qualifications/accounting/{qualification['id']}",
            {"level": "中级", "method": "考试", "cert_no": "Z2"},
        ),
        ("GET", f"/api/files/{ids['photo']}", None),
    ]:
        refused(client.request(method, path, json=body), 403, "无权访问该信息")
    # another person's file cannot be used in one's own record either
    refused(client.put("/api/record/basic", json=basic(ids["photo"])), 403, "无权访问该信息", "photo")
    own_proof = intruder.file_id()
    refused(client.post("/api/record/work", json=work(own_proof, uscc_proof=ids["proof"])), 403, "无权访问该信息")
    # a row id of one part is not a row of another
    refused(client.put(f"/api/record/work/{ids['education']}", json=work(own_proof)), 404, "请求的资源不存在")
    # the intruder sees only their own (empty) record; the owner's is unchanged
    mine = intruder.record()
    assert mine["education"] == [] and mine["work"] == [] and mine["basic"] is None
    assert server.qa("GET", f"/__mock__/records/{owner.id_number}") == before
    assert intruder.upload(attachment(), "attachment").status_code == 200
