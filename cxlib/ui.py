"""Workshop and analyst widgets; each wraps the same pure functions the batch report uses.

:func:`explorer` ties controls to a render function, like ``ipywidgets.interactive``,
and shows how long each update took (the bar is 200 ms). Step-specific explorers build
their controls from the workspace and call the step's ``view``. Every step's explorer has one
signature, ``<step>_explorer(view)``. Nothing here needs a frontend to be constructed or tested.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable
from functools import lru_cache, partial

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from .report import charts
from .config import PRIORITY_CRITERIA, PRIORITY_METHODS, RACI_ROLES, ClientConfig
from .analysis import scoring
from .analysis.channel_shift import Shift
from .analysis.demand import Elimination
from .analysis.funnel import MOBILE_DEVICE, REFERENCE_DEVICE
from .steps import (accessibility, current_state, demand, desired_state, friction, insight, prioritisation,
                    roadmap_report)
from .steps.base import Filters
from .report.display import findings_html, format_columns, format_kpis, format_raci, show_item
from .report.tables import format_part
from .i18n import family_key, kpi_label, t
from .kpis import KPIS
from .io.workshop import (DesiredInputs, PriorityScore, ReasonInputs, ReasonLabel, load_priorities, save_desired,
                          save_priorities, save_raci, save_reasons)
from .text.pipeline import SENTIMENTS


EXPLORER_SAMPLES = 300
"""Draws of the ranking's stability in the step-07 explorer (the report takes client.yaml's, 500 by default)."""


def explorer(render: Callable[..., list], controls: dict[str, widgets.Widget]) -> widgets.VBox:
    """Controls plus an output area redrawn on every change.

    ``render(**values)`` returns what to show (figures, DataFrames, other displayables),
    in order. The last items and the update's duration in milliseconds (computing and
    sending them) are kept in ``box.last_items`` and ``box.last_ms``; the duration is also
    shown under the controls, numbered by ``box.updates`` (so that two updates of the same
    duration still tell apart).
    """
    timing = widgets.HTML()
    box = widgets.VBox()
    box.updates = 0

    def update(**values):
        start = time.perf_counter()
        box.last_items = render(**values)
        for item in box.last_items:
            show_item(item)
        box.last_ms = 1000 * (time.perf_counter() - start)
        box.updates += 1
        timing.value = f'<span class="cx-status" data-update="{box.updates}">{box.last_ms:.0f} ms</span>'

    output = widgets.interactive_output(update, controls)
    box.children = [widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")), timing, output]
    box.controls = controls
    return box


def _filter_controls(feedback: pd.DataFrame, config: ClientConfig, lang: str) -> dict[str, widgets.Widget]:
    """Period (months of the feedback), channel and segment controls; ``None`` means all."""
    every = t("word.all", lang)
    months = list(pd.period_range(feedback["date"].min(), feedback["date"].max(), freq="M").astype(str))
    segments = sorted(feedback["segment"].dropna().unique()) if "segment" in feedback else []
    return {
        "period": widgets.SelectionRangeSlider(options=months, index=(0, len(months) - 1),
                                               description=t("report.period", lang),
                                               layout=widgets.Layout(width="420px")),
        "channel": widgets.Dropdown(options=[(every, None)] + [(c.name, c.id) for c in config.channels],
                                    description=t("dim.channel", lang)),
        "segment": widgets.Dropdown(options=[(every, None)] + [(s, s) for s in segments],
                                    description=t("dim.segment", lang)),
    }


def current_state_explorer(view: current_state.CurrentState) -> widgets.VBox:
    """Period, channel, segment and KPI controls over step 01's ``view`` (its workspace and language)."""
    ws, config, lang = view.ws, view.config, view.lang
    tables = ws.tables
    feedback_kpis = [k for k, spec in KPIS.items() if spec.table == "feedback"]
    controls = {
        **_filter_controls(tables["feedback"], config, lang),
        "kpi": widgets.Dropdown(options=[(kpi_label(k, lang), k) for k in feedback_kpis], description="KPI"),
    }

    @lru_cache(maxsize=32)  # a slice seen before (or another KPI of the same slice) costs no recomputation
    def state_for(period, channel, segment):
        return current_state.view(ws, filters=Filters(*period_dates(period), channel, segment), lang=lang)

    by = "channel" if view.missing("by_touchpoint") else "touchpoint"

    def render(period, channel, segment, kpi):
        state = state_for(tuple(period), channel, segment)
        return [format_kpis(state.overall, lang, config.currency),
                charts.kpi_by(state.kpis(by, [kpi], feedback_only=True), kpi, by, lang,
                              overall=state.value(kpi), target=config.targets.get(kpi)),
                charts.trend(state.kpis("month", [kpi]), kpi, lang, target=config.targets.get(kpi))]

    return explorer(render, controls)


