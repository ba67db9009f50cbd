"""Plotly figures of the plan, rendered as HTML fragments (the page embeds plotly.js once).

The page loads the plotly.js *basic* bundle (see ``assets/``), whose trace modules are
:data:`BUNDLE_TRACE_TYPES`: every figure here is drawn with those traces plus layout images,
shapes and range selectors (all in the plotly.js core). :func:`to_html` refuses any other
trace type, so a figure that the page could not draw fails when the report is rendered, not
silently in the reader's browser.

Data are kept small: evenly spaced series are sent as a start and a step (``x0``/``dx``),
values as float32 typed arrays (base64 in the page), dates without a time when they fall on
midnight, and one slim template instead of plotly's full default per figure.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from numpy.typing import NDArray
from plotly.subplots import make_subplots

from stationplan.ops.station_orbit import StationOrbit
from stationplan.plan.model import Plan

PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]

BUNDLE_TRACE_TYPES = frozenset({"bar", "pie", "scatter"})
"""Trace modules of the vendored plotly.js basic bundle (``assets/plotly-basic.min.js``)."""

LAND_RGB = (0xCF, 0xD6, 0xC4)
SEA_RGB = (0xEA, 0xF2, 0xFB)
MS_PER_DAY = 86_400_000.0

_NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0, 10.0)
_INTEGER_MANTISSAS = (1.0, 2.0, 5.0, 10.0)
_GRID_INTERVALS = (4, 5, 6, 7, 8)
_RANGE_BUTTONS = [
    {"count": 6, "label": "6 months", "step": "month", "stepmode": "backward"},
    {"count": 1, "label": "1 year", "step": "year", "stepmode": "backward"},
    {"step": "all", "label": "whole service"},
]


def owner_colors(plan: Plan) -> dict[str, str]:
    """A stable colour per partner / provider code, in plan order."""
    codes = [p.code for p in plan.partners] + sorted({v.operator for v in plan.fleet})
    out: dict[str, str] = {}
    for code in codes:
        out.setdefault(code, PALETTE[len(out) % len(PALETTE)])
    return out


def _slim_template() -> dict[str, Any]:
    """plotly_white reduced to the layout keys and trace types this report uses."""
    full = pio.templates["plotly_white"].to_plotly_json()
    keep = (
        "autotypenumbers",
        "colorway",
        "font",
        "hovermode",
        "hoverlabel",
        "paper_bgcolor",
        "plot_bgcolor",
        "xaxis",
        "yaxis",
        "title",
        "shapedefaults",
        "annotationdefaults",
    )
    layout = {k: v for k, v in full["layout"].items() if k in keep}
    data = {k: v for k, v in full["data"].items() if k in BUNDLE_TRACE_TYPES}
    return {"layout": layout, "data": data}


_TEMPLATE = _slim_template()


def to_html(fig: go.Figure) -> str:
    """The figure as an HTML fragment for the page (plotly.js is not included).

    Raises ``ValueError`` for a trace type the page's plotly.js bundle cannot draw.
    """
    for trace in fig.data:
        if trace.type not in BUNDLE_TRACE_TYPES:
            raise ValueError(
                f"trace type {trace.type!r} is not in the report's plotly.js bundle "
                f"({', '.join(sorted(BUNDLE_TRACE_TYPES))}); see report/assets/README.md"
            )
    margin = {"l": 10, "r": 10, "t": 40, "b": 10}
    margin.update({k: v for k, v in fig.layout.margin.to_plotly_json().items() if k in margin})
    fig.layout.template = _TEMPLATE  # assigned, not merged into make_subplots' default
    fig.update_layout(
        margin=margin,
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


def rgba(color: str, alpha: float) -> str:
    """``#rrggbb`` as a CSS ``rgba()`` with opacity ``alpha``.

    >>> rgba("#1f77b4", 0.1)
    'rgba(31,119,180,0.1)'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def _ms(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() * 1000.0


def day_text(value: datetime) -> str:
    """A plotly date string in UTC: the day alone at midnight, else to the second.

    >>> day_text(datetime(2024, 9, 15, tzinfo=UTC)), day_text(datetime(2024, 9, 15, 7, 35, 26))
    ('2024-09-15', '2024-09-15 07:35:26')
    """
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return f"{value:%Y-%m-%d}"
    return f"{value:%Y-%m-%d %H:%M:%S}"


def f32(values: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float32]:
    """Values as float32 (a compact typed array in the page; ~7 significant digits)."""
    return np.asarray(values, dtype=np.float32)


def time_axis(times: Sequence[datetime]) -> dict[str, Any]:
    """Trace keywords placing ``times`` on a date axis: ``x0``/``dx`` when evenly spaced.

    >>> from datetime import timedelta
    >>> t0 = datetime(2024, 1, 1)
    >>> time_axis([t0 + timedelta(days=k) for k in range(3)])
    {'x0': '2024-01-01', 'dx': 86400000.0}
    >>> time_axis([t0, t0 + timedelta(days=1), t0 + timedelta(days=3)])["x"]
    ['2024-01-01', '2024-01-02', '2024-01-04']
    """
    if len(times) >= 2:
        steps = {round(_ms(a, b)) for a, b in pairwise(times)}
        if len(steps) == 1 and (step := steps.pop()) > 0:
            return {"x0": day_text(times[0]), "dx": float(step)}
    return {"x": [day_text(t) for t in times]}


def nice_step(raw: float, *, integer: bool = False) -> float:
    """The smallest round step (1, 2, 2.5 or 5 x 10^k; no 2.5 when ``integer``) >= ``raw``.

    >>> nice_step(21.07), nice_step(3.6), nice_step(0.031), nice_step(2.4, integer=True)
    (25.0, 5.0, 0.05, 5.0)
    """
    if not (raw > 0 and math.isfinite(raw)):
        return 1.0
    mantissas = _INTEGER_MANTISSAS if integer else _NICE_MANTISSAS
    exponent = math.floor(math.log10(raw))
    if integer:
        exponent = max(exponent, 0)
    for m in mantissas:
        step = float(f"{m * 10.0**exponent:.12g}")
        if step >= raw * (1.0 - 1e-9):
            return step
    return float(f"{10.0 ** (exponent + 1):.12g}")


def aligned_ticks(
    tops: Sequence[float], integer: Sequence[bool] | None = None
) -> tuple[int, list[float]]:
    """Grid intervals ``n`` and one round step per axis for axes that start at zero.

    Every axis then runs from 0 to ``n x step`` with a tick every ``step``: the axes share
    their grid lines and every tick is a round number. ``n`` (4 to 8) wastes the least
    height above the highest value of each axis. ``integer`` marks counts (seats): whole
    steps only.

    >>> aligned_ticks([126.4, 574.0])
    (6, [25.0, 100.0])
    """
    flags = list(integer) if integer is not None else [False] * len(tops)
    best: tuple[float, int, list[float]] | None = None
    for n in _GRID_INTERVALS:
        steps = [
            nice_step((top if top > 0 else 1.0) / n, integer=flag)
            for top, flag in zip(tops, flags, strict=True)
        ]
        waste = sum(
            1.0 - (top if top > 0 else 0.0) / (n * step)
            for top, step in zip(tops, steps, strict=True)
        )
        if best is None or waste < best[0] - 1e-9:
            best = (waste, n, steps)
    assert best is not None
    return best[1], best[2]


def zero_based_axis(n: int, step: float, title: str) -> dict[str, Any]:
    """Layout of an axis from 0 to ``n x step`` ticked every ``step``."""
    return {
        "title": title,
        "range": [0, n * step],
        "tickmode": "linear",
        "tick0": 0,
        "dtick": step,
    }


def timeline_gantt(plan: Plan) -> str:
    """Gantt of the programme: stations in service, partner membership, modules in orbit."""
    colors = owner_colors(plan)
    end = plan.programme.end_utc
    fig = go.Figure()
    rows: list[tuple[str, datetime, datetime, str, str]] = []
    for st in plan.stations:
        rows.append(
            (
                f"Station: {st.name}",
                st.in_service_from_utc,
                st.in_service_to_utc,
                "#444444",
                "in service",
            )
        )
    for p in plan.partners:
        rows.append(
            (
                f"Partner: {p.code}",
                max(p.join_utc, plan.programme.start_utc),
                p.withdraw_utc or end,
                colors[p.code],
                "member",
            )
        )
    for st in plan.stations:
        for step in st.build.steps:
            start = step.launch_utc or plan.programme.start_utc
            rows.append(
                (
                    f"{st.name}: {step.module}",
                    start,
                    st.in_service_to_utc,
                    colors.get(step.owner, "#999999"),
                    f"owner {step.owner}",
                )
            )
    for label, a, b, color, what in rows:
        fig.add_trace(
            go.Bar(
                y=[label],
                x=[_ms(a, b)],
                base=[day_text(a)],
                orientation="h",
                marker_color=color,
                showlegend=False,
                hovertemplate=f"{label}<br>{what}<br>{a:%Y-%m-%d} to {b:%Y-%m-%d}<extra></extra>",
            )
        )
    for k, variant in enumerate(plan.variants):
        if variant.date_utc is None:
            continue
        x = day_text(variant.date_utc)
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": "#9a3b00", "dash": "dash", "width": 1.5},
        )
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            yshift=4 + 14 * k,
            text=f"variant: {variant.name}",
            showarrow=False,
            xanchor="left",
            font={"size": 11, "color": "#9a3b00"},
        )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(type="date", range=[day_text(plan.programme.start_utc), day_text(end)])
    fig.update_layout(
        title="Programme timeline and assembly sequence",
        barmode="overlay",
        height=max(300, 26 * len(rows) + 80),
    )
    return to_html(fig)


