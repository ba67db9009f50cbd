"""Along-track avoidance: the Clohessy-Wiltshire shift against a numerical two-body
propagation, and the Pc-targeted search on a synthetic head-on conjunction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from stationplan.orbit.avoidance import Avoidance, along_track_shift_m, avoidance
from stationplan.orbit.collision import pc_2d
from stationplan.orbit.constants import MU_KM3_S2, R_EQ_KM

ALT_KM = 420.0
R0_KM = R_EQ_KM + ALT_KM
V0_KM_S = math.sqrt(MU_KM3_S2 / R0_KM)
N_RAD_S = math.sqrt(MU_KM3_S2 / R0_KM**3)
PERIOD_S = 2.0 * math.pi / N_RAD_S


def _two_body(t_s: float, y: np.ndarray) -> np.ndarray:
    r = y[:3]
    return np.concatenate([y[3:], -MU_KM3_S2 * r / np.linalg.norm(r) ** 3])


def _propagate_km(state: np.ndarray, t_s: float) -> np.ndarray:
    sol = solve_ivp(_two_body, (0.0, t_s), state, method="DOP853", rtol=1e-12, atol=1e-12)
    out: np.ndarray = sol.y[:, -1]
    return out


@pytest.mark.parametrize("orbits", [0.25, 0.5, 1.0, 1.5, 2.0])
def test_shift_matches_numerical_two_body(orbits: float) -> None:
    """CW against Cowell: a circular 420 km orbit propagated with and without a 0.1 m/s
    prograde impulse (scipy DOP853, rtol 1e-12); the difference at t, in the reference's RTN
    axes at t, agrees with CW within 1 % of the displacement's size. Differences expected:
    second order in dv (~dv/v ~ 1e-5) and the curvature of the in-track arc (y^2 / 2r < 1 m)."""
    dv_m_s = 0.1
    t_s = orbits * PERIOD_S
    ref0 = np.array([R0_KM, 0.0, 0.0, 0.0, V0_KM_S * math.cos(0.9), V0_KM_S * math.sin(0.9)])
    burn0 = ref0.copy()
    burn0[3:] += dv_m_s * 1e-3 * ref0[3:] / V0_KM_S
    ref, burn = _propagate_km(ref0, t_s), _propagate_km(burn0, t_s)
    r_hat = ref[:3] / np.linalg.norm(ref[:3])
    n_hat = np.cross(ref[:3], ref[3:])
    n_hat /= np.linalg.norm(n_hat)
    t_hat = np.cross(n_hat, r_hat)
    d_m = 1e3 * (burn[:3] - ref[:3])
    x_num, y_num, z_num = d_m @ r_hat, d_m @ t_hat, d_m @ n_hat
    x_cw, y_cw = along_track_shift_m(dv_m_s, t_s, N_RAD_S)
    size_m = math.hypot(x_cw, y_cw)
    assert size_m > 100.0
    assert abs(x_num - x_cw) < 0.01 * size_m
    assert abs(y_num - y_cw) < 0.01 * size_m
    assert abs(z_num) < 1e-3


def test_one_orbit_lead_is_pure_intrack() -> None:
    """A whole orbit after the burn the radial offset is back to zero and the in-track one is
    the period change times three: y = -3 dv T."""
    dv_m_s = 0.05
    x, y = along_track_shift_m(dv_m_s, PERIOD_S, N_RAD_S)
    assert abs(x) < 1e-9
    assert y == pytest.approx(-3.0 * dv_m_s * PERIOD_S, rel=1e-9)
    x2, _ = along_track_shift_m(-dv_m_s, 0.5 * PERIOD_S, N_RAD_S)
    assert x2 == pytest.approx(-4.0 * dv_m_s / N_RAD_S, rel=1e-12)


SIGMA_M = 200.0
HBR_M = 20.0
MISS_M = 50.0
COV_M2 = SIGMA_M**2 * np.eye(3)


def _head_on() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Primary on a circular 420 km orbit at TCA; secondary head-on, 50 m above it."""
    r1 = np.array([R0_KM, 0.0, 0.0])
    v1 = np.array([0.0, V0_KM_S, 0.0])
    r2 = r1 + np.array([MISS_M * 1e-3, 0.0, 0.0])
    v2 = -v1
    return r1, v1, r2, v2


def _pc_shifted(dv_m_s: float, lead_s: float) -> float:
    r1, v1, r2, v2 = _head_on()
    n = math.sqrt(MU_KM3_S2 / R0_KM**3)
    x, y = along_track_shift_m(dv_m_s, lead_s, n)
    r1_m = 1e3 * r1 + np.array([x, y, 0.0])  # R = +x, T = +y at this state
    return pc_2d(r1_m, 1e3 * v1, COV_M2, 1e3 * r2, 1e3 * v2, COV_M2, HBR_M).pc


def test_head_on_conjunction_cleared_by_smallest_dv() -> None:
    """Miss 50 m radial, 200 m isotropic sigmas, HBR 20 m: Pc ~ 2.5e-3. Lead half an orbit
    (radial shift 4 dv / n): the retrograde burn wins, since lowering the primary moves it
    away from the secondary above it; 0.9 dv does not clear 1e-4."""
    r1, v1, r2, v2 = _head_on()
    lead_s = 0.5 * PERIOD_S
    out = avoidance(r1, v1, COV_M2, r2, v2, COV_M2, HBR_M, lead_s, 1e-4)
    assert isinstance(out, Avoidance)
    assert out.pc_before == pytest.approx(2.46e-3, rel=0.02)
    assert out.miss_before_m == pytest.approx(MISS_M, abs=1e-6)
    assert out.dv_m_s < 0.0
    assert out.pc_after < 1e-4
    assert _pc_shifted(out.dv_m_s, lead_s) < 1e-4
    assert _pc_shifted(0.9 * out.dv_m_s, lead_s) >= 1e-4
    assert _pc_shifted(-0.999 * out.dv_m_s, lead_s) >= 1e-4  # prograde needs more
    assert out.radial_shift_m == pytest.approx(4.0 * out.dv_m_s / N_RAD_S, rel=1e-9)
    assert out.miss_after_m == pytest.approx(MISS_M - out.radial_shift_m, rel=1e-6)
    assert out.da_km == pytest.approx(2.0 * out.dv_m_s * 1e-3 / N_RAD_S, rel=1e-9)
    assert out.lead_s == lead_s


def test_already_under_target_needs_no_burn() -> None:
    r1, v1, r2, v2 = _head_on()
    out = avoidance(r1, v1, COV_M2, r2, v2, COV_M2, HBR_M, 0.5 * PERIOD_S, 1e-2)
    assert out is not None
    assert out.dv_m_s == 0.0
    assert out.pc_after == out.pc_before
    assert out.radial_shift_m == 0.0
    assert out.intrack_shift_m == 0.0
    assert out.da_km == 0.0


def test_impossible_within_max_dv_is_none() -> None:
    """A whole orbit of lead shifts the primary only along the head-on relative velocity,
    which leaves the encounter-plane miss unchanged; half an orbit with max 0.01 m/s moves it
    by 35 m at most."""
    r1, v1, r2, v2 = _head_on()
    assert avoidance(r1, v1, COV_M2, r2, v2, COV_M2, HBR_M, PERIOD_S, 1e-4) is None
    assert (
        avoidance(r1, v1, COV_M2, r2, v2, COV_M2, HBR_M, 0.5 * PERIOD_S, 1e-4, max_dv_m_s=0.01)
        is None
    )
