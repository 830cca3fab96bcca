"""`autofill selectors verify` against the replica: as it is (only its real differences from the pack
are reported, and the walk saves nothing), and with deliberate drift (exactly that drift is reported).

The drifted replica is a copy of fixtures/mock_site's static pages and data in a temporary folder,
edited there and served by `create_app(site_dir=...)`; fixtures/mock_site itself is never touched.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ausm_replica.app import create_app
from ausm_replica.testing import ReplicaServer
from typer.testing import CliRunner

from autofill import cli_verify
from autofill.driver import Options
from autofill.human import replica_humans
from autofill.pack import SitePack, load_pack
from autofill.verify import Difference, Throwaway, verify_site
from tests.e2e.conftest import in_thread

pytestmark = pytest.mark.e2e

MOCK_SITE = Path(__file__).resolve().parents[2] / "fixtures" / "mock_site"
PROFILE = Path(__file__).resolve().parents[2] / "profiles" / "examples" / "scope3.yaml"
PASSWORD = "Verify-Passw0rd"  # a made-up account on the local replica only


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def option_drift(pack: SitePack, options: dict[str, list[str]]) -> set[tuple[str, str, str, bool]]:
    """What verify must report about option lists, worked out from the replica's own options.json
    by plain set arithmetic: (field label, kind, option, assumed)."""
    fields = [f for specs in pack.wizard.forms.values() for f in specs]
    fields += [f for table in pack.wizard.tables.values() for f in table.fields]
    used = {(f.label, f.options) for f in fields if f.options and f.widget in ("select", "checkbox_group")}
    used.add((pack.pages.registration.id_type, "id_type"))
    out = set()
    for label, key in used:
        assert key is not None
        listed = pack.options[key]
        in_pack = {_nfkc(v) for v in listed.values}
        on_page = {_nfkc(v) for v in options[key]}
        out |= {(label, "option_missing", v, listed.assumed) for v in in_pack - on_page}
        out |= {(label, "option_extra", v, listed.assumed) for v in on_page - in_pack}
    return out


def _replica_options(site: Path) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads((site / "data" / "options.json").read_text(encoding="utf-8"))
    return data


def _key(d: Difference | dict[str, Any]) -> tuple[str, str, str, bool]:
    if isinstance(d, dict):
        d = Difference(**{k: v for k, v in d.items() if k != "kind_text"})
    return (d.field, d.kind, _nfkc(d.pack or d.page), d.assumed)


def test_verify_on_the_replica_reports_only_its_real_differences_and_saves_nothing() -> None:
    pack = load_pack()
    with ReplicaServer() as server:
        throwaway = Throwaway.create(server.url, pack)
        person = throwaway.person(pack)
        seeded: dict[str, Any] = {}
        save = person.prepare
        assert save is not None

        def save_and_remember(page: Any) -> None:
            save(page)
            seeded.update(server.qa("GET", f"/__mock__/records/{throwaway.id_number}"))

        person.prepare = save_and_remember
        opts = Options(url=server.url, headless=True, humans=replica_humans(server.url))
        report = in_thread(lambda: verify_site(pack, opts, person))
        after = server.qa("GET", f"/__mock__/records/{throwaway.id_number}")

    assert report.error is None, report.render()
    # Every page and step was opened, every table and its three dialogs.
    assert report.visited == [
        "首页 (home)",
        "注册页 (registration)",
        "登录页 (login)",
        "用户实名认证",
        *pack.wizard.steps,
    ]
    assert report.unchecked == []
    assert report.checked["dialogs"] == 3 * len(pack.wizard.tables)
    assert report.checked["tables"] == len(pack.wizard.tables) + 1  # and 审核告知's
    # Only the option lists differ, exactly as the replica's own data differs from the pack.
    assert {d.kind for d in report.differences} <= {"option_missing", "option_extra"}, report.render()
    assert {_key(d) for d in report.differences} == option_drift(pack, _replica_options(MOCK_SITE))
    # Reading changed nothing: no row added by the 新增 dialogs, nothing edited, nothing submitted.
    assert seeded and after == seeded


def test_verify_with_a_profile_reads_only_the_steps_the_account_has_reached() -> None:
    with ReplicaServer() as server:
        server.qa(
            "POST",
            "/__mock__/accounts",
            json={
                "id_type": "内地居民身份证",
                "id_number": "120101199806202024",  # the example profile's made-up person
                "name": "示例丙",
                "mobile": "13700137003",
                "password": PASSWORD,
                "verified": True,
            },
        )
        before = server.qa("GET", "/__mock__/records/120101199806202024")
        result = in_thread(
            lambda: CliRunner(env={"AUTOFILL_PASSWORD": PASSWORD}).invoke(
                cli_verify.app,
                ["verify", "--profile", str(PROFILE), "--url", server.url, "--solver", "replica", "--json"],
            )
        )
        after = server.qa("GET", "/__mock__/records/120101199806202024")

    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["differences"] == []
    assert found["visited"][-1] == "会计管理部门"
    assert sum("尚未到达" in u for u in found["unchecked"]) == len(load_pack().wizard.steps) - 1
    assert any("已实名认证" in u for u in found["unchecked"])
    assert after == before  # an empty record stays empty: nothing chosen, nothing saved


@pytest.fixture
def drifted_site(tmp_path: Path) -> Path:
    """A copy of the replica's pages and data with six kinds of drift."""
    site = tmp_path / "mock_site"
    shutil.copytree(MOCK_SITE / "static", site / "static")
    shutil.copytree(MOCK_SITE / "data", site / "data")
    (site / "node_modules").symlink_to(MOCK_SITE / "node_modules")
    options = _replica_options(site)
    options["education_mode"] = [v.replace("非全日制", "非全日制学习") for v in options["education_mode"]]
    (site / "data" / "options.json").write_text(json.dumps(options, ensure_ascii=False), encoding="utf-8")

    def edit(relative: str, old: str, new: str) -> None:
        path = site / "static" / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("js/steps/work.js", '<el-form-item label="单位类型"', '<el-form-item label="单位性质"')
    edit("js/steps/work.js", '@click="save">保存</el-button>', '@click="save">确认保存</el-button>')
    edit("js/core.js", "大于20KB且不超过500KB, 多张", "大于20KB且不超过1MB, 多张")
    edit("js/steps/education.js", 'label="学校名称"', 'label="院校名称"')
    edit("js/steps/qualification.js", "noun: '其他专业技术人员职业资格'", "noun: '其他专业技术资格'")
    return site


