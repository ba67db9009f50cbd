"""The work-split optimiser (HiGHS MILP) on a seeded random partnership of 200 work packages
and 10 partners.

The problem: packages over 2028-2040, one to six years each, each with 2-4 candidate partners
whose cost estimates scatter +-25 % around the package's base cost (log-normal, median
150 MUSD); programme shares summing to 100 %, tolerance 5 points; yearly budgets of 1.5 x each
partner's share of the cheapest-candidate yearly spend plus its largest candidate package's
yearly cost, and of only 0.7 x its share of that spend for three partners (ESA, JAXA, ASI), so
that they bind. Solved with the default time limit (10 s).

Baseline, computed in the same run: the greedy split (each package to its cheapest candidate,
budgets and shares ignored), its cost, time and broken constraints, and the optimum's cost over
the greedy one (the price of the budgets and shares). The same problem without the budgets is
solved too, to show what the budgets cost.

Goal: <= 10 s wall time with the gap printed. Prints the figures, then one JSON line (the last
line).
"""

from __future__ import annotations

import json
import time

import numpy as np

from stationplan.program.worksplit import (
    PartnerBudget,
    WorkPackage,
    WorkSplitProblem,
    solve_worksplit,
    violations,
)

GOAL_S = 10.0
SEED = 20240611
PARTNERS = ["NASA", "ROS", "ESA", "JAXA", "CSA", "ISRO", "ASI", "DLR", "CNES", "UKSA"]
SHARES_PCT = [30.0, 18.0, 12.0, 9.0, 8.0, 7.0, 5.0, 4.0, 4.0, 3.0]
TIGHT = {"ESA", "JAXA", "ASI"}
TIGHT_FACTOR = 0.7
LOOSE_FACTOR = 1.5


def make_problem(n_packages: int = 200, seed: int = SEED) -> WorkSplitProblem:
    """The seeded random problem of the module docstring."""
    rng = np.random.default_rng(seed)
    capabilities = ["habitation", "life support", "power", "laboratory", "robotics", "logistics"]
    packages = []
    for i in range(n_packages):
        start = int(rng.integers(2028, 2038))
        end = min(2040, start + int(rng.integers(0, 6)))
        base = float(rng.lognormal(np.log(150.0), 0.6))
        n_cand = int(rng.integers(2, 5))
        # larger partners are candidates more often
        cand = rng.choice(len(PARTNERS), n_cand, replace=False, p=np.array(SHARES_PCT) / 100)
        costs = {PARTNERS[c]: round(base * float(rng.uniform(0.75, 1.25)), 1) for c in cand}
        packages.append(
            WorkPackage(
                name=f"WP{i + 1:03d}",
                capability=capabilities[i % len(capabilities)],
                start_year=start,
                end_year=end,
                cost_musd_by_partner=costs,
            )
        )
    yearly = dict.fromkeys(range(2028, 2041), 0.0)
    for p in packages:
        cheapest = min(p.cost_musd_by_partner.values()) / len(p.years)
        for y in p.years:
            yearly[y] += cheapest
    largest = {(k, y): 0.0 for k in PARTNERS for y in yearly}
    for p in packages:
        for k in p.cost_musd_by_partner:
            for y in p.years:
                largest[k, y] = max(largest[k, y], p.yearly_cost_musd(k))
    budgets = [
        PartnerBudget(
            partner=k,
            budget_musd_per_year={
                y: round(
                    TIGHT_FACTOR * s / 100 * v
                    if k in TIGHT
                    else LOOSE_FACTOR * s / 100 * v + largest[k, y],
                    1,
                )
                for y, v in yearly.items()
            },
            share_pct=s,
        )
        for k, s in zip(PARTNERS, SHARES_PCT, strict=True)
    ]
    return WorkSplitProblem(packages=packages, budgets=budgets, share_tolerance_pct=5.0)


def greedy(problem: WorkSplitProblem) -> dict[str, str]:
    """Each package to its cheapest candidate (budgets and shares ignored)."""
    return {
        p.name: min(p.cost_musd_by_partner, key=lambda k: p.cost_musd_by_partner[k])
        for p in problem.packages
    }


def binding(problem: WorkSplitProblem, split: dict[str, str]) -> tuple[int, list[str]]:
    """Budgets spent to within 5 % (count) and partners at an end of their share band (within
    0.1 point) in ``split``."""
    spend: dict[tuple[str, int], float] = {}
    totals = {b.partner: 0.0 for b in problem.budgets}
    for p in problem.packages:
        k = split[p.name]
        totals[k] += p.cost_musd_by_partner[k]
        for y in p.years:
            spend[k, y] = spend.get((k, y), 0.0) + p.yearly_cost_musd(k)
    tight = sum(
        1
        for b in problem.budgets
        for y, limit in b.budget_musd_per_year.items()
        if spend.get((b.partner, y), 0.0) >= 0.95 * limit
    )
    total = sum(totals.values())
    edges = []
    for b in problem.budgets:
        lo, hi = problem.band_pct(b.partner)
        share = 100 * totals[b.partner] / total
        if min(abs(share - lo), abs(share - hi)) <= 0.1:
            edges.append(f"{b.partner} {share:.2f} % (band {lo:g}-{hi:g})")
    return tight, edges


