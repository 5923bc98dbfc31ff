"""Survey responses: NPS, CSAT and CES with comments, after contacts and on the web and in the app.

The scores come from a latent satisfaction driven by the customer's mood, channel, touchpoint,
segment, device and the contact behind the survey (failure demand, unresolved, repeat, long
wait); churners score worse, especially in the months before they leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pyarrow as pa

from .comments import LANGS, THEMES, compose
from .demand import R_FAIL, REASONS, SEGMENTS
from .profiles import DAY_S, N_DAYS, WEB_WEEKDAY, WEEKDAY, profile, shapes, to_date
from .resources import CH, CH_FEEDBACK, DEVICES, queue_mask
from .sampling import choice, ids, readonly, sample_bins, take, weighted_sample

# Feedback: touchpoints and what drives the latent satisfaction behind the scores.
TOUCHPOINTS = ("faktura", "flytt", "avbrott", "app", "kundtjänst telefon", "chatt", "e-post",
               "leverans/installation", "webb", "avtal")
CH_TOUCHPOINT = readonly(np.array([TOUCHPOINTS.index(t)  # touchpoint of a survey after a contact, per channel
                                   for t in ("kundtjänst telefon", "chatt", "e-post", "webb", "app")]))
R_TOUCHPOINT = readonly(np.array([TOUCHPOINTS.index(r[4]) if r[4] else -1 for r in REASONS]))  # -1: the channel
CH_EFFECT = np.array([0.10, 0.12, -0.20, -0.15, 0.0, -0.10])  # phone chat email webform app web
TP_EFFECT = np.array([-0.15, -0.05, -0.25, -0.10, 0.15, 0.15, -0.10, 0.15, 0.0, 0.05])  # as TOUCHPOINTS
Z0 = 0.5  # intercept: puts overall NPS around +10
NPS_P = (0.05, 0.02, 0.03, 0.03, 0.04, 0.08, 0.07, 0.13, 0.17, 0.14, 0.24)  # score shares at z ~ N(0, 1)
CSAT_P = (0.07, 0.08, 0.15, 0.33, 0.37)
CES_P = (0.05, 0.06, 0.09, 0.13, 0.20, 0.25, 0.22)
# Theme of a comment given the touchpoint (rows as TOUCHPOINTS, columns as THEMES).
THEME_BY_TP = np.array([
    [6, 1, 0.5, 1.5, 0, 1.5, 0, 0],
    [0.5, 1, 1, 1.5, 0, 0, 6, 0],
    [0, 1.5, 0, 1, 0, 0, 0, 6],
    [1, 0, 6, 0.5, 0, 0, 0, 0],
    [1, 3, 0, 4, 0, 0.5, 0, 0],
    [0, 2, 1, 4, 0, 0, 0, 0],
    [1, 4, 0, 2, 0, 0, 0, 0],
    [0, 0, 0, 1.5, 6, 1, 0, 0],
    [0, 0, 5, 0, 0, 1, 1, 0],
    [0.5, 0, 0, 1.5, 0, 4, 2, 0],
])
THEME2_W = np.array([1, 1.5, 1, 2, 0.3, 1.5, 0.5, 0.2])  # second theme of longer comments
# Touchpoints of surveys in the app and on the web (not after a contact), with probabilities.
APP_TOUCHPOINTS = {"app": 0.7, "faktura": 0.22, "avbrott": 0.08}
WEB_TOUCHPOINTS = {"webb": 0.55, "flytt": 0.2, "avtal": 0.15, "faktura": 0.1}


def _touchpoints(rng, probs: Mapping[str, float], n: int) -> np.ndarray:
    """N touchpoint codes drawn from ``{touchpoint: probability}``."""
    return np.array([TOUCHPOINTS.index(t) for t in probs])[choice(rng, list(probs.values()), n)]


def _cuts(p) -> np.ndarray:
    """Cut points on a standard normal latent that yield score shares ``p``."""
    return np.array([NormalDist().inv_cdf(q) for q in np.cumsum(p)[:-1]])


def feedback(rng: np.random.Generator, c: dict, k: dict, n: int) -> pa.Table:
    """The ``feedback`` table: 75 % of responses after a contact (same customer, channel and
    reason), 25 % on the web or in the app.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    c : dict
        Customers, as :func:`~cxlib.synth.demand.customers` returns them.
    k : dict
        Their contacts, as :func:`~cxlib.synth.demand.contacts` returns them.
    n : int
        Number of responses.

    Returns
    -------
    pyarrow.Table
        One row per response, sorted by date; NPS 0–10, CSAT 1–5 and CES 1–7 with a few
        missing, and a comment on most responses.
    """
    queue = queue_mask()
    n_post = round(0.75 * n) if (~k["abandoned"]).any() else 0
    served = np.flatnonzero(~k["abandoned"])
    fail_k, unres_k = R_FAIL[k["reason"]], ~k["resolved"]
    src = served[weighted_sample(rng, (1 + 0.3 * fail_k + 0.3 * unres_k)[served], n_post)] if n_post else served[:0]
    cust_p = k["cust"][src]
    lag = choice(rng, (0.5, 0.3, 0.1, 0.06, 0.04), n_post)
    day_p = np.minimum(k["first"][src] // DAY_S + lag, c["hi"][cust_p])
    tp_p = np.where((R_TOUCHPOINT[k["reason"][src]] < 0) | (rng.random(n_post) < 0.4),
                    CH_TOUCHPOINT[k["ch"][src]], R_TOUCHPOINT[k["reason"][src]])

    n_dig = n - n_post
    cust_d = rng.choice(c["n"], n_dig, p=c["activity"] / c["activity"].sum())
    day_d = sample_bins(rng, (profile({"campaign": 0.5, "moving": 0.5}) * WEB_WEEKDAY[WEEKDAY])[None],
                        np.zeros(n_dig, np.int64), c["lo"][cust_d], c["hi"][cust_d])[0]
    is_app = rng.random(n_dig) < 0.4
    tp_d = np.where(is_app, _touchpoints(rng, APP_TOUCHPOINTS, n_dig), _touchpoints(rng, WEB_TOUCHPOINTS, n_dig))
    dev_d = np.where(is_app, np.where(rng.random(n_dig) < 0.92, 0, 2), choice(rng, (0.58, 0.37, 0.05), n_dig))

    cust = np.concatenate([cust_p, cust_d])
    ch = np.concatenate([k["ch"][src], np.where(is_app, CH.index("app"), CH_FEEDBACK.index("web"))])
    day = np.minimum(np.concatenate([day_p, day_d]), N_DAYS - 1)
    tp = np.concatenate([tp_p, tp_d])
    device = np.concatenate([choice(rng, (0.62, 0.33, 0.04, 0.01), n_post), dev_d])
    fail = np.concatenate([fail_k[src], np.zeros(n_dig, bool)])
    unres = np.concatenate([unres_k[src], np.zeros(n_dig, bool)])
    repeat = np.concatenate([k["repeat"][src], np.zeros(n_dig, bool)])
    wait = np.concatenate([np.where(queue[k["ch"][src]], k["wait"][src], 0.0), np.zeros(n_dig)])
    contact = np.concatenate([src, np.full(n_dig, -1)])

    digital_form = (ch == CH_FEEDBACK.index("web")) | (ch == CH.index("webform"))
    app_down = (shapes()["app_incident"][day] > 0) & ((ch == CH.index("app")) | (tp == TOUCHPOINTS.index("app")))
    before_churn = c["churned"][cust] & (c["churn_day"][cust] - day <= 90)
    z = (Z0 + 0.55 * c["mood"][cust] + CH_EFFECT[ch] + TP_EFFECT[tp] - 0.15 * c["foretag"][cust]
         - np.where(device == 0, np.where(digital_form, 0.35, 0.05), 0.0)
         - 0.35 * fail - 0.3 * unres - 0.2 * repeat - 0.2 * np.log2(np.maximum(wait, 60) / 60)
         - 0.6 * app_down - 0.4 * before_churn + rng.normal(0, 0.8, n))
    nps = np.searchsorted(_cuts(NPS_P), z)
    csat = np.searchsorted(_cuts(CSAT_P), z + rng.normal(0, 0.75, n)) + 1
    effort = 0.3 * fail + 0.3 * unres + 0.4 * repeat + 0.3 * ((device == 0) & digital_form)
    ces = np.searchsorted(_cuts(CES_P), 0.8 * z - effort + rng.normal(0, 0.9, n)) + 1

    klass = np.where(nps <= 6, 0, np.where(nps >= 9, 1, 2))
    has_comment = rng.random(n) < np.array([0.93, 0.82, 0.8])[klass]
    lang = c["lang"][cust]
    theme = sample_bins(rng, THEME_BY_TP, tp)[0]
    theme = np.where((wait > 180) & (rng.random(n) < 0.6), THEMES.index("waiting"), theme)
    theme2 = choice(rng, THEME2_W, n)
    theme2 = np.where(theme2 == theme, (theme + 1 + rng.integers(0, len(THEMES) - 1, n)) % len(THEMES), theme2)
    rows = np.flatnonzero(has_comment)
    text = compose(rng, lang[rows], theme[rows], theme2[rows], klass[rows], day[rows])
    pos = np.full(n, -1)
    pos[rows] = np.arange(len(rows))

    order = np.argsort(day, kind="stable")
    o = pa.array(order)
    return pa.table({
        "response_id": ids("R", n, 7),
        "date": to_date(day[order]),
        "channel": take(CH_FEEDBACK, ch[order]),
        "touchpoint": take(TOUCHPOINTS, tp[order]),
        "nps": pa.array(nps[order], mask=(rng.random(n) < 0.02)[order]),
        "csat": pa.array(csat[order], mask=(rng.random(n) < 0.15)[order]),
        "ces": pa.array(ces[order], mask=(rng.random(n) < 0.3)[order]),
        "comment": text.take(pa.array(pos[order], mask=pos[order] < 0)),
        "device": take(DEVICES, device[order]),
        "segment": take(SEGMENTS, c["foretag"][cust[order]].astype(int)),
        "customer_id": c["id"].take(pa.array(cust[order])),
        "language": take(LANGS, lang).take(o),
        "contact_id": ids("KT", len(k["t"]), 7).take(pa.array(contact[order], mask=contact[order] < 0)),
    })

