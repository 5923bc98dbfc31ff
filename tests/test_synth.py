"""The synthetic client generator: determinism, the input contract and the built-in effects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib import synth
from cxlib.config import load_config
from cxlib.kpis import KPIS
from cxlib.synth import comments, demand, journeys, references, resources
from cxlib.synth.profiles import DAY_S

SCALE = 0.1  # ≈2,000 customers, ≈5,600 contacts, 620 responses


def _read(paths: dict) -> dict[str, pd.DataFrame]:
    """The generated tables, read with pandas alone (dialects as written by the generator)."""
    return {
        "feedback": pd.read_csv(paths["feedback"], sep=";", encoding="utf-8-sig", parse_dates=["date"]),
        "customers": pd.read_csv(paths["customers"], sep=";", encoding="cp1252", decimal=","),
        "contacts": pd.read_parquet(paths["contacts"]),
        "journeys": pd.read_parquet(paths["journeys"]),
        "reasons": pd.read_csv(paths["reasons"]),
        "initiatives": pd.read_excel(paths["initiatives"]),
        "maturity": pd.read_csv(paths["maturity"]),
        "staffing": pd.read_csv(paths["staffing"]),
    }


def _as_parquet(table) -> pd.DataFrame:
    """A built arrow table as :func:`_read` reads it back from parquet (timestamps in milliseconds)."""
    frame = table.to_pandas()
    return frame.astype({col: "datetime64[ms]" for col in frame.select_dtypes("datetime").columns})


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    paths = synth.generate(tmp_path_factory.mktemp("ws"), scale=SCALE)
    return paths, _read(paths)


@pytest.fixture(scope="module")
def tables(ws):
    return ws[1]


@pytest.fixture(scope="module")
def config(ws):
    return load_config(ws[0]["client"])


@pytest.fixture(scope="module")
def model():
    """The draws behind ``synth.generate(..., scale=SCALE)``: its volumes and one random stream per part."""
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(42).spawn(7)]
    customers = demand.customers(rng[0], round(20_000 * SCALE))
    sessions = journeys.sessions(rng[3], customers, round(20_000 * SCALE), round(8_000 * SCALE))
    ordinary = demand.contacts(rng[1], customers, round(47_000 * SCALE))
    return {"customers": customers, "sessions": sessions, "ordinary": ordinary,
            "dropout": demand.dropout_contacts(rng[6], customers, sessions, ordinary)}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits[:-1]):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return (10 - total % 10) % 10 == int(digits[-1])


def _fnr_ok(fnr: str) -> bool:
    d = [int(x) for x in fnr]
    k1 = (11 - sum(a * b for a, b in zip(d[:9], [3, 7, 6, 1, 8, 9, 4, 5, 2])) % 11) % 11
    k2 = (11 - sum(a * b for a, b in zip(d[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) % 11) % 11
    return k1 == d[9] and k2 == d[10]


def test_same_seed_gives_identical_tables(tmp_path):
    a = _read(synth.generate(tmp_path / "a", seed=7, scale=0.05))
    b = _read(synth.generate(tmp_path / "b", seed=7, scale=0.05))
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    c = _read(synth.generate(tmp_path / "c", seed=8, scale=0.05))
    assert not a["feedback"].equals(c["feedback"])


def test_client_yaml_loads_and_describes_the_channels(ws, config):
    text = ws[0]["client"].read_text(encoding="utf-8")
    assert text.count("\n#") >= 10  # commented template
    assert (config.name, config.language, config.currency) == ("Norrsken Energi AB", "sv", "SEK")
    assert [c.id for c in config.channels] == ["phone", "chat", "email", "webform", "app", "web"]
    phone = config.channel("phone")
    assert phone.kind == "queue" and phone.shrinkage == 0.35
    assert phone.open_minutes() == {d: (480, 1080) for d in range(5)}
    assert (phone.service_level.share, phone.service_level.within_s) == (0.8, 60)
    assert config.channel("email").service_level.within_s == 86400
    assert config.channel("web").kind == "self-service"
    assert all(c.cost_per_contact > 0 for c in config.channels)
    assert len(config.targets) >= len(KPIS) // 2
    assert 6 <= len(config.departments) <= 8
    assert 0 < config.gross_margin < 1 and 0 < config.discount_rate < 1


def test_feedback_contract(tables, config):
    fb, customers = tables["feedback"], tables["customers"]
    assert len(fb) == round(6200 * SCALE)
    assert fb.response_id.is_unique
    assert set(fb.channel) <= {c.id for c in config.channels}
    for col, lo, hi in (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)):
        s = fb[col].dropna()
        assert s.between(lo, hi).all() and (s == s.round()).all()
    assert 0.05 < fb.csat.isna().mean() < 0.3 and 0.15 < fb.ces.isna().mean() < 0.45
    assert set(fb.device) <= {"mobile", "desktop", "tablet", "other"}
    assert set(fb.segment) == {"privat", "företag"}
    assert set(fb.customer_id) <= set(customers.customer_id)
    assert fb.date.between("2025-01-01", "2025-12-31").all()
    assert set(fb.contact_id.dropna()) <= set(tables["contacts"].contact_id)


def test_contacts_contract(tables, config):
    co = tables["contacts"]
    assert len(co) > 50_000 * SCALE
    assert co.contact_id.is_unique
    assert set(co.channel) == {c.id for c in config.channels if c.kind != "self-service"}
    assert (co.first_response_at.dropna() >= co.opened_at[co.first_response_at.notna()]).all()
    assert (co.closed_at.dropna() >= co.opened_at[co.closed_at.notna()]).all()
    assert (co.handle_time_s.dropna() >= 0).all()
    assert set(co.customer_id) <= set(tables["customers"].customer_id)
    queue = co.channel.isin(["phone", "chat"])
    assert co.abandoned[~queue].isna().all() and co.abandoned[queue].notna().all()
    gone = co.abandoned.fillna(False).astype(bool)
    assert co.loc[gone, ["first_response_at", "closed_at", "handle_time_s"]].isna().all().all()
    assert co.loc[~gone, ["first_response_at", "closed_at"]].notna().all().all()
    for ch in ("phone", "chat"):
        assert 0.03 < gone[co.channel == ch].mean() < 0.13


def test_queues_only_within_opening_hours(tables, config):
    co = tables["contacts"]
    for ch in ("phone", "chat"):
        t = co.opened_at[co.channel == ch]
        hours = config.channel(ch).open_minutes()
        span = np.array([hours.get(d, (0, 0)) for d in range(7)])[t.dt.day_of_week]
        minute = (t.dt.hour * 60 + t.dt.minute).to_numpy()
        assert ((minute >= span[:, 0]) & (minute < span[:, 1])).all(), ch


def test_journeys_contract(tables):
    j = tables["journeys"]
    assert not j.duplicated(["session_id", "step_order"]).any()
    assert (j.step_order >= 1).all()
    first = j.groupby("session_id").step_order.agg(["min", "max", "size"])
    assert (first["min"] == 1).all() and (first["max"] == first["size"]).all()
    assert (j.groupby("session_id").timestamp.diff().dropna() >= pd.Timedelta(0)).all()
    assert set(j.device) <= {"mobile", "desktop", "tablet", "other"}
    assert set(j.journey) == {"teckna elavtal", "flytta avtal"}
    assert j.customer_id[j.journey == "flytta avtal"].notna().all()


def test_dropout_contacts_follow_dropped_service_sessions(model):
    s, k = model["sessions"], model["dropout"]
    first = {key: v[~k["repeat"]] for key, v in k.items()}  # the contacts themselves, not their repeats
    assert len(first["t"]) > 100 and k["repeat"].any()
    reasons = pd.Series(np.asarray(demand.R_NAMES)[first["reason"]])
    assert set(reasons) == {"fel i flyttärende", "flytt"} and 0.6 < (reasons == "fel i flyttärende").mean() < 0.8
    dropped = (s["journey"] == journeys.SERVICE) & s["dropped"] & (s["reached"] >= 2)
    sessions = pd.DataFrame({"cust": s["customer"][dropped], "last": s["last_event"][dropped]}).sort_values("last")
    contacts = pd.DataFrame({"cust": first["cust"], "t": first["t"]}).sort_values("t")
    after = pd.merge_asof(contacts, sessions, left_on="t", right_on="last", by="cust", direction="backward")
    assert after["last"].notna().all()  # each contact comes after a dropped service session of its customer
    assert ((after["t"] - after["last"]) <= 2 * DAY_S).mean() > 0.9  # most within two days (not over weekends)


def test_contacts_after_dropout_more_often_on_mobile(tables):
    j = tables["journeys"]
    steps = j.groupby("journey").step_order.max()
    s = j.groupby("session_id").agg(journey=("journey", "first"), device=("device", "first"),
                                    customer_id=("customer_id", "first"), reached=("step_order", "max"),
                                    last_at=("timestamp", "max"))
    dropped = s[(s.journey == "flytta avtal") & (s.reached >= 2) & (s.reached < s.journey.map(steps))]
    dropped = dropped.assign(last_at=dropped.last_at.astype("datetime64[ns]")).sort_values("last_at")
    co = tables["contacts"][["customer_id", "opened_at", "contact_id"]]
    co = co.assign(opened_at=co.opened_at.astype("datetime64[ns]")).sort_values("opened_at")
    after = pd.merge_asof(dropped, co, left_on="last_at", right_on="opened_at", by="customer_id",
                          direction="forward", tolerance=pd.Timedelta(days=2), allow_exact_matches=False)
    rate = after.contact_id.notna().groupby(after.device).mean()
    assert 0.15 < rate["desktop"] < rate["mobile"] - 0.05 < 0.45


def test_dropout_contacts_leave_the_other_draws_alone(tables, model):
    """Drop-out contacts have a random stream of their own: journeys and the other contacts are as before them."""
    ordinary, dropout, customers = model["ordinary"], model["dropout"], model["customers"]
    assert (len(tables["journeys"]), tables["journeys"].session_id.nunique()) == (6092, 2800)  # before them
    assert len(ordinary["t"]) == 5651  # all contacts before drop-out contacts existed
    built = journeys.journeys_table(model["sessions"], customers)
    pd.testing.assert_frame_equal(tables["journeys"], _as_parquet(built))
    co = tables["contacts"]
    pd.testing.assert_frame_equal(co, _as_parquet(demand.contacts_table(demand.merge_contacts(ordinary, dropout),
                                                                        customers)))
    new = np.argsort(np.concatenate([ordinary["t"], dropout["t"]]), kind="stable") >= len(ordinary["t"])
    before = _as_parquet(demand.contacts_table(ordinary, customers)).drop(columns="contact_id")
    pd.testing.assert_frame_equal(co[~new].drop(columns="contact_id").reset_index(drop=True), before)


def test_customers_contract_and_dialect(ws, tables):
    cu = tables["customers"]
    assert cu.customer_id.is_unique and len(cu) == round(20_000 * SCALE)
    since = pd.to_datetime(cu.since, format="%d.%m.%Y")
    churned = pd.to_datetime(cu.churned_at, format="%d.%m.%Y")
    assert (churned.dropna() >= since[churned.notna()]).all()
    assert since.min() >= pd.Timestamp("2015-01-01") and since.max() <= pd.Timestamp("2025-12-31")
    assert 0.08 < churned.notna().mean() < 0.17
    assert churned.dropna().dt.year.eq(2025).all()
    assert (cu.annual_revenue >= 0).all()
    med = cu.groupby("segment").annual_revenue.median()
    assert 15_000 < med["privat"] < 30_000 < med["företag"]
    raw = ws[0]["customers"].read_bytes()
    assert "företag".encode("cp1252") in raw  # cp1252, Swedish letters round-trip
    assert re.search(rb";\d{1,2}\.\d{1,2}\.2\d{3};", raw) and re.search(rb";\d+,\d{1,2};", raw)
    assert ws[0]["feedback"].read_bytes().startswith(b"\xef\xbb\xbfresponse_id;date;")


def test_reasons_initiatives_maturity(tables, config):
    departments = {d.id for d in config.departments}
    r = tables["reasons"]
    assert r.reason.is_unique and 15 <= len(r) <= 20
    assert set(r.demand_type.dropna()) == {"value", "failure"}
    assert set(r.reason[r.demand_type.isna()]) == set(demand.UNLABELLED)  # left to step 06's rules and workshop
    assert set(r.owner_department) <= departments and r.root_cause.notna().all()
    assert set(r.touchpoint.dropna()) <= {t for stage in config.stages for t in stage.touchpoints}
    assert r.reason[r.touchpoint.isna()].tolist() == ["ej fått svar"]  # about the channel itself
    assert (r.touchpoint[r.owner_department == "fakturering"] == "faktura").all()  # step 05's effort hotspot
    i = tables["initiatives"]
    assert i.id.is_unique and len(i) == 12
    assert i.effort.between(1, 5).all() and i.effect.between(1, 5).all()
    assert (i.cost >= 0).all() and (i.duration >= 0).all() and set(i.owner) <= departments
    m = tables["maturity"]
    assert not m.duplicated(["area", "participant"]).any()
    assert 6 <= m.area.nunique() <= 8 and 5 <= m.participant.nunique() <= 6
    assert m.current.between(1, 5).all() and m.desired.between(1, 5).all()
    assert (m.desired >= m.current).all()


def test_failure_demand_share_and_effects(tables):
    co, fb = tables["contacts"], tables["feedback"]
    failure = set(np.asarray(demand.R_NAMES)[demand.R_FAIL])
    co = co.assign(failure=co.reason.isin(failure))
    assert 0.35 <= co.failure.mean() <= 0.45
    fcr = co.groupby("failure").resolved_first_contact.mean()
    assert fcr[True] < fcr[False] - 0.1
    mix = co.channel.value_counts(normalize=True)
    assert mix["phone"] == pytest.approx(0.40, abs=0.05) and mix["webform"] == pytest.approx(0.10, abs=0.04)
    # repeat contacts: same customer and reason within a week, mostly failure demand
    s = co.sort_values("opened_at")
    again = s.groupby(["customer_id", "reason"]).opened_at.diff() < pd.Timedelta(days=7)
    rate = again.groupby(s.failure).mean()
    assert rate[True] > 2 * rate[False]
    # March billing incident
    billing = co[co.reason == "faktura fel"].opened_at.dt.month.value_counts()
    assert billing[3] > 2.5 * billing.drop(3).mean()
    # detractors complain about failure demand
    merged = fb.merge(co[["contact_id", "failure"]], on="contact_id")
    nps = merged.groupby("failure").nps.apply(lambda s: ((s >= 9).mean() - (s <= 6).mean()) * 100)
    assert nps[True] < nps[False] - 20


def test_scores_are_correlated_and_churners_score_lower(tables):
    fb, cu = tables["feedback"], tables["customers"]
    corr = fb[["nps", "csat", "ces"]].astype(float).corr()
    assert 0.5 < corr.loc["nps", "csat"] < 0.9 and 0.4 < corr.loc["nps", "ces"] < 0.9
    nps = ((fb.nps >= 9).mean() - (fb.nps <= 6).mean()) * 100
    assert -5 < nps < 25
    churned = fb.customer_id.isin(cu.customer_id[cu.churned_at.notna()])
    assert fb.nps[churned].mean() < fb.nps[~churned].mean() - 0.5


def test_comments_languages_and_pii(tables):
    fb = tables["feedback"]
    c = fb.comment.dropna()
    assert len(c) > 0.75 * len(fb)
    share = fb.language.value_counts(normalize=True)
    assert 0.7 < share["sv"] < 0.9 and 0.04 < share["nb"] < 0.17 and 0.04 < share["en"] < 0.17
    english = fb.comment[fb.language == "en"].dropna().str.contains(r"\b(?:the|my|was|is|to|I)\b", case=False)
    swedish = fb.comment[fb.language == "sv"].dropna().str.contains(r"\b(?:the|my|was)\b", case=False)
    assert english.mean() > 0.5 > 0.05 > swedish.mean()
    assert c.str.split().str.len().max() >= 15 and c.str.split().str.len().min() <= 2
    assert (c == c.str.lower()).mean() > 0.05  # some typed without capitals
    pnr = c.str.findall(r"\b(\d{6}-\d{4}|\d{12})\b").explode().dropna()
    mail = c.str.contains(r"[\w.]+@[\w.]+\.\w+")
    phone = c.str.contains(r"\b07\d-\d{3} \d{2} \d{2}\b|\+4[67] \d")
    pii = mail | phone | c.str.contains(r"\b\d{6}-\d{4}\b|\b\d{12}\b|\b\d{11}\b")
    assert 0.005 < pii.mean() < 0.1
    assert all(_luhn_ok(p.replace("-", "")[-10:]) for p in pnr)
    assert c.str.contains(r"\bNE\d{7}\b|\b2025-\d{6}\b|\b\d{9}\b").any()  # order/case/invoice numbers


def test_identity_numbers_have_valid_checksums():
    rng = np.random.default_rng(0)
    for long in (False, True):
        values = references.personnummer(rng, 500, long).to_pylist()
        assert all(re.fullmatch(r"\d{12}" if long else r"\d{6}-\d{4}", v) for v in values)
        assert all(_luhn_ok(v.replace("-", "")[-10:]) for v in values)
    fnr = references.fodselsnummer(rng, 500).to_pylist()
    assert all(len(v) == 11 and _fnr_ok(v) for v in fnr)


def test_import_builds_nothing():
    """Importing the package and all its modules reads no data file and builds no table."""
    code = """
