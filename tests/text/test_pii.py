"""cxlib.text.pii: personal data out, everything else untouched.

Every check digit below is worked out by hand in the comments.

Luhn (personnummer, cards): from the right, every second digit is doubled and the digits
of the products are summed; the number is valid when the total is a multiple of 10.
Personnummer use the last ten digits YYMMDDNNNC.

Norwegian mod 11: K1 = 11 - (sum of digits 1-9 × 3 7 6 1 8 9 4 5 2) mod 11 and
K2 = 11 - (sum of digits 1-10 × 5 4 3 2 7 6 5 4 3 2) mod 11; 11 gives 0, 10 is impossible.

Property-based tests (hypothesis) are derandomized and use no example database, so every
run draws the same examples.
"""

import datetime as dt
import time

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.text.pii import (PLACEHOLDERS, fodselsnummer_check_digits, luhn_check_digit, pii_counts, scrub,
                            scrub_with_counts)
from cxlib.text.pii_cases import FORMATS, evaluate, outcomes, variants


def one(text):
    return scrub([text]).to_pylist()[0]


def test_placeholders():
    assert PLACEHOLDERS == {"email": "[email]", "phone": "[phone]", "id_number": "[id-number]", "card": "[card]"}


# ---------------------------------------------------------------------------------------
# Check digits

def test_luhn_check_digit():
    # 811218987: 7·2=14→5, 8, 9·2=18→9, 8, 1·2=2, 2, 1·2=2, 1, 8·2=16→7 → 44, check (10 - 4) = 6.
    assert luhn_check_digit("811218987") == 6
    # 811278987 (samordningsnummer): 5, 8, 9, 8, 7·2=14→5, 2, 2, 1, 7 → 47, check 3.
    assert luhn_check_digit("811278987") == 3
    assert luhn_check_digit("411111111111111") == 1  # 8+14+7 = 29 (4 and seven 1s doubled, seven 1s plain)


def test_fodselsnummer_check_digits():
    assert fodselsnummer_check_digits("010190124") == "80"  # worked out at VALID_IDS
    assert fodselsnummer_check_digits("150785432") == "96"
    # 010190007: 0+7+0+1+72+0+0+0+14 = 94, mod 11 = 6, K1 = 5;
    # 0+4+0+2+63+0+0+0+21+10 = 100, mod 11 = 1, K2 = 10: no such number.
    assert fodselsnummer_check_digits("010190007") is None


# ---------------------------------------------------------------------------------------
# Identity numbers

# 811218-9876: 8·2=16→7, 1, 1·2=2, 2, 1·2=2, 8, 9·2=18→9, 8, 7·2=14→5 → 44, check (10 - 4) = 6.
# 811278-9873 (samordningsnummer, day 18 + 60 = 78): 7, 1, 2, 2, 7·2=14→5, 8, 9, 8, 5 → 47, check 3.
# 150785-1235 (Danish CPR, 15 July 1985): as a personnummer, 2+5+0+7+7+5+2+2+6+5 = 41, not valid Luhn.
VALID_IDS = [
    "811218-9876", "19811218-9876", "8112189876", "198112189876", "811218+9876",
    "811278-9873", "19811278-9873",
    # 010190 124 (1 Jan 1990): 0+7+0+1+72+0+4+10+8 = 102, 102 mod 11 = 3, K1 = 8;
    # 0+4+0+2+63+0+5+8+12+16 = 110, 110 mod 11 = 0, K2 = 11 → 0.
    "01019012480", "010190 12480",
    # 150785 432 (15 July 1985): 3+35+0+7+64+45+16+15+4 = 189, mod 11 = 2, K1 = 9;
    # 5+20+0+14+56+30+20+12+6+18 = 181, mod 11 = 5, K2 = 6.
    "15078543296",
    # D-number, day 15 + 40 = 55, individual 433: 15+35+0+7+64+45+16+15+6 = 203, mod 11 = 5, K1 = 6;
    # 25+20+0+14+56+30+20+12+9+12 = 198, mod 11 = 0, K2 = 0.
    "55078543360",
    # H-number, month 01 + 40 = 41, individual 124: 0+7+24+1+72+0+4+10+8 = 126, mod 11 = 5, K1 = 6;
    # 0+4+12+2+63+0+5+8+12+12 = 118, mod 11 = 8, K2 = 3.
    "01419012463",
    "150785-1235",
    # The same with other separators: space, en dash, em dash, minus sign, no-break space, spaced dash.
    "811218 9876", "811218–9876", "811218—9876", "811218−9876", "811218\u00a09876", "811218 – 9876",
    "19811218 9876", "010190–12480",
]
# Mistyped numbers are still personal data: a plausible date and the right shape are enough.
BROKEN_IDS = [
    "811218-9877", "19811218-9877", "8112189877", "198112189877", "811278-9874",  # Luhn fails
    # Luhn fails (850101123: 3·2=6, 2, 1·2=2, 1, 0, 1, 0, 5, 8·2=16→7 → 24, check 6)
    "850101 1237", "850101–1237",
    "01019012481", "01019012490", "15078543297", "55078543361",  # a control digit wrong
    "1507851235", "150785 1235", "310285-1234",  # CPR without dash; 31 February is still plausible
]
IMPLAUSIBLE_IDS = [
    "811318-9875", "813218-9872",  # Luhn holds (7+1+2+3+2+8+9+8+5+5, 7+1+6+2+2+8+9+8+5+2 = 50): month 13, day 32
    "321390-1234", "1234567890", "5555555555",  # no day/month 32/13, 34, 55 in either reading
    "81121898765",  # eleven digits: day 81 and month 12 is no fødselsnummer, nor a phone number
]


