"""Load a scenario file: YAML with positions, pydantic validation, cross-field checks.

All problems are collected and raised together as one :class:`ScenarioError`, each naming the
file, the line and the field path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from stationplan.errors import Problem, ScenarioError, StationplanInputError
from stationplan.orbit.element_files import read_elements
from stationplan.orbit.elements import ElementSet
from stationplan.scenario.checks import check_scenario
from stationplan.scenario.messages import format_path, problems_from_validation
from stationplan.scenario.models import BUILTIN_PREFIX, Scenario
from stationplan.scenario.variants import change_of_variant, variant_scenario
from stationplan.scenario.yamlsource import MAX_DOCUMENT_BYTES, PositionedDocument, load_yaml

DEFAULT_SCENARIO_NAME = "default.yaml"
MAX_SCENARIO_BYTES = MAX_DOCUMENT_BYTES

EXAMPLE_NAMES: tuple[str, ...] = ("iss-2015",)
"""The example scenarios shipped in ``stationplan/scenario/examples/`` (``NAME.yaml``):

* ``iss-2015``: the ISS of 2015-2016 with the one-year mission (Kelly, Kornienko), as flown
  then, for comparing the planner with the record.
"""


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from and the SHA-256 of its bytes."""

    scenario: Scenario
    source: str
    sha256: str
    text: str


def default_scenario_text() -> str:
    """The embedded default scenario, with its source comments, as YAML text."""
    return (
        resources.files("stationplan.scenario")
        .joinpath(DEFAULT_SCENARIO_NAME)
        .read_text(encoding="utf-8")
    )


def example_scenario_text(name: str) -> str:
    """The example scenario ``name`` (one of :data:`EXAMPLE_NAMES`), with its source comments,
    as YAML text; :class:`StationplanInputError` naming the examples for any other name."""
    if name not in EXAMPLE_NAMES:
        raise StationplanInputError(
            Problem(
                "--example",
                f"no example named {name!r}; the examples are: {', '.join(EXAMPLE_NAMES)}",
            )
        )
    return (
        resources.files("stationplan.scenario")
        .joinpath("examples", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


def parse_scenario(
    text: str, source: str = "<scenario>", *, local_files: bool = True
) -> LoadedScenario:
    """Validate scenario YAML ``text``; ``source`` names it in error messages. With
    ``local_files`` False (a scenario uploaded to a server) the scenario may name only the
    data files shipped with stationplan (``builtin:``), never a path on the machine."""
    return validate_document(load_yaml(text, source), text, local_files=local_files)


def validate_document(
    doc: PositionedDocument, text: str, *, local_files: bool = True
) -> LoadedScenario:
    """Validate a document read from YAML ``text`` (its data and the line of each field path,
    as :func:`~stationplan.scenario.yamlsource.load_yaml` gives) as a scenario.

    The second half of :func:`parse_scenario`; raises :class:`ScenarioError` with every
    problem, each naming ``doc.source``, the line and the field path.
    """
    source = doc.source
    if doc.data is None:
        raise ScenarioError(
            Problem(
                source,
                "the file is empty; expected a scenario mapping (see `stationplan init`)",
                line=1,
            )
        )
    if not isinstance(doc.data, dict):
        raise ScenarioError(
            Problem(
                source,
                "expected a mapping of sections (programme, "
                "stations, partners, ...) at the top level",
                line=1,
            )
        )
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, doc, Scenario)) from None
    findings = check_scenario(scenario)
    if findings:
        problems = [
            Problem(source, message, line=doc.line_of(path), field=format_path(path))
            for path, message in findings
        ]
        problems.sort(key=lambda p: (p.line or 0, p.field or ""))
        raise ScenarioError(problems)
    problems = _variant_problems(scenario, doc)
    if problems:
        raise ScenarioError(problems)
    if scenario.debris is not None:
        try:
            name = scenario.debris.catalog_file
            if not local_files and not name.startswith(BUILTIN_PREFIX):
                raise StationplanInputError(
                    Problem(
                        source,
                        f"{name!r}: a scenario given as text to a server may name only the "
                        f"catalogs shipped with stationplan ({BUILTIN_PREFIX}NAME)",
                    )
                )
            debris_catalog(name, source)
        except StationplanInputError as exc:
            where = ("debris", "catalog_file")
            raise ScenarioError(
                [
                    Problem(source, p.message, line=doc.line_of(where), field=format_path(where))
                    for p in exc.problems
                ]
            ) from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedScenario(scenario=scenario, source=source, sha256=digest, text=text)


