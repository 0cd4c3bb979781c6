"""Defects of the dashboard's views (issue tracker 7, 8, 9, 13, 14), each in Streamlit's AppTest or on the pure
functions behind it, on the shipped data/ (or a private copy where a test writes).

7  the measures page's downloads held only the row names (`region\\n西部`): now the counts the chart shows and
   the measure rows behind them;
8  the timeline on the shipped data said "0 lines" and still drew a lone weekly median; dates on its axis twice;
9  审核 showed amounts in raw yuan ("24826000000 元");
13 a `?read=` / `?profile=` the data does not have fell back without a word;
14 a search whose matches the sidebar's filters hide said no article holds the words."""
import csv
import io
import json
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, read_csv
from dashboard import charts, dataset, downloads, review, ui
from dashboard.i18n import Labels

PARKS = read_csv(ROOT / "data" / "parks.csv")
MEASURES = read_csv(ROOT / "data" / "measures.csv")
DOCS = [d["doc_id"] for d in read_csv(ROOT / "data" / "documents.csv")]
DAY = 86_400_000                                 # a day on a plotly date axis (ms)
WITHOUT_FUGONG = "003_827bfa4812dc16f8"          # the one seed article that never says 复工


def open_page(page: str, **params) -> AppTest:
    """A page opened from a link: the query string is there before the first run (as tests/test_timeline.py)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def csv_rows(frame_bytes: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(frame_bytes.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- 7: the measures page's downloads

@pytest.fixture()
def made_downloads(monkeypatch):
    """Every download_buttons call of a page run: (table name, frame, what), and still drawn as usual."""
    calls = []
    real = ui.download_buttons

    def record(ctx, name, frame, what, filters=None):
        calls.append((name, frame, what))
        real(ctx, name, frame, what, filters)

    monkeypatch.setattr(ui, "download_buttons", record)
    return calls


def csv_of(call) -> list[dict]:
    """The CSV the button of `call` gives, made the way ui.download_buttons makes it."""
    name, frame, _ = call
    return csv_rows(downloads.to_csv(downloads.export_frame(name, frame)))


def test_measures_downloads_hold_the_counts_and_the_rows_behind_them(made_downloads):
    open_page("measures", region="西部")
    western = {p["park_id"] for p in PARKS if p["region"] == "西部"}
    by_what = {what: call for call in made_downloads for what in [call[2]]}

    # the first download is the region × measure table the chart shows: parks per cell, not the row names alone
    first = csv_of(made_downloads[0])
    assert made_downloads[0][2] == "parks-by-region-and-measure"
    assert len(first) == 1 and first[0]["region"] == "西部" and len(first[0]) > 1
    for code, count in first[0].items():
        if code != "region":
            parks = {m["park_id"] for m in MEASURES if m["measure_type"] == code and m["park_id"] in western}
            assert int(count) == len(parks), code
    assert sum(int(v) for k, v in first[0].items() if k != "region") > 0

    # the rows behind it: every western measure record, with park, measure type and sentence
    rows = csv_of(by_what["measures-by-region"])
    assert len(rows) == len([m for m in MEASURES if m["park_id"] in western]) > 0
    assert {"park_name", "measure_type", "evidence", "doc_id"} <= set(rows[0])
    assert {r["region"] for r in rows} == {"西部"} and all(r["evidence"] for r in rows)

    # and so for park type and province
    for dim in ("park_type", "province"):
        counts = csv_of(by_what[f"parks-by-{dim}-and-measure"])
        assert counts and dim in counts[0] and len(counts[0]) > 1
        assert len(csv_of(by_what[f"measures-by-{dim}"])) == len(rows)


def test_the_count_table_as_a_download_keeps_every_measure_column():
    ds = dataset.load(ROOT / "data")
    view = dataset.apply(ds, dataset.Filters(region=("西部",)))
    codes = list(ds.codebook["measure_types"])
    table = dataset.crosstab_parks(view.measures, "region", ["西部"], codes)
    frame = dataset.crosstab_frame(table, "region")
    assert list(frame.columns) == ["region", *codes]
    assert frame.iloc[0, 1:].tolist() == table.loc["西部"].tolist()
    name = "parks_by_region"
    assert list(downloads.export_frame(name, frame).columns) == ["region", *codes]


# ---------------------------------------------------------------- 8: the timeline

def test_the_timeline_with_no_line_says_so_and_draws_nothing():
    at = open_page("reopening", view="timeline")
    assert any("没有园区在两个以上日期报告复工率" in i.value for i in at.info)
    for fig in figures(at):           # the bars and medians are drawn; nothing with a weekly median
        assert not any("周中位数" in str(trace.get("name", "")) for trace in fig["data"])
    assert not any("条线，" in c.value for c in at.caption)       # no "0 条线，0 个数据点"


def rate_frame(dates: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rates = pd.DataFrame({"park_id": "P1", "park_name": "合肥经开区", "park_type": "经开区", "scope": "规上工业企业",
                          "region": "中部", "as_of": dates, "value_num": [60.0 + i for i in range(len(dates))],
                          "evidence": "某句"})
    series, _ = dataset.rate_series(rates)
    return series.assign(label="合肥经开区｜规上工业企业"), dataset.weekly_medians(rates)


@pytest.mark.parametrize("dates, dtick, unit", [(["2020-02-20", "2020-02-21"], DAY, "a day"),
                                                (["2020-02-10", "2020-02-17", "2020-03-05"], 7 * DAY, "a week"),
                                                (["2020-01-20", "2020-06-20"], "M1", "a month")])
def test_timeline_dates_are_ticked_once_per_day_week_or_month(dates, dtick, unit):
    series, weekly = rate_frame(dates)
    fig = charts.rate_lines(series, weekly, Labels("zh", {}), axis_title="复工率", median_label="周中位数",
                            month_label="仅注明月份")
    axis = fig.layout.xaxis
    assert axis.dtick == dtick, unit     # plotly's own choice over two days is every 12 hours: each date twice
    assert axis.tickformat in ("%Y-%m-%d", "%Y-%m")
    low, high = pd.Timestamp(axis.range[0]), pd.Timestamp(axis.range[1])
    assert low < pd.Timestamp(dates[0]) and high > pd.Timestamp(dates[-1])
    assert fig.layout.showlegend is True      # a line alone still has its name in the legend


# ---------------------------------------------------------------- 9: review amounts in 万元/亿元

@pytest.fixture()
def data(tmp_path, monkeypatch):
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("extracted"))
    monkeypatch.setenv("PARKS_DATA_DIR", str(out))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PARKS_EDITOR_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("PARKS_AUTHOR", "审核员甲")
    return out


def review_amounts(**params) -> AppTest:
    at = open_page("review", **params)
    at.radio(key="review_table").set_value("facts").run()
    at.multiselect(key="review_codes").set_value(["project_investment"]).run()
    assert not at.exception
    return at


def test_review_shows_amounts_in_wan_or_yi_yuan_as_the_charts_do(data):
    at = review_amounts()
    card = next(m.value for m in at.markdown if "在建项目总投资" in m.value and "<b>" in m.value)
    assert "<b>248.26 亿元</b>" in card and "24826000000" not in card     # every digit of the sentence's 248.26亿元
    table = at.dataframe[0].value
    assert list(table["数值"]) == ["96.91"] and list(table["单位"]) == ["亿元"]
    # the correction form starts from the same figures; saving them unchanged changes nothing
    at.button(key="correct").click().run()
    value = next(t for t in at.text_input if t.key and t.key.endswith("-value"))
    unit = next(s for s in at.selectbox if s.key and s.key.endswith("-unit"))
    assert (value.value, unit.value) == ("248.26", "亿元")
    at.button(key="save").click().run()
    assert any("没有修改任何字段" in e.value for e in at.error)
    # a value corrected in 亿元 is stored in 元
    at.button(key="correct").click().run()
    next(t for t in at.text_input if t.key and t.key.endswith("-value")).input("250").run()
    at.button(key="save").click().run()
    assert not at.exception and any("已更正" in s.value for s in at.success)
    [r] = [json.loads(line) for line in (data / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]
    assert r["set"] == {"value": "25000000000", "unit": "元"}      # validated: kept in 元
    assert [f["value"] for f in read_csv(data / "facts.csv") if f["status"] == "corrected"] == ["25000000000"]


def test_review_amounts_in_english_and_a_plain_amount():
    at = review_amounts(lang="en")
    assert any("<b>248.26 亿元</b>" in m.value for m in at.markdown)
    assert review.shown_amount("300", "元") == ("300", "元")
    assert review.shown_amount("24826000000", "元") == ("248.26", "亿元")
    assert review.shown_amount("123456000000", "元") == ("1,234.56", "亿元")
    assert review.shown_amount("123456000000", "元", sep="") == ("1234.56", "亿元")
    assert review.shown_amount("95", "%") == ("95", "%")
    assert dataset.money_text(24826000000) == "248.3 亿元"    # the charts' own four digits


# ---------------------------------------------------------------- 13: a link's read= / profile= the data lacks

def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_a_bad_read_in_the_link_is_warned_about_and_the_first_article_shown():
    at = open_page("reader", read="no-such-article")
    assert any("read=no-such-article" in w and "已忽略" in w for w in warnings(at))
    assert at.selectbox(key="w_read").value == DOCS[0]
    at.run()                                   # still said while the page shows the article it fell back to
    assert any("read=no-such-article" in w for w in warnings(at))
    at.selectbox(key="w_read").set_value(DOCS[2]).run()     # the reader picked one: nothing to warn about
    assert not any("read=" in w for w in warnings(at))
    # an article the filters hide is named as well
    at = open_page("reader", read=WITHOUT_FUGONG, doc=DOCS[0], lang="en")
    assert any(f"read={WITHOUT_FUGONG}" in w and w.startswith("Ignored") for w in warnings(at))
    assert at.selectbox(key="w_read").value == DOCS[0]
    # a good one says nothing
    assert not warnings(open_page("reader", read=DOCS[1]))


def test_a_bad_profile_in_the_link_is_warned_about_and_the_default_park_shown():
    default = open_page("profile").selectbox(key="w_profile").value
    at = open_page("profile", profile="P-not-a-park")
    assert any("profile=P-not-a-park" in w for w in warnings(at))
    assert at.selectbox(key="w_profile").value == default
    assert not warnings(open_page("profile", profile=PARKS[3]["park_id"]))


# ---------------------------------------------------------------- 14: a search the filters hide

def test_a_search_the_filters_hide_says_how_many_and_links_to_it_without_them():
    at = open_page("search", q="复工", doc=WITHOUT_FUGONG)
    hidden = len([d for d in DOCS if "复工" in (ROOT / "data" / "texts" / f"{d}.txt").read_text(encoding="utf-8")])
    assert hidden == 4
    [info] = [i.value for i in at.info]
    assert f"隐藏了 {hidden} 篇" in info and "“复工”" in info
    link = next(m.value for m in at.markdown if "search-unfiltered" in m.value)
    assert "href='search?q=%E5%A4%8D%E5%B7%A5'" in link             # the query kept, the filter gone
    # in English, the language is kept too
    at = open_page("search", q="复工", doc=WITHOUT_FUGONG, lang="en")
    assert any("the sidebar's filters hide 4 articles" in i.value for i in at.info)
    link = next(m.value for m in at.markdown if "search-unfiltered" in m.value)
    assert "search?q=%E5%A4%8D%E5%B7%A5&amp;lang=en'" in link and "doc=" not in link
    # results under a filter that hides some more: shown, and the rest counted
    at = open_page("search", q="复工", region="东北")
    text = "\n".join(m.value for m in at.markdown)
    assert "**2** 篇文章" in text and "另外隐藏了 2 篇包含“复工”的文章" in text
    # nothing anywhere, or no filter: as before
    at = open_page("search", q="不存在的词语", doc=WITHOUT_FUGONG)
    assert any("没有文章包含“不存在的词语”" in i.value for i in at.info)
    assert not any("search-unfiltered" in m.value for m in at.markdown)
    at = open_page("search", q="复工")
    assert not any("search-unfiltered" in m.value for m in at.markdown)


def test_a_park_with_many_sentences_draws_the_first_ones_and_says_how_many_more(tmp_path, monkeypatch):
    """At 20,000 articles the busiest park's profile drew every sentence (29 s); now the first ten per measure
    type, and a line saying how many more the downloads hold."""
    import csv
    import shutil
    from streamlit.testing.v1 import AppTest
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with open(data / "measures.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = rows[0]
    extra = [dict(row, start=str(10_000 + i), end=str(10_010 + i), evidence=f"第{i}句：{row['evidence']}")
             for i in range(30)]
    with open(data / "measures.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerows(rows + extra)
    monkeypatch.setenv("PARKS_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["profile"] = row["park_id"]
    at.run()
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    drawn = [m.value for m in at.markdown if "句：" in m.value]
    assert len(drawn) <= 10
    same = sum(1 for r in rows + extra if (r["park_id"], r["measure_type"]) == (row["park_id"], row["measure_type"]))
    assert any(c.value == f"另有 {same - 10} 条未显示；下载包含全部。" for c in at.caption), [c.value for c in at.caption]
