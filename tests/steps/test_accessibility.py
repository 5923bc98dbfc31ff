"""Step 04's view on a tiny hand-built workspace: its parts agree with the analyses and with hand counts.

One week, 2025-01-06 (Monday) to 2025-01-12, one-hour intervals. Phone is open on weekdays 08–17:

- Monday 08:00: 150 answered after 10 s, 50 after 120 s, 10 abandoned after 30 s (210 offered);
- Tuesday 10:00: 100 answered after 5 s;
- Saturday 10:00: one call outside the opening hours, neither answered nor abandoned.

E-mail (async, 24/7, staffed weekdays 08–17): 10 contacts on Monday 12:00 answered after an hour.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import staffing
from cxlib.config import ClientConfig
from cxlib.io.scenarios import ChannelShift, Scenarios
from cxlib.io.workspace import Workspace
from cxlib.steps.accessibility import view

MONDAY_8 = pd.Timestamp("2025-01-06 08:00")
TUESDAY_10 = pd.Timestamp("2025-01-07 10:00")
SATURDAY_10 = pd.Timestamp("2025-01-11 10:00")
MONDAY_12 = pd.Timestamp("2025-01-06 12:00")

CONFIG = {
    "name": "Test AB", "language": "en", "period": {"start": "2025-01-06", "end": "2025-01-12"},
    "staffing_interval_min": 60, "currency": "SEK",
    "channels": [
        {"id": "phone", "name": "Phone", "kind": "queue", "opening_hours": {"mon-fri": "08:00-17:00"},
         "service_level": {"share": 0.8, "within_s": 60}, "shrinkage": 0.3, "cost_per_agent_hour": 400,
         "cost_per_contact": 60},
        {"id": "email", "name": "E-mail", "kind": "async", "opening_hours": "24/7",
         "staffed_hours": {"mon-fri": "08:00-17:00"}, "service_level": {"share": 0.8, "within_s": 86400},
         "shrinkage": 0.3, "cost_per_contact": 40},
        {"id": "web", "name": "Web", "kind": "self-service", "cost_per_contact": 2},
    ]}


def contacts() -> pd.DataFrame:
    rows = []  # (channel, opened, answered after s, abandoned after s, reason)
    for i in range(210):
        at = MONDAY_8 + pd.Timedelta(seconds=15 * i)
        answer, abandon = (10, None) if i < 150 else (120, None) if i < 200 else (None, 30)
        rows.append(("phone", at, answer, abandon, "invoice" if i % 2 else "move"))
    rows += [("phone", TUESDAY_10 + pd.Timedelta(seconds=30 * i), 5, None, "move") for i in range(100)]
    rows.append(("phone", SATURDAY_10, None, None, "move"))
    rows += [("email", MONDAY_12 + pd.Timedelta(minutes=i), 3600, None, "invoice") for i in range(10)]
    opened = pd.Series([r[1] for r in rows])
    return pd.DataFrame({
        "contact_id": [f"C{i:04d}" for i in range(len(rows))],
        "channel": [r[0] for r in rows], "opened_at": opened,
        "first_response_at": [o + pd.Timedelta(seconds=r[2]) if r[2] is not None else pd.NaT
                              for o, r in zip(opened, rows)],
        "abandoned": [r[3] is not None for r in rows],
        "abandoned_at": [o + pd.Timedelta(seconds=r[3]) if r[3] is not None else pd.NaT for o, r in zip(opened, rows)],
        "handle_time_s": [np.nan if r[3] is not None else 300.0 if r[0] == "email" else 180.0 for r in rows],
        "reason": [r[4] for r in rows],
    })


CHANNEL_KPIS = pd.DataFrame({"channel": ["phone", "email", "web"], "kpi": "nps", "value": [-10.0, 5.0, 30.0],
                             "low": [-20.0, -5.0, 20.0], "high": [0.0, 15.0, 40.0], "n": [300, 200, 250]})


def workspace(*, plan=None, scenarios=Scenarios(), extra: pd.DataFrame | None = None) -> Workspace:
    tables = {"contacts": pd.concat([contacts(), extra], ignore_index=True) if extra is not None else contacts()}
    if plan is not None:
        tables["staffing"] = plan
    return Workspace(Path("test-workspace"), ClientConfig.model_validate(CONFIG), tables, {}, scenarios=scenarios)


def test_demand_outside_hours_and_service_by_hand():
    v = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS)
    outside = v.outside_hours.set_index("channel")
    assert (outside.loc["phone", "contacts"], outside.loc["phone", "outside"]) == (311, 1)  # the Saturday call
    # service per open interval: the Saturday interval is closed and left out
    service = v.service.set_index(["weekday", "slot"])
    assert sorted(service.index) == [(0, 8), (1, 10)]
    assert service.loc[(0, 8), "n"] == 210
    assert service.loc[(0, 8), "service_level"] == pytest.approx(150 / 210)  # abandoned and late count against
    assert service.loc[(0, 8), "abandonment"] == pytest.approx(10 / 210)
    assert service.loc[(0, 8), "asa_s"] == pytest.approx((150 * 10 + 50 * 120) / 200)
    assert service.loc[(1, 10), "service_level"] == 1.0
    # over the period: 250 within 60 s of all 311 offered, the Saturday call too
    assert v.service_by_channel.set_index("channel").loc["phone", "service_level"] == pytest.approx(250 / 311)
    worst = v.worst.iloc[0]
    assert (worst["channel"], worst["when"]) == ("phone", "Monday 08:00–09:00")
    assert v.when(2, 23) == "Wednesday 23:00–24:00"
    assert view(workspace(), lang="sv", channel_kpis=CHANNEL_KPIS).when(0, 8) == "måndag 08:00–09:00"


def test_patience_and_erlang_a_staffing():
    v = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS)
    # waited: 150 × 10 + 50 × 120 + 10 × 30 + 100 × 5 = 8300 s over 10 abandonments; the Saturday call is unknown
    assert v.patience_s == {"phone": pytest.approx(830.0)}
    required = v.required
    phone = required[required["channel"] == "phone"]
    assert phone["model"].unique().tolist() == ["erlang_a"]
    assert len(phone) == 5 * 9  # staffed weekdays 08–17
    # the same as the analysis on the view's own load, with the patience found
    direct = staffing.required_staff(v.load, v.channels, interval_min=60, patience={"phone": 830.0})
    pd.testing.assert_frame_equal(required.reset_index(drop=True), direct.reset_index(drop=True))
    assert required[required["channel"] == "email"]["model"].unique().tolist() == ["workload"]


def test_channel_value_shares_and_nps():
    value = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS).channel_value.set_index("channel")
    assert value.loc["phone", "volume"] == 311
    assert value.loc["phone", "share"] == pytest.approx(311 / 321)
    assert value.loc["email", "share"] == pytest.approx(10 / 321)
    assert np.isnan(value.loc["web", "share"])  # self-service is not a share of contacts
    assert value.loc["web", "nps"] == 30.0
    assert (value.loc["phone", "nps_low"], value.loc["phone", "nps_high"]) == (-20.0, 0.0)


def test_overridden_shrinkage_schedules_more():
    plain = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS)
    heavier = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS, channels={"phone": {"shrinkage": 0.5}})
    # the same productive agents, ⌈agents / 0.5⌉ scheduled instead of ⌈agents / 0.7⌉
    assert (heavier.required["agents"].to_numpy() == plain.required["agents"].to_numpy()).all()
    phone = heavier.required["channel"] == "phone"
    assert (heavier.required.loc[phone, "scheduled"] == np.ceil(heavier.required.loc[phone, "agents"] / 0.5)).all()
    fte = {name: v.fte.set_index("channel").loc["phone", "fte"] for name, v in (("plain", plain), ("heavier", heavier))}
    assert fte["heavier"] > fte["plain"]
    assert plain.ws.config.channel("phone").shrinkage == 0.3  # the workspace itself is untouched


def test_staffing_plan_summary_finding_and_replan_candidate():
    # two agents scheduled on Monday 08:00 only
    plan = pd.DataFrame({"channel": ["phone"], "weekday": ["mon"], "interval_start": [480], "agents": [2]})
    v = view(workspace(plan=plan), lang="en", channel_kpis=CHANNEL_KPIS)
    gaps = v.staffing_gaps
    assert gaps["channel"].unique().tolist() == ["phone"]
    monday = gaps[(gaps["weekday"] == 0) & (gaps["slot"] == 8)].iloc[0]
    assert monday["actual"] == 2
    assert monday["gap"] == monday["scheduled"] - 2
    summary = v.staffing_summary.set_index("channel")
    required_hours = v.required.loc[v.required["channel"] == "phone", "scheduled"].sum()  # one-hour intervals
    assert summary.loc["phone", "under_hours"] == pytest.approx(required_hours - 2)
    assert summary.loc["phone", "fte_scheduled"] == pytest.approx(2 / 40)
    assert summary.loc["phone", "cost_per_year"] == pytest.approx((required_hours - 2) * 400 * 365.25 / 7)
    candidate = next(c for c in v.candidates if c.id == "04-replan-phone")
    assert candidate.mechanism == "service_level"
    assert candidate.effects["fte"].value == pytest.approx(summary.loc["phone", "fte_required"] - 2 / 40)
    texts = {f.id: f.text for f in v.findings}
    assert texts["sl_phone"].startswith("Phone meets its target of 80% answered within")
    assert "Monday 08:00–09:00" in texts["sl_phone"]
    required_fte = summary.loc["phone", "fte_required"]
    cost = f"{summary.loc['phone', 'cost_per_year']:,.0f}"
    assert texts["plan_phone"] == (
        f"Phone: demand needs {required_fte:.1f} FTE, the schedule has 0.1; {required_hours - 2:.0f} agent-hours a "
        f"week are missing where customers are and 0 are where they are not needed (net cost of putting it right: "
        f"{cost}\u00a0SEK a year).")


def test_client_scenario_becomes_a_candidate():
    shift = ChannelShift(id="invoice_to_web", name="Invoices on the web", from_channel="phone", to_channel="email",
                         reason="invoice", share=0.5, owner="billing")
    v = view(workspace(scenarios=Scenarios(channel_shift=(shift,))), lang="en", channel_kpis=CHANNEL_KPIS)
    row = v.scenarios.set_index("id").loc["invoice_to_web"]
    # 105 phone contacts on Monday 08:00 are about invoices; half move, over a year of one-week periods
    assert row["moved_per_year"] == pytest.approx(105 * 0.5 * 365.25 / 7)
    assert row["fte_from_after"] <= row["fte_from_before"]
    assert row["fte_to_after"] >= row["fte_to_before"]
    candidate = next(c for c in v.candidates if c.id == "04-shift-invoice_to_web")
    assert (candidate.mechanism, candidate.owner, candidate.name) == ("channel_mix", "billing", "Invoices on the web")
    assert candidate.effects["fte"].value == pytest.approx(row["fte"])


def test_use_while_the_queue_is_closed():
    v = view(workspace(), lang="en", channel_kpis=CHANNEL_KPIS)
    assert v.while_closed.set_index("channel").loc["email", "while_closed"] == 0  # all e-mail while phone is open
    assert "while_closed" not in {f.id for f in v.findings}  # nothing to say
    saturday = contacts().query("channel == 'email'").head(2).assign(
        opened_at=[pd.Timestamp("2025-01-11 09:10"), pd.Timestamp("2025-01-11 09:40")], first_response_at=pd.NaT)
    v = view(workspace(extra=saturday), lang="en", channel_kpis=CHANNEL_KPIS)
    row = v.while_closed.set_index("channel").loc["email"]
    assert (row["total"], row["while_closed"]) == (12, 2)
    texts = {f.id: f.text for f in v.findings}
    assert texts["while_closed"] == "17% of the use of E-mail happens while Phone is closed, most on Saturday 09:00."
