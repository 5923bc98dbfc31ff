"""Remove personal data from free-text customer comments (sv, nb, da, en).

:func:`scrub` replaces e-mail addresses, phone numbers, personal identity numbers and
payment-card numbers by the placeholders of :data:`PLACEHOLDERS`; :func:`pii_counts`
counts the replacements. The rules:

Where a number is looked for. Spaces are the space and the no-break, figure, thin and
narrow no-break spaces; dashes are the hyphen-minus and the Unicode dashes ‐ ‑ ‒ – — ― −
(and the small and full-width hyphen-minus). A number starts at a digit, at ``+`` or at
the ``(`` of an area code such as ``(08)``, where that does not follow a letter, digit,
underscore or ``+``, a digit and one of ``. , : /``, or a letter or digit and a dash — so
nothing is found inside ``NE1234567``, ``INV-0248…``, ``1.5`` or ``2025-03-01``. Right after
a replaced number and one of ``, / + ; &`` a number may start anyway, so lists written without
spaces (``0701234567,0731234567``, ``pnr …/…``) are scrubbed whole. A number
never ends right before a letter, a digit or a dot and a digit (so ``192.168.81.153`` is
not cut into a phone number and a rest).

1. E-mail addresses, ``[email]``: a local part of letters, digits and ``. _ + -``, ``@``,
   domain labels of letters, digits and ``-`` each followed by a dot, and a top-level
   domain of two or more letters (letters of any script).
2. At each start of a number the first of these shapes that fits is taken:

   a. Kept, never scrubbed: a year 1900–2099, a dash (spaces around it allowed) and 1–10
      digits — year ranges ``2024–2025``, ISO dates ``2025-03-01``, case numbers
      ``2024-55123``; dates ``2025 03 01`` and ``2025.03.01``; ``01.03.2025``, ``1-3-2025``,
      ``14 03 2025`` (day 1–31, month 1–12, four-digit year 1900–2099, separator a space,
      dash or dot); opening hours ``08.00–16.00`` (two times joined by a dash); amounts in
      up to four groups of three after a first group of 1–3 digits not starting with 0,
      separated by spaces or dots (``1 234 567 kr``, ``12.345.678,50``), when no further
      digit group follows.
   b. Identity numbers, ``[id-number]``, whether or not their check digits hold — a mistyped
      number is still personal data: Swedish personnummer ``(19|20)YYMMDD-NNNC`` and
      samordningsnummer (day + 60), Danish CPR ``DDMMYY-SSSS``, Norwegian fødselsnummer
      ``DDMMYYIIIKK`` and D- and H-numbers (day or month + 40). The date part must be
      plausible: month 01–12 and day 01–31 once the offset is removed. Between date part and
      serial there may be nothing, a space, ``+`` or a dash, with spaces around it.
   c. Card numbers, ``[card]``: groups 4-4-4-4, 4-6-5 (Amex) or 4-6-4 (Diners) separated by
      a space, dash or dot, and 16 unspaced digits with a Visa or Mastercard prefix (4,
      51–55, 2221–2720), whatever their Luhn digit.
   d. Phone numbers, ``[phone]``, with gaps of at most three characters among spaces,
      dashes, dots and parentheses between their digits: ``+`` or ``00``, a country code
      and 8–16 digits in all (``+46 (0)70-123 45 67``, ``0047 912 34 567``); 46 without the
      plus, optionally a 0 or ``(0)``, and a Swedish number without its trunk 0 (7–9
      digits, ``46 70 123 45 67``, ``46701234567``); 45 or 47 without the plus and an
      eight-digit number as below (``4512345678``); a Swedish number with the trunk 0,
      8–10 digits in any grouping (``070-123 45 67``, ``(08) 123 456 78``,
      ``070.123.45.67``), also with a slash after the area code (``08/123 456 78``); Danish
      and Norwegian eight-digit numbers, unspaced or in groups of 2–4 digits (``12 34 56 78``,
      ``1234 5678``, ``912 34 567``, ``12345678``).
   e. Other runs of 13–19 digits, ``[card]``, when they pass the Luhn check.

3. Exceptions, decided after the shape:

   - A run of plain digits (no separator, no ``+``) right after a reference word is a
     reference, not personal data (``ordernr 98765432``, ``ärende 0701234567``,
     ``kundnummer 8112189877``) — unless it is an identity number whose checks hold (an
     existing calendar date and a valid Luhn digit for Sweden, valid mod-11 control digits
     for Norway). Reference words, in any case, each optionally followed by ``s``, ``-``
     or ``.`` and nummer/nr/id, then up to four of space ``. : #``, optionally
     number/no/nr/nummer/id and again up to four of those: order, ordre, faktura, invoice,
     ärende, sak, sag, case, ticket, dnr, diarie, ref, referens, reference, referanse,
     kund, kunde, customer, avtal, avtale, aftale, kontrakt, contract, OCR, KID, CVR,
     org/organisation/organisasjon, anläggning, anlegg, mätar, måler, målepunkt. A grouped
     number after such a word (``faktura 070-123 45 67``, ``ordernr 9876 5432``) is still
     scrubbed.
   - A phone-shaped number right after bankgiro, plusgiro, bg or pg is a company's payment
     account (``bankgiro 5050-1055``) and is kept.
   - Check digits decide the label of an identity-number shape: one whose checks fail,
     written as plain digits and also shaped like a phone number (``0701234567``), counts
     as ``[phone]``.

Known trade-offs: eight unspaced digits are always a possible Danish or Norwegian phone
number, so a date written ``20250314`` or an unspaced eight-digit number without a
reference word is scrubbed; a phone number whose groups read as a kept date, year range or
amount (``2012-2019``, ``12 03 2025``, ``46 771 123 456``) is kept; ten- and eleven-digit
numbers with a plausible date part are scrubbed as identity numbers unless a reference word
precedes them and their checks fail; a number glued to a word (``tel0701234567``) is kept.

Rows are screened with one vectorised RE2 search in Arrow; only rows with an ``@`` or eight
digits joined by at most three separators go through Python's :mod:`re` (no rule matches
less), so millions of comments scrub in seconds. Every pattern is bounded, so the time grows
linearly with the length of a comment. Markup is left as it is: escaping is the job of
whatever renders the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import product

import pyarrow as pa
import pyarrow.compute as pc

PLACEHOLDERS: dict[str, str] = {"email": "[email]", "phone": "[phone]", "id_number": "[id-number]", "card": "[card]"}

# Separator characters, written so that the same text works in RE2 (the screen) and in Python.
_SPACES = " \u00a0\u2007\u2009\u202f"  # space, no-break, figure, thin, narrow no-break space
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"  # hyphen-minus, Unicode dashes
_GAP = f"[{_SPACES}{_DASHES}.()]"  # one character between the digit groups of a phone number

# Rows to look at: an "@" or eight digits joined by at most three separators (RE2 syntax; no
# rule below matches less). ``+`` is the personnummer separator for people over 100.
_SCREEN = f"@|[0-9](?:[{_SPACES}{_DASHES}.()+/]{{0,3}}[0-9]){{7}}"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")

_YEAR = "(?:19|20)[0-9]{2}"
_MONTH = "(?:0?[1-9]|1[0-2])"
_DAY = "(?:0?[1-9]|[12][0-9]|3[01])"
_TIME = "(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9]"
_DASH = f"[{_SPACES}]?[{_DASHES}][{_SPACES}]?"
_KEEP = "|".join((
    f"{_YEAR}{_DASH}[0-9]{{1,10}}",  # 2024–2025, 2025-03-01, 2024-55123
    f"{_YEAR}[{_SPACES}.]{_MONTH}[{_SPACES}.]{_DAY}",  # 2025 03 01, 2025.03.01
    f"{_DAY}[{_SPACES}{_DASHES}.]{_MONTH}[{_SPACES}{_DASHES}.]{_YEAR}",  # 01.03.2025, 14 03 2025
    f"{_TIME}{_DASH}{_TIME}",  # 08.00–16.00
    f"[1-9][0-9]{{0,2}}(?:[{_SPACES}.][0-9]{{3}}){{1,4}}(?!{_GAP}{{0,3}}[0-9])",  # 1 234 567, 12.345.678
))

# Identity numbers: a plausible date part, an optional separator, the serial (with check digits).
_MM = "(?:0[1-9]|1[0-2])"
_DD = "(?:0[1-9]|[12][0-9]|3[01])"
_ID_SEPARATOR = f"[{_SPACES}]?[{_DASHES}+]?[{_SPACES}]?"
_ID = (
    f"(?:(?:19|20)?[0-9]{{2}}{_MM}(?:{_DD}|6[1-9]|[78][0-9]|9[01])"  # personnummer, samordningsnummer
    f"|{_DD}{_MM}[0-9]{{2}}){_ID_SEPARATOR}[0-9]{{4}}"  # Danish CPR
    f"|(?:{_DD}|4[1-9]|[56][0-9]|7[01])(?:{_MM}|4[1-9]|5[0-2])[0-9]{{2}}{_ID_SEPARATOR}[0-9]{{5}}"  # fødselsnummer
)

_CARD_SEPARATOR = f"[{_SPACES}{_DASHES}.]"
_CARD_SHAPE = (
    f"[0-9]{{4}}(?:{_CARD_SEPARATOR}[0-9]{{4}}){{3}}|[0-9]{{4}}{_CARD_SEPARATOR}[0-9]{{6}}{_CARD_SEPARATOR}[0-9]{{4,5}}"
    "|(?:4[0-9]{3}|5[1-5][0-9]{2}|222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}"  # Visa, Mastercard
)
_CARD_LUHN = "[0-9]{13,19}"


def _groupings(total: int, sizes: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every way to write ``total`` digits as consecutive groups with the given sizes."""
    return [parts for count in range(1, total // min(sizes) + 1) for parts in product(sizes, repeat=count)
            if sum(parts) == total]


# Danish and Norwegian numbers: eight digits, unspaced or in groups of two to four.
_EIGHT = "|".join(f"{_GAP}{{1,3}}".join(f"[0-9]{{{size}}}" for size in parts)
                  for parts in [(8,), *_groupings(8, (2, 3, 4))])
_SWEDISH = f"[1-9](?:{_GAP}{{0,3}}[0-9]){{6,8}}"  # without the trunk 0: 70 123 45 67, 8 123 456 78
_PHONE = (
    f"(?:\\+|00)[1-9](?:{_GAP}{{0,3}}[0-9]){{7,15}}"  # +46 (0)70-123 45 67, 0047 912 34 567
    f"|46(?:{_GAP}{{0,3}}0)?{_GAP}{{0,3}}{_SWEDISH}|4[57]{_GAP}{{0,3}}(?:{_EIGHT})"  # 46 70 123 45 67, 4512345678
    f"|(?:\\((?=0[1-9][0-9]{{0,2}}\\)))?0{_SWEDISH}"  # 070-123 45 67, (08) 123 456 78
    f"|0[1-9][0-9]{{0,2}}/ ?[1-9](?:{_GAP}{{0,3}}[0-9]){{4,7}}"  # area code and slash: 08/123 456 78
    f"|{_EIGHT}"  # 12 34 56 78, 912 34 567, 1234 5678
)

# One scan per comment. Alternatives are tried in this order at each start of a number; the
# first that matches decides (the group name is the shape).
_SHAPES = (
    f"(?=[+(0-9])(?:(?P<keep>{_KEEP})|(?P<id_number>{_ID})|(?P<card>{_CARD_SHAPE})|(?P<phone>{_PHONE})"
    f"|(?P<card_luhn>{_CARD_LUHN}))(?!\\w|\\.[0-9])"
)
_NUMBER = re.compile(f"(?<![\\w+])(?<![0-9][.,:/])(?<!\\w[{_DASHES}])" + _SHAPES)
# A number right after a replaced one and a list separator ("070…,073…", "pnr …/…"), where the
# guard against starting inside "1,5" or "12/3" above would otherwise stop it.
_LISTED = re.compile(_SHAPES)
_LIST_SEPARATORS = frozenset(",/+;&")
_PHONE_SHAPE = re.compile(f"(?:{_PHONE})")
_AFTER_REFERENCE = re.compile(
    r"\b(?:order|ordre|faktura|invoice|ärende|sak|sag|case|ticket|dnr|diarie|referen[cs]e?|referanse|ref"
    r"|kunde?|customer|avtale?|aftale|kontrakt|contract|ocr|kid|cvr|org(?:anisation|anisasjon)?|anläggning|anlegg"
    r"|mätar|måler|målepunkt)s?[-.]?(?:nummer|nr|id)?[\s.:#]{0,4}(?:(?:nr|no|number|nummer|id)[\s.:#]{0,4})?\Z",
    re.IGNORECASE,
)
_AFTER_GIRO = re.compile(r"\b(?:bankgiro|plusgiro|bg|pg)(?:nummer|nr)?[\s.:#]{0,4}\Z", re.IGNORECASE)
_REFERENCE_REACH = 40  # characters before a number searched for a reference word
_NOT_DIGIT = re.compile(r"[^0-9]")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_FNR_WEIGHTS = ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))


