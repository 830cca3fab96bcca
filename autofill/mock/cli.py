"""`autofill mock serve`: run the replica of the platform (fixtures/mock_site) under uvicorn.

The replica lives beside the package in the repository checkout, not inside it; this module finds
it, puts it on sys.path and imports it only when the command runs (the CLI starts fast).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from autofill.errors import AutofillError

app = typer.Typer(no_args_is_help=True, help="The replica of the platform, for tests and demos.")

REPLICA_ENV = "AUTOFILL_REPLICA_DIR"


def replica_dir() -> Path:
    """`fixtures/mock_site` of this checkout (or AUTOFILL_REPLICA_DIR), or a clear error."""
    override = os.environ.get(REPLICA_ENV)
    root = Path(override) if override else Path(__file__).resolve().parents[2] / "fixtures" / "mock_site"
    if not (root / "ausm_replica" / "app.py").is_file():
        raise AutofillError(
            f"找不到仿真站点 (replica not found at {root}): `autofill mock serve` runs from a checkout of "
            f"the repository, which holds fixtures/mock_site; or set {REPLICA_ENV} to that folder"
        )
    return root


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP: asyncio then sets NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # before the banner: a client that reads it and connects at once is queued, not refused
    except OSError as exc:
        sock.close()
        raise AutofillError(
            f"无法监听 {host}:{port} (cannot listen on {host}:{port}: {exc.strerror or exc}); "
            "choose another --port or stop the program using it"
        ) from None
    return sock


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@app.command()
def serve(
    *,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8000,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file that keeps the state across restarts (default: in memory).")
    ] = None,
    layout: Annotated[str, typer.Option(help="Wizard layout: national (7 steps) or legacy.")] = "national",
    faults: Annotated[
        str | None,
        typer.Option(
            help="Injected faults, e.g. latency=50-800,save_error_rate=0.1,upload_error_rate=0.05,session_ttl=120."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the fault sequence (same seed, same faults).")] = 0,
    session_ttl: Annotated[
        int | None, typer.Option(min=1, help="Session lifetime in seconds of inactivity (default 1800).")
    ] = None,
) -> None:
    """Serve the replica of 全国会计人员统一服务管理平台 (with its QA API under /__mock__/)."""
    root = replica_dir()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import uvicorn
    from ausm_replica.app import create_app
    from ausm_replica.errors import ConfigError

    if db is not None and db.parent and not db.parent.is_dir():
        raise AutofillError(f"数据库目录不存在 (folder of --db does not exist: {db.parent})", file=db)
    try:
        application = create_app(layout=layout, faults=faults, seed=seed, db=db, session_ttl=session_ttl)
    except ConfigError as exc:
        raise AutofillError(str(exc)) from None
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    replica = application.state.replica
    typer.echo(
        f"仿真站点已启动 (replica running): http://{shown_host}:{bound_port}/  "
        f"layout={replica.layout} faults={replica.faults.spec.describe()} seed={seed} "
        f"state={'file ' + str(db) if db else 'in memory'} — QA API under /__mock__/, Ctrl-C to stop"
    )
    if not (root / "node_modules" / "vue" / "dist").is_dir() or not (root / "node_modules" / "element-ui").is_dir():
        typer.echo(
            "提示: 前端组件未安装，页面无法显示 (hint: node_modules missing, /vendor answers 404): run `make setup`",
            err=True,
        )
    if not _is_loopback(host):
        typer.echo(
            f"警告: 仿真站点的 QA 接口无需登录，请勿对外开放 (warning: {host} is not loopback; "
            "the QA API has no authentication)",
            err=True,
        )
    config = uvicorn.Config(application, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        replica.store.close()
