"""Regenerate ``src/stationplan/report/data/land_mask_0p5deg.npz`` (maps drawn offline).

Source: the ``global-land-mask`` package (GLOBE 1-km digital elevation data, NOAA NGDC),
sampled at the centres of a 0.5-degree grid. Run once by hand:

    .venv/bin/pip install global-land-mask && .venv/bin/python tools/make_land_mask.py
"""

from pathlib import Path

import numpy as np
from global_land_mask import globe

STEP_DEG = 0.5
lat = np.arange(-90.0, 90.0 + STEP_DEG / 2, STEP_DEG)
lon = np.arange(-180.0, 180.0 + STEP_DEG / 2, STEP_DEG)
lon_grid, lat_grid = np.meshgrid(lon, lat)
land = globe.is_land(np.clip(lat_grid, -89.99, 89.99), np.clip(lon_grid, -179.99, 179.99))
out = Path(__file__).resolve().parents[1] / "src/stationplan/report/data/land_mask_0p5deg.npz"
np.savez_compressed(out, lat_deg=lat, lon_deg=lon, land_bits=np.packbits(land),
                    shape=np.array(land.shape))
print(out, land.shape, f"{land.mean():.3f} land", out.stat().st_size, "bytes")
