"""The CX strategy workshop's tables: initiatives, and maturity scores per area and participant."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

INITIATIVES = (  # id, name, area, effort 1–5, effect 1–5, cost SEK, owner, duration months
    ("I01", "Automatisk rimlighetskontroll av mätarvärden före fakturering", "onödig efterfrågan", 3, 5, 1_200_000,
     "fakturering", 6),
    ("I02", "Ny och tydligare faktura som förklarar elpris och nätavgift", "friktion", 2, 4, 450_000, "marknad", 4),
    ("I03", "Proaktiva sms vid avbrott med länk till nätägarens avbrottskarta", "onödig efterfrågan", 2, 4,
     300_000, "drift", 3),
    ("I04", "Stabil BankID-inloggning i appen med automatiska regressionstester", "mobilitet", 3, 4, 800_000, "it", 4),
    ("I05", "Mobilanpassat avtalsformulär med färre fält", "mobilitet", 2, 4, 350_000, "it", 3),
    ("I06", "Bli uppringd i stället för att vänta i telefonkön", "tillgänglighet", 2, 3, 250_000, "kundservice",
     2),
    ("I07", "Chattbot för fakturafrågor med överlämning till handläggare", "tillgänglighet", 4, 3, 1_500_000, "it",
     9),
    ("I08", "Återkoppling till missnöjda kunder inom 48 timmar", "insikt", 1, 3, 120_000, "kundservice", 2),
    ("I09", "Textanalys av kundkommentarer på svenska, norska och engelska", "insikt", 2, 3, 200_000, "marknad", 3),
    ("I10", "Digital flyttanmälan med adress- och datumkontroll", "friktion", 3, 4, 600_000, "it", 5),
    ("I11", "Bemanning av e-postkön efter prognos och svar inom 24 timmar", "tillgänglighet", 2, 3, 400_000,
     "kundservice", 3),
    ("I12", "Kundupplevelseråd med alla avdelningar och gemensamma mål", "förankring", 1, 3, 80_000, "kundservice",
     12),
)
LINKS = {  # id: (requires, excludes, candidate: the step's measurement of the same initiative)
    "I01": (None, None, "06-eliminate-matarvarden-kontroll"),
    "I02": (None, None, "06-eliminate-otydlig faktura-50"),
    "I05": (None, None, "05-journey-teckna elavtal-4-mobile"),
    "I06": (None, "04-replan-phone", None),
    "I07": ("I02", None, None),
    "I08": (None, None, "03-close-the-loop"),
    "I10": (None, None, "04-shift-flytt-webbformular"),
}
AREAS = ("insikt", "tillgänglighet", "friktion", "mobilitet", "onödig efterfrågan", "prioritering", "förankring",
         "ledarskap")
AREA_CURRENT = np.array([2.2, 3.0, 2.3, 2.0, 1.8, 2.6, 2.1, 3.0])  # mean workshop score today
AREA_DESIRED = np.array([4.2, 4.2, 4.0, 4.3, 3.8, 4.0, 4.0, 4.2])  # mean score wanted in two years
PARTICIPANTS = {"vd": 0.5, "kundservicechef": -0.4, "it-chef": 0.1, "ekonomichef": 0.2, "marknadschef": 0.0,
                "driftchef": 0.2}  # participant: optimism bias on current scores


def initiatives_table() -> pa.Table:
    """The ``initiatives`` table: the candidate initiatives of the workshop.

    Returns
    -------
    pyarrow.Table
        One row per initiative; ``effort`` and ``effect`` 1–5, ``cost`` in SEK, ``duration``
        in months; ``requires`` and ``excludes`` name other initiatives, ``candidate`` the
        candidate of steps 03–06 that measures the same initiative.
    """
    cols = ("id", "name", "area", "effort", "effect", "cost", "owner", "duration")
    table = {name: [row[i] for row in INITIATIVES] for i, name in enumerate(cols)}
    for i, name in enumerate(("requires", "excludes", "candidate")):
        table[name] = pa.array([LINKS.get(row[0], (None,) * 3)[i] for row in INITIATIVES], pa.string())
    return pa.table(table)


def maturity_table(rng: np.random.Generator) -> pa.Table:
    """The ``maturity`` table: each participant's current and desired score (1–5) per area.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the participants' scatter around the area means.

    Returns
    -------
    pyarrow.Table
        One row per area and participant; ``desired`` is never below ``current``.
    """
    bias = np.array(list(PARTICIPANTS.values()))
    shape = (len(AREAS), len(PARTICIPANTS))
    current = np.clip(np.round(AREA_CURRENT[:, None] + bias + rng.normal(0, 0.5, shape)), 1, 5).astype(np.int64)
    desired = np.clip(np.round(AREA_DESIRED[:, None] + rng.normal(0, 0.5, shape)), 1, 5).astype(np.int64)
    return pa.table({
        "area": np.repeat(AREAS, len(PARTICIPANTS)),
        "participant": np.tile(list(PARTICIPANTS), len(AREAS)),
        "current": current.ravel(),
        "desired": np.maximum(desired, current).ravel(),
    })
