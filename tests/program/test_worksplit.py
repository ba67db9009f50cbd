"""The work-split optimiser: a hand-checked case, brute-force enumeration on random small
cases, the explanations of infeasible problems, and input validation.

HAND (three packages, two partners A and B, shares 60 / 40 %, tolerance 10 points, so the
bands are A 50-70 % and B 30-50 %; A has a 2030 budget of 150 MUSD):

=====  ====  =====  =====
pkg    year  A      B
=====  ====  =====  =====
P1     2030  100    120
P2     2030   80     90
P3     2031   50     70
=====  ====  =====  =====

The eight splits (P1 P2 P3):

* AAA 230 and AAB 210: A spends 180 MUSD in 2030 > 150 (and AAA gives A 100 %);
* ABA 240: A 150 (62.5 %), B 90, A's 2030 spend 100: feasible;
* ABB 260: A 100 / 260 = 38.5 % < 50: no;
* BAA 250: A 130 / 250 = 52 %, A's 2030 spend 80: feasible;
* BAB 270 (A 29.6 %), BBA 260 (A 19.2 %), BBB 280 (A 0 %): no.

Optimum ABA, 240 MUSD (A 150, B 90). Kept from their partners: P1 from A leaves BAA, 250
(+10, P2 moving to A); P2 from B leaves BAA, 250 (+10), although A is the cheaper candidate
for P2 (moving it alone breaks A's 2030 budget and its share band); P3 from A leaves only
AAB, ABB, BAB, BBB: none feasible.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from stationplan.program.worksplit import (
    RESOLVE_MAX_PACKAGES,
    PartnerBudget,
    WorkPackage,
    WorkSplitProblem,
    solve_worksplit,
    violations,
)


def brute_force(problem: WorkSplitProblem) -> float | None:
    """The cheapest total cost (MUSD) over all assignments that meet the budgets and share
    bands, by enumeration; None when none does. Written apart from the optimiser's checks."""
    budgets = {b.partner: b.budget_musd_per_year for b in problem.budgets}
    tol = problem.share_tolerance_pct
    bands = {
        b.partner: (max(0.0, b.share_pct - tol), min(100.0, b.share_pct + tol))
        for b in problem.budgets
    }
    pkgs = problem.packages
    best: float | None = None
    for choice in itertools.product(*(list(p.cost_musd_by_partner) for p in pkgs)):
        spend: dict[tuple[str, int], float] = {}
        part = dict.fromkeys(budgets, 0.0)
        for p, k in zip(pkgs, choice, strict=True):
            cost = p.cost_musd_by_partner[k]
            part[k] += cost
            n = p.end_year - p.start_year + 1
            for y in range(p.start_year, p.end_year + 1):
                spend[k, y] = spend.get((k, y), 0.0) + cost / n
        if any(v > budgets[k].get(y, np.inf) + 1e-6 for (k, y), v in spend.items()):
            continue
        total = sum(part.values())
        if any(
            not (lo / 100 * total - 1e-6 <= part[k] <= hi / 100 * total + 1e-6)
            for k, (lo, hi) in bands.items()
        ):
            continue
        if best is None or total < best:
            best = total
    return best


def _pkg(name: str, start: int, end: int, **costs: float) -> WorkPackage:
    return WorkPackage(
        name=name,
        capability="module",
        start_year=start,
        end_year=end,
        cost_musd_by_partner=costs,
    )


def _budget(partner: str, share: float, **years: float) -> PartnerBudget:
    return PartnerBudget(
        partner=partner,
        share_pct=share,
        budget_musd_per_year={int(y.removeprefix("y")): v for y, v in years.items()},
    )


HAND = WorkSplitProblem(
    packages=[
        _pkg("P1", 2030, 2030, A=100, B=120),
        _pkg("P2", 2030, 2030, A=80, B=90),
        _pkg("P3", 2031, 2031, A=50, B=70),
    ],
    budgets=[_budget("A", 60, y2030=150), _budget("B", 40)],
    share_tolerance_pct=10,
)


