"""The worker pool: runs execute in separate processes, off the request path.

A :class:`concurrent.futures.ProcessPoolExecutor` (spawned processes, so no lock or
connection of the server is inherited) runs :func:`~stationplan.service.worker.execute_run`;
the worker stores progress in the database, where ``GET /api/v1/runs/{id}`` reads it. Runs a
killed server left queued or running are marked failed when the next one starts, so one
server process owns a database's runs (run uvicorn with one process; scale the pool with
``--run-workers``).
"""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from stationplan.service.models import Run, utc_now
from stationplan.service.worker import execute_run, worker_ready

INTERRUPTED = "the server stopped before the run finished; start the run again"


def recover_interrupted(sessions: sessionmaker[Session], data_dir: Path) -> int:
    """Mark runs left queued or running as failed and remove staging folders left in
    ``data_dir/runs``; return how many runs were marked."""
    with sessions() as s:
        result = s.execute(
            update(Run)
            .where(Run.status.in_(("queued", "running")))
            .values(status="failed", error=INTERRUPTED, finished_utc=utc_now())
        )
        s.commit()
    runs = data_dir / "runs"
    if runs.is_dir():
        for leftover in runs.glob(".*.tmp"):
            shutil.rmtree(leftover, ignore_errors=True)
    return int(getattr(result, "rowcount", 0) or 0)


class RunPool:
    """Processes that execute runs, started on first use."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        sessions: sessionmaker[Session],
        *,
        workers: int = 1,
        risk_runs: int = 200,
    ) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.sessions = sessions
        self.workers = workers
        self.risk_runs = risk_runs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pool

    def warm(self) -> None:
        """Start the processes now (each imports the planner once, a few seconds), so that
        the first run does not wait for them."""
        self._executor().submit(worker_ready)

    def submit(self, run_id: int) -> Future[str]:
        """Queue run ``run_id`` (committed as ``queued``). A pool broken by a worker that died
        (killed, out of memory) is replaced once; if the run still cannot be queued it is
        marked failed, never left queued."""

        def queue() -> Future[str]:
            return self._executor().submit(
                execute_run, run_id, self.database_url, str(self.data_dir), self.risk_runs
            )

        try:
            future = queue()
        except BrokenProcessPool:
            with self._lock:
                broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            try:
                future = queue()
            except (BrokenProcessPool, RuntimeError) as exc:
                self._fail(run_id, f"the run could not be started: {exc}")
                raise
        future.add_done_callback(lambda f: self._after(run_id, f))
        return future

    def _fail(self, run_id: int, reason: str) -> None:
        with self.sessions() as s:
            s.execute(
                update(Run)
                .where(Run.id == run_id, Run.status.in_(("queued", "running")))
                .values(status="failed", error=reason, finished_utc=utc_now())
            )
            s.commit()

    def _after(self, run_id: int, future: Future[str]) -> None:
        """A worker that died (or was cancelled) leaves its run failed, not running."""
        if not future.cancelled() and future.exception() is None:
            return
        reason = "cancelled" if future.cancelled() else f"worker failed: {future.exception()}"
        self._fail(run_id, reason)

    def shutdown(self) -> None:
        """Stop the processes (queued runs are cancelled and marked failed)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
