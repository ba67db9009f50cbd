"""The operations part of the report: manifest, crew aboard, supplies, power and risk.

Figures follow :mod:`stationplan.report.figures` (plotly basic bundle traces only, float32
values, ``x0``/``dx`` for evenly spaced series, round aligned axes, units in axis titles);
tables are :class:`Table` objects whose all-empty columns are dropped before the page sees
them. :func:`operations_view` gathers everything the template's Operations section shows, or
says why there is nothing to show.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Generic, TypeVar

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from stationplan.ops.crew import Rotation
from stationplan.ops.flights import CrewMember, Flight, FlightRole
from stationplan.ops.manifest import Manifest
from stationplan.ops.operations import Operations, RiskSummary, StationLogistics
from stationplan.ops.power import PowerBudget
from stationplan.plan.model import Plan
from stationplan.report.figures import (
    PALETTE,
    aligned_ticks,
    day_text,
    f32,
    rgba,
    time_axis,
    to_html,
    zero_based_axis,
)

EMPTY = "—"
"""What a cell without a value shows; a column of nothing else is dropped."""

MODULE_ROW = "modules launched"
RESERVE_COLOR = "#d62728"
STOCK_COLOR = "#1f4e8c"
PANEL_COLUMNS = 3


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A table for the page: headers, which columns are numeric, cells as text. Cells do not
    wrap (dates and numbers stay on one line) except in the columns marked ``wrap``."""

    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    row_classes: list[str] = field(default_factory=list)
    wrap: list[bool] = field(default_factory=list)

    def cell_class(self, j: int) -> str:
        """The CSS class of the cells of column ``j``: 'n' (numeric), 'wrap' or ''."""
        if self.numeric[j]:
            return "n"
        return "wrap" if j < len(self.wrap) and self.wrap[j] else ""

    def without_empty_columns(self) -> Table:
        """The table without the columns whose every cell is empty or a dash."""
        keep = [
            j
            for j in range(len(self.headers))
            if not self.rows or any(row[j] not in ("", EMPTY) for row in self.rows)
        ]
        return Table(
            headers=[self.headers[j] for j in keep],
            numeric=[self.numeric[j] for j in keep],
            rows=[[row[j] for j in keep] for row in self.rows],
            row_classes=list(self.row_classes),
            wrap=[j < len(self.wrap) and self.wrap[j] for j in keep],
        )

    def row_class(self, i: int) -> str:
        """The CSS class of row ``i`` ('' for none)."""
        return self.row_classes[i] if i < len(self.row_classes) else ""


T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a :func:`table`: header, whether numeric, and the cell of a record."""

    header: str
    cell: Callable[[T], str]
    numeric: bool = False
    wrap: bool = False


def table(
    columns: Sequence[Column[T]],
    records: Sequence[T],
    row_class: Callable[[T], str] | None = None,
) -> Table:
    """The records as a :class:`Table`, all-empty columns dropped."""
    return Table(
        headers=[c.header for c in columns],
        numeric=[c.numeric for c in columns],
        rows=[[c.cell(r) for c in columns] for r in records],
        row_classes=[row_class(r) for r in records] if row_class else [],
        wrap=[c.wrap for c in columns],
    ).without_empty_columns()


def num(value: float | None, fmt: str = ",.0f") -> str:
    """A number for a table cell; a dash for None, NaN or infinity; never a negative zero.

    >>> num(1234.5), num(None), num(float("inf")), num(0.25, ".1%"), num(-0.2)
    ('1,234', '—', '—', '25.0%', '0')
    """
    if value is None or not math.isfinite(value):
        return EMPTY
    text = format(value, fmt)
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text


def amount(value: float | None) -> str:
    """A solver figure: whole above 100, else three significant digits.

    >>> amount(145329.0), amount(0.4567), amount(None)
    ('145,329', '0.457', '—')
    """
    if value is None or not math.isfinite(value):
        return EMPTY
    return num(value, ",.0f") if abs(value) >= 100 else num(value, ".3g")


def day(value: datetime | None) -> str:
    """The UTC day of a time for a table cell; a dash for None."""
    return EMPTY if value is None else f"{value:%Y-%m-%d}"


def class_label(name: str) -> str:
    """A supply class as the reader says it.

    >>> class_label("spares_pressurized")
    'spares pressurized'
    """
    return str(name).replace("_", " ")


# --------------------------------------------------------------------------- helpers


def vehicle_colors(plan: Plan) -> dict[str, str]:
    """A stable colour per fleet vehicle, in fleet order (then any other vehicle flown)."""
    names = [v.name for v in plan.fleet]
    if plan.operations is not None:
        names += [f.vehicle for f in plan.operations.manifest.flights if f.vehicle]
    out: dict[str, str] = {}
    for name in names:
        out.setdefault(name, PALETTE[len(out) % len(PALETTE)])
    return out


def partner_colors(plan: Plan) -> dict[str, str]:
    """A stable colour per partner code, in plan order (then any other code met)."""
    codes = [p.code for p in plan.partners]
    if plan.operations is not None:
        codes += [m.partner for m in plan.operations.manifest.crew]
    out: dict[str, str] = {}
    for code in codes:
        out.setdefault(code, PALETTE[len(out) % len(PALETTE)])
    return out


def _stations(plan: Plan, names: Sequence[str]) -> list[str]:
    """``names`` in the plan's station order (unknown ones last, as met)."""
    order = [s.name for s in plan.stations]
    seen = list(dict.fromkeys(names))
    return [n for n in order if n in seen] + [n for n in seen if n not in order]


