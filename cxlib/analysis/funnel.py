"""Journey funnels: how far web sessions get, by device, over time, and who calls after dropping out.

The funnel follows the strict ordered funnel of product-analytics tools. For each journey, its
steps are the distinct ``step_order`` values in ascending order (step 1 is the lowest). A
session enters a journey at its event of step 1; sessions without one are not in the funnel.
It reaches step k when it has an event of step k that is no earlier than the time it reached
step k − 1 and no later than ``window_days`` after it entered; a session that misses a step
reaches none after it, so an event out of order (step 3 stamped before step 2) does not count.
Conversion to step k is then sessions reaching k over sessions reaching k − 1 (from the
previous step) or over sessions entering (from the first); drop-off at step k is the sessions
that reached k − 1 but not k. A session's device is the device of its step-1 event and its
customer the first known ``customer_id`` among its events.

Times are seconds, shares 0–1, lost sessions a count per year of the period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowExtensionArray

from ..stats.intervals import wilson
from ..stats.multitest import adjust
from ..stats.proportion import two_proportions

REFERENCE_DEVICE = "desktop"
"""The device whose conversion the others are compared with."""
MOBILE_DEVICE = "mobile"
"""The device of the mobile share and the mobile gap."""


def journey_steps(journeys: pd.DataFrame) -> pd.DataFrame:
    """The steps of each journey in order.

    Returns
    -------
    DataFrame
        Columns ``journey``, ``step`` (1, 2, … within the journey), ``step_order`` (as in the
        data) and ``step_name`` (the name most events of that order carry; ties: the first
        alphabetically).
    """
    journey, journey_names = pd.factorize(journeys["journey"])
    name, step_names = pd.factorize(journeys["step"])
    order, orders = pd.factorize(journeys["step_order"].to_numpy("int64"))
    # events per (journey, step order, name), counted on one integer key: grouping by the text columns costs more
    events = pd.Series((journey * len(orders) + order) * len(step_names) + name).value_counts(sort=False)
    key = events.index.to_numpy()
    names = pd.DataFrame({"journey": journey_names.take(key // (len(orders) * len(step_names))),
                          "step_order": orders.take(key // len(step_names) % len(orders)),
                          "step": step_names.take(key % len(step_names)), "events": events.to_numpy()})
    names = (names.sort_values(["journey", "step_order", "events", "step"], ascending=[True, True, False, True])
             .drop_duplicates(["journey", "step_order"]))
    names["step"], names["step_name"] = names.groupby("journey").cumcount() + 1, names["step"]
    return names[["journey", "step", "step_order", "step_name"]].reset_index(drop=True)


def session_paths(journeys: pd.DataFrame, *, window_days: float = 7.0,
                  steps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each session's way through its journey's funnel (the rule in the module docstring).

    Parameters
    ----------
    journeys : DataFrame
        The journeys table: ``session_id``, ``journey``, ``step``, ``step_order``,
        ``timestamp``, optional ``device`` and ``customer_id``; at most one event per session
        and step order.
    window_days : float, default 7
        Conversion window in days, counted from entering the journey.
    steps : DataFrame, optional
        :func:`journey_steps` of ``journeys``, when already computed.

    Returns
    -------
    DataFrame
        One row per session and journey entered, in the order the sessions first appear:
        ``journey``, ``session_id``, ``device``, ``customer_id``, ``entered_at``, ``reached``
        (the last step reached, 1 … steps), ``steps`` (the journey's number of steps),
        ``last_at`` (when the last step was reached) and ``step_2_s`` … ``step_K_s`` (seconds
        from reaching step k − 1 to step k; NaN when step k was not reached), K the most steps
        of any journey. ``journey`` and ``device`` are categoricals with sorted categories, so
        the funnels and trends built from the paths carry them too.
    """
    if window_days <= 0:
        raise ValueError(f"window_days must be above 0; got {window_days}")
    steps = journey_steps(journeys) if steps is None else steps
    k_max = int(steps["step"].max()) if len(steps) else 1
    session = _codes_of_ids(journeys["session_id"])  # first, while little else is held: hashing ids takes memory
    journey_code, journey_names = pd.factorize(journeys["journey"])
    # each event's step: the rank of its step order within its journey, looked up by (journey, step order)
    ranks = steps.assign(code=journey_names.get_indexer(steps["journey"]))
    width = int(journeys["step_order"].max()) + 1 if len(journeys) else 1
    rank = np.zeros(len(journey_names) * width, dtype=np.int16)
    rank[ranks["code"].to_numpy() * width + ranks["step_order"].to_numpy("int64")] = ranks["step"].to_numpy()
    step = rank[journey_code * width + journeys["step_order"].to_numpy("int64")]
    code = _session_codes(session, journey_code)
    del session
    n = int(code.max(initial=-1)) + 1
    first_rows = _first_rows(code, np.arange(len(code)), n)  # every session has rows
    session_journey = journey_code[first_rows]
    del journey_code
    never = np.iinfo(np.int64).max
    times = np.full((n, k_max), never, dtype=np.int64)
    # one event per session and step order (schema)
    times[code, step - 1] = journeys["timestamp"].to_numpy("datetime64[ns]").view(np.int64)
    first_step = step == 1
    del step
    window = int(round(window_days * 86400e9))
    reached = np.zeros(n, dtype=np.int64)
    alive = times[:, 0] != never
    reached[alive] = 1
    for k in range(1, k_max):
        alive &= (times[:, k] != never) & (times[:, k] >= times[:, k - 1]) & (times[:, k] - times[:, 0] <= window)
        reached[alive] = k + 1
    del alive
    device = _per_session(journeys, "device", code, first_step, n)
    customer = _per_session(journeys, "customer_id", code, None, n)
    del first_step, code
    entered = np.flatnonzero(reached)  # sessions without a step-1 event are not in the funnel
    if len(entered) < n:
        times, reached, first_rows = times[entered], reached[entered], first_rows[entered]
        session_journey, device, customer = session_journey[entered], device.take(entered), customer.take(entered)
    # journey and device as categoricals (categories sorted), so the funnels group them by code
    by_name = np.argsort(journey_names)
    most = steps.groupby("journey")["step"].max().reindex(journey_names).fillna(0).to_numpy("int64")
    columns = {"journey": pd.Categorical.from_codes(np.argsort(by_name)[session_journey], journey_names.take(by_name)),
               "session_id": journeys["session_id"].array.take(first_rows), "device": pd.Categorical(device),
               "customer_id": customer, "entered_at": times[:, 0].copy().view("datetime64[ns]"), "reached": reached,
               "steps": most[session_journey],
               "last_at": times[np.arange(len(reached)), reached - 1].view("datetime64[ns]")}
    del device, customer, first_rows, session_journey
    for k in range(1, k_max):
        columns[f"step_{k + 1}_s"] = np.where(reached > k, (times[:, k] - times[:, k - 1]) / 1e9, np.nan)
    return pd.DataFrame(columns, copy=False)


