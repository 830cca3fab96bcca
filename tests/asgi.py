"""Small ASGI pieces the tests' taps in front of the replica share."""

from __future__ import annotations

import json
from typing import Any


async def send_json(send: Any, status: int, body: Any) -> None:
    """Answer a request with `body` as JSON, as the replica's own refusals look."""
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
