"""Profile + pack → what each step must show: a value for every field the pack lists.

The plan knows the profile and the pack's field list, never how a widget is driven. Values are
already in the site's terms: months as `YYYY-MM` or `至今`, options spelled as the pack lists them,
files as absolute paths, yes/no radios as the site's words, read-only values masked as shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autofill.errors import PackError
from autofill.masking import mask_id, mask_mobile, mask_name
from autofill.pack import FieldSpec, SitePack, TableSpec
from autofill.profile.dates import SiteDate
from autofill.profile.model import Profile

MASKS = {"id": mask_id, "name": mask_name, "mobile": mask_mobile}


@dataclass(frozen=True)
class Planned:
    """One field: its spec, its full profile path (for reports) and the value the page must show."""

    spec: FieldSpec
    path: str
    value: Any
    # A field the page may not show, compared only where it does: an upload the profile names none for
    # (value None). The site may still hold a file there, which the comparison must not hide (with
    # --prune it is removed); a slot the page hides (学位证明附件 with 学位 无) holds nothing to compare.
    optional: bool = False


@dataclass
class RowPlan:
    """One table row: where it comes from, how to recognise it in the table, and its fields."""

    table: str
    path: str  # e.g. education[1]
    keys: dict[str, str]  # column title → the cell text that identifies the row
    fields: list[Planned]
    # Other column sets (as `keys`) that tell the same row once one of its keys was corrected.
    same_entry: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Plan:
    profile: Profile
    base_dir: Path
    forms: dict[str, list[Planned]] = field(default_factory=dict)
    tables: dict[str, list[RowPlan]] = field(default_factory=dict)

    @property
    def department(self) -> list[str]:
        d = self.profile.department
        return [v for v in (d.province, d.city, d.district) if v]


def _lookup(obj: Any, dotted: str) -> tuple[bool, Any]:
    """(found, value) of a dotted attribute path; a missing parent (e.g. no accounting) is not found."""
    for part in dotted.split("."):
        if obj is None:
            return False, None
        if not hasattr(obj, part):
            raise PackError(f"选择器包的字段路径不存在 (the pack names a field the profile lacks: {dotted})")
        obj = getattr(obj, part)
    return True, obj


def _value(spec: FieldSpec, raw: Any, pack: SitePack, base_dir: Path) -> Any:
    if spec.widget == "month":
        return "" if raw is None else (raw.month_text if isinstance(raw, SiteDate) else str(raw))
    if spec.widget == "upload":
        return None if not raw else (base_dir / str(raw)).resolve()
    if spec.widget == "radio":
        yes, no = spec.choices or ("是", "否")
        return yes if raw is not None else no
    if spec.widget == "checkbox_group":
        options = pack.option(spec.options) if spec.options else None
        return [(options.match(v) if options else None) or v for v in raw or []]
    if spec.widget == "select":
        if raw is None:
            return ""
        options = pack.option(spec.options) if spec.options else None
        return (options.match(str(raw)) if options else None) or str(raw)
    if spec.widget == "readonly":
        mask = MASKS.get(spec.masked or "")
        return "" if raw is None else (mask(str(raw)) if mask else str(raw))
    return "" if raw is None else str(raw)


def _fields(specs: list[FieldSpec], source: Any, prefix: str, pack: SitePack, base_dir: Path) -> list[Planned]:
    out = []
    for spec in specs:
        parent, _, _ = spec.path.rpartition(".")
        if parent and not _lookup(source, parent)[1] and spec.widget != "radio":
            continue  # a section the profile leaves out (e.g. no accounting experience): hidden on the page
        _, raw = _lookup(source, spec.path)
        path = f"{prefix}.{spec.path}" if prefix else spec.path
        if spec.widget == "upload" and not raw:  # the page must show no file either, where it shows the slot
            out.append(Planned(spec, path, None, optional=True))
            continue
        if spec.widget == "readonly" and raw is None:
            continue
        out.append(Planned(spec, path, _value(spec, raw, pack, base_dir)))
    return out


def _cells(columns: dict[str, str], fields: list[Planned]) -> dict[str, str]:
    """{column title: row field} → {column title: the text the table shows for the row} (a field the row
    leaves out shows nothing)."""
    by_path = {f.spec.path: f.value for f in fields}
    return {column: str(by_path.get(key, "")) for column, key in columns.items()}


def _rows(name: str, table: TableSpec, profile: Profile, pack: SitePack, base_dir: Path) -> list[RowPlan]:
    _, rows = _lookup(profile, table.rows)
    plans = []
    for index, row in enumerate(rows or []):
        prefix = f"{table.rows}[{index}]"
        fields = _fields(table.fields, row, prefix, pack, base_dir)
        keys = _cells(table.keys, fields)
        plans.append(RowPlan(name, prefix, keys, fields, [_cells(s, fields) for s in table.same_entry]))
    return plans


def make_plan(profile: Profile, pack: SitePack, base_dir: Path) -> Plan:
    """Everything the driver will make the site show, step by step."""
    plan = Plan(profile, base_dir)
    for name, specs in pack.wizard.forms.items():
        fields: list[Planned] = []
        for spec in specs:
            if spec.widget == "cascade":
                fields.append(Planned(spec, spec.path, plan.department))
            else:
                fields.extend(_fields([spec], profile, "", pack, base_dir))
        plan.forms[name] = fields
    for name, table in pack.wizard.tables.items():
        plan.tables[name] = _rows(name, table, profile, pack, base_dir)
    return plan
