"""The public portal as a reader uses it: a real uvicorn server on a loopback port, on the bundled
data and the UPR recommendations, driven by Playwright in Debian's headless Chromium.

Journeys (both store backends): browse home -> plan -> target -> back -> action; search and filter
recommendations, reload the URL, page on; switch to Chinese; download a page's CSV; read it all
with JavaScript off. On DuckDB only (they test the pages, not the store): axe-core on every main
page at desktop and phone width, screenshots at 1280 and 360 px (no sideways scrolling outside
table boxes), and Chinese drawn in the served CJK font in a browser whose only font is DejaVu.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from rightsmonitor.errors import RightsMonitorError
from rightsmonitor.publish.pdf import chromium_path
from web.live import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # about 115 s with both stores


CHINA = "china-nhrap-2021-2025"
PLAN = f"/plans/{CHINA}"
TARGET = f"{PLAN}/targets/life-expectancy"
ACTION = f"{PLAN}/actions/env-air-quality"
SHOTS = Path("/tmp/portal-shots")
PHONE, DESKTOP = 360, 1280
DUCKDB_ONLY = pytest.mark.parametrize("backend", ["duckdb"], scope="session")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


def launch(playwright: Playwright, env: dict[str, str] | None = None) -> Browser:
    """Debian's Chromium; a missing one fails the test (never a skip)."""
    try:
        executable = chromium_path()
    except RightsMonitorError as exc:
        pytest.fail(f"the browser tests need Chromium: {exc}")
    return playwright.chromium.launch(
        executable_path=str(executable), env={**os.environ, **(env or {})}
    )


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def base(portal_db: str) -> Iterator[str]:
    """``rights serve`` as it runs (web/live.py)."""
    from rightsmonitor.web.app import create_app

    with serving(create_app(portal_db)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def found(page: Page) -> int:
    """The result count the recommendations page states."""
    text = page.locator("p[role=status]").inner_text()
    return int(re.sub(r"\D", "", text))


def result_ids(page: Page) -> list[str]:
    return page.locator("ol.results .id").all_inner_texts()


def test_browse_home_plan_target_back_action(page: Page, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="Human Rights Action Plan of China (2021-2025)").click()
    assert page.url == f"{base}{PLAN}?lang=en"
    assert page.locator("h1").inner_text() == "Human Rights Action Plan of China (2021-2025)"
    page.locator(f'a[href^="{TARGET}?"]').click()
    assert page.locator("h1").inner_text() == "Average life expectancy up by 1 year"
    chart = page.locator("main svg.chart")
    assert chart.get_attribute("role") == "img"
    assert "Average life expectancy up by 1 year" in (chart.get_attribute("aria-label") or "")
    assert chart.locator('line[stroke-dasharray="6 4"]').count() == 1  # the target level
    assert chart.locator('polyline[stroke-dasharray="2 3"]').count() == 1  # the projection
    years = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert years[0] == "1960" and years[-1] == "2024"
    assert chart.locator("circle").count() == len(years) + 1  # a point a year, the target dot
    sources = page.locator("h2:has-text('Sources') + ul > li").all_inner_texts()
    assert any(s.startswith("World Bank, World Development Indicators") for s in sources)
    assert any("14th Five-Year Plan Outline" in s for s in sources)
    page.go_back()
    assert page.url == f"{base}{PLAN}?lang=en"
    page.locator(f'a[href^="{ACTION}?"]').click()
    assert page.locator("h1").inner_text() == "Cleaner air and deep cuts in PM2.5, NOx and VOCs"
    assert page.locator("main .status").all_inner_texts() == ["Not assessed"]
    assert page.get_by_text("No update has been reported: the action is not assessed.").count()
    assert "Section III.1" in page.locator("p.note").inner_text()


def test_every_chapter_iii_action_is_not_assessed(page: Page, base: str) -> None:
    """No invented statuses: nobody has reported on the environment chapter yet."""
    page.goto(f"{base}{PLAN}")
    rows = page.locator(f'main tr:has(a[href^="{PLAN}/actions/env-"])')
    assert rows.count() == 12
    statuses = {r.locator(".status").inner_text() for r in rows.all()}
    assert statuses == {"Not assessed"}


def test_search_filter_reload_and_page_on(page: Page, base: str) -> None:
    """The filters a form would send, as a URL (the forms themselves: see the test below)."""
    page.goto(f"{base}/recommendations")
    everything = found(page)
    page.goto(f"{base}/recommendations?q=torture")
    with_word = found(page)
    assert 0 < with_word < everything
    texts = page.locator("ol.results li > p:first-child").all_inner_texts()
    assert len(texts) == with_word and all("tortur" in t.lower() for t in texts)
    assert page.get_by_label("Words in the text").input_value() == "torture"
    option = page.locator("#f-response option", has_text="supported")
    label = option.inner_text()  # "supported (13)": the count the facet promises
    page.goto(f"{base}/recommendations?q=torture&response={option.get_attribute('value')}")
    filtered = found(page)
    assert filtered == int(re.search(r"\((\d+)\)", label)[1]) and 0 < filtered < with_word
    assert page.locator("#f-response").input_value() == "supported"
    shown = result_ids(page)
    page.reload()  # the URL alone gives the same results
    assert found(page) == filtered and result_ids(page) == shown
    page.goto(f"{base}/recommendations?q=rights&cycle=2")
    total, first = found(page), result_ids(page)
    assert total > 20 and len(first) == 20
    page.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url and "cycle=2" in page.url and "q=rights" in page.url
    second = result_ids(page)
    assert found(page) == total and len(second) == min(20, total - 20)
    assert not set(first) & set(second)
    assert page.locator("ol.results").get_attribute("start") == "21"
    assert "Page 2 / " in page.locator("nav.pages").inner_text()
    page.get_by_role("link", name="Previous page").click()
    assert result_ids(page) == first


def test_forms_submit_as_a_reader_leaves_them(browser: Browser, base: str) -> None:
    """Search as a reader does: type a word, press Search, with and without JavaScript."""
    for scripts in (True, False):
        context = browser.new_context(java_script_enabled=scripts)
        try:
            tab = context.new_page()
            tab.goto(f"{base}/recommendations")
            tab.get_by_label("Words in the text").fill("torture")
            with tab.expect_navigation() as nav:
                tab.get_by_role("button", name="Search").click()
            assert nav.value and nav.value.status == 200, tab.url
            assert "q=torture" in tab.url and found(tab) > 0
            tab.goto(f"{base}/indicators")
            tab.get_by_label("Name or code").fill("life")
            with tab.expect_navigation() as nav:
                tab.get_by_role("button", name="Search").click()
            assert nav.value and nav.value.status == 200, tab.url
        finally:
            context.close()


def test_switch_to_chinese_and_it_stays(page: Page, base: str) -> None:
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("nav.languages a[hreflang=zh]").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "人权行动计划及其证据"
    page.get_by_role("link", name="国家人权行动计划（2021—2025年）").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "lang=zh" in page.url
    assert page.locator("h2", has_text="各状态的目标").count() == 1
    page.locator("header nav a", has_text="建议").click()
    assert page.locator("h1").inner_text() == "建议"
    assert page.get_by_role("button", name="搜索").count() == 1
    hrefs = page.locator("header nav:first-of-type a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all("lang=zh" in h for h in hrefs)
    page.locator("nav.languages a[hreflang=en]").click()
    assert page.locator("h1").inner_text() == "Recommendations"


def download(page: Page) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    got = info.value
    assert got.suggested_filename.endswith(".csv")
    return list(csv.DictReader(io.StringIO(Path(got.path()).read_text("utf-8"))))


def test_csv_download_equals_the_table_shown(page: Page, base: str) -> None:
    page.goto(f"{base}/indicators")
    cells = page.locator("main table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText))"
    )
    rows = download(page)
    assert len(rows) == len(cells) > 10
    assert [r["code"] for r in rows] == [c[0] for c in cells]
    assert [int(r["observations"]) for r in rows] == [int(c[3].replace(",", "")) for c in cells]
    page.goto(f"{base}{TARGET}")
    shown = page.locator("main table:last-of-type tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
    )
    series = download(page)
    assert [int(float(r["year"])) for r in series] == [int(y) for y, _ in shown]
    assert [round(float(r["value"]), 2) for r in series] == [float(v) for _, v in shown]


JOURNEY = [
    "/", PLAN, TARGET, ACTION, "/indicators", "/recommendations?q=torture&response=supported",
    "/countries/CHN", "/surveys", "/cooperation", "/?lang=zh",
]  # fmt: skip


def test_reading_works_without_javascript(browser: Browser, page: Page, base: str) -> None:
    bare = browser.new_context(
        java_script_enabled=False, viewport={"width": DESKTOP, "height": 900}
    )
    try:
        plain = bare.new_page()
        for path in JOURNEY:
            page.goto(base + path)
            plain.goto(base + path)
            assert plain.locator("main").inner_text() == page.locator("main").inner_text(), path
        plain.set_content("<p id=p>static</p><script>p.textContent = 'scripted'</script>")
        assert plain.locator("#p").inner_text() == "static"  # scripts really are off
    finally:
        bare.close()


MAIN_PAGES = {
    "home": "/", "plan": PLAN, "target": TARGET, "action": ACTION, "indicators": "/indicators",
    "indicator": "/indicators/SP.DYN.LE00.IN", "country": "/countries/CHN",
    "recommendations": "/recommendations", "surveys": "/surveys", "cooperation": "/cooperation",
    "api": "/api/v1/docs", "home-zh": "/?lang=zh", "plan-zh": f"{PLAN}?lang=zh",
    "recommendations-zh": "/recommendations?lang=zh",
}  # fmt: skip
# Every rule of WCAG 2.0/2.1/2.2 A and AA and axe's best practices; the test fails on ANY
# violation, whatever its impact (the first run found scrollable-region-focusable, serious: a
# table box that scrolls at phone width could not be reached by keyboard; fixed in macros.html).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


def violations(page: Page) -> list[str]:
    result = Axe().run(page, options=AXE_OPTIONS).response
    assert result["testEngine"]["name"] == "axe-core" and len(result["passes"]) > 20
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


@DUCKDB_ONLY
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_violation_on_any_main_page(page: Page, base: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    found_on = {}
    for name, path in MAIN_PAGES.items():
        page.goto(base + path)
        found_on[name] = violations(page)
    assert found_on == {name: [] for name in MAIN_PAGES}


@DUCKDB_ONLY
def test_axe_would_see_a_violation(page: Page, base: str) -> None:
    """The checker can fail: an image without a text alternative is reported."""
    page.goto(f"{base}/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt (critical)") for v in violations(page))


SHOT_PAGES = ["home", "plan", "target", "recommendations", "home-zh", "plan-zh"]
# Elements that end right of the viewport, outside the table boxes that scroll on their own.
WIDE = """() => {
  const width = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll("body *").forEach((e) => {
    if (e.closest(".scroll")) return;
    const box = e.getBoundingClientRect();
    if (box.right > width + 1 && wide.length < 10) wide.push(e.tagName + "." + e.className);
  });
  return {scrollWidth: document.scrollingElement.scrollWidth, wide: wide};
}"""


@DUCKDB_ONLY
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_screenshots_and_no_sideways_scrolling(
    page: Page, base: str, width: int, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    SHOTS.mkdir(exist_ok=True)
    for name in SHOT_PAGES:
        page.goto(base + MAIN_PAGES[name])
        page.evaluate("document.fonts.ready.then(() => true)")
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=shot, full_page=True)
        shutil.copy(shot, SHOTS / shot.name)
        assert shot.stat().st_size > 20_000, name  # a blank page compresses to a few kB
        seen = page.evaluate(WIDE)
        assert seen["scrollWidth"] <= width + 1 and seen["wide"] == [], (name, seen)


# Text in bold and regular weight, in the header and in the page.
CJK_NODES = ["h1", "p.brand a", "main h2", "nav.languages a[lang=zh]",
             "main figcaption"]  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def drawn_with(page: Page, selector: str) -> dict[str, Any]:
    """The fonts Chromium drew a node's text with (DevTools: CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    served = sum(f["glyphCount"] for f in fonts if f["isCustomFont"])
    return {"served": served, "fonts": sorted({f["familyName"] for f in fonts})}


@DUCKDB_ONLY
def test_chinese_is_drawn_in_the_served_font_with_only_dejavu(
    playwright: Playwright, base: str, dejavu_only: dict[str, str]
) -> None:
    """No CJK font on the machine: every Chinese character, bold or not, comes from /fonts.

    With ``system-ui`` first in the font list, Chromium drew the bold runs (the h1, the brand,
    the current nav item, the language link) in DejaVu Sans Bold: a box per character."""
    chromium = launch(playwright, dejavu_only)
    try:
        tab = chromium.new_page(viewport={"width": DESKTOP, "height": 900})
        tab.goto(f"{base}{TARGET}?lang=zh")
        assert tab.evaluate("document.fonts.ready.then(() => document.fonts.status)") == "loaded"
        heading = tab.locator("h1").inner_text()
        assert heading == "人均预期寿命提高1岁"
        assert tab.evaluate(f"document.fonts.check('700 26px \"RM CJK\"', {heading!r})")
        for selector in CJK_NODES:
            text = tab.locator(selector).first.inner_text()
            drawn = drawn_with(tab, selector)
            assert CJK.search(text), selector
            assert drawn["served"] == len(CJK.findall(text)), (selector, text, drawn)
            assert "Noto Sans CJK SC" in drawn["fonts"]
        loaded = tab.evaluate("Array.from(document.fonts, (f) => [f.weight, f.status])")
        assert sorted(loaded) == [["700", "loaded"], ["normal", "loaded"]]
    finally:
        chromium.close()
