"""cxlib: the computations behind the CX strategy workbook.

The public API, imported lazily so that ``cxwb --help`` stays quick::

    from cxlib import load_workspace, kpi_table, run
    ws = load_workspace("data/sample")
    kpi_table(ws.tables, ["nps", "csat"], by="channel")
    analyse(ws.tables["feedback"]["comment"]).comments   # language, themes, sentiment
    run("data/sample", "reports/sample")
"""

from importlib import import_module
from importlib.metadata import version

__version__ = version("cxlib")

_API = {
    "load_workspace": "io.workspace", "validate_workspace": "io.workspace", "Workspace": "io.workspace",
    "load_config": "config", "ClientConfig": "config",
    "kpi_table": "analysis.metrics", "nps": "analysis.metrics", "nps_difference": "analysis.metrics",
    "Estimate": "analysis.metrics",
    "REGISTRY": "steps", "open_step": "session",
    "analyse": "text.pipeline", "scrub": "text.pii", "key_drivers": "analysis.drivers",
    "erlang_c": "stats.queues", "erlang_a": "stats.queues", "required_agents": "stats.queues",
    "scheduled_agents": "stats.queues",
    "rice": "analysis.scoring", "ice": "analysis.scoring", "wsjf": "analysis.scoring", "quadrant": "analysis.scoring",
    "best_portfolio": "analysis.portfolio",
    "run": "runner", "generate": "synth",
    "CxError": "errors", "InputError": "errors", "Problem": "errors",
}
__all__ = [*_API, "__version__"]


def __getattr__(name):
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'cxlib' has no attribute {name!r}")
