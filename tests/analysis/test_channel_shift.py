"""cxlib.analysis.channel_shift against hand-worked values on tiny hand-built contact tables.

The evaluate cases use one-hour intervals over 2025-01-06 (Mon) … 2025-01-12 (Sun), one date of
every weekday, so an interval's arrivals are simply the contacts in it.

- phone (queue, mon-fri 08-17 = 45 staffed hours, 80 % in 60 s, shrinkage 0.3) with one 60 s contact
  in an hour: A = 60 / 3600 = 1/60; one agent has P(wait) = A and service level 1 − A·e^(−(1 − A)·60/60)
  ≈ 0.994 ≥ 0.8, so every staffed hour needs the minimum of 1 agent, ⌈1 / 0.7⌉ = 2 scheduled:
  2 × 45 = 90 agent-hours a week = 2.25 FTE at 40 h, whatever share of these few contacts moves.
- email (async, 24/7, target 1 h, occupancy cap 1, shrinkage 0.2): work W agent-seconds arriving in
  one hour is due by the end of the next, 7200 s of room, so the level is W / 7200 agents in all
  168 hours, scheduled level / 0.8.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import channel_shift, staffing
from cxlib.analysis.channel_shift import Shift
from cxlib.config import Channel

WEEKS = 365.25 / 7  # staffing.WEEKS_PER_YEAR
GRID = dict(interval_min=60, start="2025-01-06", end="2025-01-12")


def channel(id_, kind="queue", hours=None, within_s=60, shrinkage=0.3, max_occupancy=0.85,
            cost_per_agent_hour=400.0, cost_per_contact=50.0):
    return Channel(id=id_, name=id_.title(), kind=kind, opening_hours=hours or {"mon-fri": "08:00-17:00"},
                   service_level={"share": 0.8, "within_s": within_s}, shrinkage=shrinkage,
                   max_occupancy=max_occupancy, cost_per_agent_hour=cost_per_agent_hour,
                   cost_per_contact=cost_per_contact)


PHONE = channel("phone")
CHAT = channel("chat")
EMAIL = channel("email", kind="async", hours="24/7", within_s=3600, shrinkage=0.2, max_occupancy=1.0,
                cost_per_agent_hour=300.0)
WEB = channel("web", kind="self-service", hours="24/7", cost_per_agent_hour=None, cost_per_contact=5.0)
SHOP = channel("shop", kind="physical", cost_per_agent_hour=None, cost_per_contact=120.0)


def contacts(rows):
    """rows: (channel, reason, opened_at, handle_time_s)."""
    frame = pd.DataFrame(rows, columns=["channel", "reason", "opened_at", "handle_time_s"])
    frame["opened_at"] = pd.to_datetime(frame["opened_at"], format="ISO8601")
    frame["handle_time_s"] = frame["handle_time_s"].astype(float)
    return frame


def mix(counts):
    """counts: (channel, reason, n) → n rows of that channel and reason (all default_shifts reads)."""
    return pd.DataFrame([(c, r) for c, r, n in counts for _ in range(n)], columns=["channel", "reason"])


# --- default_shifts --------------------------------------------------------------------------------------

MIX = [("phone", "complaint", 5), ("phone", "invoice", 4), ("phone", "delivery", 3), ("phone", "password", 2),
       ("phone", "returns", 1), ("chat", "delivery", 3),
       ("email", "invoice", 1), ("email", "delivery", 1), ("email", "returns", 1), ("email", "complaint", 1),
       ("web", "delivery", 3), ("web", "password", 1), ("shop", "complaint", 4)]
ALL = [PHONE, CHAT, EMAIL, WEB, SHOP]


def test_default_shifts_top_phone_reasons_with_a_digital_share():
    out = channel_shift.default_shifts(mix(MIX), ALL)
    # source: phone, the busiest queue (15 contacts against chat's 3); its reasons by volume:
    # complaint 5, invoice 4, delivery 3, password 2, returns 1. Digital shares of all contacts per reason:
    # complaint: email 1/10 = 0.1 < 0.2 (shop's 4/10 is physical, not digital) → skipped
    # invoice:   email 1/5 = 0.2 ≥ 0.2 (the boundary qualifies) → email
    # delivery:  web 3/10 = 0.3 beats email 1/10 → web
    # password:  web 1/3 → web
    # returns:   email 1/2 qualifies, but DEFAULT_REASONS = 3 are already taken
    assert out == [Shift("phone-email-1", "", "phone", "email", 0.3, "invoice"),
                   Shift("phone-web-2", "", "phone", "web", 0.3, "delivery"),
                   Shift("phone-web-3", "", "phone", "web", 0.3, "password")]


def test_default_shifts_skipped_reasons_do_not_use_up_a_place():
    table = mix([row for row in MIX if row[:2] != ("email", "invoice")])
    out = channel_shift.default_shifts(table, ALL)
    # invoice now has no digital contacts (0/4) and drops out; returns (email 1/2) becomes the third,
    # and the ids are numbered by the scenarios kept
    assert [(s.id, s.reason, s.to_channel) for s in out] == [
        ("phone-web-1", "delivery", "web"), ("phone-web-2", "password", "web"), ("phone-email-3", "returns", "email")]


def test_default_shifts_source_is_the_busiest_queue():
    table = mix([("phone", "invoice", 2), ("chat", "invoice", 4), ("email", "invoice", 2)])
    # chat has 4 queue contacts against phone's 2; invoice: email 2/8 = 0.25 ≥ 0.2
    assert channel_shift.default_shifts(table, ALL) == [Shift("chat-email-1", "", "chat", "email", 0.3, "invoice")]


def test_default_shifts_when_nothing_qualifies():
    # no queue channel among the contacts
    assert channel_shift.default_shifts(mix([("email", "invoice", 3), ("web", "invoice", 3)]), ALL) == []
    # no async or self-service channel among the contacts (shop is physical)
    assert channel_shift.default_shifts(mix([("phone", "invoice", 3), ("shop", "invoice", 3)]), ALL) == []
    # email handles 2/11 ≈ 0.18 < 0.2 of invoice, web 1/6 ≈ 0.17 of delivery
    table = mix([("phone", "invoice", 9), ("email", "invoice", 2), ("phone", "delivery", 5), ("web", "delivery", 1)])
    assert channel_shift.default_shifts(table, ALL) == []


# --- shifted ---------------------------------------------------------------------------------------------


def test_shifted_weights_of_one_reason():
    table = contacts([("phone", "invoice", "2025-01-06 09:00", 100), ("phone", "invoice", "2025-01-06 10:00", 200),
                      ("phone", "delivery", "2025-01-06 11:00", 300), ("email", "invoice", "2025-01-06 12:00", 900)])
    out = channel_shift.shifted(table, Shift("s", "", "phone", "email", 0.25, "invoice"), [PHONE, EMAIL])
    # the 2 phone invoice contacts stay at 1 − 0.25 = 0.75 and reappear on email at 0.25;
    # phone delivery and the email contact are untouched at 1
    assert len(out) == 4 + 2
    assert out["channel"].tolist() == ["phone", "phone", "phone", "email", "email", "email"]
    assert out["reason"].tolist() == ["invoice", "invoice", "delivery", "invoice", "invoice", "invoice"]
    assert out["weight"].tolist() == [0.75, 0.75, 1.0, 1.0, 0.25, 0.25]
    # the moved rows take email's handle time for invoice (900 s); the kept rows keep theirs
    assert out["handle_time_s"].tolist() == [100, 200, 300, 900, 900, 900]
    # email is open 24/7: arrival times unchanged
    assert out["opened_at"].iloc[4:].tolist() == table["opened_at"].iloc[:2].tolist()
    # weights per channel: phone 0.75 + 0.75 + 1 = 2.5, email 1 + 0.25 + 0.25 = 1.5; total 4 = the contacts
    assert out.groupby("channel")["weight"].sum().to_dict() == {"email": 1.5, "phone": 2.5}
    assert out["weight"].sum() == len(table)
    # the input is left as it was
    assert "weight" not in table and table["channel"].tolist() == ["phone"] * 3 + ["email"]


def test_shifted_all_reasons_and_handle_time_fallback():
    table = contacts([("phone", "invoice", "2025-01-06 09:00", 100), ("phone", "delivery", "2025-01-06 10:00", 200),
                      ("email", "invoice", "2025-01-06 12:00", 600), ("email", "invoice", "2025-01-06 13:00", 1000),
                      ("email", "invoice", "2025-01-06 14:00", np.nan), ("email", "other", "2025-01-06 15:00", 200)])
    out = channel_shift.shifted(table, Shift("s", "", "phone", "email", 0.5), [PHONE, EMAIL])
    moved = out.iloc[len(table):]
    # no reason: both phone contacts move at 0.5, and both phone rows stay at 0.5
    assert out["weight"].tolist() == [0.5, 0.5, 1, 1, 1, 1, 0.5, 0.5]
    assert moved["channel"].tolist() == ["email", "email"]
    # invoice takes email's invoice mean (600 + 1000) / 2 = 800 (the NaN is left out); delivery, which email
    # lacks, takes email's mean over all reasons (600 + 1000 + 200) / 3 = 600
    assert moved["reason"].tolist() == ["invoice", "delivery"]
    assert moved["handle_time_s"].tolist() == [800.0, 600.0]


def test_shifted_moves_arrivals_to_the_target_opening():
    phone = channel("phone", hours="24/7")
    office_email = channel("email", kind="async", hours={"mon-fri": "08:00-17:00"}, within_s=3600)
    table = contacts([("phone", "x", "2025-01-11 10:15", 60),  # Saturday → Monday 2025-01-13 08:00
                      ("phone", "x", "2025-01-06 07:30:45", 60),  # Monday before opening → 08:00 (to the minute)
                      ("phone", "x", "2025-01-07 09:05:30", 60),  # Tuesday, open: unchanged to the second
                      ("phone", "x", "2025-01-10 17:00", 60),  # Friday at closing → Monday 2025-01-13 08:00
                      ("email", "x", "2025-01-07 10:00", 500)])
    out = channel_shift.shifted(table, Shift("s", "", "phone", "email", 0.5), [phone, office_email])
    assert out["opened_at"].iloc[5:].tolist() == list(pd.to_datetime(
        ["2025-01-13 08:00", "2025-01-06 08:00", "2025-01-07 09:05:30", "2025-01-13 08:00"], format="ISO8601"))
    # the kept phone rows keep their times
    assert out["opened_at"].iloc[:5].tolist() == table["opened_at"].tolist()


# --- evaluate --------------------------------------------------------------------------------------------

EVAL = contacts([("phone", "invoice", "2025-01-06 08:20", 60),  # Mon 08 h
                 ("phone", "invoice", "2025-01-07 10:20", 60),  # Tue 10 h
                 ("phone", "delivery", "2025-01-08 11:20", 60),  # Wed 11 h
                 ("email", "invoice", "2025-01-06 08:10", 1800),  # Mon 08 h
                 ("chat", "invoice", "2025-01-06 09:00", 100)])  # untouched channel
HALF_INVOICE = Shift("s", "", "phone", "email", 0.5, "invoice")
NPS = pd.DataFrame({"channel": ["phone", "email"], "value": [20.0, 40.0], "low": [10.0, 25.0], "high": [30.0, 55.0]})


def sl_one_agent(arrivals, aht_s=60.0, within_s=60.0):
    # Erlang C with one agent: P(wait) = A, service level 1 − A·e^(−(1 − A)·t/aht)
    a = arrivals * aht_s / 3600
    return 1 - a * math.exp(-(1 - a) * within_s / aht_s)


def test_evaluate_by_hand():
    out = channel_shift.evaluate(EVAL, HALF_INVOICE, [PHONE, CHAT, EMAIL], **GRID, fte_hours_per_week=40, nps=NPS)
    table = out["channels"].set_index("channel")
    # only the two touched channels are reported, source first
    assert table.index.tolist() == ["phone", "email"]
    # contacts: phone 3 → 3 − 2 × 0.5 = 2; email 1 → 1 + 2 × 0.5 = 2; 1 moved, the 4 conserved
    assert table["contacts_before"].tolist() == [3.0, 1.0]
    assert table["contacts_after"].tolist() == [2.0, 2.0]
    assert out["moved_per_year"] == 1.0
    # phone: 1 agent (2 scheduled) in each of 45 staffed hours before and after → 2.25 FTE (pooling: no saving)
    assert table.loc["phone", "fte_before"] == pytest.approx(2.25)
    assert table.loc["phone", "fte_after"] == pytest.approx(2.25)
    # email before: 1800 s in Mon 08 h → 1800 / 7200 = 0.25 agents, 0.3125 scheduled × 168 h = 52.5 h → 1.3125 FTE
    # after: + 0.5 × 1800 s (the moved Mon contact takes email's invoice 1800 s) = 2700 → 0.375 agents,
    # 0.46875 scheduled × 168 = 78.75 h → 1.96875 FTE (the Tue moved 900 s needs only 0.125)
    assert table.loc["email", "fte_before"] == pytest.approx(1.3125)
    assert table.loc["email", "fte_after"] == pytest.approx(1.96875)
    assert out["fte"] == pytest.approx(1.96875 - 1.3125)
    # cost = FTE × 40 h × rate a week, × 365.25/7 weeks: phone 2.25 × 40 × 400 = 36 000 a week
    assert table.loc["phone", "cost_before"] == pytest.approx(36000 * WEEKS)
    assert table.loc["phone", "cost_after"] == pytest.approx(36000 * WEEKS)
    assert table.loc["email", "cost_before"] == pytest.approx(1.3125 * 40 * 300 * WEEKS)
    assert table.loc["email", "cost_after"] == pytest.approx(1.96875 * 40 * 300 * WEEKS)
    # change: 0.65625 FTE × 40 × 300 × 365.25 / 7 = 7875 × 365.25 / 7 = 1125 × 365.25
    assert out["cost_per_year"] == pytest.approx(410906.25)
    # phone service at 1 agent: before three hours of 1 contact; after (staff unchanged) 0.5, 0.5 and 1,
    # weighted by arrivals: (0.5·SL(0.5) + 0.5·SL(0.5) + 1·SL(1)) / 2; email (async) has none
    assert table.loc["phone", "service_level_before"] == pytest.approx(sl_one_agent(1))
    assert table.loc["phone", "service_level_unchanged"] == pytest.approx((sl_one_agent(0.5) + sl_one_agent(1)) / 2)
    assert np.isnan(table.loc["email", "service_level_before"])
    # NPS: moved share 1 / 5 contacts (chat counts in the whole) = 0.2; 0.2 × (40 − 20) = 4 points,
    # ± 0.2 × √(10² + 15²) (the half-widths of the channels' intervals)
    half = 0.2 * math.sqrt(325)
    assert out["nps_points"] == pytest.approx((4.0, 4.0 - half, 4.0 + half))


def test_evaluate_ignores_untouched_channels_except_as_the_nps_whole():
    kwargs = dict(**GRID, fte_hours_per_week=40, nps=NPS)
    with_chat = channel_shift.evaluate(EVAL, HALF_INVOICE, [PHONE, CHAT, EMAIL], **kwargs)
    without = channel_shift.evaluate(EVAL[EVAL["channel"] != "chat"], HALF_INVOICE, [PHONE, EMAIL], **kwargs)
    pd.testing.assert_frame_equal(with_chat["channels"], without["channels"])
    assert (with_chat["fte"], with_chat["cost_per_year"]) == (without["fte"], without["cost_per_year"])
    # the moved contact is 1/4 of the contacts without chat: 0.25 × 20 = 5 points
    assert without["nps_points"][0] == pytest.approx(5.0)
    assert with_chat["nps_points"][0] == pytest.approx(4.0)


def test_evaluate_reuses_before():
    chans = [PHONE, CHAT, EMAIL]
    # the required staff of all contacts and channels, as the accessibility step computes it once
    before = staffing.required_staff(staffing.interval_load(EVAL, chans, **GRID), chans, interval_min=60)
    assert "chat" in set(before["channel"])  # evaluate must drop it
    fresh = channel_shift.evaluate(EVAL, HALF_INVOICE, chans, **GRID, fte_hours_per_week=40, nps=NPS)
    reused = channel_shift.evaluate(EVAL, HALF_INVOICE, chans, **GRID, fte_hours_per_week=40, nps=NPS, before=before)
    pd.testing.assert_frame_equal(fresh["channels"], reused["channels"])
    assert {k: v for k, v in fresh.items() if k != "channels"} == {k: v for k, v in reused.items() if k != "channels"}
    assert reused["channels"]["fte_before"].tolist() == pytest.approx([2.25, 1.3125])


def test_evaluate_share_zero_changes_nothing():
    out = channel_shift.evaluate(EVAL, Shift("s", "", "phone", "email", 0.0, "invoice"), [PHONE, CHAT, EMAIL],
                                 **GRID, fte_hours_per_week=40, nps=NPS)
    table = out["channels"]
    assert table["contacts_after"].tolist() == table["contacts_before"].tolist() == [3.0, 1.0]
    assert table["fte_after"].tolist() == pytest.approx(table["fte_before"].tolist())
    assert (out["moved_per_year"], out["fte"], out["cost_per_year"]) == (0.0, 0.0, 0.0)
    assert out["nps_points"] == (0.0, 0.0, 0.0)


def test_evaluate_to_self_service_over_two_years():
    table = contacts([("phone", "a", "2025-01-06 08:20", 60), ("phone", "a", "2025-01-07 10:20", 60),
                      ("phone", "b", "2025-01-08 11:20", 60), ("web", "a", "2025-01-06 12:00", np.nan),
                      ("web", "b", "2025-01-06 13:00", np.nan)])
    out = channel_shift.evaluate(table, Shift("s", "", "phone", "web", 0.25), [PHONE, WEB], **GRID,
                                 fte_hours_per_week=40, years=2.0)
    t = out["channels"].set_index("channel")
    # per year over 2 years: phone 3 / 2 = 1.5 → 3 × 0.75 / 2 = 1.125; web 2 / 2 = 1 → (2 + 0.75) / 2 = 1.375
    assert t["contacts_before"].tolist() == [1.5, 1.0]
    assert t["contacts_after"].tolist() == [1.125, 1.375]
    assert out["moved_per_year"] == pytest.approx(0.375)
    # phone keeps its minimum staff (2.25 FTE, cost per week-year independent of `years`); web is not staffed
    assert t["fte_before"].tolist() == pytest.approx([2.25, 0.0])
    assert t["fte_after"].tolist() == pytest.approx([2.25, 0.0])
    assert t.loc["phone", "cost_after"] == pytest.approx(36000 * WEEKS)
    # web costs contacts × 5: 1 × 5 = 5 → 1.375 × 5 = 6.875; the whole change is web's 1.875
    assert t.loc["web", "cost_before"] == pytest.approx(5.0)
    assert t.loc["web", "cost_after"] == pytest.approx(6.875)
    assert out["cost_per_year"] == pytest.approx(1.875)
    assert out["fte"] == pytest.approx(0.0)
    # no NPS given
    assert out["nps_points"] is None


# --- channel_cost ----------------------------------------------------------------------------------------


def test_channel_cost_from_staff_where_the_agent_hour_cost_is_known():
    # queue: 2.25 FTE × 40 h × 365.25/7 weeks × 400 = 36 000 × 365.25 / 7; the contacts do not matter
    assert channel_shift.channel_cost(PHONE, 1e6, 2.25, 40) == pytest.approx(36000 * 365.25 / 7)
    assert channel_shift.channel_cost(PHONE, 0, 2.25, 40) == pytest.approx(36000 * 365.25 / 7)
    # async: 1.3125 × 40 × 300 = 15 750 a week → 15 750 × 365.25 / 7 = 821 812.5
    assert channel_shift.channel_cost(EMAIL, 10, 1.3125, 40) == pytest.approx(821812.5)
    # 37.5 paid hours: 2 × 37.5 × 400 = 30 000 a week
    assert channel_shift.channel_cost(PHONE, 10, 2.0, 37.5) == pytest.approx(30000 * 365.25 / 7)


def test_channel_cost_from_contacts_otherwise():
    # queue without an agent-hour cost: 1200 contacts × 50
    assert channel_shift.channel_cost(channel("phone", cost_per_agent_hour=None), 1200, 3.0, 40) == 60000.0
    # self-service and physical channels go by the contacts even with an agent-hour cost: 1200 × 5, 10 × 120
    web_with_rate = channel("web", kind="self-service", hours="24/7", cost_per_agent_hour=400.0, cost_per_contact=5.0)
    assert channel_shift.channel_cost(web_with_rate, 1200, 3.0, 40) == 6000.0
    assert channel_shift.channel_cost(SHOP, 10, 3.0, 40) == 1200.0
    # a staffed channel the staffing model does not cover: by its contacts, 1200 × 50
    assert channel_shift.channel_cost(PHONE, 1200, 0.0, 40, modelled=False) == 60000.0


def test_evaluate_prices_a_target_without_a_staffing_model_by_its_contacts():
    # e-mail has no service-level target, so no staffing model: moving phone's contacts there is not free
    email = Channel(id="email", name="E-mail", kind="async", cost_per_agent_hour=300.0, cost_per_contact=80.0)
    rows = contacts([("phone", "x", "2025-01-06 08:20", 60), ("phone", "x", "2025-01-07 10:20", 60),
                     ("email", "x", "2025-01-06 08:10", 1800)])
    out = channel_shift.evaluate(rows, Shift("s", "", "phone", "email", 1.0, "x"), [PHONE, email], **GRID,
                                 fte_hours_per_week=40)
    table = out["channels"].set_index("channel")
    # years=1: 1 e-mail before, 3 after, each at 80
    assert (table.loc["email", "cost_before"], table.loc["email", "cost_after"]) == (80.0, 240.0)
    # phone loses all its contacts: its 2.25 FTE (1 agent, 2 scheduled, in 45 staffed hours) are no longer needed
    assert table.loc["phone", "cost_before"] == pytest.approx(2.25 * 40 * WEEKS * 400)
    assert table.loc["phone", "cost_after"] == 0
    assert out["cost_per_year"] == pytest.approx(160 - 2.25 * 40 * WEEKS * 400)


# --- nps_effect ------------------------------------------------------------------------------------------


def test_nps_effect_by_hand():
    shift = Shift("s", "", "phone", "email", 0.5)
    # 0.2 × (40 − 20) = 4; standard errors 10 / z and 15 / z, combined √(100 + 225) / z; ± z × 0.2 × that
    half = 0.2 * math.sqrt(10 ** 2 + 15 ** 2)
    assert channel_shift.nps_effect(0.2, shift, NPS) == pytest.approx((4.0, 4.0 - half, 4.0 + half))
    # intervals given at 90 %: the z cancels, the same interval (now at 90 %)
    assert channel_shift.nps_effect(0.2, shift, NPS, confidence=0.90) == pytest.approx((4.0, 4.0 - half, 4.0 + half))
    # the other way, 10 % of contacts to the worse channel: 0.1 × (20 − 40) = −2 ± 0.1 × √325
    back = Shift("s", "", "email", "phone", 0.5)
    half = 0.1 * math.sqrt(325)
    assert channel_shift.nps_effect(0.1, back, NPS) == pytest.approx((-2.0, -2.0 - half, -2.0 + half))


def test_nps_effect_asymmetric_interval_uses_its_width():
    nps = pd.DataFrame({"channel": ["phone", "web"], "value": [0.0, 30.0], "low": [-4.0, 22.0],
                        "high": [8.0, 34.0]})
    # widths 12 and 12 → half-widths 6 and 6; 0.5 × 30 = 15 ± 0.5 × √72
    half = 0.5 * math.sqrt(72)
    assert channel_shift.nps_effect(0.5, Shift("s", "", "phone", "web", 1.0), nps) == pytest.approx(
        (15.0, 15.0 - half, 15.0 + half))


def test_nps_effect_none_without_both_channels():
    shift = Shift("s", "", "phone", "email", 0.5)
    assert channel_shift.nps_effect(0.2, shift, None) is None
    assert channel_shift.nps_effect(0.2, shift, NPS[NPS["channel"] == "phone"]) is None
    assert channel_shift.nps_effect(0.2, shift, NPS.assign(value=[20.0, np.nan])) is None
    assert channel_shift.nps_effect(0.2, shift, NPS.assign(low=[np.nan, 25.0])) is None
    assert channel_shift.nps_effect(0.2, shift, NPS.assign(high=[30.0, np.nan])) is None


def test_unknown_costs_stay_unknown():
    # no agent-hour cost and no cost per contact: the cost is unknown, not 0, and so is the scenario's saving
    unpriced = Channel(id="web", name="Web", kind="self-service")
    assert math.isnan(channel_shift.channel_cost(unpriced, 1200, 0.0, 40))
    rows = contacts([("phone", "x", "2025-01-06 08:20", 60), ("web", "x", "2025-01-06 09:00", np.nan)])
    out = channel_shift.evaluate(rows, Shift("s", "", "phone", "web", 0.5, "x"), [PHONE, unpriced], **GRID,
                                 fte_hours_per_week=40)
    assert math.isnan(out["cost_per_year"])
    assert not math.isnan(out["channels"].set_index("channel").loc["phone", "cost_before"])
