"""Seeded generator of a fictitious Swedish electricity retailer, *Norrsken Energi AB*, 2025.

:func:`generate` writes a complete client workspace (``client.yaml`` and every table of
``docs/input-contract.md``). Everything is vectorised numpy/pyarrow and deterministic for
a seed. Effects are built in deliberately so that the analyses have something to find:

* contacts: intraday peaks (09–11, 13–15, evenings on chat/app), Monday high and weekends
  low, phone/chat only within opening hours, winter and invoice-cycle billing peaks, a
  billing-system incident in March (``faktura fel``), an app-login incident in April,
  storms in January and November (``avbrott``), a price change in the autumn, queue waits
  and abandonment that grow with load, lower first-contact resolution and channel-hopping
  repeat contacts for failure demand (≈40 % of volume);
* feedback: NPS/CSAT/CES driven by a customer's mood, channel, touchpoint, segment, device
  and the contact behind the survey (failure demand, unresolved, repeat, long wait);
  churners score worse, especially in the months before they leave;
* comments: composed from phrase templates per language (sv/nb/en), theme and sentiment,
  with typos, lowercase, varying length and a few percent PII (e-mail, phone numbers,
  personnummer and fødselsnummer with valid checksums) next to harmless order numbers;
* journeys: a purchase funnel and a service funnel where mobile drops off more at form
  steps, and mobile login fails more during the April app incident; customers who give up
  moving their contract after logging in get in touch within hours, more often from mobile.

The package, one job per module:

``generator``
    :func:`generate`: formats, CSV dialects and writing the files.
``resources``
    The data files in ``data/`` (the sample ``client.yaml``, ``phrases.yaml``, ``names.yaml``),
    the validated sample configuration and the channel ids.
``profiles``
    Days, day-of-year shapes, opening hours, weekday and intraday weights.
``demand``
    Contact reasons, customers and contacts; ``feedback``, ``journeys`` and ``workshop``
    build the other tables.
``comments`` and ``references``
    The phrase bank and comment composition; reference values and identity numbers.
``sampling``
    Vectorised draws and arrow string columns.

Importing the package is cheap: the submodules are imported on first use of :func:`generate`
or :data:`DEFAULT_FORMATS`, and the data files, the configuration, the phrase bank and the
probability tables are built on first use and cached.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .generator import DEFAULT_FORMATS, generate

__all__ = ["DEFAULT_FORMATS", "generate"]
_API = {"generate": "generator", "DEFAULT_FORMATS": "generator"}


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
