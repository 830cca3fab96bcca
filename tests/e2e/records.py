"""What the replica stored, compared with a profile field by field (files by the sha256 of the profile's file).

Both sides are brought to one flat shape keyed by the profile's own paths (`work[0].accounting.title`,
`education[1].study_proof`): the QA record (`GET /__mock__/records/<id>`) through `site_view`, the
profile through `profile_view`. Texts are compared as a person reads them (NFKC, so `（` = `(`);
an empty text and a missing one are the same; a file is its sha256; an open end is `至今`.

Only what the site holds is compared: the profile's `work[].accounting.end`, `work[].employment_status`,
`education[].foreign`, `qualifications.accounting[].date` and the account's gender/birth date are for
other documents (the certificate, the checker) and have no field on the site. In the legacy layout the
site has no 专业技术资格 step, so the record holds no qualifications whatever the profile says.

This is the tests' own oracle: it reads neither the selector pack nor the driver's plan.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autofill.profile.dates import SiteDate
from autofill.profile.model import Profile

Flat = dict[str, Any]
PRESENT = "至今"
EDUCATION_SLOTS = ("diploma_proof", "degree_proof", "study_proof", "foreign_cert")


@dataclass(frozen=True)
class Difference:
    """One field where the site and the profile disagree."""

    path: str
    profile: Any
    site: Any

    def __str__(self) -> str:
        return f"{self.path}: profile {self.profile!r}, site {self.site!r}"


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    folded = unicodedata.normalize("NFKC", str(value)).strip()
    return folded or None


def _month(value: SiteDate | None) -> str | None:
    return None if value is None else value.month_text


def _end(end: Any, present: Any) -> str | None:
    return PRESENT if present else _text(end)


def _file(base_dir: Path, name: str | None) -> str | None:
    return None if not name else sha256_of((base_dir / name).resolve())


def _site_file(stored: Any) -> str | None:
    if stored is None:
        return None
    assert isinstance(stored, dict) and "sha256" in stored, stored
    return str(stored["sha256"])


def flatten(tree: Any, prefix: str = "") -> Flat:
    """`{"a": {"b": [1]}}` → `{"a.b[0]": 1}`; an empty list or dict stays as one entry, so a row that
    is missing on one side shows as a difference."""
    out: Flat = {}
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(tree, list) and tree and not all(isinstance(v, str) for v in tree):
        for index, value in enumerate(tree):
            out.update(flatten(value, f"{prefix}[{index}]"))
    elif isinstance(tree, list):
        out[prefix] = [_text(v) for v in tree]
    elif isinstance(tree, dict):
        out[prefix] = None
    else:
        out[prefix] = _text(tree)
    return out


def profile_view(profile: Profile, base_dir: Path, *, qualifications: bool = True) -> Flat:
    """The record the site should hold for `profile`, flat, keyed by profile paths."""
    p = profile
    tree: dict[str, Any] = {
        "scope": p.scope,
        "account": {
            "id_type": p.account.id_type,
            "id_number": p.account.id_number.upper(),
            "name": p.account.name,
            "mobile": p.account.mobile,
        },
        "department": {
            "province": p.department.province,
            "city": p.department.city,
            "district": p.department.district,
        },
        "basic": {
            "photo": _file(base_dir, p.basic.photo),
            "political_status": p.basic.political_status,
            "ethnicity": p.basic.ethnicity,
            "email": p.basic.email,
            "address": p.basic.address,
            "postcode": p.basic.postcode,
            "id_front": _file(base_dir, p.basic.id_front),
            "id_back": _file(base_dir, p.basic.id_back),
        },
        "education": [
            {
                "mode": row.mode,
                "school": row.school,
                "start": _month(row.start),
                "end": _month(row.end),
                "level": row.level,
                "diploma_no": row.diploma_no,
                "degree": row.degree,
                "degree_no": row.degree_no,
                "major": row.major,
                **{slot: _file(base_dir, getattr(row, slot)) for slot in EDUCATION_SLOTS},
            }
            for row in p.education
        ],
        "work": [
            {
                "start": _month(row.start),
                "end": _month(row.end),
                "employer": row.employer,
                "uscc": row.uscc,
                "employer_type": row.employer_type,
                "industry": row.industry,
                "address": row.address,
                "phone": row.phone,
                "uscc_proof": _file(base_dir, row.uscc_proof),
                "accounting": None
                if row.accounting is None
                else {
                    "start": _month(row.accounting.start),
                    "work_types": list(row.accounting.work_types),
                    "title": row.accounting.title,
                    "title_date": _month(row.accounting.title_date),
                    "title_proof": _file(base_dir, row.accounting.title_proof),
                    "proof": _file(base_dir, row.accounting.proof),
                },
            }
            for row in p.work
        ],
        "qualifications": {"accounting": [], "other": []},
    }
    if qualifications:
        tree["qualifications"] = {
            "accounting": [
                {"level": q.level, "method": q.method, "cert_no": q.cert_no, "proof": _file(base_dir, q.proof)}
                for q in p.qualifications.accounting
            ],
            "other": [
                {
                    "type": q.type,
                    "level": q.level,
                    "date": _month(q.date),
                    "cert_no": q.cert_no,
                    "proof": _file(base_dir, q.proof),
                }
                for q in p.qualifications.other
            ],
        }
    if p.realname is not None:
        tree["realname"] = {
            "location": p.realname.location,
            "id_front": _file(base_dir, p.realname.id_front),
            "id_back": _file(base_dir, p.realname.id_back),
            "handheld": _file(base_dir, p.realname.handheld),
        }
    return flatten(tree)


def site_view(record: dict[str, Any], *, realname: bool = False) -> Flat:
    """A QA record (`GET /__mock__/records/<id>`) in the shape of `profile_view` (row ids dropped)."""
    account = record["account"]
    department = record.get("department") or {}
    basic = record.get("basic") or {}
    quals = record.get("qualifications") or {}
    tree: dict[str, Any] = {
        "scope": record.get("scope"),
        "account": {k: account.get(k) for k in ("id_type", "id_number", "name", "mobile")},
        "department": {k: department.get(k) for k in ("province", "city", "district")},
        "basic": {
            "photo": _site_file(basic.get("photo")),
            **{k: basic.get(k) for k in ("political_status", "ethnicity", "email", "address", "postcode")},
            "id_front": _site_file(basic.get("id_front")),
            "id_back": _site_file(basic.get("id_back")),
        },
        "education": [
            {
                **{k: row.get(k) for k in ("mode", "school", "start")},
                "end": _end(row.get("end"), row.get("present")),
                **{k: row.get(k) for k in ("level", "diploma_no", "degree", "degree_no", "major")},
                **{slot: _site_file((row.get("attachments") or {}).get(slot)) for slot in EDUCATION_SLOTS},
            }
            for row in record.get("education") or []
        ],
        "work": [
            {
                "start": row.get("start"),
                "end": _end(row.get("end"), row.get("present")),
                **{k: row.get(k) for k in ("employer", "uscc", "employer_type", "industry", "address", "phone")},
                "uscc_proof": _site_file(row.get("uscc_proof")),
                "accounting": _accounting(row),
            }
            for row in record.get("work") or []
        ],
        "qualifications": {
            "accounting": [
                {**{k: q.get(k) for k in ("level", "method", "cert_no")}, "proof": _site_file(q.get("proof"))}
                for q in quals.get("accounting") or []
            ],
            "other": [
                {**{k: q.get(k) for k in ("type", "level", "date", "cert_no")}, "proof": _site_file(q.get("proof"))}
                for q in quals.get("other") or []
            ],
        },
    }
    if realname:
        online = record.get("realname") or {}
        tree["realname"] = {
            "location": online.get("location"),
            "id_front": _site_file(online.get("front")),
            "id_back": _site_file(online.get("back")),
            "handheld": _site_file(online.get("handheld")),
        }
    return flatten(tree)


def _accounting(row: dict[str, Any]) -> dict[str, Any] | None:
    if not row.get("has_accounting"):
        return None
    acc = row.get("accounting") or {}
    return {
        "start": acc.get("start"),
        "work_types": list(acc.get("work_types") or []),
        "title": acc.get("title"),
        "title_date": acc.get("title_date"),
        "title_proof": _site_file(acc.get("title_proof")),
        "proof": _site_file(acc.get("proof")),
    }


def compare(a: Flat, b: Flat) -> list[Difference]:
    """Every path where two flat views differ (`a` is reported as the profile side)."""
    return [
        Difference(path, a.get(path), b.get(path))
        for path in sorted(set(a) | set(b))
        if a.get(path, None) != b.get(path, None)
    ]


def differences(
    record: dict[str, Any], profile: Profile, base_dir: Path, *, qualifications: bool = True
) -> list[Difference]:
    """Where the stored record differs from the profile (empty when the site holds exactly the profile)."""
    want = profile_view(profile, base_dir, qualifications=qualifications)
    return compare(want, site_view(record, realname=profile.realname is not None))


def changed_paths(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The profile paths whose stored value differs between two QA records of one person."""
    return [d.path for d in compare(site_view(before), site_view(after))]


def row_ids(record: dict[str, Any]) -> dict[str, list[str]]:
    """The ids of every stored row, per table: the same ids before and after means no row was replaced."""
    quals = record.get("qualifications") or {}
    return {
        "education": [row["id"] for row in record.get("education") or []],
        "work": [row["id"] for row in record.get("work") or []],
        "qualifications.accounting": [row["id"] for row in quals.get("accounting") or []],
        "qualifications.other": [row["id"] for row in quals.get("other") or []],
    }