def _span(plan: Plan, station: str) -> list[str] | None:
    st = next((s for s in plan.stations if s.name == station), None)
    if st is None:
        return None
    return [day_text(st.in_service_from_utc), day_text(st.in_service_to_utc)]


def docked(flights: Sequence[Flight]) -> list[Flight]:
    """Flights that dock and undock at a port (the ones a port Gantt can draw)."""
    return [
        f
        for f in flights
        if f.port is not None and f.docking_utc is not None and f.undocking_utc is not None
    ]


def docked_span(f: Flight) -> tuple[datetime, datetime]:
    """Docking and undocking of a flight of :func:`docked`."""
    assert f.docking_utc is not None and f.undocking_utc is not None
    return f.docking_utc, f.undocking_utc


def port_rows(plan: Plan, flights: Sequence[Flight]) -> list[str]:
    """Rows of the port Gantt: per station (plan order) its module row, then its ports."""
    rows: list[str] = []
    stations = _stations(plan, [f.station for f in flights])
    for st in stations:
        if any(s.launch_utc for p in plan.stations if p.name == st for s in p.build.steps):
            rows.append(f"{st} · {MODULE_ROW}")
        ports = sorted({f.port for f in docked(flights) if f.station == st and f.port})
        rows += [f"{st} · {p}" for p in ports]
    return rows


def flight_hover(f: Flight) -> str:
    """Hover text of one flight on the Gantt."""
    lines = [
        f"<b>{f.flight}</b> ({f.role.value}, {f.vehicle or 'module'})",
        f"launch {f.launch_utc:%Y-%m-%d %H:%M} UTC" + (f" from {f.site}" if f.site else ""),
    ]
    if f.docking_utc is not None:
        lines.append(f"docked {f.docking_utc:%Y-%m-%d}" + (f" at {f.port}" if f.port else ""))
    if f.undocking_utc is not None and f.docking_utc is not None:
        stay = (f.undocking_utc - f.docking_utc).total_seconds() / 86400.0
        lines.append(f"undocks {f.undocking_utc:%Y-%m-%d} ({stay:.0f} days docked)")
    if f.crew_up or f.crew_down:
        lines.append(f"crew up {f.crew_up}, down {f.crew_down} ({f.seats} seats)")
    if f.cargo_kg > 0 or f.return_kg > 0:
        parts = [
            f"{label} {kg:,.0f}"
            for label, kg in (
                ("pressurised", f.pressurized_kg),
                ("unpressurised", f.unpressurized_kg),
                ("propellant", f.propellant_kg),
            )
            if kg > 0
        ]
        lines.append(f"cargo up {f.cargo_kg:,.0f} kg" + (f" ({', '.join(parts)})" if parts else ""))
        if f.return_kg > 0:
            lines.append(f"return {f.return_kg:,.0f} kg")
    if f.cost_musd:
        lines.append(f"cost {f.cost_musd:,.0f} MUSD")
    return "<br>".join(lines)


# --------------------------------------------------------------------------- figures


