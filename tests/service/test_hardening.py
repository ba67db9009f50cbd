"""Inputs a server must not trust: where a sign-in may send the browser, which files an
uploaded scenario may name, a database that cannot be opened."""

from __future__ import annotations

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