def _codes_of_ids(ids: pd.Series) -> np.ndarray:
    """Codes 0, 1, … of ``ids`` (nearly all distinct, as session ids are), in the order they first appear."""
    chunks = ids.array.__arrow_array__() if isinstance(ids.array, ArrowExtensionArray) else None
    if chunks is not None and chunks.num_chunks > 1:
        # Arrow text in chunks: encoding them one by one and then unifying the chunks' dictionaries
        # hashes almost every id twice
        ids = pd.Series(pd.array(chunks.combine_chunks(), dtype=ids.dtype))
    codes = pd.factorize(ids)[0]
    del ids, chunks
    # hashing millions of ids leaves Arrow's allocator holding their memory; NumPy cannot reuse it
    pa.default_memory_pool().release_unused()
    return codes


def _session_codes(session: np.ndarray, journey_code: np.ndarray) -> np.ndarray:
    """Codes 0, 1, … of each event's (session, journey), in the order the pairs first appear.

    ``session`` holds the codes of the events' session ids, ``journey_code`` those of their journeys.
    """
    journey_of = np.empty(int(session.max(initial=-1)) + 1, dtype=np.int64)
    journey_of[session] = journey_code
    if (journey_of[session] == journey_code).all():  # every session in one journey: the session is the key
        return session
    return pd.factorize(session.astype(np.int64) * (int(journey_code.max()) + 1) + journey_code)[0]


