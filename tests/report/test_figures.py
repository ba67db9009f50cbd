"""Figure helpers of the report: round aligned ticks, the land-mask PNG, compact time axes,
eclipse minutes, fleet cost cells and the plotly.js bundle the page embeds."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from datetime import UTC, datetime, timedelta

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st
from plotly.offline import get_plotlyjs_version

from stationplan.ops.fleet import VehicleCapability
from stationplan.ops.station_orbit import BetaSample, StationOrbit
from stationplan.plan.model import Plan
from stationplan.report import figures
from stationplan.report.html import cost_per_kg, cost_per_seat, full_sun_beta_deg, plotly_js


def _is_round(step: float) -> bool:
    mantissa = step / 10.0 ** np.floor(np.log10(step))
    return any(np.isclose(mantissa, m) for m in (1.0, 2.0, 2.5, 5.0))


@given(st.floats(min_value=1e-4, max_value=1e7, allow_nan=False, allow_infinity=False))
def test_nice_step_is_round_and_not_below_raw(raw: float) -> None:
    step = figures.nice_step(raw)
    assert step >= raw * (1 - 1e-9) and step < raw * 2.5 * (1 + 1e-9)
    assert _is_round(step)


@given(
    st.lists(
        st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=3,
    )
)
def test_aligned_ticks_cover_every_axis_with_round_steps(tops: list[float]) -> None:
    n, steps = figures.aligned_ticks(tops)
    assert 4 <= n <= 8 and len(steps) == len(tops)
    for top, step in zip(tops, steps, strict=True):
        assert n * step >= top * (1 - 1e-9)
        assert _is_round(step)


def test_aligned_ticks_of_counts_are_whole() -> None:
    n, (cargo, seats) = figures.aligned_ticks([18.0, 12.0], integer=[False, True])
    assert seats == int(seats) >= 1 and n * seats >= 12 and n * cargo >= 18


def test_aligned_ticks_of_an_empty_axis() -> None:
    n, (step,) = figures.aligned_ticks([0.0])
    assert n * step > 0


def _png_chunks(png: bytes) -> dict[bytes, bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = chunks.get(kind, b"") + data
        at += 12 + length
    return chunks


def test_png_two_colour_round_trips() -> None:
    rng = np.random.default_rng(7)
    mask = rng.random((5, 13)) > 0.5
    chunks = _png_chunks(figures.png_two_colour(mask, (1, 2, 3), (4, 5, 6)))
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth, colour_type) == (13, 5, 1, 3)
    assert chunks[b"PLTE"] == bytes([1, 2, 3, 4, 5, 6]) and b"IEND" in chunks
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(5, -1)
    assert (rows[:, 0] == 0).all()  # filter type 0 on every row
    assert (np.unpackbits(rows[:, 1:], axis=1)[:, :13].astype(bool) == mask).all()


def test_land_image_is_small_and_covers_the_map() -> None:
    image = figures.land_image()
    prefix = "data:image/png;base64,"
    assert image["source"].startswith(prefix)
    png = base64.b64decode(image["source"][len(prefix) :])
    assert len(png) < 20_000  # the former heatmap of the same mask was ~3 MB of JSON
    width, height = struct.unpack(">II", _png_chunks(png)[b"IHDR"][:8])
    assert width > height > 100
    assert image["x"] <= -180 and image["x"] + image["sizex"] >= 180
    assert image["y"] >= 90 and image["y"] - image["sizey"] <= -90


def test_land_image_is_north_up() -> None:
    image = figures.land_image()
    png = base64.b64decode(image["source"].split(",", 1)[1])
    chunks = _png_chunks(png)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(height, -1)
    land = np.unpackbits(rows[:, 1:], axis=1)[:, :width].astype(bool)
    # Antarctica is land all around the bottom rows; the top row (north pole) is sea.
    assert land[-3].mean() > 0.9 and land[0].mean() < 0.1


def test_time_axis_sends_a_regular_series_as_start_and_step() -> None:
    t0 = datetime(2024, 9, 15, tzinfo=UTC)
    days = [t0 + timedelta(days=k) for k in range(1000)]
    assert figures.time_axis(days) == {"x0": "2024-09-15", "dx": figures.MS_PER_DAY}
    uneven = [*days[:3], days[5]]
    assert figures.time_axis(uneven)["x"][-1] == "2024-09-20"
    assert figures.time_axis(days[:1]) == {"x": ["2024-09-15"]}


def test_day_text_is_utc() -> None:
    from datetime import timezone

    plus_two = timezone(timedelta(hours=2))
    assert figures.day_text(datetime(2024, 1, 1, 2, 0, tzinfo=plus_two)) == "2024-01-01"
    assert figures.day_text(datetime(2024, 1, 1, 7, 5, 3, 999, tzinfo=UTC)) == (
        "2024-01-01 07:05:03"
    )


def test_eclipse_minutes_per_orbit() -> None:
    day = datetime(2025, 1, 1, tzinfo=UTC)
    orbit = StationOrbit.model_construct(
        period_min=92.0,
        beta=[
            BetaSample(date_utc=day, beta_deg=0.0, sunlit_fraction=0.6),
            BetaSample(date_utc=day, beta_deg=75.0, sunlit_fraction=1.0),
        ],
    )
    assert figures.eclipse_minutes_per_orbit(orbit) == pytest.approx([36.8, 0.0])


def test_to_html_refuses_a_trace_the_bundle_cannot_draw() -> None:
    with pytest.raises(ValueError, match="heatmap"):
        figures.to_html(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])))


def test_to_html_uses_the_slim_template_and_typed_arrays() -> None:
    fig = go.Figure(go.Scatter(y=figures.f32([1.0, 2.0, 3.0])))
    html = figures.to_html(fig)
    assert '"bdata"' in html and '"dtype":"f4"' in html
    assert "histogram2dcontour" not in html and "E5ECF6" not in html


def _vehicle(role: str, seats: int, cargo: float) -> VehicleCapability:
    return VehicleCapability.model_construct(
        role=role,
        crew_seats=seats,
        cargo_up_kg=cargo,
        cost_per_kg_up_kusd=258_000.0 / cargo if cargo else None,
        cost_per_seat_musd=258.0 / seats if seats else None,
    )


def test_cost_per_kg_only_for_cargo_roles_and_per_seat_only_for_crew_roles() -> None:
    soyuz = _vehicle("crew", 3, 100.0)
    assert cost_per_kg(soyuz) == "—" and cost_per_seat(soyuz) == "86"
    progress = _vehicle("cargo", 0, 1800.0)
    assert cost_per_kg(progress) == "143.3" and cost_per_seat(progress) == "—"
    both = _vehicle("both", 4, 100.0)
    assert cost_per_kg(both) == "2,580.0" and cost_per_seat(both) == "64"


def test_vendored_bundle_matches_plotly_and_inlines_safely() -> None:
    js = plotly_js()
    match = re.search(r"plotly\.js \(basic - minified\) v(\d+)\.(\d+)\.(\d+)", js[:400])
    assert match, "assets/plotly-basic.min.js lost its version banner"
    major = get_plotlyjs_version().split(".")[0]
    assert match.group(1) == major, (
        f"vendored plotly.js {'.'.join(match.groups())} vs plotly.py's {get_plotlyjs_version()}: "
        "re-vendor the basic bundle (report/assets/README.md)"
    )
    assert "</script" not in js and "window.Plotly" in js
    assert len(js) < 2_000_000


def test_full_sun_beta_is_the_smallest_beta_without_eclipse() -> None:
    day = datetime(2025, 1, 1, tzinfo=UTC)
    samples = [(10.0, 0.62), (-71.5, 1.0), (74.0, 1.0), (69.0, 0.9)]
    orbit = StationOrbit.model_construct(
        beta=[BetaSample(date_utc=day, beta_deg=b, sunlit_fraction=f) for b, f in samples]
    )
    assert full_sun_beta_deg(Plan.model_construct(orbits=[orbit])) == 71.5
    always_eclipsed = StationOrbit.model_construct(
        beta=[BetaSample(date_utc=day, beta_deg=0.0, sunlit_fraction=0.6)]
    )
    assert full_sun_beta_deg(Plan.model_construct(orbits=[always_eclipsed])) is None
