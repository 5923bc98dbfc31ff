"""Word-stem lexicons for comment themes and sentiment, with compound-word awareness.

A stem matches a lower-case word when

* the word is ``stem + ending`` with an inflection ending from :data:`ENDINGS`
  (``faktura`` → ``fakturan``, ``kö`` → ``kön``);
* the word is ``head + stem + ending``, a compound whose last part is the stem, with a
  head of two letters or more that is not a prefix such as ``för`` (``räkning`` →
  ``elräkningen``, ``app`` → ``mobilappen``, but not ``vänta`` → ``förväntan``);
* the stem has 5 letters or more and starts the word (``vänta`` → ``väntade``,
  ``faktura`` → ``fakturafelet``), or 6 or more and sits anywhere after a head
  (``faktura`` → ``elfakturafel``).

Stems of six letters or more also match as typed without Nordic letters (``vantade``,
``fornoyd``).
Short stems therefore never match inside unrelated words (``app`` does not match
``happy``, ``kö`` does not match ``köpa``). Stems of several words (``mina sidor``,
``fungerar inte``) are phrases: every word but the last must match exactly, the last one
by the rules above. Lexicons are matched once per distinct word of a corpus, not once per
comment, which is what makes the text pipeline fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from .errors import InputError, Problem

V = TypeVar("V")

ENDINGS = frozenset(
    ["", "s", "a", "e", "n", "t", "r", "d", "en", "et", "er", "ar", "or", "na", "ne", "es", "ed",
     "ad", "at", "de", "te", "as", "ens", "ets", "ene", "ers", "ing", "ade", "ande", "ende",
     "erna", "arna", "orna", "erne", "ings", "are", "ere", "est", "ast", "aste", "este"]
)
"""Inflection endings (and comparatives) of Swedish, Norwegian, Danish and English accepted after a
short stem."""

PREFIX_MIN = 5
"""A stem this long matches any word it starts (derivations and compound heads)."""

INFIX_MIN = 6
"""A stem this long matches inside a compound after a head of two letters or more."""

FOLD_MIN = 6
"""Stems this long also match typed without Nordic letters (shorter ones collide: svår/svar, dör/dor)."""

HEAD_MIN = 2
"""Shortest compound head (``el`` in ``elräkning``)."""

PREFIXES = frozenset(["an", "be", "för", "for", "ut", "upp", "opp", "om", "till", "til", "miss", "mis",
                      "van", "re", "un", "dis", "in", "over", "under", "över"])
"""Derivational prefixes that are not compound heads (``an+svar``, ``för+väntan``)."""


def normalise(stem: str) -> str:
    """Lower-case a stem and turn hyphens into word breaks (``e-faktura`` → ``e faktura``)."""
    return " ".join(stem.lower().replace("-", " ").split())


_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae"})


def fold(stem: str) -> str:
    """The stem as typed without Nordic letters (``väntade`` → ``vantade``)."""
    return stem.lower().translate(_FOLD)


@dataclass(frozen=True)
class Match(Generic[V]):
    """A stem found in a word: the stem (as written, normalised) and its value."""

    stem: str
    value: V


class StemIndex(Generic[V]):
    """Finds the stems a word matches; built once from ``{stem: value}``.

    ``compounds=False`` keeps to the start of words (stem + ending, or a long stem as a
    prefix): sentiment needs it, since ``löst`` (solved) ends ``strömlöst`` (without power).

    Phrases (stems with spaces) are kept apart in :attr:`phrases` as word tuples; use
    :meth:`match_word` for their words.
    """

    def __init__(self, stems: Mapping[str, V], compounds: bool = True):
        self.words: dict[str, V] = {}
        self.phrases: dict[tuple[str, ...], V] = {}
        self.compounds = compounds
        folded = {fold(s): v for s, v in stems.items() if len(s) >= FOLD_MIN}
        for stem, value in {**folded, **stems}.items():
            parts = tuple(normalise(stem).split())
            if len(parts) == 1:
                self.words[parts[0]] = value
            elif parts:
                self.phrases[parts] = value
        self._longest = max(map(len, self.words), default=0)

    def matches(self, word: str) -> list[Match[V]]:
        """Every single-word stem matching ``word``, longest first."""
        found = []
        n = len(word)
        for i in range(n if self.compounds else 1):
            if i and not _is_head(word[:i]):
                continue
            for j in range(min(n, i + self._longest), i, -1):
                stem = word[i:j]
                if stem in self.words and _accepts(stem, i, word[j:]):
                    found.append(Match(stem, self.words[stem]))
        return sorted(found, key=lambda m: -len(m.stem))

    def match_word(self, word: str, stem: str) -> bool:
        """Whether ``word`` matches the one-word ``stem`` by the rules of this module."""
        if word == stem:
            return True
        for i in range(len(word) - len(stem) + 1 if self.compounds else 1):
            if (i == 0 or _is_head(word[:i])) and word.startswith(stem, i) and _accepts(
                    stem, i, word[i + len(stem):]):
                return True
        return False


def _is_head(head: str) -> bool:
    return len(head) >= HEAD_MIN and head not in PREFIXES


def _accepts(stem: str, head: int, rest: str) -> bool:
    if rest in ENDINGS:
        return True
    return len(stem) >= (PREFIX_MIN if head == 0 else INFIX_MIN)


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy: id, labels per language, stems and owning department."""

    id: str
    label: Mapping[str, str]
    stems: tuple[str, ...]
    owner: str | None = None

    def name(self, lang: str) -> str:
        """Display label in ``lang`` (English, then the id, when missing)."""
        return self.label.get(lang) or self.label.get("en") or self.id


