"""Screening a catalog on a Dask cluster (``distributed.LocalCluster`` of two worker
processes) gives the in-process events: chunks of objects for a primary, chunks of time for
all-vs-all (catalog snapshot of 2022-01-22, see the data's SOURCES.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stationplan.ops.conjunctions import ScreenAnswer, ScreenRequest, screen_catalog

CATALOG = "tle/catalog/spacetrack_full_catalog_3le_2022-01-22_ReeceHumphreys-ODAP.3le"


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    try:
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    except Exception as error:  # any failure to start is a reason to skip, not a failure
        reason = f"distributed cannot start a local cluster: {error!r}"
        print(reason)
        pytest.skip(reason)
    with cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture(scope="module")
def small_catalog(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 4,500 objects of the snapshot and the ISS (3LE)."""
    lines = (shared_data / CATALOG).read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("1 25544"))
    text = "\n".join(lines[: 3 * 4500] + lines[k - 1 : k + 2]) + "\n"
    path = tmp_path_factory.mktemp("catalog") / "small.3le"
    path.write_text(text, encoding="utf-8")
    return path


def _same(a: ScreenAnswer, b: ScreenAnswer) -> None:
    assert [(r.primary, r.secondary) for r in a.rows] == [(r.primary, r.secondary) for r in b.rows]
    for x, y in zip(a.rows, b.rows, strict=True):
        assert abs((x.tca_utc - y.tca_utc).total_seconds()) < 1e-3
        assert abs(x.miss_km - y.miss_km) < 1e-3
    assert a.stats.failed == b.stats.failed


@pytest.mark.slow
def test_a_primary_screened_on_a_cluster_gives_the_in_process_events(
    shared_data: Path, cluster_address: str
) -> None:
    """The ISS against the whole snapshot (12 tasks of 2,000 objects), two days, 10 km."""
    base = {
        "catalog": shared_data / CATALOG,
        "primary": "25544",
        "start_utc": "2022-01-23",
        "days": 2.0,
        "threshold_km": 10.0,
    }
    here = screen_catalog(ScreenRequest.model_validate(base))
    there = screen_catalog(ScreenRequest.model_validate({**base, "scheduler": cluster_address}))
    assert here.rows  # the comparison means something
    _same(here, there)


@pytest.mark.slow
def test_all_vs_all_on_a_cluster_gives_the_in_process_events(
    small_catalog: Path, cluster_address: str
) -> None:
    base = {
        "catalog": small_catalog,
        "all_vs_all": True,
        "start_utc": "2022-01-23",
        "days": 0.05,
        "threshold_km": 10.0,
    }
    here = screen_catalog(ScreenRequest.model_validate(base))
    there = screen_catalog(ScreenRequest.model_validate({**base, "scheduler": cluster_address}))
    assert len(here.rows) >= 3
    _same(here, there)
