"""Render the plan as one self-contained HTML page (plotly.js inlined; opens offline)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from stationplan.ops.fleet import VehicleCapability
from stationplan.ops.station_orbit import CONTACT_WINDOW_DAYS, BetaSample, StationOrbit
from stationplan.plan.model import Plan, Severity
from stationplan.report import figures
from stationplan.report.operations import operations_view
from stationplan.scenario.fields import utc_iso
from stationplan.scenario.models import VehicleRole

PLOTLY_BUNDLE = "assets/plotly-basic.min.js"
"""The plotly.js partial bundle the page embeds (see ``assets/README.md``)."""

CARGO_ROLES = frozenset({VehicleRole.CARGO.value, VehicleRole.BOTH.value})
CREW_ROLES = frozenset({VehicleRole.CREW.value, VehicleRole.BOTH.value})


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _stamp(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC"


def _finalize(value: object) -> object:
    """Every expression of the page passes here: a datetime written without a filter is
    ISO 8601 UTC with ``Z`` to the ms (:func:`utc_iso`), the form of every other output."""
    return utc_iso(value) if isinstance(value, datetime) else value


def cost_per_kg(v: VehicleCapability) -> str:
    """Cost per kg of cargo up (kUSD/kg), for cargo-carrying roles only; else a dash."""
    if v.role in CARGO_ROLES and v.cost_per_kg_up_kusd is not None:
        return f"{v.cost_per_kg_up_kusd:,.1f}"
    return "—"


def cost_per_seat(v: VehicleCapability) -> str:
    """Cost per seat (MUSD), for crew-carrying roles only; else a dash."""
    if v.role in CREW_ROLES and v.cost_per_seat_musd is not None:
        return f"{v.cost_per_seat_musd:,.0f}"
    return "—"


def beta_on_analysis_day(orbit: StationOrbit) -> BetaSample | None:
    """The beta sample of the day the first-day products (eclipses) start, if sampled."""
    day = orbit.analysis_start_utc.date()
    return next((b for b in orbit.beta if b.date_utc.date() == day), None)


def full_sun_beta_deg(plan: Plan) -> float | None:
    """The smallest |beta| of any sampled day without eclipse (None if every day has one)."""
    return min(
        (abs(b.beta_deg) for o in plan.orbits for b in o.beta if b.sunlit_fraction >= 1.0),
        default=None,
    )


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The vendored plotly.js bundle, safe to inline in a ``<script>`` element."""
    text = resources.files("stationplan.report").joinpath(PLOTLY_BUNDLE).read_text("utf-8")
    # The bundle contains "</script" nowhere, but the page must not break if one ever does.
    return text.replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("stationplan.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["day"] = _day
    env.filters["stamp"] = _stamp
    env.filters["cost_per_kg"] = cost_per_kg
    env.filters["cost_per_seat"] = cost_per_seat
    env.filters["beta_on_analysis_day"] = beta_on_analysis_day
    return env


def render_report(plan: Plan) -> str:
    """The report page for ``plan`` as HTML text."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        plan=plan,
        plotly_js=plotly_js(),
        warnings=[f for f in plan.findings if f.severity == Severity.WARNING],
        fleet_cargo_t=sum(v.cargo_up_kg_per_year for v in plan.fleet) / 1000.0,
        fleet_seats=sum(v.seats_per_year for v in plan.fleet),
        contribution_values=any(
            c.value_musd is not None for p in plan.partners for c in p.contributions
        ),
        fig_timeline=figures.timeline_gantt(plan),
        fig_buildup=figures.buildup(plan),
        fig_shares=figures.partner_shares(plan),
        fig_spending=figures.partner_spending(plan),
        fig_fleet=figures.fleet_capacity(plan),
        fig_track=figures.ground_track(plan),
        fig_beta=figures.beta_angle(plan),
        fig_contacts=figures.contact_trend(plan),
        fig_launch=figures.launch_times(plan),
        fig_altitude=figures.altitude_profile(plan),
        contact_days=CONTACT_WINDOW_DAYS,
        full_sun_beta_deg=full_sun_beta_deg(plan),
        ops=operations_view(plan),
    )
