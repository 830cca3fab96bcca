"""The platform's rules that can be known before the site is opened.

Each rule is a small function over a `Context`, yielding `(Finding, location)` pairs; its docstring
names the source (platform-map.md section, or the guide it cites). Site words (options, levels,
department names) come from the pack's `vocabulary`, never from literals here.

Each rule names the top-level sections it reads (`@rule(reads=…)`), so that on a profile whose other
sections did not validate (blank stand-ins there) it still runs when all of its own did. `reads=()`
marks a rule that judges each field on its own: a blank stand-in has no field to judge.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal

from autofill.findings import Finding, error, warning
from autofill.pack import Department, SitePack, TextFormat, Vocabulary
from autofill.profile.dates import SiteDate
from autofill.profile.fields import iter_fields
from autofill.profile.load import Loc
from autofill.profile.model import Education, Profile, Work

Found = Iterator[tuple[Finding, Loc]]


@dataclass
class Context:
    profile: Profile
    pack: SitePack
    base_dir: Path
    today: dt.date

    @property
    def words(self) -> Vocabulary:
        return self.pack.vocabulary

    def current_work(self) -> list[tuple[int, Work]]:
        return [(i, w) for i, w in enumerate(self.profile.work) if w.end.present]

    def resolve(self, relative: str) -> Path:
        return (self.base_dir / relative).resolve()


Rule = Callable[[Context], Found]
RULES: list[tuple[Rule, frozenset[str]]] = []  # each rule and the sections it reads
SHOWN_CHOICES = 12  # a longer list of valid values is cut in a message


def rule(*, reads: Collection[str]) -> Callable[[Rule], Rule]:
    """Register a rule that reads the top-level sections `reads` of the profile."""
    unknown = set(reads) - set(Profile.model_fields)
    if unknown:
        raise ValueError(f"not sections of a profile: {', '.join(sorted(unknown))}")

    def register(fn: Rule) -> Rule:
        RULES.append((fn, frozenset(reads)))
        return fn

    return register


def _hint(close: Sequence[str], values: Sequence[str]) -> tuple[str, str]:
    """What to write instead of a value not in `values`, (中文, English): the `close` ones when there
    are, else the valid values (the first SHOWN_CHOICES of a longer list)."""
    if close:
        return f"，是否要写：{'、'.join(close)}", f"; did you mean: {', '.join(close)}"
    shown = list(values[:SHOWN_CHOICES])
    more = len(values) - len(shown)
    return (
        "（可选：" + "、".join(shown) + (f" 等，共 {len(values)} 项" if more else "") + "）",
        " (choices: " + ", ".join(shown) + (f", … {more} more" if more else "") + ")",
    )


def _month(d: SiteDate) -> str:
    return d.month_text


@rule(reads=("account",))
def id_number(ctx: Context) -> Found:
    """证件号码: a 内地居民身份证 number has a GB 11643 check digit; gender and birth date follow from it
    and must agree with what the profile states (platform-map 2, 5.3)."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import ric

    acc = ctx.profile.account
    if acc.id_type != ctx.words.mainland_id_type:
        if acc.gender is None:
            yield (
                error("非内地居民身份证须填写性别", "gender is required for this ID type"),
                ("account", "gender"),
            )
        if acc.birth_date is None:
            yield (
                error("非内地居民身份证须填写出生年月", "birth_date is required for this ID type"),
                ("account", "birth_date"),
            )
        return
    number = acc.id_number.upper()
    try:
        ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        yield (
            error("身份证号码校验位不正确", "the ID number's check digit is wrong"),
            ("account", "id_number"),
        )
        return
    except stdnum_errors.ValidationError:
        yield (
            error("身份证号码应为18位且出生日期有效", "an ID number has 18 characters and a valid birth date"),
            ("account", "id_number"),
        )
        return
    born = ric.get_birth_date(number)
    gender = ctx.pack.option("gender").values[0 if int(number[16]) % 2 else 1]
    if acc.gender is not None and acc.gender != gender:
        yield (
            error(f"性别与身份证号码不符（号码为{gender}）", f"gender disagrees with the ID number ({gender})"),
            ("account", "gender"),
        )
    stated = acc.birth_date
    if stated is not None and (
        (stated.year, stated.month) != (born.year, born.month) or stated.day not in (None, born.day)
    ):
        yield (
            error(
                f"出生年月与身份证号码不符（号码为 {born}）",
                f"birth_date disagrees with the ID number ({born})",
            ),
            ("account", "birth_date"),
        )


