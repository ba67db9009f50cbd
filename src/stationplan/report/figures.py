"""Plotly figures of the plan, rendered as HTML fragments (the page embeds plotly.js once)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

import numpy as np
import plotly.graph_objects as go

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


def owner_colors(plan: Plan) -> dict[str, str]:
    """A stable colour per partner / provider code, in plan order."""
    codes = [p.code for p in plan.partners] + sorted({v.operator for v in plan.fleet})
    out: dict[str, str] = {}
    for code in codes:
        out.setdefault(code, PALETTE[len(out) % len(PALETTE)])
    return out


def _html(fig: go.Figure) -> str:
    fig.update_layout(
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


def _ms(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() * 1000.0


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
                base=[a.isoformat()],
                orientation="h",
                marker_color=color,
                showlegend=False,
                hovertemplate=f"{label}<br>{what}<br>{a:%Y-%m-%d} to {b:%Y-%m-%d}<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(type="date", range=[plan.programme.start_utc.isoformat(), end.isoformat()])
    fig.update_layout(
        title="Programme timeline and assembly sequence",
        barmode="overlay",
        height=max(300, 26 * len(rows) + 80),
    )
    return _html(fig)


def buildup(plan: Plan) -> str:
    """Station mass and pressurized volume as modules arrive (step lines)."""
    fig = go.Figure()
    for st in plan.stations:
        if not st.build.steps:
            continue
        xs = [plan.programme.start_utc.isoformat()]
        mass = [st.build.start_mass_kg / 1000.0]
        volume = [0.0]
        for step in st.build.steps:
            xs.append((step.launch_utc or plan.programme.start_utc).isoformat())
            mass.append(step.station_mass_kg / 1000.0)
            volume.append(step.pressurized_volume_m3)
        xs.append(st.in_service_to_utc.isoformat())
        mass.append(mass[-1])
        volume.append(volume[-1])
        fig.add_trace(
            go.Scatter(
                x=xs, y=mass, mode="lines+markers", line_shape="hv", name=f"{st.name} mass (t)"
            )
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=volume,
                mode="lines",
                line_shape="hv",
                line_dash="dot",
                name=f"{st.name} pressurized volume (m³)",
                yaxis="y2",
            )
        )
    fig.update_layout(
        title="Build-up as modules arrive",
        yaxis={"title": "mass (t)"},
        yaxis2={"title": "pressurized volume (m³)", "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": -0.2},
        height=380,
    )
    return _html(fig)


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
                y=values,
                name=name,
                hovertemplate="%{x}: %{y:.1f} %<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="Entitlement vs hardware contributed (% of total)",
        barmode="group",
        yaxis={"title": "%"},
        height=360,
        legend={"orientation": "h", "y": -0.2},
    )
    return _html(fig)


def fleet_capacity(plan: Plan) -> str:
    """Yearly cargo and seat capacity of each vehicle at its maximum flight rate."""
    names = [v.name for v in plan.fleet]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=names,
            y=[v.cargo_up_kg_per_year / 1000.0 for v in plan.fleet],
            name="cargo up (t/year)",
            offsetgroup="cargo",
        )
    )
    fig.add_trace(
        go.Bar(
            x=names,
            y=[v.seats_per_year for v in plan.fleet],
            name="crew seats (per year)",
            offsetgroup="seats",
            yaxis="y2",
        )
    )
    fig.update_layout(
        title="Fleet capacity at the maximum flight rate",
        barmode="group",
        height=340,
        yaxis={"title": "t/year"},
        yaxis2={"title": "seats/year", "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": -0.25},
    )
    return _html(fig)


def _land_mask() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0.5-degree land mask shipped with the package (see tools/make_land_mask.py)."""
    with (
        resources.files("stationplan.report").joinpath("data/land_mask_0p5deg.npz").open("rb") as fh
    ):
        data = np.load(fh)
        shape = tuple(int(x) for x in data["shape"])
        land = np.unpackbits(data["land_bits"])[: shape[0] * shape[1]].reshape(shape)
        return data["lat_deg"], data["lon_deg"], land


def _split_antimeridian(
    lat: list[float], lon: list[float]
) -> tuple[list[float | None], list[float | None]]:
    out_lat: list[float | None] = []
    out_lon: list[float | None] = []
    for i, (a, o) in enumerate(zip(lat, lon, strict=True)):
        if i and abs(o - lon[i - 1]) > 180.0:
            out_lat.append(None)
            out_lon.append(None)
        out_lat.append(a)
        out_lon.append(o)
    return out_lat, out_lon


