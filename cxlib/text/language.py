"""Language of short comments, restricted to the languages a client's customers write in.

Scoring is naive Bayes over words: each distinct word of the corpus gets its language
likelihoods once from lingua's offline character n-gram models (bundled in the
``lingua-language-detector`` wheel), and a comment's score per language is the sum of its
words' log likelihoods plus the log of the language's share in the corpus. The shares are
estimated from the corpus itself (a few rounds of expectation–maximisation), so a one-word
"ok" in a Swedish client's survey counts as Swedish, while a Norwegian sentence still wins
on its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

SUPPORTED = ("sv", "nb", "da", "en")
"""Language codes the detector knows (ISO 639-1; ``nb`` is Norwegian bokmål)."""

FLOOR = 1e-4
"""Smallest word likelihood share used, so one odd word cannot veto a language."""

ROUNDS = 4
"""Expectation–maximisation rounds for the language shares."""


@cache
def _detector(languages: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    by_code = {"sv": Language.SWEDISH, "nb": Language.BOKMAL, "da": Language.DANISH,
               "en": Language.ENGLISH}
    chosen = [by_code[code] for code in languages]
    if len(chosen) == 1:
        return None, chosen
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build(), chosen


def word_log_likelihoods(words: Sequence[str], languages: Sequence[str]) -> np.ndarray:
    """Log likelihood share of each word per language, shape (words, languages).

    Rows are normalised (they are lingua's confidence values), which changes a comment's
    score by the same amount for every language and so does not change its ranking.
    """
    languages = tuple(languages)
    unknown = sorted(set(languages) - set(SUPPORTED))
    if unknown:
        raise ValueError(f"unsupported comment language(s) {unknown}; supported: {list(SUPPORTED)}")
    detector, chosen = _detector(languages)
    if detector is None or not len(words):
        return np.zeros((len(words), len(languages)))
    column = {lang: k for k, lang in enumerate(chosen)}
    share = np.full((len(words), len(languages)), FLOOR)
    for row, values in enumerate(detector.compute_language_confidence_values_in_parallel(list(words))):
        for value in values:
            share[row, column[value.language]] = max(value.value, FLOOR)
    return np.log(share)


def detect(totals: np.ndarray, has_words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Most likely language per comment and the estimated language shares.

    Parameters
    ----------
    totals : (comments, languages) summed word log likelihoods of each comment
    has_words : (comments,) whether a comment has any word (others get -1)

    Returns
    -------
    best : (comments,) column index of the chosen language, -1 when a comment has no words
    shares : (languages,) estimated share of comments per language (0–1)
    """
    k = totals.shape[1]
    shares = np.full(k, 1 / k)
    scored = totals[has_words]
    for _ in range(ROUNDS):
        post = scored + np.log(shares)
        post = np.exp(post - post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        shares = (post.sum(axis=0) + 1) / (len(post) + k)
    best = np.where(has_words, np.argmax(totals + np.log(shares), axis=1), -1)
    return best, shares
