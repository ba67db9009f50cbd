"""Work split of a station partnership: which partner builds each work package.

A partnership distributes its efforts so that nothing is built twice: each work package (a
module, a system, a service over a span of years) goes to exactly one of the partners able to
build it, within each partner's yearly budget, and so that each partner's part of the total
cost stays near its programme share.

**Model** (a mixed-integer linear programme). A binary ``x[p, k] = 1`` when package p goes to
partner k, for the candidates k of p only. ``c[p, k]`` is that candidate's cost estimate for
the whole package (MUSD), spread evenly over the package's ``n_p`` years (``c / n_p`` MUSD a
year):

* coverage: ``sum_k x[p, k] = 1`` for each package (one builder, no duplication);
* budgets: ``sum_p c[p, k] / n_p x[p, k] <= B[k, y]`` for each partner k and each year y of
  its ``budget_musd_per_year`` (MUSD a year; a year without one has no limit);
* shares: with ``T = sum_{p, j} c[p, j] x[p, j]`` the total cost and ``C_k`` partner k's part,
  ``(s_k - tol) / 100 T <= C_k <= (s_k + tol) / 100 T``, the ratio band written linearly
  (T is linear in x and non-negative), the band clipped to 0-100 %;
* objective: minimise T (MUSD).

Why HiGHS: an assignment problem with a few side constraints is what a branch-and-cut MIP
solver does best (the assignment rows give tight LP relaxations, the side constraints are few
rows), and HiGHS (Huangfu & Hall 2018, "Parallelizing the dual revised simplex method", Math.
Prog. Comp. 10:119-142; its MIP solver), reached through ``scipy.optimize.milp``, either proves
the optimum (relative gap ``MIP_REL_GAP``) or, stopped at the time limit, returns its best split
with the dual bound and gap.

**Why each package went where it did.** With at most ``RESOLVE_MAX_PACKAGES`` packages the
problem is re-solved with the package kept from its partner, and the increase of the total cost
is reported with the partner it then goes to (the runner-up); beyond, the cost difference to
the cheapest other candidate is reported, and said to be so. When a cheaper candidate exists,
the constraints that moving the package alone to it would break are named.

**Why no split exists.** The constraints are grouped into families (the coverage of one
package, the budget of one partner-year, the share band of one partner) and a deletion filter
over the families (Chinneck & Dravnieks 1991, "Locating minimal infeasible constraint sets in
linear programs", ORSA J. Computing 3(2):157-168) finds a set that cannot hold together while
any one of them relaxed can (a package's coverage relaxed: it may be left out). For a share
band in that set, the partner's reachable share under the rest of the set is found by
Dinkelbach's method (Dinkelbach 1967, "On nonlinear fractional programming", Management Science
13(7):492-498), a short sequence of the same integer programmes. Simple cases (a package that
fits no candidate's budget on its own, a partner that can take nothing, share bands that cannot
add up to 100 %) are stated without a search.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from stationplan.orbit.arrays import Array
from stationplan.scenario.models import Scenario

RESOLVE_MAX_PACKAGES = 60
"""Largest problem (packages) whose assignments are explained by re-solving."""

MIP_REL_GAP = 1e-6
"""Relative gap at which HiGHS stops with a proven optimum."""

_EPS = 1e-6
"""Tolerance of the checks, relative to max(1, the quantity) (MUSD)."""

Status = Literal["optimal", "feasible", "infeasible", "time_limit_no_solution"]

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class WorkPackage(BaseModel):
    """A piece of the programme one partner builds, and what each candidate would charge."""

    model_config = _FROZEN

    name: str = Field(min_length=1)
    capability: str = Field(description="What it provides, e.g. 'life support'.")
    start_year: int
    end_year: int = Field(description="Last year of work (inclusive).")
    cost_musd_by_partner: dict[str, float] = Field(
        description="Each candidate partner's cost estimate for the whole package (MUSD); a "
        "partner absent cannot take it. Spread evenly over the years for the budgets."
    )

    @model_validator(mode="after")
    def _check(self) -> WorkPackage:
        if self.end_year < self.start_year:
            raise ValueError(
                f"package {self.name!r}: end_year {self.end_year} is before start_year "
                f"{self.start_year}"
            )
        if not self.cost_musd_by_partner:
            raise ValueError(
                f"package {self.name!r}: cost_musd_by_partner is empty (no candidate partner)"
            )
        for partner, cost in self.cost_musd_by_partner.items():
            if not math.isfinite(cost) or cost < 0:
                raise ValueError(
                    f"package {self.name!r}: cost_musd_by_partner[{partner!r}] is {cost} MUSD; "
                    "costs must be finite and >= 0"
                )
        return self

    @property
    def years(self) -> range:
        """The calendar years of work."""
        return range(self.start_year, self.end_year + 1)

    def yearly_cost_musd(self, partner: str) -> float:
        """``partner``'s cost in each year of the package (MUSD a year)."""
        return self.cost_musd_by_partner[partner] / len(self.years)