def buildup(plan: Plan) -> str:
    """Station mass and pressurized volume as modules arrive (step lines, aligned round axes)."""
    fig = go.Figure()
    top_mass = top_volume = 0.0
    for k, st in enumerate(plan.stations):
        if not st.build.steps:
            continue
        color = PALETTE[k % len(PALETTE)]
        xs = [st.in_service_from_utc]
        mass = [st.build.start_mass_kg / 1000.0]
        volume = [0.0]
        for step in st.build.steps:
            xs.append(step.launch_utc or st.in_service_from_utc)
            mass.append(step.station_mass_kg / 1000.0)
            volume.append(step.pressurized_volume_m3)
        xs.append(st.in_service_to_utc)
        mass.append(mass[-1])
        volume.append(volume[-1])
        top_mass, top_volume = max(top_mass, *mass), max(top_volume, *volume)
        x = [day_text(t) for t in xs]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=f32(mass),
                mode="lines+markers",
                line={"shape": "hv", "color": color},
                name=f"{st.name} mass (t)",
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.1f} t<extra>" + st.name + "</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=f32(volume),
                mode="lines",
                line={"shape": "hv", "dash": "dot", "color": color},
                name=f"{st.name} pressurized volume (m³)",
                yaxis="y2",
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} m³<extra>" + st.name + "</extra>",
            )
        )
    n, (mass_step, volume_step) = aligned_ticks([top_mass, top_volume])
    fig.update_layout(
        title="Build-up as modules arrive",
        xaxis={
            "type": "date",
            "range": [day_text(plan.programme.start_utc), day_text(plan.programme.end_utc)],
        },
        yaxis=zero_based_axis(n, mass_step, "mass (t), solid"),
        yaxis2={
            **zero_based_axis(n, volume_step, "pressurized volume (m³), dotted"),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.2},
        height=380,
    )
    return to_html(fig)


