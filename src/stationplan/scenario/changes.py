"""Changes to a scenario document: a partner's change set applied, the field-path difference
between two versions, and a three-way merge that lists the field paths in conflict.

Pure functions on YAML text. Edits go through ruamel.yaml's round-trip mode, so the comments
and layout of the parts not edited survive. Values are compared as the plain data
:func:`~stationplan.scenario.yamlsource.load_yaml` reads (timestamps as the text written), and
a difference is reported at the highest field path where the two documents part: a partner
added to ``partners`` is one change at ``partners[3]`` whose value is the whole entry.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stationplan.errors import Problem, ScenarioError
from stationplan.scenario.messages import format_path
from stationplan.scenario.yamlsource import load_yaml

FieldPath = tuple[str | int, ...]
ChangeKind = Literal["contribution", "crew", "flight", "join", "withdraw"]
CHANGE_KINDS: Final[tuple[ChangeKind, ...]] = ("contribution", "crew", "flight", "join", "withdraw")


class _Absent:
    """The value of a field path that does not exist in a document."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
"""Stands for "no such field" on either side of a change."""


@dataclass(frozen=True)
class FieldChange:
    """One difference: the field path, its value before and after (:data:`ABSENT` when the
    field does not exist on that side)."""

    path: FieldPath
    before: Any
    after: Any

    @property
    def field(self) -> str:
        """The path as text, e.g. ``partners[1].contributions[0]``."""
        return format_path(self.path)


@dataclass(frozen=True)
class Conflict:
    """A field path both sides changed differently since their common base."""

    path: FieldPath
    base: Any
    baseline: Any
    proposal: Any

    @property
    def field(self) -> str:
        """The path as text."""
        return format_path(self.path)


@dataclass(frozen=True)
class MergeResult:
    """The baseline with every non-conflicting change of the proposal made, and the conflicts
    left to resolve (their paths still hold the baseline's values)."""

    text: str
    conflicts: list[Conflict]


def _problem(field: str, message: str) -> ScenarioError:
    return ScenarioError(Problem("change set", message, field=field))


@functools.lru_cache(maxsize=16)
def _plain(text: str, source: str) -> Any:
    """The plain data of ``text``, parsed once per text: a service reads the same baseline for
    every proposal made to it. Callers share the result and must not change it."""
    return load_yaml(text, source).data


def diff_data(before: Any, after: Any, path: FieldPath = ()) -> list[FieldChange]:
    """The differences from ``before`` to ``after`` (plain data), each at the highest path
    where they part.

    >>> [(c.field, c.before, c.after) for c in diff_data({"a": 1, "b": [1]}, {"a": 2, "b": []})]
    [('a', 1, 2), ('b[0]', 1, ABSENT)]
    """
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[FieldChange] = []
        for key in before:
            if key not in after:
                out.append(FieldChange((*path, key), before[key], ABSENT))
            else:
                out += diff_data(before[key], after[key], (*path, key))
        out += [FieldChange((*path, k), ABSENT, after[k]) for k in after if k not in before]
        return out
    if isinstance(before, list) and isinstance(after, list):
        out = []
        for i in range(max(len(before), len(after))):
            if i >= len(after):
                out.append(FieldChange((*path, i), before[i], ABSENT))
            elif i >= len(before):
                out.append(FieldChange((*path, i), ABSENT, after[i]))
            else:
                out += diff_data(before[i], after[i], (*path, i))
        return out
    if before == after and type(before) is type(after):
        return []
    return [FieldChange(path, before, after)]


