"""Cost–benefit of an initiative: payback time and net present value.

The initiative costs ``cost`` once, at the start, and then returns ``benefit_per_year`` (in the
same currency) at the end of each year; both vectorised. An interval follows from the bounds:
the low NPV takes the high cost and the low benefit, the high NPV the reverse (NPV rises with
the benefit and falls with the cost; the payback time the other way).
"""

from __future__ import annotations

import numpy as np

from ..stats.checks import checked

HORIZON_YEARS = 3
"""Default horizon of :func:`npv`, in years."""


def _out(x: np.ndarray):
    return float(x) if x.ndim == 0 else x


def payback_months(cost, benefit_per_year):
    """Months until the summed benefit equals the cost: 12 × cost ÷ benefit per year.

    Parameters
    ----------
    cost : float or array
        One-off cost, ≥ 0.
    benefit_per_year : float or array
        Benefit per year in the currency of ``cost`` (savings plus retained margin).

    Returns
    -------
    float or ndarray
        Months; ``inf`` where the benefit is 0 or negative (it never pays back), 0 where it costs nothing.
    """
    cost = checked(cost, "cost", "a finite amount ≥ 0", lambda x: x >= 0)
    benefit = checked(benefit_per_year, "benefit_per_year", "a finite amount per year")
    with np.errstate(divide="ignore", invalid="ignore"):
        months = np.where(benefit > 0, 12 * cost / benefit, np.inf)
    return _out(np.where(cost == 0, 0.0, months))


def npv(cost, benefit_per_year, years: int = HORIZON_YEARS, rate: float = 0.08):
    """Net present value: −cost + Σ_(t=1…years) benefit ÷ (1 + rate)^t.

    Parameters
    ----------
    cost : float or array
        One-off cost at the start, ≥ 0.
    benefit_per_year : float or array
        Benefit at the end of each year.
    years : int
        Horizon in whole years, ≥ 1.
    rate : float
        Yearly discount rate, a share 0 ≤ rate < 1 (the client's ``discount_rate``).
    """
    cost = checked(cost, "cost", "a finite amount ≥ 0", lambda x: x >= 0)
    benefit = checked(benefit_per_year, "benefit_per_year", "a finite amount per year")
    if int(years) != years or years < 1:
        raise ValueError(f"years must be a whole number of years ≥ 1; got {years!r}")
    rate = float(checked(rate, "rate", "a yearly discount rate 0 ≤ rate < 1 (e.g. 0.08)", lambda x: (x >= 0) & (x < 1)))
    annuity = years if rate == 0 else (1 - (1 + rate) ** -years) / rate
    return _out(benefit * annuity - cost)
