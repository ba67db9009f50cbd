"""The app factory: ``create_app(settings)`` builds the FastAPI application.

On start the database is migrated to the newest revision and runs a killed server left
unfinished are marked failed; the worker pool stops with the app. Pages are added on top by
including more routers in the returned app (they use :mod:`stationplan.service.access`,
:data:`~stationplan.service.deps.CurrentUser` and :func:`~stationplan.service.session.csrf_token`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from stationplan import __version__
from stationplan.service import db
from stationplan.service.deps import Services
from stationplan.service.errors import install_error_handlers
from stationplan.service.limits import BodyLimitMiddleware
from stationplan.service.pages import STATIC_DIR
from stationplan.service.pages import router as pages_router
from stationplan.service.routes import api_router
from stationplan.service.runner import RunPool, recover_interrupted
from stationplan.service.security import hasher
from stationplan.service.session import router as session_router
from stationplan.service.settings import Settings

API_PREFIX = "/api/v1"
SESSION_KEY_FILE = "session.key"


def session_secret(settings: Settings) -> str:
    """The key signing session cookies: from the settings, else kept (mode 600) in the data
    folder so sessions outlive a restart."""
    if settings.session_secret:
        return settings.session_secret
    path = settings.artefact_dir() / SESSION_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def build_services(settings: Settings) -> Services:
    """The engine, sessions, hasher and worker pool of ``settings`` (nothing started)."""
    engine = db.make_engine(settings.database_url)
    sessions = db.session_factory(engine)
    data_dir: Path = settings.artefact_dir()
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        hasher=hasher(settings.argon2_time_cost, settings.argon2_memory_kib),
        runs=RunPool(
            settings.database_url,
            data_dir,
            sessions,
            workers=settings.run_workers,
            risk_runs=settings.risk_runs,
        ),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The stationplan programme service for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        db.migrate(services.engine)
        recover_interrupted(services.sessions, settings.artefact_dir())
        if settings.warm_workers:
            services.runs.warm()
        try:
            yield
        finally:
            services.runs.shutdown()
            services.engine.dispose()

    app = FastAPI(
        title="stationplan programme service",
        version=__version__,
        description="Programmes, scenario versions, partner proposals and plan runs.",
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="stationplan_session",
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.include_router(session_router)
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
