"""Each rule of the checker, broken on its own in a copy of a valid example, is reported at its field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from autofill.cli import app
from tests.unit.conftest import EXAMPLES, Examples, Mutator

runner = CliRunner()


def check(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *map(str, paths), *extra])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_passes_clean(name: str) -> None:
    code, out = check(EXAMPLES / f"{name}.yaml")
    assert code == 0, out
    assert "检查通过" in out
    assert "warning" not in out


CONTRACT = (EXAMPLES / "scope1.yaml").read_text(encoding="utf-8").split("\n", 1)[1]


def test_the_contract_file_as_written_passes(tmp_path: Path) -> None:
    """The profile of the foundation issue, saved beside the pictures it names, exits 0."""
    (tmp_path / "files").symlink_to(EXAMPLES / "files")
    profile = tmp_path / "person.yaml"
    profile.write_text(CONTRACT, encoding="utf-8")
    assert CONTRACT.startswith("# 采集范围")
    code, out = check(profile)
    assert code == 0, out


def _set(path: str, value: Any) -> Mutator:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _all(*changes: Mutator) -> Mutator:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)

    return change


_DELETE = object()
EARLIER_JOB = {
    "start": "2010-01",
    "end": "至今",
    "employer": "示例兼职公司",
    "uscc": "91530102MA6K3XQ8PD",
    "employer_type": "企业",
    "industry": "批发和零售业",
    "address": "示例路",
    "phone": "0871-1234567",
    "uscc_proof": "files/licence.jpg",
}

BROKEN: list[tuple[str, str, Mutator, str, str]] = [
    # (id, example, change, field path in the message, words in the message)
    ("id-checksum", "scope1", _set("account.id_number", "530102199005121236"), "account.id_number", "校验位"),
    ("id-length", "scope1", _set("account.id_number", "53010219900512"), "account.id_number", "18"),
    ("gender-derived", "scope1", _set("account.gender", "女"), "account.gender", "性别与身份证号码不符"),
    ("birth-derived", "scope1", _set("account.birth_date", "1990-06"), "account.birth_date", "出生年月"),
    ("foreign-id-needs-gender", "scope1", _set("account.id_type", "护照"), "account.gender", "性别"),
    ("mobile", "scope1", _set("account.mobile", "1391234567"), "account.mobile", "手机号"),
    ("email", "scope1", _set("basic.email", "ceshi-at-example.com"), "basic.email", "邮箱"),
    ("postcode", "scope1", _set("basic.postcode", "65000"), "basic.postcode", "邮编"),
    (
        "uscc-checksum",
        "scope1",
        _set("work.0.uscc", "91530102MA6K3XQ8PE"),
        "work[0].uscc",
        "统一社会信用代码",
    ),
    ("work-end-before-start", "scope2", _set("work.0.end", "2013-01"), "work[0].end", "工作结束时间不能早于"),
    (
        "study-end-not-after-start",
        "scope1",
        _set("education.0.end", "2008-09"),
        "education[0].end",
        "毕业时间应晚于",
    ),
    ("future-date", "scope2", _set("work.0.start", "2099-01"), "work[0].start", "晚于今天"),
    ("bad-date", "scope1", _set("education.0.start", "2008-13"), "education[0].start", "不存在的日期"),
    (
        "present-only-on-current-work",
        "scope1",
        lambda d: d["work"].append(dict(EARLIER_JOB)),
        "work[1].end",
        "至今",
    ),
    (
        "present-only-while-studying",
        "student",
        _all(_set("education.0.end", "至今"), _set("education.1.end", "2024-07")),
        "education[0].end",
        "至今",
    ),
    (
        "full-time-graduate-accounting-start",
        "scope1",
        _all(_set("work.0.start", "2012-07"), _set("work.0.accounting.start", "2012-07")),
        "work[0].accounting.start",
        "会计工作开始时间必须晚于全日制毕业时间 2012-07",
    ),
    (
        "accounting-start-in-work",
        "scope1",
        _set("work.0.accounting.start", "2012-06"),
        "work[0].accounting.start",
        "",
    ),
    (
        "title-date-before-work",
        "scope1",
        _set("work.0.accounting.title_date", "2011-06"),
        "work[0].accounting.title_date",
        "聘任时间",
    ),
    (
        "title-needs-date",
        "scope1",
        _set("work.0.accounting.title_date", _DELETE),
        "work[0].accounting.title_date",
        "聘任时间",
    ),
    (
        "title-needs-proof",
        "scope1",
        _set("work.0.accounting.title_proof", _DELETE),
        "work[0].accounting.title_proof",
        "聘任证明",
    ),
    (
        "present-needs-uscc-proof",
        "scope1",
        _set("work.0.uscc_proof", _DELETE),
        "work[0].uscc_proof",
        "统一社会信用代码证明",
    ),
    (
        "accounting-needs-proof",
        "scope1",
        _set("work.0.accounting.proof", _DELETE),
        "work[0].accounting.proof",
        "会计工作（经历）证明",
    ),
    (
        "accounting-needs-types",
        "scope1",
        _set("work.0.accounting.work_types", []),
        "work[0].accounting.work_types",
        "",
    ),
    (
        "work-type-option",
        "scope1",
        _set("work.0.accounting.work_types", ["出纳", "记账"]),
        "work[0].accounting.work_types[1]",
        "会计工作类型",
    ),
    ("scope1-needs-accounting", "scope1", _set("work.0.accounting", _DELETE), "work", "采集范围(一)"),
    (
        "scope2-needs-qualification",
        "scope2",
        _set("qualifications.accounting", []),
        "qualifications.accounting",
        "采集范围(二)",
    ),
    ("scope4-needs-doctorate", "scope4", _set("education.2", _DELETE), "education", "博士"),
    (
        "scope5-needs-intermediate",
        "scope5",
        _set("qualifications.other.0.level", "初级"),
        "qualifications.other",
        "采集范围(五)",
    ),
    (
        "scope5-type",
        "scope5",
        _set("qualifications.other.0.type", "税务"),
        "qualifications.other",
        "经济/统计/审计",
    ),
    ("scope3-needs-id-pictures", "scope3", _set("basic.id_front", _DELETE), "basic.id_front", "身份证"),
    ("student-needs-two-rows", "student", _set("education.0", _DELETE), "education", "两条教育经历"),
    (
        "student-needs-study-proof",
        "student",
        _set("education.1.study_proof", _DELETE),
        "education[1].study_proof",
        "在学证明",
    ),
    (
        "college-student-high-school-diploma",
        "student",
        _set("education.0.diploma_proof", _DELETE),
        "education[0].diploma_proof",
        "高中",
    ),
    (
        "foreign-degree-certificate",
        "scope1",
        _set("education.0.foreign", True),
        "education[0].foreign_cert",
        "留学服务中心",
    ),
    (
        "single-certificate-masters",
        "scope4",
        _all(_set("education.1.diploma_no", _DELETE), _set("education.1.degree_no", _DELETE)),
        "education[1].degree_no",
        "单证硕士",
    ),
    (
        "college-has-no-degree",
        "scope3",
        _set("education.0.degree", "学士"),
        "education[0].degree",
        "大专及以下",
    ),
    ("department-province", "scope1", _set("department.province", "云南"), "department.province", "云南省"),
    (
        "department-province-unknown-lists-choices",
        "scope1",
        _set("department.province", "火星"),
        "department.province",
        "（可选：云南省、北京市",
    ),
    (
        "department-bingtuan-needs-its-level",
        "scope1",
        _all(_set("department.province", "新疆生产建设兵团"), _set("department.city", _DELETE)),
        "department.city",
        "请选择新疆生产建设兵团的下级部门",
    ),
    (
        "department-district-where-the-pack-knows-them",
        "scope1",
        _all(
            _set("department.province", "河北省"),
            _set("department.city", "石家庄地区"),
            _set("department.district", _DELETE),
        ),
        "department.district",
        "请选择石家庄地区的下级部门",
    ),
    (
        "option-without-close-lists-choices",
        "scope1",
        _set("basic.political_status", "XYZ"),
        "basic.political_status",
        "（可选：中共党员(含中共预备党员)、共青团员",
    ),
    (
        "option-long-list-is-cut",
        "scope1",
        _set("basic.ethnicity", "XYZ"),
        "basic.ethnicity",
        "等，共 58 项）",
    ),
    ("address-too-long", "scope1", _set("basic.address", "云" * 201), "basic.address", "通讯地址不能超过200个字符"),
    ("employer-too-long", "scope1", _set("work.0.employer", "公" * 201), "work[0].employer", "不能超过200个字符"),
    ("option-with-suggestion", "scope1", _set("basic.ethnicity", "汉"), "basic.ethnicity", "汉族"),
    (
        "option-industry",
        "scope1",
        _set("work.0.industry", "商务服务"),
        "work[0].industry",
        "租赁和商务服务业",
    ),
    (
        "full-time-graduate-work-start",
        "scope1",
        _all(_set("work.0.start", "2012-06"), _set("work.0.accounting.start", "2012-08")),
        "work[0].start",
        "全日制学历人员工作开始时间不得早于或等于毕业时间",
    ),
    (
        "full-time-graduate-compared-by-month",
        "scope1",
        _all(
            _set("education.0.end", "2012-07-01"),
            _set("work.0.start", "2012-07-20"),
            _set("work.0.accounting.start", "2012-07-20"),
        ),
        "work[0].accounting.start",
        "会计工作开始时间必须晚于全日制毕业时间 2012-07",
    ),
    ("work-phone-format", "scope1", _set("work.0.phone", "(0871) 6123 4567"), "work[0].phone", "工作单位电话"),
    ("photo-required", "scope1", _set("basic.photo", _DELETE), "basic.photo", "照片信息"),
    ("student-photo-required", "student", _set("basic.photo", _DELETE), "basic.photo", "照片信息"),
    (
        "scope3-with-a-job-needs-id-pictures",
        "scope3",
        _all(lambda d: d.setdefault("work", []).append(dict(EARLIER_JOB)), _set("basic.id_back", _DELETE)),
        "basic.id_back",
        "身份证",
    ),
    ("file-missing", "scope1", _set("basic.photo", "files/nope.jpg"), "basic.photo", "文件不存在"),
    ("file-is-directory", "scope1", _set("basic.photo", "files"), "basic.photo", "不是文件"),
    ("scope-out-of-range", "scope1", _set("scope", 6), "scope", "1"),
    ("unknown-key", "scope1", _set("basic.adress", "x"), "basic.adress", "address"),
    ("password-key", "scope1", _set("account.password", "Secret-123"), "account.password", "密码"),
    ("required-missing", "scope1", _set("basic.address", _DELETE), "basic.address", "缺少必填项"),
    ("blank-school", "scope1", _set("education.0.school", "   "), "education[0].school", "不能为空"),
    ("empty-address", "scope1", _set("basic.address", ""), "basic.address", "不能为空"),
    (
        "tab-in-employer",
        "scope1",
        _set("work.0.employer", "昆明示例\t财务咨询有限公司"),
        "work[0].employer",
        "U+0009（制表符）",
    ),
    (
        "newline-in-address",
        "scope1",
        _set("basic.address", "云南省昆明市\n五华区示例路1号"),
        "basic.address",
        "换行符 U+000A",
    ),
    (
        "newline-in-work-address",
        "scope1",
        _set("work.0.address", "云南省昆明市五华区\r\n示例路2号"),
        "work[0].address",
        "换行符 U+000D",
    ),
    (
        "zero-width-in-cert-no",
        "scope2",
        _set("qualifications.accounting.0.cert_no", "C2016\u200b110100456"),
        "qualifications.accounting[0].cert_no",
        "U+200B（零宽空格）",
    ),
    (
        "bom-in-diploma-no",
        "scope1",
        _set("education.0.diploma_no", "\ufeff106731201205000123"),
        "education[0].diploma_no",
        "U+FEFF",
    ),
    ("nul-escape-in-name", "scope1", _set("account.name", "测试\x00甲"), "account.name", "U+0000（空字符）"),
    ("delete-in-school", "scope1", _set("education.0.school", "云南\x7f大学"), "education[0].school", "U+007F"),
    (
        "zero-width-in-option-list",
        "scope1",
        _set("work.0.accounting.work_types", ["出纳\u200b"]),
        "work[0].accounting.work_types[0]",
        "U+200B",
    ),
    ("zero-width-in-open-option", "scope1", _set("education.0.major", "会计学\u200d"), "education[0].major", "U+200D"),
]


@pytest.mark.parametrize(("example", "change", "field", "words"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_each_broken_rule_exits_1_naming_the_field(
    examples: Examples, example: str, change: Mutator, field: str, words: str
) -> None:
    profile = examples.variant(example, change)
    code, out = check(profile)
    assert code == 1, out
    lines = [line for line in out.splitlines() if f" {field}: " in line and "warning:" not in line]
    assert lines, f"no error at {field}:\n{out}"
    assert any(words in line for line in lines), out
    assert all(line.startswith(f"{profile}:") for line in lines)
    assert "Traceback" not in out


WARNED: list[tuple[str, str, Mutator, str]] = [
    ("department-not-employer-region", "scope1", _set("department.district", "盘龙区"), "department"),
    ("department-not-id-region", "scope3", _set("department.district", "南开区"), "department"),
    ("major-outside-known-list", "scope1", _set("education.0.major", "考古学"), "education[0].major"),
    ("department-city-unknown", "scope1", _set("department.city", "昆明市"), "department.city"),
    ("department-district-unknown", "scope1", _set("department.district", "示例新区"), "department.district"),
    (
        "department-level-the-pack-does-not-know",
        "scope1",
        _all(_set("department.city", "省直属"), _set("department.district", "某处")),
        "department.district",
    ),
    (
        "scope2-did-accounting",
        "scope2",
        _set(
            "work.0.accounting",
            {"start": "2015-01", "work_types": ["出纳"], "proof": "files/work_certificate.jpg"},
        ),
        "scope",
    ),
]


@pytest.mark.parametrize(("example", "change", "field"), [w[1:] for w in WARNED], ids=[w[0] for w in WARNED])
def test_warnings_alone_exit_0(examples: Examples, example: str, change: Mutator, field: str) -> None:
    code, out = check(examples.variant(example, change))
    assert code == 0, out
    assert any(f" {field}: warning:" in line for line in out.splitlines()), out


def test_all_problems_of_a_file_in_one_run(examples: Examples) -> None:
    profile = examples.variant(
        "scope1", _all(_set("account.mobile", "123"), _set("basic.postcode", "1"), _set("work.0.uscc", "X"))
    )
    code, out = check(profile)
    assert code == 1
    for field in ("account.mobile", "basic.postcode", "work[0].uscc"):
        assert f" {field}: " in out


def test_messages_carry_the_yaml_line(examples: Examples) -> None:
    profile = examples.variant("scope1", _set("account.mobile", "123"))
    line_no = next(
        i
        for i, line in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip().startswith("mobile:")
    )
    _, out = check(profile)
    assert f"{profile}:{line_no} account.mobile: " in out


def test_parentheses_of_either_width_match_the_option(examples: Examples) -> None:
    half = _set("work.0.accounting.work_types", ["出纳", "收入、费用(支出)的核算"])
    code, out = check(examples.variant("scope1", half))
    assert code == 0, out


def test_a_missing_photo_is_reported_at_the_basic_line(examples: Examples) -> None:
    """The site refuses 基本信息 without a photo (`基本信息: 照片信息：请上传照片`)."""
    profile = examples.variant("scope3", _set("basic.photo", _DELETE))
    line_no = next(
        i for i, line in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("basic:")
    )
    code, out = check(profile)
    assert code == 1, out
    assert f"{profile}:{line_no} basic.photo: 基本信息须上传照片信息" in out
    assert "(基本信息 needs the standard photo" in out


def test_work_begun_before_a_full_time_study_is_not_refused(examples: Examples) -> None:
    """As on the site, only starts from 入学 up to and including 毕业 are refused."""
    job = {**EARLIER_JOB, "start": "2006-03", "end": "2008-08", "uscc_proof": None}
    code, out = check(examples.variant("scope1", lambda d: d["work"].insert(0, job)))
    assert code == 0, out
    assert "全日制" not in out


def test_part_time_study_does_not_limit_the_work_start(examples: Examples) -> None:
    change = _all(
        _set("education.0.mode", "非全日制"),
        _set("work.0.start", "2010-03"),
        _set("work.0.accounting.start", "2010-03"),
    )
    code, out = check(examples.variant("scope1", change))
    assert code == 0, out


@pytest.mark.parametrize("phone", ["0871-61234567", "13912345678", " 010-12345678 ", "4008123123"])
def test_work_phones_the_site_accepts_pass(examples: Examples, phone: str) -> None:
    code, out = check(examples.variant("scope1", _set("work.0.phone", phone)))
    assert code == 0, out


@pytest.mark.parametrize("phone", ["0871 61234567", "+86-871-61234567", "12345", "0871-6123456７", "-0871612345"])
def test_work_phones_the_site_refuses_fail(examples: Examples, phone: str) -> None:
    code, out = check(examples.variant("scope1", _set("work.0.phone", phone)))
    assert code == 1, out
    assert " work[0].phone: 工作单位电话格式不正确" in out


def test_a_photo_over_the_upload_limit_fails_check(examples: Examples) -> None:
    """A 5 MB photo of 1475×2065 px is refused by the site's upload (`上传内容过大`)."""
    from tests.unit.test_images_drawing import limits, noise, portrait

    photo = examples.root / "files" / "big_photo.jpg"
    size = (1475, 2065)
    Image.blend(portrait(size), noise(size), 0.08).save(photo, "JPEG", quality=100, subsampling=0)
    max_bytes = limits("photo").max_bytes
    assert max_bytes is not None and photo.stat().st_size > max_bytes
    code, out = check(examples.variant("scope1", _set("basic.photo", "files/big_photo.jpg")))
    assert code == 1, out
    assert any(" basic.photo: 文件有 " in line and "不能超过" in line for line in out.splitlines()), out


