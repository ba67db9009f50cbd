"""Variants of a scenario: a partner withdraws, a country joins. Each is a change to the
scenario, made here and validated as a scenario is (the ``whatif`` command and the scenario's
named ``variants:``); the plan layer plans baseline and variant and compares them.

* **Withdrawal** of partner P at date D: P's membership ends at D. From then its vehicles fly
  no more flights (the manifest only flies a partner's vehicles while it is a member), its
  resident crew is no longer planned, its utilisation share is rebalanced over the others and
  it pays no more common costs (the ledger's rules). Its modules stay attached (nothing in the
  scenario says they leave) but lose their owner: the capability matrix lists what it took.
* **Accession** of a new partner at date D: the partner (a partner entry of the scenario,
  from a file) joins at D with its share, contributions and budgets, and optionally a number
  of resident crew; the shares rebalance from then.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError

from stationplan.errors import Problem, ScenarioError
from stationplan.scenario.checks import check_scenario
from stationplan.scenario.fields import UtcDatetime
from stationplan.scenario.messages import format_path, problems_from_validation
from stationplan.scenario.models import JoinFile, Scenario, Variant
from stationplan.scenario.yamlsource import load_yaml

MAX_JOIN_FILE_BYTES = 1 << 20


class Withdrawal(BaseModel):
    """Partner ``partner`` leaves the programme on ``date_utc``."""

    partner: str
    date_utc: datetime

    def describe(self) -> str:
        return f"{self.partner} withdraws on {self.date_utc:%Y-%m-%d}"


class Accession(BaseModel):
    """A new partner joins the programme on ``date_utc``."""

    join: JoinFile
    date_utc: datetime

    def describe(self) -> str:
        return f"{self.join.partner.code} joins on {self.date_utc:%Y-%m-%d}"


Change = Withdrawal | Accession


def read_join_file(path: Path) -> JoinFile:
    """The join file at ``path`` (YAML: ``partner:`` a scenario partner entry, optional
    ``resident_crew:``), every problem named by line and field."""
    name = str(path)
    if not path.is_file():
        raise ScenarioError(Problem(name, "no such file; expected a YAML join file"))
    if path.stat().st_size > MAX_JOIN_FILE_BYTES:
        raise ScenarioError(Problem(name, "is larger than 1 MiB; not a join file"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(Problem(name, "is not UTF-8 text; expected a YAML join file")) from None
    doc = load_yaml(text, name)
    if not isinstance(doc.data, dict):
        raise ScenarioError(
            Problem(name, "expected a mapping with 'partner:' (and 'resident_crew:')", line=1)
        )
    try:
        return JoinFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, doc, JoinFile)) from None


def _refuse(label: str, message: str) -> ScenarioError:
    return ScenarioError(Problem("what-if", message, field=label))


def variant_scenario(sc: Scenario, change: Change) -> Scenario:
    """The scenario with ``change`` made, validated like a scenario file (every problem
    named by its field); the baseline is not modified."""
    data = sc.model_dump(mode="python")
    data["variants"] = []  # a variant has no variants of its own
    codes = [p.code for p in sc.partners]
    when = _as_utc(change.date_utc)
    start, end = sc.programme.start_utc, sc.programme.end_utc
    if not start < when < end:
        raise _refuse(
            "date",
            f"{when:%Y-%m-%d} is outside the programme ({start:%Y-%m-%d} to {end:%Y-%m-%d})",
        )
    if isinstance(change, Withdrawal):
        if change.partner not in codes:
            hint = f"; the partners are {', '.join(codes)}"
            raise _refuse("withdraw", f"{change.partner!r} is not a partner of the scenario{hint}")
        partner = sc.partner(change.partner)
        if when <= partner.join_utc:
            raise _refuse(
                "date",
                f"{change.partner} joins on {partner.join_utc:%Y-%m-%d}: it cannot withdraw "
                f"on {when:%Y-%m-%d}",
            )
        if partner.withdraw_utc is not None and partner.withdraw_utc <= when:
            raise _refuse(
                "date",
                f"{change.partner} already withdraws on {partner.withdraw_utc:%Y-%m-%d}, "
                f"before {when:%Y-%m-%d}",
            )
        for p in data["partners"]:
            if p["code"] == change.partner:
                p["withdraw_utc"] = when
    else:
        new = change.join.partner
        if new.code in codes or new.code in {p.code for p in sc.providers}:
            raise _refuse("join", f"{new.code!r} is already a partner or provider of the scenario")
        entry = new.model_dump(mode="python")
        entry["join_utc"] = when
        if new.withdraw_utc is not None and new.withdraw_utc <= when:
            raise _refuse(
                "join.partner.withdraw_utc",
                f"the new partner withdraws on {new.withdraw_utc:%Y-%m-%d}, not after it joins",
            )
        data["partners"].append(entry)
        if change.join.resident_crew:
            if data.get("crew") is None:
                raise _refuse("join.resident_crew", "the scenario has no crew plan")
            data["crew"]["crew_per_partner"][new.code] = change.join.resident_crew
    try:
        variant = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem("what-if", str(e["msg"]), field=format_path(tuple(e["loc"])))
            for e in exc.errors()
        ]
        raise ScenarioError(problems) from None
    findings = check_scenario(variant)
    if findings:
        raise ScenarioError(
            [Problem("what-if", message, field=format_path(path)) for path, message in findings]
        )
    return variant


def _as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive one is refused, as in a scenario file)."""
    try:
        out: datetime = TypeAdapter(UtcDatetime).validate_python(value)
    except ValidationError as exc:
        raise _refuse("date", str(exc.errors()[0]["msg"])) from None
    return out


def change_of_variant(variant: Variant) -> Change:
    """The change a scenario's named variant makes."""
    if variant.withdraw is not None:
        return Withdrawal(partner=variant.withdraw, date_utc=variant.date_utc)
    assert variant.join is not None
    return Accession(join=variant.join, date_utc=variant.date_utc)
