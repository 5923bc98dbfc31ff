"""Widgets: they build without a frontend, redraw on change, and save workshop inputs."""

import pandas as pd
import pytest
import yaml

from cxlib.steps import current_state, desired_state
from cxlib.ui import current_state_explorer, desired_state_explorer, period_dates
from cxlib.io.workshop import effective_desired, load_desired, path_for
from cxlib.io.workspace import load_workspace


def test_period_dates():
    assert [str(d) for d in period_dates(("2025-02", "2025-04"))] == ["2025-02-01", "2025-04-30"]


def test_current_state_explorer_redraws_on_every_control(sample_ws):
    box = current_state_explorer(current_state.view(sample_ws, lang="sv"))
    assert set(box.controls) == {"period", "channel", "segment", "kpi"}
    table, by_touchpoint, trend = box.last_items
    fb = sample_ws.table("feedback")
    assert table.iloc[0]["Antal"] == f"{fb['nps'].notna().sum():,}".replace(",", "\u00a0")
    box.controls["channel"].value = "email"
    assert box.last_ms > 0
    table, by_touchpoint, trend = box.last_items
    assert table.iloc[0]["Antal"] == f"{fb.loc[fb['channel'] == 'email', 'nps'].notna().sum():,}".replace(",", "\u00a0")
    box.controls["kpi"].value = "csat"
    assert box.last_items[2].layout.title.text == "Nöjdhet (CSAT) per månad"
    box.controls["period"].value = ("2025-03", "2025-04")
    assert list(box.last_items[2].data[-1].x) == ["2025-03", "2025-04"]


def test_desired_state_explorer_saves_only_edits(sample_copy):
    ws = load_workspace(sample_copy)
    current = pd.DataFrame({"kpi": ["nps", "csat"], "value": [8.0, 0.66], "low": [6.0, 0.65], "high": [10.0, 0.67],
                            "n": [6000, 5000]})
    maturity = ws.table("maturity")
    inputs = effective_desired({"nps": 20, "csat": 0.8}, maturity, load_desired(sample_copy))
    box = desired_state_explorer(desired_state.view(ws, lang="en", inputs=inputs, current=current))
    assert not path_for(sample_copy, "desired_state").exists(), "nothing saved before an edit"
    box.controls["target__nps"].value = 15.0
    gaps = box.last_items[0]
    assert dict(zip(gaps.data[0].y, gaps.data[0].customdata))["NPS"] == pytest.approx((15 - 8) / 200)
    saved = yaml.safe_load(path_for(sample_copy, "desired_state").read_text())
    assert saved["targets"] == {"nps": 15.0, "csat": 0.8}
    assert load_desired(sample_copy).targets["nps"] == 15.0
    area = sorted(maturity["area"].unique())[0]
    box.controls[f"maturity__{area}"].value = 5.0
    assert load_desired(sample_copy).maturity[area] == 5.0
    # the next run starts from what the workshop saved
    again = effective_desired({"nps": 20, "csat": 0.8}, maturity, load_desired(sample_copy))
    assert again.targets["nps"] == 15.0 and again.maturity[area] == 5.0


def test_bad_saved_workshop_file_is_a_clear_error(sample_copy):
    from cxlib.errors import InputError

    path = path_for(sample_copy, "desired_state")
    path.parent.mkdir()
    path.write_text("targets: {npx: 3}\n")
    with pytest.raises(InputError, match="unknown KPI 'npx'"):
        load_desired(sample_copy)