@pytest.mark.parametrize("number", VALID_IDS + BROKEN_IDS)
def test_identity_numbers_are_replaced(number):
    assert one(f"Mitt nummer är {number}, tack.") == "Mitt nummer är [id-number], tack."


@pytest.mark.parametrize("number", IMPLAUSIBLE_IDS)
def test_numbers_without_a_plausible_date_survive(number):
    text = f"Mitt nummer är {number}, tack."
    assert one(text) == text


def test_check_digits_decide_between_identity_number_and_phone():
    # 0701234567 read as a personnummer (2007-01-23): 6·2=12→3, 5, 4·2=8, 3, 2·2=4, 1, 0, 7, 0 → 31,
    # check 9, not 7: a phone number. 0701234569 has the check digit 9: an identity number.
    assert pii_counts(["0701234567"]) == {"email": 0, "phone": 1, "id_number": 0, "card": 0}
    assert pii_counts(["0701234569"]) == {"email": 0, "phone": 0, "id_number": 1, "card": 0}
    # Written like a personnummer, a failing number is still labelled an identity number.
    assert one("070123-4567") == "[id-number]"


# ---------------------------------------------------------------------------------------
# Cards

@pytest.mark.parametrize("number", [
    "4111 1111 1111 1111", "4111111111111111", "5555-5555-5555-4444", "3782 822463 10005", "4111–1111–1111–1111",
    "4111 1111 1111 1112",  # Luhn fails (8+14+7+2 = 31), but 4-4-4-4 is a card whatever its check digit
    "4111111111111112", "2221000000000001",  # Visa and Mastercard shapes, Luhn fails (2221 0…0: 4+2+4+1, check 9)
    "6011000990139424",  # Discover, unspaced: Luhn holds
])
def test_card_numbers_are_replaced(number):
    assert one(f"Kort {number} 50 kr") == "Kort [card] 50 kr"


def test_long_unspaced_number_failing_luhn_survives():
    # 6011000990139425: the Luhn digit of 601100099013942 is 4; not a Visa/Mastercard shape.
    assert one("Kort 6011000990139425") == "Kort 6011000990139425"


# ---------------------------------------------------------------------------------------
# Phone numbers