def _format_problem(fmt: TextFormat, what: str) -> Finding:
    return error(
        f"{fmt.label}格式不正确，应为{fmt.hint}（如 {fmt.example}）",
        f"{what} is not in the form the site accepts ({fmt.pattern}, e.g. {fmt.example})",
        code="profile.format",
    )


@rule(reads=())
def contact(ctx: Context) -> Found:
    """手机号 is a mainland mobile number; 邮箱 and 邮编 (6 digits) are well formed; every 工作单位电话 is
    digits and `-` (platform-map 2, 5.3, 5.5; the patterns are the pack's `formats`)."""
    formats = ctx.pack.formats
    mobile = ctx.profile.account.mobile
    if mobile is not None and not formats.mobile.matches(mobile):
        yield _format_problem(formats.mobile, "the mobile number"), ("account", "mobile")
    email, postcode = ctx.profile.basic.email, ctx.profile.basic.postcode
    if email and not formats.email.matches(email):
        yield _format_problem(formats.email, "the email"), ("basic", "email")
    if postcode and not formats.postcode.matches(postcode):
        yield _format_problem(formats.postcode, "the postcode"), ("basic", "postcode")
    for i, w in enumerate(ctx.profile.work):
        if not formats.phone.matches(w.phone):
            yield _format_problem(formats.phone, "the work phone"), ("work", i, "phone")


@rule(reads=("scope", "basic"))
def photo(ctx: Context) -> Found:
    """基本信息's 照片信息 (the standard photo) is required (`*照片信息` on the page, and every scope's
    materials, national guide 二; platform-map 5.2, 5.3): the site refuses 基本信息 without it."""
    if ctx.pack.scopes[ctx.profile.scope].materials.photo == "required" and not ctx.profile.basic.photo:
        yield (
            error(
                "基本信息须上传照片信息（白底标准证件照片）",
                "基本信息 needs the standard photo (basic.photo), a white-background ID photo",
            ),
            ("basic", "photo"),
        )


@rule(reads=())
def options(ctx: Context) -> Found:
    """Every select field holds one of the site's options (selectors/ausm.yaml `options`)."""
    for fv in iter_fields(ctx.profile):
        if fv.options is None:
            continue
        choices = ctx.pack.option(fv.options)
        values = fv.value if isinstance(fv.value, list) else [fv.value]
        for index, value in enumerate(values):
            loc = (*fv.loc, index) if isinstance(fv.value, list) else fv.loc
            if choices.match(str(value)) is not None:
                continue
            hint_zh, hint_en = _hint(choices.suggest(str(value)), choices.values)
            make = warning if choices.open else error
            yield (
                make(
                    f"{fv.title}没有选项“{value}”{hint_zh}",
                    f"`{value}` is not an option of {fv.title}{hint_en}",
                    code="profile.option",
                ),
                loc,
            )