def partner_shares(plan: Plan) -> str:
    """Each partner's utilisation entitlement beside its shares of the hardware."""
    codes = [p.code for p in plan.partners]
    fig = go.Figure()
    series = [
        ("utilisation entitlement", [p.utilization_share_pct for p in plan.partners]),
        ("module mass", [p.module_mass_share_pct for p in plan.partners]),
        ("pressurized volume", [p.pressurized_volume_share_pct for p in plan.partners]),
        ("array power", [p.power_generation_share_pct for p in plan.partners]),
    ]
    for name, values in series:
        fig.add_trace(
            go.Bar(
                x=codes,
                y=f32(values),
                name=name,
                hovertemplate="%{x}: %{y:.1f} %<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="Entitlement vs hardware contributed (% of total)",
        barmode="group",
        yaxis={"title": "%", "rangemode": "tozero"},
        height=360,
        legend={"orientation": "h", "y": -0.2},
    )
    return to_html(fig)


def partner_spending(plan: Plan) -> str:
    """Each partner's cumulative spending by year (MUSD); empty without a ledger."""
    if plan.partnership is None:
        return ""
    fig = go.Figure()
    colors = owner_colors(plan)
    for p in plan.partners:
        rows = [r for r in plan.partnership.finance if r.partner == p.code]
        fig.add_trace(
            go.Scatter(
                x=[r.year for r in rows],
                y=f32([r.cumulative_musd for r in rows]),
                name=p.code,
                mode="lines+markers",
                line={"color": colors.get(p.code)},
                hovertemplate="%{x}: %{y:,.0f} MUSD<extra>" + p.code + "</extra>",
            )
        )
    fig.update_layout(
        title="Cumulative spending per partner (MUSD)",
        xaxis={"title": "year", "dtick": 1},
        yaxis={"title": "MUSD", "rangemode": "tozero"},
        height=360,
        legend={"orientation": "h", "y": -0.2},
    )
    return to_html(fig)


def fleet_capacity(plan: Plan) -> str:
    """Yearly cargo and seat capacity of each vehicle at its maximum flight rate."""
    names = [v.name for v in plan.fleet]
    cargo_t = [v.cargo_up_kg_per_year / 1000.0 for v in plan.fleet]
    seats = [v.seats_per_year for v in plan.fleet]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=names,
            y=f32(cargo_t),
            name="cargo up (t/year)",
            offsetgroup="cargo",
            hovertemplate="%{x}: %{y:,.1f} t/year<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=names,
            y=f32(seats),
            name="crew seats (per year)",
            offsetgroup="seats",
            yaxis="y2",
            hovertemplate="%{x}: %{y:.0f} seats/year<extra></extra>",
        )
    )
    n, (cargo_step, seat_step) = aligned_ticks(
        [max(cargo_t, default=0.0), max(seats, default=0.0)], integer=[False, True]
    )
    fig.update_layout(
        title="Fleet capacity at the maximum flight rate",
        barmode="group",
        height=340,
        yaxis=zero_based_axis(n, cargo_step, "cargo t/year"),
        yaxis2={
            **zero_based_axis(n, seat_step, "seats/year"),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.25},
    )
    return to_html(fig)


