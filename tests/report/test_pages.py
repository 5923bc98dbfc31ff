"""The report index and page language selection."""

import pandas as pd

from cxlib.narrative import language_tags
from cxlib.report.pages import write_index
from cxlib.results import KpiValue, StepResult, records, save


def test_only_the_report_language_is_kept():
    assert language_tags("nb") == {"lang-sv", "lang-en"}
    assert language_tags("en") == {"lang-sv", "lang-nb"}


WORKSPACE, INPUTS = "/clients/x", {"client.yaml": "aa", "feedback.csv": "bb"}


def _manifest(**changes) -> dict:
    manifest = {"language": "en", "client": "<b>Acme</b> & Co", "currency": "SEK", "period": "2025-01-01 – 2025-12-31",
                "finished": "2026-11-22T16:00:17+00:00", "parameters": {"client_dir": WORKSPACE}, "inputs": INPUTS,
                "steps": {"01_current_state": {"status": "ok", "seconds": 5.6, "html": "01_current_state.html"},
                          "02_desired_state": {"status": "failed", "seconds": 1.2, "html": None,
                                               "error": "cell 3: KeyError: '<x>'"}}}
    return {**manifest, **changes}


def test_index_cards_statuses_and_escaping(tmp_path):
    save(StepResult(step="01_current_state", client="x", language="en", workspace=WORKSPACE, inputs=INPUTS,
                    kpis=[KpiValue(kpi="nps", value=8.25, low=6.1, high=10.4, n=6085),
                          KpiValue(kpi="csat", value=0.66, low=0.65, high=0.68, n=5253),
                          KpiValue(kpi="nps", scope="channel:phone", value=99.0, n=5)]), tmp_path)
    save(StepResult(step="02_desired_state", client="x", language="en", workspace=WORKSPACE, inputs=INPUTS,
                    tables={"kpi_gaps": records(pd.DataFrame({"kpi": ["nps"], "target": [20.0], "status": ["open"]}))}),
         tmp_path)
    manifest = _manifest()
    page = write_index(tmp_path, manifest).read_text()
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in page and "<b>Acme</b>" not in page
    assert '<div class="value">+8</div>' in page
    assert "+6 – +10, n = 6,085 · Target +20 (Gap remains)" in page
    assert '<div class="value">66%</div>' in page and "99" not in page  # channel scopes are not headline cards
    assert '<a href="01_current_state.html">Current state</a>' in page
    assert "failed" in page and "KeyError: &#x27;&lt;x&gt;&#x27;" in page
    assert "Generated: 2026-11-22 16:00 UTC" in page


def test_index_shows_no_cards_from_another_workspace_or_older_inputs(tmp_path):
    save(StepResult(step="01_current_state", client="x", language="en", workspace=WORKSPACE, inputs=INPUTS,
                    kpis=[KpiValue(kpi="nps", value=8.25, low=6.1, high=10.4, n=6085)]), tmp_path)
    assert '<div class="value">+8</div>' in write_index(tmp_path, _manifest()).read_text()
    for other in (_manifest(parameters={"client_dir": "/clients/y"}),
                  _manifest(inputs={**INPUTS, "feedback.csv": "cc"})):
        page = write_index(tmp_path, other).read_text()
        assert '<div class="value">' not in page