class PartnerBudget(BaseModel):
    """A partner's yearly budget for the work packages and its programme share."""

    model_config = _FROZEN

    partner: str = Field(min_length=1)
    budget_musd_per_year: dict[int, float] = Field(
        default_factory=dict,
        description="MUSD per calendar year; a year absent has no limit.",
    )
    share_pct: float = Field(description="Programme share (%, 0-100).")

    @model_validator(mode="after")
    def _check(self) -> PartnerBudget:
        if not 0.0 <= self.share_pct <= 100.0:
            raise ValueError(
                f"budget of {self.partner!r}: share_pct is {self.share_pct}; it must lie in 0-100"
            )
        for year, amount in self.budget_musd_per_year.items():
            if not math.isfinite(amount) or amount < 0:
                raise ValueError(
                    f"budget of {self.partner!r}: budget_musd_per_year[{year}] is {amount} MUSD; "
                    "budgets must be finite and >= 0"
                )
        return self


class WorkSplitProblem(BaseModel):
    """The packages, the partners' budgets and shares, and the share tolerance."""

    model_config = _FROZEN

    packages: list[WorkPackage]
    budgets: list[PartnerBudget] = Field(description="One per partner.")
    share_tolerance_pct: float = Field(
        default=5.0,
        description="A partner's share of the total assigned cost must lie within its "
        "programme share +- this many percentage points.",
    )
    time_limit_s: float = Field(default=10.0, description="HiGHS time limit per solve (s).")

    @model_validator(mode="after")
    def _check(self) -> WorkSplitProblem:
        if not self.packages:
            raise ValueError("packages: no work package")
        if not math.isfinite(self.share_tolerance_pct) or self.share_tolerance_pct < 0:
            raise ValueError(
                f"share_tolerance_pct is {self.share_tolerance_pct}; it must be finite and >= 0"
            )
        if not math.isfinite(self.time_limit_s) or self.time_limit_s <= 0:
            raise ValueError(f"time_limit_s is {self.time_limit_s}; it must be > 0")
        partners: set[str] = set()
        for b in self.budgets:
            if b.partner in partners:
                raise ValueError(f"budgets: partner {b.partner!r} is listed twice")
            partners.add(b.partner)
        names: set[str] = set()
        for p in self.packages:
            if p.name in names:
                raise ValueError(f"packages: the name {p.name!r} is used twice")
            names.add(p.name)
            unknown = sorted(set(p.cost_musd_by_partner) - partners)
            if unknown:
                raise ValueError(
                    f"package {p.name!r}: cost_musd_by_partner names {', '.join(unknown)}, "
                    f"not among the partners of budgets ({', '.join(sorted(partners))})"
                )
        return self

    def band_pct(self, partner: str) -> tuple[float, float]:
        """``partner``'s share band (%): its share +- the tolerance, clipped to 0-100."""
        share = next(b.share_pct for b in self.budgets if b.partner == partner)
        tol = self.share_tolerance_pct
        return max(0.0, share - tol), min(100.0, share + tol)


class Assignment(BaseModel):
    """Where one package went, and why."""

    model_config = _FROZEN

    package: str
    partner: str
    cost_musd: float = Field(description="The partner's cost for the package (MUSD).")
    runner_up: str | None = Field(
        description="Where it goes when kept from its partner (re-solved), else the cheapest "
        "other candidate; None when it has no other candidate."
    )
    runner_up_cost_musd: float | None = Field(description="The runner-up's cost (MUSD).")
    reason: str


class WorkSplit(BaseModel):
    """The optimised work split: assignments, totals, solver figures, or why there is none."""

    status: Status
    total_cost_musd: float | None = Field(description="Total cost of the split (MUSD).")
    bound_musd: float | None = Field(description="HiGHS's lower bound on the total (MUSD).")
    gap_pct: float | None = Field(description="(total - bound) / total (%).")
    wall_time_s: float = Field(description="Whole call: solve, reasons, explanation (s).")
    assignments: list[Assignment]
    partner_totals: dict[str, float] = Field(description="Cost assigned to each partner (MUSD).")
    partner_share_pct: dict[str, float] = Field(description="Its part of the total (%).")
    explanation: list[str] = Field(
        description="Why no split was found (infeasible or time limit), in words."
    )
    share_tolerance_pct: float = Field(
        default=0.0, description="The share band's half-width the split kept (points)."
    )