def _land_mask() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.uint8]]:
    """0.5-degree land mask shipped with the package (see tools/make_land_mask.py)."""
    with (
        resources.files("stationplan.report").joinpath("data/land_mask_0p5deg.npz").open("rb") as fh
    ):
        data = np.load(fh)
        shape = tuple(int(x) for x in data["shape"])
        land = np.unpackbits(data["land_bits"])[: shape[0] * shape[1]].reshape(shape)
        return data["lat_deg"], data["lon_deg"], land


def png_two_colour(
    mask: NDArray[np.bool_] | NDArray[np.uint8],
    off_rgb: tuple[int, int, int],
    on_rgb: tuple[int, int, int],
) -> bytes:
    """A 1-bit palette PNG of ``mask`` (row 0 at the top), made with zlib alone."""
    height, width = mask.shape
    rows = np.packbits(np.asarray(mask, dtype=bool), axis=1)
    raw = np.hstack([np.zeros((height, 1), dtype=np.uint8), rows]).tobytes()  # filter 0

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 3, 0, 0, 0)  # 1 bit, palette
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", bytes([*off_rgb, *on_rgb]))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def land_image() -> dict[str, Any]:
    """The land mask as a layout image (PNG data URI) in longitude/latitude axis units."""
    lat, lon, land = _land_mask()
    d_lat, d_lon = float(lat[1] - lat[0]), float(lon[1] - lon[0])
    north_up = land[::-1] if d_lat > 0 else land
    png = png_two_colour(north_up, SEA_RGB, LAND_RGB)
    return {
        "source": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "xref": "x",
        "yref": "y",
        "x": float(lon.min()) - abs(d_lon) / 2,
        "y": float(lat.max()) + abs(d_lat) / 2,
        "sizex": float(lon.max() - lon.min()) + abs(d_lon),
        "sizey": float(lat.max() - lat.min()) + abs(d_lat),
        "xanchor": "left",
        "yanchor": "top",
        "sizing": "stretch",
        "layer": "below",
    }


