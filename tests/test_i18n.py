"""The label catalogue (cxlib/i18n/labels/*.yaml) against the code that uses it, and number formats.

A key is *used* when the source of cxlib or of a notebook passes it to ``t``, ``t_n``,
``Format.label``/``plural`` (or a local ``label``) or ``View.finding``, names it in a column spec
``(column, key, unit)``, or when it belongs to a family of :data:`cxlib.i18n.FAMILIES` (keys
built at run time: ``f"dim.{by}"``, ``family_key("gap", status)``), expanded from the
constants that list the family's members. Every used key must exist, every key in the files
must be used, and every key built at run time must belong to a registered family.
"""

from __future__ import annotations

import ast
import json
import re
import string
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cxlib.i18n import (FAMILIES, LANGUAGES, CatalogueError, Format, family_key, family_members, fmt_number,
                        fmt_p, fmt_value, is_plural, kpi_label, labels, t, t_n)
from cxlib.i18n.catalogue import LABELS_DIR, PLURAL_FORMS, load, lookup
from conftest import ROOT

KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
UNIT = re.compile(r"^(text|p|flag|count|share|share_change|points|points_change|fte|score|seconds|currency"
                  r"|kpis|label:[a-z0-9_.]+)(\+ci)?$")
LOOKUPS = {"t", "t_n", "label", "plural"}
PLURAL_LOOKUPS = {"t_n", "plural"}
#: Keywords of :meth:`cxlib.steps.base.View.finding` that are not placeholders.
FINDING_ARGUMENTS = {"estimate", "kpi", "count"}
MAX_LINE = 120


def _names(target: ast.AST) -> list[str]:
    """The names an assignment target binds (not those read in ``x[key] = …``)."""
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


@dataclass
class Usage:
    """What the scanned source does with label keys."""

    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # literal key → where
    families: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # dynamic prefix → where
    unknown: list[str] = field(default_factory=list)  # keys built at run time from no readable prefix
    calls: list[tuple[str, str, set[str], set[str] | None, str]] = field(default_factory=list)
    """(lookup, where, candidate keys, keyword names or None for ``**fmt``, dynamic prefixes as text)."""

    def scan(self, source: str, where: str) -> None:
        tree = ast.parse(source)
        parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

        def scopes(node: ast.AST) -> list[ast.AST]:
            """The functions around ``node``, innermost first, then the module."""
            out = []
            while node in parent:
                node = parent[node]
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out.append(node)
            return [*out, tree]

        values: dict[tuple[ast.AST, str], list[ast.AST]] = defaultdict(list)  # (scope, name) → bound expressions
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                bound = [(name, node.value) for target in node.targets for name in _names(target)]
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                bound = [(name, node.value) for name in _names(node.target)]
            elif isinstance(node, ast.For):
                bound = [(name, node.iter) for name in _names(node.target)]
            elif isinstance(node, ast.comprehension):
                bound = [(name, node.iter) for name in _names(node.target)]
            else:
                continue
            scope = scopes(node)[0]
            for name, value in bound:
                values[scope, name].append(value)

        def visit(expr: ast.AST, seen: frozenset, found: set[str], prefixes: set[str], line: str) -> None:
            if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                if KEY.match(expr.value):
                    found.add(expr.value)
            elif isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add)
                                                     and isinstance(expr.left, ast.Constant)):
                head = expr.values[0] if isinstance(expr, ast.JoinedStr) else expr.left
                text = head.value if isinstance(head, ast.Constant) and isinstance(head.value, str) else ""
                if text.endswith(".") and KEY.match(text + "x"):
                    prefixes.add(text[:-1])
                else:
                    self.unknown.append(f"{line}: {ast.unparse(expr)}")
            elif isinstance(expr, ast.Call) and _callee(expr) == "family_key":
                if expr.args and isinstance(expr.args[0], ast.Constant):
                    prefixes.add(expr.args[0].value)
                # else: the prefix is a variable; family_key refuses an unregistered one at run time
            elif isinstance(expr, ast.Name):
                if expr.id not in seen:
                    scope = next((s for s in scopes(expr) if (s, expr.id) in values), None)
                    bound = values.get((scope, expr.id), [])
                    before = [v for v in bound if v.lineno <= expr.lineno]
                    if scope is not tree and before:  # in a function: the latest binding before the use
                        bound = [v for v in before if v.lineno == max(b.lineno for b in before)]
                    for value in bound:
                        visit(value, seen | {expr.id}, found, prefixes, line)
            elif not isinstance(expr, ast.Lambda):
                for child in ast.iter_child_nodes(expr):
                    visit(child, seen, found, prefixes, line)

        for node in ast.walk(tree):
            line = f"{where}:{getattr(node, 'lineno', '?')}"
            found: set[str] = set()
            prefixes: set[str] = set()
            if isinstance(node, ast.Call) and _callee(node) in LOOKUPS and node.args:
                visit(node.args[0], frozenset(), found, prefixes, line)
                keywords = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                self.calls.append((_callee(node), line, set(found), keywords, ",".join(sorted(prefixes))))
            elif isinstance(node, ast.Call) and _callee(node) == "finding" and len(node.args) >= 2:
                # View.finding(id, key, estimate=…, kpi=…, count=…, **placeholders): t, or t_n with a count
                visit(node.args[1], frozenset(), found, prefixes, line)
                given = {k.arg for k in node.keywords}
                keywords = None if None in given else given - FINDING_ARGUMENTS
                self.calls.append(("t_n" if "count" in given else "t", line, set(found), keywords,
                                   ",".join(sorted(prefixes))))
            elif (isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[2], ast.Constant)
                  and isinstance(node.elts[2].value, str) and UNIT.match(node.elts[2].value)):
                visit(node.elts[1], frozenset(), found, prefixes, line)
                unit = node.elts[2].value.removesuffix("+ci")
                if unit.startswith("label:"):
                    prefixes.add(unit.removeprefix("label:"))
            for key in found:
                self.keys[key].add(line)
            for prefix in prefixes:
                self.families[prefix].add(line)


