"""The dashboard in a real browser (Playwright driving Debian's chromium): every page draws its charts,
a filter change, a page switch that keeps it, a copied link that reproduces the view, and a CSV download
that holds what the filter selected. Screenshots of every page go to test-artifacts/browser/."""
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, read_csv

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-artifacts" / "browser"
PAGES = {"": 2, "reopening": 3, "support": 5, "investment": 2, "measures": 3, "profile": 0, "search": 0, "data": 0,
         "review": 0, "reader": 0, "import": 0}
CHART = "[data-testid=stPlotlyChart] .main-svg"
PARKS = read_csv(ROOT / "data" / "parks.csv")
WESTERN = sorted(p["name"] for p in PARKS if p["region"] == "西部")

playwright = pytest.importorskip("playwright.sync_api")


def start_server(env: dict | None = None):
    """`streamlit run app.py` on a free port, healthy before it is returned: (url, process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail("streamlit did not become healthy: " + proc.stderr.read().decode()[-2000:])
    return url, proc


@pytest.fixture(scope="module")
def server():
    url, proc = start_server()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    """A server on a copy of data/, so imports never touch the project's dataset."""
    tmp = tmp_path_factory.mktemp("imports")
    shutil.copytree(ROOT / "data", tmp / "data")
    url, proc = start_server({"PARKS_DATA_DIR": str(tmp / "data"), "LOADERS_CACHE_DIR": str(tmp / "cache")})
    yield url, tmp / "data"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def wait_ready(page, charts: int = 0) -> None:
    """The page has a title, no error box, and `charts` plotly charts drawn."""
    page.wait_for_selector("h1")
    if charts:
        page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {charts}")
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0


def chart_labels(page) -> set[str]:
    """Park names on the y axis of the first chart (labels are "园区｜范围")."""
    texts = page.locator(CHART).first.locator(".ytick text").all_text_contents()
    return {t.split("｜")[0] for t in texts if t}


def test_every_page_draws(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser)
    for slug, charts in PAGES.items():
        page.goto(f"{server}/{slug}")
        wait_ready(page, charts)
        assert page.locator(CHART).count() >= charts
        if slug == "profile":
            page.wait_for_selector(".evidence mark")
        if slug == "data":
            page.wait_for_selector("[data-testid=stDataFrame]")
        page.wait_for_timeout(500)  # let plotly finish its transitions before the picture
        page.screenshot(path=SHOTS / f"{slug or 'overview'}.png", full_page=True)
    # the tile map is drawn offline: its province names are in the SVG
    page.goto(server)
    wait_ready(page, 2)
    tiles = page.locator(CHART).first.locator("text").all_text_contents()
    assert any("江苏" in t for t in tiles) and any("黑龙江" in t for t in tiles)
    page.context.close()


