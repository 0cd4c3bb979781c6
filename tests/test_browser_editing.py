"""The editing fixes in a real browser (helpers of test_browser.py): an article with no park gets its park from the
reader, and a park merged on its profile is where a saved link to the merged park now leads."""
import shutil

import pytest

from conftest import ROOT, read_csv, run_cli
from test_browser import SHOTS, browser, new_page, start_server, wait_ready  # noqa: F401 (browser is a fixture)
from test_editing_defects import NO_PARK

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def editing_server(tmp_path_factory):
    """A server on its own copy of data/ holding one imported article in which no park is recognised."""
    tmp = tmp_path_factory.mktemp("editing")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("extracted"))
    (tmp / "nopark.txt").write_text(NO_PARK, encoding="utf-8")
    env = {"PARKS_DATA_DIR": str(data), "LOADERS_CACHE_DIR": str(tmp / "cache"), "PARKS_AUTHOR": "browser"}
    proc = run_cli("add", str(tmp / "nopark.txt"), "--data", str(data), "--build", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    url, server = start_server(env)
    yield url, data
    server.terminate()
    server.wait(timeout=10)


def test_an_editor_names_the_park_of_an_article_in_the_reader(editing_server, browser):
    url, data = editing_server
    doc = next(d["doc_id"] for d in read_csv(data / "documents.csv") if d["status"] == "no_park")
    page = new_page(browser)
    page.goto(f"{url}/review")
    wait_ready(page)
    page.get_by_text("未识别出园区的文章（1）").wait_for()
    page.goto(f"{url}/reader?read={doc}")
    wait_ready(page)
    page.get_by_text("没有在这篇文章中识别出园区").wait_for()
    assert page.locator(".reader mark").count() == 0
    page.get_by_role("textbox", name="园区名称").fill("南京经开区")
    page.get_by_role("button", name="指定园区并重建").click()
    page.get_by_text("已指定园区“南京经开区”").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.reader mark').length == 2")
    page.screenshot(path=SHOTS / "reader-named-park.png", full_page=False)
    parks = {p["park_id"]: p["name"] for p in read_csv(data / "parks.csv")}
    assert {parks[f["park_id"]] for f in read_csv(data / "facts.csv") if f["doc_id"] == doc} == {"南京经开区"}
    page.context.close()


def test_a_park_merged_on_its_profile_is_where_its_old_link_leads(editing_server, browser):
    url, data = editing_server
    ids = {p["name"]: p["park_id"] for p in read_csv(data / "parks.csv")}
    page = new_page(browser)
    page.goto(f"{url}/profile?profile={ids['陕西航空经开区']}")
    wait_ready(page)
    page.get_by_role("heading", name="陕西航空经开区").wait_for()
    page.get_by_text("编辑园区（改名、合并、属性）").click()
    page.get_by_test_id("stSelectbox").filter(has_text="并入园区").click()
    page.keyboard.type("重庆经开")                  # the list is long: narrow it as a user does
    page.get_by_role("option", name="重庆经开区").click()
    page.get_by_role("button", name="合并", exact=True).click()
    page.get_by_text("已将“陕西航空经开区”并入“重庆经开区”").wait_for()
    page.get_by_role("heading", name="重庆经开区").wait_for()
    page.context.close()
    saved = new_page(browser)                       # a link saved before the merge
    saved.goto(f"{url}/profile?profile={ids['陕西航空经开区']}")
    wait_ready(saved)
    saved.get_by_role("heading", name="重庆经开区").wait_for()
    saved.get_by_text(f"链接中的园区编号 {ids['陕西航空经开区']} 已并入").wait_for()
    assert f"profile={ids['重庆经开区']}" in saved.url
    saved.context.close()
