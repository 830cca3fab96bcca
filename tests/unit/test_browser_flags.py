"""The Chromium flags: Chromium keeps only the last --enable-features / --disable-features, so ours
must carry Playwright's own lists along with what we add, or Playwright's fixes silently drop out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autofill.browser import launch_args


def playwright_features(kind: str) -> set[str]:
    """The feature names the installed Playwright passes in its own `--{kind}-features` switch."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    source = bundle.read_text(encoding="utf-8")
    name = {"disable": "disabledFeatures", "enable": "enabledFeatures"}[kind]
    found = re.search(name + r"\s*=\s*(?:\(\)\s*=>\s*)?\[(.*?)\]\.filter", source, re.S)
    assert found, f"Playwright's {name} list was not found in {bundle}: update this test"
    body = re.sub(r"//[^\n]*", "", found.group(1))
    return set(re.findall(r'"(\w+)"', body))


def features(args: list[str], kind: str) -> list[set[str]]:
    return [set(a.split("=", 1)[1].split(",")) for a in args if a.startswith(f"--{kind}-features=")]


@pytest.mark.parametrize("kind", ["disable", "enable"])
def test_one_feature_switch_of_each_kind_holding_playwrights_list(kind: str) -> None:
    [ours] = features(launch_args(), kind)
    missing = playwright_features(kind) - ours
    assert not missing, f"Playwright's --{kind}-features has {sorted(missing)}: add them to autofill/browser.py"


def test_the_omnibox_page_is_not_loaded_and_services_share_the_browser_process() -> None:
    args = launch_args()
    [disabled] = features(args, "disable")
    [enabled] = features(args, "enable")
    assert {"PreloadTopChromeWebUI", "WebUIOmniboxAimPopup"} <= disabled
    assert "NetworkServiceInProcess2" in enabled
    assert "--in-process-gpu" in args
    assert "--renderer-process-limit=1" in args
    assert "--no-unsandboxed-zygote" in args
