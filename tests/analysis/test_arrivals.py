"""cxlib.analysis.arrivals against hand-worked values on tiny hand-built tables."""

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import arrivals
from cxlib.config import Channel

Z = 1.959963984540054  # two-sided 95 % normal quantile


def channel(id_, kind="queue", opening_hours=None, **kw):
    return Channel(id=id_, name=id_.title(), kind=kind,
                   opening_hours=opening_hours or {"mon-fri": "08:00-17:00"},
                   service_level={"share": 0.8, "within_s": 60}, shrinkage=0.3, max_occupancy=0.85,
                   cost_per_agent_hour=400, cost_per_contact=50, **kw)


def stamps(*texts):
    return pd.Series(pd.to_datetime(list(texts), format="ISO8601"))


def wilson_by_hand(k, n):
    # centre = (k + z²/2)/(n + z²), half = z/(n + z²)·√(k(n − k)/n + z²/4)
    z2 = Z * Z
    centre = (k + z2 / 2) / (n + z2)
    half = Z / (n + z2) * math.sqrt(k * (n - k) / n + z2 / 4)
    return max(centre - half, 0.0), min(centre + half, 1.0)


def test_weekday_dates_two_full_weeks():
    # 2025-01-01 (Wed) … 2025-01-14 (Tue): 14 days = two of every weekday
    assert arrivals.weekday_dates("2025-01-01", "2025-01-14").tolist() == [2.0] * 7


def test_weekday_dates_partial_weeks():
    # Wed 1, Thu 2, Fri 3, Sat 4, Sun 5, Mon 6, Tue 7, Wed 8, Thu 9, Fri 10:
    # Mon 1, Tue 1, Wed 2, Thu 2, Fri 2, Sat 1, Sun 1
    assert arrivals.weekday_dates("2025-01-01", "2025-01-10").tolist() == [1, 1, 2, 2, 2, 1, 1]
    # times of day are ignored: both ends count whole days
    assert arrivals.weekday_dates("2025-01-01 23:00", "2025-01-01 01:00").tolist() == [0, 0, 1, 0, 0, 0, 0]


def test_slots_and_slot_start():
    # 1440 / 30 = 48, 1440 / 15 = 96
    assert arrivals.slots_per_day(30) == 48
    assert arrivals.slots_per_day(15) == 96
    # slot 16 × 30 min = 480 min = 08:00; slot 33 = 990 min = 16:30; slot 1 × 15 = 00:15
    assert arrivals.slot_start([16, 33, 0], 30).tolist() == ["08:00", "16:30", "00:00"]
    assert arrivals.slot_start([1], 15).tolist() == ["00:15"]
    assert arrivals.slot_start([], 30).tolist() == []


def test_hours_grid_office_hours():
    hours = channel("phone").open_minutes()  # {0..4: (480, 1020)}
    grid = arrivals.hours_grid(hours, 30)
    assert grid.shape == (7, 48)
    # 480 // 30 = 16 … ceil(1020 / 30) = 34 (exclusive): slots 16..33 on mon-fri
    expected = np.zeros((7, 48), bool)
    expected[0:5, 16:34] = True
    assert (grid == expected).all()
    assert grid.sum() == 5 * 18


def test_hours_grid_partial_interval_overlaps():
    # 08:15-09:00 on Monday: 495 // 30 = 16 … ceil(540 / 30) = 18 → slots 16, 17
    grid = arrivals.hours_grid({0: (495, 540)}, 30)
    assert np.flatnonzero(grid[0]).tolist() == [16, 17]
    assert grid[1:].sum() == 0


def test_within_hours_edge_minutes():
    hours = channel("phone").open_minutes()
    # 2025-01-06 is a Monday, 2025-01-11 a Saturday
    at = stamps("2025-01-06 07:59", "2025-01-06 08:00", "2025-01-06 16:59:59", "2025-01-06 17:00",
                "2025-01-11 10:00")
    assert arrivals.within_hours(at, hours).tolist() == [False, True, True, False, False]


def test_next_opening():
    hours = channel("phone").open_minutes()
    at = stamps("2025-01-10 18:00",  # Friday evening → Monday 2025-01-13 08:00
                "2025-01-08 10:30",  # Wednesday, inside: unchanged
                "2025-01-06 06:15",  # Monday before opening → same day 08:00
                "2025-01-10 17:00:30",  # Friday closing minute (out) → Monday 08:00, seconds dropped
                "2025-01-12 23:59")  # Sunday night → Monday 2025-01-13 08:00
    out = arrivals.next_opening(at, hours)
    assert out.tolist() == list(pd.to_datetime(["2025-01-13 08:00", "2025-01-08 10:30", "2025-01-06 08:00",
                                                "2025-01-13 08:00", "2025-01-13 08:00"]))


def test_next_opening_never_open():
    with pytest.raises(ValueError):
        arrivals.next_opening(stamps("2025-01-06 10:00"), {})


