"""Benchmarks of the quality bars (DESIGN.md §6); prints a table and writes reports/bench.json.

1. The full workbook for data/sample with `cxwb run`, exports included (wall time per step, split into waiting
   for the kernel, executing the notebook and rendering the page, and per export), and the report
   folder's size, plain and zipped, against the same pages sharing one plotly.min.js.
2. The same work by calling cxlib directly, to measure what notebooks add (per step: direct
   seconds, notebook seconds, overhead; and the median overhead).
3. cxlib at scale: a year at 5,000 responses a day and ≈5 M contacts (generated once into
   .cache/bench-scale), validated, loaded and analysed in a fresh process; seconds and peak memory.
4. Widget callbacks on the sample: milliseconds per update.
   Step 05 at scale: the scale year's web sessions twice over (≥10 M journey events) and its
   ≈5 M contacts through every part, finding and candidate of the friction view, computed as the
   notebook computes them (``view(ws).compute()``); seconds and peak memory.
5. The comment pipeline (personal data, language, themes, sentiment) on the scale year's comments:
   comments per second cold, and seconds when the cache answers; plus accuracy on the two labelled
   sets never tuned on (tests/text_eval: the held-out third and the newest fresh set).
6. The personal-data scrubber: recall per kind and false-positive rate on the labelled variants of
   cxlib.text.pii_cases, and scrub throughput on a million comments (the sample's, repeated).
7. The stall check: every step notebook 20 times under the README's papermill call, widgets on,
   two at a time (tests/_stall.py); runs and stalls.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SCALE_DIR = ROOT / ".cache" / "bench-scale"
EVAL_SETS = {"holdout": "comments.csv", "fresh": "fresh4.csv"}  # never tuned on
PII_CASES = 200_000  # labelled variants for the scrubber's recall and false-positive rate
PII_COMMENTS = 1_000_000  # comments for the scrubber's throughput
STALL_ROUNDS = 20  # runs of each step notebook in the stall check
console = Console()


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def bench_report() -> dict:
    from cxlib.runner import run

    with tempfile.TemporaryDirectory() as out:
        manifest, seconds = timed(run, SAMPLE, out)
        assert manifest["ok"], manifest["steps"]
        assert all(e["status"] == "ok" for e in manifest["exports"].values()), manifest["exports"]
        sizes = folder_sizes(Path(out))
    steps = manifest["steps"].items()
    return {"total_s": seconds, **{f"{k}_s": v["seconds"] for k, v in steps},
            **{f"{k} {phase}": s for k, v in steps for phase, s in v["phases"].items()},
            **{f"export {e['file']}_s": e["seconds"] for e in manifest["exports"].values()}, **sizes}


def folder_sizes(out: Path) -> dict:
    """Bytes of the report folder as written (plotly.js embedded once per page), plain and
    zipped, and zipped as it would be with one shared plotly.min.js beside the pages instead."""
    from plotly.offline import get_plotlyjs

    from cxlib.report.display import PLOTLYJS_FILE

    inline = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    tag = f'<script charset="utf-8" src="{PLOTLYJS_FILE}"></script>'
    files = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]

    def zipped(shared: bool) -> int:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                data = path.read_bytes()
                if shared and path.suffix == ".html":
                    data = data.decode("utf-8").replace(inline, tag).encode("utf-8")
                archive.writestr(str(path.relative_to(out)), data)
            if shared:
                archive.writestr(PLOTLYJS_FILE, get_plotlyjs())
        return buffer.tell()

    return {"folder_bytes": sum(p.stat().st_size for p in files), "zip_bytes": zipped(False),
            "zip_bytes_if_shared_plotlyjs": zipped(True),
            "largest_page_bytes": max(p.stat().st_size for p in files if p.suffix == ".html")}


def bench_stall() -> dict:
    """Every step notebook STALL_ROUNDS times under the README's papermill call, two at a time."""
    sys.path.insert(0, str(ROOT / "tests"))
    from _stall import stall_check

    result = stall_check(rounds=STALL_ROUNDS, jobs=2)
    return {"runs": result["runs"], "stalls": result["stalls"], "failures": len(result["failures"]),
            "seconds": result["seconds"], **{f"failure {k + 1}": text for k, text in enumerate(result["failures"])}}