def _id_side_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if "basic.id_front" in line or "basic.id_back" in line]


def test_checklist_asks_for_the_id_sides_exactly_when_check_does(examples: Examples) -> None:
    """A student need not upload the ID sides (platform-map 5.3): checklist and check both say so; a
    scope (三) person neither working nor studying must, and both say that too."""
    student = examples.path("student")
    assert check(student)[0] == 0
    listed = runner.invoke(app, ["checklist", str(student)])
    assert listed.exit_code == 0, listed.output
    assert "身份证照片 [选填 optional]" in listed.output
    sides = _id_side_lines(listed.output)
    assert len(sides) == 2 and all(line.startswith("☐") and "选填" in line for line in sides), sides
    assert "未填写" not in "\n".join(sides)

    lacking = examples.variant("scope3", _all(_set("basic.id_front", _DELETE), _set("basic.id_back", _DELETE)))
    code, out = check(lacking)
    assert code == 1 and " basic.id_front: " in out and " basic.id_back: " in out, out
    listed = runner.invoke(app, ["checklist", str(lacking)])
    assert "身份证照片 [必需 required]" in listed.output
    assert _id_side_lines(listed.output) == [
        "☐ basic.id_front: 未填写 (not named yet)",
        "☐ basic.id_back: 未填写 (not named yet)",
    ]