# ---------------------------------------------------------------------------------------------
# checks of a given split


def _band(lo: float, hi: float) -> str:
    return f"{lo:.1f}-{hi:.1f} %"


def _beside(value: float, edges: Sequence[float]) -> str:
    """``value`` to one decimal, or to as many more (up to four) as tell it from ``edges``."""
    for digits in range(1, 5):
        text = f"{value:.{digits}f}"
        if all(text != f"{edge:.{digits}f}" for edge in edges):
            return text
    return f"{value:.4f}"


def _years(p: WorkPackage) -> str:
    return str(p.start_year) if p.start_year == p.end_year else f"{p.start_year}-{p.end_year}"


def _tol(amount: float) -> float:
    return _EPS * max(1.0, abs(amount))


def violations(problem: WorkSplitProblem, assignment: Mapping[str, str]) -> list[str]:
    """The constraints a split (package name -> partner) breaks, in words, each with the
    split's value: packages left out or given to a non-candidate, yearly budgets exceeded
    (MUSD a year), share bands missed (% of the total cost)."""
    out: list[str] = []
    spend: dict[tuple[str, int], float] = {}
    totals = {b.partner: 0.0 for b in problem.budgets}
    for p in problem.packages:
        k = assignment.get(p.name)
        if k is None:
            out.append(f"the coverage of package {p.name!r} (not assigned)")
            continue
        if k not in p.cost_musd_by_partner:
            out.append(f"the candidates of package {p.name!r} (given to {k})")
            continue
        totals[k] += p.cost_musd_by_partner[k]
        for y in p.years:
            spend[k, y] = spend.get((k, y), 0.0) + p.yearly_cost_musd(k)
    for b in problem.budgets:
        for y, limit in sorted(b.budget_musd_per_year.items()):
            used = spend.get((b.partner, y), 0.0)
            if used > limit + _tol(limit):
                out.append(
                    f"{b.partner}'s {y} budget of {limit:.1f} MUSD "
                    f"(at {_beside(used, [limit])} MUSD)"
                )
    total = sum(totals.values())
    for b in problem.budgets:
        lo, hi = problem.band_pct(b.partner)
        mine = totals[b.partner]
        if mine < lo / 100 * total - _tol(total) or mine > hi / 100 * total + _tol(total):
            share = 100 * mine / total if total > 0 else 0.0
            out.append(
                f"{b.partner}'s share band {_band(lo, hi)} (at {_beside(share, [lo, hi])} %)"
            )
    return out


# ---------------------------------------------------------------------------------------------
# the integer programme


@dataclass(frozen=True)
class _Family:
    """A family of constraints that is relaxed as a whole in the conflict search."""

    kind: Literal["cover", "budget", "share"]
    package: int = -1
    partner: str = ""
    year: int = 0


@dataclass
class _Result:
    status: Status
    x: Array | None  # 0/1 per column
    bound: float | None
    gap_pct: float | None


