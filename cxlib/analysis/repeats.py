"""Repeat contacts and channel hopping: the customer who has to get in touch again.

A contact is a *repeat* when the same customer opened a contact about the same reason no more
than ``window_days`` before it (opening time to opening time); the earlier contact is then
*followed* by a repeat, which says it did not solve the customer's problem. A repeat is a *hop*
when it comes in another channel than the contact it follows. Contacts without a customer or a
reason cannot be matched and are left out of every count.

A repeat rate is the share of contacts followed by a repeat, counted where the first contact
was made (its reason, its channel): that is where the problem was not solved. Shares are 0–1,
handle times seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.intervals import wilson


def repeat_flags(contacts: pd.DataFrame, *, window_days: float = 7.0) -> pd.DataFrame:
    """Mark each contact as a repeat, as followed by a repeat, and the channel it repeats.

    Parameters
    ----------
    contacts : DataFrame
        The contacts table: ``opened_at``, ``channel``, ``reason``, ``customer_id``, optional
        ``handle_time_s``.
    window_days : float, default 7
        Longest time in days from one contact to the next for the next to be a repeat.

    Returns
    -------
    DataFrame
        Index of ``contacts``: ``matched`` (customer and reason known), ``repeat``, ``followed``,
        ``hop`` (a repeat in another channel than the contact it follows), ``followed_elsewhere``
        (followed by a hop), ``previous_channel`` (of the contact a repeat follows) and
        ``next_handle_s`` (handle time of the repeat that follows, NaN when none or unknown).
    """
    matched = (contacts["customer_id"].notna() & contacts["reason"].notna()).to_numpy()
    # codes of the whole columns: no copy of the text
    order, close = _follow_ups(pd.factorize(contacts["customer_id"])[0], pd.factorize(contacts["reason"])[0],
                               contacts["opened_at"].to_numpy("datetime64[ns]").view(np.int64), window_days)
    sorted_rows = np.flatnonzero(matched)[order]
    channel = pd.factorize(contacts["channel"])[0][sorted_rows]
    handle = (contacts["handle_time_s"].to_numpy(float)[sorted_rows] if "handle_time_s" in contacts
              else np.full(len(sorted_rows), np.nan))
    hop = close & (channel[1:] != channel[:-1])
    n = len(contacts)
    later, earlier = sorted_rows[1:], sorted_rows[:-1]
    columns = {"matched": matched}
    for column, at, values in (("repeat", later, close), ("followed", earlier, close), ("hop", later, hop),
                               ("followed_elsewhere", earlier, hop)):
        columns[column] = np.zeros(n, dtype=bool)
        columns[column][at[values]] = True
    previous = np.full(n, -1, dtype=np.int64)  # row of the contact a repeat follows
    previous[later[close]] = earlier[close]
    columns["previous_channel"] = contacts["channel"].array.take(previous, allow_fill=True)
    columns["next_handle_s"] = np.full(n, np.nan)
    columns["next_handle_s"][earlier[close]] = handle[1:][close]
    return pd.DataFrame(columns, index=contacts.index, copy=False)


def is_repeat(customer_codes: np.ndarray, reason_codes: np.ndarray, opened_ns: np.ndarray, *,
              window_days: float = 7.0) -> np.ndarray:
    """Whether each contact repeats an earlier one (the :func:`repeat_flags` ``repeat``), from codes.

    Parameters
    ----------
    customer_codes, reason_codes : numpy.ndarray of int
        Per contact, codes of its customer and reason (e.g. :func:`pandas.factorize`); −1 is unknown.
    opened_ns : numpy.ndarray of int
        Per contact, its opening time in nanoseconds.
    window_days : float, default 7
        Longest time in days from one contact to the next for the next to be a repeat.

    Returns
    -------
    numpy.ndarray of bool
    """
    matched = np.flatnonzero((customer_codes >= 0) & (reason_codes >= 0))
    order, close = _follow_ups(customer_codes, reason_codes, opened_ns, window_days)
    out = np.zeros(len(customer_codes), dtype=bool)
    out[matched[order][1:][close]] = True
    return out


def _follow_ups(customer_codes: np.ndarray, reason_codes: np.ndarray, opened_ns: np.ndarray,
                window_days: float) -> tuple[np.ndarray, np.ndarray]:
    """The contacts with a known customer and reason in order of customer, reason and time (positions among
    them), and whether each is within ``window_days`` of the one before it for the same customer and reason.
    """
    if window_days <= 0:
        raise ValueError(f"window_days must be above 0; got {window_days}")
    rows = np.flatnonzero((customer_codes >= 0) & (reason_codes >= 0))
    reason = reason_codes[rows]
    key = customer_codes[rows].astype(np.int64) * (int(reason.max(initial=0)) + 1) + reason
    opened = opened_ns[rows]
    order = np.lexsort((opened, key))  # by customer and reason, then time
    key, opened = key[order], opened[order]
    close = (key[1:] == key[:-1]) & (opened[1:] - opened[:-1] <= int(round(window_days * 86400e9)))
    return order, close


def repeat_rates(contacts: pd.DataFrame, flags: pd.DataFrame, *, by: str | Sequence[str] = "reason",
                 years: float = 1.0, confidence: float = 0.95) -> pd.DataFrame:
    """Repeat and hop rates per group of the first contact, and the handle time the repeats cost.

    Parameters
    ----------
    contacts : DataFrame
        The contacts table.
    flags : DataFrame
        :func:`repeat_flags` of ``contacts``.
    by : str or sequence of str, default "reason"
        Columns of ``contacts`` to group by, e.g. ``"channel"``.
    years : float, default 1
        Length of the period in years (for ``repeats_per_year``).
    confidence : float, default 0.95
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        ``[*by]``, ``contacts`` (matched), ``followed``, ``value`` (followed / contacts) with
        ``low``/``high``, ``hops`` (followed in another channel), ``hop_rate`` with
        ``hop_rate_low``/``hop_rate_high``, ``repeats_per_year`` and ``extra_handle_s`` (handle time of
        the repeats, seconds over the period); sorted by ``followed``, most first.
    """
    by = [by] if isinstance(by, str) else list(by)
    frame = contacts.loc[flags["matched"], by].copy()
    frame["followed"] = flags.loc[flags["matched"], "followed"]
    frame["hops"] = flags.loc[flags["matched"], "followed_elsewhere"]
    frame["extra_handle_s"] = flags.loc[flags["matched"], "next_handle_s"]
    out = frame.groupby(by, observed=True, dropna=False).agg(
        contacts=("followed", "size"), followed=("followed", "sum"), hops=("hops", "sum"),
        extra_handle_s=("extra_handle_s", lambda x: x.sum(min_count=1))).reset_index()
    n = out["contacts"].to_numpy(float)
    rate, hop = wilson(out["followed"].to_numpy(float), n, confidence), wilson(out["hops"].to_numpy(float), n,
                                                                              confidence)
    out["value"], out["low"], out["high"] = rate.value, rate.low, rate.high
    out["hop_rate"], out["hop_rate_low"], out["hop_rate_high"] = hop.value, hop.low, hop.high
    out["repeats_per_year"] = out["followed"] / years
    columns = [*by, "contacts", "followed", "value", "low", "high", "hops", "hop_rate", "hop_rate_low",
               "hop_rate_high", "repeats_per_year", "extra_handle_s"]
    return out[columns].sort_values("followed", ascending=False, kind="stable").reset_index(drop=True)


def resolution_held(contacts: pd.DataFrame, flags: pd.DataFrame, *, by: str | Sequence[str] = "channel",
                    confidence: float = 0.95) -> pd.DataFrame:
    """First-contact resolution as reported against resolution that held (no repeat followed).

    Parameters
    ----------
    contacts : DataFrame
        The contacts table with ``resolved_first_contact`` (true/false; missing is left out).
    flags : DataFrame
        :func:`repeat_flags` of ``contacts``.
    by : str or sequence of str, default "channel"
        Columns of ``contacts`` to group by.
    confidence : float, default 0.95
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        ``[*by]``, ``contacts`` (matched, with a resolution flag), ``fcr`` (share flagged
        resolved) with ``fcr_low``/``fcr_high``, ``held`` (share flagged resolved and not
        followed by a repeat) with ``held_low``/``held_high``, and ``not_held`` (share of the
        contacts flagged resolved that were followed by a repeat anyway) with
        ``not_held_low``/``not_held_high``.
    """
    by = [by] if isinstance(by, str) else list(by)
    flagged = contacts["resolved_first_contact"]
    use = flags["matched"] & flagged.notna()
    frame = contacts.loc[use, by].copy()
    frame["resolved"] = flagged[use].astype(bool)
    frame["held"] = frame["resolved"] & ~flags.loc[use, "followed"]
    frame["broke"] = frame["resolved"] & flags.loc[use, "followed"]
    out = frame.groupby(by, observed=True, dropna=False).agg(
        contacts=("resolved", "size"), resolved=("resolved", "sum"), held=("held", "sum"),
        broke=("broke", "sum")).reset_index()
    n, resolved = out["contacts"].to_numpy(float), out["resolved"].to_numpy(float)
    for name, k, base in (("fcr", resolved, n), ("held", out["held"].to_numpy(float), n),
                          ("not_held", out["broke"].to_numpy(float), resolved)):
        share = wilson(k, base, confidence)
        out[name], out[f"{name}_low"], out[f"{name}_high"] = share.value, share.low, share.high
    return out[[*by, "contacts", "fcr", "fcr_low", "fcr_high", "held", "held_low", "held_high", "not_held",
                "not_held_low", "not_held_high"]]


def hop_flows(contacts: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Channel → channel flows of repeats: ``from_channel``, ``to_channel``, ``repeats``, ``hop`` (channels differ).

    Repeats in the same channel are kept (``hop`` false) so that a Sankey shows both; sorted by
    ``repeats``, most first.
    """
    repeats = flags["repeat"]
    out = pd.DataFrame({"from_channel": flags.loc[repeats, "previous_channel"].to_numpy(object),
                        "to_channel": contacts.loc[repeats, "channel"].to_numpy(object)})
    out = out.groupby(["from_channel", "to_channel"], sort=True).size().rename("repeats").reset_index()
    out["hop"] = out["from_channel"] != out["to_channel"]
    return out.sort_values("repeats", ascending=False, kind="stable").reset_index(drop=True)