@pytest.mark.parametrize(("province", "needed"), [("国家机关事务管理局", True), ("中共中央直属机关事务管理局", False)])
def test_only_the_guoguanju_asks_working_people_for_the_id_sides(
    examples: Examples, province: str, needed: bool
) -> None:
    """`会计管理部门选择国管局的` (国家机关事务管理局) upload them whatever their work; not other units."""
    change = _all(
        _set("department", {"province": province}),
        _set("basic.id_front", _DELETE),
        _set("basic.id_back", _DELETE),
    )
    code, out = check(examples.variant("scope1", change))
    assert (code == 1 and " basic.id_front: " in out) if needed else code == 0, out


def test_a_folder_without_profiles_is_a_usage_error(tmp_path: Path) -> None:
    """Like `autofill batch`: exit 2 naming the problem, never "检查通过" for nothing checked."""
    (tmp_path / "photo.jpg").write_bytes(b"not a profile")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "no profile files found" in result.output
    assert "检查通过" not in result.output
    assert runner.invoke(app, ["check", "--json", str(tmp_path)]).exit_code == 2


def test_scope_written_as_true_or_a_decimal_is_refused(examples: Examples) -> None:
    for written in (True, 1.0):

        def change(data: dict[str, Any], w: object = written) -> None:
            data["scope"] = w

        bad = examples.variant("scope1", change)
        result = runner.invoke(app, ["check", str(bad)])
        assert result.exit_code == 1, result.output
        assert f"{bad}:1 scope: 应为 1–5 的整数" in result.output and "(a whole number 1–5)" in result.output


