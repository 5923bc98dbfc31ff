"""The label catalogue: the YAML files of ``cxlib/i18n/labels``, loaded once and checked.

Each file maps label keys (``kpi.nps``, ``f01.channel_sig``) to one text per language
(``sv``, ``en``, ``nb``), or to plural forms per language (``{one: …, other: …}``). Texts may
hold ``str.format`` placeholders such as ``{n}``. The files are read on the first lookup
(:func:`labels` is cached); a malformed file, an unknown language or a key defined twice (in
one file or in two) raises :class:`CatalogueError` naming the file and the key.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType

import yaml

from . import LANGUAGES

#: The shipped catalogue: every ``*.yaml`` file in this folder, read in name order.
LABELS_DIR: Traversable = resources.files("cxlib.i18n") / "labels"
#: The plural forms of an entry, in the order the files write them.
PLURAL_FORMS = ("one", "other")
#: Where a language looks for a text it lacks: Norwegian reads Swedish (closer to bokmål than
#: English is), then English; any other language reads English.
FALLBACK: Mapping[str, tuple[str, ...]] = MappingProxyType({"sv": ("sv", "en"), "en": ("en",),
                                                            "nb": ("nb", "sv", "en")})

Text = str | Mapping[str, str]
"""One language's text: a string, or plural forms ``{"one": …, "other": …}``."""
Entry = Mapping[str, Text]
"""A label: language → text."""


class CatalogueError(ValueError):
    """A label file is malformed, or a key is defined twice."""


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last).

    It builds on libyaml's loader where PyYAML has it, which parses the label files several times faster.
    """

    def construct_mapping(self, node, deep=False):
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is defined twice (lines {seen[key]} and "
                                f"{key_node.start_mark.line + 1})", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _check_entry(file: str, key: object, entry: object) -> dict[str, Text]:
    """The entry ``key`` of ``file`` as plain data, or :class:`CatalogueError` saying what is wrong."""
    where = f"{file}: {key!r}"
    if not isinstance(key, str) or not key or " " in key:
        raise CatalogueError(f"{where}: a key is text without spaces, e.g. kpi.nps")
    if not isinstance(entry, dict) or not entry:
        raise CatalogueError(f"{where}: expected a mapping of languages ({', '.join(LANGUAGES)}) to texts")
    out: dict[str, Text] = {}
    for lang, text in entry.items():
        if lang not in LANGUAGES:
            raise CatalogueError(f"{where}: unknown language {lang!r}; languages are {', '.join(LANGUAGES)}")
        if isinstance(text, dict):
            if set(text) != set(PLURAL_FORMS) or not all(isinstance(v, str) and v for v in text.values()):
                raise CatalogueError(f"{where}: the plural forms of {lang} must be exactly one and other, as text")
            out[lang] = MappingProxyType({form: text[form] for form in PLURAL_FORMS})
        elif isinstance(text, str) and text:
            out[lang] = text
        else:
            raise CatalogueError(f"{where}: the {lang} text must be non-empty text or plural forms")
    kinds = {isinstance(text, Mapping) for text in out.values()}
    if len(kinds) > 1:
        raise CatalogueError(f"{where}: either every language has plural forms or none has")
    return out


def read_file(path: Traversable | Path) -> dict[str, dict[str, Text]]:
    """The entries of one label file.

    Parameters
    ----------
    path : Traversable or pathlib.Path
        A YAML file mapping keys to entries.

    Returns
    -------
    dict
        Key → language → text (or plural forms), in the file's order.

    Raises
    ------
    CatalogueError
        The file is not valid YAML, not a mapping, defines a key twice, or an entry is
        malformed; the message names the file (and the key or line).
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not a valid label file: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected a mapping of label keys to entries")
    return {key: _check_entry(path.name, key, entry) for key, entry in data.items()}


