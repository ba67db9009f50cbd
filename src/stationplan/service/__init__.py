"""The programme service (``stationplan serve``): a FastAPI face over the use cases.

It holds programmes, scenario versions, partners' proposals and notes, and plan runs; the
planning itself is the use cases' (:mod:`stationplan.report.run_folder`). Build the app with
:func:`create_app`; who may see and do what is decided in :mod:`stationplan.service.access`.
"""

from stationplan.service.app import create_app
from stationplan.service.settings import Settings

__all__ = ["Settings", "create_app"]
