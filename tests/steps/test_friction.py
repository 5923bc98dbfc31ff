"""Step 05's view on a tiny hand-built workspace: funnels, gaps, repeats and failed journeys by hand.

One week, 2025-01-06 to 2025-01-12 (years = 7 / 365.25). Journey "buy" has three steps,
start → details → pay, and 100 sessions enter on each of desktop and mobile on Monday:

- desktop: 80 reach details, 60 of them pay;
- mobile: 80 reach details, 20 of them pay.

Every mobile session belongs to a customer. Of the 60 mobile sessions that stopped before
"pay", 15 customers open a chat about "payment" 12 hours after their last step (within the
2-day window); 5 others only after 3 days (outside it). Ten of the 15 chats, marked resolved at
first contact, are followed two days later by a phone contact about the same reason.

Feedback: 60 responses at "checkout" with CES 2, 40 at "invoice" with CES 6 and 30 at "app"
with CES 5, then 10 at "other" with CES 4 (a small sample). The judged medians are CES 5 and
40 responses, so only "checkout" is both harder and busier than the median.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib.config import ClientConfig
from cxlib.io.workspace import Workspace
from cxlib.stats.proportion import two_proportions
from cxlib.steps.friction import Friction, view

MONDAY = pd.Timestamp("2025-01-06 09:00")
YEARS = 7 / 365.25
CONFIG = {
    "name": "Test AB", "language": "en", "period": {"start": "2025-01-06", "end": "2025-01-12"},
    "currency": "SEK", "departments": [{"id": "web", "name": "Web team"}],
    "journey_owners": {"buy": "web"},
    "channels": [
        {"id": "phone", "name": "Phone", "kind": "queue", "opening_hours": "24/7",
         "service_level": {"share": 0.8, "within_s": 60}, "cost_per_agent_hour": 400},
        {"id": "chat", "name": "Chat", "kind": "queue", "opening_hours": "24/7",
         "service_level": {"share": 0.8, "within_s": 60}, "cost_per_agent_hour": 400},
    ]}
STEPS = ("start", "details", "pay")


def journeys() -> pd.DataFrame:
    rows = []  # session, device, customer, steps reached
    for device, details, pay in (("desktop", 80, 60), ("mobile", 80, 20)):
        for i in range(100):
            reached = 3 if i < pay else 2 if i < details else 1
            customer = f"M{i:03d}" if device == "mobile" else None
            rows += [(f"{device}-{i}", device, customer, k) for k in range(1, reached + 1)]
    return pd.DataFrame({
        "session_id": [r[0] for r in rows], "journey": "buy", "step": [STEPS[r[3] - 1] for r in rows],
        "step_order": pd.array([r[3] for r in rows], dtype="Int64"),
        "timestamp": [MONDAY + pd.Timedelta(minutes=r[3]) for r in rows],
        "device": [r[1] for r in rows], "customer_id": [r[2] for r in rows]})


def contacts() -> pd.DataFrame:
    # mobile sessions 20–79 stopped at details (last step at 09:02); customers M020 … M034 chat 12 h later
    last = MONDAY + pd.Timedelta(minutes=2)
    rows = [(f"M{i:03d}", "chat", last + pd.Timedelta(hours=12), i < 30) for i in range(20, 35)]
    rows += [(f"M{i:03d}", "chat", last + pd.Timedelta(days=3), False) for i in range(35, 40)]
    rows += [(f"M{i:03d}", "phone", last + pd.Timedelta(hours=12, days=2), True) for i in range(20, 30)]
    opened = pd.Series([r[2] for r in rows])
    return pd.DataFrame({
        "contact_id": [f"C{i:03d}" for i in range(len(rows))], "channel": [r[1] for r in rows], "opened_at": opened,
        "first_response_at": opened + pd.Timedelta(seconds=20), "handle_time_s": 300.0, "reason": "payment",
        "customer_id": [r[0] for r in rows], "resolved_first_contact": [r[3] for r in rows]})


def feedback() -> pd.DataFrame:
    points = ["checkout"] * 60 + ["invoice"] * 40 + ["app"] * 30 + ["other"] * 10
    ces = [2] * 60 + [6] * 40 + [5] * 30 + [4] * 10
    return pd.DataFrame({"response_id": [f"R{i}" for i in range(len(points))],
                         "date": pd.Timestamp("2025-01-08"), "channel": "chat", "nps": 7, "ces": ces,
                         "touchpoint": points})


def workspace() -> Workspace:
    tables = {"journeys": journeys(), "contacts": contacts(), "feedback": feedback()}
    return Workspace(Path("test-workspace"), ClientConfig.model_validate(CONFIG), tables, {})


@pytest.fixture(scope="module")
def v():
    return view(workspace(), lang="en")


def test_funnel_by_hand(v):
    f = v.funnel.set_index("step_name")
    assert f["sessions"].tolist() == [200, 160, 80]
    assert f["drop_off"].tolist() == [0, 40, 80]
    assert f.loc["pay", "conversion"] == pytest.approx(80 / 160)
    assert f.loc["pay", "from_first"] == pytest.approx(80 / 200)
    assert f.loc["details", "median_s"] == 60.0  # one minute between the events


def test_mobile_gap_lost_sessions_and_holm(v):
    gaps = v.device_gaps.set_index("step_name")
    pay = gaps.loc["pay"]
    assert (pay["conversion"], pay["reference_conversion"]) == (pytest.approx(20 / 80), pytest.approx(60 / 80))
    assert pay["gap"] == pytest.approx(-0.5)
    # 80 mobile sessions reached details; 0.5 of them more would have paid at desktop's conversion
    assert pay["lost"] == pytest.approx(40)
    assert pay["lost_per_year"] == pytest.approx(40 / YEARS)
    # Holm over the two steps: details has no gap (p = 1), so pay's p is doubled (the smallest of two)
    raw = two_proportions(20, 80, 60, 80).p_value
    assert pay["p_adjusted"] == pytest.approx(min(1.0, 2 * raw))
    assert gaps.loc["details", "gap"] == pytest.approx(0.0)
    assert gaps.loc["details", "lost"] == 0


def test_contacts_after_dropped_sessions(v):
    rates = v.dropout_rates.set_index(["step", "device"])
    pay = rates.loc[(3, "mobile")]
    # 60 mobile sessions stopped before pay; 15 customers chatted within 2 days, the 5 after 3 days do not count
    assert (pay["dropped"], pay["contacted"]) == (60, 15)
    assert pay["value"] == pytest.approx(15 / 60)
    assert rates.loc[(2, "mobile"), "contacted"] == 0
    saved = v.result().tables["failed_journey_contacts"]
    assert len(saved) == 15 and {row["channel"] for row in saved} == {"chat"}
    assert set(saved[0]) == {"contact_id", "journey", "step", "device", "channel"}


def test_repeats_hops_and_resolution(v):
    reason = v.repeats_by_reason.set_index("reason").loc["payment"]
    # 30 contacts; 10 chats are followed by a phone contact about the same reason within 7 days
    assert (reason["contacts"], reason["followed"], reason["hops"]) == (30, 10, 10)
    assert reason["value"] == pytest.approx(10 / 30)
    assert reason["extra_handle_s"] == pytest.approx(10 * 300)
    hops = v.hops.set_index(["from_channel", "to_channel"])
    assert hops.loc[("chat", "phone"), "repeats"] == 10
    overall = v.resolution_overall.iloc[0]
    # 20 of the 30 contacts are marked resolved; the 10 resolved chats came back, so 10 held
    assert overall["fcr"] == pytest.approx(20 / 30)
    assert overall["held"] == pytest.approx(10 / 30)


def test_effort_hotspot_and_small_sample(v):
    e = v.effort.set_index("touchpoint")
    assert e.loc["checkout", "ces"] == 2.0 and e.loc["invoice", "ces"] == 6.0
    assert (e.loc["checkout", "ces_cut"], e.loc["checkout", "volume_cut"]) == (5.0, 40.0)
    assert e["quadrant"].tolist()[:3] == ["fix_first", "low", "low"]
    assert e.index[0] == "checkout"
    assert bool(e.loc["other", "small"]) and not bool(e.loc["checkout", "small"])


def test_candidates_have_numeric_effects_and_owners(v):
    by_id = {c.id: c for c in v.candidates}
    journey = by_id["05-journey-buy-3-mobile"]
    assert journey.owner == "web"
    assert journey.effects["sessions_recovered_per_year"].value == pytest.approx(40 / YEARS)
    # 40 of the 60 drop-outs recovered: 2/3 of the 15 contacts after them are avoided
    assert journey.effects["contacts_per_year"].value == pytest.approx(-10 / YEARS)
    assert journey.effects["fte"].value <= 0
    repeat = by_id["05-repeat-payment"]
    assert repeat.effects["contacts_per_year"].value == pytest.approx(-10 / YEARS)
    assert "05-effort-checkout" in by_id


def test_findings_speak_of_the_gap(v):
    texts = {f.id: f.text for f in v.findings}
    assert texts["mobile_gap_buy_3"].startswith('On mobile, 25% (')
    assert 'against 75% on desktop' in texts["mobile_gap_buy_3"]
    assert "25% of the customers who stop there contact us within 2 days" in texts["mobile_gap_buy_3"]


def test_other_windows_share_what_they_do_not_touch(v):
    wider = v.with_windows(repeat_window_days=1)
    assert wider.paths is v.paths  # the funnel is not recomputed
    assert wider.repeats_by_reason.set_index("reason").loc["payment", "followed"] == 0  # two days > 1 day
    fresh = view(workspace(), lang="en", repeat_window_days=1)
    pd.testing.assert_frame_equal(wider.repeats_by_reason, fresh.repeats_by_reason)
    with pytest.raises(TypeError):
        v.with_windows(window=3)


def test_sections_without_tables_say_what_they_need():
    ws = workspace()
    bare = Workspace(ws.root, ws.config, {"feedback": feedback()}, {})
    v = view(bare, lang="en")
    assert v.funnel is None and v.repeats_by_reason is None and v.dropout_rates is None
    assert v.missing("funnel") == ["journeys"]
    assert v.effort is not None
    assert np.isfinite(v.effort["ces"]).all()


def test_sessions_count_in_the_period_they_enter():
    # two more desktop sessions: one enters on the period's last evening and pays after midnight (it counts,
    # as converted), one enters the day before the period (left out although it pays inside it)
    ws = workspace()
    last = pd.Timestamp("2025-01-12 23:50")
    extra = pd.DataFrame({
        "session_id": ["late"] * 3 + ["early"] * 3, "journey": "buy", "step": list(STEPS) * 2,
        "step_order": pd.array([1, 2, 3] * 2, dtype="Int64"),
        "timestamp": [last, last + pd.Timedelta(minutes=5), last + pd.Timedelta(minutes=20),
                      MONDAY - pd.Timedelta(days=1), MONDAY, MONDAY + pd.Timedelta(minutes=1)],
        "device": "desktop", "customer_id": None})
    tables = {**ws.tables, "journeys": pd.concat([ws.tables["journeys"], extra], ignore_index=True)}
    v = view(Workspace(ws.root, ws.config, tables, {}), lang="en")
    assert "late" in set(v.paths["session_id"]) and "early" not in set(v.paths["session_id"])
    assert v.paths.set_index("session_id").loc["late", "reached"] == 3
    f = v.funnel.set_index("step_name")
    assert f["sessions"].tolist() == [201, 161, 81]  # the 200 + 160 + 80 of the module docstring, and "late"


@pytest.mark.parametrize("chain", range(len(Friction.CHAINS)))
def test_a_chain_uses_no_part_of_another(chain):
    # compute() runs the chains on threads side by side: a part of one chain must not wait for another's
    fresh = view(workspace(), lang="en")
    for part in fresh.CHAINS[chain]:
        fresh.part(part)
    others = [p for i, c in enumerate(fresh.CHAINS) if i != chain for p in c]
    assert all(fresh.is_computed(p) for p in fresh.CHAINS[chain])
    assert [p for p in others if fresh.is_computed(p)] == []


def test_compute_gives_what_first_use_gives(v):
    fresh = view(workspace(), lang="en")
    assert fresh.compute() is fresh
    assert all(fresh.is_computed(p) for c in fresh.CHAINS for p in c) and fresh.is_computed("candidates")
    ignore = {"created"}
    assert fresh.result().model_dump(exclude=ignore) == v.result().model_dump(exclude=ignore)


def test_compute_raises_the_error_of_a_part(monkeypatch):
    from cxlib.analysis import repeats

    def broken(*args, **kwargs):
        raise ValueError("repeat window broken")

    monkeypatch.setattr(repeats, "repeat_flags", broken)
    with pytest.raises(ValueError, match="repeat window broken"):
        view(workspace(), lang="en").compute()