def luhn_check_digit(payload: str) -> int:
    """Luhn check digit (cards, Swedish personnummer) for a string of digits.

    Parameters
    ----------
    payload : str
        The digits before the check digit, e.g. the nine digits YYMMDDNNN of a personnummer.

    Returns
    -------
    int
        The digit 0–9 that makes ``payload`` followed by it pass the Luhn check: from the
        right, every second digit is doubled and the digits of the products summed; the
        total must be a multiple of 10.
    """
    total = 0
    for i, c in enumerate(reversed(payload)):
        d = int(c) * (2 - i % 2)
        total += d - 9 if d > 9 else d
    return -total % 10


def fodselsnummer_check_digits(nine: str) -> str | None:
    """Control digits K1 K2 of a Norwegian fødselsnummer, D- or H-number.

    Parameters
    ----------
    nine : str
        The first nine digits DDMMYYIII.

    Returns
    -------
    str or None
        The two control digits (mod 11 with weights 3 7 6 1 8 9 4 5 2, then 5 4 3 2 7 6 5 4
        3 2 over the ten digits so far; 11 gives 0), or None when a remainder of 10 means
        that no number with these nine digits exists.
    """
    digits = nine
    for weights in _FNR_WEIGHTS:
        control = -sum(int(c) * w for c, w in zip(digits, weights)) % 11
        if control == 10:
            return None
        digits += str(control)
    return digits[9:]


