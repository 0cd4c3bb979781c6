"""Every dashboard page in Streamlit's AppTest: renders, follows each filter, keeps the filters in the URL,
says so when nothing matches, and speaks English on lang=en."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, read_csv

PAGES = ["overview", "reopening", "support", "investment", "measures", "profile", "data"]  # pages of the dataset
ALL_PAGES = PAGES + ["search", "import"]  # search and import work on every article, whatever the filters
CHARTS = {"overview": 2, "reopening": 3, "support": 5, "investment": 2, "measures": 3, "profile": 0, "data": 0,
          "search": 0, "import": 0}
# reopening: the bars and two medians; no park of the seeds has a rate on two dates, so the timeline draws nothing
# (issue 8: it drew a lone weekly median); tests/test_views_defects.py checks that no timeline chart is drawn
TITLES_ZH = {"overview": "总览", "reopening": "复工率", "support": "补贴与资金", "investment": "签约投资",
             "measures": "措施分布", "profile": "园区档案", "data": "数据", "search": "搜索", "import": "导入文章"}
PARKS = read_csv(ROOT / "data" / "parks.csv")


def open_app(page: str = "overview", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def shown(at) -> str:
    """Everything a page shows, as one string: metrics, texts, tables, charts."""
    parts = [m.value for m in at.metric] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [df.value.to_csv() for df in at.dataframe] + [el.proto.spec for el in at.get("plotly_chart")]
    return "\n".join(map(str, parts))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_renders_with_its_charts(page):
    at = open_app(page)
    assert at.title[0].value == TITLES_ZH[page]
    assert len(at.get("plotly_chart")) >= CHARTS[page]
    assert at.multiselect(key="w_region").value == []


@pytest.mark.parametrize("page", PAGES)
def test_a_region_filter_changes_every_page(page):
    before = open_app(page)
    at = open_app(page)
    at.multiselect(key="w_region").set_value(["西部"]).run()
    assert not at.exception
    assert shown(at) != shown(before)
    assert at.query_params["region"] in ("西部", ["西部"])
    western = {p["name"] for p in PARKS if p["region"] == "西部"}
    eastern = {p["name"] for p in PARKS if p["region"] == "东部"} - western
    if page in ("reopening", "support", "investment"):
        labels = {y.split("｜")[0].split(" (")[0] for fig in figures(at)[:1] for trace in fig["data"] for y in trace["y"]}
        assert labels and labels <= western, labels
    if page == "profile":
        assert at.selectbox(key="w_profile").value in {p["park_id"] for p in PARKS if p["region"] == "西部"}
    text = shown(at)
    if page != "profile":
        assert not any(name in text for name in ["苏州工业园区", "宁波高新区"]) or page == "data"
    if page == "data":
        parks = at.dataframe[0].value
        assert set(parks["region"]) == {"西部"} and not (set(parks["name"]) & eastern)


def test_each_filter_changes_the_overview():
    base = metrics(open_app())
    doc = read_csv(ROOT / "data" / "documents.csv")[4]["doc_id"]
    ningbo = next(p["park_id"] for p in PARKS if p["name"] == "宁波高新区")
    for key, value in [("region", "东北"), ("province", "江苏"), ("park_type", "新区"),
                       ("measure", "quarantine_facility"), ("doc", doc), ("park", ningbo)]:
        at = open_app()
        at.multiselect(key=f"w_{key}").set_value([value]).run()
        assert not at.exception
        now = metrics(at)
        assert now["园区"] != base["园区"], key
        assert at.query_params[key] in (value, [value])
    at = open_app(doc=doc)
    assert metrics(at)["文章"] == "1"


def test_filters_come_from_the_url_and_go_back_to_it():
    at = open_app("reopening", region=["东部", "中部"], park_type="高新区")
    assert at.multiselect(key="w_region").value == ["东部", "中部"]
    assert at.multiselect(key="w_park_type").value == ["高新区"]
    assert at.query_params["region"] == ["东部", "中部"]
    at.multiselect(key="w_park_type").set_value(["高新区", "经开区"]).run()
    assert at.query_params["park_type"] == ["高新区", "经开区"]
    # a page switch keeps them, and writes them to the URL again
    at.switch_page("pages/measures.py").run()
    assert at.multiselect(key="w_region").value == ["东部", "中部"]
    assert at.query_params["region"] == ["东部", "中部"]
    # reset clears every filter and the URL
    at.button(key="reset").click().run()
    assert at.multiselect(key="w_region").value == [] and "region" not in at.query_params


def test_unknown_url_values_are_dropped_with_a_warning():
    at = open_app(region=["东部", "火星"])
    assert at.multiselect(key="w_region").value == ["东部"]
    assert any("region=火星" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_a_filter_that_matches_nothing_shows_the_message(page):
    at = open_app(page, region="东北", park_type="工业园区")
    assert any("没有符合当前筛选条件的园区" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0


def test_missing_reopening_rate_is_no_figure_not_zero():
    at = open_app("reopening", park_type="新区")  # 哈尔滨新区: measures and subsidies, no rate
    assert any("没有复工率数据" in i.value for i in at.info)
    assert any("哈尔滨新区" in m.value for m in at.markdown) or any("哈尔滨新区" in str(t.value) for t in at.text)
    at = open_app(park_type="新区")
    assert metrics(at)["复工率中位数"] == "无数据"


def test_reopening_bars_name_their_scope_and_carry_the_evidence():
    at = open_app("reopening")
    fig = figures(at)[0]
    labels = [y for trace in fig["data"] for y in trace["y"]]
    # one bar per park and population (its latest rate), named by the scope as its article words it
    assert "大同经开区｜四上工业企业" in labels and "东丽经开区｜在地企业" in labels
    assert not any(label.startswith("大同经开区｜四上企业") for label in labels)   # the same population, undated
    hover = json.dumps([trace["customdata"] for trace in fig["data"]], ensure_ascii=False)
    assert "20394名职工已全部到岗" in hover


def test_subsidy_bases_are_never_on_one_axis():
    at = open_app("support")
    titles = [s.value for s in at.subheader]
    assert "补贴与奖励金额 · 总额" in titles and "补贴与奖励金额 · 每人" in titles
    for fig in figures(at):
        assert len({trace.get("xaxis", "x") for trace in fig["data"]}) == 1


@pytest.mark.parametrize("lang, small, large", [("zh", "346 万元", "25.5 亿元"), ("en", "3.46 m yuan", "2.55 bn yuan")])
def test_each_support_bar_reads_in_its_own_unit(lang, small, large):
    # the seeds' subsidy totals run from 346万 to 25.5亿 yuan: one axis unit, but no bar reads "0.0346 亿元"
    at = open_app("support", lang=lang)
    texts = [t for fig in figures(at) for trace in fig["data"] for t in trace.get("text") or []]
    assert any(t.startswith(small) for t in texts) and any(t.startswith(large) for t in texts), texts
    assert not [t for t in texts if t.startswith("0.0")], texts


@pytest.mark.parametrize("page", ALL_PAGES)
def test_english_labels_on_lang_en(page):
    at = open_app(page, lang="en")
    titles = {"overview": "Overview", "reopening": "Reopening", "support": "Support", "investment": "Signed investment",
              "measures": "Measures", "profile": "Park profile", "data": "Data", "search": "Search",
              "import": "Import articles"}
    assert at.title[0].value == titles[page]
    assert at.multiselect(key="w_region").label == "Region"
    assert at.query_params["lang"] in ("en", ["en"])
    if page == "measures":
        assert "Worker return and hiring" in figures(at)[0]["data"][0]["x"]
        assert "East" in figures(at)[0]["data"][0]["y"]


def test_switching_language_keeps_the_filters():
    at = open_app(region="西部")
    at.radio(key="w_lang").set_value("en").run()
    assert at.title[0].value == "Overview" and at.query_params["region"] in ("西部", ["西部"])
    assert metrics(at)["Parks"] == str(sum(p["region"] == "西部" for p in PARKS))


def test_profile_shows_a_parks_sentences_and_links_to_parks_of_the_same_article():
    suzhou = next(p["park_id"] for p in PARKS if p["name"] == "苏州工业园区")
    at = open_app("profile", park=suzhou)
    assert at.selectbox(key="w_profile").value == suzhou
    html = "\n".join(m.value for m in at.markdown)
    assert "<mark>梯次复工</mark>" in html  # the cue word of a measure sentence is marked
    related = [b for b in at.button if b.key and b.key.startswith("rel-")]
    datong = next(b for b in related if "大同经开区" in b.label)
    datong.click().run()
    assert at.selectbox(key="w_profile").value == next(p["park_id"] for p in PARKS if p["name"] == "大同经开区")


def test_a_rebuilt_data_folder_shows_on_the_next_rerun_and_article_text_is_escaped(tmp_path, monkeypatch):
    import shutil
    import time
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("PARKS_DATA_DIR", str(data))
    suzhou = next(p["park_id"] for p in PARKS if p["name"] == "苏州工业园区")
    at = open_app("profile", park=suzhou)
    assert at.selectbox(key="w_profile").value == suzhou
    # a new build: one park fewer, and an article sentence carrying markup
    parks = (data / "parks.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "parks.csv").write_text("".join(l for l in parks if "中关村科学城" not in l), encoding="utf-8")
    measures = (data / "measures.csv").read_text(encoding="utf-8")
    hostile = '苏州工业园区<img src=x onerror="alert(1)">分类制定企业梯次复工方案。'
    measures = measures.replace("苏州工业园区分类制定企业梯次复工方案。", hostile.replace('"', '""'))
    (data / "measures.csv").write_text(measures.replace(",苏州工业园区<img", ',"苏州工业园区<img').replace(
        '复工方案。,113', '复工方案。",113'), encoding="utf-8")
    time.sleep(0.01)
    at.run()
    assert not at.exception
    html = "\n".join(m.value for m in at.markdown)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html and "<img" not in html
    at.switch_page("pages/overview.py").run()
    at.button(key="reset").click().run()
    assert metrics(at)["园区"] == str(len(PARKS) - 1)


ARTICLE_TITLE = "江门高新区“云签约”"
ARTICLE = ("2月19日，江门高新区举行项目云签约活动，共签约项目3个，总投资5.8亿元。"
           "截至2月20日，江门高新区规上工业企业复工率达86%，组织专车接回员工1200人。")


def test_import_page_previews_keeps_and_removes_a_pasted_article(tmp_path, monkeypatch):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("PARKS_DATA_DIR", str(data))
    monkeypatch.setenv("LOADERS_CACHE_DIR", str(tmp_path / "cache"))
    at = open_app("import")
    assert at.title[0].value == "导入文章" and any("还没有导入的文章" in m.value for m in at.markdown)
    at.text_input(key="paste-title-0").input(ARTICLE_TITLE)
    at.text_area(key="paste-body-0").input(ARTICLE).run()
    assert not at.exception
    preview = [e.label for e in at.expander]
    assert preview and "1 个园区" in preview[0] and "个数据点" in preview[0]
    shown = at.dataframe[0].value
    assert list(shown.iloc[:, 0]) == ["江门高新区"] and list(shown.iloc[:, 2]) == ["广东"]
    at.button(key="keep").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("数据集已更新" in s.value for s in at.success)
    documents = read_csv(data / "documents.csv")
    assert [d["origin"] for d in documents].count("imported") == 1
    # the other pages show it at once: the 86% rate is on the reopening page
    at.switch_page("pages/reopening.py").run()
    labels = [y for trace in figures(at)[0]["data"] for y in trace["y"]]
    assert "江门高新区｜规上工业企业" in labels
    # and it can be removed again
    at.switch_page("pages/import.py").run()
    [remove] = [b for b in at.button if b.key and b.key.startswith("remove-")]
    remove.click().run()
    assert not at.exception
    assert [d["origin"] for d in read_csv(data / "documents.csv")] == ["seed"] * len(documents[:-1])
    at.switch_page("pages/reopening.py").run()
    assert "江门高新区｜规上工业企业" not in [y for trace in figures(at)[0]["data"] for y in trace["y"]]


def test_import_page_refuses_a_text_without_chinese(tmp_path, monkeypatch):
    import shutil
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("PARKS_DATA_DIR", str(tmp_path / "data"))
    at = open_app("import")
    at.text_area(key="paste-body-0").input("Only English words here.").run()
    # the reason in the page's language (issue 19 item 15); the command line keeps the loaders' English
    assert any("不能导入" in e.value and "文本中没有中文" in e.value for e in at.error), [e.value for e in at.error]
    assert not any("no Chinese" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "keep"]


def test_a_missing_dataset_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKS_DATA_DIR", str(tmp_path / "nothing"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "python -m loaders build" in at.error[0].value and "nothing" in at.error[0].value


def test_reopening_page_on_a_dataset_built_before_figures_says_to_rebuild(tmp_path, monkeypatch):
    import shutil
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for name in ("figures.csv", "park_totals.csv"):
        (tmp_path / "data" / name).unlink()
    monkeypatch.setenv("PARKS_DATA_DIR", str(tmp_path / "data"))
    at = open_app("reopening")
    assert any("python -m loaders build" in w.value for w in at.warning)


def test_an_unexpected_error_shows_what_to_do_and_logs_the_traceback(monkeypatch, caplog):
    """No code or server path reaches a visitor; the server log has the traceback under the same reference."""
    from dashboard import dataset

    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/secret/path.py")

    monkeypatch.setattr(dataset, "apply", broken)
    with caplog.at_level("ERROR", logger="parks.dashboard"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    [error] = at.error
    assert "刷新页面" in error.value and "/srv/secret" not in error.value
    ref = error.value.split("参考号 ")[1].split(" ")[0]
    [record] = [r for r in caplog.records if ref in r.getMessage()]
    assert "boom in /srv/secret/path.py" in record.exc_text


def test_streamlit_hides_error_details_and_its_upload_limit_is_the_loaders():
    import tomllib
    from loaders.articles.read import MAX_BYTES
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    from loaders.articles import bulk
    assert config["server"]["maxUploadSize"] == bulk.conf()["max_megabytes"] and MAX_BYTES < bulk.max_bytes()


def test_a_visitor_who_may_not_edit_gets_no_uploader(tmp_path, monkeypatch):
    import shutil
    from loaders.access import hash_password
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("PARKS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARKS_EDITOR_PASSWORD_HASH", hash_password("open sesame", iterations=1000))
    at = open_app("import")
    assert not at.get("file_uploader") and not [t for t in at.text_area if t.key == "paste-body-0"]
    at.text_input(key="editor_password").input("open sesame").run()
    at.button(key="editor_unlock").click().run()
    [uploader] = at.get("file_uploader")
    assert "5 MB" in uploader.proto.label and "200 MB" in uploader.proto.label


def test_the_headline_median_names_its_population_and_counts_each_park_once():
    """Populations are not comparable (the reopening page says so): the headline is over one, named."""
    import statistics
    at = open_app()
    [label] = [m.label for m in at.metric if m.label.startswith("复工率中位数")]
    population = label[len("复工率中位数（"):-1]
    rates = [t for t in read_csv(ROOT / "data" / "park_totals.csv") if t["metric"] == "reopening_rate"]
    assert len({t["scope"] for t in rates}) > 1          # the shipped data has several populations
    mine = [float(t["value"]) for t in rates if t["scope"] == population]
    assert len(mine) == len({t["park_id"] for t in rates if t["scope"] == population})   # one per park
    assert metrics(at)[label] == f"{statistics.median(mine):g}%"


def test_every_refusal_reason_pattern_reads_in_chinese():
    from dashboard.i18n import Labels
    zh, en = Labels("zh", {}), Labels("en", {})
    assert zh.reason("file is larger than 5 MB") == "文件超过 5 MB"
    assert zh.reason("empty text (column '正文')") == "正文为空（“正文”列）"
    assert zh.reason("unsupported file type '.exe' (use .txt, .md)") == "不支持的文件类型“.exe”"
    assert zh.reason("something new") == "something new" and en.reason("empty file") == "empty file"
