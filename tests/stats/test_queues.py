"""cxlib.stats.queues: Erlang C and Erlang A against library test suites, identities and a simulation.

Independent references written here: the M/M/n(+M) birth–death chain solved with numpy (in log
space), the Erlang C formula from factorial-free log sums, and a seeded discrete-event simulation.
"""

import heapq
import math

import numpy as np
import pytest
from scipy import special

from cxlib.stats.queues import QueueState, Staffing, erlang_a, erlang_c, required_agents, scheduled_agents

FIELDS = ("traffic", "wait_probability", "service_level", "asa_s", "mean_wait_s", "occupancy", "abandonment")


# --- references ----------------------------------------------------------------------------------


def chain(lam, mu, n, theta=0.0, extra=4000):
    """Stationary distribution of the number present, states 0 … n + extra (log space, then normalised)."""
    k = np.arange(1, n + extra + 1)
    death = np.minimum(k, n) * mu + np.maximum(k - n, 0) * theta
    log_p = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    return np.exp(log_p - special.logsumexp(log_p))


def erlang_c_log(traffic, n):
    """Erlang C wait probability from log sums of A^k/k! (no factorials, no recursion)."""
    log_terms = np.arange(n) * math.log(traffic) - special.gammaln(np.arange(n) + 1)
    log_top = n * math.log(traffic) - special.gammaln(n + 1) + math.log(n / (n - traffic))
    return math.exp(log_top - np.logaddexp(special.logsumexp(log_terms), log_top))


