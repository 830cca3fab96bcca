"""The values that go on the 《会计工作（经历）证明》, and every way the command refuses (no browser)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from stdnum.cn import ric, uscc
from typer.testing import CliRunner

from autofill import certificate as cert
from autofill.cli import app
from autofill.errors import ProfileError
from autofill.pack import load_pack
from autofill.profile.load import load_profile
from autofill.profile.model import Profile

PACK = load_pack()
ID_NUMBER = "53010219860317123" + ric.calc_check_digit("53010219860317123" + "0")


def _uscc(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def person(work: list[dict[str, Any]]) -> dict[str, Any]:
    """A synthetic scope (一) person with no pictures (the certificate needs none)."""
    work = copy.deepcopy(work)
    return {
        "scope": 1,
        "account": {"id_type": "内地居民身份证", "id_number": ID_NUMBER, "name": "测试乙", "mobile": "13912345678"},
        "department": {"province": "云南省", "city": "昆明地区", "district": "五华区"},
        "basic": {"political_status": "群众", "ethnicity": "汉族", "address": "云南省昆明市五华区示例路3号"},
        "education": [
            {
                "mode": "全日制",
                "school": "云南大学",
                "start": "2004-09",
                "end": "2008-07",
                "level": "大学本科",
                "diploma_no": "106731200805000456",
                "degree": "学士",
                "degree_no": "1067342008000456",
                "major": "会计学",
            }
        ],
        "work": work,
    }


def row(start: str, end: str, employer: str, accounting: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": start,
        "end": end,
        "employer": employer,
        "uscc": _uscc("91530102MA6K3XQ8P"),
        "employer_type": "企业",
        "industry": "租赁和商务服务业",
        "address": "云南省昆明市五华区示例路4号",
        "phone": "0871-61234567",
        **extra,
    }
    if accounting is not None:
        out["accounting"] = accounting
    return out


THREE_ROWS = [
    row(
        "2008-08",
        "2011-06",
        "昆明甲乙会计服务有限公司",
        {"start": "2008-09-15", "end": "2011-03", "work_types": ["出纳", "稽核"]},
    ),
    row("2011-07", "2013-12", "昆明丙丁商贸有限公司", employment_status="离职"),
    row(
        "2014-01",
        "至今",
        "昆明戊己财务咨询有限公司",
        # half-width brackets, as people type them: the pack's option (full-width) is ticked
        {"start": "2014-03", "work_types": ["收入、费用(支出)的核算", "会计监督"]},
    ),
]


def write(tmp_path: Path, data: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def model(data: dict[str, Any]) -> Profile:
    return Profile.model_validate(data)


def test_default_is_every_row_with_accounting_experience() -> None:
    certs, _ = cert.certificates(model(person(THREE_ROWS)), pack=PACK)
    assert [c.number for c in certs] == [1, 3]
    assert [c.employer for c in certs] == ["昆明甲乙会计服务有限公司", "昆明戊己财务咨询有限公司"]
    first = certs[0]
    assert first.name == "测试乙"
    assert first.id_number == ID_NUMBER  # in full: it is the person's own document
    assert ID_NUMBER not in repr(first) and ID_NUMBER not in str(certs)  # but never in a log
    assert first.uscc == THREE_ROWS[0]["uscc"]


def test_the_period_is_what_the_driver_files() -> None:
    profile = model(person(THREE_ROWS))
    certs, _ = cert.certificates(profile, pack=PACK)
    first, last = certs
    # accounting.start to accounting.end; the day only where the profile gives one
    assert (first.start.year, first.start.month, first.start.day) == (2008, 9, 15)
    assert (first.end.year, first.end.month, first.end.day) == (2011, 3, None)
    assert first.period_text == "2008-09–2011-03"
    # no accounting.end: the row's end, and 至今 stays 至今
    assert last.start.month_text == "2014-03"
    assert last.end.present
    for c in certs:
        assert (c.start, c.end) == cert.accounting_period(profile.work[c.row])


def test_accounting_end_defaults_to_the_rows_end() -> None:
    rows = [row("2008-08", "2012-05", "昆明甲乙会计服务有限公司", {"start": "2009-01", "work_types": ["出纳"]})]
    (only,), _ = cert.certificates(model(person(rows)), pack=PACK)
    assert only.period_text == "2009-01–2012-05"


def test_status_from_the_row() -> None:
    rows = [
        row("2000-08", "2003-06", "甲单位", {"start": "2000-08", "work_types": ["出纳"]}),
        row("2003-07", "2019-12", "乙单位", {"start": "2003-07", "work_types": ["出纳"]}, employment_status="退休"),
        row("2020-01", "至今", "丙单位", {"start": "2020-01", "work_types": ["出纳"]}),
    ]
    certs, notes = cert.certificates(model(person(rows)), pack=PACK)
    assert [c.status for c in certs] == ["离职", "退休", "在职"]
    for c in certs:  # exactly one box ticked, the boxes are the pack's
        assert [t.label for t in c.statuses] == PACK.option("employment_status").values
        assert sum(t.checked for t in c.statuses) == 1
    # an ended row without employment_status is printed 离职, and the user is told so
    (note,) = notes
    assert note.path == "work[0].employment_status"
    assert "离职" in note.message_zh and "退休" in note.message_en


def test_the_nine_work_types_ticked_as_in_the_profile() -> None:
    certs, _ = cert.certificates(model(person(THREE_ROWS)), pack=PACK)
    nine = PACK.option("work_type").values
    assert len(nine) == 9
    for c in certs:
        assert [t.label for t in c.types] == nine
    assert certs[0].work_types == ["出纳", "稽核"]
    assert certs[1].work_types == ["收入、费用(支出)的核算", "会计监督"]  # the site's spelling


def test_work_n_picks_one_row() -> None:
    certs, _ = cert.certificates(model(person(THREE_ROWS)), work=3, pack=PACK)
    assert [c.number for c in certs] == [3]


@pytest.mark.parametrize(
    ("work", "rows", "field", "words"),
    [
        (None, [row("2010-01", "至今", "甲单位")], "work", "没有会计工作经历"),
        (None, [], "work", "no work row has accounting experience"),
        (2, THREE_ROWS, "work[1].accounting", "work row 2 has no accounting experience"),
        (4, THREE_ROWS, "work", "there is no work row 4; the profile has 3"),
    ],
)
def test_no_accounting_experience_is_refused(
    work: int | None, rows: list[dict[str, Any]], field: str, words: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        cert.certificates(model(person(rows)), work=work, pack=PACK, file=Path("p.yaml"))
    assert caught.value.field == field
    assert words in caught.value.message
    assert re.search(r"[\u4e00-\u9fff]", caught.value.message)  # Chinese first, English in brackets


def test_a_profile_failing_check_is_refused_with_its_findings(tmp_path: Path) -> None:
    data = person(THREE_ROWS)
    data["account"]["id_number"] = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    data["work"][2]["accounting"]["start"] = "2013-01"  # before the row starts
    path = write(tmp_path, data)
    with pytest.raises(ProfileError) as caught:
        cert.prepare(path, pack=PACK)
    text = caught.value.render()
    assert "2 个错误" in text
    assert "account.id_number" in text and "work[2].accounting.start" in text


def test_missing_pictures_do_not_stop_the_certificate(tmp_path: Path) -> None:
    # no photo, no uscc_proof and, above all, no stamped certificate yet: this command makes it
    certs, notes = cert.prepare(write(tmp_path, person(THREE_ROWS)), pack=PACK)
    assert [c.number for c in certs] == [1, 3]
    later = [f for f in notes if f.code != "certificate.status"]
    paths = {f.path for f in later}
    assert "work[0].accounting.proof" in paths and "work[2].uscc_proof" in paths
    assert all(not f.is_error and cert.is_upload_field(f.path) for f in later)
    assert all(f.message_en.startswith("needed before filing") for f in later)
    assert not cert.is_upload_field("work[2].accounting.start")


def test_html_holds_the_values_escaped() -> None:
    rows = [row("2010-01", "至今", "A&B <会计> 事务所", {"start": "2010-02", "work_types": ["出纳", "会计监督"]})]
    certs, _ = cert.certificates(model(person(rows)), pack=PACK)
    page = cert.render_html(certs)
    assert "A&amp;B &lt;会计&gt; 事务所" in page and "<会计>" not in page
    assert ID_NUMBER in page
    assert "{{" not in page
    body = page[page.index("<body>") :]
    # ☑ for 在职 and the two types, ☐ for the other two statuses and seven types
    assert body.count("☑") == 3 and body.count("☐") == 9
    assert 'data-field="end_present">今<' in body  # 至今 prints as 至今
    assert 'data-field="start_day"></span>' in body  # no day in the profile: the blank stays blank


def test_template_values_are_never_scanned_again() -> None:
    filled = cert.fill_template("<p>{{a}}</p>{{#xs}}[{{a}}]{{/xs}}", {"a": "{{b}}", "xs": [{"a": "1"}, {"a": "2"}]})
    assert filled == "<p>{{b}}</p>[1][2]"
    with pytest.raises(KeyError):
        cert.fill_template("{{missing}}", {})


def test_output_files(tmp_path: Path) -> None:
    certs, _ = cert.certificates(model(person(THREE_ROWS)), pack=PACK)
    assert cert.output_files(tmp_path / "c.pdf", certs) == [tmp_path / "c.pdf"]
    # several PNGs are numbered by the work row's 序号
    assert cert.output_files(tmp_path / "c.png", certs) == [tmp_path / "c-1.png", tmp_path / "c-3.png"]
    assert cert.output_files(tmp_path / "c.png", certs[:1]) == [tmp_path / "c.png"]
    with pytest.raises(cert.OutputError, match=r"\.pdf 或 \.png"):
        cert.output_files(tmp_path / "c.docx", certs)
    with pytest.raises(cert.OutputError, match="no such directory"):
        cert.output_files(tmp_path / "nowhere" / "c.pdf", certs)


class _BrokenBrowser:
    def new_page(self, **_: Any) -> Any:
        raise OSError("the renderer died")


def test_a_failed_render_leaves_no_partial_output(tmp_path: Path) -> None:
    certs, _ = cert.certificates(model(person(THREE_ROWS)), pack=PACK)
    old = tmp_path / "c.pdf"
    old.write_bytes(b"the previous certificate")
    with pytest.raises(OSError, match="renderer died"):
        cert.write_certificates(certs, old, browser=cast(Any, _BrokenBrowser()))
    assert old.read_bytes() == b"the previous certificate"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pdf"]


def test_atomic_write_all_files(tmp_path: Path) -> None:
    cert.write_atomically({tmp_path / "a-1.png": b"one", tmp_path / "a-3.png": b"three"})
    assert (tmp_path / "a-3.png").read_bytes() == b"three"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-1.png", "a-3.png"]
    with pytest.raises(cert.OutputError, match="cannot write"):
        cert.write_atomically({tmp_path / "missing-dir" / "a.pdf": b"x"})


runner = CliRunner()


def test_cli_refuses_a_profile_without_accounting(tmp_path: Path) -> None:
    path = write(tmp_path, person([row("2010-01", "至今", "甲单位")]))
    out = tmp_path / "c.pdf"
    result = runner.invoke(app, ["certificate", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "没有会计工作经历" in result.output and "no work row has accounting experience" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_refuses_a_row_without_accounting(tmp_path: Path) -> None:
    path = write(tmp_path, person(THREE_ROWS))
    result = runner.invoke(app, ["certificate", str(path), "--work", "2", "-o", str(tmp_path / "c.pdf")])
    assert result.exit_code == 1
    assert "work[1].accounting" in result.output
    assert ID_NUMBER not in result.output


def test_cli_refuses_a_profile_with_errors(tmp_path: Path) -> None:
    data = person(THREE_ROWS)
    data["work"][0]["accounting"]["work_types"] = ["出纳", "记账"]
    path = write(tmp_path, data)
    result = runner.invoke(app, ["certificate", str(path), "-o", str(tmp_path / "c.pdf")])
    assert result.exit_code == 1
    assert "work[0].accounting.work_types[1]" in result.output and "记账" in result.output
    assert not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [("c.jpg", ".pdf 或 .png"), ("cert.txt", "must be a .pdf or .png file"), ("nowhere/c.pdf", "no such directory")],
)
def test_cli_a_bad_output_is_a_bad_command_line(tmp_path: Path, name: str, words: str) -> None:
    """A bad -o is a bad command line (exit 2): the usage line, then the option named in both languages."""
    path = write(tmp_path, person(THREE_ROWS))
    result = runner.invoke(app, ["certificate", str(path), "-o", str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Usage: ") and " certificate [OPTIONS]" in result.output.splitlines()[0]
    assert "错误 (error): 选项 -o / --output 的值无效 (invalid value for '-o' / '--output'): " in result.output
    assert words in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_loaded_example_profile_has_a_certificate() -> None:
    loaded = load_profile(Path(__file__).resolve().parents[2] / "profiles" / "examples" / "scope1.yaml")
    assert loaded.profile is not None
    certs, notes = cert.certificates(loaded.profile, pack=PACK)
    assert [c.status for c in certs] == ["在职"] and not notes


def test_a_target_that_cannot_be_replaced_leaves_every_existing_file_as_it_was(tmp_path: Path) -> None:
    kept = tmp_path / "x-1.png"
    kept.write_bytes(b"an earlier certificate")
    (tmp_path / "x-2.png").mkdir()

    with pytest.raises(cert.OutputError) as caught:
        cert.write_atomically({kept: b"new 1", tmp_path / "x-2.png": b"new 2"})

    assert "x-2.png" in caught.value.render() and "folder" in caught.value.render()
    assert kept.read_bytes() == b"an earlier certificate"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-1.png", "x-2.png"]  # no temporary file left