_UNBOUNDED = 1e12
"""Bound of a target box for a KPI without a natural bound (seconds, currency)."""


def desired_state_explorer(view: desired_state.DesiredState) -> widgets.VBox:
    """Editable KPI targets and desired maturity (1–5) over step 02's ``view``; every edit is saved
    to the workspace at once.

    The starting values are the view's inputs (client.yaml targets with saved workshop edits on
    top, see :func:`cxlib.io.workshop.effective_desired`). Nothing is written until a value changes.
    """
    inputs, lang = view.inputs, view.lang
    controls: dict[str, widgets.Widget] = {
        f"target__{k}": widgets.BoundedFloatText(
            value=v, min=-_UNBOUNDED if KPIS[k].lo is None else KPIS[k].lo,
            max=_UNBOUNDED if KPIS[k].hi is None else KPIS[k].hi,
            description=kpi_label(k, lang), style={"description_width": "200px"}, layout=widgets.Layout(width="320px"))
        for k, v in inputs.targets.items()
    }
    for area, level in inputs.maturity.items():
        controls[f"maturity__{area}"] = widgets.FloatSlider(
            value=level, min=1, max=5, step=0.1, description=area, style={"description_width": "200px"},
            layout=widgets.Layout(width="420px"))

    def render(**values):
        edited = DesiredInputs(
            targets={k.split("__", 1)[1]: v for k, v in values.items() if k.startswith("target__")},
            maturity={k.split("__", 1)[1]: v for k, v in values.items() if k.startswith("maturity__")})
        if edited != inputs:
            save_desired(view.ws.root, edited)
        state = desired_state.view(view.ws, lang=lang, inputs=edited, current=view.current)
        radar = [charts.maturity_radar(state.maturity_gaps, lang)] if state.maturity_gaps is not None else []
        return [charts.gaps(state.kpi_gaps, lang), *radar, HTML(findings_html(state.findings, lang))]

    return explorer(render, controls)


def insight_explorer(view: insight.Insight) -> widgets.VBox:
    """Period, channel, segment, language, theme and tone controls over step 03's ``view``: themes
    by tone, NPS by channel against the rest, and the newest scrubbed comments of the theme.

    The view's comment analysis of the whole period is shared by every slice (never recomputed).
    """
    ws, config, lang, comments = view.ws, view.config, view.lang, view.all_text
    tables = ws.tables
    every = t("word.all", lang)
    names = config.channel_names()
    controls = {
        **_filter_controls(tables["feedback"], config, lang),
        "language": widgets.Dropdown(options=[(every, None)] + [(code, code) for code in config.comment_languages],
                                     description=t("col.language", lang)),
        "theme": widgets.Dropdown(options=[(every, None)] + [(th.name(lang), th.id) for th in comments.themes],
                                  description=t("col.theme", lang)),
        "tone": widgets.Dropdown(options=[(t(family_key("sentiment", s), lang), s) for s in SENTIMENTS],
                                 description=t("col.sentiment", lang)),
    }

    @lru_cache(maxsize=32)
    def view_for(period, channel, segment, language):
        return insight.view(ws, filters=Filters(*period_dates(period), channel, segment), lang=lang, text=comments,
                            language=language)

    def render(period, channel, segment, language, theme, tone):
        view = view_for(tuple(period), channel, segment, language)
        shown = format_columns(view.verbatims(theme, tone, n=15), [
            ("date", "loop.date", "text"), ("channel", "dim.channel", "text"), ("nps", "kpi.nps", "count"),
            ("language", "col.language", "text"), ("comment", "col.comment", "text")], lang, names=names)
        items = [charts.theme_sentiment(view.themes, lang), shown]
        if channel is None and view.comparisons is not None:
            items.insert(1, charts.effects(view.comparisons["channel"], "channel", lang, value="diff",
                                           highlight="significant", names=names,
                                           title=t("chart.compare", lang, dim=t("dim.channel", lang).lower()),
                                           axis_title=t("axis.points", lang)))
        return items

    return explorer(render, controls)


