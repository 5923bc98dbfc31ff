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

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator, model_validator

from ..config import CommentLanguage, Identifier
from ..errors import InputError, Problem
from ..io.yamlfile import read_yaml

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


class ThemeSpec(BaseModel):
    """One theme as written in ``themes.yaml``: all keys optional, no others allowed.

    Validated with the context ``{"departments": ids}``, the owner must be one of those ids.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: dict[CommentLanguage, str] = Field(default_factory=dict)
    stems: dict[CommentLanguage, list[str]] = Field(default_factory=dict)
    owner: Identifier | None = None

    @model_validator(mode="before")
    @classmethod
    def _is_mapping(cls, value):
        if value is not None and not isinstance(value, (dict, ThemeSpec)):
            raise ValueError("a theme: a mapping with the keys label, stems and owner")
        return value

    @field_validator("owner")
    @classmethod
    def _known_department(cls, owner: str | None, info: ValidationInfo):
        departments = (info.context or {}).get("departments")
        if owner is not None and departments and owner not in departments:
            raise ValueError(f"one of the department ids in client.yaml: {', '.join(departments)}")
        return owner


THEME_SPECS = TypeAdapter(dict[Identifier, ThemeSpec | None])
"""The layout of ``themes.yaml``: theme id → :class:`ThemeSpec` (empty: nothing to add)."""

THEME_HINTS = {
    "label": "label: a mapping of language code (sv, en, nb or da) to the theme's name in that language, as text",
    "stems": "stems: a mapping of language code (sv, en, nb or da) to a list of words (lines starting with '- ')",
    "owner": "owner: one department id, as listed under departments in client.yaml",
}
"""What each key of a theme holds, in the words of a problem."""


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
    return yaml.safe_load(resources.files("cxlib.text").joinpath("data", name).read_text("utf-8"))


def _all_languages(by_lang: Mapping[str, Iterable]) -> list:
    return [item for items in by_lang.values() for item in items or ()]


@cache
def default_taxonomy() -> tuple[Theme, ...]:
    """The shipped multilingual taxonomy (``cxlib/text/data/themes.yaml``)."""
    return parse_taxonomy(_read_default("themes.yaml"))


def parse_taxonomy(raw: Mapping, base: Iterable[Theme] = ()) -> tuple[Theme, ...]:
    """Themes from the layout of ``themes.yaml``, extending ``base``.

    Parameters
    ----------
    raw : mapping
        Theme id → theme (:class:`ThemeSpec` or the plain mapping it validates).
    base : iterable of Theme
        The themes to extend. A theme already in ``base`` keeps its stems and gains the
        new ones; labels and owner given in ``raw`` replace the base ones. New theme ids
        are appended.

    Returns
    -------
    tuple of Theme

    Raises
    ------
    pydantic.ValidationError
        ``raw`` is not in that layout (:func:`load_taxonomy` reports it as problems).
    """
    themes = {t.id: t for t in base}
    for theme_id, spec in THEME_SPECS.validate_python(raw).items():
        spec = spec or ThemeSpec()
        old = themes.get(theme_id)
        stems = tuple(dict.fromkeys((*(old.stems if old else ()), *map(normalise, _all_languages(spec.stems)))))
        label = {**(old.label if old else {}), **spec.label}
        owner = spec.owner if "owner" in spec.model_fields_set or old is None else old.owner
        themes[theme_id] = Theme(theme_id, label, stems, owner)
    return tuple(themes.values())


@cache
def default_sentiment() -> SentimentLexicon:
    """The shipped sentiment lexicon (``cxlib/text/data/sentiment.yaml``)."""
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


def load_taxonomy(path: str | Path, departments: Collection[str] = ()) -> tuple[Theme, ...]:
    """The default taxonomy extended by the YAML file at ``path`` (a workspace's ``themes.yaml``).

    Parameters
    ----------
    path : str or Path
        The file, read as :func:`cxlib.io.yamlfile.read_yaml` says; a missing or empty file
        gives the default taxonomy.
    departments : collection of str
        The department ids of client.yaml; when given, every owner must be one of them.

    Returns
    -------
    tuple of Theme

    Raises
    ------
    InputError
        Every problem in the file, each naming the line, key path (``billing.stems.sv``),
        value and what was expected.
    """
    path = Path(path)
    if not path.is_file():
        return default_taxonomy()
    document = read_yaml(path)
    if document.data is None:
        return default_taxonomy()
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__
        raise InputError([Problem(document.file, None, None, kind, "a mapping of theme id to theme")])
    validator = partial(THEME_SPECS.validate_python, context={"departments": list(departments)})
    specs = document.validate(validator, THEME_HINTS, keys_listed_in="docs/input-contract.md")
    return parse_taxonomy(specs, default_taxonomy())