def _calendar_date(month: int, day: int) -> bool:
    """Whether day/month exist in some year (29 February always does)."""
    return 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]


def _checks_hold(digits: str) -> bool:
    """Whether the digits of an identity-number match carry an existing date and valid check digits."""
    if len(digits) == 11:  # fødselsnummer DDMMYYIIIKK; D-number day + 40, H-number month + 40
        day, month = int(digits[:2]), int(digits[2:4])
        return (_calendar_date(month - 40 * (month > 40), day - 40 * (day > 40))
                and fodselsnummer_check_digits(digits[:9]) == digits[9:])
    month, day = int(digits[-8:-6]), int(digits[-6:-4])  # personnummer (CC)YYMMDDNNNC, samordning day + 60
    return _calendar_date(month, day - 60 * (day > 60)) and luhn_check_digit(digits[-10:-1]) == int(digits[-1])


def _kind(m: re.Match[str]) -> str | None:
    """The kind of personal data a match of :data:`_NUMBER` is, or None to keep it."""
    shape, text = m.lastgroup, m[0]
    if shape == "keep":
        return None
    digits = _NOT_DIGIT.sub("", text)
    if shape == "id_number" and _checks_hold(digits):
        return shape
    start = m.start()
    if text.isdigit() and _AFTER_REFERENCE.search(m.string, max(0, start - _REFERENCE_REACH), start):
        return None
    if shape == "id_number":
        return "phone" if text.isdigit() and _PHONE_SHAPE.fullmatch(text) else shape
    if shape == "phone" and _AFTER_GIRO.search(m.string, max(0, start - _REFERENCE_REACH), start):
        return None
    if shape == "card_luhn":
        return "card" if luhn_check_digit(digits[:-1]) == int(digits[-1]) else None
    return shape


