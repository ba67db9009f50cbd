"""Mutations of the default scenario for fuzzing ``validate`` and ``run``.

The default scenario is read into plain data once; a case applies one to three mutations to
it (drop a field, retype a value, an out-of-range number, swap two values of a section,
duplicate a list entry or a key, shift a date, rename a reference) and writes the result back
as block YAML. Every choice goes through a ``choose(n, label)`` callable returning an index
in ``range(n)``: hypothesis drives it in the tests (so failures shrink), a seeded
``random.Random`` in ``bench/bench_fuzz.py`` (so any case can be rebuilt from its seed and
number). Copies are made only along the mutated paths: the default's data is never changed.

:func:`emit` writes the YAML and records the line of every key and value as ruamel would, so
:func:`validate_fast` can validate the data without parsing the text again (the pure-Python
YAML reader takes ~40 ms for the default, the validation itself under 1 ms);
:func:`validate_full` is ``parse_scenario`` on the text, and the tests check on a sample that
both give the same answer.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from stationplan.errors import Problem, ScenarioError
from stationplan.scenario.loader import (
    LoadedScenario,
    default_scenario_text,
    parse_scenario,
    validate_document,
)
from stationplan.scenario.messages import format_path
from stationplan.scenario.yamlsource import Path, PositionedDocument, load_yaml

Choose = Callable[[int, str], int]
"""``choose(n, label)``: an index in ``range(n)``; ``label`` names the choice."""

SOURCE = "mutant.yaml"


@dataclass(frozen=True)
class Mutation:
    """One change to the scenario, described well enough to redo by hand."""

    kind: str
    path: Path
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {format_path(self.path) or '(top level)'}: {self.detail}"


@dataclass
class Case:
    """A mutated scenario: its data, the keys to write twice, and what was done."""

    data: dict[str, Any]
    mutations: list[Mutation] = field(default_factory=list)
    duplicate_keys: list[tuple[Path, str]] = field(default_factory=list)

    def describe(self) -> str:
        """The mutations, one per line."""
        return "\n".join(str(m) for m in self.mutations)


@cache
def default_data() -> dict[str, Any]:
    """The default scenario as plain data (time stamps kept as text)."""
    data = load_yaml(default_scenario_text(), "default.yaml").data
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------- paths


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) of the tree, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, (*path, i))


def get(data: Any, path: Path) -> Any:
    """The value at ``path``."""
    for part in path:
        data = data[part]
    return data


def _copy(container: Any) -> Any:
    return dict(container) if isinstance(container, dict) else list(container)


def replace(data: Any, path: Path, fn: Callable[[Any], Any]) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced by ``fn(value)`` (only the
    containers along ``path`` are copied)."""
    if not path:
        return fn(data)
    head, rest = path[0], path[1:]
    out = _copy(data)
    out[head] = replace(data[head], rest, fn)
    return out


def delete(data: Any, path: Path) -> Any:
    """A copy of ``data`` without the entry at ``path``."""

    def drop(parent: Any) -> Any:
        out = _copy(parent)
        del out[path[-1]]
        return out

    return replace(data, path[:-1], drop)