def test_filter_page_switch_link_and_download(server, browser):
    page = new_page(browser)
    page.goto(f"{server}/reopening")
    wait_ready(page, 3)
    everyone = chart_labels(page)
    assert not everyone <= set(WESTERN)

    # a filter change
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name="西部").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**region=*")
    page.wait_for_function(f"""() => {{
        const first = document.querySelector('{CHART}');
        const t = first ? [...first.querySelectorAll('.ytick text')].map(e => e.textContent) : [];
        return t.length > 0 && t.every(s => {WESTERN!r}.includes(s.split('｜')[0]));
    }}""")
    western_bars = chart_labels(page)
    assert western_bars and western_bars <= set(WESTERN)
    assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["region"] == ["西部"]
    page.screenshot(path=SHOTS / "reopening-western.png", full_page=True)

    # a page switch from the sidebar keeps the filter (Streamlit drops the query string; we put it back)
    page.get_by_test_id("stSidebarNav").get_by_text("签约投资").click()
    page.wait_for_url("**/investment**")
    wait_ready(page, 1)
    page.wait_for_url("**region=*")
    assert page.get_by_role("button", name="Remove 西部").count() == 1
    page.get_by_test_id("stSidebarNav").get_by_text("复工率").click()
    page.wait_for_url("**/reopening?region=*")
    wait_ready(page, 3)
    assert chart_labels(page) == western_bars

    # a copied link opens the same view in a new session
    link = page.url
    other = new_page(browser)
    other.goto(link)
    wait_ready(other, 3)
    assert other.get_by_role("button", name="Remove 西部").count() == 1
    assert chart_labels(other) == western_bars
    other.context.close()

    # the data page's CSV holds exactly the filtered parks, with a BOM for Excel
    page.get_by_test_id("stSidebarNav").get_by_text("数据").click()
    page.wait_for_url("**/data?region=*")
    wait_ready(page)
    with page.expect_download() as info:
        page.locator(".st-key-dl-parks button").get_by_text("CSV").click()
    download = info.value
    assert download.suggested_filename == "parks-reopening_parks_region-西部.csv"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(r["name"] for r in rows) == WESTERN
    assert {r["region"] for r in rows} == {"西部"}

    # the all-tables JSON: one document, the filter recorded, every table of the same selection
    with page.expect_download() as info:
        page.locator(".st-key-dl-all-json button").click()
    body = json.loads(open(info.value.path(), "rb").read().decode("utf-8"))
    assert body["filters"]["region"] == ["西部"]
    assert sorted(p["name"] for p in body["tables"]["parks"]) == WESTERN
    western_ids = {p["park_id"] for p in body["tables"]["parks"]}
    assert body["tables"]["facts"] and {f["park_id"] for f in body["tables"]["facts"]} <= western_ids
    page.context.close()


IMPORTS = {  # file name -> (bytes, the park it names)
    "changzhou-gbk.txt": ("常州高新区：截至2月20日，常州高新区规上工业企业复工率达95%，共组织专车接回员工800人。\n"
                          .encode("gbk"), "常州高新区"),
    "chengdu-big5.html": ("<html><head><meta charset='big5'><title>成都高新區復工</title><script>var x=1;</script>"
                          "</head><body><p>截至2月25日，成都高新區規上工業企業復工率達88%。</p></body></html>"
                          .encode("big5"), "成都高新区"),
}


