"""What-ifs: a partner withdraws, a country joins; bad changes are refused before planning."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stationplan.cli import app
from stationplan.errors import ScenarioError
from stationplan.plan.whatif import run_whatif
from stationplan.scenario import load_scenario
from stationplan.scenario.variants import Withdrawal, read_join_file, variant_scenario

runner = CliRunner()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("partner", "date", "says"),
    [
        ("NASSA", utc(2030, 1, 1), "'NASSA' is not a partner of the scenario; the partners are"),
        ("NASA", utc(2045, 1, 1), "2045-01-01 is outside the programme (2026-01-01 to"),
        ("ISRO", utc(2028, 1, 1), "ISRO joins on 2031-01-01: it cannot withdraw on 2028-01-01"),
        ("ROSCOSMOS", utc(2033, 1, 1), "ROSCOSMOS already withdraws on 2031-01-31"),
    ],
)
def test_bad_withdrawals_are_refused(partner: str, date: datetime, says: str) -> None:
    sc = load_scenario().scenario
    with pytest.raises(ScenarioError) as err:
        variant_scenario(sc, Withdrawal(partner=partner, date_utc=date))
    assert says in str(err.value)


def test_join_file_problems_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "uaesa.yaml"
    path.write_text(
        "partner:\n  code: UAESA\n  name: UAE Space Agency\n  country: United Arab Emirates\n"
        "  join_utc: 2033-01-01\n  utilization_share_pct: 250\nresident_crew: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        read_join_file(path)
    assert f"{path}:6" in str(err.value) and "utilization_share_pct" in str(err.value)


def test_the_only_crew_transport_provider_withdraws() -> None:
    """NASA buys every flight of the Concord era (Crew Dragon, Cargo Dragon, Cygnus): its
    withdrawal in 2033 leaves crew transport without a provider, lists the flights that no
    longer fly, and no manifest keeps the crew alive."""
    loaded = load_scenario()
    result = run_whatif(
        loaded,
        Withdrawal(partner="NASA", date_utc=utc(2033, 1, 1)),
        risk_runs=20,
        manifest_time_limit_s=5,
    )
    c = result.comparison
    assert c.capabilities is not None
    crew = c.capabilities.loss("crew transport")
    assert crew.becomes_gap and [i.item for i in crew.items_lost] == ["Crew Dragon"]
    assert c.flights_lost and all(
        any(v in f for v in ("Crew Dragon", "Cargo Dragon", "Cygnus")) for f in c.flights_lost
    )
    assert not c.crew_kept_alive
    assert c.variant.manifest_status not in ("OPTIMAL", "FEASIBLE")
    assert "Power Truss 1" in c.modules_owned
    nasa = next(p for p in c.partners if p.partner == "NASA")
    assert nasa.spending_musd_variant < nasa.spending_musd_baseline
    assert nasa.effective_share_pct_variant < nasa.effective_share_pct_baseline
    # the others' shares grow pro rata
    esa = next(p for p in c.partners if p.partner == "ESA")
    assert esa.effective_share_pct_variant > esa.effective_share_pct_baseline


def test_whatif_command_join_writes_the_comparison(tmp_path: Path) -> None:
    join = tmp_path / "uaesa.yaml"
    join.write_text(
        "partner:\n  code: UAESA\n  name: UAE Space Agency\n  country: United Arab Emirates\n"
        "  join_utc: 2033-01-01\n  utilization_share_pct: 2.0\n",
        encoding="utf-8",
    )
    out = tmp_path / "w"
    res = runner.invoke(
        app, ["whatif", "--join", str(join), "--date", "2033-01-01", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".stationplan-output.json",
        "baseline.json",
        "variant.json",
        "whatif.html",
        "whatif.json",
    ]
    c = json.loads((out / "whatif.json").read_text(encoding="utf-8"))
    assert c["change"] == "UAESA joins on 2033-01-01"
    uaesa = next(p for p in c["partners"] if p["partner"] == "UAESA")
    assert uaesa["effective_share_pct_baseline"] == 0.0
    assert uaesa["effective_share_pct_variant"] > 0.0
    assert "What-if: UAESA joins on 2033-01-01" in (out / "whatif.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--date", "2033-01-01"], "give either --withdraw CODE or --join FILE"),
        (["--withdraw", "NASA", "--date", "soon"], "--date"),
        (["--withdraw", "NASSA", "--date", "2033-01-01"], "'NASSA' is not a partner"),
    ],
)
def test_whatif_command_bad_input_exits_2(tmp_path: Path, args: list[str], says: str) -> None:
    out = tmp_path / "w"
    res = runner.invoke(app, ["whatif", *args, "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert says in res.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_join_after_the_programme_ends_is_a_clear_error(tmp_path: Path) -> None:
    join = tmp_path / "uaesa.yaml"
    join.write_text(
        "partner:\n  code: UAESA\n  name: UAE Space Agency\n  country: United Arab Emirates\n"
        "  join_utc: 2045-01-01\n  utilization_share_pct: 2\n",
        encoding="utf-8",
    )
    out = tmp_path / "w"
    res = runner.invoke(
        app, ["whatif", "--join", str(join), "--date", "2045-01-01", "-o", str(out)]
    )
    assert res.exit_code == 2, res.output
    assert "2045-01-01 is outside the programme (2026-01-01 to 2038-12-31)" in res.output
    assert not out.exists()


def test_a_newcomer_whose_share_overfills_the_members_is_refused() -> None:
    """In 2030 the members hold 96.5 % (ISRO joins in 2031): a 5 % newcomer makes 101.5 %;
    in 2033 (Roscosmos gone, 70 %) it fits."""
    from stationplan.scenario.models import JoinFile, Partner
    from stationplan.scenario.variants import Accession

    sc = load_scenario().scenario
    new = Partner(
        code="UAESA",
        name="UAE Space Agency",
        country="United Arab Emirates",
        join_utc=utc(2030, 1, 1),
        utilization_share_pct=5.0,
    )
    with pytest.raises(ScenarioError) as err:
        variant_scenario(sc, Accession(join=JoinFile(partner=new), date_utc=utc(2030, 1, 1)))
    assert "adds up to 101.5 %" in str(err.value)
    ok = variant_scenario(sc, Accession(join=JoinFile(partner=new), date_utc=utc(2033, 1, 1)))
    assert ok.partner("UAESA").join_utc == utc(2033, 1, 1)


# --------------------------------------------------------------------------- named variants

VARIANT_OF_DEFAULT = "ESA leaves in 2034"


def _with_variants(block: str) -> str:
    from stationplan.scenario.loader import default_scenario_text

    text = default_scenario_text()
    head, _, _ = text.partition("\nvariants:\n")
    return head + "\nvariants:\n" + block


@pytest.mark.parametrize(
    ("block", "field", "says"),
    [
        (
            "  - {name: gone, withdraw: NASSA, date_utc: 2030-01-01}\n",
            "variants[0].withdraw",
            "variant 'gone': 'NASSA' is not a partner of the scenario",
        ),
        (
            "  - {name: late, withdraw: ESA, date_utc: 2045-01-01}\n",
            "variants[0].date_utc",
            "2045-01-01 is outside the programme",
        ),
        (
            "  - {name: both, withdraw: ESA, date_utc: 2030-01-01,\n"
            "     join: {partner: {code: UAESA, name: U, country: U, join_utc: 2030-01-01}}}\n",
            "variants[0]",
            "give either 'withdraw: CODE' or 'join: {partner: ...}'",
        ),
        (
            "  - {name: twice, withdraw: ESA, date_utc: 2030-01-01}\n"
            "  - {name: twice, withdraw: JAXA, date_utc: 2030-01-01}\n",
            "variants[1].name",
            "variant name 'twice' is used twice",
        ),
        (
            "  - name: crowded\n    date_utc: 2030-01-01\n    join:\n"
            "      partner: {code: UAESA, name: UAE Space Agency, country: UAE,\n"
            "                join_utc: 2030-01-01, utilization_share_pct: 5}\n",
            "variants[0]",
            "the scenario with this variant does not hold",
        ),
    ],
)
def test_bad_variants_are_refused_by_validate(block: str, field: str, says: str) -> None:
    """Whatever `run` cannot plan, loading refuses: each variant is built and validated as a
    scenario, its problems named by the variant's field and line."""
    from stationplan.scenario import parse_scenario

    text = _with_variants(block)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="s.yaml")
    message = str(err.value)
    assert says in message and field in message, message
    line = text.splitlines().index("variants:") + 2
    assert f"s.yaml:{line}" in message or f"s.yaml:{line + 1}" in message, message