def is_number(value: Any) -> bool:
    """A YAML int or float (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pick(choose: Choose, items: list[Any], label: str) -> Any:
    return items[choose(len(items), label)]


# --------------------------------------------------------------------------- the mutations

RETYPED: list[Any] = ["text", "", "400", 0, 1, -1, 2.5, [], None, True, False, {}]

DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$"
)
DATE_SHIFTS_DAYS = [-36500, -3650, -365, -31, -1, 1, 31, 365, 3650, 10000, 36500]
DATE_ODD = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "2024-01-01T00:00:00",
    "1800-01-01",
    "2060-01-01",
]

REFERENCE_KEYS = {
    "name",
    "code",
    "owner",
    "operator",
    "item",
    "partner",
    "port_type",
    "launch_sites",
    "compatible_port_types",
}


def _drop(case: Case, choose: Choose) -> None:
    paths = [p for p, _ in walk(case.data) if p]
    path = _pick(choose, paths, "drop path")
    case.data = delete(case.data, path)
    case.mutations.append(Mutation("drop", path, "removed"))


def _retype(case: Case, choose: Choose) -> None:
    paths = [p for p, _ in walk(case.data) if p]
    path = _pick(choose, paths, "retype path")
    old = get(case.data, path)
    options = [*RETYPED, [old]] if not isinstance(old, dict | list) else RETYPED
    new = _pick(choose, options, "retype value")
    case.data = replace(case.data, path, lambda _v: new)
    case.mutations.append(Mutation("retype", path, f"{old!r:.40} -> {new!r}"))


def _numbers(v: float) -> list[float]:
    return [
        -1,
        0,
        -v,
        v * 1000,
        v / 1000,
        v + 1,
        v - 1,
        1e9,
        -1e9,
        1e300,
        1e-9,
        math.nan,
        math.inf,
        -math.inf,
        v + 0.5,
    ]


def _number(case: Case, choose: Choose) -> None:
    paths = [p for p, v in walk(case.data) if is_number(v)]
    if not paths:
        return _retype(case, choose)
    path = _pick(choose, paths, "number path")
    old = get(case.data, path)
    new = _pick(choose, _numbers(float(old)), "number value")
    if isinstance(old, int) and math.isfinite(new) and new == int(new) and abs(new) < 1e15:
        new = int(new)
    case.data = replace(case.data, path, lambda _v: new)
    case.mutations.append(Mutation("number", path, f"{old!r} -> {new!r}"))
    return None


def _swap(case: Case, choose: Choose) -> None:
    leaves = [p for p, v in walk(case.data) if p and not isinstance(v, dict | list)]
    if len(leaves) < 2:
        return _retype(case, choose)
    a = _pick(choose, leaves, "swap first")
    same_section = [p for p in leaves if p[0] == a[0] and p != a]
    if not same_section:
        return _retype(case, choose)
    b = _pick(choose, same_section, "swap second")
    va, vb = get(case.data, a), get(case.data, b)
    case.data = replace(replace(case.data, a, lambda _v: vb), b, lambda _v: va)
    case.mutations.append(Mutation("swap", a, f"with {format_path(b)} ({va!r:.30} <-> {vb!r:.30})"))
    return None


def _duplicate(case: Case, choose: Choose) -> None:
    lists = [p for p, v in walk(case.data) if isinstance(v, list) and v]
    if not lists:
        return _retype(case, choose)
    path = _pick(choose, lists, "duplicate list")
    items = get(case.data, path)
    i = choose(len(items), "duplicate item")
    case.data = replace(case.data, path, lambda v: [*v[: i + 1], v[i], *v[i + 1 :]])
    case.mutations.append(Mutation("duplicate", (*path, i), f"entry copied to [{i + 1}]"))
    return None


def _duplicate_key(case: Case, choose: Choose) -> None:
    maps = [p for p, v in walk(case.data) if isinstance(v, dict) and v]
    path = _pick(choose, maps, "duplicate-key mapping")
    key = _pick(choose, list(get(case.data, path)), "duplicate key")
    case.duplicate_keys.append((path, key))
    case.mutations.append(Mutation("duplicate key", (*path, key), "written twice"))


def shift_date(text: str, days: int) -> str:
    """``text`` (a date or date-time) moved by ``days``, in the same form; clamped to the
    years 1 and 9999."""
    m = DATE.match(text)
    assert m is not None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=UTC)
    except ValueError:
        return text
    try:
        moved = when + timedelta(days=days)
    except OverflowError:
        moved = datetime(9999, 12, 31, tzinfo=UTC) if days > 0 else datetime(1, 1, 1, tzinfo=UTC)
    if m.group(4) is None:
        return f"{moved:%Y-%m-%d}"
    return moved.strftime("%Y-%m-%dT%H:%M:%S") + (m.group(7) or "")


def _date(case: Case, choose: Choose) -> None:
    paths = [p for p, v in walk(case.data) if isinstance(v, str) and DATE.match(v)]
    if not paths:
        return _retype(case, choose)
    path = _pick(choose, paths, "date path")
    old = get(case.data, path)
    k = choose(len(DATE_SHIFTS_DAYS) + len(DATE_ODD), "date change")
    if k < len(DATE_SHIFTS_DAYS):
        new = shift_date(old, DATE_SHIFTS_DAYS[k])
    else:
        new = DATE_ODD[k - len(DATE_SHIFTS_DAYS)]
    case.data = replace(case.data, path, lambda _v: new)
    case.mutations.append(Mutation("date", path, f"{old} -> {new}"))
    return None


def _reference_paths(data: Any) -> list[Path]:
    out = []
    for p, v in walk(data):
        if not isinstance(v, str) or not p:
            continue
        last = p[-1]
        named = p[-2] if isinstance(last, int) and len(p) > 1 else last
        if named in REFERENCE_KEYS:
            out.append(p)
    return out


def _rename(case: Case, choose: Choose) -> None:
    crew = case.data.get("crew")
    counts = crew.get("crew_per_partner") if isinstance(crew, dict) else None
    keys = list(counts) if isinstance(counts, dict) else []
    paths = _reference_paths(case.data)
    k = choose(len(paths) + len(keys), "rename what")
    names = sorted({v for p in paths if isinstance(v := get(case.data, p), str)})
    if k >= len(paths):
        assert isinstance(counts, dict)
        old_key = keys[k - len(paths)]
        new_key = _renamed(old_key, names, choose)
        if new_key in counts:
            return _drop(case, choose)
        path: Path = ("crew", "crew_per_partner")
        case.data = replace(
            case.data,
            path,
            lambda m: {(new_key if key == old_key else key): v for key, v in m.items()},
        )
        case.mutations.append(Mutation("rename key", (*path, old_key), f"-> {new_key!r}"))
        return None
    path = paths[k]
    old = get(case.data, path)
    new = _renamed(old, names, choose)
    case.data = replace(case.data, path, lambda _v: new)
    case.mutations.append(Mutation("rename", path, f"{old!r} -> {new!r}"))
    return None


def _renamed(old: str, names: list[str], choose: Choose) -> str:
    options = [old + "X", old.lower(), old[:-1], "", " " + old + " ", *names]
    return str(_pick(choose, [o for o in options if o != old] or [old + "X"], "rename to"))


OPERATIONS: list[Callable[[Case, Choose], None]] = [
    _drop,
    _retype,
    _number,
    _number,
    _swap,
    _duplicate,
    _duplicate_key,
    _date,
    _date,
    _rename,
    _rename,
]
"""The mutation kinds; out-of-range numbers, dates and references are drawn twice as
often (the places where ``validate`` and ``run`` are most likely to disagree)."""


def make_case(choose: Choose, max_mutations: int = 3) -> Case:
    """A case of one to ``max_mutations`` mutations of the default scenario (one in half the
    cases)."""
    case = Case(data=default_data())
    n = 1 if choose(2, "several") == 0 else 1 + choose(max_mutations, "how many")
    for _ in range(max(1, n)):
        op = _pick(choose, OPERATIONS, "operation")
        op(case, choose)
    return case


def random_chooser(rng: random.Random) -> Choose:
    """A ``choose`` drawing from ``rng``."""
    return lambda n, _label: rng.randrange(n)


def case_from_seed(seed: int, number: int) -> Case:
    """Case ``number`` of the run seeded ``seed`` (each case has its own generator, so any one
    can be rebuilt alone)."""
    return make_case(random_chooser(random.Random(f"{seed}:{number}")))


# --------------------------------------------------------------------------- YAML out


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    raise TypeError(f"cannot write {type(value).__name__}")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list) or not value


class _Writer:
    """Block YAML with the (line, column) of every key and value, as ruamel marks them."""

    def __init__(self, duplicate_keys: list[tuple[Path, str]]) -> None:
        self.lines: list[str] = []
        self.keys: dict[Path, tuple[int, int]] = {}
        self.values: dict[Path, tuple[int, int]] = {}
        self.twice = set(duplicate_keys)
        self.duplicates: list[tuple[Path, str, int, int]] = []  # second copies: line, column

    def node(self, value: Any, path: Path, indent: int, prefix: str | None) -> None:
        """Write ``value`` at ``indent``; ``prefix`` is text already begun on the current line
        (``- `` of a list item) on which the node starts, or ``None`` for a fresh line."""
        if isinstance(value, dict) and value:
            self.mapping(value, path, indent, prefix)
        elif isinstance(value, list) and value:
            self.sequence(value, path, indent, prefix)
        else:
            head = prefix if prefix is not None else " " * indent
            self.values.setdefault(path, (len(self.lines) + 1, len(head) + 1))
            self.lines.append(head + _scalar(value))

    def mapping(self, value: dict[str, Any], path: Path, indent: int, prefix: str | None) -> None:
        first = True
        for key, item in value.items():
            copies = 2 if (path, key) in self.twice else 1
            for copy in range(copies):
                head = prefix if first and prefix is not None else " " * indent
                first = False
                line, col = len(self.lines) + 1, len(head) + 1
                if copy:
                    self.duplicates.append((path, key, line, col))
                self.values.setdefault(path, (line, col))
                self.keys.setdefault((*path, key), (line, col))
                text = head + json.dumps(key, ensure_ascii=False) + ":"
                if _is_scalar(item):
                    self.values.setdefault((*path, key), (line, len(text) + 2))
                    self.lines.append(text + " " + _scalar(item))
                else:
                    self.lines.append(text)
                    self.node(item, (*path, key), indent + 2, None)

    def sequence(self, value: list[Any], path: Path, indent: int, prefix: str | None) -> None:
        for i, item in enumerate(value):
            head = prefix if i == 0 and prefix is not None else " " * indent
            self.values.setdefault(path, (len(self.lines) + 1, len(head) + 1))
            self.node(item, (*path, i), len(head) + 2, head + "- ")


def emit(case: Case) -> tuple[str, PositionedDocument, list[Problem]]:
    """The case as block YAML, the document ruamel would read from it (data + lines), and the
    problems the reader reports for keys written twice."""
    writer = _Writer(case.duplicate_keys)
    writer.node(case.data, (), 0, None)
    text = "\n".join(writer.lines) + "\n"
    doc = PositionedDocument(
        data=case.data, source=SOURCE, value_positions=writer.values, key_positions=writer.keys
    )
    duplicates = [
        Problem(
            SOURCE,
            f"duplicate key '{key}' (first given on line {writer.keys[(*path, key)][0]})",
            line=line,
            column=col,
        )
        for path, key, line, col in writer.duplicates
    ]
    return text, doc, duplicates


def validate_fast(case: Case) -> LoadedScenario:
    """``validate`` of the case without reading the YAML again: the data validated with the
    lines :func:`emit` gives; keys written twice are refused as the YAML reader refuses them
    (before validation, each at its second copy)."""
    text, doc, duplicates = emit(case)
    if duplicates:
        raise ScenarioError(duplicates)
    return validate_document(doc, text)


def validate_full(case: Case) -> LoadedScenario:
    """``parse_scenario`` of the case's YAML text."""
    return parse_scenario(emit(case)[0], SOURCE)