def test_import_three_formats_see_them_everywhere_and_remove_them(import_server, browser, tmp_path):
    from test_import import CJK_FONT, pdf_bytes
    url, data = import_server
    files = dict(IMPORTS)
    if CJK_FONT.exists():
        files["wuhan.pdf"] = (pdf_bytes("武汉东湖高新区：截至3月20日，东湖高新区规上工业企业复工率达80%。"), "武汉东湖高新区")
    for name, (content, _) in files.items():
        (tmp_path / name).write_bytes(content)
    names = {park for _, park in files.values()}

    page = new_page(browser)
    page.goto(f"{url}/import")
    wait_ready(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files([str(tmp_path / n) for n in files])
    page.wait_for_function(f"document.querySelectorAll('[data-testid=stExpander]').length >= {len(files)}")
    for park in names:  # table cells are drawn on a canvas; their text is in hidden grid cells
        page.locator("[data-testid^=glide-cell]", has_text=park).first.wait_for(state="attached")
    for name in files:
        assert page.locator("[data-testid=stExpander]", has_text=name).count() == 1
    page.screenshot(path=SHOTS / "import-preview.png", full_page=True)
    page.get_by_role("button", name=f"加入数据集（{len(files)} 篇）").click()
    page.get_by_text("数据集已更新").wait_for()
    page.screenshot(path=SHOTS / "import-kept.png", full_page=True)

    # their parks are on the reopening chart and in the data page's download, marked imported
    page.get_by_test_id("stSidebarNav").get_by_text("复工率").click()
    wait_ready(page, 3)
    assert names <= chart_labels(page)
    page.get_by_test_id("stSidebarNav").get_by_text("数据").click()
    wait_ready(page)
    with page.expect_download() as info:
        page.locator(".st-key-dl-parks button").get_by_text("CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))
    assert {r["name"]: r["origin"] for r in rows if r["name"] in names} == {n: "imported" for n in names}

    # and they can be removed again
    page.get_by_test_id("stSidebarNav").get_by_text("导入文章").click()
    wait_ready(page)
    remove_buttons = "[...document.querySelectorAll('button')].filter(b => b.innerText.trim() === '删除').length"
    page.wait_for_function(f"{remove_buttons} === {len(files)}")
    for left in range(len(files) - 1, -1, -1):
        page.get_by_role("button", name="删除").first.click()
        page.wait_for_function(f"{remove_buttons} === {left}")
    page.get_by_text("还没有导入的文章").wait_for()
    page.screenshot(path=SHOTS / "import-removed.png", full_page=True)
    page.get_by_test_id("stSidebarNav").get_by_text("复工率").click()
    wait_ready(page, 3)
    assert not names & chart_labels(page)
    assert {d["origin"] for d in read_csv(data / "documents.csv")} == {"seed"}
    page.context.close()


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """A server on its own copy of data/, for corrections."""
    tmp = tmp_path_factory.mktemp("review")
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("extracted"))
    env = {"PARKS_DATA_DIR": str(tmp / "data"), "LOADERS_CACHE_DIR": str(tmp / "cache"), "PARKS_AUTHOR": "browser"}
    url, proc = start_server(env)
    yield url, tmp / "data", env
    proc.terminate()
    proc.wait(timeout=10)


def reviewed(page) -> int:
    text = page.get_by_test_id("stProgress").inner_text()
    return int(text.split("已审核")[1].split("/")[0])


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the multiselect labelled `label`."""
    page.get_by_test_id("stMultiSelect").filter(has_text=label).click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")


def test_reject_and_correct_in_the_browser_survive_a_clean_rebuild(review_server, browser):
    url, data, env = review_server
    page = new_page(browser)
    page.goto(f"{url}/review")
    wait_ready(page)
    page.get_by_test_id("stRadio").get_by_text("数据点").click()
    pick(page, "指标或措施类型", "复工率")
    # the filter has reached the queue when the row under review is a reopening rate
    page.wait_for_function("[...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
                           ".some(e => e.innerText.includes(' · 复工率 · '))")
    wait_ready(page)
    first = page.locator("[data-testid=review-sentence]").inner_text()
    page.get_by_role("button", name="✗ 否决").click()
    page.get_by_text("已否决。").wait_for()
    wait_ready(page)
    second = page.locator("[data-testid=review-sentence]").inner_text()
    page.get_by_role("button", name="✎ 更正").click()
    value = page.get_by_label("数值")
    value.fill("57")
    value.press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="保存更正").click()
    page.get_by_text("已更正。").wait_for()
    page.screenshot(path=SHOTS / "review.png", full_page=True)

    facts = read_csv(data / "facts.csv")
    [corrected] = [f for f in facts if f["status"] == "corrected"]
    assert corrected["value"] == "57" and corrected["evidence"] in second
    [rejected] = read_csv(data / "rejected.csv")
    assert rejected["evidence"] in first and rejected["author"] == "browser"

    # a clean rebuild from scratch: both stay in force
    proc = subprocess.run([sys.executable, "-m", "loaders", "build", "--out", str(data), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert proc.returncode == 0 and "applied 2 of 2 correction(s); 0 orphaned, 1 row(s) rejected" in proc.stdout, \
        proc.stdout + proc.stderr
    facts = read_csv(data / "facts.csv")
    assert [(f["value"], f["status"]) for f in facts if (f["doc_id"], f["start"]) == (corrected["doc_id"], corrected["start"])
            and f["metric"] == "reopening_rate"] == [("57", "corrected")]
    assert not [f for f in facts if (f["doc_id"], f["start"], f["metric"]) ==
                (rejected["doc_id"], rejected["start"], rejected["metric"])]

    # the reopening chart shows the corrected value, marked
    page.goto(f"{url}/reopening")
    wait_ready(page, 3)
    bars = page.locator(CHART).first.locator("text").all_text_contents()
    assert "57% ✎" in bars
    page.screenshot(path=SHOTS / "reopening-corrected.png", full_page=True)
    page.context.close()


def test_reviewing_fifty_facts_one_click_each(review_server, browser, record_property):
    url, data, _ = review_server
    page = new_page(browser)
    page.goto(f"{url}/review")
    wait_ready(page)
    every_row = page.get_by_test_id("stProgress").inner_text()
    page.get_by_test_id("stRadio").get_by_text("数据点").click()
    # the queue holds facts only once the progress line counts facts only (not facts and measures)
    page.wait_for_function(f"document.querySelector('[data-testid=stProgress]').innerText !== {every_row!r}")
    wait_ready(page)
    start = reviewed(page)
    left = int(page.get_by_text("队列中还有").inner_text().split("还有")[1].split("条")[0])
    began = time.perf_counter()
    for n in range(1, 51):
        page.get_by_role("button", name="✓ 确认").click()
        # counted, and the next row's buttons drawn (the queue line comes after them): a click before that would
        # land on the row just confirmed
        page.wait_for_function(f"""() => document.querySelector('[data-testid=stProgress]').innerText
            .includes('已审核 {start + n} /') && document.body.innerText.includes('队列中还有 {left - n} 条')""")
    seconds = (time.perf_counter() - began) / 50
    record_property("seconds_per_fact", round(seconds, 3))
    print(f"reviewing 50 facts: {seconds:.2f} s per fact")
    (SHOTS / "review-speed.txt").write_text(f"{seconds:.3f} seconds per fact (50 facts, one click each)\n")
    confirmed = [f for f in read_csv(data / "facts.csv") if f["status"] == "confirmed"]
    assert len(confirmed) >= 50
    assert len([line for line in (data / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]) >= 52
    page.context.close()


def test_the_reader_marks_an_article_and_keeps_it_in_the_url(review_server, browser):
    url, data, _ = review_server
    doc = read_csv(data / "documents.csv")[1]["doc_id"]
    page = new_page(browser)
    page.goto(f"{url}/reader?read={doc}")
    wait_ready(page)
    page.wait_for_selector(".reader mark")
    assert f"read={doc}" in page.url
    assert page.locator(".reader mark").count() == len([f for f in read_csv(data / "facts.csv") if f["doc_id"] == doc])
    page.screenshot(path=SHOTS / "reader.png", full_page=False)
    page.context.close()


def test_an_unticked_preview_row_is_stored_as_a_rejection(review_server, browser):
    from test_app import ARTICLE, ARTICLE_TITLE
    url, data, _ = review_server
    page = new_page(browser)
    page.goto(f"{url}/import")
    wait_ready(page)
    page.get_by_role("tab", name="粘贴正文").click()
    page.get_by_role("textbox", name="标题").fill(ARTICLE_TITLE)
    body = page.get_by_role("textbox", name="正文")
    body.fill(ARTICLE)
    body.press("Control+Enter")
    page.wait_for_function("document.querySelectorAll('[data-testid=stDataFrame]').length >= 3")
    wait_ready(page)
    facts = page.locator("[data-testid=stDataFrame]").nth(1)     # parks, then the facts' editor
    box = facts.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 35 + 17)    # the keep box of the second fact
    page.keyboard.press(" ")
    wait_ready(page)
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="加入数据集（1 篇）").click()
    page.get_by_text("数据集已更新").wait_for()
    rejected = [r for r in read_csv(data / "rejected.csv") if r["doc_id"].startswith("imp_")]
    assert [(r["metric"], r["value"], r["note"]) for r in rejected] == \
        [("signed_investment", "580000000", "unticked in the import preview")]
    imported = [f for f in read_csv(data / "facts.csv") if f["origin"] == "imported"]
    assert "signed_investment" not in {f["metric"] for f in imported} and "reopening_rate" in {f["metric"] for f in imported}
    page.context.close()


# ---------------------------------------------------------------- analyst views (issue 10)

@pytest.fixture(scope="module")
def timeline_server(tmp_path_factory):
    """A server on data/ built from the seeds plus tests/fixtures/timeline/ (articles we wrote: one park's
    rate on several dates, a second article with another rate for the same day, a traditional article)."""
    tmp = tmp_path_factory.mktemp("timeline")
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    for path in (ROOT / "tests" / "fixtures" / "timeline").glob("*.txt"):
        shutil.copy(path, tmp / "seeds" / path.name)
    env = {"PARKS_DATA_DIR": str(tmp / "data"), "LOADERS_CACHE_DIR": str(tmp / "cache")}
    subprocess.run([sys.executable, "-m", "loaders", "build", "--seeds", str(tmp / "seeds"), "--out", str(tmp / "data")],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, **env})
    url, proc = start_server(env)
    yield url, tmp / "data"
    proc.terminate()
    proc.wait(timeout=10)


def query(page) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def test_the_timeline_and_a_conflict_are_drawn(timeline_server, browser):
    url, data = timeline_server
    page = new_page(browser)
    page.goto(f"{url}/reopening?view=timeline")
    wait_ready(page, 1)
    legend = page.locator(CHART).locator(".legendtext").all_text_contents()
    assert "合肥经开区｜规上工业企业" in legend and any("周中位数" in t for t in legend)
    # the line has a point per date: 2-10, 2-17, 2-20 (twice: two articles), 2-22, 3-05
    points = page.evaluate("""() => { const plot = [...document.querySelectorAll('.js-plotly-plot')]
        .find(p => p.data.some(t => t.name === '合肥经开区｜规上工业企业'));
        const i = plot.data.findIndex(t => t.name === '合肥经开区｜规上工业企业');
        return plot.calcdata[i].length; }""")
    assert points >= 5
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / "timeline.png", full_page=False)

    page.goto(url)
    wait_ready(page, 2)
    page.get_by_text("相互矛盾的报道：1 组").click()
    group = page.get_by_test_id("stExpanderDetails").filter(has_text="合肥经开区")
    group.get_by_text("截至2月20日").wait_for()
    assert "88" in group.inner_text() and "2月20日，合肥经开区规上工业企业复工率达到85%" in group.inner_text()
    group.screenshot(path=SHOTS / "conflicts.png")
    page.context.close()


def test_a_simplified_query_finds_a_traditional_sentence(timeline_server, browser):
    url, _ = timeline_server
    page = new_page(browser)
    page.goto(f"{url}/search")
    wait_ready(page)
    box = page.get_by_test_id("stTextInput").filter(has_text="搜索词").locator("input")
    box.fill("云签约")
    box.press("Enter")
    page.wait_for_url("**q=*")
    mark = page.locator(".evidence mark").filter(has_text="雲簽約").first
    mark.wait_for()
    assert query(page)["q"] == ["云签约"]
    page.screenshot(path=SHOTS / "search-result.png", full_page=False)
    # the result's article link opens the reader on that article with the hits listed
    page.get_by_role("link", name="廈門火炬高新區：雲簽約項目落地").click()
    page.wait_for_url("**/reader?read=*")
    wait_ready(page)
    page.locator(".evidence mark").filter(has_text="雲簽約").first.wait_for()
    page.locator(".reader").wait_for()
    page.context.close()


def reopened(browser, link: str, charts: int = 0):
    """`link` opened in a new browser session (no state shared with the page it was copied from)."""
    other = new_page(browser)
    other.goto(link)
    wait_ready(other, charts)
    return other


def choose(page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label` (main area)."""
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)).click()
    page.keyboard.type(option)              # the option list is virtual: filter it so the option is drawn
    page.get_by_role("option", name=option, exact=True).click()


