"""Survey comments composed from the phrase bank in ``data/phrases.yaml``.

A comment is composed from an opener, one or two theme phrases, a context sentence, a
reference (order number, date or personal data) and a closer; each slot is optional, and
short comments stand alone. Phrases come per language, theme and sentiment, with typos,
lower-case starts and casual lower-case comments mixed in. The bank is built on first use.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .references import REF_KINDS, ref_values
from .resources import data_yaml
from .sampling import choice, join

LANGS = ("sv", "nb", "en")
"""Comment languages, in the order of the language codes."""
THEMES = ("billing", "waiting", "digital", "staff", "delivery", "price", "moving", "outage")
"""Comment themes, in the order of the theme codes."""
REF_KIND_P = {"case": 3, "invoice": 3, "order": 2, "date": 3, "phone": 1.2, "phone_intl": 1.2, "phone_no": 2,
              "email": 1.2, "pnr10": 1.2, "pnr12": 0.8, "fnr": 2}
"""Relative weight of each reference kind among a language's reference sentences."""
_SENTIMENTS = ("negative", "positive")


@cache
def phrases() -> dict[str, dict]:
    """The phrase bank of ``data/phrases.yaml``, checked, as tuples indexed like the codes.

    Returns
    -------
    dict
        ``phrases[lang][theme]`` and ``openers[lang]``, ``closers[lang]``: (negative, positive)
        tuples of phrases; ``short[lang]``: (negative, positive, mixed); ``context[lang]``: a
        tuple; ``connect[lang]``: the connector before a contrasting phrase (with its trailing
        space); ``refs[lang]``: ``(template with {}, kind)`` pairs. Keys keep the file's order.

    Raises
    ------
    ValueError
        The file lacks a language of :data:`LANGS` or a theme of :data:`THEMES`, or names an
        unknown reference kind.
    """
    raw = data_yaml("phrases.yaml")

    def by_sentiment(node: dict, sentiments: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(node[s]) for s in sentiments)

    for section in ("phrases", "openers", "closers", "short", "context", "connect", "refs"):
        if set(raw[section]) != set(LANGS):
            raise ValueError(f"phrases.yaml: {section} must have exactly the languages {', '.join(LANGS)}")
    for lang in LANGS:
        if set(raw["phrases"][lang]) != set(THEMES):
            raise ValueError(f"phrases.yaml: phrases.{lang} must have exactly the themes {', '.join(THEMES)}")
        unknown = {kind for _, kind in raw["refs"][lang]} - set(REF_KINDS)
        if unknown:
            raise ValueError(f"phrases.yaml: unknown reference kinds in refs.{lang}: {', '.join(sorted(unknown))}")
    return {
        "phrases": {lang: {t: by_sentiment(node, _SENTIMENTS) for t, node in themes.items()}
                    for lang, themes in raw["phrases"].items()},
        "openers": {lang: by_sentiment(node, _SENTIMENTS) for lang, node in raw["openers"].items()},
        "closers": {lang: by_sentiment(node, _SENTIMENTS) for lang, node in raw["closers"].items()},
        "short": {lang: by_sentiment(node, (*_SENTIMENTS, "mixed")) for lang, node in raw["short"].items()},
        "context": {lang: tuple(items) for lang, items in raw["context"].items()},
        "connect": dict(raw["connect"]),
        "refs": {lang: tuple((template, kind) for template, kind in items) for lang, items in raw["refs"].items()},
    }


def typo(text: str) -> str:
    """A deterministic typo: swap, drop or double one letter (position from a CRC of the text).

    Parameters
    ----------
    text : str
        A phrase.

    Returns
    -------
    str
        ``text`` with one typo, or unchanged when it has no two adjacent letters.
    """
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


