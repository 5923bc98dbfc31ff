"""Step 01 computations on a small hand-made workspace (values worked by hand)."""

import datetime as dt

import pandas as pd
import pytest

from cxlib.config import ClientConfig
from pathlib import Path

from cxlib.io.workspace import Workspace
from cxlib.steps.base import Filters, apply_filters
from cxlib.steps.current_state import contact_volume, view

CONFIG = ClientConfig.model_validate({
    "name": "Test AB", "language": "en",
    "period": {"start": "2025-01-01", "end": "2025-02-28"},
    "channels": [{"id": "phone", "name": "Telephone", "kind": "queue"},
                 {"id": "email", "name": "E-mail", "kind": "async"}],
    "stages": [{"id": "pay", "name": "Pay", "touchpoints": ["invoice"]},
               {"id": "help", "name": "Help", "touchpoints": ["support"]}],
})

# phone: 10 9 9 8 7 → 3 promoters, 0 detractors of 5 → NPS +60
# email:  6 5 10 3 9 → 2 promoters, 3 detractors of 5 → NPS −20; overall 5 − 3 of 10 → +20
FEEDBACK = pd.DataFrame({
    "response_id": [f"r{i}" for i in range(10)],
    "date": pd.to_datetime(["2025-01-05"] * 5 + ["2025-02-10"] * 5),
    "channel": ["phone"] * 5 + ["email"] * 5,
    "touchpoint": ["support", "support", "invoice", "invoice", "support",
                   "invoice", "invoice", "support", "invoice", "support"],
    "segment": ["a", "b"] * 5,
    "nps": pd.array([10, 9, 9, 8, 7, 6, 5, 10, 3, 9], dtype="Int64"),
})
CONTACTS = pd.DataFrame({
    "contact_id": ["c1", "c2", "c3", "c4"],
    "opened_at": pd.to_datetime(["2025-01-02 09:00", "2025-01-03 10:00", "2025-01-04 11:00", "2025-02-01 12:00"]),
    "channel": ["phone", "phone", "email", "email"],
    "reason": ["bill", "bill", "move", "bill"],
})
TABLES = {"feedback": FEEDBACK, "contacts": CONTACTS}
WS = Workspace(Path("test-workspace"), CONFIG, TABLES, {})


def value(table, kpi, **where):
    rows = table[table["kpi"] == kpi]
    for col, v in where.items():
        rows = rows[rows[col] == v]
    return float(rows["value"].iloc[0])


def test_baseline_values_by_scope():
    state = view(WS)
    assert value(state.overall, "nps") == pytest.approx(20)
    assert value(state.by_channel, "nps", channel="phone") == pytest.approx(60)
    assert value(state.by_channel, "nps", channel="email") == pytest.approx(-20)
    # invoice: 9 8 6 5 3 → 1 promoter, 3 detractors → −40; support: 10 9 7 10 9 → 4, 0 → +80
    assert value(state.by_touchpoint, "nps", touchpoint="invoice") == pytest.approx(-40)
    assert value(state.monthly, "nps", month="2025-01") == pytest.approx(60)
    assert state.value("nps") == pytest.approx(20)
    assert list(state.journey["touchpoint"]) == ["invoice", "support"]
    assert list(state.journey["stage"]) == ["Pay", "Help"]
    assert state.maturity is None


def test_filters_narrow_every_table():
    data = apply_filters(TABLES, Filters(channel="email"))
    assert len(data["feedback"]) == 5 and set(data["contacts"]["contact_id"]) == {"c3", "c4"}
    state = view(WS, filters=Filters(channel="phone", segment="a"))
    # phone & segment a: rows 0, 2, 4 → 10, 9, 7 → 2 promoters of 3 → +66.7
    assert value(state.overall, "nps") == pytest.approx(200 / 3)
    state = view(WS, filters=Filters(start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28)))
    assert value(state.overall, "nps") == pytest.approx(-20)


def test_contact_volume_by_month_and_channel():
    v = contact_volume(CONTACTS)
    assert sorted(map(tuple, v[["month", "channel", "n"]].to_numpy().tolist())) == [
        ("2025-01", "email", 1), ("2025-01", "phone", 2), ("2025-02", "email", 1)]
    assert contact_volume(CONTACTS, end=dt.date(2025, 1, 31))["n"].sum() == 3
    assert list(contact_volume(None).columns) == ["month", "channel", "n"]


def test_findings_use_computed_values_and_channel_names():
    findings = {f.id: f for f in view(WS).findings}
    assert findings["nps_overall"].value == pytest.approx(20)
    assert findings["nps_overall"].text.startswith("NPS is +20 (95% confidence interval")
    assert "based on 10 responses" in findings["nps_overall"].text
    best = findings["channel_best"]
    assert best.value == pytest.approx(60) and "Telephone at NPS +60" in best.text
    assert "+80 points" in best.text  # +60 against the other channel's −20
    assert findings["journey_low"].text.startswith(
        "The lowest point of the journey is the touchpoint invoice (Pay) at NPS -40")
    assert findings["volume_top"].value == pytest.approx(0.5)


def test_segment_filter_reaches_contacts_through_customers():
    customers = pd.DataFrame({"customer_id": pd.array(["k1", "k2", None], dtype="str"), "segment": ["a", "b", "a"]})
    contacts = CONTACTS.assign(customer_id=pd.array(["k1", "k2", None, "k1"], dtype="str"))
    data = apply_filters({"feedback": FEEDBACK, "contacts": contacts, "customers": customers}, Filters(segment="a"))
    # k1's contacts; the unknown customer is not in segment a
    assert list(data["contacts"]["contact_id"]) == ["c1", "c4"]
    assert list(data["feedback"]["segment"].unique()) == ["a"]