def test_copied_links_reproduce_each_view(timeline_server, browser):
    url, data = timeline_server
    page = new_page(browser)

    # the profile's park
    page.goto(f"{url}/profile")
    wait_ready(page)
    choose(page, "选择园区", "厦门高新区")
    page.wait_for_function("location.search.includes('profile=')")
    page.get_by_role("heading", name="厦门高新区").wait_for()
    other = reopened(browser, page.url)
    other.get_by_role("heading", name="厦门高新区").wait_for()
    other.context.close()

    # the reopening page's scope filter and tab
    page.goto(f"{url}/reopening")
    wait_ready(page, 3)
    page.get_by_test_id("stMultiSelect").filter(has_text="统计范围").click()
    page.keyboard.type("规上工业")          # the option list is virtual: filter it so the option is drawn
    page.get_by_role("option", name="规上工业企业", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**scope=*")
    page.get_by_role("tab", name="随时间变化").click()
    page.wait_for_url("**view=timeline*")
    assert query(page)["scope"] == ["规上工业企业"]
    other = reopened(browser, page.url, 1)
    assert other.get_by_role("button", name="Remove 规上工业企业").count() == 1
    assert other.get_by_role("tab", name="随时间变化").get_attribute("aria-selected") == "true"
    other.context.close()

    # the measures page's chosen cell
    page.goto(f"{url}/measures")
    wait_ready(page, 3)
    choose(page, "行维度", "省份")
    page.wait_for_url("**dim=province*")
    choose(page, "行", "安徽")
    page.wait_for_function("new URLSearchParams(location.search).get('row') === '安徽'")
    assert query(page)["row"] == ["安徽"]
    other = reopened(browser, page.url, 3)
    other.get_by_text("安徽 · ").first.wait_for()           # the cell's heading: row · measure type
    other.get_by_text("合肥经开区").first.wait_for()
    other.context.close()

    # the search query and the document shown
    for link, check in ((f"{url}/search?q=包车", "包车"), (f"{url}/reader?read={read_csv(data / 'documents.csv')[0]['doc_id']}", "")):
        other = reopened(browser, link)
        if check:
            other.locator(".evidence mark").first.wait_for()
            other.wait_for_function(f"document.querySelector('[data-testid=stTextInput] input')?.value === {check!r}")
        else:
            other.locator(".reader").wait_for()
            assert "read=" in other.url
        other.context.close()
    page.context.close()


def test_a_reviewer_makes_one_figure_part_of_another_and_the_total_follows(browser, tmp_path):
    """江阴高新区 has two signed projects in one article (5 and 3 billion), which add up; on 审核 a reviewer says one
    is part of the other, and the park's total to cite becomes the larger one alone."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("extracted"))
    data = tmp_path / "data"
    park = next(p["park_id"] for p in PARKS if p["name"] == "江阴高新区")
    signed = lambda: [t for t in read_csv(data / "park_totals.csv") if t["park_id"] == park
                      and t["metric"] == "signed_investment"]
    [before] = signed()
    assert before["how"] == "sum_of_events" and before["value"] == "8000000000"
    url, proc = start_server({"PARKS_DATA_DIR": str(data), "LOADERS_CACHE_DIR": str(tmp_path / "cache"),
                              "PARKS_AUTHOR": "browser"})
    try:
        page = new_page(browser)
        page.goto(f"{url}/review?park={park}")
        wait_ready(page)
        page.get_by_test_id("stRadio").get_by_text("数据点").click()
        pick(page, "指标或措施类型", "签约投资额")
        page.get_by_text("所属数据").click()
        page.get_by_role("button", name="是它的组成部分").click()
        page.get_by_text("已保存，合计已重新计算。").wait_for()
        page.screenshot(path=SHOTS / "review-figure.png", full_page=True)
        page.context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    [after] = signed()
    assert after["how"] == "stated_total" and after["value"] in ("5000000000", "3000000000")
    records = [json.loads(line) for line in (data / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["action"] for r in records] == ["part_of"] and records[0]["author"] == "browser"
