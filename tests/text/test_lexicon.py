"""Stem matching rules and the shipped lexicons."""

import pytest
from pydantic import ValidationError

from cxlib.errors import InputError
from cxlib.text.lexicon import StemIndex, default_sentiment, default_taxonomy, fold, load_taxonomy, parse_taxonomy


@pytest.fixture(scope="module")
def themes():
    return StemIndex({stem: t.id for t in default_taxonomy() for stem in t.stems})


@pytest.mark.parametrize("word, theme", [
    ("fakturan", "billing"),        # stem + ending
    ("fakturafelet", "billing"),    # long stem starts a compound
    ("elräkningen", "billing"),     # compound tail + ending
    ("ventetiden", "waiting"),
    ("telefonkön", "waiting"),
    ("mobilappen", "digital"),
    ("strømbruddet", "outage"),
    ("elpriset", "price"),
    ("vantade", "waiting"),         # typed without Nordic letters
])
def test_words_match_their_theme(themes, word, theme):
    assert theme in {m.value for m in themes.matches(word)}


@pytest.mark.parametrize("word", ["happy", "köpa", "ansvarar", "förväntan", "köket"])
def test_short_stems_and_prefixes_do_not_match_inside_unrelated_words(themes, word):
    assert themes.matches(word) == []


def test_a_compound_matches_only_its_parts(themes):
    assert {m.value for m in themes.matches("montøren")} == {"delivery"}


def test_longest_stem_wins_for_sentiment():
    index = StemIndex(default_sentiment().weights, compounds=False)
    assert index.matches("missnöjd")[0].value < 0 < index.matches("nöjd")[0].value


def test_without_compounds_only_word_starts_match():
    index = StemIndex({"löst": 1.0, "faktura": 1.0}, compounds=False)
    assert index.matches("strömlöst") == [] and index.matches("löste")
    assert index.matches("fakturafel") and not index.matches("elfakturan")


def test_short_stems_are_not_folded():
    index = StemIndex({"dör": -1.0, "svår": -1.0, "väntade": -1.0})
    assert index.matches("dor") == [] and index.matches("svar") == [] and index.matches("vantade")


def test_phrases_are_kept_apart_and_match_their_last_word_by_the_rules():
    index = StemIndex({"mina sidor": "digital", "faktura": "billing"})
    assert index.phrases == {("mina", "sidor"): "digital"}
    assert index.match_word("sidorna", "sidor") and not index.match_word("besidor", "sidor")


def test_fold_removes_nordic_letters():
    assert fold("Fornøyd Väntade Ærlig") == "fornoyd vantade aerlig"


def test_client_taxonomy_extends_and_adds_themes():
    base = default_taxonomy()
    themes = {t.id: t for t in parse_taxonomy(
        {"billing": {"stems": {"sv": ["avisering"]}, "owner": "fakturering"},
         "meters": {"label": {"sv": "Mätare"}, "stems": {"sv": ["mätarbyte"]}}}, base)}
    assert "avisering" in themes["billing"].stems and "faktur" in themes["billing"].stems
    assert themes["billing"].owner == "fakturering"
    assert themes["meters"].name("sv") == "Mätare" and themes["meters"].name("en") == "meters"
    assert len(themes) == len(base) + 1


def test_no_stem_has_two_sentiment_weights():
    import yaml
    from importlib import resources

    raw = yaml.safe_load(resources.files("cxlib.text").joinpath("data", "sentiment.yaml").read_text("utf-8"))
    weights: dict[str, set] = {}
    for by_weight in raw["terms"].values():
        for weight, stems in by_weight.items():
            for stem in stems:
                weights.setdefault(" ".join(stem.lower().split()), set()).add(weight)
    assert {s: w for s, w in weights.items() if len(w) > 1} == {}


def test_workspace_themes_file_extends_the_default(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("billing:\n  stems: {sv: [avisering]}\n  owner: cs\nmeters:\n  label: {sv: Mätare}\n",
                    encoding="utf-8")
    themes = {t.id: t for t in load_taxonomy(path, ["cs", "it"])}
    assert "avisering" in themes["billing"].stems and themes["billing"].owner == "cs"
    assert themes["meters"].name("sv") == "Mätare" and themes["meters"].stems == ()
    assert load_taxonomy(tmp_path / "absent.yaml") == default_taxonomy()
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_taxonomy(path) == default_taxonomy()


def test_every_theme_problem_names_line_key_value_and_expectation(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("billing:\n  label: Fakturor\n  owner: [cs, it]\nbills|fees:\n  stems: {sv: [avgift]}\n"
                    "meters:\n  label: {sv: 404}\n  owner: sales\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_taxonomy(path, ["cs", "it"])
    found = {p.column: p for p in info.value.problems}
    assert {c: (p.row, p.value) for c, p in found.items()} == {
        "billing.label": (2, "Fakturor"), "billing.owner": (3, "list"), "bills|fees": (4, "bills|fees"),
        "meters.label.sv": (7, "404"), "meters.owner": (8, "sales")}
    assert found["billing.label"].expected.startswith("label: a mapping of language code (sv, en, nb or da)")
    assert found["billing.owner"].expected.startswith("owner: one department id")
    assert found["bills|fees"].expected.startswith("an id of lower-case letters")
    assert found["meters.owner"].expected == "one of the department ids in client.yaml: cs, it"
    assert not any(c in p.expected for p in found.values() for c in "[]{}"), "plain text, no markup brackets"


def test_owner_is_free_when_client_yaml_lists_no_departments(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("billing:\n  owner: fakturering\n", encoding="utf-8")
    assert {t.id: t.owner for t in load_taxonomy(path)}["billing"] == "fakturering"


def test_parse_taxonomy_refuses_what_load_taxonomy_reports():
    with pytest.raises(ValidationError):
        parse_taxonomy({"billing": {"label": "Billing"}})