def _split_antimeridian(
    lat: list[float], lon: list[float]
) -> tuple[list[float | None], list[float | None]]:
    out_lat: list[float | None] = []
    out_lon: list[float | None] = []
    for i, (a, o) in enumerate(zip(lat, lon, strict=True)):
        if i and abs(o - lon[i - 1]) > 180.0:
            out_lat.append(None)
            out_lon.append(None)
        out_lat.append(round(a, 2))
        out_lon.append(round(o, 2))
    return out_lat, out_lon


def ground_track(plan: Plan) -> str:
    """Ground tracks of the first orbits over an offline land mask, with ground stations."""
    fig = go.Figure()
    for k, orbit in enumerate(plan.orbits):
        la, lo = _split_antimeridian(orbit.ground_track_lat_deg, orbit.ground_track_lon_deg)
        fig.add_trace(
            go.Scatter(
                x=lo,
                y=la,
                mode="lines",
                name=f"{orbit.station} (first orbits from {orbit.analysis_start_utc:%Y-%m-%d})",
                line={"color": PALETTE[k % len(PALETTE)], "width": 2},
                hovertemplate="%{y:.2f}°, %{x:.2f}°<extra>" + orbit.station + "</extra>",
            )
        )
    gs = plan.ground_stations_used
    if gs:
        fig.add_trace(
            go.Scatter(
                x=[g[2] for g in gs],
                y=[g[1] for g in gs],
                text=[g[0] for g in gs],
                mode="markers+text",
                textposition="top center",
                name="ground stations",
                marker={"symbol": "triangle-up", "size": 10, "color": "#222"},
                hovertemplate="%{text}<br>%{y:.2f}°, %{x:.2f}°<extra></extra>",
            )
        )
    fig.update_xaxes(
        range=[-180, 180],
        dtick=30,
        title="longitude (deg)",
        showgrid=False,
        zeroline=False,
        constrain="domain",
    )
    fig.update_yaxes(
        range=[-90, 90],
        dtick=30,
        title="latitude (deg)",
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    fig.update_layout(
        title="Ground track of the first orbits",
        images=[land_image()],
        height=640,
        legend={"orientation": "h", "y": -0.12},
    )
    return to_html(fig)


def eclipse_minutes_per_orbit(orbit: StationOrbit) -> NDArray[np.float64]:
    """Minutes in Earth's shadow per orbit on each beta day: (1 - sunlit fraction) x period."""
    sunlit = np.array([b.sunlit_fraction for b in orbit.beta], dtype=np.float64)
    return (1.0 - sunlit) * orbit.period_min


def beta_angle(plan: Plan) -> str:
    """Beta angle, sunlit fraction and eclipse minutes per orbit across each station's service.

    Three stacked panels on one time axis, each with its own round scale: beta (deg),
    sunlit share of the orbit (0-100 %) and minutes in shadow per orbit.
    """
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        row_heights=[0.4, 0.3, 0.3],
    )
    top_eclipse = 0.0
    for k, orbit in enumerate(plan.orbits):
        if not orbit.beta:
            continue
        color = PALETTE[k % len(PALETTE)]
        where = time_axis([b.date_utc for b in orbit.beta])
        eclipse = eclipse_minutes_per_orbit(orbit)
        top_eclipse = max(top_eclipse, float(eclipse.max()))
        panels: list[tuple[NDArray[np.float32], str]] = [
            (f32([b.beta_deg for b in orbit.beta]), "beta %{y:.1f}°"),
            (f32([100.0 * b.sunlit_fraction for b in orbit.beta]), "sunlit %{y:.1f} % of orbit"),
            (f32(eclipse), "eclipse %{y:.1f} min per orbit"),
        ]
        for row, (values, label) in enumerate(panels, start=1):
            fig.add_trace(
                go.Scatter(
                    **where,
                    y=values,
                    mode="lines",
                    name=orbit.station,
                    legendgroup=orbit.station,
                    showlegend=row == 1,
                    line={"color": color, "width": 1.5},
                    hovertemplate=f"%{{x|%Y-%m-%d}}: {label}<extra>{orbit.station}</extra>",
                ),
                row=row,
                col=1,
            )
    fig.update_yaxes(title="beta (deg)", range=[-90, 90], tickmode="linear", dtick=30, row=1, col=1)
    fig.update_yaxes(  # a little above 100 so a fully sunlit orbit's line is not cut in half
        title="sunlit (%)", range=[0, 102], tickmode="linear", dtick=25, row=2, col=1
    )
    n, (eclipse_step,) = aligned_ticks([top_eclipse])
    fig.update_yaxes(**zero_based_axis(n, eclipse_step, "eclipse (min/orbit)"), row=3, col=1)
    fig.update_xaxes(type="date")
    fig.update_xaxes(
        rangeselector={
            "buttons": _RANGE_BUTTONS,
            "x": 1,
            "xanchor": "right",
            "y": 1.02,
            "yanchor": "bottom",
        },
        row=1,
        col=1,
    )
    fig.update_layout(
        title={"text": "Beta angle, sunlit fraction and eclipse per orbit", "y": 0.98},
        height=640,
        margin_t=80,
        legend={"orientation": "h", "y": -0.08},
    )
    return to_html(fig)


