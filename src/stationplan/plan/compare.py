"""Baseline against variant: the comparison of two plans of a partnership change (a
withdrawal or an accession), for the ``whatif`` command and the scenario's named variants.

The comparison says, for a withdrawal, which flights no longer fly (the partner's vehicles and
the flights it purchased, from the date), which modules it owns, which capabilities it takes
away (gaps and single providers that follow), the re-planned manifest, the change in every
partner's spending, entitlements and share, and whether the station still keeps its crew
alive: a manifest exists (it holds the lifeboat rule, the crew capacity and the stock of every
supply by construction), no supply falls short and the power balance holds; the risk runs'
probabilities of a crew reduction and a broken lifeboat rule are shown beside. For an
accession, the same figures show what the newcomer brings.
"""

from __future__ import annotations

from stationplan.plan.model import (
    PartnerDelta,
    Plan,
    PlanFigures,
    Severity,
    WhatIfComparison,
)
from stationplan.program.capabilities import capabilities_lost_by
from stationplan.scenario.models import Scenario
from stationplan.scenario.variants import Change, Withdrawal

CREW_TOPICS = ("manifest", "logistics", "power")
"""Warning topics that mean the crew would not be kept alive as planned."""


def _figures(plan: Plan) -> PlanFigures:
    ops = plan.operations
    risk = ops.risk if ops is not None else []
    fleet = [f for f in ops.manifest.flights if f.vehicle] if ops is not None else []
    return PlanFigures(
        manifest_status=ops.manifest.solver.status if ops is not None else "none",
        fleet_flights=len(fleet),
        flight_cost_musd=round(sum(f.cost_musd for f in fleet), 1),
        programme_cost_musd=plan.partnership.programme_cost_musd if plan.partnership else 0.0,
        crew_warnings=[
            f"{f.topic}: {f.message}"
            for f in plan.findings
            if f.severity is Severity.WARNING and f.topic in CREW_TOPICS
        ],
        p_crew_reduction=max((r.p_crew_reduction for r in risk), default=None),
        p_lifeboat_break=max((r.p_lifeboat_break for r in risk), default=None),
    )


def compare(
    base_sc: Scenario, base: Plan, var_sc: Scenario, variant: Plan, change: Change
) -> WhatIfComparison:
    """Baseline against variant (see the module docstring)."""
    b, v = _figures(base), _figures(variant)
    lost: list[str] = []
    owned: list[str] = []
    impact = None
    if isinstance(change, Withdrawal):
        code = change.partner
        payers = {x.name for x in base_sc.vehicles if code in (x.operator, x.purchased_by)}
        if base.operations is not None:
            lost = [
                f.flight
                for f in base.operations.manifest.flights
                if f.vehicle in payers and f.launch_utc >= change.date_utc
            ]
        owned = [m.name for st in base_sc.stations for m in st.modules if m.owner == code]
        impact = capabilities_lost_by(base_sc, code, change.date_utc)
    partners = []
    for p in var_sc.partners:
        partners.append(_delta(p.code, base, variant))
    alive = v.manifest_status in ("OPTIMAL", "FEASIBLE") and not v.crew_warnings
    headline = [
        f"{change.describe()}: manifest {b.manifest_status} -> {v.manifest_status}, "
        f"{b.fleet_flights} -> {v.fleet_flights} fleet flights, "
        f"{b.flight_cost_musd:,.0f} -> {v.flight_cost_musd:,.0f} MUSD of flights",
        f"programme cost {b.programme_cost_musd:,.0f} -> {v.programme_cost_musd:,.0f} MUSD",
    ]
    if lost:
        headline.append(f"{len(lost)} flight(s) of its vehicles no longer fly from the date")
    if impact is not None:
        for loss in impact.losses:
            if loss.becomes_gap or loss.becomes_single_provider or loss.below_need_after:
                headline.append(loss.reason)
    headline.append(
        "the crew is kept alive as planned"
        if alive
        else "the crew is NOT kept alive as planned: "
        + "; ".join(v.crew_warnings[:2])
        + (f"; and {len(v.crew_warnings) - 2} more" if len(v.crew_warnings) > 2 else "")
    )
    return WhatIfComparison(
        change=change.describe(),
        date_utc=change.date_utc,
        headline=headline,
        baseline=b,
        variant=v,
        flights_lost=lost,
        modules_owned=owned,
        capabilities=impact,
        partners=partners,
        crew_kept_alive=alive,
    )


def _delta(code: str, base: Plan, variant: Plan) -> PartnerDelta:
    def spending(plan: Plan) -> float:
        if plan.partnership is None:
            return 0.0
        return next(
            (u.spending_musd for u in plan.partnership.unit_costs if u.partner == code), 0.0
        )

    def hours(plan: Plan) -> float:
        if plan.partnership is None:
            return 0.0
        rows = plan.partnership.unit_costs
        return next((u.crew_hours_entitled for u in rows if u.partner == code), 0.0)

    def share(plan: Plan) -> float:
        if plan.partnership is None:
            return 0.0
        return next((s.effective_pct for s in plan.partnership.shares if s.partner == code), 0.0)

    return PartnerDelta(
        partner=code,
        spending_musd_baseline=spending(base),
        spending_musd_variant=spending(variant),
        crew_hours_entitled_baseline=hours(base),
        crew_hours_entitled_variant=hours(variant),
        effective_share_pct_baseline=share(base),
        effective_share_pct_variant=share(variant),
    )