def bench_direct() -> dict:
    """Steps 01–08 without notebooks: load, compute, build every figure of the pages."""
    from cxlib.report import charts
    from cxlib.io.workspace import load_workspace
    from cxlib.report.exports import write_loop_lists
    from cxlib.results import save
    from cxlib.steps import (accessibility, current_state, demand, desired_state, friction, insight, prioritisation,
                             roadmap_report)

    def step01():
        ws = load_workspace(SAMPLE)
        state = current_state.view(ws)
        for kpi in ["nps", "csat", "ces", "first_response_time_s", "fcr"]:
            charts.kpi_by(state.by_channel, kpi, "channel", state.lang).to_json()
        charts.volume(state.volume, state.lang).to_json()
        charts.journey_map(state.journey, "nps", state.lang).to_json()
        charts.kpi_by(state.by_touchpoint, "csat", "touchpoint", state.lang).to_json()
        for kpi in ["nps", "csat"]:
            charts.trend(state.monthly, kpi, state.lang).to_json()
        charts.maturity_radar(state.maturity, state.lang).to_json()
        return ws, state, state.result()

    def step02(ws, state):
        d = desired_state.view(ws, current=state.overall)
        charts.gaps(d.kpi_gaps, d.lang).to_json()
        charts.maturity_radar(d.maturity_gaps, d.lang).to_json()
        return d.result()

    def step03(ws):
        view = insight.view(ws)
        charts.effects(view.coverage_channel, "channel", view.lang, value="nps", low="nps_low",
                       high="nps_high").to_json()
        for by, compared in view.comparisons.items():
            charts.effects(compared, by, view.lang, value="diff").to_json()
        view.monthly, view.trend, view.planner, view.moments, view.churn, view.loyalty, view.recovery
        charts.theme_sentiment(view.themes, view.lang).to_json()
        charts.effects(view.drivers, "name", view.lang, value="gain", low="gain_low", high="gain_high").to_json()
        for theme in view.themes["theme"].head(3):
            view.verbatims(theme, "negative")
        with tempfile.TemporaryDirectory() as out:
            write_loop_lists(view.loop, out, lang=view.lang)
        return view.result()

    def step04(ws):
        view = accessibility.view(ws)
        for channel, arrivals in view.demand.groupby("channel"):
            charts.week_heatmap(arrivals, "per_day", view.lang, title=channel, open_column="open").to_json()
        for channel, service in view.service.groupby("channel"):
            charts.week_heatmap(service, "service_level", view.lang, title=channel, share=True).to_json()
        for channel, gaps in view.staffing_gaps.groupby("channel"):
            charts.agents_by_interval(gaps, view.lang).to_json()
        charts.channel_value(view.channel_value, view.lang, view.currency).to_json()
        charts.scenario_waterfall(view.scenarios.iloc[0], view.lang).to_json()
        view.outside_hours, view.while_closed, view.async_service, view.backlog, view.staffing_summary
        return view.result()

    def step05(ws):
        view = friction.view(ws).compute()
        for journey in view.steps["journey"].unique():
            charts.funnel_by_device(view.funnel_by_device, view.lang, journey=journey).to_json()
            charts.dropout_contacts(view.dropout_rates, view.lang, journey=journey).to_json()
        charts.device_gap(view.device_gaps, view.lang).to_json()
        charts.mobile_trend(view.trend, view.lang).to_json()
        charts.hotspot_matrix(view.effort, view.lang).to_json()
        charts.repeat_rates(view.repeats_by_reason, view.lang).to_json()
        charts.hop_sankey(view.hops, view.lang, view.names).to_json()
        view.funnel, view.effort_by_device, view.repeats_by_channel, view.resolution
        return view.result()

    def step06(ws):
        view = demand.view(ws).compute()  # step 05's table computed here: the bench's report folder is not read
        charts.reason_pareto(view.pareto, view.lang).to_json()
        charts.failure_share(view.by_channel, view.lang, by="channel", names=view.names).to_json()
        charts.failure_share(view.by_month, view.lang, by="month").to_json()
        charts.tied_up(view.by_root_cause, view.lang, by="root_cause").to_json()
        charts.tied_up(view.by_department, view.lang, by="owner_department").to_json()
        charts.elimination_waterfall(view.waterfall, view.lang).to_json()
        return view.result()

    def step07(ws, results):
        with tempfile.TemporaryDirectory() as out:  # the saved results of 03–06, as the runner leaves them
            for result in results:
                save(result, out)
            view = prioritisation.view(ws, out_dir=out).compute()
            charts.effort_effect(view.matrix, view.lang, thresholds=view.thresholds(view.matrix)).to_json()
            charts.rank_ranges(view.ranking, view.lang).to_json()
            charts.portfolio_frontier(view.frontier, view.lang, view.currency, budget=view.budget).to_json()
            charts.roadmap_gantt(view.roadmap, view.lang, view.names).to_json()
            view.method_scores, view.payback, view.group_table
            return view.result()

    def step08(ws, results):
        with tempfile.TemporaryDirectory() as out:  # the saved results of 01–07, as the runner leaves them
            for result in results:
                save(result, out)
            view = roadmap_report.view(ws, out_dir=out)
            for question in roadmap_report.QUESTIONS:
                view.answer(question)
            charts.kpi_sparklines(view.dashboard, view.lang).to_json()
            charts.roadmap_gantt(view.roadmap, view.lang, view.names).to_json()
            view.department_table, view.raci_matrix, view.appendix
            view.result()

    (ws, state, r1), s1 = timed(step01)
    r2, s2 = timed(step02, ws, state)
    r3, s3 = timed(step03, ws)
    r4, s4 = timed(step04, ws)
    r5, s5 = timed(step05, ws)
    r6, s6 = timed(step06, ws)
    r7, s7 = timed(step07, ws, [r3, r4, r5, r6])
    _, s8 = timed(step08, ws, [r1, r2, r3, r4, r5, r6, r7])
    return {"01_current_state_s": s1, "02_desired_state_s": s2, "03_insight_s": s3, "04_accessibility_s": s4,
            "05_friction_s": s5, "06_unnecessary_demand_s": s6, "07_prioritisation_s": s7,
            "08_roadmap_report_s": s8}


