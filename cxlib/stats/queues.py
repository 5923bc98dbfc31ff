"""Contact-centre queues: Erlang C (M/M/n), Erlang A (M/M/n+M) and the agents a service target needs.

Contacts arrive at random (Poisson) at ``arrivals`` per ``interval_s`` seconds; each takes an
exponential handle time with mean ``aht_s`` seconds; ``agents`` answer them first come, first
served. The offered traffic is A = arrivals · aht_s / interval_s Erlangs. Erlang C assumes that
nobody hangs up, so it needs more agents than the traffic; Erlang A gives each waiting contact
an exponential patience with mean ``patience_s`` seconds, after which it hangs up (abandons),
and is defined for any number of agents.

Every result is a share 0–1 of arrivals or a time in seconds, computed in steady state. The
service level counts every arrival: one that hangs up, even before ``answer_s``, counts against
it. Erlang B is computed in log space from the regularised incomplete gamma function, never
from factorials, so hundreds or thousands of agents are fine.

Erlang A, with λ = arrivals/interval_s, μ = 1/aht_s, θ = 1/patience_s, b = nμ/θ and y = λ/θ:
the states above n agents have π(n + q) = π(n) · y^q / ((b + 1)…(b + q)), and an arrival that
finds q contacts waiting is answered with probability b/(b + q + 1), answered within t with
probability b/(b + q + 1) · I(1 − e^(−θt); q + 1, b + 1) (regularised incomplete beta) and waits
on average Σ_(k=1…q+1) 1/(θ(b + k)) before an answer. The mean wait of all arrivals is
P(abandon)/θ.

References
----------
Erlang, A. K. (1917). Solution of some problems in the theory of probabilities of significance in
automatic telephone exchanges. *Elektroteknikeren* 13, 5–13.
Palm, C. (1946). Methods of judging the annoyance caused by congestion. *Tele* 4, 189–208.
Gans, N., Koole, G. & Mandelbaum, A. (2003). Telephone call centers: tutorial, review, and research
prospects. *Manufacturing & Service Operations Management* 5(2), 79–141.
Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the Palm/Erlang-A queue, with
applications to call centers. In *Advances in Services Innovations*, 17–45. Springer.
Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center with impatient customers.
*Manufacturing & Service Operations Management* 4(3), 208–227.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .checks import checked

#: Queue terms of Erlang A are summed until the newest is below this share of the sum.
TAIL = 1e-16
#: Queue terms summed per vectorised step of Erlang A.
BLOCK = 64


@dataclass(frozen=True)
class QueueState:
    """Steady state of a queue; floats for scalar inputs, else arrays of the broadcast shape.

    ``traffic`` is the offered load in Erlangs (arrivals · aht_s / interval_s). Shares 0–1 of
    arrivals: ``wait_probability`` (finds every agent busy), ``service_level`` (answered within
    ``answer_s``; abandoners count against it), ``abandonment`` (hangs up; 0 for Erlang C).
    Seconds: ``asa_s``, the average speed of answer (mean wait of answered contacts; NaN when
    nobody is answered, i.e. no agents), and ``mean_wait_s``, the mean time in queue of all
    arrivals. ``occupancy`` is the share 0–1 of agent time busy, carried traffic / agents (NaN
    for no agents). With zero arrivals nothing queues: every share and time is 0 and the
    service level is 1, for any number of agents.
    """

    traffic: float | np.ndarray
    wait_probability: float | np.ndarray
    service_level: float | np.ndarray
    asa_s: float | np.ndarray
    mean_wait_s: float | np.ndarray
    occupancy: float | np.ndarray
    abandonment: float | np.ndarray


@dataclass(frozen=True)
class Staffing:
    """Agents for a target: ``agents`` productive, ``scheduled`` = ⌈agents / (1 − shrinkage)⌉.

    ``queue`` is the :class:`QueueState` at ``agents``. Ints for scalar inputs, else int arrays.
    """

    agents: int | np.ndarray
    scheduled: int | np.ndarray
    queue: QueueState


# --- inputs ----------------------------------------------------------------------------------


def _seconds(value, name: str, *, positive: bool = True) -> np.ndarray:
    if positive:
        return checked(value, name, "a finite time in seconds > 0", lambda x: x > 0)
    return checked(value, name, "a finite time in seconds ≥ 0", lambda x: x >= 0)


def _arrivals(value) -> np.ndarray:
    return checked(value, "arrivals", "a finite count of contacts ≥ 0 per interval", lambda x: x >= 0)


def _agents(value) -> np.ndarray:
    return checked(value, "agents", "a whole number of agents ≥ 0", lambda x: (x >= 0) & (x == np.floor(x)))


def _share(value, name: str, rule: str, ok) -> np.ndarray:
    return checked(value, name, f"a share {rule} (e.g. 0.8 for 80 %)", ok)


def _out(x: np.ndarray, shape: tuple, kind=float):
    """``x`` (flat) in the broadcast ``shape``; a Python scalar for scalar inputs."""
    x = np.asarray(x).reshape(shape)
    return kind(x) if shape == () else x


# --- Erlang B in log space -----------------------------------------------------------------------


def log_idle_ratio(agents, traffic) -> np.ndarray:
    """log(1/B(n, A) − 1) = log(Σ_(k<n) A^k/k! ÷ A^n/n!), B the Erlang B blocking probability.

    The ratio is P(fewer than n busy) / P(all n busy) in an M/M/n queue. Computed as
    A + log Q(n, A) + log n! − n·log A with Q the regularised upper incomplete gamma function;
    where Q underflows (n far below A) the sum is dominated by its last terms and the ratio is
    n/(A − n) to first order. −inf for n = 0, +inf for A = 0 < n.
    """
    n, a = np.broadcast_arrays(np.asarray(agents, dtype=float), np.asarray(traffic, dtype=float))
    out = np.full(n.shape, -np.inf)
    some = n > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = special.gammaincc(n[some], a[some])
        exact = a[some] + np.log(q) + special.gammaln(n[some] + 1) - n[some] * np.log(a[some])
        rough = np.log(n[some] / (a[some] - n[some]))
        out[some] = np.where(q > 0, exact, rough)
        out[some & (a == 0)] = np.inf
    return out


# --- Erlang C ------------------------------------------------------------------------------------


def _erlang_c(traffic, aht, agents, answer):
    """Erlang C on flat validated arrays with agents > traffic > 0: (wait, sl, asa)."""
    log_e = log_idle_ratio(agents, traffic)
    with np.errstate(over="ignore"):
        wait = 1 / (1 + (1 - traffic / agents) * np.exp(log_e))
    gap = agents - traffic
    return wait, 1 - wait * np.exp(-gap * answer / aht), wait * aht / gap


def _unstable(traffic, agents, shape) -> None:
    bad = (agents <= traffic) & (traffic > 0)
    if bad.any():
        i = int(np.argmax(bad))
        index = tuple(int(j) for j in np.unravel_index(i, shape))
        where = "" if shape == () else f" (first at index {index[0] if len(index) == 1 else index})"
        raise ValueError(f"Erlang C needs more agents than the traffic: {agents[i]:g} agents for "
                         f"{traffic[i]:g} Erlangs{where}; the queue would grow without end. Add agents, "
                         f"or give a patience to use Erlang A")


def erlang_c(arrivals, interval_s, aht_s, agents, answer_s) -> QueueState:
    """Steady state of an Erlang C (M/M/n) queue: contacts wait as long as it takes.

    With B the Erlang B blocking probability and A the traffic, the wait probability is
    C = n·B / (n − A(1 − B)), the service level 1 − C·e^(−(n − A)·answer_s/aht_s) and the average
    speed of answer C·aht_s/(n − A), which is also the mean wait (nobody abandons).

    Parameters
    ----------
    arrivals : float or array-like
        Contacts arriving per interval, ≥ 0.
    interval_s : float or array-like
        Length of the interval in seconds, > 0 (1800 for half-hours).
    aht_s : float or array-like
        Mean handle time in seconds, > 0.
    agents : int or array-like
        Productive agents, whole numbers ≥ 0; must exceed the traffic unless there are no arrivals.
    answer_s : float or array-like
        Service-level threshold in seconds, ≥ 0 (20 for "80 % within 20 s").

    Returns
    -------
    QueueState
        Floats for scalar inputs, else arrays of the broadcast shape; ``abandonment`` is 0.

    Raises
    ------
    ValueError
        For invalid inputs, or agents ≤ traffic (the message names both numbers).
    """
    inputs = (_arrivals(arrivals), _seconds(interval_s, "interval_s"), _seconds(aht_s, "aht_s"), _agents(agents),
              _seconds(answer_s, "answer_s", positive=False))
    shape = np.broadcast_shapes(*(x.shape for x in inputs))
    lam_n, interval, aht, n, t = (np.broadcast_to(x, shape).ravel() for x in inputs)
    traffic = lam_n * aht / interval
    _unstable(traffic, n, shape)
    wait, sl, asa = np.zeros(traffic.size), np.ones(traffic.size), np.zeros(traffic.size)
    busy = traffic > 0
    wait[busy], sl[busy], asa[busy] = _erlang_c(traffic[busy], aht[busy], n[busy], t[busy])
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(busy, traffic / n, 0.0)
    return QueueState(_out(traffic, shape), _out(wait, shape), _out(sl, shape), _out(asa, shape),
                      _out(asa, shape), _out(occupancy, shape), _out(np.zeros(traffic.size), shape))


# --- Erlang A ------------------------------------------------------------------------------------


def _log_rising(b, m):
    """The log rising factorial log Γ(b + m) − log Γ(b) = log(b(b+1)…(b+m−1)), b > 0, m ≥ 0, stable for large b.

    Below b = 10⁷ the difference of ``gammaln``; above it Stirling's series, rearranged as
    (b − ½)·log1p(m/b) + m·log(b + m) − m + (1/(b+m) − 1/b)/12 (the next term is O(b⁻³)).
    """
    small = b < 1e7
    with np.errstate(divide="ignore", invalid="ignore"):
        big = ((b - 0.5) * np.log1p(m / b) + m * np.log(b + m) - m + (1 / (b + m) - 1 / b) / 12)
    return np.where(m == 0, 0.0, np.where(small, special.gammaln(b + m) - special.gammaln(np.where(small, b, 1)),
                                          big))


def _queue_sums(b, y, x):
    """Sums over the queue length q ≥ 0 of Erlang A, relative to its largest term.

    Terms w_q = y^q / ((b+1)…(b+q)) ÷ w_max. Returns (log w_max, Σw, Σw·P(abandon | q),
    Σw·P(answered within t | q), Σw·θ·E[wait; answered | q]) for flat arrays b ≥ 0, y > 0 and
    x = 1 − e^(−θt). The terms rise up to the mode q* = ⌊y − b⌋ and fall after it; the sum starts
    9√y + 10 terms below the mode (the neglected terms are below e^(−40) of the largest) and
    grows in blocks until the newest term is below ``TAIL`` of the sum.
    """
    log_y = np.log(y)
    mode = np.maximum(0.0, np.floor(y - b))
    start = np.maximum(0.0, mode - np.ceil(9 * np.sqrt(y)) - 10)
    log_max = mode * log_y - _log_rising(b + 1, mode)
    # running values at the next q to add: log w_q (relative to w_max), I(x; q+1, b+1), the log of
    # its step to q+1, and Σ_(k=1…q+1) 1/(b+k)
    log_w = start * log_y - _log_rising(b + 1, start) - log_max
    with np.errstate(divide="ignore"):
        beta = special.betainc(start + 1, b + 1, x)
        log_step = ((start + 1) * np.log(x) + (b + 1) * np.log1p(-x) + _log_rising(b + 1, start + 1)
                    - special.gammaln(start + 2))
    harmonic = np.where(start == 0, 1 / (b + 1), special.digamma(b + start + 2) - special.digamma(b + 1))
    sums = np.zeros((4, b.size))
    todo = np.arange(b.size)
    offsets = np.arange(BLOCK, dtype=float)
    while todo.size:
        bb, ly, xx = b[todo, None], log_y[todo, None], x[todo, None]
        q = start[todo, None] + offsets
        # log w_q, log step_q and the harmonic sum by their ratios from one q to the next
        with np.errstate(divide="ignore"):
            rise = np.concatenate([np.zeros((todo.size, 1)), ly - np.log(bb + q[:, 1:])], axis=1)
            step_rise = np.concatenate([np.zeros((todo.size, 1)),
                                        np.log(xx) + np.log(bb + q[:, 1:] + 1) - np.log(q[:, 1:] + 1)], axis=1)
        w = np.exp(log_w[todo, None] + np.cumsum(rise, axis=1))
        steps = np.exp(log_step[todo, None] + np.cumsum(step_rise, axis=1))
        below = beta[todo, None] - np.concatenate([np.zeros((todo.size, 1)), np.cumsum(steps[:, :-1], axis=1)],
                                                  axis=1)
        harm = harmonic[todo, None] + np.concatenate([np.zeros((todo.size, 1)),
                                                      np.cumsum(1 / (bb + q[:, 1:] + 1), axis=1)], axis=1)
        answered = bb / (bb + q + 1)
        sums[:, todo] += np.stack([w.sum(1), (w * (1 - answered)).sum(1),
                                   (w * answered * np.clip(below, 0, 1)).sum(1), (w * answered * harm).sum(1)])
        last = q[:, -1]
        with np.errstate(divide="ignore"):  # a tail term that underflows to 0 ends its sum below (done)
            log_w[todo] = np.log(w[:, -1]) + ly[:, 0] - np.log(bb[:, 0] + last + 1)
            log_step[todo] = np.log(steps[:, -1]) + np.log(xx[:, 0]) + np.log(bb[:, 0] + last + 2) - np.log(last + 2)
        beta[todo] = below[:, -1] - steps[:, -1]
        harmonic[todo] = harm[:, -1] + 1 / (bb[:, 0] + last + 2)
        start[todo] += BLOCK
        done = (last >= mode[todo]) & (w[:, -1] < TAIL * sums[0, todo])
        todo = todo[~done]
    return log_max, *sums


def _erlang_a(lam, mu, theta, n, t):
    """Erlang A on flat validated arrays with lam > 0: (wait, sl, asa, mean_wait, occupancy, abandonment)."""
    traffic, b, y = lam / mu, n * mu / theta, lam / theta
    log_max, total, abandon, within, waited = _queue_sums(b, y, -np.expm1(-theta * t))
    log_queue = log_max + np.log(total)  # log Σ_q π(n+q)/π(n)
    log_idle = log_idle_ratio(n, traffic)  # log Σ_(k<n) π(k)/π(n)
    log_all = np.logaddexp(log_idle, log_queue)
    wait, idle = np.exp(log_queue - log_all), np.exp(log_idle - log_all)
    p_abandon = wait * abandon / total
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(p_abandon < 1, wait * waited / total / theta / (1 - p_abandon), np.nan)
        occupancy = np.where(n > 0, traffic * (1 - p_abandon) / n, np.nan)
    return wait, idle + wait * within / total, asa, p_abandon / theta, occupancy, p_abandon


def erlang_a(arrivals, interval_s, aht_s, agents, answer_s, patience_s) -> QueueState:
    """Steady state of an Erlang A (M/M/n+M) queue: waiting contacts hang up after an exponential patience.

    Exact, from the birth–death chain of the number of contacts present (see the module notes);
    stable for any number of agents, including none (everyone hangs up). As ``patience_s`` grows,
    the state tends to that of :func:`erlang_c` when there are more agents than traffic.

    Parameters
    ----------
    arrivals : float or array-like
        Contacts arriving per interval, ≥ 0.
    interval_s : float or array-like
        Length of the interval in seconds, > 0.
    aht_s : float or array-like
        Mean handle time in seconds, > 0.
    agents : int or array-like
        Productive agents, whole numbers ≥ 0.
    answer_s : float or array-like
        Service-level threshold in seconds, ≥ 0.
    patience_s : float or array-like
        Mean patience of a waiting contact in seconds, > 0 and finite. The work grows like
        √(arrivals per second × patience_s) terms per interval.

    Returns
    -------
    QueueState
        Floats for scalar inputs, else arrays of the broadcast shape. ``mean_wait_s`` equals
        ``abandonment × patience_s``.
    """
    inputs = (_arrivals(arrivals), _seconds(interval_s, "interval_s"), _seconds(aht_s, "aht_s"), _agents(agents),
              _seconds(answer_s, "answer_s", positive=False), _seconds(patience_s, "patience_s"))
    shape = np.broadcast_shapes(*(x.shape for x in inputs))
    lam_n, interval, aht, n, t, patience = (np.broadcast_to(x, shape).ravel() for x in inputs)
    return _state_a(lam_n / interval, aht, n, t, patience, shape)


def _state_a(lam, aht, n, t, patience, shape) -> QueueState:
    size = lam.size
    wait, abandon, asa, mean_wait, occupancy = (np.zeros(size) for _ in range(5))
    sl = np.ones(size)
    busy = lam > 0
    if busy.any():
        parts = _erlang_a(lam[busy], 1 / aht[busy], 1 / patience[busy], n[busy], t[busy])
        for out, part in zip((wait, sl, asa, mean_wait, occupancy, abandon), parts):
            out[busy] = part
    return QueueState(_out(lam * aht, shape), *(_out(v, shape) for v in (wait, sl, asa, mean_wait, occupancy, abandon)))


# --- staffing ------------------------------------------------------------------------------------


def _smallest(meets, todo: np.ndarray, fail: np.ndarray, guess: np.ndarray, *, down: bool = False) -> np.ndarray:
    """Per interval of ``todo``, the fewest agents above ``fail`` (known to fail) that ``meets`` accepts.

    Targets are monotone in the agents: every count from the answer on meets them. From
    ``guess`` the search doubles its step upwards until a count meets; with ``down`` it first
    also doubles downwards while counts still meet; then it bisects.
    """
    fail, good = fail.astype(float), guess.astype(float)
    step = np.maximum(1.0, np.ceil(np.sqrt(good)))
    ok = meets(todo, good)
    pending = np.flatnonzero(~ok)
    while pending.size:  # upwards: good fails, so it becomes the new fail
        fail[pending], good[pending] = good[pending], good[pending] + step[pending]
        step[pending] *= 2
        ok = meets(todo[pending], good[pending])
        pending = pending[~ok]
    if down:
        step = np.maximum(1.0, np.ceil(np.sqrt(good) / 2))
        pending = np.flatnonzero(good - fail > 1)
        while pending.size:  # downwards: probe below good while the probes still meet
            probe = np.maximum(fail[pending] + 1, good[pending] - step[pending])
            ok = meets(todo[pending], probe)
            good[pending[ok]], fail[pending[~ok]] = probe[ok], probe[~ok]
            step[pending] *= 2
            pending = pending[ok & (good[pending] - fail[pending] > 1)]
    pending = np.flatnonzero(good - fail > 1)
    while pending.size:
        mid = np.floor((good[pending] + fail[pending]) / 2)
        ok = meets(todo[pending], mid)
        good[pending[ok]], fail[pending[~ok]] = mid[ok], mid[~ok]
        pending = pending[good[pending] - fail[pending] > 1]
    return good


def scheduled_agents(agents, shrinkage) -> np.ndarray:
    """Paid agents for ``agents`` productive ones: ⌈agents / (1 − shrinkage)⌉, shrinkage a share 0–1.

    A tolerance keeps float noise from rounding a whole number up (21 / (1 − 0.3) = 30.000000000000004).
    """
    return np.ceil(np.asarray(agents, float) / (1 - np.asarray(shrinkage, float)) - 1e-9)


def required_agents(arrivals, interval_s, aht_s, *, answer_s=None, service_level=None, asa_s=None,
                    max_occupancy=1.0, shrinkage=0.0, patience_s=None, max_abandonment=None) -> Staffing:
    """The fewest productive agents that meet every target, and the agents to schedule.

    Erlang C without ``patience_s``, Erlang A with it. Each target is met by all agent counts
    from some count on; the answer is the largest of those counts over the targets (the most
    restrictive wins), found per interval by doubling and bisection. Without a service target
    the answer is the smallest count whose occupancy is within ``max_occupancy``: for Erlang C
    the smallest stable count (more agents than traffic), for Erlang A at least one agent.
    Zero arrivals need 0 agents.

    Parameters
    ----------
    arrivals, interval_s, aht_s : float or array-like
        Contacts per interval (≥ 0), interval length and mean handle time in seconds (> 0).
    answer_s : float or array-like, optional
        Service-level threshold in seconds (≥ 0); give it exactly when ``service_level`` is given.
    service_level : float or array-like, optional
        Least share 0–1 of all arrivals answered within ``answer_s``, below 1.
    asa_s : float or array-like, optional
        Longest average speed of answer in seconds, > 0.
    max_occupancy : float or array-like, default 1.0
        Largest share of agent time busy, in (0, 1].
    shrinkage : float or array-like, default 0.0
        Share 0–1 (below 1) of paid time not available for contacts; scheduled agents are
        ⌈agents / (1 − shrinkage)⌉.
    patience_s : float or array-like, optional
        Mean patience in seconds (> 0): switches to Erlang A.
    max_abandonment : float or array-like, optional
        Largest share of arrivals that hang up, in (0, 1]; Erlang A only.

    Returns
    -------
    Staffing
        Agents, scheduled agents and the queue state at the agents.
    """
    if (service_level is None) != (answer_s is None):
        raise ValueError("give service_level and answer_s together (e.g. service_level=0.8, answer_s=20 for "
                         "80 % answered within 20 s), or neither")
    if max_abandonment is not None and patience_s is None:
        raise ValueError("max_abandonment needs patience_s: Erlang C has no abandonment")
    lam_n, interval, aht = _arrivals(arrivals), _seconds(interval_s, "interval_s"), _seconds(aht_s, "aht_s")
    cap = _share(max_occupancy, "max_occupancy", "in (0, 1]", lambda x: (x > 0) & (x <= 1))
    shrink = _share(shrinkage, "shrinkage", "in 0–1 below 1", lambda x: (x >= 0) & (x < 1))
    arrays = [lam_n, interval, aht, cap, shrink]
    t = _seconds(answer_s, "answer_s", positive=False) if answer_s is not None else np.zeros(())
    sl = (_share(service_level, "service_level", "in 0–1 below 1 (1 can never be met)", lambda x: (x >= 0) & (x < 1))
          if service_level is not None else np.zeros(()))
    asa = _seconds(asa_s, "asa_s") if asa_s is not None else np.full((), np.inf)
    patience = _seconds(patience_s, "patience_s") if patience_s is not None else np.ones(())
    ab = (_share(max_abandonment, "max_abandonment", "in (0, 1]", lambda x: (x > 0) & (x <= 1))
          if max_abandonment is not None else np.ones(()))
    arrays += [t, sl, asa, patience, ab]
    shape = np.broadcast_shapes(*(x.shape for x in arrays))
    lam_n, interval, aht, cap, shrink, t, sl, asa, patience, ab = (np.broadcast_to(x, shape).ravel() for x in arrays)
    lam, traffic = lam_n / interval, lam_n * aht / interval
    erlang_c_model = patience_s is None

    def meets_c(i: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Whether n agents meet the Erlang C targets of the intervals ``i`` (all with arrivals > 0)."""
        ok = n > traffic[i]
        k = i[ok]
        _, level, speed = _erlang_c(traffic[k], aht[k], n[ok], t[k])
        ok[ok] = (level >= sl[k]) & (speed <= asa[k]) & (traffic[k] / n[ok] <= cap[k])
        return ok

    def meets_a(i: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Whether n agents meet the Erlang A targets of the intervals ``i`` (all with arrivals > 0)."""
        _, level, speed, _, occupancy, abandon = _erlang_a(lam[i], 1 / aht[i], 1 / patience[i], n, t[i])
        with np.errstate(invalid="ignore"):  # NaN (no agents, nobody answered) fails
            return (level >= sl[i]) & (speed <= asa[i]) & (occupancy <= cap[i]) & (abandon <= ab[i])

    agents = np.zeros(lam.size)
    todo = np.flatnonzero(lam > 0)
    unstable = np.floor(traffic[todo])  # Erlang C fails at every count up to the traffic
    agents[todo] = _smallest(meets_c, todo, unstable, unstable + 1)
    if not erlang_c_model:
        # Erlang C's answer for the same targets is a close first guess; 0 agents never meet (occupancy
        # undefined, everyone hangs up)
        agents[todo] = _smallest(meets_a, todo, np.zeros(todo.size), np.maximum(agents[todo], 1), down=True)
    scheduled = scheduled_agents(agents, shrink)
    if erlang_c_model:
        busy = lam > 0
        wait, level, speed = np.zeros(lam.size), np.ones(lam.size), np.zeros(lam.size)
        wait[busy], level[busy], speed[busy] = _erlang_c(traffic[busy], aht[busy], agents[busy], t[busy])
        with np.errstate(divide="ignore", invalid="ignore"):
            occupancy = np.where(busy, traffic / agents, 0.0)
        queue = QueueState(*(_out(v, shape) for v in (traffic, wait, level, speed, speed, occupancy,
                                                      np.zeros(lam.size))))
    else:
        queue = _state_a(lam, aht, agents, t, patience, shape)
    return Staffing(_out(agents.astype(np.int64), shape, int), _out(scheduled.astype(np.int64), shape, int), queue)