_VARIANT_LABELS = {"date": "date_utc", "withdraw": "withdraw", "join": "join"}
"""A variant's own fields, by the label a what-if gives a problem with them."""


def _variant_problems(scenario: Scenario, doc: PositionedDocument) -> list[Problem]:
    """Every problem of the scenario's named variants, each built and validated as a scenario
    would be (whatever ``run`` cannot plan is refused here), named by the variant's field."""
    problems: list[Problem] = []
    for i, variant in enumerate(scenario.variants):
        try:
            variant_scenario(scenario, change_of_variant(variant))
        except ScenarioError as exc:
            for p in exc.problems:
                head = (p.field or "").split(".")[0]
                where: tuple[str | int, ...] = ("variants", i)
                message = p.message
                if head in _VARIANT_LABELS:
                    rest = (p.field or "").split(".")[1:]
                    where = (*where, _VARIANT_LABELS[head], *rest)
                elif p.field:
                    message = f"the scenario with this variant does not hold: {p.field}: {message}"
                problems.append(
                    Problem(
                        doc.source,
                        f"variant {variant.name!r}: {message}",
                        line=doc.line_of(where),
                        field=format_path(where),
                    )
                )
    return problems


def data_file(name: str, source: str) -> Path:
    """The file a scenario names: ``builtin:NAME`` one shipped in ``stationplan/scenario/
    catalogs/`` (``NAME`` with or without its extension), else a path relative to the folder
    of the scenario file ``source`` (the working directory for a scenario not read from a
    file)."""
    if name.startswith(BUILTIN_PREFIX):
        folder = resources.files("stationplan.scenario").joinpath("catalogs")
        wanted = name[len(BUILTIN_PREFIX) :]
        shipped = sorted(
            str(f.name) for f in folder.iterdir() if f.name.endswith((".3le", ".tle", ".omm"))
        )
        for candidate in shipped:
            if candidate in (wanted, *(wanted + ext for ext in (".3le", ".tle", ".omm"))):
                return Path(str(folder.joinpath(candidate)))
        names = ", ".join(BUILTIN_PREFIX + s.rsplit(".", 1)[0] for s in shipped)
        raise StationplanInputError(
            Problem(source, f"no built-in catalog {name!r}; the built-in ones are: {names}")
        )
    path = Path(name)
    if not path.is_absolute() and not source.startswith("<"):
        path = Path(source).parent / path
    return path


@lru_cache(maxsize=8)
def _read_catalog(path: str, mtime_ns: int, size: int) -> tuple[ElementSet, ...]:
    result = read_elements(path)
    return tuple(result.elements)


def debris_catalog(name: str, source: str) -> tuple[ElementSet, ...]:
    """The element sets of the catalog a scenario names (:func:`data_file`); records that
    cannot be read are skipped; an input error when the file is missing or holds none."""
    path = data_file(name, source)
    if not path.is_file():
        raise StationplanInputError(
            Problem(
                source,
                f"catalog file {str(path)!r} does not exist (relative paths start "
                "at the scenario file's folder)",
            )
        )
    stat = path.stat()
    elements = _read_catalog(str(path), stat.st_mtime_ns, stat.st_size)
    if not elements:
        raise StationplanInputError(
            Problem(source, f"catalog file {str(path)!r} holds no readable element set")
        )
    return elements


def load_scenario(path: str | Path | None = None) -> LoadedScenario:
    """Load and validate the scenario at ``path``, or the embedded default when ``None``."""
    if path is None:
        return parse_scenario(default_scenario_text(), source=f"<default>/{DEFAULT_SCENARIO_NAME}")
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise ScenarioError(Problem(name, "no such file"))
    if p.is_dir():
        raise ScenarioError(Problem(name, "is a directory; expected a scenario YAML file"))
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError(
            Problem(name, f"is larger than {MAX_SCENARIO_BYTES // 2**20} MiB; not a scenario file")
        )
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(Problem(name, f"cannot be read: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            Problem(name, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line)
        ) from None
    if "\x00" in text:
        raise ScenarioError(
            Problem(
                name,
                "contains NUL bytes; expected YAML text",
                line=text[: text.index("\x00")].count("\n") + 1,
            )
        )
    return parse_scenario(text.removeprefix("\ufeff"), source=name)
