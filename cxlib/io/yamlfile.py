"""Read a workspace YAML file (client.yaml, themes.yaml, workshop/*.yaml) into plain data.

Every such file goes through :func:`read_yaml`, so a careless or hostile file gives
:class:`~cxlib.errors.Problem` records naming the file and line, never a traceback or a hang:

* the bytes are decoded as tables are (:func:`cxlib.io.read.to_utf8`): UTF-8 with or without
  BOM, else cp1252; UTF-16 text and control bytes are refused;
* anchors and aliases (``&name`` / ``*name``), explicit tags (``!!int``) and nesting deeper
  than :data:`MAX_DEPTH` are refused from the parser's event stream before anything is
  composed, so an alias bomb ("billion laughs") is refused at its first anchor and deep
  nesting never reaches the recursive composer;
* dates stay text: the pydantic model that validates the data parses them and reports a
  bad one at its line (PyYAML's own timestamp constructor crashes on ``2025-13-45``);
* syntax errors name the line.

:meth:`YamlDocument.validate` turns a failed pydantic validation of the data into problems
located at the line of each offending key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..errors import InputError, Problem
from .read import to_utf8

T = TypeVar("T")

MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted (levels); workspace files need five at most."""

_STANDARD_TAG = "tag:yaml.org,2002:"
"""What PyYAML expands the tag handle ``!!`` to."""
_TIMESTAMP = _STANDARD_TAG + "timestamp"


