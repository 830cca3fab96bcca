"""Uploads: the photo and attachment rules by content, bad multipart, oversized bodies, path tricks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ausm_replica.testing import ReplicaServer
from PIL import Image

from .helpers import Person, attachment, encode, noise, padded, photo, raw_request, refused


def test_photo_rules(person: Callable[..., Person]) -> None:
    someone = person()
    ok = someone.upload(photo(295, 413), "photo", "me.jpg")
    assert ok.status_code == 200, ok.text
    shown = ok.json()
    assert set(shown) == {"id", "name", "bytes", "width", "height", "sha256"}
    assert (shown["name"], shown["width"], shown["height"]) == ("me.jpg", 295, 413)
    refused(someone.upload(photo(294, 413), "photo"), 400, "照片像素不能小于295*413px", "file")
    refused(someone.upload(photo(295, 412), "photo"), 400, "照片像素不能小于295*413px", "file")
    # a plain white photo compresses below 10 KB; padded to exactly 10 KB it passes
    flat = encode(Image.new("RGB", (295, 413), "white"), "JPEG")
    assert len(flat) < 10240
    refused(someone.upload(flat, "photo"), 400, "照片大小不能小于10KB", "file")
    assert someone.upload(padded(flat, 10240), "photo").status_code == 200
    refused(someone.upload(padded(flat, 10239), "photo"), 400, "照片大小不能小于10KB")
    # JPEG by content: a PNG named .jpg is refused, whatever its name says
    refused(someone.upload(encode(noise(300, 420), "PNG"), "photo", "me.jpg"), 400, "照片只能是jpg格式")


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (attachment("PNG", 20480), 400, "附件大小须大于20KB"),
        (attachment("JPEG", 20481), 200, ""),
        (attachment("PNG", 512000), 200, ""),
        (attachment("JPEG", 512001), 400, "附件大小不能超过500KB"),
        (padded(encode(noise(60, 60), "GIF"), 50000), 400, "只能上传(jpg/png)图片文件"),
        (padded(b"%PDF-1.4\n%fake\n", 50000), 400, "只能上传(jpg/png)图片文件"),
        (padded(encode(noise(60, 60), "JPEG")[:400], 50000), 400, "图片已损坏或无法识别"),
    ],
    ids=["20KB", "20KB+1", "500KB", "500KB+1", "gif", "pdf", "truncated-jpeg"],
)
def test_attachment_rules(person: Callable[..., Person], data: bytes, status: int, message: str) -> None:
    response = person().upload(data, "attachment", "proof.png")
    assert response.status_code == status, response.text
    if message:
        refused(response, status, message, "file")


def test_file_names_are_stored_never_used_as_paths(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    site_files = sorted(p for p in server.replica.site_dir.rglob("*") if "node_modules" not in p.parts)
    for name, stored in [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\Windows\\win.ini.png", "win.ini.png"),
        ("/tmp/abs.png", "abs.png"),
        ("....", "file"),
        ("照片" * 80 + ".png", "照片" * 48 + ".png"),
    ]:
        response = someone.upload(attachment(), "attachment", name)
        assert response.status_code == 200, (name, response.text)
        assert response.json()["name"] == stored
    # control characters that a hand-made request can carry in the name are dropped
    body = (
        b'--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\nattachment\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a\x01b\tc\x7f.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + attachment() + b"\r\n--B--\r\n"
    )
    response = someone.client.post(
        "/api/files", content=body, headers={"content-type": "multipart/form-data; boundary=B"}
    )
    assert response.json()["name"] == "abc.png"
    assert sorted(p for p in server.replica.site_dir.rglob("*") if "node_modules" not in p.parts) == site_files
    # ids are looked up, never joined to a path
    for path in ("/api/files/..%2F..%2Fdata%2Foptions.json", "/api/files/%2e%2e"):
        refused(someone.client.get(path), 404, "请求的资源不存在")


def test_bad_multipart_and_wrong_content_types(person: Callable[..., Person]) -> None:
    client = person().client
    refused(client.post("/api/files", json={"kind": "photo", "file": "x"}), 422, "请求格式错误", "content-type")
    refused(
        client.post("/api/files", content=b"kind=photo", headers={"content-type": "application/x-www-form-urlencoded"}),
        422,
        "请求格式错误",
    )
    refused(
        client.post("/api/files", content=b"junk", headers={"content-type": "multipart/form-data"}), 422, "请求格式错误"
    )
    garbage = b"--XYZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XYZ--\r\n"
    refused(
        client.post("/api/files", content=garbage, headers={"content-type": "multipart/form-data; boundary=XYZ"}),
        422,
        "请求格式错误",
        "multipart",
    )
    refused(
        client.post("/api/files", data={"kind": "photo"}, files={"other": ("a.jpg", photo())}),
        400,
        "请选择要上传的文件",
    )
    as_text = {"kind": (None, "photo"), "file": (None, "not a file")}  # a field, not a file part
    refused(client.post("/api/files", files=as_text), 400, "请选择要上传的文件", "file")
    refused(client.post("/api/files", files={"file": ("a.jpg", photo())}), 422, "上传类型错误", "kind")
    refused(client.post("/api/files", data={"kind": "video"}, files={"file": ("a.jpg", photo())}), 422, "上传类型错误")
    refused(client.post("/api/files", data={"kind": "photo"}, files={"file": ("a.jpg", b"")}), 400, "上传的文件为空")
    two = [("file", ("a.png", attachment())), ("file", ("b.png", attachment()))]
    refused(client.post("/api/files", data={"kind": "attachment"}, files=two), 422, "请求格式错误")
    refused(
        client.put("/api/record/scope", content=b"{not json", headers={"content-type": "application/json"}),
        422,
        "请求格式错误",
    )
    refused(client.put("/api/record/scope", json={"scope": 1, "extra": True}), 422, "请求格式错误：extra", "extra")
    refused(client.put("/api/record/scope", json={"scope": "one"}), 422, "请求格式错误", "scope")


def test_oversized_bodies_get_413(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    cookie = f"AUSMSESSION={someone.client.cookies['AUSMSESSION']}".encode()
    # a declared Content-Length over 2 MiB is refused before any of the body is read
    head = (
        b"POST /api/files HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + b"\r\n"
        b"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 3000000\r\n\r\n"
    )
    status, body = raw_request(server.url, head)
    assert status == 413 and "上传内容过大" in body.decode()
    # a chunked body (no length) is cut off once it outgrows the limit of a JSON route (256 KiB)
    head = (
        b"PUT /api/record/scope HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + b"\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    parts = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"] * 5
    status, body = raw_request(server.url, head, parts)
    assert status == 413 and "上传内容过大" in body.decode()
    # an upload just under 2 MiB is read and judged on its content (too big for an attachment)
    response = someone.upload(padded(encode(noise(60, 60), "PNG"), 2_000_000), "attachment")
    refused(response, 400, "附件大小不能超过500KB")
    assert someone.client.get("/api/record").status_code == 200, "the server still answers"


def test_files_are_served_to_their_owner_only(person: Callable[..., Person]) -> None:
    owner, other = person(), person()
    data = attachment("JPEG", 30000)
    file_id = owner.upload(data, "attachment", "mine.jpg").json()["id"]
    mine = owner.client.get(f"/api/files/{file_id}")
    assert mine.status_code == 200 and mine.content == data
    assert mine.headers["content-type"] == "image/jpeg"
    refused(other.client.get(f"/api/files/{file_id}"), 403, "无权访问该信息")
    refused(other.client.get("/api/files/0000"), 404, "请求的资源不存在")
