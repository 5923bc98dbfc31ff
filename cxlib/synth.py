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
  steps, and mobile login fails more during the April app incident.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from .config import ClientConfig
from .errors import CxError

CLIENT_YAML = """\
# client.yaml: everything the CX workbook needs to know about one client.
# This file doubles as the template: copy it for a new client and edit the values.
# The client below is fictitious (Norrsken Energi AB, a Swedish electricity retailer).

# Client name as shown in reports.
name: Norrsken Energi AB

# Language of reports and of most customer comments: sv, en or nb.
language: sv

# Languages customers write comments in (sv, nb, da, en); comment language detection
# chooses among these only.
comment_languages: [sv, nb, en]

# ISO 4217 code of every amount in this file and in the tables (costs, revenue).
currency: SEK

# Analysis period, both dates inclusive (YYYY-MM-DD).
period:
  start: 2025-01-01
  end: 2025-12-31

# Share (0-1) of revenue kept as gross margin; electricity retail has thin margins.
# Feeds customer lifetime value (CLV) together with the yearly discount rate.
gross_margin: 0.18
discount_rate: 0.08

# Channels the client serves customers in. The `channel` column of feedback and
# contacts must use these ids.
#   id                lowercase ascii id used in the tables
#   name              display name
#   kind              queue (the customer waits in line: phone, chat), async (answered
#                     later: e-mail, forms, messages), self-service or physical
#   cost_per_contact  fully loaded cost of handling one contact, in `currency`
#   opening_hours     "24/7" or {days: "HH:MM-HH:MM"} with days like mon-fri, sat, sun;
#                     for async channels: when messages can arrive
#   service_level     target: `share` (0-1) of contacts answered within `within_s` seconds
#   shrinkage         share (0-1) of paid agent time not spent on contacts (breaks,
#                     training, meetings, absence); used for staffing
channels:
  - id: phone
    name: Telefon
    kind: queue
    cost_per_contact: 95
    opening_hours:
      mon-fri: "08:00-18:00"
    service_level: {share: 0.80, within_s: 60}
    shrinkage: 0.35
  - id: chat
    name: Chatt
    kind: queue
    cost_per_contact: 55
    opening_hours:
      mon-fri: "08:00-20:00"
      sat-sun: "10:00-16:00"
    service_level: {share: 0.80, within_s: 90}
    shrinkage: 0.33
  - id: email
    name: E-post
    kind: async
    cost_per_contact: 65
    opening_hours: "24/7"
    service_level: {share: 0.90, within_s: 86400}   # 24 hours
    shrinkage: 0.30
  - id: webform
    name: Kontaktformulär
    kind: async
    cost_per_contact: 50
    opening_hours: "24/7"
    service_level: {share: 0.90, within_s: 172800}  # 48 hours
    shrinkage: 0.30
  - id: app
    name: Appen (meddelanden)
    kind: async
    cost_per_contact: 35
    opening_hours: "24/7"
    service_level: {share: 0.90, within_s: 28800}   # 8 hours
    shrinkage: 0.30
  - id: web
    name: Webbplats och Mina sidor
    kind: self-service
    cost_per_contact: 3                             # hosting and licences per visit

# Targets per KPI (ids from cxlib/kpis.py); reports compare actual values with them.
# Shares are 0-1, times are seconds, money is in `currency`.
targets:
  nps: 20                             # Net Promoter Score, -100..100
  csat: 0.80                          # share of CSAT answers 4-5
  ces: 5.5                            # mean Customer Effort Score, 1-7 (7 = very easy)
  ces_easy: 0.70                      # share of CES answers 5-7
  first_response_time_s: 3600         # typical first response, all channels (1 hour)
  first_response_time_p90_s: 86400    # 90 % answered within a day
  resolution_time_s: 86400            # typical time to close a contact (1 day)
  resolution_time_p90_s: 432000       # 90 % closed within 5 days
  fcr: 0.75                           # first-contact resolution
  abandonment: 0.06                   # share of queued contacts (phone, chat) that hang up
  contacts_per_1000_customers: 2200   # per year; lower means less unnecessary demand
  churn_rate: 0.10                    # share of customers lost during the period
  retention_rate: 0.90                # share of customers kept

# Departments that own root causes (reasons table) and initiatives; ids as in the tables.
departments:
  - id: kundservice
    name: Kundservice
  - id: fakturering
    name: Fakturering
  - id: it
    name: IT och digitala kanaler
  - id: drift
    name: Drift och mätning
  - id: marknad
    name: Marknad och kommunikation
  - id: forsaljning
    name: Försäljning
  - id: energitjanster
    name: Energitjänster (sol och laddning)

# The customer journey in order: each stage lists the feedback touchpoints that belong to it
# (the journey map in step 01 draws the score curve in this order).
stages:
  - id: valja
    name: Välja och teckna
    touchpoints: [webb, avtal]
  - id: flytta
    name: Flytta och starta
    touchpoints: [flytt, leverans/installation]
  - id: anvanda
    name: Använda
    touchpoints: [app, avbrott]
  - id: betala
    name: Betala
    touchpoints: [faktura]
  - id: fa_hjalp
    name: Få hjälp
    touchpoints: [kundtjänst telefon, chatt, e-post]
"""
CONFIG = ClientConfig.model_validate(yaml.safe_load(CLIENT_YAML))

