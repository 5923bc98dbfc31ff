"""cxlib.analysis.repeats against repeat contacts worked by hand (7-day window).

z = 1.959964 (95 %), z² = 3.841459; Wilson k/n: centre (k + 1.920729)/(n + 3.841459), half-width
1.959964/(n + 3.841459) · √(k(n − k)/n + 0.960365).
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import repeats as r

T = pd.Timestamp("2025-03-03 09:00")
D, S = pd.Timedelta(days=1), pd.Timedelta(seconds=1)


@pytest.fixture
def contacts():
    """Rows out of time order. Customer A, billing: r0 phone day 0 → r1 chat day 3 (a hop) → r2 chat day 10
    (exactly 7 days after r1: a repeat, same channel) → r3 phone day 18 (8 days later: not a repeat).
    A, delivery: r4 day 1 (another reason). B, billing: r5 phone day 0.5 → r6 phone day 2 (repeat, no handle
    time). r7 has no customer, r8 no reason. C, billing: r9 day 30 → r10 7 days and 1 second later (not).
    """
    rows = [  # id, opened, customer, reason, channel, handle_time_s, resolved_first_contact
        ("r2", T + 10 * D, "A", "billing", "chat", 100.0, True),
        ("r0", T, "A", "billing", "phone", 300.0, True),
        ("r4", T + D, "A", "delivery", "phone", 50.0, None),
        ("r1", T + 3 * D, "A", "billing", "chat", 200.0, False),
        ("r3", T + 18 * D, "A", "billing", "phone", 400.0, True),
        ("r5", T + 0.5 * D, "B", "billing", "phone", 120.0, True),
        ("r6", T + 2 * D, "B", "billing", "phone", np.nan, False),
        ("r7", T + D, None, "billing", "phone", 60.0, True),
        ("r8", T + 2 * D, "A", None, "phone", 60.0, True),
        ("r9", T + 30 * D, "C", "billing", "phone", 60.0, True),
        ("r10", T + 37 * D + S, "C", "billing", "phone", 60.0, True),
    ]
    columns = ["contact_id", "opened_at", "customer_id", "reason", "channel", "handle_time_s",
               "resolved_first_contact"]
    return pd.DataFrame(rows, columns=columns).set_index("contact_id")


def flagged(flags, column):
    return sorted(flags.index[flags[column]])


def test_repeat_flags_by_hand(contacts):
    flags = r.repeat_flags(contacts, window_days=7)
    assert flags.index.equals(contacts.index)
    assert flagged(flags, "matched") == sorted(["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r9", "r10"])
    # r1 (3 days after r0), r2 (exactly 7 days after r1: "no more than" the window), r6 (1.5 days after r5);
    # not r3 (8 days after r2), r4 (another reason), r10 (7 days + 1 s), r7/r8 (unmatched)
    assert flagged(flags, "repeat") == ["r1", "r2", "r6"]
    assert flagged(flags, "followed") == ["r0", "r1", "r5"]
    # r1 comes by chat after r0 by phone; r2 and r6 stay in their channel
    assert flagged(flags, "hop") == ["r1"]
    assert flagged(flags, "followed_elsewhere") == ["r0"]
    assert flags.loc["r1", "previous_channel"] == "phone"
    assert flags.loc["r2", "previous_channel"] == "chat"
    assert flags.loc["r6", "previous_channel"] == "phone"
    assert pd.isna(flags.loc["r0", "previous_channel"]) and pd.isna(flags.loc["r3", "previous_channel"])
    # handle time of the repeat that follows: r0 → r1 200 s, r1 → r2 100 s, r5 → r6 unknown
    assert flags.loc["r0", "next_handle_s"] == 200.0 and flags.loc["r1", "next_handle_s"] == 100.0
    assert math.isnan(flags.loc["r5", "next_handle_s"]) and math.isnan(flags.loc["r2", "next_handle_s"])


def test_repeat_flags_window_length(contacts):
    # 8 days: r3 (8 days after r2) becomes a repeat by phone after chat, a hop; r10 (7 days + 1 s) too
    flags = r.repeat_flags(contacts, window_days=8)
    assert flagged(flags, "repeat") == ["r1", "r10", "r2", "r3", "r6"]
    assert flagged(flags, "hop") == ["r1", "r3"]
    assert flags.loc["r2", "next_handle_s"] == 400.0
    # 2 days: only r6 (1.5 days after r5)
    assert flagged(r.repeat_flags(contacts, window_days=2), "repeat") == ["r6"]
    with pytest.raises(ValueError, match="window_days"):
        r.repeat_flags(contacts, window_days=0)


def test_repeat_rates_by_reason_by_hand(contacts):
    flags = r.repeat_flags(contacts)
    out = r.repeat_rates(contacts, flags, years=0.5)
    assert out["reason"].tolist() == ["billing", "delivery"]  # most followed first
    billing = out.iloc[0]
    # matched billing contacts r0 r1 r2 r3 r5 r6 r9 r10 = 8; followed r0 r1 r5 = 3; by a hop r0 = 1
    assert (billing["contacts"], billing["followed"], billing["hops"]) == (8, 3, 1)
    assert billing["value"] == pytest.approx(3 / 8) and billing["hop_rate"] == pytest.approx(1 / 8)
    # Wilson 3/8: centre 4.920729/11.841459 = 0.415551, half 0.165517 · √(1.875 + 0.960365) = 0.278707
    assert (billing["low"], billing["high"]) == pytest.approx((0.136844, 0.694258), abs=5e-6)
    # 3 repeats in half a year = 6 a year; their handle time 200 + 100 (+ r6 unknown) = 300 s
    assert billing["repeats_per_year"] == pytest.approx(6.0)
    assert billing["extra_handle_s"] == pytest.approx(300.0)
    delivery = out.iloc[1]
    assert (delivery["contacts"], delivery["followed"], delivery["value"]) == (1, 0, 0.0)
    assert math.isnan(delivery["extra_handle_s"])  # no repeat: no handle time, not 0


def test_repeat_rates_by_channel_count_where_the_first_contact_was(contacts):
    flags = r.repeat_flags(contacts)
    out = r.repeat_rates(contacts, flags, by="channel").set_index("channel")
    # phone: r0 r3 r4 r5 r6 r9 r10 = 7, followed r0 r5 = 2, hop r0; chat: r1 r2 = 2, followed r1 = 1
    assert out.loc["phone", ["contacts", "followed", "hops"]].tolist() == [7, 2, 1]
    assert out.loc["chat", ["contacts", "followed", "hops"]].tolist() == [2, 1, 0]
    assert out.loc["phone", "extra_handle_s"] == pytest.approx(200.0)
    assert out.loc["chat", "extra_handle_s"] == pytest.approx(100.0)
    assert out.index.tolist() == ["phone", "chat"]
    # Wilson 1/2 = (0.5 ∓ 1.959964/5.841459 · √(0.5 + 0.960365)) = (0.094531, 0.905469)
    assert (out.loc["chat", "low"], out.loc["chat", "high"]) == pytest.approx((0.094531, 0.905469), abs=5e-6)


def test_resolution_held_by_hand(contacts):
    flags = r.repeat_flags(contacts)
    out = r.resolution_held(contacts, flags).set_index("channel")
    # phone, matched with a flag: r0 T (followed), r3 T, r5 T (followed), r6 F, r9 T, r10 T (r4 unknown, r7/r8
    # unmatched) → 6 contacts, 5 resolved: fcr 5/6; held r3 r9 r10 = 3/6; not held 2 of the 5 resolved
    phone = out.loc["phone"]
    assert phone["contacts"] == 6
    assert phone["fcr"] == pytest.approx(5 / 6) and phone["held"] == pytest.approx(0.5)
    assert phone["not_held"] == pytest.approx(0.4)
    # Wilson 2/5: centre 3.920729/8.841459 = 0.443448, half 0.221677 · √(1.2 + 0.960365) = 0.325827
    assert (phone["not_held_low"], phone["not_held_high"]) == pytest.approx((0.117621, 0.769276), abs=5e-6)
    # Wilson 3/6: centre 0.5, half 1.959964/9.841459 · √(1.5 + 0.960365) = 0.312384
    assert (phone["held_low"], phone["held_high"]) == pytest.approx((0.187616, 0.812384), abs=5e-6)
    # chat: r1 F (followed by r2), r2 T (not followed) → fcr 1/2, held 1/2, not held 0/1
    chat = out.loc["chat"]
    assert chat[["contacts", "fcr", "held", "not_held"]].tolist() == [2, 0.5, 0.5, 0.0]


def test_hop_flows_by_hand():
    day = [T + k * D for k in range(21)]
    contacts = pd.DataFrame({
        "opened_at": [day[0], day[1], day[2], day[3], day[0], day[1], day[0], day[20]],
        "customer_id": ["X", "X", "X", "X", "Y", "Y", "Z", "Z"],
        "reason": "billing",
        "channel": ["phone", "chat", "chat", "phone", "phone", "chat", "phone", "phone"],
    })
    out = r.hop_flows(contacts, r.repeat_flags(contacts))
    # X: phone → chat, chat → chat, chat → phone; Y: phone → chat; Z: 20 days apart, no repeat
    assert out.values.tolist() == [["phone", "chat", 2, True], ["chat", "chat", 1, False],
                                   ["chat", "phone", 1, True]]


def test_is_repeat_from_codes(contacts):
    # the repeats of the fixture's docstring: r1, r2 and r6; −1 codes (r7 without customer, r8 without reason)
    # never repeat, and a reason code left out (delivery as −1) matches nothing
    customer = pd.factorize(contacts["customer_id"])[0]
    reason = pd.factorize(contacts["reason"])[0]
    opened = contacts["opened_at"].to_numpy("datetime64[ns]").view(np.int64)
    found = r.is_repeat(customer, reason, opened, window_days=7)
    assert set(contacts.index[found]) == {"r1", "r2", "r6"}
    assert np.array_equal(found, r.repeat_flags(contacts, window_days=7)["repeat"].to_numpy())
    billing_only = np.where(contacts["reason"].eq("billing").to_numpy(), reason, -1)
    assert np.array_equal(r.is_repeat(customer, billing_only, opened, window_days=7), found)
    assert set(contacts.index[r.is_repeat(customer, reason, opened, window_days=2)]) == {"r6"}  # 1.5 days
    with pytest.raises(ValueError):
        r.is_repeat(customer, reason, opened, window_days=0)
