"""The record: every save kept server-side, the site's rules refused with its words, 提交 and 审核."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ausm_replica.testing import ReplicaQAError, ReplicaServer

from .helpers import DEPARTMENT, Person, basic, education, fill, make_uscc, refused, work


def test_every_save_is_kept_and_a_reload_resumes(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    ids = fill(someone)
    assert someone.client.put("/api/record/step", json={"step": 4}).json() == {"step": 4}
    assert someone.client.put("/api/record/step", json={"step": 2}).json() == {"step": 4}, "furthest step kept"
    # a new browser session (a reload after logging in again) sees the same record
    again = Person(server, someone.id_number, someone.mobile).login(someone.mobile)
    record = again.record()
    again.close()
    assert record["status"] == "未提交审核" and record["step"] == 4
    assert record["department"] == DEPARTMENT and record["scope"] == 1
    assert record["basic"]["photo"]["id"] == ids["photo"] and record["basic"]["postcode"] == "650000"
    assert [e["id"] for e in record["education"]] == [ids["education"]]
    assert record["work"][0]["accounting"]["work_types"] == ["出纳", "会计监督"]
    assert record["work"][0]["uscc_proof"]["id"] == ids["proof"]
    assert record["qualifications"] == {"accounting": [], "other": []} and record["review"] is None
    # edit and delete rows
    edited = someone.client.put(f"/api/record/education/{ids['education']}", json=education(school="云南大学"))
    assert edited.json()["school"] == "云南大学"
    extra = someone.client.post(
        "/api/record/education",
        json=education(mode="非全日制", start="2013-03", end="2015-07", level="硕士研究生", degree="硕士"),
    ).json()
    assert someone.client.delete(f"/api/record/education/{extra['id']}").json() == {"ok": True}
    assert [e["school"] for e in someone.record()["education"]] == ["云南大学"]
    refused(someone.client.delete(f"/api/record/education/{extra['id']}"), 404, "请求的资源不存在")


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        ({"province": "云南省", "city": "昆明地区"}, "请选择所在会计管理部门", "district"),
        ({"province": "云南省", "city": "昆明地区", "district": "朝阳区"}, "所选会计管理部门不存在", "district"),
        ({"province": "火星"}, "所选会计管理部门不存在", "province"),
        ({"province": "云南省", "city": "省直属", "district": "五华区"}, "所选会计管理部门不存在", "district"),
        ({}, "请选择所在会计管理部门", "province"),
    ],
)
def test_department_must_be_in_the_tree(
    person: Callable[..., Person], body: dict[str, Any], message: str, field: str
) -> None:
    refused(person().client.put("/api/record/department", json=body), 400, message, field)


def test_department_leaves_at_any_level(person: Callable[..., Person]) -> None:
    client = person().client
    for body in ({"province": "云南省", "city": "省直属"}, {"province": "国家机关事务管理局"}, DEPARTMENT):
        response = client.put("/api/record/department", json=body)
        assert response.status_code == 200, response.text
    refused(client.put("/api/record/scope", json={"scope": 6}), 400, "请选择采集范围", "scope")
    refused(client.put("/api/record/scope", json={}), 400, "请选择采集范围", "scope")


def test_basic_rules(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    photo, proof = someone.file_id("photo"), someone.file_id()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**basic(photo), "photo": None}, "请上传照片", "photo"),
        (basic(proof), "请上传符合要求的文件", "photo"),  # an attachment is not a photo
        (basic("f" * 24), "文件不存在或已失效", "photo"),
        (basic(photo, political_status=""), "请选择政治面貌", "political_status"),
        (basic(photo, political_status="党员"), "政治面貌选项不存在", "political_status"),
        (basic(photo, ethnicity="地球族"), "民族选项不存在", "ethnicity"),
        (basic(photo, email="not-an-email"), "请输入正确的邮箱", "email"),
        (basic(photo, address=" "), "请输入通讯地址", "address"),
        (basic(photo, address="路" * 201), "通讯地址不能超过200个字符", "address"),
        (basic(photo, postcode="65000"), "请输入正确的邮编", "postcode"),
        (basic(photo, id_front=photo), "请上传符合要求的文件", "id_front"),
    ]
    for body, message, field in cases:
        refused(client.put("/api/record/basic", json=body), 400, message, field)
    saved = client.put("/api/record/basic", json=basic(photo, email=None, postcode=None, id_front=proof)).json()
    assert saved["email"] is None and saved["id_front"]["id"] == proof and saved["id_back"] is None


def test_education_rules(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    cases: list[tuple[dict[str, Any], str, str]] = [
        (education(mode=None), "请选择培养方式", "mode"),
        (education(mode="函授"), "培养方式选项不存在", "mode"),
        (education(school=""), "请输入学校名称", "school"),
        (education(start=None), "请选择入学时间", "education.start"),
        (education(start="2008-13"), "入学时间格式不正确", "education.start"),
        (education(start="2008/09"), "入学时间格式不正确", "education.start"),
        (education(end=None), "请选择毕业时间", "education.end"),
        (education(end="2008-09"), "毕业时间须晚于入学时间", "education.end"),  # 入学 < 毕业, not equal
        (education(end="2007-06"), "毕业时间须晚于入学时间", "education.end"),
        (education(start="2030-09", end="2034-06"), "入学时间不能晚于当前时间", "education.start"),
        (education(level="本科"), "学历选项不存在", "level"),
        (education(degree=None), "请选择学位", "degree"),
        (education(major="炼金术"), "所学专业选项不存在", "major"),
        (education(attachments={"selfie": None}), "附件类型错误", "attachments.selfie"),
        (education(start="2023-09", present=True), "须上传至今在学证明", "attachments.study_proof"),
    ]
    for body, message, field in cases:
        refused(client.post("/api/record/education", json=body), 400, message, field)
    proof = {"study_proof": someone.file_id()}
    studying = client.post(
        "/api/record/education", json=education(start="2023-09", end="2027-06", present=True, attachments=proof)
    )
    assert studying.status_code == 200 and (studying.json()["end"], studying.json()["present"]) == (None, True)


def test_work_rules(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    proof, photo = someone.file_id(), someone.file_id("photo")
    assert client.post("/api/record/education", json=education()).status_code == 200
    acc = work(proof)["accounting"]
    valid = make_uscc(7)
    bad_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    cases: list[tuple[dict[str, Any], str, str]] = [
        (work(proof, start=None), "请选择工作开始时间", "work.start"),
        (work(proof, present=False), "请选择工作结束时间", "work.end"),
        (work(proof, present=False, end="2012-06"), "工作结束时间不能早于工作开始时间", "work.end"),
        (work(proof, employer=""), "请输入单位名称", "employer"),
        (work(proof, uscc=""), "请输入统一社会信用代码", "uscc"),
        (work(proof, uscc=bad_check), "请输入正确的统一社会信用代码", "uscc"),
        (work(proof, uscc="91530102MA00000"), "请输入正确的统一社会信用代码", "uscc"),
        (work(proof, employer_type="私企"), "单位类型选项不存在", "employer_type"),
        (work(proof, industry=None), "请选择所属行业", "industry"),
        (work(proof, address=""), "请输入工作单位地址", "work.address"),
        (work(proof, phone="电话"), "请输入正确的工作单位电话", "phone"),
        (work(proof, uscc_proof=None), "工作结束时间选择至今的，须上传本单位统一社会信用代码证明", "uscc_proof"),
        (work(proof, uscc_proof=photo), "请上传符合要求的文件", "uscc_proof"),
        (work(proof, has_accounting=None), "请选择是否有会计工作经历", "has_accounting"),
        (work(proof, accounting=None), "请填写本单位会计工作经历", "accounting"),
        (work(proof, accounting={**acc, "start": None}), "请选择会计工作开始时间", "accounting.start"),
        (
            work(proof, accounting={**acc, "start": "2012-06"}),
            "会计工作开始时间须在本单位工作起止时间内",
            "accounting.start",
        ),
        (work(proof, accounting={**acc, "work_types": []}), "请选择会计工作类型", "accounting.work_types"),
        (work(proof, accounting={**acc, "work_types": ["记账"]}), "会计工作类型选项不存在", "accounting.work_types"),
        (work(proof, accounting={**acc, "proof": None}), "请上传会计工作（经历）证明", "accounting.proof"),
        (work(proof, accounting={**acc, "title": "会计师"}), "请选择会计专业职务聘任时间", "accounting.title_date"),
        (
            work(proof, accounting={**acc, "title": "会计师", "title_date": "2012-06", "title_proof": proof}),
            "会计专业职务聘任时间不能早于工作开始时间",
            "accounting.title_date",
        ),
        (
            work(proof, accounting={**acc, "title": "会计师", "title_date": "2016-06"}),
            "请上传会计专业职务聘任证明",
            "accounting.title_proof",
        ),
        (work(proof, accounting={**acc, "title": "大会计"}), "会计专业职务选项不存在", "accounting.title"),
        # a full-time graduate (2008-09 → 2012-06) cannot start work on or before graduating
        (work(proof, start="2012-06", accounting={**acc, "start": "2012-07"}), "不得早于或等于毕业时间", "work.start"),
        (work(proof, start="2010-01", accounting={**acc, "start": "2010-01"}), "不得早于或等于毕业时间", "work.start"),
    ]
    for body, message, field in cases:
        refused(client.post("/api/record/work", json=body), 400, message, field)
    ok = [
        work(proof, present=False, end="2015-12", uscc_proof=None),  # a past job needs no USCC proof
        work(proof, has_accounting=False, accounting=None),
        work(proof, accounting={**acc, "title": "会计师", "title_date": "2012-07", "title_proof": proof}),
        work(
            proof,
            start="2007-03",
            present=False,
            end="2008-08",
            uscc_proof=None,
            accounting={**acc, "start": "2007-03"},
        ),  # before full-time study began
    ]
    for body in ok:
        response = client.post("/api/record/work", json=body)
        assert response.status_code == 200, response.text
    assert (
        client.post(
            "/api/record/education",
            json=education(mode="非全日制", school="某电大", start="2012-09", end="2015-06", level="大学本科"),
        ).status_code
        == 200
    )
    part_time_overlap = work(proof, start="2013-01", accounting={**acc, "start": "2013-01"})
    assert client.post("/api/record/work", json=part_time_overlap).status_code == 200, "part-time study is no bar"


def test_qualification_rules(person: Callable[..., Person]) -> None:
    client = person().client
    accounting = {"level": "初级", "method": "考试", "cert_no": "Z20190001"}
    other = {"type": "审计", "level": "中级", "date": "2020-10", "cert_no": "SJ2020001"}
    for body, message, field in [
        ({**accounting, "level": None}, "请选择职称层级", "qualifications.accounting.level"),
        ({**accounting, "method": "购买"}, "获取方式选项不存在", "method"),
        ({**accounting, "cert_no": ""}, "请输入证书号或批文号", "cert_no"),
    ]:
        refused(client.post("/api/record/qualifications/accounting", json=body), 400, message, field)
    for body, message, field in [
        ({**other, "type": None}, "请选择专业技术资格类型", "type"),
        ({**other, "level": "超级"}, "专业技术资格级别选项不存在", "qualifications.other.level"),
        ({**other, "date": None}, "请选择取得时间", "date"),
        ({**other, "date": "2099-01"}, "取得时间不能晚于当前时间", "date"),
    ]:
        refused(client.post("/api/record/qualifications/other", json=body), 400, message, field)
    row = client.post("/api/record/qualifications/other", json=other).json()
    assert row["type"] == "审计" and row["proof"] is None
    assert (
        client.put(f"/api/record/qualifications/other/{row['id']}", json={**other, "level": "初级"}).json()["level"]
        == "初级"
    )


def test_steps_need_the_parts_before_them(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    refused(client.put("/api/record/step", json={"step": 1}), 400, "会计管理部门：请选择所在会计管理部门")
    client.put("/api/record/department", json=DEPARTMENT)
    assert client.put("/api/record/step", json={"step": 1}).json() == {"step": 1}
    refused(client.put("/api/record/step", json={"step": 2}), 400, "采集须知：请选择采集范围", "scope")
    client.put("/api/record/scope", json={"scope": 1})
    client.put("/api/record/basic", json=basic(someone.file_id("photo")))
    refused(client.put("/api/record/step", json={"step": 4}), 400, "教育经历：请至少填写一条教育经历")
    client.post("/api/record/education", json=education())
    refused(client.put("/api/record/step", json={"step": 5}), 400, "工作经历：采集范围（一）须填写工作经历")
    proof = someone.file_id()
    client.post("/api/record/work", json=work(proof, has_accounting=False, accounting=None))
    refused(client.put("/api/record/step", json={"step": 5}), 400, "采集范围（一）须至少有一条会计工作经历")
    client.post("/api/record/work", json=work(proof))
    assert client.put("/api/record/step", json={"step": 6}).json() == {"step": 6}
    refused(client.put("/api/record/step", json={"step": 7}), 400, "步骤不存在", "step")


def test_submit_needs_the_promise_then_review(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    ids = fill(someone)
    refused(client.post("/api/record/submit", json={}), 400, "请勾选承诺所提供信息真实有效", "promise")
    refused(client.post("/api/record/submit", json={"promise": False}), 400, "请勾选承诺所提供信息真实有效")
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}
    record = someone.record()
    assert record["status"] == "待审核" and record["step"] == 6
    refused(client.put("/api/record/scope", json={"scope": 2}), 400, "信息已提交审核，审核期间不能修改")
    refused(client.delete(f"/api/record/work/{ids['work']}"), 400, "信息已提交审核")
    qa = f"/__mock__/review/{someone.id_number}"
    with pytest.raises(ReplicaQAError, match="审核结果数量"):
        server.qa("POST", qa, json={"basic": "pass", "education": [], "work": ["pass"]})
    verdict = {"basic": "pass", "education": ["pass"], "work": ["fail"], "reasons": {"work[0]": "证明未盖章"}}
    assert server.qa("POST", qa, json=verdict) == {"status": "审核不通过"}
    record = someone.record()
    assert record["status"] == "审核不通过"
    assert record["review"] == {
        "basic": "审核通过",
        "education": ["审核通过"],
        "work": ["审核不通过"],
        "qualifications": {"accounting": [], "other": []},
        "reasons": {"work[0]": "证明未盖章"},
    }
    # rejected: the person fixes the part and submits again
    assert (
        client.put(f"/api/record/work/{ids['work']}", json=work(ids["proof"], phone="0871-65111111")).status_code == 200
    )
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}
    assert someone.record()["review"] is None
    assert server.qa("POST", qa, json={**verdict, "work": ["pass"]}) == {"status": "审核通过"}
    assert someone.record()["status"] == "审核通过"
    with pytest.raises(ReplicaQAError, match="不在待审核状态"):
        server.qa("POST", qa, json=verdict)
    refused(client.put("/api/record/scope", json={"scope": 1}), 400, "信息已审核通过")


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (2, "专业技术资格：采集范围（二）须填写会计专业技术资格"),
        (3, "基本信息：暂未工作且不属于在校学生的或会计管理部门选择国管局的，须上传身份证明人像面"),
        (4, "教育经历：采集范围（四）须具有博士研究生学历或博士学位"),
        (5, "专业技术资格：采集范围（五）须填写中级经济、统计或审计专业技术资格"),
    ],
)
def test_submit_names_the_part_a_scope_misses(person: Callable[..., Person], scope: int, message: str) -> None:
    someone = person()
    fill(someone, scope=scope)
    refused(someone.client.post("/api/record/submit", json={"promise": True}), 400, message)


def test_scope_three_student_and_id_proofs(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    fill(someone, scope=3)
    # not working and not a student: both sides of the ID are required …
    refused(someone.client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明人像面", "id_front")
    # … but a student (a row 至今) needs none
    current = education(
        start="2023-09", present=True, level="硕士研究生", degree="硕士", attachments={"study_proof": someone.file_id()}
    )
    assert client.post("/api/record/education", json=current).status_code == 200
    assert client.post("/api/record/submit", json={"promise": True}).status_code == 200


def test_id_proofs_without_a_current_job_whatever_the_scope(person: Callable[..., Person]) -> None:
    # platform-map 5.3: people not working and not students upload both ID sides; no current (至今)
    # work row means not working, also in scopes (一)/(二)/(五) (as autofill's `id_pictures_needed`)
    someone = person()
    client = someone.client
    ids = fill(someone, scope=2)
    qualification = {"level": "初级", "method": "考试", "cert_no": "Z1"}
    assert client.post("/api/record/qualifications/accounting", json=qualification).status_code == 200
    refused(client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明人像面", "id_front")
    # scope (一) whose only job has ended: not working now either
    client.put("/api/record/scope", json={"scope": 1})
    ended = work(ids["proof"], present=False, end="2018-12", uscc_proof=None)
    ended["accounting"]["start"] = "2012-07"
    row = client.post("/api/record/work", json=ended)
    assert row.status_code == 200, row.text
    refused(client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明人像面", "id_front")
    # a current job: no ID sides needed
    assert client.put(f"/api/record/work/{row.json()['id']}", json=work(ids["proof"])).status_code == 200
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}


def test_id_proofs_for_the_state_offices_department(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    ids = fill(someone)
    client.put("/api/record/department", json={"province": "国家机关事务管理局"})
    refused(client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明人像面", "id_front")
    client.put("/api/record/basic", json=basic(ids["photo"], id_front=ids["proof"]))
    refused(client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明国徽面", "id_back")
    client.put("/api/record/basic", json=basic(ids["photo"], id_front=ids["proof"], id_back=ids["proof"]))
    assert client.post("/api/record/submit", json={"promise": True}).status_code == 200


def test_legacy_layout(server: ReplicaServer, person: Callable[..., Person]) -> None:
    server.qa("POST", "/__mock__/config", json={"layout": "legacy"})
    someone = person()
    client = someone.client
    config = client.get("/api/config").json()
    assert config["layout"] == "legacy"
    assert config["steps"] == ["采集须知", "基本信息", "教育经历", "工作经历", "会计管理部门", "审核告知"]
    refused(client.put("/api/record/step", json={"step": 1}), 400, "采集须知：请选择采集范围")
    fill(someone, scope=2)
    refused(
        client.post("/api/record/qualifications/accounting", json={"level": "初级", "method": "考试", "cert_no": "Z1"}),
        404,
        "会计人员职称",
    )
    assert client.put("/api/record/step", json={"step": 5}).json() == {"step": 5}
    # no current job and not a student: both ID sides
    refused(client.post("/api/record/submit", json={"promise": True}), 400, "须上传身份证明人像面", "id_front")
    photo, proof = someone.file_id("photo"), someone.file_id()
    assert client.put("/api/record/basic", json=basic(photo, id_front=proof, id_back=proof)).status_code == 200
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}
