"""Checks across the scenario document, run after each model validated on its own.

Each check returns ``(field path, message)`` pairs so the loader can point at the line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import datetime, timedelta

from stationplan.orbit.constants import (
    EPHEMERIS_FIRST_UTC,
    EPHEMERIS_LAST_UTC,
    EPHEMERIS_NAME,
)
from stationplan.scenario.models import ContributionKind, Orbit, Scenario
from stationplan.scenario.yamlsource import Path

Finding = tuple[Path, str]

EPHEMERIS_MARGIN_DAYS = 30
"""Days the plan reaches past the programme's ends (launch windows and dockings of the last
flights, contact passes): the planetary ephemeris must cover them too."""


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; declared: {', '.join(choices) if choices else '(none)'}"


def _unknown(name: str, what: str, choices: list[str]) -> str:
    return f"'{name}' is not {what}{_suggest(name, choices)}"


def _inside(sc: Scenario, when: datetime | None, path: Path, what: str) -> Iterator[Finding]:
    start, end = sc.programme.start_utc, sc.programme.end_utc
    if when is not None and not (start <= when <= end):
        yield (
            path,
            (
                f"{what} {when:%Y-%m-%d} is outside the programme "
                f"({start:%Y-%m-%d} to {end:%Y-%m-%d})"
            ),
        )


def check_scenario(sc: Scenario) -> list[Finding]:
    """All cross-field problems of a scenario whose parts each validated."""
    return [
        *_span(sc),
        *_in_service(sc),
        *_epochs(sc),
        *_references(sc),
        *_dates(sc),
        *_geometry(sc),
        *_shares(sc),
        *_variant_names(sc),
    ]


def _variant_names(sc: Scenario) -> Iterator[Finding]:
    """Each variant named once (the plan and report refer to variants by name)."""
    seen: set[str] = set()
    for i, variant in enumerate(sc.variants):
        if variant.name in seen:
            yield (
                ("variants", i, "name"),
                f"variant name {variant.name!r} is used twice; each must be unique",
            )
        seen.add(variant.name)


def _span(sc: Scenario) -> Iterator[Finding]:
    """The programme inside the planetary ephemeris (the Sun's position: eclipses, drag,
    lighting), with a margin at each end."""
    margin = timedelta(days=EPHEMERIS_MARGIN_DAYS)
    start, end = sc.programme.start_utc, sc.programme.end_utc
    first, last = EPHEMERIS_FIRST_UTC + margin, EPHEMERIS_LAST_UTC - margin
    if start < first:  # not start - margin: that overflows for year 1
        yield (
            ("programme", "start_utc"),
            (
                f"the programme starts {start:%Y-%m-%d}; it must start on or after "
                f"{first:%Y-%m-%d}: the plan needs the {EPHEMERIS_NAME} ephemeris, which "
                f"begins {EPHEMERIS_FIRST_UTC:%Y-%m-%d}, from {EPHEMERIS_MARGIN_DAYS} days "
                "before the start"
            ),
        )
    if end > last:
        yield (
            ("programme", "end_utc"),
            (
                f"the programme ends {end:%Y-%m-%d}; it must end on or before "
                f"{last:%Y-%m-%d}: the plan needs the {EPHEMERIS_NAME} ephemeris, which "
                f"ends {EPHEMERIS_LAST_UTC:%Y-%m-%d}, for {EPHEMERIS_MARGIN_DAYS} days past "
                "the end (launch windows, dockings and contacts of the last flights)"
            ),
        )


def _in_service(sc: Scenario) -> Iterator[Finding]:
    """Each station has a mass and a drag area from the day its service starts
    (:meth:`~stationplan.scenario.models.Station.service_start_utc`): the decay model divides
    by the one and needs the other."""
    for i, st in enumerate(sc.stations):
        start = st.service_start_utc(sc.programme.start_utc)
        aboard = [m for m in st.modules if m.launch_utc is None or m.launch_utc <= start]
        if st.mass_kg + sum(m.mass_kg for m in aboard) <= 0:
            yield (
                ("stations", i, "mass_kg"),
                (
                    f"station '{st.name}' has no mass: mass_kg is 0 and it has no modules; "
                    "give its mass (> 0 kg) or its modules"
                ),
            )
        if st.drag_area_m2 + sum(m.drag_area_m2 for m in aboard) <= 0:
            yield (
                ("stations", i, "drag_area_m2"),
                (
                    f"station '{st.name}' has no drag area when its service starts "
                    f"({start:%Y-%m-%d}): drag_area_m2 is 0 and no module in orbit by then adds "
                    "any; give its mean cross-section (> 0 m^2), which the decay model needs"
                ),
            )


def element_epoch(orbit: Orbit) -> tuple[datetime, Path]:
    """The epoch of a station's elements, and the field (under ``orbit``) that gives it."""
    elements = orbit.tle_elements()
    if elements is not None:
        return elements.epoch_utc, ("tle",)
    if orbit.omm is not None:
        return orbit.omm.EPOCH, ("omm", "EPOCH")
    assert orbit.epoch_utc is not None  # the model requires it with the mean elements
    return orbit.epoch_utc, ("epoch_utc",)