PHONES = [
    "070-123 45 67", "0701234567", "070 123 45 67", "08-123 456 78", "08-12345678", "031-12 34 56",
    "08 - 123 456 78", "(08) 123 456 78", "+46 70 123 45 67", "+46 (0)70-1234567", "0046 70 123 45 67",
    "+47 912 34 567", "+47 91234567", "0047 912 34 567", "912 34 567", "91234567", "22 12 34 56",
    "41 23 45 67", "+45 12 34 56 78", "+44 20 7946 0958", "+1 (555) 123-4567", "+358 40 123 4567",
    # Dashes other than the hyphen, other spaces, dots
    "070–123 45 67", "070—123 45 67", "070 – 123 45 67", "070\u2011123\u00a045\u00a067", "070.123.45.67",
    "+46.70.123.45.67", "08.12.34.56",
    # Country code without plus
    "46 70 123 45 67", "46701234567", "47 912 34 567", "4791234567", "45 12 34 56 78", "4512345678",
    "46 (0)70 123 45 67",
    # Danish eight-digit numbers
    "12 34 56 78", "1234 5678", "12345678", "+45 1234 5678", "+4512345678", "0045 12 34 56 78", "21234567",
    "12-34-56-78", "12.34.56.78",
]


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_are_replaced(number):
    assert one(f"Ring {number} efter kl 17.") == "Ring [phone] efter kl 17."


def test_phone_next_to_other_numbers():
    assert one("kl 08.15 0701234567") == "kl 08.15 [phone]"
    assert one("01.03.2025 0701234567") == "01.03.2025 [phone]"
    assert one("Ring 12 34 56 78 2 gånger") == "Ring [phone] 2 gånger"
    assert one("(070-123 45 67)") == "([phone])"
    assert one("tel:0701234567, fax:08-123 45 67.") == "tel:[phone], fax:[phone]."


# ---------------------------------------------------------------------------------------
# E-mail

@pytest.mark.parametrize("address", ["anna.berg@gmail.com", "per_olsen+cx@mail.firma.no", "Åsa.Öberg@exempel.se",
                                     "kari.hansen92@online.no", "SØREN-N@Firma.DK"])
def test_email_addresses_are_replaced(address):
    assert one(f"Maila {address}.") == "Maila [email]."


# ---------------------------------------------------------------------------------------
# What must survive

SURVIVORS = [
    "NE1234567", "INV-02480689", "order 4411820", "ordrenummer 12345678", "ordernr 98765432", "Ordernr: 98765432",
    "order no. 91234567", "kundenummer 91234567", "fakturanummer 412345678", "412345678", "ärende 1234567",
    "ärende 2025-118233", "2025-118233", "Ärendenummer 0701234567", "ref: 91234567", "Order 2024-55123",
    "faktura 2024-55123", "Dnr 2024-5512", "CVR 12345678", "case #12345678", "OCR 4111111111111111",
    "anläggnings-id 735999123456789012", "bankgiro 5050-1055", "org.nr 556677-8899", "556677-8899",
    "ärende 8112189877", "kundnummer 0701234567",  # plain digits after a reference word, checks fail
    "2025-03-14", "2025-03-01 14:05", "14.03.2025", "01.03.2025", "1.3.2025", "14/3", "05-03-2025 12:30", "14 03 2025",
    "2025 03 14", "2025.03.14", "01.03.2025 14:05", "01.03.2025 kl. 14.05", "2025-03-01–2025-03-15", "(01.04.2008)",
    "01.03.2025–15.03.2025", "kl 17.30", "08:15", "08.00–16.00", "kl. 08.00-16.00", "(08.30–12.00)",
    "14:05-15:30",
    "1 234,50 kr", "12 345 kr", "kr 499", "1 234 567 kr", "12 345 678 kr", "1 000 000 kr", "1.234,50", "12.345.678,50",
    "1\u00a0234\u00a0567 kr", "45 678 kWh", "2024", "år 2025", "2024–2025", "2024 – 2025", "2019-2025",
    "50 %", "12,5%", "114 55 Stockholm", "0150 Oslo", "2100 København Ø", "mätarställning 45123",
    "mätarställning 4512345", "192.168.81.153", "v2.3.1", "org.nr 923 456 789",
]


@pytest.mark.parametrize("text", SURVIVORS)
def test_references_dates_amounts_survive(text):
    assert one(text) == text