def accessibility_explorer(view: accessibility.Accessibility) -> widgets.VBox:
    """Channel-shift and staffing scenarios over step 04's ``view``, for analysts.

    Controls: the channel contacts leave, the reason (or all), the channel they move to and the
    share that moves; then a queue channel and its service-level target and answer time, its
    shrinkage and occupancy cap (each queue keeps its own settings; the view's own channel
    overrides stay in force). Each update shows the scenario's table and FTE waterfall and the
    required FTE. Nothing is saved: client.yaml and scenarios.yaml stay the clients' own.
    """
    lang, names = view.lang, view.names
    staffed = [c for c in view.channels if c.kind in ("queue", "async")]
    queues = [c for c in staffed if c.kind == "queue" and c.service_level is not None]
    if view.contacts is None or not queues or view.load is None:
        return widgets.VBox([widgets.HTML(t("report.missing_table", lang, table="contacts",
                                            what=t(family_key("missing", "contacts"), lang)))])
    every = t("word.all", lang)
    reasons = [every, *view.contacts["reason"].value_counts().index]
    options = [(names.get(c.id, c.id), c.id) for c in staffed]
    settings = {c.id: {"sl_share": c.service_level.share, "within_s": int(c.service_level.within_s),
                       "shrinkage": c.shrinkage, "max_occupancy": c.max_occupancy} for c in queues}
    first = settings[queues[0].id]
    # the ranges reach the client's own values wherever these lie
    lowest = {key: min(q[key] for q in settings.values()) for key in first}
    highest = {key: max(q[key] for q in settings.values()) for key in first}
    style, wide = {"description_width": "160px"}, widgets.Layout(width="360px")
    slider = dict(style=style, layout=wide, readout_format=".0%")
    controls = {
        "source": widgets.Dropdown(options=options, value=queues[0].id, description=t("col.channel", lang),
                                   style=style, layout=wide),
        "reason": widgets.Dropdown(options=reasons, value=every, description=t("col.reason", lang), style=style,
                                   layout=wide),
        "target": widgets.Dropdown(options=options, value=staffed[-1].id, description="→", style=style, layout=wide),
        "share": widgets.FloatSlider(value=0.3, min=0.05, max=1.0, step=0.05, description=t("col.share", lang),
                                     **slider),
        "queue": widgets.Dropdown(options=[(names.get(c.id, c.id), c.id) for c in queues], value=queues[0].id,
                                  description=t("ui.settings_for", lang), style=style, layout=wide),
        "sl_share": widgets.FloatSlider(value=first["sl_share"], min=min(0.5, lowest["sl_share"]), max=0.99,
                                        step=0.01, description=t("col.service_level", lang), **slider),
        "within_s": widgets.BoundedIntText(value=first["within_s"], min=1, max=max(3600, highest["within_s"]), step=5,
                                           description=t("col.within", lang) + " (s)", style=style, layout=wide),
        "shrinkage": widgets.FloatSlider(value=first["shrinkage"], min=0.0, max=max(0.6, highest["shrinkage"]),
                                         step=0.01, description="Shrinkage", **slider),
        "max_occupancy": widgets.FloatSlider(value=first["max_occupancy"], min=min(0.5, lowest["max_occupancy"]),
                                             max=1.0, step=0.01, description=t("col.occupancy", lang), **slider),
    }
    loading = []  # non-empty while the controls show another queue's settings

    def show_queue(change):
        loading.append(True)
        for key, value in settings[change["new"]].items():
            controls[key].value = value
        loading.pop()

    def remember(key, change):
        if not loading:
            settings[controls["queue"].value][key] = change["new"]

    # registered before the explorer's own observers, so that a redraw sees the settings already stored
    controls["queue"].observe(show_queue, "value")
    for key in first:
        controls[key].observe(partial(remember, key), "value")

    @lru_cache(maxsize=16)  # moving another share or reason with the same settings costs no new staffing
    def state_for(key: tuple) -> accessibility.Accessibility:
        channels = {cid: dict(override) for cid, override in view.overrides.items()}
        for cid, sl_share, within_s, shrinkage, max_occupancy in key:
            channels[cid] = {**channels.get(cid, {}), "service_level": {"share": sl_share, "within_s": within_s},
                             "shrinkage": shrinkage, "max_occupancy": max_occupancy}
        return accessibility.view(view.ws, filters=view.filters, lang=lang, out_dir=view.out_dir, channels=channels,
                                  channel_kpis=view.channel_kpis)

    def render(source, reason, target, share, **_):
        if source == target:
            return [t("ui.same_channel", lang)]
        state = state_for(tuple((cid, *q.values()) for cid, q in settings.items()))
        shift = Shift("explorer", t("ui.scenario", lang), source, target, share, None if reason == every else reason)
        result = state.evaluate(shift, state.channel_kpis[state.channel_kpis["kpi"] == "nps"])
        row = accessibility.scenario_row(shift, result)
        return [format_part("scenarios", pd.DataFrame([row]), lang, view.currency, names),
                charts.scenario_waterfall(pd.Series(row), lang, names),
                format_part("fte", state.fte, lang, view.currency, names)]

    return explorer(render, controls)