class _Model:
    """The MILP of the module docstring, with its rows grouped into families."""

    def __init__(self, problem: WorkSplitProblem) -> None:
        self.problem = problem
        self.packages = problem.packages
        cols = [(i, k) for i, p in enumerate(self.packages) for k in p.cost_musd_by_partner]
        self.col_of = {col: j for j, col in enumerate(cols)}
        self.col_package = np.array([i for i, _ in cols])
        self.col_partner = np.array([k for _, k in cols], dtype=object)
        self.cost = np.array([self.packages[i].cost_musd_by_partner[k] for i, k in cols])
        self.n = len(cols)
        self.families: list[_Family] = []
        rows: list[int] = []
        idx: list[int] = []
        vals: list[float] = []
        lb: list[float] = []
        ub: list[float] = []
        row_fam: list[int] = []

        def add_row(js: Sequence[int], coefs: Sequence[float], lo: float, hi: float) -> None:
            r = len(lb)
            for j, v in zip(js, coefs, strict=True):
                if v != 0.0:
                    rows.append(r)
                    idx.append(j)
                    vals.append(v)
            lb.append(lo)
            ub.append(hi)
            row_fam.append(len(self.families) - 1)

        for i, p in enumerate(self.packages):
            self.families.append(_Family("cover", package=i))
            js = [self.col_of[i, k] for k in p.cost_musd_by_partner]
            add_row(js, [1.0] * len(js), 1.0, 1.0)
        for b in problem.budgets:
            for y, limit in sorted(b.budget_musd_per_year.items()):
                js = [
                    self.col_of[i, b.partner]
                    for i, p in enumerate(self.packages)
                    if b.partner in p.cost_musd_by_partner and y in p.years
                ]
                coefs = [self.packages[self.col_package[j]].yearly_cost_musd(b.partner) for j in js]
                if sum(coefs) <= limit:
                    continue  # never binds
                self.families.append(_Family("budget", partner=b.partner, year=y))
                add_row(js, coefs, -np.inf, limit)
        all_cols = list(range(self.n))
        for b in problem.budgets:
            lo, hi = problem.band_pct(b.partner)
            if lo <= 0.0 and hi >= 100.0:
                continue
            mine = self.col_partner == b.partner
            self.families.append(_Family("share", partner=b.partner))
            if lo > 0.0:
                add_row(all_cols, list(self.cost * (mine - lo / 100)), 0.0, np.inf)
            if hi < 100.0:
                add_row(all_cols, list(self.cost * (mine - hi / 100)), -np.inf, 0.0)
        self.A = csr_array((vals, (rows, idx)), shape=(len(lb), self.n))
        self.row_lb = np.array(lb)
        self.row_ub = np.array(ub)
        self.row_fam = np.array(row_fam, dtype=int)
        self.row_cover = np.array([self.families[f].kind == "cover" for f in row_fam])

    def solve(
        self,
        time_limit_s: float,
        enabled: np.ndarray | None = None,
        objective: Array | None = None,
        upper: Array | None = None,
        extra: Sequence[tuple[Array, float, float]] = (),
    ) -> _Result:
        """Solve with the ``enabled`` families (all by default; a coverage family off lets its
        package be left out), ``objective`` (default: the total cost), column upper bounds
        ``upper`` and ``extra`` dense rows (coefficients, lower, upper)."""
        on = np.ones(len(self.families), bool) if enabled is None else enabled
        row_on = on[self.row_fam]
        keep = np.flatnonzero(row_on | self.row_cover)
        A = self.A[keep]
        lb = np.where(row_on, self.row_lb, 0.0)[keep]
        ub = np.where(row_on, self.row_ub, 1.0)[keep]
        if extra:
            A = vstack([A, csr_array(np.array([r for r, _, _ in extra]))], format="csr")
            lb = np.concatenate([lb, [lo for _, lo, _ in extra]])
            ub = np.concatenate([ub, [hi for _, _, hi in extra]])
        res = milp(
            self.cost if objective is None else objective,
            integrality=np.ones(self.n),
            bounds=Bounds(0.0, np.ones(self.n) if upper is None else upper),
            constraints=LinearConstraint(A, lb, ub),
            options={"time_limit": max(time_limit_s, 1e-3), "mip_rel_gap": MIP_REL_GAP},
        )
        bound = getattr(res, "mip_dual_bound", None)
        bound = float(bound) if bound is not None and np.isfinite(bound) else None
        gap = getattr(res, "mip_gap", None)
        gap = 100.0 * float(gap) if gap is not None and np.isfinite(gap) else None
        x = None if res.x is None else (np.asarray(res.x) > 0.5).astype(float)
        if res.status == 0 and x is not None:
            return _Result("optimal", x, bound, gap)
        if res.status == 2:
            return _Result("infeasible", None, None, None)
        if x is not None:
            return _Result("feasible", x, bound, gap)
        return _Result("time_limit_no_solution", None, bound, None)

    def assignment(self, x: Array) -> dict[str, str]:
        """Package name -> partner of a 0/1 solution."""
        return {
            self.packages[self.col_package[j]].name: str(self.col_partner[j])
            for j in np.flatnonzero(x > 0.5)
        }

    def family_words(self, f: _Family) -> str:
        if f.kind == "cover":
            p = self.packages[f.package]
            return f"package {p.name!r} built by one of {', '.join(p.cost_musd_by_partner)}"
        if f.kind == "budget":
            limit = self._budget(f.partner)[f.year]
            return f"{f.partner}'s {f.year} budget ({limit:.1f} MUSD)"
        return f"{f.partner}'s share band {_band(*self.problem.band_pct(f.partner))}"

    def _budget(self, partner: str) -> dict[int, float]:
        return next(b for b in self.problem.budgets if b.partner == partner).budget_musd_per_year


def _totals(problem: WorkSplitProblem, assignment: Mapping[str, str]) -> dict[str, float]:
    totals = {b.partner: 0.0 for b in problem.budgets}
    for p in problem.packages:
        totals[assignment[p.name]] += p.cost_musd_by_partner[assignment[p.name]]
    return totals


# ---------------------------------------------------------------------------------------------
# why each package went where it did