def test_reference_words_protect_only_plain_digit_runs():
    assert one("Fråga om min faktura 070-123 45 67") == "Fråga om min faktura [phone]"
    assert one("sak 22 12 34 56, ref +46 70 123 45 67") == "sak [phone], ref [phone]"
    assert one("ordernr 9876 5432") == "ordernr [phone]"
    assert one("Ring 0701234567 om ordern") == "Ring [phone] om ordern"
    assert one("kundnummer 8112189876") == "kundnummer [id-number]"  # checks hold: an identity number


MIXED = [
    ("Hej! Ring mig på 070-123 45 67 eller maila anna.berg@gmail.com. Ordernummer 12345678, "
     "faktura 412345678 på 1 234,50 kr. Mitt pnr är 811218-9876.",
     "Hej! Ring mig på [phone] eller maila [email]. Ordernummer 12345678, "
     "faktura 412345678 på 1 234,50 kr. Mitt pnr är [id-number]."),
    ("Hei, ring meg på +47 912 34 567 eller 22 12 34 56. Fødselsnummer: 15078543296. "
     "Saksnummer 2025-118233, kl 08:15 den 14.03.2025.",
     "Hei, ring meg på [phone] eller [phone]. Fødselsnummer: [id-number]. "
     "Saksnummer 2025-118233, kl 08:15 den 14.03.2025."),
    ("Card 4111 1111 1111 1111 was charged twice (12 345 kr) on 2025-03-14; call +44 20 7946 0958 "
     "or email john.smith+cx@mail.example.co.uk. Order NE1234567.",
     "Card [card] was charged twice (12 345 kr) on 2025-03-14; call [phone] "
     "or email [email]. Order NE1234567."),
    ("Mit CPR-nummer er 150785-1235, ring 12 34 56 78.", "Mit CPR-nummer er [id-number], ring [phone]."),
]


def test_mixed_comments_and_counts():
    texts = [text for text, _ in MIXED]
    assert scrub(texts).to_pylist() == [expected for _, expected in MIXED]
    assert pii_counts(texts) == {"email": 2, "phone": 5, "id_number": 3, "card": 1}


# ---------------------------------------------------------------------------------------
# Property-based: random numbers of each format inside random surrounding text

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=300)
# Words around the item; none is a reference word and none carries a digit or "@".
FILLER = ("hej", "tack", "ring", "mig", "på", "gäller", "snälla", "Hei", "takk", "Tak", "please", "call", "me",
          "😠", "—", "…", "!", "?", ",", ".", "Åsa", "öppet", "Ærø", "\n", "<b>", "&amp;")
words = st.lists(st.sampled_from(FILLER), max_size=6).map(" ".join)
# An item joined to a letter ("tack0701234567") is part of a word and kept by design: a boundary is always there.
before = st.one_of(st.just(""), st.tuples(words, st.sampled_from((" ", "(", ": ", "\n", " «", ' "'))).map("".join))
after = st.one_of(st.just(""),
                  st.tuples(st.sampled_from((" ", ".", ",", ")", "!", "?", "\n", "»", ";")), words).map("".join))
SEPARATORS = ("", "-", "+", "–", "—", "−", "\u2011", " ", "\u00a0", " - ", " – ")
GROUP_SEPARATORS = (" ", "-", "–", "—", ".", "\u00a0", "\u2011", " - ")
birthdays = st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31))


def _personnummer(born, serial, check, samordning, century, separator):
    day = born.day + 60 * samordning
    return (f"{born.year // 100}" if century else "") + f"{born:%y%m}{day:02d}{separator}{serial:03d}{check}"


def _fodselsnummer(born, individual, control, variant, separator):
    day, month = born.day + 40 * (variant == "D"), born.month + 40 * (variant == "H")
    return f"{day:02d}{month:02d}{born:%y}{separator}{individual:03d}{control:02d}"


def _cpr(born, serial, separator):
    return f"{born:%d%m%y}{separator}{serial:04d}"


identity_numbers = st.one_of(
    st.builds(_personnummer, birthdays, st.integers(0, 999), st.integers(0, 9), st.booleans(), st.booleans(),
              st.sampled_from(SEPARATORS)),
    st.builds(_fodselsnummer, birthdays, st.integers(0, 999), st.integers(0, 99), st.sampled_from("FDH"),
              st.sampled_from(("", " ", "-", "–", "\u00a0"))),
    st.builds(_cpr, birthdays, st.integers(0, 9999), st.sampled_from(SEPARATORS)),
)


