import random

import pytest

from khaldun.cluster import cluster_reports, make_event, same_event


def row(rid, doc, *, etype="Explosions/Remote violence", sub="Air/drone strike", date="2019-07-22", lat=35.65,
        lon=36.67, loc="Ma`arrat an Nu`man", fat=None, outlet=None, actor1="Military Forces of Russia", admin1="Idlib",
        cc="SY", claim=""):
    return {"report_id": rid, "doc_id": doc, "outlet": outlet or doc, "event_type": etype, "sub_event_type": sub,
            "event_date": date, "time_precision": 1, "actor1": actor1, "actor2": "Civilians (Syria)",
            "country": "Syria", "country_code": cc, "iso": 760, "admin1": admin1, "admin2": "", "location": loc,
            "latitude": lat, "longitude": lon, "geo_precision": 1, "fatalities": fat, "fatalities_low": None,
            "fatalities_high": None, "claimed_by": "", "claim": claim, "evidence": "", "published": date}


def test_same_strike_across_outlets_and_a_day_of_lag():
    a = row("a-0", "a", fat=37)
    b = row("b-0", "b", date="2019-07-23", lat=35.66, lon=36.68, actor1="Military Forces of Syria")
    assert same_event(a, b)


@pytest.mark.parametrize(
    "other",
    [
        row("b-0", "b", etype="Protests", sub="Peaceful protest"),  # a protest the same day in the same town
        row("b-0", "b", lat=35.93, lon=36.63, loc="Idlib"),  # a strike on another town 30 km away
        row("b-0", "b", date="2019-07-25"),  # three days later
        row("b-0", "b", etype="Battles", sub="Armed clash"),
    ],
)
def test_different_events_stay_apart(other):
    assert not same_event(row("a-0", "a"), other)


def test_reports_of_one_document_are_never_merged_here():
    assert not same_event(row("a-0", "a"), row("a-1", "a"))


def test_event_keeps_range_and_divergence():
    rows = [row("a-0", "a", fat=37), row("b-0", "b", fat=40, actor1="Military Forces of Syria"), row("c-0", "c")]
    ev = make_event(rows, "SYR")
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (37, 37, 40)
    assert ev.n_reports == 3 and ev.n_sources == 3
    assert "fatalities" in ev.divergence and "actor1" in ev.divergence
    assert ev.notes.startswith("On 22 July 2019")


def test_order_does_not_change_the_events():
    rows = [row(f"{d}-0", d, date=f"2019-07-{22 + (i % 3)}", lat=35 + (i % 4), lon=36.0) for i, d in enumerate("abcdefghij")]
    first = sorted(sorted(rows[i]["report_id"] for i in g) for g in cluster_reports(rows))
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    second = sorted(sorted(shuffled[i]["report_id"] for i in g) for g in cluster_reports(shuffled))
    assert first == second


def test_single_side_when_every_source_speaks_for_one_party():
    one = [dict(row("a-0", "a"), actor1="Military Forces of Syria", claimed_by="Syrian military source"),
           dict(row("b-0", "b"), actor1="Military Forces of Syria", claimed_by="Syrian army command")]
    assert make_event(one, "SYR").single_side
    both = [*one, dict(row("c-0", "c"), actor1="Military Forces of Syria", claimed_by="Syrian Observatory for Human Rights")]
    assert not make_event(both[2:], "SYR").single_side


def _groups(db):
    from khaldun.store import Store

    with Store(db, read_only=True) as s:
        rows = s.query("SELECT event_id, report_id FROM reports ORDER BY report_id")
        n_events = s.counts()["events"]
    by: dict[str, set[str]] = {}
    for r in rows:
        by.setdefault(r["event_id"], set()).add(r["report_id"])
    return sorted(sorted(v) for v in by.values()), set(by), n_events


def test_incremental_merge_equals_a_full_merge_in_any_order(tmp_path):
    from pathlib import Path

    from khaldun.pipeline import run

    pages = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "examples").glob("*.*")
                   if p.suffix in (".html", ".txt"))
    full = str(tmp_path / "full.duckdb")
    run(pages, db=full)
    forward, backward = str(tmp_path / "fwd.duckdb"), str(tmp_path / "bwd.duckdb")
    for i in range(0, len(pages), 4):  # four pages a run, as a daily crawl would add them
        run(pages[i:i + 4], db=forward)
    for i in range(0, len(pages), 5):
        run(list(reversed(pages))[i:i + 5], db=backward)
    assert _groups(forward) == _groups(full) == _groups(backward)
