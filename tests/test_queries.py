"""khaldun.queries over a small real database built from hand-written records (tests/conftest_web.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_web import XSS, build_web_db

from khaldun import queries
from khaldun.errors import UsageError
from khaldun.queries import Filters
from khaldun.store import Store

ALL = {"ev-aleppo", "ev-taiz", "ev-beirut", "ev-xss", "ev-sudan"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = build_web_db(tmp_path_factory.mktemp("queries") / "web.duckdb")
    with Store(db, read_only=True) as s:
        yield s


def ids(page: dict) -> set[str]:
    return {e["event_id"] for e in page["events"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ALL),
        (Filters(date_from="2024-03-10"), {"ev-taiz", "ev-beirut", "ev-xss"}),
        (Filters(date_to="2024-03-03"), {"ev-aleppo", "ev-sudan"}),
        (Filters(date_from="2024-03-03", date_to="2024-03-10"), {"ev-aleppo", "ev-taiz"}),
        (Filters(country=("Syria",)), {"ev-aleppo", "ev-xss"}),
        (Filters(country=("ye", "LB")), {"ev-taiz", "ev-beirut"}),
        (Filters(admin1=("aleppo",)), {"ev-aleppo"}),
        (Filters(event_type=("Battles",)), {"ev-taiz"}),
        (Filters(event_type=("battles", "Protests")), {"ev-taiz", "ev-beirut"}),
        (Filters(sub_event_type=("Air/drone strike",)), {"ev-aleppo"}),
        (Filters(actor="ansar"), {"ev-taiz"}),
        (Filters(actor="civilians"), {"ev-aleppo"}),
        (Filters(q="CEASEFIRE"), {"ev-sudan"}),
        (Filters(q="crowded market"), {"ev-aleppo"}),  # only in the second outlet's evidence
        (Filters(q="50%_"), set()),  # LIKE wildcards are plain characters
        (Filters(min_fatalities=4), {"ev-aleppo", "ev-taiz"}),
        (Filters(min_fatalities=0), ALL),
        (Filters(bbox=(35.0, 33.0, 38.0, 37.0)), {"ev-aleppo", "ev-xss", "ev-beirut"}),
        (Filters(bbox=(40.0, 10.0, 50.0, 20.0)), {"ev-taiz"}),
        (Filters(bbox=(170.0, -90.0, 37.0, 90.0)), {"ev-beirut", "ev-xss"}),  # crosses the antimeridian
        (Filters(event_type=("Explosions/Remote violence",), min_fatalities=5), {"ev-aleppo"}),
    ],
)
def test_filters(store: Store, filters: Filters, expected: set[str]) -> None:
    assert ids(queries.list_events(store, filters, limit=100)) == expected
    assert queries.count_events(store, filters) == len(expected)
    geo = queries.events_geojson(store, filters)
    assert {f["id"] for f in geo["features"]} == expected
    assert queries.stats(store, filters)["events"] == len(expected)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"date_from": "3 March"},
        {"date_to": "2024-13-01"},
        {"bbox": (0.0, 10.0, 10.0, 5.0)},
        {"bbox": (0.0, -95.0, 10.0, 5.0)},
        {"bbox": (-190.0, 0.0, 10.0, 5.0)},
    ],
)
def test_bad_filters_are_usage_errors(kwargs: dict) -> None:
    with pytest.raises(UsageError):
        Filters(**kwargs)


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "1,2,3,4,5"])
def test_parse_bbox_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        queries.parse_bbox(text)


def test_parse_bbox() -> None:
    assert queries.parse_bbox(" 35.5, 32 ,42.4,37.4") == (35.5, 32.0, 42.4, 37.4)
    assert queries.parse_bbox("") is None


def test_paging_and_sort(store: Store) -> None:
    first = queries.list_events(store, Filters(), limit=2, sort="date")
    assert [e["event_id"] for e in first["events"]] == ["ev-sudan", "ev-aleppo"]
    assert (first["total"], first["next_offset"]) == (5, 2)
    last = queries.list_events(store, Filters(), limit=2, offset=4)
    assert last["next_offset"] is None and len(last["events"]) == 1
    worst = queries.list_events(store, Filters(), limit=1, sort="-fatalities")
    assert worst["events"][0]["event_id"] == "ev-aleppo"
    with pytest.raises(UsageError):
        queries.list_events(store, Filters(), limit=queries.MAX_LIMIT + 1)


def test_geojson_truncation_and_null_geometry(store: Store) -> None:
    geo = queries.events_geojson(store, Filters(), limit=2)
    assert (geo["total"], geo["truncated"], len(geo["features"])) == (5, True, 2)
    sudan = next(f for f in queries.events_geojson(store, Filters())["features"] if f["id"] == "ev-sudan")
    assert sudan["geometry"] is None
    aleppo = next(f for f in queries.events_geojson(store, Filters())["features"] if f["id"] == "ev-aleppo")
    assert aleppo["geometry"] == {"type": "Point", "coordinates": [37.1343, 36.2021]}


def test_get_event(store: Store) -> None:
    ev = queries.get_event(store, "ev-aleppo")
    assert ev is not None
    assert ev["divergence"] == "fatalities"
    assert ev["divergence_fields"] is None
    assert ev["disagreements"] == [
        {
            "field": "fatalities",
            "values": [
                {"report_id": "r-aleppo-2", "outlet": "Daily Courier", "value": 15},
                {"report_id": "r-aleppo-1", "outlet": "Example Times", "value": 12},
            ],
        }
    ]
    hostile = queries.get_event(store, "ev-xss")
    assert hostile is not None and hostile["disagreements"] == []  # free text is shown as text
    assert [r["outlet"] for r in ev["reports"]] == ["Daily Courier", "Example Times"]
    times = ev["reports"][1]
    assert times["title"] == "Strike on Aleppo market"
    assert times["loaded_score"] == 0.4 and times["n_framing_flags"] == 2
    assert times["mentions"]["actor1"] == [22, 31, "Warplanes"]
    assert queries.get_event(store, "nope") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"fatalities": [12, 15]}', {"fatalities": [12, 15]}),
        ("fatalities: 12 vs 15", None),
        ("{broken", None),
        ("", None),
        (None, None),
    ],
)
def test_divergence_fields(text: str | None, expected: dict | None) -> None:
    assert queries.divergence_fields(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fatalities", ["fatalities"]),
        ("fatalities, event_date, location", ["fatalities", "event_date", "location"]),
        ("fatalities: 12 vs 15", []),
        ("", []),
        (None, []),
        ("drop table, events", []),
    ],
)
def test_divergence_names(text: str | None, expected: list[str]) -> None:
    assert queries.divergence_names(text) == expected


def test_disagreements_show_a_toll_range() -> None:
    reports = [
        {"report_id": "a", "outlet": "A", "fatalities": 3, "fatalities_low": 3, "fatalities_high": 5},
        {"report_id": "b", "outlet": "B", "fatalities": 4, "fatalities_low": None, "fatalities_high": None},
    ]
    values = queries.disagreements("fatalities", reports)[0]["values"]
    assert [v["value"] for v in values] == ["3-5", 4]


def test_get_document_spans_round_trip(store: Store) -> None:
    doc = queries.get_document(store, "doc-aleppo-times")
    assert doc is not None
    assert "raw" not in doc
    assert doc["framing"]["flags"][0]["category"] == "scare_quote"
    fields = {s["field"] for s in doc["spans"]}
    assert fields == {"evidence", "actor1", "location", "event_date", "fatalities"}
    for span in doc["spans"]:
        assert doc["text"][span["start"] : span["end"]] == span["text"]
        assert span["matches"]
    assert queries.get_document(store, "nope") is None


def test_document_with_hostile_text_is_returned_verbatim(store: Store) -> None:
    doc = queries.get_document(store, "doc-xss")
    assert doc is not None and XSS in doc["text"] and XSS in doc["title"]


def test_list_reports_and_documents(store: Store) -> None:
    assert queries.list_reports(store, Filters(), event_id="ev-aleppo")["total"] == 2
    assert queries.list_reports(store, Filters(), doc_id="doc-taiz")["reports"][0]["report_id"] == "r-taiz"
    assert queries.list_reports(store, Filters(q="monitor said"))["total"] == 1
    docs = queries.list_documents(store)
    assert docs["total"] == 7 and all("text" not in d for d in docs["documents"])
    failed = queries.list_documents(store, q="broken")["documents"][0]
    assert failed["error"].startswith("K020")


def test_stats(store: Store) -> None:
    s = queries.stats(store, Filters())
    assert (s["events"], s["fatalities"], s["documents"], s["reports"]) == (5, 19, 7, 6)
    assert (s["date_min"], s["date_max"]) == ("2024-02-20", "2024-03-20")
    assert s["by_type"][0] == {"event_type": "Explosions/Remote violence", "n": 2, "fatalities": 15}
    # ISO weeks start on Monday: 20 Feb (Tue), 3 Mar (Sun), 10 Mar (Sun), 15 Mar (Fri), 20 Mar (Wed).
    assert [w["week"] for w in s["by_week"]] == [
        "2024-02-19",
        "2024-02-26",
        "2024-03-04",
        "2024-03-11",
        "2024-03-18",
    ]
    assert sum(d["n"] for d in s["by_day"]) == 5
    assert queries.stats(store, Filters(event_type=("Riots",)))["events"] == 0


def test_without_dates() -> None:
    f = Filters(date_from="2024-01-01", event_type=("Battles",))
    assert f.without_dates() == Filters(event_type=("Battles",))


def test_fixture_db_is_reproducible(tmp_path: Path) -> None:
    a = build_web_db(tmp_path / "a.duckdb")
    with Store(a, read_only=True) as s:
        assert s.counts() == {"documents": 7, "reports": 6, "events": 5, "failed": 1}