def friction_explorer(view: friction.Friction) -> widgets.VBox:
    """Journey, device, period and window controls over step 05's ``view``, for analysts.

    Each update shows the journey's funnel on the chosen device against desktop, that device's
    conversion gap per step, and the repeat rates per reason. The conversion window and the
    repeat window (days) start at the view's; a funnel or repeat computation already seen for a
    period and window is reused, so moving one window never recomputes the other's part.
    """
    ws, lang = view.ws, view.lang
    if view.missing("device_gaps"):
        return widgets.VBox([widgets.HTML(t("report.missing_table", lang, table="journeys",
                                            what=t(family_key("missing", "journeys"), lang)))])
    journeys = ws.tables["journeys"]
    months = list(pd.period_range(journeys["timestamp"].min(), journeys["timestamp"].max(), freq="M").astype(str))
    devices = [d for d in journeys["device"].dropna().unique() if d != REFERENCE_DEVICE] or [REFERENCE_DEVICE]
    style, wide = {"description_width": "160px"}, widgets.Layout(width="360px")
    window = dict(min=1, max=30, step=1, style=style, layout=wide)
    controls = {
        "period": widgets.SelectionRangeSlider(options=months, index=(0, len(months) - 1),
                                               description=t("report.period", lang), style=style,
                                               layout=widgets.Layout(width="480px")),
        "journey": widgets.Dropdown(options=list(view.steps["journey"].unique()), description=t("col.journey", lang),
                                    style=style, layout=wide),
        "device": widgets.Dropdown(options=[(t(family_key("device", d), lang), d) for d in devices],
                                   value=MOBILE_DEVICE if MOBILE_DEVICE in devices else devices[0],
                                   description=t("col.device", lang), style=style, layout=wide),
        "funnel_window": widgets.IntSlider(value=round(view.funnel_window_days),
                                           description=t("ui.funnel_window", lang), **window),
        "repeat_window": widgets.IntSlider(value=round(view.repeat_window_days),
                                           description=t("ui.repeat_window", lang), **window),
    }

    @lru_cache(maxsize=8)
    def period_state(period: tuple[str, str]) -> friction.Friction:
        state = friction.view(ws, filters=Filters(*period_dates(period)), lang=lang)
        state.steps  # computed once, shared by every window of the period
        return state

    @lru_cache(maxsize=16)  # another journey or device, or another repeat window, costs no new funnel
    def funnel_state(period: tuple[str, str], days: int) -> friction.Friction:
        return period_state(period).with_windows(funnel_window_days=days)

    @lru_cache(maxsize=16)
    def repeat_state(period: tuple[str, str], days: int) -> friction.Friction:
        return period_state(period).with_windows(repeat_window_days=days)

    def render(period, journey, device, funnel_window, repeat_window):
        funnels = funnel_state(tuple(period), funnel_window)
        by_device = funnels.funnel_by_device
        items = [charts.funnel_by_device(by_device[by_device["device"].isin([device, REFERENCE_DEVICE])], lang,
                                         journey=journey),
                 charts.device_gap(funnels.device_gaps[funnels.device_gaps["journey"] == journey], lang,
                                   device=device)]
        repeats = repeat_state(tuple(period), repeat_window)
        if repeats.repeats_by_reason is not None:
            items.append(charts.repeat_rates(repeats.repeats_by_reason, lang))
        return items

    return explorer(render, controls)


