"""RACI of the initiatives across departments (step 08): who is Responsible, Accountable, Consulted, Informed.

The defaults follow the rule that failure lands with the department that causes it, not with
customer service:

* the initiative's owner is Accountable and Responsible (``"A/R"``);
* the departments that own what the initiative acts on are Consulted (``"C"``): the owners of
  the candidates it is measured by, and of the steps' candidates and the client's reasons on
  the same touchpoint (root causes, themes, journeys);
* every other department is Informed (``"I"``).

The workshop then edits single cells (:func:`with_edits`). :func:`problems` lists the
initiatives that break the one rule a RACI must keep: exactly one Accountable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..config import RACI_ROLES
ACCOUNTABLE = ("A/R", "A")
"""The roles that make a department accountable for an initiative."""
COLUMNS = ["initiative", "department", "role"]
"""The columns of a RACI in long form: one row per initiative and department."""


def default_raci(initiatives: pd.DataFrame, acted_on: pd.DataFrame, departments: Iterable[str]) -> pd.DataFrame:
    """The default RACI of ``initiatives`` over ``departments``.

    Parameters
    ----------
    initiatives : DataFrame
        One row per initiative: ``id``, ``owner`` (a department id or missing), ``touchpoint``
        (or missing) and ``measured_by`` (the id of a row of ``acted_on``, or missing).
    acted_on : DataFrame
        What initiatives act on, with the department that owns it: ``id``, ``owner`` and
        ``touchpoint`` (the steps' candidates, the client's reasons); rows without an owner add
        nothing.
    departments : iterable of str
        Every department id, in the order the matrix shows them. Owners not listed are added
        after them (sorted), so no owner is lost.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per initiative and department, in the initiatives' order.
    """
    owned = acted_on.dropna(subset=["owner"])
    by_touchpoint = owned.dropna(subset=["touchpoint"]).groupby("touchpoint")["owner"].agg(set).to_dict()
    owner_of = dict(zip(owned["id"], owned["owner"]))
    roles = {}
    for item in initiatives.itertuples(index=False):
        consulted = set(by_touchpoint.get(item.touchpoint, set())) if pd.notna(item.touchpoint) else set()
        if pd.notna(item.measured_by) and item.measured_by in owner_of:
            consulted.add(owner_of[item.measured_by])
        roles[item.id] = {department: "C" for department in consulted}
        if pd.notna(item.owner):
            roles[item.id][item.owner] = "A/R"
    order = list(dict.fromkeys(departments))
    order += sorted({department for cells in roles.values() for department in cells} - set(order))
    rows = [(initiative, department, cells.get(department, "I"))
            for initiative, cells in roles.items() for department in order]
    return pd.DataFrame(rows, columns=COLUMNS)


def with_edits(raci: pd.DataFrame, edits: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """``raci`` with the cells in ``edits`` (initiative → department → role) replaced.

    Raises
    ------
    ValueError
        For an initiative or department that is not in ``raci``, or a role not in :data:`~cxlib.config.RACI_ROLES`,
        naming it and what was expected.
    """
    out = raci.copy()
    index = {key: i for i, key in enumerate(zip(out["initiative"], out["department"]))}
    for initiative, cells in edits.items():
        if initiative not in set(out["initiative"]):
            raise ValueError(f"initiative {initiative!r} is not in the RACI; expected one of "
                             f"{', '.join(dict.fromkeys(out['initiative']))}")
        for department, role in cells.items():
            if (initiative, department) not in index:
                raise ValueError(f"department {department!r} is not in the RACI; expected one of "
                                 f"{', '.join(dict.fromkeys(out['department']))}")
            if role not in RACI_ROLES:
                raise ValueError(f"role {role!r} of {initiative}/{department} is not a RACI role; "
                                 f"expected one of {', '.join(RACI_ROLES)}")
            out.iloc[index[initiative, department], out.columns.get_loc("role")] = role
    return out


def matrix(raci: pd.DataFrame) -> pd.DataFrame:
    """``raci`` as a matrix: one row per initiative, one column per department, in their order."""
    wide = raci.pivot(index="initiative", columns="department", values="role")
    return wide.loc[list(dict.fromkeys(raci["initiative"])), list(dict.fromkeys(raci["department"]))]


def accountable_for(raci: pd.DataFrame) -> dict[str, list[str]]:
    """Department → the initiatives it is accountable for, for every department in ``raci`` (possibly none)."""
    accountable = raci[raci["role"].isin(ACCOUNTABLE)]
    return {department: list(accountable.loc[accountable["department"] == department, "initiative"])
            for department in dict.fromkeys(raci["department"])}


def problems(raci: pd.DataFrame) -> pd.DataFrame:
    """The initiatives without exactly one Accountable department: ``initiative`` and ``accountable`` (a count)."""
    counts = (raci["role"].isin(ACCOUNTABLE).groupby(raci["initiative"], sort=False).sum()
              .rename("accountable").reset_index())
    return counts[counts["accountable"] != 1].reset_index(drop=True)
