"""Numbers, p-values and KPI values as the report language writes them.

:class:`Format` carries a report language and currency; its methods are the module's
functions with those two filled in, plus the label lookups of :mod:`cxlib.i18n`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import LANGUAGES
from .catalogue import render, render_plural

#: Seconds per unit, largest first, for durations (below a minute: seconds).
DURATIONS = ((86400, "d"), (3600, "h"), (60, "min"))
NBSP = "\u00a0"


def fmt_number(x: float | None, decimals: int, lang: str) -> str:
    """A number with the separators of ``lang``.

    Parameters
    ----------
    x : float or None
        The number; ``None`` or NaN gives ``–``.
    decimals : int
        Digits after the decimal mark.
    lang : str
        Report language: ``1 234,5`` in sv and nb (a no-break space groups thousands), ``1,234.5`` in en.

    Returns
    -------
    str
    """
    if x is None or x != x:
        return "–"
    text = f"{x:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def fmt_p(p: float, lang: str) -> str:
    """A p-value as text: ``p = 0,034``, or ``p < 0,001`` below 0.001.

    Parameters
    ----------
    p : float
        The p-value.
    lang : str
        Report language (decimal mark).

    Returns
    -------
    str
    """
    return "p < " + fmt_number(0.001, 3, lang) if p < 0.001 else "p = " + fmt_number(p, 3, lang)


PERCENTAGE_POINTS = {"sv": "p.e.", "en": "pp", "nb": "p.p."}
"""The abbreviation of percentage points per report language (procentenheter, prosentpoeng)."""


def fmt_value(x: float | None, unit: str, lang: str, currency: str = "SEK") -> str:
    """A KPI value in its unit: NPS points ``+12``, shares ``84 %``, seconds ``3 min``, money ``12 300 SEK``.

    Parameters
    ----------
    x : float or None
        The value; ``None``, NaN or pandas' ``NA`` of nullable integers give ``–``.
    unit : str
        ``points`` (signed, whole), ``points_change`` (signed, one decimal: small NPS effects),
        ``count``, ``share`` (0–1, shown in percent), ``share_change`` (a change of a share 0–1,
        signed, in percentage points with one decimal), ``score`` (two decimals), ``seconds`` (in d,
        h, min or s), ``currency``; any other unit (``fte``) shows one decimal below 100, else none.
    lang : str
        Report language.
    currency : str, default "SEK"
        Currency code written after money.

    Returns
    -------
    str
    """
    if x is None or pd.isna(x):
        return "–"
    if unit == "points":
        x = round(x) + 0.0  # no sign on a value that rounds to zero
        return ("+" if x > 0 else "") + fmt_number(x, 0, lang)
    if unit == "points_change":
        x = round(x, 1) + 0.0
        return ("+" if x > 0 else "") + fmt_number(x, 1, lang)
    if unit == "count":
        return fmt_number(x, 0, lang)
    if unit == "share":
        return fmt_number(100 * x, 0, lang) + ("%" if lang == "en" else NBSP + "%")
    if unit == "share_change":
        points = round(100 * x, 1) + 0.0  # + 0.0: no sign on a change that rounds to zero
        return ("+" if points > 0 else "") + fmt_number(points, 1, lang) + NBSP + PERCENTAGE_POINTS.get(lang, "pp")
    if unit == "score":
        return fmt_number(x, 2, lang)
    if unit == "seconds":
        for size, suffix in DURATIONS:
            if abs(x) >= size:
                return fmt_number(x / size, 1, lang) + NBSP + suffix
        return fmt_number(x, 0, lang) + NBSP + "s"
    if unit == "currency":
        return fmt_number(x, 0, lang) + NBSP + currency
    return fmt_number(x, 1 if abs(x) < 100 else 0, lang)


@dataclass(frozen=True)
class Format:
    r"""How one report writes: its language and currency.

    Parameters
    ----------
    lang : str
        Report language, one of :data:`cxlib.i18n.LANGUAGES`.
    currency : str, optional
        Currency code of money values; without it, :meth:`value` refuses the unit ``currency``.

    Examples
    --------
    >>> f = Format("sv", "SEK")
    >>> f.value(0.856, "share"), f.p(0.0342), f.label("col.n")
    ('86\xa0%', 'p = 0,034', 'Antal')
    """

    lang: str
    currency: str | None = None

    def __post_init__(self):
        """Check that ``lang`` is one of :data:`cxlib.i18n.LANGUAGES`."""
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown report language {self.lang!r}; languages are {', '.join(LANGUAGES)}")

    def number(self, x: float | None, decimals: int) -> str:
        """``x`` with ``decimals`` digits after the mark (see :func:`fmt_number`)."""
        return fmt_number(x, decimals, self.lang)

    def p(self, p: float) -> str:
        """The p-value ``p`` as text (see :func:`fmt_p`)."""
        return fmt_p(p, self.lang)

    def value(self, x: float | None, unit: str) -> str:
        """``x`` in its ``unit`` (see :func:`fmt_value`).

        Raises
        ------
        ValueError
            ``unit`` is ``currency`` and this format has no currency.
        """
        if unit == "currency" and self.currency is None:
            raise ValueError("a money value needs a Format with a currency")
        return fmt_value(x, unit, self.lang, self.currency or "")

    def label(self, key: str, /, **fmt) -> str:
        """The label ``key`` in this language, its placeholders filled from ``fmt`` (see :func:`cxlib.i18n.t`)."""
        return render(key, self.lang, fmt)

    def listing(self, items) -> str:
        """The texts ``items`` as a list in this language: ``phone, chat and e-mail``."""
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.label('word.and')} {items[-1]}"

    def plural(self, key: str, n: float, /, **fmt) -> str:
        """The plural label ``key`` for the count ``n`` in this language (see :func:`cxlib.i18n.t_n`)."""
        return render_plural(key, n, self.lang, fmt)
