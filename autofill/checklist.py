"""`autofill checklist`: the materials a person must prepare, and which ones the profile names.

The scope's materials come from the pack (national guide, part 一/二); each file the profile names is
marked ✓ (named and present), ✗ (named but missing) or ☐ (not named yet). A file is marked as needed
exactly when `autofill check` requires it: the ID sides, for instance, only for the people the
site's 基本信息 asks them of (`rules.id_pictures_needed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from autofill.errors import ProfileError
from autofill.pack import SitePack, load_pack
from autofill.profile.load import load_profile, path_text
from autofill.profile.model import Profile
from autofill.profile.rules import id_pictures_needed

# needed: upload it now; fallback: only if the site's online check fails; optional: this person need
# not upload it (the material's `only_when` says who must)
Need = Literal["needed", "fallback", "optional"]
Item = tuple[str, str, str | None, Need]  # material key, what, file path (relative), need
_NOT_NAMED: dict[Need, str] = {
    "needed": "未填写 (not named yet)",
    "fallback": "备用：核验不通过时上传 (only if the online check fails)",
    "optional": "选填 (optional for this person)",
}


def _items(p: Profile, pack: SitePack) -> Iterator[Item]:
    needs = pack.scopes[p.scope].materials
    yield "photo", "basic.photo", p.basic.photo, "needed"
    if needs.id_photos != "none":
        sides: Need = "needed" if id_pictures_needed(p, pack) else "optional"
        yield "id_photos", "basic.id_front", p.basic.id_front, sides
        yield "id_photos", "basic.id_back", p.basic.id_back, sides
    if p.realname is not None:
        for side in ("id_front", "id_back", "handheld"):
            yield "realname", f"realname.{side}", getattr(p.realname, side), "needed"
    for i, w in enumerate(p.work):
        if w.end.present:
            yield "uscc_proof", f"work[{i}].uscc_proof", w.uscc_proof, "needed"
        if w.accounting is not None:
            yield "work_proof", f"work[{i}].accounting.proof", w.accounting.proof, "needed"
            if w.accounting.title:
                yield "work_proof", f"work[{i}].accounting.title_proof", w.accounting.title_proof, "needed"
    for i, e in enumerate(p.education):
        here = path_text(("education", i))
        yield "education_proof", f"{here}.diploma_proof", e.diploma_proof, "fallback"
        if e.degree != pack.vocabulary.no_degree:
            yield "education_proof", f"{here}.degree_proof", e.degree_proof, "fallback"
        if e.end.present:
            yield "education_proof", f"{here}.study_proof", e.study_proof, "needed"
        if e.foreign:
            yield "education_proof", f"{here}.foreign_cert", e.foreign_cert, "needed"
    if needs.qualification_proof != "none":
        for i, q in enumerate(p.qualifications.accounting):
            yield "qualification_proof", f"qualifications.accounting[{i}].proof", q.proof, "fallback"
        for i, o in enumerate(p.qualifications.other):
            yield "qualification_proof", f"qualifications.other[{i}].proof", o.proof, "fallback"


def checklist_text(file: Path, pack: SitePack | None = None) -> str:
    """The checklist for one profile, as printed by `autofill checklist`."""
    pack = pack or load_pack()
    loaded = load_profile(file)
    if loaded.profile is None:
        problems = "\n".join(f.render() for f in loaded.findings)
        raise ProfileError(f"档案无法读取，请先运行 autofill check (cannot read the profile):\n{problems}", file=file)
    p = loaded.profile
    needs = pack.scopes[p.scope].materials.model_dump()
    lines = [f"{file}: {pack.scopes[p.scope].title}", "需要准备的材料 (materials to prepare):"]
    items = list(_items(p, pack))
    for key, material in pack.materials.items():
        need = needs.get(key, "required")
        mine = [it for it in items if it[0] == key]
        if need == "none" or (key in ("uscc_proof", "realname") and not mine):
            continue
        if mine and all(it[3] == "optional" for it in mine):
            need = "optional"  # the site does not ask this person for it
        tag = {"required": "必需 required", "if_held": "如有 if held", "optional": "选填 optional"}.get(
            need, "必需 required"
        )
        lines.append(f"- {material.label} [{tag}]: {material.detail}")
        for _, field, rel, item_need in mine:
            if rel is None:
                mark, state = "☐", _NOT_NAMED[item_need]
                if item_need == "optional" and material.only_when:
                    state = f"选填：{material.only_when} (optional for this person)"
            elif (loaded.base_dir / rel).is_file():
                mark, state = "✓", rel
            else:
                mark, state = "✗", f"{rel} 文件不存在 (file missing)"
            lines.append(f"    {mark} {field}: {state}")
        if not mine and need != "none":
            lines.append("    ☐ 档案中没有对应条目 (the profile has no row for it yet)")
    return "\n".join(lines)