def _sources():
    for path in sorted((ROOT / "cxlib").rglob("*.py")):
        yield path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"), str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def usage() -> Usage:
    found = Usage()
    for source, where in _sources():
        found.scan(source, where)
    return found


def _family_keys(prefix: str) -> set[str]:
    return {family_key(prefix, member) for member in family_members(prefix)}


@pytest.fixture(scope="module")
def used(usage) -> dict[str, set[str]]:
    """Every used key → where (literal uses, and families wherever they are built)."""
    out = defaultdict(set, {k: set(v) for k, v in usage.keys.items()})
    for prefix in FAMILIES:
        for key in _family_keys(prefix):
            out[key] |= usage.families.get(prefix, {f"FAMILIES[{prefix!r}]"})
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _texts(entry) -> dict[str, str]:
    """Language (and plural form) → text of one entry."""
    out = {}
    for lang, text in entry.items():
        forms = text if isinstance(text, dict) or hasattr(text, "keys") else {"": text}
        out.update({f"{lang}.{form}".rstrip("."): value for form, value in forms.items()})
    return out


def test_the_scan_finds_the_ways_keys_are_used(usage):
    assert {"report.analysing_comments", "col.needed", "f01.channel_few", "f03.trend_ns", "dim.overall",
            "col.current"} <= set(usage.keys)  # notebook call, column spec, dict.get, variable, loop tuple
    assert {"dim", "verdict", "rec", "kpi", "f03.compare", "missing", "loop"} <= set(usage.families)


def test_every_key_built_at_run_time_belongs_to_a_registered_family(usage):
    assert usage.unknown == []
    assert sorted(set(usage.families) - set(FAMILIES)) == []
    for prefix in FAMILIES:
        assert family_members(prefix), prefix


def test_every_used_key_exists_in_swedish_and_english(used):
    catalogue = labels()
    missing = {key: sorted(where)[:3] for key, where in used.items() if key not in catalogue}
    assert missing == {}
    incomplete = [key for key in used if not {"sv", "en"} <= set(catalogue[key])]
    assert incomplete == []


def test_norwegian_falls_back_for_few_keys(record_property):
    falls_back = sorted(key for key, entry in labels().items() if "nb" not in entry)
    record_property("nb_fallbacks", len(falls_back))
    if falls_back:
        warnings.warn(f"{len(falls_back)} of {len(labels())} labels have no Norwegian text and fall back to "
                      f"Swedish: {', '.join(falls_back)}", stacklevel=1)
    assert len(falls_back) <= len(labels()) // 10, falls_back


def test_every_key_in_the_files_is_used(used):
    assert sorted(set(labels()) - set(used)) == []


def test_placeholders_agree_between_languages_and_forms():
    for key, entry in labels().items():
        fields = {name: _fields(text) for name, text in _texts(entry).items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)


