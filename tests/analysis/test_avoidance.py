"""cxlib.analysis.avoidance against the staffing model worked by hand.

One Monday (2025-01-06) in one-hour intervals; phone is a queue staffed Mon–Fri 08–17 (only Monday lies in
the period, so 9 staffed intervals), 80 % in 60 s, 30 % shrinkage, 85 % occupancy cap, 400 an agent hour:

- 08 h: 60 calls of 60 s, A = 1 Erlang: 1 agent is unstable, 2 give 1 − e^(−1)/3 = 0.8774 ≥ 0.8 → 2 agents,
  ⌈2/0.7⌉ = 3 scheduled.
- 10 h: 30 calls of 60 s, A = 0.5: 1 agent gives 1 − 0.5 · e^(−0.5) = 0.6967 < 0.8; 2 agents give
  P(wait) = (0.125 · 2/1.5)/(1 + 0.5 + 0.125 · 2/1.5) = 0.1 and 1 − 0.1 · e^(−1.5) = 0.9777 → 2 agents, 3 scheduled.
- the 7 other staffed hours are idle: 1 agent, ⌈1/0.7⌉ = 2 scheduled.

Scheduled agent-hours 3 + 3 + 7 · 2 = 20 a week, 20/40 = 0.5 FTE, costing 0.5 · 40 · 52.178571 · 400 = 417 428.57.
E-mail (async, 4 h target, 20 % shrinkage, occupancy 1): 6 mails of 1 200 s at 09 h = 7 200 agent-seconds due
by 14:00 (end of the 09 h interval + 4 h): 5 staffed hours, so 7 200/18 000 = 0.4 agents, 0.4/0.8 = 0.5 scheduled
in each of 9 staffed hours = 4.5 agent-hours = 0.1125 FTE. Web is self-service at 5 a contact.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import avoidance, staffing
from cxlib.config import Channel

WEEKS_PER_YEAR = 365.25 / 7  # 52.178571
GRID = dict(interval_min=60, start="2025-01-06", end="2025-01-06", fte_hours_per_week=40.0)


def channel(id_, kind="queue", hours=None, within_s=60, shrinkage=0.3, max_occupancy=0.85, cost_per_agent_hour=400.0,
            cost_per_contact=50.0, target=True):
    return Channel(id=id_, name=id_.title(), kind=kind, opening_hours=hours or {"mon-fri": "08:00-17:00"},
                   service_level={"share": 0.8, "within_s": within_s} if target else None, shrinkage=shrinkage,
                   max_occupancy=max_occupancy, cost_per_agent_hour=cost_per_agent_hour,
                   cost_per_contact=cost_per_contact)


PHONE = channel("phone")
EMAIL = channel("email", kind="async", within_s=4 * 3600, shrinkage=0.2, max_occupancy=1.0)
WEB = channel("web", kind="self-service", hours="24/7", target=False, cost_per_agent_hour=None, cost_per_contact=5.0)
CHANNELS = [PHONE, EMAIL, WEB]
AT_8, AT_10, WEB_ROWS, EMAIL_ROWS = slice(0, 60), slice(60, 90), slice(90, 94), slice(94, 100)


@pytest.fixture
def contacts():
    opened = ([f"2025-01-06 08:{m:02d}" for m in range(60)] + [f"2025-01-06 10:{m:02d}" for m in range(0, 60, 2)]
              + ["2025-01-06 12:00"] * 4 + ["2025-01-06 09:00"] * 6)
    return pd.DataFrame({"channel": ["phone"] * 90 + ["web"] * 4 + ["email"] * 6,
                         "opened_at": pd.to_datetime(opened),
                         "handle_time_s": [60.0] * 90 + [np.nan] * 4 + [1200.0] * 6})


def keep_all_but(n, *parts, share=0.0):
    remaining = np.ones(n)
    for part in parts:
        remaining[part] = share
    return remaining


def test_the_staffing_model_before_by_hand(contacts):
    load = staffing.interval_load(contacts, CHANNELS, interval_min=60, start="2025-01-06", end="2025-01-06")
    required = staffing.required_staff(load, CHANNELS, interval_min=60).set_index(["channel", "slot"])
    assert required.loc[("phone", 8), "scheduled"] == 3 and required.loc[("phone", 10), "scheduled"] == 3
    assert required.loc[("phone", 9), "scheduled"] == 2
    assert required.loc["email", "agents"].tolist() == pytest.approx([0.4] * 9)
    out = staffing.fte(required.reset_index(), interval_min=60, fte_hours_per_week=40.0).set_index("channel")
    assert out.loc["phone", "fte"] == pytest.approx(0.5) and out.loc["email", "fte"] == pytest.approx(0.1125)


def test_nothing_avoided_saves_nothing(contacts):
    out = avoidance.avoided(contacts, np.ones(len(contacts)), CHANNELS, **GRID)
    assert (out["contacts_per_year"], out["fte"], out["cost_per_year"]) == (0.0, 0.0, 0.0)
    assert out["channels"].empty


def test_avoiding_a_whole_interval_saves_its_agents(contacts):
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), AT_10), CHANNELS, **GRID)
    # 10 h loses its 30 calls: 1 agent, 2 scheduled instead of 3 → 19 agent-hours, 19/40 = 0.475 FTE
    assert out["contacts_per_year"] == pytest.approx(30.0)
    assert out["fte"] == pytest.approx(-0.025, abs=1e-12)
    # one agent-hour a week less: −1 · 52.178571 · 400 = −20 871.43 a year
    assert out["cost_per_year"] == pytest.approx(-WEEKS_PER_YEAR * 400, abs=1e-6)
    assert out["cost_per_year"] == pytest.approx(-20871.43, abs=5e-3)
    table = out["channels"].set_index("channel")
    assert table.index.tolist() == ["phone"]  # only the touched channel
    assert table.loc["phone", ["contacts_before", "contacts_after"]].tolist() == [90.0, 60.0]
    assert table.loc["phone", ["fte_before", "fte_after"]].tolist() == pytest.approx([0.5, 0.475])
    assert table.loc["phone", "cost_before"] == pytest.approx(0.5 * 40 * WEEKS_PER_YEAR * 400)


def test_the_saving_matches_the_staffing_model_for_the_remaining_load(contacts):
    # the same saving from staffing directly: required_staff of the 10 h load with and without its calls
    rows = pd.DataFrame({"channel": "phone", "weekday": 0, "slot": [10], "interval_start": ["10:00"],
                         "arrivals": [30.0], "aht_s": [60.0], "staffed": [True]})
    with_calls = staffing.required_staff(rows, [PHONE], interval_min=60)["scheduled"].iloc[0]
    without = staffing.required_staff(rows.assign(arrivals=0.0), [PHONE], interval_min=60)["scheduled"].iloc[0]
    assert (with_calls, without) == (3.0, 2.0)
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), AT_10), CHANNELS, **GRID)
    assert out["fte"] == pytest.approx((without - with_calls) / 40.0)


def test_avoiding_half_of_a_queue_interval_can_save_nothing(contacts):
    # half of each 08 h call remains: 30 calls, A = 0.5 → still 2 agents and 3 scheduled (pooling lost)
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), AT_8, share=0.5), CHANNELS, **GRID)
    assert out["contacts_per_year"] == pytest.approx(30.0)
    assert out["fte"] == pytest.approx(0.0, abs=1e-12) and out["cost_per_year"] == pytest.approx(0.0, abs=1e-6)


def test_async_channel_is_restaffed_for_its_workload(contacts):
    # 3 of the 6 mails remain: 3 600 s of work in 18 000 s → 0.2 agents, 0.25 scheduled × 9 h = 2.25 h
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), slice(94, 97)), CHANNELS, **GRID)
    table = out["channels"].set_index("channel")
    assert table.loc["email", ["fte_before", "fte_after"]].tolist() == pytest.approx([0.1125, 0.05625])
    assert out["fte"] == pytest.approx(-0.05625)
    # −2.25 agent-hours a week · 52.178571 · 400 = −46 960.71
    assert out["cost_per_year"] == pytest.approx(-2.25 * WEEKS_PER_YEAR * 400, abs=1e-6)


def test_self_service_is_priced_per_contact_and_per_year(contacts):
    # 2 of the 4 web contacts avoided over half a year: 4 a year at 5 each
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), slice(90, 92)), CHANNELS, years=0.5, **GRID)
    assert out["contacts_per_year"] == pytest.approx(4.0)
    assert out["fte"] == 0.0
    assert out["cost_per_year"] == pytest.approx(-20.0)
    table = out["channels"].set_index("channel")
    assert table.loc["web", ["contacts_before", "contacts_after"]].tolist() == [8.0, 4.0]


def test_unknown_cost_gives_nan(contacts):
    free = Channel(id="web", name="Web", kind="self-service")
    out = avoidance.avoided(contacts, keep_all_but(len(contacts), WEB_ROWS), [PHONE, EMAIL, free], **GRID)
    assert out["contacts_per_year"] == pytest.approx(4.0)
    assert math.isnan(out["cost_per_year"])


def test_removing_contacts_never_adds_staff(contacts):
    # nested remaining shares r₀ ≥ r₁ ≥ … ≥ r₄: each step removes more, so FTE and cost never rise
    rng = np.random.default_rng(7)
    remaining = np.ones(len(contacts))
    previous_fte, previous_cost = 0.0, 0.0
    for _ in range(5):
        remaining = remaining * rng.uniform(0.3, 1.0, size=len(contacts))
        out = avoidance.avoided(contacts, remaining, CHANNELS, **GRID)
        assert out["fte"] <= previous_fte + 1e-12
        assert out["cost_per_year"] <= previous_cost + 1e-6
        assert out["contacts_per_year"] == pytest.approx((1 - remaining).sum())
        previous_fte, previous_cost = out["fte"], out["cost_per_year"]
    # everything avoided: phone keeps 1 agent (2 scheduled) in each of its 9 staffed hours = 18 h, 0.45 FTE;
    # e-mail needs none: −0.05 − 0.1125 = −0.1625
    out = avoidance.avoided(contacts, np.zeros(len(contacts)), CHANNELS, **GRID)
    assert out["fte"] == pytest.approx(-0.1625)
    assert out["fte"] <= previous_fte + 1e-12


def test_a_precomputed_before_gives_the_same_answer(contacts):
    load = staffing.interval_load(contacts, CHANNELS, interval_min=60, start="2025-01-06", end="2025-01-06")
    before = staffing.required_staff(load, CHANNELS, interval_min=60)
    remaining = keep_all_but(len(contacts), AT_10, EMAIL_ROWS)
    plain = avoidance.avoided(contacts, remaining, CHANNELS, **GRID)
    given = avoidance.avoided(contacts, remaining, CHANNELS, before=before, **GRID)
    # phone −0.025, e-mail −0.1125 (no mail left: 0 agents)
    assert plain["fte"] == pytest.approx(-0.1375) and given["fte"] == pytest.approx(-0.1375)
    assert given["cost_per_year"] == pytest.approx(plain["cost_per_year"])


def test_remaining_needs_one_share_per_contact(contacts):
    with pytest.raises(ValueError, match="one share per contact"):
        avoidance.avoided(contacts, np.ones(3), CHANNELS, **GRID)


def test_demand_of_rows_is_the_demand_of_shares(contacts):
    model = avoidance.StaffModel(contacts, CHANNELS, **GRID)
    by_share = model.demand(keep_all_but(len(contacts), AT_10, share=0.25))
    by_rows = model.demand_of(np.arange(60, 90), 0.75)
    assert list(by_share.arrivals) == list(by_rows.arrivals) == ["phone"]
    assert np.allclose(by_share.arrivals["phone"], by_rows.arrivals["phone"])
    assert by_rows.contacts.to_dict() == {"phone": pytest.approx(30 * 0.75)}
    # 30 calls at 10 h on the one Monday of the period: 0.75 · 30 avoided in that interval, none elsewhere
    assert by_rows.arrivals["phone"].sum() == pytest.approx(22.5)
    assert model.saving(by_rows.scaled(0))["fte"] == pytest.approx(0.0)