def test_hand_checked_case() -> None:
    split = solve_worksplit(HAND)
    assert split.status == "optimal"
    assert split.total_cost_musd == pytest.approx(240)  # ABA, see the module docstring
    assert split.bound_musd == pytest.approx(240, rel=1e-6)
    assert split.gap_pct == pytest.approx(0, abs=1e-3)
    assert {a.package: a.partner for a in split.assignments} == {"P1": "A", "P2": "B", "P3": "A"}
    assert split.partner_totals == pytest.approx({"A": 150, "B": 90})
    assert split.partner_share_pct == pytest.approx({"A": 62.5, "B": 37.5})
    assert split.explanation == []
    assert brute_force(HAND) == pytest.approx(240)
    why = {a.package: a for a in split.assignments}
    # P1 kept from A: BAA, 250 (+10), P2 moving to A
    assert (why["P1"].runner_up, why["P1"].runner_up_cost_musd) == ("B", 120)
    assert "10.0 MUSD cheaper in total than the runner-up B" in why["P1"].reason
    assert "rearranged" in why["P1"].reason
    # P2 kept from B: BAA, 250 (+10); A is cheaper for P2 but breaks A's budget and band
    assert (why["P2"].runner_up, why["P2"].runner_up_cost_musd) == ("A", 80)
    assert "10.0 MUSD cheaper in total than the runner-up A" in why["P2"].reason
    assert "A's 2030 budget of 150.0 MUSD (at 180.0 MUSD)" in why["P2"].reason
    assert "A's share band 50.0-70.0 % (at 100.0 %)" in why["P2"].reason
    # P3 kept from A: no feasible split
    assert "no split without A on it" in why["P3"].reason
    assert why["P3"].runner_up == "B"


def _random_problem(rng: np.random.Generator) -> WorkSplitProblem:
    n_partners = int(rng.integers(2, 4))
    partners = ["AAA", "BBB", "CCC"][:n_partners]
    packages = []
    for i in range(int(rng.integers(1, 7))):
        start = int(rng.integers(2030, 2033))
        end = start + int(rng.integers(0, 3))
        n_cand = int(rng.integers(1, n_partners + 1))
        cand = rng.choice(partners, n_cand, replace=False)
        costs = {str(k): round(float(rng.uniform(10, 100)), 1) for k in cand}
        packages.append(
            WorkPackage(
                name=f"WP{i}",
                capability="x",
                start_year=start,
                end_year=end,
                cost_musd_by_partner=costs,
            )
        )
    shares = rng.dirichlet(np.ones(n_partners)) * 100
    budgets = [
        PartnerBudget(
            partner=k,
            share_pct=round(float(s), 1),
            budget_musd_per_year={
                y: round(float(rng.uniform(15, 90)), 1)
                for y in range(2030, 2035)
                if rng.random() < 0.4
            },
        )
        for k, s in zip(partners, shares, strict=True)
    ]
    tol = float(rng.choice([3.0, 10.0, 20.0, 40.0]))
    return WorkSplitProblem(packages=packages, budgets=budgets, share_tolerance_pct=tol)


def test_equals_brute_force_on_random_cases() -> None:
    rng = np.random.default_rng(7)
    outcomes = []
    for _ in range(20):
        problem = _random_problem(rng)
        expected = brute_force(problem)
        split = solve_worksplit(problem)
        if expected is None:
            assert split.status == "infeasible"
            assert split.explanation
            assert split.assignments == []
        else:
            assert split.status == "optimal"
            assert split.total_cost_musd == pytest.approx(expected, rel=1e-6)
            assignment = {a.package: a.partner for a in split.assignments}
            assert violations(problem, assignment) == []
            assert sum(split.partner_totals.values()) == pytest.approx(expected, rel=1e-6)
        outcomes.append(expected is None)
    # the cases cover both outcomes
    assert 3 <= sum(outcomes) <= 17


