"""The report's Operations part on hand-made operations of the MINI plan (tests/report/ops_plan):
tables without empty columns, the port Gantt, crew aboard and lifeboat seats, stock panels,
power, risk, and the page without operations or without flights."""

from __future__ import annotations

from datetime import datetime

import pytest

from stationplan.plan.model import Plan
from stationplan.report import operations as ro
from stationplan.report.html import render_report
from tests.report.ops_plan import EXPLANATION, mini_plan, rich_plan, utc


@pytest.fixture(scope="module")
def rich() -> Plan:
    return rich_plan()


def _ops(plan: Plan) -> ro.Operations:
    assert plan.operations is not None
    return plan.operations


def test_table_drops_the_columns_without_a_value() -> None:
    t = ro.Table(["a", "b", "c"], [False, True, True], [["x", "—", "1"], ["y", "", "—"]])
    kept = t.without_empty_columns()
    assert kept.headers == ["a", "c"] and kept.rows == [["x", "1"], ["y", "—"]]
    assert kept.numeric == [False, True]


def test_manifest_table_in_launch_order_without_empty_columns(rich: Plan) -> None:
    t = ro.manifest_table(rich)
    assert [r[0] for r in t.rows] == ["M-Node", "F1", "C1", "C2"]
    # one station, no flight with a note or a crew member coming home: no such columns
    assert "station" not in t.headers and "note" not in t.headers
    assert "crew down" not in t.headers and "return kg" not in t.headers
    row = dict(zip(t.headers, t.rows[2], strict=True))
    assert row["port"] == "Node aft" and row["cargo up kg"] == "2,700"
    assert row["cost MUSD"] == "50" and row["launch UTC"] == "2025-01-23 00:00"
    assert t.cell_class(t.headers.index("site")) == "wrap"
    assert t.cell_class(t.headers.index("crew up")) == "n"


def test_flights_by_vehicle_counts_roles_and_totals(rich: Plan) -> None:
    t = ro.flights_by_vehicle(rich)
    assert t.headers == [
        "vehicle",
        "crew flights",
        "cargo flights",
        "flights",
        "crew up",
        "cargo up t",
        "cost MUSD",
    ]  # no return cargo: its column is dropped
    assert t.rows == [
        ["Ferry", "1", "—", "1", "3", "0.6", "120"],
        ["Freighter", "—", "2", "2", "—", "4.7", "100"],
        ["total", "1", "2", "3", "3", "5.3", "220"],
    ]
    assert t.row_class(2) == "total"


def test_port_gantt_has_a_row_per_port_and_the_module_launches(rich: Plan) -> None:
    assert ro.port_rows(rich, _ops(rich).manifest.flights) == [
        "Alpha · modules launched",
        "Alpha · Node aft",
        "Alpha · Node forward",
    ]
    fig = ro.manifest_gantt(rich)
    assert fig is not None
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"Ferry", "Freighter"}
    ferry = bars["Ferry"]
    assert list(ferry.y) == ["Alpha · Node forward"] and list(ferry.base) == ["2025-01-20"]
    assert ferry.x[0] == pytest.approx(36 * 86_400_000.0)  # 2025-01-20 to 02-25
    assert "crew up 3, down 0 (3 seats)" in ferry.hovertext[0]
    assert "cargo up 600 kg (pressurised 500, propellant 100)" in ferry.hovertext[0]
    markers = [t for t in fig.data if t.type == "scatter"]
    assert len(markers) == 1 and len(markers[0].x) == 3  # Node, Lab, Array


def test_crew_series_by_partner_with_lifeboat_seats_and_capacity(rich: Plan) -> None:
    s = ro.crew_series(rich, "Alpha")

    def at(when: datetime) -> tuple[int, int, int, int]:
        i = max(k for k, t in enumerate(s.times) if t <= when)
        return s.by_partner["AAA"][i], s.by_partner["BBB"][i], s.seats[i], s.capacity[i]

    assert list(s.by_partner) == ["AAA", "BBB"]
    assert at(utc(2025, 1, 10)) == (0, 0, 0, 3)  # Node aboard: capacity 3
    assert at(utc(2025, 1, 25)) == (2, 0, 3, 3)  # F1 docked with two AAA
    assert at(utc(2025, 2, 5)) == (2, 1, 3, 3)  # BBB-1 arrived
    assert at(utc(2025, 2, 27)) == (0, 0, 0, 3)  # all home, F1 undocked
    fig = ro.crew_aboard(rich)
    assert fig is not None
    names = [t.name for t in fig.data]
    assert names == ["AAA", "BBB", "lifeboat seats docked", "crew capacity"]
    assert fig.layout.yaxis.range[1] > 3  # headroom above the capacity line


