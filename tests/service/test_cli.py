"""``stationplan users add`` and the ``serve`` options, on both databases."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.service import Settings, create_app
from tests.service.conftest import TestClient

runner = CliRunner()


def test_users_add_prints_a_working_token(database_url: str, tmp_path: Path) -> None:
    args = ["users", "add", "ada", "--programme", "Concord", "--role", "member"]
    r = runner.invoke(app, [*args, "--partner", "ESA", "--database-url", database_url])
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("spt_")
    pw = runner.invoke(
        app,
        [
            "users",
            "add",
            "root",
            "--programme",
            "Concord",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            database_url,
        ],
        input="a long password\n",
    )
    assert pw.exit_code == 0, pw.output
    settings = Settings(
        database_url=database_url, data_dir=tmp_path / "d", session_secret="s", warm_workers=False
    )
    with TestClient(create_app(settings)) as c:
        me = c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me["user"]["role"] == "member" and me["partner"]["code"] == "ESA"
        assert me["programme"]["name"] == "Concord"
        login = c.post(
            "/login",
            data={"name": "root", "password": "a long password"},
            follow_redirects=False,
        )
        assert login.status_code == 303
        assert c.get("/api/v1/me").json()["user"]["name"] == "root"


def test_users_add_bad_input_exits_2(database_url: str) -> None:
    base = ["users", "add", "bob", "--programme", "P", "--database-url", database_url]
    bad_role = runner.invoke(app, [*base, "--role", "pilot"])
    assert bad_role.exit_code == 2 and "--role" in bad_role.output
    assert "'pilot' is not a role" in bad_role.output
    no_partner = runner.invoke(app, [*base, "--role", "member"])
    assert no_partner.exit_code == 2 and "--partner" in no_partner.output
    assert runner.invoke(app, [*base, "--role", "observer"]).exit_code == 0
    again = runner.invoke(app, [*base, "--role", "observer"])
    assert again.exit_code == 2 and "exists" in again.output


def test_serve_refuses_a_bad_database_url() -> None:
    r = runner.invoke(app, ["serve", "--database-url", "nosuchdb://x"])
    assert r.exit_code == 2, r.output
    assert "--database-url" in r.output


def test_default_database_is_stationplan_db_in_the_working_directory(
    tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.chdir(tmp_path)
    mp.delenv("STATIONPLAN_DATABASE_URL", raising=False)
    mp.delenv("STATIONPLAN_DATA_DIR", raising=False)
    settings = Settings.from_env(session_secret="s", warm_workers=False)
    assert settings.artefact_dir() == tmp_path
    with TestClient(create_app(settings)):
        pass
    assert (tmp_path / "stationplan.db").is_file()