def reason_editor(view: demand.Demand) -> widgets.VBox:
    """Type, root cause and owning department of the reasons without a type in the client's reasons table,
    over step 06's ``view``; every edit is saved to ``workshop/reasons.yaml`` at once.

    The starting values are the labels in force (the workshop's saved ones). Nothing is written
    until a value changes. Each update shows how the contacts are classified with the labels as
    edited, and the failure-share finding.
    """
    lang = view.lang
    table = view.editable
    if table is None or table.empty:
        return widgets.VBox([widgets.HTML(t("ui.nothing_to_label", lang))])
    style = {"description_width": "260px"}
    kinds = [(t("ui.unlabelled", lang), ""), *((t(family_key("demand", k), lang), k) for k in ("value", "failure"))]
    owners = [("–", ""), *((d.name, d.id) for d in view.config.departments)]
    controls: dict[str, widgets.Widget] = {}
    for i, row in enumerate(table.itertuples()):
        hint = "" if pd.isna(row.suggested) else " · " + t("ui.suggested", lang, demand=t(family_key(
            "demand", row.suggested), lang))
        label = f"{row.reason} ({view.fmt.value(row.contacts, 'count')}){hint}"
        controls[f"type__{i}"] = widgets.Dropdown(options=kinds, value=_text(row.demand_type), description=label,
                                                  style=style, layout=widgets.Layout(width="520px"))
        controls[f"cause__{i}"] = widgets.Text(value=_text(row.root_cause), description=t("col.root_cause", lang),
                                               continuous_update=False, layout=widgets.Layout(width="420px"))
        controls[f"owner__{i}"] = widgets.Dropdown(
            options=owners if _text(row.owner_department) in {o for _, o in owners} else
            [*owners, (row.owner_department, row.owner_department)], value=_text(row.owner_department),
            description=t("col.owner_department", lang), layout=widgets.Layout(width="320px"))
    reasons = list(table["reason"])
    start = view.labels
    own = table.set_index("reason")[["own_demand_type", "own_root_cause", "own_owner_department"]]

    def edited(values: dict) -> ReasonInputs:
        """The saved labels with the controls' values where they differ from the client's reasons table."""
        labels = dict(start.reasons)
        for i, reason in enumerate(reasons):
            given = {"demand_type": values[f"type__{i}"], "root_cause": values[f"cause__{i}"].strip(),
                     "owner_department": values[f"owner__{i}"]}
            labels[reason] = ReasonLabel(**{key: value or None for key, value in given.items()
                                            if value != _text(own.loc[reason, f"own_{key}"])})
        return ReasonInputs(reasons={k: v for k, v in labels.items() if v.model_dump(exclude_none=True)})

    def render(**values):
        inputs = edited(values)
        items = []
        if inputs != start:
            path = save_reasons(view.ws.root, inputs)
            items.append(t("ui.saved", lang, path=f"{path.parent.name}/{path.name}",
                           time=dt.datetime.now().strftime("%H:%M:%S")))
        state = view.with_inputs(labels=inputs)
        return [*items, format_part("demand_rules", state.rules, lang, view.currency, view.names),
                HTML(findings_html(demand.share_findings(state), lang))]

    return explorer(render, controls)


def _text(value) -> str:
    """A widget's text for a table value: empty for a missing one."""
    return "" if value is None or pd.isna(value) else str(value)