def _epochs(sc: Scenario) -> Iterator[Finding]:
    """No element set dated after its station's service: the plan would propagate it
    backwards over the whole service, where SGP4's drag terms diverge (positions millions of
    km out, and searches for contacts over them that exhaust memory)."""
    for i, st in enumerate(sc.stations):
        end = min(st.retire_utc or sc.programme.end_utc, sc.programme.end_utc)
        epoch, field = element_epoch(st.orbit)
        if epoch > end:
            what = "retirement" if end == st.retire_utc else "the programme end"
            yield (
                ("stations", i, "orbit", *field),
                (
                    f"the elements of '{st.name}' are dated {epoch:%Y-%m-%d}, after its service "
                    f"ends ({what}, {end:%Y-%m-%d}); give elements dated within its service: "
                    "the plan propagates them from their epoch"
                ),
            )


def _references(sc: Scenario) -> Iterator[Finding]:
    partners = [p.code for p in sc.partners]
    operators = sorted(sc.operator_codes())
    sites = [s.name for s in sc.launch_sites]
    modules = [m.name for st in sc.stations for m in st.modules]
    vehicles = [v.name for v in sc.vehicles]
    # a module contribution names a module, a vehicle contribution a vehicle; others either
    items_of = {
        ContributionKind.MODULE: (modules, "a module"),
        ContributionKind.VEHICLE: (vehicles, "a vehicle"),
    }
    for i, st in enumerate(sc.stations):
        for j, m in enumerate(st.modules):
            if m.owner not in operators:
                yield (
                    ("stations", i, "modules", j, "owner"),
                    (_unknown(m.owner, "a declared partner or provider", operators)),
                )
    for i, v in enumerate(sc.vehicles):
        if v.operator not in operators:
            yield (
                ("vehicles", i, "operator"),
                (
                    f"'{v.operator}' is not a declared partner or provider"
                    f"{_suggest(v.operator, operators)}"
                ),
            )
        if v.purchased_by is not None and v.purchased_by not in partners:
            yield (
                ("vehicles", i, "purchased_by"),
                (_unknown(v.purchased_by, "a declared partner", partners)),
            )
        for k, site in enumerate(v.launch_sites):
            if site not in sites:
                yield (
                    ("vehicles", i, "launch_sites", k),
                    ("launch site " + _unknown(site, "declared under launch_sites", sites)),
                )
    for i, g in enumerate(sc.ground_stations):
        if g.operator is not None and g.operator not in operators:
            yield (
                ("ground_stations", i, "operator"),
                (
                    f"'{g.operator}' is not a declared partner or provider"
                    f"{_suggest(g.operator, operators)}"
                ),
            )
    first, last = sc.programme.start_utc.year, sc.programme.end_utc.year
    for i, w in enumerate(sc.work_packages):
        for code in w.cost_musd_by_partner:
            if code not in partners:
                yield (
                    ("work_packages", i, "cost_musd_by_partner", code),
                    (_unknown(code, "a declared partner", partners)),
                )
        for field, year in (("start_year", w.start_year), ("end_year", w.end_year)):
            if not first <= year <= last:
                yield (
                    ("work_packages", i, field),
                    f"{year} is outside the programme's years ({first}-{last})",
                )
    for i, p in enumerate(sc.partners):
        for j, c in enumerate(p.contributions):
            items, what = items_of.get(c.kind, (modules + vehicles, "a module or vehicle"))
            if c.item is not None and c.item not in items:
                yield (
                    ("partners", i, "contributions", j, "item"),
                    (_unknown(c.item, f"{what} of the scenario", items)),
                )
            if c.kind in (ContributionKind.MODULE, ContributionKind.VEHICLE) and c.item is None:
                yield (
                    ("partners", i, "contributions", j, "item"),
                    (f"a {c.kind.value} contribution must name its {c.kind.value} in 'item'"),
                )
    if sc.crew is not None:
        for code in sc.crew.crew_per_partner:
            if code not in partners:
                yield (
                    ("crew", "crew_per_partner", code),
                    (f"'{code}' is not a declared partner{_suggest(code, partners)}"),
                )
        for j, mission in enumerate(sc.crew.one_year_missions):
            if mission.partner not in partners:
                yield (
                    ("crew", "one_year_missions", j, "partner"),
                    (_unknown(mission.partner, "a declared partner", partners)),
                )
        if sc.consumables is None:
            yield ("consumables",), "required when a crew plan is given (per crew-day rates)"


