"""The demand model: contact reasons, the customer base and the contacts customers make.

Customers have a latent mood that drives their scores, their failure contacts and whether they
churn. Contacts follow each reason's day profile, the channel's weekday and intraday weights and
opening hours; waits and abandonment grow with load; unresolved and abandoned contacts come back
as repeat contacts, often in another channel. Customers who drop out of moving their contract
on the web get in touch a few hours later. Times are seconds since 2025-01-01 00:00.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from .profiles import (DAY_S, N_DAYS, WEEKDAY, hour_pressure, hour_weights, open_minutes, profile, snap_open,
                       to_date, to_ts, weekday_weights)
from .journeys import SERVICE
from .resources import CH, DEVICES, queue_mask
from .sampling import choice, ids, readonly, sample_bins, take

# Contact reasons: (reason, demand type, root cause, owner department, touchpoint or None
# for "the channel itself", base weight, day profile, channel affinity phone/chat/email/webform/app).
REASONS = (
    ("faktura fel", "failure",
     "Mätarvärden kontrolleras inte före fakturering; fel efter bytet av faktureringssystem i mars", "fakturering",
     "faktura", 38, {"winter": 0.6, "invoice": 1.0, "billing_incident": 4.0, "new_price_bill": 1.0},
     (1.4, 1.0, 1.1, 0.8, 0.7)),
    ("var är min faktura", "failure", "E-faktura och pappersfaktura skickas sent och kunden aviseras inte",
     "fakturering", "faktura", 26, {"invoice": 1.2, "billing_incident": 1.5}, (1.0, 1.2, 0.9, 0.8, 1.4)),
    ("otydlig faktura", "failure", "Fakturan blandar elhandel och nätavgift och förklarar inte prisändringar",
     "marknad", "faktura", 24, {"winter": 0.5, "invoice": 1.0, "new_price_bill": 1.5}, (1.3, 1.1, 1.0, 0.7, 0.8)),
    ("påminnelse trots betalning", "failure", "Inbetalningar matchas mot fakturor med flera dagars fördröjning",
     "fakturering", "faktura", 10, {"invoice": 0.5, "billing_incident": 1.5}, (1.5, 0.9, 1.0, 0.8, 0.7)),
    ("ej fått svar", "failure", "E-postkön bemannas inte efter volym och kunden får ingen utlovad svarstid",
     "kundservice", None, 18, {"backlog": 1.5, "winter": 0.3}, (1.8, 1.2, 0.8, 0.4, 0.8)),
    ("avbrott", "failure", "Ingen proaktiv avbrottsinformation; kunden vet inte att nätägaren ansvarar",
     "drift", "avbrott", 8, {"storm": 12.0, "winter": 0.5}, (2.0, 1.0, 0.3, 0.3, 0.9)),
    ("app inloggning fungerar inte", "failure", "BankID-inloggningen i appen slutar fungera efter appuppdateringar",
     "it", "app", 14, {"app_incident": 5.0}, (1.5, 1.4, 1.0, 0.6, 0.3)),
    ("fel i flyttärende", "failure", "Flyttformuläret validerar inte adress och datum; manuell omregistrering",
     "it", "flytt", 10, {"moving": 1.2, "month_end": 0.4}, (1.3, 1.0, 1.1, 0.9, 0.7)),
    ("mätarvärde saknas", "failure", "Fjärravläsningen uteblir för äldre mätare och schablonvärden används",
     "drift", "faktura", 9, {"winter": 0.8}, (1.1, 0.9, 1.2, 1.0, 0.9)),
    ("autogiro fungerar inte", "failure", "Autogiromedgivanden tappades vid bytet av faktureringssystem",
     "fakturering", "faktura", 6, {"billing_incident": 2.0}, (1.3, 1.0, 1.0, 0.9, 0.9)),
    ("nytt avtal", "value", "Kunden vill teckna elavtal", "forsaljning", "avtal", 85, {"campaign": 0.8},
     (0.9, 1.3, 0.6, 2.0, 0.8)),
    ("flytt", "value", "Kunden flyttar och vill ta med avtalet", "kundservice", "flytt", 80,
     {"moving": 1.0, "month_end": 0.6}, (0.8, 1.0, 0.8, 2.2, 1.3)),
    ("byta elavtal", "value", "Kunden vill byta avtalsform (fast, rörligt, timpris)", "forsaljning", "avtal", 62,
     {"price_letter": 1.5, "winter": 0.3}, (1.0, 1.2, 0.8, 1.2, 1.1)),
    ("solceller rådgivning", "value", "Kunden vill producera egen el", "energitjanster", "leverans/installation", 24,
     {"spring": 1.5}, (1.0, 0.9, 1.5, 1.6, 0.5)),
    ("frågor om elpriset", "value", "Kunden vill förstå elpriset och sin förbrukning", "marknad", "avtal", 58,
     {"winter": 0.8, "price_letter": 1.2}, (1.0, 1.3, 0.9, 0.6, 1.2)),
    ("uppsägning", "value", "Kunden vill avsluta avtalet", "kundservice", "avtal", 18, {"price_letter": 0.5},
     (1.2, 0.8, 1.4, 1.2, 0.7)),
    ("laddbox", "value", "Kunden vill köpa och installera en laddbox", "energitjanster", "leverans/installation", 16,
     {"autumn": 1.0}, (1.0, 1.0, 1.2, 1.5, 0.6)),
    ("ändra betalsätt", "value", "Kunden vill byta till autogiro eller e-faktura", "fakturering", "faktura", 32, {},
     (0.8, 1.0, 0.8, 1.0, 1.8)),
)
R_NAMES = [r[0] for r in REASONS]
"""Reason names, in the order of the reason codes."""
R_FAIL = readonly(np.array([r[1] == "failure" for r in REASONS]))
"""Whether each reason is failure demand."""
R_CANCEL = R_NAMES.index("uppsägning")
"""Code of the cancellation reason."""
UNLABELLED = ("var är min faktura", "ej fått svar", "flytt")
"""Reasons the sample client's taxonomy leaves without a demand type: step 06 classifies their contacts by
rule (repeats, contacts after a dropped journey), suggests the chasing ones as failure, and the workshop
confirms them."""
CH_MIX = np.array([0.40, 0.20, 0.15, 0.10, 0.15])  # target channel mix of contacts


@cache
def reason_profiles() -> np.ndarray:
    """Daily weight of each reason (its profile with fewer contacts in July).

    Returns
    -------
    numpy.ndarray
        Read-only, shape ``(reasons, 365)``.
    """
    return readonly(np.array([profile({**r[6], "july": -0.3}) for r in REASONS]))


@cache
def reason_shares() -> np.ndarray:
    """Share of primary contacts per reason over the year.

    Returns
    -------
    numpy.ndarray
        Read-only shares summing to 1, shape ``(reasons,)``.
    """
    share = np.array([r[5] for r in REASONS]) * reason_profiles().mean(axis=1)
    share /= share.sum()
    return readonly(share)


@cache
def channel_given_reason() -> np.ndarray:
    """P(channel | reason): affinities scaled so that the overall channel mix hits ``CH_MIX``.

    Returns
    -------
    numpy.ndarray
        Read-only probabilities, shape ``(reasons, channels)``, rows summing to 1.
    """
    aff = np.array([r[7] for r in REASONS])
    r_share = reason_shares()
    x = CH_MIX.copy()
    for _ in range(50):  # iterative proportional fitting of the channel marginal
        p = aff * x
        p /= p.sum(axis=1, keepdims=True)
        x *= CH_MIX / (r_share @ p)
    return readonly(p)


def reasons_table() -> pa.Table:
    """The ``reasons`` table: reason, demand type, root cause, owner department and touchpoint.

    Returns
    -------
    pyarrow.Table
        One row per reason; ``demand_type`` is null for the :data:`UNLABELLED` reasons;
        ``touchpoint`` is one of the feedback touchpoints, null where the reason is about the
        channel itself (``ej fått svar``).
    """
    columns = {name: [r[i] for r in REASONS] for i, name in
               enumerate(("reason", "demand_type", "root_cause", "owner_department", "touchpoint"))}
    columns["demand_type"] = [None if r in UNLABELLED else d for r, d in zip(columns["reason"], columns["demand_type"])]
    return pa.table(columns)


# ---------------------------------------------------------------------------------------
# Customers
SEGMENTS = ("privat", "företag")
ELOMRADE = ("SE1", "SE2", "SE3", "SE4")
AVTAL = ("rörligt", "fast pris 1 år", "fast pris 3 år", "timpris")


@cache
def _churn_profile() -> np.ndarray:
    return readonly(profile({"price_letter": 1.5, "new_price_bill": 1.0}))


def customers(rng: np.random.Generator, n: int) -> dict:
    """Customers with a latent mood (drives scores, failure contacts and churn) and an active window.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of customers.

    Returns
    -------
    dict
        Arrays of length ``n``: ``id`` (arrow), ``foretag``, ``mood``, ``since`` and
        ``churn_day`` (day indices), ``churned``, ``revenue`` (SEK per year), ``lo`` and ``hi``
        (first and last active day of 2025), ``lang`` (comment language code), ``activity``
        (relative contact rate), ``elomrade``, ``avtal``; and ``n``.
    """
    foretag = rng.random(n) < 0.12
    mood = rng.standard_normal(n)
    new = rng.random(n) < 0.12  # joined during 2025, the rest over the previous ten years
    since = np.where(new, rng.integers(0, N_DAYS, n), -1 - np.floor(3652 * rng.random(n) ** 1.6).astype(np.int64))
    p_churn = 1 / (1 + np.exp(2.3 + 0.9 * mood - 0.2 * foretag))
    lo_churn = np.maximum(since + 30, 0)
    churn_day, ok = sample_bins(rng, _churn_profile()[None], np.zeros(n, np.int64),
                                np.minimum(lo_churn, N_DAYS - 1), None)
    churned = (rng.random(n) < p_churn) & ok & (lo_churn < N_DAYS)
    revenue = np.where(foretag, rng.lognormal(np.log(150_000), 1.0, n), rng.lognormal(np.log(21_000), 0.3, n))
    lo = np.maximum(since, 0)
    hi = np.where(churned, churn_day, N_DAYS - 1)
    return {
        "n": n, "id": ids("K", n, 7), "foretag": foretag, "mood": mood, "since": since, "churned": churned,
        "churn_day": churn_day, "revenue": np.round(revenue, 2), "lo": lo, "hi": hi,
        "lang": choice(rng, (0.8, 0.1, 0.1), n),  # language the customer writes comments in
        "activity": (hi - lo + 1) / N_DAYS * rng.lognormal(0, 0.7, n) * np.where(foretag, 1.6, 1.0),
        "elomrade": choice(rng, (0.25, 0.3, 0.35, 0.1), n), "avtal": choice(rng, (0.45, 0.25, 0.1, 0.2), n),
    }


def customers_table(c: dict) -> pa.Table:
    """The ``customers`` table.

    Parameters
    ----------
    c : dict
        Customers as :func:`customers` returns them.

    Returns
    -------
    pyarrow.Table
        One row per customer; ``annual_revenue`` in SEK.
    """
    return pa.table({
        "customer_id": c["id"],
        "segment": take(SEGMENTS, c["foretag"].astype(int)),
        "since": to_date(c["since"]),
        "churned_at": to_date(c["churn_day"], c["churned"]),
        "annual_revenue": c["revenue"],
        "elomrade": take(ELOMRADE, c["elomrade"]),
        "avtal": take(AVTAL, c["avtal"]),
    })


# ---------------------------------------------------------------------------------------
# Contacts
# Queue and async behaviour per contact channel (phone, chat, email, webform, app).
WAIT_MEDIAN_S = np.array([28, 35, 4 * 3600, 6 * 3600, 2 * 3600])  # first response at normal load
WAIT_SIGMA = np.array([0.9, 0.9, 0.8, 0.8, 0.9])
WAIT_LOAD_EXP = np.array([2.0, 1.6, 1.5, 1.2, 1.0])  # how steeply waits grow with load
PATIENCE_MIN_S = np.array([20, 30, 0, 0, 0])  # callers rarely hang up before this
PATIENCE_MEAN_S = np.array([500, 700, 1, 1, 1])  # exponential patience beyond the minimum (queues only)
OFFICE_HOURS = np.array([[(480, 1020)] * 5 + [(0, 0)] * 2])  # mon-fri 08-17: when async replies are sent
HANDLE_MEDIAN_S = np.array([360, 540, 300, 240, 200])
HANDLE_SIGMA = np.array([0.5, 0.6, 0.7, 0.7, 0.7])
FCR_BASE = np.array([0.85, 0.80, 0.72, 0.74, 0.78])
# Where a customer turns when a contact failed (row: from channel, column: to channel).
HOP = np.array([
    [0.50, 0.20, 0.15, 0.05, 0.10],
    [0.35, 0.35, 0.15, 0.05, 0.10],
    [0.50, 0.15, 0.25, 0.05, 0.05],
    [0.45, 0.20, 0.20, 0.10, 0.05],
    [0.40, 0.25, 0.10, 0.05, 0.20],
])


def _load(ch: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Load ratio (channels, days): volume relative to the channel's average for that weekday."""
    vol = np.bincount(ch * N_DAYS + day, minlength=len(CH) * N_DAYS).reshape(len(CH), N_DAYS).astype(float)
    expected = np.stack([vol[:, WEEKDAY == wd].mean(axis=1) for wd in range(7)], axis=1)[:, WEEKDAY]
    return np.clip((vol + 3) / (expected + 3), 0.6, 3.0)