def load(directory: Traversable | Path) -> Mapping[str, Entry]:
    """Every entry of the ``*.yaml`` files in ``directory``.

    Parameters
    ----------
    directory : Traversable or pathlib.Path
        The folder of label files.

    Returns
    -------
    Mapping
        Key → entry (read-only), in file-name order, then file order.

    Raises
    ------
    CatalogueError
        A file is malformed (see :func:`read_file`), or a key is defined in two files.
    """
    out: dict[str, Entry] = {}
    origin: dict[str, str] = {}
    for path in sorted((p for p in directory.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name):
        for key, entry in read_file(path).items():
            if key in origin:
                raise CatalogueError(f"{path.name}: {key!r} is already defined in {origin[key]}")
            origin[key] = path.name
            out[key] = MappingProxyType(entry)
    return MappingProxyType(out)


@functools.cache
def labels() -> Mapping[str, Entry]:
    """The shipped catalogue (:data:`LABELS_DIR`), read on first use.

    Returns
    -------
    Mapping
        Key → entry, read-only.
    """
    return load(LABELS_DIR)


def lookup(entry: Entry, lang: str) -> Text:
    """The text of ``entry`` in ``lang``, or in its fallback (:data:`FALLBACK`).

    Parameters
    ----------
    entry : Mapping
        One entry of :func:`labels`.
    lang : str
        Report language.

    Returns
    -------
    str or Mapping
        The text, or the plural forms.

    Raises
    ------
    KeyError
        Neither ``lang`` nor a language it falls back to has a text.
    """
    for candidate in FALLBACK.get(lang, ("en",)):
        if candidate in entry:
            return entry[candidate]
    raise KeyError(f"no text in {lang} or its fallback languages")


def is_plural(key: str) -> bool:
    """Whether the label ``key`` has plural forms (look it up with ``t_n``).

    Parameters
    ----------
    key : str
        Label key.

    Returns
    -------
    bool

    Raises
    ------
    KeyError
        No such key.
    """
    return isinstance(next(iter(labels()[key].values())), Mapping)


def render(key: str, lang: str, fmt: Mapping[str, object]) -> str:
    """The label ``key`` in ``lang`` with its placeholders filled from ``fmt``.

    Parameters
    ----------
    key : str
        Label key.
    lang : str
        Report language (with the fallbacks of :data:`FALLBACK`).
    fmt : Mapping
        Placeholder values; when empty, the text is returned as written (braces included).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        No such key.
    TypeError
        The label has plural forms (use :func:`render_plural`).
    """
    text = lookup(labels()[key], lang)
    if isinstance(text, Mapping):
        raise TypeError(f"the label {key!r} has plural forms; look it up with t_n(key, n, lang)")
    return text.format(**fmt) if fmt else text


def plural_form(n: float) -> str:
    """The plural form for the count ``n`` in sv, en and nb.

    Parameters
    ----------
    n : float
        The count.

    Returns
    -------
    str
        ``one`` for 1, else ``other`` (0, 2, 1.5 …), as in all three languages.
    """
    return "one" if n == 1 else "other"


def render_plural(key: str, n: float, lang: str, fmt: Mapping[str, object]) -> str:
    """The plural label ``key`` in ``lang`` for the count ``n``, formatted with ``n`` and ``fmt``.

    Parameters
    ----------
    key : str
        Key of a label with plural forms.
    n : float
        The count that picks the form.
    lang : str
        Report language (with the fallbacks of :data:`FALLBACK`).
    fmt : Mapping
        Placeholder values; it may give its own ``n`` (a formatted count such as ``1 234``),
        otherwise ``n`` itself fills ``{n}``.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        No such key.
    TypeError
        The label has no plural forms (use :func:`render`).
    """
    forms = lookup(labels()[key], lang)
    if not isinstance(forms, Mapping):
        raise TypeError(f"the label {key!r} has no plural forms; look it up with t(key, lang)")
    return forms[plural_form(n)].format(**{"n": n, **fmt})