def _dates(sc: Scenario) -> Iterator[Finding]:
    for i, st in enumerate(sc.stations):
        yield from _inside(sc, st.retire_utc, ("stations", i, "retire_utc"), "retirement")
        for j, m in enumerate(st.modules):
            yield from _inside(
                sc,
                m.launch_utc,
                ("stations", i, "modules", j, "launch_utc"),
                f"launch of module '{m.name}'",
            )
            if (
                st.retire_utc is not None
                and m.launch_utc is not None
                and m.launch_utc > st.retire_utc
            ):
                yield (
                    ("stations", i, "modules", j, "launch_utc"),
                    (
                        f"module '{m.name}' launches {m.launch_utc:%Y-%m-%d}, after the station "
                        f"retires ({st.retire_utc:%Y-%m-%d})"
                    ),
                )
    for i, p in enumerate(sc.partners):
        if p.join_utc > sc.programme.end_utc:
            yield (
                ("partners", i, "join_utc"),
                (
                    f"joins {p.join_utc:%Y-%m-%d}, after the programme ends "
                    f"({sc.programme.end_utc:%Y-%m-%d})"
                ),
            )
        yield from _inside(sc, p.withdraw_utc, ("partners", i, "withdraw_utc"), "withdrawal")
    if sc.crew is not None:
        yield from _inside(sc, sc.crew.first_crew_utc, ("crew", "first_crew_utc"), "first crew")
        for j, mission in enumerate(sc.crew.one_year_missions):
            yield from _inside(
                sc,
                mission.start_utc,
                ("crew", "one_year_missions", j, "start_utc"),
                "one-year mission start",
            )
    for j, entry in enumerate(sc.space_weather.table):
        if entry.from_utc > sc.programme.end_utc:
            yield (
                ("space_weather", "table", j, "from_utc"),
                (f"{entry.from_utc:%Y-%m-%d} is after the programme ends"),
            )


def _geometry(sc: Scenario) -> Iterator[Finding]:
    used = {s for v in sc.vehicles for s in v.launch_sites}
    for k, site in enumerate(sc.launch_sites):
        if site.name not in used:
            continue
        for st in sc.stations:
            inc = st.orbit.nominal_inclination_deg
            reach = min(inc, 180.0 - inc)
            if abs(site.latitude_deg) > reach:
                yield (
                    ("launch_sites", k, "latitude_deg"),
                    (
                        f"site '{site.name}' at latitude {site.latitude_deg:g} deg cannot launch "
                        f"directly into the plane of '{st.name}' (inclination {inc:g} deg): "
                        f"the plane never passes over a site whose |latitude| exceeds {reach:g} deg"
                    ),
                )


def _shares(sc: Scenario) -> Iterator[Finding]:
    """The shares of the partners that are members at the same time add up to 100 % at most
    (checked at every join date, where the sum can only rise)."""
    for when in sorted({p.join_utc for p in sc.partners}):
        members = [
            p
            for p in sc.partners
            if p.join_utc <= when and (p.withdraw_utc is None or p.withdraw_utc > when)
        ]
        total = sum(p.utilization_share_pct for p in members)
        if total > 100.0 + 1e-6:
            yield (
                ("partners",),
                (
                    f"utilization_share_pct of the members on {when:%Y-%m-%d} "
                    f"({', '.join(p.code for p in members)}) adds up to {total:g} %; the shares "
                    "of partners that are members at the same time must not exceed 100 %"
                ),
            )
            return
