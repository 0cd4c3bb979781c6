"""Defects of the dashboard's views (issue tracker 7, 8, 9, 13, 14) as a user meets them in a real browser
(Playwright driving Debian's chromium; helpers and fixtures from test_browser.py): the measures page's downloaded
files, the timeline's axis and its "no line" case, a link's unknown read= / profile=, a search the filters hide,
amounts on 审核. Screenshots go to test-artifacts/browser/ (views-*.png)."""
import csv
import io
import shutil
import urllib.parse

import openpyxl
import pytest

from conftest import ROOT, read_csv
from test_browser import CHART, SHOTS, browser, new_page, server, start_server, wait_ready  # noqa: F401 (fixtures)

PARKS = read_csv(ROOT / "data" / "parks.csv")
MEASURES = read_csv(ROOT / "data" / "measures.csv")
DOCS = [d["doc_id"] for d in read_csv(ROOT / "data" / "documents.csv")]
WITHOUT_FUGONG = "003_827bfa4812dc16f8"          # the one seed article that never says 复工


def query(page) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def download(page, what: str, ext: str = "CSV"):
    """Click the `ext` button of the download row `what`; (suggested file name, bytes)."""
    with page.expect_download() as info:
        page.locator(f".st-key-dl-{what} button").get_by_text(ext).click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- 7

def test_measures_downloads_give_the_counts_and_the_rows_behind_them(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser)
    page.goto(f"{server}/measures?region=西部")
    wait_ready(page, 3)
    western = {p["park_id"] for p in PARKS if p["region"] == "西部"}

    # the first CSV: the counts the region chart shows, one column per measure type
    name, data = download(page, "parks-by-region-and-measure")
    assert name == "parks-reopening_parks-by-region-and-measure_region-西部.csv"
    [counts] = rows(data)
    assert counts["region"] == "西部" and len(counts) > 1
    for code, n in counts.items():
        if code != "region":
            assert int(n) == len({m["park_id"] for m in MEASURES if m["measure_type"] == code and m["park_id"] in western})
    # the heatmap's cells hold the same numbers
    cells = page.locator(CHART).first.locator("text").all_text_contents()
    assert all(n in cells for n in counts.values() if n != "西部")

    # the rows behind it: park, measure type, sentence
    name, data = download(page, "measures-by-region")
    assert name == "parks-reopening_measures-by-region_region-西部.csv"
    behind = rows(data)
    assert len(behind) == len([m for m in MEASURES if m["park_id"] in western])
    assert {"park_name", "measure_type", "evidence", "cue", "doc_id"} <= set(behind[0])
    assert {r["region"] for r in behind} == {"西部"} and all(r["evidence"] and r["park_name"] for r in behind)

    # the spreadsheet of the counts: its own sheet, then codebook and filters
    name, data = download(page, "parks-by-province-and-measure", "XLSX")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["parks_by_province", "codebook", "filters"]
    header = [c.value for c in book["parks_by_province"][1]]
    assert header[0] == "province" and len(header) > 1
    page.get_by_text("下载：图中计入的措施记录").first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "views-measures-downloads.png", full_page=True)
    page.context.close()


# ---------------------------------------------------------------- 8

TIMELINE_PLOT = "[...document.querySelectorAll('.js-plotly-plot')].find(p => p.data.some(t => (t.name || '').includes('周中位数')))"


def test_the_timeline_on_the_shipped_data_says_there_is_no_line_and_draws_nothing(server, browser):
    page = new_page(browser)
    page.goto(f"{server}/reopening?view=timeline")
    wait_ready(page, 3)
    panel = page.get_by_role("tabpanel", name="随时间变化")
    panel.get_by_text("当前筛选下没有园区在两个以上日期报告复工率。").wait_for()
    assert panel.locator(CHART).count() == 0
    assert page.evaluate(f"!{TIMELINE_PLOT}")
    assert "0 条线" not in panel.inner_text()
    page.screenshot(path=SHOTS / "views-timeline-none.png", full_page=False)
    page.context.close()