def test_accessibility_explorer_keeps_each_queue_settings_and_the_view_overrides(sample_ws):
    from cxlib.steps import accessibility
    from cxlib.ui import accessibility_explorer

    kpis = pd.DataFrame({"channel": ["phone", "app"], "kpi": "nps", "value": [0.0, 20.0], "low": [-5.0, 15.0],
                         "high": [5.0, 25.0], "n": [500, 500]})
    view = accessibility.view(sample_ws, lang="en", channel_kpis=kpis, channels={"chat": {"shrinkage": 0.5}})
    box = accessibility_explorer(view)
    c = box.controls
    assert (c["source"].value, c["queue"].value, c["shrinkage"].value) == ("phone", "phone", 0.35)

    def fte(channel):
        table = box.last_items[2]
        return float(table.set_index("Channel").loc[view.names[channel], "Required (FTE)"].replace(",", ""))

    # the view's own override of chat holds from the first redraw on: 0.5 shrinkage, not client.yaml's 0.33
    chat_at_half = view.fte.set_index("channel").loc["chat", "fte"]
    assert fte("chat") == pytest.approx(chat_at_half, abs=0.05)
    phone_before = fte("phone")
    c["shrinkage"].value = 0.5  # phone's setting
    assert fte("phone") > phone_before
    assert fte("chat") == pytest.approx(chat_at_half, abs=0.05)
    # switching the queue shows chat's settings and does not carry phone's over
    c["queue"].value = "chat"
    assert (c["shrinkage"].value, c["within_s"].value) == (0.5, 90)
    c["queue"].value = "phone"
    assert c["shrinkage"].value == 0.5  # phone kept its edit
    # a share moved: the scenario's moved contacts follow the slider
    moved = box.last_items[0].iloc[0]
    c["share"].value = 0.6
    assert box.last_items[0].iloc[0]["Contacts moved a year"] != moved["Contacts moved a year"]


def test_friction_explorer_follows_journey_device_period_and_windows(sample_ws):
    from cxlib.steps import friction
    from cxlib.steps.base import Filters
    from cxlib.ui import friction_explorer

    view = friction.view(sample_ws, lang="en")
    box = friction_explorer(view)
    c = box.controls
    assert set(c) == {"period", "journey", "device", "funnel_window", "repeat_window"}
    assert (c["device"].value, c["funnel_window"].value, c["repeat_window"].value) == ("mobile", 7, 7)
    funnel, gap, repeats = box.last_items
    assert [tr.name for tr in funnel.data] == ["Desktop", "Mobile"]

    def mobile_reach(state, journey):
        f = state.funnel_by_device
        return f[(f["journey"] == journey) & (f["device"] == "mobile")]["from_first"].tolist()

    journey = c["journey"].value
    assert list(funnel.data[1].y) == pytest.approx(mobile_reach(view, journey))
    c["device"].value = "tablet"
    assert [tr.name for tr in box.last_items[0].data] == ["Desktop", "Tablet"]
    c["device"].value = "mobile"
    c["funnel_window"].value = 1  # a one-day window keeps fewer sessions converting
    narrow = friction.view(sample_ws, lang="en", funnel_window_days=1)
    assert list(box.last_items[0].data[1].y) == pytest.approx(mobile_reach(narrow, journey))
    c["repeat_window"].value = 2
    short = friction.view(sample_ws, lang="en", repeat_window_days=2).repeats_by_reason
    assert sorted(box.last_items[2].data[0].x) == pytest.approx(sorted(short["value"].dropna()))
    months = c["period"].options
    c["period"].value = (months[2], months[-1])
    later = friction.view(sample_ws, lang="en", filters=Filters(*period_dates((months[2], months[-1]))),
                          funnel_window_days=1)
    assert list(box.last_items[0].data[1].y) == pytest.approx(mobile_reach(later, journey))


def test_friction_explorer_without_journeys_says_what_it_needs(sample_ws):
    from cxlib.io.workspace import Workspace
    from cxlib.steps import friction
    from cxlib.ui import friction_explorer

    bare = Workspace(sample_ws.root, sample_ws.config, {"feedback": sample_ws.tables["feedback"]}, {})
    box = friction_explorer(friction.view(bare, lang="en"))
    assert "journeys" in box.children[0].value


def test_friction_explorer_with_desktop_sessions_only(sample_ws):
    from cxlib.io.workspace import Workspace
    from cxlib.steps import friction
    from cxlib.ui import friction_explorer

    journeys = sample_ws.tables["journeys"]
    desktop = journeys[journeys["device"] == "desktop"]
    ws = Workspace(sample_ws.root, sample_ws.config, {**sample_ws.tables, "journeys": desktop}, {})
    box = friction_explorer(friction.view(ws, lang="en"))
    assert box.controls["device"].value == "desktop"
    assert [tr.name for tr in box.last_items[0].data] == ["Desktop"]


