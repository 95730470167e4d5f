"""The library's small exception family.

The library raises these; only :mod:`simulator.cli` turns them into one-line messages
(``FILE:LINE: key.path: what is wrong``) and exit code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SimulatorError(Exception):
    """Base class of every error the library raises on purpose."""


class UserInputError(SimulatorError):
    """A problem with something the user gave: a file, a value, a key.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed.
    file : str, optional
        The file the problem is in.
    line : int, optional
        1-based line in ``file``.
    key : str, optional
        Dotted key path, such as ``growth[1].sd``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{place}{key}{self.message}"


class ScenarioError(UserInputError):
    """A scenario file is malformed or holds an impossible value."""


class ActualsError(UserInputError):
    """A CSV of actuals is malformed (dates, duplicates, gaps, values)."""


class OutputFolderError(UserInputError):
    """An output folder a command may not replace (a file, or a folder of other files)."""


class ScenarioErrors(ScenarioError):
    """Several problems in one scenario file; ``str`` gives one line per problem."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, key=first.key)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(ScenarioError.__str__(e) for e in self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a hint such as `` (did you mean 'lognormal'?)`` ('' if no choice is close).

    Examples
    --------
    >>> f"unknown dist 'lognorm'{did_you_mean('lognorm', ['normal', 'lognormal'])}"
    "unknown dist 'lognorm' (did you mean 'lognormal'?)"
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def format_path(path: tuple[str | int, ...]) -> str:
    """A key path as a reader writes it: ``("growth", 1, "sd")`` → ``growth[1].sd``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out