import importlib, json, pkgutil, sys
import cxlib.synth
lazy = [m for m in ("cxlib.synth.generator", "pandas", "pyarrow", "yaml") if m in sys.modules]
mods = [importlib.import_module(f"cxlib.synth.{m.name}") for m in pkgutil.iter_modules(cxlib.synth.__path__)]
sizes = {f"{mod.__name__}.{name}": obj.cache_info().currsize for mod in mods for name, obj in vars(mod).items()
         if hasattr(obj, "cache_info") and obj.__module__ == mod.__name__}
print(json.dumps({"lazy": lazy, "sizes": sizes}))
"""
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert out["lazy"] == []  # `import cxlib.synth` alone imports no submodule and no heavy library
    sizes = out["sizes"]
    for name in ("resources.data_text", "resources.data_yaml", "resources.config", "comments.bank",
                 "comments.phrases", "references.names", "profiles.shapes", "profiles.open_minutes",
                 "profiles.hour_weights", "demand.reason_shares", "demand.channel_given_reason"):
        assert f"cxlib.synth.{name}" in sizes, name
    assert sizes == dict.fromkeys(sizes, 0)


def test_data_files_load():
    text = resources.client_yaml()
    assert text == (Path(__file__).resolve().parents[1] / "cxlib" / "synth" / "data" / "client.yaml").read_text(
        encoding="utf-8")
    assert text.startswith("# client.yaml: everything")
    assert text.endswith("  capacity_per_quarter: 2\n  top_k: 3\n")
    assert resources.config().name == "Norrsken Energi AB"
    assert resources.config().prioritisation.budget == 3_000_000
    bank = comments.phrases()
    for lang in comments.LANGS:
        assert list(bank["phrases"][lang]) == list(comments.THEMES)
        assert all(len(neg) >= 4 and len(pos) >= 3 for neg, pos in bank["phrases"][lang].values())
        assert all(len(group) >= 2 for key in ("openers", "closers", "short") for group in bank[key][lang])
        assert all(template.count("{}") == 1 for template, _ in bank["refs"][lang])
    assert bank["connect"] == {"sv": "Men ", "nb": "Men ", "en": "But "}  # trailing spaces kept
    assert ("Fødselsnummer: {}", "fnr") in bank["refs"]["nb"]
    assert bank["phrases"]["en"]["billing"][0][2] == "I can't make sense of the bill, way too many fees."
    assert comments.bank().texts[0].as_py() == bank["phrases"]["sv"]["billing"][0][0]
    words = references.names()
    assert words["first_names"][:2] == ("anna", "erik") and words["mail_domains"][-1] == "bredband.net"


def test_formats_and_volumes(tmp_path):
    first = synth.generate(tmp_path, scale=0.02)
    assert first["feedback"].suffix == ".csv" and first["initiatives"].suffix == ".xlsx"
    paths = synth.generate(tmp_path, scale=0.02, responses_per_day=2, formats="parquet")
    assert {p.suffix for name, p in paths.items() if name not in ("client", "scenarios")} == {".parquet"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths.values())  # old files gone
    assert len(pd.read_parquet(paths["feedback"])) == 730
    with pytest.raises(ValueError):
        synth.generate(tmp_path, formats={"feedback": "json"})
    with pytest.raises(ValueError):
        synth.generate(tmp_path, scale=0)


def test_generated_workspace_loads(ws):
    from cxlib.io.workspace import load_workspace

    workspace = load_workspace(ws[0]["client"].parent)
    assert set(workspace.tables) == set(synth.DEFAULT_FORMATS)
    assert workspace.table("customers").segment.str.contains("ö").any()
    assert workspace.table("contacts").abandoned.dtype == "boolean"


def test_committed_sample_is_reproducible(tmp_path):
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    fresh = synth.generate(tmp_path)
    for name in ("client", "scenarios"):
        assert (sample / fresh[name].name).read_text(encoding="utf-8") == fresh[name].read_text(encoding="utf-8")
    committed = _read({name: sample / path.name for name, path in fresh.items()})
    for name, frame in _read(fresh).items():
        pd.testing.assert_frame_equal(committed[name], frame, obj=name)
    assert sum(p.stat().st_size for p in sample.iterdir()) < 5_000_000
