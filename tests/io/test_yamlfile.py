"""cxlib.io.yamlfile: hostile and careless YAML gives problems at their lines, quickly, never a traceback."""

import tracemalloc

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from cxlib.errors import InputError
from cxlib.io.yamlfile import MAX_DEPTH, errors_at_keys, read_yaml


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs" document: ``width ** levels`` strings once aliases are expanded."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def write(tmp_path, text: str | bytes, name: str = "file.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problem(path, file=None):
    with pytest.raises(InputError) as info:
        read_yaml(path, file)
    [found] = info.value.problems
    return found


def test_alias_bomb_is_refused_at_its_first_anchor_without_expanding(tmp_path):
    path = write(tmp_path, alias_bomb())
    assert path.stat().st_size < 600
    tracemalloc.start()
    found = problem(path, "themes.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, "9 ** 9 strings would take minutes and gigabytes"
    assert (found.file, found.row) == ("themes.yaml", 1)
    assert found.expected == "no YAML anchors or aliases (&name / *name); write the values out"


def test_a_lone_alias_is_refused_at_its_line(tmp_path):
    found = problem(write(tmp_path, "a: 1\nb: *x\n"))
    assert found.row == 2 and "anchors or aliases" in found.expected


@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "{a: " * 10_000 + "1" + "}" * 10_000,
                                  "".join("  " * i + f"k{i}:\n" for i in range(100))])
def test_deep_nesting_is_refused_before_anything_recurses(tmp_path, text, monkeypatch):
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: pytest.fail("composed"))
    monkeypatch.setattr(yaml.SafeLoader, "get_single_node", lambda *a, **k: pytest.fail("composed"))
    found = problem(write(tmp_path, text))
    assert found.row is not None and found.expected == f"at most {MAX_DEPTH} levels of nested mappings and lists"


def test_nesting_up_to_the_limit_is_read(tmp_path):
    path = write(tmp_path, "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH)
    data = read_yaml(path).data
    for _ in range(MAX_DEPTH):
        [data] = data
    assert data == 1


def test_dates_stay_text_so_the_model_reads_them(tmp_path):
    data = read_yaml(write(tmp_path, "start: 2025-01-31\nbad: 2025-13-45\nat: 2025-03-01 14:05:00\n")).data
    assert data == {"start": "2025-01-31", "bad": "2025-13-45", "at": "2025-03-01 14:05:00"}


def test_plain_values_keep_their_types(tmp_path):
    data = read_yaml(write(tmp_path, "a: 1\nb: 0.5\nc: true\nd: null\ne: [x, 'y']\nf: {g: h}\n")).data
    assert data == {"a": 1, "b": 0.5, "c": True, "d": None, "e": ["x", "y"], "f": {"g": "h"}}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_cp1252_are_read(tmp_path, encoding):
    path = write(tmp_path, "name: Åsa Öberg – “test”\n".encode(encoding))
    assert read_yaml(path).data == {"name": "Åsa Öberg – “test”"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_asks_for_utf8(tmp_path, encoding):
    text = "name: x\n".encode(encoding)
    if encoding == "utf-16-be":
        text = b"\xfe\xff" + text
    found = problem(write(tmp_path, text), "client.yaml")
    assert found.file == "client.yaml" and "this file is UTF-16: save it as UTF-8" in found.expected


def test_control_bytes_are_a_problem_at_their_line(tmp_path):
    found = problem(write(tmp_path, b"a: 1\nb: \x00\x01\n"))
    assert found.row == 2 and "control byte 0x00" in found.expected and "save it as UTF-8" in found.expected


def test_characters_yaml_forbids_are_a_problem_at_their_line(tmp_path):
    found = problem(write(tmp_path, "a: 1\nb: x\u0086y\n"))
    assert found.row == 2 and "valid YAML" in found.expected and "U+0086" in found.expected


@pytest.mark.parametrize("text, row, words", [
    ("a: [1, 2\nb: 3\n", 2, "valid YAML (while parsing a flow sequence"),
    ("a: 1\n---\nb: 2\n", 2, "a single document"),
    ("a: 1\nb: 0x_\n", 2, "cannot read '0x_' as int"),
    ("a: !!python/object:os.system ls\n", 1, "no YAML tags (!!python/object:os.system)"),
    ("a: 1\nb: !!int x\n", 2, "no YAML tags (!!int)"),
])
def test_syntax_errors_tags_and_unreadable_numbers_name_the_line(tmp_path, text, row, words):
    found = problem(write(tmp_path, text))
    assert found.row == row and words in found.expected


def test_empty_file_is_no_data(tmp_path):
    document = read_yaml(write(tmp_path, "# only a comment\n"))
    assert document.data is None and document.node is None


def test_unreadable_file_is_a_problem(tmp_path):
    assert "a readable file" in problem(tmp_path).expected


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: dict[str, str] = {}
    limits: dict[str, float] = {}

    @field_validator("limits")
    @classmethod
    def _below_ten(cls, limits):
        bad = {key: (f"{value:g}", "a limit below 10") for key, value in limits.items() if value >= 10}
        if bad:
            raise errors_at_keys(bad)
        return limits


def test_validation_errors_become_problems_at_their_lines(tmp_path):
    text = "label:\n  sv: 123\nlimits:\n  a: 1\n  b: 12\n  c: 30\nlabl: x\n"
    document = read_yaml(write(tmp_path, text), "workshop/spec.yaml")
    with pytest.raises(InputError) as info:
        document.validate(Spec.model_validate, {"label": "a mapping of language to text"}, "docs/input-contract.md")
    found = {p.column: p for p in info.value.problems}
    assert {c: (p.file, p.row, p.value) for c, p in found.items()} == {
        "label.sv": ("workshop/spec.yaml", 2, "123"),
        "limits.b": ("workshop/spec.yaml", 5, "12"),
        "limits.c": ("workshop/spec.yaml", 6, "30"),
        "labl": ("workshop/spec.yaml", 7, "x"),
    }
    assert found["label.sv"].expected == "a mapping of language to text"
    assert found["limits.b"].expected == "a limit below 10"
    assert found["labl"].expected == "no such key (check the spelling; the keys are listed in docs/input-contract.md)"


def test_line_of_stops_at_the_deepest_key_present(tmp_path):
    document = read_yaml(write(tmp_path, "a:\n  b:\n    - x\n    - y\n"))
    assert document.line_of(["a", "b", 1]) == 4
    assert document.line_of(["a", "missing", 0]) == 1
    assert document.line_of(["nothing"]) is None
