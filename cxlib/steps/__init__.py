"""The steps of the workbook: one module and one notebook per step, all of the same shape.

:data:`REGISTRY` is the one place that names a step: its notebook, its title label, the steps
whose saved results it reads, the files it writes besides its page and result, and its
headline KPIs. The runner's graph, the report index and the tests read it. Adding a step is a
module under ``cxlib/steps/``, a notebook and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import family_key


@dataclass(frozen=True)
class StepSpec:
    """What the rest of the workbook knows about one step.

    Attributes
    ----------
    name : str
        ``NN_name``: the notebook is ``notebooks/<name>.ipynb``, the result ``results/<name>.json``.
    module : str
        The step's module under :mod:`cxlib.steps`.
    reads : tuple of str
        Steps whose saved results this step reads (the runner runs them first).
    files : tuple of str
        Files the step writes besides its page and result, relative to the report folder.
    headline_kpis : tuple of str
        KPI ids shown as cards on the report index, from this step's saved KPIs.
    """

    name: str
    module: str
    reads: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    headline_kpis: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        """File name of the step's notebook."""
        return f"{self.name}.ipynb"

    @property
    def title_key(self) -> str:
        """Label key of the step's title (:func:`cxlib.i18n.t`)."""
        return family_key("step", self.name)


REGISTRY: dict[str, StepSpec] = {spec.name: spec for spec in (
    StepSpec("01_current_state", "current_state",
             headline_kpis=("nps", "csat", "ces", "fcr", "first_response_time_s", "churn_rate")),
    StepSpec("02_desired_state", "desired_state", reads=("01_current_state",)),
    StepSpec("03_insight", "insight",
             files=tuple(f"loop/{name}.{ext}" for name in ("callbacks", "promoters") for ext in ("csv", "xlsx"))),
    StepSpec("04_accessibility", "accessibility", reads=("01_current_state",)),
    StepSpec("05_friction", "friction"),
    StepSpec("06_unnecessary_demand", "demand", reads=("05_friction",)),
    StepSpec("07_prioritisation", "prioritisation",
             reads=("01_current_state", "03_insight", "04_accessibility", "05_friction", "06_unnecessary_demand")),
    StepSpec("08_roadmap_report", "roadmap_report",
             reads=("01_current_state", "02_desired_state", "03_insight", "04_accessibility", "05_friction",
                    "06_unnecessary_demand", "07_prioritisation")),
)}
