"""The profile: one person, keys in English, values as the site shows them. This is the contract.

Each field's `title` is the site's Chinese label. Fields whose values come from a site select carry
`x-options: <pack option list>`; file fields carry `x-file: photo|attachment`. The checker and the
schema read those marks, so option lists and upload rules stay in the selector pack.

Every value the person writes for the site (names, addresses, numbers, the options chosen) is `Text`
or `OptionalText`: the site's inputs hold one line, so blanks around a value are trimmed silently
(the trimmed value is the one filled), and a line break, a control character or an invisible format
character (Unicode Cc, Cf, Zl, Zp) inside it is refused. A required value left blank is refused; an
optional one left blank is absent, as if not written. File paths are not text for the site and are
left as written (the picture rules report a path that names no file).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from autofill.profile.dates import Date, EndDate

# Characters a person may write without seeing them, by code point: (中文, English).
_CHAR_NAMES = {
    0x00: ("空字符", "NUL"),
    0x09: ("制表符", "tab"),
    0x0A: ("换行", "line feed"),
    0x0B: ("垂直制表符", "vertical tab"),
    0x0C: ("换页符", "form feed"),
    0x0D: ("回车", "carriage return"),
    0x1B: ("转义符", "escape"),
    0x7F: ("删除符", "delete"),
    0x85: ("下一行", "next line"),
    0xAD: ("软连字符", "soft hyphen"),
    0x200B: ("零宽空格", "zero width space"),
    0x200C: ("零宽非连接符", "zero width non-joiner"),
    0x200D: ("零宽连接符", "zero width joiner"),
    0x200E: ("从左至右标记", "left-to-right mark"),
    0x200F: ("从右至左标记", "right-to-left mark"),
    0x2028: ("行分隔符", "line separator"),
    0x2029: ("段分隔符", "paragraph separator"),
    0x2060: ("零宽不换行符", "word joiner"),
    0xFEFF: ("零宽不换行空格（BOM）", "zero width no-break space, BOM"),
}
_KIND = {  # Unicode category → (中文, English)
    "Cc": ("控制字符", "control character"),
    "Cf": ("格式字符", "format character"),
    "Cs": ("代理字符", "surrogate"),
    "Zl": ("分隔符", "line separator"),
    "Zp": ("分隔符", "paragraph separator"),
}
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _invisible_problem(value: str, skipped: int = 0) -> str | None:
    """The bilingual message for the first character of `value` that the site's one-line input must
    not hold, or None. Positions count from 1 in the value as written (`skipped` characters before)."""
    bad = [(i, ch) for i, ch in enumerate(value, skipped) if unicodedata.category(ch) in _KIND]
    if not bad:
        return None
    index, ch = bad[0]
    code = f"U+{ord(ch):04X}"
    kind_zh, kind_en = _KIND[unicodedata.category(ch)]
    name_zh, name_en = _CHAR_NAMES.get(ord(ch), (kind_zh, unicodedata.name(ch, kind_en).lower()))
    more_zh = f"，共 {len(bad)} 处" if len(bad) > 1 else ""
    more_en = f", {len(bad)} in all" if len(bad) > 1 else ""
    if ch in _LINE_BREAKS:
        return (
            f"含有换行符 {code}（{name_zh}），在第 {index + 1} 个字符{more_zh}；这一栏只能填一行"
            f" (contains a line break {code}, {name_en}, at character {index + 1}{more_en}; "
            "the site's input holds one line)"
        )
    return (
        f"含有不可见的{kind_zh} {code}（{name_zh}），在第 {index + 1} 个字符{more_zh}，请删除"
        f" (contains an invisible {kind_en} {code}, {name_en}, at character {index + 1}{more_en}; delete it)"
    )


def _clean_text(value: str) -> str:
    """A one-line value as the site takes it: blanks around it trimmed, nothing invisible inside."""
    trimmed = value.strip()
    problem = _invisible_problem(trimmed, skipped=len(value) - len(value.lstrip()))
    if problem is not None:
        raise ValueError(problem)
    if not trimmed:
        raise ValueError("不能为空，也不能只有空格 (must not be empty or blanks only)")
    return trimmed


def _blank_is_absent(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str, AfterValidator(_clean_text)]
"""A required one-line value: trimmed, not blank, no control or invisible format characters."""

OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_absent)]
"""An optional one-line value: blank or left out is None, anything else is `Text`."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=False)


def option(title: str, key: str, *, description: str | None = None, default: Any = ...) -> Any:
    """A field whose value must be one of the pack's options `key` (e.g. `ethnicity`)."""
    return Field(default, title=title, description=description, json_schema_extra={"x-options": key})


def file(title: str, kind: Literal["photo", "attachment"] = "attachment", *, description: str | None = None) -> Any:
    """A picture to upload: a path relative to the profile file (optional)."""
    return Field(None, title=title, description=description, json_schema_extra={"x-file": kind})


class Account(_Model):
    """注册信息: what the person registered with. The password is never written in a profile."""

    id_type: Text = option("证件类型", "id_type")
    id_number: Text = Field(title="证件号码", min_length=1)
    name: Text = Field(title="真实姓名", min_length=1)
    mobile: Text = Field(title="手机号", min_length=1)
    gender: OptionalText = option(
        "性别", "gender", default=None, description="内地居民身份证 numbers carry it; others must state it"
    )
    birth_date: Date | None = Field(None, title="出生年月", description="derived from a 内地居民身份证 number")


class RealName(_Model):
    """线上实名认证: the pictures that replace scanning the Alipay QR code."""

    id_front: str | None = file("证件人像面")
    id_back: str | None = file("证件非人像面")
    handheld: str | None = file("手持证件人像面")
    location: Text = Field(
        title="所在省市", min_length=1, description="as the site's select shows it, e.g. 云南省/昆明市"
    )