def _per_session(journeys: pd.DataFrame, column: str, code: np.ndarray, rows: np.ndarray | None,
                 n: int) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``column`` of each session's first row among ``rows`` (a mask; ``None``: all) that has a value.

    Missing where none has, as the column's own missing value (``None`` without the column).
    """
    if column not in journeys:
        return np.full(n, None, dtype=object)
    values = journeys[column]
    use = values.notna().to_numpy() if rows is None else rows & values.notna().to_numpy()
    where = np.flatnonzero(use)
    return values.array.take(_first_rows(code[where], where, n), allow_fill=True)


def _first_rows(codes: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """For each code 0 … n − 1, the smallest of ``rows`` with that code (``codes``: the rows' codes); −1 if none."""
    none = np.iinfo(np.int64).max
    first = np.full(n, none, dtype=np.int64)
    np.minimum.at(first, codes, rows)
    return np.where(first == none, -1, first)


def funnel(paths: pd.DataFrame, steps: pd.DataFrame, *, by: str | Sequence[str] = (),
           confidence: float = 0.95) -> pd.DataFrame:
    """Sessions reaching each step, conversions and drop-off, per journey and group.

    Parameters
    ----------
    paths : DataFrame
        :func:`session_paths`.
    steps : DataFrame
        :func:`journey_steps` of the same table.
    by : str or sequence of str, default ()
        Columns of ``paths`` to split by, e.g. ``"device"``.
    confidence : float, default 0.95
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        One row per journey, group and step: ``[*by]``, ``journey``, ``step``, ``step_name``,
        ``sessions`` (reached the step), ``conversion`` (share of the previous step's sessions;
        1 at step 1) with ``conversion_low``/``conversion_high``, ``from_first`` (share of the
        entering sessions) with ``from_first_low``/``from_first_high``, ``drop_off`` (sessions
        of the previous step that did not reach this one) and ``median_s`` (median seconds from
        the previous step, NaN at step 1).
    """
    by = [by] if isinstance(by, str) else list(by)
    keys = ["journey", *by]
    columns = [*by, "journey", "step", "step_name", "sessions", "conversion", "conversion_low", "conversion_high",
               "from_first", "from_first_low", "from_first_high", "drop_off", "median_s"]
    if paths.empty:
        return pd.DataFrame(columns=columns)
    k_max = int(steps["step"].max())
    # sessions whose last step is r, per group; those reaching step k are the ones with r ≥ k
    last = paths.groupby([*keys, "reached"], observed=True, sort=True, dropna=False).size().unstack(
        "reached", fill_value=0).reindex(columns=range(1, k_max + 1), fill_value=0)
    reaching = last.iloc[:, ::-1].cumsum(axis=1).iloc[:, ::-1]
    durations = [f"step_{k}_s" for k in range(2, k_max + 1)]
    medians = paths.groupby(keys, observed=True, sort=True, dropna=False)[durations].median()
    medians.columns = range(2, k_max + 1)
    frame = pd.DataFrame({"sessions": reaching.stack().astype(float),
                          "median_s": medians.reindex(columns=range(1, k_max + 1)).stack(future_stack=True)})
    frame = frame.rename_axis([*keys, "step"]).reset_index().merge(
        steps[["journey", "step", "step_name"]], on=["journey", "step"])  # each journey's own steps only
    frame = frame.sort_values([*keys, "step"], kind="stable").reset_index(drop=True)
    group = frame.groupby(keys, observed=True, sort=False, dropna=False)["sessions"]
    previous = group.shift(1).fillna(frame["sessions"]).to_numpy()
    sessions = frame["sessions"].to_numpy()
    frame["drop_off"] = previous - sessions
    for name, base in (("conversion", previous), ("from_first", group.transform("first").to_numpy())):
        share = wilson(sessions, base, confidence)
        frame[name], frame[f"{name}_low"], frame[f"{name}_high"] = share.value, share.low, share.high
    return frame[columns]


def device_gaps(by_device: pd.DataFrame, *, years: float = 1.0, reference: str = REFERENCE_DEVICE,
                confidence: float = 0.95) -> pd.DataFrame:
    """Each device's step conversion against the reference device's, tested and priced in lost sessions.

    Parameters
    ----------
    by_device : DataFrame
        :func:`funnel` with ``by="device"``.
    years : float, default 1
        Length of the period in years; lost sessions are divided by it.
    reference : str, default "desktop"
        The device compared with.
    confidence : float, default 0.95
        Confidence level of the gap's interval.

    Returns
    -------
    DataFrame
        One row per journey, device other than the reference, and step from 2 on: ``journey``,
        ``device``, ``step``, ``step_name``, ``entered`` (sessions of the previous step),
        ``conversion`` and ``reference_conversion``, ``gap`` (conversion − reference, with
        ``gap_low``/``gap_high``, Newcombe's interval), ``p`` (pooled two-proportion z-test),
        ``p_adjusted`` (Holm over the steps of the journey and device), ``lost`` (sessions lost
        beyond the reference's conversion: entered · max(reference − conversion, 0)) and
        ``lost_per_year``; sorted by ``lost_per_year``, largest first.
    """
    rows = by_device[by_device["step"] > 1].copy()
    rows["entered"] = rows["sessions"] + rows["drop_off"]
    ref = rows[rows["device"] == reference][["journey", "step", "sessions", "entered"]]
    pairs = rows[(rows["device"] != reference) & rows["device"].notna()].merge(
        ref, on=["journey", "step"], suffixes=("", "_ref"))
    test = two_proportions(pairs["sessions"], pairs["entered"], pairs["sessions_ref"], pairs["entered_ref"],
                           confidence)
    out = pairs[["journey", "device", "step", "step_name", "entered", "conversion"]].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["reference_conversion"] = pairs["sessions_ref"] / pairs["entered_ref"]
    out["gap"], out["gap_low"], out["gap_high"], out["p"] = test.diff, test.low, test.high, test.p_value
    out["p_adjusted"] = np.nan
    for _, index in out.groupby(["journey", "device"]).groups.items():
        out.loc[index, "p_adjusted"] = adjust(out.loc[index, "p"].to_numpy(float), "holm")
    out["lost"] = out["entered"] * (-out["gap"]).clip(lower=0).fillna(0)
    out["lost_per_year"] = out["lost"] / years
    return out.sort_values("lost_per_year", ascending=False, kind="stable").reset_index(drop=True)


def monthly_trend(paths: pd.DataFrame, *, mobile: str = MOBILE_DEVICE, reference: str = REFERENCE_DEVICE,
                  confidence: float = 0.95) -> pd.DataFrame:
    """Per journey and month entered: the mobile share of sessions and the mobile gap in conversion.

    Returns
    -------
    DataFrame
        ``journey``, ``month`` (``YYYY-MM``), ``sessions``, ``mobile_share`` with
        ``mobile_share_low``/``mobile_share_high`` (Wilson), ``mobile_conversion`` and
        ``reference_conversion`` (share of entering sessions that reach the last step) and
        ``gap`` (mobile − reference) with ``gap_low``/``gap_high`` (Newcombe).
    """
    entered = paths["entered_at"].dt
    month = entered.year * 100 + entered.month  # YYYYMM, formatted once per month below
    done = paths["reached"] == paths["steps"]
    frame = pd.DataFrame({"journey": paths["journey"], "month": month, "mobile": paths["device"] == mobile,
                          "reference": paths["device"] == reference, "done": done})
    frame["mobile_done"], frame["reference_done"] = frame["mobile"] & done, frame["reference"] & done
    out = frame.groupby(["journey", "month"], sort=True).agg(
        sessions=("done", "size"), mobile=("mobile", "sum"), reference=("reference", "sum"),
        mobile_done=("mobile_done", "sum"), reference_done=("reference_done", "sum")).reset_index()
    out["month"] = [f"{m // 100:04d}-{m % 100:02d}" for m in out["month"]]
    share = wilson(out["mobile"].to_numpy(float), out["sessions"].to_numpy(float), confidence)
    out["mobile_share"], out["mobile_share_low"], out["mobile_share_high"] = share.value, share.low, share.high
    test = two_proportions(out["mobile_done"], out["mobile"], out["reference_done"], out["reference"], confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mobile_conversion"] = out["mobile_done"] / out["mobile"]
        out["reference_conversion"] = out["reference_done"] / out["reference"]
    out["gap"], out["gap_low"], out["gap_high"] = test.diff, test.low, test.high
    return out.drop(columns=["mobile", "reference", "mobile_done", "reference_done"])


def contacts_after_dropout(paths: pd.DataFrame, contacts: pd.DataFrame, *, days: float = 2.0) -> pd.DataFrame:
    """Sessions of known customers that dropped out of a journey, and the contact each made after.

    A session dropped out when it did not reach its journey's last step. Its contact is the
    customer's first contact opened after the session's last step and within ``days`` of it.

    Parameters
    ----------
    paths : DataFrame
        :func:`session_paths`.
    contacts : DataFrame
        The contacts table: ``contact_id``, ``opened_at``, ``customer_id``, ``channel``,
        ``reason``.
    days : float, default 2
        How long after the last step a contact still counts (days).

    Returns
    -------
    DataFrame
        One row per dropped session with a customer: ``journey``, ``session_id``,
        ``customer_id``, ``device``, ``step`` (the first step not reached), ``last_at``, and
        ``contact_id``, ``channel``, ``reason``, ``opened_at`` of its contact and
        ``contact_position``, its row position in ``contacts`` (0-based; all missing when none).
    """
    if days <= 0:
        raise ValueError(f"days must be above 0; got {days}")
    dropped = paths[["journey", "session_id", "customer_id", "device", "reached", "last_at"]][
        (paths["reached"] < paths["steps"]) & paths["customer_id"].notna()]
    dropped = dropped.assign(step=dropped.pop("reached") + 1, customer_id=dropped["customer_id"].astype(str),
                             last_at=dropped["last_at"].astype("datetime64[ns]"))
    dropped = dropped.sort_values("last_at", kind="stable")
    # customers as integer codes of the dropped sessions' customers; contacts of anyone else cannot match
    customer, customers = pd.factorize(dropped["customer_id"])
    dropped["customer"] = customer
    contact_customer = pc.index_in(_arrow_text(contacts["customer_id"]), value_set=_arrow_text(customers))
    contact_customer = contact_customer.fill_null(-1).to_numpy().astype(customer.dtype)
    rows = np.flatnonzero(contact_customer >= 0)
    known = contacts[["contact_id", "channel", "reason", "opened_at"]].iloc[rows]
    known = known.assign(customer=contact_customer[rows], contact_position=rows,
                         opened_at=known["opened_at"].astype("datetime64[ns]")).sort_values("opened_at", kind="stable")
    joined = pd.merge_asof(dropped, known, left_on="last_at", right_on="opened_at", by="customer",
                           direction="forward", tolerance=pd.Timedelta(days=days), allow_exact_matches=False)
    joined = joined.drop(columns="customer")
    return joined.sort_values(["journey", "step", "last_at"], kind="stable").reset_index(drop=True)


def _arrow_text(values: pd.Series | pd.Index) -> pa.Array:
    """``values`` as an Arrow text array, missing values as nulls."""
    return pa.array(values.astype(str))


def dropout_contact_rates(dropouts: pd.DataFrame, steps: pd.DataFrame, *, by: str | Sequence[str] = ("device",),
                          confidence: float = 0.95) -> pd.DataFrame:
    """Per journey, step not reached and group: dropped sessions and the share that contacted after.

    Returns
    -------
    DataFrame
        ``journey``, ``step``, ``step_name``, ``[*by]``, ``dropped`` (sessions of known
        customers), ``contacted``, ``value`` (contacted / dropped) with ``low``/``high`` (Wilson).
    """
    by = [by] if isinstance(by, str) else list(by)
    keys = ["journey", "step", *by]
    out = dropouts.assign(contacted=dropouts["contact_id"].notna()).groupby(keys, observed=True, dropna=False).agg(
        dropped=("session_id", "size"), contacted=("contacted", "sum")).reset_index()
    share = wilson(out["contacted"].to_numpy(float), out["dropped"].to_numpy(float), confidence)
    out["value"], out["low"], out["high"] = share.value, share.low, share.high
    out = out.merge(steps[["journey", "step", "step_name"]], on=["journey", "step"], how="left")
    return out[["journey", "step", "step_name", *by, "dropped", "contacted", "value", "low", "high"]]
