"""Synthetic people, pictures and a logged-in HTTP client for the replica's server tests."""

from __future__ import annotations

import io
import itertools
import random
import socket
from collections.abc import Sequence
from typing import Any

import httpx
from ausm_replica.testing import ReplicaServer
from PIL import Image
from stdnum.cn import ric, uscc

PASSWORD = "Abc12345!"
_counter = itertools.count(1)


def make_id(birth: str = "19900307", region: str = "530102", seq: int | None = None, male: bool = True) -> str:
    """A 内地居民身份证 number with a valid GB 11643 check digit (made up)."""
    n = next(_counter) if seq is None else seq
    order = (n * 2 + (1 if male else 0)) % 1000
    body = f"{region}{birth}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(n: int = 1) -> str:
    """A 统一社会信用代码 with a valid check character (made up)."""
    body = f"91530102MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_mobile() -> str:
    """A made-up mainland mobile number, different each call."""
    return f"159{next(_counter):08d}"


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    """A picture of random pixels (compresses badly, so its file size follows its pixel count)."""
    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """The picture as a file of format `fmt`."""
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def padded(data: bytes, size: int) -> bytes:
    """`data` grown to exactly `size` bytes with trailing zeros (decoders ignore them)."""
    assert len(data) <= size, (len(data), size)
    return data + b"\0" * (size - len(data))


def photo(width: int = 295, height: int = 413) -> bytes:
    """A JPEG standard photo well above 10 KB."""
    return encode(noise(width, height), "JPEG", quality=80)


def attachment(fmt: str = "PNG", size: int = 100_000) -> bytes:
    """A JPEG or PNG attachment padded to exactly `size` bytes (20 KB < size ≤ 500 KB passes)."""
    return padded(encode(noise(60, 60), fmt), size)


class Person:
    """A made-up person with an httpx client that keeps the session cookie."""

    def __init__(self, server: ReplicaServer, id_number: str, mobile: str, name: str = "张三") -> None:
        self.server = server
        self.id_number = id_number
        self.mobile = mobile
        self.name = name
        self.password = PASSWORD
        self.client: httpx.Client = server.client()

    @classmethod
    def create(cls, server: ReplicaServer, *, verified: bool = True, name: str = "张三") -> Person:
        """A new account through the QA API (as if registered)."""
        someone = cls(server, make_id(), make_mobile(), name)
        server.qa(
            "POST",
            "/__mock__/accounts",
            json={
                "id_type": "内地居民身份证",
                "id_number": someone.id_number,
                "name": name,
                "mobile": someone.mobile,
                "password": someone.password,
                "verified": verified,
            },
        )
        return someone

    def captcha(self) -> str:
        """Fetch a captcha image and read its text through the QA API."""
        response = self.client.get("/api/captcha")
        assert response.status_code == 200
        session = self.client.cookies["AUSMSESSION"]
        text: str = self.server.qa("GET", f"/__mock__/captcha?session={session}")["text"]
        return text

    def login(self, account: str | None = None) -> Person:
        """Log in with the ID number (or `account`)."""
        response = self.client.post(
            "/api/login",
            json={"account": account or self.id_number, "password": self.password, "captcha": self.captcha()},
        )
        assert response.status_code == 200, response.text
        return self

    def upload(self, data: bytes, kind: str = "attachment", name: str = "proof.png") -> httpx.Response:
        """POST /api/files."""
        return self.client.post("/api/files", data={"kind": kind}, files={"file": (name, data, "image/png")})

    def file_id(self, kind: str = "attachment") -> str:
        """Upload a valid picture and return its id."""
        response = self.upload(photo() if kind == "photo" else attachment(), kind, f"{kind}.jpg")
        assert response.status_code == 200, response.text
        file_id: str = response.json()["id"]
        return file_id

    def record(self) -> dict[str, Any]:
        """GET /api/record."""
        response = self.client.get("/api/record")
        assert response.status_code == 200, response.text
        record: dict[str, Any] = response.json()
        return record

    def close(self) -> None:
        """Close the client."""
        self.client.close()


def refused(response: httpx.Response, status: int, message: str, field: str | None = None) -> None:
    """Assert the replica refused with the site's words (`message` is a substring) and field."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert message in body["message"], body
    if field is not None:
        assert body["field"] == field, body


def raw_request(url: str, head: bytes, body_parts: Sequence[bytes] = ()) -> tuple[int, bytes]:
    """Send a hand-made HTTP/1.1 request over a socket; (status, body) of the response."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        for part in body_parts:
            sock.sendall(part)
        chunks: list[bytes] = []
        while True:  # until the whole response (by its Content-Length) or the server closes
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                data = b"".join(chunks)
                header, _, rest = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in header.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    None,
                )
                if length is not None and len(rest) >= length:
                    break
    data = b"".join(chunks)
    header, _, rest = data.partition(b"\r\n\r\n")
    return int(header.split(b" ")[1]), rest


DEPARTMENT = {"province": "云南省", "city": "昆明地区", "district": "五华区"}


def basic(photo: str, **changes: Any) -> dict[str, Any]:
    """A valid 基本信息 body."""
    return {
        "photo": photo,
        "political_status": "群众",
        "ethnicity": "汉族",
        "address": "云南省昆明市五华区某路1号",
        "email": "zhang@example.com",
        "postcode": "650000",
        **changes,
    }


def education(**changes: Any) -> dict[str, Any]:
    """A full-time bachelor's row, 2008-09 → 2012-06."""
    return {
        "mode": "全日制",
        "school": "云南财经大学",
        "start": "2008-09",
        "end": "2012-06",
        "level": "大学本科",
        "degree": "学士",
        "major": "会计学",
        "diploma_no": "106891201205000001",
        **changes,
    }


def work(proof: str, **changes: Any) -> dict[str, Any]:
    """A current job with accounting experience from its first month."""
    row: dict[str, Any] = {
        "start": "2012-07",
        "present": True,
        "employer": "昆明某某商贸有限公司",
        "uscc": make_uscc(7),
        "employer_type": "企业",
        "industry": "批发和零售业",
        "address": "昆明市五华区某路2号",
        "phone": "0871-65000000",
        "uscc_proof": proof,
        "has_accounting": True,
        "accounting": {"start": "2012-07", "work_types": ["出纳", "会计监督"], "proof": proof},
    }
    row.update(changes)
    return row


def first_parts(someone: Person, scope: int) -> dict[str, str]:
    """Department, scope and 基本信息 (no ID pictures) saved; a photo and a proof file made: their ids."""
    client = someone.client
    ids = {"photo": someone.file_id("photo"), "proof": someone.file_id()}
    assert client.put("/api/record/department", json=DEPARTMENT).status_code == 200
    assert client.put("/api/record/scope", json={"scope": scope}).status_code == 200
    assert client.put("/api/record/basic", json=basic(ids["photo"])).status_code == 200
    return ids


def fill(someone: Person, scope: int = 1) -> dict[str, str]:
    """Save every part a scope-(一) person needs; returns the ids made."""
    client = someone.client
    ids = first_parts(someone, scope)
    ids["education"] = client.post("/api/record/education", json=education()).json()["id"]
    if scope == 1:
        response = client.post("/api/record/work", json=work(ids["proof"]))
        assert response.status_code == 200, response.text
        ids["work"] = response.json()["id"]
    return ids
