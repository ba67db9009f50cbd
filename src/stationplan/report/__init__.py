"""Reports and exports of a plan: the HTML report, plan.json, and (later) CSV, CCSDS, CZML."""

from stationplan.report.html import render_report
from stationplan.report.output import atomic_directory, write_text_atomic

__all__ = ["atomic_directory", "render_report", "write_text_atomic"]