def test_a_profile_name_too_long_to_open_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / ("q" * 300 + ".yaml"))])
    assert result.exit_code == 1, result.output
    assert "无法读取文件" in result.output and "内部错误" not in result.output


@pytest.mark.parametrize("kind", ["link-loop", "name-too-long", "nul"])
def test_a_picture_path_that_cannot_be_opened_is_a_finding_at_its_field(examples: Examples, kind: str) -> None:
    loop = examples.root / "loop.jpg"
    loop.symlink_to(loop)
    named = {"link-loop": "loop.jpg", "name-too-long": "files/" + "a" * 300 + ".jpg", "nul": "files/ph\0oto.jpg"}

    def change(data: dict[str, Any]) -> None:
        data["basic"]["photo"] = named[kind]

    bad = examples.variant("scope1", change)
    result = runner.invoke(app, ["check", str(bad)])

    assert result.exit_code == 1, result.output
    assert "basic.photo: 无法读取文件" in result.output and "(cannot read the file:" in result.output
    assert "内部错误" not in result.output


def _line_of(profile: Path, key: str, nth: int = 0) -> int:
    found = [
        i for i, line in enumerate(profile.read_text(encoding="utf-8").splitlines(), 1) if line.strip().startswith(key)
    ]
    return found[nth]


