"""Remove personal data from free-text customer comments (sv, nb, da, en).

:func:`scrub` replaces e-mail addresses, phone numbers, personal identity numbers and
payment-card numbers by the placeholders of :data:`PLACEHOLDERS`; :func:`pii_counts`
counts the replacements. Identity numbers (Swedish personnummer and samordningsnummer,
Norwegian fødselsnummer, D- and H-numbers, Danish CPR) and card numbers are replaced only
when their dates and check digits (Luhn, mod 11) are valid, so that order, invoice and case
numbers, dates, times, amounts and postcodes survive. A plain run of digits right after a
reference word (order, faktura, ärende, sak, case, ref, …) is not taken for a phone number;
a grouped one ("faktura 070-123 45 67") still is.

Rows are screened with one vectorised RE2 search in Arrow; only rows with an ``@`` or eight
digits joined by spaces, dashes or parentheses go through Python's :mod:`re`, so millions of comments scrub
in seconds. Markup is left as it is: escaping is the job of whatever renders the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc

PLACEHOLDERS: dict[str, str] = {"email": "[email]", "phone": "[phone]", "id_number": "[id-number]", "card": "[card]"}

# Rows to look at: an "@" or eight digits joined by at most three separators (RE2; ``\xa0`` is
# the no-break space in RE2 and in Python). Every rule below matches only within such rows.
_SCREEN = r"@|[0-9](?:[-() +\xa0]{0,3}[0-9]){7}"
# Where a number rule is tried: the same, at the start of a token (not inside a word, 1.5 or 2025-…).
_TOKEN = re.compile(r"(?<![\w+])(?<![0-9][-./])[+(]?[0-9](?:[-() +\xa0]{0,3}[0-9]){7}")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")
_ID = re.compile(r"(?:(?:19|20)?[0-9]{6}[-+]?[0-9]{4}|[0-9]{6} ?[0-9]{5})(?!\w)")
_CARD = re.compile(  # 4-4-4-4, 4-6-5 (Amex), 4-6-4 (Diners) or 13-19 digits unspaced
    r"(?:[0-9]{4}([- ]?)[0-9]{4}\1[0-9]{4}\1[0-9]{4}|[0-9]{4}([- ]?)[0-9]{6}\2[0-9]{4,5}|[0-9]{13,19})(?!\w)"
)
_PHONE = re.compile(
    r"(?:(?:\+|00)[1-9](?:[-() \xa0]{0,3}[0-9]){7,15}"  # +46 (0)70-123 45 67, 0047 912 34 567
    r"|\(?0[1-9](?:[-() \xa0]{0,3}[0-9]){6,8}"  # Swedish: 070-123 45 67, 08-123 456 78
    r"|[49][0-9]{7}"  # Norwegian mobile, unspaced: 91234567
    r"|[2-9][0-9][0-9][- \xa0][0-9]{2}[- \xa0][0-9]{3}"  # Norwegian: 912 34 567
    r"|[2-9][0-9](?:[- \xa0][0-9]{2}){3})(?!\w)"  # Norwegian: 22 12 34 56
)
_DATE = re.compile(r"[0-9]{1,2}[- ][0-9]{1,2}[- ](?:19|20)[0-9]{2}(?!\w)")  # 05-03-2025, not 0503 20 25
_AFTER_REFERENCE = re.compile(  # "ordernr 98765432", "ärende: 0701234567", "invoice no. 41234567"
    r"\b(?:(?:order|ordre|faktura|ärende)(?:nummer|nr)?|kunde?(?:nummer|nr)|sak(?:snummer|snr)?|invoice|case|ref)"
    r"[\s.:#]{0,4}(?:(?:nr|no|number|nummer)[\s.:#]{0,4})?\Z",
    re.IGNORECASE,
)
_NOT_DIGIT = re.compile(r"[^0-9]")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_FNR_WEIGHTS = ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))


def _valid_date(month: int, day: int) -> bool:
    """Whether day/month exist in some year (29 February always does)."""
    return 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]


def _luhn(digits: str) -> bool:
    """Luhn check (cards, personnummer): every second digit from the right doubled."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (1 + i % 2)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _mod11(digits: str, weights: tuple[int, ...]) -> int:
    """Norwegian control digit for ``digits``; 10 means that no valid digit exists."""
    return (11 - sum(int(c) * w for c, w in zip(digits, weights)) % 11) % 11


def _is_id(m: re.Match[str]) -> bool:
    """Swedish, Norwegian or Danish identity number with a possible date and valid checks."""
    text = m[0]
    d = _NOT_DIGIT.sub("", text)
    if len(d) == 11:  # fødselsnummer DDMMYYIIIKK; D-number day + 40, H-number month + 40
        day, month = int(d[:2]), int(d[2:4])
        return _valid_date(month - 40 * (month > 40), day - 40 * (day > 40)) and all(
            _mod11(d[: 9 + k], w) == int(d[9 + k]) for k, w in enumerate(_FNR_WEIGHTS)
        )
    month, day = int(d[-8:-6]), int(d[-6:-4])  # personnummer (YY)YYMMDDNNNC, samordning day + 60
    if _valid_date(month, day - 60 * (day > 60)) and _luhn(d[-10:]):
        return True
    return text[6:7] == "-" and _valid_date(int(d[2:4]), int(d[:2]))  # Danish CPR DDMMYY-SSSS


def _is_phone(m: re.Match[str]) -> bool:
    """Not a date, nor a plain run of digits right after a reference word."""
    start = m.start()
    return not _DATE.match(m[0]) and not (
        m[0].isdigit() and _AFTER_REFERENCE.search(m.string, max(0, start - 30), start)
    )


# Tried in this order at each token; the first match that passes its check is replaced.
_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]], ...] = (
    ("id_number", _ID, _is_id),
    ("card", _CARD, lambda m: _luhn(_NOT_DIGIT.sub("", m[0]))),
    ("phone", _PHONE, _is_phone),
)


def _scrub_text(text: str, counts: dict[str, int]) -> str:
    """``text`` with personal data replaced; adds the replacements to ``counts``."""
    if "@" in text:
        text, n = _EMAIL.subn(PLACEHOLDERS["email"], text)
        counts["email"] += n
    parts, done = [], 0
    token = _TOKEN.search(text)
    while token:
        start = token.start()
        for kind, pattern, is_personal in _RULES:
            m = pattern.match(text, start)
            if m and is_personal(m):
                parts += text[done:start], PLACEHOLDERS[kind]
                done = m.end()
                counts[kind] += 1
                break
        token = _TOKEN.search(text, max(done, start + 1))
    return "".join(parts) + text[done:] if parts else text


def _as_array(texts) -> pa.StringArray | pa.LargeStringArray:
    if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
        texts = pa.array(texts, from_pandas=True)
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
    array = _as_array(texts)
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
        The comments. Missing values are allowed.

    Returns
    -------
    pyarrow.StringArray or pyarrow.LargeStringArray
        The texts in the same order, with every e-mail address, phone number, identity
        number and card number replaced by its entry of :data:`PLACEHOLDERS`. Nulls stay
        null, other text is unchanged. The type is large_string for large_string input
        (or chunked input of 2 GiB or more), string otherwise.

    Examples
    --------
    >>> scrub(["Ring 070-123 45 67, order 4411820", None]).to_pylist()
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
    >>> pii_counts(["anna@firma.se", "+47 912 34 567 eller 912 34 568"])
    {'email': 1, 'phone': 2, 'id_number': 0, 'card': 0}
    """
    return scrub_with_counts(texts)[1]