def _grouped(digits, sizes, separator):
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start:start + size])
        start += size
    return separator.join(parts)


@st.composite
def swedish_phones(draw):
    """0 + area code (1–3 digits) + subscriber (5–8 digits), 8–10 digits in all, in the groupings people write."""
    area = draw(st.sampled_from(("70", "72", "73", "76", "79", "8", "31", "40", "18", "90", "771", "980", "520")))
    subscriber = draw(st.text("0123456789", min_size=5, max_size=8).filter(lambda s: 7 <= len(area) + len(s) <= 9))
    sizes = {5: (3, 2), 6: (2, 2, 2), 7: (3, 2, 2), 8: (3, 3, 2)}[len(subscriber)]
    grouped = draw(st.booleans())
    national = _grouped(subscriber, sizes, draw(st.sampled_from(GROUP_SEPARATORS))) if grouped else subscriber
    gap = draw(st.sampled_from(("-", " ", "–", " - ", ".", "")))
    form = draw(st.sampled_from(("national", "paren", "plus", "zeros", "plus-zero") + ("bare",) * (len(area) <= 2)))
    return {"national": f"0{area}{gap}{national}", "paren": f"(0{area}) {national}",
            "plus": f"+46 {area}{gap}{national}", "zeros": f"0046{gap}{area}{gap}{national}",
            "plus-zero": f"+46 (0){area}{gap}{national}", "bare": f"46 {area}{gap}{national}"}[form]


@st.composite
def eight_digit_phones(draw):
    """Danish and Norwegian numbers, national or with a country code (with or without + or 00)."""
    digits = draw(st.sampled_from("23456789")) + draw(st.text("0123456789", min_size=7, max_size=7))
    sizes = draw(st.sampled_from(((2, 2, 2, 2), (4, 4), (3, 2, 3), (8,))))
    separator = draw(st.sampled_from(GROUP_SEPARATORS))
    # Four digits, a dash and four digits starting with 19 or 20 read as a year range: kept by rule.
    if sizes == (4, 4) and separator.strip() and digits[:2] in ("19", "20"):
        separator = " "
    prefix = draw(st.sampled_from(("", "+45 ", "+47", "0045 ", "0047-", "45 ", "47", "+45.")))
    return prefix + _grouped(digits, sizes, separator)


emails = st.builds(
    "{}{}{}@{}.{}".format,
    st.text("abcdefghijklmnopqrstuvwxyzåäöøæ", min_size=1, max_size=8),
    st.sampled_from((".", "_", "-", "", "+")),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", max_size=6),
    st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=10).filter(lambda s: s.strip("-") == s),
    st.sampled_from(("se", "no", "dk", "com", "co.uk", "online.no")),
)


def _caught(text):
    out = one(text)
    return not any(c.isdigit() or c == "@" for c in out)


@PROPERTY
@given(before, identity_numbers, after)
def test_identity_numbers_never_survive(prefix, number, suffix):
    assert _caught(prefix + number + suffix)


@PROPERTY
@given(before, st.one_of(swedish_phones(), eight_digit_phones()), after)
def test_phone_numbers_never_survive(prefix, number, suffix):
    assert _caught(prefix + number + suffix)


@PROPERTY
@given(before, st.lists(st.one_of(identity_numbers, swedish_phones(), eight_digit_phones()), min_size=2, max_size=4),
       st.sampled_from(",/+;&"), after)
def test_numbers_listed_without_spaces_never_survive(prefix, numbers, separator, suffix):
    assert _caught(prefix + separator.join(numbers) + suffix)


@pytest.mark.parametrize("text, scrubbed", [
    ("0701234567,0731234567", "[phone],[phone]"),
    ("070-123 45 67/070-765 43 21", "[phone]/[phone]"),
    ("pnr 8501011234/8501011235", "pnr [id-number]/[id-number]"),
    ("08/123 456 78 eller 070/123 45 67", "[phone] eller [phone]"),
    ("1,5/3 kg, kl 12/3, 05/12/2025", "1,5/3 kg, kl 12/3, 05/12/2025"),  # fractions and dates stay
])
def test_lists_and_area_code_slashes(text, scrubbed):
    assert one(text) == scrubbed


