"""Space weather: the two CelesTrak/CSSI files, the NRLMSIS input convention, errors.

Reference values are read from the files themselves (CelesTrak's SW-All.csv and the
CelesTrak/CSSI SpaceWeather-All-v1.2 file); the cross-check is 2015-03-27, the Soyuz TMA-16M
launch day, for which both files give F10.7 = 137.8 and Ap = 8.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pymsis.utils
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationplan.errors import ArgumentError, StationplanInputError
from stationplan.orbit.spaceweather import DEFAULT_PREDICTED_AP, SpaceWeather, jd_utc_of_date
from stationplan.orbit.spaceweather_files import (
    read_celestrak_csv,
    read_cssi_txt,
    read_space_weather,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "space_weather"
CSV = DATA / "celestrak_SW-All_1998-07_2041-10_thermodense.csv"
CSSI = DATA / "cssi_SpaceWeather-All-v1.2_1957-10_orekit-data.txt"


@pytest.fixture(scope="module")
def csv_weather() -> SpaceWeather:
    if not CSV.is_file():
        pytest.skip(f"{CSV} is not present")
    return read_space_weather(CSV)


@pytest.fixture(scope="module")
def cssi_weather() -> SpaceWeather:
    if not CSSI.is_file():
        pytest.skip(f"{CSSI} is not present")
    return read_space_weather(CSSI)


def day_values(sw: SpaceWeather, day: date) -> tuple[float, float, float, list[float], str]:
    i = sw.day_index(day)
    return (
        float(sw.f107_sfu[i]),
        float(sw.f107_81day_sfu[i]),
        float(sw.ap_daily[i]),
        sw.ap_3h[i].tolist(),
        str(sw.kind[i]),
    )


# --------------------------------------------------------------------- real files


@pytest.mark.parametrize("which", ["csv_weather", "cssi_weather"])
def test_soyuz_tma16m_day_in_both_files(which: str, request: pytest.FixtureRequest) -> None:
    """For 2015-03-27 both CelesTrak files give F10.7 = 137.8 and Ap = 8."""
    sw: SpaceWeather = request.getfixturevalue(which)
    f107, f107a, ap, ap3, kind = day_values(sw, date(2015, 3, 27))
    assert f107 == 137.8
    assert ap == 8.0
    assert f107a == 125.2  # CSV F10.7_OBS_CENTER81 and CSSI "Ctr81 obs" agree this day
    assert ap3 == [15, 9, 9, 5, 9, 5, 4, 5]
    assert kind == "OBS"


def test_csv_spot_values(csv_weather: SpaceWeather) -> None:
    """Rows read by eye from the CSV (line numbers of the file)."""
    assert csv_weather.first_day == date(1998, 7, 1)
    # line 2: 1998-07-01 ... AP1..8 = 3,2,2,4,3,7,9,12, AP_AVG 5, F10.7_OBS 126.8, CENTER81 111.5
    assert day_values(csv_weather, date(1998, 7, 1)) == (
        126.8, 111.5, 5.0, [3, 2, 2, 4, 3, 7, 9, 12], "OBS"
    )  # fmt: skip
    # line 6116: 2015-03-28, F10.7_OBS 145.6, CENTER81 125.5 (the CSSI file says 125.6)
    assert day_values(csv_weather, date(2015, 3, 28)) == (
        145.6, 125.5, 8.0, [0, 6, 18, 6, 6, 9, 7, 12], "OBS"
    )  # fmt: skip
    # line 1523: 2002-08-30 is an interpolated (INT) day, F10.7 174.8
    assert day_values(csv_weather, date(2002, 8, 30))[0::4] == (174.8, "INT")


def test_csv_radio_burst_and_monthly_predictions(csv_weather: SpaceWeather) -> None:
    # 2011-03-07: F10.7_OBS 938.6 (a radio burst) -> replaced by its 81-day mean 115.0
    assert day_values(csv_weather, date(2011, 3, 7))[:2] == (115.0, 115.0)
    assert any("radio bursts" in note and "2011-03-07" in note for note in csv_weather.notes)
    # line 10209: 2026-07-01 PRM row, F10.7 122.3, CENTER81 124.9, no Ap -> default ap 15,
    # held for the whole month
    for day in (date(2026, 7, 1), date(2026, 7, 31)):
        f107, f107a, ap, ap3, kind = day_values(csv_weather, day)
        assert (f107, f107a, kind) == (122.3, 124.9, "PRM")
        assert ap == DEFAULT_PREDICTED_AP and ap3 == [DEFAULT_PREDICTED_AP] * 8
    assert any("PRM" in note and "ap = 15" in note for note in csv_weather.notes)
    # the last daily prediction (2026-06-10) is carried over the gap to the first PRM row
    assert day_values(csv_weather, date(2026, 6, 20))[0::4] == (116.4, "FILL")
    assert csv_weather.last_day == date(2041, 10, 31)


def test_cssi_spot_values(cssi_weather: SpaceWeather) -> None:
    """Rows read by eye from the CSSI file; observed (not adjusted) F10.7 in columns 113-118."""
    # line 20: 1957 10 01 ... Ap 32 27 15 7 22 9 32 22, Avg 21, F10.7 obs 269.3, Ctr81 obs 266.6
    assert day_values(cssi_weather, date(1957, 10, 1)) == (
        269.3, 266.6, 21.0, [32, 27, 15, 7, 22, 9, 32, 22], "OBS"
    )  # fmt: skip
    # line 21017: 2015 03 28, obs 145.6, Ctr81 obs 125.6
    assert day_values(cssi_weather, date(2015, 3, 28))[:3] == (145.6, 125.6, 8.0)
    # 2011-03-07: the adjusted flux is 924.4 but the observed one 151.9 is kept
    assert day_values(cssi_weather, date(2011, 3, 7))[0] == 151.9
    # DAILY_PREDICTED 2020-12-05 (line 23100): obs 88.6, Ap 5
    assert day_values(cssi_weather, date(2020, 12, 5))[0::2] == (88.6, 5.0, "PRD")
    # MONTHLY_PREDICTED 2021-02-01 (line 23148): obs 73.8, Ctr81 obs 82.9, Ap 4, whole month
    assert day_values(cssi_weather, date(2021, 2, 14)) == (73.8, 82.9, 4.0, [4.0] * 8, "PRM")
    # gap between the last daily prediction (2021-01-17) and February: carried forward
    assert day_values(cssi_weather, date(2021, 1, 25))[0::4] == (108.5, "FILL")
    assert cssi_weather.last_day == date(2044, 6, 30)


def test_files_agree_over_2015(csv_weather: SpaceWeather, cssi_weather: SpaceWeather) -> None:
    """Both files copy the same observations. Over 2015 every ap and daily Ap agree; F10.7
    agrees exactly from March on, while 44 days of January-February differ by up to 5.4 sfu
    (one of the files carries revised values; read from the files, not documented there)."""
    days = [date.fromordinal(date(2015, 1, 1).toordinal() + k) for k in range(365)]
    a = [csv_weather.day_index(d) for d in days]
    b = [cssi_weather.day_index(d) for d in days]
    np.testing.assert_array_equal(csv_weather.ap_3h[a], cssi_weather.ap_3h[b])
    np.testing.assert_array_equal(csv_weather.ap_daily[a], cssi_weather.ap_daily[b])
    march = days.index(date(2015, 3, 1))
    np.testing.assert_array_equal(csv_weather.f107_sfu[a][march:], cssi_weather.f107_sfu[b][march:])
    np.testing.assert_allclose(csv_weather.f107_sfu[a], cssi_weather.f107_sfu[b], atol=5.5)


# --------------------------------------------------------------------- NRLMSIS inputs


def test_msis_inputs_by_hand(cssi_weather: SpaceWeather) -> None:
    """At the ISS element-set epoch 2015-03-27 04:09:38 UTC (3-hour slot 03-06 UTC).

    ap of 2015-03-24/25/26/27 from the file: 24th [6 5 5 9 18 22 6 7], 25th [7 9 12 18 22 12
    18 7], 26th [9 5 6 3 7 9 7 15], 27th [15 9 9 5 9 5 4 5].
    """
    jd = jd_utc_of_date(date(2015, 3, 27)) + (4 * 3600 + 9 * 60 + 38) / 86400
    inputs = cssi_weather.msis_inputs(jd)
    assert inputs.f107_prev_day_sfu.tolist() == [136.1]  # 2015-03-26 observed
    assert inputs.f107_81day_sfu.tolist() == [125.2]
    # daily Ap; now 9; -3 h 15; -6 h 15 (26th 21-24 UTC); -9 h 7; mean of 26th slots 0-5 and
    # 25th slots 6-7 = (9+5+6+3+7+9+18+7)/8 = 8; mean of 25th slots 0-5 and 24th 6-7 = 93/8
    assert inputs.ap.tolist() == [[8, 9, 15, 15, 7, 8.0, 11.625]]
    assert inputs.clamped.tolist() == [False]


def test_msis_inputs_match_pymsis_reader(
    csv_weather: SpaceWeather, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pymsis' own reader of the same CSV gives the same triple at 500 random epochs.

    pymsis is pointed at our local file by patching its cache (never its default file, which
    it would download); monkeypatch restores it afterwards.
    """
    state = pymsis.utils._SPACE_WEATHER
    monkeypatch.setattr(state, "path", CSV)
    monkeypatch.setattr(state, "data", None)
    rng = np.random.default_rng(20150327)
    seconds = rng.uniform(3 * 86400, 10_000 * 86400, 500)
    dates = np.datetime64("1998-07-01T00:00:00") + seconds.astype("timedelta64[s]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymsis warns about interpolated (INT) days
        f107, f107a, aps = pymsis.utils.get_f107_ap(dates)
    jd = jd_utc_of_date(date(1998, 7, 1)) + np.floor(seconds) / 86400
    ours = csv_weather.msis_inputs(jd)
    np.testing.assert_array_equal(ours.f107_prev_day_sfu, f107)
    np.testing.assert_array_equal(ours.f107_81day_sfu, f107a)
    np.testing.assert_array_equal(ours.ap, aps)
    assert not ours.clamped.any()


def test_outside_the_data_is_clamped_and_flagged(cssi_weather: SpaceWeather) -> None:
    first = float(cssi_weather.day_jd_utc[0])
    last = float(cssi_weather.day_jd_utc[-1])
    inputs = cssi_weather.msis_inputs([first - 100.0, first + 1.2, first + 10.0, last + 5.0])
    assert inputs.clamped.tolist() == [True, True, False, True]  # day 2 lacks 57 h of history
    assert inputs.f107_81day_sfu[0] == cssi_weather.f107_81day_sfu[0]
    assert inputs.f107_81day_sfu[-1] == cssi_weather.f107_81day_sfu[-1]
    assert inputs.ap[-1, 1] == cssi_weather.ap_3h[-1, -1]


def test_scalar_and_array_times_agree(cssi_weather: SpaceWeather) -> None:
    jd = jd_utc_of_date(date(2003, 10, 29)) + np.linspace(0.0, 3.0, 25)  # Halloween storm
    batch = cssi_weather.msis_inputs(jd)
    for k, one in enumerate(jd):
        single = cssi_weather.msis_inputs(float(one))
        assert single.ap.shape == (1, 7)
        np.testing.assert_array_equal(single.ap[0], batch.ap[k])
        assert single.f107_prev_day_sfu[0] == batch.f107_prev_day_sfu[k]


# --------------------------------------------------------------------- constant and table


def test_constant() -> None:
    sw = SpaceWeather.constant(150.0, 140.0, 15.0)
    inputs = sw.msis_inputs([2400000.5, 2460000.25, 2500000.75])
    assert inputs.f107_prev_day_sfu.tolist() == [150.0] * 3
    assert inputs.f107_81day_sfu.tolist() == [140.0] * 3
    assert inputs.ap.tolist() == [[15.0] * 7] * 3
    assert not inputs.clamped.any()


def test_table_is_stepwise() -> None:
    rows = [
        (datetime(2015, 3, 25, tzinfo=UTC), 130.0, 120.0, 5.0),
        (datetime(2015, 3, 27, tzinfo=UTC), 140.0, 125.0, 30.0),
    ]
    sw = SpaceWeather.from_table(rows)
    day = jd_utc_of_date(date(2015, 3, 27))
    inputs = sw.msis_inputs([day - 1.5, day + 0.1, day + 1.9, day + 400.0, day - 3.0])
    # 0.1 day into the 27th the 57 h of ap history reach before the first row: flagged
    # F10.7 is the previous day's: 130 on the 27th, 140 from the 28th on
    assert inputs.f107_prev_day_sfu.tolist() == [130.0, 130.0, 140.0, 140.0, 130.0]
    assert inputs.f107_81day_sfu.tolist() == [120.0, 125.0, 125.0, 125.0, 120.0]
    assert inputs.ap[:, 0].tolist() == [5.0, 30.0, 30.0, 30.0, 5.0]
    # 0.1 day into the 27th: current ap 30, 3 h earlier still the 26th (5)
    assert inputs.ap[1, 1:3].tolist() == [30.0, 5.0]
    # the last row holds for ever; before the first row (and its 57 h of history) is flagged
    assert inputs.clamped.tolist() == [True, True, False, False, True]


def test_table_errors() -> None:
    naive = datetime(2015, 3, 25)
    with pytest.raises(ArgumentError, match=r"rows\[0\].*timezone-aware"):
        SpaceWeather.from_table([(naive, 130.0, 120.0, 5.0)])
    with pytest.raises(ArgumentError, match=r"rows\[0\].*not 00:00 UTC"):
        SpaceWeather.from_table([(datetime(2015, 3, 25, 12, tzinfo=UTC), 130.0, 120.0, 5.0)])
    with pytest.raises(ArgumentError, match=r"rows\[1\].*increasing"):
        SpaceWeather.from_table(
            [
                (datetime(2015, 3, 25, tzinfo=UTC), 130.0, 120.0, 5.0),
                (datetime(2015, 3, 24, tzinfo=UTC), 130.0, 120.0, 5.0),
            ]
        )
    with pytest.raises(ArgumentError, match=r"F10\.7 must be positive"):
        SpaceWeather.constant(0.0, 120.0, 5.0)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.tuples(
            st.floats(60.0, 390.0).map(lambda x: round(x, 1)),
            st.floats(60.0, 390.0).map(lambda x: round(x, 1)),
            st.lists(st.integers(0, 400), min_size=8, max_size=8),
        ),
        min_size=1,
        max_size=30,
    ),
    start=st.dates(date(1960, 1, 1), date(2060, 1, 1)),
)
def test_csv_round_trip(values: list[tuple[float, float, list[int]]], start: date) -> None:
    """Any daily table written in the SW-All.csv layout reads back unchanged."""
    import tempfile

    header = (
        "DATE,BSRN,ND,KP1,KP2,KP3,KP4,KP5,KP6,KP7,KP8,KP_SUM,AP1,AP2,AP3,AP4,AP5,AP6,AP7,AP8,"
        "AP_AVG,CP,C9,ISN,F10.7_OBS,F10.7_ADJ,F10.7_DATA_TYPE,F10.7_OBS_CENTER81,"
        "F10.7_OBS_LAST81,F10.7_ADJ_CENTER81,F10.7_ADJ_LAST81"
    )
    lines = [header]
    for k, (f107, f107a, ap3) in enumerate(values):
        day = date.fromordinal(start.toordinal() + k)
        avg = round(sum(ap3) / 8)
        kp = ",".join(["0"] * 8)
        lines.append(
            f"{day.isoformat()},2400,1,{kp},0,{','.join(map(str, ap3))},{avg},0.0,0,0,"
            f"{f107},{f107},OBS,{f107a},{f107a},{f107a},{f107a}"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "SW-All.csv"
        path.write_text("\n".join(lines) + "\n")
        sw = read_space_weather(path)
    assert sw.first_day == start and len(sw.day_jd_utc) == len(values)
    assert sw.f107_sfu.tolist() == [v[0] for v in values]
    assert sw.f107_81day_sfu.tolist() == [v[1] for v in values]
    assert sw.ap_3h.tolist() == [v[2] for v in values]


# --------------------------------------------------------------------- bad files


def _csv_head(tmp_path: Path, n_lines: int = 30) -> tuple[Path, list[str]]:
    if not CSV.is_file():
        pytest.skip(f"{CSV} is not present")
    lines = CSV.read_text().splitlines()[:n_lines]
    return tmp_path / "SW-All.csv", lines


def _cssi_part(tmp_path: Path) -> tuple[Path, list[str]]:
    if not CSSI.is_file():
        pytest.skip(f"{CSSI} is not present")
    lines = CSSI.read_text().splitlines()
    # header, 30 observed days, then the real file's closing and the daily predictions
    begin = lines.index("BEGIN OBSERVED")
    end = lines.index("END OBSERVED")
    part = [*lines[:begin], "BEGIN OBSERVED", *lines[begin + 1 : begin + 31], *lines[end:]]
    part = [("NUM_OBSERVED_POINTS 30" if x.startswith("NUM_OBSERVED") else x) for x in part]
    return tmp_path / "sw19571001.txt", part


def test_csv_bad_number_names_file_line_and_column(tmp_path: Path) -> None:
    path, lines = _csv_head(tmp_path)
    fields = lines[11].split(",")
    fields[24] = "12x.5"  # F10.7_OBS
    lines[11] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(StationplanInputError) as info:
        read_celestrak_csv(path)
    message = str(info.value)
    assert message.startswith(f"{path}:12 F10.7_OBS:")
    assert "expected a number, got '12x.5'" in message


def test_csv_wrong_field_count_and_missing_column(tmp_path: Path) -> None:
    path, lines = _csv_head(tmp_path)
    lines[5] = lines[5] + ",extra"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(StationplanInputError, match=rf"^{path}:6: 32 fields, expected 31"):
        read_celestrak_csv(path)
    path.write_text("\n".join([lines[0].replace("AP_AVG", "APAVG"), *lines[1:5]]) + "\n")
    with pytest.raises(StationplanInputError, match=rf"^{path}:1: header lacks column\(s\) AP_AVG"):
        read_celestrak_csv(path)


def test_csv_dates_must_increase(tmp_path: Path) -> None:
    path, lines = _csv_head(tmp_path)
    lines[8], lines[9] = lines[9], lines[8]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(StationplanInputError, match=rf"^{path}:10: date 1998-07-08 does not"):
        read_celestrak_csv(path)


def test_cssi_bad_field_names_file_line_and_columns(tmp_path: Path) -> None:
    path, lines = _cssi_part(tmp_path)
    row = lines.index("BEGIN OBSERVED") + 5  # 0-based index; line number is row + 1
    lines[row] = lines[row][:112] + " abc.d" + lines[row][118:]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(StationplanInputError) as info:
        read_cssi_txt(path)
    assert str(info.value) == (
        f"{path}:{row + 1}:113: f107_obs (columns 113-118): expected a number, got ' abc.d'"
    )


def test_cssi_structure_errors(tmp_path: Path) -> None:
    path, lines = _cssi_part(tmp_path)
    good = list(lines)
    row = lines.index("BEGIN OBSERVED") + 3
    lines[row] = lines[row][:80]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        StationplanInputError, match=rf":{row + 1}: 80 characters, expected at least 124"
    ):
        read_cssi_txt(path)

    no_end = [x for x in good if x != "END DAILY_PREDICTED"]
    path.write_text("\n".join(no_end) + "\n")
    begin_line = no_end.index("BEGIN DAILY_PREDICTED") + 1
    next_line = no_end.index("BEGIN MONTHLY_PREDICTED") + 1
    with pytest.raises(
        StationplanInputError,
        match=rf":{next_line}: 'BEGIN MONTHLY_PREDICTED' inside block DAILY_PREDICTED opened at "
        rf"line {begin_line}: expected 'END DAILY_PREDICTED' first",
    ):
        read_cssi_txt(path)

    unclosed = [x for x in good if x != "END MONTHLY_FIT"]
    path.write_text("\n".join(unclosed) + "\n")
    begin_line = unclosed.index("BEGIN MONTHLY_FIT") + 1
    with pytest.raises(StationplanInputError, match=rf":{begin_line}: block MONTHLY_FIT opened"):
        read_cssi_txt(path)

    short = [x for x in good if not x.startswith("2021 01 17")]
    path.write_text("\n".join(short) + "\n")
    count_line = short.index("NUM_DAILY_PREDICTED_POINTS 44") + 1
    with pytest.raises(
        StationplanInputError, match=rf":{count_line}: NUM_DAILY_PREDICTED_POINTS says 44 rows"
    ):
        read_cssi_txt(path)


def test_unknown_content(tmp_path: Path) -> None:
    path = tmp_path / "weather.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(StationplanInputError, match=rf"^{path}:1: neither a CelesTrak"):
        read_space_weather(path)
    with pytest.raises(StationplanInputError, match="cannot read the file"):
        read_space_weather(tmp_path / "missing.csv")
