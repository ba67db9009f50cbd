"""Commands of the programme service: ``serve`` and ``users add``.

The service is imported inside each command, so that the other commands start without
loading the web stack.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stationplan.cli.common import app, err, handled, out

if TYPE_CHECKING:
    from stationplan.service.settings import Settings


def _settings(**options: object) -> Settings:
    """The service's settings from the environment and the options given."""
    from stationplan.service.settings import Settings

    return Settings.from_env(**options)


users_app = typer.Typer(help="Users of the programme service.", no_args_is_help=True)
app.add_typer(users_app, name="users")

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL: sqlite:///stationplan.db (default) or postgresql+psycopg://...",
        show_default=False,
    ),
]


@app.command()
def serve(
    database_url: DatabaseOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Folder of run artefacts (default: beside the database)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--run-workers", help="Processes that execute plan runs.", min=1)
    ] = 1,
) -> None:
    """Serve the programme service: the API under /api/v1 (OpenAPI at /docs).

    The database (by default stationplan.db in the working directory) is created and migrated
    on start. Add the first user with `stationplan users add`.
    """
    import uvicorn

    from stationplan.service import db
    from stationplan.service.app import create_app

    with handled():
        settings = _settings(
            database_url=database_url,
            host=host,
            port=port,
            data_dir=data_dir,
            run_workers=workers,
        )
        db.migrate(db.make_engine(settings.database_url))  # a bad database fails here
        application = create_app(settings)
    err().print(f"stationplan service on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(application, host=host, port=port, log_level="info")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (unique).")],
    programme: Annotated[
        str, typer.Option("--programme", help="Programme name (created when new).")
    ],
    role: Annotated[str, typer.Option("--role", help="admin, member or observer.")],
    partner: Annotated[
        str | None,
        typer.Option("--partner", help="Partner code (created when new; members need one)."),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read a password for browser sign-in from stdin."),
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Add a user and print a new API token (shown this once). The programme and the partner
    are created when they do not exist yet."""
    from stationplan.service.bootstrap import add_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    labels = {"name": "NAME", "password": "--password-stdin"}
    with handled(labels):
        settings = _settings(database_url=database_url)
        added = add_user(settings, name, programme, role, partner, password)
    for what in added.created:
        err().print(f"created {what}")
    err().print(f"user {name} ({role}) added to {programme}; API token (shown once):")
    out().print(added.token)
