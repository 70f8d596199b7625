"""The map page in a real headless Chromium (Debian's, driven by Playwright) against a real server.

Needs /usr/bin/chromium (`apt-get install -y chromium`), node_modules (`npm ci --ignore-scripts`) and the
playwright package; never `playwright install`. Skipped with the reason when one is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest_web import CHROMIUM, XSS, XSS_IMG, Server, browser_skip_reason, build_web_db, running_server

_reason = browser_skip_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_reason is not None, reason=_reason or "")]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
ALEPPO_EVIDENCE = "Warplanes struck a market in Aleppo on Sunday, killing 12 civilians, local medics said."
N_EVENTS = 5
N_LOCATED = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser")
    with running_server(build_web_db(tmp / "web.duckdb"), log=tmp / "server.log") as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when not skipped

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []  # console errors and uncaught exceptions
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def open_page(page: Any, server: Server, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("body[data-ready='1']")


def count(page: Any) -> int:
    return int(page.locator("#count").get_attribute("data-count"))


_ON_MAP_JS = """() => document.querySelectorAll('#map path.ev-marker').length
    + [...document.querySelectorAll('#map .ev-cluster .count')].reduce((sum, el) => sum + Number(el.textContent), 0)"""


def events_on_map(page: Any, expected: int) -> int:
    """Markers drawn on their own plus the events inside drawn clusters, once the clustering animation has
    settled (while it runs, a cluster's icon and its spreading markers are both in the page)."""
    try:
        page.wait_for_function(f"() => ({_ON_MAP_JS})() === {expected}", timeout=5_000)
    except Exception:  # noqa: BLE001 - the assertion below reports what was drawn instead
        pass
    return int(page.evaluate(_ON_MAP_JS))


def test_map_shows_the_events(page: Any, server: Server) -> None:
    open_page(page, server)
    assert count(page) == N_EVENTS
    assert page.locator("#event-list li").count() == N_EVENTS
    page.wait_for_function(f"() => document.querySelector('#map').dataset.markers === '{N_LOCATED}'")
    assert events_on_map(page, N_LOCATED) == N_LOCATED  # the Sudan event has no coordinates: listed, not drawn
    assert page.locator("#map-missing").count() == 0
    assert page.locator("#histogram rect.bar").count() > 0
    assert "without coordinates" in page.locator("#summary").inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


def test_filtering_by_type_changes_the_count(page: Any, server: Server) -> None:
    open_page(page, server)
    assert count(page) == N_EVENTS
    page.locator("#type-boxes input[value='Battles']").check()
    page.wait_for_function("() => document.querySelector('#count').dataset.count === '1'")
    assert page.locator("#event-list li").count() == 1
    assert events_on_map(page, 1) == 1
    assert "event_type=Battles" in page.url  # the view is in the query string
    page.locator("#type-boxes input[value='Protests']").check()
    page.wait_for_function("() => document.querySelector('#count').dataset.count === '2'")
    page.locator("#f-reset").click()
    page.wait_for_function(f"() => document.querySelector('#count').dataset.count === '{N_EVENTS}'")


def test_filters_in_the_url_are_applied(page: Any, server: Server) -> None:
    open_page(page, server, "?country=YE")
    assert count(page) == 1
    assert page.locator("#f-country").input_value() == "YE"


def test_only_events_in_the_map_view(page: Any, server: Server) -> None:
    open_page(page, server)
    page.locator("#f-in-view").check()
    # The first view fits every located event; the one without coordinates drops out.
    page.wait_for_function(f"() => document.querySelector('#count').dataset.count === '{N_LOCATED}'")
    assert "in_view=1" in page.url


def test_timeline_drag_filters_by_date(page: Any, server: Server) -> None:
    open_page(page, server)
    box = page.locator("#histogram").bounding_box()
    y = box["y"] + box["height"] / 2
    # Daily bins from 20 Feb to 20 Mar: the first tenth holds only the Sudan ceasefire (20 Feb).
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.1, y, steps=4)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('#count').dataset.count === '1'")
    assert page.locator("#f-date-from").input_value() == "2024-02-20"
    assert page.locator("#event-list li").first.get_attribute("data-event-id") == "ev-sudan"
    page.locator("#all-dates").click()
    page.wait_for_function(f"() => document.querySelector('#count').dataset.count === '{N_EVENTS}'")


