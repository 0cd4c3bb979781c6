"""The import page with a collection in a real browser: the column mapping, the first rows and the refused rows
are shown; one click stores the rows with a progress bar and the dataset has them."""
import pytest

from test_browser import SHOTS, browser, import_server, new_page, wait_ready  # noqa: F401 (fixtures)
from conftest import read_csv

A = "2月19日，江门高新区举行项目云签约活动，共签约项目3个，总投资5.8亿元。"
B = "截至2月20日，宁波高新区规上工业企业复工率达86%，组织专车接回员工1200人。"


def test_a_csv_collection_with_a_bad_row_from_the_import_page(import_server, browser, tmp_path):  # noqa: F811
    url, data = import_server
    path = tmp_path / "news.csv"
    path.write_text("编号,内容,日期,媒体\n1,\"" + A + "\",2020/2/19,江门日报\n2,,2020/2/20,\n3,\"" + B +
                    "\",2020-02-20,宁波日报\n", encoding="gb18030")
    page = new_page(browser)
    page.goto(f"{url}/import")
    wait_ready(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files([str(path)])
    page.get_by_text("可导入 2 篇文章；1 行无法导入").wait_for()
    # the guessed mapping is shown and can be changed: 内容 is the text, 日期 the date, 媒体 the source
    for label, column in (("正文列", "内容"), ("日期列", "日期"), ("来源列", "媒体")):
        box = page.get_by_test_id("stSelectbox").filter(has_text=label)
        assert box.locator("input").input_value() == column
    page.get_by_text("无法导入的 1 行").click()
    page.locator("[data-testid^=glide-cell]", has_text="正文为空").first.wait_for(state="attached")
    page.screenshot(path=SHOTS / "import-collection-preview.png", full_page=True)
    page.get_by_role("button", name="导入这 2 篇文章并更新数据集").click()
    page.get_by_text("数据集已更新").wait_for(timeout=120_000)
    page.screenshot(path=SHOTS / "import-collection-kept.png", full_page=True)
    imported = [d for d in read_csv(data / "documents.csv") if d["origin"] == "imported"]
    assert sorted(d["source"] for d in imported) == ["宁波日报", "江门日报"]
    assert sorted(d["published"] for d in imported) == ["2020-02-19", "2020-02-20"]
    page.context.close()