def test_budget_conflict_of_one_package_names_partners_and_years() -> None:
    problem = WorkSplitProblem(
        packages=[
            _pkg("Node 4", 2030, 2031, ESA=200, NASA=240),
            _pkg("Kibo", 2030, 2030, JAXA=50),
        ],
        budgets=[
            _budget("ESA", 40, y2030=80),
            _budget("NASA", 40, y2031=90),
            _budget("JAXA", 20),
        ],
        share_tolerance_pct=50,
    )
    split = solve_worksplit(problem)
    assert split.status == "infeasible"
    assert brute_force(problem) is None
    (line,) = split.explanation
    assert "package 'Node 4' (2030-2031) has no candidate within its budgets" in line
    assert "ESA 100.0 MUSD a year, above its budget for 2030 (80.0 MUSD)" in line
    assert "NASA 120.0 MUSD a year, above its budget for 2031 (90.0 MUSD)" in line


def test_budget_conflict_of_two_packages_found_by_the_filter() -> None:
    """X and Y each fit ESA's 2030 budget (80) alone but not together (60 + 50); NASA's 2030
    budget (80) takes neither (100, 90). The bands are 0-100 %, so only budgets conflict."""
    problem = WorkSplitProblem(
        packages=[
            _pkg("X", 2030, 2030, ESA=60, NASA=100),
            _pkg("Y", 2030, 2030, ESA=50, NASA=90),
            _pkg("Z", 2031, 2031, ESA=10, NASA=10),
        ],
        budgets=[_budget("ESA", 50, y2030=80), _budget("NASA", 50, y2030=80, y2031=5)],
        share_tolerance_pct=50,
    )
    split = solve_worksplit(problem)
    assert split.status == "infeasible"
    assert brute_force(problem) is None
    head = split.explanation[0]
    assert "relaxed" in head
    assert "ESA's 2030 budget (80.0 MUSD)" in head
    assert "NASA's 2030 budget (80.0 MUSD)" in head
    assert "package 'X'" in head and "package 'Y'" in head
    assert "'Z'" not in head  # not part of the conflict
    assert "NASA's 2031" not in head
    assert any("package 'X' (2030): ESA 60.0 MUSD" in line for line in split.explanation)


def test_share_conflict_names_the_band_and_the_reachable_share() -> None:
    """JAXA (12.5 +- 5: 7.5-17.5 %) can take only 'P3' (10 MUSD); P1 and P2 cost at least
    200 each: its share is at most 10 / 410 = 2.4 %."""
    problem = WorkSplitProblem(
        packages=[
            _pkg("P1", 2030, 2030, NASA=200, ESA=210),
            _pkg("P2", 2031, 2031, NASA=220, ESA=200),
            _pkg("P3", 2031, 2031, JAXA=10, NASA=12),
        ],
        budgets=[_budget("NASA", 50), _budget("ESA", 37.5), _budget("JAXA", 12.5)],
        share_tolerance_pct=5,
    )
    split = solve_worksplit(problem)
    assert split.status == "infeasible"
    assert brute_force(problem) is None
    text = " ".join(split.explanation)
    assert "JAXA's share band 7.5-17.5 %" in split.explanation[0]
    assert "JAXA's share band 7.5-17.5 % cannot be met" in text
    assert "its share is at most 2.4 % (JAXA taking 'P3': 10.0 of 410.0 MUSD)" in text


def test_share_band_between_reachable_shares() -> None:
    """JAXA's only package costs 100 of 240 MUSD (or nothing): 0 % or 41.7 %, never in its
    band 25-35 %."""
    problem = WorkSplitProblem(
        packages=[
            _pkg("Kibo", 2030, 2030, JAXA=100, ESA=140),
            _pkg("Node", 2030, 2030, ESA=60, NASA=50),
            _pkg("ECLSS", 2031, 2031, NASA=80),
        ],
        budgets=[_budget("NASA", 40), _budget("ESA", 30), _budget("JAXA", 30)],
        share_tolerance_pct=5,
    )
    split = solve_worksplit(problem)
    assert split.status == "infeasible"
    assert brute_force(problem) is None
    text = " ".join(split.explanation)
    assert "JAXA's share band 25.0-35.0 % cannot be met" in text
    assert "below the band its share is at most 0.0 %, above it at least 41.7 %" in text