def _scrub_text(text: str, counts: dict[str, int]) -> str:
    """``text`` with personal data replaced; adds the replacements to ``counts``."""
    if "@" in text:
        text, n = _EMAIL.subn(PLACEHOLDERS["email"], text)
        counts["email"] += n

    parts, done = [], 0
    m = _NUMBER.search(text)
    while m is not None:
        kind, end = _kind(m), m.end()
        if kind is not None:
            parts += text[done:m.start()], PLACEHOLDERS[kind]
            counts[kind] += 1
            done = end
            if text[end:end + 1] in _LIST_SEPARATORS and (listed := _LISTED.match(text, end + 1)):
                m = listed
                continue
        m = _NUMBER.search(text, end)
    return "".join(parts) + text[done:] if parts else text


def as_string_array(texts) -> pa.StringArray | pa.LargeStringArray:
    """``texts`` (an Arrow array or chunked array, a pandas Series, a sequence of str or None) as
    one contiguous Arrow string array: chunks combined, dictionaries (categoricals) decoded.

    Real exports arrive in several chunks (a CSV over about 1 MiB, a Parquet file with several
    row groups); everything that reads comments goes through here, so nothing assumes one chunk.
    """
    if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
        texts = pa.array(texts, from_pandas=True)  # a pandas Series backed by Arrow gives chunks
    if pa.types.is_dictionary(texts.type):  # pandas categoricals
        texts = texts.cast(texts.type.value_type)
    if isinstance(texts, pa.ChunkedArray):
        if texts.type == pa.string() and texts.nbytes >= 2**31:  # too big for 32-bit offsets
            texts = texts.cast(pa.large_string())
        texts = texts.combine_chunks()
    if pa.types.is_null(texts.type):
        return texts.cast(pa.string())
    if texts.type not in (pa.string(), pa.large_string()):
        raise TypeError(f"texts must be strings, got {texts.type}")
    return texts