def _outcomes(rng, b: dict, load: np.ndarray) -> dict:
    """Waits, abandonment, handle times, resolution and closing times of a batch of contacts."""
    queue = queue_mask()
    ch, t, n = b["ch"], b["t"], len(b["ch"])
    fail = R_FAIL[b["reason"]]
    day, hour = t // DAY_S, (t % DAY_S) // 3600
    pressure = load[ch, day] * np.where(queue[ch], hour_pressure()[ch, hour] ** 0.5, 1.0)
    wait = rng.lognormal(np.log(WAIT_MEDIAN_S[ch] * pressure ** WAIT_LOAD_EXP[ch]), WAIT_SIGMA[ch])
    patience = PATIENCE_MIN_S[ch] + rng.exponential(PATIENCE_MEAN_S[ch])
    abandoned = queue[ch] & (wait > patience)
    handle = np.round(rng.lognormal(np.log(HANDLE_MEDIAN_S[ch]) + 0.25 * fail, HANDLE_SIGMA[ch]))
    p_fcr = FCR_BASE[ch] * np.where(fail, 0.68, 1.0) * np.where(b["repeat"], 1.1, 1.0)
    resolved = rng.random(n) < p_fcr
    follow_up = np.where(resolved, 0.0, rng.lognormal(np.log(2 * DAY_S), 1.0, n))
    first = t + np.round(wait).astype(np.int64)
    later = ~queue[ch]  # async replies are written during office hours
    first[later] = snap_open(rng, first[later], OFFICE_HOURS, np.zeros(later.sum(), np.int64))
    closed = first + (handle + np.round(follow_up)).astype(np.int64)
    return {**b, "wait": wait, "patience": patience, "abandoned": abandoned, "handle": handle,
            "resolved": resolved & ~abandoned, "first": first, "closed": closed}