SCALE_SCRIPT = """
import dataclasses, json, resource, sys, time
t0 = time.perf_counter()
from cxlib.io.workspace import load_workspace
from cxlib.steps import current_state
ws = load_workspace(sys.argv[1])
t1 = time.perf_counter()
three = {k: ws.tables[k] for k in ("feedback", "contacts", "customers")}
state = current_state.view(dataclasses.replace(ws, tables=three))
for part in ("overall", "by_channel", "by_touchpoint", "by_segment", "monthly", "volume", "journey", "findings"):
    getattr(state, part)  # parts are computed on first use
t2 = time.perf_counter()
print(json.dumps({"responses": len(ws.table("feedback")), "contacts": len(ws.table("contacts")),
                  "load_validate_s": t1 - t0, "baseline_s": t2 - t1, "total_s": t2 - t0,
                  "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}))
"""


STAFFING_SCRIPT = """
import json, sys, time
import pyarrow.parquet as pq
from cxlib.config import load_config
from cxlib.analysis import service, staffing
config = load_config(sys.argv[1] + "/client.yaml")
contacts = pq.read_table(sys.argv[1] + "/contacts.parquet").to_pandas()
grid = dict(interval_min=config.staffing_interval_min, start=config.period.start, end=config.period.end)
t0 = time.perf_counter()
patience = service.patience(contacts, config.channels)
t1 = time.perf_counter()
load = staffing.interval_load(contacts, config.channels, **grid)
required = staffing.required_staff(load, config.channels, interval_min=grid["interval_min"],
                                   patience=dict(zip(patience["channel"], patience["value"])))
t2 = time.perf_counter()
print(json.dumps({"contacts": len(contacts), "intervals": len(required), "patience_s": t1 - t0,
                  "load_and_erlang_s": t2 - t1, "total_s": t2 - t0,
                  "phone_agents_max": float(required.loc[required["channel"] == "phone", "agents"].max())}))
"""


FRICTION_SCRIPT = """
import dataclasses, json, resource, sys, time
import pandas as pd
from cxlib.io.workspace import load_workspace
from cxlib.steps import friction
ws = load_workspace(sys.argv[1])
journeys = ws.tables["journeys"]
twice = pd.concat([journeys, journeys.assign(session_id=journeys["session_id"] + "-2")], ignore_index=True)
ws = dataclasses.replace(ws, tables={**ws.tables, "journeys": twice})
t0 = time.perf_counter()
view = friction.view(ws).compute()  # as the notebook does: the parts side by side, then findings and candidates
t1 = time.perf_counter()
view.result()
t2 = time.perf_counter()
print(json.dumps({"journey_events": len(twice), "sessions": len(view.paths), "contacts": len(view.contacts),
                  "total_s": t2 - t0, "compute_s": t1 - t0, "result_s": t2 - t1,
                  "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}))
"""


DEMAND_SCRIPT = """
import json, resource, sys, tempfile, time
from cxlib.io.workspace import load_workspace
from cxlib.results import save
from cxlib.steps import demand, friction
ws = load_workspace(sys.argv[1])
out = tempfile.mkdtemp()
save(friction.view(ws).result(), out)  # step 05's saved result, which step 06 reads
t0 = time.perf_counter()
view = demand.view(ws, out_dir=out).compute()  # as the notebook does
t1 = time.perf_counter()
view.result()
t2 = time.perf_counter()
print(json.dumps({"contacts": len(view.contacts), "failure_share": float(view.overall["value"]),
                  "scenarios": len(view.scenarios), "total_s": t2 - t0, "compute_s": t1 - t0, "result_s": t2 - t1,
                  "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}))
"""


def bench_demand() -> dict:
    """Step 06 at scale: ≈5 M contacts, with step 05's saved result of the scale year, in a fresh process.

    The peak memory includes step 05's computation of that result, made first in the same process.
    """
    bench_scale_workspace()
    out = subprocess.run(
        [sys.executable, "-c", DEMAND_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_friction() -> dict:
    """Step 05 at scale: ≥10 M journey events (the scale year's sessions twice) and ≈5 M contacts,
    in a fresh process."""
    bench_scale_workspace()
    out = subprocess.run(
        [sys.executable, "-c", FRICTION_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_staffing() -> dict:
    """Step 04's staffing at scale: patience, interval load and Erlang A/workload staffing of ≈5 M contacts."""
    bench_scale_workspace()
    out = subprocess.run(
        [sys.executable, "-c", STAFFING_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_scale_workspace() -> None:
    """Generate the scale workspace into .cache/bench-scale, again whenever the generator's code changed."""
    import hashlib

    sources = sorted((ROOT / "cxlib" / "synth").rglob("*.*"))
    version = hashlib.sha256(b"".join(p.read_bytes() for p in sources if p.is_file())).hexdigest()
    stamp = SCALE_DIR / ".generator"
    if not stamp.exists() or stamp.read_text() != version:
        import shutil

        from cxlib.synth import generate

        console.print("generating the scale workspace (≈1 min)")
        shutil.rmtree(SCALE_DIR, ignore_errors=True)
        generate(SCALE_DIR, scale=90, responses_per_day=5000, formats="parquet")
        stamp.write_text(version)


def bench_scale() -> dict:
    """A year at 5,000 responses/day with ≈5 M contacts: validate + load every table, then every
    part of the step-01 baseline."""
    bench_scale_workspace()
    out = subprocess.run(
        [sys.executable, "-c", SCALE_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


TEXT_SCRIPT = """
import json, sys, tempfile, time
import pyarrow.parquet as pq
from cxlib.text.pipeline import analyse
comments = pq.read_table(sys.argv[1] + "/feedback.parquet", columns=["comment"]).column("comment").drop_null()
with tempfile.TemporaryDirectory() as cache:
    t0 = time.perf_counter()
    analyse(comments, languages=("sv", "nb", "en"), cache_dir=cache)
    t1 = time.perf_counter()
    analyse(comments, languages=("sv", "nb", "en"), cache_dir=cache)
    t2 = time.perf_counter()
print(json.dumps({"comments": len(comments), "cold_s": t1 - t0, "comments_per_s": len(comments) / (t1 - t0),
                  "cached_s": t2 - t1}))
"""


def bench_text() -> dict:
    """The comment pipeline at scale (fresh process, so lingua's models load inside the timing)."""
    bench_scale_workspace()
    out = subprocess.run(
        [sys.executable, "-c", TEXT_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_eval(name: str) -> dict:
    """Accuracy on a hand-labelled set that was never used for tuning: the held-out third of
    tests/text_eval/comments.csv (the issue's acceptance set) or the newest fresh set, written
    by an independent writer after the last tuning round (see tests/text_eval/README.md)."""
    import pandas as pd

    from cxlib.text.pipeline import evaluate

    labelled = pd.read_csv(ROOT / "tests" / "text_eval" / EVAL_SETS[name], dtype=str, keep_default_na=False)
    if "split" in labelled:
        labelled = labelled[labelled["split"] == "holdout"]
    result = evaluate(labelled, languages=("sv", "nb", "da", "en"))
    return {**{f"language_{k}": v for k, v in result["language"].items()},
            **{f"sentiment_{k}": v for k, v in result["sentiment"].items()},
            "themes_micro_f1": result["themes_f1"], **{f"n_{k}": v for k, v in result["n"].items()}}


def bench_pii() -> dict:
    """The scrubber in both directions on cxlib.text.pii_cases.variants (recall per kind of personal data,
    false-positive rate on other numbers), and comments scrubbed per second."""
    import pandas as pd
    import pyarrow as pa

    from cxlib.text.pii import scrub
    from cxlib.text.pii_cases import evaluate, variants

    result = evaluate(variants(seed=0, n=PII_CASES))
    comments = pd.read_csv(SAMPLE / "feedback.csv", sep=";", encoding="utf-8-sig", dtype=str)["comment"]
    texts = pa.array(pd.concat([comments] * (PII_COMMENTS // len(comments) + 1), ignore_index=True)[:PII_COMMENTS])
    scrub(texts[:1000])  # compile the patterns outside the timing
    _, seconds = timed(scrub, texts)
    return {**{f"recall_{kind}": value for kind, value in result["recall"].items()},
            "false_positive_rate": result["false_positive_rate"],
            **{f"n_{kind}": value for kind, value in result["n"].items()},
            "scrub_comments": len(texts), "scrub_comments_per_s": len(texts) / seconds}


def bench_widgets() -> dict:
    """Milliseconds per control change (compute + figures), outside a kernel: output is discarded."""
    with contextlib.redirect_stdout(io.StringIO()):
        return _widget_times()


def _widget_times() -> dict:
    import dataclasses

    from cxlib.io.workshop import DesiredInputs, effective_desired
    from cxlib.io.workspace import load_workspace
    from cxlib.results import save
    from cxlib.steps import accessibility, current_state, demand, desired_state, friction, insight, prioritisation
    from cxlib.ui import (accessibility_explorer, current_state_explorer, demand_explorer, desired_state_explorer,
                          friction_explorer, insight_explorer, prioritisation_explorer, priority_form,
                          reason_editor)

    ws = load_workspace(SAMPLE)
    box = current_state_explorer(current_state.view(ws, lang="sv"))
    times = []
    for name, value in [("channel", "phone"), ("segment", "privat"), ("kpi", "csat"),
                        ("period", ("2025-03", "2025-06")),
                        ("channel", None), ("segment", None), ("kpi", "nps"), ("period", ("2025-01", "2025-12"))]:
        box.controls[name].value = value
        times.append(box.last_ms)
    current = current_state.view(ws).overall
    with tempfile.TemporaryDirectory() as scratch:  # the explorer saves its edits into the workspace: a scratch one
        inputs = effective_desired(ws.config.targets, ws.table("maturity"), DesiredInputs())
        scratch_ws = dataclasses.replace(ws, root=Path(scratch))
        desired = desired_state_explorer(desired_state.view(scratch_ws, lang="sv", inputs=inputs, current=current))
        dtimes = []
        for value in (10.0, 15.0, 25.0, 30.0):
            desired.controls["target__nps"].value = value
            dtimes.append(desired.last_ms)
    explorer = insight_explorer(insight.view(ws, lang="sv"))
    itimes = []
    for name, value in [("theme", "billing"), ("tone", "positive"), ("channel", "phone"), ("segment", "privat"),
                        ("language", "nb"), ("period", ("2025-03", "2025-06")), ("channel", None), ("language", None),
                        ("segment", None), ("period", ("2025-01", "2025-12"))]:
        explorer.controls[name].value = value
        itimes.append(explorer.last_ms)
    access = accessibility_explorer(accessibility.view(ws, lang="sv"))
    atimes = []
    for name, value in [("share", 0.5), ("reason", "flytt"), ("target", "webform"), ("sl_share", 0.9),
                        ("within_s", 30), ("shrinkage", 0.4), ("max_occupancy", 0.8), ("source", "chat"),
                        ("reason", "faktura fel"), ("share", 0.2)]:
        access.controls[name].value = value
        atimes.append(access.last_ms)
    explore = friction_explorer(friction.view(ws, lang="sv"))
    months = explore.controls["period"].options
    ftimes = []
    for name, value in [("device", "tablet"), ("journey", "teckna elavtal"), ("funnel_window", 3),
                        ("repeat_window", 3), ("period", (months[2], months[-1])), ("device", "mobile"),
                        ("funnel_window", 14), ("repeat_window", 14), ("journey", "flytta avtal"),
                        ("period", (months[0], months[-1]))]:
        explore.controls[name].value = value
        ftimes.append(explore.last_ms)
    view = demand.view(ws, lang="sv")
    eliminate = demand_explorer(view)
    targets = [value for _, value in eliminate.controls["target"].options]
    etimes = []
    for name, value in [("share", 0.3), ("target", targets[1]), ("share", 1.0), ("repeat_window", 3),
                        ("target", targets[-1]), ("share", 0.6), ("repeat_window", 14), ("target", targets[0])]:
        eliminate.controls[name].value = value
        etimes.append(eliminate.last_ms)
    with tempfile.TemporaryDirectory() as scratch:  # the editor saves into the workspace: a scratch one
        editor = reason_editor(demand.view(dataclasses.replace(ws, root=Path(scratch)), lang="sv"))
        kinds = [key for key in editor.controls if key.startswith("type__")]
        rtimes = []
        for key, value in [(kinds[0], "failure"), (kinds[1], "failure"), (kinds[0], "value"), (kinds[1], "")]:
            editor.controls[key].value = value
            rtimes.append(editor.last_ms)
    with tempfile.TemporaryDirectory() as scratch:  # the form saves into the workspace: a scratch one
        scratch_ws = dataclasses.replace(ws, root=Path(scratch))
        form = priority_form(prioritisation.view(scratch_ws, lang="sv"))
        stimes = []
        for k, initiative in enumerate([value for _, value in form.controls["initiative"].options][:6]):
            form.controls["participant"].value = f"Deltagare {k % 3}"
            form.controls["initiative"].value, form.controls["effort"].value = initiative, 1 + k % 5
            start = time.perf_counter()
            form.save()
            stimes.append(1000 * (time.perf_counter() - start))
        reports = Path(scratch) / "report"  # the saved results of 03–06: the explorer ranks every candidate
        for result in (insight.view(ws).result(), accessibility.view(ws).result(),
                       friction.view(ws).compute().result(), demand.view(ws).compute().result()):
            save(result, reports)
        explore = prioritisation_explorer(prioritisation.view(ws, lang="sv", out_dir=reports))
        ptimes = []
        for name, value in [("weight__effort", 0.6), ("budget", 1_500_000), ("method", "rice"), ("method", "weighted"),
                            ("weight__nps_points", 0.0), ("budget", 4_000_000), ("weight__rated_effect", 0.9),
                            ("method", "wsjf")]:
            explore.controls[name].value = value
            ptimes.append(explore.last_ms)
    return {"prioritisation_median_ms": statistics.median(ptimes), "prioritisation_max_ms": max(ptimes),
            "priority_form_median_ms": statistics.median(stimes), "priority_form_max_ms": max(stimes),
            "demand_median_ms": statistics.median(etimes), "demand_max_ms": max(etimes),
            "reason_editor_median_ms": statistics.median(rtimes), "reason_editor_max_ms": max(rtimes),
            "accessibility_median_ms": statistics.median(atimes), "accessibility_max_ms": max(atimes),
            "friction_median_ms": statistics.median(ftimes), "friction_max_ms": max(ftimes),
            "current_state_median_ms": statistics.median(times), "current_state_max_ms": max(times),
            "desired_state_median_ms": statistics.median(dtimes), "desired_state_max_ms": max(dtimes),
            "insight_median_ms": statistics.median(itimes), "insight_max_ms": max(itimes)}


def main() -> None:
    results = {}
    for name, fn in [("report", bench_report), ("direct", bench_direct), ("widgets", bench_widgets),
                     ("scale", bench_scale), ("staffing", bench_staffing), ("friction", bench_friction),
                     ("demand", bench_demand),
                     ("text", bench_text), ("pii", bench_pii),
                     ("text_eval_holdout", lambda: bench_eval("holdout")),
                     ("text_eval_fresh", lambda: bench_eval("fresh")),
                     ("stall", bench_stall)]:
        with console.status(f"benchmark: {name}"):
            results[name] = fn()
    overhead = {step: results["report"][step] - results["direct"][step] for step in results["direct"]}
    results["notebook_overhead_s"] = {**overhead, "median_s": statistics.median(overhead.values())}
    table = Table(title="make bench", title_justify="left")
    table.add_column("benchmark")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for group, values in results.items():
        for key, value in values.items():
            shown = (f"{value:,.3f}" if isinstance(value, float)
                     else f"{value:,}" if isinstance(value, int) else str(value))
            table.add_row(group, key, Text(shown))  # literal: a failure message may hold brackets
    console.print(table)
    target = ROOT / "reports" / "bench.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=1))
    console.print(f"written to {target}")


if __name__ == "__main__":
    main()
