"""How an upload compares what the page lists with the profile's file: by content, never by name alone;
after an upload, the sent name as a site shortens it; an attachment the profile names none for is planned
(when the steps compare such fields) so the site's file is not hidden."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from autofill.pack import FieldSpec, load_pack
from autofill.plan import make_plan
from autofill.profile.model import Profile
from autofill.widgets.base import Where
from autofill.widgets.upload import Shown, Upload, shortened
from tests.unit.conftest import EXAMPLES


class Answer:
    def __init__(self, body: bytes | None) -> None:
        self.ok = body is not None
        self.status = 200 if self.ok else 404
        self._body = body or b""

    def body(self) -> bytes:
        return self._body

    def text(self) -> str:
        return "" if self.ok else "not found"


class Request:
    """`page.request`: serves the files it is given, by absolute URL."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.asked: list[str] = []

    def get(self, url: str) -> Answer:
        self.asked.append(url)
        return Answer(self.files.get(url))


def adapter(files: dict[str, bytes] | None = None) -> Upload:
    page = SimpleNamespace(url="https://site.example/index/#/collect", request=Request(files or {}))
    ui = SimpleNamespace(page=page, is_expired=lambda message: False)
    spec = FieldSpec(path="degree_proof", label="学位证明附件", widget="upload")
    return Upload(ui, spec, Where("教育经历", "education[0].degree_proof", "学位证明附件"), Path())  # type: ignore[arg-type]


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "degree.jpg"
    path.write_bytes(b"new scan" * 100)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_listed_file_of_the_same_name_but_other_content_is_not_the_same(picture: Path) -> None:
    upload = adapter({"https://site.example/api/files/1": b"old scan"})
    shown = upload.parse(
        {"names": ["degree.jpg"], "sources": [], "files": [{"name": "degree.jpg", "url": "/api/files/1"}]}
    )
    assert shown == Shown(("degree.jpg",), (sha(b"old scan"),), 0)
    assert not upload.same(picture, shown)


def test_a_listed_file_with_the_same_content_is_the_same_whatever_its_name(picture: Path) -> None:
    upload = adapter({"https://site.example/api/files/1": picture.read_bytes()})
    shown = upload.parse({"names": ["scan-2019.jpg"], "sources": [], "files": [{"name": "x", "url": "/api/files/1"}]})
    assert upload.same(picture, shown)


def test_a_name_whose_content_the_page_does_not_give_is_uploaded_again(picture: Path) -> None:
    upload = adapter()
    for files in (None, [{"name": "degree.jpg", "url": ""}], [{"name": "degree.jpg", "url": "blob:https://x/1"}]):
        shown = upload.parse({"names": ["degree.jpg"], "sources": [], "files": files})
        assert shown.unknown == 1 and shown.digests == ()
        assert not upload.same(picture, shown)
    refused = upload.parse({"names": ["degree.jpg"], "sources": [], "files": [{"name": "degree.jpg", "url": "/gone"}]})
    assert refused.unknown == 1 and not upload.same(picture, refused)


def test_a_data_url_is_read_without_a_request(picture: Path) -> None:
    upload = adapter()
    url = "data:image/jpeg;base64," + base64.b64encode(picture.read_bytes()).decode()
    shown = upload.parse({"names": [], "sources": [], "files": [{"name": "degree.jpg", "url": url}]})
    assert upload.same(picture, shown)
    assert upload.page.request.asked == []  # type: ignore[attr-defined]


def test_nothing_wanted_is_the_same_only_as_nothing_listed(picture: Path) -> None:
    upload = adapter()
    assert upload.same(None, Shown((), ()))
    assert not upload.same(None, Shown(("degree.jpg",), (), 1))
    assert not upload.same(None, Shown((), (sha(b"photo"),)))


def test_after_an_upload_the_sent_name_reads_back_even_when_the_site_shortens_it(tmp_path: Path) -> None:
    long = tmp_path / ("学位证书扫描件_清晰版_" + "a" * 100 + ".jpg")
    long.write_bytes(b"scan" * 100)
    upload = adapter()
    cut = "学位证书扫描件_清晰版_" + "a" * 88 + ".jpg"
    assert not upload.same(long, Shown((cut,), (), 1))  # before writing: unknown content is not the same
    upload.sent = long
    assert upload.same(long, Shown((cut,), (), 1))
    assert not upload.same(long, Shown(("other.jpg",), (), 1))


@pytest.mark.parametrize(
    ("shown", "wanted", "fits"),
    [
        ("degree.jpg", "degree.jpg", True),
        ("ＤＥＧＲＥＥ.jpg", "DEGREE.jpg", True),  # full width, as a person reads it
        ("学位_aaa.jpg", "学位_aaaaaa.jpg", True),
        ("学位_aaa.JPG", "学位_aaaaaa.jpg", True),
        ("学位_aaa.png", "学位_aaaaaa.jpg", False),  # another extension
        ("学位_b.jpg", "学位_aaaaaa.jpg", False),  # not the beginning
        (".jpg", "学位.jpg", False),  # nothing of the stem left
        ("学位_aaaaaaa.jpg", "学位_aaaaaa.jpg", False),  # longer is not shorter
    ],
)
def test_shortened(shown: str, wanted: str, fits: bool) -> None:
    assert shortened(shown, wanted) is fits


def _plan(data: dict[str, Any]) -> Any:
    return make_plan(Profile.model_validate(data), load_pack(), EXAMPLES)


def test_an_upload_the_profile_names_none_for_is_planned_as_optional() -> None:
    data = yaml.safe_load((EXAMPLES / "scope1.yaml").read_text(encoding="utf-8"))
    plan = _plan(data)
    row = {p.path: p for p in plan.tables["education"][0].fields}
    assert row["education[0].degree_proof"].value is None and row["education[0].degree_proof"].optional
    named = {p.path: p for p in plan.tables["work"][0].fields}["work[0].uscc_proof"]
    assert named.value == (EXAMPLES / "files" / "licence.jpg").resolve() and not named.optional
