"""A run executed in a worker process: the plan (or what-if) of a scenario version written to
the run's folder, its progress stored in the database as it goes.

Artefacts are written to a staging folder beside ``runs/<id>`` and renamed into place only
when everything succeeded (:func:`~stationplan.report.run_folder.plan_text_to_folder`), so a
half-written artefact is never served.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from stationplan.errors import StationplanInputError
from stationplan.report.run_folder import plan_text_to_folder, whatif_text_to_folder
from stationplan.service.db import make_engine, session_factory
from stationplan.service.models import Partner, Proposal, Run, ScenarioVersion, utc_now
from stationplan.service.proposal_change import change_of_proposal

MILESTONES: tuple[tuple[str, float], ...] = (
    ("validating", 0.02),
    ("assembly", 0.05),
    ("fleet", 0.08),
    ("orbit", 0.12),
    ("launch windows", 0.2),
    ("lifetime", 0.4),
    ("partners", 0.5),
    ("findings", 0.55),
    ("crew plan", 0.6),
    ("flight manifest", 0.65),
    ("power", 0.8),
    ("capabilities", 0.85),
    ("work split", 0.88),
    ("partnership ledger", 0.92),
    ("writing report", 0.97),
)
"""The fraction of a plan done when a step starts (measured on the default scenario; a step
not listed keeps the fraction reached)."""


def fraction_of(step: str, reached: float) -> float:
    """The fraction done at ``step`` (never below ``reached``); a what-if's ``baseline:``
    steps fill the first half, its ``variant:`` steps the second.

    >>> fraction_of("variant: power", 0.3)
    0.9
    """
    offset, scale = 0.0, 1.0
    for prefix, start in (("baseline: ", 0.0), ("variant: ", 0.5)):
        if step.startswith(prefix):
            step, offset, scale = step.removeprefix(prefix), start, 0.5
    found = next((f for name, f in MILESTONES if step.startswith(name)), None)
    if found is None:
        return reached
    return max(reached, round(offset + scale * found, 4))


@cache
def _sessions(database_url: str) -> sessionmaker[Session]:
    return session_factory(make_engine(database_url))


def worker_ready() -> bool:
    """Nothing: submitted to start a worker process (this module imported)."""
    return True


def run_folder(data_dir: Path, run_id: int) -> Path:
    """The artefact folder of run ``run_id``."""
    return data_dir / "runs" / str(run_id)


def execute_run(run_id: int, database_url: str, data_dir: str, risk_runs: int) -> str:
    """Execute run ``run_id`` (queued); return its final status."""
    sessions = _sessions(database_url)
    with sessions() as s:
        run = s.get(Run, run_id)
        if run is None or run.status != "queued":
            return "skipped"
        version = s.get(ScenarioVersion, run.version_id)
        assert version is not None
        text, source = version.text, f"version {version.id}"
        change = None
        if run.kind == "whatif" and run.proposal_id is not None:
            proposal = s.get(Proposal, run.proposal_id)
            partner = s.get(Partner, proposal.partner_id) if proposal else None
            if proposal is None or partner is None:
                run.status, run.error = "failed", "the proposal no longer exists"
                s.commit()
                return run.status
            change = change_of_proposal(proposal.kind, proposal.payload, partner.code)
        run.status, run.started_utc, run.progress_text = "running", utc_now(), "starting"
        s.commit()

    reached = 0.0

    def progress(step: str) -> None:
        nonlocal reached
        reached = fraction_of(step, reached)
        with sessions() as s2:
            row = s2.get(Run, run_id)
            if row is not None:
                row.progress_text, row.progress_fraction = step[:500], reached
                s2.commit()

    folder = run_folder(Path(data_dir), run_id)
    folder.parent.mkdir(parents=True, exist_ok=True)
    status, files, error = "failed", None, None
    try:
        if change is None:
            files = plan_text_to_folder(
                text, source, folder, progress=progress, risk_runs=risk_runs
            ).files
        else:
            files = whatif_text_to_folder(
                text, source, change, folder, progress=progress, risk_runs=risk_runs
            )
        status = "succeeded"
    except StationplanInputError as exc:
        error = str(exc)
    except Exception as exc:  # the run fails; the server and its other runs go on
        # the traceback goes to the server's log; the programme's users see the error's kind
        logging.getLogger(__name__).exception("run %s failed", run_id)
        error = f"internal error ({type(exc).__name__}); the server's log has the details"
    with sessions() as s:
        row = s.get(Run, run_id)
        if row is not None:
            row.status, row.files, row.error = status, files, error
            row.folder = str(folder) if status == "succeeded" else None
            row.finished_utc = utc_now()
            if status == "succeeded":
                row.progress_text, row.progress_fraction = "done", 1.0
            s.commit()
    return status