@rule(reads=("work",))
def uscc(ctx: Context) -> Found:
    """统一社会信用代码 has a GB 32100 check character (platform-map 5.5)."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import uscc as uscc_number

    for i, row in enumerate(ctx.profile.work):
        try:
            uscc_number.validate(row.uscc)
        except stdnum_errors.InvalidChecksum:
            yield (
                error("统一社会信用代码校验位不正确", "the USCC's check character is wrong"),
                ("work", i, "uscc"),
            )
        except stdnum_errors.ValidationError:
            yield (
                error("统一社会信用代码应为18位数字或大写字母", "a USCC has 18 digits or capital letters"),
                ("work", i, "uscc"),
            )


@rule(reads=("education", "work"))
def periods(ctx: Context) -> Found:
    """Every period starts before it ends (入学 < 毕业, 工作开始 ≤ 工作结束) and no start lies in the future."""
    today = SiteDate(ctx.today.year, ctx.today.month, ctx.today.day)
    for i, edu in enumerate(ctx.profile.education):
        if not edu.start.before(edu.end):
            yield (
                error(f"毕业时间应晚于入学时间 {edu.start}", f"end must be after the start {edu.start}"),
                ("education", i, "end"),
            )
    for i, row in enumerate(ctx.profile.work):
        if row.end.before(row.start):
            yield (
                error(
                    f"工作结束时间不能早于开始时间 {row.start}",
                    f"end must not be before the start {row.start}",
                ),
                ("work", i, "end"),
            )
    dated: list[tuple[SiteDate, Loc]] = [
        (e.start, ("education", i, "start")) for i, e in enumerate(ctx.profile.education)
    ]
    dated += [(w.start, ("work", i, "start")) for i, w in enumerate(ctx.profile.work)]
    dated += [(w.end, ("work", i, "end")) for i, w in enumerate(ctx.profile.work)]
    dated += [(e.end, ("education", i, "end")) for i, e in enumerate(ctx.profile.education)]
    for i, w in enumerate(ctx.profile.work):
        if w.accounting is not None:
            dated.append((w.accounting.start, ("work", i, "accounting", "start")))
            if w.accounting.title_date is not None:
                dated.append((w.accounting.title_date, ("work", i, "accounting", "title_date")))
    for date, loc in dated:
        if not date.present and today.before(date):
            yield error(f"日期 {date} 晚于今天", f"the date {date} lies in the future"), loc


def _only_last_present(rows: Sequence[Education | Work], table: str, label: str) -> Found:
    present = [i for i, r in enumerate(rows) if r.end.present]
    if len(present) > 1:
        for i in present[1:]:
            yield (
                error(f"只有当前的一条{label}可以填至今", f"only the one current {table} row may end 至今"),
                (table, i, "end"),
            )
    if present:
        latest = max(range(len(rows)), key=lambda k: (rows[k].start.year, rows[k].start.month, rows[k].start.day or 0))
        if rows[present[0]].start.before(rows[latest].start):
            yield (
                error(f"至今只能用于最近的一条{label}", f"至今 belongs on the most recent {table} row only"),
                (table, present[0], "end"),
            )


@rule(reads=("education", "work"))
def present_rows(ctx: Context) -> Found:
    """至今 only on the last/current row; for education only while still studying (platform-map 5.4, 5.5)."""
    yield from _only_last_present(ctx.profile.education, "education", "教育经历")
    yield from _only_last_present(ctx.profile.work, "work", "工作经历")


@rule(reads=("education", "work"))
def full_time_graduates(ctx: Context) -> Found:
    """Full-time graduates: neither the 工作开始时间 nor the accounting start (on the 《会计工作（经历）证明》)
    may fall within a finished full-time study, from 入学 up to and including the graduation month
    (national guide 一(三); platform-map 5.5). Compared by month, as the site's month pickers hold them;
    work begun before the study started is not affected."""
    full_time = ctx.pack.option("education_mode").values[0]
    for e in ctx.profile.education:
        if e.mode != full_time or e.end.present:
            continue
        first, last = e.start.month_text, e.end.month_text
        for i, w in enumerate(ctx.profile.work):
            if first <= w.start.month_text <= last:
                yield (
                    error(
                        f"全日制学历人员工作开始时间不得早于或等于毕业时间：应晚于 {last}（{e.school}）",
                        f"a full-time graduate's work must start after graduation {last} ({e.school})",
                        code="R.fulltime",
                    ),
                    ("work", i, "start"),
                )
            acc = w.accounting
            if acc is not None and first <= acc.start.month_text <= last:
                yield (
                    error(
                        f"会计工作开始时间必须晚于全日制毕业时间 {last}（{e.school}）",
                        f"a full-time graduate's accounting work must start after graduation {last} ({e.school})",
                        code="R.fulltime",
                    ),
                    ("work", i, "accounting", "start"),
                )


@rule(reads=("work",))
def accounting_rows(ctx: Context) -> Found:
    """是否有会计工作经历 = 是: the stamped 《会计工作（经历）证明》, a start inside the work period, and
    a 会计专业职务 with its 聘任时间 (not before 工作开始时间) and appointment proof (platform-map 5.5)."""
    for i, w in enumerate(ctx.profile.work):
        acc = w.accounting
        if acc is None:
            continue
        here: Loc = ("work", i, "accounting")
        if not acc.proof:
            yield (
                error(
                    "有会计工作经历须上传加盖单位公章的《会计工作（经历）证明》",
                    "accounting experience needs the stamped work certificate (proof)",
                ),
                (*here, "proof"),
            )
        if acc.start.before(w.start) or acc.start.after(w.end):
            yield (
                error(
                    f"会计工作开始时间应在工作期间内（{w.start} ~ {w.end}）",
                    f"the accounting start must lie within the work period {w.start} ~ {w.end}",
                ),
                (*here, "start"),
            )
        if acc.end is not None and (acc.end.before(acc.start) or w.end.before(acc.end)):
            yield (
                error(
                    "会计工作结束时间应在会计工作开始时间与工作结束时间之间",
                    "the accounting end lies outside the period",
                ),
                (*here, "end"),
            )
        if acc.title is None:
            continue
        if acc.title_date is None:
            yield (
                error("填写会计专业职务须选择聘任时间", "a title needs its title_date"),
                (*here, "title_date"),
            )
        elif acc.title_date.before(w.start):
            yield (
                error(
                    f"会计专业职务聘任时间不能早于工作开始时间 {w.start}",
                    f"title_date must not be before the work start {w.start}",
                ),
                (*here, "title_date"),
            )
        if not acc.title_proof:
            yield (
                error("填写会计专业职务须上传聘任证明", "a title needs its appointment proof"),
                (*here, "title_proof"),
            )


@rule(reads=("work",))
def current_work_proof(ctx: Context) -> Found:
    """工作结束时间 = 至今 requires the unit's 统一社会信用代码 certificate (primary-exam article; platform-map 5.5)."""
    for i, w in ctx.current_work():
        if not w.uscc_proof:
            yield (
                error(
                    "工作结束时间为至今须上传本单位统一社会信用代码证明",
                    "a current job (至今) needs uscc_proof",
                ),
                ("work", i, "uscc_proof"),
            )
        if w.employment_status not in (None, ctx.pack.option("employment_status").values[0]):
            yield (
                error("至今的工作经历应为在职", "a job that goes on (至今) is 在职"),
                ("work", i, "employment_status"),
            )


