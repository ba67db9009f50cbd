"""Loss probability of each visiting-vehicle family, from the launch record of the ISS.

The record is a CSV of launches of ISS visiting vehicles (Soyuz, Progress, Dragon, Cygnus,
HTV, ATV) built from Jonathan McDowell's launch log (Jonathan's Space Report, planet4589.org,
``launchlog.txt``). Its columns used here: ``vehicle`` (flight name), ``orig_name`` (the log's
original payload name), ``cospar``, ``launch_utc`` (ISO 8601, Z) and ``success`` (``S`` or
``F`` as the log flags the launch).

A *loss* is a mission lost to the station: a row flagged ``F`` (the launch failed), plus the
missions the log flags ``S`` that never reached the station (:data:`LOST_AFTER_LAUNCH`).
Rows that were not ISS missions (:data:`NOT_ISS_MISSIONS`) are left out.

Each family's loss probability is the mean of the Jeffreys posterior: with the Beta(1/2, 1/2)
prior and ``k`` losses in ``n`` flights the posterior is Beta(k + 1/2, n - k + 1/2), of mean
(k + 1/2) / (n + 1); the credible interval is its equal-tailed quantiles (the Jeffreys
interval of Brown, Cai & DasGupta, "Interval Estimation for a Binomial Proportion",
Statistical Science 16(2):101-133, 2001, section 4.1.2; their boundary modification for k = 0
or n is not applied). A family without flights in the record gets the estimate of the whole
record pooled, and says so.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scipy.stats import beta

from stationplan.scenario.models import Vehicle

FAMILIES: tuple[str, ...] = ("Soyuz", "Progress", "Dragon", "Cygnus", "HTV", "ATV")
"""Vehicle families of the record, in the order of the loss table."""

POOLED = "pooled"
"""Key of the whole record pooled in the loss table."""

CREDIBILITY = 0.90
"""Mass of the credible interval (equal tails of 5 % each)."""

_FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Soyuz", re.compile(r"\bSoyuz\b")),
    ("Progress", re.compile(r"\bProgress\b")),
    ("Dragon", re.compile(r"\bDragon\b")),
    ("Cygnus", re.compile(r"\bCygnus\b")),
    ("HTV", re.compile(r"\b(HTV|Kounotori)\b")),
    ("ATV", re.compile(r"\bATV\b")),
)

NOT_ISS_MISSIONS: Mapping[str, str] = {
    "2010-026A": "Dragon Qualification Unit: Falcon 9 flight 1 test payload, no ISS rendezvous "
    "(SpaceX press release, 4 June 2010).",
    "2010-066A": "Dragon C1: COTS Demo 1, two orbits and a splashdown, no ISS rendezvous "
    "(NASA news release on COTS Demo 1, 8 December 2010).",
}
"""Rows of the record (by COSPAR designation) that were not ISS missions, and why."""

LOST_AFTER_LAUNCH: Mapping[str, str] = {
    "2015-024A": "Progress M-27M reached orbit on 28 April 2015 but separated abnormally from "
    "the Soyuz-2.1a third stage, tumbled and never docked; it re-entered on 8 May 2015 "
    "(Roscosmos press releases of 8 May and 1 June 2015). "
    "McDowell's log flags the launch F, so the flag alone already counts it.",
}
"""Missions lost to the station whatever the log's flag says (by COSPAR designation).