def test_demand_by_interval():
    phone, chat = channel("phone"), channel("chat")
    contacts = pd.DataFrame({"channel": ["phone"] * 4 + ["email"],
                             "opened_at": pd.to_datetime(["2025-01-06 08:10", "2025-01-06 08:20",  # Mon, slot 16
                                                          "2025-01-13 08:05",  # the other Monday, slot 16
                                                          "2025-01-08 09:00",  # Wed, slot 18
                                                          "2025-01-08 09:00"])})
    out = arrivals.demand_by_interval(contacts, [phone, chat], interval_min=30, start="2025-01-01",
                                      end="2025-01-14")
    # only phone has contacts; a full week of 7 × 48 rows
    assert out["channel"].unique().tolist() == ["phone"]
    assert len(out) == 7 * 48
    assert out["contacts"].sum() == 4
    row = out.set_index(["weekday", "slot"])
    # Monday 08:00: 3 contacts over the 2 Mondays of the period = 1.5 a day
    assert row.loc[(0, 16), "contacts"] == 3
    assert row.loc[(0, 16), "per_day"] == pytest.approx(1.5)
    assert row.loc[(0, 16), "interval_start"] == "08:00"
    # Wednesday 09:00: 1 contact / 2 Wednesdays = 0.5
    assert row.loc[(2, 18), "per_day"] == pytest.approx(0.5)
    assert row.loc[(2, 18), "interval_start"] == "09:00"
    assert bool(row.loc[(2, 18), "open"])
    assert not bool(row.loc[(5, 20), "open"])  # Saturday 10:00 closed
    assert not bool(row.loc[(0, 34), "open"])  # Monday 17:00 closed
    assert out["open"].sum() == 5 * 18


def test_demand_by_interval_weekday_without_dates_is_unknown():
    # the period is one Monday only: the other weekdays have no dates, so their typical day is unknown, not 0
    contacts = pd.DataFrame({"channel": ["phone"], "opened_at": pd.to_datetime(["2025-01-06 08:00"])})
    out = arrivals.demand_by_interval(contacts, [channel("phone")], interval_min=60, start="2025-01-06",
                                      end="2025-01-06")
    assert len(out) == 7 * 24
    monday = out["weekday"] == 0
    assert out.loc[monday, "per_day"].sum() == 1.0  # 1 contact / 1 Monday; the other Monday hours 0
    assert not out.loc[monday, "per_day"].isna().any()
    assert out.loc[~monday, "per_day"].isna().all()


def test_outside_hours_counts_and_wilson():
    phone = channel("phone")
    email = channel("email", kind="async", opening_hours="24/7")
    contacts = pd.DataFrame({"channel": ["phone"] * 4 + ["email"] * 2,
                             "opened_at": pd.to_datetime(["2025-01-06 08:00",  # Mon in
                                                          "2025-01-06 17:00",  # Mon closing minute: out
                                                          "2025-01-11 10:00",  # Sat: out
                                                          "2025-01-07 12:00",  # Tue in
                                                          "2025-01-11 03:00", "2025-01-12 23:00"])})
    out = arrivals.outside_hours(contacts, [phone, email]).set_index("channel")
    assert out.loc["phone", "contacts"] == 4
    assert out.loc["phone", "outside"] == 2
    assert out.loc["phone", "value"] == pytest.approx(0.5)  # 2 / 4
    low, high = wilson_by_hand(2, 4)
    assert out.loc["phone", "low"] == pytest.approx(low)
    assert out.loc["phone", "high"] == pytest.approx(high)
    # 24/7 async: nothing outside by definition; Wilson of 0/2 has low 0
    assert out.loc["email", "outside"] == 0
    assert out.loc["email", "value"] == 0
    assert out.loc["email", "low"] == pytest.approx(0.0)
    assert out.loc["email", "high"] == pytest.approx(wilson_by_hand(0, 2)[1])
    assert out.loc["email", "kind"] == "async"


def test_use_while_queues_closed():
    phone = channel("phone")
    chat = channel("chat", opening_hours={"sat": "10:00-11:00"})  # a second queue, open Saturday 10-11
    email = channel("email", kind="async", opening_hours="24/7")
    web = channel("web", kind="self-service", opening_hours="24/7")
    use = pd.DataFrame({"channel": ["email"] * 6 + ["web"] * 2 + ["phone"],
                        "at": pd.to_datetime(["2025-01-06 07:30", "2025-01-13 07:45",  # Mon 07 h, both closed
                                              "2025-01-06 10:00",  # Mon 10:00, phone open
                                              "2025-01-11 10:15",  # Sat 10:15, chat open
                                              "2025-01-11 11:00", "2025-01-18 11:30",  # Sat 11 h, both closed
                                              "2025-01-06 12:00", "2025-01-05 12:00",  # web: Mon open, Sun closed
                                              "2025-01-05 12:00"])})
    out = arrivals.use_while_queues_closed(use, [phone, chat, email, web]).set_index("channel")
    # queue channels are not listed
    assert sorted(out.index) == ["email", "web"]
    # email: closed at Mon 07:30, Mon 07:45, Sat 11:00, Sat 11:30 = 4 of 6
    assert out.loc["email", "total"] == 6
    assert out.loc["email", "while_closed"] == 4
    assert out.loc["email", "value"] == pytest.approx(4 / 6)
    low, high = wilson_by_hand(4, 6)
    assert out.loc["email", "low"] == pytest.approx(low)
    assert out.loc["email", "high"] == pytest.approx(high)
    # busiest closed hours: Mon 07 h (2) and Sat 11 h (2), tie kept in hour-of-week order; nothing else
    assert out.loc["email", "busiest"] == [(0, 7, 2), (5, 11, 2)]
    # web: 1 of 2 (the Sunday)
    assert out.loc["web", "value"] == pytest.approx(0.5)
    assert out.loc["web", "busiest"] == [(6, 12, 1)]


def test_use_while_queues_closed_top_and_no_queues():
    email = channel("email", kind="async", opening_hours="24/7")
    use = pd.DataFrame({"channel": ["email"] * 3, "at": pd.to_datetime(
        ["2025-01-05 01:00", "2025-01-05 01:10", "2025-01-05 02:00"])})
    assert arrivals.use_while_queues_closed(use, [email]).empty  # no queue channels
    out = arrivals.use_while_queues_closed(use, [channel("phone"), email], top=1)
    # Sunday 01 h has 2, 02 h has 1; top=1 keeps the first
    assert out.loc[0, "busiest"] == [(6, 1, 2)]
    assert out.loc[0, "while_closed"] == 3