def _cheaper_clause(
    problem: WorkSplitProblem, assignment: Mapping[str, str], p: WorkPackage
) -> str:
    """What moving ``p`` alone to each cheaper candidate would break ('' when none is)."""
    mine = p.cost_musd_by_partner[assignment[p.name]]
    parts = []
    for j, c in sorted(p.cost_musd_by_partner.items(), key=lambda kv: kv[1]):
        if c >= mine - _tol(mine):
            break
        moved = dict(assignment)
        moved[p.name] = j
        broken = violations(problem, moved)
        if broken:
            parts.append(f"{j} ({c:.1f} MUSD) would break {', '.join(broken)}")
        else:
            parts.append(f"{j} ({c:.1f} MUSD) breaks nothing alone (the split is within its gap)")
    return "; cheaper alternatives, moved alone: " + "; ".join(parts) if parts else ""


def _by_difference(p: WorkPackage, k: str, note: str) -> tuple[str | None, float | None, str]:
    """Runner-up, its cost and the reason by the package's cost difference alone."""
    mine = p.cost_musd_by_partner[k]
    j, c = min(((j, c) for j, c in p.cost_musd_by_partner.items() if j != k), key=lambda t: t[1])
    d = c - mine
    if d > _tol(mine):
        text = f"{d:.1f} MUSD cheaper than the runner-up {j} ({mine:.1f} against {c:.1f} MUSD)"
    elif d < -_tol(mine):
        text = f"{-d:.1f} MUSD dearer than {j} ({mine:.1f} against {c:.1f} MUSD)"
    else:
        text = f"as cheap as {j} ({c:.1f} MUSD)"
    return j, c, f"{p.name!r} to {k}: {text}; {note}"


