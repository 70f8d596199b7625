"""Make docs/screenshot.png: the map page on a khaldun database, with its best-corroborated event open.

    khaldun run examples/ --db /tmp/examples.duckdb
    python docs/screenshot.py --db /tmp/examples.duckdb --out docs/screenshot.png

Starts `khaldun.api.serve` on a free localhost port and photographs the page in Debian's headless Chromium
through Playwright (the same set-up as tests/test_browser.py; never `playwright install`).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pick_event(url: str) -> str | None:
    """The event with the most sources, then one the sources disagree on, then the deadliest."""
    features = httpx.get(f"{url}/api/events.geojson", timeout=30).json()["features"]
    located = [f["properties"] for f in features if f["geometry"]]
    if not located:
        return None
    best = max(located, key=lambda p: (p["n_sources"] or 0, bool(p["divergence"]), p["fatalities"] or 0))
    return str(best["event_id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="docs/screenshot.png")
    parser.add_argument("--event", help="event to open (default: the best corroborated)")
    parser.add_argument("--query", default="", help="filters for the page, e.g. 'country=SY'")
    parser.add_argument("--scroll-to", default="#panel .divergence", help="panel part to show at its top")
    opts = parser.parse_args()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    code = "import sys; from khaldun.api import serve; serve(sys.argv[1], port=int(sys.argv[2]))"
    server = subprocess.Popen([sys.executable, "-c", code, opts.db, str(port)])
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/stats", timeout=1).is_success:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        event = opts.event or _pick_event(url)
        query = "&".join(q for q in (opts.query, f"event={event}" if event else "") if q)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 960})
            page.goto(f"{url}/?{query}")
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            if event:
                page.wait_for_selector("#panel .article mark.evidence", timeout=30_000)
                page.evaluate(
                    "sel => { const el = document.querySelector(sel);"
                    " if (el) document.querySelector('#panel').scrollTop = el.offsetTop - 8; }",
                    opts.scroll_to,
                )
            page.wait_for_timeout(1000)  # let the cluster and zoom animations finish
            Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=opts.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote {opts.out}" + (f" (event {event})" if event else ""))  # noqa: T201 - a script


if __name__ == "__main__":
    main()
