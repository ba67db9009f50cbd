"""The work split of a scenario: the default's packages, and bad packages refused at their line."""

from __future__ import annotations

import pytest

from stationplan.errors import ScenarioError
from stationplan.program.worksplit import scenario_problem
from stationplan.scenario import parse_scenario
from tests.conftest import default_run, mutate


def test_default_work_split_assigns_every_package_once() -> None:
    """Six packages to five candidate partners (Roscosmos, gone by 2031, is a candidate for
    none and holds no share band); the HiGHS optimum is proven (gap 0)."""
    split = default_run().plan.work_split
    assert split is not None and split.status == "optimal"
    assert split.gap_pct == 0.0
    names = [a.package for a in split.assignments]
    assert len(names) == len(set(names)) == 6
    assert split.total_cost_musd == pytest.approx(sum(a.cost_musd for a in split.assignments))
    assert "ROSCOSMOS" not in split.partner_share_pct
    assert split.share_tolerance_pct == 10
    for a in split.assignments:
        assert a.reason.startswith(f"'{a.package}' to {a.partner}")


def test_share_bands_are_rescaled_over_the_candidates(default_text: str) -> None:
    problem = scenario_problem(parse_scenario(default_text, source="d.yaml").scenario)
    assert problem is not None
    shares = {b.partner: b.share_pct for b in problem.budgets}
    assert set(shares) == {"NASA", "ESA", "JAXA", "CSA", "ISRO"}
    assert sum(shares.values()) == pytest.approx(100.0)
    # NASA 50.94 of the candidates' 70.0 points
    assert shares["NASA"] == pytest.approx(100 * 50.94 / 70.0)


def _errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="my.yaml")
    return [str(p) for p in err.value.problems]


def test_unknown_candidate_is_refused_at_its_line(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "cost_musd_by_partner: {CSA: 700, ESA: 900}",
        "cost_musd_by_partner: {CSA: 700, ESAA: 900}",
    )
    msgs = _errors(text)
    assert any(
        m.startswith(f"my.yaml:{line} work_packages[1].cost_musd_by_partner.ESAA: 'ESAA' is not")
        and "did you mean 'ESA'" in m
        for m in msgs
    ), msgs


def test_package_years_outside_the_programme_are_refused(default_text: str) -> None:
    text, line = mutate(
        default_text,
        "    start_year: 2032\n    end_year: 2034",
        "    start_year: 2032\n    end_year: 2044",
    )
    msgs = _errors(text)
    where = f"my.yaml:{line + 1} work_packages[1].end_year: "
    assert any(m.startswith(where + "2044 is outside the programme's years") for m in msgs), msgs