def _reasons(
    model: _Model, assignment: Mapping[str, str], total: float, deadline: float
) -> list[Assignment]:
    problem = model.problem
    resolve = len(problem.packages) <= RESOLVE_MAX_PACKAGES
    out = []
    for i, p in enumerate(problem.packages):
        k = assignment[p.name]
        mine = p.cost_musd_by_partner[k]
        runner: str | None = None
        runner_cost: float | None = None
        if len(p.cost_musd_by_partner) == 1:
            out.append(
                Assignment(
                    package=p.name,
                    partner=k,
                    cost_musd=mine,
                    runner_up=None,
                    runner_up_cost_musd=None,
                    reason=f"{p.name!r} to {k}: the only candidate",
                )
            )
            continue
        left = deadline - time.perf_counter()
        res: _Result | None = None
        if resolve and left > 0:
            upper = np.ones(model.n)
            upper[model.col_of[i, k]] = 0.0
            res = model.solve(left, upper=upper)
        if res is not None and res.status == "optimal" and res.x is not None:
            alt = model.assignment(res.x)
            runner = alt[p.name]
            runner_cost = p.cost_musd_by_partner[runner]
            delta = sum(_totals(problem, alt).values()) - total
            moved = (
                ""
                if abs(runner_cost - mine - delta) <= _tol(total)
                else ", the other packages rearranged"
            )
            if delta > _tol(total):
                text = (
                    f"{delta:.1f} MUSD cheaper in total than the runner-up {runner} "
                    f"(re-solved without {k} on it: {runner} at {runner_cost:.1f} against "
                    f"{mine:.1f} MUSD{moved})"
                )
            elif delta < -_tol(total):
                text = (
                    f"the split is not proven optimal: re-solved without {k} on it, it goes to "
                    f"{runner} ({runner_cost:.1f} against {mine:.1f} MUSD{moved}) and the total "
                    f"is {-delta:.1f} MUSD lower"
                )
            else:
                text = (
                    f"a tie: re-solved without {k} on it, it goes to {runner} "
                    f"({runner_cost:.1f} against {mine:.1f} MUSD{moved}) at the same total"
                )
            reason = f"{p.name!r} to {k}: {text}"
        elif res is not None and res.status == "infeasible":
            others = sorted((c, j) for j, c in p.cost_musd_by_partner.items() if j != k)
            runner_cost, runner = others[0]
            alone = []
            for c, j in others:
                moved_split = dict(assignment)
                moved_split[p.name] = j
                broken = violations(problem, moved_split)
                alone.append(f"{j} ({c:.1f} MUSD) would break {', '.join(broken) or 'nothing'}")
            reason = (
                f"{p.name!r} to {k}: no split without {k} on it meets the budgets and shares "
                f"(re-solved: infeasible); moved alone: {'; '.join(alone)}"
            )
            out.append(
                Assignment(
                    package=p.name,
                    partner=k,
                    cost_musd=mine,
                    runner_up=runner,
                    runner_up_cost_musd=runner_cost,
                    reason=reason,
                )
            )
            continue
        else:
            note = (
                f"package costs compared, not re-solved (more than {RESOLVE_MAX_PACKAGES} packages)"
                if not resolve
                else "package costs compared (the re-solve found no proven optimum in time)"
            )
            runner, runner_cost, reason = _by_difference(p, k, note)
        out.append(
            Assignment(
                package=p.name,
                partner=k,
                cost_musd=mine,
                runner_up=runner,
                runner_up_cost_musd=runner_cost,
                reason=reason + _cheaper_clause(problem, assignment, p),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# why no split exists


def _forced_positive(problem: WorkSplitProblem) -> bool:
    """Whether every split has a positive total cost."""
    return any(min(p.cost_musd_by_partner.values()) > 0 for p in problem.packages)


def _quick_conflicts(problem: WorkSplitProblem) -> list[str]:
    """Conflicts that need no search, each a proof on its own."""
    lines = []
    budgets = {b.partner: b.budget_musd_per_year for b in problem.budgets}
    for p in problem.packages:
        blocks = []
        for k in p.cost_musd_by_partner:
            yearly = p.yearly_cost_musd(k)
            over = [(y, budgets[k][y]) for y in p.years if yearly > budgets[k].get(y, np.inf)]
            if not over:
                break
            which = " and ".join(f"{y} ({limit:.1f} MUSD)" for y, limit in over)
            plural = "s" if len(over) > 1 else ""
            blocks.append(f"{k} {yearly:.1f} MUSD a year, above its budget{plural} for {which}")
        else:
            lines.append(
                f"package {p.name!r} ({_years(p)}) has no candidate within its budgets: it "
                f"costs {'; '.join(blocks)}"
            )
    if not _forced_positive(problem):
        return lines
    bands = {b.partner: problem.band_pct(b.partner) for b in problem.budgets}
    for k, (lo, hi) in bands.items():
        if lo > 0 and not any(k in p.cost_musd_by_partner for p in problem.packages):
            lines.append(
                f"{k}'s share band {_band(lo, hi)} cannot be met: {k} is a candidate for no "
                "package, so its share is 0 %"
            )
    low = sum(lo for lo, _ in bands.values())
    high = sum(hi for _, hi in bands.values())
    if high < 100.0 - 1e-9:
        lines.append(
            f"the share bands' upper ends sum to {high:.1f} % < 100 % "
            f"({', '.join(f'{k} {hi:.1f} %' for k, (_, hi) in bands.items())}): the partners "
            "cannot take the whole cost between them"
        )
    if low > 100.0 + 1e-9:
        lines.append(
            f"the share bands' lower ends sum to {low:.1f} % > 100 % "
            f"({', '.join(f'{k} {lo:.1f} %' for k, (lo, _) in bands.items())})"
        )
    return lines


def _deletion_filter(model: _Model, deadline: float) -> tuple[np.ndarray, bool]:
    """A set of families that cannot hold together, each one needed (when complete): drop a
    family for good when the rest is still infeasible (coverage first, then budgets, then
    share bands, so that the set keeps the budgets and bands that matter)."""
    on = np.ones(len(model.families), bool)
    complete = True
    order = {"cover": 0, "budget": 1, "share": 2}
    zero = np.zeros(model.n)
    for f in sorted(range(len(model.families)), key=lambda f: order[model.families[f].kind]):
        left = deadline - time.perf_counter()
        if left <= 0:
            complete = False
            break
        on[f] = False
        res = model.solve(left, enabled=on, objective=zero)
        if res.status == "infeasible":
            continue
        on[f] = True
        if res.x is None:
            complete = False
    return on, complete


@dataclass
class _Extreme:
    share_pct: float
    partner_musd: float
    total_musd: float
    taken: list[str]


def _share_extreme(
    model: _Model,
    enabled: np.ndarray,
    partner: str,
    maximise: bool,
    deadline: float,
    extra: Sequence[tuple[Array, float, float]] = (),
) -> _Extreme | None:
    """The largest (smallest) share of ``partner`` over the splits meeting the ``enabled``
    families and ``extra`` rows, by Dinkelbach's method: optimise C_k - lam T, set lam to the
    solution's share, until the optimum is 0. None when a solve fails or runs out of time."""
    mine = (model.col_partner == partner).astype(float)
    lam = 0.0 if maximise else 1.0
    best: _Extreme | None = None
    for _ in range(50):
        obj = model.cost * (mine - lam)
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        res = model.solve(left, enabled=enabled, objective=-obj if maximise else obj, extra=extra)
        if res.status != "optimal" or res.x is None:
            return None
        total = float(model.cost @ res.x)
        part = float(model.cost @ (mine * res.x))
        value = part - lam * total
        done = value <= _tol(total) if maximise else value >= -_tol(total)
        if done and best is not None:
            return best
        if total <= 0:
            return best or _Extreme(0.0, 0.0, 0.0, [])
        taken = [
            model.packages[model.col_package[j]].name for j in np.flatnonzero(mine * res.x > 0.5)
        ]
        best = _Extreme(100 * part / total, part, total, taken)
        if done:
            return best
        lam = part / total
    return best


def _names(names: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(repr(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "") or "none"


def _share_words(model: _Model, on: np.ndarray, f: int, within: str, deadline: float) -> str:
    """Why the share band of family ``f`` cannot be met under the rest of the conflict ``on``:
    its reachable share with every package assigned when the rest allows that, else with the
    conflict's packages only. ``within`` names the rest (budgets, other bands) in words."""
    k = model.families[f].partner
    lo, hi = model.problem.band_pct(k)
    relaxed = on.copy()
    relaxed[f] = False
    rest = relaxed.copy()
    rest[[g for g, fam in enumerate(model.families) if fam.kind == "cover"]] = True
    context = f"with every package assigned{within}"
    left = deadline - time.perf_counter()
    if model.solve(left, enabled=rest, objective=np.zeros(model.n)).x is None:
        rest = relaxed
        context = f"with the packages above assigned (the others may be left out){within}"
    head = f"{k}'s share band {_band(lo, hi)} cannot be met {context}"
    top = _share_extreme(model, rest, k, True, deadline)
    if top is not None and top.share_pct < lo:
        return (
            f"{head}: its share is at most {_beside(top.share_pct, [lo])} % ({k} taking "
            f"{_names(top.taken)}: {top.partner_musd:.1f} of {top.total_musd:.1f} MUSD)"
        )
    bottom = _share_extreme(model, rest, k, False, deadline)
    if bottom is not None and bottom.share_pct > hi:
        return (
            f"{head}: its share is at least {_beside(bottom.share_pct, [hi])} % ({k} left with "
            f"{_names(bottom.taken)}: {bottom.partner_musd:.1f} of {bottom.total_musd:.1f} MUSD)"
        )
    if top is None or bottom is None:
        when = "in time" if time.perf_counter() >= deadline else "(no split meets the rest)"
        return f"{head} (its reachable share was not found {when})"
    mine = (model.col_partner == k).astype(float)
    below = _share_extreme(
        model, rest, k, True, deadline, [(model.cost * (mine - lo / 100), -np.inf, 0.0)]
    )
    above = _share_extreme(
        model, rest, k, False, deadline, [(model.cost * (mine - hi / 100), 0.0, np.inf)]
    )
    if below is None or above is None:
        return f"{head}: its share can lie below or above the band, never inside it"
    return (
        f"{head}: below the band its share is at most {_beside(below.share_pct, [lo])} %, "
        f"above it at least {_beside(above.share_pct, [hi])} % ({k} taking {_names(above.taken)}: "
        f"{above.partner_musd:.1f} of {above.total_musd:.1f} MUSD); no split puts it inside"
    )


def _describe(model: _Model, on: np.ndarray, complete: bool, deadline: float) -> list[str]:
    fams = [model.families[f] for f in np.flatnonzero(on)]
    head = (
        "no work split meets all of these together, while one does with any one of them "
        "relaxed (a package left out, a budget or share band lifted): "
        if complete
        else "no work split meets all of these together (the search for the fewest stopped "
        "at the time limit, so some may not be needed): "
    )
    cover_fams = [f for f in fams if f.kind == "cover"]
    if len(cover_fams) <= 8:
        words = [model.family_words(f) for f in cover_fams]
    else:
        names = [model.packages[f.package].name for f in cover_fams]
        words = [f"{len(names)} packages ({_names(names)}) each built by one of its candidates"]
    budget_fams = [f for f in fams if f.kind == "budget"]
    words += [model.family_words(f) for f in budget_fams[:24]]
    if len(budget_fams) > 24:
        words.append(f"{len(budget_fams) - 24} more budgets")
    words += [model.family_words(f) for f in fams if f.kind == "share"]
    lines = [head + "; ".join(words)]
    budget_years = {(f.partner, f.year) for f in fams if f.kind == "budget"}
    cover = [model.packages[f.package] for f in fams if f.kind == "cover"]
    for p in cover[:8]:
        costs = ", ".join(
            f"{k} {c:.1f} MUSD ({p.yearly_cost_musd(k):.1f} a year)"
            for k, c in p.cost_musd_by_partner.items()
        )
        hits = sorted(
            f"{k}'s {y}" for k, y in budget_years if k in p.cost_musd_by_partner and y in p.years
        )
        when = f"; counts against {', '.join(hits)} budget" + ("s" if len(hits) > 1 else "")
        when = when if hits else ""
        lines.append(f"package {p.name!r} ({_years(p)}): {costs}{when}")
    if len(cover) > 8:
        lines.append(f"... and {len(cover) - 8} more packages")
    shares = [int(f) for f in np.flatnonzero(on) if model.families[f].kind == "share"]
    within = ", within the budgets above" if budget_years else ""
    if len(shares) > 1:
        within += " and with the other share bands above"
    for f in shares:
        lines.append(_share_words(model, on, f, within, deadline))
    return lines


def _explain(model: _Model, status: Status, deadline: float) -> list[str]:
    problem = model.problem
    lines = _quick_conflicts(problem)
    if status == "time_limit_no_solution":
        return [
            f"HiGHS found no work split within {problem.time_limit_s:g} s and did not prove "
            "that none exists",
            *lines,
        ]
    if lines:
        return lines
    on, complete = _deletion_filter(model, deadline)
    return _describe(model, on, complete, deadline)


# ---------------------------------------------------------------------------------------------


def solve_worksplit(problem: WorkSplitProblem) -> WorkSplit:
    """The cheapest work split (HiGHS MILP of the module docstring), each assignment's reason,
    or, when there is none, why (conflicting budgets and share bands, in words).

    The split is solved within ``problem.time_limit_s``; the reasons (re-solves) or the
    explanation of an infeasible problem get as long again, so the call takes at most about
    twice the time limit (``wall_time_s``)."""
    started = time.perf_counter()
    model = _Model(problem)
    res = model.solve(problem.time_limit_s)
    if res.x is None:
        explanation = _explain(model, res.status, time.perf_counter() + problem.time_limit_s)
        return WorkSplit(
            status=res.status,
            total_cost_musd=None,
            bound_musd=res.bound,
            gap_pct=None,
            wall_time_s=time.perf_counter() - started,
            assignments=[],
            partner_totals={},
            partner_share_pct={},
            explanation=explanation,
        )
    assignment = model.assignment(res.x)
    totals = _totals(problem, assignment)
    total = sum(totals.values())
    gap = res.gap_pct
    if gap is None and res.bound is not None and total > 0:
        gap = 100 * (total - res.bound) / total
    reasons = _reasons(model, assignment, total, time.perf_counter() + problem.time_limit_s)
    explanation = []
    if res.status == "feasible":
        explanation.append(
            f"stopped at the time limit of {problem.time_limit_s:g} s: the split is within "
            f"{gap if gap is not None else float('nan'):.3f} % of the optimum"
        )
    return WorkSplit(
        status=res.status,
        total_cost_musd=total,
        bound_musd=res.bound,
        gap_pct=0.0 if total <= 0 else gap,
        wall_time_s=time.perf_counter() - started,
        assignments=reasons,
        partner_totals=totals,
        partner_share_pct={k: 100 * v / total if total > 0 else 0.0 for k, v in totals.items()},
        explanation=explanation,
    )


def scenario_problem(scenario: Scenario) -> WorkSplitProblem | None:
    """The work-split problem of a scenario: its work packages, the yearly budget of each
    partner that is a candidate for some package, and the policy's tolerance; None without
    work packages. The share bands are the candidates' utilisation shares scaled to sum to
    100 % among them (a partner that takes part in no package, e.g. one that has left, holds
    no band)."""
    if not scenario.work_packages:
        return None
    candidates = {code for w in scenario.work_packages for code in w.cost_musd_by_partner}
    partners = [p for p in scenario.partners if p.code in candidates]
    total = sum(p.utilization_share_pct for p in partners)
    return WorkSplitProblem(
        packages=[
            WorkPackage(
                name=w.name,
                capability=w.capability,
                start_year=w.start_year,
                end_year=w.end_year,
                cost_musd_by_partner=dict(w.cost_musd_by_partner),
            )
            for w in scenario.work_packages
        ],
        budgets=[
            PartnerBudget(
                partner=p.code,
                budget_musd_per_year=dict(p.budget_musd_per_year),
                share_pct=100.0 * p.utilization_share_pct / total if total > 0 else 0.0,
            )
            for p in partners
        ],
        share_tolerance_pct=scenario.policies.work_share_tolerance_pct,
    )


def scenario_work_split(scenario: Scenario) -> WorkSplit | None:
    """:func:`solve_worksplit` of the scenario's work packages (None without any)."""
    problem = scenario_problem(scenario)
    if problem is None:
        return None
    split = solve_worksplit(problem)
    return split.model_copy(update={"share_tolerance_pct": problem.share_tolerance_pct})
