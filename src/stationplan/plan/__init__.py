"""The plan engine: scenario in, one typed :class:`Plan` out."""

from stationplan.plan.engine import build_plan
from stationplan.plan.model import Plan

__all__ = ["Plan", "build_plan"]
