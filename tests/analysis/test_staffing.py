"""cxlib.analysis.staffing against hand-worked values on tiny hand-built loads and plans.

The Erlang C values are worked from the textbook formulas with one-hour intervals, 60 arrivals
and 60 s handle time, so the offered traffic is A = 60 · 60 / 3600 = 1 Erlang:

- 2 agents: P(wait) = (A²/2! · 2/(2 − A)) / (1 + A + A²/2! · 2/(2 − A)) = 1 / 3;
  service level within 60 s = 1 − P(wait) · e^(−(2 − A) · 60/60) = 1 − e^(−1)/3 ≈ 0.8774;
  ASA = P(wait) · 60 / (2 − A) = 20 s; occupancy A / 2 = 0.5.
- 3 agents: P(wait) = (1/6 · 3/2) / (1 + 1 + 1/2 + 1/4) = 1 / 11; service level 1 − e^(−2)/11 ≈ 0.9877.
- 1 agent at 30 arrivals (A = 0.5): P(wait) = A = 0.5; service level 1 − 0.5 · e^(−0.5) ≈ 0.6967.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import staffing
from cxlib.config import Channel
from cxlib.stats.queues import required_agents

SL_2_AGENTS = 1 - math.exp(-1) / 3
SL_3_AGENTS = 1 - math.exp(-2) / 11
SL_1_AGENT_HALF_LOAD = 1 - 0.5 * math.exp(-0.5)


def channel(id_, kind="queue", hours=None, share=0.8, within_s=60, shrinkage=0.3, max_occupancy=0.85,
            cost_per_agent_hour=400.0, staffed_hours=None):
    return Channel(id=id_, name=id_.title(), kind=kind, opening_hours=hours or {"mon-fri": "08:00-17:00"},
                   staffed_hours=staffed_hours, service_level={"share": share, "within_s": within_s},
                   shrinkage=shrinkage, max_occupancy=max_occupancy, cost_per_agent_hour=cost_per_agent_hour,
                   cost_per_contact=50)


def load(rows, channel_id="phone"):
    """rows: (weekday, slot, arrivals, aht_s, staffed) of one-hour intervals."""
    frame = pd.DataFrame(rows, columns=["weekday", "slot", "arrivals", "aht_s", "staffed"])
    frame.insert(0, "channel", channel_id)
    frame.insert(3, "interval_start", [f"{s:02d}:00" for s in frame["slot"]])
    return frame


# --- interval_load ---------------------------------------------------------------------------------------


def test_interval_load_mean_per_weekday_and_channel_aht():
    # 2025-01-06 … 2025-01-19: two of every weekday
    contacts = pd.DataFrame({
        "channel": ["phone"] * 5 + ["web"],
        "opened_at": pd.to_datetime(["2025-01-06 08:05", "2025-01-06 08:40", "2025-01-13 08:59",  # Mon 08 h
                                     "2025-01-08 09:00", "2025-01-08 09:10",  # Wed 09 h
                                     "2025-01-06 08:00"]),
        "handle_time_s": [100, 200, 300, 600, np.nan, 50],
    })
    out = staffing.interval_load(contacts, [channel("phone"), channel("web", kind="self-service", hours="24/7")],
                                 interval_min=60, start="2025-01-06", end="2025-01-19")
    # self-service channels are not staffed; phone gets its full week of 7 × 24 intervals
    assert out["channel"].unique().tolist() == ["phone"]
    assert len(out) == 7 * 24
    row = out.set_index(["weekday", "slot"])
    assert row.loc[(0, 8), "arrivals"] == pytest.approx(1.5)  # 3 contacts over 2 Mondays
    assert row.loc[(2, 9), "arrivals"] == pytest.approx(1.0)  # 2 contacts over 2 Wednesdays
    assert out["arrivals"].sum() == pytest.approx(2.5)
    # under 30 handled in every interval: the channel's mean (100 + 200 + 300 + 600) / 4 = 300 s everywhere
    assert np.allclose(out["aht_s"], 300.0)
    # staffed = opening hours (mon-fri 08-17): 5 days × 9 hours
    assert out["staffed"].sum() == 45
    assert bool(row.loc[(4, 16), "staffed"]) and not bool(row.loc[(4, 17), "staffed"])


def test_interval_load_own_aht_from_30_handled_and_weights():
    monday_8 = [f"2025-01-06 08:{m:02d}" for m in range(30)]
    contacts = pd.DataFrame({
        "channel": "phone",
        "opened_at": pd.to_datetime([*monday_8, "2025-01-06 10:00"]),
        "handle_time_s": [60.0] * 30 + [600.0],
    })
    out = staffing.interval_load(contacts, [channel("phone")], interval_min=60, start="2025-01-06",
                                 end="2025-01-06").set_index(["weekday", "slot"])
    assert out.loc[(0, 8), "aht_s"] == pytest.approx(60.0)  # 30 handled: its own mean
    assert out.loc[(0, 10), "aht_s"] == pytest.approx((30 * 60 + 600) / 31)  # the channel's mean
    # a weight counts a row as that many contacts, in arrivals and in the handle-time means
    weighted = contacts.assign(weight=[1.0] * 30 + [3.0])
    out = staffing.interval_load(weighted, [channel("phone")], interval_min=60, start="2025-01-06",
                                 end="2025-01-06").set_index(["weekday", "slot"])
    assert out.loc[(0, 10), "arrivals"] == pytest.approx(3.0)
    assert out.loc[(0, 10), "aht_s"] == pytest.approx((30 * 60 + 3 * 600) / 33)


def test_interval_load_leaves_weekdays_outside_the_period_unstaffed():
    contacts = pd.DataFrame({"channel": "phone", "opened_at": pd.to_datetime(["2025-01-06 08:10"]),
                             "handle_time_s": [120.0]})
    # Monday and Tuesday only: Wednesday to Friday are staffed hours of no date in the period
    out = staffing.interval_load(contacts, [channel("phone")], interval_min=60, start="2025-01-06",
                                 end="2025-01-07")
    assert out.loc[out["staffed"], "weekday"].unique().tolist() == [0, 1]
    assert out["staffed"].sum() == 2 * 9
    assert out["arrivals"].sum() == 1.0 and not out["arrivals"].isna().any()


# --- required_staff --------------------------------------------------------------------------------------


def test_required_staff_erlang_c_by_hand():
    frame = load([(0, 8, 60.0, 60.0, True),  # A = 1 Erlang
                  (0, 9, 0.0, 60.0, True),  # staffed but idle: one agent
                  (0, 20, 60.0, 60.0, False)])  # not staffed: left out
    out = staffing.required_staff(frame, [channel("phone")], interval_min=60)
    assert out["slot"].tolist() == [8, 9]
    assert out["model"].tolist() == ["erlang_c", "erlang_c"]
    # 80 % in 60 s: 2 agents give 0.8774 ≥ 0.8 (1 agent is unstable at A = 1)
    assert out["agents"].tolist() == [2.0, 1.0]
    # scheduled after 30 % shrinkage: ⌈2 / 0.7⌉ = ⌈2.857⌉ = 3 and ⌈1 / 0.7⌉ = 2
    assert out["scheduled"].tolist() == [3.0, 2.0]
    busy = out.iloc[0]
    assert busy["service_level"] == pytest.approx(SL_2_AGENTS)
    assert busy["asa_s"] == pytest.approx(20.0)
    assert busy["occupancy"] == pytest.approx(0.5)
    assert busy["abandonment"] == 0


def test_required_staff_target_and_occupancy_cap_raise_agents():
    frame = load([(0, 8, 60.0, 60.0, True)])
    # 90 % in 60 s: 2 agents give 0.8774 < 0.9, 3 give 0.9877
    strict = staffing.required_staff(frame, [channel("phone", share=0.9)], interval_min=60).iloc[0]
    assert strict["agents"] == 3
    assert strict["service_level"] == pytest.approx(SL_3_AGENTS)
    assert strict["scheduled"] == 5  # ⌈3 / 0.7⌉ = ⌈4.29⌉
    # an occupancy cap of 0.4: 2 agents would be busy 0.5 of the time, 3 are busy 1/3
    capped = staffing.required_staff(frame, [channel("phone", max_occupancy=0.4)], interval_min=60).iloc[0]
    assert capped["agents"] == 3
    assert capped["occupancy"] == pytest.approx(1 / 3)


def test_required_staff_erlang_a_matches_the_queues_module():
    frame = load([(0, 8, 120.0, 180.0, True), (0, 9, 40.0, 240.0, True), (0, 10, 0.0, 180.0, True)])
    out = staffing.required_staff(frame, [channel("phone")], interval_min=60, patience={"phone": 90.0})
    assert out["model"].unique().tolist() == ["erlang_a"]
    direct = required_agents(np.array([120.0, 40.0]), 3600.0, np.array([180.0, 240.0]), answer_s=60,
                             service_level=0.8, max_occupancy=0.85, patience_s=90.0)
    assert out["agents"].tolist() == [*direct.agents.astype(float), 1.0]
    # customers who hang up never need fewer agents than under Erlang C, which counts them all as waiting
    erlang_c = staffing.required_staff(frame, [channel("phone")], interval_min=60)
    assert (out["agents"] <= erlang_c["agents"]).all()
    assert (out["abandonment"] > 0).iloc[:2].all()


def test_required_staff_leaves_out_channels_without_target_or_handle_time():
    frame = pd.concat([load([(0, 8, 60.0, 60.0, True)]), load([(0, 8, 5.0, np.nan, True)], "chat")])
    no_target = Channel(id="phone", name="Phone", kind="queue", opening_hours={"mon-fri": "08:00-17:00"},
                        shrinkage=0.3)
    out = staffing.required_staff(frame, [no_target, channel("chat")], interval_min=60)
    assert out.empty
    assert {"model", "agents", "scheduled", "service_level"} <= set(out.columns)


# --- workload_level (async channels) ---------------------------------------------------------------------


def week(work, staffed):
    """A full week of one-hour intervals: work maps (weekday, slot) to (arrivals, aht_s)."""
    rows = [(d, s, *work.get((d, s), (0.0, 0.0)), staffed(d, s)) for d in range(7) for s in range(24)]
    return load(rows, "email")


def test_workload_level_inside_staffed_hours():
    always = week({(0, 0): (1.0, 1800.0)}, lambda d, s: True)
    # 1800 agent-seconds due by the end of the next slot (target 1 h after the slot): room 2 h = 7200 s
    assert staffing.workload_level(always, 60, 3600, 1.0) == pytest.approx(1800 / 7200)
    # at most half the time busy: twice the level
    assert staffing.workload_level(always, 60, 3600, 0.5) == pytest.approx(1800 / 3600)
    # two contacts of an hour each with a 2 h target: 7200 s of work in the 3 h up to the deadline, at 0.85
    two = week({(0, 8): (2.0, 3600.0)}, lambda d, s: True)
    assert staffing.workload_level(two, 60, 7200, 0.85) == pytest.approx(7200 / (3 * 3600 * 0.85))


def test_workload_level_counts_the_target_from_the_next_opening():
    office = week({(4, 20): (1.0, 3600.0)}, lambda d, s: d < 5 and 8 <= s < 17)
    # Friday 20:00 to a channel staffed on weekdays 08-17: no staffed time within 1 h, so the target runs
    # in staffed time from Monday 08:00 and the hour of work must fit in Monday 08-09 at 0.85 occupancy
    assert staffing.workload_level(office, 60, 3600, 0.85) == pytest.approx(1 / 0.85)


def test_workload_level_without_work_or_staffed_hours():
    assert staffing.workload_level(week({}, lambda d, s: True), 60, 3600, 0.85) == 0.0
    assert staffing.workload_level(week({(0, 8): (1.0, 60.0)}, lambda d, s: False), 60, 3600, 0.85) == math.inf


def test_required_staff_async_uses_the_workload_level():
    email = channel("email", kind="async", hours="24/7", within_s=3600, shrinkage=0.2, max_occupancy=1.0)
    out = staffing.required_staff(week({(0, 0): (1.0, 1800.0)}, lambda d, s: True), [email], interval_min=60)
    assert len(out) == 7 * 24
    assert out["model"].unique().tolist() == ["workload"]
    assert np.allclose(out["agents"], 0.25)
    assert np.allclose(out["scheduled"], 0.25 / 0.8)  # a level, not rounded up
    assert out["service_level"].isna().all()


# --- fte, compare_staffing, modelled_service -------------------------------------------------------------


def test_fte():
    required = pd.DataFrame({"channel": ["phone", "phone", "email"], "scheduled": [3.0, 5.0, 0.5]})
    out = staffing.fte(required, interval_min=30, fte_hours_per_week=40).set_index("channel")
    # phone: (3 + 5) agents × 0.5 h = 4 agent-hours a week = 0.1 FTE; email 0.25 h
    assert out.loc["phone", "agent_hours"] == pytest.approx(4.0)
    assert out.loc["phone", "fte"] == pytest.approx(0.1)
    assert out.loc["email", "fte"] == pytest.approx(0.25 / 40)


def test_compare_staffing_gap_cost_and_actual_service():
    phone, chat = channel("phone"), channel("chat", cost_per_agent_hour=None)
    frame = pd.concat([load([(0, 8, 60.0, 60.0, True), (0, 9, 60.0, 60.0, True)]),
                       load([(0, 8, 60.0, 60.0, True)], "chat")], ignore_index=True)
    required = staffing.required_staff(frame, [phone, chat], interval_min=60)  # 3 scheduled each
    plan = pd.DataFrame({"channel": ["phone", "phone", "chat"], "weekday": ["mon", "mon", "mon"],
                         "interval_start": [480, 480, 480], "agents": [2, 2, 1]})  # two rows for Mon 08:00 add up
    out = staffing.compare_staffing(required, plan, [phone, chat], interval_min=60).set_index(["channel", "slot"])
    # phone 08:00: 3 required − 4 actual = −1 (one too many); 09:00 has no plan: 3 − 0 = 3
    assert out.loc[("phone", 8), "actual"] == 4
    assert out.loc[("phone", 8), "gap"] == -1
    assert out.loc[("phone", 9), "gap"] == 3
    # a year of an agent-hour a week at 400 an hour: 400 × 365.25 / 7
    assert out.loc[("phone", 8), "gap_cost_per_year"] == pytest.approx(-400 * 365.25 / 7)
    assert out.loc[("phone", 9), "gap_cost_per_year"] == pytest.approx(3 * 400 * 365.25 / 7)
    assert math.isnan(out.loc[("chat", 8), "gap_cost_per_year"])  # no cost per agent hour
    # actual service: ⌊4 × 0.7⌋ = 2 productive agents give 0.8774; none at 09:00 answer nobody
    assert out.loc[("phone", 8), "actual_service_level"] == pytest.approx(SL_2_AGENTS)
    assert out.loc[("phone", 9), "actual_service_level"] == 0
    # chat: ⌊1 × 0.7⌋ = 0 productive agents
    assert out.loc[("chat", 8), "actual_service_level"] == 0


def test_compare_staffing_leaves_out_channels_without_a_plan():
    frame = pd.concat([load([(0, 8, 60.0, 60.0, True)]), load([(0, 8, 60.0, 60.0, True)], "chat")])
    channels = [channel("phone"), channel("chat")]
    required = staffing.required_staff(frame, channels, interval_min=60)
    plan = pd.DataFrame({"channel": ["phone"], "weekday": ["mon"], "interval_start": [480], "agents": [3]})
    out = staffing.compare_staffing(required, plan, channels, interval_min=60)
    assert out["channel"].tolist() == ["phone"]
    assert out["gap"].tolist() == [0]


def test_modelled_service_weights_intervals_by_arrivals():
    frame = load([(0, 8, 60.0, 60.0, True), (0, 9, 30.0, 60.0, True), (0, 10, 10.0, 60.0, True)])
    agents = pd.DataFrame({"channel": "phone", "weekday": 0, "slot": [8, 9], "agents": [2.0, 1.0]})
    out = staffing.modelled_service(frame, agents, [channel("phone")], interval_min=60)
    # 10:00 has no agents row and is left out: (60 · 0.8774 + 30 · 0.6967) / 90
    expected = (60 * SL_2_AGENTS + 30 * SL_1_AGENT_HALF_LOAD) / 90
    assert out["service_level"].tolist() == [pytest.approx(expected)]
    assert out["abandonment"].tolist() == [0.0]


def test_compare_staffing_counts_agents_planned_where_none_are_required():
    phone = channel("phone")
    required = staffing.required_staff(load([(0, 8, 60.0, 60.0, True)]), [phone], interval_min=60)  # 3 scheduled
    # 3 agents at 07:00, before the staffed hours, and 3 at 08:00
    plan = pd.DataFrame({"channel": "phone", "weekday": "mon", "interval_start": [420, 480], "agents": [3, 3]})
    out = staffing.compare_staffing(required, plan, [phone], interval_min=60)
    assert out["slot"].tolist() == [7, 8]  # in week order
    early = out.iloc[0]
    assert (early["interval_start"], early["scheduled"], early["actual"], early["gap"]) == ("07:00", 0, 3, -3)
    assert early["gap_cost_per_year"] == pytest.approx(-3 * 400 * 365.25 / 7)  # three agent-hours a week too many
    assert not early["staffed"] and early["model"] == "erlang_c"
    assert math.isnan(early["actual_service_level"])  # no arrivals modelled there
    assert out.iloc[1]["gap"] == 0
