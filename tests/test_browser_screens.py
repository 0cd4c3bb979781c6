"""Every page at desktop and phone size in a real browser (Debian's chromium): drawn without an error, and a
screenshot of each in test-artifacts/browser/screens/ to look at. On a phone the overview's headline figures sit
two to a row and the tile map's squares do not overlap."""
import pytest

from test_browser import ARGS, CHROMIUM, PAGES, ROOT, start_server, wait_ready

playwright = pytest.importorskip("playwright.sync_api")
SCREENS = ROOT / "test-artifacts" / "browser" / "screens"
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}


@pytest.fixture(scope="module")
def served():
    url, proc = start_server()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield url, browser
        browser.close()
    proc.terminate()
    proc.wait(timeout=10)


def open_at(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=size == "phone",
                                  has_touch=size == "phone", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_at_desktop_and_phone_size(served, size):
    url, browser = served
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = open_at(browser, size)
    for slug, charts in PAGES.items():
        page.goto(f"{url}/{slug}")
        wait_ready(page, charts)
        # the page's own scroll area holds everything: nothing wider than the screen
        wide = page.evaluate("""() => {
            const main = document.querySelector('[data-testid=stMain]');
            return main.scrollWidth - main.clientWidth;}""")
        assert wide <= 2, (slug, wide)
        page.screenshot(path=SCREENS / f"{slug or 'overview'}-{size}.png", full_page=True)
    page.context.close()


def test_the_overview_on_a_phone(served):
    url, browser = served
    page = open_at(browser, "phone")
    page.goto(f"{url}/?lang=en")
    wait_ready(page, 2)
    tops = page.evaluate("() => [...document.querySelectorAll('[data-testid=stMetric]')].slice(0, 4)"
                         ".map(m => Math.round(m.getBoundingClientRect().top))")
    assert tops[0] == tops[1] and tops[2] == tops[3] and tops[2] > tops[0]          # two to a row
    # the map's tiles are shapes that shrink with the chart: no two overlap, and each holds its label
    rects = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
        .map(c => [...c.querySelectorAll('.shapelayer path')].map(p => p.getBoundingClientRect()))
        .find(r => r.length >= 30).map(r => [r.left, r.right, r.top, r.bottom])""")
    for i, (l1, r1, t1, b1) in enumerate(rects):
        for l2, r2, t2, b2 in rects[i + 1:]:
            assert min(r1, r2) - max(l1, l2) <= 0.5 or min(b1, b2) - max(t1, t2) <= 0.5
    labels = page.evaluate("() => [...document.querySelectorAll('.textpoint text')].map(t => t.textContent)")
    assert "JS8" in labels and "XJ1" in labels                  # ISO codes in English, counts under them
    page.screenshot(path=SCREENS / "overview-phone-en-map.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("slug", ["investment", "support"])
def test_on_a_phone_a_charts_legend_and_modebar_do_not_overlap_and_bar_labels_stay_on_screen(served, slug):
    url, browser = served
    page = open_at(browser, "phone")
    page.goto(f"{url}/{slug}")
    wait_ready(page, PAGES[slug])
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.tap()                                              # a tap shows the modebar, as a finger does
    boxes = chart.evaluate("""c => ['.modebar', '.legend'].map(s => {
        const r = c.querySelector(s).getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom];})""")
    (l1, r1, t1, b1), (l2, r2, t2, b2) = boxes
    assert min(r1, r2) - max(l1, l2) <= 0 or min(b1, b2) - max(t1, t2) <= 0, boxes
    # every bar's label inside the chart, none cut at the screen's edge
    right = chart.evaluate("c => c.getBoundingClientRect().right")
    ends = chart.evaluate("c => [...c.querySelectorAll('.bartext')].map(t => t.getBoundingClientRect().right)")
    assert ends and max(ends) <= right + 0.5, (ends, right)
    page.context.close()
