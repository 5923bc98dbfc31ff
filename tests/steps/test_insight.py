"""Step 03 view on the sample: numbers recomputed by hand from the tables, filters, widgets."""

import numpy as np
import pytest

from cxlib.steps.base import Filters
from cxlib.errors import InputError
from cxlib.steps import insight
from cxlib.steps.insight import analyse_comments
from cxlib.ui import insight_explorer
from cxlib.io.workspace import load_workspace, validate_workspace


@pytest.fixture(scope="module")
def comments(sample_ws):
    return analyse_comments(sample_ws.tables["feedback"], sample_ws.config)


@pytest.fixture(scope="module")
def view(sample_ws, comments):
    return insight.view(sample_ws, text=comments)


def test_driver_gain_is_detractors_with_a_negative_mention_over_commented_answers(view, sample_ws, comments):
    fb = sample_ws.table("feedback")
    scored = fb["nps"].notna() & fb["comment"].notna()
    m = comments.mentions
    negative_billing = set(m.loc[(m["theme"] == "billing") & (m["sentiment"] == "negative"), "row"])
    rows = np.flatnonzero(scored.to_numpy())
    detractors = sum(1 for r in rows if r in negative_billing and fb["nps"].iloc[r] <= 6)
    billing = view.drivers.set_index("theme").loc["billing"]
    assert billing["detractor_mentions"] == detractors
    assert billing["gain"] == pytest.approx(100 * detractors / len(rows))
    assert billing["gain_low"] < billing["gain"] < billing["gain_high"]
    assert view.drivers["importance"].sum() == pytest.approx(1)


def test_moment_of_truth_impact_by_hand(view, sample_ws):
    fb = sample_ws.table("feedback").dropna(subset=["nps", "touchpoint"])

    def nps(s):
        return 100 * ((s >= 9).mean() - (s <= 6).mean())

    top = view.moments.iloc[0]
    inside = fb["touchpoint"] == top["touchpoint"]
    assert top["impact"] == pytest.approx(inside.mean() * (nps(fb.loc[~inside, "nps"]) - nps(fb.loc[inside, "nps"])))
    assert top["touchpoint"] == "faktura"  # the billing incident of March is built into the sample


def test_findings_carry_the_computed_values(view):
    found = {f.id: f for f in view.findings}
    assert {"coverage", "trend", "comments", "driver_top", "moment_top", "churn_by_group", "captives",
            "recovery", "loop"} <= set(found)
    loyal_detractors = view.loyalty.set_index(["behaviour", "group"]).loc[("loyal", "detractor"), "customers"]
    assert found["captives"].value == loyal_detractors == len(view.captives)
    assert found["loop"].value == len(view.loop["callbacks"])
    assert found["driver_top"].value == pytest.approx(view.drivers["gain"].iloc[0])
    candidates = view.candidates
    theme = next(c for c in candidates if c.id.startswith("03-theme-"))
    top = view.drivers.set_index("theme").loc[theme.id.removeprefix("03-theme-")]
    effect = theme.effects["nps_points"]
    assert (effect.value, effect.low, effect.high) == pytest.approx((top["gain"], top["gain_low"], top["gain_high"]))
    assert theme.mechanism == "nps" and theme.source_step == "03_insight" and theme.effort is None
    loop = next(c for c in candidates if c.id == "03-close-the-loop")
    assert loop.effects == {}  # not known from the data: absent, never 0
    assert loop.reach_per_year == pytest.approx(len(view.loop["callbacks"]) / view.years)


def test_filters_restrict_responses_and_comments(sample_ws, comments):
    email = insight.view(sample_ws, filters=Filters(channel="email"), text=comments)
    assert set(email.feedback["channel"]) == {"email"}
    assert len(email.text.comments) == len(email.feedback)
    assert (email.text.comments.index == email.feedback.index).all()
    # a mention keeps pointing at the same comment after the view renumbers rows
    row = email.text.mentions.iloc[0]
    original = comments.comments.index.get_loc(email.text.comments.index[row["row"]])
    assert ((comments.mentions["row"] == original) & (comments.mentions["theme"] == row["theme"])).any()
    norwegian = insight.view(sample_ws, text=comments, language="nb")
    assert set(norwegian.text.comments["language"]) == {"nb"}


def test_verbatims_are_scrubbed_newest_first(view):
    v = view.verbatims("billing", "negative", n=20)
    assert list(v["date"]) == sorted(v["date"], reverse=True)
    assert not v["comment"].str.contains("@").any()


def test_client_themes_extend_the_taxonomy(sample_copy):
    (sample_copy / "themes.yaml").write_text(
        "billing:\n  owner: fakturering\n  stems:\n    sv: [avisering]\n"
        "meters:\n  label: {sv: Mätare, en: Meters}\n  stems:\n    sv: [mätarbyte, mätare]\n", encoding="utf-8")
    ws = load_workspace(sample_copy)
    themes = {t.id: t for t in ws.themes}
    assert themes["billing"].owner == "fakturering" and "meters" in themes
    assert ws.files["themes.yaml"] == sample_copy / "themes.yaml"


def test_malformed_client_themes_are_reported_with_the_file(sample_copy):
    (sample_copy / "themes.yaml").write_text("billing:\n  stems: [faktura]\n", encoding="utf-8")
    problems = validate_workspace(sample_copy)
    assert [p.file for p in problems] == ["themes.yaml"] and "stems" in problems[0].expected
    (sample_copy / "themes.yaml").write_text("billing: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_workspace(sample_copy)
    assert exc.value.problems[0].file == "themes.yaml" and exc.value.problems[0].row == 2


def test_insight_explorer_redraws(sample_ws, comments):
    box = insight_explorer(insight.view(sample_ws, text=comments, lang="sv"))
    assert set(box.controls) == {"period", "channel", "segment", "language", "theme", "tone"}
    themes, compare, verbatims = box.last_items
    assert len(themes.data) == 3 and len(verbatims) == 15
    box.controls["theme"].value = "outage"
    box.controls["language"].value = "en"
    _, _, verbatims = box.last_items
    assert set(verbatims["Språk"]) == {"en"}
    box.controls["channel"].value = "email"
    assert len(box.last_items) == 2  # no channel comparison inside one channel
    assert set(box.last_items[1]["Kanal"]) <= {"E-post"}
    assert box.last_ms > 0


def test_without_feedback_contact_id_service_recovery_says_what_it_needs(sample_ws, comments, tmp_path, monkeypatch):
    import dataclasses

    from cxlib import session

    shown = []
    monkeypatch.setattr(session, "notice", lambda text, kind="info": shown.append((kind, text)))
    feedback = sample_ws.tables["feedback"].drop(columns="contact_id")
    ws = dataclasses.replace(sample_ws, tables={**sample_ws.tables, "feedback": feedback})
    view = insight.view(ws, lang="en", text=comments)
    step = session.Step(insight.SPEC.name, ws, "en", tmp_path)
    assert view.recovery is None and not step.shows(view, "recovery")
    assert [kind for kind, _ in shown] == ["warning"]
    assert "the column 'contact_id' in feedback" in shown[0][1]
    assert step.shows(view, "churn") and len(shown) == 1, "the other sections still show"
