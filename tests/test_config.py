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
    assert (p.row, p.column, p.value) == (15, "targets.nps", "250") and "within -100…100" in p.expected
    [p] = problems(tmp_path, VALID.replace("targets: {nps: 25, csat: 0.8}", "targets: {npz: 25}"))
    assert (p.column, p.value) == ("targets.npz", "npz") and "unknown KPI 'npz'" in p.expected


def test_every_bad_target_is_reported_at_its_own_line(tmp_path):
    text = VALID.replace("targets: {nps: 25, csat: 0.8}", "targets:\n  csat: 7\n  nps: 20\n  '{x}': 1\n")
    by_col = {p.column: p for p in problems(tmp_path, text)}
    assert set(by_col) == {"targets.csat", "targets.{x}"}
    assert by_col["targets.csat"].row == 16 and "within 0…1 for csat (a share: 0.8 means 80 %)" in by_col[
        "targets.csat"].expected
    assert by_col["targets.{x}"].row == 18 and "unknown KPI '{x}'" in by_col["targets.{x}"].expected


def test_bad_hours_bad_language_duplicate_ids(tmp_path):
    assert "08:00-17:00" in problems(tmp_path, VALID.replace('"08:00-17:00"', '"8 to 5"'))[0].expected
    assert "mon-fri" in problems(tmp_path, VALID.replace("mon-fri", "monday-friday"))[0].expected
    [p] = problems(tmp_path, VALID.replace("language: en", "language: de"))
    assert p.value == "de" and p.expected == "one of sv, en, nb"
    [p] = problems(tmp_path, VALID.replace("id: email", "id: phone"))
    assert "repeated: phone" in p.expected


def test_period_order_and_missing_required(tmp_path):
    found = problems(tmp_path, VALID.replace("end: 2025-06-30", "end: 2024-06-30"))
    assert "end must not be before start" in found[0].expected
    [p] = problems(tmp_path, VALID.replace("name: Test AB\n", ""))
    assert p.column == "name" and "required" in p.expected
    [p] = problems(tmp_path, VALID.replace("period: {start: 2025-01-01", "period: {start: first of May"))
    assert p.column == "period.start" and p.value == "first of May" and p.expected == "a date like 2025-01-31"


def test_yaml_syntax_error_has_line(tmp_path):
    [p] = problems(tmp_path, VALID.replace("kind: async", "kind: [async"))
    assert p.row is not None and p.row >= 14 and "valid YAML" in p.expected


def test_invalid_date_is_a_problem_at_its_line_not_a_crash(tmp_path):
    [p] = problems(tmp_path, VALID.replace("start: 2025-01-01", "start: 2025-13-45"))
    assert (p.row, p.column, p.value, p.expected) == (4, "period.start", "2025-13-45", "a date like 2025-01-31")


def test_timezone_defaults_to_stockholm_and_must_be_known(tmp_path):
    assert load_config(write(tmp_path, VALID)).timezone == "Europe/Stockholm"
    assert load_config(write(tmp_path, VALID + "timezone: Europe/Oslo\n")).timezone == "Europe/Oslo"
    for name in ("Europe/Stockhom", "europe/stockholm", "../etc/passwd", "Europe", ""):
        [p] = problems(tmp_path, VALID + f"timezone: '{name}'\n")
        assert (p.row, p.column, p.value) == (18, "timezone", name)
        assert "an IANA time-zone name" in p.expected and "Europe/Stockholm" in p.expected


def test_ids_and_currency_are_explained_in_plain_words(tmp_path):
    [p] = problems(tmp_path, VALID.replace("id: email", "id: e|mail"))
    assert p.column == "channels[1].id" and "lower-case letters a–z, digits, '_' and '-'" in p.expected
    [p] = problems(tmp_path, VALID.replace("currency: NOK", "currency: kr"))
    assert p.value == "kr" and p.expected.startswith("a three-letter ISO currency code")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_cp1252_and_utf8_with_bom_load_like_tables(tmp_path, encoding):
    path = tmp_path / "client.yaml"
    path.write_bytes(VALID.replace("Test AB", "Åkesson & Sjöström AB").encode(encoding))
    assert load_config(path).name == "Åkesson & Sjöström AB"


def test_utf16_says_save_as_utf8(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_bytes(VALID.encode("utf-16"))
    with pytest.raises(InputError, match="this file is UTF-16: save it as UTF-8"):
        load_config(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="every client workspace needs one"):
        load_config(tmp_path / "client.yaml")