def test_partner_with_share_zero_gets_nothing() -> None:
    """ZZZ is the cheapest candidate everywhere but its band is 0-10 %: its cheapest package
    (40 MUSD) would be 40 / 340 = 11.8 % of the total or more. The optimum (brute force) is
    P1 A, P2 B, P3 B, P4 A: A 200, B 180 MUSD (52.6 %, in A's band 40-60 %)."""
    problem = WorkSplitProblem(
        packages=[
            _pkg("P1", 2030, 2030, ZZZ=50, A=100, B=110),
            _pkg("P2", 2030, 2031, ZZZ=40, A=90, B=80),
            _pkg("P3", 2031, 2031, ZZZ=60, A=120, B=100),
            _pkg("P4", 2031, 2031, ZZZ=45, A=100, B=100),
        ],
        budgets=[_budget("A", 50), _budget("B", 50), _budget("ZZZ", 0)],
        share_tolerance_pct=10,
    )
    split = solve_worksplit(problem)
    assert split.status == "optimal"
    assert split.partner_totals["ZZZ"] == 0
    assert split.partner_share_pct["ZZZ"] == 0
    assert all(a.partner != "ZZZ" for a in split.assignments)
    assert split.total_cost_musd == pytest.approx(brute_force(problem))
    assert split.total_cost_musd == pytest.approx(380)
    assert all("ZZZ's share band 0.0-10.0 %" in a.reason for a in split.assignments)


def test_large_problem_explains_by_cost_difference() -> None:
    n = RESOLVE_MAX_PACKAGES + 1
    problem = WorkSplitProblem(
        packages=[_pkg(f"P{i}", 2030, 2030, A=10 + i, B=12 + i) for i in range(n)],
        budgets=[_budget("A", 50), _budget("B", 50)],
        share_tolerance_pct=50,
    )
    split = solve_worksplit(problem)
    assert split.status == "optimal"
    assert split.total_cost_musd == pytest.approx(sum(10 + i for i in range(n)))
    first = split.assignments[0]
    assert (first.partner, first.runner_up, first.runner_up_cost_musd) == ("A", "B", 12)
    assert "2.0 MUSD cheaper than the runner-up B (10.0 against 12.0 MUSD)" in first.reason
    assert "not re-solved" in first.reason


def test_single_candidate_reason() -> None:
    problem = WorkSplitProblem(
        packages=[_pkg("Kibo", 2030, 2032, JAXA=300)],
        budgets=[_budget("JAXA", 100)],
    )
    (a,) = solve_worksplit(problem).assignments
    assert (a.partner, a.runner_up, a.reason) == (
        "JAXA",
        None,
        "'Kibo' to JAXA: the only candidate",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_year": 2029}, "package 'P1': end_year 2029 is before start_year 2030"),
        ({"cost_musd_by_partner": {}}, "package 'P1': cost_musd_by_partner is empty"),
        ({"cost_musd_by_partner": {"A": -5.0}}, "cost_musd_by_partner['A'] is -5.0 MUSD"),
        ({"cost_musd_by_partner": {"A": 5.0, "FOO": 3.0}}, "cost_musd_by_partner names FOO"),
    ],
)
def test_bad_package_raises(change: dict[str, object], message: str) -> None:
    data = HAND.model_dump()
    data["packages"][0].update(change)
    with pytest.raises(ValueError, match=re.escape(message)):
        WorkSplitProblem.model_validate(data)


def test_bad_budgets_raise() -> None:
    data = HAND.model_dump()
    data["budgets"][1]["partner"] = "A"
    with pytest.raises(ValueError, match="budgets: partner 'A' is listed twice"):
        WorkSplitProblem.model_validate(data)
    data = HAND.model_dump()
    data["budgets"][0]["budget_musd_per_year"] = {2030: -1.0}
    with pytest.raises(ValueError, match=re.escape("budget_musd_per_year[2030] is -1.0")):
        WorkSplitProblem.model_validate(data)
    with pytest.raises(ValueError, match="share_pct"):
        _budget("A", 120)
    with pytest.raises(ValueError, match="extra"):
        PartnerBudget.model_validate({"partner": "A", "share_pct": 10, "colour": "red"})
