"""Dates, reopening over time, conflicting reports and page views in the URL.

The articles in tests/fixtures/timeline/ are written by us in the style of 2020 reports: one park's
reopening rate on several dates, a second article giving another rate for the same day, a news-agency
dateline and a "2020-02-22 10:15  来源：…" page header."""
import base64
import json
import shutil

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, read_csv, run_cli
from dashboard import dataset
from loaders.assemble.asof import as_of, date_facts

FIXTURES = ROOT / "tests" / "fixtures" / "timeline"
HEFEI = "合肥经开区"


@pytest.fixture(scope="module")
def timeline_data(tmp_path_factory):
    """data/ built from the seeds plus the timeline articles."""
    root = tmp_path_factory.mktemp("timeline")
    seeds = root / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, seeds / path.name)
    out = root / "data"
    proc = run_cli("build", "--seeds", str(seeds), "--out", str(out), env={"LOADERS_CACHE_DIR": str(root / "cache")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture()
def app_data(timeline_data, tmp_path, monkeypatch):
    out = tmp_path / "data"
    shutil.copytree(timeline_data, out)
    monkeypatch.setenv("PARKS_DATA_DIR", str(out))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    return out


def hefei_rates(data) -> list[dict]:
    parks = {p["park_id"]: p["name"] for p in read_csv(data / "parks.csv")}
    return [f for f in read_csv(data / "facts.csv") if parks[f["park_id"]] == HEFEI and f["metric"] == "reopening_rate"]


# ---------------------------------------------------------------- as_of and date_basis

def test_as_of_prefers_the_sentence_then_the_article():
    assert as_of("2020-02-10", "2020-02-26") == ("2020-02-10", "stated")
    assert as_of("2020-03", "2020-02-26") == ("2020-03", "stated")
    assert as_of("", "2020-02-26") == ("2020-02-26", "published")
    assert as_of("", "") == ("", "none")
    rows = date_facts([{"doc_id": "a", "date": ""}, {"doc_id": "b", "date": ""}], {"a": "2020-02-22"})
    assert [(r["as_of"], r["date_basis"]) for r in rows] == [("2020-02-22", "published"), ("", "none")]


def test_facts_carry_as_of_from_their_sentence_or_the_published_date(timeline_data):
    docs = {d["doc_id"]: d for d in read_csv(timeline_data / "documents.csv")}
    published = {d["title"][:6]: d["published"] for d in docs.values()}
    assert published["合肥经开区跑"] == "2020-02-22"        # the "2020-02-22 10:15  来源：" header
    assert published["合肥经开区："] == "2020-02-26"        # 新华社合肥2月26日电
    rates = {(f["value"], f["as_of"], f["date_basis"]) for f in hefei_rates(timeline_data)}
    assert {("60", "2020-02-10", "stated"), ("78", "2020-02-17", "stated"), ("85", "2020-02-20", "stated"),
            ("88", "2020-02-20", "stated"), ("100", "2020-03-05", "stated")} <= rates
    # "目前…95%": no date in the sentence, so the article's publication date
    assert ("95", "2020-02-22", "published") in rates
    for f in read_csv(timeline_data / "facts.csv"):
        assert f["date_basis"] == ("stated" if f["date"] else "published" if docs[f["doc_id"]]["published"] else "none")
        assert f["as_of"] == (f["date"] or docs[f["doc_id"]]["published"])


def test_a_corrected_date_moves_the_fact_on_the_timeline(timeline_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(timeline_data, data)
    fact = next(f for f in hefei_rates(data) if f["value"] == "95")
    text = (data / "texts" / f"{fact['doc_id']}.txt").read_text(encoding="utf-8")
    record = {"action": "correct", "author": "测试", "target": {
        "doc_id": fact["doc_id"], "exact": text[int(fact["start"]):int(fact["end"])], "metric": "reopening_rate",
        "prefix": text[max(0, int(fact["start"]) - 32):int(fact["start"])],
        "suffix": text[int(fact["end"]):int(fact["end"]) + 32], "start": int(fact["start"]), "end": int(fact["end"])},
        "set": {"date": "2020-02-21"}}
    store = tmp_path / "one.jsonl"
    store.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run_cli("corrections", "import", str(store), "--data", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    moved = next(f for f in hefei_rates(data) if f["value"] == "95")
    assert (moved["as_of"], moved["date_basis"], moved["status"]) == ("2020-02-21", "stated", "corrected")


# ---------------------------------------------------------------- shapes for the views

def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"park_id": "P1", "park_name": "甲园区", "park_type": "经开区", "region": "东部", "metric": "reopening_rate",
            "basis": "rate", "scope": "规上企业", "doc_id": "d1", "as_of": "", "evidence": "", "raw": ""}
    out = pd.DataFrame([base | r for r in rows])
    return out.assign(value_num=out["value"].astype(float), value=out["value"].astype(str))


def test_rate_series_keeps_parks_with_two_dates_and_sets_undated_apart():
    rates = frame([{"value": 60, "as_of": "2020-02-10"}, {"value": 85, "as_of": "2020-02-20"},
                   {"value": 100, "as_of": "2020-03"}, {"value": 90, "as_of": ""},
                   {"park_id": "P2", "park_name": "乙园区", "value": 70, "as_of": "2020-02-14"}])
    series, undated = dataset.rate_series(rates)
    assert list(series["value_num"]) == [60, 85, 100]            # P2 has one date: no line
    assert list(series["precise"]) == [True, True, False]        # a month-only figure is marked, mid-month
    assert series["when"].iloc[2] == pd.Timestamp("2020-03-15")
    assert list(undated["value_num"]) == [90]


def test_weekly_medians_count_each_park_once_per_week():
    rates = frame([{"value": 60, "as_of": "2020-02-10"}, {"value": 70, "as_of": "2020-02-12"},   # P1 twice: last
                   {"park_id": "P2", "value": 90, "as_of": "2020-02-11"},
                   {"park_id": "P3", "value": 20, "as_of": "2020-02"},                          # month only: out
                   {"park_id": "P4", "region": "西部", "value": 50, "as_of": "2020-02-17"}])
    weekly = dataset.weekly_medians(rates)
    east = weekly[weekly["region"] == "东部"].iloc[0]
    assert (east["week"], east["median"], east["parks"]) == (pd.Timestamp("2020-02-10"), 80, 2)
    assert weekly[weekly["region"] == "西部"]["week"].tolist() == [pd.Timestamp("2020-02-17")]


def test_conflicts_need_different_values_from_different_documents():
    rates = frame([{"value": 85, "as_of": "2020-02-20", "doc_id": "a"},
                   {"value": 88, "as_of": "2020-02-20", "doc_id": "b"},
                   {"value": 85, "as_of": "2020-02-20", "doc_id": "c"},
                   # one article, two values: not a conflict between reports
                   {"park_id": "P2", "value": 50, "as_of": "2020-02-20", "doc_id": "a"},
                   {"park_id": "P2", "value": 60, "as_of": "2020-02-20", "doc_id": "a"},
                   # same value in two articles: they agree
                   {"park_id": "P3", "value": 70, "as_of": "2020-02-20", "doc_id": "a"},
                   {"park_id": "P3", "value": 70, "as_of": "2020-02-20", "doc_id": "b"},
                   # another scope or another day is another figure; undated figures are never compared
                   {"value": 90, "as_of": "2020-02-21", "doc_id": "b"},
                   {"value": 50, "as_of": "2020-02-20", "doc_id": "b", "scope": "四上企业"},
                   {"park_id": "P4", "value": 10, "as_of": "", "doc_id": "a"},
                   {"park_id": "P4", "value": 20, "as_of": "", "doc_id": "b"}])
    out = dataset.conflicts(rates)
    assert out["conflict"].nunique() == 1
    assert sorted(zip(out["doc_id"], out["value_num"])) == [("a", 85), ("b", 88), ("c", 85)]
    assert dataset.conflicts(rates[rates["doc_id"] != "b"]).empty


# ---------------------------------------------------------------- the views in AppTest

def open_page(page: str, **params) -> AppTest:
    """A page opened from a link: the query string is there before the first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def values(data) -> list[float]:
    """A plotly array, plain or binary-packed ({"dtype": "f8", "bdata": base64})."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def params(at) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def test_the_timeline_tab_draws_a_line_per_park_and_lists_undated_rates(app_data):
    at = open_page("reopening", view="timeline")
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "rate_lines" in c.proto.spec
                 or any(t.get("mode") == "lines+markers" for t in json.loads(c.proto.spec)["data"]))
    lines = [t for t in chart["data"] if t.get("mode") == "lines+markers" and HEFEI in t["name"]]
    assert len(lines) == 1 and HEFEI + "｜规上工业企业" == lines[0]["name"]
    assert {60, 78, 85, 88, 100} <= set(values(lines[0]["y"]))    # over five dates
    assert any("周中位数" in t["name"] for t in chart["data"])
    assert any("未注明日期的复工率" in m.value for m in at.markdown)
    assert params(at)["view"] in ("timeline", ["timeline"])


def test_the_overview_counts_conflicts_and_shows_both_sentences(app_data):
    at = open_page("overview")
    label = next(e.label for e in at.expander if "相互矛盾" in e.label)
    assert label == "相互矛盾的报道：1 组"
    text = "\n".join(m.value for m in at.markdown)
    assert "85" in text and "88" in text and "截至2月20日" in text and "2月20日，合肥经开区" in text


def test_a_link_reproduces_the_profile_park_scope_and_measures_cell(app_data):
    parks = {p["name"]: p["park_id"] for p in read_csv(app_data / "parks.csv")}
    at = open_page("profile", profile=parks[HEFEI])
    assert at.selectbox(key="w_profile").value == parks[HEFEI]
    assert any("相互矛盾" in s.value for s in at.subheader)
    at = open_page("reopening", scope="规上工业企业")
    assert at.multiselect(key="w_scope").value == ["规上工业企业"]
    at = open_page("measures", dim="province", row="江苏", col="supply_chain")
    assert (at.selectbox(key="w_dim").value, at.selectbox(key="w_row").value,
            at.selectbox(key="w_col").value) == ("province", "江苏", "supply_chain")
    # a value the data does not have is dropped, and the page falls back to its default
    at = open_page("profile", profile="P-not-a-park")
    assert at.selectbox(key="w_profile").value != "P-not-a-park"
    assert params(at)["profile"] not in ("P-not-a-park", ["P-not-a-park"])


def test_changing_the_view_writes_the_url(app_data):
    at = open_page("measures")
    at.selectbox(key="w_dim").set_value("park_type").run()
    at.selectbox(key="w_row").set_value("高新区").run()
    assert (params(at)["dim"], params(at)["row"]) in ((("park_type"), "高新区"), (["park_type"], ["高新区"]))
    at = open_page("reopening")
    at.multiselect(key="w_scope").set_value(["规上工业企业"]).run()
    assert params(at)["scope"] in ("规上工业企业", ["规上工业企业"])


# ---------------------------------------------------------------- search

def test_a_simplified_query_finds_the_traditional_article_grouped_with_links(app_data):
    parks = {p["name"]: p["park_id"] for p in read_csv(app_data / "parks.csv")}
    at = open_page("search", q="云签约 １２个")             # simplified, full-width digits; both terms must occur
    text = "\n".join(m.value for m in at.markdown)
    assert "**1** 篇文章" in text
    assert "<mark>雲簽約</mark>" in text and "<mark>12個</mark>" in text   # in the article's own script (digits were folded on import)
    assert f"profile?profile={parks['厦门高新区']}" in text
    doc = next(d["doc_id"] for d in read_csv(app_data / "documents.csv") if d["title"].startswith("廈門"))
    assert f"reader?read={doc}&amp;q=" in text
    # the reader opened from that link lists the hits in the article
    at = open_page("reader", read=doc, q="云签约")
    assert at.selectbox(key="w_read").value == doc
    assert any("<mark>雲簽約</mark>" in m.value for m in at.markdown)


def test_search_follows_the_sidebar_filters_and_says_when_nothing_matches(app_data):
    at = open_page("search", q="包车")
    assert "**3** 篇文章" in "\n".join(m.value for m in at.markdown)      # a seed, 合肥 and 厦门 (包車)
    at = open_page("search", q="包车", doc="001_138f6120ad557839")       # an article without it
    assert any("没有文章包含" in i.value for i in at.info)
    at = open_page("search", q="不存在的词语")
    assert any("没有文章包含“不存在的词语”" in i.value for i in at.info)
    at = open_page("search", q="云" * 150)                    # too long: one clear line, no traceback
    assert at.error and "too long" in at.error[0].value