def test_run_compares_each_named_variant_with_the_baseline() -> None:
    """The default scenario's variant: ESA leaves in 2034. Its vehicles and its modules'
    capabilities go, its share passes to the others, and the variant's ledger has ESA's
    entitlement end at the date."""
    from tests.conftest import default_run

    plan = default_run().plan
    (variant,) = plan.variants
    assert variant.name == VARIANT_OF_DEFAULT
    assert variant.date_utc == utc(2034, 1, 1)
    assert variant.change == "ESA withdraws on 2034-01-01"
    assert variant.modules_owned and "European Laboratory" in variant.modules_owned
    assert variant.capabilities is not None
    deltas = {d.partner: d for d in variant.partners}
    esa = deltas["ESA"]
    # ESA is a member for 8 of the programme's 13 years instead of all of them
    assert esa.crew_hours_entitled_variant < 0.8 * esa.crew_hours_entitled_baseline
    assert esa.effective_share_pct_variant < esa.effective_share_pct_baseline
    for code in ("NASA", "JAXA", "CSA"):
        assert deltas[code].effective_share_pct_variant > deltas[code].effective_share_pct_baseline
    assert variant.headline[0].startswith("ESA withdraws on 2034-01-01: manifest")


def test_the_report_shows_each_variant_and_the_timeline_marks_it() -> None:
    from stationplan.report.html import render_report
    from tests.conftest import default_run

    html = render_report(default_run().plan)
    assert 'id="variants"' in html and VARIANT_OF_DEFAULT in html
    assert "ISRO joins on 2031-01-01" in html and "ROSCOSMOS leaves on 2031-01-31" in html
    assert f"variant: {VARIANT_OF_DEFAULT}" in html  # the timeline's marker