def _has_accounting(ctx: Context) -> bool:
    return any(w.accounting is not None for w in ctx.profile.work)


def _is_doctor(ctx: Context, e: Education) -> bool:
    return not e.end.present and (e.level in ctx.words.doctorate_levels or e.degree in ctx.words.doctorate_degrees)


@rule(reads=("scope", "work", "qualifications", "education"))
def scope_needs(ctx: Context) -> Found:
    """What each 采集范围 needs (platform-map 5.2, 5.6): (一) a work row with accounting experience;
    (二) an accounting qualification; (四) a doctorate; (五) an intermediate 经济/统计/审计 qualification.
    Anyone who has ever done accounting work chooses (一) (Tianjin guide)."""
    p, words = ctx.profile, ctx.words
    if p.scope == 1 and not _has_accounting(ctx):
        yield (
            error(
                "采集范围(一)须至少有一条含会计工作经历的工作经历",
                "scope 1 needs a work row with accounting experience",
            ),
            ("work",) if p.work else ("scope",),
        )
    if p.scope != 1 and _has_accounting(ctx):
        yield (
            warning(
                "从事过会计工作的人员应选择采集范围(一)",
                "anyone who has done accounting work chooses scope 1",
            ),
            ("scope",),
        )
    if p.scope == 2 and not p.qualifications.accounting:
        yield (
            error("采集范围(二)须填写会计专业技术资格", "scope 2 needs an accounting qualification"),
            ("qualifications", "accounting"),
        )
    if p.scope == 4 and not any(_is_doctor(ctx, e) for e in p.education):
        yield error("采集范围(四)须具有博士学位", "scope 4 needs a doctorate"), ("education",)
    if p.scope == 5 and not any(
        q.type in words.scope5_qualification_types and q.level == words.scope5_qualification_level
        for q in p.qualifications.other
    ):
        kinds = "/".join(words.scope5_qualification_types)
        yield (
            error(
                f"采集范围(五)须填写{words.scope5_qualification_level}{kinds}专业技术资格",
                f"scope 5 needs an intermediate {kinds} qualification",
            ),
            ("qualifications", "other"),
        )
    if ctx.pack.scopes[p.scope].not_working and ctx.current_work():
        yield (
            warning("采集范围(三)(四)适用于暂未工作的人员", "scopes 3 and 4 are for people not working yet"),
            ("scope",),
        )


