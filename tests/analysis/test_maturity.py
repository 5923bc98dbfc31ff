import pandas as pd
import pytest

from cxlib.analysis.maturity import maturity_profile

FRAME = pd.DataFrame({
    "area": ["insikt", "insikt", "insikt", "friktion", "friktion", "friktion"],
    "participant": ["a", "b", "c", "a", "b", "c"],
    "current": [2, 3, 1, 3, 3, 4],
    "desired": [4, 4, 5, 4, 4, 4],
})


def test_profile_means_spread_and_order():
    p = maturity_profile(FRAME)
    # insikt: current (2+3+1)/3 = 2, desired (4+4+5)/3 = 4.333, gap 2.333; friktion: 3.333 → 4, gap 0.667
    assert list(p["area"]) == ["insikt", "friktion"]
    first = p.iloc[0]
    assert first["current"] == pytest.approx(2.0)
    assert first["desired"] == pytest.approx(13 / 3)
    assert first["gap"] == pytest.approx(13 / 3 - 2)
    assert (first["current_min"], first["current_max"], first["n"]) == (1, 3, 3)
    assert p.iloc[1]["gap"] == pytest.approx(4 - 10 / 3)


def test_workshop_override_and_unknown_area():
    p = maturity_profile(FRAME, {"friktion": 5.0, "insikt": 3.0})
    assert list(p["area"]) == ["friktion", "insikt"]
    assert p.iloc[0]["gap"] == pytest.approx(5 - 10 / 3) and p.iloc[1]["gap"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown maturity areas"):
        maturity_profile(FRAME, {"ledarskap": 4})
