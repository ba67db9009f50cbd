"""The errors stationplan raises for bad input.

Every one is a ``ValueError`` subclass whose message says what was wrong, where (file, line,
field path) and what is expected. The CLI maps them to exit code 2; anything else is an
internal error (exit code 1).
"""

from __future__ import annotations

from dataclasses import dataclass

REQUEST = "request"
"""The ``source`` of a problem with a request's field (an option, an API field): each face
names the field its own way (``--lead-s`` on the command line)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong.

    ``line`` and ``column`` are 1-based; ``field`` is a dotted path such as
    ``stations[0].orbit.inclination_deg``.
    """

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None and self.field is None:
                where += f":{self.column}"
        if self.field:
            return f"{where} {self.field}: {self.message}"
        return f"{where}: {self.message}"


class StationplanInputError(ValueError):
    """Base class of every bad-input error; carries one or more :class:`Problem`."""

    def __init__(self, problems: list[Problem] | Problem | str, source: str = "<input>") -> None:
        if isinstance(problems, str):
            problems = [Problem(source=source, message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(StationplanInputError):
    """A scenario file that cannot be read or does not validate."""


class ElementSetError(StationplanInputError):
    """A TLE, OMM or catalog file (or record) that cannot be parsed."""


class ArgumentError(StationplanInputError):
    """A command-line argument or API parameter outside what is accepted."""


class ConjunctionError(StationplanInputError):
    """A conjunction (a CDM, a conjunction JSON file, or the states and covariances in it)
    that cannot be read or gives no probability of collision."""