YEAR0 = np.datetime64("2025-01-01", "s")
N_DAYS = 365
DAY_S = 86_400
_D = np.arange(N_DAYS)
_WEEKDAY = (_D + 2) % 7  # 2025-01-01 is a Wednesday; 0 = Monday
_DATES = np.datetime64("2025-01-01") + _D
_DOM = (_DATES - _DATES.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1  # day of month

# Contact channels (indices below); "web" is self-service and appears in feedback only.
CH = ("phone", "chat", "email", "webform", "app")
CH_FEEDBACK = (*CH, "web")
QUEUE = np.array([CONFIG.channel(c).kind == "queue" for c in CH])


def _day(date: str) -> int:
    """Day index (0 = 2025-01-01) of an ISO date."""
    return int((np.datetime64(date) - np.datetime64("2025-01-01")).astype(int))


def _span(start: str, end: str) -> np.ndarray:
    return ((_D >= _day(start)) & (_D <= _day(end))).astype(float)


def _bump(center: float, width: float) -> np.ndarray:
    return np.exp(-(((_D - center) / width) ** 2))


def _decay(start: str, tau: float) -> np.ndarray:
    x = _D - _day(start)
    return np.where(x >= 0, np.exp(-np.maximum(x, 0) / tau), 0.0)


# Day-of-year shapes (peak ≈ 1); a reason's daily weight is Π (1 + amplitude · shape).
SHAPES = {
    "winter": 0.5 * (1 + np.cos(2 * np.pi * (_D - 15) / 365)),  # high bills, dark months
    "invoice": np.exp(-(((_DOM - 9) / 3.0) ** 2)),  # invoices go out on the 5th, questions follow
    "billing_incident": _span("2025-03-03", "2025-03-30"),  # new billing system, March
    "backlog": _span("2025-03-10", "2025-04-20"),  # e-mail backlog after the incident
    "app_incident": _span("2025-04-07", "2025-04-27"),  # app update breaks BankID login
    "price_letter": _decay("2025-09-15", 25),  # letter announcing new prices
    "new_price_bill": _decay("2025-11-05", 20),  # first bill with the new prices
    "storm": _decay("2025-01-13", 1.2) + _decay("2025-11-24", 1.2),  # storms, outages
    "moving": _bump(200, 45),  # summer and student moves
    "month_end": (_DOM >= 25).astype(float),  # moves happen at month end
    "spring": _bump(110, 35),  # solar panel season
    "autumn": _bump(285, 40),  # EV charger season
    "campaign": _span("2025-03-10", "2025-03-30") + _span("2025-09-01", "2025-09-21"),
    "july": _bump(196, 18),  # Swedish summer holidays: fewer contacts
}


def _profile(amps: Mapping[str, float]) -> np.ndarray:
    """Daily weight (365,) from ``{shape: amplitude}``."""
    w = np.ones(N_DAYS)
    for shape, amp in amps.items():
        w *= 1 + amp * SHAPES[shape]
    return w


# Contact reasons: (reason, demand type, root cause, owner department, touchpoint or None
# for "the channel itself", base weight, day profile, channel affinity phone/chat/email/webform/app).
REASONS = (
    ("faktura fel", "failure",
     "Mätarvärden kontrolleras inte före fakturering; fel efter bytet av faktureringssystem i mars", "fakturering",
     "faktura", 38, {"winter": 0.6, "invoice": 1.0, "billing_incident": 4.0, "new_price_bill": 1.0},
     (1.4, 1.0, 1.1, 0.8, 0.7)),
    ("var är min faktura", "failure", "E-faktura och pappersfaktura skickas sent och kunden aviseras inte",
     "fakturering", "faktura", 26, {"invoice": 1.2, "billing_incident": 1.5}, (1.0, 1.2, 0.9, 0.8, 1.4)),
    ("otydlig faktura", "failure", "Fakturan blandar elhandel och nätavgift och förklarar inte prisändringar",
     "marknad", "faktura", 24, {"winter": 0.5, "invoice": 1.0, "new_price_bill": 1.5}, (1.3, 1.1, 1.0, 0.7, 0.8)),
    ("påminnelse trots betalning", "failure", "Inbetalningar matchas mot fakturor med flera dagars fördröjning",
     "fakturering", "faktura", 10, {"invoice": 0.5, "billing_incident": 1.5}, (1.5, 0.9, 1.0, 0.8, 0.7)),
    ("ej fått svar", "failure", "E-postkön bemannas inte efter volym och kunden får ingen utlovad svarstid",
     "kundservice", None, 18, {"backlog": 1.5, "winter": 0.3}, (1.8, 1.2, 0.8, 0.4, 0.8)),
    ("avbrott", "failure", "Ingen proaktiv avbrottsinformation; kunden vet inte att nätägaren ansvarar",
     "drift", "avbrott", 8, {"storm": 12.0, "winter": 0.5}, (2.0, 1.0, 0.3, 0.3, 0.9)),
    ("app inloggning fungerar inte", "failure", "BankID-inloggningen i appen slutar fungera efter appuppdateringar",
     "it", "app", 14, {"app_incident": 5.0}, (1.5, 1.4, 1.0, 0.6, 0.3)),
    ("fel i flyttärende", "failure", "Flyttformuläret validerar inte adress och datum; manuell omregistrering",
     "it", "flytt", 10, {"moving": 1.2, "month_end": 0.4}, (1.3, 1.0, 1.1, 0.9, 0.7)),
    ("mätarvärde saknas", "failure", "Fjärravläsningen uteblir för äldre mätare och schablonvärden används",
     "drift", "faktura", 9, {"winter": 0.8}, (1.1, 0.9, 1.2, 1.0, 0.9)),
    ("autogiro fungerar inte", "failure", "Autogiromedgivanden tappades vid bytet av faktureringssystem",
     "fakturering", "faktura", 6, {"billing_incident": 2.0}, (1.3, 1.0, 1.0, 0.9, 0.9)),
    ("nytt avtal", "value", "Kunden vill teckna elavtal", "forsaljning", "avtal", 85, {"campaign": 0.8},
     (0.9, 1.3, 0.6, 2.0, 0.8)),
    ("flytt", "value", "Kunden flyttar och vill ta med avtalet", "kundservice", "flytt", 80,
     {"moving": 1.0, "month_end": 0.6}, (0.8, 1.0, 0.8, 2.2, 1.3)),
    ("byta elavtal", "value", "Kunden vill byta avtalsform (fast, rörligt, timpris)", "forsaljning", "avtal", 62,
     {"price_letter": 1.5, "winter": 0.3}, (1.0, 1.2, 0.8, 1.2, 1.1)),
    ("solceller rådgivning", "value", "Kunden vill producera egen el", "energitjanster", "leverans/installation", 24,
     {"spring": 1.5}, (1.0, 0.9, 1.5, 1.6, 0.5)),
    ("frågor om elpriset", "value", "Kunden vill förstå elpriset och sin förbrukning", "marknad", "avtal", 58,
     {"winter": 0.8, "price_letter": 1.2}, (1.0, 1.3, 0.9, 0.6, 1.2)),
    ("uppsägning", "value", "Kunden vill avsluta avtalet", "kundservice", "avtal", 18, {"price_letter": 0.5},
     (1.2, 0.8, 1.4, 1.2, 0.7)),
    ("laddbox", "value", "Kunden vill köpa och installera en laddbox", "energitjanster", "leverans/installation", 16,
     {"autumn": 1.0}, (1.0, 1.0, 1.2, 1.5, 0.6)),
    ("ändra betalsätt", "value", "Kunden vill byta till autogiro eller e-faktura", "fakturering", "faktura", 32, {},
     (0.8, 1.0, 0.8, 1.0, 1.8)),
)
R_NAMES = [r[0] for r in REASONS]
R_FAIL = np.array([r[1] == "failure" for r in REASONS])
R_CANCEL = R_NAMES.index("uppsägning")
R_PROFILE = np.array([_profile({**r[6], "july": -0.3}) for r in REASONS])  # (reasons, days)
R_SHARE = np.array([r[5] for r in REASONS]) * R_PROFILE.mean(axis=1)
R_SHARE /= R_SHARE.sum()  # share of primary contacts per reason over the year
CH_MIX = np.array([0.40, 0.20, 0.15, 0.10, 0.15])  # target channel mix of contacts


def _reason_channel() -> np.ndarray:
    """P(channel | reason), (reasons, channels): affinities scaled so the mix hits CH_MIX."""
    aff = np.array([r[7] for r in REASONS])
    x = CH_MIX.copy()
    for _ in range(50):  # iterative proportional fitting of the channel marginal
        p = aff * x
        p /= p.sum(axis=1, keepdims=True)
        x *= CH_MIX / (R_SHARE @ p)
    return p


P_CH_GIVEN_R = _reason_channel()


def _open_table() -> np.ndarray:
    """Opening minutes (channels, weekday, [open, close]) from CONFIG; (0, 0) = closed."""
    out = np.zeros((len(CH), 7, 2), dtype=np.int64)
    for c, cid in enumerate(CH):
        for wd, span in CONFIG.channel(cid).open_minutes().items():
            out[c, wd] = span
    return out


OPEN = _open_table()

# Weekday factor (Mon..Sun) per contact channel, zero on days the channel is closed.
WEEKDAY_W = (OPEN[..., 1] > OPEN[..., 0]) * np.array([
    [1.30, 1.10, 1.00, 0.95, 0.85, 0.40, 0.35],
    [1.25, 1.10, 1.00, 0.95, 0.90, 0.45, 0.40],
    [1.30, 1.10, 1.00, 1.00, 0.90, 0.45, 0.50],
    [1.25, 1.05, 1.00, 0.95, 0.85, 0.55, 0.60],
    [1.15, 1.05, 1.00, 1.00, 0.95, 0.75, 0.80],
])
EVENING = np.array([0.0, 0.6, 0.5, 0.6, 1.1])  # evening peak (≈20:00) per channel


def _hour_weights() -> np.ndarray:
    """Intraday weights (channels·7 weekdays, 24 hours): peaks 09–11 and 13–15, evenings on chat/app."""
    h = np.arange(24) + 0.5
    base = 0.15 + np.exp(-(((h - 10) / 1.6) ** 2)) + 0.9 * np.exp(-(((h - 14) / 1.6) ** 2))
    night = np.where((h < 6) | (h > 23), 0.15, 1.0)
    w = np.zeros((len(CH), 7, 24))
    for c in range(len(CH)):
        prof = (base + EVENING[c] * np.exp(-(((h - 20) / 1.5) ** 2))) * night
        for wd in range(7):
            start, end = OPEN[c, wd]
            is_open = (np.arange(24) * 60 >= start) & ((np.arange(24) + 1) * 60 <= end)
            w[c, wd] = prof * is_open
    return w.reshape(len(CH) * 7, 24)


HOUR_W = _hour_weights()
_WED = HOUR_W.reshape(len(CH), 7, 24)[:, 2]
# Relative pressure of an hour within a channel's open hours (1 = an average open hour).
HOUR_PRESS = np.where(_WED > 0, _WED / (_WED.sum(1, keepdims=True) / (_WED > 0).sum(1, keepdims=True)), 1.0)

# ---------------------------------------------------------------------------------------
# Comment phrase bank: per language, theme and sentiment (negative, positive). Comments are
# composed from an opener, one or two theme phrases, a context sentence, a reference
# (order number, date or PII) and a closer; each slot is optional.
LANGS = ("sv", "nb", "en")
THEMES = ("billing", "waiting", "digital", "staff", "delivery", "price", "moving", "outage")
PHRASES = {
    "sv": {
        "billing": ((
            "Fakturan var fel för andra månaden i rad.",
            "Fick en faktura på nästan dubbla beloppet utan någon förklaring.",
            "Fakturafelet tog tre samtal att reda ut.",
            "Fattar inte fakturan, nätavgift och elhandel huller om buller.",
            "Fick en påminnelse fast jag redan hade betalat.",
            "E-fakturan kom aldrig fram till banken.",
            "Ni debiterade oss för en mätarställning som inte stämmer.",
        ), (
            "Fakturan är tydlig och lätt att förstå.",
            "Fick en rättad faktura samma dag.",
            "Smidigt med autogiro, behöver inte tänka på fakturorna alls.",
            "Bra att man ser förbrukningen per månad på fakturan.",
            "Felet på fakturan rättades direkt utan krångel.",
        )),
        "waiting": ((
            "Väntetiden i telefonkön var över en halvtimme.",
            "Satt i kö i 40 minuter och sen bröts samtalet.",
            "Alldeles för lång väntetid hos kundtjänsten.",
            "Fick inget svar på mitt mejl på över en vecka.",
            "Chatten sa 2 minuter men det tog 25.",
            "Ringde tre gånger innan jag kom fram.",
            "Kön är helt orimlig på måndagar.",
        ), (
            "Kom fram direkt, ingen kö alls.",
            "Kort väntetid och snabbt svar.",
            "Fick svar på mejlet samma dag.",
            "Blev uppringd inom en kvart som utlovat.",
            "Chatten svarade på en gång.",
        )),
        "digital": ((
            "Appen loggar ut mig hela tiden.",
            "Går inte att logga in med BankID i appen.",
            "Mina sidor är rörigt och jag hittar ingenting.",
            "Webbformuläret funkar inte på mobilen.",
            "Appen kraschar när jag försöker öppna fakturan.",
            "Sidan laddar i evigheter, testade både dator och telefon.",
        ), (
            "Appen är smidig och jag ser min förbrukning timme för timme.",
            "Lätt att hitta allt på Mina sidor.",
            "Enkelt att fixa ärendet själv i appen.",
            "Bra webbsida, gick snabbt att teckna avtal.",
            "Gillar notiserna i appen när elpriset är högt.",
        )),
        "staff": ((
            "Otrevligt bemötande, kändes som att jag störde.",
            "Personen i kundtjänsten visste inte vad hon pratade om.",
            "Fick olika besked beroende på vem jag pratade med.",
            "Handläggaren lovade att ringa tillbaka men hörde aldrig av sig.",
            "Kändes som att ingen brydde sig om mitt problem.",
        ), (
            "Supertrevlig kundtjänst som verkligen lyssnade.",
            "Kunnig personal som löste allt på en gång.",
            "Mycket bra bemötande, tack Sara!",
            "Han tog sig tid och förklarade allt pedagogiskt.",
            "Trevligt och proffsigt från början till slut.",
        )),
        "delivery": ((
            "Installationen av solcellerna blev försenad två gånger.",
            "Montören dök aldrig upp på utsatt tid.",
            "Laddboxen levererades utan fästen.",
            "Ingen hörde av sig om installationsdatumet.",
            "Efter installationen visar mätaren fel.",
        ), (
            "Installationen gick snabbt och snyggt.",
            "Montörerna var punktliga och städade efter sig.",
            "Laddboxen kom i tid och funkar perfekt.",
            "Bra rådgivning om solceller, kändes tryggt.",
            "Allt levererades som utlovat.",
        )),
        "price": ((
            "Alldeles för dyrt jämfört med andra elbolag.",
            "Ni höjde priset utan att meddela ordentligt.",
            "Månadsavgiften är orimlig.",
            "Det fasta priset blev dyrare än rörligt hela året.",
            "Dolda avgifter överallt.",
        ), (
            "Bra pris och inga konstiga avgifter.",
            "Prisvärt avtal.",
            "Schysst att ni tipsade om ett billigare avtal.",
            "Tydligt elpris utan överraskningar.",
        )),
        "moving": ((
            "Flyttanmälan försvann och jag fick betala el i gamla lägenheten.",
            "Krångligt att flytta avtalet, fick fylla i samma uppgifter tre gånger.",
            "Avtalet byttes utan att jag bad om det.",
            "Uppsägningen tog flera veckor att få bekräftad.",
            "Flytten registrerades på fel datum.",
        ), (
            "Flytten av elavtalet gick hur smidigt som helst.",
            "Enkelt att byta avtal.",
            "Fick bekräftelse på flytten direkt.",
            "Allt klart på fem minuter när jag flyttade.",
        )),
        "outage": ((
            "Strömavbrottet varade i tolv timmar utan någon information.",
            "Fick ingen info om avbrottet, fick ringa själv.",
            "Avbrottskartan på webben var inte uppdaterad.",
            "Tredje strömavbrottet den här vintern.",
            "Ingen kunde säga när strömmen skulle komma tillbaka.",
        ), (
            "Bra med sms om avbrottet och när det skulle vara åtgärdat.",
            "Strömmen var tillbaka snabbare än utlovat.",
            "Tydlig information under avbrottet.",
            "Uppskattade uppdateringarna under stormen.",
        )),
    },
    "nb": {
        "billing": ((
            "Fakturaen var feil igjen denne måneden.",
            "Fikk purring selv om jeg allerede hadde betalt.",
            "Skjønner ikke fakturaen, altfor mange gebyrer.",
            "Fakturafeilen tok tre telefoner å rydde opp i.",
        ), (
            "Fakturaen er ryddig og lett å forstå.",
            "Fikk rettet fakturaen med en gang.",
            "Enkelt med avtalegiro.",
        )),
        "waiting": ((
            "Ventetiden på telefon var over en halvtime.",
            "Satt i telefonkø i 40 minutter.",
            "Fikk ikke svar på e-posten på over en uke.",
            "Altfor lang ventetid hos kundeservice.",
        ), (
            "Kom gjennom med en gang.",
            "Kort ventetid og raskt svar.",
            "Fikk svar på e-posten samme dag.",
        )),
        "digital": ((
            "Appen logger meg ut hele tiden.",
            "Får ikke logget inn med BankID i appen.",
            "Min side er rotete og vanskelig å finne frem i.",
            "Skjemaet fungerer ikke på mobilen.",
        ), (
            "Appen er enkel og oversiktlig.",
            "Lett å ordne alt selv på Min side.",
            "Fint å se strømforbruket time for time.",
        )),
        "staff": ((
            "Uhøflig kundebehandler.",
            "Fikk forskjellige svar hver gang jeg ringte.",
            "De lovet å ringe tilbake, men ingen ringte.",
            "Følte ikke at noen tok problemet mitt på alvor.",
        ), (
            "Veldig hyggelig og hjelpsom kundeservice.",
            "Kunnskapsrik medarbeider som løste alt på én gang.",
            "God service, tusen takk!",
        )),
        "delivery": ((
            "Installasjonen av solcellene ble utsatt to ganger.",
            "Montøren kom ikke til avtalt tid.",
            "Ladeboksen kom uten festeutstyr.",
            "Ingen tok kontakt om installasjonsdato.",
        ), (
            "Installasjonen gikk raskt og greit.",
            "Montørene var presise og ryddige.",
            "Ladeboksen kom i tide og fungerer fint.",
        )),
        "price": ((
            "Altfor dyrt sammenlignet med andre strømselskaper.",
            "Prisen ble satt opp uten ordentlig varsel.",
            "Månedsgebyret er urimelig høyt.",
            "Skjulte gebyrer overalt.",
        ), (
            "Grei pris og ingen rare gebyrer.",
            "Prisgunstig avtale.",
            "Fint at dere tipset om en billigere avtale.",
        )),
        "moving": ((
            "Flyttemeldingen forsvant og jeg måtte betale strøm i den gamle leiligheten.",
            "Tungvint å flytte avtalen.",
            "Flyttingen ble registrert på feil dato.",
            "Oppsigelsen tok flere uker å få bekreftet.",
        ), (
            "Flyttingen av strømavtalen gikk knirkefritt.",
            "Enkelt å bytte avtale.",
            "Fikk bekreftelse på flyttingen med en gang.",
        )),
        "outage": ((
            "Strømbruddet varte i tolv timer uten informasjon.",
            "Fikk ingen beskjed om strømbruddet.",
            "Tredje strømbrudd denne vinteren.",
            "Ingen kunne si når strømmen kom tilbake.",
        ), (
            "Fint med SMS om strømbruddet.",
            "Strømmen kom tilbake raskere enn lovet.",
            "God informasjon under strømbruddet.",
        )),
    },
    "en": {
        "billing": ((
            "The invoice was wrong again this month.",
            "Got a payment reminder even though I had already paid.",
            "I can't make sense of the bill, way too many fees.",
            "It took three calls to get the billing error fixed.",
        ), (
            "The invoice is clear and easy to understand.",
            "They corrected my bill right away.",
            "Direct debit makes paying the bills painless.",
        )),
        "waiting": ((
            "I waited over half an hour on the phone.",
            "Sat in the queue for 40 minutes and then got cut off.",
            "No reply to my email for more than a week.",
            "Waiting times at customer service are far too long.",
        ), (
            "Got through straight away.",
            "Short wait and a quick answer.",
            "My email was answered the same day.",
        )),
        "digital": ((
            "The app keeps logging me out.",
            "Can't log in to the app with BankID.",
            "My pages are confusing, I can't find anything.",
            "The web form doesn't work on my phone.",
        ), (
            "The app is easy to use and I can follow my usage hour by hour.",
            "Easy to sort everything out myself online.",
            "Signing up on the website took two minutes.",
        )),
        "staff": ((
            "The agent was rude and impatient.",
            "I got different answers every time I called.",
            "They promised to call me back but never did.",
            "Nobody seemed to care about my problem.",
        ), (
            "Very friendly and helpful staff.",
            "The agent knew exactly what to do and fixed it in one go.",
            "Great service, thanks a lot!",
        )),
        "delivery": ((
            "The solar panel installation was postponed twice.",
            "The installer never showed up at the agreed time.",
            "The charger arrived without mounting parts.",
            "Nobody contacted me about the installation date.",
        ), (
            "The installation was quick and tidy.",
            "The installers were on time and cleaned up afterwards.",
            "The charger arrived on time and works perfectly.",
        )),
        "price": ((
            "Far too expensive compared to other suppliers.",
            "You raised the price without proper notice.",
            "The monthly fee is unreasonable.",
            "Hidden fees everywhere.",
        ), (
            "Fair price and no strange fees.",
            "Good value for money.",
            "Nice that you suggested a cheaper contract.",
        )),
        "moving": ((
            "My moving notice got lost and I was billed for my old flat.",
            "Moving my contract was a hassle.",
            "The move was registered on the wrong date.",
            "It took weeks to get my cancellation confirmed.",
        ), (
            "Moving my contract was really smooth.",
            "Easy to switch contracts.",
            "Got the confirmation for my move immediately.",
        )),
        "outage": ((
            "The power was out for twelve hours with no information.",
            "No notice about the outage, I had to call myself.",
            "Third power cut this winter.",
            "Nobody could tell me when the power would be back.",
        ), (
            "Good to get a text message about the outage.",
            "Power was back sooner than promised.",
            "Clear information during the outage.",
        )),
    },
}
# Per language: openers (neg, pos), closers (neg, pos), whole short comments (neg, pos,
# mixed), neutral context sentences, the connector for a contrasting second phrase.
OPENERS = {
    "sv": (("Tyvärr inte bra.", "Inte nöjd.", "Suck.", "Ärligt talat dåligt.", "Riktigt trött på er.", "Hej.",
            "Besviken."),
           ("Hej!", "Toppen!", "Mycket nöjd.", "Bra jobbat.", "Kan bara säga positiva saker.", "Tack.")),
    "nb": (("Dessverre ikke bra.", "Ikke fornøyd.", "Skuffet.", "Hei."),
           ("Hei!", "Veldig fornøyd.", "Bra jobbet.", "Helt topp.")),
    "en": (("Not impressed.", "Not happy.", "Disappointed.", "Hi."),
           ("Hi!", "Very happy.", "Great job.", "Excellent.")),
}
CLOSERS = {
    "sv": (("Funderar på att byta elbolag.", "Gör om, gör rätt.", "Skärpning!", "Inte okej.",
            "Hoppas ni fixar det.", "Blir nog en uppsägning."),
           ("Tack!", "Fortsätt så!", "Rekommenderar er gärna.", "Tack för hjälpen.", "Stort tack.")),
    "nb": (("Vurderer å bytte strømselskap.", "Skjerp dere!", "Håper dere fikser det.", "Ikke greit."),
           ("Takk!", "Fortsett sånn!", "Anbefaler dere gjerne.", "Tusen takk for hjelpen.")),
    "en": (("Thinking about switching supplier.", "Please sort this out.", "Not acceptable.", "Do better."),
           ("Thanks!", "Keep it up!", "Would recommend.", "Thanks for the help.")),
}
SHORT = {
    "sv": (("Dåligt.", "Usel service", "kass app", "för dyrt", "Krångligt!", "inget svar"),
           ("Bra!", "Toppen", "Snabbt och enkelt", "Nöjd", "Smidigt", "Bra service"),
           ("Helt ok", "Det funkar", "Inget speciellt", "Ok men kan bli bättre")),
    "nb": (("Dårlig.", "Elendig service", "for dyrt", "Tungvint"),
           ("Bra!", "Kjempebra", "Raskt og enkelt", "Fornøyd"),
           ("Helt ok", "Greit nok", "Kunne vært bedre")),
    "en": (("Bad.", "Terrible service", "too expensive", "Complicated"),
           ("Good!", "Great", "Quick and easy", "Happy"),
           ("OK", "Fine I guess", "Could be better")),
}
CONTEXT = {
    "sv": ("Har varit kund i många år.", "Bor i villa med bergvärme.", "Ringde i förrgår.",
           "Gäller vårt företagsavtal.", "Har mejlat flera gånger.", "Det gäller min mammas lägenhet.",
           "Vi har timpris sedan i höstas.", "Har precis flyttat hit."),
    "nb": ("Har vært kunde i mange år.", "Bor i enebolig med varmepumpe.", "Ringte i forgårs.",
           "Gjelder firmaavtalen vår."),
    "en": ("I have been a customer for years.", "We live in a house with a heat pump.",
           "I called the day before yesterday.", "This is about our business contract."),
}
CONNECT = {"sv": "Men ", "nb": "Men ", "en": "But "}
# Reference sentences: (template with {} for the value, value kind). PII kinds are marked in PII_KINDS.
REFS = {
    "sv": (("Ärendenummer {}.", "case"), ("Gäller faktura {}.", "invoice"), ("Ordernummer {}.", "order"),
           ("Fakturan från {}.", "date"), ("Hände den {}.", "date"), ("Ring mig på {}.", "phone"),
           ("Nås på {} efter kl 17.", "phone_intl"), ("Maila mig på {}", "email"),
           ("Mitt personnummer är {} om ni behöver det.", "pnr10"), ("pnr {}", "pnr12")),
    "nb": (("Saksnummer {}.", "case"), ("Gjelder faktura {}.", "invoice"), ("Ordrenummer {}.", "order"),
           ("Skjedde {}.", "date"), ("Ring meg på {}.", "phone_no"), ("Send e-post til {}", "email"),
           ("Fødselsnummer: {}", "fnr")),
    "en": (("Case number {}.", "case"), ("Regarding invoice {}.", "invoice"), ("Order number {}.", "order"),
           ("It happened on {}.", "date"), ("Call me on {}.", "phone_intl"), ("Email me at {}", "email"),
           ("My personal number is {}.", "pnr10")),
}
PII_KINDS = ("phone", "phone_intl", "phone_no", "email", "pnr10", "pnr12", "fnr")
REF_KINDS = ("case", "invoice", "order", "date", *PII_KINDS)
REF_KIND_P = {"case": 3, "invoice": 3, "order": 2, "date": 3, "phone": 1.2, "phone_intl": 1.2, "phone_no": 2,
              "email": 1.2, "pnr10": 1.2, "pnr12": 0.8, "fnr": 2}
FIRST_NAMES = ("anna", "erik", "maria", "lars", "karin", "johan", "sara", "anders", "emma", "per", "lena", "nils",
               "ingrid", "ole", "kari", "linnea", "oskar", "elin", "mohammed", "fatima")
LAST_NAMES = ("andersson", "johansson", "karlsson", "nilsson", "eriksson", "larsson", "olsson", "persson", "svensson",
              "gustafsson", "hansen", "johansen", "berg", "lindqvist", "haugen", "ali")
MAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "telia.com", "live.se", "yahoo.se", "icloud.com",
                "online.no", "bredband.net")


