"""Attachments are compared by content: a picture replaced under the same name is uploaded again, an
unchanged one is not; a name the site shortens reads back as the file uploaded; an attachment the
profile no longer names shows in the comparison, and is removed with --prune."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.e2e.conftest import ROOT, Examples, Site, in_thread, load
from tests.e2e.records import differences, sha256_of

pytestmark = pytest.mark.e2e


def redraw(path: Path, seed: int) -> None:
    """The same file, a new picture: the old one with coloured blocks over it (a rescan), same format."""
    rng = random.Random(seed)
    with Image.open(path) as old:
        fmt = old.format or "JPEG"
        img = old.convert("RGB")
    draw = ImageDraw.Draw(img)
    w, h = img.size
    for _ in range(12):
        x, y = rng.randrange(w - 40), rng.randrange(h - 40)
        draw.rectangle((x, y, x + 40, y + 30), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    img.save(path, fmt, **({"quality": 90} if fmt == "JPEG" else {}))


def line(ran: Any, path: str) -> dict[str, Any]:
    found = [entry for entry in ran.report["comparison"] if entry["path"] == path]
    assert len(found) == 1, (path, ran.report["comparison"])
    return dict(found[0])


def test_a_picture_replaced_under_the_same_name_is_uploaded_again(site: Site, examples: Examples) -> None:
    profile = examples.path("scope1")
    person = site.seed(profile)
    first = site.run(profile)
    assert first.exit_code == 0, first.output
    id_number = person.account.id_number

    licence = profile.parent / "files" / "licence.jpg"
    old = sha256_of(licence)
    redraw(licence, seed=7)
    assert sha256_of(licence) != old
    assert site.record(id_number)["work"][0]["uscc_proof"]["sha256"] == old

    sent = _uploads(site)
    second = site.run(profile)

    assert second.exit_code == 0, second.output
    assert _uploads(site) == sent + 1
    stored = site.record(id_number)
    assert stored["work"][0]["uscc_proof"]["sha256"] == sha256_of(licence)
    assert differences(stored, load(profile), profile.parent) == []
    # only the replaced picture was sent again: the others (same names, same content) were left alone
    assert [(c["path"], c["action"]) for c in second.changes()] == [("work[0].uscc_proof", "edited")]

    third = site.run(profile)  # nothing changed: nothing uploaded
    assert third.exit_code == 0, third.output
    assert third.changes() == []
    assert _uploads(site) == sent + 1


def _uploads(site: Site) -> int:
    """How many files the site was sent so far."""
    return sum(1 for method, path in site.hooks.seen if (method, path) == ("POST", "/api/files"))


def test_a_name_the_site_shortens_reads_back_as_the_file_uploaded(site: Site, examples: Examples) -> None:
    """The site keeps at most `file_name_chars` of a name (`check` says so; a site may count differently):
    the upload worked, and the read-back says so. The plan is made without `check`, as for such a site."""
    from autofill.driver import Options, drive
    from autofill.human import replica_humans
    from autofill.pack import load_pack
    from autofill.plan import make_plan

    site_data = json.loads((ROOT / "fixtures" / "mock_site" / "data" / "site.json").read_text(encoding="utf-8"))
    limit = int(site_data["limits"]["file_name_chars"])
    long_name = "学位证书扫描件_清晰版_" + "a" * (limit + 10) + ".jpg"
    files = examples.root / "files"
    (files / "degree.jpg").rename(files / long_name)

    def rename(data: dict[str, Any]) -> None:
        data["education"][0]["degree_proof"] = f"files/{long_name}"

    profile = examples.variant("scope1", rename)
    person = site.seed(profile)
    pack = load_pack()
    plan = make_plan(load(profile), pack, profile.parent)
    opts = Options(url=site.url, humans=replica_humans(site.url), out=site.out)

    outcome = in_thread(lambda: drive(plan, pack, site.password, opts, profile_name=profile.name))

    assert outcome.report.outcome == "stopped_for_review", outcome.report.model_dump_json(indent=1)
    stored = site.record(person.account.id_number)["education"][0]["attachments"]["degree_proof"]
    assert stored["sha256"] == sha256_of(files / long_name)
    assert len(stored["name"]) < len(long_name)  # shortened by the site
    shown = next(entry for entry in outcome.report.comparison if entry.path == "education[0].degree_proof")
    assert shown.action == "uploaded"


def test_an_attachment_removed_from_the_profile_is_shown_and_pruned(site: Site, examples: Examples) -> None:
    def attach(data: dict[str, Any]) -> None:
        data["education"][0]["degree_proof"] = "files/degree.jpg"

    with_proof = examples.variant("scope1", attach, out="with_proof")
    without = examples.path("scope1")  # the same person, the proof no longer named
    person = site.seed(with_proof)
    first = site.run(with_proof)
    assert first.exit_code == 0, first.output
    id_number = person.account.id_number
    assert site.record(id_number)["education"][0]["attachments"]["degree_proof"] is not None

    second = site.run(without)

    assert second.exit_code == 0, second.output
    assert "全部一致" not in second.output
    shown = line(second, "education[0].degree_proof")
    assert (shown["value"] or "", shown["page_value"], shown["action"]) == ("", "degree.jpg", "mismatch")
    assert site.record(id_number)["education"][0]["attachments"]["degree_proof"] is not None

    pruned = site.run(without, "--prune")

    assert pruned.exit_code == 0, pruned.output
    assert site.record(id_number)["education"][0]["attachments"].get("degree_proof") is None
    assert line(pruned, "education[0].degree_proof")["action"] in ("deleted", "edited")
    assert differences(site.record(id_number), load(without), without.parent) == []
