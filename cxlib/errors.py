"""Typed exceptions for errors a user can cause.

Every user error is a :class:`CxError` with a plain message; the CLI prints the message
and exits non-zero without a traceback. Input problems are collected as
:class:`Problem` records so that validation can report all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
        """The problem as one line: where it is, the value found and what was expected."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = f": got {self.value!r}" if self.value is not None else ""
        return f"{', '.join(where)}{got}; expected {self.expected}"


MAX_PER_RULE = 50
"""At most this many rows are listed for one rule on one column; the rest are counted."""


def row_problems(
    file: str,
    column: str | None,
    rows: Sequence[int],
    values: Sequence[object] | None,
    expected: str | Callable[[int], str],
) -> list[Problem]:
    """One :class:`Problem` per offending row, capped at :data:`MAX_PER_RULE`.

    ``rows`` lists the offending rows (as the user counts them) and ``values`` their
    non-missing cells (``None``: no value to show). ``expected`` is one text for all rows
    or a function of the position ``i`` in ``rows``; both are consulted only for the first
    :data:`MAX_PER_RULE` rows. Rows beyond the cap are summarised in one extra problem.
    """
    shown = min(len(rows), MAX_PER_RULE)
    out = [
        Problem(
            file,
            int(rows[i]),
            column,
            None if values is None else _cell(values[i]),
            expected if isinstance(expected, str) else expected(i),
        )
        for i in range(shown)
    ]
    if len(rows) > shown:
        what = expected if isinstance(expected, str) else "the same"
        out.append(Problem(file, None, column, None, f"{what} ({len(rows) - shown} more rows like this not listed)"))
    return out


def _cell(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class CxError(Exception):
    """Base class of every error a user can cause (bad input, bad options)."""


class MissingTable(CxError):
    """A workbook step needs a table the client workspace does not have."""


class InputError(CxError):
    """Input that cannot be used: one or more :class:`Problem` records."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        super().__init__(first if not more else f"{first} (and {more} more problems)")


class ExportError(CxError):
    """An export of the report (PDF, PowerPoint, Excel) could not be written; the message says why."""