def test_supply_panels_leave_out_empty_classes_and_mark_a_breach(rich: Plan) -> None:
    lg = _ops(rich).logistics[0]
    fig = ro.supply_stock(rich, lg)
    assert fig is not None
    titles = [a.text for a in fig.layout.annotations]
    assert len(titles) == 2 and titles[0] == "water"  # nitrogen is all zero
    assert "food" in titles[1] and "below reserve 2025-02-05" in titles[1]
    assert [t.name for t in fig.data] == ["reserve", "stock"] * 2
    assert fig.data[1].dx == 7 * 86_400_000.0  # weekly, sent as a start and a step


def test_class_summary_and_gap_tables(rich: Plan) -> None:
    lg = _ops(rich).logistics[0]
    summary = ro.class_summary_table(lg)
    assert "unmet kg" not in summary.headers
    assert summary.rows[0][:3] == ["water", "never", "12.5"]
    assert summary.rows[1][:2] == ["food", "2025-02-05"] and summary.row_class(1) == "warning"
    gaps = ro.gap_table(lg)
    assert gaps.headers == ["period", "food kg", "water kg"]
    assert gaps.rows == [["2025-Q1", "80", "—"], ["2025-Q2", "10", "5"]]


def test_power_figure_and_deficits(rich: Plan) -> None:
    fig = ro.power_margin(rich)
    assert fig is not None
    assert [t.name for t in fig.data] == ["Alpha", "Alpha", "Alpha charge floor"]
    assert list(fig.data[2].y) == [65.0, 65.0]
    t = ro.deficits_table(_ops(rich).power[0])
    assert t.rows == [["2025-02-03", "2025-02-05", "3", "46", "2025-02-04", "-2.3", "-60", "65"]]


def test_risk_tables_and_histograms(rich: Plan) -> None:
    risk = _ops(rich).risk[0]
    assert [c[1] for c in ro.risk_cards(risk)] == ["25.0%", "1.0%", "0.0%", "0.04"]
    losses = ro.loss_table(rich, risk)
    assert losses.rows == [["Ferry", "1.00%", "1", "0.01"], ["Freighter", "3.00%", "2", "0.06"]]
    pct = ro.margin_percentiles_table(risk)
    assert pct.headers[2:] == ["P5 margin days", "P50 margin days", "P95 margin days"]
    slips, harmless = ro.slip_table(risk)
    assert slips.rows == [["C1", "30", "2025-02-05", "food"]] and harmless == 1
    fig = ro.margin_histograms(risk)
    assert fig is not None
    # food breaks its reserve in some runs: first; nitrogen has no histogram
    assert [t.hovertemplate.split("<extra>")[1] for t in fig.data] == [
        "food</extra>",
        "water</extra>",
    ]
    food = fig.data[0]
    assert list(food.x) == [-30.0, -10.0, 10.0, 30.0] and list(food.width) == [20.0] * 4
    assert list(food.y) == pytest.approx([10.0, 15.0, 50.0, 25.0])
    assert food.marker.color[:2] == (ro.RESERVE_COLOR, ro.RESERVE_COLOR)


def test_rich_page_has_every_operations_part(rich: Plan) -> None:
    page = render_report(rich)
    for anchor in ("operations", "ops-crew", "ops-supplies", "ops-power", "ops-risk", "ops-tables"):
        assert f'id="{anchor}"' in page
    assert "Flights on the docking ports" in page and "Crew aboard by partner" in page
    assert "No manifest" not in page
    assert "Manifest: 4 flights in launch order" in page


def test_infeasible_manifest_shows_why_instead_of_empty_charts() -> None:
    plan = mini_plan()
    view = ro.operations_view(plan)
    assert view.explanation == EXPLANATION and not view.has_flights
    assert view.gantt == view.crew == "" and view.supplies == [] and view.risk == []
    page = render_report(plan)
    assert "No manifest: the planner could not place the flights." in page
    for line in EXPLANATION:
        assert line in page
    assert "Flights on the docking ports" not in page and "Crew aboard by partner" not in page
    assert "Crew rotations: 1 as planned" in page


def test_plan_without_operations() -> None:
    plan = mini_plan()
    plan.operations = None
    assert ro.operations_view(plan).why_empty
    page = render_report(plan)
    assert "This plan has no operations part" in page and 'id="ops-crew"' not in page
