"""Read YAML into plain Python values while remembering where each value stands in the file.

ruamel.yaml composes the document into nodes that carry their line and column; we build the
plain ``dict`` / ``list`` / scalar tree ourselves from those nodes so that every field path
(``("stations", 0, "orbit", "inclination_deg")``) maps back to a line. Timestamps are kept as
the text the user wrote: pydantic parses ISO 8601 itself and checks the time zone, which
ruamel's own timestamp constructor would silently drop.

Reading is bounded, so that no document, however made, hangs the tool or exhausts its memory:
the text is at most :data:`MAX_DOCUMENT_BYTES`, nesting at most :data:`MAX_DEPTH` levels, the
values built at most :data:`MAX_VALUES` in all, of which at most :data:`MAX_ALIAS_VALUES` may
come from expanding aliases (a few nested anchors can otherwise expand to billions of values,
the "billion laughs"). A document over a limit is refused with a :class:`ScenarioError` naming
the line where it was crossed (for aliases: the alias) and the limit.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stationplan.errors import Problem, ScenarioError

Path = tuple[str | int, ...]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Largest YAML text read (UTF-8 bytes); the default scenario is about 20 KiB."""

MAX_DEPTH = 50
"""Deepest nesting of lists and mappings, counting levels reached through aliases; a scenario
is about six levels deep (``stations[1].modules[0].docking_ports[0].name``)."""

MAX_VALUES = 100_000
"""Most values (mappings, lists and scalars, keys included) in the document and in what its
aliases expand to; the default scenario has about 1,500, a daily space-weather table over 30
years about 55,000."""

MAX_ALIAS_VALUES = 10_000
"""Most values built by expanding aliases, all aliases together: enough for anchors on
repeated blocks, far too few for an alias bomb."""


@dataclass
class PositionedDocument:
    """A YAML document as plain Python data plus the (line, column) of each path (1-based)."""

    data: Any
    source: str
    value_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """Line of the deepest existing prefix of ``path`` (keys preferred over values)."""
        for n in range(len(path), -1, -1):
            prefix = path[:n]
            if prefix in self.key_positions:
                return self.key_positions[prefix][0]
            if prefix in self.value_positions:
                return self.value_positions[prefix][0]
        return None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class _Alias:
    """An alias (``*name``) in the composed tree: the node it names and where it stands."""

    target: Node
    anchor: str
    line: int
    column: int


class _LimitError(MarkedYAMLError):
    """The document crossed a reading limit while being composed."""


def _depth_message() -> str:
    return (
        f"lists and mappings nest deeper than {MAX_DEPTH} levels, the limit "
        "(a scenario nests about six)"
    )


def _values_message() -> str:
    return (
        f"the document holds more than {MAX_VALUES:,} values, the limit "
        "(the default scenario holds about 1,500)"
    )