_INVISIBLE = [
    # (id, character, Chinese message start, English message start)
    (
        "tab",
        "\t",
        "含有不可见的控制字符 U+0009（制表符），在第 5 个字符",
        "contains an invisible control character U+0009, tab",
    ),
    (
        "zero-width-space",
        "\u200b",
        "含有不可见的格式字符 U+200B（零宽空格），在第 5 个字符",
        "contains an invisible format character U+200B",
    ),
    ("line-feed", "\n", "含有换行符 U+000A（换行），在第 5 个字符；这一栏只能填一行", "contains a line break U+000A"),
    ("line-separator", "\u2028", "含有换行符 U+2028（行分隔符）", "contains a line break U+2028, line separator"),
]


@pytest.mark.parametrize(("char", "words_zh", "words_en"), [c[1:] for c in _INVISIBLE], ids=[c[0] for c in _INVISIBLE])
def test_an_invisible_character_is_named_at_its_field_and_line(
    examples: Examples, char: str, words_zh: str, words_en: str
) -> None:
    """`FILE:LINE work[0].employer: 中文 (English)`: the character by code point and name, and where."""
    profile = examples.variant("scope1", _set("work.0.employer", f"昆明示例{char}财务咨询有限公司"))
    code, out = check(profile)
    assert code == 1, out
    line = next(line for line in out.splitlines() if " work[0].employer: " in line)
    assert line.startswith(f"{profile}:{_line_of(profile, 'employer:')} work[0].employer: {words_zh}"), out
    assert f"({words_en}" in line, out


