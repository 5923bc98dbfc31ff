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