@dataclass(frozen=True)
class SentimentLexicon:
    """Weighted sentiment stems plus the words that steer them (see ``data/sentiment.yaml``)."""

    weights: Mapping[str, float]
    negators: frozenset[str]
    contrast: frozenset[str]
    conjunctions: frozenset[str]
    intensifiers: frozenset[str]
    contrast_weight: float
    intensifier_weight: float


def _read_default(name: str) -> dict:
    return yaml.safe_load(resources.files("cxlib").joinpath("data", name).read_text("utf-8"))


def _all_languages(by_lang: Mapping[str, Iterable]) -> list:
    return [item for items in by_lang.values() for item in items or ()]


@cache
def default_taxonomy() -> tuple[Theme, ...]:
    """The shipped multilingual taxonomy (``cxlib/data/themes.yaml``)."""
    return parse_taxonomy(_read_default("themes.yaml"))


def parse_taxonomy(raw: Mapping, base: Iterable[Theme] = ()) -> tuple[Theme, ...]:
    """Themes from the YAML layout of ``themes.yaml``, extending ``base``.

    A theme already in ``base`` keeps its stems and gains the new ones; labels and owner
    given in ``raw`` replace the base ones. New theme ids are appended.
    """
    themes = {t.id: t for t in base}
    for theme_id, spec in raw.items():
        spec = spec or {}
        old = themes.get(theme_id)
        stems = tuple(dict.fromkeys((*(old.stems if old else ()),
                                     *map(normalise, _all_languages(spec.get("stems") or {})))))
        label = {**(old.label if old else {}), **(spec.get("label") or {})}
        owner = spec.get("owner", old.owner if old else None)
        themes[theme_id] = Theme(str(theme_id), label, stems, owner)
    return tuple(themes.values())


@cache
def default_sentiment() -> SentimentLexicon:
    """The shipped sentiment lexicon (``cxlib/data/sentiment.yaml``)."""
    raw = _read_default("sentiment.yaml")
    weights: dict[str, float] = {}
    for by_weight in raw["terms"].values():
        for weight, stems in by_weight.items():
            for stem in stems:
                weights[normalise(stem)] = float(weight)

    def words(key: str) -> frozenset[str]:
        return frozenset(map(normalise, _all_languages(raw[key])))

    return SentimentLexicon(weights, words("negators"), words("contrast"), words("conjunctions"), words("intensifiers"),
                            float(raw["contrast_weight"]), float(raw["intensifier_weight"]))


def load_taxonomy(path: str | Path) -> tuple[Theme, ...]:
    """The default taxonomy extended by the YAML file at ``path`` (a workspace's ``themes.yaml``).

    A missing file gives the default; a malformed one raises :class:`InputError`.
    """
    path = Path(path)
    if not path.is_file():
        return default_taxonomy()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(path.name, mark.line + 1 if mark else None, None, None,
                                  f"valid YAML ({getattr(exc, 'problem', exc)})")]) from None
    problems = []
    if not isinstance(raw, dict):
        problems.append(Problem(path.name, None, None, type(raw).__name__, "a mapping of theme id to theme"))
    else:
        for theme_id, spec in raw.items():
            stems = (spec or {}).get("stems", {}) if isinstance(spec, dict) else None
            if not isinstance(spec, dict) or not isinstance(stems, dict) or not all(
                    isinstance(v, list) and all(isinstance(s, str) for s in v) for v in stems.values()):
                problems.append(Problem(path.name, None, None, f"{theme_id}: {repr(spec)[:80]}",
                                        "theme id: {label: {sv: …}, stems: {sv: [word, …]}, owner: department id}"))
    if problems:
        raise InputError(problems)
    return parse_taxonomy(raw, default_taxonomy())
