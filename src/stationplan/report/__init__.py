"""Reports and exports of a plan: the HTML report, plan.json, OEM and CZML, output files."""

from stationplan.report.output import output_file, output_folder, write_text_atomic

__all__ = ["output_file", "output_folder", "write_text_atomic"]