def simulate(lam, aht, n, patience, answer, arrivals=200_000, batches=20, seed=7):
    """M/M/n+M, first come first served, by its arrivals in order.

    A server heap holds the times the agents become free; a contact starts at the earliest free
    time (or on arrival) unless its patience runs out first, and then holds that agent. Returns
    per-batch shares of (waited, answered within ``answer``, abandoned), the mean wait of the
    answered and the mean wait of all, as an array (batches × 5).
    """
    rng = np.random.default_rng(seed)
    times = np.cumsum(rng.exponential(1 / lam, arrivals))
    handle = rng.exponential(aht, arrivals)
    patience_draw = rng.exponential(patience, arrivals)
    free = [0.0] * n
    waited, within, gone, wait = (np.zeros(arrivals) for _ in range(4))
    for i in range(arrivals):
        start = max(times[i], free[0])
        delay = start - times[i]
        waited[i] = delay > 0
        if delay > patience_draw[i]:
            gone[i], wait[i] = 1, patience_draw[i]
        else:
            within[i], wait[i] = delay <= answer, delay
            heapq.heapreplace(free, start + handle[i])
    keep = slice(arrivals // 50, None)  # drop the warm-up from an empty system
    rows = []
    for w, s, g, d in zip(*(np.array_split(x[keep], batches) for x in (waited, within, gone, wait))):
        rows.append([w.mean(), s.mean(), g.mean(), d[g == 0].mean(), d.mean()])
    return np.array(rows)


# --- library test suites -------------------------------------------------------------------------


# rodrigo-arenas/pyworkforce, pyworkforce/queuing/tests/test_erlang.py. Its examples file cites the worked example
# https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm (100 calls in 30 min, AHT 180 s, 80 % in
# 20 s, shrinkage 30 %); asa=0.33 min is 19.8 s. Published values are rounded to 3 decimals: compared to ±0.0005.
# - test_expected_erlangc_results: ErlangC(transactions=100, asa=0.33, aht=3, interval=30, shrinkage=0.3)
#   (minutes), required_positions(service_level=0.8, max_occupancy=0.85) -> raw_positions 14, positions 20,
#   service_level 0.888, occupancy 0.714, waiting_probability 0.174;
# - test_over_occupancy_erlangc: max_occupancy=0.7 -> raw_positions 15, positions 22, service_level 0.941,
#   occupancy 0.667, waiting_probability 0.102 (14 agents would run at 10/14 = 0.714 > 0.7).
@pytest.mark.parametrize("cap, agents, scheduled, level, occupancy, wait", [
    (0.85, 14, 20, 0.888, 0.714, 0.174),
    (0.70, 15, 22, 0.941, 0.667, 0.102),
])
def test_call_centre_helper_example_as_in_pyworkforce(cap, agents, scheduled, level, occupancy, wait):
    s = required_agents(100, 1800, 180, answer_s=0.33 * 60, service_level=0.8, max_occupancy=cap, shrinkage=0.3)
    assert (s.agents, s.scheduled) == (agents, scheduled)
    assert s.queue.service_level == pytest.approx(level, abs=0.0005)
    assert s.queue.occupancy == pytest.approx(occupancy, abs=0.0005)
    assert s.queue.wait_probability == pytest.approx(wait, abs=0.0005)
    assert s.queue.traffic == 10.0 and s.queue.abandonment == 0.0
    assert isinstance(s.agents, int) and isinstance(s.queue.service_level, float)


def test_erlang_a_snapshot_of_pyworkforce():
    # rodrigo-arenas/pyworkforce, pyworkforce/queuing/tests/test_abandonment.py, test_erlanga_regression_metrics:
    # ErlangA(transactions=100, aht=3, asa=20/60, interval=30, patience=5) (minutes), 14 positions ->
    # waiting_probability 0.14526 (5 decimals), abandonment_probability 0.013984, occupancy 0.704297,
    # average_speed_of_answer 0.069919 min, service_level 0.916792 (6 decimals). That library solves the truncated
    # birth-death chain and gets the service level by uniformisation, an independent method. Its
    # "average_speed_of_answer" is queue length / arrival rate, the mean wait of ALL arrivals: our mean_wait_s.
    q = erlang_a(100, 1800, 180, 14, 20, 300)
    assert q.wait_probability == pytest.approx(0.14526, abs=5e-6)
    assert q.abandonment == pytest.approx(0.013984, abs=5e-7)
    assert q.occupancy == pytest.approx(0.704297, abs=5e-7)
    assert q.mean_wait_s == pytest.approx(0.069919 * 60, abs=5e-7 * 60)
    assert q.service_level == pytest.approx(0.916792, abs=5e-7)
    # the answered wait less (the long waits are the abandoners'): ASA below the mean wait
    assert q.asa_s < q.mean_wait_s


# --- identities ----------------------------------------------------------------------------------


@pytest.mark.parametrize("arrivals, aht, n", [(100, 180, 11), (100, 180, 15), (300, 240, 45), (1000, 300, 170)])
def test_erlang_a_tends_to_erlang_c(arrivals, aht, n):
    # the gap is of order 1/patience (at 100 calls, 11 agents, patience 1e9 s the ASA is still 5e-4 s shorter)
    c = erlang_c(arrivals, 1800, aht, n, 20)
    a = erlang_a(arrivals, 1800, aht, n, 20, 1e12)
    for field in FIELDS:
        assert getattr(a, field) == pytest.approx(getattr(c, field), rel=1e-6, abs=1e-6), field
    assert a.abandonment < 1e-6
    nearer = erlang_a(arrivals, 1800, aht, n, 20, 1e13)
    for field in ("wait_probability", "service_level", "asa_s"):
        gap, gap_nearer = abs(getattr(a, field) - getattr(c, field)), abs(getattr(nearer, field) - getattr(c, field))
        assert gap_nearer <= max(gap / 5, 1e-12), field  # already exact at 1e12: stays exact


def test_erlang_a_against_a_simulation():
    lam, aht, n, patience, answer = 9 / 180, 180.0, 10, 120.0, 20.0
    q = erlang_a(lam * 1800, 1800, aht, n, answer, patience)
    runs = simulate(lam, aht, n, patience, answer)
    mean, se = runs.mean(0), runs.std(0, ddof=1) / math.sqrt(len(runs))
    model = [q.wait_probability, q.service_level, q.abandonment, q.asa_s, q.mean_wait_s]
    assert np.all(np.abs(mean - model) < 4 * se), (mean, model, se)
    assert np.all(se < [0.01, 0.01, 0.005, 1.0, 1.0])  # the comparison has teeth
    # P(abandon) = mean wait / patience, in the model exactly and in the simulation within its error
    assert q.abandonment == pytest.approx(q.mean_wait_s / patience, rel=1e-12)
    assert abs(mean[4] / patience - q.abandonment) < 4 * se[4] / patience


@pytest.mark.parametrize("arrivals, aht, n, patience", [(100, 180, 14, 300), (100, 180, 6, 60), (900, 200, 95, 400),
                                                        (50, 600, 0, 90)])
def test_erlang_a_against_the_birth_death_chain(arrivals, aht, n, patience):
    lam, mu, theta = arrivals / 1800, 1 / aht, 1 / patience
    p = chain(lam, mu, n, theta)
    queue = np.maximum(np.arange(p.size) - n, 0)
    q = erlang_a(arrivals, 1800, aht, n, 20, patience)
    assert q.wait_probability == pytest.approx(p[n:].sum(), rel=1e-10)
    # Little's law on the queue, and abandonments = θ × mean queue length
    assert lam * q.mean_wait_s == pytest.approx(queue @ p, rel=1e-10)
    assert q.abandonment == pytest.approx(theta * (queue @ p) / lam, rel=1e-10)
    busy = np.minimum(np.arange(p.size), n) @ p
    if n:
        assert q.occupancy == pytest.approx(busy / n, rel=1e-10)


@pytest.mark.parametrize("arrivals, aht, n", [(100, 180, 11), (100, 180, 14), (360, 240, 55), (50, 300, 9)])
def test_erlang_c_against_the_stationary_distribution(arrivals, aht, n):
    lam, mu = arrivals / 1800, 1 / aht
    p = chain(lam, mu, n, extra=20_000)  # the tail beyond is below e^-100 for these loads
    q = erlang_c(arrivals, 1800, aht, n, 20)
    assert q.wait_probability == pytest.approx(p[n:].sum(), rel=1e-10)
    queue = np.maximum(np.arange(p.size) - n, 0)
    assert lam * q.mean_wait_s == pytest.approx(queue @ p, rel=1e-9)
    assert q.asa_s == q.mean_wait_s


def test_erlang_c_service_level_is_the_wait_distribution():
    # P(wait > t) = C·e^(−(n−A)μt): at t = 0 the service level is the share not waiting
    q0, q = erlang_c(100, 1800, 180, 12, 0), erlang_c(100, 1800, 180, 12, 30)
    assert q0.service_level == pytest.approx(1 - q0.wait_probability, rel=1e-14)
    assert 1 - q.service_level == pytest.approx(q0.wait_probability * math.exp(-2 * 30 / 180), rel=1e-12)


def test_erlang_a_service_level_limits():
    q0 = erlang_a(100, 1800, 180, 11, 0, 120)
    assert q0.service_level == pytest.approx(1 - q0.wait_probability, rel=1e-12)
    late = erlang_a(100, 1800, 180, 11, 1e6, 120)  # everyone answered is answered within a long threshold
    assert late.service_level == pytest.approx(1 - late.abandonment, rel=1e-12)


# --- stability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("traffic, n", [(480.0, 500), (470.0, 500), (1950.0, 2000), (1990.0, 2000)])
def test_many_agents_match_log_space(traffic, n):
    q = erlang_c(traffic * 1800 / 300, 1800, 300, n, 20)
    assert all(math.isfinite(getattr(q, f)) for f in FIELDS)
    reference = erlang_c_log(traffic, n)
    assert 1e-6 < reference < 1  # not a trivially tiny probability
    assert q.wait_probability == pytest.approx(reference, rel=1e-9)
    assert q.asa_s == pytest.approx(reference * 300 / (n - traffic), rel=1e-9)


@pytest.mark.parametrize("traffic, n", [(480.0, 500), (2050.0, 2000)])
def test_many_agents_erlang_a(traffic, n):
    lam, mu, theta = traffic / 300, 1 / 300, 1 / 180
    q = erlang_a(traffic * 1800 / 300, 1800, 300, n, 20, 180)
    assert all(math.isfinite(getattr(q, f)) for f in FIELDS)
    p = chain(lam, mu, n, theta, extra=6000)
    assert q.wait_probability == pytest.approx(p[n:].sum(), rel=1e-9)
    assert q.abandonment == pytest.approx(theta * (np.maximum(np.arange(p.size) - n, 0) @ p) / lam, rel=1e-9)


# --- staffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("patience", [None, 90.0])
@pytest.mark.parametrize("target", [dict(answer_s=20, service_level=0.8), dict(answer_s=15, service_level=0.95),
                                    dict(asa_s=10), dict(max_occupancy=0.8)])
def test_required_agents_is_the_smallest(target, patience):
    answer = target.get("answer_s", 0)

    def meets(q):
        return (q.service_level >= target.get("service_level", 0) and q.asa_s <= target.get("asa_s", math.inf)
                and q.occupancy <= target.get("max_occupancy", 1))

    for arrivals in (40, 360, 1500):
        s = required_agents(arrivals, 1800, 240, patience_s=patience, **target)
        assert meets(s.queue)
        fewer = s.agents - 1  # one agent fewer misses (or, for Erlang C, is unstable)
        if patience is not None:
            assert not meets(erlang_a(arrivals, 1800, 240, fewer, answer, patience)), (arrivals, s.agents)
        elif fewer > s.queue.traffic:
            assert not meets(erlang_c(arrivals, 1800, 240, fewer, answer)), (arrivals, s.agents)


def test_abandonment_target_and_most_restrictive_wins():
    args = (360, 1800, 240)
    sl = required_agents(*args, answer_s=20, service_level=0.8, patience_s=120).agents
    ab = required_agents(*args, max_abandonment=0.01, patience_s=120).agents
    occ = required_agents(*args, max_occupancy=0.75, patience_s=120).agents
    both = required_agents(*args, answer_s=20, service_level=0.8, max_abandonment=0.01, max_occupancy=0.75,
                           patience_s=120)
    assert both.agents == max(sl, ab, occ)
    assert len({sl, ab, occ}) > 1  # the targets differ, so the max is a real choice
    assert both.queue.abandonment <= 0.01
    assert erlang_a(*args, ab - 1, 0, 120).abandonment > 0.01


def test_erlang_a_needs_fewer_agents_than_erlang_c():
    c = required_agents(360, 1800, 240, answer_s=20, service_level=0.8)
    a = required_agents(360, 1800, 240, answer_s=20, service_level=0.8, patience_s=60)
    assert a.agents < c.agents


def test_no_target():
    # Erlang C: the smallest stable count; Erlang A: one agent (0 agents have no occupancy)
    assert required_agents(100, 1800, 180).agents == 11
    assert required_agents(100, 1800, 180 * 1.1).agents == 12  # traffic 11.0 exactly needs 12
    assert required_agents(100, 1800, 180, patience_s=60).agents == 1


def test_shrinkage_rounding():
    assert required_agents(100, 1800, 180, answer_s=20, service_level=0.8, shrinkage=0.3).scheduled == 20
    # traffic 20.5 needs 21 agents; 21 / (1 − 0.3) is 30.000000000000004 in floating point: still 30
    s = required_agents(100, 1800, 369, shrinkage=0.3)
    assert (s.agents, s.scheduled) == (21, 30)
    # 14 / 0.65 = 21.54 → 22
    assert required_agents(100, 1800, 180, answer_s=20, service_level=0.8, shrinkage=0.35).scheduled == 22


def test_zero_arrivals():
    for patience in (None, 60):
        s = required_agents(0, 1800, 180, answer_s=20, service_level=0.8, patience_s=patience)
        assert (s.agents, s.scheduled) == (0, 0)
        assert s.queue.service_level == 1 and s.queue.wait_probability == 0 and s.queue.traffic == 0
    assert erlang_c(0, 1800, 180, 0, 20).service_level == 1
    assert erlang_a(0, 1800, 180, 3, 20, 60).abandonment == 0


def test_no_agents_in_erlang_a():
    q = erlang_a(100, 1800, 180, 0, 20, 60)
    assert (q.wait_probability, q.abandonment, q.service_level) == (1, 1, 0)
    assert q.mean_wait_s == pytest.approx(60)
    assert math.isnan(q.asa_s) and math.isnan(q.occupancy)


# --- errors --------------------------------------------------------------------------------------


def test_unstable_erlang_c_names_both_numbers():
    with pytest.raises(ValueError, match=r"10 agents for 12\.5 Erlangs"):
        erlang_c(125, 1800, 180, 10, 20)
    with pytest.raises(ValueError, match=r"10 agents for 10 Erlangs"):
        erlang_c(100, 1800, 180, 10, 20)
    with pytest.raises(ValueError, match=r"9 agents for 10 Erlangs \(first at index 1\)"):
        erlang_c(100, 1800, 180, [12, 9, 5], 20)


@pytest.mark.parametrize("kwargs, message", [
    (dict(service_level=0.8), "service_level and answer_s together"),
    (dict(answer_s=20), "service_level and answer_s together"),
    (dict(answer_s=20, service_level=80), "service_level must be a share.*got 80"),
    (dict(answer_s=20, service_level=1.0), "service_level must be a share.*got 1"),
    (dict(answer_s=-5, service_level=0.8), "answer_s must be a finite time.*got -5"),
    (dict(asa_s=0), "asa_s must be a finite time in seconds > 0; got 0"),
    (dict(max_occupancy=1.2), "max_occupancy must be a share.*got 1.2"),
    (dict(shrinkage=1), "shrinkage must be a share.*got 1"),
    (dict(max_abandonment=0.05), "max_abandonment needs patience_s"),
    (dict(max_abandonment=0, patience_s=60), "max_abandonment must be a share.*got 0"),
    (dict(patience_s=np.inf), "patience_s must be a finite time.*got inf"),
])
def test_required_agents_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        required_agents(100, 1800, 180, **kwargs)


def test_inputs_are_validated():
    with pytest.raises(ValueError, match=r"aht_s must be a finite time in seconds > 0; got nan"):
        erlang_c(100, 1800, float("nan"), 12, 20)
    with pytest.raises(ValueError, match=r"arrivals must be .*got -1 \(at index 1\)"):
        erlang_a([10, -1], 1800, 180, 3, 20, 60)
    with pytest.raises(ValueError, match=r"agents must be a whole number.*got 2.5"):
        erlang_a(10, 1800, 180, 2.5, 20, 60)
    with pytest.raises(ValueError, match=r"interval_s must be .*got 0"):
        erlang_a(10, 0, 180, 2, 20, 60)
    with pytest.raises(ValueError, match=r"patience_s must be .*got -60"):
        erlang_a(10, 1800, 180, 2, 20, -60)
    with pytest.raises(ValueError, match=r"arrivals must be .*got 'many'"):
        erlang_c("many", 1800, 180, 2, 20)


# --- broadcasting --------------------------------------------------------------------------------


def test_arrays_match_scalar_calls():
    arrivals = np.array([[40.0], [360.0], [0.0]])  # 3 × 1
    agents = np.array([55, 60, 70])  # broadcasts to 3 × 3 with arrivals
    c = erlang_c(arrivals, 1800, 240, agents, 20)
    a = erlang_a(arrivals, 1800, 240, agents, [[20], [15], [30]], 120)
    for state in (c, a):
        assert isinstance(state, QueueState)
        assert all(np.shape(getattr(state, f)) == (3, 3) for f in FIELDS)
    for i in range(3):
        for j in range(3):
            one_c = erlang_c(arrivals[i, 0], 1800, 240, agents[j], 20)
            one_a = erlang_a(arrivals[i, 0], 1800, 240, agents[j], [20, 15, 30][i], 120)
            for f in FIELDS:
                assert getattr(c, f)[i, j] == pytest.approx(getattr(one_c, f), rel=1e-12)
                assert getattr(a, f)[i, j] == pytest.approx(getattr(one_a, f), rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("patience", [None, 120.0])
def test_required_agents_arrays_match_scalar_calls(patience):
    arrivals = np.array([0, 12, 100, 360, 1500, 4000])
    targets = np.array([0.8, 0.9, 0.8, 0.95, 0.7, 0.8])
    s = required_agents(arrivals, 1800, 240, answer_s=20, service_level=targets, shrinkage=0.25, patience_s=patience)
    assert isinstance(s, Staffing) and s.agents.shape == (6,) and s.agents.dtype.kind == "i"
    for i in range(6):
        one = required_agents(int(arrivals[i]), 1800, 240, answer_s=20, service_level=float(targets[i]),
                              shrinkage=0.25, patience_s=patience)
        assert (s.agents[i], s.scheduled[i]) == (one.agents, one.scheduled)
        assert s.queue.service_level[i] == pytest.approx(one.queue.service_level, rel=1e-12)


def test_scheduled_agents_round_up_but_not_float_noise():
    # 21 / 0.7 = 30 exactly on paper (30.000000000000004 in floats); 22 / 0.7 = 31.4 → 32; no shrinkage: as is
    assert scheduled_agents([21, 22, 0], 0.3).tolist() == [30.0, 32.0, 0.0]
    assert scheduled_agents(5, 0.0) == 5
