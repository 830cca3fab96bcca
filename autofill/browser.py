"""Find a Chromium and the flags to launch it with.

Order: `AUTOFILL_BROWSER`, Playwright's own Chromium (when `playwright install` has run), then a
system Chromium. Playwright is imported only by callers that launch; this module stays cheap.
`python -m autofill.browser` prints the executable it would use (exit 1 when none).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from autofill.errors import BrowserError

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BASE_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # the GPU and network services run inside the browser process, not in a process each (~100 MiB less)
    "--in-process-gpu",
    # no spare renderer kept warm beside each page's own (~75 MiB); browser contexts never share one anyway
    "--renderer-process-limit=1",
    # utility processes (there is one: storage) are started directly, not from a zygote kept for them (~70 MiB)
    "--no-unsandboxed-zygote",
)
# Chromium keeps only the last --disable-features / --enable-features it is given, and Playwright gives
# its own lists first: ours repeat Playwright's (1.65, chromiumSwitches.ts) and add to them.
PLAYWRIGHT_ENABLED_FEATURES = ("CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies")
ENABLED_FEATURES = ("NetworkServiceInProcess2",)  # with --in-process-gpu above
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
DISABLED_FEATURES = (
    # The omnibox popup is a web page of its own (chrome://omnibox-popup.top-chrome), loaded in a renderer
    # of its own even when headless: ~2 CPU-seconds and ~100 MiB at every browser start, for nothing.
    "PreloadTopChromeWebUI",
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "WebUIOmniboxFullPopup",
)


def _playwright_chromium() -> Path | None:
    """Playwright's downloaded Chromium, if `playwright install chromium` has run."""
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    roots = [Path(env)] if env and env != "0" else []
    if sys.platform == "win32":
        roots.append(Path(os.environ.get("LOCALAPPDATA", "")) / "ms-playwright")
    elif sys.platform == "darwin":
        roots.append(Path.home() / "Library" / "Caches" / "ms-playwright")
    else:
        roots.append(Path.home() / ".cache" / "ms-playwright")
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-win*/chrome.exe",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
    )
    for root in roots:
        for pattern in patterns:
            found = sorted(root.glob(pattern), reverse=True)
            if found:
                return found[0]
    return None


def find_browser() -> Path:
    """The Chromium executable to drive, or a BrowserError that says how to get one."""
    override = os.environ.get("AUTOFILL_BROWSER")
    if override:
        path = Path(override)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise BrowserError(
            f"AUTOFILL_BROWSER 指向的浏览器不存在或不可执行 (AUTOFILL_BROWSER={override} is not an executable file)"
        )
    own = _playwright_chromium()
    if own is not None:
        return own
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise BrowserError(
        "找不到浏览器 (no Chromium found): run `python -m playwright install chromium`, "
        "or install Chromium (Debian: apt-get install chromium fonts-noto-cjk), "
        "or set AUTOFILL_BROWSER to its path"
    )


def launch_args() -> list[str]:
    """Chromium flags: quiet networking always; --no-sandbox only when running as root."""
    args = [
        *BASE_ARGS,
        "--enable-features=" + ",".join(PLAYWRIGHT_ENABLED_FEATURES + ENABLED_FEATURES),
        "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + DISABLED_FEATURES),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


def launch_options(*, headless: bool = True) -> dict[str, object]:
    """Keyword arguments for Playwright's `chromium.launch`."""
    return {"executable_path": str(find_browser()), "args": launch_args(), "headless": headless}


if __name__ == "__main__":
    try:
        print(find_browser())
    except BrowserError as exc:
        print(exc.message, file=sys.stderr)
        raise SystemExit(1) from None