def _repeats(rng, b: dict, hi: np.ndarray) -> dict:
    """Follow-up contacts of unresolved or abandoned ones (same customer and reason, often another channel)."""
    fail = R_FAIL[b["reason"]]
    failed = b["abandoned"] | ~b["resolved"]
    again = failed & (rng.random(len(fail)) < np.where(fail, 0.6, 0.3))
    ch, ab = b["ch"][again], b["abandoned"][again]
    hop = sample_bins(rng, HOP, ch)[0]
    new_ch = np.where(ab & (rng.random(len(ch)) < 0.7), ch, hop)
    # abandoned: try again within the hour or so; unresolved: a day or two later at a usual hour
    delay = np.where(ab, rng.lognormal(np.log(2400), 1.0, len(ch)), rng.lognormal(np.log(1.5 * DAY_S), 0.8, len(ch)))
    t = b["t"][again] + np.round(delay).astype(np.int64)
    day = np.minimum(t // DAY_S, N_DAYS - 1)
    hour = sample_bins(rng, hour_weights(), new_ch * 7 + WEEKDAY[day])[0]
    t = snap_open(rng, np.where(ab, t, day * DAY_S + hour * 3600 + rng.integers(0, 3600, len(ch))), open_minutes(),
                  new_ch)
    keep = t // DAY_S <= hi[b["cust"][again]]
    return {"cust": b["cust"][again][keep], "reason": b["reason"][again][keep], "ch": new_ch[keep], "t": t[keep],
            "repeat": np.ones(keep.sum(), bool)}


def contacts(rng: np.random.Generator, c: dict, n: int) -> dict:
    """Contacts: primary demand, cancellations before churn, and repeats of failed contacts.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    c : dict
        Customers as :func:`customers` returns them.
    n : int
        Number of primary contacts to draw (fewer remain where a customer was not active).

    Returns
    -------
    dict
        Arrays sorted by opening time: ``cust`` (customer row), ``reason`` and ``ch`` (codes),
        ``t``, ``first`` and ``closed`` (opened, first response and closed, in seconds since
        2025-01-01), ``wait``, ``patience`` and ``handle`` (seconds), ``abandoned``, ``resolved``, ``repeat``.
    """
    hour_w = hour_weights()
    reason = choice(rng, reason_shares(), n)
    fail = R_FAIL[reason]
    w_fail = c["activity"] * np.exp(-0.5 * c["mood"])  # unhappy customers run into more problems
    cust = np.empty(n, np.int64)
    cust[fail] = rng.choice(c["n"], fail.sum(), p=w_fail / w_fail.sum())
    cust[~fail] = rng.choice(c["n"], (~fail).sum(), p=c["activity"] / c["activity"].sum())
    ch = sample_bins(rng, channel_given_reason(), reason)[0]
    day_w = (reason_profiles()[:, None, :] * weekday_weights()[None, :, WEEKDAY]).reshape(-1, N_DAYS)
    day, ok = sample_bins(rng, day_w, reason * len(CH) + ch, c["lo"][cust], c["hi"][cust])
    hour = sample_bins(rng, hour_w, ch * 7 + WEEKDAY[day])[0]
    t = day * DAY_S + hour * 3600 + rng.integers(0, 3600, n)
    primary = {"cust": cust[ok], "reason": reason[ok], "ch": ch[ok], "t": t[ok], "repeat": np.zeros(ok.sum(), bool)}
    load = _load(primary["ch"], primary["t"] // DAY_S)

    # Half of the churners get in touch to cancel during their last three weeks (at a
    # weekday's usual hour; closed days move to the next opening).
    leaver = np.flatnonzero(c["churned"] & (rng.random(c["n"]) < 0.5))
    n_leave = len(leaver)
    ch_c = sample_bins(rng, channel_given_reason(), np.full(n_leave, R_CANCEL))[0]
    day_c = np.maximum(c["churn_day"][leaver] - rng.integers(0, 21, n_leave), c["lo"][leaver])
    t_c = snap_open(rng, day_c * DAY_S + sample_bins(rng, hour_w, ch_c * 7 + 2)[0] * 3600
                    + rng.integers(0, 3600, n_leave), open_minutes(), ch_c)
    keep = t_c // DAY_S <= c["hi"][leaver]
    cancel = {"cust": leaver[keep], "reason": np.full(keep.sum(), R_CANCEL), "ch": ch_c[keep], "t": t_c[keep],
              "repeat": np.zeros(keep.sum(), bool)}

    return serve_contacts(rng, {key: np.concatenate([primary[key], cancel[key]]) for key in primary}, c, load)


def serve_contacts(rng: np.random.Generator, first: dict, c: dict, load: np.ndarray) -> dict:
    """Serve a batch of new contacts: their outcomes, their repeats and the repeats' repeats.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    first : dict
        The new contacts, arrays of equal length: ``cust`` (customer row), ``reason`` and ``ch``
        (codes), ``t`` (opened, in seconds since 2025-01-01; within the customer's active days)
        and ``repeat`` (whether each repeats an earlier contact).
    c : dict
        Their customers, as :func:`customers` returns them (no repeat after a customer's last
        active day).
    load : numpy.ndarray
        Volume per channel and day relative to the channel's average for that weekday, shape
        ``(channels, 365)``; waits grow with it.

    Returns
    -------
    dict
        The contacts and their repeats, as :func:`contacts` returns them.
    """
    batches = [_outcomes(rng, first, load)]
    for _ in range(2):  # repeats, and repeats of repeats
        batches.append(_outcomes(rng, _repeats(rng, batches[-1], c["hi"]), load))
    return merge_contacts(*batches)


def merge_contacts(*batches: dict) -> dict:
    """Contacts of several batches as one, sorted by opening time.

    Parameters
    ----------
    *batches : dict
        Contacts with the same keys, e.g. as :func:`contacts` and :func:`dropout_contacts`
        return them.

    Returns
    -------
    dict
        Every contact, sorted by ``t`` (ties keep the order of the batches).
    """
    out = {key: np.concatenate([b[key] for b in batches]) for key in batches[0]}
    order = np.argsort(out["t"], kind="stable")
    return {key: v[order] for key, v in out.items()}


# Customers who give up moving their contract on the web after logging in get in touch.
DROPOUT_MIN_STEP = 2  # sessions that reached at least this step (1 = the login)
DROPOUT_CONTACT_P = {"mobile": 0.35, "other": 0.22}  # chance of a contact after the drop-out, per device
DROPOUT_FAULT_P = 0.7  # share about a fault in the move form ("fel i flyttärende"), the rest "flytt"
DROPOUT_DELAY_MEDIAN_S = 3 * 3600  # log-normal delay from the session's last step to the contact
DROPOUT_DELAY_SIGMA = 0.8


def dropout_contacts(rng: np.random.Generator, c: dict, s: dict, k: dict) -> dict:
    """Contacts of customers who dropped out of the service funnel (``flytta avtal``) on the web.

    A service session that stopped before its last step, after reaching step
    :data:`DROPOUT_MIN_STEP` or later, leads to a contact of its customer with probability
    0.35 on mobile and 0.22 on other devices: about a fault in the move (``fel i flyttärende``,
    70 %) or the move itself (``flytt``), in a channel drawn from :func:`channel_given_reason`,
    a log-normal delay (median 3 hours, σ 0.8) after the session's last step and moved into the
    channel's opening hours. Contacts after the customer's last active day are left out; the
    others are served like any contact (:func:`serve_contacts`), repeats included.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    c : dict
        Customers, as :func:`customers` returns them.
    s : dict
        Web sessions of these customers, as :func:`~cxlib.synth.journeys.sessions` returns them.
    k : dict
        The other contacts, as :func:`contacts` returns them; their first contacts set the
        load that waits grow with.

    Returns
    -------
    dict
        The drop-out contacts and their repeats, as :func:`contacts` returns them.
    """
    after = np.flatnonzero((s["journey"] == SERVICE) & s["dropped"] & (s["reached"] >= DROPOUT_MIN_STEP)
                           & (s["customer"] >= 0))
    p_contact = np.where(s["device"][after] == DEVICES.index("mobile"), DROPOUT_CONTACT_P["mobile"],
                         DROPOUT_CONTACT_P["other"])
    session = after[rng.random(len(after)) < p_contact]
    n = len(session)
    reason = np.where(rng.random(n) < DROPOUT_FAULT_P, R_NAMES.index("fel i flyttärende"), R_NAMES.index("flytt"))
    ch = sample_bins(rng, channel_given_reason(), reason)[0]
    delay = np.round(rng.lognormal(np.log(DROPOUT_DELAY_MEDIAN_S), DROPOUT_DELAY_SIGMA, n)).astype(np.int64)
    t = snap_open(rng, s["last_event"][session] + delay, open_minutes(), ch)
    cust = s["customer"][session]
    keep = t // DAY_S <= c["hi"][cust]
    first = {"cust": cust[keep], "reason": reason[keep], "ch": ch[keep], "t": t[keep],
             "repeat": np.zeros(keep.sum(), bool)}
    new = ~k["repeat"]
    return serve_contacts(rng, first, c, _load(k["ch"][new], k["t"][new] // DAY_S))


def contacts_table(k: dict, c: dict) -> pa.Table:
    """The ``contacts`` table.

    Parameters
    ----------
    k : dict
        Contacts as :func:`contacts` returns them.
    c : dict
        Their customers, as :func:`customers` returns them.

    Returns
    -------
    pyarrow.Table
        One row per contact; abandoned contacts have no response, closing or handle time
        (``handle_time_s`` in seconds) but the time the customer hung up (``abandoned_at``), and
        ``abandoned`` is null outside queues.
    """
    served = ~k["abandoned"]
    return pa.table({
        "contact_id": ids("KT", len(k["t"]), 7),
        "opened_at": to_ts(k["t"]),
        "channel": take(CH, k["ch"]),
        "reason": take(R_NAMES, k["reason"]),
        "first_response_at": to_ts(k["first"], served),
        "closed_at": to_ts(k["closed"], served),
        "handle_time_s": pa.array(k["handle"].astype(np.int64), mask=~served),
        "resolved_first_contact": pa.array(k["resolved"], mask=~served),
        "customer_id": c["id"].take(pa.array(k["cust"])),
        "abandoned": pa.array(k["abandoned"], mask=~queue_mask()[k["ch"]]),  # only queues can be abandoned
        "abandoned_at": to_ts(k["t"] + np.round(k["patience"]).astype(np.int64), k["abandoned"]),
    })