def _typo(text: str) -> str:
    """A deterministic typo: swap, drop or double one letter (position from a CRC of the text)."""
    h = zlib.crc32(text.encode())
    letters = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text
    i = letters[h % len(letters)]
    kind = (h >> 8) % 3
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


class _Bank:
    """All phrases in one flat arrow array with four variants (plain, typo, lower-first, both)."""

    def __init__(self):
        texts: list[str] = []
        self.slots: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        def add(name: str, shape: tuple[int, ...], groups: list[tuple[str, ...]]):
            off, cnt = np.zeros(len(groups), np.int64), np.zeros(len(groups), np.int64)
            for g, items in enumerate(groups):
                off[g], cnt[g] = len(texts), len(items)
                texts.extend(items)
            self.slots[name] = off.reshape(shape), cnt.reshape(shape)

        nl, nt = len(LANGS), len(THEMES)
        add("phrase", (nl, nt, 2), [PHRASES[lang][t][s] for lang in LANGS for t in THEMES for s in (0, 1)])
        add("opener", (nl, 2), [OPENERS[lang][s] for lang in LANGS for s in (0, 1)])
        add("closer", (nl, 2), [CLOSERS[lang][s] for lang in LANGS for s in (0, 1)])
        add("short", (nl, 3), [SHORT[lang][s] for lang in LANGS for s in (0, 1, 2)])
        add("context", (nl,), [CONTEXT[lang] for lang in LANGS])
        add("connect", (nl,), [(CONNECT[lang],) for lang in LANGS])
        add("ref_pre", (nl,), [tuple(t.split("{}")[0] for t, _ in REFS[lang]) for lang in LANGS])
        add("ref_post", (nl,), [tuple(t.split("{}")[1] for t, _ in REFS[lang]) for lang in LANGS])
        self.ref_kind = np.array([REF_KINDS.index(k) for lang in LANGS for _, k in REFS[lang]])
        self.ref_start = np.cumsum([0] + [len(REFS[lang]) for lang in LANGS])[:-1]  # first ref_kind per language
        self.ref_p = [np.array([REF_KIND_P[k] for _, k in REFS[lang]]) / sum(REF_KIND_P[k] for _, k in REFS[lang])
                      for lang in LANGS]
        self.n = len(texts)
        plain_and_typo = texts + [_typo(t) for t in texts]
        self.texts = pa.array(plain_and_typo + [t[:1].lower() + t[1:] for t in plain_and_typo])

    def pick(self, rng, slot: str, key: tuple, present: np.ndarray, variant: np.ndarray | int = 0) -> pa.Array:
        """One random phrase of ``slot`` per row (null where not ``present``)."""
        off, cnt = self.slots[slot]
        off, cnt = off[key], cnt[key]
        idx = off + (rng.random(len(present)) * cnt).astype(np.int64) + variant * self.n
        return self.texts.take(pa.array(idx, mask=~present))


