"""Inputs a server must not trust: where a sign-in may send the browser, which files an
uploaded scenario may name, a database that cannot be opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.errors import ScenarioError
from stationplan.scenario import parse_scenario
from stationplan.scenario.loader import default_scenario_text
from stationplan.service.session import _local_path


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("/programmes/1", True),
        ("/runs/3?tab=report", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("/a\\b", False),
        ("/\tx", False),
        ("evil.example", False),
        ("", False),
    ],
)
def test_a_sign_in_sends_the_browser_only_to_this_site(target: str, local: bool) -> None:
    assert _local_path(target) is local


def test_an_uploaded_scenario_names_only_built_in_catalogs() -> None:
    """A scenario given as text to a server may not make it read a file of its own disk."""
    text = default_scenario_text()
    assert parse_scenario(text, "up.yaml", local_files=False).scenario.debris is not None
    for name in ("/etc/passwd", "../../secret.tle", "catalog.3le"):
        bad = text.replace("builtin:catalog_330-480km_2022-01-22", name)
        with pytest.raises(ScenarioError) as err:
            parse_scenario(bad, "up.yaml", local_files=False)
        message = str(err.value)
        assert "debris.catalog_file" in message and "may name only the catalogs shipped" in message
        assert "does not exist" not in message  # nothing said about the server's files


def test_serve_with_a_database_it_cannot_open_exits_2() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    for args in (
        ["serve", "--database-url", url],
        ["users", "add", "bob", "--programme", "P", "--role", "admin", "--database-url", url],
    ):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2, res.output
        assert "--database-url" in res.output and "cannot open the database" in res.output
        assert "Traceback" not in res.output


def test_concurrent_requests_with_one_new_token_verify_it_once() -> None:
    """Twenty threads present the same token the server has not seen: argon2 runs once, the
    others wait for its result; a wrong secret is never accepted."""
    import threading

    from stationplan.service import security

    ph = security.hasher(time_cost=1, memory_kib=8192)
    stored = ph.hash("right")
    calls: list[str] = []

    class Counting:
        def verify(self, stored_hash: str, secret: str) -> bool:
            calls.append(secret)
            return ph.verify(stored_hash, secret)

    cache = security.VerifiedTokens()
    start = threading.Barrier(20)
    results: list[bool] = []

    def ask() -> None:
        start.wait()
        results.append(cache.verify(Counting(), stored, "right"))  # type: ignore[arg-type]

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 20
    assert calls == ["right"]
    assert cache.verify(Counting(), stored, "wrong") is False  # type: ignore[arg-type]
    assert calls == ["right", "wrong"]


def test_a_run_serves_only_the_files_it_listed(tmp_path: Path) -> None:
    """The artefact lookup itself (not the router) refuses a name the run did not list, even
    when such a file exists next to or above the run's folder."""
    from stationplan.service.errors import ApiError
    from stationplan.service.models import Run
    from stationplan.service.routes.runs import _artefact

    folder = tmp_path / "runs" / "7"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<p>r</p>")
    (tmp_path / "service.db").write_text("secret")
    (folder / "notes.txt").write_text("not listed")
    run = Run(status="succeeded", folder=str(folder), files=["report.html"])
    assert _artefact(run, "report.html") == folder / "report.html"
    for name in ("../../service.db", "notes.txt", "/etc/passwd", ""):
        with pytest.raises(ApiError) as err:
            _artefact(run, name)
        assert err.value.status == 404
    run.files = ["report.html", "../../service.db"]  # even a listed name stays a file name
    with pytest.raises(ApiError):
        _artefact(run, "../../service.db")
