"""Render the plan as one self-contained HTML page (plotly.js inlined; opens offline)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from plotly.offline import get_plotlyjs

from stationplan.ops.station_orbit import CONTACT_WINDOW_DAYS
from stationplan.plan.model import Plan, Severity
from stationplan.report import figures


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _stamp(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("stationplan.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    env.filters["stamp"] = _stamp
    return env


def render_report(plan: Plan) -> str:
    """The report page for ``plan`` as HTML text."""
    template = _environment().get_template("report.html.j2")
    # plotly.js contains "</script>" nowhere but we guard anyway: the page must not break.
    plotly_js = get_plotlyjs().replace("</script", "<\\/script")
    return template.render(
        plan=plan,
        plotly_js=plotly_js,
        warnings=[f for f in plan.findings if f.severity == Severity.WARNING],
        fleet_cargo_t=sum(v.cargo_up_kg_per_year for v in plan.fleet) / 1000.0,
        fleet_seats=sum(v.seats_per_year for v in plan.fleet),
        fig_timeline=figures.timeline_gantt(plan),
        fig_buildup=figures.buildup(plan),
        fig_shares=figures.partner_shares(plan),
        fig_fleet=figures.fleet_capacity(plan),
        fig_track=figures.ground_track(plan),
        fig_beta=figures.beta_angle(plan),
        fig_launch=figures.launch_times(plan),
        fig_altitude=figures.altitude_profile(plan),
        contact_days=CONTACT_WINDOW_DAYS,
    )