class _PlainLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` that leaves dates as text and reports unreadable numbers.

    A plain scalar PyYAML resolves as a number but cannot convert (``0x_``) raises a
    :class:`yaml.constructor.ConstructorError` at its line instead of a bare ``ValueError``.
    """

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from None


#: Plain wording for pydantic's error types; other types keep pydantic's own message.
_EXPECTED = {
    "extra_forbidden": "no such key (check the spelling)",
    "missing": "this key (it is required)",
    "float_parsing": "a number, e.g. 85 or 0.8",
    "float_type": "a number, e.g. 85 or 0.8",
    "int_parsing": "a whole number",
    "date_parsing": "a date like 2025-01-31",
    "date_from_datetime_parsing": "a date like 2025-01-31",
    "date_type": "a date like 2025-01-31",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "tuple_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
}

_KEY = "[key]"
"""The part pydantic appends to the location of an error in a mapping's key."""


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file as read.

    Attributes
    ----------
    file : str
        The file's name as problems show it (e.g. ``workshop/desired_state.yaml``).
    data : object
        The content as plain Python data: dicts, lists, ``str``, ``int``, ``float``,
        ``bool`` and ``None`` (dates are ``str``); ``None`` for an empty file.
    node : yaml.Node or None
        The composed YAML node of the content, which knows the line of every key.
    """

    file: str
    data: object
    node: yaml.Node | None

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the value at key path ``loc``.

        Parameters
        ----------
        loc : sequence of str or int
            Mapping keys and list positions from the top, as in a pydantic error location.

        Returns
        -------
        int or None
            The 1-based line of the deepest key or list item of ``loc`` present in the
            file; ``None`` when not even the first one is.
        """
        node, line = self.node, None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((kv for kv in node.value if kv[0].value == str(part)), None)
                if match is None:
                    break
                line = match[0].start_mark.line + 1
                node = match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def validate(self, validator: Callable[[object], T], hints: Mapping[str, str] | None = None,
                 keys_listed_in: str | None = None) -> T:
        """Validate :attr:`data` with a pydantic validator; its errors become problems at their lines.

        Parameters
        ----------
        validator : callable
            A pydantic validation of plain data, e.g. ``Model.model_validate`` or
            ``TypeAdapter(...).validate_python``.
        hints : mapping of str to str, optional
            What is expected, in plain words, of the value at a key of this name and of
            everything inside it. Replaces pydantic's wording, but not the messages of the
            workbook's own validators (``ValueError`` ones), which are specific already.
        keys_listed_in : str, optional
            Where the user finds the valid keys (e.g. ``docs/input-contract.md``), named
            in the problem of an unknown key.

        Returns
        -------
        object
            What ``validator`` returns.

        Raises
        ------
        InputError
            One problem per pydantic error: file, line, dotted key path (``channels[0].id``),
            the offending value and what was expected.
        """
        try:
            return validator(self.data)
        except ValidationError as exc:
            problems = [self._problem(error, hints or {}, keys_listed_in) for error in exc.errors()]
        raise InputError(problems)

    def _problem(self, error: Mapping, hints: Mapping[str, str], keys_listed_in: str | None) -> Problem:
        loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-"))]
        hint = next((hints[part] for part in reversed(loc) if isinstance(part, str) and part in hints), None)
        if error["type"] == "value_error":
            expected = error["msg"].removeprefix("Value error, ")
        elif error["type"] == "missing":
            expected = _EXPECTED["missing"] + (f": {hint}" if hint else "")
        elif hint is not None:
            expected = hint
        elif error["type"] == "extra_forbidden" and keys_listed_in:
            expected = f"no such key (check the spelling; the keys are listed in {keys_listed_in})"
        elif error["type"] == "literal_error":
            expected = "one of " + error["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        else:
            expected = _EXPECTED.get(error["type"], error["msg"])
        return Problem(self.file, self.line_of(loc), _dotted(loc), _shown(error), expected)


def validate_with_key_errors(handler: Callable, value, expected_by_key: Mapping[str, tuple[object, str]]):
    """``handler(value)`` (a wrap validator's inner validation), raising its errors and one per key of
    ``expected_by_key`` (:func:`errors_at_keys`) together, so that every problem is reported at once.
    """
    extra = errors_at_keys(expected_by_key).errors() if expected_by_key else []
    try:
        validated = handler(value)
    except ValidationError as exc:
        inner = exc.errors()
    else:
        inner = []
    if not inner and not extra:
        return validated
    def detail(error: dict) -> InitErrorDetails:
        context = error.get("ctx", {})
        kind = (PydanticCustomError("value_error", "{expected}", context)  # one of errors_at_keys
                if error["type"] == "value_error" and "expected" in context else error["type"])
        return InitErrorDetails(type=kind, loc=error["loc"], input=error["input"],
                                **({"ctx": context} if context else {}))

    details = [detail(error) for error in [*inner, *extra]]
    raise ValidationError.from_exception_data("invalid keys", details)


def errors_at_keys(expected_by_key: Mapping[str, tuple[object, str]]) -> ValidationError:
    """A pydantic error per key of a mapping, for a validator of the whole mapping to raise.

    Raised in a validator of a mapping field, each error is located at its key
    (``targets.csat``), so :meth:`YamlDocument.validate` reports it at that key's line.

    Parameters
    ----------
    expected_by_key : mapping of str (or tuple of str) to (object, str)
        Offending key → (the value to show, what is expected, in plain words); a tuple is the
        path of a key in a nested mapping.

    Returns
    -------
    pydantic.ValidationError
    """
    # the text goes in as context, so that braces in a user's key are no template
    return ValidationError.from_exception_data("invalid keys", [
        InitErrorDetails(type=PydanticCustomError("value_error", "{expected}", {"expected": expected}),
                         loc=key if isinstance(key, tuple) else (key,), input=value)
        for key, (value, expected) in expected_by_key.items()
    ])


def read_yaml(path: str | Path, file: str | None = None) -> YamlDocument:
    """Read one workspace YAML file safely (see the module docstring for what is refused).

    Parameters
    ----------
    path : str or Path
        The file; the caller checks that it exists.
    file : str, optional
        The file's name as problems show it; default: the file name of ``path``.

    Returns
    -------
    YamlDocument
        The content as plain data and as a composed node (for line numbers).

    Raises
    ------
    InputError
        The file cannot be read or decoded, is not valid YAML (the problem names the
        line), or holds anchors, aliases, tags or more than :data:`MAX_DEPTH` levels.
    """
    path = Path(path)
    file = file or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(file, None, None, None, f"a readable file ({exc.strerror})")]) from None
    text = to_utf8(raw, file, save_as="UTF-8")[0].decode("utf-8")
    try:
        _refuse_unsafe_events(text, file)
        loader = _PlainLoader(text)
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, _error_line(exc, text), None, None, f"valid YAML ({_reason(exc)})")]) from None
    return YamlDocument(file, data, node)


def _refuse_unsafe_events(text: str, file: str) -> None:
    """Raise :class:`InputError` at the first anchor, alias, tag or too deep level of ``text``.

    Reads the parser's events one by one, so it stops at the first offence without
    composing or expanding anything.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_PlainLoader):
        refusal = None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            refusal = "no YAML anchors or aliases (&name / *name); write the values out"
        elif getattr(event, "tag", None) is not None:
            refusal = f"no YAML tags ({event.tag.replace(_STANDARD_TAG, '!!')}); write plain values"
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                refusal = f"at most {MAX_DEPTH} levels of nested mappings and lists"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if refusal:
            raise InputError([Problem(file, event.start_mark.line + 1, None, None, refusal)])


def _error_line(exc: yaml.YAMLError, text: str) -> int | None:
    """The 1-based line a PyYAML error points at (``None`` if it points nowhere)."""
    if isinstance(exc, yaml.reader.ReaderError):
        return text.count("\n", 0, exc.position) + 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark else None


def _reason(exc: yaml.YAMLError) -> str:
    """PyYAML's reason for an error, without its location (which the problem shows)."""
    if isinstance(exc, yaml.reader.ReaderError):
        return f"{exc.reason}: character U+{exc.character:04X}"
    parts = [getattr(exc, name, None) for name in ("context", "problem")]
    return ", ".join(part for part in parts if part) or str(exc)


def _shown(error: Mapping) -> str | None:
    """The offending value as a problem shows it: long text shortened; a mapping or list
    by its kind, and only when the kind is what is wrong; nothing for a missing value.
    """
    value = error.get("input")
    if error["type"] == "missing" or value is None:
        return None
    if isinstance(value, (dict, list)):
        return ("mapping" if isinstance(value, dict) else "list") if error["type"].endswith("_type") else None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc: Sequence[str | int]) -> str:
    """A key path as written in problems: ``channels[0].opening_hours``."""
    out = ""
    for part in loc:
        if part == _KEY:
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