def id_pictures_needed(profile: Profile, pack: SitePack) -> bool:
    """Whether 基本信息 must carry both sides of the ID (身份证明人像面/国徽面): for people not working
    and not students — no current job, or a scope for people not working yet — and for everyone under
    国管局 (the page's 附件 hint, platform-map 5.3). Everyone else may leave them out."""
    if profile.department.province in pack.vocabulary.id_proof_departments:
        return True
    working = any(w.end.present for w in profile.work) and not pack.scopes[profile.scope].not_working
    return not working and not profile.is_student


@rule(reads=("department", "work", "scope", "education", "basic"))
def id_pictures(ctx: Context) -> Found:
    """People not working and not students, and those under 国管局, upload both sides of their ID
    (platform-map 5.3; `id_pictures_needed`); the sides come as a pair."""
    basic = ctx.profile.basic
    need = id_pictures_needed(ctx.profile, ctx.pack)
    for side in ("id_front", "id_back"):
        if need and not getattr(basic, side):
            yield (
                error(
                    "暂未工作且不属于在校学生的或会计管理部门选择国管局的，须上传身份证或居住证",
                    "people not working and not students (or under 国管局) must upload both ID sides",
                ),
                ("basic", side),
            )
    if not need and bool(basic.id_front) != bool(basic.id_back):
        yield warning("身份证明人像面与国徽面应一同上传", "upload both ID sides or neither"), ("basic",)


@rule(reads=("realname",))
def realname_pictures(ctx: Context) -> Found:
    """线上实名认证 takes three pictures: 证件人像面, 证件非人像面, 手持证件人像面 (platform-map 4)."""
    if ctx.profile.realname is not None:
        for side in ("id_front", "id_back", "handheld"):
            if not getattr(ctx.profile.realname, side):
                yield (
                    error(
                        "线上实名认证须上传证件人像面、非人像面和手持证件人像面",
                        "online real-name needs all three pictures",
                    ),
                    ("realname", side),
                )


@rule(reads=("scope", "education"))
def students(ctx: Context) -> Found:
    """Students file two rows, the highest finished one and the current one (至今), with proof of current
    study; a 大专 student registering for the primary exam shows the high-school diploma (platform-map 5.4)."""
    p = ctx.profile
    current = [(i, e) for i, e in enumerate(p.education) if e.end.present]
    if not current:
        return
    i, now = current[0]
    if not any(not e.end.present for e in p.education):
        yield (
            error(
                "在校生须填写已取得的最高学历和至今在学两条教育经历",
                "a student files two rows: the highest finished education and the current one",
            ),
            ("education",),
        )
    if not now.study_proof:
        yield (
            error(
                "在校生须上传至今在学证明（学生证或学信网学籍在线验证报告）",
                "a current study row needs study_proof (student card or 学信网 report)",
            ),
            ("education", i, "study_proof"),
        )
    if now.level == ctx.words.college_level and p.scope == 3:
        for j, e in enumerate(p.education):
            if not e.end.present and not e.diploma_proof:
                yield (
                    error(
                        "报名初级的大专在校生须上传高中（中专、职高、技校）毕业证",
                        "a 大专 student for the primary exam uploads the high-school diploma (diploma_proof)",
                    ),
                    ("education", j, "diploma_proof"),
                )