def demand_explorer(view: demand.Demand) -> widgets.VBox:
    """Elimination scenarios over step 06's ``view``, for analysts.

    Controls: a reason or root cause, the share (0–1) of its failure contacts removed, and the
    repeat window (days). Each update shows the scenario's contacts, FTE, cost, service level, NPS
    and churn effects, and the failure share by channel. A view seen for a window is reused, so
    moving the share or the target never classifies the contacts again. Nothing is saved.
    """
    lang, names = view.lang, view.names
    if view.model is None:
        return widgets.VBox([widgets.HTML(t("report.missing_columns", lang, needs="handle_time_s"))])
    reasons = view.pareto[view.pareto["failure"] > 0].sort_values("failure", ascending=False)
    causes = view.by_root_cause["root_cause"]
    options = [(f"{r}", ("reason", r)) for r in reasons["reason"]] + [
        (f"{t('col.root_cause', lang)}: {c[:60]}", ("root_cause", c)) for c in causes]
    style, wide = {"description_width": "160px"}, widgets.Layout(width="560px")
    controls = {
        "target": widgets.Dropdown(options=options, value=options[0][1], description=t("ui.target", lang), style=style,
                                   layout=wide),
        "share": widgets.FloatSlider(value=0.5, min=0.1, max=1.0, step=0.1, description=t("ui.removed_share", lang),
                                     style=style, layout=widgets.Layout(width="420px"), readout_format=".0%"),
        "repeat_window": widgets.IntSlider(value=round(view.repeat_window_days), min=1, max=30, step=1,
                                           description=t("ui.repeat_window", lang), style=style,
                                           layout=widgets.Layout(width="420px")),
    }

    @lru_cache(maxsize=8)
    def window_state(days: int) -> demand.Demand:
        return view if days == view.repeat_window_days else view.with_inputs(repeat_window_days=days)

    def render(target, share, repeat_window):
        state = window_state(repeat_window)
        kind, name = target
        elimination = Elimination("explorer", t("ui.scenario", lang), share, **{kind: name})
        row = state.evaluate(elimination)
        return [format_part("eliminations", pd.DataFrame([row]), lang, view.currency, names),
                charts.failure_share(state.by_channel, lang, by="channel", names=names, typical=view.typical)]

    return explorer(render, controls)


def period_dates(period: tuple[str, str]) -> tuple[dt.date, dt.date]:
    """First and last day of a ('YYYY-MM', 'YYYY-MM') month range."""
    first, last = (pd.Period(p, "M") for p in period)
    return first.start_time.date(), last.end_time.date()



def priority_form(view: prioritisation.Prioritisation, *,
                  now: Callable[[], dt.datetime] | None = None) -> widgets.VBox:
    """The workshop's scoring form over step 07's ``view``: each participant scores an initiative's
    effort and effect 1–5 with a comment, and may give its one-off cost and duration; every score
    saved goes to ``workshop/priorities.yaml`` at once (atomically), with who and when.

    The initiatives still without an effort score come first. Under the form, the agreement
    between participants (:attr:`~cxlib.steps.prioritisation.Prioritisation.agreement`). A
    participant's new score replaces their earlier one of the same initiative; after a save the
    comment, cost and duration fields are emptied for the next participant. ``now`` gives the
    time stamp (default: the clock, in UTC). ``box.save()`` does what the button does.
    """
    lang = view.lang
    table = view.initiatives.sort_values("effort", na_position="first", kind="stable")
    options = [(f"{row.name} ({view.names.get(row.source, row.source)})", row.id) for row in table.itertuples()]
    style, wide = {"description_width": "160px"}, widgets.Layout(width="640px")
    optional = t("ui.optional", lang)
    form = {
        "participant": widgets.Text(description=t("ui.participant", lang), style=style),
        "initiative": widgets.Dropdown(options=options, description=t("col.initiative", lang), style=style,
                                       layout=wide),
        "effort": widgets.IntSlider(value=3, min=1, max=5, description=t("col.effort_score", lang), style=style),
        "effect": widgets.IntSlider(value=3, min=1, max=5, description=t("col.rated_effect", lang), style=style),
        "comment": widgets.Text(description=t("ui.comment", lang), style=style, layout=wide),
        "cost": widgets.Text(description=t("col.one_off_cost", lang), placeholder=optional, style=style),
        "duration": widgets.Text(description=t("col.duration_months", lang), placeholder=optional, style=style),
    }
    button = widgets.Button(description=t("ui.save_score", lang), button_style="primary")
    status, agreement = widgets.HTML(), widgets.Output()
    box = widgets.VBox([*form.values(), button, status, agreement])
    box.controls, box.button, box.status, box.state = form, button, status, view

    def show_agreement() -> None:
        scored = box.state.agreement
        box.last_table = format_part("agreement", scored, lang, view.currency, view.names) if len(scored) else None
        agreement.clear_output()
        with agreement:
            show_item(HTML(f"<p>{html.escape(t('ui.no_scores', lang))}</p>") if box.last_table is None
                      else box.last_table)

    def save(_=None) -> None:
        values = {name: control.value for name, control in form.items()}
        amounts, problem = _optional_amounts(values, lang)
        if not values["participant"].strip():
            problem = t("ui.participant_needed", lang)
        if problem:
            status.value = f'<span class="cx-status cx-error">{html.escape(problem, quote=False)}</span>'
            return
        stamp = (now or (lambda: dt.datetime.now(dt.timezone.utc)))()
        score = PriorityScore(participant=values["participant"].strip(), effort=values["effort"],
                              effect=values["effect"], comment=values["comment"].strip(), at=stamp)
        inputs = box.state.inputs.scored(values["initiative"], score, **amounts)
        path = save_priorities(view.ws.root, inputs)
        box.state = box.state.with_settings(inputs=inputs)
        for name in ("comment", "cost", "duration"):  # the next participant starts from empty fields
            form[name].value = ""
        status.value = '<span class="cx-status">' + html.escape(t(
            "ui.saved", lang, path=f"{path.parent.name}/{path.name}", time=stamp.astimezone().strftime("%H:%M:%S"))) \
            + "</span>"
        show_agreement()

    button.on_click(save)
    box.save = save
    show_agreement()
    return box