def test_plural_entries_have_one_and_other_in_every_language():
    for key, entry in labels().items():
        if is_plural(key):
            assert set(entry) == set(LANGUAGES), key
            assert all(tuple(forms) == PLURAL_FORMS for forms in entry.values()), key


def test_lookups_fill_exactly_the_placeholders_of_their_labels(usage):
    catalogue = labels()
    wrong = []
    for lookup_name, where, keys, keywords, prefixes in usage.calls:
        candidates = set(keys) | {k for p in filter(None, prefixes.split(",")) for k in _family_keys(p)}
        for key in candidates & set(catalogue):
            plural = lookup_name in PLURAL_LOOKUPS
            if lookup_name in ("t", "t_n") and is_plural(key) != plural:
                wrong.append(f"{where}: {key} {'has' if is_plural(key) else 'has no'} plural forms")
            if keywords is None:
                continue
            fields = _fields(next(iter(_texts(catalogue[key]).values())))
            given = keywords | ({"n"} if plural else set())
            # a call that picks one of several keys may give a placeholder only some of them show
            if not fields <= given or (len(candidates) == 1 and given != fields | ({"n"} if plural else set())):
                wrong.append(f"{where}: {key} takes {sorted(fields)}, gets {sorted(given)}")
    assert wrong == []


def test_label_files_keep_lines_within_120_characters():
    files = sorted(LABELS_DIR.iterdir(), key=lambda p: p.name)
    assert {p.name for p in files} >= {"common.yaml", "report.yaml", "01_current_state.yaml",
                                       "02_desired_state.yaml", "03_insight.yaml"}
    long = [f"{p.name}:{i}" for p in files for i, line in enumerate(p.read_text("utf-8").splitlines(), 1)
            if len(line) > MAX_LINE]
    assert long == []


def test_step_findings_live_in_the_step_files():
    origin = {}
    for path in LABELS_DIR.iterdir():
        origin.update(dict.fromkeys(load_one(path), path.name))
    assert all(origin[k] == "01_current_state.yaml" for k in origin if k.startswith("f01."))
    assert all(origin[k] == "02_desired_state.yaml" for k in origin if k.startswith("f02."))
    assert all(origin[k] == "03_insight.yaml" for k in origin if k.startswith(("f03.", "c03.")))


def load_one(path):
    from cxlib.i18n.catalogue import read_file

    return read_file(path)


