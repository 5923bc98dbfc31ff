"""Display tables of the step views: which columns, under which labels, in which units.

:func:`show_part` formats a part of a view with :func:`cxlib.report.display.format_columns`
and the column list in :data:`COLUMNS`, so that notebooks hold calls, not column lists.
"""

from __future__ import annotations

import pandas as pd

from .display import format_columns, show_table

COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "service_by_channel": [("channel", "col.channel", "text"), ("n", "col.contacts", "count"),
                           ("service_level", "col.service_level", "share+ci"), ("target", "col.target", "share"),
                           ("within_s", "col.within", "seconds"), ("abandonment", "col.abandonment", "share+ci"),
                           ("asa_s", "col.asa", "seconds+ci")],
    "worst": [("channel", "col.channel", "text"), ("when", "col.when", "text"), ("n", "col.contacts", "count"),
              ("service_level", "col.service_level", "share+ci"), ("abandonment", "col.abandonment", "share+ci"),
              ("asa_s", "col.asa", "seconds+ci")],
    "patience": [("channel", "col.channel", "text"), ("abandoned", "col.abandonment", "count"),
                 ("value", "col.patience", "seconds+ci")],
    "outside_hours": [("channel", "col.channel", "text"), ("contacts", "col.contacts", "count"),
                      ("outside", "col.outside", "count"), ("value", "col.share", "share+ci")],
    "while_closed": [("channel", "col.channel", "text"), ("total", "col.contacts", "count"),
                     ("while_closed", "col.while_closed", "count"), ("value", "col.share", "share+ci")],
    "async_service": [("channel", "col.channel", "text"), ("n", "col.contacts", "count"),
                      ("value", "col.service_level", "share+ci"), ("target", "col.target", "share"),
                      ("within_s", "col.within", "seconds"), ("median_s", "col.median_response", "seconds")],
    "staffing_summary": [("channel", "col.channel", "text"), ("fte_required", "col.fte_required", "fte"),
                         ("fte_scheduled", "col.fte_scheduled", "fte"), ("under_hours", "col.under_hours", "count"),
                         ("over_hours", "col.over_hours", "count"), ("cost_per_year", "col.cost_per_year", "currency"),
                         ("actual_service_level", "col.actual_service_level", "share"),
                         ("required_service_level", "col.required_service_level", "share")],
    "fte": [("channel", "col.channel", "text"), ("fte", "col.fte_required", "fte")],
    "scenarios": [("name", "col.scenario", "text"), ("moved_per_year", "col.moved", "count"),
                  ("fte", "col.fte_change", "fte"), ("cost_per_year", "col.cost_change", "currency"),
                  ("nps_points", "col.nps_change", "points_change"),
                  ("service_level_from_unchanged", "col.sl_unchanged", "share")],
    "funnel": [("journey", "col.journey", "text"), ("step_name", "col.step", "text"),
               ("sessions", "col.sessions", "count"), ("conversion", "col.conversion", "share+ci"),
               ("from_first", "col.from_first", "share+ci"), ("drop_off", "col.drop_off", "count"),
               ("median_s", "col.median_step_time", "seconds")],
    "device_gaps": [("journey", "col.journey", "text"), ("step_name", "col.step", "text"),
                    ("device", "col.device", "label:device"), ("entered", "col.entered", "count"),
                    ("conversion", "col.conversion", "share"), ("reference_conversion", "col.desktop", "share"),
                    ("gap", "col.gap_pp", "share_change+ci"), ("p_adjusted", "col.p_adjusted", "p"),
                    ("lost_per_year", "col.lost_per_year", "count")],
    "effort": [("touchpoint", "col.touchpoint", "text"), ("responses", "col.responses", "count"),
               ("contacts", "col.contacts", "count"), ("ces", "col.ces", "score+ci"), ("csat", "col.csat", "share+ci"),
               ("quadrant", "col.quadrant", "label:quadrant"), ("small", "col.small_sample", "flag")],
    "effort_by_device": [("device", "col.device", "label:device"), ("ces_n", "col.responses", "count"),
                         ("ces", "col.ces", "score+ci"), ("csat", "col.csat", "share+ci")],
    "repeats_by_reason": [("reason", "col.reason", "text"), ("contacts", "col.contacts", "count"),
                          ("followed", "col.repeats", "count"), ("value", "col.repeat_rate", "share+ci"),
                          ("hop_rate", "col.hop_rate", "share+ci"), ("extra_handle_s", "col.extra_handle", "seconds")],
    "repeats_by_channel": [("channel", "col.channel", "text"), ("contacts", "col.contacts", "count"),
                           ("followed", "col.repeats", "count"), ("value", "col.repeat_rate", "share+ci"),
                           ("hop_rate", "col.hop_rate", "share+ci"),
                           ("extra_handle_s", "col.extra_handle", "seconds")],
    "resolution": [("channel", "col.channel", "text"), ("contacts", "col.contacts", "count"),
                   ("fcr", "col.fcr_reported", "share+ci"), ("held", "col.fcr_held", "share+ci"),
                   ("not_held", "col.fcr_not_held", "share+ci")],
    "dropout_rates": [("journey", "col.journey", "text"), ("step_name", "col.step_not_reached", "text"),
                      ("device", "col.device", "label:device"), ("dropped", "col.dropped", "count"),
                      ("contacted", "col.contacted", "count"), ("value", "col.contact_rate", "share+ci")],
    "demand_rules": [("rule", "col.rule", "label:rule"), ("demand", "col.demand", "label:demand"),
                     ("contacts", "col.contacts", "count"), ("share", "col.share", "share")],
    "reason_pareto": [("reason", "col.reason", "text"), ("demand_type", "col.demand", "label:demand"),
                      ("suggested", "col.suggested", "label:demand"), ("contacts_per_year", "col.contacts_per_year",
                                                                       "count"),
                      ("share", "col.share", "share"), ("cumulative_share", "col.cumulative_share", "share"),
                      ("failure", "col.failure_contacts", "count"), ("unclear", "col.unclear_contacts", "count"),
                      ("handle_hours_per_year", "col.handle_hours_per_year", "count"),
                      ("cost_per_year", "col.cost_per_year", "currency"),
                      ("owner_department", "col.owner_department", "text")],
    "failure_by_channel": [("channel", "col.channel", "text"), ("contacts", "col.contacts", "count"),
                           ("value", "col.failure_share", "share+ci"), ("unclear_share", "col.unclear_share", "share"),
                           ("at_most", "col.failure_at_most", "share")],
    "failure_by_month": [("month", "dim.month", "text"), ("contacts", "col.contacts", "count"),
                         ("value", "col.failure_share", "share+ci"), ("unclear_share", "col.unclear_share", "share"),
                         ("at_most", "col.failure_at_most", "share")],
    "tied_up_by_channel": [("channel", "col.channel", "text"), ("contacts_before", "col.contacts_per_year", "count"),
                           ("contacts_after", "col.contacts_without_failure", "count"),
                           ("fte_before", "col.fte_required", "fte"), ("fte_after", "col.fte_without_failure", "fte"),
                           ("cost_before", "col.cost_per_year", "currency"),
                           ("cost_after", "col.cost_without_failure", "currency")],
    "by_root_cause": [("root_cause", "col.root_cause", "text"), ("owner_department", "col.owner_department", "text"),
                      ("contacts_per_year", "col.failure_contacts", "count+ci"), ("fte", "col.fte_tied_up", "fte+ci"),
                      ("cost_per_year", "col.cost_tied_up", "currency+ci")],
    "by_department": [("owner_department", "col.owner_department", "text"),
                      ("contacts_per_year", "col.failure_contacts", "count+ci"), ("fte", "col.fte_tied_up", "fte+ci"),
                      ("cost_per_year", "col.cost_tied_up", "currency+ci")],
    "experience_scores": [("kpi", "col.kpi", "label:kpi"), ("exposed", "col.with_failure", "score"),
                          ("reference", "col.value_only", "score"), ("diff", "col.diff", "score+ci"),
                          ("p_value", "col.p", "p"), ("n_exposed", "col.answers_with_failure", "count"),
                          ("n_reference", "col.answers_value_only", "count")],
    "experience_churn": [("exposed", "col.churn_with_failure", "share"),
                         ("reference", "col.churn_value_only", "share"), ("diff", "col.diff", "share_change+ci"),
                         ("p_value", "col.p", "p"), ("n_exposed", "col.customers_with_failure", "count"),
                         ("n_reference", "col.customers_value_only", "count")],
    "eliminations": [("name", "col.scenario", "text"), ("owner", "col.owner_department", "text"),
                     ("contacts_per_year", "col.removed_per_year", "count+ci"), ("fte", "col.fte_change", "fte+ci"),
                     ("cost_per_year", "col.cost_change", "currency+ci"),
                     ("service_level_unchanged", "col.sl_unchanged", "share"),
                     ("nps_points", "col.nps_change", "points_change+ci"),
                     ("customers_retained_per_year", "col.retained_per_year", "count+ci")],
}
"""Columns shown per view part: ``(column, label key, unit)`` as :func:`format_columns` takes them."""


def format_part(name: str, frame: pd.DataFrame, lang: str, currency: str,
                names: dict[str, str] | None = None) -> pd.DataFrame:
    """``frame`` (the view part ``name``) formatted for display with its :data:`COLUMNS`."""
    return format_columns(frame, COLUMNS[name], lang, currency, names=names)


def show_part(name: str, frame: pd.DataFrame, lang: str, currency: str, names: dict[str, str] | None = None) -> None:
    """Display the view part ``name`` as a formatted table."""
    show_table(format_part(name, frame, lang, currency, names))