def _optional_amounts(values: dict, lang: str) -> tuple[dict[str, float], str]:
    """The cost and duration typed in the form (empty: not given), and a message when one is not a number ≥ 0."""
    out = {}
    for key, label in (("cost", "col.one_off_cost"), ("duration", "col.duration_months")):
        text = values[key].strip().replace(" ", "").replace("\xa0", "").replace(",", ".")
        if not text:
            continue
        try:
            amount = float(text)
        except ValueError:
            amount = -1.0
        if not amount >= 0 or amount == float("inf"):
            return {}, t("ui.not_an_amount", lang, field=t(label, lang), value=values[key])
        out[key] = amount
    return out, ""


def prioritisation_explorer(view: prioritisation.Prioritisation) -> widgets.VBox:
    """Weights, budget and ranking method over step 07's ``view``, for analysts and workshops.

    Each update ranks again (with the stability of a few hundred draws), chooses the best set
    within the budget and redraws the matrix; the initiative list is computed once. Moving a
    control saves nothing; the button (``box.keep()``) saves the weights and budget shown to
    ``workshop/priorities.yaml``, and the next run ranks with them.
    """
    lang = view.lang
    style = {"description_width": "220px"}
    total = float(view.priced["cost"].sum()) if len(view.priced) else 0.0
    weights = scoring.weights_of(view.weights, PRIORITY_CRITERIA)
    controls: dict[str, widgets.Widget] = {
        f"weight__{c}": widgets.FloatSlider(value=round(float(w), 2), min=0, max=1, step=0.05,
                                            description=t(family_key("criterion", c), lang), style=style,
                                            layout=widgets.Layout(width="460px"))
        for c, w in zip(PRIORITY_CRITERIA, weights)}
    controls["budget"] = widgets.FloatSlider(
        value=min(view.budget if view.budget is not None else total / 2, total), min=0, max=max(total, 1.0),
        step=max(total / 100, 1.0), description=f"{t('col.budget', lang)} ({view.currency})", style=style,
        readout_format=",.0f", layout=widgets.Layout(width="560px"))
    controls["method"] = widgets.Dropdown(options=[(t(family_key("method", m), lang), m) for m in PRIORITY_METHODS],
                                          value=view.method, description=t("ui.method", lang), style=style)
    base = view.with_settings()
    base.settings = base.settings.model_copy(update={"samples": EXPLORER_SAMPLES})

    def render(budget, method, **values):
        chosen = {key.split("__", 1)[1]: value for key, value in values.items()}
        if not any(w > 0 for w in chosen.values()):
            return [t("ui.some_weight", lang)]
        state = base.with_settings(weights=chosen, budget=budget, method=method)
        matrix = [charts.effort_effect(state.matrix, lang, thresholds=state.thresholds(state.matrix))] if len(
            state.matrix) else []
        portfolio = [format_part("portfolio", state.portfolio_table, lang, view.currency, view.names)] if len(
            state.portfolio_table) else []
        return [format_part("ranking", state.ranking.head(12), lang, view.currency, view.names), *portfolio,
                *matrix, HTML(findings_html(state.findings, lang))]

    box = explorer(render, controls)
    button = widgets.Button(description=t("ui.keep_weights", lang), layout=widgets.Layout(width="auto"))
    status = widgets.HTML()

    def keep(_=None) -> None:
        chosen = {c: controls[f"weight__{c}"].value for c in PRIORITY_CRITERIA}
        if not any(w > 0 for w in chosen.values()):
            status.value = f'<span class="cx-status cx-error">{html.escape(t("ui.some_weight", lang))}</span>'
            return
        inputs = load_priorities(view.ws.root).model_copy(
            update={"weights": chosen, "budget": controls["budget"].value})
        path = save_priorities(view.ws.root, inputs)
        status.value = '<span class="cx-status">' + html.escape(t(
            "ui.saved", lang, path=f"{path.parent.name}/{path.name}", time=dt.datetime.now().strftime("%H:%M:%S"))) \
            + "</span>"

    button.on_click(keep)
    box.children = (*box.children[:1], widgets.HBox([button, status]), *box.children[1:])
    box.keep, box.keep_status = keep, status
    return box


