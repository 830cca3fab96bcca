"""在校生 (an education row 至今): the proof of current study when the row is saved; the finished row
and, for a 大专 student registering for the primary exam, the high-school diploma at 下一步 and 提交
(platform-map 5.4; the replica's `students` in data/site.json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ausm_replica.testing import ReplicaServer

from .helpers import Person, basic, education, first_parts, refused

STUDY_PROOF = "在校生须上传至今在学证明（有学校信息的学生证或学信网教育部学籍在线验证报告）"
TWO_ROWS = "教育经历：在校生须填写已取得的最高学历和至今在学两条教育经历"
HIGH_SCHOOL = "教育经历：拟报名初级会计专业技术资格考试的大专在校生，须上传高中（中专、职高、技校）毕业证"


def high_school(**changes: Any) -> dict[str, Any]:
    """A finished 普通高中 row, 2019-09 → 2022-07 (no attachments)."""
    row = {"school": "昆明市第一中学", "start": "2019-09", "end": "2022-07", "level": "普通高中", "degree": "无"}
    return education(**{**row, "major": "其他", "diploma_no": None, **changes})


def college(proof: str | None, **changes: Any) -> dict[str, Any]:
    """A current (至今) 全日制 大学专科 row from 2022-09, with `proof` as its 在学证明."""
    row = {"school": "云南某某职业学院", "start": "2022-09", "end": None, "present": True, "level": "大学专科"}
    attachments = {"study_proof": proof} if proof else {}
    return education(
        **{**row, "degree": "无", "major": "大数据与会计", "diploma_no": None, "attachments": attachments, **changes}
    )


def not_working_student(someone: Person, scope: int = 3) -> dict[str, str]:
    """Department, scope and 基本信息 saved (no ID pictures: a student needs none); file ids made."""
    return first_parts(someone, scope)


def test_a_current_study_row_is_refused_without_its_proof(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    ids = not_working_student(someone)
    refused(client.post("/api/record/education", json=college(None)), 400, STUDY_PROOF, "attachments.study_proof")
    # another slot is no proof of current study
    wrong_slot = college(None, attachments={"diploma_proof": ids["proof"]})
    refused(client.post("/api/record/education", json=wrong_slot), 400, STUDY_PROOF, "attachments.study_proof")
    saved = client.post("/api/record/education", json=college(ids["proof"]))
    assert saved.status_code == 200, saved.text
    assert saved.json()["attachments"]["study_proof"]["id"] == ids["proof"]
    # an edit cannot drop it either
    row = saved.json()["id"]
    refused(client.put(f"/api/record/education/{row}", json=college(None)), 400, STUDY_PROOF, "attachments.study_proof")
    assert someone.record()["education"][0]["attachments"]["study_proof"]["id"] == ids["proof"]
    # a finished row needs no proof of current study
    assert client.post("/api/record/education", json=high_school()).status_code == 200


def test_a_student_files_the_finished_row_as_well(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    ids = not_working_student(someone, scope=4)  # not the primary exam: no high-school diploma asked
    assert (
        client.post("/api/record/education", json=college(ids["proof"], level="博士研究生", degree="无")).status_code
        == 200
    )
    # only the current study: neither 下一步 past 教育经历 (step 4 → 工作经历) nor 提交 goes through
    refused(client.put("/api/record/step", json={"step": 4}), 400, TWO_ROWS, "education")
    refused(client.post("/api/record/submit", json={"promise": True}), 400, TWO_ROWS, "education")
    finished = education(start="2016-09", end="2022-07", level="硕士研究生", degree="硕士")
    assert client.post("/api/record/education", json=finished).status_code == 200
    assert client.put("/api/record/step", json={"step": 4}).json() == {"step": 4}
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}


def test_a_college_student_for_the_primary_exam_shows_the_high_school_diploma(person: Callable[..., Person]) -> None:
    someone = person()
    client = someone.client
    ids = not_working_student(someone, scope=3)
    school = client.post("/api/record/education", json=high_school()).json()["id"]
    assert client.post("/api/record/education", json=college(ids["proof"])).status_code == 200
    # the rows themselves are saved; the missing diploma stops 下一步 and 提交
    refused(client.put("/api/record/step", json={"step": 4}), 400, HIGH_SCHOOL, "attachments.diploma_proof")
    refused(client.post("/api/record/submit", json={"promise": True}), 400, HIGH_SCHOOL, "attachments.diploma_proof")
    with_diploma = high_school(attachments={"diploma_proof": ids["proof"]})
    assert client.put(f"/api/record/education/{school}", json=with_diploma).status_code == 200
    assert client.put("/api/record/step", json={"step": 4}).json() == {"step": 4}
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}


def test_the_high_school_diploma_is_asked_only_of_college_students_for_the_primary_exam(
    person: Callable[..., Person],
) -> None:
    # a 本科 student in scope (三), and a 大专 student in scope (四): no diploma asked on the finished row
    for scope, level in ((3, "大学本科"), (4, "大学专科")):
        someone = person()
        client = someone.client
        ids = not_working_student(someone, scope=scope)
        doctor = education(start="2010-09", end="2016-07", level="博士研究生", degree="博士")
        finished = doctor if scope == 4 else high_school()
        assert client.post("/api/record/education", json=finished).status_code == 200
        assert client.post("/api/record/education", json=college(ids["proof"], level=level)).status_code == 200
        response = client.post("/api/record/submit", json={"promise": True})
        assert response.json() == {"status": "待审核"}, (scope, level, response.text)


def test_people_not_studying_are_not_asked_for_student_rows(person: Callable[..., Person]) -> None:
    # one finished row is enough for everyone else (scope (三) without a current study: the ID sides)
    someone = person()
    client = someone.client
    ids = not_working_student(someone, scope=3)
    assert client.post("/api/record/education", json=high_school()).status_code == 200
    assert client.put("/api/record/step", json={"step": 4}).json() == {"step": 4}
    photo = ids["photo"]
    both = basic(photo, id_front=ids["proof"], id_back=ids["proof"])
    assert client.put("/api/record/basic", json=both).status_code == 200
    assert client.post("/api/record/submit", json={"promise": True}).json() == {"status": "待审核"}


def test_a_current_row_stored_without_its_proof_is_refused_at_submit(
    server: ReplicaServer, person: Callable[..., Person]
) -> None:
    # rules are checked again on 提交: a row kept from before the rule (a --db file) is refused there too
    someone = person()
    client = someone.client
    ids = not_working_student(someone, scope=4)
    assert client.post("/api/record/education", json=education(level="博士研究生", degree="博士")).status_code == 200
    assert client.post("/api/record/education", json=college(ids["proof"])).status_code == 200
    with server.replica.store.atomic():
        doc = server.replica.load(someone.id_number)
        doc["education"][1]["attachments"] = {}
        server.replica.store.put_record(someone.id_number, doc)
    refused(
        client.post("/api/record/submit", json={"promise": True}),
        400,
        f"教育经历：{STUDY_PROOF}",
        "attachments.study_proof",
    )
