"""Labelled comments for measuring :mod:`cxlib.text.pii` in both directions.

:func:`variants` writes short customer comments in Swedish, Norwegian, Danish and English,
each embedding one item: personal data that must be scrubbed (e-mail addresses, phone
numbers, identity numbers, card numbers, in every format class the scrubber documents) or a
number that must survive (references, dates, times, amounts, postcodes, …).
:func:`outcomes` and :func:`evaluate` scrub the comments and score them.

Identity numbers are generated properly: Swedish personnummer and samordningsnummer with a
valid Luhn digit, Norwegian fødselsnummer, D- and H-numbers with valid mod-11 control digits,
Danish CPR numbers, and each of them also with a deliberately broken check digit. Phone
numbers follow the Swedish, Norwegian and Danish numbering plans; a Danish or Norwegian
number written as four digits, a dash and four digits never starts with 19 or 20, because
such a number reads as a year range or a year-prefixed reference, which the scrubber keeps
by rule. Swedish numbers without trunk 0 and without plus (``46 70 123 45 67``) are mobile
or Stockholm numbers: a longer area code grouped in threes reads as an amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from .pii import PLACEHOLDERS, fodselsnummer_check_digits, luhn_check_digit, scrub

LANGUAGES = ("sv", "nb", "da", "en")
KINDS = (*PLACEHOLDERS, "none")

# Comment frames per kind and language; "{}" is the item. No frame carries a digit or an "@",
# so whatever digit or "@" is left after scrubbing belongs to the item.
FRAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "phone": {
        "sv": ("Ring mig på {} efter lunch.", "Mitt nummer är {}", "{} är mitt nya nummer.", "Nås säkrast på {}!",
               "Kan ni ringa upp ({})?", "Tel: {}, helst kvällstid.", "Hej,\nring {} så löser vi det."),
        "nb": ("Ring meg på {} etter jobb.", "Nummeret mitt er {}", "{} er det nye nummeret mitt.",
               "Kan dere ringe meg opp ({})?", "Tlf.: {}, helst på kvelden."),
        "da": ("Ring til mig på {} i morgen.", "Mit nummer er {}", "{} er mit nye nummer.",
               "Kan I ringe mig op på {}?", "Tlf. {}, helst om aftenen."),
        "en": ("Call me on {} after work.", "My number is {}", "{} is my new number.", "Could you call me back ({})?",
               "Phone: {}; evenings are best."),
    },
    "id_number": {
        "sv": ("Mitt personnummer är {}.", "Pnr: {}", "{} är mitt personnummer.",
               "Jag har samordningsnummer {} om ni undrar.", "Mitt personnr ({}) stämmer inte i systemet!"),
        "nb": ("Fødselsnummeret mitt er {}.", "Fnr: {}", "{} er fødselsnummeret mitt.",
               "D-nummeret mitt er {}, ikke det andre."),
        "da": ("Mit CPR-nummer er {}.", "CPR: {}", "{} er mit personnummer.", "I har mit cpr ({}) forkert."),
        "en": ("My personal identity number is {}.", "ID number: {}", "{} is my personnummer.",
               "You have my ID ({}) wrong!"),
    },
    "card": {
        "sv": ("Kortet {} drogs två gånger.", "Jag betalade med kort {}", "{} är kortet som debiterades."),
        "nb": ("Kortet {} ble belastet to ganger.", "Jeg betalte med kort {}", "{} er kortet som ble trukket."),
        "da": ("Kortet {} blev trukket to gange.", "Jeg betalte med kort {}", "{} er kortet, der blev trukket."),
        "en": ("Card {} was charged twice.", "I paid with card {}", "{} is the card you charged."),
    },
    "email": {
        "sv": ("Maila mig på {}", "Min e-post: {}.", "{} är min adress.", "Svara gärna till {}, tack!"),
        "nb": ("Send e-post til {}", "E-posten min er {}.", "{} er adressen min."),
        "da": ("Skriv til mig på {}", "Min mail er {}.", "{} er min adresse."),
        "en": ("Email me at {}", "My email: {}.", "{} is my address.", "Please reply to {}, thanks!"),
    },
    "none": {
        "sv": ("Det gäller {}, tack.", "{} stämmer inte.", "Hej! Angående {}: ingen har hört av sig.", "Se ({}).",
               "Fel på {} igen!"),
        "nb": ("Det gjelder {}, takk.", "{} stemmer ikke.", "Hei! Angående {}: ingen har svart.",
               "Feil på {} igjen!"),
        "da": ("Det drejer sig om {}, tak.", "{} passer ikke.", "Hej! Angående {}: ingen har svaret.",
               "Fejl i {} igen!"),
        "en": ("This is about {}, thanks.", "{} is wrong.", "Hi! Regarding {}: nobody got back to me.", "See ({}).",
               "Wrong {} again!"),
    },
}
# A grouped phone number right after a reference word is still a phone number.
AFTER_REFERENCE = {"sv": "Fråga om min faktura {}", "nb": "Spørsmål om faktura {}", "da": "Spørgsmål om ordre {}",
                   "en": "Question about invoice {}"}
WRAPPERS = (("", ""), ("", ""), ("", ""), ("(", ")"), ('"', '"'), ("«", "»"), ("”", "”"))

SPACE_SEPARATORS = (" ", "\u00a0", "\u202f")
DASH_SEPARATORS = ("-", "\u2013", "\u2014", "\u2011", "\u2212", " - ", " \u2013 ")
GROUP_SEPARATORS = (" ", "-", "\u2013", "\u2014", ".", "\u00a0", "\u2011")
REFERENCE_WORDS = ("order", "ordernr", "Ordernummer", "ordrenummer", "ordre", "faktura", "fakturanr", "Fakturanummer",
                   "invoice no.", "ärende", "Ärendenummer", "sak", "saksnummer", "sagsnummer", "case #", "ref:",
                   "referens", "kundnummer", "kundenummer", "customer number", "avtalsnummer", "OCR", "KID",
                   "ticket", "mätarnummer", "målernummer", "anläggnings-id", "CVR", "org.nr")

Generator = Callable[[np.random.Generator], str]


def _digits(rng: np.random.Generator, count: int) -> str:
    """``count`` random decimal digits."""
    return "".join(map(str, rng.integers(0, 10, count)))


def _pick(rng: np.random.Generator, options):
    """One element of ``options``, uniformly."""
    return options[rng.integers(len(options))]


def _group(digits: str, sizes: tuple[int, ...], separator: str) -> str:
    """``digits`` cut into groups of ``sizes`` (summing to its length), joined by ``separator``."""
    ends = np.cumsum(sizes)
    return separator.join(digits[end - size:end] for size, end in zip(sizes, ends))


def _birthdate(rng: np.random.Generator, first: int = 1925, last: int = 2015) -> dt.date:
    start, stop = dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal()
    return dt.date.fromordinal(int(rng.integers(start, stop + 1)))


def _broken(rng: np.random.Generator, digit: int) -> int:
    """Another digit than ``digit``."""
    return (digit + int(rng.integers(1, 10))) % 10


# ---------------------------------------------------------------------------------------
# Identity numbers

def _personnummer(valid: bool, samordning: bool, century: bool) -> Generator:
    """Swedish (CC)YYMMDD-NNNC; samordningsnummer have day + 60."""
    def make(rng):
        born = _birthdate(rng)
        payload = f"{born:%y%m}{born.day + 60 * samordning:02d}{_digits(rng, 3)}"
        check = luhn_check_digit(payload)
        separator = _pick(rng, ("", "-", " ", "\u2013") if century else ("", "+", *DASH_SEPARATORS, *SPACE_SEPARATORS))
        return (f"{born.year // 100}" if century else "") + payload[:6] + separator + payload[6:] + str(
            check if valid else _broken(rng, check))
    return make


def _fodselsnummer(valid: bool, variant: str) -> Generator:
    """Norwegian DDMMYYIIIKK; D-numbers have day + 40, H-numbers month + 40."""
    def make(rng):
        while True:
            born = _birthdate(rng)
            individual = int(rng.integers(0, 500)) + (500 if born.year >= 2000 else 0)
            day, month = born.day + 40 * (variant == "D"), born.month + 40 * (variant == "H")
            nine = f"{day:02d}{month:02d}{born:%y}{individual:03d}"
            control = fodselsnummer_check_digits(nine)
            if control is not None:
                break
        if not valid:
            control = control[0] + str(_broken(rng, int(control[1])))
        return nine[:6] + _pick(rng, ("", "", " ", "-", "\u2013", "\u00a0")) + nine[6:] + control
    return make


def _cpr(rng: np.random.Generator) -> str:
    """Danish DDMMYY-SSSS (no check digit since 2007)."""
    born = _birthdate(rng)
    return f"{born:%d%m%y}" + _pick(rng, ("-", "-", "", " ", "\u2013", "\u2011")) + _digits(rng, 4)


# ---------------------------------------------------------------------------------------
# Phone numbers

# Swedish national numbers with trunk 0: (area code, subscriber digits, grouping of all digits).
SWEDISH_NUMBERS = (("070", 7, (3, 3, 2, 2)), ("072", 7, (3, 3, 2, 2)), ("073", 7, (3, 7)), ("076", 7, (10,)),
                   ("079", 7, (3, 3, 2, 2)), ("08", 7, (2, 3, 2, 2)), ("08", 8, (2, 3, 3, 2)), ("08", 8, (2, 8)),
                   ("031", 6, (3, 2, 2, 2)), ("040", 7, (3, 3, 2, 2)), ("018", 6, (3, 3, 3)), ("0771", 6, (4, 3, 3)),
                   ("0980", 5, (4, 3, 2)), ("0520", 6, (4, 2, 2, 2)))


def _swedish_national(rng: np.random.Generator, mobile_or_stockholm: bool = False) -> tuple[str, tuple[int, ...]]:
    options = [n for n in SWEDISH_NUMBERS if len(n[0]) <= 3 and n[0][:2] in ("07", "08")] if mobile_or_stockholm \
        else SWEDISH_NUMBERS
    area, subscriber, sizes = _pick(rng, options)
    return area + str(rng.integers(1, 10)) + _digits(rng, subscriber - 1), sizes


def _swedish_phone(form: str) -> Generator:
    """Swedish numbers: national (trunk 0), +46/0046 (optionally with "(0)") and bare 46."""
    def make(rng):
        digits, sizes = _swedish_national(rng, mobile_or_stockholm=form == "bare")
        separator = _pick(rng, GROUP_SEPARATORS)
        if form == "national":
            if len(sizes) > 1 and rng.random() < 0.3:  # area code set apart: 070-123 45 67, (08) 123 456 78
                area = len(digits) - sum(sizes[1:])
                head = f"({digits[:area]})" if rng.random() < 0.3 else digits[:area] + _pick(rng, DASH_SEPARATORS)
                return head + _group(digits[area:], sizes[1:], _pick(rng, SPACE_SEPARATORS))
            return _group(digits, sizes, separator)
        national = _group(digits[1:], (sizes[0] - 1, *sizes[1:]), separator)  # without the trunk 0
        if form == "bare" and rng.random() < 0.3:
            return "46" + digits[1:]
        prefix = {"plus": "+46", "zeros": "0046", "bare": "46"}[form]
        if form == "plus" and rng.random() < 0.2:
            return f"{prefix} (0){national}"
        return prefix + _pick(rng, (" ", "", "-", ".")) + national
    return make


# Danish and Norwegian eight-digit numbers: first digits and the groupings people write.
EIGHT_DIGIT = {"dk": ("23456789", ((2, 2, 2, 2), (4, 4), (8,))),
               "no": ("49235", ((3, 2, 3), (2, 2, 2, 2), (8,)))}


def _eight_digit_phone(country: str, form: str) -> Generator:
    """Danish or Norwegian numbers, national or with +45/+47, 0045/0047 or bare 45/47."""
    first_digits, groupings = EIGHT_DIGIT[country]

    def make(rng):
        while True:
            digits = _pick(rng, first_digits) + _digits(rng, 7)
            sizes = _pick(rng, groupings)
            separator = _pick(rng, GROUP_SEPARATORS)
            if not (sizes == (4, 4) and separator.strip(" \u00a0") and digits[:2] in ("19", "20")):
                break  # 2019-2024 is a year range (see the module docstring)
        national = _group(digits, sizes, separator)
        if form == "national":
            return national
        code = {"dk": "45", "no": "47"}[country]
        prefix = {"plus": "+", "zeros": "00", "bare": ""}[form] + code
        return prefix + _pick(rng, (" ", " ", "", "-", ".")) + national
    return make


OTHER_INTERNATIONAL = (("+44 20 ", (4, 4)), ("+358 40 ", (3, 4)), ("+1 (555) ", (3, 4)), ("+49 30 ", (8,)),
                       ("+354 ", (3, 4)), ("+33 6 ", (2, 2, 2, 2)))


def _other_international(rng: np.random.Generator) -> str:
    prefix, sizes = _pick(rng, OTHER_INTERNATIONAL)
    return prefix + _group(str(rng.integers(1, 10)) + _digits(rng, sum(sizes) - 1), sizes, _pick(rng, (" ", "-")))


# ---------------------------------------------------------------------------------------
# Cards and e-mail

CARDS = (("4", 16, (4, 4, 4, 4)), ("51", 16, (4, 4, 4, 4)), ("55", 16, (4, 4, 4, 4)), ("2221", 16, (4, 4, 4, 4)),
         ("34", 15, (4, 6, 5)), ("37", 15, (4, 6, 5)), ("36", 14, (4, 6, 4)))


def _card(valid: bool, grouped: bool) -> Generator:
    """Visa, Mastercard (16 digits), Amex (15) and Diners (14); unspaced broken ones are Visa/Mastercard."""
    def make(rng):
        prefix, length, sizes = _pick(rng, CARDS if grouped else CARDS[:4])
        payload = prefix + _digits(rng, length - len(prefix) - 1)
        check = luhn_check_digit(payload)
        number = payload + str(check if valid else _broken(rng, check))
        return _group(number, sizes, _pick(rng, (" ", " ", "-", "\u2013", "\u00a0"))) if grouped else number
    return make


FIRST_NAMES = ("anna", "erik", "maria", "lars", "karin", "ole", "kari", "mette", "søren", "åsa", "jörg", "fatima")
LAST_NAMES = ("andersson", "berg", "hansen", "nielsen", "johansen", "öberg", "lindqvist", "haugen", "ali")
MAIL_DOMAINS = ("gmail.com", "hotmail.com", "telia.com", "online.no", "mail.firma.no", "student.lu.se", "exempel.dk",
                "firma.co.uk", "live.se", "outlook.dk")


def _email(rng: np.random.Generator) -> str:
    local = _pick(rng, FIRST_NAMES) + _pick(rng, (".", "_", "-", "")) + _pick(rng, LAST_NAMES)
    if rng.random() < 0.4:
        local += _digits(rng, int(rng.integers(1, 5)))
    if rng.random() < 0.15:
        local += "+cx"
    address = f"{local}@{_pick(rng, MAIL_DOMAINS)}"
    return address.title() if rng.random() < 0.15 else address


# ---------------------------------------------------------------------------------------
# Numbers that are not personal data

def _thousands(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


def _amount(rng: np.random.Generator) -> str:
    value = int(10 ** rng.uniform(3, 12))
    decimals = _pick(rng, ("", "", ",50", ",00", ":-"))
    number = _thousands(value, _pick(rng, (" ", "\u00a0", ".", "\u202f"))) + decimals
    return _pick(rng, ("{} kr", "{} SEK", "{} NOK", "DKK {}", "{} €", "kr {}", "{}")).format(number)


def _quantity(rng: np.random.Generator) -> str:
    unit = _pick(rng, (" kWh", " kWh/år", " mil", " km", " m³"))
    return _thousands(int(10 ** rng.uniform(3, 7)), _pick(rng, (" ", "\u00a0"))) + unit


def _date(rng: np.random.Generator) -> str:
    day = _birthdate(rng, 1990, 2030)
    pattern = _pick(rng, ("%Y-%m-%d", "%d.%m.%Y", "{d}.{m}.%Y", "%d-%m-%Y", "%d %m %Y", "%Y.%m.%d", "%Y %m %d",
                          "%d/%m/%Y", "{d}/{m}", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H.%M",
                          "%Y-%m-%dT%H:%M"))
    moment = dt.datetime.combine(day, dt.time(int(rng.integers(0, 24)), int(rng.integers(0, 60))))
    return moment.strftime(pattern.format(d=day.day, m=day.month))


def _date_range(rng: np.random.Generator) -> str:
    first = _birthdate(rng, 2000, 2030)
    last = first + dt.timedelta(days=int(rng.integers(1, 60)))
    pattern = _pick(rng, ("%Y-%m-%d", "%d.%m.%Y"))
    return f"{first:{pattern}}{_pick(rng, DASH_SEPARATORS)}{last:{pattern}}"


def _time_range(rng: np.random.Generator) -> str:
    start = int(rng.integers(6, 12))
    mark = _pick(rng, (".", ":"))
    end = start + int(rng.integers(4, 10))
    return f"{start:02d}{mark}{_pick(rng, ('00', '15', '30'))}{_pick(rng, DASH_SEPARATORS)}{end:02d}{mark}00"


def _years(rng: np.random.Generator) -> str:
    first = int(rng.integers(1990, 2030))
    span = f"{first}{_pick(rng, DASH_SEPARATORS)}{first + int(rng.integers(1, 8))}"
    return _pick(rng, (str(first), f"år {first}", span))


def _year_reference(rng: np.random.Generator) -> str:
    """Case, order and invoice numbers that start with a year: 2024-55123, Dnr 2024-5512."""
    number = f"{rng.integers(2015, 2031)}-{_digits(rng, int(rng.integers(3, 8)))}"
    return _pick(rng, ("Order {}", "faktura {}", "ärende {}", "Dnr {}", "Saksnummer {}", "{}")).format(number)


def _plain_reference(rng: np.random.Generator) -> str:
    """A reference word and a plain run of 5–10 digits (order, customer and case numbers)."""
    return f"{_pick(rng, REFERENCE_WORDS)} {str(rng.integers(1, 10)) + _digits(rng, int(rng.integers(4, 10)))}"


def _letter_reference(rng: np.random.Generator) -> str:
    return _pick(rng, ("NE", "SE", "AB", "ORD", "INV-")) + _digits(rng, int(rng.integers(6, 10)))


def _postcode(rng: np.random.Generator) -> str:
    return _pick(rng, (f"{rng.integers(100, 990)} {_digits(rng, 2)} Stockholm", f"0{rng.integers(100, 999)} Oslo",
                       f"{rng.integers(1000, 9990)} København Ø", f"SE-{rng.integers(100, 990)} {_digits(rng, 2)}"))


def _organisation_number(rng: np.random.Generator) -> str:
    """Swedish organisationsnummer (third digit 2 or more), Norwegian org. nr, Danish CVR."""
    swedish = f"{_pick(rng, '25789')}{rng.integers(0, 10)}{rng.integers(2, 10)}{_digits(rng, 3)}-{_digits(rng, 4)}"
    norwegian = _group(str(rng.integers(8, 10)) + _digits(rng, 8), (3, 3, 3), " ")
    danish = str(rng.integers(1, 10)) + _digits(rng, 7)
    return _pick(rng, (swedish, f"org.nr {swedish}", f"org.nr {norwegian}", f"CVR {danish}"))


def _small_number(rng: np.random.Generator) -> str:
    value = f"{rng.integers(1, 100)},{rng.integers(0, 10)}"
    return _pick(rng, (f"{value} %", f"{rng.integers(1, 100)} %", f"{value}%",
                       f"kl {rng.integers(6, 23)}.{_pick(rng, ('00', '30'))}",
                       f"{rng.integers(0, 24):02d}:{rng.integers(0, 60):02d}",
                       f"{_digits(rng, int(rng.integers(1, 8)))} st",
                       f"v{rng.integers(1, 10)}.{rng.integers(0, 20)}.{rng.integers(0, 10)}",
                       f"192.168.{rng.integers(0, 256)}.{rng.integers(1, 255)}",
                       f"{rng.integers(10, 1000)}/{rng.integers(10, 1000)} Mbit", f"vecka {rng.integers(1, 53)}"))


def _bankgiro(rng: np.random.Generator) -> str:
    """Bankgiro numbers (company payment accounts): NNN-NNNN or NNNN-NNNN."""
    return f"bankgiro {rng.integers(100, 10000)}-{_digits(rng, 4)}"


# ---------------------------------------------------------------------------------------

# (format, kind, languages, generator): variants() cycles through these in order.
FORMATS: tuple[tuple[str, str, tuple[str, ...], Generator], ...] = (
    ("email", "email", LANGUAGES, _email),
    *((f"{name}-{'valid' if valid else 'broken'}", "id_number", ("sv", "en"), _personnummer(valid, samordning, century))
      for name, samordning, century in (("personnummer-10", False, False), ("personnummer-12", False, True),
                                        ("samordningsnummer-10", True, False), ("samordningsnummer-12", True, True))
      for valid in (True, False)),
    *((f"{name}-{'valid' if valid else 'broken'}", "id_number", ("nb", "en"), _fodselsnummer(valid, variant))
      for name, variant in (("fodselsnummer", "F"), ("d-number", "D"), ("h-number", "H")) for valid in (True, False)),
    ("cpr", "id_number", ("da", "en"), _cpr),
    *((f"phone-se-{form}", "phone", ("sv", "en"), _swedish_phone(form))
      for form in ("national", "plus", "zeros", "bare")),
    *((f"phone-{country}-{form}", "phone", (language, "en"), _eight_digit_phone(country, form))
      for country, language in (("dk", "da"), ("no", "nb")) for form in ("national", "plus", "zeros", "bare")),
    ("phone-other-international", "phone", LANGUAGES, _other_international),
    *((f"card-{'grouped' if grouped else 'unspaced'}-{'valid' if valid else 'broken'}", "card", LANGUAGES,
       _card(valid, grouped)) for grouped in (True, False) for valid in (True, False)),
    ("amount", "none", LANGUAGES, _amount),
    ("quantity", "none", LANGUAGES, _quantity),
    ("date", "none", LANGUAGES, _date),
    ("date-range", "none", LANGUAGES, _date_range),
    ("time-range", "none", LANGUAGES, _time_range),
    ("year", "none", LANGUAGES, _years),
    ("year-reference", "none", LANGUAGES, _year_reference),
    ("plain-reference", "none", LANGUAGES, _plain_reference),
    ("letter-reference", "none", LANGUAGES, _letter_reference),
    ("postcode", "none", LANGUAGES, _postcode),
    ("organisation-number", "none", LANGUAGES, _organisation_number),
    ("small-number", "none", LANGUAGES, _small_number),
    ("bankgiro", "none", ("sv",), _bankgiro),
)


def variants(seed: int = 0, n: int = 5000) -> pd.DataFrame:
    """Labelled comments, each embedding one item that must or must not be scrubbed.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed and ``n`` give the same cases.
    n : int
        Number of comments. The formats of :data:`FORMATS` are taken in turn, so every
        format occurs once ``n`` is at least their number, and all about equally often.

    Returns
    -------
    pandas.DataFrame
        One row per comment with columns ``text`` (the comment), ``item`` (the exact
        substring of ``text`` that is judged), ``kind`` (``email``, ``phone``,
        ``id_number``, ``card``, or ``none`` for numbers that are not personal data),
        ``format`` (the format class, e.g. ``personnummer-10-broken``) and ``language``.
        The item stands at the start, middle or end of the comment, sometimes in brackets
        or quotes and next to punctuation; the rest of the comment has no digit and no "@".
    """
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        name, kind, languages, make = FORMATS[i % len(FORMATS)]
        language = _pick(rng, languages)
        item = make(rng)
        frames = FRAMES[kind][language]
        if kind == "phone" and any(not c.isdigit() for c in item.lstrip("+")):
            frames = (*frames, AFTER_REFERENCE[language])
        before, after = _pick(rng, WRAPPERS)
        rows.append((_pick(rng, frames).format(before + item + after), item, kind, name, language))
    return pd.DataFrame(rows, columns=["text", "item", "kind", "format", "language"])


def outcomes(cases: pd.DataFrame) -> pd.Series:
    """Whether :func:`cxlib.text.pii.scrub` handles each case right.

    Parameters
    ----------
    cases : pandas.DataFrame
        Columns ``text`` and ``kind`` as from :func:`variants`; the text around the item
        carries no digit and no "@".

    Returns
    -------
    pandas.Series of bool
        Same index as ``cases``. For personal data (kind other than ``none``): True when the
        item is caught, i.e. the scrubbed comment contains no digit and no "@" at all, so
        that no run of the item's digits (not even one group of a phone number) and nothing
        of an e-mail address's "@" survives. For ``none``: True when the scrubbed comment
        equals the comment.
    """
    scrubbed = pd.Series(scrub(cases["text"]).to_pylist(), index=cases.index, dtype=object)
    caught = ~scrubbed.str.contains(r"[0-9@]")
    unchanged = scrubbed == cases["text"]
    return caught.where(cases["kind"] != "none", unchanged)


def evaluate(cases: pd.DataFrame) -> dict:
    """Recall on personal data and false-positive rate on other numbers.

    Parameters
    ----------
    cases : pandas.DataFrame
        Labelled comments as from :func:`variants` (columns ``text`` and ``kind``).

    Returns
    -------
    dict
        ``recall``: per kind of personal data (``email``, ``phone``, ``id_number``,
        ``card``), the share 0–1 of items caught as defined in :func:`outcomes` (NaN
        when the kind is absent); ``false_positive_rate``: the share 0–1 of ``none`` items
        whose comment was changed; ``n``: number of cases per kind, ``none`` included;
        ``by_format``: per format that is not handled right every time, the share 0–1 of
        its cases that is (recall or 1 − false-positive rate), worst first.
    """
    ok = outcomes(cases)
    by_kind = ok.groupby(cases["kind"])
    recall = {kind: float(by_kind.get_group(kind).mean()) if kind in by_kind.groups else float("nan")
              for kind in PLACEHOLDERS}
    kept = ok[cases["kind"] == "none"]
    return {"recall": recall, "false_positive_rate": float(1 - kept.mean()) if len(kept) else float("nan"),
            "n": {kind: int((cases["kind"] == kind).sum()) for kind in KINDS},
            "by_format": {name: float(share) for name, share in ok.groupby(cases["format"]).mean().sort_values().items()
                          if share < 1}}
