"""The profile: one person, keys in English, values as the site shows them. This is the contract.

Each field's `title` is the site's Chinese label. Fields whose values come from a site select carry
`x-options: <pack option list>`; file fields carry `x-file: photo|attachment`. The checker and the
schema read those marks, so option lists and upload rules stay in the selector pack.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autofill.profile.dates import Date, EndDate


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

    id_type: str = option("证件类型", "id_type")
    id_number: str = Field(title="证件号码", min_length=1)
    name: str = Field(title="真实姓名", min_length=1)
    mobile: str = Field(title="手机号", min_length=1)
    gender: str | None = option(
        "性别", "gender", default=None, description="内地居民身份证 numbers carry it; others must state it"
    )
    birth_date: Date | None = Field(None, title="出生年月", description="derived from a 内地居民身份证 number")


class RealName(_Model):
    """线上实名认证: the pictures that replace scanning the Alipay QR code."""

    id_front: str | None = file("证件人像面")
    id_back: str | None = file("证件非人像面")
    handheld: str | None = file("手持证件人像面")
    location: str = Field(
        title="所在省市", min_length=1, description="as the site's select shows it, e.g. 云南省/昆明市"
    )


class Department(_Model):
    """会计管理部门: the three cascading selects."""

    province: str = Field(title="省", min_length=1)
    city: str | None = Field(None, title="地区")
    district: str | None = Field(None, title="区县")


class Basic(_Model):
    """基本信息."""

    photo: str | None = file("照片信息", "photo", description="standard ID photo, white background")
    political_status: str = option("政治面貌", "political_status")
    ethnicity: str = option("民族", "ethnicity")
    email: str | None = Field(None, title="邮箱")
    address: str = Field(title="通讯地址", min_length=1)
    postcode: str | None = Field(None, title="邮编")
    id_front: str | None = file("身份证明人像面", description="身份证或居住证")
    id_back: str | None = file("身份证明国徽面", description="身份证或居住证")


class Education(_Model):
    """教育经历: one row of the table (新增教育经历)."""

    mode: str = option("培养方式", "education_mode")
    school: str = Field(title="学校名称(全称)", min_length=1)
    start: Date = Field(title="入学时间")
    end: EndDate = Field(title="毕业时间", description="至今 while still studying")
    level: str = option("学历", "education_level")
    diploma_no: str | None = Field(None, title="学历证书编号")
    degree: str = option("学位", "degree")
    degree_no: str | None = Field(None, title="学位证书编号")
    major: str = option("所学专业", "major")
    foreign: bool = Field(False, title="国(境)外学历学位")
    diploma_proof: str | None = file("学历证书", description="or a 学信网 report; needed when the online check fails")
    degree_proof: str | None = file("学位证书")
    study_proof: str | None = file("在学证明", description="student card or 学信网学籍在线验证报告 (current study)")
    foreign_cert: str | None = file("教育部留学服务中心认证书")


class Accounting(_Model):
    """是否有会计工作经历 = 是: this unit's accounting experience."""

    start: Date = Field(title="会计工作开始时间")
    end: EndDate | None = Field(None, title="会计工作结束时间", description="defaults to the work row's end")
    work_types: list[str] = Field(title="会计工作类型", min_length=1, json_schema_extra={"x-options": "work_type"})
    title: str | None = option("会计专业职务", "title", default=None)
    title_date: Date | None = Field(None, title="聘任时间")
    title_proof: str | None = file("聘任证明")
    proof: str | None = file("会计工作（经历）证明", description="《会计工作（经历）证明》, stamped by the unit")


class Work(_Model):
    """工作经历: one row of the table (新增工作经历)."""

    start: Date = Field(title="工作开始时间")
    end: EndDate = Field(title="工作结束时间", description="至今 while working there")
    employer: str = Field(title="单位名称", min_length=1)
    uscc: str = Field(title="统一社会信用代码", min_length=1)
    employer_type: str = option("单位类型", "employer_type")
    industry: str = option("所属行业", "industry")
    address: str = Field(title="工作单位地址", min_length=1)
    phone: str = Field(title="工作单位电话", min_length=1)
    uscc_proof: str | None = file("统一社会信用代码证明", description="required when the end is 至今")
    employment_status: str | None = option(
        "在职/退休/离职",
        "employment_status",
        default=None,
        description="for the certificate; 至今 means 在职",
    )
    accounting: Accounting | None = Field(None, title="会计工作经历", description="present = 是")


class AccountingQualification(_Model):
    """会计专业技术资格: one row."""

    level: str = option("职称层级", "qualification_level")
    method: str = option("获取方式", "qualification_method")
    cert_no: str = Field(title="证书号或批文号", min_length=1)
    date: Date | None = Field(None, title="取得时间")
    proof: str | None = file("资格证书", description="needed when the online check fails")


class OtherQualification(_Model):
    """其他专业技术人员职业资格: one row."""

    type: str = option("专业技术资格类型", "other_qualification_type")
    level: str = option("专业技术资格级别", "other_qualification_level")
    date: Date = Field(title="取得时间")
    cert_no: str = Field(title="证书号或批文号", min_length=1)
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
