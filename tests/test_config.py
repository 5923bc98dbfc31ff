"""client.yaml: valid files load, each kind of mistake names line, key, value and expectation."""

import textwrap

import pytest

from cxlib.config import load_config
from cxlib.errors import InputError

VALID = """\
name: Test AB
language: en
currency: NOK
period: {start: 2025-01-01, end: 2025-06-30}
channels:
  - id: phone
    name: Phone
    kind: queue
    cost_per_contact: 80
    opening_hours: {mon-fri: "08:00-17:00", sat: "10-14"}
    service_level: {share: 0.8, within_s: 60}
  - id: email
    name: E-mail
    kind: async
targets: {nps: 25, csat: 0.8}
departments: [{id: it, name: IT}]
stages: [{id: buy, name: Buy, touchpoints: [web]}]
"""


def write(tmp_path, text):
    path = tmp_path / "client.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path, text):
    with pytest.raises(InputError) as exc:
        load_config(write(tmp_path, text))
    return exc.value.problems


def test_valid_config_loads(tmp_path):
    cfg = load_config(write(tmp_path, VALID))
    assert cfg.currency == "NOK" and cfg.language == "en"
    phone = cfg.channel("phone")
    assert phone.open_minutes() == {0: (480, 1020), 1: (480, 1020), 2: (480, 1020), 3: (480, 1020), 4: (480, 1020),
                                    5: (600, 840)}
    assert cfg.channel("email").open_minutes()[6] == (0, 1440)
    assert cfg.targets == {"nps": 25, "csat": 0.8}


def test_unknown_key_names_line_and_key(tmp_path):
    [p] = problems(tmp_path, VALID.replace("    cost_per_contact: 80", "    cost_per_contakt: 80"))
    assert (p.file, p.row, p.column) == ("client.yaml", 9, "channels[0].cost_per_contakt")
    assert "no such key" in p.expected


def test_wrong_type_and_range_are_both_reported(tmp_path):
    text = VALID.replace("cost_per_contact: 80", "cost_per_contact: cheap").replace("share: 0.8", "share: 1.8")
    ps = problems(tmp_path, text)
    by_col = {p.column: p for p in ps}
    assert by_col["channels[0].cost_per_contact"].value == "cheap"
    assert by_col["channels[0].cost_per_contact"].row == 9
    assert by_col["channels[0].cost_per_contact"].expected == "a number, e.g. 85 or 0.8"
    assert by_col["channels[0].service_level.share"].value == "1.8"
    assert "less than or equal to 1" in by_col["channels[0].service_level.share"].expected


def test_unknown_kpi_and_target_out_of_range(tmp_path):
    [p] = problems(tmp_path, VALID.replace("targets: {nps: 25, csat: 0.8}", "targets: {nps: 250}"))
    assert p.column == "targets" and "outside -100…100" in p.expected
    [p] = problems(tmp_path, VALID.replace("targets: {nps: 25, csat: 0.8}", "targets: {npz: 25}"))
    assert "unknown KPI 'npz'" in p.expected


def test_bad_hours_bad_language_duplicate_ids(tmp_path):
    assert "08:00-17:00" in problems(tmp_path, VALID.replace('"08:00-17:00"', '"8 to 5"'))[0].expected
    assert "mon-fri" in problems(tmp_path, VALID.replace("mon-fri", "monday-friday"))[0].expected
    [p] = problems(tmp_path, VALID.replace("language: en", "language: de"))
    assert p.value == "de" and p.expected == "one of sv, en, nb"
    [p] = problems(tmp_path, VALID.replace("id: email", "id: phone"))
    assert "repeated: phone" in p.expected


def test_period_order_and_missing_required(tmp_path):
    assert "end must not be before start" in problems(tmp_path, VALID.replace("end: 2025-06-30", "end: 2024-06-30"))[0].expected
    [p] = problems(tmp_path, VALID.replace("name: Test AB\n", ""))
    assert p.column == "name" and "required" in p.expected
    [p] = problems(tmp_path, VALID.replace("period: {start: 2025-01-01", "period: {start: first of May"))
    assert p.column == "period.start" and p.value == "first of May" and p.expected == "a date like 2025-01-31"


def test_yaml_syntax_error_has_line(tmp_path):
    [p] = problems(tmp_path, VALID.replace("kind: async", "kind: [async"))
    assert p.row is not None and p.row >= 14 and "valid YAML" in p.expected


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="every client workspace needs one"):
        load_config(tmp_path / "client.yaml")
