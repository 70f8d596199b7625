"""Shared helpers for the web tests (test_queries, test_api, test_browser): a small real database made from
hand-written records, and a real `khaldun serve` process on a free localhost port.

Imported by those modules (`from conftest_web import ...`); kept out of conftest.py, which others own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from khaldun.api import find_node_modules
from khaldun.records import Document, Event, Place, Report, Span
from khaldun.store import Store

XSS = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT_S = 30


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def _report(
    doc: Document, sentence: str, *, report_id: str, event_id: str, mentions: dict[str, str], **fields: object
) -> Report:
    ev = _span(doc.text, sentence)
    # A mention is looked up inside the evidence sentence first, so repeated words anchor to the right place.
    spans = {}
    for name, words in mentions.items():
        start = doc.text.index(words, ev.start)
        spans[name] = Span(start, start + len(words), words)
    report = Report(
        doc_id=doc.doc_id,
        report_id=report_id,
        event_id=event_id,
        evidence=ev.text,
        evidence_start=ev.start,
        evidence_end=ev.end,
        mentions=spans,
        **fields,
    )  # type: ignore[arg-type]
    doc.reports.append(report)
    return report


ALEPPO = Place("Aleppo", "SY", "Syria", 760, "Aleppo", "Jabal Saman", 36.2021, 37.1343, 1, 170063, "city")
TAIZ = Place("Taiz", "YE", "Yemen", 887, "Taiz", "Al Qahirah", 13.5795, 44.0209, 1, 70225, "city")
BEIRUT = Place("Beirut", "LB", "Lebanon", 422, "Beirut", "Beirut", 33.8938, 35.5018, 1, 276781, "city")
IDLIB = Place("Idlib", "SY", "Syria", 760, "Idlib", "Idlib", 35.9306, 36.6339, 1, 169389, "city")


def fixture_documents() -> list[Document]:
    """Six articles about five events (one seen by two outlets, one with no coordinates, one hostile)."""
    a = Document(
        doc_id="doc-aleppo-times",
        url="https://example-times.test/aleppo",
        outlet="Example Times",
        title="Strike on Aleppo market",
        published="2024-03-04",
        language="en",
        content_type="html",
        text=(
            "ALEPPO, 4 March 2024. Warplanes struck a market in Aleppo on Sunday, killing 12 civilians, "
            "local medics said. The so-called liberation forces claimed they hit a weapons depot. "
            "Critics called the strike a barbaric massacre."
        ),
    )
    _report(
        a,
        "Warplanes struck a market in Aleppo on Sunday, killing 12 civilians, local medics said.",
        report_id="r-aleppo-1",
        event_id="ev-aleppo",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Syria (2000-)",
        actor2="Civilians (Syria)",
        event_date="2024-03-03",
        time_precision=1,
        place=ALEPPO,
        country_code="SY",
        fatalities=12,
        claim="killed",
        mentions={
            "actor1": "Warplanes",
            "location": "Aleppo",
            "event_date": "on Sunday",
            "fatalities": "killing 12 civilians",
        },
    )
    a.framing = {
        "loaded_score": 0.4,
        "flags": [
            {
                **_flag(a.text, "so-called liberation forces"),
                "category": "scare_quote",
                "why": "distances the writer from a group's own name",
            },
            {**_flag(a.text, "barbaric massacre"), "category": "loaded_term", "why": "emotive wording"},
        ],
        "sentences": [
            {**_range(a.text, a.reports[0].evidence), "kind": "reporting"},
            {**_range(a.text, "Critics called the strike a barbaric massacre."), "kind": "opinion"},
        ],
    }
    b = Document(
        doc_id="doc-aleppo-courier",
        url="https://daily-courier.test/news/1",
        outlet="Daily Courier",
        title="Fifteen dead in Aleppo air strike",
        published="2024-03-03",
        language="en",
        text=(
            "Fifteen people were killed when an air strike hit a crowded market in Aleppo on 3 March,"
            " a monitor said."
        ),
    )
    _report(
        b,
        b.text,
        report_id="r-aleppo-2",
        event_id="ev-aleppo",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Syria (2000-)",
        actor2="Civilians (Syria)",
        event_date="2024-03-03",
        time_precision=1,
        place=ALEPPO,
        country_code="SY",
        fatalities=15,
        claim="killed",
        mentions={"location": "Aleppo", "fatalities": "Fifteen people were killed"},
    )
    c = Document(
        doc_id="doc-taiz",
        url="https://yemen-monitor.test/taiz",
        outlet="Yemen Monitor",
        title="Clashes in Taiz",
        published="2024-03-11",
        language="en",
        text=(
            "Houthi fighters clashed with government forces in Taiz on 10 March 2024,"
            " leaving 4 fighters dead."
        ),
    )
    _report(
        c,
        c.text,
        report_id="r-taiz",
        event_id="ev-taiz",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Ansar Allah",
        actor2="Military Forces of Yemen (2016-)",
        event_date="2024-03-10",
        time_precision=1,
        place=TAIZ,
        country_code="YE",
        fatalities=4,
        claim="killed",
        mentions={"actor1": "Houthi fighters", "location": "Taiz", "fatalities": "4 fighters dead"},
    )
    d = Document(
        doc_id="doc-beirut",
        url="https://beirut-daily.test/protest",
        outlet="Beirut Daily",
        title="Protest over prices",
        published="2024-03-21",
        language="en",
        text="Hundreds of people protested peacefully in Beirut on Wednesday against rising prices.",
    )
    _report(
        d,
        d.text,
        report_id="r-beirut",
        event_id="ev-beirut",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Lebanon)",
        event_date="2024-03-20",
        time_precision=1,
        place=BEIRUT,
        country_code="LB",
        fatalities=0,
        mentions={"actor1": "Hundreds of people", "location": "Beirut"},
    )
    e = Document(
        doc_id="doc-xss",
        url="javascript:alert(1)",
        outlet=f"Gazette {XSS}",
        title=f"Shelling in Idlib {XSS}{XSS_IMG}",
        published="2024-03-16",
        language="en",
        content_type="html",
        text=f"Shelling hit Idlib on 15 March 2024 {XSS} killing 3 people, {XSS_IMG} residents said.",
    )
    _report(
        e,
        e.text,
        report_id="r-xss",
        event_id="ev-xss",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1=f"Unknown {XSS}",
        event_date="2024-03-15",
        time_precision=1,
        place=IDLIB,
        country_code="SY",
        fatalities=3,
        claim="killed",
        claimed_by=XSS,
        mentions={"location": "Idlib", "fatalities": "killing 3 people"},
    )
    e.framing = {"loaded_score": 0.1, "flags": [{**_flag(e.text, XSS), "category": XSS, "why": XSS_IMG}]}
    f = Document(
        doc_id="doc-sudan",
        url="https://khartoum-post.test/ceasefire",
        outlet="Khartoum Post",
        title="Ceasefire announced",
        published="2024-02-21",
        language="en",
        text="Army leaders announced a ceasefire across Sudan on 20 February 2024.",
    )
    _report(
        f,
        f.text,
        report_id="r-sudan",
        event_id="ev-sudan",
        event_type="Strategic developments",
        sub_event_type="Agreement",
        actor1="Military Forces of Sudan (2019-)",
        event_date="2024-02-20",
        time_precision=1,
        country_code="SD",
        mentions={"actor1": "Army leaders"},
    )
    g = Document(
        doc_id="doc-failed",
        url="https://broken.test/",
        outlet="Broken",
        text="",
        error="K020 [article] no article text could be extracted",
    )
    return [a, b, c, d, e, f, g]


def _range(text: str, needle: str) -> dict[str, int]:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def _flag(text: str, needle: str) -> dict[str, object]:
    return {**_range(text, needle), "text": needle}


def _event(event_id: str, reports: list[Report], place: Place | None, **fields: object) -> Event:
    first = reports[0]
    outlets = sorted({r.doc_id for r in reports})
    base: dict[str, object] = {
        "event_id": event_id,
        "event_date": first.event_date,
        "time_precision": first.time_precision,
        "event_type": first.event_type,
        "sub_event_type": first.sub_event_type,
        "actor1": first.actor1,
        "actor2": first.actor2,
        "country": place.country if place else "Sudan",
        "country_code": place.country_code if place else "SD",
        "iso": place.iso if place else 729,
        "admin1": place.admin1 if place else "",
        "admin2": place.admin2 if place else "",
        "location": place.location if place else "",
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": place.geo_precision if place else None,
        "fatalities": first.fatalities,
        "fatalities_low": first.fatalities,
        "fatalities_high": first.fatalities,
        "notes": first.evidence,
        "source": "; ".join(outlets),
        "n_reports": len(reports),
        "n_sources": len(outlets),
        "sources": "; ".join(outlets),
    }
    base.update(fields)
    return Event(**base)  # type: ignore[arg-type]


def fixture_events(docs: list[Document]) -> list[Event]:
    reports = {r.report_id: r for d in docs for r in d.reports}
    return [
        _event(
            "ev-aleppo",
            [reports["r-aleppo-1"], reports["r-aleppo-2"]],
            ALEPPO,
            fatalities=12,
            fatalities_low=12,
            fatalities_high=15,
            source="Daily Courier; Example Times",
            sources="Daily Courier; Example Times",
            divergence="fatalities",
        ),
        _event("ev-taiz", [reports["r-taiz"]], TAIZ, source="Yemen Monitor", sources="Yemen Monitor"),
        _event("ev-beirut", [reports["r-beirut"]], BEIRUT, source="Beirut Daily", sources="Beirut Daily"),
        _event(
            "ev-xss",
            [reports["r-xss"]],
            IDLIB,
            notes=f"Shelling {XSS} {XSS_IMG}",
            source=f"Gazette {XSS}",
            sources=f"Gazette {XSS}",
            divergence=f"actor1: {XSS}",
            single_side=True,
        ),
        _event(
            "ev-sudan",
            [reports["r-sudan"]],
            None,
            fatalities=None,
            fatalities_low=None,
            fatalities_high=None,
            source="Khartoum Post",
            sources="Khartoum Post",
        ),
    ]


def build_web_db(path: Path) -> Path:
    """Write the fixture corpus to a new DuckDB file at `path`."""
    docs = fixture_documents()
    with Store(path) as store:
        store.write_documents(docs)
        store.replace_events(fixture_events(docs), {r.report_id: r.event_id for d in docs for r in d.reports})
    return path


# -- a real server -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    db: Path
    proc: subprocess.Popen[bytes]

    def client(self, **kw: object) -> httpx.Client:
        kw.setdefault("timeout", 10)
        return httpx.Client(base_url=self.url, **kw)  # type: ignore[arg-type]


@contextlib.contextmanager
def running_server(
    db: Path, *, token: str | None = None, log: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`khaldun.api.serve` in a subprocess on a free port; yields once /api/stats answers.

    `env` adds to the server's environment (e.g. KHALDUN_NODE_MODULES)."""
    port = free_port()
    code = (
        "import sys; from khaldun.api import serve;"
        " serve(sys.argv[1], port=int(sys.argv[2]), token=sys.argv[3] or None)"
    )
    out = open(log or os.devnull, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(port), token or ""],
        stdout=out,
        stderr=out,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                detail = log.read_text() if log else ""
                raise RuntimeError(f"server exited with {proc.returncode}: {detail}")
            try:
                if httpx.get(f"{url}/api/stats", timeout=1).status_code == 200:  # noqa: PLR2004
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /api/stats in time")
            time.sleep(0.1)
        yield Server(url, db, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()


def browser_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install -y chromium"
    if find_node_modules() is None:
        return "node_modules is missing: run `npm ci --ignore-scripts` at the repo root"
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError:
        return "playwright is not installed: pip install playwright (never `playwright install`)"
    return None


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst
