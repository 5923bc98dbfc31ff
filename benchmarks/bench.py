"""Benchmarks of the quality bars (DESIGN.md §6); prints a table and writes reports/bench.json.

1. The full workbook for data/sample with `cxwb run` (wall time per step).
2. The same work by calling cxlib directly, to measure what notebooks add.
3. cxlib at scale: a year at 5,000 responses a day and ≈5 M contacts (generated once into
   .cache/bench-scale), validated, loaded and analysed in a fresh process; seconds and peak memory.
4. Widget callbacks on the sample: milliseconds per update.
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
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SCALE_DIR = ROOT / ".cache" / "bench-scale"
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
    return {"total_s": seconds, **{f"{k}_s": v["seconds"] for k, v in manifest["steps"].items()}}


def bench_direct() -> dict:
    """Step 01 and 02 work without notebooks: load, compute, build every figure of the pages."""
    from cxlib import charts
    from cxlib.current_state import baseline
    from cxlib.desired_state import desired_state, gap_table
    from cxlib.workshop import effective_desired, load_desired
    from cxlib.workspace import load_workspace

    def step01():
        ws = load_workspace(SAMPLE)
        state = baseline(ws.tables, ws.config)
        for kpi in ["nps", "csat", "ces", "first_response_time_s", "fcr"]:
            charts.kpi_by(state.by_channel, kpi, "channel").to_json()
        charts.volume(state.volume).to_json()
        charts.journey_map(state.journey, "nps").to_json()
        charts.kpi_by(state.by_touchpoint, "csat", "touchpoint").to_json()
        for kpi in ["nps", "csat"]:
            charts.trend(state.monthly, kpi).to_json()
        charts.maturity_radar(state.maturity).to_json()
        return ws, state

    def step02(ws, state):
        maturity = ws.table("maturity")
        inputs = effective_desired(ws.config.targets, maturity, load_desired(ws.root))
        d = desired_state(state.overall, inputs.targets, maturity, inputs.maturity)
        charts.gaps(gap_table(state.overall, inputs.targets)).to_json()
        charts.maturity_radar(d.maturity_gaps).to_json()

    (ws, state), s1 = timed(step01)
    _, s2 = timed(step02, ws, state)
    return {"01_current_state_s": s1, "02_desired_state_s": s2}


SCALE_SCRIPT = """
import json, resource, sys, time
t0 = time.perf_counter()
from cxlib.workspace import load_workspace
from cxlib.current_state import baseline
ws = load_workspace(sys.argv[1])
t1 = time.perf_counter()
state = baseline({k: ws.tables[k] for k in ("feedback", "contacts", "customers")}, ws.config)
for part in ("overall", "by_channel", "by_touchpoint", "by_segment", "monthly", "volume", "journey", "findings"):
    getattr(state, part)  # parts are computed on first use
t2 = time.perf_counter()
print(json.dumps({"responses": len(ws.table("feedback")), "contacts": len(ws.table("contacts")),
                  "load_validate_s": t1 - t0, "baseline_s": t2 - t1, "total_s": t2 - t0,
                  "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}))
"""


def bench_scale() -> dict:
    """A year at 5,000 responses/day with ≈5 M contacts: validate + load every table, then every
    part of the step-01 baseline."""
    if not (SCALE_DIR / "client.yaml").exists():
        from cxlib.synth import generate

        with console.status("generating the scale workspace (once, ≈30 s)"):
            generate(SCALE_DIR, scale=90, responses_per_day=5000, formats="parquet")
    out = subprocess.run([sys.executable, "-c", SCALE_SCRIPT, str(SCALE_DIR)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_widgets() -> dict:
    """Milliseconds per control change (compute + figures), outside a kernel: output is discarded."""
    with contextlib.redirect_stdout(io.StringIO()):
        return _widget_times()


def _widget_times() -> dict:
    from cxlib.current_state import baseline
    from cxlib.ui import current_state_explorer, desired_state_explorer
    from cxlib.workshop import DesiredInputs, effective_desired
    from cxlib.workspace import load_workspace

    ws = load_workspace(SAMPLE)
    box = current_state_explorer(ws.tables, ws.config, "sv")
    times = []
    for name, value in [("channel", "phone"), ("segment", "privat"), ("kpi", "csat"), ("period", ("2025-03", "2025-06")),
                        ("channel", None), ("segment", None), ("kpi", "nps"), ("period", ("2025-01", "2025-12"))]:
        box.controls[name].value = value
        times.append(box.last_ms)
    current = baseline(ws.tables, ws.config).overall
    maturity = ws.table("maturity")
    with tempfile.TemporaryDirectory() as scratch:
        inputs = effective_desired(ws.config.targets, maturity, DesiredInputs())
        desired = desired_state_explorer(current, maturity, inputs, Path(scratch), "sv", ws.config.currency)
        dtimes = []
        for value in (10.0, 15.0, 25.0, 30.0):
            desired.controls["target__nps"].value = value
            dtimes.append(desired.last_ms)
    return {"current_state_median_ms": statistics.median(times), "current_state_max_ms": max(times),
            "desired_state_median_ms": statistics.median(dtimes), "desired_state_max_ms": max(dtimes)}


def main() -> None:
    results = {}
    for name, fn in [("report", bench_report), ("direct", bench_direct), ("widgets", bench_widgets),
                     ("scale", bench_scale)]:
        with console.status(f"benchmark: {name}"):
            results[name] = fn()
    results["notebook_overhead_s"] = {
        step: results["report"][step] - results["direct"][step] for step in results["direct"]}
    table = Table(title="make bench", title_justify="left")
    table.add_column("benchmark")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for group, values in results.items():
        for key, value in values.items():
            table.add_row(group, key, f"{value:,.3f}" if isinstance(value, float) else f"{value:,}")
    console.print(table)
    target = ROOT / "reports" / "bench.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=1))
    console.print(f"written to {target}")


if __name__ == "__main__":
    main()