def test_clicking_an_event_opens_its_panel_with_the_evidence_highlighted(page: Any, server: Server) -> None:
    open_page(page, server)
    page.locator("#event-list li[data-event-id='ev-aleppo'] button").click()
    card = page.locator("#panel article.source[data-report-id='r-aleppo-1']")
    card.locator(".article mark.evidence").first.wait_for()
    assert page.locator("#panel").is_visible()
    # The evidence is one highlighted stretch of text, split only where field mentions nest inside it.
    assert "".join(card.locator(".article .evidence").all_text_contents()) == ALEPPO_EVIDENCE
    mentions = dict(
        zip(
            card.locator(".article mark.mention").evaluate_all("els => els.map(e => e.title)"),
            card.locator(".article mark.mention").all_text_contents(),
            strict=True,
        )
    )
    assert any("actor1" in k and v == "Warplanes" for k, v in mentions.items())
    assert any("fatalities" in k and v == "killing 12 civilians" for k, v in mentions.items())
    # Framing flags: listed and marked in the text; the opinion sentence is set apart.
    assert "scare_quote" in card.locator(".framing").inner_text()
    assert "barbaric massacre" in "".join(card.locator(".article mark.flag").all_text_contents())
    assert card.locator(".article .opinion").count() > 0
    # The corroborated fields and what the sources disagree on.
    panel = page.locator("#panel").inner_text()
    assert "Military Forces of Syria (2000-)" in panel
    said = page.locator("#panel table.disagreements").inner_text()
    assert re.search(r"12 \(Example Times\)", said) and re.search(r"15 \(Daily Courier\)", said)
    assert page.locator("#panel article.source").count() == 2
    assert "event=ev-aleppo" in page.url
    assert page.errors == []  # type: ignore[attr-defined]


def test_clicking_a_marker_opens_its_panel(page: Any, server: Server) -> None:
    open_page(page, server)
    marker = page.locator("#map path.ev-marker[data-event-id='ev-taiz']")
    marker.wait_for()
    marker.click(force=True)
    page.locator("#panel article.source[data-report-id='r-taiz'] .article mark.evidence").first.wait_for()
    assert "Armed clash" in page.locator("#panel h2").inner_text()


def test_a_page_containing_script_does_not_run_it(page: Any, server: Server) -> None:
    open_page(page, server, "?event=ev-xss")
    card = page.locator("#panel article.source[data-report-id='r-xss']")
    card.locator(".article mark.evidence").first.wait_for()
    # Shown as text, everywhere it appears ...
    assert XSS in card.locator(".article").inner_text()
    assert XSS_IMG in card.locator(".article").inner_text()
    assert XSS in card.locator(".title").inner_text()
    assert XSS in page.locator("#panel table.fields").inner_text()
    assert XSS in card.locator(".framing").inner_text()
    # ... never as markup, never run.
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#panel script, #panel img, #event-list script, #event-list img").count() == 0
    # The javascript: URL of the source is not made a link.
    assert card.locator("a.title").count() == 0
    assert page.errors == []  # type: ignore[attr-defined]


def test_nothing_is_fetched_from_outside(browser: Any, server: Server) -> None:
    context = browser.new_context()
    pg = context.new_page()
    seen: list[str] = []
    pg.on("request", lambda req: seen.append(req.url))
    open_page(pg, server, "?event=ev-aleppo")
    pg.locator("#panel .article mark.evidence").first.wait_for()
    context.close()
    outside = [u for u in seen if not u.startswith((server.url, "data:"))]
    assert seen and outside == []


def test_page_says_run_npm_ci_when_node_modules_is_missing(
    browser: Any, tmp_path: Path, server: Server
) -> None:
    empty = tmp_path / "node_modules"
    empty.mkdir()
    with running_server(server.db, env={"KHALDUN_NODE_MODULES": str(empty)}) as bare:
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        open_page(pg, bare)
        assert "run `npm ci`" in pg.locator("#map").inner_text()
        assert count(pg) == N_EVENTS  # the rest of the page still works
        pg.locator("#event-list li[data-event-id='ev-beirut'] button").click()
        pg.locator("#panel .article mark.evidence").first.wait_for()
        context.close()