def contact_trend(plan: Plan) -> str:
    """Minutes in view of each ground station per day, one sample day per quarter, a panel
    per station across its own service."""
    orbits = [o for o in plan.orbits if o.contact_trend]
    if not orbits:
        return ""
    names = [g[0] for g in plan.ground_stations_used]
    for o in orbits:
        names += [s.ground_station for s in o.contact_trend if s.ground_station not in names]
    colors = {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(names)}
    fig = make_subplots(
        rows=len(orbits),
        cols=1,
        subplot_titles=[f"{o.station}" for o in orbits],
        vertical_spacing=0.12 if len(orbits) > 1 else 0.0,
    )
    shown: set[str] = set()
    top = 0.0
    for row, orbit in enumerate(orbits, start=1):
        by_station: dict[str, list[tuple[datetime, float, int]]] = {}
        for s in orbit.contact_trend:
            by_station.setdefault(s.ground_station, []).append(
                (s.date_utc, s.contact_min_per_day, s.passes_per_day)
            )
        for name, samples in by_station.items():
            samples.sort()
            minutes = [m for _, m, _ in samples]
            top = max(top, *minutes)
            label = name if any(minutes) else f"{name} (never in view)"
            fig.add_trace(
                go.Scatter(
                    x=[day_text(d) for d, _, _ in samples],
                    y=f32(minutes),
                    customdata=[p for _, _, p in samples],
                    mode="lines+markers",
                    marker={"size": 5},
                    line={"color": colors[name], "width": 1.5},
                    name=label,
                    legendgroup=name,
                    showlegend=name not in shown,
                    hovertemplate="%{x|%Y-%m-%d}: %{y:.0f} min in view, %{customdata} passes"
                    "<extra>" + f"{name} · {orbit.station}" + "</extra>",
                ),
                row=row,
                col=1,
            )
            shown.add(name)
        span = next((st for st in plan.stations if st.name == orbit.station), None)
        fig.update_xaxes(
            type="date",
            range=None
            if span is None
            else [day_text(span.in_service_from_utc), day_text(span.in_service_to_utc)],
            row=row,
            col=1,
        )
    n, (step,) = aligned_ticks([top])
    fig.update_yaxes(**zero_based_axis(n, step, "min in view per day"))
    fig.update_layout(
        title="Ground-station contact per day across the service (one day per quarter)",
        height=200 + 230 * len(orbits),
        margin_t=80,
        legend={"orientation": "h", "y": -0.12},
    )
    return to_html(fig)


