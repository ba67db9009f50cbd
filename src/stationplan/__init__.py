"""stationplan: plan and simulate a multinational orbital space station programme.

Layers (data flows one way): ``scenario`` -> ``orbit`` -> ``ops`` -> ``program`` -> ``plan``
-> ``report``. ``orbit`` is pure flight dynamics on numpy arrays and knows nothing of
partners or flights.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stationplan")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