def scrub_with_counts(texts) -> tuple[pa.StringArray | pa.LargeStringArray, dict[str, int]]:
    """:func:`scrub` and :func:`pii_counts` in one pass: ``(scrubbed texts, counts per kind)``."""
    array = as_string_array(texts)
    counts = dict.fromkeys(PLACEHOLDERS, 0)
    mask = pc.fill_null(pc.match_substring_regex(array, _SCREEN), False)
    if mask.true_count:
        scrubbed = [_scrub_text(text, counts) for text in array.filter(mask).to_pylist()]
        array = pc.replace_with_mask(array, mask, pa.array(scrubbed, array.type))
    return array, counts


def scrub(texts: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> pa.StringArray | pa.LargeStringArray:
    """Replace personal data in texts by placeholders.

    Parameters
    ----------
    texts : pyarrow.Array, pyarrow.ChunkedArray, pandas.Series or sequence of str or None
        The comments, in any number of chunks; dictionary-encoded (categorical) strings are
        decoded. Missing values are allowed.

    Returns
    -------
    pyarrow.StringArray or pyarrow.LargeStringArray
        The texts in the same order, with every e-mail address, phone number, identity
        number and card number (the rules of this module's docstring) replaced by its entry
        of :data:`PLACEHOLDERS`. Nulls stay null, other text is unchanged. The type is
        large_string for large_string input (or chunked input of 2 GiB or more), string
        otherwise.

    Examples
    --------
    >>> scrub(["Ring 070–123 45 67, order 4411820", None]).to_pylist()
    ['Ring [phone], order 4411820', None]
    """
    return scrub_with_counts(texts)[0]


def pii_counts(texts: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> dict[str, int]:
    """Count the personal data that :func:`scrub` replaces.

    Parameters
    ----------
    texts : pyarrow.Array, pyarrow.ChunkedArray, pandas.Series or sequence of str or None
        The comments, as for :func:`scrub`.

    Returns
    -------
    dict of str to int
        Number of replaced items per kind, with the keys of :data:`PLACEHOLDERS`.

    Examples
    --------
    >>> pii_counts(["anna@firma.se", "+47 912 34 567 eller 12 34 56 78"])
    {'email': 1, 'phone': 2, 'id_number': 0, 'card': 0}
    """
    return scrub_with_counts(texts)[1]