def test_the_site_value_is_the_trimmed_one(examples: Examples) -> None:
    """Blanks around a value are removed silently, as the site does: check passes, the model holds the
    trimmed text (the value filled), and the field keeps its inner spaces."""
    from autofill.profile.load import load_profile

    change = _all(
        _set("education.0.school", "  云南大学 "),
        _set("work.0.employer", "\u3000昆明示例 财务咨询有限公司\t"),
        _set("basic.address", "云南省昆明市五华区示例路1号\n"),
        _set("qualifications.accounting.0.cert_no", " Z2018530100123 "),
        _set("basic.ethnicity", " 汉族"),
    )
    profile = examples.variant("scope1", change)
    code, out = check(profile)
    assert code == 0, out
    loaded = load_profile(profile)
    assert loaded.profile is not None
    assert loaded.profile.education[0].school == "云南大学"
    assert loaded.profile.work[0].employer == "昆明示例 财务咨询有限公司"
    assert loaded.profile.basic.address == "云南省昆明市五华区示例路1号"
    assert loaded.profile.qualifications.accounting[0].cert_no == "Z2018530100123"
    assert loaded.profile.basic.ethnicity == "汉族"


def test_a_blank_optional_field_is_as_if_not_written(examples: Examples) -> None:
    """An optional text left "" or blank is absent (None), like a key not written; the rules then treat
    it as missing (here 邮箱, 邮编 and the 学历证书编号 are not needed)."""
    from autofill.profile.load import load_profile

    change = _all(_set("basic.email", ""), _set("basic.postcode", "   "), _set("education.0.diploma_no", " "))
    profile = examples.variant("scope1", change)
    code, out = check(profile)
    assert code == 0, out
    loaded = load_profile(profile)
    assert loaded.profile is not None
    assert (loaded.profile.basic.email, loaded.profile.basic.postcode) == (None, None)
    assert loaded.profile.education[0].diploma_no is None


