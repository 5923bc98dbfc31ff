"""Parts of a step view that need optional tables or columns.

Only ``client.yaml`` and the feedback table's key columns are required; every other table and
column is optional. A view part declared with :func:`requires` is ``None`` when one of its
needs is missing, and :meth:`Requires.missing` says which, so that a notebook shows, for each
section, what it would need and carries on with the others.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import pandas as pd


def requires(*needs: str) -> Callable[[Callable], cached_property]:
    """Declare a view part that needs ``"table.column"`` entries (or a whole ``"table"``).

    The decorated method becomes a cached property that is ``None`` when a need is missing
    (the table absent, the column absent, or the column without any value in the view's scope).
    """
    def wrap(compute: Callable) -> cached_property:
        def part(view):
            return None if view.missing(compute.__name__) else compute(view)

        part.__name__, part.__doc__, part.needs = compute.__name__, compute.__doc__, needs
        return cached_property(part)

    return wrap


def missing_needs(tables: dict[str, pd.DataFrame], needs: tuple[str, ...]) -> list[str]:
    """The entries of ``needs`` (``"table.column"`` or ``"table"``) that ``tables`` do not meet."""
    out = []
    for need in needs:
        table, _, column = need.partition(".")
        frame = tables.get(table)
        if frame is None or (column and (column not in frame or not frame[column].notna().any())):
            out.append(need)
    return out


class Requires:
    """Mixin of step views whose parts are declared with :func:`requires`.

    The view holds in ``self.scope`` the tables as its parts see them (in the period, filtered),
    so a column with values only outside the view (NPS dropped from the survey this year, a
    channel without NPS answers) counts as missing too.
    """

    scope: dict[str, pd.DataFrame]

    def missing(self, part: str) -> list[str]:
        """What ``part`` needs that the view's data does not have (empty: it can be computed)."""
        needs = getattr(getattr(type(self), part), "func", None)
        return missing_needs(self.scope, getattr(needs, "needs", ()))