def launch_times(plan: Plan) -> str:
    """Lift-off time of day (UTC) of every window across the programme, per site and profile.

    The daily window drifts about 20 minutes earlier each day as the plane regresses; vehicles
    sharing a site and profile share their windows and are drawn once.
    """
    fig = go.Figure()
    seen: set[tuple[str, str, str]] = set()
    for k, series in enumerate(plan.launch_windows):
        key = (series.site, series.station, series.strategy)
        if key in seen:
            continue
        seen.add(key)
        vehicles = [
            w.vehicle for w in plan.launch_windows if (w.site, w.station, w.strategy) == key
        ]
        fig.add_trace(
            go.Scatter(
                x=[f"{d:%Y-%m-%d}" for d in series.launch_dates_utc],
                y=f32(series.launch_time_utc_hours),
                mode="markers",
                marker={"size": 3, "color": PALETTE[k % len(PALETTE)]},
                name=f"{series.site} → {series.station} ({series.strategy}: {', '.join(vehicles)})",
                hovertemplate="%{x|%Y-%m-%d}<br>lift-off %{y:.2f} h UTC<extra></extra>",
            )
        )
    fig.update_layout(
        title="Daily launch window: lift-off time (UTC) across the programme",
        xaxis={"type": "date"},
        yaxis={"title": "hour of day (UTC)", "range": [0, 24], "tickmode": "linear", "dtick": 3},
        height=380,
        legend={"orientation": "h", "y": -0.2},
    )
    return to_html(fig)


def _band_range(band: tuple[float, float], values: Sequence[float]) -> list[float]:
    """A y range showing the band and every value, with a margin of a fifth of the band."""
    lo, hi = min(band[0], *values), max(band[1], *values)
    pad = 0.2 * max(hi - lo, 1.0)
    return [lo - pad, hi + pad]


def altitude_profile(plan: Plan) -> str:
    """Mean altitude of each station in its own panel over its own span, band and reboosts."""
    lives = [life for life in plan.lifetime if life.days_utc]
    if not lives:
        return ""
    fig = make_subplots(
        rows=len(lives),
        cols=1,
        subplot_titles=[
            f"{life.station}: {life.start_utc:%Y-%m-%d} to {life.end_utc:%Y-%m-%d}, "
            f"band {life.band_km[0]:g}–{life.band_km[1]:g} km, {len(life.reboosts)} reboost(s)"
            for life in lives
        ],
        vertical_spacing=0.14 if len(lives) > 1 else 0.0,
    )
    for row, life in enumerate(lives, start=1):
        k = next(i for i, o in enumerate(plan.lifetime) if o is life)
        color = PALETTE[k % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                **time_axis(life.days_utc),
                y=f32(life.mean_altitude_km),
                mode="lines",
                name=f"{life.station} mean altitude",
                line={"color": color},
                hovertemplate="%{x|%Y-%m-%d}: %{y:.1f} km<extra>" + life.station + "</extra>",
            ),
            row=row,
            col=1,
        )
        if life.reboosts:
            fig.add_trace(
                go.Scatter(
                    x=[day_text(r.time_utc) for r in life.reboosts],
                    y=f32([r.altitude_after_km for r in life.reboosts]),
                    mode="markers",
                    marker={"symbol": "triangle-up", "size": 9, "color": color},
                    name=f"{life.station} reboosts",
                    text=[
                        f"{r.dv_m_s:.1f} m/s, {r.propellant_kg:,.0f} kg, "
                        f"burn {r.burn_s / 60:.0f} min"
                        for r in life.reboosts
                    ],
                    hovertemplate="%{x|%Y-%m-%d}<br>%{text}<extra>reboost</extra>",
                ),
                row=row,
                col=1,
            )
        fig.add_hrect(  # after the traces: plotly drops shapes on a subplot still empty
            y0=life.band_km[0],
            y1=life.band_km[1],
            fillcolor=rgba(color, 0.08),
            line={"color": rgba(color, 0.7), "width": 1, "dash": "dot"},
            layer="below",
            row=row,
            col=1,
        )
        fig.update_xaxes(
            type="date", range=[day_text(life.start_utc), day_text(life.end_utc)], row=row, col=1
        )
        fig.update_yaxes(
            title="km", range=_band_range(life.band_km, life.mean_altitude_km), row=row, col=1
        )
    fig.update_layout(
        title="Mean altitude (semi-major axis - 6378.137 km) in the band, with reboosts",
        height=160 + 260 * len(lives),
        margin_t=80,
        legend={"orientation": "h", "y": -0.12},
    )
    return to_html(fig)