def test_a_blank_optional_field_that_a_rule_needs_is_reported_as_missing(examples: Examples) -> None:
    """A blank 学位证书编号 of a single-certificate master's is missing, as if not written."""
    change = _all(_set("education.1.diploma_no", _DELETE), _set("education.1.degree_no", "  "))
    code, out = check(examples.variant("scope4", change))
    assert code == 1, out
    assert " education[1].degree_no: 单证硕士须填写学位证书编号" in out, out


def test_an_invisible_character_in_an_optional_field_is_refused(examples: Examples) -> None:
    code, out = check(examples.variant("scope1", _set("basic.postcode", "650000\u200b")))
    assert code == 1, out
    assert " basic.postcode: 含有不可见的格式字符 U+200B" in out, out


def test_only_invisible_characters_are_not_blank(examples: Examples) -> None:
    """A value of nothing but a zero-width space is not "left blank": it is refused, required or not."""
    change = _all(_set("education.0.school", "\u200b"), _set("education.0.degree_no", "\ufeff"))
    code, out = check(examples.variant("scope1", change))
    assert code == 1, out
    assert " education[0].school: 含有不可见的格式字符 U+200B" in out, out
    assert " education[0].degree_no: 含有不可见的格式字符 U+FEFF" in out, out


def test_several_invisible_characters_are_counted(examples: Examples) -> None:
    code, out = check(examples.variant("scope1", _set("account.name", "测\u200b试\u200b甲")))
    assert code == 1, out
    assert " account.name: 含有不可见的格式字符 U+200B（零宽空格），在第 2 个字符，共 2 处" in out, out


