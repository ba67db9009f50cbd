"""Read YAML into plain Python values while remembering where each value stands in the file.

ruamel.yaml composes the document into nodes that carry their line and column; we build the
plain ``dict`` / ``list`` / scalar tree ourselves from those nodes so that every field path
(``("stations", 0, "orbit", "inclination_deg")``) maps back to a line. Timestamps are kept as
the text the user wrote: pydantic parses ISO 8601 itself and checks the time zone, which
ruamel's own timestamp constructor would silently drop.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stationplan.errors import Problem, ScenarioError

Path = tuple[str | int, ...]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"


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


def load_yaml(text: str, source: str) -> PositionedDocument:
    """Parse ``text`` (named ``source`` in messages) into a :class:`PositionedDocument`.

    Raises :class:`ScenarioError` with ``source:line:column: what`` for syntax errors,
    duplicate keys and non-string keys; every problem found is reported, not only the first.
    """
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(io.StringIO(text))
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
    problems: list[Problem] = []
    if root is None:
        doc.data = None
        return doc
    doc.data = _build(root, (), doc, problems, yaml, set())
    if problems:
        raise ScenarioError(problems)
    return doc


def _build(
    node: Node,
    path: Path,
    doc: PositionedDocument,
    problems: list[Problem],
    yaml: YAML,
    active: set[int],
) -> Any:
    doc.value_positions.setdefault(path, _mark(node))
    if id(node) in active:
        line, col = _mark(node)
        problems.append(
            Problem(doc.source, "recursive alias: a node refers to itself", line=line, column=col)
        )
        return None
    if isinstance(node, ScalarNode):
        if node.tag == _TIMESTAMP_TAG:
            return str(node.value)
        try:
            return yaml.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, TypeError) as exc:
            line, col = _mark(node)
            problems.append(Problem(doc.source, f"cannot read value: {exc}", line=line, column=col))
            return None
    active.add(id(node))
    try:
        if isinstance(node, SequenceNode):
            return [
                _build(item, (*path, i), doc, problems, yaml, active)
                for i, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                line, col = _mark(key_node)
                if key_node.tag == _MERGE_TAG:
                    problems.append(
                        Problem(
                            doc.source,
                            "YAML merge keys (<<) are not supported; write the fields out",
                            line=line,
                            column=col,
                        )
                    )
                    continue
                if not isinstance(key_node, ScalarNode):
                    problems.append(
                        Problem(
                            doc.source,
                            "a key must be a plain name, not a list or mapping",
                            line=line,
                            column=col,
                        )
                    )
                    continue
                key = str(key_node.value)
                if key in out:
                    first = doc.key_positions.get((*path, key), (None, None))[0]
                    problems.append(
                        Problem(
                            doc.source,
                            f"duplicate key '{key}' (first given on line {first})",
                            line=line,
                            column=col,
                        )
                    )
                    continue
                doc.key_positions[(*path, key)] = (line, col)
                out[key] = _build(value_node, (*path, key), doc, problems, yaml, active)
            return out
        line, col = _mark(node)  # pragma: no cover - ruamel has only three node kinds
        problems.append(Problem(doc.source, "unsupported YAML node", line=line, column=col))
        return None
    finally:
        active.discard(id(node))
