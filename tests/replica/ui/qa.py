"""The replica's QA API (fixtures/mock_site/API.md, "QA API"), as a small client for the UI tests."""

from __future__ import annotations

import ssl
from typing import Any, cast

import httpx


class QA:
    """Calls `/__mock__/...` on a running replica."""

    def __init__(self, base_url: str) -> None:
        # plain HTTP on loopback: an empty TLS context spares loading the CA bundle
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=10, verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        )

    def close(self) -> None:
        """Close the HTTP connection."""
        self.http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"QA API {method} {path} → {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def reset(self) -> None:
        """Empty state: accounts, sessions, records, SMS codes."""
        self._call("POST", "/__mock__/reset")

    def configure(self, **settings: Any) -> None:
        """Change settings live: layout, faults, seed, session_ttl."""
        self._call("POST", "/__mock__/config", json=settings)

    def add_account(self, **account: Any) -> None:
        """An account as if registered (id_type, id_number, name, mobile, password, verified)."""
        self._call("POST", "/__mock__/accounts", json=account)

    def clock(self, seconds: float) -> None:
        """Move the replica's clock forward (SMS codes and sessions expire without waiting)."""
        self._call("POST", "/__mock__/clock", json={"advance": seconds})

    def captcha(self, session: str) -> str:
        """The text of the captcha that session was last shown."""
        return cast(str, self._call("GET", "/__mock__/captcha", params={"session": session})["text"])

    def sms(self, mobile: str) -> str:
        """The last SMS code sent to a mobile."""
        return cast(str, self._call("GET", f"/__mock__/sms/{mobile}")["code"])

    def scan_qr(self, id_number: str) -> None:
        """As if the person scanned the Alipay QR with their own account."""
        self._call("POST", f"/__mock__/realname/{id_number}")

    def record(self, id_number: str) -> dict[str, Any]:
        """The stored record with its account."""
        return cast(dict[str, Any], self._call("GET", f"/__mock__/records/{id_number}"))

    def review(self, id_number: str, verdict: dict[str, Any]) -> None:
        """A reviewer's verdict per part."""
        self._call("POST", f"/__mock__/review/{id_number}", json=verdict)
