"""`autofill mock serve`: every exit path, and a real run usable from a browser."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from ausm_replica.testing import ReplicaServer
from typer.testing import CliRunner

from autofill.cli import app

from .conftest import MOCK_SITE

runner = CliRunner()
REPO = MOCK_SITE.parents[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--faults", "latency=fast"], "故障设置无效: latency=fast"),
        (["--faults", "save_error_rate=1.5"], "故障设置无效"),
        (["--layout", "mobile"], "未知的页面布局 'mobile' (unknown layout 'mobile'; known: national, legacy)"),
        (["--db", "/nonexistent-folder/replica.db"], "数据库目录不存在"),
        (["--port", "70000"], "选项 --port 的值无效 (invalid value for '--port')"),
    ],
)
def test_bad_settings_exit_with_a_clear_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["mock", "serve", *args])
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_database_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database " * 100, encoding="utf-8")
    result = runner.invoke(app, ["mock", "serve", "--db", str(bad)])
    assert result.exit_code == 1
    assert f"无法打开数据库 {bad} (cannot open the database {bad}: file is not a database)" in result.output


def test_replica_folder_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_REPLICA_DIR", str(tmp_path))
    result = runner.invoke(app, ["mock", "serve"])
    assert result.exit_code == 1
    assert f"找不到仿真站点 (replica not found at {tmp_path})" in result.output


def test_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["mock", "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"无法监听 127.0.0.1:{port} (cannot listen on 127.0.0.1:{port}" in result.output


def test_vendor_files_come_from_node_modules(server: ReplicaServer) -> None:
    if not (MOCK_SITE / "node_modules" / "vue" / "dist").is_dir():
        pytest.skip("node_modules not installed (make setup)")
    with server.client() as client:
        assert "javascript" in client.get("/vendor/vue/vue.min.js").headers["content-type"]
        assert client.get("/vendor/element-ui/theme-chalk/index.css").status_code == 200
        assert client.get("/vendor/react/index.js").status_code == 404


def test_serve_runs_until_interrupted(tmp_path: Path) -> None:
    """A copy of the replica without node_modules: it serves, hints at `make setup`, /vendor is 404."""
    site = tmp_path / "mock_site"
    shutil.copytree(MOCK_SITE, site, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "AUTOFILL_REPLICA_DIR": str(site)}
    options = ["--port", "0", "--faults", "session_ttl=600", "--seed", "4"]
    command = [sys.executable, "-m", "autofill", "mock", "serve", *options, "--db", str(tmp_path / "r.db")]
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            _use_and_interrupt(process)
        finally:
            if process.poll() is None:
                process.kill()
    assert (tmp_path / "r.db").is_file()


def _use_and_interrupt(process: subprocess.Popen[str]) -> None:
    """Read the banner, use the running replica as a browser would, then press Ctrl-C."""
    assert process.stdout is not None
    banner = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
    assert found, banner
    url = found.group(0).rstrip("/")
    assert "faults=session_ttl=600 seed=4" in banner and "r.db" in banner
    config = httpx.get(url + "/api/config", timeout=10).json()
    assert config["layout"] == "national" and config["session_ttl"] == 600
    if (MOCK_SITE / "static" / "index.html").is_file():
        page = httpx.get(url + "/", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert httpx.get(url + "/vendor/vue/vue.min.js", timeout=10).status_code == 404
    for escape in ("/vendor/vue/%2e%2e/%2e%2e/%2e%2e/package.json", "/static/%2e%2e/data/options.json"):
        assert httpx.get(url + escape, timeout=10).status_code == 404, escape
    process.send_signal(signal.SIGINT)  # Ctrl-C: a clean shutdown, exit 130 as for every command
    assert process.wait(timeout=15) == 130
    assert process.stderr is not None
    errors = process.stderr.read()
    assert "node_modules missing, /vendor answers 404): run `make setup`" in errors
    assert "已中断 (interrupted)" in errors