@PROPERTY
@given(before, emails, after)
def test_email_addresses_never_survive(prefix, address, suffix):
    assert _caught(prefix + address + suffix)


def _thousands(value, separator, decimals, unit):
    return f"{value:,}".replace(",", separator) + decimals + unit


def _date(day, pattern, separator):
    return day.strftime(pattern.replace("/", separator))


amounts = st.builds(_thousands, st.integers(1000, 10**12), st.sampled_from((" ", "\u00a0", ".", "\u202f")),
                    st.sampled_from(("", ",50", ":-")), st.sampled_from(("", " kr", " kWh", " NOK")))
dates = st.builds(_date, st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
                  st.sampled_from(("%d/%m/%Y", "%Y/%m/%d", "%d/%m/%Y %H:%M", "%Y/%m/%d %H:%M")),
                  st.sampled_from((".", "-", "–", " ")))
time_ranges = st.builds("{:02d}{}{:02d}{}{:02d}{}00".format, st.integers(0, 12), st.sampled_from(".:"),
                        st.integers(0, 59), st.sampled_from(("-", "–", " – ", "—")), st.integers(12, 23),
                        st.sampled_from(".:"))
year_references = st.builds("{}{}{}".format, st.integers(1900, 2099), st.sampled_from(("-", "–", " – ", "—")),
                            st.text("0123456789", min_size=1, max_size=10))
REFERENCE_WORDS = ("order", "ordernr", "Ordrenummer", "faktura", "invoice no.", "ärende", "Saksnummer", "sagsnr",
                   "case #", "ref:", "kundnummer", "Kundenr.", "customer number", "OCR", "CVR", "org.nr")
references = st.builds("{} {}".format, st.sampled_from(REFERENCE_WORDS), st.text("0123456789", min_size=1, max_size=9))
postcodes = st.builds("{} {:02d} {}".format, st.integers(100, 989), st.integers(0, 99),
                      st.sampled_from(("Stockholm", "Göteborg", "Malmö")))


@PROPERTY
@given(before, st.one_of(amounts, dates, time_ranges, year_references, references, postcodes), after)
def test_numbers_that_are_not_personal_data_survive(prefix, item, suffix):
    text = prefix + item + suffix
    assert one(text) == text


# ---------------------------------------------------------------------------------------
# Labelled cases in both directions

def test_variants_are_deterministic_and_cover_every_format():
    cases = variants(seed=3, n=2 * len(FORMATS))
    pd.testing.assert_frame_equal(cases, variants(seed=3, n=2 * len(FORMATS)))
    assert list(cases.columns) == ["text", "item", "kind", "format", "language"]
    assert set(cases["format"]) == {name for name, *_ in FORMATS}
    assert set(cases["kind"]) == {*PLACEHOLDERS, "none"}
    assert all(item in text for text, item in zip(cases["text"], cases["item"]))
    around = [text.replace(item, "", 1) for text, item in zip(cases["text"], cases["item"])]
    assert not any(c.isdigit() or c == "@" for text in around for c in text)


def test_outcomes_count_a_partly_scrubbed_item_as_a_miss():
    cases = pd.DataFrame({"text": ["Ring 070-123 45 67", "Ring 070-12", "Den 2025-03-01", "Ring 12345678"],
                          "kind": ["phone", "phone", "none", "none"]})
    assert outcomes(cases).tolist() == [True, False, True, False]


def test_recall_is_complete_on_the_labelled_variants():
    result = evaluate(variants(seed=0, n=20_000))
    # Measured: recall 1.0 for every kind; false positives 4 of 5,645 (0.07 %), all of them
    # ten-digit references after a reference word whose digits pass as a personnummer with a
    # valid Luhn digit (checked identity numbers are scrubbed even after a reference word).
    assert result["recall"] == dict.fromkeys(PLACEHOLDERS, 1.0), result["by_format"]
    assert result["false_positive_rate"] < 0.002, result["by_format"]
    assert set(result["by_format"]) <= {"plain-reference"}