def manifest_gantt(plan: Plan) -> go.Figure | None:
    """Flights on each docking port from docking to undocking, coloured by vehicle, with the
    module launches as markers on each station's first row; None without docked flights."""
    ops = plan.operations
    if ops is None or not docked(ops.manifest.flights):
        return None
    flights = ops.manifest.flights
    colors = vehicle_colors(plan)
    rows = port_rows(plan, flights)
    fig = go.Figure()
    for vehicle in colors:
        mine = [f for f in docked(flights) if f.vehicle == vehicle]
        if not mine:
            continue
        fig.add_trace(
            go.Bar(
                y=[f"{f.station} · {f.port}" for f in mine],
                x=[(z - a).total_seconds() * 1000.0 for a, z in map(docked_span, mine)],
                base=[day_text(a) for a, _ in map(docked_span, mine)],
                orientation="h",
                name=vehicle,
                marker={"color": colors[vehicle], "line": {"color": "#ffffff", "width": 0.5}},
                hovertext=[flight_hover(f) for f in mine],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    legend = True
    for st in plan.stations:
        launched = [(s, s.launch_utc) for s in st.build.steps if s.launch_utc is not None]
        if not launched or f"{st.name} · {MODULE_ROW}" not in rows:
            continue
        fig.add_trace(
            go.Scatter(
                x=[day_text(t) for _, t in launched],
                y=[f"{st.name} · {MODULE_ROW}"] * len(launched),
                mode="markers",
                name="module launch",
                legendgroup="module",
                showlegend=legend,
                marker={"symbol": "diamond", "size": 10, "color": "#444444"},
                hovertext=[
                    f"<b>{s.module}</b> ({s.owner})<br>launch {t:%Y-%m-%d}<br>{s.mass_kg:,.0f} kg"
                    for s, t in launched
                ],
                hovertemplate="%{hovertext}<extra>module</extra>",
            )
        )
        legend = False
    fig.update_yaxes(
        categoryorder="array", categoryarray=rows, autorange="reversed", automargin=True
    )
    fig.update_xaxes(
        type="date",
        range=[day_text(plan.programme.start_utc), day_text(plan.programme.end_utc)],
        title="docked from docking to undocking (UTC)",
    )
    fig.update_layout(
        title="Flights on the docking ports (bars: docked; colour: vehicle)",
        barmode="overlay",
        bargap=0.25,
        height=max(320, 28 * len(rows) + 150),
        legend={"orientation": "h", "y": -0.12 if len(rows) > 6 else -0.3},
    )
    return fig


@dataclass(frozen=True)
class CrewSeries:
    """Crew aboard one station by partner and the lifeboat seats, at each change."""

    times: list[datetime]
    by_partner: dict[str, list[int]]
    seats: list[int]
    capacity: list[int]


def crew_series(plan: Plan, station: str) -> CrewSeries:
    """Crew aboard ``station`` by partner (from the members' arrival and departure), the
    seats of the crew vehicles docked there (lifeboats) and the station's crew capacity,
    each valid from one time of :attr:`CrewSeries.times` to the next."""
    ops = plan.operations
    members: list[CrewMember] = []
    boats: list[Flight] = []
    if ops is not None:
        members = [m for m in ops.manifest.crew if m.station == station]
        boats = [
            f
            for f in docked(ops.manifest.flights)
            if f.station == station and f.role is FlightRole.CREW and f.seats > 0
        ]
    st = next((s for s in plan.stations if s.name == station), None)
    steps = [] if st is None else st.build.steps
    stamps: set[datetime] = {m.arrival_utc for m in members} | {m.departure_utc for m in members}
    stamps |= {t for f in boats for t in (f.docking_utc, f.undocking_utc) if t is not None}
    stamps |= {s.launch_utc for s in steps if s.launch_utc is not None}
    if st is not None:
        stamps |= {st.in_service_from_utc, st.in_service_to_utc}
    times = sorted(stamps)
    partners = list(
        dict.fromkeys(c for c in partner_colors(plan) if any(m.partner == c for m in members))
    )
    by_partner = {
        p: [
            sum(1 for m in members if m.partner == p and m.arrival_utc <= t < m.departure_utc)
            for t in times
        ]
        for p in partners
    }
    spans = [(f.docking_utc, f.undocking_utc, f.seats) for f in boats]
    seats = [
        sum(n for a, z, n in spans if a is not None and z is not None and a <= t < z) for t in times
    ]
    capacity = [
        next(
            (s.crew_capacity for s in reversed(steps) if s.launch_utc is None or s.launch_utc <= t),
            0,
        )
        for t in times
    ]
    return CrewSeries(times=times, by_partner=by_partner, seats=seats, capacity=capacity)


def crew_aboard(plan: Plan) -> go.Figure | None:
    """Crew aboard each station by partner (stacked steps) under the lifeboat seats and the
    crew capacity, a panel per station over its own service; None without crew."""
    ops = plan.operations
    if ops is None or not ops.manifest.crew:
        return None
    stations = _stations(plan, [m.station for m in ops.manifest.crew])
    colors = partner_colors(plan)
    fig = make_subplots(
        rows=len(stations),
        cols=1,
        subplot_titles=stations,
        vertical_spacing=0.12 if len(stations) > 1 else 0.0,
    )
    top = 0.0
    shown: set[str] = set()
    for row, station in enumerate(stations, start=1):
        series = crew_series(plan, station)
        x = [day_text(t) for t in series.times]
        for partner, counts in series.by_partner.items():
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=counts,
                    mode="lines",
                    line={"shape": "hv", "width": 0.5, "color": colors[partner]},
                    fillcolor=rgba(colors[partner], 0.55),
                    stackgroup=f"crew{row}",
                    name=partner,
                    legendrank=list(colors).index(partner),
                    legendgroup=partner,
                    showlegend=partner not in shown,
                    hovertemplate="%{x|%Y-%m-%d}: %{y} aboard<extra>" + partner + "</extra>",
                ),
                row=row,
                col=1,
            )
            shown.add(partner)
        total = [sum(c) for c in zip(*series.by_partner.values(), strict=True)] or [0]
        top = max(top, *map(float, (*total, *series.seats, *series.capacity)))
        for name, values, style in (
            ("lifeboat seats docked", series.seats, {"color": "#111111", "width": 2}),
            ("crew capacity", series.capacity, {"color": "#7f7f7f", "width": 1.5, "dash": "dash"}),
        ):
            if not any(values):
                continue
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=values,
                    mode="lines",
                    line={"shape": "hv", **style},
                    name=name,
                    legendrank=1000 + len(name),
                    legendgroup=name,
                    showlegend=name not in shown,
                    hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>" + name + "</extra>",
                ),
                row=row,
                col=1,
            )
            shown.add(name)
        fig.update_xaxes(type="date", range=_span(plan, station), row=row, col=1)
    n, (step,) = aligned_ticks([top + 0.5], integer=[True])  # headroom above the top line
    fig.update_yaxes(**zero_based_axis(n, step, "persons"))
    fig.update_layout(
        title="Crew aboard by partner (stacked), lifeboat seats docked and crew capacity",
        height=140 + 300 * len(stations),
        margin_t=80,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.1},
    )
    return fig


