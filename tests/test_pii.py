"""cxlib.pii: personal data out, everything else untouched.

Every check digit below is worked out by hand in the comments.

Luhn (personnummer, cards): from the right, every second digit is doubled and the digits
of the products are summed; the number is valid when the total is a multiple of 10.
Personnummer use the last ten digits YYMMDDNNNC.

Norwegian mod 11: K1 = 11 - (sum of digits 1-9 × 3 7 6 1 8 9 4 5 2) mod 11 and
K2 = 11 - (sum of digits 1-10 × 5 4 3 2 7 6 5 4 3 2) mod 11; 11 gives 0, 10 is impossible.
"""

import pandas as pd
import pyarrow as pa
import pytest

from cxlib.pii import PLACEHOLDERS, pii_counts, scrub


def one(text):
    return scrub([text]).to_pylist()[0]


def test_placeholders():
    assert PLACEHOLDERS == {"email": "[email]", "phone": "[phone]", "id_number": "[id-number]", "card": "[card]"}


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
]
INVALID_IDS = [
    "811218-9877", "19811218-9877", "8112189877", "198112189877", "811278-9874",  # Luhn fails
    "811318-9875", "813218-9872",  # Luhn holds (7+1+2+3+2+8+9+8+5+5, 7+1+6+2+2+8+9+8+5+2 = 50): month 13, day 32
    "01019012481", "01019012490", "15078543297", "55078543361",  # a control digit wrong
    "321390-1234", "1507851235",  # CPR: impossible date; no dash
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_identity_numbers_are_replaced(number):
    assert one(f"Mitt nummer är {number}, tack.") == "Mitt nummer är [id-number], tack."


@pytest.mark.parametrize("number", INVALID_IDS)
def test_numbers_failing_checks_survive(number):
    text = f"Mitt nummer är {number}, tack."
    assert one(text) == text


@pytest.mark.parametrize("number", ["4111 1111 1111 1111", "4111111111111111", "5555-5555-5555-4444",
                                    "3782 822463 10005"])
def test_card_numbers_are_replaced(number):
    assert one(f"Kort {number} 50 kr") == "Kort [card] 50 kr"


def test_card_number_failing_luhn_survives():
    # 4111 1111 1111 1112: doubled 4→8, 1→2 (×7), plain 1 (×7) and 2 → 8+14+7+2 = 31.
    assert one("Kort 4111 1111 1111 1112") == "Kort 4111 1111 1111 1112"


PHONES = [
    "070-123 45 67", "0701234567", "070 123 45 67", "08-123 456 78", "08-12345678", "031-12 34 56",
    "08 - 123 456 78", "(08) 123 456 78", "+46 70 123 45 67", "+46 (0)70-1234567", "0046 70 123 45 67",
    "+47 912 34 567", "+47 91234567", "0047 912 34 567", "912 34 567", "91234567", "22 12 34 56",
    "41 23 45 67", "+45 12 34 56 78", "+44 20 7946 0958", "+1 (555) 123-4567", "+358 40 123 4567",
]


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_are_replaced(number):
    assert one(f"Ring {number} efter kl 17.") == "Ring [phone] efter kl 17."


@pytest.mark.parametrize("address", ["anna.berg@gmail.com", "per_olsen+cx@mail.firma.no", "Åsa.Öberg@exempel.se",
                                     "kari.hansen92@online.no"])
def test_email_addresses_are_replaced(address):
    assert one(f"Maila {address}.") == "Maila [email]."


SURVIVORS = [
    "NE1234567", "order 4411820", "ordrenummer 12345678", "ordernr 98765432", "Ordernr: 98765432",
    "order no. 91234567", "kundenummer 91234567", "fakturanummer 412345678", "412345678",
    "ärende 2025-118233", "2025-118233", "Ärendenummer 0701234567", "ref: 91234567",
    "2025-03-14", "14.03.2025", "14/3", "1.3.2025", "20250314", "05-03-2025 12:30", "14 03 2025",
    "kl 17.30", "08:15", "1 234,50 kr", "12 345 kr", "kr 499", "1 234 567 kr", "2024", "år 2025",
    "50 %", "12,5%", "114 55 Stockholm", "0150 Oslo", "mätarställning 45123", "mätarställning 4512345",
    "1234567890", "5555555555", "21234567", "12 34 56 78",
]


@pytest.mark.parametrize("text", SURVIVORS)
def test_references_dates_amounts_survive(text):
    assert one(text) == text


def test_reference_words_protect_only_plain_digit_runs():
    assert one("Fråga om min faktura 070-123 45 67") == "Fråga om min faktura [phone]"
    assert one("sak 22 12 34 56, ref +46 70 123 45 67") == "sak [phone], ref [phone]"
    assert one("Ring 0701234567 om ordern") == "Ring [phone] om ordern"


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
    ("Mit CPR-nummer er 150785-1235, ring +45 12 34 56 78.", "Mit CPR-nummer er [id-number], ring [phone]."),
]


def test_mixed_comments_and_counts():
    texts = [text for text, _ in MIXED]
    assert scrub(texts).to_pylist() == [expected for _, expected in MIXED]
    assert pii_counts(texts) == {"email": 2, "phone": 5, "id_number": 3, "card": 1}


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
])
def test_pandas_series(series):
    assert scrub(series).to_pylist() == ["Ring [phone]", None, "ok"]


def test_chunked_and_large_string_arrays():
    chunked = pa.chunked_array([["anna@firma.se", None], [], ["ok", "4111 1111 1111 1111"]])
    out = scrub(chunked)
    assert out.to_pylist() == ["[email]", None, "ok", "[card]"]
    large = scrub(pa.array(["Ring 0701234567", None], pa.large_string()))
    assert large.type == pa.large_string() and large.to_pylist() == ["Ring [phone]", None]


def test_all_null_and_empty_input():
    assert scrub([None, None]).to_pylist() == [None, None]
    assert len(scrub([])) == 0 and pii_counts([]) == dict.fromkeys(PLACEHOLDERS, 0)


def test_text_without_digits_or_at_passes_byte_identical():
    texts = pa.array(["Kön var för lång 😠", "Tack!\nMvh Åsa", "  spaces  ", None, ""])
    assert scrub(texts).equals(texts)


def test_markup_is_left_for_the_renderer():
    text = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    assert one(text) == text


def test_non_text_is_rejected():
    with pytest.raises(TypeError, match="strings"):
        scrub(pa.array([1, 2]))
