from cxlib.i18n import LABELS, fmt_number, fmt_value, t


def test_every_label_has_swedish_and_english():
    missing = [k for k, v in LABELS.items() if not v.get("sv") or not v.get("en")]
    assert missing == []


def test_placeholders_agree_between_languages():
    import string

    for key, entry in LABELS.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in entry.values()]
        assert all(f == fields[0] for f in fields), key


def test_norwegian_falls_back_to_swedish():
    LABELS["_test"] = {"sv": "hej", "en": "hello"}
    try:
        assert t("_test", "nb") == "hej"
    finally:
        del LABELS["_test"]


def test_number_formats():
    assert fmt_number(1234.5, 1, "sv") == "1\u00a0234,5"
    assert fmt_number(1234.5, 1, "en") == "1,234.5"
    assert fmt_value(12.4, "points", "sv") == "+12"
    assert fmt_value(-3, "points", "en") == "-3"
    assert fmt_value(0.844, "share", "en") == "84%"
    assert fmt_value(0.856, "share", "sv") == "86\u00a0%"
    assert fmt_value(90, "seconds", "en") == "1.5\u00a0min"
    assert fmt_value(45, "seconds", "en") == "45\u00a0s"
    assert fmt_value(7200, "seconds", "en") == "2.0\u00a0h"
    assert fmt_value(None, "share") == "–"
    assert fmt_value(float("nan"), "share") == "–"
    assert fmt_value(12345.6, "currency", "sv", "NOK") == "12\u00a0346\u00a0NOK"
