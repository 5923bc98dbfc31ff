"""Typed exceptions for errors a user can cause.

Every user error is a :class:`CxError` with a plain message; the CLI prints the message
and exits non-zero without a traceback. Input problems are collected as
:class:`Problem` records so that validation can report all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``row`` counts as the user counts in the file: the header is row 1, so the first
    data row is row 2. ``row`` and ``column`` are ``None`` when the problem concerns the
    whole file (for example a missing column or an unreadable file).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = f": got {self.value!r}" if self.value is not None else ""
        return f"{', '.join(where)}{got}; expected {self.expected}"


class CxError(Exception):
    """Base class of every error a user can cause (bad input, bad options)."""


class InputError(CxError):
    """Input that cannot be used: one or more :class:`Problem` records."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        super().__init__(first if not more else f"{first} (and {more} more problems)")


class StepFailed(CxError):
    """A workbook step (notebook) failed while executing."""