class PhraseBank:
    """All phrases in one flat arrow array with four variants (plain, typo, lower-first, both).

    Parameters
    ----------
    bank : dict
        The phrase bank as :func:`phrases` returns it.

    Attributes
    ----------
    texts : pyarrow.Array
        Every phrase four times: variant ``v`` of phrase ``i`` is at ``i + v * n``.
    n : int
        Number of distinct phrases.
    slots : dict of str to (numpy.ndarray, numpy.ndarray)
        Per slot (``phrase``, ``opener``, …), first index and count of its phrases, indexed
        by language (and theme, sentiment).
    ref_kind, ref_start, ref_p
        Reference kind code (:data:`~cxlib.synth.references.REF_KINDS`) of every reference
        sentence, the first reference sentence of each language, and per language the
        probabilities of its reference sentences.
    """

    def __init__(self, bank: dict):
        texts: list[str] = []
        self.slots: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        def add(name: str, shape: tuple[int, ...], groups: list[tuple[str, ...]]):
            off, cnt = np.zeros(len(groups), np.int64), np.zeros(len(groups), np.int64)
            for g, items in enumerate(groups):
                off[g], cnt[g] = len(texts), len(items)
                texts.extend(items)
            self.slots[name] = off.reshape(shape), cnt.reshape(shape)

        refs = bank["refs"]
        nl, nt = len(LANGS), len(THEMES)
        add("phrase", (nl, nt, 2), [bank["phrases"][lang][t][s] for lang in LANGS for t in THEMES for s in (0, 1)])
        add("opener", (nl, 2), [bank["openers"][lang][s] for lang in LANGS for s in (0, 1)])
        add("closer", (nl, 2), [bank["closers"][lang][s] for lang in LANGS for s in (0, 1)])
        add("short", (nl, 3), [bank["short"][lang][s] for lang in LANGS for s in (0, 1, 2)])
        add("context", (nl,), [bank["context"][lang] for lang in LANGS])
        add("connect", (nl,), [(bank["connect"][lang],) for lang in LANGS])
        add("ref_pre", (nl,), [tuple(t.split("{}")[0] for t, _ in refs[lang]) for lang in LANGS])
        add("ref_post", (nl,), [tuple(t.split("{}")[1] for t, _ in refs[lang]) for lang in LANGS])
        self.ref_kind = np.array([REF_KINDS.index(k) for lang in LANGS for _, k in refs[lang]])
        self.ref_start = np.cumsum([0] + [len(refs[lang]) for lang in LANGS])[:-1]  # first ref_kind per language
        self.ref_p = [np.array([REF_KIND_P[k] for _, k in refs[lang]]) / sum(REF_KIND_P[k] for _, k in refs[lang])
                      for lang in LANGS]
        self.n = len(texts)
        plain_and_typo = texts + [typo(t) for t in texts]
        self.texts = pa.array(plain_and_typo + [t[:1].lower() + t[1:] for t in plain_and_typo])

    def pick(self, rng: np.random.Generator, slot: str, key: tuple, present: np.ndarray,
             variant: np.ndarray | int = 0) -> pa.Array:
        """One random phrase of ``slot`` per row (null where not ``present``).

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of randomness (one uniform number per row, also for absent rows).
        slot : str
            ``phrase``, ``opener``, ``closer``, ``short``, ``context`` or ``connect``.
        key : tuple of numpy.ndarray
            Codes indexing the slot per row: language, and theme and sentiment where the slot has them.
        present : numpy.ndarray of bool
            Rows that get a phrase.
        variant : numpy.ndarray or int, default 0
            0 plain, 1 with a typo, 2 lower-case first letter, 3 both.

        Returns
        -------
        pyarrow.Array
            One phrase or null per row.
        """
        off, cnt = self.slots[slot]
        off, cnt = off[key], cnt[key]
        idx = off + (rng.random(len(present)) * cnt).astype(np.int64) + variant * self.n
        return self.texts.take(pa.array(idx, mask=~present))


@cache
def bank() -> PhraseBank:
    """The phrase bank of ``data/phrases.yaml``, built once per process.

    Returns
    -------
    PhraseBank
        The bank (callers must not change it).
    """
    return PhraseBank(phrases())


def compose(rng: np.random.Generator, lang: np.ndarray, theme: np.ndarray, theme2: np.ndarray, klass: np.ndarray,
            day: np.ndarray) -> pa.Array:
    """Compose one comment per row.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    lang : numpy.ndarray
        Language code per row (index into :data:`LANGS`).
    theme, theme2 : numpy.ndarray
        Main theme and second theme (of longer comments) per row (indices into :data:`THEMES`).
    klass : numpy.ndarray
        0 = detractor (negative), 1 = promoter (positive), 2 = passive (mixed).
    day : numpy.ndarray
        Day index (0 = 2025-01-01) of each response, for dates in references.

    Returns
    -------
    pyarrow.Array
        One comment string per row.
    """
    b = bank()
    n = len(lang)
    short = rng.random(n) < 0.15
    full = ~short
    mixed = klass == 2
    sent = np.where(mixed, rng.random(n) < 0.5, klass == 1).astype(np.int64)  # 1 = positive
    sent2 = np.where(mixed, 1 - sent, sent)
    second = full & (mixed | (rng.random(n) < 0.3))

    def typos():
        return (rng.random(n) < 0.07).astype(np.int64)

    has_ref = full & (rng.random(n) < 0.12)
    j = np.zeros(n, np.int64)
    for li in range(len(LANGS)):
        j[lang == li] = choice(rng, b.ref_p[li], int((lang == li).sum()))
    kind = b.ref_kind[b.ref_start[lang] + j]
    rows, values = [], []
    for ki, name in enumerate(REF_KINDS):
        r = np.flatnonzero(has_ref & (kind == ki))
        if len(r):
            rows.append(r)
            values.append(ref_values(rng, name, day[r]))
    pos = np.full(n, -1)
    if rows:
        pos[np.concatenate(rows)] = np.arange(sum(len(r) for r in rows))
    value = (pa.concat_arrays(values) if values else pa.array([], pa.string())).take(pa.array(pos, mask=pos < 0))
    texts = b.texts
    ref = join(texts.take(pa.array(b.slots["ref_pre"][0][lang] + j)), value,
               texts.take(pa.array(b.slots["ref_post"][0][lang] + j)))

    parts = [
        b.pick(rng, "opener", (lang, sent), full & (rng.random(n) < 0.3), typos()),
        b.pick(rng, "short", (lang, klass), short, typos()),
        b.pick(rng, "phrase", (lang, theme, sent), full, typos()),
        join(pc.fill_null(b.pick(rng, "connect", (lang,), mixed), ""),
             b.pick(rng, "phrase", (lang, theme2, sent2), second, typos() + 2 * mixed)),
        b.pick(rng, "context", (lang,), full & (rng.random(n) < 0.2), typos()),
        ref,
        b.pick(rng, "closer", (lang, np.where(mixed, sent2, sent)), full & (rng.random(n) < 0.3), typos()),
    ]
    sep = pa.array(np.where(rng.random(n) < 0.03, "\n", " "))
    # (every row has a short comment or a main phrase: pyarrow drops rows whose parts are all null)
    text = pc.binary_join_element_wise(*parts, sep, null_handling="skip")
    casual = pa.array(rng.random(n) < 0.12)  # typed in lowercase without final punctuation
    return pc.if_else(casual, pc.replace_substring_regex(pc.utf8_lower(text), r"[.!]$", ""), text)