def test_reason_editor_saves_only_edits_and_the_next_view_uses_them(sample_copy):
    from cxlib.steps import demand
    from cxlib.ui import reason_editor

    ws = load_workspace(sample_copy)
    failed = pd.DataFrame({"contact_id": []})  # the rule for dropped journeys plays no part here
    box = reason_editor(demand.view(ws, lang="en", failed_journey_contacts=failed))
    path = path_for(sample_copy, "reasons")
    assert not path.exists(), "nothing saved before an edit"
    labels = {c.description.split(" (")[0]: key for key, c in box.controls.items() if key.startswith("type__")}
    assert set(labels) == {"var är min faktura", "ej fått svar", "flytt"}  # the sample's unlabelled reasons
    assert "suggested: Failure" in box.controls[labels["var är min faktura"]].description
    before = box.last_items[0]
    box.controls[labels["var är min faktura"]].value = "failure"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"reasons": {"var är min faktura": {
        "demand_type": "failure"}}}, "only the edit, not the table's own root cause and owner"
    assert box.last_items[0].startswith("Saved to workshop/reasons.yaml")
    after = box.last_items[1]
    moved = int(ws.table("contacts")["reason"].eq("var är min faktura").sum())
    count = lambda table, rule, kind: int(table.loc[(table["Decided by"] == rule) & (table["Demand"] == kind),  # noqa: E731
                                                    "Contacts"].str.replace(",", "").astype(int).sum())
    assert count(after, "Reason's type", "Failure") == count(before, "Reason's type", "Failure") + moved
    again = demand.view(load_workspace(sample_copy), lang="en", failed_journey_contacts=failed)  # the next run
    assert again.reasons.set_index("reason").loc["var är min faktura", "demand_type"] == "failure"
    assert again.editable.set_index("reason").loc["var är min faktura", "demand_type"] == "failure"


def test_demand_explorer_follows_target_share_and_window(sample_ws):
    from cxlib.steps import demand
    from cxlib.analysis.demand import Elimination
    from cxlib.ui import demand_explorer

    view = demand.view(sample_ws, lang="en", failed_journey_contacts=pd.DataFrame({"contact_id": []}))
    box = demand_explorer(view)
    assert set(box.controls) == {"target", "share", "repeat_window"}
    assert box.controls["target"].value == ("reason", "faktura fel")  # most failure contacts first
    half = box.last_items[0]
    box.controls["share"].value = 1.0
    whole = box.last_items[0]
    assert half.iloc[0]["Contacts removed a year"] != whole.iloc[0]["Contacts removed a year"]
    row = view.evaluate(Elimination("x", "x", 1.0, reason="faktura fel"))
    assert whole.iloc[0]["Change in FTE"].startswith(view.fmt.value(row["fte"], "fte"))
    box.controls["repeat_window"].value = 14
    assert box.last_ms > 0 and box.last_items[1].layout.title.text == "Failure demand share by channel"


