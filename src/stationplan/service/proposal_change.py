"""The partnership change of a join or withdraw proposal, as the what-if use case takes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from stationplan.errors import Problem, ScenarioError
from stationplan.plan.whatif import Accession, Change, Withdrawal
from stationplan.scenario.fields import UtcDatetime


def _date(value: Any, field: str) -> datetime:
    try:
        when: datetime = TypeAdapter(UtcDatetime).validate_python(value)
    except ValidationError as exc:
        msg = exc.errors()[0]["msg"]
        raise ScenarioError(Problem("proposal", str(msg), field=field)) from None
    return when


def change_of_proposal(kind: str, payload: dict[str, Any], partner: str) -> Change:
    """The :class:`Withdrawal` or :class:`Accession` a proposal of ``kind`` (``withdraw`` or
    ``join``) by partner code ``partner`` stands for; :class:`ScenarioError` naming the
    payload field otherwise."""
    if kind == "withdraw":
        return Withdrawal(partner=partner, date_utc=_date(payload.get("date_utc"), "date_utc"))
    if kind == "join":
        entry = dict(payload.get("partner") or {})
        entry.setdefault("code", partner)
        try:
            return Accession.model_validate(
                {
                    "join": {"partner": entry, "resident_crew": payload.get("resident_crew", 0)},
                    "date_utc": entry.get("join_utc"),
                }
            )
        except ValidationError as exc:
            problems = [
                Problem("proposal", str(e["msg"]), field=".".join(str(x) for x in e["loc"]))
                for e in exc.errors()
            ]
            raise ScenarioError(problems) from None
    raise ScenarioError(
        Problem(
            "proposal", f"a what-if needs a join or withdraw proposal, not {kind}", field="kind"
        )
    )