@pytest.fixture
def serve_site() -> Iterator[Callable[[Path], ReplicaServer]]:
    servers: list[ReplicaServer] = []

    def serve(site: Path) -> ReplicaServer:
        server = ReplicaServer()
        server.replica.store.close()
        server.app = create_app(site_dir=site)  # the same server, serving the copy
        servers.append(server.start())
        return server

    yield serve
    for server in servers:
        server.stop()


def test_verify_reports_exactly_the_drift_of_a_changed_site(
    drifted_site: Path, serve_site: Callable[[Path], ReplicaServer]
) -> None:
    pack = load_pack()
    server = serve_site(drifted_site)
    result = in_thread(
        lambda: CliRunner().invoke(cli_verify.app, ["verify", "--url", server.url, "--solver", "replica", "--json"])
    )

    assert result.exit_code == 1, result.output
    found = json.loads(result.output)
    assert found["error"] is None
    tip = pack.files["attachment"].hint
    drift = {
        ("培养方式", "option_missing", "非全日制", False),
        ("培养方式", "option_extra", "非全日制学习", False),
        ("单位类型", "label_missing", "单位类型", False),
        ("保存", "button_missing", "保存", False),  # in 新增工作经历 and in 编辑工作经历
        ("身份证明人像面 (身份证或居住证)", "hint_changed", _nfkc(tip), False),  # the first upload; once
        ("教育经历", "column_missing", "学校名称", False),
        ("教育经历", "column_extra", "院校名称", False),
        ("新增其他专业技术人员职业资格", "dialog_missing", "新增其他专业技术人员职业资格", False),
        ("编辑其他专业技术人员职业资格", "dialog_missing", "编辑其他专业技术人员职业资格", False),
        ("其他专业技术人员职业资格详情", "dialog_missing", "其他专业技术人员职业资格详情", False),
    }
    reported = {_key(d) for d in found["differences"]}
    assert reported - option_drift(pack, _replica_options(MOCK_SITE)) == drift
    # What the page shows instead is named, so the pack can be fixed from the report alone.
    by_kind = {(d["kind"], d["field"]): d for d in found["differences"]}
    assert by_kind[("label_missing", "单位类型")]["page"] == "单位性质"
    assert by_kind[("hint_changed", "身份证明人像面 (身份证或居住证)")]["page"].endswith(
        "不超过1MB, 多张证明的需要合并到一张图片中"
    )
    assert by_kind[("dialog_missing", "新增其他专业技术人员职业资格")]["page"] == "新增其他专业技术资格"
    steps = [d["step"] for d in found["differences"] if d["kind"] == "button_missing"]
    assert steps == ["工作经历 · 新增工作经历", "工作经历 · 编辑工作经历"]
