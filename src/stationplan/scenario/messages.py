"""Turn pydantic validation errors into messages a scenario author can act on.

``my.yaml:34 stations[0].orbit.inclination_deg: must be between 0 and 180 (got 245)``: the
file, the line of the field, its path, what is wrong and what is expected. Unknown keys get a
``did you mean`` suggestion from the fields the model accepts.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from stationplan.errors import Problem
from stationplan.scenario.yamlsource import Path, PositionedDocument


def format_path(loc: Path) -> str:
    """``("stations", 0, "orbit")`` -> ``stations[0].orbit``.

    >>> format_path(("stations", 0, "orbit", "inclination_deg"))
    'stations[0].orbit.inclination_deg'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types behind Optional / Annotated / list / dict wrappers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.extend(_unwrap(arg))
        return out
    return [annotation]


def _field_at(model: type[BaseModel], loc: Path) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """Walk ``loc`` through the model classes.

    Returns the model class that the full path points into (for an unknown key: the model whose
    fields were expected) and the field info of the last named field on the path.
    """
    current: Any = model
    owner: type[BaseModel] | None = None
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            candidates = _unwrap(current)
            nxt = None
            for c in candidates:
                if typing.get_origin(c) in (list, tuple) and typing.get_args(c):
                    nxt = typing.get_args(c)[0]
            if nxt is None:
                return None, None
            current = nxt
            continue
        found = False
        for c in _unwrap(current):
            if isinstance(c, type) and issubclass(c, BaseModel) and part in c.model_fields:
                owner, info = c, c.model_fields[part]
                current = info.annotation
                found = True
                break
            if typing.get_origin(c) is dict:
                current = typing.get_args(c)[1]
                found = True
                break
        if not found:
            return owner, None
    for c in _unwrap(current):
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c, info
    return owner, info


def _bounds(info: FieldInfo | None) -> tuple[Any, Any, bool, bool]:
    """(lower, upper, lower_inclusive, upper_inclusive) from a field's constraints."""
    lo: Any = None
    hi: Any = None
    lo_inc = hi_inc = True
    if info is None:
        return lo, hi, lo_inc, hi_inc
    for meta in info.metadata:
        if isinstance(meta, annotated_types.Ge):
            lo, lo_inc = meta.ge, True
        elif isinstance(meta, annotated_types.Gt):
            lo, lo_inc = meta.gt, False
        elif isinstance(meta, annotated_types.Le):
            hi, hi_inc = meta.le, True
        elif isinstance(meta, annotated_types.Lt):
            hi, hi_inc = meta.lt, False
    return lo, hi, lo_inc, hi_inc


def _num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else _num(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        type(None): "nothing",
        bool: "true/false",
        str: "text",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def explain(err: ErrorDetails, model: type[BaseModel]) -> tuple[Path, str]:
    """The field path and a plain-language message for one pydantic error."""
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        owner, _ = _field_at(model, loc[:-1])
        name = str(loc[-1])
        msg = f"unknown field '{name}'"
        if owner is not None:
            close = difflib.get_close_matches(name, list(owner.model_fields), n=1, cutoff=0.6)
            if close:
                msg += f"; did you mean '{close[0]}'?"
            else:
                msg += f"; expected one of: {', '.join(owner.model_fields)}"
        return loc, msg
    if kind == "missing":
        return loc, "required field is missing"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        _, info = _field_at(model, loc)
        lo, hi, lo_inc, hi_inc = _bounds(info)
        if lo is not None and hi is not None and lo_inc and hi_inc:
            return loc, f"must be between {_num(lo)} and {_num(hi)} (got {_got(value)})"
        parts = []
        if lo is not None:
            parts.append(f"{'>=' if lo_inc else '>'} {_num(lo)}")
        if hi is not None:
            parts.append(f"{'<=' if hi_inc else '<'} {_num(hi)}")
        return loc, f"must be {' and '.join(parts)} (got {_got(value)})"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return loc, f"expected {what} (got {_got(value)})"
    if kind in ("string_type", "string_too_short", "string_too_long", "string_pattern_mismatch"):
        if kind == "string_type":
            return loc, f"expected text (got {_kind(value)})"
        if kind == "string_too_short":
            return loc, f"must not be empty (at least {ctx.get('min_length')} characters)"
        if kind == "string_too_long":
            return loc, f"is too long (at most {ctx.get('max_length')} characters)"
        return (
            loc,
            f"{_got(value)} is not a valid code: use letters, digits, '_' or '-', "
            "starting with a letter",
        )
    if kind in ("bool_type", "bool_parsing"):
        return loc, f"expected true or false (got {_got(value)})"
    if kind in ("enum", "literal_error"):
        return loc, f"must be one of {ctx.get('expected')} (got {_got(value)})"
    if kind == "timezone_aware":
        return loc, (
            f"a date-time needs a time zone, e.g. 2025-01-01T00:00:00Z (got {_got(value)})"
        )
    if kind.startswith("datetime") or kind.startswith("date_"):
        return loc, (
            f"expected a UTC date-time in ISO 8601, e.g. 2025-01-01T00:00:00Z or "
            f"2025-01-01 (got {_got(value)})"
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"expected a mapping of fields (got {_kind(value)})"
    if kind in ("list_type", "tuple_type"):
        return loc, f"expected a list (got {_kind(value)})"
    if kind == "too_short":
        return (
            loc,
            f"needs at least {ctx.get('min_length')} item(s) (got {ctx.get('actual_length')})",
        )
    if kind == "value_error":
        return loc, str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return loc, err["msg"]


def problems_from_validation(
    exc: ValidationError, doc: PositionedDocument, model: type[BaseModel]
) -> list[Problem]:
    """Every pydantic error of ``exc`` as a :class:`Problem` with its line in ``doc``."""
    problems: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for err in exc.errors(include_url=False):
        loc, message = explain(err, model)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        problems.append(
            Problem(
                source=doc.source,
                line=doc.line_of(loc),
                field=format_path(loc) or "(top level)",
                message=message,
            )
        )
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    return problems