def test_priority_form_saves_each_score_with_who_and_when_and_the_next_view_uses_it(sample_copy):
    import datetime as dt

    from cxlib.io.workshop import load_priorities
    from cxlib.steps import prioritisation
    from cxlib.ui import priority_form

    ws = load_workspace(sample_copy)
    stamp = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
    box = priority_form(prioritisation.view(ws, lang="en"), now=lambda: stamp)
    path = path_for(sample_copy, "priorities")
    assert not path.exists(), "nothing saved before a score"
    controls = box.controls
    controls["initiative"].value = "I03"
    controls["effort"].value, controls["effect"].value = 4, 5
    box.save()
    assert "Type the participant's name first." in box.status.value and not path.exists()
    controls["participant"].value, controls["cost"].value = "Anna", "12 oops"
    box.save()
    assert "Cost (one-off) must be a number 0 or more (or empty); got 12 oops." in box.status.value
    assert not path.exists()
    controls["cost"].value, controls["comment"].value = "250 000", "<b>SMS needs the grid operator</b>"
    box.save()
    assert box.status.value.startswith('<span class="cx-status">Saved to workshop/priorities.yaml')
    assert controls["comment"].value == controls["cost"].value == ""  # emptied for the next participant
    controls["participant"].value, controls["effort"].value, controls["effect"].value = "Bo", 2, 3
    box.save()
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))["initiatives"]["I03"]
    assert saved["cost"] == 250_000 and [s["participant"] for s in saved["scores"]] == ["Anna", "Bo"]
    assert saved["scores"][0]["at"] == "2026-03-01T09:30:00Z"
    row = box.last_table.iloc[0]
    assert (row["Initiative"], row["Scored by"], row["Effort (1–5)"], row["Lowest effort"], row["Highest effort"]) == (
        "Proaktiva sms vid avbrott med länk till nätägarens avbrottskarta", "2", "3.00", "2", "4")
    assert row["Comment"] == "Anna: <b>SMS needs the grid operator</b>"  # escaped when the table is drawn
    controls["participant"].value, controls["effort"].value = "Anna", 1
    box.save()  # Anna's new score replaces her first
    assert [s.effort for s in load_priorities(sample_copy).initiatives["I03"].scores] == [2, 1]
    again = prioritisation.view(load_workspace(sample_copy), lang="en").initiatives.set_index("id").loc["I03"]
    # Anna 1 and 3, Bo 2 and 3; the workshop's cost replaces the table's 300,000
    assert (again["effort"], again["rated_effect"], again["scored_by"], again["cost"]) == (1.5, 3.0, 2, 250_000)
    assert again["cost_source"] == "workshop"


def test_prioritisation_explorer_reranks_and_rechooses(sample_ws):
    from cxlib.steps import prioritisation
    from cxlib.ui import prioritisation_explorer

    view = prioritisation.view(sample_ws, lang="en")
    box = prioritisation_explorer(view)
    assert set(box.controls) == {"weight__nps_points", "weight__value_per_year", "weight__rated_effect",
                                 "weight__effort", "budget", "method"}
    assert box.controls["budget"].value == 3_000_000
    for criterion in ("nps_points", "value_per_year", "rated_effect"):
        box.controls[f"weight__{criterion}"].value = 0
    ranking = box.last_items[0]
    # effort alone: the effort-1 initiatives first (I08, I12), then effort 2
    assert set(ranking["Initiative"][:2]) == {"Återkoppling till missnöjda kunder inom 48 timmar",
                                              "Kundupplevelseråd med alla avdelningar och gemensamma mål"}
    box.controls["budget"].value = 200_000
    portfolio = box.last_items[1]
    assert list(portfolio["Cost (one-off)"]) == ["120,000\xa0SEK", "80,000\xa0SEK"]
    box.controls["weight__effort"].value = 0
    assert box.last_items == ["Give at least one criterion a weight above 0."]
    box.controls["weight__effort"].value = 1
    box.controls["method"].value = "wsjf"
    first = box.last_items[0].iloc[0]["Initiative"]
    assert box.last_ms > 0 and first == "Återkoppling till missnöjda kunder inom 48 timmar"  # WSJF (3 + 2) / 1
    assert not path_for(sample_ws.root, "priorities").exists(), "the explorer saves nothing"


def test_the_explorer_keeps_weights_and_budget_only_when_asked(sample_copy):
    from cxlib.steps import prioritisation
    from cxlib.ui import prioritisation_explorer

    box = prioritisation_explorer(prioritisation.view(load_workspace(sample_copy), lang="en"))
    box.controls["weight__nps_points"].value, box.controls["budget"].value = 0.8, 1_000_000
    path = path_for(sample_copy, "priorities")
    assert not path.exists(), "moving a control saves nothing"
    box.keep()
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["budget"] == 1_000_000 and saved["weights"]["nps_points"] == 0.8
    assert box.keep_status.value.startswith('<span class="cx-status">Saved to workshop/priorities.yaml')
    again = prioritisation.view(load_workspace(sample_copy), lang="en")  # the next run
    assert again.budget == 1_000_000 and again.weights["nps_points"] == 0.8
    assert again.portfolio.cost <= 1_000_000
