"""CCSDS Conjunction Data Messages (CDM, CCSDS 508.0-B-1, KVN) of a screening: one message
per approach, built as ``ccsds-ndm`` CDM 1.0 objects and written by its KVN writer.

Each message has the header (``ORIGINATOR = stationplan``), the relative metadata (TCA, miss
distance, relative speed, the secondary's position and velocity relative to the primary in
the primary's RTN axes, the Pc and its method) with two comments, the hard-body radius in
CARA's form (``HBR = 20 [m]``, which ``stationplan pc`` reads back) and the covariances'
status, then per object the metadata (catalog number, name, international designator or
``UNKNOWN``, ``EPHEMERIS_NAME = NONE``, ``COVARIANCE_METHOD = DEFAULT``, ``MANEUVERABLE =
N/A``, the reference frame), the state at TCA (km, km/s) and the 6x6 RTN covariance lower
triangle (m^2, m^2/s, m^2/s^2). The blank lines ``ccsds-ndm`` puts between sections are
left out, so that messages written one after another are separated by one blank line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ccsds_ndm.models.ndmxml4.ndmxml_4_0_0_cdm_1_0 import (
    CdmBody,
    CdmCovarianceMatrixType,
    CdmData,
    CdmHeader,
    CdmMetadata,
    CdmSegment,
    CdmStateVectorType,
    CovarianceMethodType,
    DvType,
    DvUnits,
    M2S2Type,
    M2S2Units,
    M2SType,
    M2SUnits,
    M2Type,
    M2Units,
    ManeuverableType,
    ObjectType,
    ReferenceFrameType,
    RelativeMetadataData,
    RelativeStateVectorType,
)
from ccsds_ndm.models.ndmxml4.ndmxml_4_0_0_common_4_0 import (
    LengthTypeUo,
    LengthUnits,
    PositionTypeUr,
    PositionUnits,
    VelocityTypeUr,
    VelocityUnits,
)
from ccsds_ndm.models.ndmxml4.ndmxml_4_0_0_master_4_0 import Cdm
from ccsds_ndm.ndm_kvn_io import NdmKvnIo

from stationplan.ops.conjunctions import PC_METHOD, STATE_FRAME, ConjunctionRow, ObjectAtTca

__all__ = ["COVARIANCE_COMMENT", "cdm_file_name", "cdm_kvn", "cdm_stream"]

ORIGINATOR = "stationplan"
COVARIANCE_COMMENT = (
    "Covariances are assumed element-set covariances (by object type and element-set age), "
    "not from orbit determination; velocity terms zero"
)
_AXES = ("R", "T", "N", "RDOT", "TDOT", "NDOT")
_TIME = "%Y-%m-%dT%H:%M:%S.%f"


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_TIME)


def cdm_file_name(row: ConjunctionRow) -> str:
    """``<primary>_<secondary>_<TCA yyyymmddThhmmss>.cdm`` (catalog numbers, TCA in UTC)."""
    return f"{row.primary}_{row.secondary}_{row.tca_utc.astimezone(UTC):%Y%m%dT%H%M%S}.cdm"


def _message_id(row: ConjunctionRow, created_utc: datetime) -> str:
    tca = row.tca_utc.astimezone(UTC)
    return (
        f"{row.primary}_conj_{row.secondary}_{tca:%Y%m%d_%H%M%S}_"
        f"{created_utc.astimezone(UTC):%Y%m%d_%H%M%S}"
    )


def _covariance(cov: tuple[tuple[float, ...], ...]) -> CdmCovarianceMatrixType:
    terms: dict[str, Any] = {}
    for i in range(6):
        for j in range(i + 1):
            name = f"c{_AXES[i]}_{_AXES[j]}".lower()
            value = float(cov[i][j])
            if i >= 3 and j >= 3:
                terms[name] = M2S2Type(value=value, units=M2S2Units.M_2_S_2)
            elif i >= 3:
                terms[name] = M2SType(value=value, units=M2SUnits.M_2_S)
            else:
                terms[name] = M2Type(value=value, units=M2Units.M_2)
    return CdmCovarianceMatrixType(**terms)


def _segment(label: str, obj: ObjectAtTca) -> CdmSegment:
    r, v = obj.r_km, obj.v_km_s
    return CdmSegment(
        metadata=CdmMetadata(
            object_value=ObjectType(label),
            object_designator=str(obj.catalog_number),
            catalog_name="SATCAT",
            object_name=obj.name or "UNKNOWN",
            international_designator=obj.international_designator or "UNKNOWN",
            ephemeris_name="NONE",
            covariance_method=CovarianceMethodType.DEFAULT,
            maneuverable=ManeuverableType.N_A,
            ref_frame=ReferenceFrameType(STATE_FRAME),
        ),
        data=CdmData(
            state_vector=CdmStateVectorType(
                x=PositionTypeUr(value=r[0], units=PositionUnits.KM),
                y=PositionTypeUr(value=r[1], units=PositionUnits.KM),
                z=PositionTypeUr(value=r[2], units=PositionUnits.KM),
                x_dot=VelocityTypeUr(value=v[0], units=VelocityUnits.KM_S),
                y_dot=VelocityTypeUr(value=v[1], units=VelocityUnits.KM_S),
                z_dot=VelocityTypeUr(value=v[2], units=VelocityUnits.KM_S),
            ),
            covariance_matrix=_covariance(obj.cov_rtn),
        ),
    )


def _length(value_m: float) -> LengthTypeUo:
    return LengthTypeUo(value=float(value_m), units=LengthUnits.M)


def _speed(value_m_s: float) -> DvType:
    return DvType(value=float(value_m_s), units=DvUnits.M_S)


def cdm_kvn(row: ConjunctionRow, created_utc: datetime) -> str:
    """The CDM (KVN, CCSDS 508.0-B-1) of one approach, created at ``created_utc``; ends with
    a newline and holds no blank line."""
    rel_r, rel_v = row.rel_position_rtn_m, row.rel_velocity_rtn_m_s
    message = Cdm(
        header=CdmHeader(
            creation_date=_time(created_utc),
            originator=ORIGINATOR,
            message_id=_message_id(row, created_utc),
        ),
        body=CdmBody(
            relative_metadata_data=RelativeMetadataData(
                comment=[f"HBR = {row.hbr_m:g} [m]", COVARIANCE_COMMENT],
                tca=_time(row.tca_utc),
                miss_distance=_length(row.miss_km * 1e3),
                relative_speed=_speed(row.rel_speed_km_s * 1e3),
                relative_state_vector=RelativeStateVectorType(
                    relative_position_r=_length(rel_r[0]),
                    relative_position_t=_length(rel_r[1]),
                    relative_position_n=_length(rel_r[2]),
                    relative_velocity_r=_speed(rel_v[0]),
                    relative_velocity_t=_speed(rel_v[1]),
                    relative_velocity_n=_speed(rel_v[2]),
                ),
                collision_probability=min(max(float(row.pc), 0.0), 1.0),
                collision_probability_method=PC_METHOD,
            ),
            segment=[_segment("OBJECT1", row.objects[0]), _segment("OBJECT2", row.objects[1])],
        ),
    )
    text = str(NdmKvnIo().to_string(message))
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def cdm_stream(rows: list[ConjunctionRow], created_utc: datetime) -> str:
    """The CDMs of ``rows`` one after another, separated by a blank line."""
    return "\n".join(cdm_kvn(row, created_utc) for row in rows)