def diff_texts(before: str, after: str) -> list[FieldChange]:
    """The field-path differences between two scenario texts."""
    return diff_data(_plain(before, "before"), _plain(after, "after"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load_rt(text: str) -> Any:
    _plain(text, "scenario")  # bounded read and a positioned error before the round-trip load
    return _yaml().load(text)


def _dump_rt(doc: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue()


def _commented(value: Any) -> Any:
    """Plain data as round-trip nodes (block style)."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _commented(v)
        return m
    if isinstance(value, list):
        return CommentedSeq([_commented(v) for v in value])
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parent(doc: Any, path: FieldPath) -> Any:
    node = doc
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, dict):
            if part not in node or node[part] is None:
                node[part] = CommentedSeq() if isinstance(nxt, int) else CommentedMap()
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            raise _problem(format_path(path), "the document has no such place")
    return node


def set_path(doc: Any, path: FieldPath, value: Any) -> None:
    """Set (or with :data:`ABSENT`, remove) ``path`` in a round-trip document, in place.

    A list index one past the end appends.
    """
    if not path:
        raise _problem("", "the whole document cannot be replaced by a change")
    parent = _parent(doc, path)
    key = path[-1]
    if isinstance(parent, dict) and isinstance(key, str):
        if value is ABSENT:
            parent.pop(key, None)
        else:
            parent[key] = _commented(value)
        return
    if isinstance(parent, list) and isinstance(key, int):
        if value is ABSENT:
            if key < len(parent):
                del parent[key]
        elif key < len(parent):
            parent[key] = _commented(value)
        elif key == len(parent):
            parent.append(_commented(value))
        else:
            raise _problem(format_path(path), f"index {key} is past the end ({len(parent)})")
        return
    raise _problem(format_path(path), "the document has no such place")


def _apply_changes(text: str, changes: list[FieldChange]) -> str:
    """``text`` with ``changes`` made: sets in path order, then removals from the deepest and
    the highest index, so that list indices stay valid."""
    doc = _load_rt(text)
    sets = [c for c in changes if c.after is not ABSENT]
    removals = [c for c in changes if c.after is ABSENT]
    for c in sorted(sets, key=lambda c: [(isinstance(p, int), p) for p in c.path]):
        set_path(doc, c.path, c.after)
    for c in sorted(
        removals, key=lambda c: [(isinstance(p, int), p) for p in c.path], reverse=True
    ):
        set_path(doc, c.path, ABSENT)
    return _dump_rt(doc)


def set_field(text: str, path: FieldPath, value: Any) -> str:
    """``text`` with the field at ``path`` set to ``value`` (:data:`ABSENT` removes it)."""
    return _apply_changes(text, [FieldChange(path, None, value)])


def _is_within(a: FieldPath, b: FieldPath) -> bool:
    return a[: len(b)] == b or b[: len(a)] == a


def _at(data: Any, path: FieldPath) -> Any:
    """The value at ``path`` in plain data, or :data:`ABSENT`."""
    node = data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            found = node.get(part, ABSENT)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            found = node[part]
        else:
            found = ABSENT
        if found is ABSENT:
            return ABSENT
        node = found
    return node


def merge_three_way(base: str, baseline: str, proposal: str) -> MergeResult:
    """Merge the changes from ``base`` to ``proposal`` into ``baseline``.

    A change of the proposal conflicts when the baseline changed the same field path, or a
    path within it or above it, to something else. Every other change of the proposal is made
    in the baseline's text; conflicts are listed with the three values (base, baseline,
    proposal) at the highest path either side changed.
    """
    base_data = _plain(base, "base")
    baseline_data = _plain(baseline, "baseline")
    proposal_data = _plain(proposal, "proposal")
    ours = diff_data(base_data, baseline_data)
    theirs = diff_data(base_data, proposal_data)
    clean: list[FieldChange] = []
    conflicts: dict[FieldPath, Conflict] = {}
    for change in theirs:
        overlapping = [o for o in ours if _is_within(o.path, change.path)]
        if not overlapping:
            clean.append(change)
            continue
        path = min([change.path, *(o.path for o in overlapping)], key=len)
        b, ours_v, theirs_v = (_at(d, path) for d in (base_data, baseline_data, proposal_data))
        if ours_v == theirs_v:
            continue
        conflicts[path] = Conflict(path, b, ours_v, theirs_v)
    merged = _apply_changes(baseline, clean) if clean else baseline
    return MergeResult(text=merged, conflicts=list(conflicts.values()))


def _find(items: Any, key: str, value: str, field: str) -> int:
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get(key) == value:
                return i
    raise _problem(field, f"no entry with {key} {value!r}")


def _require(payload: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in payload:
        raise _problem(key, "missing")
    value = payload[key]
    if not isinstance(value, kind):
        raise _problem(key, f"expected {getattr(kind, '__name__', 'a value of another type')}")
    return value


def change_set(
    text: str, kind: ChangeKind, payload: dict[str, Any], partner: str
) -> list[FieldChange]:
    """The field changes a partner's proposal of ``kind`` makes to scenario ``text``.

    ``partner`` is the code of the proposing partner; payloads:

    * ``contribution``: ``{"contribution": {kind, description, item?, value_musd?}}``, appended
      to the partner's contributions;
    * ``crew``: ``{"crew": N}``, the partner's resident crew (``crew.crew_per_partner``);
    * ``flight``: ``{"vehicle": {...}}``, a vehicle entry replacing the one of that name or
      added;
    * ``join``: ``{"partner": {...}, "resident_crew": N?}``, a new partner entry (its
      ``code`` is ``partner``) and its resident crew;
    * ``withdraw``: ``{"date_utc": "YYYY-MM-DD..."}``, the partner's ``withdraw_utc``.

    Entries are validated with the scenario when the result is parsed, not here.
    """
    data = _plain(text, "scenario")
    if not isinstance(data, dict):
        raise _problem("", "the scenario is not a mapping")
    partners: list[Any] = data.get("partners") or []
    if kind == "contribution":
        entry = _require(payload, "contribution", dict)
        i = _find(partners, "code", partner, "partners")
        n = len(partners[i].get("contributions") or [])
        return [FieldChange(("partners", i, "contributions", n), ABSENT, entry)]
    if kind == "crew":
        crew = _require(payload, "crew", int)
        before = _at(data, ("crew", "crew_per_partner", partner))
        return [FieldChange(("crew", "crew_per_partner", partner), before, crew)]
    if kind == "flight":
        vehicle = _require(payload, "vehicle", dict)
        name = _require(vehicle, "name", str)
        vehicles = data.get("vehicles") or []
        try:
            i = _find(vehicles, "name", name, "vehicles")
        except ScenarioError:
            return [FieldChange(("vehicles", len(vehicles)), ABSENT, vehicle)]
        return diff_data(vehicles[i], vehicle, ("vehicles", i))
    if kind == "join":
        entry = dict(_require(payload, "partner", dict))
        if entry.setdefault("code", partner) != partner:
            raise _problem("partner.code", f"a join proposal of {partner} adds {partner} only")
        out = [FieldChange(("partners", len(partners)), ABSENT, entry)]
        resident = payload.get("resident_crew", 0)
        if not isinstance(resident, int):
            raise _problem("resident_crew", "expected an integer")
        if resident:
            out.append(FieldChange(("crew", "crew_per_partner", partner), ABSENT, resident))
        return out
    if kind == "withdraw":
        when = _require(payload, "date_utc", str)
        i = _find(partners, "code", partner, "partners")
        before = _at(data, ("partners", i, "withdraw_utc"))
        return [FieldChange(("partners", i, "withdraw_utc"), before, when)]
    raise _problem("kind", f"{kind!r} is not one of {', '.join(CHANGE_KINDS)}")


def apply_change(text: str, kind: ChangeKind, payload: dict[str, Any], partner: str) -> str:
    """Scenario ``text`` with a partner's change set made (see :func:`change_set`)."""
    return _apply_changes(text, change_set(text, kind, payload, partner))


def jsonable(value: Any) -> Any:
    """A value of a change as JSON data (:data:`ABSENT` -> ``None``)."""
    if value is ABSENT:
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


__all__ = [
    "ABSENT",
    "CHANGE_KINDS",
    "ChangeKind",
    "Conflict",
    "FieldChange",
    "FieldPath",
    "MergeResult",
    "apply_change",
    "change_set",
    "diff_data",
    "diff_texts",
    "jsonable",
    "merge_three_way",
    "set_field",
    "set_path",
]
