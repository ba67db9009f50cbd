"""The array types of the flight-dynamics layer.

Shapes follow one rule: N epochs give ``(N,)`` scalars and ``(N, 3)`` vectors; M objects at N
epochs give ``(M, N, 3)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Time

Array = NDArray[np.float64]
"""A float64 array (unit and shape in the name and docstring of whatever holds it)."""

StateFunction = Callable[[Time], tuple[Array, Array]]
"""A trajectory: Time (N epochs) -> TEME position (N, 3) km and velocity (N, 3) km/s."""
