"""A profile's person as the replica's QA API registers it (`POST /__mock__/accounts`)."""

from __future__ import annotations

from typing import Any

from autofill.profile.model import Account


def account_body(account: Account, password: str, *, verified: bool) -> dict[str, Any]:
    """The request body: the registration fields, the password, and whether 实名认证 is already done."""
    fields = account.model_dump(include={"id_type", "id_number", "name", "mobile"})
    return {**fields, "password": password, "verified": verified}