# ---------------------------------------------------------------------------------------
# Hostile input: time grows linearly with the length of a comment

HOSTILE = {"digits": "1", "digits and spaces": "1 ", "digits and dashes": "1-", "pairs": "12 34 ", "zeros": "0 ",
           "thousands": " 234", "digits and separators": "1 – ", "no-break spaces": "1\u00a0", "plus": "+1 ",
           "parentheses": "(0", "a@": "a@", "dots": ".", "dotted local part": "a.", "dashes": "-a"}


def _seconds(text):
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        scrub([text])
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_scrubs_in_linear_time(unit):
    _seconds(unit * 100)  # compile and warm up
    small, large = (_seconds(unit * (size // len(unit))) for size in (20_000, 400_000))
    # 20 times the text: linear time takes about 20 times as long, quadratic about 400 times
    assert large < 60 * small + 0.1, f"{small:.3f} s for 20k characters, {large:.3f} s for 400k"


def test_long_comment_with_personal_data_and_an_at_at_the_end():
    text = "a." * 100_000 + " 070-123 45 67 anna@firma.se"
    assert one(text).endswith(" [phone] [email]")


# ---------------------------------------------------------------------------------------
# Input types

def test_counts_are_zero_without_personal_data():
    assert pii_counts(["inget här", None, "order 4411820"]) == dict.fromkeys(PLACEHOLDERS, 0)


def test_nulls_and_empty_strings_keep_their_place():
    texts = [None, "", "Ring 0701234567", None, "bra", ""]
    out = scrub(texts)
    assert isinstance(out, pa.StringArray)
    assert out.to_pylist() == [None, "", "Ring [phone]", None, "bra", ""]


@pytest.mark.parametrize("series", [
    pd.Series(["Ring 0701234567", None, "ok"], dtype=object),
    pd.Series(["Ring 0701234567", None, "ok"], dtype="string"),
    pd.Series(["Ring 0701234567", None, "ok"], dtype="str"),
    pd.Series(["Ring 0701234567", None, "ok"], dtype="category"),
    pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([["Ring 0701234567"], [None, "ok"]]))),
], ids=["object", "string", "str", "category", "arrow-chunked"])
def test_pandas_series(series):
    assert scrub(series).to_pylist() == ["Ring [phone]", None, "ok"]


def test_chunked_and_large_string_arrays():
    chunked = pa.chunked_array([["anna@firma.se", None], [], ["ok", "4111 1111 1111 1111"]])
    out = scrub(chunked)
    assert out.to_pylist() == ["[email]", None, "ok", "[card]"]
    large = scrub(pa.array(["Ring 0701234567", None], pa.large_string()))
    assert large.type == pa.large_string() and large.to_pylist() == ["Ring [phone]", None]


def test_many_chunks_give_the_same_result_as_one():
    texts = variants(seed=1, n=300)["text"].tolist()
    chunks = pa.chunked_array([texts[i:i + 7] for i in range(0, len(texts), 7)], pa.large_string())
    one_array, counts = scrub_with_counts(texts)
    many, many_counts = scrub_with_counts(chunks)
    assert many.to_pylist() == one_array.to_pylist() and many_counts == counts
    assert many.type == pa.large_string()


def test_all_null_and_empty_input():
    assert scrub([None, None]).to_pylist() == [None, None]
    assert len(scrub([])) == 0 and pii_counts([]) == dict.fromkeys(PLACEHOLDERS, 0)
    assert len(scrub(pa.chunked_array([], pa.string()))) == 0


def test_text_without_digits_or_at_passes_byte_identical():
    texts = pa.array(["Kön var för lång 😠", "Tack!\nMvh Åsa", "  spaces  ", None, ""])
    assert scrub(texts).equals(texts)


def test_markup_is_left_for_the_renderer():
    text = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    assert one(text) == text


def test_non_text_is_rejected():
    with pytest.raises(TypeError, match="strings"):
        scrub(pa.array([1, 2]))
