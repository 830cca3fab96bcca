"""`autofill init`: a commented profile template for one scope (comments in Chinese).

Values are left empty ("") for the person to fill; `autofill check` then names every one still
missing. Option hints come from the selector pack, so they match what the site offers.
"""

from __future__ import annotations

from autofill.pack import SitePack, load_pack
from autofill.profile.schema import SCHEMA_ID

MAX_LISTED = 12


def _choices(pack: SitePack, key: str) -> str:
    values = pack.option(key).values
    if len(values) > MAX_LISTED:
        return "、".join(values[:6]) + "…（完整列表见 autofill schema）"
    return "、".join(values)


def template(scope: int, *, student: bool = False, pack: SitePack | None = None) -> str:
    """The template text for `scope` (1…5); `student` adds the finished + current education rows."""
    pack = pack or load_pack()

    def c(key: str) -> str:
        return _choices(pack, key)

    works = scope in (1, 2, 5)
    out = [
        f"# yaml-language-server: $schema={SCHEMA_ID}",
        f"# 会计人员信息采集档案 — {pack.scopes[scope].title}",
        "# 填写说明：路径相对于本文件；日期写 YYYY-MM；仍在进行写 至今。密码不要写在这里。",
        "# 填完后运行 autofill check 本文件，按提示修改，直到没有错误。",
        f"scope: {scope}                      # 采集范围 (一)…(五) → 1…5",
        "account:                      # 注册信息（与注册时一致）",
        f"  id_type: 内地居民身份证      # 证件类型：{c('id_type')}",
        '  id_number: ""               # 证件号码（18位，末位可为X）',
        '  name: ""                    # 真实姓名',
        '  mobile: ""                  # 手机号',
        "# 会计管理部门：在职选单位营业执照登记地，在校生选学籍所在地，其他人员选户籍或居住地",
        "department:",
        '  province: ""                # 省（如 云南省）',
        '  city: ""                    # 地区（如 昆明地区）',
        '  district: ""                # 区县（如 五华区）',
        "basic:                        # 基本信息",
        "  photo: files/photo.jpg      # 白底标准证件照：jpg，不小于10KB，像素≥295×413，不得放大",
        f'  political_status: ""        # 政治面貌：{c("political_status")}',
        "  ethnicity: 汉族             # 民族",
        '  email: ""                   # 邮箱（选填，可删去）',
        '  address: ""                 # 通讯地址',
        '  postcode: ""                # 邮编（选填，6位数字，可删去）',
    ]
    if not works and not student:
        out += [
            "  id_front: files/id_front.jpg   # 暂未工作且不是在校生：须上传身份证人像面（jpg/png，20KB–500KB）",
            "  id_back: files/id_back.jpg     # 身份证国徽面",
        ]
    out.append("education:                    # 教育经历（每段一项）")
    row = [
        f"    mode: 全日制              # 培养方式：{c('education_mode')}",
        '    school: ""                # 学校名称(全称)',
        '    start: ""                 # 入学时间 YYYY-MM',
        '    end: ""                   # 毕业时间 YYYY-MM',
        f'    level: ""                 # 学历：{c("education_level")}',
        '    diploma_no: ""            # 学历证书编号（无则删去）',
        f'    degree: ""                # 学位：{c("degree")}',
        '    degree_no: ""             # 学位证书编号（无则删去）',
        f'    major: ""                 # 所学专业：{c("major")}',
    ]
    out += ["  - " + row[0].strip(), *row[1:]]
    if student:
        out += [
            "  - mode: 全日制              # 至今在学的这一段",
            '    school: ""',
            '    start: ""',
            "    end: 至今",
            '    level: ""',
            "    degree: 无",
            '    major: ""',
            "    study_proof: files/study_proof.jpg   # 学生证或学信网学籍在线验证报告",
        ]
    if works:
        out += [
            "work:                         # 工作经历（无工作单位可删去）",
            '  - start: ""                 # 工作开始时间 YYYY-MM（全日制毕业生须晚于毕业时间）',
            "    end: 至今                 # 工作结束时间，或 至今",
            '    employer: ""              # 单位名称',
            '    uscc: ""                  # 统一社会信用代码（18位）',
            f'    employer_type: ""         # 单位类型：{c("employer_type")}',
            f'    industry: ""              # 所属行业：{c("industry")}',
            '    address: ""               # 工作单位地址',
            '    phone: ""                 # 工作单位电话',
            "    uscc_proof: files/licence.jpg   # 至今须上传本单位统一社会信用代码证明",
        ]
        if scope == 1:
            out += [
                "    accounting:               # 是否有会计工作经历：写了即为“是”",
                '      start: ""               # 会计工作开始时间（与《会计工作（经历）证明》一致）',
                f"      work_types: []          # 会计工作类型，可多选：{c('work_type')}",
                "      proof: files/work_certificate.jpg   # 加盖单位公章的《会计工作（经历）证明》",
                "      # title: 会计师          # 会计专业职务（选填）",
                '      # title_date: ""        # 聘任时间（填了职务必填）',
                "      # title_proof: files/appointment.jpg   # 聘任证明（填了职务必填）",
            ]
    if scope in (2, 5):
        out.append("qualifications:               # 专业技术资格")
        if scope == 2:
            out += [
                "  accounting:                 # 会计专业技术资格",
                f'    - level: ""               # 职称层级：{c("qualification_level")}',
                f"      method: 考试            # 获取方式：{c('qualification_method')}",
                '      cert_no: ""             # 证书号或批文号',
            ]
        else:
            out += [
                "  other:                      # 其他专业技术人员职业资格（须为中级经济、统计或审计）",
                f'    - type: ""                # 专业技术资格类型：{c("other_qualification_type")}',
                "      level: 中级             # 专业技术资格级别",
                '      date: ""                # 取得时间 YYYY-MM',
                '      cert_no: ""             # 证书号或批文号',
            ]
    return "\n".join(out) + "\n"