def main() -> None:
    problem = make_problem()
    n_cols = sum(len(p.cost_musd_by_partner) for p in problem.packages)
    n_budgets = sum(len(b.budget_musd_per_year) for b in problem.budgets)
    print(
        f"{len(problem.packages)} packages x {len(problem.budgets)} partners: {n_cols} "
        f"candidate pairs (binaries), {n_budgets} partner-year budgets, tolerance "
        f"{problem.share_tolerance_pct:g} points, time limit {problem.time_limit_s:g} s"
    )
    started = time.perf_counter()
    base = greedy(problem)
    greedy_s = time.perf_counter() - started
    greedy_cost = sum(p.cost_musd_by_partner[base[p.name]] for p in problem.packages)
    broken = violations(problem, base)
    print(
        f"baseline, greedy cheapest candidate (budgets and shares ignored): {greedy_cost:,.1f} "
        f"MUSD in {greedy_s * 1e3:.2f} ms, {len(broken)} constraints broken, e.g."
    )
    for line in broken[:4]:
        print(f"  {line}")
    started = time.perf_counter()
    split = solve_worksplit(problem)
    wall_s = time.perf_counter() - started
    total, bound, gap = split.total_cost_musd, split.bound_musd, split.gap_pct
    if total is None:
        print(f"HiGHS MILP: {split.status}, {wall_s:.2f} s wall")
        for line in split.explanation:
            print(f"  explanation: {line}")
        raise SystemExit("the benchmark problem has no work split")
    print(
        f"HiGHS MILP: {split.status}, objective {total:,.1f} MUSD, bound "
        f"{'n/a' if bound is None else f'{bound:,.1f}'} MUSD, gap "
        f"{'n/a' if gap is None else f'{gap:.4f}'} %, {wall_s:.2f} s wall (model, solve and "
        "reasons)"
    )
    chosen = {a.package: a.partner for a in split.assignments}
    ratio = total / greedy_cost
    moved = sum(chosen[name] != k for name, k in base.items())
    tight, edges = binding(problem, chosen)
    print(
        f"  optimum / greedy: {ratio:.4f} (+{total - greedy_cost:,.1f} MUSD, the price of the "
        f"budgets and shares); {moved} packages not at their cheapest candidate"
    )
    print(
        f"  broken constraints: {len(violations(problem, chosen))}; budgets spent to within 5 %: "
        f"{tight}; partners at a band end: {', '.join(edges) or 'none'}"
    )
    shares = ", ".join(f"{k} {v:.1f}" for k, v in split.partner_share_pct.items())
    print(f"  shares (%): {shares}")
    free = problem.model_copy(
        update={
            "budgets": [b.model_copy(update={"budget_musd_per_year": {}}) for b in problem.budgets]
        }
    )
    unbudgeted = solve_worksplit(free)
    free_total = unbudgeted.total_cost_musd
    print(
        f"  the same without the budgets (shares only): {unbudgeted.status}, "
        f"{'n/a' if free_total is None else f'{free_total:,.1f}'} MUSD in "
        f"{unbudgeted.wall_time_s:.2f} s: the budgets cost "
        f"{'n/a' if free_total is None else f'{total - free_total:,.1f}'} MUSD"
    )
    for a in split.assignments[:2]:
        print(f"  reason: {a.reason}")
    for line in split.explanation:
        print(f"  note: {line}")
    met = wall_s <= GOAL_S and gap is not None
    print(f"goal <= {GOAL_S:g} s with the gap printed: {'met' if met else 'NOT met'}")
    figures = {
        "status": split.status,
        "objective_musd": round(total, 2),
        "bound_musd": None if bound is None else round(bound, 2),
        "gap_pct": gap,
        "wall_s": round(wall_s, 3),
        "greedy_cost_musd": round(greedy_cost, 2),
        "greedy_s": round(greedy_s, 5),
        "greedy_broken": len(broken),
        "optimum_over_greedy": round(ratio, 5),
        "moved_from_cheapest": moved,
        "budgets_binding": tight,
        "without_budgets_musd": None if free_total is None else round(free_total, 2),
        "packages": len(problem.packages),
        "partners": len(problem.budgets),
        "binaries": n_cols,
        "time_limit_s": problem.time_limit_s,
        "goal_met": met,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