@pytest.fixture(scope="module")
def two_day_server(tmp_path_factory):
    """data/ with one more reopening rate (ours, for the test) for 自贡高新区's firms, dated the day after the
    shipped one: a line over 2020-02-24 .. 2020-02-25 (a Monday, where its weekly median sits too), where plotly's
    own ticks fall every few hours."""
    tmp = tmp_path_factory.mktemp("two-days")
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("extracted"))
    facts = tmp / "data" / "facts.csv"
    table = read_csv(facts)
    [shipped] = [f for f in table if f["figure_id"] == "Ff6cfb450f6"]
    added = {**shipped, "value": "97", "date": "2020-02-25", "as_of": "2020-02-25", "start": "1", "end": "4",
             "raw": "97%", "evidence": "截至2月25日，自贡高新区企业复工率达97%。", "figure_id": ""}
    with open(facts, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table + [added])
    url, proc = start_server({"PARKS_DATA_DIR": str(tmp / "data"), "LOADERS_CACHE_DIR": str(tmp / "cache")})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_timeline_dates_appear_once_on_the_axis(two_day_server, browser):
    page = new_page(browser)
    page.goto(f"{two_day_server}/reopening?view=timeline")
    wait_ready(page, 1)
    page.wait_for_function(f"!!{TIMELINE_PLOT}")
    page.wait_for_timeout(500)
    ticks = page.evaluate(f"[...{TIMELINE_PLOT}.querySelectorAll('.xtick text')].map(e => e.textContent)")
    # each date once, a day apart (before: 2020-02-24 at 00:00, 06:00, 12:00 … all written 2020-02-24)
    assert ticks == ["2020-02-24", "2020-02-25"], ticks
    legend = page.evaluate(f"[...{TIMELINE_PLOT}.querySelectorAll('.legendtext')].map(e => e.textContent)")
    assert "自贡高新区｜企业" in legend and any("周中位数" in t for t in legend)
    assert page.get_by_text("1 条线，2 个数据点").count() == 1
    page.screenshot(path=SHOTS / "views-timeline-days.png", full_page=False)
    page.context.close()


# ---------------------------------------------------------------- 9

def test_review_shows_yi_yuan(server, browser):
    page = new_page(browser)
    page.goto(f"{server}/review")
    wait_ready(page)
    page.get_by_test_id("stRadio").get_by_text("数据点").click()
    page.get_by_test_id("stMultiSelect").filter(has_text="指标或措施类型").click()
    page.get_by_role("option", name="在建项目总投资").click()
    page.keyboard.press("Escape")
    page.get_by_text("248.26 亿元").wait_for()
    wait_ready(page)
    assert "24826000000" not in page.get_by_test_id("stMain").inner_text()
    page.screenshot(path=SHOTS / "views-review-yi-yuan.png", full_page=False)
    page.context.close()


# ---------------------------------------------------------------- 13

@pytest.mark.parametrize("slug, param, shown", [("reader", "read", "reader-article"), ("profile", "profile", "profile")])
def test_an_unknown_read_or_profile_in_a_link_is_warned_about(server, browser, slug, param, shown):
    page = new_page(browser)
    page.goto(f"{server}/{slug}?{param}=nothing-like-it")
    wait_ready(page)
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text=f"{param}=nothing-like-it")
    warning.wait_for()
    assert "已忽略" in warning.inner_text()
    page.wait_for_timeout(1000)                      # still there once the page has settled
    wait_ready(page)
    assert warning.count() == 1
    # what is shown instead is in the link
    page.wait_for_function(f"new URLSearchParams(location.search).get({param!r}) !== 'nothing-like-it'")
    if slug == "reader":
        page.wait_for_function(f"new URLSearchParams(location.search).get('read') === {DOCS[0]!r}")
        page.locator(".reader").wait_for()
    page.screenshot(path=SHOTS / f"views-bad-{shown}.png", full_page=False)
    page.context.close()


# ---------------------------------------------------------------- 14

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_search_the_filters_hide_links_to_the_same_search_without_them(server, browser, lang):
    page = new_page(browser)
    extra = "&lang=en" if lang == "en" else ""
    page.goto(f"{server}/search?q=复工&doc={WITHOUT_FUGONG}{extra}")
    wait_ready(page)
    said = {"zh": "侧栏的筛选隐藏了 4 篇包含它的文章", "en": "the sidebar's filters hide 4 articles that do"}[lang]
    page.get_by_text(said).wait_for()
    page.locator("[data-testid=search-unfiltered]").wait_for()
    wait_ready(page)
    page.screenshot(path=SHOTS / f"views-search-hidden-{lang}.png", full_page=False)
    page.locator("[data-testid=search-unfiltered]").click()
    page.wait_for_url("**/search?q=*")
    wait_ready(page)
    page.locator(".evidence mark").first.wait_for()
    assert query(page) == {"q": ["复工"], **({"lang": ["en"]} if lang == "en" else {})}
    assert page.get_by_test_id("stSidebar").get_by_role("button", name=f"Remove {WITHOUT_FUGONG[:3]}").count() == 0
    count = {"zh": "4 篇文章", "en": "4 articles"}[lang]
    page.wait_for_function(f"document.querySelector('[data-testid=stMain]').innerText.includes({count!r})")
    page.wait_for_function("document.querySelector('[data-testid=stTextInput] input')?.value === '复工'")
    page.screenshot(path=SHOTS / f"views-search-unfiltered-{lang}.png", full_page=False)
    page.context.close()
