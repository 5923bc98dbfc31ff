"""The roadmap scheduler, by hand."""

import pytest

from cxlib.analysis.roadmap import schedule


def test_priority_dependencies_and_capacity():
    durations = {"a": 4, "b": 2, "c": 3, "d": 6, "e": 0}
    owners = {"a": "it", "b": "it", "c": "it", "d": "kundservice", "e": None}
    table = schedule(durations, ["a", "b", "c", "d", "e"], requires=[("d", "a"), ("e", "d")], owners=owners,
                     capacity=2).set_index("id")
    # a: Q0–Q1 (4 months); b: Q0 (IT has room for two); c: IT is full in Q0, so Q1; but a and c both run in Q1:
    # two, still within capacity
    assert table.loc["a", ["start_quarter", "end_quarter", "start_month", "end_month"]].tolist() == [0, 1, 0, 4]
    assert table.loc["b", ["start_quarter", "end_quarter"]].tolist() == [0, 0]
    assert table.loc["c", ["start_quarter", "end_quarter"]].tolist() == [1, 1]
    # d needs a, which ends in month 4: the next quarter starts in month 6
    assert table.loc["d", ["start_quarter", "end_quarter", "start_month", "end_month"]].tolist() == [2, 3, 6, 12]
    # e needs d (ends month 12) and takes no time: quarter 4
    assert table.loc["e", ["start_quarter", "end_quarter"]].tolist() == [4, 4]


def test_capacity_one_runs_one_at_a_time_and_a_mapping_limits_named_owners_only():
    durations = {"a": 3, "b": 3, "c": 3}
    owners = {"a": "it", "b": "it", "c": "marknad"}
    one = schedule(durations, ["a", "b", "c"], owners=owners, capacity={"it": 1}).set_index("id")
    assert one["start_quarter"].to_dict() == {"a": 0, "b": 1, "c": 0}
    free = schedule(durations, ["b", "a", "c"], owners=owners)
    assert list(free["id"]) == ["b", "a", "c"] and (free["start_quarter"] == 0).all()


def test_a_prerequisite_of_lower_priority_is_placed_first():
    table = schedule({"a": 3, "b": 3}, ["a", "b"], requires=[("a", "b")], owners={"a": "it", "b": "it"},
                     capacity=1).set_index("id")
    assert table["start_quarter"].to_dict() == {"a": 1, "b": 0}


def test_errors():
    with pytest.raises(ValueError, match="a needs b needs a"):
        schedule({"a": 1, "b": 1}, ["a", "b"], requires=[("a", "b"), ("b", "a")])
    with pytest.raises(ValueError, match="exactly once"):
        schedule({"a": 1}, ["a", "a"])
    with pytest.raises(ValueError, match="months ≥ 0"):
        schedule({"a": -1}, ["a"])