class _BoundedComposer(Composer):
    """ruamel's composer with the nesting and value-count limits, failing as soon as one is
    crossed; aliases come out as :class:`_Alias` so the builder knows where each stands."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # a re-used anchor is valid YAML: the last one counts
        self._values = 0
        self._level = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node (recursively, as ruamel does) within the limits."""
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            target = super().compose_node(parent, index)
            mark = event.start_mark
            return _Alias(target, str(event.anchor), mark.line + 1, mark.column + 1)
        self._values += 1
        if self._values > MAX_VALUES:
            raise _LimitError(problem=_values_message(), problem_mark=event.start_mark)
        self._level += 1
        try:
            if self._level > MAX_DEPTH:
                raise _LimitError(problem=_depth_message(), problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._level -= 1


def load_yaml(text: str, source: str) -> PositionedDocument:
    """Parse ``text`` (named ``source`` in messages) into a :class:`PositionedDocument`.

    Raises :class:`ScenarioError` with ``source:line:column: what`` for syntax errors,
    duplicate keys and non-string keys; every problem found is reported, not only the first.
    A document over a reading limit (size, nesting, values, alias expansion) is refused as
    soon as the limit is crossed.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_DOCUMENT_BYTES:
        raise ScenarioError(
            Problem(
                source,
                f"the document is {size / 2**20:.1f} MiB, over the limit of "
                f"{MAX_DOCUMENT_BYTES // 2**20} MiB (a scenario is a few tens of KiB)",
            )
        )
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _BoundedComposer
    try:
        root = yaml.compose(io.StringIO(text))
    except _LimitError as exc:
        mark = exc.problem_mark
        raise ScenarioError(
            Problem(source, str(exc.problem), line=mark.line + 1, column=mark.column + 1)
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise ScenarioError(
            Problem(source=source, line=line, column=col, message=f"YAML syntax error: {what}")
        ) from None
    except YAMLError as exc:  # pragma: no cover - unmarked errors are rare (e.g. reader errors)
        raise ScenarioError(Problem(source=source, message=f"YAML error: {exc}")) from None
    doc = PositionedDocument(data=None, source=source)
    if root is None:
        return doc
    builder = _Builder(doc, yaml)
    doc.data = builder.build(root, ())
    if builder.problems:
        raise ScenarioError(builder.problems)
    return doc


class _Builder:
    """Builds plain data from composed nodes, expanding aliases within the limits."""

    def __init__(self, doc: PositionedDocument, yaml: YAML) -> None:
        self.doc = doc
        self.yaml = yaml
        self.problems: list[Problem] = []
        self._active: set[int] = set()
        self._values = 0
        self._alias_values = 0
        self._alias: _Alias | None = None  # the outermost alias being expanded

    def build(self, node: Node | _Alias, path: Path) -> Any:
        """The plain value of ``node`` at ``path``; raises :class:`ScenarioError` (with the
        problems found so far) as soon as a limit is crossed."""
        return self._value(node, path)

    def _stop(self, message: str, line: int, column: int) -> ScenarioError:
        problem = Problem(self.doc.source, message, line=line, column=column)
        return ScenarioError([*self.problems, problem])

    def _problem(self, message: str, line: int, column: int) -> None:
        self.problems.append(Problem(self.doc.source, message, line=line, column=column))

    def _count(self, node: Node, path: Path) -> None:
        self._values += 1
        alias = self._alias
        if alias is not None:
            self._alias_values += 1
            if self._alias_values > MAX_ALIAS_VALUES:
                raise self._stop(
                    f"alias '*{alias.anchor}' expands to more values than the limit of "
                    f"{MAX_ALIAS_VALUES:,} built from aliases (all aliases together); "
                    "write repeated blocks out or nest fewer aliases",
                    alias.line,
                    alias.column,
                )
        line, col = (alias.line, alias.column) if alias is not None else _mark(node)
        if self._values > MAX_VALUES:
            raise self._stop(_values_message(), line, col)
        if len(path) >= MAX_DEPTH:
            message = _depth_message()
            if alias is not None:
                message = f"through alias '*{alias.anchor}', {message}"
            raise self._stop(message, line, col)

    def _value(self, node: Node | _Alias, path: Path) -> Any:
        if isinstance(node, _Alias):
            self.doc.value_positions.setdefault(path, (node.line, node.column))
            if self._alias is not None:
                return self._value(node.target, path)
            self._alias = node
            try:
                return self._value(node.target, path)
            finally:
                self._alias = None
        self.doc.value_positions.setdefault(path, _mark(node))
        if id(node) in self._active:
            self._problem("recursive alias: a node refers to itself", *_mark(node))
            return None
        self._count(node, path)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self._value(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            self._problem("unsupported YAML node", *_mark(node))  # pragma: no cover
            return None  # pragma: no cover - ruamel has only three node kinds
        finally:
            self._active.discard(id(node))

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return str(node.value)
        try:
            return self.yaml.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, TypeError) as exc:
            text = str(exc)
            if "integer string conversion" in text:
                text = (
                    f"a number of {len(str(node.value)):,} characters is longer than the "
                    f"{sys.get_int_max_str_digits():,} digits accepted"
                )
            self._problem(f"cannot read value: {text}", *_mark(node))
            return None

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_item, value_node in node.value:
            key_node = key_item.target if isinstance(key_item, _Alias) else key_item
            line, col = (
                (key_item.line, key_item.column)
                if isinstance(key_item, _Alias)
                else _mark(key_node)
            )
            if key_node.tag == _MERGE_TAG:
                self._problem(
                    "YAML merge keys (<<) are not supported; write the fields out", line, col
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem("a key must be a plain name, not a list or mapping", line, col)
                continue
            key = str(key_node.value)
            if key in out:
                first = self.doc.key_positions.get((*path, key), (None, None))[0]
                self._problem(f"duplicate key '{key}' (first given on line {first})", line, col)
                continue
            self.doc.key_positions[(*path, key)] = (line, col)
            out[key] = self._value(value_node, (*path, key))
        return out