@rule(reads=("education",))
def education_proofs(ctx: Context) -> Found:
    """Foreign bachelor's or higher needs the 留学服务中心 certificate; single-certificate master's proves
    with the degree certificate; 大专 and below have no degree and prove with the diploma (platform-map 5.4)."""
    words = ctx.words
    for i, e in enumerate(ctx.profile.education):
        here: Loc = ("education", i)
        if e.foreign and e.level in words.bachelor_or_higher_levels and not e.foreign_cert:
            yield (
                error(
                    "国(境)外本科及以上学历学位须上传教育部留学服务中心认证书",
                    "a foreign bachelor's or higher needs foreign_cert",
                ),
                (*here, "foreign_cert"),
            )
        if e.level in words.masters_levels and not e.diploma_no and not e.end.present:
            if not e.degree_no:
                yield (
                    error("单证硕士须填写学位证书编号", "a single-certificate master's needs degree_no"),
                    (*here, "degree_no"),
                )
            if e.diploma_proof and not e.degree_proof:
                yield (
                    warning(
                        "单证硕士只需提供学位证书",
                        "a single-certificate master's proves with the degree certificate",
                    ),
                    (*here, "degree_proof"),
                )
        if e.level in words.below_college_levels:
            if e.degree != words.no_degree:
                yield (
                    error(
                        f"大专及以下学历没有学位，学位应选“{words.no_degree}”",
                        "大专 and below carry no degree",
                    ),
                    (*here, "degree"),
                )
            if e.degree_proof:
                yield (
                    warning("大专及以下学历只需提供毕业证书", "大专 and below prove with the diploma only"),
                    (*here, "degree_proof"),
                )


def _department_path(ctx: Context) -> tuple[list[Department], list[tuple[Finding, Loc]]]:
    """The chosen departments the pack knows, level by level, and what is wrong with the choice. A name
    the pack lacks at a level it lists completely is an error; below those levels (`complete_levels`)
    the tree is partial, so it is a warning: the site's own list decides when filling."""
    dep = ctx.profile.department
    tree = ctx.pack.departments
    chosen: list[Department] = []
    problems: list[tuple[Finding, Loc]] = []
    node = tree.top(dep.province)
    if node is None:
        close = [d.name for d in tree.departments if dep.province in d.name or d.name in dep.province]
        hint_zh, hint_en = _hint(close, [d.name for d in tree.departments])
        make = error if tree.complete_levels >= 1 else warning
        problems.append(
            (
                make(f"没有会计管理部门“{dep.province}”{hint_zh}", f"no department `{dep.province}`{hint_en}"),
                ("department", "province"),
            )
        )
        return chosen, problems
    chosen.append(node)
    for level, (key, name) in enumerate((("city", dep.city), ("district", dep.district)), start=2):
        partial = level > tree.complete_levels
        if not node.children:
            if name and partial:
                problems.append(
                    (
                        warning(
                            f"选择器包不知道{node.name}有下级部门，“{name}”须在网站的选项中（填写时核对）",
                            f"the pack knows no level under {node.name}; `{name}` must be one the site offers",
                        ),
                        ("department", key),
                    )
                )
            elif name:
                problems.append(
                    (error(f"{node.name}下没有下级部门", f"{node.name} has no lower level"), ("department", key))
                )
            break
        if not name:
            problems.append(
                (error(f"请选择{node.name}的下级部门", f"choose a {key} under {node.name}"), ("department", key))
            )
            break
        child = node.child(name)
        if child is None:
            names = [c.name for c in node.children]
            hint_zh, hint_en = _hint(difflib.get_close_matches(name, names, n=3, cutoff=0.5), names)
            if partial:
                found = warning(
                    f"选择器包的{node.name}下没有“{name}”{hint_zh}；此级列表不完整，填写时以网站的选项为准",
                    f"the pack lists no `{name}` under {node.name}{hint_en}; its list is partial here, "
                    "the site's options decide when filling",
                )
            else:
                found = error(f"{node.name}下没有“{name}”{hint_zh}", f"no `{name}` under {node.name}{hint_en}")
            problems.append((found, ("department", key)))
            break
        chosen.append(child)
        node = child
    return chosen, problems


@rule(reads=("department",))
def department(ctx: Context) -> Found:
    """会计管理部门 is a choice of the site's tree (selectors/departments.yaml; platform-map 5.1)."""
    yield from _department_path(ctx)[1]