def supply_stock(plan: Plan, logistics: StationLogistics) -> go.Figure | None:
    """Stock of each class of supply against its reserve (weekly samples), a small panel per
    class; classes with neither stock nor reserve are left out."""
    classes = [c for c in logistics.classes if any(c.stock_kg) or any(c.reserve_kg)]
    if not classes or not logistics.days_utc:
        return None
    summaries = {str(s.supply_class): s for s in logistics.summaries}
    titles = []
    for c in classes:
        s = summaries.get(c.supply_class)
        label = class_label(c.supply_class)
        if s is not None and s.first_breach_day is not None:
            when = logistics.days_utc[0] + timedelta(days=s.first_breach_day)
            label += f" <span style='color:{RESERVE_COLOR}'>(below reserve {when:%Y-%m-%d})</span>"
        titles.append(label)
    rows = math.ceil(len(classes) / PANEL_COLUMNS)
    fig = make_subplots(
        rows=rows,
        cols=PANEL_COLUMNS,
        shared_xaxes=True,
        subplot_titles=titles,
        vertical_spacing=0.32 / rows if rows > 1 else 0.0,
        horizontal_spacing=0.07,
    )
    where = time_axis(logistics.days_utc)
    for k, c in enumerate(classes):
        row, col = divmod(k, PANEL_COLUMNS)
        fig.add_trace(
            go.Scatter(
                **where,
                y=f32(c.reserve_kg),
                mode="lines",
                line={"color": RESERVE_COLOR, "width": 1, "dash": "dot"},
                fill="tozeroy",
                fillcolor=rgba(RESERVE_COLOR, 0.08),
                name="reserve",
                legendgroup="reserve",
                showlegend=k == 0,
                hovertemplate="%{x|%Y-%m-%d}: reserve %{y:,.0f} kg<extra>"
                + class_label(c.supply_class)
                + "</extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.add_trace(
            go.Scatter(
                **where,
                y=f32(c.stock_kg),
                mode="lines",
                line={"color": STOCK_COLOR, "width": 1.5},
                name="stock",
                legendgroup="stock",
                showlegend=k == 0,
                hovertemplate="%{x|%Y-%m-%d}: stock %{y:,.0f} kg<extra>"
                + class_label(c.supply_class)
                + "</extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
        top = max(max(c.stock_kg, default=0.0), max(c.reserve_kg, default=0.0))
        n, (step,) = aligned_ticks([top])
        fig.update_yaxes(
            **zero_based_axis(n, step, "kg" if col == 0 else ""),
            tickformat="~s",
            row=row + 1,
            col=col + 1,
        )
    fig.update_xaxes(type="date", range=_span(plan, logistics.station))
    fig.update_annotations(font_size=12)
    fig.update_layout(
        title=f"{logistics.station}: stock of each class of supply against its reserve (weekly)",
        height=120 + 210 * rows,
        margin_t=80,
        legend={"orientation": "h", "y": -0.25 / rows, "yanchor": "top"},
    )
    return fig


def power_margin(plan: Plan) -> go.Figure | None:
    """Daily energy margin (kWh/day) and lowest battery state of charge per station, on one
    time axis; None without a power budget."""
    budgets = [b for b in (plan.operations.power if plan.operations else []) if b.days_utc]
    if not budgets:
        return None
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    order = [s.name for s in plan.stations]
    for b in budgets:
        k = order.index(b.station) if b.station in order else len(order)
        color = PALETTE[k % len(PALETTE)]
        where = time_axis(b.days_utc)
        fig.add_trace(
            go.Scatter(
                **where,
                y=f32(b.margin_kwh),
                mode="lines",
                line={"color": color, "width": 1},
                name=b.station,
                legendgroup=b.station,
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} kWh/day<extra>" + b.station + "</extra>",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                **where,
                y=f32([100.0 * v for v in b.min_soc_fraction]),
                mode="lines",
                line={"color": color, "width": 1},
                name=b.station,
                legendgroup=b.station,
                showlegend=False,
                hovertemplate="%{x|%Y-%m-%d}: lowest charge %{y:.1f} %<extra>"
                + b.station
                + "</extra>",
            ),
            row=2,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=[day_text(b.days_utc[0]), day_text(b.days_utc[-1])],
                y=[100.0 * b.battery_min_soc_fraction] * 2,
                mode="lines",
                line={"color": color, "width": 1, "dash": "dash"},
                name=f"{b.station} charge floor",
                legendgroup=b.station,
                hovertemplate="floor %{y:.0f} %<extra>" + b.station + "</extra>",
            ),
            row=2,
            col=1,
        )
    fig.update_yaxes(title="margin (kWh/day)", zeroline=True, zerolinecolor="#888", row=1, col=1)
    fig.update_yaxes(title="lowest charge (%)", range=[0, 102], dtick=25, row=2, col=1)
    fig.update_xaxes(type="date")
    fig.update_layout(
        title="Power: daily energy margin at the loads and lowest battery state of charge",
        height=560,
        legend={"orientation": "h", "y": -0.1},
    )
    return fig


def margin_histograms(risk: RiskSummary, classes: int = 6) -> go.Figure | None:
    """Distribution over the Monte Carlo runs of each class's smallest margin (days above
    reserve), for the ``classes`` classes with the lowest median margin; None without data."""
    margins = [
        m
        for m in risk.margins
        if m.counts and sum(m.counts) > 0 and len(m.bin_edges_days) == len(m.counts) + 1
    ]
    if not margins:
        return None

    def median(m: object) -> float:
        for q, v in getattr(m, "percentiles_days", []):
            if abs(q - 50.0) < 1e-9:
                return float(v)
        return math.inf

    margins = sorted(margins, key=lambda m: (-m.p_reserve_break, median(m)))[:classes]
    rows = math.ceil(len(margins) / PANEL_COLUMNS)
    fig = make_subplots(
        rows=rows,
        cols=PANEL_COLUMNS,
        subplot_titles=[
            f"{class_label(m.supply_class)} (P break {m.p_reserve_break:.1%})" for m in margins
        ],
        vertical_spacing=0.3 / rows if rows > 1 else 0.0,
        horizontal_spacing=0.07,
    )
    for k, m in enumerate(margins):
        row, col = divmod(k, PANEL_COLUMNS)
        edges = m.bin_edges_days
        total = sum(m.counts)
        centers = [(a + b) / 2.0 for a, b in pairwise(edges)]
        widths = [b - a for a, b in pairwise(edges)]
        share = [100.0 * c / total for c in m.counts]
        fig.add_trace(
            go.Bar(
                x=f32(centers),
                y=f32(share),
                width=f32(widths),
                marker={
                    "color": [RESERVE_COLOR if c < 0 else STOCK_COLOR for c in centers],
                    "line": {"color": "#ffffff", "width": 0.5},
                },
                showlegend=False,
                customdata=[[a, b] for a, b in pairwise(edges)],
                hovertemplate="%{customdata[0]:.0f} to %{customdata[1]:.0f} days: "
                "%{y:.1f} % of runs<extra>" + class_label(m.supply_class) + "</extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
        fig.update_xaxes(
            title="smallest margin (days)" if row == rows - 1 else "", row=row + 1, col=col + 1
        )
        fig.update_yaxes(
            title="% of runs" if col == 0 else "", rangemode="tozero", row=row + 1, col=col + 1
        )
    fig.update_annotations(font_size=12)
    fig.update_layout(
        title=f"{risk.station}: smallest margin above reserve in {risk.runs:,} runs "
        "(red: below reserve)",
        height=120 + 230 * rows,
        margin_t=80,
        bargap=0,
    )
    return fig


# --------------------------------------------------------------------------- tables of ops


def solver_cards(manifest: Manifest) -> list[tuple[str, str, str]]:
    """(label, value, note) cards of how the manifest solver ended and what it costs."""
    s = manifest.solver
    fleet = [f for f in manifest.flights if f.vehicle is not None]
    modules = sum(1 for f in manifest.flights if f.role is FlightRole.MODULE)
    cards = [
        ("solver status", s.status, f"minimising {s.objective}"),
        (
            "objective value",
            amount(s.objective_value),
            f"best bound {amount(s.best_bound)}",
        ),
        (
            "optimality gap",
            num(s.gap_pct, ".2f") + (" %" if s.gap_pct is not None else ""),
            "(objective − bound) / objective",
        ),
        (
            "wall time",
            f"{s.wall_time_s:,.1f} s",
            f"{s.variables:,} variables · {s.constraints:,} constraints",
        ),
        (
            "fleet flights",
            f"{len(fleet)}",
            f"{modules} module launches besides",
        ),
        ("total cost (MUSD)", f"{manifest.cost_musd:,.0f}", "all fleet flights"),
    ]
    return cards


def _nonzero(value: float, fmt: str = ",.0f") -> str:
    text = num(value, fmt)
    return EMPTY if not any(ch in "123456789" for ch in text) else text


def flights_by_vehicle(plan: Plan) -> Table:
    """Flights of each vehicle by role, with their cargo, seats and cost, and a total row."""
    ops = plan.operations
    flights = [] if ops is None else [f for f in ops.manifest.flights if f.vehicle is not None]
    roles = [r for r in FlightRole if any(f.role is r for f in flights)]
    rows: list[list[str]] = []
    vehicles = [v for v in vehicle_colors(plan) if any(f.vehicle == v for f in flights)]
    groups: list[tuple[str, list[Flight]]] = [
        (v, [f for f in flights if f.vehicle == v]) for v in vehicles
    ]
    if len(groups) > 1:
        groups.append(("total", flights))
    for name, mine in groups:
        counts = Counter(f.role for f in mine)
        rows.append(
            [name]
            + [str(counts[r]) if counts[r] else EMPTY for r in roles]
            + [
                str(len(mine)),
                _nonzero(sum(f.crew_up for f in mine)),
                _nonzero(sum(f.cargo_kg for f in mine) / 1000.0, ",.1f"),
                _nonzero(sum(f.return_kg for f in mine) / 1000.0, ",.1f"),
                _nonzero(sum(f.cost_musd for f in mine)),
            ]
        )
    headers = (
        ["vehicle"]
        + [f"{r.value} flights" for r in roles]
        + ["flights", "crew up", "cargo up t", "return t", "cost MUSD"]
    )
    numeric = [False] + [True] * (len(headers) - 1)
    classes = [""] * (len(rows) - 1) + ["total"] if len(groups) > 1 else []
    return Table(headers, numeric, rows, classes).without_empty_columns()


def _hm(value: datetime | None) -> str:
    return EMPTY if value is None else f"{value:%Y-%m-%d %H:%M}"


FLIGHT_COLUMNS: list[Column[Flight]] = [
    Column("flight", lambda f: f.flight),
    Column("vehicle", lambda f: f.vehicle or EMPTY),
    Column("role", lambda f: f.role.value),
    Column("station", lambda f: f.station),
    Column("site", lambda f: f.site or EMPTY, wrap=True),
    Column("launch UTC", lambda f: _hm(f.launch_utc)),
    Column("docking", lambda f: day(f.docking_utc)),
    Column("port", lambda f: f.port or EMPTY),
    Column("undocking", lambda f: day(f.undocking_utc)),
    Column("crew up", lambda f: str(f.crew_up) if f.crew_up else EMPTY, numeric=True),
    Column("crew down", lambda f: str(f.crew_down) if f.crew_down else EMPTY, numeric=True),
    Column("cargo up kg", lambda f: num(f.cargo_kg) if f.cargo_kg else EMPTY, numeric=True),
    Column("return kg", lambda f: num(f.return_kg) if f.return_kg else EMPTY, numeric=True),
    Column("cost MUSD", lambda f: num(f.cost_musd) if f.cost_musd else EMPTY, numeric=True),
    Column("note", lambda f: f.note or EMPTY, wrap=True),
]


def manifest_table(plan: Plan) -> Table:
    """Every flight of the manifest in launch order (columns without a value dropped)."""
    ops = plan.operations
    flights = [] if ops is None else sorted(ops.manifest.flights, key=lambda f: f.launch_utc)
    columns = FLIGHT_COLUMNS
    if len({f.station for f in flights}) <= 1:
        columns = [c for c in columns if c.header != "station"]
    return table(columns, flights)


def _stay_days(r: Rotation) -> str:
    return num((r.nominal_undock_utc - r.nominal_dock_utc).total_seconds() / 86400.0)


ROTATION_COLUMNS: list[Column[Rotation]] = [
    Column("rotation", lambda r: r.label),
    Column("station", lambda r: r.station),
    Column("docks (nominal)", lambda r: day(r.nominal_dock_utc)),
    Column("undocks (nominal)", lambda r: day(r.nominal_undock_utc)),
    Column("days", _stay_days, numeric=True),
    Column("flies up", lambda r: ", ".join(r.up) or EMPTY, wrap=True),
    Column("of them one-year", lambda r: ", ".join(r.one_year_up) or EMPTY, wrap=True),
    Column("one-year members home", lambda r: ", ".join(r.continuing) or EMPTY, wrap=True),
    Column("seats needed", lambda r: str(r.seats_needed), numeric=True),
]


def rotations_table(plan: Plan) -> Table:
    """The crew rotations: who flies up, stays a year or comes home, and when."""
    ops = plan.operations
    rotations = [] if ops is None else sorted(ops.rotations, key=lambda r: r.nominal_dock_utc)
    columns = ROTATION_COLUMNS
    if len({r.station for r in rotations}) <= 1:
        columns = [c for c in columns if c.header != "station"]
    return table(columns, list(rotations))


def class_summary_table(logistics: StationLogistics) -> Table:
    """Per class of supply: first day below reserve, smallest margin, unmet demand, end stock."""
    origin = logistics.days_utc[0] if logistics.days_utc else None

    def breach(day_index: int | None) -> str:
        if day_index is None:
            return "never"
        if origin is None:
            return f"day {day_index}"
        return day(origin + timedelta(days=day_index))

    rows = [
        [
            class_label(str(s.supply_class)),
            breach(s.first_breach_day),
            num(s.min_margin_days, ",.1f"),
            num(s.unmet_kg) if round(s.unmet_kg) > 0 else EMPTY,
            num(s.end_stock_kg),
        ]
        for s in logistics.summaries
    ]
    marks = ["warning" if s.first_breach_day is not None else "" for s in logistics.summaries]
    return Table(
        ["class", "first below reserve", "smallest margin days", "unmet kg", "stock at end kg"],
        [False, False, True, True, True],
        rows,
        marks,
    ).without_empty_columns()


def gap_table(logistics: StationLogistics) -> Table:
    """The gap report as periods x classes (the deepest shortfall below reserve in each period,
    kg); only the classes and periods with a gap."""
    classes = list(dict.fromkeys(str(g.supply_class) for g in logistics.gaps))
    periods = list(dict.fromkeys(g.period for g in logistics.gaps))
    kg = {(g.period, str(g.supply_class)): g.kg for g in logistics.gaps}
    rows = [[p] + [num(kg[(p, c)]) if (p, c) in kg else EMPTY for c in classes] for p in periods]
    return Table(
        ["period"] + [f"{class_label(c)} kg" for c in classes],
        [False] + [True] * len(classes),
        rows,
    )


def deficits_table(budget: PowerBudget) -> Table:
    """The runs of days with a negative energy margin of one station."""
    rows = [
        [
            day(d.first_day_utc),
            day(d.last_day_utc),
            str(d.days),
            num(d.orbits),
            day(d.worst_day_utc),
            num(d.worst_margin_kwh_per_orbit, ",.1f"),
            num(d.deficit_kwh),
            num(100.0 * d.min_soc_fraction, ".0f"),
        ]
        for d in budget.deficits
    ]
    return Table(
        [
            "from",
            "to",
            "days",
            "orbits",
            "worst day",
            "worst kWh/orbit",
            "deficit kWh",
            "lowest charge %",
        ],
        [False, False, True, True, False, True, True, True],
        rows,
        ["warning"] * len(rows),
    )


def risk_cards(risk: RiskSummary) -> list[tuple[str, str, str]]:
    """(label, value, note) headline cards of one station's Monte Carlo."""
    return [
        ("any reserve break", f"{risk.p_any_reserve_break:.1%}", "of runs, any class"),
        ("crew reduction", f"{risk.p_crew_reduction:.1%}", "of runs"),
        ("lifeboat break", f"{risk.p_lifeboat_break:.1%}", "of runs: fewer seats than crew"),
        ("flights lost", f"{risk.mean_flights_lost:.2f}", f"mean over {risk.runs:,} runs"),
    ]


def loss_table(plan: Plan, risk: RiskSummary) -> Table:
    """Loss probability per flight of each vehicle that flies to the station."""
    ops = plan.operations
    flown = Counter(
        f.vehicle
        for f in ([] if ops is None else ops.manifest.flights)
        if f.vehicle is not None and f.station == risk.station
    )
    names = [v for v in vehicle_colors(plan) if v in risk.loss_probability]
    names += [v for v in risk.loss_probability if v not in names]
    if any(flown[v] for v in names):  # the vehicles that fly to this station
        names = [v for v in names if flown[v]]
    rows = [
        [
            v,
            f"{risk.loss_probability[v]:.2%}",
            str(flown[v]) if flown[v] else EMPTY,
            num(flown[v] * risk.loss_probability[v], ".2f") if flown[v] else EMPTY,
        ]
        for v in names
    ]
    return Table(
        ["vehicle", "loss probability per flight", "flights", "expected losses"],
        [False, True, True, True],
        rows,
    ).without_empty_columns()


def margin_percentiles_table(risk: RiskSummary) -> Table:
    """Per class: probability of a reserve break and percentiles of the smallest margin."""
    qs = sorted({q for m in risk.margins for q, _ in m.percentiles_days})
    rows = []
    for m in risk.margins:
        at = dict(m.percentiles_days)
        rows.append(
            [class_label(m.supply_class), f"{m.p_reserve_break:.1%}"]
            + [num(at.get(q), ",.0f") for q in qs]
        )
    return Table(
        ["class", "P(reserve break)"] + [f"P{q:g} margin days" for q in qs],
        [False] + [True] * (len(qs) + 1),
        rows,
        ["warning" if m.p_reserve_break > 0 else "" for m in risk.margins],
    ).without_empty_columns()


def slip_table(risk: RiskSummary) -> tuple[Table, int]:
    """The cargo flights whose slip alone breaks a reserve (first break, class), and how many
    other flights slip without a break."""
    breaking = [s for s in risk.slip_30_days if s.first_break_utc is not None]
    breaking.sort(key=lambda s: s.first_break_utc or datetime.max)
    rows = [
        [
            s.flight,
            num(s.slip_days, ".0f"),
            day(s.first_break_utc),
            class_label(s.supply_class or ""),
        ]
        for s in breaking
    ]
    return (
        Table(
            ["flight", "slip days", "first reserve break", "class"],
            [False, True, False, False],
            rows,
            ["warning"] * len(rows),
        ),
        len(risk.slip_30_days) - len(breaking),
    )


# --------------------------------------------------------------------------- the section


@dataclass
class StationSupplyView:
    """Supplies of one station: the stock panels, the per-class summary and the gaps."""

    station: str
    figure: str
    summary: Table
    gaps: Table
    trash_removed_kg: float
    trash_left_kg: float


@dataclass
class StationPowerView:
    """Power of one station: its deficits and how many days shed load."""

    station: str
    deficits: Table
    shed_days: int
    days: int


@dataclass
class StationRiskView:
    """Monte Carlo of one station: headline cards, losses, margins and the slip cases."""

    station: str
    runs: int
    seed: int
    cards: list[tuple[str, str, str]]
    losses: Table
    percentiles: Table
    histograms: str
    slips: Table
    slips_harmless: int


@dataclass
class OperationsView:
    """All the page's Operations section shows; ``why_empty`` says why it shows nothing."""

    why_empty: str = ""
    explanation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    solver: list[tuple[str, str, str]] = field(default_factory=list)
    by_vehicle: Table | None = None
    has_flights: bool = False
    gantt: str = ""
    crew: str = ""
    supplies: list[StationSupplyView] = field(default_factory=list)
    power: str = ""
    power_stations: list[StationPowerView] = field(default_factory=list)
    risk: list[StationRiskView] = field(default_factory=list)
    manifest: Table | None = None
    rotations: Table | None = None


def html(fig: go.Figure | None) -> str:
    """A figure as a fragment of the page; '' for no figure."""
    return "" if fig is None else to_html(fig)


def _notes(ops: Operations) -> list[str]:
    return list(dict.fromkeys([*ops.manifest.notes, *ops.notes]))


def operations_view(plan: Plan) -> OperationsView:
    """Everything the Operations section of the page shows for ``plan``."""
    ops = plan.operations
    if ops is None:
        return OperationsView(
            why_empty="This plan has no operations part: no crew plan, manifest, logistics, "
            "power or risk were computed for it."
        )
    manifest = ops.manifest
    view = OperationsView(
        explanation=list(manifest.explanation),
        notes=_notes(ops),
        solver=solver_cards(manifest),
        has_flights=any(f.vehicle is not None for f in manifest.flights),
        rotations=rotations_table(plan) if ops.rotations else None,
        power=html(power_margin(plan)),
        power_stations=[
            StationPowerView(
                station=b.station,
                deficits=deficits_table(b),
                shed_days=sum(b.soc_floor_reached),
                days=len(b.days_utc),
            )
            for b in ops.power
            if b.days_utc
        ],
    )
    if not view.has_flights:
        return view
    view.by_vehicle = flights_by_vehicle(plan)
    view.gantt = html(manifest_gantt(plan))
    view.crew = html(crew_aboard(plan))
    view.manifest = manifest_table(plan)
    view.supplies = [
        StationSupplyView(
            station=lg.station,
            figure=html(supply_stock(plan, lg)),
            summary=class_summary_table(lg),
            gaps=gap_table(lg),
            trash_removed_kg=lg.trash_removed_kg,
            trash_left_kg=lg.trash_left_kg,
        )
        for lg in ops.logistics
    ]
    for r in ops.risk:
        slips, harmless = slip_table(r)
        view.risk.append(
            StationRiskView(
                station=r.station,
                runs=r.runs,
                seed=r.seed,
                cards=risk_cards(r),
                losses=loss_table(plan, r),
                percentiles=margin_percentiles_table(r),
                histograms=html(margin_histograms(r)),
                slips=slips,
                slips_harmless=harmless,
            )
        )
    return view
