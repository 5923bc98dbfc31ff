"""Step 03, insight: do we know what customers experience in each channel, and what drives it?

:func:`insight` computes everything the step shows for one set of filters — measurement
coverage, comparisons corrected for many tests, the monthly trend, comment analytics
(language, themes, sentiment, personal data removed), key drivers, moments of truth,
loyalty, service recovery and the close-the-loop lists. Each part is computed when first
used, so widgets only pay for what they draw. The comment analysis of the whole period is
done once and shared by every filtered view.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from collections.abc import Iterator

from ..analysis.drivers import key_drivers
from ..analysis.loop import CALLBACK_HOURS, loop_lists, theme_owners
from ..analysis.loyalty import captive_detractors, churn_by_nps_group, loyalty_matrix, service_recovery
from ..analysis.moments import moments_of_truth
from ..analysis.significance import COVERAGE_MARGIN, compare_to_rest, coverage, monthly_change, trend
from ..config import ClientConfig
from ..i18n import Format, family_key, t, t_n
from ..io.workspace import Workspace, in_period
from ..results import Candidate, Effect, Finding, KpiValue, StepResult
from ..stats.multitest import ALPHA
from ..stats.nps import MIN_N, is_detractor, is_promoter, nps_sample_size
from ..text.pipeline import SENTIMENTS, CommentAnalysis, analyse
from . import REGISTRY
from .base import Filters, View, apply_filters
from .requires import missing_needs, requires

SPEC = REGISTRY["03_insight"]
_LOYALTY = ("feedback.nps", "feedback.customer_id", "customers.since", "customers.churned_at",
            "customers.annual_revenue")
"""What the behavioural × attitudinal loyalty tables need."""


def analyse_comments(feedback: pd.DataFrame, config: ClientConfig, taxonomy=None,
                     cache_dir: str | Path | None = None, progress=None) -> CommentAnalysis:
    """Comment analysis of every feedback row (rows without a comment stay empty)."""
    if "comment" not in feedback:
        feedback = feedback.assign(comment=pd.Series(pd.NA, index=feedback.index, dtype="str"))
    return analyse(feedback["comment"], languages=config.comment_languages, taxonomy=taxonomy,
                   cache_dir=cache_dir, progress=progress)


class Insight(View):
    """Everything step 03 shows for one set of filters.

    ``text`` is the comment analysis of the workspace's feedback (same index); pass it when
    making several views of the same data, else it is computed (and cached in ``cache_dir``).
    ``language`` keeps only comments in that language. Groups with fewer than ``min_n`` NPS
    answers are "too few" to report or test.
    """

    SPEC = SPEC

    def __init__(self, ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None,
                 text: CommentAnalysis | None = None, language: str | None = None, min_n: int = MIN_N,
                 cache_dir: str | Path | None = None):
        super().__init__(ws, filters=filters, lang=lang)
        self.min_n = min_n
        self.all_text = text if text is not None else analyse_comments(ws.tables["feedback"], ws.config, ws.themes,
                                                                       cache_dir=cache_dir)
        data = apply_filters(ws.tables, filters)
        feedback = in_period(data["feedback"], "date", self.start, self.end)
        if language is not None:
            feedback = feedback[self.all_text.comments["language"].reindex(feedback.index) == language]
        self.feedback = feedback
        self.scope = {**data, "feedback": feedback}
        self.contacts = data.get("contacts")
        self.customers = data.get("customers")

    @cached_property
    def text(self) -> CommentAnalysis:
        """The comment analysis restricted to this view's responses."""
        a = self.all_text
        positions = a.comments.index.get_indexer(self.feedback.index)
        keep = pd.Series(range(len(positions)), index=positions)
        mentions = a.mentions[a.mentions["row"].isin(keep.index)]
        mentions = mentions.assign(row=keep.reindex(mentions["row"]).to_numpy())
        return CommentAnalysis(a.comments.iloc[positions], mentions.reset_index(drop=True), a.themes,
                               a.language_shares, a.pii)

    @cached_property
    def coverage_channel(self) -> pd.DataFrame:
        """Responses, response rate, NPS with its interval and answers still needed, per channel."""
        return coverage(self.feedback, self.contacts, "channel", min_n=self.min_n)

    @requires("feedback.touchpoint")
    def coverage_touchpoint(self) -> pd.DataFrame | None:
        """Responses, NPS with its interval and answers still needed, per touchpoint."""
        return coverage(self.feedback, None, "touchpoint", min_n=self.min_n)

    @requires("feedback.nps")
    def comparisons(self) -> dict[str, pd.DataFrame]:
        """Each group against the rest, Holm-corrected NPS differences: ``{dimension: table}`` for
        channel and, when feedback has it, segment.
        """
        return {by: compare_to_rest(self.feedback, by, min_n=self.min_n)
                for by in ("channel", "segment") if not missing_needs(self.scope, (f"feedback.{by}",))}

    @requires("feedback.nps")
    def monthly(self) -> pd.DataFrame:
        """NPS per month and the change from the month before, Holm-corrected over the months."""
        return monthly_change(self.feedback, min_n=self.min_n)

    @requires("feedback.nps")
    def trend(self) -> dict:
        """Slope of NPS per month over the period, in points, with its interval and p-value."""
        return trend(self.feedback)

    @cached_property
    def themes(self) -> pd.DataFrame:
        """Per theme: mentions, negative/neutral/positive mention counts, share of comments
        mentioning it (0–1), negative share of its mentions (0–1) and mean score (−1…1).
        """
        m = self.text.mentions
        commented = int(self.text.comments["comment"].notna().sum())
        ids = [th.id for th in self.text.themes]
        counts = pd.crosstab(m["theme"], m["sentiment"]).reindex(index=ids, columns=list(SENTIMENTS), fill_value=0)
        out = counts.assign(mentions=counts.sum(axis=1))
        out["share"] = out["mentions"] / commented if commented else float("nan")
        out["negative_share"] = out["negative"] / out["mentions"].where(out["mentions"] > 0)
        out["score"] = m.groupby("theme")["score"].mean().reindex(ids)
        out["name"] = [th.name(self.lang) for th in self.text.themes]
        out = out.rename_axis("theme").reset_index()
        out.columns.name = None
        return out.sort_values("mentions", ascending=False, ignore_index=True)

    @requires("feedback.nps")
    def planner(self) -> pd.DataFrame:
        """NPS answers needed for margins of ±3, ±5 and ±10 points (a channel, a segment or the
        whole): worst case and at the promoter/detractor mix observed in this view.
        """
        scores = self.feedback["nps"].dropna().astype(int)
        mix = ({"promoters": float(is_promoter(scores).mean()), "detractors": float(is_detractor(scores).mean())}
               if len(scores) else {})
        return pd.DataFrame([{"margin": m, "worst_case": nps_sample_size(m), "observed": nps_sample_size(m, **mix)
                              if mix else float("nan")} for m in (3, 5, 10)])

    def verbatims(self, theme: str | None = None, sentiment: str | None = None, n: int = 5) -> pd.DataFrame:
        """The ``n`` newest scrubbed comments mentioning ``theme`` with that ``sentiment`` (of the
        mention), or, when ``theme`` is ``None``, any comment of that overall sentiment: columns
        date, channel, nps, language, comment.
        """
        m = self.text.mentions
        if theme is not None:
            m = m[m["theme"] == theme]
        if sentiment is not None:
            m = m[m["sentiment"] == sentiment]
        rows = pd.unique(m["row"].to_numpy()) if theme is not None else range(len(self.feedback))
        c = self.text.comments.iloc[list(rows)]
        if theme is None and sentiment is not None:
            c = c[c["sentiment"] == sentiment]
        c = c[c["comment"].notna()]
        fb = self.feedback.loc[c.index]
        out = pd.DataFrame({"date": fb["date"].dt.strftime("%Y-%m-%d"), "channel": fb["channel"],
                            "nps": fb.get("nps"), "language": c["language"], "comment": c["comment"]})
        # newest first; on the same day the later row first
        return out.iloc[::-1].sort_values("date", ascending=False, kind="stable").head(n).reset_index(drop=True)

    @requires("feedback.nps", "feedback.comment")
    def drivers(self) -> pd.DataFrame:
        """Key drivers of NPS among responses with a score and a comment (see :mod:`cxlib.analysis.drivers`)."""
        scored = self.feedback["nps"].notna().to_numpy() & self.text.comments["comment"].notna().to_numpy()
        mentions = self.text.theme_matrix("negative")[scored]
        mentions = mentions.loc[:, mentions.any()]
        if mentions.empty:
            return pd.DataFrame()
        out = key_drivers(self.feedback["nps"][scored].astype(int).to_numpy(), mentions.reset_index(drop=True))
        names = {th.id: th.name(self.lang) for th in self.text.themes}
        return out.rename_axis("theme").reset_index().assign(name=lambda d: d["theme"].map(names))

    @requires("feedback.nps", "feedback.touchpoint")
    def moments(self) -> pd.DataFrame | None:
        """Touchpoints by how much their NPS pulls on the overall NPS (moments of truth)."""
        stages = {tp: s.name for s in self.config.stages for tp in s.touchpoints}
        return moments_of_truth(self.feedback, self.customers, stages, min_n=self.min_n)

    @requires("feedback.nps", "feedback.customer_id", "customers.churned_at")
    def churn(self) -> pd.DataFrame | None:
        """Churn after answering, per NPS group, with intervals and a chi-square test."""
        return churn_by_nps_group(self.feedback, self.customers)

    @requires(*_LOYALTY)
    def loyalty(self) -> pd.DataFrame | None:
        """Customers by behaviour (loyal or not) and attitude (NPS group)."""
        return loyalty_matrix(self.feedback, self.customers, self._contacts_by_customer)

    @requires(*_LOYALTY, "customers.segment")
    def captives(self) -> pd.DataFrame | None:
        """Customers loyal in behaviour but detractors in attitude."""
        return captive_detractors(self.feedback, self.customers, self._contacts_by_customer)

    @requires("feedback.nps", "feedback.contact_id", "contacts.resolved_first_contact", "contacts.closed_at")
    def recovery(self) -> pd.DataFrame | None:
        """NPS by how the contact behind the answer was resolved, against answers without a problem."""
        return service_recovery(self.feedback, self.contacts)

    @cached_property
    def owners(self) -> dict[str, str]:
        """Theme id → suggested owning department (see :func:`cxlib.analysis.loop.theme_owners`)."""
        return theme_owners(self.text.themes, self.ws.tables.get("reasons"))

    @requires("feedback.nps", "feedback.customer_id")
    def loop(self) -> dict[str, pd.DataFrame]:
        """The close-the-loop lists: detractors to call back, promoters to ask (see :func:`loop_lists`)."""
        return loop_lists(self.feedback, self.text, self.customers, self.owners, lang=self.lang)

    @property
    def _contacts_by_customer(self) -> pd.DataFrame | None:
        """The contacts when they can be counted per customer (loyalty tables show contacts per customer)."""
        return None if missing_needs(self.scope, ("contacts.customer_id",)) else self.contacts

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Fix the top drivers (NPS points gained), call detractors back (customers reached per year)."""
        return candidates(self)

    def result(self) -> StepResult:
        """NPS per channel with coverage; the coverage, theme, driver and moment tables; the close-the-loop lists."""
        kpis = [KpiValue(kpi="nps", scope=f"channel:{r.channel}", value=r.nps, low=r.nps_low, high=r.nps_high,
                         n=int(r.nps_n)) for r in self.coverage_channel.itertuples()]
        return self.step_result(kpis, {"coverage": self.coverage_channel, "themes": self.themes,
                                       "drivers": self.drivers, "moments": self.moments, **(self.loop or {})})


def view(ws: Workspace, *, filters: Filters = Filters(), lang: str | None = None, text: CommentAnalysis | None = None,
         language: str | None = None, min_n: int = MIN_N, cache_dir: str | Path | None = None) -> Insight:
    """The step-03 view of workspace ``ws`` for ``filters``; see :class:`Insight`."""
    return Insight(ws, filters=filters, lang=lang, text=text, language=language, min_n=min_n, cache_dir=cache_dir)


def _magnitude(f: Format, points: float) -> str:
    """Points without their sign (the label says higher or lower)."""
    return f.number(abs(points), 0)


def _slope(f: Format, points_per_month: float) -> str:
    """Points per month with one decimal and a sign (slopes per month are small)."""
    return ("+" if points_per_month > 0 else "") + f.number(points_per_month, 1)


def _coverage(v: Insight) -> Iterator[Finding]:
    f, cov = v.fmt, v.coverage_channel
    small = cov[cov["too_small"]]
    margin = f.number(COVERAGE_MARGIN, 0)
    if small.empty:
        yield v.finding("coverage", "f03.coverage_ok", estimate=0.0, total=len(cov), margin=margin)
    else:
        yield v.finding("coverage", "f03.coverage_small", estimate=float(len(small)), count=len(small),
                        total=len(cov), margin=margin, groups=", ".join(v.names.get(c, c) for c in small["channel"]),
                        needed=f.value(small["missing"].sum(), "count"))


def _comparisons(v: Insight) -> Iterator[Finding]:
    for by, cmp in (v.comparisons or {}).items():
        sig = cmp[cmp["significant"]]
        label = (lambda group: v.names.get(group, group)) if by == "channel" else str
        if sig.empty:
            yield v.finding(f"compare_{by}", "f03.compare_ns", dim=t(family_key("dim", by), v.lang).lower())
        for row in sig.itertuples():
            group = getattr(row, by)
            yield v.finding(f"compare_{by}_{group}", family_key("f03.compare", row.verdict), kpi="nps",
                            estimate={"value": row.diff, "low": row.low, "high": row.high}, group=label(group),
                            diff=_magnitude(v.fmt, row.diff), p=v.fmt.p(row.p_adjusted))


def _trend(v: Insight) -> Iterator[Finding]:
    tr, f = v.trend or {}, v.fmt
    if tr.get("months", 0) >= 3:
        key = "f03.trend_sig" if tr["p"] < ALPHA else "f03.trend_ns"
        yield v.finding("trend", key, kpi="nps", estimate={"value": tr["slope"], "low": tr["low"], "high": tr["high"]},
                        slope=_slope(f, tr["slope"]), low=_slope(f, tr["low"]), high=_slope(f, tr["high"]),
                        p=f.p(tr["p"]))


def _comments(v: Insight) -> Iterator[Finding]:
    f, comments = v.fmt, v.text.comments
    commented = int(comments["comment"].notna().sum())
    if commented:
        shares = comments["language"].value_counts(normalize=True)
        yield v.finding("comments", "f03.comments", estimate=float(commented), count=commented,
                        n=f.value(commented, "count"),
                        languages=", ".join(f"{k} {f.value(share, 'share')}" for k, share in shares.items()),
                        pii=f.value(sum(v.text.pii.values()), "count"))


def _top_driver(v: Insight) -> Iterator[Finding]:
    if v.drivers is not None and not v.drivers.empty:
        top, f = v.drivers.iloc[0], v.fmt
        yield v.finding("driver_top", "f03.driver", kpi="nps",
                        estimate={"value": top["gain"], "low": top["gain_low"], "high": top["gain_high"]},
                        theme=top["name"], gain=_magnitude(f, top["gain"]), low=f.value(top["gain_low"], "points"),
                        high=f.value(top["gain_high"], "points"), importance=f.value(top["importance"], "share"))


def _top_moment(v: Insight) -> Iterator[Finding]:
    if v.moments is not None and not v.moments.empty:
        m, f = v.moments.iloc[0], v.fmt
        yield v.finding("moment_top", "f03.moment", kpi="nps",
                        estimate={"value": m["impact"], "low": m["impact_low"], "high": m["impact_high"]},
                        touchpoint=m["touchpoint"], nps=f.value(m["nps"], "points"),
                        rest=f.value(m["nps_rest"], "points"), impact=_magnitude(f, m["impact"]),
                        share=f.value(m["share"], "share"),
                        direction=t("verdict.down" if m["impact"] > 0 else "verdict.up", v.lang))


def _churn_by_group(v: Insight) -> Iterator[Finding]:
    if v.churn is not None and len(v.churn) == 3:
        c, f = v.churn.set_index("group"), v.fmt
        p = c["p"].iloc[0]
        yield v.finding("churn_by_group", "f03.churn_sig" if p < ALPHA else "f03.churn_ns",
                        estimate=float(c.loc["detractor", "churn_rate"]),
                        det=f.value(c.loc["detractor", "churn_rate"], "share"),
                        pro=f.value(c.loc["promoter", "churn_rate"], "share"), p=f.p(p))


def _captives(v: Insight) -> Iterator[Finding]:
    if v.captives is not None and len(v.captives):
        cap, f = v.captives, v.fmt
        answering = int(v.loyalty["customers"].sum())
        segments = cap["segment"].value_counts(normalize=True) if "segment" in cap else pd.Series(dtype=float)
        yield v.finding("captives", "f03.captives", estimate=float(len(cap)), n=f.value(len(cap), "count"),
                        share=f.value(len(cap) / answering, "share"),
                        revenue=f.value(cap["annual_revenue"].sum(), "currency"),
                        tenure=f.number(cap["tenure_years"].mean(), 1),
                        segment=f"{segments.index[0]} {f.value(segments.iloc[0], 'share')}" if len(segments) else "–")


def _recovery(v: Insight) -> Iterator[Finding]:
    if v.recovery is not None:
        r, f = v.recovery[v.recovery["n"] > 0], v.fmt
        outcomes = "; ".join(f"{t(family_key('rec', o), v.lang)} {f.value(nps, 'points')} (n = {f.value(n, 'count')})"
                             for o, nps, n in zip(r["outcome"], r["nps"], r["n"]))
        yield v.finding("recovery", "f03.recovery", outcomes=outcomes)


def _loop(v: Insight) -> Iterator[Finding]:
    if v.loop is not None:
        callbacks, f = v.loop["callbacks"], v.fmt
        yield v.finding("loop", "f03.loop", estimate=float(len(callbacks)), callbacks=f.value(len(callbacks), "count"),
                        high=f.value(int((callbacks["priority"] == "high").sum()), "count"),
                        promoters=f.value(len(v.loop["promoters"]), "count"))


Insight.FINDINGS = (_coverage, _comparisons, _trend, _comments, _top_driver, _top_moment, _churn_by_group,
                    _captives, _recovery, _loop)


def theme_touchpoints(view: Insight) -> dict[str, str]:
    """Each theme's touchpoint: the one where most of its negative mentions were made (none without touchpoints)."""
    if "touchpoint" not in view.feedback:
        return {}
    negative = view.text.theme_matrix("negative")
    at = view.feedback["touchpoint"].to_numpy()
    out = {}
    for theme in negative.columns:
        counts = pd.Series(at[negative[theme].to_numpy()]).value_counts()
        if len(counts):
            out[theme] = str(counts.index[0])
    return out


def candidates(view: Insight) -> list[Candidate]:
    """Fix the root causes of the top drivers whose NPS gain is surely positive (effect: NPS points,
    from the driver analysis), and call detractors back (reach: detractors per year to call).
    """
    out = []
    drivers = view.drivers
    touchpoints = theme_touchpoints(view)
    for row in drivers.head(3).itertuples() if drivers is not None and not drivers.empty else ():
        if row.gain_low <= 0:
            continue
        out.append(Candidate(id=f"03-theme-{row.theme}", name=t("c03.theme", view.lang, theme=row.name),
                             area="insight", source_step=SPEC.name, mechanism="nps", owner=view.owners.get(row.theme),
                             effects={"nps_points": Effect(value=row.gain, low=row.gain_low, high=row.gain_high)},
                             touchpoint=touchpoints.get(row.theme)))
    n = len(view.loop["callbacks"]) if view.loop is not None else 0
    if n:
        out.append(Candidate(id="03-close-the-loop", name=t_n("c03.loop", CALLBACK_HOURS, view.lang), area="insight",
                             source_step=SPEC.name, mechanism="nps",
                             reach_per_year=n / view.years if view.years else None))
    return out