@rule(reads=("department", "work", "account", "education"))
def department_region(ctx: Context) -> Found:
    """会计管理部门 fits the person (platform-map 5.1): 兵团 units → 兵团; people in work → where the
    employer is registered (the USCC's region); others → 户籍 or residence (the ID's region), each
    compared with the code of the deepest chosen department that has one. A mismatch is a warning:
    the person may know better."""
    chosen = _department_path(ctx)[0]
    if not chosen:
        return
    code = next((d.code for d in reversed(chosen) if d.code), "")
    current = ctx.current_work()
    words = ctx.words
    if current and words.bingtuan_department in current[0][1].employer and chosen[0].name != words.bingtuan_department:
        yield (
            warning(
                f"在{words.bingtuan_department}所属单位工作的应选择{words.bingtuan_department}",
                "people working for a 兵团 unit choose 新疆生产建设兵团",
            ),
            ("department", "province"),
        )
        return
    if not code or chosen[0].name in words.central_departments:
        return
    if current:
        region = current[0][1].uscc[2:8]
        if not region.startswith(code):
            yield (
                warning(
                    f"在职人员应选择工作单位营业执照登记地（统一社会信用代码所示地区 {region}）",
                    f"people in work choose where the employer is registered (USCC region {region})",
                ),
                ("department",),
            )
    elif not ctx.profile.is_student and ctx.profile.account.id_type == words.mainland_id_type:
        region = ctx.profile.account.id_number[:6]
        if not region.startswith(code):
            yield (
                warning(
                    "其他人员应选择户籍所在地或居住地（与身份证号码所示地区不同，请确认）",
                    f"people not working choose their household or residence region (the ID says {region}); confirm",
                ),
                ("department",),
            )


@rule(reads=())
def files(ctx: Context) -> Found:
    """Every referenced picture exists, is a file, and meets the upload rules of its kind (platform-map 6;
    selectors/ausm.yaml `files`)."""
    for fv in iter_fields(ctx.profile):
        if fv.file_kind is None:
            continue
        try:
            path = ctx.resolve(str(fv.value))
            exists, is_file = path.exists(), path.is_file()
        except (OSError, RuntimeError, ValueError) as exc:  # a name too long, a NUL, a link loop, no access
            reason = getattr(exc, "strerror", None) or str(exc)
            yield error(f"无法读取文件：{fv.value}", f"cannot read the file: {reason}"), fv.loc
            continue
        if not exists:
            yield error(f"文件不存在：{fv.value}", f"no such file: {path}"), fv.loc
        elif not is_file:
            yield error(f"不是文件：{fv.value}", f"not a file: {path}"), fv.loc
        else:
            from autofill.images import check_image

            kind: Literal["photo", "attachment"] = "photo" if fv.file_kind == "photo" else "attachment"
            for finding in check_image(path, kind, ctx.pack.files[kind]):
                yield finding, fv.loc


@rule(reads=())
def lengths(ctx: Context) -> Found:
    """A text the site holds is at most `limits.text_chars` long (longer is refused: 通讯地址不能超过200个
    字符), and an attachment's file name at most `limits.file_name_chars` (the site stores a longer one
    cut short, so it no longer reads back as the file uploaded). The photo is compared by its content,
    not its name. selectors/ausm.yaml `limits`."""
    limits = ctx.pack.limits
    limit = limits.text_chars
    for fv in iter_fields(ctx.profile):
        if fv.file_kind == "attachment":
            name = PurePath(str(fv.value)).name
            if len(name) > limits.file_name_chars:
                yield (
                    error(
                        f"{fv.title}的文件名太长（{len(name)} 个字符），网站只保存前 {limits.file_name_chars} 个字符："
                        f"请把文件改名为不超过 {limits.file_name_chars} 个字符",
                        f"the file name has {len(name)} characters; the site keeps only {limits.file_name_chars}: "
                        f"rename the file to at most {limits.file_name_chars} characters",
                        code="profile.length",
                    ),
                    fv.loc,
                )
        elif fv.file_kind is None and fv.options is None and isinstance(fv.value, str) and len(fv.value) > limit:
            yield (
                error(
                    f"{fv.title}不能超过{limit}个字符（现有 {len(fv.value)} 个）",
                    f"the site takes at most {limit} characters here ({len(fv.value)} written)",
                    code="profile.length",
                ),
                fv.loc,
            )


def run_rules(ctx: Context, valid: Collection[str] | None = None) -> list[tuple[Finding, Loc]]:
    """Every finding of every rule whose sections are all `valid` (default: every rule). A rule never
    stops the others."""
    found: list[tuple[Finding, Loc]] = []
    for fn, reads in RULES:
        if valid is None or reads <= set(valid):
            found.extend(fn(ctx))
    return found