class Department(_Model):
    """会计管理部门: the three cascading selects."""

    province: Text = Field(title="省", min_length=1)
    city: OptionalText = Field(None, title="地区")
    district: OptionalText = Field(None, title="区县")


class Basic(_Model):
    """基本信息."""

    photo: str | None = file("照片信息", "photo", description="standard ID photo, white background")
    political_status: Text = option("政治面貌", "political_status")
    ethnicity: Text = option("民族", "ethnicity")
    email: OptionalText = Field(None, title="邮箱")
    address: Text = Field(title="通讯地址", min_length=1)
    postcode: OptionalText = Field(None, title="邮编")
    id_front: str | None = file("身份证明人像面", description="身份证或居住证")
    id_back: str | None = file("身份证明国徽面", description="身份证或居住证")


class Education(_Model):
    """教育经历: one row of the table (新增教育经历)."""

    mode: Text = option("培养方式", "education_mode")
    school: Text = Field(title="学校名称(全称)", min_length=1)
    start: Date = Field(title="入学时间")
    end: EndDate = Field(title="毕业时间", description="至今 while still studying")
    level: Text = option("学历", "education_level")
    diploma_no: OptionalText = Field(None, title="学历证书编号")
    degree: Text = option("学位", "degree")
    degree_no: OptionalText = Field(None, title="学位证书编号")
    major: Text = option("所学专业", "major")
    foreign: bool = Field(False, title="国(境)外学历学位")
    diploma_proof: str | None = file("学历证书", description="or a 学信网 report; needed when the online check fails")
    degree_proof: str | None = file("学位证书")
    study_proof: str | None = file("在学证明", description="student card or 学信网学籍在线验证报告 (current study)")
    foreign_cert: str | None = file("教育部留学服务中心认证书")


class Accounting(_Model):
    """是否有会计工作经历 = 是: this unit's accounting experience."""

    start: Date = Field(title="会计工作开始时间")
    end: EndDate | None = Field(None, title="会计工作结束时间", description="defaults to the work row's end")
    work_types: list[Text] = Field(title="会计工作类型", min_length=1, json_schema_extra={"x-options": "work_type"})
    title: OptionalText = option("会计专业职务", "title", default=None)
    title_date: Date | None = Field(None, title="聘任时间")
    title_proof: str | None = file("聘任证明")
    proof: str | None = file("会计工作（经历）证明", description="《会计工作（经历）证明》, stamped by the unit")


class Work(_Model):
    """工作经历: one row of the table (新增工作经历)."""

    start: Date = Field(title="工作开始时间")
    end: EndDate = Field(title="工作结束时间", description="至今 while working there")
    employer: Text = Field(title="单位名称", min_length=1)
    uscc: Text = Field(title="统一社会信用代码", min_length=1)
    employer_type: Text = option("单位类型", "employer_type")
    industry: Text = option("所属行业", "industry")
    address: Text = Field(title="工作单位地址", min_length=1)
    phone: Text = Field(title="工作单位电话", min_length=1)
    uscc_proof: str | None = file("统一社会信用代码证明", description="required when the end is 至今")
    employment_status: OptionalText = option(
        "在职/退休/离职",
        "employment_status",
        default=None,
        description="for the certificate; 至今 means 在职",
    )
    accounting: Accounting | None = Field(None, title="会计工作经历", description="present = 是")


class AccountingQualification(_Model):
    """会计专业技术资格: one row."""

    level: Text = option("职称层级", "qualification_level")
    method: Text = option("获取方式", "qualification_method")
    cert_no: Text = Field(title="证书号或批文号", min_length=1)
    date: Date | None = Field(None, title="取得时间")
    proof: str | None = file("资格证书", description="needed when the online check fails")


class OtherQualification(_Model):
    """其他专业技术人员职业资格: one row."""

    type: Text = option("专业技术资格类型", "other_qualification_type")
    level: Text = option("专业技术资格级别", "other_qualification_level")
    date: Date = Field(title="取得时间")
    cert_no: Text = Field(title="证书号或批文号", min_length=1)
    proof: str | None = file("资格证书", description="certificate or member card; needed when the online check fails")


class Qualifications(_Model):
    """专业技术资格."""

    accounting: list[AccountingQualification] = Field(default_factory=list, title="会计专业技术资格")
    other: list[OtherQualification] = Field(default_factory=list, title="其他专业技术人员职业资格")


class Profile(_Model):
    """One person's 会计人员信息采集 record."""

    model_config = ConfigDict(extra="forbid", title="ausm-autofill profile (会计人员信息采集)")

    scope: Literal[1, 2, 3, 4, 5] = Field(title="采集范围", description="(一)…(五) → 1…5")
    account: Account = Field(title="注册信息")
    realname: RealName | None = Field(None, title="线上实名认证")
    department: Department = Field(title="会计管理部门")
    basic: Basic = Field(title="基本信息")
    education: list[Education] = Field(title="教育经历", min_length=1)
    work: list[Work] = Field(default_factory=list, title="工作经历")
    qualifications: Qualifications = Field(default_factory=Qualifications, title="专业技术资格")

    @field_validator("scope", mode="before")
    @classmethod
    def _scope_is_a_number(cls, value: object) -> object:
        if isinstance(value, bool | float):  # YAML `true` or `1.0` would pass as 1
            raise ValueError(f"应为 1–5 的整数，不是 {value!r} (a whole number 1–5)")
        return value

    @property
    def is_student(self) -> bool:
        """Still studying: an education row ends 至今."""
        return any(row.end.present for row in self.education)