Checked against the 2000-2015 record: the other losses of the period are launch failures the
log flags ``F`` (Progress M-12M, 24 August 2011, Soyuz-U third stage; Cygnus Orb-3, 28 October
2014, Antares first stage; Dragon CRS-7, 28 June 2015, Falcon 9 second stage; NASA OIG report
IG-16-025, 2016, summary page, for the last two)."""


@dataclass(frozen=True)
class LaunchRow:
    """One row of the launch record, with its family and fate."""

    vehicle: str
    orig_name: str
    cospar: str
    launch_utc: datetime
    flagged_success: bool
    family: str | None
    iss_mission: bool
    lost: bool


@dataclass(frozen=True)
class LossEstimate:
    """A loss probability with its Jeffreys credible interval and where it comes from."""

    family: str
    flights: int
    losses: int
    p_loss: float
    p_low: float
    p_high: float
    basis: str
    lost_missions: tuple[str, ...] = ()


def family_of(*names: str) -> str | None:
    """The family whose name appears as a word in any of ``names``; None if none does."""
    text = " ".join(names)
    for family, pattern in _FAMILY_PATTERNS:
        if pattern.search(text):
            return family
    return None


def read_launch_record(path: Path) -> list[LaunchRow]:
    """Read the record CSV; each row gets its family, whether it was an ISS mission and lost."""
    rows: list[LaunchRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle):
            flag = raw["success"].strip().upper()
            if flag not in ("S", "F"):
                raise ValueError(f"{path}: {raw['vehicle']!r} has success flag {flag!r}")
            cospar = raw["cospar"].strip()
            rows.append(
                LaunchRow(
                    vehicle=raw["vehicle"].strip(),
                    orig_name=raw["orig_name"].strip(),
                    cospar=cospar,
                    launch_utc=datetime.fromisoformat(raw["launch_utc"].strip()),
                    flagged_success=flag == "S",
                    family=family_of(raw["vehicle"], raw["orig_name"]),
                    iss_mission=cospar not in NOT_ISS_MISSIONS,
                    lost=flag == "F" or cospar in LOST_AFTER_LAUNCH,
                )
            )
    return rows


def jeffreys_estimate(
    flights: int, losses: int, credibility: float = CREDIBILITY
) -> tuple[float, float, float]:
    """Posterior mean and equal-tailed credible interval of Beta(losses + 1/2, rest + 1/2).

    >>> mean, low, high = jeffreys_estimate(4, 1)
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (0.3, 0.046, 0.651)
    """
    if flights < 0 or not 0 <= losses <= flights:
        raise ValueError(f"need 0 <= losses <= flights (got {losses} of {flights})")
    a, b = losses + 0.5, flights - losses + 0.5
    tail = (1.0 - credibility) / 2.0
    low, high = beta.ppf([tail, 1.0 - tail], a, b)
    return a / (a + b), float(low), float(high)


def _estimate(family: str, rows: list[LaunchRow], basis: str) -> LossEstimate:
    lost = tuple(r.vehicle for r in rows if r.lost)
    mean, low, high = jeffreys_estimate(len(rows), len(lost))
    return LossEstimate(family, len(rows), len(lost), mean, low, high, basis, lost)


def loss_table(rows: Iterable[LaunchRow]) -> dict[str, LossEstimate]:
    """Flights, losses and Jeffreys loss probability per family, and the record pooled.

    Only ISS missions of a known family count. A family without flights gets the pooled
    estimate, under its own name and with a basis that says so.
    """
    counted = [r for r in rows if r.iss_mission and r.family is not None]
    pooled = _estimate(POOLED, counted, "whole record pooled")
    table: dict[str, LossEstimate] = {}
    for family in FAMILIES:
        mine = [r for r in counted if r.family == family]
        if mine:
            table[family] = _estimate(family, mine, f"launch record of {family}")
        else:
            table[family] = LossEstimate(
                family,
                0,
                0,
                pooled.p_loss,
                pooled.p_low,
                pooled.p_high,
                f"no {family} flights in the record: whole record pooled",
            )
    table[POOLED] = pooled
    return table


def vehicle_loss_estimate(vehicle: Vehicle, table: Mapping[str, LossEstimate]) -> LossEstimate:
    """The loss probability of a scenario vehicle.

    In order: the vehicle's ``loss_probability`` (a point value, the interval collapsed to it);
    its ``launch_record_family``; the family found in its name; the pooled record.
    """
    if vehicle.loss_probability is not None:
        p = vehicle.loss_probability
        return LossEstimate(vehicle.name, 0, 0, p, p, p, "scenario value (loss_probability)")
    family: str | None = vehicle.launch_record_family
    how = "launch_record_family"
    if family is None:
        family, how = family_of(vehicle.name), "matched from the vehicle's name"
    if family is None or family not in table:
        pooled = table[POOLED]
        return LossEstimate(
            vehicle.name,
            pooled.flights,
            pooled.losses,
            pooled.p_loss,
            pooled.p_low,
            pooled.p_high,
            "no family in the record: whole record pooled",
        )
    found = table[family]
    return LossEstimate(
        vehicle.name,
        found.flights,
        found.losses,
        found.p_loss,
        found.p_low,
        found.p_high,
        f"{found.basis} ({how})",
        found.lost_missions,
    )


EMBEDDED_RECORD = "iss_visiting_vehicle_launches_2000-2015.csv"
"""The launch record shipped with stationplan (``stationplan/ops/data``; provenance in its
README): ISS visiting-vehicle launches 2000-2015 from J. McDowell's launch log."""


def embedded_loss_table() -> dict[str, LossEstimate]:
    """:func:`loss_table` of the launch record shipped with stationplan."""
    from importlib.resources import as_file, files

    with as_file(files("stationplan.ops") / "data" / EMBEDDED_RECORD) as path:
        return loss_table(read_launch_record(path))
