"""Report labels in Swedish, English and Norwegian bokmål, and how numbers are written.

The labels live in YAML files in ``cxlib/i18n/labels`` (see :mod:`cxlib.i18n.catalogue`):
``common.yaml`` (KPIs, dimensions, columns, statuses, words), ``report.yaml`` (report pages,
notices, missing tables) and one file per step. ``t(key, lang)`` returns a label and
``t_n(key, n, lang)`` a plural one; a missing Norwegian text falls back to Swedish (closer to
bokmål than English is), then English, and a missing key is a programming error
(``KeyError``), caught by ``tests/test_i18n.py``, which checks that every key the code uses
exists in every language and every key in the files is used.

Keys built at run time from a value (``kpi.<id>``, ``gap.<status>``) belong to a family
registered in :data:`FAMILIES` with the constant that lists its members, and are built by
:func:`family_key`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType

#: The report languages (client.yaml ``language``, ``cxwb run --lang``); the first is the default
#: language of a client.
LANGUAGES = ("sv", "en", "nb")

from .catalogue import CatalogueError, is_plural, labels, render, render_plural  # noqa: E402  (reads LANGUAGES)
from .format import Format, fmt_number, fmt_p, fmt_value  # noqa: E402

__all__ = ["FAMILIES", "LANGUAGES", "CatalogueError", "Format", "family_key", "family_members", "fmt_number",
           "fmt_p", "fmt_value", "is_plural", "kpi_label", "labels", "t", "t_n"]

#: Key families built at run time: prefix → where its members are listed (``module:NAME`` of a
#: tuple, or of a dict whose keys are the members). The key of a member is
#: ``family_key(prefix, member)``.
FAMILIES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "kpi": ("cxlib.kpis:KPIS",),
    "dim": ("cxlib.analysis.metrics:DIMENSIONS",),
    "step": ("cxlib.steps:REGISTRY",),
    "step.status": ("cxlib.report.pages:STEP_STATUSES",),
    "gap": ("cxlib.steps.desired_state:GAP_STATUSES",),
    "word": ("cxlib.steps.current_state:RANKS",),
    "group": ("cxlib.stats.nps:GROUPS",),
    "sentiment": ("cxlib.text.pipeline:SENTIMENTS",),
    "verdict": ("cxlib.analysis.significance:VERDICTS", "cxlib.analysis.significance:CHANGES"),
    "f03.compare": ("cxlib.analysis.significance:DIRECTIONS",),
    "behaviour": ("cxlib.analysis.loyalty:BEHAVIOURS",),
    "rec": ("cxlib.analysis.loyalty:OUTCOMES",),
    "loop": ("cxlib.report.exports:LOOP_HEADERS", "cxlib.analysis.loop:PRIORITIES"),
    "missing": ("cxlib.report.display:EXPLAINED_TABLES",),
    "effect": ("cxlib.results:EFFECTS",),
    "mechanism": ("cxlib.results:MECHANISMS",),
    "weekday": ("cxlib.config:WEEKDAYS",),
    "device": ("cxlib.io.schema:DEVICES",),
    "quadrant": ("cxlib.analysis.effort:QUADRANTS",),
    "demand": ("cxlib.analysis.demand:CLASSES",),
    "rule": ("cxlib.analysis.demand:RULES",),
    "matrix": ("cxlib.analysis.scoring:QUADRANTS",),
    "method": ("cxlib.config:PRIORITY_METHODS",),
    "criterion": ("cxlib.config:PRIORITY_CRITERIA",),
    "cost_source": ("cxlib.analysis.initiatives:COST_SOURCES",),
    "question": ("cxlib.steps.roadmap_report:QUESTIONS",),
})


def t(key: str, lang: str, /, **fmt) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt``.

    Parameters
    ----------
    key : str
        Label key, e.g. ``"col.n"``.
    lang : str
        Report language (``sv``, ``en``, ``nb``); a missing Norwegian text falls back to
        Swedish, then English.
    **fmt
        Values of the label's placeholders. Without any, the text is returned as written.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        No label has this key.
    TypeError
        The label has plural forms (use :func:`t_n`).
    """
    return render(key, lang, fmt)


def t_n(key: str, n: float, lang: str, /, **fmt) -> str:
    """The plural label ``key`` for the count ``n`` in ``lang``: its ``one`` form for 1, else ``other``.

    Parameters
    ----------
    key : str
        Key of a label with plural forms.
    n : float
        The count that picks the form; it also fills the placeholder ``{n}`` unless ``fmt``
        gives one (e.g. the count written with thousands separators).
    lang : str
        Report language, with the fallbacks of :func:`t`.
    **fmt
        Values of the other placeholders.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        No label has this key.
    TypeError
        The label has no plural forms (use :func:`t`).
    """
    return render_plural(key, n, lang, fmt)


def kpi_label(kpi: str, lang: str) -> str:
    """The human label of the KPI id ``kpi`` (``cxlib.kpis.KPIS``) in ``lang``.

    Parameters
    ----------
    kpi : str
        KPI id, e.g. ``"csat"``.
    lang : str
        Report language.

    Returns
    -------
    str
    """
    return t(family_key("kpi", kpi), lang)


def family_key(prefix: str, member: str) -> str:
    """The key of ``member`` of the family ``prefix``: ``<prefix>.<member>``, spaces as ``_``.

    Parameters
    ----------
    prefix : str
        A family of :data:`FAMILIES`, e.g. ``"verdict"``.
    member : str
        A value of the family's vocabulary, e.g. ``"not significant"``.

    Returns
    -------
    str
        E.g. ``"verdict.not_significant"``.

    Raises
    ------
    ValueError
        ``prefix`` is not a registered family.
    """
    if prefix not in FAMILIES:
        raise ValueError(f"{prefix!r} is not a label family; register it in cxlib.i18n.FAMILIES")
    return f"{prefix}.{str(member).replace(' ', '_')}"


def family_members(prefix: str) -> tuple[str, ...]:
    """The members of the family ``prefix``, read from the constants :data:`FAMILIES` names.

    Parameters
    ----------
    prefix : str
        A family of :data:`FAMILIES`.

    Returns
    -------
    tuple of str
        The members, each once, in the order of their sources.
    """
    members: dict[str, None] = {}
    for source in FAMILIES[prefix]:
        module, name = source.split(":")
        members.update(dict.fromkeys(getattr(importlib.import_module(module), name)))
    return tuple(members)
