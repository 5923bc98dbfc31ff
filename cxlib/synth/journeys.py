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


def journeys(rng: np.random.Generator, c: dict, n_buy: int, n_service: int) -> pa.Table:
    """The ``journeys`` table: one row per step a session reached.

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
    pyarrow.Table
        Steps in order of session start; ``customer_id`` is null in the purchase funnel.
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

    sess = np.repeat(np.arange(len(start)), reached)
    first_row = np.cumsum(reached) - reached
    step_order = np.arange(len(sess)) - first_row[sess] + 1
    step_offset = np.array([0, len(JOURNEYS[0][1])])
    step = step_offset[journey[sess]] + step_order - 1
    step_s = np.array([s for secs in STEP_SECONDS for s in secs], float)
    dur = np.where(step_order > 1, rng.lognormal(np.log(step_s[step - 1] * np.where(device[sess] == 0, 1.2, 1.0)
                                                        + 1), 0.6), 0.0)
    elapsed = np.cumsum(dur)
    elapsed -= elapsed[first_row][sess]
    return pa.table({
        "session_id": ids("S", len(start), 7).take(pa.array(sess)),
        "journey": take([name for name, _ in JOURNEYS], journey[sess]),
        "step": take([s for _, steps in JOURNEYS for s in steps], step),
        "step_order": pa.array(step_order),
        "timestamp": to_ts(start[sess] + np.round(elapsed)),
        "device": take(DEVICES, device[sess]),
        "customer_id": c["id"].take(pa.array(cust[sess], mask=cust[sess] < 0)),
    })
