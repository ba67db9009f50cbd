"""The flight manifest: crew rotations and cargo flights placed in launch windows and on
docking ports by a constraint-programming solver (OR-Tools CP-SAT).

* :mod:`stationplan.ops.manifest.problem`: the problem, the result and the day grid;
* :mod:`stationplan.ops.manifest.launch_days`: a vehicle's launch opportunities by day;
* :mod:`stationplan.ops.manifest.model`: the CP-SAT model (flights, ports, crew, cargo
  stock, flight rates, objective);
* :mod:`stationplan.ops.manifest.reorder`: the reorder-point cargo schedule the search
  starts from;
* :mod:`stationplan.ops.manifest.solve`: the solve, crew rotations then cargo flights;
* :mod:`stationplan.ops.manifest.explain`: why an infeasible model has no manifest;
* :mod:`stationplan.ops.manifest.read`: the solution read into flights and crew members.
"""

from stationplan.ops.manifest.launch_days import opportunities
from stationplan.ops.manifest.problem import (
    CARRIERS,
    Manifest,
    ManifestProblem,
    Opportunity,
    SolverReport,
    StationSupply,
    day_of,
)
from stationplan.ops.manifest.solve import solve_manifest

__all__ = [
    "CARRIERS",
    "Manifest",
    "ManifestProblem",
    "Opportunity",
    "SolverReport",
    "StationSupply",
    "day_of",
    "opportunities",
    "solve_manifest",
]