def _department(province: str, city: str | None = None, district: str | None = None) -> Mutator:
    return _set("department", {k: v for k, v in [("province", province), ("city", city), ("district", district)] if v})


def _department_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if " department" in line]


@pytest.mark.parametrize(
    "choice",
    [
        ("河北省", "石家庄地区", "长安区"),
        ("河北省", "省直属"),
        ("北京市", "市直属"),
        ("广东省", "省直属"),
        ("新疆生产建设兵团", "第八师"),
        ("内蒙古自治区", "呼和浩特地区", "赛罕区"),
        ("国家机关事务管理局",),
    ],
)
def test_every_part_of_the_sites_tree_is_a_valid_choice(examples: Examples, choice: tuple[str, ...]) -> None:
    """The pack carries the replica's tree: a person in 河北 (or under 兵团) is no error."""
    code, out = check(examples.variant("scope1", _department(*choice)))
    assert code == 0, out
    assert not [line for line in _department_lines(out) if " department." in line], out


def test_an_unknown_area_names_the_close_one(examples: Examples) -> None:
    code, out = check(examples.variant("scope1", _set("department.city", "昆明市")))
    assert code == 0, out
    (line,) = [line for line in out.splitlines() if " department.city: warning:" in line]
    assert "是否要写：昆明地区" in line and "网站" in line


def test_the_region_is_compared_with_the_deepest_department_that_has_a_code(examples: Examples) -> None:
    """scope1 works for a 五华区 (530102) employer. 东川区 has no code of its own: 昆明地区 (5301) decides,
    and it fits; 沾益区 has none either: 曲靖地区 (5303) decides, and it does not."""
    code, out = check(examples.variant("scope1", _department("云南省", "昆明地区", "东川区")))
    assert code == 0 and not _department_lines(out), out
    code, out = check(examples.variant("scope1", _department("云南省", "曲靖地区", "沾益区")))
    assert code == 0, out
    assert [line for line in _department_lines(out) if "USCC region 530102" in line], out


def test_a_department_the_pack_does_not_know_still_compares_the_province(examples: Examples) -> None:
    code, out = check(examples.variant("scope1", _department("河北省", "邢台地区")))
    assert code == 0, out
    assert any(" department.city: warning:" in line for line in out.splitlines()), out
    assert any("USCC region 530102" in line for line in out.splitlines()), out


def test_a_file_name_longer_than_the_site_keeps_fails_check(examples: Examples) -> None:
    """The site stores at most 100 characters of a file name; a longer one no longer reads back."""
    name = "学位证书扫描件_清晰版_" + "a" * 100 + ".jpg"
    (examples.root / "files" / name).write_bytes((examples.root / "files" / "degree.jpg").read_bytes())
    code, out = check(examples.variant("scope1", _set("work.0.accounting.proof", f"files/{name}")))
    assert code == 1, out
    (line,) = [line for line in out.splitlines() if " work[0].accounting.proof: " in line]
    assert f"文件名太长（{len(name)} 个字符）" in line and "100" in line
    exactly = "b" * 96 + ".jpg"
    (examples.root / "files" / exactly).write_bytes((examples.root / "files" / "degree.jpg").read_bytes())
    code, out = check(examples.variant("scope1", _set("work.0.accounting.proof", f"files/{exactly}")))
    assert code == 0, out


def test_a_text_of_exactly_the_limit_passes(examples: Examples) -> None:
    code, out = check(examples.variant("scope1", _set("basic.address", "云" * 200)))
    assert code == 0, out
