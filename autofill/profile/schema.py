"""The profile's JSON Schema: the model's schema, with each select field's options from the pack.

Titles are the site's Chinese labels. Editors use it through the `# yaml-language-server: $schema=…`
line at the top of a profile; `profiles/profile.schema.json` is this output, kept in the repo.
"""

from __future__ import annotations

import json
from typing import Any

from autofill.pack import SitePack, load_pack
from autofill.profile.model import Profile

SCHEMA_ID = "https://github.com/ausm-autofill/ausm-autofill/profiles/profile.schema.json"


def _spellings(values: list[str]) -> list[str]:
    """Each option, plus its full-width-bracket spelling (profiles may write either; they match)."""
    wide = [v.replace("(", "（").replace(")", "）") for v in values]
    return list(dict.fromkeys(values + wide))


def _add_options(node: Any, pack: SitePack) -> None:
    if isinstance(node, dict):
        key = node.get("x-options")
        if isinstance(key, str):
            choices = pack.option(key).model_copy(update={"values": _spellings(pack.option(key).values)})
            target = node["items"] if node.get("type") == "array" else node
            if choices.open:
                target["examples"] = choices.values
            else:
                target.setdefault("anyOf", None)
                if target["anyOf"] is None:
                    del target["anyOf"]
                    target["enum"] = choices.values
                else:  # Optional[str]: enum on the string branch
                    for branch in target["anyOf"]:
                        if branch.get("type") == "string":
                            branch["enum"] = choices.values
        for value in node.values():
            _add_options(value, pack)
    elif isinstance(node, list):
        for value in node:
            _add_options(value, pack)


def profile_schema(pack: SitePack | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a profile."""
    schema = Profile.model_json_schema()
    _add_options(schema, pack or load_pack())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_json() -> str:
    return json.dumps(profile_schema(), ensure_ascii=False, indent=2) + "\n"
