"""Web sessions: a purchase funnel (prospects) and a service funnel (logged-in customers).

Mobile drops off more at form steps, and mobile BankID login fails more during the April app
incident. Sessions start on a day and hour of the web profiles; steps follow at log-normal intervals.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from .profiles import DAY_S, WEB_WEEKDAY, WEEKDAY, profile, shapes, to_ts, web_hour_weights
from .resources import DEVICES
from .sampling import choice, ids, readonly, sample_bins, take

# Steps of each funnel and the chance to continue to the next step per device.
JOURNEYS = (("teckna elavtal", ("startsida", "välj avtal", "personuppgifter", "betalning", "bekräftelse")),
            ("flytta avtal", ("logga in", "mina sidor", "flytta avtal", "bekräftelse")))
SERVICE = 1
"""Code of the service funnel (``flytta avtal``, logged-in customers) in :data:`JOURNEYS`."""
JOURNEY_DEVICE_P = (0.58, 0.36, 0.06)  # mobile, desktop, tablet
CONTINUE_P = (
    np.array([[0.42, 0.58, 0.52, 0.68], [0.45, 0.62, 0.78, 0.88], [0.44, 0.60, 0.68, 0.80]]),  # forms hurt on mobile
    np.array([[0.86, 0.52, 0.58], [0.93, 0.55, 0.82], [0.90, 0.54, 0.72]]),
)
STEP_SECONDS = ((25, 70, 150, 60, 0), (20, 35, 180, 0))  # median time on a step before the next one


@cache
def _day_weights() -> tuple[np.ndarray, np.ndarray]:
    """Daily weight of each journey's sessions."""
    return (readonly(profile({"campaign": 0.8, "price_letter": 1.0})),
            readonly(profile({"moving": 1.0, "month_end": 0.6})))


def sessions(rng: np.random.Generator, c: dict, n_buy: int, n_service: int) -> dict:
    """Web sessions of both funnels: who, on which device, how far they got and when.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    c : dict
        Customers, as :func:`~cxlib.synth.demand.customers` returns them (service sessions
        belong to active customers).
    n_buy, n_service : int
        Number of sessions of the purchase funnel and of the service funnel.

    Returns
    -------
    dict
        Arrays in order of session start, one entry per session: ``session`` (0, 1, …; the
        number of its ``session_id`` less one), ``customer`` (customer row, -1 in the purchase
        funnel), ``device`` and ``journey`` (codes of :data:`~cxlib.synth.resources.DEVICES`
        and :data:`JOURNEYS`), ``reached`` (last step reached, 1 = the first), ``dropped``
        (left before the journey's last step), ``start`` and ``last_event`` (first and last
        step, in seconds since 2025-01-01). And ``step_elapsed``: seconds from the session's
        start to each step it reached, sessions one after another (length ``reached.sum()``).
    """
    day_w = _day_weights()
    journey, start, device, cust, reached = [], [], [], [], []
    for j, n in enumerate((n_buy, n_service)):
        who = rng.choice(c["n"], n, p=c["activity"] / c["activity"].sum()) if j else np.full(n, -1)
        lo, hi = (c["lo"][who], c["hi"][who]) if j else (None, None)
        day = sample_bins(rng, (day_w[j] * WEB_WEEKDAY[WEEKDAY])[None], np.zeros(n, np.int64), lo, hi)[0]
        hour = sample_bins(rng, web_hour_weights()[None], np.zeros(n, np.int64))[0]
        dev = choice(rng, JOURNEY_DEVICE_P, n)
        p = CONTINUE_P[j][dev]
        if j:  # mobile BankID login broken during the April app incident
            p[:, 0] *= np.where((dev == 0) & (shapes()["app_incident"][day] > 0), 0.6, 1.0)
        go = rng.random(p.shape) < p
        journey.append(np.full(n, j))
        start.append(day * DAY_S + hour * 3600 + rng.integers(0, 3600, n))
        device.append(dev)
        cust.append(who)
        reached.append(1 + np.cumprod(go, axis=1).sum(axis=1))
    order = np.argsort(np.concatenate(start), kind="stable")
    journey, start, device, cust, reached = (np.concatenate(a)[order] for a in (journey, start, device, cust, reached))

    sess, step_order, step = _step_rows(journey, reached)
    step_s = np.array([s for secs in STEP_SECONDS for s in secs], float)
    dur = np.where(step_order > 1, rng.lognormal(np.log(step_s[step - 1] * np.where(device[sess] == 0, 1.2, 1.0)
                                                        + 1), 0.6), 0.0)
    elapsed = np.cumsum(dur)
    first_row = np.cumsum(reached) - reached
    elapsed = np.round(elapsed - elapsed[first_row][sess])
    n_steps = np.array([len(steps) for _, steps in JOURNEYS])
    return {"session": np.arange(len(start)), "customer": cust, "device": device, "journey": journey,
            "reached": reached, "dropped": reached < n_steps[journey], "start": start,
            "last_event": start + elapsed[first_row + reached - 1].astype(np.int64), "step_elapsed": elapsed}


def _step_rows(journey: np.ndarray, reached: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per step reached: its session's index, its order in the session (1, 2, …) and its code in all steps."""
    sess = np.repeat(np.arange(len(reached)), reached)
    step_order = np.arange(len(sess)) - (np.cumsum(reached) - reached)[sess] + 1
    step_offset = np.array([0, len(JOURNEYS[0][1])])
    return sess, step_order, step_offset[journey[sess]] + step_order - 1


def journeys_table(s: dict, c: dict) -> pa.Table:
    """The ``journeys`` table: one row per step a session reached.

    Parameters
    ----------
    s : dict
        Sessions, as :func:`sessions` returns them.
    c : dict
        Their customers, as :func:`~cxlib.synth.demand.customers` returns them.

    Returns
    -------
    pyarrow.Table
        Steps in order of session start; ``customer_id`` is null in the purchase funnel.
    """
    sess, step_order, step = _step_rows(s["journey"], s["reached"])
    cust = s["customer"][sess]
    return pa.table({
        "session_id": ids("S", len(s["start"]), 7).take(pa.array(sess)),
        "journey": take([name for name, _ in JOURNEYS], s["journey"][sess]),
        "step": take([name for _, steps in JOURNEYS for name in steps], step),
        "step_order": pa.array(step_order),
        "timestamp": to_ts(s["start"][sess] + s["step_elapsed"]),
        "device": take(DEVICES, s["device"][sess]),
        "customer_id": c["id"].take(pa.array(cust, mask=cust < 0)),
    })