def ground_track(plan: Plan) -> str:
    """Ground tracks of the first orbits over an offline land mask, with ground stations."""
    lat, lon, land = _land_mask()
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=lon,
            y=lat,
            z=land.astype(float),
            showscale=False,
            hoverinfo="skip",
            colorscale=[[0.0, "#eaf2fb"], [1.0, "#cfd6c4"]],
            zsmooth=False,
        )
    )
    colors = PALETTE
    for k, orbit in enumerate(plan.orbits):
        la, lo = _split_antimeridian(orbit.ground_track_lat_deg, orbit.ground_track_lon_deg)
        fig.add_trace(
            go.Scatter(
                x=lo,
                y=la,
                mode="lines",
                name=f"{orbit.station} (first orbits)",
                line={"color": colors[k % len(colors)], "width": 2},
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
            )
        )
    fig.update_xaxes(
        range=[-180, 180], dtick=30, title="longitude (deg)", showgrid=False, constrain="domain"
    )
    fig.update_yaxes(
        range=[-90, 90],
        dtick=30,
        title="latitude (deg)",
        showgrid=False,
        scaleanchor="x",
        scaleratio=1,
    )
    fig.update_layout(
        title="Ground track of the first orbits",
        height=520,
        legend={"orientation": "h", "y": -0.15},
    )
    return _html(fig)


def beta_angle(plan: Plan) -> str:
    """Beta angle and sunlit fraction per day across each station's service."""
    fig = go.Figure()
    for k, orbit in enumerate(plan.orbits):
        dates = [b.date_utc.isoformat() for b in orbit.beta]
        color = PALETTE[k % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=[b.beta_deg for b in orbit.beta],
                mode="lines",
                name=f"{orbit.station} beta (deg)",
                line={"color": color},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=[100 * b.sunlit_fraction for b in orbit.beta],
                mode="lines",
                name=f"{orbit.station} sunlit (%)",
                yaxis="y2",
                line={"color": color, "dash": "dot", "width": 1},
            )
        )
    fig.update_layout(
        title="Beta angle and sunlit fraction of each orbit",
        height=380,
        yaxis={"title": "beta (deg)", "range": [-90, 90]},
        yaxis2={
            "title": "sunlit (% of orbit)",
            "overlaying": "y",
            "side": "right",
            "range": [50, 100],
        },
        legend={"orientation": "h", "y": -0.2},
    )
    return _html(fig)


def launch_times(plan: Plan) -> str:
    """Lift-off time of day (UTC) of every window across the programme, per vehicle and site.

    Windows whose insertion phase suits the vehicle's own profile are drawn solid, the others
    faint: the daily window drifts about 20 minutes earlier each day as the plane regresses.
    """
    fig = go.Figure()
    seen: set[tuple[str, str]] = set()
    for k, series in enumerate(plan.launch_windows):
        key = (series.site, series.strategy)
        if key in seen:  # vehicles sharing a site and profile share their windows
            continue
        seen.add(key)
        color = PALETTE[k % len(PALETTE)]
        fig.add_trace(
            go.Scattergl(
                x=[d.isoformat() for d in series.launch_dates_utc],
                y=series.launch_time_utc_hours,
                mode="markers",
                marker={"size": 3, "color": color},
                name=f"{series.site} → {series.station} ({series.strategy})",
                hovertemplate="%{x}<br>lift-off %{y:.2f} h UTC<extra></extra>",
            )
        )
    fig.update_layout(
        title="Daily launch window: lift-off time (UTC) across the programme",
        yaxis={"title": "hour of day (UTC)", "range": [0, 24], "dtick": 3},
        height=360,
        legend={"orientation": "h", "y": -0.2},
    )
    return _html(fig)


def altitude_profile(plan: Plan) -> str:
    """Mean altitude of each station with its band and reboost markers."""
    fig = go.Figure()
    for k, life in enumerate(plan.lifetime):
        if not life.days_utc:
            continue
        color = PALETTE[k % len(PALETTE)]
        x = [d.isoformat() for d in life.days_utc]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=life.mean_altitude_km,
                mode="lines",
                name=f"{life.station} mean altitude",
                line={"color": color},
            )
        )
        for edge in life.band_km:
            fig.add_trace(
                go.Scatter(
                    x=[x[0], x[-1]],
                    y=[edge, edge],
                    mode="lines",
                    line={"color": color, "dash": "dot", "width": 1},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        if life.reboosts:
            fig.add_trace(
                go.Scatter(
                    x=[r.time_utc.isoformat() for r in life.reboosts],
                    y=[r.altitude_after_km for r in life.reboosts],
                    mode="markers",
                    marker={"symbol": "triangle-up", "size": 9, "color": color},
                    name=f"{life.station} reboosts",
                    text=[
                        f"{r.dv_m_s:.1f} m/s, {r.propellant_kg:,.0f} kg, "
                        f"burn {r.burn_s / 60:.0f} min"
                        for r in life.reboosts
                    ],
                    hovertemplate="%{x}<br>%{text}<extra></extra>",
                )
            )
    fig.update_layout(
        title="Mean altitude (semi-major axis - 6378.137 km) with reboosts",
        yaxis={"title": "km"},
        height=380,
        legend={"orientation": "h", "y": -0.2},
    )
    return _html(fig)
