"""Launch record of ISS visiting vehicles, 2000-2015: flights, losses and Jeffreys estimates.

Expected counts, checked by hand in the CSV (``launches/iss_visiting_vehicle_launches_
2000-2015.csv``, 133 rows): 45 rows whose vehicle starts 'Soyuz' (TM-31..34, TMA-1..22,
TMA-01M..19M); 63 starting 'Progress' (M-43..M-67, M1-3..M1-11, M-SO1, M-01M..M-29M and
MS-01); 10 rows naming Dragon, less the Qualification Unit and C1 test flights = 8 (C2 and
CRS-1..7); 5 Cygnus (PCM-0..4), 5 HTV (HTV 1, Kounotori 2..5), 5 ATV (1..5). 131 ISS flights.

Losses, public: Progress M-12M (24 August 2011, Soyuz-U third stage failure, Roscosmos);
Progress M-27M (28 April 2015, abnormal separation from the Soyuz-2.1a third stage, never
docked, re-entered 8 May 2015, Roscosmos press releases of 8 May and 1 June 2015); Cygnus
Orb-3 'SS Deke Slayton' (28 October 2014, Antares) and Dragon CRS-7 (28 June 2015, Falcon 9),
both in NASA OIG report IG-16-025 (2016).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import get_args

import pytest

from stationplan.ops.launch_record import (
    FAMILIES,
    POOLED,
    LossEstimate,
    family_of,
    jeffreys_estimate,
    loss_table,
    read_launch_record,
    vehicle_loss_estimate,
)
from stationplan.scenario.models import Vehicle

RECORD = Path("launches") / "iss_visiting_vehicle_launches_2000-2015.csv"


@pytest.fixture(scope="module")
def record_path(shared_data: Path) -> Path:
    path = shared_data / RECORD
    if not path.is_file():
        pytest.skip(f"launch record {path} is not present")
    return path


@pytest.fixture(scope="module")
def table(record_path: Path) -> dict[str, LossEstimate]:
    return loss_table(read_launch_record(record_path))


def test_flights_and_losses_per_family(table: dict[str, LossEstimate]) -> None:
    counts = {name: (e.flights, e.losses) for name, e in table.items()}
    assert counts == {
        "Soyuz": (45, 0),
        "Progress": (63, 2),
        "Dragon": (8, 1),
        "Cygnus": (5, 1),
        "HTV": (5, 0),
        "ATV": (5, 0),
        POOLED: (131, 4),
    }
    assert table["Progress"].lost_missions == ("Progress M-12M", "Progress M-27M")
    assert table["Dragon"].lost_missions == ("Dragon CRS-7",)
    assert table["Cygnus"].lost_missions == ("SS Deke Slayton",)


def test_jeffreys_posterior_means(table: dict[str, LossEstimate]) -> None:
    # (losses + 1/2) / (flights + 1)
    assert table["Soyuz"].p_loss == pytest.approx(0.5 / 46)
    assert table["Progress"].p_loss == pytest.approx(2.5 / 64)  # 0.0391
    assert table["Dragon"].p_loss == pytest.approx(1.5 / 9)  # 0.167
    assert table["Cygnus"].p_loss == pytest.approx(1.5 / 6)  # 0.25
    assert table[POOLED].p_loss == pytest.approx(4.5 / 132)  # 0.0341
    for e in table.values():
        assert 0.0 <= e.p_low < e.p_loss < e.p_high <= 1.0


def test_record_rows(record_path: Path) -> None:
    rows = read_launch_record(record_path)
    assert len(rows) == 133
    assert all(r.family is not None for r in rows)
    assert [r.vehicle for r in rows if not r.iss_mission] == ["Dragon Qual Unit", "Dragon C1"]
    m27 = next(r for r in rows if r.vehicle == "Progress M-27M")
    # It reached orbit (a catalogued 2015-024A, not an F designation) and the log flags it F.
    assert (m27.cospar, m27.flagged_success, m27.lost) == ("2015-024A", False, True)


def test_a_loss_after_reaching_orbit_counts_whatever_the_flag(
    record_path: Path, tmp_path: Path
) -> None:
    lines = record_path.read_text(encoding="utf-8").splitlines(keepends=True)
    flipped = [
        line.replace(",F,", ",S,") if line.startswith("Progress M-27M,") else line for line in lines
    ]
    assert flipped != lines
    copy = tmp_path / "record.csv"
    copy.write_text("".join(flipped), encoding="utf-8")
    table = loss_table(read_launch_record(copy))
    assert (table["Progress"].flights, table["Progress"].losses) == (63, 2)


def test_jeffreys_without_data_is_the_arcsine_prior() -> None:
    # Beta(1/2, 1/2) is the arcsine law: quantile q is sin^2(pi q / 2).
    mean, low, high = jeffreys_estimate(0, 0)
    assert mean == 0.5
    assert low == pytest.approx(math.sin(math.pi * 0.05 / 2) ** 2)  # 0.00616
    assert high == pytest.approx(math.sin(math.pi * 0.95 / 2) ** 2)  # 0.99384
    with pytest.raises(ValueError):
        jeffreys_estimate(3, 4)


def test_family_without_flights_gets_the_pooled_estimate(record_path: Path) -> None:
    rows = [r for r in read_launch_record(record_path) if r.family != "ATV"]
    table = loss_table(rows)
    assert table["ATV"].flights == 0
    assert table["ATV"].p_loss == table[POOLED].p_loss == pytest.approx(4.5 / 127)
    assert "pooled" in table["ATV"].basis


def test_family_names() -> None:
    assert family_of("Kounotori 2 gouki", "HTV 2") == "HTV"
    assert family_of("Jules Verne", "ATV 1") == "ATV"
    assert family_of("SS Janice Voss", "Cygnus PCM-2") == "Cygnus"
    assert family_of("Starliner") is None
    field = Vehicle.model_fields["launch_record_family"].annotation
    literal = next(a for a in get_args(field) if get_args(a))
    assert set(get_args(literal)) == set(FAMILIES)


def _vehicle(name: str, **extra: object) -> Vehicle:
    return Vehicle.model_validate(
        {
            "name": name,
            "role": "cargo",
            "operator": "AAA",
            "launch_sites": ["Pad"],
            "pressurized_cargo_kg": 1000,
            "compatible_port_types": ["IDSS"],
            "max_flights_per_year": 2,
            "cost_per_flight_musd": 50,
            "ascent_duration_s": 600,
            "rendezvous_strategy": "2orbit",
            **extra,
        }
    )


def test_vehicle_loss_estimate(table: dict[str, LossEstimate]) -> None:
    assert vehicle_loss_estimate(_vehicle("Progress MS"), table).p_loss == pytest.approx(2.5 / 64)
    named = vehicle_loss_estimate(_vehicle("Freighter", launch_record_family="Cygnus"), table)
    assert named.p_loss == pytest.approx(0.25)
    fixed = vehicle_loss_estimate(_vehicle("Cargo Dragon", loss_probability=0.02), table)
    assert (fixed.p_loss, fixed.p_low, fixed.p_high) == (0.02, 0.02, 0.02)
    new = vehicle_loss_estimate(_vehicle("Dream Chaser"), table)
    assert new.p_loss == pytest.approx(4.5 / 132)
    assert "pooled" in new.basis


def test_embedded_record_is_the_reference_record(record_path: Path) -> None:
    """The copy shipped in the package gives the same table as the reference data."""
    from stationplan.ops.launch_record import embedded_loss_table

    assert embedded_loss_table() == loss_table(read_launch_record(record_path))