def test_report_languages_are_defined_once():
    """``cxlib.i18n.LANGUAGES`` is the only literal set of the report languages; the synthetic data's
    and the comment pipeline's languages are comment languages that happen to be the same."""
    comment_languages = {"cxlib/synth/comments.py", "tests/text/test_pipeline.py"}
    found = []
    for path in [*sorted((ROOT / "cxlib").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]:
        where = str(path.relative_to(ROOT))
        if where in comment_languages or where.startswith("cxlib/i18n/"):  # the languages and their fallbacks
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts and all(
                    isinstance(e, ast.Constant) for e in node.elts) and {e.value for e in node.elts} == set(LANGUAGES):
                found.append(f"{where}:{node.lineno}")
    assert found == []


# --- lookups -------------------------------------------------------------------------


def test_lookups_and_families():
    assert t("col.n", "sv") == "Antal" and t("col.n", "en") == "Count"
    assert t("report.loading", "en", name="x") == "Loading workspace x"
    assert kpi_label("csat", "nb") == "Tilfredshet (CSAT)"
    assert family_key("verdict", "not significant") == "verdict.not_significant"
    assert t(family_key("verdict", "not significant"), "en") == "not significant"
    with pytest.raises(ValueError, match="not a label family"):
        family_key("nonsense", "x")
    with pytest.raises(KeyError):
        t("no.such_key", "sv")


def test_plurals_pick_one_or_other_and_fill_n():
    assert t_n("c03.loop", 48, "en") == "Call detractors back within 48 hours (close the loop)"
    assert t_n("c03.loop", 1, "sv") == "Ring upp kritiker inom 1 timme (stäng loopen)"
    assert t_n("f03.comments", 1234, "sv", n="1\u00a0234", languages="sv", pii=0).startswith("1\u00a0234 kommentarer")
    assert Format("en").plural("behaviour.loyal", 1) == "loyal (1 year or more)"
    with pytest.raises(TypeError, match="plural"):
        t("c03.loop", "en")
    with pytest.raises(TypeError, match="no plural"):
        t_n("col.n", 2, "en")


def _write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_norwegian_falls_back_to_swedish_then_english(tmp_path):
    catalogue = load(_write(tmp_path, "a.yaml", 'x.a: {sv: "hej", en: "hello"}\nx.b: {en: "only"}\n'))
    assert lookup(catalogue["x.a"], "nb") == "hej" and lookup(catalogue["x.b"], "nb") == "only"
    assert lookup(catalogue["x.a"], "en") == "hello" and lookup(catalogue["x.b"], "sv") == "only"


@pytest.mark.parametrize("files, message", [
    ({"a.yaml": 'x.a: {sv: "1", en: "1"}\nx.a: {sv: "2", en: "2"}\n'}, r"a\.yaml.*'x\.a' is defined twice"),
    ({"a.yaml": 'x.a: {sv: "1", en: "1"}\n', "b.yaml": 'x.a: {sv: "2", en: "2"}\n'},
     r"b\.yaml: 'x\.a' is already defined in a\.yaml"),
    ({"a.yaml": 'x.a: {sv: "1", de: "1"}\n'}, r"a\.yaml: 'x\.a': unknown language 'de'"),
    ({"a.yaml": 'x.a: {sv: {one: "1"}, en: {one: "1", other: "2"}}\n'}, r"a\.yaml: 'x\.a': the plural forms of sv"),
    ({"a.yaml": 'x.a: {sv: "1", en: {one: "1", other: "2"}}\n'}, r"a\.yaml: 'x\.a': either every language"),
    ({"a.yaml": 'x.a: [sv, en]\n'}, r"a\.yaml: 'x\.a': expected a mapping"),
    ({"a.yaml": 'x.a: {sv: "1"\n'}, r"a\.yaml: not a valid label file"),
    ({"a.yaml": 'x a: {sv: "1"}\n'}, r"a\.yaml: 'x a': a key is text without spaces"),
])
def test_a_malformed_catalogue_names_the_file_and_key(tmp_path, files, message):
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(CatalogueError, match=message):
        load(tmp_path)


# --- numbers -------------------------------------------------------------------------


def test_number_formats():
    sv, en = Format("sv", "SEK"), Format("en", "SEK")
    assert sv.number(1234.5, 1) == fmt_number(1234.5, 1, "sv") == "1\u00a0234,5"
    assert en.number(1234.5, 1) == "1,234.5"
    assert sv.value(12.4, "points") == "+12"
    assert en.value(-3, "points") == "-3"
    assert sv.value(1.25, "points_change") == "+1,2" and en.value(-0.34, "points_change") == "-0.3"
    # a change of a share in percentage points: 0.52 → 0.81 is +29 points, not +29 %
    assert en.value(0.81 - 0.52, "share_change") == "+29.0\u00a0pp"
    assert sv.value(-0.0504, "share_change") == "-5,0\u00a0p.e."
    assert Format("nb", "NOK").value(0.0023, "share_change") == "+0,2\u00a0p.p."
    assert en.value(-0.0001, "share_change") == "0.0\u00a0pp"  # rounds to nothing: no sign
    assert en.value(0.844, "share") == "84%"
    assert sv.value(0.856, "share") == "86\u00a0%"
    assert en.value(90, "seconds") == "1.5\u00a0min"
    assert en.value(45, "seconds") == "45\u00a0s"
    assert en.value(7200, "seconds") == "2.0\u00a0h"
    assert sv.value(None, "share") == "–"
    assert sv.value(float("nan"), "share") == "–"
    nok = "12\u00a0346\u00a0NOK"
    assert Format("sv", "NOK").value(12345.6, "currency") == fmt_value(12345.6, "currency", "sv", "NOK") == nok
    assert sv.p(0.0342) == fmt_p(0.0342, "sv") == "p = 0,034" and en.p(0.0001) == "p < 0.001"
    assert sv.label("col.n") == "Antal"
    assert sv.listing(["telefon", "chatt", "e-post"]) == "telefon, chatt och e-post"
    assert en.listing(["phone", "chat"]) == "phone and chat"
    assert en.listing(["phone"]) == "phone" and en.listing([]) == ""


def test_a_format_knows_its_language_and_needs_a_currency_for_money():
    with pytest.raises(ValueError, match="unknown report language"):
        Format("de")
    with pytest.raises(ValueError, match="currency"):
        Format("sv").value(1.0, "currency")
    with pytest.raises(Exception):
        Format("sv").lang = "en"  # frozen