BANK = _Bank()


# ---------------------------------------------------------------------------------------
# Vectorised helpers
def _num(x: np.ndarray, width: int) -> pa.Array:
    """Integers as zero-padded strings."""
    return pc.utf8_lpad(pc.cast(pa.array(x), pa.string()), width=width, padding="0")


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _ids(prefix: str, n: int, width: int = 6) -> pa.Array:
    """``prefix`` + running number 1..n, zero-padded to at least ``width`` digits."""
    return _join(prefix, _num(np.arange(1, n + 1), max(width, len(str(n)))))


def _take(labels, codes: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Labels by integer code as an arrow string array (null where not ``present``)."""
    return pa.array(list(labels), pa.string()).take(pa.array(codes, mask=None if present is None else ~present))


def _choice(rng, p, n: int) -> np.ndarray:
    """n draws from a categorical distribution ``p`` (integer codes)."""
    cum = np.cumsum(p)
    return np.searchsorted(cum / cum[-1], rng.random(n), side="right")


def _sample_bins(rng, w: np.ndarray, group: np.ndarray, lo=None, hi=None) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a bin ∈ [lo, hi] of the weight row ``w[group]`` (truncated inverse CDF).

    Returns the bin index and whether the window had any weight (rows where it had none
    must be dropped).
    """
    g, k = w.shape
    cdf = np.cumsum(w, axis=1)
    total = cdf[:, -1:]
    cdf = np.divide(cdf, total, out=np.zeros_like(cdf), where=total > 0)
    cdf0 = np.hstack([np.zeros((g, 1)), cdf])
    lo = np.zeros(len(group), np.int64) if lo is None else lo
    hi = np.full(len(group), k - 1) if hi is None else hi
    lower, upper = cdf0[group, lo], cdf0[group, hi + 1]
    u = group + lower + rng.random(len(group)) * (upper - lower)
    idx = np.searchsorted((cdf + np.arange(g)[:, None]).ravel(), u, side="right") - group * k
    return np.clip(idx, lo, hi), upper > lower


def _weighted_sample(rng, weight: np.ndarray, k: int) -> np.ndarray:
    """k row indices drawn ∝ weight, without replacement while k ≤ rows (Efraimidis–Spirakis)."""
    if k > len(weight):
        return rng.choice(len(weight), k, p=weight / weight.sum())
    keys = np.log(rng.random(len(weight))) / weight
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _snap_open(rng, t: np.ndarray, hours: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Move times (s since 2025-01-01) outside opening hours to shortly after the next opening.

    ``hours`` is (groups, weekday, [open, close]) in minutes, like OPEN; ``group`` per row.
    """
    t = t.copy()
    for _ in range(8):
        day = t // DAY_S
        minute = (t % DAY_S) // 60
        start, end = hours[group, (day + 2) % 7, 0], hours[group, (day + 2) % 7, 1]
        before, after = minute < start, minute >= end
        if not (before | after).any():
            break
        t = np.where(before, day * DAY_S + start * 60 + rng.integers(0, 2700, len(t)), t)
        t = np.where(after, (day + 1) * DAY_S, t)
    return t


def _to_ts(seconds: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Seconds since 2025-01-01 00:00 as naive timestamps (null where not ``present``)."""
    ts = YEAR0 + seconds.astype("timedelta64[s]")
    return pa.array(ts, mask=None if present is None else ~present)


def _to_date(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.datetime64("2025-01-01") + days.astype("timedelta64[D]"),
                    mask=None if present is None else ~present)


# ---------------------------------------------------------------------------------------
# Reference values for comments (vectorised). Personal identity numbers carry valid checks.
def _birthdates(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = rng.integers(_day("1940-01-01"), _day("2005-12-31"), n)
    d = np.datetime64("2025-01-01") + days.astype("timedelta64[D]")
    y = d.astype("datetime64[Y]").astype(int) + 1970
    m = d.astype("datetime64[M]").astype(int) % 12 + 1
    return y, m, (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    """Decimal digits of integers, (rows, width), most significant first."""
    return (x[:, None] // 10 ** np.arange(width - 1, -1, -1)) % 10


def _personnummer(rng, n: int, long: bool) -> pa.Array:
    """Swedish personnummer, YYMMDD-NNNC or YYYYMMDDNNNC, with a valid Luhn check digit C."""
    y, m, d = _birthdates(rng, n)
    serial = rng.integers(0, 1000, n)
    digits = _digits((y % 100) * 10**7 + m * 10**5 + d * 10**3 + serial, 9)
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    tail = _num(serial * 10 + check, 4)
    if long:
        return _join(_num(y * 10000 + m * 100 + d, 8), tail)
    return _join(_num((y % 100) * 10000 + m * 100 + d, 6), "-", tail)


def _fodselsnummer(rng, n: int) -> pa.Array:
    """Norwegian fødselsnummer DDMMYYIIIKK with valid control digits K1 and K2."""
    y, m, d = _birthdates(rng, n)
    base = np.where(y >= 2000, 500, 0)
    ind = base + rng.integers(0, 500, n)
    w1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
    w2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    for _ in range(500):  # step the individual number until both control digits exist
        nine = _digits(d * 10**7 + m * 10**5 + (y % 100) * 10**3 + ind, 9)
        k1 = (11 - (nine * w1).sum(axis=1) % 11) % 11
        k2 = (11 - ((nine * w2[:9]).sum(axis=1) + 2 * k1) % 11) % 11
        bad = (k1 == 10) | (k2 == 10)
        if not bad.any():
            break
        ind = np.where(bad, base + (ind - base + 1) % 500, ind)
    return _join(_num(d * 10**7 + m * 10**5 + (y % 100) * 10**3 + ind, 9), _num(k1 * 10 + k2, 2))


def _ref_values(rng, kind: str, days: np.ndarray) -> pa.Array:
    """Values of one reference kind; ``days`` are the response days (for dates)."""
    n = len(days)
    if kind == "case":
        return _join("2025-", _num(rng.integers(0, 10**6, n), 6))
    if kind == "invoice":
        return _num(rng.integers(10**8, 10**9, n), 9)
    if kind == "order":
        return _join("NE", _num(rng.integers(0, 10**7, n), 7))
    if kind == "date":
        past = np.maximum(days - rng.integers(0, 30, n), 0)
        return pa.array(np.datetime_as_string(np.datetime64("2025-01-01") + past.astype("timedelta64[D]")))
    if kind in ("phone", "phone_intl"):
        prefix = _take(("70", "72", "73", "76", "79"), rng.integers(0, 5, n))
        groups = (_num(rng.integers(0, 1000, n), 3), " ", _num(rng.integers(0, 100, n), 2), " ",
                  _num(rng.integers(0, 100, n), 2))
        return _join("0", prefix, "-", *groups) if kind == "phone" else _join("+46 ", prefix, " ", *groups)
    if kind == "phone_no":
        return _join("+47 ", _take(("9", "4"), rng.integers(0, 2, n)), _num(rng.integers(0, 100, n), 2), " ",
                     _num(rng.integers(0, 100, n), 2), " ", _num(rng.integers(0, 1000, n), 3))
    if kind == "email":
        number = pc.if_else(pa.array(rng.random(n) < 0.4), _num(rng.integers(0, 100, n), 2), "")
        return _join(_take(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n)),
                     _take((".", "", "_"), rng.integers(0, 3, n)),
                     _take(LAST_NAMES, rng.integers(0, len(LAST_NAMES), n)), number, "@",
                     _take(MAIL_DOMAINS, rng.integers(0, len(MAIL_DOMAINS), n)))
    if kind == "fnr":
        return _fodselsnummer(rng, n)
    return _personnummer(rng, n, long=kind == "pnr12")


# ---------------------------------------------------------------------------------------
# Tables
SEGMENTS = ("privat", "företag")
ELOMRADE = ("SE1", "SE2", "SE3", "SE4")
AVTAL = ("rörligt", "fast pris 1 år", "fast pris 3 år", "timpris")
CHURN_PROFILE = _profile({"price_letter": 1.5, "new_price_bill": 1.0})


def _customers(rng, n: int) -> dict:
    """Customers with latent mood (drives scores, failure contacts and churn) and active window."""
    foretag = rng.random(n) < 0.12
    mood = rng.standard_normal(n)
    new = rng.random(n) < 0.12  # joined during 2025, the rest over the previous ten years
    since = np.where(new, rng.integers(0, N_DAYS, n), -1 - np.floor(3652 * rng.random(n) ** 1.6).astype(np.int64))
    p_churn = 1 / (1 + np.exp(2.3 + 0.9 * mood - 0.2 * foretag))
    lo_churn = np.maximum(since + 30, 0)
    churn_day, ok = _sample_bins(rng, CHURN_PROFILE[None], np.zeros(n, np.int64),
                                 np.minimum(lo_churn, N_DAYS - 1), None)
    churned = (rng.random(n) < p_churn) & ok & (lo_churn < N_DAYS)
    revenue = np.where(foretag, rng.lognormal(np.log(150_000), 1.0, n), rng.lognormal(np.log(21_000), 0.3, n))
    lo = np.maximum(since, 0)
    hi = np.where(churned, churn_day, N_DAYS - 1)
    return {
        "n": n, "id": _ids("K", n, 7), "foretag": foretag, "mood": mood, "since": since, "churned": churned,
        "churn_day": churn_day, "revenue": np.round(revenue, 2), "lo": lo, "hi": hi,
        "lang": _choice(rng, (0.8, 0.1, 0.1), n),  # language the customer writes comments in
        "activity": (hi - lo + 1) / N_DAYS * rng.lognormal(0, 0.7, n) * np.where(foretag, 1.6, 1.0),
        "elomrade": _choice(rng, (0.25, 0.3, 0.35, 0.1), n), "avtal": _choice(rng, (0.45, 0.25, 0.1, 0.2), n),
    }


def _customers_table(c: dict) -> pa.Table:
    return pa.table({
        "customer_id": c["id"],
        "segment": _take(SEGMENTS, c["foretag"].astype(int)),
        "since": _to_date(c["since"]),
        "churned_at": _to_date(c["churn_day"], c["churned"]),
        "annual_revenue": c["revenue"],
        "elomrade": _take(ELOMRADE, c["elomrade"]),
        "avtal": _take(AVTAL, c["avtal"]),
    })


# Queue and async behaviour per contact channel (phone, chat, email, webform, app).
WAIT_MEDIAN_S = np.array([28, 35, 4 * 3600, 6 * 3600, 2 * 3600])  # first response at normal load
WAIT_SIGMA = np.array([0.9, 0.9, 0.8, 0.8, 0.9])
WAIT_LOAD_EXP = np.array([2.0, 1.6, 1.5, 1.2, 1.0])  # how steeply waits grow with load
PATIENCE_MIN_S = np.array([20, 30, 0, 0, 0])  # callers rarely hang up before this
PATIENCE_MEAN_S = np.array([500, 700, 1, 1, 1])  # exponential patience beyond the minimum (queues only)
OFFICE_HOURS = np.array([[(480, 1020)] * 5 + [(0, 0)] * 2])  # mon-fri 08-17: when async replies are sent
HANDLE_MEDIAN_S = np.array([360, 540, 300, 240, 200])
HANDLE_SIGMA = np.array([0.5, 0.6, 0.7, 0.7, 0.7])
FCR_BASE = np.array([0.85, 0.80, 0.72, 0.74, 0.78])
# Where a customer turns when a contact failed (row: from channel, column: to channel).
HOP = np.array([
    [0.50, 0.20, 0.15, 0.05, 0.10],
    [0.35, 0.35, 0.15, 0.05, 0.10],
    [0.50, 0.15, 0.25, 0.05, 0.05],
    [0.45, 0.20, 0.20, 0.10, 0.05],
    [0.40, 0.25, 0.10, 0.05, 0.20],
])


def _load(ch: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Load ratio (channels, days): volume relative to the channel's average for that weekday."""
    vol = np.bincount(ch * N_DAYS + day, minlength=len(CH) * N_DAYS).reshape(len(CH), N_DAYS).astype(float)
    expected = np.stack([vol[:, _WEEKDAY == wd].mean(axis=1) for wd in range(7)], axis=1)[:, _WEEKDAY]
    return np.clip((vol + 3) / (expected + 3), 0.6, 3.0)


def _outcomes(rng, b: dict, load: np.ndarray) -> dict:
    """Waits, abandonment, handle times, resolution and closing times of a batch of contacts."""
    ch, t, n = b["ch"], b["t"], len(b["ch"])
    fail = R_FAIL[b["reason"]]
    day, hour = t // DAY_S, (t % DAY_S) // 3600
    pressure = load[ch, day] * np.where(QUEUE[ch], HOUR_PRESS[ch, hour] ** 0.5, 1.0)
    wait = rng.lognormal(np.log(WAIT_MEDIAN_S[ch] * pressure ** WAIT_LOAD_EXP[ch]), WAIT_SIGMA[ch])
    abandoned = QUEUE[ch] & (wait > PATIENCE_MIN_S[ch] + rng.exponential(PATIENCE_MEAN_S[ch]))
    handle = np.round(rng.lognormal(np.log(HANDLE_MEDIAN_S[ch]) + 0.25 * fail, HANDLE_SIGMA[ch]))
    p_fcr = FCR_BASE[ch] * np.where(fail, 0.68, 1.0) * np.where(b["repeat"], 1.1, 1.0)
    resolved = rng.random(n) < p_fcr
    follow_up = np.where(resolved, 0.0, rng.lognormal(np.log(2 * DAY_S), 1.0, n))
    first = t + np.round(wait).astype(np.int64)
    later = ~QUEUE[ch]  # async replies are written during office hours
    first[later] = _snap_open(rng, first[later], OFFICE_HOURS, np.zeros(later.sum(), np.int64))
    closed = first + (handle + np.round(follow_up)).astype(np.int64)
    return {**b, "wait": wait, "abandoned": abandoned, "handle": handle, "resolved": resolved & ~abandoned,
            "first": first, "closed": closed}


def _repeats(rng, b: dict, hi: np.ndarray) -> dict:
    """Follow-up contacts of unresolved or abandoned ones (same customer and reason, often another channel)."""
    fail = R_FAIL[b["reason"]]
    failed = b["abandoned"] | ~b["resolved"]
    take = failed & (rng.random(len(fail)) < np.where(fail, 0.6, 0.3))
    ch, ab = b["ch"][take], b["abandoned"][take]
    hop = _sample_bins(rng, HOP, ch)[0]
    new_ch = np.where(ab & (rng.random(len(ch)) < 0.7), ch, hop)
    # abandoned: try again within the hour or so; unresolved: a day or two later at a usual hour
    delay = np.where(ab, rng.lognormal(np.log(2400), 1.0, len(ch)), rng.lognormal(np.log(1.5 * DAY_S), 0.8, len(ch)))
    t = b["t"][take] + np.round(delay).astype(np.int64)
    day = np.minimum(t // DAY_S, N_DAYS - 1)
    hour = _sample_bins(rng, HOUR_W, new_ch * 7 + _WEEKDAY[day])[0]
    t = _snap_open(rng, np.where(ab, t, day * DAY_S + hour * 3600 + rng.integers(0, 3600, len(ch))), OPEN, new_ch)
    keep = t // DAY_S <= hi[b["cust"][take]]
    return {"cust": b["cust"][take][keep], "reason": b["reason"][take][keep], "ch": new_ch[keep], "t": t[keep],
            "repeat": np.ones(keep.sum(), bool)}


def _contacts(rng, c: dict, n: int) -> dict:
    """Contacts as arrays sorted by opening time: primary demand, cancellations before churn, repeats."""
    reason = _choice(rng, R_SHARE, n)
    fail = R_FAIL[reason]
    w_fail = c["activity"] * np.exp(-0.5 * c["mood"])  # unhappy customers run into more problems
    cust = np.empty(n, np.int64)
    cust[fail] = rng.choice(c["n"], fail.sum(), p=w_fail / w_fail.sum())
    cust[~fail] = rng.choice(c["n"], (~fail).sum(), p=c["activity"] / c["activity"].sum())
    ch = _sample_bins(rng, P_CH_GIVEN_R, reason)[0]
    day_w = (R_PROFILE[:, None, :] * WEEKDAY_W[None, :, _WEEKDAY]).reshape(-1, N_DAYS)
    day, ok = _sample_bins(rng, day_w, reason * len(CH) + ch, c["lo"][cust], c["hi"][cust])
    hour = _sample_bins(rng, HOUR_W, ch * 7 + _WEEKDAY[day])[0]
    t = day * DAY_S + hour * 3600 + rng.integers(0, 3600, n)
    primary = {"cust": cust[ok], "reason": reason[ok], "ch": ch[ok], "t": t[ok], "repeat": np.zeros(ok.sum(), bool)}
    load = _load(primary["ch"], primary["t"] // DAY_S)

    # Half of the churners get in touch to cancel during their last three weeks (at a
    # weekday's usual hour; closed days move to the next opening).
    leaver = np.flatnonzero(c["churned"] & (rng.random(c["n"]) < 0.5))
    n_leave = len(leaver)
    ch_c = _sample_bins(rng, P_CH_GIVEN_R, np.full(n_leave, R_CANCEL))[0]
    day_c = np.maximum(c["churn_day"][leaver] - rng.integers(0, 21, n_leave), c["lo"][leaver])
    t_c = _snap_open(rng, day_c * DAY_S + _sample_bins(rng, HOUR_W, ch_c * 7 + 2)[0] * 3600
                     + rng.integers(0, 3600, n_leave), OPEN, ch_c)
    keep = t_c // DAY_S <= c["hi"][leaver]
    cancel = {"cust": leaver[keep], "reason": np.full(keep.sum(), R_CANCEL), "ch": ch_c[keep], "t": t_c[keep],
              "repeat": np.zeros(keep.sum(), bool)}

    batches = [_outcomes(rng, {key: np.concatenate([primary[key], cancel[key]]) for key in primary}, load)]
    for _ in range(2):  # repeats, and repeats of repeats
        batches.append(_outcomes(rng, _repeats(rng, batches[-1], c["hi"]), load))
    out = {key: np.concatenate([b[key] for b in batches]) for key in batches[0]}
    order = np.argsort(out["t"], kind="stable")
    return {key: v[order] for key, v in out.items()}


def _contacts_table(k: dict, c: dict) -> pa.Table:
    served = ~k["abandoned"]
    return pa.table({
        "contact_id": _ids("KT", len(k["t"]), 7),
        "opened_at": _to_ts(k["t"]),
        "channel": _take(CH, k["ch"]),
        "reason": _take(R_NAMES, k["reason"]),
        "first_response_at": _to_ts(k["first"], served),
        "closed_at": _to_ts(k["closed"], served),
        "handle_time_s": pa.array(k["handle"].astype(np.int64), mask=~served),
        "resolved_first_contact": pa.array(k["resolved"], mask=~served),
        "customer_id": c["id"].take(pa.array(k["cust"])),
        "abandoned": pa.array(k["abandoned"], mask=~QUEUE[k["ch"]]),  # only queues can be abandoned
    })


# Feedback: touchpoints and what drives the latent satisfaction behind the scores.
TOUCHPOINTS = ("faktura", "flytt", "avbrott", "app", "kundtjänst telefon", "chatt", "e-post",
               "leverans/installation", "webb", "avtal")
CH_TOUCHPOINT = np.array([TOUCHPOINTS.index(t) for t in ("kundtjänst telefon", "chatt", "e-post", "webb", "app")])
R_TOUCHPOINT = np.array([TOUCHPOINTS.index(r[4]) if r[4] else -1 for r in REASONS])
DEVICES = ("mobile", "desktop", "tablet", "other")
CH_EFFECT = np.array([0.10, 0.12, -0.20, -0.15, 0.0, -0.10])  # phone chat email webform app web
TP_EFFECT = np.array([-0.15, -0.05, -0.25, -0.10, 0.15, 0.15, -0.10, 0.15, 0.0, 0.05])  # as TOUCHPOINTS
Z0 = 0.5  # intercept: puts overall NPS around +10
NPS_P = (0.05, 0.02, 0.03, 0.03, 0.04, 0.08, 0.07, 0.13, 0.17, 0.14, 0.24)  # score shares at z ~ N(0, 1)
CSAT_P = (0.07, 0.08, 0.15, 0.33, 0.37)
CES_P = (0.05, 0.06, 0.09, 0.13, 0.20, 0.25, 0.22)
# Theme of a comment given the touchpoint (rows as TOUCHPOINTS, columns as THEMES).
THEME_BY_TP = np.array([
    [6, 1, 0.5, 1.5, 0, 1.5, 0, 0],
    [0.5, 1, 1, 1.5, 0, 0, 6, 0],
    [0, 1.5, 0, 1, 0, 0, 0, 6],
    [1, 0, 6, 0.5, 0, 0, 0, 0],
    [1, 3, 0, 4, 0, 0.5, 0, 0],
    [0, 2, 1, 4, 0, 0, 0, 0],
    [1, 4, 0, 2, 0, 0, 0, 0],
    [0, 0, 0, 1.5, 6, 1, 0, 0],
    [0, 0, 5, 0, 0, 1, 1, 0],
    [0.5, 0, 0, 1.5, 0, 4, 2, 0],
])
THEME2_W = np.array([1, 1.5, 1, 2, 0.3, 1.5, 0.5, 0.2])  # second theme of longer comments
# Touchpoints of surveys in the app and on the web (not after a contact), with probabilities.
APP_TOUCHPOINTS = {"app": 0.7, "faktura": 0.22, "avbrott": 0.08}
WEB_TOUCHPOINTS = {"webb": 0.55, "flytt": 0.2, "avtal": 0.15, "faktura": 0.1}


def _touchpoints(rng, probs: Mapping[str, float], n: int) -> np.ndarray:
    """n touchpoint codes drawn from ``{touchpoint: probability}``."""
    return np.array([TOUCHPOINTS.index(t) for t in probs])[_choice(rng, list(probs.values()), n)]


def _cuts(p) -> np.ndarray:
    """Cut points on a standard normal latent that yield score shares ``p``."""
    return np.array([NormalDist().inv_cdf(q) for q in np.cumsum(p)[:-1]])


def _comments(rng, lang: np.ndarray, theme: np.ndarray, theme2: np.ndarray, klass: np.ndarray,
              day: np.ndarray) -> pa.Array:
    """Compose comments; ``klass`` 0 = detractor (negative), 1 = promoter (positive), 2 = passive (mixed)."""
    n = len(lang)
    short = rng.random(n) < 0.15
    full = ~short
    mixed = klass == 2
    sent = np.where(mixed, rng.random(n) < 0.5, klass == 1).astype(np.int64)  # 1 = positive
    sent2 = np.where(mixed, 1 - sent, sent)
    second = full & (mixed | (rng.random(n) < 0.3))

    def typo():
        return (rng.random(n) < 0.07).astype(np.int64)

    has_ref = full & (rng.random(n) < 0.12)
    j = np.zeros(n, np.int64)
    for li in range(len(LANGS)):
        j[lang == li] = _choice(rng, BANK.ref_p[li], int((lang == li).sum()))
    kind = BANK.ref_kind[BANK.ref_start[lang] + j]
    rows, values = [], []
    for ki, name in enumerate(REF_KINDS):
        r = np.flatnonzero(has_ref & (kind == ki))
        if len(r):
            rows.append(r)
            values.append(_ref_values(rng, name, day[r]))
    pos = np.full(n, -1)
    if rows:
        pos[np.concatenate(rows)] = np.arange(sum(len(r) for r in rows))
    value = (pa.concat_arrays(values) if values else pa.array([], pa.string())).take(pa.array(pos, mask=pos < 0))
    texts = BANK.texts
    ref = _join(texts.take(pa.array(BANK.slots["ref_pre"][0][lang] + j)), value,
                texts.take(pa.array(BANK.slots["ref_post"][0][lang] + j)))

    parts = [
        BANK.pick(rng, "opener", (lang, sent), full & (rng.random(n) < 0.3), typo()),
        BANK.pick(rng, "short", (lang, klass), short, typo()),
        BANK.pick(rng, "phrase", (lang, theme, sent), full, typo()),
        _join(pc.fill_null(BANK.pick(rng, "connect", (lang,), mixed), ""),
              BANK.pick(rng, "phrase", (lang, theme2, sent2), second, typo() + 2 * mixed)),
        BANK.pick(rng, "context", (lang,), full & (rng.random(n) < 0.2), typo()),
        ref,
        BANK.pick(rng, "closer", (lang, np.where(mixed, sent2, sent)), full & (rng.random(n) < 0.3), typo()),
    ]
    sep = pa.array(np.where(rng.random(n) < 0.03, "\n", " "))
    # (every row has a short comment or a main phrase: pyarrow drops rows whose parts are all null)
    text = pc.binary_join_element_wise(*parts, sep, null_handling="skip")
    casual = pa.array(rng.random(n) < 0.12)  # typed in lowercase without final punctuation
    return pc.if_else(casual, pc.replace_substring_regex(pc.utf8_lower(text), r"[.!]$", ""), text)


def _feedback(rng, c: dict, k: dict, n: int) -> pa.Table:
    """Survey responses: 75 % after a contact (same customer, channel and reason), 25 % on the web or in the app."""
    n_post = round(0.75 * n) if (~k["abandoned"]).any() else 0
    served = np.flatnonzero(~k["abandoned"])
    fail_k, unres_k = R_FAIL[k["reason"]], ~k["resolved"]
    src = served[_weighted_sample(rng, (1 + 0.3 * fail_k + 0.3 * unres_k)[served], n_post)] if n_post else served[:0]
    cust_p = k["cust"][src]
    lag = _choice(rng, (0.5, 0.3, 0.1, 0.06, 0.04), n_post)
    day_p = np.minimum(k["first"][src] // DAY_S + lag, c["hi"][cust_p])
    tp_p = np.where((R_TOUCHPOINT[k["reason"][src]] < 0) | (rng.random(n_post) < 0.4),
                    CH_TOUCHPOINT[k["ch"][src]], R_TOUCHPOINT[k["reason"][src]])

    n_dig = n - n_post
    cust_d = rng.choice(c["n"], n_dig, p=c["activity"] / c["activity"].sum())
    day_d = _sample_bins(rng, (_profile({"campaign": 0.5, "moving": 0.5}) * WEB_WEEKDAY[_WEEKDAY])[None],
                         np.zeros(n_dig, np.int64), c["lo"][cust_d], c["hi"][cust_d])[0]
    is_app = rng.random(n_dig) < 0.4
    tp_d = np.where(is_app, _touchpoints(rng, APP_TOUCHPOINTS, n_dig), _touchpoints(rng, WEB_TOUCHPOINTS, n_dig))
    dev_d = np.where(is_app, np.where(rng.random(n_dig) < 0.92, 0, 2), _choice(rng, (0.58, 0.37, 0.05), n_dig))

    cust = np.concatenate([cust_p, cust_d])
    ch = np.concatenate([k["ch"][src], np.where(is_app, CH.index("app"), CH_FEEDBACK.index("web"))])
    day = np.minimum(np.concatenate([day_p, day_d]), N_DAYS - 1)
    tp = np.concatenate([tp_p, tp_d])
    device = np.concatenate([_choice(rng, (0.62, 0.33, 0.04, 0.01), n_post), dev_d])
    fail = np.concatenate([fail_k[src], np.zeros(n_dig, bool)])
    unres = np.concatenate([unres_k[src], np.zeros(n_dig, bool)])
    repeat = np.concatenate([k["repeat"][src], np.zeros(n_dig, bool)])
    wait = np.concatenate([np.where(QUEUE[k["ch"][src]], k["wait"][src], 0.0), np.zeros(n_dig)])
    contact = np.concatenate([src, np.full(n_dig, -1)])

    digital_form = (ch == CH_FEEDBACK.index("web")) | (ch == CH.index("webform"))
    app_down = (SHAPES["app_incident"][day] > 0) & ((ch == CH.index("app")) | (tp == TOUCHPOINTS.index("app")))
    before_churn = c["churned"][cust] & (c["churn_day"][cust] - day <= 90)
    z = (Z0 + 0.55 * c["mood"][cust] + CH_EFFECT[ch] + TP_EFFECT[tp] - 0.15 * c["foretag"][cust]
         - np.where(device == 0, np.where(digital_form, 0.35, 0.05), 0.0)
         - 0.35 * fail - 0.3 * unres - 0.2 * repeat - 0.2 * np.log2(np.maximum(wait, 60) / 60)
         - 0.6 * app_down - 0.4 * before_churn + rng.normal(0, 0.8, n))
    nps = np.searchsorted(_cuts(NPS_P), z)
    csat = np.searchsorted(_cuts(CSAT_P), z + rng.normal(0, 0.75, n)) + 1
    effort = 0.3 * fail + 0.3 * unres + 0.4 * repeat + 0.3 * ((device == 0) & digital_form)
    ces = np.searchsorted(_cuts(CES_P), 0.8 * z - effort + rng.normal(0, 0.9, n)) + 1

    klass = np.where(nps <= 6, 0, np.where(nps >= 9, 1, 2))
    has_comment = rng.random(n) < np.array([0.93, 0.82, 0.8])[klass]
    lang = c["lang"][cust]
    theme = _sample_bins(rng, THEME_BY_TP, tp)[0]
    theme = np.where((wait > 180) & (rng.random(n) < 0.6), THEMES.index("waiting"), theme)
    theme2 = _choice(rng, THEME2_W, n)
    theme2 = np.where(theme2 == theme, (theme + 1 + rng.integers(0, len(THEMES) - 1, n)) % len(THEMES), theme2)
    rows = np.flatnonzero(has_comment)
    text = _comments(rng, lang[rows], theme[rows], theme2[rows], klass[rows], day[rows])
    pos = np.full(n, -1)
    pos[rows] = np.arange(len(rows))

    order = np.argsort(day, kind="stable")
    o = pa.array(order)
    return pa.table({
        "response_id": _ids("R", n, 7),
        "date": _to_date(day[order]),
        "channel": _take(CH_FEEDBACK, ch[order]),
        "touchpoint": _take(TOUCHPOINTS, tp[order]),
        "nps": pa.array(nps[order], mask=(rng.random(n) < 0.02)[order]),
        "csat": pa.array(csat[order], mask=(rng.random(n) < 0.15)[order]),
        "ces": pa.array(ces[order], mask=(rng.random(n) < 0.3)[order]),
        "comment": text.take(pa.array(pos[order], mask=pos[order] < 0)),
        "device": _take(DEVICES, device[order]),
        "segment": _take(SEGMENTS, c["foretag"][cust[order]].astype(int)),
        "customer_id": c["id"].take(pa.array(cust[order])),
        "language": _take(LANGS, lang).take(o),
        "contact_id": _ids("KT", len(k["t"]), 7).take(pa.array(contact[order], mask=contact[order] < 0)),
    })


# Journeys: steps of each funnel and the chance to continue to the next step per device.
JOURNEYS = (("teckna elavtal", ("startsida", "välj avtal", "personuppgifter", "betalning", "bekräftelse")),
            ("flytta avtal", ("logga in", "mina sidor", "flytta avtal", "bekräftelse")))
JOURNEY_DEVICE_P = (0.58, 0.36, 0.06)  # mobile, desktop, tablet
CONTINUE_P = (
    np.array([[0.42, 0.58, 0.52, 0.68], [0.45, 0.62, 0.78, 0.88], [0.44, 0.60, 0.68, 0.80]]),  # forms hurt on mobile
    np.array([[0.86, 0.52, 0.58], [0.93, 0.55, 0.82], [0.90, 0.54, 0.72]]),
)
STEP_SECONDS = ((25, 70, 150, 60, 0), (20, 35, 180, 0))  # median time on a step before the next one
JOURNEY_DAY_W = (_profile({"campaign": 0.8, "price_letter": 1.0}), _profile({"moving": 1.0, "month_end": 0.6}))
WEB_WEEKDAY = np.array([1.10, 1.05, 1.0, 1.0, 0.90, 0.80, 0.95])
_H = np.arange(24) + 0.5
WEB_HOUR = (0.5 + 0.8 * np.exp(-(((_H - 12.5) / 2) ** 2)) + np.exp(-(((_H - 20.5) / 2) ** 2))) * np.where(
    (_H < 6.5), 0.15, 1.0)


def _journeys(rng, c: dict, n_buy: int, n_service: int) -> pa.Table:
    """Sessions of a purchase funnel (prospects) and a service funnel (logged-in customers)."""
    journey, start, device, cust, reached = [], [], [], [], []
    for j, n in enumerate((n_buy, n_service)):
        who = rng.choice(c["n"], n, p=c["activity"] / c["activity"].sum()) if j else np.full(n, -1)
        lo, hi = (c["lo"][who], c["hi"][who]) if j else (None, None)
        day = _sample_bins(rng, (JOURNEY_DAY_W[j] * WEB_WEEKDAY[_WEEKDAY])[None], np.zeros(n, np.int64), lo, hi)[0]
        hour = _sample_bins(rng, WEB_HOUR[None], np.zeros(n, np.int64))[0]
        dev = _choice(rng, JOURNEY_DEVICE_P, n)
        p = CONTINUE_P[j][dev]
        if j:  # mobile BankID login broken during the April app incident
            p[:, 0] *= np.where((dev == 0) & (SHAPES["app_incident"][day] > 0), 0.6, 1.0)
        go = rng.random(p.shape) < p
        journey.append(np.full(n, j))
        start.append(day * DAY_S + hour * 3600 + rng.integers(0, 3600, n))
        device.append(dev)
        cust.append(who)
        reached.append(1 + np.cumprod(go, axis=1).sum(axis=1))
    order = np.argsort(np.concatenate(start), kind="stable")
    journey, start, device, cust, reached = (np.concatenate(a)[order] for a in (journey, start, device, cust, reached))

    sess = np.repeat(np.arange(len(start)), reached)
    first_row = np.cumsum(reached) - reached
    step_order = np.arange(len(sess)) - first_row[sess] + 1
    step_offset = np.array([0, len(JOURNEYS[0][1])])
    step = step_offset[journey[sess]] + step_order - 1
    step_s = np.array([s for secs in STEP_SECONDS for s in secs], float)
    dur = np.where(step_order > 1, rng.lognormal(np.log(step_s[step - 1] * np.where(device[sess] == 0, 1.2, 1.0)
                                                        + 1), 0.6), 0.0)
    elapsed = np.cumsum(dur)
    elapsed -= elapsed[first_row][sess]
    return pa.table({
        "session_id": _ids("S", len(start), 7).take(pa.array(sess)),
        "journey": _take([name for name, _ in JOURNEYS], journey[sess]),
        "step": _take([s for _, steps in JOURNEYS for s in steps], step),
        "step_order": pa.array(step_order),
        "timestamp": _to_ts(start[sess] + np.round(elapsed)),
        "device": _take(DEVICES, device[sess]),
        "customer_id": c["id"].take(pa.array(cust[sess], mask=cust[sess] < 0)),
    })


# Static tables: initiatives and maturity areas of the CX strategy workshop.
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
AREAS = ("insikt", "tillgänglighet", "friktion", "mobilitet", "onödig efterfrågan", "prioritering", "förankring",
         "ledarskap")
AREA_CURRENT = np.array([2.2, 3.0, 2.3, 2.0, 1.8, 2.6, 2.1, 3.0])  # mean workshop score today
AREA_DESIRED = np.array([4.2, 4.2, 4.0, 4.3, 3.8, 4.0, 4.0, 4.2])  # mean score wanted in two years
PARTICIPANTS = {"vd": 0.5, "kundservicechef": -0.4, "it-chef": 0.1, "ekonomichef": 0.2, "marknadschef": 0.0,
                "driftchef": 0.2}  # participant: optimism bias on current scores


def _reasons_table() -> pa.Table:
    return pa.table({name: [r[i] for r in REASONS] for i, name in
                     enumerate(("reason", "demand_type", "root_cause", "owner_department"))})


def _initiatives_table() -> pa.Table:
    cols = ("id", "name", "area", "effort", "effect", "cost", "owner", "duration")
    return pa.table({name: [row[i] for row in INITIATIVES] for i, name in enumerate(cols)})


def _maturity_table(rng) -> pa.Table:
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


# ---------------------------------------------------------------------------------------
# Writing
DEFAULT_FORMATS = {"feedback": "csv", "customers": "csv", "contacts": "parquet", "journeys": "parquet",
                   "reasons": "csv", "initiatives": "xlsx", "maturity": "csv"}
# CSV dialect per table (others: comma, UTF-8, ISO dates): shows off what the loader accepts.
CSV_STYLE = {
    "feedback": {"sep": ";", "encoding": "utf-8-sig"},
    "customers": {"sep": ";", "encoding": "cp1252", "decimal": ",", "day_first": True},
}
EXCEL_MAX_ROWS = 1_048_575


def _formats(formats: str | Mapping[str, str] | None) -> dict[str, str]:
    """Format per table from ``None`` (defaults), one format for all, or ``{table: format}`` overrides."""
    if isinstance(formats, str):
        out = dict.fromkeys(DEFAULT_FORMATS, formats)
    else:
        unknown = set(formats or {}) - set(DEFAULT_FORMATS)
        if unknown:
            raise ValueError(f"unknown tables in formats: {', '.join(sorted(unknown))}")
        out = {**DEFAULT_FORMATS, **(formats or {})}
    bad = {f for f in out.values() if f not in ("csv", "parquet", "xlsx")}
    if bad:
        raise ValueError(f"formats must be csv, parquet or xlsx; got {', '.join(sorted(bad))}")
    return out


def _csv_text(col: pa.ChunkedArray, decimal: str, day_first: bool) -> pa.ChunkedArray:
    """A column as CSV text (null stays empty)."""
    t = col.type
    if pa.types.is_date(t) and day_first:
        return _join(pc.cast(pc.day(col), pa.string()), ".", pc.cast(pc.month(col), pa.string()), ".",
                     pc.cast(pc.year(col), pa.string()))
    if pa.types.is_timestamp(t):
        return pc.strftime(col, "%Y-%m-%dT%H:%M:%S")
    if pa.types.is_floating(t):
        return pc.replace_substring(pc.cast(col, pa.string()), ".", decimal)
    return pc.cast(col, pa.string())


def _write(table: pa.Table, name: str, fmt: str, out: Path) -> Path:
    """Write one table as ``out/name.fmt`` after removing other files of the same table."""
    for ext in ("csv", "txt", "xlsx", "parquet"):
        (out / f"{name}.{ext}").unlink(missing_ok=True)
    path = out / f"{name}.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    elif fmt == "xlsx":
        if table.num_rows > EXCEL_MAX_ROWS:
            raise ValueError(f"{name} has {table.num_rows:,} rows, more than a worksheet holds; use csv or parquet")
        table.to_pandas().to_excel(path, index=False, sheet_name=name)
    else:
        style = CSV_STYLE.get(name, {})
        decimal, day_first = style.get("decimal", "."), style.get("day_first", False)
        text = pd.DataFrame({c: _csv_text(table[c], decimal, day_first).to_pandas() for c in table.column_names})
        text.to_csv(path, sep=style.get("sep", ","), encoding=style.get("encoding", "utf-8"), index=False)
    return path


def _check_replaceable(out: Path) -> None:
    """Raise :class:`CxError` unless ``out`` is missing, an empty folder or an unchanged earlier output."""
    if not out.exists():
        return
    if not out.is_dir():
        raise CxError(f"{out} is a file; synth writes a workspace folder. Choose a new folder.")
    client = out / "client.yaml"
    earlier = client.is_file() and client.read_bytes() == CLIENT_YAML.encode("utf-8")
    if any(out.iterdir()) and not earlier:
        raise CxError(f"{out} is not empty and not an earlier synth output; choose a new or empty folder "
                      "(synth replaces only its own output, never a client's files).")


def generate(out_dir: str | Path, *, seed: int = 42, scale: float = 1.0, responses_per_day: float | None = None,
             formats: str | Mapping[str, str] | None = None) -> dict[str, Path]:
    """Write a complete client workspace for Norrsken Energi AB (2025) into ``out_dir``.

    At ``scale`` 1: ≈20,000 customers, ≈55,000 contacts, 6,200 survey responses (≈5,300
    with comments) and ≈28,000 web sessions; ``scale`` multiplies all of them.
    ``responses_per_day`` (responses per day over 365 days) overrides the feedback volume.
    ``formats`` is ``None`` (feedback, customers, reasons, maturity as CSV in various
    dialects; contacts and journeys as parquet; initiatives as xlsx), one of ``"csv"``,
    ``"parquet"``, ``"xlsx"`` for every table, or ``{table: format}`` overrides. Returns
    ``{"client": path, table: path}``.

    ``out_dir`` must be new, empty or an earlier output of :func:`generate` whose
    ``client.yaml`` is unchanged; there the files of the same tables are replaced. Any
    other folder may hold a client's data, so :class:`~cxlib.errors.CxError` is raised
    (also when ``out_dir`` is a file) before anything is written.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if responses_per_day is not None and responses_per_day < 0:
        raise ValueError("responses_per_day must not be negative")
    fmts = _formats(formats)
    out = Path(out_dir)
    _check_replaceable(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    n_responses = round(responses_per_day * N_DAYS if responses_per_day is not None else 6_200 * scale)

    customers = _customers(rng[0], max(1, round(20_000 * scale)))
    contacts = _contacts(rng[1], customers, round(47_000 * scale))
    tables = {
        "feedback": lambda: _feedback(rng[2], customers, contacts, n_responses),
        "contacts": lambda: _contacts_table(contacts, customers),
        "journeys": lambda: _journeys(rng[3], customers, round(20_000 * scale), round(8_000 * scale)),
        "customers": lambda: _customers_table(customers),
        "reasons": _reasons_table,
        "initiatives": _initiatives_table,
        "maturity": lambda: _maturity_table(rng[4]),
    }
    paths = {"client": out / "client.yaml"}
    paths["client"].write_text(CLIENT_YAML, encoding="utf-8")
    for name, build in tables.items():  # build and write one table at a time
        paths[name] = _write(build(), name, fmts[name], out)
    return paths