def raci_editor(view: roadmap_report.RoadmapReport) -> widgets.VBox:
    """The workshop's RACI editor over step 08's ``view``: pick an initiative of the roadmap and a department,
    set its role (A/R, A, R, C, I) and save; every saved cell goes to ``workshop/raci.yaml`` at once
    (atomically), and the matrix and the RACI findings under the form are redrawn.

    The role shown is the cell's role in force. ``box.save()`` does what the button does.
    """
    lang = view.lang
    if view.raci is None:
        return widgets.VBox([widgets.HTML(html.escape(t("ui.no_roadmap", lang)))])
    style = {"description_width": "160px"}
    form = {
        "initiative": widgets.Dropdown(options=list(zip(view.roadmap["name"], view.roadmap["id"])),
                                       description=t("col.initiative", lang), style=style,
                                       layout=widgets.Layout(width="640px")),
        "department": widgets.Dropdown(options=[(view.departments.get(d, d), d) for d in
                                                dict.fromkeys(view.raci["department"])],
                                       description=t("col.department", lang), style=style),
        "role": widgets.Dropdown(options=list(RACI_ROLES), description=t("col.raci_role", lang), style=style),
    }
    button = widgets.Button(description=t("ui.save_role", lang), button_style="primary")
    status, matrix = widgets.HTML(), widgets.Output()
    box = widgets.VBox([*form.values(), button, status, matrix])
    box.controls, box.button, box.status, box.state = form, button, status, view

    def role_in_force(_=None) -> None:
        cells = box.state.raci.set_index(["initiative", "department"])["role"]
        form["role"].value = cells[form["initiative"].value, form["department"].value]

    def redraw() -> None:
        box.last_table = format_raci(box.state.raci_matrix, lang)
        matrix.clear_output()
        with matrix:
            show_item(box.last_table)
            show_item(HTML(findings_html(box.state.findings, lang)))

    def save(_=None) -> None:
        inputs = box.state.raci_inputs.edited(form["initiative"].value, form["department"].value, form["role"].value)
        path = save_raci(view.ws.root, inputs)
        box.state = box.state.with_raci(inputs)
        status.value = '<span class="cx-status">' + html.escape(t(
            "ui.saved", lang, path=f"{path.parent.name}/{path.name}", time=dt.datetime.now().strftime("%H:%M:%S"))) \
            + "</span>"
        redraw()

    form["initiative"].observe(role_in_force, names="value")
    form["department"].observe(role_in_force, names="value")
    button.on_click(save)
    box.save = save
    role_in_force()
    redraw()
    return box
