"""cxlib.analysis.service against hand-worked values on tiny hand-built contact tables."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analysis import service
from cxlib.config import Channel

Z = 1.959963984540054  # two-sided 95 % normal quantile
T0 = pd.Timestamp("2025-01-06 08:00")  # a Monday, slot 16 of 30-min slots


def channel(id_, kind="queue", opening_hours=None, within_s=60, share=0.8):
    return Channel(id=id_, name=id_.title(), kind=kind,
                   opening_hours=opening_hours or {"mon-fri": "08:00-17:00"},
                   service_level={"share": share, "within_s": within_s}, shrinkage=0.3, max_occupancy=0.85,
                   cost_per_agent_hour=400, cost_per_contact=50)


def wilson_by_hand(k, n):
    # centre = (k + z²/2)/(n + z²), half = z/(n + z²)·√(k(n − k)/n + z²/4)
    z2 = Z * Z
    centre = (k + z2 / 2) / (n + z2)
    half = Z / (n + z2) * math.sqrt(k * (n - k) / n + z2 / 4)
    return max(centre - half, 0.0), min(centre + half, 1.0)


def queue_contacts(rows, channel_id="phone", start=T0):
    """rows: (seconds after start opened, answered after s or None, abandoned after s or None)."""
    opened = [start + pd.Timedelta(seconds=o) for o, _, _ in rows]
    return pd.DataFrame({
        "channel": channel_id,
        "opened_at": opened,
        "first_response_at": pd.to_datetime([t + pd.Timedelta(seconds=a) if a is not None else pd.NaT
                                             for t, (_, a, _) in zip(opened, rows)]),
        "abandoned": [b is not None for _, _, b in rows],
        "abandoned_at": pd.to_datetime([t + pd.Timedelta(seconds=b) if b is not None else pd.NaT
                                        for t, (_, _, b) in zip(opened, rows)]),
    })


def test_waits():
    t = T0
    contacts = pd.DataFrame({
        "opened_at": [t, t, t, t, t],
        "first_response_at": [t + pd.Timedelta(seconds=30), pd.NaT, t + pd.Timedelta(seconds=5), pd.NaT, pd.NaT],
        "abandoned": [False, True, True, True, False],
        "abandoned_at": [pd.NaT, t + pd.Timedelta(seconds=45), t + pd.Timedelta(seconds=2), pd.NaT, pd.NaT],
    })
    out = service.waits(contacts)
    # 0: answered after 30 s; 1: abandoned after 45 s; 2: flagged abandoned but answered → answered, 5 s;
    # 3: abandoned without a time → NaN; 4: neither → NaN
    assert out["answered"].tolist() == [True, False, True, False, False]
    assert out["abandoned"].tolist() == [False, True, False, True, False]
    assert out["wait_s"].iloc[:3].tolist() == [30.0, 45.0, 5.0]
    assert out["wait_s"].iloc[3:].isna().all()


def test_waits_without_outcome_columns():
    out = service.waits(pd.DataFrame({"opened_at": [T0]}))
    assert out["answered"].tolist() == [False]
    assert out["abandoned"].tolist() == [False]
    assert np.isnan(out["wait_s"].iloc[0])


def five_in_one_interval():
    # all opened Monday 08:00-08:29 (slot 16); target 80 % within 60 s
    return queue_contacts([(0, 20, None),  # answered in 20 s: within
                           (60, 50, None),  # 50 s: within
                           (120, 90, None),  # 90 s: late
                           (180, None, 30),  # abandoned after 30 s: counts against
                           (240, 10, None)])  # 10 s: within


def test_queue_service_one_interval():
    out = service.queue_service(five_in_one_interval(), [channel("phone")], interval_min=30)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["channel"], row["weekday"], row["slot"], row["interval_start"]) == ("phone", 0, 16, "08:00")
    assert row["n"] == 5
    # service level: 3 answered within 60 s of 5 offered = 0.6
    assert row["service_level"] == pytest.approx(0.6)
    low, high = wilson_by_hand(3, 5)
    assert (row["service_level_low"], row["service_level_high"]) == (pytest.approx(low), pytest.approx(high))
    # abandonment 1 / 5
    assert row["abandonment"] == pytest.approx(0.2)
    assert row["abandonment_low"] == pytest.approx(wilson_by_hand(1, 5)[0])
    # ASA: mean of the answered waits (20 + 50 + 90 + 10) / 4 = 42.5 s
    assert row["asa_s"] == pytest.approx(42.5)
    waits = np.array([20, 50, 90, 10.0])
    half = stats.t.ppf(0.975, 3) * waits.std(ddof=1) / math.sqrt(4)
    assert row["asa_s_low"] == pytest.approx(42.5 - half)
    assert row["asa_s_high"] == pytest.approx(42.5 + half)
    assert (row["target"], row["within_s"]) == (0.8, 60)
    assert not row["met"]  # 0.6 < 0.8
    # Wilson half-width for 3/5 is about 0.33 > 0.10
    assert (high - low) / 2 > 0.10
    assert row["too_small"]


def test_queue_service_large_interval_is_judged_and_other_channels_left_out():
    # 40 contacts on Monday 09:00 (slot 18), all answered in 5 s: service level 1
    many = queue_contacts([(i * 10, 5, None) for i in range(40)], start=pd.Timestamp("2025-01-06 09:00"))
    email = queue_contacts([(0, 5, None)], channel_id="email")
    contacts = pd.concat([five_in_one_interval(), many, email], ignore_index=True)
    email_channel = channel("email", kind="async", opening_hours="24/7")
    out = service.queue_service(contacts, [channel("phone"), email_channel], interval_min=30)
    assert out["channel"].tolist() == ["phone", "phone"]
    big = out[out["slot"] == 18].iloc[0]
    assert big["n"] == 40
    assert big["service_level"] == 1.0
    # Wilson 40/40: centre (40 + 1.92)/(43.84), half = z/43.84 · √(z²/4) = z²/(2·43.84) ≈ 0.0438 ≤ 0.10
    low, high = wilson_by_hand(40, 40)
    assert (high - low) / 2 == pytest.approx(Z * Z / 2 / (40 + Z * Z))
    assert not big["too_small"]
    assert big["met"]
    # per channel: 45 offered, 3 + 40 within → 43/45
    per_channel = service.queue_service(contacts, [channel("phone")], interval_min=30, by=("channel",))
    assert per_channel["n"].tolist() == [45]
    assert per_channel["service_level"].iloc[0] == pytest.approx(43 / 45)
    assert "interval_start" not in per_channel


def test_worst_intervals():
    frame = pd.DataFrame({
        "channel": ["phone"] * 5 + ["chat"],
        "slot": [16, 17, 18, 19, 20, 16],
        "service_level": [0.5, 0.3, 0.2, 0.9, 0.4, 0.6],
        "too_small": [False, False, True, False, False, False],
        "met": [False, False, False, True, False, False],
    })
    out = service.worst_intervals(frame, top=2)
    # slot 18 too small and slot 19 met are left out; per channel lowest first, 2 at most
    assert out["channel"].tolist() == ["chat", "phone", "phone"]
    assert out["slot"].tolist() == [16, 17, 20]
    assert out["service_level"].tolist() == [0.6, 0.3, 0.4]
    assert out["rank"].tolist() == [1, 1, 2]


def test_async_response():
    email = channel("email", kind="async", opening_hours="24/7", within_s=3600)
    t = T0
    contacts = pd.DataFrame({
        "channel": ["email"] * 4 + ["phone"],
        "opened_at": [t] * 5,
        "first_response_at": [t + pd.Timedelta(seconds=600), t + pd.Timedelta(seconds=3600),
                              t + pd.Timedelta(seconds=7200), pd.NaT, t],
    })
    out = service.async_response(contacts, [channel("phone"), email])
    assert out["channel"].tolist() == ["email"]
    row = out.iloc[0]
    # 600 s and 3600 s (the limit) are within; 7200 s late; one never answered counts against: 2 / 4
    assert (row["n"], row["answered"]) == (4, 3)
    assert row["value"] == pytest.approx(0.5)
    low, high = wilson_by_hand(2, 4)
    assert (row["low"], row["high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["median_s"] == 3600  # median of 600, 3600, 7200
    assert (row["target"], row["within_s"]) == (0.8, 3600)


def test_backlog_at_each_midnight():
    email = channel("email", kind="async", opening_hours="24/7")
    ts = pd.Timestamp
    contacts = pd.DataFrame({
        "channel": ["email"] * 3,
        "opened_at": [ts("2025-01-06 10:00"), ts("2025-01-06 20:00"), ts("2025-01-07 10:00")],
        "first_response_at": [ts("2025-01-06 12:00"), ts("2025-01-07 08:00"), pd.NaT],
        "closed_at": [ts("2025-01-07 09:00"), pd.NaT, pd.NaT],
    })
    out = service.backlog(contacts, [channel("phone"), email], "2025-01-06", "2025-01-08")
    assert out["date"].astype(str).tolist() == ["2025-01-06", "2025-01-07", "2025-01-08"]
    # end of 06: 2 opened, 1 answered → 1 awaiting; none closed → 2 open
    # end of 07: 3 opened, 2 answered → 1 awaiting; 1 closed → 2 open; 08: unchanged
    assert out["awaiting_response"].tolist() == [1, 1, 1]
    assert out["open"].tolist() == [2, 2, 2]


def test_patience_and_garwood_bounds():
    phone = queue_contacts([(0, 20, None), (10, 40, None),  # answered: waited 20 s and 40 s
                            (20, None, 30), (30, None, 50),  # abandoned after 30 s and 50 s
                            (40, None, None)])  # neither answered nor abandoned: unknown, left out
    phone.loc[4, "abandoned"] = False
    chat = queue_contacts([(0, 10, None), (5, None, 20), (6, None, None)], channel_id="chat")
    chat.loc[2, "abandoned"] = True  # abandoned, but without abandoned_at → chat is left out
    assert chat["abandoned"].tolist() == [False, True, True]
    out = service.patience(pd.concat([phone, chat], ignore_index=True), [channel("phone"), channel("chat")])
    assert out["channel"].tolist() == ["phone"]
    row = out.iloc[0]
    # total waited 20 + 40 + 30 + 50 = 140 s over 2 abandonments = 70 s
    assert row["abandoned"] == 2
    assert row["waited_s"] == 140
    assert row["value"] == pytest.approx(70.0)
    # Garwood for k = 2: low = χ²(0.025; 4)/2, high = χ²(0.975; 6)/2; the patience bounds are 140 / those
    k_low = stats.chi2.ppf(0.025, 4) / 2
    k_high = stats.chi2.ppf(0.975, 6) / 2
    assert row["low"] == pytest.approx(140 / k_high)
    assert row["high"] == pytest.approx(140 / k_low)
    assert row["low"] < 70 < row["high"]


def test_patience_without_abandonments_is_left_out():
    phone = queue_contacts([(0, 20, None), (10, 40, None)])
    assert service.patience(phone, [channel("phone")]).empty
