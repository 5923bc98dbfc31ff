import re

import pandas as pd
import pytest

from cxlib.analysis.raci import accountable_for, default_raci, matrix, problems, with_edits

DEPARTMENTS = ["kundservice", "fakturering", "it", "marknad"]
INITIATIVES = pd.DataFrame({
    "id": ["I01", "I02", "I03"],
    "owner": ["fakturering", "it", None],
    "touchpoint": ["faktura", None, "app"],
    "measured_by": [None, "05-journey", None],
})
ACTED_ON = pd.DataFrame({
    "id": ["06-faktura-fel", "06-otydlig", "05-journey", "03-app", "04-replan"],
    "owner": ["fakturering", "marknad", "juridik", "it", None],
    "touchpoint": ["faktura", "faktura", None, "app", "faktura"],
})


def test_the_owner_is_accountable_the_owners_of_what_it_acts_on_are_consulted_and_the_rest_informed():
    wide = matrix(default_raci(INITIATIVES, ACTED_ON, DEPARTMENTS))
    # I01 acts on the invoice touchpoint: fakturering owns it (and owns one of its causes), marknad
    # owns the other cause. I02 is measured by a journey that juridik, not a listed department, owns.
    # I03 has no owner, so nobody is accountable; the IT department owns the app theme it acts on.
    assert wide.to_dict("index") == {
        "I01": {"kundservice": "I", "fakturering": "A/R", "it": "I", "marknad": "C", "juridik": "I"},
        "I02": {"kundservice": "I", "fakturering": "I", "it": "A/R", "marknad": "I", "juridik": "C"},
        "I03": {"kundservice": "I", "fakturering": "I", "it": "C", "marknad": "I", "juridik": "I"},
    }


def test_accountable_for_lists_every_department_and_problems_finds_the_initiative_without_an_owner():
    raci = default_raci(INITIATIVES, ACTED_ON, DEPARTMENTS)
    assert accountable_for(raci) == {"kundservice": [], "fakturering": ["I01"], "it": ["I02"], "marknad": [],
                                     "juridik": []}
    assert problems(raci).to_dict("records") == [{"initiative": "I03", "accountable": 0}]


def test_edits_replace_single_cells_and_a_second_accountable_is_a_problem():
    raci = default_raci(INITIATIVES, ACTED_ON, DEPARTMENTS)
    edited = with_edits(raci, {"I03": {"it": "A/R"}, "I01": {"kundservice": "A"}})
    wide = matrix(edited)
    assert wide.loc["I03", "it"] == "A/R" and wide.loc["I01", "kundservice"] == "A"
    assert matrix(raci).loc["I03", "it"] == "C"  # the defaults are not changed in place
    assert problems(edited).to_dict("records") == [{"initiative": "I01", "accountable": 2}]


@pytest.mark.parametrize("edits, message", [
    ({"I09": {"it": "C"}}, "initiative 'I09' is not in the RACI; expected one of I01, I02, I03"),
    ({"I01": {"hr": "C"}}, "department 'hr' is not in the RACI"),
    ({"I01": {"it": "X"}}, "role 'X' of I01/it is not a RACI role; expected one of A/R, A, R, C, I"),
])
def test_edits_that_do_not_fit_are_refused_by_name(edits, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        with_edits(default_raci(INITIATIVES, ACTED_ON, DEPARTMENTS), edits)
